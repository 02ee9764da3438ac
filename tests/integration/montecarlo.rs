//! Replications at scale: precision targets, and their equivalence with a
//! plain run of the same size.

use crate::support::{hasim, stderr};
use std::fs;

const FLEET: &str = r#"
name = "fleet"
architecture = "symmetric-cluster"
duration = "365d"
[nodes]
count = 2
failure = { dist = "exponential", mean = "20d" }
repair = { dist = "exponential", mean = "2d" }
"#;

fn summary(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn a_precision_target_adds_replications_until_met() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("fleet.toml");
    fs::write(&file, FLEET).unwrap();
    let out = tmp.path().join("p");
    let o = hasim(&[
        "run",
        file.to_str().unwrap(),
        "--precision",
        "0.1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = summary(&out);
    let n = s["replications"].as_u64().unwrap();
    assert!(
        n > 10,
        "a ±10 % target on a rare outage needs more than the first 10 runs: {n}"
    );
    assert_eq!(s["precision"]["met"], true);
    let rel = s["precision"]["downtime_rel_ci95"].as_f64().unwrap();
    assert!(rel <= 0.1, "{rel}");
    let half = s["ci95"]["uptime"].as_f64().unwrap() / (1.0 - s["uptime"].as_f64().unwrap());
    assert!(
        (half - rel).abs() < 1e-12,
        "the reported precision is the summary's own interval"
    );

    // The same replications without a target give the same numbers.
    let plain = tmp.path().join("plain");
    let o = hasim(&[
        "run",
        file.to_str().unwrap(),
        "--replications",
        &n.to_string(),
        "--out",
        plain.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let mut a = summary(&out);
    a["precision"] = serde_json::Value::Null;
    assert_eq!(a, summary(&plain));
    for f in ["timeseries.csv", "outages.csv"] {
        assert!(
            fs::read(out.join(f)).unwrap() == fs::read(plain.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn a_precision_target_stops_at_the_cap() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("fleet.toml");
    fs::write(&file, FLEET).unwrap();
    let out = tmp.path().join("p");
    let o = hasim(&[
        "run",
        file.to_str().unwrap(),
        "--precision",
        "0.001",
        "--max-replications",
        "25",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = summary(&out);
    assert_eq!(s["replications"], 25);
    assert_eq!(s["precision"]["met"], false);
    assert!(String::from_utf8_lossy(&o.stdout).contains("NOT met"));
}

#[test]
fn bad_precision_is_refused() {
    for bad in ["0", "1.5", "-0.1"] {
        let o = hasim(&["run", "scenarios/cold-standby.toml", "--precision", bad]);
        assert_eq!(o.status.code(), Some(2), "--precision {bad}");
        assert!(stderr(&o).contains("precision"));
    }
}
