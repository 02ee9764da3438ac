//! Random gray faults and rolling maintenance (SPEC §7, "More per-node
//! detail"): the raw mirror of `nodes.hang`, `nodes.slow`,
//! `nodes.partition` and `[maintenance]`, their validation, and the
//! validated types the model runs on.
//!
//! A gray fault process is an alternating renewal process per node: a
//! quiet time drawn from `every` (from t = 0, then from the end of the
//! previous fault), then a fault lasting a `for` draw. Each node draws from
//! its own streams, so the processes are independent.

use super::dist::Dist;
use super::raw::{RawDist, RawDuration};
use super::validate::Ctx;
use crate::error::InputError;
use serde::Deserialize;

/// `nodes.hang` and `nodes.partition` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGray {
    pub every: Option<RawDist>,
    #[serde(rename = "for")]
    pub for_: Option<RawDist>,
}

/// `nodes.slow` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGraySlow {
    pub every: Option<RawDist>,
    #[serde(rename = "for")]
    pub for_: Option<RawDist>,
    pub factor: Option<f64>,
}

/// `[maintenance]` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMaintenance {
    pub every: Option<RawDuration>,
    pub start: Option<RawDuration>,
    pub drain: Option<RawDuration>,
    pub duration: Option<RawDist>,
}

/// One kind of random gray fault.
#[derive(Clone, Debug, PartialEq)]
pub struct GrayProcess {
    /// Quiet time before each fault (from t = 0, then from the end of the
    /// previous fault).
    pub every: Dist,
    /// How long each fault lasts.
    pub for_: Dist,
}

/// The random gray faults of every node (all None: none happen).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GrayFaults {
    pub hang: Option<GrayProcess>,
    /// With the service-time factor.
    pub slow: Option<(GrayProcess, f64)>,
    pub partition: Option<GrayProcess>,
}

impl GrayFaults {
    pub fn any(&self) -> bool {
        self.hang.is_some() || self.slow.is_some() || self.partition.is_some()
    }

    /// The processes by kind, in the order of `model::gray` (hang, slow,
    /// partition).
    pub fn kinds(&self) -> [Option<&GrayProcess>; 3] {
        [
            self.hang.as_ref(),
            self.slow.as_ref().map(|s| &s.0),
            self.partition.as_ref(),
        ]
    }
}

/// `[maintenance]`: a rolling upgrade.
#[derive(Clone, Debug, PartialEq)]
pub struct Maintenance {
    /// The first round.
    pub start_ns: u64,
    /// Time between the starts of two rounds.
    pub every_ns: u64,
    /// Marked down, no new tasks, still running: this long before the stop.
    pub drain_ns: u64,
    /// How long one node is stopped.
    pub duration: Dist,
}

/// The most gray-fault and maintenance events one replication may plan
/// (a 1 ns `every` over years would never end).
pub const MAX_EVENTS: f64 = 1e8;

fn gray(
    ctx: &Ctx,
    key: &str,
    every: &Option<RawDist>,
    for_: &Option<RawDist>,
    horizon_ns: u64,
    count: u32,
) -> Result<GrayProcess, InputError> {
    let what = key.rsplit('.').next().unwrap_or(key);
    let need = |name: &str, v: &Option<RawDist>, example: &str| match v {
        Some(d) => ctx.dist(&format!("{key}.{name}"), d, true),
        None => Err(ctx.err(
            &format!("{key}.{name}"),
            format!("random `{what}` faults need `{name}`"),
            format!("add {name} = {example} to {key}"),
        )),
    };
    let every = need("every", every, "{ dist = \"exponential\", mean = \"30d\" }")?;
    let for_ = need("for", for_, "\"10m\"")?;
    let cycles = horizon_ns as f64 / (every.mean_ns() + for_.mean_ns()) * f64::from(count);
    if cycles > MAX_EVENTS {
        return Err(ctx.err(
            &format!("{key}.every"),
            format!(
                "this run would draw about {cycles:.1e} {what} faults (at most {MAX_EVENTS:.0e})"
            ),
            "give a longer `every`, a shorter duration (and more replications), or fewer nodes",
        ));
    }
    Ok(GrayProcess { every, for_ })
}

/// `nodes.hang`, `nodes.slow`, `nodes.partition`.
pub fn validate_gray(
    ctx: &Ctx,
    hang: Option<&RawGray>,
    slow: Option<&RawGraySlow>,
    partition: Option<&RawGray>,
    horizon_ns: u64,
    count: u32,
) -> Result<GrayFaults, InputError> {
    let hang = hang
        .map(|g| gray(ctx, "nodes.hang", &g.every, &g.for_, horizon_ns, count))
        .transpose()?;
    let partition = partition
        .map(|g| gray(ctx, "nodes.partition", &g.every, &g.for_, horizon_ns, count))
        .transpose()?;
    let slow = match slow {
        None => None,
        Some(s) => {
            let factor = s.factor.unwrap_or(3.0);
            if !(factor.is_finite() && (1.0..=1e6).contains(&factor)) {
                return Err(ctx.err(
                    "nodes.slow.factor",
                    format!("factor {factor} is out of range"),
                    "use a factor from 1 to 1e6, e.g. 3 for three times slower",
                ));
            }
            let p = gray(ctx, "nodes.slow", &s.every, &s.for_, horizon_ns, count)?;
            Some((p, factor))
        }
    };
    Ok(GrayFaults {
        hang,
        slow,
        partition,
    })
}

/// `[maintenance]`. `wait_ns` is how long a returning node takes to be
/// marked up (rise × heartbeat): the next node waits for it.
pub fn validate_maintenance(
    ctx: &Ctx,
    m: &RawMaintenance,
    count: u32,
    wait_ns: u64,
    horizon_ns: u64,
) -> Result<Maintenance, InputError> {
    let every_ns = match &m.every {
        Some(d) => ctx.duration("maintenance.every", d)?,
        None => {
            return Err(ctx.err(
                "maintenance.every",
                "[maintenance] needs `every`, the time between rounds",
                "add every = \"30d\" to [maintenance]",
            ))
        }
    };
    if every_ns == 0 {
        return Err(ctx.err(
            "maintenance.every",
            "rounds cannot follow each other at no interval",
            "give a positive time between rounds, e.g. every = \"30d\"",
        ));
    }
    let duration = match &m.duration {
        Some(d) => ctx.dist("maintenance.duration", d, false)?,
        None => {
            return Err(ctx.err(
                "maintenance.duration",
                "[maintenance] needs `duration`, how long one node is stopped",
                "add duration = \"20m\" to [maintenance]",
            ))
        }
    };
    let start_ns = match &m.start {
        Some(d) => ctx.duration("maintenance.start", d)?,
        None => every_ns,
    };
    let drain_ns = match &m.drain {
        Some(d) => ctx.duration("maintenance.drain", d)?,
        None => 0,
    };
    // A round takes each node's drain, stop and return to the dispatcher
    // in turn; rounds never overlap, so one that is longer than `every`
    // on average would skip every other round.
    let per_node = drain_ns as f64 + duration.mean_ns() + wait_ns as f64;
    let round = per_node * f64::from(count);
    if round >= every_ns as f64 {
        return Err(ctx.err(
            "maintenance.duration",
            format!(
                "a round of {count} node(s) takes about {} (drain + duration + marking up, per node), not less than every = {}",
                crate::sim::time::human(round.min(u64::MAX as f64) as u64),
                crate::sim::time::human(every_ns)
            ),
            "make `every` longer than nodes.count × (drain + duration), or shorten `duration` or `drain`",
        ));
    }
    let rounds = horizon_ns.saturating_sub(start_ns) as f64 / every_ns as f64;
    if rounds * f64::from(count) > MAX_EVENTS {
        return Err(ctx.err(
            "maintenance.every",
            format!(
                "this run would hold about {:.1e} node maintenances (at most {MAX_EVENTS:.0e})",
                rounds * f64::from(count)
            ),
            "give a longer `every` or a shorter duration (and more replications)",
        ));
    }
    Ok(Maintenance {
        start_ns,
        every_ns,
        drain_ns,
        duration,
    })
}
