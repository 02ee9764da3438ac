//! Routing: for each task class, the set of nodes the dispatcher would send
//! it to, and whether the service is up (SPEC §3: for every class, that set
//! holds a node that can actually serve it).
//!
//! - standby: every class goes to the node the dispatcher calls primary;
//! - master-slave: master classes to that node; slave classes to the slaves
//!   (no health check), or to the master when there is no slave; `any`
//!   classes to every node marked up;
//! - symmetric cluster: every node marked up;
//! - asymmetric cluster: the master if marked up; slaves marked up; `any` =
//!   every marked-up node, the master included.
//!
//! The dispatcher's per-request work is a lookup. In every architecture a
//! state change updates only the nodes it happened to (a binary search in
//! each set, a leader change being two nodes), keeps counts for `class_up`
//! and records only those nodes' views (issue 8, `touched`). Debug builds
//! check the update against a rebuild at every change.

use super::node::Life;
use super::node::Role;
use super::World;
use crate::metrics::{Cause, NodeView, ViewChange};
use crate::scenario::{Architecture, Route};

pub struct Routing {
    /// Per class: candidate nodes in id order.
    pub sets: Vec<Vec<u32>>,
    pub(super) class_up: Vec<bool>,
    /// ZooKeeper's pause is in force: no master, every class waits.
    pub paused: bool,
    /// A pause has just ended: held requests go out after this event.
    pub release: bool,
    /// What the update of the sets by the nodes touched starts from.
    pub(super) track: super::touched::Track,
}

impl Routing {
    pub fn new(classes: usize) -> Self {
        Routing {
            sets: vec![Vec::new(); classes],
            class_up: vec![true; classes],
            paused: false,
            release: false,
            track: Default::default(),
        }
    }
}

impl World<'_> {
    /// Whether `node` would do the work of a task sent to it now.
    pub(super) fn serves(&self, node: u32) -> bool {
        let n = &self.nodes[node as usize];
        n.answers()
            && match n.role {
                Role::Leader => true,
                Role::Follower => self.sc.architecture.followers_serve(),
                Role::Vacant => false,
            }
    }

    /// Updates the routing sets and reports the service state from now on.
    pub(super) fn refresh(&mut self, cause: Cause) {
        // After the first (full) build, only the nodes touched since the
        // last refresh change their membership (`touched`).
        let synced = self.routing.track.synced();
        let cause = self.origin.unwrap_or(cause);
        let arch = self.sc.architecture;
        // No leader to look for in a symmetric cluster.
        let leader = if arch.has_leader() {
            self.leader()
        } else {
            debug_assert_eq!(self.leader(), None, "a leader in a symmetric cluster");
            None
        };
        let mut sets = std::mem::take(&mut self.routing.sets);
        if synced {
            self.track_update(&mut sets, leader);
            #[cfg(debug_assertions)]
            {
                let mut full = vec![Vec::new(); sets.len()];
                self.build_sets(leader, &mut full);
                assert_eq!(sets, full, "incremental routing at {:?}", cause);
            }
        } else {
            self.build_sets(leader, &mut sets);
            self.track_sync(&sets, leader);
        }
        // ZooKeeper's pause: while no master is known, every class waits.
        let master_known = leader.is_some_and(|l| self.nodes[l as usize].marked_up);
        let paused =
            arch == Architecture::AsymmetricCluster && self.sc.election.pause && !master_known;
        self.routing.release |= self.routing.paused && !paused;
        self.routing.paused = paused;
        let mut up = !paused;
        // SPEC §7: no active dispatcher, no service.
        let dispatcher = self.dispatcher_ok();
        for (c, set) in sets.iter().enumerate() {
            let ok = self.class_ok(c, set, leader);
            self.routing.class_up[c] = ok && !paused && dispatcher;
            up &= ok && dispatcher;
        }
        self.routing.sets = sets;
        let now = self.now();
        self.uptime.update(now, up, &self.routing.class_up, cause);
        self.outages_hand_on();
        self.split_brain_check();
        // Past `VIEW_CAP` changes the record is cut (metrics::views).
        let recording = self
            .views
            .as_ref()
            .is_some_and(|v| crate::metrics::views::may_record(v.1.len()));
        let changed = self.track_take();
        if recording && now < self.sc.horizon_ns() {
            if synced {
                // Nothing of another node's view changed.
                for &node in &changed {
                    self.record_view(now, node);
                }
                #[cfg(debug_assertions)]
                {
                    let (last, changes) = self.views.as_ref().expect("checked");
                    // Once the record is cut, views stop following.
                    if crate::metrics::views::may_record(changes.len()) {
                        for (i, last) in last.iter().enumerate() {
                            assert_eq!(*last, Some(self.view(i as u32)), "view of node {i}");
                        }
                    }
                }
            } else {
                self.record_views(now);
            }
        }
        self.track_give(changed);
    }

    /// Rebuilds every class's set from every node.
    fn build_sets(&self, leader: Option<u32>, sets: &mut [Vec<u32>]) {
        let arch = self.sc.architecture;
        for (set, class) in sets.iter_mut().zip(&self.sc.dispatch.classes) {
            set.clear();
            match arch {
                Architecture::ColdStandby | Architecture::WarmStandby => {
                    set.extend(self.roles.dispatch_leader);
                }
                Architecture::MasterSlave => {
                    let dl = self.roles.dispatch_leader;
                    let slaves = self.followers(|_| true);
                    match class.route {
                        Route::Master => set.extend(dl),
                        Route::Slave if slaves.clone().next().is_some() => set.extend(slaves),
                        Route::Slave => set.extend(dl),
                        // SPEC §2: `any` means every node marked up, the master included.
                        Route::Any => set.extend((0..self.nodes.len() as u32).filter(|&i| {
                            let n = &self.nodes[i as usize];
                            n.marked_up && matches!(n.role, Role::Leader | Role::Follower)
                        })),
                    }
                }
                Architecture::SymmetricCluster => {
                    set.extend(
                        (0..self.nodes.len() as u32).filter(|&i| self.nodes[i as usize].marked_up),
                    );
                }
                Architecture::AsymmetricCluster => {
                    let master = leader.filter(|&l| self.nodes[l as usize].marked_up);
                    let slaves = self.followers(|n| n.marked_up);
                    match class.route {
                        // With forwarding, clients send master tasks to
                        // any node; slaves pass them on.
                        Route::Master if self.sc.election.forward => {
                            set.extend(master);
                            set.extend(slaves);
                            set.sort_unstable();
                        }
                        Route::Master => set.extend(master),
                        Route::Slave => set.extend(slaves),
                        Route::Any => {
                            set.extend(master);
                            set.extend(slaves);
                            set.sort_unstable();
                        }
                    }
                }
            }
        }
    }

    /// What each node is doing, for the timeline chart.
    fn view(&self, node: u32) -> NodeView {
        let n = &self.nodes[node as usize];
        let candidate = self.roles.promotion.as_ref().and_then(|p| p.candidate);
        match n.life {
            Life::Down => NodeView::Down,
            Life::Running if n.stops > 0 => NodeView::Down,
            Life::Running if n.cuts > 0 => NodeView::Partitioned,
            Life::Gone => NodeView::Gone,
            Life::Running if n.partitioned => NodeView::Partitioned,
            Life::Running if n.hung => NodeView::Hung,
            Life::Running if candidate == Some(node) => NodeView::Promoting,
            Life::Running if n.role == Role::Leader => NodeView::Primary,
            Life::Running if !n.marked_up => NodeView::Unmarked,
            Life::Running if self.sc.architecture.followers_serve() => NodeView::Serving,
            Life::Running => NodeView::Backup,
        }
    }

    fn record_views(&mut self, now: u64) {
        let fresh: Vec<NodeView> = (0..self.nodes.len() as u32).map(|i| self.view(i)).collect();
        let (last, changes) = self.views.as_mut().expect("checked by the caller");
        for (node, (old, new)) in last.iter_mut().zip(fresh).enumerate() {
            if *old != Some(new) && crate::metrics::views::may_record(changes.len()) {
                *old = Some(new);
                changes.push(ViewChange {
                    time_ns: now,
                    node: node as u32,
                    view: new,
                });
            }
        }
    }

    /// Records `node`'s view if it changed.
    fn record_view(&mut self, now: u64, node: u32) {
        let new = self.view(node);
        let (last, changes) = self.views.as_mut().expect("checked by the caller");
        if last[node as usize] != Some(new) && crate::metrics::views::may_record(changes.len()) {
            last[node as usize] = Some(new);
            changes.push(ViewChange {
                time_ns: now,
                node,
                view: new,
            });
        }
    }

    fn followers<'s>(
        &'s self,
        keep: impl Fn(&super::node::Node) -> bool + Clone + 's,
    ) -> impl Iterator<Item = u32> + Clone + 's {
        self.nodes
            .iter()
            .enumerate()
            .filter(move |(_, n)| n.role == Role::Follower && keep(n))
            .map(|(i, _)| i as u32)
    }
}
