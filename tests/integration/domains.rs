//! SPEC §7: failure domains and the dispatcher as a component. Expected
//! values come from hand-worked timelines (fixed laws) and from reliability
//! block diagrams / two-state Markov chains (exponential laws), never from
//! what the code prints.

use crate::support::{assert_covers, hasim, run, stderr};
use std::fs;

/// Three perfect machines in one rack; the rack fails every 10 h of
/// service and takes 1 h to repair. Hand-worked: failures at 10, 21, …,
/// 109 h; the service is down exactly while the rack is: 10 h of 110.
const PACKED_FIXED: &str = r#"
architecture = "symmetric-cluster"
duration = "110h"
[nodes]
count = 3
[detection]
heartbeat = "0s"
[[domains]]
name = "rack-a"
kind = "rack"
members = [0, 1, 2]
failure = "10h"
repair = "1h"
"#;

#[test]
fn a_packed_rack_is_down_exactly_while_the_rack_is() {
    let (_, o, s) = run(PACKED_FIXED);
    assert_eq!(s.uptime, 100.0 / 110.0);
    assert_eq!(s.outages, 10.0);
    assert_eq!(s.downtime_s, 36_000.0);
    // Attribution: every outage is the rack's.
    assert!(o
        .outage_list
        .iter()
        .all(|(_, x)| x.root == Some(hasim::metrics::Root::Domain(0))));
    assert_eq!(
        s.downtime_by_root.0,
        vec![("domain:rack-a".to_string(), 36_000.0)]
    );
    // The rack's outages start at 10 h, 21 h, … (hand-worked).
    let starts: Vec<f64> = o
        .outage_list
        .iter()
        .map(|(_, x)| x.start_ns as f64 / 3.6e12)
        .collect();
    assert_eq!(
        starts,
        (0..10).map(|k| 10.0 + 11.0 * k as f64).collect::<Vec<_>>()
    );
}

/// Rack laws: failure exponential mean 3 h, repair exponential mean 1 h:
/// each rack is down with probability q = 1 / (3 + 1) = 0.25.
const RACK_LAW: &str = r#"failure = { dist = "exponential", mean = "3h" }
repair = { dist = "exponential", mean = "1h" }"#;

fn racks(spread: bool) -> String {
    let domains = if spread {
        (0..3)
            .map(|i| format!("[[domains]]\nname = \"rack-{i}\"\nmembers = [{i}]\n{RACK_LAW}\n"))
            .collect::<String>()
    } else {
        format!("[[domains]]\nname = \"rack-0\"\nmembers = [0, 1, 2]\n{RACK_LAW}\n")
    };
    format!(
        r#"
architecture = "symmetric-cluster"
duration = "2000h"
replications = 200
[nodes]
count = 3
[detection]
heartbeat = "0s"
{domains}"#
    )
}

#[test]
fn packed_versus_spread_racks_match_the_block_diagram() {
    let q: f64 = 0.25;
    // Packed: one rack in series with the cluster: A = 1 − q.
    let (_, _, s) = run(&racks(false));
    let ci = s.ci95.as_ref().unwrap().uptime.unwrap();
    assert_covers("packed uptime", s.uptime, ci, 1.0 - q, 0.01);
    // Spread: three racks in parallel: A = 1 − q³.
    let (_, _, s) = run(&racks(true));
    let ci = s.ci95.as_ref().unwrap().uptime.unwrap();
    assert_covers("spread uptime", s.uptime, ci, 1.0 - q.powi(3), 0.002);
}

#[test]
fn dual_power_through_an_any_of_gate() {
    // The rack (never failing by itself) is down while both feeds are: q².
    let text = format!(
        r#"
architecture = "symmetric-cluster"
duration = "2000h"
replications = 200
[nodes]
count = 2
[detection]
heartbeat = "0s"
[[domains]]
name = "power-a"
kind = "power"
{RACK_LAW}
[[domains]]
name = "power-b"
kind = "power"
{RACK_LAW}
[[domains]]
name = "rack"
members = [0, 1]
any_of = ["power-a", "power-b"]
"#
    );
    let (_, o, s) = run(&text);
    let ci = s.ci95.as_ref().unwrap().uptime.unwrap();
    assert_covers("dual power uptime", s.uptime, ci, 1.0 - 0.25 * 0.25, 0.005);
    // The feed whose failure completed the cut is the root.
    assert!(o
        .outage_list
        .iter()
        .all(|(_, x)| matches!(x.root, Some(hasim::metrics::Root::Domain(0 | 1)))));
}

#[test]
fn a_partial_hit_deploy() {
    // A deploy that hits each of two machines with probability 1/2: the
    // service is down while the deploy is down and both were hit:
    // q · ¼ with q = 0.25.
    let text = format!(
        r#"
architecture = "symmetric-cluster"
duration = "2000h"
replications = 200
[nodes]
count = 2
[detection]
heartbeat = "0s"
[[domains]]
name = "deploy"
kind = "deploy"
members = [0, 1]
hit = 0.5
{RACK_LAW}
"#
    );
    let (_, _, s) = run(&text);
    let ci = s.ci95.as_ref().unwrap().uptime.unwrap();
    assert_covers("partial hit uptime", s.uptime, ci, 1.0 - 0.25 * 0.25, 0.005);
}

#[test]
fn a_partitioning_switch_is_seen_through_heartbeats() {
    // A switch (partition) in front of all three machines fails at 10 h
    // and 21 h for 1 h. With 1 s heartbeats, fall 3 and rise 2, the
    // machines are unreachable at once (the service is down at once: no
    // marked-up node answers) and marked up at the 2nd delivered heartbeat
    // after the heal: at 11 h + 1 s. Down 3601 s twice in 24 h.
    let text = r#"
architecture = "symmetric-cluster"
duration = "24h"
[nodes]
count = 3
[detection]
heartbeat = "1s"
[[domains]]
name = "tor"
kind = "switch"
effect = "partition"
members = [0, 1, 2]
failure = "10h"
repair = "1h"
"#;
    let (_, o, s) = run(text);
    assert_eq!(s.downtime_s, 2.0 * 3601.0);
    assert_eq!(s.outages, 2.0);
    assert_eq!(o.outage_list[0].1.start_ns, 36_000 * 1_000_000_000);
    assert_eq!(o.outage_list[0].1.end_ns, 39_601 * 1_000_000_000);
}

#[test]
fn a_partition_around_the_dispatcher_cuts_off_the_rest() {
    // The zone holds the dispatcher and node 0; when it fails, nodes 1 and
    // 2 are cut off and node 0 carries on: the service stays up.
    let text = r#"
architecture = "symmetric-cluster"
duration = "24h"
[nodes]
count = 3
[detection]
heartbeat = "0s"
[[domains]]
name = "zone"
effect = "partition"
members = [0, "dispatcher"]
failure = "10h"
repair = "1h"
[[faults]]
at = "630m"
node = 0
kind = "crash"
for = "10m"
"#;
    let (_, _, s) = run(text);
    // Down only while node 0 is crashed inside the cut: 10 min.
    assert_eq!(s.downtime_s, 600.0);
}

#[test]
fn a_failing_dispatcher_takes_the_service_down_and_requests_error() {
    // A perfect cluster behind one dispatcher that fails at 10 h and 21 h
    // for 1 h: down 2 h of 24. Constant arrivals every 100 ms: those in
    // (10 h, 11 h] and (21 h, 22 h] fail `errored` (an arrival at the
    // failure instant is handled first): 2 × 36 000.
    let text = r#"
architecture = "symmetric-cluster"
duration = "24h"
[nodes]
count = 2
capacity = 4
[detection]
heartbeat = "0s"
[workload]
rate = 10
arrival = "constant"
service = "1ms"
[dispatcher]
failure = "10h"
repair = "1h"
"#;
    let (_, o, s) = run(text);
    assert_eq!(s.uptime, 22.0 / 24.0);
    assert_eq!(s.requests.as_ref().unwrap().errored, 72_000);
    assert!(o
        .outage_list
        .iter()
        .all(|(_, x)| x.root == Some(hasim::metrics::Root::Dispatcher(0))));
}

#[test]
fn an_exponential_dispatcher_pair_matches_markov() {
    // Each dispatcher: failure mean 9 h, repair mean 1 h (q = 0.1).
    // One: A = 0.9. Two with instant takeover: A = 1 − q² = 0.99.
    let base = r#"
architecture = "symmetric-cluster"
duration = "2000h"
replications = 200
[nodes]
count = 2
[detection]
heartbeat = "0s"
[dispatcher]
failure = { dist = "exponential", mean = "9h" }
repair = { dist = "exponential", mean = "1h" }
"#;
    let (_, _, s) = run(base);
    let ci = s.ci95.as_ref().unwrap().uptime.unwrap();
    assert_covers("one dispatcher", s.uptime, ci, 0.9, 0.01);
    let (_, _, s) = run(&format!("{base}count = 2\n"));
    let ci = s.ci95.as_ref().unwrap().uptime.unwrap();
    assert_covers("two dispatchers", s.uptime, ci, 0.99, 0.003);
}

#[test]
fn a_node_keeps_its_own_failure_history_inside_a_domain() {
    // Node 0 fails by itself every 5 h of service (repair 3 h); its rack
    // fails at 4 h and 10 h (repair 2 h). Hand-worked: the rack stops it at
    // 4 h; its own failure still comes at 5 h (repair until 8 h), so the
    // rack's return at 6 h does not restart it: down [4 h, 8 h). The rack
    // stops it again over [10 h, 12 h); its next own failure is at
    // 8 + 5 = 13 h: down [13 h, 14 h) to the end. 7 h down in 14 h.
    let text = r#"
architecture = "symmetric-cluster"
duration = "14h"
[nodes]
count = 1
failure = "5h"
repair = "3h"
[detection]
heartbeat = "0s"
[[domains]]
name = "rack"
members = [0]
failure = "4h"
repair = "2h"
"#;
    let (_, o, s) = run(text);
    assert_eq!(s.downtime_s, 7.0 * 3600.0);
    let got: Vec<(f64, f64, Option<hasim::metrics::Root>)> = o
        .outage_list
        .iter()
        .map(|(_, x)| (x.start_ns as f64 / 3.6e12, x.end_ns as f64 / 3.6e12, x.root))
        .collect();
    use hasim::metrics::Root::*;
    assert_eq!(
        got,
        vec![
            (4.0, 8.0, Some(Domain(0))),
            (10.0, 12.0, Some(Domain(0))),
            (13.0, 14.0, Some(Node(0))),
        ]
    );
}

/// Bad graphs: exit 2, the file, the key, the fix, the cycle named.
fn bad(domains: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bad.toml");
    fs::write(
        &file,
        format!(
            "architecture = \"symmetric-cluster\"\nduration = \"1d\"\n[nodes]\ncount = 3\n{domains}"
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = hasim(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("bad.toml") && err.contains("fix:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists());
    err
}

#[test]
fn bad_domain_graphs_are_refused_with_the_cycle_named() {
    let err = bad(
        "[[domains]]\nname = \"a\"\nmembers = [\"b\"]\n[[domains]]\nname = \"b\"\nmembers = [\"c\"]\n[[domains]]\nname = \"c\"\nmembers = [\"a\", 0]\n",
    );
    assert!(err.contains("cycle: a → b → c → a"), "{err}");
    let err = bad("[[domains]]\nname = \"a\"\nmembers = [\"a\"]\n");
    assert!(err.contains("cycle: a → a"), "{err}");
    // A gate that feeds back into what it contains is a cycle too.
    let err = bad(
        "[[domains]]\nname = \"p\"\n[[domains]]\nname = \"r\"\nmembers = [\"p\"]\nany_of = [\"p\"]\n",
    );
    assert!(
        err.contains("cycle") && err.contains('p') && err.contains('r'),
        "{err}"
    );
    let err = bad("[[domains]]\nname = \"a\"\nmembers = [\"rack-z\"]\n");
    assert!(
        err.contains("`domains[0].members[0]`") && err.contains("rack-z"),
        "{err}"
    );
    let err = bad("[[domains]]\nname = \"a\"\nmembers = [3]\n");
    assert!(err.contains("node 3 does not exist"), "{err}");
    let err = bad("[[domains]]\nname = \"a\"\nany_of = []\n");
    assert!(
        err.contains("`domains[0].any_of`") && err.contains("empty"),
        "{err}"
    );
    let err = bad("[[domains]]\nname = \"a\"\nhit = 0\n");
    assert!(err.contains("`domains[0].hit`"), "{err}");
    let err = bad("[[domains]]\nname = \"a\"\neffect = \"melt\"\n");
    assert!(err.contains("`domains[0].effect`"), "{err}");
    let err = bad("[[domains]]\nname = \"a\"\nfailure = \"1h\"\n");
    assert!(err.contains("`domains[0].repair`"), "{err}");
    let err = bad("[[domains]]\nname = \"a\"\n[[domains]]\nname = \"a\"\n");
    assert!(err.contains("used twice"), "{err}");
    let err = bad("[dispatcher]\ncount = 0\n");
    assert!(err.contains("`dispatcher.count`"), "{err}");
}

#[test]
fn importance_ranks_the_shared_rack_first() {
    // Three machines in one rack. Each machine alone is down 1/11 of the
    // time but the cluster survives it; the rack (down 1/4 of the time)
    // takes everything. Made perfect, the rack saves about
    // (1 − 0.75·(1 − (1/11)³)) − (1 − (1/11)³) ≈ 0.2498 of the time;
    // a machine saves well under 0.001.
    let text = format!(
        r#"
architecture = "symmetric-cluster"
duration = "500h"
replications = 40
[nodes]
count = 3
failure = {{ dist = "exponential", mean = "10h" }}
repair = {{ dist = "exponential", mean = "1h" }}
[detection]
heartbeat = "0s"
[[domains]]
name = "rack-a"
members = [0, 1, 2]
{RACK_LAW}
"#
    );
    let sc = crate::support::scenario(&text);
    let (base, rows) = hasim::importance::importance(&sc);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].component, "domain:rack-a");
    // The rack's cost is close to the block-diagram value, per run.
    let p = 1.0 / 11.0;
    let exact_s = ((1.0 - 0.75 * (1.0 - p * p * p)) - p * p * p) * 500.0 * 3600.0;
    let (cost, ci) = (rows[0].downtime_cost_s, rows[0].ci95.unwrap());
    assert!(
        (cost - exact_s).abs() < 4.0 * ci,
        "{cost} ± {ci} vs {exact_s}"
    );
    assert!(rows[1].downtime_cost_s < 0.01 * cost);
    assert!(base > cost * 0.99);
    // Deterministic: the same table twice.
    assert_eq!(hasim::importance::importance(&sc).1, rows);
}
