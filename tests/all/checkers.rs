//! Every HTML page of the sample site and of the basic, two-rounds and hostile fixture sites, built at each
//! moment of the round (applications open, publicity, results, revocation),
//! has no violation of axe-core's `wcag2a` and `wcag2aa` rules in Debian's
//! headless Chromium and no error from the Nu HTML Checker.
//!
//! The tools are real: `@axe-core/cli` and `vnu-jar` from npm, pinned in
//! `tests/tools/package-lock.json`, with Debian's `chromium`, `chromium-driver`
//! and `default-jre-headless`; `scripts/install-test-deps` installs them all.
//! Without them the test is skipped with a message, except when `CI=true`:
//! there it fails.
//!
//! axe needs a real HTTP server; each build gets its own tiny one below, and
//! one axe run (one browser) checks the pages of every build. A page whose
//! bytes are the same as at an earlier moment of the same site is checked once.
//! The search page is also checked with results on screen (made by
//! search.js after the page loads, so invisible to the checkers otherwise).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;

use biaogan::pipeline::{self, Options};
use serde_json::Value;

use crate::common::static_site::StaticSite;
use crate::common::{now_at, percent};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Each site with the moments it is built at: applications open, publicity,
/// results published, a case revoked.
const SITES: &[(&str, &[&str])] = &[
    (
        "content",
        &["2024-05-01", "2024-08-08", "2024-09-02", "2025-03-11"],
    ),
    (
        "tests/sites/basic",
        &["2024-05-01", "2024-10-08", "2024-10-21", "2024-12-03"],
    ),
    ("tests/sites/two-rounds", &["2025-03-21", "2025-10-21"]),
    // Hostile values kept inert: the loader refuses those that would make
    // invalid markup (a `lang`, `mailto:` or web address with quotes), and
    // the sanitiser's output is tidied (no <a> without href, alt on every <img>).
    (
        "tests/sites/hostile",
        &["2024-05-01", "2024-09-26", "2024-10-21", "2024-12-03"],
    ),
];

/// The build whose search page is also checked with results on screen, and
/// the query (several results, each with a marked passage): two rounds,
/// so that the year choice search.js makes is on it too.
const SEARCHED: (&str, &str) = ("tests/sites/two-rounds", "2025-10-21");
const QUERY: &str = "精益";
/// What axe waits for there: search.js puts the results with their
/// passages on screen some 50 ms after the page loads on a quiet machine;
/// the other tests run Chromium alongside, and the wait costs one page.
const RESULTS: Shown = Shown {
    wait_ms: 5000,
    class: "result-passage",
};

/// Content a script makes after the page loads: axe checks the page
/// `wait_ms` after loading, and an element of `class` must be on it then.
struct Shown {
    wait_ms: u32,
    class: &'static str,
}

/// One built page to check.
struct Page {
    /// `site @ moment /path`, for messages.
    name: String,
    file: PathBuf,
    url: String,
}

#[test]
fn every_page_passes_axe_and_the_nu_html_checker() {
    let Some(tools) = Tools::find() else { return };
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = Vec::new();
    // The search page with results on screen, which search.js makes.
    let mut searched = Vec::new();
    let mut seen = HashSet::new();
    for (i, (site, moments)) in SITES.iter().enumerate() {
        for moment in *moments {
            let dir = out.path().join(format!("{i}-{moment}"));
            let mut opts = Options::new(root.join(site));
            opts.now = Some(now_at(moment));
            if let Err(d) = pipeline::build(&opts, &dir) {
                panic!("{site} at {moment} does not build:\n{d}");
            }
            let addr = StaticSite::builder(dir.clone()).start().addr;
            if (*site, *moment) == SEARCHED {
                searched.push(Page {
                    name: format!("{site} @ {moment} /search/?q={QUERY}"),
                    url: format!("http://{addr}/search/?q={}", percent(QUERY)),
                    file: dir.join("search/index.html"),
                });
            }
            for file in html_files(&dir) {
                let rel = file.strip_prefix(&dir).unwrap().to_string_lossy();
                let rel = rel.replace('\\', "/");
                if !seen.insert((i, rel.clone(), std::fs::read(&file).unwrap())) {
                    continue;
                }
                pages.push(Page {
                    name: format!("{site} @ {moment} /{rel}"),
                    url: format!("http://{addr}/{rel}"),
                    file,
                });
            }
        }
    }
    assert!(pages.len() > 20, "too few pages built: {}", pages.len());

    assert_eq!(searched.len(), 1, "{SEARCHED:?} is not built");

    let (nu, axe) = thread::scope(|s| {
        let nu = s.spawn(|| tools.nu_errors(&pages));
        let axe = tools.axe_violations(&pages, None);
        (nu.join().unwrap(), axe)
    });
    let results = tools.axe_violations(&searched, Some(&RESULTS));
    let problems: Vec<String> = nu.into_iter().chain(axe).chain(results).collect();
    assert!(
        problems.is_empty(),
        "{} problems in {} pages:\n{}",
        problems.len(),
        pages.len(),
        problems.join("\n")
    );
}

/// Paths of the checkers.
struct Tools {
    axe: PathBuf,
    vnu: PathBuf,
}

impl Tools {
    /// The tools, or `None` (with a message) when some are missing outside CI.
    fn find() -> Option<Tools> {
        let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/node_modules");
        let tools = Tools {
            axe: modules.join(".bin/axe"),
            vnu: modules.join("vnu-jar/build/dist/vnu.jar"),
        };
        let java = Command::new("java").arg("-version").output();
        let mut missing: Vec<String> = [&tools.axe, &tools.vnu]
            .into_iter()
            .map(PathBuf::as_path)
            .chain([Path::new(CHROMIUM), Path::new(CHROMEDRIVER)])
            .filter(|p| !p.is_file())
            .map(|p| p.display().to_string())
            .collect();
        if !java.is_ok_and(|o| o.status.success()) {
            missing.push("java".to_owned());
        }
        if missing.is_empty() {
            return Some(tools);
        }
        let message = format!(
            "the HTML and accessibility checkers are not installed (missing: {}); \
             run scripts/install-test-deps",
            missing.join(", ")
        );
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
        eprintln!("SKIPPED checkers test: {message}");
        None
    }

    /// Every error the Nu HTML Checker reports, over all pages in one run.
    fn nu_errors(&self, pages: &[Page]) -> Vec<String> {
        let out = Command::new("java")
            .arg("-jar")
            .arg(&self.vnu)
            .args(["--errors-only", "--format", "json"])
            .args(pages.iter().map(|p| &p.file))
            .output()
            .expect("run java -jar vnu.jar");
        // vnu writes its JSON report to stderr.
        let report: Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
            panic!(
                "vnu printed no JSON report ({e}):\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let by_file: BTreeMap<String, &str> = pages
            .iter()
            .map(|p| (file_url(&p.file), p.name.as_str()))
            .collect();
        let messages = report["messages"].as_array().cloned().unwrap_or_default();
        let problems: Vec<String> = messages
            .iter()
            .filter(|m| m["type"] != "info")
            .map(|m| {
                let url = m["url"].as_str().unwrap_or("");
                format!(
                    "vnu: {} line {}: {}",
                    by_file.get(url).copied().unwrap_or(url),
                    m["lastLine"],
                    m["message"].as_str().unwrap_or("")
                )
            })
            .collect();
        assert!(
            out.status.success() || !problems.is_empty(),
            "vnu failed without a report: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        problems
    }

    /// Every axe violation, each page loaded from its build's server; with
    /// `shown`, also each page on which that content was not yet shown.
    fn axe_violations(&self, pages: &[Page], shown: Option<&Shown>) -> Vec<String> {
        let delay = shown.map(|s| ["--load-delay".to_owned(), s.wait_ms.to_string()]);
        let out = Command::new(&self.axe)
            .args(pages.iter().map(|p| &p.url))
            .args(delay.into_iter().flatten())
            .args(["--tags", "wcag2a,wcag2aa", "--stdout"])
            .args([
                "--chromedriver-path",
                CHROMEDRIVER,
                "--chrome-path",
                CHROMIUM,
            ])
            // The tests may run as root, where Chromium needs --no-sandbox.
            .args(["--chrome-options", "no-sandbox"])
            .output()
            .expect("run axe");
        // With --load-delay, axe says "Waiting for …" on stdout before the report.
        let stdout = String::from_utf8_lossy(&out.stdout);
        let report = stdout.find('[').map_or("", |at| &stdout[at..]);
        let results: Vec<Value> = serde_json::from_str(report).unwrap_or_else(|e| {
            panic!(
                "axe printed no JSON report ({e}):\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let checked: HashSet<&str> = results.iter().filter_map(|r| r["url"].as_str()).collect();
        let mut problems: Vec<String> = pages
            .iter()
            .filter(|p| !checked.contains(p.url.as_str()))
            .map(|p| format!("axe: {} was not checked", p.name))
            .collect();
        let names: BTreeMap<&str, &str> = pages
            .iter()
            .map(|p| (p.url.as_str(), p.name.as_str()))
            .collect();
        for result in &results {
            let url = result["url"].as_str().unwrap_or("");
            let name = names.get(url).copied().unwrap_or(url);
            if let Some(s) = shown.filter(|s| !examined(result, s.class)) {
                problems.push(format!(
                    "axe: {name}: no .{} on screen {} ms after loading",
                    s.class, s.wait_ms
                ));
            }
            for v in result["violations"].as_array().into_iter().flatten() {
                let nodes = v["nodes"].as_array().cloned().unwrap_or_default();
                let targets: Vec<String> = nodes.iter().map(|n| n["target"].to_string()).collect();
                problems.push(format!(
                    "axe: {name}: {} ({}): {}",
                    v["id"].as_str().unwrap_or(""),
                    v["help"].as_str().unwrap_or(""),
                    targets.join(" ")
                ));
            }
        }
        problems
    }
}

/// Whether axe examined an element of class `class` (in any rule's
/// passes, violations or incomplete checks), that is, whether it was on
/// the page.
fn examined(result: &Value, class: &str) -> bool {
    ["passes", "violations", "incomplete"].iter().any(|kind| {
        result[kind]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|rule| rule["nodes"].as_array().into_iter().flatten())
            .any(|node| node["target"].to_string().contains(class))
    })
}

/// How vnu names a file in its report.
fn file_url(file: &Path) -> String {
    format!("file:{}", file.display())
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    files
}
