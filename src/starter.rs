//! `hasim schema` and `hasim new`: the scenario format's generated artefacts
//! (SPEC §1 through the key table in `scenario::keys`).

use crate::cli::{NewArgs, SchemaArgs};
use crate::error::{Error, InputError, Result};
use crate::scenario::keys::ARCHITECTURES;
use crate::scenario::reference;
use std::io::Write;

/// Prints the JSON Schema, or with `--reference` the Markdown reference.
pub fn schema(a: SchemaArgs) -> Result<String> {
    Ok(if a.reference {
        reference::markdown()
    } else {
        reference::schema()
    })
}

/// Writes a commented starter scenario; never overwrites a file.
pub fn new(a: NewArgs) -> Result<String> {
    let text = reference::starter(&a.architecture).ok_or_else(|| {
        InputError::new(format!("unknown architecture {:?}", a.architecture))
            .fix(format!("use one of {}", ARCHITECTURES.join(", ")))
    })?;
    let path = a
        .file
        .unwrap_or_else(|| format!("{}.toml", a.architecture).into());
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(InputError::new(format!(
                "{} already exists; hasim new never overwrites a file",
                path.display()
            ))
            .fix("give another file name, or remove the file first")
            .into())
        }
        Err(e) => return Err(Error::io(format!("cannot create {}", path.display()), e)),
    };
    f.write_all(text.as_bytes())
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    Ok(format!(
        "wrote {}: run it with `hasim run {}`; every key is in {}\n",
        path.display(),
        path.display(),
        reference::REFERENCE_PATH
    ))
}
