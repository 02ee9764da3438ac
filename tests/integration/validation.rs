//! The validation suite of docs/validation.md, as tests, and the analytic
//! check cross-checked against the chains built by hand in `analytic.rs`.

use crate::support::{hasim, scenario};
use hasim::analytic::{analyse, Analytic};
use hasim::validation::{run, CASES};

#[test]
fn every_validation_case_agrees_with_its_exact_value() {
    assert!(CASES.len() >= 10);
    for case in &CASES {
        let row = run(case);
        assert!(row.ci95 > 0.0, "{}: no interval", case.file);
        assert!(
            (row.simulated - row.exact).abs() <= 1.7 * row.ci95,
            "{}: simulated {} ± {}, exact {}",
            case.file,
            row.simulated,
            row.ci95,
            row.exact
        );
    }
}

fn exact(text: &str) -> f64 {
    match analyse(&scenario(text)) {
        Analytic::Exact { uptime, .. } => uptime,
        Analytic::Outside(r) => panic!("no chain: {r:?}"),
    }
}

#[test]
fn the_generic_chain_matches_the_hand_built_ones() {
    // The same scenarios and values as analytic.rs builds by hand.
    let warm = exact(
        r#"
        architecture = "warm-standby"
        duration = "1h"
        [nodes]
        count = 2
        failure = { dist = "exponential", mean = "10h" }
        repair = { dist = "exponential", mean = "2h" }
        [detection]
        heartbeat = "0s"
        [failover]
        promotion = "automatic"
        switch = { dist = "exponential", mean = "30m" }
    "#,
    );
    assert!((warm - 0.925_925_925_925_925_8).abs() < 1e-12, "{warm}");
    let cold = exact(
        r#"
        architecture = "cold-standby"
        duration = "1h"
        [nodes]
        count = 2
        failure = { dist = "exponential", mean = "20h" }
        permanent = 1.0
        replace = { dist = "exponential", mean = "4h" }
        [detection]
        heartbeat = "0s"
        [failover]
        promotion = "manual"
        operator = { dist = "exponential", mean = "1h" }
        start = { dist = "exponential", mean = "30m" }
    "#,
    );
    assert!((cold - 0.912_464_219_013_063).abs() < 1e-12, "{cold}");
}

#[test]
fn check_analytic_reports_both_sides_of_its_reach() {
    let o = hasim(&[
        "check",
        "--analytic",
        "validation/05-warm-standby-automatic.toml",
        "--set",
        "replications=20",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(text.contains("exact uptime      0.92592593"), "{text}");
    assert!(text.contains("simulated uptime"), "{text}");
    let o = hasim(&["check", "--analytic", "scenarios/cold-standby.toml"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(
        text.contains("outside what the Markov chain covers"),
        "{text}"
    );
    assert!(text.contains("heartbeat = 1s"), "{text}");
    assert!(text.contains("failover.start is fixed 5m 00s"), "{text}");
}
