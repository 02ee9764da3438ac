//! Raw scenario -> validated `Scenario`: defaults, units, ranges and the
//! cross-key rules of SPEC §1. Every error names the key path and the fix;
//! `Ctx::err` adds the file, line and column.

use super::dist::Dist;
use super::duration::{parse_duration, DURATION_HELP};
use super::model::*;
use super::raw::*;
use crate::error::InputError;
use crate::sim::time::NS_PER_S;

/// Sizes beyond these are refused before anything is allocated.
pub mod limits {
    use crate::sim::time::NS_PER_S;
    pub const MAX_NODES: u32 = 10_000;
    pub const MAX_CAPACITY: u32 = 100_000;
    /// SPEC §7 `nodes.crews`.
    pub const MAX_CREWS: u32 = 1_000_000;
    pub const MAX_QUEUE: u32 = 10_000_000;
    pub const MAX_WINDOWS: u64 = 10_000;
    pub const MAX_REPLICATIONS: u32 = 1_000_000;
    pub const MAX_ATTEMPTS: u32 = 100;
    pub const MAX_CLASSES: usize = 64;
    pub const MAX_RATE_PER_S: f64 = 1.0e9;
    pub const MAX_FALL_RISE: u32 = 1_000_000;
    /// Runs of lost heartbeats one replication may draw (a few minutes).
    pub const MAX_LOSSY_RUNS: f64 = 2e9;
    /// 200 years of simulated time (u64 nanoseconds reach 584).
    pub const MAX_HORIZON_NS: u64 = 200 * 365 * 86_400 * NS_PER_S;
    /// The largest seed, in the file (a TOML integer) and on the command
    /// line alike.
    pub const MAX_SEED: u64 = i64::MAX as u64;
    /// The largest mean of a distribution, in nanoseconds: `u64::MAX`
    /// (584 years). See `Ctx::dist`.
    pub const MAX_MEAN_NS: f64 = u64::MAX as f64;
}

/// How to write a seed (the file's `seed` and `--seed` say the same).
pub const SEED_FIX: &str = "use a whole number from 0 to 9223372036854775807";

/// `--seed`'s parser: exactly the range of the file's `seed`.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    let v: i128 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a whole number; {SEED_FIX}"))?;
    u64::try_from(v)
        .ok()
        .filter(|s| *s <= limits::MAX_SEED)
        .ok_or_else(|| format!("{v} is out of range; {SEED_FIX}"))
}

/// Where errors point: the file, its text (for line and column) and the
/// key paths set on the command line.
pub struct Ctx<'a> {
    pub file: &'a std::path::Path,
    pub text: &'a str,
    pub overridden: &'a [String],
}

impl Ctx<'_> {
    pub fn err(&self, key: &str, message: impl Into<String>, fix: impl Into<String>) -> InputError {
        let mut e = InputError::new(message).key(key).fix(fix).file(self.file);
        if self
            .overridden
            .iter()
            .any(|o| key == o || key.starts_with(&format!("{o}.")) || o.starts_with(key))
        {
            e.message.push_str(" (value given with --set)");
        } else {
            e.line_col = super::locate::locate(self.text, key);
        }
        e
    }

    pub(super) fn duration(&self, key: &str, raw: &RawDuration) -> Result<u64, InputError> {
        parse_duration(&raw.0).map_err(|m| self.err(key, m, format!("write {DURATION_HELP}")))
    }

    fn opt_duration(
        &self,
        key: &str,
        raw: &Option<RawDuration>,
        default: u64,
    ) -> Result<u64, InputError> {
        raw.as_ref().map_or(Ok(default), |r| self.duration(key, r))
    }

    pub(super) fn int(&self, key: &str, v: i64, min: i64, max: i64) -> Result<i64, InputError> {
        if v < min || v > max {
            return Err(self.err(
                key,
                format!("{v} is out of range"),
                format!("use a whole number from {min} to {max}"),
            ));
        }
        Ok(v)
    }

    fn choice<T: Copy>(&self, key: &str, v: &str, options: &[(&str, T)]) -> Result<T, InputError> {
        options
            .iter()
            .find(|(n, _)| *n == v)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                let names: Vec<String> = options.iter().map(|(n, _)| format!("\"{n}\"")).collect();
                self.err(
                    key,
                    format!("unknown value {v:?}"),
                    format!("use one of {}", names.join(", ")),
                )
            })
    }

    /// A distribution; `positive` requires a mean above zero.
    pub fn dist(&self, key: &str, raw: &RawDist, positive: bool) -> Result<Dist, InputError> {
        let d = match raw {
            RawDist::Short(d) => Dist::Fixed(self.duration(key, d)?),
            RawDist::Table(t) => self.dist_table(key, t)?,
        };
        // The mean must be a number of nanoseconds a u64 holds. For a
        // Weibull that bounds the shape: scale·Γ(1+1/shape) grows faster
        // than any power as shape → 0 (Γ(1+1/k) passes 1.8e19 at
        // 1/k ≈ 20.7), so with a scale of 1 ns the shape must be above
        // about 0.048, with 1 h above about 0.09 (`shape = 1e-9` has an
        // infinite mean). Lognormal: median·exp(σ²/2) likewise. Draws
        // themselves cannot overflow: `round_ns` saturates at 2^63 ns
        // (292 years), beyond the 200-year horizon, so a draw from the far
        // tail means "not within this run".
        let mean = d.mean_ns();
        if !(mean.is_finite() && mean <= limits::MAX_MEAN_NS) {
            return Err(self.err(
                key,
                format!("the mean of this distribution is {mean:e} ns, beyond the 584 years a run can count"),
                match d {
                    Dist::Weibull { .. } => "raise `shape` (a small shape makes scale·Γ(1+1/shape) explode; e.g. shape = 0.5 or more) or lower `scale`",
                    Dist::LogNormal { .. } => "lower `sigma` or `median` (the mean is median·exp(sigma²/2))",
                    _ => "give a shorter time",
                },
            ));
        }
        if positive && mean <= 0.0 {
            return Err(self.err(
                key,
                "the mean must be above zero",
                "give a positive time, e.g. \"10h\"",
            ));
        }
        Ok(d)
    }

    fn dist_table(&self, key: &str, t: &RawDistTable) -> Result<Dist, InputError> {
        let allowed: &[&str] = match t.dist.as_str() {
            "fixed" => &["value"],
            "exponential" => &["mean"],
            "uniform" => &["min", "max"],
            "lognormal" => &["median", "sigma"],
            "weibull" => &["shape", "scale"],
            other => {
                return Err(self.err(
                    &format!("{key}.dist"),
                    format!("unknown distribution {other:?}"),
                    "use \"fixed\", \"exponential\", \"uniform\", \"lognormal\" or \"weibull\"",
                ))
            }
        };
        let present = [
            ("value", t.value.is_some()),
            ("mean", t.mean.is_some()),
            ("min", t.min.is_some()),
            ("max", t.max.is_some()),
            ("median", t.median.is_some()),
            ("sigma", t.sigma.is_some()),
            ("shape", t.shape.is_some()),
            ("scale", t.scale.is_some()),
        ];
        let want = allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        for (name, is) in present {
            if is && !allowed.contains(&name) {
                return Err(self.err(
                    &format!("{key}.{name}"),
                    format!("`{name}` does not belong to a {} distribution", t.dist),
                    format!("a {} distribution takes {want}", t.dist),
                ));
            }
        }
        let need = |name: &str, v: &Option<RawDuration>| -> Result<u64, InputError> {
            let k = format!("{key}.{name}");
            match v {
                Some(d) => self.duration(&k, d),
                None => Err(self.err(
                    &k,
                    format!("a {} distribution needs `{name}`", t.dist),
                    format!("add {want}"),
                )),
            }
        };
        let need_f = |name: &str,
                      v: Option<f64>,
                      ok: fn(f64) -> bool,
                      range: &str|
         -> Result<f64, InputError> {
            let k = format!("{key}.{name}");
            match v {
                Some(x) if x.is_finite() && ok(x) => Ok(x),
                Some(x) => {
                    Err(self.err(&k, format!("{x} is out of range"), format!("use {range}")))
                }
                None => Err(self.err(
                    &k,
                    format!("a {} distribution needs `{name}`", t.dist),
                    format!("add {want}"),
                )),
            }
        };
        Ok(match t.dist.as_str() {
            "fixed" => Dist::Fixed(need("value", &t.value)?),
            "exponential" => Dist::Exponential {
                mean_ns: need("mean", &t.mean)? as f64,
            },
            "uniform" => {
                let (min_ns, max_ns) = (need("min", &t.min)?, need("max", &t.max)?);
                if min_ns > max_ns {
                    return Err(self.err(
                        &format!("{key}.min"),
                        "`min` is above `max`",
                        "make min ≤ max",
                    ));
                }
                Dist::Uniform { min_ns, max_ns }
            }
            "lognormal" => Dist::LogNormal {
                median_ns: need("median", &t.median)? as f64,
                sigma: need_f(
                    "sigma",
                    t.sigma,
                    |x| (0.0..=10.0).contains(&x),
                    "a sigma from 0 to 10",
                )?,
            },
            _ => Dist::Weibull {
                shape: need_f(
                    "shape",
                    t.shape,
                    |x| x > 0.0 && x <= 100.0,
                    "a shape above 0 and at most 100",
                )?,
                scale_ns: need("scale", &t.scale)? as f64,
            },
        })
    }
}

/// An SLA in percent: strictly between 0 and 100 (`sla` and `--sla`).
pub fn check_sla(p: f64) -> Result<f64, String> {
    if p.is_finite() && p > 0.0 && p < 100.0 {
        Ok(p)
    } else {
        Err(format!("{p} is not an SLA percentage"))
    }
}

/// The cap on replications for a precision target unless given.
pub const DEFAULT_MAX_REPLICATIONS: u32 = 10_000;
pub const PRECISION_FIX: &str = "give a relative half-width between 0 and 1, e.g. 0.05 for ±5 %";

pub fn check_precision(p: f64) -> Result<f64, String> {
    if p.is_finite() && p > 0.0 && p < 1.0 {
        Ok(p)
    } else {
        Err(format!("{p} is not a relative precision"))
    }
}

fn seconds(x: &str) -> Dist {
    Dist::Fixed(parse_duration(x).expect("built-in default"))
}

/// The longest scenario name (it names a folder; file systems allow 255 bytes).
pub const MAX_NAME_LEN: usize = 100;

/// SPEC §1: `[A-Za-z0-9][A-Za-z0-9._-]*`, at most 100 characters. A name
/// names a folder, so `.`, `..`, paths and hidden names can never pass.
pub fn is_valid_name(name: &str) -> bool {
    name.len() <= MAX_NAME_LEN
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// A valid name close to `s`, for the fix of an error message.
fn suggest_name(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed: String = mapped
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .chars()
        .take(MAX_NAME_LEN)
        .collect();
    if trimmed.is_empty() {
        "my-scenario".into()
    } else {
        trimmed
    }
}

const NAME_RULE: &str =
    "letters, digits, '.', '_' and '-', starting with a letter or a digit, at most 100 characters";

/// Validates a raw scenario. `stem` is the file stem, the default name.
pub fn validate(ctx: &Ctx, raw: &RawScenario, stem: &str) -> Result<Scenario, InputError> {
    let name = match &raw.name {
        Some(name) if !is_valid_name(name) => {
            return Err(ctx.err(
                "name",
                format!("{name:?} cannot name a folder"),
                format!("use {NAME_RULE}, e.g. name = \"{}\"", suggest_name(name)),
            ))
        }
        Some(name) => name.clone(),
        None if !is_valid_name(stem) => {
            return Err(ctx.err(
                "name",
                format!(
                "no `name` is given and the file name gives {stem:?}, which cannot name a folder"
            ),
                format!(
                    "add a valid name = \"...\" to the file ({NAME_RULE}), e.g. name = \"{}\"",
                    suggest_name(stem)
                ),
            ))
        }
        None => stem.to_string(),
    };
    use Architecture::*;
    let architecture = ctx.choice(
        "architecture",
        &raw.architecture,
        &Architecture::ALL.map(|a| (a.name(), a)),
    )?;
    let seed = raw.seed.unwrap_or(1);
    if seed < 0 {
        return Err(ctx.err("seed", format!("{seed} is out of range"), SEED_FIX));
    }
    let seed = seed as u64;
    let duration_ns = ctx.duration("duration", &raw.duration)?;
    if duration_ns == 0 {
        return Err(ctx.err(
            "duration",
            "the duration is zero",
            "measure for a positive time, e.g. \"30d\"",
        ));
    }
    let warmup_ns = ctx.opt_duration("warmup", &raw.warmup, 0)?;
    let window_ns = ctx.opt_duration("window", &raw.window, (duration_ns / 100).max(1))?;
    if window_ns == 0 || window_ns > duration_ns {
        return Err(ctx.err(
            "window",
            "the window must be above zero and at most the duration",
            "leave it out (duration / 100) or pick a shorter one",
        ));
    }
    if duration_ns.div_ceil(window_ns) > limits::MAX_WINDOWS {
        return Err(ctx.err(
            "window",
            format!(
                "{} windows is more than the {} allowed",
                duration_ns.div_ceil(window_ns),
                limits::MAX_WINDOWS
            ),
            "make the window at least duration / 10000",
        ));
    }
    let replications = ctx.int(
        "replications",
        raw.replications.unwrap_or(1),
        1,
        limits::MAX_REPLICATIONS.into(),
    )? as u32;

    let precision = raw
        .precision
        .map(|p| check_precision(p).map_err(|m| ctx.err("precision", m, PRECISION_FIX)))
        .transpose()?;
    let sla = raw
        .sla
        .map(|p| {
            check_sla(p).map_err(|m| {
                ctx.err(
                    "sla",
                    m,
                    "give a percentage strictly between 0 and 100, e.g. sla = 99.95",
                )
            })
        })
        .transpose()?;
    let max_replications = ctx.int(
        "max_replications",
        raw.max_replications
            .unwrap_or(DEFAULT_MAX_REPLICATIONS.into()),
        1,
        limits::MAX_REPLICATIONS.into(),
    )? as u32;
    let nodes = validate_nodes(ctx, &raw.nodes)?;
    let workload = raw
        .workload
        .as_ref()
        .map(|w| validate_workload(ctx, w))
        .transpose()?;
    let dispatch = validate_dispatch(ctx, raw.dispatch.as_ref(), architecture)?;
    let detection = validate_detection(ctx, raw.detection.as_ref())?;

    if architecture == SymmetricCluster && raw.failover.is_some() {
        return Err(ctx.err(
            "failover",
            "a symmetric cluster has no primary or master to fail over",
            "remove the [failover] section",
        ));
    }
    let failover = validate_failover(ctx, raw.failover.as_ref(), architecture)?;
    if architecture != AsymmetricCluster && raw.election.is_some() {
        return Err(ctx.err(
            "election",
            format!(
                "[election] applies only to asymmetric-cluster, not {}",
                architecture.name()
            ),
            "remove the [election] section",
        ));
    }
    let election = validate_election(ctx, raw.election.as_ref())?;

    let horizon = warmup_ns
        .checked_add(duration_ns)
        .and_then(|h| h.checked_add(workload.as_ref().map_or(0, |w| w.drain_ns)));
    if horizon.is_none_or(|h| h > limits::MAX_HORIZON_NS) {
        return Err(ctx.err(
            "duration",
            "warmup + duration + drain is longer than 200 years",
            "simulate a shorter time and use replications instead",
        ));
    }
    // Lost heartbeats are drawn run by run on the due-time grid: one draw
    // per run of misses, per node. A heartbeat far shorter than the run
    // would need more draws than any run can afford (a fuzzed 1 ns
    // heartbeat with 5 % loss over 40 minutes: 10^11 draws).
    if detection.miss > 0.0 && detection.heartbeat_ns > 0 {
        let dues = horizon.unwrap_or(u64::MAX) as f64 / detection.heartbeat_ns as f64;
        let runs = dues * detection.miss * (1.0 - detection.miss) * f64::from(nodes.count);
        if runs > limits::MAX_LOSSY_RUNS {
            return Err(ctx.err(
                "detection.heartbeat",
                format!(
                    "with lost heartbeats this run needs about {runs:.1e} draws of missed-heartbeat runs (at most {:.0e})",
                    limits::MAX_LOSSY_RUNS
                ),
                "use a longer heartbeat, a shorter duration (and more replications), or detection.loss = 0",
            ));
        }
    }
    if let Some(e) = super::bounds::run_size(
        ctx,
        &nodes,
        horizon.unwrap_or(u64::MAX),
        replications,
        workload.as_ref().map_or(0.0, |w| w.rate_per_s),
    ) {
        return Err(e);
    }
    let faults = raw
        .faults
        .iter()
        .enumerate()
        .map(|(i, f)| validate_fault(ctx, i, f, &nodes))
        .collect::<Result<Vec<_>, _>>()?;
    let domains = super::domains::validate_domains(ctx, &raw.domains, nodes.count)?;
    let dispatcher = raw
        .dispatcher
        .as_ref()
        .map(|d| super::domains::validate_dispatcher(ctx, d))
        .transpose()?;
    // SPEC §7: random gray faults and rolling maintenance.
    let horizon_ns = horizon.unwrap_or(u64::MAX);
    let gray = super::gray::validate_gray(
        ctx,
        raw.nodes.hang.as_ref(),
        raw.nodes.slow.as_ref(),
        raw.nodes.partition.as_ref(),
        horizon_ns,
        nodes.count,
    )?;
    let rise_ns = detection
        .heartbeat_ns
        .saturating_mul(u64::from(detection.rise));
    let maintenance = raw
        .maintenance
        .as_ref()
        .map(|m| super::gray::validate_maintenance(ctx, m, nodes.count, rise_ns, horizon_ns))
        .transpose()?;

    Ok(Scenario {
        name,
        description: raw.description.clone().unwrap_or_default(),
        architecture,
        seed,
        duration_ns,
        warmup_ns,
        window_ns,
        replications,
        precision,
        max_replications,
        sla,
        nodes,
        workload,
        dispatch,
        detection,
        failover,
        election,
        faults,
        domains,
        dispatcher,
        perfect: None,
        gray,
        maintenance,
        overrides: Vec::new(),
        events_keep: crate::metrics::event_log::EVENTS_DEFAULT,
    })
}

fn validate_nodes(ctx: &Ctx, n: &RawNodes) -> Result<Nodes, InputError> {
    let count = ctx.int("nodes.count", n.count, 1, limits::MAX_NODES.into())? as u32;
    let capacity = ctx.int(
        "nodes.capacity",
        n.capacity.unwrap_or(1),
        1,
        limits::MAX_CAPACITY.into(),
    )? as u32;
    let queue = ctx.int(
        "nodes.queue",
        n.queue.unwrap_or(1000),
        0,
        limits::MAX_QUEUE.into(),
    )? as u32;
    let failure = n
        .failure
        .as_ref()
        .map(|d| ctx.dist("nodes.failure", d, true))
        .transpose()?;
    let repair = n
        .repair
        .as_ref()
        .map(|d| ctx.dist("nodes.repair", d, false))
        .transpose()?;
    if failure.is_some() && repair.is_none() && n.permanent.unwrap_or(0.0) < 1.0 {
        return Err(ctx.err(
            "nodes.repair",
            "`repair` is required when `failure` is set (unless every failure is permanent)",
            "add e.g. repair = { dist = \"exponential\", mean = \"10m\" } to [nodes]",
        ));
    }
    let permanent = n.permanent.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&permanent) {
        return Err(ctx.err(
            "nodes.permanent",
            format!("{permanent} is not a share"),
            "use a number from 0 to 1, e.g. 0.05",
        ));
    }
    let replace = n
        .replace
        .as_ref()
        .map(|d| ctx.dist("nodes.replace", d, false))
        .transpose()?;
    if permanent > 0.0 && replace.is_none() {
        return Err(ctx.err(
            "nodes.replace",
            "`replace` is required when `permanent` is above 0",
            "add e.g. replace = \"3d\" to [nodes]",
        ));
    }
    if permanent > 0.0 && failure.is_none() {
        return Err(ctx.err(
            "nodes.permanent",
            "`permanent` needs random failures",
            "set nodes.failure, or remove nodes.permanent",
        ));
    }
    let mut nodes = Nodes {
        count,
        capacity,
        queue,
        failure,
        repair,
        permanent,
        replace,
        overrides: Vec::new(),
        override_of: Vec::new(),
        crews: super::per_node::validate_crews(ctx, n.crews)?,
    };
    super::per_node::validate_overrides(ctx, &n.overrides, &mut nodes)?;
    Ok(nodes)
}

fn validate_workload(ctx: &Ctx, w: &RawWorkload) -> Result<Workload, InputError> {
    if !(w.rate.is_finite() && w.rate > 0.0 && w.rate <= limits::MAX_RATE_PER_S) {
        return Err(ctx.err(
            "workload.rate",
            format!("{} requests per second is out of range", w.rate),
            "use a rate above 0 and at most 1e9",
        ));
    }
    let arrival = ctx.choice(
        "workload.arrival",
        w.arrival.as_deref().unwrap_or("poisson"),
        &[
            ("poisson", Arrival::Poisson),
            ("constant", Arrival::Constant),
        ],
    )?;
    let service = ctx.dist("workload.service", &w.service, false)?;
    let deadline_ns = w
        .deadline
        .as_ref()
        .map(|d| ctx.duration("workload.deadline", d))
        .transpose()?;
    if deadline_ns == Some(0) {
        return Err(ctx.err(
            "workload.deadline",
            "a zero deadline fails every request",
            "give a positive deadline, or leave it out",
        ));
    }
    let drain_ns = ctx.opt_duration(
        "workload.drain",
        &w.drain,
        deadline_ns.unwrap_or(60 * NS_PER_S),
    )?;
    Ok(Workload {
        rate_per_s: w.rate,
        arrival,
        service,
        deadline_ns,
        drain_ns,
    })
}

fn validate_dispatch(
    ctx: &Ctx,
    d: Option<&RawDispatch>,
    arch: Architecture,
) -> Result<Dispatch, InputError> {
    let empty = RawDispatch {
        policy: None,
        attempts: None,
        backoff: None,
        classes: None,
    };
    let d = d.unwrap_or(&empty);
    let policy = ctx.choice(
        "dispatch.policy",
        d.policy.as_deref().unwrap_or("round-robin"),
        &[
            ("round-robin", Policy::RoundRobin),
            ("random", Policy::Random),
            ("least-loaded", Policy::LeastLoaded),
            ("power-of-two", Policy::PowerOfTwo),
        ],
    )?;
    let attempts = ctx.int(
        "dispatch.attempts",
        d.attempts.unwrap_or(1),
        1,
        limits::MAX_ATTEMPTS.into(),
    )? as u32;
    let backoff_ns = ctx.opt_duration("dispatch.backoff", &d.backoff, 0)?;
    let classes = match &d.classes {
        None => default_classes(arch),
        Some(raw) => validate_classes(ctx, raw, arch)?,
    };
    Ok(Dispatch {
        policy,
        attempts,
        backoff_ns,
        classes,
    })
}

fn default_classes(arch: Architecture) -> Vec<Class> {
    let c = |name: &str, share, route| Class {
        name: name.into(),
        share,
        route,
    };
    match arch {
        Architecture::MasterSlave => vec![c("A", 0.5, Route::Master), c("B", 0.5, Route::Slave)],
        Architecture::AsymmetricCluster => {
            vec![c("write", 0.2, Route::Master), c("read", 0.8, Route::Any)]
        }
        _ => vec![c("task", 1.0, Route::Any)],
    }
}

fn validate_classes(
    ctx: &Ctx,
    raw: &[RawClass],
    arch: Architecture,
) -> Result<Vec<Class>, InputError> {
    if raw.is_empty() || raw.len() > limits::MAX_CLASSES {
        return Err(ctx.err(
            "dispatch.classes",
            format!("{} classes given", raw.len()),
            format!("declare from 1 to {} classes", limits::MAX_CLASSES),
        ));
    }
    let mut out: Vec<Class> = Vec::with_capacity(raw.len());
    for (i, c) in raw.iter().enumerate() {
        let key = format!("dispatch.classes[{i}]");
        if c.name.is_empty() || out.iter().any(|o| o.name == c.name) {
            return Err(ctx.err(
                &format!("{key}.name"),
                format!("class name {:?} is empty or repeated", c.name),
                "give every class its own name",
            ));
        }
        if !(c.share.is_finite() && c.share > 0.0) {
            return Err(ctx.err(
                &format!("{key}.share"),
                format!("share {} is not positive", c.share),
                "give a share above 0",
            ));
        }
        let route = ctx.choice(
            &format!("{key}.route"),
            c.route.as_deref().unwrap_or("any"),
            &[
                ("master", Route::Master),
                ("slave", Route::Slave),
                ("any", Route::Any),
            ],
        )?;
        if arch == Architecture::SymmetricCluster && route != Route::Any {
            return Err(ctx.err(
                &format!("{key}.route"),
                "a symmetric cluster has no master or slaves",
                "use route = \"any\" or leave route out",
            ));
        }
        out.push(Class {
            name: c.name.clone(),
            share: c.share,
            route,
        });
    }
    let total: f64 = out.iter().map(|c| c.share).sum();
    if (total - 1.0).abs() > 1e-9 {
        return Err(ctx.err(
            "dispatch.classes",
            format!("the shares sum to {total}, not 1"),
            "make the shares add up to 1",
        ));
    }
    Ok(out)
}

fn validate_detection(ctx: &Ctx, d: Option<&RawDetection>) -> Result<Detection, InputError> {
    let empty = RawDetection {
        heartbeat: None,
        fall: None,
        rise: None,
        task_timeout: None,
        loss: None,
        delay: None,
        timeout: None,
    };
    let d = d.unwrap_or(&empty);
    let heartbeat_ns = ctx.opt_duration("detection.heartbeat", &d.heartbeat, NS_PER_S)?;
    let fall = ctx.int(
        "detection.fall",
        d.fall.unwrap_or(3),
        1,
        limits::MAX_FALL_RISE.into(),
    )? as u32;
    let rise = ctx.int(
        "detection.rise",
        d.rise.unwrap_or(2),
        1,
        limits::MAX_FALL_RISE.into(),
    )? as u32;
    // A node is marked down fall heartbeats after it stops: beyond the
    // 200-year horizon nothing would ever be detected (and the product
    // would not fit in a u64 of nanoseconds).
    let slowest = heartbeat_ns.checked_mul(u64::from(fall.max(rise)));
    if slowest.is_none_or(|t| t > limits::MAX_HORIZON_NS) {
        return Err(ctx.err(
            "detection.heartbeat",
            format!(
                "heartbeat × {} is longer than 200 years: no failure would ever be detected",
                if fall >= rise { "fall" } else { "rise" }
            ),
            "use a shorter heartbeat (e.g. \"1s\") or a smaller fall / rise",
        ));
    }
    let task_timeout_ns = d
        .task_timeout
        .as_ref()
        .map(|t| ctx.duration("detection.task_timeout", t))
        .transpose()?;
    if task_timeout_ns == Some(0) {
        return Err(ctx.err(
            "detection.task_timeout",
            "a zero task timeout fails every task",
            "give a positive timeout, or leave it out",
        ));
    }
    let miss = miss_probability(ctx, d, heartbeat_ns)?;
    Ok(Detection {
        heartbeat_ns,
        fall,
        rise,
        task_timeout_ns,
        miss,
    })
}

fn validate_failover(
    ctx: &Ctx,
    f: Option<&RawFailover>,
    arch: Architecture,
) -> Result<Failover, InputError> {
    let empty = RawFailover {
        promotion: None,
        operator: None,
        start: None,
        switch: None,
        fencing: None,
        fence: None,
        reboot: None,
        lease: None,
    };
    let f = f.unwrap_or(&empty);
    let default = if arch.health_checked() {
        "automatic"
    } else {
        "manual"
    };
    let promotion = ctx.choice(
        "failover.promotion",
        f.promotion.as_deref().unwrap_or(default),
        &[
            ("manual", Promotion::Manual),
            ("automatic", Promotion::Automatic),
            ("none", Promotion::None),
        ],
    )?;
    if f.start.is_some() && arch != Architecture::ColdStandby {
        return Err(ctx.err(
            "failover.start",
            format!(
                "only a cold standby starts its backup's service; {} has it running",
                arch.name()
            ),
            "remove failover.start",
        ));
    }
    let opt = |key: &str, v: &Option<RawDist>, default: &str| {
        v.as_ref()
            .map_or(Ok(seconds(default)), |d| ctx.dist(key, d, false))
    };
    Ok(Failover {
        promotion,
        operator: opt("failover.operator", &f.operator, "30m")?,
        start: opt("failover.start", &f.start, "5m")?,
        switch: opt("failover.switch", &f.switch, "0s")?,
        fencing: validate_fencing(ctx, f)?,
    })
}

fn validate_election(ctx: &Ctx, e: Option<&RawElection>) -> Result<Election, InputError> {
    let Some(e) = e else {
        return Ok(Election::lowest_id());
    };
    let mut election = Election::lowest_id();
    election.algorithm = match e.algorithm.as_deref().unwrap_or("lowest-id") {
        "lowest-id" => ElectionAlgorithm::LowestId,
        "raft" | "zab" => ElectionAlgorithm::Raft,
        other => {
            return Err(ctx.err(
                "election.algorithm",
                format!("unknown algorithm {other:?}"),
                "use \"lowest-id\" or \"raft\"",
            ))
        }
    };
    if e.timeout.is_some() && election.algorithm != ElectionAlgorithm::Raft {
        return Err(ctx.err(
            "election.timeout",
            "only a raft election has a timeout",
            "set algorithm = \"raft\", or remove timeout",
        ));
    }
    election.pause = e.pause.unwrap_or(false);
    if let Some(v) = e.hold_limit {
        election.hold_limit = ctx.int("election.hold_limit", v, 1, 100_000_000)? as u64;
    }
    election.forward = e.forward.unwrap_or(false);
    if let Some(d) = &e.message_delay {
        election.message_delay = ctx.dist("election.message_delay", d, false)?;
    }
    if let Some(d) = &e.timeout {
        election.timeout = ctx.dist("election.timeout", d, true)?;
    }
    Ok(election)
}

fn validate_fault(ctx: &Ctx, i: usize, f: &RawFault, nodes: &Nodes) -> Result<Fault, InputError> {
    let key = |k: &str| format!("faults[{i}].{k}");
    let at_ns = ctx.duration(&key("at"), &f.at)?;
    if f.node < 0 || f.node >= i64::from(nodes.count) {
        return Err(ctx.err(
            &key("node"),
            format!("node {} does not exist", f.node),
            format!("use a node id from 0 to {}", nodes.count - 1),
        ));
    }
    let for_ns = f
        .for_
        .as_ref()
        .map(|d| ctx.duration(&key("for"), d))
        .transpose()?;
    let kind = match f.kind.as_str() {
        "crash" => FaultKind::Crash,
        "permanent" => FaultKind::Permanent,
        "hang" => FaultKind::Hang,
        "partition" => FaultKind::Partition,
        "slow" => match f.factor {
            Some(x) if x.is_finite() && x > 0.0 && x <= 1e6 => FaultKind::Slow(x),
            Some(x) => {
                return Err(ctx.err(
                    &key("factor"),
                    format!("factor {x} is out of range"),
                    "use a factor above 0, e.g. 5 for five times slower",
                ))
            }
            None => {
                return Err(ctx.err(
                    &key("factor"),
                    "a `slow` fault needs `factor`",
                    "add e.g. factor = 5 (service takes 5 times as long)",
                ))
            }
        },
        other => {
            return Err(ctx.err(
                &key("kind"),
                format!("unknown fault kind {other:?}"),
                "use \"crash\", \"permanent\", \"hang\", \"slow\" or \"partition\"",
            ))
        }
    };
    if f.factor.is_some() && !matches!(kind, FaultKind::Slow(_)) {
        return Err(ctx.err(
            &key("factor"),
            "`factor` belongs to `slow` faults only",
            "remove factor",
        ));
    }
    match kind {
        FaultKind::Permanent if for_ns.is_some() => {
            return Err(ctx.err(
                &key("for"),
                "a permanent failure has no duration",
                "remove `for`; the machine is replaced after nodes.replace",
            ))
        }
        FaultKind::Crash if for_ns.is_none() && nodes.repair_of(f.node as u32).is_none() => {
            return Err(ctx.err(
                &key("for"),
                "a crash needs `for` or a nodes.repair distribution",
                "add for = \"2m\" to the fault",
            ))
        }
        FaultKind::Hang | FaultKind::Slow(_) | FaultKind::Partition if for_ns.is_none() => {
            return Err(ctx.err(
                &key("for"),
                format!("a `{}` fault needs `for`", f.kind),
                "add for = \"2m\" to the fault",
            ))
        }
        _ => {}
    }
    Ok(Fault {
        at_ns,
        node: f.node as u32,
        kind,
        for_ns,
    })
}

/// SPEC §8: the probability that a running, reachable node misses one
/// heartbeat, `loss + (1 − loss) × P(delay > timeout)`.
fn miss_probability(ctx: &Ctx, d: &RawDetection, heartbeat_ns: u64) -> Result<f64, InputError> {
    let loss = d.loss.unwrap_or(0.0);
    if !(0.0..1.0).contains(&loss) {
        return Err(ctx.err(
            "detection.loss",
            format!("{loss} is not a probability below 1"),
            "give a share from 0 (no loss) up to, not including, 1",
        ));
    }
    let delay = d
        .delay
        .as_ref()
        .map(|r| ctx.dist("detection.delay", r, false))
        .transpose()?;
    let timeout = ctx.opt_duration("detection.timeout", &d.timeout, heartbeat_ns)?;
    let late = delay.map_or(0.0, |d| crate::model::late_probability(&d, timeout));
    let miss = loss + (1.0 - loss) * late;
    if heartbeat_ns > 0 && miss >= 1.0 {
        return Err(ctx.err(
            "detection.timeout",
            "every heartbeat would arrive after the timeout",
            "give a timeout above the usual delay, or a shorter delay",
        ));
    }
    // Instant detection has no heartbeats to lose.
    Ok(if heartbeat_ns == 0 { 0.0 } else { miss })
}

/// SPEC §8: `failover.fencing` and the keys of the chosen mode.
fn validate_fencing(ctx: &Ctx, f: &RawFailover) -> Result<Fencing, InputError> {
    let mode = ctx.choice(
        "failover.fencing",
        f.fencing.as_deref().unwrap_or("none"),
        &[("none", 0u8), ("stonith", 1), ("lease", 2)],
    )?;
    let stray = |key: &str, set: bool, needs: &str| -> Result<(), InputError> {
        if set {
            return Err(ctx.err(
                &format!("failover.{key}"),
                format!("`{key}` applies only with fencing = \"{needs}\""),
                format!("remove failover.{key}, or set failover.fencing = \"{needs}\""),
            ));
        }
        Ok(())
    };
    if mode != 1 {
        stray("fence", f.fence.is_some(), "stonith")?;
        stray("reboot", f.reboot.is_some(), "stonith")?;
    }
    if mode != 2 {
        stray("lease", f.lease.is_some(), "lease")?;
    }
    let opt = |key: &str, v: &Option<RawDist>, default: &str| {
        v.as_ref()
            .map_or(Ok(seconds(default)), |d| ctx.dist(key, d, false))
    };
    Ok(match mode {
        1 => Fencing::Stonith {
            fence: opt("failover.fence", &f.fence, "10s")?,
            reboot: opt("failover.reboot", &f.reboot, "2m")?,
        },
        2 => Fencing::Lease {
            lease_ns: ctx.opt_duration("failover.lease", &f.lease, 10 * NS_PER_S)?,
        },
        _ => Fencing::None,
    })
}
