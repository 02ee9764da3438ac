//! Scenario files: reading, `--set` overrides and validation (SPEC §1).
//!
//! The pipeline is parse (TOML text -> table), override (`--set`), mirror
//! (table -> `raw::RawScenario`, unknown keys rejected) and validate
//! (`validate::validate`). Only `load` touches the file system.

pub mod bounds;
pub mod dist;
pub mod domains;
pub mod duration;
pub mod gray;
pub mod keys;
pub mod locate;
pub mod model;
pub mod overrides;
pub mod per_node;
pub mod raw;
pub mod reference;
pub mod sweep;
pub mod validate;

pub use dist::Dist;
pub use domains::{Dispatcher, Domain, Effect};
pub use gray::{GrayFaults, GrayProcess, Maintenance};
pub use model::*;
pub use per_node::NodeOverride;

use crate::error::InputError;
use std::path::Path;

/// Command-line settings that change a scenario as it is loaded.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// `--set KEY=VALUE` pairs, applied in order.
    pub sets: Vec<(String, String)>,
    /// `--seed`, which beats the file and `--set`.
    pub seed: Option<u64>,
    /// `--replications`, which beats the file and `--set`.
    pub replications: Option<u32>,
    /// `--precision`, which beats the file and `--set`.
    pub precision: Option<f64>,
    /// `--max-replications`, which beats the file and `--set`.
    pub max_replications: Option<u32>,
}

/// The largest scenario file read (4 MiB): a scenario is a page of TOML,
/// so anything bigger is a mistake (or `/dev/zero`) and is refused unread.
pub const MAX_FILE_BYTES: u64 = 4 << 20;

/// Reads a scenario file's text: a regular file of at most
/// `MAX_FILE_BYTES`, in UTF-8. The file type comes from `metadata` before
/// the file is opened (opening a FIFO would block), and at most
/// `MAX_FILE_BYTES + 1` bytes are read (the file may grow meanwhile).
pub fn read_text(path: &Path) -> Result<String, InputError> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        InputError::new(format!("cannot read the scenario: {e}"))
            .file(path)
            .fix("check the path; scenario files are TOML, e.g. scenarios/warm-standby.toml")
    };
    let too_big = || {
        InputError::new(format!(
            "the file is larger than {} MiB; a scenario is a short TOML file",
            MAX_FILE_BYTES >> 20
        ))
        .file(path)
        .fix("give the scenario's TOML file (hasim new ARCHITECTURE FILE writes a starter; keys: docs/scenario-reference.md)")
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a FIFO, socket or device)"
        };
        return Err(InputError::new(format!("the scenario path is {what}"))
            .file(path)
            .fix("give a regular TOML file, e.g. scenarios/warm-standby.toml"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|e| {
        InputError::new(format!(
            "the file is not UTF-8 text (byte {} is invalid)",
            e.utf8_error().valid_up_to()
        ))
        .file(path)
        .fix("save the scenario as UTF-8 text")
    })
}

/// Reads and validates one scenario file.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Scenario, InputError> {
    let text = read_text(path)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    parse(&text, path, &stem, opts)
}

/// Validates scenario text; `path` is only used to name the file in errors.
pub fn parse(
    text: &str,
    path: &Path,
    stem: &str,
    opts: &LoadOptions,
) -> Result<Scenario, InputError> {
    let mut doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let mut err = InputError::new(format!("not valid TOML: {}", e.message().trim()))
            .file(path)
            .fix(
                "see https://toml.io for the syntax; strings need quotes, e.g. duration = \"30d\"",
            );
        err.line_col = e.span().map(|s| locate::line_col(text, s.start));
        err
    })?;
    for (key, value) in &opts.sets {
        overrides::apply(&mut doc, key, overrides::parse_value(value)).map_err(|e| e.file(path))?;
    }
    let overridden: Vec<String> = opts.sets.iter().map(|(k, _)| k.clone()).collect();
    let ctx = validate::Ctx {
        file: path,
        text,
        overridden: &overridden,
    };
    let raw: raw::RawScenario =
        serde_path_to_error::deserialize(toml::Value::Table(doc)).map_err(|e| {
            let inner = e.inner().message().to_string();
            let mut key = e.path().to_string();
            // The path may stop at the parent table: make it name the key.
            let field = ["unknown field `", "missing field `"]
                .iter()
                .find_map(|p| inner.strip_prefix(p))
                .and_then(|r| r.split('`').next());
            if let Some(field) = field {
                if key == "." {
                    key = field.to_string();
                } else if !key.ends_with(&format!(".{field}")) && key != field {
                    key = format!("{key}.{field}");
                }
            }
            let fix = if inner.starts_with("unknown field") {
                "remove the key or correct its spelling (every key is listed in docs/scenario-reference.md)"
            } else if inner.starts_with("missing field") {
                "add the key; it has no default"
            } else {
                "give a value of the expected type"
            };
            ctx.err(key.trim_start_matches('.'), inner, fix)
        })?;
    let mut scenario = validate::validate(&ctx, &raw, stem)?;
    if let Some(seed) = opts.seed {
        if seed > validate::limits::MAX_SEED {
            return Err(
                InputError::new(format!("--seed {seed} is out of range")).fix(validate::SEED_FIX)
            );
        }
        scenario.seed = seed;
    }
    if let Some(r) = opts.replications {
        if r == 0 || r > validate::limits::MAX_REPLICATIONS {
            return Err(
                InputError::new(format!("--replications {r} is out of range"))
                    .fix(format!("use 1 to {}", validate::limits::MAX_REPLICATIONS)),
            );
        }
        scenario.replications = r;
    }
    if let Some(p) = opts.precision {
        let p = validate::check_precision(p).map_err(|m| {
            InputError::new(format!("--precision: {m}")).fix(validate::PRECISION_FIX)
        })?;
        scenario.precision = Some(p);
    }
    if let Some(m) = opts.max_replications {
        if m == 0 || m > validate::limits::MAX_REPLICATIONS {
            return Err(
                InputError::new(format!("--max-replications {m} is out of range"))
                    .fix(format!("use 1 to {}", validate::limits::MAX_REPLICATIONS)),
            );
        }
        scenario.max_replications = m;
    }
    scenario.overrides = opts.sets.clone();
    Ok(scenario)
}
