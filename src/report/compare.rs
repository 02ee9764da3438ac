//! `hasim compare`: one folder with every run's own report, `comparison.csv`
//! (one row per scenario), overlaid charts and a comparison page.

use super::charts::{compare::Compared, compare_charts};
use super::tables::{num, opt, to_csv};
use super::{html, series, summary_rows, File, Summary};
use crate::error::Result;
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;

pub const COMPARISON_HEADER: [&str; 16] = [
    "scenario",
    "architecture",
    METRIC_HEADER[0],
    METRIC_HEADER[1],
    METRIC_HEADER[2],
    METRIC_HEADER[3],
    METRIC_HEADER[4],
    METRIC_HEADER[5],
    METRIC_HEADER[6],
    METRIC_HEADER[7],
    METRIC_HEADER[8],
    METRIC_HEADER[9],
    METRIC_HEADER[10],
    METRIC_HEADER[11],
    METRIC_HEADER[12],
    METRIC_HEADER[13],
];

/// The headline metrics of one run as CSV columns (comparison and sweep).
pub const METRIC_HEADER: [&str; 14] = [
    "uptime",
    "uptime_ci95",
    "nines",
    "downtime_s",
    "downtime_s_ci95",
    "outages",
    "outages_ci95",
    "mean_outage_s",
    "availability",
    "availability_ci95",
    "latency_p50_ms",
    "latency_p99_ms",
    "failovers",
    "failovers_ci95",
];

pub fn comparison_csv(summaries: &[Summary]) -> String {
    let rows = summaries.iter().map(|s| {
        [
            vec![s.scenario.clone(), s.architecture.clone()],
            metric_cells(s),
        ]
        .concat()
    });
    to_csv(&COMPARISON_HEADER, rows)
}

/// The cells of `METRIC_HEADER` for one run.
pub fn metric_cells(s: &Summary) -> Vec<String> {
    let ci = s.ci95.as_ref();
    vec![
        num(s.uptime),
        opt(ci.and_then(|c| c.uptime)),
        opt(s.nines),
        num(s.downtime_s),
        opt(ci.and_then(|c| c.downtime_s)),
        num(s.outages),
        opt(ci.and_then(|c| c.outages)),
        opt(s.mean_outage_s),
        opt(s.availability),
        opt(ci.and_then(|c| c.availability)),
        opt(s.latency_ms.as_ref().map(|l| l.p50)),
        opt(s.latency_ms.as_ref().map(|l| l.p99)),
        num(s.failovers),
        opt(ci.and_then(|c| c.failovers)),
    ]
}

/// Every file of a comparison: `<name>/…` for each run, then the
/// comparison's own files.
pub fn render(scenarios: &[Scenario], outcomes: &[Outcome]) -> Result<Vec<File>> {
    let mut files = Vec::new();
    for (sc, o) in scenarios.iter().zip(outcomes) {
        for (name, body) in super::render(sc, o)? {
            files.push((format!("{}/{name}", sc.name), body));
        }
    }
    let summaries: Vec<Summary> = scenarios
        .iter()
        .zip(outcomes)
        .map(|(sc, o)| Summary::new(sc, o))
        .collect();
    let rows: Vec<Vec<series::WindowRow>> = scenarios
        .iter()
        .zip(outcomes)
        .map(|(sc, o)| series::windows(sc, o))
        .collect();
    let runs: Vec<Compared> = scenarios
        .iter()
        .zip(outcomes)
        .zip(&summaries)
        .zip(&rows)
        .map(|(((sc, o), s), r)| Compared {
            name: &sc.name,
            summary: s,
            rows: r,
            horizon_s: sc.horizon_ns() as f64 / 1e9,
            latency_cdf: series::latency_cdf(o),
        })
        .collect();
    let charts = compare_charts(&runs).map_err(super::internal)?;
    files.push((
        "comparison.csv".into(),
        comparison_csv(&summaries).into_bytes(),
    ));
    for c in &charts {
        files.push((format!("{}.svg", c.name), c.svg.clone().into_bytes()));
        files.push((format!("{}.png", c.name), c.png.clone()));
    }
    files.push((
        "index.html".into(),
        page(scenarios, &summaries, &charts).into_bytes(),
    ));
    Ok(files)
}

fn page(scenarios: &[Scenario], summaries: &[Summary], charts: &[super::charts::Chart]) -> String {
    let seed = summaries.first().map_or(0, |s| s.seed);
    let best = summaries
        .iter()
        .max_by(|a, b| a.uptime.total_cmp(&b.uptime));
    let mut story = vec![format!(
        "{} scenarios, all run with seed {seed}: where they share [nodes], every node fails and recovers at the same moments in every scenario, so the differences below come from the architecture, detection and failover alone.",
        scenarios.len()
    )];
    if let Some(b) = best {
        story.push(format!(
            "Highest uptime: {} ({}), {:.6}{}.",
            b.scenario,
            b.architecture,
            b.uptime,
            b.nines
                .map(|n| format!(", {n:.2} nines"))
                .unwrap_or_default()
        ));
    }
    for (sc, s) in scenarios.iter().zip(summaries) {
        story.push(format!("{}: {}", sc.name, super::story::paragraph_short(s)));
    }
    let header: Vec<String> = summary_rows(&summaries[0])
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let table = html::Table {
        caption: "Side by side".into(),
        header: std::iter::once("metric".to_string())
            .chain(scenarios.iter().map(|s| s.name.clone()))
            .collect(),
        rows: header
            .iter()
            .enumerate()
            .map(|(i, k)| {
                std::iter::once(k.clone())
                    .chain(summaries.iter().map(|s| {
                        summary_rows(s)
                            .get(i)
                            .map(|r| r.1.clone())
                            .unwrap_or_default()
                    }))
                    .collect()
            })
            .collect(),
        note: Some(
            "Each run's own report (charts, outages, events) is in its folder: <name>/index.html."
                .into(),
        ),
    };
    html::Page {
        title: "Comparison".into(),
        subtitle: scenarios
            .iter()
            .map(|s| format!("{} ({})", s.name, s.architecture.name()))
            .collect::<Vec<_>>()
            .join(" · "),
        story,
        summary: Vec::new(),
        charts,
        tables: vec![table],
    }
    .render()
}
