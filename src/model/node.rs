//! Node lifecycle: every machine follows its own failure process whatever
//! its role (SPEC §1). Random failures, repairs, permanent failures and
//! replacements, and the scripted faults `crash` and `permanent`.
//!
//! A node's draws come from its own four streams, so its failure history is
//! the same in every architecture that shares `[nodes]` and the seed.

use super::detection::Detect;
use super::{Ev, World};
use crate::metrics::Cause;
use crate::scenario::FaultKind;
use crate::sim::{Phase, Stream, StreamKind};

/// What a `Heal` event ends.
pub const HANG: u8 = 0;
pub const SLOW: u8 = 1;
pub const PARTITION: u8 = 2;
use std::collections::VecDeque;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Life {
    Running,
    /// Down, coming back after a repair.
    Down,
    /// Permanently failed: a new machine takes the id after `replace`.
    Gone,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The primary (standby, master-slave) or master (asymmetric cluster).
    Leader,
    /// A backup, slave, or symmetric-cluster member.
    Follower,
    /// Demoted while down: in no routing set until it comes back.
    Vacant,
}

/// A task at a node: which attempt of which request, and its work.
#[derive(Clone, Copy, Debug)]
pub struct Task {
    pub req: u32,
    pub token: u32,
    pub service_ns: u64,
    /// Forwarded by a slave: the answer goes back through it.
    pub forwarded: bool,
}

pub struct Node {
    pub life: Life,
    /// Bumped at every crash, repair and replacement: stale events drop.
    pub gen: u32,
    /// The dispatcher's belief from heartbeats.
    pub marked_up: bool,
    /// Where the node stands on the heartbeat grid.
    pub det: Detect,
    pub role: Role,
    /// Crashed while primary/master and not yet back: its detection
    /// raises the alert or starts the promotion.
    pub leader_failure: bool,
    /// Bumped whenever the node loses its tasks (crash, hang, partition):
    /// completions of lost tasks drop. Apart from `gen`, so that losing
    /// work never cancels a pending heartbeat verdict.
    pub work_gen: u32,
    /// Scripted `hang`: accepts tasks, answers none, heartbeats go on.
    pub hung: bool,
    /// Scripted `partition`: running but unreachable.
    pub partitioned: bool,
    /// Scripted `slow`: service time multiplier (1 = healthy).
    pub slow: f64,
    /// SPEC §7: crash domains above the node that are down.
    pub stops: u32,
    /// SPEC §7: partition domains cutting it off from the dispatcher.
    pub cuts: u32,
    /// SPEC §7: a new machine took the id while a domain had it stopped;
    /// it returns as replaced when the domain does.
    pub replaced_stopped: bool,
    pub busy: super::busy::Busy,
    pub waiting: VecDeque<Task>,
}

impl Node {
    pub fn new(heartbeat_ns: u64) -> Self {
        Node {
            life: Life::Running,
            gen: 0,
            marked_up: true,
            det: Detect::new(heartbeat_ns),
            role: Role::Follower,
            leader_failure: false,
            work_gen: 0,
            hung: false,
            partitioned: false,
            slow: 1.0,
            stops: 0,
            cuts: 0,
            replaced_stopped: false,
            busy: super::busy::Busy::new(),
            waiting: VecDeque::new(),
        }
    }

    pub fn running(&self) -> bool {
        self.life == Life::Running && self.stops == 0
    }

    /// Running and reachable: its heartbeats arrive.
    pub fn reachable(&self) -> bool {
        self.running() && !self.partitioned && self.cuts == 0
    }

    /// Running, reachable and not hung: it answers tasks.
    pub fn answers(&self) -> bool {
        self.reachable() && !self.hung
    }

    /// Tasks the dispatcher has outstanding at this node.
    pub fn load(&self) -> usize {
        self.busy.len() + self.waiting.len()
    }
}

pub struct NodeStreams {
    failure: Stream,
    repair: Stream,
    permanent: Stream,
    replace: Stream,
}

impl NodeStreams {
    pub fn new(seed: u64, node: u64) -> Self {
        NodeStreams {
            failure: Stream::new(seed, StreamKind::NodeFailure, node),
            repair: Stream::new(seed, StreamKind::NodeRepair, node),
            permanent: Stream::new(seed, StreamKind::NodePermanent, node),
            replace: Stream::new(seed, StreamKind::NodeReplace, node),
        }
    }
}

impl World<'_> {
    /// The node is (again) in service: draw its time to the next failure.
    pub(super) fn start_life(&mut self, node: u32) {
        if self.sc.perfect == Some(crate::metrics::Root::Node(node)) {
            return;
        }
        if let Some(failure) = self.sc.nodes.failure_of(node) {
            let ttf = failure
                .sample(&mut self.streams[node as usize].failure)
                .max(1);
            let gen = self.nodes[node as usize].gen;
            self.after(ttf, Phase::Normal, Ev::Fail { node, gen });
        }
    }

    pub(super) fn on_fail(&mut self, node: u32, gen: u32) {
        let n = &self.nodes[node as usize];
        // Its own process fails even while a domain has it stopped.
        if n.gen != gen || n.life != Life::Running {
            return;
        }
        let p = self.sc.nodes.permanent_of(node);
        let permanent = p > 0.0 && self.streams[node as usize].permanent.unit() < p;
        self.crash(node, permanent, None);
    }

    pub(super) fn on_fault(&mut self, index: usize) {
        let f = &self.sc.faults[index];
        let (node, kind, for_ns) = (f.node, f.kind, f.for_ns);
        if !self.start_fault(node, kind, for_ns, true) {
            // A scripted fault on a node already down (or already in that
            // fault) changes nothing.
            self.log(Some(node), "fault_ignored", || {
                format!("scripted fault #{index}: the node is already down or in that fault")
            });
        }
    }

    /// Starts a fault on `node` (scripted, or a random gray fault, SPEC §7)
    /// unless the node is down or already in that fault; says whether it
    /// started. With `heal`, a hang, slow-down or partition ends with a
    /// `Heal` event after `for_ns` (a random fault's window heals it).
    pub(super) fn start_fault(
        &mut self,
        node: u32,
        kind: FaultKind,
        for_ns: Option<u64>,
        heal: bool,
    ) -> bool {
        let n = &self.nodes[node as usize];
        let active = match kind {
            FaultKind::Hang => n.hung,
            FaultKind::Partition => n.partitioned,
            FaultKind::Slow(_) => n.slow != 1.0,
            FaultKind::Crash | FaultKind::Permanent => false,
        };
        if !n.running() || active {
            return false;
        }
        let d = for_ns.unwrap_or(0);
        match kind {
            FaultKind::Crash => self.crash(node, false, for_ns),
            FaultKind::Permanent => self.crash(node, true, None),
            FaultKind::Hang => {
                self.nodes[node as usize].hung = true;
                self.touch(node);
                self.lose_tasks(node);
                self.log(Some(node), "hung", || {
                    format!(
                        "answers nothing for {}; heartbeats go on",
                        crate::sim::time::human(d)
                    )
                });
                if heal {
                    self.after(d, Phase::Normal, Ev::Heal { node, kind: HANG });
                }
                self.refresh(Cause {
                    event: "hung",
                    node: Some(node),
                });
            }
            FaultKind::Slow(factor) => {
                self.nodes[node as usize].slow = factor;
                self.log(Some(node), "slowed", || {
                    format!("service × {factor} for {}", crate::sim::time::human(d))
                });
                if heal {
                    self.after(d, Phase::Normal, Ev::Heal { node, kind: SLOW });
                }
            }
            FaultKind::Partition => {
                self.nodes[node as usize].partitioned = true;
                self.touch(node);
                self.lose_tasks(node);
                self.log(Some(node), "partitioned", || {
                    format!("unreachable for {}", crate::sim::time::human(d))
                });
                let cause = Cause {
                    event: "partitioned",
                    node: Some(node),
                };
                self.origin = Some(cause);
                self.roles_on_crash(node);
                self.detect(node, false);
                self.origin = None;
                if heal {
                    self.after(
                        d,
                        Phase::Normal,
                        Ev::Heal {
                            node,
                            kind: PARTITION,
                        },
                    );
                }
                self.refresh(cause);
            }
        }
        true
    }

    /// A hang or partition ends.
    pub(super) fn on_heal(&mut self, node: u32, kind: u8) {
        self.touch(node);
        let n = &mut self.nodes[node as usize];
        let was = match kind {
            HANG => std::mem::replace(&mut n.hung, false),
            SLOW => std::mem::replace(&mut n.slow, 1.0) != 1.0,
            _ => std::mem::replace(&mut n.partitioned, false),
        };
        if !was {
            return; // a crash ended it already
        }
        self.log(Some(node), "healed", || match kind {
            HANG => "answers again".into(),
            SLOW => "serves at full speed again".into(),
            _ => "reachable again".into(),
        });
        if kind == PARTITION && self.nodes[node as usize].reachable() {
            self.roles_on_return(node, false);
            self.detect(node, false);
        }
        self.refresh(Cause {
            event: "healed",
            node: Some(node),
        });
    }

    /// The node's tasks vanish unanswered (hang, partition): their clients
    /// find out by task timeout, deadline or drain.
    pub(super) fn lose_tasks(&mut self, node: u32) {
        let n = &mut self.nodes[node as usize];
        n.busy.clear();
        n.waiting.clear();
        n.work_gen += 1;
    }

    /// The node stops: tasks on it fail, repair or replacement starts,
    /// detection begins, roles react. `repair_ns` overrides the repair draw.
    pub(super) fn crash(&mut self, node: u32, permanent: bool, repair_ns: Option<u64>) {
        self.crash_as(node, permanent, repair_ns, None, true);
    }

    /// stonith's power-off: the node is back after `reboot_ns` by itself,
    /// without a repair crew (SPEC §7 `nodes.crews`).
    pub(super) fn power_cycle(&mut self, node: u32, reboot_ns: u64) {
        self.crash_as(node, false, Some(reboot_ns), None, false);
    }

    /// `crash`, logged and reported as `event` when given (SPEC §7: a
    /// planned stop is `maintenance_stopped`, not `crashed`); `crew`: the
    /// repair needs a repair crew.
    pub(super) fn crash_as(
        &mut self,
        node: u32,
        permanent: bool,
        repair_ns: Option<u64>,
        event: Option<&'static str>,
        crew: bool,
    ) {
        let i = node as usize;
        self.touch(node);
        let n = &mut self.nodes[i];
        // Stopped by a domain already: its roles reacted then.
        let was_running = n.running();
        n.life = if permanent { Life::Gone } else { Life::Down };
        n.gen += 1;
        n.work_gen += 1;
        // A crash ends a hang or a slowdown (the process restarts); a
        // partition is in the network and outlasts it.
        n.hung = false;
        n.slow = 1.0;
        let gen = n.gen;
        let tasks: Vec<_> = n.busy.drain(..).chain(n.waiting.drain(..)).collect();
        let planned = event.is_some();
        let event = event.unwrap_or(if permanent {
            "failed_permanently"
        } else {
            "crashed"
        });
        if permanent {
            if let Some(replace) = self.sc.nodes.replace_of(node) {
                let d = replace.sample(&mut self.streams[i].replace);
                self.log(Some(node), event, || {
                    format!("replacement in {}", crate::sim::time::human(d))
                });
                self.after(d, Phase::Normal, Ev::Replace { node, gen });
            } else {
                self.log(Some(node), event, || "no replacement configured".into());
            }
        } else {
            let d = match repair_ns {
                Some(d) => d,
                None => self
                    .sc
                    .nodes
                    .repair_of(node)
                    .map_or(0, |r| r.sample(&mut self.streams[i].repair)),
            };
            if planned {
                self.log(Some(node), event, || {
                    format!("back in {}", crate::sim::time::human(d))
                });
                self.after(d, Phase::Normal, Ev::Repair { node, gen });
            } else {
                self.repair_after(node, gen, d, event, crew);
            }
        }
        let cause = Cause {
            event,
            node: Some(node),
        };
        self.origin = Some(cause);
        self.detection_on_crash(node);
        if was_running {
            self.roles_on_crash(node);
        }
        self.detect(node, permanent);
        if self.maint.is_some() {
            self.maintenance_on_crash(node);
        }
        if !was_running && permanent {
            // SPEC §7: a stopped leader that fails for good is lost as if
            // it crashed now: the alert its stop raised may be spent.
            self.roles_on_stopped_gone(node);
        }
        self.origin = None;
        self.refresh(cause);
        self.fail_tasks(tasks);
    }

    /// A repair (or, with `replaced`, a new machine) brings the node back.
    pub(super) fn on_repair(&mut self, node: u32, gen: u32, replaced: bool) {
        let n = &mut self.nodes[node as usize];
        if n.gen != gen {
            return;
        }
        n.life = Life::Running;
        n.gen += 1;
        self.touch(node);
        let event = if replaced { "replaced" } else { "repaired" };
        self.log(Some(node), event, String::new);
        if !replaced && self.crews.is_some() {
            self.crew_released(node);
        }
        if self.nodes[node as usize].running() {
            // Replaced while a domain had it stopped, then down again: it
            // is still the new machine.
            let replaced =
                replaced || std::mem::take(&mut self.nodes[node as usize].replaced_stopped);
            self.roles_on_return(node, replaced);
        } else if replaced {
            self.nodes[node as usize].replaced_stopped = true;
        }
        if !replaced {
            self.detection_forget(node);
        }
        self.detect(node, false);
        self.start_life(node);
        self.refresh(Cause {
            event,
            node: Some(node),
        });
    }
}
