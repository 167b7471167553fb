//! Input hardening at the loader's edge: control characters, base_url,
//! alias bombs and hostile Markdown shapes are refused with file and line;
//! whatever passes yields an Atom feed and calendars that real parsers accept.

use crate::common;
use crate::common::fixture;

use icalendar::Calendar;
use proptest::prelude::*;

const EVENT: &str = "events/2024-11-lecture-beijing.yaml";
const TITLE: &str = "title: 专家讲座（北京站）";

fn refused_chars() -> Vec<char> {
    (0u32..0x20)
        .chain(0x7f..0xa0)
        .chain([0x2028, 0x2029])
        .filter_map(char::from_u32)
        .filter(|c| *c != '\t' && *c != '\n')
        .collect()
}

#[test]
fn control_characters_in_a_title_are_refused_raw_or_escaped() {
    let f = fixture("basic");
    let original = f.read(EVENT);
    for c in refused_chars() {
        let code = format!("U+{:04X}", c as u32);
        for (how, title) in [
            ("raw", format!("title: 专家{c}讲座")),
            ("escaped", format!("title: \"专家\\U{:08x}讲座\"", c as u32)),
        ] {
            f.write(EVENT, &original.replacen(TITLE, &title, 1));
            let d = f.errors("2024-12-01");
            let e = d
                .iter()
                .find(|e| e.file.ends_with(EVENT))
                .unwrap_or_else(|| panic!("{code} {how}: not refused:\n{d}"));
            assert_eq!(e.line, Some(1), "{code} {how}: {e}");
            assert!(e.message.contains(&code), "{code} {how}: {}", e.message);
            assert!(e.source_line.is_none(), "the line is never echoed");
        }
    }
    // CRLF line endings are ordinary.
    f.write(EVENT, &original.replace('\n', "\r\n"));
    f.site("2024-12-01");
}

#[test]
fn control_characters_in_markdown_are_refused_with_line_and_column() {
    let f = fixture("basic");
    let md = "campaigns/2024/notice.md";
    let text = f.read(md);
    f.write(md, &format!("正文\n\n第三行\u{b}文字\n{text}"));
    let d = f.errors("2024-12-01");
    let e = d.iter().find(|e| e.file.ends_with(md)).expect("refused");
    assert_eq!((e.line, e.column), (Some(3), Some(4)), "{e}");
    assert!(e
        .message
        .contains("U+000B（垂直制表符，Word 中 Shift+Enter 产生）"));
}

#[test]
fn base_url_with_a_line_break_is_refused_in_site_yaml() {
    let f = fixture("basic");
    f.edit(
        "site.yaml",
        "base_url: https://example.org",
        "base_url: \"https://example.org\\r\\nDisallow: /\"",
    );
    let d = f.errors("2024-12-01");
    let e = d
        .iter()
        .find(|e| e.field.as_deref() == Some("base_url"))
        .unwrap_or_else(|| panic!("{d}"));
    assert_eq!(e.line, Some(2), "{e}");
}

#[test]
fn an_alias_bomb_is_refused_with_its_file_and_line() {
    let f = fixture("basic");
    let big = "长".repeat(300_000);
    let aliases = "  - *a\n".repeat(400);
    let original = f.read(EVENT);
    f.write(
        EVENT,
        &format!("{original}\nhosts_note: &a {big}\nextra:\n{aliases}"),
    );
    let started = std::time::Instant::now();
    let d = f.errors("2024-12-01");
    eprintln!("alias bomb refused in {:?}", started.elapsed());
    let e = d.iter().find(|e| e.file.ends_with(EVENT)).expect("refused");
    assert!(e.message.contains("锚点"), "{e}");
    assert!(e.line.is_some(), "{e}");
}

#[test]
fn deeply_nested_lists_in_a_summary_are_refused_with_its_line() {
    let f = fixture("basic");
    let md = "campaigns/2024/cases/alpha.md";
    for shape in [format!("{}x", "- ".repeat(20_000)), "> - ".repeat(20_000)] {
        f.write(md, &format!("经验摘要\n\n{shape}\n"));
        let started = std::time::Instant::now();
        let d = f.errors("2024-12-01");
        eprintln!("nested shape refused in {:?}", started.elapsed());
        let e = d.iter().find(|e| e.file.ends_with(md)).expect("refused");
        assert!(e.message.contains("列表"), "{e}");
        assert_eq!(e.line, Some(3), "{e}");
    }
}

/// Every character of `s` as a YAML escape, so the file itself stays plain.
fn yaml_escaped(s: &str) -> String {
    let body: String = s.chars().map(|c| format!("\\U{:08x}", c as u32)).collect();
    format!("\"{body}\"")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn whatever_loads_gives_well_formed_atom_and_ics(title in "\\PC{0,3}[\\x00-\\x20\\x7f-\\xa0\\u{2028}\\u{2029}&<>\"';:,\\\\]{0,6}\\PC{0,3}") {
        let f = fixture("basic");
        let original = f.read(EVENT);
        f.write(EVENT, &original.replacen(TITLE, &format!("title: {}", yaml_escaped(&title)), 1));
        if let Ok(out) = f.check("2024-12-01") {
            let site = common::Site { out };
            let atom = site.text("atom.xml");
            prop_assert!(atom_syndication::Feed::read_from(atom.as_bytes()).is_ok(), "{atom}");
            for ics in ["events.ics", "events/2024-11-lecture-beijing.ics"] {
                let text = site.text(ics);
                prop_assert!(text.parse::<Calendar>().is_ok(), "{ics}: {text}");
            }
        }
    }
}
