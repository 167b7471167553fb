//! Which lines of a record lie inside a `confidential:` block: a message
//! about such a line names its position and key, never its value or text.
//!
//! Judged by indentation alone, so it also works on text the YAML parser
//! rejects; tabs and full-width spaces count as indentation here, since an
//! editor who typed them meant the line to belong to the block.

use crate::diagnostics::Diagnostic;

/// For each line of `src` (index 0 = line 1): whether it is confidential.
pub(crate) fn lines(src: &str) -> Vec<bool> {
    let mut out = Vec::new();
    // Indentation of the `confidential:` key whose block we are in.
    let mut open: Option<usize> = None;
    for raw in src.lines() {
        let body = raw.trim_start_matches([' ', '\t', '\u{3000}']);
        let indent = raw.chars().count() - body.chars().count();
        if body.is_empty() || body.starts_with('#') {
            // Blank lines and comments belong to the block they are in.
            out.push(open.is_some());
            continue;
        }
        if open.is_some_and(|o| indent <= o) {
            open = None;
        }
        let mut key = body;
        let mut key_indent = indent;
        while let Some(rest) = key.strip_prefix("- ") {
            let rest_trim = rest.trim_start();
            key_indent += key.chars().count() - rest_trim.chars().count();
            key = rest_trim;
        }
        let opens = ["confidential:", "\"confidential\":", "'confidential':"]
            .iter()
            .any(|k| key.starts_with(k));
        if opens && open.is_none() {
            open = Some(key_indent);
            out.push(true);
            continue;
        }
        out.push(open.is_some());
    }
    out
}

/// Whether 1-based `line` of `src` is inside a `confidential:` block.
pub(crate) fn is_secret(src: &str, line: usize) -> bool {
    line.checked_sub(1)
        .and_then(|i| lines(src).get(i).copied())
        .unwrap_or(false)
}

/// Drops the quoted source line of `d` when it lies in a confidential block.
pub(crate) fn guard(mut d: Diagnostic, src: &str) -> Diagnostic {
    if d.line.is_some_and(|l| is_secret(src, l)) {
        d.source_line = None;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_of_any_record_and_its_badly_indented_lines() {
        let src = "title: x\nconfidential:\n  phone: 1\n\tcontact: 2\n\u{3000}\u{3000}rev: 3\n\n  # 注释\nstage: approved\nlist:\n  - id: a\n    confidential: {phone: 1}\n  - id: b\n";
        let s = lines(src);
        assert_eq!(
            s,
            [false, true, true, true, true, true, true, false, false, false, true, false]
        );
        assert!(is_secret(src, 3) && !is_secret(src, 1) && !is_secret(src, 99));
    }
}
