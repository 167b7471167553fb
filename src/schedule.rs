//! The publication schedule: every moment at which the built site changes.
//!
//! A build depends on "now" only through a few rules (which documents are
//! public, a round's phase, the publicity countdown, whether an event is over).
//! [`State`] captures exactly what those rules decide, so the site is
//! byte-identical wherever the state is equal, and the schedule is the list
//! of moments at which the state changes, each described from the difference.

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono_tz::Tz;
use rayon::prelude::*;
use serde::Serialize;

use std::collections::BTreeSet;

use crate::model::phase::Phase;
use crate::model::publicity::PublicityStatus;
use crate::model::records::EventStatus;
use crate::model::site::Site;
use crate::plan::{self, FileKind, PageKind};

/// A moment at which the built site changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment {
    /// Local time in the site's time zone.
    pub at: NaiveDateTime,
    /// What changes, in Chinese, one entry per change.
    pub changes: Vec<String>,
}

/// A moment for machines: `{"at": "2024-09-25T00:00:00+08:00", "changes": [...]}`.
#[derive(Debug, Clone, Serialize)]
pub struct MomentJson {
    /// RFC 3339 with the site's offset.
    pub at: String,
    /// What changes.
    pub changes: Vec<String>,
}

/// The time-dependent part of a build of one round, beyond its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RoundState {
    phase: Phase,
    /// Publicity status text, while the publicity list is public.
    status: Option<String>,
    /// Labelled 已结束 ([`Phase::finished`]).
    finished: bool,
}

/// Everything a build decides from "now"; equal states give identical sites.
///
/// What is public is taken from the plan itself, so this module restates no
/// publication rule: a rule added to the plan changes the state, and the
/// exactness test would catch a rule added anywhere else.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    pages: BTreeSet<PageKind>,
    files: BTreeSet<FileKind>,
    rounds: Vec<RoundState>,
    /// Per event: not yet over ([`Event::is_over`](crate::model::site::Event::is_over)).
    upcoming: Vec<bool>,
    /// Per event: how many of its changes are public, and its status.
    changes: Vec<(usize, EventStatus)>,
    /// The rounds the home page shows in full and the navigation leads to
    /// ([`Plan::current_rounds`](crate::plan::Plan::current_rounds)).
    current: Vec<usize>,
}

impl State {
    fn has(&self, kind: PageKind) -> bool {
        self.pages.contains(&kind)
    }
}

fn state(site: &Site, now: NaiveDateTime) -> State {
    let plan = plan::plan(site, now, false);
    let rounds = site
        .campaigns
        .iter()
        .enumerate()
        .map(|(ci, c)| RoundState {
            phase: Phase::of(c, now),
            status: match &c.publicity {
                Some(p) if plan.has(PageKind::Publicity(ci)) => {
                    PublicityStatus::at(p, &site.calendar, now)
                        .ok()
                        .map(|s| s.label())
                }
                _ => None,
            },
            finished: Phase::finished(c, site.campaigns.get(ci + 1), now),
        })
        .collect();
    State {
        current: plan.current_rounds(site),
        pages: plan.pages.iter().map(|p| p.kind).collect(),
        files: plan.files.iter().map(|f| f.kind).collect(),
        rounds,
        upcoming: site.events.iter().map(|e| !e.is_over(now)).collect(),
        changes: site
            .events
            .iter()
            .map(|e| plan.event(e))
            .map(|e| (e.changes.len(), e.status))
            .collect(),
    }
}

/// Every moment at which some rule of the build can flip, unsorted.
fn candidates(site: &Site) -> Vec<NaiveDateTime> {
    let midnight = |d: chrono::NaiveDate| d.and_time(NaiveTime::MIN);
    let mut v = Vec::new();
    for c in &site.campaigns {
        v.push(midnight(c.notice.date));
        v.push(c.application.deadline);
        if let Some(p) = &c.publicity {
            // The countdown can change at each midnight of the period.
            let mut d = p.start;
            while d <= p.end.date() {
                v.push(midnight(d));
                let Some(next) = d.succ_opt() else { break };
                d = next;
            }
            v.push(p.closes_at());
        }
        if let Some(r) = &c.results {
            v.push(midnight(r.date));
        }
        v.extend(c.revocations.iter().map(|r| midnight(r.date)));
        // A round with published results is 已结束 from the new year on.
        if let Some(jan1) = chrono::NaiveDate::from_ymd_opt(c.year + 1, 1, 1) {
            v.push(midnight(jan1));
        }
    }
    for e in &site.events {
        v.push(midnight(e.announced));
        v.push(e.end);
        v.extend(e.changes.iter().map(|c| midnight(c.date)));
    }
    v
}

/// All moments of the site's history and future, oldest first.
pub fn moments(site: &Site) -> Vec<Moment> {
    let mut times = candidates(site);
    times.sort();
    times.dedup();
    let Some(first) = times.first() else {
        return Vec::new();
    };
    let mut before = state(site, *first - Duration::days(1));
    // Each state is a plan of the whole site: at 5,000 cases some 80 ms for
    // sixty of them on one thread, at the end of every build (the moment
    // marker). They are independent of each other.
    let states: Vec<State> = times.par_iter().map(|&at| state(site, at)).collect();
    let mut out = Vec::new();
    for (at, now) in times.into_iter().zip(states) {
        if now != before {
            out.push(Moment {
                at,
                changes: describe(site, &before, &now),
            });
            before = now;
        }
    }
    out
}

/// The moments after `now`, up to and including `until` when given.
pub fn upcoming(site: &Site, now: NaiveDateTime, until: Option<NaiveDateTime>) -> Vec<Moment> {
    moments(site)
        .into_iter()
        .filter(|m| m.at > now && until.is_none_or(|u| m.at <= u))
        .collect()
}

/// The moment the site built at `now` represents: the latest moment not after
/// `now`. It changes only at moments, so it can be published without breaking
/// byte-identical builds between them.
pub fn current(site: &Site, now: NaiveDateTime) -> Option<NaiveDateTime> {
    moments(site)
        .into_iter()
        .take_while(|m| m.at <= now)
        .last()
        .map(|m| m.at)
}

/// A local time of the site as an absolute time with its offset.
pub fn zoned(tz: Tz, at: NaiveDateTime) -> DateTime<FixedOffset> {
    match tz.from_local_datetime(&at).earliest() {
        Some(t) => t.fixed_offset(),
        // A local time skipped by a clock change: read it with the offset before the gap.
        None => {
            let offset = tz
                .offset_from_utc_datetime(&(at - Duration::hours(3)))
                .fix();
            offset.from_utc_datetime(&(at - offset))
        }
    }
}

/// The schedule as JSON documents.
pub fn to_json(site: &Site, moments: &[Moment]) -> Vec<MomentJson> {
    moments
        .iter()
        .map(|m| MomentJson {
            at: zoned(site.tz, m.at).to_rfc3339(),
            changes: m.changes.clone(),
        })
        .collect()
}

/// One line per moment: `2024年9月25日 00:00　公示开始：/2024/publicity/ 上线；…`.
pub fn to_text(site: &Site, moments: &[Moment]) -> String {
    moments
        .iter()
        .map(|m| {
            format!(
                "{}　{}\n",
                crate::diagnostics::chinese_moment(zoned(site.tz, m.at)),
                m.changes.join("；")
            )
        })
        .collect()
}

fn describe(site: &Site, a: &State, b: &State) -> Vec<String> {
    let mut out = Vec::new();
    for (ci, ((c, x), y)) in site
        .campaigns
        .iter()
        .zip(&a.rounds)
        .zip(&b.rounds)
        .enumerate()
    {
        let year = c.year;
        let appears = |kind| !a.has(kind) && b.has(kind);
        if appears(PageKind::Notice(ci)) {
            out.push(format!("{year}年遴选通知发布：/{year}/notice/ 上线"));
        } else if x.phase == Phase::Applying && y.phase == Phase::Reviewing {
            out.push(format!("申报截止：/{year}/ 阶段改为“评审中”"));
        }
        if appears(PageKind::Publicity(ci)) {
            out.push(format!("公示开始：/{year}/publicity/ 上线"));
        } else if x.status != y.status {
            match &y.status {
                Some(s) if y.phase == Phase::AwaitingResults => out.push(format!(
                    "公示结束，停止受理异议：/{year}/publicity/ 显示“{s}”"
                )),
                Some(s) => out.push(format!("公示状态更新：{s}")),
                None => {}
            }
        }
        if appears(PageKind::Results(ci)) {
            out.push(format!("结果公布：/{year}/results/ 上线"));
        }
        if !x.finished && y.finished {
            out.push(format!("{year}年遴选结束：/{year}/ 标为“已结束”"));
        }
        for (ri, r) in c.revocations.iter().enumerate() {
            if appears(PageKind::Revocation(ci, ri)) {
                out.push(format!(
                    "移除公告：/{year}/revocations/{}/ 上线，{} 移出名单",
                    r.id, c.cases[r.case].id
                ));
            }
        }
    }
    // A round that was under way beside the newest one leaving the home
    // page's rounds in full and the navigation (joining needs no line: it
    // comes with the newer notice, which has its own).
    for &ci in a.current.iter().filter(|ci| !b.current.contains(ci)) {
        let year = site.campaigns[ci].year;
        out.push(format!("{year}年遴选移出首页的当前遴选和导航"));
    }
    for (ei, e) in site.events.iter().enumerate() {
        let shown = b.has(PageKind::Event(ei));
        if !a.has(PageKind::Event(ei)) && shown {
            out.push(format!("活动发布：/events/{}/ 上线", e.id));
        }
        // How many changes were public before and are now.
        let (before, (after, status)) = (a.changes[ei].0, b.changes[ei]);
        if shown && after != before {
            // Two changes may fall on one day.
            let which = match after - before {
                1 => format!("第{after}次变更"),
                _ => format!("第{}至{after}次变更", before + 1),
            };
            out.push(format!(
                "活动变更：/events/{}/ 公布{which}，显示“{}”",
                e.id,
                status.label()
            ));
        }
        if shown && a.upcoming[ei] && !b.upcoming[ei] {
            out.push(format!("活动结束：/events/{}/ 移入往期活动", e.id));
        }
    }
    if out.is_empty() {
        // Every state change is named above; this keeps the list honest if a rule is added.
        out.push("页面更新".into());
    }
    out
}
