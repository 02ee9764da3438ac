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
            out.push(
                "ZooKeeper's pause: while no master is marked up, every request waits at the distributor, \
                 reads as well as writes, until a master serves again."
                    .into(),
            );
        }
        if e.forward {
            out.push(format!(
                "ZooKeeper's forwarding: clients send master-class tasks to any node; a slave passes them on to \
                 the master and relays the answer, {} each way.",
                amount(&e.message_delay)
            ));
        }
    }
    out.extend(classes(sc));
    out.extend(workload(sc));
    out
}

fn nodes(sc: &Scenario, w: &Words) -> String {
    let n = &sc.nodes;
    let mut t = plural(u64::from(n.count), "node");
    if sc.architecture.has_leader() {
        t.push_str(&format!("; node 0 starts as the {}", w.primary));
        if n.count > 1 {
            t.push_str(&format!(
                ", the {} as {}",
                if n.count == 2 { "other" } else { "others" },
                if n.count == 2 {
                    format!("a {}", w.follower)
                } else {
                    format!("{}s", w.follower)
                }
            ));
        }
    }
    if sc.workload.is_some() {
        t.push_str(&format!(
            "; each serves up to {} at once and queues up to {} more",
            plural(u64::from(n.capacity), "task"),
            n.queue
        ));
    }
    match (&n.failure, &n.repair) {
        (Some(f), r) => {
            t.push_str(&format!(". Each node fails {}", every(f)));
            if let Some(r) = r {
                t.push_str(&format!(" and is repaired in {}", amount(r)));
            }
            if n.permanent > 0.0 {
                t.push_str(&format!(
                    "; {} % of failures are permanent (the machine is gone) and a new machine takes its place after {}",
                    trim_pct(n.permanent * 100.0),
                    n.replace.as_ref().map_or("never".into(), amount)
                ));
            }
        }
        (None, _) if sc.faults.is_empty() => t.push_str(". Nothing ever fails in this scenario"),
        (None, _) => t.push_str(". No random failures: only the scripted faults below happen"),
    }
    t + "."
}

fn trim_pct(p: f64) -> String {
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
                .map_or(String::new(), |d| format!(" for {}", duration(d)));
            let what = match f.kind {
                FaultKind::Crash if f.for_ns.is_some() => format!("crashes{span}"),
                FaultKind::Crash => "crashes (repaired after a repair draw)".into(),
                FaultKind::Permanent => "fails for good".into(),
                FaultKind::Hang => {
                    format!("hangs{span} (takes tasks, answers none; heartbeats go on)")
                }
                FaultKind::Slow(x) => format!("slows down {x}×{span}"),
                FaultKind::Partition => format!("is cut off by a network partition{span}"),
            };
            format!("at {} node {} {what}", super::clock(f.at_ns), f.node)
        })
        .collect();
    Some(format!("Scripted: {}.", list.join("; ")))
}

fn detection(sc: &Scenario, w: &Words) -> String {
    let d = &sc.detection;
    let mut t = if d.heartbeat_ns == 0 {
        "Detection is instant (heartbeat 0 seconds): a node is marked down the moment it stops and marked up the \
         moment it returns."
            .to_string()
    } else {
        let h = d.heartbeat_ns;
        let when = if d.fall == 1 {
            format!("at most {} after it stops", duration(h))
        } else {
            format!(
                "{} after it stops",
                between(h * u64::from(d.fall - 1), h * u64::from(d.fall))
            )
        };
        let every = duration(h);
        format!(
            "Heartbeats are due every {}: a node that stops is marked down at its {} consecutive missed \
             heartbeat ({when}), and marked up again at its {} consecutive delivered one.",
            every.strip_prefix("1 ").unwrap_or(&every),
            ordinal(d.fall),
            ordinal(d.rise)
        )
    };
    let arch = sc.architecture;
    if arch.health_checked() {
        t.push_str(" The distributor sends tasks only to nodes marked up");
        if d.heartbeat_ns > 0 {
            t.push_str(
                ", so until the mark-down it still sends tasks to a stopped node, and they fail",
            );
            if sc.workload.is_some() && sc.dispatch.attempts > 1 {
                t.push_str(" (and are sent again elsewhere)");
            }
        }
        t.push('.');
        return t;
    }
    t.push_str(&format!(
        " The distributor does not route by these marks: it keeps sending to the {} it is configured with",
        w.primary
    ));
    if arch == Architecture::MasterSlave {
        t.push_str(" and to every slave");
        let any: Vec<String> = sc
            .dispatch
            .classes
            .iter()
            .filter(|c| c.route == Route::Any)
            .map(|c| printable(&c.name))
            .collect();
        if !any.is_empty() {
            t.push_str(&format!(
                ", except for the classes routed to any node ({}), which go only to nodes marked up",
                any.join(", ")
            ));
        }
    }
    let p = w.primary;
    t.push_str(&match sc.failover.promotion {
        Promotion::Manual => format!(". A mark-down of the {p} matters because it alerts the operator."),
        Promotion::Automatic => {
            format!(". A mark-down of the {p} matters because it starts the promotion.")
        }
        Promotion::None => format!(
            ". With no promotion, a mark-down of the {p} changes nothing: the service waits for the repair."
        ),
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
            let whom = format!(
                "a task sent to a hung node (its heartbeats go on, so it is never marked down) or to a node cut \
                 off by a partition{}",
                if sc.architecture.health_checked() {
                    " before it is marked down"
                } else {
                    ""
                }
            );
            let t = duration(tt);
            Some(if attempts > 1 {
                format!(
                    "Task timeout {t}: the distributor gives up on a task with no answer after {t} and sends it \
                     again to another node. This is what rescues {whom}."
                )
            } else {
                format!(
                    "Task timeout {t}: the distributor gives up on a task with no answer after {t} and counts it \
                     as failed (attempts = 1: no retry). So {whom} fails sooner, but it still fails."
                )
            })
        }
        None if quiet => Some(format!(
            "No task_timeout is set: a task sent to a hung node (its heartbeats go on, so it is never marked \
             down) or to a node cut off by a partition gets no answer and is never retried; it fails only {}.",
            match wl.deadline_ns {
                Some(d) => format!("at its deadline, {} after it arrived", duration(d)),
                None => format!(
                    "when the run is over, at the end of the drain ({} after the horizon), as timed out",
                    duration(wl.drain_ns)
                ),
            }
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
            format!(
                "{} ({} %) {}",
                printable(&c.name),
                trim_pct(c.share * 100.0),
                match c.route {
                    Route::Master => "to the master",
                    Route::Slave => "to the slaves",
                    Route::Any => "to any node marked up",
                }
            )
        })
        .collect();
    Some(format!("Task classes: {}.", list.join(", ")))
}

fn workload(sc: &Scenario) -> Vec<String> {
    let Some(wl) = &sc.workload else {
        return vec![
            "No workload: only node and role states are simulated, so the run measures uptime but no requests."
                .into(),
        ];
    };
    let rate = if wl.rate_per_s == 1.0 {
        "1 request per second".to_string()
    } else {
        format!("{} requests per second", wl.rate_per_s)
    };
    let mut t = format!(
        "{rate} ({}), each taking {} to serve",
        match wl.arrival {
            Arrival::Poisson => "Poisson arrivals",
            Arrival::Constant => "evenly spaced",
        },
        amount(&wl.service)
    );
    if let Some(d) = wl.deadline_ns {
        t.push_str(&format!(
            "; a request not answered within {} has failed",
            duration(d)
        ));
    }
    t.push('.');
    let d = &sc.dispatch;
    let mut r = String::new();
    if !sc.architecture.is_standby() {
        r.push_str(&format!(
            "The distributor picks among the eligible nodes by {}. ",
            match d.policy {
                Policy::RoundRobin => "round-robin",
                Policy::Random => "random choice",
                Policy::LeastLoaded => "the least load",
                Policy::PowerOfTwo => "the less loaded of two random choices",
            }
        ));
    }
    if d.attempts == 1 {
        r.push_str("Each task is sent once: a task that fails is lost (attempts = 1, no retry).");
    } else {
        r.push_str(&format!(
            "Each request is tried up to {}: a failed task is sent again {}, to another eligible node when \
             there is one{}.",
            times(u64::from(d.attempts)),
            if d.backoff_ns > 0 {
                format!("after a backoff of {}", duration(d.backoff_ns))
            } else {
                "at once".into()
            },
            if wl.deadline_ns.is_some() {
                ", while the deadline allows"
            } else {
                ""
            }
        ));
    }
    vec![t, r]
}
