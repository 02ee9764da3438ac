//! Rolling maintenance (SPEC §7 `[maintenance]`): planned work, one node at
//! a time in id order.
//!
//! From `start`, then every `every`, a round walks the nodes. Each node is
//! marked down by the dispatcher (it is told, it does not detect): it gets
//! no new tasks where the dispatcher routes by marks, and its roles react as
//! to a detected failure (with automatic promotion a primary or master is
//! replaced at once, during the drain: a planned failover, never counted as
//! false and never fenced). After `drain` it stops (`maintenance_stopped`)
//! for a `duration` draw, and returns like a repaired node. The next node
//! starts when this one is back in service: marked up again.
//!
//! The decisions where the contract is silent:
//! - a node that is down when its turn comes is skipped
//!   (`maintenance_skipped`);
//! - a node that fails during its drain follows its normal repair (or
//!   replacement); the dispatcher has it marked down already, so its roles
//!   react at once, and the round waits until it is back and marked up;
//! - a round due while the previous one still runs is skipped (rounds never
//!   overlap); the one after is due `every` later as usual;
//! - a draining node is not marked up by heartbeats (it is being drained).
//!
//! Attribution: every state change of the maintenance reports a cause named
//! `maintenance_started` or `maintenance_stopped` (`PLANNED`) with the node;
//! the outages they start are the planned downtime (`planned_downtime_s`),
//! and their root is `maintenance:<node>`.

use super::{Ev, World};
use crate::metrics::Cause;
use crate::sim::{Phase, Stream, StreamKind};

/// The causes of outages due to maintenance (their root is
/// `maintenance:<node>`).
pub const PLANNED: [&str; 2] = ["maintenance_started", "maintenance_stopped"];

/// Whether an outage with this cause is due to maintenance.
pub fn is_planned(cause: &Cause) -> bool {
    PLANNED.contains(&cause.event)
}

/// What an `Ev::Maint` event does.
pub const ROUND: u8 = 0;
pub const NEXT: u8 = 1;
pub const STOP: u8 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Marked down, still running, no new tasks.
    Draining,
    /// Stopped (or failed during its drain): waiting until it is marked up.
    Away,
    /// Marked up again; the next node starts within this instant.
    Done,
}

pub struct Maint {
    /// Each node's `duration` draws.
    streams: Vec<Stream>,
    /// The node under maintenance.
    current: Option<(u32, Stage)>,
    /// Bumped at each drain: a drain cut short by a failure drops its stop.
    gen: u32,
    /// The current node's stop, drawn when its drain begins.
    stop_ns: u64,
}

impl Maint {
    /// None without `[maintenance]`.
    pub fn new(sc: &crate::scenario::Scenario, seed: u64) -> Option<Box<Self>> {
        sc.maintenance.as_ref()?;
        Some(Box::new(Maint {
            streams: (0..u64::from(sc.nodes.count))
                .map(|i| Stream::new(seed, StreamKind::Maintenance, i))
                .collect(),
            current: None,
            gen: 0,
            stop_ns: 0,
        }))
    }
}

impl World<'_> {
    fn maint(&mut self) -> &mut Maint {
        self.maint
            .as_mut()
            .expect("maintenance events need [maintenance]")
    }

    /// Schedules the first round.
    pub(super) fn maintenance_start(&mut self) {
        if let Some(m) = &self.sc.maintenance {
            if m.start_ns < self.sc.end_ns() {
                let ev = Ev::Maint {
                    kind: ROUND,
                    node: 0,
                    gen: 0,
                };
                self.q.schedule(m.start_ns, Phase::Normal, ev);
            }
        }
    }

    pub(super) fn on_maint(&mut self, kind: u8, node: u32, gen: u32) {
        match kind {
            ROUND => {
                let every = self.sc.maintenance.as_ref().map_or(0, |m| m.every_ns);
                let ev = Ev::Maint {
                    kind: ROUND,
                    node: 0,
                    gen: 0,
                };
                self.after(every, Phase::Normal, ev);
                if self.maint().current.is_some() {
                    self.log(None, "maintenance_skipped", || {
                        "a round is due, but the previous one is still running".into()
                    });
                    return;
                }
                self.maintenance_node(0);
            }
            NEXT => self.maintenance_node(node),
            _ => {
                let m = self.maint();
                if m.gen == gen && m.current == Some((node, Stage::Draining)) {
                    self.maintenance_stop(node);
                }
            }
        }
    }

    /// Node `first`'s turn, or the first node from it that is running.
    fn maintenance_node(&mut self, first: u32) {
        let sc = self.sc;
        let Some(spec) = &sc.maintenance else {
            return;
        };
        let count = self.nodes.len() as u32;
        let mut node = first;
        while node < count && !self.nodes[node as usize].running() {
            self.log(Some(node), "maintenance_skipped", || {
                "down when its turn came".into()
            });
            node += 1;
        }
        if node >= count {
            self.maint().current = None;
            return;
        }
        let m = self.maint();
        let stop_ns = spec.duration.sample(&mut m.streams[node as usize]);
        m.stop_ns = stop_ns;
        m.gen = m.gen.wrapping_add(1);
        m.current = Some((node, Stage::Draining));
        let gen = m.gen;
        let drain_ns = spec.drain_ns;
        self.log(Some(node), "maintenance_started", || {
            use crate::sim::time::human;
            format!(
                "drains for {}, then stops for {}",
                human(drain_ns),
                human(stop_ns)
            )
        });
        if self.nodes[node as usize].marked_up {
            let origin = self.origin.replace(Cause {
                event: PLANNED[0],
                node: Some(node),
            });
            self.mark_down(node);
            self.origin = origin;
        }
        if drain_ns == 0 {
            self.maintenance_stop(node);
        } else {
            let ev = Ev::Maint {
                kind: STOP,
                node,
                gen,
            };
            self.after(drain_ns, Phase::Normal, ev);
        }
    }

    /// The drain is over: the node stops for its `duration` draw.
    fn maintenance_stop(&mut self, node: u32) {
        let m = self.maint();
        m.current = Some((node, Stage::Away));
        let stop_ns = m.stop_ns;
        self.crash_as(node, false, Some(stop_ns), Some(PLANNED[1]), false);
    }

    /// A node stopped (from `crash_as`): a failure during its drain turns
    /// the maintenance into a normal repair.
    pub(super) fn maintenance_on_crash(&mut self, node: u32) {
        let m = self.maint();
        if m.current != Some((node, Stage::Draining)) {
            return;
        }
        m.current = Some((node, Stage::Away));
        m.gen = m.gen.wrapping_add(1);
        // The dispatcher has it marked down already: no heartbeat verdict
        // will come, so its roles react now as to a detected failure.
        self.roles_on_marked_down(node);
    }

    /// Whether heartbeats must not mark `node` up: it is being drained.
    pub(super) fn maintenance_holds(&self, node: u32) -> bool {
        self.maint
            .as_ref()
            .is_some_and(|m| m.current == Some((node, Stage::Draining)))
    }

    /// Whether `node` is handed over as planned (no false failover, no
    /// fencing): it is being drained.
    pub(super) fn maintenance_planned(&self, node: u32) -> bool {
        self.maintenance_holds(node)
    }

    /// `node` was marked up: if it is back from its maintenance, the next
    /// node's turn comes (after the rest of this instant's work).
    pub(super) fn maintenance_on_marked_up(&mut self, node: u32) {
        let m = self.maint();
        if m.current != Some((node, Stage::Away)) {
            return;
        }
        m.current = Some((node, Stage::Done));
        let ev = Ev::Maint {
            kind: NEXT,
            node: node + 1,
            gen: 0,
        };
        self.after(0, Phase::Normal, ev);
    }
}
