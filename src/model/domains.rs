//! Failure domains and the dispatcher as a component (SPEC §7).
//!
//! A domain that goes down walks only what it contains (its members, hit or
//! not, and its sub-domains' members, transitively) and drives each node it
//! hits through the same transitions as the node's own crash and repair (a
//! `crash` domain) or a scripted partition and its heal (a `partition`
//! domain). Each node counts its active "stop reasons" (`Node::stops`) and
//! "cut reasons" (`Node::cuts`): it is running while its own process is up
//! and no crash domain above it is down, reachable while no partition domain
//! separating it from the dispatcher is down. Routing, heartbeats, tasks,
//! forwarding and raft majorities read `running()` and `reachable()` as
//! before: nothing is computed per request.
//!
//! A domain's own failure process runs on its own named streams, and so does
//! each dispatcher's: a node's failure history does not change when domains
//! are added (common random numbers). With no domain and no `[dispatcher]`
//! none of this exists (`World::dom` is None).

use super::{Ev, World};
use crate::metrics::domain_trace::{DomainTrace, DISPATCHER_ROW};
use crate::metrics::{Cause, Root};
use crate::scenario::Effect;
use crate::sim::{Phase, Stream, StreamKind};

/// What a `Ev::Domain` event does.
pub const DOMAIN_FAIL: u8 = 0;
pub const DOMAIN_REPAIR: u8 = 1;
pub const DISPATCHER_FAIL: u8 = 2;
pub const DISPATCHER_REPAIR: u8 = 3;
pub const DISPATCHER_TAKEOVER: u8 = 4;

struct DomainState {
    /// Its own failure process has it down.
    own_down: bool,
    /// Down by itself or through its gate.
    down: bool,
    gen: u32,
    /// The nodes this failure hit (stopped or cut), with repeats.
    affected: Vec<u32>,
    /// This failure stopped (or cut off) the dispatcher.
    dispatcher_hit: bool,
    failure: Stream,
    repair: Stream,
    hit: Stream,
}

struct DispatcherState {
    up: Vec<bool>,
    gen: Vec<u32>,
    /// The dispatcher in charge; None while none is active.
    active: Option<u32>,
    /// Crash or partition domains holding the dispatcher that are down.
    stops: u32,
    /// A takeover is under way (its generation).
    takeover_gen: u32,
    taking_over: bool,
    failure: Vec<Stream>,
    repair: Vec<Stream>,
    takeover: Stream,
}

pub struct Domains {
    state: Vec<DomainState>,
    /// For each domain, the domains whose `any_of` gate lists it.
    gated: Vec<Vec<u32>>,
    dispatcher: Option<DispatcherState>,
    /// Replication 0's domain and dispatcher changes (the timeline's bands).
    pub(super) trace: Option<DomainTrace>,
}

impl Domains {
    /// None when the scenario declares no domain and no dispatcher.
    pub fn new(sc: &crate::scenario::Scenario, seed: u64, trace: bool) -> Option<Box<Self>> {
        if sc.domains.is_empty() && sc.dispatcher.is_none() {
            return None;
        }
        let state = (0..sc.domains.len() as u64)
            .map(|i| DomainState {
                own_down: false,
                down: false,
                gen: 0,
                affected: Vec::new(),
                dispatcher_hit: false,
                failure: Stream::new(seed, StreamKind::DomainFailure, i),
                repair: Stream::new(seed, StreamKind::DomainRepair, i),
                hit: Stream::new(seed, StreamKind::DomainHit, i),
            })
            .collect();
        let mut gated = vec![Vec::new(); sc.domains.len()];
        for (i, d) in sc.domains.iter().enumerate() {
            for &g in &d.any_of {
                gated[g as usize].push(i as u32);
            }
        }
        let holds_dispatcher = sc.domains.iter().any(|d| d.dispatcher);
        let count = sc
            .dispatcher
            .as_ref()
            .map_or(holds_dispatcher as u32, |d| d.count) as usize;
        let dispatcher = (count > 0).then(|| DispatcherState {
            up: vec![true; count],
            gen: vec![0; count],
            active: Some(0),
            stops: 0,
            takeover_gen: 0,
            taking_over: false,
            failure: (0..count as u64)
                .map(|i| Stream::new(seed, StreamKind::DispatcherFailure, i))
                .collect(),
            repair: (0..count as u64)
                .map(|i| Stream::new(seed, StreamKind::DispatcherRepair, i))
                .collect(),
            takeover: Stream::new(seed, StreamKind::DispatcherTakeover, 0),
        });
        Some(Box::new(Domains {
            state,
            gated,
            dispatcher,
            trace: trace.then(DomainTrace::default),
        }))
    }
}

impl World<'_> {
    /// Schedules every domain's and dispatcher's first failure.
    pub(super) fn domains_start(&mut self) {
        for d in 0..self.sc.domains.len() as u32 {
            self.domain_life(d);
        }
        let count = self.sc.dispatcher.as_ref().map_or(0, |d| d.count);
        for i in 0..count {
            self.dispatcher_life(i);
        }
    }

    /// Whether a dispatcher is active: requests can be sent.
    pub(super) fn dispatcher_ok(&self) -> bool {
        match &self.dom {
            None => true,
            Some(dom) => dom
                .dispatcher
                .as_ref()
                .is_none_or(|d| d.active.is_some() && d.stops == 0),
        }
    }

    pub(super) fn on_domain_event(&mut self, kind: u8, index: u32, gen: u32) {
        match kind {
            DOMAIN_FAIL => self.on_domain_fail(index, gen),
            DOMAIN_REPAIR => self.on_domain_repair(index, gen),
            DISPATCHER_FAIL => self.on_dispatcher_fail(index, gen),
            DISPATCHER_REPAIR => self.on_dispatcher_repair(index, gen),
            _ => self.on_dispatcher_takeover(gen),
        }
    }

    fn dom(&mut self) -> &mut Domains {
        self.dom.as_mut().expect("domain events need domains")
    }

    fn domain_life(&mut self, d: u32) {
        if self.sc.perfect == Some(Root::Domain(d)) {
            return;
        }
        let sc = self.sc;
        if let Some(f) = &sc.domains[d as usize].failure {
            let st = &mut self.dom.as_mut().expect("domains").state[d as usize];
            let ttf = f.sample(&mut st.failure).max(1);
            let gen = st.gen;
            self.after(
                ttf,
                Phase::Normal,
                Ev::Domain {
                    kind: DOMAIN_FAIL,
                    index: d,
                    gen,
                },
            );
        }
    }

    fn on_domain_fail(&mut self, d: u32, gen: u32) {
        let sc = self.sc;
        let spec = &sc.domains[d as usize];
        let st = &mut self.dom.as_mut().expect("domains").state[d as usize];
        if st.gen != gen || st.own_down {
            return;
        }
        st.own_down = true;
        let r = spec.repair.as_ref().map_or(0, |r| r.sample(&mut st.repair));
        // SPEC §7 `nodes.crews`: the repair may wait for a crew.
        self.domain_repair_after(d, gen, r, &spec.name);
        self.with_root(Root::Domain(d), "domain_failed", |w| w.domain_update(d));
    }

    fn on_domain_repair(&mut self, d: u32, gen: u32) {
        let st = &mut self.dom().state[d as usize];
        if st.gen != gen || !st.own_down {
            return;
        }
        st.own_down = false;
        st.gen += 1;
        let name = self.sc.domains[d as usize].name.clone();
        self.log(None, "domain_repaired", || format!("{name} is back"));
        if self.crews.is_some() {
            self.crew_done(super::crews::Job::Domain(d));
        }
        self.with_root(Root::Domain(d), "domain_repaired", |w| w.domain_update(d));
        self.domain_life(d);
    }

    /// Runs `f` with `root` as the component behind every state change it
    /// causes (outage attribution), then reports the service state.
    fn with_root(&mut self, root: Root, event: &'static str, f: impl FnOnce(&mut Self)) {
        let cause = Cause { event, node: None };
        let (hint, origin) = (self.uptime.hint, self.origin);
        self.uptime.hint = Some(root);
        self.origin = Some(cause);
        f(self);
        self.refresh(cause);
        self.uptime.hint = hint;
        self.origin = origin;
    }

    /// Recomputes a domain's state (own failure or gate) and applies a change
    /// to what it contains, then to the domains it gates.
    fn domain_update(&mut self, d: u32) {
        let sc = self.sc;
        let spec = &sc.domains[d as usize];
        let dom = self.dom.as_ref().expect("domains");
        let st = &dom.state[d as usize];
        let gate =
            !spec.any_of.is_empty() && spec.any_of.iter().all(|&g| dom.state[g as usize].down);
        let down = st.own_down || gate;
        if down == st.down {
            return;
        }
        self.dom().state[d as usize].down = down;
        self.trace_domain(d, down);
        if down {
            self.domain_down(d);
        } else {
            self.domain_up(d);
        }
        let gated = self.dom.as_ref().expect("domains").gated[d as usize].clone();
        for g in gated {
            self.domain_update(g);
        }
    }

    /// The nodes a domain contains, transitively, and whether the
    /// dispatcher is among them; `hit` draws decide which direct members of
    /// `d` are hit (a hit sub-domain brings all it contains).
    fn contents(&mut self, d: u32, draw: bool, nodes: &mut Vec<u32>) -> bool {
        let sc = self.sc;
        let spec = &sc.domains[d as usize];
        let hit = if draw { spec.hit } else { 1.0 };
        let mut dispatcher = false;
        let pick = |w: &mut Self| hit >= 1.0 || w.dom().state[d as usize].hit.unit() < hit;
        for &n in &spec.nodes {
            if pick(self) {
                nodes.push(n);
            }
        }
        for &c in &spec.children {
            if pick(self) {
                dispatcher |= self.contents(c, false, nodes);
            }
        }
        if spec.dispatcher && pick(self) {
            dispatcher = true;
        }
        dispatcher
    }

    fn domain_down(&mut self, d: u32) {
        let mut nodes = std::mem::take(&mut self.dom().state[d as usize].affected);
        nodes.clear();
        let mut dispatcher = self.contents(d, true, &mut nodes);
        // Stopped and back in id order (the exact chain's), whatever the
        // order of the members (the hit draws keep it): the candidate a
        // promotion picks must not depend on how the member list is written.
        nodes.sort_unstable();
        let sc = self.sc;
        match sc.domains[d as usize].effect {
            Effect::Crash => {
                for &n in &nodes {
                    self.stop_node(n);
                }
            }
            Effect::Partition if dispatcher => {
                // The dispatcher is inside: everything outside is cut off
                // from it (and it is not itself stopped).
                let mut inside = vec![false; self.nodes.len()];
                for &n in &nodes {
                    inside[n as usize] = true;
                }
                nodes = (0..self.nodes.len() as u32)
                    .filter(|&n| !inside[n as usize])
                    .collect();
                dispatcher = false;
                for &n in &nodes {
                    self.cut_node(n);
                }
            }
            Effect::Partition => {
                for &n in &nodes {
                    self.cut_node(n);
                }
            }
        }
        if dispatcher {
            self.dispatcher_stops(1);
        }
        let st = &mut self.dom().state[d as usize];
        st.affected = nodes;
        st.dispatcher_hit = dispatcher;
    }

    fn domain_up(&mut self, d: u32) {
        let st = &mut self.dom().state[d as usize];
        let nodes = std::mem::take(&mut st.affected);
        let dispatcher = std::mem::replace(&mut st.dispatcher_hit, false);
        let sc = self.sc;
        match sc.domains[d as usize].effect {
            Effect::Crash => {
                for &n in &nodes {
                    self.unstop_node(n);
                }
            }
            Effect::Partition => {
                for &n in &nodes {
                    self.uncut_node(n);
                }
            }
        }
        if dispatcher {
            self.dispatcher_stops(-1);
        }
        self.dom().state[d as usize].affected = nodes;
    }

    /// A crash domain above the node goes down: the node stops as in a
    /// crash, but its own failure and repair go on.
    fn stop_node(&mut self, node: u32) {
        self.touch(node);
        let n = &mut self.nodes[node as usize];
        let was = n.running();
        n.stops += 1;
        if !was {
            return;
        }
        n.work_gen += 1;
        n.hung = false;
        n.slow = 1.0;
        let tasks: Vec<_> = n.busy.drain(..).chain(n.waiting.drain(..)).collect();
        self.log(Some(node), "stopped", || {
            "a domain it belongs to is down".into()
        });
        self.detection_on_crash(node);
        self.roles_on_crash(node);
        self.detect(node, false);
        self.fail_tasks(tasks);
    }

    fn unstop_node(&mut self, node: u32) {
        self.touch(node);
        let n = &mut self.nodes[node as usize];
        n.stops -= 1;
        if !n.running() {
            return;
        }
        self.log(Some(node), "restarted", || {
            "its domains are up again".into()
        });
        let replaced = std::mem::take(&mut self.nodes[node as usize].replaced_stopped);
        self.roles_on_return(node, replaced);
        self.detection_forget(node);
        self.detect(node, false);
    }

    /// A partition domain separating the node from the dispatcher is down.
    fn cut_node(&mut self, node: u32) {
        self.touch(node);
        let n = &mut self.nodes[node as usize];
        let was = n.reachable();
        n.cuts += 1;
        if !was {
            return;
        }
        self.lose_tasks(node);
        self.log(Some(node), "cut_off", || {
            "a partition domain cuts it off from the dispatcher".into()
        });
        self.roles_on_crash(node);
        self.detect(node, false);
    }

    fn uncut_node(&mut self, node: u32) {
        self.touch(node);
        let n = &mut self.nodes[node as usize];
        n.cuts -= 1;
        if !n.reachable() {
            return;
        }
        self.log(Some(node), "reconnected", || "reachable again".into());
        self.roles_on_return(node, false);
        self.detect(node, false);
    }

    // ---- the dispatcher --------------------------------------------------

    fn dispatcher_life(&mut self, i: u32) {
        if self.sc.perfect == Some(Root::Dispatcher(i)) {
            return;
        }
        let sc = self.sc;
        let Some(spec) = &sc.dispatcher else {
            return;
        };
        if let Some(f) = &spec.failure {
            let d = self.dom().dispatcher.as_mut().expect("dispatcher");
            let ttf = f.sample(&mut d.failure[i as usize]).max(1);
            let gen = d.gen[i as usize];
            self.after(
                ttf,
                Phase::Normal,
                Ev::Domain {
                    kind: DISPATCHER_FAIL,
                    index: i,
                    gen,
                },
            );
        }
    }

    fn dispatcher_stops(&mut self, delta: i32) {
        if let Some(d) = self.dom().dispatcher.as_mut() {
            d.stops = d.stops.saturating_add_signed(delta);
        }
        self.trace_dispatcher();
    }

    /// Records a domain's change for the timeline (replication 0 only).
    fn trace_domain(&mut self, d: u32, down: bool) {
        let (now, horizon) = (self.now(), self.sc.horizon_ns());
        if let Some(t) = self.dom().trace.as_mut() {
            t.record(now, horizon, d, down);
        }
    }

    /// Records the dispatcher's state (none active) if it changed: O(1).
    fn trace_dispatcher(&mut self) {
        let down = !self.dispatcher_ok();
        let (now, horizon) = (self.now(), self.sc.horizon_ns());
        if let Some(t) = self.dom().trace.as_mut() {
            if t.dispatcher_down != down {
                t.dispatcher_down = down;
                t.record(now, horizon, DISPATCHER_ROW, down);
            }
        }
    }

    fn on_dispatcher_fail(&mut self, i: u32, gen: u32) {
        let sc = self.sc;
        let spec = sc.dispatcher.as_ref().expect("dispatcher");
        let d = self
            .dom
            .as_mut()
            .expect("domains")
            .dispatcher
            .as_mut()
            .expect("dispatcher");
        if d.gen[i as usize] != gen || !d.up[i as usize] {
            return;
        }
        d.up[i as usize] = false;
        let r = spec
            .repair
            .as_ref()
            .map_or(0, |r| r.sample(&mut d.repair[i as usize]));
        let was_active = d.active == Some(i);
        self.log(None, "dispatcher_failed", || {
            format!(
                "dispatcher {i} fails{}; repair in {}",
                if was_active { " (the active one)" } else { "" },
                crate::sim::time::human(r)
            )
        });
        self.after(
            r,
            Phase::Normal,
            Ev::Domain {
                kind: DISPATCHER_REPAIR,
                index: i,
                gen,
            },
        );
        if was_active {
            self.with_root(Root::Dispatcher(i), "dispatcher_failed", |w| {
                let d = w.dom().dispatcher.as_mut().expect("dispatcher");
                d.active = None;
                w.trace_dispatcher();
                w.dispatcher_start_takeover();
            });
        }
    }

    /// A standby takes over after a `takeover` draw, if one is up.
    fn dispatcher_start_takeover(&mut self) {
        let sc = self.sc;
        let spec = sc.dispatcher.as_ref().expect("dispatcher");
        let d = self.dom().dispatcher.as_mut().expect("dispatcher");
        if d.taking_over || d.active.is_some() || !d.up.iter().any(|&u| u) {
            return;
        }
        d.taking_over = true;
        d.takeover_gen += 1;
        let gen = d.takeover_gen;
        let t = spec.takeover.sample(&mut d.takeover);
        self.after(
            t,
            Phase::Normal,
            Ev::Domain {
                kind: DISPATCHER_TAKEOVER,
                index: 0,
                gen,
            },
        );
    }

    fn on_dispatcher_takeover(&mut self, gen: u32) {
        let d = self.dom().dispatcher.as_mut().expect("dispatcher");
        if !d.taking_over || d.takeover_gen != gen {
            return;
        }
        d.taking_over = false;
        // If every standby failed meanwhile, the first one repaired takes over.
        if let Some(i) = d.up.iter().position(|&u| u) {
            d.active = Some(i as u32);
            self.trace_dispatcher();
            self.log(None, "dispatcher_took_over", || {
                format!("dispatcher {i} is now the active one")
            });
            self.refresh(Cause {
                event: "dispatcher_took_over",
                node: None,
            });
        }
    }

    fn on_dispatcher_repair(&mut self, i: u32, gen: u32) {
        let d = self.dom().dispatcher.as_mut().expect("dispatcher");
        if d.gen[i as usize] != gen || d.up[i as usize] {
            return;
        }
        d.up[i as usize] = true;
        d.gen[i as usize] += 1;
        self.log(None, "dispatcher_repaired", || {
            format!("dispatcher {i} is back")
        });
        let d = self.dom().dispatcher.as_mut().expect("dispatcher");
        if d.active.is_none() {
            // None was active (or the one taking over failed since): the
            // repaired one restarts in charge.
            d.taking_over = false;
            d.active = Some(i);
            self.trace_dispatcher();
            self.refresh(Cause {
                event: "dispatcher_repaired",
                node: None,
            });
        }
        self.dispatcher_life(i);
    }
}
