//! The request workload and the task manager (SPEC §1 `[workload]`,
//! `[dispatch]`; SPEC §2 on failed tasks).
//!
//! A request is born with its class and service time (drawn at arrival, so
//! the same request costs the same work under every policy). Each attempt
//! gets a fresh token; anything still referring to an older token (a queued
//! copy, a completion, a timeout) is stale and ignored. Nodes never cancel
//! work: a task whose client gave up is still served, its answer discarded.
//! A deadline is checked when an answer arrives or a retry is due, which
//! keeps deadlines free of events.

use super::dispatch::{bit, choose};
use super::node::Task;
use super::{Ev, World};
use crate::metrics::{Failure, RequestStats};
use crate::scenario::{Arrival, Route, Scenario, Workload};
use crate::sim::time::round_ns;
use crate::sim::{Phase, Stream, StreamKind};

// A completion carries its task (issue 8) and still fits the 24 bytes of
// the largest event: heap entries stay 40 bytes.
const _: () = assert!(std::mem::size_of::<Ev>() == 24);

#[derive(Clone, Copy, Debug)]
struct Request {
    arrival_ns: u64,
    service_ns: u64,
    token: u32,
    class: u16,
    attempts: u16,
    tried: u64,
    window: u32,
    measured: bool,
    live: bool,
}

pub struct Work {
    pub next_arrival: u64,
    arrivals: u64,
    class_cum: Vec<f64>,
    arrival_rng: Stream,
    class_rng: Stream,
    service_rng: Stream,
    dispatch_rng: Stream,
    cursors: Vec<usize>,
    reqs: Vec<Request>,
    free: Vec<u32>,
    next_token: u32,
    pub stats: RequestStats,
    /// Requests waiting out a ZooKeeper pause, in arrival order.
    held: std::collections::VecDeque<u32>,
    /// Message delays between nodes (forwarding).
    net_rng: Stream,
    horizon: u64,
    rate_per_ns: f64,
    constant: bool,
    /// The window of the last measured arrival and where it ends: time only
    /// moves forward, so one division per window instead of per arrival.
    window: u32,
    window_end: u64,
}

impl Work {
    pub fn new(sc: &Scenario, wl: &Workload, seed: u64) -> Self {
        let mut acc = 0.0;
        let class_cum = sc.dispatch.classes.iter().map(|c| {
            acc += c.share;
            acc
        });
        let mut w = Work {
            next_arrival: 0,
            arrivals: 0,
            class_cum: class_cum.collect(),
            arrival_rng: Stream::new(seed, StreamKind::Arrival, 0),
            class_rng: Stream::new(seed, StreamKind::Class, 0),
            service_rng: Stream::new(seed, StreamKind::Service, 0),
            dispatch_rng: Stream::new(seed, StreamKind::Dispatch, 0),
            cursors: vec![0; sc.dispatch.classes.len()],
            reqs: Vec::new(),
            free: Vec::new(),
            next_token: 0,
            stats: RequestStats::new(sc.window_count()),
            held: std::collections::VecDeque::new(),
            net_rng: Stream::new(seed, StreamKind::Election, 1),
            horizon: sc.horizon_ns(),
            rate_per_ns: wl.rate_per_s / 1e9,
            constant: wl.arrival == Arrival::Constant,
            window: 0,
            window_end: 0,
        };
        w.next_arrival = w.arrival_after(0);
        w
    }

    /// The arrival after one at `t`; `u64::MAX` once past the horizon.
    fn arrival_after(&mut self, t: u64) -> u64 {
        let next = if self.constant {
            // The k-th arrival at round(k / rate): no drift from rounding.
            round_ns((self.arrivals + 1) as f64 / self.rate_per_ns)
        } else {
            t + round_ns(self.arrival_rng.exp1() / self.rate_per_ns)
        };
        if next >= self.horizon {
            u64::MAX
        } else {
            next
        }
    }

    fn token(&mut self) -> u32 {
        self.next_token = self.next_token.wrapping_add(1);
        self.next_token
    }

    /// After the drain: measured requests still open have timed out.
    pub fn close_open_requests(&mut self) {
        for r in &self.reqs {
            if r.live && r.measured {
                self.stats.fail(r.window as usize, Failure::TimedOut);
            }
        }
    }
}

impl World<'_> {
    fn work(&mut self) -> &mut Work {
        self.work.as_mut().expect("request events need a workload")
    }

    pub(super) fn on_arrival(&mut self) {
        let now = self.now();
        let (warmup, window_ns) = (self.sc.warmup_ns, self.sc.window_ns);
        let wl = self.sc.workload.as_ref().expect("arrivals need a workload");
        let w = self.work.as_mut().expect("arrivals need a workload");
        w.arrivals += 1;
        w.next_arrival = w.arrival_after(now);
        let class = if w.class_cum.len() == 1 {
            0
        } else {
            let u = w.class_rng.unit() * w.class_cum[w.class_cum.len() - 1];
            w.class_cum
                .iter()
                .position(|&c| u < c)
                .unwrap_or(w.class_cum.len() - 1)
        };
        let service_ns = wl.service.sample(&mut w.service_rng);
        let measured = now >= warmup;
        let window = if measured {
            if now >= w.window_end {
                let k = (now - warmup) / window_ns;
                w.window = k as u32;
                w.window_end = warmup.saturating_add((k + 1).saturating_mul(window_ns));
            }
            w.window
        } else {
            0
        };
        if measured {
            w.stats.offer(window as usize);
        }
        let r = Request {
            arrival_ns: now,
            service_ns,
            token: 0,
            class: class as u16,
            attempts: 0,
            tried: 0,
            window,
            measured,
            live: true,
        };
        let id = match w.free.pop() {
            Some(id) => {
                w.reqs[id as usize] = r;
                id
            }
            None => {
                w.reqs.push(r);
                (w.reqs.len() - 1) as u32
            }
        };
        self.attempt(id);
    }

    /// Sends the request's next attempt to a node.
    fn attempt(&mut self, id: u32) {
        if self.routing.paused {
            // ZooKeeper's pause: no master, every class waits for the election.
            if !self.hold(id) {
                // Refused a place: this attempt counts, and fails at once.
                self.work().reqs[id as usize].attempts += 1;
                self.fail_attempt(id, Failure::Rejected);
            }
            return;
        }
        let policy = self.sc.dispatch.policy;
        let token = self.work().token();
        let no_dispatcher = self.dom.is_some() && !self.dispatcher_ok();
        let w = self.work.as_mut().expect("workload");
        let r = &mut w.reqs[id as usize];
        r.token = token;
        r.attempts += 1;
        let (class, tried, service_ns) = (r.class as usize, r.tried, r.service_ns);
        if no_dispatcher {
            // SPEC §7: no dispatcher is active.
            return self.fail_attempt(id, Failure::Errored);
        }
        let set = &self.routing.sets[class];
        if set.is_empty() {
            return self.fail_attempt(id, Failure::Rejected);
        }
        let nodes = &self.nodes;
        let node = choose(
            policy,
            set,
            tried,
            &mut w.cursors[class],
            &mut w.dispatch_rng,
            |n| nodes[n as usize].load(),
        );
        w.reqs[id as usize].tried |= bit(node);
        let n = &self.nodes[node as usize];
        if n.running() && !n.answers() {
            // Hung or cut off: the task vanishes, no answer comes.
            return self.arm_task_timeout(id, token);
        }
        if !self.serves(node) {
            return self.fail_attempt(id, Failure::Errored);
        }
        let forward = self.sc.election.forward
            && self.sc.dispatch.classes[class].route == Route::Master
            && n.role != super::node::Role::Leader;
        if forward {
            // A slave passes the master's task on, one message away.
            let w = self.work.as_mut().expect("workload");
            let d = self.sc.election.message_delay.sample(&mut w.net_rng);
            self.after(d, Phase::Normal, Ev::Forward { req: id, token });
            return self.arm_task_timeout(id, token);
        }
        let sent = self.send_to(
            node,
            Task {
                req: id,
                token,
                service_ns,
                forwarded: false,
            },
        );
        if sent {
            self.arm_task_timeout(id, token);
        }
    }

    /// The dispatcher gives up on the attempt after `task_timeout`.
    fn arm_task_timeout(&mut self, req: u32, token: u32) {
        if let Some(tt) = self.sc.detection.task_timeout_ns {
            self.after(tt, Phase::Normal, Ev::TaskTimeout { req, token });
        }
    }

    /// Queues a task at a node; a full queue rejects it (returns false).
    fn send_to(&mut self, node: u32, task: Task) -> bool {
        let n = &mut self.nodes[node as usize];
        if n.busy.len() < self.sc.nodes.capacity_of(node) as usize {
            self.start_task(node, task);
        } else if n.waiting.len() < self.sc.nodes.queue as usize {
            n.waiting.push_back(task);
        } else {
            self.fail_attempt(task.req, Failure::Rejected);
            return false;
        }
        true
    }

    /// A forwarded task reaches the master the slave knows of.
    pub(super) fn on_forward(&mut self, req: u32, token: u32) {
        let r = self.work().reqs[req as usize];
        if !r.live || r.token != token {
            return;
        }
        match self.leader().filter(|&l| self.nodes[l as usize].marked_up) {
            Some(master) if self.nodes[master as usize].answers() => {
                // The client's task timeout runs since the first send.
                let task = Task {
                    req,
                    token,
                    service_ns: r.service_ns,
                    forwarded: true,
                };
                self.send_to(master, task);
            }
            Some(master) if self.nodes[master as usize].running() => {} // hung: no answer
            Some(_) => self.fail_attempt(req, Failure::Errored),
            None if self.routing.paused => {
                // The election is under way: wait for the new master.
                if !self.hold(req) {
                    self.fail_attempt(req, Failure::Rejected);
                }
            }
            None => self.fail_attempt(req, Failure::Rejected),
        }
    }

    /// The answer of a forwarded task is back at the client's node.
    pub(super) fn on_deliver(&mut self, req: u32, token: u32) {
        let r = self.work().reqs[req as usize];
        if r.live && r.token == token {
            self.succeed(req);
        }
    }

    /// Holds a request until a master serves; false when `hold_limit`
    /// requests already wait (memory stays bounded however long a pause).
    fn hold(&mut self, id: u32) -> bool {
        let limit = self.sc.election.hold_limit;
        let w = self.work();
        if w.held.len() as u64 >= limit {
            return false;
        }
        w.held.push_back(id);
        true
    }

    /// Requests held during a pause are sent once a master serves.
    pub(super) fn release_held(&mut self) {
        let Some(w) = self.work.as_mut() else { return };
        if self.routing.paused || w.held.is_empty() {
            return;
        }
        let held: Vec<u32> = w.held.drain(..).collect();
        for id in held {
            if self.work().reqs[id as usize].live {
                self.attempt(id);
            }
        }
    }

    fn start_task(&mut self, node: u32, task: Task) {
        let n = &mut self.nodes[node as usize];
        let slot = n.busy.push(task);
        let gen = n.work_gen;
        // A slowed node takes `factor` times as long for the tasks it starts.
        let service = if n.slow == 1.0 {
            task.service_ns
        } else {
            round_ns(task.service_ns as f64 * n.slow)
        };
        let ev = Ev::Complete {
            node,
            gen,
            slot,
            req: task.req,
            token: task.token,
            forwarded: task.forwarded,
        };
        self.after(service, Phase::Normal, ev);
    }

    /// The task `req`/`token` in `slot` of the node is done.
    pub(super) fn on_complete(
        &mut self,
        node: u32,
        gen: u32,
        slot: u32,
        req: u32,
        token: u32,
        forwarded: bool,
    ) {
        let n = &mut self.nodes[node as usize];
        if n.work_gen != gen {
            return; // the node lost its tasks since (crash, hang, partition).
        }
        // Same generation: the slot still holds the task this event ends.
        n.busy.end(slot);
        if let Some(next) = n.waiting.pop_front() {
            self.start_task(node, next);
        }
        let r = self.work().reqs[req as usize];
        if !r.live || r.token != token {
            return; // that attempt was given up (timeout): answer discarded.
        }
        if forwarded {
            // The answer goes back through the slave that forwarded it.
            let w = self.work.as_mut().expect("workload");
            let d = self.sc.election.message_delay.sample(&mut w.net_rng);
            self.after(d, Phase::Normal, Ev::Deliver { req, token });
            return;
        }
        self.succeed(req);
    }

    /// The request's answer reached its client.
    fn succeed(&mut self, req: u32) {
        let now = self.now();
        let deadline = self.sc.workload.as_ref().and_then(|w| w.deadline_ns);
        let w = self.work();
        let r = w.reqs[req as usize];
        let latency = now - r.arrival_ns;
        if deadline.is_some_and(|d| latency > d) {
            return self.finish(req, Some(Failure::TimedOut));
        }
        if r.measured {
            w.stats.succeed(r.window as usize, latency);
        }
        self.finish(req, None);
    }

    pub(super) fn on_task_timeout(&mut self, req: u32, token: u32) {
        let r = self.work().reqs[req as usize];
        if r.live && r.token == token {
            self.fail_attempt(req, Failure::TimedOut);
        }
    }

    pub(super) fn on_retry(&mut self, req: u32, token: u32) {
        let r = self.work().reqs[req as usize];
        if r.live && r.token == token {
            self.attempt(req);
        }
    }

    /// Tasks lost in a crash.
    pub(super) fn fail_tasks(&mut self, tasks: Vec<Task>) {
        for t in tasks {
            let r = self.work().reqs[t.req as usize];
            if r.live && r.token == t.token {
                self.fail_attempt(t.req, Failure::Errored);
            }
        }
    }

    /// The current attempt failed: retry while attempts and deadline remain.
    fn fail_attempt(&mut self, id: u32, how: Failure) {
        let now = self.now();
        let (attempts, backoff) = (self.sc.dispatch.attempts, self.sc.dispatch.backoff_ns);
        let deadline = self.sc.workload.as_ref().and_then(|w| w.deadline_ns);
        let token = self.work().token();
        let w = self.work();
        let r = &mut w.reqs[id as usize];
        r.token = token; // anything left of the failed attempt is now stale
        let retry_at = now.saturating_add(backoff);
        let in_time = deadline.is_none_or(|d| retry_at < r.arrival_ns.saturating_add(d));
        if u32::from(r.attempts) < attempts && in_time {
            if r.measured {
                w.stats.counts.retries += 1;
                w.stats.windows[r.window as usize].retries += 1;
            }
            if backoff == 0 {
                self.attempt(id);
            } else {
                self.after(backoff, Phase::Normal, Ev::Retry { req: id, token });
            }
        } else {
            self.finish(id, Some(how));
        }
    }

    fn finish(&mut self, id: u32, failure: Option<Failure>) {
        let w = self.work();
        let r = &mut w.reqs[id as usize];
        r.live = false;
        if let (Some(how), true) = (failure, r.measured) {
            let window = r.window as usize;
            w.stats.fail(window, how);
        }
        w.free.push(id);
    }
}
