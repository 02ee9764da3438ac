//! `hasim explain` says what the scenario and its first run did, with the
//! words SPEC §2 uses: each architecture's routing and detection, the
//! election actually configured, the promotion mode, `task_timeout`, and
//! "failover" only when a different node starts serving. Each test checks
//! the key sentences AND the absence of the wrong ones.

use crate::support::{hasim, stderr};
use std::fs;
use std::path::Path;

/// `hasim explain FILE ARGS...`, which must succeed.
fn explain(file: &Path, args: &[&str]) -> String {
    let mut all = vec!["explain", file.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = hasim(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8(o.stdout).expect("explain prints UTF-8")
}

/// Explains `text`, written to a temporary scenario file.
fn explain_text(text: &str, args: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("story.toml");
    fs::write(&file, text).unwrap();
    explain(&file, args)
}

fn bundled(name: &str, args: &[&str]) -> String {
    explain(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(name),
        args,
    )
}

#[track_caller]
fn has(text: &str, wanted: &[&str], banned: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "missing {w:?} in:\n{text}");
    }
    for b in banned {
        // A slip like "1 requests" must not match "1079461 requests", and
        // "1 times" must not match the verb in "node 1 times out".
        let found = text.match_indices(b).any(|(i, _)| {
            let longer_number = b.starts_with(|c: char| c.is_ascii_digit())
                && text[..i].ends_with(|c: char| c.is_ascii_digit() || c == '.');
            let verb = b.ends_with("times") && text[i + b.len()..].starts_with(" out");
            !longer_number && !verb
        });
        assert!(!found, "wrong words {b:?} in:\n{text}");
    }
}

/// The text after the header (name and the user's description).
fn body(text: &str) -> &str {
    text.split_once("\n\n").map_or(text, |(_, rest)| rest)
}

/// Slips that must never come back, in any explain.
const SLIPS: [&str; 9] = [
    "1 requests",
    "1 replications",
    "every about",
    "up to 1 time",
    "time(s)",
    "(s) ",
    "1 times",
    "1 outages",
    "1 retries",
];

#[test]
fn explain_tells_the_story_of_a_failover() {
    let text = explain_text(
        r#"
        architecture = "cold-standby"
        duration = "2000s"
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
    "#,
        &[],
    );
    has(
        &text,
        &[
            "Cold standby (冷备)",
            "checks no health",
            "00:01:40  Node 0 (the primary) fails for good",
            "00:01:40  ⇒ The service goes DOWN: node 0 failed for good.",
            // The failure at 100 s comes before that instant's heartbeat:
            // the heartbeats due at 100, 101 and 102 s are missed.
            "00:01:42  Heartbeats mark node 0, the primary, down (its 3rd missed heartbeat, 2s after it stopped); the distributor does not route by them and keeps sending it every task.",
            "00:01:42  The mark-down alerts an operator, who will act in 10m 00s.",
            "00:11:42  The operator acts: the primary's failure is permanent, so they promote a backup.",
            "00:11:42  Node 1 is chosen to take over (start 5m 00s + switch 30s).",
            // 102 + 600 + 300 + 30 = 1032 s: down for 932 s.
            "00:17:12  ⇒ The service is back, after 15m 32s down.",
            "00:17:12  Node 1 now serves as primary: a failover (the primary role moves from node 0 to node 1).",
            "marked down at its 3rd consecutive missed heartbeat (between 2 and 3 seconds after it stops)",
            "starts a backup's service (5 minutes) and then re-points the distributor to it (30 seconds)",
            "A different node took over as primary once per run",
            "No workload",
        ],
        &SLIPS,
    );
    // Bad input is bad input here too.
    assert_eq!(hasim(&["explain", "no/such.toml"]).status.code(), Some(2));
}

#[test]
fn cold_standby_waits_for_repairs_and_never_routes_by_health() {
    let text = bundled("cold-standby.toml", &[]);
    has(
        &text,
        &[
            "fails on average every 15 days (exponential)",
            "repaired in a median of 20 minutes (log-normal, σ 0.8; mean 27.5 minutes)",
            "1 request per second",
            "Each task is sent once: a task that fails is lost (attempts = 1, no retry).",
            "The distributor does not route by these marks",
            "A mark-down of the primary matters because it alerts the operator.",
            "The operator acts: the failure is recoverable, so they leave the primary to its repair.",
            // A repaired primary serving again is not a failover.
            "Node 0 is repaired and serves as primary again (the same node: no failover).",
            "gives 10 replications with 95 % intervals",
        ],
        &[
            &SLIPS[..],
            &[
                "lowest id",
                "The distributor marks node",
                "stops sending it tasks",
                "Raft",
            ],
        ]
        .concat(),
    );
}

#[test]
fn warm_standby_promotion_costs_only_the_switch() {
    let text = bundled("warm-standby.toml", &[]);
    has(
        &text,
        &[
            "Warm standby (温备)",
            "the operator re-points the distributor to a backup (1 minute)",
            "Node 1 now serves as primary: a failover (the primary role moves from node 0 to node 1).",
        ],
        &[&SLIPS[..], &["starts a backup's service", "lowest id"]].concat(),
    );
}

#[test]
fn master_slave_keeps_sending_master_classes_to_a_failed_master() {
    let text = bundled("master-slave.toml", &[]);
    has(
        &text,
        &[
            "Master-slave (主从)",
            "without health checks",
            "it keeps sending to the master it is configured with and to every slave",
            "Task classes: A (50 %) to the master, B (50 %) to the slaves.",
            "Node 0 (the master) fails for good (replacement in 2d 00h); the distributor keeps sending it the master classes (A).",
            "Heartbeats mark node 0, the master, down",
            "The operator acts: the master's failure is permanent, so they promote a slave.",
            "Node 1 now serves as master: a failover (the master role moves from node 0 to node 1).",
            "Node 0 now serves as master: a failover (the master role moves from node 1 to node 0).",
            "A different node took over as master twice per run",
        ],
        // No heartbeat mark-down story: master-slave routes without them.
        &[
            &SLIPS[..],
            &[
                "The distributor marks node",
                "stops sending it tasks",
                "lowest id",
                "primary",
            ],
        ]
        .concat(),
    );
}

#[test]
fn symmetric_cluster_routes_by_heartbeats_and_has_no_failover() {
    // Node 1 crashes at 00:14:26.702363 (its own failure draw); heartbeats
    // are due on whole seconds, so the 3rd missed one is at 00:14:29:
    // 29 - 26.702363 = 2.298 s after it stopped.
    let text = bundled("symmetric-cluster.toml", &[]);
    has(
        &text,
        &[
            "The distributor sends tasks only to nodes marked up, so until the mark-down it still sends tasks to a stopped node",
            "Node 1 (a member) crashes",
            "The distributor marks node 1 down (its 3rd missed heartbeat, 2.298s after it stopped) and stops sending it tasks.",
            "Node 1 is marked up again (its 2nd delivered heartbeat) and gets tasks again.",
            "Each request is tried up to twice",
            "The service never went down in this run.",
        ],
        &[
            &SLIPS[..],
            &[
                "a failover",
                "took over",
                "Promotion",
                "operator",
                "lowest id",
            ],
        ]
        .concat(),
    );
}

#[test]
fn asymmetric_lowest_id_names_its_election() {
    let text = bundled("asymmetric-cluster.toml", &[]);
    has(
        &text,
        &[
            "the cluster makes the running slave with the lowest id the new master",
            "Election (lowest id)",
            "serves as master in 2 seconds",
            "The cluster starts an election: the running slave with the lowest id that is marked up will be master after the switch (2 seconds).",
            "Node 1, the live slave with the lowest id, becomes master: a failover (the master role moves from node 0 to node 1).",
        ],
        &[&SLIPS[..], &["Raft", "majority"]].concat(),
    );
}

#[test]
fn asymmetric_raft_never_says_lowest_id() {
    let text = bundled(
        "asymmetric-cluster.toml",
        &["--set", "election.algorithm=raft"],
    );
    has(
        // The scenario's own description speaks of lowest ids.
        body(&text),
        &[
            "the nodes elect a new one by Raft votes",
            "Election (Raft)",
            "random election timeout (between 150 and 300 ms, uniform)",
            "a majority (2 of all 3 nodes)",
            "A master that can no longer reach a majority steps down",
            "The cluster starts a Raft election",
            "has a majority of votes and is master: a failover",
        ],
        &[&SLIPS[..], &["lowest id", "Election (lowest id)"]].concat(),
    );
}

#[test]
fn zookeeper_pause_and_forwarding_are_told_only_when_on() {
    let on = bundled("zookeeper.toml", &[]);
    has(
        &on,
        &[
            "ZooKeeper's pause: while no master is marked up, every request waits",
            "ZooKeeper's forwarding: clients send master-class tasks to any node",
            "between 1 and 3 ms (uniform) each way",
            "With no master marked up, ZooKeeper's pause holds every request.",
        ],
        &SLIPS,
    );
    let off = bundled(
        "zookeeper.toml",
        &[
            "--set",
            "election.pause=false",
            "--set",
            "election.forward=false",
        ],
    );
    has(
        body(&off),
        &["Election (lowest id)"],
        &["ZooKeeper's pause", "forwarding"],
    );
}

const HUNG: &str = r#"
    architecture = "symmetric-cluster"
    duration = "30m"
    [nodes]
    count = 3
    [workload]
    rate = 1
    service = "10ms"
    deadline = "3s"
    [dispatch]
    attempts = 3
    [[faults]]
    at = "10m"
    node = 1
    kind = "hang"
    for = "5m"
"#;

#[test]
fn hung_node_is_noticed_by_the_task_timeout_only() {
    let text = bundled("hung-node.toml", &[]);
    has(
        &text,
        &[
            "Task timeout 500 ms: the distributor gives up on a task with no answer after 500 ms and sends it again to another node.",
            "This is what rescues a task sent to a hung node (its heartbeats go on, so it is never marked down)",
            "Node 1 (a member) hangs for 5m 00s: it takes tasks and answers none. Its heartbeats go on, so it is never marked down and keeps getting tasks; each fails after the task timeout (500ms) and is sent again to another node.",
            "Node 1 answers tasks again: the hang is over.",
        ],
        &[&SLIPS[..], &["marks node 1 down", "No task_timeout"]].concat(),
    );
    // With one attempt, the timeout only ends the wait sooner.
    let text = bundled("hung-node.toml", &["--set", "dispatch.attempts=1"]);
    has(
        &text,
        &[
            "counts it as failed (attempts = 1: no retry)",
            "fails sooner, but it still fails",
            "each fails after the task timeout (500ms), with no retry.",
        ],
        &[&SLIPS[..], &["rescues", "sent again"]].concat(),
    );
    // The same hang without a task timeout: nothing notices.
    let text = explain_text(HUNG, &[]);
    has(
        &text,
        &[
            "No task_timeout is set: a task sent to a hung node (its heartbeats go on, so it is never marked down) or to a node cut off by a partition gets no answer and is never retried; it fails only at its deadline, 3 seconds after it arrived.",
            "With no task_timeout nothing notices: they wait for an answer that never comes, until their deadline.",
            "1 request per second",
            "Each request is tried up to 3 times",
        ],
        &[&SLIPS[..], &["Task timeout", "marks node 1 down"]].concat(),
    );
}

/// A warm standby whose primary fails for good at 1 h; a new machine
/// joins after a day.
fn permanent_primary(promotion: &str) -> String {
    format!(
        r#"
        architecture = "warm-standby"
        duration = "3d"
        [nodes]
        count = 2
        replace = "1d"
        permanent = 0.0
        [failover]
        promotion = "{promotion}"
        operator = "10m"
        switch = "1m"
        [[faults]]
        at = "1h"
        node = 0
        kind = "permanent"
    "#
    )
}

#[test]
fn manual_automatic_and_no_promotion_are_told_apart() {
    let manual = explain_text(&permanent_primary("manual"), &[]);
    has(
        &manual,
        &[
            "Promotion is manual: when the primary is marked down, an operator is alerted and acts after 10 minutes.",
            "The mark-down alerts an operator, who will act in 10m 00s.",
            "The operator acts: the primary's failure is permanent, so they promote a backup.",
            "Node 1 now serves as primary: a failover (the primary role moves from node 0 to node 1).",
            "A new machine takes node 0's place and joins as a backup.",
        ],
        &SLIPS,
    );
    let automatic = explain_text(&permanent_primary("automatic"), &[]);
    has(
        &automatic,
        &[
            "Promotion is automatic: as soon as the primary is marked down, the running backup with the lowest id that is marked up takes over once the distributor is re-pointed (1 minute).",
            "A mark-down of the primary matters because it starts the promotion.",
            "01:00:02  Node 1 is chosen to take over (switch 1m 00s).",
            "01:01:02  Node 1 now serves as primary: a failover",
        ],
        &[&SLIPS[..], &["operator", "starts its service"]].concat(),
    );
    let none = explain_text(&permanent_primary("none"), &[]);
    has(
        &none,
        &[
            "There is no promotion: a failed primary is waited for until its repair; after a permanent failure the replacement machine takes the role when it joins.",
            "With no promotion, a mark-down of the primary changes nothing",
            "1d 01:00:00  A new machine takes node 0's place.",
            "The new machine in node 0's place takes the primary role: the same node id, so it is not counted as a failover.",
            "No failover: the primary role never moved to a different node.",
        ],
        &[&SLIPS[..], &["a failover (", "operator", "joins as a backup"]].concat(),
    );
}

#[test]
fn the_same_node_promoted_again_is_not_a_failover() {
    // The backup is down when the primary crashes: the automatic promotion
    // waits, and the first node back is the old primary itself.
    let text = explain_text(
        r#"
        architecture = "cold-standby"
        duration = "2h"
        [nodes]
        count = 2
        [failover]
        promotion = "automatic"
        start = "1m"
        switch = "10s"
        [[faults]]
        at = "10m"
        node = 1
        kind = "crash"
        for = "30m"
        [[faults]]
        at = "15m"
        node = 0
        kind = "crash"
        for = "5m"
    "#,
        &[],
    );
    has(
        &text,
        &[
            "The promotion starts, but no backup is running and marked up: it waits for the first one.",
            "00:20:00  Node 0 is repaired and returns as a backup.",
            "00:20:01  Node 0 is chosen to take over (start 1m 00s + switch 10s).",
            // 15:00 to 20:01 + 70 s.
            "00:21:11  ⇒ The service is back, after 6m 11s down.",
            "00:21:11  Node 0 now serves as primary again: the same node returns to its role, which is not a failover.",
            "No failover: the primary role never moved to a different node.",
        ],
        &[&SLIPS[..], &["a failover (", "serves as primary again (the same node"]].concat(),
    );
}

#[test]
fn distributions_are_described_by_what_they_are() {
    let text = explain_text(
        r#"
        architecture = "symmetric-cluster"
        duration = "1h"
        [nodes]
        count = 2
        failure = { dist = "weibull", shape = 1.0, scale = "30d" }
        repair = { dist = "uniform", min = "10m", max = "20m" }
        [workload]
        rate = 2.5
        service = "10ms"
        [dispatch]
        attempts = 2
        backoff = "100ms"
        [detection]
        heartbeat = "0s"
        "#,
        &[],
    );
    has(
        &text,
        &[
            // Weibull with shape 1: the mean is the scale.
            "Each node fails on average every 30 days (Weibull, shape 1, scale 30 days) and is repaired in between 10 and 20 minutes (uniform).",
            "Detection is instant (heartbeat 0 seconds)",
            "2.5 requests per second (Poisson arrivals), each taking 10 ms to serve.",
            "a failed task is sent again after a backoff of 100 ms",
        ],
        &[&SLIPS[..], &["about"]].concat(),
    );
}

#[test]
fn explain_prints_no_control_characters_from_user_text() {
    let text = explain_text(
        "architecture = \"master-slave\"\n\
         description = \"clear\\u001b[2J the screen\\u0007, set the title \\u001b]0;pwned\\u0007 and \\u009b C1\\nsecond line\"\n\
         duration = \"1h\"\n\
         [nodes]\ncount = 2\n\
         [workload]\nrate = 1\nservice = \"10ms\"\n\
         [dispatch]\nclasses = [{ name = \"a\\u001b[31m\", share = 1.0, route = \"master\" }]\n",
        &[],
    );
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c.is_control() && c != '\n')
        .collect();
    assert!(bad.is_empty(), "control characters {bad:?} in:\n{text}");
    has(
        &text,
        &["clear the screen", "second line"],
        &["[2J", "]0;pwned"],
    );
}

#[test]
fn a_manual_cluster_has_an_operator_not_an_election() {
    let text = explain_text(
        r#"
        architecture = "asymmetric-cluster"
        duration = "2h"
        [nodes]
        count = 3
        [detection]
        heartbeat = "0s"
        [failover]
        promotion = "manual"
        operator = "10m"
        [[faults]]
        at = "10m"
        node = 0
        kind = "crash"
        for = "30m"
    "#,
        &[],
    );
    has(
        &text,
        &[
            "When the master is marked down, an operator designates a new one",
            "Promotion is manual: when the master is marked down, an operator is alerted and, after 10 minutes, designates a new master",
            "00:10:00  The distributor marks node 0 down at once and stops sending it tasks.",
            "00:20:00  The operator acts: the master is still unreachable, so they designate a new one.",
            "00:20:00  Node 1 now serves as master: a failover (the master role moves from node 0 to node 1).",
            "00:40:00  Node 0 is repaired and returns as a slave.",
            "Node 0 is marked up again at once and gets tasks again.",
        ],
        &[
            &SLIPS[..],
            &["Election (", "starts an election", "Raft", "missed heartbeat"],
        ]
        .concat(),
    );
}
