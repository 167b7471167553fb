//! `biaogan new`: every template fails `check` with the placeholder error
//! until an editor fills it in, and passes once filled with valid values.

use crate::common::{fixture, Fixture};

use std::fs;
use std::process::{Command, Output};

fn biaogan(f: &Fixture, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_biaogan"))
        .args(args)
        .current_dir(f.dir.path())
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `new …` succeeds and says what to do next, in Chinese.
fn create(f: &Fixture, args: &[&str]) -> String {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    let o = biaogan(f, &all);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("已新建") && out.contains("下一步"), "{out}");
    out
}

fn check(f: &Fixture, now: &str) -> Output {
    biaogan(f, &["check", "--now", now])
}

/// `check` fails, naming the file and the unfilled placeholder.
fn refused(f: &Fixture, now: &str, file: &str) {
    let o = check(f, now);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("占位内容未填写"), "{out}");
    assert!(out.contains(file), "{file} not named:\n{out}");
}

fn passes(f: &Fixture, now: &str) {
    let o = check(f, now);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// Replaces the placeholders of `rel` outside comment lines, in order, by
/// `values`; there must be exactly as many.
fn fill(f: &Fixture, rel: &str, values: &[&str]) {
    let mut out = String::new();
    let mut rest = values.iter();
    for line in f.read(rel).lines() {
        let mut line = line.to_owned();
        if !line.trim_start().starts_with('#') {
            while let Some(start) = line.find("【待填写") {
                let end = start + line[start..].find('】').unwrap() + '】'.len_utf8();
                let value = rest.next().expect("more placeholders than values");
                line.replace_range(start..end, value);
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    assert!(
        rest.next().is_none(),
        "fewer placeholders than values in {rel}"
    );
    f.write(rel, &out);
}

/// Deletes the leading `# ` of the commented-out block starting at `start`.
fn uncomment(f: &Fixture, rel: &str, start: &str) {
    let mut inside = false;
    let mut out = String::new();
    for line in f.read(rel).lines() {
        inside = inside || line == start;
        if inside && line.starts_with('#') {
            out.push_str(line.strip_prefix("# ").unwrap_or(""));
        } else {
            inside = false;
            out.push_str(line);
        }
        out.push('\n');
    }
    f.write(rel, &out);
}

#[test]
fn new_round_carries_settings_over_and_a_whole_round_passes_once_filled() {
    let f = fixture("basic");
    let out = create(&f, &["round", "2025"]);
    assert!(
        out.contains("holidays.yaml"),
        "missing-year reminder:\n{out}"
    );
    let rec = f.read("campaigns/2025/campaign.yaml");
    // Settings carried over; the 2024 文号 and dates are not.
    assert!(
        rec.contains("text: 质量管理数字化升级的典型经验。"),
        "{rec}"
    );
    assert!(rec.contains("异议须说明事实并提供证据。"), "{rec}");
    assert!(!rec.contains("number: 中国质协字〔2024〕50号"), "{rec}");
    assert!(!rec.contains("2024-05-31"), "{rec}");
    assert!(!rec.contains("88号"), "{rec}");
    assert!(f.path("campaigns/2025/attachments/form.docx").is_file());
    assert!(!f.path("campaigns/2025/cases").exists());
    let mut holidays = f.read("holidays.yaml");
    holidays.push_str("2025:\n  holidays:\n    - {name: 国庆节, start: 2025-10-01, end: 2025-10-08}\n  workdays: [2025-09-28, 2025-10-11]\n");
    f.write("holidays.yaml", &holidays);

    refused(&f, "2025-05-01", "campaigns/2025/campaign.yaml");
    fill(
        &f,
        "campaigns/2025/campaign.yaml",
        &[
            "中国质协字〔2025〕50号",
            "关于开展2025年质量标杆典型经验遴选与交流活动的通知",
            "2025-04-15",
            "2025-05-31",
            "2025年6月上旬",
            "2025年9月下旬",
            "\"2025-05-31 24:00\"",
            "https://example.org/apply-2025",
        ],
    );
    refused(&f, "2025-05-01", "campaigns/2025/notice.md");
    f.write(
        "campaigns/2025/notice.md",
        "## 一、活动内容\n\n开展2025年遴选。\n",
    );
    passes(&f, "2025-05-01");

    // Publicity and results: uncomment the blocks the template left, fill them.
    create(&f, &["case", "2025", "acme"]);
    fill(
        &f,
        "campaigns/2025/cases/acme.yaml",
        &[
            "甲乙丙制造有限公司",
            "91110108MA63K75Y94",
            "北京市",
            "制造",
            "digital",
            "数字化质量追溯",
            "Q-ACME-1",
            "2027-01-01",
        ],
    );
    f.edit(
        "campaigns/2025/cases/acme.yaml",
        "stage: applied",
        "stage: approved",
    );
    f.write("campaigns/2025/cases/acme.md", "## 一、背景\n\n正文。\n");
    let rec = "campaigns/2025/campaign.yaml";
    uncomment(&f, rec, "# publicity:");
    uncomment(&f, rec, "# results:");
    refused(&f, "2025-12-01", rec);
    fill(
        &f,
        rec,
        &[
            "公示〔2025〕1号",
            "关于2025年质量标杆典型经验推荐名单的公示",
            "2025-09-15",
            "中国质协字〔2025〕88号",
            "关于公布2025年质量标杆典型经验名单的通知",
            "2025-10-20",
        ],
    );
    passes(&f, "2025-12-01");
}

#[test]
fn new_case_needs_record_and_summary_filled() {
    let f = fixture("basic");
    let out = create(&f, &["case", "2024", "acme"]);
    assert!(
        out.contains("cases/acme.yaml") && out.contains("cases/acme.md"),
        "{out}"
    );
    let rec = f.read("campaigns/2024/cases/acme.yaml");
    // The round's choices are listed in the comments, with their meaning.
    assert!(rec.contains("tqm（全面质量管理）"), "{rec}");
    assert!(rec.contains("recommended（通过答辩评审"), "{rec}");
    refused(&f, "2024-10-20", "campaigns/2024/cases/acme.yaml");
    fill(
        &f,
        "campaigns/2024/cases/acme.yaml",
        &[
            "甲乙丙制造有限公司",
            "91110108MA63K75Y94",
            "北京市",
            "制造",
            "tqm",
            "全员质量改进",
            "Q-ACME-1",
            "2026-01-01",
        ],
    );
    refused(&f, "2024-10-20", "campaigns/2024/cases/acme.md");
    f.write("campaigns/2024/cases/acme.md", "## 一、背景\n\n正文。\n");
    passes(&f, "2024-10-20");
}

#[test]
fn new_event_passes_once_filled() {
    let f = fixture("basic");
    create(&f, &["event", "2024-12-lecture-xian"]);
    let rel = "events/2024-12-lecture-xian.yaml";
    // The contact is the office's, from site.yaml.
    assert!(f.read(rel).contains("contact: "), "{}", f.read(rel));
    refused(&f, "2024-12-05", rel);
    fill(
        &f,
        rel,
        &[
            "质量标杆专家讲座（西安站）",
            "lecture",
            "2024-12-20T09:00",
            "2024-12-20T17:00",
            "西安",
            "西安市雁塔区会议中心",
            "2024-12-13",
            "https://example.org/register/xian",
            "2024-12-01",
            "讲座介绍。",
        ],
    );
    passes(&f, "2024-12-05");
}

#[test]
fn new_revocation_passes_once_filled() {
    let f = fixture("basic");
    create(&f, &["revocation", "2024", "beta"]);
    let rel = "campaigns/2024/revocations/beta.yaml";
    assert!(f.read(rel).contains("case: beta"));
    refused(&f, "2024-12-20", rel);
    fill(
        &f,
        rel,
        &[
            "中国质协字〔2024〕130号",
            "2024-12-10",
            "major_incident",
            "quality",
            "2024-11-20",
        ],
    );
    refused(&f, "2024-12-20", "campaigns/2024/revocations/beta.md");
    f.write(
        "campaigns/2024/revocations/beta.md",
        "经核实，撤销其称号。\n",
    );
    passes(&f, "2024-12-20");
}

#[test]
fn new_never_overwrites_and_explains_what_is_wrong() {
    let f = fixture("basic");
    // An existing record is left exactly as it was.
    let before = f.read("campaigns/2024/campaign.yaml");
    let o = biaogan(&f, &["new", "round", "2024"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("已经存在"), "{}", text(&o));
    assert_eq!(f.read("campaigns/2024/campaign.yaml"), before);
    // The summary exists but not the record: nothing is written at all.
    f.write("campaigns/2024/cases/acme.md", "已有正文\n");
    let o = biaogan(&f, &["new", "case", "2024", "acme"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!f.path("campaigns/2024/cases/acme.yaml").exists());
    assert_eq!(f.read("campaigns/2024/cases/acme.md"), "已有正文\n");

    for (args, words) in [
        (
            &["new", "case", "2030", "acme"][..],
            "biaogan new round 2030",
        ),
        (&["new", "case", "2024", "Acme Co"][..], "小写英文字母"),
        (
            &["new", "revocation", "2024", "nobody"][..],
            "没有案例 nobody",
        ),
        (
            &["new", "--content", "nowhere", "event", "x"][..],
            "没有 site.yaml",
        ),
    ] {
        let o = biaogan(&f, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(text(&o).contains(words), "{args:?}: {}", text(&o));
    }
    assert!(!fs::exists(f.path("events/x.yaml")).unwrap());
}
