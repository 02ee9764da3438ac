//! `hasim explain`: the story of one run in plain words, for people who are
//! learning what the architectures do. The concept first (after the source
//! article), then what this scenario's settings mean (`setup.rs`), then the
//! first run, event by event, with the outages they cause (`events.rs`).
//! Every sentence is chosen from the settings and the run; user text
//! (`name`, `description`, class names) is printed without control
//! characters.

mod events;
pub use events::role;
pub mod outage;
mod per_node;
mod promotion;
mod setup;
mod tradeoffs;

use crate::i18n::{t, tf};
use crate::montecarlo;
use crate::report::words::printable;

use crate::report::{story, Summary};
use crate::scenario::{Architecture, Scenario};
use crate::sim::time::human;

/// How many events the story tells before it points at events.csv.
pub const MAX_EVENTS: usize = 60;

/// What the roles are called in this architecture.
#[derive(Clone, Copy)]
pub struct Words {
    pub primary: &'static str,
    pub follower: &'static str,
}

impl Words {
    fn of(arch: Architecture) -> Self {
        match arch {
            Architecture::ColdStandby | Architecture::WarmStandby => Words {
                primary: "primary",
                follower: "backup",
            },
            Architecture::SymmetricCluster => Words {
                primary: "primary",
                follower: "member",
            },
            _ => Words {
                primary: "master",
                follower: "slave",
            },
        }
    }
}

/// A clock reading: `2d 03:04:05.250`.
pub fn clock(ns: u64) -> String {
    let s = ns / 1_000_000_000;
    let frac = ns % 1_000_000_000;
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    let mut t = if d > 0 {
        format!("{d}d {h:02}:{m:02}:{sec:02}")
    } else {
        format!("{h:02}:{m:02}:{sec:02}")
    };
    // Milliseconds, always three digits so that the column lines up; a
    // finer time shows its microseconds.
    if !frac.is_multiple_of(1_000_000) {
        t.push_str(&format!(".{:06}", frac / 1_000));
    } else if frac > 0 {
        t.push_str(&format!(".{:03}", frac / 1_000_000));
    }
    t
}

/// The whole story of `sc`'s first run; `file` is the scenario's path.
pub fn explain(sc: &Scenario, file: &std::path::Path) -> String {
    explain_replication(sc, file, 0)
}

/// The chain of outage `k` (from 1) of replication `rep` (issue 11 §4).
pub fn explain_outage(sc: &Scenario, rep: u32, k: usize) -> Result<String, String> {
    let o = outage::run_replication(sc, rep);
    outage::chain(sc, &o, rep, k)
}

/// The whole story of replication `rep` of `sc` (run again alone, with
/// its trace: replication r's seed derives from (seed, r)).
pub fn explain_replication(sc: &Scenario, file: &std::path::Path, rep: u32) -> String {
    let mut one = sc.clone();
    one.replications = 1;
    one.precision = None;
    let o = if rep == 0 {
        montecarlo::run(&one)
    } else {
        outage::run_replication(sc, rep)
    };
    let summary = Summary::new(&one, &o);
    let words = Words::of(sc.architecture);
    let mut text = format!(
        "{} — {}\n",
        printable(&sc.name).replace('\n', " "),
        crate::i18n::arch(crate::i18n::lang(), sc.architecture.name())
    );
    let t = &mut text;
    if !sc.description.is_empty() {
        t.push_str(&format!("{}\n", printable(&sc.description)));
    }
    t.push_str(&tf(
        "explain.intro",
        &[&setup::concept(sc), &tradeoffs::tradeoff(sc.architecture)],
    ));
    for s in setup::setup(sc, &words) {
        t.push_str(&format!("  - {s}\n"));
    }
    t.push_str(&tf(
        "explain.happened",
        &[
            &if rep == 0 {
                t_("explain.first_run")
            } else {
                tf("explain.replication", &[&rep])
            },
            &sc.seed,
            &human(sc.duration_ns),
            &if sc.warmup_ns > 0 {
                tf("explain.after_warmup", &[&human(sc.warmup_ns)])
            } else {
                String::new()
            },
        ],
    ));
    // Events, outage starts and ends, in time order; within one instant an
    // outage that ends comes first, then the events, then what they start.
    let mut teller = events::Teller::new(sc, &o.views, words);
    let mut lines: Vec<(u64, u8, String)> = Vec::new();
    for (i, e) in o.events.iter().enumerate().take(MAX_EVENTS) {
        lines.push((e.time_ns, 1, teller.sentence(e, &o.events[i + 1..])));
    }
    let horizon = o.events.get(MAX_EVENTS).map_or(u64::MAX, |e| e.time_ns);
    let outages: Vec<_> = o
        .outage_list
        .iter()
        .filter(|(r, _)| *r == 0)
        .map(|(_, x)| x)
        .collect();
    for x in outages.iter().filter(|x| x.start_ns < horizon) {
        lines.push((
            x.start_ns,
            2,
            tf("explain.down", &[&story::cause(&x.cause)]),
        ));
        let end = if x.censored {
            t_("explain.still_down")
        } else {
            tf("explain.back", &[&human(x.duration_ns())])
        };
        lines.push((x.end_ns, 0, end));
    }
    if sc.warmup_ns > 0 && lines.iter().any(|l| l.0 < sc.warmup_ns) {
        lines.push((sc.warmup_ns, 0, t_("explain.warmup_ends")));
    }
    lines.sort_by_key(|(time, order, _)| (*time, *order));
    if lines.is_empty() {
        t.push_str(&t_("explain.nothing_failed"));
    }
    for (time, _, line) in &lines {
        t.push_str(&format!("  {:>16}  {line}\n", clock(*time)));
    }
    if o.events.len() > MAX_EVENTS {
        let more = o.events.len() - MAX_EVENTS;
        t.push_str(&tf(
            "explain.more",
            &[
                &more,
                &t_(if more == 1 {
                    "explain.event"
                } else {
                    "explain.events"
                }),
                &t_(
                    if o.events
                        .last()
                        .is_some_and(|e| e.event == crate::model::TRACE_CUT)
                    {
                        "explain.those_kept"
                    } else {
                        "explain.them_all"
                    },
                ),
            ],
        ));
    } else if !lines.is_empty() && outages.is_empty() {
        t.push_str(&t_(if sc.warmup_ns > 0 {
            "explain.never_down_measured"
        } else {
            "explain.never_down"
        }));
    }
    t.push_str(&t_("explain.in_numbers"));
    for p in story::paragraph(&one, &summary, &o) {
        t.push_str(&format!("  {p}\n"));
    }
    let file = printable(&file.display().to_string()).replace('\n', " ");
    t.push_str(&if sc.replications > 1 {
        tf("explain.one_story_many", &[&file, &sc.replications])
    } else {
        tf("explain.one_story", &[&file])
    });
    text
}

/// A message without values (`t` is the story's text here).
fn t_(id: &str) -> String {
    t(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_readings() {
        assert_eq!(clock(0), "00:00:00");
        assert_eq!(clock(102_000_000_000), "00:01:42");
        assert_eq!(
            clock(86_400_000_000_000 + 3_723_250_000_000),
            "1d 01:02:03.250"
        );
        assert_eq!(clock(1_500_000), "00:00:00.001500");
        assert_eq!(clock(150_000_000), "00:00:00.150");
    }
}
