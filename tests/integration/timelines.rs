//! Hand-worked scripted timelines: fixed times, no random failures, so every
//! event and outage has an exact, hand-computed time.

use crate::support::{events, outages, run};

const BASE: &str = r#"
    duration = "2000s"
    window = "100s"
    [nodes]
    count = 2
    [detection]
    heartbeat = "1s"
    fall = 3
    rise = 2
"#;

fn scenario(arch: &str, extra: &str) -> String {
    format!("architecture = \"{arch}\"\n{BASE}\n{extra}")
}

#[test]
fn cold_standby_permanent_failure_by_hand() {
    // Permanent failure at 100 s. Missed heartbeats at 100, 101, 102:
    // marked down at 102. Operator 10 m: acts at 702. Start 5 m + switch
    // 30 s: the backup serves from 1032. Outage [100, 1032).
    let (_, o, s) = run(&scenario(
        "cold-standby",
        r#"
        [failover]
        promotion = "manual"
        operator = "10m"
        start = "5m"
        switch = "30s"
        [[faults]]
        at = "100s"
        node = 0
        kind = "permanent"
    "#,
    ));
    assert_eq!(
        outages(&o),
        vec![(100.0, 1032.0, "failed_permanently (node 0)".to_string())]
    );
    assert_eq!(
        events(&o),
        vec![
            (100.0, Some(0), "failed_permanently"),
            (102.0, Some(0), "marked_down"),
            (102.0, Some(0), "operator_alerted"),
            (702.0, Some(0), "operator_acted"),
            (702.0, Some(1), "promotion_started"),
            (1032.0, Some(1), "promoted"),
        ]
    );
    // The CSV row, exactly (SPEC §4: the cause names the event).
    assert_eq!(
        hasim::report::tables::outages(&o, &[]),
        // SPEC §8 phases: detection 100–102, the operator's decision
        // 102–702, start 702–1002, switch 1002–1032.
        "replication,start_s,end_s,duration_s,censored,cause,detection,decision,fencing,start,switch,repair,root\r\n\
         0,100.0,1032.0,932.0,false,failed_permanently,2.0,600.0,0.0,300.0,30.0,0.0,node:0\r\n"
    );
    assert_eq!(s.downtime_s, 932.0);
    assert_eq!(s.failovers, 1.0);
    assert_eq!(s.outages, 1.0);
}

#[test]
fn cold_standby_recoverable_crash_waits_for_the_repair() {
    // Manual promotion only acts on permanent failures: the operator sees
    // a recoverable crash and waits. Outage = the crash [100, 1300).
    let (_, o, s) = run(&scenario(
        "cold-standby",
        r#"
        [failover]
        operator = "10m"
        [[faults]]
        at = "100s"
        node = 0
        kind = "crash"
        for = "20m"
    "#,
    ));
    assert_eq!(
        outages(&o),
        vec![(100.0, 1300.0, "crashed (node 0)".to_string())]
    );
    let ev = events(&o);
    assert!(ev.contains(&(702.0, Some(0), "operator_acted")));
    assert!(ev.contains(&(1300.0, Some(0), "repaired")));
    assert!(ev.contains(&(1301.0, Some(0), "marked_up")));
    assert_eq!(s.failovers, 0.0);
}

#[test]
fn warm_standby_automatic_no_fail_back() {
    // Crash at 100.5 for 50 s: missed heartbeats 101, 102, 103 → detected
    // at 103, promotion at once, switch 10 s → node 1 serves from 113.
    // Node 0 is back at 150.5 as the backup and marked up at 152
    // (heartbeats 151 and 152 delivered); it does not take the role back.
    let (_, o, s) = run(&scenario(
        "warm-standby",
        r#"
        [failover]
        promotion = "automatic"
        switch = "10s"
        [[faults]]
        at = "100.5s"
        node = 0
        kind = "crash"
        for = "50s"
    "#,
    ));
    assert_eq!(
        outages(&o),
        vec![(100.5, 113.0, "crashed (node 0)".to_string())]
    );
    assert_eq!(
        events(&o),
        vec![
            (100.5, Some(0), "crashed"),
            (103.0, Some(0), "marked_down"),
            (103.0, Some(1), "promotion_started"),
            (113.0, Some(1), "promoted"),
            (150.5, Some(0), "repaired"),
            (152.0, Some(0), "marked_up"),
        ]
    );
    assert_eq!(s.failovers, 1.0);
}

#[test]
fn candidate_failing_before_takeover_is_abandoned() {
    // Three nodes. Node 0 crashes at 100 (detected 102, candidate node 1,
    // switch 10 s). Node 1 crashes at 105: abandoned, node 2 is promoted
    // with a fresh switch: serves from 115.
    let text = scenario(
        "warm-standby",
        r#"
        [failover]
        promotion = "automatic"
        switch = "10s"
        [[faults]]
        at = "100s"
        node = 0
        kind = "crash"
        for = "1000s"
        [[faults]]
        at = "105s"
        node = 1
        kind = "crash"
        for = "1000s"
    "#,
    )
    .replace("count = 2", "count = 3");
    let (_, o, _) = run(&text);
    let ev = events(&o);
    assert!(
        ev.contains(&(105.0, Some(1), "promotion_abandoned")),
        "{ev:?}"
    );
    assert!(
        ev.contains(&(105.0, Some(2), "promotion_started")),
        "{ev:?}"
    );
    assert!(ev.contains(&(115.0, Some(2), "promoted")), "{ev:?}");
    assert_eq!(
        outages(&o),
        vec![(100.0, 115.0, "crashed (node 0)".to_string())]
    );
}

#[test]
fn promotion_waits_for_the_first_available_candidate() {
    // Node 1 is down over [50, 150): marked down at 52, back at 150,
    // marked up at 151. Node 0 crashes at 100 (detected 102): no candidate
    // until 151, then switch 10 s: serves from 161.
    let (_, o, _) = run(&scenario(
        "warm-standby",
        r#"
        [failover]
        promotion = "automatic"
        switch = "10s"
        [[faults]]
        at = "50s"
        node = 1
        kind = "crash"
        for = "100s"
        [[faults]]
        at = "100s"
        node = 0
        kind = "crash"
        for = "1000s"
    "#,
    ));
    let ev = events(&o);
    assert!(
        ev.contains(&(151.0, Some(1), "promotion_started")),
        "{ev:?}"
    );
    assert!(ev.contains(&(161.0, Some(1), "promoted")), "{ev:?}");
    assert_eq!(
        outages(&o),
        vec![(100.0, 161.0, "crashed (node 0)".to_string())]
    );
}

#[test]
fn replacement_before_detection_does_not_hide_the_failure() {
    // Heartbeat 10 s. Node 0 fails for good at 5 s and its replacement
    // joins at 6 s, as a backup. The old machine's misses at 10, 20, 30
    // still mark it down at 30: the automatic promotion picks node 1
    // (node 0 is marked down) and it serves at once (switch 0). The new
    // node 0 is marked up after two delivered heartbeats, at 50.
    let text = scenario(
        "warm-standby",
        r#"
        [failover]
        promotion = "automatic"
        [[faults]]
        at = "5s"
        node = 0
        kind = "permanent"
    "#,
    )
    .replace("heartbeat = \"1s\"", "heartbeat = \"10s\"")
    .replace("count = 2", "count = 2\nreplace = \"1s\"");
    let (_, o, s) = run(&text);
    assert_eq!(
        events(&o),
        vec![
            (5.0, Some(0), "failed_permanently"),
            (6.0, Some(0), "replaced"),
            (30.0, Some(0), "marked_down"),
            (30.0, Some(1), "promotion_started"),
            (30.0, Some(1), "promoted"),
            (50.0, Some(0), "marked_up"),
        ]
    );
    assert_eq!(
        outages(&o),
        vec![(5.0, 30.0, "failed_permanently (node 0)".to_string())]
    );
    assert_eq!(s.failovers, 1.0);
}

#[test]
fn promotion_none_lets_the_replacement_take_the_role() {
    let text = scenario(
        "warm-standby",
        r#"
        [failover]
        promotion = "none"
        [[faults]]
        at = "100s"
        node = 0
        kind = "permanent"
    "#,
    )
    .replace("count = 2", "count = 2\nreplace = \"10m\"");
    let (_, o, s) = run(&text);
    assert_eq!(
        outages(&o),
        vec![(100.0, 700.0, "failed_permanently (node 0)".to_string())]
    );
    assert_eq!(
        s.failovers, 0.0,
        "the same id takes the role back: not a failover"
    );
}

#[test]
fn asymmetric_lowest_id_election_and_class_routing() {
    // Master 0 crashes at 100 for 60 s: write (master) is down from 100
    // until node 1 is elected at 102 + switch 2 = 104; read (any) never goes
    // down (nodes 1 and 2 serve it). Node 0 returns as a slave.
    let text = format!(
        "architecture = \"asymmetric-cluster\"\n{}\n{}",
        BASE.replace("count = 2", "count = 3"),
        r#"
        [failover]
        switch = "2s"
        [[faults]]
        at = "100s"
        node = 0
        kind = "crash"
        for = "60s"
    "#
    );
    let (_, o, s) = run(&text);
    assert_eq!(
        events(&o),
        vec![
            (100.0, Some(0), "crashed"),
            (102.0, Some(0), "marked_down"),
            (102.0, Some(0), "election_started"),
            (104.0, Some(1), "elected"),
            (160.0, Some(0), "repaired"),
            (161.0, Some(0), "marked_up"),
        ]
    );
    assert_eq!(
        outages(&o),
        vec![(100.0, 104.0, "crashed (node 0)".to_string())]
    );
    let by_class: Vec<(&str, f64)> = s
        .uptime_by_class
        .0
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(by_class, vec![("write", 1.0 - 4.0 / 2000.0), ("read", 1.0)]);
}

#[test]
fn master_slave_slave_classes_go_to_the_master_until_a_slave_joins() {
    // Master 0 fails for good at 100; operator promotes slave 1 at
    // 102 + 600, switch 60 → 762. Class A is down [100, 762); class B is
    // served by node 1 throughout (before and after its promotion).
    let text = scenario(
        "master-slave",
        r#"
        [failover]
        operator = "10m"
        switch = "1m"
        [[faults]]
        at = "100s"
        node = 0
        kind = "permanent"
    "#,
    );
    let (_, o, s) = run(&text);
    assert_eq!(
        outages(&o),
        vec![(100.0, 762.0, "failed_permanently (node 0)".to_string())]
    );
    let by_class: Vec<f64> = s.uptime_by_class.0.iter().map(|(_, v)| *v).collect();
    assert_eq!(by_class, vec![1.0 - 662.0 / 2000.0, 1.0]);
}

#[test]
fn symmetric_detection_gap_errors_and_retries() {
    // Constant arrivals every 10 ms, round-robin over 2 nodes: arrival k
    // (at k × 10 ms) goes to node (k − 1) mod 2. Node 1 crashes at 100.005:
    // the heartbeat at 100 was delivered, those at 101, 102, 103 are missed,
    // so it is marked down at 103 (the arrival at 103.000 comes first). The
    // 150 even-numbered arrivals in (100.005, 103] hit the dead node.
    let text = |attempts: u32| {
        let extra = format!(
            r#"
            [workload]
            rate = 100
            arrival = "constant"
            service = "1ms"
            [dispatch]
            attempts = {attempts}
            [[faults]]
            at = "100.005s"
            node = 1
            kind = "crash"
            for = "60s"
        "#
        );
        format!("architecture = \"symmetric-cluster\"\n{BASE}\n{extra}")
    };
    let (_, _, s) = run(&text(1));
    let r = s.requests.unwrap();
    assert_eq!(
        (r.offered, r.errored, r.failed, r.retries),
        (200_000 - 1, 150, 150, 0)
    );
    assert_eq!(s.uptime, 1.0, "node 0 serves throughout");
    let (_, _, s) = run(&text(2));
    let r = s.requests.unwrap();
    assert_eq!(
        (r.failed, r.retries),
        (0, 150),
        "each failed task is re-sent to node 0"
    );
}

#[test]
fn full_queue_rejects_exactly() {
    // One worker, no queue, an arrival every 100 ms, each needs 150 ms:
    // every second arrival finds the worker busy and is rejected.
    let (_, _, s) = run(r#"
        architecture = "symmetric-cluster"
        duration = "100s"
        [nodes]
        count = 1
        queue = 0
        [workload]
        rate = 10
        arrival = "constant"
        service = "150ms"
    "#);
    let r = s.requests.unwrap();
    assert_eq!(r.offered, 999);
    assert_eq!(r.rejected, 499);
    assert_eq!(r.succeeded, 500);
    assert_eq!(s.latency_ms.unwrap().max, 150.0);
}

#[test]
fn task_timeout_and_deadline_time_out() {
    // Service 2 s: a 1 s task timeout gives up on every task.
    let (_, _, s) = run(r#"
        architecture = "symmetric-cluster"
        duration = "100s"
        [nodes]
        count = 1
        capacity = 1000
        [workload]
        rate = 1
        arrival = "constant"
        service = "2s"
        [detection]
        task_timeout = "1s"
    "#);
    let r = s.requests.unwrap();
    assert_eq!((r.offered, r.timed_out, r.succeeded), (99, 99, 0));
    assert!(s.latency_ms.is_none());
    // A deadline below the service time fails them the same way.
    let (_, _, s) = run(r#"
        architecture = "symmetric-cluster"
        duration = "100s"
        [nodes]
        count = 1
        capacity = 1000
        [workload]
        rate = 1
        arrival = "constant"
        service = "2s"
        deadline = "1500ms"
    "#);
    assert_eq!(s.requests.unwrap().timed_out, 99);
    assert_eq!(s.availability, Some(0.0));
}

#[test]
fn requests_open_after_the_drain_time_out() {
    // Service 30 s, drain 10 s: the requests of the last 20 s cannot finish.
    let (_, _, s) = run(r#"
        architecture = "symmetric-cluster"
        duration = "100s"
        [nodes]
        count = 1
        capacity = 1000
        [workload]
        rate = 1
        arrival = "constant"
        service = "30s"
        drain = "10s"
    "#);
    let r = s.requests.unwrap();
    assert_eq!(r.offered, r.succeeded + r.failed);
    // Arrivals at 1..=99 s finish at 31..=129 s; the drain ends at 110 s.
    assert_eq!((r.succeeded, r.timed_out), (79, 20));
}

#[test]
fn crashes_fail_the_tasks_on_the_node() {
    // Tasks of 10 s arrive every second at one node with 100 workers.
    // A crash at 50.5 s kills the 10 tasks in service (arrived 41..=50).
    let (_, _, s) = run(r#"
        architecture = "symmetric-cluster"
        duration = "100s"
        [nodes]
        count = 1
        capacity = 100
        [workload]
        rate = 1
        arrival = "constant"
        service = "10s"
        drain = "60s"
        [detection]
        heartbeat = "0s"
        [[faults]]
        at = "50.5s"
        node = 0
        kind = "crash"
        for = "1s"
    "#);
    let r = s.requests.unwrap();
    // Lost in the crash: 10. With instant detection the dispatcher knows
    // the node is down, so the arrival at 51 s finds no node: rejected.
    assert_eq!((r.errored, r.rejected), (10, 1));
    assert_eq!(s.outages, 1.0);
    assert_eq!(s.downtime_s, 1.0);
}

/// Two nodes, an arrival every 10 ms, 1 ms of work, round-robin; `detection`
/// is added to the [detection] table.
fn pair_with_fault(fault: &str, detection: &str) -> String {
    let base = BASE.replace("rise = 2", &format!("rise = 2\n{detection}"));
    format!(
        "architecture = \"symmetric-cluster\"\n{base}\n[workload]\nrate = 100\narrival = \"constant\"\nservice = \"1ms\"\n[[faults]]\nat = \"100.005s\"\nnode = 1\n{fault}\n"
    )
}

#[test]
fn a_hung_node_fools_the_heartbeats_but_not_the_task_timeout() {
    // Node 1 hangs over [100.005, 160.005): it takes the 3000 even-numbered
    // arrivals and answers none. Heartbeats go on: it is never marked
    // down. Each of those requests times out after 1 s.
    let text = pair_with_fault("kind = \"hang\"\nfor = \"60s\"", "task_timeout = \"1s\"");
    let (_, o, s) = run(&text);
    let r = s.requests.unwrap();
    assert_eq!((r.timed_out, r.errored, r.rejected), (3000, 0, 0));
    assert_eq!(s.uptime, 1.0, "node 0 answers throughout");
    assert_eq!(
        events(&o),
        vec![(100.005, Some(1), "hung"), (160.005, Some(1), "healed")]
    );
    // One retry on the other node saves every request, 1 s late.
    let (_, _, s) = run(&format!("{text}\n[dispatch]\nattempts = 2\n"));
    let r = s.requests.unwrap();
    assert_eq!((r.failed, r.retries), (0, 3000));
    assert_eq!(s.latency_ms.unwrap().max, 1001.0);
}

#[test]
fn a_partitioned_primary_is_detected_and_replaced() {
    // Warm standby, automatic: the primary is cut off at 100.5 s. Missed
    // heartbeats at 101, 102, 103: marked down at 103, switch 10 s: node 1
    // serves from 113. The partition heals at 160.5: heartbeats at 161 and
    // 162 mark node 0 up again, as the backup.
    let (_, o, s) = run(&scenario(
        "warm-standby",
        r#"
        [failover]
        promotion = "automatic"
        switch = "10s"
        [[faults]]
        at = "100.5s"
        node = 0
        kind = "partition"
        for = "60s"
    "#,
    ));
    assert_eq!(
        events(&o),
        vec![
            (100.5, Some(0), "partitioned"),
            (103.0, Some(0), "marked_down"),
            (103.0, Some(1), "promotion_started"),
            (113.0, Some(1), "promoted"),
            (160.5, Some(0), "healed"),
            (162.0, Some(0), "marked_up"),
            // SPEC §8: it acted as primary until now (fencing = none).
            (162.0, Some(0), "stepped_down"),
        ]
    );
    assert_eq!(
        outages(&o),
        vec![(100.5, 113.0, "partitioned (node 0)".to_string())]
    );
    assert_eq!(s.failovers, 1.0);
    assert_eq!(s.imperfect.false_failovers, 1.0);
    assert_eq!(s.imperfect.split_brain_s, 162.0 - 113.0);
}

#[test]
fn a_slow_node_stretches_the_tasks_it_starts() {
    // One worker, an arrival every second, 100 ms of work; five times
    // slower over [9.5, 14.5): the tasks arriving at 10…14 s take 500 ms.
    let (_, _, s) = run(r#"
        architecture = "symmetric-cluster"
        duration = "100s"
        [nodes]
        count = 1
        [workload]
        rate = 1
        arrival = "constant"
        service = "100ms"
        [[faults]]
        at = "9.5s"
        node = 0
        kind = "slow"
        factor = 5
        for = "5s"
    "#);
    let l = s.latency_ms.unwrap();
    assert_eq!(l.max, 500.0);
    assert!(
        (l.mean - (94.0 * 100.0 + 5.0 * 500.0) / 99.0).abs() < 1e-9,
        "{}",
        l.mean
    );
    assert_eq!(s.uptime, 1.0, "a slow node still serves");
}

/// Three-node asymmetric cluster with writes and reads, constant arrivals.
fn zookeeper(election: &str) -> String {
    format!(
        "architecture = \"asymmetric-cluster\"\n{}\n[workload]\nrate = 100\narrival = \"constant\"\nservice = \"1ms\"\n\
         [failover]\nswitch = \"2s\"\n[election]\n{election}\n\
         [[faults]]\nat = \"100s\"\nnode = 0\nkind = \"crash\"\nfor = \"60s\"\n",
        BASE.replace("count = 2", "count = 3")
    )
}

#[test]
fn zookeeper_pause_holds_every_class_during_the_election() {
    // The master crashes at 100 s; writes fail until the election. Detected
    // at 102 s, elected at 104 s: between the two, every class waits (the
    // pause), reads included, and the waiting requests go out at 104 s.
    let (_, o, s) = run(&zookeeper("pause = true"));
    let by_class: Vec<f64> = s.uptime_by_class.0.iter().map(|(_, v)| *v).collect();
    assert_eq!(by_class, vec![1.0 - 4.0 / 2000.0, 1.0 - 2.0 / 2000.0]);
    assert_eq!(
        outages(&o),
        vec![(100.0, 104.0, "crashed (node 0)".to_string())]
    );
    let r = s.requests.unwrap();
    assert_eq!((r.rejected, r.timed_out), (0, 0), "held, not refused");
    assert!(
        r.errored > 0,
        "tasks sent to the crashed master before detection fail"
    );
    let max = s.latency_ms.unwrap().max;
    assert!(
        (1900.0..2001.0).contains(&max),
        "held requests wait up to 2 s: {max}"
    );
    // Without the pause, writes find no master during the election.
    let (_, _, s) = run(&zookeeper("pause = false"));
    assert!(s.requests.unwrap().rejected > 0);
    let reads = s.uptime_by_class.0[1].1;
    assert_eq!(reads, 1.0, "reads never stop without the pause");
}

#[test]
fn zookeeper_pause_holds_at_most_hold_limit_requests() {
    // As above: every class waits from detection (102 s) to the election
    // (104 s), 100 requests/s, about 200 arrivals in all. With room for L
    // of them, the other H - L are rejected at once (one attempt each),
    // and the L held go out at 104 s: rejected(1) - rejected(50) = 49.
    let rejected = |limit: u32| {
        let (_, _, s) = run(&zookeeper(&format!("pause = true\nhold_limit = {limit}")));
        s.requests.unwrap().rejected
    };
    let (one, fifty) = (rejected(1), rejected(50));
    assert_eq!(one - fifty, 49);
    assert!(
        (148..=150).contains(&fifty),
        "about 200 - 50 rejected: {fifty}"
    );
    assert_eq!(rejected(1000), 0, "room for every waiting request");
}

#[test]
fn zookeeper_forwarding_costs_two_message_delays() {
    // No failure. Writes go round-robin to any node; the two slaves in
    // three forward them to the master and relay the answer: 1 ms of work
    // plus 2 × 5 ms. Everything else takes 1 ms.
    let text = zookeeper("forward = true\nmessage_delay = \"5ms\"")
        .replace("[[faults]]\nat = \"100s\"", "[[faults]]\nat = \"9999s\"");
    let (_, _, s) = run(&text);
    let l = s.latency_ms.unwrap();
    assert_eq!(l.max, 11.0);
    assert!(
        (l.p50 - 1.0).abs() < 0.001,
        "p50 within the histogram's 0.1 %: {}",
        l.p50
    );
    // 20 % writes, two thirds of them forwarded: mean ≈ 1 + 10 × 0.2 × 2/3.
    assert!((l.mean - 2.333).abs() < 0.1, "{}", l.mean);
    assert_eq!(s.requests.unwrap().failed, 0);
}

/// An asymmetric cluster of `n` nodes with a raft election.
fn raft(n: u32, election: &str, faults: &str) -> String {
    format!(
        "architecture = \"asymmetric-cluster\"\n{}\n[failover]\nswitch = \"0s\"\n[election]\nalgorithm = \"raft\"\n{election}\n{faults}",
        BASE.replace("count = 2", &format!("count = {n}"))
    )
}

const MASTER_CRASH: &str = "[[faults]]\nat = \"100s\"\nnode = 0\nkind = \"crash\"\nfor = \"60s\"\n";

#[test]
fn raft_with_identical_timeouts_splits_until_a_node_returns() {
    // Detected at 102 s. Nodes 1 and 2 start their timers together; with
    // identical timeouts both stand at 102.2, 102.4, … in lock-step: each
    // votes for itself, refuses the other, and every term splits (this is
    // why Raft randomises its timeouts). At 160 s node 0 is repaired: its
    // timer waits for its mark-up (161 s), but it votes. Node 1's timeout
    // at 160 s comes first in that instant (scheduled first): its request
    // reaches node 0 at 160.001 and takes its vote (node 2's, a moment
    // later, is refused: one vote per term); the answer is back at 160.002
    // and node 1 has 2 of 3. Writes are down [100, 160.002).
    let (_, o, s) = run(&raft(
        3,
        "timeout = \"200ms\"\nmessage_delay = \"1ms\"",
        MASTER_CRASH,
    ));
    let ev = events(&o);
    let elected: Vec<_> = ev.iter().filter(|e| e.2 == "elected").collect();
    assert_eq!(elected, vec![&(160.002, Some(1), "elected")], "{ev:?}");
    // One "raft" start, then nodes 1 and 2 stand at 102.2 + 0.2 k s for
    // k = 0 … 289 (the last at 160 s).
    let stands = ev.iter().filter(|e| e.2 == "election_started").count();
    assert_eq!(stands, 1 + 2 * 290);
    assert!(o.events.iter().any(|e| e.detail.contains("split vote")));
    assert_eq!(
        outages(&o).iter().map(|x| (x.0, x.1)).collect::<Vec<_>>(),
        vec![(100.0, 160.002)]
    );
    let write = s.uptime_by_class.0[0].1;
    assert!((write - (1.0 - 60.002 / 2000.0)).abs() < 1e-12, "{write}");
}

#[test]
fn raft_elects_within_a_timeout_and_two_messages() {
    // Detected at 102 s; the earliest of the two live nodes times out
    // within 150–300 ms and needs one vote: elected by 102.302 s.
    let (_, o, s) = run(&raft(3, "message_delay = \"1ms\"", MASTER_CRASH));
    let elected: Vec<f64> = events(&o)
        .into_iter()
        .filter(|e| e.2 == "elected")
        .map(|e| e.0)
        .collect();
    assert_eq!(elected.len(), 1, "{:?}", events(&o));
    assert!((102.150..=102.302).contains(&elected[0]), "{}", elected[0]);
    assert_eq!(s.failovers, 1.0);
}

#[test]
fn raft_master_steps_down_without_a_majority() {
    // Both slaves crash: the master (still running) has lost its majority
    // and steps down at once. Writes stop until a slave is back and marked
    // up (161 s) and wins an election. With lowest-id the master stays.
    let faults = "[[faults]]\nat = \"100s\"\nnode = 1\nkind = \"crash\"\nfor = \"60s\"\n[[faults]]\nat = \"100s\"\nnode = 2\nkind = \"crash\"\nfor = \"60s\"\n";
    let (_, o, s) = run(&raft(3, "message_delay = \"1ms\"", faults));
    assert!(o
        .events
        .iter()
        .any(|e| e.event == "election_started" && e.detail.contains("steps down")));
    let elected: Vec<f64> = events(&o)
        .into_iter()
        .filter(|e| e.2 == "elected")
        .map(|e| e.0)
        .collect();
    assert_eq!(elected.len(), 1);
    assert!((161.150..=161.302).contains(&elected[0]), "{}", elected[0]);
    assert!(s.uptime_by_class.0[0].1 < 1.0 - 61.0 / 2000.0);
    let lowest = format!(
        "architecture = \"asymmetric-cluster\"\n{}\n{faults}",
        BASE.replace("count = 2", "count = 3")
    );
    let (_, _, s) = run(&lowest);
    assert_eq!(
        s.uptime_by_class.0[0].1, 1.0,
        "lowest-id keeps its lone master"
    );
}
