//! SPEC §7 `nodes.crews`: at most this many repairs run at once; the others
//! wait in arrival order, and a repair's time starts when a crew starts on
//! it.
//!
//! `Crews<J>` is the shared queue, knowing nothing of what it repairs: a
//! component that needs a repair calls `request(job)` (true: a crew starts
//! now; false: it waits), and the end of a crew's repair calls `release()`,
//! which hands back the next waiting job (the crew moves straight on to it)
//! or frees the crew. Node repairs (random failures and scripted crashes)
//! and domain repairs share one queue as `Pending` jobs (SPEC: "repairs of
//! nodes and domains"); dispatcher repairs, replacements of permanently failed
//! machines (a new machine is delivered, not repaired) and stonith reboots
//! (a power cycle) do not.
//!
//! The repair time is drawn from the node's own stream when it fails, as
//! without crews, so a node's draws are the same with or without crews
//! (common random numbers) and enough crews for every node reproduce the
//! unlimited run exactly. Without `nodes.crews` none of this exists
//! (`World::crews` is None) and a crash schedules its repair as before.

use super::{Ev, World};
use crate::sim::{time::human, Phase};
use std::collections::VecDeque;

/// A fixed number of crews and the jobs waiting for one, first come first
/// served.
#[derive(Clone, Debug)]
pub struct Crews<J> {
    count: u32,
    busy: u32,
    waiting: VecDeque<J>,
}

impl<J> Crews<J> {
    /// `count` ≥ 1 crews, all idle.
    pub fn new(count: u32) -> Self {
        assert!(count >= 1, "validated: nodes.crews ≥ 1");
        Crews {
            count,
            busy: 0,
            waiting: VecDeque::new(),
        }
    }

    /// A job needs a crew: true if one starts on it now, false if it waits
    /// behind the jobs already waiting.
    pub fn request(&mut self, job: J) -> bool {
        if self.busy < self.count {
            self.busy += 1;
            true
        } else {
            self.waiting.push_back(job);
            false
        }
    }

    /// A crew has finished its job: the next waiting job, which it starts
    /// now, or None (the crew is idle).
    pub fn release(&mut self) -> Option<J> {
        debug_assert!(self.busy > 0, "a release without a request");
        let next = self.waiting.pop_front();
        if next.is_none() {
            self.busy -= 1;
        }
        next
    }

    /// Crews at work.
    #[allow(dead_code)] // for the domain and dispatcher repairs
    pub fn busy(&self) -> u32 {
        self.busy
    }

    /// Jobs waiting for a crew.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }
}

/// What a crew repairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    Node(u32),
    Domain(u32),
}

/// A repair waiting for a crew: what, the generation its repair event must
/// carry and the repair time drawn when it failed.
#[derive(Clone, Copy, Debug)]
pub struct Pending {
    pub job: Job,
    pub gen: u32,
    pub repair_ns: u64,
}

/// The crews of a run's repairs, and which nodes and domains hold one (a
/// stonith reboot also ends in a repair event, but holds no crew).
pub struct NodeCrews {
    queue: Crews<Pending>,
    holds: Vec<bool>,
    domain_holds: Vec<bool>,
}

impl NodeCrews {
    pub fn new(count: u32, nodes: usize, domains: usize) -> Self {
        NodeCrews {
            queue: Crews::new(count),
            holds: vec![false; nodes],
            domain_holds: vec![false; domains],
        }
    }

    fn hold(&mut self, job: Job) -> &mut bool {
        match job {
            Job::Node(n) => &mut self.holds[n as usize],
            Job::Domain(d) => &mut self.domain_holds[d as usize],
        }
    }
}

impl World<'_> {
    /// A node that crashed (`event`) needs a repair of `repair_ns`. `crew`:
    /// the repair needs a crew (false for a stonith reboot).
    pub(super) fn repair_after(
        &mut self,
        node: u32,
        gen: u32,
        repair_ns: u64,
        event: &'static str,
        crew: bool,
    ) {
        let job = Pending {
            job: Job::Node(node),
            gen,
            repair_ns,
        };
        match &mut self.crews {
            Some(c) if crew => {
                let ahead = c.queue.waiting();
                if c.queue.request(job) {
                    c.holds[node as usize] = true;
                    self.log(Some(node), event, || {
                        format!("a repair crew starts; repair in {}", human(repair_ns))
                    });
                    self.after(repair_ns, Phase::Normal, Ev::Repair { node, gen });
                } else {
                    self.log(Some(node), event, || {
                        let line = match ahead {
                            0 => "first in line".to_string(),
                            1 => "behind 1 other repair".to_string(),
                            k => format!("behind {k} other repairs"),
                        };
                        format!(
                            "every repair crew is busy; waits {line}, then repair takes {}",
                            human(repair_ns)
                        )
                    });
                }
            }
            _ => {
                self.log(Some(node), event, || {
                    format!("repair in {}", human(repair_ns))
                });
                self.after(repair_ns, Phase::Normal, Ev::Repair { node, gen });
            }
        }
    }

    /// A domain that failed (SPEC §7) needs a repair of `repair_ns`; `name`
    /// for the trace.
    pub(super) fn domain_repair_after(&mut self, d: u32, gen: u32, repair_ns: u64, name: &str) {
        let ev = Ev::Domain {
            kind: super::domains::DOMAIN_REPAIR,
            index: d,
            gen,
        };
        let job = Pending {
            job: Job::Domain(d),
            gen,
            repair_ns,
        };
        match &mut self.crews {
            Some(c) => {
                let ahead = c.queue.waiting();
                if c.queue.request(job) {
                    *c.hold(job.job) = true;
                    self.log(None, "domain_failed", || {
                        format!(
                            "{name} fails; a repair crew starts; repair in {}",
                            human(repair_ns)
                        )
                    });
                    self.after(repair_ns, Phase::Normal, ev);
                } else {
                    self.log(None, "domain_failed", || {
                        format!(
                            "{name} fails; every repair crew is busy; waits behind {ahead} other repair{}, then repair takes {}",
                            if ahead == 1 { "" } else { "s" },
                            human(repair_ns)
                        )
                    });
                }
            }
            None => {
                self.log(None, "domain_failed", || {
                    format!("{name} fails; repair in {}", human(repair_ns))
                });
                self.after(repair_ns, Phase::Normal, ev);
            }
        }
    }

    /// `done` is back from a repair: if a crew repaired it, the crew moves
    /// to the next waiting repair, whose time starts now.
    pub(super) fn crew_released(&mut self, done: u32) {
        self.crew_done(Job::Node(done));
    }

    pub(super) fn crew_done(&mut self, done: Job) {
        let Some(c) = &mut self.crews else {
            return;
        };
        if !std::mem::replace(c.hold(done), false) {
            return;
        }
        if let Some(Pending {
            job,
            gen,
            repair_ns,
        }) = c.queue.release()
        {
            *c.hold(job) = true;
            match job {
                Job::Node(node) => {
                    self.log(Some(node), "repair_started", || {
                        format!("repair in {}", human(repair_ns))
                    });
                    self.after(repair_ns, Phase::Normal, Ev::Repair { node, gen });
                }
                Job::Domain(d) => {
                    let name = &self.sc.domains[d as usize].name;
                    let detail = format!("{name}: repair in {}", human(repair_ns));
                    self.log(None, "domain_repair_started", || detail);
                    self.after(
                        repair_ns,
                        Phase::Normal,
                        Ev::Domain {
                            kind: super::domains::DOMAIN_REPAIR,
                            index: d,
                            gen,
                        },
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Crews;

    #[test]
    fn jobs_wait_in_arrival_order_and_crews_move_on() {
        let mut c = Crews::new(2);
        assert!(c.request('a'));
        assert!(c.request('b'));
        assert!(!c.request('c'));
        assert!(!c.request('d'));
        assert_eq!((c.busy(), c.waiting()), (2, 2));
        assert_eq!(c.release(), Some('c'));
        assert_eq!(c.release(), Some('d'));
        assert_eq!((c.busy(), c.waiting()), (2, 0));
        assert_eq!(c.release(), None);
        assert_eq!(c.busy(), 1);
        assert!(c.request('e'));
        assert_eq!(c.release(), None);
        assert_eq!(c.release(), None);
        assert_eq!(c.busy(), 0);
    }
}
