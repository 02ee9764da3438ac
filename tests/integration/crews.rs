//! SPEC §7 `nodes.crews` and `[[nodes.override]]`: hand-worked scripted
//! timelines (a repair waits for the crew, its time starts when the crew
//! starts), simulated uptime against closed forms (birth–death chains, the
//! chain on the order of the repair queue), the analytic chain against the
//! same closed forms, and the validation of bad overrides.

use crate::support::{assert_covers, events, hasim, outages, run, scenario, stderr};
use hasim::analytic::{analyse, Analytic};
use hasim::validation::{crews_birth_death, one_crew_queue_uptime};

/// Two nodes, instant detection, three scripted crashes:
/// node 0 at 100 s for 60 s, node 1 at 110 s for 20 s, node 0 at 170 s for 10 s.
fn two_crashes(crews: &str) -> String {
    format!(
        r#"
        architecture = "symmetric-cluster"
        duration = "1000s"
        window = "100s"
        [nodes]
        count = 2
        {crews}
        [detection]
        heartbeat = "0s"
        [[faults]]
        at = "100s"
        node = 0
        kind = "crash"
        for = "60s"
        [[faults]]
        at = "110s"
        node = 1
        kind = "crash"
        for = "20s"
        [[faults]]
        at = "170s"
        node = 0
        kind = "crash"
        for = "10s"
    "#
    )
}

#[test]
fn one_crew_the_second_repair_starts_when_the_first_ends() {
    // One crew: node 0's repair runs 100–160 s. Node 1 fails at 110 s and
    // waits; the crew starts on it at 160 s, so it is back at 180 s (not
    // 130 s). Both are down over 110–160 s. Node 0 fails again at 170 s
    // while the crew works on node 1: its 10 s start at 180 s, back at
    // 190 s; node 1 is back at 180 s, so the service is down 170–180 s.
    let (_, o, s) = run(&two_crashes("crews = 1"));
    assert_eq!(
        outages(&o),
        vec![
            (110.0, 160.0, "crashed (node 1)".to_string()),
            (170.0, 180.0, "crashed (node 0)".to_string()),
        ]
    );
    assert_eq!(s.downtime_s, 60.0);
    let ev: Vec<_> = events(&o)
        .into_iter()
        .filter(|e| matches!(e.2, "crashed" | "repair_started" | "repaired"))
        .collect();
    assert_eq!(
        ev,
        vec![
            (100.0, Some(0), "crashed"),
            (110.0, Some(1), "crashed"),
            (160.0, Some(0), "repaired"),
            (160.0, Some(1), "repair_started"),
            (170.0, Some(0), "crashed"),
            (180.0, Some(1), "repaired"),
            (180.0, Some(0), "repair_started"),
            (190.0, Some(0), "repaired"),
        ]
    );
}

#[test]
fn unlimited_or_enough_crews_repair_at_once() {
    // A crew for each: node 1 is back at 130 s, node 0 at 160 s and 180 s;
    // down only over 110–130 s.
    for crews in ["", "crews = 2", "crews = 50"] {
        let (_, o, s) = run(&two_crashes(crews));
        assert_eq!(
            outages(&o),
            vec![(110.0, 130.0, "crashed (node 1)".to_string())],
            "{crews:?}"
        );
        assert_eq!(s.downtime_s, 20.0, "{crews:?}");
    }
}

#[test]
fn a_replacement_needs_no_crew() {
    // Node 0 (primary) fails permanently at 100 s; a new machine takes 300 s.
    // Node 1 crashes at 150 s for 100 s: with one crew and the replacement
    // outside the crews, its repair starts at once (back at 250 s).
    let text = r#"
        architecture = "symmetric-cluster"
        duration = "1000s"
        window = "100s"
        [nodes]
        count = 2
        failure = { dist = "exponential", mean = "100000d" }
        repair = "1h"
        permanent = 0.5
        replace = "300s"
        crews = 1
        [detection]
        heartbeat = "0s"
        [[faults]]
        at = "100s"
        node = 0
        kind = "permanent"
        [[faults]]
        at = "150s"
        node = 1
        kind = "crash"
        for = "100s"
    "#;
    let (_, o, _) = run(text);
    assert_eq!(
        outages(&o),
        vec![(150.0, 250.0, "crashed (node 1)".to_string())]
    );
}

#[test]
fn a_stonith_reboot_does_not_wait_for_the_crew() {
    // Node 2 crashes at 50 s for 1000 s and holds the only crew until
    // 1050 s. The primary (node 0) is partitioned at 100.5 s, marked down at
    // 103 s and fenced: powered off at 113 s, it reboots by itself after
    // 2 m, at 233 s, while the crew is still busy.
    let text = r#"
        architecture = "warm-standby"
        duration = "1200s"
        window = "100s"
        [nodes]
        count = 3
        crews = 1
        [detection]
        heartbeat = "1s"
        fall = 3
        rise = 2
        [failover]
        promotion = "automatic"
        switch = "5s"
        fencing = "stonith"
        fence = "10s"
        reboot = "2m"
        [[faults]]
        at = "50s"
        node = 2
        kind = "crash"
        for = "1000s"
        [[faults]]
        at = "100.5s"
        node = 0
        kind = "partition"
        for = "60s"
    "#;
    let (_, o, _) = run(text);
    let ev: Vec<_> = events(&o)
        .into_iter()
        .filter(|e| matches!(e.2, "crashed" | "fenced" | "repair_started" | "repaired"))
        .collect();
    assert_eq!(
        ev,
        vec![
            (50.0, Some(2), "crashed"),
            (113.0, Some(0), "fenced"),
            (113.0, Some(0), "crashed"),
            (233.0, Some(0), "repaired"),
            (1050.0, Some(2), "repaired"),
        ]
    );
}

#[test]
fn enough_crews_reproduce_unlimited_crews_exactly() {
    // The repair time is drawn when the node fails, from its own stream:
    // with a crew per node nothing ever waits, and the run is the same.
    let base = r#"
        architecture = "asymmetric-cluster"
        duration = "500h"
        replications = 4
        [nodes]
        count = 3
        failure = { dist = "exponential", mean = "3h" }
        repair = { dist = "lognormal", median = "1h", sigma = 0.5 }
    "#;
    let (_, _, a) = run(base);
    let (_, _, b) = run(&base.replace("[nodes]", "[nodes]\ncrews = 3"));
    assert_eq!(a.downtime_s, b.downtime_s);
    assert_eq!(a.outages, b.outages);
    let (_, _, c) = run(&base.replace("[nodes]", "[nodes]\ncrews = 1"));
    assert!(
        c.downtime_s > a.downtime_s,
        "{} vs {}",
        c.downtime_s,
        a.downtime_s
    );
}

fn exact(text: &str) -> (f64, usize) {
    match analyse(&scenario(text)) {
        Analytic::Exact { uptime, states, .. } => (uptime, states),
        Analytic::Outside(r) => panic!("no chain: {r:?}"),
    }
}

const PAIR: &str = r#"
    architecture = "symmetric-cluster"
    duration = "2000h"
    replications = 100
    [nodes]
    count = 2
    failure = { dist = "exponential", mean = "1h" }
    repair = { dist = "exponential", mean = "1h" }
    crews = 1
    [detection]
    heartbeat = "0s"
"#;

#[test]
fn two_identical_nodes_one_crew_against_the_birth_death_chain() {
    // λ = μ: π0 : π1 : π2 = 1 : 2 : 2 with one crew, up 3/5.
    assert!((crews_birth_death(2, 1, 1.0, 1.0, 1) - 0.6).abs() < 1e-15);
    // Two crews: independent, 1 − (1/2)².
    assert!((crews_birth_death(2, 2, 1.0, 1.0, 1) - 0.75).abs() < 1e-15);
    let (chain, _) = exact(PAIR);
    assert!((chain - 0.6).abs() < 1e-12, "{chain}");
    let (_, _, s) = run(PAIR);
    assert_covers(
        "1-of-2, one crew",
        s.uptime,
        s.ci95.unwrap().uptime.unwrap(),
        0.6,
        0.01,
    );
    // The same nodes with unlimited crews are clearly better.
    let (_, _, u) = run(&PAIR.replace("crews = 1", ""));
    assert_covers(
        "1-of-2, unlimited",
        u.uptime,
        u.ci95.unwrap().uptime.unwrap(),
        0.75,
        0.01,
    );
}

#[test]
fn k_of_n_with_crews_against_the_birth_death_chain() {
    // A 2-of-2 master-slave, then a 1-of-6 cluster with 1, 2 and 6 crews.
    // 2-of-2, ρ = 0.2, one crew: 1 / (1 + 2ρ + 2ρ²).
    let by_hand = 1.0 / (1.0 + 0.4 + 0.08);
    assert!((crews_birth_death(2, 1, 5.0, 1.0, 2) - by_hand).abs() < 1e-15);
    let ms = r#"
        architecture = "master-slave"
        duration = "2000h"
        replications = 100
        [nodes]
        count = 2
        failure = { dist = "exponential", mean = "5h" }
        repair = { dist = "exponential", mean = "1h" }
        crews = 1
        [detection]
        heartbeat = "0s"
        [failover]
        promotion = "none"
    "#;
    let (chain, _) = exact(ms);
    assert!((chain - by_hand).abs() < 1e-12, "{chain} vs {by_hand}");
    let (_, _, s) = run(ms);
    assert_covers(
        "2-of-2, one crew",
        s.uptime,
        s.ci95.unwrap().uptime.unwrap(),
        by_hand,
        0.01,
    );
    // 1-of-6, mean up 1 h, repair 2 h: crews matter a lot. Six nodes down
    // with c crews: π_d ∝ Π (6 − j)·2 / min(j + 1, c).
    for c in [1, 2, 6] {
        let text = format!(
            r#"
            architecture = "symmetric-cluster"
            duration = "2000h"
            replications = 60
            [nodes]
            count = 6
            failure = {{ dist = "exponential", mean = "1h" }}
            repair = {{ dist = "exponential", mean = "2h" }}
            crews = {c}
            [detection]
            heartbeat = "0s"
            "#
        );
        let want = crews_birth_death(6, c, 1.0, 2.0, 1);
        let (chain, states) = exact(&text);
        // Six crews for six nodes is unlimited: independent nodes.
        assert_eq!(states, if c < 6 { 7 } else { 3 });
        assert!((chain - want).abs() < 1e-12, "c = {c}: {chain} vs {want}");
        let (_, _, s) = run(&text);
        assert_covers(
            &format!("1-of-6, {c} crews"),
            s.uptime,
            s.ci95.unwrap().uptime.unwrap(),
            want,
            0.02,
        );
    }
    // c = 6 is independent nodes: 1 − (2/3)^6.
    let independent = 1.0 - (2.0f64 / 3.0).powi(6);
    assert!((crews_birth_death(6, 6, 1.0, 2.0, 1) - independent).abs() < 1e-12);
}

const OLD: &str = r#"
    duration = "4000h"
    replications = 100
    [nodes]
    count = 3
    failure = { dist = "exponential", mean = "4h" }
    repair = { dist = "exponential", mean = "1h" }
    crews = 1
    [[nodes.override]]
    ids = [0]
    failure = { dist = "exponential", mean = "1h" }
    repair = { dist = "exponential", mean = "2h" }
    [detection]
    heartbeat = "0s"
"#;

#[test]
fn one_old_node_under_one_crew_against_the_queue_order_chain() {
    let want = one_crew_queue_uptime(&[(1.0, 2.0), (4.0, 1.0), (4.0, 1.0)]);
    // The symmetric cluster's chain and the warm standby's role chain (up
    // while any machine runs, promotion instant) both hold the queue order.
    let sym = format!("architecture = \"symmetric-cluster\"\n{OLD}");
    let warm =
        format!("architecture = \"warm-standby\"\n{OLD}\n[failover]\npromotion = \"automatic\"\n");
    for text in [&sym, &warm] {
        let (chain, _) = exact(text);
        assert!((chain - want).abs() < 1e-12, "{chain} vs {want}");
        let (_, _, s) = run(text);
        assert_covers(
            "one old node, one crew",
            s.uptime,
            s.ci95.unwrap().uptime.unwrap(),
            want,
            0.01,
        );
    }
    // Without the crew the nodes are independent: 1 − Π(1 − A_i), with
    // A = 1/3 for the old node and 4/5 for the others.
    let free = 1.0 - (2.0 / 3.0) * (1.0 / 5.0) * (1.0 / 5.0);
    let (chain, _) = exact(&sym.replace("crews = 1", ""));
    assert!((chain - free).abs() < 1e-12, "{chain} vs {free}");
    assert!(want < free);
}

#[test]
fn the_queue_order_matters_when_nodes_differ() {
    // Two nodes, one crew, node 0 slow to repair: states (), (0), (1),
    // (0,1), (1,0) (down nodes in the order they failed; the first is being
    // repaired); λ = 1 each, μ0 = 1/4, μ1 = 1.
    let want = one_crew_queue_uptime(&[(1.0, 4.0), (1.0, 1.0)]);
    // Independent check: the same chain in rates (from, to, rate).
    // 0:(), 1:(0), 2:(1), 3:(0,1), 4:(1,0).
    let rates = [
        (0, 1, 1.0),
        (0, 2, 1.0),
        (1, 3, 1.0),
        (1, 0, 0.25),
        (2, 4, 1.0),
        (2, 0, 1.0),
        (3, 2, 0.25),
        (4, 1, 1.0),
    ];
    let pi = crate::analytic::ctmc(5, &rates);
    assert!((pi[0] + pi[1] + pi[2] - want).abs() < 1e-12);
    // Counting the nodes down (as if they were alike) would lose which one
    // the crew holds; the analytic chain keeps the order.
    let text = r#"
        architecture = "symmetric-cluster"
        duration = "10h"
        [nodes]
        count = 2
        failure = { dist = "exponential", mean = "1h" }
        repair = { dist = "exponential", mean = "1h" }
        crews = 1
        [[nodes.override]]
        ids = [0]
        repair = { dist = "exponential", mean = "4h" }
        [detection]
        heartbeat = "0s"
    "#;
    let (chain, states) = exact(text);
    assert_eq!(states, 5);
    assert!((chain - want).abs() < 1e-12, "{chain} vs {want}");
}

#[test]
fn the_chain_refuses_too_many_ordered_states() {
    // Seven different nodes with one crew: Σ 7!/(7−k)! = 13 700 orders.
    let mut text = String::from(
        r#"
        architecture = "symmetric-cluster"
        duration = "10h"
        [nodes]
        count = 7
        failure = { dist = "exponential", mean = "1h" }
        repair = { dist = "exponential", mean = "1h" }
        crews = 1
        [detection]
        heartbeat = "0s"
        "#,
    );
    for i in 0..7 {
        text.push_str(&format!(
            "[[nodes.override]]\nids = [{i}]\nrepair = {{ dist = \"exponential\", mean = \"{}h\" }}\n",
            i + 2
        ));
    }
    match analyse(&scenario(&text)) {
        Analytic::Outside(r) => assert!(r[0].contains("order of the repair queue"), "{r:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_override_changes_only_its_nodes() {
    // Node 1 is a bigger machine (capacity 3) and never fails; node 0 fails
    // every 2 h exactly for 1 h: by hand, node 0 is down 1/3 of the time.
    let text = r#"
        architecture = "symmetric-cluster"
        duration = "30h"
        window = "1h"
        [nodes]
        count = 2
        [[nodes.override]]
        ids = [0]
        failure = "2h"
        repair = "1h"
        [[nodes.override]]
        ids = [1]
        capacity = 3
        [detection]
        heartbeat = "0s"
    "#;
    let (sc, o, s) = run(text);
    assert_eq!(sc.nodes.capacity_of(1), 3);
    assert_eq!(sc.nodes.capacity_of(0), 1);
    assert!(sc.nodes.failure_of(1).is_none());
    // Node 0: down 2–3 h, 5–6 h, …, 29–30 h: ten crashes; node 1 never.
    let crashes: Vec<_> = events(&o)
        .into_iter()
        .filter(|e| e.2 == "crashed")
        .collect();
    assert_eq!(crashes.len(), 10);
    assert!(crashes.iter().all(|e| e.1 == Some(0)));
    assert_eq!(crashes[0].0, 7200.0);
    assert_eq!(crashes[1].0, 3.0 * 3600.0 + 7200.0);
    assert_eq!(s.uptime, 1.0);
}

fn refused(text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("hasim-crews-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("bad{}.toml", text.len()));
    std::fs::write(&path, text).unwrap();
    let o = hasim(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    stderr(&o)
}

#[test]
fn bad_overrides_and_crews_are_refused_with_file_key_and_fix() {
    let base = |extra: &str| {
        format!(
            "architecture = \"symmetric-cluster\"\nduration = \"1h\"\n[nodes]\ncount = 3\nfailure = \"2h\"\nrepair = \"1h\"\n{extra}"
        )
    };
    let cases = [
        (
            "[[nodes.override]]\nids = [3]\nrepair = \"2h\"\n",
            "nodes.override[0].ids",
            "node 3 does not exist",
        ),
        (
            "[[nodes.override]]\nids = []\nrepair = \"2h\"\n",
            "nodes.override[0].ids",
            "empty",
        ),
        (
            "[[nodes.override]]\nids = [1, 1]\nrepair = \"2h\"\n",
            "nodes.override[0].ids",
            "listed twice",
        ),
        (
            "[[nodes.override]]\nids = [0, 1]\nrepair = \"2h\"\n[[nodes.override]]\nids = [2, 1]\nrepair = \"3h\"\n",
            "nodes.override[1].ids",
            "already in nodes.override[0]",
        ),
        (
            "[[nodes.override]]\nids = [0]\nrepiar = \"2h\"\n",
            "nodes.override[0].repiar",
            "unknown field",
        ),
        ("[[nodes.override]]\nids = [0]\n", "nodes.override[0].ids", "changes nothing"),
        (
            "[[nodes.override]]\nids = [0]\npermanent = 0.5\n",
            "nodes.override[0].replace",
            "no `replace`",
        ),
        (
            "[[nodes.override]]\nids = [0]\ncapacity = 0\n",
            "nodes.override[0].capacity",
            "out of range",
        ),
        ("crews = 0\n", "nodes.crews", "out of range"),
    ];
    for (extra, key, what) in cases {
        let e = refused(&base(extra));
        assert!(e.contains(key), "{extra}: {e}");
        assert!(e.contains(what), "{extra}: {e}");
        assert!(e.contains("bad"), "names the file: {e}");
        assert!(e.contains("fix:"), "{e}");
    }
    // Nodes that fail only through their override still need a repair.
    let e = refused(
        "architecture = \"symmetric-cluster\"\nduration = \"1h\"\n[nodes]\ncount = 2\n[[nodes.override]]\nids = [1]\nfailure = \"2h\"\n",
    );
    assert!(e.contains("nodes.override[0].repair"), "{e}");
}

#[test]
fn never_more_repairs_than_crews_and_the_waiting_start_in_failure_order() {
    // Ten nodes failing often, two crews, random repair times: in the trace
    // of the first run, a crash either gets a crew at once ("a repair crew
    // starts") or waits; each "repaired" frees a crew, which starts on the
    // longest-waiting node in the same instant.
    let text = r#"
        architecture = "symmetric-cluster"
        duration = "2000h"
        [nodes]
        count = 10
        failure = { dist = "exponential", mean = "20h" }
        repair = { dist = "uniform", min = "30m", max = "3h" }
        crews = 2
        [detection]
        heartbeat = "0s"
    "#;
    let (_, o, _) = run(text);
    let (mut busy, mut max_busy, mut waited) = (0, 0, 0);
    let mut queue = std::collections::VecDeque::new();
    let mut last_repaired = None;
    for e in &o.events {
        match e.event {
            "crashed" if e.detail.starts_with("a repair crew starts") => busy += 1,
            "crashed" => {
                assert!(e.detail.starts_with("every repair crew is busy"), "{e:?}");
                assert_eq!(busy, 2, "{e:?}");
                queue.push_back(e.node);
                waited += 1;
            }
            "repaired" => {
                busy -= 1;
                last_repaired = Some(e.time_ns);
            }
            "repair_started" => {
                assert_eq!(queue.pop_front(), Some(e.node), "first come first served");
                assert_eq!(
                    last_repaired,
                    Some(e.time_ns),
                    "starts when a crew is freed"
                );
                busy += 1;
            }
            _ => {}
        }
        max_busy = max_busy.max(busy);
    }
    assert_eq!(max_busy, 2);
    assert!(
        waited > 100,
        "only {waited} repairs waited: the test proves little"
    );
}

#[test]
fn sharded_runs_with_crews_and_stonith_merge_into_the_whole_run() {
    // A shard carries the first replication's events by name: the crew's
    // `repair_started` (and stonith's `fenced`) must be known to `merge`.
    let tmp = tempfile::tempdir().unwrap();
    for (file, duration) in [
        ("validation/28-two-nodes-one-crew.toml", "duration=200h"),
        ("scenarios/fencing/2-stonith.toml", "duration=10m"),
    ] {
        let mut shards = Vec::new();
        for k in 0..2 {
            let out = tmp.path().join(format!("{}-s{k}", file.replace('/', "_")));
            let o = hasim(&[
                "run",
                file,
                "--replications",
                "20",
                "--set",
                duration,
                "--shard",
                &format!("{k}/2"),
                "--out",
                out.to_str().unwrap(),
            ]);
            assert!(o.status.success(), "{}", stderr(&o));
            for e in std::fs::read_dir(&out).unwrap() {
                shards.push(e.unwrap().path().to_string_lossy().into_owned());
            }
        }
        let merged = tmp.path().join(format!("{}-m", file.replace('/', "_")));
        let mut args = vec!["merge"];
        args.extend(shards.iter().map(String::as_str));
        args.extend(["--out", merged.to_str().unwrap()]);
        let o = hasim(&args);
        assert!(o.status.success(), "{file}: {}", stderr(&o));
    }
}

#[test]
fn a_domain_repair_and_a_node_repair_share_the_crew() {
    // The rack holding node 0 fails at 100 s (fixed) and takes 50 s to
    // repair: the one crew works on it until 150 s. Node 1 crashes at 120 s
    // for 20 s and waits; the crew starts on it at 150 s, back at 170 s.
    // The service (either node) is down 120–150 s; with a crew each, node 1
    // would be back at 140 s.
    let text = |crews: &str| {
        format!(
            r#"
            architecture = "symmetric-cluster"
            duration = "190s"
            window = "10s"
            [nodes]
            count = 2
            {crews}
            [detection]
            heartbeat = "0s"
            [[domains]]
            name = "rack-a"
            members = [0]
            failure = "100s"
            repair = "50s"
            [[faults]]
            at = "120s"
            node = 1
            kind = "crash"
            for = "20s"
        "#
        )
    };
    let (_, o, s) = run(&text("crews = 1"));
    assert_eq!(s.downtime_s, 30.0);
    let ev: Vec<_> = events(&o)
        .into_iter()
        .filter(|e| {
            matches!(
                e.2,
                "domain_failed" | "domain_repaired" | "crashed" | "repair_started" | "repaired"
            )
        })
        .collect();
    assert_eq!(
        ev,
        vec![
            (100.0, None, "domain_failed"),
            (120.0, Some(1), "crashed"),
            (150.0, None, "domain_repaired"),
            (150.0, Some(1), "repair_started"),
            (170.0, Some(1), "repaired"),
        ]
    );
    let (_, _, s) = run(&text(""));
    assert_eq!(s.downtime_s, 20.0);
}
