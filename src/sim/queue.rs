//! The event queue: a 4-ary min-heap ordered by (time, phase, sequence).
//! Keys are unique (the sequence), so any correct heap pops the same order;
//! four children per node halve the depth of a binary heap and keep
//! siblings in one or two cache lines (issue 8).
//!
//! Ties at the same instant come out first-in first-out within a phase.
//! The phase lets heartbeat-derived events run after every other event of
//! the same instant, as SPEC §1 requires ("other events at the same instant
//! are processed before heartbeats"). Scheduling in the past is a bug: it is
//! caught by a debug assertion, never silently clamped.

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
#[derive(Clone, Copy)]
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

/// Children per heap node.
const ARITY: usize = 4;

/// A deterministic future-event list.
pub struct EventQueue<E> {
    /// Heap order: every entry's key is below its children's.
    heap: Vec<Entry<E>>,
    seq: u64,
    now: u64,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    pub fn new() -> Self {
        EventQueue {
            heap: Vec::with_capacity(64),
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
        let entry = Entry {
            time: at,
            seq,
            event,
        };
        let i = self.heap.len();
        self.heap.push(entry);
        self.sift_up(i, entry);
    }

    /// Puts `entry` in the hole at `i` or above it: parents with a later
    /// key move down into the hole.
    #[inline(always)]
    fn sift_up(&mut self, mut i: usize, entry: Entry<E>) {
        let key = entry.key();
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if self.heap[parent].key() < key {
                break;
            }
            self.heap[i] = self.heap[parent];
            i = parent;
        }
        self.heap[i] = entry;
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<u64> {
        self.heap.first().map(|e| e.time)
    }

    pub fn pop(&mut self) -> Option<(u64, E)> {
        let last = self.heap.pop()?;
        let e = match self.heap.first() {
            None => last,
            Some(&top) => {
                // Bottom-up (Floyd): the earliest child moves up into the
                // hole down to a leaf, then the last entry sifts up from
                // there; it usually belongs near the bottom, so this skips
                // a compare per level (issue 8).
                let n = self.heap.len();
                let mut i = 0;
                loop {
                    let first = ARITY * i + 1;
                    let best = if first + ARITY <= n {
                        // All four children: a fixed tournament.
                        let h = &self.heap[first..first + ARITY];
                        let a = if h[1].key() < h[0].key() { 1 } else { 0 };
                        let b = if h[3].key() < h[2].key() { 3 } else { 2 };
                        first + if h[b].key() < h[a].key() { b } else { a }
                    } else if first < n {
                        let mut best = first;
                        for c in first + 1..n {
                            if self.heap[c].key() < self.heap[best].key() {
                                best = c;
                            }
                        }
                        best
                    } else {
                        break;
                    };
                    self.heap[i] = self.heap[best];
                    i = best;
                }
                self.sift_up(i, last);
                top
            }
        };
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
    fn pops_like_a_sorted_list_under_mixed_pushes_and_pops() {
        // Against a reference: the earliest (time, phase, push order)
        // among the pending events, found by a scan.
        let mut q = EventQueue::new();
        let mut pending: Vec<(u64, u8, u32)> = Vec::new();
        let (mut x, mut id, mut now) = (12345u64, 0u32, 0u64);
        for round in 0..300u64 {
            for _ in 0..round * 7 % 13 {
                x = crate::sim::rng::splitmix64(x);
                let at = now + x % 16; // many ties
                let phase = if x & 0x100 == 0 {
                    Phase::Normal
                } else {
                    Phase::Heartbeat
                };
                q.schedule(at, phase, id);
                pending.push((at, phase as u8, id));
                id += 1;
            }
            for _ in 0..round % 9 {
                let Some(k) = (0..pending.len()).min_by_key(|&k| pending[k]) else {
                    assert!(q.pop().is_none());
                    break;
                };
                let want = pending.remove(k);
                assert_eq!(q.pop(), Some((want.0, want.2)));
                now = want.0;
            }
        }
        assert!(id > 1000);
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
