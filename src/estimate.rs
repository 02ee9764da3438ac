//! A rough estimate of a run's work, said on stderr before a long run
//! (issue 8): events per replication (failures and repairs, heartbeats,
//! requests) × replications, and the time that takes at a typical rate.
//! Only ever written to stderr: it depends on the machine's thread count,
//! so it must never enter an output file.

use crate::scenario::Scenario;

/// Events simulated per second per thread, roughly (SPEC §6 figures).
const EVENTS_PER_S: f64 = 5e6;

/// Stderr that is not a terminal hears the estimate above this many seconds.
pub const QUIET_BELOW_S: f64 = 180.0;

/// Expected events of one replication: node failures and repairs,
/// runs of lost heartbeats (heartbeats themselves are arithmetic, never
/// events: only with `loss` or `delay` is there about one draw per miss)
/// and requests (about three events each: arrival, start, completion).
pub fn events_per_replication(sc: &Scenario) -> f64 {
    let horizon = sc.horizon_ns() as f64;
    let n = f64::from(sc.nodes.count);
    let cycle = sc.nodes.failure.as_ref().map_or(0.0, |f| f.mean_ns())
        + sc.nodes.repair.as_ref().map_or(0.0, |r| r.mean_ns());
    let failures = if sc.nodes.failure.is_some() && cycle > 0.0 {
        2.0 * n * horizon / cycle
    } else {
        0.0
    };
    let heartbeats = if sc.detection.miss > 0.0 && sc.detection.heartbeat_ns > 0 {
        n * horizon / sc.detection.heartbeat_ns as f64 * sc.detection.miss
    } else {
        0.0
    };
    let requests = sc
        .workload
        .as_ref()
        .map_or(0.0, |w| 3.0 * w.rate_per_s * horizon / 1e9);
    failures + heartbeats + requests + 1.0
}

/// `outages.csv` grows past this, roughly: the estimate names its size,
/// and stderr that is not a terminal hears the estimate whatever its time.
pub const LOUD_ABOVE_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

/// An upper bound on the bytes of `outages.csv` (issue 8): each node
/// failure can start an outage (one node, a cold standby: each does).
pub fn outages_csv_bytes(sc: &Scenario, replications: u32) -> f64 {
    crate::scenario::bounds::expected_cycles(&sc.nodes, sc.horizon_ns())
        * f64::from(replications)
        * crate::scenario::bounds::OUTAGE_ROW_BYTES
}

/// Whether stderr that is not a terminal hears the estimate: a run of
/// more than a few minutes, or one whose outages.csv may be large.
pub fn worth_saying(sc: &Scenario, replications: u32, secs: f64) -> bool {
    secs > QUIET_BELOW_S || outages_csv_bytes(sc, replications) > LOUD_ABOVE_BYTES
}

/// The estimate as one line, and its seconds on `threads` threads.
pub fn describe(sc: &Scenario, replications: u32, threads: usize) -> (String, f64) {
    let per = events_per_replication(sc);
    let bytes = outages_csv_bytes(sc, replications);
    let csv = if bytes > LOUD_ABOVE_BYTES {
        format!(
            "; outages.csv up to about {:.1} GB (each node failure can start an outage)",
            bytes / 1e9
        )
    } else {
        String::new()
    };
    let total = per * f64::from(replications);
    let secs = total / EVENTS_PER_S / threads.max(1) as f64;
    let time = if secs < 90.0 {
        format!("{secs:.0} s")
    } else if secs < 5400.0 {
        format!("{:.0} min", secs / 60.0)
    } else {
        format!("{:.1} h", secs / 3600.0)
    };
    (
        format!(
            "{}: about {} events ({} per replication × {replications} replications), roughly {time} on {threads} threads{csv}",
            sc.name,
            sig(total),
            sig(per)
        ),
        secs,
    )
}

fn sig(x: f64) -> String {
    if x < 1e4 {
        format!("{x:.0}")
    } else {
        format!("{:.1e}", x).replace("e", " × 10^")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse, LoadOptions};

    #[test]
    fn a_flapping_node_is_counted_by_its_cycles() {
        // One node failing every ~1 s and repaired in ~1 s for 1000 s:
        // 500 cycles of 2 events, plus the initial one.
        let sc = parse(
            "name = \"f\"\ndescription = \"d\"\narchitecture = \"cold-standby\"\nduration = \"1000s\"\n\
             [nodes]\ncount = 1\nfailure = { dist = \"exponential\", mean = \"1s\" }\n\
             repair = { dist = \"exponential\", mean = \"1s\" }\n",
            std::path::Path::new("f.toml"),
            "f",
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(events_per_replication(&sc), 1001.0);
        let (line, secs) = describe(&sc, 1000, 2);
        assert!(line.contains("1.0 × 10^6 events"), "{line}");
        // 1.001e6 events at 5e6 per second on each of 2 threads.
        assert!((secs - 1.001e6 / 5e6 / 2.0).abs() < 1e-12);
        // 500 cycles × 1000 replications × 80 bytes: 40 MB, not worth a word.
        assert!(!line.contains("outages.csv") && !worth_saying(&sc, 1000, secs));
        // 10⁷ replications: up to 400 GB of outages.csv, said.
        let (line, secs) = describe(&sc, 10_000_000, 2);
        assert!(line.contains("outages.csv up to about 400.0 GB"), "{line}");
        assert!(worth_saying(&sc, 10_000_000, secs));
    }
}
