//! Chinese and English (issue 11 §2): `--lang zh|en`, default English and
//! never read from the environment, so outputs stay byte-identical
//! everywhere. A small catalogue keyed by message id, in the source
//! article's own terms (冷备, 温备, 主从, 对称集群, 非对称集群, 任务分配器,
//! 心跳, 任务管理器). English output never goes through it: the English
//! text stays where it was, so `--lang en` is byte-identical by
//! construction. So far the terminal summary of `run` is translated;
//! `explain` and the page are not yet.

use std::cell::Cell;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

thread_local! {
    static LANG: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// Parses `--lang`: `en` or `zh`.
pub fn parse_lang(s: &str) -> Result<Lang, String> {
    match s {
        "en" => Ok(Lang::En),
        "zh" => Ok(Lang::Zh),
        _ => Err(format!(
            "{s:?} is not a language hasim speaks; use en or zh"
        )),
    }
}

/// Runs `f` with `lang` as this thread's language.
pub fn with_lang<R>(lang: Option<Lang>, f: impl FnOnce() -> R) -> R {
    let old = LANG.with(|l| l.replace(lang.unwrap_or_default()));
    let r = f();
    LANG.with(|l| l.set(old));
    r
}

/// This thread's language.
pub fn lang() -> Lang {
    LANG.with(|l| l.get())
}

/// The catalogue: (id, English, Chinese). `{}` marks where values go, in order.
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
];

/// The message `id` in `lang`, with `args` put in place of each `{}`.
/// Panics on an unknown id (a programming error, caught by the tests).
pub fn msg(lang: Lang, id: &str, args: &[&dyn std::fmt::Display]) -> String {
    let (_, en, zh) = CATALOGUE
        .iter()
        .find(|m| m.0 == id)
        .unwrap_or_else(|| panic!("no message {id:?} in the catalogue"));
    let pattern = if lang == Lang::Zh { zh } else { en };
    let mut out = String::new();
    let mut parts = pattern.split("{}");
    out.push_str(parts.next().unwrap_or(""));
    for (i, p) in parts.enumerate() {
        if let Some(a) = args.get(i) {
            out.push_str(&a.to_string());
        }
        out.push_str(p);
    }
    out
}

/// The architecture's name in the article's words: `冷备 cold-standby`.
pub fn arch(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => name.to_string(),
        Lang::Zh => format!("{} {name}", msg(Lang::Zh, &format!("arch.{name}"), &[])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_the_same_placeholders_in_both_languages() {
        for (id, en, zh) in CATALOGUE {
            assert_eq!(en.matches("{}").count(), zh.matches("{}").count(), "{id}");
            assert_ne!(zh, en, "{id}");
        }
    }

    #[test]
    fn the_article_terms_name_the_architectures() {
        let want = [
            ("cold-standby", "冷备"),
            ("warm-standby", "温备"),
            ("master-slave", "主从"),
            ("symmetric-cluster", "对称集群"),
            ("asymmetric-cluster", "非对称集群"),
        ];
        for (a, zh) in want {
            assert_eq!(arch(Lang::Zh, a), format!("{zh} {a}"));
            assert_eq!(arch(Lang::En, a), a);
        }
        assert!(parse_lang("xx").is_err());
        assert_eq!(msg(Lang::Zh, "head.wrote", &[&"d"]), "  已写入 d\n");
    }
}
