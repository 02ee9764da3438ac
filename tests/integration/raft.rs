//! Raft elections as Raft does them (Ongaro & Ousterhout, "In Search of an
//! Understandable Consensus Algorithm", §5.2 and §9.3): each node's own
//! timer, one vote per term, a majority of `nodes.count`; and a trace that
//! stays bounded through endless split terms.

use crate::support::{events, hasim, outages, run, stderr};
use hasim::validation::{raft_rows, RaftRow, RAFT_TIMEOUTS};

/// The paper's median with 5 ms of randomness (150–155 ms).
const PAPER_MEDIAN_MS: f64 = 287.0;

#[test]
fn raft_reproduces_the_papers_figure_16_shape() {
    let rows = raft_rows();
    assert_eq!(rows.len(), RAFT_TIMEOUTS.len() + 1);
    for r in &rows {
        let s: Vec<String> = [0.5, 0.9, 0.99, 1.0]
            .iter()
            .map(|&p| format!("{:.0}", r.quantile(p)))
            .collect();
        eprintln!(
            "{}–{} ms: {} elections, {} unfinished, p50/p90/p99/max {}",
            r.min_ms,
            r.max_ms,
            r.elections.len(),
            r.unfinished(),
            s.join("/")
        );
        // One crash per replication, so one outage each.
        assert_eq!(r.elections.len(), 1000);
        // No election can end before the first timeout plus a vote there
        // and back (both delays are positive).
        assert!(r.quantile(0.0) > f64::from(r.min_ms), "{}", r.quantile(0.0));
    }
    let row = |max: u32| -> &RaftRow {
        rows.iter()
            .find(|r| r.max_ms == max && !r.uniform_delay)
            .unwrap()
    };
    // No randomness: every term splits, no leader for the whole 59 s that
    // follow the crash (the paper: "consistently longer than 10 seconds").
    let fixed = row(150);
    assert_eq!(fixed.unfinished(), 1000);
    assert!(fixed.quantile(0.0) >= 59_000.0);
    // 5 ms of randomness: every election ends, the median within a small
    // multiple of the paper's 287 ms.
    let five = row(155);
    assert_eq!(five.unfinished(), 0);
    let median = five.quantile(0.5);
    assert!(
        median < 4.0 * PAPER_MEDIAN_MS,
        "median {median} ms is more than 4 × the paper's"
    );
    // Many split terms still: the median election needs more than one
    // timeout and a vote.
    assert!(median > 155.0 + 30.0, "{median}");
    // Delays never under 7.5 ms: the timers must drift further apart
    // before a candidate's request beats its rivals' timeouts; every
    // election still ends, later.
    let uniform = rows.last().unwrap();
    assert!(uniform.uniform_delay && uniform.max_ms == 155);
    assert_eq!(uniform.unfinished(), 0);
    assert!(uniform.quantile(0.5) > median);
    // More randomness, shorter tail: p99 and the longest election shrink.
    for w in [155, 175, 200, 300].windows(2) {
        let (a, b) = (row(w[0]), row(w[1]));
        assert!(
            b.quantile(0.99) < a.quantile(0.99),
            "p99 {}–{}: {} vs {}–{}: {}",
            a.min_ms,
            a.max_ms,
            a.quantile(0.99),
            b.min_ms,
            b.max_ms,
            b.quantile(0.99)
        );
        assert_eq!(b.unfinished(), 0);
    }
    assert!(row(300).quantile(1.0) < row(155).quantile(1.0) / 4.0);
    // With 150–300 ms a split is rare: most elections take one timeout
    // and a vote, well under the upper end plus a few message delays.
    assert!(row(300).quantile(0.5) < 300.0);
}

/// Five nodes, raft with the default 150–300 ms timeouts, instant
/// detection, and the given faults.
fn five(faults: &str) -> String {
    format!(
        r#"
        architecture = "asymmetric-cluster"
        duration = "100s"
        [nodes]
        count = 5
        [detection]
        heartbeat = "0s"
        [failover]
        switch = "0s"
        [election]
        algorithm = "raft"
        message_delay = {{ dist = "uniform", min = "7.5ms", max = "15ms" }}
        {faults}
        "#
    )
}

fn crash(node: u32, at: &str, for_: &str) -> String {
    format!("[[faults]]\nat = \"{at}\"\nnode = {node}\nkind = \"crash\"\nfor = \"{for_}\"\n")
}

#[test]
fn raft_needs_three_of_five() {
    // The master and two slaves crash at 10 s: two of five run, no
    // majority, no master, whatever the timers do. Node 0 is back at 20 s:
    // three of five, and an election (at least one timeout and a vote
    // later) ends the outage.
    let faults = crash(0, "10s", "10s") + &crash(1, "10s", "30s") + &crash(2, "10s", "30s");
    let (_, o, _) = run(&five(&faults));
    let ev = events(&o);
    let elected: Vec<f64> = ev
        .iter()
        .filter(|e| e.2 == "elected")
        .map(|e| e.0)
        .collect();
    assert_eq!(elected.len(), 1, "{ev:?}");
    assert!(elected[0] > 20.150 && elected[0] < 30.0, "{}", elected[0]);
    let out = outages(&o);
    assert_eq!(out.len(), 1);
    assert_eq!((out[0].0, out[0].1), (10.0, elected[0]));
}

#[test]
fn a_raft_master_steps_down_with_two_of_five() {
    // Three slaves crash at 10 s: the master still runs but has lost its
    // majority and steps down at once (SPEC §2: no master without a
    // majority running and reachable). One slave back at 40 s: three of
    // five again, and an election.
    let faults = crash(1, "10s", "30s") + &crash(2, "10s", "50s") + &crash(3, "10s", "50s");
    let (_, o, _) = run(&five(&faults));
    assert!(o
        .events
        .iter()
        .any(|e| e.time_ns == 10_000_000_000 && e.detail.contains("steps down")));
    let elected: Vec<f64> = events(&o)
        .iter()
        .filter(|e| e.2 == "elected")
        .map(|e| e.0)
        .collect();
    assert_eq!(elected.len(), 1);
    assert!(elected[0] > 40.150 && elected[0] < 50.0, "{}", elected[0]);
    let out = outages(&o);
    assert_eq!((out[0].0, out[0].1), (10.0, elected[0]));
}

#[test]
fn raft_elections_are_deterministic() {
    let text = five(&crash(0, "10s", "10s")).replace(
        "duration = \"100s\"",
        "duration = \"100s\"\nreplications = 40",
    );
    let (_, a, _) = run(&text);
    let (_, b, _) = run(&text);
    assert_eq!(a.outage_list.len(), 40);
    let d = |o: &hasim::montecarlo::Outcome| -> Vec<(u64, u64)> {
        o.outage_list
            .iter()
            .map(|(_, x)| (x.start_ns, x.end_ns))
            .collect()
    };
    assert_eq!(d(&a), d(&b));
    assert_eq!(a.events, b.events);
}

/// Endless split terms: identical timeouts, the master gone for good.
const SPLIT_FOREVER: &str = r#"
    name = "split-forever"
    architecture = "asymmetric-cluster"
    duration = "3h"
    [nodes]
    count = 5
    [detection]
    heartbeat = "0s"
    [election]
    algorithm = "raft"
    timeout = "150ms"
    message_delay = { dist = "uniform", min = "7.5ms", max = "15ms" }
    [[faults]]
    at = "10s"
    node = 0
    kind = "permanent"
"#;

#[test]
fn endless_split_terms_keep_a_bounded_trace() {
    // Four candidates stand every 150 ms: 96 000 events an hour. The
    // trace keeps TRACE_CAP of them and a last row saying where it stops.
    let (_, o, s) = run(SPLIT_FOREVER);
    let cap = hasim::model::TRACE_CAP;
    assert_eq!(o.events.len(), cap + 1);
    let last = o.events.last().unwrap();
    assert_eq!(last.event, hasim::model::TRACE_CUT);
    // 3 events before the first term, then 4 per 150 ms term: the cut
    // falls in term (cap − 3) / 4 + 1, 150 ms each, after 10 s.
    let term = (cap as u64 - 3) / 4 + 1;
    assert_eq!(last.time_ns, 10_000_000_000 + term * 150_000_000);
    assert!(!o.events.iter().any(|e| e.event == "elected"));
    assert_eq!(s.uptime, 10.0 / (3.0 * 3600.0));
}

#[test]
fn a_cut_trace_still_explains_and_draws() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("split-forever.toml");
    std::fs::write(&file, SPLIT_FOREVER).unwrap();
    let out = dir.path().join("out");
    let r = hasim(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", stderr(&r));
    let csv = std::fs::read_to_string(out.join("events.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + hasim::model::TRACE_CAP + 1);
    assert!(csv.lines().last().unwrap().contains(",trace_cut,"));
    for chart in ["timeline.png", "availability.png", "index.html"] {
        assert!(
            std::fs::metadata(out.join(chart)).unwrap().len() > 1000,
            "{chart}"
        );
    }
    // A shard of it merges back into the same events.csv (the cut row's
    // name survives the shard file).
    let shards = dir.path().join("shards");
    let r = hasim(&[
        "run",
        file.to_str().unwrap(),
        "--shard",
        "0/1",
        "--out",
        shards.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", stderr(&r));
    let merged = dir.path().join("merged");
    let r = hasim(&[
        "merge",
        shards.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", stderr(&r));
    assert_eq!(
        std::fs::read_to_string(merged.join("events.csv")).unwrap(),
        csv
    );
    let e = hasim(&["explain", file.to_str().unwrap()]);
    assert!(e.status.success(), "{}", stderr(&e));
    let text = String::from_utf8_lossy(&e.stdout);
    assert!(text.contains("split vote"), "{text}");
    assert!(text.contains("those the trace kept"), "{text}");
}

#[test]
fn raft_first_term_wins_match_the_exact_probability() {
    // Three nodes; the master crashes at 1 s (detected at once). Nodes 1
    // and 2 draw timeouts 150 + U(0, w) ms, w = 150; messages take d = 30
    // ms. The earlier one (gap g to the other) wins in the first term iff
    // its request arrives before the other times out: g > d, probability
    // (1 − d/w)² = 0.64; it is then elected its vote there and back after
    // its timeout: 150 + E[min | g > d] + 2d = 150 + (w − d)/3 + 60 = 250
    // ms on average, and always before 300 + d. Otherwise both stand (a
    // split) and restart their timers from their own starts: nothing
    // is elected before 300 + 2d.
    let text = r#"
        architecture = "asymmetric-cluster"
        duration = "10s"
        replications = 4000
        [nodes]
        count = 3
        [detection]
        heartbeat = "0s"
        [election]
        algorithm = "raft"
        timeout = { dist = "uniform", min = "150ms", max = "300ms" }
        message_delay = "30ms"
        [[faults]]
        at = "1s"
        node = 0
        kind = "crash"
        for = "20s"
    "#;
    let (_, o, _) = run(text);
    let ms: Vec<f64> = o
        .outage_list
        .iter()
        .map(|(_, x)| {
            assert!(!x.censored);
            x.duration_ns() as f64 / 1e6
        })
        .collect();
    assert_eq!(ms.len(), 4000);
    let first: Vec<f64> = ms.iter().copied().filter(|&t| t < 330.0).collect();
    assert!(
        ms.iter().all(|&t| !(330.0..360.0).contains(&t)),
        "a win in the gap"
    );
    let p = first.len() as f64 / ms.len() as f64;
    let se = (0.64f64 * 0.36 / 4000.0).sqrt();
    assert!((p - 0.64).abs() < 4.0 * se, "P(first term) {p}, exact 0.64");
    let mean = first.iter().sum::<f64>() / first.len() as f64;
    // sd of the winner's timeout given g > d is (w − d)/√18 ≈ 28 ms.
    let se = 120.0 / 18f64.sqrt() / (first.len() as f64).sqrt();
    assert!((mean - 250.0).abs() < 4.0 * se, "mean {mean}, exact 250");
    assert!(first.iter().all(|&t| t > 150.0 + 60.0));
}

#[test]
fn raft_results_do_not_depend_on_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for threads in ["1", "2"] {
        let dir = tmp.path().join(threads);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_hasim"))
            .args([
                "run",
                "validation/raft-elections.toml",
                "--replications",
                "40",
            ])
            .arg("--out")
            .arg(&dir)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        files.push(
            ["outages.csv", "events.csv", "summary.json"]
                .map(|f| std::fs::read(dir.join(f)).unwrap()),
        );
    }
    assert!(
        files[0] == files[1],
        "raft results depend on the thread count"
    );
    let outages = String::from_utf8_lossy(&files[0][0]).lines().count();
    assert_eq!(outages, 1 + 40);
}
