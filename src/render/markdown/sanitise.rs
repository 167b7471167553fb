//! The allowlist of published markup, and what it removes from the raw HTML
//! an editor pasted: each removal becomes a warning in plain Chinese.
//!
//! One table ([`ALLOWED`]) drives both ammonia (which does the removing) and
//! the warnings, so they cannot disagree about what is kept.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::raw::Tag;

/// Elements kept, each with the attributes it keeps. Everything else goes:
/// no scripts, styles, frames, forms or media, no presentational attributes
/// (the site sets every format), nothing the HTML standard calls obsolete.
const ALLOWED: &[(&str, &[&str])] = &[
    ("a", &["href", "title"]),
    ("abbr", &["title"]),
    ("b", &[]),
    ("blockquote", &[]),
    ("br", &[]),
    ("caption", &[]),
    ("code", &[]),
    ("dd", &[]),
    ("del", &[]),
    ("details", &[]),
    ("div", &["id"]),
    ("dl", &[]),
    ("dt", &[]),
    ("em", &[]),
    ("figcaption", &[]),
    ("figure", &[]),
    ("h2", &["id"]),
    ("h3", &["id"]),
    ("h4", &["id"]),
    ("h5", &["id"]),
    ("h6", &["id"]),
    ("hr", &[]),
    ("i", &[]),
    ("img", &["src", "alt", "title", "width", "height"]),
    ("ins", &[]),
    ("kbd", &[]),
    ("li", &["id"]),
    ("mark", &[]),
    ("ol", &["start"]),
    ("p", &[]),
    ("pre", &[]),
    ("q", &[]),
    ("s", &[]),
    ("small", &[]),
    ("span", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("summary", &[]),
    ("sup", &["id"]),
    ("table", &[]),
    ("tbody", &[]),
    ("td", &["colspan", "rowspan"]),
    ("tfoot", &[]),
    ("th", &["colspan", "rowspan", "scope"]),
    ("thead", &[]),
    ("tr", &[]),
    ("u", &[]),
    ("ul", &[]),
];

/// Link schemes kept; any other scheme (`javascript:`, `data:`) is dropped.
pub(super) const SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The sanitiser built from [`ALLOWED`].
pub(super) static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    let tags: HashSet<&str> = ALLOWED.iter().map(|(t, _)| *t).collect();
    let attrs: HashMap<&str, HashSet<&str>> = ALLOWED
        .iter()
        .map(|(t, a)| (*t, a.iter().copied().collect()))
        .collect();
    b.tags(tags)
        .tag_attributes(attrs)
        .clean_content_tags(["script", "style"].into())
        .url_schemes(SCHEMES.into())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        // Values the HTML standard refuses are dropped rather than published.
        .attribute_filter(|_, attr, value| valid_value(attr, value).then_some(value.into()));
    b
});

/// Whether an allowed attribute's value is valid HTML.
pub(super) fn valid_value(attr: &str, value: &str) -> bool {
    let number = |v: &str| !v.is_empty() && v.len() <= 6 && v.bytes().all(|c| c.is_ascii_digit());
    match attr {
        "width" | "height" | "start" => number(value),
        "colspan" | "rowspan" => number(value) && value.parse::<u32>().is_ok_and(|n| n >= 1),
        "scope" => matches!(value, "row" | "col" | "rowgroup" | "colgroup"),
        "id" => !value.is_empty() && !value.contains(char::is_whitespace),
        _ => true,
    }
}

/// One kind of thing the sanitiser removes, worded for the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Removal {
    /// What was removed, as the editor wrote it: `<iframe>`, `style=`.
    pub(super) what: String,
    /// Why, and what to do instead.
    pub(super) advice: &'static str,
    /// Byte offset in the raw HTML.
    pub(super) at: usize,
}

/// What the sanitiser will remove from a start tag: the element, or some of
/// its attributes. An end tag and the tags that Markdown itself writes are
/// never reported.
pub(super) fn removals(tag: &Tag) -> Vec<Removal> {
    if tag.closing {
        return Vec::new();
    }
    let Some((_, keep)) = ALLOWED.iter().find(|(t, _)| *t == tag.name) else {
        return vec![Removal {
            what: format!("<{}>", tag.name),
            advice: element_advice(&tag.name),
            at: tag.span.start,
        }];
    };
    let mut out = Vec::new();
    for a in &tag.attrs {
        let what = format!("{}=", a.name);
        if a.name.starts_with("on") {
            out.push(Removal {
                what: format!("事件属性 {}=", a.name),
                advice: "文稿中不能有脚本，已忽略",
                at: a.start,
            });
        } else if !keep.contains(&a.name.as_str()) {
            out.push(Removal {
                what,
                advice: attribute_advice(&a.name),
                at: a.start,
            });
        } else if let Some(v) = &a.value {
            if !valid_value(&a.name, v) {
                out.push(Removal {
                    what: format!("{}=\"{v}\"", a.name),
                    advice:
                        "这个值不符合网页标准，已忽略；宽度、高度只能写像素数（如 width=\"600\"）",
                    at: a.start,
                });
            }
        }
    }
    out
}

fn element_advice(name: &str) -> &'static str {
    match name {
        "iframe" => "网站不嵌入外部视频或网页，可改为链接，如 [观看视频](https://…)",
        "video" | "audio" | "embed" | "object" | "source" | "track" | "picture" => {
            "网站不嵌入音频、视频，可改为链接，如 [观看视频](https://…)"
        }
        "script" => "文稿中不能有脚本，已连同内容一起删除",
        "noscript" | "template" => "文稿中不能有脚本，已忽略",
        "style" | "link" => "格式由网站统一设置，已忽略",
        "font" | "center" | "big" | "blink" | "marquee" | "tt" | "strike" | "basefont" => {
            "格式由网站统一设置，已忽略（文字保留）"
        }
        "form" | "input" | "button" | "select" | "textarea" | "label" | "option" => {
            "网站不收集表单，可改为链接或写明联系方式（文字保留）"
        }
        "h1" => "文稿中的标题请用 ## 或 ### 开头（文字保留为普通段落）",
        "meta" | "base" | "html" | "head" | "body" | "title" => {
            "这是整页网页的标签，不属于文稿，已忽略；请只复制正文"
        }
        "svg" | "math" => {
            "不支持内嵌 SVG 或公式，请把图片保存为文件放在案例文件夹中，再用 ![说明](文件名) 引用"
        }
        _ => "网站不支持这个标签，已删除标签（文字保留）；请使用 Markdown 的格式",
    }
}

fn attribute_advice(name: &str) -> &'static str {
    match name {
        "style" | "align" | "class" | "color" | "face" | "size" | "bgcolor" | "border"
        | "valign" | "cellpadding" | "cellspacing" | "width" | "height" | "lang" => {
            "格式由网站统一设置，已忽略"
        }
        "href" | "src" => "这个标签不能带地址，已忽略",
        _ => "网站不支持这个属性，已忽略",
    }
}

/// The scheme of a URL as a browser reads it (tabs and newlines removed,
/// lower-case), or `None` for a relative address.
pub(super) fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then(|| scheme.to_ascii_lowercase())
}

/// Whether a link to `url` survives the sanitiser.
pub(super) fn link_kept(url: &str) -> bool {
    scheme(url).is_none_or(|s| SCHEMES.contains(&s.as_str()))
}

/// Last repairs on sanitised HTML, for what the raw HTML reader may have
/// read differently from the browser's parser (hostile nesting):
/// - an `<a>` without `href` is unwrapped, keeping its text (an `<a>`
///   without address is not a link, and with `rel` it is invalid HTML);
/// - an `<img>` whose address was not checked (`checked` holds every address
///   resolved) is removed, so only checked images are ever published;
/// - an `<img>` without `alt` gets an empty one.
///
/// The input is ammonia's serialisation, in which text never holds a raw `<`
/// and attribute values are double-quoted, so reading its tags is exact.
pub(super) fn tidy(html: String, checked: &[&str]) -> String {
    if !html.contains("<a") && !html.contains("<img") {
        return html;
    }
    let mut edits: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    let mut open: Vec<bool> = Vec::new();
    for t in super::raw::tags(&html) {
        match (t.name.as_str(), t.closing) {
            ("a", true) if open.pop() == Some(true) => edits.push((t.span.clone(), "")),
            ("a", false) => {
                let bare = t.attr("href").is_none();
                open.push(bare);
                if bare {
                    edits.push((t.span.clone(), ""));
                }
            }
            ("img", false) => {
                let src = t.attr("src").and_then(|a| a.value.as_deref());
                // Markdown percent-encodes addresses; compare them decoded.
                let decoded = |u: &str| crate::urls::percent_decode(u).into_owned();
                let known = src.is_some_and(|s| {
                    checked.contains(&s) || checked.iter().any(|c| decoded(c) == decoded(s))
                });
                if !known {
                    edits.push((t.span.clone(), ""));
                } else if t.attr("alt").is_none() {
                    let end = t.span.end - usize::from(html[..t.span.end].ends_with('>'));
                    edits.push((end..end, " alt=\"\""));
                }
            }
            _ => {}
        }
    }
    if edits.is_empty() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 8 * edits.len());
    let mut last = 0;
    for (r, text) in edits {
        out.push_str(&html[last..r.start]);
        out.push_str(text);
        last = r.end;
    }
    out.push_str(&html[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_links_are_unwrapped() {
        let html = SANITIZER
            .clean(r#"<p><a href="javascript:x()">甲</a> <a href="https://e.org">乙</a> <a name=x>丙</a></p>"#)
            .to_string();
        let out = tidy(html, &[]);
        assert_eq!(
            out,
            r#"<p>甲 <a href="https://e.org" rel="noopener noreferrer">乙</a> 丙</p>"#
        );
    }

    #[test]
    fn unchecked_images_go_and_the_rest_get_alt() {
        let html = SANITIZER
            .clean(r#"<img src="a.png"><img src="b.png" alt="乙"><img src="/static/x.css">"#)
            .to_string();
        assert_eq!(
            tidy(html, &["a.png", "b.png"]),
            r#"<img src="a.png" alt=""><img src="b.png" alt="乙">"#
        );
    }

    #[test]
    fn schemes_are_read_as_a_browser_reads_them() {
        assert_eq!(scheme(" java\tscript:x").as_deref(), Some("javascript"));
        assert_eq!(scheme("../a:b"), None);
        assert_eq!(scheme("/x"), None);
        assert!(link_kept("mailto:a@b.c") && link_kept("#x") && !link_kept("data:x"));
    }

    #[test]
    fn obsolete_and_presentational_markup_goes() {
        let out = SANITIZER
            .clean(r#"<center><font color=red>字</font></center><td align=left>x</td><img src="a.png" width="50%" alt="">"#)
            .to_string();
        assert_eq!(out, r#"字x<img src="a.png" alt="">"#);
    }
}
