//! The source article's trade-offs for each architecture (issue 11 §4),
//! said after the concept in `hasim explain`.

use crate::scenario::Architecture;

/// What the architecture buys and what it costs, after the article.
pub fn tradeoff(a: Architecture) -> String {
    match a {
        Architecture::ColdStandby | Architecture::WarmStandby => crate::i18n::t("tradeoff.standby"),
        Architecture::MasterSlave => crate::i18n::t("tradeoff.master-slave"),
        Architecture::SymmetricCluster | Architecture::AsymmetricCluster => {
            crate::i18n::t("tradeoff.cluster")
        }
    }
}
