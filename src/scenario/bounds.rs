//! Refusals that keep a valid scenario within memory (issue 8 §5): one
//! replication keeps each of its outages, their phase records and its
//! detection times until it ends, so the expected number of node
//! failure-repair cycles in one replication is bounded. Everything across
//! replications is bounded or streamed elsewhere (montecarlo, outage_log).

use super::model::Nodes;
use super::validate::Ctx;
use crate::error::InputError;

/// Expected node failure-repair cycles one replication may hold: about
/// 200 bytes each at most (outage, phase records, detection time, the
/// growth slack of their vectors), so 10⁷ stay well under 2 GiB with one
/// replication running per thread on a two-thread machine.
pub const MAX_NODE_CYCLES: f64 = 1e7;

/// Memory one cycle may take in one replication, for the message.
const BYTES_PER_CYCLE: f64 = 200.0;

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

/// Refuses a replication that would fail and recover its nodes more than
/// `MAX_NODE_CYCLES` times.
pub fn node_cycles(ctx: &Ctx, nodes: &Nodes, horizon_ns: u64) -> Option<InputError> {
    let n = expected_cycles(nodes, horizon_ns);
    (n > MAX_NODE_CYCLES).then(|| {
        ctx.err(
            "nodes.failure",
            format!(
                "the nodes would fail and be repaired about {n:.1e} times in one replication (at most {MAX_NODE_CYCLES:.0e}): \
                 a replication keeps each outage and its phases until it ends, about {:.0} GiB here",
                (n * BYTES_PER_CYCLE / f64::from(1u32 << 30)).max(1.0)
            ),
            "use a longer nodes.failure mean, or a shorter duration and more replications",
        )
    })
}
