//! Throughput of the SPEC §6 reference workloads: `cargo bench`.
//!
//! Prints requests (or node events) simulated per second of wall time and
//! the peak resident memory, for the figures in the README. Not a test:
//! timings depend on the machine.

use hasim::montecarlo;
use hasim::scenario::{self, LoadOptions};
use std::path::Path;
use std::time::Instant;

/// Peak resident set size so far, in MiB (Linux; None elsewhere).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn load(file: &str, sets: &[(&str, &str)]) -> scenario::Scenario {
    let opts = LoadOptions {
        sets: sets
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Default::default()
    };
    scenario::load(Path::new(file), &opts).expect("bench scenario is valid")
}

fn cluster(duration: &str) {
    let sc = load("benches/scenarios/cluster.toml", &[("duration", duration)]);
    let t = Instant::now();
    let o = montecarlo::run(&sc);
    let secs = t.elapsed().as_secs_f64();
    let offered = o.requests.map_or(0, |r| r.offered);
    println!(
        "cluster  duration {duration:>7}: {offered:>10} requests in {secs:6.2} s = {:5.2} M requests/s, {:5.2} M events/s, peak RSS {:.1} MiB",
        offered as f64 / secs / 1e6,
        o.sim_events as f64 / secs / 1e6,
        peak_rss_mib().unwrap_or(f64::NAN)
    );
}

fn fleet(replications: &str, threads: usize) -> f64 {
    let sc = load(
        "benches/scenarios/fleet.toml",
        &[("replications", replications)],
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let t = Instant::now();
    let o = pool.install(|| montecarlo::run(&sc));
    let secs = t.elapsed().as_secs_f64();
    println!(
        "fleet    {replications:>5} replications of 10 years x 12 nodes, {threads} thread(s): {secs:6.3} s = {:7.0} replications/s, {:5.2} M node events/s, peak RSS {:.1} MiB",
        o.replications as f64 / secs,
        o.sim_events as f64 / secs / 1e6,
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    secs
}

/// The cost of the report (charts, page, CSV) next to the simulation's.
fn report(file: &str) {
    let sc = load(file, &[]);
    let t = Instant::now();
    let o = montecarlo::run(&sc);
    let sim = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let files = hasim::report::render(&sc, &o).expect("render");
    let rep = t.elapsed().as_secs_f64();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    println!(
        "report   {file}: simulation {sim:6.2} s, report {rep:5.2} s ({} files, {:.1} MiB) = {:.0} % of the total",
        files.len(),
        bytes as f64 / 1048576.0,
        100.0 * rep / (sim + rep)
    );
}

fn main() {
    // `cargo bench` passes --bench; a filter word selects one workload.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wants = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    if wants("cluster") {
        // Peak memory must not grow with the simulated duration.
        cluster("1000s");
        cluster("10000s");
    }
    if wants("report") {
        report("scenarios/cold-standby.toml");
        report("scenarios/symmetric-cluster.toml");
    }
    if wants("fleet") {
        fleet("100", 1);
        let one = fleet("1000", 1);
        let two = fleet("1000", 2);
        println!("fleet    speed-up from 1 to 2 threads: {:.2}x", one / two);
    }
}
