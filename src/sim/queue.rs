//! The event queue: a binary min-heap ordered by (time, phase, sequence).
//!
//! Ties at the same instant come out first-in first-out within a phase.
//! The phase lets heartbeat-derived events run after every other event of
//! the same instant, as SPEC §1 requires ("other events at the same instant
//! are processed before heartbeats"). Scheduling in the past is a bug: it is
//! caught by a debug assertion, never silently clamped.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// When an event runs among the events of one instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Node, role, request events.
    Normal = 0,
    /// Heartbeat-derived detection events: after everything else.
    Heartbeat = 1,
}

/// 16 bytes of key next to the event (issue 8: a `u128` key padded every
/// entry to 48 bytes; two `u64` keep the same order in 40).
struct Entry<E> {
    time: u64,
    /// phase << 63 | sequence: with `time`, orders all.
    seq: u64,
    event: E,
}

impl<E> Entry<E> {
    /// As one integer: a branch-free compare.
    #[inline]
    fn key(&self) -> u128 {
        (u128::from(self.time) << 64) | u128::from(self.seq)
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap and we want the earliest first.
        other.key().cmp(&self.key())
    }
}

/// A deterministic future-event list.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
    now: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(64),
            seq: 0,
            now: 0,
        }
    }

    /// The time of the last event popped.
    pub fn now(&self) -> u64 {
        self.now
    }

    pub fn schedule(&mut self, at: u64, phase: Phase, event: E) {
        debug_assert!(
            at >= self.now,
            "event scheduled in the past: {at} < {}",
            self.now
        );
        self.seq += 1;
        let seq = ((phase as u64) << 63) | self.seq;
        self.heap.push(Entry {
            time: at,
            seq,
            event,
        });
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<u64> {
        self.heap.peek().map(|e| e.time)
    }

    pub fn pop(&mut self) -> Option<(u64, E)> {
        let e = self.heap.pop()?;
        let t = e.time;
        self.now = t;
        Some((t, e.event))
    }

    /// Advances the clock without an event (used for arrivals kept outside the heap).
    pub fn advance(&mut self, t: u64) {
        debug_assert!(t >= self.now);
        self.now = t;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_time_then_phase_then_fifo() {
        let mut q = EventQueue::new();
        q.schedule(5, Phase::Heartbeat, "hb5");
        q.schedule(5, Phase::Normal, "a5");
        q.schedule(1, Phase::Normal, "a1");
        q.schedule(5, Phase::Normal, "b5");
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!["a1", "a5", "b5", "hb5"]);
    }

    #[test]
    fn an_entry_costs_its_event_plus_16_bytes() {
        // A u128 key would align every entry to 16 bytes: 48 for the
        // model's 24-byte events.
        assert_eq!(std::mem::size_of::<Entry<[u64; 3]>>(), 40);
    }

    #[test]
    #[should_panic(expected = "in the past")]
    #[cfg(debug_assertions)]
    fn scheduling_in_the_past_is_caught() {
        let mut q = EventQueue::new();
        q.schedule(10, Phase::Normal, ());
        q.pop();
        q.schedule(9, Phase::Normal, ());
    }
}
