//! At 360 px (issue 11, item 8), in Debian's headless Chromium: no element
//! runs past the viewport unless it sits in its own scrolling box, labels
//! such as 附件： stay on one line, long addresses wrap, the final list is
//! cards, and a table of contents whose headings carry their own numbers
//! shows no list markers.

use std::path::Path;

use serde_json::{json, Value};

use crate::common::browser::Browser;
use crate::common::serve::{serve, TIMEOUT};
use crate::common::{copy_dir, Fixture};

/// Elements whose right edge passes the viewport, outside any box that
/// scrolls horizontally, and whether the page itself scrolls sideways.
const OVERFLOW_SCRIPT: &str = r#"
if (document.readyState !== 'complete') return null;
var w = document.documentElement.clientWidth, bad = [];
function scrolls(e) {
  for (e = e.parentElement; e && e !== document.body; e = e.parentElement) {
    var o = getComputedStyle(e).overflowX;
    if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
  }
  return false;
}
document.querySelectorAll('body *').forEach(function (e) {
  if (!e.getClientRects().length || e.closest('.skip-link, .visually-hidden, .site-search label')) return;
  var r = e.getBoundingClientRect();
  if (r.width <= 1 && r.height <= 1) return;
  if (r.right > w + 0.5 && !scrolls(e)) bad.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right));
});
return [w, document.documentElement.scrollWidth, bad.slice(0, 10)];
"#;

/// The line boxes of every `附件：`-style label (one each when it does not wrap)
/// and the list markers of contents lists whose headings are numbered.
const LABELS_SCRIPT: &str = r#"
if (document.readyState !== 'complete') return null;
var lines = [];
document.querySelectorAll('.attach-label').forEach(function (e) {
  var r = document.createRange(); r.selectNodeContents(e);
  var tops = {}; Array.prototype.forEach.call(r.getClientRects(), function (c) { tops[Math.round(c.top)] = 1; });
  lines.push(Object.keys(tops).length);
});
var markers = [];
document.querySelectorAll('.toc ol.toc-numbered li').forEach(function (li) {
  markers.push(getComputedStyle(li).listStyleType);
});
var cards = Array.prototype.map.call(document.querySelectorAll('table.cards tbody tr'), function (tr) {
  return getComputedStyle(tr).display;
});
return [lines, markers, cards];
"#;

#[test]
fn at_360_px_nothing_runs_off_the_screen() {
    // The sample site, after the revocation: every kind of page.
    let f = Fixture {
        dir: tempfile::tempdir().unwrap(),
    };
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &f.content(),
    );
    let server = serve(f.dir.path(), &["--now", "2025-03-11"]);
    let base = format!("http://{}", server.addr);
    let browser = Browser::start();
    browser.resize(360, 800);
    // The window's inner width is the viewport the CSS sees; pin it at 360
    // px whatever the window decorations take.
    let cdp = format!("/session/{}/goog/cdp/execute", browser.session);
    browser.command(
        "POST",
        &cdp,
        Some(&json!({"cmd": "Emulation.setDeviceMetricsOverride",
            "params": {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": true}})),
        TIMEOUT,
    );
    let pages = [
        "/",
        "/2024/",
        "/2024/notice/",
        "/2024/notice/rules/",
        "/2024/notice/writing-guide/",
        "/2024/publicity/",
        "/2024/results/",
        "/2024/cases/bj-telecom-service/",
        "/2024/revocations/zz-mining-machinery/",
        "/events/",
        "/events/2024-10-sharing-hangzhou/",
        "/announcements/",
        "/archive/",
    ];
    for page in pages {
        browser.goto(&format!("{base}{page}"));
        let res = browser.wait(&format!("{page} at 360 px"), OVERFLOW_SCRIPT);
        assert_eq!(res[0], json!(360), "{page}: the viewport is 360 px wide");
        assert_eq!(
            res[1],
            json!(360),
            "{page}: the page scrolls sideways: {res}"
        );
        assert_eq!(
            res[2],
            json!([]),
            "{page}: elements past the right edge: {res}"
        );
        let labels = browser.wait(&format!("{page} labels"), LABELS_SCRIPT);
        let lines: Vec<Value> = labels[0].as_array().cloned().unwrap_or_default();
        assert!(
            lines.iter().all(|n| n == &json!(1)),
            "{page}: a 附件 label wraps: {labels}"
        );
        if page == "/2024/notice/" {
            assert!(!lines.is_empty(), "the notice has its 附件 label");
        }
        if page == "/2024/cases/bj-telecom-service/" || page == "/2024/notice/rules/" {
            let markers = labels[1].as_array().cloned().unwrap_or_default();
            assert!(!markers.is_empty(), "{page}: a numbered contents list");
            assert!(markers.iter().all(|m| m == "none"), "{page}: {labels}");
        }
        if page == "/2024/results/" {
            let cards = labels[2].as_array().cloned().unwrap_or_default();
            assert!(
                !cards.is_empty() && cards.iter().all(|d| d == "block"),
                "{labels}"
            );
        }
    }
}
