//! The bound on replication 0's node views (issue 8 §2): the timeline, the
//! page and the player draw node states from `RepResult::views`, which
//! would otherwise grow with every state change of a long run.
//!
//! The model records at most `VIEW_CAP + 1` changes. The extra one marks
//! the cut: its time is when the record stops, and nothing at or after it
//! is drawn. No other field is needed, so shard files carry the cut as
//! they carry the views.

use super::{Outage, ViewChange};

/// The most node-state changes of the first replication that charts draw.
pub const VIEW_CAP: usize = 100_000;

/// The changes to draw and, when the record was cut, the time it stops.
pub fn drawn(views: &[ViewChange]) -> (&[ViewChange], Option<u64>) {
    match views.get(VIEW_CAP) {
        Some(c) => (&views[..VIEW_CAP], Some(c.time_ns)),
        None => (views, None),
    }
}

/// Whether the model may record one more change (the last one allowed
/// marks the cut).
pub fn may_record(recorded: usize) -> bool {
    recorded <= VIEW_CAP
}

/// Until when the first replication's outages are known from the list in
/// memory: always to the end unless the list was cut (`outage_spill`) while
/// still holding replication 0's outages; then to the end of the last one
/// kept (the service row stops there).
pub fn outages_known_until(list: &[(u32, Outage)], spilled: bool) -> Option<u64> {
    match list.last() {
        Some((0, x)) if spilled => Some(x.end_ns),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::NodeView;

    #[test]
    fn the_change_past_the_cap_marks_the_cut() {
        let c = |t| ViewChange {
            time_ns: t,
            node: 0,
            view: NodeView::Down,
        };
        let short: Vec<_> = (0..VIEW_CAP as u64).map(c).collect();
        assert_eq!(drawn(&short), (&short[..], None));
        assert!(may_record(VIEW_CAP));
        assert!(!may_record(VIEW_CAP + 1));
        let long: Vec<_> = (0..=VIEW_CAP as u64).map(|t| c(10 * t)).collect();
        let (d, cut) = drawn(&long);
        assert_eq!(d.len(), VIEW_CAP);
        assert_eq!(cut, Some(10 * VIEW_CAP as u64));
    }
}
