//! `hasim lessons` (issue 11 §6): writes `docs/lessons.md`, which walks
//! the source article's ideas in its order. Each lesson pairs a happy-path
//! scenario with a failure one from `scenarios/lessons/`, asks a question,
//! says what to look at, and quotes the numbers of running both. The
//! scenarios are short and scripted, so the file is regenerated in a
//! moment and a test checks that the bundled file is current.

use crate::error::Result;
use crate::i18n::{t, tf};
use crate::montecarlo;
use crate::report::Summary;
use crate::scenario::{self, LoadOptions};
use crate::sim::time::human_s;
use std::path::Path;

/// One lesson: its two scenarios in `scenarios/lessons/`. Its text (title,
/// idea, question, what to look at) is in the catalogue as
/// `lessons.N.title`, `lessons.N.idea`, `lessons.N.question` and
/// `lessons.N.look`, in English and Chinese.
struct Lesson {
    happy: &'static str,
    failure: &'static str,
}

const LESSONS: [Lesson; 5] = [
    Lesson {
        happy: "1-cold-repair.toml",
        failure: "1-cold-dies.toml",
    },
    Lesson {
        happy: "2-warm-backup-crash.toml",
        failure: "2-warm-dies.toml",
    },
    Lesson {
        happy: "3-ms-slave-crash.toml",
        failure: "3-ms-master-dies.toml",
    },
    Lesson {
        happy: "4-sym-retry.toml",
        failure: "4-sym-no-retry.toml",
    },
    Lesson {
        happy: "5-asym-slave-crash.toml",
        failure: "5-asym-master-crash.toml",
    },
];

/// The rows quoted for one run.
fn numbers(s: &Summary) -> Vec<(String, String)> {
    let mut rows = vec![
        (t("lessons.row.uptime"), format!("{:.6}", s.uptime)),
        (t("lessons.row.downtime"), human_s(s.downtime_s)),
        (t("lessons.row.outages"), format!("{}", s.outages)),
        (t("lessons.row.failovers"), format!("{}", s.failovers)),
    ];
    rows.push((
        t("lessons.row.mean_outage"),
        s.mean_outage_s.map_or("–".into(), human_s),
    ));
    if s.uptime_by_class.0.len() > 1 {
        for (class, up) in &s.uptime_by_class.0 {
            rows.push((tf("lessons.row.class_uptime", &[class]), format!("{up:.6}")));
        }
    }
    if let Some(r) = &s.requests {
        rows.push((t("lessons.row.offered"), r.offered.to_string()));
        rows.push((t("lessons.row.failed"), r.failed.to_string()));
        rows.push((t("lessons.row.retries"), r.retries.to_string()));
    }
    rows
}

/// `docs/lessons.md` from the scenarios in `dir` (`scenarios/lessons`), in
/// this thread's language (`docs/lessons.zh.md` under `--lang zh`): the
/// numbers come from the same runs whatever the language.
pub fn render(dir: &Path) -> Result<String> {
    let mut t = crate::i18n::t("lessons.head");
    for (i, l) in LESSONS.iter().enumerate() {
        let (a, b) = (dir.join(l.happy), dir.join(l.failure));
        let run = |p: &Path| -> Result<Summary> {
            let sc = scenario::load(p, &LoadOptions::default())?;
            let o = montecarlo::run(&sc);
            Ok(Summary::new(&sc, &o))
        };
        let (sa, sb) = (run(&a)?, run(&b)?);
        let n = i + 1;
        let text = |part: &str| crate::i18n::t(&format!("lessons.{n}.{part}"));
        t.push_str(&tf(
            "lessons.section",
            &[&n, &text("title"), &text("idea"), &text("question")],
        ));
        t.push_str(&tf("lessons.table", &[&l.happy, &l.failure]));
        let (na, nb) = (numbers(&sa), numbers(&sb));
        for (k, va) in &na {
            let vb = nb
                .iter()
                .find(|(kb, _)| kb == k)
                .map_or("", |(_, v)| v.as_str());
            t.push_str(&format!("| {k} | {va} | {vb} |\n"));
        }
        let said = |file: &str, s: &Summary| {
            tf("lessons.said", &[&file, &human_s(s.downtime_s), &s.outages])
        };
        t.push_str(&tf(
            "lessons.numbers",
            &[&said(l.happy, &sa), &said(l.failure, &sb), &text("look")],
        ));
    }
    Ok(t)
}
