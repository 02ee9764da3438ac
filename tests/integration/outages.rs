//! SPEC §3: outages are maximal down intervals. Changes of state within
//! one instant do not end an outage, and an outage's cause is the event
//! that took the service down.

use crate::support::{outages, run};

const PAIR: &str = r#"
    duration = "2000s"
    [nodes]
    count = 2
    [detection]
    heartbeat = "0s"
"#;

#[test]
fn a_promotion_at_a_repair_instant_does_not_split_the_outage() {
    // Master-slave, instant detection, automatic promotion, switch 0. The
    // slave (1) crashes at 100 for 1000 s: slave classes are down (no
    // health check, the slave is still the slave). The master crashes at
    // 200 for 300 s: no candidate. At 500 node 0 is back: for a moment it
    // is a running slave that serves everything, then (same instant) it
    // is promoted and slave classes go to the crashed slave again. The
    // service is down at the end of every instant of [100, 1100): one
    // outage, put down to the slave's crash.
    let text = format!(
        r#"architecture = "master-slave"
        {PAIR}
        [failover]
        promotion = "automatic"
        switch = "0s"
        [[faults]]
        at = "100s"
        node = 1
        kind = "crash"
        for = "1000s"
        [[faults]]
        at = "200s"
        node = 0
        kind = "crash"
        for = "300s"
        "#
    );
    let (_, o, s) = run(&text);
    assert_eq!(
        outages(&o),
        vec![(100.0, 1100.0, "crashed (node 1)".to_string())]
    );
    assert_eq!(s.outages, 1.0);
    assert_eq!(s.downtime_s, 1000.0);
    assert_eq!(
        hasim::report::tables::outages(&o, &[]),
        // SPEC §8 phases: instant detection, and the whole outage waits
        // for the slave's repair.
        "replication,start_s,end_s,duration_s,censored,cause,detection,decision,fencing,start,switch,repair,root\r\n\
         0,100.0,1100.0,1000.0,false,crashed,0.0,0.0,0.0,0.0,0.0,1000.0,node:1\r\n"
    );
}

fn instant(arch: &str, failover: &str, fault: &str) -> Vec<(f64, f64, String)> {
    let text = format!(
        "architecture = \"{arch}\"\n{PAIR}\n[failover]\n{failover}\n[[faults]]\nat = \"100s\"\nnode = 0\n{fault}\n"
    );
    let (_, o, _) = run(&text);
    outages(&o)
}

#[test]
fn with_instant_detection_the_cause_is_the_failure_not_its_consequences() {
    // The crash marks the node down, which starts the promotion, in the
    // same instant: the outage is the crash's.
    assert_eq!(
        instant(
            "warm-standby",
            "promotion = \"automatic\"\nswitch = \"10s\"",
            "kind = \"crash\"\nfor = \"60s\""
        ),
        vec![(100.0, 110.0, "crashed (node 0)".to_string())]
    );
    assert_eq!(
        instant(
            "master-slave",
            "promotion = \"automatic\"\nswitch = \"10s\"",
            "kind = \"permanent\""
        ),
        vec![(100.0, 110.0, "failed_permanently (node 0)".to_string())]
    );
    assert_eq!(
        instant(
            "asymmetric-cluster",
            "promotion = \"automatic\"\nswitch = \"5s\"",
            "kind = \"crash\"\nfor = \"60s\""
        ),
        vec![(100.0, 105.0, "crashed (node 0)".to_string())]
    );
    assert_eq!(
        instant(
            "warm-standby",
            "promotion = \"automatic\"\nswitch = \"10s\"",
            "kind = \"partition\"\nfor = \"60s\""
        ),
        vec![(100.0, 110.0, "partitioned (node 0)".to_string())]
    );
    // A hang fools the heartbeats: nothing else happens, the hang is the
    // cause until it heals.
    assert_eq!(
        instant(
            "warm-standby",
            "promotion = \"automatic\"",
            "kind = \"hang\"\nfor = \"60s\""
        ),
        vec![(100.0, 160.0, "hung (node 0)".to_string())]
    );
}

#[test]
fn the_outage_count_is_the_chains_frequency_of_entering_the_down_set() {
    // Master-slave, two nodes failing at rate λ and repaired at rate μ
    // (exponential), instant detection, automatic promotion, switch 0.
    // By SPEC §2 (slave classes go to the slaves without a health check,
    // to the master when there is none; a returning node is a slave), the
    // states are:
    //   S0 master up, slave up                      up
    //   S1 master up, slave down                    down (slave classes)
    //   S2 master up, old master down (no slave)    up (all to the master)
    //   S3 both down, promotion waiting, one slave   down
    //   S4 both down, promotion waiting, no slave    down
    // S0 -λ-> S1 (slave fails), S0 -λ-> S2 (master fails, slave promoted
    // at once); S1 -μ-> S0, S1 -λ-> S3; S2 -μ-> S0 (the old master
    // returns as a slave), S2 -λ-> S4; S3 -μ-> S1 (the old master returns
    // and is promoted, the slave is still down), S3 -μ-> S2 (the slave
    // returns and is promoted); S4 -2μ-> S2.
    // Outages per hour = rate of entering {S1, S3, S4} from {S0, S2}
    // = λ·π0 + λ·π2. S3 -> S1 passes through "up" within one instant (the
    // returning node serves as a slave before its promotion): counting it
    // would add μ·π3.
    let (l, m) = (1.0 / 3.0, 1.0);
    let q = vec![
        vec![-2.0 * l, l, l, 0.0, 0.0],
        vec![m, -(m + l), 0.0, l, 0.0],
        vec![m, 0.0, -(m + l), 0.0, l],
        vec![0.0, m, m, -2.0 * m, 0.0],
        vec![0.0, 0.0, 2.0 * m, 0.0, -2.0 * m],
    ];
    let pi = crate::heartbeats::stationary(&q);
    let per_hour = l * (pi[0] + pi[2]);
    let split = m * pi[3];
    let hours = 20_000.0;
    let text = format!(
        r#"
        architecture = "master-slave"
        warmup = "100h"
        duration = "{hours}h"
        replications = 40
        [nodes]
        count = 2
        failure = {{ dist = "exponential", mean = "3h" }}
        repair = {{ dist = "exponential", mean = "1h" }}
        [detection]
        heartbeat = "0s"
        [failover]
        promotion = "automatic"
        switch = "0s"
        "#
    );
    let warmup = 100 * 3_600_000_000_000;
    // Outages that start in the measured interval (one still running at
    // the warmup is clipped to it and is not an entry).
    let (sim, ci) = crate::heartbeats::per_replication(&text, |r| {
        r.all_outages().filter(|o| o.start_ns > warmup).count() as f64 / hours
    });
    eprintln!("split outages would add {split} per hour");
    assert!(split > 4.0 * ci, "the test must tell the two apart");
    crate::support::assert_covers("outages per hour", sim, ci, per_hour, 0.01 * per_hour);
    let (up, up_ci) =
        crate::heartbeats::per_replication(&text, |r| r.up_ns as f64 / r.measured_ns as f64);
    crate::support::assert_covers("uptime", up, up_ci, pi[0] + pi[2], 2e-3);
}
