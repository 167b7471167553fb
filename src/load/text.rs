//! Characters no published text may hold: control characters and the other
//! invisible code points that break XML, iCalendar or the reader's trust.
//!
//! Checked once, when a file is read and when a YAML value is parsed, so no
//! output format needs its own filter. TAB and LF are allowed everywhere (XML,
//! iCalendar TEXT, HTML and quoted CSV all carry them); CR only as part of a
//! CRLF line ending.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// Chinese name of a forbidden character and where editors get it from, or
/// `None` when `c` is allowed. `next` is the character after `c`, so CRLF passes.
pub fn forbidden(c: char, next: Option<char>) -> Option<&'static str> {
    Some(match c {
        '\t' | '\n' => return None,
        '\r' if next == Some('\n') => return None,
        '\r' => "单独的回车符，旧式 Mac 换行或从网页复制产生",
        '\0' => "空字符，常见于损坏的文件",
        '\u{b}' => "垂直制表符，Word 中 Shift+Enter 产生",
        '\u{c}' => "换页符，Word 中的分页符产生",
        '\u{1b}' => "转义符",
        '\u{1}'..='\u{1f}' => "控制字符",
        '\u{7f}' => "删除符 DEL",
        '\u{80}'..='\u{9f}' => "C1 控制字符，常见于按错误编码转换的文本",
        '\u{2028}' => "行分隔符，从网页或 PDF 复制时产生",
        '\u{2029}' => "段落分隔符，从网页或 PDF 复制时产生",
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            "双向文字控制符，会让文字显示的顺序与实际不同"
        }
        '\u{fffe}' | '\u{ffff}' => "非字符，XML 中不允许",
        _ => return None,
    })
}

/// The first forbidden character of `s`: its byte offset and the character.
pub fn first_forbidden(s: &str) -> Option<(usize, char, &'static str)> {
    // Every forbidden character is one of these byte sequences (controls
    // but TAB and LF; DEL; C2 80–9F for C1 controls; E2 80 A8–AE and
    // E2 81 A6–A9 for U+2028–U+202E and U+2066–U+2069; EF BF BE–BF). The
    // test runs over 64-byte blocks without an early exit, which compiles
    // to vector instructions; only a block that matches is looked at
    // character by character. Every file passes here.
    let b = s.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let suspect = |x: u8, y: u8, z: u8| {
        (x < 0x20 && x != b'\t' && x != b'\n')
            || x == 0x7f
            || (x == 0xC2 && y <= 0x9F)
            || (x == 0xE2 && y == 0x80 && (0xA8..=0xAE).contains(&z))
            || (x == 0xE2 && y == 0x81 && (0xA6..=0xA9).contains(&z))
            || (x == 0xEF && y == 0xBF && z >= 0xBE)
    };
    let mut from = 0;
    while from < b.len() {
        let to = (from + 64).min(b.len());
        let hit = if to + 2 <= b.len() {
            let (x, y, z) = (&b[from..to], &b[from + 1..to + 1], &b[from + 2..to + 2]);
            x.iter()
                .zip(y)
                .zip(z)
                .fold(false, |any, ((&x, &y), &z)| any | suspect(x, y, z))
        } else {
            (from..to).any(|i| suspect(b[i], at(i + 1), at(i + 2)))
        };
        if hit {
            for i in from..to {
                // A lone CR is found here too (CR is a control byte).
                if suspect(b[i], at(i + 1), at(i + 2)) {
                    let mut chars = s[i..].chars();
                    let c = chars.next()?;
                    if let Some(name) = forbidden(c, chars.next()) {
                        return Some((i, c, name));
                    }
                }
            }
        }
        from = to;
    }
    None
}

/// The message for a forbidden character, e.g. "含有不可见字符 U+000B（…）".
pub fn message(c: char, name: &str) -> String {
    format!(
        "含有不可见字符 U+{:04X}（{name}），发布后会破坏订阅源和日历文件",
        c as u32
    )
}

/// How to fix it.
pub const HELP: &str =
    "在编辑器中删除这个字符（可先复制到纯文本编辑器再粘贴回来）；需要换行时直接回车换行";

/// Refuses a file's text that holds a forbidden character, naming its line and column.
pub fn check_file(file: &Path, src: &str) -> Result<(), Diagnostic> {
    let Some((at, c, name)) = first_forbidden(src) else {
        return Ok(());
    };
    let before = &src[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = src[line_start..at].chars().count() + 1;
    let mut d = Diagnostic::new(
        file,
        format!("第 {line} 行第 {column} 列{}", message(c, name)),
    )
    .help(HELP)
    .at(src, line, column);
    // Never draw the line: it holds the character (an escape sequence would
    // drive the terminal) and may hold confidential data.
    d.source_line = None;
    Err(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_character_is_named_except_tab_and_newlines() {
        for c in (0u32..0x20).chain(0x7f..0xa0).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            let allowed = c == '\t' || c == '\n';
            assert_eq!(first_forbidden(&s).is_none(), allowed, "U+{:04X}", c as u32);
        }
        for c in ['\u{2028}', '\u{2029}', '\u{202e}', '\u{2066}', '\u{ffff}'] {
            assert!(first_forbidden(&format!("标杆{c}")).is_some());
        }
        assert!(first_forbidden("第一行\r\n第二行\n").is_none());
        assert!(first_forbidden("第一行\r第二行").is_some());
        assert!(first_forbidden("中文、English，emoji 🎉").is_none());
    }

    #[test]
    fn file_error_names_line_column_and_character() {
        let d = check_file(Path::new("c.yaml"), "a: 1\ntitle: 质量\u{b}标杆\n").unwrap_err();
        assert_eq!((d.line, d.column), (Some(2), Some(10)));
        assert!(
            d.message
                .contains("U+000B（垂直制表符，Word 中 Shift+Enter 产生）"),
            "{}",
            d.message
        );
        assert!(d.source_line.is_none());
    }

    #[test]
    fn the_byte_scan_finds_what_a_character_scan_finds() {
        let slow = |s: &str| {
            let mut it = s.char_indices().peekable();
            while let Some((i, c)) = it.next() {
                if let Some(name) = forbidden(c, it.peek().map(|(_, n)| *n)) {
                    return Some((i, c, name));
                }
            }
            None
        };
        // Every code point of the planes in use, after Chinese text, and at
        // the end (a CR with nothing after it).
        for cp in (0..0x3_0000).filter(|cp| !(0xD800..0xE000).contains(cp)) {
            let c = char::from_u32(cp).unwrap();
            for s in [format!("质“量”{c}x"), format!("{c}"), format!("{c}\n")] {
                assert_eq!(first_forbidden(&s), slow(&s), "U+{cp:04X}");
            }
        }
        // Across the scan's 64-byte blocks.
        for pad in 120..135 {
            for c in ['\u{b}', '\u{2028}', '\u{ffff}', '\u{85}', '\r'] {
                let s = format!("{}{c}", "a".repeat(pad));
                assert_eq!(first_forbidden(&s).map(|f| f.0), Some(pad), "{pad} {c:?}");
            }
        }
    }
}
