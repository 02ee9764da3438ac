//! `hasim compare`: one folder with every run's own report, `comparison.csv`
//! (one row per scenario), overlaid charts and a comparison page.

use super::charts::{compare::Compared, compare_charts};
use super::tables::{num, opt, to_csv};
use super::{html, series, File, Summary};
use crate::error::Result;
use crate::i18n::{t, tf};
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;

/// A Julian year (365.25 days) in seconds: the common period downtime is
/// normalised to, so runs of different durations compare fairly.
pub const YEAR_S: f64 = 365.25 * 86_400.0;

/// One metric column of `comparison.csv` and `sweep.csv`: its CSV name,
/// what it means in words, and its cell for one run. The CSV files and the
/// comparison page's table are both built from this one list, so a row can
/// never land under another row's label.
pub struct Column {
    pub name: &'static str,
    pub meaning: &'static str,
    pub cell: fn(&Summary) -> String,
}

/// The headline metrics of one run, in CSV column order. New columns go at
/// the end, so existing readers of the files keep their positions.
pub const METRICS: [Column; 16] = [
    Column {
        name: "uptime",
        meaning: "fraction of the measured time the service was up",
        cell: |s| num(s.uptime),
    },
    Column {
        name: "uptime_ci95",
        meaning: "95 % half-width of uptime",
        cell: |s| opt(s.ci95.as_ref().and_then(|c| c.uptime)),
    },
    Column {
        name: "nines",
        meaning: "−log10(1 − uptime); empty when never down",
        cell: |s| opt(s.nines),
    },
    Column {
        name: "downtime_s",
        meaning: "downtime per run (s), over the run's own duration",
        cell: |s| num(s.downtime_s),
    },
    Column {
        name: "downtime_s_ci95",
        meaning: "95 % half-width of downtime_s",
        cell: |s| opt(s.ci95.as_ref().and_then(|c| c.downtime_s)),
    },
    Column {
        name: "outages",
        meaning: "outages per run",
        cell: |s| num(s.outages),
    },
    Column {
        name: "outages_ci95",
        meaning: "95 % half-width of outages",
        cell: |s| opt(s.ci95.as_ref().and_then(|c| c.outages)),
    },
    Column {
        name: "mean_outage_s",
        meaning: "mean outage duration (s); empty when none",
        cell: |s| opt(s.mean_outage_s),
    },
    Column {
        name: "availability",
        meaning: "fraction of requests that succeeded; empty without a workload",
        cell: |s| opt(s.availability),
    },
    Column {
        name: "availability_ci95",
        meaning: "95 % half-width of availability",
        cell: |s| opt(s.ci95.as_ref().and_then(|c| c.availability)),
    },
    Column {
        name: "latency_p50_ms",
        meaning: "median latency of successful requests (ms)",
        cell: |s| opt(s.latency_ms.as_ref().map(|l| l.p50)),
    },
    Column {
        name: "latency_p99_ms",
        meaning: "p99 latency of successful requests (ms)",
        cell: |s| opt(s.latency_ms.as_ref().map(|l| l.p99)),
    },
    Column {
        name: "failovers",
        meaning: "failovers per run",
        cell: |s| num(s.failovers),
    },
    Column {
        name: "failovers_ci95",
        meaning: "95 % half-width of failovers",
        cell: |s| opt(s.ci95.as_ref().and_then(|c| c.failovers)),
    },
    Column {
        name: "downtime_per_year_s",
        meaning: "downtime per year (s) = (1 − uptime) × 365.25 days: comparable across durations",
        cell: |s| num(downtime_per_year_s(s)),
    },
    Column {
        name: "downtime_per_year_s_ci95",
        meaning: "95 % half-width of downtime_per_year_s",
        cell: |s| {
            opt(s
                .ci95
                .as_ref()
                .and_then(|c| c.downtime_s)
                .map(|c| per_year(s, c)))
        },
    },
];

/// Seconds measured over the run's duration, scaled to a year.
fn per_year(s: &Summary, seconds: f64) -> f64 {
    if s.duration_s > 0.0 {
        seconds / s.duration_s * YEAR_S
    } else {
        0.0
    }
}

/// Mean downtime per year of service: the run's downtime per run scaled
/// from its own duration to 365.25 days.
pub fn downtime_per_year_s(s: &Summary) -> f64 {
    per_year(s, s.downtime_s)
}

/// The names of `METRICS`, in order.
pub fn metric_header() -> impl Iterator<Item = &'static str> {
    METRICS.iter().map(|c| c.name)
}

/// The leading text columns of `comparison.csv`.
const RUN_COLUMNS: [&str; 2] = ["scenario", "architecture"];

pub fn comparison_csv(summaries: &[Summary]) -> String {
    let header: Vec<&str> = RUN_COLUMNS.into_iter().chain(metric_header()).collect();
    let rows = summaries.iter().map(|s| {
        [
            vec![s.scenario.clone(), s.architecture.clone()],
            metric_cells(s),
        ]
        .concat()
    });
    to_csv(&header, rows)
}

/// The cells of `METRICS` for one run.
pub fn metric_cells(s: &Summary) -> Vec<String> {
    METRICS.iter().map(|c| (c.cell)(s)).collect()
}

/// Whether the runs measured different durations (their downtime per run
/// then measures different periods).
pub fn durations_differ(summaries: &[Summary]) -> bool {
    summaries
        .windows(2)
        .any(|w| w[0].duration_s != w[1].duration_s)
}

/// The sentence that says how downtime is compared.
pub fn normalisation_note(summaries: &[Summary]) -> String {
    let durations: Vec<String> = summaries
        .iter()
        .map(|s| format!("{} {}", s.scenario, crate::sim::time::human_s(s.duration_s)))
        .collect();
    if durations_differ(summaries) {
        tf("compare.durations_differ", &[&durations.join(", ")])
    } else {
        t("compare.per_year")
    }
}

/// Every file of a comparison: `<name>/…` for each run, then the
/// comparison's own files.
pub fn render(scenarios: &[Scenario], outcomes: &[Outcome]) -> Result<Vec<File>> {
    render_sla(scenarios, outcomes, None)
}

/// [`render`] with an optional SLA (percent) for `differences.csv` and
/// the page (issue 11 §5).
pub fn render_sla(
    scenarios: &[Scenario],
    outcomes: &[Outcome],
    sla: Option<f64>,
) -> Result<Vec<File>> {
    let diffs = super::paired::differences(scenarios, outcomes, sla);
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
            roots: super::roots::downtime_by_root_ci(sc, o),
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
        "differences.csv".into(),
        super::paired::csv(&diffs).into_bytes(),
    ));
    files.push((
        "index.html".into(),
        page(scenarios, &summaries, &charts, &diffs).into_bytes(),
    ));
    Ok(files)
}

fn page(
    scenarios: &[Scenario],
    summaries: &[Summary],
    charts: &[super::charts::Chart],
    diffs: &[super::paired::Difference],
) -> String {
    let seed = summaries.first().map_or(0, |s| s.seed);
    let best = summaries
        .iter()
        .max_by(|a, b| a.uptime.total_cmp(&b.uptime));
    let mut story = vec![tf("compare.crn", &[&scenarios.len(), &seed])];
    if let Some(b) = best {
        story.push(tf(
            "compare.highest",
            &[
                &name_and_architecture(&b.scenario, &b.architecture),
                &format!("{:.6}", b.uptime),
                &b.nines
                    .map(|n| tf("compare.nines", &[&format!("{n:.2}")]))
                    .unwrap_or_default(),
            ],
        ));
    }
    for (sc, s) in scenarios.iter().zip(summaries) {
        story.push(tf(
            "compare.each",
            &[
                &sc.name,
                &super::story::paragraph_short(s),
                &crate::sim::time::human_s(downtime_per_year_s(s)),
            ],
        ));
    }
    story.push(normalisation_note(summaries));
    if let Some(n) = scripted_faults_note(scenarios) {
        story.push(n);
    }
    story.extend(super::paired::sentences(diffs));
    let table = side_by_side(summaries);
    let subtitle = scenarios
        .iter()
        .map(|s| name_and_architecture(&s.name, s.architecture.name()))
        .collect::<Vec<_>>()
        .join(" · ");
    let page = html::Page {
        title: t("compare.title"),
        subtitle: subtitle.clone(),
        story,
        summary: Vec::new(),
        charts,
        tables: vec![super::paired::table(diffs), table],
    }
    .render();
    // The subtitle names every scenario: make each name a link to its own
    // page (the page's text is escaped, so the links go in afterwards).
    let linked = scenarios
        .iter()
        .map(|s| {
            let name = html::esc(&s.name);
            let text = html::esc(&name_and_architecture(&s.name, s.architecture.name()));
            text.replacen(
                &name,
                &format!("<a href=\"{name}/index.html\">{name}</a>"),
                1,
            )
        })
        .collect::<Vec<_>>()
        .join(" · ");
    page.replacen(
        &format!("<p class=\"sub\">{}</p>", html::esc(&subtitle)),
        &format!("<p class=\"sub\">{linked}</p>"),
        1,
    )
}

/// "name (architecture)", or the name alone when it is the architecture.
pub fn name_and_architecture(name: &str, architecture: &str) -> String {
    if name == architecture {
        name.to_string()
    } else {
        format!("{name} ({architecture})")
    }
}

/// When a compared scenario scripts faults, its per-year figures scale
/// those one-off faults as if they recurred at the same rate: say so.
pub fn scripted_faults_note(scenarios: &[Scenario]) -> Option<String> {
    let with: Vec<&str> = scenarios
        .iter()
        .filter(|s| !s.faults.is_empty())
        .map(|s| s.name.as_str())
        .collect();
    (!with.is_empty()).then(|| tf("compare.scripted_note", &[&with.join(", ")]))
}

/// The "Side by side" table: `comparison.csv` turned on its side. One row
/// per CSV column, one column per run; every cell is the CSV cell itself
/// (numbers in shortest round-trip form, an empty cell for a null), so the
/// page and the file can never disagree.
pub fn side_by_side(summaries: &[Summary]) -> html::Table {
    let row = |name: &str, meaning: &str, cell: &dyn Fn(&Summary) -> String| {
        [name.to_string(), meaning.to_string()]
            .into_iter()
            .chain(summaries.iter().map(cell))
            .collect()
    };
    let mut rows: Vec<Vec<String>> = vec![row("architecture", &t("metric.architecture"), &|s| {
        s.architecture.clone()
    })];
    rows.extend(
        METRICS
            .iter()
            .map(|c| row(c.name, &t(&format!("metric.{}", c.name)), &c.cell)),
    );
    html::Table {
        caption: t("compare.side_by_side"),
        header: ["compare.column", "compare.what"]
            .into_iter()
            .map(t)
            .chain(summaries.iter().map(|s| s.scenario.clone()))
            .collect(),
        rows,
        note: Some(t("compare.cells_note")),
    }
}

#[cfg(test)]
mod lang_tests {
    use super::METRICS;

    /// The side-by-side table says each column's meaning from the
    /// catalogue: the same words as `METRICS`.
    #[test]
    fn metric_meanings_come_from_the_catalogue() {
        for c in METRICS.iter() {
            assert_eq!(crate::i18n::t(&format!("metric.{}", c.name)), c.meaning);
        }
    }
}
