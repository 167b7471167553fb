//! Where a selection round stands at "now", and which of its documents are public.

use chrono::{Datelike, NaiveDateTime};

use super::site::Campaign;

/// The phase of a round at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// The notice is not yet published: nothing of the round is public.
    Unannounced,
    /// Applications are open.
    Applying,
    /// Applications closed; eligibility, material and defence reviews.
    Reviewing,
    /// The recommended list is under publicity.
    Publicity,
    /// Publicity over, results not yet announced.
    AwaitingResults,
    /// The final list is published.
    Published,
}

impl Phase {
    /// The phase of `c` at `now`.
    pub fn of(c: &Campaign, now: NaiveDateTime) -> Phase {
        let today = now.date();
        if today < c.notice.date {
            return Phase::Unannounced;
        }
        if let Some(r) = &c.results {
            if today >= r.date {
                return Phase::Published;
            }
        }
        if let Some(p) = &c.publicity {
            if today >= p.start {
                return if now < p.closes_at() {
                    Phase::Publicity
                } else {
                    Phase::AwaitingResults
                };
            }
        }
        if now < c.application.deadline {
            Phase::Applying
        } else {
            Phase::Reviewing
        }
    }

    /// Whether round `c` is over at `now` (已结束): its final list is
    /// published and either a newer round (`next`, the following one) has
    /// published its notice or the round's calendar year has ended.
    pub fn finished(c: &Campaign, next: Option<&Campaign>, now: NaiveDateTime) -> bool {
        Phase::of(c, now) == Phase::Published
            && (now.year() > c.year || next.is_some_and(|n| now.date() >= n.notice.date))
    }

    /// The phase in Chinese, as the status line on pages shows it.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Unannounced => "尚未发布",
            Phase::Applying => "申报中",
            Phase::Reviewing => "评审中",
            Phase::Publicity => "公示中",
            Phase::AwaitingResults => "公示结束，待公布结果",
            Phase::Published => "结果已公布",
        }
    }

    /// Short machine name, for CSS classes (`phase-<key>`).
    pub fn key(self) -> &'static str {
        match self {
            Phase::Unannounced => "unannounced",
            Phase::Applying => "applying",
            Phase::Reviewing => "reviewing",
            Phase::Publicity => "publicity",
            Phase::AwaitingResults => "awaiting-results",
            Phase::Published => "published",
        }
    }
}

/// Which documents of a round are public at a moment (content model: "Dates decide what is public").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visibility {
    /// The notice and its attachments.
    pub notice: bool,
    /// The publicity list.
    pub publicity: bool,
    /// The final list and the case summaries.
    pub results: bool,
}

impl Visibility {
    /// What of `c` is public at `now`; `drafts` shows everything that exists.
    pub fn of(c: &Campaign, now: NaiveDateTime, drafts: bool) -> Visibility {
        let today = now.date();
        Visibility {
            notice: drafts || today >= c.notice.date,
            publicity: c
                .publicity
                .as_ref()
                .is_some_and(|p| drafts || today >= p.start),
            results: c
                .results
                .as_ref()
                .is_some_and(|r| drafts || today >= r.date),
        }
    }
}
