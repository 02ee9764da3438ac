//! A sweep's index (`sweep.csv`, the metric charts, the page and the
//! terminal lines) built as points complete, in fixed memory (issue 8 §2):
//! each point's `sweep.csv` row goes straight to the output's temporary
//! folder; the page table and the terminal keep the first [`PAGE_ROWS`]
//! points and say where the rest are; the charts keep every value up to
//! [`DETAIL`] points (drawn as before, byte for byte), and past that a
//! fixed number of x buckets per line (`charts::sweep_dense`). Nothing
//! kept grows with the number of points.

use super::charts::sweep::{metric_chart, Line, XAxis};
use super::charts::sweep_dense::{dense_chart, Dense};
use super::compare::{metric_cells, metric_header};
use super::output::Sink;
use super::sweep::{point_dir, METRICS};
use super::{html, Summary};
use crate::error::{Error, Result};
use crate::i18n::{t, tf};
use crate::scenario::sweep::Grid;
use std::io::Write;

/// Points listed in the page's table and on the terminal; all are in
/// `sweep.csv` (the run page lists 200 outages and events the same way).
pub const PAGE_ROWS: usize = 200;
/// Points drawn one by one (dot and whisker each); more are drawn per
/// pixel column.
pub const DETAIL: usize = 1000;
/// Lines (values of the second key) drawn on a chart past `DETAIL` points.
pub const DENSE_LINES: usize = 12;
/// Values of a key the page's story lists before it says how many more.
const STORY_VALUES: usize = 20;

/// Point `i` of the grid (in `Grid::points` order: the first key outer)
/// without building every point.
pub fn point_at(grid: &Grid, mut i: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = grid
        .axes
        .iter()
        .rev()
        .map(|(k, v)| {
            let j = i % v.len();
            i /= v.len();
            (k.clone(), v[j].clone())
        })
        .collect();
    out.reverse();
    out
}

/// The number of grid points.
pub fn count(grid: &Grid) -> usize {
    grid.axes.iter().map(|(_, v)| v.len()).product()
}

enum Values {
    /// Every point's value, in grid order.
    Exact(Vec<Option<(f64, Option<f64>)>>),
    Dense(Dense),
}

struct MetricAcc {
    any: bool,
    values: Values,
}

/// What a sweep keeps while its points run.
pub struct SweepIndex {
    points: usize,
    per_line: usize,
    x: XAxis,
    done: usize,
    name: Option<String>,
    seed: u64,
    csv: Option<(
        std::path::PathBuf,
        csv::Writer<std::io::BufWriter<std::fs::File>>,
    )>,
    rows: Vec<Vec<String>>,
    term: String,
    metrics: Vec<MetricAcc>,
}

impl SweepIndex {
    pub fn new(grid: &Grid) -> SweepIndex {
        let points = count(grid);
        let per_line = grid.axes.get(1).map_or(1, |(_, v)| v.len());
        let x = XAxis::of(&grid.axes[0].1);
        let labels = |what: &str| -> Vec<String> {
            (0..per_line.min(DENSE_LINES))
                .map(|j| {
                    grid.axes
                        .get(1)
                        .map_or(what.to_string(), |(k2, v2)| format!("{k2} = {}", v2[j]))
                })
                .collect()
        };
        let (x0, x1) = match &x {
            XAxis::Numbers { values, .. } => values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(*v), b.max(*v))
                }),
            XAxis::Categories(c) => (1.0, c.len() as f64),
        };
        let metrics = METRICS
            .iter()
            .map(|(_, what, _, _)| MetricAcc {
                any: false,
                values: if points <= DETAIL {
                    Values::Exact(Vec::with_capacity(points))
                } else {
                    Values::Dense(Dense::new(x0, x1, labels(what)))
                },
            })
            .collect();
        SweepIndex {
            points,
            per_line,
            x,
            done: 0,
            name: None,
            seed: 0,
            csv: None,
            rows: Vec::new(),
            term: String::new(),
            metrics,
        }
    }

    /// Point `i` (in order) has run: its row goes to `sweep.csv` now.
    pub fn add(
        &mut self,
        sink: &mut Sink,
        grid: &Grid,
        i: usize,
        p: &[(String, String)],
        name: &str,
        s: &Summary,
    ) -> Result<()> {
        debug_assert_eq!(i, self.done, "points come in grid order");
        if self.name.is_none() {
            self.name = Some(name.to_string());
            self.seed = s.seed;
        }
        if self.csv.is_none() {
            let (path, f) = sink.create("sweep.csv")?;
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(std::io::BufWriter::with_capacity(1 << 16, f));
            let header = grid
                .axes
                .iter()
                .map(|(k, _)| k.as_str())
                .chain(metric_header().map(|n| -> &str { n }))
                .chain(["replications"]);
            w.write_record(header.map(|c| super::tables::safe_cell(c).into_owned()))
                .map_err(|e| csv_error(&path, e))?;
            self.csv = Some((path, w));
        }
        let (path, w) = self.csv.as_mut().expect("opened above");
        let row = p
            .iter()
            .map(|(_, v)| v.clone())
            .chain(metric_cells(s))
            .chain([s.replications.to_string()]);
        w.write_record(row.map(|c| super::tables::safe_cell(&c).into_owned()))
            .map_err(|e| csv_error(path, e))?;
        let (xi, line) = (i / self.per_line, i % self.per_line);
        for (acc, (_, _, pick, bounds)) in self.metrics.iter_mut().zip(METRICS) {
            let v = pick(s);
            acc.any |= v.is_some();
            match &mut acc.values {
                Values::Exact(all) => all.push(v),
                Values::Dense(d) => {
                    if let Some((y, ci)) = v {
                        let x = match &self.x {
                            XAxis::Numbers { values, .. } => values[xi],
                            XAxis::Categories(_) => (xi + 1) as f64,
                        };
                        d.add(line, x, y, ci, bounds);
                    }
                }
            }
        }
        if i < PAGE_ROWS {
            self.rows.push(page_row(i, p, s));
            self.term.push_str(&term_line(p, s));
        }
        self.done += 1;
        Ok(())
    }

    /// `sweep.csv` closed, the charts and the page, once every point ran.
    pub fn finish(&mut self, sink: &mut Sink, grid: &Grid) -> Result<()> {
        if let Some((path, w)) = self.csv.take() {
            let mut b = w.into_inner().map_err(|e| {
                Error::io(
                    "write",
                    std::io::Error::other(format!("{}: {e}", path.display())),
                )
            })?;
            b.flush().map_err(|e| {
                Error::io(
                    "write",
                    std::io::Error::other(format!("{}: {e}", path.display())),
                )
            })?;
        }
        let (key, xs) = &grid.axes[0];
        let inner = grid.axes.get(1);
        let mut charts = Vec::new();
        for (acc, (name, what, _, bounds)) in self.metrics.iter().zip(METRICS) {
            if !acc.any {
                continue;
            }
            let title = format!("{what} against {key}");
            let chart = match &acc.values {
                Values::Exact(all) => {
                    let lines: Vec<Line> = (0..self.per_line)
                        .map(|j| {
                            let label = inner
                                .map_or(what.to_string(), |(k2, v2)| format!("{k2} = {}", v2[j]));
                            (
                                label,
                                (0..xs.len()).map(|i| all[i * self.per_line + j]).collect(),
                            )
                        })
                        .collect();
                    metric_chart(name, title, key, what, &self.x, &lines, bounds)
                }
                Values::Dense(d) => {
                    let x_desc = match &self.x {
                        XAxis::Numbers { unit, .. } if !unit.is_empty() => {
                            format!("{key} ({unit})")
                        }
                        XAxis::Numbers { .. } => key.clone(),
                        XAxis::Categories(_) => format!("{key} (value number)"),
                    };
                    dense_chart(name, title, &x_desc, what, d, self.points, bounds)
                }
            }
            .map_err(super::internal)?;
            charts.push(chart);
        }
        let mut files = Vec::new();
        for c in &charts {
            files.push((format!("{}.svg", c.name), c.svg.clone().into_bytes()));
            files.push((format!("{}.png", c.name), c.png.clone()));
        }
        let table = html::Table {
            caption: t("sweep.caption"),
            header: grid
                .axes
                .iter()
                .map(|(k, _)| k.clone())
                .chain(
                    [
                        "uptime",
                        "nines",
                        "downtime",
                        "availability",
                        "p99",
                        "folder",
                    ]
                    .map(|h| t(&format!("sweep.col.{h}"))),
                )
                .collect(),
            rows: std::mem::take(&mut self.rows),
            note: (self.points > PAGE_ROWS).then(|| {
                tf(
                    "page.more",
                    &[
                        &PAGE_ROWS,
                        &self.points,
                        &t("sweep.points_word"),
                        &"sweep.csv",
                    ],
                )
            }),
        };
        let name = self.name.clone().unwrap_or_else(|| "sweep".into());
        let values = |v: &[String]| {
            if v.len() <= STORY_VALUES {
                v.join(", ")
            } else {
                format!(
                    "{}, …, {} ({} values)",
                    v[..STORY_VALUES - 1].join(", "),
                    v[v.len() - 1],
                    v.len()
                )
            }
        };
        let story = vec![tf(
            "sweep.story",
            &[
                &name,
                &self.points,
                &grid
                    .axes
                    .iter()
                    .map(|(k, v)| format!("{k} ∈ {{{}}}", values(v)))
                    .collect::<Vec<_>>()
                    .join(" × "),
                &self.seed,
                &if grid.fixed.is_empty() {
                    String::new()
                } else {
                    tf(
                        "sweep.with",
                        &[&grid
                            .fixed
                            .iter()
                            .map(|(k, v)| format!("{k} = {v}"))
                            .collect::<Vec<_>>()
                            .join(", ")],
                    )
                },
            ],
        )];
        let page = html::Page {
            title: tf("sweep.title", &[&name]),
            subtitle: grid
                .axes
                .iter()
                .map(|(k, _)| k.clone())
                .collect::<Vec<_>>()
                .join(" × "),
            story,
            summary: Vec::new(),
            charts: &charts,
            tables: vec![table],
        };
        files.push(("index.html".into(), page.render().into_bytes()));
        sink.put(&files)
    }

    /// The terminal's lines: the first `PAGE_ROWS` points, then where the
    /// others are, then where the page is.
    pub fn terminal(&self, dir: &std::path::Path) -> String {
        let mut out = self.term.clone();
        if self.points > PAGE_ROWS {
            out.push_str(&tf(
                "sweep.term.more",
                &[&(self.points - PAGE_ROWS), &dir.join("sweep.csv").display()],
            ));
        }
        out.push_str(&tf(
            "sweep.term.done",
            &[&self.points, &dir.join("index.html").display()],
        ));
        out
    }
}

fn csv_error(path: &std::path::Path, e: csv::Error) -> Error {
    Error::io(
        "write",
        std::io::Error::other(format!("{}: {e}", path.display())),
    )
}

/// A point's row of the page's table.
fn page_row(i: usize, p: &[(String, String)], s: &Summary) -> Vec<String> {
    p.iter()
        .map(|(_, v)| v.clone())
        .chain([
            format!("{:.6}", s.uptime),
            s.nines.map_or("∞".into(), |n| format!("{n:.2}")),
            crate::sim::time::human_s(s.downtime_s),
            s.availability.map_or("-".into(), |a| format!("{a:.6}")),
            s.latency_ms
                .as_ref()
                .map_or("-".into(), |l| format!("{:.3}", l.p99)),
            format!("points/{}/index.html", point_dir(i, p)),
        ])
        .collect()
}

/// A point's line on the terminal.
fn term_line(p: &[(String, String)], s: &Summary) -> String {
    let label: Vec<String> = p.iter().map(|(k, v)| format!("{k}={v}")).collect();
    tf(
        "sweep.term.point",
        &[
            &format!("{:<40}", label.join(" ")),
            &format!("{:.6}", s.uptime),
            &s.nines
                .map(|n| tf("head.nines", &[&format!("{n:.2}")]))
                .unwrap_or_default(),
            &s.latency_ms
                .as_ref()
                .map(|l| tf("sweep.term.p99", &[&format!("{:.3}", l.p99)]))
                .unwrap_or_default(),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_at_follows_the_grid_order() {
        let sets = vec!["a=1,2,3".to_string(), "b=x,y".to_string()];
        let g = Grid::parse(&sets).unwrap();
        let all = g.points();
        assert_eq!(count(&g), all.len());
        for (i, p) in all.iter().enumerate() {
            assert_eq!(&point_at(&g, i), p);
        }
    }
}
