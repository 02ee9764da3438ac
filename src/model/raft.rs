//! Raft (and ZAB) elections, as SPEC §1 describes them: randomised election
//! timeouts and votes, a majority of `nodes.count` needed, and no master
//! without a majority running and reachable.
//!
//! One term: every live node (running, reachable) draws an election
//! timeout. The earliest stands and sends vote requests, each one message
//! away. A node whose own timeout fires before the request reaches it
//! stands too and votes for itself (a split); every other live node votes
//! for the earliest candidate, and its answer takes another message. The
//! candidate wins when a majority has answered; if the split leaves it
//! short, a new term starts when its timeout would have fired again.

use super::node::Role;
use super::{Ev, World};
use crate::sim::Phase;

impl World<'_> {
    fn majority(&self) -> usize {
        self.nodes.len() / 2 + 1
    }

    /// Nodes that take part in an election: running and reachable.
    fn voters(&self) -> Vec<u32> {
        (0..self.nodes.len() as u32)
            .filter(|&i| self.nodes[i as usize].reachable())
            .collect()
    }

    /// Starts one term of an election under way (no candidate yet).
    pub(super) fn raft_round(&mut self) {
        let voters = self.voters();
        let maj = self.majority();
        if voters.len() < maj {
            return; // no quorum: wait for nodes to come back (mark-up).
        }
        let e = &self.sc.election;
        let rng = &mut self.roles.election;
        let timeouts: Vec<(u64, u32)> =
            voters.iter().map(|&n| (e.timeout.sample(rng), n)).collect();
        let &(tc, c) = timeouts.iter().min().expect("a quorum is not empty");
        let mut answers = vec![0u64]; // the candidate's own vote
        let mut rivals = 0;
        for &(t, _) in timeouts.iter().filter(|(_, j)| *j != c) {
            let request = e.message_delay.sample(rng);
            if t < tc.saturating_add(request) {
                rivals += 1; // stood itself before the request arrived
                continue;
            }
            answers.push(request.saturating_add(e.message_delay.sample(rng)));
        }
        self.roles.term += 1;
        let (term, id) = (self.roles.term, self.promotion_id());
        if let Some(p) = &mut self.roles.promotion {
            p.id = id;
        }
        if answers.len() >= maj {
            answers.sort_unstable();
            let won = tc.saturating_add(answers[maj - 1]);
            if let Some(p) = &mut self.roles.promotion {
                p.candidate = Some(c);
            }
            self.log(Some(c), "election_started", || {
                format!(
                    "term {term}: node {c} stands first; {} of {} votes",
                    answers.len(),
                    voters.len()
                )
            });
            self.after(won, Phase::Normal, Ev::Takeover { promotion: id });
        } else {
            self.log(Some(c), "election_started", || {
                format!(
                    "term {term}: split vote ({} rivals), no majority; a new term follows",
                    rivals
                )
            });
            self.after(tc, Phase::Normal, Ev::RaftRound { promotion: id });
        }
    }

    pub(super) fn on_raft_round(&mut self, id: u32) {
        if self
            .roles
            .promotion
            .as_ref()
            .is_some_and(|p| p.id == id && p.candidate.is_none())
        {
            self.raft_round();
        }
    }

    /// With raft, a master that no longer has a majority running and
    /// reachable steps down; an election waits for the quorum to return.
    pub(super) fn raft_check_majority(&mut self) {
        if self.sc.election.algorithm != crate::scenario::ElectionAlgorithm::Raft
            || self.sc.architecture != crate::scenario::Architecture::AsymmetricCluster
        {
            return;
        }
        let Some(l) = self.leader() else { return };
        if !self.nodes[l as usize].reachable() || self.voters().len() >= self.majority() {
            return;
        }
        self.nodes[l as usize].role = Role::Follower;
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
