//! Site addresses and the files they are served from: the one rule that
//! turns a URL into an output path, and the one percent-decoder.
//!
//! The plan, the renderer, the link check and the preview server all go
//! through here, so a page is always looked for where it was written.

use std::borrow::Cow;

/// The output-relative file of a site URL: `/2024/notice/` →
/// `2024/notice/index.html`, `/atom.xml` → `atom.xml`, `/` → `index.html`.
///
/// The URL is taken as it is (already decoded, without query or fragment).
pub fn path_of(url: &str) -> String {
    let path = url.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    }
}

/// The bytes a percent-encoded URL part stands for; a `%` not followed by
/// two hex digits is kept as it is, as browsers do.
pub fn percent_decode(s: &str) -> Cow<'_, [u8]> {
    percent_encoding::percent_decode_str(s).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_served_from_their_index() {
        assert_eq!(path_of("/"), "index.html");
        assert_eq!(path_of("/2024/notice/"), "2024/notice/index.html");
        assert_eq!(path_of("/2024/notice/a.pdf"), "2024/notice/a.pdf");
        assert_eq!(path_of("/404.html"), "404.html");
    }

    #[test]
    fn percent_encoded_bytes_are_decoded_and_stray_percents_kept() {
        assert_eq!(&*percent_decode("/a%20b/%E4%B8%AD"), "/a b/中".as_bytes());
        assert_eq!(&*percent_decode("%中%"), "%中%".as_bytes());
        assert_eq!(&*percent_decode("%4"), b"%4");
        assert_eq!(&*percent_decode("%41"), b"A");
    }
}
