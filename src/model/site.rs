//! The validated site: every record typed, cross-checked and sorted.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;

use super::base_url::BaseUrl;
use super::holidays::{Calendar, WorkingDay};
use super::records::{
    Application, EventKind, EventStatus, FocusArea, IncidentDomain, Organization, Registration,
    ResultsRecord, RevocationReason, SiteRecord, TimelineEntry,
};
use super::stage::{Outcome, Stage};
use crate::diagnostics::Diagnostics;

/// A text file of the content folder, kept with its name for error messages.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path as shown to the user.
    pub file: PathBuf,
    /// Full text.
    pub text: String,
    /// Where the text starts in `file` (line, column) when it is held in a
    /// YAML value; `None` for a Markdown file, whose own lines are used.
    pub at: Option<(usize, usize)>,
}

/// Everything biaogan knows about a site, independent of "now".
#[derive(Debug, Clone)]
pub struct Site {
    /// The content folder.
    pub root: PathBuf,
    /// site.yaml.
    pub config: SiteRecord,
    /// site.yaml's `base_url`, checked.
    pub base_url: BaseUrl,
    /// Parsed time zone of the site.
    pub tz: Tz,
    /// holidays.yaml.
    pub calendar: Calendar,
    /// Selection rounds, oldest first.
    pub campaigns: Vec<Campaign>,
    /// Exchange events, by start time then id.
    pub events: Vec<Event>,
    /// Problems that do not stop the build (they do under `--strict`).
    pub warnings: Diagnostics,
}

/// One selection round.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// Year of the round.
    pub year: i32,
    /// campaigns/<year>/.
    pub dir: PathBuf,
    /// The call for applications.
    pub notice: Notice,
    /// 重点领域.
    pub focus_areas: Vec<FocusArea>,
    /// 领域.
    pub fields: Vec<String>,
    /// 时间安排.
    pub timeline: Vec<TimelineEntry>,
    /// How to apply.
    pub application: Application,
    /// The publicity period, once decided.
    pub publicity: Option<Publicity>,
    /// The results announcement, once decided.
    pub results: Option<ResultsRecord>,
    /// All cases, in list order (`order`, then id).
    pub cases: Vec<Case>,
    /// Removals from the list, by date then id.
    pub revocations: Vec<Revocation>,
}

impl Campaign {
    /// Title of a focus area by id.
    pub fn focus_title<'a>(&'a self, id: &'a str) -> &'a str {
        self.focus_areas
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.title.as_str())
            .unwrap_or(id)
    }

    /// Cases on the publicity list (推荐名单).
    pub fn publicised_cases(&self) -> impl Iterator<Item = &Case> {
        self.cases.iter().filter(|c| c.is_publicised())
    }

    /// Cases on the final list as published (revoked ones included).
    pub fn approved_cases(&self) -> impl Iterator<Item = &Case> {
        self.cases.iter().filter(|c| c.is_approved())
    }

    /// Each case's 序号 on the final list as published, `None` for cases not
    /// on it. The list is a dated document: a later removal marks a row but
    /// never renumbers it, so every page and file takes its numbers from here.
    pub fn list_serials(&self) -> Vec<Option<usize>> {
        let mut n = 0;
        self.cases
            .iter()
            .map(|k| {
                k.is_approved().then(|| {
                    n += 1;
                    n
                })
            })
            .collect()
    }

    /// The revocation of case `case` (index into `cases`), if one exists.
    pub fn revocation_of(&self, case: usize) -> Option<&Revocation> {
        self.revocations.iter().find(|r| r.case == case)
    }

    /// Position in `cases` of the case with id `id`, if the round has it.
    pub fn case_index(&self, id: &str) -> Option<usize> {
        self.cases.iter().position(|c| c.id == id)
    }
}

/// The notice (通知).
#[derive(Debug, Clone)]
pub struct Notice {
    /// 文号.
    pub number: String,
    /// 标题.
    pub title: String,
    /// 成文日期: also its publication date.
    pub date: NaiveDate,
    /// 主送机关.
    pub addressee: String,
    /// Markdown body.
    pub body: Source,
    /// 附件, in the notice's order.
    pub attachments: Vec<Attachment>,
}

/// An attachment of the notice.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Title as listed.
    pub title: String,
    /// URL segment: the stem of a Markdown file, the file name of others.
    pub slug: String,
    /// Page or download.
    pub kind: AttachmentKind,
    /// Listed in the notice's 附件说明 (`attachments:`), or only offered
    /// under 资料下载 (`downloads:`).
    pub annexed: bool,
}

/// What an attachment is.
#[derive(Debug, Clone)]
pub enum AttachmentKind {
    /// A Markdown document rendered as a page.
    Page(Source),
    /// A file published as is.
    File {
        /// Where it is on disk.
        path: PathBuf,
        /// Its bytes, read once when loading: exactly these are published.
        bytes: std::sync::Arc<[u8]>,
    },
}

/// The publicity period with its computed end.
#[derive(Debug, Clone)]
pub struct Publicity {
    /// Document number.
    pub number: Option<String>,
    /// Title.
    pub title: String,
    /// First day (publication date of the list).
    pub start: NaiveDate,
    /// Last working day.
    pub end: WorkingDay,
    /// Length in working days.
    pub working_days: u32,
    /// Objections accepted until this time on the last day.
    pub until_time: NaiveTime,
    /// Markdown objection instructions.
    pub instructions: Source,
}

impl Publicity {
    /// The moment objections close.
    pub fn closes_at(&self) -> NaiveDateTime {
        self.end.date().and_time(self.until_time)
    }
}

/// One application (one case record).
#[derive(Debug, Clone)]
pub struct Case {
    /// File stem, unique within the round.
    pub id: String,
    /// Its record (`cases/<id>.yaml`), for messages about it.
    pub file: PathBuf,
    /// The applicant.
    pub organization: Organization,
    /// 领域.
    pub field: String,
    /// Focus area id (validated against the campaign).
    pub focus_area: String,
    /// 典型经验名称.
    pub title: String,
    /// Method tags.
    pub methods: Vec<String>,
    /// The experience summary, when there is one.
    pub summary: Option<Source>,
    /// Folder of the summary's images (cases/<id>/).
    pub assets_dir: PathBuf,
    /// Sort key on lists.
    pub order: i64,
    /// Procedure stage.
    pub stage: Stage,
    /// Objection outcome, if one was raised.
    pub objection: Option<Outcome>,
}

impl Case {
    /// On the publicity list (第十八条).
    pub fn is_publicised(&self) -> bool {
        self.stage.is_publicised()
    }

    /// On the final list: approved with no upheld objection.
    pub fn is_approved(&self) -> bool {
        self.stage == Stage::Approved && self.objection != Some(Outcome::Upheld)
    }
}

/// A removal from the list (移除公告).
#[derive(Debug, Clone)]
pub struct Revocation {
    /// File stem: the URL segment.
    pub id: String,
    /// Index of the revoked case in the campaign's `cases`.
    pub case: usize,
    /// Document number.
    pub number: String,
    /// Publication date; from this day the case leaves the list.
    pub date: NaiveDate,
    /// Grounds.
    pub reason: RevocationReason,
    /// Domain of a major incident.
    pub domain: Option<IncidentDomain>,
    /// Day of a major incident: within three years before `date`.
    pub incident_date: Option<NaiveDate>,
    /// Optional Markdown body: when present, the announcement's whole text.
    pub body: Option<Source>,
}

impl Revocation {
    /// Whether the announcement is public at `now`: from its date, when the
    /// case leaves the list.
    pub fn is_public(&self, now: NaiveDateTime) -> bool {
        self.date <= now.date()
    }

    /// The grounds in the words of 第二十一条.
    pub fn reason_text(&self) -> String {
        match (self.reason, self.domain) {
            (RevocationReason::Falsification, _) => "申报材料弄虚作假".into(),
            (RevocationReason::MajorIncident, Some(d)) => {
                format!("三年内在{}方面发生重大责任事故", d.label())
            }
            (RevocationReason::MajorIncident, None) => "三年内发生重大责任事故".into(),
        }
    }
}

/// An exchange event.
#[derive(Debug, Clone)]
pub struct Event {
    /// File stem: the URL segment and the iCalendar UID.
    pub id: String,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: EventKind,
    /// Local start.
    pub start: NaiveDateTime,
    /// Local end.
    pub end: NaiveDateTime,
    /// City.
    pub city: String,
    /// Venue.
    pub venue: String,
    /// Host cases as (campaign index, case index).
    pub hosts: Vec<(usize, usize)>,
    /// Registration details.
    pub registration: Option<Registration>,
    /// Date it becomes public.
    pub announced: NaiveDate,
    /// Markdown description.
    pub body: Option<Source>,
    /// Changes after announcement, oldest first; the status after the last
    /// is the event's. What is public at a moment is [`Event::at`].
    pub changes: Vec<Change>,
}

/// One change of an event, with the status the event has from it on:
/// worked out once at load from the records (a change's own `status`, else
/// the one before it; the last one takes the event's `status`).
#[derive(Debug, Clone)]
pub struct Change {
    /// When the change was announced (public from this day).
    pub date: NaiveDate,
    /// What changed.
    pub note: String,
    /// The event's status from this change on.
    pub status: EventStatus,
}

/// An event's status and changes as public at a moment ([`Event::at`]).
#[derive(Debug, Clone, Copy)]
pub struct EventNow<'a> {
    /// Status.
    pub status: EventStatus,
    /// The public changes, oldest first; their number is the iCalendar SEQUENCE.
    pub changes: &'a [Change],
    /// The last time the event was announced or changed.
    pub updated: NaiveDate,
}

impl Event {
    /// The event as public at `now`: each change from its date on (a
    /// change entered ahead of its date is not shown before it), with the
    /// status the last public one set (scheduled before any).
    pub fn at(&self, now: NaiveDateTime) -> EventNow<'_> {
        let public = self.changes.partition_point(|c| c.date <= now.date());
        let changes = &self.changes[..public];
        EventNow {
            status: changes.last().map_or(EventStatus::Scheduled, |c| c.status),
            changes,
            updated: changes.last().map_or(self.announced, |c| c.date),
        }
    }

    /// Whether the event is public at `now`: from the day it is announced.
    pub fn is_announced(&self, now: NaiveDateTime) -> bool {
        self.announced <= now.date()
    }

    /// Whether the event has ended at `now` (it then moves to 往期活动).
    pub fn is_over(&self, now: NaiveDateTime) -> bool {
        now >= self.end
    }
}
