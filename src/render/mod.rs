//! Render: the planned pages through Tera and Markdown, in parallel, to bytes.

pub mod chinese;
pub mod markdown;
pub mod qr;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::site::{AttachmentKind, Site};
use crate::plan::{PageKind, Plan};
use markdown::{Html, Images};
use theme::Theme;
use views::*;

/// A file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Artifact {
    /// Generated content.
    Bytes(Vec<u8>),
    /// A file copied from the content folder.
    Copy(PathBuf),
}

/// The whole rendered site: output-relative path (`2024/notice/index.html`) to content.
pub type Output = BTreeMap<String, Artifact>;

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

/// Renders a plan of a site with a theme.
pub struct Renderer<'a> {
    site: &'a Site,
    plan: &'a Plan,
    theme: &'a Theme,
    tera: Tera,
    base: SiteView,
    nav: Vec<Link>,
    banner: Option<String>,
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
        base_url: &str,
        banner: Option<String>,
    ) -> Result<Self, Diagnostics> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
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
        diags.into_result(Renderer {
            site,
            plan,
            theme,
            tera,
            base,
            nav,
            banner,
        })
    }

    /// Renders every page, download and asset; all errors are collected.
    pub fn render_all(&self) -> Result<Output, Diagnostics> {
        let results: Vec<Result<Vec<(String, Artifact)>, Vec<Diagnostic>>> = self
            .plan
            .pages
            .par_iter()
            .map(|p| self.render_page(p.kind, &p.url))
            .collect();
        let mut out = Output::new();
        let mut diags = Diagnostics::default();
        for r in results {
            match r {
                Ok(files) => out.extend(files),
                Err(ds) => ds.into_iter().for_each(|d| diags.push(d)),
            }
        }
        for d in &self.plan.downloads {
            out.insert(
                d.url.trim_start_matches('/').to_owned(),
                Artifact::Copy(d.from.clone()),
            );
        }
        for (name, bytes) in &self.theme.assets {
            out.insert(format!("static/{name}"), Artifact::Bytes(bytes.clone()));
        }
        out.insert(
            "sitemap.xml".into(),
            Artifact::Bytes(self.sitemap().into_bytes()),
        );
        out.insert(
            "robots.txt".into(),
            Artifact::Bytes(
                format!(
                    "User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n",
                    self.base.base_url
                )
                .into_bytes(),
            ),
        );
        diags.into_result(out)
    }

    /// Renders one page (and the images it references).
    pub fn render_page(
        &self,
        kind: PageKind,
        url: &str,
    ) -> Result<Vec<(String, Artifact)>, Vec<Diagnostic>> {
        let mut ctx = Context::new();
        ctx.insert("site", &self.base);
        ctx.insert("nav", &self.nav);
        ctx.insert("preview", &self.banner);
        let mut files = Vec::new();
        let (template, title, description, section) =
            self.page_context(kind, url, &mut ctx, &mut files)?;
        ctx.insert(
            "page",
            &PageMeta {
                url,
                canonical: format!("{}{}", self.base.base_url, url),
                title,
                description,
                section,
            },
        );
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| vec![template_error(&e, self.theme)])?;
        let path = if url.ends_with('/') {
            format!("{}index.html", url.trim_start_matches('/'))
        } else {
            url.trim_start_matches('/').to_owned()
        };
        files.push((path, Artifact::Bytes(minify(&html))));
        Ok(files)
    }

    #[allow(clippy::type_complexity)]
    fn page_context(
        &self,
        kind: PageKind,
        url: &str,
        ctx: &mut Context,
        files: &mut Vec<(String, Artifact)>,
    ) -> Result<(&'static str, String, String, &'static str), Vec<Diagnostic>> {
        let site = self.site;
        let now = self.plan.now;
        Ok(match kind {
            PageKind::Home => {
                let mut rounds: Vec<RoundView> = site
                    .campaigns
                    .iter()
                    .zip(&self.plan.visible)
                    .filter(|(_, v)| v.notice)
                    .map(|(c, v)| RoundView::new(site, c, *v, now))
                    .collect();
                rounds.reverse();
                ctx.insert("rounds", &rounds);
                (
                    "home.html",
                    site.config.title.clone(),
                    self.base.description.clone(),
                    "home",
                )
            }
            PageKind::NotFound => (
                "404.html",
                "页面未找到".into(),
                "您访问的页面不存在或已移动。".into(),
                "404",
            ),
            PageKind::Round(ci) => {
                let c = &site.campaigns[ci];
                let round = RoundView::new(site, c, self.plan.visible[ci], now);
                ctx.insert("round", &round);
                ctx.insert("timeline", &timeline(c));
                let title = format!("{}年质量标杆典型经验遴选", c.year);
                (
                    "round.html",
                    title.clone(),
                    format!("{title}：{}。", round.phase_label),
                    "round",
                )
            }
            PageKind::Notice(ci) => {
                let c = &site.campaigns[ci];
                let body = md(&c.notice.body, &Images::None)?;
                let email = match &c.application.email_instructions {
                    Some(t) => Some(
                        markdown::render_text(&c.dir.join("campaign.yaml"), t, &Images::None)?.html,
                    ),
                    None => None,
                };
                let attachments: Vec<AttachmentView> = c
                    .notice
                    .attachments
                    .iter()
                    .enumerate()
                    .map(|(i, a)| match &a.kind {
                        AttachmentKind::Page(_) => AttachmentView {
                            serial: i + 1,
                            title: a.title.clone(),
                            url: format!("/{}/notice/{}/", c.year, a.slug),
                            kind: "page".into(),
                            type_label: None,
                            size_label: None,
                        },
                        AttachmentKind::File { size, .. } => AttachmentView {
                            serial: i + 1,
                            title: a.title.clone(),
                            url: format!("/{}/notice/{}", c.year, a.slug),
                            kind: "file".into(),
                            type_label: Some(chinese::file_type(&a.slug).into()),
                            size_label: Some(chinese::size(*size)),
                        },
                    })
                    .collect();
                let focus: Vec<FocusView> = c
                    .focus_areas
                    .iter()
                    .enumerate()
                    .map(|(i, f)| FocusView {
                        serial: i + 1,
                        title: f.title.clone(),
                        text: f.text.clone(),
                    })
                    .collect();
                ctx.insert(
                    "notice",
                    &NoticeView {
                        year: c.year,
                        number: c.notice.number.clone(),
                        title: c.notice.title.clone(),
                        date: chinese::date(c.notice.date),
                        iso_date: c.notice.date.to_string(),
                        addressee: c.notice.addressee.clone(),
                        body_html: body.html,
                        attachments,
                    },
                );
                ctx.insert("timeline", &timeline(c));
                ctx.insert("focus_areas", &focus);
                ctx.insert(
                    "application",
                    &ApplicationView {
                        url: c.application.url.clone(),
                        deadline: chinese::deadline(c.application.deadline),
                        qr_svg: qr::svg(&c.application.url, "在线申报二维码"),
                        email_html: email,
                    },
                );
                let desc = format!(
                    "{}，{}发布。",
                    c.notice.number,
                    chinese::date(c.notice.date)
                );
                ("notice.html", c.notice.title.clone(), desc, "notice")
            }
            PageKind::Attachment(ci, ai) => {
                let c = &site.campaigns[ci];
                let a = &c.notice.attachments[ai];
                let AttachmentKind::Page(src) = &a.kind else {
                    return Err(vec![Diagnostic::new(
                        &c.dir,
                        "internal: attachment is not a page",
                    )]);
                };
                let body = md(src, &Images::None)?;
                ctx.insert(
                    "notice",
                    &LinkedDoc {
                        title: c.notice.title.clone(),
                        number: c.notice.number.clone(),
                        url: format!("/{}/notice/", c.year),
                    },
                );
                ctx.insert(
                    "attachment",
                    &AttachmentPage {
                        serial: ai + 1,
                        title: a.title.clone(),
                        body_html: body.html,
                        toc: body.toc,
                        year: c.year,
                    },
                );
                let desc = format!("{}附件：{}", c.notice.title, a.title);
                ("attachment.html", a.title.clone(), desc, "notice")
            }
            PageKind::Publicity(ci) => {
                let c = &site.campaigns[ci];
                let Some(p) = &c.publicity else {
                    return Err(Vec::new());
                };
                let rows: Vec<CaseRow> = c
                    .publicised_cases()
                    .enumerate()
                    .map(|(i, k)| CaseRow::new(c, k, i + 1, None))
                    .collect();
                let instructions = md(&p.instructions, &Images::None)?;
                let status = crate::model::publicity::PublicityStatus::at(p, &site.calendar, now)
                    .map_err(|m| {
                    vec![Diagnostic::new(&c.dir.join("campaign.yaml"), m.to_string())]
                })?;
                ctx.insert(
                    "publicity",
                    &PublicityView {
                        year: c.year,
                        number: p.number.clone(),
                        title: p.title.clone(),
                        date: chinese::date(p.start),
                        iso_date: p.start.to_string(),
                        period: format!(
                            "{}（{}个工作日）",
                            chinese::period(p.start, p.end.date()),
                            p.working_days
                        ),
                        deadline: format!(
                            "{}{}",
                            chinese::date(p.end.date()),
                            chinese::time(p.until_time)
                        ),
                        status_key: status.key().into(),
                        status_label: status.label(),
                        instructions_html: instructions.html,
                        count: rows.len(),
                    },
                );
                ctx.insert("rows", &rows);
                let desc = format!(
                    "{}：{}个典型经验，公示期{}。",
                    p.title,
                    rows.len(),
                    chinese::period(p.start, p.end.date())
                );
                ("publicity.html", p.title.clone(), desc, "publicity")
            }
            PageKind::Results(ci) => {
                let c = &site.campaigns[ci];
                let Some(r) = &c.results else {
                    return Err(Vec::new());
                };
                let rows: Vec<CaseRow> = c
                    .approved_cases()
                    .enumerate()
                    .map(|(i, k)| {
                        CaseRow::new(c, k, i + 1, Some(format!("/{}/cases/{}/", c.year, k.id)))
                    })
                    .collect();
                ctx.insert(
                    "results",
                    &ResultsView {
                        year: c.year,
                        number: r.number.clone(),
                        title: r.title.clone(),
                        date: chinese::date(r.date),
                        iso_date: r.date.to_string(),
                        count: rows.len(),
                    },
                );
                ctx.insert("rows", &rows);
                let desc = format!("{}：{}个质量标杆典型经验。", r.title, rows.len());
                ("results.html", r.title.clone(), desc, "results")
            }
            PageKind::Case(ci, i) => {
                let c = &site.campaigns[ci];
                let k = &c.cases[i];
                let Some(src) = &k.summary else {
                    return Err(vec![Diagnostic::new(
                        &c.dir,
                        format!("case `{}` has no summary", k.id),
                    )]);
                };
                let images = Images::From {
                    root: &site.root,
                    base: &c.dir.join("cases"),
                    dir: &k.assets_dir,
                };
                let body: Html = md(src, &images)?;
                let prefix = url.trim_start_matches('/');
                for (rel, disk) in &body.images {
                    files.push((format!("{prefix}{rel}"), Artifact::Copy(disk.clone())));
                }
                let serial = c
                    .approved_cases()
                    .position(|x| x.id == k.id)
                    .map_or(0, |p| p + 1);
                let focus = c.focus_areas.iter().find(|f| f.id == k.focus_area);
                ctx.insert(
                    "case",
                    &CaseView {
                        id: k.id.clone(),
                        title: k.title.clone(),
                        organization: k.organization.name.clone(),
                        region: k.organization.region.clone(),
                        field: k.field.clone(),
                        focus_area: focus.map(|f| f.title.clone()).unwrap_or_default(),
                        focus_text: focus.map(|f| f.text.clone()).unwrap_or_default(),
                        methods: k.methods.clone(),
                        summary_html: body.html,
                        toc: body.toc,
                        serial,
                    },
                );
                if let Some(r) = &c.results {
                    ctx.insert(
                        "results",
                        &LinkedDoc {
                            title: r.title.clone(),
                            number: r.number.clone(),
                            url: format!("/{}/results/", c.year),
                        },
                    );
                }
                ctx.insert("year", &c.year);
                let desc = if body.lead.is_empty() {
                    format!("{}：{}", k.organization.name, k.title)
                } else {
                    truncate(&body.lead, 120)
                };
                ("case.html", k.title.clone(), desc, "results")
            }
        })
    }

    fn sitemap(&self) -> String {
        let mut s = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        s.push_str("\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for p in &self.plan.pages {
            if p.kind == PageKind::NotFound {
                continue;
            }
            s.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                escape(&format!("{}{}", self.base.base_url, p.url))
            ));
        }
        s.push_str("</urlset>\n");
        s
    }
}

fn md(src: &crate::model::site::Source, images: &Images) -> Result<Html, Vec<Diagnostic>> {
    markdown::render(src, images)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

fn timeline(c: &crate::model::site::Campaign) -> Vec<TimelineRow> {
    c.timeline
        .iter()
        .enumerate()
        .map(|(i, t)| TimelineRow {
            serial: i + 1,
            stage: t.stage.clone(),
            when: match (t.start, t.end, &t.period) {
                (Some(a), Some(b), _) if a != b => chinese::period(a, b),
                (Some(a), _, _) | (None, Some(a), _) => chinese::date(a),
                (None, None, Some(p)) => p.clone(),
                (None, None, None) => String::new(),
            },
            note: t.note.clone(),
        })
        .collect()
}

fn nav(site: &Site, plan: &Plan) -> Vec<Link> {
    let mut v = vec![Link {
        title: "首页".into(),
        url: "/".into(),
    }];
    if let Some((ci, c)) = site
        .campaigns
        .iter()
        .enumerate()
        .rev()
        .find(|(i, _)| plan.visible[*i].notice)
    {
        let y = c.year;
        v.push(Link {
            title: format!("{y}年通知"),
            url: format!("/{y}/notice/"),
        });
        if plan.has(PageKind::Publicity(ci)) {
            v.push(Link {
                title: "公示".into(),
                url: format!("/{y}/publicity/"),
            });
        }
        if plan.has(PageKind::Results(ci)) {
            v.push(Link {
                title: "结果公布".into(),
                url: format!("/{y}/results/"),
            });
        }
    }
    v
}

/// Minifies an HTML page (standards-compliant settings only).
pub fn minify(html: &str) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.minify_js = true;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
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
            Diagnostic::new(origin, format!("template error: {}", r.message()))
                .at(
                    text,
                    span.start_line,
                    char_col(text, span.start_line, span.start_col) + 1,
                )
                .help("fix the template, or remove the site's override to use the built-in one")
        }
        _ => Diagnostic::new("themes", format!("template error: {e}")),
    }
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

#[derive(Serialize)]
struct NoticeView {
    year: i32,
    number: String,
    title: String,
    date: String,
    iso_date: String,
    addressee: String,
    body_html: String,
    attachments: Vec<AttachmentView>,
}

#[derive(Serialize)]
struct ApplicationView {
    url: String,
    deadline: String,
    qr_svg: String,
    email_html: Option<String>,
}

#[derive(Serialize)]
struct LinkedDoc {
    title: String,
    number: String,
    url: String,
}

#[derive(Serialize)]
struct AttachmentPage {
    serial: usize,
    title: String,
    body_html: String,
    toc: Vec<markdown::TocEntry>,
    year: i32,
}

#[derive(Serialize)]
struct PublicityView {
    year: i32,
    number: Option<String>,
    title: String,
    date: String,
    iso_date: String,
    period: String,
    deadline: String,
    status_key: String,
    status_label: String,
    instructions_html: String,
    count: usize,
}

#[derive(Serialize)]
struct ResultsView {
    year: i32,
    number: String,
    title: String,
    date: String,
    iso_date: String,
    count: usize,
}
