//! The outages of ONE replication, without holding them all in memory
//! (issue 8 §5). A replication hands each outage, with its phase row
//! (SPEC §8), to a `RepOutages` as soon as it closes. The first
//! [`rep_keep`] stay in memory; past that every outage of the replication
//! (those kept included) goes to a [`Spill`], the same 32-byte records and
//! phase rows a run spills, so memory no longer grows with the length of a
//! replication. What a replication reports that depends on every outage
//! (the count, the time per phase, the planned downtime) is summed as they
//! come, in integers: the same values as summing the whole list at the end.

use super::imperfect::PHASES;
use super::outage_log::Spill;
use super::uptime::Outage;

/// Outages one replication holds in memory before it spills them. Small:
/// a batch of replications runs at once, each holding up to this many.
pub const REP_KEEP: usize = 1024;

/// Phase rows buffered before they are written to the spill.
const PHASE_BUF: usize = 4096;

/// The in-memory bound of one replication's outages: `REP_KEEP`, or the
/// value of the hidden `HASIM_TEST_REP_KEEP` environment variable, which
/// tests set to force a replication to spill (outputs must not change).
pub fn rep_keep() -> usize {
    test_bound().unwrap_or(REP_KEEP)
}

/// The hidden `HASIM_TEST_REP_KEEP` (a positive count), read once. Tests
/// set it to shrink every per-replication bound (outages held, outages
/// handed on at once, phase records kept) and check that no output
/// changes.
pub fn test_bound() -> Option<usize> {
    static KEEP: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    *KEEP.get_or_init(|| {
        std::env::var("HASIM_TEST_REP_KEEP")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&k| k > 0)
    })
}

pub struct RepOutages {
    /// The replication, for the spilled records.
    pub rep: u32,
    keep: usize,
    /// The first `keep` outages (all of them while there is no spill).
    pub list: Vec<Outage>,
    /// The phase rows of `list`, while there is no spill.
    pub phases: Vec<[u64; PHASES.len()]>,
    /// Phase rows not yet written to the spill.
    pending: Vec<[u64; PHASES.len()]>,
    /// Every outage and phase row, once there were more than `keep`.
    pub spill: Option<Box<Spill>>,
    /// Outages seen.
    pub count: u64,
    /// Nanoseconds per phase over every outage.
    pub phase_totals_ns: [u64; PHASES.len()],
    /// Nanoseconds of the outages maintenance started (SPEC §7).
    pub planned_ns: u64,
}

impl RepOutages {
    pub fn new(rep: u32) -> Self {
        Self::with_keep(rep, rep_keep())
    }

    pub fn with_keep(rep: u32, keep: usize) -> Self {
        RepOutages {
            rep,
            keep,
            list: Vec::new(),
            phases: Vec::new(),
            pending: Vec::new(),
            spill: None,
            count: 0,
            phase_totals_ns: [0; PHASES.len()],
            planned_ns: 0,
        }
    }

    /// One more outage (in order) and its phase row.
    pub fn push(&mut self, o: Outage, row: [u64; PHASES.len()]) {
        self.count += 1;
        for (t, ns) in self.phase_totals_ns.iter_mut().zip(row) {
            *t += ns;
        }
        if crate::model::is_planned(&o.cause) {
            self.planned_ns += o.duration_ns();
        }
        if self.spill.is_none() && self.list.len() >= self.keep {
            self.start_spill();
        }
        match &mut self.spill {
            Some(sp) => {
                sp.push(self.rep, &o);
                self.pending.push(row);
                if self.pending.len() >= PHASE_BUF {
                    sp.push_phases(self.pending.drain(..));
                }
                if self.list.len() < self.keep {
                    self.list.push(o);
                }
            }
            None => {
                self.list.push(o);
                self.phases.push(row);
            }
        }
    }

    /// Moves what is held to a new spill; without a temporary folder the
    /// outages stay in memory, as they always did.
    fn start_spill(&mut self) {
        let Ok(mut sp) = Spill::new() else {
            self.keep = usize::MAX;
            return;
        };
        for o in &self.list {
            sp.push(self.rep, o);
        }
        sp.push_phases(self.phases.drain(..));
        self.phases = Vec::new();
        self.spill = Some(Box::new(sp));
    }

    /// Writes what is buffered: the spill can be read.
    pub fn finish(&mut self) {
        if let Some(sp) = &mut self.spill {
            sp.push_phases(self.pending.drain(..));
            sp.flush();
        }
    }
}

impl std::fmt::Debug for RepOutages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RepOutages")
            .field("count", &self.count)
            .field("spilled", &self.spill.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::uptime::{Cause, Root};

    fn outage(k: u64) -> Outage {
        Outage {
            start_ns: 10 * k,
            end_ns: 10 * k + 3 + k % 4,
            censored: false,
            cause: Cause {
                event: if k.is_multiple_of(3) { "crash" } else { "hang" },
                node: Some(k as u32 % 5),
            },
            root: Some(Root::Node(k as u32 % 5)),
        }
    }

    /// Past its bound a replication's outages and phase rows are all on
    /// disk, in order; the first `keep` stay in memory; the sums are those
    /// of the whole list.
    #[test]
    fn a_replication_spills_past_its_bound_and_reads_back_in_order() {
        let mut r = RepOutages::with_keep(7, 5);
        let all: Vec<Outage> = (0..5000).map(outage).collect();
        let row = |k: u64| [k, 2 * k, 0, 1, 0, k % 7];
        for (k, o) in all.iter().enumerate() {
            r.push(o.clone(), row(k as u64));
        }
        r.finish();
        let sp = r.spill.as_ref().expect("spilled");
        assert_eq!(r.list[..], all[..5]);
        assert!(r.phases.is_empty());
        let back: Vec<(u32, Outage)> = sp.iter().collect();
        assert_eq!(back.len(), 5000);
        assert!(back.iter().all(|(rep, _)| *rep == 7));
        assert_eq!(back.into_iter().map(|b| b.1).collect::<Vec<_>>(), all);
        let rows: Vec<_> = sp.phases().collect();
        assert_eq!(rows, (0..5000).map(row).collect::<Vec<_>>());
        // Σk for k < 5000 = 12 497 500.
        assert_eq!(r.phase_totals_ns[0], 12_497_500);
        assert_eq!(r.phase_totals_ns[1], 2 * 12_497_500);
        assert_eq!(r.count, 5000);
        // Unspilled, the same outages stay in memory with their rows.
        let mut m = RepOutages::with_keep(7, 5000);
        for (k, o) in all.iter().enumerate() {
            m.push(o.clone(), row(k as u64));
        }
        m.finish();
        assert!(m.spill.is_none() && m.list == all && m.phases.len() == 5000);
        assert_eq!(m.phase_totals_ns, r.phase_totals_ns);
    }
}
