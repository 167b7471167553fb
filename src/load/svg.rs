//! Screening of SVG images: a figure must be a plain drawing.
//!
//! An SVG file is an XML document that browsers run: opened on its own at the
//! site's address, a script inside it runs with the site's authority. So the
//! file is parsed as XML (namespaces resolved, entities and character
//! references decoded, exactly as a browser sees it) and refused, not
//! cleaned, when anything in it could run code or load from elsewhere.

use std::path::Path;

use roxmltree::{Document, Node, ParsingOptions, TextPos};

use crate::diagnostics::Diagnostic;

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// Namespaces whose elements a browser makes live inside SVG.
const LIVE_NAMESPACES: [(&str, &str); 3] = [
    ("http://www.w3.org/1999/xhtml", "HTML"),
    ("http://www.w3.org/1998/Math/MathML", "MathML"),
    ("http://www.w3.org/2001/xml-events", "XML Events"),
];
/// Elements refused in any namespace (compared in lower case).
const REFUSED_ELEMENTS: [&str; 14] = [
    "script",
    "foreignobject",
    "handler",
    "listener",
    "iframe",
    "frame",
    "frameset",
    "embed",
    "object",
    "applet",
    "portal",
    "base",
    "meta",
    "link",
];
/// Animation elements, refused when they target a link or an event attribute.
const ANIMATIONS: [&str; 5] = [
    "set",
    "animate",
    "animatetransform",
    "animatemotion",
    "animatecolor",
];
/// Attributes whose value a browser follows as an address.
const LINK_ATTRIBUTES: [&str; 9] = [
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "codebase",
    "background",
    "poster",
    "lowsrc",
];
/// Refusals reported per file.
const MAX_REPORTED: usize = 20;
/// More nodes than any figure has; bounds the memory a hostile file takes.
const NODES_LIMIT: u32 = 2_000_000;

/// One reason to refuse an SVG file, at a 1-based line and column of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// 1-based line in the SVG file.
    pub line: usize,
    /// 1-based column (in characters) in the SVG file.
    pub column: usize,
    /// What was found, in Chinese, quoting the element or attribute.
    pub what: String,
    /// How the editor can fix it.
    pub fix: &'static str,
}

const FIX_ELEMENT: &str = "删除这个元素后重新保存，或把图导出为 PNG 并改为引用 PNG 文件";
const FIX_ATTRIBUTE: &str = "删除这个属性后重新保存，或把图导出为 PNG 并改为引用 PNG 文件";
const FIX_FILE: &str =
    "用绘图软件重新导出为标准 SVG（UTF-8 编码，不含 DTD 声明），或把图导出为 PNG 并改为引用 PNG 文件";

/// Reasons to refuse `bytes` as an SVG image; empty when it is a plain drawing.
pub fn screen(bytes: &[u8]) -> Vec<Refusal> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return vec![whole_file("文件不是 UTF-8 编码的文本".into())];
    };
    let opts = |allow_dtd| ParsingOptions {
        allow_dtd,
        nodes_limit: NODES_LIMIT,
        ..ParsingOptions::default()
    };
    let parsed = match Document::parse_with_options(text, opts(false)) {
        // A DOCTYPE without an internal subset declares nothing (browsers and
        // this parser never fetch the external DTD), so it is only noise that
        // drawing programs write; one with a subset can declare entities.
        Err(roxmltree::Error::DtdDetected) => match internal_subset(text) {
            Some(at) => {
                let (line, column) = line_column(text, at);
                return vec![Refusal {
                    line,
                    column,
                    what: "DTD 内部声明（<!DOCTYPE … [ … ]>，可用来声明实体、隐藏内容）".into(),
                    fix: FIX_FILE,
                }];
            }
            None => Document::parse_with_options(text, opts(true)),
        },
        other => other,
    };
    let doc = match parsed {
        Ok(doc) => doc,
        Err(e) => {
            let TextPos { row, col } = e.pos();
            return vec![Refusal {
                line: row as usize,
                column: col as usize,
                what: format!("无法按 XML 解析的内容（{e}）"),
                fix: FIX_FILE,
            }];
        }
    };
    let mut out = Vec::new();
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(SVG_NS) || root.tag_name().name() != "svg" {
        out.push(at_node(
            root,
            format!(
                "根元素 <{}>：SVG 图片的根元素应为 SVG 命名空间（xmlns=\"{SVG_NS}\"）中的 <svg>",
                root.tag_name().name()
            ),
            FIX_FILE,
        ));
    }
    for node in doc.descendants() {
        if node.is_element() {
            check_element(node, &mut out);
        } else if let Some(pi) = node.pi() {
            // A style sheet instruction can apply XSLT, which writes HTML with scripts.
            if pi.target.eq_ignore_ascii_case("xml-stylesheet") {
                out.push(at_node(
                    node,
                    "样式表处理指令 <?xml-stylesheet …?>".into(),
                    FIX_ELEMENT,
                ));
            }
        }
    }
    out
}

/// Screens the bytes of the SVG file `path` (read once by the caller, and
/// published as they are), as diagnostics on the file itself; `used_at` says
/// where the image is referenced.
pub fn check_bytes(path: &Path, bytes: &[u8], used_at: &str) -> Vec<Diagnostic> {
    let text = String::from_utf8_lossy(bytes);
    // A machine-made file can repeat one problem thousands of times; the
    // first ones are enough to act on.
    screen(bytes)
        .into_iter()
        .take(MAX_REPORTED)
        .map(|r| {
            let d = Diagnostic::new(
                path,
                format!(
                    "SVG 图片含有{}。在网站上直接打开这张图片时，这类内容可以运行脚本或从别处加载内容，所以不能发布（图片由 {used_at} 引用）",
                    r.what
                ),
            )
            .help(r.fix);
            // Drawing programs often write a whole figure on one line: quote short lines only.
            let short = text.lines().nth(r.line.saturating_sub(1)).map(str::len) < Some(300);
            if short {
                d.at(&text, r.line, r.column)
            } else {
                Diagnostic {
                    line: Some(r.line),
                    column: Some(r.column),
                    ..d
                }
            }
        })
        .collect()
}

fn check_element(node: Node, out: &mut Vec<Refusal>) {
    let name = node.tag_name().name();
    let lower = name.to_ascii_lowercase();
    let ns = node.tag_name().namespace();
    if let Some((_, which)) = LIVE_NAMESPACES.iter().find(|(uri, _)| Some(*uri) == ns) {
        out.push(at_node(
            node,
            format!("{which} 命名空间中的元素 <{name}>"),
            FIX_ELEMENT,
        ));
    } else if REFUSED_ELEMENTS.contains(&lower.as_str()) {
        let kind = match lower.as_str() {
            "script" => "脚本元素",
            "foreignobject" => "嵌入网页内容的元素",
            "handler" | "listener" => "事件处理元素",
            _ => "嵌入或引用其他网页的元素",
        };
        out.push(at_node(node, format!("{kind} <{name}>"), FIX_ELEMENT));
        return; // what is inside is refused with it
    }
    if ANIMATIONS.contains(&lower.as_str()) {
        let target = node
            .attributes()
            .find(|a| a.name().eq_ignore_ascii_case("attributeName"))
            .map(|a| a.value().trim().to_ascii_lowercase());
        if let Some(t) = target {
            let local = t.rsplit(':').next().unwrap_or(&t);
            if LINK_ATTRIBUTES.contains(&local) || local.starts_with("on") || local == "style" {
                out.push(at_node(
                    node,
                    format!("改写链接或事件属性的动画 <{name} attributeName=\"{t}\">"),
                    FIX_ELEMENT,
                ));
            }
        }
    }
    if lower == "style" {
        let css: String = node
            .descendants()
            .filter_map(|n| n.text().filter(|_| n.is_text()))
            .collect();
        if let Some(why) = css_problem(&css) {
            out.push(at_node(node, format!("<style> 中的{why}"), FIX_ELEMENT));
        }
    }
    for a in node.attributes() {
        let aname = a.name();
        let alower = aname.to_ascii_lowercase();
        let shown = match a.namespace() {
            Some(XML_NS) => format!("xml:{aname}"),
            Some("http://www.w3.org/1999/xlink") => format!("xlink:{aname}"),
            _ => aname.to_owned(),
        };
        let why = if alower.starts_with("on") {
            Some("事件属性（运行脚本）".to_owned())
        } else if a.namespace() == Some(XML_NS) && alower == "base" {
            Some("改变链接基准地址的属性".to_owned())
        } else if alower == "srcdoc" {
            Some("嵌入网页的属性".to_owned())
        } else if LINK_ATTRIBUTES.contains(&alower.as_str()) {
            link_problem(a.value()).map(|w| format!("链接（{w}）"))
        } else if a.namespace().is_none() {
            // Presentation attributes (`fill`, `clip-path`) are CSS values;
            // other programs' attributes (`inkscape:…`) are never read by browsers.
            css_problem(a.value())
        } else {
            None
        };
        if let Some(why) = why {
            let doc = node.document();
            let TextPos { row, col } = doc.text_pos_at(a.range().start);
            out.push(Refusal {
                line: row as usize,
                column: col as usize,
                what: format!("属性 {shown}：{why}"),
                fix: FIX_ATTRIBUTE,
            });
        }
    }
}

/// Why a link value is refused: only a fragment of this drawing (`#id`) or
/// an http(s) address may be linked. `value` is already decoded.
fn link_problem(value: &str) -> Option<&'static str> {
    // Browsers drop leading and trailing spaces and C0 controls, and tabs and
    // line breaks anywhere (`java\tscript:`): refuse all but the outer ones.
    let t = value.trim_matches(|c: char| c == ' ' || c.is_control());
    if t.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Some("地址中含有空白或控制字符");
    }
    if t.is_empty() || t.starts_with('#') {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let web = ["http://", "https://"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len());
    if web {
        None
    } else {
        Some("只允许本图内的 #锚点 或 http(s) 网址")
    }
}

/// Why CSS (a `style` attribute, a `<style>` element, or a presentation
/// attribute such as `fill="url(#g)"`) is refused: anything that loads from
/// outside this drawing or runs code in old browsers.
fn css_problem(css: &str) -> Option<String> {
    let lower = css.to_ascii_lowercase();
    // Escapes (`u\72l(`) could spell any of the words below without them showing.
    if lower.contains('\\') {
        return Some("CSS 转义字符（\\）".into());
    }
    let plain = strip_comments(&lower);
    for (needle, what) in [
        ("@import", "引入外部样式的 @import"),
        ("expression(", "运行脚本的 expression()"),
        ("-moz-binding", "运行脚本的 -moz-binding"),
        ("behavior", "运行脚本的 behavior"),
        ("image-set(", "加载外部图片的 image-set()"),
    ] {
        if plain.contains(needle) {
            return Some(what.into());
        }
    }
    for (at, _) in plain.match_indices("url(") {
        let arg = plain[at + 4..].trim_start().trim_start_matches(['"', '\'']);
        if !arg.starts_with('#') {
            return Some("指向本图以外的 url(…)".into());
        }
    }
    None
}

/// CSS without its `/* … */` comments, which may split a keyword.
fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = match rest[start + 2..].find("*/") {
            Some(end) => &rest[start + 2 + end + 2..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Where a DOCTYPE's internal subset (`[`) starts, if any has one.
fn internal_subset(text: &str) -> Option<usize> {
    for (start, _) in text.match_indices("<!DOCTYPE") {
        let mut quote = None;
        for (i, c) in text[start..].char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[') => return Some(start + i),
                (None, '>') => break,
                _ => {}
            }
        }
    }
    None
}

fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

fn at_node(node: Node, what: String, fix: &'static str) -> Refusal {
    let TextPos { row, col } = node.document().text_pos_at(node.range().start);
    Refusal {
        line: row as usize,
        column: col as usize,
        what,
        fix,
    }
}

fn whole_file(what: String) -> Refusal {
    Refusal {
        line: 1,
        column: 1,
        what,
        fix: FIX_FILE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(svg: &str) -> Vec<Refusal> {
        screen(svg.as_bytes())
    }

    const OPEN: &str =
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">"#;

    #[test]
    fn plain_drawings_pass() {
        for body in [
            r#"<rect width="10" height="10" fill="url(#g)"/><title>图</title>"#,
            r##"<defs><linearGradient id="g"/></defs><use xlink:href="#g"/><a href="https://www.caq.org.cn/">x</a>"##,
            r#"<style>.a{fill:url( '#g' );stroke:#000}</style><text class="a" x="1">质量</text>"#,
            r#"<animate attributeName="opacity" to="0"/><!-- 注释 -->"#,
        ] {
            let svg = format!("{OPEN}{body}</svg>");
            assert_eq!(refused(&svg), vec![], "{svg}");
        }
        let doctype = format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n{OPEN}</svg>"
        );
        assert_eq!(refused(&doctype), vec![]);
    }

    #[test]
    fn refusals_are_positioned() {
        let svg = format!("{OPEN}\n  <s:script xmlns:s=\"{SVG_NS}\">x()</s:script>\n</svg>");
        let r = refused(&svg);
        assert_eq!((r[0].line, r[0].column), (2, 3), "{r:?}");
        assert!(r[0].what.contains("脚本元素 <script>"), "{r:?}");
        let svg = format!("{OPEN}\n<a\n   href=\"&#106;avascript:x()\">a</a></svg>");
        let r = refused(&svg);
        assert_eq!((r[0].line, r[0].column), (3, 4), "{r:?}");
        let r = refused("<svg");
        assert_eq!(r.len(), 1);
        assert!(r[0].what.contains("无法按 XML 解析"), "{r:?}");
    }

    #[test]
    fn links_need_a_fragment_or_a_web_address() {
        assert_eq!(link_problem("#a"), None);
        assert_eq!(link_problem(" https://x.cn/a "), None);
        assert_eq!(link_problem("HTTP://x.cn"), None);
        for bad in [
            "javascript:x()",
            "JaVa\tscript:x()",
            "\u{1}javascript:x()",
            "data:text/html,x",
            "java\nscript:x",
            "vbscript:x",
            "//evil.example/x",
            "picture.png",
            "https://",
        ] {
            assert!(link_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn css_may_only_point_inside_the_drawing() {
        assert_eq!(css_problem("fill:url(#a)"), None);
        assert_eq!(css_problem("fill: red"), None);
        for bad in [
            "fill:url(https://evil.example/x)",
            "@import 'x.css'",
            "@im/**/port 'x.css'",
            "width:expression(alert(1))",
            "fill:u\\72l(x)",
            "background:image-set('x.png' 1x)",
        ] {
            assert!(css_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn internal_subsets_are_found() {
        assert!(internal_subset("<!DOCTYPE svg [ <!ENTITY a 'b'> ]><svg/>").is_some());
        assert!(internal_subset("<!DOCTYPE svg PUBLIC \"[\" 'x'><svg/>").is_none());
    }
}
