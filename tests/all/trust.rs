//! Confidential data never reaches any output; hostile input stays inert.

use crate::common::fixture;

use biaogan::output::Artifact;

const SENTINELS: [&str; 6] = [
    "SENTINEL-SCORE-93.25",
    "SENTINEL-REVIEWER-COMMENT",
    "SENTINEL-CONTACT-PERSON",
    "SENTINEL-PHONE-13999999999",
    "SENTINEL-REVENUE",
    "SENTINEL-EXTRA-KEY",
];

#[test]
fn no_confidential_value_reaches_any_output_file_or_message() {
    let f = fixture("basic");
    let cases = f.path("campaigns/2024/cases");
    for entry in std::fs::read_dir(&cases).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "yaml") {
            let mut text = std::fs::read_to_string(&p).unwrap();
            if let Some(i) = text.find("confidential:") {
                text.truncate(i);
            }
            text.push_str(&format!(
                "confidential:\n  scores: {{material: \"{}\"}}\n  reviewer_comments: \"{}\"\n  contact_person: {}\n  phone: \"{}\"\n  revenue_10k_yuan: {}\n  {}: [nested, {{deep: {}}}]\n",
                SENTINELS[0], SENTINELS[1], SENTINELS[2], SENTINELS[3], SENTINELS[4], "unknown_extra", SENTINELS[5]
            ));
            std::fs::write(&p, text).unwrap();
        }
    }
    // Every moment of the round, and with drafts.
    for now in ["2024-05-01", "2024-09-26", "2024-10-20", "2030-01-01"] {
        let out = f.check(now).unwrap_or_else(|d| panic!("{d}"));
        for (path, a) in &out {
            let bytes = match a {
                Artifact::Bytes(b) => b.clone(),
                Artifact::Shared(b) => b.to_vec(),
            };
            let text = String::from_utf8_lossy(&bytes);
            for s in SENTINELS {
                assert!(!text.contains(s), "{s} leaked into {path} at {now}");
            }
        }
    }
    // Error messages about such a file do not quote the confidential part either.
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "stage: approved",
        "stage: nope",
    );
    let msg = f.errors("2024-10-20").to_string();
    for s in SENTINELS {
        assert!(!msg.contains(s), "{s} leaked into the error message");
    }
    // And the test would catch a leak: the sentinel really is in the input.
    assert!(f
        .read("campaigns/2024/cases/alpha.yaml")
        .contains(SENTINELS[1]));
}

#[test]
fn markup_in_records_is_escaped() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "name: 甲质量股份有限公司",
        "name: \"<script>alert('org')</script>甲公司\"",
    );
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "title: 甲公司数字化质量追溯",
        "title: \"<img src=x onerror=alert(1)>标题\"",
    );
    let site = f.site("2024-10-20");
    for p in [
        "2024/results/index.html",
        "2024/cases/alpha/index.html",
        "2024/publicity/index.html",
    ] {
        // Inside a quoted attribute `<` is inert text (the minifier may leave it
        // unescaped there), so the test looks at parsed elements, not bytes.
        let page = site.page(p);
        assert_eq!(page.count("img[onerror]"), 0, "{p}");
        assert!(
            page.all("th, td, h1")
                .iter()
                .any(|t| t.contains("<script>alert('org')</script>甲公司"))
                || p.contains("cases"),
            "{p}: the name is shown as text"
        );
        assert_eq!(page.count("script"), 0, "{p}");
    }
    assert_eq!(
        site.page("2024/cases/alpha/index.html").one("h1"),
        "<img src=x onerror=alert(1)>标题"
    );
}

#[test]
fn raw_html_in_summaries_is_sanitised_keeping_formatting() {
    let f = fixture("basic");
    f.write(
        "campaigns/2024/cases/alpha.md",
        "## 一、背景\n\n<script>alert(1)</script>\n\n<p onclick=\"alert(2)\" style=\"color:red\">段落<strong>加粗</strong></p>\n\n[链接](javascript:alert(3))\n\n<iframe src=\"https://evil.example\"></iframe>\n\n<form action=\"https://evil.example\"><input name=a></form>\n\n<style>body{display:none}</style>\n\n<a href=\"https://caq.org.cn\">正常链接</a>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    );
    let site = f.site("2024-10-20");
    let page = site.page("2024/cases/alpha/index.html");
    for bad in [
        "script",
        "iframe",
        // The header's search form is the theme's; none may come from a summary.
        "main form",
        "main input",
        ".summary style",
        "[onclick]",
        "[style]",
    ] {
        assert_eq!(page.count(bad), 0, "{bad} survived");
    }
    assert!(page
        .attrs(".summary a", "href")
        .iter()
        .all(|h| !h.starts_with("javascript")));
    assert_eq!(page.all(".summary strong"), ["加粗"]);
    assert_eq!(page.count(".summary table"), 1);
    assert_eq!(
        page.attrs(".summary a[href^=https]", "rel"),
        ["noopener noreferrer"]
    );
}

#[test]
fn slot_markers_in_user_text_stay_inert() {
    // Summaries are inserted after minification at a marker; a title that
    // imitates the marker must be shown as text and not receive the summary.
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/alpha.yaml",
        "title: 甲公司数字化质量追溯",
        "title: \"<!--#biaogan-slot 0-->标题\"",
    );
    let site = f.site("2024-10-20");
    let page = site.page("2024/cases/alpha/index.html");
    assert_eq!(page.one("h1"), "<!--#biaogan-slot 0-->标题");
    assert_eq!(page.all(".summary h2"), ["一、背景", "二、做法"]);
    assert_eq!(page.count("h1 h2, title h2"), 0);
    assert_eq!(
        page.count(".share svg.qr"),
        1,
        "the QR code is in its place"
    );
    let og = page.attrs("meta[property=\"og:title\"]", "content");
    assert_eq!(
        og,
        ["<!--#biaogan-slot 0-->标题"],
        "attributes keep the text as text"
    );
}
