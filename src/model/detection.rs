//! Heartbeat detection without an event per heartbeat.
//!
//! Heartbeats are due at k·H (k ≥ 1). A heartbeat due at h is delivered when
//! the node is running and reachable at h, after every other event of that
//! instant (verdicts run in `Phase::Heartbeat`). A node is marked down at the
//! due time of its `fall`-th consecutive missed due time and, once marked
//! down, marked up at the due time of its `rise`-th consecutive delivered
//! due time (SPEC §1). Only due times count: what happens between two due
//! times does not matter.
//!
//! So each node keeps where its current run of missed (or delivered) due
//! times began, `Detect::run_start`. When reachability flips at t, the new
//! state's first due time is `first_due(t)`; if the current run has no due
//! time before t (its start is `first_due(t)`), the flip is invisible on the
//! grid and the run before it goes on (`prev_start`). The verdict time is
//! then the run start plus (`fall` or `rise` − 1)·H: one event per
//! transition, with a detection generation that makes overtaken verdicts
//! no-ops. A year of 1 s heartbeats on 100 nodes costs nothing but the
//! transitions.

use super::{Ev, World};
use crate::metrics::Cause;
use crate::sim::Phase;

/// A node's position on the heartbeat grid.
#[derive(Clone, Copy, Debug)]
pub struct Detect {
    /// Reachability as detection last saw it (running and not partitioned).
    reachable: bool,
    /// First due time of the current run: delivered due times while
    /// reachable, missed ones while not. May lie in the future (the run has
    /// not reached its first due time yet).
    run_start: u64,
    /// First due time of the run before the current one, restored when the
    /// current one ends before its first due time.
    prev_start: Option<u64>,
    /// Bumped at every flip and verdict: overtaken verdict events drop.
    pub gen: u32,
    /// A permanent failure's mark-down time: it stands even if a
    /// replacement joins before it (SPEC §2: the failed machine's missed
    /// heartbeats still raise the alert).
    alert: Option<u64>,
}

impl Detect {
    /// At t = 0 every node is running and marked up.
    pub fn new(h: u64) -> Self {
        Detect {
            reachable: true,
            run_start: first_due(0, h),
            prev_start: None,
            gen: 0,
            alert: None,
        }
    }

    /// Reachability flips at `t`: the run of the new state begins.
    fn flip(&mut self, t: u64, h: u64) {
        let d = first_due(t, h);
        self.reachable = !self.reachable;
        self.gen = self.gen.wrapping_add(1);
        if self.run_start == d {
            // The run that ends had no due time: on the grid nothing
            // happened, and the run before it goes on.
            match self.prev_start.take() {
                Some(p) => self.run_start = p,
                None => self.prev_start = Some(d),
            }
        } else {
            self.prev_start = Some(self.run_start);
            self.run_start = d;
        }
    }
}

/// The first heartbeat due time at or after `t` (heartbeats start at H).
pub fn first_due(t: u64, h: u64) -> u64 {
    if h == 0 {
        return t;
    }
    t.div_ceil(h).saturating_mul(h).max(h)
}

/// The due time of the `n`-th due time of a run that starts at `start`.
fn nth_due(start: u64, h: u64, n: u32) -> u64 {
    start.saturating_add(h.saturating_mul(u64::from(n - 1)))
}

impl World<'_> {
    fn heartbeat(&self) -> u64 {
        self.sc.detection.heartbeat_ns
    }

    /// Called after anything that may change whether the node's heartbeats
    /// arrive (crash, repair, replacement, partition, heal). `permanent`:
    /// the machine failed for good; its alert survives a replacement.
    pub(super) fn detect(&mut self, node: u32, permanent: bool) {
        let (h, now) = (self.heartbeat(), self.now());
        let n = &mut self.nodes[node as usize];
        let reachable = n.reachable();
        if reachable != n.det.reachable {
            n.det.flip(now, h);
            if let Some(l) = &mut self.lossy {
                // Heartbeats lost just before the node stopped begin its
                // run of misses (SPEC §1: consecutive misses, whatever
                // their cause).
                let from = first_due(now, h) / h;
                let miss = l.flip(node, from, reachable);
                if !reachable {
                    let fall = u64::from(self.sc.detection.fall);
                    n.det.run_start = from.saturating_sub(miss.min(fall - 1)).saturating_mul(h);
                }
            }
            if h == 0 {
                // Instant detection: the verdict is the flip itself.
                if reachable != n.marked_up {
                    if reachable {
                        self.mark_up(node);
                    } else {
                        self.mark_down(node);
                    }
                }
                return;
            }
            self.schedule_verdict(node);
        }
        let n = &mut self.nodes[node as usize];
        if permanent && h > 0 && n.marked_up && !n.det.reachable {
            n.det.alert = Some(nth_due(n.det.run_start, h, self.sc.detection.fall));
        }
    }

    /// Schedules the verdict the current run leads to, if any.
    fn schedule_verdict(&mut self, node: u32) {
        let from = self.nodes[node as usize].det.run_start;
        self.schedule_verdict_from(node, from);
    }

    /// The same; with lossy heartbeats, only due times from `lossy_from`
    /// on can be lost (those before were seen already).
    fn schedule_verdict_from(&mut self, node: u32, lossy_from: u64) {
        let (h, now) = (self.heartbeat(), self.now());
        let n = &self.nodes[node as usize];
        let (d, gen) = (&n.det, n.det.gen);
        if let (true, Some(l)) = (d.reachable, &mut self.lossy) {
            // Lossy heartbeats: the next verdict on the miss runs.
            let from = lossy_from.max(d.run_start) / h;
            let stop = self.sc.end_ns() / h + 1;
            let (at, ev) = if n.marked_up {
                let at = l.next_fall(node, from, self.sc.detection.fall, stop);
                (at, Ev::MarkDown { node, gen })
            } else {
                let at = l.next_rise(node, from, self.sc.detection.rise, stop);
                (at, Ev::MarkUp { node, gen })
            };
            if let Some(k) = at {
                let at = k.saturating_mul(h);
                debug_assert!(at >= now, "a verdict in the past: {at} < {now}");
                self.after(at.saturating_sub(now), Phase::Heartbeat, ev);
            }
            return;
        }
        let ev = match (d.reachable, n.marked_up) {
            (false, true) => Ev::MarkDown { node, gen },
            (true, false) => Ev::MarkUp { node, gen },
            _ => return,
        };
        let count = if d.reachable {
            self.sc.detection.rise
        } else {
            self.sc.detection.fall
        };
        let at = nth_due(d.run_start, h, count);
        debug_assert!(at >= now, "a verdict in the past: {at} < {now}");
        self.after(at.saturating_sub(now), Phase::Heartbeat, ev);
    }

    pub(super) fn on_mark_down_due(&mut self, node: u32, gen: u32) {
        let now = self.now();
        let n = &mut self.nodes[node as usize];
        let alert = n.det.alert == Some(now);
        if alert {
            n.det.alert = None;
        }
        let lossy = self.lossy.is_some();
        if !n.marked_up || !(alert || (n.det.gen == gen && (!n.det.reachable || lossy))) {
            return;
        }
        if !alert && n.det.reachable && self.measuring() {
            // SPEC §8: the node was running and reachable.
            self.imperfect.stats.false_markdowns += 1;
        }
        self.mark_down(node);
        let h = self.heartbeat();
        let n = &mut self.nodes[node as usize];
        if n.det.reachable {
            // A replacement joined before the old machine's failure was
            // detected: the alert stands, and the new machine's delivered
            // heartbeats count from the next due time on.
            n.det.prev_start = Some(now);
            n.det.run_start = now.saturating_add(h);
            n.det.gen = n.det.gen.wrapping_add(1);
            self.schedule_verdict(node);
        }
    }

    pub(super) fn on_mark_up_due(&mut self, node: u32, gen: u32) {
        let n = &self.nodes[node as usize];
        if n.marked_up || n.det.gen != gen || !n.det.reachable {
            return;
        }
        self.mark_up(node);
        if self.lossy.is_some() {
            // The next false mark-down, from the next due time.
            let next = self.now().saturating_add(self.heartbeat());
            let n = &mut self.nodes[node as usize];
            if n.marked_up && n.det.reachable {
                n.det.gen = n.det.gen.wrapping_add(1);
                self.schedule_verdict_from(node, next);
            }
        }
    }

    /// With lossy heartbeats every node's first false mark-down is due.
    pub(super) fn lossy_init(&mut self) {
        if self.lossy.is_some() && self.heartbeat() > 0 {
            for node in 0..self.nodes.len() as u32 {
                self.schedule_verdict(node);
            }
        }
    }

    pub(super) fn mark_down(&mut self, node: u32) {
        self.nodes[node as usize].marked_up = false;
        self.touch(node);
        self.detection_on_mark_down(node);
        self.log(Some(node), "marked_down", String::new);
        self.roles_on_marked_down(node);
        self.refresh(Cause {
            event: "marked_down",
            node: Some(node),
        });
    }

    fn mark_up(&mut self, node: u32) {
        if self.maint.is_some() && self.maintenance_holds(node) {
            return; // SPEC §7: being drained for maintenance
        }
        self.nodes[node as usize].marked_up = true;
        self.touch(node);
        self.log(Some(node), "marked_up", String::new);
        // A replaced primary learns that it is a backup (SPEC §8).
        self.fencing_forget(node);
        // Roles first: a waiting promotion picks its candidate, which the
        // refresh then records.
        self.roles_on_marked_up(node);
        self.refresh(Cause {
            event: "marked_up",
            node: Some(node),
        });
        if self.maint.is_some() {
            self.maintenance_on_marked_up(node);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const S: u64 = 1_000_000_000;
    const MS: u64 = 1_000_000;

    /// When a node that stopped at `t` is marked down, if it stays down.
    fn mark_down_at(t: u64, h: u64, fall: u32) -> u64 {
        nth_due(first_due(t, h), h, fall)
    }

    /// When a node that came back at `t` is marked up, if it stays up.
    fn mark_up_at(t: u64, h: u64, rise: u32) -> u64 {
        nth_due(first_due(t, h), h, rise)
    }

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

    /// Flips at the given times (ms); the run start after each, in ms.
    fn runs(flips: &[u64]) -> Vec<u64> {
        let mut d = Detect::new(S);
        flips
            .iter()
            .map(|&t| {
                d.flip(t * MS, S);
                d.run_start / MS
            })
            .collect()
    }

    #[test]
    fn runs_count_due_times_only() {
        // SPEC §1: down 100.2–101.5 s and from 101.7 s: one miss run from 101.
        assert_eq!(
            runs(&[100_200, 101_500, 101_700]),
            vec![101_000, 102_000, 101_000]
        );
        // A blip between two due times is invisible: the delivery run from
        // H goes on.
        assert_eq!(runs(&[100_200, 100_700]), vec![101_000, 1_000]);
        // A blip that covers a due time starts a new delivery run.
        assert_eq!(runs(&[100_200, 101_200]), vec![101_000, 102_000]);
        // Before the first due time, and exactly on due times.
        assert_eq!(runs(&[300, 600, 900]), vec![1_000, 1_000, 1_000]);
        assert_eq!(runs(&[2_000, 3_000, 3_500]), vec![2_000, 3_000, 4_000]);
        // Down over 100.5–102.5 (misses 101, 102), up 102.5–102.8 (no due
        // time), down again: the miss run from 101 goes on.
        assert_eq!(
            runs(&[100_500, 102_500, 102_800]),
            vec![101_000, 103_000, 101_000]
        );
    }
}
