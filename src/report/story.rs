//! Plain words about a run: the paragraph at the top of the HTML report.

use super::Summary;
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;
use crate::sim::time::{human, human_s};

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
    let reps = if s.replications == 1 {
        "one run".to_string()
    } else {
        format!("{} independent runs", s.replications)
    };
    let mut first = format!(
        "Over {} of simulated time ({reps}), this {} was up {} of the time",
        human_s(s.duration_s),
        sc.architecture.name(),
        pct(s.uptime)
    );
    if let Some(n) = s.nines {
        first.push_str(&format!(" ({n:.2} nines)"));
    }
    if s.outages > 0.0 {
        first.push_str(&format!(
            ": {} of downtime in {} outage{} per run, {} each on average.",
            human_s(s.downtime_s),
            fmt_count(s.outages),
            if s.outages == 1.0 { "" } else { "s" },
            human_s(s.mean_outage_s.unwrap_or(0.0))
        ));
    } else {
        first.push_str(": it never went down.");
    }
    out.push(first);
    if let Some((rep, worst)) = o.outage_list.iter().max_by_key(|(_, x)| x.duration_ns()) {
        out.push(format!(
            "The longest outage lasted {} (run {rep}, from t = {}), started by {}{}.",
            human(worst.duration_ns()),
            human(worst.start_ns),
            worst.cause.describe(),
            if worst.censored {
                ", and was still going on at the end"
            } else {
                ""
            }
        ));
    }
    if sc.architecture.has_leader() {
        out.push(format!(
            "A different node took over as primary/master {} time(s) per run.",
            fmt_count(s.failovers)
        ));
    }
    if let (Some(r), Some(a)) = (&s.requests, s.availability) {
        let mut t = format!(
            "{} requests were offered; {} succeeded ({}) and {} failed: {} timed out, {} rejected, {} errored",
            r.offered,
            r.succeeded,
            pct(a),
            r.failed,
            r.timed_out,
            r.rejected,
            r.errored
        );
        if r.retries > 0 {
            t.push_str(&format!(", after {} retries", r.retries));
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

fn fmt_count(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x}")
    } else {
        format!("{x:.2}")
    }
}

/// One sentence per run, for comparisons.
pub fn paragraph_short(s: &Summary) -> String {
    let mut t = format!("up {}", pct(s.uptime));
    if s.outages > 0.0 {
        t.push_str(&format!(
            ", {} down per run in {} outage(s) of {} on average",
            human_s(s.downtime_s),
            fmt_count(s.outages),
            human_s(s.mean_outage_s.unwrap_or(0.0))
        ));
    }
    if let Some(a) = s.availability {
        t.push_str(&format!("; {} of requests succeeded", pct(a)));
    }
    t.push('.');
    t
}
