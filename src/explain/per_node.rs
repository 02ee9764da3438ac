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
        let one = ids.len() == 1;
        let verb = |singular: &str, plural: &str| if one { singular } else { plural }.to_string();
        let mut what = Vec::new();
        if let Some(f) = &o.failure {
            what.push(format!("{} {}", verb("fails", "fail"), every(f)));
        }
        if let Some(r) = &o.repair {
            what.push(format!("{} repaired in {}", verb("is", "are"), amount(r)));
        }
        if let Some(p) = o.permanent {
            what.push(format!(
                "{} {} % permanent failures",
                verb("has", "have"),
                super::setup::trim_pct(p * 100.0)
            ));
        }
        if let Some(r) = &o.replace {
            what.push(format!("{} replaced in {}", verb("is", "are"), amount(r)));
        }
        if let Some(c) = o.capacity {
            what.push(format!(
                "{} up to {} at once",
                verb("serves", "serve"),
                plural(u64::from(c), "task")
            ));
        }
        t.push_str(&format!(
            "; node{} {} {}",
            if one { "" } else { "s" },
            ids.join(", "),
            what.join(", ")
        ));
    }
    if let Some(c) = n.crews {
        t.push_str(&format!(
            "; at most {}: a repair that finds every crew busy waits its turn, and its time starts when a crew starts on it",
            plural(u64::from(c), "repair crew")
        ));
    }
    t
}
