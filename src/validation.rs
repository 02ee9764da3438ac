//! The validation suite: scenarios with exact answers, simulated and
//! compared (`hasim validate` writes `docs/validation.md`; the integration
//! tests run the same cases). Availability cases take their exact value
//! from `analytic` (Markov chains, independent nodes); latency cases from
//! queueing theory (M/M/1, M/M/c with Erlang C, E_k/M/1).

use crate::analytic::{analyse, Analytic};
use crate::montecarlo::{self, Outcome};
use crate::scenario::{self, LoadOptions, Scenario};
use std::path::Path;

/// What a case compares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Measure {
    Uptime,
    LatencyMeanMs,
    /// False mark-downs per run (SPEC §8).
    FalseMarkdowns,
    /// Mean time from a crash to its mark-down, seconds (SPEC §8).
    DetectionMeanS,
    /// Planned downtime per run, seconds (SPEC §7 `planned_downtime_s`).
    PlannedDowntimeS,
}

/// How the exact value is found.
#[derive(Clone, Copy, Debug)]
pub enum Exact {
    /// The scenario's Markov chain (or independent nodes).
    Chain,
    /// Mean sojourn of M/M/c: (λ per node, μ, c).
    Mmc(f64, f64, u32),
    /// Mean sojourn of E_k/M/1 fed by every k-th of a Poisson(λ) stream: (λ, μ, k).
    Ekm1(f64, f64, u32),
    /// One node with exponential failures and repairs, watched by
    /// heartbeats: (mean up s, mean down s, heartbeat s, fall, rise).
    HeartbeatGrid(f64, f64, f64, u32, u32),
    /// One healthy node whose heartbeats are lost with probability `loss`
    /// or delayed (exponential, mean `delay` s) past `timeout` s: the
    /// renewal cycle of `fall` misses in a row then `rise` deliveries in a
    /// row. (loss, delay mean s, timeout s, heartbeat s, fall, rise).
    LossyRenewal(f64, f64, f64, f64, u32, u32),
    /// Crashes whose phase on the heartbeat grid is uniform:
    /// H/2 + (fall − 1)·H. (heartbeat s, fall).
    DetectionMean(f64, u32),
    /// The same under heartbeat loss: the losses just before the crash
    /// count towards `fall`. (loss, heartbeat s, fall).
    LossyDetectionMean(f64, f64, u32),
    /// A closed form from the reliability block diagram (SPEC §7 domains
    /// and dispatchers), worked out in the case's scenario comment.
    Rbd(f64),
    /// SPEC §7 gray faults: n independent nodes, each fine for an
    /// `every` mean and faulty for a `for` mean (alternating renewal); up
    /// while at least k are fine. (every mean s, for mean s, n, k).
    KOfN(f64, f64, u32, u32),
    /// SPEC §7 slow periods long beside the queue's relaxation: M/M/1
    /// mean sojourn mixed over normal and slow time. (λ, μ, factor, slow
    /// share of the time).
    SlowMm1(f64, f64, f64, f64),
    /// SPEC §7 maintenance where each round costs one stop's draw:
    /// (rounds, mean stop s).
    Rounds(u32, f64),
    /// SPEC §7 crews: n identical nodes (mean up h, mean repair h), c repair
    /// crews, up while at least `need` run: (n, c, up h, repair h, need).
    BirthDeath(u32, u32, f64, f64, u32),
    /// SPEC §7 crews: one crew, FIFO, nodes with their own (mean up h,
    /// mean repair h); up while any runs.
    OneCrewQueue(&'static [(f64, f64)]),
}

pub struct Case {
    pub file: &'static str,
    pub title: &'static str,
    pub text: &'static str,
    pub measure: Measure,
    pub exact: Exact,
}

macro_rules! case {
    ($file:literal, $title:literal, $measure:expr, $exact:expr) => {
        Case {
            file: $file,
            title: $title,
            text: include_str!(concat!("../validation/", $file)),
            measure: $measure,
            exact: $exact,
        }
    };
}

pub const CASES: [Case; 32] = [
    case!(
        "01-single-node.toml",
        "single node: MTBF/(MTBF+MTTR)",
        Measure::Uptime,
        Exact::Chain
    ),
    case!(
        "02-one-of-three.toml",
        "1-of-3 independent nodes",
        Measure::Uptime,
        Exact::Chain
    ),
    case!(
        "03-cold-standby-manual.toml",
        "cold standby, manual, permanent failures",
        Measure::Uptime,
        Exact::Chain
    ),
    case!(
        "04-cold-standby-automatic.toml",
        "cold standby, automatic",
        Measure::Uptime,
        Exact::Chain
    ),
    case!(
        "05-warm-standby-automatic.toml",
        "warm standby, automatic",
        Measure::Uptime,
        Exact::Chain
    ),
    case!(
        "06-warm-standby-manual.toml",
        "warm standby, 3 nodes, manual",
        Measure::Uptime,
        Exact::Chain
    ),
    case!(
        "07-master-slave-manual.toml",
        "master-slave, manual",
        Measure::Uptime,
        Exact::Chain
    ),
    case!(
        "08-asymmetric-lowest-id.toml",
        "asymmetric cluster, lowest-id",
        Measure::Uptime,
        Exact::Chain
    ),
    case!(
        "09-random-mm1.toml",
        "random dispatch vs M/M/1 (mean latency, ms)",
        Measure::LatencyMeanMs,
        Exact::Mmc(70.0, 100.0, 1)
    ),
    case!(
        "10-one-node-mmc.toml",
        "4 workers vs M/M/4 (mean latency, ms)",
        Measure::LatencyMeanMs,
        Exact::Mmc(340.0, 100.0, 4)
    ),
    case!(
        "11-round-robin-ekm1.toml",
        "round-robin vs E3/M/1 (mean latency, ms)",
        Measure::LatencyMeanMs,
        Exact::Ekm1(240.0, 100.0, 3)
    ),
    case!(
        "12-master-slave-series.toml",
        "master-slave, no promotion: 2-of-2",
        Measure::Uptime,
        Exact::Chain
    ),
    case!(
        "13-crash-loop-heartbeats.toml",
        "node failing faster than its heartbeat (fall 2, rise 2)",
        Measure::Uptime,
        Exact::HeartbeatGrid(0.7, 0.5, 1.0, 2, 2)
    ),
    case!(
        "14-lossy-heartbeats.toml",
        "healthy node, 20 % of heartbeats lost (fall 3, rise 2): uptime",
        Measure::Uptime,
        Exact::LossyRenewal(0.2, 0.0, 1.0, 1.0, 3, 2)
    ),
    case!(
        "14-lossy-heartbeats.toml",
        "the same: false mark-downs per run",
        Measure::FalseMarkdowns,
        Exact::LossyRenewal(0.2, 0.0, 1.0, 1.0, 3, 2)
    ),
    case!(
        "15-late-heartbeats.toml",
        "healthy node, 5 % lost, delay exp. 0.5 s past a 1 s timeout (fall 2, rise 3): uptime",
        Measure::Uptime,
        Exact::LossyRenewal(0.05, 0.5, 1.0, 2.0, 2, 3)
    ),
    case!(
        "16-detection-time.toml",
        "mean detection time of a crash, heartbeat 2 s, fall 3 (s)",
        Measure::DetectionMeanS,
        Exact::DetectionMean(2.0, 3)
    ),
    case!(
        "17-lossy-detection-time.toml",
        "mean detection time of a crash, 30 % of heartbeats lost, fall 3 (s)",
        Measure::DetectionMeanS,
        Exact::LossyDetectionMean(0.3, 1.0, 3)
    ),
    // SPEC §7, with p = q = 1/4 (exponential 3 h up, 1 h down).
    case!(
        "18-packed-racks.toml",
        "three nodes in one rack: (1 − q)(1 − p³)",
        Measure::Uptime,
        Exact::Rbd(0.75 * (1.0 - 0.25 * 0.25 * 0.25))
    ),
    case!(
        "19-spread-racks.toml",
        "one node per rack: 1 − (1 − (1 − p)(1 − q))³",
        Measure::Uptime,
        Exact::Rbd(1.0 - 0.4375 * 0.4375 * 0.4375)
    ),
    case!(
        "20-dual-power.toml",
        "dual power through an any_of gate: 1 − q²",
        Measure::Uptime,
        Exact::Rbd(1.0 - 0.25 * 0.25)
    ),
    case!(
        "21-dispatcher-pair.toml",
        "two dispatchers, instant takeover: 1 − q²",
        Measure::Uptime,
        Exact::Rbd(1.0 - 0.25 * 0.25)
    ),
    case!(
        "22-partial-hit-deploy.toml",
        "deploy hitting each of 2 nodes with p = 1/2: 1 − q/4",
        Measure::Uptime,
        Exact::Rbd(1.0 - 0.25 * 0.25)
    ),
    case!(
        "23-partition-switch.toml",
        "partitioning switch before 3 nodes: (1 − q)(1 − p³)",
        Measure::Uptime,
        Exact::Rbd(0.75 * (1.0 - 0.25 * 0.25 * 0.25))
    ),
    case!(
        "24-gray-hang.toml",
        "one node hanging at random (every exp. 3 h, for exp. 1 h)",
        Measure::Uptime,
        Exact::KOfN(3.0 * 3600.0, 3600.0, 1, 1)
    ),
    case!(
        "25-gray-partition.toml",
        "1-of-3 nodes partitioned at random (every exp. 2 h, for exp. 1 h)",
        Measure::Uptime,
        Exact::KOfN(2.0 * 3600.0, 3600.0, 3, 1)
    ),
    case!(
        "26-gray-slow-mm1.toml",
        "M/M/1 slowed ×1.5 a quarter of the time (mean latency, ms)",
        Measure::LatencyMeanMs,
        Exact::SlowMm1(50.0, 100.0, 1.5, 0.25)
    ),
    case!(
        "27-rolling-maintenance.toml",
        "rolling maintenance of a warm standby, manual (planned downtime, s)",
        Measure::PlannedDowntimeS,
        Exact::Rounds(99, 3600.0)
    ),
    case!(
        "28-two-nodes-one-crew.toml",
        "1-of-2, one repair crew",
        Measure::Uptime,
        Exact::BirthDeath(2, 1, 1.0, 1.0, 1)
    ),
    case!(
        "29-old-node-one-crew.toml",
        "1-of-3, one old node (override), one repair crew",
        Measure::Uptime,
        Exact::OneCrewQueue(&OLD_NODE)
    ),
    case!(
        "30-two-of-two-one-crew.toml",
        "master-slave 2-of-2, one repair crew",
        Measure::Uptime,
        Exact::BirthDeath(2, 1, 5.0, 1.0, 2)
    ),
    case!(
        "31-warm-standby-old-node-one-crew.toml",
        "warm standby, automatic: case 29 as roles",
        Measure::Uptime,
        Exact::OneCrewQueue(&OLD_NODE)
    ),
];

/// P(at least `k` of `n` independent nodes are fine), each fine with
/// probability `p`.
pub fn k_of_n(p: f64, n: u32, k: u32) -> f64 {
    (k..=n)
        .map(|i| {
            let choose = (0..i).fold(1.0, |c, j| c * f64::from(n - j) / f64::from(j + 1));
            choose * p.powi(i as i32) * (1.0 - p).powi((n - i) as i32)
        })
        .sum()
}

/// Cases 29 and 31: node 0 old (up 1 h, repair 2 h), two up 4 h, repair 1 h.
const OLD_NODE: [(f64, f64); 3] = [(1.0, 2.0), (4.0, 1.0), (4.0, 1.0)];

/// n identical nodes, each failing at rate 1/`up_h` while it runs, `c`
/// crews repairing at 1/`repair_h` each: with d nodes down, failures come
/// at (n − d)/up_h and repairs at min(d, c)/repair_h, a birth–death chain,
/// π_{d+1} = π_d · (n − d)·repair_h / (min(d + 1, c)·up_h). The share of
/// time with at least `need` nodes running.
pub fn crews_birth_death(n: u32, c: u32, up_h: f64, repair_h: f64, need: u32) -> f64 {
    let mut weight = 1.0;
    let (mut total, mut good) = (0.0, 0.0);
    for d in 0..=n {
        total += weight;
        if n - d >= need {
            good += weight;
        }
        weight *= f64::from(n - d) * repair_h / (f64::from((d + 1).min(c)) * up_h);
    }
    good / total
}

/// One crew, first come first served, nodes with their own exponential
/// (mean up h, mean repair h): the state is the sequence of down nodes in
/// the order they failed; the first is being repaired. A running node i
/// joins the end at 1/up_i, the first leaves at 1/repair_first. Every
/// sequence of distinct nodes is a state (Σ n!/(n−k)!); the service is up
/// unless every node is in the sequence.
pub fn one_crew_queue_uptime(nodes: &[(f64, f64)]) -> f64 {
    let n = nodes.len();
    let mut seqs: Vec<Vec<usize>> = vec![Vec::new()];
    let mut k = 0;
    while k < seqs.len() {
        for i in 0..n {
            if !seqs[k].contains(&i) {
                let mut s = seqs[k].clone();
                s.push(i);
                seqs.push(s);
            }
        }
        k += 1;
    }
    let at = |s: &[usize]| seqs.iter().position(|x| x == s).expect("every sequence");
    let rates: Vec<Vec<(usize, f64)>> = seqs
        .iter()
        .map(|s| {
            let mut out: Vec<(usize, f64)> = (0..n)
                .filter(|i| !s.contains(i))
                .map(|i| {
                    let mut t = s.clone();
                    t.push(i);
                    (at(&t), 1.0 / nodes[i].0)
                })
                .collect();
            if let Some(&first) = s.first() {
                out.push((at(&s[1..]), 1.0 / nodes[first].1));
            }
            out
        })
        .collect();
    let pi = crate::analytic::solve::stationary(&rates);
    seqs.iter()
        .zip(&pi)
        .filter(|(s, _)| s.len() < n)
        .map(|(_, p)| p)
        .sum()
}

/// Expected heartbeats until the first run of `n` successes in a row,
/// each with probability `p`: (1 − pⁿ) / ((1 − p) pⁿ).
pub fn heartbeats_to_run(p: f64, n: u32) -> f64 {
    let pn = p.powi(n as i32);
    (1.0 - pn) / ((1.0 - p) * pn)
}

/// A healthy node under lossy heartbeats alternates between marked up
/// (until `fall` misses in a row) and marked down (until `rise` deliveries
/// in a row), a renewal cycle: (uptime, false mark-downs per second).
pub fn lossy_renewal(
    loss: f64,
    delay_mean_s: f64,
    timeout_s: f64,
    h: f64,
    fall: u32,
    rise: u32,
) -> (f64, f64) {
    let late = if delay_mean_s > 0.0 {
        (-timeout_s / delay_mean_s).exp()
    } else {
        0.0
    };
    let q = loss + (1.0 - loss) * late;
    let up = heartbeats_to_run(q, fall);
    let down = heartbeats_to_run(1.0 - q, rise);
    (up / (up + down), 1.0 / ((up + down) * h))
}

/// Mean time from a crash to its mark-down for a node whose heartbeats
/// (every `h` s) are lost with probability `q`, crashing at a uniform
/// phase of the grid while marked up, in the long run. The run of losses
/// in progress at the crash, j, counts towards `fall`: the mark-down comes
/// at the (fall − j)-th due time after the crash. On the heartbeat grid
/// the run length moves j → j + 1 (a loss) or → 0 (a delivery), and a run
/// of `fall` marks the node down until `rise` deliveries in a row bring it
/// back at j = 0; run j is entered only from run j − 1, so given "marked
/// up" the stationary weights are q^j, j = 0 … fall − 1:
/// H/2 + (fall − 1 − E[j])·H.
pub fn lossy_detection_mean(q: f64, h: f64, fall: u32) -> f64 {
    let (mut w, mut sum, mut mean) = (1.0, 0.0, 0.0);
    for j in 0..fall {
        sum += w;
        mean += f64::from(j) * w;
        w *= q;
    }
    h / 2.0 + (f64::from(fall - 1) - mean / sum) * h
}

/// Mean sojourn time (s) of M/M/c with arrival rate λ and service rate μ.
pub fn mmc_mean_s(lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    let rho = a / f64::from(c);
    let (mut term, mut sum) = (1.0, 1.0);
    for k in 1..c {
        term *= a / f64::from(k);
        sum += term;
    }
    let last = term * a / f64::from(c) / (1.0 - rho);
    let erlang_c = last / (sum + last);
    erlang_c / (f64::from(c) * mu - lambda) + 1.0 / mu
}

/// Mean sojourn time (s) of a single-server queue fed by every k-th arrival
/// of a Poisson(λ) stream (Erlang-k interarrivals): G/M/1 with
/// σ = A*(μ(1 − σ)), A*(s) = (λ/(λ + s))^k, sojourn ~ Exp(μ(1 − σ)).
pub fn ekm1_mean_s(lambda: f64, mu: f64, k: u32) -> f64 {
    let mut sigma: f64 = 0.5;
    for _ in 0..10_000 {
        let next = (lambda / (lambda + mu * (1.0 - sigma))).powi(k as i32);
        if (next - sigma).abs() < 1e-15 {
            sigma = next;
            break;
        }
        sigma = next;
    }
    1.0 / (mu * (1.0 - sigma))
}

/// Long-run uptime of one node (failure rate `a`, repair rate `b`, both
/// exponential) that serves while running and marked up, with heartbeats
/// every `h` and `fall`/`rise` (SPEC §1). The mark changes only at due
/// times and depends on the node's state there, so the chain on the grid is
/// (mark, run length): marked up after m < `fall` consecutive misses
/// (running iff m = 0), or marked down after d < `rise` consecutive
/// deliveries (running iff d > 0). Between two due times the mark holds and
/// the node's two-state process runs on from its state at the due time.
pub fn heartbeat_grid_uptime(a: f64, b: f64, h: f64, fall: u32, rise: u32) -> f64 {
    let (fall, rise) = (fall as usize, rise as usize);
    let s = a + b;
    let e = (-s * h).exp();
    // P(running after h | running, down now) and ∫₀ʰ of the same.
    let p_run = [b / s + a / s * e, b / s * (1.0 - e)];
    let time_run = [
        b / s * h + a / (s * s) * (1.0 - e),
        b / s * h - b / (s * s) * (1.0 - e),
    ];
    let running = |i: usize| if i < fall { i == 0 } else { i > fall };
    let rates: Vec<Vec<(usize, f64)>> = (0..fall + rise)
        .map(|i| {
            let p = p_run[usize::from(!running(i))];
            let (on_run, on_miss) = if i < fall {
                (0, (i + 1).min(fall))
            } else if i + 1 < fall + rise {
                (i + 1, fall)
            } else {
                (0, fall)
            };
            // Steps of the grid chain as CTMC rates: self-loops drop out.
            [(on_run, p), (on_miss, 1.0 - p)]
                .into_iter()
                .filter(|&(j, _)| j != i)
                .collect()
        })
        .collect();
    let pi = crate::analytic::solve::stationary(&rates);
    (0..fall)
        .map(|i| pi[i] * time_run[usize::from(!running(i))] / h)
        .sum()
}

pub struct Row {
    pub case: &'static Case,
    pub exact: f64,
    pub simulated: f64,
    pub ci95: f64,
    pub replications: u32,
}

impl Row {
    pub fn covered(&self) -> bool {
        (self.simulated - self.exact).abs() <= self.ci95
    }
}

pub fn scenario(case: &Case) -> Scenario {
    scenario::parse(
        case.text,
        Path::new(case.file),
        case.file.trim_end_matches(".toml"),
        &LoadOptions::default(),
    )
    .expect("validation scenarios are valid")
}

pub fn exact(case: &Case, sc: &Scenario) -> f64 {
    match case.exact {
        Exact::Chain => match analyse(sc) {
            Analytic::Exact { uptime, .. } => uptime,
            Analytic::Outside(r) => panic!("{}: no chain: {r:?}", case.file),
        },
        Exact::Mmc(l, m, c) => 1e3 * mmc_mean_s(l, m, c),
        Exact::Ekm1(l, m, k) => 1e3 * ekm1_mean_s(l, m, k),
        Exact::HeartbeatGrid(up, down, h, fall, rise) => {
            heartbeat_grid_uptime(1.0 / up, 1.0 / down, h, fall, rise)
        }
        Exact::Rbd(a) => a,
        Exact::LossyRenewal(loss, delay, timeout, h, fall, rise) => {
            let (uptime, rate) = lossy_renewal(loss, delay, timeout, h, fall, rise);
            match case.measure {
                Measure::FalseMarkdowns => rate * sc.duration_ns as f64 / 1e9,
                _ => uptime,
            }
        }
        Exact::DetectionMean(h, fall) => h / 2.0 + f64::from(fall - 1) * h,
        Exact::LossyDetectionMean(q, h, fall) => lossy_detection_mean(q, h, fall),
        Exact::KOfN(every, for_, n, k) => k_of_n(every / (every + for_), n, k),
        Exact::SlowMm1(l, m, f, share) => {
            1e3 * ((1.0 - share) * mmc_mean_s(l, m, 1) + share * mmc_mean_s(l, m / f, 1))
        }
        Exact::Rounds(rounds, stop_s) => f64::from(rounds) * stop_s,
        Exact::BirthDeath(n, c, up, repair, need) => crews_birth_death(n, c, up, repair, need),
        Exact::OneCrewQueue(nodes) => one_crew_queue_uptime(nodes),
    }
}

pub fn run(case: &'static Case) -> Row {
    let sc = scenario(case);
    let o: Outcome = montecarlo::run(&sc);
    let w = match case.measure {
        Measure::Uptime => o.uptime,
        Measure::LatencyMeanMs => o.latency_mean_ms,
        Measure::FalseMarkdowns => o.imperfect.false_markdowns,
        Measure::DetectionMeanS => o.imperfect.detection_mean_s,
        Measure::PlannedDowntimeS => o.planned_downtime_s,
    };
    Row {
        case,
        exact: exact(case, &sc),
        simulated: w.mean_or_zero(),
        ci95: w.ci95().unwrap_or(0.0),
        replications: o.replications,
    }
}

/// The Raft election scenario of `raft_rows` (the timeout line is replaced).
pub const RAFT_ELECTIONS: &str = include_str!("../validation/raft-elections.toml");
const RAFT_TIMEOUT_LINE: &str =
    "timeout = { dist = \"uniform\", min = \"150ms\", max = \"300ms\" }";

/// The election timeout ranges of the Raft paper's Figure 16 (top), in ms.
pub const RAFT_TIMEOUTS: [(u32, u32); 5] =
    [(150, 150), (150, 155), (150, 175), (150, 200), (150, 300)];

/// Election times (crash to new leader) for one timeout range.
pub struct RaftRow {
    pub min_ms: u32,
    pub max_ms: u32,
    /// One-way delays uniform in 7.5–15 ms instead of exponential.
    pub uniform_delay: bool,
    /// One per replication: (duration in ms, still no leader at the end).
    pub elections: Vec<(f64, bool)>,
}

impl RaftRow {
    /// The nearest-rank `p`-quantile, in ms; elections still under way at
    /// the end count as longer than any finished one.
    pub fn quantile(&self, p: f64) -> f64 {
        let mut d: Vec<f64> = self.elections.iter().map(|e| e.0).collect();
        d.sort_by(f64::total_cmp);
        let rank = ((p * d.len() as f64).ceil() as usize).clamp(1, d.len());
        d[rank - 1]
    }

    pub fn unfinished(&self) -> usize {
        self.elections.iter().filter(|e| e.1).count()
    }
}

/// The raft scenario with election timeouts uniform in [`min_ms`, `max_ms`].
pub fn raft_scenario(min_ms: u32, max_ms: u32) -> Scenario {
    let text = RAFT_ELECTIONS.replace(
        RAFT_TIMEOUT_LINE,
        &format!("timeout = {{ dist = \"uniform\", min = \"{min_ms}ms\", max = \"{max_ms}ms\" }}"),
    );
    assert!(RAFT_ELECTIONS.contains(RAFT_TIMEOUT_LINE));
    scenario::parse(
        &text,
        Path::new("raft-elections.toml"),
        "raft-elections",
        &LoadOptions::default(),
    )
    .expect("the raft validation scenario is valid")
}

/// Runs the raft scenario for every range of `RAFT_TIMEOUTS`, then once
/// more for 150–155 ms with one-way delays uniform in 7.5–15 ms (less
/// variable: a win needs the timers to drift further apart).
pub fn raft_rows() -> Vec<RaftRow> {
    let mut rows: Vec<RaftRow> = RAFT_TIMEOUTS
        .iter()
        .map(|&(min_ms, max_ms)| raft_row(min_ms, max_ms, None))
        .collect();
    rows.push(raft_row(150, 155, Some(RAFT_UNIFORM_DELAY)));
    rows
}

/// The alternative delay line of `raft_rows`' last row.
pub const RAFT_UNIFORM_DELAY: &str =
    "message_delay = { dist = \"uniform\", min = \"7.5ms\", max = \"15ms\" }";
const RAFT_DELAY_LINE: &str = "message_delay = { dist = \"exponential\", mean = \"7.5ms\" }";

fn raft_row(min_ms: u32, max_ms: u32, delay: Option<&'static str>) -> RaftRow {
    let mut sc = raft_scenario(min_ms, max_ms);
    if let Some(line) = delay {
        assert!(RAFT_ELECTIONS.contains(RAFT_DELAY_LINE));
        let text = RAFT_ELECTIONS.replace(RAFT_DELAY_LINE, line).replace(
            RAFT_TIMEOUT_LINE,
            &format!(
                "timeout = {{ dist = \"uniform\", min = \"{min_ms}ms\", max = \"{max_ms}ms\" }}"
            ),
        );
        sc = scenario::parse(
            &text,
            Path::new("raft-elections.toml"),
            "raft-elections",
            &LoadOptions::default(),
        )
        .expect("the raft validation scenario is valid");
    }
    let o = montecarlo::run(&sc);
    RaftRow {
        min_ms,
        max_ms,
        uniform_delay: delay.is_some(),
        elections: o
            .outage_list
            .iter()
            .map(|(_, x)| (x.duration_ns() as f64 / 1e6, x.censored))
            .collect(),
    }
}

/// The Raft section of `docs/validation.md`.
pub fn raft_markdown(rows: &[RaftRow]) -> String {
    let mut t = String::from(
        "\n## Raft elections (Ongaro & Ousterhout, §9.3)\n\n\
         Time from the master's crash to a new master, five nodes, `validation/raft-elections.toml`:\n\
         one crash per replication, instant detection, one-way message delays exponential with a\n\
         mean of 7.5 ms (a vote there and back: 15 ms, the paper's broadcast time). Quantiles are\n\
         nearest-rank over the replications; an election still under way when the run ends (59 s\n\
         after the crash) counts as longer than every finished one. The paper reports more than\n\
         10 s without randomness and a median of 287 ms with 5 ms of it.\n\n\
         | election timeout | elections | no leader by the end | median | p90 | p99 | max |\n\
         |---|---|---|---|---|---|---|\n",
    );
    let ms = |r: &RaftRow, x: f64| {
        if r.elections.iter().any(|e| e.1 && e.0 <= x) {
            format!("> {:.0} ms", x)
        } else {
            format!("{:.0} ms", x)
        }
    };
    for r in rows {
        t.push_str(&format!(
            "| {}–{} ms{} | {} | {} | {} | {} | {} | {} |\n",
            r.min_ms,
            r.max_ms,
            if r.uniform_delay {
                ", delays uniform 7.5–15 ms"
            } else {
                ""
            },
            r.elections.len(),
            r.unfinished(),
            ms(r, r.quantile(0.5)),
            ms(r, r.quantile(0.9)),
            ms(r, r.quantile(0.99)),
            ms(r, r.quantile(1.0)),
        ));
    }
    t.push_str(
        "\nWith identical timeouts every live node stands at the same instant, votes for itself and\n\
         refuses the others: every term splits and no leader is ever elected (the paper's real\n\
         timers jitter; these do not). 5 ms of randomness lets the candidates' timers, each\n\
         restarted from its own start, drift apart until one asks for votes a message ahead of two\n\
         others; wider ranges shorten the tail. With one-way delays uniform in 7.5–15 ms (the\n\
         last row) a delay is never shorter than 7.5 ms, so the timers must drift further apart\n\
         before a request arrives ahead of its rivals' timeouts: the median is longer.\n",
    );
    t
}

/// The Markdown page of `docs/validation.md`.
pub fn markdown(rows: &[Row]) -> String {
    let mut t = String::from(
        "# Validation: exact against simulated\n\n\
         Generated by `cargo run --release -- validate --out docs/validation.md`; the same cases run as\n\
         tests (`tests/integration/validation.rs`). Each scenario is in `validation/`. Exact\n\
         availability values come from `hasim check --analytic` (the scenario's continuous-time\n\
         Markov chain, or independent nodes; for a node watched by heartbeats, the chain on the\n\
         heartbeat grid; with repair crews, a birth–death chain on the nodes down, or for nodes\n\
         that differ the chain on the order of the repair queue, both written out in\n\
         `src/validation.rs` apart from the analytic code); exact latencies from M/M/1, M/M/c\n\
         (Erlang C) and E_k/M/1 (G/M/1 with Erlang-k arrivals). Simulated values are means over replications with\n\
         their 95 % Student-t half-width; the simulation starts with every node up, a small bias\n\
         towards uptime on the shorter runs.\n\n\
         | case | scenario | exact | simulated ± 95 % | inside | replications |\n|---|---|---|---|---|---|\n",
    );
    for r in rows {
        t.push_str(&format!(
            "| {} | `validation/{}` | {:.6} | {:.6} ± {:.6} | {} | {} |\n",
            r.case.title,
            r.case.file,
            r.exact,
            r.simulated,
            r.ci95,
            if r.covered() { "yes" } else { "no" },
            r.replications
        ));
    }
    let inside = rows.iter().filter(|r| r.covered()).count();
    t.push_str(&format!(
        "\n{inside} of {} exact values lie inside their 95 % interval (about 95 % are expected to).\n",
        rows.len()
    ));
    t.push_str(FENCING_CASES);
    t
}

/// SPEC §8 on one scripted partition, worked by hand; the same values are
/// asserted exactly in `tests/integration/fencing.rs`.
const FENCING_CASES: &str = "
## Fencing on one scripted partition (SPEC §8)

Warm standby, two nodes, automatic promotion, switch 5 s, heartbeats every 1 s, fall 3,
rise 2 (`scenarios/fencing/*.toml` run the same partition). The primary is partitioned at
100.5 s for 60 s: its heartbeats due at 101, 102 and 103 s are missed, it is marked down at
103 s (last renewal at 100 s) and the backup is promoted while it still runs: one false
failover in every mode. The partition heals at 160.5 s; node 0 is marked up at 162 s.
These are exact (one run, no randomness), asserted to the nanosecond by the tests.

| fencing | outage | split brain | false failovers | detection | fencing | switch |
|---|---|---|---|---|---|---|
| `none` | 100.5–108 s (7.5 s) | 108–162 s (54 s) | 1 | 2.5 s | 0 | 5 s |
| `stonith` (fence 10 s, reboot 2 m) | 100.5–118 s (17.5 s) | 0 | 1 | 2.5 s | 10 s | 5 s |
| `lease` (10 s) | 100.5–110 s (9.5 s) | 0 | 1 | 2.5 s | 2 s | 5 s |

With `none` the replaced primary acts until it is marked up and learns that it is a backup;
`stonith` powers it off at 113 s (it reboots as a backup at 233 s) before the 5 s switch;
with a lease renewed at 100 s the takeover waits until 110 s, when the old primary steps
down. A crash instead of a partition gives the same outage as `none` without a false
failover or split brain, and a detection time of exactly 2.5 s.

### The same partition in an asymmetric cluster's elections

Three nodes, the same heartbeats, automatic election; `switch` 5 s (`lowest-id` only), raft
timeout a fixed 5 s and messages 1 ms. Node 2, a slave, is down from 50 s to 103.5 s (marked
up at 105 s); node 0, the master, is partitioned at 100.5 s for 60 s and marked down at 103 s.
`lowest-id` picks node 1 at 103 s. Under raft only node 1 is live at 103 s: its timer fires at
108 s with node 2 back, the vote comes back at 108.002 s (decision 5.002 s). The winner of an
election serves only once the old master is fenced (SPEC §8): stonith fences after the
decision, a lease holds the takeover until it runs out (110 s). Asserted to the nanosecond in
`tests/integration/election_fencing.rs`; `hasim explain --outage 1` tells the same phases.

| election | fencing | outage | split brain | detection | decision | fencing | switch |
|---|---|---|---|---|---|---|---|
| `lowest-id` | `none` | 100.5–108 s | 108–162 s (54 s) | 2.5 s | 0 | 0 | 5 s |
| `lowest-id` | `stonith` | 100.5–118 s | 0 | 2.5 s | 0 | 10 s | 5 s |
| `lowest-id` | `lease` | 100.5–110 s | 0 | 2.5 s | 0 | 2 s | 5 s |
| `raft` | `none` | 100.5–108.002 s | 108.002–162 s (53.998 s) | 2.5 s | 5.002 s | 0 | 0 |
| `raft` | `stonith` | 100.5–118.002 s | 0 | 2.5 s | 5.002 s | 10 s | 0 |
| `raft` | `lease` | 100.5–110 s | 0 | 2.5 s | 5.002 s | 1.998 s | 0 |

One false failover in every row.
";
