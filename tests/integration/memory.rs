//! Issue 8 §5: the scenarios that once exhausted memory either run under a
//! 2 GiB address-space limit or are refused by validation with a reason,
//! and replication 0's node views are cut at `VIEW_CAP` changes.

use crate::support::{scenario, stderr};
use hasim::metrics::views::VIEW_CAP;
use hasim::model::{simulate, RunOptions};
use hasim::report::charts::timeline::{rows, Paint};
use std::process::Command;

/// 2 GiB of address space, as `prlimit --as` (or `ulimit -v 2097152`).
const LIMIT: &str = "--as=2147483648";

/// Runs the hasim binary under the 2 GiB limit.
fn limited(args: &[&str]) -> Option<std::process::Output> {
    // Without prlimit (util-linux) the limit cannot be set: skip.
    Command::new("prlimit").arg("--version").output().ok()?;
    Some(
        Command::new("prlimit")
            .arg(LIMIT)
            .arg(env!("CARGO_BIN_EXE_hasim"))
            .args(args)
            .env("RAYON_NUM_THREADS", "2")
            .output()
            .expect("run hasim under prlimit"),
    )
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// A cold standby of one node, failing and repaired after `fail` and
/// `repair`, detected and restarted at once.
fn flapping(name: &str, duration: &str, fail: &str, repair: &str, reps: u32) -> String {
    format!(
        "name = \"{name}\"\ndescription = \"d\"\narchitecture = \"cold-standby\"\nseed = 1\n\
         duration = \"{duration}\"\nreplications = {reps}\n\
         [nodes]\ncount = 1\nfailure = {fail}\nrepair = {repair}\n\
         [detection]\nheartbeat = \"0s\"\n[failover]\noperator = \"0s\"\nstart = \"0s\"\n"
    )
}

/// 1 node failing every 0–1 ns for 1 s: about 10⁹ failures in one
/// replication (mean cycle 0.5 + 0.5 ns), refused before anything runs.
#[test]
fn a_node_failing_every_nanosecond_is_refused_with_its_count() {
    let dir = tempfile::tempdir().unwrap();
    let ns = "{ dist = \"uniform\", min = \"0ns\", max = \"1ns\" }";
    let f = write(dir.path(), "ns.toml", &flapping("ns", "1s", ns, ns, 1));
    let out_dir = dir.path().join("out");
    let Some(o) = limited(&["run", &f, "--out", out_dir.to_str().unwrap()]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("nodes.failure") && e.contains("1.0e9 times"),
        "{e}"
    );
    assert!(!out_dir.exists(), "nothing is written");
}

/// `check --analytic` on a node flapping every second (exponential, mean
/// 1 s up and 1 s down) for 200 years: 200 × 365 × 86 400 / 2 ≈ 3.2 × 10⁹
/// cycles per replication, refused by validation (it used to simulate ten
/// such replications and keep every outage).
#[test]
fn check_analytic_refuses_a_200_year_flapping_node() {
    let dir = tempfile::tempdir().unwrap();
    let exp = "{ dist = \"exponential\", mean = \"1s\" }";
    let f = write(dir.path(), "f.toml", &flapping("f", "73000d", exp, exp, 1));
    let Some(o) = limited(&["check", "--analytic", &f]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("3.2e9 times"), "{}", stderr(&o));
}

/// A node flapping every second (fixed 1 s up, 1 s down) for 90 days:
/// 90 × 86 400 / 2 = 3 888 000 outages, past the 100 000 held in memory,
/// all in outages.csv. About 15 s in release: run by hand with --ignored.
#[test]
#[ignore = "about 15 s and 250 MB of outages.csv; run by hand (cargo test --release -- --ignored)"]
fn a_node_flapping_every_second_for_90_days_runs_under_2_gib() {
    let dir = tempfile::tempdir().unwrap();
    let s = "{ dist = \"fixed\", value = \"1s\" }";
    let f = write(dir.path(), "p.toml", &flapping("p", "90d", s, s, 1));
    let out = dir.path().join("out");
    let Some(o) = limited(&["run", &f, "--out", out.to_str().unwrap()]) else {
        return;
    };
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(out.join("outages.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 90 * 86_400 / 2);
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(page.contains("The trace was cut at t ="));
}

/// 1 000 000 replications of 1 h of a 3-node cluster. About a minute on
/// two threads: run by hand with --ignored.
#[test]
#[ignore = "about a minute on 2 threads; run by hand (cargo test --release -- --ignored)"]
fn a_million_replications_run_under_2_gib() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "m.toml",
        "name = \"m\"\ndescription = \"d\"\narchitecture = \"symmetric-cluster\"\nseed = 1\n\
         duration = \"1h\"\nreplications = 1000000\n[nodes]\ncount = 3\n\
         failure = { dist = \"exponential\", mean = \"4h\" }\n\
         repair = { dist = \"exponential\", mean = \"1h\" }\n",
    );
    let out = dir.path().join("out");
    let Some(o) = limited(&["run", &f, "--out", out.to_str().unwrap()]) else {
        return;
    };
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(summary.contains("\"replications\": 1000000"), "{summary}");
}

/// The same flapping node for 3 days, short enough for every test run:
/// 3 × 86 400 / 2 = 129 600 outages (past the 100 000 kept in memory),
/// under the 2 GiB limit, every one of them in outages.csv.
#[test]
fn a_node_flapping_every_second_for_3_days_runs_under_2_gib() {
    let dir = tempfile::tempdir().unwrap();
    let s = "{ dist = \"fixed\", value = \"1s\" }";
    let f = write(dir.path(), "p.toml", &flapping("p", "3d", s, s, 1));
    let out = dir.path().join("out");
    let Some(o) = limited(&["run", &f, "--out", out.to_str().unwrap()]) else {
        return;
    };
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(out.join("outages.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 3 * 86_400 / 2);
    // Each outage is 1 s of the phase it sits in, phases summing to it.
    let row = csv.lines().nth(129_600).unwrap();
    let cells: Vec<f64> = row
        .split(',')
        .skip(6)
        .take(6)
        .map(|c| c.parse().unwrap())
        .collect();
    assert_eq!(cells.iter().sum::<f64>(), 1.0, "{row}");
}

/// A node up 1 s and down 1 s, detected and restarted at once: its view
/// changes at 0 s (primary), 1 s (down), 2 s (primary), …, change k at
/// k seconds. The record keeps VIEW_CAP changes; the next one, at
/// VIEW_CAP seconds, marks the cut; the timeline draws every node row as
/// "not recorded" from there, and the page says so.
#[test]
fn node_views_are_cut_at_the_cap_and_the_page_says_where() {
    let s = "{ dist = \"fixed\", value = \"1s\" }";
    let sc = scenario(&flapping("cut", "3d", s, s, 1));
    let r = simulate(
        &sc,
        RunOptions {
            replication: 0,
            trace: true,
        },
    );
    assert_eq!(r.views.len(), VIEW_CAP + 1);
    for (k, v) in r.views.iter().enumerate().step_by(9_999) {
        assert_eq!(v.time_ns, k as u64 * 1_000_000_000, "change {k}");
    }
    let cut_ns = VIEW_CAP as u64 * 1_000_000_000;
    let o = hasim::montecarlo::run(&sc);
    let node = &rows(&sc, &o)[1].1;
    assert_eq!(
        node.last(),
        Some(&(cut_ns, sc.horizon_ns(), Paint::NotRecorded))
    );
    assert!(node[..node.len() - 1].iter().all(|s| s.1 <= cut_ns));
    let dir = tempfile::tempdir().unwrap();
    let out = hasim::report::output::OutDir::check(&dir.path().join("o")).unwrap();
    hasim::report::write_run(&out, &sc, &o).unwrap();
    let page = std::fs::read_to_string(dir.path().join("o/index.html")).unwrap();
    // 100 000 s = 1d 03:46:40.
    assert!(
        page.contains("The trace was cut at t = 1d 03:46:40: the timeline draws"),
        "{}",
        page.split("The trace").nth(1).unwrap_or("no sentence")
    );
    let svg = std::fs::read_to_string(dir.path().join("o/timeline.svg")).unwrap();
    assert!(svg.contains("cut at t = 1d 03:46:40; see events.csv"));
}

/// Peak RSS in MiB of `hasim args…` under the 2 GiB limit, from GNU
/// time's "Maximum resident set size" (None without /usr/bin/time or
/// prlimit), with the run's output.
fn limited_rss(args: &[&str]) -> Option<(std::process::Output, f64)> {
    Command::new("prlimit").arg("--version").output().ok()?;
    Command::new("/usr/bin/time")
        .arg("--version")
        .output()
        .ok()?;
    let o = Command::new("/usr/bin/time")
        .arg("-v")
        .arg("prlimit")
        .arg(LIMIT)
        .arg(env!("CARGO_BIN_EXE_hasim"))
        .args(args)
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .expect("run hasim under time and prlimit");
    let kib: f64 = stderr(&o)
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })?
        .parse()
        .ok()?;
    Some((o, kib / 1024.0))
}

/// A node flapping every second (fixed 1 s up, 1 s down) for a year:
/// 365 × 86 400 / 2 = 15 768 000 outages in ONE replication, once refused
/// (a replication held every outage until it ended: about 3 GiB). It
/// spills them as it runs: peak RSS stays that of a short run (35 MiB
/// measured, as for 30 and 90 days; 74 s), every outage is in outages.csv, and
/// stderr, not a terminal here, hears the work estimate because
/// outages.csv may pass 256 MiB (15 768 000 × 80 bytes ≈ 1.3 GB; 1.16 GB
/// written).
#[test]
#[ignore = "about a minute and 1 GB of outages.csv; run by hand (cargo test --release -- --ignored)"]
fn a_node_flapping_every_second_for_a_year_runs_in_flat_memory() {
    let dir = tempfile::tempdir().unwrap();
    let s = "{ dist = \"fixed\", value = \"1s\" }";
    let f = write(dir.path(), "y.toml", &flapping("y", "365d", s, s, 1));
    let out = dir.path().join("out");
    let Some((o, rss)) = limited_rss(&["run", &f, "--out", out.to_str().unwrap()]) else {
        return;
    };
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    eprintln!("peak RSS {rss:.0} MiB");
    assert!(rss < 256.0, "peak RSS {rss:.0} MiB");
    assert!(
        e.contains("y: about 3.2 × 10^7 events") && e.contains("outages.csv up to about 1.3 GB"),
        "{e}"
    );
    let csv = std::fs::File::open(out.join("outages.csv")).unwrap();
    let lines = std::io::BufRead::lines(std::io::BufReader::new(csv)).count();
    assert_eq!(lines, 1 + 365 * 86_400 / 2);
}

/// What validation refuses now that memory no longer needs it (issue 8
/// §5): an outages.csv that could pass 64 GiB (the 0–1 ns node above:
/// 10⁹ × 80 bytes ≈ 75 GiB; a year of a node flapping every second in
/// 3000 replications: 15 768 000 × 3000 × 80 bytes ≈ 3.4 TiB), and work far beyond what a
/// run affords (10¹³ events). The year in one replication is accepted.
#[test]
fn runs_that_could_not_fit_or_finish_are_refused_with_key_and_fix() {
    let dir = tempfile::tempdir().unwrap();
    let s = "{ dist = \"fixed\", value = \"1s\" }";
    let check = |name: &str, text: &str| {
        let f = write(dir.path(), name, text);
        let out = dir.path().join(format!("{name}.out"));
        let o = crate::support::hasim(&["run", &f, "--out", out.to_str().unwrap()]);
        (o, out)
    };
    let (o, out) = check("many.toml", &flapping("many", "365d", s, s, 3000));
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("many.toml") && e.contains("nodes.failure"),
        "{e}"
    );
    assert!(
        e.contains("1.6e7 times") && e.contains("3000 replications"),
        "{e}"
    );
    // 15 768 000 × 3000 × 80 / 2^30 = 3524.4 GiB.
    assert!(
        e.contains("about 3524 GiB") && e.contains("fewer replications"),
        "{e}"
    );
    assert!(!out.exists());
    // A 3-node cluster with 10⁶ requests per second for 100 years:
    // 3 × 10⁶ × 3.15 × 10⁹ s ≈ 9.5 × 10¹⁵ events.
    let (o, out) = check(
        "busy.toml",
        "name = \"busy\"\ndescription = \"d\"\narchitecture = \"symmetric-cluster\"\n\
         duration = \"36500d\"\n[nodes]\ncount = 3\ncapacity = 64\n\
         [workload]\nrate = 1000000.0\nservice = \"10us\"\n",
    );
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("busy.toml") && e.contains("`duration`"), "{e}");
    assert!(e.contains("9.5e15 events") && e.contains("fix:"), "{e}");
    assert!(!e.contains("panicked") && !out.exists(), "{e}");
    // One replication of the year is accepted (check validates only).
    let f = write(dir.path(), "year.toml", &flapping("year", "365d", s, s, 1));
    let o = crate::support::hasim(&["check", &f]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// 64 replications of a 3-node cluster with a workload over 10 000
/// windows of 1 s (the most windows allowed): each one-replication result
/// holds a latency histogram per window (about 100 MB), and a batch of 64
/// of them held at once before merging took 7.1 GiB (exit 134 under the
/// limit). Batches shrink to what 256 MiB holds, at least one replication
/// per thread, and blocks are merged as they complete: 665 MiB measured.
#[test]
#[ignore = "about 15 s on 2 threads; run by hand (cargo test --release -- --ignored)"]
fn replications_with_10000_windows_of_latencies_run_under_2_gib() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "w.toml",
        "name = \"w\"\ndescription = \"d\"\narchitecture = \"symmetric-cluster\"\nseed = 1\n\
         duration = \"10000s\"\nwindow = \"1s\"\nreplications = 64\n[nodes]\ncount = 3\n\
         capacity = 4\nfailure = { dist = \"exponential\", mean = \"4h\" }\n\
         repair = { dist = \"exponential\", mean = \"1h\" }\n\
         [workload]\nrate = 20.0\nservice = { dist = \"exponential\", mean = \"20ms\" }\n",
    );
    let out = dir.path().join("out");
    let Some((o, rss)) = limited_rss(&["run", &f, "--out", out.to_str().unwrap()]) else {
        return;
    };
    assert!(o.status.success(), "{}", stderr(&o));
    eprintln!("peak RSS {rss:.0} MiB");
    assert!(rss < 1024.0, "peak RSS {rss:.0} MiB");
}
