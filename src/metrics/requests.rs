//! Request outcomes: counts, latency histograms, and the same per window.
//! Memory depends on the number of windows, never on the request count.

use hdrhistogram::Histogram;

use super::loglinear::LogCounts;

/// How a failed request ended (SPEC §2: classified by its last attempt).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    TimedOut,
    Rejected,
    Errored,
}

/// Counts and latency of the requests of one window.
#[derive(Clone, Debug, Default)]
pub struct WindowRequests {
    pub offered: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// Retries of requests that arrived in this window (issue 11 §3:
    /// the replay player's per-window counter).
    pub retries: u64,
    /// Latency in microseconds, 2 significant digits; made on first use.
    pub latency_us: Option<Histogram<u64>>,
}

/// Request counts: one replication's, or totals over replications.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Totals {
    pub offered: u64,
    pub succeeded: u64,
    pub timed_out: u64,
    pub rejected: u64,
    pub errored: u64,
    pub retries: u64,
}

impl Totals {
    pub fn failed(&self) -> u64 {
        self.timed_out + self.rejected + self.errored
    }

    pub fn add(&mut self, o: &Totals) {
        self.offered += o.offered;
        self.succeeded += o.succeeded;
        self.timed_out += o.timed_out;
        self.rejected += o.rejected;
        self.errored += o.errored;
        self.retries += o.retries;
    }
}

#[derive(Clone, Debug)]
pub struct RequestStats {
    pub counts: Totals,
    /// Latency of successful requests in nanoseconds, 3 significant digits.
    pub latency_ns: Histogram<u64>,
    pub latency_sum_ns: u128,
    pub latency_min_ns: u64,
    pub latency_max_ns: u64,
    pub windows: Vec<WindowRequests>,
    /// What `succeed` records, in the histograms' own buckets: moved into
    /// `latency_ns` and the windows' `latency_us` by `finish`.
    run_counts: LogCounts,
    window_counts: Vec<LogCounts>,
}

impl RequestStats {
    pub fn new(windows: usize) -> Self {
        RequestStats {
            counts: Totals::default(),
            latency_ns: Histogram::new(3).expect("3 significant digits are valid"),
            latency_sum_ns: 0,
            latency_min_ns: u64::MAX,
            latency_max_ns: 0,
            windows: vec![WindowRequests::default(); windows],
            run_counts: LogCounts::new(3),
            window_counts: vec![LogCounts::new(2); windows],
        }
    }

    pub fn offer(&mut self, window: usize) {
        self.counts.offered += 1;
        self.windows[window].offered += 1;
    }

    /// Counts a successful request. Its latency reaches the histograms
    /// (`latency_ns`, the window's `latency_us`) at `finish`.
    #[inline]
    pub fn succeed(&mut self, window: usize, latency_ns: u64) {
        self.counts.succeeded += 1;
        self.run_counts.record(latency_ns);
        self.latency_sum_ns += u128::from(latency_ns);
        self.latency_min_ns = self.latency_min_ns.min(latency_ns);
        self.latency_max_ns = self.latency_max_ns.max(latency_ns);
        self.windows[window].succeeded += 1;
        self.window_counts[window].record(latency_ns / 1_000);
    }

    /// Moves the latencies counted by `succeed` into the histograms, which
    /// then hold exactly what recording each latency in them would have
    /// (see `loglinear`); a window gets its histogram at its first success.
    /// Called once when the replication ends; calling it again adds nothing.
    pub fn finish(&mut self) {
        if !self.run_counts.is_empty() {
            self.run_counts.add_to(&mut self.latency_ns);
            self.run_counts = LogCounts::new(3);
        }
        for (w, c) in self.windows.iter_mut().zip(&mut self.window_counts) {
            if !c.is_empty() {
                let h = w.latency_us.get_or_insert_with(|| {
                    Histogram::new(2).expect("2 significant digits are valid")
                });
                c.add_to(h);
                *c = LogCounts::new(2);
            }
        }
    }

    pub fn fail(&mut self, window: usize, how: Failure) {
        match how {
            Failure::TimedOut => self.counts.timed_out += 1,
            Failure::Rejected => self.counts.rejected += 1,
            Failure::Errored => self.counts.errored += 1,
        }
        self.windows[window].failed += 1;
    }

    /// Mean latency of successful requests, in nanoseconds.
    pub fn latency_mean_ns(&self) -> Option<f64> {
        (self.counts.succeeded > 0)
            .then(|| self.latency_sum_ns as f64 / self.counts.succeeded as f64)
    }
}
