//! Random gray faults (SPEC §7): `nodes.hang`, `nodes.slow` and
//! `nodes.partition`, beside the scripted ones.
//!
//! Each node runs one alternating renewal process per kind, on its own two
//! streams (`every`, `for`): a quiet time, then a fault window, then the
//! next quiet time from the window's end. The windows do not depend on the
//! node's state, so a node's gray history is the same in every
//! architecture (common random numbers). A window that opens while the node
//! is down or already in that fault starts nothing, as for a scripted fault
//! (`World::start_fault`); what a fault does is what the scripted fault of
//! the same kind does. A crash ends a hang or a slow-down early (the
//! process restarts); a partition is in the network and lasts its window.

use super::node::{HANG, PARTITION, SLOW};
use super::{Ev, World};
use crate::scenario::FaultKind;
use crate::sim::{Phase, Stream, StreamKind};

/// A kind's two streams and its fault in progress on one node.
struct Process {
    every: Stream,
    for_: Stream,
    /// The window that started a fault: the node's `gen` then (a crash
    /// bumps it, and a hang or slow-down it ended is not ours to heal).
    started: Option<u32>,
}

/// Per node, per kind (`HANG`, `SLOW`, `PARTITION`).
pub struct Gray {
    procs: Vec<[Option<Process>; 3]>,
}

const EVERY: [StreamKind; 3] = [
    StreamKind::GrayHangEvery,
    StreamKind::GraySlowEvery,
    StreamKind::GrayPartitionEvery,
];
const FOR: [StreamKind; 3] = [
    StreamKind::GrayHangFor,
    StreamKind::GraySlowFor,
    StreamKind::GrayPartitionFor,
];

impl Gray {
    /// None when the scenario has no random gray fault.
    pub fn new(sc: &crate::scenario::Scenario, seed: u64) -> Option<Box<Self>> {
        if !sc.gray.any() {
            return None;
        }
        let kinds = sc.gray.kinds();
        let procs = (0..u64::from(sc.nodes.count))
            .map(|i| {
                [0, 1, 2].map(|k| {
                    kinds[k].map(|_| Process {
                        every: Stream::new(seed, EVERY[k], i),
                        for_: Stream::new(seed, FOR[k], i),
                        started: None,
                    })
                })
            })
            .collect();
        Some(Box::new(Gray { procs }))
    }
}

impl World<'_> {
    /// Every node's first quiet time, for each kind.
    pub(super) fn gray_start(&mut self) {
        for node in 0..self.nodes.len() as u32 {
            for kind in [HANG, SLOW, PARTITION] {
                self.gray_quiet(node, kind);
            }
        }
    }

    fn gray_proc(&mut self, node: u32, kind: u8) -> Option<&mut Process> {
        self.gray.as_mut()?.procs[node as usize][usize::from(kind)].as_mut()
    }

    /// Draws the quiet time before the node's next fault of this kind.
    fn gray_quiet(&mut self, node: u32, kind: u8) {
        let sc = self.sc;
        let Some(spec) = sc.gray.kinds()[usize::from(kind)] else {
            return;
        };
        let Some(p) = self.gray_proc(node, kind) else {
            return;
        };
        // At least 1 ns: a window cannot open twice in one instant.
        let quiet = spec.every.sample(&mut p.every).max(1);
        self.after(
            quiet,
            Phase::Normal,
            Ev::Gray {
                node,
                kind,
                end: false,
            },
        );
    }

    pub(super) fn on_gray(&mut self, node: u32, kind: u8, end: bool) {
        if end {
            return self.gray_end(node, kind);
        }
        let sc = self.sc;
        let Some(spec) = sc.gray.kinds()[usize::from(kind)] else {
            return;
        };
        let Some(p) = self.gray_proc(node, kind) else {
            return;
        };
        let d = spec.for_.sample(&mut p.for_);
        let fault = match kind {
            HANG => FaultKind::Hang,
            SLOW => FaultKind::Slow(sc.gray.slow.as_ref().map_or(1.0, |s| s.1)),
            _ => FaultKind::Partition,
        };
        let gen = self.nodes[node as usize].gen;
        let started = self.start_fault(node, fault, Some(d), false);
        if let Some(p) = self.gray_proc(node, kind) {
            p.started = started.then_some(gen);
        }
        // The window's end heals the fault and draws the next quiet time.
        self.after(
            d,
            Phase::Normal,
            Ev::Gray {
                node,
                kind,
                end: true,
            },
        );
    }

    /// The window is over: a fault it started ends (unless a crash ended
    /// it already), and the next quiet time starts.
    fn gray_end(&mut self, node: u32, kind: u8) {
        let gen = self.nodes[node as usize].gen;
        let ours = self
            .gray_proc(node, kind)
            .and_then(|p| p.started.take())
            .is_some_and(|g| kind == PARTITION || g == gen);
        if ours {
            self.on_heal(node, kind);
        }
        self.gray_quiet(node, kind);
    }
}
