//! Simulated numbers against closed forms: availability of one node, of
//! parallel and series systems, a warm standby against its Markov chain,
//! and queueing latency against M/M/1 and M/M/c (Erlang C).

use crate::support::{assert_covers, run};

/// Stationary distribution of a CTMC given its rates (from, to, rate).
#[allow(clippy::needless_range_loop)]
pub fn ctmc(n: usize, rates: &[(usize, usize, f64)]) -> Vec<f64> {
    // Solve πQ = 0 with Σπ = 1: replace the last balance equation by Σπ = 1.
    let mut q = vec![vec![0.0; n]; n];
    for &(i, j, r) in rates {
        q[i][j] += r;
        q[i][i] -= r;
    }
    // Row k of the system: Σ_i π_i q[i][k] = 0.
    let mut a: Vec<Vec<f64>> = (0..n)
        .map(|k| (0..n).map(|i| q[i][k]).chain([0.0]).collect())
        .collect();
    a[n - 1] = vec![1.0; n + 1];
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
            .unwrap();
        a.swap(col, pivot);
        for row in 0..n {
            if row != col {
                let f = a[row][col] / a[col][col];
                for k in col..=n {
                    a[row][k] -= f * a[col][k];
                }
            }
        }
    }
    (0..n).map(|i| a[i][n] / a[i][i]).collect()
}

#[test]
fn single_node_uptime_is_mtbf_over_mtbf_plus_mttr() {
    // MTBF 10 h, MTTR 1 h, instant detection: A = 10/11.
    let (_, _, s) = run(r#"
        architecture = "symmetric-cluster"
        duration = "5000h"
        replications = 120
        [nodes]
        count = 1
        failure = { dist = "exponential", mean = "10h" }
        repair = { dist = "exponential", mean = "1h" }
        [detection]
        heartbeat = "0s"
    "#);
    assert_covers(
        "single node uptime",
        s.uptime,
        s.ci95.unwrap().uptime.unwrap(),
        10.0 / 11.0,
        0.0015,
    );
}

#[test]
fn heartbeat_detection_adds_the_mark_up_delay() {
    // Fixed 1 h repairs, heartbeat 60 s, rise 2: after each repair the
    // dispatcher waits for the next due heartbeat (H/2 on average) and one
    // more (H): each failure costs 3600 + 30 + 60 s.
    let (_, _, s) = run(r#"
        architecture = "symmetric-cluster"
        duration = "5000h"
        replications = 120
        [nodes]
        count = 1
        failure = { dist = "exponential", mean = "10h" }
        repair = "1h"
        [detection]
        heartbeat = "60s"
        fall = 3
        rise = 2
    "#);
    let exact = 36_000.0 / (36_000.0 + 3_690.0);
    assert_covers(
        "uptime with heartbeats",
        s.uptime,
        s.ci95.unwrap().uptime.unwrap(),
        exact,
        0.0015,
    );
}

#[test]
fn parallel_nodes_are_down_only_when_all_are_down() {
    // Three independent nodes with A = 1/2: 1-of-3 availability 1 − (1/2)³.
    let (_, _, s) = run(r#"
        architecture = "symmetric-cluster"
        duration = "2000h"
        replications = 120
        [nodes]
        count = 3
        failure = { dist = "exponential", mean = "1h" }
        repair = { dist = "exponential", mean = "1h" }
        [detection]
        heartbeat = "0s"
    "#);
    assert_covers(
        "1-of-3 uptime",
        s.uptime,
        s.ci95.unwrap().uptime.unwrap(),
        0.875,
        0.002,
    );
}

#[test]
fn master_slave_without_promotion_is_a_series_system() {
    // Class A needs the master, class B the slave: the service is up only
    // when both are (2-of-2), and each class has a node's availability.
    let (_, o, s) = run(r#"
        architecture = "master-slave"
        duration = "2000h"
        replications = 120
        [nodes]
        count = 2
        failure = { dist = "exponential", mean = "3h" }
        repair = { dist = "exponential", mean = "1h" }
        [detection]
        heartbeat = "0s"
        [failover]
        promotion = "none"
    "#);
    let a = 0.75;
    assert_covers(
        "2-of-2 uptime",
        s.uptime,
        s.ci95.unwrap().uptime.unwrap(),
        a * a,
        0.003,
    );
    for (name, w) in ["A", "B"].iter().zip(&o.class_uptime) {
        assert_covers(
            &format!("class {name} uptime"),
            w.mean().unwrap(),
            w.ci95().unwrap(),
            a,
            0.003,
        );
    }
    assert_eq!(s.failovers, 0.0);
}

#[test]
fn warm_standby_automatic_matches_its_markov_chain() {
    // λ failure, μ repair per node, σ switch; instant detection.
    // States: 0 = leader up, other up; 1 = leader up, other down;
    // 2 = switching, other up; 3 = switching, other down; 4 = both down.
    let (l, m, sg) = (1.0 / 10.0, 1.0 / 2.0, 2.0); // per hour
    let rates = [
        (0, 3, l), // leader fails: the other becomes the candidate
        (0, 1, l), // the other fails
        (1, 4, l), // leader fails, no candidate
        (1, 0, m),
        (3, 1, sg), // switch done, the old leader still in repair
        (3, 4, l),  // candidate fails: abandoned, nobody left
        (3, 2, m),  // old leader repaired: back as backup
        (2, 0, sg),
        (2, 3, l),       // candidate fails: the other takes over the promotion
        (2, 3, l),       // the other fails
        (4, 3, 2.0 * m), // first repaired node becomes the candidate
    ];
    let pi = ctmc(5, &rates);
    let exact = pi[0] + pi[1];
    let (_, _, s) = run(r#"
        architecture = "warm-standby"
        duration = "4000h"
        replications = 120
        [nodes]
        count = 2
        failure = { dist = "exponential", mean = "10h" }
        repair = { dist = "exponential", mean = "2h" }
        [detection]
        heartbeat = "0s"
        [failover]
        promotion = "automatic"
        switch = { dist = "exponential", mean = "30m" }
    "#);
    assert_covers(
        "warm standby uptime",
        s.uptime,
        s.ci95.unwrap().uptime.unwrap(),
        exact,
        0.002,
    );
}

#[test]
fn cold_standby_manual_matches_its_markov_chain() {
    // Every failure is permanent: after the alert the operator (rate ω)
    // promotes a backup, whose service starts (rate β; switch instant);
    // a gone machine is replaced (rate ρ) and joins as a backup.
    // States: phase of the primary slot and the machines outside it.
    //   S1 serving, other up        S0 serving, other gone
    //   P2/P1/P0 operator pending, 2/1/0 backups up (the rest gone)
    //   T1/T0 backup starting, the other machine up/gone
    //   W  operator acted, both machines gone: waits for a replacement
    let (l, rho, w, b) = (1.0 / 20.0, 1.0 / 4.0, 1.0, 2.0); // per hour
    let (s1, s0, p2, p1, p0, t1, t0, wt) = (0, 1, 2, 3, 4, 5, 6, 7);
    let rates = [
        (s1, p1, l),
        (s1, s0, l),
        (s0, p0, l),
        (s0, s1, rho),
        (p2, t1, w),
        (p2, p1, 2.0 * l),
        (p1, t0, w),
        (p1, p0, l),
        (p1, p2, rho),
        (p0, wt, w),
        (p0, p1, 2.0 * rho),
        (t1, s1, b),
        (t1, t0, l), // the candidate fails: the other machine starts afresh
        (t1, t0, l), // the other machine fails
        (t0, s0, b),
        (t0, wt, l), // the candidate fails: nobody left
        (t0, t1, rho),
        (wt, t0, 2.0 * rho), // the first replacement becomes the candidate
    ];
    let pi = ctmc(8, &rates);
    let exact = pi[s1] + pi[s0];
    let (_, _, s) = run(r#"
        architecture = "cold-standby"
        duration = "8000h"
        replications = 120
        [nodes]
        count = 2
        failure = { dist = "exponential", mean = "20h" }
        repair = "1h"
        permanent = 1.0
        replace = { dist = "exponential", mean = "4h" }
        [detection]
        heartbeat = "0s"
        [failover]
        promotion = "manual"
        operator = { dist = "exponential", mean = "1h" }
        start = { dist = "exponential", mean = "30m" }
    "#);
    assert_covers(
        "cold standby uptime",
        s.uptime,
        s.ci95.unwrap().uptime.unwrap(),
        exact,
        0.003,
    );
}

/// P(T > t) for the sojourn time of M/M/c FCFS.
fn mmc_tail(t: f64, lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    let rho = a / c as f64;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..c {
        term *= a / k as f64;
        sum += term;
    }
    let last = term * a / c as f64 / (1.0 - rho);
    let erlang_c = last / (sum + last);
    let theta = c as f64 * mu - lambda;
    (1.0 - erlang_c) * (-mu * t).exp()
        + erlang_c * (theta * (-mu * t).exp() - mu * (-theta * t).exp()) / (theta - mu)
}

fn mmc_mean(lambda: f64, mu: f64, c: u32) -> f64 {
    // ∫ P(T > t) dt, numerically: exact enough for a test oracle.
    let (mut t, dt, mut s) = (0.0, 1e-5, 0.0);
    while t < 50.0 / (c as f64 * mu - lambda).min(mu) {
        s += mmc_tail(t + dt / 2.0, lambda, mu, c) * dt;
        t += dt;
    }
    s
}

fn quantile(p: f64, tail: impl Fn(f64) -> f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 100.0);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if 1.0 - tail(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

#[test]
fn random_dispatch_latency_is_mm1() {
    // 4 nodes × 1 worker, random dispatch: each node is an M/M/1 queue with
    // λ/4 = 70/s and μ = 100/s. Sojourn ~ Exp(μ − λ/4).
    let (_, o, s) = run(r#"
        architecture = "symmetric-cluster"
        duration = "3000s"
        replications = 10
        [nodes]
        count = 4
        [workload]
        rate = 280
        service = { dist = "exponential", mean = "10ms" }
        [dispatch]
        policy = "random"
    "#);
    let theta = 100.0 - 70.0;
    let lat = s.latency_ms.unwrap();
    assert_covers(
        "M/M/1 mean latency (ms)",
        lat.mean,
        o.latency_mean_ms.ci95().unwrap(),
        1e3 / theta,
        1.0,
    );
    let p99 = 1e3 * (100.0f64).ln() / theta;
    assert!(
        (lat.p99 - p99).abs() / p99 < 0.02,
        "M/M/1 p99 {} ms vs exact {p99} ms",
        lat.p99
    );
    let p50 = 1e3 * 2f64.ln() / theta;
    assert!(
        (lat.p50 - p50).abs() / p50 < 0.02,
        "M/M/1 p50 {} ms vs exact {p50} ms",
        lat.p50
    );
    assert_eq!(s.requests.unwrap().failed, 0);
}

#[test]
fn one_node_with_c_workers_is_mmc() {
    // One node, 4 workers, λ = 340/s, μ = 100/s (ρ = 0.85): Erlang C.
    let (lambda, mu, c) = (340.0, 100.0, 4);
    let (_, o, s) = run(r#"
        architecture = "symmetric-cluster"
        duration = "3000s"
        replications = 10
        [nodes]
        count = 1
        capacity = 4
        [workload]
        rate = 340
        service = { dist = "exponential", mean = "10ms" }
    "#);
    let lat = s.latency_ms.unwrap();
    let mean = 1e3 * mmc_mean(lambda, mu, c);
    assert_covers(
        "M/M/c mean latency (ms)",
        lat.mean,
        o.latency_mean_ms.ci95().unwrap(),
        mean,
        0.5,
    );
    let p99 = 1e3 * quantile(0.99, |t| mmc_tail(t, lambda, mu, c));
    assert!(
        (lat.p99 - p99).abs() / p99 < 0.02,
        "M/M/c p99 {} ms vs exact {p99} ms",
        lat.p99
    );
}

#[test]
fn ctmc_solver_solves_a_two_state_chain() {
    let pi = ctmc(2, &[(0, 1, 1.0), (1, 0, 10.0)]);
    assert!((pi[0] - 10.0 / 11.0).abs() < 1e-12);
}
