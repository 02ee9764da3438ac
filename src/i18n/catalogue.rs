//! The message catalogue: every message once, as (id, English, Chinese).
//! `{}` marks where values go, in order, in both languages. The Chinese
//! uses the source article's terms: 冷备 cold standby, 温备 warm standby,
//! 主从 master-slave, 对称集群 symmetric cluster, 非对称集群 asymmetric
//! cluster, 任务分配器 the distributor (task allocator), 心跳 heartbeat,
//! 任务管理器 the task manager (the role that hands out work), 主机 the
//! master (primary), 备机 the backup, 从机 the slave.

pub const CATALOGUE: &[(&str, &str, &str)] = &[
    ("arch.cold-standby", "cold standby", "冷备"),
    ("arch.warm-standby", "warm standby", "温备"),
    ("arch.master-slave", "master-slave", "主从"),
    ("arch.symmetric-cluster", "symmetric cluster", "对称集群"),
    (
        "arch.asymmetric-cluster",
        "asymmetric cluster",
        "非对称集群",
    ),
    (
        "head.title",
        "{}  [{}]  seed {}, {} replication(s)\n",
        "{}  [{}]  种子 {}，重复 {} 次\n",
    ),
    ("head.uptime", "  uptime {}", "  服务正常时间比例 {}"),
    ("head.nines", " ({} nines)", "（{} 个 9）"),
    (
        "head.down",
        ", downtime {}, {} outage(s), {} failover(s)\n",
        "，停机 {}，中断 {} 次，故障切换 {} 次\n",
    ),
    (
        "head.precision",
        "  precision target ±{} after {} replications: {} (downtime ±{})\n",
        "  精度目标 ±{}：重复 {} 次后{}（停机 ±{}）\n",
    ),
    ("head.met", "met", "已达到"),
    ("head.not_met", "NOT met", "未达到"),
    (
        "head.no_outage",
        "  precision target ±{} NOT met: no outage was observed in {} replications\n",
        "  精度目标 ±{} 未达到：{} 次重复中没有观察到任何中断，停机没有相对精度\n",
    ),
    (
        "head.availability",
        "  availability {} (of {} requests, {} failed)",
        "  请求可用性 {}（{} 个请求中失败 {} 个）",
    ),
    (
        "head.latency",
        ", latency p50 {} ms, p99 {} ms",
        "，延迟 p50 {} ms，p99 {} ms",
    ),
    ("head.wrote", "  wrote {}\n", "  已写入 {}\n"),
    (
        "run.sla",
        "  SLA {} % allows {} of downtime per year; this uses {} per year, {} % of it\n",
        "  SLA {} % 每年允许停机 {}；本场景每年停机 {}，占其中 {} %\n",
    ),
    // ---- explain: the frame (explain/mod.rs)
    (
        "explain.intro",
        "\n{}\n\n{}\n\nThis scenario:\n",
        "\n{}\n\n{}\n\n本场景：\n",
    ),
    (
        "explain.happened",
        "\nWhat happened in {} (seed {}, {} simulated{}):\n",
        "\n{}发生了什么（种子 {}，模拟 {}{}）：\n",
    ),
    ("explain.first_run", "the first run", "第一次运行中"),
    ("explain.replication", "replication {}", "第 {} 次重复中"),
    ("explain.after_warmup", " after a warmup of {}", "，预热 {} 之后"),
    ("explain.down", "⇒ The service goes DOWN: {}.", "⇒ 服务中断：{}。"),
    (
        "explain.still_down",
        "⇒ The service is still down when the run ends.",
        "⇒ 运行结束时服务仍处于中断状态。",
    ),
    ("explain.back", "⇒ The service is back, after {} down.", "⇒ 服务恢复，中断了 {}。"),
    (
        "explain.warmup_ends",
        "── The warmup ends: from here on, everything is measured. ──",
        "── 预热结束：从这里开始，一切都计入统计。 ──",
    ),
    (
        "explain.nothing_failed",
        "  Nothing failed: the service was up the whole time.\n",
        "  没有任何故障：服务全程可用。\n",
    ),
    (
        "explain.more",
        "  … and {} more {} (hasim run writes {} to events.csv).\n",
        "  …… 还有 {} 个{}（hasim run 把{}写入 events.csv）。\n",
    ),
    ("explain.event", "event", "事件"),
    ("explain.events", "events", "事件"),
    ("explain.those_kept", "those the trace kept", "记录保留的那些"),
    ("explain.them_all", "them all", "全部事件"),
    (
        "explain.never_down_measured",
        "  The service never went down in the measured part of this run.\n",
        "  在这次运行的统计时段内，服务从未中断。\n",
    ),
    (
        "explain.never_down",
        "  The service never went down in this run.\n",
        "  这次运行中服务从未中断。\n",
    ),
    ("explain.in_numbers", "\nIn numbers (this one run):\n", "\n数字（仅这一次运行）：\n"),
    (
        "explain.one_story_many",
        "\nOne run is one story. `hasim run {}` gives {} replications with 95 % intervals, and charts.\n",
        "\n一次运行只是一个故事。`hasim run {}` 给出 {} 次重复的结果、95 % 置信区间和图表。\n",
    ),
    (
        "explain.one_story",
        "\nOne run is one story. `hasim run {}` draws its charts; add `--replications 10` for 95 % \
         intervals.\n",
        "\n一次运行只是一个故事。`hasim run {}` 画出图表；加上 `--replications 10` 可得到 95 % 置信区间。\n",
    ),
    // ---- explain: the concept, after the article (explain/setup.rs)
    (
        "concept.cold-standby",
        "Cold standby (冷备): one primary does all the work. The backups have the software and configuration \
         ready, but their service is not running. The distributor sends every task to the primary it is \
         configured with and checks no health: when the primary fails it keeps sending to it, so the service \
         is down until the primary is repaired or a backup is promoted. Promoting a cold backup means \
         starting its service, then re-pointing the distributor.",
        "冷备（cold standby）：主机执行所有计算任务。备机上的程序包和配置文件都准备好，但备机上的业务服务没有启动。\
         任务分配器按配置把所有任务发送给主机，不检测主机是否健康：主机故障时，任务分配器不会自动将任务发送给备机，\
         系统处于不可用状态，直到主机恢复，或者人工将备机升为主机。把冷备的备机升为主机，需要先启动它的业务服务，\
         再把任务分配器的任务请求切换发送给它。",
    ),
    (
        "concept.warm-standby",
        "Warm standby (温备): like a cold standby, but the backups' service is already running; they serve \
         nothing until promoted. The distributor sends every task to the primary it is configured with and \
         checks no health: when the primary fails the service is down until the primary is repaired or a \
         backup is promoted. A promotion costs only re-pointing the distributor, not a service start.",
        "温备（warm standby）：与冷备相同，但备机上的业务服务已经启动，只是不对外提供服务，直到被升为主机。\
         任务分配器按配置把所有任务发送给主机，不检测主机是否健康：主机故障时系统处于不可用状态，直到主机恢复或备机被升为主机。\
         升级只需切换任务分配器，无需启动业务服务。",
    ),
    (
        "concept.master-slave",
        "Master-slave (主从): the slaves work too. The distributor routes each task class by configuration, \
         without health checks: master classes to the master, slave classes to the slaves. When the master \
         fails it keeps sending the master classes to it, and they fail while the slave classes go on; tasks \
         it sends to a failed slave fail too. Making a slave the master is a configuration change: the \
         distributor is re-pointed.",
        "主从（master-slave）：从机也要执行任务。任务分配器按配置对任务分类，不做健康检测：一类任务（如“计算任务 A”）发送给主机，\
         另一类（如“计算任务 B”）发送给从机。主机故障时，任务分配器不会自动将原本发送给主机的任务发送给从机，而是继续发送给主机，\
         这些任务失败，而从机的任务照常执行；发送给故障从机的任务同样失败。将从机升级为主机一般只是修改配置：\
         让任务分配器改发给新的主机。",
    ),
    (
        "concept.symmetric-cluster",
        "Symmetric (load-balanced) cluster (对称集群): every node can do every task. The distributor spreads \
         tasks over the nodes it believes healthy: it stops sending to a node once heartbeats mark it down, \
         and sends to it again once they mark it up. There are no roles, so there is no failover: only \
         detection delays and retries.",
        "对称集群（负载均衡集群，symmetric cluster）：集群中每个服务器的角色都是一样的，都可以执行所有任务。\
         任务分配器把任务分配给它认为健康的服务器：心跳判定某台服务器故障后，任务分配器不再将任务分配给它；\
         心跳判定它恢复后，重新将任务分配给它。没有角色，也就没有故障切换，只有检测延迟和重试。",
    ),
    (
        "concept.asymmetric-cluster",
        "Asymmetric cluster (非对称集群): one master, the rest slaves; some task classes need the master \
         (like ZooKeeper's writes), others go to the slaves or to any node. The distributor routes by \
         role and by heartbeats: it sends only to nodes marked up. When the master is marked down, \
         {}; until a new master serves, the master's classes fail. A slave failure changes no \
         role: the node leaves the routing set once marked down.",
        "非对称集群（asymmetric cluster）：集群中的服务器分为不同的角色，一台 Master（主机），其余为 Slave（从机）；\
         有些任务只能由 Master 执行（如 ZooKeeper 的写请求），其他任务发送给从机或任意节点。任务分配器按角色和心跳分配任务：\
         只发送给心跳判定为正常的节点。Master 被判定故障时，{}；在新的 Master 提供服务之前，Master 的任务都会失败。\
         Slave 故障不需要重新分配角色，只需要在判定故障后将它从集群剔除即可。",
    ),
    (
        "concept.choice.lowest-id",
        "the cluster makes the running slave with the lowest id the new master",
        "集群取当前存活的从机中节点 ID 最小的作为新的 Master",
    ),
    (
        "concept.choice.raft",
        "the nodes elect a new one by Raft votes (random timeouts, a majority needed)",
        "各节点用 Raft 投票选举新的 Master（随机超时，需要多数票）",
    ),
    ("concept.choice.manual", "an operator designates a new one", "由运维人员人工指定新的 Master"),
    (
        "concept.choice.none",
        "nobody replaces it: the master's classes wait for its repair",
        "没有节点接替它：Master 的任务等待它修复",
    ),
    // ---- explain: the article's trade-offs (explain/tradeoffs.rs)
    (
        "tradeoff.standby",
        "The trade-off, as the article puts it: standby needs a person to switch. Manual work takes a time \
         nobody controls, is slow and easy to get wrong, so standby suits internal systems (management \
         and back-office tools with few users who use them rarely), not online services. Compute HA, \
         unlike storage HA, has no data to keep consistent: a task sent elsewhere only has to be computed.",
        "取舍（按原文）：主备需要人工操作，操作时间不可控，操作效率低，手工操作容易出错。\
         比较适合于内部管理系统、后台管理系统这类使用人数不多、使用频率不高的业务，不太适合在线的业务。\
         计算高可用与存储高可用不同，不存在数据一致性问题：任务发给别处，只需要保证任务计算完成即可。",
    ),
    (
        "tradeoff.master-slave",
        "The trade-off, as the article puts it: compared with standby, the slaves also do work, so their \
         hardware is not idle; the cost is that tasks must be classified (which may go to the slaves), and \
         the distributor grows more complex. Switching is still manual: slow, at a time nobody controls, \
         and easy to get wrong. Compute HA, unlike storage HA, has no data to keep consistent: a task sent \
         elsewhere only has to be computed.",
        "取舍（按原文）：主从架构与主备架构相比，优点是从机也执行任务，发挥了从机的硬件性能；\
         缺点是需要将任务分类（哪些任务可以发送给从机），任务分配器会复杂一些。切换仍需人工操作：效率低、时间不可控、容易出错。\
         计算高可用与存储高可用不同，不存在数据一致性问题：任务发给别处，只需要保证任务计算完成即可。",
    ),
    (
        "tradeoff.cluster",
        "The trade-off, as the article puts it: standby and master-slave switch by hand, which is slow, \
         error-prone and late, so where availability matters more the cluster switches by itself; the \
         price is detection (heartbeats) and, with roles, an election. Compute HA, unlike storage HA, has \
         no data to keep consistent: a task sent to another node only has to be computed, which is why \
         storage HA is the harder design.",
        "取舍（按原文）：主备和主从需要人工切换，人工操作效率低、容易出错、不能及时处理故障，\
         因此在可用性要求更加严格的场景中，集群自动完成切换；代价是检测（心跳）以及有角色时的选举。\
         计算高可用不存在数据一致性问题：原本发送到故障节点的任务分发给非故障节点，只需要保证任务计算完成即可；\
         所以存储的高可用比计算的高可用的设计更为复杂。",
    ),
    // ---- explain --outage K (explain/outage.rs)
    ("phase.failure", "Failure", "故障"),
    ("phase.detection", "Detection", "检测"),
    ("phase.decision", "Decision", "决策"),
    ("phase.takeover", "Takeover", "接管"),
    ("phase.return", "Return", "恢复"),
    ("phase.other", "Other", "其他"),
    (
        "outage.none",
        "replication {} has no outage; try another --replication",
        "第 {} 次重复没有中断；请换一个 --replication",
    ),
    (
        "outage.range",
        "replication {} has {} outage(s): give --outage 1 to {} (the rows of outages.csv with replication {}, in order)",
        "第 {} 次重复有 {} 次中断：请给出 --outage 1 到 {}（即 outages.csv 中 replication 为 {} 的各行，按顺序）",
    ),
    (
        "outage.head",
        "Outage {} of {} in replication {} (seed {}): {} down from {} to {}{}, caused by {}.\n",
        "第 {} 次中断（共 {} 次），第 {} 次重复（种子 {}）：从 {} 起中断 {}，至 {} 结束{}，起因：{}。\n",
    ),
    ("outage.censored", " (still down when the run ended)", "（运行结束时仍未恢复）"),
    (
        "outage.run_ends_down",
        "⇒ The run ends with the service still down.",
        "⇒ 运行结束时服务仍处于中断状态。",
    ),
    // ---- what caused an outage (report/story.rs, also on the page)
    ("cause.a_node", "a node", "某个节点"),
    ("cause.node", "node {}", "节点 {}"),
    ("cause.crashed", "{} crashed", "{} 宕机"),
    ("cause.failed_permanently", "{} failed for good", "{} 永久故障"),
    ("cause.partitioned", "{} was cut off by a network partition", "{} 被网络分区隔断"),
    ("cause.hung", "{} hung", "{} 卡死"),
    ("cause.slowed", "{} slowed down", "{} 变慢"),
    ("cause.marked_down", "{} was marked down", "{} 被判定故障"),
    ("cause.marked_up", "{} was marked up", "{} 被判定恢复"),
    ("cause.repaired", "{} was repaired", "{} 修复完成"),
    ("cause.replaced", "{} was replaced", "{} 被新机器替换"),
    ("cause.promotion_started", "a promotion began ({})", "开始升级（{}）"),
    ("cause.promoted", "{} was promoted", "{} 被升为主机"),
    (
        "cause.promotion_abandoned",
        "the promotion of {} was abandoned",
        "{} 的升级被放弃",
    ),
    ("cause.election_started", "an election began ({})", "开始选举（{}）"),
    ("cause.elected", "{} was elected", "{} 当选"),
    ("cause.operator_acted", "the operator acted", "运维人员进行了操作"),
    ("cause.healed", "{} recovered", "{} 恢复正常"),
    ("cause.other", "{} ({})", "{}（{}）"),
    // ---- explain: one sentence per event (explain/events.rs)
    ("role.primary", "primary", "主机"),
    ("role.backup", "backup", "备机"),
    ("role.member", "member", "成员"),
    ("role.master", "master", "主机"),
    ("role.slave", "slave", "从机"),
    ("who.member", "a member", "成员"),
    ("who.the", "the {}", "{}"),
    ("who.a", "a {}", "{}"),
    ("who.node", "Node {} ({})", "节点 {}（{}）"),
    ("end.period", ".", "。"),
    (
        "sent.until_marked",
        "until it is marked down, the distributor still sends it tasks",
        "在被判定故障之前，任务分配器仍向它发送任务",
    ),
    ("sent.the_distributor", "the distributor ", "任务分配器"),
    (
        "sent.master_tasks",
        "the distributor keeps sending it the master's tasks",
        "任务分配器继续把主机的任务发送给它",
    ),
    (
        "sent.master_classes",
        "the distributor keeps sending it the master classes ({})",
        "任务分配器继续把主机的任务类（{}）发送给它",
    ),
    (
        "sent.every_task",
        "the distributor keeps sending it every task",
        "任务分配器继续把所有任务发送给它",
    ),
    (
        "sent.slave_tasks",
        "the distributor keeps sending it slave-class tasks",
        "任务分配器继续把从机类任务发送给它",
    ),
    ("stopped.what", "{} {}", "{}{}"),
    ("stopped.still", "; {}", "；{}"),
    (
        "takeover.failover",
        "{}: a failover (the {} role moves from node {} to node {}).",
        "{}：一次故障切换（{}角色从节点 {} 转到节点 {}）。",
    ),
    (
        "takeover.again",
        "{} again: the same node returns to its role, which is not a failover.",
        "{}（再次）：同一节点回到原角色，这不算故障切换。",
    ),
    ("ev.crashes", "crashes ({})", "宕机（{}）"),
    ("ev.fails_for_good", "fails for good ({})", "永久故障（{}）"),
    (
        "ev.partitioned",
        "is cut off by a network partition ({}): it keeps running, but neither heartbeats nor \
         tasks get through",
        "被网络分区隔断（{}）：它仍在运行，但心跳和任务都无法送达",
    ),
    (
        "ev.partitioned.timeout",
        ", and they fail after the task timeout ({}).",
        "，这些任务在任务超时（{}）后失败。",
    ),
    (
        "ev.partitioned.deadline",
        ", which get no answer and, with no task_timeout, fail only at their deadline.",
        "，这些任务得不到应答；没有设置 task_timeout，它们要到截止时间才失败。",
    ),
    (
        "ev.partitioned.open",
        ", which get no answer and, with no task_timeout, stay open until the run is over.",
        "，这些任务得不到应答；没有设置 task_timeout，它们一直挂起到运行结束。",
    ),
    ("ev.after_stopped", ", {} after it stopped", "，距它停止 {}"),
    ("ev.down.at_once", "at once{}", "（立即{}）"),
    ("ev.down.missed", "(its {} missed heartbeat{})", "（第 {} 次丢失心跳{}）"),
    (
        "ev.down.hc",
        "The distributor marks node {} down {} and stops sending it tasks.",
        "任务分配器判定节点 {} 故障{}，不再向它发送任务。",
    ),
    (
        "ev.down.pause",
        " With no master marked up, ZooKeeper's pause holds every request.",
        "没有被判定正常的 Master，ZooKeeper 暂停所有读写请求。",
    ),
    ("ev.down.whom_leader", "node {}, the {},", "节点 {}（{}）"),
    ("ev.down.whom", "node {}", "节点 {} "),
    ("ev.down.rest_sent", " and {}", "，仍{}"),
    (
        "ev.down.rest_none",
        ", and a {} gets no tasks anyway",
        "，而{}本来就不接收任务",
    ),
    (
        "ev.down.config",
        "Heartbeats mark {} down {}; the distributor does not route by them{}.",
        "心跳判定{}故障{}；任务分配器不按心跳分配任务{}。",
    ),
    (
        "ev.down.waits",
        "{} The promotion starts, but no {} is running and marked up: it waits for the \
         first one.",
        "{}升级开始，但没有正在运行且被判定正常的{}：等待第一个可用的。",
    ),
    ("ev.up.at_once", "at once", "（立即）"),
    ("ev.up.delivered", "(its {} delivered heartbeat)", "（第 {} 次收到心跳）"),
    (
        "ev.up.hc",
        "Node {} is marked up again {} and gets tasks again.",
        "节点 {} 被重新判定正常{}，重新接收任务。",
    ),
    ("ev.up.config", "Heartbeats mark node {} up again {}.", "心跳重新判定节点 {} 正常{}。"),
    (
        "ev.repaired.same",
        "Node {} is repaired and serves as {} again (the same node: no failover).",
        "节点 {} 修复完成，重新作为{}提供服务（同一节点：不是故障切换）。",
    ),
    ("ev.repaired.sym", "Node {} is repaired and gets tasks again.", "节点 {} 修复完成，重新接收任务。"),
    (
        "ev.repaired.sym_hb",
        "Node {} is repaired; it gets tasks again once heartbeats mark it up.",
        "节点 {} 修复完成；心跳判定它正常后重新接收任务。",
    ),
    (
        "ev.repaired.asym",
        "Node {} is repaired and returns as a {}; it gets tasks once heartbeats mark it up.",
        "节点 {} 修复完成，作为{}回归；心跳判定它正常后接收任务。",
    ),
    (
        "ev.repaired.ms",
        "Node {} is repaired and returns as a slave, serving slave classes at once.",
        "节点 {} 修复完成，作为从机回归，立即执行从机的任务。",
    ),
    ("ev.repaired.as", "Node {} is repaired and returns as a {}.", "节点 {} 修复完成，作为{}回归。"),
    ("ev.replaced", "A new machine takes node {}'s place.", "一台新机器接替节点 {}。"),
    (
        "ev.replaced.joins",
        "A new machine takes node {}'s place and joins as a {}.",
        "一台新机器接替节点 {}，作为{}加入。",
    ),
    (
        "ev.alerted.in",
        "The mark-down alerts an operator, who will act in {}.",
        "故障判定通知了运维人员，他将在 {} 后操作。",
    ),
    ("ev.alerted", "An operator is alerted ({}).", "运维人员收到告警（{}）。"),
    (
        "ev.acted.designate",
        "The operator acts: the {} is still unreachable, so they designate a new one.",
        "运维人员操作：{}仍不可达，于是人工指定新的一台。",
    ),
    (
        "ev.acted.promote",
        "The operator acts: the {}'s failure is permanent, so they promote a {}.",
        "运维人员操作：{}不能恢复，于是将{}升为主机。",
    ),
    (
        "ev.acted.recoverable",
        "The operator acts: the failure is recoverable, so they leave the {} to its repair.",
        "运维人员操作：故障可以恢复，于是等待{}修复。",
    ),
    (
        "ev.acted.back",
        "The operator looks: the {} is already back, nothing to do.",
        "运维人员查看：{}已经恢复，无需操作。",
    ),
    (
        "ev.acted.under_way",
        "The operator finds a promotion already under way.",
        "运维人员发现升级已在进行中。",
    ),
    ("ev.acted", "The operator acts: {}.", "运维人员操作：{}。"),
    ("ev.chosen", "Node {} is chosen to take over ({}).", "选定节点 {} 接管（{}）。"),
    (
        "ev.abandoned",
        "Node {} fails before taking over: the promotion moves to the next available candidate.",
        "节点 {} 在接管之前故障：升级转向下一个可用的候选节点。",
    ),
    (
        "ev.promoted.replacement",
        "The new machine in node {}'s place takes the {} role: the same node id, so it is not \
         counted as a failover.",
        "接替节点 {} 的新机器担任{}角色：节点 ID 不变，因此不算故障切换。",
    ),
    ("ev.promoted", "Node {} now serves as {}", "节点 {} 现在作为{}提供服务"),
    ("ev.elected.designated", "Node {} is designated master", "节点 {} 被人工指定为 Master"),
    (
        "ev.elected.lowest",
        "Node {}, the live slave with the lowest id, becomes master",
        "节点 {}（存活从机中 ID 最小的）成为 Master",
    ),
    ("ev.elected.raft", "Node {} has a majority of votes and is master", "节点 {} 获得多数票，成为 Master"),
    (
        "ev.steps_down",
        "Node {}, the master, can no longer reach a majority and steps down: there is no master.",
        "节点 {}（Master）无法联系到多数节点，主动退位：此时没有 Master。",
    ),
    (
        "ev.election.lowest",
        "The cluster starts an election: the running slave with the lowest id that is marked \
         up will be master{}.",
        "集群开始选举：被判定正常、正在运行且节点 ID 最小的从机将成为 Master{}。",
    ),
    ("ev.election.after_switch", " after the switch ({})", "（切换耗时 {}）"),
    (
        "ev.election.raft",
        "The cluster starts a Raft election: every running, reachable \
                                                node draws a random election timeout, and the first to time \
                                                out asks the others for votes.",
        "集群开始 Raft 选举：每个正在运行且可达的节点抽取一个随机选举超时，最先超时的节点向其他节点请求投票。",
    ),
    (
        "ev.fault_ignored",
        "A scripted fault for node {} finds it already down.",
        "针对节点 {} 的预设故障发生时，它已经处于故障状态。",
    ),
    ("ev.hang.for", " for {}", "，持续 {}"),
    (
        "ev.hang",
        "{} hangs{}: it takes tasks and answers none. Its heartbeats go on, so it is never \
         marked down",
        "{}卡死{}：它接收任务却不应答。它的心跳照常，所以永远不会被判定故障",
    ),
    ("ev.hang.keeps", " and keeps getting tasks", "，并继续收到任务"),
    (
        "ev.hang.retry",
        "; each fails after the task timeout ({}) and is sent again to another node.",
        "；每个任务在任务超时（{}）后失败，并被重新发送给另一个节点。",
    ),
    (
        "ev.hang.no_retry",
        "; each fails after the task timeout ({}), with no retry.",
        "；每个任务在任务超时（{}）后失败，不重试。",
    ),
    (
        "ev.hang.nothing",
        ". With no task_timeout nothing notices: they wait for an answer that never comes, \
         until {}",
        "。没有设置 task_timeout，没有任何机制察觉：这些任务一直等待永远不会到来的应答，直到{}",
    ),
    ("ev.hang.deadline", "their deadline.", "截止时间。"),
    ("ev.hang.run_over", "the run is over.", "运行结束。"),
    ("ev.slowed", "{} slows down: {}.", "{}变慢：{}。"),
    ("ev.healed.answers", "Node {} answers tasks again: the hang is over.", "节点 {} 重新应答任务：卡死结束。"),
    ("ev.healed.speed", "Node {} serves at full speed again.", "节点 {} 恢复全速服务。"),
    (
        "ev.healed.reachable_hb",
        "Node {} is reachable again; it gets tasks once heartbeats mark it up.",
        "节点 {} 重新可达；心跳判定它正常后接收任务。",
    ),
    ("ev.healed.reachable", "Node {} is reachable again.", "节点 {} 重新可达。"),
    ("ev.healed", "Node {} recovers ({}).", "节点 {} 恢复（{}）。"),
    ("ev.trace_cut", "The record of this run stops here: {}.", "这次运行的记录到此为止：{}。"),
    // ---- the run page (report/mod.rs): summary rows, tables
    ("row.uptime", "uptime", "服务正常时间比例"),
    ("row.nines", "nines", "几个 9"),
    ("row.downtime", "downtime per run", "每次运行的停机时间"),
    ("row.outages", "outages per run", "每次运行的中断次数"),
    ("row.mean_outage", "mean outage", "平均中断时长"),
    ("row.failovers", "failovers per run", "每次运行的故障切换次数"),
    ("row.availability", "availability (requests)", "请求可用性"),
    ("row.requests", "requests offered / failed", "请求数 / 失败数"),
    ("row.failures", "timed out / rejected / errored / retries", "超时 / 拒绝 / 出错 / 重试"),
    ("row.latency", "latency mean / p50 / p99 / max (ms)", "延迟 平均 / p50 / p99 / 最大（ms）"),
    ("row.precision", "precision target", "精度目标"),
    ("row.replications", "replications, seed", "重复次数，种子"),
    ("row.class_uptime", "uptime of class {}", "任务类 {} 的服务正常时间比例"),
    ("row.never_down", "∞ (never down)", "∞（从未中断）"),
    ("row.identical", " (all runs identical)", "（各次运行完全相同）"),
    ("row.no_outage_seen", " (no outage seen in {}; at 95 % fewer than {} outages per year, rule of three)", "（{} 内未观察到中断；按三法则，95 % 置信下每年少于 {} 次中断）"),
    ("row.precision_no_outage", "±{} NOT met: no outage observed in {} of service; at 95 % fewer than {} outages per year (rule of three, 3 / T)", "±{} 未达到：{} 的服务时间内未观察到中断；按三法则（3 / T），95 % 置信下每年少于 {} 次中断"),
    ("row.precision_met", "±{} {} (downtime ±{})", "±{} {}（停机 ±{}）"),
    ("row.met", "met", "已达到"),
    ("row.not_met", "NOT met", "未达到"),
    ("row.unknown", "unknown", "未知"),
    ("page.yes", "yes", "是"),
    ("page.no_outage", "no outage in any run", "所有运行中都没有中断"),
    ("page.more", "The first {} of {} {}; all are in {}.", "仅显示 {} / {} 条{}；全部见 {}。"),
    ("page.outages", "Outages", "中断"),
    ("page.outages_word", "outages", "中断"),
    ("page.events", "Events of the first run", "第一次运行的事件"),
    ("page.events_word", "events", "事件"),
    ("col.run", "run", "运行"),
    ("col.start", "start", "开始"),
    ("col.duration", "duration", "时长"),
    ("col.cause", "cause", "起因"),
    ("col.still_down", "still down at the end", "结束时仍中断"),
    ("col.time", "time", "时间"),
    ("col.node", "node", "节点"),
    ("col.event", "event", "事件"),
    ("col.detail", "detail", "详情"),
    // ---- every page (report/html.rs)
    ("page.lang", "en", "zh-CN"),
    ("page.metric", "metric", "指标"),
    ("page.value", "value", "数值"),
    ("page.figcaption", "{} (also as {}.png and {}.svg)", "{}（另存为 {}.png 和 {}.svg）"),
    ("page.footer", "Made by hasim. The same scenario file and seed give this page byte for byte.", "由 hasim 生成。同一个场景文件和种子逐字节生成同一页面。"),
    ("page.charts_english", "(charts are in English)", "图表中的文字保持英文（未内置中文字体）。"),
    // ---- the replay player (report/player.rs); play.* after play.needs_js
    // are literals of its script, quotes included
    ("play.heading", "Replay of the first run", "第一次运行的回放"),
    ("play.needs_js", "The replay player needs JavaScript; the same events are in the table “Events of the first run” below and in events.csv.", "回放播放器需要 JavaScript；同样的事件见下方“第一次运行的事件”表格和 events.csv。"),
    ("play.play_btn", ">▶ play</button>", ">▶ 播放</button>"),
    ("play.play_text", "textContent='▶ play'", "textContent='▶ 播放'"),
    ("play.pause_text", "textContent='⏸ pause'", "textContent='⏸ 暂停'"),
    ("play.next", ">next ⏭<", ">前进 ⏭<"),
    ("play.back_btn", ">⏮ back<", ">⏮ 后退<"),
    ("play.t_back", "title=\"step back one event (←)\"", "title=\"后退一个事件（←）\""),
    ("play.t_play", "title=\"play or pause (Space)\"", "title=\"播放或暂停（空格）\""),
    ("play.t_fwd", "title=\"step forward one event (→)\"", "title=\"前进一个事件（→）\""),
    ("play.speed", "<label>speed <select", "<label>速度 <select"),
    ("play.ev1", ">1 event/s<", ">每秒 1 个事件<"),
    ("play.ev3", ">3 events/s<", ">每秒 3 个事件<"),
    ("play.ev10", ">10 events/s<", ">每秒 10 个事件<"),
    ("play.ev30", ">30 events/s<", ">每秒 30 个事件<"),
    ("play.scrub", "aria-label=\"playhead: simulated time\"", "aria-label=\"播放头：模拟时间\""),
    ("play.keys", "'<p class=\"sub\">Keys: Space play/pause, ← → one event, Home/End, + − speed. Health from crashed / repaired / replaced / hung / partitioned / healed events; the dispatcher follows marked_down / marked_up; roles change on promoted / elected. '", "'<p class=\"sub\">按键：空格 播放/暂停，← → 一个事件，Home/End 两端，+ − 速度。节点状态来自 crashed / repaired / replaced / hung / partitioned / healed 事件；任务分配器跟随 marked_down / marked_up（心跳判定）；角色在 promoted / elected 时变化。'"),
    ("play.cut1", "'The player carries the first '", "'播放器只包含前 '"),
    ("play.cut2", "' events; all are in events.csv. '", "' 个事件；全部事件见 events.csv。'"),
    ("play.req1", "'Request counters add up the whole windows (timeseries.csv) that ended by the playhead, over all '", "'请求计数累加播放头之前已结束的完整时间窗口（timeseries.csv），覆盖全部 '"),
    ("play.req2", "' run(s).'", "' 次运行。'"),
    ("play.noreq", "'This scenario has no workload: no request counters.'", "'本场景没有负载：没有请求计数。'"),
    ("play.node", "'node '", "'节点 '"),
    ("play.node_b", "<b>node '", "<b>节点 '"),
    ("play.up", "'marked up':'marked down'", "'判定正常':'判定故障'"),
    ("play.disp", "'dispatcher (task allocator) sends work to: '", "'任务分配器把任务发送给：'"),
    ("play.nobody", ":'nobody')", ":'无')"),
    ("play.disp2", "' (nodes marked up'", "'（心跳判定正常的节点'"),
    ("play.disp3", "' that are not backups':'')+')'", "'，备机除外':'')+'）'"),
    ("play.req_all", "'<span>requests (all '", "'<span>请求（全部 '"),
    ("play.req_sent", "' run(s), windows ended by now): sent '", "' 次运行，截至当前已结束的窗口）：发送 '"),
    ("play.failed", "<span>failed '", "<span>失败 '"),
    ("play.retried", "<span>retried '", "<span>重试 '"),
    ("play.event_of", " · event '", " · 事件 '"),
    ("play.of", "' of '+E.length", "' / '+E.length"),
    // ---- the story paragraph (report/story.rs: run page, explain, compare)
    ("story.span_one", "Over {} of simulated time (one run)", "在 {} 的模拟时间内（一次运行）"),
    ("story.span_many", "In {} independent runs of {} of simulated time each", "在 {} 次独立运行中（每次模拟 {}）"),
    ("story.up", "{}, this {} was up {} of the time", "{}，{} 架构有 {} 的时间服务正常"),
    ("story.nines", " ({} nines)", "（{} 个 9）"),
    ("story.downtime", ": {} of downtime in {} per run, {} each on average.", "：每次运行停机 {}，共 {}，平均每次 {}。"),
    ("story.never_down", ": it never went down.", "：服务从未中断。"),
    ("story.longest", "The longest outage lasted {} (run {}, from t = {}); it began when {}{}.", "最长的一次中断持续 {}（第 {} 次运行，从 t = {} 开始）；起因是{}{}。"),
    ("story.still_going", ", and was still going on at the end", "，并且到运行结束时仍未恢复"),
    ("story.no_failover", "No failover: the {} role never moved to a different node.", "没有故障切换：{}角色从未转移到其他节点。"),
    ("story.failovers", "A different node took over as {} {} per run (failovers).", "每次运行中由另一节点接任{}的次数：{}（故障切换）。"),
    ("story.requests_one", "{} request was offered; {} succeeded ({}) and {} failed: {} timed out, {} rejected, {} errored", "共 {} 个请求；{} 个成功（{}），{} 个失败：超时 {} 个，拒绝 {} 个，出错 {} 个"),
    ("story.requests", "{} requests were offered; {} succeeded ({}) and {} failed: {} timed out, {} rejected, {} errored", "共 {} 个请求；{} 个成功（{}），{} 个失败：超时 {} 个，拒绝 {} 个，出错 {} 个"),
    ("story.after_retries", ", after {}", "，其间重试 {}"),
    ("story.latency", "Successful requests took {} ms at the median, {} ms at p99 and {} ms at worst.", "成功请求的耗时：中位数 {} ms，p99 {} ms，最慢 {} ms。"),
    ("story.quiet.hung", "hung: it took tasks and finished none while its heartbeats went on", "卡死：它接收任务却一个也没完成，而它的心跳照常"),
    ("story.quiet.slowed", "slowed down (service × {})", "变慢（服务时间 × {}）"),
    ("story.quiet.partitioned", "was cut off by a network partition: running, but unreachable", "被网络分区隔断：仍在运行，但不可达"),
    ("story.quiet.for", " for {}", "，持续 {}"),
    ("story.quiet", "From t = {}{}, node {} {}; {}.", "从 t = {} 起{}，节点 {} {}；{}。"),
    ("story.quiet.marked", "it was marked down at t = {} (first run)", "它在 t = {} 被判定故障（第一次运行）"),
    ("story.quiet.never_marked", "it was never marked down (first run)", "它从未被判定故障（第一次运行）"),
    ("story.felt_up", "The service as a whole never went down, but requests felt it: ", "服务整体从未中断，但请求感受到了故障："),
    ("story.felt_too", "Requests felt it too: ", "请求也感受到了："),
    ("story.resent", "{} re-sent after a failed attempt and {} failed in the end", "{}在一次尝试失败后被重发，最终 {} 个失败"),
    ("story.slowest", "; the slowest 1 % took {} ms or more, {} times the median ({} ms)", "；最慢的 1 % 耗时 {} ms 以上，是中位数的 {} 倍（中位数 {} ms）"),
    ("short.up", "up {}", "服务正常 {}"),
    ("short.down", ", {} down per run in {} of {} on average", "，每次运行停机 {}，共 {}，平均每次 {}"),
    ("short.requests", "; {} of requests succeeded", "；{} 的请求成功"),
    ("noun.outage", "outage", "次中断"),
    ("noun.retry", "retry", "次重试"),
    ("noun.request", "request", "个请求"),
    // ---- the compare page and summary (report/compare.rs, report/paired.rs)
    ("metric.uptime", "fraction of the measured time the service was up", "服务正常时间占统计时间的比例"),
    ("metric.uptime_ci95", "95 % half-width of uptime", "uptime 的 95 % 半宽"),
    ("metric.nines", "−log10(1 − uptime); empty when never down", "−log10(1 − uptime)；从未中断时为空"),
    ("metric.downtime_s", "downtime per run (s), over the run's own duration", "每次运行的停机时间（秒），按该运行自己的时长"),
    ("metric.downtime_s_ci95", "95 % half-width of downtime_s", "downtime_s 的 95 % 半宽"),
    ("metric.outages", "outages per run", "每次运行的中断次数"),
    ("metric.outages_ci95", "95 % half-width of outages", "outages 的 95 % 半宽"),
    ("metric.mean_outage_s", "mean outage duration (s); empty when none", "平均中断时长（秒）；没有中断时为空"),
    ("metric.availability", "fraction of requests that succeeded; empty without a workload", "成功请求的比例；没有负载时为空"),
    ("metric.availability_ci95", "95 % half-width of availability", "availability 的 95 % 半宽"),
    ("metric.latency_p50_ms", "median latency of successful requests (ms)", "成功请求的中位延迟（ms）"),
    ("metric.latency_p99_ms", "p99 latency of successful requests (ms)", "成功请求的 p99 延迟（ms）"),
    ("metric.failovers", "failovers per run", "每次运行的故障切换次数"),
    ("metric.failovers_ci95", "95 % half-width of failovers", "failovers 的 95 % 半宽"),
    ("metric.downtime_per_year_s", "downtime per year (s) = (1 − uptime) × 365.25 days: comparable across durations", "每年停机时间（秒）=（1 − uptime）× 365.25 天：可在不同时长之间比较"),
    ("metric.downtime_per_year_s_ci95", "95 % half-width of downtime_per_year_s", "downtime_per_year_s 的 95 % 半宽"),
    ("metric.architecture", "architecture", "架构"),
    ("compare.side_by_side", "Side by side", "并列对比"),
    ("compare.column", "comparison.csv column", "comparison.csv 列"),
    ("compare.what", "what it is", "含义"),
    ("compare.cells_note", "The cells are those of comparison.csv (shortest round-trip numbers; an empty cell is a null). Uptime per task class and the request counts are on each run's own page: <name>/index.html.", "单元格就是 comparison.csv 的单元格（最短往返数字；空单元格表示 null）。各任务类的服务正常时间比例和请求计数见每次运行自己的页面：<name>/index.html。"),
    ("compare.scripted_note", "Per-year figures assume the scripted [[faults]] ({}) recur at the same rate, once per run duration, although they are one-off events.", "按年计算的数字假设预设故障 [[faults]]（{}）以相同频率重复发生（每个运行时长一次），尽管它们是一次性事件。"),
    ("compare.durations_differ", "The runs measured different durations ({}): downtime per run covers different periods, so compare downtime per year (downtime_per_year_s = (1 − uptime) × 365.25 days), which the downtime chart shows.", "各次运行统计的时长不同（{}）：每次运行的停机时间覆盖不同的时段，所以请比较每年停机时间（downtime_per_year_s = (1 − uptime) × 365.25 天），停机图表显示的就是它。"),
    ("compare.per_year", "Downtime is also given per year (downtime_per_year_s = (1 − uptime) × 365.25 days), which the downtime chart shows, so the numbers compare with runs of other durations.", "停机时间也按年给出（downtime_per_year_s = (1 − uptime) × 365.25 天），停机图表显示的就是它，因此这些数字可以和其他时长的运行比较。"),
    ("compare.crn", "{} scenarios, all run with seed {}: where they share [nodes], every node fails and recovers at the same moments in every scenario, so the differences below come from the scenarios' settings (architecture, detection, failover, dispatch), not from luck.", "{} 个场景，全部使用种子 {} 运行：凡是 [nodes] 相同之处，每个节点在每个场景中都在同一时刻故障和恢复，所以下面的差异来自场景的设置（架构、检测、故障切换、任务分配），而不是运气。"),
    ("compare.highest", "Highest uptime: {}, {}{}.", "服务正常时间比例最高：{}，{}{}。"),
    ("compare.nines", ", {} nines", "，{} 个 9"),
    ("compare.each", "{}: {} Over a year of service that is {} of downtime.", "{}：{} 按一年的服务时间计，停机 {}。"),
    ("compare.title", "Comparison", "对比"),
    ("paired.less", "{} less", "少 {}"),
    ("paired.more", "{} more", "多 {}"),
    ("paired.same", "the same", "相同"),
    ("paired.per_year", "{}: {} of downtime per year", "{}：每年停机 {}"),
    ("paired.against", "; against {}: {} per year{} (paired over {} replications)", "；与 {} 相比：每年{}{}（按 {} 次重复配对）"),
    ("paired.sla", "; SLA {} % allows {} per year, this uses {} % of it{}", "；SLA {} % 每年允许停机 {}，本场景用掉其中 {} %{}"),
    ("paired.over_budget", " (over budget)", "（超出预算）"),
    ("paired.caption", "Against the first scenario (differences.csv)", "与第一个场景相比（differences.csv）"),
    ("paired.note", "Differences are taken replication by replication (same seeds: common random numbers), then averaged; the interval is Student t over the paired differences, so it is much tighter than the two runs' own intervals. A negative downtime difference means less downtime than the baseline.", "差异逐次重复计算（相同种子：公共随机数），再取平均；区间是配对差异的 Student t 区间，因此比两组运行各自的区间窄得多。停机差异为负表示停机比基准少。"),
    // ---- terminal summaries of compare and sweep (commands.rs)
    ("compare.term.per_year", "  downtime per year of service {}\n", "  按一年服务时间计的停机 {}\n"),
    ("compare.term.note", "note: {}\n", "注：{}\n"),
    ("compare.term.done", "comparison (seed {}): {}\n", "对比（种子 {}）：{}\n"),
    ("sweep.term.point", "{} uptime {}{}{}\n", "{} 服务正常时间比例 {}{}{}\n"),
    ("sweep.term.p99", ", p99 {} ms", "，p99 {} ms"),
    ("sweep.term.done", "sweep of {} points: {}\n", "扫描 {} 个参数点：{}\n"),
    // ---- the sweep page (report/sweep.rs)
    ("sweep.caption", "Grid points", "参数网格点"),
    ("sweep.col.uptime", "uptime", "服务正常时间比例"),
    ("sweep.col.nines", "nines", "几个 9"),
    ("sweep.col.downtime", "downtime", "停机时间"),
    ("sweep.col.availability", "availability", "请求可用性"),
    ("sweep.col.p99", "p99 (ms)", "p99（ms）"),
    ("sweep.col.folder", "folder", "文件夹"),
    ("sweep.story", "{} over {} grid points ({}), every point with seed {}: the node failure histories are shared, so differences come from the swept setting{}.", "{} 在 {} 个参数网格点上（{}），每个点都使用种子 {}：节点故障历史相同，所以差异来自扫描的设置{}。"),
    ("sweep.with", " (with {})", "（固定 {}）"),
    ("sweep.title", "Sweep of {}", "{} 的参数扫描"),
];
