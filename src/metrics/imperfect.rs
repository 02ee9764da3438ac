//! What imperfect detection cost in one replication (SPEC §8).

/// Counters of one replication, over the measured interval.
#[derive(Clone, Debug, Default)]
pub struct ImperfectStats {
    /// Mark-downs of a node that was running and reachable.
    pub false_markdowns: u64,
    /// Failovers decided while the old primary (master) was running.
    pub false_failovers: u64,
    /// Time during which two or more nodes acted as primary (master).
    pub split_brain_ns: u64,
    /// From each measured crash to its mark-down.
    pub detection_ns: Vec<u64>,
}
