//! Seeded randomness: one root per replication, split into named streams.
//!
//! Every stream is its own xoshiro256++ generator (Blackman and Vigna,
//! "Scrambled linear pseudorandom number generators", 2021: passes BigCrush
//! and PractRand; period 2^256 − 1) whose state is derived by SplitMix64
//! from (base seed, replication, stream name). It replaced ChaCha8 in
//! issue 8: a draw is four adds, shifts and rotations instead of a share of
//! a 256-byte block, and the streams need statistical quality, not secrecy. Adding a node, a class or a retry
//! never shifts what another stream draws, and two scenarios that share
//! `[nodes]` and the seed see the same failure history for node i whatever
//! their architecture (common random numbers).
//!
//! Samplers use only integer operations and `libm`, so draws are identical on
//! every platform.

/// What a stream is for. The discriminant is part of the stream's identity:
/// never renumber a variant (that would change every published result).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamKind {
    NodeFailure = 1,
    NodeRepair = 2,
    NodePermanent = 3,
    NodeReplace = 4,
    Arrival = 10,
    Class = 11,
    Service = 12,
    Dispatch = 13,
    Operator = 14,
    Start = 15,
    Switch = 16,
    Election = 17,
    /// SPEC §8: which heartbeats of a node are lost or late (per node).
    HeartbeatLoss = 18,
    /// SPEC §8 stonith: time to fence, and the fenced machine's reboot.
    Fence = 19,
    Reboot = 20,
    // SPEC §7 (appended: never renumber the ones above).
    DomainFailure = 21,
    DomainRepair = 22,
    DomainHit = 23,
    DispatcherFailure = 24,
    DispatcherRepair = 25,
    DispatcherTakeover = 26,
    /// SPEC §7 random gray faults, per node: the quiet time before each
    /// fault (`every`) and its length (`for`), one pair per kind.
    GrayHangEvery = 27,
    GrayHangFor = 28,
    GraySlowEvery = 29,
    GraySlowFor = 30,
    GrayPartitionEvery = 31,
    GrayPartitionFor = 32,
    /// SPEC §7 maintenance: each node's stop (`duration`) draws.
    Maintenance = 33,
}

/// SplitMix64: a fast, well-mixed bijection used to derive seeds.
pub fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The seed of replication `r` of a run with base seed `seed`.
pub fn replication_seed(seed: u64, r: u64) -> u64 {
    splitmix64(seed ^ splitmix64(r.wrapping_add(0x5EED)))
}

/// One named random stream. Cloning it replays the same draws (lossy
/// heartbeats replay a period's runs from a clone).
#[derive(Clone)]
pub struct Stream {
    /// xoshiro256++ state; never all zero.
    s: [u64; 4],
}

impl Stream {
    /// The stream `kind` of entity `index` (a node id, or 0) in a replication.
    pub fn new(rep_seed: u64, kind: StreamKind, index: u64) -> Self {
        let mut state = rep_seed ^ splitmix64(((kind as u64) << 40) ^ index);
        let mut s = [0u64; 4];
        for word in &mut s {
            state = splitmix64(state);
            *word = state;
        }
        Self::from_state(s)
    }

    /// A stream from its raw xoshiro256++ state (all zero is the one state
    /// the generator never leaves: replaced by a fixed non-zero word).
    fn from_state(mut s: [u64; 4]) -> Self {
        if s == [0; 4] {
            s[0] = 0x9E37_79B9_7F4A_7C15;
        }
        Stream { s }
    }

    /// xoshiro256++ (the reference `next` of xoshiro256plusplus.c).
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let out = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }

    /// Uniform in [0, 1) with 53 random bits.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in (0, 1]: safe to take the logarithm of.
    pub fn unit_open0(&mut self) -> f64 {
        1.0 - self.unit()
    }

    /// Uniform integer in [0, n) without modulo bias worth the name
    /// (Lemire's widening multiply).
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform integer in [lo, hi].
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = hi - lo;
        if span == u64::MAX {
            return self.next_u64();
        }
        lo + self.below(span + 1)
    }

    /// A standard normal deviate (Box–Muller, one deviate per call).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit_open0();
        let u2 = self.unit();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
    }

    /// An exponential deviate with mean 1 (ziggurat).
    #[inline]
    pub fn exp1(&mut self) -> f64 {
        super::ziggurat::exp1(|| self.next_u64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4)
            .map({
                let mut s = Stream::new(7, StreamKind::NodeFailure, 3);
                move |_| s.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..4)
            .map({
                let mut s = Stream::new(7, StreamKind::NodeFailure, 3);
                move |_| s.next_u64()
            })
            .collect();
        let c = Stream::new(7, StreamKind::NodeFailure, 4).next_u64();
        let d = Stream::new(7, StreamKind::NodeRepair, 3).next_u64();
        assert_eq!(a, b);
        assert_ne!(a[0], c);
        assert_ne!(a[0], d);
    }

    #[test]
    fn generator_is_the_reference_xoshiro256plusplus() {
        // Outputs of xoshiro256plusplus.c from the state {1, 2, 3, 4} (the
        // first two worked by hand: rotl(1 + 4, 23) + 1 = 41943041; the
        // state after one step is {7, 0, 262146, 6 << 45}).
        let mut s = Stream::from_state([1, 2, 3, 4]);
        let want: [u64; 10] = [
            41943041,
            58720359,
            3588806011781223,
            3591011842654386,
            9228616714210784205,
            9973669472204895162,
            14011001112246962877,
            12406186145184390807,
            15849039046786891736,
            10450023813501588000,
        ];
        let got: Vec<u64> = (0..10).map(|_| s.next_u64()).collect();
        assert_eq!(got, want);
        // The all-zero state would stay zero forever: never used.
        let mut z = Stream::from_state([0; 4]);
        assert_ne!((0..4).map(|_| z.next_u64()).collect::<Vec<_>>(), vec![0; 4]);
    }

    #[test]
    fn unit_and_exponential_moments() {
        let mut s = Stream::new(1, StreamKind::Service, 0);
        let n = 200_000;
        let mean_u: f64 = (0..n).map(|_| s.unit()).sum::<f64>() / n as f64;
        let mean_e: f64 = (0..n).map(|_| s.exp1()).sum::<f64>() / n as f64;
        let mean_z: f64 = (0..n).map(|_| s.normal()).sum::<f64>() / n as f64;
        assert!((mean_u - 0.5).abs() < 0.005, "{mean_u}");
        assert!((mean_e - 1.0).abs() < 0.01, "{mean_e}");
        assert!(mean_z.abs() < 0.01, "{mean_z}");
    }
}
