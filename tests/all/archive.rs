//! Two rounds side by side (tests/sites/two-rounds): the archive (历年名单),
//! the navigation in every phase, finished rounds, an organisation's cases
//! across rounds and the warning about a recent removal, from parsed pages.

use biaogan::diagnostics::Severity;
use biaogan::pipeline;

use crate::common::biaogan;
use crate::common::{fixture, Page, Site};

const NAV: &str = ".site-header nav a";

/// The hrefs of the main navigation of every page of `site`, checked to be
/// the same everywhere, and returned once.
fn nav_everywhere(site: &Site) -> Vec<String> {
    let home = site.page("index.html").attrs(NAV, "href");
    for p in site.html_pages() {
        assert_eq!(site.page(&p).attrs(NAV, "href"), home, "navigation of {p}");
    }
    home
}

fn section(page: &Page, year: i32, css: &str) -> Vec<String> {
    page.all(&format!("#year-{year} {css}"))
}

#[test]
fn navigation_leads_to_the_archive_and_the_newest_round_in_every_phase() {
    let f = fixture("two-rounds");
    let fixed = ["/archive/", "/events/", "/announcements/"];
    let with = |round: &[&str]| -> Vec<String> {
        std::iter::once("/")
            .chain(round.iter().copied())
            .chain(fixed)
            .map(str::to_owned)
            .collect()
    };
    let cases: [(&str, &[&str]); 8] = [
        ("2024-04-14", &[]),
        ("2024-05-01", &["/2024/notice/"]),
        ("2024-09-26", &["/2024/notice/", "/2024/publicity/"]),
        (
            "2024-10-21",
            &["/2024/notice/", "/2024/publicity/", "/2024/results/"],
        ),
        ("2025-03-21", &["/2025/notice/"]),
        ("2025-06-10", &["/2025/notice/"]),
        ("2025-09-23", &["/2025/notice/", "/2025/publicity/"]),
        (
            "2025-10-21",
            &["/2025/notice/", "/2025/publicity/", "/2025/results/"],
        ),
    ];
    for (now, round) in cases {
        let site = f.site(now);
        assert_eq!(nav_everywhere(&site), with(round), "at {now}");
        assert!(site.has("archive/index.html"), "at {now}");
        assert!(
            site.text("sitemap.xml")
                .contains("<loc>https://example.org/archive/</loc>"),
            "sitemap at {now}"
        );
    }
    // While the 2025 round runs, the 2024 final list is two clicks away.
    let site = f.site("2025-06-10");
    let archive = site.page("archive/index.html");
    assert!(archive
        .attrs("a", "href")
        .contains(&"/2024/results/".to_owned()));
}

#[test]
fn archive_lists_every_round_its_final_list_and_removed_cases() {
    let site = fixture("two-rounds").site("2025-10-21");
    let a = site.page("archive/index.html");
    assert_eq!(a.one("h1"), "历年名单");
    assert_eq!(a.attrs(".archive-round", "id"), ["year-2025", "year-2024"]);
    assert_eq!(
        section(&a, 2024, ".phase strong"),
        ["已结束"],
        "a finished round"
    );
    assert_eq!(section(&a, 2025, ".phase strong"), ["结果已公布"]);
    let list = section(&a, 2024, ".final-list")[0].clone();
    for part in [
        "中国质协字〔2024〕88号",
        "2024年10月20日",
        "共2项",
        "1项已移除",
    ] {
        assert!(list.contains(part), "{part} in {list}");
    }
    assert_eq!(
        a.attrs("#year-2024 .final-list a", "href"),
        ["/2024/results/"]
    );
    // The list as open data, as the results page offers it.
    assert_eq!(
        a.attrs("#year-2024 .archive-data a", "href"),
        ["/2024/results.csv", "/2024/results.json"]
    );
    assert_eq!(
        a.rows("#year-2024 .case-list"),
        [
            vec![
                "1",
                "乙建设集团有限公司",
                "乙集团精益建造质量管理",
                "浙江省"
            ],
            // The removed case keeps its 序号 on the list as published.
            vec![
                "2",
                "甲质量股份有限公司",
                "甲公司数字化质量追溯 已移除（见中国质协字〔2024〕120号）",
                "北京市"
            ],
        ]
    );
    // The removed case links to its announcement, not to a summary.
    assert_eq!(
        a.attrs("#year-2024 .case-list a", "href"),
        ["/2024/cases/beta/", "/2024/revocations/alpha/"]
    );
    assert_eq!(
        a.attrs("#year-2025 .case-list a", "href"),
        ["/2025/cases/yi-lean/", "/2025/cases/jia-trace/"]
    );
    assert!(section(&a, 2025, ".final-list")[0].contains("中国质协字〔2025〕80号"));
    // Every link of the archive leads to a page that exists.
    for href in a.attrs("main a", "href") {
        if let Some(path) = href.strip_prefix('/').filter(|h| h.ends_with('/')) {
            assert!(site.has(&format!("{path}index.html")), "{href}");
        }
    }
}

#[test]
fn archive_shows_nothing_before_it_is_public() {
    let f = fixture("two-rounds");
    // Before 2024's removal and before 2025's notice: 2024 still complete, no 2025.
    let a = f.site("2024-11-01").page("archive/index.html");
    assert_eq!(a.attrs(".archive-round", "id"), ["year-2024"]);
    assert_eq!(
        a.attrs("#year-2024 .case-list a", "href"),
        ["/2024/cases/beta/", "/2024/cases/alpha/"]
    );
    assert_eq!(a.count(".removed-mark"), 0);
    // During 2025's publicity: the 2025 round is there without a list.
    let a = f.site("2025-09-23").page("archive/index.html");
    assert_eq!(a.attrs(".archive-round", "id"), ["year-2025", "year-2024"]);
    assert_eq!(a.count("#year-2025 .case-list"), 0);
    assert!(!a
        .attrs("a", "href")
        .iter()
        .any(|h| h.contains("/2025/cases/") || h.contains("/2025/results")));
    // Before any notice: no round at all.
    let a = f.site("2024-04-14").page("archive/index.html");
    assert_eq!(a.count(".archive-round"), 0);
    assert!(!a.attrs("a", "href").iter().any(|h| h.starts_with("/202")));
}

#[test]
fn a_finished_round_is_labelled_and_the_home_page_puts_the_current_round_first() {
    let f = fixture("two-rounds");
    // Results out, the year not over and no newer round: not finished yet.
    let site = f.site("2024-10-21");
    assert_eq!(
        site.page("2024/index.html").one(".phase strong"),
        "结果已公布"
    );
    assert_eq!(site.page("index.html").count(".older-rounds"), 0);
    // The year over: finished, even before the next notice.
    let site = f.site("2025-01-02");
    assert_eq!(site.page("2024/index.html").one(".phase strong"), "已结束");
    // A newer round announced: the current one in full, the older one in a line.
    let site = f.site("2025-03-21");
    let home = site.page("index.html");
    assert_eq!(home.attrs(".round h2 a", "href"), ["/2025/"]);
    assert_eq!(home.one(".round .phase strong"), "申报中");
    assert_eq!(
        home.attrs(".older-rounds li a", "href"),
        ["/2024/", "/2024/results/"]
    );
    let line = home.one(".older-rounds li");
    assert!(
        line.contains("已结束") && line.contains("中国质协字〔2024〕88号"),
        "{line}"
    );
    // The current round comes first on the page, the latest announcements last.
    assert_eq!(
        home.all("main h2"),
        ["2025年质量标杆典型经验遴选", "往届遴选", "最新公告"]
    );
    assert!(!line.contains("当前阶段"), "{line}");
    assert_eq!(
        site.page("2024/index.html").one(".phase"),
        "本届遴选已结束",
        "no 当前阶段 nor 公示期 on a finished round"
    );
}

#[test]
fn a_round_still_under_way_when_the_next_is_announced_stays_in_full_and_in_the_navigation() {
    // The 2024 final list is due after the 2025 notice (20 March).
    let f = fixture("two-rounds");
    let round = "campaigns/2024/campaign.yaml";
    f.edit(round, "  date: 2024-10-20", "  date: 2025-03-25");
    let removal = "campaigns/2024/revocations/alpha.yaml";
    f.edit(removal, "date: 2024-12-02", "date: 2025-04-02");
    f.edit(
        removal,
        "incident_date: 2024-11-12",
        "incident_date: 2025-03-30",
    );
    let site = f.site("2025-03-22");
    let home = site.page("index.html");
    assert_eq!(home.attrs(".round h2 a", "href"), ["/2025/", "/2024/"]);
    assert_eq!(home.count(".older-rounds"), 0, "not under 往届遴选");
    let nav = nav_everywhere(&site);
    assert!(
        nav.iter().any(|h| h == "/2024/publicity/"),
        "the 2024 publicity in the navigation: {nav:?}"
    );
    let labels = home.all(NAV);
    assert!(labels.iter().any(|l| l == "2024年公示"), "{labels:?}");
    // Its results out, the year long over: finished, one line, out of the navigation.
    let site = f.site("2025-03-26");
    let home = site.page("index.html");
    assert_eq!(home.attrs(".round h2 a", "href"), ["/2025/"]);
    assert_eq!(
        home.attrs(".older-rounds li a", "href"),
        ["/2024/", "/2024/results/"]
    );
    assert_eq!(home.attrs(NAV, "href")[1..2], ["/2025/notice/"]);
    let nav = home.attrs(NAV, "href");
    assert!(!nav.iter().any(|h| h.starts_with("/2024/")), "{nav:?}");

    // A final list that never comes: the round leaves with the newer round's year.
    let f = fixture("two-rounds");
    let round = f.read("campaigns/2024/campaign.yaml");
    let without = &round[..round.find("results:").unwrap()];
    f.write("campaigns/2024/campaign.yaml", without);
    std::fs::remove_dir_all(f.path("campaigns/2024/revocations")).unwrap();
    let in_full = |now: &str| f.site(now).page("index.html").attrs(".round h2 a", "href");
    assert_eq!(in_full("2025-12-31"), ["/2025/", "/2024/"]);
    assert_eq!(in_full("2026-01-01"), ["/2025/"]);
    // And out of the navigation with it.
    let nav_2024 = |now: &str| {
        let nav = f.site(now).page("index.html").attrs(NAV, "href");
        nav.iter().any(|h| h.starts_with("/2024/"))
    };
    assert!(nav_2024("2025-12-31"));
    assert!(!nav_2024("2026-01-01"));
}

#[test]
fn an_organisations_cases_in_other_rounds_link_to_each_other() {
    let f = fixture("two-rounds");
    let site = f.site("2025-10-21");
    let other = |p: &str| site.page(p).attrs(".other-years a", "href");
    assert_eq!(
        other("2025/cases/yi-lean/index.html"),
        ["/2024/cases/beta/"]
    );
    assert_eq!(
        other("2024/cases/beta/index.html"),
        ["/2025/cases/yi-lean/"]
    );
    assert_eq!(
        site.page("2024/cases/beta/index.html")
            .one(".other-years h2"),
        "该单位其他年度的典型经验"
    );
    // 甲's 2024 case was removed: no link to it, and none from its removal page.
    assert!(other("2025/cases/jia-trace/index.html").is_empty());
    assert!(other("2024/cases/alpha/index.html").is_empty());
    // Before the 2025 results, the 2025 case is not public: no link to it.
    let site = f.site("2025-09-23");
    assert!(site
        .page("2024/cases/beta/index.html")
        .attrs(".other-years a", "href")
        .is_empty());
}

#[test]
fn a_recently_removed_organisation_in_a_newer_round_is_warned_about() {
    let f = fixture("two-rounds");
    let loaded = pipeline::load(&f.options("2025-10-21")).unwrap_or_else(|d| panic!("{d}"));
    let w: Vec<_> = loaded.site.warnings.iter().collect();
    assert_eq!(w.len(), 1, "{}", loaded.site.warnings);
    assert_eq!(w[0].severity, Severity::Warning);
    assert!(w[0].file.ends_with("campaigns/2025/cases/jia-trace.yaml"));
    assert_eq!((w[0].line, w[0].column), (Some(3), Some(16)));
    assert!(w[0].message.contains("2024年12月2日"), "{}", w[0].message);
    assert!(w[0].message.contains("中国质协字〔2024〕120号"));
    // The build goes on and says so; --strict makes it an error.
    let dir = f.dir.path();
    let o = biaogan(&["check", "--now", "2025-10-21"], dir);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("警告：") && err.contains("jia-trace.yaml:3:16"),
        "{err}"
    );
    assert!(err.contains("发现 1 个警告"), "{err}");
    let o = biaogan(&["build", "--now", "2025-10-21", "--strict"], dir);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("错误：") && err.contains("jia-trace.yaml:3:16"),
        "{err}"
    );
    assert!(!dir.join("public").exists());
    let o = biaogan(&["build", "--now", "2025-10-21"], dir);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("发现 1 个警告"));
    assert!(dir.join("public/archive/index.html").is_file());
    // `qualified` is the first stage the rule weighs on (资格审查 passed);
    // at `applied` the office has not yet judged the application.
    let warned = |f: &crate::common::Fixture| {
        let loaded = pipeline::load(&f.options("2025-10-21")).unwrap_or_else(|d| panic!("{d}"));
        loaded.site.warnings.len()
    };
    let case = "campaigns/2025/cases/jia-trace.yaml";
    f.edit(case, "stage: approved", "stage: qualified");
    assert_eq!(warned(&f), 1);
    f.edit(case, "stage: qualified", "stage: applied");
    assert_eq!(warned(&f), 0);
    // No warning once the case is marked ineligible, nor for an organisation never removed.
    f.edit(case, "stage: applied", "stage: ineligible");
    let loaded = pipeline::load(&f.options("2025-10-21")).unwrap_or_else(|d| panic!("{d}"));
    assert!(loaded.site.warnings.is_empty(), "{}", loaded.site.warnings);
}
