//! The raw serde mirror of a scenario file: every key of SPEC §1, unknown
//! keys rejected. Meaning (ranges, units, cross-key rules) is checked later,
//! in `validate`, where errors can name the key path and the fix.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// A duration as written: the text of a string, or a bare number of seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct RawDuration(pub String);

impl<'de> Deserialize<'de> for RawDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawDuration;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(super::duration::DURATION_HELP)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDuration, E> {
                Ok(RawDuration(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDuration, E> {
                Ok(RawDuration(format!("{v}")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDuration, E> {
                Ok(RawDuration(format!("{v}")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawDuration, E> {
                if !v.is_finite() {
                    return Err(E::custom(format!("{v} is not a duration")));
                }
                Ok(RawDuration(format!("{v}")))
            }
        }
        d.deserialize_any(V)
    }
}

/// A distribution as written: a fixed shorthand or a `{ dist = ... }` table.
#[derive(Clone, Debug, PartialEq)]
pub enum RawDist {
    Short(RawDuration),
    Table(RawDistTable),
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistTable {
    pub dist: String,
    pub value: Option<RawDuration>,
    pub mean: Option<RawDuration>,
    pub min: Option<RawDuration>,
    pub max: Option<RawDuration>,
    pub median: Option<RawDuration>,
    pub sigma: Option<f64>,
    pub shape: Option<f64>,
    pub scale: Option<RawDuration>,
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawDist;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a duration or a table such as { dist = \"exponential\", mean = \"10h\" }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDist, E> {
                Ok(RawDist::Short(RawDuration(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDist, E> {
                Ok(RawDist::Short(RawDuration(format!("{v}"))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDist, E> {
                Ok(RawDist::Short(RawDuration(format!("{v}"))))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawDist, E> {
                Ok(RawDist::Short(RawDuration(format!("{v}"))))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawDist, A::Error> {
                RawDistTable::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawDist::Table)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    pub description: Option<String>,
    pub architecture: String,
    pub seed: Option<i64>,
    pub duration: RawDuration,
    pub warmup: Option<RawDuration>,
    pub window: Option<RawDuration>,
    pub replications: Option<i64>,
    pub precision: Option<f64>,
    pub max_replications: Option<i64>,
    /// An availability SLA in percent (issue 11 §5), like `compare --sla`.
    pub sla: Option<f64>,
    pub nodes: RawNodes,
    pub workload: Option<RawWorkload>,
    pub dispatch: Option<RawDispatch>,
    pub detection: Option<RawDetection>,
    pub failover: Option<RawFailover>,
    pub election: Option<RawElection>,
    #[serde(default)]
    pub faults: Vec<RawFault>,
    /// SPEC §7: failure domains and the dispatcher as a component.
    #[serde(default)]
    pub domains: Vec<super::domains::RawDomain>,
    pub dispatcher: Option<super::domains::RawDispatcher>,
    /// SPEC §7: rolling maintenance.
    pub maintenance: Option<super::gray::RawMaintenance>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNodes {
    pub count: i64,
    pub capacity: Option<i64>,
    pub queue: Option<i64>,
    pub failure: Option<RawDist>,
    pub repair: Option<RawDist>,
    pub permanent: Option<f64>,
    pub replace: Option<RawDist>,
    /// SPEC §7: random gray faults.
    pub hang: Option<super::gray::RawGray>,
    pub slow: Option<super::gray::RawGraySlow>,
    pub partition: Option<super::gray::RawGray>,
    pub crews: Option<i64>,
    #[serde(default, rename = "override")]
    pub overrides: Vec<super::per_node::RawNodeOverride>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkload {
    pub rate: f64,
    pub arrival: Option<String>,
    pub service: RawDist,
    pub deadline: Option<RawDuration>,
    pub drain: Option<RawDuration>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDispatch {
    pub policy: Option<String>,
    pub attempts: Option<i64>,
    pub backoff: Option<RawDuration>,
    pub classes: Option<Vec<RawClass>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClass {
    pub name: String,
    pub share: f64,
    pub route: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDetection {
    pub heartbeat: Option<RawDuration>,
    pub fall: Option<i64>,
    pub rise: Option<i64>,
    pub task_timeout: Option<RawDuration>,
    pub loss: Option<f64>,
    pub delay: Option<RawDist>,
    pub timeout: Option<RawDuration>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFailover {
    pub promotion: Option<String>,
    pub operator: Option<RawDist>,
    pub start: Option<RawDist>,
    pub switch: Option<RawDist>,
    pub fencing: Option<String>,
    pub fence: Option<RawDist>,
    pub reboot: Option<RawDist>,
    pub lease: Option<RawDuration>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawElection {
    pub algorithm: Option<String>,
    pub timeout: Option<RawDist>,
    pub message_delay: Option<RawDist>,
    pub pause: Option<bool>,
    pub hold_limit: Option<i64>,
    pub forward: Option<bool>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFault {
    pub at: RawDuration,
    pub node: i64,
    pub kind: String,
    #[serde(rename = "for")]
    pub for_: Option<RawDuration>,
    pub factor: Option<f64>,
}
