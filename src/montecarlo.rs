//! Replications: runs a scenario's independent replications and combines
//! them into means, totals, pooled histograms and 95 % intervals (SPEC §3).
//!
//! Replication r always uses the seed derived from (seed, r). Replications
//! run in parallel (rayon), each into its own one-replication `Outcome`;
//! the outcomes are merged in replication order. Which thread ran what
//! never enters a sum, so the result is byte-identical at any thread count.

use crate::metrics::detection_times::EXACT_KEEP;
use crate::metrics::outage_log::{Spill, OUTAGE_KEEP};
use crate::metrics::rep_outages::rep_keep;
pub use crate::metrics::Totals;
use crate::metrics::{Outage, RepResult, TraceEvent, ViewChange};
use crate::model::{simulate, RunOptions};
use crate::scenario::Scenario;
use crate::stats::Welford;
use hdrhistogram::Histogram;
use std::sync::atomic::{AtomicU64, Ordering};

/// One window, over all replications.
#[derive(Clone, Debug, Default)]
pub struct WindowAgg {
    pub uptime: Welford,
    pub availability: Welford,
    pub offered: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// Retries of the requests that arrived in this window.
    pub retries: u64,
    pub latency_us: Option<Histogram<u64>>,
}

/// Everything a run measured, over all its replications.
pub struct Outcome {
    pub replications: u32,
    pub measured_ns: u64,
    pub uptime: Welford,
    pub class_uptime: Vec<Welford>,
    pub availability: Welford,
    pub downtime_s: Welford,
    pub outages: Welford,
    pub failovers: Welford,
    pub latency_mean_ms: Welford,
    /// Each replication's p99 latency, for precision targets on p99.
    pub latency_p99_ms: Welford,
    pub total_down_ns: u128,
    pub total_outages: u64,
    pub requests: Option<Totals>,
    pub latency_ns: Option<Histogram<u64>>,
    pub latency_sum_ns: u128,
    pub latency_min_ns: u64,
    pub latency_max_ns: u64,
    pub windows: Vec<WindowAgg>,
    /// (replication, outage): every outage of every replication, or the
    /// first `OUTAGE_KEEP` of them once `outage_spill` holds them all.
    pub outage_list: Vec<(u32, Outage)>,
    /// Every outage, on disk, once there are more than `OUTAGE_KEEP`.
    pub outage_spill: Option<Box<Spill>>,
    /// Outages held in memory before spilling (`OUTAGE_KEEP`; tests lower it).
    pub outage_keep: usize,
    /// Events of the first replication.
    pub events: Vec<TraceEvent>,
    /// The first replication's events past `events`, on disk (`hasim run
    /// --events` above `model::TRACE_CAP`; issue 8 §2).
    pub event_spill: Option<std::sync::Arc<crate::metrics::event_log::EventSpill>>,
    /// Node views of the first replication.
    pub views: Vec<ViewChange>,
    /// Domain and dispatcher changes of the first replication (SPEC §7).
    pub domain_changes: Vec<crate::metrics::domain_trace::DomainChange>,
    /// Simulation events processed, for throughput figures.
    pub sim_events: u64,
    /// (replication, uptime) of every replication, in replication order:
    /// `compare` pairs them across scenarios (common random numbers).
    /// Empty for an outcome merged from shards.
    pub per_rep: Vec<(u32, f64)>,
    /// False mark-downs, false failovers, split brain, detection (SPEC §8).
    pub imperfect: crate::metrics::ImperfectAgg,
    /// SPEC §7: seconds per run in outages maintenance started (no sample
    /// without `[maintenance]`).
    pub planned_downtime_s: Welford,
}

impl Outcome {
    pub fn new(sc: &Scenario) -> Self {
        Outcome {
            replications: 0,
            measured_ns: sc.duration_ns,
            uptime: Welford::default(),
            class_uptime: vec![Welford::default(); sc.dispatch.classes.len()],
            availability: Welford::default(),
            downtime_s: Welford::default(),
            outages: Welford::default(),
            failovers: Welford::default(),
            latency_mean_ms: Welford::default(),
            latency_p99_ms: Welford::default(),
            total_down_ns: 0,
            total_outages: 0,
            requests: sc.workload.as_ref().map(|_| Totals::default()),
            latency_ns: None,
            latency_sum_ns: 0,
            latency_min_ns: u64::MAX,
            latency_max_ns: 0,
            windows: vec![WindowAgg::default(); sc.window_count()],
            outage_list: Vec::new(),
            outage_spill: None,
            outage_keep: OUTAGE_KEEP,
            events: Vec::new(),
            event_spill: None,
            views: Vec::new(),
            domain_changes: Vec::new(),
            sim_events: 0,
            per_rep: Vec::new(),
            imperfect: Default::default(),
            planned_downtime_s: Welford::default(),
        }
    }

    /// Adds replication `rep`'s result; call in replication order.
    pub fn add(&mut self, sc: &Scenario, rep: u32, r: RepResult) {
        self.replications += 1;
        self.sim_events += r.events;
        let measured = r.measured_ns as f64;
        let uptime = r.uptime();
        self.uptime.add(uptime);
        self.per_rep.push((rep, uptime));
        for (w, up) in self.class_uptime.iter_mut().zip(&r.class_up_ns) {
            w.add(*up as f64 / measured);
        }
        let down_ns = r.measured_ns - r.up_ns;
        self.downtime_s.add(down_ns as f64 / 1e9);
        self.total_down_ns += u128::from(down_ns);
        self.outages.add(r.outage_count as f64);
        self.total_outages += r.outage_count;
        self.failovers.add(r.failovers as f64);
        self.imperfect.add(&r.imperfect);
        if let Some(p) = r.planned_down_ns {
            self.planned_downtime_s.add(p as f64 / 1e9);
        }
        for (i, (agg, up)) in self.windows.iter_mut().zip(&r.window_up_ns).enumerate() {
            let start = sc.warmup_ns + i as u64 * sc.window_ns;
            let len = (start + sc.window_ns).min(sc.horizon_ns()) - start;
            agg.uptime.add(*up as f64 / len as f64);
        }
        let list = r.outages.into_iter().map(|o| (rep, o));
        match r.outage_spill {
            Some(sp) => self.take_spill(sp, list.collect()),
            None => {
                self.push_outages(list);
                self.spill_phases(None);
            }
        }
        if rep == 0 {
            self.events = r.trace;
            self.event_spill = r.event_spill;
            self.views = r.views;
            self.domain_changes = r.domain_changes;
        }
        let Some(s) = r.requests else { return };
        if s.counts.offered > 0 {
            self.availability
                .add(s.counts.succeeded as f64 / s.counts.offered as f64);
        }
        if let Some(m) = s.latency_mean_ns() {
            self.latency_mean_ms.add(m / 1e6);
            let p99 = s
                .latency_ns
                .value_at_quantile(0.99)
                .clamp(s.latency_min_ns, s.latency_max_ns);
            self.latency_p99_ms.add(p99 as f64 / 1e6);
        }
        self.requests
            .get_or_insert_with(Totals::default)
            .add(&s.counts);
        self.latency_sum_ns += s.latency_sum_ns;
        self.latency_min_ns = self.latency_min_ns.min(s.latency_min_ns);
        self.latency_max_ns = self.latency_max_ns.max(s.latency_max_ns);
        merge_hist(&mut self.latency_ns, &s.latency_ns);
        for (agg, w) in self.windows.iter_mut().zip(s.windows) {
            agg.offered += w.offered;
            agg.succeeded += w.succeeded;
            agg.failed += w.failed;
            agg.retries += w.retries;
            if w.offered > 0 {
                agg.availability.add(w.succeeded as f64 / w.offered as f64);
            }
            if let Some(h) = &w.latency_us {
                merge_hist(&mut agg.latency_us, h);
            }
        }
    }

    /// The latency quantile `q` in ms, within the exact min and max (the
    /// histogram's bucket edges would make a fixed 20 ms read 20.0049).
    pub fn latency_quantile_ms(&self, q: f64) -> Option<f64> {
        let h = self.latency_ns.as_ref()?;
        let v = h
            .value_at_quantile(q)
            .clamp(self.latency_min_ns, self.latency_max_ns);
        Some(v as f64 / 1e6)
    }

    /// Mean latency in ms over all successful requests of all replications.
    pub fn latency_mean_ms(&self) -> Option<f64> {
        let n = self.requests?.succeeded;
        (n > 0).then(|| self.latency_sum_ns as f64 / n as f64 / 1e6)
    }
}

impl Outcome {
    /// Appends outages (in replication order): in memory up to
    /// `OUTAGE_KEEP`, then every one of them to the spill file.
    fn push_outages(&mut self, outages: impl Iterator<Item = (u32, Outage)>) {
        for (rep, x) in outages {
            if self.outage_spill.is_none() && self.outage_list.len() >= self.outage_keep {
                let mut sp = match Spill::new() {
                    Ok(sp) => sp,
                    Err(_) => {
                        // No temporary folder: keep the outages in memory.
                        self.outage_list.push((rep, x));
                        continue;
                    }
                };
                for (r, k) in &self.outage_list {
                    sp.push(*r, k);
                }
                self.outage_spill = Some(Box::new(sp));
            }
            if let Some(sp) = &mut self.outage_spill {
                sp.push(rep, &x);
            } else {
                self.outage_list.push((rep, x));
            }
        }
        if let Some(sp) = &mut self.outage_spill {
            sp.flush();
        }
    }

    /// Takes the outages of `sp` (with `list`, its first outages), which
    /// follow this outcome's. An outcome that holds none yet and would
    /// spill them anyway adopts the file as its own (issue 8: a long
    /// replication's outages are not copied from file to file at each
    /// merge); otherwise they are appended as any others. Either way the
    /// outcome is the same: its spill holds the same records, and its list
    /// the first `outage_keep`.
    fn take_spill(&mut self, sp: Box<Spill>, list: Vec<(u32, Outage)>) {
        let empty = self.outage_list.is_empty()
            && self.outage_spill.is_none()
            && self.imperfect.outage_phases_ns.is_empty();
        if empty && self.total_outages > self.outage_keep as u64 {
            let keep = self.outage_keep;
            self.outage_list = if list.len() >= keep {
                let mut list = list;
                list.truncate(keep);
                list
            } else {
                sp.iter().take(keep).collect()
            };
            self.outage_spill = Some(sp);
        } else {
            self.push_outages(sp.iter());
            self.spill_phases(Some(&sp));
        }
    }

    /// Once outages spill to disk, their phase rows (SPEC §8) follow them
    /// there: those held in memory, then `from`'s (a merged outcome that
    /// had spilled its own). Without a spill they stay in memory.
    fn spill_phases(&mut self, from: Option<&Spill>) {
        let held = &mut self.imperfect.outage_phases_ns;
        match &mut self.outage_spill {
            Some(sp) => {
                sp.push_phases(held.drain(..));
                if let Some(f) = from {
                    sp.push_phases(f.phases());
                }
            }
            None => held.extend(from.into_iter().flat_map(|f| f.phases())),
        }
    }

    /// Each outage's phase row (SPEC §8), in the order of `outages()`.
    pub fn outage_phases(
        &self,
    ) -> Box<dyn Iterator<Item = [u64; crate::metrics::imperfect::PHASES.len()]> + '_> {
        match &self.outage_spill {
            Some(sp) => Box::new(sp.phases()),
            None => Box::new(self.imperfect.outage_phases_ns.iter().copied()),
        }
    }

    /// Every outage of every replication, in order.
    pub fn outages(&self) -> Box<dyn Iterator<Item = (u32, Outage)> + '_> {
        match &self.outage_spill {
            Some(sp) => Box::new(sp.iter()),
            None => Box::new(self.outage_list.iter().cloned()),
        }
    }

    /// The longest outage (the last of equals), over every replication.
    pub fn longest_outage(&self) -> Option<(u32, Outage)> {
        match &self.outage_spill {
            Some(sp) => sp.longest.clone(),
            None => self
                .outage_list
                .iter()
                .max_by_key(|(_, x)| x.duration_ns())
                .cloned(),
        }
    }

    /// Appends `o`, whose replications all follow this one's.
    pub fn merge(&mut self, o: Outcome) {
        self.replications += o.replications;
        self.sim_events += o.sim_events;
        self.uptime.merge(&o.uptime);
        for (a, b) in self.class_uptime.iter_mut().zip(&o.class_uptime) {
            a.merge(b);
        }
        self.availability.merge(&o.availability);
        self.downtime_s.merge(&o.downtime_s);
        self.outages.merge(&o.outages);
        self.failovers.merge(&o.failovers);
        self.imperfect.merge(&o.imperfect);
        self.planned_downtime_s.merge(&o.planned_downtime_s);
        self.latency_mean_ms.merge(&o.latency_mean_ms);
        self.latency_p99_ms.merge(&o.latency_p99_ms);
        self.total_down_ns += o.total_down_ns;
        self.total_outages += o.total_outages;
        if let (Some(a), Some(b)) = (&mut self.requests, &o.requests) {
            a.add(b);
        }
        if let Some(h) = &o.latency_ns {
            merge_hist(&mut self.latency_ns, h);
        }
        self.latency_sum_ns += o.latency_sum_ns;
        self.latency_min_ns = self.latency_min_ns.min(o.latency_min_ns);
        self.latency_max_ns = self.latency_max_ns.max(o.latency_max_ns);
        for (a, b) in self.windows.iter_mut().zip(o.windows) {
            a.uptime.merge(&b.uptime);
            a.availability.merge(&b.availability);
            a.offered += b.offered;
            a.succeeded += b.succeeded;
            a.failed += b.failed;
            a.retries += b.retries;
            if let Some(h) = &b.latency_us {
                merge_hist(&mut a.latency_us, h);
            }
        }
        match o.outage_spill {
            Some(sp) => self.take_spill(sp, o.outage_list),
            None => {
                self.push_outages(o.outage_list.into_iter());
                self.spill_phases(None);
            }
        }
        // Blocks come in replication order: sorting is needed only when
        // they do not (sorting every time made a million replications
        // quadratic).
        let in_order = match (self.per_rep.last(), o.per_rep.first()) {
            (Some(a), Some(b)) => a.0 < b.0,
            _ => true,
        };
        self.per_rep.extend(o.per_rep);
        if !in_order {
            self.per_rep.sort_by_key(|p| p.0);
        }
        if self.events.is_empty() && self.views.is_empty() {
            self.events = o.events;
            self.event_spill = o.event_spill;
            self.views = o.views;
            self.domain_changes = o.domain_changes;
        }
    }
}

/// Replications simulated at once before their results are merged: bounds
/// memory to a batch of one-replication outcomes, whatever the count.
const BATCH: u32 = 256;

/// Replications are merged in blocks of this many, and blocks in order:
/// the merge tree has one fixed shape, so a shard can ship whole blocks
/// and `merge` rebuilds the unsharded result bit for bit. Never change it:
/// it is part of every published result.
pub const BLOCK: u32 = 16;

/// The replications of block `b` of a run of `total`.
pub fn block_range(b: u32, total: u32) -> std::ops::Range<u32> {
    (b * BLOCK).min(total)..((b + 1) * BLOCK).min(total)
}

/// Called once per finished replication, from whichever worker thread ran
/// it (for a progress bar; it never touches a result).
pub type Tick<'a> = &'a (dyn Fn() + Sync);

/// Simulates whole blocks `blocks` (in parallel) as one outcome per block.
pub fn run_blocks(sc: &Scenario, blocks: std::ops::Range<u32>, total: u32) -> Vec<Outcome> {
    run_blocks_ticked(sc, blocks, total, &|| {}, &AtomicU64::new(0))
}

/// As `run_blocks`, calling `tick` as each replication finishes.
fn run_blocks_ticked(
    sc: &Scenario,
    blocks: std::ops::Range<u32>,
    total: u32,
    tick: Tick,
    detections: &AtomicU64,
) -> Vec<Outcome> {
    let mut blocks_out = Vec::new();
    for_each_block(sc, blocks, total, tick, detections, |b| blocks_out.push(b));
    blocks_out
}

/// Bytes one one-replication outcome may take, roughly: its windows (with
/// a workload, a latency histogram each: about 20 kB at two significant
/// digits), the outages it holds and the rest.
fn outcome_bytes(sc: &Scenario) -> u64 {
    let per_window = if sc.workload.is_some() { 20_000 } else { 64 };
    sc.window_count() as u64 * per_window + rep_keep() as u64 * 112 + (1 << 20)
}

/// One-replication outcomes a batch may hold at once: together about
/// this many bytes.
const BATCH_BYTES: u64 = 256 << 20;

/// Replications simulated at once before they are merged: `BATCH`, or
/// fewer when each outcome is large (10 000 windows with a workload:
/// about 200 MB each), but at least one per thread.
fn batch_reps(sc: &Scenario) -> u32 {
    let threads = rayon::current_num_threads().max(1) as u64;
    (BATCH_BYTES / outcome_bytes(sc))
        .min(u64::from(BATCH))
        .max(threads)
        .min(u64::from(u32::MAX)) as u32
}

/// Simulates whole blocks `blocks` and hands each to `f` in block order
/// as soon as its last replication is merged (issue 8: a batch of
/// replications is merged as it completes, so at most one batch of
/// one-replication outcomes and one block are held, whatever the run).
/// Replications are merged in replication order, blocks built exactly as
/// ever: the result does not depend on the batch size.
fn for_each_block(
    sc: &Scenario,
    blocks: std::ops::Range<u32>,
    total: u32,
    tick: Tick,
    detections: &AtomicU64,
    mut f: impl FnMut(Outcome),
) {
    use rayon::prelude::*;
    if blocks.is_empty() {
        return;
    }
    let reps = block_range(blocks.start, total).start..block_range(blocks.end - 1, total).end;
    let new_block = || {
        let mut block = Outcome::new(sc);
        // Blocks are merged again: they hold few outages in memory.
        block.outage_keep = rep_keep();
        block
    };
    let k = batch_reps(sc);
    let (mut b, mut block) = (blocks.start, new_block());
    let mut r = reps.start;
    while r < reps.end {
        let end = r.saturating_add(k).min(reps.end);
        let outs: Vec<Outcome> = (r..end)
            .into_par_iter()
            .map(|r| {
                let o = replication(sc, r, detections);
                tick();
                o
            })
            .collect();
        for (i, o) in (r..end).zip(outs) {
            block.merge(o);
            if i + 1 == block_range(b, total).end {
                f(std::mem::replace(&mut block, new_block()));
                b += 1;
            }
        }
        r = end;
    }
}

/// One replication as a one-replication outcome.
///
/// `detections` counts the detection times of the run seen so far (those
/// merged, and those of replications finished in any order): every one
/// will be merged into the run, so once they pass `EXACT_KEEP` the run's
/// times end up binned, and this replication bins its own at once.
fn replication(sc: &Scenario, r: u32, detections: &AtomicU64) -> Outcome {
    let mut o = Outcome::new(sc);
    // A batch of these is held at once: each keeps few outages in memory.
    o.outage_keep = rep_keep();
    let mut res = simulate(
        sc,
        RunOptions {
            replication: u64::from(r),
            trace: r == 0,
        },
    );
    let d = &mut res.imperfect.detection;
    let seen = detections.fetch_add(d.n, Ordering::Relaxed) + d.n;
    if seen > EXACT_KEEP as u64 {
        d.bin_all();
    }
    o.add(sc, r, res);
    o
}

fn merge_hist(into: &mut Option<Histogram<u64>>, h: &Histogram<u64>) {
    if h.is_empty() {
        return;
    }
    match into {
        Some(acc) => acc.add(h).expect("auto-resizing histograms always merge"),
        None => *into = Some(h.clone()),
    }
}

/// Runs every replication of a scenario.
pub fn run(sc: &Scenario) -> Outcome {
    run_observed(sc, &|| {})
}

/// As `run`, calling `tick()` as each replication finishes (for a progress
/// bar; the core itself does no IO).
pub fn run_observed(sc: &Scenario, tick: Tick) -> Outcome {
    run_range(sc, 0..sc.replications, tick)
}

/// Runs replications `reps` (in parallel) and merges them in order.
pub fn run_range(sc: &Scenario, reps: std::ops::Range<u32>, tick: Tick) -> Outcome {
    let mut out = Outcome::new(sc);
    extend(&mut out, sc, reps, tick);
    out
}

/// Merges replications `reps` into `out`, which holds those before them.
/// Extending in steps merges in the same order as one run: the result is
/// byte-identical to running all the replications at once.
pub fn extend(out: &mut Outcome, sc: &Scenario, reps: std::ops::Range<u32>, tick: Tick) {
    assert!(
        reps.start.is_multiple_of(BLOCK),
        "runs extend by whole blocks"
    );
    debug_assert_eq!(out.replications, reps.start);
    let first = reps.start / BLOCK;
    let last = reps.end.div_ceil(BLOCK);
    let detections = AtomicU64::new(out.imperfect.detection.n);
    for_each_block(sc, first..last, reps.end, tick, &detections, |b| {
        out.merge(b)
    });
}

/// Whether no replication was ever down: a relative precision of the
/// downtime is then undefined (0 ± 0 says nothing about how rare outages
/// are), and a report gives an upper bound instead.
pub fn no_outage(o: &Outcome) -> bool {
    o.total_down_ns == 0
}

/// Relative 95 % half-widths of the downtime fraction and, with a
/// workload, of p99 latency. Infinite when the interval is unknown, and for
/// the downtime when no outage was seen (see `no_outage`).
pub fn relative_half_widths(o: &Outcome) -> (f64, Option<f64>) {
    let rel = |ci: Option<f64>, value: f64| match ci {
        None => f64::INFINITY,
        Some(c) if value > 0.0 => c / value,
        Some(0.0) => 0.0,
        Some(_) => f64::INFINITY,
    };
    let down = if no_outage(o) {
        f64::INFINITY
    } else {
        rel(o.uptime.ci95(), 1.0 - o.uptime.mean_or_zero())
    };
    let p99 = o
        .requests
        .map(|_| rel(o.latency_p99_ms.ci95(), o.latency_p99_ms.mean_or_zero()));
    (down, p99)
}

/// Whether the outcome meets a relative precision target.
pub fn precision_met(o: &Outcome, target: f64) -> bool {
    let (down, p99) = relative_half_widths(o);
    down <= target && p99.is_none_or(|p| p <= target)
}

/// Fewest replications before a precision target is checked: a variance
/// from fewer is too rough to stop on.
pub const MIN_PRECISION_REPLICATIONS: u32 = 10;

/// Adds replications until `sc.precision` is met or `sc.max_replications`
/// have run. Each step aims at the count the current interval predicts
/// (half-width ∝ 1/√n), growing by 10 % to 4× at a time. When the first
/// replications saw no outage at all it stops there, as it always has: the
/// target cannot be met, and the report gives an upper bound instead.
pub fn run_to_precision(sc: &Scenario, tick: Tick) -> Outcome {
    let target = sc.precision.expect("a precision target");
    let max = sc.max_replications;
    let whole = |n: u32| n.div_ceil(BLOCK).saturating_mul(BLOCK).min(max);
    let first = whole(sc.replications.max(MIN_PRECISION_REPLICATIONS));
    let mut out = run_range(sc, 0..first, tick);
    while !precision_met(&out, target) && !no_outage(&out) && out.replications < max {
        let n = out.replications;
        let (down, p99) = relative_half_widths(&out);
        let worst = down.max(p99.unwrap_or(0.0));
        let predicted = if worst.is_finite() {
            f64::from(n) * (worst / target).powi(2) * 1.1
        } else {
            f64::INFINITY
        };
        // Whole blocks only, so the result equals a plain run of that size.
        let next = whole((predicted.ceil().min(f64::from(n) * 4.0) as u32).max(n + n / 10 + 1));
        extend(&mut out, sc, n..next, tick);
    }
    out
}

#[cfg(test)]
mod spill_tests {
    use super::*;
    use crate::scenario::{parse, LoadOptions};

    /// A run whose outages overflow the in-memory list writes the same
    /// `outages.csv`, byte for byte, as one that holds them all, and its
    /// page lists the same first outages.
    #[test]
    fn spilled_outages_write_the_same_csv() {
        let sc = parse(
            "name = \"spill\"\ndescription = \"d\"\narchitecture = \"symmetric-cluster\"\n\
             seed = 3\nduration = \"2000h\"\nreplications = 40\n[nodes]\ncount = 2\n\
             failure = { dist = \"exponential\", mean = \"50h\" }\n\
             repair = { dist = \"exponential\", mean = \"20h\" }\n",
            std::path::Path::new("spill.toml"),
            "spill",
            &LoadOptions::default(),
        )
        .unwrap();
        let whole = run(&sc);
        assert!(whole.outage_spill.is_none());
        let n = whole.outage_list.len();
        assert!(n > 200, "{n} outages: too few to spill");
        let mut spilled = Outcome::new(&sc);
        spilled.outage_keep = 50;
        for b in run_blocks(&sc, 0..sc.replications.div_ceil(BLOCK), sc.replications) {
            spilled.merge(b);
        }
        assert!(spilled.outage_spill.is_some());
        assert_eq!(spilled.outage_list.len(), 50);
        assert_eq!(spilled.outage_list[..], whole.outage_list[..50]);
        assert_eq!(spilled.total_outages, n as u64);
        let csv = crate::report::tables::outages(&whole, &[]);
        assert_eq!(crate::report::tables::outages(&spilled, &[]), csv);
        let mut streamed = Vec::new();
        crate::report::tables::write_outages(&spilled, &[], &mut streamed).unwrap();
        assert_eq!(streamed, csv.as_bytes());
        assert_eq!(spilled.longest_outage(), whole.longest_outage());
    }

    /// Replications with more outages than one holds in memory: the
    /// replications spill, their blocks adopt the files, and an outcome
    /// that merges them adopts a block's file in turn (its first outages
    /// taken from the list, or read back from the file when the list is
    /// shorter than its own bound). Whatever the path, the same CSV, the
    /// same first outages and the same phase rows as a run held in memory.
    #[test]
    fn replications_that_spill_are_adopted_not_copied_and_write_the_same_csv() {
        let sc = parse(
            "name = \"rs\"\ndescription = \"d\"\narchitecture = \"warm-standby\"\n\
             seed = 9\nduration = \"6000h\"\nreplications = 20\n[nodes]\ncount = 2\n\
             failure = { dist = \"exponential\", mean = \"2h\" }\n\
             repair = { dist = \"exponential\", mean = \"1h\" }\n",
            std::path::Path::new("rs.toml"),
            "rs",
            &LoadOptions::default(),
        )
        .unwrap();
        let r0 = simulate(
            &sc,
            RunOptions {
                replication: 0,
                trace: true,
            },
        );
        let sp = r0.outage_spill.as_ref().expect("replication 0 spills");
        assert_eq!(r0.outages.len(), rep_keep());
        assert_eq!(sp.iter().count() as u64, r0.outage_count);
        let whole = run(&sc);
        assert!(whole.outage_spill.is_none(), "the run itself holds them");
        let n = whole.total_outages as usize;
        assert_eq!(whole.outage_list.len(), n);
        let csv = crate::report::tables::outages(&whole, &[]);
        for keep in [50, 1500, n - 1] {
            let mut o = Outcome::new(&sc);
            o.outage_keep = keep;
            for b in run_blocks(&sc, 0..2, sc.replications) {
                o.merge(b);
            }
            assert!(o.outage_spill.is_some(), "{keep}");
            assert_eq!(o.outage_list[..], whole.outage_list[..keep], "{keep}");
            assert_eq!(crate::report::tables::outages(&o, &[]), csv, "{keep}");
            let rows: Vec<_> = o.outage_phases().collect();
            assert_eq!(rows, whole.imperfect.outage_phases_ns, "{keep}");
            assert_eq!(o.longest_outage(), whole.longest_outage());
        }
    }
}
