//! Finds where a key path stands in a TOML text, so that errors found after
//! parsing (validation, unknown keys) can still give a line and column.

use toml::de::{DeTable, DeValue};

/// One step of a key path: a table key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Splits `faults[0].at` into [Key("faults"), Index(0), Key("at")].
pub fn split_path(path: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() {
            return None;
        }
        out.push(Segment::Key(key.to_string()));
        while let Some(stripped) = rest.strip_prefix('[') {
            let close = stripped.find(']')?;
            out.push(Segment::Index(stripped[..close].trim().parse().ok()?));
            rest = &stripped[close + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

/// The 1-based (line, column) of the deepest part of `path` found in `text`.
pub fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let segments = split_path(path)?;
    let root = DeTable::parse(text).ok()?;
    let mut table: &DeTable = root.get_ref();
    let mut found: Option<std::ops::Range<usize>> = None;
    let mut array: Option<&toml::de::DeArray> = None;
    for seg in segments {
        let value = match (&seg, array) {
            (Segment::Index(i), Some(items)) => items.get(*i),
            (Segment::Key(k), None) => {
                table
                    .iter()
                    .find(|(key, _)| key.get_ref() == k)
                    .map(|(key, v)| {
                        found = Some(key.span());
                        v
                    })
            }
            _ => None,
        };
        let Some(value) = value else { break };
        if matches!(seg, Segment::Index(_)) {
            found = Some(value.span());
        }
        array = None;
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            DeValue::Array(a) => array = Some(a),
            _ => {}
        }
    }
    found.map(|span| line_col(text, span.start))
}

/// The 1-based (line, column) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.len(), |i| before.len() - i - 1)
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paths() {
        assert_eq!(
            split_path("faults[2].at"),
            Some(vec![
                Segment::Key("faults".into()),
                Segment::Index(2),
                Segment::Key("at".into())
            ])
        );
        assert_eq!(split_path("a..b"), None);
        assert_eq!(split_path("a[x]"), None);
    }

    #[test]
    fn locates_keys_in_tables_and_arrays() {
        let text = "name = \"x\"\n[nodes]\ncount = 2\n\n[[faults]]\nat = \"1s\"\n[[faults]]\nat = \"2s\"\n";
        assert_eq!(locate(text, "nodes.count"), Some((3, 1)));
        assert_eq!(locate(text, "faults[1].at"), Some((8, 1)));
        // A missing key points at its deepest existing parent.
        assert_eq!(locate(text, "nodes.repair"), Some((2, 2)));
    }
}
