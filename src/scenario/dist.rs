//! Probability distributions of durations, and their samplers.
//!
//! Samplers draw from a `Stream` using `libm` maths only, and round every
//! draw to whole nanoseconds, so a draw is the same on every platform.

use crate::sim::time::round_ns;
use crate::sim::Stream;

/// A validated distribution of durations, parameters in nanoseconds.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    Fixed(u64),
    Exponential { mean_ns: f64 },
    Uniform { min_ns: u64, max_ns: u64 },
    LogNormal { median_ns: f64, sigma: f64 },
    Weibull { shape: f64, scale_ns: f64 },
}

impl Dist {
    /// One draw, in whole nanoseconds.
    #[inline]
    pub fn sample(&self, s: &mut Stream) -> u64 {
        match *self {
            Dist::Fixed(v) => v,
            Dist::Exponential { mean_ns } => round_ns(mean_ns * s.exp1()),
            Dist::Uniform { min_ns, max_ns } => s.between(min_ns, max_ns),
            Dist::LogNormal { median_ns, sigma } => {
                round_ns(median_ns * libm::exp(sigma * s.normal()))
            }
            Dist::Weibull { shape, scale_ns } => {
                round_ns(scale_ns * libm::pow(s.exp1(), 1.0 / shape))
            }
        }
    }

    /// The mean, in nanoseconds.
    pub fn mean_ns(&self) -> f64 {
        match *self {
            Dist::Fixed(v) => v as f64,
            Dist::Exponential { mean_ns } => mean_ns,
            Dist::Uniform { min_ns, max_ns } => (min_ns as f64 + max_ns as f64) / 2.0,
            Dist::LogNormal { median_ns, sigma } => median_ns * libm::exp(sigma * sigma / 2.0),
            Dist::Weibull { shape, scale_ns } => scale_ns * libm::tgamma(1.0 + 1.0 / shape),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::StreamKind;

    fn sample_mean(d: &Dist, n: usize) -> f64 {
        let mut s = Stream::new(42, StreamKind::Service, 0);
        (0..n).map(|_| d.sample(&mut s) as f64).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_analytic_means() {
        let cases = [
            Dist::Exponential { mean_ns: 1e6 },
            Dist::Uniform {
                min_ns: 1_000,
                max_ns: 3_000,
            },
            Dist::LogNormal {
                median_ns: 1e6,
                sigma: 0.5,
            },
            Dist::Weibull {
                shape: 1.5,
                scale_ns: 1e6,
            },
        ];
        for d in &cases {
            let m = sample_mean(d, 400_000);
            let rel = (m - d.mean_ns()).abs() / d.mean_ns();
            assert!(
                rel < 0.01,
                "{d:?}: sample mean {m}, analytic {}",
                d.mean_ns()
            );
        }
    }

    #[test]
    fn fixed_is_exact() {
        let mut s = Stream::new(1, StreamKind::Service, 0);
        assert_eq!(Dist::Fixed(17).sample(&mut s), 17);
    }
}
