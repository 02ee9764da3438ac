//! SPEC §7 random gray faults (`nodes.hang`, `nodes.slow`,
//! `nodes.partition`): hand-worked timelines with fixed times, closed forms
//! with exponential ones, and the validation of the keys.

use crate::support::{assert_covers, events, hasim, run, stderr};

/// One node, fixed windows: hangs over [15m, 20m), [35m, 40m), [55m, 60m).
const ONE_NODE: &str = r#"
architecture = "symmetric-cluster"
duration = "1h"
[nodes]
count = 1
"#;

#[test]
fn fixed_windows_open_after_every_and_close_after_for() {
    // Quiet 15 m from t = 0, hang 5 m, quiet 15 m from the hang's end…
    let (_, o, s) = run(&format!(
        "{ONE_NODE}hang = {{ every = \"15m\", for = \"5m\" }}\n"
    ));
    assert_eq!(
        events(&o),
        vec![
            (900.0, Some(0), "hung"),
            (1200.0, Some(0), "healed"),
            (2100.0, Some(0), "hung"),
            (2400.0, Some(0), "healed"),
            (3300.0, Some(0), "hung"),
        ]
    );
    // A hang is not detected by heartbeats: the lone node is down 15 min.
    assert_eq!(s.downtime_s, 900.0);
    assert_eq!(s.outages, 3.0);
}

#[test]
fn a_random_partition_is_detected_like_a_scripted_one() {
    // Partitioned over [15m, 20m): heartbeats due at 901, 902, 903 are
    // missed (900 is due at the cut: missed too), marked down at 902;
    // back at 1200, marked up at 1201 (rise 2: due 1200 and 1201).
    let (_, o, s) = run(&format!(
        "{ONE_NODE}partition = {{ every = \"15m\", for = \"5m\" }}\n[detection]\nheartbeat = \"1s\"\nfall = 3\nrise = 2\n"
    ));
    let ev = events(&o);
    assert_eq!(
        &ev[..4],
        &[
            (900.0, Some(0), "partitioned"),
            (902.0, Some(0), "marked_down"),
            (1200.0, Some(0), "healed"),
            (1201.0, Some(0), "marked_up"),
        ]
    );
    // Down from the cut until marked up again, 3 windows (the last one
    // censored at 3600).
    assert_eq!(s.downtime_s, 301.0 + 301.0 + 300.0);
}

#[test]
fn a_crash_ends_a_random_hang_and_the_window_does_not_heal_a_later_one() {
    // Random hang [900, 1200); a scripted crash at 1000 for 10 s ends it;
    // a scripted hang from 1100 for 200 s is not cut short at 1200 by the
    // random window's end: it heals at 1300.
    let (_, o, _) = run(&format!(
        "{ONE_NODE}hang = {{ every = \"15m\", for = \"5m\" }}\n\
         [[faults]]\nat = \"1000s\"\nnode = 0\nkind = \"crash\"\nfor = \"10s\"\n\
         [[faults]]\nat = \"1100s\"\nnode = 0\nkind = \"hang\"\nfor = \"200s\"\n\
         [detection]\nheartbeat = \"0s\"\n"
    ));
    let ev: Vec<_> = events(&o).into_iter().filter(|e| e.0 < 2000.0).collect();
    assert_eq!(
        ev,
        vec![
            (900.0, Some(0), "hung"),
            (1000.0, Some(0), "crashed"),
            (1000.0, Some(0), "marked_down"),
            (1010.0, Some(0), "repaired"),
            (1010.0, Some(0), "marked_up"),
            (1100.0, Some(0), "hung"),
            (1300.0, Some(0), "healed"),
        ]
    );
}

#[test]
fn a_window_on_a_down_node_starts_nothing_and_keeps_its_schedule() {
    // Down over [800, 1000): the window at 900 is lost, the next one
    // still opens 15 m after 1200.
    let (_, o, _) = run(&format!(
        "{ONE_NODE}hang = {{ every = \"15m\", for = \"5m\" }}\n\
         [[faults]]\nat = \"800s\"\nnode = 0\nkind = \"crash\"\nfor = \"200s\"\n\
         [detection]\nheartbeat = \"0s\"\n"
    ));
    let hangs: Vec<f64> = events(&o)
        .into_iter()
        .filter(|e| e.2 == "hung")
        .map(|e| e.0)
        .collect();
    assert_eq!(hangs, vec![2100.0, 3300.0]);
}

#[test]
fn slow_windows_multiply_the_service_of_tasks_started_in_them() {
    // Constant arrivals every 100 ms (k = 1..35999), a fixed 20 ms task,
    // slow ×3 over (900, 1200], (2100, 2400], (3300, 3600): an arrival at
    // a window's opening instant comes first (normal), one at its closing
    // instant still finds the node slow. No queue forms (60 ms < 100 ms).
    let (_, _, s) = run(&format!(
        "{ONE_NODE}slow = {{ every = \"15m\", for = \"5m\", factor = 3.0 }}\n\
         [workload]\nrate = 10\narrival = \"constant\"\nservice = \"20ms\"\n"
    ));
    let r = s.requests.unwrap();
    assert_eq!((r.offered, r.failed), (35_999, 0));
    let slow = 3000.0 + 3000.0 + 2999.0;
    let exact = 20.0 + 40.0 * slow / 35_999.0;
    let mean = s.latency_ms.unwrap().mean;
    assert!((mean - exact).abs() < 1e-9, "{mean} vs {exact}");
    assert_eq!(s.uptime, 1.0, "a slow node still serves");
}

#[test]
fn one_node_hanging_at_random_is_up_a_over_a_plus_b() {
    let (_, _, s) = run(
        "architecture = \"symmetric-cluster\"\nduration = \"100d\"\nreplications = 100\n\
         [nodes]\ncount = 1\n\
         hang = { every = { dist = \"exponential\", mean = \"3h\" }, for = { dist = \"exponential\", mean = \"1h\" } }\n",
    );
    let ci = s.ci95.unwrap().uptime.unwrap();
    assert_covers("hang uptime", s.uptime, ci, 3.0 / 4.0, 0.004);
}

#[test]
fn partitions_of_three_nodes_follow_the_k_of_n_closed_form() {
    // Each node reachable with p = 2/3, independently; up while ≥ 1 of 3.
    let (_, _, s) = run(
        "architecture = \"symmetric-cluster\"\nduration = \"100d\"\nreplications = 100\n\
         [nodes]\ncount = 3\n\
         partition = { every = { dist = \"exponential\", mean = \"2h\" }, for = { dist = \"exponential\", mean = \"1h\" } }\n\
         [detection]\nheartbeat = \"0s\"\n",
    );
    let exact = hasim::validation::k_of_n(2.0 / 3.0, 3, 1);
    assert!((exact - 26.0 / 27.0).abs() < 1e-15);
    let ci = s.ci95.unwrap().uptime.unwrap();
    assert_covers("1-of-3 partitions", s.uptime, ci, exact, 0.003);
}

#[test]
fn gray_streams_are_new_and_leave_other_draws_alone() {
    // Adding gray faults that never fire within the run changes nothing
    // else: failures, repairs and requests draw from their own streams.
    let base = "architecture = \"symmetric-cluster\"\nduration = \"10d\"\nreplications = 3\n\
                [nodes]\ncount = 3\nfailure = { dist = \"exponential\", mean = \"2d\" }\nrepair = \"1h\"\n";
    let (_, a, _) = run(base);
    let (_, b, _) = run(&format!(
        "{base}hang = {{ every = \"1000d\", for = \"1h\" }}\nslow = {{ every = \"1000d\", for = \"1h\" }}\n"
    ));
    assert_eq!(crate::support::outages(&a), crate::support::outages(&b));
    assert_eq!(a.uptime.mean(), b.uptime.mean());
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
fn bad_gray_faults_are_refused_with_the_key_and_a_fix() {
    let head = "architecture = \"symmetric-cluster\"\nduration = \"1d\"\n[nodes]\ncount = 2\n";
    refused(
        &format!("{head}hang = {{ for = \"1m\" }}\n"),
        "nodes.hang.every",
        "need `every`",
    );
    refused(
        &format!("{head}partition = {{ every = \"1h\" }}\n"),
        "nodes.partition.for",
        "need `for`",
    );
    refused(
        &format!("{head}slow = {{ every = \"1h\", for = \"1m\", factor = 0.0 }}\n"),
        "nodes.slow.factor",
        "out of range",
    );
    refused(
        &format!("{head}slow = {{ every = \"1h\", for = \"1m\", factor = -2.0 }}\n"),
        "nodes.slow.factor",
        "out of range",
    );
    refused(
        &format!("{head}hang = {{ every = \"0s\", for = \"1m\" }}\n"),
        "nodes.hang.every",
        "above zero",
    );
    refused(
        &format!("{head}hang = {{ every = \"1ns\", for = \"1ns\" }}\n"),
        "nodes.hang.every",
        "faults",
    );
    refused(
        &format!("{head}hang = {{ every = \"1h\", for = \"1m\", factor = 2.0 }}\n"),
        "factor",
        "unknown field",
    );
}
