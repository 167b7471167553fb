//! Hostile input stays inert, proven in a real browser.
//!
//! The fixture `tests/sites/hostile` puts markup and script into every public
//! text field and into every Markdown document. Each payload, if it ever ran,
//! would set `data-pwned` on `<html>` and request `/pwned/<id>` from the server.
//! The test builds the site with the library, serves it over a small local HTTP
//! server that records every request, loads every built HTML page in Debian's
//! headless Chromium and looks at the DOM Chromium ends up with:
//!
//! - no marker attribute and no `/pwned` request (no script ran, no injected
//!   resource was fetched);
//! - no event-handler attribute, no script-capable element and no link with a
//!   scheme other than http, https, mailto and tel (nothing that would run on a
//!   click, a hover or a focus either);
//! - and the hostile text is there, as visible text (so the test cannot pass
//!   by publishing nothing).
//!
//! A control page with a real script proves that scripts do run in this
//! browser and that the markers are detected.
//!
//! Needs `/usr/bin/chromium` (Debian package `chromium`); fails without it.

use crate::common;
use crate::common::chromium::{chromium, dump_all, dump_dom};
use crate::common::safe_url;
use crate::common::static_site::StaticSite;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use biaogan::pipeline::{self, Options};
use scraper::{ElementRef, Html, Selector};

/// Where Debian installs Chromium; `BIAOGAN_CHROMIUM` overrides it.
/// The moment at which every document of the 2024 round is public.
const NOW: &str = "2024-12-03 12:00";

/// The payloads' marker attribute (set on `<html>` by any payload that runs).
const MARKER_ATTR: &str = "data-pwned";

/// Elements that can run script, load active content, submit data, restyle
/// the page or change how URLs resolve. None may reach a page.
const FORBIDDEN: &str = "script, iframe, frame, frameset, object, embed, applet, base, form, \
    input, button, textarea, select, style, math, template, noscript, meta[http-equiv], \
    video, audio, marquee, details[ontoggle], animate, set, foreignObject";

/// Attributes holding URLs that a browser follows or loads.
const URL_ATTRS: [&str; 11] = [
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "xlink:href",
    "background",
    "cite",
    "ping",
    "codebase",
];

// ---------------------------------------------------------------------------
// The static host, with a control page whose script does run.

const CONTROL_PAGE: &str = "<!DOCTYPE html><html><head><meta charset=utf-8><title>control</title></head>\
<body><p>control</p><script>document.documentElement.dataset.pwned='control';fetch('/pwned/control')</script>\
<img src=x onerror=\"fetch('/pwned/control-onerror')\"></body></html>";

fn control_host(root: PathBuf) -> StaticSite {
    StaticSite::builder(root)
        .route(|path| {
            (path == "/__control/").then(|| ("text/html; charset=utf-8", CONTROL_PAGE.into()))
        })
        .start()
}

// ---------------------------------------------------------------------------
// Chromium.

/// The theme's own search forms (a GET to `/search/` with one field `q`)
/// and the search page's script: the only forms and script a page may hold.
fn is_theme_search(el: ElementRef) -> bool {
    let v = el.value();
    let search_form = |f: ElementRef| {
        let a = f.value();
        // GET is the default method; the minifier drops `method=get`.
        a.name() == "form"
            && a.attr("action") == Some("/search/")
            && matches!(a.attr("method"), None | Some("get"))
    };
    match v.name() {
        "form" => search_form(el),
        "input" => {
            v.attr("name") == Some("q")
                && el.ancestors().filter_map(ElementRef::wrap).any(search_form)
        }
        "button" => {
            // `submit` is the default type; the minifier drops it.
            matches!(v.attr("type"), None | Some("submit"))
                && el.ancestors().filter_map(ElementRef::wrap).any(search_form)
        }
        "script" => v.attr("src") == Some("/static/search.js") && v.attrs().count() == 2,
        _ => false,
    }
}

/// Every problem found in one rendered page.
fn problems(dom: &str) -> Vec<String> {
    let doc = Html::parse_document(dom);
    let mut found = Vec::new();
    let all = Selector::parse("*").unwrap();
    for el in doc.select(&all) {
        let name = el.value().name();
        for (attr, value) in el.value().attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr == MARKER_ATTR {
                found.push(format!("a payload ran: <{name} {attr}=\"{value}\">"));
            } else if attr.starts_with("on") {
                found.push(format!("event handler <{name} {attr}=\"{value}\">"));
            } else if attr == "style" || attr == "srcdoc" {
                found.push(format!("<{name} {attr}=\"{value}\">"));
            } else if (attr == "srcset" && !safe_srcset(value))
                || (URL_ATTRS.contains(&attr.as_str()) && !safe_url(value))
            {
                found.push(format!("unsafe URL <{name} {attr}=\"{value}\">"));
            }
        }
    }
    for el in doc.select(&Selector::parse(FORBIDDEN).unwrap()) {
        if !is_theme_search(el) {
            found.push(format!("forbidden element {}", outer_start(el)));
        }
    }
    // The one inline SVG a page may hold is the QR code the build draws.
    for el in doc.select(&Selector::parse("svg").unwrap()) {
        let in_qr = el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| a.value().classes().any(|c| c == "qr-figure"));
        if !in_qr {
            found.push(format!(
                "inline SVG outside the QR code {}",
                outer_start(el)
            ));
        }
    }
    for el in doc.select(&Selector::parse("link").unwrap()) {
        let rel = el.value().attr("rel").unwrap_or("");
        let href = el.value().attr("href").unwrap_or("");
        let ok = (rel == "stylesheet" && href == "/static/style.css") || rel == "canonical";
        if !ok {
            found.push(format!("unexpected {}", outer_start(el)));
        }
    }
    found
}

fn outer_start(el: ElementRef) -> String {
    let attrs: String = el
        .value()
        .attrs()
        .map(|(k, v)| format!(" {k}=\"{v}\""))
        .collect();
    format!("<{}{attrs}>", el.value().name())
}

/// `srcset`: every candidate's URL must be safe.
fn safe_srcset(value: &str) -> bool {
    value
        .split(',')
        .all(|c| safe_url(c.split_whitespace().next().unwrap_or("")))
}

// ---------------------------------------------------------------------------
// The fixture's own values, read from its YAML, to look for on the pages.

struct Fixture {
    root: PathBuf,
}

impl Fixture {
    fn value(&self, file: &str, path: &str) -> String {
        let text = std::fs::read_to_string(self.root.join(file)).unwrap();
        let mut v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        for part in path.split('.') {
            v = match part.parse::<usize>() {
                Ok(i) => v[i].clone(),
                Err(_) => v[part].clone(),
            };
        }
        match v {
            serde_yaml::Value::String(s) => s,
            other => panic!("{file} {path} is not text: {other:?}"),
        }
    }
}

/// Text of every element matching `css`, as the user sees it.
fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>())
        .collect()
}

#[test]
fn hostile_site_runs_no_script_in_chromium() {
    let browser = chromium();
    let fx = Fixture {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/hostile"),
    };
    let f = common::fixture("hostile");
    let out_dir = f.dir.path().join("public");
    let mut opts = Options::new(f.content());
    opts.now = Some(common::now_at(NOW));
    let output = pipeline::build(&opts, &out_dir).unwrap_or_else(|d| panic!("{d}"));

    // Every built HTML page, as the URL a visitor would use.
    let pages: Vec<String> = output
        .files
        .iter()
        .filter(|k| k.ends_with(".html"))
        .map(|k| match k.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{k}"),
        })
        .collect();
    for must in [
        "/",
        "/2024/",
        "/2024/notice/",
        "/2024/notice/rules/",
        "/2024/publicity/",
        "/2024/results/",
        "/2024/cases/alpha/",
        "/2024/cases/beta/",
        "/2024/cases/zeta/",
        "/2024/revocations/zeta/",
        "/announcements/",
        "/events/",
        "/events/2024-12-lecture-beijing/",
        "/events/2024-11-visit-chengdu/",
    ] {
        assert!(
            pages.iter().any(|p| p == must),
            "{must} not built: {pages:?}"
        );
    }

    let server = control_host(out_dir);

    // The control: a page whose script does run must be caught.
    let control = dump_dom(&browser, &server.url("/__control/"));
    let caught = problems(&control);
    assert!(
        caught.iter().any(|p| p.contains("a payload ran")),
        "the control page's script did not run or was not detected: {caught:?}"
    );
    let seen = server.requests();
    assert!(
        seen.iter().any(|r| r == "/pwned/control"),
        "the control page's request was not recorded: {seen:?}"
    );

    let urls: Vec<String> = pages.iter().map(|p| server.url(p)).collect();
    let doms = dump_all(&browser, &urls);

    let mut report = Vec::new();
    let mut parsed = BTreeMap::new();
    for (page, dom) in pages.iter().zip(&doms) {
        for p in problems(dom) {
            report.push(format!("{page}: {p}"));
        }
        parsed.insert(page.as_str(), Html::parse_document(dom));
    }
    let requests = server.requests();
    for r in &requests {
        if r.to_ascii_lowercase().contains("pwned") && !r.starts_with("/pwned/control") {
            report.push(format!("the browser requested {r}"));
        }
    }
    assert!(
        report.is_empty(),
        "hostile input was not inert:\n{}",
        report.join("\n")
    );
    for page in &pages {
        assert!(
            requests.iter().any(|r| r == page),
            "{page} was never requested: {requests:?}"
        );
    }

    // The hostile text is published, as visible text where it belongs.
    let expect = |page: &str, css: &str, text: String| {
        let doc = &parsed[page];
        let found = texts(doc, css);
        assert!(
            found.iter().any(|t| t.contains(&text)),
            "{page}: no `{css}` shows {text:?} as text; found {found:?}"
        );
    };
    let site = |p: &str| fx.value("site.yaml", p);
    let camp = |p: &str| fx.value("campaigns/2024/campaign.yaml", p);
    let alpha = |p: &str| fx.value("campaigns/2024/cases/alpha.yaml", p);
    let beta = |p: &str| fx.value("campaigns/2024/cases/beta.yaml", p);
    let gamma = |p: &str| fx.value("campaigns/2024/cases/gamma.yaml", p);

    for page in &pages {
        let p = page.as_str();
        expect(p, ".site-title", site("title"));
        expect(p, ".site-publisher", site("publisher"));
        expect(p, ".site-footer", site("office.name"));
        // The contact details once per page: the footer's, or the page's own block.
        expect(p, ".site-footer, .contact", site("office.address"));
        expect(p, ".site-footer, .contact", site("office.phone"));
        expect(p, ".site-footer a, .contact a", site("office.email"));
        expect(p, ".site-footer", site("footer"));
        expect(p, "title", site("title"));
        let lang: Vec<String> = parsed[p]
            .select(&Selector::parse("html").unwrap())
            .filter_map(|e| e.value().attr("lang").map(str::to_owned))
            .collect();
        assert_eq!(lang, [site("language")], "{p}: <html lang>");
    }
    expect("/", ".lead", site("description"));

    let notice = "/2024/notice/";
    expect(notice, "title", camp("notice.title"));
    expect(notice, "h1", camp("notice.title"));
    expect(notice, ".doc-number", camp("notice.number"));
    expect(notice, ".doc-addressee", camp("notice.addressee"));
    expect(
        notice,
        ".doc-attachments li",
        camp("notice.attachments.0.title"),
    );
    expect(
        notice,
        ".doc-attachments li",
        camp("notice.attachments.1.title"),
    );
    expect(notice, "th", camp("focus_areas.0.title"));
    expect(notice, "td", camp("focus_areas.0.text"));
    expect(notice, "th", camp("focus_areas.1.title"));
    expect(notice, "td", camp("focus_areas.1.text"));
    expect(notice, "th", camp("timeline.0.stage"));
    expect(notice, "td", camp("timeline.0.note"));
    expect(notice, "td", camp("timeline.1.period"));
    expect(notice, "th", camp("timeline.2.stage"));
    // Applications closed on 05-31: the address stays as struck-out text.
    expect(notice, ".apply s", camp("application.url"));
    expect(notice, ".contact", site("office.department"));
    expect(notice, ".contact", site("office.contact"));
    expect(notice, ".email-instructions", "在线申报完成后".into());
    expect(notice, ".email-instructions", "编码链接".into());
    expect(notice, ".doc-body", "为提升全面质量管理水平".into());
    expect(notice, ".doc-body h2", "一、典型经验遴选".into());
    expect("/2024/", "th", camp("timeline.0.stage"));
    expect(
        "/2024/notice/rules/",
        "h1",
        camp("notice.attachments.0.title"),
    );
    expect("/2024/notice/rules/", ".doc-body", "为规范遴选工作".into());

    let publicity = "/2024/publicity/";
    expect(publicity, "h1", camp("publicity.title"));
    expect(publicity, ".doc-number", camp("publicity.number"));
    expect(publicity, "th", gamma("organization.name"));
    expect(publicity, "td", gamma("title"));
    expect(publicity, "td", gamma("organization.region"));
    expect(publicity, "td", gamma("field"));
    expect(publicity, "th", alpha("organization.name"));
    expect(publicity, ".objections", "异议须以书面形式实名提出".into());
    expect(publicity, ".objections", "实体编码链接".into());

    let results = "/2024/results/";
    expect(results, "h1", camp("results.title"));
    expect(results, ".doc-number", camp("results.number"));
    expect(results, "th", alpha("organization.name"));
    expect(results, "td a", alpha("title"));
    expect(results, "td", alpha("organization.region"));
    expect(results, "td", alpha("field"));
    expect(results, "td", camp("focus_areas.1.title"));
    expect(results, "th", beta("organization.name"));
    expect(results, "td", beta("organization.region"));
    expect(results, "td a", beta("title"));

    let case = "/2024/cases/alpha/";
    expect(case, "h1", alpha("title"));
    expect(case, "title", alpha("title"));
    expect(case, "dd", alpha("organization.name"));
    expect(case, "dd", alpha("organization.region"));
    for i in 0..3 {
        expect(case, ".tags li", alpha(&format!("methods.{i}")));
    }
    expect(case, ".summary p", "段落加粗".into());
    expect(case, ".summary strong", "加粗".into());
    expect(case, ".summary table td", "一次合格率".into());
    expect(case, ".summary", "普通链接".into());
    expect(case, ".summary a", "正常链接".into());
    expect(case, ".toc a", "（一）建立平台".into());
    let doc = &parsed[case];
    let img: Vec<&str> = doc
        .select(&Selector::parse(".summary img").unwrap())
        .filter_map(|e| e.value().attr("src"))
        .collect();
    assert!(
        img.contains(&"arch.svg"),
        "{case}: the summary's image is kept: {img:?}"
    );
    expect("/2024/cases/beta/", ".tags li", beta("methods.0"));
    expect("/2024/cases/beta/", "h1", beta("title"));

    // Removed from the list: the removal notice and the case's removal page.
    let zeta = |p: &str| fx.value("campaigns/2024/cases/zeta.yaml", p);
    let revocation = "/2024/revocations/zeta/";
    expect(
        revocation,
        ".doc-number",
        fx.value("campaigns/2024/revocations/zeta.yaml", "number"),
    );
    expect(revocation, "dd", zeta("organization.name"));
    expect(revocation, "dd", zeta("title"));
    expect(
        revocation,
        ".doc-body",
        "经核实，该组织发生一起重大生产安全责任事故。".into(),
    );
    expect("/2024/cases/zeta/", "h1", zeta("title"));
    expect("/2024/cases/zeta/", "p", zeta("organization.name"));
    expect(
        "/announcements/",
        ".doc-number",
        fx.value("campaigns/2024/revocations/zeta.yaml", "number"),
    );
    expect("/announcements/", "a", camp("results.title"));

    // Exchange events.
    let lecture = |p: &str| fx.value("events/2024-12-lecture-beijing.yaml", p);
    let visit = |p: &str| fx.value("events/2024-11-visit-chengdu.yaml", p);
    expect("/events/", ".events h3 a, .events h4 a", lecture("title"));
    expect("/events/", ".events h3 a, .events h4 a", visit("title"));
    expect("/events/", ".event-when", lecture("city"));
    let page = "/events/2024-12-lecture-beijing/";
    expect(page, "h1", lecture("title"));
    expect(page, "title", lecture("title"));
    expect(page, "dd", lecture("city"));
    expect(page, "dd", lecture("venue"));
    expect(page, "dd a", lecture("registration.url"));
    expect(page, "dd", lecture("registration.contact"));
    expect(page, ".hosts a", alpha("organization.name"));
    expect(page, ".hosts li", zeta("organization.name"));
    expect(page, ".doc-body", "讲座介绍".into());
    let page = "/events/2024-11-visit-chengdu/";
    expect(page, "h1", visit("title"));
    expect(page, "dd", visit("venue"));
    expect(page, ".event-status", visit("changes.0.note"));
    expect(page, "li", visit("changes.0.note"));
}

#[test]
fn safe_url_reads_urls_like_a_browser() {
    for ok in [
        "https://caq.org.cn",
        "/2024/notice/",
        "x",
        "mailto:a@b.c",
        "tel:123",
        "?a=b:c",
        "a/b:c",
        "#x",
        ":a/b",
        "%E8%B4%A8https://x",
    ] {
        assert!(safe_url(ok), "{ok}");
    }
    for bad in [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "\u{1}javascript:x",
        "data:text/html,x",
        "vbscript:x",
    ] {
        assert!(!safe_url(bad), "{bad}");
    }
    assert!(safe_srcset("a.png 1x, https://x/b.png 2x"));
    assert!(!safe_srcset("a.png 1x, javascript:x 2x"));
}

// ---------------------------------------------------------------------------
// Files published as they are: an SVG image of a summary, a download.

/// Builds the hostile fixture after `edit`, or returns the build's errors.
fn build_edited(edit: impl FnOnce(&common::Fixture)) -> (common::Fixture, Result<PathBuf, String>) {
    let f = common::fixture("hostile");
    edit(&f);
    let out_dir = f.dir.path().join("public");
    let mut opts = Options::new(f.content());
    opts.now = Some(common::now_at(NOW));
    let r = pipeline::build(&opts, &out_dir)
        .map(|_| out_dir)
        .map_err(|d| d.to_string());
    (f, r)
}

/// Opens `path` of a built site directly (as a visitor following a link would)
/// and returns the `/pwned` requests it caused.
fn open_directly(out_dir: PathBuf, path: &str) -> Vec<String> {
    let browser = chromium();
    let server = control_host(out_dir);
    let dom = dump_dom(&browser, &server.url(path));
    let mut bad: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.contains("pwned"))
        .collect();
    if dom.contains(MARKER_ATTR) {
        bad.push(format!("marker in the DOM of {path}"));
    }
    bad
}

const SCRIPTED_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40" onload="fetch('/pwned/svg-onload')"><script>fetch('/pwned/svg-script')</script><rect width="100" height="40" fill="#eee"/></svg>"##;

#[test]

fn a_scripted_svg_image_is_refused_or_inert() {
    let (_f, built) =
        build_edited(|f| f.write("campaigns/2024/cases/alpha/arch.svg", SCRIPTED_SVG));
    // Refusing the file at load time is as good as publishing it inert.
    match built {
        Ok(out) => {
            let bad = open_directly(out, "/2024/cases/alpha/arch.svg");
            assert!(bad.is_empty(), "the published SVG runs script: {bad:?}");
        }
        Err(d) => assert!(
            d.contains("arch.svg"),
            "the build failed for another reason: {d}"
        ),
    }
}

#[test]

fn an_html_or_svg_download_is_refused_or_inert() {
    let mut bad = Vec::new();
    for (name, body) in [
        (
            "page.html",
            "<!DOCTYPE html><title>x</title><script>fetch('/pwned/download-html')</script>",
        ),
        ("logo.svg", SCRIPTED_SVG),
    ] {
        let (_f, built) = build_edited(|f| {
            f.write(&format!("campaigns/2024/attachments/{name}"), body);
            f.edit(
                "campaigns/2024/campaign.yaml",
                "focus_areas:",
                &format!("    - {{title: 附件, file: attachments/{name}}}\nfocus_areas:"),
            );
        });
        match built {
            Ok(out) => bad.extend(open_directly(out, &format!("/2024/notice/{name}"))),
            Err(d) => assert!(d.contains(name), "the build failed for another reason: {d}"),
        }
    }
    assert!(bad.is_empty(), "published downloads run script: {bad:?}");
}

/// `registration.url` is not checked when loading; today the build's link
/// check refuses a `javascript:` URL as a broken link.
#[test]
fn a_javascript_registration_url_is_refused_or_inert() {
    let (_f, built) = build_edited(|f| {
        f.edit(
            "events/2024-12-lecture-beijing.yaml",
            "url: \"https://example.org/register?x=",
            "url: \"javascript:fetch('/pwned/registration-url')//",
        )
    });
    match built {
        Ok(out) => {
            let browser = chromium();
            let server = control_host(out);
            let dom = dump_dom(&browser, &server.url("/events/2024-12-lecture-beijing/"));
            let bad = problems(&dom);
            assert!(bad.is_empty(), "the registration link runs script: {bad:?}");
        }
        Err(d) => assert!(
            d.contains("2024-12-lecture-beijing") && d.contains("javascript:"),
            "the build failed for another reason: {d}"
        ),
    }
}
