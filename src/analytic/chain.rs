//! The CTMC of a role-based architecture (standby, master-slave, asymmetric
//! cluster) with instant detection: its states, their transitions and which
//! states are up. This is a second, independent statement of SPEC §2's
//! promotion rules, written as state → successors, so that the simulator
//! can be checked against it.

use super::{Rate, Rates, MAX_STATES};
use crate::scenario::{Architecture, Promotion, Route, Scenario};

pub(super) const UP: u8 = 0;
pub(super) const DOWN: u8 = 1;
pub(super) const GONE: u8 = 2;
/// Added to a node's own state while a crash domain stops it (SPEC §7,
/// `domains.rs`): such a node is not running, and its own events are
/// handled by the domain chain.
pub(super) const STOP: u8 = 4;
/// Added while a new machine that took the id under a stop has not yet
/// come back (SPEC §7): it returns as replaced, and the operator sees no
/// primary in it.
pub(super) const REPL: u8 = 8;

const LEADER: u8 = 0;
const FOLLOWER: u8 = 1;
const VACANT: u8 = 2;

/// A promotion: none, waiting for a candidate, or a candidate starting its
/// service (cold standby) or being switched to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Promo {
    None,
    Waiting,
    Starting(u8),
    Switching(u8),
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct State {
    pub(super) life: Vec<u8>,
    role: Vec<u8>,
    /// Where a standby or master-slave dispatcher sends primary traffic.
    dispatch: Option<u8>,
    promo: Promo,
    /// Operator flows alerted and not yet acted on.
    ops: u8,
    /// SPEC §7 `nodes.crews`: down nodes waiting for a crew, in arrival
    /// order (a down node not listed is being repaired).
    queue: Vec<u8>,
}

/// The most operator flows pending at once that the chain keeps apart; a
/// flow beyond it is dropped (and the result marked as truncated). Several
/// pending flows need several primary failures within one operator delay.
pub const MAX_PENDING_OPERATORS: u8 = 5;

pub(super) struct Rules<'a> {
    sc: &'a Scenario,
    r: &'a Rates,
    truncated: std::cell::Cell<bool>,
}

impl Rules<'_> {
    fn arch(&self) -> Architecture {
        self.sc.architecture
    }

    pub(super) fn is_leader(&self, s: &State, i: usize) -> bool {
        s.role[i] == LEADER
    }

    fn leader(s: &State) -> Option<usize> {
        s.role.iter().position(|&r| r == LEADER)
    }

    fn begin_promotion(&self, s: &mut State) {
        if let Some(l) = Self::leader(s) {
            s.role[l] = if s.life[l] == UP { FOLLOWER } else { VACANT };
        }
        s.promo = Promo::Waiting;
        self.choose(s);
    }

    /// The lowest-id running follower becomes the candidate.
    fn choose(&self, s: &mut State) {
        if s.promo != Promo::Waiting {
            return;
        }
        if let Some(c) = (0..s.life.len()).find(|&i| s.life[i] == UP && s.role[i] == FOLLOWER) {
            s.promo = Promo::Starting(c as u8);
            self.advance(s);
        }
    }

    /// Skips the promotion phases that take no time.
    fn advance(&self, s: &mut State) {
        if let Promo::Starting(c) = s.promo {
            if self.arch() != Architecture::ColdStandby || self.r.start == Rate::Instant {
                s.promo = Promo::Switching(c);
            }
        }
        if let Promo::Switching(c) = s.promo {
            if self.r.switch == Rate::Instant {
                self.take_over(s, c as usize);
            }
        }
    }

    fn take_over(&self, s: &mut State, c: usize) {
        s.role[c] = LEADER;
        s.dispatch = Some(c as u8);
        s.promo = Promo::None;
    }

    pub(super) fn crash(&self, s: &mut State, i: usize, life: u8) {
        s.life[i] = life;
        if life == DOWN {
            if let Some(c) = self.r.crews {
                let in_repair =
                    (0..s.life.len()).filter(|&j| s.life[j] == DOWN).count() - 1 - s.queue.len();
                if in_repair >= c as usize {
                    s.queue.push(i as u8);
                }
            }
        }
        let was_leader = s.role[i] == LEADER;
        if matches!(s.promo, Promo::Starting(c) | Promo::Switching(c) if c as usize == i) {
            s.promo = Promo::Waiting; // abandoned
            self.choose(s);
        }
        // Instant detection: the leader's failure is seen at once.
        if was_leader {
            self.leader_lost(s);
        }
    }

    /// The leader is lost (a crash, or a permanent failure while a domain
    /// has it stopped): alert the operator or start the promotion.
    pub(super) fn leader_lost(&self, s: &mut State) {
        match self.sc.failover.promotion {
            Promotion::Automatic => self.begin_promotion(s),
            Promotion::Manual => {
                if self.r.operator == Rate::Instant {
                    self.operator_acts(s);
                } else if s.ops < MAX_PENDING_OPERATORS {
                    s.ops += 1;
                } else {
                    self.truncated.set(true);
                }
            }
            Promotion::None => {}
        }
    }

    pub(super) fn back(&self, s: &mut State, i: usize, replaced: bool) {
        let replaced = replaced || s.life[i] & REPL != 0;
        s.life[i] = UP;
        if !replaced && !s.queue.is_empty() {
            // Its crew starts on the first waiting node.
            s.queue.remove(0);
        }
        match s.role[i] {
            VACANT => s.role[i] = FOLLOWER,
            LEADER if replaced => {
                if self.sc.failover.promotion == Promotion::None {
                    s.dispatch = Some(i as u8);
                } else {
                    s.role[i] = FOLLOWER;
                }
            }
            _ => {}
        }
        // Instant detection: marked up now; a waiting promotion takes it.
        self.choose(s);
    }

    fn operator_acts(&self, s: &mut State) {
        if s.promo != Promo::None {
            return;
        }
        let promote = match Self::leader(s) {
            None => true,
            Some(l) if self.arch().health_checked() => s.life[l] != UP,
            Some(l) => s.life[l] & !STOP == GONE || s.life[l] & REPL != 0,
        };
        if promote {
            self.begin_promotion(s);
        }
    }

    /// Every transition out of `s`: (rate per ns, next state).
    pub(super) fn successors(&self, s: &State) -> Vec<(f64, State)> {
        let mut out = Vec::new();
        let mut push = |rate: f64, f: &dyn Fn(&mut State)| {
            if rate > 0.0 {
                let mut t = s.clone();
                f(&mut t);
                out.push((rate, t));
            }
        };
        for i in 0..s.life.len() {
            if s.life[i] & STOP != 0 {
                continue; // domains.rs moves a stopped node
            }
            let (fail, p) = (self.r.fail[i], self.r.permanent[i]);
            match s.life[i] & !REPL {
                UP => {
                    push(fail * (1.0 - p), &|t| self.crash(t, i, DOWN));
                    push(fail * p, &|t| self.crash(t, i, GONE));
                }
                DOWN if s.queue.contains(&(i as u8)) => {}
                DOWN => push(self.r.repair[i], &|t| self.back(t, i, false)),
                _ => push(self.r.replace[i], &|t| self.back(t, i, true)),
            }
        }
        if let Rate::Per(w) = self.r.operator {
            push(w * f64::from(s.ops), &|t| {
                t.ops -= 1;
                self.operator_acts(t)
            });
        }
        match (s.promo, self.r.start, self.r.switch) {
            (Promo::Starting(c), Rate::Per(b), _) => push(b, &|t| {
                t.promo = Promo::Switching(c);
                self.advance(t)
            }),
            (Promo::Switching(c), _, Rate::Per(sg)) => push(sg, &|t| self.take_over(t, c as usize)),
            _ => {}
        }
        out
    }

    /// SPEC §3: every class has, among the nodes it is routed to, one that
    /// serves (running, in a serving role).
    pub(super) fn is_up(&self, s: &State) -> bool {
        let n = s.life.len();
        let serves = |i: usize| {
            s.life[i] == UP
                && (s.role[i] == LEADER || (s.role[i] == FOLLOWER && self.arch().followers_serve()))
        };
        let followers = |healthy: bool| {
            (0..n).filter(move |&i| s.role[i] == FOLLOWER && (!healthy || s.life[i] == UP))
        };
        let leader = Self::leader(s);
        // ZooKeeper's pause: no master known (instant detection: none
        // running), every class waits.
        if self.arch() == Architecture::AsymmetricCluster
            && self.sc.election.pause
            && leader.is_none_or(|l| s.life[l] != UP)
        {
            return false;
        }
        self.sc.dispatch.classes.iter().all(|c| {
            let set: Vec<usize> = match self.arch() {
                Architecture::ColdStandby | Architecture::WarmStandby => {
                    s.dispatch.map(usize::from).into_iter().collect()
                }
                Architecture::MasterSlave => {
                    let dl = s.dispatch.map(usize::from);
                    let slaves: Vec<usize> = followers(false).collect();
                    match c.route {
                        Route::Master => dl.into_iter().collect(),
                        Route::Slave if !slaves.is_empty() => slaves,
                        Route::Slave => dl.into_iter().collect(),
                        Route::Any => (0..n)
                            .filter(|&i| s.life[i] == UP && s.role[i] != VACANT)
                            .collect(),
                    }
                }
                Architecture::AsymmetricCluster => {
                    let master = leader.filter(|&l| s.life[l] == UP);
                    match c.route {
                        Route::Master => master.into_iter().collect(),
                        Route::Slave => followers(true).collect(),
                        Route::Any => master.into_iter().chain(followers(true)).collect(),
                    }
                }
                Architecture::SymmetricCluster => (0..n).filter(|&i| s.life[i] == UP).collect(),
            };
            set.into_iter().any(serves)
        })
    }
}

/// The chain's transitions (per ns) and which states are up, by breadth-first
/// search from "every node up, node 0 primary".
/// The chain: transitions, which states are up, and whether operator flows
/// were truncated.
pub type Chain = (Vec<Vec<(usize, f64)>>, Vec<bool>, bool);

pub fn build(sc: &Scenario, rates: &Rates) -> Result<Chain, String> {
    let (rules, start) = rules(sc, rates);
    let (states, q) = super::solve::explore(start, MAX_STATES, |s| rules.successors(s))
        .ok_or_else(|| format!("the chain has more than {MAX_STATES} states"))?;
    let up = states.iter().map(|s| rules.is_up(s)).collect();
    Ok((q, up, rules.truncated.get()))
}

/// The rules and the first state ("every node up, node 0 primary"), for the
/// product with domain states in `domains.rs`.
pub(super) fn rules<'a>(sc: &'a Scenario, rates: &'a Rates) -> (Rules<'a>, State) {
    let n = sc.nodes.count as usize;
    let mut role = vec![FOLLOWER; n];
    role[0] = LEADER;
    let start = State {
        life: vec![UP; n],
        role,
        dispatch: Some(0),
        promo: Promo::None,
        ops: 0,
        queue: Vec::new(),
    };
    let rules = Rules {
        sc,
        r: rates,
        truncated: std::cell::Cell::new(false),
    };
    (rules, start)
}

impl Rules<'_> {
    /// Whether an operator flow beyond the limit was dropped.
    pub(super) fn truncated(&self) -> bool {
        self.truncated.get()
    }
}
