//! `hasim explain`: the story of one run in plain words, for people who are
//! learning what the architectures do. The concept first (after the source
//! article), then what this scenario's settings mean, then the first run,
//! event by event, with the outages they cause.

use crate::metrics::{NodeView, TraceEvent, ViewChange};
use crate::montecarlo::{self, Outcome};
use crate::report::{story, Summary};
use crate::scenario::{Architecture, Dist, Promotion, Scenario};
use crate::sim::time::human;

/// How many events the story tells before it points at events.csv.
pub const MAX_EVENTS: usize = 60;

fn concept(arch: Architecture) -> &'static str {
    match arch {
        Architecture::ColdStandby => {
            "Cold standby (冷备): one primary does all the work. The backup has the software and configuration ready, \
             but its service is not running. When the primary fails, the task distributor keeps sending to it, so the \
             service is down. A recoverable failure ends with the repair. A permanent one (a dead disk) needs a person: \
             someone starts the backup's service and re-points the distributor, and a new machine later joins as the \
             backup."
        }
        Architecture::WarmStandby => {
            "Warm standby (温备): like a cold standby, but the backup's service is already running; it serves nothing \
             until promoted. A promotion then costs only the switch of the distributor, not a service start."
        }
        Architecture::MasterSlave => {
            "Master-slave (主从): the slave works too. The distributor classifies tasks: some classes go to the master, \
             others to the slaves. When the master fails, its classes fail while the others go on. A permanent master \
             failure needs an operator to promote a slave, which is usually only a configuration change."
        }
        Architecture::SymmetricCluster => {
            "Symmetric (load-balanced) cluster (对称集群): every node can do every task. The distributor spreads tasks \
             over the nodes it believes healthy. It stops sending to a node once heartbeats mark it down, and sends to \
             it again once it is marked up. There are no roles, so there is no failover: only detection delays and \
             retries."
        }
        Architecture::AsymmetricCluster => {
            "Asymmetric cluster (非对称集群): one master, the rest slaves; some task classes need the master (like \
             ZooKeeper's writes), others go to any node. When the master is detected down, the cluster chooses a new \
             one (here: the live node with the lowest id); until then the master's classes fail. A slave failure \
             changes no role: the node just leaves the routing set."
        }
    }
}

fn dist(d: &Dist) -> String {
    match *d {
        Dist::Fixed(v) => human(v),
        Dist::Exponential { mean_ns } => format!("about {} (exponential)", human(mean_ns as u64)),
        Dist::Uniform { min_ns, max_ns } => {
            format!("{} to {} (uniform)", human(min_ns), human(max_ns))
        }
        Dist::LogNormal { median_ns, .. } => {
            format!("about {} (log-normal median)", human(median_ns as u64))
        }
        Dist::Weibull { scale_ns, .. } => {
            format!("about {} (Weibull scale)", human(scale_ns as u64))
        }
    }
}

/// What the scenario's settings mean, in sentences.
fn setup(sc: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let n = &sc.nodes;
    let mut nodes = format!("{} node{}", n.count, if n.count == 1 { "" } else { "s" });
    if sc.architecture.has_leader() {
        nodes.push_str("; node 0 starts as the primary (master)");
    }
    match (&n.failure, &n.repair) {
        (Some(f), r) => {
            nodes.push_str(&format!(". Each fails every {}", dist(f)));
            if let Some(r) = r {
                nodes.push_str(&format!(" and is repaired in {}", dist(r)));
            }
            if n.permanent > 0.0 {
                nodes.push_str(&format!(
                    "; {:.0} % of failures are permanent and the machine is replaced after {}",
                    n.permanent * 100.0,
                    n.replace.as_ref().map_or("never".into(), dist)
                ));
            }
        }
        (None, _) => nodes.push_str(". No random failures: only the scripted faults happen"),
    }
    out.push(nodes + ".");
    let d = &sc.detection;
    if d.heartbeat_ns == 0 {
        out.push(
            "Detection is instant (heartbeat 0 s): a node is marked down the moment it stops."
                .into(),
        );
    } else {
        let h = d.heartbeat_ns;
        out.push(format!(
            "Heartbeats every {}: a node that stops is marked down at its {} missed heartbeat, {} to {} later, and marked up again after {} delivered heartbeats. Until then the distributor still sends it tasks.",
            human(h),
            ordinal(d.fall),
            human(h * u64::from(d.fall - 1)),
            human(h * u64::from(d.fall)),
            d.rise
        ));
    }
    if sc.architecture.has_leader() {
        let f = &sc.failover;
        let take = if sc.architecture == Architecture::ColdStandby {
            format!(
                "starting the backup's service takes {} and re-pointing the distributor {}",
                dist(&f.start),
                dist(&f.switch)
            )
        } else {
            format!("re-pointing the distributor takes {}", dist(&f.switch))
        };
        out.push(match f.promotion {
            Promotion::Manual => format!(
                "Promotion is manual: the alert reaches an operator who acts after {}; {take}.{}",
                dist(&f.operator),
                if sc.architecture.health_checked() { "" } else { " The operator only promotes when the failure is permanent; otherwise they wait for the repair." }
            ),
            Promotion::Automatic
                if sc.architecture == Architecture::AsymmetricCluster
                    && sc.election.algorithm == crate::scenario::ElectionAlgorithm::Raft =>
            {
                "A detected master failure starts a raft election at once; the winner serves as soon as it has its votes.".into()
            }
            Promotion::Automatic if sc.architecture == Architecture::AsymmetricCluster => {
                format!("A detected master failure starts an election at once (lowest id); {take}.")
            }
            Promotion::Automatic => format!(
                "Promotion is automatic: a detected primary failure promotes {} at once; {take}.",
                follower_name(sc.architecture)
            ),
            Promotion::None => "There is no promotion: the service waits for the repair, or for the replacement machine.".into(),
        });
    }
    if sc.architecture == Architecture::AsymmetricCluster {
        let e = &sc.election;
        if e.algorithm == crate::scenario::ElectionAlgorithm::Raft {
            out.push(format!(
                "Raft (ZAB alike): each live node waits a random election timeout ({}); the first to time out asks for votes ({} per message) and needs a majority of all {} nodes. A master that loses its majority steps down.",
                dist(&e.timeout),
                dist(&e.message_delay),
                sc.nodes.count
            ));
        }
        if e.pause {
            out.push("ZooKeeper's pause: while no master is known, every node pauses reads and writes alike until the election ends.".into());
        }
        if e.forward {
            out.push(format!(
                "ZooKeeper's forwarding: clients send to any node; a slave passes master tasks on to the master and relays the answer ({} each way).",
                dist(&e.message_delay)
            ));
        }
    }
    if let Some(w) = &sc.workload {
        out.push(format!(
            "{} requests per second ({}), each needing {} of work; the distributor picks nodes by {} and tries each request up to {} time{}.",
            w.rate_per_s,
            if w.arrival == crate::scenario::Arrival::Poisson { "Poisson" } else { "evenly spaced" },
            dist(&w.service),
            policy_name(sc.dispatch.policy),
            sc.dispatch.attempts,
            if sc.dispatch.attempts == 1 { "" } else { "s" }
        ));
    }
    out
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn policy_name(p: crate::scenario::Policy) -> &'static str {
    use crate::scenario::Policy::*;
    match p {
        RoundRobin => "round-robin",
        Random => "random choice",
        LeastLoaded => "least-loaded",
        PowerOfTwo => "power-of-two choices",
    }
}

/// What a node other than the primary is called.
fn follower_name(arch: Architecture) -> &'static str {
    match arch {
        Architecture::ColdStandby | Architecture::WarmStandby => "a backup",
        Architecture::SymmetricCluster => "a member",
        _ => "a slave",
    }
}

/// A clock reading: `2d 03:04:05.25`.
pub fn clock(ns: u64) -> String {
    let s = ns / 1_000_000_000;
    let frac = ns % 1_000_000_000;
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    let mut t = if d > 0 {
        format!("{d}d {h:02}:{m:02}:{sec:02}")
    } else {
        format!("{h:02}:{m:02}:{sec:02}")
    };
    if frac > 0 {
        let f = format!("{:09}", frac);
        t.push('.');
        t.push_str(
            f.trim_end_matches('0')
                .get(..3.min(f.trim_end_matches('0').len()))
                .unwrap_or(""),
        );
    }
    t
}

fn view_at(views: &[ViewChange], node: u32, t: u64) -> Option<NodeView> {
    views
        .iter()
        .rev()
        .find(|v| v.node == node && v.time_ns < t)
        .map(|v| v.view)
}

fn role_name(v: Option<NodeView>, arch: Architecture) -> &'static str {
    match v {
        Some(NodeView::Primary) if arch.health_checked() || arch == Architecture::MasterSlave => {
            "the master"
        }
        Some(NodeView::Primary) => "the primary",
        Some(NodeView::Backup) => "a backup",
        Some(NodeView::Serving) if arch == Architecture::SymmetricCluster => "a member",
        Some(NodeView::Serving) => "a slave",
        Some(NodeView::Promoting) => "the candidate",
        _ => "a node",
    }
}

fn sentence(e: &TraceEvent, sc: &Scenario, o: &Outcome, last_stop: &mut [u64]) -> String {
    let n = e.node.unwrap_or(0);
    let arch = sc.architecture;
    let who = format!(
        "node {n} ({})",
        role_name(view_at(&o.views, n, e.time_ns), arch)
    );
    let d = &e.detail;
    match e.event {
        "crashed" => {
            last_stop[n as usize] = e.time_ns;
            format!("{who} crashes; {d}.")
        }
        "failed_permanently" => {
            last_stop[n as usize] = e.time_ns;
            format!("{who} fails for good; {d}.")
        }
        "marked_down" => format!(
            "The distributor marks node {n} down, {} after it stopped{}.",
            human(e.time_ns.saturating_sub(last_stop[n as usize])),
            if sc.detection.heartbeat_ns > 0 {
                format!(" ({} missed heartbeats)", sc.detection.fall)
            } else {
                String::new()
            }
        ),
        "marked_up" => format!("Node {n} is marked up again and gets tasks."),
        "repaired" => {
            let back = view_at(&o.views, n, e.time_ns + 1);
            match back {
                Some(NodeView::Primary) => {
                    format!("Node {n} is repaired and serves as primary again.")
                }
                _ if arch.has_leader() => format!(
                    "Node {n} is repaired and returns as {}.",
                    follower_name(arch)
                ),
                _ => format!("Node {n} is repaired."),
            }
        }
        "replaced" => format!(
            "A new machine takes node {n}'s place and joins as {}.",
            follower_name(arch)
        ),
        "operator_alerted" => format!("An operator is alerted; {d}."),
        "operator_acted" => format!("The operator acts: {d}."),
        "promotion_started" => format!("Node {n} is chosen to take over ({d})."),
        "promoted" => format!("Node {n} now serves as primary: a failover."),
        "promotion_abandoned" => {
            format!("Node {n} fails before taking over: the promotion moves to the next candidate.")
        }
        "election_started" if d == "lowest-id" => {
            "The cluster starts an election: the live node with the lowest id will be master."
                .into()
        }
        "election_started" if d == "raft" => {
            "The cluster starts a raft election: every live node draws its timeout.".into()
        }
        "election_started" if d.contains("steps down") => {
            format!("Node {n}, the master, has lost its majority and steps down.")
        }
        "election_started" => format!("{}{}.", d[..1].to_uppercase(), &d[1..]),
        "elected" => format!("Node {n} is elected master."),
        "fault_ignored" => format!("A scripted fault for node {n} finds it already down."),
        "hung" => format!(
            "{who} hangs: it takes tasks and answers none ({d}). Only task timeouts notice."
        ),
        "slowed" => format!("{who} slows down: {d}."),
        "partitioned" => {
            last_stop[n as usize] = e.time_ns;
            format!("{who} is cut off by a network partition ({d}); it keeps running but its heartbeats stop.")
        }
        "healed" => format!("Node {n} recovers: it {d}."),
        crate::model::TRACE_CUT => format!("The record of this run stops here: {d}."),
        other => format!("{other} (node {n})."),
    }
}

/// The whole story of `sc`'s first run; `file` is the scenario's path.
pub fn explain(sc: &Scenario, file: &std::path::Path) -> String {
    let mut one = sc.clone();
    one.replications = 1;
    one.precision = None;
    let o = montecarlo::run(&one);
    let summary = Summary::new(&one, &o);
    let mut t = format!("{} — {}\n", sc.name, sc.architecture.name());
    if !sc.description.is_empty() {
        t.push_str(&format!("{}\n", sc.description));
    }
    t.push_str(&format!(
        "\n{}\n\nThis scenario:\n",
        concept(sc.architecture)
    ));
    for s in setup(sc) {
        t.push_str(&format!("  - {s}\n"));
    }
    t.push_str(&format!(
        "\nWhat happened in the first run (seed {}, {} simulated{}):\n",
        sc.seed,
        human(sc.duration_ns),
        if sc.warmup_ns > 0 {
            format!(" after a warmup of {}", human(sc.warmup_ns))
        } else {
            String::new()
        }
    ));
    // Events and outage ends, in time order.
    let mut last_stop = vec![0u64; sc.nodes.count as usize];
    let outages: Vec<_> = o
        .outage_list
        .iter()
        .filter(|(r, _)| *r == 0)
        .map(|(_, x)| x)
        .collect();
    let mut lines: Vec<(u64, u8, String)> = Vec::new();
    for e in o.events.iter().take(MAX_EVENTS) {
        lines.push((e.time_ns, 1, sentence(e, sc, &o, &mut last_stop)));
    }
    let horizon = o.events.get(MAX_EVENTS).map_or(u64::MAX, |e| e.time_ns);
    for x in outages.iter().filter(|x| x.start_ns < horizon) {
        lines.push((
            x.start_ns,
            2,
            format!("⇒ The service is DOWN ({} started it).", x.cause.describe()),
        ));
        let end = if x.censored {
            "⇒ The service is still down when the run ends.".to_string()
        } else {
            format!(
                "⇒ The service is back, after {} down.",
                human(x.duration_ns())
            )
        };
        lines.push((x.end_ns, 0, end));
    }
    lines.sort_by_key(|(time, order, _)| (*time, *order));
    if lines.is_empty() {
        t.push_str("  Nothing failed: the service was up the whole time.\n");
    }
    for (time, _, line) in &lines {
        t.push_str(&format!("  {:>16}  {line}\n", clock(*time)));
    }
    if o.events.len() > MAX_EVENTS {
        t.push_str(&format!(
            "  … and {} more events (hasim run writes {} to events.csv).\n",
            o.events.len() - MAX_EVENTS,
            if o.events
                .last()
                .is_some_and(|e| e.event == crate::model::TRACE_CUT)
            {
                "those the trace kept"
            } else {
                "them all"
            }
        ));
    }
    t.push_str("\nIn numbers (this one run):\n");
    for p in story::paragraph(&one, &summary, &o) {
        t.push_str(&format!("  {p}\n"));
    }
    t.push_str(&format!(
        "\nOne run is one story. `hasim run {}` gives {} replication(s) with 95 % intervals, and charts.\n",
        file.display(),
        sc.replications
    ));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_readings() {
        assert_eq!(clock(0), "00:00:00");
        assert_eq!(clock(102_000_000_000), "00:01:42");
        assert_eq!(
            clock(86_400_000_000_000 + 3_723_250_000_000),
            "1d 01:02:03.25"
        );
        assert_eq!(
            [1, 2, 3, 4, 11, 12, 13, 21].map(ordinal),
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st"]
        );
    }
}
