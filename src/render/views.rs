//! What templates see: plain public values, built from the model.
//!
//! These types are the only data handed to Tera. None of them has a field for
//! confidential data, and the model they are built from never stored it.

use crate::model::base_url::BaseUrl;
use serde::Serialize;

use super::chinese;
use super::markdown::TocEntry;
use crate::model::phase::{Phase, Visibility};
use crate::model::publicity::PublicityStatus;
use crate::model::records::Office;
use crate::model::site::{Campaign, Case, Site};

/// Site-wide values.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// Site title.
    pub title: String,
    /// Issuing body.
    pub publisher: String,
    /// Description for search engines and sharing.
    pub description: String,
    /// Footer text.
    pub footer: Option<String>,
    /// Whether the footer is an ICP 备案 number, linked to the MIIT registry.
    pub footer_is_icp: bool,
    /// Contact block.
    pub office: Office,
    /// Page language.
    pub language: String,
    /// Absolute base URL without trailing slash.
    pub base_url: String,
}

impl SiteView {
    /// From the site record; `base_url` overrides the configured one.
    pub fn new(site: &Site, base_url: &BaseUrl) -> Self {
        let c = &site.config;
        SiteView {
            title: c.title.clone(),
            publisher: c.publisher.clone(),
            description: c.description.clone().unwrap_or_else(|| {
                format!(
                    "{}质量标杆典型经验遴选与交流活动：通知、公示、结果公布与典型经验。",
                    c.publisher
                )
            }),
            footer: c.footer.clone(),
            footer_is_icp: c.footer.as_deref().is_some_and(|f| f.contains("ICP备")),
            office: c.office.clone(),
            language: c.language.clone(),
            base_url: base_url.as_str().to_owned(),
        }
    }
}

/// A link in navigation or a list.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text.
    pub title: String,
    /// Site-relative URL.
    pub url: String,
}

/// A round as seen at "now".
#[derive(Debug, Clone, Serialize)]
pub struct RoundView {
    /// Year.
    pub year: i32,
    /// `/2024/`.
    pub url: String,
    /// Phase machine name.
    pub phase_key: String,
    /// Phase in Chinese.
    pub phase_label: String,
    /// Public documents, newest first.
    pub documents: Vec<Announcement>,
    /// Application deadline, while applications are open.
    pub deadline: Option<String>,
    /// While under publicity, the days left (the phase label says 公示中).
    pub publicity_status: Option<StatusView>,
    /// The final list's size in words ([`chinese::list_count`]), once public.
    pub list_count: Option<String>,
    /// Over (已结束): see [`Phase::finished`].
    pub finished: bool,
    /// The results announcement, once public.
    pub results: Option<LinkedDoc>,
    /// Its date in words, once public.
    pub results_date: Option<String>,
    /// Its ISO date, once public.
    pub results_iso_date: Option<String>,
}

/// A status with a machine key and Chinese label.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    /// Machine name (CSS class).
    pub key: String,
    /// Chinese.
    pub label: String,
}

impl RoundView {
    /// The round `c` at `now` given what is visible; `url` is its page,
    /// `documents` are its public documents, `next` the following round.
    pub fn new(
        site: &Site,
        (c, next): (&Campaign, Option<&Campaign>),
        v: Visibility,
        now: chrono::NaiveDateTime,
        url: String,
        documents: Vec<Announcement>,
    ) -> Self {
        let phase = Phase::of(c, now);
        let finished = Phase::finished(c, next, now);
        // Only while the phase is 公示中, and then only what the phase name
        // does not already say (还剩8个工作日).
        let publicity_status = match (&c.publicity, v.publicity, phase) {
            (Some(p), true, Phase::Publicity) if !finished => {
                PublicityStatus::at(p, &site.calendar, now)
                    .ok()
                    .and_then(|s| {
                        Some(StatusView {
                            key: s.key().into(),
                            label: s.detail()?,
                        })
                    })
            }
            _ => None,
        };
        RoundView {
            year: c.year,
            url,
            phase_key: if finished { "finished" } else { phase.key() }.into(),
            phase_label: if finished { "已结束" } else { phase.label() }.into(),
            documents,
            deadline: (phase == Phase::Applying).then(|| chinese::deadline(c.application.deadline)),
            publicity_status,
            list_count: None,
            finished,
            results: None,
            results_date: None,
            results_iso_date: None,
        }
    }
}

/// A row of the publicity list or the final list.
#[derive(Debug, Clone, Serialize)]
pub struct CaseRow {
    /// 序号.
    pub serial: usize,
    /// 组织名称.
    pub organization: String,
    /// 典型经验名称.
    pub title: String,
    /// 领域.
    pub field: String,
    /// 重点领域 (short title).
    pub focus_area: String,
    /// 地区.
    pub region: String,
    /// Summary page, when public.
    pub url: Option<String>,
    /// Its removal from the list, once announced.
    pub removed: Option<RemovalNotice>,
}

impl CaseRow {
    /// Row `serial` for `case`.
    pub fn new(c: &Campaign, case: &Case, serial: usize, url: Option<String>) -> Self {
        CaseRow {
            serial,
            organization: case.organization.name.clone(),
            title: case.title.clone(),
            field: case.field.clone(),
            focus_area: c.focus_title(&case.focus_area).to_owned(),
            region: case.organization.region.clone(),
            url,
            removed: None,
        }
    }
}

/// A case's page.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    /// Id.
    pub id: String,
    /// 典型经验名称.
    pub title: String,
    /// 组织名称.
    pub organization: String,
    /// 地区.
    pub region: String,
    /// 领域.
    pub field: String,
    /// 重点领域 title.
    pub focus_area: String,
    /// 重点领域 full text.
    pub focus_text: String,
    /// Method tags.
    pub methods: Vec<String>,
    /// Sanitised summary HTML.
    pub summary_html: String,
    /// Table of contents.
    pub toc: Vec<TocEntry>,
    /// Its headings carry their own numbers (一、): the contents list shows none.
    pub toc_numbered: bool,
    /// Position on the final list.
    pub serial: usize,
}

/// A row of the notice's timeline table.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineRow {
    /// Sequence number.
    pub serial: usize,
    /// Stage label.
    pub stage: String,
    /// When, in words.
    pub when: String,
    /// Remark.
    pub note: Option<String>,
    /// The real dates, once the document that fixes them is public (round page only).
    pub actual: Option<String>,
}

/// A focus area row.
#[derive(Debug, Clone, Serialize)]
pub struct FocusView {
    /// Sequence number.
    pub serial: usize,
    /// Short title.
    pub title: String,
    /// Full text.
    pub text: String,
}

/// An attachment in the notice's list.
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    /// 附件 number.
    pub serial: usize,
    /// Title.
    pub title: String,
    /// Site-relative URL.
    pub url: String,
    /// `page` or `file`.
    pub kind: String,
    /// File type in words (downloads).
    pub type_label: Option<String>,
    /// File size in words (downloads).
    pub size_label: Option<String>,
}

/// The call for applications as `notice.html` shows it.
#[derive(Serialize)]
pub struct NoticeView {
    /// Year of the round the notice opens.
    pub year: i32,
    /// Document number as issued.
    pub number: String,
    /// Title as issued.
    pub title: String,
    /// Issue date in Chinese (2024年3月1日).
    pub date: String,
    /// Issue date as YYYY-MM-DD, for `<time datetime>`.
    pub iso_date: String,
    /// The units the notice is addressed to, as written.
    pub addressee: String,
    /// The notice's Markdown body, rendered and sanitised.
    pub body_html: String,
    /// Whether the body carries the office's contact details itself.
    pub has_contact: bool,
}

/// Where and until when to apply, shown where the notice says 扫描下方二维码.
#[derive(Serialize)]
pub struct ApplicationView {
    /// Closing time as the notice words it (2024年5月31日24点).
    pub deadline_spoken: String,
    /// Whether the deadline has passed at build time.
    pub closed: bool,
    /// The QR code and link (or, once closed, the struck-out link), as HTML.
    pub block: String,
    /// The notice body has no 二维码 sentence: the block goes in its own box.
    pub outside: bool,
    /// Rendered instructions for applying by e-mail, shown only with that box.
    pub email_html: Option<String>,
}

/// Another official document as a page cites it: its title, number and page.
#[derive(Debug, Clone, Serialize)]
pub struct LinkedDoc {
    /// Title as issued.
    pub title: String,
    /// Document number as issued.
    pub number: String,
    /// Site-relative address of the document's page, from the plan.
    pub url: String,
}

/// An attachment of the notice published as its own page.
#[derive(Serialize)]
pub struct AttachmentPage {
    /// `附件`, `附件2` (when the notice lists several), or `资料下载`.
    pub label: String,
    /// Listed in the notice's 附件说明 (otherwise a download beside it).
    pub annexed: bool,
    /// Its headings carry their own numbers (第一章, 一、): the contents list shows none.
    pub toc_numbered: bool,
    /// Title as listed in the notice.
    pub title: String,
    /// The attachment's Markdown, rendered and sanitised.
    pub body_html: String,
    /// Its headings, for the table of contents.
    pub toc: Vec<TocEntry>,
    /// Year of the round it belongs to.
    pub year: i32,
}

/// The publicity announcement as `publicity.html` shows it.
#[derive(Serialize)]
pub struct PublicityView {
    /// Year of the round.
    pub year: i32,
    /// Document number, when the announcement has one.
    pub number: Option<String>,
    /// Title as issued.
    pub title: String,
    /// First day of publicity in Chinese.
    pub date: String,
    /// First day of publicity as YYYY-MM-DD.
    pub iso_date: String,
    /// Date range in Chinese with its length in working days.
    pub period: String,
    /// Last day and hour for objections, in Chinese.
    pub deadline: String,
    /// `upcoming`, `open` or `closed` at build time, for styling.
    pub status_key: String,
    /// The same status in Chinese, with days left while open.
    pub status_label: String,
    /// How to object, rendered from Markdown.
    pub instructions_html: String,
    /// Number of cases on the list.
    pub count: usize,
}

/// The results announcement as `results.html` shows it.
#[derive(Serialize)]
pub struct ResultsView {
    /// Year of the round.
    pub year: i32,
    /// Document number as issued.
    pub number: String,
    /// Title as issued.
    pub title: String,
    /// Publication date in Chinese.
    pub date: String,
    /// Publication date as YYYY-MM-DD.
    pub iso_date: String,
    /// Number of cases on the current list.
    pub count: usize,
}

/// How a removal is cited: on the results page, the case's old address and events.
#[derive(Debug, Clone, Serialize)]
pub struct RemovalNotice {
    /// Announcement title.
    pub title: String,
    /// Document number.
    pub number: String,
    /// `2025年3月10日`.
    pub date: String,
    /// ISO date.
    pub iso_date: String,
    /// Announcement URL.
    pub url: String,
    /// Grounds in words.
    pub reason: String,
}

/// A case in the "已移除" section of the results page.
#[derive(Debug, Clone, Serialize)]
pub struct RemovedRow {
    /// 组织名称.
    pub organization: String,
    /// 典型经验名称.
    pub title: String,
    /// The announcement.
    pub notice: RemovalNotice,
}

/// A revocation announcement page.
#[derive(Debug, Clone, Serialize)]
pub struct RevocationView {
    /// Year of the round.
    pub year: i32,
    /// 组织名称.
    pub organization: String,
    /// 典型经验名称.
    pub case_title: String,
    /// The case's (former) page.
    pub case_url: String,
    /// Optional body.
    pub body_html: Option<String>,
    /// The results announcement it amends.
    pub results: Option<LinkedDoc>,
    /// Number, title, date, reason.
    pub notice: RemovalNotice,
}

/// A host of an event.
#[derive(Debug, Clone, Serialize)]
pub struct HostView {
    /// 组织名称.
    pub organization: String,
    /// 典型经验名称.
    pub title: String,
    /// The case page, when public.
    pub url: Option<String>,
    /// The removal, when the case was removed.
    pub removed: Option<RemovalNotice>,
}

/// Registration details in words.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationView {
    /// 报名截止.
    pub deadline: Option<String>,
    /// 报名链接.
    pub url: Option<String>,
    /// 联系方式.
    pub contact: Option<String>,
}

/// A recorded change.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    /// Date in words.
    pub date: String,
    /// What changed.
    pub note: String,
}

/// An event as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Kind machine name.
    pub kind_key: String,
    /// 专家讲座 ...
    pub kind_label: String,
    /// `2024年9月20日（星期五）`.
    pub date_label: String,
    /// Start to end in the one wording of [`crate::render::chinese::event_span`].
    pub when: String,
    /// For `<time datetime>`.
    pub iso_start: String,
    /// Start day (for calendars).
    #[serde(skip)]
    pub day: chrono::NaiveDate,
    /// City.
    pub city: String,
    /// Venue.
    pub venue: String,
    /// Hosts.
    pub hosts: Vec<HostView>,
    /// Registration.
    pub registration: Option<RegistrationView>,
    /// Status machine name.
    pub status_key: String,
    /// Status in words.
    pub status_label: String,
    /// Changes after announcement.
    pub changes: Vec<ChangeView>,
    /// Page URL.
    pub url: String,
    /// Its iCalendar file.
    pub ics_url: String,
    /// Not yet over at "now".
    pub upcoming: bool,
    /// Description (event page only).
    pub body_html: Option<String>,
}

/// Events of one month.
#[derive(Debug, Clone, Serialize)]
pub struct MonthGroup {
    /// `2024年9月`.
    pub label: String,
    /// `2024-09`.
    pub key: String,
    /// Its events by start.
    pub events: Vec<EventView>,
}

/// A month as a calendar grid, weeks starting on Monday.
#[derive(Debug, Clone, Serialize)]
pub struct MonthGrid {
    /// `2024年9月`.
    pub label: String,
    /// Weeks of seven cells; `None` outside the month.
    pub weeks: Vec<Vec<Option<DayCell>>>,
}

/// A day in a month grid.
#[derive(Debug, Clone, Serialize)]
pub struct DayCell {
    /// Day of month.
    pub day: u32,
    /// Events starting that day.
    pub events: Vec<Link>,
    /// `holiday` (法定节假日) or `workday` (调休上班) from holidays.yaml.
    pub mark: Option<&'static str>,
}

/// One entry of the announcements page and the Atom feed.
#[derive(Debug, Clone, Serialize)]
pub struct Announcement {
    /// 通知, 公示, 结果公布, 移除公告, 活动.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Document number.
    pub number: Option<String>,
    /// `2024年4月15日`.
    pub date: String,
    /// ISO date.
    pub iso_date: String,
    /// Site-relative URL.
    pub url: String,
    /// A sentence about it.
    pub summary: String,
    /// Publication (or last change) date, for sorting and the feed.
    #[serde(skip)]
    pub day: chrono::NaiveDate,
    /// First publication: `day`, except for events, listed by their last change.
    #[serde(skip)]
    pub first_day: chrono::NaiveDate,
}

/// A round on the archive page: its state and, once public, every approved case.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveRound {
    /// Phase, results announcement and count.
    pub round: RoundView,
    /// Approved cases in list order, removed ones included and marked.
    pub cases: Vec<ArchiveCase>,
    /// The list as open data (.csv, .json), once public.
    pub data: Vec<Link>,
}

/// An approved case on the archive page.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveCase {
    /// 序号 on the final list as published (kept once removed).
    pub serial: Option<usize>,
    /// 组织名称.
    pub organization: String,
    /// 典型经验名称.
    pub title: String,
    /// 地区.
    pub region: String,
    /// The case page, while it is on the list.
    pub url: Option<String>,
    /// The removal announcement (已移除).
    pub removed: Option<RemovalNotice>,
}
