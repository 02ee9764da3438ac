//! How the cost per event grows with the size of what is simulated
//! (issue 8): `cargo bench --bench scaling` (a filter word selects tables:
//! `nodes`, `workers`, `events` (every node-event table; `fleet` the
//! symmetric one alone), and for the role-based architectures
//! `asymmetric`, `forward`, `master-slave`, `lowest-id`, `raft`;
//! `--repeat N` takes the best of N).
//!
//! Every row of a table simulates the same total work, on one thread, so
//! the ratio between its first and last rows is the growth of the cost per
//! event. Times are the process's user CPU time (the machine may be
//! shared: another process's load barely moves it), with the wall time of
//! the best run beside it. Not a test: timings depend on the machine.

use hasim::montecarlo;
use hasim::scenario::{self, LoadOptions};
use std::time::Instant;

/// Requests per row of the request tables.
const REQUESTS: f64 = 3_000_000.0;

fn load(toml: &str) -> scenario::Scenario {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("scaling.toml");
    std::fs::write(&path, toml).expect("write the scenario");
    scenario::load(&path, &LoadOptions::default()).expect("bench scenario is valid")
}

/// User CPU seconds of this process so far.
fn user_cpu() -> f64 {
    // SAFETY: getrusage writes into the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    u.ru_utime.tv_sec as f64 + u.ru_utime.tv_usec as f64 * 1e-6
}

/// Runs on one thread; returns (user CPU seconds, wall seconds, offered
/// requests, events).
fn time(sc: &scenario::Scenario) -> (f64, f64, u64, u64) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    let (t, cpu) = (Instant::now(), user_cpu());
    let o = pool.install(|| montecarlo::run(sc));
    let (secs, cpu) = (t.elapsed().as_secs_f64(), user_cpu() - cpu);
    (cpu, secs, o.requests.map_or(0, |r| r.offered), o.sim_events)
}

/// A symmetric cluster under round-robin, failures too rare to matter.
fn cluster(nodes: u32, capacity: u32, rate: f64) -> String {
    let duration_ms = (REQUESTS / rate * 1000.0).round() as u64;
    format!(
        r#"name = "scaling"
architecture = "symmetric-cluster"
seed = 1
duration = "{duration_ms}ms"
[nodes]
count = {nodes}
capacity = {capacity}
queue = 1000
failure = {{ dist = "exponential", mean = "100000d" }}
repair = {{ dist = "exponential", mean = "10m" }}
[workload]
rate = {rate}
arrival = "poisson"
service = {{ dist = "exponential", mean = "10ms" }}
[dispatch]
policy = "round-robin"
attempts = 2
"#
    )
}

/// The fleet of SPEC §6 with `nodes` nodes, replications scaled so that
/// every row simulates about the same number of node events.
fn fleet(nodes: u32) -> String {
    let reps = 12_000 / nodes;
    format!(
        r#"name = "scaling"
architecture = "symmetric-cluster"
seed = 1
duration = "3650d"
replications = {reps}
[nodes]
count = {nodes}
failure = {{ dist = "exponential", mean = "30d" }}
repair = {{ dist = "lognormal", median = "4h", sigma = 0.5 }}
permanent = 0.05
replace = "3d"
"#
    )
}

/// An asymmetric cluster (lowest-id master) under round-robin, failures
/// too rare to matter: half the requests go to `any` node, half to slaves.
/// With `forward` (ZooKeeper), a fifth of them are master tasks sent to any
/// node, which a slave forwards to the master.
fn asymmetric(nodes: u32, capacity: u32, rate: f64, forward: bool) -> String {
    let duration_ms = (REQUESTS / rate * 1000.0).round() as u64;
    let (write, share, election) = if forward {
        (
            "\n  { name = \"write\", share = 0.2, route = \"master\" },",
            0.4,
            "[election]\nforward = true\n",
        )
    } else {
        ("", 0.5, "")
    };
    format!(
        r#"name = "scaling"
architecture = "asymmetric-cluster"
seed = 1
duration = "{duration_ms}ms"
[nodes]
count = {nodes}
capacity = {capacity}
queue = 1000
failure = {{ dist = "exponential", mean = "100000d" }}
repair = {{ dist = "exponential", mean = "10m" }}
[workload]
rate = {rate}
arrival = "poisson"
service = {{ dist = "exponential", mean = "10ms" }}
[dispatch]
policy = "round-robin"
attempts = 2
classes = [{write}
  {{ name = "read", share = {share}, route = "any" }},
  {{ name = "report", share = {share}, route = "slave" }},
]
{election}"#
    )
}

/// The fleet with roles: `arch` with automatic promotion (an asymmetric
/// cluster elects with `algorithm`), a class of each route the
/// architecture has (their sets are what a change updates), no workload.
fn roles_fleet(nodes: u32, arch: &str, algorithm: &str) -> String {
    let reps = 12_000 / nodes;
    let election = if arch == "asymmetric-cluster" {
        format!("[election]\nalgorithm = \"{algorithm}\"\n")
    } else {
        String::new()
    };
    format!(
        r#"name = "scaling"
architecture = "{arch}"
seed = 1
duration = "3650d"
replications = {reps}
[nodes]
count = {nodes}
failure = {{ dist = "exponential", mean = "30d" }}
repair = {{ dist = "lognormal", median = "4h", sigma = 0.5 }}
permanent = 0.05
replace = "3d"
[dispatch]
classes = [
  {{ name = "write", share = 0.4, route = "master" }},
  {{ name = "report", share = 0.3, route = "slave" }},
  {{ name = "read", share = 0.3, route = "any" }},
]
[failover]
promotion = "automatic"
switch = "2s"
{election}"#
    )
}

/// Best and worst of `repeat` timings (user CPU), and the best wall time,
/// in ns per unit.
fn measure(toml: &str, repeat: usize, per_request: bool) -> (f64, f64, f64, u64) {
    let sc = load(toml);
    let (mut ns, mut wall) = (Vec::new(), f64::INFINITY);
    let mut units = 0;
    for _ in 0..repeat {
        let (cpu, secs, offered, events) = time(&sc);
        units = if per_request { offered } else { events };
        ns.push(cpu * 1e9 / units as f64);
        wall = wall.min(secs * 1e9 / units as f64);
    }
    let best = ns.iter().cloned().fold(f64::INFINITY, f64::min);
    let worst = ns.iter().cloned().fold(0.0, f64::max);
    (best, worst, wall, units)
}

fn table(title: &str, unit: &str, rows: Vec<(String, String)>, repeat: usize, per_request: bool) {
    println!("{title}");
    println!(
        "  {:<18} {:>12} {:>14} {:>14} {:>14}",
        "", unit, "ns cpu (best)", "ns cpu (worst)", "ns wall (best)"
    );
    let mut first = None;
    let mut last = 0.0;
    for (label, toml) in rows {
        let (best, worst, wall, units) = measure(&toml, repeat, per_request);
        first.get_or_insert(best);
        last = best;
        println!("  {label:<18} {units:>12} {best:>14.1} {worst:>14.1} {wall:>14.1}");
    }
    if let Some(first) = first {
        println!("  growth, last / first (best): {:.2}x", last / first);
    }
    println!();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let repeat = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let filter: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with("--") && a.parse::<usize>().is_err())
        .collect();
    let wants = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    if wants("nodes") {
        let rows = [3, 30, 300, 3000]
            .iter()
            .map(|&n| (format!("{n} nodes"), cluster(n, 4, 600.0)))
            .collect();
        table(
            "ns per request against nodes (4 workers each, 600 requests/s)",
            "requests",
            rows,
            repeat,
            true,
        );
    }
    if wants("workers") {
        // Three nodes kept 80 % busy: a completion finds its worker among
        // about 0.8 x capacity running tasks.
        let rows = [4, 40, 400, 4000]
            .iter()
            .map(|&c| {
                let rate = 0.8 * 3.0 * c as f64 / 0.010;
                (format!("{c} workers/node"), cluster(3, c, rate))
            })
            .collect();
        table(
            "ns per request against workers per node (3 nodes, 80 % busy)",
            "requests",
            rows,
            repeat,
            true,
        );
    }
    for (name, forward, title) in [
        ("asymmetric requests", false, "any and slave classes"),
        (
            "asymmetric forward requests",
            true,
            "master tasks forwarded, any and slave classes",
        ),
    ] {
        if !wants(name) {
            continue;
        }
        let rows = [3, 30, 300, 3000]
            .iter()
            .map(|&n| (format!("{n} nodes"), asymmetric(n, 4, 600.0, forward)))
            .collect();
        table(
            &format!(
                "ns per request against nodes, asymmetric cluster ({title}, 4 workers each, 600 requests/s)"
            ),
            "requests",
            rows,
            repeat,
            true,
        );
    }
    for (name, arch, algorithm) in [
        ("master-slave events", "master-slave", ""),
        (
            "asymmetric lowest-id events",
            "asymmetric-cluster",
            "lowest-id",
        ),
        ("asymmetric raft events", "asymmetric-cluster", "raft"),
    ] {
        if !wants(name) {
            continue;
        }
        let rows = [12, 120, 1200]
            .iter()
            .map(|&n| (format!("{n} nodes"), roles_fleet(n, arch, algorithm)))
            .collect();
        table(
            &format!(
                "ns per node event against nodes ({}, automatic promotion, no workload, 10 years)",
                name.trim_end_matches(" events")
            ),
            "events",
            rows,
            repeat,
            false,
        );
    }
    if wants("fleet events") {
        let rows = [12, 120, 1200]
            .iter()
            .map(|&n| (format!("{n} nodes"), fleet(n)))
            .collect();
        table(
            "ns per node event against nodes (fleet, no workload, 10 years)",
            "events",
            rows,
            repeat,
            false,
        );
    }
}
