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

/// Every node's lost heartbeats.
pub struct Lossy {
    /// Miss probability of one heartbeat.
    q: f64,
    streams: Vec<Stream>,
    cursors: Vec<Cursor>,
}

impl Lossy {
    pub fn new(seed: u64, nodes: usize, q: f64) -> Self {
        let mut l = Lossy {
            q,
            streams: (0..nodes as u64)
                .map(|i| Stream::new(seed, StreamKind::HeartbeatLoss, i))
                .collect(),
            cursors: vec![Cursor { start: 0, end: 0 }; nodes],
        };
        for i in 0..nodes {
            l.reset(i as u32, 1);
        }
        l
    }

    /// Draws the node's misses afresh from due index `from` on.
    pub fn reset(&mut self, node: u32, from: u64) {
        let i = node as usize;
        let start = from.saturating_add(geometric0(&mut self.streams[i], self.q));
        self.cursors[i] = Cursor { start, end: start };
        self.cursors[i].end = start.saturating_add(self.run_len(i));
    }

    fn run_len(&mut self, i: usize) -> u64 {
        1u64.saturating_add(geometric0(&mut self.streams[i], 1.0 - self.q))
    }

    /// The run after the current one (a run ends with a delivery).
    fn advance(&mut self, i: usize) {
        let gap = 1u64.saturating_add(geometric0(&mut self.streams[i], self.q));
        let start = self.cursors[i].end.saturating_add(gap);
        let end = start.saturating_add(self.run_len(i));
        self.cursors[i] = Cursor { start, end };
    }

    /// The due index of the `fall`-th of the first `fall` consecutive
    /// misses at or after index `from`, if before `stop`.
    pub fn next_fall(&mut self, node: u32, from: u64, fall: u32, stop: u64) -> Option<u64> {
        let i = node as usize;
        let f = u64::from(fall);
        let mut s = from;
        loop {
            while self.cursors[i].end <= s {
                self.advance(i);
            }
            let c = self.cursors[i];
            if c.start >= stop {
                return None;
            }
            let first = c.start.max(s);
            if c.end - first >= f {
                return Some(first + f - 1);
            }
            s = c.end;
        }
    }

    /// The due index of the `rise`-th of the first `rise` consecutive
    /// deliveries at or after index `from`, if before `stop`.
    pub fn next_rise(&mut self, node: u32, from: u64, rise: u32, stop: u64) -> Option<u64> {
        let i = node as usize;
        let r = u64::from(rise);
        let mut s = from;
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
            if c.start - s >= r {
                return Some(s + r - 1);
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
}
