//! YAML mistakes put in plain Chinese at the line where they are (issue #10
//! item 3), and confidential values kept out of every message (item 2): each
//! test makes one mistake in `cases/alpha.yaml` of the basic fixture and runs
//! `biaogan check` as an editor would.

use std::process::Command;

use crate::common::{fixture, Fixture};

const NOW: &str = "2024-10-20";
const ALPHA: &str = "campaigns/2024/cases/alpha.yaml";

/// Runs `biaogan <cmd>` on the fixture with `--format format`: (exit code, stdout + stderr).
fn run(f: &Fixture, cmd: &str, format: &str) -> (i32, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_biaogan"));
    c.arg(cmd)
        .arg("--content")
        .arg(f.content())
        .args(["--now", NOW, "--format", format]);
    if cmd == "build" {
        c.arg("--out").arg(f.dir.path().join("public"));
    }
    let out = c.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// Keys and values a message may name: the case record's keys and the
/// enumerations' values (English words editors write in the YAML).
const VOCABULARY: &str = "organization name credit_code region field focus_area title methods \
    summary order stage objection outcome iso9001 certificate valid_until confidential \
    applied ineligible qualified shortlisted recommended approved withdrawn dismissed upheld \
    campaign yaml id tqm digital YAML Tab true false biaogan new";

/// ASCII words of a message that are neither keys nor values of `src` nor in
/// [`VOCABULARY`]: parser English would show up here.
fn english(message: &str, src: &str) -> Vec<String> {
    fn words(s: &str) -> impl Iterator<Item = &str> {
        s.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
    }
    let known: Vec<&str> = words(src).chain(words(VOCABULARY)).collect();
    words(message)
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()) && !known.contains(w))
        .map(str::to_owned)
        .collect()
}

/// Makes one edit in alpha.yaml, expects `check` to fail with one error at
/// `line:col` whose message and help hold `words` and no English.
fn mistake(from: &str, to: &str, line: usize, col: usize, words: &[&str]) -> String {
    let f = fixture("basic");
    f.edit(ALPHA, from, to);
    let src = f.read(ALPHA);
    let (code, out) = run(&f, "check", "text");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("cases/alpha.yaml:{line}:{col}：")),
        "expected alpha.yaml:{line}:{col}: {out}"
    );
    let d = f.errors(NOW);
    assert_eq!(d.len(), 1, "{d}");
    let e = &d.0[0];
    let text = format!("{} {}", e.message, e.help.as_deref().unwrap_or(""));
    for w in words {
        assert!(text.contains(w), "{w:?} missing from: {text}");
    }
    let en = english(&text, &src);
    assert!(en.is_empty(), "English words {en:?} in: {text}");
    out
}

#[test]
fn tab_used_as_indentation() {
    mistake("  region:", "\tregion:", 4, 1, &["`region`", "Tab", "空格"]);
}

#[test]
fn full_width_spaces_used_as_indentation() {
    mistake(
        "  region:",
        "\u{3000}\u{3000}region:",
        4,
        1,
        &["全角空格", "英文空格"],
    );
}

#[test]
fn full_width_colon_after_a_key() {
    mistake(
        "field: 制造",
        "field：制造",
        5,
        1,
        &["全角冒号", "field: …"],
    );
}

#[test]
fn unclosed_quote_is_reported_at_the_opening_quote() {
    let out = mistake(
        "title: 甲公司数字化质量追溯",
        "title: \"甲公司数字化质量追溯",
        7,
        8,
        &["`title`", "引号", "结束引号"],
    );
    assert!(!out.contains("end of stream"), "{out}");
}

#[test]
fn values_starting_with_yaml_symbols_need_quotes() {
    for (c, what) in [
        ('*', "别名"),
        ('@', "保留符号"),
        ('&', "锚点"),
        ('!', "标签"),
        ('%', "指令"),
        ('`', "保留符号"),
    ] {
        let to = format!("field: {c}制造");
        // `&x` and `!x` alone are valid YAML (an anchor or a tag on an empty
        // value): followed by text they are not.
        let to = if matches!(c, '&' | '!') {
            format!("{to} 服务")
        } else {
            to
        };
        mistake("field: 制造", &to, 5, 8, &["加引号", what, "field: \"…\""]);
    }
}

#[test]
fn colon_and_space_inside_a_value_needs_quotes() {
    mistake(
        "title: 甲公司数字化质量追溯",
        "title: 数字化: 质量追溯",
        7,
        11,
        &["冒号加空格", "加引号", "title: \"…\""],
    );
}

#[test]
fn duplicate_key_is_reported_at_the_second_naming_the_first() {
    mistake(
        "order: 2",
        "order: 2\norder: 3",
        11,
        1,
        &["`order` 写了两次", "第 10 行"],
    );
}

#[test]
fn missing_key_names_the_key_and_the_mapping_line() {
    mistake(
        "  region: 北京市\n",
        "",
        1,
        1,
        &["`organization`（第 1 行）", "缺少必填项 `region`"],
    );
}

#[test]
fn wrong_type_says_what_was_expected() {
    mistake(
        "order: 2",
        "order: 第二",
        10,
        8,
        &["`order` 的值应该是整数", "order: 7"],
    );
    mistake(
        "methods: [质量追溯, SPC]",
        "methods: {a: 1}",
        8,
        10,
        &["`methods` 的值应该是列表"],
    );
}

#[test]
fn unknown_key_suggests_the_close_one() {
    mistake(
        "focus_area: digital",
        "focus_aera: digital",
        6,
        1,
        &["不能写 `focus_aera`", "是否想写 `focus_area`"],
    );
}

#[test]
fn unknown_stage_lists_values_with_meanings_and_finds_the_chinese_one() {
    for written in ["已通过", "已批准"] {
        mistake(
            "stage: approved",
            &format!("stage: {written}"),
            11,
            8,
            &[
                &format!("`{written}` 不是 `stage` 可以使用的值"),
                "是否想写 approved？",
                "applied（已申报）、ineligible（资格审查未通过）、qualified（资格审查通过）",
            ],
        );
    }
    mistake(
        "stage: approved",
        "stage: aproved",
        11,
        8,
        &["是否想写 approved？"],
    );
}

#[test]
fn credit_code_error_points_at_the_code_in_a_flow_mapping() {
    let f = fixture("basic");
    f.edit(
        ALPHA,
        "organization:\n  name: 甲质量股份有限公司\n  credit_code: 91110108MA01ABC1XQ\n  region: 北京市\n",
        "organization: {name: 甲质量股份有限公司, credit_code: 91110108MA01ABC1XA, region: 北京市}\n",
    );
    let d = f.errors(NOW);
    let e = &d.0[0];
    assert_eq!(e.field.as_deref(), Some("organization.credit_code"), "{e}");
    assert_eq!((e.line, e.column), (Some(1), Some(46)), "{e}");
    assert!(e.message.contains("校验码"), "{e}");
    crate::common::chinese::assert_chinese(&e.message);
}

#[test]
fn holidays_errors_carry_their_line() {
    let f = fixture("basic");
    let src = f.read("holidays.yaml");
    let (date, line) = src
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.contains("workdays").then(|| (l, i + 1)))
        .map(|(l, n)| {
            let b = l.find("20").expect("a date in the workdays list");
            (l[b..b + 10].to_owned(), n)
        })
        .expect("a workdays list");
    // A Monday: not a weekend day, so not a workday to list.
    let monday = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
        .unwrap()
        .week(chrono::Weekday::Mon)
        .first_day();
    f.edit("holidays.yaml", &date, &monday.to_string());
    let d = f.errors(NOW);
    let e = d
        .iter()
        .find(|e| e.file.ends_with("holidays.yaml"))
        .expect("holidays error");
    assert_eq!(e.line, Some(line), "{e}");
    assert!(
        e.message.contains("workdays 只列出调休上班的周六、周日"),
        "{e}"
    );
}

/// A 5,000-character line is shown as a window around the column, the caret under it.
#[test]
fn very_long_line_is_windowed_around_the_caret() {
    let f = fixture("basic");
    let long = "质".repeat(2_500);
    f.edit(ALPHA, "stage: approved", &format!("stage: {long}x"));
    let (code, out) = run(&f, "check", "text");
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let shown = lines
        .iter()
        .position(|l| l.starts_with("11 | "))
        .expect(&out);
    let src_line = lines[shown];
    let caret = lines[shown + 1];
    assert!(src_line.chars().count() <= 100, "{src_line}");
    assert!(caret.chars().count() <= 100, "{caret}");
    assert!(src_line.contains('…'), "{src_line}");
    use unicode_width::UnicodeWidthStr;
    let at = caret.find('^').expect(caret);
    assert_eq!(
        UnicodeWidthStr::width(&caret[..at]),
        UnicodeWidthStr::width(&src_line[..src_line.find("质").unwrap()]),
        "caret under the value's first character:\n{src_line}\n{caret}"
    );
}

/// Each kind of mistake inside `confidential:`: the sentinel values never
/// appear in `check` or `build` output, in any format.
#[test]
fn confidential_values_never_appear_in_messages() {
    const SECRETS: [&str; 2] = ["SENTINEL-ALPHA-COMMENT", "13800000001"];
    let cases: [(&str, &str); 9] = [
        ("  phone:", "\tphone:"),
        ("  phone:", "\u{3000}\u{3000}phone:"),
        ("  phone:", "  phone："),
        (
            "  reviewer_comments: SENTINEL",
            "  reviewer_comments: \"SENTINEL",
        ),
        (
            "  reviewer_comments: SENTINEL",
            "  reviewer_comments: @SENTINEL",
        ),
        (
            "  reviewer_comments: SENTINEL",
            "  reviewer_comments: 评语: SENTINEL",
        ),
        (
            "  phone: \"13800000001\"",
            "  phone: \"13800000001\"\n  phone: \"13800000001\"",
        ),
        ("  phone: \"13800000001\"", "  phone: \"138\u{b}00000001\""),
        (
            "  scores: {material: 91.5}",
            "  scores: {material: 91.5, material: 13800000001}",
        ),
    ];
    for (from, to) in cases {
        let f = fixture("basic");
        f.edit(ALPHA, from, to);
        for cmd in ["check", "build"] {
            for format in ["text", "json", "github"] {
                let (code, out) = run(&f, cmd, format);
                assert_eq!(code, 1, "{to:?} {cmd} {format}: {out}");
                assert!(out.contains("alpha.yaml"), "{to:?} {cmd} {format}: {out}");
                for s in SECRETS {
                    assert!(
                        !out.contains(s) && !out.contains("138\\u000b"),
                        "{s} leaked for {to:?} ({cmd} --format {format}):\n{out}"
                    );
                }
            }
        }
    }
}

/// A second `confidential:` block is a duplicate key named by its key only.
#[test]
fn confidential_block_written_twice_names_the_key_only() {
    let f = fixture("basic");
    let src = f.read(ALPHA);
    let block = &src[src.find("confidential:").unwrap()..];
    f.write(ALPHA, &format!("{src}{block}"));
    let (code, out) = run(&f, "check", "text");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("`confidential` 写了两次：第 13 行"), "{out}");
    assert!(
        !out.contains("SENTINEL") && !out.contains("13800000001"),
        "{out}"
    );
}

/// A focus area written as its Chinese title: the id is suggested, and the
/// round's focus areas are listed with their titles.
#[test]
fn focus_area_written_as_its_title_suggests_the_id() {
    mistake(
        "focus_area: digital",
        "focus_area: 质量管理数字化",
        6,
        13,
        &[
            "不是本轮 campaign.yaml 中的重点方向",
            "是否想写 digital？",
            "tqm（全面质量管理）、digital（质量管理数字化）",
        ],
    );
}
