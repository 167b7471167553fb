//! Bad content gets an error naming file, line, field and fix; all errors of a
//! build come together; nothing panics.

use crate::common::fixture;

use biaogan::diagnostics::Diagnostic;

fn only(d: &biaogan::diagnostics::Diagnostics) -> &Diagnostic {
    assert_eq!(d.len(), 1, "expected one error, got:\n{d}");
    &d.0[0]
}

fn ends_with(d: &Diagnostic, rel: &str) {
    assert!(
        d.file.ends_with(rel),
        "error is about {}, expected {rel}",
        d.file.display()
    );
}

#[test]
fn invalid_credit_code_names_file_line_field_and_check_digit() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "91110108MA01ABC1XQ",
        "91110108MA01ABC1XR",
    );
    let d = f.errors("2024-10-20");
    let e = only(&d);
    ends_with(e, "cases/alpha.yaml");
    assert_eq!(e.field.as_deref(), Some("organization.credit_code"));
    assert_eq!(e.line, Some(3));
    assert_eq!(e.column, Some(16));
    assert!(e.message.contains("应为 `Q`"), "{e}");
    let shown = e.to_string();
    assert!(shown.contains("cases/alpha.yaml:3:16"), "{shown}");
    assert!(shown.contains("^^^^"), "a caret under the value: {shown}");
}

#[test]
fn unknown_key_is_rejected_with_a_suggestion() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "title: 甲公司",
        "titel: 甲公司",
    );
    let d = f.errors("2024-10-20");
    let e = only(&d);
    assert_eq!(e.field.as_deref(), Some("titel"));
    assert_eq!(e.line, Some(7));
    assert!(
        e.help.as_deref().unwrap().contains("是否想写 `title`"),
        "{e}"
    );
}

#[test]
fn misplaced_confidential_looking_key_is_not_silently_published() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "  region: 北京市",
        "  region: 北京市\n  phone: \"13800000009\"",
    );
    let e = only(&f.errors("2024-10-20")).clone();
    assert_eq!(e.field.as_deref(), Some("organization.phone"));
    assert!(e.help.unwrap().contains("confidential"));
}

#[test]
fn unknown_stage_field_and_focus_area() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "stage: approved",
        "stage: aproved",
    );
    f.edit(
        "campaigns/2024/cases/beta.yaml",
        "field: 建筑",
        "field: 建造",
    );
    f.edit(
        "campaigns/2024/cases/gamma.yaml",
        "focus_area: tqm",
        "focus_area: tqn",
    );
    let d = f.errors("2024-10-20");
    assert_eq!(d.len(), 3, "all errors of the build together:\n{d}");
    let alpha = d.iter().find(|e| e.file.ends_with("alpha.yaml")).unwrap();
    assert_eq!(alpha.field.as_deref(), Some("stage"));
    assert!(
        alpha
            .help
            .as_deref()
            .unwrap()
            .contains("是否想写 approved？"),
        "{alpha}"
    );
    let beta = d.iter().find(|e| e.file.ends_with("beta.yaml")).unwrap();
    assert_eq!((beta.field.as_deref(), beta.line), (Some("field"), Some(5)));
    assert!(beta.help.as_deref().unwrap().contains("制造、建筑、服务"));
    let gamma = d.iter().find(|e| e.file.ends_with("gamma.yaml")).unwrap();
    assert_eq!(
        (gamma.field.as_deref(), gamma.line),
        (Some("focus_area"), Some(6))
    );
    assert!(gamma.help.as_deref().unwrap().contains("是否想写 tqm？"));
}

#[test]
fn second_record_for_a_case_as_yml_is_refused() {
    let f = fixture("basic");
    f.write(
        "campaigns/2024/cases/alpha.yml",
        &f.read("campaigns/2024/cases/alpha.yaml"),
    );
    let d = f.errors("2024-10-20");
    let e = only(&d);
    // Only `.yaml` is read: the `.yml` copy is named as a misnamed record.
    ends_with(e, "cases/alpha.yml");
    assert!(
        e.help.as_deref().unwrap().contains("改名为 alpha.yaml"),
        "{e}"
    );
}

#[test]
fn missing_summary_and_missing_image() {
    let f = fixture("basic");
    std::fs::remove_file(f.path("campaigns/2024/cases/beta.md")).unwrap();
    std::fs::remove_file(f.path("campaigns/2024/cases/alpha/arch.svg")).unwrap();
    // The summary is checked when loading.
    let d = f.errors("2024-10-20");
    let e = only(&d);
    ends_with(e, "cases/beta.yaml");
    assert_eq!(e.field.as_deref(), Some("summary"));
    assert_eq!(e.line, Some(9));
    // The image when rendering: the summary's file and line.
    f.write("campaigns/2024/cases/beta.md", "## 一\n\n正文\n");
    let d = f.errors("2024-10-20");
    let e = only(&d);
    ends_with(e, "cases/alpha.md");
    assert_eq!(e.line, Some(6));
    assert!(e.message.contains("找不到图片文件"), "{e}");
}

#[test]
fn approved_case_without_summary_field() {
    let f = fixture("basic");
    f.edit("campaigns/2024/cases/beta.yaml", "summary: beta.md\n", "");
    let e = only(&f.errors("2024-10-20")).clone();
    assert_eq!(e.field.as_deref(), Some("summary"));
    assert!(e.message.contains("必须有经验总结"));
}

#[test]
fn iso_certificate_expired_before_the_deadline() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/beta.yaml",
        "valid_until: 2025-06-30",
        "valid_until: 2024-05-30",
    );
    let e = only(&f.errors("2024-10-20")).clone();
    assert_eq!(e.field.as_deref(), Some("iso9001.valid_until"));
    assert_eq!(e.line, Some(13));
    assert!(e.message.contains("2024-05-31"), "{e}");
    // Valid on the deadline day itself is fine.
    f.edit(
        "campaigns/2024/cases/beta.yaml",
        "valid_until: 2024-05-30",
        "valid_until: 2024-05-31",
    );
    assert!(f.check("2024-10-20").is_ok());
}

#[test]
fn expired_certificate_is_fine_for_an_ineligible_case() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/epsilon.yaml",
        "stage: ineligible",
        "stage: ineligible\niso9001: {certificate: X, valid_until: 2020-01-01}",
    );
    assert!(f.check("2024-10-20").is_ok());
}

#[test]
fn publicity_end_must_match_the_computed_end() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/campaign.yaml",
        "end: 2024-10-12",
        "end: 2024-10-11",
    );
    let e = only(&f.errors("2024-10-20")).clone();
    ends_with(&e, "campaign.yaml");
    assert_eq!(e.field.as_deref(), Some("publicity.end"));
    assert_eq!(e.line, Some(28));
    assert!(e.message.contains("应到 2024-10-12 结束"), "{e}");
    assert!(e.help.unwrap().contains("end: 2024-10-12"));
}

#[test]
fn a_date_in_a_year_the_holidays_do_not_cover() {
    let f = fixture("basic");
    // Results may fall early in the next year, which holidays.yaml (2024 only) lacks.
    f.edit(
        "campaigns/2024/campaign.yaml",
        "date: 2024-10-20",
        "date: 2025-01-10",
    );
    // The revocation (dated 2024-12-02) would now come before the results.
    for rel in ["alpha.yaml", "alpha.md"] {
        std::fs::remove_file(f.path(&format!("campaigns/2024/revocations/{rel}"))).unwrap();
    }
    let e = only(&f.errors("2024-10-20")).clone();
    assert_eq!(e.field.as_deref(), Some("results.date"));
    assert!(e.message.contains("没有 2025 年的安排"), "{e}");
}

#[test]
fn yaml_syntax_error_has_a_real_position() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "methods: [质量追溯, SPC]",
        "methods: [质量追溯, SPC",
    );
    let e = only(&f.errors("2024-10-20")).clone();
    ends_with(&e, "alpha.yaml");
    // At the opening bracket, not where the parser gave up.
    assert_eq!((e.line, e.column), (Some(8), Some(10)), "{e}");
    assert!(e.message.contains("没有写结束的 ]"), "{e}");
    assert!(
        !e.message.contains("at line"),
        "the position is not repeated: {e}"
    );
}

#[test]
fn errors_in_several_files_are_reported_together_and_sorted() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "stage: approved",
        "stage: nope",
    );
    f.edit(
        "campaigns/2024/cases/beta.yaml",
        "stage: approved",
        "stage: nope",
    );
    f.edit("site.yaml", "title:", "titl:");
    let d = f.errors("2024-10-20");
    assert_eq!(d.len(), 3, "{d}");
    let files: Vec<_> = d
        .iter()
        .map(|e| e.file.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["alpha.yaml", "beta.yaml", "site.yaml"]);
    assert!(d.to_string().ends_with("发现 3 个错误"));
}

#[test]
fn paths_that_leave_the_content_folder_are_errors() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/campaign.yaml",
        "file: attachments/form.docx",
        "file: ../../../../etc/passwd",
    );
    f.edit(
        "campaigns/2024/cases/beta.yaml",
        "summary: beta.md",
        "summary: /etc/passwd",
    );
    let d = f.errors("2024-10-20");
    assert_eq!(d.len(), 2, "{d}");
    assert!(d.iter().any(|e| e.message.contains("..")));
    assert!(d.iter().any(|e| e.message.contains("绝对路径")));
}

#[test]
fn template_errors_name_the_template_file_and_line() {
    let f = fixture("basic");
    let theme = f.dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(theme.join("404.html"), "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ missing_var.x }}</p>\n{% endblock content %}\n").unwrap();
    let d = f.errors("2024-10-20");
    let e = only(&d);
    assert!(e.file.ends_with("themes/default/templates/404.html"), "{e}");
    assert_eq!(e.line, Some(3));
    // A syntax error too, in another template: both are reported.
    std::fs::write(
        theme.join("home.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock content %}\n",
    )
    .unwrap();
    let d = f.errors("2024-10-20");
    assert!(
        d.iter()
            .any(|e| e.file.ends_with("home.html") && e.line == Some(3)),
        "{d}"
    );
}

#[test]
fn a_site_override_replaces_one_template() {
    let f = fixture("basic");
    let theme = f.dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(
        theme.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>自定义404</h1>{% endblock content %}",
    )
    .unwrap();
    let site = f.site("2024-10-20");
    assert_eq!(site.page("404.html").one("h1"), "自定义404");
    assert_eq!(site.page("index.html").one("h1"), "测试标杆站");
}

#[test]
fn site_yaml_time_zone_and_base_url_are_checked_in_place() {
    let f = fixture("basic");
    f.edit(
        "site.yaml",
        "base_url: https://example.org",
        "base_url: example.org\ntimezone: Asia/Shangai",
    );
    let d = f.errors("2024-10-20");
    assert_eq!(d.len(), 2, "{d}");
    let tz = d
        .iter()
        .find(|e| e.field.as_deref() == Some("timezone"))
        .unwrap();
    assert_eq!((tz.line, tz.column), (Some(3), Some(11)));
    assert!(tz.help.as_deref().unwrap().contains("Asia/Shanghai"));
    let url = d
        .iter()
        .find(|e| e.field.as_deref() == Some("base_url"))
        .unwrap();
    assert_eq!(url.line, Some(2));
    assert!(url.help.as_deref().unwrap().contains("https://"));
}
