//! SVG images are screened as XML: the hostile corpus in
//! `tests/sites/svg-corpus/refused` is refused, file by file and through a
//! real build with positioned errors; the plain drawings in `accepted` are
//! published, and Chromium opening each of them directly at the site's origin
//! runs nothing. The same Chromium opening the refused files shows that most
//! of them would run script or load from the server, so the corpus is live.
//!
//! Every payload, if it runs, sets `data-pwned` on the root element and
//! requests `/pwned/<file name>` from the server, which records requests.
//! Needs `/usr/bin/chromium` (Debian package `chromium`); fails without it.

use crate::common;
use crate::common::chromium::{chromium, dump_all};
use crate::common::static_site::StaticSite;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use biaogan::load::svg;
use biaogan::pipeline::{self, Options};

const NOW: &str = "2024-12-03 12:00";
const CASE_DIR: &str = "campaigns/2024/cases/alpha";
const SUMMARY: &str = "campaigns/2024/cases/alpha.md";

/// Refused files that Chromium, opening them directly, makes run script or
/// request `/pwned/<name>`: the proof that the corpus tests something.
/// (The others need a click, or are refused for safety beyond today's browsers.)
const LIVE: [&str; 17] = [
    "fill-url-external",
    "foreignobject-img",
    "image-relative",
    "onload",
    "root-xhtml",
    "script-cdata",
    "script-plain",
    "script-prefixed-svg",
    "script-via-entity",
    "script-xhtml",
    "style-attribute-url",
    "style-import",
    "style-url",
    "style-url-escaped",
    "use-external-relative",
    "xhtml-img-onerror",
    "xml-stylesheet-xslt",
];

fn corpus(kind: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sites/svg-corpus")
        .join(kind);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    assert!(files.len() >= 5, "corpus {kind} is missing");
    files
}

#[test]
fn every_refused_file_is_refused_and_every_plain_drawing_passes() {
    for (name, bytes) in corpus("refused") {
        let r = svg::screen(&bytes);
        assert!(!r.is_empty(), "{name}.svg was accepted");
        assert!(
            r.iter().all(|r| r.line >= 1 && r.column >= 1),
            "{name}: {r:?}"
        );
    }
    for (name, bytes) in corpus("accepted") {
        assert_eq!(svg::screen(&bytes), vec![], "{name}.svg was refused");
    }
}

/// The hostile fixture with `files` in the case folder, each shown in the summary.
fn site_with(files: &[(String, Vec<u8>)]) -> (common::Fixture, Result<PathBuf, String>) {
    let f = common::fixture("hostile");
    let mut refs = String::new();
    for (name, bytes) in files {
        std::fs::write(f.path(&format!("{CASE_DIR}/{name}.svg")), bytes).unwrap();
        refs.push_str(&format!("\n\n![{name}](alpha/{name}.svg)\n"));
    }
    let summary = f.read(SUMMARY) + &refs;
    f.write(SUMMARY, &summary);
    let out = f.dir.path().join("public");
    let mut opts = Options::new(f.content());
    opts.now = Some(common::now_at(NOW));
    let built = pipeline::build(&opts, &out)
        .map(|_| out)
        .map_err(|d| d.to_string());
    (f, built)
}

#[test]
fn a_build_refuses_each_hostile_svg_at_its_line_and_column() {
    let mut files = corpus("refused");
    files.extend(corpus("accepted"));
    let (_f, built) = site_with(&files);
    let errors = built.expect_err("a build with hostile SVG images succeeded");
    for (name, _) in corpus("refused") {
        let at = format!("alpha/{name}.svg:");
        assert!(
            errors.contains(&at),
            "no positioned error for {name}.svg:\n{errors}"
        );
    }
    for (name, _) in corpus("accepted") {
        assert!(
            !errors.contains(&format!("alpha/{name}.svg")),
            "{name}.svg refused:\n{errors}"
        );
    }
    // One example in full: where, what, which page uses it, how to fix it.
    assert!(
        errors.contains("alpha/script-prefixed-svg.svg:1:")
            && errors.contains("SVG 图片含有脚本元素 <script>")
            && errors.contains("alpha.md:")
            && errors.contains("导出为 PNG"),
        "{errors}"
    );
}

#[test]
fn chromium_runs_nothing_from_published_svgs_and_would_run_the_refused_ones() {
    let accepted = corpus("accepted");
    let (_f, built) = site_with(&accepted);
    let out = built.unwrap_or_else(|e| panic!("the plain drawings were refused:\n{e}"));
    let raw = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/svg-corpus/refused");
    // The refused files are served raw under /raw/, from the site's origin.
    let server = StaticSite::builder(out.clone())
        .route(move |path| {
            let name = path.strip_prefix("/raw/")?;
            (!name.contains(".."))
                .then(|| std::fs::read(raw.join(name)).ok())
                .flatten()
                .map(|b| ("image/svg+xml", b))
        })
        .start();
    let browser = chromium();

    // The published files, opened directly at the site's origin.
    let mut urls = Vec::new();
    for (name, _) in &accepted {
        let path = format!("2024/cases/alpha/{name}.svg");
        assert!(out.join(&path).is_file(), "{path} not published");
        urls.push(server.url(&format!("/{path}")));
    }
    let doms = dump_all(&browser, &urls);
    let ran: Vec<&String> = urls
        .iter()
        .zip(&doms)
        .filter(|(_, d)| d.contains("data-pwned"))
        .map(|(u, _)| u)
        .collect();
    assert!(ran.is_empty(), "script ran in {ran:?}");
    let pwned: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.contains("pwned"))
        .collect();
    assert!(pwned.is_empty(), "published SVGs requested {pwned:?}");

    // The refused files that should be live, served as they are from the same origin.
    let refused: Vec<(String, Vec<u8>)> = corpus("refused")
        .into_iter()
        .filter(|(n, _)| LIVE.contains(&n.as_str()))
        .collect();
    assert_eq!(
        refused.len(),
        LIVE.len(),
        "a LIVE file is not in the corpus"
    );
    let urls: Vec<String> = refused
        .iter()
        .map(|(n, _)| server.url(&format!("/raw/{n}.svg")))
        .collect();
    let doms = dump_all(&browser, &urls);
    let requests = server.requests();
    let live: BTreeSet<&str> = refused
        .iter()
        .zip(&doms)
        .filter(|((n, _), dom)| {
            dom.contains(&format!("data-pwned=\"{n}\""))
                || requests.iter().any(|r| r == &format!("/pwned/{n}"))
        })
        .map(|((n, _), _)| n.as_str())
        .collect();
    let missing: Vec<&&str> = LIVE.iter().filter(|n| !live.contains(**n)).collect();
    assert!(
        missing.is_empty(),
        "these refused files did not run in Chromium, so the test proves less than it says: {missing:?}\n(ran: {live:?})"
    );
}
