//! `hasim sweep`: `sweep.csv` (one row per grid point), each headline metric
//! against the parameter, every point's own report, and a page.

use super::charts::sweep::{metric_chart, Line, XAxis};
use super::compare::{metric_cells, metric_header};
use super::tables::to_csv;
use super::{html, File, Summary};
use crate::error::Result;
use crate::montecarlo::Outcome;
use crate::scenario::sweep::Grid;
use crate::scenario::Scenario;

/// A grid point's folder name: its index and assignments, made safe.
pub fn point_dir(i: usize, point: &[(String, String)]) -> String {
    let label: String = point
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._=,-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    format!("{:03}-{label}", i + 1)
}

pub fn sweep_csv(grid: &Grid, points: &[Vec<(String, String)>], summaries: &[Summary]) -> String {
    let header: Vec<&str> = grid
        .axes
        .iter()
        .map(|(k, _)| k.as_str())
        .chain(metric_header().map(|n| -> &str { n }))
        .chain(["replications"])
        .collect();
    let rows = points.iter().zip(summaries).map(|(p, s)| {
        p.iter()
            .map(|(_, v)| v.clone())
            .chain(metric_cells(s))
            .chain([s.replications.to_string()])
            .collect()
    });
    to_csv(&header, rows)
}

pub(crate) type Metric = (
    &'static str,
    &'static str,
    fn(&Summary) -> Option<(f64, Option<f64>)>,
    (f64, f64),
);

pub(crate) const FRACTION: (f64, f64) = (0.0, 1.0);
pub(crate) const NON_NEGATIVE: (f64, f64) = (0.0, f64::INFINITY);

pub(crate) const METRICS: [Metric; 8] = [
    (
        "sweep_uptime",
        "uptime",
        |s| Some((s.uptime, s.ci95.as_ref().and_then(|c| c.uptime))),
        FRACTION,
    ),
    (
        "sweep_downtime",
        "downtime per run (s)",
        |s| Some((s.downtime_s, s.ci95.as_ref().and_then(|c| c.downtime_s))),
        NON_NEGATIVE,
    ),
    (
        "sweep_outages",
        "outages per run",
        |s| Some((s.outages, s.ci95.as_ref().and_then(|c| c.outages))),
        NON_NEGATIVE,
    ),
    (
        "sweep_failovers",
        "failovers per run",
        |s| Some((s.failovers, s.ci95.as_ref().and_then(|c| c.failovers))),
        NON_NEGATIVE,
    ),
    (
        "sweep_availability",
        "availability (requests)",
        |s| {
            s.availability
                .map(|a| (a, s.ci95.as_ref().and_then(|c| c.availability)))
        },
        FRACTION,
    ),
    (
        "sweep_latency_p99",
        "p99 latency (ms)",
        |s| s.latency_ms.as_ref().map(|l| (l.p99, None)),
        NON_NEGATIVE,
    ),
    // SPEC §8: the detection trade-off (only when heartbeats can be lost,
    // so that other sweeps keep their charts).
    (
        "sweep_detection",
        "mean detection time (s)",
        |s| {
            let i = &s.imperfect;
            let ci = s.ci95.as_ref().and_then(|c| c.imperfect.detection_s_mean);
            i.detection_s
                .as_ref()
                .filter(|_| i.lossy)
                .map(|d| (d.mean, ci))
        },
        NON_NEGATIVE,
    ),
    (
        "sweep_false_failovers",
        "false failovers per run",
        |s| {
            let ci = s.ci95.as_ref().and_then(|c| c.imperfect.false_failovers);
            s.imperfect
                .lossy
                .then_some((s.imperfect.false_failovers, ci))
        },
        NON_NEGATIVE,
    ),
];

pub fn render(
    grid: &Grid,
    points: &[Vec<(String, String)>],
    scenarios: &[Scenario],
    outcomes: &[Outcome],
) -> Result<Vec<File>> {
    let mut files = Vec::new();
    for (i, ((p, sc), o)) in points.iter().zip(scenarios).zip(outcomes).enumerate() {
        files.extend(point_files(i, p, sc, o)?);
    }
    let summaries: Vec<Summary> = scenarios
        .iter()
        .zip(outcomes)
        .map(|(sc, o)| Summary::new(sc, o))
        .collect();
    let name = scenarios.first().map_or("sweep", |s| s.name.as_str());
    files.extend(index_files(grid, points, name, &summaries)?);
    Ok(files)
}

/// Grid point `i`'s own report, under `points/<its folder>/`.
pub fn point_files(
    i: usize,
    p: &[(String, String)],
    sc: &Scenario,
    o: &Outcome,
) -> Result<Vec<File>> {
    Ok(super::render(sc, o)?
        .into_iter()
        .map(|(name, body)| (format!("points/{}/{name}", point_dir(i, p)), body))
        .collect())
}

/// `sweep.csv`, the metric charts and the page, from each point's
/// summary alone (a sweep keeps one `Summary` per point, nothing more).
pub fn index_files(
    grid: &Grid,
    points: &[Vec<(String, String)>],
    name: &str,
    summaries: &[Summary],
) -> Result<Vec<File>> {
    let mut files = Vec::new();
    files.push((
        "sweep.csv".into(),
        sweep_csv(grid, points, summaries).into_bytes(),
    ));

    // The first key is the x axis; the second, if any, one line per value.
    let (key, xs) = &grid.axes[0];
    let inner = grid.axes.get(1);
    let per_line = inner.map_or(1, |(_, v)| v.len());
    let x_axis = XAxis::of(xs);
    let mut charts = Vec::new();
    for (name, what, pick, bounds) in METRICS {
        if summaries.iter().all(|s| pick(s).is_none()) {
            continue;
        }
        let lines: Vec<Line> = (0..per_line)
            .map(|j| {
                let label = inner.map_or(what.to_string(), |(k2, v2)| format!("{k2} = {}", v2[j]));
                (
                    label,
                    (0..xs.len())
                        .map(|i| pick(&summaries[i * per_line + j]))
                        .collect(),
                )
            })
            .collect();
        let title = format!("{what} against {key}");
        charts.push(
            metric_chart(name, title, key, what, &x_axis, &lines, bounds)
                .map_err(super::internal)?,
        );
    }
    for c in &charts {
        files.push((format!("{}.svg", c.name), c.svg.clone().into_bytes()));
        files.push((format!("{}.png", c.name), c.png.clone()));
    }
    let table = html::Table {
        caption: crate::i18n::t("sweep.caption"),
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
                .map(|h| crate::i18n::t(&format!("sweep.col.{h}"))),
            )
            .collect(),
        rows: points
            .iter()
            .zip(summaries)
            .enumerate()
            .map(|(i, (p, s))| {
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
            })
            .collect(),
        note: None,
    };
    let story = vec![crate::i18n::tf(
        "sweep.story",
        &[
            &name,
            &points.len(),
            &grid
                .axes
                .iter()
                .map(|(k, v)| format!("{k} ∈ {{{}}}", v.join(", ")))
                .collect::<Vec<_>>()
                .join(" × "),
            &summaries.first().map_or(0, |s| s.seed),
            &if grid.fixed.is_empty() {
                String::new()
            } else {
                crate::i18n::tf(
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
        title: crate::i18n::tf("sweep.title", &[&name]),
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
    Ok(files)
}
