//! Test harness: copy a fixture site to a temporary folder, edit it, build it,
//! and look at the pages as parsed HTML.

use std::fs;
use std::path::{Path, PathBuf};

use biaogan::diagnostics::Diagnostics;
use biaogan::output::{Artifact, Output};
use biaogan::pipeline::{self, Options};
use chrono::NaiveDateTime;
use scraper::{Html, Selector};

/// A fixture copied into a temporary folder (as `<tmp>/content`).
pub(crate) struct Fixture {
    pub dir: tempfile::TempDir,
}

pub(crate) fn fixture(name: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/sites")
            .join(name),
        &dir.path().join("content"),
    );
    Fixture { dir }
}

/// Runs the biaogan binary in `cwd`, as an editor or CI would.
pub(crate) fn biaogan(args: &[&str], cwd: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_biaogan"))
        .args(args)
        .current_dir(cwd)
        // A test that fails writes on purpose sets it for its own process only.
        .env_remove("BIAOGAN_FAIL_WRITE")
        .env_remove("BIAOGAN_BENCH_NO_SEARCH")
        .output()
        .unwrap()
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

impl Fixture {
    pub(crate) fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }
    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.content().join(rel)
    }
    pub(crate) fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }
    pub(crate) fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    /// Replaces `from` by `to` in a file; the text must be there.
    pub(crate) fn edit(&self, rel: &str, from: &str, to: &str) {
        let s = self.read(rel);
        assert!(s.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &s.replacen(from, to, 1));
    }
    /// Removes the `basic` fixture's download (`2024/notice/form.docx`)
    /// and alpha's figure (`2024/cases/alpha/arch.svg`) from the content.
    pub(crate) fn remove_download_and_figure(&self) {
        self.edit(
            "campaigns/2024/campaign.yaml",
            "  downloads: [{title: 申报书, file: attachments/form.docx}]\n",
            "",
        );
        self.edit(
            "campaigns/2024/cases/alpha.md",
            "![图1 架构](alpha/arch.svg)",
            "",
        );
    }
    pub(crate) fn options(&self, now: &str) -> Options {
        let mut o = Options::new(self.content());
        o.now = Some(now_at(now));
        o
    }
    pub(crate) fn check(&self, now: &str) -> Result<Output, Diagnostics> {
        pipeline::check(&self.options(now))
    }
    pub(crate) fn site(&self, now: &str) -> Site {
        match self.check(now) {
            Ok(out) => Site { out },
            Err(d) => panic!("build failed:\n{d}"),
        }
    }
    pub(crate) fn errors(&self, now: &str) -> Diagnostics {
        match self.check(now) {
            Ok(_) => panic!("expected the build to fail"),
            Err(d) => d,
        }
    }
}

/// `s` with every byte percent-encoded, for a query string (`?q=精益`).
pub(crate) fn percent(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

pub(crate) fn now_at(s: &str) -> NaiveDateTime {
    biaogan::model::dates::parse_datetime(s)
        .or_else(|_| biaogan::model::dates::parse_date(s).map(|d| d.and_hms_opt(0, 0, 0).unwrap()))
        .unwrap()
}

/// A site rendered in memory.
pub(crate) struct Site {
    pub out: Output,
}

impl Site {
    pub(crate) fn has(&self, path: &str) -> bool {
        self.out.contains_key(path)
    }
    pub(crate) fn text(&self, path: &str) -> String {
        match self.out.get(path) {
            Some(Artifact::Bytes(b)) => String::from_utf8(b.clone()).unwrap(),
            Some(Artifact::Shared(b)) => String::from_utf8(b.to_vec()).unwrap(),
            None => panic!(
                "no {path} in output: {:?}",
                self.out.keys().collect::<Vec<_>>()
            ),
        }
    }
    pub(crate) fn page(&self, path: &str) -> Page {
        Page(Html::parse_document(&self.text(path)))
    }
    pub(crate) fn html_pages(&self) -> Vec<String> {
        self.out
            .keys()
            .filter(|k| k.ends_with(".html"))
            .cloned()
            .collect()
    }
}

/// A parsed page.
pub(crate) struct Page(pub Html);

impl Page {
    pub(crate) fn all(&self, css: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        self.0
            .select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_owned())
            .collect()
    }
    pub(crate) fn one(&self, css: &str) -> String {
        let v = self.all(css);
        assert!(!v.is_empty(), "nothing matches {css}");
        v[0].clone()
    }
    pub(crate) fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        self.0
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_owned))
            .collect()
    }
    pub(crate) fn count(&self, css: &str) -> usize {
        self.0.select(&Selector::parse(css).unwrap()).count()
    }
    /// Rows of the first table matching `css`, each a list of cell texts.
    pub(crate) fn rows(&self, css: &str) -> Vec<Vec<String>> {
        let table = Selector::parse(&format!("{css} tbody tr")).unwrap();
        let cell = Selector::parse("td, th").unwrap();
        self.0
            .select(&table)
            .map(|r| {
                r.select(&cell)
                    .map(|c| c.text().collect::<String>().trim().to_owned())
                    .collect()
            })
            .collect()
    }
}

/// Harness for `biaogan serve` (tests/all/serve.rs, tests/all/browser.rs).
/// The strict policy the search page must work under (served with it).
pub(crate) const CSP: &str = "default-src 'self'";

/// Builds fixture `f` at `now` into `out`, failing the test on any error.
pub(crate) fn build(f: &Fixture, now: &str, out: &Path) {
    biaogan::pipeline::build(&f.options(now), out).unwrap_or_else(|d| panic!("{d}"));
}

pub(crate) mod browser;
pub(crate) mod chinese;
pub(crate) mod chromium;
pub(crate) mod serve;
pub(crate) mod static_site;

/// Whether a browser following this URL stays on the web (http, https, mailto,
/// tel or a relative reference), read the way a URL parser reads it: leading
/// and trailing controls and spaces dropped, tabs and newlines removed, the
/// scheme compared without regard to case.
pub(crate) fn safe_url(value: &str) -> bool {
    let cleaned: String = value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    match cleaned.find(':') {
        None => true,
        Some(i) => {
            let scheme = &cleaned[..i];
            // Only `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )` before the
            // first `:` is a scheme; anything else is a relative reference.
            let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            !is_scheme || matches!(scheme, "http" | "https" | "mailto" | "tel")
        }
    }
}
