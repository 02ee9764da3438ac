//! The first replication's record of failure-domain and dispatcher state
//! (SPEC §7), for the timeline's bands. One push per change (O(1)), only
//! while tracing, at most `model::TRACE_CAP` changes: memory does not grow
//! with duration. Nothing is recorded for a scenario without domains.

/// The dispatcher's row in `DomainChange::row` (domains are by index).
pub const DISPATCHER_ROW: u32 = u32::MAX;
/// A change with this row ends a cut record: nothing after its time is known.
pub const CUT_ROW: u32 = u32::MAX - 1;

/// At `time_ns` domain `row` (or the dispatcher: no dispatcher active) went
/// down (`down`) or came back. Everything is up at time 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DomainChange {
    pub time_ns: u64,
    pub row: u32,
    pub down: bool,
}

/// The recorder (lives in the model's domain state while tracing).
#[derive(Debug, Default)]
pub struct DomainTrace {
    pub changes: Vec<DomainChange>,
    /// The dispatcher's last recorded state (down: none active).
    pub dispatcher_down: bool,
}

impl DomainTrace {
    /// Records a change at `time_ns` if it lies before `horizon_ns` and the
    /// cap is not reached (at the cap, a `CUT_ROW` change ends the record).
    pub fn record(&mut self, time_ns: u64, horizon_ns: u64, row: u32, down: bool) {
        if time_ns >= horizon_ns {
            return;
        }
        let cap = crate::model::TRACE_CAP;
        match self.changes.len() {
            n if n < cap => self.changes.push(DomainChange { time_ns, row, down }),
            n if n == cap => self.changes.push(DomainChange {
                time_ns,
                row: CUT_ROW,
                down: false,
            }),
            _ => {}
        }
    }
}
