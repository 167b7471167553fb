//! A real browser on `biaogan serve`: headless Debian Chromium, driven through
//! chromedriver's WebDriver HTTP API (plain JSON calls, no client crate).
//! An open page reloads after an edit, and shows, then clears, the error
//! overlay, on every open page.
//!
//! Chromium and chromedriver are required: without them this test fails
//! (`.ci/run` installs Debian's `chromium` and `chromium-driver`).

use crate::common::browser::Browser;
use crate::common::fixture;
use crate::common::serve::{atomic_edit, atomic_save, serve, TIMEOUT};

use serde_json::json;

/// The overlay's text, once it reports the broken `stage` of alpha.yaml.
const OVERLAY_ABOUT_STAGE: &str = "var o = document.getElementById('biaogan-overlay'); \
     return o && o.innerText.includes('alpha.yaml:11:8') ? o.innerText : null;";

#[test]
fn open_pages_reload_after_edits_and_show_then_clear_errors() {
    let f = fixture("basic");
    let server = serve(f.dir.path(), &["--now", "2024-11-01"]);
    let base = format!("http://{}", server.addr);
    let browser = Browser::start();

    browser.goto(&format!("{base}/2024/cases/alpha/"));
    let banner = browser.wait(
        "the case page with its preview banner",
        "var b = document.querySelector('.preview-banner'); \
         return document.readyState === 'complete' && b ? b.innerText : null;",
    );
    assert_eq!(banner, json!("预览：截至2024年11月1日的网站"));
    browser.eval("window.biaoganTestMark = 'before the edit'; return true;");

    // An edit: the open page reloads by itself and shows it.
    let summary = f.path("campaigns/2024/cases/alpha.md");
    atomic_save(
        &summary,
        &format!(
            "{}\n浏览器里出现的新段落。\n",
            f.read("campaigns/2024/cases/alpha.md")
        ),
    );
    browser.wait(
        "the page reloaded with the edit",
        "return window.biaoganTestMark === undefined \
         && document.body.innerText.includes('浏览器里出现的新段落');",
    );

    // A broken record: the overlay names file, line and problem over the same page.
    browser.eval("window.biaoganTestMark = 'before the error'; return true;");
    let record = f.path("campaigns/2024/cases/alpha.yaml");
    atomic_edit(&record, "stage: approved", "stage: nope");
    let text = browser.wait("the error overlay", OVERLAY_ABOUT_STAGE);
    let text = text.as_str().unwrap();
    assert!(
        text.contains("content/campaigns/2024/cases/alpha.yaml:11:8"),
        "{text}"
    );
    assert!(text.contains("stage") && text.contains("nope"), "{text}");
    // Styled through the CSSOM, which the preview's Content-Security-Policy allows.
    let position = browser
        .eval("return getComputedStyle(document.getElementById('biaogan-overlay')).position;");
    assert_eq!(position, json!("fixed"), "the overlay lost its style");
    let still =
        browser.eval("return [window.biaoganTestMark, document.querySelector('h1').innerText];");
    assert_eq!(
        still[0],
        json!("before the error"),
        "the page must not reload"
    );
    assert!(
        still[1].as_str().unwrap().contains("甲公司数字化质量追溯"),
        "{still}"
    );

    // Every open page shows it: here, one opened while the build is broken.
    browser.goto(&format!("{base}/"));
    let text = browser.wait("the error overlay on another page", OVERLAY_ABOUT_STAGE);
    assert!(text.as_str().unwrap().contains("alpha.yaml:11:8"), "{text}");

    // Fixed: the overlay goes.
    atomic_edit(&record, "stage: nope", "stage: approved");
    browser.wait(
        "the overlay removed",
        "return !document.getElementById('biaogan-overlay') && document.readyState === 'complete';",
    );
    server.wait_stderr(&["alpha.yaml:11:8", "生成失败"]);
}

/// What a reader sees on a phone: no page scrolls sideways at 360 px (wide
/// tables scroll inside themselves), and the skip link appears when focused.
#[test]
fn pages_fit_a_phone_and_the_skip_link_shows_on_focus() {
    let f = fixture("basic");
    let server = serve(f.dir.path(), &["--now", "2024-12-20"]);
    let base = format!("http://{}", server.addr);
    let browser = Browser::start();
    browser.resize(360, 800);
    for page in [
        "/",
        "/2024/notice/",
        "/2024/publicity/",
        "/2024/results/",
        "/2024/cases/beta/",
        "/events/",
        "/events/2024-12-sharing-hangzhou/",
    ] {
        browser.goto(&format!("{base}{page}"));
        let widths = browser.wait(
            &format!("{page} loaded"),
            "return document.readyState === 'complete' \
             ? [document.documentElement.scrollWidth, window.innerWidth] : null;",
        );
        let (scroll, inner) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
        assert!(inner <= 400, "the window is phone-sized: {inner}");
        assert!(
            scroll <= inner,
            "{page} scrolls sideways on a phone: {scroll} > {inner}"
        );
    }
    let skip = browser.eval(
        "var a = document.querySelector('.skip-link'); var before = a.getBoundingClientRect().right; \
         a.focus(); var r = a.getBoundingClientRect(); \
         return [before, r.left, r.right, document.activeElement === a];",
    );
    assert!(
        skip[0].as_f64().unwrap() <= 0.0,
        "hidden until focused: {skip}"
    );
    assert!(
        skip[1].as_f64().unwrap() >= 0.0,
        "visible when focused: {skip}"
    );
    assert_eq!(skip[3], json!(true));
}

/// Printed (print media emulated through the DevTools protocol): navigation,
/// footer and share boxes disappear, the document and its tables stay, and
/// link targets of the notice body are printed after the links.
#[test]
fn the_notice_and_lists_print_cleanly() {
    let f = fixture("basic");
    let server = serve(f.dir.path(), &["--now", "2024-12-20"]);
    let base = format!("http://{}", server.addr);
    let browser = Browser::start();
    let cdp = format!("/session/{}/goog/cdp/execute", browser.session);
    browser.command(
        "POST",
        &cdp,
        Some(&json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}})),
        TIMEOUT,
    );
    for page in ["/2024/notice/", "/2024/publicity/", "/2024/results/"] {
        browser.goto(&format!("{base}{page}"));
        let shown = browser.wait(
            &format!("{page} loaded"),
            "if (document.readyState !== 'complete') return null; \
             var d = function (s) { var e = document.querySelector(s); return e ? getComputedStyle(e).display : 'absent'; }; \
             return [d('.site-header nav'), d('.site-footer'), d('.skip-link'), d('article'), d('table'), \
                     matchMedia('print').matches];",
        );
        assert_eq!(shown[5], json!(true), "print media is emulated");
        assert_eq!(
            shown[0],
            json!("none"),
            "{page}: navigation hidden in print: {shown}"
        );
        assert_eq!(
            shown[1],
            json!("none"),
            "{page}: footer hidden in print: {shown}"
        );
        assert_eq!(
            shown[2],
            json!("none"),
            "{page}: skip link hidden in print: {shown}"
        );
        assert_eq!(
            shown[3],
            json!("block"),
            "{page}: the document prints: {shown}"
        );
        assert_eq!(
            shown[4],
            json!("table"),
            "{page}: tables print as tables: {shown}"
        );
    }
    // Applications closed on 05-31: the address stays on paper as struck-out
    // text (the document of record), no longer as a link.
    browser.goto(&format!("{base}/2024/notice/"));
    let after = browser.wait(
        "the notice in print",
        "if (document.readyState !== 'complete') return null; \
         var a = document.querySelector('.apply-link s'); \
         return [a ? a.innerText : '', a ? getComputedStyle(a).display : 'absent', \
                 document.querySelectorAll('.apply a[href^=\"http\"]').length];",
    );
    assert_eq!(
        after,
        json!(["https://example.org/apply", "inline", 0]),
        "the closed application link is printed as text: {after}"
    );
    // The archive prints its lists, not its download links nor its year
    // links; the search page its results with their addresses, not its form.
    browser.goto(&format!("{base}/archive/"));
    let archive = browser.wait(
        "the archive in print",
        "if (document.readyState !== 'complete') return null; \
         var d = function (s) { var e = document.querySelector(s); return e ? getComputedStyle(e).display : 'absent'; }; \
         return [d('.archive-data'), d('.archive-years'), d('.case-list')];",
    );
    assert_eq!(archive, json!(["none", "none", "table"]), "{archive}");
    browser.goto(&format!("{base}/search/?q=%E7%B2%BE%E7%9B%8A"));
    let search = browser.wait(
        "the search results in print",
        "var l = document.getElementById('search-results'); \
         if (!l || l.getAttribute('data-state') !== 'done') return null; \
         var a = l.querySelector('.result-title'); \
         return [getComputedStyle(document.querySelector('.search-form')).display, \
                 a ? getComputedStyle(a, '::after').content : ''];",
    );
    assert_eq!(search[0], json!("none"), "{search}");
    assert!(
        search[1].as_str().unwrap_or("").contains("/2024/cases/"),
        "a result's address is printed: {search}"
    );
}

/// WCAG 2.1 AA contrast of every piece of text, as Chromium computes the
/// colours: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
const CONTRAST_SCRIPT: &str = r#"
if (document.readyState !== 'complete') return null;
function rgb(s) { var m = s.match(/[\d.]+/g); return m ? m.map(Number) : [0,0,0,0]; }
function lum(c) { var a = c.slice(0,3).map(function (v) { v /= 255; return v <= 0.03928 ? v/12.92 : Math.pow((v+0.055)/1.055, 2.4); });
  return 0.2126*a[0] + 0.7152*a[1] + 0.0722*a[2]; }
function bg(e) { for (; e; e = e.parentElement) { var c = rgb(getComputedStyle(e).backgroundColor); if (c.length < 4 || c[3] > 0) return c; } return [255,255,255]; }
var bad = [], n = 0;
var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  var t = walker.currentNode, e = t.parentElement;
  if (!t.textContent.trim() || !e || !e.getClientRects().length) continue;
  var s = getComputedStyle(e); if (s.visibility === 'hidden' || e.closest('svg')) continue;
  var r = e.getBoundingClientRect(); if (r.right <= 0 || r.bottom <= 0) continue;
  var f = lum(rgb(s.color)), b = lum(bg(e));
  var ratio = (Math.max(f, b) + 0.05) / (Math.min(f, b) + 0.05);
  var size = parseFloat(s.fontSize), large = size >= 24 || (size >= 18.66 && parseInt(s.fontWeight) >= 700);
  n++;
  if (ratio < (large ? 3 : 4.5)) bad.push(e.tagName + '.' + e.className + ' "' + t.textContent.trim().slice(0, 20) + '" ' + ratio.toFixed(2));
}
return [n, bad];
"#;

#[test]
fn text_meets_wcag_aa_contrast() {
    let f = fixture("basic");
    let server = serve(f.dir.path(), &["--now", "2024-12-20"]);
    let base = format!("http://{}", server.addr);
    let browser = Browser::start();
    for page in [
        "/",
        "/2024/notice/",
        "/2024/publicity/",
        "/2024/results/",
        "/2024/cases/alpha/",
        "/2024/revocations/alpha/",
        "/events/",
        "/events/2024-12-visit-chengdu/",
    ] {
        browser.goto(&format!("{base}{page}"));
        let res = browser.wait(&format!("{page} loaded"), CONTRAST_SCRIPT);
        assert!(
            res[0].as_i64().unwrap() > 10,
            "{page}: text was measured: {res}"
        );
        assert_eq!(res[1], json!([]), "{page}: text below AA contrast: {res}");
    }
}
