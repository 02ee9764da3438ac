//! The command line and the output contract of SPEC §4–5: file names,
//! summary keys, CSV headers, precedence of flags over `--set` over the file.

use crate::support::{hasim, stderr};
use std::fs;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn check_validates_every_bundled_scenario() {
    let files: Vec<String> = fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".toml"))
        .collect();
    assert!(files.len() >= 5, "one scenario per architecture at least");
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let o = hasim(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().filter(|l| l.starts_with("ok")).count(),
        files.len()
    );
}

#[test]
fn run_writes_the_spec_files_with_the_spec_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let o = hasim(&[
        "run",
        "scenarios/symmetric-cluster.toml",
        "--replications",
        "2",
        "--set",
        "duration=10m",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = fs::read_to_string(out.join("summary.json")).unwrap();
    let summary: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Keys in SPEC §4 order: each one found after the one before.
    let mut at = 0;
    for k in [
        "scenario",
        "architecture",
        "seed",
        "replications",
        "duration_s",
        "uptime",
        "uptime_by_class",
        "availability",
        "downtime_s",
        "outages",
        "mean_outage_s",
        "nines",
        "failovers",
        "requests",
        "offered",
        "succeeded",
        "failed",
        "timed_out",
        "rejected",
        "errored",
        "retries",
        "latency_ms",
        "mean",
        "p50",
        "p90",
        "p99",
        "p999",
        "max",
        "ci95",
        "uptime",
        "availability",
        "downtime_s",
        "outages",
        "failovers",
        "latency_ms_mean",
        // SPEC §8: 95 % half-widths of the new means.
        "false_markdowns",
        "false_failovers",
        "split_brain_s",
        "detection_s_mean",
        "downtime_breakdown_s",
        "overrides",
        // SPEC §8 keys.
        "false_markdowns",
        "false_failovers",
        "split_brain_s",
        "detection_s",
        "downtime_breakdown_s",
        "detection",
        "decision",
        "fencing",
        "start",
        "switch",
        "repair",
    ] {
        let pos = text[at..]
            .find(&format!("\"{k}\":"))
            .unwrap_or_else(|| panic!("`{k}` missing or out of order in {text}"));
        at += pos + 1;
    }
    assert_eq!(summary["overrides"]["duration"], "10m");
    assert_eq!(summary["duration_s"], 600.0);
    assert_eq!(summary["replications"], 2);
    let r = &summary["requests"];
    assert_eq!(
        r["offered"].as_u64().unwrap(),
        r["succeeded"].as_u64().unwrap() + r["failed"].as_u64().unwrap()
    );

    let first_line = |f: &str| {
        fs::read_to_string(out.join(f))
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        first_line("timeseries.csv"),
        "window_start_s,window_end_s,uptime,availability,offered,succeeded,failed,latency_p50_ms,latency_p99_ms,uptime_ci95,availability_ci95"
    );
    assert_eq!(first_line("events.csv"), "time_s,node,event,detail");
    assert_eq!(
        first_line("outages.csv"),
        // SPEC §8 appends one column per outage phase.
        "replication,start_s,end_s,duration_s,censored,cause,detection,decision,fencing,start,switch,repair,root"
    );
    // window = 1m over 10 minutes: 10 rows.
    assert_eq!(
        fs::read_to_string(out.join("timeseries.csv"))
            .unwrap()
            .lines()
            .count(),
        11
    );
}

#[test]
fn state_only_runs_have_null_request_metrics() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("fleet.toml");
    fs::write(
        &file,
        "architecture = \"symmetric-cluster\"\nduration = \"1y\"\n[nodes]\ncount = 3\nfailure = \"30d\"\nrepair = \"4h\"\n".replace("1y", "365d"),
    )
    .unwrap();
    let out = tmp.path().join("o");
    let o = hasim(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert!(s["availability"].is_null());
    assert!(s["requests"].is_null());
    assert!(s["latency_ms"].is_null());
    assert!(s["ci95"].is_null(), "one replication: no interval");
    assert_eq!(s["scenario"], "fleet", "the name defaults to the file stem");
    // The three nodes fail in lock-step (fixed times): one 4 h outage every 30 d 4 h.
    assert!(s["outages"].as_f64().unwrap() >= 12.0);
    let row = fs::read_to_string(out.join("timeseries.csv"))
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .to_string();
    assert!(row.contains(",,,,,,"), "request cells are empty: {row}");
}

#[test]
fn flags_beat_set_which_beats_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let o = hasim(&[
        "run",
        "scenarios/asymmetric-cluster.toml",
        "--set",
        "seed=5",
        "--set",
        "replications=3",
        "--set",
        "duration=5m",
        "--replications",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(s["seed"], 5, "--set beats the file");
    assert_eq!(s["replications"], 2, "--replications beats --set");
    let o = hasim(&[
        "run",
        "scenarios/asymmetric-cluster.toml",
        "--set",
        "seed=5",
        "--seed",
        "9",
        "--set",
        "duration=5m",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let s: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(s["seed"], 9, "--seed beats --set");
}

#[test]
fn several_scenarios_write_one_folder_each() {
    let tmp = tempfile::tempdir().unwrap();
    let o = hasim(&[
        "run",
        "scenarios/cold-standby.toml",
        "scenarios/warm-standby.toml",
        "--set",
        "duration=30d",
        "--set",
        "window=1d",
        "--replications",
        "1",
        "--out",
        tmp.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for name in ["cold-standby", "warm-standby"] {
        assert!(
            tmp.path().join(name).join("summary.json").exists(),
            "{name}"
        );
    }
    assert!(stdout(&o).contains("uptime"), "{}", stdout(&o));
}

#[test]
fn a_bad_scenario_among_good_ones_runs_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.toml");
    fs::write(&bad, "architecture = \"warm-standby\"\n").unwrap();
    let out = tmp.path().join("out");
    let o = hasim(&[
        "run",
        "scenarios/cold-standby.toml",
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists(), "validation comes before any run");
}
