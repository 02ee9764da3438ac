//! `docs/sharding.md`'s GNU parallel recipe on a real engine: shards run as
//! separate processes started by `parallel`, then `hasim merge` must give
//! the unsharded output byte for byte (a run and a sweep). Ignored by
//! default (it needs Debian's `parallel`); `.ci/run` installs it and runs
//! the ignored tests.

use crate::support::stderr;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file under `dir` (sweeps have a folder per point), by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Runs `script` in `sh` from the repository root, with the hasim under
/// test first on the PATH, as a user of the recipe would.
fn sh(script: &str) {
    let bin = Path::new(env!("CARGO_BIN_EXE_hasim")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("PATH", path)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run sh");
    assert!(o.status.success(), "{script}\n{}", stderr(&o));
}

fn same_trees(a: &Path, b: &Path, what: &str) {
    let (a, b) = (tree(a), tree(b));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: different files"
    );
    for (k, v) in &a {
        assert!(v == &b[k], "{what}: {} differs", k.display());
    }
    assert!(a.len() > 5, "{what}: too few files to mean anything");
}

#[test]
#[ignore]
fn gnu_parallel_shards_merge_into_the_unsharded_run_and_sweep() {
    let ok = Command::new("parallel")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok, "install Debian's parallel to run this test");
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path().display();
    // The recipe of docs/sharding.md, on a bundled scenario: 40 replications
    // are 3 blocks of 16, spread over 4 shards (one of them empty).
    let run = "scenarios/asymmetric-cluster.toml --replications 40 --set duration=10m";
    sh(&format!(
        "hasim run {run} --out {t}/plain && \
         seq 0 3 | parallel -j 2 'hasim run {run} --shard {{}}/4 --out {t}/shards/' && \
         hasim merge {t}/shards/ --out {t}/merged"
    ));
    same_trees(&tmp.path().join("plain"), &tmp.path().join("merged"), "run");
    let sweep = "scenarios/cold-standby.toml --replications 20 --set duration=2d --set seed=1,2,3";
    sh(&format!(
        "hasim sweep {sweep} --out {t}/splain && \
         seq 0 2 | parallel -j 2 'hasim sweep {sweep} --shard {{}}/3 --out {t}/sshards/' && \
         hasim merge {t}/sshards/ --out {t}/smerged"
    ));
    same_trees(
        &tmp.path().join("splain"),
        &tmp.path().join("smerged"),
        "sweep",
    );
}
