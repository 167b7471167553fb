//! Full-text search (issue 12, items 3–5): what the index holds at a moment,
//! the search page without JavaScript, the live preview's index after an
//! edit, and queries run by search.js in headless Debian Chromium on the
//! built site served under `Content-Security-Policy: default-src 'self'`.
//!
//! Chromium and chromedriver are required: without them the browser test fails.

use crate::common;
use crate::common::browser::Browser;
use crate::common::serve::{atomic_save, serve, serve_options, settle};
use crate::common::static_site::StaticSite;
use crate::common::{build, fixture, Site, CSP};

use std::collections::BTreeSet;
use std::path::Path;

use biaogan::render::search::tokens::shard_of;
use serde_json::{json, Value};

/// After the results, before the removal (2024-12-02) and the Chengdu visit's announcement (11-05).
const BEFORE_REMOVAL: &str = "2024-11-01";
/// After the removal and every announcement.
const AFTER_REMOVAL: &str = "2024-12-10";

fn docs_json(site: &Site) -> Value {
    serde_json::from_str(&site.text("search/docs.json")).unwrap()
}

fn indexed_urls(site: &Site) -> BTreeSet<String> {
    docs_json(site)["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d[0].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_index_holds_exactly_the_public_documents() {
    let f = fixture("basic");
    let before = f.site(BEFORE_REMOVAL);
    let urls = indexed_urls(&before);
    for u in [
        "/2024/cases/alpha/",
        "/2024/cases/beta/",
        "/2024/notice/",
        "/2024/notice/rules/",
        "/2024/results/",
        "/events/2024-11-lecture-beijing/",
    ] {
        assert!(urls.contains(u), "{u} not indexed: {urls:?}");
    }
    for u in [
        // Upheld objection, never approved; and shortlisted only.
        "/2024/cases/gamma/",
        "/2024/cases/delta/",
        // Not yet announced.
        "/events/2024-12-visit-chengdu/",
        "/2024/revocations/alpha/",
    ] {
        assert!(!urls.contains(u), "{u} indexed too early");
    }
    // Every indexed document is a public page of the site.
    for u in &urls {
        assert!(before.has(&format!("{}index.html", &u[1..])), "{u}");
    }

    let after = f.site(AFTER_REMOVAL);
    let urls = indexed_urls(&after);
    assert!(!urls.contains("/2024/cases/alpha/"), "a removed summary");
    assert!(urls.contains("/2024/revocations/alpha/"));
    assert!(urls.contains("/events/2024-12-visit-chengdu/"));

    // Confidential values are in no index file at any moment.
    for site in [&before, &after] {
        for (path, _) in site.out.iter().filter(|(p, _)| p.starts_with("search/")) {
            // Words are indexed lower-cased: look for the folded form too.
            let text = site.text(path).to_lowercase();
            assert!(
                !text.contains("sentinel") && !text.contains("13800000001"),
                "{path}"
            );
        }
    }
}

/// The documents holding `term` in a built site's index.
fn found_in(site: &Site, term: &str) -> Vec<String> {
    lookup(&|p: &str| site.text(p).into_bytes(), term)
}

#[test]
fn each_document_is_indexed_from_its_own_date() {
    let f = fixture("basic");
    let round = |site: &Site| -> Vec<String> {
        let urls = indexed_urls(site);
        urls.into_iter()
            .filter(|u| u.starts_with("/2024/"))
            .collect()
    };
    // Before the notice (2024-04-15): nothing of the round.
    assert_eq!(round(&f.site("2024-04-14")), Vec::<String>::new());
    // The notice and its rule pages; no list, no summary.
    assert_eq!(
        round(&f.site("2024-05-01")),
        ["/2024/notice/", "/2024/notice/rules/"]
    );
    // Under publicity (from 2024-09-25): the list is the only page naming
    // the recommended organisations, so they are found there, and only
    // there; a case not recommended (戊, ineligible) is found nowhere.
    let publicity = f.site("2024-09-26");
    assert_eq!(
        round(&publicity),
        ["/2024/notice/", "/2024/notice/rules/", "/2024/publicity/"]
    );
    for term in ["丙服", "乙建", "甲质", "追溯"] {
        assert_eq!(found_in(&publicity, term), ["/2024/publicity/"], "{term}");
    }
    assert_eq!(found_in(&publicity, "戊科"), Vec::<String>::new());
    // The day before the results (2024-10-20): still no summary, no final list.
    assert_eq!(round(&f.site("2024-10-19")), round(&publicity));

    // With the results: the approved cases' summaries and the final list;
    // 丙 (objection upheld) stays on the publicity list only.
    let results = f.site(BEFORE_REMOVAL);
    assert_eq!(found_in(&results, "丙服"), ["/2024/publicity/"]);
    assert_eq!(
        found_in(&results, "乙建"),
        ["/2024/cases/beta/", "/2024/publicity/", "/2024/results/"]
    );
    // Once removed, a case is found through its removal announcement only:
    // the lists it is still printed on do not answer for it.
    let removed = f.site(AFTER_REMOVAL);
    assert_eq!(found_in(&removed, "甲质"), ["/2024/revocations/alpha/"]);
    assert_eq!(
        found_in(&removed, "乙建"),
        ["/2024/cases/beta/", "/2024/publicity/", "/2024/results/"]
    );
}

/// An organisation's cases of both rounds are found by its name, each
/// result with its own year; a removed case only through its announcement.
#[test]
fn an_organisation_is_found_in_every_round() {
    let site = fixture("two-rounds").site("2025-12-31");
    let docs = docs_json(&site);
    let listed = |url: &str| {
        let d = docs["docs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d[0] == url);
        d.map(|d| (d[2].clone(), d[3].clone()))
    };
    let cases = |term: &str| -> Vec<String> {
        let found = found_in(&site, term);
        found
            .into_iter()
            .filter(|u| u.contains("/cases/") || u.contains("/revocations/"))
            .collect()
    };
    assert_eq!(cases("乙建"), ["/2024/cases/beta/", "/2025/cases/yi-lean/"]);
    assert_eq!(
        listed("/2024/cases/beta/"),
        Some((json!("乙建设集团有限公司"), json!(2024)))
    );
    assert_eq!(
        listed("/2025/cases/yi-lean/"),
        Some((json!("乙建设集团有限公司"), json!(2025)))
    );
    // 甲's 2024 case was removed; its 2025 case is on the 2025 list.
    assert_eq!(
        cases("甲质"),
        ["/2024/revocations/alpha/", "/2025/cases/jia-trace/"]
    );
}

#[test]
fn every_page_has_a_search_box_and_the_search_page_works_without_script() {
    let site = fixture("basic").site(BEFORE_REMOVAL);
    for p in site.html_pages() {
        let page = site.page(&p);
        assert_eq!(
            page.attrs("header form[action='/search/'] input", "name"),
            ["q"],
            "{p}"
        );
        // A plain GET form (the minifier drops the default `method=get`).
        assert!(
            page.attrs("header form", "method")
                .iter()
                .all(|m| m == "get"),
            "{p}"
        );
    }
    let page = site.page("search/index.html");
    assert_eq!(
        page.attrs("main form[action='/search/'] input", "name"),
        ["q"]
    );
    assert!(page.one("#search-status").contains("需要启用 JavaScript"));
    // Without it, the pages that list every published case.
    assert_eq!(
        page.attrs("#search-status a", "href"),
        ["/announcements/", "/archive/"]
    );
    assert_eq!(page.count("ol#search-results"), 1);
    // Two search landmarks, each named, so a screen reader's list of
    // landmarks tells them apart.
    assert_eq!(
        page.attrs("form[role=search]", "aria-label"),
        ["站内检索", "全文检索"]
    );
    assert_eq!(page.attrs("script", "src"), ["/static/search.js"]);
    assert!(site.has("static/search.js"));
}

/// The postings of one pair or word `term` in a served or built index:
/// the document list, and (document number, weight) per posting.
fn postings(get: &dyn Fn(&str) -> Vec<u8>, term: &str) -> (Value, Vec<(usize, u64)>) {
    let docs: Value = serde_json::from_slice(&get("search/docs.json")).unwrap();
    let n = docs["shards"].as_u64().unwrap() as u32;
    let shard: Value =
        serde_json::from_slice(&get(&format!("search/p{}.json", shard_of(term, n)))).unwrap();
    let mut doc = 0;
    let mut out = Vec::new();
    for pair in shard[term]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .chunks(2)
    {
        doc += pair[0].as_u64().unwrap() as usize;
        out.push((doc, pair[1].as_u64().unwrap()));
    }
    (docs, out)
}

/// The documents (urls) holding `term`, in document order.
fn lookup(get: &dyn Fn(&str) -> Vec<u8>, term: &str) -> Vec<String> {
    let (docs, found) = postings(get, term);
    found
        .iter()
        .map(|&(d, _)| docs["docs"][d][0].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_preview_index_follows_a_summary_edit() {
    let f = fixture("basic");
    let server = serve(f.dir.path(), &["--now", BEFORE_REMOVAL]);
    let opts = serve_options(&f.content(), Some(BEFORE_REMOVAL), false);
    let get = |p: &str| server.get(&format!("/{p}")).body;
    assert!(lookup(&get, "鲲鹏").is_empty());

    let mut events = server.events();
    let alpha = f.path("campaigns/2024/cases/alpha.md");
    let text = f.read("campaigns/2024/cases/alpha.md");
    atomic_save(&alpha, &format!("{text}\n新增鲲鹏质量平台。\n"));
    events.wait_for("reload after the edit", |e| e.name == "reload");
    // The fast path re-rendered one page, and served files equal a full build's.
    server.wait_stderr(&["已重新生成 /2024/cases/alpha/，用时"]);
    settle(&server, &mut events, &opts);
    assert_eq!(lookup(&get, "鲲鹏"), ["/2024/cases/alpha/"]);

    // A second edit updates the kept index document by document: a term
    // gone, a term new, and every index file as a full build makes it.
    atomic_save(&alpha, &format!("{text}\n新增麒麟质量平台。\n"));
    events.wait_for("reload after the second edit", |e| e.name == "reload");
    settle(&server, &mut events, &opts);
    assert_eq!(lookup(&get, "麒麟"), ["/2024/cases/alpha/"]);
    assert!(lookup(&get, "鲲鹏").is_empty());
    // Passages are cut from the served page itself.
    let page = String::from_utf8(get("2024/cases/alpha/")).unwrap();
    assert!(page.contains("新增麒麟质量平台"), "{page}");
}

// ---------------------------------------------------------------------------
// The browser.

#[test]
fn search_in_chromium_finds_public_text_only() {
    let f = fixture("basic");
    let out = tempfile::tempdir().unwrap();
    let (early, late) = (out.path().join("early"), out.path().join("late"));
    build(&f, BEFORE_REMOVAL, &early);
    build(&f, AFTER_REMOVAL, &late);
    let early = StaticSite::builder(early).csp(CSP).start().url("");
    let late = StaticSite::builder(late).csp(CSP).start().url("");
    let browser = Browser::start();
    let mut timings = Vec::new();
    let mut run = |base: &str, q: &str| {
        let (links, ms) = browser.search(base, q);
        timings.push((q.to_owned(), ms));
        links
    };

    // A method word: the case with it in its title first.
    let r = run(&early, "精益");
    assert_eq!(
        r.first().map(String::as_str),
        Some("/2024/cases/beta/"),
        "{r:?}"
    );
    // An organisation's name.
    let r = run(&early, "乙建设集团");
    assert_eq!(
        r.first().map(String::as_str),
        Some("/2024/cases/beta/"),
        "{r:?}"
    );
    // A result shows its title, organisation and year, and marks only
    // the query's words in its passage.
    let shown = browser.eval(
        "var li = document.querySelector('#search-results li'); \
         return [li.querySelector('.result-title').textContent, \
                 li.querySelector('.result-meta').textContent, \
                 Array.from(li.querySelectorAll('mark')).map(m => m.textContent)];",
    );
    assert_eq!(shown[0], "乙集团精益建造质量管理", "{shown}");
    assert_eq!(shown[1], "乙建设集团有限公司 · 2024年", "{shown}");
    let marks: Vec<&str> = shown[2]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(marks.contains(&"乙建设集团"), "{shown}");
    assert!(marks.iter().all(|m| "乙建设集团".contains(m)), "{shown}");
    // One character: read from the single characters' shards.
    let r = run(&early, "精");
    assert_eq!(
        r.first().map(String::as_str),
        Some("/2024/cases/beta/"),
        "{r:?}"
    );
    assert!(!r.contains(&"/2024/cases/alpha/".to_owned()), "{r:?}");
    // A word, in any case and in full-width letters (alpha's method SPC).
    for q in ["spc", "SPC", "ＳＰＣ"] {
        assert_eq!(run(&early, q), ["/2024/cases/alpha/"], "{q}");
    }
    // Two characters inside a longer word (数字化质量追溯).
    let r = run(&early, "追溯");
    assert_eq!(
        r.first().map(String::as_str),
        Some("/2024/cases/alpha/"),
        "{r:?}"
    );
    // Only in a confidential field: nothing.
    assert_eq!(run(&early, "SENTINEL"), Vec::<String>::new());
    assert_eq!(run(&early, "13800000001"), Vec::<String>::new());
    // Only in documents not yet public: nothing; once public, found.
    assert_eq!(run(&early, "重大生产安全"), Vec::<String>::new());
    assert_eq!(run(&early, "成都站"), Vec::<String>::new());
    assert_eq!(run(&late, "重大生产安全"), ["/2024/revocations/alpha/"]);
    assert_eq!(run(&late, "成都站"), ["/events/2024-12-visit-chengdu/"]);
    // A removed case: only its removal announcement.
    assert_eq!(run(&late, "数字化质量追溯"), ["/2024/revocations/alpha/"]);
    assert_eq!(run(&late, "追溯"), ["/2024/revocations/alpha/"]);

    // Typing on the search page (the index already loaded, as after a first query).
    browser.goto(&format!("{early}/search/"));
    browser.wait("the page", "return document.readyState === 'complete';");
    let typed = browser.type_query("精益建造");
    let links = browser.eval(
        "return Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href'));",
    );
    assert_eq!(links[0], json!("/2024/cases/beta/"));
    eprintln!("search timings (ms from query to passages on screen, not asserted):");
    for (q, ms) in &timings {
        eprintln!("  {q}: {ms:.1}");
    }
    eprintln!("  typed 精益建造, last keystroke to results: {typed:.1}");
}

/// Records, at each change of the result list, ms since the query was typed,
/// how many results it shows and how many of them have their passage.
const WATCH_LIST: &str = "var l = document.getElementById('search-results'); window.__log = []; \
     new MutationObserver(function () { \
       var lis = l.querySelectorAll('li'); \
       window.__log.push([performance.now() - window.__t0, lis.length, \
         Array.from(lis).filter(li => li.querySelector('.result-passage mark')).length]); \
     }).observe(l, {childList: true, subtree: true}); return true;";

/// The list changes `WATCH_LIST` recorded while `q` was searched, on a
/// fresh search page or after the results of `before`.
fn list_changes(
    browser: &Browser,
    base: &str,
    before: Option<&str>,
    q: &str,
) -> Vec<(f64, u64, u64)> {
    browser.goto(&format!("{base}/search/"));
    browser.wait("the page", "return document.readyState === 'complete';");
    if let Some(b) = before {
        browser.type_query(b);
    }
    browser.eval(WATCH_LIST);
    browser.type_query(q);
    let log = browser.eval("return window.__log;");
    log.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e[0].as_f64().unwrap(),
                e[1].as_u64().unwrap(),
                e[2].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Both rounds of the two-rounds fixture built after the second's results:
/// 质量 finds more than ten documents there, 标杆 nearly as many.
fn two_rounds_built() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("two-rounds"), "2025-12-31", out.path());
    out
}

/// An organisation with a case in each of two rounds: a search for its
/// name finds both, each under its own year, the newer first; one whose
/// earlier case was removed is found through its later case and the
/// removal announcement, never the removed summary.
#[test]
fn an_organisation_of_two_rounds_is_found_in_both_in_chromium() {
    let out = two_rounds_built();
    let base = StaticSite::builder(out.path()).csp(CSP).start().url("");
    let browser = Browser::start();
    // The two cases (the organisation ranks them first), then the lists
    // that name it.
    let (links, _) = browser.search(&base, "乙建设集团");
    assert_eq!(links[..2], ["/2025/cases/yi-lean/", "/2024/cases/beta/"]);
    let lists = [
        "/2025/publicity/",
        "/2025/results/",
        "/2024/publicity/",
        "/2024/results/",
    ];
    assert!(
        links[2..].iter().all(|l| lists.contains(&l.as_str())),
        "{links:?}"
    );
    let meta = browser.eval(
        "return Array.from(document.querySelectorAll('#search-results .result-meta')).slice(0, 2).map(m => m.textContent);",
    );
    assert_eq!(
        meta,
        json!(["乙建设集团有限公司 · 2025年", "乙建设集团有限公司 · 2024年"])
    );
    // The announcement names the organisation in its title, so it ranks
    // first.
    let (links, _) = browser.search(&base, "甲质量股份");
    assert_eq!(
        links[..2],
        ["/2024/revocations/alpha/", "/2025/cases/jia-trace/"]
    );
    assert!(
        !links.iter().any(|l| l.contains("/cases/alpha")),
        "{links:?}"
    );
    assert!(
        links[2..].iter().all(|l| lists.contains(&l.as_str())),
        "{links:?}"
    );
}

/// With documents of several years, the search page offers the years
/// (made by search.js: without JavaScript there is nothing to choose):
/// `?year=2024` keeps that year's results, and choosing another year or
/// every year searches again and says so in the address.
#[test]
fn results_can_be_limited_to_one_year_in_chromium() {
    let out = two_rounds_built();
    let base = StaticSite::builder(out.path()).csp(CSP).start().url("");
    let browser = Browser::start();
    let years = |links: &[String]| -> Vec<String> {
        let meta = browser.eval(
            "return Array.from(document.querySelectorAll('#search-results .result-meta')).map(m => m.textContent.slice(-5));",
        );
        assert_eq!(meta.as_array().unwrap().len(), links.len());
        meta.as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap().to_owned())
            .collect()
    };
    let links_now = || browser.results("the chosen year").0;
    let open = |year: &str| {
        let q = common::percent("乙建设集团");
        let url = format!("{base}/search/?q={q}&year={year}");
        browser.search_at(&url, year).0
    };
    let links = open("2024");
    assert_eq!(links.first().map(String::as_str), Some("/2024/cases/beta/"));
    assert!(years(&links).iter().all(|y| y == "2024年"), "{links:?}");
    let state = browser.eval(
        "var s = document.getElementById('year'); \
         return [s.value, Array.from(s.options).map(o => o.textContent), \
                 document.querySelector('label[for=year]').textContent, \
                 document.getElementById('search-status').textContent];",
    );
    assert_eq!(state[0], "2024");
    assert_eq!(state[1], json!(["全部年度", "2025年", "2024年"]));
    assert_eq!(state[2], "年份");
    assert!(state[3].as_str().unwrap().contains("（2024年）"), "{state}");
    // Another year, then every year: searched again at once.
    let choose = |value: &str| {
        browser.eval(&format!(
            "var s = document.getElementById('year'); s.value = '{value}'; \
             s.dispatchEvent(new Event('change')); return true;"
        ));
        let links = links_now();
        let search = browser.eval("return location.search;");
        (links, search.as_str().unwrap().to_owned())
    };
    let (links, search) = choose("2025");
    assert_eq!(
        links.first().map(String::as_str),
        Some("/2025/cases/yi-lean/")
    );
    assert!(years(&links).iter().all(|y| y == "2025年"), "{links:?}");
    assert!(search.contains("year=2025"), "{search}");
    let (links, search) = choose("");
    assert!(links.contains(&"/2024/cases/beta/".to_owned()), "{links:?}");
    assert!(
        links.contains(&"/2025/cases/yi-lean/".to_owned()),
        "{links:?}"
    );
    assert!(!search.contains("year="), "{search}");
    // Nothing that year: the status says which year, and what else to try.
    let url = format!("{base}/search/?q={}&year=2024", common::percent("智慧工地"));
    assert!(browser.search_at(&url, "智慧工地 in 2024").0.is_empty());
    let status = browser.eval("return document.getElementById('search-status').textContent;");
    let status = status.as_str().unwrap();
    assert!(
        status.contains("（2024年）") && status.contains("或选择全部年度"),
        "{status}"
    );
    // Typing keeps the year.
    let links = open("2024");
    assert!(links.iter().all(|l| l.starts_with("/2024/")), "{links:?}");
    browser.type_query("乙集团");
    let search = browser.eval("return location.search;");
    assert!(search.as_str().unwrap().contains("year=2024"), "{search}");
    let typed = links_now();
    assert!(typed.contains(&"/2024/cases/beta/".to_owned()), "{typed:?}");
    assert!(years(&typed).iter().all(|y| y == "2024年"), "{typed:?}");
    // A year no document has, or not written as one: every year, and the
    // address no longer holds it.
    for year in ["1999", "2024.0", "x"] {
        let links = open(year);
        assert!(
            links.contains(&"/2025/cases/yi-lean/".to_owned()),
            "{year}: {links:?}"
        );
        assert_eq!(
            browser.eval("return document.getElementById('year').value;"),
            json!("")
        );
        let search = browser.eval("return location.search;");
        assert!(!search.as_str().unwrap().contains("year="), "{search}");
    }
    // One year only: no choice, and a year in the address is dropped.
    let one = tempfile::tempdir().unwrap();
    build(&fixture("basic"), BEFORE_REMOVAL, one.path());
    let one = StaticSite::builder(one.path()).csp(CSP).start().url("");
    let url = format!("{one}/search/?q={}&year=2024", common::percent("精益"));
    assert!(!browser.search_at(&url, "one year").0.is_empty());
    let state = browser.eval(
        "return [!!document.getElementById('year'), location.search.indexOf('year=') >= 0, \
                 document.getElementById('search-status').textContent];",
    );
    assert_eq!(state[0], json!(false), "{state}");
    assert_eq!(state[1], json!(false), "{state}");
    assert!(!state[2].as_str().unwrap().contains("年）"), "{state}");
}

/// The first page of results goes on screen once, not as a list that moves
/// as passages come, and the previous results stay until then; but a slow
/// host does not hold the list back.
#[test]
fn results_go_on_screen_with_their_passages_unless_the_pages_are_slow() {
    let out = two_rounds_built();
    let fast = StaticSite::builder(out.path()).csp(CSP).start().url("");
    // The 2024 case pages (some of the results) 3 s late, as on a slow connection.
    let root = out.path().to_owned();
    let slow = StaticSite::builder(out.path())
        .csp(CSP)
        .route(move |path| {
            let rel = path.strip_prefix('/')?.strip_prefix("2024/cases/")?;
            std::thread::sleep(std::time::Duration::from_millis(3000));
            let page = std::fs::read(root.join("2024/cases").join(rel).join("index.html")).ok()?;
            Some(("text/html; charset=utf-8", page))
        })
        .start()
        .url("");
    let browser = Browser::start();

    // Fast pages: ten results appear once, every passage in place. (Were the
    // machine so slow that 0.3 s passed first, the list may go first: only
    // changes before then are held to it.)
    let log = list_changes(&browser, &fast, None, "质量");
    let shown: Vec<_> = log.iter().filter(|e| e.1 > 0).collect();
    assert_eq!(shown.first().map(|e| e.1), Some(10), "{log:?}");
    for e in shown.iter().filter(|e| e.0 < 290.0) {
        assert_eq!(e.1, e.2, "results shown without their passages: {log:?}");
    }
    // After other results, the list is not emptied while the next query runs.
    let log = list_changes(&browser, &fast, Some("标杆"), "质量");
    let early: Vec<_> = log.iter().filter(|e| e.0 < 290.0).collect();
    assert!(early.iter().all(|e| e.1 > 0), "{log:?}");
    assert_eq!(
        browser.eval("return document.getElementById('search-results').hasAttribute('aria-busy');"),
        json!(false)
    );

    // Slow pages: the list goes first, after 0.3 s, without the late
    // passages; then they fill in.
    let log = list_changes(&browser, &slow, None, "质量");
    let first = log.iter().find(|e| e.1 > 0).expect("no results");
    assert!(first.2 < first.1, "{log:?}");
    assert!((250.0..2900.0).contains(&first.0), "{log:?}");
    let last = log.last().unwrap();
    assert!(last.1 > 0 && last.1 == last.2, "passages missing: {log:?}");
}

/// Documents matching one pair `term` of a built site, in search.js's
/// order: score, then newer year, then document number.
fn ranked(dir: &Path, term: &str) -> Vec<String> {
    let (docs, found) = postings(&|p: &str| std::fs::read(dir.join(p)).unwrap(), term);
    let score = |w: u64| {
        (w >> 4)
            + [0, 1000][(w & 1) as usize]
            + [0, 500][(w >> 1 & 1) as usize]
            + [0, 50][(w >> 3 & 1) as usize]
    };
    let year = |d: usize| docs["docs"][d][3].as_u64().unwrap_or(0);
    let mut hits = found;
    hits.sort_by(|a, b| {
        score(b.1)
            .cmp(&score(a.1))
            .then(year(b.0).cmp(&year(a.0)))
            .then(a.0.cmp(&b.0))
    });
    hits.iter()
        .map(|&(d, _)| docs["docs"][d][0].as_str().unwrap().to_owned())
        .collect()
}

/// Later pages of results (显示更多结果) go below the first, in order,
/// each with its passage.
#[test]
fn more_results_go_below_the_first_page_in_order() {
    let out = two_rounds_built();
    let expected = ranked(out.path(), "质量");
    assert!(expected.len() > 10, "{expected:?}");
    let base = StaticSite::builder(out.path()).csp(CSP).start().url("");
    let browser = Browser::start();
    let (first, _) = browser.search(&base, "质量");
    assert_eq!(first, expected[..10], "{first:?}");
    assert_eq!(
        browser
            .eval("var b = document.getElementById('search-more'); if (b) b.click(); return !!b;"),
        json!(true)
    );
    let all = browser.wait(
        "the second page with its passages",
        "var lis = Array.from(document.querySelectorAll('#search-results li')); \
         return lis.length > 10 && lis.every(li => li.querySelector('.result-passage mark')) \
           ? lis.map(li => li.querySelector('a').getAttribute('href')) : null;",
    );
    let all: Vec<String> = serde_json::from_value(all).unwrap();
    assert_eq!(all, expected);
    // The keyboard goes on at the first new result, and the status says
    // how many are shown now.
    let at = browser.eval(
        "var a = document.activeElement; \
         return [a.getAttribute('href'), document.getElementById('search-status').textContent];",
    );
    assert_eq!(at[0], json!(expected[10]), "{at}");
    let shown = format!("已显示 {} 条", expected.len().min(20));
    assert!(at[1].as_str().unwrap().contains(&shown), "{at}");
    // Every result is shown: the button is gone.
    assert_eq!(
        browser.eval("return !document.getElementById('search-more');"),
        json!(true)
    );
}

/// search.js reads a term's postings straight out of its shard's text: a
/// word by its own key, never as the end of a longer one that comes first
/// in the shard (24 of 2024, 2 of 12); and a page served in a shard's place
/// is an error the reader is told of, not "no results".
#[test]
fn a_shard_is_read_by_whole_keys_and_a_page_in_its_place_is_an_error() {
    let out = tempfile::tempdir().unwrap();
    let (good, broken) = (out.path().join("good"), out.path().join("broken"));
    build(&fixture("basic"), BEFORE_REMOVAL, &good);
    build(&fixture("basic"), BEFORE_REMOVAL, &broken);
    let browser = Browser::start();
    let base = StaticSite::builder(&good).csp(CSP).start().url("");
    for term in ["24", "2", "2024"] {
        let expected = ranked(&good, term);
        assert!(!expected.is_empty(), "{term}");
        let (links, _) = browser.search(&base, term);
        assert_eq!(links, expected[..expected.len().min(10)], "{term}");
    }

    // Served from its own address, so no shard comes from the browser's cache.
    let docs: Value =
        serde_json::from_slice(&std::fs::read(broken.join("search/docs.json")).unwrap()).unwrap();
    let n = docs["shards"].as_u64().unwrap() as u32;
    let shard = broken.join(format!("search/p{}.json", shard_of("精益", n)));
    std::fs::write(shard, "<!doctype html><title>页面不存在</title>").unwrap();
    let base = StaticSite::builder(&broken).csp(CSP).start().url("");
    let (links, _) = browser.search(&base, "精益");
    assert!(links.is_empty(), "{links:?}");
    assert_eq!(
        browser.eval("return document.getElementById('search-status').textContent;"),
        json!("检索索引加载失败，请刷新页面重试。")
    );
}

/// Results-on-screen times on a built site named by `BIAOGAN_SEARCH_SITE`
/// (scripts/bench runs it on its corpora); reported, not asserted.
#[test]
#[ignore = "run by scripts/bench on a built corpus"]
fn search_timing_on_a_built_site() {
    let Some(dir) = std::env::var_os("BIAOGAN_SEARCH_SITE") else {
        panic!("set BIAOGAN_SEARCH_SITE to a built site");
    };
    let base = StaticSite::builder(dir).csp(CSP).start().url("");
    let browser = Browser::start();
    let queries = ["精益", "六西格玛", "质量管理小组", "有限公司"];
    for (i, q) in queries.iter().enumerate() {
        // First query on a fresh page: downloads the document list and shards.
        let (links, first) = browser.search(&base, q);
        // Everything that page fetched (served from the cache or not), for
        // the bench to weigh as a first visit would download it.
        let fetched = browser.eval(
            "return [location.pathname].concat(performance.getEntriesByType('resource')\
               .map(function (e) { return new URL(e.name).pathname; }));",
        );
        let fetched: Vec<&str> = fetched
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .collect();
        println!("search fetched {q}: {}", fetched.join(" "));
        // Then typed again on the same page, everything cached: last keystroke to results.
        let again = browser.type_query(q);
        // And another query typed on it: its shards and passages not yet fetched.
        let other = queries[(i + 1) % queries.len()];
        let typed = browser.type_query(other);
        // search.js's own marks for that query: list shown, passages shown.
        let marks = browser.eval("return window.biaoganSearchTiming;");
        println!(
            "search timing {q}: {} results; first query {first:.0} ms; typed again {again:.0} ms; \
             then {other} typed {typed:.0} ms after the last keystroke (its shards and passages \
             fetched; list shown after {:.0} ms, passages after {:.0} ms)",
            links.len(),
            marks["listed"].as_f64().unwrap_or(-1.0),
            marks["passages"].as_f64().unwrap_or(-1.0),
        );
    }
}

/// `scripts/bench` builds once without the index to measure what it adds;
/// only a non-empty `BIAOGAN_BENCH_NO_SEARCH` leaves it out.
#[test]
fn the_benchmark_switch_leaves_out_only_the_index() {
    let f = fixture("basic");
    let out = tempfile::tempdir().unwrap();
    let build = |value: Option<&str>, dir: &str| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_biaogan"));
        cmd.args(["build", "--now", BEFORE_REMOVAL, "--out"])
            .arg(out.path().join(dir))
            .arg("--content")
            .arg(f.content())
            .env_remove("BIAOGAN_BENCH_NO_SEARCH");
        if let Some(v) = value {
            cmd.env("BIAOGAN_BENCH_NO_SEARCH", v);
        }
        assert!(cmd.output().unwrap().status.success());
        out.path().join(dir)
    };
    let with = build(None, "with");
    let empty = build(Some(""), "empty");
    let without = build(Some("1"), "without");
    assert!(with.join("search/docs.json").exists());
    assert!(empty.join("search/docs.json").exists());
    assert!(!without.join("search/docs.json").exists());
    // The search page itself stays.
    assert!(without.join("search/index.html").exists());
}
