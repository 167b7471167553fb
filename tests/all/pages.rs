//! The pages of a small site, built at moments before, during and after the round,
//! checked by parsing the HTML.

use crate::common::fixture;

#[test]
fn before_the_notice_nothing_of_the_round_exists() {
    let site = fixture("basic").site("2024-04-14");
    assert!(!site.has("2024/index.html"));
    assert!(!site.has("2024/notice/index.html"));
    assert!(!site.text("sitemap.xml").contains("/2024/"));
    let home = site.page("index.html");
    assert!(home
        .attrs("a", "href")
        .iter()
        .all(|h| !h.starts_with("/2024")));
}

#[test]
fn before_publicity_there_is_no_publicity_page_nor_link() {
    let site = fixture("basic").site("2024-09-24 23:59");
    assert!(site.has("2024/notice/index.html"));
    assert!(!site.has("2024/publicity/index.html"));
    assert!(!site.has("2024/results/index.html"));
    assert!(!site.has("2024/cases/alpha/index.html"));
    for p in site.html_pages() {
        let page = site.page(&p);
        for href in page.attrs("a", "href") {
            assert!(
                !href.contains("publicity") && !href.contains("results") && !href.contains("cases"),
                "{p} links {href}"
            );
        }
    }
    let sitemap = site.text("sitemap.xml");
    assert!(
        !sitemap.contains("publicity") && !sitemap.contains("results"),
        "{sitemap}"
    );
    let round = site.page("2024/index.html");
    assert_eq!(round.one(".phase strong"), "评审中");
}

#[test]
fn notice_is_laid_out_as_an_official_document() {
    let site = fixture("basic").site("2024-05-01");
    let n = site.page("2024/notice/index.html");
    assert_eq!(n.attrs("html", "lang"), ["zh-CN"]);
    assert_eq!(n.one(".doc-issuer"), "中国质量协会文件");
    assert_eq!(n.one(".doc-head .doc-number"), "中国质协字〔2024〕50号");
    assert_eq!(
        n.one("h1"),
        "关于开展2024年质量标杆典型经验遴选与交流活动的通知"
    );
    assert_eq!(n.one(".doc-addressee"), "各会员单位及有关组织：");
    assert_eq!(n.one(".doc-signature time"), "2024年4月15日");
    // Numbering levels survive: 一、 as a section heading, （一） below it, 1. as text.
    assert_eq!(n.all(".doc-body h2"), ["一、典型经验遴选"]);
    assert_eq!(n.all(".doc-body h3"), ["（一）遴选对象"]);
    assert!(n
        .all(".doc-body p")
        .iter()
        .any(|p| p.starts_with("1. 提交申报")));
    // A CJK soft line break does not become a space.
    assert!(n.all(".doc-body p").iter().any(|p| p.contains("各类组织")));
    // The 附件说明 lists the rules alone (a page); the form is a download
    // in its own box, with type and size, outside the signed text.
    assert_eq!(
        n.attrs(".doc-attachments a", "href"),
        ["/2024/notice/rules/"]
    );
    assert_eq!(
        n.one(".doc-attachments"),
        "附件：质量标杆典型经验遴选管理办法"
    );
    assert_eq!(n.attrs(".downloads a", "href"), ["/2024/notice/form.docx"]);
    let files = n.all(".downloads .file-meta");
    assert_eq!(files.len(), 1);
    assert!(
        files[0].contains("Word 文档") && files[0].contains(" B"),
        "{files:?}"
    );
    assert_eq!(n.count("article .downloads, .downloads article"), 0);
    assert!(site.has("2024/notice/form.docx"));
    assert!(site.has("2024/notice/rules/index.html"));
    // Timeline and focus areas as tables; the QR code as inline SVG; the link.
    assert_eq!(
        n.rows("section[aria-labelledby=timeline-h] table")[0],
        ["1", "提交申报", "2024年5月31日（24点截止）"]
    );
    assert_eq!(n.rows("section[aria-labelledby=focus-h] table").len(), 2);
    // This notice has no 扫描下方二维码 sentence: the code and link stand in
    // their own box after it, with the e-mail instructions.
    assert_eq!(n.count(".apply svg.qr[role=img]"), 1);
    assert!(n
        .attrs(".apply a", "href")
        .contains(&"https://example.org/apply".to_owned()));
    assert!(n.one(".apply").contains("office@example.org"));
    assert!(n.one(".contact").contains("office@example.org"));
}

#[test]
fn publicity_lists_recommended_cases_with_period_and_status() {
    let site = fixture("basic").site("2024-09-26 10:00");
    let p = site.page("2024/publicity/index.html");
    let rows = p.rows("table.case-list");
    assert_eq!(
        rows,
        [
            [
                "1",
                "乙建设集团有限公司",
                "乙集团精益建造质量管理",
                "建筑",
                "浙江省"
            ],
            [
                "2",
                "甲质量股份有限公司",
                "甲公司数字化质量追溯",
                "制造",
                "北京市"
            ],
            [
                "3",
                "丙服务有限公司",
                "丙公司服务质量提升",
                "服务",
                "广东省"
            ],
        ]
    );
    let headers = p.all("table.case-list thead th");
    assert_eq!(
        headers,
        ["序号", "组织名称", "典型经验名称", "领域", "地区"]
    );
    assert_eq!(
        p.one(".period"),
        "公示期：2024年9月25日至10月12日（10个工作日）"
    );
    assert_eq!(p.one(".status"), "公示中，还剩9个工作日（含今天）");
    let obj = p.one(".objections");
    assert!(obj.contains("2024年10月12日17:00"), "{obj}");
    for needle in ["书面", "实名", "公章", "证据"] {
        assert!(obj.contains(needle), "{needle} missing in {obj}");
    }
    assert!(p.one(".contact").contains("（010）12345678"));
    // Shortlisted and ineligible cases are not on the list.
    assert!(!site.text("2024/publicity/index.html").contains("丁制造"));
}

#[test]
fn publicity_status_on_the_last_day_and_after() {
    let f = fixture("basic");
    let last = f.site("2024-10-12 09:00").page("2024/publicity/index.html");
    assert_eq!(last.one(".status"), "公示中，今天是最后一个工作日");
    let after = f.site("2024-10-12 17:00").page("2024/publicity/index.html");
    assert_eq!(after.one(".status"), "公示期已结束");
}

#[test]
fn results_list_approved_cases_without_upheld_objection_in_order() {
    let site = fixture("basic").site("2024-10-20");
    let r = site.page("2024/results/index.html");
    assert_eq!(r.one(".doc-number"), "中国质协字〔2024〕88号");
    assert_eq!(r.one("h1"), "关于公布2024年质量标杆典型经验名单的通知");
    assert_eq!(r.one(".doc-signature time"), "2024年10月20日");
    let rows = r.rows("table.case-list");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][1], "乙建设集团有限公司");
    assert_eq!(rows[1][1], "甲质量股份有限公司");
    assert_eq!(
        r.attrs("table.case-list a", "href"),
        ["/2024/cases/beta/", "/2024/cases/alpha/"]
    );
    assert!(
        !site.has("2024/cases/gamma/index.html"),
        "upheld objection must not be published"
    );
}

#[test]
fn case_page_has_summary_toc_and_images() {
    let site = fixture("basic").site("2024-10-20");
    let c = site.page("2024/cases/alpha/index.html");
    assert_eq!(c.one("h1"), "甲公司数字化质量追溯");
    let meta = c.all(".case-meta dd");
    assert_eq!(
        &meta[..4],
        ["甲质量股份有限公司", "北京市", "制造", "质量管理数字化"]
    );
    assert_eq!(c.all(".tags li"), ["质量追溯", "SPC"]);
    assert_eq!(c.all(".toc a"), ["一、背景", "二、做法", "（一）建立平台"]);
    assert_eq!(c.attrs(".toc a", "href"), ["#sec-1", "#sec-2", "#sec-3"]);
    assert_eq!(c.attrs(".summary h2", "id"), ["sec-1", "sec-2"]);
    assert_eq!(c.attrs(".summary img", "src"), ["arch.svg"]);
    assert!(site.has("2024/cases/alpha/arch.svg"));
    assert_eq!(c.rows(".summary table"), [["一次合格率", "98.1%", "99.2%"]]);
    assert!(c.all(".summary p")[0].contains("长期坚持全面质量管理"));
}

#[test]
fn home_and_round_show_phase_and_public_documents() {
    let f = fixture("basic");
    let during = f.site("2024-09-26");
    let home = during.page("index.html");
    assert_eq!(home.one(".phase strong"), "公示中");
    assert_eq!(
        home.attrs(".round .documents a", "href"),
        ["/2024/publicity/", "/2024/notice/"]
    );
    assert_eq!(
        home.attrs(".latest .documents a", "href"),
        ["/2024/publicity/", "/2024/notice/"]
    );
    let december = f.site("2024-12-20").page("index.html");
    let latest = december.attrs(".latest .documents a", "href");
    assert_eq!(
        latest[0], "/2024/revocations/alpha/",
        "newest first: {latest:?}"
    );
    assert!(latest.contains(&"/events/2024-12-visit-chengdu/".to_owned()));
    let after = f.site("2024-10-20");
    let round = after.page("2024/index.html");
    assert_eq!(round.one(".phase strong"), "结果已公布");
    assert_eq!(
        round.attrs(".documents a", "href"),
        ["/2024/results/", "/2024/publicity/", "/2024/notice/"]
    );
    let applying = f.site("2024-05-31 23:00").page("index.html");
    assert!(applying.one(".phase").contains("申报中"));
}

#[test]
fn sitemap_lists_exactly_the_public_pages() {
    let site = fixture("basic").site("2024-10-20");
    let sitemap = site.text("sitemap.xml");
    let doc = roxmltree_like_locs(&sitemap);
    let mut pages: Vec<String> = site
        .html_pages()
        .into_iter()
        .filter(|p| p != "404.html")
        .map(|p| format!("https://example.org/{}", p.trim_end_matches("index.html")))
        .collect();
    pages.sort();
    assert_eq!(doc, pages);
    assert!(site
        .text("robots.txt")
        .contains("Sitemap: https://example.org/sitemap.xml"));
}

fn roxmltree_like_locs(xml: &str) -> Vec<String> {
    let mut v: Vec<String> = xml
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap().to_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn every_page_is_accessible_html5() {
    let site = fixture("basic").site("2024-10-20");
    for p in site.html_pages() {
        let text = site.text(&p);
        assert!(
            text.to_ascii_lowercase().starts_with("<!doctype html>"),
            "{p}"
        );
        let page = site.page(&p);
        assert_eq!(page.attrs("html", "lang"), ["zh-CN"], "{p}");
        assert_eq!(page.count("h1"), 1, "{p}: one h1");
        assert_eq!(page.attrs("a.skip-link", "href"), ["#main"], "{p}");
        assert_eq!(page.count("main#main"), 1, "{p}");
        assert!(page.count("meta[name=viewport]") == 1, "{p}");
        assert!(
            !page.attrs("meta[name=description]", "content")[0].is_empty(),
            "{p}"
        );
        // Headings never skip a level.
        let sel = scraper::Selector::parse("h1, h2, h3, h4, h5, h6").unwrap();
        let mut last = 1;
        for h in page.0.select(&sel) {
            let level: u32 = h.value().name()[1..].parse().unwrap();
            assert!(level <= last + 1, "{p}: h{level} after h{last}");
            last = level;
        }
        // Every table has header cells.
        let tables = scraper::Selector::parse("table").unwrap();
        let th = scraper::Selector::parse("th").unwrap();
        for t in page.0.select(&tables) {
            assert!(t.select(&th).next().is_some(), "{p}: table without headers");
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let f = fixture("basic");
    let a = f.check("2024-10-20").unwrap();
    let b = f.check("2024-10-20").unwrap();
    assert_eq!(a, b);
}

#[test]
fn the_round_timeline_shows_real_dates_once_public_and_the_notice_keeps_its_own() {
    let f = fixture("basic");
    // Before the publicity list is public, the round page shows the plan only.
    let before = f.site("2024-09-24 23:59");
    let round = before.text("2024/index.html");
    assert!(!round.contains("实际时间"), "real dates shown early");
    // From its first day, the publicity row gives the real period.
    let during = f.site("2024-09-25");
    let round = during.text("2024/index.html");
    assert!(round.contains("实际时间"));
    assert!(round.contains("2024年9月25日至10月12日"), "{}", round);
    assert!(
        round.contains("2024年9月下旬"),
        "the plan is kept beside it"
    );
    // The notice is a document of record: its timeline never changes.
    let notice = during.text("2024/notice/index.html");
    assert!(!notice.contains("实际时间"));
}
