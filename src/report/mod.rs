//! Reports: the only code that writes output files. `output` owns the disk:
//! a run's folder is built in a temporary sibling and swapped into place at
//! the end, so a failure never leaves half-written output, and nothing that
//! hasim did not write is ever replaced.

pub mod charts;
pub mod compare;
pub mod html;
pub mod imperfect;
pub mod output;
pub mod paired;
pub mod player;
pub mod roots;
pub mod series;
pub mod story;
pub mod summary;
pub mod sweep;
pub mod sweep_stream;
pub mod tables;
pub mod words;

use crate::error::{Error, Result};
use crate::i18n::{t, tf};
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;
use crate::sim::time::{human, human_s};

pub use summary::Summary;

/// An output file: its name and its bytes.
pub type File = (String, Vec<u8>);

fn internal(e: String) -> Error {
    Error::io("drawing a chart", std::io::Error::other(e))
}

/// Every file of one run, in memory: SPEC §4's files, the charts and
/// `index.html`.
pub fn render(sc: &Scenario, o: &Outcome) -> Result<Vec<File>> {
    render_files(sc, o, true)
}

/// Writes a run's files into `dir`; `outages.csv` is streamed from disk
/// when the run spilled its outages there, so it never sits in memory, and
/// so is `events.csv` when replication 0's events went past the memory
/// trace (`hasim run --events`).
pub fn write_run(dir: &output::OutDir, sc: &Scenario, o: &Outcome) -> Result<()> {
    let files = render_files(sc, o, false)?;
    if o.outage_spill.is_none() && o.event_spill.is_none() {
        return dir.write(&files);
    }
    let names = roots::domain_names(sc);
    let outages = |w: &mut dyn std::io::Write| tables::write_outages(o, &names, w);
    let events = |w: &mut dyn std::io::Write| tables::write_events(o, w);
    let mut streamed: Vec<output::Streamed> = Vec::new();
    if o.outage_spill.is_some() {
        streamed.push(("outages.csv", &outages));
    }
    if o.event_spill.is_some() {
        streamed.push(("events.csv", &events));
    }
    dir.write_streamed(&files, &streamed)?;
    spill_error(o)
}

/// A failed write or read of the outage spill file, as an error.
fn spill_error(o: &Outcome) -> Result<()> {
    match o.outage_spill.as_ref().and_then(|s| s.error.as_ref()) {
        Some(e) => Err(Error::io(
            "keeping outages in a temporary file",
            std::io::Error::new(e.kind(), e.to_string()),
        )),
        None => Ok(()),
    }
}

/// Every file in memory (`all`), or all but those `write_run` streams.
fn render_files(sc: &Scenario, o: &Outcome, all: bool) -> Result<Vec<File>> {
    let with_outages = all || o.outage_spill.is_none();
    spill_error(o)?;
    let summary = Summary::new(sc, o);
    let rows = series::windows(sc, o);
    let charts = charts::run_charts(sc, o, &rows).map_err(internal)?;
    let mut files: Vec<File> = vec![
        ("summary.json".into(), summary.to_json().into_bytes()),
        (
            "timeseries.csv".into(),
            tables::timeseries(&rows).into_bytes(),
        ),
    ];
    if all || o.event_spill.is_none() {
        let mut events = Vec::new();
        tables::write_events(o, &mut events)
            .map_err(|e| Error::io("reading events from a temporary file", e))?;
        files.push(("events.csv".into(), events));
    }
    if with_outages {
        files.push((
            "outages.csv".into(),
            tables::outages(o, &roots::domain_names(sc)).into_bytes(),
        ));
    }
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
    v.map(|c| format!(" ± {}{}", tables::num(round_sig(c, 3)), zero_spread(c)))
        .unwrap_or_default()
}

/// A zero half-width is not certainty: every run gave the same value
/// (pages only; summary.json keeps the number).
fn zero_spread(half_width: f64) -> String {
    if half_width == 0.0 {
        t("row.identical")
    } else {
        String::new()
    }
}

/// The downtime's ± on a page: when no run was ever down, the rule of
/// three bounds the outage rate instead of a "± 0s".
fn downtime_ci(s: &Summary, half_width: Option<f64>) -> String {
    match half_width {
        Some(_) if s.downtime_s == 0.0 && s.replications > 0 && s.duration_s > 0.0 => {
            let b = summary::NoOutageBound::new(s.replications, s.duration_s);
            tf(
                "row.no_outage_seen",
                &[
                    &human_s(b.observed_s),
                    &tables::num(round_sig(b.outages_per_year_upper95, 3)),
                ],
            )
        }
        Some(d) => format!(" ± {}{}", human_s(d), zero_spread(d)),
        None => String::new(),
    }
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
            t("row.uptime"),
            format!("{:.6}{}", s.uptime, ci(c.and_then(|c| c.uptime))),
        ),
        (
            t("row.nines"),
            s.nines.map_or(t("row.never_down"), |n| format!("{n:.2}")),
        ),
        (
            t("row.downtime"),
            format!(
                "{}{}",
                human_s(s.downtime_s),
                downtime_ci(s, c.and_then(|c| c.downtime_s))
            ),
        ),
        (
            t("row.outages"),
            format!(
                "{}{}",
                tables::num(s.outages),
                ci(c.and_then(|c| c.outages))
            ),
        ),
        (
            t("row.mean_outage"),
            s.mean_outage_s.map_or("-".into(), human_s),
        ),
        (
            t("row.failovers"),
            format!(
                "{}{}",
                tables::num(s.failovers),
                ci(c.and_then(|c| c.failovers))
            ),
        ),
    ];
    for (class, up) in &s.uptime_by_class.0 {
        if s.uptime_by_class.0.len() > 1 {
            rows.push((tf("row.class_uptime", &[&class]), format!("{up:.6}")));
        }
    }
    if let (Some(a), Some(r)) = (s.availability, &s.requests) {
        rows.push((
            t("row.availability"),
            format!("{a:.6}{}", ci(c.and_then(|c| c.availability))),
        ));
        rows.push((t("row.requests"), format!("{} / {}", r.offered, r.failed)));
        rows.push((
            t("row.failures"),
            format!(
                "{} / {} / {} / {}",
                r.timed_out, r.rejected, r.errored, r.retries
            ),
        ));
    }
    if let Some(l) = &s.latency_ms {
        rows.push((
            t("row.latency"),
            format!("{:.3} / {:.3} / {:.3} / {:.3}", l.mean, l.p50, l.p99, l.max),
        ));
    }
    if let Some(p) = &s.precision {
        let text = match (&p.no_outage, p.downtime_rel_ci95) {
            (Some(b), _) => tf(
                "row.precision_no_outage",
                &[
                    &p.target,
                    &human_s(b.observed_s),
                    &tables::num(round_sig(b.outages_per_year_upper95, 3)),
                ],
            ),
            (None, d) => tf(
                "row.precision_met",
                &[
                    &p.target,
                    &t(if p.met { "row.met" } else { "row.not_met" }),
                    &d.map_or(t("row.unknown"), |d| tables::num(round_sig(d, 3))),
                ],
            ),
        };
        rows.push((t("row.precision"), text));
    }
    rows.push((
        t("row.replications"),
        format!("{}, {}", s.replications, s.seed),
    ));
    rows
}

const MAX_ROWS: usize = 200;

/// Where the first run's drawn record stops, when it was cut (issue 8 §2):
/// the node views past `VIEW_CAP` changes, or the service row past the
/// outages held in memory.
pub fn trace_cut_ns(o: &Outcome) -> Option<u64> {
    use crate::metrics::views;
    let nodes = views::drawn(&o.views).1;
    let service = views::outages_known_until(&o.outage_list, o.outage_spill.is_some());
    nodes.into_iter().chain(service).min()
}

/// The page's sentence for a cut record, and where the events are.
fn trace_cut_note(o: &Outcome) -> Option<String> {
    let (rows, file_cut) = crate::metrics::event_log::file_rows(o);
    let memory_cut = o
        .events
        .last()
        .filter(|e| e.event == crate::model::TRACE_CUT)
        .map(|e| e.time_ns);
    let events = match (file_cut, o.event_spill.is_some()) {
        (Some(t), _) => format!(
            "events.csv lists the first {} events, to t = {} (hasim run --events N writes the first N, --events all every one)",
            rows - 1,
            crate::explain::clock(t)
        ),
        (None, true) => format!(
            "events.csv lists all {rows} events; the page and the replay show the first {}",
            crate::model::TRACE_CAP
        ),
        (None, false) => "the full event list is in events.csv".to_string(),
    };
    let Some(cut) = trace_cut_ns(o) else {
        // The drawn record is whole; only the event list was cut.
        return memory_cut.map(|t| match (file_cut, o.event_spill.is_some()) {
            (None, true) => format!(
                "The page and the replay show the first run's first {} events, to t = {}; events.csv lists all {rows}.",
                crate::model::TRACE_CAP,
                crate::explain::clock(t)
            ),
            _ => format!(
                "The first run's event list was cut at t = {}: {events}.",
                crate::explain::clock(t)
            ),
        });
    };
    Some(format!(
        "The trace was cut at t = {}: the timeline draws the first run's first {} node state changes and nothing after them; {events}.",
        crate::explain::clock(cut),
        crate::metrics::views::VIEW_CAP
    ))
}

fn run_page(sc: &Scenario, s: &Summary, o: &Outcome, charts: &[charts::Chart]) -> String {
    let outages: Vec<Vec<String>> = o
        .outage_list
        .iter()
        .take(MAX_ROWS)
        .map(|(r, x)| {
            vec![
                r.to_string(),
                crate::explain::clock(x.start_ns),
                human(x.duration_ns()),
                x.cause.describe(),
                if x.censored {
                    t("page.yes")
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    // An empty table would show only its header: say why (issue 12 review).
    let mut outages = outages;
    if outages.is_empty() {
        outages.push(vec![
            t("page.no_outage"),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    let events: Vec<Vec<String>> = o
        .events
        .iter()
        .take(MAX_ROWS)
        .map(|e| {
            vec![
                crate::explain::clock(e.time_ns),
                e.node.map(|n| n.to_string()).unwrap_or_default(),
                e.event.to_string(),
                e.detail.clone(),
            ]
        })
        .collect();
    let more = |n: usize, what: &str, file: &str| {
        (n > MAX_ROWS).then(|| tf("page.more", &[&MAX_ROWS, &n, &t(what), &file]))
    };
    let mut page = html::Page {
        title: sc.name.clone(),
        subtitle: format!(
            "{} · {}",
            crate::i18n::arch(crate::i18n::lang(), sc.architecture.name()),
            sc.description
        ),
        story: story::paragraph(sc, s, o)
            .into_iter()
            .chain(trace_cut_note(o))
            .collect(),
        summary: summary_rows(s),
        charts,
        tables: vec![
            html::Table {
                caption: t("page.outages"),
                header: ["run", "start", "duration", "cause", "still_down"]
                    .map(|h| t(&format!("col.{h}")))
                    .to_vec(),
                rows: outages,
                note: more(o.total_outages as usize, "page.outages_word", "outages.csv"),
            },
            html::Table {
                caption: t("page.events"),
                header: ["time", "node", "event", "detail"]
                    .map(|h| t(&format!("col.{h}")))
                    .to_vec(),
                rows: events,
                note: more(
                    crate::metrics::event_log::file_rows(o).0 as usize,
                    "page.events_word",
                    "events.csv",
                ),
            },
        ],
    }
    .render();
    // The replay player goes before the tables (issue 11 §3).
    let player = player::section(sc, o);
    match page.find("<h2>") {
        Some(i) => page.insert_str(i, &player),
        None => page = page.replace("<footer>", &format!("{player}<footer>")),
    }
    page
}
