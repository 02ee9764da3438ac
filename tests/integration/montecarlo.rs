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
    assert!(s["precision"]["no_outage"].is_null(), "outages were seen");
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

fn read_dir_bytes(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn shards_merge_into_the_unsharded_run_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "scenarios/asymmetric-cluster.toml",
        "--replications",
        "35",
        "--set",
        "duration=10m",
    ];
    let plain = tmp.path().join("plain");
    let o = hasim(&[&["run"][..], &args[..], &["--out", plain.to_str().unwrap()]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    // 35 replications are 3 blocks: 2 shards split them, 4 leave one empty.
    for n in [1u32, 2, 4] {
        let shards = tmp.path().join(format!("shards{n}"));
        for k in 0..n {
            let spec = format!("{k}/{n}");
            let o = hasim(
                &[
                    &["run"][..],
                    &args[..],
                    &["--shard", &spec, "--out", shards.to_str().unwrap()],
                ]
                .concat(),
            );
            assert!(o.status.success(), "{}", stderr(&o));
        }
        let merged = tmp.path().join(format!("merged{n}"));
        let o = hasim(&[
            "merge",
            shards.to_str().unwrap(),
            "--out",
            merged.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            read_dir_bytes(&merged) == read_dir_bytes(&plain),
            "{n} shards do not merge into the unsharded run"
        );
    }
}

#[test]
fn merge_refuses_incomplete_or_mixed_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let shards = tmp.path().join("s");
    let args = [
        "scenarios/asymmetric-cluster.toml",
        "--replications",
        "40",
        "--set",
        "duration=5m",
    ];
    for k in [0, 2] {
        let spec = format!("{k}/3");
        assert!(hasim(
            &[
                &["run"][..],
                &args[..],
                &["--shard", &spec, "--out", shards.to_str().unwrap()]
            ]
            .concat()
        )
        .status
        .success());
    }
    let o = hasim(&[
        "merge",
        shards.to_str().unwrap(),
        "--out",
        tmp.path().join("m").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("every shard"), "{}", stderr(&o));
    assert!(!tmp.path().join("m").exists());
    let o = hasim(&[
        "run",
        "scenarios/cold-standby.toml",
        "--precision",
        "0.1",
        "--shard",
        "0/2",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = hasim(&["run", "scenarios/cold-standby.toml", "--shard", "2/2"]);
    assert_eq!(o.status.code(), Some(2));
    let junk = tmp.path().join("junk.shard-0-of-1.json");
    fs::write(&junk, "{}").unwrap();
    let o = hasim(&["merge", junk.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a hasim shard file"));
}

/// The progress callback fires once per replication, so a bar moves even
/// when a run is shorter than one merge block of 16 replications; ticking
/// changes no result.
#[test]
fn progress_ticks_once_per_replication() {
    use std::sync::atomic::{AtomicU32, Ordering};
    let mut sc = crate::support::scenario(FLEET);
    sc.duration_ns = 10 * 86_400 * 1_000_000_000;
    for reps in [1, 5, 21] {
        sc.replications = reps;
        let ticks = AtomicU32::new(0);
        let o = hasim::montecarlo::run_observed(&sc, &|| {
            ticks.fetch_add(1, Ordering::Relaxed);
        });
        assert_eq!(ticks.load(Ordering::Relaxed), reps, "{reps} replications");
        assert_eq!(o.replications, reps);
        let plain = hasim::montecarlo::run(&sc);
        assert_eq!(plain.uptime.mean(), o.uptime.mean());
    }
}

/// With no outage at all, 0 ± 0 is no precision: the run says so, does
/// not claim the target is met, and gives the rule-of-three bound (no event
/// in a total time T: rate < 3 / T at 95 %).
#[test]
fn a_precision_target_without_any_outage_gives_an_upper_bound() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("never.toml");
    fs::write(
        &file,
        "architecture = \"symmetric-cluster\"\nduration = \"1d\"\n[nodes]\ncount = 2\n",
    )
    .unwrap();
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
    let p = &s["precision"];
    assert_eq!(p["met"], false, "nothing was measured to that precision");
    assert!(p["downtime_rel_ci95"].is_null());
    let n = s["replications"].as_f64().unwrap();
    let t = n * 86_400.0;
    let b = &p["no_outage"];
    assert_eq!(b["observed_s"].as_f64().unwrap(), t);
    let per_year = b["outages_per_year_upper95"].as_f64().unwrap();
    assert!((per_year - 3.0 / t * 365.25 * 86_400.0).abs() < 1e-9 * per_year);
    assert_eq!(b["runs_with_outage_upper95"].as_f64().unwrap(), 3.0 / n);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("no outage was observed"), "{text}");
    assert!(text.contains("rule of three"), "{text}");
    assert!(!text.contains(" met after"), "{text}");
}
