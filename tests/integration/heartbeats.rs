//! SPEC §1's heartbeat rule, by hand: heartbeats are due at k·H; a node is
//! marked down at the due time of its `fall`-th consecutive missed due time
//! and up at the due time of its `rise`-th consecutive delivered one. Only
//! due times count: what happens between two of them does not matter.
//!
//! Every case runs a two-node symmetric cluster (node 0 never fails, so the
//! service stays up) with scripted faults on node 1, H = 1 s, and compares
//! the exact event list with times worked out on the grid.

use crate::support::{events, run, scenario};
use hasim::metrics::RepResult;
use hasim::model::{simulate, RunOptions};
use hasim::stats::Welford;

type Ev = (f64, Option<u32>, &'static str);

/// A two-node symmetric cluster, H = 1 s, with `fall`, `rise` and `faults`.
fn pair(fall: u32, rise: u32, faults: &str) -> String {
    format!(
        r#"
        architecture = "symmetric-cluster"
        duration = "1000s"
        [nodes]
        count = 2
        [detection]
        heartbeat = "1s"
        fall = {fall}
        rise = {rise}
        {faults}
        "#
    )
}

/// A scripted fault on node 1.
fn fault(kind: &str, at: &str, for_: &str) -> String {
    format!("[[faults]]\nat = \"{at}\"\nnode = 1\nkind = \"{kind}\"\nfor = \"{for_}\"\n")
}

fn crash(at: &str, for_: &str) -> String {
    fault("crash", at, for_)
}

fn node1(text: &str) -> Vec<Ev> {
    let (_, o, s) = run(text);
    assert_eq!(s.uptime, 1.0, "node 0 serves throughout");
    events(&o)
}

#[test]
fn spec_example_two_stops_one_miss_run() {
    // SPEC §1: down over 100.2–101.5 s and again from 101.7 s. Due times
    // 101 (down), 102 (down), 103 (down): marked down at 103 with fall = 3.
    // Back at 111.7: 112 and 113 delivered, marked up at 113 (rise = 2).
    let text = pair(3, 2, &(crash("100.2s", "1.3s") + &crash("101.7s", "10s")));
    assert_eq!(
        node1(&text),
        vec![
            (100.2, Some(1), "crashed"),
            (101.5, Some(1), "repaired"),
            (101.7, Some(1), "crashed"),
            (103.0, Some(1), "marked_down"),
            (111.7, Some(1), "repaired"),
            (113.0, Some(1), "marked_up"),
        ]
    );
}

#[test]
fn a_blip_between_two_due_times_misses_nothing() {
    // Down 100.2–100.7: no due time inside, nothing missed, no verdict.
    // Down 200.5–201.0: back exactly at the due time 201, whose heartbeat
    // is delivered (other events of the instant come first).
    let text = pair(1, 2, &(crash("100.2s", "0.5s") + &crash("200.5s", "0.5s")));
    let ev = node1(&text);
    assert!(
        !ev.iter().any(|e| e.2.starts_with("marked")),
        "no due time was missed: {ev:?}"
    );
    // A stop exactly at a due time misses it: with fall = 1, marked down
    // at 300; back at 300.3, 301 and 302 delivered: marked up at 302.
    let text = pair(1, 2, &crash("300s", "0.3s"));
    assert_eq!(
        node1(&text),
        vec![
            (300.0, Some(1), "crashed"),
            (300.0, Some(1), "marked_down"),
            (300.3, Some(1), "repaired"),
            (302.0, Some(1), "marked_up"),
        ]
    );
}

#[test]
fn a_blip_in_the_rise_run_that_misses_no_due_time_changes_nothing() {
    // Down 100.5–110.5: misses 101, 102, 103, marked down at 103. Back at
    // 110.5, delivers 111; down again 111.2–111.7 (no due time inside);
    // delivers 112: two consecutive delivered due times, marked up at 112.
    let text = pair(3, 2, &(crash("100.5s", "10s") + &crash("111.2s", "0.5s")));
    assert_eq!(
        node1(&text),
        vec![
            (100.5, Some(1), "crashed"),
            (103.0, Some(1), "marked_down"),
            (110.5, Some(1), "repaired"),
            (111.2, Some(1), "crashed"),
            (111.7, Some(1), "repaired"),
            (112.0, Some(1), "marked_up"),
        ]
    );
}

#[test]
fn a_blip_that_misses_a_due_time_restarts_the_rise_run() {
    // Back at 110.5, delivers 111; down 111.5–112.5 misses 112: the run
    // restarts and 113, 114 are delivered: marked up at 114. No second
    // mark-down (one miss, and the node is already marked down).
    let text = pair(3, 2, &(crash("100.5s", "10s") + &crash("111.5s", "1s")));
    assert_eq!(
        node1(&text),
        vec![
            (100.5, Some(1), "crashed"),
            (103.0, Some(1), "marked_down"),
            (110.5, Some(1), "repaired"),
            (111.5, Some(1), "crashed"),
            (112.5, Some(1), "repaired"),
            (114.0, Some(1), "marked_up"),
        ]
    );
}

#[test]
fn mark_up_after_a_brief_second_failure_during_the_rise_run() {
    // rise = 3. Back at 110.5: delivers 111, 112; down 112.2–112.8 (no
    // due time); delivers 113: the third consecutive, marked up at 113.
    let text = pair(3, 3, &(crash("100.5s", "10s") + &crash("112.2s", "0.6s")));
    let ev = node1(&text);
    assert_eq!(ev.last(), Some(&(113.0, Some(1), "marked_up")), "{ev:?}");
    // Down 112.2–113.2 misses 113: 114, 115, 116 delivered, up at 116.
    let text = pair(3, 3, &(crash("100.5s", "10s") + &crash("112.2s", "1s")));
    let ev = node1(&text);
    assert_eq!(ev.last(), Some(&(116.0, Some(1), "marked_up")), "{ev:?}");
    assert_eq!(ev.iter().filter(|e| e.2 == "marked_down").count(), 1);
}

#[test]
fn a_partition_then_a_crash_is_one_miss_run() {
    // Cut off at 100.5; crashes at 101.5 while cut off (repaired at 103.5,
    // still cut off). Misses 101, 102, 103: marked down at 103, the crash
    // does not restart the count. Heals at 160.5: up at 162.
    let text = pair(
        3,
        2,
        &(fault("partition", "100.5s", "60s") + &crash("101.5s", "2s")),
    );
    assert_eq!(
        node1(&text),
        vec![
            (100.5, Some(1), "partitioned"),
            (101.5, Some(1), "crashed"),
            (103.0, Some(1), "marked_down"),
            (103.5, Some(1), "repaired"),
            (160.5, Some(1), "healed"),
            (162.0, Some(1), "marked_up"),
        ]
    );
    // The partition heals (102.5) while the node is still down: the
    // repair (106.5) still comes, and 107, 108 mark it up.
    let text = pair(
        3,
        2,
        &(fault("partition", "100.5s", "2s") + &crash("101.5s", "5s")),
    );
    assert_eq!(
        node1(&text),
        vec![
            (100.5, Some(1), "partitioned"),
            (101.5, Some(1), "crashed"),
            (102.5, Some(1), "healed"),
            (103.0, Some(1), "marked_down"),
            (106.5, Some(1), "repaired"),
            (108.0, Some(1), "marked_up"),
        ]
    );
}

#[test]
fn a_hung_node_still_delivers_its_heartbeats() {
    let text = pair(1, 1, &fault("hang", "100.5s", "10s"));
    let (_, o, _) = run(&text);
    assert_eq!(
        events(&o),
        vec![(100.5, Some(1), "hung"), (110.5, Some(1), "healed")]
    );
}

#[test]
fn instant_detection_marks_at_the_flip() {
    // heartbeat = 0s: marked down at the failure instant, up at the repair
    // instant, even for a blip.
    let text = pair(3, 2, &crash("100.2s", "0.1s")).replace("\"1s\"", "\"0s\"");
    let (_, o, _) = run(&text);
    assert_eq!(
        events(&o),
        vec![
            (100.2, Some(1), "crashed"),
            (100.2, Some(1), "marked_down"),
            (100.3, Some(1), "repaired"),
            (100.3, Some(1), "marked_up"),
        ]
    );
}

#[test]
fn a_replacement_that_fails_again_before_detection_is_still_alerted() {
    // Node 1 fails for good at 100.5; its replacement joins at 101.2 and
    // crashes at 101.6 for 10 s. The old machine's alert (misses 101,
    // 102, 103) stands: marked down at 103. The replacement is back at
    // 111.6: 112, 113 delivered, up at 113.
    let text = pair(
        3,
        2,
        "[[faults]]\nat = \"100.5s\"\nnode = 1\nkind = \"permanent\"\n",
    )
    .replace("count = 2", "count = 2\nreplace = \"0.7s\"")
        + &crash("101.6s", "10s");
    assert_eq!(
        node1(&text),
        vec![
            (100.5, Some(1), "failed_permanently"),
            (101.2, Some(1), "replaced"),
            (101.6, Some(1), "crashed"),
            (103.0, Some(1), "marked_down"),
            (111.6, Some(1), "repaired"),
            (113.0, Some(1), "marked_up"),
        ]
    );
}

/// Solves π·G = 0, Σπ = 1 for a generator G (a CTMC's Q, or P − I for a
/// chain in discrete steps), by Gaussian elimination with partial pivoting.
pub fn stationary(g: &[Vec<f64>]) -> Vec<f64> {
    let n = g.len();
    // Rows of the system: the transpose of G, with the last equation
    // replaced by the normalisation.
    let mut a: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let mut row: Vec<f64> = (0..n).map(|j| g[j][i]).collect();
            row.push(0.0);
            row
        })
        .collect();
    a[n - 1] = vec![1.0; n + 1];
    for c in 0..n {
        let p = (c..n)
            .max_by(|&x, &y| a[x][c].abs().total_cmp(&a[y][c].abs()))
            .unwrap();
        a.swap(c, p);
        let pivot = a[c].clone();
        for (r, row) in a.iter_mut().enumerate() {
            if r != c {
                let f = row[c] / pivot[c];
                for (x, p) in row[c..].iter_mut().zip(&pivot[c..]) {
                    *x -= f * p;
                }
            }
        }
    }
    (0..n).map(|i| a[i][n] / a[i][i]).collect()
}

/// The exact long-run behaviour of one node that fails at rate `a` and is
/// repaired at rate `b` (exponential), watched by heartbeats every `h`
/// with `fall` and `rise`: (fraction of time marked up, fraction of time
/// running and marked up).
///
/// The node's state X(t) is a two-state CTMC; the mark changes only at due
/// times k·h and depends on X there. So the chain on the grid is
/// (mark, run length): marked up with m consecutive misses (m < fall; X is
/// up iff m = 0), or marked down with d consecutive deliveries (d < rise; X
/// is up iff d > 0). Over [k·h, (k+1)·h) the mark is constant and X runs
/// from its state at k·h, so the time up within the interval is
/// ∫₀ʰ P(X(s) = up | X(0)) ds, in closed form.
fn heartbeat_grid_chain(a: f64, b: f64, h: f64, fall: usize, rise: usize) -> (f64, f64) {
    let s = a + b;
    let e = (-s * h).exp();
    // P(up at h | up at 0), P(up at h | down at 0).
    let p_up = [b / s + a / s * e, b / s - b / s * e];
    // ∫₀ʰ P(up at t | up / down at 0) dt.
    let time_up = [
        b / s * h + a / (s * s) * (1.0 - e),
        b / s * h - b / (s * s) * (1.0 - e),
    ];
    let n = fall + rise;
    // States 0..fall: marked up, m misses; fall..n: marked down, d deliveries.
    let running = |i: usize| if i < fall { i == 0 } else { i > fall };
    let mut g = vec![vec![0.0; n]; n];
    for (i, row) in g.iter_mut().enumerate() {
        let pu = p_up[usize::from(!running(i))];
        let (on_up, on_down) = if i < fall {
            // A delivery resets the misses; the fall-th miss marks down.
            (0, if i + 1 < fall { i + 1 } else { fall })
        } else {
            // The rise-th delivery marks up; a miss resets the deliveries.
            let d = i - fall;
            (if d + 1 < rise { i + 1 } else { 0 }, fall)
        };
        row[on_up] += pu;
        row[on_down] += 1.0 - pu;
        row[i] -= 1.0;
    }
    let pi = stationary(&g);
    let marked: f64 = pi[..fall].iter().sum();
    let up: f64 = (0..fall)
        .map(|i| pi[i] * time_up[usize::from(!running(i))] / h)
        .sum();
    (marked, up)
}

#[test]
fn the_grid_chain_checks_out_on_known_limits() {
    // fall = rise = 1 and a node that changes state far slower than the
    // heartbeat: marked up almost exactly while running.
    let (marked, up) = heartbeat_grid_chain(1e-4, 1e-3, 1.0, 1, 1);
    let avail = 1e-3 / 1.1e-3;
    assert!((marked - avail).abs() < 1e-3, "{marked}");
    assert!(up < avail && up > avail - 2e-3, "{up}");
    // Heartbeats far faster than the node: the same.
    let (m2, _) = heartbeat_grid_chain(1.0, 2.0, 1e-4, 3, 2);
    assert!((m2 - 2.0 / 3.0).abs() < 1e-3, "{m2}");
}

#[test]
fn a_crash_looping_node_matches_its_heartbeat_grid_chain() {
    // One node failing every 0.7 s and repaired in 0.5 s on average, much
    // faster than its 1 s heartbeat. The service (a one-node symmetric
    // cluster) is up while the node runs and is marked up.
    let (a, b) = (1.0 / 0.7, 1.0 / 0.5);
    let (marked, exact) = heartbeat_grid_chain(a, b, 1.0, 2, 2);
    eprintln!("crash loop: exact marked-up fraction {marked}, uptime {exact}");
    let text = r#"
        architecture = "symmetric-cluster"
        duration = "250000s"
        replications = 80
        [nodes]
        count = 1
        failure = { dist = "exponential", mean = "0.7s" }
        repair = { dist = "exponential", mean = "0.5s" }
        [detection]
        heartbeat = "1s"
        fall = 2
        rise = 2
    "#;
    // Replication by replication: the outage list of all of them at once
    // would take a gigabyte.
    let (sim, ci) = per_replication(text, |r| r.up_ns as f64 / r.measured_ns as f64);
    crate::support::assert_covers("crash-looping node uptime", sim, ci, exact, 3.5e-4);
}

/// Runs every replication of `text` one at a time and returns the mean of
/// `f` over them and its 95 % half-width.
pub fn per_replication(text: &str, f: impl Fn(&RepResult) -> f64) -> (f64, f64) {
    let sc = scenario(text);
    let mut w = Welford::default();
    for replication in 0..u64::from(sc.replications) {
        let r = simulate(
            &sc,
            RunOptions {
                replication,
                trace: false,
            },
        );
        w.add(f(&r));
    }
    (w.mean_or_zero(), w.ci95().expect("several replications"))
}

/// A small deterministic generator for the random timelines below.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

#[test]
fn random_timelines_match_a_heartbeat_by_heartbeat_count() {
    // Random crashes and partitions of node 1 (times on a 100 ms grid, so
    // that many fall exactly on due times), against the rule applied one
    // due time at a time: reachable at k·H after the instant's events;
    // marked down at the fall-th consecutive miss, up at the rise-th
    // consecutive delivery.
    let mut rng = Lcg(7);
    let mut verdicts = 0;
    for case in 0..150 {
        let (fall, rise) = (1 + rng.below(4) as u32, 1 + rng.below(4) as u32);
        // (start, end, crash?) in units of 100 ms.
        let mut faults: Vec<(u64, u64, bool)> = Vec::new();
        let mut t = 0;
        let mut text = String::new();
        while faults.len() < 30 {
            t += 1 + rng.below(40);
            let d = 1 + rng.below(40);
            let crash = rng.below(2) == 0;
            // A fault starting when another ends would depend on the
            // order of same-instant events: keep clear of it.
            if faults.iter().any(|f| f.1 == t) {
                continue;
            }
            faults.push((t, t + d, crash));
            text += &fault(
                if crash { "crash" } else { "partition" },
                &format!("{}ms", t * 100),
                &format!("{}ms", d * 100),
            );
        }
        // Which faults take effect: a crash when the node runs, a
        // partition when it runs and is not already cut off.
        let (mut down_until, mut cut_until) = (0, 0);
        let mut unreachable: Vec<(u64, u64)> = Vec::new();
        for &(s, e, crash) in &faults {
            let running = s >= down_until;
            if crash && running {
                down_until = e;
                unreachable.push((s, e));
            } else if !crash && running && s >= cut_until {
                cut_until = e;
                unreachable.push((s, e));
            }
        }
        let reachable = |k: u64| !unreachable.iter().any(|&(s, e)| s <= k && k < e);
        let mut expected = Vec::new();
        let (mut marked, mut count) = (true, 0);
        for k in (10..=t + 200).step_by(10) {
            if reachable(k) == marked {
                count = 0;
                continue;
            }
            count += 1;
            if count == if marked { fall } else { rise } {
                marked = !marked;
                count = 0;
                let what = if marked { "marked_up" } else { "marked_down" };
                expected.push((k as f64 / 10.0, what));
            }
        }
        let text = pair(fall, rise, &text);
        let (_, o, _) = run(&text);
        let got: Vec<(f64, &str)> = events(&o)
            .into_iter()
            .filter(|e| e.2.starts_with("marked"))
            .map(|e| (e.0, e.2))
            .collect();
        assert_eq!(
            got, expected,
            "case {case}, fall {fall}, rise {rise}:\n{text}"
        );
        verdicts += got.len();
    }
    assert!(
        verdicts > 1000,
        "the cases must exercise the rule: {verdicts}"
    );
}
