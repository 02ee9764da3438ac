//! Heartbeat detection without an event per heartbeat.
//!
//! Heartbeats are due at k·H (k ≥ 1). A node that stops at f misses every
//! heartbeat from the first due time ≥ f; it is marked down at the due time
//! of its `fall`-th consecutive miss, unless it is back by then. Likewise it
//! is marked up at the `rise`-th consecutive delivered heartbeat after it
//! returns. So one event per transition replaces the heartbeat stream: a
//! year of 1 s heartbeats on 100 nodes costs nothing but the transitions.
//! Detection events run in `Phase::Heartbeat`, after every other event of
//! the same instant, as SPEC §1 requires.

use super::{Ev, World};
use crate::metrics::Cause;
use crate::sim::Phase;

/// The first heartbeat due time at or after `t` (heartbeats start at H).
pub fn first_due(t: u64, h: u64) -> u64 {
    t.div_ceil(h).saturating_mul(h).max(h)
}

/// When a node that stopped at `t` is marked down, if it stays down.
pub fn mark_down_at(t: u64, h: u64, fall: u32) -> u64 {
    first_due(t, h).saturating_add(h.saturating_mul(u64::from(fall - 1)))
}

/// When a node that came back at `t` is marked up, if it stays up.
pub fn mark_up_at(t: u64, h: u64, rise: u32) -> u64 {
    first_due(t, h).saturating_add(h.saturating_mul(u64::from(rise - 1)))
}

impl World<'_> {
    fn heartbeat(&self) -> u64 {
        self.sc.detection.heartbeat_ns
    }

    /// Called when a node stops.
    pub(super) fn detect_failure(&mut self, node: u32, sticky: bool) {
        let h = self.heartbeat();
        if h == 0 {
            if self.nodes[node as usize].marked_up {
                self.mark_down(node);
            }
            return;
        }
        let at = mark_down_at(self.now(), h, self.sc.detection.fall);
        let gen = self.nodes[node as usize].gen;
        self.after(
            at - self.now(),
            Phase::Heartbeat,
            Ev::MarkDown { node, gen, sticky },
        );
    }

    /// Called when a node comes back (repair or replacement).
    pub(super) fn detect_return(&mut self, node: u32) {
        let n = &self.nodes[node as usize];
        if n.marked_up || !n.reachable() {
            return; // back before it was detected, or still cut off.
        }
        let h = self.heartbeat();
        if h == 0 {
            self.mark_up(node);
            return;
        }
        let at = mark_up_at(self.now(), h, self.sc.detection.rise);
        let gen = self.nodes[node as usize].gen;
        self.after(at - self.now(), Phase::Heartbeat, Ev::MarkUp { node, gen });
    }

    pub(super) fn on_mark_down_due(&mut self, node: u32, gen: u32, sticky: bool) {
        let n = &self.nodes[node as usize];
        if !n.marked_up || !(n.gen == gen || sticky) {
            return;
        }
        self.mark_down(node);
        // A replacement that joined before the old machine's failure was
        // detected delivers the heartbeats that follow.
        let n = &self.nodes[node as usize];
        if n.reachable() {
            let (h, gen) = (self.heartbeat(), n.gen);
            let delay = h.saturating_mul(u64::from(self.sc.detection.rise));
            self.after(delay, Phase::Heartbeat, Ev::MarkUp { node, gen });
        }
    }

    pub(super) fn on_mark_up_due(&mut self, node: u32, gen: u32) {
        let n = &self.nodes[node as usize];
        if n.marked_up || n.gen != gen || !n.reachable() {
            return;
        }
        self.mark_up(node);
    }

    fn mark_down(&mut self, node: u32) {
        self.nodes[node as usize].marked_up = false;
        self.log(Some(node), "marked_down", String::new);
        self.roles_on_marked_down(node);
        self.refresh(Cause {
            event: "marked_down",
            node: Some(node),
        });
    }

    fn mark_up(&mut self, node: u32) {
        self.nodes[node as usize].marked_up = true;
        self.log(Some(node), "marked_up", String::new);
        // Roles first: a waiting promotion picks its candidate, which the
        // refresh then records.
        self.roles_on_marked_up(node);
        self.refresh(Cause {
            event: "marked_up",
            node: Some(node),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const S: u64 = 1_000_000_000;

    #[test]
    fn heartbeat_arithmetic() {
        // A failure exactly on a due time misses that heartbeat.
        assert_eq!(mark_down_at(100 * S, S, 3), 102 * S);
        assert_eq!(mark_down_at(100 * S + 1, S, 3), 103 * S);
        // Heartbeats start at H, not at 0.
        assert_eq!(first_due(0, S), S);
        assert_eq!(mark_up_at(130 * S, S, 2), 131 * S);
        assert_eq!(mark_up_at(130 * S + 5, 2 * S, 1), 132 * S);
    }
}
