//! Random scenarios, every architecture and setting mixed: the simulation
//! never panics and what must always hold, holds.

use hasim::model::{simulate, RunOptions};
use hasim::scenario::{self, LoadOptions};
use hasim::sim::{Stream, StreamKind};
use std::path::Path;

fn pick<'a>(s: &mut Stream, xs: &[&'a str]) -> &'a str {
    xs[s.below(xs.len() as u64) as usize]
}

/// A random but valid scenario.
fn random_scenario(s: &mut Stream) -> String {
    let arch = pick(
        s,
        &[
            "cold-standby",
            "warm-standby",
            "master-slave",
            "symmetric-cluster",
            "asymmetric-cluster",
        ],
    );
    let count = 1 + s.below(5);
    let mut t = format!(
        "architecture = \"{arch}\"\nduration = \"{}s\"\nwarmup = \"{}s\"\nwindow = \"{}s\"\n[nodes]\ncount = {count}\ncapacity = {}\nqueue = {}\n",
        200 + s.below(2000),
        s.below(100),
        50 + s.below(100),
        1 + s.below(4),
        s.below(20),
    );
    let failure = if s.below(2) == 0 {
        format!(
            "{{ dist = \"exponential\", mean = \"{}s\" }}",
            20 + s.below(300)
        )
    } else {
        format!(
            "{{ dist = \"weibull\", shape = {}, scale = \"{}s\" }}",
            0.5 + s.unit() * 2.0,
            20 + s.below(300)
        )
    };
    t.push_str(&format!(
        "failure = {failure}\nrepair = {{ dist = \"exponential\", mean = \"{}s\" }}\n",
        1 + s.below(120)
    ));
    if s.below(2) == 0 {
        t.push_str(&format!(
            "permanent = 0.{}\nreplace = \"{}s\"\n",
            1 + s.below(9),
            1 + s.below(200)
        ));
    }
    if s.below(4) != 0 {
        t.push_str(&format!(
            "[workload]\nrate = {}\narrival = \"{}\"\nservice = {{ dist = \"exponential\", mean = \"{}ms\" }}\n",
            1 + s.below(200),
            pick(s, &["poisson", "constant"]),
            1 + s.below(100)
        ));
        if s.below(2) == 0 {
            t.push_str(&format!("deadline = \"{}ms\"\n", 50 + s.below(2000)));
        }
        if s.below(3) == 0 {
            t.push_str(&format!("drain = \"{}s\"\n", s.below(10)));
        }
    }
    t.push_str(&format!(
        "[dispatch]\npolicy = \"{}\"\nattempts = {}\nbackoff = \"{}ms\"\n",
        pick(
            s,
            &["round-robin", "random", "least-loaded", "power-of-two"]
        ),
        1 + s.below(3),
        s.below(3) * 50
    ));
    t.push_str(&format!(
        "[detection]\nheartbeat = \"{}s\"\nfall = {}\nrise = {}\n",
        s.below(4),
        1 + s.below(4),
        1 + s.below(3)
    ));
    if s.below(3) == 0 {
        t.push_str(&format!("task_timeout = \"{}ms\"\n", 20 + s.below(500)));
    }
    if arch != "symmetric-cluster" {
        t.push_str(&format!(
            "[failover]\npromotion = \"{}\"\noperator = \"{}s\"\nswitch = {{ dist = \"uniform\", min = \"0s\", max = \"{}s\" }}\n",
            pick(s, &["manual", "automatic", "none"]),
            s.below(200),
            s.below(30)
        ));
        if arch == "cold-standby" {
            t.push_str(&format!("start = \"{}s\"\n", s.below(60)));
        }
        if arch == "asymmetric-cluster" {
            t.push_str(&format!(
                "[election]\nalgorithm = \"{}\"\npause = {}\nforward = {}\nmessage_delay = \"{}ms\"\n",
                pick(s, &["lowest-id", "raft"]),
                s.below(2) == 0,
                s.below(2) == 0,
                s.below(20)
            ));
        }
    }
    for _ in 0..s.below(4) {
        t.push_str(&format!(
            "[[faults]]\nat = \"{}s\"\nnode = {}\nkind = \"{}\"\n",
            s.below(2500),
            s.below(count),
            pick(
                s,
                &["crash", "crash", "permanent", "hang", "slow", "partition"]
            )
        ));
        if !t.ends_with("\"permanent\"\n") {
            t.push_str(&format!("for = \"{}s\"\n", s.below(300)));
        }
    }
    t = t.replace("kind = \"slow\"\n", "kind = \"slow\"\nfactor = 3\n");
    if t.contains("kind = \"permanent\"") && !t.contains("replace =") {
        t = t.replace("[nodes]\n", "[nodes]\nreplace = \"100s\"\n");
    }
    t
}

#[test]
fn random_scenarios_keep_every_invariant() {
    let mut s = Stream::new(2026, StreamKind::Dispatch, 99);
    let mut ran = 0;
    for case in 0..300 {
        let text = random_scenario(&mut s);
        let sc = match scenario::parse(
            &text,
            Path::new("random.toml"),
            "random",
            &LoadOptions::default(),
        ) {
            Ok(sc) => sc,
            Err(e) => panic!("case {case}: the generator made an invalid scenario: {e}\n{text}"),
        };
        let r = simulate(
            &sc,
            RunOptions {
                replication: case,
                trace: true,
            },
        );
        ran += 1;
        let ctx = || format!("case {case}:\n{text}");
        assert!(r.up_ns <= r.measured_ns, "{}", ctx());
        let outages: Vec<_> = r.all_outages().collect();
        assert_eq!(outages.len() as u64, r.outage_count, "{}", ctx());
        let down: u64 = outages.iter().map(|o| o.duration_ns()).sum();
        assert_eq!(
            down,
            r.measured_ns - r.up_ns,
            "outages must add up to the downtime; {}",
            ctx()
        );
        for w in outages.windows(2) {
            // Maximal: an outage that ends where the next starts is one.
            assert!(
                w[0].end_ns < w[1].start_ns,
                "outages overlap or touch; {}",
                ctx()
            );
        }
        if sc.detection.heartbeat_ns == 0 {
            // An instant mark-down is the failure's consequence, never the cause.
            assert!(
                outages.iter().all(|o| o.cause.event != "marked_down"),
                "{}",
                ctx()
            );
        }
        assert!(outages.iter().all(|o| o.end_ns > o.start_ns), "{}", ctx());
        assert!(
            r.trace.windows(2).all(|w| w[0].time_ns <= w[1].time_ns),
            "events out of order; {}",
            ctx()
        );
        let window_total: u64 = r.window_up_ns.iter().sum();
        assert_eq!(window_total, r.up_ns, "windows must add up; {}", ctx());
        for (c, up) in r.class_up_ns.iter().enumerate() {
            assert!(
                *up >= r.up_ns && *up <= r.measured_ns,
                "class {c}; {}",
                ctx()
            );
        }
        if let Some(q) = &r.requests {
            let c = q.counts;
            assert_eq!(
                c.offered,
                c.succeeded + c.failed(),
                "offered = succeeded + failed; {}",
                ctx()
            );
            let wo: u64 = q.windows.iter().map(|w| w.offered).sum();
            let ws: u64 = q.windows.iter().map(|w| w.succeeded).sum();
            let wf: u64 = q.windows.iter().map(|w| w.failed).sum();
            assert_eq!(
                (wo, ws, wf),
                (c.offered, c.succeeded, c.failed()),
                "{}",
                ctx()
            );
            assert_eq!(q.latency_ns.len(), c.succeeded, "{}", ctx());
            if let Some(d) = sc.workload.as_ref().and_then(|w| w.deadline_ns) {
                assert!(
                    q.latency_max_ns <= d || c.succeeded == 0,
                    "a success past the deadline; {}",
                    ctx()
                );
            }
            if sc.dispatch.attempts == 1 {
                assert_eq!(c.retries, 0, "{}", ctx());
            }
        }
        // Role invariants from the node views: at most one primary at a time.
        let mut current = vec![None; sc.nodes.count as usize];
        for v in &r.views {
            current[v.node as usize] = Some(v.view);
            let primaries = current
                .iter()
                .filter(|x| **x == Some(hasim::metrics::NodeView::Primary))
                .count();
            assert!(primaries <= 1, "two primaries at once; {}", ctx());
        }
    }
    assert_eq!(ran, 300);
}
