//! How `explain` tells promotion: the operator, the automatic takeover, no
//! promotion at all, or the cluster's election (lowest id or Raft), each
//! with the costs the scenario gives it (SPEC §2).

use super::Words;
use crate::report::words::{amount, amount_inside, plural};
use crate::scenario::{Architecture, Dist, ElectionAlgorithm, FaultKind, Promotion, Scenario};

fn takes(d: &Dist) -> String {
    if *d == Dist::Fixed(0) {
        "at once".into()
    } else {
        format!("in {}", amount(d))
    }
}

/// How the primary (master) role is filled again, as configured.
pub fn promotion(sc: &Scenario, w: &Words) -> String {
    let f = &sc.failover;
    let (p, b) = (w.primary, w.follower);
    let permanent_possible =
        sc.nodes.permanent > 0.0 || sc.faults.iter().any(|x| x.kind == FaultKind::Permanent);
    if sc.nodes.count == 1 {
        return format!(
            "With a single node there is no {b} to promote: every outage of the {p} lasts until its repair{}.",
            if permanent_possible {
                " or its replacement"
            } else {
                ""
            }
        );
    }
    if sc.architecture == Architecture::AsymmetricCluster {
        return cluster_promotion(sc);
    }
    match f.promotion {
        Promotion::Manual => {
            let act = match sc.architecture {
                Architecture::ColdStandby => format!(
                    "starts a backup's service ({}) and then re-points the distributor to it ({})",
                    amount_inside(&f.start),
                    amount_inside(&f.switch)
                ),
                Architecture::WarmStandby => format!(
                    "re-points the distributor to a backup ({})",
                    amount_inside(&f.switch)
                ),
                _ => format!(
                    "makes a slave the master by re-pointing the distributor ({}); until a replacement slave \
                     joins, the slave classes go to the new master",
                    amount_inside(&f.switch)
                ),
            };
            let mut t = format!(
                "Promotion is manual: when the {p} is marked down, an operator is alerted and acts after {}. If \
                 the failure is permanent and the {p} is still down, the operator {act}; a recoverable failure \
                 is left to its repair.",
                amount(&f.operator)
            );
            if !permanent_possible {
                t.push_str(&format!(
                    " No failure in this scenario is permanent, so the operator never promotes: every outage of \
                     the {p} lasts until its repair."
                ));
            }
            t
        }
        Promotion::Automatic => format!(
            "Promotion is automatic: as soon as the {p} is marked down, the running {b} with the lowest id that \
             is marked up {}takes over once the distributor is re-pointed ({}). The old {p}, once repaired, \
             returns as a {b}: there is no fail-back.",
            if sc.architecture == Architecture::ColdStandby {
                format!("starts its service ({}) and ", amount_inside(&f.start))
            } else {
                String::new()
            },
            amount_inside(&f.switch)
        ),
        Promotion::None => format!(
            "There is no promotion: a failed {p} is waited for until its repair{}.",
            if permanent_possible {
                "; after a permanent failure the replacement machine takes the role when it joins"
            } else {
                ""
            }
        ),
    }
}

fn cluster_promotion(sc: &Scenario) -> String {
    let (f, e) = (&sc.failover, &sc.election);
    match (f.promotion, e.algorithm) {
        (Promotion::Automatic, ElectionAlgorithm::LowestId) => format!(
            "Election (lowest id): as soon as the master is marked down, the running slave with the lowest id \
             that is marked up is chosen, and it serves as master {} (re-pointing the distributor). The old \
             master, once repaired, returns as a slave.",
            takes(&f.switch)
        ),
        (Promotion::Automatic, ElectionAlgorithm::Raft) => {
            let n = sc.nodes.count;
            let maj = n / 2 + 1;
            format!(
                "Election (Raft): as soon as the master is marked down, every running, reachable node waits a \
                 random election timeout ({}); the first to time out asks the others for their votes, each \
                 message taking {}, and becomes master once a majority ({maj} of all {}) has voted for it. A \
                 node whose own timeout fires before the request reaches it stands too, and the vote may split; \
                 then a new term follows. A master that can no longer reach a majority steps down, and while \
                 fewer than {maj} nodes are running and reachable there is no master at all.",
                amount_inside(&e.timeout),
                amount(&e.message_delay),
                plural(u64::from(n), "node")
            )
        }
        (Promotion::Manual, _) => format!(
            "Promotion is manual: when the master is marked down, an operator is alerted and, after {}, \
             designates a new master (the running slave with the lowest id that is marked up), which serves \
             {}. Until then the master's classes fail.",
            amount(&f.operator),
            takes(&f.switch)
        ),
        (Promotion::None, _) => "There is no election (promotion = \"none\"): a failed master stays master, and \
             its classes fail until it is repaired or replaced."
            .into(),
    }
}
