//! Lost and late heartbeats (SPEC §8) without an event per heartbeat.
//!
//! A running, reachable node misses each heartbeat independently with
//! probability q = loss + (1 − loss)·P(delay > timeout). The misses of a node
//! form maximal runs on the due-time grid (due index k is time k·H): the gap
//! of delivered heartbeats before a run is geometric, and so is the run's
//! length. `Cursor` holds the next run; the verdict queries walk the runs
//! forward only as far as a verdict: the first run of `fall` misses (a
//! false mark-down) or the first `rise` deliveries in a row (mark-up). Runs
//! shorter than `fall` cost one draw pair each and no event. When the node's
//! reachability flips, the cursor is drawn afresh from the next due index:
//! the losses are independent of everything else, so discarding draws that
//! no verdict used keeps them independent.
//!
//! "Consecutive" counts due times whatever made them missed (SPEC §1, §8):
//! a node whose last k heartbeats were lost before it crashed has missed
//! k + 1 in a row at its first due time after the crash, and a node back
//! from a short outage carries its misses into the lossy heartbeats that
//! follow. So each flip closes a `Period` with the run in progress at its
//! last due index (misses or deliveries in a row), and the next period
//! starts with it as its carry. The run in progress is read from the very
//! runs the verdicts used: the period keeps a clone of its stream and first
//! cursor, and `flip` replays them up to the last due index (no more draws
//! than the queries made, and none from the live stream).

use crate::scenario::Dist;
use crate::sim::{Stream, StreamKind};

/// P(delay > timeout) for a heartbeat delay distribution.
pub fn late_probability(d: &Dist, timeout_ns: u64) -> f64 {
    let t = timeout_ns as f64;
    let p = match *d {
        Dist::Fixed(v) => f64::from(u8::from(v > timeout_ns)),
        Dist::Exponential { mean_ns } => libm::exp(-t / mean_ns),
        Dist::Uniform { min_ns, max_ns } => {
            if timeout_ns >= max_ns {
                0.0
            } else if timeout_ns < min_ns {
                1.0
            } else {
                (max_ns - timeout_ns) as f64 / (max_ns - min_ns) as f64
            }
        }
        Dist::LogNormal { median_ns, sigma } => {
            if t <= 0.0 {
                1.0
            } else {
                0.5 * libm::erfc(libm::log(t / median_ns) / (sigma * std::f64::consts::SQRT_2))
            }
        }
        Dist::Weibull { shape, scale_ns } => libm::exp(-libm::pow(t / scale_ns, shape)),
    };
    p.clamp(0.0, 1.0)
}

/// The number of failures before the first success of Bernoulli trials
/// with success probability `p` (0 < p ≤ 1).
fn geometric0(s: &mut Stream, p: f64) -> u64 {
    if p >= 1.0 {
        return 0;
    }
    let k = libm::floor(libm::log(s.unit_open0()) / libm::log1p(-p));
    if k >= 1e18 {
        1_000_000_000_000_000_000
    } else {
        k as u64
    }
}

/// The next run of missed heartbeats of one node: due indices in
/// `[from, start)` are delivered, `[start, end)` missed.
#[derive(Clone, Copy, Debug)]
struct Cursor {
    start: u64,
    end: u64,
}

/// One node's time between two flips of its reachability, on the grid.
#[derive(Clone)]
struct Period {
    /// Its first due index.
    base: u64,
    reachable: bool,
    /// Misses and deliveries in a row ending at `base − 1` (one is 0).
    miss_carry: u64,
    deliver_carry: u64,
    /// The stream and cursor right after the period's first draw:
    /// replaying them gives the period's runs again.
    replay: (Stream, Cursor),
}

/// Every node's lost heartbeats.
pub struct Lossy {
    /// Miss probability of one heartbeat.
    q: f64,
    streams: Vec<Stream>,
    cursors: Vec<Cursor>,
    periods: Vec<Period>,
}

/// The run after `c` (a run ends with a delivery), drawn from `s`.
fn next_run(s: &mut Stream, q: f64, c: Cursor) -> Cursor {
    let gap = 1u64.saturating_add(geometric0(s, q));
    let start = c.end.saturating_add(gap);
    let end = start.saturating_add(1u64.saturating_add(geometric0(s, 1.0 - q)));
    Cursor { start, end }
}

impl Lossy {
    pub fn new(seed: u64, nodes: usize, q: f64) -> Self {
        let mut l = Lossy {
            q,
            streams: (0..nodes as u64)
                .map(|i| Stream::new(seed, StreamKind::HeartbeatLoss, i))
                .collect(),
            cursors: vec![Cursor { start: 0, end: 0 }; nodes],
            periods: Vec::with_capacity(nodes),
        };
        for i in 0..nodes {
            l.reset(i as u32, 1, true, 0, 0);
        }
        l
    }

    /// Draws the node's misses afresh from due index `from` on, the first
    /// due index of a period that starts with the given runs in progress.
    fn reset(&mut self, node: u32, from: u64, reachable: bool, miss: u64, deliver: u64) {
        let i = node as usize;
        let s = &mut self.streams[i];
        let start = from.saturating_add(geometric0(s, self.q));
        let end = start.saturating_add(1u64.saturating_add(geometric0(s, 1.0 - self.q)));
        self.cursors[i] = Cursor { start, end };
        let p = Period {
            base: from,
            reachable,
            miss_carry: miss,
            deliver_carry: deliver,
            replay: (s.clone(), self.cursors[i]),
        };
        if i < self.periods.len() {
            self.periods[i] = p;
        } else {
            self.periods.push(p);
        }
    }

    /// The node's reachability flips; `from` is the first due index of the
    /// new state. Returns the misses in a row ending at `from − 1`, which
    /// the new period carries.
    pub fn flip(&mut self, node: u32, from: u64, reachable: bool) -> u64 {
        let (miss, deliver) = self.run_at(node as usize, from.saturating_sub(1));
        self.reset(node, from, reachable, miss, deliver);
        miss
    }

    /// (misses, deliveries) in a row ending at due index `k` (one is 0), for
    /// `k` at or after the current period's `base − 1`.
    fn run_at(&self, i: usize, k: u64) -> (u64, u64) {
        let p = &self.periods[i];
        if k < p.base {
            return (p.miss_carry, p.deliver_carry);
        }
        if !p.reachable {
            return (p.miss_carry.saturating_add(k + 1 - p.base), 0);
        }
        let (mut s, mut c) = p.replay.clone();
        let mut last_end = None;
        while c.end <= k {
            last_end = Some(c.end);
            c = next_run(&mut s, self.q, c);
        }
        if c.start <= k {
            let carry = if c.start == p.base { p.miss_carry } else { 0 };
            ((k + 1 - c.start).saturating_add(carry), 0)
        } else {
            match last_end {
                Some(e) => (0, k + 1 - e),
                None => (0, (k + 1 - p.base).saturating_add(p.deliver_carry)),
            }
        }
    }

    /// The run after the current one (a run ends with a delivery).
    fn advance(&mut self, i: usize) {
        self.cursors[i] = next_run(&mut self.streams[i], self.q, self.cursors[i]);
    }

    /// The due index of the `fall`-th of the first `fall` consecutive
    /// misses at or after index `from` (counting the misses the period
    /// carries when the first run starts at its base), if before `stop`.
    pub fn next_fall(&mut self, node: u32, from: u64, fall: u32, stop: u64) -> Option<u64> {
        let i = node as usize;
        let (base, carry) = (self.periods[i].base, self.periods[i].miss_carry);
        let f = u64::from(fall);
        let mut s = from.max(base);
        loop {
            while self.cursors[i].end <= s {
                self.advance(i);
            }
            let c = self.cursors[i];
            if c.start >= stop {
                return None;
            }
            let first = c.start.max(s);
            let before = if first == base { carry } else { 0 };
            if (c.end - first).saturating_add(before) >= f {
                return Some(first + (f - 1).saturating_sub(before));
            }
            s = c.end;
        }
    }

    /// The due index of the `rise`-th of the first `rise` consecutive
    /// deliveries at or after index `from` (counting the deliveries the
    /// period carries from its base), if before `stop`.
    pub fn next_rise(&mut self, node: u32, from: u64, rise: u32, stop: u64) -> Option<u64> {
        let i = node as usize;
        let (base, carry) = (self.periods[i].base, self.periods[i].deliver_carry);
        let r = u64::from(rise);
        let mut s = from.max(base);
        loop {
            if s >= stop {
                return None;
            }
            while self.cursors[i].end <= s {
                self.advance(i);
            }
            let c = self.cursors[i];
            if s >= c.start {
                s = c.end;
                continue;
            }
            let before = if s == base { carry } else { 0 };
            if (c.start - s).saturating_add(before) >= r {
                return Some(s + (r - 1).saturating_sub(before));
            }
            s = c.end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_probability_closed_forms() {
        const S: u64 = 1_000_000_000;
        assert_eq!(late_probability(&Dist::Fixed(2 * S), S), 1.0);
        assert_eq!(late_probability(&Dist::Fixed(S), S), 0.0);
        let u = Dist::Uniform {
            min_ns: 0,
            max_ns: 4 * S,
        };
        assert!((late_probability(&u, S) - 0.75).abs() < 1e-12);
        let e = Dist::Exponential { mean_ns: 1e9 };
        assert!((late_probability(&e, 2 * S) - (-2.0f64).exp()).abs() < 1e-12);
        let l = Dist::LogNormal {
            median_ns: 1e9,
            sigma: 0.5,
        };
        assert!((late_probability(&l, S) - 0.5).abs() < 1e-12);
    }

    /// The queries agree with a heartbeat-by-heartbeat walk over the same
    /// runs.
    #[test]
    fn queries_match_the_runs() {
        let mut l = Lossy::new(7, 1, 0.3);
        // Record the runs by walking them, then re-create the same cursor.
        let mut lost = vec![false; 4000];
        let mut m = Lossy::new(7, 1, 0.3);
        loop {
            let c = m.cursors[0];
            if c.end as usize >= lost.len() {
                break;
            }
            for k in c.start..c.end {
                lost[k as usize] = true;
            }
            m.advance(0);
        }
        let mut k = 1u64;
        let mut up = true;
        let mut verdicts = 0;
        while k < 3000 {
            let v = if up {
                l.next_fall(0, k, 3, 4000).unwrap()
            } else {
                l.next_rise(0, k, 2, 4000).unwrap()
            };
            // Walk heartbeat by heartbeat.
            let (want, n) = if up { (true, 3) } else { (false, 2) };
            let mut run = 0;
            let mut j = k;
            while run < n {
                run = if lost[j as usize] == want { run + 1 } else { 0 };
                j += 1;
            }
            assert_eq!(v, j - 1, "verdict from {k}, up = {up}");
            k = v + 1;
            up = !up;
            verdicts += 1;
        }
        assert!(verdicts > 50);
    }

    /// The period's due indices from its base to `to` (exclusive): lost
    /// or not, replayed from its own runs (all missed when unreachable).
    fn pattern(l: &Lossy, to: u64) -> Vec<bool> {
        let p = &l.periods[0];
        let mut lost = vec![!p.reachable; to.saturating_sub(p.base) as usize];
        if p.reachable {
            let (mut s, mut c) = p.replay.clone();
            while c.start < to {
                for k in c.start..c.end.min(to) {
                    lost[(k - p.base) as usize] = true;
                }
                c = next_run(&mut s, l.q, c);
            }
        }
        lost
    }

    /// SPEC §1 heartbeat by heartbeat: the runs in progress carry across
    /// every flip (a crash after lost heartbeats, a return into lossy
    /// heartbeats, a blip with no due time), and the verdict queries count
    /// them.
    #[test]
    fn flips_carry_the_run_in_progress() {
        let (fall, rise) = (3u32, 2u32);
        let mut l = Lossy::new(11, 1, 0.4);
        // Every due index so far: missed or delivered (index 0 is no due).
        let mut missed: Vec<bool> = vec![false];
        let (mut base, mut reachable, mut x) = (1u64, true, 12345u64);
        let (mut carried, mut falls, mut rises) = (0, 0, 0);
        while base < 20_000 {
            // The brute-force runs in progress at the end of `missed`.
            let run = |v: &[bool], want: bool| {
                v[1..].iter().rev().take_while(|&&m| m == want).count() as u64
            };
            if reachable {
                // The verdicts from the base, were the node to stay reachable.
                let ahead = pattern(&l, base + 4000);
                let mut v = missed.clone();
                v.extend(&ahead);
                let walk = |want: bool, n: u64| {
                    (base as usize..v.len())
                        .find(|&k| run(&v[..=k], want) >= n)
                        .map(|k| k as u64)
                };
                // Queries walk forward only: one per period, either kind.
                if (x >> 40) & 1 == 0 {
                    let want = walk(true, u64::from(fall));
                    assert_eq!(
                        l.next_fall(0, base, fall, u64::MAX),
                        want,
                        "fall from {base}"
                    );
                    falls += 1;
                } else {
                    let want = walk(false, u64::from(rise));
                    assert_eq!(
                        l.next_rise(0, base, rise, u64::MAX),
                        want,
                        "rise from {base}"
                    );
                    rises += 1;
                }
            }
            // The next flip after 0 to 6 due times (0: a blip).
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let next = base + (x >> 33) % 7;
            missed.extend(pattern(&l, next));
            let want = run(&missed, true);
            let got = l.flip(0, next, !reachable);
            assert_eq!(got, want, "misses in a row before {next}");
            carried += u64::from(got > 0 && reachable);
            base = next;
            reachable = !reachable;
        }
        // Crashes after lost heartbeats happened, and were carried.
        assert!(carried > 100, "{carried}");
        assert!(falls > 500 && rises > 500, "{falls} {rises}");
    }
}
