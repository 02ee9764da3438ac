//! `--chart-size WxH` (issue 11 §7): charts sized for a 16:9 slide.

use crate::support::hasim;

/// Width and height from a PNG's IHDR chunk.
fn png_size(path: &std::path::Path) -> (u32, u32) {
    let b = std::fs::read(path).unwrap();
    assert_eq!(&b[1..4], b"PNG");
    let w = u32::from_be_bytes(b[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(b[20..24].try_into().unwrap());
    (w, h)
}

const SCENARIO: &str = "architecture = \"warm-standby\"\nduration = \"2d\"\n[nodes]\ncount = 2\n\
failure = { dist = \"exponential\", mean = \"1d\" }\nrepair = \"1h\"\n";

#[test]
fn chart_size_sets_every_png_and_bad_sizes_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("s.toml");
    std::fs::write(&f, SCENARIO).unwrap();
    let f = f.to_str().unwrap();
    for (arg, expect) in [(None, (1000, 480)), (Some("1600x900"), (1600, 900))] {
        let out = dir.path().join(format!("out-{}", arg.unwrap_or("default")));
        let mut args = vec!["run", f, "--out", out.to_str().unwrap()];
        if let Some(a) = arg {
            args.extend(["--chart-size", a]);
        }
        let o = hasim(&args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let mut n = 0;
        for e in std::fs::read_dir(&out).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "png") {
                n += 1;
                let (w, h) = png_size(&p);
                assert_eq!(w, expect.0, "{}", p.display());
                if p.file_stem().unwrap() == "timeline" {
                    // Tall enough for its legend; the asked height is a floor.
                    assert!(h >= expect.1, "{}: {h}", p.display());
                } else {
                    assert_eq!(h, expect.1, "{}", p.display());
                }
            }
        }
        assert!(n >= 3, "{n} charts");
    }
    for bad in ["10x10", "1600", "axb", "1600x0"] {
        let o = hasim(&["run", f, "--chart-size", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
    }
}

#[test]
fn run_lang_zh_speaks_the_articles_terms_en_is_the_default_and_xx_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("s.toml");
    std::fs::write(&f, SCENARIO).unwrap();
    let f = f.to_str().unwrap();
    let out = |lang: Option<&str>, sub: &str| {
        let o = dir.path().join(sub);
        let mut args = vec!["run", f, "--out", o.to_str().unwrap()];
        if let Some(l) = lang {
            args.extend(["--lang", l]);
        }
        hasim(&args)
    };
    let en_default = out(None, "a");
    let en = out(Some("en"), "a");
    assert_eq!(en.status.code(), Some(0));
    assert_eq!(
        en_default.stdout, en.stdout,
        "--lang en must equal the default"
    );
    let zh = out(Some("zh"), "a");
    assert_eq!(zh.status.code(), Some(0));
    let text = String::from_utf8(zh.stdout).unwrap();
    for term in ["温备", "服务正常时间比例", "停机", "已写入"] {
        assert!(text.contains(term), "{term} missing from:\n{text}");
    }
    for english in ["uptime", "downtime", "wrote", "replication"] {
        assert!(!text.contains(english), "{english} left in:\n{text}");
    }
    let xx = out(Some("xx"), "b");
    assert_eq!(xx.status.code(), Some(2));
    assert!(!dir.path().join("b").exists(), "no output on a bad --lang");
}
