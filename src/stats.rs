//! Small statistics: running mean and variance (Welford) and Student's t
//! quantile, computed with `libm` so results match on every platform.

/// Running mean and variance; merging two is exact in order.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Welford {
    pub n: u64,
    /// Running mean, for the variance update only; `mean()` is sum / n,
    /// which is exact for counts (13 failovers in 10 runs give 1.3).
    running: f64,
    sum: f64,
    m2: f64,
}

impl Welford {
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        let d = x - self.running;
        self.running += d / self.n as f64;
        self.m2 += d * (x - self.running);
    }

    /// Chan et al.'s parallel combination.
    pub fn merge(&mut self, o: &Welford) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *o;
            return;
        }
        let n = self.n + o.n;
        let d = o.running - self.running;
        self.running += d * o.n as f64 / n as f64;
        self.sum += o.sum;
        self.m2 += o.m2 + d * d * (self.n as f64 * o.n as f64) / n as f64;
        self.n = n;
    }

    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }

    /// The mean, or 0 with no observation.
    pub fn mean_or_zero(&self) -> f64 {
        self.mean().unwrap_or(0.0)
    }

    /// Sample variance (n − 1 denominator).
    pub fn variance(&self) -> Option<f64> {
        (self.n > 1).then(|| (self.m2 / (self.n - 1) as f64).max(0.0))
    }

    /// Half-width of the 95 % confidence interval of the mean.
    pub fn ci95(&self) -> Option<f64> {
        let v = self.variance()?;
        Some(t_quantile(0.975, (self.n - 1) as f64) * libm::sqrt(v / self.n as f64))
    }
}

/// The `p` quantile of Student's t with `df` degrees of freedom (p > 0.5).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    debug_assert!(p > 0.5 && p < 1.0 && df > 0.0);
    // Bisection on the CDF: slow-ish but exact to 1e-12 and called rarely.
    let (mut lo, mut hi) = (0.0, 1.0);
    while t_cdf(hi, df) < p {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-13 * hi.max(1.0) {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// CDF of Student's t at t ≥ 0: 1 − ½ I_{df/(df+t²)}(df/2, ½).
pub fn t_cdf(t: f64, df: f64) -> f64 {
    let x = df / (df + t * t);
    1.0 - 0.5 * inc_beta(df / 2.0, 0.5, x)
}

/// The regularised incomplete beta function I_x(a, b) (Numerical Recipes'
/// continued fraction, Lentz's method).
pub fn inc_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b)
        + a * libm::log(x)
        + b * libm::log(1.0 - x);
    let front = libm::exp(ln_front);
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, 1.0 - x) / b
    }
}

fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..500 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        // Published two-sided 95 % critical values.
        for (df, want) in [
            (1.0, 12.706_204_736),
            (2.0, 4.302_652_730),
            (5.0, 2.570_581_836),
            (10.0, 2.228_138_852),
            (30.0, 2.042_272_456),
            (1000.0, 1.962_339_081),
        ] {
            let got = t_quantile(0.975, df);
            assert!((got - want).abs() < 1e-6, "df {df}: {got} vs {want}");
        }
    }

    #[test]
    fn welford_merges_like_one_pass() {
        let xs = [1.0, 4.0, 2.0, 8.0, 5.0, 7.0];
        let mut all = Welford::default();
        xs.iter().for_each(|&x| all.add(x));
        let (mut a, mut b) = (Welford::default(), Welford::default());
        xs[..2].iter().for_each(|&x| a.add(x));
        xs[2..].iter().for_each(|&x| b.add(x));
        a.merge(&b);
        assert!((a.mean().unwrap() - all.mean().unwrap()).abs() < 1e-12);
        assert!((a.variance().unwrap() - all.variance().unwrap()).abs() < 1e-12);
        assert!((all.variance().unwrap() - 7.5).abs() < 1e-12);
    }
}
