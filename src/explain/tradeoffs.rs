//! The source article's trade-offs for each architecture (issue 11 §4),
//! said after the concept in `hasim explain`.

use crate::scenario::Architecture;

/// What the architecture buys and what it costs, after the article.
pub fn tradeoff(a: Architecture) -> &'static str {
    match a {
        Architecture::ColdStandby | Architecture::WarmStandby => {
            "The trade-off, as the article puts it: standby needs a person to switch. Manual work takes a time \
             nobody controls, is slow and easy to get wrong, so standby suits internal systems (management \
             and back-office tools with few users who use them rarely), not online services. Compute HA, \
             unlike storage HA, has no data to keep consistent: a task sent elsewhere only has to be computed."
        }
        Architecture::MasterSlave => {
            "The trade-off, as the article puts it: compared with standby, the slaves also do work, so their \
             hardware is not idle; the cost is that tasks must be classified (which may go to the slaves), and \
             the distributor grows more complex. Switching is still manual: slow, at a time nobody controls, \
             and easy to get wrong. Compute HA, unlike storage HA, has no data to keep consistent: a task sent \
             elsewhere only has to be computed."
        }
        Architecture::SymmetricCluster | Architecture::AsymmetricCluster => {
            "The trade-off, as the article puts it: standby and master-slave switch by hand, which is slow, \
             error-prone and late, so where availability matters more the cluster switches by itself; the \
             price is detection (heartbeats) and, with roles, an election. Compute HA, unlike storage HA, has \
             no data to keep consistent: a task sent to another node only has to be computed, which is why \
             storage HA is the harder design."
        }
    }
}
