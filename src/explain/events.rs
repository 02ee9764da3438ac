//! The third part of `explain`: the first run's events, one sentence each,
//! in order. The teller follows who holds the primary (master) role, so that
//! it says "a failover" only when a different node starts serving (SPEC §2)
//! and "again" when the same node returns to its role.

use super::Words;
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
            "a member".to_string()
        } else if self.leader == Some(n) {
            format!("the {}", self.w.primary)
        } else {
            format!("a {}", self.w.follower)
        };
        format!("Node {n} ({role})")
    }

    /// What the distributor still sends to a stopped or silent node.
    fn still_sent(&self, n: u32) -> Option<String> {
        let arch = self.arch();
        if arch.health_checked() {
            return (self.sc.detection.heartbeat_ns > 0).then(|| {
                "until it is marked down, the distributor still sends it tasks".to_string()
            });
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
                        "the distributor keeps sending it the master's tasks".into()
                    } else {
                        format!(
                            "the distributor keeps sending it the master classes ({})",
                            names.join(", ")
                        )
                    }
                }
                _ => "the distributor keeps sending it every task".into(),
            });
        }
        (arch == Architecture::MasterSlave)
            .then(|| "the distributor keeps sending it slave-class tasks".to_string())
    }

    fn stopped(&mut self, n: u32, t: u64, what: &str) -> String {
        self.last_stop[n as usize] = Some(t);
        let mut s = format!("{} {what}", self.who(n));
        if let Some(x) = self.still_sent(n) {
            s.push_str(&format!("; {x}"));
        }
        s + "."
    }

    fn takeover(&mut self, c: u32, how: &str) -> String {
        let p = self.w.primary;
        let prev = self.last_leader;
        self.leader = Some(c);
        self.last_leader = Some(c);
        match prev {
            Some(old) if old != c => {
                format!("{how}: a failover (the {p} role moves from node {old} to node {c}).")
            }
            _ => {
                format!("{how} again: the same node returns to its role, which is not a failover.")
            }
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
        let (p, b) = (self.w.primary, self.w.follower);
        let hb = self.sc.detection.heartbeat_ns;
        let arch = self.arch();
        match e.event {
            "crashed" => self.stopped(n, e.time_ns, &format!("crashes ({d})")),
            "failed_permanently" => self.stopped(n, e.time_ns, &format!("fails for good ({d})")),
            "partitioned" => {
                let what = format!(
                    "is cut off by a network partition ({d}): it keeps running, but neither heartbeats nor \
                     tasks get through"
                );
                let mut s = self.stopped(n, e.time_ns, &what);
                if let (true, Some(wl)) = (self.still_sent(n).is_some(), &self.sc.workload) {
                    s.pop();
                    s.push_str(&match (self.sc.detection.task_timeout_ns, wl.deadline_ns) {
                        (Some(tt), _) => format!(", and they fail after the task timeout ({}).", human(tt)),
                        (None, Some(_)) => {
                            ", which get no answer and, with no task_timeout, fail only at their deadline.".into()
                        }
                        (None, None) => {
                            ", which get no answer and, with no task_timeout, stay open until the run is over."
                                .into()
                        }
                    });
                }
                s
            }
            "maintenance_started" => {
                self.planned = Some(n);
                format!("Rolling maintenance: {} is taken out for planned work ({d}).", self.who(n))
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
                "A maintenance round is due while the previous one still runs: it is skipped.".into()
            }
            "marked_down" => {
                let opens = self.leader == Some(n)
                    && self.sc.failover.promotion == Promotion::Automatic
                    && arch.has_leader();
                let after = self.last_stop[n as usize]
                    .filter(|_| hb > 0)
                    .map(|s| format!(", {} after it stopped", human(e.time_ns.saturating_sub(s))))
                    .unwrap_or_default();
                let how = if hb == 0 {
                    format!("at once{after}")
                } else {
                    format!("(its {} missed heartbeat{after})", ordinal(self.sc.detection.fall))
                };
                if arch.health_checked() {
                    let mut s =
                        format!("The distributor marks node {n} down {how} and stops sending it tasks.");
                    if self.leader == Some(n) && self.sc.election.pause {
                        s.push_str(" With no master marked up, ZooKeeper's pause holds every request.");
                    }
                    s
                } else {
                    let whom = if self.leader == Some(n) {
                        format!("node {n}, the {p},")
                    } else {
                        format!("node {n}")
                    };
                    let rest = match self.still_sent(n) {
                        Some(x) => format!(" and {}", x.trim_start_matches("the distributor ")),
                        None => format!(", and a {b} gets no tasks anyway"),
                    };
                    let s = format!(
                        "Heartbeats mark {whom} down {how}; the distributor does not route by them{rest}."
                    );
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
                        format!(
                            "{s} The promotion starts, but no {b} is running and marked up: it waits for the \
                             first one."
                        )
                    }
                }
            }
            "marked_up" => {
                let how = if hb == 0 {
                    "at once".to_string()
                } else {
                    format!("(its {} delivered heartbeat)", ordinal(self.sc.detection.rise))
                };
                if arch.health_checked() {
                    format!("Node {n} is marked up again {how} and gets tasks again.")
                } else {
                    format!("Heartbeats mark node {n} up again {how}.")
                }
            }
            "repaired" => {
                let primary = self.view_after(n, e.time_ns) == Some(NodeView::Primary);
                if primary && self.leader == Some(n) {
                    format!(
                        "Node {n} is repaired and serves as {p} again (the same node: no failover)."
                    )
                } else if arch == Architecture::SymmetricCluster {
                    if hb == 0 {
                        format!("Node {n} is repaired and gets tasks again.")
                    } else {
                        format!("Node {n} is repaired; it gets tasks again once heartbeats mark it up.")
                    }
                } else if arch == Architecture::AsymmetricCluster && hb > 0 {
                    format!(
                        "Node {n} is repaired and returns as a {b}; it gets tasks once heartbeats mark it up."
                    )
                } else if arch == Architecture::MasterSlave {
                    format!("Node {n} is repaired and returns as a slave, serving slave classes at once.")
                } else {
                    format!("Node {n} is repaired and returns as a {b}.")
                }
            }
            "replaced" => {
                if self.leader == Some(n) && self.sc.failover.promotion == Promotion::None {
                    format!("A new machine takes node {n}'s place.")
                } else {
                    format!("A new machine takes node {n}'s place and joins as a {b}.")
                }
            }
            "operator_alerted" => match d.strip_prefix("the operator acts in ") {
                Some(after) => format!("The mark-down alerts an operator, who will act in {after}."),
                None => format!("An operator is alerted ({d})."),
            },
            // roles.rs names the role as the architecture does ("master"
            // for master-slave): read both words the same way.
            "operator_acted" => match d
                .replace("new master", "new primary")
                .replace("the master is back", "the primary is back")
                .as_str()
            {
                "promotes a new primary" if arch.health_checked() => {
                    format!("The operator acts: the {p} is still unreachable, so they designate a new one.")
                }
                "promotes a new primary" => {
                    self.role_opens();
                    format!("The operator acts: the {p}'s failure is permanent, so they promote a {b}.")
                }
                "the failure is recoverable: waiting for the repair" => format!(
                    "The operator acts: the failure is recoverable, so they leave the {p} to its repair."
                ),
                "the primary is back: nothing to do" => {
                    format!("The operator looks: the {p} is already back, nothing to do.")
                }
                "a promotion is already under way" => {
                    "The operator finds a promotion already under way.".into()
                }
                _ => format!("The operator acts: {d}."),
            },
            "promotion_started" => {
                self.role_opens();
                format!("Node {n} is chosen to take over ({d}).")
            }
            "promotion_abandoned" => format!(
                "Node {n} fails before taking over: the promotion moves to the next available candidate."
            ),
            "promoted" if d.contains("replacement") => {
                self.leader = Some(n);
                self.last_leader = Some(n);
                format!(
                    "The new machine in node {n}'s place takes the {p} role: the same node id, so it is not \
                     counted as a failover."
                )
            }
            "promoted" => self.takeover(n, &format!("Node {n} now serves as {p}")),
            "elected" => {
                let how = match self.sc.election.algorithm {
                    _ if self.sc.failover.promotion == Promotion::Manual => {
                        format!("Node {n} is designated master")
                    }
                    ElectionAlgorithm::LowestId => {
                        format!("Node {n}, the live slave with the lowest id, becomes master")
                    }
                    ElectionAlgorithm::Raft => {
                        format!("Node {n} has a majority of votes and is master")
                    }
                };
                self.takeover(n, &how)
            }
            "election_started" if d.contains("step") => {
                self.role_opens();
                format!(
                    "Node {n}, the master, can no longer reach a majority and steps down: there is no master."
                )
            }
            // The first election event of a vacancy starts the election;
            // the algorithm said is the one configured, whatever the detail.
            "election_started" if self.leader.is_some() => {
                self.role_opens();
                match self.sc.election.algorithm {
                    ElectionAlgorithm::LowestId => format!(
                        "The cluster starts an election: the running slave with the lowest id that is marked \
                         up will be master{}{}.",
                        match self.sc.failover.switch {
                            crate::scenario::Dist::Fixed(0) => String::new(),
                            ref s => format!(" after the switch ({})", amount_inside(s)),
                        },
                        fence_first(self.sc)
                    ),
                    ElectionAlgorithm::Raft => format!(
                        "The cluster starts a Raft election: every running, reachable node draws a random \
                         election timeout, and the first to time out asks the others for votes{}.",
                        fence_first(self.sc)
                    ),
                }
            }
            "election_started" if d.starts_with("term ") => format!("Raft {d}."),
            "election_started" => format!("{}.", capitalise(&d)),
            "fault_ignored" => format!("A scripted fault for node {n} finds it already down."),
            "hung" => {
                let span = d
                    .strip_prefix("answers nothing for ")
                    .and_then(|x| x.strip_suffix("; heartbeats go on"))
                    .map_or(format!(" ({d})"), |x| format!(" for {x}"));
                let mut s = format!(
                    "{} hangs{span}: it takes tasks and answers none. Its heartbeats go on, so it is never \
                     marked down",
                    self.who(n)
                );
                if self.sc.workload.is_none() {
                    s.push('.');
                    return s;
                }
                s.push_str(" and keeps getting tasks");
                s.push_str(&match self.sc.detection.task_timeout_ns {
                    Some(tt) if self.sc.dispatch.attempts > 1 => format!(
                        "; each fails after the task timeout ({}) and is sent again to another node.",
                        human(tt)
                    ),
                    Some(tt) => format!(
                        "; each fails after the task timeout ({}), with no retry.",
                        human(tt)
                    ),
                    None => format!(
                        ". With no task_timeout nothing notices: they wait for an answer that never comes, \
                         until {}",
                        if self.sc.workload.as_ref().is_some_and(|w| w.deadline_ns.is_some()) {
                            "their deadline."
                        } else {
                            "the run is over."
                        }
                    ),
                });
                s
            }
            "slowed" => format!("{} slows down: {d}.", self.who(n)),
            "healed" => match d.as_str() {
                "answers again" => format!("Node {n} answers tasks again: the hang is over."),
                "serves at full speed again" => format!("Node {n} serves at full speed again."),
                "reachable again" if arch.health_checked() && hb > 0 => format!(
                    "Node {n} is reachable again; it gets tasks once heartbeats mark it up."
                ),
                "reachable again" => format!("Node {n} is reachable again."),
                _ => format!("Node {n} recovers ({d})."),
            },
            // SPEC §8 fencing: the old primary (master) is kept from acting.
            "fenced" => match d.strip_prefix("powered off; back in ") {
                Some(after) => format!(
                    "Node {n} is fenced (STONITH): powered off so that it can no longer act as {p}; it \
                     reboots as a {b} in {after}. Only now may the takeover go ahead."
                ),
                None => format!("Node {n} is fenced (STONITH); it was already down."),
            },
            "lease_expired" => format!(
                "Node {n}'s {p} lease runs out: it was last renewed by a delivered heartbeat, and now it \
                 may no longer act as {p}."
            ),
            "stepped_down" => format!("Node {n} stops acting as {p}: {d}."),
            "repair_started" => format!("A repair crew is free and starts on node {n} ({d})."),
            crate::model::TRACE_CUT => format!("The record of this run stops here: {d}."),
            other => format!("{} (node {n}): {d}.", capitalise(other)),
        }
    }
}

/// SPEC §8: what a new master waits for besides its election, if anything.
fn fence_first(sc: &Scenario) -> &'static str {
    match sc.failover.fencing {
        crate::scenario::Fencing::None => "",
        crate::scenario::Fencing::Stonith { .. } => {
            "; it serves only once the old master is fenced"
        }
        crate::scenario::Fencing::Lease { .. } => {
            "; it serves only once the old master's lease has run out"
        }
    }
}
