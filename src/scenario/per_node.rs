//! SPEC §7 "More per-node detail": `[[nodes.override]]` (some nodes follow
//! other laws: old hardware, a bigger machine) and `nodes.crews` (at most
//! this many repairs at once). The raw mirror of an override, its
//! validation, and the per-node accessors every consumer reads (`failure_of`,
//! `repair_of`, …) so that a node's law is looked up in one place.
//!
//! Without overrides `Nodes::override_of` is empty and every accessor is
//! the `[nodes]` value: nothing is resolved per node.

use super::dist::Dist;
use super::model::Nodes;
use super::raw::RawDist;
use super::validate::{limits, Ctx};
use crate::error::InputError;
use serde::Deserialize;

/// One `[[nodes.override]]` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNodeOverride {
    pub ids: Vec<i64>,
    pub failure: Option<RawDist>,
    pub repair: Option<RawDist>,
    pub permanent: Option<f64>,
    pub replace: Option<RawDist>,
    pub capacity: Option<i64>,
}

/// One validated override: the laws its nodes follow instead of `[nodes]`'s
/// (None = the `[nodes]` value).
#[derive(Clone, Debug, PartialEq)]
pub struct NodeOverride {
    pub ids: Vec<u32>,
    pub failure: Option<Dist>,
    pub repair: Option<Dist>,
    pub permanent: Option<f64>,
    pub replace: Option<Dist>,
    pub capacity: Option<u32>,
}

/// No override applies to the node.
const NONE: u32 = u32::MAX;

impl Nodes {
    fn law(&self, node: u32) -> Option<&NodeOverride> {
        match self.override_of.get(node as usize) {
            Some(&k) if k != NONE => self.overrides.get(k as usize),
            _ => None,
        }
    }

    /// The node's time to failure (None: never fails at random).
    pub fn failure_of(&self, node: u32) -> Option<&Dist> {
        self.law(node)
            .and_then(|o| o.failure.as_ref())
            .or(self.failure.as_ref())
    }

    pub fn repair_of(&self, node: u32) -> Option<&Dist> {
        self.law(node)
            .and_then(|o| o.repair.as_ref())
            .or(self.repair.as_ref())
    }

    pub fn permanent_of(&self, node: u32) -> f64 {
        self.law(node)
            .and_then(|o| o.permanent)
            .unwrap_or(self.permanent)
    }

    pub fn replace_of(&self, node: u32) -> Option<&Dist> {
        self.law(node)
            .and_then(|o| o.replace.as_ref())
            .or(self.replace.as_ref())
    }

    pub fn capacity_of(&self, node: u32) -> u32 {
        self.law(node)
            .and_then(|o| o.capacity)
            .unwrap_or(self.capacity)
    }

    /// Whether every node follows the `[nodes]` laws.
    pub fn uniform(&self) -> bool {
        self.overrides.is_empty()
    }

    /// Whether some node fails at random.
    pub fn any_failure(&self) -> bool {
        self.failure.is_some() || self.overrides.iter().any(|o| o.failure.is_some())
    }
}

/// `nodes.crews`: None = unlimited.
pub fn validate_crews(ctx: &Ctx, crews: Option<i64>) -> Result<Option<u32>, InputError> {
    match crews {
        None => Ok(None),
        Some(c) if (1..=i64::from(limits::MAX_CREWS)).contains(&c) => Ok(Some(c as u32)),
        Some(c) => Err(ctx.err(
            "nodes.crews",
            format!("{c} crews is out of range"),
            format!(
                "use a whole number from 1 to {} (leave it out for unlimited crews)",
                limits::MAX_CREWS
            ),
        )),
    }
}

/// Validates the overrides against the validated `[nodes]` (whose
/// `overrides` and `override_of` are still empty) and fills them in.
pub fn validate_overrides(
    ctx: &Ctx,
    raw: &[RawNodeOverride],
    nodes: &mut Nodes,
) -> Result<(), InputError> {
    if raw.is_empty() {
        return Ok(());
    }
    let count = nodes.count;
    let mut owner = vec![NONE; count as usize];
    let mut out = Vec::with_capacity(raw.len());
    for (i, o) in raw.iter().enumerate() {
        let key = |k: &str| format!("nodes.override[{i}].{k}");
        if o.ids.is_empty() {
            return Err(ctx.err(
                &key("ids"),
                "`ids` is empty: the override applies to no node",
                format!(
                    "list the nodes it applies to, e.g. ids = [0] (ids run from 0 to {})",
                    count - 1
                ),
            ));
        }
        let mut ids = Vec::with_capacity(o.ids.len());
        for &id in &o.ids {
            if id < 0 || id >= i64::from(count) {
                return Err(ctx.err(
                    &key("ids"),
                    format!("node {id} does not exist"),
                    format!("use node ids from 0 to {}", count - 1),
                ));
            }
            let id = id as u32;
            match owner[id as usize] {
                NONE => owner[id as usize] = i as u32,
                k if k == i as u32 => {
                    return Err(ctx.err(
                        &key("ids"),
                        format!("node {id} is listed twice"),
                        "list each node once",
                    ))
                }
                k => {
                    return Err(ctx.err(
                        &key("ids"),
                        format!("node {id} is already in nodes.override[{k}]"),
                        "list each node in one override only (merge the two, or remove the id from one)",
                    ))
                }
            }
            ids.push(id);
        }
        let failure = o
            .failure
            .as_ref()
            .map(|d| ctx.dist(&key("failure"), d, true))
            .transpose()?;
        let repair = o
            .repair
            .as_ref()
            .map(|d| ctx.dist(&key("repair"), d, false))
            .transpose()?;
        let replace = o
            .replace
            .as_ref()
            .map(|d| ctx.dist(&key("replace"), d, false))
            .transpose()?;
        if let Some(p) = o.permanent {
            if !(0.0..=1.0).contains(&p) {
                return Err(ctx.err(
                    &key("permanent"),
                    format!("{p} is not a share"),
                    "use a number from 0 to 1, e.g. 0.05",
                ));
            }
        }
        let capacity = o
            .capacity
            .map(|c| {
                if (1..=i64::from(limits::MAX_CAPACITY)).contains(&c) {
                    Ok(c as u32)
                } else {
                    Err(ctx.err(
                        &key("capacity"),
                        format!("{c} is out of range"),
                        format!("use a whole number from 1 to {}", limits::MAX_CAPACITY),
                    ))
                }
            })
            .transpose()?;
        if failure.is_none()
            && repair.is_none()
            && o.permanent.is_none()
            && replace.is_none()
            && capacity.is_none()
        {
            return Err(ctx.err(
                &key("ids"),
                "this override changes nothing",
                "add failure, repair, permanent, replace or capacity to it, or remove it",
            ));
        }
        // The same rules as [nodes], on what these nodes end up with.
        let f = failure.as_ref().or(nodes.failure.as_ref());
        let p = o.permanent.unwrap_or(nodes.permanent);
        if f.is_some() && p < 1.0 && repair.is_none() && nodes.repair.is_none() {
            return Err(ctx.err(
                &key("repair"),
                "these nodes fail at random but have no `repair`",
                "add e.g. repair = { dist = \"exponential\", mean = \"10m\" } to this override or to [nodes]",
            ));
        }
        if p > 0.0 && f.is_none() {
            return Err(ctx.err(
                &key("permanent"),
                "`permanent` needs random failures, and these nodes have none",
                "add failure to this override or to [nodes], or remove permanent",
            ));
        }
        if p > 0.0 && replace.is_none() && nodes.replace.is_none() {
            return Err(ctx.err(
                &key("replace"),
                "these nodes fail permanently but have no `replace`",
                "add e.g. replace = \"3d\" to this override or to [nodes]",
            ));
        }
        out.push(NodeOverride {
            ids,
            failure,
            repair,
            permanent: o.permanent,
            replace,
            capacity,
        });
    }
    nodes.overrides = out;
    nodes.override_of = owner;
    Ok(())
}
