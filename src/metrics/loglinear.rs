//! Raw counts in the log-linear buckets of an auto-resizing
//! `hdrhistogram::Histogram::new(digits)`, recorded with one shift-and-add
//! per value on the request path and turned into the `Histogram` once, when
//! a replication ends.
//!
//! The bucket index is hdrhistogram's own (`index_for` with a lowest
//! discernible value of 1, so a unit magnitude of 0): a value `v` falls in
//! top-level bucket `b = base - lz(v | mask)` and in counts slot
//! `(b << half_magnitude) + (v >> b)`. `into_histogram` records every slot
//! at its lowest value with its count, which leaves a histogram equal to the
//! one that recorded each value: same counts array, total, `max()`,
//! `min_nz()` (both are read through the slot's equivalent range) and same
//! highest trackable value (set by the slot of the largest value). The unit
//! tests check this against hdrhistogram itself.

use hdrhistogram::Histogram;

/// Counts per hdrhistogram slot of a histogram with `digits` significant
/// digits and a lowest discernible value of 1.
#[derive(Clone, Debug)]
pub struct LogCounts {
    counts: Vec<u64>,
    digits: u8,
    /// log2 of half the sub-bucket count (10 for 3 digits, 7 for 2).
    half_magnitude: u32,
    /// 64 − log2(sub-bucket count): `base - lz(v | mask)` is the bucket.
    base: u32,
    /// Sub-bucket count − 1: maps small values to bucket 0.
    mask: u64,
}

impl LogCounts {
    /// Empty counts for `digits` significant digits (1 to 5, as hdrhistogram).
    pub fn new(digits: u8) -> Self {
        assert!(
            (1..=5).contains(&digits),
            "hdrhistogram takes 1 to 5 digits"
        );
        let largest_single_unit = 2 * 10u64.pow(u32::from(digits));
        // ceil(log2(2 * 10^digits)), as hdrhistogram's sub_bucket_count_magnitude.
        let count_magnitude = 64 - (largest_single_unit - 1).leading_zeros();
        LogCounts {
            counts: Vec::new(),
            digits,
            half_magnitude: count_magnitude - 1,
            base: 64 - count_magnitude,
            mask: (1u64 << count_magnitude) - 1,
        }
    }

    /// The counts slot of `v`: hdrhistogram's `index_for`.
    #[inline]
    fn index(&self, v: u64) -> usize {
        let b = self.base - (v | self.mask).leading_zeros();
        ((b << self.half_magnitude) as usize) + (v >> b) as usize
    }

    /// The lowest value of slot `i`: hdrhistogram's `value_for`.
    fn lowest(&self, i: usize) -> u64 {
        let half = 1usize << self.half_magnitude;
        let bucket = i >> self.half_magnitude;
        if bucket == 0 {
            i as u64
        } else {
            (((i & (half - 1)) + half) as u64) << (bucket - 1)
        }
    }

    /// Counts one value.
    #[inline]
    pub fn record(&mut self, v: u64) {
        let i = self.index(v);
        match self.counts.get_mut(i) {
            Some(c) => *c += 1,
            None => self.grow_and_record(i),
        }
    }

    #[cold]
    #[inline(never)]
    fn grow_and_record(&mut self, i: usize) {
        // Room up to the end of the top-level bucket, as hdrhistogram resizes.
        let half = 1usize << self.half_magnitude;
        self.counts.resize((i | (half - 1)) + 1, 0);
        self.counts[i] += 1;
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.counts.iter().all(|&c| c == 0)
    }

    /// Adds the counts to `h` (a histogram of the same digits) as if each
    /// value had been recorded in it.
    pub fn add_to(&self, h: &mut Histogram<u64>) {
        debug_assert_eq!(h.sigfig(), self.digits);
        // The largest first: one resize at most.
        for (i, &c) in self.counts.iter().enumerate().rev() {
            if c != 0 && h.record_n(self.lowest(i), c).is_err() {
                h.saturating_record_n(self.lowest(i), c);
            }
        }
    }

    /// The histogram these counts stand for.
    pub fn to_histogram(&self) -> Histogram<u64> {
        let mut h = Histogram::new(self.digits).expect("1 to 5 significant digits are valid");
        self.add_to(&mut h);
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every observable of `a` equals `b`'s.
    fn same(a: &Histogram<u64>, b: &Histogram<u64>) {
        assert!(a == b, "histograms differ");
        assert_eq!(a.len(), b.len());
        assert_eq!(a.distinct_values(), b.distinct_values());
        assert_eq!(a.high(), b.high());
        assert_eq!(a.low(), b.low());
        assert_eq!(a.max(), b.max());
        assert_eq!(a.min(), b.min());
        assert_eq!(a.min_nz(), b.min_nz());
        assert_eq!(a.mean().to_bits(), b.mean().to_bits());
        assert_eq!(a.stdev().to_bits(), b.stdev().to_bits());
        let ra: Vec<_> = a
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
            .collect();
        let rb: Vec<_> = b
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
            .collect();
        assert_eq!(ra, rb);
        for q in [0.0, 0.001, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999, 1.0] {
            assert_eq!(a.value_at_quantile(q), b.value_at_quantile(q), "q {q}");
        }
        // Merging into a third histogram (as replications are merged).
        let mut ma = Histogram::<u64>::new(a.sigfig()).unwrap();
        ma.record(7).unwrap();
        let mut mb = ma.clone();
        ma.add(a).unwrap();
        mb.add(b).unwrap();
        assert!(ma == mb);
        assert_eq!(ma.high(), mb.high());
        assert_eq!(ma.max(), mb.max());
    }

    /// Records `values` both ways and compares.
    fn check(digits: u8, values: &[u64]) {
        let mut direct = Histogram::<u64>::new(digits).unwrap();
        let mut counts = LogCounts::new(digits);
        for &v in values {
            if direct.record(v).is_err() {
                direct.saturating_record(v);
            }
            counts.record(v);
        }
        same(&counts.to_histogram(), &direct);
    }

    /// SplitMix64, for values without a dependency.
    fn mix(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    #[test]
    fn slot_and_lowest_value_are_hdrhistograms_at_every_bucket_edge() {
        for digits in 1..=5u8 {
            let c = LogCounts::new(digits);
            let h = Histogram::<u64>::new_with_bounds(1, u64::MAX, digits).unwrap();
            // Every slot's lowest value, and the values either side of it.
            let last = c.index(u64::MAX);
            for i in 0..=last {
                let lo = c.lowest(i);
                assert_eq!(c.index(lo), i, "digits {digits} slot {i}");
                assert_eq!(h.lowest_equivalent(lo), lo, "digits {digits} slot {i}");
                if lo > 0 {
                    assert_eq!(c.index(lo - 1) + 1, i, "digits {digits} slot {i}");
                    assert_eq!(h.highest_equivalent(lo - 1), lo - 1);
                }
            }
            assert_eq!(h.highest_equivalent(u64::MAX), u64::MAX);
        }
    }

    #[test]
    fn histogram_from_counts_equals_recording_each_value() {
        // Bucket edges of the run (3 digits, ns) and window (2 digits, µs)
        // histograms, in rising and in falling order (resizes differ).
        for digits in [2u8, 3] {
            let c = LogCounts::new(digits);
            let mut edges = Vec::new();
            for i in 1..c.index(1 << 40) {
                let lo = c.lowest(i);
                edges.extend([lo - 1, lo, lo + 1]);
            }
            check(digits, &edges);
            edges.reverse();
            check(digits, &edges);
            // Small runs: no resize, only bucket 0, zero alone.
            check(digits, &[0]);
            check(digits, &[1]);
            check(digits, &[0, 5, 3]);
            check(digits, &[2047, 2048]);
            check(digits, &[]);
        }
    }

    #[test]
    fn histogram_from_counts_equals_recording_random_values() {
        let mut s = 42u64;
        for digits in 1..=5u8 {
            for round in 0..40 {
                // Latency-like values (exponential-ish spread over 2^0..2^40),
                // then any u64 at all.
                let n = 1 + (mix(&mut s) % 3000) as usize;
                let values: Vec<u64> = (0..n)
                    .map(|_| {
                        let r = mix(&mut s);
                        if round % 4 == 3 && digits <= 3 {
                            r
                        } else {
                            r >> (24 + mix(&mut s) % 40)
                        }
                    })
                    .collect();
                check(digits, &values);
            }
        }
    }
}
