//! The search page as a reader uses it, in headless Debian Chromium:
//! typing Chinese through an input method, and what a result's passage
//! marks (paging with the keyboard is in `search.rs`).

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::browser::Browser;
use crate::common::static_site::StaticSite;
use crate::common::{build, fixture, CSP};

/// Before the removal: beta (乙集团精益建造质量管理) is found by 精益.
const NOW: &str = "2024-11-01";

/// One Chrome DevTools command through chromedriver, as an input method
/// or a keyboard sends it.
fn devtools(browser: &Browser, cmd: &str, params: Value) {
    let path = format!("/session/{}/goog/cdp/execute", browser.session);
    let body = json!({ "cmd": cmd, "params": params });
    browser.command("POST", &path, Some(&body), Duration::from_secs(30));
}

/// What the reader sees: the status line, the result links, the address's
/// query and the two search boxes.
fn state(browser: &Browser) -> Value {
    browser.eval(
        "return {status: document.getElementById('search-status').textContent, \
                 links: Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href')), \
                 q: new URLSearchParams(location.search).get('q'), \
                 box: document.getElementById('q').value, \
                 header: document.getElementById('site-search-q').value};",
    )
}

/// While pinyin is composed in the box, nothing is searched (no "没有找到"
/// at each letter, the results stay, the address keeps its query); the
/// chosen word is, and the header's box follows.
#[test]
fn an_input_method_composing_searches_nothing_until_the_word_is_chosen() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("basic"), NOW, out.path());
    let base = StaticSite::builder(out.path()).csp(CSP).start().url("");
    let browser = Browser::start();
    let (links, _) = browser.search(&base, "精益");
    assert!(links.contains(&"/2024/cases/beta/".to_owned()), "{links:?}");
    let before = state(&browser);
    browser.eval(
        "var i = document.getElementById('q'); i.focus(); i.setSelectionRange(2, 2); return true;",
    );
    for pinyin in ["j", "ji", "jia", "jian"] {
        let n = pinyin.len() as u64;
        devtools(
            &browser,
            "Input.imeSetComposition",
            json!({ "text": pinyin, "selectionStart": n, "selectionEnd": n }),
        );
        std::thread::sleep(Duration::from_millis(150));
        let now = state(&browser);
        // The letters are in the box: the composition did reach the page.
        assert_eq!(now["box"], json!(format!("精益{pinyin}")), "{now}");
        for key in ["status", "links", "q", "header"] {
            assert_eq!(now[key], before[key], "{key} while composing {pinyin}");
        }
    }
    devtools(&browser, "Input.insertText", json!({ "text": "建造" }));
    let chosen = browser.wait(
        "the chosen word searched",
        "var s = document.getElementById('search-status').textContent; \
         return s.indexOf('精益建造') >= 0 && document.getElementById('search-results').getAttribute('data-state') === 'done' ? s : null;",
    );
    assert!(chosen.as_str().unwrap().starts_with("找到"), "{chosen}");
    let now = state(&browser);
    assert_eq!(now["links"][0], json!("/2024/cases/beta/"), "{now}");
    assert_eq!(now["q"], json!("精益建造"));
    assert_eq!(now["header"], json!("精益建造"));
}

/// A passage marks a Chinese run of the query whole where the page holds it
/// whole (not each of its pairs wherever they are), its pairs only where it
/// does not, and a word only as a whole word (FMEA, not inside PFMEA).
#[test]
fn a_passage_marks_the_query_as_typed_and_words_only_whole() {
    let f = fixture("basic");
    f.edit(
        "campaigns/2024/cases/beta.md",
        "乙集团的做法。",
        "乙集团的做法。集团各单位工艺评审用PFMEA，设计评审用FMEA，按Ⅱ类管理。",
    );
    let out = tempfile::tempdir().unwrap();
    build(&f, NOW, out.path());
    let base = StaticSite::builder(out.path()).csp(CSP).start().url("");
    let browser = Browser::start();
    // Each mark of beta's passage, with the characters on either side.
    let marks = |q: &str| -> Vec<(String, String, String)> {
        let (links, _) = browser.search(&base, q);
        assert_eq!(
            links.first().map(String::as_str),
            Some("/2024/cases/beta/"),
            "{q}"
        );
        let v = browser.eval(
            "var p = document.querySelector('#search-results li .result-passage'); \
             return Array.from(p.querySelectorAll('mark')).map(m => [ \
               m.previousSibling ? m.previousSibling.textContent.slice(-1) : '', \
               m.textContent, \
               m.nextSibling ? m.nextSibling.textContent.slice(0, 1) : '']);",
        );
        serde_json::from_value(v).unwrap()
    };
    // The page holds 乙集团的做法 whole, and 集团 again right after it.
    let m = marks("乙集团的做法");
    assert!(!m.is_empty());
    assert!(m.iter().all(|(_, t, _)| t == "乙集团的做法"), "{m:?}");
    // 乙集团有限公司 is nowhere whole: the pairs that found the page are
    // marked (a check that the marking still works here; the run marked
    // whole above is what tells the old pair-by-pair marking apart).
    let m = marks("乙集团有限公司");
    assert!(m.iter().any(|(_, t, _)| t.contains("集团")), "{m:?}");
    assert!(
        m.iter()
            .all(|(_, t, _)| "乙集团有限公司".contains(t.as_str())),
        "{m:?}"
    );
    // FMEA as a word, never the end of PFMEA.
    let m = marks("FMEA");
    assert!(!m.is_empty());
    for (before, text, after) in &m {
        assert_eq!(text, "FMEA");
        let letter = |s: &str| s.chars().any(|c| c.is_ascii_alphanumeric());
        assert!(!letter(before) && !letter(after), "{m:?}");
    }
    // A letter beyond ASCII is folded in the page as in the index (Ⅱ as ⅱ).
    let m = marks("Ⅱ");
    assert!(m.iter().any(|(_, t, _)| t == "Ⅱ"), "{m:?}");
}
