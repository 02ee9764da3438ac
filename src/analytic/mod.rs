//! Exact uptime from a continuous-time Markov chain (`hasim check --analytic`).
//!
//! Where a scenario's times are exponential (failure, repair, replacement,
//! operator, start, switch; a fixed 0 counts as instant) and detection is
//! instant (`heartbeat = "0s"`), the node and role states form a CTMC. This
//! module builds it from an independent implementation of the rules of
//! SPEC §2 (`chain.rs`), enumerates the reachable states, solves πQ = 0 and
//! sums π over the states where the service is up. A symmetric cluster's
//! nodes are independent, so its uptime is 1 − (1 − A)^n with A from one
//! node's chain. Failure domains and dispatchers (SPEC §7) enter through
//! `domains.rs`: a product with the dispatchers' chain, a sum over domain
//! states for symmetric clusters, a joint chain with the roles otherwise.
//! Scenarios outside that reach are named, with the reasons.

mod chain;
pub mod crews;
mod domains;
pub mod solve;

use crate::scenario::{Architecture, Dist, Scenario};

/// The stationary uptime, or why it cannot be computed exactly.
#[derive(Clone, Debug, PartialEq)]
pub enum Analytic {
    Exact {
        uptime: f64,
        states: usize,
        method: &'static str,
    },
    Outside(Vec<String>),
}

/// The most states the dense solver takes.
pub const MAX_STATES: usize = 3_000;

/// A delay's rate per nanosecond, or instant (a fixed 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rate {
    Instant,
    Per(f64),
}

fn rate(what: &str, d: &Dist, reasons: &mut Vec<String>) -> Rate {
    match d {
        Dist::Fixed(0) => Rate::Instant,
        Dist::Exponential { mean_ns } => Rate::Per(1.0 / mean_ns),
        other => {
            reasons.push(format!(
                "{what} is {}, not exponential (or a fixed 0)",
                describe(other)
            ));
            Rate::Instant
        }
    }
}

fn describe(d: &Dist) -> String {
    use crate::sim::time::human;
    match *d {
        Dist::Fixed(v) => format!("fixed {}", human(v)),
        Dist::Exponential { .. } => "exponential".into(),
        Dist::Uniform { .. } => "uniform".into(),
        Dist::LogNormal { .. } => "log-normal".into(),
        Dist::Weibull { .. } => "Weibull".into(),
    }
}

/// A time that must be a positive exponential (failures, repairs).
fn positive(what: &str, d: Option<&Dist>, reasons: &mut Vec<String>) -> f64 {
    match d.map(|d| rate(what, d, reasons)) {
        Some(Rate::Per(r)) => r,
        Some(Rate::Instant) if !reasons.iter().any(|r| r.starts_with(what)) => {
            reasons.push(format!(
                "{what} is instant: the chain needs a positive exponential time"
            ));
            0.0
        }
        _ => 0.0,
    }
}

/// The rates of one scenario, per nanosecond; node laws per node (SPEC §7
/// `[[nodes.override]]`).
#[derive(Clone, Debug)]
pub struct Rates {
    pub fail: Vec<f64>,
    pub repair: Vec<f64>,
    pub replace: Vec<f64>,
    pub permanent: Vec<f64>,
    pub operator: Rate,
    pub start: Rate,
    pub switch: Rate,
    /// SPEC §7 `nodes.crews`: repairs at once (None: unlimited).
    pub crews: Option<u32>,
}

fn arch_is_raft(sc: &Scenario) -> bool {
    sc.architecture == Architecture::AsymmetricCluster
        && sc.election.algorithm == crate::scenario::ElectionAlgorithm::Raft
}

/// Solves the scenario's chain, or says why it has none.
pub fn analyse(sc: &Scenario) -> Analytic {
    let mut reasons = Vec::new();
    if sc.detection.heartbeat_ns != 0 {
        reasons.push(format!(
            "heartbeat = {}: detection waits for fixed heartbeat times, which no Markov chain holds; set detection.heartbeat = \"0s\" for the chain",
            crate::sim::time::human(sc.detection.heartbeat_ns)
        ));
    }
    if arch_is_raft(sc) {
        reasons.push("a raft election draws fixed-range timeouts and message delays; the chain models lowest-id".into());
    }
    if !sc.faults.is_empty() {
        reasons.push("scripted [[faults]] happen at fixed times".into());
    }
    // SPEC §7: outside the chain (not yet states of it).
    let gray_or_planned = sc.gray.any() || sc.maintenance.is_some();
    if sc.gray.any() {
        reasons.push(
            "random gray faults (nodes.hang, nodes.slow, nodes.partition) are not in the chain"
                .into(),
        );
    }
    if sc.maintenance.is_some() {
        reasons.push("[maintenance] rounds happen at fixed times".into());
    }
    // SPEC §7: domains and dispatchers (None without them).
    let shared = domains::check(sc, &mut reasons);
    if shared.is_some() && (sc.nodes.crews.is_some() || !sc.nodes.uniform()) {
        reasons.push("repair crews and [[nodes.override]] are not in the chain of domains and dispatchers yet".into());
        return Analytic::Outside(reasons);
    }
    if gray_or_planned && !sc.nodes.any_failure() && shared.is_none() {
        return Analytic::Outside(reasons);
    }
    if !sc.nodes.any_failure() && shared.is_none() {
        return Analytic::Exact {
            uptime: 1.0,
            states: 1,
            method: "no random failures",
        };
    }
    let (fail, repair, replace, p) = crews::node_rates(sc, &mut reasons);
    let arch = sc.architecture;
    let f = &sc.failover;
    let manual = f.promotion == crate::scenario::Promotion::Manual && arch.has_leader();
    let operator = if manual {
        rate("failover.operator", &f.operator, &mut reasons)
    } else {
        Rate::Instant
    };
    let start = if arch == Architecture::ColdStandby {
        rate("failover.start", &f.start, &mut reasons)
    } else {
        Rate::Instant
    };
    let switch = if arch.has_leader() {
        rate("failover.switch", &f.switch, &mut reasons)
    } else {
        Rate::Instant
    };
    if !reasons.is_empty() {
        return Analytic::Outside(reasons);
    }
    let rates = Rates {
        fail,
        repair,
        replace,
        permanent: p,
        operator,
        start,
        switch,
        crews: sc.nodes.crews.filter(|&c| c < sc.nodes.count),
    };
    if arch == Architecture::SymmetricCluster && (rates.crews.is_some() || !sc.nodes.uniform()) {
        return crews::symmetric(&rates);
    }
    let (fail, repair, replace, p) = (
        rates.fail[0],
        rates.repair[0],
        rates.replace[0],
        rates.permanent[0],
    );
    if arch == Architecture::SymmetricCluster {
        // One node: up --λ(1−p)--> down --μ--> up, up --λp--> gone --ρ--> up.
        let down = if p < 1.0 {
            fail * (1.0 - p) / repair
        } else {
            0.0
        };
        let gone = if p > 0.0 { fail * p / replace } else { 0.0 };
        let a = if fail == 0.0 {
            1.0
        } else {
            1.0 / (1.0 + down + gone)
        };
        let n = sc.nodes.count as i32;
        if let Some(sh) = &shared {
            return match sh.graph.symmetric(&vec![a; n as usize]) {
                Ok((u, configs)) => Analytic::Exact {
                    uptime: sh.dispatcher_up * u,
                    states: configs,
                    method: "independent nodes given the domain states and hit sets, times the dispatchers' chain",
                },
                Err(e) => Analytic::Outside(vec![e]),
            };
        }
        return Analytic::Exact {
            uptime: 1.0 - (1.0 - a).powi(n),
            states: 3,
            method: "independent nodes: 1 − (1 − A)^n",
        };
    }
    if sc.nodes.count > 6 {
        return Analytic::Outside(vec![format!(
            "{} nodes: the chain of a role-based architecture is built for at most 6",
            sc.nodes.count
        )]);
    }
    if let Some(sh) = &shared {
        return match sh.graph.roles(sc, &rates) {
            Ok((u, states, truncated)) => Analytic::Exact {
                uptime: sh.dispatcher_up * u,
                states,
                method: if truncated {
                    "joint chain of roles and domain states, times the dispatchers' chain; operator alerts beyond 5 pending at once dropped (a tiny approximation)"
                } else {
                    "joint chain of roles and domain states, times the dispatchers' chain"
                },
            },
            Err(e) => Analytic::Outside(vec![e]),
        };
    }
    match chain::build(sc, &rates) {
        Ok((q, up, truncated)) => {
            let pi = solve::stationary(&q);
            let uptime = pi
                .iter()
                .zip(&up)
                .filter(|(_, u)| **u)
                .map(|(p, _)| p)
                .sum();
            let method = if truncated {
                "continuous-time Markov chain; operator alerts beyond 5 pending at once dropped (a tiny approximation)"
            } else {
                "continuous-time Markov chain"
            };
            Analytic::Exact {
                uptime,
                states: up.len(),
                method,
            }
        }
        Err(e) => Analytic::Outside(vec![e]),
    }
}
