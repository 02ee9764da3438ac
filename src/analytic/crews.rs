//! SPEC §7 per-node detail in the exact chain: each node's own rates
//! (`[[nodes.override]]`) and repair crews (`nodes.crews`) that couple the
//! nodes. Role-based architectures carry the crew queue in `chain.rs`'s
//! state; this file holds the per-node rates and the symmetric cluster,
//! whose nodes are independent only without crews.
//!
//! With crews, a symmetric cluster of identical nodes is a chain on counts
//! (down, gone): a birth–death chain with repair rate μ·min(d, c) when no
//! failure is permanent. Nodes that differ need the order of the repair
//! queue in the state (which node a free crew takes next), so the state is
//! each node's life plus the queue, bounded by `MAX_STATES`.

use super::{positive, Analytic, Rates, MAX_STATES};
use crate::scenario::Scenario;

/// Per node: failure, repair and replacement rates (per ns; 0 = never) and
/// the permanent share.
pub type NodeRates = (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>);

/// Each node's rates; a law that is not exponential adds a reason (once).
pub(super) fn node_rates(sc: &Scenario, reasons: &mut Vec<String>) -> NodeRates {
    let nodes = &sc.nodes;
    let n = nodes.count as usize;
    let mut laws: Vec<Option<(f64, f64, f64, f64)>> = vec![None; nodes.overrides.len() + 1];
    let mut out: NodeRates = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for i in 0..n {
        let k = match nodes.override_of.get(i) {
            Some(&j) if j != u32::MAX => j as usize + 1,
            _ => 0,
        };
        let law = *laws[k].get_or_insert_with(|| law_rates(sc, i as u32, k, reasons));
        out.0[i] = law.0;
        out.1[i] = law.1;
        out.2[i] = law.2;
        out.3[i] = law.3;
    }
    let mut seen = std::collections::BTreeSet::new();
    reasons.retain(|r| seen.insert(r.clone()));
    out
}

/// The rates of node `node`, whose law is `[nodes]` (k = 0) or override
/// k − 1; reasons name the key each value comes from.
fn law_rates(
    sc: &Scenario,
    node: u32,
    k: usize,
    reasons: &mut Vec<String>,
) -> (f64, f64, f64, f64) {
    let nodes = &sc.nodes;
    let o = k.checked_sub(1).map(|j| &nodes.overrides[j]);
    let key = |field: &str, own: bool| {
        if own {
            format!("nodes.override[{}].{field}", k - 1)
        } else {
            format!("nodes.{field}")
        }
    };
    let Some(failure) = nodes.failure_of(node) else {
        return (0.0, 0.0, 0.0, 0.0);
    };
    let fail = positive(
        &key("failure", o.is_some_and(|o| o.failure.is_some())),
        Some(failure),
        reasons,
    );
    let p = nodes.permanent_of(node);
    let repair = if p < 1.0 {
        positive(
            &key("repair", o.is_some_and(|o| o.repair.is_some())),
            nodes.repair_of(node),
            reasons,
        )
    } else {
        0.0
    };
    let replace = if p > 0.0 {
        positive(
            &key("replace", o.is_some_and(|o| o.replace.is_some())),
            nodes.replace_of(node),
            reasons,
        )
    } else {
        0.0
    };
    (fail, repair, replace, p)
}

/// A symmetric cluster (up while any node runs) whose nodes differ or
/// share repair crews.
pub(super) fn symmetric(r: &Rates) -> Analytic {
    let n = r.fail.len();
    let Some(c) = r.crews else {
        // Independent nodes: each is up with A_i = 1 / (1 + λ(1−p)/μ + λp/ρ).
        let all_down: f64 = (0..n).map(|i| 1.0 - availability(r, i)).product();
        return Analytic::Exact {
            uptime: 1.0 - all_down,
            states: 3,
            method: "independent nodes: 1 − Π(1 − A_i)",
        };
    };
    let same = (1..n).all(|i| {
        (r.fail[i], r.repair[i], r.replace[i], r.permanent[i])
            == (r.fail[0], r.repair[0], r.replace[0], r.permanent[0])
    });
    if same && r.permanent[0] == 0.0 {
        return Analytic::Exact {
            uptime: birth_death_uptime(n, c as usize, r.fail[0], r.repair[0], 1),
            states: n + 1,
            method: "birth–death chain on the nodes down, repairs at μ·min(down, crews)",
        };
    }
    if same {
        return counts(n, c as usize, r);
    }
    ordered(r, c as usize)
}

fn availability(r: &Rates, i: usize) -> f64 {
    let (l, p) = (r.fail[i], r.permanent[i]);
    if l == 0.0 {
        return 1.0;
    }
    let down = if p < 1.0 {
        l * (1.0 - p) / r.repair[i]
    } else {
        0.0
    };
    let gone = if p > 0.0 { l * p / r.replace[i] } else { 0.0 };
    1.0 / (1.0 + down + gone)
}

/// n identical nodes, failure rate λ, repair rate μ, c crews: the share of
/// time with at least `need` nodes up. π_d ∝ Π_{j<d} (n − j)λ / (min(j+1, c)μ).
pub fn birth_death_uptime(n: usize, c: usize, lambda: f64, mu: f64, need: usize) -> f64 {
    let mut pi = vec![1.0];
    for d in 0..n {
        let next = pi[d] * (n - d) as f64 * lambda / ((d + 1).min(c) as f64 * mu);
        pi.push(next);
    }
    let total: f64 = pi.iter().sum();
    pi.iter()
        .enumerate()
        .filter(|(d, _)| n - d >= need)
        .map(|(_, p)| p / total)
        .sum()
}

/// Identical nodes with permanent failures: the chain on (down, gone).
fn counts(n: usize, c: usize, r: &Rates) -> Analytic {
    let (l, p, mu, rho) = (r.fail[0], r.permanent[0], r.repair[0], r.replace[0]);
    let size = (n + 1) * (n + 2) / 2;
    if size > MAX_STATES {
        return Analytic::Outside(vec![format!(
            "{n} nodes with crews and permanent failures: the chain on (down, gone) has {size} states, more than {MAX_STATES}"
        )]);
    }
    let index = |d: usize, g: usize| (d + g) * (d + g + 1) / 2 + g;
    let mut q = vec![Vec::new(); size];
    let mut up = vec![false; size];
    for d in 0..=n {
        for g in 0..=n - d {
            let i = index(d, g);
            let running = n - d - g;
            up[i] = running >= 1;
            let mut out = Vec::new();
            if running > 0 {
                out.push((index(d + 1, g), running as f64 * l * (1.0 - p)));
                out.push((index(d, g + 1), running as f64 * l * p));
            }
            if d > 0 {
                out.push((index(d - 1, g), d.min(c) as f64 * mu));
            }
            if g > 0 {
                out.push((index(d, g - 1), g as f64 * rho));
            }
            out.retain(|&(_, rate)| rate > 0.0);
            q[i] = out;
        }
    }
    solved(
        &q,
        &up,
        "chain on the nodes down and gone, repairs at μ·min(down, crews)",
    )
}

const UP: u8 = 0;
const DOWN: u8 = 1;
const GONE: u8 = 2;

/// Nodes that differ, with crews: each node's life and the queue order.
fn ordered(r: &Rates, c: usize) -> Analytic {
    let n = r.fail.len();
    type S = (Vec<u8>, Vec<u8>);
    let start: S = (vec![UP; n], Vec::new());
    let explored = super::solve::explore(start, MAX_STATES, |st: &S| {
        let (life, queue) = st.clone();
        let mut next: Vec<(f64, S)> = Vec::new();
        let in_repair = |j: usize| life[j] == DOWN && !queue.contains(&(j as u8));
        let busy = (0..n).filter(|&j| in_repair(j)).count();
        for i in 0..n {
            let (l, p) = (r.fail[i], r.permanent[i]);
            match life[i] {
                UP => {
                    let (mut lf, mut qu) = (life.clone(), queue.clone());
                    lf[i] = DOWN;
                    if busy >= c {
                        qu.push(i as u8);
                    }
                    next.push((l * (1.0 - p), (lf, qu)));
                    let mut lf = life.clone();
                    lf[i] = GONE;
                    next.push((l * p, (lf, queue.clone())));
                }
                DOWN if in_repair(i) => {
                    let (mut lf, mut qu) = (life.clone(), queue.clone());
                    lf[i] = UP;
                    if !qu.is_empty() {
                        qu.remove(0);
                    }
                    next.push((r.repair[i], (lf, qu)));
                }
                DOWN => {}
                _ => {
                    let mut lf = life.clone();
                    lf[i] = UP;
                    next.push((r.replace[i], (lf, queue.clone())));
                }
            }
        }
        next.retain(|(rate, _)| *rate > 0.0);
        next
    });
    let Some((states, q)) = explored else {
        return Analytic::Outside(vec![format!(
            "{n} nodes that differ, with {c} repair crew{}: the chain must hold the order of the repair queue and has more than {MAX_STATES} states",
            if c == 1 { "" } else { "s" }
        )]);
    };
    let up: Vec<bool> = states.iter().map(|(l, _)| l.contains(&UP)).collect();
    solved(
        &q,
        &up,
        "continuous-time Markov chain on each node's life and the repair queue's order",
    )
}

fn solved(q: &[Vec<(usize, f64)>], up: &[bool], method: &'static str) -> Analytic {
    let pi = super::solve::stationary(q);
    Analytic::Exact {
        uptime: pi.iter().zip(up).filter(|(_, u)| **u).map(|(p, _)| p).sum(),
        states: up.len(),
        method,
    }
}

#[cfg(test)]
mod tests {
    use super::birth_death_uptime;

    #[test]
    fn two_nodes_one_crew_by_hand() {
        // π0 : π1 : π2 = 1 : 2λ/μ : 2λ²/μ² with one crew; λ = 1, μ = 2:
        // 1 : 1 : 0.5, so both down 0.5 / 2.5 = 0.2.
        assert!((birth_death_uptime(2, 1, 1.0, 2.0, 1) - 0.8).abs() < 1e-15);
        // Two crews: independent nodes, A = 2/3, 1 − (1/3)².
        assert!((birth_death_uptime(2, 2, 1.0, 2.0, 1) - 8.0 / 9.0).abs() < 1e-15);
    }
}
