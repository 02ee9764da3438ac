//! Reports: the only code that writes output files. A run's folder is built
//! in a temporary sibling and renamed into place at the end, so a failure
//! never leaves half-written output.

pub mod charts;
pub mod compare;
pub mod html;
pub mod series;
pub mod story;
pub mod summary;
pub mod sweep;
pub mod tables;
pub mod words;

use crate::error::{Error, Result};
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;
use crate::sim::time::{human, human_s};
use std::path::{Path, PathBuf};

pub use summary::Summary;

/// An output file: its name and its bytes.
pub type File = (String, Vec<u8>);

fn internal(e: String) -> Error {
    Error::io("drawing a chart", std::io::Error::other(e))
}

/// Every file of one run, in memory: SPEC §4's files, the charts and
/// `index.html`.
pub fn render(sc: &Scenario, o: &Outcome) -> Result<Vec<File>> {
    let summary = Summary::new(sc, o);
    let rows = series::windows(sc, o);
    let charts = charts::run_charts(sc, o, &rows).map_err(internal)?;
    let mut files: Vec<File> = vec![
        ("summary.json".into(), summary.to_json().into_bytes()),
        (
            "timeseries.csv".into(),
            tables::timeseries(&rows).into_bytes(),
        ),
        ("events.csv".into(), tables::events(o).into_bytes()),
        ("outages.csv".into(), tables::outages(o).into_bytes()),
    ];
    for c in &charts {
        files.push((format!("{}.svg", c.name), c.svg.clone().into_bytes()));
        files.push((format!("{}.png", c.name), c.png.clone()));
    }
    files.push((
        "index.html".into(),
        run_page(sc, &summary, o, &charts).into_bytes(),
    ));
    Ok(files)
}

fn ci(v: Option<f64>) -> String {
    v.map(|c| format!(" ± {}", tables::num(round_sig(c, 3))))
        .unwrap_or_default()
}

fn round_sig(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let p = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    (x * p).round() / p
}

/// The summary table rows shown on the pages.
pub fn summary_rows(s: &Summary) -> Vec<(String, String)> {
    let c = s.ci95.as_ref();
    let mut rows = vec![
        (
            "uptime".into(),
            format!("{:.6}{}", s.uptime, ci(c.and_then(|c| c.uptime))),
        ),
        (
            "nines".into(),
            s.nines
                .map_or("∞ (never down)".into(), |n| format!("{n:.2}")),
        ),
        (
            "downtime per run".into(),
            format!(
                "{}{}",
                human_s(s.downtime_s),
                c.and_then(|c| c.downtime_s)
                    .map(|d| format!(" ± {}", human_s(d)))
                    .unwrap_or_default()
            ),
        ),
        (
            "outages per run".into(),
            format!(
                "{}{}",
                tables::num(s.outages),
                ci(c.and_then(|c| c.outages))
            ),
        ),
        (
            "mean outage".into(),
            s.mean_outage_s.map_or("-".into(), human_s),
        ),
        (
            "failovers per run".into(),
            format!(
                "{}{}",
                tables::num(s.failovers),
                ci(c.and_then(|c| c.failovers))
            ),
        ),
    ];
    for (class, up) in &s.uptime_by_class.0 {
        if s.uptime_by_class.0.len() > 1 {
            rows.push((format!("uptime of class {class}"), format!("{up:.6}")));
        }
    }
    if let (Some(a), Some(r)) = (s.availability, &s.requests) {
        rows.push((
            "availability (requests)".into(),
            format!("{a:.6}{}", ci(c.and_then(|c| c.availability))),
        ));
        rows.push((
            "requests offered / failed".into(),
            format!("{} / {}", r.offered, r.failed),
        ));
        rows.push((
            "timed out / rejected / errored / retries".into(),
            format!(
                "{} / {} / {} / {}",
                r.timed_out, r.rejected, r.errored, r.retries
            ),
        ));
    }
    if let Some(l) = &s.latency_ms {
        rows.push((
            "latency mean / p50 / p99 / max (ms)".into(),
            format!("{:.3} / {:.3} / {:.3} / {:.3}", l.mean, l.p50, l.p99, l.max),
        ));
    }
    rows.push((
        "replications, seed".into(),
        format!("{}, {}", s.replications, s.seed),
    ));
    rows
}

const MAX_ROWS: usize = 200;

fn run_page(sc: &Scenario, s: &Summary, o: &Outcome, charts: &[charts::Chart]) -> String {
    let outages: Vec<Vec<String>> = o
        .outage_list
        .iter()
        .take(MAX_ROWS)
        .map(|(r, x)| {
            vec![
                r.to_string(),
                human(x.start_ns),
                human(x.duration_ns()),
                x.cause.describe(),
                if x.censored {
                    "yes".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let events: Vec<Vec<String>> = o
        .events
        .iter()
        .take(MAX_ROWS)
        .map(|e| {
            vec![
                human(e.time_ns),
                e.node.map(|n| n.to_string()).unwrap_or_default(),
                e.event.to_string(),
                e.detail.clone(),
            ]
        })
        .collect();
    let more = |n: usize, what: &str, file: &str| {
        (n > MAX_ROWS).then(|| format!("The first {MAX_ROWS} of {n} {what}; all are in {file}."))
    };
    html::Page {
        title: sc.name.clone(),
        subtitle: format!("{} · {}", sc.architecture.name(), sc.description),
        story: story::paragraph(sc, s, o),
        summary: summary_rows(s),
        charts,
        tables: vec![
            html::Table {
                caption: "Outages".into(),
                header: ["run", "start", "duration", "cause", "still down at the end"]
                    .map(String::from)
                    .to_vec(),
                rows: outages,
                note: more(o.outage_list.len(), "outages", "outages.csv"),
            },
            html::Table {
                caption: "Events of the first run".into(),
                header: ["time", "node", "event", "detail"]
                    .map(String::from)
                    .to_vec(),
                rows: events,
                note: more(o.events.len(), "events", "events.csv"),
            },
        ],
    }
    .render()
}

/// Writes `files` into `dir` atomically: a temporary sibling folder is
/// filled, then renamed over `dir`.
pub fn write_dir(dir: &Path, files: &[File]) -> Result<()> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp: PathBuf = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = (|| {
        std::fs::create_dir(&tmp)
            .map_err(|e| Error::io(format!("cannot create {}", tmp.display()), e))?;
        for (file, body) in files {
            let p = tmp.join(file);
            if let Some(sub) = p.parent() {
                std::fs::create_dir_all(sub)
                    .map_err(|e| Error::io(format!("cannot create {}", sub.display()), e))?;
            }
            std::fs::write(&p, body)
                .map_err(|e| Error::io(format!("cannot write {}", p.display()), e))?;
        }
        if dir.exists() {
            std::fs::remove_dir_all(dir)
                .map_err(|e| Error::io(format!("cannot replace {}", dir.display()), e))?;
        }
        std::fs::rename(&tmp, dir)
            .map_err(|e| Error::io(format!("cannot move output into {}", dir.display()), e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}
