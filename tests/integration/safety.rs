//! Data safety (SPEC §1 `name`, §4 output rules): hasim never deletes or
//! writes through what it did not write. Every test plants canary files
//! around the output path and checks, byte for byte, that they survive.

use crate::support::stderr;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const FIX: &str = "choose a new folder or remove it yourself";

const SMALL: &str = r#"architecture = "warm-standby"
duration = "1h"
[nodes]
count = 2
failure = { dist = "exponential", mean = "10d" }
repair = "1h"
"#;

/// Writes a scenario file `file` in `dir`, with `name = ...` when given.
fn scenario(dir: &Path, file: &str, name: Option<&str>) -> PathBuf {
    let p = dir.join(file);
    let text = match name {
        Some(n) => format!("name = {n:?}\n{SMALL}"),
        None => SMALL.to_string(),
    };
    fs::write(&p, text).unwrap();
    p
}

fn command(cwd: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hasim"));
    c.args(args).current_dir(cwd);
    // A test runner started in the background (`nohup … &`) hands its
    // children SIGINT ignored, and an ignored signal stays ignored across
    // exec: the signal tests would wait forever. Restore the defaults.
    // SAFETY: signal(2) is async-signal-safe.
    unsafe {
        c.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGTERM, libc::SIG_DFL);
            Ok(())
        });
    }
    c
}

fn hasim_in(cwd: &Path, args: &[&str]) -> Output {
    command(cwd, args).output().expect("run hasim")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Everything under `dir`: files with their bytes, links with their
/// targets, folders. Links are never followed.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(root).unwrap().to_path_buf();
            let md = fs::symlink_metadata(&p).unwrap();
            if md.file_type().is_symlink() {
                out.insert(
                    rel,
                    format!("link -> {}", fs::read_link(&p).unwrap().display()),
                );
            } else if md.is_dir() {
                out.insert(rel, "folder".into());
                walk(root, &p, out);
            } else {
                let bytes = fs::read(&p).unwrap();
                out.insert(rel, format!("{} bytes, {:x}", bytes.len(), fnv(&bytes)));
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

fn fnv(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf29ce484222325, |h, &x| {
        (h ^ u64::from(x)).wrapping_mul(0x100000001b3)
    })
}

fn canary(dir: &Path) {
    fs::write(dir.join("canary.txt"), "a file hasim never wrote\n").unwrap();
}

/// Exit 2, no panic, and the message holds each of `needles`.
fn assert_refused(o: &Output, needles: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "expected exit 2: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "the message should say {n:?}: {err}");
    }
}

/// A sandbox: `root/` with a canary, and `root/work/` (the current folder
/// of the commands) with its own canary.
fn sandbox() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    fs::create_dir(&work).unwrap();
    canary(tmp.path());
    canary(&work);
    (tmp, work)
}

#[test]
fn scenarios_named_dot_or_dotdot_are_refused_by_check_and_run() {
    for name in [
        ".",
        "..",
        "../x",
        "a/b",
        ".hidden",
        "-x",
        "",
        &"a".repeat(101),
    ] {
        let (tmp, work) = sandbox();
        let file = scenario(tmp.path(), "bad.toml", Some(name));
        let before = tree(tmp.path());
        let fixed = ["bad.toml", "`name`", "fix:"];
        assert_refused(&hasim_in(&work, &["check", s(&file)]), &fixed);
        assert_refused(&hasim_in(&work, &["run", s(&file)]), &fixed);
        assert_refused(&hasim_in(&work, &["run", s(&file), "--out", "o"]), &fixed);
        assert_refused(
            &hasim_in(&work, &["sweep", s(&file), "--set", "seed=1,2"]),
            &fixed,
        );
        assert_eq!(tree(tmp.path()), before, "name {name:?}");
    }
    // The longest name allowed is accepted.
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "ok.toml", Some(&"a".repeat(100)));
    let o = hasim_in(&work, &["check", s(&file)]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn the_name_from_the_file_stem_follows_the_same_rule() {
    // `..toml` has the stem `.`, `...toml` the stem `..`: without a `name`
    // key they used to name the current folder and its parent.
    for file in ["..toml", "...toml", ".hidden.toml", "my data.toml"] {
        let (tmp, work) = sandbox();
        let path = scenario(&work, file, None);
        let before = tree(tmp.path());
        for args in [vec!["check", file], vec!["run", file]] {
            let o = hasim_in(&work, &args);
            assert_refused(&o, &[file, "`name`", "add a valid name = \""]);
        }
        assert_eq!(tree(tmp.path()), before, "file {file:?}");
        // The fix works: a valid `name` key beats the stem.
        fs::write(&path, format!("name = \"fine\"\n{SMALL}")).unwrap();
        let o = hasim_in(&work, &["check", file]);
        assert!(o.status.success(), "{file}: {}", stderr(&o));
    }
}

#[test]
fn set_name_is_refused_the_same_way() {
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "good.toml", None);
    let before = tree(tmp.path());
    for name in ["..", ".", "../../x"] {
        let set = format!("name={name}");
        let o = hasim_in(&work, &["run", s(&file), "--set", &set]);
        assert_refused(&o, &["`name`", "--set"]);
    }
    assert_eq!(tree(tmp.path()), before);
}

#[test]
fn out_dot_and_the_folders_that_hold_the_current_one_are_refused() {
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "good.toml", None);
    // Even a folder that carries hasim's marker is refused when it holds
    // the current folder.
    fs::write(tmp.path().join(".hasim-output"), "hasim output folder\n").unwrap();
    let before = tree(tmp.path());
    let root = tmp.path().to_str().unwrap().to_string();
    let here = work.to_str().unwrap().to_string();
    for out in [".", "..", "./", "../work", &here, &root, "/"] {
        let o = hasim_in(&work, &["run", s(&file), "--out", out]);
        assert_refused(&o, &[FIX]);
        let o = hasim_in(&work, &["compare", s(&file), s(&file), "--out", out]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    }
    assert_eq!(tree(tmp.path()), before);
}

#[test]
fn an_existing_folder_of_user_files_a_file_or_a_link_is_refused() {
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "good.toml", None);
    let mydata = work.join("mydata");
    fs::create_dir(&mydata).unwrap();
    canary(&mydata);
    fs::create_dir(mydata.join("sub")).unwrap();
    canary(&mydata.join("sub"));
    let victim = tmp.path().join("victim");
    fs::create_dir(&victim).unwrap();
    canary(&victim);
    std::os::unix::fs::symlink(&victim, work.join("link")).unwrap();
    // A link to a real hasim output is refused too: hasim does not write
    // through links.
    let marked = tmp.path().join("marked");
    let o = hasim_in(&work, &["run", s(&file), "--out", s(&marked)]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::os::unix::fs::symlink(&marked, work.join("link-to-output")).unwrap();
    let before = tree(tmp.path());
    for out in [
        "mydata",
        "canary.txt",
        "link",
        "link-to-output",
        "canary.txt/sub",
    ] {
        let o = hasim_in(&work, &["run", s(&file), "--out", out]);
        let want: &[&str] = if out == "canary.txt/sub" {
            &["canary.txt is a file"]
        } else {
            &[out, FIX]
        };
        assert_refused(&o, want);
        let o = hasim_in(
            &work,
            &["sweep", s(&file), "--set", "seed=1,2", "--out", out],
        );
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
    }
    assert_eq!(tree(tmp.path()), before);
    // An empty folder may be used, and gets the marker.
    let empty = work.join("empty");
    fs::create_dir(&empty).unwrap();
    let o = hasim_in(&work, &["run", s(&file), "--out", "empty"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(empty.join("summary.json").is_file() && empty.join(".hasim-output").is_file());
}

#[test]
fn run_a_b_is_refused_before_a_runs_when_b_is_named_dotdot() {
    let (tmp, work) = sandbox();
    let a = scenario(tmp.path(), "a.toml", None);
    let b = scenario(tmp.path(), "b.toml", Some(".."));
    let d = work.join("d");
    let before = tree(tmp.path());
    let o = hasim_in(&work, &["run", s(&a), s(&b), "--out", s(&d)]);
    assert_refused(&o, &["b.toml", "`name`"]);
    assert!(!d.exists(), "A must not have run");
    assert_eq!(tree(tmp.path()), before);
    // D exists with files of its own: still refused, still intact.
    fs::create_dir(&d).unwrap();
    canary(&d);
    let before = tree(tmp.path());
    let o = hasim_in(&work, &["run", s(&a), s(&b), "--out", s(&d)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(tree(tmp.path()), before);
    // With valid names D/<name> are the output folders: D keeps its own
    // files and gets no marker; a rerun replaces only D/a and D/b.
    let b = scenario(tmp.path(), "b.toml", None);
    for _ in 0..2 {
        let o = hasim_in(&work, &["run", s(&a), s(&b), "--out", s(&d)]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let names: Vec<String> = fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(names, ["a", "b", "canary.txt"]);
    assert!(d.join("a/.hasim-output").is_file() && d.join("b/.hasim-output").is_file());
}

#[test]
fn a_scenario_named_dot_would_have_removed_reports() {
    let (tmp, work) = sandbox();
    let reports = work.join("reports");
    fs::create_dir_all(reports.join("keep")).unwrap();
    canary(&reports);
    canary(&reports.join("keep"));
    let file = scenario(tmp.path(), "dot.toml", Some("."));
    let good = scenario(tmp.path(), "good.toml", None);
    let before = tree(tmp.path());
    let o = hasim_in(&work, &["run", s(&file)]);
    assert_refused(&o, &["dot.toml", "`name`"]);
    assert_eq!(tree(tmp.path()), before);
    // `reports/` itself is only a container: a run into it is refused.
    let o = hasim_in(&work, &["run", s(&good), "--out", "reports"]);
    assert_refused(&o, &[FIX]);
    assert_eq!(tree(tmp.path()), before);
}

#[test]
fn compare_refuses_a_scenario_named_dotdot() {
    let (tmp, work) = sandbox();
    let a = scenario(tmp.path(), "a.toml", None);
    let b = scenario(tmp.path(), "b.toml", Some(".."));
    let before = tree(tmp.path());
    let o = hasim_in(&work, &["compare", s(&a), s(&b), "--out", "cmp"]);
    assert_refused(&o, &["b.toml", "`name`"]);
    assert_eq!(tree(tmp.path()), before);
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

#[test]
fn a_previous_output_is_replaced_whole_and_no_temporary_is_left() {
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "good.toml", None);
    for (i, seed) in ["1", "2"].iter().enumerate() {
        for (cmd, extra) in [("run", vec![]), ("sweep", vec!["--set", "seed=1,2"])] {
            let out = format!("{cmd}-out");
            let mut args = vec![cmd, s(&file), "--out", &out];
            args.extend(&extra);
            if cmd == "run" {
                args.extend(["--seed", seed]);
            }
            if i == 1 {
                // hasim's own output is replaced whole: a file added to it
                // since goes with it.
                fs::write(work.join(&out).join("added.txt"), "x").unwrap();
            }
            let o = hasim_in(&work, &args);
            assert!(o.status.success(), "{}", stderr(&o));
            assert!(!work.join(&out).join("added.txt").exists());
            assert!(work.join(&out).join(".hasim-output").is_file());
        }
        let summary = fs::read_to_string(work.join("run-out/summary.json")).unwrap();
        assert!(summary.contains(&format!("\"seed\": {seed}")), "{summary}");
    }
    let o = hasim_in(&work, &["compare", s(&file), s(&file), "--out", "cmp"]);
    assert_eq!(o.status.code(), Some(2), "two scenarios named alike");
    let b = scenario(tmp.path(), "other.toml", None);
    for _ in 0..2 {
        let o = hasim_in(&work, &["compare", s(&file), s(&b), "--out", "cmp"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(work.join("cmp/.hasim-output").is_file());
    assert_eq!(names(&work), ["canary.txt", "cmp", "run-out", "sweep-out"]);
}

#[test]
fn planted_links_at_the_output_or_at_guessable_temporary_names_are_not_followed() {
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "good.toml", None);
    let victim = tmp.path().join("victim");
    fs::create_dir(&victim).unwrap();
    canary(&victim);
    let victim_file = tmp.path().join("victim.txt");
    fs::write(&victim_file, "precious\n").unwrap();
    // The child plants links at the names the old code used
    // (`.out.tmp-PID`, `FILE.tmp-PID`) and at a hasim-tmp name with its own
    // process id, just before it starts.
    let plant = |c: &mut Command, links: Vec<(&Path, &[u8], &Path)>| {
        use std::os::unix::ffi::OsStrExt;
        // (folder, name prefix, target): links at folder/prefix<PID> and
        // folder/prefix<PID>-0000000000000000, both to target.
        let prepared: Vec<(Vec<u8>, Vec<u8>)> = links
            .into_iter()
            .map(|(dir, prefix, target)| {
                let mut name = dir.as_os_str().as_bytes().to_vec();
                name.push(b'/');
                name.extend(prefix);
                let mut t = target.as_os_str().as_bytes().to_vec();
                t.push(0);
                (name, t)
            })
            .collect();
        // SAFETY: the closure only fills stack buffers and calls getpid(2)
        // and symlink(2), which are async-signal-safe.
        unsafe {
            c.pre_exec(move || {
                let mut pid = [0u8; 10];
                let mut at = pid.len();
                let mut p = libc::getpid() as u32;
                loop {
                    at -= 1;
                    pid[at] = b'0' + (p % 10) as u8;
                    p /= 10;
                    if p == 0 {
                        break;
                    }
                }
                for (name, target) in &prepared {
                    for suffix in [&b""[..], b"-0000000000000000"] {
                        let mut buf = [0u8; 4096];
                        for (i, &b) in name.iter().chain(&pid[at..]).chain(suffix).enumerate() {
                            buf[i] = b;
                        }
                        libc::symlink(target.as_ptr().cast(), buf.as_ptr().cast());
                    }
                }
                Ok(())
            });
        }
    };
    // An output folder replaced by a run.
    let o = hasim_in(&work, &["run", s(&file), "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut c = command(&work, &["run", s(&file), "--seed", "2", "--out", "out"]);
    plant(
        &mut c,
        vec![
            (&work, b".out.tmp-", &victim),
            (&work, b".out.hasim-tmp-", &victim),
        ],
    );
    let before = tree(&victim);
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(tree(&victim), before, "the victim folder was written");
    assert!(fs::read_to_string(work.join("out/summary.json"))
        .unwrap()
        .contains("\"seed\": 2"));
    // A shard file and the validation table.
    let shards = work.join("shards");
    fs::create_dir(&shards).unwrap();
    let mut c = command(
        &work,
        &["run", s(&file), "--shard", "0/1", "--out", "shards"],
    );
    plant(
        &mut c,
        vec![
            (&shards, b"good.shard-0-of-1.tmp-", &victim_file),
            (&shards, b".good.shard-0-of-1.json.hasim-tmp-", &victim_file),
        ],
    );
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&victim_file).unwrap(), "precious\n");
    let shard = shards.join("good.shard-0-of-1.json");
    assert!(fs::read_to_string(&shard)
        .unwrap()
        .contains("\"hasim_shard\""));
    // A link at the shard file itself, or at validate --out, is refused
    // (validate checks before it runs its cases, so this is quick).
    fs::remove_file(&shard).unwrap();
    std::os::unix::fs::symlink(&victim_file, &shard).unwrap();
    std::os::unix::fs::symlink(&victim_file, work.join("v.md")).unwrap();
    let o = hasim_in(
        &work,
        &["run", s(&file), "--shard", "0/1", "--out", "shards"],
    );
    assert_refused(&o, &["symbolic link", FIX]);
    let o = hasim_in(&work, &["validate", "--out", "v.md"]);
    assert_refused(&o, &["symbolic link", FIX]);
    assert_eq!(fs::read_to_string(&victim_file).unwrap(), "precious\n");
    assert_eq!(tree(&victim), before);
}

#[test]
fn single_files_replace_only_what_hasim_wrote() {
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "good.toml", None);
    let args = ["run", s(&file), "--shard", "0/2", "--out", "shards"];
    for _ in 0..2 {
        let o = hasim_in(&work, &args);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(names(&work.join("shards")), ["good.shard-0-of-2.json"]);
    // Someone else's file under the shard's name is refused.
    fs::write(work.join("shards/good.shard-1-of-2.json"), "mine\n").unwrap();
    let o = hasim_in(
        &work,
        &["run", s(&file), "--shard", "1/2", "--out", "shards"],
    );
    assert_refused(&o, &["did not write", FIX]);
    fs::write(work.join("notes.md"), "# My notes\n").unwrap();
    let o = hasim_in(&work, &["validate", "--out", "notes.md"]);
    assert_refused(&o, &["did not write", FIX]);
    assert_eq!(
        fs::read_to_string(work.join("notes.md")).unwrap(),
        "# My notes\n"
    );
    assert_eq!(
        fs::read_to_string(work.join("shards/good.shard-1-of-2.json")).unwrap(),
        "mine\n"
    );
    // A folder at a file's path.
    fs::create_dir(work.join("dir.md")).unwrap();
    let o = hasim_in(&work, &["validate", "--out", "dir.md"]);
    assert_refused(&o, &["folder", FIX]);
}

/// A process id that no longer runs: a child that has exited.
fn dead_pid() -> u32 {
    let mut c = Command::new("true").spawn().unwrap();
    let pid = c.id();
    c.wait().unwrap();
    pid
}

#[test]
fn stale_temporaries_of_killed_runs_are_cleaned_and_others_kept() {
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "good.toml", None);
    let dead = dead_pid();
    let mine = std::process::id();
    let stale = work.join(format!(".out.hasim-tmp-{dead}-0123456789abcdef"));
    let stale_old = work.join(format!(".out.hasim-old-{dead}-fedcba9876543210"));
    let stale_empty = work.join(format!(".out.hasim-tmp-{dead}-00000000000000aa"));
    for d in [&stale, &stale_old] {
        fs::create_dir(d).unwrap();
        fs::write(d.join(".hasim-output"), "hasim output folder\n").unwrap();
        fs::write(d.join("summary.json"), "{}").unwrap();
    }
    fs::create_dir(&stale_empty).unwrap();
    // Not provably hasim's: no marker, or a process that still runs, or a
    // name off the pattern. These stay.
    let unmarked = work.join(format!(".out.hasim-tmp-{dead}-0123456789abcdee"));
    let live = work.join(format!(".out.hasim-tmp-{mine}-0123456789abcdef"));
    let off = work.join(format!(".out.hasim-tmp-{dead}-xyz"));
    for d in [&unmarked, &live, &off] {
        fs::create_dir(d).unwrap();
        canary(d);
    }
    fs::write(live.join(".hasim-output"), "hasim output folder\n").unwrap();
    fs::write(off.join(".hasim-output"), "hasim output folder\n").unwrap();
    let o = hasim_in(&work, &["run", s(&file), "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for d in [&stale, &stale_old, &stale_empty] {
        assert!(!d.exists(), "{} should be cleaned", d.display());
    }
    for d in [&unmarked, &live, &off] {
        assert!(d.join("canary.txt").is_file(), "{} must stay", d.display());
    }
}

/// A run long enough to be killed while it simulates.
fn long_run(work: &Path, file: &Path) -> Child {
    command(
        work,
        &[
            "run",
            s(file),
            "--set",
            "duration=36500d",
            "--replications",
            "100000",
            "--out",
            "out",
        ],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap()
}

fn signal(c: &Child, sig: libc::c_int) {
    // SAFETY: sends a signal to our own child.
    assert_eq!(unsafe { libc::kill(c.id() as libc::pid_t, sig) }, 0);
}

/// Waits until a complete temporary output appears in `dir`: a folder
/// holding `index.html` (its last file), or a file of `len` bytes.
fn wait_for_temp(dir: &Path, len: Option<u64>) -> PathBuf {
    let start = Instant::now();
    loop {
        let found = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.to_string_lossy().contains(".hasim-tmp-")
                    && match len {
                        None => p.join("index.html").is_file(),
                        Some(n) => fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() == n),
                    }
            });
        if let Some(p) = found {
            return p;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no temporary appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_killed_run_leaves_the_previous_output_intact() {
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "good.toml", None);
    let o = hasim_in(&work, &["run", s(&file), "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let previous = tree(&work.join("out"));
    // Killed while simulating: nothing was written yet.
    for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGKILL] {
        let mut c = long_run(&work, &file);
        std::thread::sleep(Duration::from_millis(700));
        signal(&c, sig);
        let status = c.wait().unwrap();
        assert_eq!(status.signal(), Some(sig), "{status:?}");
        assert_eq!(tree(&work.join("out")), previous);
        assert_eq!(names(&work), ["canary.txt", "out"]);
    }
    // Killed while the complete new output waits to be swapped in: SIGTERM
    // and SIGINT remove it, then end hasim with the signal.
    for sig in [libc::SIGTERM, libc::SIGINT] {
        let mut c = command(&work, &["run", s(&file), "--seed", "9", "--out", "out"])
            .env("HASIM_TEST_PAUSE_BEFORE_SWAP_MS", "3000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let temp = wait_for_temp(&work, None);
        signal(&c, sig);
        let status = c.wait().unwrap();
        assert_eq!(status.signal(), Some(sig), "{status:?}");
        assert!(!temp.exists());
        assert_eq!(tree(&work.join("out")), previous);
        assert_eq!(names(&work), ["canary.txt", "out"]);
    }
    // SIGKILL cannot be caught: it leaves a stale temporary, which the next
    // run removes; the previous output is intact meanwhile.
    let mut c = command(&work, &["run", s(&file), "--seed", "9", "--out", "out"])
        .env("HASIM_TEST_PAUSE_BEFORE_SWAP_MS", "3000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let temp = wait_for_temp(&work, None);
    signal(&c, libc::SIGKILL);
    c.wait().unwrap();
    assert!(
        temp.join(".hasim-output").is_file(),
        "the stale temporary is marked"
    );
    assert_eq!(tree(&work.join("out")), previous);
    let o = hasim_in(&work, &["run", s(&file), "--seed", "9", "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!temp.exists(), "the stale temporary is cleaned");
    assert_eq!(names(&work), ["canary.txt", "out"]);
    assert!(fs::read_to_string(work.join("out/summary.json"))
        .unwrap()
        .contains("\"seed\": 9"));
}

/// Runs hasim with files limited to `bytes` (RLIMIT_FSIZE) and SIGXFSZ
/// ignored, so a write past the limit fails as on a full disk (EFBIG).
fn with_small_disk(c: &mut Command, bytes: u64) -> Output {
    // SAFETY: setrlimit and signal are async-signal-safe.
    unsafe {
        c.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    c.output().unwrap()
}

#[test]
fn a_full_disk_leaves_the_previous_output_and_no_partial_file() {
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "good.toml", None);
    let o = hasim_in(&work, &["run", s(&file), "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = hasim_in(
        &work,
        &["run", s(&file), "--shard", "0/1", "--out", "shards"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let before = tree(tmp.path());
    // The charts are larger than 4 KB; a shard of this run is larger than 1 KB.
    let o = with_small_disk(
        &mut command(&work, &["run", s(&file), "--seed", "3", "--out", "out"]),
        4096,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
    assert_eq!(tree(tmp.path()), before);
    let shard_len = fs::metadata(work.join("shards/good.shard-0-of-1.json"))
        .unwrap()
        .len();
    assert!(
        shard_len > 1024,
        "the shard must not fit: {shard_len} bytes"
    );
    let o = with_small_disk(
        &mut command(
            &work,
            &[
                "run",
                s(&file),
                "--seed",
                "3",
                "--shard",
                "0/1",
                "--out",
                "shards",
            ],
        ),
        1024,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(tree(tmp.path()), before, "no partial shard file");
    // A new output folder on a full disk leaves nothing either.
    let o = with_small_disk(
        &mut command(&work, &["run", s(&file), "--out", "new"]),
        4096,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(tree(tmp.path()), before);
}

#[test]
fn a_read_only_folder_leaves_the_previous_output_intact() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "good.toml", None);
    let o = hasim_in(&work, &["run", s(&file), "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for d in [tmp.path(), &work] {
        fs::set_permissions(d, fs::Permissions::from_mode(0o755)).unwrap();
    }
    fs::set_permissions(
        tmp.path().join("good.toml"),
        fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    // Read-only: nobody may create or remove entries in `work`.
    fs::set_permissions(&work, fs::Permissions::from_mode(0o555)).unwrap();
    let before = tree(tmp.path());
    let mut c = command(&work, &["run", s(&file), "--seed", "4", "--out", "out"]);
    // Root ignores permission bits: the child then drops to `nobody`, for
    // whom they hold.
    // SAFETY: setgroups, setgid and setuid are async-signal-safe.
    unsafe {
        c.pre_exec(|| {
            if libc::geteuid() == 0
                && (libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(65534) != 0
                    || libc::setuid(65534) != 0)
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let o = c.output().unwrap();
    fs::set_permissions(&work, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot create a temporary folder"),
        "{}",
        stderr(&o)
    );
    assert_eq!(tree(tmp.path()), before);
}

#[test]
fn a_shard_file_killed_before_its_rename_leaves_no_temporary() {
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "good.toml", None);
    let args = ["run", s(&file), "--shard", "0/1", "--out", "shards"];
    let o = hasim_in(&work, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let shards = work.join("shards");
    let previous = tree(&shards);
    let len = fs::metadata(shards.join("good.shard-0-of-1.json"))
        .unwrap()
        .len();
    // The same run writes the same bytes: the temporary is complete when it
    // has the previous file's length.
    for sig in [libc::SIGTERM, libc::SIGKILL] {
        let mut c = command(&work, &args)
            .env("HASIM_TEST_PAUSE_BEFORE_SWAP_MS", "3000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let temp = wait_for_temp(&shards, Some(len));
        signal(&c, sig);
        let status = c.wait().unwrap();
        assert_eq!(status.signal(), Some(sig), "{status:?}");
        assert_eq!(temp.exists(), sig == libc::SIGKILL, "{}", temp.display());
    }
    // The SIGKILL left a stale temporary (hasim's content, a dead process):
    // the next write removes it.
    let o = hasim_in(&work, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(tree(&shards), previous);
}

#[test]
fn default_shard_folders_sit_beside_the_output_so_merge_keeps_them() {
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "good.toml", None);
    for k in ["0/2", "1/2"] {
        let o = hasim_in(
            &work,
            &["run", s(&file), "--replications", "20", "--shard", k],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let shards = work.join("reports/good-shards");
    let before = tree(&shards);
    for _ in 0..2 {
        let o = hasim_in(&work, &["merge", "reports/good-shards"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(work.join("reports/good/.hasim-output").is_file());
    assert_eq!(tree(&shards), before, "merge keeps its inputs");
    assert_eq!(names(&work.join("reports")), ["good", "good-shards"]);
}

#[test]
fn an_output_that_becomes_someone_elses_folder_during_the_run_is_kept() {
    let (tmp, work) = sandbox();
    let file = scenario(tmp.path(), "good.toml", None);
    let o = hasim_in(&work, &["run", s(&file), "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let c = command(&work, &["run", s(&file), "--seed", "9", "--out", "out"])
        .env("HASIM_TEST_PAUSE_BEFORE_SWAP_MS", "3000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let temp = wait_for_temp(&work, None);
    // Checked at the start, the folder was hasim's; now it is the user's.
    fs::remove_dir_all(work.join("out")).unwrap();
    fs::create_dir(work.join("out")).unwrap();
    canary(&work.join("out"));
    let mut before = tree(tmp.path());
    before.retain(|p, _| !p.to_string_lossy().contains(".hasim-tmp-"));
    let o = c.wait_with_output().unwrap();
    assert_refused(&o, &["out", "did not write", FIX]);
    assert!(!temp.exists());
    assert_eq!(tree(tmp.path()), before);
}
