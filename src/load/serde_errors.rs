//! serde_yaml's errors in plain Chinese: an unknown key or value, a missing
//! key, a value of the wrong form, a key written twice, and syntax errors
//! (see [`super::syntax`]). No word of the parser's English is kept; our own
//! messages (dates, credit codes, empty text) pass through, placed at the
//! value. A message about a line inside `confidential:` names the key only.

use std::path::Path;

use super::yaml::{
    between, expected_list, locate, locate_key_from, split_path, suggest, value_line,
};
use super::{choices, duplicates, secret, syntax};
use crate::diagnostics::Diagnostic;

/// The error's text without serde_yaml's ` at line L column C`, and that
/// position when the text carried it (serde_yaml reports 1:1 for errors it
/// cannot place).
fn position(err: &serde_yaml::Error) -> (String, Option<(usize, usize)>) {
    let mut text = err.to_string();
    let mut pos = None;
    if let Some(loc) = err.location() {
        let marker = format!(" at line {} column {}", loc.line(), loc.column());
        if text.contains(&marker) {
            text = text.replacen(&marker, "", 1);
            pos = Some((loc.line(), loc.column()));
        }
    }
    (text, pos)
}

/// `organization.region` from a parent path and a key.
fn join(parent: Option<&str>, name: &str) -> String {
    match parent {
        Some(p) => format!("{p}.{name}"),
        None => name.to_owned(),
    }
}

/// The last key of a dotted path (`objection.outcome` → `outcome`).
fn last(path: &str) -> &str {
    path.rsplit(['.', ']', '['])
        .find(|s| !s.is_empty() && s.parse::<usize>().is_err())
        .unwrap_or(path)
}

/// Path components for [`locate`] (`a.b[1].c` → `a`, `b`, `1`, `c`).
fn components(path: &str) -> Vec<&str> {
    path.split(['.', '[', ']'])
        .filter(|s| !s.is_empty())
        .collect()
}

/// Turns a serde_yaml error into a diagnostic with field, position and a hint.
pub fn from_yaml_error(file: &Path, src: &str, err: &serde_yaml::Error) -> Diagnostic {
    let (text, pos) = position(err);
    let (field, message) = split_path(&text);
    let parent = field.as_deref();
    let d = if let Some(name) = between(&message, "unknown field `", "`") {
        unknown_field(file, src, parent, name, &message, pos)
    } else if let Some(name) = between(&message, "unknown variant `", "`") {
        unknown_variant(file, src, parent, name, &message, pos)
    } else if let Some(name) = between(&message, "missing field `", "`") {
        missing_field(file, src, parent, name, pos)
    } else if let Some(name) = between(&message, "duplicate field `", "`")
        .or_else(|| between(&message, "duplicate entry with key \"", "\""))
    {
        duplicates::diagnostic(file, src, name, pos.map(|p| p.0))
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        invalid_type(file, src, parent, rest, pos)
    } else if message.starts_with("invalid value") || message.starts_with("invalid length") {
        let what = parent.map_or("这个值".to_owned(), |p| format!("`{}` 的值", last(p)));
        let mut d = Diagnostic::new(file, format!("{what}不符合要求"))
            .help("对照模板（biaogan new）或同类记录检查这个值的写法")
            .at_opt(src, pos);
        d.field = field.clone();
        d
    } else if message.contains("recursion limit exceeded")
        || message.contains("repetition limit exceeded")
    {
        Diagnostic::new(file, "嵌套层数或重复引用太多：任何记录都不需要这样写")
            .help("这个文件可能已损坏：从备份或模板重新建立这条记录")
            .at_opt(src, pos)
    } else if field.is_some() || message.contains("biaogan value check") || has_cjk(&message) {
        own_message(file, src, field, message, pos)
    } else {
        syntax::explain(file, src, &message, pos)
    };
    secret::guard(d, src)
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn unknown_field(
    file: &Path,
    src: &str,
    parent: Option<&str>,
    name: &str,
    message: &str,
    pos: Option<(usize, usize)>,
) -> Diagnostic {
    let expected = expected_list(message);
    let allowed = expected.join("、");
    let help = match suggest(name, &expected) {
        Some(s) => format!("是否想写 `{s}`？这里可以写：{allowed}"),
        None if expected.is_empty() => format!("删除 `{name}`：这里不能写其他项"),
        None => format!(
            "删除 `{name}`，或者改正拼写（保密信息请写在 `confidential:` 下面）。这里可以写：{allowed}"
        ),
    };
    // Point at the key itself rather than the start of its mapping.
    let at = pos.and_then(|p| locate_key_from(src, name, p.0)).or(pos);
    let within = parent.map_or(String::new(), |p| format!("`{}` 中", last(p)));
    Diagnostic::new(
        file,
        format!("{within}不能写 `{name}`：这不是这里可以使用的键"),
    )
    .field(join(parent, name))
    .help(help)
    .at_opt(src, at)
}

fn unknown_variant(
    file: &Path,
    src: &str,
    field: Option<&str>,
    name: &str,
    message: &str,
    pos: Option<(usize, usize)>,
) -> Diagnostic {
    let expected = expected_list(message);
    let key = field.map_or("这一项", last);
    let secret = pos.is_some_and(|p| secret::is_secret(src, p.0));
    let mut help = format!("`{key}` 可选：{}", choices::listed(&expected));
    let meant = choices::by_meaning(name, &expected).or_else(|| suggest(name, &expected));
    if let Some(s) = meant.filter(|_| !secret) {
        help = format!("是否想写 {s}？{help}");
    }
    let message = if secret {
        format!("`{key}` 的值不是可以使用的值")
    } else {
        format!("`{name}` 不是 `{key}` 可以使用的值：这里要写下列英文值之一")
    };
    let mut d = Diagnostic::new(file, message).help(help).at_opt(src, pos);
    d.field = field.map(str::to_owned);
    d
}

fn missing_field(
    file: &Path,
    src: &str,
    parent: Option<&str>,
    name: &str,
    pos: Option<(usize, usize)>,
) -> Diagnostic {
    let full = join(parent, name);
    let Some(parent) = parent else {
        return Diagnostic::new(file, format!("缺少必填项 `{name}`"))
            .field(full)
            .help(format!(
                "在文件中加上一行 {name}: …（可对照 biaogan new 生成的模板）"
            ));
    };
    // Place it at the mapping's key; serde_yaml points at its first entry.
    let at = locate(src, &components(parent)).or(pos);
    let line = at.map_or(String::new(), |(l, _)| format!("（第 {l} 行）"));
    Diagnostic::new(
        file,
        format!("`{}`{line}中缺少必填项 `{name}`", last(parent)),
    )
    .field(full)
    .help(format!(
        "在 `{}` 下面加上 {name}: …，与其他项对齐",
        last(parent)
    ))
    .at_opt(src, at)
}

/// A kind of value as editors know it, from serde's description of it.
fn kind(described: &str) -> &'static str {
    let d = described.trim();
    let has = |w: &str| d.contains(w);
    if has("struct") || d == "map" || has("a map") {
        "一组“键: 值”"
    } else if has("sequence") || has("a list") {
        "列表"
    } else if has("i64")
        || has("u64")
        || has("i32")
        || has("u32")
        || has("u8")
        || has("u16")
        || has("usize")
        || has("integer")
    {
        "整数"
    } else if has("f64") || has("f32") || has("floating point") {
        "数字"
    } else if has("bool") {
        "true 或 false"
    } else if has("unit") || has("null") {
        "空值"
    } else if has("variant") || has("enum") {
        "下列值之一"
    } else if has("string") || has("文字") || has("char") {
        "文字"
    } else {
        "其他写法"
    }
}

fn invalid_type(
    file: &Path,
    src: &str,
    field: Option<&str>,
    rest: &str,
    pos: Option<(usize, usize)>,
) -> Diagnostic {
    // "string \"x\", expected i64": the value may hold ", expected", so split at the last.
    let (found, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
    let (found, expected) = (kind(found), kind(expected));
    let what = field.map_or("这个值".to_owned(), |f| format!("`{}` 的值", last(f)));
    let example = field.map_or("键".to_owned(), |f| last(f).to_owned());
    let help = match expected {
        "整数" => format!("只写数字，不加引号和其他文字，例如 {example}: 7"),
        "文字" => {
            format!("值中有冒号、# 或以 [ {{ 开头时，给整个值加引号，例如 {example}: \"…\"")
        }
        "列表" => format!("写成 {example}: [甲, 乙]，或者每项一行、以 - 开头"),
        "一组“键: 值”" => format!("在 {example}: 下面另起一行，缩进两个空格，写出它的各项"),
        "true 或 false" => "写 true（是）或 false（否）".to_owned(),
        _ => "对照模板（biaogan new）或同类记录检查这个值的写法".to_owned(),
    };
    let mut d = Diagnostic::new(file, format!("{what}应该是{expected}，这里写的是{found}"))
        .help(help)
        .at_opt(src, pos);
    d.field = field.map(str::to_owned);
    d
}

/// Our own messages (dates, credit codes, empty text): kept, and placed at
/// the value they quote (serde_yaml points at the enclosing mapping).
fn own_message(
    file: &Path,
    src: &str,
    mut field: Option<String>,
    message: String,
    mut pos: Option<(usize, usize)>,
) -> Diagnostic {
    if let Some((line, col, key)) = pos.and_then(|(l, _)| value_line(src, l, &message)) {
        pos = Some((line, col));
        field = Some(join(field.as_deref(), &key));
    }
    let secret = pos.is_some_and(|p| secret::is_secret(src, p.0));
    let message = if secret {
        // Our messages quote the value; a confidential one is never shown.
        let key = field.as_deref().map_or("这一项", last);
        format!("`{key}` 的值不符合要求")
    } else {
        message
    };
    let mut d = Diagnostic::new(file, message).at_opt(src, pos);
    d.field = field;
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_in_chinese() {
        assert_eq!(kind("string \"x\""), "文字");
        assert_eq!(kind("i64"), "整数");
        assert_eq!(kind("struct Organization"), "一组“键: 值”");
        assert_eq!(kind("a sequence"), "列表");
        assert_eq!(last("objection.outcome"), "outcome");
        assert_eq!(last("notice.attachments[1]"), "attachments");
    }
}
