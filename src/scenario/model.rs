//! The validated scenario: every default filled in, every duration in
//! nanoseconds, every rule of SPEC §1 already checked. The simulation takes
//! this type and cannot fail on it.

use super::dist::Dist;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Architecture {
    ColdStandby,
    WarmStandby,
    MasterSlave,
    SymmetricCluster,
    AsymmetricCluster,
}

impl Architecture {
    pub const ALL: [Architecture; 5] = [
        Architecture::ColdStandby,
        Architecture::WarmStandby,
        Architecture::MasterSlave,
        Architecture::SymmetricCluster,
        Architecture::AsymmetricCluster,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Architecture::ColdStandby => "cold-standby",
            Architecture::WarmStandby => "warm-standby",
            Architecture::MasterSlave => "master-slave",
            Architecture::SymmetricCluster => "symmetric-cluster",
            Architecture::AsymmetricCluster => "asymmetric-cluster",
        }
    }

    pub fn is_standby(self) -> bool {
        matches!(self, Architecture::ColdStandby | Architecture::WarmStandby)
    }

    /// Whether the architecture has a primary/master role at all.
    pub fn has_leader(self) -> bool {
        self != Architecture::SymmetricCluster
    }

    /// Whether nodes other than the primary/master serve tasks.
    pub fn followers_serve(self) -> bool {
        !self.is_standby()
    }

    /// Whether the dispatcher routes by heartbeat health (clusters) or by
    /// configuration alone (standby and master-slave keep sending to a
    /// failed primary/master, SPEC §2).
    pub fn health_checked(self) -> bool {
        matches!(
            self,
            Architecture::SymmetricCluster | Architecture::AsymmetricCluster
        )
    }
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub architecture: Architecture,
    pub seed: u64,
    pub duration_ns: u64,
    pub warmup_ns: u64,
    pub window_ns: u64,
    pub replications: u32,
    /// Keep adding replications until the 95 % half-width of the downtime
    /// fraction (and of p99 latency) is within this share of its value.
    pub precision: Option<f64>,
    /// The most replications a precision target may run.
    pub max_replications: u32,
    /// An availability SLA in percent, strictly between 0 and 100; the
    /// `--sla` flag beats it.
    pub sla: Option<f64>,
    pub nodes: Nodes,
    pub workload: Option<Workload>,
    pub dispatch: Dispatch,
    pub detection: Detection,
    pub failover: Failover,
    pub election: Election,
    pub faults: Vec<Fault>,
    /// SPEC §7: failure domains (an acyclic graph), in the order declared.
    pub domains: Vec<super::domains::Domain>,
    /// SPEC §7: the dispatcher as a component; None = it never fails.
    pub dispatcher: Option<super::domains::Dispatcher>,
    /// `hasim importance`: this component never fails (not from the file).
    pub perfect: Option<crate::metrics::Root>,
    /// SPEC §7: random gray faults of every node (none by default).
    pub gray: super::gray::GrayFaults,
    /// SPEC §7: a rolling upgrade; None = no planned work.
    pub maintenance: Option<super::gray::Maintenance>,
    /// `--set` overrides applied, as given, in order.
    pub overrides: Vec<(String, String)>,
    /// Events of the first replication written to `events.csv` before its
    /// `trace_cut` row (`hasim run --events N|all`; not from the file).
    pub events_keep: u64,
}

impl Scenario {
    /// End of the measured interval: no request arrives from here on.
    pub fn horizon_ns(&self) -> u64 {
        self.warmup_ns + self.duration_ns
    }

    /// Number of windows on the curves.
    pub fn window_count(&self) -> usize {
        self.duration_ns.div_ceil(self.window_ns) as usize
    }

    /// End of the simulation: the horizon plus the drain for open requests.
    pub fn end_ns(&self) -> u64 {
        self.horizon_ns() + self.workload.as_ref().map_or(0, |w| w.drain_ns)
    }
}

#[derive(Clone, Debug)]
pub struct Nodes {
    pub count: u32,
    pub capacity: u32,
    pub queue: u32,
    pub failure: Option<Dist>,
    pub repair: Option<Dist>,
    pub permanent: f64,
    pub replace: Option<Dist>,
    /// SPEC §7 `[[nodes.override]]`, in file order (`per_node.rs`).
    pub overrides: Vec<super::per_node::NodeOverride>,
    /// Each node's override (index into `overrides`, `u32::MAX` for none);
    /// empty when there are no overrides.
    pub override_of: Vec<u32>,
    /// SPEC §7 `nodes.crews`: repairs at once; None = unlimited.
    pub crews: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    Poisson,
    Constant,
}

#[derive(Clone, Debug)]
pub struct Workload {
    pub rate_per_s: f64,
    pub arrival: Arrival,
    pub service: Dist,
    pub deadline_ns: Option<u64>,
    pub drain_ns: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    RoundRobin,
    Random,
    LeastLoaded,
    PowerOfTwo,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Master,
    Slave,
    Any,
}

#[derive(Clone, Debug)]
pub struct Class {
    pub name: String,
    pub share: f64,
    pub route: Route,
}

#[derive(Clone, Debug)]
pub struct Dispatch {
    pub policy: Policy,
    pub attempts: u32,
    pub backoff_ns: u64,
    pub classes: Vec<Class>,
}

#[derive(Clone, Debug)]
pub struct Detection {
    /// 0 means instant detection.
    pub heartbeat_ns: u64,
    pub fall: u32,
    pub rise: u32,
    pub task_timeout_ns: Option<u64>,
    /// SPEC §8: the probability that a running, reachable node's heartbeat
    /// is missed (lost, or later than `detection.timeout`); 0 = never.
    pub miss: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Promotion {
    Manual,
    Automatic,
    None,
}

#[derive(Clone, Debug)]
pub struct Failover {
    pub promotion: Promotion,
    pub operator: Dist,
    pub start: Dist,
    pub switch: Dist,
    /// SPEC §8: how a replaced primary is kept from acting.
    pub fencing: Fencing,
}

/// SPEC §8 `failover.fencing`.
#[derive(Clone, Debug)]
pub enum Fencing {
    None,
    /// Power the old primary off (`fence`) before the takeover; a running
    /// one returns as a backup after `reboot`.
    Stonith {
        fence: Dist,
        reboot: Dist,
    },
    /// The primary's lease, renewed at each delivered heartbeat.
    Lease {
        lease_ns: u64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElectionAlgorithm {
    LowestId,
    /// Randomised election timeouts and votes; a majority of all nodes.
    Raft,
}

#[derive(Clone, Debug)]
pub struct Election {
    pub algorithm: ElectionAlgorithm,
    /// ZooKeeper: while there is no master, every class waits.
    pub pause: bool,
    /// Most requests that wait out a pause at once; one more is rejected
    /// (the clients' waiting room is full), so memory stays bounded.
    pub hold_limit: u64,
    /// ZooKeeper: clients send to any node; a slave forwards master-class
    /// tasks to the master and serves the rest itself.
    pub forward: bool,
    /// One-way delay between nodes (votes, forwarding).
    pub message_delay: Dist,
    /// Raft: election timeout.
    pub timeout: Dist,
}

impl Election {
    pub fn lowest_id() -> Self {
        Election {
            algorithm: ElectionAlgorithm::LowestId,
            pause: false,
            hold_limit: 1_000_000,
            forward: false,
            message_delay: Dist::Fixed(1_000_000),
            timeout: Dist::Uniform {
                min_ns: 150_000_000,
                max_ns: 300_000_000,
            },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FaultKind {
    Crash,
    Permanent,
    /// Accepts tasks, answers none; heartbeats go on.
    Hang,
    /// Service takes `factor` times as long.
    Slow(f64),
    /// Running but unreachable: no heartbeats, no tasks.
    Partition,
}

#[derive(Clone, Debug)]
pub struct Fault {
    pub at_ns: u64,
    pub node: u32,
    pub kind: FaultKind,
    pub for_ns: Option<u64>,
}
