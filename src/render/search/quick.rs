//! The searchable text of plain Markdown without a Markdown parser.
//!
//! A summary is mostly paragraphs, headings, lists, tables and images; for
//! such a text the terms of [`super::text::plain`] (a full parse) can be had
//! from the lines themselves. Markup characters are neither letters nor
//! Chinese, so where they stay they only separate terms, as the line breaks
//! and cell ends of the parsed text do. What would join or add terms is
//! removed: the `[`, `![` and `](address)` around a link's or image's text,
//! the `**` of strong emphasis, the number of an ordered list item.
//! Anything whose reading needs the parser (other emphasis, code, escapes,
//! references, raw HTML, indented code, ragged tables) returns `None`. The
//! tests compare the terms of both on every fixture document and on random
//! mixes of awkward lines.

use super::tokens::{fold, is_han};

/// The text, or `None` when only a parser can tell.
#[cfg(test)]
pub(super) fn plain(text: &str) -> Option<String> {
    let mut out = String::new();
    push(text, &mut out).map(|()| out)
}

/// Appends the text to `out`; `None` (with `out` as it was) when only a
/// parser can tell.
pub(super) fn push(text: &str, out: &mut String) -> Option<()> {
    let from = out.len();
    let done = read(text, out);
    if done.is_none() {
        out.truncate(from);
    }
    done
}

fn read(text: &str, out: &mut String) -> Option<()> {
    let b = text.as_bytes();
    let hard = memchr::memchr3(b'_', b'~', b'`', b).is_some()
        || memchr::memchr3(b'\\', b'<', b'&', b).is_some();
    if hard || memchr::memmem::find(b, b"]:").is_some() {
        return None;
    }
    out.reserve(text.len());
    let mut previous = Line::Blank;
    let mut pipes: Option<usize> = None;
    for line in lines(text) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        // Indented code keeps its brackets and numbers (a paragraph's
        // indented continuation line is text, and read as such below).
        if line.starts_with('\t') || (indent >= 4 && !matches!(previous, Line::Text | Line::Item)) {
            return None;
        }
        let (rest, mut kind) = strip_containers(line, indent, previous)?;
        let blank = rest.trim().is_empty();
        let marked = memchr::memchr3(b'|', b'*', b'[', rest.as_bytes()).is_some()
            || memchr::memchr(b']', rest.as_bytes()).is_some();
        // Table rows: a parser drops cells beyond the header's, so every row
        // of a block must have as many, each between two pipes.
        if marked && rest.contains('|') {
            let row = rest.trim_end();
            let n = row.bytes().filter(|&c| c == b'|').count();
            if !(row.starts_with('|') && row.ends_with('|')) || pipes.is_some_and(|p| p != n) {
                return None;
            }
            pipes = Some(n);
        } else if blank {
            pipes = None;
        }
        if rest.starts_with(['#', '|']) || rest.trim().chars().all(|c| matches!(c, '-' | '=' | ' '))
        {
            // A heading, table row or rule: a line after it is never its text.
            kind = Line::Block;
        }
        if marked {
            links(&strong(rest)?, out)?;
        } else {
            out.push_str(rest);
        }
        out.push('\n');
        previous = if blank { Line::Blank } else { kind };
    }
    Some(())
}

/// The lines of `text` as `str::lines` gives them (a `\r` before each
/// `\n` dropped), found with memchr's vector search: lines of Chinese
/// paragraphs are long.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let last = !text.is_empty() && !text.ends_with('\n');
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(last.then_some(text.len()));
    ends.map(move |end| {
        let line = &text[start..end];
        start = end + 1;
        line.strip_suffix('\r').unwrap_or(line)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Blank,
    /// Paragraph text, which an indented line continues.
    Text,
    /// A list item's first line.
    Item,
    /// A heading, table row or rule.
    Block,
}

/// The line without block quote marks and list markers. An ordered list
/// item that a parser might read otherwise (indented, nested, or a number
/// other than 1 right under a line that may be text) returns `None`.
fn strip_containers(line: &str, indent: usize, previous: Line) -> Option<(&str, Line)> {
    let mut rest = line;
    let mut kind = Line::Text;
    loop {
        let t = rest.trim_start_matches(' ');
        if let Some(r) = t.strip_prefix('>') {
            rest = r;
        } else if let Some(r) = t
            .strip_prefix("- ")
            .or_else(|| t.strip_prefix("+ "))
            .or_else(|| t.strip_prefix("* "))
            .filter(|_| indent < 4 || previous == Line::Item)
        {
            rest = r;
            kind = Line::Item;
        } else if let Some((n, r)) = ordered_marker(t) {
            let r: &str = r;
            // Whether an indented or nested number starts a list depends on
            // the enclosing item's width: a parser's question.
            if t.len() != line.len() {
                return None;
            }
            // Under a line that may be text only a non-empty item numbered
            // 1 starts a list.
            if !matches!(previous, Line::Blank | Line::Item) && (n != 1 || r.trim().is_empty()) {
                return None;
            }
            rest = r;
            kind = Line::Item;
        } else {
            return Some((t, kind));
        }
    }
}

/// The line without the `**` of strong emphasis, which a parser removes and
/// so joins the text on either side. Only the plain case is read: runs of
/// exactly two, an even number of them, each opening run before a letter or
/// Chinese character and each closing run after one (so each can open or
/// close as CommonMark's flanking rules ask and they pair in order), and no
/// link or table cell for a pair to straddle.
fn strong(line: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !line.contains('*') {
        return Some(line.into());
    }
    if line.contains(['[', '|']) {
        return None;
    }
    let term = |c: Option<char>| c.is_some_and(|c| is_han(fold(c)) || fold(c).is_alphanumeric());
    let mut runs = 0;
    let mut rest = line;
    while let Some(at) = rest.find('*') {
        let len = rest[at..].bytes().take_while(|&b| b == b'*').count();
        let (before, after) = (
            rest[..at].chars().next_back(),
            rest[at + len..].chars().next(),
        );
        let ok = if runs % 2 == 0 {
            term(after)
        } else {
            term(before)
        };
        if len != 2 || !ok {
            return None;
        }
        runs += 1;
        rest = &rest[at + len..];
    }
    (runs % 2 == 0).then(|| line.replace('*', "").into())
}

/// `12. ` or `3) ` (up to nine digits, then a space or the line's end): the
/// number and the rest.
fn ordered_marker(s: &str) -> Option<(u64, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let after = &s[digits..];
    let rest = after.strip_prefix(['.', ')'])?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((s[..digits].parse().ok()?, rest))
}

/// Appends `line` with each `[text](address)` and `![text](address)` as its
/// text. `None` for any other bracket, or an address a parser might read
/// differently (spaces, quotes, parentheses, angle brackets).
fn links(line: &str, out: &mut String) -> Option<()> {
    let bracket = |s: &str| memchr::memchr2(b'[', b']', s.as_bytes());
    let mut rest = line;
    while let Some(open) = bracket(rest) {
        if rest.as_bytes()[open] == b']' {
            return None;
        }
        let image = rest[..open].ends_with('!');
        out.push_str(&rest[..open - usize::from(image)]);
        let after = &rest[open + 1..];
        let close = bracket(after)?;
        if !after[close..].starts_with("](") {
            return None;
        }
        let (label, tail) = (&after[..close], &after[close + 2..]);
        let end = tail.find(')')?;
        if tail[..end].contains([' ', '(', '"', '\'', '[', ']']) {
            return None;
        }
        out.push_str(label);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Some(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::PathBuf;

    use proptest::prelude::*;

    use super::super::text::parsed;
    use super::super::tokens::{each_term, Term};
    use super::*;

    /// How often each term occurs: what the index takes from a text.
    fn terms(text: &str) -> HashMap<Term<'static>, usize> {
        let mut m = HashMap::new();
        each_term(text, |t| {
            let t = match t {
                Term::Word(w) => Term::Word(w.into_owned().into()),
                Term::Pair(a, b) => Term::Pair(a, b),
                Term::Single(c) => Term::Single(c),
            };
            *m.entry(t).or_insert(0) += 1;
        });
        m
    }

    fn same_terms(text: &str) -> Result<bool, String> {
        match plain(text) {
            None => Ok(false),
            Some(quick) if terms(&quick) == terms(&parsed(text)) => Ok(true),
            Some(quick) => Err(format!(
                "{text:?}\nquick: {quick:?}\nparsed: {:?}",
                parsed(text)
            )),
        }
    }

    #[test]
    fn lines_are_those_of_str_lines() {
        for t in ["", "a", "a\n", "a\r\nb", "a\n\nb\n", "\n", "甲\r\n"] {
            assert_eq!(
                lines(t).collect::<Vec<_>>(),
                t.lines().collect::<Vec<_>>(),
                "{t:?}"
            );
        }
    }

    #[test]
    fn a_usual_summary_needs_no_parser() {
        let usual = "## 一、背景\n\n　　质量管理。\n\n![图1 框架](id/fig1.svg)\n\n\
                     面临的主要问题包括：\n\n- 要点一\n- 要点二\n\n1. 第一\n2. 第二\n\n\
                     | 指标 | 2023年 |\n|---|---:|\n| 合格率 | 99.1% |\n\n见[附件](a.html)所示。\n";
        assert_eq!(same_terms(usual), Ok(true));
        assert_eq!(plain("a*b"), None);
        assert_eq!(plain("[引用]\n\n[引用]: x"), None);
    }

    #[test]
    fn every_fixture_document_gives_the_parsed_terms() {
        let files: Vec<PathBuf> = crate::fixtures::markdown()
            .into_iter()
            .map(|(_, f)| f)
            .collect();
        let mut quick = 0;
        for f in files {
            if let Ok(text) = std::fs::read_to_string(&f) {
                quick += usize::from(same_terms(&text).unwrap());
            }
        }
        assert!(quick >= 20, "only {quick} documents took the quick path");
    }

    /// Lines that a parser reads in ways a line scan could get wrong.
    const LINES: &[&str] = &[
        "质量管理",
        "2023. 年度总结",
        "1. 第一项",
        "3) 第三项",
        "- 列表项",
        "  - 嵌套 2. 项",
        "    缩进四格 7. 文字 [链接](x)",
        "    1. 缩进编号",
        "\t制表符 8. 项",
        "> 引用 1. 项",
        "> - 引用列表",
        "## 标题 ##",
        "### 3. 标题中的编号",
        "| 1. 表格 | 单元 |",
        "|---|---:|",
        "| 1. 表格 | 单元 |多余",
        "| 三 | 个 | 单元 |",
        "甲 | 乙",
        "---",
        "文字\n---",
        "[链接](https://e.org/a)后文",
        "前文![图 说明](a/b.png)后文",
        "[不成对",
        "[空]()",
        "[带题](x \"题\")",
        "[a](b)[c](d)",
        "全角　空格　ＡＢＣ１２３",
        "",
        "123456789. 九位",
        "1234567890. 十位",
        "1.没有空格",
        "+ 加号项",
        "[引用][r]",
        "其中，**质量成本管理**的应用",
        "**FMEA**与**SPC**方法",
        "质量**管理",
        "a**b**c**d",
        "**，标点**开头",
        "* 星号项",
        "***三星***",
        "| **甲 | 乙** |",
        "**[链接](x)**",
        "跨行**开始\n结束**了",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn any_mix_of_lines_gives_the_parsed_terms(
            picks in proptest::collection::vec((0..LINES.len(), 0..3usize), 1..10)
        ) {
            let mut text = String::new();
            for (i, sep) in picks {
                text.push_str(LINES[i]);
                text.push_str(["\n", "\n\n", ""][sep]);
            }
            prop_assert!(same_terms(&text).is_ok(), "{}", same_terms(&text).unwrap_err());
        }
    }
}
