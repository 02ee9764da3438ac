//! Bad input: every class of mistake exits with status 2, names the key,
//! says how to fix it, and writes nothing.

use crate::support::{hasim, stderr};
use std::fs;

const GOOD: &str = r#"
name = "good"
architecture = "warm-standby"
duration = "1d"
[nodes]
count = 2
failure = { dist = "exponential", mean = "10d" }
repair = "1h"
"#;

/// Runs `hasim run` on `text` and checks the failure: exit 2, the message
/// names `key` (and the line when `line` is given), nothing is written.
fn check(text: &str, key: &str, line: Option<usize>) {
    check_args(text, key, line, &[]);
}

fn check_args(text: &str, key: &str, line: Option<usize>, extra: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bad.toml");
    fs::write(&file, text).unwrap();
    let out = tmp.path().join("out");
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = hasim(&args);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "expected exit 2 for `{key}`, got {:?}: {err}",
        o.status.code()
    );
    assert!(
        err.contains(&format!("`{key}`")) || !key.contains('.') && err.contains(key),
        "the message should name `{key}`: {err}"
    );
    assert!(
        err.contains("bad.toml"),
        "the message should name the file: {err}"
    );
    assert!(
        err.contains("fix:"),
        "the message should say how to fix it: {err}"
    );
    if let Some(line) = line {
        assert!(
            err.contains(&format!("bad.toml:{line}:")),
            "the message should give line {line}: {err}"
        );
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists(), "nothing may be written on bad input");
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary folder may be left: {leftovers:?}"
    );
}

#[test]
fn the_good_scenario_is_good() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("good.toml");
    fs::write(&file, GOOD).unwrap();
    let o = hasim(&["check", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn unknown_keys() {
    check(
        &GOOD.replace("count = 2", "count = 2\ncoutn = 3"),
        "nodes.coutn",
        Some(7),
    );
    check(
        &format!("{GOOD}\n[detection]\nfal = 3\n"),
        "detection.fal",
        None,
    );
    check(&format!("{GOOD}\n[workload]\nrate = 1\nservice = {{ dist = \"exponential\", mean = \"1s\", sigma = 2 }}\n"), "workload.service.sigma", None);
    check(&format!("colour = \"blue\"\n{GOOD}"), "colour", Some(1));
}

#[test]
fn bad_durations_and_types() {
    check(
        &GOOD.replace("duration = \"1d\"", "duration = \"1 fortnight\""),
        "duration",
        Some(4),
    );
    check(
        &GOOD.replace("duration = \"1d\"", "duration = \"-3h\""),
        "duration",
        None,
    );
    check(
        &GOOD.replace("repair = \"1h\"", "repair = \"1hr\""),
        "nodes.repair",
        None,
    );
    check(
        &GOOD.replace("count = 2", "count = \"two\""),
        "nodes.count",
        None,
    );
    check(
        &GOOD.replace("duration = \"1d\"", "duration = \"0s\""),
        "duration",
        None,
    );
}

#[test]
fn bad_distributions() {
    check(
        &GOOD.replace(
            "repair = \"1h\"",
            "repair = { dist = \"gaussian\", mean = \"1h\" }",
        ),
        "nodes.repair.dist",
        None,
    );
    check(
        &GOOD.replace(
            "repair = \"1h\"",
            "repair = { dist = \"uniform\", min = \"2h\", max = \"1h\" }",
        ),
        "nodes.repair.min",
        None,
    );
    check(
        &GOOD.replace("repair = \"1h\"", "repair = { dist = \"exponential\" }"),
        "nodes.repair.mean",
        None,
    );
    check(
        &GOOD.replace(
            "repair = \"1h\"",
            "repair = { dist = \"lognormal\", median = \"1h\", sigma = -1 }",
        ),
        "nodes.repair.sigma",
        None,
    );
    check(
        &GOOD.replace(
            "repair = \"1h\"",
            "repair = { dist = \"exponential\", mean = \"1h\", max = \"2h\" }",
        ),
        "nodes.repair.max",
        None,
    );
}

#[test]
fn missing_and_inconsistent_keys() {
    check(&GOOD.replace("repair = \"1h\"", ""), "nodes.repair", None);
    check(&GOOD.replace("duration = \"1d\"", ""), "duration", None);
    check(
        &GOOD.replace("repair = \"1h\"", "repair = \"1h\"\npermanent = 0.1"),
        "nodes.replace",
        None,
    );
    check(
        &GOOD.replace(
            "repair = \"1h\"",
            "repair = \"1h\"\npermanent = 1.5\nreplace = \"1d\"",
        ),
        "nodes.permanent",
        None,
    );
    check(&GOOD.replace("count = 2", "count = 0"), "nodes.count", None);
}

#[test]
fn class_shares_must_sum_to_one() {
    let text = format!(
        "{GOOD}\n[workload]\nrate = 1\nservice = \"1s\"\n[dispatch]\nclasses = [{{ name = \"a\", share = 0.5 }}, {{ name = \"b\", share = 0.4 }}]\n"
    );
    check(&text, "dispatch.classes", None);
    let text = format!("{GOOD}\n[workload]\nrate = 1\nservice = \"1s\"\n[dispatch]\nclasses = [{{ name = \"a\", share = 1.0, route = \"leader\" }}]\n");
    check(&text, "dispatch.classes[0].route", None);
}

#[test]
fn faults_must_name_existing_nodes_and_kinds() {
    check(
        &format!("{GOOD}\n[[faults]]\nat = \"1h\"\nnode = 7\nkind = \"crash\"\nfor = \"1m\"\n"),
        "faults[0].node",
        None,
    );
    check(
        &format!("{GOOD}\n[[faults]]\nat = \"1h\"\nnode = 1\nkind = \"explode\"\n"),
        "faults[0].kind",
        None,
    );
    check(
        &format!("{GOOD}\n[[faults]]\nat = \"soon\"\nnode = 1\nkind = \"crash\"\nfor = \"1m\"\n"),
        "faults[0].at",
        None,
    );
    check(
        &format!("{GOOD}\n[[faults]]\nat = \"1h\"\nnode = 1\nkind = \"permanent\"\nfor = \"1m\"\n"),
        "faults[0].for",
        None,
    );
}

#[test]
fn hang_slow_and_partition_need_their_keys() {
    check(
        &format!("{GOOD}\n[[faults]]\nat = \"1h\"\nnode = 1\nkind = \"slow\"\nfor = \"1m\"\n"),
        "faults[0].factor",
        None,
    );
    check(
        &format!("{GOOD}\n[[faults]]\nat = \"1h\"\nnode = 1\nkind = \"hang\"\n"),
        "faults[0].for",
        None,
    );
    check(&format!("{GOOD}\n[[faults]]\nat = \"1h\"\nnode = 1\nkind = \"partition\"\nfactor = 2\nfor = \"1m\"\n"), "faults[0].factor", None);
}

#[test]
fn election_timeouts_belong_to_raft() {
    let asym = GOOD.replace("warm-standby", "asymmetric-cluster");
    check(
        &format!("{asym}\n[election]\nalgorithm = \"paxos\"\n"),
        "election.algorithm",
        None,
    );
    check(
        &format!("{asym}\n[election]\ntimeout = \"200ms\"\n"),
        "election.timeout",
        None,
    );
}

#[test]
fn sections_that_do_not_apply() {
    check(
        &format!("{GOOD}\n[election]\nalgorithm = \"lowest-id\"\n"),
        "election",
        None,
    );
    check(
        &(GOOD.replace("warm-standby", "symmetric-cluster") + "\n[failover]\nswitch = \"1s\"\n"),
        "failover",
        None,
    );
    check(
        &format!("{GOOD}\n[failover]\nstart = \"5m\"\n"),
        "failover.start",
        None,
    );
    check(
        &GOOD.replace("warm-standby", "hot-standby"),
        "architecture",
        Some(3),
    );
}

#[test]
fn absurd_sizes_are_refused_before_allocation() {
    check(
        &GOOD.replace("count = 2", "count = 100000000000"),
        "nodes.count",
        None,
    );
    check(
        &GOOD.replace("duration = \"1d\"", "duration = \"1d\"\nwindow = \"1s\""),
        "window",
        None,
    );
    check(
        &GOOD.replace("duration = \"1d\"", "duration = \"1000000d\""),
        "duration",
        None,
    );
    check(
        &GOOD.replace("duration = \"1d\"", "duration = \"1d\"\nreplications = 0"),
        "replications",
        None,
    );
}

#[test]
fn toml_syntax_errors_give_the_line() {
    check(
        &GOOD.replace("count = 2", "count = = 2"),
        "not valid TOML",
        Some(6),
    );
}

#[test]
fn bad_command_line_overrides() {
    check_args(GOOD, "nodes.cuont", None, &["--set", "nodes.cuont=3"]);
    check_args(GOOD, "nodes.count", None, &["--set", "nodes.count=-1"]);
    check_args(GOOD, "faults[0].at", None, &["--set", "faults[0].at=2h"]);
}

#[test]
fn a_missing_file_is_bad_input() {
    let o = hasim(&["check", "no/such/file.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/file.toml"));
}

#[test]
fn unknown_commands_and_flags_exit_2() {
    assert_eq!(hasim(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        hasim(&["run", "--seeds", "3", "x.toml"]).status.code(),
        Some(2)
    );
}

#[test]
fn means_beyond_a_u64_of_nanoseconds_are_refused() {
    // shape = 1e-9: Γ(1 + 1e9) is infinite.
    let weibull = |shape: &str, scale: &str| {
        GOOD.replace(
            "failure = { dist = \"exponential\", mean = \"10d\" }",
            &format!("failure = {{ dist = \"weibull\", shape = {shape}, scale = \"{scale}\" }}"),
        )
    };
    check(&weibull("1e-9", "10d"), "nodes.failure", Some(7));
    // The bound from the maths: scale·Γ(1+1/shape) ≤ 2^64 ns. With a scale
    // of 1 h (3.6e12 ns) Γ(1+1/k) must stay below 5.1e6: Γ(11) = 3.6e6
    // (shape 0.1) passes, Γ(12) = 4.0e7 (shape 1/11) does not.
    check(&weibull("0.0909", "1h"), "nodes.failure", None);
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("ok.toml");
    fs::write(&file, weibull("0.1", "1h")).unwrap();
    let o = hasim(&["check", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A zero scale with a vanishing shape has no mean (0·∞) either.
    check(
        &GOOD.replace(
            "repair = \"1h\"",
            "repair = { dist = \"weibull\", shape = 1e-9, scale = \"0s\" }",
        ),
        "nodes.repair",
        None,
    );
    // Lognormal: median·exp(σ²/2) with σ = 10 is e^50 ≈ 5e21 times the median.
    check(
        &GOOD.replace(
            "repair = \"1h\"",
            "repair = { dist = \"lognormal\", median = \"1h\", sigma = 10 }",
        ),
        "nodes.repair",
        None,
    );
}

#[test]
fn seeds_have_one_range_in_the_file_and_on_the_command_line() {
    check(
        &GOOD.replace("duration = \"1d\"", "duration = \"1d\"\nseed = -1"),
        "seed",
        None,
    );
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("good.toml");
    fs::write(&file, GOOD).unwrap();
    let f = file.to_str().unwrap();
    for seed in [
        "-1",
        "9223372036854775808",
        "18446744073709551615",
        "1.5",
        "x",
    ] {
        let o = hasim(&["explain", f, "--seed", seed]);
        assert_eq!(o.status.code(), Some(2), "--seed {seed}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("use a whole number from 0 to 9223372036854775807"),
            "--seed {seed}: {}",
            stderr(&o)
        );
    }
    for seed in ["0", "9223372036854775807"] {
        let o = hasim(&["explain", f, "--seed", seed]);
        assert!(o.status.success(), "--seed {seed}: {}", stderr(&o));
        fs::write(
            &file,
            GOOD.replace("duration", &format!("seed = {seed}\nduration")),
        )
        .unwrap();
        let o = hasim(&["check", f]);
        assert!(o.status.success(), "seed = {seed}: {}", stderr(&o));
        fs::write(&file, GOOD).unwrap();
    }
}

#[test]
fn huge_files_fifos_and_devices_are_refused_unread() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.toml");
    let mut text = GOOD.to_string();
    text.push_str(&"# padding\n".repeat(450_000)); // 4.5 MB
    fs::write(&big, text).unwrap();
    for (path, words) in [
        (big.to_str().unwrap(), "larger than 4 MiB"),
        ("/dev/zero", "not a regular file"),
        ("/dev/null", "not a regular file"),
        (tmp.path().to_str().unwrap(), "a folder"),
    ] {
        let o = hasim(&["check", path]);
        assert_eq!(o.status.code(), Some(2), "{path}: {}", stderr(&o));
        assert!(stderr(&o).contains(words), "{path}: {}", stderr(&o));
        assert!(stderr(&o).contains("fix:"), "{path}: {}", stderr(&o));
    }
    // A FIFO nobody writes to: opening it would block forever.
    let fifo = tmp.path().join("pipe.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let o = hasim(&["check", fifo.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    }
}

#[test]
fn escape_sequences_in_user_text_never_reach_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("esc.toml");
    let text = GOOD.replace(
        "duration = \"1d\"",
        "duration = \"1d\"\ndescription = \"a\\u001b[2J\\u001b]0;owned\\u0007b\\u009bc\\rd\"",
    );
    fs::write(&file, &text).unwrap();
    let o = hasim(&["explain", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("abcd"), "{out}");
    // No control character but newline and tab anywhere.
    let bad = |t: &str| t.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
    assert!(!bad(&out), "{out:?}");
    // Error messages quote --set values: made safe too.
    let o = hasim(&[
        "check",
        file.to_str().unwrap(),
        "--set",
        "nodes.count=\u{1b}]0;x\u{7}",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!bad(&stderr(&o)), "{:?}", stderr(&o));
    let o = hasim(&["check", "--sett\u{1b}[2J", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!bad(&stderr(&o)), "{:?}", stderr(&o));
}

#[test]
fn detection_that_could_never_happen_is_refused() {
    // 73 000 days × fall 3 is 600 years: beyond any run (200 years).
    check(
        &format!("{GOOD}\n[detection]\nheartbeat = \"73000d\"\n"),
        "detection.heartbeat",
        None,
    );
    // 2^64 - 1 ns × rise 2 does not even fit in a u64.
    check(
        &format!("{GOOD}\n[detection]\nheartbeat = \"18446744073709551615ns\"\nfall = 1\n"),
        "detection.heartbeat",
        None,
    );
}

#[test]
fn lossy_heartbeats_that_would_need_endless_draws_are_refused() {
    // 1 ns heartbeats lost 5 % of the time over an hour: about 1.7e11 runs
    // of misses to draw. Refused up front instead of running for hours.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("lossy.toml");
    fs::write(
        &file,
        "architecture = \"symmetric-cluster\"\nduration = \"1h\"\n[nodes]\ncount = 1\n\
         [detection]\nheartbeat = \"1ns\"\nloss = 0.05\n",
    )
    .unwrap();
    let o = hasim(&["check", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("detection.heartbeat"), "{}", stderr(&o));
    assert!(stderr(&o).contains("fix:"), "{}", stderr(&o));
    // A 1 s heartbeat over the same hour is fine.
    fs::write(
        &file,
        "architecture = \"symmetric-cluster\"\nduration = \"1h\"\n[nodes]\ncount = 1\n\
         [detection]\nheartbeat = \"1s\"\nloss = 0.05\n",
    )
    .unwrap();
    let o = hasim(&["check", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
