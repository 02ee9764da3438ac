//! Sharding: `--shard K/N` runs the K-th share of a run's replication blocks
//! and writes them to a shard file; `hasim merge` reads the N files and
//! merges the blocks in order, which rebuilds the unsharded outcome bit for
//! bit (see `montecarlo::BLOCK`). Shard files are JSON: floats in shortest
//! round-trip form (exact), histograms as (value, count) pairs that rebuild
//! the same buckets, and the scenario's own text, so a merge needs nothing
//! but the files.
//!
//! A file is `{"hasim_digest":"fnv1a64:<16 hex>",` followed by the rest of
//! the JSON object; the digest is FNV-1a 64 of that object as it would be
//! written without the digest (`{` and the rest), so any edit or damage to
//! header or data is caught before anything is parsed. `merge` then checks
//! what a digest cannot: that the files are the N shares of one run, that
//! their blocks tile its replications exactly once, and that every block's
//! data fits its header (`Merger`).

use crate::error::InputError;
use crate::metrics::{Cause, Outage, TraceEvent, ViewChange};
use crate::montecarlo::{block_range, Outcome, Totals, WindowAgg, BLOCK};
use crate::scenario::validate::limits::MAX_REPLICATIONS;
use crate::scenario::Scenario;
use crate::stats::Welford;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::path::Path;

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
const NAMES: [&str; 37] = [
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
    "domain_failed",
    "domain_repaired",
    "stopped",
    "restarted",
    "cut_off",
    "reconnected",
    "dispatcher_failed",
    "dispatcher_repaired",
    "dispatcher_took_over",
    "maintenance_started",
    "maintenance_stopped",
    "maintenance_skipped",
    "fenced",
    "stepped_down",
    "lease_expired",
    crate::model::TRACE_CUT,
    // SPEC §7 `nodes.crews`.
    "repair_started",
    "domain_repair_started",
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
    /// Absent from shards written before it existed.
    #[serde(default)]
    retries: u64,
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
    #[serde(default)]
    root: Option<crate::metrics::Root>,
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
    /// SPEC §7 domain and dispatcher changes of replication 0 (absent
    /// without domains, so such shards keep their bytes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    domain_changes: Vec<crate::metrics::domain_trace::DomainChange>,
    sim_events: u64,
    #[serde(default)]
    imperfect: crate::metrics::ImperfectAgg,
    /// SPEC §7 (absent without `[maintenance]`).
    #[serde(default, skip_serializing_if = "no_samples")]
    planned_downtime_s: Welford,
}

fn no_samples(w: &Welford) -> bool {
    w.n == 0
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
                    retries: w.retries,
                    latency_us: hist_out(&w.latency_us),
                })
                .collect(),
            outage_list: o
                .outages()
                .map(|(r, x)| OutageData {
                    replication: r,
                    start_ns: x.start_ns,
                    end_ns: x.end_ns,
                    censored: x.censored,
                    event: x.cause.event.into(),
                    node: x.cause.node,
                    root: x.root,
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
            domain_changes: o.domain_changes.clone(),
            sim_events: o.sim_events,
            imperfect: crate::metrics::ImperfectAgg {
                // Spilled with the outages, when they were (montecarlo).
                outage_phases_ns: o.outage_phases().collect(),
                ..o.imperfect.clone()
            },
            planned_downtime_s: o.planned_downtime_s,
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
                        retries: w.retries,
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
                            root: x.root,
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
            outage_spill: None,
            outage_keep: crate::metrics::outage_log::OUTAGE_KEEP,
            event_spill: None,
            views: self.views,
            domain_changes: self.domain_changes,
            sim_events: self.sim_events,
            // Shards keep no per-replication uptimes (compare pairs them).
            per_rep: Vec::new(),
            imperfect: self.imperfect,
            planned_downtime_s: self.planned_downtime_s,
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

/// Format 2 added the content digest.
pub const FORMAT: u32 = 2;

const DIGEST_HEAD: &str = "{\"hasim_digest\":\"fnv1a64:";

/// FNV-1a, 64 bits (Fowler, Noll, Vo): a content digest against damage and
/// careless edits, not a cryptographic signature.
pub fn fnv1a64(chunks: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in chunks.iter().flat_map(|c| c.iter()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A shard file's text: the JSON object with its digest first.
pub fn encode(shard: &ShardFile) -> Result<String, serde_json::Error> {
    let body = serde_json::to_string(shard)?;
    let rest = body.strip_prefix('{').unwrap_or(&body);
    Ok(format!(
        "{DIGEST_HEAD}{:016x}\",{rest}",
        fnv1a64(&[b"{", rest.as_bytes()])
    ))
}

/// Reads a shard file: a regular file (never a FIFO, which would block),
/// its digest verified, then parsed.
pub fn read(path: &Path) -> Result<ShardFile, String> {
    read_digest(path).map(|(s, _)| s)
}

/// As `read`, with the file's content digest (a merge reads a file again
/// and checks that it did not change).
pub fn read_digest(path: &Path) -> Result<(ShardFile, u64), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the shard: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file (a FIFO, socket or device)".into());
    }
    let mut bytes = std::fs::read(path).map_err(|e| format!("cannot read the shard: {e}"))?;
    let Some(tail) = bytes.strip_prefix(DIGEST_HEAD.as_bytes()) else {
        let old = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v.get("hasim_shard").and_then(|f| f.as_u64()));
        return Err(match old {
            Some(f) => {
                format!("shard format {f} has no content digest (this hasim reads format {FORMAT})")
            }
            None => "not a hasim shard file (it does not begin with a hasim digest)".into(),
        });
    };
    let digest = tail
        .get(..16)
        .and_then(|h| std::str::from_utf8(h).ok())
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .filter(|_| tail.get(16..18) == Some(b"\","));
    let Some(digest) = digest else {
        return Err("not a hasim shard file (its digest is malformed)".into());
    };
    let rest = &tail[18..];
    if fnv1a64(&[b"{", rest]) != digest {
        return Err("the shard is damaged or was edited: its content digest does not match".into());
    }
    // The object is `{` and the rest: the `,` before the rest becomes the
    // `{`, so the file is parsed where it lies, not copied (a merge holds
    // one shard's bytes, not two).
    let at = DIGEST_HEAD.len() + 17;
    bytes[at] = b'{';
    let shard: ShardFile =
        serde_json::from_slice(&bytes[at..]).map_err(|e| format!("not a hasim shard file: {e}"))?;
    if shard.hasim_shard != FORMAT {
        return Err(format!(
            "shard format {} (this hasim reads {FORMAT})",
            shard.hasim_shard
        ));
    }
    Ok((shard, digest))
}

/// What a shard's header says of itself, checked before its data is read:
/// a valid K of N, a replication count, and exactly shard K's share of the
/// blocks (so the N shards tile the blocks exactly once).
pub fn check_header(s: &ShardFile) -> Result<(), String> {
    if s.shards == 0 || s.shard >= s.shards {
        return Err(format!(
            "shard {} of {}: a shard is K of N with 0 ≤ K < N",
            s.shard, s.shards
        ));
    }
    if s.replications == 0 || s.replications > MAX_REPLICATIONS {
        return Err(format!(
            "{} replications: a run has 1 to {MAX_REPLICATIONS}",
            s.replications
        ));
    }
    let own = share(s.shard, s.shards, s.replications.div_ceil(BLOCK));
    if (s.first_block, s.end_block) != (own.start, own.end) {
        return Err(format!(
            "shard {} of {} holds blocks {}..{}, but its share of {} replications is blocks {}..{}",
            s.shard, s.shards, s.first_block, s.end_block, s.replications, own.start, own.end
        ));
    }
    if s.blocks.len() != own.len() {
        return Err(format!(
            "shard {} says it holds blocks {}..{} but has {} of them",
            s.shard,
            own.start,
            own.end,
            s.blocks.len()
        ));
    }
    if let Some(sw) = &s.sweep {
        if sw.points == 0 || sw.point >= sw.points {
            return Err(format!(
                "sweep point {} of {}: a point is counted from 0 below the number of points",
                sw.point, sw.points
            ));
        }
    }
    Ok(())
}

/// Replays replication 0 from the header (scenario text, overrides, seed)
/// and compares it with what block 0 recorded of it: its events, node
/// views and outages. One replication's cost, and it ties the header to the
/// data where no digest can: a seed or a scenario edited consistently in
/// every shard, and re-signed, no longer replays.
pub fn replay_first(sc: &Scenario, block0: &BlockData) -> Result<(), String> {
    use crate::model::{simulate, RunOptions};
    let r = simulate(
        sc,
        RunOptions {
            replication: 0,
            trace: true,
        },
    );
    let events_match = r.trace.len() == block0.events.len()
        && r.trace.iter().zip(&block0.events).all(|(a, b)| {
            a.time_ns == b.time_ns && a.node == b.node && a.event == b.event && a.detail == b.detail
        });
    let recorded: Vec<&OutageData> = block0
        .outage_list
        .iter()
        .filter(|o| o.replication == 0)
        .collect();
    let outages_match = r.outage_count == recorded.len() as u64
        && r.all_outages().zip(&recorded).all(|(a, b)| {
            a.start_ns == b.start_ns
                && a.end_ns == b.end_ns
                && a.censored == b.censored
                && a.cause.event == b.event
                && a.cause.node == b.node
        });
    if events_match
        && outages_match
        && r.views == block0.views
        && r.domain_changes == block0.domain_changes
    {
        Ok(())
    } else {
        Err("replication 0, replayed from the header (scenario, --set, seed), does not give the events and outages recorded: the header does not belong to this data".into())
    }
}

/// Sums with checked arithmetic, block after block, so a merge that would
/// overflow a count is refused instead of wrapping or panicking.
#[derive(Default)]
pub struct Merger {
    replications: u32,
    sim_events: u64,
    total_down_ns: u128,
    total_outages: u64,
    requests: [u64; 6],
    latency_sum_ns: u128,
    latency_count: u64,
    welford_n: [u64; 7],
    window_counts: Vec<[u64; 4]>,
}

fn sum<T: num_like::Checked>(acc: &mut T, x: T, what: &str) -> Result<(), String> {
    *acc = acc
        .checked(x)
        .ok_or_else(|| format!("the {what} overflow when added up"))?;
    Ok(())
}

mod num_like {
    pub trait Checked: Sized + Copy {
        fn checked(self, x: Self) -> Option<Self>;
    }
    impl Checked for u32 {
        fn checked(self, x: Self) -> Option<Self> {
            self.checked_add(x)
        }
    }
    impl Checked for u64 {
        fn checked(self, x: Self) -> Option<Self> {
            self.checked_add(x)
        }
    }
    impl Checked for u128 {
        fn checked(self, x: Self) -> Option<Self> {
            self.checked_add(x)
        }
    }
}

/// The significant digits of the latency histograms (`metrics::requests`).
const RUN_SIGFIG: u8 = 3;
const WINDOW_SIGFIG: u8 = 2;

fn hist_count(h: &Option<Hist>, sigfig: u8, what: &str) -> Result<u64, String> {
    let Some(h) = h else { return Ok(0) };
    if h.sigfig != sigfig {
        return Err(format!(
            "the {what} histogram has {} significant digits, not {sigfig}",
            h.sigfig
        ));
    }
    let mut n = 0u64;
    for (_, c) in &h.counts {
        sum(&mut n, *c, &format!("{what} histogram counts"))?;
    }
    Ok(n)
}

impl Merger {
    /// Checks block `b` (of a run of `total` replications of `sc`) against
    /// its header and adds its counts.
    pub fn check(&mut self, sc: &Scenario, b: u32, d: &BlockData) -> Result<(), String> {
        let block = |m: String| format!("block {b}: {m}");
        let reps = block_range(b, sc.replications);
        if d.replications as usize != reps.len() {
            return Err(block(format!(
                "{} replications, but block {b} of {} holds {}",
                d.replications,
                sc.replications,
                reps.len()
            )));
        }
        if d.measured_ns != sc.duration_ns {
            return Err(block(format!(
                "measured {} ns, but the scenario's duration is {} ns",
                d.measured_ns, sc.duration_ns
            )));
        }
        if d.class_uptime.len() != sc.dispatch.classes.len()
            || d.windows.len() != sc.window_count()
            || d.requests.is_some() != sc.workload.is_some()
        {
            return Err(block(
                "its classes, windows or requests do not fit the scenario in the header".into(),
            ));
        }
        let n = u64::from(d.replications);
        for (w, what) in [
            (&d.uptime, "uptime"),
            (&d.downtime_s, "downtime"),
            (&d.outages, "outages"),
            (&d.failovers, "failovers"),
        ] {
            if w.n != n {
                return Err(block(format!(
                    "{} {what} samples for {n} replications",
                    w.n
                )));
            }
        }
        if !(0.0..=1.0).contains(&d.uptime.mean_or_zero()) {
            return Err(block("an uptime outside 0 to 1".into()));
        }
        if d.total_outages != d.outage_list.len() as u64 {
            return Err(block(format!(
                "{} outages counted but {} listed",
                d.total_outages,
                d.outage_list.len()
            )));
        }
        // Outages: in the block's replications, in order, inside the
        // measured interval, each ending after it starts, and adding up
        // to the downtime.
        let (from, to) = (sc.warmup_ns, sc.horizon_ns());
        let mut down = 0u128;
        let mut last: Option<(u32, u64)> = None;
        for o in &d.outage_list {
            if !reps.contains(&o.replication) {
                return Err(block(format!(
                    "an outage of replication {}, which is not in this block",
                    o.replication
                )));
            }
            if o.end_ns <= o.start_ns {
                return Err(block(format!(
                    "an outage ends ({} ns) before it starts ({} ns)",
                    o.end_ns, o.start_ns
                )));
            }
            if o.start_ns < from || o.end_ns > to {
                return Err(block(format!(
                    "an outage {}..{} ns lies outside the measured run {from}..{to} ns",
                    o.start_ns, o.end_ns
                )));
            }
            if let Some((r, end)) = last {
                if o.replication < r || o.replication == r && o.start_ns < end {
                    return Err(block("its outages overlap or are out of order".into()));
                }
            }
            last = Some((o.replication, o.end_ns));
            intern(&o.event)?;
            if o.node.is_some_and(|x| x >= sc.nodes.count) {
                return Err(block("an outage names a node that does not exist".into()));
            }
            down += u128::from(o.end_ns - o.start_ns);
        }
        if down != d.total_down_ns {
            return Err(block(format!(
                "its outages add up to {down} ns of downtime, its total says {} ns",
                d.total_down_ns
            )));
        }
        if (!d.events.is_empty() || !d.views.is_empty()) && b != 0 {
            return Err(block(
                "events of a replication other than the first (only block 0 has them)".into(),
            ));
        }
        let end = sc.end_ns();
        if d.events.iter().any(|e| e.time_ns > end) || d.views.iter().any(|v| v.time_ns > end) {
            return Err(block("an event after the end of the run".into()));
        }
        if d.events
            .iter()
            .any(|e| e.node.is_some_and(|x| x >= sc.nodes.count))
            || d.views.iter().any(|v| v.node >= sc.nodes.count)
        {
            return Err(block("an event names a node that does not exist".into()));
        }
        // Counts: checked sums over every block merged so far.
        sum(&mut self.replications, d.replications, "replications")?;
        sum(&mut self.sim_events, d.sim_events, "simulation events")?;
        sum(&mut self.total_down_ns, d.total_down_ns, "downtimes")?;
        sum(&mut self.total_outages, d.total_outages, "outage counts")?;
        if let Some(r) = &d.requests {
            let fields = [
                r.offered,
                r.succeeded,
                r.timed_out,
                r.rejected,
                r.errored,
                r.retries,
            ];
            for (acc, x) in self.requests.iter_mut().zip(fields) {
                sum(acc, x, "request counts")?;
            }
            if r.succeeded > r.offered || r.failed() > r.offered {
                return Err(block("more requests answered than offered".into()));
            }
        }
        sum(&mut self.latency_sum_ns, d.latency_sum_ns, "latency sums")?;
        let c = hist_count(&d.latency_ns, RUN_SIGFIG, "latency")?;
        sum(&mut self.latency_count, c, "latency counts")?;
        let ws = [
            &d.uptime,
            &d.availability,
            &d.downtime_s,
            &d.outages,
            &d.failovers,
            &d.latency_mean_ms,
            &d.latency_p99_ms,
        ];
        for (acc, w) in self.welford_n.iter_mut().zip(ws) {
            sum(acc, w.n, "sample counts")?;
        }
        for w in d.class_uptime.iter() {
            if w.n > n {
                return Err(block("more class samples than replications".into()));
            }
        }
        self.window_counts.resize(d.windows.len(), [0; 4]);
        for (acc, w) in self.window_counts.iter_mut().zip(&d.windows) {
            sum(&mut acc[0], w.offered, "window request counts")?;
            sum(&mut acc[1], w.succeeded, "window request counts")?;
            sum(&mut acc[2], w.failed, "window request counts")?;
            let c = hist_count(&w.latency_us, WINDOW_SIGFIG, "window latency")?;
            sum(&mut acc[3], c, "window latency counts")?;
            if w.uptime.n > n || w.availability.n > n {
                return Err(block("more window samples than replications".into()));
            }
        }
        Ok(())
    }
}

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
        assert!(parse_spec("0/0").is_err());
    }

    #[test]
    fn the_digest_is_fnv1a_64() {
        // Published test vectors (Fowler, Noll, Vo).
        assert_eq!(fnv1a64(&[]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(&[b"foobar"]), 0x8594_4171_f739_67e8);
        assert_eq!(fnv1a64(&[b"foo", b"bar"]), fnv1a64(&[b"foobar"]));
    }
}
