//! Link check: every internal link and asset reference of a rendered site
//! must point at a file of the same output (and an existing anchor).
//!
//! A broken link is reported where it was written: the Markdown file, line
//! and column, or the template; never at a page of the output, which `check`
//! and `serve` do not even write.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::urls::{path_of, percent_decode};

mod tags;

/// Where a link was written: a Markdown file (with its line and column) or a template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The file, as the user named it.
    pub file: PathBuf,
    /// 1-based line and column (in characters), when known.
    pub position: Option<(usize, usize)>,
    /// The line as written, to show under the message.
    pub source_line: Option<String>,
}

impl Place {
    /// A whole file, without position.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Place {
            file: file.into(),
            position: None,
            source_line: None,
        }
    }
}

/// What a page links to and which anchors it has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    ids: BTreeSet<String>,
    links: Vec<(String, Option<Place>)>,
    /// Where links without a place of their own come from: the page's template.
    frame: Option<Place>,
}

impl Scan {
    /// Records a link or asset reference.
    pub fn add_link(&mut self, link: String) {
        self.links.push((link, None));
    }

    /// Names the template that wrote the page's own links.
    pub fn set_frame(&mut self, template: Place) {
        self.frame = Some(template);
    }

    /// Records a link with where it was written.
    pub fn add_link_at(&mut self, link: String, place: Place) {
        self.links.push((link, Some(place)));
    }

    /// Gives each link without a place the place of the first unused origin
    /// with the same address, or else `fallback`.
    pub fn attribute(&mut self, origins: &[(String, Place)], fallback: &Place) {
        let mut used = vec![false; origins.len()];
        for (link, place) in self.links.iter_mut().filter(|(_, p)| p.is_none()) {
            let found = origins
                .iter()
                .enumerate()
                .find(|(i, (u, _))| !used[*i] && u.trim() == link.trim());
            *place = Some(match found {
                Some((i, (_, p))) => {
                    used[i] = true;
                    p.clone()
                }
                None => fallback.clone(),
            });
        }
    }

    /// Records an anchor.
    pub fn add_id(&mut self, id: String) {
        self.ids.insert(id);
    }

    /// Adds everything of `other` (a fragment placed into this page).
    pub fn merge(&mut self, other: Scan) {
        self.links.extend(other.links);
        self.ids.extend(other.ids);
    }
}

/// Checks scanned pages against the set of files of the site (`exists`).
///
/// Each broken link is reported once where it was written, naming the first
/// page it breaks and how many others (a template's link is on many pages).
pub fn check_scans(
    scans: &BTreeMap<String, Scan>,
    exists: &(dyn Fn(&str) -> bool + Sync),
) -> Result<(), Diagnostics> {
    let mut broken: BTreeMap<(Option<Place>, String, String), Vec<&str>> = BTreeMap::new();
    for (page, s) in scans {
        let dir = match page.rfind('/') {
            Some(i) => format!("/{}/", &page[..i]),
            None => "/".to_owned(),
        };
        for (link, place) in &s.links {
            if let Err(why) = resolve(link, &dir, page, exists, scans) {
                broken
                    .entry((place.clone().or_else(|| s.frame.clone()), link.clone(), why))
                    .or_default()
                    .push(page);
            }
        }
    }
    let mut diags = Diagnostics::default();
    for ((place, link, why), pages) in broken {
        let url = |p: &str| format!("/{}", p.trim_end_matches("index.html"));
        let on = match pages.len() {
            1 => format!("页面 {}", url(pages[0])),
            n => format!("页面 {} 等 {n} 个页面", url(pages[0])),
        };
        let message = format!("链接 {link} 无效：{why}（在{on}中）");
        let d = match place {
            Some(p) => {
                // Templates are `.html` (built-in ones read "….html (built in)").
                let help = if p.file.to_string_lossy().contains(".html") {
                    "改正模板中生成这个链接的地方，或删除站点的模板覆盖以使用内置模板"
                } else {
                    "改正这个链接（站内页面可从浏览器地址栏复制 / 之后的部分），或删除它"
                };
                let mut d = Diagnostic::new(p.file, message).help(help);
                if let Some((line, column)) = p.position {
                    d.line = Some(line);
                    d.column = Some(column);
                    d.source_line = p.source_line;
                }
                d
            }
            None => Diagnostic::new(format!("public/{}", pages[0]), message)
                .help("改正生成这个页面的 Markdown 文件或模板中的链接，或补上缺少的页面或文件"),
        };
        diags.push(d);
    }
    diags.into_result(())
}

/// Reads a page's links and anchors.
pub fn scan(bytes: &[u8]) -> Scan {
    let mut links = Vec::new();
    let mut ids = BTreeSet::new();
    tags::each_tag(&String::from_utf8_lossy(bytes), |tag, attrs| {
        let get = |name: &str| attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        if let Some(id) = get("id") {
            ids.insert(id.clone());
        }
        // Links of the page itself (canonical, og:url) are absolute; others must resolve.
        if tag == "link" && get("rel").is_some_and(|r| r == "canonical") {
            return;
        }
        for (name, value) in attrs {
            if name == "href" || name == "src" {
                links.push((value.clone(), None));
            }
        }
    });
    Scan {
        ids,
        links,
        frame: None,
    }
}

fn resolve(
    link: &str,
    dir: &str,
    page: &str,
    exists: &(dyn Fn(&str) -> bool + Sync),
    scans: &BTreeMap<String, Scan>,
) -> Result<(), String> {
    let link = link.trim();
    if link.is_empty() {
        return Err("链接地址是空的".into());
    }
    let lower = link.to_ascii_lowercase();
    // Any URL with a scheme is external (the sanitiser already removed unsafe ones).
    let has_scheme = lower.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && !scheme.contains('/')
    });
    if has_scheme
        || lower.contains("://")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || lower.starts_with("data:")
        || lower.starts_with("//")
    {
        return Ok(());
    }
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let target: String = if path.is_empty() {
        page.to_owned()
    } else {
        let abs = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("{dir}{path}")
        };
        let decoded = String::from_utf8_lossy(&percent_decode(&normalise(&abs))).into_owned();
        let key = path_of(&decoded);
        if decoded.ends_with('/') || exists(&key) {
            key
        } else if exists(&path_of(&format!("{decoded}/"))) {
            path_of(&format!("{decoded}/"))
        } else {
            return Err(format!("网站中没有 /{key} 这个页面或文件"));
        }
    };
    if !exists(&target) {
        return Err(format!(
            "网站中没有 /{} 这个页面",
            target.trim_end_matches("index.html")
        ));
    }
    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
        let f = String::from_utf8_lossy(&percent_decode(f)).into_owned();
        if let Some(s) = scans.get(&target) {
            if !s.ids.contains(&f) {
                return Err(format!(
                    "页面 /{} 中没有 #{f} 这个位置（标题或锚点）",
                    target.trim_end_matches("index.html")
                ));
            }
        }
    }
    Ok(())
}

fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut s = parts.join("/");
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scans the HTML files among `files` and checks them against all of them.
    fn check(files: &[(&str, &str)]) -> Result<(), Diagnostics> {
        let scans: BTreeMap<String, Scan> = files
            .iter()
            .filter(|(k, _)| k.ends_with(".html"))
            .map(|(k, v)| (k.to_string(), scan(v.as_bytes())))
            .collect();
        check_scans(&scans, &|k| files.iter().any(|(f, _)| *f == k))
    }

    #[test]
    fn accepts_good_links_and_reports_every_broken_one() {
        let d = check(&[
            (
                "index.html",
                r##"<a href="/a/">a</a><a href="/a/#x">x</a><a href="https://e.org">e</a><link rel=canonical href="https://e.org/"><img src="/s.svg">"##,
            ),
            (
                "a/index.html",
                r##"<h2 id=x>x</h2><a href="../">up</a><img src="p.png"><a href="#y">y</a><a href="/missing/">m</a>"##,
            ),
            ("a/p.png", ""),
            ("s.svg", ""),
        ])
        .unwrap_err();
        assert_eq!(d.len(), 2, "{d}");
        assert!(d.iter().all(|e| e.file.ends_with("a/index.html")));
        assert!(d
            .iter()
            .any(|e| e.message.contains("链接 #y 无效") && e.message.contains("没有 #y 这个位置")));
        assert!(d.iter().any(|e| e.message.contains("/missing/")));
    }

    #[test]
    fn dot_segments_are_resolved() {
        assert_eq!(normalise("/a/b/../c/./d"), "/a/c/d");
    }

    #[test]
    fn percent_encoded_links_reach_their_files() {
        let d = check(&[
            (
                "index.html",
                r##"<a href="/a%20b/%E4%B8%AD.pdf">f</a><a href="/a%20b/#%E4%B8%AD">x</a>"##,
            ),
            ("a b/中.pdf", ""),
            (
                "a b/index.html",
                r##"<h2 id="中">x</h2><a href="/a%20b">up</a>"##,
            ),
        ]);
        assert!(d.is_ok(), "{:?}", d.err().map(|d| d.to_string()));
    }
}

/// The scanner against html5ever's reading of real pages: the sample site
/// and the fixtures (hostile text included), at a moment when every kind of
/// page exists.
#[cfg(test)]
mod against_html5ever {
    use std::collections::BTreeSet;
    use std::path::Path;

    use scraper::{Html, Selector};

    use crate::pipeline::{self, Options};

    fn reference(html: &str) -> (BTreeSet<String>, Vec<String>) {
        let doc = Html::parse_document(html);
        let sel = Selector::parse("[href], [src], [id]").unwrap();
        let mut ids = BTreeSet::new();
        let mut links = Vec::new();
        for el in doc.select(&sel) {
            let v = el.value();
            if let Some(id) = v.attr("id") {
                ids.insert(id.to_owned());
            }
            if v.name() == "link" && v.attr("rel") == Some("canonical") {
                continue;
            }
            for attr in ["href", "src"] {
                if let Some(u) = v.attr(attr) {
                    links.push(u.to_owned());
                }
            }
        }
        links.sort();
        (ids, links)
    }

    fn pages(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                pages(&p, out);
            } else if p.extension().is_some_and(|x| x == "html") {
                out.push(p);
            }
        }
    }

    #[test]
    fn every_page_reads_as_html5ever_reads_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for (site, now) in [
            ("content", "2025-01-10"),
            ("tests/sites/basic", "2025-03-20"),
            ("tests/sites/hostile", "2025-03-20"),
            ("tests/sites/two-rounds", "2025-09-01"),
        ] {
            let out = tempfile::tempdir().unwrap();
            let mut opts = Options::new(root.join(site));
            opts.now = crate::model::dates::parse_date(now)
                .ok()
                .and_then(|d| d.and_hms_opt(12, 0, 0));
            pipeline::build(&opts, &out.path().join("o")).unwrap_or_else(|d| panic!("{site}: {d}"));
            let mut files = Vec::new();
            pages(out.path(), &mut files);
            for f in files {
                let html = std::fs::read_to_string(&f).unwrap();
                let scan = super::scan(html.as_bytes());
                let mut links: Vec<String> = scan.links.iter().map(|(l, _)| l.clone()).collect();
                links.sort();
                assert_eq!((scan.ids, links), reference(&html), "{}", f.display());
                checked += 1;
            }
        }
        assert!(checked > 80, "{checked} pages");
    }
}
