//! Issue 8 §5: one replication's outages spill to disk past a fixed
//! bound. The hidden `HASIM_TEST_REP_KEEP` shrinks every per-replication
//! bound (outages held in memory, outages handed on at once, phase records
//! kept) to a few, so that every replication spills, every block spills
//! and the phase records are compacted all the time; a huge value turns
//! every bound off (the replication keeps everything until it ends, as
//! before). Every output must be byte for byte the same either way, at any
//! thread count and through shards.

use crate::support::stderr;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// A warm standby failing every ~3 h for 3000 h: about 750 outages per
/// replication with detection, start and switch phases, 40 replications
/// (blocks of 16, 16 and 8).
const SPILL: &str = r#"
name = "spill"
description = "many outages in every replication"
architecture = "warm-standby"
seed = 5
duration = "3000h"
replications = 40
[nodes]
count = 2
failure = { dist = "exponential", mean = "3h" }
repair = { dist = "exponential", mean = "1h" }
"#;

/// No bound at all: what one replication held before issue 8.
const UNBOUNDED: &str = "1000000000";

fn hasim_with(keep: &str, threads: &str, args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_hasim"))
        .args(args)
        .env("HASIM_TEST_REP_KEEP", keep)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("run hasim");
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

/// Every file of `a` has the same bytes in `b`, and no file is missing.
fn same_files(a: &Path, b: &Path, what: &str) {
    let mut names: Vec<_> = fs::read_dir(a)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(names.iter().any(|n| n == "outages.csv"), "{names:?}");
    for n in &names {
        let (x, y) = (a.join(n), b.join(n));
        if x.is_dir() {
            continue;
        }
        assert!(
            fs::read(&x).unwrap() == fs::read(&y).unwrap(),
            "{what}: {} differs",
            n.to_string_lossy()
        );
    }
}

#[test]
fn a_replication_that_spills_writes_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = tmp.path().join("spill.toml");
    fs::write(&sc, SPILL).unwrap();
    let sc = sc.to_str().unwrap();
    let out = |name: &str| tmp.path().join(name);
    let whole = out("whole");
    hasim_with(
        UNBOUNDED,
        "1",
        &["run", sc, "--out", whole.to_str().unwrap()],
    );
    let csv = fs::read_to_string(whole.join("outages.csv")).unwrap();
    // Enough outages that a bound of 3 spills every replication and block.
    let rows = csv.lines().count() - 1;
    assert!(rows > 40 * 300, "{rows} outages");
    for (keep, threads) in [("3", "1"), ("3", "2"), ("17", "2"), ("1024", "2")] {
        let o = out(&format!("k{keep}-t{threads}"));
        hasim_with(keep, threads, &["run", sc, "--out", o.to_str().unwrap()]);
        same_files(&whole, &o, &format!("bound {keep}, {threads} threads"));
    }
}

#[test]
fn shards_whose_replications_spill_merge_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = tmp.path().join("spill.toml");
    fs::write(&sc, SPILL).unwrap();
    let sc = sc.to_str().unwrap();
    let whole = tmp.path().join("whole");
    hasim_with(
        UNBOUNDED,
        "2",
        &["run", sc, "--out", whole.to_str().unwrap()],
    );
    let shards = tmp.path().join("shards");
    for k in ["0/2", "1/2"] {
        hasim_with(
            "3",
            "2",
            &["run", sc, "--shard", k, "--out", shards.to_str().unwrap()],
        );
    }
    let merged = tmp.path().join("merged");
    hasim_with(
        "3",
        "2",
        &[
            "merge",
            shards.to_str().unwrap(),
            "--out",
            merged.to_str().unwrap(),
        ],
    );
    same_files(&whole, &merged, "merged shards");
}
