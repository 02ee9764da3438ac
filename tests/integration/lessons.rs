//! docs/lessons.md is what `hasim lessons` writes from scenarios/lessons/
//! now (issue 11 §6): regenerate it with
//! `hasim lessons --out docs/lessons.md` when this fails.

use std::path::Path;

#[test]
fn lessons_md_is_current() {
    let fresh = hasim::lessons::render(Path::new("scenarios/lessons")).unwrap();
    let bundled = std::fs::read_to_string("docs/lessons.md").unwrap();
    assert!(
        fresh == bundled,
        "docs/lessons.md is stale: run `hasim lessons --out docs/lessons.md`"
    );
    // Every lesson pairs two scenarios that exist and asks a question.
    assert_eq!(fresh.matches("**Question.**").count(), 5);
    assert_eq!(fresh.matches("**Look at**").count(), 5);
}
