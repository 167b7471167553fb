//! Documents of record (issue 11, item 1): once public, a dated document —
//! notice, attachment, publicity, results, each case page, revocation — reads
//! the same at every later moment, apart from additions marked
//! `.record-addition`; every output numbers the final list the same way.
//! Also the publicity status on the days around its period (item 4) and
//! nested quotes in every output (item 5).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use biaogan::pipeline::{self, Options};
use scraper::{ElementRef, Html, Selector};

use crate::common::{self, fixture, now_at, Site};

/// The sample site, or a fixture copied to a temporary folder.
enum Content {
    Sample,
    Fixture(common::Fixture),
}

impl Content {
    fn dir(&self) -> PathBuf {
        match self {
            Content::Sample => Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
            Content::Fixture(f) => f.content(),
        }
    }
    fn site(&self, now: &str) -> Site {
        let mut o = Options::new(self.dir());
        o.now = Some(now_at(now));
        match pipeline::check(&o) {
            Ok(out) => Site { out },
            Err(d) => panic!("build at {now} failed:\n{d}"),
        }
    }
}

/// Every moment at which the sample's public text could change: notice,
/// deadline, publicity (a weekend inside it, its last evening), results,
/// the revocation, and long after.
const SAMPLE_MOMENTS: [&str; 9] = [
    "2024-04-15",
    "2024-06-01",
    "2024-08-05 09:00",
    "2024-08-10 10:00",
    "2024-08-16 18:00",
    "2024-08-28",
    "2025-03-10",
    "2025-04-18",
    "2026-06-01",
];

/// The same for the fixtures (publicity over National Day, removal on 12-02).
const FIXTURE_MOMENTS: [&str; 8] = [
    "2024-04-15",
    "2024-06-01",
    "2024-09-25 09:00",
    "2024-10-03 10:00",
    "2024-10-12 18:00",
    "2024-10-20",
    "2024-12-02",
    "2024-12-31",
];

/// The text of a page's dated document (its `article.document` or
/// `article.case`), without the elements marked as later additions, with
/// white space collapsed.
fn record_text(html: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse("main article.document, main article.case").unwrap();
    let article = doc.select(&sel).next()?;
    let mut text = String::new();
    for node in article.descendants() {
        let Some(t) = node.value().as_text() else {
            continue;
        };
        let added = node.ancestors().any(|a| {
            ElementRef::wrap(a).is_some_and(|e| e.value().classes().any(|c| c == "record-addition"))
        });
        if !added {
            text.push_str(t);
            text.push(' ');
        }
    }
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Whether a case page is the notice of its withdrawal (the summary of a
/// removed case is no longer published: see `revocations::`).
fn withdrawn(html: &str) -> bool {
    html.contains("case-removed")
}

/// Builds `content` at every moment and checks that each document, from the
/// moment it is first public, keeps its text. Returns how many it followed.
fn documents_keep_their_text(content: &Content, moments: &[&str]) -> usize {
    // Page → (first moment, record text).
    let mut first: BTreeMap<String, (String, String)> = BTreeMap::new();
    for now in moments {
        let site = content.site(now);
        for path in site.html_pages() {
            let html = site.text(&path);
            let Some(text) = record_text(&html) else {
                continue;
            };
            match first.get(&path) {
                None => {
                    first.insert(path, (now.to_string(), text));
                }
                Some((_, was)) if withdrawn(&html) => {
                    // The withdrawal notice keeps the case's number.
                    let serial = was
                        .split("（第")
                        .nth(1)
                        .and_then(|s| s.split("项）").next())
                        .unwrap_or_else(|| panic!("{path}: no serial in {was}"));
                    assert!(
                        text.contains(&format!("（原名单第{serial}项）")),
                        "{path} at {now}: the withdrawal notice lost number {serial}: {text}"
                    );
                }
                Some((when, was)) => assert_eq!(
                    &text, was,
                    "{path}: published {when}, reads differently at {now}"
                ),
            }
        }
    }
    first.len()
}

#[test]
fn the_sample_documents_never_change_after_publication() {
    let n = documents_keep_their_text(&Content::Sample, &SAMPLE_MOMENTS);
    // Notice, attachment page, publicity, results, revocation and the cases.
    assert!(n >= 20, "only {n} documents followed");
}

/// Moments of the two-rounds fixture: each phase of both rounds, the 2024
/// removal, and after both years are over (a case page gains, and may lose,
/// links to the same organisation's other years: not part of its record).
const TWO_ROUNDS_MOMENTS: [&str; 8] = [
    "2024-09-26",
    "2024-10-21",
    "2024-12-03",
    "2025-03-21",
    "2025-09-23",
    "2025-10-21",
    "2026-01-15",
    "2027-06-01",
];

#[test]
fn the_documents_of_two_rounds_never_change_after_publication() {
    let f = fixture("two-rounds");
    let n = documents_keep_their_text(&Content::Fixture(f), &TWO_ROUNDS_MOMENTS);
    assert!(n >= 8, "only {n} documents followed");
}

#[test]
fn the_fixture_documents_never_change_after_publication() {
    for name in ["basic", "hostile"] {
        let f = fixture(name);
        // The hostile base_url is refused at load (inputs::); its other
        // hostile values are what this test is after.
        let site_yaml: String = f
            .read("site.yaml")
            .lines()
            .map(|l| match l.starts_with("base_url:") {
                true => "base_url: https://example.org/\n".to_owned(),
                false => format!("{l}\n"),
            })
            .collect();
        f.write("site.yaml", &site_yaml);
        let n = documents_keep_their_text(&Content::Fixture(f), &FIXTURE_MOMENTS);
        assert!(n >= 4, "{name}: only {n} documents followed");
    }
}

#[test]
fn the_record_text_ignores_only_marked_additions() {
    let html = r#"<main><article class="document"><p>批准2项</p><td>甲<span class="record-addition">已移除</span></td></article></main>"#;
    assert_eq!(record_text(html).unwrap(), "批准2项 甲");
    let changed = html.replace("批准2项", "批准1项");
    assert_ne!(record_text(&changed), record_text(html));
}

/// The removed case keeps its row and its number; the count stays; every
/// output gives each case the same number.
#[test]
fn after_the_removal_every_output_keeps_the_published_numbers() {
    let before = Content::Sample.site("2025-03-09");
    let after = Content::Sample.site("2025-03-10");
    let results = after.page("2024/results/index.html");
    let rows = results.rows("table.case-list");
    assert_eq!(rows, {
        let mut was = before
            .page("2024/results/index.html")
            .rows("table.case-list");
        for r in &mut was {
            if r[1] == "郑州嵩岳矿山机械股份有限公司" {
                r[2].push_str("已移除（见中国质协字〔2025〕12号）");
            }
        }
        was
    });
    let removed: Vec<&Vec<String>> = rows.iter().filter(|r| r[2].contains("已移除")).collect();
    assert_eq!(removed.len(), 1);
    assert_eq!(
        results.attrs(".row-removed .record-addition a", "href"),
        ["/2024/revocations/zz-mining-machinery/"]
    );
    let count = rows.len();
    let lead = format!("批准{count}项");
    assert!(results.one("article.document").contains(&lead), "{lead}");

    // results.json and results.csv: the same numbers.
    let json: serde_json::Value = serde_json::from_str(&after.text("2024/results.json")).unwrap();
    let cases = json["cases"].as_array().unwrap();
    assert_eq!(cases.len(), count);
    let csv = after.text("2024/results.csv");
    for (row, case) in rows.iter().zip(cases) {
        assert_eq!(case["serial"].to_string(), row[0]);
        assert_eq!(case["organization"], row[1].as_str());
        let id = case["id"].as_str().unwrap();
        let page = after.page(&format!("2024/cases/{id}/index.html"));
        let serial = &row[0];
        if case["status"] == "revoked" {
            assert!(page.one("article").contains(&format!("原名单第{serial}项")));
        } else {
            assert!(page
                .one(".case-source")
                .contains(&format!("（第{serial}项）")));
        }
        assert!(
            csv.contains(&format!("\r\n{serial},{}", row[1])),
            "csv row {serial}"
        );
    }
    // Home and the feed count the list as published; home, as the
    // archive does, says how many were removed since.
    assert!(after
        .text("index.html")
        .contains(&format!("最终名单共{count}项（其中1项已移除）")));
    let archive = after.text("archive/index.html");
    assert!(archive.contains(&format!("共{count}项（其中1项已移除）")));
    assert!(after
        .text("atom.xml")
        .contains(&format!("{count}个典型经验入选")));
}
