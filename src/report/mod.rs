//! Reports: the only code that writes output files. A run's folder is built
//! in a temporary sibling and renamed into place at the end, so a failure
//! never leaves half-written output.

pub mod summary;
pub mod tables;

use crate::error::{Error, Result};
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};

pub use summary::Summary;

/// The files of one run, in memory.
pub fn render(sc: &Scenario, o: &Outcome) -> Vec<(&'static str, String)> {
    vec![
        ("summary.json", Summary::new(sc, o).to_json()),
        ("timeseries.csv", tables::timeseries(sc, o)),
        ("events.csv", tables::events(o)),
        ("outages.csv", tables::outages(o)),
    ]
}

/// Writes `files` into `dir` atomically: a temporary sibling folder is
/// filled, then renamed over `dir`.
pub fn write_dir(dir: &Path, files: &[(&str, String)]) -> Result<()> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp: PathBuf = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = (|| {
        std::fs::create_dir(&tmp)
            .map_err(|e| Error::io(format!("cannot create {}", tmp.display()), e))?;
        for (file, body) in files {
            let p = tmp.join(file);
            std::fs::write(&p, body)
                .map_err(|e| Error::io(format!("cannot write {}", p.display()), e))?;
        }
        if dir.exists() {
            std::fs::remove_dir_all(dir)
                .map_err(|e| Error::io(format!("cannot replace {}", dir.display()), e))?;
        }
        std::fs::rename(&tmp, dir)
            .map_err(|e| Error::io(format!("cannot move output into {}", dir.display()), e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}
