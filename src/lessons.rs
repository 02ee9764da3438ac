//! `hasim lessons` (issue 11 §6): writes `docs/lessons.md`, which walks
//! the source article's ideas in its order. Each lesson pairs a happy-path
//! scenario with a failure one from `scenarios/lessons/`, asks a question,
//! says what to look at, and quotes the numbers of running both. The
//! scenarios are short and scripted, so the file is regenerated in a
//! moment and a test checks that the bundled file is current.

use crate::error::Result;
use crate::montecarlo;
use crate::report::Summary;
use crate::scenario::{self, LoadOptions};
use crate::sim::time::human_s;
use std::path::Path;

struct Lesson {
    title: &'static str,
    idea: &'static str,
    question: &'static str,
    happy: &'static str,
    failure: &'static str,
    look: &'static str,
}

const LESSONS: [Lesson; 5] = [
    Lesson {
        title: "Cold standby (冷备): a person brings the service back",
        idea: "One primary does all the work; the backup has the software and configuration but its service is not running. The task allocator (任务分配器) keeps sending to the primary. A recoverable failure waits for its repair; a permanent one waits for an operator, who starts the backup's service and re-points the allocator.",
        question: "The same primary fails twice: once it is repaired in 10 minutes, once it is gone for good. Which outage is longer, and what makes up its length?",
        happy: "1-cold-repair.toml",
        failure: "1-cold-dies.toml",
        look: "the outage duration; in `hasim explain scenarios/lessons/1-cold-dies.toml --outage 1`, the detection, the operator's 10 minutes, the 4-minute service start and the 1-minute switch.",
    },
    Lesson {
        title: "Warm standby (温备): the backup is already running",
        idea: "Like cold standby, but the backup's service runs, so a promotion costs only the switch. A failure of the backup costs nothing until the primary fails too. Manual switching is slow and error-prone, so the article says standby suits internal systems, not online services.",
        question: "The backup crashes in one run and the primary dies for good in the other. What does each cost, and how much shorter than the cold standby's is the second outage?",
        happy: "2-warm-backup-crash.toml",
        failure: "2-warm-dies.toml",
        look: "downtime (zero when the backup fails) and the outage against lesson 1's: the 4-minute start is gone.",
    },
    Lesson {
        title: "Master-slave (主从): the slave works too",
        idea: "The slave serves its own class of tasks, so its hardware is not idle; the price is that tasks must be classified (class A to the master, class B to the slave). The allocator routes by configuration, not by health: when a node fails, its class fails until it is repaired or an operator re-points the allocator.",
        question: "When the slave crashes, which tasks fail? When the master dies for good, which fail, and for how long?",
        happy: "3-ms-slave-crash.toml",
        failure: "3-ms-master-dies.toml",
        look: "uptime per class: the slave's crash stops only class B, the master's death only class A (until the operator's 10 minutes and the 1-minute switch are over); the service counts as down while any class is unserved, and about half the requests fail in each outage.",
    },
    Lesson {
        title: "Symmetric cluster (对称集群): heartbeats (心跳) and retries",
        idea: "Every node can do every task, and the allocator stops sending to a node once its heartbeats mark it down. There is no role to move, so a crash costs only the seconds before the mark-down; with a retry, a task sent to the stopped node is sent again to another.",
        question: "The same node crashes for 10 minutes, with and without a retry. How many requests fail, and is the service ever down?",
        happy: "4-sym-retry.toml",
        failure: "4-sym-no-retry.toml",
        look: "failed requests and retries (the service stays up: two nodes are left).",
    },
    Lesson {
        title: "Asymmetric cluster (非对称集群): electing a master",
        idea: "One master, the rest slaves; writes need the master, reads go anywhere (like ZooKeeper). When the master fails the cluster elects a new one by itself: no operator, only detection and the switch. Compute HA has no data to keep consistent, which is why the article calls storage HA the harder design.",
        question: "A slave crashes in one run, the master in the other. How long are writes down, and how does that compare with the operator's minutes of lessons 1 to 3?",
        happy: "5-asym-slave-crash.toml",
        failure: "5-asym-master-crash.toml",
        look: "the outage (seconds: the mark-down plus the 2-second switch) and the failover count.",
    },
];

/// The rows quoted for one run.
fn numbers(s: &Summary) -> Vec<(String, String)> {
    let mut rows = vec![
        ("uptime".to_string(), format!("{:.6}", s.uptime)),
        ("downtime".into(), human_s(s.downtime_s)),
        ("outages".into(), format!("{}", s.outages)),
        ("failovers".into(), format!("{}", s.failovers)),
    ];
    rows.push((
        "mean outage".into(),
        s.mean_outage_s.map_or("–".into(), human_s),
    ));
    if s.uptime_by_class.0.len() > 1 {
        for (class, up) in &s.uptime_by_class.0 {
            rows.push((format!("uptime of class {class}"), format!("{up:.6}")));
        }
    }
    if let Some(r) = &s.requests {
        rows.push(("requests offered".into(), r.offered.to_string()));
        rows.push(("requests failed".into(), r.failed.to_string()));
        rows.push(("retries".into(), r.retries.to_string()));
    }
    rows
}

/// `docs/lessons.md` from the scenarios in `dir` (`scenarios/lessons`).
pub fn render(dir: &Path) -> Result<String> {
    let mut t = String::from(
        "# Lessons: compute high availability, step by step\n\n\
         <!-- Generated by `hasim lessons --out docs/lessons.md`; do not edit by hand (a test checks it is current). -->\n\n\
         These lessons follow the source article's order: standby, master-slave, then clusters. Each pairs a \
         happy path with a failure on the same settings, asks a question, says what to look at, and quotes the \
         numbers of running both scenarios (one replication, scripted faults, so the numbers are exact). Run \
         them yourself with `hasim run FILE` (the page has a replay player: step through the events) and \
         `hasim explain FILE`; compare a pair with `hasim compare HAPPY FAILURE`.\n",
    );
    for (i, l) in LESSONS.iter().enumerate() {
        let (a, b) = (dir.join(l.happy), dir.join(l.failure));
        let run = |p: &Path| -> Result<Summary> {
            let sc = scenario::load(p, &LoadOptions::default())?;
            let o = montecarlo::run(&sc);
            Ok(Summary::new(&sc, &o))
        };
        let (sa, sb) = (run(&a)?, run(&b)?);
        t.push_str(&format!(
            "\n## {}. {}\n\n{}\n\n**Question.** {}\n\n",
            i + 1,
            l.title,
            l.idea,
            l.question
        ));
        t.push_str(&format!(
            "| | happy path: `scenarios/lessons/{}` | failure: `scenarios/lessons/{}` |\n|---|---:|---:|\n",
            l.happy, l.failure
        ));
        let (na, nb) = (numbers(&sa), numbers(&sb));
        for (k, va) in &na {
            let vb = nb
                .iter()
                .find(|(kb, _)| kb == k)
                .map_or("", |(_, v)| v.as_str());
            t.push_str(&format!("| {k} | {va} | {vb} |\n"));
        }
        let said = |file: &str, s: &Summary| {
            format!(
                "`{file}` is down {} in {} outage(s)",
                human_s(s.downtime_s),
                s.outages
            )
        };
        t.push_str(&format!(
            "\nIn numbers: {}; {}.\n\n**Look at** {}\n",
            said(l.happy, &sa),
            said(l.failure, &sb),
            l.look
        ));
    }
    Ok(t)
}
