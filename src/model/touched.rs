//! Incremental routing (issue 8 §1): the routing sets, the service state
//! and replication 0's node views follow the nodes whose state changed,
//! for every architecture.
//!
//! Every write to what routing or a view reads of a node (`life`, `stops`,
//! `cuts`, `partitioned`, `hung`, `marked_up`, `role`) is followed by
//! `touch(node)`, which lists the node once until the next `refresh`. The
//! refresh then moves only the listed nodes between the sets (a binary
//! search in each set), keeps per class the count of members that serve
//! (`class_up` without a scan), and records the views of the listed nodes
//! and of the promotion candidate that came or went, in id order as a
//! full record would. Sets that hold at most one node (the primary the
//! dispatcher points to, the asymmetric master) are rebuilt, which costs
//! O(1). A leader change is two touched nodes: the old and the new one.
//!
//! Between refreshes the leader and the count of reachable nodes (Raft's
//! quorum) are the values at the last refresh corrected by the listed
//! nodes: O(1) per touched node instead of a scan of every node.
//!
//! Debug builds check the sets, `class_up`, the leader, the quorum count
//! and every node's last view against a full rebuild at every change.

use super::node::Role;
use super::World;
use crate::scenario::{Architecture, Route};

/// How a class's set follows the nodes (SPEC §2, `routing.rs`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// The node the dispatcher calls primary (standby; master-slave master
    /// tasks): at most one node, rebuilt.
    Dispatch,
    /// The master if marked up (asymmetric master tasks without
    /// forwarding): at most one node, rebuilt.
    Master,
    /// Every node marked up (symmetric cluster).
    Up,
    /// Every node marked up that holds a role, leader or follower
    /// (`any` tasks; asymmetric master tasks with forwarding).
    UpRole,
    /// Every follower, marked up or not; the dispatcher's primary when
    /// there is none (master-slave slave tasks).
    Slaves,
    /// Every follower marked up (asymmetric slave tasks).
    UpSlaves,
}

impl Kind {
    fn of(arch: Architecture, route: Route, forward: bool) -> Kind {
        match arch {
            Architecture::ColdStandby | Architecture::WarmStandby => Kind::Dispatch,
            Architecture::MasterSlave => match route {
                Route::Master => Kind::Dispatch,
                Route::Slave => Kind::Slaves,
                Route::Any => Kind::UpRole,
            },
            Architecture::SymmetricCluster => Kind::Up,
            Architecture::AsymmetricCluster => match route {
                Route::Master if forward => Kind::UpRole,
                Route::Master => Kind::Master,
                Route::Slave => Kind::UpSlaves,
                Route::Any => Kind::UpRole,
            },
        }
    }

    /// Whether a node in state `s` belongs to a set of this kind (kinds
    /// whose set follows single nodes).
    fn member(self, s: Seen) -> bool {
        match self {
            Kind::Up => s.marked_up,
            Kind::UpRole => s.marked_up && s.role != Role::Vacant,
            Kind::Slaves => s.role == Role::Follower,
            Kind::UpSlaves => s.marked_up && s.role == Role::Follower,
            Kind::Dispatch | Kind::Master => false,
        }
    }
}

/// What routing read of a node at the last refresh.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Seen {
    role: Role,
    marked_up: bool,
    serves: bool,
    reachable: bool,
}

/// The state of the incremental update, in `Routing`.
#[derive(Default)]
pub struct Track {
    /// Built once from every node: updates may follow.
    synced: bool,
    /// Per class.
    kinds: Vec<Kind>,
    /// Per class: members that serve (kinds that follow single nodes).
    serving: Vec<u32>,
    /// Per class of kind `Slaves`: no follower, the set holds the primary.
    fallback: Vec<bool>,
    /// Per node, as at the last refresh.
    seen: Vec<Seen>,
    /// Per node: listed in `list`.
    flag: Vec<bool>,
    /// Nodes touched since the last refresh.
    list: Vec<u32>,
    /// The leader at the last refresh.
    leader: Option<u32>,
    /// Reachable nodes at the last refresh.
    reachable: usize,
    /// The promotion candidate at the last refresh (its view differs).
    candidate: Option<u32>,
}

impl Track {
    /// Whether the sets reflect every node (the first refresh is past).
    pub fn synced(&self) -> bool {
        self.synced
    }
}

impl World<'_> {
    /// `node`'s state changed in a way routing or its view may see: the
    /// next refresh updates it.
    pub(super) fn touch(&mut self, node: u32) {
        let t = &mut self.routing.track;
        if let Some(f) = t.flag.get_mut(node as usize) {
            if !*f {
                *f = true;
                t.list.push(node);
            }
        }
    }

    fn seen(&self, node: u32) -> Seen {
        let n = &self.nodes[node as usize];
        Seen {
            role: n.role,
            marked_up: n.marked_up,
            serves: self.serves(node),
            reachable: n.reachable(),
        }
    }

    /// The lowest-id node holding the leader role: the leader at the last
    /// refresh unless it was touched since, or a touched node.
    pub(super) fn tracked_leader(&self) -> Option<u32> {
        let t = &self.routing.track;
        let is_leader = |i: u32| self.nodes[i as usize].role == Role::Leader;
        if !t.synced {
            return (0..self.nodes.len() as u32).find(|&i| is_leader(i));
        }
        let mut best = t.leader.filter(|&l| is_leader(l));
        for &i in &t.list {
            if is_leader(i) && best.is_none_or(|b| i < b) {
                best = Some(i);
            }
        }
        best
    }

    /// How many nodes are running and reachable.
    pub(super) fn reachable_count(&self) -> usize {
        let t = &self.routing.track;
        let count = if !t.synced {
            self.nodes.iter().filter(|n| n.reachable()).count()
        } else {
            let mut c = t.reachable as isize;
            for &i in &t.list {
                let now = self.nodes[i as usize].reachable();
                c += now as isize - t.seen[i as usize].reachable as isize;
            }
            c as usize
        };
        debug_assert_eq!(
            count,
            self.nodes.iter().filter(|n| n.reachable()).count(),
            "reachable nodes"
        );
        count
    }

    /// After the full build of `sets`: what the updates start from.
    pub(super) fn track_sync(&mut self, sets: &[Vec<u32>], leader: Option<u32>) {
        let arch = self.sc.architecture;
        let forward = self.sc.election.forward;
        let n = self.nodes.len();
        let kinds: Vec<Kind> = (self.sc.dispatch.classes.iter())
            .map(|c| Kind::of(arch, c.route, forward))
            .collect();
        let seen: Vec<Seen> = (0..n as u32).map(|i| self.seen(i)).collect();
        let serving = kinds
            .iter()
            .map(|&k| seen.iter().filter(|&&s| k.member(s) && s.serves).count() as u32)
            .collect();
        let fallback = (kinds.iter().zip(sets))
            .map(|(&k, set)| {
                k == Kind::Slaves && !set.iter().any(|&i| seen[i as usize].role == Role::Follower)
            })
            .collect();
        let t = &mut self.routing.track;
        t.reachable = seen.iter().filter(|s| s.reachable).count();
        t.kinds = kinds;
        t.serving = serving;
        t.fallback = fallback;
        t.seen = seen;
        t.flag = vec![false; n];
        t.list.clear();
        t.leader = leader;
        t.candidate = self.roles.promotion.as_ref().and_then(|p| p.candidate);
        t.synced = true;
    }

    /// Moves the touched nodes between the sets; rebuilds the sets of at
    /// most one node. The list stays for the views (`track_views`).
    pub(super) fn track_update(&mut self, sets: &mut [Vec<u32>], leader: Option<u32>) {
        // Fields, not the whole `Track` moved out: it is read per node.
        for (c, set) in sets.iter_mut().enumerate() {
            if self.routing.track.fallback[c] {
                // The primary stood in for followers: none were there.
                set.clear();
                self.routing.track.fallback[c] = false;
            }
        }
        for k in 0..self.routing.track.list.len() {
            let i = self.routing.track.list[k];
            let new = self.seen(i);
            let t = &mut self.routing.track;
            let old = t.seen[i as usize];
            if old == new {
                continue;
            }
            for (c, set) in sets.iter_mut().enumerate() {
                let kind = t.kinds[c];
                let (was, is) = (kind.member(old), kind.member(new));
                match (was, is) {
                    (false, true) => {
                        let at = set.binary_search(&i).expect_err("not a member yet");
                        set.insert(at, i);
                    }
                    (true, false) => {
                        let at = set.binary_search(&i).expect("a member");
                        set.remove(at);
                    }
                    _ => {}
                }
                t.serving[c] -= u32::from(was && old.serves);
                t.serving[c] += u32::from(is && new.serves);
            }
            t.reachable = t.reachable + new.reachable as usize - old.reachable as usize;
            t.seen[i as usize] = new;
        }
        let dl = self.roles.dispatch_leader;
        let master = leader.filter(|&l| self.nodes[l as usize].marked_up);
        let t = &mut self.routing.track;
        for (c, set) in sets.iter_mut().enumerate() {
            match t.kinds[c] {
                Kind::Dispatch => {
                    set.clear();
                    set.extend(dl);
                }
                Kind::Master => {
                    set.clear();
                    set.extend(master);
                }
                Kind::Slaves if set.is_empty() => {
                    set.extend(dl);
                    t.fallback[c] = true;
                }
                _ => {}
            }
        }
        t.leader = leader;
    }

    /// Whether class `c`'s set (`set`) holds a node that can serve it,
    /// from the counts kept: O(1), or O(log n) for master tasks forwarded.
    pub(super) fn class_ok(&self, c: usize, set: &[u32], leader: Option<u32>) -> bool {
        let t = &self.routing.track;
        let ok = if self.sc.dispatch.classes[c].route == Route::Master && self.sc.election.forward {
            // A master task is served only by the master, whoever receives it.
            leader.is_some_and(|l| set.binary_search(&l).is_ok() && self.serves(l))
        } else {
            match t.kinds[c] {
                Kind::Dispatch | Kind::Master => set.iter().any(|&n| self.serves(n)),
                Kind::Slaves if t.fallback[c] => set.iter().any(|&n| self.serves(n)),
                _ => t.serving[c] > 0,
            }
        };
        #[cfg(debug_assertions)]
        {
            let full =
                if self.sc.dispatch.classes[c].route == Route::Master && self.sc.election.forward {
                    leader.is_some_and(|l| set.contains(&l) && self.serves(l))
                } else {
                    set.iter().any(|&n| self.serves(n))
                };
            assert_eq!(ok, full, "class {c} up");
        }
        ok
    }

    /// The nodes whose view may have changed since the last refresh, in id
    /// order: the touched ones and the promotion candidates old and new.
    /// Empties the list; `track_give` hands its buffer back.
    pub(super) fn track_take(&mut self) -> Vec<u32> {
        let candidate = self.roles.promotion.as_ref().and_then(|p| p.candidate);
        let t = &mut self.routing.track;
        let mut nodes = std::mem::take(&mut t.list);
        if t.candidate != candidate {
            nodes.extend(t.candidate);
            nodes.extend(candidate);
            t.candidate = candidate;
        }
        for &i in &nodes {
            t.flag[i as usize] = false;
        }
        if nodes.len() > 1 {
            nodes.sort_unstable();
            nodes.dedup();
        }
        nodes
    }

    /// Returns the buffer `track_take` gave (no allocation per refresh).
    pub(super) fn track_give(&mut self, mut nodes: Vec<u32>) {
        nodes.clear();
        self.routing.track.list = nodes;
    }
}
