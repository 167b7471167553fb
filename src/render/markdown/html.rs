//! Raw HTML in Markdown: what the sanitiser will remove is reported, images
//! are resolved exactly as `![说明](地址)` is, and links whose address the
//! sanitiser drops become plain text.

use std::ops::Range;

use super::doc::Doc;
use super::raw;
use super::sanitise::{self, removals};

/// Help shared by every sanitiser warning.
pub(super) const WARNING_HELP: &str =
    "按提示修改后这条提醒就会消失；它不影响生成网站，但 check --strict（发布前的检查）会把它当作错误";

/// Raw HTML of one or more consecutive events, with where each piece came from.
pub(super) struct Chunk {
    /// Index of the (merged) event.
    pub(super) index: usize,
    /// (offset in the merged text, offset in the prepared Markdown) per piece.
    pub(super) pieces: Vec<(usize, usize)>,
}

impl Chunk {
    fn source(&self, at: usize) -> usize {
        self.pieces
            .iter()
            .rev()
            .find(|(p, _)| *p <= at)
            .map_or(0, |(p, s)| s + (at - p))
    }
}

/// Whether each open raw `<a>` was unwrapped (its end tag must go too).
#[derive(Default)]
pub(super) struct OpenLinks(Vec<bool>);

/// Reads one raw HTML event: reports removals, resolves images, unwraps
/// address-less links; returns the HTML to publish (before sanitising).
pub(super) fn rewrite(doc: &mut Doc, html: &str, chunk: &Chunk, open: &mut OpenLinks) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for tag in raw::tags(html) {
        let at = chunk.source(tag.span.start);
        if tag.closing {
            if tag.name == "a" && open.0.pop() == Some(true) {
                edits.push((tag.span.clone(), String::new()));
            }
            continue;
        }
        for r in removals(&tag) {
            // One warning per kind: all event attributes are one kind.
            let key = match r.what.starts_with("事件属性") {
                true => "事件属性".to_owned(),
                false => r.what.clone(),
            };
            doc.warn(
                &key,
                chunk.source(r.at),
                format!("已删除 {}：{}", r.what, r.advice),
                WARNING_HELP,
            );
        }
        match tag.name.as_str() {
            "a" => {
                let href = tag.attr("href").and_then(|a| a.value.as_deref());
                let unwrap = match href {
                    None => {
                        doc.warn(
                            "<a> 无地址",
                            at,
                            "<a> 没有链接地址（href），已改为普通文字".into(),
                            WARNING_HELP,
                        );
                        true
                    }
                    Some(url) if !sanitise::link_kept(url) => {
                        warn_dropped_link(doc, url, at);
                        true
                    }
                    Some(url) => {
                        doc.link(url.trim(), at);
                        false
                    }
                };
                if unwrap {
                    edits.push((tag.span.clone(), String::new()));
                }
                open.0.push(unwrap);
            }
            "img" => image(doc, html, &tag, at, &mut edits),
            _ => {}
        }
    }
    if edits.is_empty() {
        return html.to_owned();
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(html.len() + 16);
    let mut last = 0;
    for (r, text) in edits {
        if r.start < last {
            continue;
        }
        out.push_str(&html[last..r.start]);
        out.push_str(&text);
        last = r.end;
    }
    out.push_str(&html[last..]);
    out
}

/// A raw `<img>`: its address resolved like Markdown's, and a description asked for.
fn image(
    doc: &mut Doc,
    html: &str,
    tag: &raw::Tag,
    at: usize,
    edits: &mut Vec<(Range<usize>, String)>,
) {
    match tag.attr("src") {
        Some(raw::Attr {
            value: Some(url),
            value_span: Some(span),
            ..
        }) if !url.trim().is_empty() => {
            if let Some(new) = doc.image(url, at) {
                doc.link(&new, at);
                if new != html[span.clone()] {
                    edits.push((span.clone(), crate::render::escape(&new)));
                }
            }
        }
        _ => doc.error(
            at,
            "<img> 没有图片地址（src）".into(),
            "写成 <img src=\"案例编号/文件名\" alt=\"图片说明\">，或改用 ![图片说明](案例编号/文件名)".into(),
        ),
    }
    let described = tag
        .attr("alt")
        .and_then(|a| a.value.as_deref())
        .is_some_and(|v| !v.trim().is_empty());
    if !described {
        warn_undescribed(doc, at);
    }
    if tag.attr("alt").is_none() {
        // Published with an empty description rather than none: valid HTML,
        // and a screen reader skips it instead of reading the file name.
        let end = tag.span.end;
        let insert = if html[..end].ends_with("/>") {
            end - 2
        } else if html[..end].ends_with('>') {
            end - 1
        } else {
            end
        };
        edits.push((insert..insert, " alt=\"\"".into()));
    }
}

/// The warning for an image without a description.
pub(super) fn warn_undescribed(doc: &mut Doc, at: usize) {
    doc.warn(
        "图片说明",
        at,
        "图片缺少文字说明：使用读屏软件的读者，以及图片加载失败时，只能看到这段说明".into(),
        "写成 ![图1 质量管理体系架构](案例编号/文件名)，或给 <img> 加上 alt=\"图片说明\"",
    );
}

/// The warning for a link whose address the sanitiser drops.
pub(super) fn warn_dropped_link(doc: &mut Doc, url: &str, at: usize) {
    let scheme = sanitise::scheme(url).unwrap_or_default();
    doc.warn(
        &format!("{scheme}: 链接"),
        at,
        format!("已删除 {scheme}: 链接地址，链接已改为普通文字：网站只链接 https://、http://、mailto:、tel: 和站内地址"),
        WARNING_HELP,
    );
}
