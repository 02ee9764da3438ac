//! Sweep grids: `--set KEY=V1,V2,...` on one or two keys (SPEC §5).

use super::locate::{split_path, Segment};
use super::overrides::parse_assignment;
use crate::error::InputError;

/// The most points a sweep may have.
pub const MAX_POINTS: usize = 10_000;

/// Splits a sweep value list on commas outside `{}`, `[]` and quotes.
pub fn split_values(text: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth, mut quote) = (Vec::new(), String::new(), 0i32, None::<char>);
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur.trim().to_string());
    out
}

/// A parsed sweep: fixed overrides and one or two swept keys.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub fixed: Vec<(String, String)>,
    pub axes: Vec<(String, Vec<String>)>,
}

impl Grid {
    pub fn parse(sets: &[String]) -> Result<Grid, InputError> {
        let mut grid = Grid {
            fixed: Vec::new(),
            axes: Vec::new(),
        };
        let mut seen: Vec<(String, Vec<Segment>)> = Vec::new();
        for s in sets {
            let (k, v) = parse_assignment(s)?;
            // One key given twice would label rows with one value and run
            // another; a key inside another (`nodes` and `nodes.count`)
            // is overwritten by it. Either way the grid would lie.
            let path = split_path(&k).unwrap_or_else(|| vec![Segment::Key(k.clone())]);
            if let Some((other, _)) = seen
                .iter()
                .find(|(_, p)| p.starts_with(&path) || path.starts_with(p))
            {
                let what = if *other == k {
                    format!("--set {k} is given twice")
                } else {
                    format!("--set {k} and --set {other} set the same key")
                };
                return Err(InputError::new(what).key(k).fix(
                    "give each key once, with all its values in one list, e.g. --set failover.operator=5m,15m,30m",
                ));
            }
            seen.push((k.clone(), path));
            let values = split_values(&v);
            if values.iter().any(String::is_empty) {
                return Err(InputError::new(format!("--set {s}: an empty value in the list"))
                    .key(k)
                    .fix("write values separated by single commas, e.g. --set failover.operator=5m,15m,30m"));
            }
            if values.len() > 1 {
                grid.axes.push((k, values));
            } else {
                grid.fixed.push((k, v));
            }
        }
        if grid.axes.is_empty() {
            return Err(
                InputError::new("nothing to sweep: no --set has more than one value")
                    .fix("give a list, e.g. --set failover.operator=5m,15m,30m"),
            );
        }
        if grid.axes.len() > 2 {
            return Err(InputError::new(format!(
                "{} keys swept at once; a sweep has one or two",
                grid.axes.len()
            ))
            .fix("fix all but two keys to one value"));
        }
        // Counted before the points are built (two lists of 10^5 values
        // would otherwise make 10^10 of them).
        let count = grid
            .axes
            .iter()
            .try_fold(1usize, |n, (_, v)| n.checked_mul(v.len()))
            .unwrap_or(usize::MAX);
        if count > MAX_POINTS {
            return Err(InputError::new(format!(
                "the grid has {count} points, more than {MAX_POINTS}"
            ))
            .fix("sweep fewer values"));
        }
        Ok(grid)
    }

    /// Every point, first key outermost: the assignments of each.
    pub fn points(&self) -> Vec<Vec<(String, String)>> {
        let mut points: Vec<Vec<(String, String)>> = vec![Vec::new()];
        for (k, values) in &self.axes {
            points = points
                .into_iter()
                .flat_map(|p| {
                    values.iter().map(move |v| {
                        let mut q = p.clone();
                        q.push((k.clone(), v.clone()));
                        q
                    })
                })
                .collect();
        }
        points
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_outside_brackets_and_quotes() {
        assert_eq!(split_values("5m,15m, 30m"), vec!["5m", "15m", "30m"]);
        assert_eq!(
            split_values("{ dist = \"exponential\", mean = \"1h\" },2h"),
            vec!["{ dist = \"exponential\", mean = \"1h\" }", "2h"]
        );
        assert_eq!(split_values("\"a,b\",c"), vec!["\"a,b\"", "c"]);
        assert_eq!(split_values("[1,2],[3]"), vec!["[1,2]", "[3]"]);
    }

    #[test]
    fn grids_are_products_first_key_outermost() {
        let g = Grid::parse(&["a=1,2".into(), "b=x,y,z".into(), "c=7".into()]).unwrap();
        assert_eq!(g.fixed, vec![("c".to_string(), "7".to_string())]);
        let p = g.points();
        assert_eq!(p.len(), 6);
        assert_eq!(
            p[1],
            vec![
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), "y".to_string())
            ]
        );
        assert!(Grid::parse(&["a=1".into()]).is_err());
        assert!(Grid::parse(&["a=1,2".into(), "b=1,2".into(), "c=1,2".into()]).is_err());
    }

    #[test]
    fn a_key_given_twice_or_inside_another_is_refused() {
        let twice = Grid::parse(&["a=1,2".into(), "a=3".into()]).unwrap_err();
        assert!(twice.message.contains("twice"), "{twice}");
        assert_eq!(twice.key.as_deref(), Some("a"));
        assert!(Grid::parse(&["a=1,2".into(), " a = 3,4".into()]).is_err());
        assert!(Grid::parse(&["x.y=1,2".into(), "x=3".into()]).is_err());
        assert!(Grid::parse(&["f[0].at=1s,2s".into(), "f[0]=3".into()]).is_err());
        assert!(Grid::parse(&["f[0].at=1s,2s".into(), "f[1].at=3s".into()]).is_ok());
        assert!(Grid::parse(&["ab=1,2".into(), "a=3".into()]).is_ok());
    }
}
