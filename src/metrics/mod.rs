//! Metrics: pure data gathered by one replication (SPEC §3). Nothing here
//! simulates or writes files.

pub mod requests;
pub mod uptime;

pub use requests::{Failure, RequestStats, Totals, WindowRequests};
pub use uptime::{Cause, Outage, UptimeTracker};

/// One line of `events.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceEvent {
    pub time_ns: u64,
    pub node: Option<u32>,
    pub event: &'static str,
    pub detail: String,
}

/// Everything one replication measured.
#[derive(Clone, Debug)]
pub struct RepResult {
    /// Measured nanoseconds (the scenario's duration).
    pub measured_ns: u64,
    pub up_ns: u64,
    pub class_up_ns: Vec<u64>,
    pub window_up_ns: Vec<u64>,
    pub outages: Vec<Outage>,
    pub failovers: u64,
    pub requests: Option<RequestStats>,
    /// Node, role, detection and election events (first replication only).
    pub trace: Vec<TraceEvent>,
    /// Events processed, for throughput figures.
    pub events: u64,
}

impl RepResult {
    pub fn uptime(&self) -> f64 {
        self.up_ns as f64 / self.measured_ns as f64
    }
}
