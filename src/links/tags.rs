//! A scanner for the attributes of the pages biaogan writes: the `id`,
//! `href` and `src` of every start tag, their values decoded.
//!
//! Parsing each page into a tree (html5ever) only to read three attributes
//! was a tenth of a build. The pages are biaogan's own (templates, minified,
//! sanitised Markdown), so a tokeniser that follows HTML's rules for tags,
//! attributes, comments and raw text is enough; a test checks it against
//! html5ever on real pages.

/// One attribute: its name lower-cased, its value decoded.
pub(super) type Attribute = (String, String);

/// Calls `tag(name, attributes)` for each start tag, in order, with the tag
/// name lower-cased. An attribute written twice in one tag counts once (the
/// first), as in HTML.
pub(super) fn each_tag(html: &str, mut tag: impl FnMut(&str, &[Attribute])) {
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr(b'<', &b[i..]) {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = find(b, i + 3, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        match b.get(i) {
            Some(b'!' | b'?') => {
                // A doctype or bogus comment: up to the next `>`.
                i = memchr(b'>', &b[i..]).map_or(b.len(), |e| i + e + 1);
                continue;
            }
            Some(b'/') => {
                i = memchr(b'>', &b[i..]).map_or(b.len(), |e| i + e + 1);
                continue;
            }
            Some(c) if c.is_ascii_alphabetic() => {}
            // `<` as text (`a < b`).
            _ => continue,
        }
        let (name, end) = tag_name(b, i);
        let (attrs, next) = attributes(html, end);
        tag(&name, &attrs);
        i = next;
        // Raw text: no tags inside until the matching end tag.
        if matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            let close = format!("</{name}");
            i = find_ci(b, i, close.as_bytes()).unwrap_or(b.len());
        }
    }
}

fn tag_name(b: &[u8], from: usize) -> (String, usize) {
    let mut end = from;
    while end < b.len() && !matches!(b[end], b' ' | b'\t' | b'\n' | b'\r' | 0x0C | b'/' | b'>') {
        end += 1;
    }
    let name = String::from_utf8_lossy(&b[from..end]).to_ascii_lowercase();
    (name, end)
}

/// Reads the attributes of a start tag from `i` to its `>`; returns them
/// and the position after it.
fn attributes(html: &str, mut i: usize) -> (Vec<Attribute>, usize) {
    let b = html.as_bytes();
    let mut out: Vec<Attribute> = Vec::new();
    loop {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0C | b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (out, i);
        }
        if b[i] == b'>' {
            return (out, i + 1);
        }
        // The name: up to white space, `/`, `>` or `=` (a first `=` belongs to it).
        let start = i;
        i += 1;
        while i < b.len()
            && !matches!(
                b[i],
                b' ' | b'\t' | b'\n' | b'\r' | 0x0C | b'/' | b'>' | b'='
            )
        {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0C) {
            i += 1;
        }
        let mut value = "";
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0C) {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e);
                    value = &html[i + 1..end];
                    i = (end + 1).min(b.len());
                }
                Some(_) => {
                    let start = i;
                    while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0C | b'>')
                    {
                        i += 1;
                    }
                    value = &html[start..i];
                }
                None => {}
            }
        }
        if !out.iter().any(|(n, _)| *n == name) {
            let value = crate::render::markdown::raw::decode(value);
            out.push((name, value));
        }
    }
}

fn memchr(c: u8, b: &[u8]) -> Option<usize> {
    b.iter().position(|&x| x == c)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ci(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(html: &str) -> Vec<(String, String, String)> {
        let mut v = Vec::new();
        each_tag(html, |t, attrs| {
            for (n, val) in attrs {
                v.push((t.to_owned(), n.clone(), val.clone()));
            }
        });
        v
    }

    #[test]
    fn quoted_unquoted_and_bare_attributes() {
        let v =
            all(r#"<a href=/x/ class="a b" hidden id='i'>t</a><IMG SRC="/p.png?a=1&amp;b=2" alt>"#);
        assert_eq!(
            v,
            [
                ("a", "href", "/x/"),
                ("a", "class", "a b"),
                ("a", "hidden", ""),
                ("a", "id", "i"),
                ("img", "src", "/p.png?a=1&b=2"),
                ("img", "alt", ""),
            ]
            .map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()))
        );
    }

    #[test]
    fn comments_raw_text_and_end_tags_hold_no_attributes() {
        let v = all(
            "<!-- <a href=/c/> --><!doctype html><p>a < b</p><script>x='<a href=/s/>'</script>\
             <title><a href=/t/></title></p id=x><b id=first id=second>",
        );
        assert_eq!(v, [("b".to_owned(), "id".to_owned(), "first".to_owned())]);
    }

    #[test]
    fn references_are_decoded() {
        let v = all("<a href='a&amp;b&#38;c&#x26;d&lt;&unknown;&'>");
        assert_eq!(v[0].2, "a&b&c&d<&unknown;&");
    }
}
