//! Output folders and files (SPEC §4): the only code that creates, replaces
//! or removes anything on disk. hasim never deletes what it did not write.
//!
//! - Every output folder holds a marker file, [`MARKER`]. An existing folder
//!   is replaced only when it is a real folder (not a link) holding that
//!   marker, or empty; anything else (`.`, the current folder or one that
//!   contains it, a link, a file, a folder of other files) is refused with
//!   exit 2 *before* anything runs ([`OutDir::check`]).
//! - A new output is built in a temporary sibling with an unpredictable name,
//!   created exclusively (`mkdir` and `O_EXCL` fail on anything already
//!   there, links included), then swapped in: on Linux with
//!   `renameat2(RENAME_EXCHANGE)`, so at every instant the path holds either
//!   the complete old output or the complete new one; elsewhere old → aside,
//!   new → path, a window of two renames. The old output is removed last.
//! - Temporaries are named `.<name>.hasim-tmp-<pid>-<random>` (the old
//!   output set aside: `.hasim-old-`). On any error they are removed; a
//!   SIGINT or SIGTERM while they exist is held until they are removed (or
//!   the swap is complete), then the signal takes effect. A SIGKILL leaves a
//!   stale one, which the next write to the same parent removes once it can
//!   prove it is hasim's: the name pattern, a process id that no longer
//!   runs, and the marker inside (or, for a file, hasim's content).
//! - Single files (shards, the validation table) go the same way: an
//!   exclusive temporary file renamed over the target. An existing target is
//!   replaced only when it is a regular file whose content hasim recognises
//!   as its own; a link, a folder or someone else's file is refused.

use super::File;
use crate::error::{Error, InputError, Result};
use std::ffi::OsString;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

/// The marker file hasim writes into every output folder.
pub const MARKER: &str = ".hasim-output";
const MARKER_TEXT: &str = "hasim output folder\n\
    hasim replaces this folder when asked to write here again.\n\
    Delete this file to keep hasim from ever replacing the folder.\n";
/// What a marker must begin with to be recognised.
const MARKER_MAGIC: &[u8] = b"hasim output folder\n";
const TMP: &str = ".hasim-tmp-";
const OLD: &str = ".hasim-old-";
const FIX: &str = "choose a new folder or remove it yourself";

fn refuse(path: &Path, why: impl std::fmt::Display) -> Error {
    InputError::new(format!("{} {why}", path.display()))
        .fix(FIX)
        .into()
}

fn io(what: &str, path: &Path, e: io::Error) -> Error {
    Error::io(format!("cannot {what} {}", path.display()), e)
}

/// Splits `path` into its parent folder and final name, refusing paths
/// whose final component is not a plain name (`.`, `..`, `/`, empty).
fn split(path: &Path, what: &str) -> Result<(PathBuf, OsString)> {
    let mut comps = path.components();
    match comps.next_back() {
        Some(Component::Normal(name)) => {
            let parent = comps.as_path();
            let parent = if parent.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                parent.to_path_buf()
            };
            Ok((parent, name.to_os_string()))
        }
        _ => Err(refuse(
            path,
            format!(
                "is the current folder, a parent folder or the root, not a new {what} for hasim to write"
            ),
        )),
    }
}

/// The nearest existing ancestor of `parent` must be a folder (hasim creates
/// the missing ones); a file where a folder should be is refused now.
fn check_ancestors(parent: &Path) -> Result<()> {
    for a in parent.ancestors() {
        let a = if a.as_os_str().is_empty() {
            Path::new(".")
        } else {
            a
        };
        match fs::metadata(a) {
            Ok(m) if m.is_dir() => return Ok(()),
            Ok(_) => {
                return Err(InputError::new(format!(
                    "{} is a file, so nothing can be written under it",
                    a.display()
                ))
                .fix("choose an output path inside a folder")
                .into())
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io("inspect", a, e)),
        }
    }
    Ok(())
}

/// True when `dir/MARKER` is a regular file starting with the magic line.
fn has_marker(dir: &Path) -> bool {
    let m = dir.join(MARKER);
    fs::symlink_metadata(&m).is_ok_and(|md| md.is_file()) && starts_with(&m, MARKER_MAGIC)
}

fn head(path: &Path, n: u64) -> Vec<u8> {
    let mut buf = Vec::new();
    if let Ok(f) = fs::File::open(path) {
        let _ = f.take(n).read_to_end(&mut buf);
    }
    buf
}

fn starts_with(path: &Path, magic: &[u8]) -> bool {
    head(path, magic.len() as u64) == magic
}

fn is_empty_dir(dir: &Path) -> io::Result<bool> {
    Ok(fs::read_dir(dir)?.next().is_none())
}

/// What an output folder path holds now.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Existing {
    Nothing,
    EmptyDir,
    HasimDir,
}

/// An output folder that has passed the safety checks.
#[derive(Debug, Clone)]
pub struct OutDir {
    /// The path as the user gave it, for messages.
    given: PathBuf,
    /// `parent/name`, the path that is checked and written.
    target: PathBuf,
    parent: PathBuf,
    name: OsString,
}

impl OutDir {
    /// Checks, without writing anything, that `path` may receive an output
    /// folder. Call it before any simulation runs.
    pub fn check(path: &Path) -> Result<OutDir> {
        let (parent, name) = split(path, "folder")?;
        let dir = OutDir {
            given: path.to_path_buf(),
            target: parent.join(&name),
            parent,
            name,
        };
        dir.existing()?;
        Ok(dir)
    }

    /// The path as given (for messages).
    pub fn path(&self) -> &Path {
        &self.given
    }

    /// Refuses an output file name that is not a plain relative path.
    fn plain_name(&self, name: &str) -> Result<()> {
        let rel = Path::new(name);
        let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
        if !plain || name.is_empty() || name == MARKER {
            return Err(Error::io(
                format!("refusing to write {name:?} into {}", self.target.display()),
                io::Error::other("an output file must be a plain relative path"),
            ));
        }
        Ok(())
    }

    fn existing(&self) -> Result<Existing> {
        check_ancestors(&self.parent)?;
        let (p, shown) = (&self.target, &self.given);
        let md = match fs::symlink_metadata(p) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Existing::Nothing),
            Err(e) => return Err(io("inspect", p, e)),
            Ok(md) => md,
        };
        if md.file_type().is_symlink() {
            return Err(refuse(
                shown,
                "is a symbolic link; hasim does not write through links",
            ));
        }
        if !md.is_dir() {
            return Err(refuse(shown, "is a file, not a folder"));
        }
        let here = std::env::current_dir().map_err(|e| io("find", Path::new("."), e))?;
        let canon = fs::canonicalize(p).map_err(|e| io("inspect", p, e))?;
        if here.starts_with(&canon) {
            return Err(refuse(
                shown,
                "is the current folder or contains it; hasim would replace it",
            ));
        }
        if has_marker(p) {
            Ok(Existing::HasimDir)
        } else if is_empty_dir(p).map_err(|e| io("read", p, e))? {
            Ok(Existing::EmptyDir)
        } else {
            Err(refuse(
                shown,
                format!("holds files that hasim did not write (it has no {MARKER} marker)"),
            ))
        }
    }

    /// Writes `files` (relative paths) as the folder's new content, the
    /// marker included, and swaps it in atomically.
    pub fn write(&self, files: &[File]) -> Result<()> {
        self.write_streamed(files, &[])
    }

    /// As `write`, plus files whose bytes `streamed` writes straight to
    /// disk (too big to hold in memory).
    pub fn write_streamed(&self, files: &[File], streamed: &[Streamed]) -> Result<()> {
        for (name, _) in files {
            self.plain_name(name)?;
        }
        self.existing()?;
        fs::create_dir_all(&self.parent).map_err(|e| io("create", &self.parent, e))?;
        clean_stale(&self.parent, |_| false);
        let guard = signals::Guard::install();
        let tmp = temp_dir(&self.parent, &self.name)?;
        let result = self.fill_and_swap(&tmp, files, streamed, &guard);
        if result.is_err() {
            remove_temp_dir(&tmp);
        }
        guard.release();
        result
    }

    /// As `write`, the files coming in batches: `fill` is handed a sink
    /// that writes each batch into the temporary folder at once, so a sweep
    /// holds one point's files at a time, never all of them. Nothing
    /// appears at the path until `fill` has returned `Ok`.
    pub fn write_batches(&self, fill: &mut dyn FnMut(&mut Sink) -> Result<()>) -> Result<()> {
        self.existing()?;
        fs::create_dir_all(&self.parent).map_err(|e| io("create", &self.parent, e))?;
        clean_stale(&self.parent, |_| false);
        let guard = signals::Guard::install();
        let tmp = temp_dir(&self.parent, &self.name)?;
        let result = write_new(&tmp.join(MARKER), MARKER_TEXT.as_bytes())
            .and_then(|()| {
                fill(&mut Sink {
                    dir: self,
                    tmp: &tmp,
                    guard: &guard,
                })
            })
            .and_then(|()| self.fill_and_swap_from(&tmp, &[], &[], &guard, false));
        if result.is_err() {
            remove_temp_dir(&tmp);
        }
        guard.release();
        result
    }

    fn fill_and_swap(
        &self,
        tmp: &Path,
        files: &[File],
        streamed: &[Streamed],
        guard: &signals::Guard,
    ) -> Result<()> {
        self.fill_and_swap_from(tmp, files, streamed, guard, true)
    }

    fn fill_and_swap_from(
        &self,
        tmp: &Path,
        files: &[File],
        streamed: &[Streamed],
        guard: &signals::Guard,
        marker: bool,
    ) -> Result<()> {
        if marker {
            write_new(&tmp.join(MARKER), MARKER_TEXT.as_bytes())?;
        }
        for (name, body) in files {
            if guard.interrupted() {
                return Err(interrupted());
            }
            let p = tmp.join(name);
            if let Some(sub) = p.parent() {
                fs::create_dir_all(sub).map_err(|e| io("create", sub, e))?;
            }
            write_new(&p, body)?;
        }
        for (name, write) in streamed {
            if guard.interrupted() {
                return Err(interrupted());
            }
            write_new_streamed(&tmp.join(name), *write)?;
        }
        test_hook_pause();
        if guard.interrupted() {
            return Err(interrupted());
        }
        // Whatever came while the files were written must not be replaced.
        match self.existing()? {
            Existing::Nothing | Existing::EmptyDir => {
                // rename() replaces an empty folder and fails on anything
                // else (a folder with files, a file, a link): nothing is lost.
                fs::rename(tmp, &self.target)
                    .map_err(|e| io("move the new output into", &self.target, e))
            }
            Existing::HasimDir => self.replace(tmp),
        }
    }

    /// Swaps `tmp` (complete) with the previous hasim output at the path,
    /// then removes the previous output.
    fn replace(&self, tmp: &Path) -> Result<()> {
        // What was swapped out is removed only if it is still hasim's (it
        // could have been replaced since the check a moment ago).
        let changed = || {
            refuse(
                &self.given,
                "changed while hasim was writing; it was put back untouched",
            )
        };
        if exchange(tmp, &self.target).is_ok() {
            if !has_marker(tmp) {
                return match exchange(tmp, &self.target) {
                    Ok(()) => Err(changed()),
                    Err(e) => Err(io("put back", &self.target, e)),
                };
            }
            // `tmp` now holds the previous output; if removing it fails, the
            // next run removes it as stale.
            let _ = fs::remove_dir_all(tmp);
            return Ok(());
        }
        let old = unique_name(&self.parent, &self.name, OLD);
        fs::rename(&self.target, &old)
            .map_err(|e| io("move aside the previous output", &self.target, e))?;
        if !has_marker(&old) {
            return match fs::rename(&old, &self.target) {
                Ok(()) => Err(changed()),
                Err(e) => Err(io("put back", &self.target, e)),
            };
        }
        if let Err(e) = fs::rename(tmp, &self.target) {
            let _ = fs::rename(&old, &self.target);
            return Err(io("move the new output into", &self.target, e));
        }
        let _ = fs::remove_dir_all(&old);
        Ok(())
    }
}

/// Where `OutDir::write_batches` writes a batch of files.
pub struct Sink<'a> {
    dir: &'a OutDir,
    tmp: &'a Path,
    guard: &'a signals::Guard,
}

impl Sink<'_> {
    /// Writes `files` (plain relative paths) into the new folder now.
    pub fn put(&mut self, files: &[File]) -> Result<()> {
        for (name, body) in files {
            self.dir.plain_name(name)?;
            if self.guard.interrupted() {
                return Err(interrupted());
            }
            let p = self.tmp.join(name);
            if let Some(sub) = p.parent() {
                fs::create_dir_all(sub).map_err(|e| io("create", sub, e))?;
            }
            write_new(&p, body)?;
        }
        Ok(())
    }

    /// Creates the file `name` (a plain relative path) in the new folder
    /// for the caller to write as it goes (a sweep's `sweep.csv`, row by
    /// row as points complete).
    pub fn create(&mut self, name: &str) -> Result<(PathBuf, fs::File)> {
        self.dir.plain_name(name)?;
        let p = self.tmp.join(name);
        let f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
            .map_err(|e| io("create", &p, e))?;
        Ok((p, f))
    }
}

/// Removes a temporary folder of this run: whole when it holds the marker;
/// otherwise (the marker could not be written) only a partial marker and
/// the folder if then empty. A folder without the marker is never emptied.
fn remove_temp_dir(tmp: &Path) {
    if has_marker(tmp) {
        let _ = fs::remove_dir_all(tmp);
        return;
    }
    let m = tmp.join(MARKER);
    let partial = fs::symlink_metadata(&m).is_ok_and(|md| md.is_file())
        && MARKER_TEXT
            .as_bytes()
            .starts_with(&head(&m, MARKER_TEXT.len() as u64 + 1));
    if partial {
        let _ = fs::remove_file(&m);
    }
    let _ = fs::remove_dir(tmp);
}

fn interrupted() -> Error {
    Error::io(
        "interrupted",
        io::Error::new(io::ErrorKind::Interrupted, "a signal arrived"),
    )
}

/// For tests only: `HASIM_TEST_PAUSE_BEFORE_SWAP_MS` holds a complete
/// temporary output this long before the swap, so a test can kill hasim
/// exactly then. Unset, it costs one environment lookup per output.
fn test_hook_pause() {
    if let Some(ms) = std::env::var("HASIM_TEST_PAUSE_BEFORE_SWAP_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Creates a new file; fails if anything (a link included) is already there.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| io("create", path, e))?;
    f.write_all(bytes).map_err(|e| io("write", path, e))
}

/// A file written by a function, straight to disk: its name (plain) and
/// the writer.
pub type Streamed<'a> = (&'a str, &'a dyn Fn(&mut dyn Write) -> io::Result<()>);

/// As `write_new`, the bytes coming from `write` through a buffer.
fn write_new_streamed(path: &Path, write: &dyn Fn(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| io("create", path, e))?;
    let mut w = io::BufWriter::with_capacity(1 << 16, f);
    write(&mut w)
        .and_then(|_| w.flush())
        .map_err(|e| io("write", path, e))
}

/// A random 64-bit number from the standard library's per-process random
/// keys: unpredictable enough to name a temporary that is created
/// exclusively anyway.
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNT.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    h.finish()
}

/// `.<name>.hasim-tmp-<pid>-<16 hex digits>` next to the target.
fn unique_name(parent: &Path, name: &OsString, kind: &str) -> PathBuf {
    let short: String = name.to_string_lossy().chars().take(64).collect();
    parent.join(format!(
        ".{short}{kind}{}-{:016x}",
        std::process::id(),
        random()
    ))
}

fn temp_dir(parent: &Path, name: &OsString) -> Result<PathBuf> {
    let mut last = None;
    for _ in 0..64 {
        let p = unique_name(parent, name, TMP);
        match fs::create_dir(&p) {
            Ok(()) => return Ok(p),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(io("create a temporary folder in", parent, e)),
        }
    }
    Err(io(
        "create a temporary folder in",
        parent,
        last.unwrap_or_else(|| io::Error::other("no free name")),
    ))
}

/// The process id in a temporary's name, when the name is one of hasim's.
fn temp_pid(file_name: &str) -> Option<u32> {
    let rest = [TMP, OLD]
        .iter()
        .filter_map(|k| file_name.rfind(k).map(|i| &file_name[i + k.len()..]))
        .next()?;
    let (pid, rand) = rest.split_once('-')?;
    let hex = rand.len() == 16 && rand.bytes().all(|b| b.is_ascii_hexdigit());
    (file_name.starts_with('.') && hex)
        .then(|| pid.parse().ok())
        .flatten()
}

/// Removes the temporaries that killed hasim processes left in `parent`:
/// only those it can prove are hasim's (name pattern, a process that no
/// longer runs, and the marker inside, or `recognise`d content for a file;
/// an empty one holds nothing to lose). Best effort: errors are ignored.
fn clean_stale(parent: &Path, recognise: fn(&[u8]) -> bool) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(temp_pid) else {
            continue;
        };
        if pid == std::process::id() || signals::alive(pid) {
            continue;
        }
        let p = e.path();
        let Ok(md) = fs::symlink_metadata(&p) else {
            continue;
        };
        if md.is_dir() {
            if has_marker(&p) {
                let _ = fs::remove_dir_all(&p);
            } else {
                let _ = fs::remove_dir(&p); // only if empty
            }
        } else if md.is_file() && (md.len() == 0 || recognise(&head(&p, 256))) {
            let _ = fs::remove_file(&p);
        }
    }
}

/// Swaps two paths atomically (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: two valid NUL-terminated paths; the call reads them only.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// A single output file that has passed the safety checks.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// The path as the user gave it, for messages.
    given: PathBuf,
    target: PathBuf,
    parent: PathBuf,
    name: OsString,
    /// Recognises hasim's own content from the file's first 256 bytes.
    recognise: fn(&[u8]) -> bool,
}

impl OutFile {
    /// Checks, without writing anything, that `path` may receive the file:
    /// nothing is there, or a regular file that `recognise` says hasim wrote.
    pub fn check(path: &Path, recognise: fn(&[u8]) -> bool) -> Result<OutFile> {
        let (parent, name) = split(path, "file")?;
        let f = OutFile {
            given: path.to_path_buf(),
            target: parent.join(&name),
            parent,
            name,
            recognise,
        };
        f.verify()?;
        Ok(f)
    }

    /// The path as given (for messages).
    pub fn path(&self) -> &Path {
        &self.given
    }

    fn verify(&self) -> Result<()> {
        check_ancestors(&self.parent)?;
        let (p, shown) = (&self.target, &self.given);
        match fs::symlink_metadata(p) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io("inspect", p, e)),
            Ok(md) if md.file_type().is_symlink() => Err(refuse(
                shown,
                "is a symbolic link; hasim does not write through links",
            )),
            Ok(md) if md.is_dir() => Err(refuse(shown, "is a folder, not a file")),
            Ok(md) if !md.is_file() => Err(refuse(shown, "is not a regular file")),
            Ok(_) if (self.recognise)(&head(p, 256)) => Ok(()),
            Ok(_) => Err(refuse(shown, "is a file that hasim did not write")),
        }
    }

    /// Writes the file through an exclusive temporary renamed into place.
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        self.verify()?;
        fs::create_dir_all(&self.parent).map_err(|e| io("create", &self.parent, e))?;
        clean_stale(&self.parent, self.recognise);
        let guard = signals::Guard::install();
        let result = self.write_inner(bytes, &guard);
        guard.release();
        result
    }

    fn write_inner(&self, bytes: &[u8], guard: &signals::Guard) -> Result<()> {
        let mut tmp = None;
        for _ in 0..64 {
            let p = unique_name(&self.parent, &self.name, TMP);
            match fs::OpenOptions::new().write(true).create_new(true).open(&p) {
                Ok(f) => {
                    tmp = Some((p, f));
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io("create a temporary file in", &self.parent, e)),
            }
        }
        let Some((tmp, mut f)) = tmp else {
            return Err(io(
                "create a temporary file in",
                &self.parent,
                io::Error::other("no free name"),
            ));
        };
        let result = (|| {
            f.write_all(bytes).map_err(|e| io("write", &tmp, e))?;
            f.flush().map_err(|e| io("write", &tmp, e))?;
            drop(f);
            test_hook_pause();
            if guard.interrupted() {
                return Err(interrupted());
            }
            self.verify()?;
            fs::rename(&tmp, &self.target).map_err(|e| io("write", &self.target, e))
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }
}

/// Holding SIGINT and SIGTERM while a temporary exists.
mod signals {
    #[cfg(unix)]
    mod imp {
        use std::sync::atomic::{AtomicI32, Ordering};

        static CAUGHT: AtomicI32 = AtomicI32::new(0);

        extern "C" fn on_signal(sig: libc::c_int) {
            CAUGHT.store(sig, Ordering::SeqCst);
        }

        const SIGNALS: [libc::c_int; 2] = [libc::SIGINT, libc::SIGTERM];

        /// While alive, SIGINT and SIGTERM only set a flag (unless they
        /// were ignored already); `release` restores the previous handling
        /// and delivers a held signal.
        pub struct Guard {
            old: Vec<(libc::c_int, libc::sigaction)>,
        }

        impl Guard {
            pub fn install() -> Guard {
                CAUGHT.store(0, Ordering::SeqCst);
                let mut old = Vec::new();
                for sig in SIGNALS {
                    // SAFETY: plain sigaction calls with zero-initialised,
                    // fully set structs; the handler only stores an atomic.
                    unsafe {
                        let mut new: libc::sigaction = std::mem::zeroed();
                        new.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                        new.sa_flags = libc::SA_RESTART;
                        libc::sigemptyset(&mut new.sa_mask);
                        let mut prev: libc::sigaction = std::mem::zeroed();
                        if libc::sigaction(sig, &new, &mut prev) != 0 {
                            continue;
                        }
                        if prev.sa_sigaction == libc::SIG_IGN {
                            libc::sigaction(sig, &prev, std::ptr::null_mut());
                            continue;
                        }
                        old.push((sig, prev));
                    }
                }
                Guard { old }
            }

            pub fn interrupted(&self) -> bool {
                CAUGHT.load(Ordering::SeqCst) != 0
            }

            pub fn release(mut self) {
                self.restore();
                let sig = CAUGHT.swap(0, Ordering::SeqCst);
                if sig != 0 {
                    // SAFETY: re-sends the held signal to this thread, now
                    // with its previous handling (by default: terminate).
                    unsafe {
                        libc::raise(sig);
                    }
                }
            }

            fn restore(&mut self) {
                for (sig, prev) in self.old.drain(..) {
                    // SAFETY: restores the action saved by `install`.
                    unsafe {
                        libc::sigaction(sig, &prev, std::ptr::null_mut());
                    }
                }
            }
        }

        impl Drop for Guard {
            fn drop(&mut self) {
                self.restore();
            }
        }

        /// Whether process `pid` still runs (or cannot be checked).
        pub fn alive(pid: u32) -> bool {
            let Ok(pid) = libc::pid_t::try_from(pid) else {
                return true;
            };
            if pid <= 0 {
                return true;
            }
            // SAFETY: signal 0 only checks that the process exists.
            let r = unsafe { libc::kill(pid, 0) };
            r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
        }
    }

    #[cfg(not(unix))]
    mod imp {
        pub struct Guard;
        impl Guard {
            pub fn install() -> Guard {
                Guard
            }
            pub fn interrupted(&self) -> bool {
                false
            }
            pub fn release(self) {}
        }
        /// Without a way to check, every process counts as running.
        pub fn alive(_: u32) -> bool {
            true
        }
    }

    pub use imp::{alive, Guard};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_recognised_and_nothing_else() {
        assert_eq!(temp_pid(".out.hasim-tmp-123-0123456789abcdef"), Some(123));
        assert_eq!(temp_pid(".a.b.hasim-old-7-fedcba9876543210"), Some(7));
        assert_eq!(temp_pid("out.hasim-tmp-123-0123456789abcdef"), None);
        assert_eq!(temp_pid(".out.hasim-tmp-123-0123456789abcde"), None);
        assert_eq!(temp_pid(".out.hasim-tmp-x-0123456789abcdef"), None);
        assert_eq!(temp_pid(".out.tmp-123"), None);
        let name = OsString::from("out");
        let p = unique_name(Path::new("d"), &name, TMP);
        let f = p.file_name().unwrap().to_str().unwrap();
        assert_eq!(temp_pid(f), Some(std::process::id()));
        assert_ne!(p, unique_name(Path::new("d"), &name, TMP));
    }

    #[test]
    fn only_plain_final_names_are_accepted() {
        for bad in [".", "..", "a/..", "/", "", "./"] {
            assert!(split(Path::new(bad), "folder").is_err(), "{bad:?}");
        }
        let (parent, name) = split(Path::new("out"), "folder").unwrap();
        assert_eq!((parent, name), (PathBuf::from("."), OsString::from("out")));
        let (parent, name) = split(Path::new("a/b/"), "folder").unwrap();
        assert_eq!((parent, name), (PathBuf::from("a"), OsString::from("b")));
    }
}
