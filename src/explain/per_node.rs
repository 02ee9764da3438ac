//! SPEC §7 per-node detail in the setup story: nodes that follow their own
//! laws (`[[nodes.override]]`) and repair crews (`nodes.crews`). Empty when
//! the scenario has neither, so other stories are unchanged.

use crate::report::words::{amount, every, plural};
use crate::scenario::Scenario;

/// Clauses to append to the sentence about the nodes.
pub fn sentence(sc: &Scenario) -> String {
    let n = &sc.nodes;
    let mut t = String::new();
    for o in &n.overrides {
        let ids: Vec<String> = o.ids.iter().map(u32::to_string).collect();
        let mut what = Vec::new();
        if let Some(f) = &o.failure {
            what.push(format!("fail {}", every(f)));
        }
        if let Some(r) = &o.repair {
            what.push(format!("are repaired in {}", amount(r)));
        }
        if let Some(p) = o.permanent {
            what.push(format!(
                "have {} % permanent failures",
                super::setup::trim_pct(p * 100.0)
            ));
        }
        if let Some(r) = &o.replace {
            what.push(format!("are replaced in {}", amount(r)));
        }
        if let Some(c) = o.capacity {
            what.push(format!(
                "serve up to {} at once",
                plural(u64::from(c), "task")
            ));
        }
        t.push_str(&format!(
            "; node{} {} {}",
            if ids.len() == 1 { "" } else { "s" },
            ids.join(", "),
            what.join(", ")
        ));
    }
    if let Some(c) = n.crews {
        t.push_str(&format!(
            "; {} at most: a repair that finds every crew busy waits its turn",
            plural(u64::from(c), "repair crew")
        ));
    }
    t
}
