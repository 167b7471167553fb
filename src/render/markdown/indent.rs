//! First-line indentation as Word and WPS write it (four spaces, a tab,
//! full-width spaces U+3000, or a mixture) starts a paragraph, never a code
//! block: the indentation CommonMark would read as an indented code block is
//! removed before the real parse. Fenced code blocks (```) are untouched.
//!
//! Removing characters shifts columns; [`Prepared::position`] maps an offset
//! of the prepared text back to the line and column the editor sees.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// Markdown text ready to parse, with what was removed from it.
pub(super) struct Prepared {
    /// The text to parse.
    pub(super) text: String,
    /// Per changed line (0-based): the byte offset in `text` where characters
    /// were removed and how many characters.
    cuts: Vec<(usize, usize, usize)>,
    /// Byte offset of the start of every line of `text`.
    line_starts: Vec<usize>,
}

impl Prepared {
    /// The 1-based line and column (in characters of the original text) of
    /// byte `offset` of the prepared text.
    pub(super) fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        // An offset inside a character (a tag reader's guess in hostile
        // input) is read as the character it falls in, never a panic.
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.line_starts[line];
        let mut column = self.text[start..offset].chars().count() + 1;
        if let Some(&(_, at, removed)) = self.cuts.iter().find(|(l, ..)| *l == line) {
            if offset >= at {
                column += removed;
            }
        }
        (line + 1, column)
    }

    /// The original text of the 1-based `line`, to show under a message.
    pub(super) fn source_line<'a>(&self, original: &'a str, line: usize) -> Option<&'a str> {
        original.lines().nth(line.checked_sub(1)?)
    }
}

/// Whitespace of a first-line indent.
fn is_indent(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}')
}

/// Removes the indentation that would make indented code blocks; a few
/// rounds, since a block quote's or list's content is only known after a parse.
pub(super) fn prepare(text: &str, options: pulldown_cmark::Options) -> Prepared {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = text.to_owned();
    let mut cuts: Vec<(usize, usize, usize)> = Vec::new();
    for _ in 0..4 {
        let lines = code_lines(&out, options);
        if lines.is_empty() {
            break;
        }
        // Cut from the end so earlier offsets stay valid.
        let starts = line_starts(&out);
        for r in lines.into_iter().rev() {
            let line = starts.partition_point(|&s| s <= r.start) - 1;
            let removed = out[r.clone()].chars().count();
            out.replace_range(r.clone(), "");
            match cuts.iter_mut().find(|(l, ..)| *l == line) {
                Some(c) => {
                    c.1 = r.start;
                    c.2 += removed;
                }
                None => cuts.push((line, r.start, removed)),
            }
        }
    }
    let line_starts = line_starts(&out);
    Prepared {
        text: out,
        cuts,
        line_starts,
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// For every line of an indented code block: the byte range of its
/// indentation (the code block's four columns, and any indentation after).
fn code_lines(text: &str, options: pulldown_cmark::Options) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut in_code = false;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if in_code && text.is_char_boundary(range.start) => {
                // `range` starts after the block's own indentation; take it
                // back (up to four columns, or one tab) and forward over any
                // indentation the text itself starts with.
                let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
                let before = &text[line_start..range.start];
                let mut start = range.start;
                for (columns, c) in before.chars().rev().enumerate() {
                    if c == '\t' {
                        start -= 1;
                        break;
                    }
                    if c != ' ' || columns == 4 {
                        break;
                    }
                    start -= 1;
                }
                let after = text[range.start..range.end]
                    .find(|c: char| !is_indent(c))
                    .map_or(range.end, |p| range.start + p);
                let end = after;
                // Only indentation is ever removed, once per line (a tab
                // split between containers can give odd ranges: left alone).
                let same_line = ranges
                    .last()
                    .is_some_and(|r: &Range<usize>| r.start >= line_start);
                if start < end
                    && !same_line
                    && text
                        .get(start..end)
                        .is_some_and(|s| s.chars().all(is_indent))
                {
                    ranges.push(start..end);
                }
            }
            _ => {}
        }
    }
    ranges
}

/// Whitespace a paragraph's first line may start with, which the site's own
/// first-line indent replaces.
pub(super) fn leading_indent(s: &str) -> usize {
    s.find(|c: char| !is_indent(c)).unwrap_or(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        let p = prepare(md, pulldown_cmark::Options::empty());
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, Parser::new(&p.text));
        out
    }

    #[test]
    fn every_first_line_indent_makes_a_paragraph() {
        for indent in [
            "    ",
            "\t",
            "  \t",
            "        ",
            " \u{3000}   ",
            "    \u{3000}\u{3000}",
        ] {
            for md in [
                format!("{indent}第一段。\n\n{indent}第二段。\n"),
                format!("## 标题\n{indent}正文。\n"),
                format!("## 标题\r\n\r\n{indent}正文。\r\n\r\n{indent}又一段。\r\n"),
                format!("\u{feff}{indent}正文。\n"),
                format!("> 引文\n>\n> {indent}正文。\n"),
            ] {
                let h = html(&md);
                assert!(!h.contains("<pre"), "{md:?} → {h}");
                assert!(
                    h.contains("正文。</p>") || h.contains("第一段。</p>"),
                    "{md:?} → {h}"
                );
            }
        }
    }

    #[test]
    fn list_items_keep_their_paragraphs() {
        let h = html("1. 第一点\n\n        正文。\n\n2. 第二点\n");
        assert!(!h.contains("<pre"), "{h}");
        assert!(h.contains("<li>\n<p>第一点</p>\n<p>正文。</p>"), "{h}");
    }

    #[test]
    fn fenced_code_stays_code() {
        let h = html("```\n    缩进的代码\n```\n");
        assert!(h.contains("<pre><code>    缩进的代码"), "{h}");
    }

    #[test]
    fn positions_count_the_removed_characters() {
        let p = prepare("甲\n\n    [a](b)\n", pulldown_cmark::Options::empty());
        assert_eq!(p.text, "甲\n\n[a](b)\n");
        let at = p.text.find("[a]").unwrap();
        assert_eq!(p.position(at), (3, 5));
        assert_eq!(p.position(0), (1, 1));
    }
}
