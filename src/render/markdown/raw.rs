//! A small reader for the raw HTML editors paste into Markdown: its tags, with
//! their attributes and byte offsets. It says what the sanitiser will remove
//! and where, and finds image addresses to resolve; safety does not depend on
//! it, since ammonia sanitises the result whatever this reads.

use std::ops::Range;

/// One start or end tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Tag {
    /// Byte range of the whole tag, `<` to `>`.
    pub(super) span: Range<usize>,
    /// Lower-case element name.
    pub(super) name: String,
    /// `</name>`.
    pub(super) closing: bool,
    /// Attributes in source order.
    pub(super) attrs: Vec<Attr>,
}

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Attr {
    /// Lower-case name.
    pub(super) name: String,
    /// Value with character references decoded; `None` for a bare attribute.
    pub(super) value: Option<String>,
    /// Byte range of the raw value (inside the quotes), when there is one.
    pub(super) value_span: Option<Range<usize>>,
    /// Byte offset of the attribute's name.
    pub(super) start: usize,
}

impl Tag {
    /// The attribute `name`, if present.
    pub(super) fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// Elements whose content is text up to their end tag, as browsers read them.
const RAW_TEXT: [&str; 8] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// Every tag of `html`, skipping comments, doctype and the content of raw-text elements.
pub(super) fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = html[i..].find('<').map(|p| p + i) {
        i = at + 1;
        let rest = &html[at..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = comment.find("-->").map_or(b.len(), |p| at + 4 + p + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = rest.find('>').map_or(b.len(), |p| at + p + 1);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_at = at + 1 + usize::from(closing);
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = html[name_at..]
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .map_or(b.len(), |p| name_at + p);
        let name = html[name_at..name_end].to_ascii_lowercase();
        let (attrs, end) = attributes(html, name_end);
        i = end;
        let raw_text = !closing && RAW_TEXT.contains(&name.as_str());
        out.push(Tag {
            span: at..end,
            name: name.clone(),
            closing,
            attrs: if closing { Vec::new() } else { attrs },
        });
        if raw_text {
            i = find_end_tag(b, i, name.as_bytes()).unwrap_or(b.len());
        }
    }
    out
}

/// Where `</name` (any case) starts at or after `from`.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    (from..b.len().saturating_sub(name.len() + 1)).find(|&k| {
        b[k] == b'<' && b[k + 1] == b'/' && b[k + 2..k + 2 + name.len()].eq_ignore_ascii_case(name)
    })
}

/// The attributes from `i` to the end of the tag, and the offset after its `>`.
fn attributes(html: &str, mut i: usize) -> (Vec<Attr>, usize) {
    let b = html.as_bytes();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (attrs, b.len());
        }
        if b[i] == b'>' {
            return (attrs, i + 1);
        }
        let start = i;
        // The first character belongs to the name even when it is `=`.
        i += html[i..].chars().next().map_or(1, char::len_utf8);
        while i < b.len() && !(b[i].is_ascii_whitespace() || matches!(b[i], b'/' | b'>' | b'=')) {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut j = i;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let (value, value_span) = if b.get(j) == Some(&b'=') {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let (span, after) = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[j + 1..].find(q as char).map_or(b.len(), |p| j + 1 + p);
                    (j + 1..end, (end + 1).min(b.len()))
                }
                _ => {
                    let end = html[j..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(b.len(), |p| j + p);
                    (j..end, end)
                }
            };
            i = after;
            (Some(decode(&html[span.clone()])), Some(span))
        } else {
            (None, None)
        };
        attrs.push(Attr {
            name,
            value,
            value_span,
            start,
        });
    }
}

/// Decodes the character references that matter for reading URLs (raw HTML
/// in Markdown, and the link check's reading of rendered pages).
pub(crate) fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| !c.is_ascii_alphanumeric() && *c != '#')
            .map_or(rest.len(), |(i, _)| i);
        let body = &rest[1..end];
        let semi = rest[end..].starts_with(';');
        let decoded = match body.strip_prefix('#') {
            Some(num) => {
                let n = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse().ok(),
                };
                n.and_then(char::from_u32)
            }
            None => match body.to_ascii_lowercase().as_str() {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "sol" => Some('/'),
                _ => None,
            },
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + usize::from(semi)..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags_attributes_and_offsets() {
        let html = r#"前<img src="a/b.svg" alt='图 1' width=30 hidden><!-- <x> --></P>"#;
        let t = tags(html);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].name, "img");
        assert_eq!(
            &html[t[0].span.clone()],
            r#"<img src="a/b.svg" alt='图 1' width=30 hidden>"#
        );
        let src = t[0].attr("src").unwrap();
        assert_eq!(&html[src.value_span.clone().unwrap()], "a/b.svg");
        assert_eq!(t[0].attr("alt").unwrap().value.as_deref(), Some("图 1"));
        assert_eq!(t[0].attr("width").unwrap().value.as_deref(), Some("30"));
        assert_eq!(t[0].attr("hidden").unwrap().value, None);
        assert!(t[1].closing && t[1].name == "p");
    }

    #[test]
    fn script_content_is_not_read_as_tags() {
        let t = tags("<script>x = '<img src=y>'</script><b>");
        let names: Vec<_> = t.iter().map(|t| (t.name.as_str(), t.closing)).collect();
        assert_eq!(names, [("script", false), ("script", true), ("b", false)]);
    }

    #[test]
    fn references_are_decoded() {
        assert_eq!(
            decode("&#106;ava&#x73;cript&colon;x&amp;y&nbsp;"),
            "javascript:x&y&nbsp;"
        );
    }
}
