//! Plain words about a run: the paragraph at the top of the HTML report.

use super::words::{plural, plural_f, times_f};
use super::Summary;
use crate::metrics::Cause;
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;
use crate::sim::time::{human, human_s};

/// The event that took the service down, as a clause: "node 0 crashed".
pub fn cause(c: &Cause) -> String {
    use crate::i18n::{t, tf};
    let who = c
        .node
        .map_or(t("cause.a_node"), |n| tf("cause.node", &[&n]));
    let id = match c.event {
        "crashed" => "cause.crashed",
        "failed_permanently" => "cause.failed_permanently",
        "partitioned" => "cause.partitioned",
        "hung" => "cause.hung",
        "slowed" => "cause.slowed",
        "marked_down" => "cause.marked_down",
        "marked_up" => "cause.marked_up",
        "repaired" => "cause.repaired",
        "replaced" => "cause.replaced",
        "promotion_started" => "cause.promotion_started",
        "promoted" => "cause.promoted",
        "promotion_abandoned" => "cause.promotion_abandoned",
        "election_started" => "cause.election_started",
        "elected" => "cause.elected",
        "operator_acted" => "cause.operator_acted",
        "healed" => "cause.healed",
        other => return tf("cause.other", &[&other, &who]),
    };
    tf(id, &[&who])
}

fn pct(x: f64) -> String {
    let p = 100.0 * x;
    if p > 99.0 && p < 100.0 {
        format!("{p:.4} %")
    } else {
        format!("{p:.2} %")
    }
}

/// A few sentences that say what happened.
pub fn paragraph(sc: &Scenario, s: &Summary, o: &Outcome) -> Vec<String> {
    let mut out = Vec::new();
    let span = if s.replications == 1 {
        format!("Over {} of simulated time (one run)", human_s(s.duration_s))
    } else {
        format!(
            "In {} independent runs of {} of simulated time each",
            s.replications,
            human_s(s.duration_s)
        )
    };
    let mut first = format!(
        "{span}, this {} was up {} of the time",
        sc.architecture.name(),
        pct(s.uptime)
    );
    if let Some(n) = s.nines {
        first.push_str(&format!(" ({n:.2} nines)"));
    }
    if s.outages > 0.0 {
        first.push_str(&format!(
            ": {} of downtime in {} per run, {} each on average.",
            human_s(s.downtime_s),
            plural_f(s.outages, "outage"),
            human_s(s.mean_outage_s.unwrap_or(0.0))
        ));
    } else {
        first.push_str(": it never went down.");
    }
    out.push(first);
    out.extend(quiet_faults(sc, s, o));
    if let Some((rep, worst)) = o.longest_outage() {
        out.push(format!(
            "The longest outage lasted {} (run {rep}, from t = {}); it began when {}{}.",
            human(worst.duration_ns()),
            human(worst.start_ns),
            cause(&worst.cause),
            if worst.censored {
                ", and was still going on at the end"
            } else {
                ""
            }
        ));
    }
    if sc.architecture.has_leader() {
        let role = if sc.architecture.is_standby() {
            "primary"
        } else {
            "master"
        };
        out.push(if s.failovers == 0.0 {
            format!("No failover: the {role} role never moved to a different node.")
        } else {
            format!(
                "A different node took over as {role} {} per run (failovers).",
                times_f(s.failovers)
            )
        });
    }
    if let (Some(r), Some(a)) = (&s.requests, s.availability) {
        let mut t = format!(
            "{} {} offered; {} succeeded ({}) and {} failed: {} timed out, {} rejected, {} errored",
            plural(r.offered, "request"),
            if r.offered == 1 { "was" } else { "were" },
            r.succeeded,
            pct(a),
            r.failed,
            r.timed_out,
            r.rejected,
            r.errored
        );
        if r.retries > 0 {
            t.push_str(&format!(", after {}", plural(r.retries, "retry")));
        }
        t.push('.');
        out.push(t);
        if let Some(l) = &s.latency_ms {
            out.push(format!(
                "Successful requests took {:.3} ms at the median, {:.3} ms at p99 and {:.3} ms at worst.",
                l.p50, l.p99, l.max
            ));
        }
    }
    out
}

/// Sentences about faults that need not take the service down (scripted
/// hangs, slow-downs and partitions) and about what requests paid for them,
/// so that "up 100 %" is not the whole story.
fn quiet_faults(sc: &Scenario, s: &Summary, o: &Outcome) -> Vec<String> {
    use crate::scenario::FaultKind;
    let mut out = Vec::new();
    let mut any = false;
    for f in &sc.faults {
        let what = match f.kind {
            FaultKind::Hang => {
                "hung: it took tasks and finished none while its heartbeats went on".to_string()
            }
            FaultKind::Slow(k) => format!("slowed down (service × {k})"),
            FaultKind::Partition => {
                "was cut off by a network partition: running, but unreachable".into()
            }
            FaultKind::Crash | FaultKind::Permanent => continue,
        };
        any = true;
        let end = f.for_ns.map_or(u64::MAX, |d| f.at_ns.saturating_add(d));
        let detected = o.events.iter().find(|e| {
            e.event == "marked_down"
                && e.node == Some(f.node)
                && e.time_ns >= f.at_ns
                && e.time_ns <= end
        });
        let lasting = f
            .for_ns
            .map_or(String::new(), |d| format!(" for {}", human(d)));
        out.push(format!(
            "From t = {}{lasting}, node {} {what}; {}.",
            human(f.at_ns),
            f.node,
            match detected {
                Some(e) => format!(
                    "it was marked down at t = {} (first run)",
                    crate::explain::clock(e.time_ns)
                ),
                None => "it was never marked down (first run)".into(),
            }
        ));
    }
    if let Some(r) = &s.requests {
        if any || r.retries > 0 || r.failed > 0 {
            let mut t = if s.outages == 0.0 {
                "The service as a whole never went down, but requests felt it: ".to_string()
            } else {
                "Requests felt it too: ".to_string()
            };
            t.push_str(&format!(
                "{} re-sent after a failed attempt and {} failed in the end",
                plural(r.retries, "request"),
                r.failed
            ));
            if let Some(l) = &s.latency_ms {
                if l.p50 > 0.0 {
                    t.push_str(&format!(
                        "; the slowest 1 % took {:.3} ms or more, {:.1} times the median ({:.3} ms)",
                        l.p99,
                        l.p99 / l.p50,
                        l.p50
                    ));
                }
            }
            t.push('.');
            out.push(t);
        }
    }
    out
}

/// One sentence per run, for comparisons.
pub fn paragraph_short(s: &Summary) -> String {
    let mut t = format!("up {}", pct(s.uptime));
    if s.outages > 0.0 {
        t.push_str(&format!(
            ", {} down per run in {} of {} on average",
            human_s(s.downtime_s),
            plural_f(s.outages, "outage"),
            human_s(s.mean_outage_s.unwrap_or(0.0))
        ));
    }
    if let Some(a) = s.availability {
        t.push_str(&format!("; {} of requests succeeded", pct(a)));
    }
    t.push('.');
    t
}
