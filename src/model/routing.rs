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
//! Sets are rebuilt on every state change (rare next to requests), so the
//! dispatcher's per-request work is a lookup.

use super::node::Life;
use super::node::Role;
use super::World;
use crate::metrics::{Cause, NodeView, ViewChange};
use crate::scenario::{Architecture, Route};

pub struct Routing {
    /// Per class: candidate nodes in id order.
    pub sets: Vec<Vec<u32>>,
    class_up: Vec<bool>,
    /// ZooKeeper's pause is in force: no master, every class waits.
    pub paused: bool,
    /// A pause has just ended: held requests go out after this event.
    pub release: bool,
}

impl Routing {
    pub fn new(classes: usize) -> Self {
        Routing {
            sets: vec![Vec::new(); classes],
            class_up: vec![true; classes],
            paused: false,
            release: false,
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

    /// Rebuilds the routing sets and reports the service state from now on.
    pub(super) fn refresh(&mut self, cause: Cause) {
        let cause = self.origin.unwrap_or(cause);
        let arch = self.sc.architecture;
        let leader = self.leader();
        let mut sets = std::mem::take(&mut self.routing.sets);
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
        // ZooKeeper's pause: while no master is known, every class waits.
        let master_known = leader.is_some_and(|l| self.nodes[l as usize].marked_up);
        let paused =
            arch == Architecture::AsymmetricCluster && self.sc.election.pause && !master_known;
        self.routing.release |= self.routing.paused && !paused;
        self.routing.paused = paused;
        let mut up = !paused;
        for (c, (set, class)) in sets.iter().zip(&self.sc.dispatch.classes).enumerate() {
            // A master task is served only by the master, whoever receives it.
            let ok = if class.route == Route::Master && self.sc.election.forward {
                leader.is_some_and(|l| set.contains(&l) && self.serves(l))
            } else {
                set.iter().any(|&n| self.serves(n))
            };
            self.routing.class_up[c] = ok && !paused;
            up &= ok;
        }
        self.routing.sets = sets;
        let now = self.now();
        self.uptime.update(now, up, &self.routing.class_up, cause);
        self.split_brain_check();
        if self.views.is_some() && now < self.sc.horizon_ns() {
            self.record_views(now);
        }
    }

    /// What each node is doing, for the timeline chart.
    fn view(&self, node: u32) -> NodeView {
        let n = &self.nodes[node as usize];
        let candidate = self.roles.promotion.as_ref().and_then(|p| p.candidate);
        match n.life {
            Life::Down => NodeView::Down,
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
            if *old != Some(new) {
                *old = Some(new);
                changes.push(ViewChange {
                    time_ns: now,
                    node: node as u32,
                    view: new,
                });
            }
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
