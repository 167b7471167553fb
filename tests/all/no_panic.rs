//! No panic on any input (issue 5): property tests for the record loader and
//! the Markdown renderer.
//!
//! Inputs are arbitrary text and bytes, and the fixture's own files mutated the
//! way a hurried editor (or a broken upload) would: lines deleted, duplicated
//! or swapped, characters replaced, YAML syntax inserted, indentation changed,
//! the file cut short. Whatever comes in, the loader returns a site or
//! diagnostics, the renderer returns HTML or diagnostics, and the HTML is safe.
//!
//! Case counts keep the whole file well under a minute in a debug build on
//! two cores; `PROPTEST_CASES=20000 cargo test --release --test all no_panic::` runs
//! longer. A failing input's seed is saved to `proptest-regressions/no_panic.txt`,
//! which is kept in the repository and replayed first on every run; every crash
//! found is also kept below as a named regression test.

use crate::common;
use crate::common::safe_url;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use biaogan::load::yaml;
use biaogan::model::records::{
    CampaignRecord, CaseRecord, EventRecord, HolidayYear, RevocationRecord, SiteRecord,
};
use biaogan::render::markdown::{self, Images};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use scraper::{Html, Selector};

// ---------------------------------------------------------------------------
// Configuration.

/// Cases per property: `PROPTEST_CASES` when set, else `default`.
fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        // An absolute path: `Direct` is read from the working directory, and
        // the file must not move when this module does.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/no_panic.txt"
        )))),
        max_shrink_iters: 2000,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------
// Inputs.

const SITE: &str = include_str!("../sites/basic/site.yaml");
const HOLIDAYS: &str = include_str!("../sites/basic/holidays.yaml");
const CAMPAIGN: &str = include_str!("../sites/basic/campaigns/2024/campaign.yaml");
const ALPHA: &str = include_str!("../sites/basic/campaigns/2024/cases/alpha.yaml");
const GAMMA: &str = include_str!("../sites/basic/campaigns/2024/cases/gamma.yaml");
const ALPHA_MD: &str = include_str!("../sites/basic/campaigns/2024/cases/alpha.md");
const NOTICE_MD: &str = include_str!("../sites/basic/campaigns/2024/notice.md");
const REVOCATION: &str = include_str!("../sites/basic/campaigns/2024/revocations/alpha.yaml");
const REVOCATION_MD: &str = include_str!("../sites/basic/campaigns/2024/revocations/alpha.md");
const LECTURE: &str = include_str!("../sites/basic/events/2024-11-lecture-beijing.yaml");
const VISIT: &str = include_str!("../sites/basic/events/2024-12-visit-chengdu.yaml");

/// Pieces of YAML syntax, and values that stress the typed fields.
const YAML_TOKENS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "-",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "#",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!str ",
    "!!binary ",
    "!!map ",
    "!custom ",
    "|",
    "|-\n",
    ">",
    "%YAML 1.2\n",
    "---\n",
    "...\n",
    "? ",
    ",",
    "\t",
    "\n",
    "\r\n",
    "\r",
    " ",
    "  ",
    "~",
    "null",
    "true",
    "0x1F",
    "1e999",
    "-.inf",
    ".nan",
    "-9223372036854775809",
    "18446744073709551616",
    "2024-02-30",
    "0000-01-01",
    "+262143-12-31",
    "9999-12-31",
    "24:00",
    "25:61",
    "2024-05-31 24:00",
    "\\",
    "\\u0000",
    "\u{3000}",
    "中",
    "〔",
    "\u{feff}",
    "\u{200b}",
    "\u{0}",
    "\u{7f}",
    "\u{1F600}",
    "é",
    "e\u{301}",
    "confidential: ",
    "stage: ",
    "approved",
    "order: ",
    "summary: ",
    "../",
    "/etc/passwd",
    "alpha/arch.svg",
    "notice.md",
    "name: ",
    "credit_code: ",
    "91110108MA01ABC1XQ",
];

/// Values to put in place of a field's value.
const VALUES: &[&str] = &[
    "",
    "~",
    "null",
    "[]",
    "{}",
    "[a, b]",
    "{a: 1}",
    "\"\"",
    "''",
    "0",
    "-1",
    "1",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "1e400",
    "0.5",
    ".inf",
    "true",
    "2024-01-01",
    "2024-12-31",
    "2025-01-01",
    "2023-12-31",
    "2024-02-29",
    "2023-02-29",
    "0000-01-01",
    "9999-12-31",
    "2024-1-1",
    "\"2024-05-31 24:00\"",
    "\"9999-12-31 24:00\"",
    "\"0000-01-01 00:00\"",
    "\"2024-05-31T23:59:59\"",
    "\"17:00\"",
    "\"24:00\"",
    "\"00:00\"",
    "approved",
    "recommended",
    "shortlisted",
    "qualified",
    "ineligible",
    "withdrawn",
    "upheld",
    "dismissed",
    "tqm",
    "digital",
    "制造",
    "91110108MA01ABC1XQ",
    "91110108MA01ABC1X",
    "alpha.md",
    "beta.md",
    "missing.md",
    "../x.md",
    "/etc/passwd",
    "alpha/arch.svg",
    "attachments/form.docx",
    "attachments/rules.md",
    "notice.md",
    "https://example.org",
    "javascript:alert(1)",
    "Asia/Shanghai",
    "Mars/Olympus",
    "\"<script>alert(1)</script>\"",
    "|\n  多行\n  文本",
    "&a x",
    "*a",
    "!!binary aGk=",
    "中文",
    "\\u3000",
];

/// Characters to put in place of another.
const CHARS: &[char] = &[
    ':', '-', ' ', '\t', '\n', '"', '\'', '{', '}', '[', ']', '#', '&', '*', '!', '|', '>', '%',
    '@', '`', '?', ',', '\\', '0', '9', 'a', 'Z', '中', '\u{3000}', '\u{feff}', '\u{0}', '\r',
];

/// One edit of a text file.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    ReplaceChar(Index, char),
    Insert(Index, &'static str),
    Indent(Index, i8),
    CutAt(Index),
    ReplaceValue(Index, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let ch = prop_oneof![3 => prop::sample::select(CHARS), 1 => any::<char>()];
    prop_oneof![
        2 => any::<Index>().prop_map(Mutation::DeleteLine),
        1 => any::<Index>().prop_map(Mutation::DuplicateLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        3 => (any::<Index>(), ch).prop_map(|(i, c)| Mutation::ReplaceChar(i, c)),
        4 => (any::<Index>(), prop::sample::select(YAML_TOKENS)).prop_map(|(i, t)| Mutation::Insert(i, t)),
        2 => (any::<Index>(), -4i8..=4).prop_map(|(i, d)| Mutation::Indent(i, d)),
        1 => any::<Index>().prop_map(Mutation::CutAt),
        4 => (any::<Index>(), prop::sample::select(VALUES)).prop_map(|(i, v)| Mutation::ReplaceValue(i, v)),
    ]
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..8)
}

/// Byte offsets of the character boundaries of `s`, including its end.
fn boundaries(s: &str) -> Vec<usize> {
    s.char_indices().map(|(i, _)| i).chain([s.len()]).collect()
}

fn apply(text: &str, muts: &[Mutation]) -> String {
    let mut s = text.to_owned();
    for m in muts {
        let mut lines: Vec<String> = s.split('\n').map(str::to_owned).collect();
        let n = lines.len();
        match m {
            Mutation::DeleteLine(i) => {
                lines.remove(i.index(n));
            }
            Mutation::DuplicateLine(i) => {
                let k = i.index(n);
                let l = lines[k].clone();
                lines.insert(k, l);
            }
            Mutation::SwapLines(a, b) => lines.swap(a.index(n), b.index(n)),
            Mutation::Indent(i, d) => {
                let k = i.index(n);
                let l = &lines[k];
                lines[k] = if *d >= 0 {
                    format!("{}{l}", " ".repeat(*d as usize))
                } else {
                    let strip = l.len() - l.trim_start_matches(' ').len();
                    l[strip.min(d.unsigned_abs() as usize)..].to_owned()
                };
            }
            Mutation::ReplaceValue(i, v) => {
                // Keep the key (and any list dash), replace what follows it.
                let k = i.index(n);
                let l = &lines[k];
                if let Some(at) = l
                    .find(": ")
                    .map(|p| p + 2)
                    .or_else(|| l.find("- ").map(|p| p + 2))
                {
                    lines[k] = format!("{}{v}", &l[..at]);
                }
            }
            Mutation::ReplaceChar(i, c) => {
                let b = boundaries(&s);
                if b.len() > 1 {
                    let k = i.index(b.len() - 1);
                    s.replace_range(b[k]..b[k + 1], &c.to_string());
                }
                continue;
            }
            Mutation::Insert(i, t) => {
                let b = boundaries(&s);
                s.insert_str(b[i.index(b.len())], t);
                continue;
            }
            Mutation::CutAt(i) => {
                let b = boundaries(&s);
                s.truncate(b[i.index(b.len())]);
                continue;
            }
        }
        s = lines.join("\n");
    }
    s
}

/// Arbitrary text: any Unicode, invalid UTF-8 made lossy, or YAML-ish soup.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(any::<u8>(), 0..300)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        "[ -~\n\t\u{3000}中文：、]{0,300}",
        prop::collection::vec(prop::sample::select(YAML_TOKENS), 0..40).prop_map(|v| v.concat()),
    ]
}

/// A base file and edits of it.
fn mutated_yaml() -> impl Strategy<Value = String> {
    (
        prop::sample::select(
            &[
                SITE, HOLIDAYS, CAMPAIGN, ALPHA, GAMMA, REVOCATION, LECTURE, VISIT,
            ][..],
        ),
        mutations(),
    )
        .prop_map(|(base, m)| apply(base, &m))
}

// ---------------------------------------------------------------------------
// The record loader.

/// Parses `src` as every kind of record; an error must describe itself.
fn parse_all(src: &str) {
    let file = Path::new("fuzz.yaml");
    fn show<T>(r: Result<T, biaogan::diagnostics::Diagnostic>) {
        if let Err(d) = r {
            let text = d.to_string();
            assert!(text.starts_with("错误：fuzz.yaml"), "{text}");
        }
    }
    show(yaml::parse::<CaseRecord>(file, src));
    show(yaml::parse::<CampaignRecord>(file, src));
    show(yaml::parse::<SiteRecord>(file, src));
    show(yaml::parse::<BTreeMap<i32, HolidayYear>>(file, src));
    show(yaml::parse::<RevocationRecord>(file, src));
    show(yaml::parse::<EventRecord>(file, src));
}

/// Paths the loader asks `locate` for, and arbitrary ones.
fn yaml_path() -> impl Strategy<Value = Vec<String>> {
    let part = prop_oneof![
        4 => prop::sample::select(&[
            "organization", "credit_code", "name", "region", "notice", "attachments", "file",
            "title", "publicity", "start", "end", "objections", "iso9001", "valid_until", "2024",
            "holidays", "workdays", "timeline", "focus_areas", "id", "application", "url", "0",
            "1", "2", "10", "year", "stage", "summary", "order", "registration", "hosts", "changes",
            "note", "case", "date", "reason", "domain",
        ][..])
        .prop_map(str::to_owned),
        1 => any::<String>(),
        1 => "[-a-z0-9_ :{}\\[\\]]{0,6}",
    ];
    prop::collection::vec(part, 0..5)
}

fn check_locate(src: &str, path: &[String]) {
    let parts: Vec<&str> = path.iter().map(String::as_str).collect();
    if let Some((line, col)) = yaml::locate(src, &parts) {
        let n = src.lines().count();
        assert!(line >= 1 && line <= n, "line {line} of {n}");
        assert!(col >= 1, "column {col}");
        // The position makes a diagnostic that can be shown.
        let d = biaogan::diagnostics::Diagnostic::new("x.yaml", "m").at(src, line, col);
        let _ = d.to_string();
    }
}

#[test]
fn record_parser_never_panics_on_arbitrary_text() {
    TestRunner::new(config(1500))
        .run(&any_text(), |src| {
            parse_all(&src);
            Ok(())
        })
        .unwrap();
}

#[test]
fn record_parser_never_panics_on_mutated_records() {
    TestRunner::new(config(1500))
        .run(&mutated_yaml(), |src| {
            parse_all(&src);
            Ok(())
        })
        .unwrap();
}

#[test]
fn locate_never_panics_and_points_inside_the_text() {
    let text = prop_oneof![any_text(), mutated_yaml()];
    TestRunner::new(config(3000))
        .run(&(text, yaml_path()), |(src, path)| {
            check_locate(&src, &path);
            Ok(())
        })
        .unwrap();
}

#[test]
fn suggestions_never_panic() {
    let names = prop::collection::vec(any::<String>(), 0..6);
    TestRunner::new(config(500))
        .run(&(any::<String>(), names), |(name, allowed)| {
            if let Some(s) = yaml::suggest(&name, &allowed) {
                prop_assert!(allowed.contains(&s));
            }
            Ok(())
        })
        .unwrap();
}

/// Files of the fixture that the whole-site property replaces, one at a time.
const SITE_FILES: &[(&str, &str)] = &[
    ("site.yaml", SITE),
    ("holidays.yaml", HOLIDAYS),
    ("campaigns/2024/campaign.yaml", CAMPAIGN),
    ("campaigns/2024/cases/alpha.yaml", ALPHA),
    ("campaigns/2024/cases/gamma.yaml", GAMMA),
    ("campaigns/2024/cases/alpha.md", ALPHA_MD),
    ("campaigns/2024/notice.md", NOTICE_MD),
    ("campaigns/2024/revocations/alpha.yaml", REVOCATION),
    ("campaigns/2024/revocations/alpha.md", REVOCATION_MD),
    ("events/2024-11-lecture-beijing.yaml", LECTURE),
    ("events/2024-12-visit-chengdu.yaml", VISIT),
];

#[test]
fn whole_site_load_never_panics_with_one_file_replaced() {
    let f = common::fixture("basic");
    let content = prop_oneof![
        4 => mutations().prop_map(Some),
        1 => Just(None),
    ];
    let input = (
        prop::sample::select(SITE_FILES),
        content,
        any_text(),
        prop::sample::select(&["2024-04-20", "2024-09-26", "2024-10-20 12:00", "2024-12-03"][..]),
    );
    TestRunner::new(config(120))
        .run(&input, |((rel, original), muts, random, now)| {
            // Every case starts from the pristine fixture.
            for (r, text) in SITE_FILES {
                f.write(r, text);
            }
            let text = match &muts {
                Some(m) => apply(original, m),
                None => random,
            };
            f.write(rel, &text);
            match f.check(now) {
                Ok(out) => prop_assert!(out.contains_key("index.html")),
                Err(d) => {
                    prop_assert!(!d.is_empty());
                    let _ = d.to_string();
                }
            }
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------
// Markdown.

/// Markdown-ish fragments: structure, CJK text, soft breaks, images, raw HTML
/// and the usual script-injection shapes.
const MD_TOKENS: &[&str] = &[
    "# ",
    "## ",
    "### ",
    "#### ",
    "\n",
    "\n\n",
    "  \n",
    "\\\n",
    "质量",
    "管理",
    "数字化",
    "。",
    "，",
    "、",
    "（一）",
    "ＡＢ",
    "ISO",
    "9001",
    " ",
    "*",
    "**",
    "_",
    "__",
    "~~",
    "`",
    "```\n",
    "~~~\n",
    "    ",
    "> ",
    "- ",
    "* ",
    "1. ",
    "1\\. ",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "|",
    "---\n",
    "***\n",
    "[",
    "]",
    "(",
    ")",
    "![",
    "![图](",
    "](",
    "[链接](",
    "alpha/arch.svg",
    "arch.svg",
    "alpha/../alpha/arch.svg",
    "../site.yaml",
    "/etc/passwd",
    "https://x.example/a.png",
    "http://x",
    "mailto:a@b.c",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "jav&#x61;script:alert(1)",
    "java\tscript:",
    "&#106;avascript:",
    "data:text/html,<b>",
    "vbscript:",
    "<script>alert(1)</script>",
    "<script",
    "</script>",
    "<SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">",
    "</a>",
    "<svg onload=alert(1)>",
    "<math>",
    "<style>",
    "</style>",
    "<iframe src=x>",
    "<form>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<div onclick=\"x\">",
    "</div>",
    "<p style=\"color:red\">",
    "<noscript>",
    "</noscript>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<",
    ">",
    "\"",
    "'",
    "=",
    " onclick=",
    " on",
    "{#id}",
    "{#sec-1 .c onclick=alert(1)}",
    "{",
    "}",
    "[^1]",
    "[^1]: 注\n",
    "[^x]:",
    "&amp;",
    "&",
    "&lt;",
    "\t",
    "\r\n",
    "\r",
    "\u{3000}",
    "\u{feff}",
    "\u{200b}",
    "\u{0}",
    "中\n文",
    "e\u{301}",
    "\u{1F600}",
    "<br>",
    "<table><tr><td colspan=2>",
    "<td rowspan=\"0\">",
    "<sup id=x>",
];

fn markdownish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![9 => prop::sample::select(MD_TOKENS).prop_map(str::to_owned), 1 => any::<String>()],
        0..60,
    )
    .prop_map(|v| v.concat())
}

/// A case folder with one image, for `Images::From`.
struct ImageDir {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

fn image_dir() -> ImageDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("content");
    let dir = root.join("cases/alpha");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("arch.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    ImageDir { _tmp: tmp, root }
}

/// Every way the sanitised HTML could still carry script.
fn unsafe_parts(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    if html.to_ascii_lowercase().contains("<script") {
        bad.push("`<script` in the output".to_owned());
    }
    let doc = Html::parse_fragment(html);
    for el in doc.select(&Selector::parse("*").unwrap()) {
        let name = el.value().name();
        if matches!(
            name,
            "script"
                | "style"
                | "iframe"
                | "object"
                | "embed"
                | "form"
                | "input"
                | "button"
                | "textarea"
                | "select"
                | "svg"
                | "math"
                | "base"
                | "meta"
                | "link"
                | "template"
                | "noscript"
                | "frame"
                | "frameset"
        ) {
            bad.push(format!("<{name}>"));
        }
        for (attr, value) in el.value().attrs() {
            let lower = attr.to_ascii_lowercase();
            if lower.starts_with("on") || lower == "style" || lower == "srcdoc" {
                bad.push(format!("<{name} {attr}=\"{value}\">"));
            }
            // `javascript:`, `data:`, `vbscript:` ... as a URL, however spelt.
            if matches!(
                lower.as_str(),
                "href"
                    | "src"
                    | "action"
                    | "formaction"
                    | "data"
                    | "xlink:href"
                    | "poster"
                    | "cite"
            ) && !safe_url(value)
            {
                bad.push(format!("<{name} {attr}=\"{value}\">"));
            }
        }
    }
    bad
}

fn render_checked(text: &str, images: &Images) -> Result<(), TestCaseError> {
    match markdown::render_text(Path::new("fuzz.md"), text, images) {
        Ok(h) => {
            let bad = unsafe_parts(&h.html);
            prop_assert!(
                bad.is_empty(),
                "unsafe output {bad:?} from {text:?}:\n{}",
                h.html
            );
            for t in &h.toc {
                prop_assert!((2..=3).contains(&t.level), "toc level {}", t.level);
            }
            let lead = unsafe_parts(&format!("<p>{}</p>", markdown_escape(&h.lead)));
            prop_assert!(lead.is_empty());
        }
        Err(ds) => {
            prop_assert!(!ds.is_empty(), "an error without a diagnostic");
            for d in ds {
                let _ = d.to_string();
            }
        }
    }
    Ok(())
}

/// The lead is plain text; templates escape it. Escape it here the same way.
fn markdown_escape(s: &str) -> String {
    biaogan::render::escape(s)
}

#[test]
fn markdown_never_panics_on_arbitrary_text_and_stays_safe() {
    TestRunner::new(config(2000))
        .run(&any_text(), |text| render_checked(&text, &Images::None))
        .unwrap();
}

#[test]
fn markdown_never_panics_on_markdownish_text_and_stays_safe() {
    let dir = image_dir();
    let base = dir.root.join("cases");
    let assets = base.join("alpha");
    let from = Images::From {
        root: &dir.root,
        base: &base,
        dir: &assets,
    };
    TestRunner::new(config(2500))
        .run(&(markdownish(), any::<bool>()), |(text, local)| {
            render_checked(&text, if local { &from } else { &Images::None })
        })
        .unwrap();
}

#[test]
fn markdown_never_panics_on_mutated_documents() {
    let dir = image_dir();
    let base = dir.root.join("cases");
    let assets = base.join("alpha");
    let from = Images::From {
        root: &dir.root,
        base: &base,
        dir: &assets,
    };
    let input = (
        prop::sample::select(&[ALPHA_MD, NOTICE_MD][..]),
        prop::collection::vec(mutation(), 1..12),
    );
    TestRunner::new(config(1500))
        .run(&input, |(base, m)| render_checked(&apply(base, &m), &from))
        .unwrap();
}

// ---------------------------------------------------------------------------
// Named regression tests. No crash has been found so far (see the report in
// the commit); every crash found later gets its input kept here by name. Until
// then these keep the shapes known to break parsers: deep nesting, alias
// expansion, extreme values.

#[test]
fn deeply_nested_yaml_is_an_error_not_a_stack_overflow() {
    for src in [
        "[".repeat(10_000),
        "{a: ".repeat(1_000),
        (0..1_000)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect(),
    ] {
        parse_all(&src);
    }
}

#[test]
fn yaml_alias_expansion_is_bounded() {
    // A "billion laughs": ten levels of ten aliases each.
    let mut src = String::from("confidential:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for c in 'b'..='k' {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        src.push_str(&format!("  {c}: &{c} [{refs}]\n"));
        prev = c;
    }
    let head = &ALPHA[..ALPHA.find("confidential:").unwrap()];
    let case = format!("{head}{src}");
    parse_all(&src);
    parse_all(&case);
    // Bounded by a count, not a clock: the expansion is refused by name
    // (10^11 nodes would never finish if it were expanded).
    let refused = yaml::parse::<CaseRecord>(Path::new("fuzz.yaml"), &case)
        .err()
        .map(|d| d.to_string())
        .unwrap_or_default();
    assert!(
        refused.contains("锚点"),
        "not refused as an alias expansion: {refused}"
    );
}

#[test]
fn an_indent_cut_before_a_wide_character_is_not_a_panic() {
    // Found by `markdown_never_panics_on_markdownish_text_and_stays_safe`: a
    // full-width indent removed before a raw tag made a position fall inside
    // a four-byte character.
    let text = "# \n质量```\n\u{3000}<details open ontoggle=alert(1)></script>ᚠ𑊈";
    render_checked(text, &Images::None).unwrap();
}

#[test]
fn extreme_values_in_a_site_never_panic() {
    let f = common::fixture("basic");
    for (file, from, to) in [
        (
            "campaigns/2024/campaign.yaml",
            "working_days: 10",
            "working_days: 4294967295",
        ),
        (
            "campaigns/2024/campaign.yaml",
            "working_days: 10",
            "working_days: 0",
        ),
        (
            "campaigns/2024/campaign.yaml",
            "deadline: \"2024-05-31 24:00\"",
            "deadline: \"9999-12-31 24:00\"",
        ),
        (
            "campaigns/2024/campaign.yaml",
            "date: 2024-04-15",
            "date: 0000-01-01",
        ),
        (
            "campaigns/2024/campaign.yaml",
            "year: 2024",
            "year: 2147483647",
        ),
        (
            "campaigns/2024/cases/alpha.yaml",
            "order: 2",
            "order: -9223372036854775808",
        ),
        ("holidays.yaml", "2024:", "-2147483648:"),
        (
            "events/2024-11-lecture-beijing.yaml",
            "start: 2024-11-20T09:00",
            "start: 9999-12-31T23:59",
        ),
    ] {
        let original = f.read(file);
        f.edit(file, from, to);
        if let Err(d) = f.check("2024-12-03") {
            let _ = d.to_string();
        }
        f.write(file, &original);
    }
}

#[test]
fn deeply_nested_markdown_renders() {
    for text in [
        "<div>".repeat(1_500),
        "> ".repeat(1_500),
        "[".repeat(50_000),
        format!("{}x{}", "*".repeat(20_000), "*".repeat(20_000)),
        (0..1_000)
            .map(|i| format!("[^{i}]: [^{}]\n", i + 1))
            .collect(),
        (0..500)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect(),
    ] {
        render_checked(&text, &Images::None).unwrap();
    }
}
