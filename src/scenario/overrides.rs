//! `--set KEY=VALUE`: overrides applied to the parsed file before it is read,
//! so an override is checked exactly like the file itself.

use super::locate::{split_path, Segment};
use crate::error::InputError;
use toml::{Table, Value};

/// Splits `KEY=VALUE`.
pub fn parse_assignment(arg: &str) -> Result<(String, String), InputError> {
    let (k, v) = arg.split_once('=').ok_or_else(|| {
        InputError::new(format!("--set {arg:?} has no `=`"))
            .fix("write --set KEY=VALUE, e.g. --set failover.operator=5m")
    })?;
    Ok((k.trim().to_string(), v.trim().to_string()))
}

/// Reads VALUE as a TOML value, and as a string when it is not one.
pub fn parse_value(text: &str) -> Value {
    toml::from_str::<Table>(&format!("v = {text}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| Value::String(text.to_string()))
}

/// Applies one override to the document. Unknown keys are caught later by
/// the schema (deny_unknown_fields); here only the path's shape is checked.
pub fn apply(doc: &mut Table, key: &str, value: Value) -> Result<(), InputError> {
    let bad = || {
        InputError::new(format!("--set {key}: not a key path"))
            .key(key)
            .fix("use the file's key path, e.g. nodes.count, failover.operator or faults[0].at")
    };
    let segments = split_path(key).ok_or_else(bad)?;
    let mut slot: &mut Value = doc_entry(doc, &segments[0])?;
    for seg in &segments[1..] {
        slot = match (seg, slot) {
            (Segment::Key(k), Value::Table(t)) => {
                t.entry(k.clone()).or_insert(Value::Table(Table::new()))
            }
            (Segment::Index(i), Value::Array(a)) => {
                let len = a.len();
                a.get_mut(*i).ok_or_else(|| {
                    InputError::new(format!(
                        "--set {key}: index {i} is out of range (the array has {len} items)"
                    ))
                    .key(key)
                    .fix("index an existing item, counting from 0")
                })?
            }
            _ => return Err(bad()),
        };
    }
    *slot = value;
    Ok(())
}

fn doc_entry<'a>(doc: &'a mut Table, first: &Segment) -> Result<&'a mut Value, InputError> {
    match first {
        Segment::Key(k) => Ok(doc.entry(k.clone()).or_insert(Value::Table(Table::new()))),
        Segment::Index(_) => Err(InputError::new("a key path starts with a key")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_toml_or_strings() {
        assert_eq!(parse_value("3"), Value::Integer(3));
        assert_eq!(parse_value("5m"), Value::String("5m".into()));
        assert_eq!(parse_value("\"5m\""), Value::String("5m".into()));
        assert!(parse_value("{ dist = \"fixed\", value = \"1s\" }").is_table());
    }

    #[test]
    fn applies_nested_and_indexed_paths() {
        let mut doc: Table =
            toml::from_str("[nodes]\ncount = 1\n[[faults]]\nat = \"1s\"\n").unwrap();
        apply(&mut doc, "failover.operator", parse_value("5m")).unwrap();
        apply(&mut doc, "faults[0].at", parse_value("2h")).unwrap();
        assert_eq!(doc["failover"]["operator"].as_str(), Some("5m"));
        assert_eq!(doc["faults"][0]["at"].as_str(), Some("2h"));
        assert!(apply(&mut doc, "faults[3].at", parse_value("1s")).is_err());
    }
}
