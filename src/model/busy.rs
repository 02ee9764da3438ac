//! The tasks a node is running, each found by its slot in O(1) (issue 8):
//! a completion event carries the slot its task was started in, instead of
//! searching every running task.
//!
//! The running tasks stay in one vector in the order a `Vec` with
//! `swap_remove` would keep them (a crash fails them in that order, so the
//! order is part of the results); `pos` maps a slot to its place there.

use super::node::Task;

pub struct Busy {
    /// Running tasks, each with its slot.
    tasks: Vec<(Task, u32)>,
    /// Where the task of each slot is in `tasks`; a free slot holds the
    /// next free slot instead (`NONE` ends the list).
    pos: Vec<u32>,
    free: u32,
}

const NONE: u32 = u32::MAX;

impl Default for Busy {
    fn default() -> Self {
        Busy::new()
    }
}

impl Busy {
    pub fn new() -> Self {
        Busy {
            tasks: Vec::new(),
            pos: Vec::new(),
            free: NONE,
        }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Starts a task; returns its slot.
    #[inline]
    pub fn push(&mut self, task: Task) -> u32 {
        let at = self.tasks.len() as u32;
        let slot = if self.free == NONE {
            self.pos.push(at);
            (self.pos.len() - 1) as u32
        } else {
            let slot = self.free;
            self.free = std::mem::replace(&mut self.pos[slot as usize], at);
            slot
        };
        self.tasks.push((task, slot));
        slot
    }

    /// Ends the task in `slot`, which must be running. The completion
    /// event carries the task, so its place is overwritten, never read
    /// (issue 8: with thousands running, that read is a cache miss).
    #[inline]
    pub fn end(&mut self, slot: u32) {
        let p = std::mem::replace(&mut self.pos[slot as usize], self.free) as usize;
        self.free = slot;
        debug_assert_eq!(self.tasks[p].1, slot, "slot {slot} is not running");
        let last = self.tasks.pop().expect("a running task");
        if p < self.tasks.len() {
            // As `swap_remove`: the last task takes the ended one's place.
            self.tasks[p] = last;
            self.pos[last.1 as usize] = p as u32;
        }
    }

    /// Every task is lost: slots start afresh.
    pub fn clear(&mut self) {
        self.tasks.clear();
        self.pos.clear();
        self.free = NONE;
    }

    /// Removes every task, in the order a `Vec` would hold them.
    pub fn drain(&mut self, _: std::ops::RangeFull) -> impl Iterator<Item = Task> + '_ {
        self.pos.clear();
        self.free = NONE;
        self.tasks.drain(..).map(|(t, _)| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(req: u32) -> Task {
        Task {
            req,
            token: req,
            service_ns: 1,
            forwarded: false,
        }
    }

    #[test]
    fn slots_find_their_task_and_keep_vec_order() {
        let mut b = Busy::new();
        let mut v: Vec<Task> = Vec::new();
        let slots: Vec<u32> = (0..5)
            .map(|r| {
                v.push(task(r));
                b.push(task(r))
            })
            .collect();
        // Remove in an order unrelated to the slots, as completions do.
        for (i, r) in [1u32, 4, 0].into_iter().enumerate() {
            b.end(slots[r as usize]);
            let p = v.iter().position(|t| t.req == r).unwrap();
            v.swap_remove(p);
            assert_eq!(b.len(), 4 - i);
        }
        // A freed slot is reused; the others still find their task.
        let s5 = b.push(task(5));
        v.push(task(5));
        b.end(slots[3]);
        let p = v.iter().position(|t| t.req == 3).unwrap();
        v.swap_remove(p);
        let order: Vec<u32> = b.drain(..).map(|t| t.req).collect();
        let want: Vec<u32> = v.iter().map(|t| t.req).collect();
        assert_eq!(order, want);
        assert!(slots.contains(&s5));
        assert_eq!(b.len(), 0);
    }
}
