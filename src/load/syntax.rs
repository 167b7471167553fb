//! YAML syntax errors in plain Chinese, at the line where the mistake is.
//!
//! The parser reports where it gave up, often a line or more after the
//! mistake (an unclosed quote is reported at the end of the file), in its own
//! jargon. So the text is scanned for the mistakes editors make — Tab or
//! full-width spaces as indentation, an unclosed quote, a value that needs
//! quotes — and the one nearest before the parser's position is reported.
//! Messages name keys only, never values: the line may be confidential.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// A likely mistake found on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cause {
    /// 1-based line.
    line: usize,
    /// 1-based column in characters.
    column: usize,
    /// The key of the line, when it has one.
    key: Option<String>,
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// A tab in the indentation.
    Tab,
    /// A full-width space (U+3000) in the indentation.
    FullWidthSpace,
    /// A quoted value whose closing quote is missing.
    UnclosedQuote(char),
    /// Text after a value's closing quote (`"标杆"企业`).
    TextAfterQuote(char),
    /// A flow list or mapping (`[a, b`) whose closing bracket is missing.
    UnclosedBracket(char),
    /// A plain value starting with a character YAML reserves.
    Special(char),
    /// `: ` inside a plain value.
    ColonInValue,
    /// `key:value` without a space.
    NoSpace,
}

/// One line split into indentation, key and value.
struct Parts<'a> {
    /// Characters of indentation (spaces, tabs, full-width spaces) and dashes.
    offset: usize,
    key: Option<&'a str>,
    /// The value after `key: ` (or the list item), and its column.
    value: Option<(&'a str, usize)>,
}

fn parts(raw: &str) -> Parts<'_> {
    let mut body = raw.trim_start_matches([' ', '\t', '\u{3000}']);
    let mut item = false;
    while let Some(rest) = body
        .strip_prefix("- ")
        .or(if body == "-" { Some("") } else { None })
    {
        body = rest.trim_start_matches([' ', '\t']);
        item = true;
    }
    let offset = raw.chars().count() - body.chars().count();
    let key_end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(body.len());
    let key = &body[..key_end];
    let after = &body[key_end..];
    if !key.is_empty() && (after == ":" || after.starts_with(": ") || after.starts_with(":\t")) {
        let rest = &after[1..];
        let v = rest.trim_start_matches([' ', '\t']);
        let col = offset + body[..body.len() - v.len()].chars().count() + 1;
        return Parts {
            offset,
            key: Some(key),
            value: Some((v, col)),
        };
    }
    Parts {
        offset,
        key: (!key.is_empty() && after.starts_with(':') && !after.starts_with("://"))
            .then_some(key),
        value: item.then_some((body, offset + 1)),
    }
}

/// Whether `v` is a valid block scalar header (`|`, `>-`, `|2 # 说明`).
fn block_header(v: &str) -> bool {
    let rest = v[1..].trim_start_matches(['+', '-', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.is_empty() || rest.starts_with('#')
}

/// Where the quote opened at byte 0 of `v` closes: the byte after it.
fn closing(v: &str, q: char) -> Option<usize> {
    let mut it = v.char_indices().skip(1).peekable();
    while let Some((i, c)) = it.next() {
        if q == '"' && c == '\\' {
            it.next();
        } else if c == q {
            if q == '\'' && it.peek().is_some_and(|(_, n)| *n == '\'') {
                it.next();
                continue;
            }
            return Some(i + c.len_utf8());
        }
    }
    None
}

/// The likely mistakes of `src`, in line order. Lines of block scalars
/// (Markdown) are skipped; scanning stops at a quote that never closes.
fn causes(src: &str) -> Vec<Cause> {
    let lines: Vec<&str> = src.lines().collect();
    let mut out = Vec::new();
    let mut block: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let raw = lines[i];
        let number = i + 1;
        i += 1;
        let spaces = raw.len() - raw.trim_start_matches(' ').len();
        if raw.trim().is_empty() {
            continue;
        }
        if block.is_some_and(|b| spaces > b) {
            continue;
        }
        block = None;
        let p = parts(raw);
        let key = p.key.map(str::to_owned);
        let at = |column: usize, kind: Kind| Cause {
            line: number,
            column,
            key: key.clone(),
            kind,
        };
        let lead: String = raw
            .chars()
            .take_while(|c| matches!(c, ' ' | '\t' | '\u{3000}'))
            .collect();
        if let Some(c) = lead.chars().position(|c| c == '\t') {
            out.push(at(c + 1, Kind::Tab));
        } else if let Some(c) = lead.chars().position(|c| c == '\u{3000}') {
            out.push(at(c + 1, Kind::FullWidthSpace));
        }
        if raw.trim_start().starts_with('#') {
            continue;
        }
        if p.key.is_some() && p.value.is_none() {
            out.push(at(
                p.offset + p.key.map_or(0, |k| k.chars().count()) + 1,
                Kind::NoSpace,
            ));
            continue;
        }
        let Some((v, col)) = p.value else { continue };
        let Some(first) = v.chars().next() else {
            continue;
        };
        match first {
            '|' | '>' if block_header(v) => block = Some(spaces),
            '"' | '\'' if closing(v, first).is_none() => {
                match quote_spans(first, v, &lines[i..], spaces) {
                    Some(n) => i += n,
                    None => {
                        out.push(at(col, Kind::UnclosedQuote(first)));
                        return out;
                    }
                }
            }
            _ => out.extend(value_cause(v, col).map(|(c, kind)| at(c, kind))),
        }
    }
    out
}

/// The lines after a quoted value that does not close on its own line, up
/// to its closing quote: `None` when it never closes, or when the lines it
/// would swallow are keys of the same record (the quote was left unclosed).
fn quote_spans(q: char, v: &str, rest: &[&str], spaces: usize) -> Option<usize> {
    let joined = format!("{v}\n{}", rest.join("\n"));
    let n = closing(&joined, q).map(|end| joined[..end].matches('\n').count())?;
    let swallows = rest[..n.min(rest.len())].iter().any(|l| {
        let ind = l.len() - l.trim_start_matches(' ').len();
        ind <= spaces && parts(l).key.is_some()
    });
    (!swallows).then_some(n)
}

/// The mistake in a one-line value `v` at column `col`, if any: its column and kind.
fn value_cause(v: &str, col: usize) -> Option<(usize, Kind)> {
    let first = v.chars().next()?;
    match first {
        '"' | '\'' => {
            let end = closing(v, first)?;
            let tail = v[end..].trim_start_matches([' ', '\t']);
            let fine = tail.is_empty() || tail.starts_with(['#', ',', ']', '}']);
            (!fine).then(|| (col + v[..end].chars().count(), Kind::TextAfterQuote(first)))
        }
        '[' | '{' => (!balanced(v)).then_some((col, Kind::UnclosedBracket(first))),
        '*' | '@' | '&' | '!' | '%' | '`' | '|' | '>' => Some((col, Kind::Special(first))),
        _ => {
            let colon = v
                .find(": ")
                .or_else(|| v.find(":\t"))
                .or_else(|| v.strip_suffix(':').map(str::len));
            colon.map(|b| (col + v[..b].chars().count(), Kind::ColonInValue))
        }
    }
}

/// Whether the brackets of a one-line flow value close (quotes respected).
fn balanced(v: &str) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for c in v.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, '#') if depth == 0 => break,
            _ => {}
        }
    }
    depth <= 0
}

/// The name of a character YAML reserves at the start of a value.
fn special_name(c: char) -> &'static str {
    match c {
        '*' => "别名（引用锚点）",
        '&' => "锚点",
        '!' => "标签",
        '%' => "指令",
        '|' | '>' => "多行文本标记",
        _ => "保留符号",
    }
}

/// `key: "…"`, or `"…"` without a key.
fn quoted_example(key: Option<&str>) -> String {
    match key {
        Some(k) => format!("{k}: \"…\""),
        None => "- \"…\"".to_owned(),
    }
}

impl Cause {
    /// The message and help for this mistake.
    fn words(&self) -> (String, String) {
        let k = self.key.as_deref();
        let of = k.map_or("这一行".to_owned(), |k| format!("`{k}` 这一行"));
        let val = k.map_or("值".to_owned(), |k| format!("`{k}` 的值"));
        let ex = quoted_example(k);
        match self.kind {
            Kind::Tab => (
                format!("{of}用 Tab 键缩进：YAML 只能用空格缩进"),
                "把行首的 Tab 换成英文空格，与同一级的其他项对齐（通常每级两个空格）".into(),
            ),
            Kind::FullWidthSpace => (
                format!("{of}的缩进里有全角空格“　”：YAML 只认英文（半角）空格，这一行不会归到上一级下面"),
                "把行首的全角空格换成英文空格，与同一级的其他项对齐（中文输入法下请切换到半角再输入空格）".into(),
            ),
            Kind::UnclosedQuote(q) => (
                format!("{val}以引号 {q} 开头，但没有配对的结束引号：之后的内容都被当成了这个值"),
                format!("在值的末尾补上 {q}，或者去掉开头的 {q}；值本身含有 {q} 时，改用另一种引号包住整个值"),
            ),
            Kind::TextAfterQuote(q) => (
                format!("{val}在结束引号 {q} 之后还有文字：引号只能包住整个值，不能只包住其中一部分"),
                format!("给整个值加引号，例如 {ex}；值中的引号请用中文引号“”，或者改用另一种引号包住整个值"),
            ),
            Kind::UnclosedBracket(b) => {
                let close = if b == '[' { ']' } else { '}' };
                (
                    format!("{val}以 {b} 开头，但在这一行没有写结束的 {close}"),
                    format!("在值的末尾补上 {close}；如果 {b} 是文字的一部分，给整个值加引号，例如 {ex}"),
                )
            }
            Kind::Special(c) => (
                format!("{val}以 {c} 开头：在 YAML 中 {c} 是{}，不能直接作为文字的开头", special_name(c)),
                format!("给整个值加引号，例如 {ex}"),
            ),
            Kind::ColonInValue => (
                format!("{val}中有“冒号加空格”（: ）：YAML 会把它当成又一个键，值因此无法解析"),
                format!("给整个值加引号，例如 {ex}；或者把其中的冒号改成中文冒号“：”"),
            ),
            Kind::NoSpace => (
                format!("{of}的冒号后面少了一个空格：YAML 不把它当作键"),
                format!("在冒号后面加一个英文空格，写成 {}: …", k.unwrap_or("键")),
            ),
        }
    }
}

/// The error for the first line indented with full-width spaces, outside
/// Markdown blocks: YAML reads such a line as text of its own, so the record
/// often still parses and the mistake would be reported as another one.
pub(super) fn full_width_indent(file: &Path, src: &str) -> Option<Diagnostic> {
    let c = causes(src)
        .into_iter()
        .find(|c| c.kind == Kind::FullWidthSpace)?;
    Some(diagnostic(file, src, &c))
}

fn diagnostic(file: &Path, src: &str, c: &Cause) -> Diagnostic {
    let (message, help) = c.words();
    let d = Diagnostic::new(file, message)
        .help(help)
        .at(src, c.line, c.column);
    let d = match &c.key {
        Some(k) => d.field(k.clone()),
        None => d,
    };
    super::secret::guard(d, src)
}

/// Explains a syntax error the parser reported (`text`, at `pos` when known).
pub(super) fn explain(
    file: &Path,
    src: &str,
    text: &str,
    pos: Option<(usize, usize)>,
) -> Diagnostic {
    let found = causes(src);
    let chosen = match pos {
        Some((line, _)) => found.iter().rfind(|c| c.line <= line).or(found.first()),
        None => found.first(),
    };
    if let Some(c) = chosen {
        return diagnostic(file, src, c);
    }
    let message = if text.contains("more than one document") {
        "文件中有单独一行 ---：一个文件只能写一条记录"
    } else if text.contains("could not find expected ':'") {
        "这一行缺少冒号，或者它的缩进与上下文不一致"
    } else if text.contains("did not find expected '-'") {
        "列表的各项缩进不一致"
    } else if text.contains("unknown anchor") {
        "值以 * 开头：在 YAML 中 * 是别名（引用锚点），不能直接作为文字的开头"
    } else {
        "这里的 YAML 格式有误，无法读取这个文件"
    };
    let d = Diagnostic::new(file, message)
        .help("检查这一行和上一行：缩进只用英文空格并与同一级对齐，冒号后要有空格，引号要成对；值中有 : # * @ 等符号时给整个值加引号")
        .at_opt(src, pos);
    super::secret::guard(d, src)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(usize, usize, Kind)> {
        causes(src)
            .into_iter()
            .map(|c| (c.line, c.column, c.kind))
            .collect()
    }

    #[test]
    fn finds_the_mistakes_editors_make() {
        assert_eq!(kinds("a:\n\tb: 1\n"), [(2, 1, Kind::Tab)]);
        assert_eq!(
            kinds("a:\n\u{3000}\u{3000}b: 1\n"),
            [(2, 1, Kind::FullWidthSpace)]
        );
        assert_eq!(
            kinds("a: 1\nb: \"x\nc: 2\n"),
            [(2, 4, Kind::UnclosedQuote('"'))]
        );
        assert_eq!(kinds("b: \"x\n  y\"\nc: 2\n"), []);
        assert_eq!(
            kinds("b: \"x\nc: 2\nd: \"y\"\n"),
            [(1, 4, Kind::UnclosedQuote('"'))]
        );
        assert_eq!(kinds("b: 'it''s'\n"), []);
        assert_eq!(
            kinds("b: \"标杆\"企业\n"),
            [(1, 8, Kind::TextAfterQuote('"'))]
        );
        assert_eq!(kinds("f: *制造\n"), [(1, 4, Kind::Special('*'))]);
        assert_eq!(kinds("- @x\n"), [(1, 3, Kind::Special('@'))]);
        assert_eq!(kinds("f: 方法: PDCA\n"), [(1, 6, Kind::ColonInValue)]);
        assert_eq!(kinds("f:制造\n"), [(1, 2, Kind::NoSpace)]);
        assert_eq!(kinds("m: [a, b\n"), [(1, 4, Kind::UnclosedBracket('['))]);
        assert_eq!(kinds("m: [a, \"]\", {b: 1}]\n"), []);
        assert_eq!(kinds("url: https://x.cn/a\n- https://x\n"), []);
    }

    #[test]
    fn markdown_blocks_are_not_scanned() {
        let src =
            "body: |\n  \u{3000}\u{3000}首行缩进：正文 *强调* @某人\n\n  第二段: x\nnext: 1\n";
        assert_eq!(kinds(src), []);
        assert_eq!(kinds("body: |x\n"), [(1, 7, Kind::Special('|'))]);
    }
}
