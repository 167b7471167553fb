//! Editors' mistakes the loader catches (issue #10 item 1): each test makes one
//! mistake in a copy of the basic fixture and expects the error at the right
//! file and line, in Chinese, or the content handled as the editor meant.

use crate::common::fixture;

use biaogan::diagnostics::{Diagnostic, Diagnostics};

const NOW: &str = "2024-10-20";

/// The one error of a build that must fail.
fn only(d: &Diagnostics) -> &Diagnostic {
    assert_eq!(d.len(), 1, "expected one error, got:\n{d}");
    &d.0[0]
}

/// Asserts the error's file, line (when given) and that message or help hold `words`.
fn at(e: &Diagnostic, rel: &str, line: Option<usize>, words: &[&str]) {
    assert!(
        e.file.ends_with(rel),
        "error is about {}, expected {rel}: {e}",
        e.file.display()
    );
    assert_eq!(e.line, line, "{e}");
    let text = format!("{} {}", e.message, e.help.as_deref().unwrap_or(""));
    for w in words {
        assert!(text.contains(w), "{w:?} missing from: {e}");
    }
}

#[test]
fn byte_order_mark_is_ignored_in_records_and_summaries() {
    let f = fixture("basic");
    for rel in [
        "site.yaml",
        "campaigns/2024/campaign.yaml",
        "campaigns/2024/cases/alpha.yaml",
        "campaigns/2024/cases/alpha.md",
    ] {
        let text = f.read(rel);
        f.write(rel, &format!("\u{feff}{text}"));
    }
    let site = f.site(NOW);
    let c = site.page("2024/cases/alpha/index.html");
    assert_eq!(c.all(".toc a")[0], "一、背景");
    assert_eq!(c.attrs(".summary h2", "id")[0], "sec-1");
    assert!(!site
        .text("2024/cases/alpha/index.html")
        .contains('\u{feff}'));
}

#[test]
fn record_saved_as_yaml_txt_is_an_error_naming_the_right_name() {
    let f = fixture("basic");
    let text = f.read("campaigns/2024/cases/alpha.yaml");
    std::fs::remove_file(f.path("campaigns/2024/cases/alpha.yaml")).unwrap();
    f.write("campaigns/2024/cases/alpha.yaml.txt", &text);
    let d = f.errors(NOW);
    // alpha.md is now unreferenced too, and alpha's revocation names an unknown case.
    let e = d
        .iter()
        .find(|e| e.file.ends_with("alpha.yaml.txt"))
        .expect("error for alpha.yaml.txt");
    at(
        e,
        "cases/alpha.yaml.txt",
        None,
        &["不会被读取", "Windows 隐藏了扩展名", "改名为 alpha.yaml"],
    );
    let md = d
        .iter()
        .find(|e| e.file.ends_with("cases/alpha.md"))
        .expect("error for alpha.md");
    at(
        md,
        "cases/alpha.md",
        None,
        &["没有被任何案例记录引用", "没有 alpha.yaml"],
    );
}

#[test]
fn misnamed_records_in_every_content_folder_are_errors() {
    let cases = [
        ("campaigns/2024/cases/nm-dairy.Yaml", "改名为 nm-dairy.yaml"),
        (
            "campaigns/2024/cases/nm-dairy2.yml",
            "改名为 nm-dairy2.yaml",
        ),
        (
            "campaigns/2024/cases/nm-dairy3.md.txt",
            "改名为 nm-dairy3.md",
        ),
        ("campaigns/2024/revocations/beta.YML", "改名为 beta.yaml"),
        ("events/2025-01-visit.yaml.txt", "改名为 2025-01-visit.yaml"),
        ("holidays.Yaml", "改名为 holidays.yaml"),
        ("campaigns/2024/campaign.yaml.txt", "改名为 campaign.yaml"),
    ];
    for (rel, fix) in cases {
        let f = fixture("basic");
        f.write(rel, "title: x\n");
        let d = f.errors(NOW);
        at(only(&d), rel, None, &["不会被读取", fix]);
    }
}

#[test]
fn files_beside_records_that_biaogan_uses_are_not_flagged() {
    let f = fixture("basic");
    f.write("campaigns/2024/cases/alpha/photo.png", "not checked here");
    f.write("campaigns/2024/cases/notes.txt", "编辑的备忘");
    f.write("campaigns/2024/attachments/guide.pdf", "%PDF");
    f.site(NOW);
}

#[test]
fn summary_that_no_record_names_is_an_error() {
    let f = fixture("basic");
    f.write("campaigns/2024/cases/nm-dairy.md", "## 一、背景\n\n正文\n");
    let d = f.errors(NOW);
    at(
        only(&d),
        "cases/nm-dairy.md",
        None,
        &["不会被发布", "没有 nm-dairy.yaml"],
    );

    let f = fixture("basic");
    f.edit("campaigns/2024/cases/alpha.yaml", "summary: alpha.md\n", "");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "stage: approved",
        "stage: applied",
    );
    let d = f.errors(NOW);
    let e = d
        .iter()
        .find(|e| e.file.ends_with("alpha.md"))
        .expect("alpha.md reported");
    at(
        e,
        "cases/alpha.md",
        None,
        &["不会被发布", "summary: alpha.md"],
    );
}

#[test]
fn revocation_text_without_its_record_is_an_error() {
    let f = fixture("basic");
    f.write("campaigns/2024/revocations/beta.md", "撤销说明\n");
    let d = f.errors(NOW);
    at(
        only(&d),
        "revocations/beta.md",
        None,
        &["没有对应的记录", "beta.yaml"],
    );
}

#[test]
fn blank_summary_is_an_error() {
    let f = fixture("basic");
    f.write("campaigns/2024/cases/alpha.md", " \n\u{3000}\n\t\n");
    let d = f.errors(NOW);
    at(only(&d), "cases/alpha.md", None, &["经验总结是空的"]);
}

#[test]
fn empty_null_and_tilde_required_text_are_errors_at_the_key() {
    let cases = [
        (
            "campaigns/2024/cases/alpha.yaml",
            "title: 甲公司数字化质量追溯",
            "title:",
            "title",
        ),
        (
            "campaigns/2024/cases/alpha.yaml",
            "title: 甲公司数字化质量追溯",
            "title: null",
            "title",
        ),
        (
            "campaigns/2024/cases/alpha.yaml",
            "name: 甲质量股份有限公司",
            "name: ~",
            "organization.name",
        ),
        (
            "campaigns/2024/cases/alpha.yaml",
            "region: 北京市",
            "region: '  '",
            "organization.region",
        ),
        (
            "campaigns/2024/campaign.yaml",
            "number: 中国质协字〔2024〕88号",
            "number:",
            "results.number",
        ),
        (
            "campaigns/2024/campaign.yaml",
            "title: 关于公布2024年质量标杆典型经验名单的通知",
            "title: NULL",
            "results.title",
        ),
        (
            "campaigns/2024/campaign.yaml",
            "number: 中国质协字〔2024〕50号",
            "number: ~",
            "notice.number",
        ),
        ("site.yaml", "title: 测试标杆站", "title: null", "title"),
        (
            "events/2024-11-lecture-beijing.yaml",
            "title: 专家讲座（北京站）",
            "title: ~",
            "title",
        ),
    ];
    for (rel, from, to, field) in cases {
        let f = fixture("basic");
        let line = f
            .read(rel)
            .lines()
            .position(|l| l.contains(from))
            .map(|i| i + 1);
        f.edit(rel, from, to);
        let d = f.errors(NOW);
        let e = only(&d);
        at(e, rel, line, &["不能为空"]);
        assert_eq!(e.field.as_deref(), Some(field), "{e}");
    }
}

/// The errors about `rel` (a path ending).
fn about<'a>(d: &'a Diagnostics, rel: &str) -> Vec<&'a Diagnostic> {
    d.iter().filter(|e| e.file.ends_with(rel)).collect()
}

#[test]
fn round_copied_from_last_year_is_refused_for_its_dates_and_numbers() {
    let f = fixture("basic");
    crate::common::copy_dir(&f.path("campaigns/2024"), &f.path("campaigns/2025"));
    f.edit("campaigns/2025/campaign.yaml", "year: 2024", "year: 2025");
    let d = f.errors(NOW);
    let camp = about(&d, "campaigns/2025/campaign.yaml");
    let field = |name: &str| {
        *camp
            .iter()
            .find(|e| e.field.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("no error on {name}:\n{d}"))
    };
    at(
        field("notice.date"),
        "campaigns/2025/campaign.yaml",
        Some(5),
        &["2024-04-15 不在 2025 年内"],
    );
    at(
        field("publicity.start"),
        "campaigns/2025/campaign.yaml",
        Some(26),
        &["不在 2025 年内"],
    );
    at(
        field("results.date"),
        "campaigns/2025/campaign.yaml",
        Some(38),
        &["不在 2025 年内"],
    );
    at(
        field("notice.number"),
        "campaigns/2025/campaign.yaml",
        Some(3),
        &[
            "文号“中国质协字〔2024〕50号”已在 campaigns/2024/campaign.yaml 第 3 行用过",
            "换成本年度",
        ],
    );
    at(
        field("results.number"),
        "campaigns/2025/campaign.yaml",
        Some(36),
        &["已在 campaigns/2024/campaign.yaml 第 36 行用过"],
    );
    at(
        field("publicity.number"),
        "campaigns/2025/campaign.yaml",
        Some(24),
        &["公示〔2024〕1号"],
    );
    let rev = about(&d, "campaigns/2025/revocations/alpha.yaml");
    let rev = rev
        .iter()
        .find(|e| e.message.contains("文号"))
        .expect("revocation number reported");
    at(
        rev,
        "campaigns/2025/revocations/alpha.yaml",
        Some(2),
        &["已在 campaigns/2024/revocations/alpha.yaml 第 2 行用过"],
    );
    // The original round is not blamed.
    assert!(about(&d, "campaigns/2024/campaign.yaml").is_empty(), "{d}");
}

#[test]
fn results_may_be_published_until_march_of_the_next_year_only() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/campaign.yaml",
        "date: 2024-10-20",
        "date: 2025-04-01",
    );
    let d = f.errors(NOW);
    let e = about(&d, "campaigns/2024/campaign.yaml");
    assert_eq!(e.len(), 1, "{d}");
    at(
        e[0],
        "campaigns/2024/campaign.yaml",
        Some(38),
        &["2025-04-01 不在 2024 年内", "最晚可到 2025 年 3 月底"],
    );
}

#[test]
fn a_number_used_twice_in_one_round_is_an_error_at_the_second_use() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/campaign.yaml",
        "number: 中国质协字〔2024〕88号",
        "number: 中国质协字〔2024〕 50号",
    );
    let d = f.errors(NOW);
    let e = only(&d);
    at(
        e,
        "campaigns/2024/campaign.yaml",
        Some(36),
        &["已在 campaigns/2024/campaign.yaml 第 3 行用过"],
    );
    assert_eq!(e.field.as_deref(), Some("results.number"));
}

#[test]
fn lists_without_cases_are_errors() {
    let f = fixture("basic");
    for case in ["alpha", "beta", "gamma"] {
        let rel = format!("campaigns/2024/cases/{case}.yaml");
        let s = f
            .read(&rel)
            .replace("stage: approved", "stage: shortlisted")
            .replace("stage: recommended", "stage: shortlisted");
        let s: String = s
            .lines()
            .filter(|l| !l.starts_with("objection:"))
            .map(|l| format!("{l}\n"))
            .collect();
        f.write(&rel, &s);
    }
    let d = f.errors(NOW);
    let camp = about(&d, "campaigns/2024/campaign.yaml");
    let publicity = camp
        .iter()
        .find(|e| e.field.as_deref() == Some("publicity"))
        .unwrap_or_else(|| panic!("publicity not reported:\n{d}"));
    at(
        publicity,
        "campaigns/2024/campaign.yaml",
        Some(23),
        &["公示名单上没有案例", "stage: recommended"],
    );
    let results = camp
        .iter()
        .find(|e| e.field.as_deref() == Some("results"))
        .expect("results reported");
    at(
        results,
        "campaigns/2024/campaign.yaml",
        Some(35),
        &["结果名单上没有案例"],
    );
}

#[test]
fn event_dates_outside_the_holiday_calendar_are_errors() {
    // basic's holidays.yaml covers 2024 only.
    let rel = "events/2024-11-lecture-beijing.yaml";
    let f = fixture("basic");
    f.edit(rel, "start: 2024-11-20T09:00", "start: 2027-01-20T09:00");
    f.edit(rel, "end: 2024-11-20T17:00", "end: 2027-01-20T17:00");
    let d = f.errors(NOW);
    assert_eq!(d.len(), 2, "{d}");
    at(&d.0[0], rel, Some(3), &["2027"]);
    at(&d.0[1], rel, Some(4), &["2027"]);
    // Ending at 24:00 on 31 December stays in the year.
    let f = fixture("basic");
    f.edit(rel, "end: 2024-11-20T17:00", "end: 2024-12-31T24:00");
    f.site(NOW);
}

#[test]
fn revocation_date_outside_the_holiday_calendar_is_an_error() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/revocations/alpha.yaml",
        "date: 2024-12-02",
        "date: 2025-02-02",
    );
    let d = f.errors(NOW);
    at(
        only(&d),
        "campaigns/2024/revocations/alpha.yaml",
        Some(3),
        &["2025"],
    );
}

/// Runs `biaogan check` on the fixture: (exit code, stderr).
fn check_cli(f: &crate::common::Fixture, strict: bool) -> (i32, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_biaogan"));
    cmd.arg("check")
        .arg("--content")
        .arg(f.content())
        .args(["--now", NOW]);
    if strict {
        cmd.arg("--strict");
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn hash_in_a_plain_title_is_a_warning_and_an_error_with_strict() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "title: 甲公司数字化质量追溯",
        "title: 甲公司数字化质量追溯 #1号",
    );
    let site = f.site(NOW);
    // Published as YAML reads it: the warning says so.
    assert_eq!(
        site.page("2024/cases/alpha/index.html").one("h1"),
        "甲公司数字化质量追溯"
    );
    let (code, err) = check_cli(&f, false);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("警告：") && err.contains("cases/alpha.yaml:7:19"),
        "{err}"
    );
    assert!(
        err.contains("# 之后的内容被当作注释删除了") && err.contains("加引号"),
        "{err}"
    );
    let (code, err) = check_cli(&f, true);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("错误：") && err.contains("cases/alpha.yaml:7:19"),
        "{err}"
    );
    // A comment meant as one (a space after #) is not flagged.
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "title: 甲公司数字化质量追溯",
        "title: 甲公司数字化质量追溯 # 暂定",
    );
    let (code, err) = check_cli(&f, true);
    assert_eq!((code, err.contains("警告")), (0, false), "{err}");
}

#[test]
fn full_width_colon_after_a_key_is_an_error_at_its_line() {
    let f = fixture("basic");
    // Over-indented under title: YAML would make it part of the title.
    f.edit("campaigns/2024/cases/alpha.yaml", "order: 2", "  order：2");
    let d = f.errors(NOW);
    let e = only(&d);
    at(e, "cases/alpha.yaml", Some(10), &["全角冒号", "order: …"]);
    assert_eq!(e.column, Some(3));
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "field: 制造",
        "field：制造",
    );
    let d = f.errors(NOW);
    at(
        only(&d),
        "cases/alpha.yaml",
        Some(5),
        &["`field` 后面是全角冒号"],
    );
}

#[test]
fn markdown_beside_events_is_an_error() {
    let f = fixture("basic");
    f.write("events/2024-11-lecture-beijing.md", "讲座介绍\n");
    let d = f.errors(NOW);
    at(
        only(&d),
        "events/2024-11-lecture-beijing.md",
        None,
        &["不会被读取", "body: |"],
    );
}
