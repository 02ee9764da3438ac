//! Incremental routing (issue 8 §1) on many nodes, for every architecture
//! with roles: hand-worked timelines (SPEC §2–§3, instant detection, fixed
//! laws) give the outages and the node views exactly, and random runs keep
//! the invariants. In the test profile (debug assertions, `.ci/run`) every
//! state change also checks the sets, `class_up`, the leader, the quorum
//! count and every node's last view against a full rebuild.

use hasim::metrics::NodeView;
use hasim::model::{simulate, RunOptions};
use hasim::scenario::{self, LoadOptions, Scenario};
use std::path::Path;

const S: u64 = 1_000_000_000;

fn parse(text: &str) -> Scenario {
    scenario::parse(
        text,
        Path::new("routing.toml"),
        "routing",
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("valid scenario: {e}\n{text}"))
}

fn traced(sc: &Scenario, replication: u64) -> hasim::metrics::RepResult {
    simulate(
        sc,
        RunOptions {
            replication,
            trace: true,
        },
    )
}

/// Each node's recorded views as (seconds, view).
fn views_of(r: &hasim::metrics::RepResult, node: u32) -> Vec<(f64, NodeView)> {
    r.views
        .iter()
        .filter(|v| v.node == node)
        .map(|v| (v.time_ns as f64 / S as f64, v.view))
        .collect()
}

/// What must hold of any run: outages add up to the downtime, class
/// uptime is at least the service's, a node's record only holds changes,
/// views are in time order, and at most one node is primary at a time.
fn invariants(sc: &Scenario, r: &hasim::metrics::RepResult, what: &str) {
    let down: u64 = r.outages.iter().map(|o| o.duration_ns()).sum();
    assert_eq!(down, r.measured_ns - r.up_ns, "{what}: outages add up");
    for up in &r.class_up_ns {
        assert!(
            *up >= r.up_ns && *up <= r.measured_ns,
            "{what}: class uptime"
        );
    }
    assert!(
        r.views.windows(2).all(|w| w[0].time_ns <= w[1].time_ns),
        "{what}: views in time order"
    );
    let n = sc.nodes.count as usize;
    let mut current = vec![None; n];
    for v in &r.views {
        assert_ne!(
            current[v.node as usize],
            Some(v.view),
            "{what}: node {} recorded twice in the same view",
            v.node
        );
        current[v.node as usize] = Some(v.view);
        let primaries = current
            .iter()
            .filter(|x| **x == Some(NodeView::Primary))
            .count();
        assert!(primaries <= 1, "{what}: two primaries at once");
    }
    // Every node's state at t = 0 is recorded.
    assert!(
        current.iter().all(Option::is_some),
        "{what}: a node never drawn"
    );
}

/// 50 perfect nodes, lowest-id master, instant detection: the master
/// crashes at 10 s for 60 s; node 30 is partitioned 20–30 s; node 40 hangs
/// 40–45 s. Hand-worked (SPEC §2): node 1, the lowest-id marked-up slave,
/// is the candidate at 10 s and master after the 2 s switch; only master
/// tasks are down, 10–12 s; the other 48 serve `any` and slave tasks.
#[test]
fn fifty_node_asymmetric_cluster_moves_only_the_nodes_that_changed() {
    let sc = parse(
        r#"
architecture = "asymmetric-cluster"
duration = "100s"
[nodes]
count = 50
[detection]
heartbeat = "0s"
[dispatch]
classes = [
  { name = "write", share = 0.2, route = "master" },
  { name = "report", share = 0.4, route = "slave" },
  { name = "read", share = 0.4, route = "any" },
]
[failover]
promotion = "automatic"
switch = "2s"
[election]
algorithm = "lowest-id"
[[faults]]
at = "10s"
node = 0
kind = "crash"
for = "60s"
[[faults]]
at = "20s"
node = 30
kind = "partition"
for = "10s"
[[faults]]
at = "40s"
node = 40
kind = "hang"
for = "5s"
"#,
    );
    let r = traced(&sc, 0);
    invariants(&sc, &r, "asymmetric");
    assert_eq!(r.up_ns, 98 * S);
    assert_eq!(r.class_up_ns, vec![98 * S, 100 * S, 100 * S]);
    assert_eq!(r.failovers, 1);
    use NodeView::*;
    assert_eq!(
        views_of(&r, 0),
        vec![(0.0, Primary), (10.0, Down), (70.0, Serving)]
    );
    assert_eq!(
        views_of(&r, 1),
        vec![(0.0, Serving), (10.0, Promoting), (12.0, Primary)]
    );
    assert_eq!(
        views_of(&r, 30),
        vec![(0.0, Serving), (20.0, Partitioned), (30.0, Serving)]
    );
    assert_eq!(
        views_of(&r, 40),
        vec![(0.0, Serving), (40.0, Hung), (45.0, Serving)]
    );
    // No other node changed: one record each, at t = 0.
    assert_eq!(r.views.len(), 50 + 2 + 2 + 2 + 2);
}

/// 20 perfect nodes, master-slave, instant detection: slaves 1–19 crash at
/// 10 s for 30 s, then the master at 60 s for 10 s. SPEC §2: slave tasks go
/// to every slave without a health check, so they fail while all 19 are
/// down (10–40 s, 30 s); the master's crash is promoted around (node 1 after
/// the 2 s switch, 60–62 s). `any` tasks have the master then the slaves.
#[test]
fn master_slave_with_every_slave_failing_is_down_exactly_then() {
    let mut faults = String::new();
    for node in 1..20 {
        faults.push_str(&format!(
            "[[faults]]\nat = \"10s\"\nnode = {node}\nkind = \"crash\"\nfor = \"30s\"\n"
        ));
    }
    let sc = parse(&format!(
        r#"
architecture = "master-slave"
duration = "100s"
[nodes]
count = 20
[detection]
heartbeat = "0s"
[dispatch]
classes = [
  {{ name = "A", share = 0.4, route = "master" }},
  {{ name = "B", share = 0.4, route = "slave" }},
  {{ name = "C", share = 0.2, route = "any" }},
]
[failover]
promotion = "automatic"
switch = "2s"
[[faults]]
at = "60s"
node = 0
kind = "crash"
for = "10s"
{faults}"#
    ));
    let r = traced(&sc, 0);
    invariants(&sc, &r, "master-slave");
    assert_eq!(r.up_ns, 68 * S);
    assert_eq!(r.class_up_ns, vec![98 * S, 70 * S, 100 * S]);
    assert_eq!(r.failovers, 1);
    use NodeView::*;
    assert_eq!(
        views_of(&r, 0),
        vec![(0.0, Primary), (60.0, Down), (70.0, Serving)]
    );
    assert_eq!(
        views_of(&r, 1),
        vec![
            (0.0, Serving),
            (10.0, Down),
            (40.0, Serving),
            (60.0, Promoting),
            (62.0, Primary)
        ]
    );
    assert_eq!(
        views_of(&r, 19),
        vec![(0.0, Serving), (10.0, Down), (40.0, Serving)]
    );
}

/// 20 perfect nodes in warm standby; nodes 0–4 share a rack that fails
/// after 30 s of service and is repaired in 10 s (fixed laws). Hand-worked:
/// the rack takes the primary and nodes 1–4 at 30 s; node 5 is the
/// lowest-id backup still running, primary after the 2 s switch; the rack
/// is back at 40 s (its nodes as backups), fails again at 70 s taking only
/// backups, and is back at 80 s. Down 30–32 s only.
#[test]
fn warm_standby_with_a_rack_promotes_past_the_stopped_nodes() {
    let sc = parse(
        r#"
architecture = "warm-standby"
duration = "100s"
[nodes]
count = 20
[detection]
heartbeat = "0s"
[failover]
promotion = "automatic"
switch = "2s"
[[domains]]
name = "rack-a"
kind = "rack"
members = [0, 1, 2, 3, 4]
failure = "30s"
repair = "10s"
"#,
    );
    let r = traced(&sc, 0);
    invariants(&sc, &r, "warm standby");
    assert_eq!(r.up_ns, 98 * S);
    assert_eq!(r.failovers, 1);
    use NodeView::*;
    assert_eq!(
        views_of(&r, 0),
        vec![
            (0.0, Primary),
            (30.0, Down),
            (40.0, Backup),
            (70.0, Down),
            (80.0, Backup)
        ]
    );
    assert_eq!(
        views_of(&r, 5),
        vec![(0.0, Backup), (30.0, Promoting), (32.0, Primary)]
    );
    assert_eq!(views_of(&r, 6), vec![(0.0, Backup)]);
}

/// Random runs on many nodes of every architecture with roles: failures,
/// permanent failures, gray faults, racks and a partition domain, Raft and
/// lowest-id elections, ZooKeeper's pause and forwarding.
#[test]
fn many_nodes_with_failures_partitions_and_domains_keep_the_invariants() {
    let cases = [
        ("cold-standby", 12, ""),
        ("warm-standby", 30, ""),
        ("master-slave", 40, ""),
        ("symmetric-cluster", 40, ""),
        (
            "asymmetric-cluster",
            50,
            "[election]\nalgorithm = \"raft\"\nmessage_delay = \"2ms\"\n",
        ),
        (
            "asymmetric-cluster",
            50,
            "[election]\nalgorithm = \"lowest-id\"\npause = true\nforward = true\n",
        ),
        (
            "asymmetric-cluster",
            51,
            "[election]\nalgorithm = \"raft\"\npause = true\nforward = true\n",
        ),
    ];
    for (arch, count, election) in cases {
        let last = count - 1;
        let promotion = if arch == "symmetric-cluster" {
            String::new()
        } else {
            "[failover]\npromotion = \"automatic\"\nswitch = \"5s\"\n".into()
        };
        let classes = if arch == "symmetric-cluster" {
            "{ name = \"read\", share = 1.0, route = \"any\" }"
        } else {
            r#"{ name = "write", share = 0.3, route = "master" },
  { name = "report", share = 0.3, route = "slave" },
  { name = "read", share = 0.4, route = "any" },"#
        };
        let half: Vec<String> = (0..count / 2).map(|i| i.to_string()).collect();
        let text = format!(
            r#"
architecture = "{arch}"
duration = "2d"
window = "1h"
[nodes]
count = {count}
capacity = 2
failure = {{ dist = "exponential", mean = "6h" }}
repair = {{ dist = "exponential", mean = "20m" }}
permanent = 0.1
replace = "2h"
hang = {{ every = {{ dist = "exponential", mean = "12h" }}, for = "5m" }}
partition = {{ every = {{ dist = "exponential", mean = "12h" }}, for = "10m" }}
[workload]
rate = 20
service = {{ dist = "exponential", mean = "20ms" }}
deadline = "2s"
[dispatch]
classes = [
  {classes}
]
[detection]
heartbeat = "1s"
fall = 3
{promotion}{election}
[[domains]]
name = "rack-a"
kind = "rack"
members = [0, 1, 2, {last}]
failure = {{ dist = "exponential", mean = "8h" }}
repair = {{ dist = "exponential", mean = "30m" }}
[[domains]]
name = "net-a"
kind = "partition"
members = [{half}]
failure = {{ dist = "exponential", mean = "12h" }}
repair = {{ dist = "exponential", mean = "10m" }}
"#,
            half = half.join(", ")
        );
        let sc = parse(&text);
        for rep in 0..2 {
            let r = traced(&sc, rep);
            invariants(&sc, &r, &format!("{arch} {election} replication {rep}"));
            assert!(
                r.views.len() > 3 * count as usize,
                "{arch}: the run changes many views"
            );
        }
    }
}
