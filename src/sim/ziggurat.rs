//! Exponential deviates by the ziggurat method (Marsaglia & Tsang, 2000):
//! 256 layers, one table lookup and one multiply for ~98.9 % of draws, a
//! logarithm only in the tail. The tables are computed once with `libm`,
//! so draws are identical on every platform.

use std::sync::OnceLock;

/// Where the base layer's tail starts.
const R: f64 = 7.697_117_470_131_05;

struct Tables {
    x: [f64; 257],
    f: [f64; 257],
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        // Each layer has area v: the base rectangle plus the tail.
        let v = libm::exp(-R) * (R + 1.0);
        let mut x = [0.0; 257];
        x[0] = v / libm::exp(-R);
        x[1] = R;
        for i in 1..256 {
            x[i + 1] = -libm::log(libm::exp(-x[i]) + v / x[i]);
        }
        x[256] = 0.0;
        let f = x.map(|xi| libm::exp(-xi));
        Tables { x, f }
    })
}

/// An exponential deviate with mean 1 from 64-bit random words. The
/// common case (one word, one lookup, one multiply) is inlined into the
/// caller; the rest is out of line (issue 8: the per-request path draws
/// two of these).
#[inline]
pub fn exp1(mut next: impl FnMut() -> u64) -> f64 {
    let t = tables();
    let bits = next();
    let i = (bits & 0xff) as usize;
    let u = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
    let x = u * t.x[i];
    if x < t.x[i + 1] {
        return x;
    }
    exp1_rest(t, i, x, &mut next)
}

/// The draw `bits` fell outside its layer's rectangle: the tail, the
/// wedge test, and on rejection a fresh draw, as in the plain loop.
#[cold]
#[inline(never)]
fn exp1_rest(t: &Tables, mut i: usize, mut x: f64, next: &mut dyn FnMut() -> u64) -> f64 {
    loop {
        if i == 0 {
            // The tail beyond R is again exponential.
            let u = (next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
            return R - libm::log(1.0 - u);
        }
        let u2 = (next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        if t.f[i + 1] + (t.f[i] - t.f[i + 1]) * u2 < libm::exp(-x) {
            return x;
        }
        let bits = next();
        i = (bits & 0xff) as usize;
        let u = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        x = u * t.x[i];
        if x < t.x[i + 1] {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Stream, StreamKind};

    #[test]
    fn tables_close_at_zero() {
        let t = tables();
        // The recursion must land on 0 by itself for the layers to be right.
        assert!(-libm::log(libm::exp(-t.x[255]) + libm::exp(-R) * (R + 1.0) / t.x[255]) < 1e-6);
        assert!(t.x.windows(2).all(|w| w[0] > w[1]));
    }

    #[test]
    fn matches_the_exponential_distribution() {
        let mut s = Stream::new(9, StreamKind::Service, 0);
        let n = 1_000_000;
        let xs: Vec<f64> = (0..n).map(|_| s.exp1()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!((mean - 1.0).abs() < 0.004, "mean {mean}");
        assert!((var - 1.0).abs() < 0.01, "variance {var}");
        // Tail probabilities P(X > t) = e^-t, including beyond R.
        for t in [0.1, 1.0, 3.0, 8.0] {
            let p = xs.iter().filter(|&&x| x > t).count() as f64 / n as f64;
            let want = libm::exp(-t);
            assert!(
                (p - want).abs() < 4.0 * (want / n as f64).sqrt() + 1e-6,
                "P(X > {t}) = {p}, want {want}"
            );
        }
    }
}
