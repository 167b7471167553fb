//! Markdown to safe HTML: Chinese line breaks, heading anchors, a table of
//! contents, image references checked and collected, and an allowlist sanitiser.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::load::{nofollow, paths, svg};
use crate::model::site::Source;

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
    /// Its links and anchors, read from the Markdown (the link check then
    /// need not parse the HTML again); `None` when raw HTML or footnotes make
    /// the HTML the only reliable source.
    pub links: Option<crate::links::Scan>,
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

/// Renders `src` to sanitised HTML, or lists every problem in it.
pub fn render(src: &Source, images: &Images) -> Result<Html, Vec<Diagnostic>> {
    render_text(&src.file, &src.text, images)
}

/// Renders Markdown `text` that came from `file`.
pub fn render_text(file: &Path, text: &str, images: &Images) -> Result<Html, Vec<Diagnostic>> {
    if let Some((line, what)) = too_deep(text) {
        let mut d = Diagnostic::new(
            file,
            format!("{what} nested more than {MAX_DEPTH} levels deep"),
        )
        .help("no document needs this; it looks like a damaged or hostile file");
        d.line = Some(line);
        return Err(vec![d]);
    }
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<(Event, usize)> = Parser::new_ext(text, opts)
        .into_offset_iter()
        .map(|(e, r)| (e, r.start))
        .collect();
    let mut errors = Vec::new();
    let mut out = Html::default();
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;

    // Soft breaks between two CJK characters are dropped: a browser would show a space.
    for i in 0..events.len() {
        if matches!(events[i].0, Event::SoftBreak) {
            let before = last_char(events[..i].iter().rev().map(|(e, _)| e));
            let after = first_char(events[i + 1..].iter().map(|(e, _)| e));
            if let (Some(b), Some(a)) = (before, after) {
                if is_cjk(b) && is_cjk(a) {
                    events[i].0 = Event::Text(CowStr::Borrowed(""));
                }
            }
        }
    }

    // Headings: ids, levels (no second h1 on a page) and the table of contents.
    let mut n = 0;
    let mut i = 0;
    let mut in_para = false;
    let mut lead_done = false;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                n += 1;
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
                    classes: classes.clone(),
                    attrs: attrs.clone(),
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
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = dest_url.to_string();
                if paths::is_web_address(&url) {
                    // External images are left to the sanitiser's URL rules.
                } else {
                    match check_image(&url, images) {
                        Ok((rel, disk, bytes)) => {
                            let first_use = !out.images.iter().any(|(r, _)| *r == rel);
                            if first_use && rel.to_ascii_lowercase().ends_with(".svg") {
                                let used_at =
                                    format!("{}:{}", file.display(), line_of(events[i].1));
                                errors.extend(svg::check_bytes(&disk, &bytes, &used_at));
                            }
                            events[i].0 = Event::Start(Tag::Image {
                                link_type: *link_type,
                                dest_url: CowStr::from(rel.clone()),
                                title: title.clone(),
                                id: id.clone(),
                            });
                            if !out.images.iter().any(|(r, _)| *r == rel) {
                                out.images.push((rel, bytes));
                            }
                        }
                        Err(m) => {
                            let mut d = Diagnostic::new(file, m).help("put the image in the case's folder (cases/<id>/) and reference it as <id>/<file>");
                            d.line = Some(line_of(events[i].1));
                            d.source_line = text
                                .lines()
                                .nth(line_of(events[i].1) - 1)
                                .map(str::to_owned);
                            errors.push(d);
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.links = links_of(&events);
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    out.html = SANITIZER.clean(&html).to_string();
    out.lead = out.lead.trim().to_owned();
    Ok(out)
}

/// Deepest nesting accepted. Real documents stay below ten; the sanitiser's
/// work grows with the square of the depth, so a hostile file is refused.
const MAX_DEPTH: usize = 200;

/// The first line where block quotes or raw HTML elements nest too deeply.
fn too_deep(text: &str) -> Option<(usize, &'static str)> {
    let mut html_depth: usize = 0;
    for (i, line) in text.lines().enumerate() {
        if container_depth(line) > MAX_DEPTH {
            return Some((i + 1, "block quotes and lists are"));
        }
        let b = line.as_bytes();
        for j in 0..b.len().saturating_sub(1) {
            if b[j] == b'<' {
                if b[j + 1] == b'/' {
                    html_depth = html_depth.saturating_sub(1);
                } else if b[j + 1].is_ascii_alphabetic() {
                    let name: String = line[j + 1..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    const VOID: [&str; 14] = [
                        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                        "param", "source", "track", "wbr",
                    ];
                    if VOID.contains(&name.as_str()) {
                        continue;
                    }
                    html_depth += 1;
                    if html_depth > MAX_DEPTH {
                        return Some((i + 1, "HTML elements are"));
                    }
                }
            }
        }
    }
    None
}

/// An upper bound on the block quotes and list items open on `line`: its
/// leading `>` and list markers, plus half its indentation (a nested item is
/// indented at least two columns per level, so depth built up over several
/// lines shows as indentation).
fn container_depth(line: &str) -> usize {
    let b = line.as_bytes();
    let (mut markers, mut columns, mut i) = (0, 0, 0);
    while i < b.len() {
        match b[i] {
            b' ' => columns += 1,
            b'\t' => columns += 4,
            b'>' => markers += 1,
            b'-' | b'+' | b'*' if matches!(b.get(i + 1), None | Some(b' ' | b'\t')) => markers += 1,
            b'0'..=b'9' => {
                let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                let after = b.get(i + digits);
                if digits <= 9
                    && matches!(after, Some(b'.' | b')'))
                    && matches!(b.get(i + digits + 1), None | Some(b' ' | b'\t'))
                {
                    markers += 1;
                    i += digits + 1;
                    continue;
                }
                break;
            }
            _ => break,
        }
        i += 1;
    }
    markers + columns / 2
}

fn links_of(events: &[(Event, usize)]) -> Option<crate::links::Scan> {
    let mut scan = crate::links::Scan::default();
    for (e, _) in events {
        match e {
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => return None,
            Event::Start(Tag::FootnoteDefinition(_)) => return None,
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => scan.add_link(dest_url.to_string()),
            Event::Start(Tag::Heading { id: Some(id), .. }) => scan.add_id(id.to_string()),
            _ => {}
        }
    }
    Some(scan)
}

/// Checks an image reference and reads the image, once and without following
/// links: the bytes returned are the ones checked and the ones published.
fn check_image(url: &str, images: &Images) -> Result<(String, PathBuf, Arc<[u8]>), String> {
    let Images::From { root, base, dir } = images else {
        return Err(format!(
            "image `{url}`: local images are only allowed in case summaries"
        ));
    };
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let disk = paths::inside(base, url).map_err(|m| format!("image {m}"))?;
    let rel = disk.strip_prefix(dir).map_err(|_| {
        format!(
            "image `{url}` is not in the case's folder {}",
            dir.display()
        )
    })?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    if !rel.split('/').all(paths::is_file_name) {
        return Err(format!(
            "image `{url}`: rename it with letters, digits, `-` and `_` only"
        ));
    }
    let ext = Path::new(&rel)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(
        ext.as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp"
    ) {
        return Err(format!("image `{url}`: use PNG, JPEG, GIF, SVG or WebP"));
    }
    // The SVG screening runs on these same bytes (see `svg::check_bytes`).
    let bytes = nofollow::read(root, &disk).map_err(|r| format!("image `{url}`: {r}"))?;
    Ok((rel, disk, bytes.into()))
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

/// The allowlist: ordinary formatting, tables and images; no scripts, styles,
/// forms, frames, event handlers or `javascript:` URLs.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .add_tag_attributes("sup", ["id"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("div", ["id"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .add_tag_attributes("th", ["colspan", "rowspan", "scope"])
        .add_tag_attributes("img", ["src", "alt", "title", "width", "height"])
        .url_schemes(["http", "https", "mailto", "tel"].into())
        .link_rel(Some("noopener noreferrer"));
    b
});

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
        let h = md("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1))\n\n<iframe src=x></iframe><form><input></form><p style=\"color:red\">s</p>\n\n|a|b|\n|-|-|\n|1|2|\n");
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
        assert!(e[0].message.contains("block quotes"));
        for list in [
            format!("{}x", "- ".repeat(20_000)),
            "> - ".repeat(20_000),
            "1. ".repeat(20_000),
            (0..300)
                .map(|i| format!("{}- a\n", "  ".repeat(i)))
                .collect(),
        ] {
            let e = render_text(Path::new("l.md"), &list, &Images::None).unwrap_err();
            assert!(e[0].message.contains("lists"), "{}", e[0].message);
            assert!(e[0].line.is_some());
        }
        assert!(render_text(Path::new("ok.md"), "- a\n  - b\n    1. c\n", &Images::None).is_ok());
        let divs = "<div>".repeat(10_000);
        let e = render_text(Path::new("d.md"), &divs, &Images::None).unwrap_err();
        assert!(e[0].message.contains("HTML elements"));
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
    fn local_images_are_refused_outside_summaries() {
        let e = render_text(Path::new("n.md"), "x\n\n![a](b.png)", &Images::None).unwrap_err();
        assert_eq!(e[0].line, Some(3));
    }
}
