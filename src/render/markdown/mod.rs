//! Markdown to safe HTML: Chinese line breaks and first-line indents,
//! heading anchors, a table of contents, images checked and collected, and
//! an allowlist sanitiser whose removals are reported as warnings.

mod depth;
mod direct;
mod doc;
mod html;
mod images;
mod indent;
mod quiet;
pub(crate) mod raw;
mod sanitise;

use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::links::{Place, Scan};
use crate::model::site::Source;
use doc::Doc;
use html::{Chunk, OpenLinks, WARNING_HELP};

/// One entry of a table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Heading text.
    pub text: String,
}

/// A rendered Markdown document.
#[derive(Debug, Clone, Default)]
pub struct Html {
    /// Sanitised HTML.
    pub html: String,
    /// Level-2 and level-3 headings.
    pub toc: Vec<TocEntry>,
    /// Images to publish beside the page: (URL relative to the page, bytes as checked).
    pub images: Vec<(String, Arc<[u8]>)>,
    /// Plain text of the first paragraph, for descriptions.
    pub lead: String,
    /// Its links and anchors, each link with the file, line and column it
    /// was written at (so a broken one is reported there).
    pub links: Option<Scan>,
    /// What the sanitiser removed and other warnings (see [`warnings`]).
    pub warnings: Vec<Diagnostic>,
}

/// Where a document may take images from.
pub enum Images<'a> {
    /// No local images (notices, instructions).
    None,
    /// Images in `dir` (the case's folder), referenced relative to `base` (the .md file's folder).
    From {
        /// Content root: images are read below it without following links.
        root: &'a Path,
        /// Folder the Markdown file is in.
        base: &'a Path,
        /// Folder the images must be in.
        dir: &'a Path,
    },
}

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Renders `src` to sanitised HTML, or lists every problem in it.
pub fn render(src: &Source, images: &Images) -> Result<Html, Vec<Diagnostic>> {
    run(&src.file, &src.text, src.at, Some(images))
}

/// Renders Markdown `text` that came from `file`.
pub fn render_text(file: &Path, text: &str, images: &Images) -> Result<Html, Vec<Diagnostic>> {
    run(file, text, None, Some(images))
}

/// The warnings of a document, without rendering it or reading its images:
/// what the sanitiser will remove (one warning per kind, with a count), links
/// whose address it drops, images without a description. The loader reports
/// them for every document, so `check` shows them and `--strict` fails on them.
pub fn warnings(src: &Source) -> Vec<Diagnostic> {
    if !quiet::may_warn(&src.text) {
        return Vec::new();
    }
    match run(&src.file, &src.text, src.at, None) {
        Ok(h) => h.warnings,
        Err(_) => Vec::new(),
    }
}

/// The whole pipeline; with `images` `None` it stops after the warnings.
/// `at` is where text held in a YAML value starts (see [`Source::at`]).
fn run(
    file: &Path,
    text: &str,
    at: Option<(usize, usize)>,
    images: Option<&Images>,
) -> Result<Html, Vec<Diagnostic>> {
    if let Some((line, what)) = depth::too_deep(text) {
        let mut d = Diagnostic::new(file, format!("{what}嵌套超过 {} 层", depth::MAX_DEPTH))
            .help("正常的文稿不需要这么多层；文件可能已损坏，请检查这一行附近的内容");
        (d.line, d.column) = match at {
            Some((l, c)) => (Some(l), Some(c)),
            None => (Some(line), None),
        };
        return Err(vec![d]);
    }
    let prepared = indent::prepare(text, OPTIONS);
    let mut doc = Doc::new(file, text, prepared, images).held_at(at);
    let prepared_text = doc.prepared.text.clone();
    let (events, chunks) = parse(&prepared_text);
    let mut out = Html::default();
    let mut events = split_indented_lines(events, &doc);
    breaks(&mut events);
    headings(&mut events, &mut out, &mut doc);
    links_and_images(&mut events, &mut doc);
    let mut open = OpenLinks::default();
    for chunk in &chunks {
        let i = chunk.index;
        if let Event::Html(h) | Event::InlineHtml(h) = &events[i].0 {
            let rewritten = html::rewrite(&mut doc, h, chunk, &mut open);
            events[i].0 = match events[i].0 {
                Event::Html(_) => Event::Html(rewritten.into()),
                _ => Event::InlineHtml(rewritten.into()),
            };
        }
    }
    out.warnings = doc.warnings();
    if images.is_none() {
        return Ok(out);
    }
    if !doc.errors.is_empty() {
        return Err(std::mem::take(&mut doc.errors));
    }
    let scan = links_of(&events);
    let checked: Vec<&str> = doc.origins.iter().map(|(u, _)| u.as_str()).collect();
    let direct = direct::enabled()
        .then(|| direct::write(&events, &checked, text.len() * 3 / 2))
        .flatten();
    out.html = match direct {
        Some(html) => html,
        None => sanitised(events, &checked),
    };
    let mut scan = scan.unwrap_or_else(|| crate::links::scan(out.html.as_bytes()));
    scan.attribute(&doc.origins, &Place::file(file));
    out.links = Some(scan);
    out.images = std::mem::take(&mut doc.published);
    out.lead = out.lead.trim().to_owned();
    Ok(out)
}

/// HTML written by pulldown-cmark, then sanitised: the path for raw HTML,
/// footnotes and anything else [`direct`] leaves to the sanitiser.
fn sanitised(events: Vec<(Event, usize)>, checked: &[&str]) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    sanitise::tidy(sanitise::SANITIZER.clean(&html).to_string(), checked)
}

/// Parses prepared text into events with their offsets; consecutive block
/// HTML lines become one event, so a tag written over several lines is read
/// whole. Returns the raw HTML events with where their pieces came from.
fn parse(text: &str) -> (Vec<(Event<'_>, usize)>, Vec<Chunk>) {
    let mut events: Vec<(Event, usize)> = Vec::new();
    let mut chunks: Vec<Chunk> = Vec::new();
    for (e, r) in Parser::new_ext(text, OPTIONS).into_offset_iter() {
        match e {
            Event::Html(h) => {
                let n = events.len();
                if let (Some((Event::Html(prev), _)), Some(c)) =
                    (events.last_mut(), chunks.last_mut())
                {
                    if c.index + 1 == n {
                        let mut joined = prev.to_string();
                        c.pieces.push((joined.len(), r.start));
                        joined.push_str(&h);
                        *prev = CowStr::from(joined);
                        continue;
                    }
                }
                chunks.push(Chunk {
                    index: events.len(),
                    pieces: vec![(0, r.start)],
                });
                events.push((Event::Html(h), r.start));
            }
            Event::InlineHtml(h) => {
                chunks.push(Chunk {
                    index: events.len(),
                    pieces: vec![(0, r.start)],
                });
                events.push((Event::InlineHtml(h), r.start));
            }
            e => events.push((e, r.start)),
        }
    }
    (events, chunks)
}

/// Soft breaks between two CJK characters are dropped: a browser would show
/// a space. A paragraph's own first-line indent (full-width spaces) is
/// dropped too: the site indents every paragraph itself.
fn breaks(events: &mut [(Event, usize)]) {
    for i in 0..events.len() {
        match &events[i].0 {
            Event::SoftBreak => {
                let before = last_char(events[..i].iter().rev().map(|(e, _)| e));
                let after = first_char(events[i + 1..].iter().map(|(e, _)| e));
                if let (Some(b), Some(a)) = (before, after) {
                    if is_cjk(b) && is_cjk(a) {
                        events[i].0 = Event::Text(CowStr::Borrowed(""));
                    }
                }
            }
            Event::Start(Tag::Paragraph) => {
                if let Some((Event::Text(t), _)) = events.get(i + 1) {
                    let cut = indent::leading_indent(t);
                    if cut > 0 {
                        let rest = t[cut..].to_string();
                        events[i + 1].0 = Event::Text(rest.into());
                    }
                }
            }
            _ => {}
        }
    }
}

/// In a paragraph outside lists and quotes, a line that starts with a
/// first-line indent starts a new paragraph: that is how text pasted from
/// Word marks its paragraphs.
fn split_indented_lines<'a>(events: Vec<(Event<'a>, usize)>, doc: &Doc) -> Vec<(Event<'a>, usize)> {
    let text = &doc.prepared.text;
    let mut out = Vec::with_capacity(events.len());
    let (mut containers, mut inline, mut in_para) = (0usize, 0usize, false);
    let mut it = events.into_iter().peekable();
    while let Some((e, at)) = it.next() {
        match &e {
            Event::Start(Tag::BlockQuote(_) | Tag::Item | Tag::FootnoteDefinition(_)) => {
                containers += 1
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::Item | TagEnd::FootnoteDefinition) => {
                containers = containers.saturating_sub(1)
            }
            Event::Start(Tag::Paragraph) => in_para = true,
            Event::End(TagEnd::Paragraph) => in_para = false,
            Event::Start(_) => inline += usize::from(in_para),
            Event::End(_) => inline = inline.saturating_sub(usize::from(in_para)),
            _ => {}
        }
        let next_is_indented = |next: Option<&(Event, usize)>| match next {
            Some((Event::Text(t), n)) => {
                let line_start = text[..*n].rfind('\n').map_or(0, |i| i + 1);
                t.starts_with('\u{3000}') || indent::leading_indent(&text[line_start..*n]) >= 2
            }
            _ => false,
        };
        if matches!(e, Event::SoftBreak)
            && in_para
            && containers == 0
            && inline == 0
            && next_is_indented(it.peek())
        {
            out.push((Event::End(TagEnd::Paragraph), at));
            out.push((Event::Start(Tag::Paragraph), at));
            if let Some((Event::Text(t), n)) = it.next() {
                let cut = indent::leading_indent(&t);
                out.push((Event::Text(t[cut..].to_string().into()), n + cut));
            }
            continue;
        }
        out.push((e, at));
    }
    out
}

/// Headings: ids, levels (no second h1 on a page) and the table of contents;
/// the first paragraph's text as the lead.
fn headings(events: &mut [(Event, usize)], out: &mut Html, doc: &mut Doc) {
    let mut n = 0;
    let (mut in_para, mut lead_done) = (false, false);
    for i in 0..events.len() {
        match &events[i].0 {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                n += 1;
                if !classes.is_empty() || !attrs.is_empty() {
                    doc.warn(
                        "标题属性",
                        events[i].1,
                        "已删除标题后 {…} 中的属性：格式由网站统一设置，只保留 #编号".into(),
                        WARNING_HELP,
                    );
                }
                let level = if *level == HeadingLevel::H1 {
                    HeadingLevel::H2
                } else {
                    *level
                };
                let anchor = id
                    .as_ref()
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| format!("sec-{n}"));
                let mut text = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                        text.push_str(t);
                    }
                    j += 1;
                }
                let lvl = level as u8;
                if lvl <= 3 {
                    out.toc.push(TocEntry {
                        level: lvl,
                        id: anchor.clone(),
                        text: text.trim().to_owned(),
                    });
                }
                events[i].0 = Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(anchor)),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                });
                if j < events.len() {
                    events[j].0 = Event::End(TagEnd::Heading(level));
                }
            }
            Event::Start(Tag::Paragraph) if !lead_done => in_para = true,
            Event::End(TagEnd::Paragraph) if in_para => {
                in_para = false;
                lead_done = true;
            }
            Event::Text(t) if in_para => out.lead.push_str(t),
            _ => {}
        }
    }
}

/// Markdown links and images: a link whose address the sanitiser would drop
/// becomes its text (with a warning); images are resolved and checked.
fn links_and_images(events: &mut [(Event, usize)], doc: &mut Doc) {
    let mut dropped = false;
    for i in 0..events.len() {
        let at = events[i].1;
        match &events[i].0 {
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                ..
            }) => doc.link(&format!("mailto:{dest_url}"), at),
            Event::Start(Tag::Link { dest_url, .. }) => {
                if sanitise::link_kept(dest_url) {
                    doc.link(dest_url.trim(), at);
                } else {
                    html::warn_dropped_link(doc, dest_url, at);
                    events[i].0 = Event::Text(CowStr::Borrowed(""));
                    dropped = true;
                }
            }
            Event::End(TagEnd::Link) if dropped => {
                events[i].0 = Event::Text(CowStr::Borrowed(""));
                dropped = false;
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if !described(&events[i + 1..]) {
                    html::warn_undescribed(doc, at);
                }
                if let Some(url) = doc.image(dest_url, at) {
                    doc.link(&url, at);
                    events[i].0 = Event::Start(Tag::Image {
                        link_type: *link_type,
                        dest_url: CowStr::from(url),
                        title: title.clone(),
                        id: id.clone(),
                    });
                }
            }
            _ => {}
        }
    }
}

/// Whether the image whose description starts the events has one that is
/// more than white space (as `alt` of raw HTML must be).
fn described(events: &[(Event, usize)]) -> bool {
    events
        .iter()
        .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Image)))
        .any(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => !t.trim().is_empty(),
            Event::SoftBreak | Event::HardBreak => false,
            _ => true,
        })
}

/// The links and anchors, read from the events; `None` when raw HTML or
/// footnotes make the sanitised HTML the only reliable source.
fn links_of(events: &[(Event, usize)]) -> Option<Scan> {
    let mut scan = Scan::default();
    for (e, _) in events {
        match e {
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => return None,
            Event::Start(Tag::FootnoteDefinition(_)) => return None,
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                ..
            }) => scan.add_link(format!("mailto:{dest_url}")),
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => scan.add_link(dest_url.to_string()),
            Event::Start(Tag::Heading { id: Some(id), .. }) => scan.add_id(id.to_string()),
            _ => {}
        }
    }
    Some(scan)
}

fn last_char<'a>(mut it: impl Iterator<Item = &'a Event<'a>>) -> Option<char> {
    it.find_map(|e| match e {
        Event::Text(t) | Event::Code(t) if !t.is_empty() => t.chars().last(),
        Event::Start(_) | Event::End(_) => Some(' '),
        _ => None,
    })
}

fn first_char<'a>(mut it: impl Iterator<Item = &'a Event<'a>>) -> Option<char> {
    it.find_map(|e| match e {
        Event::Text(t) | Event::Code(t) if !t.is_empty() => t.chars().next(),
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Link { .. }) => None,
        Event::Start(_) | Event::End(_) => Some(' '),
        _ => None,
    })
}

/// Whether a line break next to `c` should vanish (CJK ideographs, kana, hangul, full-width punctuation).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F
        | 0x3190..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> Html {
        render_text(Path::new("t.md"), s, &Images::None).unwrap()
    }

    #[test]
    fn soft_break_between_cjk_vanishes() {
        let h = md("质量管理\n数字化升级");
        assert!(h.html.contains("质量管理数字化升级"), "{}", h.html);
    }

    #[test]
    fn soft_break_between_latin_words_stays() {
        let h = md("ISO\n9001");
        assert!(!h.html.contains("ISO9001"), "{}", h.html);
    }

    #[test]
    fn headings_get_ids_and_toc() {
        let h = md("## 一、背景\n\n### （一）现状\n\n正文");
        assert_eq!(h.toc.len(), 2);
        assert_eq!(
            h.toc[0],
            TocEntry {
                level: 2,
                id: "sec-1".into(),
                text: "一、背景".into()
            }
        );
        assert!(h.html.contains(r#"<h2 id="sec-1">"#), "{}", h.html);
    }

    #[test]
    fn h1_is_demoted() {
        assert!(md("# 标题").html.contains("<h2"));
    }

    #[test]
    fn scripts_and_handlers_are_removed_tables_kept() {
        let h = md("<script>alert(1)</script>\n\n<img src=https://e.org/x.png onerror=alert(1)>\n\n[a](javascript:alert(1))\n\n<iframe src=x></iframe><form><input></form><p style=\"color:red\">s</p>\n\n|a|b|\n|-|-|\n|1|2|\n");
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "<iframe",
            "<form",
            "<input",
            "style=",
        ] {
            assert!(!h.html.contains(bad), "{bad} in {}", h.html);
        }
        assert!(h.html.contains("<table>"));
    }

    #[test]
    fn hostile_nesting_is_refused_quickly_with_its_line() {
        let quotes = format!("正文\n\n{}深", ">".repeat(10_000));
        let e = render_text(Path::new("q.md"), &quotes, &Images::None).unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert!(e[0].message.contains("引用和列表"));
        for list in [
            format!("{}x", "- ".repeat(20_000)),
            "> - ".repeat(20_000),
            "1. ".repeat(20_000),
            (0..300)
                .map(|i| format!("{}- a\n", "  ".repeat(i)))
                .collect(),
        ] {
            let e = render_text(Path::new("l.md"), &list, &Images::None).unwrap_err();
            assert!(e[0].message.contains("列表"), "{}", e[0].message);
            assert!(e[0].line.is_some());
        }
        assert!(render_text(Path::new("ok.md"), "- a\n  - b\n    1. c\n", &Images::None).is_ok());
        let divs = "<div>".repeat(10_000);
        let e = render_text(Path::new("d.md"), &divs, &Images::None).unwrap_err();
        assert!(e[0].message.contains("HTML 标签"));
        // Ordinary nesting and many sibling elements are fine.
        assert!(render_text(
            Path::new("ok.md"),
            &"<p>x</p><br>".repeat(5_000),
            &Images::None
        )
        .is_ok());
        assert!(render_text(Path::new("ok.md"), "> > > 引文", &Images::None).is_ok());
    }

    #[test]
    fn removals_are_warned_once_per_kind_with_line_and_count() {
        let h = md("正文\n\n<iframe src=\"https://v.qq.com/x\"></iframe>\n\n<p style=\"x\">a</p><p style=\"y\">b</p>\n\n<iframe></iframe>\n");
        let w: Vec<String> = h
            .warnings
            .iter()
            .map(|d| format!("{}:{} {}", d.line.unwrap(), d.column.unwrap(), d.message))
            .collect();
        assert!(h.warnings.iter().all(|d| d.is_warning()));
        assert!(
            w.iter().any(|m| m
                .starts_with("3:1 已删除 <iframe>：网站不嵌入外部视频或网页，可改为链接")
                && m.contains("共 2 处")),
            "{w:?}"
        );
        assert!(
            w.iter()
                .any(|m| m.starts_with("5:4 已删除 style=：格式由网站统一设置")),
            "{w:?}"
        );
        assert!(
            !h.html.contains("iframe") && !h.html.contains("style"),
            "{}",
            h.html
        );
    }

    #[test]
    fn links_without_a_kept_address_become_text() {
        let h = md("[甲](javascript:x()) <a href=\"vbscript:y\">乙</a> <a name=\"z\">丙</a> [丁](https://e.org)");
        assert!(h.html.contains("甲 乙 丙"), "{}", h.html);
        assert_eq!(h.html.matches("<a ").count(), 1, "{}", h.html);
        assert!(h
            .warnings
            .iter()
            .any(|d| d.message.contains("javascript: 链接")));
        assert!(h
            .warnings
            .iter()
            .any(|d| d.message.contains("没有链接地址")));
    }

    #[test]
    fn an_image_without_description_is_warned_and_gets_an_empty_alt() {
        let h = md("<img src=\"https://e.org/a.png\">\n\n![](https://e.org/b.png)");
        assert!(
            h.html.contains(r#"<img src="https://e.org/a.png" alt="">"#),
            "{}",
            h.html
        );
        let w: Vec<&Diagnostic> = h
            .warnings
            .iter()
            .filter(|d| d.message.contains("图片缺少文字说明"))
            .collect();
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("共 2 处"), "{}", w[0].message);
    }

    #[test]
    fn word_indents_start_paragraphs() {
        let h = md("\u{3000}\u{3000}第一段。\n\u{3000}\u{3000}第二段。\n\n    第三段。\n");
        assert_eq!(
            h.html,
            "<p>第一段。</p>\n<p>第二段。</p>\n<p>第三段。</p>\n"
        );
        let h = md("甲\n乙");
        assert_eq!(h.html, "<p>甲乙</p>\n");
    }

    #[test]
    fn local_images_are_refused_outside_summaries() {
        let e = render_text(Path::new("n.md"), "x\n\n![a](b.png)", &Images::None).unwrap_err();
        assert_eq!(e[0].line, Some(3));
    }
}
