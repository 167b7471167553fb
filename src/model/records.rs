//! The YAML records exactly as the content model defines them.
//!
//! Every struct rejects unknown keys: a misspelt field must never be silently
//! ignored, or silently published. Case records read `confidential:` into
//! [`serde::de::IgnoredAny`], so its contents are discarded while parsing and
//! exist in no value the rest of the program can reach.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Deserialize;

use super::credit_code::CreditCode;
use super::dates;
use super::required;
use super::stage::{Outcome, Stage};

/// `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRecord {
    /// Site title.
    #[serde(deserialize_with = "required::text")]
    pub title: String,
    /// Issuing body shown on documents (addition: default 中国质量协会).
    #[serde(default = "default_publisher")]
    pub publisher: String,
    /// Absolute URL the site is published at, as written: the loader checks
    /// it into [`Site::base_url`](super::site::Site::base_url), which all
    /// output uses.
    #[serde(deserialize_with = "required::text")]
    pub base_url: String,
    /// Page language.
    #[serde(default = "default_language")]
    pub language: String,
    /// IANA time zone that "now" and event times are in.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// The office's contact block.
    pub office: Office,
    /// Footer text, e.g. the ICP filing number.
    #[serde(default)]
    pub footer: Option<String>,
    /// Theme name under themes/.
    #[serde(default)]
    pub theme: Option<String>,
    /// One-sentence description of the site (addition, for search engines and sharing).
    #[serde(default)]
    pub description: Option<String>,
}

fn default_publisher() -> String {
    "中国质量协会".into()
}
fn default_language() -> String {
    "zh-CN".into()
}
fn default_timezone() -> String {
    "Asia/Shanghai".into()
}

/// The office's contact block (联系方式).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// Office name.
    #[serde(deserialize_with = "required::text")]
    pub name: String,
    /// 联系部门.
    #[serde(deserialize_with = "required::text")]
    pub department: String,
    /// 联系人.
    #[serde(deserialize_with = "required::text")]
    pub contact: String,
    /// 电话.
    #[serde(deserialize_with = "required::text")]
    pub phone: String,
    /// 电子邮箱.
    #[serde(deserialize_with = "required::text")]
    pub email: String,
    /// 地址.
    #[serde(deserialize_with = "required::text")]
    pub address: String,
}

/// One year of `holidays.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayYear {
    /// Date ranges when offices are closed.
    #[serde(default)]
    pub holidays: Vec<HolidayRange>,
    /// Weekend dates that are working days.
    #[serde(default, deserialize_with = "dates::date_list")]
    pub workdays: Vec<NaiveDate>,
}

/// A closed date range.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayRange {
    /// Holiday name (元旦, 春节, ...).
    #[serde(default)]
    pub name: Option<String>,
    /// First day off.
    #[serde(deserialize_with = "dates::date")]
    pub start: NaiveDate,
    /// Last day off.
    #[serde(deserialize_with = "dates::date")]
    pub end: NaiveDate,
}

/// `campaign.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignRecord {
    /// The round's year.
    pub year: i32,
    /// The call for applications.
    pub notice: NoticeRecord,
    /// 重点领域.
    pub focus_areas: Vec<FocusArea>,
    /// 领域 (制造, 建筑, 服务).
    pub fields: Vec<String>,
    /// 时间安排.
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    /// How to apply.
    pub application: Application,
    /// The publicity period (公示), once decided.
    #[serde(default)]
    pub publicity: Option<PublicityRecord>,
    /// The results announcement (结果公布), once decided.
    #[serde(default)]
    pub results: Option<ResultsRecord>,
}

/// The notice's header and files.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeRecord {
    /// 文号, e.g. 中国质协字〔2024〕50号.
    #[serde(deserialize_with = "required::text")]
    pub number: String,
    /// 标题.
    #[serde(deserialize_with = "required::text")]
    pub title: String,
    /// 成文日期.
    #[serde(deserialize_with = "dates::date")]
    pub date: NaiveDate,
    /// 主送机关.
    #[serde(deserialize_with = "required::text")]
    pub addressee: String,
    /// Markdown file with the body.
    #[serde(deserialize_with = "required::text")]
    pub body: String,
    /// 附件: what the notice's 附件说明 lists (usually the rules alone).
    #[serde(default)]
    pub attachments: Vec<AttachmentRecord>,
    /// 资料下载: forms and guides offered beside the notice, not part of its text.
    #[serde(default)]
    pub downloads: Vec<AttachmentRecord>,
}

/// One attachment of the notice.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRecord {
    /// Title shown in the attachment list.
    #[serde(deserialize_with = "required::text")]
    pub title: String,
    /// Path relative to the campaign folder.
    #[serde(deserialize_with = "required::text")]
    pub file: String,
}

/// A focus area (重点领域).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FocusArea {
    /// Identifier used by case records.
    #[serde(deserialize_with = "required::text")]
    pub id: String,
    /// Short name.
    #[serde(deserialize_with = "required::text")]
    pub title: String,
    /// Full text from the notice.
    #[serde(deserialize_with = "required::text")]
    pub text: String,
}

/// A row of the timeline (时间安排).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    /// Stage label.
    #[serde(deserialize_with = "required::text")]
    pub stage: String,
    /// First day.
    #[serde(default, deserialize_with = "dates::opt_date")]
    pub start: Option<NaiveDate>,
    /// Last day.
    #[serde(default, deserialize_with = "dates::opt_date")]
    pub end: Option<NaiveDate>,
    /// Free-text period, when there are no exact dates.
    #[serde(default)]
    pub period: Option<String>,
    /// Remark (e.g. 24点截止).
    #[serde(default)]
    pub note: Option<String>,
}

/// A stage of the timeline whose real dates the round's records give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Milestone {
    /// 公示: the publicity period.
    Publicity,
    /// 结果公布: the date of the final list.
    Results,
}

impl TimelineEntry {
    /// The milestone this stage names, read from the words the notice uses
    /// (公示 / 结果公布); other stages have no record of their real dates.
    pub fn milestone(&self) -> Option<Milestone> {
        if self.stage.contains("公示") {
            Some(Milestone::Publicity)
        } else if self.stage.contains("结果") {
            Some(Milestone::Results)
        } else {
            None
        }
    }
}

/// How to apply.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// Deadline (`2024-05-31 24:00`).
    #[serde(deserialize_with = "dates::deadline")]
    pub deadline: NaiveDateTime,
    /// Online application URL (shown with a QR code).
    #[serde(deserialize_with = "required::text")]
    pub url: String,
    /// Markdown: how to send the materials by email.
    #[serde(default)]
    pub email_instructions: Option<String>,
}

/// The publicity period (公示).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicityRecord {
    /// Document number, when the announcement has one.
    #[serde(default)]
    pub number: Option<String>,
    /// Title.
    #[serde(deserialize_with = "required::text")]
    pub title: String,
    /// First day of publicity; day 1 of the count when it is a working day.
    #[serde(deserialize_with = "dates::date")]
    pub start: NaiveDate,
    /// Length in working days (holidays.yaml says which days work).
    #[serde(default = "default_working_days")]
    pub working_days: u32,
    /// Last day; if given it must equal the computed one.
    #[serde(default, deserialize_with = "dates::opt_date")]
    pub end: Option<NaiveDate>,
    /// How to object.
    pub objections: Objections,
}

fn default_working_days() -> u32 {
    10
}

/// Objection rules of the publicity.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objections {
    /// Time of day on the last day until which objections are accepted.
    #[serde(default = "default_until", deserialize_with = "dates::time")]
    pub until_time: NaiveTime,
    /// Markdown: where and how to send an objection.
    #[serde(deserialize_with = "required::text")]
    pub instructions: String,
}

fn default_until() -> NaiveTime {
    NaiveTime::from_hms_opt(17, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// The results announcement.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsRecord {
    /// Document number.
    #[serde(deserialize_with = "required::text")]
    pub number: String,
    /// Title.
    #[serde(deserialize_with = "required::text")]
    pub title: String,
    /// Publication date.
    #[serde(deserialize_with = "dates::date")]
    pub date: NaiveDate,
}

/// `cases/<id>.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseRecord {
    /// The applicant.
    pub organization: Organization,
    /// 领域.
    #[serde(deserialize_with = "required::text")]
    pub field: String,
    /// Focus area id.
    #[serde(deserialize_with = "required::text")]
    pub focus_area: String,
    /// 典型经验名称.
    #[serde(deserialize_with = "required::text")]
    pub title: String,
    /// Method tags.
    #[serde(default)]
    pub methods: Vec<String>,
    /// The summary's Markdown file, relative to cases/.
    #[serde(default)]
    pub summary: Option<String>,
    /// Position on lists, smallest first; cases without one follow, by id.
    #[serde(default)]
    pub order: Option<i64>,
    /// Procedure stage.
    pub stage: Stage,
    /// Objection raised during publicity.
    #[serde(default)]
    pub objection: Option<Objection>,
    /// ISO 9001 certificate.
    #[serde(default)]
    pub iso9001: Option<Iso9001>,
    /// Read and thrown away: never stored, never published.
    #[serde(default, rename = "confidential")]
    pub _confidential: serde::de::IgnoredAny,
}

/// The applicant organisation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Full registered name.
    #[serde(deserialize_with = "required::text")]
    pub name: String,
    /// 统一社会信用代码.
    pub credit_code: CreditCode,
    /// Province-level region.
    #[serde(deserialize_with = "required::text")]
    pub region: String,
}

/// An objection and its outcome.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objection {
    /// 成立 or 不成立.
    pub outcome: Outcome,
}

/// The ISO 9001 certificate (第八条（三）).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Iso9001 {
    /// Certificate number.
    #[serde(deserialize_with = "required::text")]
    pub certificate: String,
    /// Last day of validity.
    #[serde(deserialize_with = "dates::date")]
    pub valid_until: NaiveDate,
}

/// `revocations/<id>.yaml`: a removal from the list (第二十一条).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationRecord {
    /// Id of the revoked case in the same round.
    #[serde(deserialize_with = "required::text")]
    pub case: String,
    /// Document number.
    #[serde(deserialize_with = "required::text")]
    pub number: String,
    /// Publication date; from this day the case leaves the list.
    #[serde(deserialize_with = "dates::date")]
    pub date: NaiveDate,
    /// Grounds for removal; `major_incident` also needs `domain`.
    pub reason: RevocationReason,
    /// With `major_incident`: where the incident happened.
    #[serde(default)]
    pub domain: Option<IncidentDomain>,
    /// With `major_incident`: the day it happened (第二十一条: 三年内).
    #[serde(default, deserialize_with = "dates::opt_date")]
    pub incident_date: Option<NaiveDate>,
}

/// Grounds for removal under 第二十一条.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationReason {
    /// 申报材料弄虚作假.
    Falsification,
    /// 三年内发生重大责任事故.
    MajorIncident,
}

/// Domain of a major incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentDomain {
    /// 诚信.
    Integrity,
    /// 质量.
    Quality,
    /// 安全.
    Safety,
    /// 环保.
    Environment,
}

impl IncidentDomain {
    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            IncidentDomain::Integrity => "诚信",
            IncidentDomain::Quality => "质量",
            IncidentDomain::Safety => "安全",
            IncidentDomain::Environment => "环保",
        }
    }
}

/// `events/<id>.yaml`: an exchange event.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRecord {
    /// Title.
    #[serde(deserialize_with = "required::text")]
    pub title: String,
    /// Kind of event.
    pub kind: EventKind,
    /// Start, in the site's time zone.
    #[serde(deserialize_with = "dates::datetime")]
    pub start: NaiveDateTime,
    /// End, in the site's time zone.
    #[serde(deserialize_with = "dates::datetime")]
    pub end: NaiveDateTime,
    /// City.
    #[serde(deserialize_with = "required::text")]
    pub city: String,
    /// Venue with address.
    #[serde(deserialize_with = "required::text")]
    pub venue: String,
    /// Host cases as `<year>/<id>`.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// How to register.
    #[serde(default)]
    pub registration: Option<Registration>,
    /// Scheduled, postponed or cancelled.
    #[serde(default)]
    pub status: EventStatus,
    /// Date the event becomes public.
    #[serde(deserialize_with = "dates::date")]
    pub announced: NaiveDate,
    /// Markdown description.
    #[serde(default)]
    pub body: Option<String>,
    /// Addition: dated log of changes after announcement, each public from
    /// its date; how many are public is the iCalendar SEQUENCE, so
    /// calendars pick up every change.
    #[serde(default)]
    pub changes: Vec<EventChange>,
}

/// One recorded change of an event.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventChange {
    /// When the change was announced.
    #[serde(deserialize_with = "dates::date")]
    pub date: NaiveDate,
    /// What changed.
    #[serde(deserialize_with = "required::text")]
    pub note: String,
    /// The event's status from this change on (see `site::Change`).
    #[serde(default)]
    pub status: Option<EventStatus>,
}

/// Registration details.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// Last day (or moment) to register.
    #[serde(default, deserialize_with = "dates::opt_deadline")]
    pub deadline: Option<NaiveDateTime>,
    /// Registration page.
    #[serde(default)]
    pub url: Option<String>,
    /// Who to contact.
    #[serde(default)]
    pub contact: Option<String>,
}

/// Kinds of exchange events (通知 二、典型经验交流).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 专家讲座.
    Lecture,
    /// 标杆经验分享.
    Sharing,
    /// 现场参观交流.
    SiteVisit,
    /// 标杆深入学.
    DeepLearning,
}

impl EventKind {
    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Lecture => "专家讲座",
            EventKind::Sharing => "标杆经验分享",
            EventKind::SiteVisit => "现场参观交流",
            EventKind::DeepLearning => "标杆深入学",
        }
    }
}

/// Whether an event takes place as announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// As announced.
    #[default]
    Scheduled,
    /// Moved to a later date (to be announced or given in `start`).
    Postponed,
    /// Will not take place.
    Cancelled,
}

impl EventStatus {
    /// Chinese wording.
    pub fn label(self) -> &'static str {
        match self {
            EventStatus::Scheduled => "按计划举行",
            EventStatus::Postponed => "活动延期",
            EventStatus::Cancelled => "活动取消",
        }
    }
    /// Short machine name, for CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            EventStatus::Scheduled => "scheduled",
            EventStatus::Postponed => "postponed",
            EventStatus::Cancelled => "cancelled",
        }
    }
}
