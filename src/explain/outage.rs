//! `hasim explain --replication N` and `--outage K` (issue 11 §4).
//!
//! Only the first replication keeps its events when a scenario runs; to
//! tell replication N, `explain` runs that one replication again with the
//! trace on. Replication N's random streams derive from (seed, N) alone, so
//! the rerun is the very run that `hasim run` counted: its outages are the
//! rows of `outages.csv` whose `replication` column is N.
//!
//! Outage K is the K-th of those rows, counting from 1 in the file's (time)
//! order. Its chain is every event from the failure that caused it to the
//! moment the service came back, grouped by phase: failure, detection,
//! decision, fencing, takeover, return; then the time per SPEC §8 phase.

use super::{clock, events::Teller};
use crate::i18n::{t, tf};
use crate::model::{simulate, RunOptions};
use crate::montecarlo::Outcome;
use crate::report::story;
use crate::scenario::Scenario;
use crate::sim::time::human;

/// Replication `rep` of `sc`, run alone with its trace (kept as the
/// outcome's first run, so the story code reads it as usual).
pub fn run_replication(sc: &Scenario, rep: u32) -> Outcome {
    let mut one = sc.clone();
    one.replications = 1;
    one.precision = None;
    let mut o = Outcome::new(&one);
    let r = simulate(
        &one,
        RunOptions {
            replication: u64::from(rep),
            trace: true,
        },
    );
    o.add(&one, 0, r);
    o
}

/// The phase an event belongs to, in the order they come.
fn phase(event: &str) -> (u8, &'static str) {
    match event {
        "crashed"
        | "failed_permanently"
        | "hung"
        | "partitioned"
        | "slowed"
        | "fault_ignored"
        | "maintenance_started"
        | "maintenance_stopped" => (0, "phase.failure"),
        "marked_down" => (1, "phase.detection"),
        "operator_alerted" | "operator_acted" | "election_started" => (2, "phase.decision"),
        "fenced" | "lease_expired" | "stepped_down" => (3, "phase.fencing"),
        "promotion_started" | "promoted" | "elected" | "promotion_abandoned" => {
            (3, "phase.takeover")
        }
        "repaired" | "replaced" | "healed" | "marked_up" => (4, "phase.return"),
        _ => (5, "phase.other"),
    }
}

/// The chain of outage `k` (from 1) of the run in `o` (replication `rep`).
pub fn chain(sc: &Scenario, o: &Outcome, rep: u32, k: usize) -> Result<String, String> {
    let outages: Vec<_> = o.outage_list.iter().map(|(_, x)| x).collect();
    let Some(x) = k.checked_sub(1).and_then(|i| outages.get(i)) else {
        return Err(if outages.is_empty() {
            tf("outage.none", &[&rep])
        } else {
            tf(
                "outage.range",
                &[&rep, &outages.len(), &outages.len(), &rep],
            )
        });
    };
    let words = super::Words::of(sc.architecture);
    // The failure that caused it: the last event of that kind on that node
    // at or before the start.
    let from = o
        .events
        .iter()
        .rev()
        .find(|e| e.time_ns <= x.start_ns && e.event == x.cause.event && e.node == x.cause.node)
        .map_or(x.start_ns, |e| e.time_ns);
    let mut text = tf(
        "outage.head",
        &[
            &k,
            &outages.len(),
            &rep,
            &sc.seed,
            &human(x.duration_ns()),
            &clock(x.start_ns),
            &clock(x.end_ns),
            &if x.censored {
                t("outage.censored")
            } else {
                String::new()
            },
            &story::cause(&x.cause),
        ],
    );
    let mut teller = Teller::new(sc, &o.views, words);
    let mut current = None;
    for (i, e) in o.events.iter().enumerate() {
        // Every event goes through the teller, so it knows the state.
        let sentence = teller.sentence(e, &o.events[i + 1..]);
        if e.time_ns < from || e.time_ns > x.end_ns {
            continue;
        }
        let (_, mut name) = phase(e.event);
        // A fenced machine's power-off is part of the fencing.
        let prev = i.checked_sub(1).map(|j| &o.events[j]);
        if e.event == "crashed"
            && prev
                .is_some_and(|p| p.event == "fenced" && p.node == e.node && p.time_ns == e.time_ns)
        {
            name = "phase.fencing";
        }
        if current != Some(name) {
            text.push_str(&format!("\n  {}:\n", t(name)));
            current = Some(name);
        }
        text.push_str(&format!("  {:>16}  {sentence}\n", clock(e.time_ns)));
    }
    text.push_str(&phases(o, k - 1));
    text.push_str(&format!(
        "\n  {:>16}  {}\n",
        clock(x.end_ns),
        if x.censored {
            t("outage.run_ends_down")
        } else {
            tf("explain.back", &[&human(x.duration_ns())])
        }
    ));
    Ok(text)
}

/// Where outage `i` (from 0) of the run in `o` spent its time, by SPEC §8
/// phase (the `outages.csv` columns), if any phase was recorded.
fn phases(o: &Outcome, i: usize) -> String {
    let Some(p) = o.imperfect.outage_phases_ns.get(i) else {
        return String::new();
    };
    let parts: Vec<String> = crate::metrics::imperfect::PHASES
        .iter()
        .zip(p)
        .filter(|(_, &ns)| ns > 0)
        .map(|(name, &ns)| format!("{} {}", t(&format!("spent.{name}")), human(ns)))
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    format!("\n  {}\n", tf("outage.where_time", &[&parts.join(", ")]))
}
