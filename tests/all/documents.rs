//! Official documents and what surrounds them (issue 11, items 2, 3, 7, 8
//! and 9): one frame in GB/T 9704's order for every numbered document, the
//! notice as issued before and after its deadline, Chinese labels, the
//! phone-friendly markup and the share cards, checked on parsed HTML.

use std::path::Path;

use biaogan::pipeline::{self, Options};
use scraper::{Html, Selector};

use crate::common::{fixture, now_at, Page, Site};

/// The sample site built as it is public at `now`.
fn sample(now: &str) -> Site {
    let mut o = Options::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    o.now = Some(now_at(now));
    match pipeline::check(&o) {
        Ok(out) => Site { out },
        Err(d) => panic!("sample at {now}: {d}"),
    }
}

/// The class of each element directly inside the signed text, in order.
fn signed_parts(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse("article.document > .doc-signed").unwrap();
    let signed = doc.select(&sel).next().expect("no .doc-signed");
    signed
        .children()
        .filter_map(scraper::ElementRef::wrap)
        .map(|e| {
            e.value()
                .attr("class")
                .unwrap_or(e.value().name())
                .to_owned()
        })
        .collect()
}

const DOCUMENTS: [&str; 4] = [
    "2024/notice/index.html",
    "2024/publicity/index.html",
    "2024/results/index.html",
    "2024/revocations/zz-mining-machinery/index.html",
];

#[test]
fn every_numbered_document_has_the_one_frame_in_gbt_9704_order() {
    let site = sample("2025-03-11");
    for path in DOCUMENTS {
        let html = site.text(path);
        let p = site.page(path);
        assert_eq!(
            p.one(".doc-signed .doc-issuer"),
            "中国质量协会文件",
            "{path}"
        );
        assert_eq!(p.count(".doc-signed .doc-head .doc-number"), 1, "{path}");
        assert_eq!(p.count("h1.doc-title"), 1, "{path}");
        assert_eq!(
            p.one(".doc-signature .doc-signer"),
            "中国质量协会",
            "{path}"
        );
        let parts = signed_parts(&html);
        let order: Vec<&str> = [
            "doc-head",
            "doc-addressee",
            "doc-body",
            "doc-attachments",
            "doc-signature",
        ]
        .into_iter()
        .filter(|c| parts.iter().any(|p| p == c))
        .collect();
        assert_eq!(parts, order, "{path}: parts out of order");
        assert_eq!(
            parts.last().map(String::as_str),
            Some("doc-signature"),
            "{path}"
        );
        // Data tables and downloads stand outside the signed text.
        assert_eq!(
            p.count(".doc-signed table, .doc-signed .downloads, .doc-signed dl"),
            0,
            "{path}"
        );
        assert_eq!(p.count("article .downloads, article .contact"), 0, "{path}");
        // The contact details once per page.
        let phone = html.matches("（010）68416386").count();
        assert_eq!(phone, 1, "{path}: the office phone appears {phone} times");
    }
    // 主送 where the document is addressed (notice, results), none on a 公告 or 公示.
    assert_eq!(
        site.page(DOCUMENTS[2]).one(".doc-addressee"),
        "各会员单位及有关组织："
    );
    assert_eq!(site.page(DOCUMENTS[3]).count(".doc-addressee"), 0);
    // The lists are annexes after the signature, announced in the 附件说明.
    let results = site.page(DOCUMENTS[2]);
    assert_eq!(
        results.one(".doc-attachments"),
        "附件：2024年质量标杆典型经验名单"
    );
    assert_eq!(results.attrs(".doc-attachments a", "href"), ["#annex-1"]);
    assert_eq!(results.count("#annex-1 table.case-list"), 1);
    // The revocation's facts come after the document, not before its signature.
    assert_eq!(site.page(DOCUMENTS[3]).count("article .case-meta"), 0);
}

#[test]
fn the_notice_reads_as_issued() {
    let site = sample("2024-05-01");
    let html = site.text(DOCUMENTS[0]);
    let n = site.page(DOCUMENTS[0]);
    // One 附件, as the notice has it; the forms are downloads in their own box.
    assert_eq!(
        n.one(".doc-attachments"),
        "附件：质量标杆典型经验遴选管理办法"
    );
    assert_eq!(
        n.all(".downloads li a"),
        ["质量标杆典型经验申报书", "典型经验编写说明"]
    );
    // The QR code and link right after item 1 (扫描下方二维码), not after the signature.
    let item1 = html.find("扫描下方二维码").unwrap();
    let qr = html
        .find("class=qr")
        .or_else(|| html.find("class=\"qr\""))
        .unwrap();
    let item2 = html.find("2. 邮件发送").unwrap();
    assert!(
        item1 < qr && qr < item2,
        "the QR code is not between items 1 and 2"
    );
    assert_eq!(n.count(".doc-body .apply-qr svg.qr[role=img]"), 1);
    assert_eq!(
        n.attrs(".doc-body .apply-qr a", "href"),
        ["https://gplwdjxyz5v4migm.mikecrm.com/VPiqJKi"]
    );
    assert_eq!(n.count(".apply, .doc-signature ~ * svg"), 0);
    // Nothing added to the text: the 指定邮箱 sentence names no address.
    let email = n
        .all(".doc-body p")
        .into_iter()
        .find(|p| p.contains("指定邮箱"))
        .unwrap();
    assert!(!email.contains('@'), "{email}");
    assert!(!html.contains("申报已截止"));
}

#[test]
fn after_the_deadline_the_notice_says_applications_are_closed() {
    let last = sample("2024-05-31 23:59").page(DOCUMENTS[0]);
    assert_eq!(last.count("svg.qr"), 1);
    let site = sample("2024-06-01");
    let n = site.page(DOCUMENTS[0]);
    assert_eq!(n.one(".status"), "申报已截止（2024年5月31日24点）");
    assert!(n
        .one(".doc-body .record-addition")
        .starts_with("申报已截止（2024年5月31日24点）"));
    assert_eq!(n.count("svg.qr"), 0);
    assert!(n
        .attrs("a", "href")
        .iter()
        .all(|h| !h.contains("mikecrm.com")));
    // The link stays as text (the record), struck out.
    assert_eq!(
        n.one(".doc-body .apply-link s"),
        "https://gplwdjxyz5v4migm.mikecrm.com/VPiqJKi"
    );
}

/// Visible link texts that are English words (file names and addresses aside).
fn english_labels(p: &Page) -> Vec<String> {
    p.all("a, button, label, th, h1, h2, h3, h4, caption")
        .into_iter()
        .filter(|t| {
            let t = t.trim();
            t.chars().any(|c| c.is_ascii_alphabetic())
                && t.is_ascii()
                && !t.contains("://")
                && !t.contains('@')
        })
        .collect()
}

#[test]
fn a_visitor_sees_no_english_labels() {
    let site = sample("2025-03-11");
    for path in site.html_pages() {
        let p = site.page(&path);
        assert_eq!(english_labels(&p), Vec::<String>::new(), "{path}");
        // The ICP number links to the MIIT registry.
        assert_eq!(
            p.attrs(".site-footer a[href^='https://beian']", "href"),
            ["https://beian.miit.gov.cn/"],
            "{path}"
        );
    }
    let feeds = site.page("announcements/index.html");
    assert!(feeds.all("a").contains(&"订阅（Atom）".to_owned()));
    let events = site.page("events/index.html");
    assert!(events.all("a").contains(&"加入日历（.ics）".to_owned()));
    for text in ["Outlook", "JSON、CSV", ">events.ics<", "Atom 订阅源"] {
        for path in site.html_pages() {
            assert!(!site.text(&path).contains(text), "{path}: {text}");
        }
    }
    // The writing guide is a Chinese page, not an English PDF.
    assert!(!site.out.keys().any(|k| k.ends_with(".pdf")));
    let guide = site.page("2024/notice/writing-guide/index.html");
    assert_eq!(guide.one("h1"), "典型经验编写说明");
    assert!(guide.one(".doc-body").contains("10000字左右"));
    assert_eq!(guide.one(".attach-label"), "资料下载");
}

#[test]
fn phone_markup_labels_stay_whole_and_numbered_headings_are_not_renumbered() {
    let site = sample("2025-03-11");
    // The results list reads as cards: every cell carries its column's name.
    let r = site.page("2024/results/index.html");
    let cells = r.count("table.cards tbody td, table.cards tbody th");
    assert_eq!(r.count("table.cards tbody [data-label]"), cells);
    // A case summary's headings carry 一、二、: the contents list has no numbers of its own.
    let case = site.page("2024/cases/bj-telecom-service/index.html");
    let toc = case.all(".toc li");
    assert!(toc.iter().any(|t| t.starts_with("一、")), "{toc:?}");
    assert_eq!(case.count(".toc ol.toc-numbered"), 1);
    // The rules' 第一章… likewise.
    let rules = site.page("2024/notice/rules/index.html");
    assert_eq!(rules.count(".toc ol.toc-numbered"), 1);
    let css = site.text("static/style.css");
    assert!(css.contains(".attach-label { font-weight: bold; white-space: nowrap"));
    assert!(css.contains(".toc ol.toc-numbered, .toc ol.toc-numbered li { list-style: none; }"));
}

#[test]
fn every_page_has_a_share_card() {
    for site in [sample("2025-03-11"), fixture("basic").site("2024-12-01")] {
        assert!(site.has("static/share-600.png") && site.has("static/share-1200x630.png"));
        for path in site.html_pages() {
            let p = site.page(&path);
            let images = p.attrs("meta[property='og:image']", "content");
            assert_eq!(images.len(), 2, "{path}");
            assert!(
                images.iter().all(|u| u.starts_with("https://")),
                "{path}: {images:?}"
            );
            assert_eq!(
                p.attrs("meta[property='og:image:width']", "content"),
                ["600", "1200"]
            );
            assert_eq!(
                p.attrs("meta[property='og:image:height']", "content"),
                ["600", "630"]
            );
            let url = p.attrs("meta[property='og:url']", "content");
            assert_eq!(url.len(), 1, "{path}");
            assert!(url[0].starts_with("https://"), "{path}");
            assert_eq!(p.count("meta[property='og:site_name']"), 1, "{path}");
            for prop in ["name", "description", "image"] {
                let v = p.attrs(&format!("html[itemscope] meta[itemprop={prop}]"), "content");
                assert!(v.len() == 1 && !v[0].is_empty(), "{path}: itemprop {prop}");
            }
        }
    }
}

#[test]
fn the_share_images_are_real_pngs_of_the_announced_sizes() {
    let site = sample("2024-05-01");
    for (name, w, h) in [
        ("share-600.png", 600u32, 600u32),
        ("share-1200x630.png", 1200, 630),
    ] {
        let bytes = match site.out.get(&format!("static/{name}")) {
            Some(biaogan::output::Artifact::Bytes(b)) => b.clone(),
            Some(biaogan::output::Artifact::Shared(b)) => b.to_vec(),
            None => panic!("no {name}"),
        };
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{name}");
        assert_eq!(&bytes[12..16], b"IHDR");
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert_eq!((width, height), (w, h), "{name}");
    }
}
