//! SPEC §7 attribution: the root component of each outage, named for
//! people (`node:3`, `domain:rack-a`, `dispatcher:0`, `maintenance:2`), and
//! the downtime each root costs per run.

use crate::metrics::Root;
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;

/// The name of a root; domains by name when `domains` holds them.
pub fn root_name(root: Option<Root>, domains: &[String]) -> String {
    match root {
        None => String::new(),
        Some(Root::Node(n)) => format!("node:{n}"),
        Some(Root::Domain(d)) => match domains.get(d as usize) {
            Some(name) => format!("domain:{name}"),
            None => format!("domain:{d}"),
        },
        Some(Root::Dispatcher(i)) => format!("dispatcher:{i}"),
        Some(Root::Maintenance(r)) => format!("maintenance:{r}"),
    }
}

pub fn domain_names(sc: &Scenario) -> Vec<String> {
    sc.domains.iter().map(|d| d.name.clone()).collect()
}

/// Mean seconds of measured downtime per run by root, largest first (ties
/// by name). Outages with no root are under "" (none in practice).
pub fn downtime_by_root(sc: &Scenario, o: &Outcome) -> Vec<(String, f64)> {
    let names = domain_names(sc);
    let mut sums: Vec<(Option<Root>, u128)> = Vec::new();
    for (_, out) in o.outages() {
        match sums.iter_mut().find(|(r, _)| *r == out.root) {
            Some((_, s)) => *s += u128::from(out.duration_ns()),
            None => sums.push((out.root, u128::from(out.duration_ns()))),
        }
    }
    let reps = f64::from(o.replications.max(1));
    let mut rows: Vec<(String, f64)> = sums
        .into_iter()
        .map(|(r, ns)| (root_name(r, &names), ns as f64 / 1e9 / reps))
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}
