//! Detection time under lost heartbeats (SPEC §1, §8): the heartbeats
//! lost just before a crash begin its run of misses.
//!
//! The node's heartbeat-grid chain: marked up with j losses in a row
//! (U_j, j < fall), or marked down with i deliveries in a row (D_i,
//! i < rise). A loss moves U_j to U_{j+1} (to D_0 from U_{fall−1}) and D_i
//! to D_0; a delivery moves U_j to U_0 and D_i to D_{i+1} (to U_0 from
//! D_{rise−1}). A crash while in U_j is marked down at the (fall − j)-th
//! due time after it; a crash while marked down has nothing to detect and
//! counts in no detection time.

use crate::support::{assert_covers, run};
use hasim::validation::{lossy_detection_mean, CASES};

/// E[j | marked up] after `steps` due times from `start` (an index into
/// U_0 … U_{fall−1}, D_0 … D_{rise−1}), by iterating the chain.
fn trailing_losses(q: f64, fall: usize, rise: usize, start: usize, steps: usize) -> f64 {
    let mut p = vec![0.0; fall + rise];
    p[start] = 1.0;
    for _ in 0..steps {
        let mut next = vec![0.0; fall + rise];
        for (s, &x) in p.iter().enumerate() {
            let (on_loss, on_delivery) = if s < fall {
                (if s + 1 < fall { s + 1 } else { fall }, 0)
            } else {
                let i = s - fall;
                (fall, if i + 1 < rise { s + 1 } else { 0 })
            };
            next[on_loss] += q * x;
            next[on_delivery] += (1.0 - q) * x;
        }
        p = next;
    }
    let up: f64 = p[..fall].iter().sum();
    p[..fall]
        .iter()
        .enumerate()
        .map(|(j, x)| j as f64 * x)
        .sum::<f64>()
        / up
}

#[test]
fn the_chain_gives_the_closed_form_from_any_start() {
    // Validation case 17: loss 0.3, fall 3, rise 2, heartbeat 1 s; every
    // crash comes 500 s or more (≥ 499 due times) after the node came up,
    // from D_0 after a repair, from U_0 at t = 0: the chain is stationary.
    let (q, fall, rise) = (0.3, 3, 2);
    let closed = lossy_detection_mean(q, 1.0, fall as u32);
    // Weights 1, 0.3, 0.09: E[j] = 0.48 / 1.39.
    assert!((closed - (2.5 - 0.48 / 1.39)).abs() < 1e-15, "{closed}");
    for start in [0, fall] {
        for steps in [499, 550, 700] {
            let j = trailing_losses(q, fall, rise, start, steps);
            assert!(
                (0.5 + (fall as f64 - 1.0 - j) - closed).abs() < 1e-12,
                "from {start} after {steps}: E[j] = {j}"
            );
        }
    }
    // Early after a repair the chain is not stationary yet (the test above
    // has teeth): two due times after D_0 the node is at best just up.
    let early = trailing_losses(q, fall, rise, fall, 3);
    assert!((early - 0.48 / 1.39).abs() > 0.05, "{early}");
}

#[test]
fn lost_heartbeats_before_a_crash_shorten_its_detection() {
    let case = CASES
        .iter()
        .find(|c| c.file == "17-lossy-detection-time.toml")
        .expect("validation case 17");
    let (_, o, _) = run(case.text);
    let d = o.imperfect.detection_mean_s;
    let (mean, ci) = (d.mean_or_zero(), d.ci95().unwrap());
    let exact = lossy_detection_mean(0.3, 1.0, 3);
    assert_covers("mean detection time, 30 % loss", mean, ci, exact, 0.02);
    // Counting from the crash only would give H/2 + (fall − 1)·H = 2.5 s.
    assert!(2.5 - mean > 10.0 * ci, "{mean} ± {ci}");
}

#[test]
fn too_many_lossy_runs_are_refused_with_file_key_and_fix() {
    // 100 nodes, 10 ms heartbeats for 10 years, 30 % lost: about 6.6e11
    // runs of misses to draw, over the limit of 2e9 (limits::MAX_LOSSY_RUNS).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    std::fs::write(
        &path,
        "architecture = \"symmetric-cluster\"\nduration = \"3650d\"\n[nodes]\ncount = 100\n\
         [detection]\nheartbeat = \"10ms\"\nloss = 0.3\n",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let out = crate::support::hasim(&[
        "run",
        path.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let err = crate::support::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("big.toml:6:1"), "{err}");
    assert!(err.contains("`detection.heartbeat`"), "{err}");
    assert!(
        err.contains("6.6e11") && err.contains("at most 2e9"),
        "{err}"
    );
    assert!(
        err.contains("fix: use a longer heartbeat, a shorter duration"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out_dir.exists(), "no half-written output");
}
