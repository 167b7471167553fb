//! Checks on the lines of a YAML record that the parser cannot make, because
//! what went wrong is valid YAML that means something else than the editor
//! wrote: ` #` starts a comment in a plain value (`title: 第#1号` is fine,
//! `title: 标杆 #1号` loses "#1号"; `# 说明` with a space is taken as a
//! comment the editor meant), and `key：value` with a full-width colon
//! is not a key at all.
//!
//! Block scalars (`|`, `>`) are Markdown and skipped. Lines inside a
//! `confidential:` block are placed by line and column only, never quoted.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// One line of a record as the scanner sees it.
struct Line<'a> {
    /// 1-based line number.
    number: usize,
    /// The line without indentation and list dashes.
    body: &'a str,
    /// Characters before `body`.
    offset: usize,
    /// Inside a `confidential:` block.
    secret: bool,
}

/// The lines outside block scalars and comments.
fn lines(src: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    // Indentation of the line that opened the current block scalar / confidential block.
    let mut block: Option<usize> = None;
    let mut secret: Option<usize> = None;
    for (i, raw) in src.lines().enumerate() {
        let trimmed = raw.trim_start_matches([' ', '\t']);
        let indent = raw.len() - trimmed.len();
        if trimmed.is_empty() {
            continue;
        }
        if block.is_some_and(|b| indent > b) {
            continue;
        }
        block = None;
        if secret.is_some_and(|s| indent <= s) {
            secret = None;
        }
        if trimmed.starts_with('#') {
            continue;
        }
        let mut body = trimmed;
        while let Some(rest) = body.strip_prefix("- ") {
            body = rest.trim_start();
        }
        if let Some((key, value)) = split_key(body) {
            let v = value.trim();
            if v.starts_with('|') || v.starts_with('>') {
                block = Some(indent);
            }
            if key == "confidential" && secret.is_none() {
                secret = Some(indent);
            }
        }
        let offset = raw[..raw.len() - body.len()].chars().count();
        out.push(Line {
            number: i + 1,
            body,
            offset,
            secret: secret.is_some_and(|s| indent > s) || body.starts_with("confidential:"),
        });
    }
    out
}

/// `key: value` split at the key's colon, for a plain identifier key.
fn split_key(body: &str) -> Option<(&str, &str)> {
    let (key, rest) = body.split_once(':')?;
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (plain && (rest.is_empty() || rest.starts_with([' ', '\t']))).then_some((key, rest))
}

/// An ASCII key followed by a full-width colon (`order：9`), if `body` starts with one.
fn full_width(body: &str) -> Option<&str> {
    let end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    let key = &body[..end];
    let starts = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    (starts
        && body[end..]
            .trim_start_matches([' ', '\t'])
            .starts_with('：'))
    .then_some(key)
}

/// Places `d` at `line`, `column`; the line is quoted unless it is confidential.
fn place(d: Diagnostic, src: &str, line: &Line, column: usize) -> Diagnostic {
    if line.secret {
        let mut d = d;
        d.line = Some(line.number);
        d.column = Some(column);
        d
    } else {
        d.at(src, line.number, column)
    }
}

/// An error at the first `key：value` with a full-width colon in `src`.
pub(super) fn full_width_key(file: &Path, src: &str) -> Option<Diagnostic> {
    lines(src).into_iter().find_map(|l| {
        let key = full_width(l.body)?;
        let d = Diagnostic::new(
            file,
            format!("`{key}` 后面是全角冒号“：”，YAML 不把它当作键：这一行会被并入上一项的值，或者无法解析"),
        )
        .field(key)
        .help(format!("把全角冒号改成英文冒号加一个空格，写成 {key}: …"));
        Some(place(d, src, &l, l.offset + 1))
    })
}

/// Adds the warnings of [`comment_warnings`] for a record that parsed.
pub(super) fn warn_comments(file: &Path, src: &str, diags: &mut Diagnostics) {
    for d in comment_warnings(file, src) {
        diags.push(d);
    }
}

/// Warnings for plain values that lost text to a ` #` comment.
pub(super) fn comment_warnings(file: &Path, src: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for l in lines(src) {
        let (key, value) = match split_key(l.body) {
            Some((k, v)) => (Some(k), v),
            None => (None, l.body),
        };
        let lead = value.len() - value.trim_start().len();
        let v = value.trim_start();
        if v.is_empty() || v.starts_with(['#', '"', '\'', '[', '{', '|', '>', '&', '*', '!']) {
            continue;
        }
        // `# 说明` (a space after #) reads as a comment the editor meant;
        // `#1号` is text that was lost.
        let lost = v.match_indices('#').map(|(i, _)| i).find(|&i| {
            v[..i].ends_with([' ', '\t']) && v[i + 1..].starts_with(|c: char| !c.is_whitespace())
        });
        let Some(hash) = lost else {
            continue;
        };
        let before = l.body.len() - value.len() + lead + hash;
        let column = l.offset + l.body[..before].chars().count() + 1;
        let what = key.map_or(String::new(), |k| format!("`{k}` 的值中，"));
        let d = Diagnostic::new(file, format!("{what}# 之后的内容被当作注释删除了"))
            .help("如果 # 是标题或内容的一部分，请给整个值加引号，例如 title: \"质量标杆 #1号\"")
            .warning();
        let d = match key {
            Some(k) => d.field(k),
            None => d,
        };
        out.push(place(d, src, &l, column));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_in_plain_values_is_a_warning_at_the_hash() {
        let src = "title: 标杆 #1号\nnote: 第#1号\nurl: \"a #b\"\nbody: |\n  ## 一、背景 #x\nmethods:\n  - 质量 #2\n# 整行注释\nx: 1 # 说明\n";
        let w = comment_warnings(Path::new("c.yaml"), src);
        let at: Vec<_> = w.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(Some(1), Some(11)), (Some(7), Some(8))]);
        assert!(w.iter().all(Diagnostic::is_warning));
        assert!(
            w[0].message
                .contains("`title` 的值中，# 之后的内容被当作注释删除了"),
            "{}",
            w[0].message
        );
    }

    #[test]
    fn full_width_colon_after_a_key_is_found_but_not_in_text() {
        let src = "title: 数字化：追溯\n  order：9\nbody: |\n  name：不是键\n";
        let d = full_width_key(Path::new("c.yaml"), src).expect("found");
        assert_eq!((d.line, d.column), (Some(2), Some(3)));
        assert_eq!(d.field.as_deref(), Some("order"));
        assert!(full_width_key(Path::new("c.yaml"), "title: 方法：PDCA\n").is_none());
    }

    #[test]
    fn confidential_lines_are_never_quoted() {
        let src = "confidential:\n  reviewer_comments: 秘密 #1\n  phone：138\ntitle: x\n";
        let w = comment_warnings(Path::new("c.yaml"), src);
        assert_eq!(w.len(), 1);
        assert!(w[0].source_line.is_none() && !w[0].message.contains("秘密"));
        let d = full_width_key(Path::new("c.yaml"), src).expect("found");
        assert!(
            d.source_line.is_none() && !d.to_string().contains("138"),
            "{d}"
        );
    }
}
