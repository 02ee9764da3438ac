//! Sharding: `--shard K/N` runs the K-th share of a run's replication blocks
//! and writes them to a shard file; `hasim merge` reads the N files and
//! merges the blocks in order, which rebuilds the unsharded outcome bit for
//! bit (see `montecarlo::BLOCK`). Shard files are JSON: floats in shortest
//! round-trip form (exact), histograms as (value, count) pairs that rebuild
//! the same buckets, and the scenario's own text, so a merge needs nothing
//! but the files.

use crate::error::InputError;
use crate::metrics::{Cause, Outage, TraceEvent, ViewChange};
use crate::montecarlo::{Outcome, Totals, WindowAgg};
use crate::stats::Welford;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

/// `K/N`, K counted from 0 (a Kubernetes completion index; Slurm's
/// `$SLURM_ARRAY_TASK_ID` with `--array=0-(N-1)`).
pub fn parse_spec(text: &str) -> Result<(u32, u32), InputError> {
    let bad = || {
        InputError::new(format!("--shard {text:?} is not K/N"))
            .fix("write --shard K/N with 0 ≤ K < N, e.g. --shard 0/4 … --shard 3/4")
    };
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (u32, u32) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || k >= n {
        return Err(bad());
    }
    Ok((k, n))
}

/// The blocks shard K of N owns, out of `blocks` in all (contiguous).
pub fn share(k: u32, n: u32, blocks: u32) -> std::ops::Range<u32> {
    let at = |i: u32| (u64::from(blocks) * u64::from(i) / u64::from(n)) as u32;
    at(k)..at(k + 1)
}

/// Histogram contents: significant digits and (value, count) pairs.
#[derive(Serialize, Deserialize)]
struct Hist {
    sigfig: u8,
    counts: Vec<(u64, u64)>,
}

fn hist_out(h: &Option<Histogram<u64>>) -> Option<Hist> {
    h.as_ref().map(|h| Hist {
        sigfig: h.sigfig(),
        counts: h
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
            .collect(),
    })
}

fn hist_in(h: Option<Hist>) -> Result<Option<Histogram<u64>>, String> {
    h.map(|h| {
        let mut out = Histogram::new(h.sigfig).map_err(|e| format!("{e:?}"))?;
        for (v, c) in h.counts {
            out.record_n(v, c).map_err(|e| format!("{e:?}"))?;
        }
        Ok(out)
    })
    .transpose()
}

/// Every event name the model emits, to give them back their static str.
const NAMES: [&str; 20] = [
    "start",
    "crashed",
    "failed_permanently",
    "repaired",
    "replaced",
    "marked_down",
    "marked_up",
    "operator_alerted",
    "operator_acted",
    "promotion_started",
    "promoted",
    "promotion_abandoned",
    "election_started",
    "elected",
    "fault_ignored",
    "hung",
    "slowed",
    "partitioned",
    "healed",
    crate::model::TRACE_CUT,
];

fn intern(name: &str) -> Result<&'static str, String> {
    NAMES
        .iter()
        .find(|n| **n == name)
        .copied()
        .ok_or_else(|| format!("unknown event {name:?}"))
}

#[derive(Serialize, Deserialize)]
struct Window {
    uptime: Welford,
    availability: Welford,
    offered: u64,
    succeeded: u64,
    failed: u64,
    latency_us: Option<Hist>,
}

#[derive(Serialize, Deserialize)]
struct OutageData {
    replication: u32,
    start_ns: u64,
    end_ns: u64,
    censored: bool,
    event: String,
    node: Option<u32>,
}

#[derive(Serialize, Deserialize)]
struct EventData {
    time_ns: u64,
    node: Option<u32>,
    event: String,
    detail: String,
}

/// One block's outcome, as stored in a shard file.
#[derive(Serialize, Deserialize)]
pub struct BlockData {
    replications: u32,
    measured_ns: u64,
    uptime: Welford,
    class_uptime: Vec<Welford>,
    availability: Welford,
    downtime_s: Welford,
    outages: Welford,
    failovers: Welford,
    latency_mean_ms: Welford,
    latency_p99_ms: Welford,
    total_down_ns: u128,
    total_outages: u64,
    requests: Option<Totals>,
    latency_ns: Option<Hist>,
    latency_sum_ns: u128,
    latency_min_ns: u64,
    latency_max_ns: u64,
    windows: Vec<Window>,
    outage_list: Vec<OutageData>,
    events: Vec<EventData>,
    views: Vec<ViewChange>,
    sim_events: u64,
    #[serde(default)]
    imperfect: crate::metrics::ImperfectAgg,
}

impl BlockData {
    pub fn from_outcome(o: &Outcome) -> BlockData {
        BlockData {
            replications: o.replications,
            measured_ns: o.measured_ns,
            uptime: o.uptime,
            class_uptime: o.class_uptime.clone(),
            availability: o.availability,
            downtime_s: o.downtime_s,
            outages: o.outages,
            failovers: o.failovers,
            latency_mean_ms: o.latency_mean_ms,
            latency_p99_ms: o.latency_p99_ms,
            total_down_ns: o.total_down_ns,
            total_outages: o.total_outages,
            requests: o.requests,
            latency_ns: hist_out(&o.latency_ns),
            latency_sum_ns: o.latency_sum_ns,
            latency_min_ns: o.latency_min_ns,
            latency_max_ns: o.latency_max_ns,
            windows: o
                .windows
                .iter()
                .map(|w| Window {
                    uptime: w.uptime,
                    availability: w.availability,
                    offered: w.offered,
                    succeeded: w.succeeded,
                    failed: w.failed,
                    latency_us: hist_out(&w.latency_us),
                })
                .collect(),
            outage_list: o
                .outage_list
                .iter()
                .map(|(r, x)| OutageData {
                    replication: *r,
                    start_ns: x.start_ns,
                    end_ns: x.end_ns,
                    censored: x.censored,
                    event: x.cause.event.into(),
                    node: x.cause.node,
                })
                .collect(),
            events: o
                .events
                .iter()
                .map(|e| EventData {
                    time_ns: e.time_ns,
                    node: e.node,
                    event: e.event.into(),
                    detail: e.detail.clone(),
                })
                .collect(),
            views: o.views.clone(),
            sim_events: o.sim_events,
            imperfect: o.imperfect.clone(),
        }
    }

    pub fn into_outcome(self) -> Result<Outcome, String> {
        Ok(Outcome {
            replications: self.replications,
            measured_ns: self.measured_ns,
            uptime: self.uptime,
            class_uptime: self.class_uptime,
            availability: self.availability,
            downtime_s: self.downtime_s,
            outages: self.outages,
            failovers: self.failovers,
            latency_mean_ms: self.latency_mean_ms,
            latency_p99_ms: self.latency_p99_ms,
            total_down_ns: self.total_down_ns,
            total_outages: self.total_outages,
            requests: self.requests,
            latency_ns: hist_in(self.latency_ns)?,
            latency_sum_ns: self.latency_sum_ns,
            latency_min_ns: self.latency_min_ns,
            latency_max_ns: self.latency_max_ns,
            windows: self
                .windows
                .into_iter()
                .map(|w| {
                    Ok(WindowAgg {
                        uptime: w.uptime,
                        availability: w.availability,
                        offered: w.offered,
                        succeeded: w.succeeded,
                        failed: w.failed,
                        latency_us: hist_in(w.latency_us)?,
                    })
                })
                .collect::<Result<_, String>>()?,
            outage_list: self
                .outage_list
                .into_iter()
                .map(|x| {
                    Ok((
                        x.replication,
                        Outage {
                            start_ns: x.start_ns,
                            end_ns: x.end_ns,
                            censored: x.censored,
                            cause: Cause {
                                event: intern(&x.event)?,
                                node: x.node,
                            },
                        },
                    ))
                })
                .collect::<Result<_, String>>()?,
            events: self
                .events
                .into_iter()
                .map(|e| {
                    Ok(TraceEvent {
                        time_ns: e.time_ns,
                        node: e.node,
                        event: intern(&e.event)?,
                        detail: e.detail,
                    })
                })
                .collect::<Result<_, String>>()?,
            views: self.views,
            sim_events: self.sim_events,
            imperfect: self.imperfect,
        })
    }
}

/// A shard file.
#[derive(Serialize, Deserialize)]
pub struct ShardFile {
    /// Format version.
    pub hasim_shard: u32,
    pub scenario_file: String,
    pub scenario_text: String,
    pub sets: Vec<(String, String)>,
    pub seed: u64,
    pub replications: u32,
    pub shard: u32,
    pub shards: u32,
    /// The blocks held, `first..end`.
    pub first_block: u32,
    pub end_block: u32,
    pub blocks: Vec<BlockData>,
    /// Set when the run is one point of a sharded sweep.
    #[serde(default)]
    pub sweep: Option<SweepPoint>,
}

/// Where a shard's run sits in a sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// The sweep's `--set` arguments, as given.
    pub sets: Vec<String>,
    pub point: u32,
    pub points: u32,
}

pub const FORMAT: u32 = 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_every_block_once() {
        for blocks in [1, 5, 63, 64] {
            for n in 1..9 {
                let mut next = 0;
                for k in 0..n {
                    let r = share(k, n, blocks);
                    assert_eq!(r.start, next);
                    next = r.end;
                }
                assert_eq!(next, blocks);
            }
        }
        assert_eq!(parse_spec("2/4").unwrap(), (2, 4));
        assert!(parse_spec("4/4").is_err());
        assert!(parse_spec("x").is_err());
    }
}
