//! Plan: which pages and files exist at "now", at which addresses.
//!
//! The plan is the single place that decides what is public and where it
//! lives: rendering, the sitemap, every list, the writer and the preview
//! server take URLs and output paths from it, so a document that is not yet
//! public cannot leak through any of them, and no address is spelt twice.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::model::phase::{Phase, Visibility};
use crate::model::site::{AttachmentKind, Campaign, Case, Event, EventNow, Revocation, Site};
use crate::urls::path_of;

/// What a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PageKind {
    /// `/`.
    Home,
    /// `/<year>/`: campaign index into `site.campaigns`.
    Round(usize),
    /// `/<year>/notice/`.
    Notice(usize),
    /// `/<year>/notice/<slug>/`: campaign, attachment index.
    Attachment(usize, usize),
    /// `/<year>/publicity/`.
    Publicity(usize),
    /// `/<year>/results/`.
    Results(usize),
    /// `/<year>/cases/<id>/`: campaign, case index.
    Case(usize, usize),
    /// `/<year>/revocations/<id>/`: campaign, revocation index.
    Revocation(usize, usize),
    /// `/events/`.
    Events,
    /// `/events/<id>/`: index into `site.events`.
    Event(usize),
    /// `/announcements/`: every public document, newest first.
    Announcements,
    /// `/archive/`: every round's final list (历年名单).
    Archive,
    /// `/404.html`.
    NotFound,
    /// `/search/`: full-text search, run in the browser.
    Search,
}

/// A file that is not an HTML page but has an address of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// `/<year>/notice/<slug>`: campaign, attachment index; copied as is.
    Attachment(usize, usize),
    /// `/<year>/results.json`: the final list as open data.
    ResultsJson(usize),
    /// `/<year>/results.csv`: the same as CSV.
    ResultsCsv(usize),
    /// `/events/<id>.ics`: one event as iCalendar; index into `site.events`.
    EventCalendar(usize),
}

/// One HTML page of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Site-relative URL: `/2024/notice/` (directories end in `/`).
    pub url: String,
    /// Output-relative file: `2024/notice/index.html`.
    pub path: String,
    /// What it shows.
    pub kind: PageKind,
}

/// A planned file that is not a page: a download or open data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Site-relative URL.
    pub url: String,
    /// Output-relative file.
    pub path: String,
    /// What it holds.
    pub kind: FileKind,
}

/// Everything public at one moment.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The moment the plan is for (site time zone).
    pub now: NaiveDateTime,
    /// Whether unpublished documents are included (preview).
    pub drafts: bool,
    /// Pages, in URL order.
    pub pages: Vec<Page>,
    /// Files that are not pages, in URL order.
    pub files: Vec<File>,
    /// Visibility per campaign (same index as `site.campaigns`).
    pub visible: Vec<Visibility>,
    /// Position in `pages` of each kind.
    page_index: BTreeMap<PageKind, usize>,
    /// Position in `files` of each kind.
    file_index: BTreeMap<FileKind, usize>,
}

impl Plan {
    /// Event `e` as public at this moment; with drafts, every change (as
    /// everything else dated ahead is shown in a drafts preview).
    pub fn event<'a>(&self, e: &'a Event) -> EventNow<'a> {
        e.at(if self.drafts {
            NaiveDateTime::MAX
        } else {
            self.now
        })
    }

    /// The rounds the home page shows in full and the navigation leads to,
    /// newest first: the newest announced round, and the one before it while it
    /// is still under way (its final list due after the newer notice). Only the
    /// one before, and only within the newer round's year: a round whose list
    /// never comes does not stay for good.
    pub fn current_rounds(&self, site: &Site) -> Vec<usize> {
        let announced = (0..site.campaigns.len())
            .rev()
            .filter(|&ci| self.visible[ci].notice);
        let mut rounds: Vec<usize> = announced.take(2).collect();
        if let [newest, previous] = rounds[..] {
            let newer = &site.campaigns[newest];
            let over = Phase::finished(&site.campaigns[previous], Some(newer), self.now);
            if over || chrono::Datelike::year(&self.now) > newer.year {
                rounds.pop();
            }
        }
        rounds
    }

    /// Whether a page of this kind is in the plan.
    pub fn has(&self, kind: PageKind) -> bool {
        self.page_index.contains_key(&kind)
    }

    /// The planned page of this kind, if it is public.
    pub fn page(&self, kind: PageKind) -> Option<&Page> {
        self.page_index.get(&kind).map(|&i| &self.pages[i])
    }

    /// The address of the page of this kind, if it is public.
    pub fn url_of(&self, kind: PageKind) -> Option<&str> {
        self.page(kind).map(|p| p.url.as_str())
    }

    /// The address of the file of this kind, if it is public.
    pub fn file_url(&self, kind: FileKind) -> Option<&str> {
        self.file_index
            .get(&kind)
            .map(|&i| self.files[i].url.as_str())
    }

    /// The revocation in force for case `case` of round `c` (index `ci`)
    /// with its index in `c.revocations`: one whose announcement is public.
    pub fn revocation<'s>(
        &self,
        c: &'s Campaign,
        ci: usize,
        case: usize,
    ) -> Option<(usize, &'s Revocation)> {
        let ri = c.revocations.iter().position(|r| r.case == case)?;
        self.has(PageKind::Revocation(ci, ri))
            .then(|| (ri, &c.revocations[ri]))
    }

    /// The cases of round `c` (index `ci`) that `listed` puts on a list
    /// (publicity or final) and whose removal is not public, with their
    /// indices: those a list still stands for. A removed case is found
    /// through its removal announcement, and links to it end there.
    pub fn standing<'a>(
        &'a self,
        c: &'a Campaign,
        ci: usize,
        listed: fn(&Case) -> bool,
    ) -> impl Iterator<Item = (usize, &'a Case)> + 'a {
        c.cases
            .iter()
            .enumerate()
            .filter(move |&(i, k)| listed(k) && self.revocation(c, ci, i).is_none())
    }
}

/// Decides the pages of `site` at `now`.
pub fn plan(site: &Site, now: NaiveDateTime, drafts: bool) -> Plan {
    let mut pages = Vec::new();
    let mut files = Vec::new();
    let mut page = |url: String, kind| {
        pages.push(Page {
            path: path_of(&url),
            url,
            kind,
        })
    };
    let mut file = |url: String, kind| {
        files.push(File {
            path: path_of(&url),
            url,
            kind,
        })
    };
    page("/".into(), PageKind::Home);
    page("/404.html".into(), PageKind::NotFound);
    page("/announcements/".into(), PageKind::Announcements);
    page("/archive/".into(), PageKind::Archive);
    page("/events/".into(), PageKind::Events);
    page("/search/".into(), PageKind::Search);
    let mut visible = Vec::new();
    for (ci, c) in site.campaigns.iter().enumerate() {
        let v = Visibility::of(c, now, drafts);
        visible.push(v);
        if !v.notice {
            continue;
        }
        let y = c.year;
        page(format!("/{y}/"), PageKind::Round(ci));
        page(format!("/{y}/notice/"), PageKind::Notice(ci));
        for (ai, a) in c.notice.attachments.iter().enumerate() {
            match &a.kind {
                AttachmentKind::Page(_) => page(
                    format!("/{y}/notice/{}/", a.slug),
                    PageKind::Attachment(ci, ai),
                ),
                AttachmentKind::File { .. } => file(
                    format!("/{y}/notice/{}", a.slug),
                    FileKind::Attachment(ci, ai),
                ),
            }
        }
        if v.publicity {
            page(format!("/{y}/publicity/"), PageKind::Publicity(ci));
        }
        if v.results {
            page(format!("/{y}/results/"), PageKind::Results(ci));
            file(format!("/{y}/results.json"), FileKind::ResultsJson(ci));
            file(format!("/{y}/results.csv"), FileKind::ResultsCsv(ci));
            // A revoked case keeps its address: the page then points to the announcement.
            for (i, case) in c.cases.iter().enumerate() {
                if case.is_approved() {
                    page(format!("/{y}/cases/{}/", case.id), PageKind::Case(ci, i));
                }
            }
            for (ri, r) in c.revocations.iter().enumerate() {
                if drafts || r.is_public(now) {
                    page(
                        format!("/{y}/revocations/{}/", r.id),
                        PageKind::Revocation(ci, ri),
                    );
                }
            }
        }
    }
    for (ei, e) in site.events.iter().enumerate() {
        if drafts || e.is_announced(now) {
            page(format!("/events/{}/", e.id), PageKind::Event(ei));
            file(format!("/events/{}.ics", e.id), FileKind::EventCalendar(ei));
        }
    }
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    files.sort_by(|a, b| a.url.cmp(&b.url));
    Plan {
        now,
        drafts,
        page_index: pages.iter().enumerate().map(|(i, p)| (p.kind, i)).collect(),
        file_index: files.iter().enumerate().map(|(i, f)| (f.kind, i)).collect(),
        pages,
        files,
        visible,
    }
}
