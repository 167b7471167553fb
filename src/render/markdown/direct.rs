//! HTML written straight from the events, byte for byte as the sanitiser
//! would write it, for documents that give it nothing to remove: no raw
//! HTML, no footnotes, every address one it keeps.
//!
//! The sanitiser parses each document into a tree and serialises it again
//! (ammonia over html5ever). Skipping that took a 1,000-case build (without
//! the search index) from 1.08 to 0.89 s of CPU, median of six. For Markdown alone its output is predictable: void elements
//! without ` /`, the attributes it removes gone (`class`, `style`), `rel`
//! added to links, text escaped as html5ever escapes it. Anything this
//! writer does not know returns `None`, and the document takes the
//! sanitiser's path. The test below compares both paths on every document of
//! the sample site and the fixtures and on a set of awkward inputs.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Tag, TagEnd};

use super::sanitise::{valid_value, SCHEMES};

/// Whether documents may take this path; tests switch it off on their
/// thread to render the same document through the sanitiser.
#[cfg(not(test))]
pub(super) fn enabled() -> bool {
    true
}

#[cfg(test)]
pub(super) fn enabled() -> bool {
    !tests::SANITISER_ONLY.get()
}

/// The sanitised HTML of `events`, or `None` when only the sanitiser can
/// tell. `checked` holds every image address that was resolved; an image
/// with any other address is left out, as [`super::sanitise::tidy`] does.
pub(super) fn write(
    events: &[(Event, usize)],
    checked: &[&str],
    capacity: usize,
) -> Option<String> {
    let mut w = Writer {
        out: String::with_capacity(capacity),
        end_newline: true,
        in_head: false,
        in_link: false,
    };
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let (alt, next) = alt_text(events, i + 1)?;
                w.image(dest_url, title, &alt, checked)?;
                i = next;
                continue;
            }
            Event::Start(tag) => w.start(tag)?,
            Event::End(tag) => w.end(*tag)?,
            Event::Text(t) => {
                text(&mut w.out, t, false)?;
                w.end_newline = t.ends_with('\n');
            }
            Event::Code(t) => {
                w.out.push_str("<code>");
                text(&mut w.out, t, false)?;
                w.put("</code>");
            }
            Event::SoftBreak => w.put("\n"),
            Event::HardBreak => w.put("<br>\n"),
            Event::Rule => w.block("<hr>\n"),
            _ => return None,
        }
        i += 1;
    }
    #[cfg(test)]
    tests::WRITTEN.set(tests::WRITTEN.get() + 1);
    Some(w.out)
}

/// Mirrors pulldown-cmark's HTML writer, so that line breaks between blocks
/// fall where they fall in what the sanitiser is given.
struct Writer {
    out: String,
    /// Whether the output ends with a line break (pulldown's `end_newline`).
    end_newline: bool,
    /// Inside a table's head row (cells are `th`).
    in_head: bool,
    /// Inside a link: Markdown never nests them, but a parser would.
    in_link: bool,
}

impl Writer {
    fn put(&mut self, s: &str) {
        self.out.push_str(s);
        if !s.is_empty() {
            self.end_newline = s.ends_with('\n');
        }
    }

    /// A block start tag, on a line of its own.
    fn block(&mut self, s: &str) {
        if !self.end_newline {
            self.out.push('\n');
        }
        self.put(s);
    }

    fn start(&mut self, tag: &Tag) -> Option<()> {
        match tag {
            Tag::Paragraph => self.block("<p>"),
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                if *level == HeadingLevel::H1 || !classes.is_empty() || !attrs.is_empty() {
                    return None;
                }
                self.block(&format!("<{level}"));
                if let Some(id) = id {
                    if !valid_value("id", id) {
                        return None;
                    }
                    self.out.push_str(" id=\"");
                    text(&mut self.out, id, true)?;
                    self.out.push('"');
                }
                self.put(">");
            }
            Tag::Table(_) => self.put("<table>"),
            Tag::TableHead => {
                self.in_head = true;
                self.put("<thead><tr>");
            }
            Tag::TableRow => self.put("<tr>"),
            Tag::TableCell => self.put(if self.in_head { "<th>" } else { "<td>" }),
            Tag::BlockQuote(None) => self.block("<blockquote>\n"),
            // The language becomes a class, which the sanitiser drops.
            Tag::CodeBlock(_) => self.block("<pre><code>"),
            Tag::List(Some(1)) => self.block("<ol>\n"),
            Tag::List(Some(n)) => {
                if !valid_value("start", &n.to_string()) {
                    return None;
                }
                self.block(&format!("<ol start=\"{n}\">\n"));
            }
            Tag::List(None) => self.block("<ul>\n"),
            Tag::Item => self.block("<li>"),
            Tag::Emphasis => self.put("<em>"),
            Tag::Strong => self.put("<strong>"),
            Tag::Strikethrough => self.put("<del>"),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                if self.in_link {
                    return None;
                }
                self.in_link = true;
                let mailto = if *link_type == LinkType::Email {
                    "mailto:"
                } else {
                    ""
                };
                let href = address(mailto, dest_url)?;
                self.out.push_str("<a href=\"");
                text(&mut self.out, &href, true)?;
                if !title.is_empty() {
                    self.out.push_str("\" title=\"");
                    text(&mut self.out, title, true)?;
                }
                self.put("\" rel=\"noopener noreferrer\">");
            }
            _ => return None,
        }
        Some(())
    }

    fn end(&mut self, tag: TagEnd) -> Option<()> {
        if let TagEnd::Heading(level) = tag {
            self.put(&format!("</{level}>\n"));
            return Some(());
        }
        let s = match tag {
            TagEnd::Paragraph => "</p>\n",
            TagEnd::Table => "</tbody></table>\n",
            TagEnd::TableHead => {
                self.in_head = false;
                "</tr></thead><tbody>\n"
            }
            TagEnd::TableRow => "</tr>\n",
            TagEnd::TableCell if self.in_head => "</th>",
            TagEnd::TableCell => "</td>",
            TagEnd::BlockQuote(_) => "</blockquote>\n",
            TagEnd::CodeBlock => "</code></pre>\n",
            TagEnd::List(true) => "</ol>\n",
            TagEnd::List(false) => "</ul>\n",
            TagEnd::Item => "</li>\n",
            TagEnd::Emphasis => "</em>",
            TagEnd::Strong => "</strong>",
            TagEnd::Strikethrough => "</del>",
            TagEnd::Link => {
                self.in_link = false;
                "</a>"
            }
            _ => return None,
        };
        self.put(s);
        Some(())
    }

    /// An image, or nothing when its address was not checked (the sanitiser
    /// and `tidy` remove it then).
    fn image(&mut self, url: &str, title: &str, alt: &str, checked: &[&str]) -> Option<()> {
        // pulldown's writer leaves `end_newline` false after an image.
        self.end_newline = false;
        let Some(src) = address("", url) else {
            return Some(());
        };
        let decoded = |u: &str| crate::urls::percent_decode(u).into_owned();
        let known =
            checked.contains(&src.as_str()) || checked.iter().any(|c| decoded(c) == decoded(&src));
        if !known {
            return Some(());
        }
        self.out.push_str("<img src=\"");
        text(&mut self.out, &src, true)?;
        self.out.push_str("\" alt=\"");
        text(&mut self.out, alt, true)?;
        if !title.is_empty() {
            self.out.push_str("\" title=\"");
            text(&mut self.out, title, true)?;
        }
        self.out.push_str("\">");
        Some(())
    }
}

/// An image's description as pulldown writes it into `alt`, and the index
/// after the image's end.
fn alt_text(events: &[(Event, usize)], mut i: usize) -> Option<(String, usize)> {
    let mut alt = String::new();
    let mut nest = 0;
    while let Some((e, _)) = events.get(i) {
        i += 1;
        match e {
            Event::Start(_) => nest += 1,
            Event::End(_) if nest == 0 => return Some((alt, i)),
            Event::End(_) => nest -= 1,
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => alt.push(' '),
            _ => return None,
        }
    }
    None
}

/// The address as the sanitiser reads it from pulldown's `href`: percent-
/// encoded by pulldown, its `&` and `'` references decoded by the HTML
/// parser. `None` when the sanitiser would drop it (a scheme outside
/// [`SCHEMES`], or an address the URL parser refuses).
fn address(prefix: &str, url: &str) -> Option<String> {
    let mut href = String::from(prefix);
    pulldown_cmark_escape::escape_href(&mut href, url).ok()?;
    let href = href.replace("&amp;", "&").replace("&#x27;", "'");
    match url::Url::parse(&href) {
        Ok(u) if SCHEMES.contains(&u.scheme()) => Some(href),
        Err(url::ParseError::RelativeUrlWithoutBase) => Some(href),
        _ => None,
    }
}

/// Appends `s` escaped as html5ever's serialiser escapes text (`attr`
/// false) or attribute values. `None` for a carriage return or NUL, which
/// the HTML parser would rewrite.
fn text(out: &mut String, s: &str, attr: bool) -> Option<()> {
    let bytes = s.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if attr => "&quot;",
            0xA0 if i > 0 && bytes[i - 1] == 0xC2 => {
                out.push_str(&s[last..i - 1]);
                out.push_str("&nbsp;");
                last = i + 1;
                continue;
            }
            b'\r' | b'\0' => return None,
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
    Some(())
}

#[cfg(test)]
pub(super) mod tests {
    use std::cell::Cell;
    use std::path::Path;

    use proptest::prelude::*;

    use super::super::{render_text, Images};
    use super::*;

    thread_local! {
        pub(super) static SANITISER_ONLY: Cell<bool> = const { Cell::new(false) };
        /// Documents this writer wrote.
        pub(super) static WRITTEN: Cell<usize> = const { Cell::new(0) };
    }

    /// The document's HTML from this writer's path (where it takes it) and
    /// from the sanitiser's; `None` if it does not render.
    fn both(file: &Path, text: &str, images: &Images) -> Option<(String, String)> {
        let html = render_text(file, text, images).ok()?.html;
        SANITISER_ONLY.set(true);
        let sanitised = render_text(file, text, images).map(|h| h.html);
        SANITISER_ONLY.set(false);
        Some((html, sanitised.expect("renders on one path only")))
    }

    #[test]
    fn every_document_of_the_sample_and_the_fixtures_renders_as_the_sanitiser_writes_it() {
        let mut compared = 0;
        let written = WRITTEN.get();
        for (site, f) in crate::fixtures::markdown() {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let base = f.parent().unwrap();
            let dir = base.join(f.file_stem().unwrap());
            let images = Images::From {
                root: &site,
                base,
                dir: &dir,
            };
            let Some((html, sanitised)) = both(&f, &text, &images) else {
                continue;
            };
            assert_eq!(html, sanitised, "{}", f.display());
            compared += 1;
        }
        let direct = WRITTEN.get() - written;
        assert!(compared >= 20, "only {compared} documents compared");
        assert!(
            direct >= 10,
            "only {direct} documents took this writer's path"
        );
    }

    #[test]
    fn text_is_escaped_as_html5ever_escapes_it() {
        let mut s = String::new();
        text(&mut s, "a&b<c>\"d\u{a0}e\u{a1}", false).unwrap();
        assert_eq!(s, "a&amp;b&lt;c&gt;\"d&nbsp;e\u{a1}");
        let mut s = String::new();
        text(&mut s, "\"x\"", true).unwrap();
        assert_eq!(s, "&quot;x&quot;");
        assert!(text(&mut String::new(), "a\r\nb", false).is_none());
    }

    /// Pieces of Markdown that exercise what this writer must get exactly
    /// right: escaping, addresses, void elements, lists, tables, images.
    pub(in crate::render::markdown) const PIECES: &[&str] = &[
        "质量管理\n数字化升级",
        "A & B < C > D \"E\" 'F'",
        "不间断\u{a0}空格 &nbsp; &amp; &copy; &#x27;",
        "[链接](https://example.org/a?b=1&c='2' \"标题 \\\"引\\\"\")",
        "[相对](../x/y.html#z) [空]() [邮件](mailto:a@b.c) <a@b.c> <https://e.org/x>",
        "[坏](javascript:alert(1)) [怪](http://[bad) [数据](data:text/html,x)",
        "[中文地址](https://例子.中国/路径 空格)",
        "![图](https://example.org/a.png \"题\") ![](https://example.org/b.png)",
        "[![图中链](https://example.org/c.png)](https://example.org/)",
        "## 标题 {#id-1}\n\n### 三级\n\n#### 四级\n\n# 一级",
        "## 属性 {.cls key=v}",
        "1. 一\n2. 二\n\n3000000. 大\n\n7. 七\n8. 八",
        "- 甲\n  - 乙\n    - 丙\n- 丁\n\n  续段",
        "> 引用\n> 第二行\n>\n> - 列表",
        "```rust\nfn main() { \"<x>\" }\n```",
        "~~~\n& <b> 无语言\n\n~~~",
        "1234567. 超过六位的起始编号\n2. 二",
        "| 左 | 中 | 右 |\n|:--|:-:|--:|\n| `a|b` | **粗** | ~~删~~ |\n| 1 | 2 | 3 |",
        "| 只有表头 |\n|---|",
        "行尾两空格  \n硬换行\\\n再一行",
        "---\n\n***\n\n文字\n***",
        "*强调* **加粗** ***两者*** ~~删除~~ `代码 <t>`",
        "　　全角缩进的段落\n　　又一段",
        "脚注[^1]\n\n[^1]: 注释",
        "<b>原始</b> HTML",
        "&#0; &#x0D; \u{fffd}",
    ];

    #[test]
    fn every_piece_renders() {
        let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let images = Images::From {
            root: &site,
            base: &site,
            dir: &site.join("case"),
        };
        let written = WRITTEN.get();
        for p in PIECES {
            assert!(both(Path::new("t.md"), p, &images).is_some(), "{p}");
        }
        // All but the bad addresses, the footnote, the raw HTML, the
        // carriage return and the seven-digit list start.
        assert_eq!(WRITTEN.get() - written, PIECES.len() - 5);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn any_mix_of_pieces_renders_as_the_sanitiser_writes_it(
            picks in proptest::collection::vec((0..PIECES.len(), 0..4usize), 1..8)
        ) {
            let mut text = String::new();
            for (i, sep) in picks {
                text.push_str(PIECES[i]);
                text.push_str(["\n\n", "\n", " ", "\n\n- "][sep]);
            }
            let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
            let images = Images::From { root: &site, base: &site, dir: &site.join("case") };
            if let Some((html, sanitised)) = both(Path::new("t.md"), &text, &images) {
                prop_assert_eq!(html, sanitised, "{:?}", text);
            }
        }
    }
}
