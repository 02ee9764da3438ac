//! The HA model: nodes that fail and recover, heartbeat detection, roles and
//! promotion, the dispatcher and the request workload, for every architecture
//! of SPEC §2. `simulate` runs one replication; it does no IO and cannot fail
//! on a validated scenario.
//!
//! The state lives in one `World`; each concern adds its methods to it in its
//! own file: `node` (failure processes), `detection` (heartbeats),
//! `roles` (promotion and election), `routing` (dispatch sets and service
//! state), `requests` (workload and task manager), `dispatch` (policies).

mod busy;
mod crews;
mod detection;
mod dispatch;
mod domains;
mod fencing;
mod gray;
mod lossy;
mod maintenance;
mod node;
mod raft;
mod requests;
mod roles;
mod routing;
mod touched;

use crate::metrics::{Cause, NodeView, RepResult, TraceEvent, UptimeTracker, ViewChange};
use crate::scenario::Scenario;
use crate::sim::rng::replication_seed;
use crate::sim::{EventQueue, Phase};
pub use lossy::late_probability;
pub use maintenance::{is_planned, PLANNED};
use node::{Node, NodeStreams};
use requests::Work;
use roles::Roles;
use routing::Routing;

/// Everything that can happen. Events that may have been overtaken carry the
/// generation (`gen`) or token they were scheduled for and are dropped when
/// it no longer matches: cancellation without searching the queue.
#[derive(Clone, Copy, Debug)]
enum Ev {
    /// A random failure drawn when the node last came up.
    Fail {
        node: u32,
        gen: u32,
    },
    Repair {
        node: u32,
        gen: u32,
    },
    Replace {
        node: u32,
        gen: u32,
    },
    /// A scripted fault, by index in `scenario.faults`.
    Fault {
        index: u32,
    },
    /// The `fall`-th missed heartbeat is due (`gen`: the node's detection
    /// generation; a permanent failure's alert also carries it through).
    MarkDown {
        node: u32,
        gen: u32,
    },
    /// The `rise`-th delivered heartbeat is due (`gen`: detection generation).
    MarkUp {
        node: u32,
        gen: u32,
    },
    OperatorActs {
        node: u32,
    },
    Takeover {
        promotion: u32,
    },
    /// A node's raft election timer fires (`timer`: its generation).
    RaftTimeout {
        node: u32,
        timer: u32,
    },
    /// A RequestVote for `term` reaches `to`.
    RaftRequest {
        from: u32,
        to: u32,
        term: u64,
    },
    /// A vote's answer, with the voter's term, reaches the candidate `to`.
    RaftReply {
        from: u32,
        to: u32,
        term: u64,
        granted: bool,
    },
    /// A slave's forwarded task reaches the master.
    Forward {
        req: u32,
        token: u32,
    },
    /// A forwarded task's answer is back at the slave and its client.
    Deliver {
        req: u32,
        token: u32,
    },
    /// A scripted hang, slowdown or partition ends (`node::HANG`, …).
    Heal {
        node: u32,
        kind: u8,
    },
    /// The task in `slot` of the node's running tasks is done. It carries
    /// the task's request, token and forwarding, so that a completion
    /// reads the request without first reading the running task (issue 8:
    /// two dependent cache misses per completion with thousands running).
    Complete {
        node: u32,
        gen: u32,
        slot: u32,
        req: u32,
        token: u32,
        forwarded: bool,
    },
    TaskTimeout {
        req: u32,
        token: u32,
    },
    Retry {
        req: u32,
        token: u32,
    },
    /// SPEC §7: a domain's or a dispatcher's failure, repair or takeover
    /// (`kind`: `domains::DOMAIN_FAIL`, …).
    Domain {
        kind: u8,
        index: u32,
        gen: u32,
    },
    /// SPEC §8 stonith: the old primary is powered off.
    Fence {
        node: u32,
    },
    /// SPEC §8 lease: the old primary's lease runs out.
    LeaseExpiry {
        node: u32,
    },
    /// SPEC §7: a random gray fault's window opens or (`end`) closes
    /// (`kind`: `node::HANG`, …).
    Gray {
        node: u32,
        kind: u8,
        end: bool,
    },
    /// SPEC §7: a maintenance round, a node's turn or the end of its drain
    /// (`kind`: `maintenance::ROUND`, …; `gen` drops an interrupted drain).
    Maint {
        kind: u8,
        node: u32,
        gen: u32,
    },
}

/// The most events the first replication's trace (`events.csv`) keeps:
/// memory must not grow with duration, and a run of endless split raft
/// terms logs a few events every election timeout. The event that would
/// have been the next one is replaced by a `trace_cut` row at its time, and
/// nothing is recorded after it.
pub const TRACE_CAP: usize = 100_000;
/// The event name of the row that ends a cut trace.
pub const TRACE_CUT: &str = "trace_cut";

/// Options of one replication.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    /// Replication index: selects the seed.
    pub replication: u64,
    /// Record node, role and detection events for `events.csv`.
    pub trace: bool,
}

struct World<'a> {
    sc: &'a Scenario,
    q: EventQueue<Ev>,
    nodes: Vec<Node>,
    streams: Vec<NodeStreams>,
    roles: Roles,
    routing: Routing,
    uptime: UptimeTracker,
    work: Option<Work>,
    failovers: u64,
    trace: Option<Vec<TraceEvent>>,
    /// Events offered to the trace so far, and those past the memory
    /// trace streamed to disk (`hasim run --events`, issue 8 §2).
    logged: u64,
    event_spill: Option<Box<crate::metrics::event_log::EventWriter>>,
    /// Node views for the timeline chart: the last view of each node, and
    /// the changes (only when tracing).
    views: Option<(Vec<Option<NodeView>>, Vec<ViewChange>)>,
    events: u64,
    /// The node event being handled (a crash, a partition): the state
    /// changes it causes in the same instant (an instant mark-down, a
    /// promotion) report it as their cause, so that an outage names what
    /// took the service down (SPEC §3).
    origin: Option<Cause>,
    /// SPEC §7: domains and dispatchers; None when the scenario has none.
    dom: Option<Box<domains::Domains>>,
    /// Lost and late heartbeats (SPEC §8), when they can happen.
    lossy: Option<lossy::Lossy>,
    /// Imperfect-detection counters (SPEC §8).
    imperfect: fencing::Imperfect,
    /// SPEC §7 random gray faults; None without them.
    gray: Option<Box<gray::Gray>>,
    /// SPEC §7 rolling maintenance; None without `[maintenance]`.
    maint: Option<Box<maintenance::Maint>>,
    /// SPEC §7 `nodes.crews`; None = unlimited (no queue at all).
    crews: Option<crews::NodeCrews>,
}

/// Runs one replication of a validated scenario.
pub fn simulate(sc: &Scenario, opts: RunOptions) -> RepResult {
    let seed = replication_seed(sc.seed, opts.replication);
    let mut w = World::new(sc, seed, opts.trace);
    w.imperfect.sink.rep = opts.replication as u32;
    w.imperfect.record_splits = opts.trace;
    w.run();
    w.into_result()
}

impl<'a> World<'a> {
    fn new(sc: &'a Scenario, seed: u64, trace: bool) -> Self {
        let n = sc.nodes.count as usize;
        let classes = sc.dispatch.classes.len();
        let mut w = World {
            sc,
            q: EventQueue::new(),
            nodes: (0..n)
                .map(|_| Node::new(sc.detection.heartbeat_ns))
                .collect(),
            streams: (0..n).map(|i| NodeStreams::new(seed, i as u64)).collect(),
            roles: Roles::new(seed),
            routing: Routing::new(classes),
            uptime: UptimeTracker::new(sc.warmup_ns, sc.horizon_ns(), sc.window_ns, classes),
            work: sc.workload.as_ref().map(|wl| Work::new(sc, wl, seed)),
            failovers: 0,
            trace: trace.then(Vec::new),
            logged: 0,
            event_spill: None,
            views: trace.then(|| (vec![None; n], Vec::new())),
            events: 0,
            origin: None,
            dom: domains::Domains::new(sc, seed, trace),
            lossy: (sc.detection.miss > 0.0).then(|| lossy::Lossy::new(seed, n, sc.detection.miss)),
            imperfect: fencing::Imperfect::new(seed),
            gray: gray::Gray::new(sc, seed),
            maint: maintenance::Maint::new(sc, seed),
            crews: sc
                .nodes
                .crews
                .map(|c| crews::NodeCrews::new(c, n, sc.domains.len())),
        };
        w.roles.init(&mut w.nodes, sc.architecture);
        for i in 0..n as u32 {
            w.start_life(i);
        }
        if w.dom.is_some() {
            w.domains_start();
        }
        w.lossy_init();
        if w.gray.is_some() {
            w.gray_start();
        }
        if w.maint.is_some() {
            w.maintenance_start();
        }
        // A fault after the end of the run never happens (so shortening
        // `duration` with --set keeps a scenario valid).
        for (i, f) in sc
            .faults
            .iter()
            .enumerate()
            .filter(|(_, f)| f.at_ns < sc.end_ns())
        {
            w.q.schedule(f.at_ns, Phase::Normal, Ev::Fault { index: i as u32 });
        }
        w.refresh(Cause {
            event: "start",
            node: None,
        });
        w
    }

    fn now(&self) -> u64 {
        self.q.now()
    }

    /// Schedules an event `delay` from now, unless it would fall past the end
    /// of the simulation (where it could change nothing).
    fn after(&mut self, delay: u64, phase: Phase, ev: Ev) {
        let at = self.now().saturating_add(delay);
        if at < self.sc.end_ns() {
            self.q.schedule(at, phase, ev);
        }
    }

    fn run(&mut self) {
        let horizon = self.sc.horizon_ns();
        let end = self.sc.end_ns();
        loop {
            let next_event = self.q.peek_time().unwrap_or(u64::MAX);
            let next_arrival = self.work.as_ref().map_or(u64::MAX, |w| w.next_arrival);
            let t = next_event.min(next_arrival);
            if t >= horizon {
                self.uptime.finish();
            }
            if t >= end {
                break;
            }
            self.events += 1;
            if next_arrival <= next_event {
                self.q.advance(next_arrival);
                self.on_arrival();
            } else {
                let (_, ev) = self.q.pop().expect("peeked");
                self.dispatch_event(ev);
                if self.routing.release {
                    // A pause just ended: send what waited, now that
                    // the state change is complete.
                    self.routing.release = false;
                    self.release_held();
                }
            }
        }
        self.uptime.finish();
        if let Some(work) = &mut self.work {
            work.close_open_requests();
        }
    }

    fn dispatch_event(&mut self, ev: Ev) {
        match ev {
            Ev::Fail { node, gen } => self.on_fail(node, gen),
            Ev::Repair { node, gen } => self.on_repair(node, gen, false),
            Ev::Replace { node, gen } => self.on_repair(node, gen, true),
            Ev::Fault { index } => self.on_fault(index as usize),
            Ev::MarkDown { node, gen } => self.on_mark_down_due(node, gen),
            Ev::MarkUp { node, gen } => self.on_mark_up_due(node, gen),
            Ev::OperatorActs { node } => self.on_operator(node),
            Ev::Takeover { promotion } => self.on_takeover(promotion),
            Ev::Heal { node, kind } => self.on_heal(node, kind),
            Ev::Forward { req, token } => self.on_forward(req, token),
            Ev::RaftTimeout { node, timer } => self.on_raft_timeout(node, timer),
            Ev::RaftRequest { from, to, term } => self.on_raft_request(from, to, term),
            Ev::RaftReply {
                from,
                to,
                term,
                granted,
            } => self.on_raft_reply(from, to, term, granted),
            Ev::Deliver { req, token } => self.on_deliver(req, token),
            Ev::Complete {
                node,
                gen,
                slot,
                req,
                token,
                forwarded,
            } => self.on_complete(node, gen, slot, req, token, forwarded),
            Ev::TaskTimeout { req, token } => self.on_task_timeout(req, token),
            Ev::Retry { req, token } => self.on_retry(req, token),
            Ev::Domain { kind, index, gen } => self.on_domain_event(kind, index, gen),
            Ev::Fence { node } => self.on_fence(node),
            Ev::LeaseExpiry { node } => self.on_lease_expiry(node),
            Ev::Gray { node, kind, end } => self.on_gray(node, kind, end),
            Ev::Maint { kind, node, gen } => self.on_maint(kind, node, gen),
        }
    }

    /// Whether `now` lies in the measured interval.
    fn measuring(&self) -> bool {
        let t = self.now();
        t >= self.sc.warmup_ns && t < self.sc.horizon_ns()
    }

    fn log(&mut self, node: Option<u32>, event: &'static str, detail: impl FnOnce() -> String) {
        let t = self.now();
        if t >= self.sc.horizon_ns() {
            return;
        }
        let Some(trace) = &mut self.trace else {
            return;
        };
        // `events_keep` events go to events.csv, then a `trace_cut` row;
        // memory holds at most TRACE_CAP of them (and its own cut row),
        // the rest stream to disk as they happen.
        let (n, keep) = (self.logged, self.sc.events_keep);
        if n > keep {
            return;
        }
        self.logged += 1;
        let in_memory = (TRACE_CAP as u64).min(keep);
        let cut = |kept: u64| TraceEvent {
            time_ns: t,
            node: None,
            event: TRACE_CUT,
            detail: crate::metrics::event_log::cut_detail(kept),
        };
        if n < in_memory {
            trace.push(TraceEvent {
                time_ns: t,
                node,
                event,
                detail: detail(),
            });
            return;
        }
        if n == in_memory {
            trace.push(cut(in_memory));
        }
        if keep > in_memory {
            let spill = self.event_spill.get_or_insert_with(Default::default);
            spill.push(&if n < keep {
                TraceEvent {
                    time_ns: t,
                    node,
                    event,
                    detail: detail(),
                }
            } else {
                cut(keep)
            });
        }
    }

    fn into_result(mut self) -> RepResult {
        self.split_brain_close();
        let (up_ns, class_up_ns, window_up_ns, outages) = self.uptime.into_parts();
        self.imperfect.record_outages(outages);
        let mut sink = std::mem::replace(
            &mut self.imperfect.sink,
            crate::metrics::rep_outages::RepOutages::with_keep(0, 0),
        );
        sink.finish();
        self.imperfect.stats.outage_phases_ns = sink.phases;
        self.imperfect.stats.phase_totals_ns = sink.phase_totals_ns;
        // SPEC §7: the outages maintenance started.
        let planned_down_ns = self.maint.is_some().then_some(sink.planned_ns);
        RepResult {
            measured_ns: self.sc.duration_ns,
            up_ns,
            class_up_ns,
            window_up_ns,
            outages: sink.list,
            outage_spill: sink.spill,
            outage_count: sink.count,
            failovers: self.failovers,
            requests: self.work.map(|mut w| {
                w.stats.finish();
                w.stats
            }),
            trace: self.trace.unwrap_or_default(),
            event_spill: self.event_spill.map(|w| std::sync::Arc::new(w.finish())),
            views: self.views.map(|(_, v)| v).unwrap_or_default(),
            events: self.events,
            imperfect: self.imperfect.stats,
            domain_changes: self
                .dom
                .and_then(|d| d.trace)
                .map(|t| t.changes)
                .unwrap_or_default(),
            planned_down_ns,
        }
    }
}
