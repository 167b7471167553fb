//! Render: the planned pages through Tera and Markdown, in parallel, to bytes.

mod calendar;
pub mod chinese;
mod data;
pub mod document;
mod feeds;
mod ics;
pub mod markdown;
mod pages;
pub mod qr;
pub mod search;
pub mod theme;
pub mod views;

use crate::model::base_url::BaseUrl;
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links::Scan;
use crate::model::site::Site;
use crate::output::{Artifact, Output, Sink};
use crate::plan::{Page, PageKind, Plan};
use theme::Theme;
use views::*;

/// Escapes text for HTML and XML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// What a render produced: every file's path, and every page's links.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// Output-relative paths of all files.
    pub files: BTreeSet<String>,
    /// Links and anchors of every HTML page, by path.
    pub scans: BTreeMap<String, Scan>,
    /// What the build reported without failing (see `Site::warnings`).
    pub warnings: Diagnostics,
}

impl crate::write::Written for Manifest {
    fn written(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(String::as_str)
    }
}

impl Manifest {
    /// Checks every internal link against the files made.
    pub fn check_links(&self) -> Result<(), Diagnostics> {
        crate::links::check_scans(&self.scans, &|k| self.files.contains(k))
    }
}

/// Paths handed to the sink, with the scan of the HTML page among them.
type WrittenFiles = Vec<(String, Option<Scan>)>;

/// One rendered page: its files (the page's images, then the page) and the
/// links and anchors of its HTML.
pub struct RenderedPage {
    /// Output-relative path and content of each file.
    pub files: Vec<(String, Artifact)>,
    /// Links and anchors of the HTML file, for the link check.
    pub scan: Scan,
}

/// Renders a plan of a site with a theme.
pub struct Renderer<'a> {
    site: &'a Site,
    plan: &'a Plan,
    theme: &'a Theme,
    tera: Tera,
    base: SiteView,
    nav: Vec<Link>,
    banner: Option<String>,
    /// Per round, each case's 序号 as published ([`Campaign::list_serials`](crate::model::site::Campaign::list_serials)).
    serials: Vec<Vec<Option<usize>>>,
    /// Cases on a current final list by credit code, oldest round first.
    by_organisation: BTreeMap<String, Vec<(usize, usize)>>,
}

#[derive(Serialize)]
struct PageMeta<'p> {
    url: &'p str,
    canonical: String,
    title: String,
    description: String,
    section: &'static str,
}

impl<'a> Renderer<'a> {
    /// Parses the theme's templates; every template error is reported.
    pub fn new(
        site: &'a Site,
        plan: &'a Plan,
        theme: &'a Theme,
        base_url: &BaseUrl,
        banner: Option<String>,
    ) -> Result<Self, Diagnostics> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.register_filter("quote", quote_filter);
        let mut diags = Diagnostics::default();
        let all: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .map(|(n, s)| (n.as_str(), s.text.as_str()))
            .collect();
        if let Err(first) = tera.add_raw_templates(all) {
            // Tera stops at the first error; parse each template alone to report every syntax error.
            for (name, src) in &theme.templates {
                let mut alone = Tera::new();
                if let Err(e) = alone.add_raw_template(name, &src.text) {
                    if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                        diags.push(template_error(&e, theme));
                    }
                }
            }
            if diags.is_empty() {
                diags.push(template_error(&first, theme));
            }
        }
        let base = SiteView::new(site, base_url);
        let nav = nav(site, plan);
        let by_organisation = pages::by_organisation(site, plan);
        diags.into_result(Renderer {
            site,
            plan,
            theme,
            tera,
            base,
            nav,
            banner,
            serials: site.campaigns.iter().map(|c| c.list_serials()).collect(),
            by_organisation,
        })
    }

    /// Renders every page, download and asset into memory; all errors are collected.
    pub fn render_all(&self) -> Result<Output, Diagnostics> {
        Ok(self.render_collected()?.0)
    }

    /// Renders into memory and scans every page's links (for `check` and `serve`).
    pub fn render_collected(&self) -> Result<(Output, Manifest), Diagnostics> {
        let out = Mutex::new(Output::new());
        let put = |path, artifact| {
            out.lock()
                .map_err(|_| io::Error::other("生成页面的线程意外中止"))?
                .insert(path, artifact);
            Ok(())
        };
        let manifest = self.render_into(&put, true)?;
        let out = out.into_inner().map_err(|_| {
            Diagnostic::new("public", "生成页面的线程意外中止")
                .help("这是 biaogan 的程序错误，请连同内容文件夹一起报告")
        })?;
        Ok((out, manifest))
    }

    /// Renders every file and hands each to `sink` as soon as it is made, so
    /// that a build keeps no finished page in memory; pages are scanned for
    /// the link check on the way. All errors are collected. `search_index`
    /// is off only to measure what the index costs (see [`Options`](crate::pipeline::Options)).
    pub fn render_into(
        &self,
        sink: &Sink<'_>,
        search_index: bool,
    ) -> Result<Manifest, Diagnostics> {
        self.render_parts(sink, search_index)
    }

    /// Renders every page only to check its links, keeping no file (`check`
    /// at the later moments of the schedule). The search index is left out:
    /// building it cannot fail and no page links into it (a page that did
    /// would show here as a broken link, never as a missed one).
    pub fn check_links(&self) -> Result<(), Diagnostics> {
        self.render_parts(&|_, _| Ok(()), false)?.check_links()
    }

    fn render_parts(&self, sink: &Sink<'_>, with_search: bool) -> Result<Manifest, Diagnostics> {
        // The search index is built and written alongside the pages, in the
        // same thread pool.
        let (results, search_files) = rayon::join(
            || self.render_pages(sink),
            || {
                if with_search {
                    search::write(self.site, self.plan, sink)
                } else {
                    Vec::new()
                }
            },
        );
        let mut manifest = Manifest::default();
        let mut diags = Diagnostics::default();
        for r in results {
            match r {
                Ok(files) => {
                    for (path, scan) in files {
                        if let Some(scan) = scan {
                            manifest.scans.insert(path.clone(), scan);
                        }
                        manifest.files.insert(path);
                    }
                }
                Err(ds) => ds.into_iter().for_each(|d| diags.push(d)),
            }
        }
        let mut rest = Output::new();
        for (name, bytes) in &self.theme.assets {
            rest.insert(format!("static/{name}"), Artifact::Bytes(bytes.clone()));
        }
        self.machine_files(&mut rest);
        for (path, written) in search_files {
            match written {
                Ok(()) => {
                    manifest.files.insert(path);
                }
                Err(e) => diags.push(crate::pipeline::write_failed(Path::new(&path), &e)),
            }
        }
        for (path, artifact) in rest {
            match sink(path.clone(), artifact) {
                Ok(()) => {
                    manifest.files.insert(path);
                }
                Err(e) => diags.push(crate::pipeline::write_failed(Path::new(&path), &e)),
            }
        }
        diags.into_result(manifest)
    }

    /// Renders every planned page in parallel, handing files to `sink`.
    fn render_pages(&self, sink: &Sink<'_>) -> Vec<Result<WrittenFiles, Vec<Diagnostic>>> {
        self.plan
            .pages
            .par_iter()
            .map(|p| {
                let RenderedPage { files, scan } = self.render_page(p)?;
                let mut page_scan = Some(scan);
                files
                    .into_iter()
                    .map(|(path, artifact)| {
                        let scan = if path.ends_with(".html") {
                            page_scan.take()
                        } else {
                            None
                        };
                        sink(path.clone(), artifact).map_err(|e| {
                            vec![crate::pipeline::write_failed(Path::new(&path), &e)]
                        })?;
                        Ok((path, scan))
                    })
                    .collect()
            })
            .collect()
    }

    /// Renders one planned page (and the images it references), with the
    /// links and anchors of its HTML.
    pub fn render_page(&self, page: &Page) -> Result<RenderedPage, Vec<Diagnostic>> {
        let pages::PageContent {
            template,
            title,
            description,
            section,
            context: mut ctx,
            mut files,
            slots,
        } = self.page_content(page)?;
        ctx.insert("site", &self.base);
        ctx.insert("nav", &self.nav);
        ctx.insert("preview", &self.banner);
        ctx.insert(
            "page",
            &PageMeta {
                url: &page.url,
                canonical: format!("{}{}", self.base.base_url, page.url),
                title,
                description,
                section,
            },
        );
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| vec![template_error(&e, self.theme)])?;
        let (bytes, mut scan) = slots.fill(&html);
        if let Some(t) = self.theme.templates.get(template) {
            scan.set_frame(crate::links::Place::file(&t.origin));
        }
        files.push((page.path.clone(), Artifact::Bytes(bytes)));
        Ok(RenderedPage { files, scan })
    }

    /// The absolute address (with the base URL) of a page the caller knows to be public.
    fn absolute_url(&self, kind: PageKind) -> String {
        format!(
            "{}{}",
            self.base.base_url,
            self.plan.url_of(kind).unwrap_or_default()
        )
    }
}

/// Finished HTML fragments kept out of the minifier. A template gets a marker
/// in their place and the fragment replaces it after minification: summaries
/// and QR codes are already compact, and minifying them again was a fifth of
/// a large build. The marker is a server-side-include comment, which the
/// minifier keeps and which no escaped text and no sanitised summary can contain.
#[derive(Default)]
pub(crate) struct Slots(Vec<(String, String, Option<Scan>)>);

impl Slots {
    /// Holds `html` back and returns the marker to give the template;
    /// `links` are its links and anchors when already known.
    pub(crate) fn hold(&mut self, html: String, links: Option<Scan>) -> String {
        let mark = format!("<!--#biaogan-slot {}-->", self.0.len());
        self.0.push((mark.clone(), html, links));
        mark
    }

    /// Minifies `html` (the template's output) with the held fragments in
    /// place, and scans the page's links: the small frame is parsed, the
    /// fragments bring their own lists.
    fn fill(self, html: &str) -> (Vec<u8>, Scan) {
        let page = minify(html);
        if self.0.is_empty() {
            let scan = crate::links::scan(&page);
            return (page, scan);
        }
        let mut text = String::from_utf8_lossy(&page).into_owned();
        // The minifier may unescape `&lt;` inside attribute values, so user
        // text can imitate a marker there. Then take the slow, safe path: in
        // the template's output user text is still escaped and each marker
        // occurs exactly once.
        if self
            .0
            .iter()
            .any(|(mark, ..)| text.matches(mark.as_str()).count() != 1)
        {
            let mut whole = html.to_owned();
            for (mark, fragment, _) in &self.0 {
                whole = whole.replacen(mark.as_str(), fragment, 1);
            }
            let page = minify(&whole);
            let scan = crate::links::scan(&page);
            return (page, scan);
        }
        let mut scan = crate::links::scan(text.as_bytes());
        for (mark, fragment, links) in self.0 {
            scan.merge(links.unwrap_or_else(|| crate::links::scan(fragment.as_bytes())));
            text = text.replacen(&mark, &fragment, 1);
        }
        (text.into_bytes(), scan)
    }
}

fn nav(site: &Site, plan: &Plan) -> Vec<Link> {
    let link = |t: String, u: Option<&str>| {
        u.map(|u| Link {
            title: t,
            url: u.to_owned(),
        })
    };
    let mut v: Vec<Link> = link("首页".into(), plan.url_of(PageKind::Home))
        .into_iter()
        .collect();
    // With two rounds under way, the labels name the year.
    let rounds = plan.current_rounds(site);
    for &ci in &rounds {
        let year = site.campaigns[ci].year;
        let of_year = |t: &str| match rounds.len() {
            1 => t.to_owned(),
            _ => format!("{year}年{t}"),
        };
        v.extend(link(
            format!("{year}年通知"),
            plan.url_of(PageKind::Notice(ci)),
        ));
        v.extend(link(of_year("公示"), plan.url_of(PageKind::Publicity(ci))));
        v.extend(link(
            of_year("结果公布"),
            plan.url_of(PageKind::Results(ci)),
        ));
    }
    // Earlier final lists stay one click away whatever phase the newest round is in.
    v.extend(link("历年名单".into(), plan.url_of(PageKind::Archive)));
    v.extend(link("交流活动".into(), plan.url_of(PageKind::Events)));
    v.extend(link(
        "通知公告".into(),
        plan.url_of(PageKind::Announcements),
    ));
    v
}

/// Minifies an HTML page (standards-compliant settings only).
pub fn minify(html: &str) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.minify_js = true;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_ssi_comments = true;
    minify_html::minify(html.as_bytes(), &cfg)
}

fn template_error(e: &tera::Error, theme: &Theme) -> Diagnostic {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let name = r.filename();
            let (origin, text) = theme
                .templates
                .get(name)
                .map(|s| (s.origin.clone(), s.text.as_str()))
                .unwrap_or_else(|| (PathBuf::from(name), ""));
            let span = r.span();
            Diagnostic::new(origin, template_sentence(r.message()))
                .at(
                    text,
                    span.start_line,
                    char_col(text, span.start_line, span.start_col) + 1,
                )
                .help("请修改这个模板；或删除网站自己的这个模板，改用内置模板")
        }
        _ => Diagnostic::new("themes", format!("模板有错误（模板引擎的说明：{e}）"))
            .help("请检查 themes/ 下的模板"),
    }
}

/// What the template engine reports, in a Chinese sentence; the engine's own
/// words follow in parentheses, for whoever maintains the theme.
fn template_sentence(engine: &str) -> String {
    let what = if let Some(name) = engine
        .strip_prefix("Variable `")
        .and_then(|rest| rest.split('`').next())
    {
        format!("模板用到的变量 {name} 不存在")
    } else if engine.contains("but expected") || engine.starts_with("Unexpected") {
        "模板语法有误".to_owned()
    } else {
        "模板有错误".to_owned()
    };
    format!("{what}（模板引擎的说明：{engine}）")
}

/// `{{ title | quote }}`: [`chinese::quote`] for templates, so that every
/// quoted title nests its inner quotes the same way.
fn quote_filter(title: &str, _: tera::Kwargs, _: &tera::State) -> String {
    chinese::quote(title)
}

/// Tera gives byte columns; diagnostics count characters.
fn char_col(text: &str, line: usize, byte_col: usize) -> usize {
    text.lines()
        .nth(line.saturating_sub(1))
        .map(|l| {
            l.get(..byte_col.min(l.len()))
                .map_or(byte_col, |p| p.chars().count())
        })
        .unwrap_or(byte_col)
}
