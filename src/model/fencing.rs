//! Imperfect detection's consequences (SPEC §8): false failovers, a
//! replaced primary that still acts as one (split brain), and the time from
//! a crash to its mark-down.
//!
//! A primary (master) demoted by a promotion while it is still running does
//! not know it: it keeps acting as primary (a "zombie") until it is marked
//! up again (then it learns it is a backup) or stops. Split brain is the
//! time during which the role holder and at least one zombie both act.

use super::World;
use crate::metrics::ImperfectStats;

#[derive(Clone, Debug, Default)]
pub struct Imperfect {
    pub stats: ImperfectStats,
    /// Nodes acting as primary after they were replaced.
    zombies: Vec<u32>,
    /// Since when two or more nodes act as primary.
    split_since: Option<u64>,
    /// Per node: when it crashed, until its mark-down (detection time).
    crashed_at: Vec<Option<u64>>,
}

impl World<'_> {
    /// The running primary `node` is demoted by a promotion decided now.
    pub(super) fn fencing_on_demote(&mut self, node: u32) {
        if self.measuring() {
            self.imperfect.stats.false_failovers += 1;
        }
        if !self.imperfect.zombies.contains(&node) {
            self.imperfect.zombies.push(node);
        }
    }

    /// `node` stopped or was marked up: it no longer acts as primary.
    pub(super) fn fencing_forget(&mut self, node: u32) {
        self.imperfect.zombies.retain(|&z| z != node);
    }

    /// Called after every state change: opens or closes a split-brain
    /// interval.
    pub(super) fn split_brain_check(&mut self) {
        let acting = self.imperfect.zombies.len() + usize::from(self.leader().is_some());
        let now = self.now();
        match (acting >= 2, self.imperfect.split_since) {
            (true, None) => self.imperfect.split_since = Some(now),
            (false, Some(s)) => {
                self.imperfect.split_since = None;
                self.add_split(s, now);
            }
            _ => {}
        }
    }

    /// Closes a split brain still running at the end.
    pub(super) fn split_brain_close(&mut self) {
        if let Some(s) = self.imperfect.split_since.take() {
            self.add_split(s, self.sc.horizon_ns());
        }
    }

    fn add_split(&mut self, from: u64, to: u64) {
        let (lo, hi) = (self.sc.warmup_ns, self.sc.horizon_ns());
        let (a, b) = (from.clamp(lo, hi), to.clamp(lo, hi));
        self.imperfect.stats.split_brain_ns += b - a;
    }

    /// A node crashed (not a partition): its detection time starts.
    pub(super) fn detection_on_crash(&mut self, node: u32) {
        let (n, now) = (self.nodes.len(), self.now());
        let marked_up = self.nodes[node as usize].marked_up;
        let c = &mut self.imperfect.crashed_at;
        if c.len() < n {
            c.resize(n, None);
        }
        if marked_up {
            c[node as usize] = Some(now);
        }
    }

    /// A node was marked down: a crash's detection time ends.
    pub(super) fn detection_on_mark_down(&mut self, node: u32) {
        let now = self.now();
        let Some(Some(t)) = self
            .imperfect
            .crashed_at
            .get_mut(node as usize)
            .map(Option::take)
        else {
            return;
        };
        if t >= self.sc.warmup_ns && t < self.sc.horizon_ns() {
            self.imperfect.stats.detection_ns.push(now - t);
        }
    }

    /// The node is back (or marked up) before its crash was detected.
    pub(super) fn detection_forget(&mut self, node: u32) {
        if let Some(c) = self.imperfect.crashed_at.get_mut(node as usize) {
            *c = None;
        }
    }
}
