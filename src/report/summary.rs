//! `summary.json` (SPEC §4): the headline metrics of a run.

use crate::montecarlo::Outcome;
use crate::scenario::Scenario;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Summary {
    pub scenario: String,
    pub architecture: String,
    pub seed: u64,
    pub replications: u32,
    pub duration_s: f64,
    pub uptime: f64,
    pub uptime_by_class: Ordered<f64>,
    pub availability: Option<f64>,
    pub downtime_s: f64,
    pub outages: f64,
    pub mean_outage_s: Option<f64>,
    pub nines: Option<f64>,
    pub failovers: f64,
    pub requests: Option<Requests>,
    pub latency_ms: Option<Latency>,
    pub ci95: Option<Ci95>,
    pub overrides: Ordered<String>,
    /// With a precision target: the target and whether it was met.
    pub precision: Option<PrecisionReport>,
    /// SPEC §7: mean seconds of downtime per run by root, largest first.
    pub downtime_by_root: Ordered<f64>,
    /// SPEC §8: false mark-downs, false failovers, split brain, detection.
    #[serde(flatten)]
    pub imperfect: super::imperfect::ImperfectSummary,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct PrecisionReport {
    /// The relative 95 % half-width asked for.
    pub target: f64,
    pub met: bool,
    /// The relative 95 % half-width reached for the downtime fraction.
    pub downtime_rel_ci95: Option<f64>,
    /// The same for p99 latency (null without a workload).
    pub latency_p99_rel_ci95: Option<f64>,
    pub max_replications: u32,
    /// When no replication was ever down: the relative precision is
    /// undefined (`met` is false, `downtime_rel_ci95` null) and this gives
    /// an upper bound instead. Null when an outage was seen.
    pub no_outage: Option<NoOutageBound>,
}

/// The rule of three: with no outage in a total observed time T, the
/// outage rate is below 3 / T at 95 % confidence (Poisson, −ln 0.05 ≈ 3).
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct NoOutageBound {
    /// T: measured seconds over all replications.
    pub observed_s: f64,
    /// 95 % upper bound on outages per year of service: 3 / T × 365.25 d.
    pub outages_per_year_upper95: f64,
    /// 95 % upper bound on the fraction of runs (of this duration) with any
    /// outage: 3 / replications.
    pub runs_with_outage_upper95: f64,
}

impl NoOutageBound {
    pub fn new(replications: u32, duration_s: f64) -> Self {
        let observed_s = f64::from(replications) * duration_s;
        NoOutageBound {
            observed_s,
            outages_per_year_upper95: 3.0 / observed_s * super::compare::YEAR_S,
            runs_with_outage_upper95: (3.0 / f64::from(replications)).min(1.0),
        }
    }
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Requests {
    pub offered: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub timed_out: u64,
    pub rejected: u64,
    pub errored: u64,
    pub retries: u64,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Latency {
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Ci95 {
    pub uptime: Option<f64>,
    pub availability: Option<f64>,
    pub downtime_s: Option<f64>,
    pub outages: Option<f64>,
    pub failovers: Option<f64>,
    pub latency_ms_mean: Option<f64>,
    /// SPEC §8 means.
    #[serde(flatten)]
    pub imperfect: super::imperfect::ImperfectCi95,
}

/// A JSON object that keeps its keys in the given order.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl Summary {
    pub fn new(sc: &Scenario, o: &Outcome) -> Self {
        let uptime = o.uptime.mean_or_zero();
        let latency = o.latency_mean_ms().map(|mean| {
            let q = |p: f64| o.latency_quantile_ms(p).unwrap_or(mean);
            Latency {
                mean,
                p50: q(0.5),
                p90: q(0.9),
                p99: q(0.99),
                p999: q(0.999),
                max: o.latency_max_ns as f64 / 1e6,
            }
        });
        let with_workload = o.requests.is_some();
        let ci95 = (o.replications > 1).then(|| Ci95 {
            uptime: o.uptime.ci95(),
            availability: o.availability.ci95().filter(|_| with_workload),
            downtime_s: o.downtime_s.ci95(),
            outages: o.outages.ci95(),
            failovers: o.failovers.ci95(),
            latency_ms_mean: o.latency_mean_ms.ci95(),
            imperfect: super::imperfect::ImperfectCi95::new(o),
        });
        Summary {
            scenario: sc.name.clone(),
            architecture: sc.architecture.name().into(),
            seed: sc.seed,
            replications: o.replications,
            duration_s: sc.duration_ns as f64 / 1e9,
            uptime,
            uptime_by_class: Ordered(
                sc.dispatch
                    .classes
                    .iter()
                    .zip(&o.class_uptime)
                    .map(|(c, w)| (c.name.clone(), w.mean_or_zero()))
                    .collect(),
            ),
            availability: o.availability.mean().filter(|_| with_workload),
            downtime_s: o.downtime_s.mean_or_zero(),
            outages: o.outages.mean_or_zero(),
            mean_outage_s: (o.total_outages > 0)
                .then(|| o.total_down_ns as f64 / 1e9 / o.total_outages as f64),
            nines: (uptime < 1.0).then(|| -libm::log10(1.0 - uptime)),
            failovers: o.failovers.mean_or_zero(),
            requests: o.requests.map(|t| Requests {
                offered: t.offered,
                succeeded: t.succeeded,
                failed: t.failed(),
                timed_out: t.timed_out,
                rejected: t.rejected,
                errored: t.errored,
                retries: t.retries,
            }),
            latency_ms: latency,
            ci95,
            overrides: Ordered(sc.overrides.clone()),
            precision: sc.precision.map(|target| {
                let (down, p99) = crate::montecarlo::relative_half_widths(o);
                PrecisionReport {
                    target,
                    met: crate::montecarlo::precision_met(o, target),
                    downtime_rel_ci95: down.is_finite().then_some(down),
                    latency_p99_rel_ci95: p99.filter(|p| p.is_finite()),
                    max_replications: sc.max_replications,
                    no_outage: crate::montecarlo::no_outage(o)
                        .then(|| NoOutageBound::new(o.replications, sc.duration_ns as f64 / 1e9)),
                }
            }),
            downtime_by_root: Ordered(super::roots::downtime_by_root(sc, o)),
            imperfect: super::imperfect::ImperfectSummary::new(sc, o),
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a summary always serialises");
        s.push('\n');
        s
    }
}
