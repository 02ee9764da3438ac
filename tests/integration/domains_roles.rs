//! SPEC §7 with roles: a leader that a domain has stopped and that fails
//! for good, a node replaced while stopped, and the order in which a
//! domain's nodes come back. Expected values are derived by hand.

use crate::support::{assert_covers, events, run, scenario};
use hasim::analytic::{analyse, Analytic};

/// A manual cold standby in one rack, every node failure permanent, the
/// operator, the start and the switch instant, instant detection.
///
/// Hand derivation: with an instant operator and an instant promotion, the
/// service is up exactly while the rack is up and some node is up by
/// itself. A running leader lost outside the rack is promoted around at
/// once (to the other node if up, else to the first replacement); a leader
/// stopped by the rack and lost while stopped raises the operator again
/// (SPEC §7: as its crash would), who promotes around it, so the first node
/// up when the rack returns takes over; a leader that stays up resumes.
/// Nodes and rack follow independent processes: P(node up) = 3/(3+1) and
/// P(rack up) = 5/(5+1), so the uptime is 5/6 · (1 − (1/4)²) = 75/96.
///
/// Before the fix the primary lost while stopped raised no alert; once the
/// rack was back and the primary replaced it joined as a backup with no
/// primary and nothing pending, and the service stayed down for good (the
/// chain's value was 0 and the simulator's 0.05).
const TRAP: &str = r#"
architecture = "cold-standby"
duration = "2000h"
replications = 100
[nodes]
count = 2
failure = { dist = "exponential", mean = "3h" }
permanent = 1.0
replace = { dist = "exponential", mean = "1h" }
[detection]
heartbeat = "0s"
[failover]
promotion = "manual"
operator = "0s"
start = "0s"
switch = "0s"
[[domains]]
name = "rack"
members = [0, 1]
failure = { dist = "exponential", mean = "5h" }
repair = { dist = "exponential", mean = "1h" }
"#;

#[test]
fn a_primary_lost_while_its_rack_is_down_is_promoted_around() {
    let hand = 5.0 / 6.0 * (1.0 - 1.0 / 16.0);
    let chain = match analyse(&scenario(TRAP)) {
        Analytic::Exact { uptime, .. } => uptime,
        Analytic::Outside(r) => panic!("outside the chain: {r:?}"),
    };
    assert!((chain - hand).abs() < 1e-12, "chain {chain}, hand {hand}");
    let (_, _, s) = run(TRAP);
    assert_covers(
        "cold standby, primary lost in a down rack",
        s.uptime,
        s.ci95.unwrap().uptime.unwrap(),
        hand,
        0.004,
    );
}

/// The same with a finite operator: the chain holds the alert raised by
/// a stopped primary's permanent failure, and the simulator agrees.
#[test]
fn a_primary_lost_while_stopped_alerts_a_slow_operator_too() {
    let text = TRAP
        .replace(
            r#"operator = "0s""#,
            r#"operator = { dist = "exponential", mean = "30m" }"#,
        )
        .replace(
            r#"switch = "0s""#,
            r#"switch = { dist = "exponential", mean = "10m" }"#,
        );
    let chain = match analyse(&scenario(&text)) {
        Analytic::Exact { uptime, .. } => uptime,
        Analytic::Outside(r) => panic!("outside the chain: {r:?}"),
    };
    // Slower than the instant case, far above the trap's 0.
    assert!(chain > 0.5 && chain < 75.0 / 96.0, "chain {chain}");
    let (_, _, s) = run(&text);
    assert_covers(
        "cold standby, slow operator",
        s.uptime,
        s.ci95.unwrap().uptime.unwrap(),
        chain,
        0.004,
    );
}

/// Hand-worked timeline, promotion "none": the rack fails at 9 h and is
/// back at 14 h; both machines (constant 10 h, every failure permanent)
/// fail at 10 h inside it and are replaced at 11 h, still stopped. At 14 h
/// node 0 returns as the replacement it is and takes the primary role
/// ("promoted"), as it would had it been replaced outside the rack.
#[test]
fn a_node_replaced_while_stopped_returns_as_replaced() {
    let text = r#"
architecture = "cold-standby"
duration = "20h"
[nodes]
count = 2
failure = "10h"
permanent = 1.0
replace = "1h"
[detection]
heartbeat = "0s"
[failover]
promotion = "none"
[[domains]]
name = "rack"
members = [0, 1]
failure = "9h"
repair = "5h"
"#;
    let (_, o, _) = run(text);
    let ev = events(&o);
    assert!(
        ev.contains(&(14.0 * 3600.0, Some(0), "promoted")),
        "node 0 should take the role back as a replacement at 14 h: {ev:?}"
    );
}

/// An automatic cold standby in one rack on fixed laws, perfect machines:
/// the rack fails at 10 h and is back at 11 h. The stop starts a promotion
/// that waits; at the return both nodes come back in id order whatever the
/// member list says, so node 0 is picked again and no failover happens.
#[test]
fn a_domain_returns_its_nodes_in_id_order() {
    let text = |members: &str| {
        format!(
            r#"
architecture = "cold-standby"
duration = "30h"
[nodes]
count = 2
[detection]
heartbeat = "0s"
[failover]
promotion = "automatic"
start = "0s"
switch = "0s"
[[domains]]
name = "rack"
members = {members}
failure = "10h"
repair = "1h"
"#
        )
    };
    let (_, a, sa) = run(&text("[0, 1]"));
    let (_, b, sb) = run(&text("[1, 0]"));
    assert_eq!(events(&a), events(&b), "the member order must not matter");
    assert_eq!(sa.failovers, 0.0);
    assert_eq!(sb.failovers, 0.0);
    assert!(events(&b).contains(&(11.0 * 3600.0, Some(0), "promoted")));
}
