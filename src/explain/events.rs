//! The third part of `explain`: the first run's events, one sentence each,
//! in order. The teller follows who holds the primary (master) role, so that
//! it says "a failover" only when a different node starts serving (SPEC §2)
//! and "again" when the same node returns to its role.

use super::Words;
use crate::i18n::{t, tf};
use crate::metrics::{NodeView, TraceEvent, ViewChange};
use crate::report::words::{amount_inside, capitalise, ordinal, printable};
use crate::scenario::{Architecture, ElectionAlgorithm, Promotion, Route, Scenario};
use crate::sim::time::human;

pub struct Teller<'a> {
    sc: &'a Scenario,
    /// The first run's node views, to tell what a node returned as.
    views: &'a [ViewChange],
    w: Words,
    /// When each node last stopped (crash, permanent failure, partition).
    last_stop: Vec<Option<u64>>,
    /// The node holding the primary/master role now, if any.
    leader: Option<u32>,
    /// The last node that served in that role, to tell failovers apart.
    last_leader: Option<u32>,
    /// SPEC §7: the node whose maintenance mark-down comes next.
    planned: Option<u32>,
}

impl<'a> Teller<'a> {
    pub fn new(sc: &'a Scenario, views: &'a [ViewChange], w: Words) -> Self {
        let leader = sc.architecture.has_leader().then_some(0);
        Teller {
            sc,
            views,
            w,
            last_stop: vec![None; sc.nodes.count as usize],
            leader,
            last_leader: leader,
            planned: None,
        }
    }

    /// What `node` was doing just after `t` (the changes at `t` included).
    fn view_after(&self, node: u32, t: u64) -> Option<NodeView> {
        self.views
            .iter()
            .rev()
            .find(|v| v.node == node && v.time_ns <= t)
            .map(|v| v.view)
    }

    fn arch(&self) -> Architecture {
        self.sc.architecture
    }

    /// "node 1 (the primary)", "node 2 (a slave)".
    fn who(&self, n: u32) -> String {
        let role = if !self.arch().has_leader() {
            t("who.member")
        } else if self.leader == Some(n) {
            tf("who.the", &[&role(self.w.primary)])
        } else {
            tf("who.a", &[&role(self.w.follower)])
        };
        tf("who.node", &[&n, &role])
    }

    /// What the distributor still sends to a stopped or silent node.
    fn still_sent(&self, n: u32) -> Option<String> {
        let arch = self.arch();
        if arch.health_checked() {
            return (self.sc.detection.heartbeat_ns > 0).then(|| t("sent.until_marked"));
        }
        if self.leader == Some(n) {
            return Some(match arch {
                Architecture::MasterSlave => {
                    let names: Vec<String> = self
                        .sc
                        .dispatch
                        .classes
                        .iter()
                        .filter(|c| c.route == Route::Master)
                        .map(|c| printable(&c.name))
                        .collect();
                    if names.is_empty() {
                        t("sent.master_tasks")
                    } else {
                        tf("sent.master_classes", &[&names.join(", ")])
                    }
                }
                _ => t("sent.every_task"),
            });
        }
        (arch == Architecture::MasterSlave).then(|| t("sent.slave_tasks"))
    }

    fn stopped(&mut self, n: u32, at: u64, what: &str) -> String {
        self.last_stop[n as usize] = Some(at);
        let mut s = tf("stopped.what", &[&self.who(n), &what]);
        if let Some(x) = self.still_sent(n) {
            s.push_str(&tf("stopped.still", &[&x]));
        }
        s + &t("end.period")
    }

    fn takeover(&mut self, c: u32, how: &str) -> String {
        let p = role(self.w.primary);
        let prev = self.last_leader;
        self.leader = Some(c);
        self.last_leader = Some(c);
        match prev {
            Some(old) if old != c => tf("takeover.failover", &[&how, &p, &old, &c]),
            _ => tf("takeover.again", &[&how]),
        }
    }

    /// The role is being filled anew: nobody holds it until the takeover.
    fn role_opens(&mut self) {
        self.leader = None;
    }

    /// The sentence for `e`; `next` holds the events after it.
    pub fn sentence(&mut self, e: &TraceEvent, next: &[TraceEvent]) -> String {
        let n = e.node.unwrap_or(0);
        let d = printable(&e.detail);
        let (p, b) = (role(self.w.primary), role(self.w.follower));
        let hb = self.sc.detection.heartbeat_ns;
        let arch = self.arch();
        match e.event {
            "crashed" => self.stopped(n, e.time_ns, &tf("ev.crashes", &[&d])),
            "failed_permanently" => self.stopped(n, e.time_ns, &tf("ev.fails_for_good", &[&d])),
            "partitioned" => {
                let what = tf("ev.partitioned", &[&d]);
                let mut s = self.stopped(n, e.time_ns, &what);
                if let (true, Some(wl)) = (self.still_sent(n).is_some(), &self.sc.workload) {
                    s.pop();
                    s.push_str(&match (self.sc.detection.task_timeout_ns, wl.deadline_ns) {
                        (Some(tt), _) => tf("ev.partitioned.timeout", &[&human(tt)]),
                        (None, Some(_)) => t("ev.partitioned.deadline"),
                        (None, None) => t("ev.partitioned.open"),
                    });
                }
                s
            }
            "maintenance_started" => {
                self.planned = Some(n);
                format!(
                    "Rolling maintenance: {} is taken out for planned work ({d}).",
                    self.who(n)
                )
            }
            "marked_down" if self.planned == Some(n) => {
                self.planned = None;
                let automatic = self.sc.failover.promotion == Promotion::Automatic;
                if self.leader == Some(n) && automatic {
                    self.role_opens();
                    format!(
                        "The distributor marks node {n}, the {p}, down on purpose (no heartbeat is missed): \
                         a {b} is promoted at once, a planned failover."
                    )
                } else if arch.health_checked() {
                    format!("The distributor marks node {n} down on purpose: it gets no new tasks while it drains.")
                } else {
                    format!(
                        "The distributor marks node {n} down on purpose; it does not route by marks, \
                         so nothing changes until the node stops."
                    )
                }
            }
            "maintenance_stopped" => {
                self.last_stop[n as usize] = Some(e.time_ns);
                format!("Node {n} stops for its planned maintenance ({d}).")
            }
            "maintenance_skipped" if e.node.is_some() => {
                format!("Node {n} is down when its maintenance turn comes: it is skipped.")
            }
            "maintenance_skipped" => {
                "A maintenance round is due while the previous one still runs: it is skipped."
                    .into()
            }
            "marked_down" => {
                let opens = self.leader == Some(n)
                    && self.sc.failover.promotion == Promotion::Automatic
                    && arch.has_leader();
                let after = self.last_stop[n as usize]
                    .filter(|_| hb > 0)
                    .map(|s| tf("ev.after_stopped", &[&human(e.time_ns.saturating_sub(s))]))
                    .unwrap_or_default();
                let how = if hb == 0 {
                    tf("ev.down.at_once", &[&after])
                } else {
                    tf(
                        "ev.down.missed",
                        &[&ordinal(self.sc.detection.fall), &after],
                    )
                };
                if arch.health_checked() {
                    let mut s = tf("ev.down.hc", &[&n, &how]);
                    if self.leader == Some(n) && self.sc.election.pause {
                        s.push_str(&t("ev.down.pause"));
                    }
                    s
                } else {
                    let whom = if self.leader == Some(n) {
                        tf("ev.down.whom_leader", &[&n, &p])
                    } else {
                        tf("ev.down.whom", &[&n])
                    };
                    let rest = match self.still_sent(n) {
                        Some(x) => tf(
                            "ev.down.rest_sent",
                            &[&x.trim_start_matches(&t("sent.the_distributor"))],
                        ),
                        None => tf("ev.down.rest_none", &[&b]),
                    };
                    let s = tf("ev.down.config", &[&whom, &how, &rest]);
                    if !opens {
                        return s;
                    }
                    self.role_opens();
                    let chosen = next
                        .iter()
                        .take_while(|x| x.time_ns == e.time_ns)
                        .any(|x| x.event == "promotion_started");
                    if chosen {
                        s
                    } else {
                        tf("ev.down.waits", &[&s, &b])
                    }
                }
            }
            "marked_up" => {
                let how = if hb == 0 {
                    t("ev.up.at_once")
                } else {
                    tf("ev.up.delivered", &[&ordinal(self.sc.detection.rise)])
                };
                if arch.health_checked() {
                    tf("ev.up.hc", &[&n, &how])
                } else {
                    tf("ev.up.config", &[&n, &how])
                }
            }
            "repaired" => {
                let primary = self.view_after(n, e.time_ns) == Some(NodeView::Primary);
                if primary && self.leader == Some(n) {
                    tf("ev.repaired.same", &[&n, &p])
                } else if arch == Architecture::SymmetricCluster {
                    if hb == 0 {
                        tf("ev.repaired.sym", &[&n])
                    } else {
                        tf("ev.repaired.sym_hb", &[&n])
                    }
                } else if arch == Architecture::AsymmetricCluster && hb > 0 {
                    tf("ev.repaired.asym", &[&n, &b])
                } else if arch == Architecture::MasterSlave {
                    tf("ev.repaired.ms", &[&n])
                } else {
                    tf("ev.repaired.as", &[&n, &b])
                }
            }
            "replaced" => {
                if self.leader == Some(n) && self.sc.failover.promotion == Promotion::None {
                    tf("ev.replaced", &[&n])
                } else {
                    tf("ev.replaced.joins", &[&n, &b])
                }
            }
            "operator_alerted" => match d.strip_prefix("the operator acts in ") {
                Some(after) => tf("ev.alerted.in", &[&after]),
                None => tf("ev.alerted", &[&d]),
            },
            // roles.rs names the role as the architecture does ("master"
            // for master-slave): read both words the same way.
            "operator_acted" => match d
                .replace("new master", "new primary")
                .replace("the master is back", "the primary is back")
                .as_str()
            {
                "promotes a new primary" if arch.health_checked() => {
                    tf("ev.acted.designate", &[&p])
                }
                "promotes a new primary" => {
                    self.role_opens();
                    tf("ev.acted.promote", &[&p, &b])
                }
                "the failure is recoverable: waiting for the repair" => {
                    tf("ev.acted.recoverable", &[&p])
                }
                "the primary is back: nothing to do" => tf("ev.acted.back", &[&p]),
                "a promotion is already under way" => t("ev.acted.under_way"),
                _ => tf("ev.acted", &[&d]),
            },
            "promotion_started" => {
                self.role_opens();
                tf("ev.chosen", &[&n, &d])
            }
            "promotion_abandoned" => tf("ev.abandoned", &[&n]),
            "promoted" if d.contains("replacement") => {
                self.leader = Some(n);
                self.last_leader = Some(n);
                tf("ev.promoted.replacement", &[&n, &p])
            }
            "promoted" => self.takeover(n, &tf("ev.promoted", &[&n, &p])),
            "elected" => {
                let how = match self.sc.election.algorithm {
                    _ if self.sc.failover.promotion == Promotion::Manual => {
                        tf("ev.elected.designated", &[&n])
                    }
                    ElectionAlgorithm::LowestId => tf("ev.elected.lowest", &[&n]),
                    ElectionAlgorithm::Raft => tf("ev.elected.raft", &[&n]),
                };
                self.takeover(n, &how)
            }
            "election_started" if d.contains("step") => {
                self.role_opens();
                tf("ev.steps_down", &[&n])
            }
            // The first election event of a vacancy starts the election;
            // the algorithm said is the one configured, whatever the detail.
            "election_started" if self.leader.is_some() => {
                self.role_opens();
                match self.sc.election.algorithm {
                    ElectionAlgorithm::LowestId => tf(
                        "ev.election.lowest",
                        &[
                            &match self.sc.failover.switch {
                                crate::scenario::Dist::Fixed(0) => String::new(),
                                ref s => tf("ev.election.after_switch", &[&amount_inside(s)]),
                            },
                            &fence_first(self.sc),
                        ],
                    ),
                    ElectionAlgorithm::Raft => tf("ev.election.raft", &[&fence_first(self.sc)]),
                }
            }
            "election_started" if d.starts_with("term ") => format!("Raft {d}."),
            "election_started" => format!("{}.", capitalise(&d)),
            "fault_ignored" => tf("ev.fault_ignored", &[&n]),
            "hung" => {
                let span = d
                    .strip_prefix("answers nothing for ")
                    .and_then(|x| x.strip_suffix("; heartbeats go on"))
                    .map_or(format!(" ({d})"), |x| tf("ev.hang.for", &[&x]));
                let mut s = tf("ev.hang", &[&self.who(n), &span]);
                if self.sc.workload.is_none() {
                    s.push_str(&t("end.period"));
                    return s;
                }
                s.push_str(&t("ev.hang.keeps"));
                s.push_str(&match self.sc.detection.task_timeout_ns {
                    Some(tt) if self.sc.dispatch.attempts > 1 => tf("ev.hang.retry", &[&human(tt)]),
                    Some(tt) => tf("ev.hang.no_retry", &[&human(tt)]),
                    None => tf(
                        "ev.hang.nothing",
                        &[&t(
                            if self
                                .sc
                                .workload
                                .as_ref()
                                .is_some_and(|w| w.deadline_ns.is_some())
                            {
                                "ev.hang.deadline"
                            } else {
                                "ev.hang.run_over"
                            },
                        )],
                    ),
                });
                s
            }
            "slowed" => tf("ev.slowed", &[&self.who(n), &d]),
            "healed" => match d.as_str() {
                "answers again" => tf("ev.healed.answers", &[&n]),
                "serves at full speed again" => tf("ev.healed.speed", &[&n]),
                "reachable again" if arch.health_checked() && hb > 0 => {
                    tf("ev.healed.reachable_hb", &[&n])
                }
                "reachable again" => tf("ev.healed.reachable", &[&n]),
                _ => tf("ev.healed", &[&n, &d]),
            },
            // SPEC §8 fencing: the old primary (master) is kept from acting.
            "fenced" => match d.strip_prefix("powered off; back in ") {
                Some(after) => tf("ev.fenced", &[&n, &p, &b, &after]),
                None => tf("ev.fenced.down", &[&n]),
            },
            "lease_expired" => tf("ev.lease_expired", &[&n, &p, &p]),
            "stepped_down" => tf("ev.stepped_down", &[&n, &p, &d]),
            "repair_started" => tf("ev.repair_started", &[&n, &d]),
            crate::model::TRACE_CUT => tf("ev.trace_cut", &[&d]),
            other => format!("{} (node {n}): {d}.", capitalise(other)),
        }
    }
}

/// SPEC §8: what a new master waits for besides its election, if anything.
fn fence_first(sc: &Scenario) -> String {
    match sc.failover.fencing {
        crate::scenario::Fencing::None => String::new(),
        crate::scenario::Fencing::Stonith { .. } => t("ev.fence_first.stonith"),
        crate::scenario::Fencing::Lease { .. } => t("ev.fence_first.lease"),
    }
}

/// A role word (`primary`, `backup`, `master`, `slave`, `member`) in this
/// thread's language.
pub fn role(word: &str) -> String {
    t(&format!("role.{word}"))
}
