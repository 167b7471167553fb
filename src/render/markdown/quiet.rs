//! Documents that cannot give a warning, told by a scan of their bytes, so
//! the loader's warning pass (a whole Markdown parse of every document, about
//! a twelfth of a build's CPU) is skipped for them.
//!
//! Every warning needs something a byte scan can see:
//! - raw HTML, an autolink or a `<…>` address: `<`;
//! - attributes after a heading: `{`;
//! - a dropped link: a `:` in its address, written after `](` (inline) or
//!   in a definition `[…]: …`, or spelled as a character reference (`&`);
//! - an image without description: `![`, then nothing but white space, then `]`
//!   (a `\` too, which might escape it).
//!
//! The scan errs towards "may warn": then the full pass decides. The tests
//! compare it with the full pass on every fixture document and on random
//! mixes of awkward pieces.

use memchr::memmem;

/// Whether `text` may give a warning; `false` only when it cannot.
pub(super) fn may_warn(text: &str) -> bool {
    let b = text.as_bytes();
    if memchr::memchr3(b'<', b'{', b'&', b).is_some() || memmem::find(b, b"]:").is_some() {
        return true;
    }
    inline_address_with_colon(b) || undescribed_image(text)
}

/// After each `](`: white space, then the address, which ends at a space,
/// tab or line break at the latest (CommonMark ends it at any control
/// character too; reading on is the safe side).
fn inline_address_with_colon(b: &[u8]) -> bool {
    let space = |c: &u8| matches!(c, b' ' | b'\t' | b'\n');
    memmem::find_iter(b, b"](").any(|i| {
        let rest = &b[i + 2..];
        let start = rest
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        rest[start..]
            .iter()
            .take_while(|c| !space(c))
            .any(|&c| c == b':')
    })
}

/// `![`, white space or nothing, `]` (or a `\` that might escape it).
fn undescribed_image(text: &str) -> bool {
    memmem::find_iter(text.as_bytes(), b"![").any(|i| {
        let rest = text[i + 2..].trim_start();
        rest.is_empty() || rest.starts_with([']', '\\'])
    })
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;

    use super::super::direct::tests::PIECES;
    use super::*;

    /// The warnings of the full pass, which `may_warn` must never hide.
    fn full_pass(text: &str) -> usize {
        super::super::run(Path::new("t.md"), text, None, None).map_or(0, |h| h.warnings.len())
    }

    /// Pieces that warn, each in a way the scan has to see.
    const WARNING: &[&str] = &[
        "[坏](javascript:alert(1))",
        "[怪]( \n javascript:x)",
        "[实体](javascript&#58;x)",
        "[转义](javascript\\:x)",
        "[引用][r]\n\n[r]: javascript:x",
        "[简写]\n\n[简写]:\n  data:text/html,x",
        "![](a.png)",
        "![ ](a.png)",
        "![\u{3000}](a.png)",
        "![\n](a.png)",
        "![][r]\n\n[r]: a.png",
        "## 标题 {.cls}",
        "<font color=red>字</font>",
        "<javascript:x>",
    ];

    #[test]
    fn a_document_the_scan_calls_quiet_gives_no_warning() {
        let files: Vec<PathBuf> = crate::fixtures::markdown()
            .into_iter()
            .map(|(_, f)| f)
            .collect();
        let (mut quiet, mut warned) = (0, 0);
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let n = full_pass(&text);
            if !may_warn(&text) {
                assert_eq!(n, 0, "{}", f.display());
                quiet += 1;
            }
            warned += usize::from(n > 0);
        }
        assert!(
            quiet >= 10 && warned >= 3,
            "{quiet} quiet, {warned} with warnings"
        );
    }

    #[test]
    fn every_warning_piece_is_seen_and_a_usual_summary_is_quiet() {
        for p in WARNING {
            assert!(full_pass(p) > 0 && may_warn(p), "{p}: {}", full_pass(p));
        }
        let usual = "## 一、背景\n\n　　质量管理。\n\n![图1 框架](id/fig1.svg)\n\n\
                     | 指标 | 2023年 |\n|---|---:|\n| 合格率 | 99.1% |\n\n- 要点：一\n";
        assert!(!may_warn(usual));
        // A kept address with a scheme takes the full pass (the safe side).
        assert!(may_warn("时间 9:30，[链接](https://e.org)"));
        assert_eq!(full_pass(usual), 0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn a_mix_the_scan_calls_quiet_gives_no_warning(
            picks in proptest::collection::vec((0..PIECES.len() + WARNING.len(), 0..4usize), 1..8)
        ) {
            let mut text = String::new();
            for (i, sep) in picks {
                text.push_str(PIECES.iter().chain(WARNING).nth(i).unwrap());
                text.push_str(["\n\n", "\n", " ", "\n\n- "][sep]);
            }
            if !may_warn(&text) {
                prop_assert_eq!(full_pass(&text), 0, "{:?}", text);
            }
        }
    }
}
