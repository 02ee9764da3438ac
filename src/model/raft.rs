//! Raft (and ZAB) elections, as SPEC §1 describes them and as Raft does
//! them (Ongaro & Ousterhout, §5.2): randomised election timeouts and
//! votes, a majority of `nodes.count` needed, and no master without a
//! majority running and reachable.
//!
//! Each node has its own election timer and term. While a master is
//! reachable its heartbeats keep every follower's timer from firing; this
//! is modelled without an event per heartbeat: timers are simply inactive.
//! From the master's detection on, every live node runs its own timer:
//! - a node whose timer fires becomes a candidate: it increments its term,
//!   votes for itself, sends RequestVote to every other live node (each
//!   message a `message_delay` draw) and restarts its timer with a fresh
//!   draw, from its own start: a term that splits is followed by a new one
//!   when that timer fires;
//! - a node grants at most one vote per term, first come; it adopts any
//!   higher term it sees (a candidate then steps down to follower, its
//!   timer running on); granting a vote restarts its own timer with a fresh
//!   draw;
//! - the answer (a vote, or a refusal with the voter's higher term) takes
//!   another message; a candidate counts the votes of its current term and
//!   wins with a majority of `nodes.count`, itself included. (A refusal in
//!   the candidate's own term would change nothing and is not sent.)
//!
//! Crashed and partitioned nodes neither vote nor send; a message whose
//! sender or receiver is unreachable when it arrives is lost. The winner's
//! first heartbeat ends the election everywhere at once: every timer stops
//! and messages still in flight are dropped. Without a quorum running and
//! reachable no one can win: a timer that fires then stops (the election
//! waits), and each mark-up restarts the timers of live nodes that have
//! none, with fresh draws, as at the election's start. A node that returns
//! during an election votes at once and starts its timer at its mark-up
//! (SPEC §2: candidates are marked up). With `stonith` or `lease` fencing
//! the winner serves only once the old master is fenced or its lease has
//! run out (`fencing_elected`); the election itself is over.

use super::node::Role;
use super::{Ev, World};
use crate::scenario::{Architecture, ElectionAlgorithm};

/// One node's Raft state. Terms persist across crashes, as in Raft.
#[derive(Clone, Copy, Debug, Default)]
pub struct RaftNode {
    term: u64,
    /// The last term this node voted in (itself included); 0: never.
    voted_in: u64,
    candidate: bool,
    /// Votes for this candidate in its current term, its own included.
    votes: u32,
    /// The election timer's generation: a bump cancels a scheduled fire.
    timer: u32,
    /// Whether the timer is running.
    armed: bool,
}

impl World<'_> {
    fn majority(&self) -> usize {
        self.nodes.len() / 2 + 1
    }

    /// Whether a majority of `nodes.count` is running and reachable.
    fn quorum(&self) -> bool {
        self.reachable_count() >= self.majority()
    }

    /// A raft election is under way (no master).
    fn electing(&self) -> bool {
        self.sc.election.algorithm == ElectionAlgorithm::Raft
            && self
                .roles
                .promotion
                .as_ref()
                .is_some_and(|p| p.election && p.candidate.is_none())
    }

    /// Starts (or resumes) an election: every live node without a running
    /// timer starts one.
    pub(super) fn raft_start(&mut self) {
        for i in 0..self.nodes.len() {
            if self.nodes[i].reachable() && !self.roles.raft[i].armed {
                self.raft_arm(i as u32);
            }
        }
    }

    /// (Re)starts `node`'s election timer with a fresh draw.
    fn raft_arm(&mut self, node: u32) {
        let d = self.sc.election.timeout.sample(&mut self.roles.election);
        let r = &mut self.roles.raft[node as usize];
        r.timer = r.timer.wrapping_add(1);
        r.armed = true;
        let timer = r.timer;
        self.after(
            d,
            crate::sim::Phase::Normal,
            Ev::RaftTimeout { node, timer },
        );
    }

    fn raft_send(&mut self, ev: Ev) {
        let d = self
            .sc
            .election
            .message_delay
            .sample(&mut self.roles.election);
        self.after(d, crate::sim::Phase::Normal, ev);
    }

    pub(super) fn on_raft_timeout(&mut self, node: u32, timer: u32) {
        let i = node as usize;
        let r = self.roles.raft[i];
        if !self.electing() || !r.armed || r.timer != timer {
            return;
        }
        if !self.nodes[i].reachable() || !self.quorum() {
            // Down, or no majority to win: the timer stops until a mark-up.
            let r = &mut self.roles.raft[i];
            r.armed = false;
            r.candidate = false;
            return;
        }
        let term = r.term + 1;
        self.roles.term = self.roles.term.max(term);
        let n = self.nodes.len();
        self.log(Some(node), "election_started", || {
            if r.candidate {
                format!(
                    "term {}: split vote, node {node} has {} of {n} votes; it stands again in term {term}",
                    r.term, r.votes
                )
            } else {
                format!("term {term}: node {node} times out and stands")
            }
        });
        let r = &mut self.roles.raft[i];
        r.term = term;
        r.voted_in = term;
        r.candidate = true;
        r.votes = 1;
        if self.majority() == 1 {
            return self.raft_win(node);
        }
        for to in 0..self.nodes.len() as u32 {
            if to != node && self.nodes[to as usize].reachable() {
                self.raft_send(Ev::RaftRequest {
                    from: node,
                    to,
                    term,
                });
            }
        }
        self.raft_arm(node);
    }

    /// `node` adopts `term` if it is higher; a candidate steps down.
    fn raft_see(&mut self, node: u32, term: u64) {
        let r = &mut self.roles.raft[node as usize];
        if term > r.term {
            r.term = term;
            r.candidate = false;
        }
    }

    fn raft_delivered(&self, from: u32, to: u32) -> bool {
        self.electing()
            && self.nodes[from as usize].reachable()
            && self.nodes[to as usize].reachable()
    }

    pub(super) fn on_raft_request(&mut self, from: u32, to: u32, term: u64) {
        if !self.raft_delivered(from, to) {
            return;
        }
        self.raft_see(to, term);
        let r = &mut self.roles.raft[to as usize];
        let granted = term == r.term && r.voted_in < term;
        if granted {
            r.voted_in = term;
        }
        let reply = Ev::RaftReply {
            from: to,
            to: from,
            term: r.term,
            granted,
        };
        if granted {
            self.raft_arm(to);
        } else if r.term == term {
            // A refusal in the candidate's own term changes nothing there:
            // not sent, to save an event per voter and term in a split.
            return;
        }
        self.raft_send(reply);
    }

    pub(super) fn on_raft_reply(&mut self, from: u32, to: u32, term: u64, granted: bool) {
        if !self.raft_delivered(from, to) {
            return;
        }
        self.raft_see(to, term);
        let maj = self.majority() as u32;
        let r = &mut self.roles.raft[to as usize];
        if granted && r.candidate && r.term == term {
            r.votes += 1;
            // Votes from nodes that have crashed since do not make a
            // majority that can hold the role (SPEC §2).
            if r.votes >= maj && self.quorum() {
                self.raft_win(to);
            }
        }
    }

    /// `c` has its majority: its heartbeats stop every timer.
    fn raft_win(&mut self, c: u32) {
        let r = self.roles.raft[c as usize];
        for s in &mut self.roles.raft {
            s.candidate = false;
            s.armed = false;
            s.timer = s.timer.wrapping_add(1);
            s.term = s.term.max(r.term);
        }
        let id = self.promotion_id();
        if let Some(p) = &mut self.roles.promotion {
            p.id = id;
            p.candidate = Some(c);
        }
        // SPEC §8: the winner serves once the old master is fenced.
        self.fencing_elected(id);
    }

    /// With raft, a master that no longer has a majority running and
    /// reachable steps down; an election waits for the quorum to return.
    pub(super) fn raft_check_majority(&mut self) {
        if self.sc.election.algorithm != ElectionAlgorithm::Raft
            || self.sc.architecture != Architecture::AsymmetricCluster
        {
            return;
        }
        let Some(l) = self.leader() else { return };
        if !self.nodes[l as usize].reachable() || self.quorum() {
            return;
        }
        self.nodes[l as usize].role = Role::Follower;
        self.touch(l);
        self.log(Some(l), "election_started", || {
            "the master lost its majority and steps down".into()
        });
        self.roles.promotion = Some(super::roles::PendingPromotion {
            id: 0,
            candidate: None,
            election: true,
        });
    }
}
