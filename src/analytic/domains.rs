//! Failure domains and the dispatcher in the exact chain (SPEC §7), derived
//! from the words of SPEC §7 (not from `model/domains.rs`):
//!
//! - A domain's own process (exponential failure and repair) runs alone; it
//!   is *down* while its own process has it down or, with `any_of`, while
//!   every listed domain is down. Going down, it hits each direct member
//!   independently with probability `hit` (a hit sub-domain brings all it
//!   contains) and keeps that hit set until it is up again.
//! - A node is running while it is up by itself and no down `crash` domain
//!   hit it; a down `partition` domain cuts its hit content off from what is
//!   outside it (the dispatcher included unless it is inside).
//! - The dispatchers fail and are repaired alone (`dispatcher_uptime`); one
//!   is active, a standby takes over after `takeover` when the active one
//!   fails, and one repaired while none is active (none up, or a takeover
//!   under way) is active at once.
//!
//! Nothing of this depends on the nodes (no crews), so the stationary law is
//! a product: the dispatcher group × the domain configuration (own states and
//! hit sets: the own states are independent two-state chains, and the hit
//! sets are independent Bernoulli marks of each down period) × the nodes
//! given the configuration. In a symmetric cluster the nodes are independent
//! given the configuration, so the uptime is a sum over configurations
//! (`Graph::symmetric`). With roles, a domain's stop acts on promotion like a
//! crash, so the role chain and the configuration form one joint chain
//! (`Graph::roles`): a stop runs `Rules::crash` on a running node (a leader's
//! stop starts its promotion; the stopped node keeps its own failures and
//! repairs; a stopped leader going for good runs `Rules::leader_lost` as a
//! crash would, and a replacement under a stop is marked `REPL`), and the
//! domain's return runs `Rules::back` on each node up by itself, in id
//! order.
//!
//! Crews (`nodes.crews`) would break the product: a repair of a node would
//! then wait for a crew busy on a domain, so the own states of domains and
//! nodes, plus the crew queue in arrival order, must be one joint chain.

use super::chain::{self, DOWN, GONE, REPL, STOP, UP};
use super::{positive, rate, solve, Rate, Rates, MAX_STATES};
use crate::scenario::domains::Effect;
use crate::scenario::{Architecture, Scenario};

/// The most domains with a failure process of their own (2^D own states).
pub const MAX_FAILING_DOMAINS: usize = 16;
/// The most direct members of a domain with `hit` < 1 (2^m hit sets).
pub const MAX_HIT_MEMBERS: usize = 16;
/// The most domain configurations (own states × hit sets) summed over.
pub const MAX_CONFIGS: usize = 1 << 20;

#[derive(Clone, Copy, Debug)]
enum Member {
    Node(usize),
    Domain(usize),
    Dispatcher,
}

/// The domains, as the chain sees them.
pub(super) struct Graph {
    /// (failure, repair) rates of each domain's own process; None = never
    /// fails by itself.
    own: Vec<Option<(f64, f64)>>,
    gate: Vec<Vec<usize>>,
    members: Vec<Vec<Member>>,
    hit: Vec<f64>,
    crash: Vec<bool>,
    /// What each domain contains, transitively: nodes, and the dispatcher.
    content: Vec<(Vec<bool>, bool)>,
    nodes: usize,
}

/// Domains and dispatchers of a scenario, ready for the chain.
pub(super) struct Shared {
    pub(super) graph: Graph,
    /// Stationary probability that a dispatcher is active.
    pub(super) dispatcher_up: f64,
}

/// A domain configuration: own state (down) and hit set of each domain
/// (empty while it is up).
type Config = (Vec<bool>, Vec<Vec<bool>>);

struct Effects {
    stopped: Vec<bool>,
    cut: Vec<bool>,
    dispatcher_stopped: bool,
}

/// The domains and dispatchers of `sc`, or None when it has neither; a law
/// the chain cannot hold adds a reason.
pub(super) fn check(sc: &Scenario, reasons: &mut Vec<String>) -> Option<Shared> {
    if sc.domains.is_empty() && sc.dispatcher.is_none() {
        return None;
    }
    let n = sc.nodes.count as usize;
    let mut own = Vec::new();
    for d in &sc.domains {
        own.push(d.failure.as_ref().map(|f| {
            let what = format!("domain {}: failure", d.name);
            let fail = positive(&what, Some(f), reasons);
            let what = format!("domain {}: repair", d.name);
            (fail, positive(&what, d.repair.as_ref(), reasons))
        }));
    }
    let failing = own.iter().filter(|o| o.is_some()).count();
    if failing > MAX_FAILING_DOMAINS {
        reasons.push(format!(
            "{failing} domains fail by themselves: the chain sums over their 2^{failing} states and takes at most {MAX_FAILING_DOMAINS}"
        ));
    }
    let members: Vec<Vec<Member>> = sc
        .domains
        .iter()
        .map(|d| {
            let nodes = d.nodes.iter().map(|&i| Member::Node(i as usize));
            let subs = d.children.iter().map(|&c| Member::Domain(c as usize));
            let disp = d.dispatcher.then_some(Member::Dispatcher);
            nodes.chain(subs).chain(disp).collect()
        })
        .collect();
    for (d, m) in sc.domains.iter().zip(&members) {
        if d.hit < 1.0 && m.len() > MAX_HIT_MEMBERS {
            reasons.push(format!(
                "domain {} hits each of its {} members with {}: the chain takes at most {MAX_HIT_MEMBERS} members under a partial hit",
                d.name,
                m.len(),
                d.hit
            ));
        }
    }
    let roles = sc.architecture != Architecture::SymmetricCluster;
    if roles && sc.domains.iter().any(|d| d.effect == Effect::Partition) {
        reasons.push("a partition domain with roles: who sees a cut leader and who may be promoted is detection's business (SPEC §8); the chain holds crash domains for role-based architectures".into());
    }
    let mut content: Vec<Option<(Vec<bool>, bool)>> = vec![None; sc.domains.len()];
    for d in 0..sc.domains.len() {
        fill(d, &members, n, &mut content);
    }
    let graph = Graph {
        own,
        gate: sc
            .domains
            .iter()
            .map(|d| d.any_of.iter().map(|&g| g as usize).collect())
            .collect(),
        members,
        hit: sc.domains.iter().map(|d| d.hit).collect(),
        crash: sc
            .domains
            .iter()
            .map(|d| d.effect == Effect::Crash)
            .collect(),
        content: content.into_iter().map(|c| c.expect("filled")).collect(),
        nodes: n,
    };
    let dispatcher_up = dispatcher_uptime(sc, reasons);
    Some(Shared {
        graph,
        dispatcher_up,
    })
}

/// Everything domain `d` contains (the graph is acyclic: validated).
fn fill(d: usize, members: &[Vec<Member>], n: usize, memo: &mut [Option<(Vec<bool>, bool)>]) {
    if memo[d].is_some() {
        return;
    }
    let (mut nodes, mut disp) = (vec![false; n], false);
    for &m in &members[d] {
        match m {
            Member::Node(i) => nodes[i] = true,
            Member::Dispatcher => disp = true,
            Member::Domain(c) => {
                fill(c, members, n, memo);
                let (cn, cd) = memo[c].as_ref().expect("filled");
                nodes.iter_mut().zip(cn).for_each(|(a, b)| *a |= b);
                disp |= cd;
            }
        }
    }
    memo[d] = Some((nodes, disp));
}

/// Stationary probability that one dispatcher is active: the group's own
/// chain over (dispatchers up, active or taking over or none).
fn dispatcher_uptime(sc: &Scenario, reasons: &mut Vec<String>) -> f64 {
    let Some(d) = &sc.dispatcher else { return 1.0 };
    let Some(failure) = &d.failure else {
        return 1.0;
    };
    let fail = positive("dispatcher.failure", Some(failure), reasons);
    let repair = positive("dispatcher.repair", d.repair.as_ref(), reasons);
    let takeover = rate("dispatcher.takeover", &d.takeover, reasons);
    if fail == 0.0 || repair == 0.0 {
        return 1.0; // a reason was pushed
    }
    let k = d.count as usize;
    // States: Active(u) = u − 1 for u in 1..=k (u up, the active one among
    // them); Taking(u) = k + u − 1 for u in 1..k (u standbys up, none
    // active: the takeover runs); None = 2k − 1 (none up). A dispatcher
    // repaired while none is active (none up, or a takeover under way) is
    // active at once: it was the active one, or a standby as ready as the
    // one taking over (the simulator's reading; SPEC §7 does not say).
    let active = |u: usize| u - 1;
    let taking = |u: usize| k + u - 1;
    let none = 2 * k - 1;
    let mut q: Vec<Vec<(usize, f64)>> = vec![Vec::new(); 2 * k];
    for u in 1..=k {
        let s = active(u);
        let after = match (u - 1, takeover) {
            (0, _) => none,
            (v, Rate::Instant) => active(v),
            (v, Rate::Per(_)) => taking(v),
        };
        q[s].push((after, fail));
        if u > 1 {
            q[s].push((active(u - 1), fail * (u - 1) as f64));
        }
        if u < k {
            q[s].push((active(u + 1), repair * (k - u) as f64));
        }
    }
    for u in 1..k {
        let s = taking(u);
        match takeover {
            Rate::Per(t) => {
                q[s].push((active(u), t));
                let fewer = if u == 1 { none } else { taking(u - 1) };
                q[s].push((fewer, fail * u as f64));
                q[s].push((active(u + 1), repair * (k - u) as f64));
            }
            // Never entered with an instant takeover: a way out keeps one
            // closed class for the solver (π = 0 here).
            Rate::Instant => q[s].push((active(u), 1.0)),
        }
    }
    q[none].push((active(1), repair * k as f64));
    let pi = solve::stationary(&q);
    (1..=k).map(|u| pi[active(u)]).sum()
}

impl Graph {
    fn down_one(&self, d: usize, own: &[bool], memo: &mut [Option<bool>]) -> bool {
        if let Some(v) = memo[d] {
            return v;
        }
        let v = own[d]
            || (!self.gate[d].is_empty()
                && self.gate[d].iter().all(|&g| self.down_one(g, own, memo)));
        memo[d] = Some(v);
        v
    }

    /// Which domains are down, from their own states and the gates.
    fn down(&self, own: &[bool]) -> Vec<bool> {
        let mut memo = vec![None; own.len()];
        (0..own.len())
            .map(|d| self.down_one(d, own, &mut memo))
            .collect()
    }

    /// The hit sets a domain going down may draw, with their probabilities.
    fn draws(&self, d: usize) -> Vec<(f64, Vec<bool>)> {
        let m = self.members[d].len();
        let h = self.hit[d];
        if h >= 1.0 {
            return vec![(1.0, vec![true; m])];
        }
        (0u32..1 << m)
            .map(|mask| {
                let set: Vec<bool> = (0..m).map(|k| mask >> k & 1 == 1).collect();
                let p = set.iter().map(|&x| if x { h } else { 1.0 - h }).product();
                (p, set)
            })
            .collect()
    }

    fn effects(&self, down: &[bool], hits: &[Vec<bool>]) -> Effects {
        let n = self.nodes;
        let mut e = Effects {
            stopped: vec![false; n],
            cut: vec![false; n],
            dispatcher_stopped: false,
        };
        for d in (0..down.len()).filter(|&d| down[d]) {
            let (mut nodes, mut disp) = (vec![false; n], false);
            for (&m, _) in self.members[d].iter().zip(&hits[d]).filter(|(_, &h)| h) {
                match m {
                    Member::Node(i) => nodes[i] = true,
                    Member::Dispatcher => disp = true,
                    Member::Domain(c) => {
                        let (cn, cd) = &self.content[c];
                        nodes.iter_mut().zip(cn).for_each(|(a, b)| *a |= b);
                        disp |= cd;
                    }
                }
            }
            if self.crash[d] {
                e.stopped.iter_mut().zip(&nodes).for_each(|(a, b)| *a |= b);
                e.dispatcher_stopped |= disp;
            } else {
                // Cut: one side of the partition holds the node, the
                // other the dispatcher.
                for (c, &inside) in e.cut.iter_mut().zip(&nodes) {
                    *c |= inside != disp;
                }
            }
        }
        e
    }

    /// Uptime of a symmetric cluster whose node i is up by itself with
    /// probability `a[i]`, independently: a sum over configurations. Returns
    /// (uptime, configurations).
    pub(super) fn symmetric(&self, a: &[f64]) -> Result<(f64, usize), String> {
        let failing: Vec<usize> = (0..self.own.len())
            .filter(|&d| self.own[d].is_some())
            .collect();
        let mut total = 0.0;
        let mut configs = 0usize;
        for mask in 0u32..1 << failing.len() {
            let mut own = vec![false; self.own.len()];
            let mut w = 1.0;
            for (k, &d) in failing.iter().enumerate() {
                let (f, r) = self.own[d].expect("failing");
                let q = f / (f + r);
                own[d] = mask >> k & 1 == 1;
                w *= if own[d] { q } else { 1.0 - q };
            }
            let down = self.down(&own);
            let mut hits = vec![Vec::new(); own.len()];
            total += w * self.sum_hits(0, &down, &mut hits, a, &mut configs)?;
        }
        Ok((total, configs))
    }

    /// Σ over the hit sets of the down domains from `d` on of P(hits) ·
    /// P(up | configuration).
    fn sum_hits(
        &self,
        d: usize,
        down: &[bool],
        hits: &mut Vec<Vec<bool>>,
        a: &[f64],
        configs: &mut usize,
    ) -> Result<f64, String> {
        if d == down.len() {
            *configs += 1;
            if *configs > MAX_CONFIGS {
                return Err(format!(
                    "more than {MAX_CONFIGS} domain configurations (own states × hit sets)"
                ));
            }
            let e = self.effects(down, hits);
            if e.dispatcher_stopped {
                return Ok(0.0);
            }
            let none = (0..self.nodes)
                .filter(|&i| !e.stopped[i] && !e.cut[i])
                .map(|i| 1.0 - a[i])
                .product::<f64>();
            return Ok(1.0 - none);
        }
        if !down[d] {
            return self.sum_hits(d + 1, down, hits, a, configs);
        }
        let mut sum = 0.0;
        for (p, set) in self.draws(d) {
            hits[d] = set;
            sum += p * self.sum_hits(d + 1, down, hits, a, configs)?;
        }
        hits[d] = Vec::new();
        Ok(sum)
    }

    /// The joint chain of the roles (`chain.rs`) and the domain
    /// configuration, for crash domains. Returns (P(up), states, truncated).
    pub(super) fn roles(&self, sc: &Scenario, rates: &Rates) -> Result<(f64, usize, bool), String> {
        let (rules, start) = chain::rules(sc, rates);
        let nd = self.own.len();
        let first: (Config, chain::State) = ((vec![false; nd], vec![Vec::new(); nd]), start);
        let (states, q) = solve::explore(first, MAX_STATES, |s| self.successors(&rules, s, rates))
            .ok_or_else(|| {
                format!("the chain of roles × domain states has more than {MAX_STATES} states")
            })?;
        let pi = solve::stationary(&q);
        let up: f64 = states
            .iter()
            .zip(&pi)
            .filter(|(((own, hits), s), _)| {
                !self.effects(&self.down(own), hits).dispatcher_stopped && rules.is_up(s)
            })
            .map(|(_, p)| p)
            .sum();
        Ok((up, states.len(), rules.truncated()))
    }

    /// Every transition of the joint chain out of (configuration, roles).
    fn successors(
        &self,
        rules: &chain::Rules,
        (cfg, s): &(Config, chain::State),
        r: &Rates,
    ) -> Vec<(f64, (Config, chain::State))> {
        let mut out: Vec<(f64, (Config, chain::State))> = rules
            .successors(s)
            .into_iter()
            .map(|(rate, t)| (rate, (cfg.clone(), t)))
            .collect();
        // A stopped node's own failures and repairs go on, without a word
        // to the roles (its stop already counted as a crash), except that a
        // leader failing for good is lost again (the operator is alerted as
        // at a crash), and a replacement is marked to return as such.
        for i in 0..s.life.len() {
            if s.life[i] & STOP == 0 {
                continue;
            }
            let repl = s.life[i] & REPL;
            let p = r.permanent[i];
            let mut to = |rate: f64, life: u8| {
                if rate > 0.0 {
                    let mut t = s.clone();
                    t.life[i] = life | STOP;
                    if life & !REPL == GONE && rules.is_leader(&t, i) {
                        rules.leader_lost(&mut t);
                    }
                    out.push((rate, (cfg.clone(), t)));
                }
            };
            match s.life[i] & !(STOP | REPL) {
                UP => {
                    to(r.fail[i] * (1.0 - p), DOWN | repl);
                    to(r.fail[i] * p, GONE | repl);
                }
                DOWN => to(r.repair[i], UP | repl),
                _ => to(r.replace[i], UP | REPL),
            }
        }
        // A domain's own failure or repair.
        let (own, hits) = cfg;
        let before = self.down(own);
        let was = self.effects(&before, hits);
        for d in 0..own.len() {
            let Some((f, rep)) = self.own[d] else {
                continue;
            };
            let mut own2 = own.clone();
            own2[d] = !own[d];
            let rate = if own[d] { rep } else { f };
            let after = self.down(&own2);
            // Hit sets: kept while down, cleared when up, drawn when going down.
            let mut sets: Vec<(f64, Vec<Vec<bool>>)> = vec![(rate, hits.clone())];
            for e in 0..after.len() {
                if after[e] && !before[e] {
                    sets = sets
                        .into_iter()
                        .flat_map(|(w, h)| {
                            self.draws(e).into_iter().map(move |(p, set)| {
                                let mut h = h.clone();
                                h[e] = set;
                                (w * p, h)
                            })
                        })
                        .collect();
                } else if !after[e] {
                    sets.iter_mut().for_each(|(_, h)| h[e] = Vec::new());
                }
            }
            for (w, hits2) in sets {
                let now = self.effects(&after, &hits2);
                let mut t = s.clone();
                for i in 0..self.nodes {
                    if now.stopped[i] && !was.stopped[i] {
                        if t.life[i] == UP {
                            rules.crash(&mut t, i, UP | STOP);
                        } else {
                            t.life[i] |= STOP;
                        }
                    }
                }
                for i in 0..self.nodes {
                    if was.stopped[i] && !now.stopped[i] {
                        t.life[i] &= !STOP;
                        if t.life[i] & !REPL == UP {
                            rules.back(&mut t, i, false);
                        }
                    }
                }
                if w > 0.0 {
                    out.push((w, ((own2.clone(), hits2), t)));
                }
            }
        }
        out
    }
}
