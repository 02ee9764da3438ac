//! `hasim explain` tells the hand-worked cold-standby timeline in words.

use crate::support::{hasim, stderr};
use std::fs;

#[test]
fn explain_tells_the_story_of_a_failover() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("story.toml");
    fs::write(
        &file,
        r#"
        architecture = "cold-standby"
        duration = "2000s"
        [nodes]
        count = 2
        [failover]
        operator = "10m"
        start = "5m"
        switch = "30s"
        [[faults]]
        at = "100s"
        node = 0
        kind = "permanent"
    "#,
    )
    .unwrap();
    let o = hasim(&["explain", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    for line in [
        "Cold standby (冷备)",
        "00:01:40  node 0 (the primary) fails for good",
        "00:01:40  ⇒ The service is DOWN (failed_permanently (node 0) started it).",
        "00:01:42  The distributor marks node 0 down, 2s after it stopped (3 missed heartbeats).",
        "00:11:42  The operator acts: promotes a new primary.",
        "00:11:42  Node 1 is chosen to take over (start 5m 00s + switch 30s).",
        "00:17:12  ⇒ The service is back, after 15m 32s down.",
        "00:17:12  Node 1 now serves as primary: a failover.",
        "marked down at its 3rd missed heartbeat",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    // Bad input is bad input here too.
    assert_eq!(hasim(&["explain", "no/such.toml"]).status.code(), Some(2));
}
