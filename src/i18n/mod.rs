//! Chinese and English (issue 11 §2): `--lang zh|en`, default English and
//! never read from the environment, so outputs stay byte-identical
//! everywhere. A small catalogue keyed by message id, in the source
//! article's own terms (冷备, 温备, 主从, 对称集群, 非对称集群, 任务分配器,
//! 心跳, 任务管理器). The catalogue (`catalogue.rs`) holds each message
//! once, English and Chinese side by side; `t` and `tf` pick the thread's
//! language. The English entries are the very strings hasim printed before
//! the catalogue existed, so `--lang en` output is byte-identical.
//!
//! Translated: the terminal summaries of `run`, `compare` and `sweep`;
//! `explain` (concept, trade-offs, headings, event sentences, outage
//! chains); the page text of `index.html` (run, compare, sweep) and the
//! replay player. Charts stay English (no CJK font is bundled), and so do
//! file names, CSV headers and column names, event names and the
//! scenario's own text.

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

mod catalogue;
mod lessons;
pub use catalogue::CATALOGUE;
pub use lessons::LESSONS_CATALOGUE;

/// Every message: the main catalogue, then the lessons'.
fn all() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    CATALOGUE.iter().chain(LESSONS_CATALOGUE.iter())
}

/// The message `id` in `lang`, with `args` put in place of each `{}`.
/// Panics on an unknown id (a programming error, caught by the tests).
/// A message whose `{}` count exceeds the arguments leaves the rest empty.
pub fn msg(lang: Lang, id: &str, args: &[&dyn std::fmt::Display]) -> String {
    let (_, en, zh) = all()
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

/// The message `id` in this thread's language.
pub fn t(id: &str) -> String {
    msg(lang(), id, &[])
}

/// The message `id` in this thread's language, with `args` in place.
pub fn tf(id: &str, args: &[&dyn std::fmt::Display]) -> String {
    msg(lang(), id, args)
}

/// Whether this thread speaks Chinese.
pub fn zh() -> bool {
    lang() == Lang::Zh
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
        for (id, en, zh) in all() {
            assert_eq!(en.matches("{}").count(), zh.matches("{}").count(), "{id}");
            assert_ne!(zh, en, "{id}");
        }
    }

    #[test]
    fn zh_has_every_key_of_en_and_no_empty_entry() {
        let mut ids: Vec<&str> = all().map(|m| m.0).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "every id once");
        for (id, en, zh) in all() {
            assert!(!id.is_empty());
            assert!(!en.trim().is_empty(), "{id}: empty English");
            assert!(!zh.trim().is_empty(), "{id}: empty Chinese");
            assert_eq!(msg(Lang::En, id, &[]), msg(Lang::En, id, &[]));
        }
        // Every message a caller asks for exists in both languages: the
        // lookup panics otherwise, so ask for each in each.
        for (id, _, _) in all() {
            let _ = msg(Lang::Zh, id, &[]);
        }
    }

    #[test]
    fn t_follows_the_thread_language_and_restores_it() {
        assert_eq!(t("head.met"), "met");
        let inner = with_lang(Some(Lang::Zh), || (t("head.met"), zh()));
        assert_eq!(inner, ("已达到".to_string(), true));
        assert_eq!(t("head.met"), "met", "English again after with_lang");
        assert_eq!(with_lang(None, lang), Lang::En, "the default is English");
        assert_eq!(
            with_lang(Some(Lang::Zh), || tf("cause.node", &[&3])),
            "节点 3"
        );
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
