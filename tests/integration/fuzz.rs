//! Fuzz-style: thousands of deterministic random mutations of the bundled
//! scenarios (byte flips, lost and doubled lines, extreme numbers, swapped
//! values, random keys, cut-off files) go through load and validation in
//! process. None may panic, every refusal must be an input error naming the
//! file and the key (or line) with a fix, and every mutant that validates
//! must simulate (a short run) and be explained without a panic.
//!
//! `cargo test --release` wraps integer overflow silently; the dev test
//! profile (`cargo test --test integration fuzz`, opt-level 3 with
//! overflow checks) turns it into a panic this test reports. More cases:
//! `HASIM_FUZZ_CASES=40000`; the case being tried: `HASIM_FUZZ_TRACE=1`.

use hasim::scenario::{self, LoadOptions, Scenario};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// Mutants tried; about 20–40 s in the release test profile on 2 cores.
const CASES: usize = 12_000;

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fixed seed, no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const EXTREMES: &[&str] = &[
    "0",
    "-1",
    "1",
    "1e308",
    "-1e308",
    "5e-324",
    "1e-9",
    "-0.0",
    "nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999999",
    "\"\"",
    "\"0s\"",
    "\"1ns\"",
    "\"-1s\"",
    "\"1e308s\"",
    "\"inf\"",
    "\"NaN\"",
    "\"18446744073709551615ns\"",
    "\"18446744073709551616ns\"",
    "\"213503d\"",
    "\"99999999999999999999d\"",
    "\"0.0000000000000000001s\"",
    "\"1_000h\"",
    "\"\\u001b]0;x\\u0007\"",
    "\"=cmd|' /C calc'!A0\"",
    "\"..\"",
    "true",
    "[]",
    "[1, 2]",
    "{}",
    "{ dist = \"weibull\", shape = 1e-9, scale = \"1h\" }",
    "{ dist = \"weibull\", shape = 0.05, scale = \"1ns\" }",
    "{ dist = \"lognormal\", median = \"1h\", sigma = 10 }",
    "{ dist = \"uniform\", min = \"0s\", max = \"18446744073709551615ns\" }",
    "{ dist = \"exponential\", mean = \"1ns\" }",
    "{ dist = \"fixed\", value = \"0s\" }",
    "{ dist = \"fixed\" }",
    "\"exponential\"",
    "\"raft\"",
    "\"manual\"",
    "\"none\"",
];

const KEYS: &[&str] = &[
    "name",
    "description",
    "architecture",
    "seed",
    "duration",
    "warmup",
    "window",
    "replications",
    "precision",
    "max_replications",
    "count",
    "capacity",
    "queue",
    "failure",
    "repair",
    "permanent",
    "replace",
    "rate",
    "arrival",
    "service",
    "deadline",
    "drain",
    "policy",
    "attempts",
    "backoff",
    "classes",
    "heartbeat",
    "fall",
    "rise",
    "task_timeout",
    "promotion",
    "operator",
    "start",
    "switch",
    "algorithm",
    "timeout",
    "message_delay",
    "pause",
    "forward",
    "at",
    "node",
    "kind",
    "for",
    "factor",
    "zzz",
];

const SECTIONS: &[&str] = &[
    "[nodes]",
    "[workload]",
    "[dispatch]",
    "[detection]",
    "[failover]",
    "[election]",
    "[[faults]]",
    "[[dispatch.classes]]",
    "[nodes.failure]",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..1 + usize::from(rng.below(4) == 0) {
        let n = lines.len().max(1);
        match rng.below(9) {
            0 => {
                // Flip a byte (kept as text with the lossy decoding).
                let mut bytes = lines.join("\n").into_bytes();
                if !bytes.is_empty() {
                    let i = rng.below(bytes.len());
                    bytes[i] = rng.next() as u8;
                }
                lines = String::from_utf8_lossy(&bytes)
                    .lines()
                    .map(str::to_string)
                    .collect();
            }
            1 => {
                if !lines.is_empty() {
                    lines.remove(rng.below(n));
                }
            }
            2 => {
                if !lines.is_empty() {
                    let i = rng.below(n);
                    let l = lines[i].clone();
                    lines.insert(i, l);
                }
            }
            3 | 4 => {
                // An extreme value in place of one.
                let with_value: Vec<usize> = (0..lines.len())
                    .filter(|&i| lines[i].contains(" = "))
                    .collect();
                if !with_value.is_empty() {
                    let i = *rng.pick(&with_value);
                    let key = lines[i].split(" = ").next().unwrap().to_string();
                    lines[i] = format!("{key} = {}", rng.pick(EXTREMES));
                }
            }
            5 => {
                // Two values swapped.
                let with_value: Vec<usize> = (0..lines.len())
                    .filter(|&i| lines[i].contains(" = "))
                    .collect();
                if with_value.len() >= 2 {
                    let (i, j) = (*rng.pick(&with_value), *rng.pick(&with_value));
                    let (ki, vi) = lines[i].split_once(" = ").unwrap();
                    let (kj, vj) = lines[j].split_once(" = ").unwrap();
                    let (a, b) = (format!("{ki} = {vj}"), format!("{kj} = {vi}"));
                    lines[i] = a;
                    lines[j] = b;
                }
            }
            6 => {
                // A random key with a random value somewhere.
                let l = format!("{} = {}", rng.pick(KEYS), rng.pick(EXTREMES));
                lines.insert(rng.below(n + 1).min(lines.len()), l);
            }
            7 => {
                let l = rng.pick(SECTIONS).to_string();
                lines.insert(rng.below(n + 1).min(lines.len()), l);
            }
            _ => {
                // Cut off.
                lines.truncate(rng.below(n + 1));
            }
        }
    }
    lines.join("\n")
}

/// Key paths that `--set` can reach in the bundled scenarios.
const PATHS: &[&str] = &[
    "duration",
    "warmup",
    "window",
    "seed",
    "replications",
    "architecture",
    "nodes.count",
    "nodes.capacity",
    "nodes.queue",
    "nodes.failure",
    "nodes.repair",
    "nodes.permanent",
    "nodes.replace",
    "workload.rate",
    "workload.arrival",
    "workload.service",
    "workload.deadline",
    "workload.drain",
    "dispatch.attempts",
    "dispatch.backoff",
    "dispatch.policy",
    "detection.heartbeat",
    "detection.fall",
    "detection.rise",
    "detection.task_timeout",
    "failover.promotion",
    "failover.operator",
    "failover.start",
    "failover.switch",
    "election.algorithm",
    "election.timeout",
    "election.message_delay",
    "election.pause",
    "election.forward",
    "faults[0].at",
    "faults[0].for",
    "faults[0].factor",
    "faults[0].node",
    "faults[0].kind",
];

/// Keys that are not times.
const NOT_TIMES: &[&str] = &[
    "seed",
    "replications",
    "architecture",
    "nodes.count",
    "nodes.capacity",
    "nodes.queue",
    "nodes.permanent",
    "workload.rate",
    "workload.arrival",
    "dispatch.attempts",
    "dispatch.policy",
    "detection.fall",
    "detection.rise",
    "failover.promotion",
    "election.algorithm",
    "election.pause",
    "election.forward",
    "faults[0].factor",
    "faults[0].node",
    "faults[0].kind",
];

/// Extreme times: the largest a u64 of nanoseconds holds, and around it.
const TIMES: &[&str] = &[
    "\"0s\"",
    "\"1ns\"",
    "\"18446744073709551615ns\"",
    "\"9223372036854775807ns\"",
    "\"213503d\"",
    "\"106751d\"",
    "\"73000d\"",
    "\"36500d\"",
    "{ dist = \"exponential\", mean = \"18446744073709551615ns\" }",
    "{ dist = \"exponential\", mean = \"36500d\" }",
    "{ dist = \"uniform\", min = \"18446744073709551614ns\", max = \"18446744073709551615ns\" }",
    "{ dist = \"lognormal\", median = \"36500d\", sigma = 2 }",
    "{ dist = \"weibull\", shape = 0.1, scale = \"1ns\" }",
    "{ dist = \"weibull\", shape = 100, scale = \"18446744073709551615ns\" }",
];

/// Extreme `--set` values: the TOML ones above, and every architecture.
fn extreme_sets(rng: &mut Rng) -> Vec<(String, String)> {
    let mut sets = Vec::new();
    if rng.below(3) == 0 {
        let arch = [
            "cold-standby",
            "warm-standby",
            "master-slave",
            "symmetric-cluster",
            "asymmetric-cluster",
        ];
        sets.push(("architecture".into(), rng.pick(&arch).to_string()));
    }
    if rng.below(3) == 0 {
        if rng.below(2) == 0 {
            sets.push(("architecture".into(), "asymmetric-cluster".into()));
        }
        sets.push(("election.algorithm".into(), "raft".into()));
    }
    for _ in 0..1 + rng.below(2) {
        let path = rng.pick(PATHS).to_string();
        let value = if rng.below(4) != 0 && !NOT_TIMES.contains(&path.as_str()) {
            rng.pick(TIMES)
        } else {
            rng.pick(EXTREMES)
        };
        sets.push((path, value.to_string()));
    }
    sets
}

/// A short run of a validated scenario: one replication over at most a
/// stretch short enough for the fastest process in it.
fn clamp(sc: &mut Scenario) {
    const NS_PER_S: u64 = 1_000_000_000;
    // The scripted faults inside the run (up to 40 min), unless a fast
    // process below needs a shorter one.
    let faults = sc
        .faults
        .iter()
        .map(|f| f.at_ns.saturating_add(60 * NS_PER_S))
        .max();
    let mut limit = faults.unwrap_or(0).clamp(600 * NS_PER_S, 2400 * NS_PER_S);
    let mut cap = |mean_ns: f64, per: f64| {
        // At most about 20 000 occurrences.
        let t = 20_000.0 * mean_ns / per;
        if t.is_finite() && t < limit as f64 {
            limit = t.max(1.0) as u64;
        }
    };
    if let Some(f) = &sc.nodes.failure {
        cap(f.mean_ns(), f64::from(sc.nodes.count));
    }
    if let Some(w) = &sc.workload {
        cap(NS_PER_S as f64 / w.rate_per_s, 1.0);
    }
    cap(sc.election.timeout.mean_ns(), 1.0);
    sc.replications = 1;
    sc.precision = None;
    sc.duration_ns = sc.duration_ns.min(limit).max(1);
    sc.warmup_ns = sc.warmup_ns.min(limit);
    sc.window_ns = sc.duration_ns;
    if let Some(w) = &mut sc.workload {
        w.drain_ns = w.drain_ns.min(limit);
    }
}

#[test]
fn mutated_scenarios_never_panic_and_every_refusal_names_file_and_key() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds: Vec<(String, String)> = Vec::new();
    for dir in ["scenarios", "validation"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for f in files {
            let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
            seeds.push((stem, std::fs::read_to_string(&f).unwrap()));
        }
    }
    assert!(seeds.len() >= 10, "the bundled scenarios are missing");
    let path = Path::new("mutant.toml");
    let mut rng = Rng(0x005e_ed0f_4a51);
    let (mut valid, mut refused) = (0, 0);
    let mut failures: Vec<String> = Vec::new();
    let mut slowest = Vec::new();
    // HASIM_FUZZ_CASES=N tries more (e.g. in the dev profile, whose
    // overflow checks turn a wrapped sum into a panic).
    let cases = std::env::var("HASIM_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES);
    let trace = std::env::var_os("HASIM_FUZZ_TRACE").is_some();
    for case in 0..cases {
        let (stem, text) = rng.pick(&seeds).clone();
        // Half the cases mutate the text, half override keys (as --set).
        let (mutant, opts) = if case % 2 == 0 {
            (mutate(&mut rng, &text), LoadOptions::default())
        } else {
            let sets = extreme_sets(&mut rng);
            (
                text.clone(),
                LoadOptions {
                    sets,
                    ..Default::default()
                },
            )
        };
        if trace {
            eprintln!("case {case} ({stem}) --set {:?}", opts.sets);
        }
        let clock = std::time::Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| {
            match scenario::parse(&mutant, path, &stem, &opts) {
                Ok(mut sc) => {
                    clamp(&mut sc);
                    let _ = hasim::explain::explain(&sc, path);
                    let o = hasim::montecarlo::run(&sc);
                    let _ = hasim::report::Summary::new(&sc, &o);
                    Ok(true)
                }
                Err(e) => {
                    let text = e.to_string();
                    if e.file.as_deref() != Some(path)
                        || (e.key.is_none() && e.line_col.is_none())
                        || e.fix.is_none()
                    {
                        Err(format!("an error without file, key or fix: {text}"))
                    } else {
                        Ok(false)
                    }
                }
            }
        }));
        slowest.push((clock.elapsed(), case, stem.clone()));
        slowest.sort_by(|a, b| b.cmp(a));
        slowest.truncate(5);
        match result {
            Ok(Ok(true)) => valid += 1,
            Ok(Ok(false)) => refused += 1,
            Ok(Err(m)) => failures.push(format!(
                "case {case} ({stem}, --set {:?}): {m}\n{mutant}",
                opts.sets
            )),
            Err(p) => {
                let m = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!(
                    "case {case} ({stem}, --set {:?}): PANIC {m}\n{mutant}",
                    opts.sets
                ));
            }
        }
    }
    eprintln!(
        "{cases} mutants: {valid} valid and simulated, {refused} refused; slowest {slowest:?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {cases} mutants failed; the first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n-----\n")
    );
    // The mix has teeth: both outcomes are common.
    assert!(
        valid > cases / 10 && refused > cases / 10,
        "{valid} valid, {refused} refused"
    );
}

/// Found by this fuzzing: a message delay of 2^64 - 1 ns wrapped the time
/// a raft candidate wins to a few milliseconds (or panicked with overflow
/// checks); now it saturates, and no vote ever arrives within the run.
#[test]
fn a_raft_message_delay_beyond_any_run_never_elects() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("scenarios/zookeeper.toml")).unwrap();
    let opts = LoadOptions {
        sets: vec![
            ("election.algorithm".into(), "raft".into()),
            (
                "election.message_delay".into(),
                "\"18446744073709551615ns\"".into(),
            ),
            ("duration".into(), "\"1h\"".into()),
            ("replications".into(), "1".into()),
        ],
        ..Default::default()
    };
    let sc = scenario::parse(&text, Path::new("z.toml"), "z", &opts).unwrap();
    let o = hasim::montecarlo::run(&sc);
    assert!(
        o.events.iter().any(|e| e.event == "election_started"),
        "the crash at 20 min starts an election"
    );
    assert!(
        !o.events.iter().any(|e| e.event == "elected"),
        "no vote can arrive: nobody is elected"
    );
}
