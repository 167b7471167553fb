//! What each page shows: one unit per [`PageKind`], each returning the
//! template, the head values and the template context of its page as one
//! [`PageContent`]. Adding a page kind means one unit here and one entry in
//! the plan.

mod announcements;
mod archive;
mod case;
mod events;
mod home;
mod not_found;
mod notice;
mod publicity;
mod results;
mod revocation;
mod round;
mod search;

use std::collections::BTreeMap;
use std::path::Path;

use tera::Context;

use super::markdown::{self, Html};
use super::views::*;
use super::{chinese, Renderer, Slots};
use crate::diagnostics::Diagnostic;
use crate::model::site::Site;
use crate::model::site::{Campaign, Case, Revocation, Source};
use crate::output::Artifact;
use crate::plan::{FileKind, Page, PageKind, Plan};

/// Everything one page unit decides; the renderer adds the shared values
/// (site, navigation, canonical URL) and runs the template.
pub(super) struct PageContent {
    /// The theme template that renders it.
    pub template: &'static str,
    /// `<title>` and heading.
    pub title: String,
    /// `<meta name="description">`.
    pub description: String,
    /// The navigation entry marked as current.
    pub section: &'static str,
    /// The values the template reads.
    pub context: Context,
    /// Files that belong to the page (its images), beside it in the output.
    pub files: Vec<(String, Artifact)>,
    /// Finished fragments kept out of the minifier.
    pub slots: Slots,
}

impl PageContent {
    /// A page of `template` with its head values and context, without files or slots.
    fn new(
        template: &'static str,
        section: &'static str,
        title: String,
        description: String,
        context: Context,
    ) -> Self {
        PageContent {
            template,
            title,
            description,
            section,
            context,
            files: Vec::new(),
            slots: Slots::default(),
        }
    }

    /// The same page with the fragments held in `slots`.
    fn with_slots(mut self, slots: Slots) -> Self {
        self.slots = slots;
        self
    }
}

/// What a page unit returns: its content, or everything wrong with it.
type Unit = Result<PageContent, Vec<Diagnostic>>;

impl Renderer<'_> {
    /// The content of one planned page, from the unit of its kind.
    pub(super) fn page_content(&self, page: &Page) -> Unit {
        match page.kind {
            PageKind::Home => home::page(self),
            PageKind::NotFound => Ok(not_found::page()),
            PageKind::Round(ci) => round::page(self, ci),
            PageKind::Notice(ci) => notice::page(self, ci),
            PageKind::Attachment(ci, ai) => notice::attachment(self, ci, ai),
            PageKind::Publicity(ci) => publicity::page(self, ci),
            PageKind::Results(ci) => results::page(self, ci),
            PageKind::Case(ci, i) => case::page(self, page, ci, i),
            PageKind::Revocation(ci, ri) => revocation::page(self, ci, ri),
            PageKind::Events => Ok(events::list(self)),
            PageKind::Event(ei) => events::page(self, page, ei),
            PageKind::Announcements => Ok(announcements::page(self)),
            PageKind::Search => Ok(search::page()),
            PageKind::Archive => Ok(archive::page(self)),
        }
    }

    /// The planned address of a page the caller knows to be public. Should
    /// the plan disagree, the link is empty, which the link check reports.
    pub(super) fn url(&self, kind: PageKind) -> String {
        self.plan.url_of(kind).unwrap_or_default().to_owned()
    }

    /// How a revocation is cited wherever the case appears.
    pub(super) fn removal(&self, ci: usize, ri: usize, rev: &Revocation) -> RemovalNotice {
        let c = &self.site.campaigns[ci];
        RemovalNotice {
            title: chinese::revocation_title(
                &c.cases[rev.case].organization.name,
                &c.cases[rev.case].title,
                c.year,
            ),
            number: rev.number.clone(),
            date: chinese::date(rev.date),
            iso_date: rev.date.to_string(),
            url: self.url(PageKind::Revocation(ci, ri)),
            reason: rev.reason_text(),
        }
    }

    /// The final list of round `ci` as published, with its numbering; rows of
    /// cases removed since carry their removal (a marked addition).
    pub(super) fn final_list(&self, ci: usize) -> Vec<CaseRow> {
        let c = &self.site.campaigns[ci];
        c.cases
            .iter()
            .zip(&self.serials[ci])
            .enumerate()
            .filter_map(|(i, (k, serial))| {
                let mut row = CaseRow::new(c, k, (*serial)?, Some(self.url(PageKind::Case(ci, i))));
                row.removed = self
                    .plan
                    .revocation(c, ci, i)
                    .map(|(ri, rev)| self.removal(ci, ri, rev));
                Some(row)
            })
            .collect()
    }

    /// Round `ci` as the home, round and archive pages show it; `all` are
    /// the public documents, newest first.
    pub(super) fn round_view(&self, ci: usize, all: &[Announcement]) -> RoundView {
        let c = &self.site.campaigns[ci];
        let url = self.url(PageKind::Round(ci));
        let docs = of_round(all, &url);
        let next = self.site.campaigns.get(ci + 1);
        let mut round = RoundView::new(
            self.site,
            (c, next),
            self.plan.visible[ci],
            self.plan.now,
            url,
            docs,
        );
        if let (Some(doc), true) = (&c.results, self.plan.has(PageKind::Results(ci))) {
            round.results = self.results_link(ci);
            round.results_date = Some(chinese::date(doc.date));
            round.results_iso_date = Some(doc.date.to_string());
            // Removed: on the list as published, no longer standing on it.
            let listed = c.approved_cases().count();
            let standing = self.plan.standing(c, ci, Case::is_approved).count();
            round.list_count = Some(chinese::list_count(listed, listed - standing));
        }
        round
    }

    /// The open data of round `ci`'s final list, as the results page and
    /// the archive offer it (none before the list is public).
    pub(super) fn list_downloads(&self, ci: usize) -> Vec<Link> {
        let files = [
            (
                "名单表格（.csv，可用电子表格软件打开）",
                FileKind::ResultsCsv(ci),
            ),
            ("名单数据（.json）", FileKind::ResultsJson(ci)),
        ];
        files
            .into_iter()
            .filter_map(|(title, kind)| {
                let url = self.plan.file_url(kind)?;
                Some(Link {
                    title: title.into(),
                    url: url.to_owned(),
                })
            })
            .collect()
    }

    /// The results document of round `ci` as other pages link to it.
    fn results_link(&self, ci: usize) -> Option<LinkedDoc> {
        let r = self.site.campaigns[ci].results.as_ref()?;
        Some(LinkedDoc {
            title: r.title.clone(),
            number: r.number.clone(),
            url: self.url(PageKind::Results(ci)),
        })
    }
}

/// The cases on a public final list and not removed, grouped by their
/// organisation's credit code, oldest round first, so a case page finds the
/// same organisation's other years without walking every round.
pub(super) fn by_organisation(site: &Site, plan: &Plan) -> BTreeMap<String, Vec<(usize, usize)>> {
    let mut map: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (ci, c) in site.campaigns.iter().enumerate() {
        if !plan.has(PageKind::Results(ci)) {
            continue;
        }
        for (i, k) in plan.standing(c, ci, Case::is_approved) {
            map.entry(k.organization.credit_code.as_str().to_owned())
                .or_default()
                .push((ci, i));
        }
    }
    map
}

/// A page the plan holds although its record is absent: a bug, reported
/// rather than skipped so that a build never silently loses a page.
fn planned_without(dir: &Path, what: &str) -> Diagnostic {
    Diagnostic::new(
        dir.join("campaign.yaml"),
        format!("内部错误：要生成{what}页面，却找不到对应的记录"),
    )
    .help("这是 biaogan 的程序错误，请连同内容文件夹一起报告")
}

/// Markdown of a record without images of its own.
fn md(src: &Source) -> Result<Html, Vec<Diagnostic>> {
    markdown::render(src, &markdown::Images::None)
}

/// [`md`], its HTML held back in `slots` (see [`Slots`]) so that its links
/// keep the file, line and column they were written at for the link check.
/// Returns the marker for the template, and the document.
fn md_held(src: &Source, slots: &mut Slots) -> Result<(String, Html), Vec<Diagnostic>> {
    let mut doc = md(src)?;
    let marker = slots.hold(std::mem::take(&mut doc.html), doc.links.take());
    Ok((marker, doc))
}

/// The announcements that belong to the round at `round_url` (`/2024/`).
fn of_round(all: &[Announcement], round_url: &str) -> Vec<Announcement> {
    all.iter()
        .filter(|a| a.url.starts_with(round_url))
        .cloned()
        .collect()
}

/// The timeline of a round with its caption, as the round and notice pages show it.
fn insert_timeline(ctx: &mut Context, c: &Campaign, rows: &[TimelineRow]) {
    ctx.insert("timeline", rows);
    ctx.insert("timeline_actual", &rows.iter().any(|r| r.actual.is_some()));
    ctx.insert("timeline_caption", &format!("{}年遴选工作时间安排", c.year));
}

/// The timeline as the notice plans it.
fn timeline_rows(c: &Campaign) -> Vec<TimelineRow> {
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
            actual: None,
        })
        .collect()
}
