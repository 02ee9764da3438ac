//! Roles and promotion (SPEC §2, "Promotion details"): who is primary or
//! master, when an operator is alerted, how a backup or slave is promoted,
//! the `lowest-id` election, abandoned promotions and failover counting.
//!
//! One mechanism serves all four role-based architectures; they differ only
//! in what triggers a promotion and what it costs:
//! - `manual`: detection alerts an operator who acts after `operator`; in a
//!   standby or master-slave system only a permanent failure is promoted
//!   around, in an asymmetric cluster any leader still down.
//! - `automatic`: detection starts the promotion at once (in an asymmetric
//!   cluster it is the `lowest-id` election).
//! - `none`: wait for the repair; a replacement takes the role.
//!
//! The candidate takes over after `start` (cold standby) plus `switch`.

use super::node::{Life, Role};
use super::{Ev, World};
use crate::metrics::Cause;
use crate::scenario::{Architecture, Dist, ElectionAlgorithm, Promotion};
use crate::sim::{Phase, Stream, StreamKind};

/// A promotion under way.
pub struct PendingPromotion {
    /// Identifies the current candidate's takeover; a new candidate gets a
    /// new id, so an abandoned candidate's takeover event is dropped.
    pub id: u32,
    pub candidate: Option<u32>,
    /// An automatic election in an asymmetric cluster.
    pub election: bool,
}

pub struct Roles {
    /// The highest raft term yet.
    pub term: u64,
    /// Where the dispatcher sends primary/master traffic in standby and
    /// master-slave systems (they keep sending to a failed primary until
    /// re-pointed). Clusters route by role and health instead.
    pub dispatch_leader: Option<u32>,
    /// The last node that served as primary/master, to count failovers.
    last_leader: Option<u32>,
    pub promotion: Option<PendingPromotion>,
    pub next_id: u32,
    operator: Stream,
    start: Stream,
    switch: Stream,
    /// Raft timeouts and vote messages.
    pub election: Stream,
    /// Each node's raft state.
    pub raft: Vec<super::raft::RaftNode>,
}

impl Roles {
    pub fn new(seed: u64) -> Self {
        Roles {
            term: 0,
            dispatch_leader: None,
            last_leader: None,
            promotion: None,
            next_id: 0,
            operator: Stream::new(seed, StreamKind::Operator, 0),
            start: Stream::new(seed, StreamKind::Start, 0),
            switch: Stream::new(seed, StreamKind::Switch, 0),
            election: Stream::new(seed, StreamKind::Election, 0),
            raft: Vec::new(),
        }
    }

    /// Node 0 starts as primary/master; every other node as backup/slave.
    pub fn init(&mut self, nodes: &mut [super::node::Node], arch: Architecture) {
        self.raft = vec![Default::default(); nodes.len()];
        if arch.has_leader() {
            nodes[0].role = Role::Leader;
            self.dispatch_leader = Some(0);
            self.last_leader = Some(0);
        }
    }
}

fn draw(d: &Dist, s: &mut Stream) -> u64 {
    d.sample(s)
}

impl World<'_> {
    pub(super) fn leader(&self) -> Option<u32> {
        // Kept up to date by the touched nodes (issue 8): no scan.
        let leader = self.tracked_leader();
        debug_assert_eq!(
            leader,
            (self.nodes.iter().position(|n| n.role == Role::Leader)).map(|i| i as u32),
            "the leader"
        );
        leader
    }

    pub(super) fn roles_on_crash(&mut self, node: u32) {
        if !self.nodes[node as usize].running() {
            self.fencing_forget(node);
        }
        if self.nodes[node as usize].role == Role::Leader {
            self.nodes[node as usize].leader_failure = true;
        }
        self.raft_check_majority();
        let abandoned = self
            .roles
            .promotion
            .as_ref()
            .is_some_and(|p| p.candidate == Some(node));
        if abandoned {
            self.log(Some(node), "promotion_abandoned", || {
                "the candidate failed before taking over".into()
            });
            if let Some(p) = &mut self.roles.promotion {
                p.candidate = None;
            }
            self.choose_candidate();
        }
    }

    pub(super) fn roles_on_return(&mut self, node: u32, replaced: bool) {
        let n = &mut self.nodes[node as usize];
        if !replaced {
            // Back before detection: no alert, no promotion.
            n.leader_failure = false;
        }
        match n.role {
            Role::Vacant => {
                n.role = Role::Follower;
                self.touch(node);
            }
            Role::Leader if replaced => {
                if self.sc.failover.promotion == Promotion::None {
                    // With no promotion the new machine takes the role.
                    self.log(Some(node), "promoted", || {
                        "the replacement takes the primary role".into()
                    });
                    self.count_takeover(node);
                } else {
                    // The new machine joins as a backup: the role is empty
                    // until a promotion fills it.
                    self.nodes[node as usize].role = Role::Follower;
                    self.touch(node);
                }
            }
            _ => {}
        }
    }

    /// SPEC §7: a leader stopped by a domain fails permanently. Its stop
    /// raised the alert (or started the promotion) at its mark-down; this
    /// failure raises another as a crash of the leader would, at once if
    /// it is marked down already, else at its mark-down.
    pub(super) fn roles_on_stopped_gone(&mut self, node: u32) {
        let n = &mut self.nodes[node as usize];
        if n.role != Role::Leader {
            return;
        }
        n.leader_failure = true;
        if !n.marked_up {
            self.roles_on_marked_down(node);
        }
    }

    pub(super) fn roles_on_marked_down(&mut self, node: u32) {
        let n = &mut self.nodes[node as usize];
        if n.role == Role::Leader
            && n.reachable()
            && self.sc.failover.promotion == Promotion::Automatic
        {
            // SPEC §8: a falsely suspected primary is replaced all the same.
            n.leader_failure = true;
        }
        if !std::mem::take(&mut self.nodes[node as usize].leader_failure) {
            return;
        }
        match self.sc.failover.promotion {
            Promotion::Automatic => self.begin_promotion(node),
            Promotion::Manual => {
                let d = draw(&self.sc.failover.operator, &mut self.roles.operator);
                self.log(Some(node), "operator_alerted", || {
                    format!("the operator acts in {}", crate::sim::time::human(d))
                });
                self.imperfect.operator_pending += 1;
                self.after(d, Phase::Normal, Ev::OperatorActs { node });
            }
            Promotion::None => {}
        }
    }

    pub(super) fn roles_on_marked_up(&mut self, _node: u32) {
        if self
            .roles
            .promotion
            .as_ref()
            .is_some_and(|p| p.candidate.is_none())
        {
            self.choose_candidate();
        }
    }

    pub(super) fn on_operator(&mut self, node: u32) {
        self.imperfect.operator_pending = self.imperfect.operator_pending.saturating_sub(1);
        if self.roles.promotion.is_some() {
            self.log(Some(node), "operator_acted", || {
                "a promotion is already under way".into()
            });
            return;
        }
        let leader = self.leader();
        let promote = match leader {
            None => true,
            Some(l) if self.sc.architecture.health_checked() => !self.nodes[l as usize].reachable(),
            // A new machine that took the id while stopped (SPEC §7) holds
            // no primary: it returns as a replacement.
            Some(l) => {
                let n = &self.nodes[l as usize];
                n.life == Life::Gone || n.replaced_stopped
            }
        };
        // The architecture's own word for the role (master-slave: master).
        let role = if self.sc.architecture.is_standby() {
            "primary"
        } else {
            "master"
        };
        if promote {
            self.log(Some(node), "operator_acted", || {
                format!("promotes a new {role}")
            });
            self.begin_promotion(node);
        } else {
            let why = match leader.map(|l| self.nodes[l as usize].life) {
                Some(Life::Down) => "the failure is recoverable: waiting for the repair",
                _ => "",
            };
            self.log(Some(node), "operator_acted", || {
                if why.is_empty() {
                    format!("the {role} is back: nothing to do")
                } else {
                    why.into()
                }
            });
            // The decision is taken: what is left of the outage is repair.
            self.split_brain_check();
        }
    }

    /// The current leader (if any) loses its role; a candidate is sought.
    fn begin_promotion(&mut self, failed: u32) {
        if let Some(l) = self.leader() {
            let n = &mut self.nodes[l as usize];
            let running = n.running();
            n.role = if running {
                Role::Follower
            } else {
                Role::Vacant
            };
            self.touch(l);
            // Replaced while alive: a false failover (SPEC §8).
            self.fencing_on_replace(l, running);
        }
        let election = self.sc.architecture == Architecture::AsymmetricCluster
            && self.sc.failover.promotion == Promotion::Automatic;
        if election {
            let algorithm = match self.sc.election.algorithm {
                ElectionAlgorithm::LowestId => "lowest-id",
                ElectionAlgorithm::Raft => "raft",
            };
            self.log(Some(failed), "election_started", || algorithm.into());
        }
        self.roles.promotion = Some(PendingPromotion {
            id: 0,
            candidate: None,
            election,
        });
        self.choose_candidate();
        self.refresh(Cause {
            event: if election {
                "election_started"
            } else {
                "promotion_started"
            },
            node: Some(failed),
        });
    }

    /// A new promotion id (for the takeover scheduled with it).
    pub(super) fn promotion_id(&mut self) -> u32 {
        self.roles.next_id += 1;
        self.roles.next_id
    }

    /// Picks the lowest-id running, marked-up backup/slave and schedules its
    /// takeover; with none available the promotion waits for a mark-up.
    fn choose_candidate(&mut self) {
        let Some(p) = &self.roles.promotion else {
            return;
        };
        if p.candidate.is_some() {
            return;
        }
        let election = p.election;
        if election && self.sc.election.algorithm == ElectionAlgorithm::Raft {
            return self.raft_start();
        }
        let Some(c) = self
            .nodes
            .iter()
            .position(|n| n.running() && n.marked_up && n.role == Role::Follower)
            .map(|i| i as u32)
        else {
            return;
        };
        let start = if self.sc.architecture == Architecture::ColdStandby {
            draw(&self.sc.failover.start, &mut self.roles.start)
        } else {
            0
        };
        let switch = draw(&self.sc.failover.switch, &mut self.roles.switch);
        self.roles.next_id += 1;
        let id = self.roles.next_id;
        if let Some(p) = &mut self.roles.promotion {
            p.id = id;
            p.candidate = Some(c);
        }
        if !election {
            self.log(Some(c), "promotion_started", || {
                use crate::sim::time::human;
                if start > 0 {
                    format!("start {} + switch {}", human(start), human(switch))
                } else {
                    format!("switch {}", human(switch))
                }
            });
        }
        let wait = self.fencing_wait(start, switch);
        self.after(wait, Phase::Normal, Ev::Takeover { promotion: id });
    }

    pub(super) fn on_takeover(&mut self, id: u32) {
        let Some(p) = &self.roles.promotion else {
            return;
        };
        let (Some(c), true) = (p.candidate, p.id == id) else {
            return;
        };
        let election = p.election;
        self.roles.promotion = None;
        self.nodes[c as usize].role = Role::Leader;
        self.touch(c);
        self.log(
            Some(c),
            if election { "elected" } else { "promoted" },
            String::new,
        );
        self.count_takeover(c);
        self.refresh(Cause {
            event: if election { "elected" } else { "promoted" },
            node: Some(c),
        });
    }

    /// `node` now holds the primary/master role: re-point the dispatcher,
    /// count a failover when a different node serves.
    fn count_takeover(&mut self, node: u32) {
        self.nodes[node as usize].role = Role::Leader;
        self.touch(node);
        self.roles.dispatch_leader = Some(node);
        if self.roles.last_leader != Some(node) && self.measuring() {
            self.failovers += 1;
        }
        self.roles.last_leader = Some(node);
    }
}
