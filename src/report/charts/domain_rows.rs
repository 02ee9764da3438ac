//! SPEC §7 on the timeline: nodes grouped under their failure domain, a row
//! per domain and one for the dispatcher, and the intervals each of them was
//! down in the first replication (from `Outcome::domain_changes`, recorded
//! at each change). Used only when the scenario declares a domain or a
//! dispatcher; otherwise the timeline is drawn as before.

use crate::metrics::domain_trace::{CUT_ROW, DISPATCHER_ROW};
use crate::montecarlo::Outcome;
use crate::scenario::{Effect, Scenario};

/// What a row of the grouped timeline shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    Service,
    /// Some dispatcher is active (or none is).
    Dispatcher,
    /// A domain's own state, the label of the nodes grouped under it.
    Domain(u32),
    Node(u32),
}

/// Whether the timeline groups rows by domain.
pub fn grouped(sc: &Scenario) -> bool {
    !sc.domains.is_empty() || sc.dispatcher.is_some()
}

/// Every node a domain contains, transitively, ignoring `hit`, sorted.
pub fn contained(sc: &Scenario, d: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut stack = vec![d];
    let mut seen = vec![false; sc.domains.len()];
    while let Some(x) = stack.pop() {
        if std::mem::replace(&mut seen[x as usize], true) {
            continue;
        }
        let spec = &sc.domains[x as usize];
        out.extend(&spec.nodes);
        stack.extend(&spec.children);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The domain each node is listed under: among the crash domains naming
/// it as a direct member, the smallest (fewest nodes, transitively), the
/// first declared on ties; a node in no crash domain goes under the first
/// domain naming it, and a node in none under no domain.
pub fn home(sc: &Scenario) -> Vec<Option<u32>> {
    let size: Vec<usize> = (0..sc.domains.len() as u32)
        .map(|d| contained(sc, d).len())
        .collect();
    (0..sc.nodes.count)
        .map(|n| {
            let direct = || {
                sc.domains
                    .iter()
                    .enumerate()
                    .filter(move |(_, d)| d.nodes.contains(&n))
            };
            direct()
                .filter(|(_, d)| d.effect == Effect::Crash)
                .min_by_key(|(i, _)| (size[*i], *i))
                .or_else(|| direct().next())
                .map(|(i, _)| i as u32)
        })
        .collect()
}

/// The rows, top to bottom: the service, the dispatcher (if there is one),
/// then each domain in declaration order followed by the nodes listed under
/// it (by id), then the nodes under no domain.
pub fn layout(sc: &Scenario) -> Vec<RowKind> {
    let mut rows = vec![RowKind::Service];
    let has_dispatcher = sc.dispatcher.is_some() || sc.domains.iter().any(|d| d.dispatcher);
    if has_dispatcher {
        rows.push(RowKind::Dispatcher);
    }
    let home = home(sc);
    for d in 0..sc.domains.len() as u32 {
        rows.push(RowKind::Domain(d));
        rows.extend(
            (0..sc.nodes.count)
                .filter(|&n| home[n as usize] == Some(d))
                .map(RowKind::Node),
        );
    }
    rows.extend(
        (0..sc.nodes.count)
            .filter(|&n| home[n as usize].is_none())
            .map(RowKind::Node),
    );
    rows
}

/// A row's label.
pub fn label(sc: &Scenario, row: RowKind) -> String {
    match row {
        RowKind::Service => "service".into(),
        RowKind::Dispatcher => "dispatcher".into(),
        RowKind::Domain(d) => {
            let spec = &sc.domains[d as usize];
            format!("{} ({})", spec.name, spec.kind)
        }
        RowKind::Node(n) => format!("node {n}"),
    }
}

/// The down intervals [start, end) in ns of the first replication, for a
/// domain (`Some(d)`) or the dispatcher (`None`), clipped to the horizon.
/// After a cut record nothing is known: an open interval ends at the cut.
pub fn down_intervals(sc: &Scenario, o: &Outcome, which: Option<u32>) -> Vec<(u64, u64)> {
    let row = which.unwrap_or(DISPATCHER_ROW);
    let horizon = sc.horizon_ns();
    let mut out = Vec::new();
    let mut since = None;
    for c in &o.domain_changes {
        if c.row == CUT_ROW {
            if let Some(s) = since.take() {
                out.push((s, c.time_ns.min(horizon)));
            }
            return out;
        }
        if c.row != row {
            continue;
        }
        match (c.down, since) {
            (true, None) => since = Some(c.time_ns),
            (false, Some(s)) => {
                if c.time_ns > s {
                    out.push((s, c.time_ns.min(horizon)));
                }
                since = None;
            }
            _ => {}
        }
    }
    if let Some(s) = since {
        if horizon > s {
            out.push((s, horizon));
        }
    }
    out
}

/// Where the domain record was cut (too many changes), if it was.
pub fn cut_at(o: &Outcome) -> Option<u64> {
    o.domain_changes
        .iter()
        .find(|c| c.row == CUT_ROW)
        .map(|c| c.time_ns)
}
