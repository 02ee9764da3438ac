//! `hasim compare`: paired differences against the first scenario, downtime
//! per year and an SLA budget (issue 11 §5).

use crate::support::{hasim, scenario, stderr};
use hasim::model::{simulate, RunOptions};
use hasim::montecarlo;
use hasim::report::paired::{budget_per_year_s, differences};
use std::fs;

const YEAR_S: f64 = 365.25 * 86_400.0;

/// Random failures (so the runs' own intervals are wide), ten replications.
fn random(name: &str, arch: &str, promotion: &str) -> String {
    format!(
        "name = \"{name}\"\narchitecture = \"{arch}\"\nduration = \"20d\"\nwindow = \"1d\"\nreplications = 10\nseed = 7\n\
         [nodes]\ncount = 2\nfailure = {{ dist = \"exponential\", mean = \"2d\" }}\n\
         repair = {{ dist = \"exponential\", mean = \"2h\" }}\n\
         [failover]\npromotion = \"{promotion}\"\noperator = \"10m\"\nswitch = \"30s\"\n"
    )
}

/// A scenario against a copy of itself: every replication draws the same
/// history, so every paired difference is exactly 0 and so is the
/// interval, although each run alone has a wide one.
#[test]
fn a_scenario_against_itself_differs_by_exactly_zero() {
    let a = scenario(&random("a", "warm-standby", "manual"));
    let b = scenario(&random("b", "warm-standby", "manual"));
    let oa = montecarlo::run(&a);
    let ob = montecarlo::run(&b);
    assert!(oa.uptime.ci95().unwrap() > 1e-4, "the run has spread");
    let d = differences(&[a, b], &[oa, ob], None);
    assert_eq!(d[1].paired, 10);
    assert_eq!(d[1].diff_per_year_s, 0.0);
    assert_eq!(d[1].diff_ci95, Some(0.0));
}

/// The paired mean and interval, recomputed from each replication run on
/// its own (replication r's seed derives from (seed, r)): d_r = (up_A,r −
/// up_B,r) × year, mean ± t(0.975, 9) s/√10 with t = 2.262157 (tables).
#[test]
fn paired_interval_is_student_t_over_replication_differences() {
    let a = scenario(&random("a", "warm-standby", "manual"));
    let b = scenario(&random("b", "warm-standby", "automatic"));
    let (oa, ob) = (montecarlo::run(&a), montecarlo::run(&b));
    let d: Vec<f64> = (0..10)
        .map(|r| {
            let up = |sc| {
                let opts = RunOptions {
                    replication: r,
                    trace: false,
                };
                simulate(sc, opts).uptime()
            };
            (up(&a) - up(&b)) * YEAR_S
        })
        .collect();
    let mean = d.iter().sum::<f64>() / 10.0;
    let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 9.0).sqrt();
    let half = 2.262157 * sd / 10f64.sqrt();
    let apart =
        (oa.uptime.ci95().unwrap().powi(2) + ob.uptime.ci95().unwrap().powi(2)).sqrt() * YEAR_S;
    let got = &differences(&[a, b], &[oa, ob], Some(99.95))[1];
    assert!(
        (got.diff_per_year_s - mean).abs() <= 1e-6 * mean.abs().max(1.0),
        "{got:?} vs {mean}"
    );
    let ci = got.diff_ci95.unwrap();
    assert!((ci - half).abs() <= 1e-4 * half, "{ci} vs {half}");
    // Automatic promotion saves downtime, and the difference is tighter
    // than the two runs' own intervals combined (common random numbers).
    assert!(mean < 0.0, "automatic promotion is down less: {mean}");
    assert!(half < apart, "paired {half} s vs unpaired {apart} s");
    // The SLA: 99.95 % of a year leaves 0.0005 × 31 557 600 s = 15 778.8 s.
    let (p, budget, share) = got.sla.unwrap();
    assert_eq!(p, 99.95);
    assert!((budget - 15_778.8).abs() < 1e-6);
    assert!((share - got.downtime_per_year_s / 15_778.8).abs() < 1e-12);
    assert!((budget_per_year_s(99.0) - 315_576.0).abs() < 1e-6);
}

/// The CLI prints the differences and the SLA share and writes
/// differences.csv; a bad --sla is refused with status 2 before anything
/// runs.
#[test]
fn compare_writes_differences_and_sla_share() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a.toml"), tmp.path().join("b.toml"));
    fs::write(&a, random("a", "warm-standby", "manual")).unwrap();
    fs::write(&b, random("b", "warm-standby", "automatic")).unwrap();
    let out = tmp.path().join("cmp");
    let args = |sla: &str| {
        hasim(&[
            "compare",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--sla",
            sla,
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let bad = args("100");
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--sla 99.95"), "{}", stderr(&bad));
    assert!(!out.exists());
    let o = args("99.95");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("b: ")
            && text.contains("against a: ")
            && text.contains("SLA 99.95 % allows 4h 22m"),
        "{text}"
    );
    let csv = fs::read_to_string(out.join("differences.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert_eq!(rows[0][4], "downtime_per_year_s_diff");
    assert_eq!(rows[1][4], "0.0", "the baseline against itself");
    assert_eq!(rows[2][9], "15778.8");
    let cmp = fs::read_to_string(out.join("comparison.csv")).unwrap();
    let dpy = |csv: &str, row: usize, col: &str| -> f64 {
        let lines: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
        let i = lines[0].iter().position(|c| *c == col).unwrap();
        lines[row][i].parse().unwrap()
    };
    // Linearity: the mean of the differences is the difference of the means.
    let want = dpy(&cmp, 2, "downtime_per_year_s") - dpy(&cmp, 1, "downtime_per_year_s");
    let got = dpy(&csv, 2, "downtime_per_year_s_diff");
    assert!(
        (got - want).abs() <= 1e-6 * want.abs().max(1.0),
        "{got} vs {want}"
    );
    let page = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(page.contains("Against the first scenario (differences.csv)"));
}
