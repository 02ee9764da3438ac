//! Every measured detection time of a run, pooled over replications, for
//! `detection_s` (SPEC §8): the mean exactly, and the p99 by nearest rank.
//! Memory is bounded whatever the run: the times are kept exactly up to
//! [`EXACT_KEEP`]; past that they move into a log-binned histogram whose
//! bins are 0.07 % wide, so the p99 is then the upper edge of its bin
//! (within 0.07 % of the exact value). Every bundled scenario stays far
//! below the limit, so its p99 is exact.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Detection times kept exactly (8 MB).
pub const EXACT_KEEP: usize = 1_000_000;

/// Histogram bins per doubling: neighbouring edges are 0.068 % apart.
const PER_OCTAVE: f64 = 1024.0;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DetectionTimes {
    /// How many, and their exact sum (ns).
    pub n: u64,
    pub sum_ns: u128,
    /// Every time, in replication order, while there are at most
    /// `EXACT_KEEP` of them.
    pub exact: Vec<u64>,
    /// Past `EXACT_KEEP`: bin → count (sparse; at most 64 × 1024 bins).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bins: BTreeMap<u32, u64>,
}

fn bin(d_ns: u64) -> u32 {
    ((d_ns.max(1) as f64).log2() * PER_OCTAVE) as u32
}

fn upper_edge_ns(bin: u32) -> f64 {
    ((f64::from(bin) + 1.0) / PER_OCTAVE).exp2()
}

impl DetectionTimes {
    pub fn extend(&mut self, times: &[u64]) {
        self.n += times.len() as u64;
        self.sum_ns += times.iter().map(|&d| u128::from(d)).sum::<u128>();
        if self.bins.is_empty() && self.exact.len() + times.len() <= EXACT_KEEP {
            self.exact.extend_from_slice(times);
            return;
        }
        for d in std::mem::take(&mut self.exact)
            .into_iter()
            .chain(times.iter().copied())
        {
            *self.bins.entry(bin(d)).or_default() += 1;
        }
    }

    /// One more time (a replication records its crashes one by one).
    pub fn push(&mut self, d_ns: u64) {
        self.extend(std::slice::from_ref(&d_ns));
    }

    /// Moves every exact time into the bins, as `extend` does once a run
    /// has more than `EXACT_KEEP`. Call it only when the run this belongs
    /// to is known to end with more than `EXACT_KEEP` times: merged into
    /// that run, the result is the same bins, n and sum (issue 8: a batch
    /// of replications in flight does not hold millions of exact times
    /// the run would bin anyway).
    pub fn bin_all(&mut self) {
        for d in std::mem::take(&mut self.exact) {
            *self.bins.entry(bin(d)).or_default() += 1;
        }
    }

    pub fn merge(&mut self, o: &DetectionTimes) {
        if o.bins.is_empty() {
            self.extend(&o.exact);
            return;
        }
        // `o` holds more than EXACT_KEEP times in bins: so will this.
        self.n += o.n;
        self.sum_ns += o.sum_ns;
        for d in std::mem::take(&mut self.exact) {
            *self.bins.entry(bin(d)).or_default() += 1;
        }
        for (&b, &c) in &o.bins {
            *self.bins.entry(b).or_default() += c;
        }
    }

    /// The mean, seconds.
    pub fn mean_s(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum_ns as f64 / self.n as f64 / 1e9)
    }

    /// The p99 by nearest rank, seconds (exact while every time is kept).
    pub fn p99_s(&self) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        let rank = ((0.99 * self.n as f64).ceil() as u64).clamp(1, self.n);
        if self.bins.is_empty() {
            let mut v = self.exact.clone();
            v.sort_unstable();
            return Some(v[rank as usize - 1] as f64 / 1e9);
        }
        let mut seen = 0;
        for (&b, &c) in &self.bins {
            seen += c;
            if seen >= rank {
                return Some(upper_edge_ns(b) / 1e9);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_runs_are_exact_and_large_ones_within_a_bin() {
        // 1 000 times 1..=1000 µs: nearest-rank p99 is the 990th, 990 µs.
        let times: Vec<u64> = (1..=1000).map(|k| k * 1000).collect();
        let mut d = DetectionTimes::default();
        d.extend(&times);
        assert_eq!(d.p99_s(), Some(990e-6));
        assert_eq!(d.mean_s(), Some(500.5e-6));
        // 3 × EXACT_KEEP of them, in three merged parts: the p99 is the
        // 0.99 quantile of a uniform grid, within one bin (0.07 %).
        let mut whole = DetectionTimes::default();
        for part in 0..3u64 {
            let mut p = DetectionTimes::default();
            let v: Vec<u64> = (0..EXACT_KEEP as u64)
                .map(|k| 1_000_000 + (k * 3 + part) * 7)
                .collect();
            p.extend(&v);
            whole.merge(&p);
        }
        assert_eq!(whole.n, 3 * EXACT_KEEP as u64);
        assert!(whole.exact.is_empty() && !whole.bins.is_empty());
        let n = 3 * EXACT_KEEP as u64;
        let rank = (0.99 * n as f64).ceil() as u64;
        let exact = (1_000_000 + (rank - 1) * 7) as f64 / 1e9;
        let got = whole.p99_s().unwrap();
        assert!(got >= exact && got <= exact * 1.0007, "{got} vs {exact}");
        let mean = (1_000_000.0 + (n - 1) as f64 * 7.0 / 2.0) / 1e9;
        assert!((whole.mean_s().unwrap() - mean).abs() < 1e-15);
    }
}
