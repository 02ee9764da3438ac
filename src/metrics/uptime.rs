//! Uptime as a piecewise-constant signal: time up in total, per class and per
//! window, and the list of outages, all clipped to the measured interval.

/// What started an outage: an event name and the node it happened to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cause {
    pub event: &'static str,
    pub node: Option<u32>,
}

impl Cause {
    pub fn describe(&self) -> String {
        match self.node {
            Some(n) => format!("{} (node {n})", self.event),
            None => self.event.to_string(),
        }
    }
}

/// The component whose failure took the service down (SPEC §7
/// attribution): `node:3`, `domain:rack-a` (by index), `dispatcher:0`,
/// `maintenance:2`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Root {
    Node(u32),
    Domain(u32),
    Dispatcher(u32),
    Maintenance(u32),
}

/// One maximal down interval, clipped to the measured interval.
#[derive(Clone, Debug, PartialEq)]
pub struct Outage {
    pub start_ns: u64,
    pub end_ns: u64,
    /// Still down when the measured interval ended.
    pub censored: bool,
    pub cause: Cause,
    /// The component at the root of the outage (None: no component, e.g.
    /// an outage from the configuration itself).
    pub root: Option<Root>,
}

impl Outage {
    pub fn duration_ns(&self) -> u64 {
        self.end_ns - self.start_ns
    }
}

/// The state reported within the instant being processed: it takes effect
/// at the end of the instant (SPEC §3: changes of state within one instant
/// do not end an outage).
struct Pending {
    t: u64,
    up: bool,
    class_up: Vec<bool>,
    /// The first update of the instant that reported the service down.
    cause: Option<Cause>,
    root: Option<Root>,
}

pub struct UptimeTracker {
    /// The component being handled, set by the model before `update`
    /// (a domain, a dispatcher); otherwise the cause's node is the root.
    pub hint: Option<Root>,
    down_root: Option<Root>,
    start: u64,
    end: u64,
    window: u64,
    last: u64,
    /// The state at the end of the last instant committed.
    up: bool,
    class_up: Vec<bool>,
    pending: Option<Pending>,
    up_ns: u64,
    class_up_ns: Vec<u64>,
    window_up_ns: Vec<u64>,
    down_since: Option<(u64, Cause)>,
    outages: Vec<Outage>,
    finished: bool,
}

impl UptimeTracker {
    /// Measures [start, end) in windows of `window`; the service starts up.
    pub fn new(start: u64, end: u64, window: u64, classes: usize) -> Self {
        let windows = (end - start).div_ceil(window) as usize;
        UptimeTracker {
            hint: None,
            down_root: None,
            start,
            end,
            window,
            last: 0,
            up: true,
            class_up: vec![true; classes],
            pending: None,
            up_ns: 0,
            class_up_ns: vec![0; classes],
            window_up_ns: vec![0; windows],
            down_since: None,
            outages: Vec::new(),
            finished: false,
        }
    }

    /// The service state from `t` on. `cause` names the event at `t`. Updates
    /// at the same `t` replace each other: only the state at the end of the
    /// instant counts, and an outage starting then is put down to the first
    /// event of the instant that took the service down.
    pub fn update(&mut self, t: u64, up: bool, class_up: &[bool], cause: Cause) {
        if self.finished {
            return;
        }
        if self.pending.as_ref().is_some_and(|p| p.t != t) {
            self.commit();
        }
        if t >= self.end {
            // The measured interval closed before this change.
            return self.finish();
        }
        let p = self.pending.get_or_insert_with(|| Pending {
            t,
            up,
            class_up: Vec::new(),
            cause: None,
            root: None,
        });
        p.up = up;
        p.class_up.clear();
        p.class_up.extend_from_slice(class_up);
        if !up && p.cause.is_none() {
            p.cause = Some(cause);
            // SPEC §7: a planned stop's root is the maintenance of its node.
            let planned = crate::model::PLANNED.contains(&cause.event);
            p.root = self.hint.or(cause.node.map(|n| match planned {
                true => Root::Maintenance(n),
                false => Root::Node(n),
            }));
        }
    }

    /// The instant of the pending state is over: it takes effect.
    fn commit(&mut self) {
        let Some(p) = self.pending.take() else {
            return;
        };
        self.accumulate(p.t);
        if self.up && !p.up {
            let cause = p.cause.expect("set by the update that went down");
            self.down_since = Some((p.t, cause));
            self.down_root = p.root;
        } else if !self.up && p.up {
            if let Some((s, c)) = self.down_since.take() {
                self.push_outage(s, p.t, false, c);
            }
        }
        self.up = p.up;
        self.class_up = p.class_up;
    }

    /// Closes the measured interval; later updates are ignored.
    pub fn finish(&mut self) {
        if self.finished {
            return;
        }
        if self.pending.as_ref().is_some_and(|p| p.t < self.end) {
            self.commit();
        }
        self.pending = None;
        self.accumulate(self.end);
        if let Some((s, c)) = self.down_since.take() {
            self.push_outage(s, self.end, true, c);
        }
        self.finished = true;
    }

    fn push_outage(&mut self, s: u64, e: u64, censored: bool, cause: Cause) {
        let (s, e) = (s.max(self.start), e.min(self.end));
        if e > s {
            self.outages.push(Outage {
                start_ns: s,
                end_ns: e,
                censored,
                cause,
                root: self.down_root,
            });
        }
    }

    /// Adds the time from the last update to `t` under the current state.
    fn accumulate(&mut self, t: u64) {
        let (a, b) = (self.last.max(self.start), t.min(self.end));
        self.last = t.max(self.last);
        if b <= a {
            return;
        }
        let len = b - a;
        for (acc, up) in self.class_up_ns.iter_mut().zip(&self.class_up) {
            if *up {
                *acc += len;
            }
        }
        if !self.up {
            return;
        }
        self.up_ns += len;
        let mut t0 = a;
        while t0 < b {
            let w = ((t0 - self.start) / self.window) as usize;
            let w_end = (self.start + (w as u64 + 1) * self.window).min(b);
            self.window_up_ns[w] += w_end - t0;
            t0 = w_end;
        }
    }

    /// Outages closed and not yet taken.
    pub fn closed_outages(&self) -> usize {
        self.outages.len()
    }

    /// Takes the outages closed so far (issue 8: a replication hands them
    /// on as they close instead of keeping them all).
    pub fn take_outages(&mut self) -> Vec<Outage> {
        std::mem::take(&mut self.outages)
    }

    /// The earliest start an outage not yet closed can have: the start
    /// of the one under way, or the instant not yet committed (it may
    /// start one); None when neither.
    pub fn open_from_ns(&self) -> Option<u64> {
        let a = self.down_since.map(|(s, _)| s);
        let b = self.pending.as_ref().map(|p| p.t);
        a.into_iter().chain(b).min()
    }

    /// (up_ns, per-class up_ns, per-window up_ns, outages).
    pub fn into_parts(self) -> (u64, Vec<u64>, Vec<u64>, Vec<Outage>) {
        debug_assert!(self.finished);
        (
            self.up_ns,
            self.class_up_ns,
            self.window_up_ns,
            self.outages,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: Cause = Cause {
        event: "crashed",
        node: Some(0),
    };

    #[test]
    fn clips_to_the_measured_interval_and_windows() {
        // Measure [10, 50) in windows of 20; down over [5, 15) and [40, 60).
        let mut u = UptimeTracker::new(10, 50, 20, 1);
        u.update(5, false, &[false], C);
        u.update(15, true, &[true], C);
        u.update(40, false, &[false], C);
        u.update(60, true, &[true], C);
        u.finish();
        let (up, class, windows, outages) = u.into_parts();
        assert_eq!(up, 25); // [15, 40)
        assert_eq!(class, vec![25]);
        assert_eq!(windows, vec![15, 10]);
        assert_eq!(outages.len(), 2);
        assert_eq!(
            (outages[0].start_ns, outages[0].end_ns, outages[0].censored),
            (10, 15, false)
        );
        assert_eq!(
            (outages[1].start_ns, outages[1].end_ns, outages[1].censored),
            (40, 50, true)
        );
    }

    #[test]
    fn zero_length_outages_do_not_count() {
        let mut u = UptimeTracker::new(0, 100, 10, 1);
        u.update(30, false, &[false], C);
        u.update(30, true, &[true], C);
        u.finish();
        let (up, _, _, outages) = u.into_parts();
        assert_eq!(up, 100);
        assert!(outages.is_empty());
    }

    #[test]
    fn changes_within_an_instant_do_not_end_an_outage() {
        // Down at 10; at 20 up, then down again in the same instant: one
        // outage [10, 30), put down to the event that started it.
        let start = Cause {
            event: "crashed",
            node: Some(1),
        };
        let later = Cause {
            event: "promoted",
            node: Some(0),
        };
        let mut u = UptimeTracker::new(0, 100, 50, 1);
        u.update(10, false, &[false], start);
        u.update(20, true, &[true], later);
        u.update(20, false, &[false], later);
        u.update(30, true, &[true], later);
        u.finish();
        let (up, class, windows, outages) = u.into_parts();
        assert_eq!((up, class, windows), (80, vec![80], vec![30, 50]));
        assert_eq!(outages.len(), 1);
        let o = &outages[0];
        assert_eq!((o.start_ns, o.end_ns, o.cause), (10, 30, start));
    }

    #[test]
    fn the_first_event_that_took_the_service_down_is_the_cause() {
        // At 40 a crash, then (same instant) a mark-down and a promotion
        // that report the service down again: the crash is the cause.
        let mut u = UptimeTracker::new(0, 100, 100, 1);
        u.update(
            40,
            true,
            &[true],
            Cause {
                event: "healed",
                node: Some(2),
            },
        );
        u.update(40, false, &[false], C);
        u.update(
            40,
            false,
            &[false],
            Cause {
                event: "marked_down",
                node: Some(0),
            },
        );
        u.update(45, true, &[true], C);
        u.finish();
        let (_, _, _, outages) = u.into_parts();
        assert_eq!(outages.len(), 1);
        assert_eq!(outages[0].cause, C);
    }
}
