//! Determinism and common random numbers: same file + seed ⇒ identical
//! bytes; another seed ⇒ other numbers; node failure histories shared by
//! architectures that share `[nodes]` and the seed.

use crate::support::{hasim, scenario};
use hasim::model::{simulate, RunOptions};
use std::fs;

fn read_all(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn same_file_and_seed_give_identical_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    for dir in [&a, &b] {
        let o = hasim(&[
            "run",
            "scenarios/cold-standby.toml",
            "--replications",
            "3",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let (fa, fb) = (read_all(&a), read_all(&b));
    let names: Vec<&str> = fa.iter().map(|(n, _)| n.as_str()).collect();
    for f in [
        "summary.json",
        "timeseries.csv",
        "events.csv",
        "outages.csv",
        "index.html",
        "availability.svg",
        "timeline.png",
    ] {
        assert!(names.contains(&f), "{f} missing: {names:?}");
    }
    // Every file, charts and page included, byte for byte.
    assert_eq!(fa.len(), fb.len());
    for ((na, a), (nb, b)) in fa.iter().zip(&fb) {
        assert_eq!(na, nb);
        assert!(
            a == b,
            "{na} differs between two runs of the same file and seed"
        );
    }
    let o = hasim(&[
        "run",
        "scenarios/cold-standby.toml",
        "--replications",
        "3",
        "--seed",
        "2",
        "--out",
        c.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let summary = |d: &std::path::Path| fs::read_to_string(d.join("summary.json")).unwrap();
    assert_ne!(
        summary(&a),
        summary(&c),
        "another seed must give other numbers"
    );
}

/// Node events (crash, permanent failure, repair, replacement) of one run.
fn node_history(arch: &str) -> Vec<(u64, Option<u32>, &'static str)> {
    let text = format!(
        r#"
        architecture = "{arch}"
        seed = 42
        duration = "400d"
        [nodes]
        count = 3
        failure = {{ dist = "weibull", shape = 1.3, scale = "20d" }}
        repair = {{ dist = "lognormal", median = "1h", sigma = 0.7 }}
        permanent = 0.2
        replace = "3d"
        [workload]
        rate = 0.01
        service = "1s"
    "#
    );
    let sc = scenario(&text);
    let r = simulate(
        &sc,
        RunOptions {
            replication: 0,
            trace: true,
        },
    );
    r.trace
        .into_iter()
        .filter(|e| {
            matches!(
                e.event,
                "crashed" | "failed_permanently" | "repaired" | "replaced"
            )
        })
        .map(|e| (e.time_ns, e.node, e.event))
        .collect()
}

#[test]
fn architectures_share_node_failure_histories() {
    let reference = node_history("cold-standby");
    assert!(
        reference.len() > 30,
        "the history should be rich enough to compare: {}",
        reference.len()
    );
    for arch in [
        "warm-standby",
        "master-slave",
        "symmetric-cluster",
        "asymmetric-cluster",
    ] {
        assert_eq!(
            node_history(arch),
            reference,
            "{arch} sees another failure history"
        );
    }
}

#[test]
fn replications_differ_and_are_reproducible() {
    let sc = scenario(
        r#"
        architecture = "symmetric-cluster"
        duration = "100d"
        [nodes]
        count = 2
        failure = { dist = "exponential", mean = "5d" }
        repair = { dist = "exponential", mean = "1h" }
    "#,
    );
    let run = |r| {
        simulate(
            &sc,
            RunOptions {
                replication: r,
                trace: false,
            },
        )
        .up_ns
    };
    assert_eq!(run(3), run(3));
    assert_ne!(run(0), run(1));
}

#[test]
fn thread_count_does_not_change_a_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let mut dirs = Vec::new();
    for threads in ["1", "2", "3"] {
        let dir = tmp.path().join(threads);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_hasim"))
            .args([
                "run",
                "scenarios/symmetric-cluster.toml",
                "--set",
                "duration=20m",
                "--replications",
                "7",
            ])
            .arg("--out")
            .arg(&dir)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        dirs.push(read_all(&dir));
    }
    assert!(dirs[0].len() >= 10);
    assert!(
        dirs[0] == dirs[1] && dirs[1] == dirs[2],
        "results depend on the thread count"
    );
}
