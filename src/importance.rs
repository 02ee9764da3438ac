//! `hasim importance SCENARIO` (SPEC §7): rerun the scenario with each
//! component made perfect in turn (it never fails by itself), on the same
//! random numbers, and rank the components by the downtime they cost.
//!
//! Every component draws from its own named streams, so making one perfect
//! leaves the others' failure histories unchanged (common random numbers):
//! the difference is measured replication by replication, and its 95 %
//! interval (Student t on the paired differences) is much tighter than the
//! two runs' own intervals.

use crate::metrics::Root;
use crate::model::{simulate, RunOptions};
use crate::report::roots::{domain_names, root_name};
use crate::scenario::Scenario;
use crate::stats::Welford;
use rayon::prelude::*;

/// One component's cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Importance {
    pub component: String,
    pub root: Root,
    /// Mean seconds of downtime per run that the component costs (the
    /// baseline minus the run with it perfect).
    pub downtime_cost_s: f64,
    /// 95 % half-width of that mean (null with one replication).
    pub ci95: Option<f64>,
    /// Its share of the baseline downtime.
    pub share: Option<f64>,
}

/// The components with a failure process of their own.
pub fn components(sc: &Scenario) -> Vec<Root> {
    let mut c = Vec::new();
    if sc.nodes.failure.is_some() {
        c.extend((0..sc.nodes.count).map(Root::Node));
    }
    for (i, d) in sc.domains.iter().enumerate() {
        if d.failure.is_some() {
            c.push(Root::Domain(i as u32));
        }
    }
    if let Some(d) = &sc.dispatcher {
        if d.failure.is_some() {
            c.extend((0..d.count).map(Root::Dispatcher));
        }
    }
    c
}

fn downtimes(sc: &Scenario) -> Vec<f64> {
    (0..u64::from(sc.replications))
        .into_par_iter()
        .map(|r| {
            let res = simulate(
                sc,
                RunOptions {
                    replication: r,
                    trace: false,
                },
            );
            (res.measured_ns - res.up_ns) as f64 / 1e9
        })
        .collect()
}

/// Baseline mean downtime per run and the components, costliest first.
pub fn importance(sc: &Scenario) -> (f64, Vec<Importance>) {
    let base = downtimes(sc);
    let base_mean = base.iter().sum::<f64>() / base.len() as f64;
    let names = domain_names(sc);
    let mut rows: Vec<Importance> = components(sc)
        .into_iter()
        .map(|root| {
            let mut perfect = sc.clone();
            perfect.perfect = Some(root);
            let mut w = Welford::default();
            for (b, p) in base.iter().zip(downtimes(&perfect)) {
                w.add(b - p);
            }
            let cost = w.mean_or_zero();
            Importance {
                component: root_name(Some(root), &names),
                root,
                downtime_cost_s: cost,
                ci95: w.ci95(),
                share: (base_mean > 0.0).then(|| cost / base_mean),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.downtime_cost_s
            .total_cmp(&a.downtime_cost_s)
            .then(a.root.cmp(&b.root))
    });
    (base_mean, rows)
}

pub const CSV_HEADER: &str = "rank,component,downtime_cost_s,ci95_s,share_of_downtime";

pub fn to_csv(rows: &[Importance]) -> String {
    let num = |x: Option<f64>| x.map(|v| format!("{v:?}")).unwrap_or_default();
    let mut s = format!("{CSV_HEADER}\r\n");
    for (i, r) in rows.iter().enumerate() {
        s.push_str(&format!(
            "{},{},{},{},{}\r\n",
            i + 1,
            r.component,
            num(Some(r.downtime_cost_s)),
            num(r.ci95),
            num(r.share)
        ));
    }
    s
}

pub fn to_text(sc: &Scenario, base_mean: f64, rows: &[Importance]) -> String {
    let mut t = format!(
        "importance of each component in {} ({} replications, seed {}): downtime per run {:.1} s\n",
        sc.name, sc.replications, sc.seed, base_mean
    );
    t.push_str("rank  component              downtime cost (s/run)     share\n");
    for (i, r) in rows.iter().enumerate() {
        t.push_str(&format!(
            "{:>4}  {:<22} {:>12.1} ± {:<10} {:>6}\n",
            i + 1,
            r.component,
            r.downtime_cost_s,
            r.ci95.map_or("-".into(), |c| format!("{c:.1}")),
            r.share
                .map_or("-".into(), |s| format!("{:.1} %", 100.0 * s)),
        ));
    }
    if rows.is_empty() {
        t.push_str("  (no component has a failure process of its own)\n");
    }
    t
}

/// A horizontal bar chart of the costs with their 95 % intervals, as SVG
/// (no raster needed: it is read beside the CSV).
pub fn to_svg(sc: &Scenario, rows: &[Importance]) -> String {
    let (w, bar, top, left) = (760.0_f64, 26.0_f64, 56.0_f64, 190.0_f64);
    let h = top + bar * rows.len().max(1) as f64 + 40.0;
    let max = rows
        .iter()
        .map(|r| r.downtime_cost_s + r.ci95.unwrap_or(0.0))
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let x = |v: f64| left + (w - left - 80.0) * (v.max(0.0) / max);
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"13\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"10\" y=\"22\" font-size=\"16\">Where the downtime comes from: {} (seconds per run, 95 % interval)</text>\n",
        esc(&sc.name)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = top + bar * i as f64;
        let c = r.ci95.unwrap_or(0.0);
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n\
             <rect x=\"{left}\" y=\"{}\" width=\"{:.1}\" height=\"{}\" fill=\"#c0504d\"/>\n\
             <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{}\" y2=\"{}\" stroke=\"black\"/>\n\
             <text x=\"{:.1}\" y=\"{}\">{:.0}</text>\n",
            left - 8.0,
            y + bar * 0.65,
            esc(&r.component),
            y + 4.0,
            x(r.downtime_cost_s) - left,
            bar - 8.0,
            x(r.downtime_cost_s - c),
            x(r.downtime_cost_s + c),
            y + bar / 2.0,
            y + bar / 2.0,
            x(r.downtime_cost_s + c) + 6.0,
            y + bar * 0.65,
            r.downtime_cost_s,
        ));
    }
    s.push_str("</svg>\n");
    s
}
