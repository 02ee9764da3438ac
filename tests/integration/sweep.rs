//! `hasim sweep`: grids over one or two keys, checked against hand-computed
//! outages, with every point validated before anything runs.

use crate::support::{hasim, stderr};
use std::fs;

const SCRIPTED: &str = r#"
name = "scripted"
architecture = "cold-standby"
duration = "10000s"
replications = 2
[nodes]
count = 2
[failover]
operator = "10m"
start = "5m"
switch = "30s"
[[faults]]
at = "100s"
node = 0
kind = "permanent"
"#;

fn column(csv: &str, name: &str) -> Vec<String> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let i = header
        .iter()
        .position(|h| *h == name)
        .unwrap_or_else(|| panic!("no column {name}: {header:?}"));
    lines
        .map(|l| l.split(',').nth(i).unwrap().to_string())
        .collect()
}

#[test]
fn one_key_sweep_matches_hand_computed_outages() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    fs::write(&file, SCRIPTED).unwrap();
    let out = tmp.path().join("sw");
    let o = hasim(&[
        "sweep",
        file.to_str().unwrap(),
        "--set",
        "failover.operator=1m,10m,1h",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(column(&csv, "failover.operator"), ["1m", "10m", "1h"]);
    // Detected at 102 s, then operator + start 300 s + switch 30 s.
    assert_eq!(column(&csv, "downtime_s"), ["392.0", "932.0", "3932.0"]);
    assert_eq!(column(&csv, "replications"), ["2", "2", "2"]);
    for chart in ["sweep_uptime", "sweep_downtime", "sweep_failovers"] {
        assert!(out.join(format!("{chart}.png")).exists(), "{chart}");
        assert!(out.join(format!("{chart}.svg")).exists(), "{chart}");
    }
    assert!(out
        .join("points/002-failover.operator=10m/index.html")
        .exists());
    assert!(fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("failover.operator"));
}

#[test]
fn two_key_sweep_is_a_grid() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    fs::write(&file, SCRIPTED).unwrap();
    let out = tmp.path().join("sw");
    let o = hasim(&[
        "sweep",
        file.to_str().unwrap(),
        "--set",
        "failover.operator=1m,10m",
        "--set",
        "failover.switch=0s,30s,2m",
        "--set",
        "duration=5000s",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(
        column(&csv, "failover.switch"),
        ["0s", "30s", "2m", "0s", "30s", "2m"]
    );
    assert_eq!(
        column(&csv, "downtime_s"),
        ["362.0", "392.0", "482.0", "902.0", "932.0", "1022.0"]
    );
}

#[test]
fn a_bad_point_stops_the_sweep_before_it_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    fs::write(&file, SCRIPTED).unwrap();
    let out = tmp.path().join("sw");
    let o = hasim(&[
        "sweep",
        file.to_str().unwrap(),
        "--set",
        "failover.operator=1m,soon",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("failover.operator"), "{}", stderr(&o));
    assert!(!out.exists());
    let o = hasim(&[
        "sweep",
        file.to_str().unwrap(),
        "--set",
        "failover.operator=1m",
    ]);
    assert_eq!(o.status.code(), Some(2), "nothing to sweep");
}

#[test]
fn a_sharded_sweep_merges_into_the_unsharded_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    fs::write(
        &file,
        SCRIPTED.replace("replications = 2", "replications = 20"),
    )
    .unwrap();
    let sets = [
        "--set",
        "failover.operator=1m,10m",
        "--set",
        "nodes.count=2,3",
    ];
    let plain = tmp.path().join("plain");
    let o = hasim(
        &[
            &["sweep", file.to_str().unwrap()][..],
            &sets[..],
            &["--out", plain.to_str().unwrap()],
        ]
        .concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let shards = tmp.path().join("shards");
    for k in ["0/3", "1/3", "2/3"] {
        let o = hasim(
            &[
                &["sweep", file.to_str().unwrap()][..],
                &sets[..],
                &["--shard", k, "--out", shards.to_str().unwrap()],
            ]
            .concat(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let merged = tmp.path().join("merged");
    let o = hasim(&[
        "merge",
        shards.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "sweep.csv",
        "index.html",
        "sweep_downtime.svg",
        "points/004-failover.operator=10m,nodes.count=3/summary.json",
    ] {
        assert!(
            fs::read(plain.join(f)).unwrap() == fs::read(merged.join(f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn a_key_swept_twice_is_refused_before_anything_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    fs::write(&file, SCRIPTED).unwrap();
    let out = tmp.path().join("sw");
    for extra in [
        ["failover.operator=3m", "failover.operator=1m,10m"],
        ["failover.operator=1m,10m", "failover={ operator = \"5m\" }"],
    ] {
        let o = hasim(&[
            "sweep",
            file.to_str().unwrap(),
            "--set",
            extra[0],
            "--set",
            extra[1],
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("failover"), "{}", stderr(&o));
        assert!(stderr(&o).contains("fix:"), "{}", stderr(&o));
        assert!(!out.exists());
    }
}

#[test]
fn formula_like_values_are_text_in_the_csv_and_numbers_stay_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    fs::write(&file, SCRIPTED).unwrap();
    let out = tmp.path().join("sw");
    let o = hasim(&[
        "sweep",
        file.to_str().unwrap(),
        "--set",
        "description==1+2,@SUM(A1),-2+3,+x,plain",
        "--set",
        "replications=1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(
        column(&csv, "description"),
        ["'=1+2", "'@SUM(A1)", "'-2+3", "'+x", "plain"]
    );
    // Every point has the same outage (detected at 102 s, then operator
    // 10 min + start 300 s + switch 30 s): 932 s of downtime, a number.
    assert_eq!(column(&csv, "downtime_s"), ["932.0"; 5]);
}
