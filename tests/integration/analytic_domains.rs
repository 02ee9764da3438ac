//! `check --analytic` with failure domains and dispatchers (SPEC §7): the
//! block-diagram values of validation cases 17–22, nested domains, a warm
//! standby in one rack or two, a dispatcher pair with a takeover time, and
//! the simulator against each. The chain values are computed here by hand
//! or by the short, independent Python programs quoted in the comments.

use crate::support::{assert_covers, run, scenario};
use hasim::analytic::{analyse, Analytic};
use hasim::scenario::LoadOptions;
use hasim::validation::{Exact, CASES};
use std::path::Path;

fn exact(text: &str) -> f64 {
    match analyse(&scenario(text)) {
        Analytic::Exact { uptime, .. } => uptime,
        Analytic::Outside(r) => panic!("outside the chain: {r:?}"),
    }
}

/// Exact from the chain and simulated within its interval.
fn both(what: &str, text: &str, value: f64, max_ci: f64) {
    let chain = exact(text);
    assert!(
        (chain - value).abs() < 1e-12,
        "{what}: chain {chain}, hand {value}"
    );
    let (_, _, s) = run(text);
    assert_covers(
        what,
        s.uptime,
        s.ci95.unwrap().uptime.unwrap(),
        value,
        max_ci,
    );
}

#[test]
fn the_chain_gives_the_block_diagram_values_of_cases_17_to_22() {
    let mut seen = 0;
    for case in CASES.iter() {
        let Exact::Rbd(value) = case.exact else {
            continue;
        };
        let path = Path::new("validation").join(case.file);
        let sc = hasim::scenario::load(&path, &LoadOptions::default()).unwrap();
        match analyse(&sc) {
            Analytic::Exact { uptime, .. } => assert!(
                (uptime - value).abs() < 1e-12,
                "{}: chain {uptime}, block diagram {value}",
                case.file
            ),
            Analytic::Outside(r) => panic!("{}: outside the chain: {r:?}", case.file),
        }
        seen += 1;
    }
    assert_eq!(seen, 6, "cases 17-22");
}

const NODES: &str = r#"
    duration = "2000h"
    replications = 100
    [detection]
    heartbeat = "0s"
    [nodes]
    count = 2
    failure = { dist = "exponential", mean = "3h" }
    repair = { dist = "exponential", mean = "1h" }
"#;

const LAW: &str = r#"
    failure = { dist = "exponential", mean = "3h" }
    repair = { dist = "exponential", mean = "1h" }
"#;

/// Two nodes, one per rack, both racks in a zone; everything down 1/4 of
/// the time (p = q = 1/4).
fn zone(hit: f64) -> String {
    format!(
        r#"architecture = "symmetric-cluster"
        {NODES}
        [[domains]]
        name = "rack-a"
        members = [0]
        {LAW}
        [[domains]]
        name = "rack-b"
        members = [1]
        {LAW}
        [[domains]]
        name = "zone"
        kind = "zone"
        members = ["rack-a", "rack-b"]
        hit = {hit}
        {LAW}"#
    )
}

#[test]
fn a_zone_containing_two_racks() {
    // The zone in series with two parallel paths (node, rack), each up
    // (3/4)²: (3/4)(1 − (7/16)²) = 621/1024.
    assert!((exact(&zone(1.0)) - 621.0 / 1024.0).abs() < 1e-12);
    // A zone that hits each rack with 1/2: given the zone down, each path
    // is up with (9/16)(1/2) = 9/32, independently:
    // (3/4)(1 − (7/16)²) + (1/4)(1 − (23/32)²) = 0.727294921875.
    let v = 0.75 * (1.0 - (7.0f64 / 16.0).powi(2)) + 0.25 * (1.0 - (23.0f64 / 32.0).powi(2));
    assert!((v - 0.727_294_921_875).abs() < 1e-15);
    both("zone hitting each rack with 1/2", &zone(0.5), v, 0.004);
}

#[test]
fn a_warm_standby_in_one_rack_or_two() {
    // Warm standby, automatic promotion, instant detection, switch exp.
    // 10 min; nodes and racks up 3 h / down 1 h. A rack's stop is a crash
    // of each node in it (id order); its return a repair (id order): the
    // lowest running node is the candidate. Independent chain (Python):
    //
    // def solve(states, rates):
    //     n = len(states); ix = {s: k for k, s in enumerate(states)}
    //     a = [[0.0] * (n + 1) for _ in range(n)]
    //     for (s, t, r) in rates:
    //         a[ix[t]][ix[s]] += r; a[ix[s]][ix[s]] -= r
    //     a[n - 1] = [1.0] * (n + 1)
    //     for c in range(n):
    //         p = max(range(c, n), key=lambda r: abs(a[r][c])); a[c], a[p] = a[p], a[c]
    //         for r in range(n):
    //             if r != c and a[r][c]:
    //                 f = a[r][c] / a[c][c]
    //                 a[r] = [x - f * y for x, y in zip(a[r], a[c])]
    //     return {s: a[ix[s]][n] / a[ix[s]][ix[s]] for s in states}
    // def warm(rack_of, nracks):
    //     lam, mu, al, be, sg = 1/3, 1.0, 1/3, 1.0, 6.0
    //     run = lambda o, r, i: o[i] and r[rack_of[i]]
    //     def settle(o, r, lead, cand, old_o, old_r):
    //         for i in (0, 1):                     # stops, in id order
    //             if run(old_o, old_r, i) and not run(o, r, i):
    //                 if lead == i:
    //                     lead = None
    //                     cand = next((j for j in (0, 1) if j != i and run(o, r, j)), None) if cand is None else cand
    //                 if cand == i:
    //                     cand = next((j for j in (0, 1) if j != i and run(o, r, j) and j != lead), None)
    //         for i in (0, 1):                     # returns, in id order
    //             if not run(old_o, old_r, i) and run(o, r, i) and lead is None and cand is None:
    //                 cand = i
    //         return lead, cand
    //     start = ((True, True), (True,) * nracks, 0, None)
    //     seen, todo, rates = {start}, [start], []
    //     while todo:
    //         s = todo.pop(); o, r, lead, cand = s
    //         moves = []
    //         for i in (0, 1):
    //             o2 = list(o); o2[i] = not o[i]
    //             moves.append((lam if o[i] else mu, tuple(o2), r))
    //         for k in range(nracks):
    //             r2 = list(r); r2[k] = not r[k]
    //             moves.append((al if r[k] else be, o, tuple(r2)))
    //         for (rt, o2, r2) in moves:
    //             l2, c2 = settle(o2, r2, lead, cand, o, r)
    //             rates.append((s, (o2, r2, l2, c2), rt))
    //         if cand is not None:
    //             rates.append((s, (o, r, cand, None), sg))
    //         for (_, t, _) in rates[-len(moves) - (cand is not None):]:
    //             if t not in seen: seen.add(t); todo.append(t)
    //     pi = solve(sorted(seen, key=str), rates)
    //     return sum(p for (o, r, lead, cand), p in pi.items() if lead is not None)
    // warm((0, 0), 1) = 0.6328125, warm((0, 1), 2) = 0.727734375
    let ws = |racks: &str| {
        format!(
            r#"architecture = "warm-standby"
            {NODES}
            [failover]
            promotion = "automatic"
            switch = {{ dist = "exponential", mean = "10m" }}
            {racks}"#
        )
    };
    let one = ws(&format!(
        "[[domains]]\nname = \"rack\"\nmembers = [0, 1]\n{LAW}"
    ));
    let two = ws(&format!(
        "[[domains]]\nname = \"rack-a\"\nmembers = [0]\n{LAW}\n[[domains]]\nname = \"rack-b\"\nmembers = [1]\n{LAW}"
    ));
    both(
        "warm standby, both nodes in one rack",
        &one,
        0.632_812_5,
        0.004,
    );
    both(
        "warm standby, one node per rack",
        &two,
        0.727_734_375,
        0.004,
    );
}

#[test]
fn a_dispatcher_pair_with_a_takeover_time() {
    // Perfect nodes; k dispatchers up 3 h / down 1 h, takeover exp. 30 min
    // after the active one fails; one repaired while none is active (none
    // up, or a takeover under way) is active at once. Independent chain over each dispatcher's state
    // (Python, `solve` as in a_warm_standby_in_one_rack_or_two):
    //
    // def group(k, lam=1/3, mu=1.0, tau=2.0):
    //     states, rates = set(), []
    //     for ups in product((True, False), repeat=k):
    //         for act in [None] + [i for i in range(k) if ups[i]]:
    //             for tk in (False, True):
    //                 if tk and (act is not None or not any(ups)): continue
    //                 if not tk and act is None and any(ups): continue
    //                 states.add((ups, act, tk))
    //     for (ups, act, tk) in states:
    //         s = (ups, act, tk)
    //         for i in range(k):
    //             u = list(ups); u[i] = not ups[i]; u = tuple(u)
    //             if ups[i]:
    //                 if act == i: t = (u, None, any(u))
    //                 elif tk and not any(u): t = (u, None, False)
    //                 else: t = (u, act, tk)
    //                 rates.append((s, t, lam))
    //             else:
    //                 t = (u, i, False) if act is None else (u, act, tk)
    //                 rates.append((s, t, mu))
    //         if tk:
    //             rates.append((s, (ups, min(i for i in range(k) if ups[i]), False), tau))
    //     pi = solve(sorted(states, key=str), rates)
    //     return sum(p for (u, a, t), p in pi.items() if a is not None)
    // group(2) = 0.88125, group(3) = 0.9106206293706293. By hand for two
    // (λ = 1/3, μ = 1, τ = 2 per hour): A2 (both up, one active), A1, T1
    // (one standby up, taking over), N (none up). Balance: T1: (τ+λ+μ)t =
    // λ·a2 → t = a2/10; A2: 2λ·a2 = μ(a1 + t) → a1 = 17/30 a2; N: 2μ·n =
    // λ(a1 + t) → n = a2/9. Up = (a2 + a1)/(a2 + a1 + t + n) = 141/160.
    let group = |k: u32| {
        format!(
            r#"architecture = "symmetric-cluster"
            duration = "2000h"
            replications = 100
            [nodes]
            count = 2
            [detection]
            heartbeat = "0s"
            [dispatcher]
            count = {k}
            takeover = {{ dist = "exponential", mean = "30m" }}
            {LAW}"#
        )
    };
    assert!((exact(&group(3)) - 0.910_620_629_370_629_3).abs() < 1e-12);
    both(
        "two dispatchers, takeover 30 min",
        &group(2),
        141.0 / 160.0,
        0.004,
    );
}

#[test]
fn the_dispatcher_inside_a_domain() {
    // A crash domain holding the dispatcher and node 0: the service is
    // down while it is (node 1 has no dispatcher): perfect nodes, one
    // dispatcher and the domain each up 3/4: (3/4)².
    let crash = format!(
        r#"architecture = "symmetric-cluster"
        duration = "2000h"
        replications = 100
        [nodes]
        count = 2
        [detection]
        heartbeat = "0s"
        [dispatcher]
        {LAW}
        [[domains]]
        name = "lb-rack"
        members = ["dispatcher", 0]
        {LAW}"#
    );
    both(
        "dispatcher and node 0 in one rack",
        &crash,
        9.0 / 16.0,
        0.004,
    );
    // A partition around the dispatcher and node 0 cuts node 1 off; nodes
    // down 1/4: (3/4)(1 − (1/4)²) + (1/4)(3/4) = 0.890625.
    let cut = format!(
        r#"architecture = "symmetric-cluster"
        {NODES}
        [[domains]]
        name = "lb-switch"
        effect = "partition"
        members = ["dispatcher", 0]
        {LAW}"#
    );
    assert!((exact(&cut) - 0.890_625).abs() < 1e-12);
}

#[test]
fn what_the_chain_does_not_hold_is_named() {
    let outside = |text: &str| match analyse(&scenario(text)) {
        Analytic::Outside(r) => r.join("; "),
        Analytic::Exact { uptime, .. } => panic!("exact {uptime}"),
    };
    // A partition domain with roles.
    let r = outside(&format!(
        r#"architecture = "warm-standby"
        {NODES}
        [[domains]]
        name = "tor"
        effect = "partition"
        members = [0]
        {LAW}"#
    ));
    assert!(r.contains("partition domain with roles"), "{r}");
    // A log-normal domain repair.
    let r = outside(&format!(
        r#"architecture = "symmetric-cluster"
        {NODES}
        [[domains]]
        name = "rack"
        members = [0]
        failure = {{ dist = "exponential", mean = "3h" }}
        repair = {{ dist = "lognormal", median = "1h", sigma = 0.5 }}"#
    ));
    assert!(r.contains("domain rack: repair is log-normal"), "{r}");
    // 17 domains failing by themselves: 2^17 own states.
    let many: String = (0..17)
        .map(|i| format!("[[domains]]\nname = \"d{i}\"\n{LAW}\n"))
        .collect();
    let r = outside(&format!(
        "architecture = \"symmetric-cluster\"\n{NODES}\n{many}"
    ));
    assert!(r.contains("17 domains fail by themselves"), "{r}");
}

/// The joint chain of roles and domains against the simulator, where no
/// closed form is at hand: a cold standby with a manual operator in one
/// rack, and a master-slave trio under a deploy that hits each node with
/// 1/2 (the chain is `chain.rs`'s statement of SPEC §2, independent of the
/// simulator's code).
#[test]
fn roles_under_domains_match_the_simulator() {
    let cold = format!(
        r#"architecture = "cold-standby"
        {NODES}
        [failover]
        promotion = "manual"
        operator = {{ dist = "exponential", mean = "20m" }}
        start = {{ dist = "exponential", mean = "5m" }}
        switch = {{ dist = "exponential", mean = "5m" }}
        [[domains]]
        name = "rack"
        members = [0, 1]
        failure = {{ dist = "exponential", mean = "5h" }}
        repair = {{ dist = "exponential", mean = "1h" }}"#
    );
    let ms = r#"
        architecture = "master-slave"
        duration = "2000h"
        replications = 100
        [nodes]
        count = 3
        failure = { dist = "exponential", mean = "3h" }
        repair = { dist = "exponential", mean = "1h" }
        [detection]
        heartbeat = "0s"
        [failover]
        promotion = "automatic"
        switch = { dist = "exponential", mean = "10m" }
        [[domains]]
        name = "deploy"
        members = [0, 1, 2]
        hit = 0.5
        failure = { dist = "exponential", mean = "4h" }
        repair = { dist = "exponential", mean = "30m" }
    "#;
    // The cold standby's operator promotes only from a primary that is gone
    // (SPEC §2), so a rack stop is waited out: node 0 in series with the
    // rack, (3/4)(5/6) = 5/8, whatever the operator, start and switch.
    assert!((exact(&cold) - 0.625).abs() < 1e-12);
    for (what, text) in [
        ("cold standby in a rack", cold.as_str()),
        ("master-slave under a deploy", ms),
    ] {
        let chain = exact(text);
        let (_, _, s) = run(text);
        assert_covers(
            what,
            s.uptime,
            s.ci95.unwrap().uptime.unwrap(),
            chain,
            0.004,
        );
    }
}
