//! A key written twice in one mapping: YAML keeps one of the two values
//! silently (or the record fails with the position of the whole mapping), so
//! the second one is found in the text and reported at its line, naming the
//! line of the first.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// A key written again in the same block mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Duplicate {
    pub key: String,
    /// Line of the first occurrence.
    pub first: usize,
    /// Line and column of the second.
    pub line: usize,
    pub column: usize,
}

/// Every key written again in the same block mapping of `src`, in line order.
pub(super) fn find(src: &str) -> Vec<Duplicate> {
    let mut out = Vec::new();
    // Open mappings: indentation of their keys, and keys seen with their line.
    let mut stack: Vec<(usize, BTreeMap<String, usize>)> = Vec::new();
    let mut block: Option<usize> = None;
    for (i, raw) in src.lines().enumerate() {
        let spaces = raw.len() - raw.trim_start_matches(' ').len();
        let body = &raw[spaces..];
        if body.trim().is_empty() {
            continue;
        }
        if block.is_some_and(|b| spaces > b) {
            continue;
        }
        block = None;
        if body.starts_with('#') {
            continue;
        }
        let mut rest = body;
        let mut item = false;
        while let Some(r) = rest.strip_prefix("- ") {
            rest = r.trim_start_matches(' ');
            item = true;
        }
        let indent = raw.len() - rest.len();
        let Some((key, value)) = key_of(rest) else {
            continue;
        };
        let v = value.trim_start();
        if v.starts_with('|') || v.starts_with('>') {
            block = Some(spaces);
        }
        if item {
            // A list item starts a new mapping at its key's indentation.
            stack.retain(|(n, _)| *n < indent);
            stack.push((indent, BTreeMap::new()));
        } else {
            stack.retain(|(n, _)| *n <= indent);
            if stack.last().is_none_or(|(n, _)| *n != indent) {
                stack.push((indent, BTreeMap::new()));
            }
        }
        let Some((_, keys)) = stack.last_mut() else {
            continue;
        };
        match keys.get(key) {
            Some(&first) => out.push(Duplicate {
                key: key.to_owned(),
                first,
                line: i + 1,
                column: raw[..indent].chars().count() + 1,
            }),
            None => {
                keys.insert(key.to_owned(), i + 1);
            }
        }
    }
    out
}

/// `key: value` split at the colon, for a plain key.
fn key_of(body: &str) -> Option<(&str, &str)> {
    let end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(body.len());
    let (key, after) = body.split_at(end);
    let value = after.strip_prefix(':')?;
    (!key.is_empty() && (value.is_empty() || value.starts_with([' ', '\t'])))
        .then_some((key, value))
}

/// The error for a key written twice; `near` is the line the parser gave,
/// used to choose among several duplicates of the same key.
pub(super) fn diagnostic(file: &Path, src: &str, key: &str, near: Option<usize>) -> Diagnostic {
    let all: Vec<Duplicate> = find(src).into_iter().filter(|d| d.key == key).collect();
    let chosen = match near {
        Some(n) => all.iter().find(|d| d.first >= n).or(all.first()),
        None => all.first(),
    };
    let help =
        format!("删除其中一行，只保留正确的 `{key}`；如果两项都需要，检查是否有一项的缩进不对");
    let d = match chosen {
        Some(dup) => Diagnostic::new(
            file,
            format!(
                "`{key}` 写了两次：第 {} 行已经有 `{key}`，同一级中每个键只能出现一次",
                dup.first
            ),
        )
        .at(src, dup.line, dup.column),
        None => Diagnostic::new(
            file,
            format!("`{key}` 写了两次：同一级中每个键只能出现一次"),
        )
        .at_opt(src, near.map(|l| (l, 1))),
    };
    super::secret::guard(d.field(key).help(help), src)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_key_of_the_same_mapping_only() {
        let src = "a: 1\nb:\n  x: 1\n  x: 2\nc:\n  - x: 1\n    y: 2\n  - x: 3\nbody: |\n  a: 1\n  a: 2\na: 3\n";
        let d = find(src);
        assert_eq!(
            d,
            [
                Duplicate {
                    key: "x".into(),
                    first: 3,
                    line: 4,
                    column: 3
                },
                Duplicate {
                    key: "a".into(),
                    first: 1,
                    line: 12,
                    column: 1
                },
            ]
        );
    }
}
