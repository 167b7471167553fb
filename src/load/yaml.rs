//! Parsing YAML records into typed values, with positioned, helpful errors.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;

pub use super::serde_errors::from_yaml_error;

/// Parses `src` (the text of `file`) into `T`, or explains what is wrong.
pub fn parse<T: DeserializeOwned>(file: &Path, src: &str) -> Result<T, Diagnostic> {
    if let Some(line) = too_deep(src) {
        let mut d = Diagnostic::new(
            file,
            format!("`{{` 和 `[` 嵌套超过 {MAX_DEPTH} 层：任何记录都不需要这么深的嵌套"),
        )
        .help("这个文件可能已损坏：从备份或模板重新建立这条记录");
        d.line = Some(line);
        return Err(d);
    }
    if let Some(d) = super::lines::full_width_key(file, src) {
        return Err(d);
    }
    if let Some(d) = super::syntax::full_width_indent(file, src) {
        return Err(d);
    }
    super::values::check(file, src)?;
    serde_yaml::from_str(src).map_err(|e| from_yaml_error(file, src, &e))
}

/// Deepest flow nesting accepted: the YAML parser's time grows steeply with
/// depth, and real records stay below five.
const MAX_DEPTH: usize = 100;

/// The line where flow collections nest too deeply (quotes are not parsed:
/// a bracket in text only counts towards a limit no record comes near).
fn too_deep(src: &str) -> Option<usize> {
    let mut depth: usize = 0;
    for (i, line) in src.lines().enumerate() {
        for c in line.chars() {
            match c {
                '{' | '[' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some(i + 1);
                    }
                }
                '}' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

/// Where the value quoted in `message` (between backticks) is written, at
/// or after line `from`: (line, column, key). Finds it in block lines and in
/// flow mappings (`organization: {name: 甲, credit_code: X}`) alike.
pub(super) fn value_line(src: &str, from: usize, message: &str) -> Option<(usize, usize, String)> {
    let value = between(message, "`", "`")?;
    if value.is_empty() {
        return None;
    }
    let is_key = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    for (i, raw) in src.lines().enumerate().skip(from.checked_sub(1)?) {
        for (b, _) in raw.match_indices(value) {
            let after = &raw[b + value.len()..];
            if !(after.is_empty() || after.starts_with(['"', '\'', ',', '}', ']', ' ', '\t'])) {
                continue;
            }
            let before = raw[..b].trim_end_matches(['"', '\'']).trim_end();
            let Some(head) = before.strip_suffix(':') else {
                continue;
            };
            let start = head.trim_end_matches(is_key).len();
            let key = &head[start..];
            if !key.is_empty() {
                return Some((i + 1, raw[..b].chars().count() + 1, key.to_owned()));
            }
        }
    }
    None
}

pub(super) fn split_path(text: &str) -> (Option<String>, String) {
    if let Some((head, tail)) = text.split_once(": ") {
        let looks_like_path = !head.is_empty()
            && head
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '-'));
        if looks_like_path && head != "." {
            return (Some(head.to_owned()), tail.to_owned());
        }
    }
    (None, text.to_owned())
}

pub(super) fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

pub(super) fn expected_list(message: &str) -> Vec<String> {
    let Some(i) = message.find("expected") else {
        return Vec::new();
    };
    message[i..]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The closest allowed name to a misspelt one, if it is close enough.
pub fn suggest(name: &str, allowed: &[String]) -> Option<String> {
    allowed
        .iter()
        .map(|a| (strsim::jaro_winkler(name, a), a))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, a)| a.clone())
}

pub(super) fn locate_key_from(src: &str, key: &str, from_line: usize) -> Option<(usize, usize)> {
    for (i, line) in src.lines().enumerate().skip(from_line.saturating_sub(1)) {
        let body = line.trim_start().trim_start_matches("- ").trim_start();
        if let Some(rest) = body.strip_prefix(key) {
            if rest.trim_start().starts_with(':') {
                let col = line.chars().count() - body.chars().count() + 1;
                return Some((i + 1, col));
            }
        }
    }
    None
}

/// Finds where the value of a field lives in block-style YAML.
///
/// `path` holds mapping keys and list indices (`["notice", "attachments", "1",
/// "file"]`). Returns 1-based line and character column of the value (or of
/// the key when the value is on following lines); `None` when not found, so
/// callers fall back to a message without a position rather than a wrong one.
pub fn locate(src: &str, path: &[&str]) -> Option<(usize, usize)> {
    let lines: Vec<&str> = src.lines().collect();
    let mut depth = 0usize;
    // Indentation that a line must exceed to belong to the current block.
    let mut floor: isize = -1;
    let mut best = None;
    let mut i = 0usize;
    // Items seen in the list at the current level (for numeric components).
    let mut item_seen: isize = -1;
    let mut item_indent: Option<usize> = None;
    while i < lines.len() && depth < path.len() {
        let raw = lines[i];
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        let indent = raw.len() - trimmed.len();
        let want = path[depth];
        // A number is a list index, unless it is a key here (`2024:` in holidays.yaml).
        let index = want
            .parse::<usize>()
            .ok()
            .filter(|_| key_value_col(raw, trimmed, want).is_none());
        if let Some(n) = index {
            if (indent as isize) < floor || (indent as isize == floor && !trimmed.starts_with('-'))
            {
                return best;
            }
            if trimmed.starts_with("- ") || trimmed == "-" {
                let ii = *item_indent.get_or_insert(indent);
                if indent == ii {
                    item_seen += 1;
                    if item_seen as usize == n {
                        let col = raw[..indent + 2.min(trimmed.len())].chars().count() + 1;
                        best = Some((i + 1, col));
                        depth += 1;
                        if depth == path.len() {
                            return best;
                        }
                        item_seen = -1;
                        item_indent = None;
                        // The rest of this line may hold the next key.
                        let inner = &trimmed[2.min(trimmed.len())..];
                        if let Some(hit) = key_value_col(raw, inner, path[depth]) {
                            best = Some((i + 1, hit));
                            depth += 1;
                            floor = (indent + 2) as isize;
                            if depth == path.len() {
                                return best;
                            }
                        } else if let Some(col) = flow_item_col(raw, inner, &path[depth..]) {
                            return Some((i + 1, col));
                        } else {
                            floor = (indent + 1) as isize - 1;
                        }
                    }
                }
            }
            i += 1;
            continue;
        }
        if (indent as isize) <= floor {
            return best;
        }
        let body = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        if let Some(col) = key_value_col(raw, body, want) {
            best = Some((i + 1, col));
            depth += 1;
            floor = indent as isize;
            if trimmed.starts_with("- ") {
                floor = (indent + 1) as isize;
            }
            if depth == path.len() {
                return best;
            }
            // A flow mapping on the same line (`key: {a: 1}`): look inside it.
            if let Some(col) = flow_key_col(raw, path[depth]) {
                return Some((i + 1, col));
            }
        }
        i += 1;
    }
    best
}

/// Column of the value of `key` if `body` (a suffix of `raw`) starts with it.
fn key_value_col(raw: &str, body: &str, key: &str) -> Option<usize> {
    let rest = body.strip_prefix(key)?;
    let rest_trim = rest.trim_start();
    let after_colon = rest_trim.strip_prefix(':')?;
    if !(after_colon.is_empty() || after_colon.starts_with(' ')) {
        return None;
    }
    let key_col = raw.chars().count() - body.chars().count() + 1;
    let value = after_colon.trim_start();
    if value.is_empty()
        || value.starts_with('#')
        || value.starts_with('|')
        || value.starts_with('>')
    {
        return Some(key_col);
    }
    Some(raw.chars().count() - value.chars().count() + 1)
}

/// Column of the last key of `path` when it is the only step left and the
/// list item's `inner` text is a flow mapping (`- {date: …, status: …}`).
fn flow_item_col(raw: &str, inner: &str, path: &[&str]) -> Option<usize> {
    match path {
        [key] if inner.starts_with('{') => flow_key_col(raw, key),
        _ => None,
    }
}

fn flow_key_col(raw: &str, key: &str) -> Option<usize> {
    let needle_a = format!("{{{key}:");
    let needle_b = format!(" {key}:");
    let byte = raw
        .find(&needle_a)
        .map(|b| b + 1)
        .or_else(|| raw.find(&needle_b).map(|b| b + 1))?;
    let after = &raw[byte + key.len() + 1..];
    let value_byte = byte + key.len() + 1 + (after.len() - after.trim_start().len());
    Some(raw[..value_byte].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_inside_a_list_item_written_as_a_flow_mapping() {
        let src = "status: cancelled\nchanges:\n  - {date: 2024-11-12, note: 延期, status: postponed}\n  - {date: 2024-11-20, note: 取消}\n";
        assert_eq!(locate(src, &["changes", "0", "status"]), Some((3, 42)));
        assert_eq!(locate(src, &["changes", "1", "date"]), Some((4, 12)));
        // A key the item does not have: the item itself.
        assert_eq!(locate(src, &["changes", "1", "status"]), Some((4, 5)));
    }

    const SRC: &str = "\
organization:
  name: 恒信公司
  credit_code: 91330100MA2XXXXXX1
field: 制造
notice:
  attachments:
    - title: 办法
      file: a.md
    - title: 申报书
      file: b.docx
iso9001: {certificate: X1, valid_until: 2024-01-01}
";

    #[test]
    fn locates_nested_keys() {
        assert_eq!(locate(SRC, &["organization", "credit_code"]), Some((3, 16)));
        assert_eq!(locate(SRC, &["field"]), Some((4, 8)));
        assert_eq!(locate(SRC, &["organization", "region"]), Some((1, 1)));
    }

    #[test]
    fn locates_list_items_and_flow_maps() {
        assert_eq!(
            locate(SRC, &["notice", "attachments", "1", "file"]),
            Some((10, 13))
        );
        assert_eq!(
            locate(SRC, &["notice", "attachments", "0", "title"]),
            Some((7, 14))
        );
        assert_eq!(locate(SRC, &["iso9001", "valid_until"]), Some((11, 41)));
    }

    #[test]
    fn unknown_field_error_names_field_position_and_suggestion() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Org {
            name: String,
            credit_code: String,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Rec {
            organization: Org,
        }
        let src = "organization:\n  name: x\n  credit_cod: y\n";
        let d = parse::<Rec>(Path::new("c.yaml"), src).unwrap_err();
        assert_eq!(d.field.as_deref(), Some("organization.credit_cod"));
        assert_eq!(d.line, Some(3));
        assert_eq!(d.column, Some(3));
        assert!(d.help.unwrap().contains("是否想写 `credit_code`"));
    }

    #[test]
    fn deep_flow_nesting_is_refused_with_its_line() {
        let src = format!("a: 1\nb: {}\n", "{a: ".repeat(100_000));
        let d = parse::<serde_yaml::Value>(Path::new("n.yaml"), &src).unwrap_err();
        assert_eq!(d.line, Some(2));
        assert!(parse::<serde_yaml::Value>(Path::new("ok.yaml"), "a: {b: [1, {c: 2}]}").is_ok());
    }

    #[test]
    fn no_position_when_parser_gives_none() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct R {
            a: String,
        }
        // serde_yaml reports 1:1 for a missing field; that is not a real position.
        let d = parse::<R>(Path::new("e.yaml"), "").unwrap_err();
        assert_eq!(d.line, None, "{d}");
        assert_eq!(d.field.as_deref(), Some("a"));
    }

    #[test]
    fn empty_required_text_is_placed_at_its_key() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Org {
            #[serde(deserialize_with = "crate::model::required::text")]
            name: String,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct R {
            a: u8,
            organization: Org,
            #[serde(deserialize_with = "crate::model::required::text")]
            title: String,
        }
        for (src, line, col, field) in [
            ("a: 1\norganization:\n  name: 甲\ntitle:\n", 4, 7, "title"),
            (
                "a: 1\norganization:\n  name: 甲\ntitle: null\n",
                4,
                8,
                "title",
            ),
            (
                "a: 1\norganization:\n  name: ~\ntitle: x\n",
                3,
                9,
                "organization.name",
            ),
            (
                "a: 1\norganization:\n  name: '  '\ntitle: x\n",
                3,
                9,
                "organization.name",
            ),
        ] {
            let d = parse::<R>(Path::new("r.yaml"), src).unwrap_err();
            assert_eq!((d.line, d.column), (Some(line), Some(col)), "{src:?}: {d}");
            assert_eq!(d.field.as_deref(), Some(field), "{d}");
            assert!(d.message.contains("不能为空"), "{d}");
        }
    }
}
