//! Plan: which pages exist at "now", at which addresses.
//!
//! The plan is the single place that decides what is public; rendering, the
//! sitemap and every list take their links from it, so a document that is not
//! yet public cannot leak through any of them.

use chrono::NaiveDateTime;

use crate::model::phase::Visibility;
use crate::model::site::{AttachmentKind, Campaign, Event, Revocation, Site};

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
    /// `/404.html`.
    NotFound,
    /// `/search/`: full-text search, run in the browser.
    Search,
}

/// One HTML page of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Site-relative URL: `/2024/notice/` (directories end in `/`).
    pub url: String,
    /// What it shows.
    pub kind: PageKind,
}

/// A file published as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// Site-relative URL.
    pub url: String,
    /// The file on disk.
    pub from: std::path::PathBuf,
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
    /// Downloads, in URL order.
    pub downloads: Vec<Download>,
    /// Visibility per campaign (same index as `site.campaigns`).
    pub visible: Vec<Visibility>,
}

impl Plan {
    /// Whether a page of this kind is in the plan.
    pub fn has(&self, kind: PageKind) -> bool {
        self.pages.iter().any(|p| p.kind == kind)
    }

    /// Whether a document dated `date` is public.
    pub fn is_public(&self, date: chrono::NaiveDate) -> bool {
        self.drafts || date <= self.now.date()
    }

    /// The revocation of a case, if it is public (and so in force).
    pub fn revocation<'s>(
        &self,
        c: &'s Campaign,
        ci: usize,
        case: usize,
    ) -> Option<&'s Revocation> {
        if !self.visible.get(ci).is_some_and(|v| v.results) {
            return None;
        }
        c.revocation_of(case).filter(|r| self.is_public(r.date))
    }

    /// Whether an event is announced.
    pub fn event_visible(&self, e: &Event) -> bool {
        self.is_public(e.announced)
    }
}

/// Decides the pages of `site` at `now`.
pub fn plan(site: &Site, now: NaiveDateTime, drafts: bool) -> Plan {
    let mut pages = vec![
        Page {
            url: "/".into(),
            kind: PageKind::Home,
        },
        Page {
            url: "/404.html".into(),
            kind: PageKind::NotFound,
        },
        Page {
            url: "/announcements/".into(),
            kind: PageKind::Announcements,
        },
        Page {
            url: "/events/".into(),
            kind: PageKind::Events,
        },
        Page {
            url: "/search/".into(),
            kind: PageKind::Search,
        },
    ];
    let mut downloads = Vec::new();
    let mut visible = Vec::new();
    for (ci, c) in site.campaigns.iter().enumerate() {
        let v = Visibility::of(c, now, drafts);
        visible.push(v);
        if !v.notice {
            continue;
        }
        let y = c.year;
        pages.push(Page {
            url: format!("/{y}/"),
            kind: PageKind::Round(ci),
        });
        pages.push(Page {
            url: format!("/{y}/notice/"),
            kind: PageKind::Notice(ci),
        });
        for (ai, a) in c.notice.attachments.iter().enumerate() {
            match &a.kind {
                AttachmentKind::Page(_) => pages.push(Page {
                    url: format!("/{y}/notice/{}/", a.slug),
                    kind: PageKind::Attachment(ci, ai),
                }),
                AttachmentKind::File { path, .. } => downloads.push(Download {
                    url: format!("/{y}/notice/{}", a.slug),
                    from: path.clone(),
                }),
            }
        }
        if v.publicity {
            pages.push(Page {
                url: format!("/{y}/publicity/"),
                kind: PageKind::Publicity(ci),
            });
        }
        if v.results {
            pages.push(Page {
                url: format!("/{y}/results/"),
                kind: PageKind::Results(ci),
            });
            // A revoked case keeps its address: the page then points to the announcement.
            for (i, case) in c.cases.iter().enumerate() {
                if case.is_approved() {
                    pages.push(Page {
                        url: format!("/{y}/cases/{}/", case.id),
                        kind: PageKind::Case(ci, i),
                    });
                }
            }
            for (ri, r) in c.revocations.iter().enumerate() {
                if drafts || r.date <= now.date() {
                    pages.push(Page {
                        url: format!("/{y}/revocations/{}/", r.id),
                        kind: PageKind::Revocation(ci, ri),
                    });
                }
            }
        }
    }
    for (ei, e) in site.events.iter().enumerate() {
        if drafts || e.announced <= now.date() {
            pages.push(Page {
                url: format!("/events/{}/", e.id),
                kind: PageKind::Event(ei),
            });
        }
    }
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    downloads.sort_by(|a, b| a.url.cmp(&b.url));
    Plan {
        now,
        drafts,
        pages,
        downloads,
        visible,
    }
}
