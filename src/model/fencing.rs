//! Imperfect detection's consequences (SPEC §8): false failovers, a
//! replaced primary that still acts as one (split brain), and the time from
//! a crash to its mark-down.
//!
//! A primary (master) demoted by a promotion while it is still running does
//! not know it: it keeps acting as primary (a "zombie") until it is marked
//! up again (then it learns it is a backup) or stops. Split brain is the
//! time during which the role holder and at least one zombie both act.

use super::{Ev, World};
use crate::metrics::imperfect::{self as ph, ImperfectStats};
use crate::metrics::rep_outages::{test_bound, RepOutages};
use crate::scenario::{ElectionAlgorithm, Fencing};
use crate::sim::{Phase, Stream, StreamKind};

pub struct Imperfect {
    pub stats: ImperfectStats,
    /// Nodes acting as primary after they were replaced.
    zombies: Vec<u32>,
    /// Since when two or more nodes act as primary.
    split_since: Option<u64>,
    /// Per node: when it crashed, until its mark-down (detection time).
    crashed_at: Vec<Option<u64>>,
    /// Per node: its last mark-down (the lease's last renewal is `fall`
    /// heartbeats before it).
    marked_down_at: Vec<Option<u64>>,
    /// stonith: the replaced primary still to be fenced by the takeover.
    fence_pending: Option<u32>,
    /// stonith: when the fence under way is done; a later candidate (the
    /// first one failed, or a new election) waits for it too.
    fence_until: Option<u64>,
    /// lease: when the replaced primary's lease runs out.
    lease_until: Option<u64>,
    fence: Stream,
    reboot: Stream,
    /// Operator alerts not yet acted on (the `decision` phase).
    pub operator_pending: u32,
    /// (from, phase): what an outage at that time waits for; a
    /// promotion's planned phases are recorded ahead of time.
    phases: Vec<(u64, u8)>,
    /// A promotion's planned phases are recorded: refreshes keep them.
    planned: bool,
    /// The replication's closed outages with their phase rows (issue 8:
    /// bounded in memory, spilled to disk past a bound).
    pub sink: RepOutages,
    /// Record split-brain intervals (the first replication's, for the
    /// timeline; other replications' were never used).
    pub record_splits: bool,
}

/// Closed outages a replication holds before it splits them over the
/// phase records and hands them to its sink.
pub(super) const OUTAGE_CHUNK: usize = 256;

/// Phase records kept before those no outage can need any more are
/// dropped (see `World::phases_compact`).
const PHASE_RECORDS: usize = 4096;

impl Imperfect {
    /// Splits closed outages (in order, each closed before now) over the
    /// phase records and hands them to the sink. Every record they can
    /// need lies before now, and records before now never change, so the
    /// rows are those a split of every outage at the end would give; the
    /// records before the last one used are dropped.
    pub fn record_outages(&mut self, outages: Vec<crate::metrics::Outage>) {
        if outages.is_empty() {
            return;
        }
        let spans: Vec<(u64, u64)> = outages.iter().map(|o| (o.start_ns, o.end_ns)).collect();
        let (rows, used) = ph::split_outages_at(&spans, &self.phases);
        self.phases.drain(..used);
        for (o, row) in outages.into_iter().zip(rows) {
            self.sink.push(o, row);
        }
    }

    pub fn new(seed: u64) -> Self {
        Imperfect {
            stats: ImperfectStats::default(),
            zombies: Vec::new(),
            split_since: None,
            crashed_at: Vec::new(),
            marked_down_at: Vec::new(),
            fence_pending: None,
            fence_until: None,
            lease_until: None,
            fence: Stream::new(seed, StreamKind::Fence, 0),
            reboot: Stream::new(seed, StreamKind::Reboot, 0),
            operator_pending: 0,
            phases: Vec::new(),
            planned: false,
            sink: RepOutages::new(0),
            record_splits: false,
        }
    }
}

impl World<'_> {
    /// The primary `node` loses its role to a promotion decided now;
    /// `running`: it is still alive (a false failover, SPEC §8) and, unless
    /// fenced, keeps acting as primary.
    pub(super) fn fencing_on_replace(&mut self, node: u32, running: bool) {
        if self.maint.is_some() && self.maintenance_planned(node) {
            // SPEC §7: a planned hand-over; the old primary knows.
            return;
        }
        if running {
            if self.measuring() {
                self.imperfect.stats.false_failovers += 1;
            }
            if !self.imperfect.zombies.contains(&node) {
                self.imperfect.zombies.push(node);
            }
        }
        match self.sc.failover.fencing {
            Fencing::None => {}
            Fencing::Stonith { .. } => self.imperfect.fence_pending = Some(node),
            Fencing::Lease { lease_ns } => {
                // The last delivered heartbeat came `fall` heartbeats before
                // the mark-down (0 at the start).
                let now = self.now();
                let down = self
                    .imperfect
                    .marked_down_at
                    .get(node as usize)
                    .copied()
                    .flatten()
                    .unwrap_or(now);
                let fall = u64::from(self.sc.detection.fall);
                let renewed = down.saturating_sub(fall * self.sc.detection.heartbeat_ns);
                let until = renewed.saturating_add(lease_ns);
                self.imperfect.lease_until = Some(until);
                if running {
                    self.after(
                        until.saturating_sub(now),
                        Phase::Normal,
                        Ev::LeaseExpiry { node },
                    );
                }
            }
        }
    }

    /// How long after now the takeover that needs `start` + `switch`
    /// happens: stonith fences the old primary first, lease waits for its
    /// expiry. Records the planned phases for the breakdown.
    pub(super) fn fencing_wait(&mut self, start: u64, switch: u64) -> u64 {
        let d = start.saturating_add(switch);
        let (before, after) = match &self.sc.failover.fencing {
            Fencing::None => (0, 0),
            Fencing::Stonith { fence, .. } => match self.imperfect.fence_pending.take() {
                Some(node) => {
                    let f = fence.sample(&mut self.imperfect.fence);
                    self.after(f, Phase::Normal, Ev::Fence { node });
                    self.imperfect.fence_until = Some(self.now().saturating_add(f));
                    (f, 0)
                }
                None => {
                    let left = self
                        .imperfect
                        .fence_until
                        .map_or(0, |u| u.saturating_sub(self.now()));
                    (left, 0)
                }
            },
            Fencing::Lease { .. } => {
                let left = self
                    .imperfect
                    .lease_until
                    .map_or(0, |u| u.saturating_sub(self.now()));
                (0, left.saturating_sub(d))
            }
        };
        let now = self.now();
        let mut t = now;
        for (len, p) in [
            (before, ph::FENCING),
            (start, ph::START),
            (switch, ph::SWITCH),
            (after, ph::FENCING),
        ] {
            if len > 0 {
                self.phase_record(t, p);
                t = t.saturating_add(len);
            }
        }
        self.imperfect.planned = true;
        before.saturating_add(d).saturating_add(after)
    }

    /// An election has its winner `c` (promotion `id`): it serves once the
    /// old master is fenced (stonith) or its lease has run out (lease), as
    /// a promotion's takeover does (SPEC §8); at once without fencing.
    pub(super) fn fencing_elected(&mut self, id: u32) {
        if matches!(self.sc.failover.fencing, Fencing::None) {
            return self.on_takeover(id);
        }
        let wait = self.fencing_wait(0, 0);
        if wait == 0 {
            self.on_takeover(id);
        } else {
            self.after(wait, Phase::Normal, Ev::Takeover { promotion: id });
        }
    }

    /// Records that outage time from `t` on falls in `phase`; records
    /// planned after `t` are overtaken.
    fn phase_record(&mut self, t: u64, phase: u8) {
        let v = &mut self.imperfect.phases;
        while v.last().is_some_and(|r| r.0 >= t) {
            v.pop();
        }
        if v.last().is_none_or(|r| r.1 != phase) {
            v.push((t, phase));
            if v.len() > test_bound().unwrap_or(PHASE_RECORDS) {
                self.phases_compact();
            }
        }
    }

    /// Hands closed outages to the sink once there are `OUTAGE_CHUNK`.
    pub(super) fn outages_hand_on(&mut self) {
        let chunk = test_bound().unwrap_or(OUTAGE_CHUNK);
        if self.uptime.closed_outages() >= chunk {
            let closed = self.uptime.take_outages();
            self.imperfect.record_outages(closed);
        }
    }

    /// Drops the phase records no outage can need (issue 8: they grew
    /// with every state change of a replication). Closed outages are
    /// split first; every later outage starts at or after `cut` (the start
    /// of the one under way or of the instant not yet committed, else now), so the split of each walks past
    /// every record before the last one at or before `cut`: those can go.
    /// Only records before now are dropped (a record at now may still be
    /// replaced within the instant).
    fn phases_compact(&mut self) {
        let closed = self.uptime.take_outages();
        self.imperfect.record_outages(closed);
        let now = self.now();
        let cut = self.uptime.open_from_ns().map_or(now, |s| s.min(now));
        let v = &mut self.imperfect.phases;
        let keep_from = v.partition_point(|r| r.0 <= cut && r.0 < now);
        if keep_from > 1 {
            v.drain(..keep_from - 1);
        }
    }

    /// After every state change: what an outage now waits for.
    fn phase_check(&mut self) {
        let now = self.now();
        let phase = match &self.roles.promotion {
            Some(p) if p.candidate.is_some() => {
                if self.imperfect.planned {
                    return;
                }
                ph::SWITCH
            }
            Some(p) if p.election && self.sc.election.algorithm == ElectionAlgorithm::Raft => {
                ph::DECISION
            }
            Some(_) => ph::REPAIR,
            None if self.imperfect.operator_pending > 0 => ph::DECISION,
            // While the service is up the phase matters to no outage: the
            // refresh that takes it down records the phase then. This keeps
            // the scan of every node off the path of ordinary changes.
            None if self.routing.class_up.iter().all(|&up| up) => ph::REPAIR,
            None if self.nodes.iter().any(|n| n.marked_up && !n.reachable()) => ph::DETECTION,
            None => ph::REPAIR,
        };
        self.imperfect.planned = false;
        self.phase_record(now, phase);
    }

    /// stonith: the old primary is powered off; a running one returns as a
    /// backup after `reboot`.
    pub(super) fn on_fence(&mut self, node: u32) {
        let Fencing::Stonith { reboot, .. } = &self.sc.failover.fencing else {
            return;
        };
        if !self.nodes[node as usize].running() {
            self.log(Some(node), "fenced", || "it was already down".into());
            return;
        }
        let r = reboot.sample(&mut self.imperfect.reboot);
        self.log(Some(node), "fenced", || {
            format!("powered off; back in {}", crate::sim::time::human(r))
        });
        self.power_cycle(node, r);
    }

    /// lease: the old primary's lease ran out; it steps down.
    pub(super) fn on_lease_expiry(&mut self, node: u32) {
        if !self.imperfect.zombies.contains(&node) {
            return;
        }
        self.log(Some(node), "lease_expired", String::new);
        self.step_down(node, "its lease ran out");
    }

    /// `node` stopped or was marked up: it no longer acts as primary.
    pub(super) fn fencing_forget(&mut self, node: u32) {
        if self.imperfect.zombies.contains(&node) && self.nodes[node as usize].running() {
            self.step_down(node, "marked up again: it learns it is a backup");
        }
        self.imperfect.zombies.retain(|&z| z != node);
    }

    fn step_down(&mut self, node: u32, why: &'static str) {
        self.imperfect.zombies.retain(|&z| z != node);
        self.log(Some(node), "stepped_down", || why.into());
        self.split_brain_check();
    }

    /// Called after every state change: opens or closes a split-brain
    /// interval.
    pub(super) fn split_brain_check(&mut self) {
        self.phase_check();
        // Without a zombie at most one node acts as primary: no scan.
        let zombies = self.imperfect.zombies.len();
        let split = zombies > 0 && zombies + usize::from(self.leader().is_some()) >= 2;
        let now = self.now();
        match (split, self.imperfect.split_since) {
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
        let splits = &mut self.imperfect.stats.split_intervals;
        if b > a && self.imperfect.record_splits && splits.len() < super::TRACE_CAP {
            splits.push((a, b));
        }
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
        let n = self.nodes.len();
        let m = &mut self.imperfect.marked_down_at;
        if m.len() < n {
            m.resize(n, None);
        }
        m[node as usize] = Some(now);
        let Some(Some(t)) = self
            .imperfect
            .crashed_at
            .get_mut(node as usize)
            .map(Option::take)
        else {
            return;
        };
        if t >= self.sc.warmup_ns && t < self.sc.horizon_ns() {
            self.imperfect.stats.detection.push(now - t);
        }
    }

    /// The node is back (or marked up) before its crash was detected.
    pub(super) fn detection_forget(&mut self, node: u32) {
        if let Some(c) = self.imperfect.crashed_at.get_mut(node as usize) {
            *c = None;
        }
    }
}
