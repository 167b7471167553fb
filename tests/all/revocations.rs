//! Revocation announcements: nothing before their date; from it, the case
//! leaves the list, its address explains, events say so.

use crate::common;
use crate::common::fixture;

const REV_URL: &str = "/2024/revocations/alpha/";

#[test]
fn before_its_date_nothing_of_a_revocation_shows() {
    let site = fixture("basic").site("2024-12-01 23:59");
    assert!(!site.has("2024/revocations/alpha/index.html"));
    for (path, _) in site.out.iter() {
        if path.ends_with(".html")
            || path.ends_with(".xml")
            || path.ends_with(".json")
            || path.ends_with(".csv")
            || path.ends_with(".ics")
        {
            let text = site.text(path);
            assert!(
                !text.contains("移除") || path.ends_with("results.csv"),
                "{path} mentions a removal"
            );
            assert!(
                !text.contains("120号"),
                "{path} shows the revocation number"
            );
            assert!(
                !text.contains("revocations/"),
                "{path} links the revocation"
            );
        }
    }
    let results = site.page("2024/results/index.html");
    assert_eq!(results.rows("table.case-list").len(), 2);
    assert_eq!(
        site.page("2024/cases/alpha/index.html")
            .count(".summary h2"),
        2
    );
}

#[test]
fn from_its_date_the_case_leaves_the_list_and_its_page_points_to_the_announcement() {
    let site = fixture("basic").site("2024-12-02");
    let results = site.page("2024/results/index.html");
    let rows = results.rows("table.case-list");
    assert_eq!(rows.len(), 2, "the published list keeps every row");
    assert_eq!(rows[0][1], "乙建设集团有限公司");
    assert_eq!(rows[1][0], "2", "the removed row keeps its number");
    assert_eq!(
        rows[1][2],
        "甲公司数字化质量追溯已移除（见中国质协字〔2024〕120号）"
    );
    assert_eq!(results.all(".removed h2"), ["已移除"]);
    assert_eq!(results.attrs(".removed a", "href"), [REV_URL]);

    let case = site.page("2024/cases/alpha/index.html");
    assert_eq!(
        case.count(".summary"),
        0,
        "the summary is no longer published"
    );
    assert!(case
        .one(".status")
        .contains("已从2024年质量标杆典型经验名单中移除"));
    assert_eq!(case.attrs("article a", "href"), [REV_URL]);
    assert!(
        !site.has("2024/cases/alpha/arch.svg"),
        "its images are not published either"
    );
    assert!(!site
        .text("2024/cases/alpha/index.html")
        .contains("长期坚持"));

    let rev = site.page("2024/revocations/alpha/index.html");
    assert_eq!(rev.one(".doc-number"), "中国质协字〔2024〕120号");
    assert_eq!(
        rev.one("h1"),
        "关于将甲质量股份有限公司“甲公司数字化质量追溯”从2024年质量标杆典型经验名单中移除的公告"
    );
    assert_eq!(rev.one(".doc-signature time"), "2024年12月2日");
    let body = rev.one(".doc-body");
    assert!(
        body.contains("重大生产安全责任事故"),
        "the written body is the text"
    );
    assert_eq!(body.matches("决定将").count(), 1, "one decision: {body}");

    // Events it hosts say so.
    let ev = site.page("events/2024-12-sharing-hangzhou/index.html");
    let hosts = ev.all(".hosts li");
    assert!(
        hosts[0].contains("已于2024年12月2日从名单中移除"),
        "{hosts:?}"
    );
    assert_eq!(ev.attrs(".hosts a", "href"), [REV_URL, "/2024/cases/beta/"]);

    // Announcements, feed, sitemap and open data carry it.
    assert!(site
        .page("announcements/index.html")
        .attrs(".documents a", "href")
        .contains(&REV_URL.to_owned()));
    assert!(site
        .text("sitemap.xml")
        .contains("https://example.org/2024/revocations/alpha/"));
    let json: serde_json::Value = serde_json::from_str(&site.text("2024/results.json")).unwrap();
    let alpha = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "alpha")
        .unwrap();
    assert_eq!(alpha["status"], "revoked");
    assert_eq!(alpha["revocation"]["number"], "中国质协字〔2024〕120号");
    assert_eq!(
        alpha["revocation"]["url"],
        "https://example.org/2024/revocations/alpha/"
    );
}

fn add_revocation(f: &common::Fixture, name: &str, yaml: &str) {
    f.write(&format!("campaigns/2024/revocations/{name}.yaml"), yaml);
}

#[test]
fn revoking_unknown_or_never_approved_cases_is_an_error() {
    let f = fixture("basic");
    add_revocation(
        &f,
        "x1",
        "case: alfa\nnumber: N1\ndate: 2024-12-03\nreason: falsification\n",
    );
    add_revocation(
        &f,
        "x2",
        "case: gamma\nnumber: N2\ndate: 2024-12-03\nreason: falsification\n",
    );
    let d = f.errors("2024-12-20");
    assert_eq!(d.len(), 2, "{d}");
    let x1 = d.iter().find(|e| e.file.ends_with("x1.yaml")).unwrap();
    assert_eq!((x1.field.as_deref(), x1.line), (Some("case"), Some(1)));
    assert!(x1.help.as_deref().unwrap().contains("是否想写 alpha？"));
    let x2 = d.iter().find(|e| e.file.ends_with("x2.yaml")).unwrap();
    assert!(x2.message.contains("从未列入正式名单"), "{x2}");
}

#[test]
fn a_revocation_before_the_results_or_twice_for_one_case_is_an_error() {
    let f = fixture("basic");
    add_revocation(
        &f,
        "early",
        "case: beta\nnumber: N3\ndate: 2024-10-19\nreason: falsification\n",
    );
    add_revocation(
        &f,
        "again",
        "case: alpha\nnumber: N4\ndate: 2024-12-05\nreason: falsification\n",
    );
    let d = f.errors("2024-12-20");
    assert_eq!(d.len(), 2, "{d}");
    let early = d.iter().find(|e| e.file.ends_with("early.yaml")).unwrap();
    assert_eq!(early.field.as_deref(), Some("date"));
    assert!(early.message.contains("2024-10-20"));
    assert!(d.iter().any(|e| e.message.contains("已经由 revocations/")));
}

#[test]
fn a_major_incident_needs_its_domain() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/revocations/alpha.yaml",
        "domain: safety\n",
        "",
    );
    let d = f.errors("2024-12-20");
    assert_eq!(d.len(), 1, "{d}");
    assert!(d.0[0]
        .help
        .as_deref()
        .unwrap()
        .contains("integrity（诚信）、quality（质量）、safety（安全）、environment（环保）"));
}

/// The sample case's title has quotes of its own: “小组大成效”——….
const NESTED: &str = "“‘小组大成效’——质量管理小组活动长效推进机制”";

#[test]
fn quotes_nest_in_every_output() {
    let mut o = biaogan::pipeline::Options::new(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
    );
    o.now = Some(common::now_at("2025-03-10"));
    let out = biaogan::pipeline::check(&o).unwrap_or_else(|d| panic!("{d}"));
    let site = common::Site { out };
    let title = format!(
        "关于将郑州嵩岳矿山机械股份有限公司{NESTED}从2024年质量标杆典型经验名单中移除的公告"
    );
    let rev = site.page("2024/revocations/zz-mining-machinery/index.html");
    assert_eq!(rev.one("h1"), title);
    assert!(rev.one("title").starts_with(&title));
    assert!(rev.one(".doc-body").contains(NESTED), "the lead");
    assert!(site
        .page("announcements/index.html")
        .all(".documents a")
        .contains(&title));
    assert!(site.page("index.html").one("main").contains(&title), "home");
    assert!(site.text("atom.xml").contains(&title), "Atom");
    assert!(site
        .page("2024/results/index.html")
        .one(".removed li")
        .contains(NESTED));
    assert!(site
        .page("2024/cases/zz-mining-machinery/index.html")
        .one("article")
        .contains(NESTED));
    for (path, _) in site.out.iter() {
        if [".html", ".xml", ".json", ".csv", ".ics"]
            .iter()
            .any(|e| path.ends_with(e))
        {
            let text = site.text(path);
            for bad in ["““", "””", "“‘小组大成效’——质量管理小组活动长效推进机制’"]
            {
                assert!(!text.contains(bad), "{path} has {bad}");
            }
        }
    }
}

#[test]
fn without_a_body_the_generated_lead_states_the_decision_once() {
    let f = fixture("basic");
    std::fs::remove_file(f.path("campaigns/2024/revocations/alpha.md")).unwrap();
    let body = f
        .site("2024-12-02")
        .page("2024/revocations/alpha/index.html")
        .one(".doc-body");
    assert_eq!(body.matches("决定将").count(), 1, "{body}");
    assert!(body.contains("决定将其典型经验“甲公司数字化质量追溯”从2024年"));
    assert!(body.contains("三年内在安全方面发生重大责任事故"));
}

/// The one error of the basic fixture with its revocation's `incident_date`
/// line replaced by `line` (and the reason by `reason`).
fn incident_error(reason: &str, line: &str) -> biaogan::diagnostics::Diagnostic {
    let f = fixture("basic");
    let rel = "campaigns/2024/revocations/alpha.yaml";
    f.edit(rel, "incident_date: 2024-11-12\n", line);
    if reason == "falsification" {
        f.edit(
            rel,
            "reason: major_incident\ndomain: safety\n",
            "reason: falsification\n",
        );
    }
    let d = f.errors("2024-12-20");
    assert_eq!(d.len(), 1, "{d}");
    d.0[0].clone()
}

#[test]
fn a_major_incident_needs_its_date_within_three_years() {
    let missing = incident_error("major_incident", "");
    assert_eq!(
        (missing.field.as_deref(), missing.line),
        (Some("reason"), Some(4))
    );
    assert!(
        missing.message.contains("必须填写 incident_date"),
        "{missing}"
    );

    let old = incident_error("major_incident", "incident_date: 2021-12-01\n");
    assert_eq!(
        (old.field.as_deref(), old.line, old.column),
        (Some("incident_date"), Some(6), Some(16)),
        "{old}"
    );
    assert!(
        old.message.contains("早于公告日期 2024-12-02 前三年"),
        "{old}"
    );

    let later = incident_error("major_incident", "incident_date: 2024-12-03\n");
    assert!(later.message.contains("晚于公告日期"), "{later}");

    let other = incident_error("falsification", "incident_date: 2024-11-12\n");
    assert!(
        other.message.contains("只用于 reason: major_incident"),
        "{other}"
    );

    // Exactly three years before is still 三年内.
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/revocations/alpha.yaml",
        "incident_date: 2024-11-12",
        "incident_date: 2021-12-02",
    );
    f.site("2024-12-20");
}
