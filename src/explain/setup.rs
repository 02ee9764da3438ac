//! The first two parts of `explain`: the architecture's idea (after the
//! source article) and what this scenario's settings mean. Every sentence
//! is chosen from the settings actually in force, so that a Raft cluster is
//! never told about lowest ids, nor master-slave about health-checked
//! routing (SPEC §2).

use super::Words;
use crate::i18n::{t, tf};
use crate::report::words::{amount, between, duration, every, ordinal, plural, printable, times};
use crate::scenario::{
    Architecture, Arrival, ElectionAlgorithm, FaultKind, Policy, Promotion, Route, Scenario,
};

/// The architecture's idea, with the choice of a new master as configured.
pub fn concept(sc: &Scenario) -> String {
    match sc.architecture {
        Architecture::ColdStandby => t("concept.cold-standby"),
        Architecture::WarmStandby => t("concept.warm-standby"),
        Architecture::MasterSlave => t("concept.master-slave"),
        Architecture::SymmetricCluster => t("concept.symmetric-cluster"),
        Architecture::AsymmetricCluster => {
            let choice = t(match (sc.failover.promotion, sc.election.algorithm) {
                (Promotion::Automatic, ElectionAlgorithm::LowestId) => "concept.choice.lowest-id",
                (Promotion::Automatic, ElectionAlgorithm::Raft) => "concept.choice.raft",
                (Promotion::Manual, _) => "concept.choice.manual",
                (Promotion::None, _) => "concept.choice.none",
            });
            tf("concept.asymmetric-cluster", &[&choice])
        }
    }
}

/// What the scenario's settings mean, one sentence (or two) per item.
pub fn setup(sc: &Scenario, w: &Words) -> Vec<String> {
    let mut out = vec![nodes(sc, w)];
    out.extend(faults(sc));
    out.push(detection(sc, w));
    out.extend(task_timeout(sc));
    if sc.architecture.has_leader() {
        out.push(super::promotion::promotion(sc, w));
    }
    if sc.architecture == Architecture::AsymmetricCluster {
        let e = &sc.election;
        if e.pause {
            out.push(t("setup.pause"));
        }
        if e.forward {
            out.push(tf("setup.forward", &[&amount(&e.message_delay)]));
        }
    }
    out.extend(classes(sc));
    out.extend(workload(sc));
    out
}

fn nodes(sc: &Scenario, w: &Words) -> String {
    let n = &sc.nodes;
    let zh = crate::i18n::zh();
    let role = super::role;
    let mut t = if zh {
        tf("setup.nodes", &[&n.count])
    } else {
        plural(u64::from(n.count), "node")
    };
    if sc.architecture.has_leader() {
        t.push_str(&tf("setup.node0", &[&role(w.primary)]));
        if n.count > 1 {
            t.push_str(&if zh {
                tf("setup.others", &[&role(w.follower)])
            } else {
                format!(
                    ", the {} as {}",
                    if n.count == 2 { "other" } else { "others" },
                    if n.count == 2 {
                        format!("a {}", w.follower)
                    } else {
                        format!("{}s", w.follower)
                    }
                )
            });
        }
    }
    if sc.workload.is_some() {
        t.push_str(&tf(
            "setup.capacity",
            &[
                &if zh {
                    n.capacity.to_string()
                } else {
                    plural(u64::from(n.capacity), "task")
                },
                &n.queue,
            ],
        ));
    }
    match (&n.failure, &n.repair) {
        (Some(f), r) => {
            t.push_str(&tf("setup.fails", &[&every(f)]));
            if let Some(r) = r {
                t.push_str(&tf("setup.repaired", &[&amount(r)]));
            }
            if n.permanent > 0.0 {
                t.push_str(&tf(
                    "setup.permanent",
                    &[
                        &trim_pct(n.permanent * 100.0),
                        &n.replace.as_ref().map_or(t_("setup.never"), amount),
                    ],
                ));
            }
        }
        (None, _) if sc.faults.is_empty() => t.push_str(&t_("setup.nothing_fails")),
        (None, _) => t.push_str(&t_("setup.only_scripted")),
    }
    t.push_str(&crate::explain::per_node::sentence(sc));
    t + &t_("end.period")
}

pub(super) fn trim_pct(p: f64) -> String {
    let t = format!("{p:.3}");
    t.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn faults(sc: &Scenario) -> Option<String> {
    if sc.faults.is_empty() {
        return None;
    }
    let list: Vec<String> = sc
        .faults
        .iter()
        .map(|f| {
            let span = f
                .for_ns
                .map_or(String::new(), |d| tf("setup.for", &[&duration(d)]));
            let what = match f.kind {
                FaultKind::Crash if f.for_ns.is_some() => tf("setup.f.crash_for", &[&span]),
                FaultKind::Crash => t("setup.f.crash"),
                FaultKind::Permanent => t("setup.f.permanent"),
                FaultKind::Hang => tf("setup.f.hang", &[&span]),
                FaultKind::Slow(x) => tf("setup.f.slow", &[&x, &span]),
                FaultKind::Partition => tf("setup.f.partition", &[&span]),
            };
            tf("setup.f.at", &[&super::clock(f.at_ns), &f.node, &what])
        })
        .collect();
    Some(tf("setup.scripted", &[&list.join(&t("setup.sep"))]))
}

fn detection(sc: &Scenario, w: &Words) -> String {
    let d = &sc.detection;
    let mut t = if d.heartbeat_ns == 0 {
        t_("setup.instant")
    } else {
        let h = d.heartbeat_ns;
        let when = if d.fall == 1 {
            tf("setup.at_most", &[&duration(h)])
        } else {
            tf(
                "setup.after_stops",
                &[&between(h * u64::from(d.fall - 1), h * u64::from(d.fall))],
            )
        };
        let every = duration(h);
        tf(
            "setup.heartbeats",
            &[
                &if crate::i18n::zh() {
                    every.as_str()
                } else {
                    every.strip_prefix("1 ").unwrap_or(&every)
                },
                &ordinal(d.fall),
                &when,
                &ordinal(d.rise),
            ],
        )
    };
    let arch = sc.architecture;
    if arch.health_checked() {
        t.push_str(&t_("setup.only_up"));
        if d.heartbeat_ns > 0 {
            t.push_str(&t_("setup.until_mark_down"));
            if sc.workload.is_some() && sc.dispatch.attempts > 1 {
                t.push_str(&t_("setup.sent_again"));
            }
        }
        t.push_str(&t_("end.period"));
        return t;
    }
    t.push_str(&tf("setup.not_route", &[&super::role(w.primary)]));
    if arch == Architecture::MasterSlave {
        t.push_str(&t_("setup.every_slave"));
        let any: Vec<String> = sc
            .dispatch
            .classes
            .iter()
            .filter(|c| c.route == Route::Any)
            .map(|c| printable(&c.name))
            .collect();
        if !any.is_empty() {
            t.push_str(&tf("setup.except_any", &[&any.join(", ")]));
        }
    }
    let p = super::role(w.primary);
    t.push_str(&match sc.failover.promotion {
        Promotion::Manual => tf("setup.alerts", &[&p]),
        Promotion::Automatic => tf("setup.starts_promotion", &[&p]),
        Promotion::None => tf("setup.changes_nothing", &[&p]),
    });
    t
}

/// What notices a task that never gets an answer (a hung node, a node cut
/// off before it is marked down).
fn task_timeout(sc: &Scenario) -> Option<String> {
    let quiet = sc
        .faults
        .iter()
        .any(|f| matches!(f.kind, FaultKind::Hang | FaultKind::Partition));
    let wl = sc.workload.as_ref()?;
    let attempts = sc.dispatch.attempts;
    match sc.detection.task_timeout_ns {
        Some(tt) => {
            let whom = tf(
                "setup.tt.whom",
                &[&if sc.architecture.health_checked() {
                    t("setup.tt.before_marked")
                } else {
                    String::new()
                }],
            );
            let d = duration(tt);
            Some(if attempts > 1 {
                tf("setup.tt.retry", &[&d, &d, &whom])
            } else {
                tf("setup.tt.no_retry", &[&d, &d, &whom])
            })
        }
        None if quiet => Some(tf(
            "setup.tt.none",
            &[&match wl.deadline_ns {
                Some(d) => tf("setup.tt.deadline", &[&duration(d)]),
                None => tf("setup.tt.drain", &[&duration(wl.drain_ns)]),
            }],
        )),
        None => None,
    }
}

fn classes(sc: &Scenario) -> Option<String> {
    if !matches!(
        sc.architecture,
        Architecture::MasterSlave | Architecture::AsymmetricCluster
    ) {
        return None;
    }
    let list: Vec<String> = sc
        .dispatch
        .classes
        .iter()
        .map(|c| {
            tf(
                "setup.class",
                &[
                    &printable(&c.name),
                    &trim_pct(c.share * 100.0),
                    &t(match c.route {
                        Route::Master => "setup.to_master",
                        Route::Slave => "setup.to_slaves",
                        Route::Any => "setup.to_any",
                    }),
                ],
            )
        })
        .collect();
    Some(tf("setup.classes", &[&list.join(&t("setup.list_sep"))]))
}

fn workload(sc: &Scenario) -> Vec<String> {
    let Some(wl) = &sc.workload else {
        return vec![t("setup.no_workload")];
    };
    let rate = if wl.rate_per_s == 1.0 {
        t("setup.rate_one")
    } else {
        tf("setup.rate", &[&wl.rate_per_s])
    };
    let mut text = tf(
        "setup.workload",
        &[
            &rate,
            &t(match wl.arrival {
                Arrival::Poisson => "setup.poisson",
                Arrival::Constant => "setup.constant",
            }),
            &amount(&wl.service),
        ],
    );
    if let Some(d) = wl.deadline_ns {
        text.push_str(&tf("setup.deadline", &[&duration(d)]));
    }
    text.push_str(&t("end.period"));
    let d = &sc.dispatch;
    let mut r = String::new();
    if !sc.architecture.is_standby() {
        r.push_str(&tf(
            "setup.policy",
            &[&t(match d.policy {
                Policy::RoundRobin => "setup.round_robin",
                Policy::Random => "setup.random",
                Policy::LeastLoaded => "setup.least_loaded",
                Policy::PowerOfTwo => "setup.power_of_two",
            })],
        ));
    }
    if d.attempts == 1 {
        r.push_str(&t("setup.once"));
    } else {
        r.push_str(&tf(
            "setup.attempts",
            &[
                &times(u64::from(d.attempts)),
                &if d.backoff_ns > 0 {
                    tf("setup.backoff", &[&duration(d.backoff_ns)])
                } else {
                    t("words.at_once")
                },
                &if wl.deadline_ns.is_some() {
                    t("setup.while_deadline")
                } else {
                    String::new()
                },
            ],
        ));
    }
    vec![text, r]
}

/// A message without values (`t` is the sentence being built here).
fn t_(id: &str) -> String {
    t(id)
}
