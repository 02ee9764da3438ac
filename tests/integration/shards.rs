//! `hasim merge` refuses what it cannot vouch for. Each case starts from
//! real shard files (`run --shard K/N`, `sweep --shard K/N`), edits them as
//! a careless or hostile hand would, and re-signs them with their FNV-1a 64
//! digest (computed here independently) so that the check behind the digest
//! is the one tested. Every refusal: exit 2, the shard file named, a fix,
//! nothing written.

use crate::support::{hasim, stderr};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// 40 replications are 3 blocks of 16, 16 and 8: shard 0 of 2 holds
/// block 0, shard 1 blocks 1 and 2. Failures every 20 min on average make
/// outages in every replication.
const TINY: &str = r#"
name = "tiny"
architecture = "warm-standby"
duration = "1h"
replications = 40
[nodes]
count = 2
failure = { dist = "exponential", mean = "20m" }
repair = "5m"
"#;

const HEAD: &str = "{\"hasim_digest\":\"fnv1a64:";

/// FNV-1a 64 as published (offset basis 0xcbf29ce484222325, prime 2^40 + 0x1b3).
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h: u64, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The JSON object a shard file holds, after checking its digest.
fn open(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap();
    let rest = text.strip_prefix(HEAD).expect("a digest first");
    let digest = u64::from_str_radix(&rest[..16], 16).unwrap();
    let body = format!("{{{}", &rest[18..]);
    assert_eq!(
        fnv1a64(body.as_bytes()),
        digest,
        "hasim's digest is FNV-1a 64"
    );
    serde_json::from_str(&body).unwrap()
}

/// Writes `v` as a shard file with a correct digest.
fn sign(path: &Path, v: &Value) {
    let body = serde_json::to_string(v).unwrap();
    fs::write(
        path,
        format!("{HEAD}{:016x}\",{}", fnv1a64(body.as_bytes()), &body[1..]),
    )
    .unwrap();
}

fn edit(path: &Path, f: impl FnOnce(&mut Value)) {
    let mut v = open(path);
    f(&mut v);
    sign(path, &v);
}

struct Shards {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    out: PathBuf,
}

impl Shards {
    fn file(&self, k: u32) -> PathBuf {
        self.dir.join(format!("tiny.shard-{k}-of-2.json"))
    }
}

fn two_shards() -> Shards {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("tiny.toml");
    fs::write(&scenario, TINY).unwrap();
    let dir = tmp.path().join("shards");
    for k in ["0/2", "1/2"] {
        let o = hasim(&[
            "run",
            scenario.to_str().unwrap(),
            "--shard",
            k,
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let out = tmp.path().join("merged");
    Shards {
        _tmp: tmp,
        dir,
        out,
    }
}

/// Merges `inputs` and checks the refusal names `file` and says `words`.
fn refused(inputs: &[&Path], out: &Path, file: &Path, words: &str) {
    let mut args = vec!["merge".to_string()];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap().to_string()));
    args.extend(["--out".into(), out.to_str().unwrap().into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = hasim(&args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "expected exit 2 ({words}): {err}");
    assert!(err.contains(words), "expected {words:?}: {err}");
    let name = file.file_name().unwrap().to_str().unwrap();
    assert!(err.contains(name), "the message should name {name}: {err}");
    assert!(err.contains("fix:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists(), "nothing may be written: {err}");
}

#[test]
fn untouched_shards_merge_and_resigned_ones_still_do() {
    let s = two_shards();
    // Re-signing without a change must not change anything.
    edit(&s.file(1), |_| {});
    let o = hasim(&[
        "merge",
        s.dir.to_str().unwrap(),
        "--out",
        s.out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(s.out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["replications"], 40);
}

#[test]
fn an_edited_or_damaged_shard_fails_its_digest() {
    let s = two_shards();
    let f = s.file(1);
    let text = fs::read_to_string(&f).unwrap();
    // One digit of the data changed, digest left as it was.
    let at = text.find("\"sim_events\":").unwrap() + 13;
    let mut bytes = text.into_bytes();
    bytes[at] = if bytes[at] == b'9' { b'8' } else { b'9' };
    fs::write(&f, &bytes).unwrap();
    refused(&[&s.dir], &s.out, &f, "digest does not match");
    // Cut short.
    fs::write(&f, &bytes[..bytes.len() / 2]).unwrap();
    refused(&[&s.dir], &s.out, &f, "digest does not match");
    // A format-1 file (no digest) is named as such.
    let mut v = open(&s.file(0));
    v["hasim_shard"] = 1.into();
    fs::write(&f, serde_json::to_string(&v).unwrap()).unwrap();
    refused(&[&s.dir], &s.out, &f, "has no content digest");
}

#[test]
fn the_same_blocks_in_two_files_are_refused() {
    let s = two_shards();
    let copy = s.dir.join("tiny.copy.shard-1-of-2.json");
    fs::copy(s.file(1), &copy).unwrap();
    refused(&[&s.dir], &s.out, &copy, "would count twice");
}

#[test]
fn shards_of_one_run_must_share_one_header() {
    let s = two_shards();
    edit(&s.file(1), |v| v["seed"] = 7.into());
    refused(&[&s.dir], &s.out, &s.file(1), "differ in seed");
    let s = two_shards();
    // Shard 1 of 3 holds blocks 1..2, its true share: only the count differs.
    edit(&s.file(1), |v| {
        v["shards"] = 3.into();
        v["end_block"] = 2.into();
        v["blocks"].as_array_mut().unwrap().pop();
    });
    refused(&[&s.dir], &s.out, &s.file(1), "differ in shard count");
}

#[test]
fn a_header_that_does_not_fit_its_data_is_refused() {
    // Both headers say 2 h; the blocks measured 1 h.
    let s = two_shards();
    for k in 0..2 {
        edit(&s.file(k), |v| {
            let t = v["scenario_text"]
                .as_str()
                .unwrap()
                .replace("\"1h\"", "\"2h\"");
            v["scenario_text"] = t.into();
        });
    }
    refused(
        &[&s.dir],
        &s.out,
        &s.file(0),
        "duration is 7200000000000 ns",
    );
    // Both say seed 2, consistently, and are re-signed: replication 0 no
    // longer replays to what block 0 recorded.
    let s = two_shards();
    for k in 0..2 {
        edit(&s.file(k), |v| v["seed"] = 2.into());
    }
    refused(
        &[&s.dir],
        &s.out,
        &s.file(0),
        "does not give the events and outages recorded",
    );
    // Likewise a repair time edited in the scenario text of both.
    let s = two_shards();
    for k in 0..2 {
        edit(&s.file(k), |v| {
            let t = v["scenario_text"]
                .as_str()
                .unwrap()
                .replace("\"5m\"", "\"6m\"");
            v["scenario_text"] = t.into();
        });
    }
    refused(
        &[&s.dir],
        &s.out,
        &s.file(0),
        "does not give the events and outages recorded",
    );
    // Both say 48 replications: shard 1's share is then blocks 1..3 of 16
    // each, but its last block holds 8.
    let s = two_shards();
    for k in 0..2 {
        edit(&s.file(k), |v| v["replications"] = 48.into());
    }
    refused(
        &[&s.dir],
        &s.out,
        &s.file(1),
        "8 replications, but block 2 of 48 holds 16",
    );
    // Both say seed 1 … but an outage was moved into block 0 from another.
    let s = two_shards();
    edit(&s.file(0), |v| {
        v["blocks"][0]["outage_list"][0]["replication"] = 20.into();
    });
    refused(&[&s.dir], &s.out, &s.file(0), "not in this block");
}

#[test]
fn blocks_must_tile_the_replications_exactly_once() {
    let s = two_shards();
    // Shard 1 claims block 0 as well: its share is blocks 1..3.
    edit(&s.file(1), |v| {
        v["first_block"] = 0.into();
        let first = v["blocks"][0].clone();
        v["blocks"].as_array_mut().unwrap().insert(0, first);
    });
    refused(
        &[&s.dir],
        &s.out,
        &s.file(1),
        "its share of 40 replications is blocks 1..3",
    );
    let s = two_shards();
    // One block dropped, header unchanged.
    edit(&s.file(1), |v| {
        v["blocks"].as_array_mut().unwrap().pop();
    });
    refused(&[&s.dir], &s.out, &s.file(1), "has 1 of them");
    let s = two_shards();
    fs::remove_file(s.file(1)).unwrap();
    refused(&[&s.dir], &s.out, &s.file(0), "shard [1] of 2 missing");
}

#[test]
fn zero_shards_and_shard_numbers_out_of_range_are_refused() {
    let s = two_shards();
    edit(&s.file(0), |v| v["shards"] = 0.into());
    refused(&[&s.file(0)], &s.out, &s.file(0), "0 ≤ K < N");
    let s = two_shards();
    edit(&s.file(1), |v| v["shard"] = 2.into());
    refused(&[&s.dir], &s.out, &s.file(1), "0 ≤ K < N");
}

#[test]
fn counts_that_overflow_are_refused_not_wrapped() {
    let s = two_shards();
    edit(&s.file(1), |v| {
        v["blocks"][0]["sim_events"] = u64::MAX.into();
    });
    refused(&[&s.dir], &s.out, &s.file(1), "overflow");
}

#[test]
fn outages_must_end_after_they_start_and_inside_the_run() {
    let s = two_shards();
    edit(&s.file(0), |v| {
        let o = &mut v["blocks"][0]["outage_list"][0];
        let (a, b) = (o["start_ns"].clone(), o["end_ns"].clone());
        o["start_ns"] = b;
        o["end_ns"] = a;
    });
    refused(&[&s.dir], &s.out, &s.file(0), "before it starts");
    let s = two_shards();
    edit(&s.file(0), |v| {
        // One hour is 3.6e12 ns: an outage may not reach past it.
        v["blocks"][0]["outage_list"][0]["end_ns"] = 3_600_000_000_001u64.into();
    });
    refused(&[&s.dir], &s.out, &s.file(0), "outside the measured run");
    let s = two_shards();
    edit(&s.file(0), |v| {
        let o = &mut v["blocks"][0]["outage_list"][0];
        let end = o["end_ns"].as_u64().unwrap();
        o["end_ns"] = (end - 1).into();
    });
    refused(&[&s.dir], &s.out, &s.file(0), "add up to");
}

#[test]
fn a_fifo_among_the_shards_is_refused_without_blocking() {
    let s = two_shards();
    let fifo = s.dir.join("tiny.shard-9-of-2.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|m| m.success()) {
        refused(&[&s.file(0), &fifo], &s.out, &fifo, "not a regular file");
    }
}

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

fn sweep_shards(values: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    fs::write(&file, SCRIPTED).unwrap();
    let dir = tmp.path().join("shards");
    let o = hasim(&[
        "sweep",
        file.to_str().unwrap(),
        "--set",
        values,
        "--shard",
        "0/1",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    (tmp, dir)
}

#[test]
fn sweep_points_must_be_the_points_they_claim_once_each() {
    let (tmp, dir) = sweep_shards("failover.operator=1m,10m,1h");
    let out = tmp.path().join("m");
    let p = |i: u32| dir.join(format!("scripted.p{i:03}.shard-0-of-1.json"));
    // Points 1 and 2 swap their labels: each then holds the other's settings.
    // (Had the settings been swapped too, the data would not replay.)
    edit(&p(1), |v| v["sweep"]["point"] = 1.into());
    edit(&p(2), |v| v["sweep"]["point"] = 0.into());
    refused(&[&dir], &out, &p(2), "ran with other settings");
    // Point 2 given twice (from a copy of the scenario with one more
    // comment: another run to group by, the same data), point 3 missing.
    let (tmp, dir) = sweep_shards("failover.operator=1m,10m,1h");
    let p = |i: u32| dir.join(format!("scripted.p{i:03}.shard-0-of-1.json"));
    edit(&p(3), |v| {
        let two = open(&p(2));
        let text = format!("# a copy\n{}", two["scenario_text"].as_str().unwrap());
        *v = two;
        v["scenario_text"] = text.into();
    });
    refused(
        &[&dir],
        &tmp.path().join("m"),
        &p(3),
        "point 2 of the sweep is given twice",
    );
    // A point of another sweep.
    let (tmp, dir) = sweep_shards("failover.operator=1m,10m,1h");
    let (_other_tmp, other) = sweep_shards("failover.operator=1m,10m,2h");
    let alien = other.join("scripted.p003.shard-0-of-1.json");
    let p = |i: u32| dir.join(format!("scripted.p{i:03}.shard-0-of-1.json"));
    refused(
        &[&p(1), &p(2), &alien],
        &tmp.path().join("m"),
        &alien,
        "belongs to another sweep",
    );
    // One point missing.
    refused(
        &[&p(1), &p(3)],
        &tmp.path().join("m"),
        &p(3),
        "point 2 of the sweep is missing",
    );
}
