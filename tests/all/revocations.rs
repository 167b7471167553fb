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
    assert!(x1.help.as_deref().unwrap().contains("did you mean `alpha`"));
    let x2 = d.iter().find(|e| e.file.ends_with("x2.yaml")).unwrap();
    assert!(x2.message.contains("never on the final list"), "{x2}");
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
    assert!(d.iter().any(|e| e.message.contains("already removed")));
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
        .contains("integrity, quality, safety, environment"));
}
