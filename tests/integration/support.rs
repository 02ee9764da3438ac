//! Helpers shared by the integration tests: build scenarios from text, run
//! them in-process, run the `hasim` binary.

use hasim::montecarlo::{self, Outcome};
use hasim::report::Summary;
use hasim::scenario::{self, LoadOptions, Scenario};
use std::path::Path;
use std::process::{Command, Output};

pub fn scenario(text: &str) -> Scenario {
    scenario::parse(
        text,
        Path::new("test.toml"),
        "test",
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("test scenario is invalid: {e}"))
}

pub fn run(text: &str) -> (Scenario, Outcome, Summary) {
    let sc = scenario(text);
    let o = montecarlo::run(&sc);
    let s = Summary::new(&sc, &o);
    (sc, o, s)
}

/// Asserts that `exact` lies within `k` half-widths of the simulated mean
/// and that the interval is tighter than `max_ci` (so the check has teeth).
pub fn assert_covers(what: &str, sim: f64, ci95: f64, exact: f64, max_ci: f64) {
    assert!(
        ci95 <= max_ci,
        "{what}: interval ±{ci95} is wider than ±{max_ci}; the test would prove little"
    );
    // 1.7 half-widths ≈ 3.3 standard errors: fails by chance about once in 1000 runs.
    eprintln!("{what}: simulated {sim} ± {ci95}, exact {exact}");
    assert!(
        (sim - exact).abs() <= 1.7 * ci95,
        "{what}: simulated {sim} ± {ci95}, exact {exact} (off by {:.2} half-widths)",
        (sim - exact).abs() / ci95
    );
}

pub fn hasim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hasim"))
        .args(args)
        .output()
        .expect("run hasim")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The events of the first replication as (time_s, node, event) triples.
pub fn events(o: &Outcome) -> Vec<(f64, Option<u32>, &'static str)> {
    o.events
        .iter()
        .map(|e| (e.time_ns as f64 / 1e9, e.node, e.event))
        .collect()
}

/// Outages of the first replication as (start_s, end_s, cause).
pub fn outages(o: &Outcome) -> Vec<(f64, f64, String)> {
    o.outage_list
        .iter()
        .filter(|(r, _)| *r == 0)
        .map(|(_, x)| {
            (
                x.start_ns as f64 / 1e9,
                x.end_ns as f64 / 1e9,
                x.cause.describe(),
            )
        })
        .collect()
}
