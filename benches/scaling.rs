//! How the cost per event grows with the size of what is simulated
//! (issue 8): `cargo bench --bench scaling` (a filter word — `nodes`,
//! `workers`, `events` — selects one table; `--repeat N` takes the best of N).
//!
//! Every row of a table simulates the same total work, on one thread, so
//! the ratio between its first and last rows is the growth of the cost per
//! event. Not a test: timings depend on the machine.

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

/// Runs on one thread; returns (seconds, offered requests, events).
fn time(sc: &scenario::Scenario) -> (f64, u64, u64) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    let t = Instant::now();
    let o = pool.install(|| montecarlo::run(sc));
    let secs = t.elapsed().as_secs_f64();
    (secs, o.requests.map_or(0, |r| r.offered), o.sim_events)
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

/// Best and worst of `repeat` timings, in ns per unit.
fn measure(toml: &str, repeat: usize, per_request: bool) -> (f64, f64, u64) {
    let sc = load(toml);
    let mut ns = Vec::new();
    let mut units = 0;
    for _ in 0..repeat {
        let (secs, offered, events) = time(&sc);
        units = if per_request { offered } else { events };
        ns.push(secs * 1e9 / units as f64);
    }
    let best = ns.iter().cloned().fold(f64::INFINITY, f64::min);
    let worst = ns.iter().cloned().fold(0.0, f64::max);
    (best, worst, units)
}

fn table(title: &str, unit: &str, rows: Vec<(String, String)>, repeat: usize, per_request: bool) {
    println!("{title}");
    println!(
        "  {:<18} {:>12} {:>14} {:>14}",
        "", unit, "ns (best)", "ns (worst)"
    );
    let mut first = None;
    let mut last = 0.0;
    for (label, toml) in rows {
        let (best, worst, units) = measure(&toml, repeat, per_request);
        first.get_or_insert(best);
        last = best;
        println!("  {label:<18} {units:>12} {best:>14.1} {worst:>14.1}");
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
    if wants("events") {
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
