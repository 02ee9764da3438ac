//! How `explain` tells promotion: the operator, the automatic takeover, no
//! promotion at all, or the cluster's election (lowest id or Raft), each
//! with the costs the scenario gives it (SPEC §2).

use super::Words;
use crate::i18n::{t, tf};
use crate::report::words::{amount, amount_inside, plural};
use crate::scenario::{Architecture, Dist, ElectionAlgorithm, FaultKind, Promotion, Scenario};

fn takes(d: &Dist) -> String {
    if *d == Dist::Fixed(0) {
        t("words.at_once")
    } else {
        tf("promo.in", &[&amount(d)])
    }
}

/// How the primary (master) role is filled again, as configured.
pub fn promotion(sc: &Scenario, w: &Words) -> String {
    let f = &sc.failover;
    let (p, b) = (super::role(w.primary), super::role(w.follower));
    let permanent_possible =
        sc.nodes.permanent > 0.0 || sc.faults.iter().any(|x| x.kind == FaultKind::Permanent);
    if sc.nodes.count == 1 {
        return tf(
            "promo.single",
            &[
                &b,
                &p,
                &if permanent_possible {
                    t("promo.or_replacement")
                } else {
                    String::new()
                },
            ],
        );
    }
    if sc.architecture == Architecture::AsymmetricCluster {
        return cluster_promotion(sc);
    }
    match f.promotion {
        Promotion::Manual => {
            let act = match sc.architecture {
                Architecture::ColdStandby => tf(
                    "promo.act.cold",
                    &[&amount_inside(&f.start), &amount_inside(&f.switch)],
                ),
                Architecture::WarmStandby => tf("promo.act.warm", &[&amount_inside(&f.switch)]),
                _ => tf("promo.act.ms", &[&amount_inside(&f.switch)]),
            };
            let mut text = tf("promo.manual", &[&p, &amount(&f.operator), &p, &act]);
            if !permanent_possible {
                text.push_str(&tf("promo.never_promotes", &[&p]));
            }
            text
        }
        Promotion::Automatic => tf(
            "promo.automatic",
            &[
                &p,
                &b,
                &if sc.architecture == Architecture::ColdStandby {
                    tf("promo.starts_service", &[&amount_inside(&f.start)])
                } else {
                    String::new()
                },
                &amount_inside(&f.switch),
                &p,
                &b,
            ],
        ),
        Promotion::None => tf(
            "promo.none",
            &[
                &p,
                &if permanent_possible {
                    t("promo.none_replacement")
                } else {
                    String::new()
                },
            ],
        ),
    }
}

fn cluster_promotion(sc: &Scenario) -> String {
    let (f, e) = (&sc.failover, &sc.election);
    match (f.promotion, e.algorithm) {
        (Promotion::Automatic, ElectionAlgorithm::LowestId) => {
            tf("promo.lowest", &[&takes(&f.switch)])
        }
        (Promotion::Automatic, ElectionAlgorithm::Raft) => {
            let n = sc.nodes.count;
            let maj = n / 2 + 1;
            tf(
                "promo.raft",
                &[
                    &amount_inside(&e.timeout),
                    &amount(&e.message_delay),
                    &maj,
                    &if crate::i18n::zh() {
                        n.to_string()
                    } else {
                        plural(u64::from(n), "node")
                    },
                    &maj,
                ],
            )
        }
        (Promotion::Manual, _) => tf(
            "promo.cluster_manual",
            &[&amount(&f.operator), &takes(&f.switch)],
        ),
        (Promotion::None, _) => t("promo.cluster_none"),
    }
}
