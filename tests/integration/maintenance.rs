//! SPEC §7 `[maintenance]`: hand-worked rolling upgrades with fixed times
//! (heartbeats every 1 s, fall 3, rise 2: a node back at t, t on the
//! grid, is marked up at t + 1), the planned downtime, and the keys'
//! validation.

use crate::support::{events, hasim, outages, run, stderr};

/// Only the events of the maintenance story (not the requests').
fn story(o: &hasim::montecarlo::Outcome) -> Vec<(f64, Option<u32>, &'static str)> {
    events(o)
        .into_iter()
        .filter(|e| {
            e.2.starts_with("maintenance")
                || matches!(
                    e.2,
                    "marked_down" | "marked_up" | "repaired" | "crashed" | "promoted"
                )
        })
        .collect()
}

const CLUSTER: &str = r#"
architecture = "symmetric-cluster"
duration = "25h"
[nodes]
count = 3
[detection]
heartbeat = "1s"
fall = 3
rise = 2
[maintenance]
every = "1d"
drain = "30s"
duration = "10m"
"#;

#[test]
fn a_cluster_upgrades_one_node_at_a_time_with_no_downtime() {
    // Day 1 (86 400 s): node 0 is marked down and drained for 30 s, stops
    // at 86 430 for 10 min, is back at 87 030 and marked up at 87 031;
    // node 1 starts then, and so on.
    let (_, o, s) = run(CLUSTER);
    let mut want = Vec::new();
    let mut t = 86_400.0;
    for n in 0..3 {
        want.push((t, Some(n), "maintenance_started"));
        want.push((t, Some(n), "marked_down"));
        want.push((t + 30.0, Some(n), "maintenance_stopped"));
        want.push((t + 630.0, Some(n), "repaired"));
        want.push((t + 631.0, Some(n), "marked_up"));
        t += 631.0;
    }
    assert_eq!(story(&o), want);
    assert_eq!((s.uptime, s.outages), (1.0, 0.0));
    assert_eq!(s.planned_downtime_s, Some(0.0));
}

#[test]
fn the_drain_keeps_tasks_off_the_node_before_it_stops() {
    // Constant arrivals every 50 ms, a fixed 120 ms task, round-robin over
    // 3 nodes (capacity 2): arrival k goes to node (k − 1) mod 3, so node
    // 0's last task before 86 400 s arrived at 86 399.9 and runs until
    // 86 400.02. With a 30 s drain no task runs when a node stops; with
    // none, that one is lost (`errored`).
    let cluster = CLUSTER.replace("count = 3", "count = 3\ncapacity = 2");
    let work = "[workload]\nrate = 20\narrival = \"constant\"\nservice = \"120ms\"\n";
    let (_, _, s) = run(&format!("{cluster}{work}"));
    let r = s.requests.unwrap();
    assert_eq!(r.failed, 0, "{r:?}");
    let (_, _, s) = run(&format!(
        "{}{work}",
        cluster.replace("drain = \"30s\"", "drain = \"0s\"")
    ));
    let r = s.requests.unwrap();
    assert!(r.errored > 0, "{r:?}");
    assert_eq!(r.failed, r.errored);
    assert_eq!(s.uptime, 1.0);
}

const STANDBY: &str = r#"
architecture = "warm-standby"
duration = "25h"
[nodes]
count = 2
[detection]
heartbeat = "1s"
fall = 3
rise = 2
[failover]
promotion = "automatic"
switch = "30s"
[maintenance]
every = "1d"
drain = "60s"
duration = "10m"
"#;

#[test]
fn a_warm_standby_pays_a_planned_failover_for_each_primary_upgrade() {
    // 86 400: node 0, the primary, is marked down: node 1 is promoted
    // after the 30 s switch (down 86 400–86 430). Node 0 stops at 86 460,
    // is back at 87 060 as the backup, marked up at 87 061. Then node 1,
    // now primary: node 0 takes over at 87 091 (down 87 061–87 091); node
    // 1 stops at 87 121, back at 87 721, marked up at 87 722.
    let (_, o, s) = run(STANDBY);
    assert_eq!(
        story(&o),
        vec![
            (86_400.0, Some(0), "maintenance_started"),
            (86_400.0, Some(0), "marked_down"),
            (86_430.0, Some(1), "promoted"),
            (86_460.0, Some(0), "maintenance_stopped"),
            (87_060.0, Some(0), "repaired"),
            (87_061.0, Some(0), "marked_up"),
            (87_061.0, Some(1), "maintenance_started"),
            (87_061.0, Some(1), "marked_down"),
            (87_091.0, Some(0), "promoted"),
            (87_121.0, Some(1), "maintenance_stopped"),
            (87_721.0, Some(1), "repaired"),
            (87_722.0, Some(1), "marked_up"),
        ]
    );
    assert_eq!(
        outages(&o),
        vec![
            (
                86_400.0,
                86_430.0,
                "maintenance_started (node 0)".to_string()
            ),
            (
                87_061.0,
                87_091.0,
                "maintenance_started (node 1)".to_string()
            ),
        ]
    );
    assert_eq!(s.downtime_s, 60.0);
    assert_eq!(s.planned_downtime_s, Some(60.0));
    assert_eq!(s.failovers, 2.0);
    // A planned hand-over is neither false nor a split brain.
    assert_eq!(s.imperfect.false_failovers, 0.0);
    assert_eq!(s.imperfect.split_brain_s, 0.0);
}

#[test]
fn with_manual_promotion_the_primary_stop_is_waited_out() {
    // Nobody promotes around a planned stop: down 86 460–87 060 (the
    // primary serves again the instant it is back); the backup's turn
    // costs nothing.
    let text = STANDBY.replace("promotion = \"automatic\"", "promotion = \"manual\"");
    let (_, o, s) = run(&text);
    assert_eq!(
        outages(&o),
        vec![(
            86_460.0,
            87_060.0,
            "maintenance_stopped (node 0)".to_string()
        )]
    );
    assert_eq!(s.planned_downtime_s, Some(600.0));
    assert_eq!((s.downtime_s, s.failovers), (600.0, 0.0));
}

#[test]
fn planned_downtime_is_only_the_outages_maintenance_started() {
    // Manual standby as above, plus a random-looking crash of the primary
    // on day 0 (scripted, 100 s): 700 s down in all, 600 s of it planned.
    let text = STANDBY.replace("promotion = \"automatic\"", "promotion = \"manual\"")
        + "[[faults]]\nat = \"1000s\"\nnode = 0\nkind = \"crash\"\nfor = \"100s\"\n";
    let (_, _, s) = run(&text);
    assert_eq!(s.downtime_s, 700.0);
    assert_eq!(s.planned_downtime_s, Some(600.0));
    // Without [maintenance] the key is not written at all.
    let without = STANDBY.split("[maintenance]").next().unwrap().to_string()
        + "[[faults]]\nat = \"1000s\"\nnode = 0\nkind = \"crash\"\nfor = \"100s\"\n";
    let (_, _, s) = run(&without);
    assert_eq!(s.planned_downtime_s, None);
    assert!(!s.to_json().contains("planned_downtime_s"));
}

#[test]
fn a_down_node_is_skipped_and_a_failure_during_the_drain_becomes_a_repair() {
    // Node 1 crashes at 86 000 for 2 h: when its turn comes (87 031) it is
    // down and skipped; node 2 starts at once. Node 2 then crashes during
    // its drain (87 041, for 5 min): no planned stop; it is repaired at
    // 87 341, marked up at 87 342, and the round is over.
    let text = format!(
        "{CLUSTER}[[faults]]\nat = \"86000s\"\nnode = 1\nkind = \"crash\"\nfor = \"2h\"\n\
         [[faults]]\nat = \"87041s\"\nnode = 2\nkind = \"crash\"\nfor = \"5m\"\n"
    );
    let (_, o, s) = run(&text);
    let ev: Vec<_> = story(&o)
        .into_iter()
        .filter(|e| e.0 > 86_100.0 && e.0 < 90_000.0)
        .collect();
    assert_eq!(
        ev,
        vec![
            (86_400.0, Some(0), "maintenance_started"),
            (86_400.0, Some(0), "marked_down"),
            (86_430.0, Some(0), "maintenance_stopped"),
            (87_030.0, Some(0), "repaired"),
            (87_031.0, Some(0), "marked_up"),
            (87_031.0, Some(1), "maintenance_skipped"),
            (87_031.0, Some(2), "maintenance_started"),
            (87_031.0, Some(2), "marked_down"),
            (87_041.0, Some(2), "crashed"),
            (87_341.0, Some(2), "repaired"),
            (87_342.0, Some(2), "marked_up"),
        ]
    );
    assert_eq!(s.uptime, 1.0, "node 0 or 2 served throughout");
}

#[test]
fn the_example_scenario_runs_and_reports_planned_downtime() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let o = hasim(&[
        "run",
        "scenarios/rolling-upgrade-standby.toml",
        "--replications",
        "3",
        "--set",
        "workload.rate=0.01",
        "--set",
        "nodes.failure=100000d",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    // With no random failure within the run: four rounds in 28 days, two
    // planned failovers with a 30 s switch each.
    assert_eq!(s["planned_downtime_s"], serde_json::json!(240.0));
    assert_eq!(s["downtime_s"], serde_json::json!(240.0));
    assert_eq!(s["failovers"], serde_json::json!(8.0));
    assert_eq!(s["ci95"]["planned_downtime_s"], serde_json::json!(0.0));
}

/// Runs `hasim check` on `text`: exit 2 naming the key, the file and a fix.
fn refused(text: &str, key: &str, words: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bad.toml");
    std::fs::write(&file, text).unwrap();
    let o = hasim(&["check", file.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{key}: {err}");
    assert!(
        err.contains(&format!("`{key}`")),
        "should name `{key}`: {err}"
    );
    assert!(err.contains("bad.toml") && err.contains("fix:"), "{err}");
    assert!(err.contains(words), "should say {words:?}: {err}");
}

#[test]
fn bad_maintenance_is_refused_with_the_key_and_a_fix() {
    let head = "architecture = \"symmetric-cluster\"\nduration = \"30d\"\n[nodes]\ncount = 3\n[maintenance]\n";
    refused(
        &format!("{head}duration = \"1h\"\n"),
        "maintenance.every",
        "needs `every`",
    );
    refused(
        &format!("{head}every = \"7d\"\n"),
        "maintenance.duration",
        "needs `duration`",
    );
    refused(
        &format!("{head}every = \"0s\"\nduration = \"1h\"\n"),
        "maintenance.every",
        "no interval",
    );
    // Three nodes × 2 h is longer than a 5 h round.
    refused(
        &format!("{head}every = \"5h\"\nduration = \"2h\"\n"),
        "maintenance.duration",
        "not less than every",
    );
    refused(
        &format!("{head}every = \"7d\"\nduration = \"1h\"\ndrain = \"soon\"\n"),
        "maintenance.drain",
        "",
    );
    refused(
        &format!("{head}every = \"7d\"\nduration = \"1h\"\nwhen = 3\n"),
        "when",
        "unknown field",
    );
}

#[test]
fn explain_tells_a_planned_hand_over_from_a_detected_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("standby.toml");
    std::fs::write(&file, STANDBY).unwrap();
    let o = hasim(&["explain", file.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        text.contains("Rolling maintenance: Node 0 (the primary) is taken out for planned work"),
        "{text}"
    );
    assert!(
        text.contains("down on purpose (no heartbeat is missed): a backup is promoted at once"),
        "{text}"
    );
    assert!(
        text.contains("Node 0 stops for its planned maintenance (back in 10m 00s)"),
        "{text}"
    );
    // The story's events say no heartbeat verdict took node 0 down.
    let story = text.split("What happened").nth(1).unwrap_or("");
    assert!(
        story.contains("on purpose") && !story.contains("missed heartbeat)"),
        "no heartbeat was missed: {story}"
    );
}
