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

/// One root's mean seconds of downtime per run (as in `downtime_by_root`)
/// and the 95 % half-width over replications (None with one replication).
#[derive(Clone, Debug, PartialEq)]
pub struct RootShare {
    pub name: String,
    pub mean_s: f64,
    pub ci95_s: Option<f64>,
}

/// `downtime_by_root` with intervals: each root's downtime in each
/// replication (0 where it caused none) has a mean, the very value of
/// `downtime_by_root`, and a Student-t 95 % half-width. Two passes over the
/// outages (in replication order); memory is one entry per root.
pub fn downtime_by_root_ci(sc: &Scenario, o: &Outcome) -> Vec<RootShare> {
    use std::collections::BTreeMap;
    let names = domain_names(sc);
    let means = downtime_by_root(sc, o);
    let n = o.replications;
    // Pass 2: per replication, per root, then squared deviations.
    let mut index: BTreeMap<Option<Root>, usize> = BTreeMap::new();
    let mut mean_of: Vec<f64> = Vec::new();
    let mut cur: Vec<u128> = Vec::new();
    let mut touched: Vec<usize> = Vec::new();
    let mut ss: Vec<f64> = Vec::new();
    let mut seen_reps: Vec<u32> = Vec::new();
    let mut last_rep: Vec<u32> = Vec::new();
    let mean_by_name: BTreeMap<&str, f64> = means.iter().map(|(m, v)| (m.as_str(), *v)).collect();
    let mut rep = None;
    let flush = |touched: &mut Vec<usize>,
                 cur: &mut Vec<u128>,
                 ss: &mut Vec<f64>,
                 seen: &mut Vec<u32>,
                 mean_of: &[f64]| {
        for k in touched.drain(..) {
            let x = cur[k] as f64 / 1e9;
            ss[k] += (x - mean_of[k]) * (x - mean_of[k]);
            seen[k] += 1;
            cur[k] = 0;
        }
    };
    for (r, out) in o.outages() {
        if rep != Some(r) {
            flush(&mut touched, &mut cur, &mut ss, &mut seen_reps, &mean_of);
            rep = Some(r);
        }
        let k = *index.entry(out.root).or_insert_with(|| {
            let name = root_name(out.root, &names);
            let m = mean_by_name.get(name.as_str()).copied().unwrap_or(0.0);
            mean_of.push(m);
            cur.push(0);
            ss.push(0.0);
            seen_reps.push(0);
            last_rep.push(u32::MAX);
            mean_of.len() - 1
        });
        if last_rep[k] != r {
            last_rep[k] = r;
            touched.push(k);
        }
        cur[k] += u128::from(out.duration_ns());
    }
    flush(&mut touched, &mut cur, &mut ss, &mut seen_reps, &mean_of);
    let by_name: BTreeMap<String, usize> = index
        .iter()
        .map(|(r, k)| (root_name(*r, &names), *k))
        .collect();
    means
        .into_iter()
        .map(|(name, mean_s)| {
            let k = by_name.get(&name).copied();
            let ci95_s = k.filter(|_| n > 1).map(|k| {
                // Replications where the root caused nothing sit at 0.
                let zeros = f64::from(n - seen_reps[k]);
                let var = (ss[k] + zeros * mean_s * mean_s) / f64::from(n - 1);
                crate::stats::t_quantile(0.975, f64::from(n - 1)) * (var / f64::from(n)).sqrt()
            });
            RootShare {
                name,
                mean_s,
                ci95_s,
            }
        })
        .collect()
}
