//! Plain words about a run: the paragraph at the top of the HTML report.

use super::words::{count_f, plural, plural_f, times_f};
use super::Summary;
use crate::i18n::{t, tf};
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
        "domain_failed" => "cause.domain_failed",
        "dispatcher_failed" => "cause.dispatcher_failed",
        "stopped" => "cause.stopped",
        "cut_off" => "cause.cut_off",
        "maintenance_started" => "cause.maintenance_started",
        "maintenance_stopped" => "cause.maintenance_stopped",
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
        tf("story.span_one", &[&human_s(s.duration_s)])
    } else {
        tf(
            "story.span_many",
            &[&s.replications, &human_s(s.duration_s)],
        )
    };
    let mut first = tf(
        "story.up",
        &[
            &span,
            &crate::i18n::arch(crate::i18n::lang(), sc.architecture.name()),
            &pct(s.uptime),
        ],
    );
    if let Some(n) = s.nines {
        first.push_str(&tf("story.nines", &[&format!("{n:.2}")]));
    }
    if s.outages > 0.0 {
        first.push_str(&tf(
            "story.downtime",
            &[
                &human_s(s.downtime_s),
                &counted_f(s.outages, "outage"),
                &human_s(s.mean_outage_s.unwrap_or(0.0)),
            ],
        ));
    } else {
        first.push_str(&t("story.never_down"));
    }
    out.push(first);
    out.extend(quiet_faults(sc, s, o));
    if let Some((rep, worst)) = o.longest_outage() {
        out.push(tf(
            "story.longest",
            &[
                &human(worst.duration_ns()),
                &rep,
                &human(worst.start_ns),
                &cause(&worst.cause),
                &if worst.censored {
                    t("story.still_going")
                } else {
                    String::new()
                },
            ],
        ));
    }
    if sc.architecture.has_leader() {
        let role = crate::explain::role(if sc.architecture.is_standby() {
            "primary"
        } else {
            "master"
        });
        out.push(if s.failovers == 0.0 {
            tf("story.no_failover", &[&role])
        } else {
            tf(
                "story.failovers",
                &[
                    &role,
                    &if crate::i18n::zh() {
                        count_f(s.failovers)
                    } else {
                        times_f(s.failovers)
                    },
                ],
            )
        });
    }
    if let (Some(r), Some(a)) = (&s.requests, s.availability) {
        let mut text = tf(
            if r.offered == 1 {
                "story.requests_one"
            } else {
                "story.requests"
            },
            &[
                &r.offered,
                &r.succeeded,
                &pct(a),
                &r.failed,
                &r.timed_out,
                &r.rejected,
                &r.errored,
            ],
        );
        if r.retries > 0 {
            text.push_str(&tf("story.after_retries", &[&counted(r.retries, "retry")]));
        }
        text.push_str(&t("end.period"));
        out.push(text);
        if let Some(l) = &s.latency_ms {
            out.push(tf(
                "story.latency",
                &[
                    &format!("{:.3}", l.p50),
                    &format!("{:.3}", l.p99),
                    &format!("{:.3}", l.max),
                ],
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
            FaultKind::Hang => t("story.quiet.hung"),
            FaultKind::Slow(k) => tf("story.quiet.slowed", &[&k]),
            FaultKind::Partition => t("story.quiet.partitioned"),
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
            .map_or(String::new(), |d| tf("story.quiet.for", &[&human(d)]));
        out.push(tf(
            "story.quiet",
            &[
                &human(f.at_ns),
                &lasting,
                &f.node,
                &what,
                &match detected {
                    Some(e) => tf("story.quiet.marked", &[&crate::explain::clock(e.time_ns)]),
                    None => t("story.quiet.never_marked"),
                },
            ],
        ));
    }
    if let Some(r) = &s.requests {
        if any || r.retries > 0 || r.failed > 0 {
            let mut text = t(if s.outages == 0.0 {
                "story.felt_up"
            } else {
                "story.felt_too"
            });
            text.push_str(&tf(
                "story.resent",
                &[&counted(r.retries, "request"), &r.failed],
            ));
            if let Some(l) = &s.latency_ms {
                if l.p50 > 0.0 {
                    text.push_str(&tf(
                        "story.slowest",
                        &[
                            &format!("{:.3}", l.p99),
                            &format!("{:.1}", l.p99 / l.p50),
                            &format!("{:.3}", l.p50),
                        ],
                    ));
                }
            }
            text.push_str(&t("end.period"));
            out.push(text);
        }
    }
    out
}

/// One sentence per run, for comparisons.
pub fn paragraph_short(s: &Summary) -> String {
    let mut text = tf("short.up", &[&pct(s.uptime)]);
    if s.outages > 0.0 {
        text.push_str(&tf(
            "short.down",
            &[
                &human_s(s.downtime_s),
                &counted_f(s.outages, "outage"),
                &human_s(s.mean_outage_s.unwrap_or(0.0)),
            ],
        ));
    }
    if let Some(a) = s.availability {
        text.push_str(&tf("short.requests", &[&pct(a)]));
    }
    text.push_str(&t("end.period"));
    text
}

/// "3 outages" (English plural) or "3 次中断".
fn counted(n: u64, noun: &str) -> String {
    if crate::i18n::zh() {
        format!("{n} {}", t(&format!("noun.{noun}")))
    } else {
        plural(n, noun)
    }
}

/// As [`counted`] for a mean over runs.
fn counted_f(x: f64, noun: &str) -> String {
    if crate::i18n::zh() {
        format!("{} {}", count_f(x), t(&format!("noun.{noun}")))
    } else {
        plural_f(x, noun)
    }
}
