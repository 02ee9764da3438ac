//! Failure domains and the dispatcher as a component (SPEC §7): the raw
//! mirror of `[[domains]]` and `[dispatcher]`, their validation, and the
//! validated types the model runs on.
//!
//! The domains, the nodes and the dispatcher form a dependency graph held
//! with `petgraph`: an edge runs from a domain to each thing it contains and
//! from each domain listed in `any_of` to the gated domain. It must be
//! acyclic; a cycle is refused with the domains on it named.

use super::dist::Dist;
use super::raw::RawDist;
use super::validate::Ctx;
use crate::error::InputError;
use petgraph::graph::{DiGraph, NodeIndex};
use serde::Deserialize;

/// A member as written: a node id or a name (a domain, or `"dispatcher"`).
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum RawMember {
    Id(i64),
    Name(String),
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDomain {
    pub name: String,
    pub kind: Option<String>,
    pub members: Option<Vec<RawMember>>,
    pub effect: Option<String>,
    pub failure: Option<RawDist>,
    pub repair: Option<RawDist>,
    pub any_of: Option<Vec<String>>,
    pub hit: Option<f64>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDispatcher {
    pub count: Option<i64>,
    pub failure: Option<RawDist>,
    pub repair: Option<RawDist>,
    pub takeover: Option<RawDist>,
}

/// What a down domain does to what it contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Members stop: tasks lost, heartbeats missed.
    Crash,
    /// Members keep running but are cut off from everything outside.
    Partition,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Domain {
    pub name: String,
    pub kind: String,
    pub effect: Effect,
    pub failure: Option<Dist>,
    pub repair: Option<Dist>,
    /// Each member is hit with this probability at each failure.
    pub hit: f64,
    /// Direct node members, in the order written.
    pub nodes: Vec<u32>,
    /// Direct sub-domains (indices into `Scenario::domains`).
    pub children: Vec<u32>,
    /// The dispatcher is a direct member.
    pub dispatcher: bool,
    /// The gate: also down while every one of these is down.
    pub any_of: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Dispatcher {
    pub count: u32,
    pub failure: Option<Dist>,
    pub repair: Option<Dist>,
    pub takeover: Dist,
}

pub const MAX_DOMAINS: usize = 10_000;
pub const MAX_DISPATCHERS: i64 = 100;

fn valid_domain_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_ascii_alphanumeric())
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
}

/// Validates `[[domains]]` against `nodes.count`; the graph must be a DAG.
pub fn validate_domains(
    ctx: &Ctx,
    raw: &[RawDomain],
    node_count: u32,
) -> Result<Vec<Domain>, InputError> {
    if raw.len() > MAX_DOMAINS {
        return Err(ctx.err(
            "domains",
            format!(
                "{} domains is more than the {MAX_DOMAINS} allowed",
                raw.len()
            ),
            "group machines into fewer domains",
        ));
    }
    let index_of = |name: &str| raw.iter().position(|d| d.name == name);
    let mut out = Vec::with_capacity(raw.len());
    for (i, d) in raw.iter().enumerate() {
        let key = |k: &str| format!("domains[{i}].{k}");
        if !valid_domain_name(&d.name) {
            return Err(ctx.err(
                &key("name"),
                format!("{:?} is not a valid domain name", d.name),
                "use letters, digits, `_` and `-`, starting with a letter or digit, e.g. \"rack-a\"",
            ));
        }
        if index_of(&d.name) != Some(i) {
            return Err(ctx.err(
                &key("name"),
                format!("the domain name {:?} is used twice", d.name),
                "give every domain its own name",
            ));
        }
        let effect = match d.effect.as_deref().unwrap_or("crash") {
            "crash" => Effect::Crash,
            "partition" => Effect::Partition,
            other => {
                return Err(ctx.err(
                    &key("effect"),
                    format!("unknown effect {other:?}"),
                    "use \"crash\" (members stop) or \"partition\" (members are cut off)",
                ))
            }
        };
        let failure = d
            .failure
            .as_ref()
            .map(|x| ctx.dist(&key("failure"), x, true))
            .transpose()?;
        let repair = d
            .repair
            .as_ref()
            .map(|x| ctx.dist(&key("repair"), x, false))
            .transpose()?;
        if failure.is_some() && repair.is_none() {
            return Err(ctx.err(
                &key("repair"),
                "`repair` is required when `failure` is set",
                "add e.g. repair = { dist = \"exponential\", mean = \"1h\" } to the domain",
            ));
        }
        let hit = d.hit.unwrap_or(1.0);
        if !(hit > 0.0 && hit <= 1.0) {
            return Err(ctx.err(
                &key("hit"),
                format!("{hit} is not a probability in (0, 1]"),
                "use e.g. hit = 0.5 (each member is hit with this probability), or leave it out (1)",
            ));
        }
        let (mut nodes, mut children, mut dispatcher) = (Vec::new(), Vec::new(), false);
        for (j, m) in d.members.iter().flatten().enumerate() {
            let mkey = format!("domains[{i}].members[{j}]");
            match m {
                RawMember::Id(id) => {
                    if *id < 0 || *id >= i64::from(node_count) {
                        return Err(ctx.err(
                            &mkey,
                            format!(
                                "domain {:?}: node {id} does not exist (nodes are 0..{})",
                                d.name,
                                node_count - 1
                            ),
                            format!("use a node id from 0 to {}", node_count - 1),
                        ));
                    }
                    let id = *id as u32;
                    if nodes.contains(&id) {
                        return Err(ctx.err(
                            &mkey,
                            format!("domain {:?}: node {id} is listed twice", d.name),
                            "list each member once",
                        ));
                    }
                    nodes.push(id);
                }
                RawMember::Name(n) if n == "dispatcher" => dispatcher = true,
                RawMember::Name(n) => match index_of(n) {
                    Some(c) if !children.contains(&(c as u32)) => children.push(c as u32),
                    Some(_) => {
                        return Err(ctx.err(
                            &mkey,
                            format!("domain {:?}: member {n:?} is listed twice", d.name),
                            "list each member once",
                        ))
                    }
                    None => {
                        return Err(ctx.err(
                            &mkey,
                            format!("domain {:?}: unknown member {n:?}", d.name),
                            format!(
                                "a member is a node id, \"dispatcher\" or the name of a declared domain ({})",
                                names(raw)
                            ),
                        ))
                    }
                },
            }
        }
        let mut any_of = Vec::new();
        if let Some(list) = &d.any_of {
            if list.is_empty() {
                return Err(ctx.err(
                    &key("any_of"),
                    format!("domain {:?}: the `any_of` gate is empty", d.name),
                    "list the redundant domains, e.g. any_of = [\"power-a\", \"power-b\"], or remove `any_of`",
                ));
            }
            for (j, n) in list.iter().enumerate() {
                match index_of(n) {
                    Some(g) => any_of.push(g as u32),
                    None => {
                        return Err(ctx.err(
                            &format!("domains[{i}].any_of[{j}]"),
                            format!("domain {:?}: unknown domain {n:?} in `any_of`", d.name),
                            format!("use the name of a declared domain ({})", names(raw)),
                        ))
                    }
                }
            }
        }
        out.push(Domain {
            name: d.name.clone(),
            kind: d.kind.clone().unwrap_or_else(|| "domain".into()),
            effect,
            failure,
            repair,
            hit,
            nodes,
            children,
            dispatcher,
            any_of,
        });
    }
    if let Some(cycle) = find_cycle(&out) {
        let named: Vec<&str> = cycle.iter().map(|&d| out[d].name.as_str()).collect();
        return Err(ctx.err(
            &format!("domains[{}]", cycle[0]),
            format!(
                "the domains form a cycle: {} → {}",
                named.join(" → "),
                named[0]
            ),
            "a domain cannot contain (or gate) itself, directly or through others: remove one of these links",
        ));
    }
    Ok(out)
}

fn names(raw: &[RawDomain]) -> String {
    if raw.is_empty() {
        return "none declared".into();
    }
    raw.iter()
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The domains on a cycle of containment and gate edges, in cycle order,
/// or None when the graph is acyclic.
pub fn find_cycle(domains: &[Domain]) -> Option<Vec<usize>> {
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(domains.len(), 0);
    let ix: Vec<NodeIndex> = domains.iter().map(|_| g.add_node(())).collect();
    for (i, d) in domains.iter().enumerate() {
        for &c in &d.children {
            g.add_edge(ix[i], ix[c as usize], ());
        }
        for &a in &d.any_of {
            g.add_edge(ix[a as usize], ix[i], ());
        }
    }
    // Tarjan's strongly connected components: any with two domains or more
    // (or one with a self-loop) holds a cycle.
    let scc = petgraph::algo::tarjan_scc(&g)
        .into_iter()
        .filter(|c| c.len() > 1 || g.contains_edge(c[0], c[0]))
        .min_by_key(|c| c.iter().map(|n| n.index()).min())?;
    // Walk the component from its lowest domain until a domain repeats.
    let inside = |n: NodeIndex| scc.contains(&n);
    let start = *scc.iter().min_by_key(|n| n.index()).expect("non-empty");
    let mut path = vec![start];
    let mut cur = start;
    loop {
        let next = g
            .neighbors(cur)
            .filter(|&n| inside(n))
            .min_by_key(|n| n.index())
            .expect("a strongly connected component has an edge inside");
        if let Some(pos) = path.iter().position(|&p| p == next) {
            return Some(path[pos..].iter().map(|n| n.index()).collect());
        }
        path.push(next);
        cur = next;
    }
}

pub fn validate_dispatcher(ctx: &Ctx, d: &RawDispatcher) -> Result<Dispatcher, InputError> {
    let count = ctx.int("dispatcher.count", d.count.unwrap_or(1), 1, MAX_DISPATCHERS)? as u32;
    let failure = d
        .failure
        .as_ref()
        .map(|x| ctx.dist("dispatcher.failure", x, true))
        .transpose()?;
    let repair = d
        .repair
        .as_ref()
        .map(|x| ctx.dist("dispatcher.repair", x, false))
        .transpose()?;
    if failure.is_some() && repair.is_none() {
        return Err(ctx.err(
            "dispatcher.repair",
            "`repair` is required when `failure` is set",
            "add e.g. repair = { dist = \"exponential\", mean = \"30m\" } to [dispatcher]",
        ));
    }
    let takeover = match &d.takeover {
        Some(x) => ctx.dist("dispatcher.takeover", x, false)?,
        None => Dist::Fixed(0),
    };
    Ok(Dispatcher {
        count,
        failure,
        repair,
        takeover,
    })
}
