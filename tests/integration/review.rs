//! The gallery review's findings (times read precisely, empty tables and
//! zero spreads explained, role words, links): checked on the pages.

use crate::support::{hasim, stderr};
use std::fs;
use std::path::Path;

fn run(scenario: &str, sets: &[&str], out: &Path) -> String {
    let mut args = vec!["run", scenario, "--out", out.to_str().unwrap()];
    for s in sets {
        args.extend(["--set", s]);
    }
    let o = hasim(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    fs::read_to_string(out.join("index.html")).unwrap()
}

/// SPEC §1: a crash at exactly 3600 s misses the heartbeats due at 3600,
/// 3601 and 3602 s; with fall = 3 the node is marked down at 3602 s. The
/// events table must tell 3600 from 3602 (it once showed "1h 00m" twice).
#[test]
fn the_events_table_reads_to_the_millisecond() {
    let tmp = tempfile::tempdir().unwrap();
    let page = run(
        "scenarios/symmetric-cluster.toml",
        &["duration=70m", "replications=1", "nodes.failure=\"1000d\""],
        &tmp.path().join("r"),
    );
    let body = page
        .split("<h2>Events of the first run</h2>")
        .nth(1)
        .unwrap();
    assert!(
        body.contains("<td>01:00:00</td><td class=\"n\">2</td><td>crashed</td>"),
        "crash at 01:00:00"
    );
    assert!(
        body.contains("<td>01:00:02</td><td class=\"n\">2</td><td>marked_down</td>"),
        "marked down at 01:00:02"
    );
    assert!(!body.contains("1h 00m"), "no rounded times");
}

/// A hang that heartbeats never see: no outage, so the outages table says
/// so, the downtime's ± is replaced by the rule-of-three note, and the
/// plain words tell what requests paid.
#[test]
fn a_run_without_outage_says_what_requests_paid() {
    let tmp = tempfile::tempdir().unwrap();
    let page = run(
        "scenarios/hung-node.toml",
        &["duration=20m"],
        &tmp.path().join("r"),
    );
    assert!(page.contains("<td>no outage in any run</td>"));
    assert!(!page.contains("± 0s"), "no ± 0s as if certain");
    assert!(page.contains("rule of three"));
    assert!(page.contains("node 1 hung"), "the hang is told");
    assert!(page.contains("never marked down"));
    assert!(page.contains("re-sent after a failed attempt"));
    assert!(page.contains("never went down, but requests felt it"));
}

/// roles.rs names the role as the architecture does.
#[test]
fn the_operator_promotes_a_master_in_master_slave() {
    let tmp = tempfile::tempdir().unwrap();
    run(
        "scenarios/lessons/3-ms-master-dies.toml",
        &[],
        &tmp.path().join("ms"),
    );
    let ev = fs::read_to_string(tmp.path().join("ms/events.csv")).unwrap();
    assert!(ev.contains("operator_acted,promotes a new master"), "{ev}");
    run(
        "scenarios/lessons/1-cold-dies.toml",
        &[],
        &tmp.path().join("cold"),
    );
    let ev = fs::read_to_string(tmp.path().join("cold/events.csv")).unwrap();
    assert!(ev.contains("operator_acted,promotes a new primary"), "{ev}");
}

/// The compare page links each scenario's own page, says a name once when
/// it is the architecture, and warns that per-year figures repeat one-off
/// scripted faults.
#[test]
fn the_compare_page_links_runs_and_warns_about_scripted_faults() {
    let tmp = tempfile::tempdir().unwrap();
    let cmp = tmp.path().join("cmp");
    let o = hasim(&[
        "compare",
        "scenarios/lessons/4-sym-retry.toml",
        "scenarios/lessons/5-asym-master-crash.toml",
        "--out",
        cmp.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("recur at the same rate"), "{out}");
    let page = fs::read_to_string(cmp.join("index.html")).unwrap();
    assert!(page.contains("<a href=\"4-sym-retry/index.html\">4-sym-retry</a>"));
    assert!(page.contains("recur at the same rate"));
    let o = hasim(&[
        "compare",
        "scenarios/symmetric-cluster.toml",
        "scenarios/asymmetric-cluster.toml",
        "--set",
        "duration=10m",
        "--out",
        tmp.path().join("c2").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = fs::read_to_string(tmp.path().join("c2/index.html")).unwrap();
    assert!(!page.contains("symmetric-cluster (symmetric-cluster)"));
    assert!(page.contains("<a href=\"symmetric-cluster/index.html\">symmetric-cluster</a>"));
}
