//! Metrics: pure data gathered by one replication (SPEC §3). Nothing here
//! simulates or writes files.

pub mod detection_times;
pub mod domain_trace;
pub mod event_log;
pub mod imperfect;
pub mod loglinear;
pub mod outage_log;
pub mod rep_outages;
pub mod requests;
pub mod uptime;
pub mod views;

pub use imperfect::{ImperfectAgg, ImperfectStats};
pub use requests::{Failure, RequestStats, Totals, WindowRequests};
pub use uptime::{Cause, Outage, Root, UptimeTracker};

/// One line of `events.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceEvent {
    pub time_ns: u64,
    pub node: Option<u32>,
    pub event: &'static str,
    pub detail: String,
}

/// What a node is doing, as the node-state timeline shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum NodeView {
    /// Running and serving as primary/master.
    Primary,
    /// Running backup of a standby system (serves nothing).
    Backup,
    /// Running slave or cluster member (serves).
    Serving,
    /// Running, chosen as the candidate of a promotion under way.
    Promoting,
    /// Running but marked down: the dispatcher does not use it yet.
    Unmarked,
    /// Crashed, under repair.
    Down,
    /// Failed for good, waiting for its replacement.
    Gone,
    /// Running but hung: accepts tasks, answers none (heartbeats go on).
    Hung,
    /// Running but cut off by a network partition.
    Partitioned,
}

impl NodeView {
    pub const ALL: [NodeView; 9] = [
        NodeView::Primary,
        NodeView::Backup,
        NodeView::Serving,
        NodeView::Promoting,
        NodeView::Unmarked,
        NodeView::Down,
        NodeView::Gone,
        NodeView::Hung,
        NodeView::Partitioned,
    ];
}

/// A node's view changed at `time_ns` (first replication only).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ViewChange {
    pub time_ns: u64,
    pub node: u32,
    pub view: NodeView,
}

/// Everything one replication measured.
#[derive(Debug)]
pub struct RepResult {
    /// Measured nanoseconds (the scenario's duration).
    pub measured_ns: u64,
    pub up_ns: u64,
    pub class_up_ns: Vec<u64>,
    pub window_up_ns: Vec<u64>,
    /// The outages, in order: all of them, or the first
    /// `rep_outages::rep_keep()` once `outage_spill` holds them all.
    pub outages: Vec<Outage>,
    /// Every outage and phase row of a replication that had more than
    /// `rep_outages::rep_keep()` (issue 8 §5).
    pub outage_spill: Option<Box<outage_log::Spill>>,
    /// How many outages.
    pub outage_count: u64,
    pub failovers: u64,
    pub requests: Option<RequestStats>,
    /// Node, role, detection and election events (first replication only).
    pub trace: Vec<TraceEvent>,
    /// The first replication's events past `trace`, on disk (`hasim run
    /// --events` above the memory trace).
    pub event_spill: Option<std::sync::Arc<event_log::EventSpill>>,
    /// Node views over time (first replication only; the state at t = 0
    /// is included).
    pub views: Vec<ViewChange>,
    /// Events processed, for throughput figures.
    pub events: u64,
    /// False mark-downs, false failovers, split brain, detection times.
    pub imperfect: ImperfectStats,
    /// Domain and dispatcher state changes (first replication only).
    pub domain_changes: Vec<domain_trace::DomainChange>,
    /// SPEC §7: downtime in outages that maintenance started (None
    /// without `[maintenance]`).
    pub planned_down_ns: Option<u64>,
}

impl RepResult {
    pub fn uptime(&self) -> f64 {
        self.up_ns as f64 / self.measured_ns as f64
    }

    /// Every outage, in order (from the spill when there is one).
    pub fn all_outages(&self) -> Box<dyn Iterator<Item = Outage> + '_> {
        match &self.outage_spill {
            Some(sp) => Box::new(sp.iter().map(|(_, o)| o)),
            None => Box::new(self.outages.iter().cloned()),
        }
    }
}
