//! Refusals of scenarios that could not finish or would not fit on disk
//! (issue 8 §5). Memory no longer bounds a run: a replication spills its
//! outages to disk past a fixed bound (metrics::rep_outages), and
//! everything across replications is bounded or streamed (montecarlo,
//! outage_log). What is left to refuse is a run whose `outages.csv` could
//! fill a disk, or whose work is far beyond what any run can afford.

use super::model::Nodes;
use super::validate::Ctx;
use crate::error::InputError;

/// Bytes of one `outages.csv` row, at most about (replication, start, end,
/// duration, cause, node, root and six phase columns: 72 to 74 measured
/// for a node flapping every second).
pub const OUTAGE_ROW_BYTES: f64 = 80.0;

/// The largest `outages.csv` a run may risk: 64 GiB (a temporary spill of
/// about as much again sits beside it while the run writes).
pub const MAX_OUTAGES_CSV_BYTES: f64 = 64.0 * (1u64 << 30) as f64;

/// The most events a run may need: at about 5 million events per second,
/// 10¹³ is three weeks of one core.
pub const MAX_EVENTS: f64 = 1e13;

/// The expected cycles of one replication over `horizon_ns`.
pub fn expected_cycles(nodes: &Nodes, horizon_ns: u64) -> f64 {
    let Some(failure) = &nodes.failure else {
        return 0.0;
    };
    let cycle = failure.mean_ns() + nodes.repair.as_ref().map_or(0.0, |r| r.mean_ns());
    if cycle <= 0.0 {
        // A failure every 0 ns: one per nanosecond is the fewest it can be.
        return f64::from(nodes.count) * horizon_ns as f64;
    }
    f64::from(nodes.count) * horizon_ns as f64 / cycle.max(1.0)
}

/// Refuses a run whose node failures could write an `outages.csv` larger
/// than `MAX_OUTAGES_CSV_BYTES` (each failure can start an outage: one
/// node, or a cold standby, turns every failure into one), or that needs
/// more than `MAX_EVENTS` events (failures and repairs, about three events
/// per request).
pub fn run_size(
    ctx: &Ctx,
    nodes: &Nodes,
    horizon_ns: u64,
    replications: u32,
    requests_per_s: f64,
) -> Option<InputError> {
    let cycles = expected_cycles(nodes, horizon_ns);
    let reps = f64::from(replications);
    let bytes = cycles * reps * OUTAGE_ROW_BYTES;
    let gib = |b: f64| b / (1u64 << 30) as f64;
    if bytes > MAX_OUTAGES_CSV_BYTES {
        return Some(ctx.err(
            "nodes.failure",
            format!(
                "the nodes would fail and be repaired about {cycles:.1e} times in one replication \
                 ({replications} replication{}); each failure can start an outage, so outages.csv \
                 could reach about {:.0} GiB (at most {:.0} GiB)",
                if replications == 1 { "" } else { "s" },
                gib(bytes),
                gib(MAX_OUTAGES_CSV_BYTES)
            ),
            "use a longer nodes.failure mean, a shorter duration, or fewer replications",
        ));
    }
    let requests = requests_per_s * horizon_ns as f64 / 1e9;
    let events = (2.0 * cycles + 3.0 * requests) * reps;
    (events > MAX_EVENTS).then(|| {
        ctx.err(
            "duration",
            format!(
                "this run needs about {events:.1e} events (at most {MAX_EVENTS:.0e}): \
                 about {:.0} days of one core at 5 million events per second",
                events / 5e6 / 86_400.0
            ),
            "use a shorter duration, fewer replications, or a lower workload.rate",
        )
    })
}
