//! docs/lessons.md and docs/lessons.zh.md are what `hasim lessons` writes
//! from scenarios/lessons/ now (issue 11 §2 and §6): regenerate them with
//! `hasim lessons --out docs/lessons.md` and
//! `hasim lessons --lang zh --out docs/lessons.zh.md` when this fails.

use hasim::i18n::{with_lang, Lang};
use std::path::Path;

fn render(lang: Lang) -> String {
    with_lang(Some(lang), || {
        hasim::lessons::render(Path::new("scenarios/lessons")).unwrap()
    })
}

#[test]
fn lessons_md_is_current() {
    let fresh = render(Lang::En);
    let bundled = std::fs::read_to_string("docs/lessons.md").unwrap();
    assert!(
        fresh == bundled,
        "docs/lessons.md is stale: run `hasim lessons --out docs/lessons.md`"
    );
    // Every lesson pairs two scenarios that exist and asks a question.
    assert_eq!(fresh.matches("**Question.**").count(), 5);
    assert_eq!(fresh.matches("**Look at**").count(), 5);
}

#[test]
fn lessons_zh_md_is_current() {
    let fresh = render(Lang::Zh);
    let bundled = std::fs::read_to_string("docs/lessons.zh.md").unwrap();
    assert!(
        fresh == bundled,
        "docs/lessons.zh.md is stale: run `hasim lessons --lang zh --out docs/lessons.zh.md`"
    );
    assert_eq!(fresh.matches("**问题。**").count(), 5);
    assert_eq!(fresh.matches("**看什么：**").count(), 5);
    // In the article's terms, one lesson per architecture.
    for term in [
        "冷备",
        "温备",
        "主从",
        "对称集群",
        "非对称集群",
        "任务分配器",
        "心跳",
        "任务管理器",
    ] {
        assert!(fresh.contains(term), "the Chinese lessons never say {term}");
    }
}

/// The table cells after the row label, and the scenario file names in
/// the table headers: the numbers a reader checks.
fn quoted(page: &str) -> Vec<Vec<String>> {
    page.lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("|---"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            let mut out: Vec<String> = cells[1..].iter().map(|c| c.to_string()).collect();
            // Header rows name the files between backticks: keep only those.
            for c in &mut out {
                if let Some(a) = c.find('`') {
                    *c = c[a..].to_string();
                }
            }
            out
        })
        .collect()
}

#[test]
fn both_languages_quote_the_same_numbers() {
    let (en, zh) = (render(Lang::En), render(Lang::Zh));
    let (qe, qz) = (quoted(&en), quoted(&zh));
    // 5 headers and at least uptime/downtime/outages/failovers/mean outage each.
    assert!(qe.len() >= 5 * 6, "{} table rows", qe.len());
    assert_eq!(
        qe, qz,
        "the Chinese tables quote other numbers than the English"
    );
    // The prose differs (it is translated) but the headings are numbered alike.
    for n in 1..=5 {
        let h = format!("\n## {n}. ");
        assert!(en.contains(&h) && zh.contains(&h), "lesson {n}");
    }
}
