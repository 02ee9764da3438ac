//! SPEC §8 fencing in an asymmetric cluster's elections, worked by hand:
//! the new master must not serve until the old one is fenced (stonith:
//! `fence` time; lease: the old lease has run out), for `lowest-id` as for
//! `raft`.
//!
//! Three nodes, heartbeats every 1 s, fall 3, rise 2, automatic election,
//! `switch` 5 s (used by `lowest-id` only), raft timeout a fixed 5 s and
//! messages 1 ms. Node 2 (a slave) crashes at 50 s and is repaired at
//! 103.5 s (marked up at 105: deliveries at 104 and 105). Node 0 (the
//! master) is partitioned at 100.5 s for 60 s: it misses 101, 102, 103 and
//! is marked down at 103 while running (a false failover); its last
//! delivered heartbeat, the lease's last renewal, was at 100. It heals at
//! 160.5 and, if nothing fenced it, is marked up at 162 (then it learns it
//! is a slave). The writes (master class) are down from 100.5.
//!
//! lowest-id: node 1 (the only live slave marked up) is chosen at 103.
//! - none: master at 103 + 5 = 108; split brain 108–162 = 54 s.
//! - stonith (fence 10 s): node 0 powered off at 113, node 1 master at
//!   113 + 5 = 118; back from its 2 min reboot at 233 (marked up at 234).
//! - lease (10 s): runs out at 110, after the switch's end (108): node 1
//!   master at 110.
//!
//! raft: at 103 only node 1 is live: its timer fires at 108. Node 2's
//! mark-up at 105 starts node 2's timer (fires at 110). At 108 node 1
//! stands in term 1 with node 2 reachable (a majority of 3 with itself);
//! the vote request reaches node 2 at 108.001, the vote is back at
//! 108.002: node 1 wins (decision 103–108.002 = 5.002 s).
//! - none: master at 108.002; split brain 108.002–162 = 53.998 s.
//! - stonith: fenced at 118.002 (the winner fences after winning), master
//!   at 118.002; node 0 back at 238.002.
//! - lease: master at 110 (the lease, renewed at 100, runs out then).

use crate::support::{events, hasim, outages, run, stderr};

fn cluster(algorithm: &str, fencing: &str) -> String {
    let timeout = if algorithm == "raft" {
        "timeout = \"5s\"\nmessage_delay = \"1ms\""
    } else {
        ""
    };
    format!(
        r#"
        name = "{algorithm}"
        architecture = "asymmetric-cluster"
        duration = "1000s"
        [nodes]
        count = 3
        [detection]
        heartbeat = "1s"
        fall = 3
        rise = 2
        [failover]
        promotion = "automatic"
        switch = "5s"
        {fencing}
        [election]
        algorithm = "{algorithm}"
        {timeout}
        [[faults]]
        at = "50s"
        node = 2
        kind = "crash"
        for = "53.5s"
        [[faults]]
        at = "100.5s"
        node = 0
        kind = "partition"
        for = "60s"
        "#
    )
}

const NONE: &str = r#"fencing = "none""#;
const STONITH: &str = "fencing = \"stonith\"\nfence = \"10s\"\nreboot = \"2m\"";
const LEASE: &str = "fencing = \"lease\"\nlease = \"10s\"";

/// (detection, decision, fencing, start, switch, repair), seconds per run.
fn breakdown(s: &hasim::report::summary::Summary) -> [f64; 6] {
    s.imperfect.downtime_breakdown_s.values()
}

/// One outage (start, end), split brain, false failovers, failovers, the
/// phases and the events.
type Seen = (
    (f64, f64),
    f64,
    f64,
    f64,
    [f64; 6],
    Vec<(f64, Option<u32>, &'static str)>,
);

fn see(algorithm: &str, fencing: &str) -> Seen {
    let (_, o, s) = run(&cluster(algorithm, fencing));
    let out = outages(&o);
    assert_eq!(out.len(), 1, "{algorithm}, {fencing}: {out:?}");
    (
        (out[0].0, out[0].1),
        s.imperfect.split_brain_s,
        s.imperfect.false_failovers,
        s.failovers,
        breakdown(&s),
        events(&o),
    )
}

fn close(a: [f64; 6], b: [f64; 6]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
}

#[test]
fn lowest_id_without_fencing_leaves_two_masters() {
    let (out, split, ff, f, ph, ev) = see("lowest-id", NONE);
    assert_eq!(out, (100.5, 108.0));
    assert_eq!((split, ff, f), (54.0, 1.0, 1.0));
    assert_eq!(ph, [2.5, 0.0, 0.0, 0.0, 5.0, 0.0]);
    assert!(ev.contains(&(108.0, Some(1), "elected")), "{ev:?}");
    assert!(ev.contains(&(162.0, Some(0), "stepped_down")), "{ev:?}");
}

#[test]
fn lowest_id_waits_for_stonith() {
    let (out, split, ff, f, ph, ev) = see("lowest-id", STONITH);
    assert_eq!(out, (100.5, 118.0));
    assert_eq!((split, ff, f), (0.0, 1.0, 1.0));
    assert_eq!(ph, [2.5, 0.0, 10.0, 0.0, 5.0, 0.0]);
    assert!(ev.contains(&(113.0, Some(0), "fenced")), "{ev:?}");
    assert!(ev.contains(&(118.0, Some(1), "elected")), "{ev:?}");
    assert!(ev.contains(&(233.0, Some(0), "repaired")), "{ev:?}");
}

#[test]
fn lowest_id_waits_for_the_lease() {
    let (out, split, ff, f, ph, ev) = see("lowest-id", LEASE);
    assert_eq!(out, (100.5, 110.0));
    assert_eq!((split, ff, f), (0.0, 1.0, 1.0));
    assert_eq!(ph, [2.5, 0.0, 2.0, 0.0, 5.0, 0.0]);
    let at_110: Vec<_> = ev
        .iter()
        .filter(|e| e.0 == 110.0)
        .map(|e| (e.1, e.2))
        .collect();
    assert_eq!(
        at_110,
        vec![
            (Some(0), "lease_expired"),
            (Some(0), "stepped_down"),
            (Some(1), "elected")
        ]
    );
}

#[test]
fn raft_without_fencing_leaves_two_masters() {
    let (out, split, ff, f, ph, ev) = see("raft", NONE);
    assert_eq!(out, (100.5, 108.002));
    assert!((split - 53.998).abs() < 1e-9, "{split}");
    assert_eq!((ff, f), (1.0, 1.0));
    assert!(close(ph, [2.5, 5.002, 0.0, 0.0, 0.0, 0.0]), "{ph:?}");
    assert!(ev.contains(&(108.002, Some(1), "elected")), "{ev:?}");
    assert!(ev.contains(&(162.0, Some(0), "stepped_down")), "{ev:?}");
}

#[test]
fn raft_winner_waits_for_stonith() {
    let (out, split, ff, f, ph, ev) = see("raft", STONITH);
    assert_eq!(out, (100.5, 118.002));
    assert_eq!((split, ff, f), (0.0, 1.0, 1.0));
    assert!(close(ph, [2.5, 5.002, 10.0, 0.0, 0.0, 0.0]), "{ph:?}");
    // The fence comes first in that instant, then the winner serves.
    let at: Vec<_> = ev
        .iter()
        .filter(|e| e.0 == 118.002)
        .map(|e| (e.1, e.2))
        .collect();
    assert_eq!(
        at,
        vec![
            (Some(0), "fenced"),
            (Some(0), "crashed"),
            (Some(1), "elected")
        ]
    );
    assert!(ev.contains(&(238.002, Some(0), "repaired")), "{ev:?}");
}

#[test]
fn raft_winner_waits_for_the_lease() {
    let (out, split, ff, f, ph, ev) = see("raft", LEASE);
    assert_eq!(out, (100.5, 110.0));
    assert_eq!((split, ff, f), (0.0, 1.0, 1.0));
    assert!(close(ph, [2.5, 5.002, 1.998, 0.0, 0.0, 0.0]), "{ph:?}");
    let at_110: Vec<_> = ev
        .iter()
        .filter(|e| e.0 == 110.0)
        .map(|e| (e.1, e.2))
        .collect();
    assert_eq!(
        at_110,
        vec![
            (Some(0), "lease_expired"),
            (Some(0), "stepped_down"),
            (Some(1), "elected")
        ]
    );
}

#[test]
fn explain_tells_the_fencing_phase_of_an_election() {
    let dir = tempfile::tempdir().unwrap();
    for (alg, fencing, words, phases) in [
        (
            "raft",
            STONITH,
            "is fenced (STONITH)",
            "detection 2.5s, decision 5.002s, fencing 10s",
        ),
        (
            "raft",
            LEASE,
            "lease runs out",
            "detection 2.5s, decision 5.002s, fencing 1.998s",
        ),
        (
            "lowest-id",
            STONITH,
            "is fenced (STONITH)",
            "detection 2.5s, fencing 10s, switch 5s",
        ),
        (
            "lowest-id",
            LEASE,
            "lease runs out",
            "detection 2.5s, fencing 2s, switch 5s",
        ),
    ] {
        let path = dir.path().join(format!("{alg}.toml"));
        std::fs::write(&path, cluster(alg, fencing)).unwrap();
        let out = hasim(&["explain", path.to_str().unwrap(), "--outage", "1"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(text.contains("\n  Fencing:\n"), "{alg}: {text}");
        assert!(text.contains(words), "{alg}: {text}");
        assert!(
            text.contains(&format!("Where the time went: {phases}.")),
            "{alg}: {text}"
        );
    }
}

#[test]
fn a_later_candidate_waits_for_the_fence_under_way() {
    // lowest-id with stonith, and node 1, the chosen candidate, crashes at
    // 104 during the fence (103–113). Node 2 is chosen at 104 with a fresh
    // 5 s switch; the old master still runs until 113, so node 2's switch
    // starts only then: master at 118, no split brain (without waiting for
    // the fence it would serve at 109, beside the old master until 113).
    let text = cluster("lowest-id", STONITH).replace(
        "at = \"50s\"\n        node = 2\n        kind = \"crash\"\n        for = \"53.5s\"",
        "at = \"104s\"\n        node = 1\n        kind = \"crash\"\n        for = \"1000s\"",
    );
    assert!(text.contains("at = \"104s\""), "{text}");
    let (_, o, s) = run(&text);
    let out = outages(&o);
    assert_eq!(
        out.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>(),
        vec![(100.5, 118.0)]
    );
    assert_eq!(s.imperfect.split_brain_s, 0.0);
    assert_eq!((s.imperfect.false_failovers, s.failovers), (1.0, 1.0));
    assert_eq!(breakdown(&s), [2.5, 0.0, 10.0, 0.0, 5.0, 0.0]);
    let ev = events(&o);
    assert!(
        ev.contains(&(104.0, Some(1), "promotion_abandoned")),
        "{ev:?}"
    );
    assert!(ev.contains(&(113.0, Some(0), "fenced")), "{ev:?}");
    assert!(ev.contains(&(118.0, Some(2), "elected")), "{ev:?}");
}
