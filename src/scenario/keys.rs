//! The scenario format's one source: every key of SPEC §1, §7 and §8 with its
//! type, unit, default, allowed values, meaning and an example. The reference
//! (`docs/scenario-reference.md`), the JSON Schema (`hasim schema`,
//! `docs/hasim.schema.json`) and the starter files of `hasim new` are all
//! generated from this table; a test checks it against the serde mirror in
//! `raw.rs` so a key accepted by the parser cannot be missing here.

/// The type of a key's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Str,
    Int,
    Num,
    Bool,
    /// A duration: a string with a unit or a bare number of seconds.
    Duration,
    /// A distribution: a duration (fixed) or a `{ dist = ... }` table.
    Dist,
    /// An array of strings.
    StrArray,
    /// An array of node ids, domain names and `"dispatcher"`.
    MemberArray,
    /// An array of integers.
    IntArray,
    /// A table of keys (a TOML section).
    Table,
    /// An array of tables (`[[section]]`).
    Tables,
}

/// One key of the scenario format. `path` uses `[]` for an array of tables:
/// `faults[].at`, `dispatch.classes[].share`.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    pub path: &'static str,
    pub ty: Ty,
    pub unit: &'static str,
    pub default: &'static str,
    pub required: bool,
    pub allowed: &'static [&'static str],
    /// Inclusive lower bound for numbers, if any.
    pub min: Option<f64>,
    /// Inclusive upper bound for numbers, if any.
    pub max: Option<f64>,
    pub meaning: &'static str,
    pub example: &'static str,
    /// The SPEC section that defines the key: 1, 7 or 8.
    pub spec: u8,
}

const fn k(path: &'static str, ty: Ty, meaning: &'static str, example: &'static str) -> Key {
    Key {
        path,
        ty,
        unit: "",
        default: "",
        required: false,
        allowed: &[],
        min: None,
        max: None,
        meaning,
        example,
        spec: 1,
    }
}

impl Key {
    const fn def(mut self, d: &'static str) -> Key {
        self.default = d;
        self
    }
    const fn req(mut self) -> Key {
        self.required = true;
        self
    }
    const fn allow(mut self, a: &'static [&'static str]) -> Key {
        self.allowed = a;
        self
    }
    const fn unit(mut self, u: &'static str) -> Key {
        self.unit = u;
        self
    }
    const fn range(mut self, min: Option<f64>, max: Option<f64>) -> Key {
        self.min = min;
        self.max = max;
        self
    }
    const fn spec(mut self, s: u8) -> Key {
        self.spec = s;
        self
    }
    /// The last segment of the path (the TOML key itself).
    pub fn name(&self) -> &'static str {
        self.path.rsplit('.').next().unwrap_or(self.path)
    }
    /// The path of the table holding the key ("" for the top level).
    pub fn parent(&self) -> &'static str {
        match self.path.rfind('.') {
            Some(i) => &self.path[..i],
            None => "",
        }
    }
}

/// The architectures (SPEC §1), in the article's order.
pub const ARCHITECTURES: &[&str] = &[
    "cold-standby",
    "warm-standby",
    "master-slave",
    "symmetric-cluster",
    "asymmetric-cluster",
];

/// The `dist` names of a distribution table and the keys each needs.
pub const DISTS: &[(&str, &[&str], &str)] = &[
    ("fixed", &["value"], "{ dist = \"fixed\", value = \"2m\" }"),
    (
        "exponential",
        &["mean"],
        "{ dist = \"exponential\", mean = \"10h\" }",
    ),
    (
        "uniform",
        &["min", "max"],
        "{ dist = \"uniform\", min = \"150ms\", max = \"300ms\" }",
    ),
    (
        "lognormal",
        &["median", "sigma"],
        "{ dist = \"lognormal\", median = \"1h\", sigma = 0.6 }",
    ),
    (
        "weibull",
        &["shape", "scale"],
        "{ dist = \"weibull\", shape = 1.5, scale = \"30d\" }",
    ),
];

/// The keys of a distribution table, with their types.
pub const DIST_KEYS: &[(&str, Ty, &str)] = &[
    (
        "dist",
        Ty::Str,
        "which distribution: fixed, exponential, uniform, lognormal, weibull",
    ),
    ("value", Ty::Duration, "fixed: the value"),
    ("mean", Ty::Duration, "exponential: the mean"),
    ("min", Ty::Duration, "uniform: the smallest value"),
    ("max", Ty::Duration, "uniform: the largest value"),
    ("median", Ty::Duration, "lognormal: the median"),
    (
        "sigma",
        Ty::Num,
        "lognormal: sigma of the underlying normal (a plain number)",
    ),
    (
        "shape",
        Ty::Num,
        "weibull: the shape (a plain number; < 1 infant mortality, > 1 wear-out)",
    ),
    ("scale", Ty::Duration, "weibull: the scale"),
];

const NONE: Option<f64> = None;

/// Every key, parents before children, in the order of the reference.
pub const KEYS: &[Key] = &[
    // ---- top level (SPEC §1)
    k("name", Ty::Str, "scenario name; names the output folder. `[A-Za-z0-9][A-Za-z0-9._-]*`, at most 100 characters", "name = \"cold-standby\"").def("the file's stem"),
    k("description", Ty::Str, "one or two sentences for people", "description = \"Two servers, manual switch-over.\"").def("\"\""),
    k("architecture", Ty::Str, "the high-availability architecture simulated", "architecture = \"warm-standby\"").req().allow(ARCHITECTURES),
    k("seed", Ty::Int, "base seed; the run is a pure function of (file, seed)", "seed = 42").def("1").range(Some(0.0), NONE),
    k("duration", Ty::Duration, "simulated time measured", "duration = \"365d\"").req(),
    k("warmup", Ty::Duration, "simulated before measuring, not counted in any metric", "warmup = \"1d\"").def("0"),
    k("window", Ty::Duration, "width of one point on the curves; at most 10 000 windows", "window = \"1d\"").def("duration / 100"),
    k("replications", Ty::Int, "independent runs; replication r uses a seed derived from (seed, r)", "replications = 100").def("1").range(Some(1.0), Some(1_000_000.0)),
    k("precision", Ty::Num, "add replications until the 95 % half-width of the downtime fraction (and of p99 latency) is within this share of its value", "precision = 0.05").def("none").range(Some(0.0), Some(1.0)),
    k("max_replications", Ty::Int, "the most replications `precision` may run", "max_replications = 2000").def("10000").range(Some(1.0), Some(1_000_000.0)),
    k("sla", Ty::Num, "an availability SLA in percent: `compare` and `run` print the yearly downtime budget and the share of it used (`--sla` beats it)", "sla = 99.95").def("none").range(Some(0.0), Some(100.0)),
    // ---- [nodes]
    k("nodes", Ty::Table, "the servers", "[nodes]").req(),
    k("nodes.count", Ty::Int, "servers; ids 0..count-1", "count = 2").req().range(Some(1.0), Some(10_000.0)),
    k("nodes.capacity", Ty::Int, "tasks one node serves at once", "capacity = 4").def("1").range(Some(1.0), Some(100_000.0)),
    k("nodes.queue", Ty::Int, "tasks that may wait at one node; a full queue rejects", "queue = 100").def("1000").range(Some(0.0), Some(10_000_000.0)),
    k("nodes.failure", Ty::Dist, "time from start (or return to service) to the next failure; none = never fails at random", "failure = { dist = \"exponential\", mean = \"30d\" }").def("none"),
    k("nodes.repair", Ty::Dist, "time to bring a failed node back (restart or hands-on fix); required with `failure`", "repair = { dist = \"lognormal\", median = \"1h\", sigma = 0.6 }").def("required with `failure`"),
    k("nodes.permanent", Ty::Num, "share of failures that cannot be repaired (the disk is gone)", "permanent = 0.05").def("0").range(Some(0.0), Some(1.0)),
    k("nodes.replace", Ty::Dist, "time until a new machine joins in place of a permanently failed one; required when `permanent` > 0", "replace = \"3d\"").def("required when `permanent` > 0"),
    // ---- [nodes] more detail (SPEC §7)
    k("nodes.crews", Ty::Int, "at most this many repairs (of nodes and domains) run at once; the others wait in arrival order, and a repair's time starts when a crew starts on it. Replacements (a new machine) and stonith reboots need no crew", "crews = 1").def("unlimited").range(Some(1.0), Some(1_000_000.0)).spec(7),
    k("nodes.override", Ty::Tables, "nodes that differ from the rest (old hardware, a bigger machine)", "[[nodes.override]]").spec(7),
    k("nodes.override[].ids", Ty::IntArray, "the node ids this override applies to; each node in one override at most", "ids = [0, 1]").req().spec(7),
    k("nodes.override[].failure", Ty::Dist, "these nodes' failure process", "failure = { dist = \"exponential\", mean = \"10d\" }").def("`nodes.failure`").spec(7),
    k("nodes.override[].repair", Ty::Dist, "these nodes' repair time", "repair = \"4h\"").def("`nodes.repair`").spec(7),
    k("nodes.override[].permanent", Ty::Num, "these nodes' share of permanent failures", "permanent = 0.1").def("`nodes.permanent`").range(Some(0.0), Some(1.0)).spec(7),
    k("nodes.override[].replace", Ty::Dist, "these nodes' replacement time", "replace = \"1d\"").def("`nodes.replace`").spec(7),
    k("nodes.override[].capacity", Ty::Int, "these nodes' capacity", "capacity = 8").def("`nodes.capacity`").range(Some(1.0), Some(100_000.0)).spec(7),
    k("nodes.hang", Ty::Table, "random hangs (accepts tasks, answers none; heartbeats go on)", "hang = { every = \"30d\", for = \"10m\" }").spec(7),
    k("nodes.hang.every", Ty::Dist, "quiet time before each hang of a node: from t = 0, then from the end of the previous one (each node draws its own)", "every = \"30d\"").req().spec(7),
    k("nodes.hang.for", Ty::Dist, "how long a hang lasts", "for = \"10m\"").req().spec(7),
    k("nodes.slow", Ty::Table, "random slow-downs (service time × `factor`)", "slow = { every = \"7d\", for = \"1h\", factor = 3.0 }").spec(7),
    k("nodes.slow.every", Ty::Dist, "quiet time before each slow-down of a node: from t = 0, then from the end of the previous one", "every = \"7d\"").req().spec(7),
    k("nodes.slow.for", Ty::Dist, "how long a slow-down lasts", "for = \"1h\"").req().spec(7),
    k("nodes.slow.factor", Ty::Num, "service-time multiplier of the tasks a node starts while slow", "factor = 3.0").def("3.0").range(Some(1.0), NONE).spec(7),
    k("nodes.partition", Ty::Table, "random partitions (running but unreachable)", "partition = { every = \"60d\", for = \"5m\" }").spec(7),
    k("nodes.partition.every", Ty::Dist, "quiet time before each partition of a node: from t = 0, then from the end of the previous one", "every = \"60d\"").req().spec(7),
    k("nodes.partition.for", Ty::Dist, "how long a partition lasts", "for = \"5m\"").req().spec(7),
    // ---- [workload]
    k("workload", Ty::Table, "requests; without it only node and role states are simulated (fast; request metrics are null)", "[workload]").def("none"),
    k("workload.rate", Ty::Num, "requests per second offered", "rate = 50.0").unit("1/s").req().range(Some(0.0), Some(1.0e9)),
    k("workload.arrival", Ty::Str, "arrival process", "arrival = \"poisson\"").def("poisson").allow(&["poisson", "constant"]),
    k("workload.service", Ty::Dist, "service time of one task on a healthy node", "service = { dist = \"exponential\", mean = \"20ms\" }").req(),
    k("workload.deadline", Ty::Duration, "a request not finished this long after it arrived has failed (`timed_out`)", "deadline = \"2s\"").def("none"),
    k("workload.drain", Ty::Duration, "after the horizon no request arrives; requests still open this long after it count as `timed_out`", "drain = \"60s\"").def("`deadline`, else 60s"),
    // ---- [dispatch]
    k("dispatch", Ty::Table, "how the dispatcher (任务分配器) spreads tasks", "[dispatch]"),
    k("dispatch.policy", Ty::Str, "choice among several eligible nodes", "policy = \"least-loaded\"").def("round-robin").allow(&["round-robin", "random", "least-loaded", "power-of-two"]),
    k("dispatch.attempts", Ty::Int, "tries per request. 1 = fire and forget; > 1 = a task manager re-sends a failed task to another eligible node", "attempts = 3").def("1").range(Some(1.0), Some(100.0)),
    k("dispatch.backoff", Ty::Duration, "wait before a retry", "backoff = \"100ms\"").def("0"),
    k("dispatch.classes", Ty::Tables, "task classes; shares must sum to 1. Default: one class `task` (route any); master-slave: `A` 0.5 master, `B` 0.5 slave; asymmetric-cluster: `write` 0.2 master, `read` 0.8 any", "classes = [{ name = \"write\", share = 0.2, route = \"master\" }, { name = \"read\", share = 0.8 }]").def("see meaning"),
    k("dispatch.classes[].name", Ty::Str, "the class name", "name = \"write\"").req(),
    k("dispatch.classes[].share", Ty::Num, "share of requests in this class", "share = 0.2").req().range(Some(0.0), Some(1.0)),
    k("dispatch.classes[].route", Ty::Str, "which nodes may serve the class (standby architectures ignore it)", "route = \"master\"").def("any").allow(&["master", "slave", "any"]),
    // ---- [dispatcher] (SPEC §7)
    k("dispatcher", Ty::Table, "the dispatcher itself as a component that can fail", "[dispatcher]").spec(7),
    k("dispatcher.count", Ty::Int, "dispatchers; with 2 or more, one is active and the others take over", "count = 2").def("1").range(Some(1.0), NONE).spec(7),
    k("dispatcher.failure", Ty::Dist, "each dispatcher's failure process", "failure = { dist = \"exponential\", mean = \"90d\" }").def("none").spec(7),
    k("dispatcher.repair", Ty::Dist, "each dispatcher's repair time", "repair = \"1h\"").def("none").spec(7),
    k("dispatcher.takeover", Ty::Dist, "time for a standby dispatcher to take over once the active one fails", "takeover = \"30s\"").def("0").spec(7),
    // ---- [detection]
    k("detection", Ty::Table, "heartbeats (心跳): how failures are noticed", "[detection]"),
    k("detection.heartbeat", Ty::Duration, "heartbeats are due at k × heartbeat from t = 0; `0s` = instant detection", "heartbeat = \"1s\"").def("1s"),
    k("detection.fall", Ty::Int, "a node is marked down at its fall-th consecutive missed heartbeat", "fall = 3").def("3").range(Some(1.0), Some(1_000_000.0)),
    k("detection.rise", Ty::Int, "a marked-down node is marked up at its rise-th consecutive delivered heartbeat", "rise = 2").def("2").range(Some(1.0), Some(1_000_000.0)),
    k("detection.task_timeout", Ty::Duration, "the dispatcher treats a task with no answer after this long as failed", "task_timeout = \"5s\"").def("none"),
    k("detection.loss", Ty::Num, "each heartbeat of a running, reachable node is lost with this probability", "loss = 0.01").def("0").range(Some(0.0), Some(1.0)).spec(8),
    k("detection.delay", Ty::Dist, "each heartbeat's network delay", "delay = { dist = \"exponential\", mean = \"5ms\" }").def("0").spec(8),
    k("detection.timeout", Ty::Duration, "a heartbeat whose delay exceeds this counts as missed", "timeout = \"500ms\"").def("`heartbeat`").spec(8),
    // ---- [failover]
    k("failover", Ty::Table, "how a backup, slave or new master takes over", "[failover]"),
    k("failover.promotion", Ty::Str, "manual (an operator switches), automatic, or none (never promote; wait for repair)", "promotion = \"automatic\"").def("manual for standby and master-slave, automatic for clusters").allow(&["manual", "automatic", "none"]),
    k("failover.operator", Ty::Dist, "manual: from the alert to the operator acting", "operator = { dist = \"lognormal\", median = \"20m\", sigma = 0.8 }").def("30m"),
    k("failover.start", Ty::Dist, "cold-standby (冷备): time to start the backup's service", "start = \"5m\"").def("5m"),
    k("failover.switch", Ty::Dist, "time to re-point the dispatcher at the new primary/master", "switch = \"10s\"").def("0"),
    k("failover.fencing", Ty::Str, "how the old primary is kept from acting after a takeover", "fencing = \"stonith\"").def("none").allow(&["none", "stonith", "lease"]).spec(8),
    k("failover.fence", Ty::Dist, "stonith: time to power off the old primary before the takeover starts", "fence = \"10s\"").def("10s").spec(8),
    k("failover.reboot", Ty::Dist, "stonith: a fenced machine that was running comes back as a backup after this", "reboot = \"2m\"").def("2m").spec(8),
    k("failover.lease", Ty::Duration, "lease: the primary's lease, renewed at each delivered heartbeat", "lease = \"10s\"").def("10s").spec(8),
    // ---- [election]
    k("election", Ty::Table, "asymmetric-cluster (非对称集群) only: how a new master is chosen", "[election]"),
    k("election.algorithm", Ty::Str, "lowest-id: the live node with the smallest id becomes master; raft (or zab): randomised timeouts and votes, a majority of nodes.count needed", "algorithm = \"raft\"").def("lowest-id").allow(&["lowest-id", "raft", "zab"]),
    k("election.timeout", Ty::Dist, "raft: election timeout", "timeout = { dist = \"uniform\", min = \"150ms\", max = \"300ms\" }").def("uniform 150ms..300ms"),
    k("election.message_delay", Ty::Dist, "one-way delay between nodes (votes, forwarding)", "message_delay = \"1ms\"").def("1ms"),
    k("election.pause", Ty::Bool, "ZooKeeper: while there is no master, every class waits, not only master classes", "pause = true").def("false"),
    k("election.hold_limit", Ty::Int, "with pause: most requests waiting for a master at once; one more is rejected (bounds memory)", "hold_limit = 10000").def("1000000").range(Some(1.0), Some(100_000_000.0)),
    k("election.forward", Ty::Bool, "ZooKeeper: clients send to any node; a slave forwards master-class tasks to the master", "forward = true").def("false"),
    // ---- [[faults]]
    k("faults", Ty::Tables, "scripted faults: exact, reproducible teaching scenarios", "[[faults]]").def("[]"),
    k("faults[].at", Ty::Duration, "when", "at = \"2h\"").req(),
    k("faults[].node", Ty::Int, "which node", "node = 0").req().range(Some(0.0), NONE),
    k("faults[].kind", Ty::Str, "crash (repaired after `for`, or a `repair` draw), permanent, hang (accepts tasks, answers none), slow (service × `factor`), partition (running but unreachable)", "kind = \"crash\"").req().allow(&["crash", "permanent", "hang", "slow", "partition"]),
    k("faults[].for", Ty::Duration, "how long (not for `permanent`)", "for = \"30m\"").def("a `repair` draw (crash)"),
    k("faults[].factor", Ty::Num, "`slow` only: service-time multiplier", "factor = 4.0").range(Some(0.0), NONE),
    // ---- [[domains]] (SPEC §7)
    k("domains", Ty::Tables, "failure domains: racks, zones, power feeds, switches, deploys", "[[domains]]").def("[]").spec(7),
    k("domains[].name", Ty::Str, "unique name, `[A-Za-z0-9][A-Za-z0-9_-]*`", "name = \"rack-a\"").req().spec(7),
    k("domains[].kind", Ty::Str, "a label for people and charts: rack, zone, power, switch, deploy, …", "kind = \"rack\"").def("domain").spec(7),
    k("domains[].members", Ty::MemberArray, "what the domain contains: node ids, other domains' names, and \"dispatcher\"", "members = [0, 1, \"dispatcher\"]").def("[]").spec(7),
    k("domains[].effect", Ty::Str, "crash: members stop; partition: members keep running but cannot talk outside the domain", "effect = \"partition\"").def("crash").allow(&["crash", "partition"]).spec(7),
    k("domains[].failure", Ty::Dist, "the domain's own failure process", "failure = { dist = \"exponential\", mean = \"180d\" }").def("none").spec(7),
    k("domains[].repair", Ty::Dist, "the domain's repair time", "repair = \"2h\"").def("none").spec(7),
    k("domains[].any_of", Ty::StrArray, "redundancy gate: the domain is also down while every listed domain is down", "any_of = [\"feed-a\", \"feed-b\"]").def("none").spec(7),
    k("domains[].hit", Ty::Num, "at each failure, each member is hit independently with this probability", "hit = 0.5").def("1").range(Some(0.0), Some(1.0)).spec(7),
    // ---- [maintenance] (SPEC §7)
    k("maintenance", Ty::Table, "planned work: a rolling upgrade, one node at a time in id order", "[maintenance]").spec(7),
    k("maintenance.every", Ty::Duration, "time between the starts of two rounds; a round due while the previous one still runs is skipped", "every = \"30d\"").req().spec(7),
    k("maintenance.start", Ty::Duration, "first round", "start = \"7d\"").def("`every`").spec(7),
    k("maintenance.drain", Ty::Duration, "each node is marked down (no new tasks; with automatic promotion a primary or master hands over at once) this long before it stops", "drain = \"5m\"").def("0").spec(7),
    k("maintenance.duration", Ty::Dist, "how long one node is stopped; it then returns like a repaired node, and the next node starts once it is marked up again. A node that is down when its turn comes is skipped", "duration = \"20m\"").req().spec(7),
];

/// The key at `path`, if the table has it.
pub fn find(path: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.path == path)
}

/// The children of the table at `parent` ("" = top level).
pub fn children(parent: &str) -> impl Iterator<Item = &'static Key> + '_ {
    KEYS.iter().filter(move |k| k.parent() == parent)
}
