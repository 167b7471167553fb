//! The context of each page: which template, which values.

use tera::Context;

use super::markdown::{self, Html, Images};
use super::views::*;
use super::{chinese, qr, Artifact, Renderer, Slots};
use crate::diagnostics::Diagnostic;
use crate::model::site::AttachmentKind;
use crate::plan::PageKind;

impl Renderer<'_> {
    #[allow(clippy::type_complexity)]
    pub(super) fn page_context(
        &self,
        kind: PageKind,
        url: &str,
        ctx: &mut Context,
        files: &mut Vec<(String, Artifact)>,
        slots: &mut Slots,
    ) -> Result<(&'static str, String, String, &'static str), Vec<Diagnostic>> {
        let site = self.site;
        let now = self.plan.now;
        Ok(match kind {
            PageKind::Home => {
                let all = self.announcements();
                let mut rounds: Vec<RoundView> = site
                    .campaigns
                    .iter()
                    .zip(&self.plan.visible)
                    .filter(|(_, v)| v.notice)
                    .map(|(c, v)| RoundView::new(site, c, *v, now, of_round(&all, c.year)))
                    .collect();
                rounds.reverse();
                ctx.insert("rounds", &rounds);
                ctx.insert("latest", &all.into_iter().take(6).collect::<Vec<_>>());
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
                let docs = of_round(&self.announcements(), c.year);
                let round = RoundView::new(site, c, self.plan.visible[ci], now, docs);
                ctx.insert("round", &round);
                ctx.insert("timeline", &timeline(c));
                ctx.insert("timeline_caption", &format!("{}年遴选工作时间安排", c.year));
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
                ctx.insert("timeline_caption", &format!("{}年遴选工作时间安排", c.year));
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
                    return Err(vec![planned_without(&c.dir, "publicity")]);
                };
                let rows: Vec<CaseRow> = c
                    .publicised_cases()
                    .enumerate()
                    .map(|(i, k)| CaseRow::new(c, k, i + 1, None))
                    .collect();
                let instructions = md(&p.instructions, &Images::None)?;
                let status = crate::model::publicity::PublicityStatus::at(p, &site.calendar, now)
                    .map_err(|m| {
                    vec![Diagnostic::new(c.dir.join("campaign.yaml"), m.to_string())]
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
                    return Err(vec![planned_without(&c.dir, "results")]);
                };
                let rows = self.current_list(ci);
                let removed: Vec<RemovedRow> = c
                    .approved_cases()
                    .filter_map(|k| {
                        let i = c.case_index(&k.id)?;
                        let rev = self.plan.revocation(c, ci, i)?;
                        Some(RemovedRow {
                            organization: k.organization.name.clone(),
                            title: k.title.clone(),
                            notice: self.removal(ci, rev),
                        })
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
                ctx.insert("removed", &removed);
                ctx.insert(
                    "data",
                    &[
                        Link {
                            title: "JSON".into(),
                            url: format!("/{}/results.json", c.year),
                        },
                        Link {
                            title: "CSV".into(),
                            url: format!("/{}/results.csv", c.year),
                        },
                    ],
                );
                let desc = format!("{}：{}个质量标杆典型经验。", r.title, rows.len());
                ("results.html", r.title.clone(), desc, "results")
            }
            PageKind::Revocation(ci, ri) => {
                let c = &site.campaigns[ci];
                let rev = &c.revocations[ri];
                let k = &c.cases[rev.case];
                let body = match &rev.body {
                    Some(src) => Some(md(src, &Images::None)?.html),
                    None => None,
                };
                let notice = self.removal(ci, rev);
                ctx.insert(
                    "revocation",
                    &RevocationView {
                        year: c.year,
                        organization: k.organization.name.clone(),
                        case_title: k.title.clone(),
                        case_url: format!("/{}/cases/{}/", c.year, k.id),
                        body_html: body,
                        results: c.results.as_ref().map(|r| LinkedDoc {
                            title: r.title.clone(),
                            number: r.number.clone(),
                            url: format!("/{}/results/", c.year),
                        }),
                        notice: notice.clone(),
                    },
                );
                let desc = format!("{}，{}：{}。", notice.number, notice.date, notice.reason);
                ("revocation.html", notice.title, desc, "results")
            }
            PageKind::Events => {
                let events = self.event_views();
                let (upcoming, past): (Vec<EventView>, Vec<EventView>) =
                    events.into_iter().partition(|e| e.upcoming);
                let grids = super::calendar::month_grids(&upcoming);
                ctx.insert("upcoming", &super::calendar::by_month(upcoming));
                let mut past = super::calendar::by_month(past);
                past.reverse();
                ctx.insert("past", &past);
                ctx.insert("grids", &grids);
                (
                    "events.html",
                    "交流活动".into(),
                    "质量标杆典型经验交流活动日历：专家讲座、标杆经验分享、现场参观交流和标杆深入学。".into(),
                    "events",
                )
            }
            PageKind::Event(ei) => {
                let e = &site.events[ei];
                let mut view = self.event_view(ei);
                view.body_html = match &e.body {
                    Some(src) => Some(md(src, &Images::None)?.html),
                    None => None,
                };
                let desc = format!("{}，{}，{}。", view.kind_label, view.date_label, e.city);
                ctx.insert(
                    "share_qr",
                    &qr::svg(&format!("{}{}", self.base.base_url, url), "本页二维码"),
                );
                ctx.insert("event", &view);
                ("event.html", e.title.clone(), desc, "events")
            }
            PageKind::Search => super::search::page(),
            PageKind::Announcements => {
                ctx.insert("announcements", &self.announcements());
                (
                    "announcements.html",
                    "通知公告".into(),
                    "质量标杆典型经验遴选与交流活动的全部通知公告。".into(),
                    "announcements",
                )
            }
            PageKind::Case(ci, i) if self.plan.revocation(&site.campaigns[ci], ci, i).is_some() => {
                let c = &site.campaigns[ci];
                let k = &c.cases[i];
                let Some(rev) = self.plan.revocation(c, ci, i) else {
                    return Err(vec![planned_without(&c.dir, "revocation")]);
                };
                let notice = self.removal(ci, rev);
                ctx.insert("removed", &notice);
                ctx.insert("organization", &k.organization.name);
                ctx.insert("year", &c.year);
                let desc = format!("该典型经验已于{}从名单中移除。", notice.date);
                ("case-removed.html", k.title.clone(), desc, "results")
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
                let qr = qr::svg(&format!("{}{}", self.base.base_url, url), "本页二维码");
                ctx.insert(
                    "share_qr",
                    &slots.hold(qr, Some(crate::links::Scan::default())),
                );
                let serial = self.serials[ci][i].unwrap_or(0);
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
                        summary_html: slots.hold(compact(&body.html), body.links.clone()),
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
}

/// Positions on the current final lists, computed once per build so that no
/// page has to walk a whole list.
pub(super) fn serials(
    site: &crate::model::site::Site,
    plan: &crate::plan::Plan,
) -> Vec<Vec<Option<usize>>> {
    site.campaigns
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let mut n = 0;
            (0..c.cases.len())
                .map(|i| {
                    let listed = c.cases[i].is_approved() && plan.revocation(c, ci, i).is_none();
                    listed.then(|| {
                        n += 1;
                        n
                    })
                })
                .collect()
        })
        .collect()
}

/// A page the plan holds although its record is absent: a bug, reported
/// rather than skipped so that a build never silently loses a page.
fn planned_without(dir: &std::path::Path, what: &str) -> Diagnostic {
    Diagnostic::new(
        dir.join("campaign.yaml"),
        format!("internal error: a {what} page was planned without its record"),
    )
    .help("please report this with the content folder")
}

/// Sanitised Markdown output without the line breaks between block tags
/// (what the minifier would have removed); left alone when it has `<pre>`.
fn compact(html: &str) -> String {
    if html.contains("<pre") {
        html.to_owned()
    } else {
        html.replace(">\n<", "><")
    }
}

/// The announcements that belong to round `year`.
fn of_round(all: &[Announcement], year: i32) -> Vec<Announcement> {
    let prefix = format!("/{year}/");
    all.iter()
        .filter(|a| a.url.starts_with(&prefix))
        .cloned()
        .collect()
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

impl Renderer<'_> {
    /// The final list of round `ci` as it stands at "now": approved, not removed.
    pub(super) fn current_list(&self, ci: usize) -> Vec<CaseRow> {
        let c = &self.site.campaigns[ci];
        c.cases
            .iter()
            .zip(&self.serials[ci])
            .filter_map(|(k, serial)| {
                let url = format!("/{}/cases/{}/", c.year, k.id);
                serial.map(|n| CaseRow::new(c, k, n, Some(url)))
            })
            .collect()
    }

    /// How a revocation is cited wherever the case appears.
    pub(super) fn removal(&self, ci: usize, rev: &crate::model::site::Revocation) -> RemovalNotice {
        let c = &self.site.campaigns[ci];
        RemovalNotice {
            title: rev.title(c),
            number: rev.number.clone(),
            date: chinese::date(rev.date),
            iso_date: rev.date.to_string(),
            url: format!("/{}/revocations/{}/", c.year, rev.id),
            reason: rev.reason_text(),
        }
    }

    /// Every announced event, by start.
    pub(super) fn event_views(&self) -> Vec<EventView> {
        (0..self.site.events.len())
            .filter(|i| self.plan.event_visible(&self.site.events[*i]))
            .map(|i| self.event_view(i))
            .collect()
    }

    /// One event as pages show it (without its body).
    pub(super) fn event_view(&self, ei: usize) -> EventView {
        let e = &self.site.events[ei];
        let hosts = e
            .hosts
            .iter()
            .map(|&(ci, k)| {
                let c = &self.site.campaigns[ci];
                let case = &c.cases[k];
                let public = self.plan.visible.get(ci).is_some_and(|v| v.results);
                HostView {
                    organization: case.organization.name.clone(),
                    title: case.title.clone(),
                    url: public.then(|| format!("/{}/cases/{}/", c.year, case.id)),
                    removed: self.plan.revocation(c, ci, k).map(|r| self.removal(ci, r)),
                }
            })
            .collect();
        let same_day = e.start.date() == e.end.date();
        let date_label = format!(
            "{}（{}）",
            chinese::date(e.start.date()),
            chinese::weekday(e.start.date())
        );
        let time_label = if same_day {
            format!(
                "{}—{}",
                chinese::time(e.start.time()),
                chinese::time(e.end.time())
            )
        } else {
            format!(
                "{} 至 {}（{}）{}",
                chinese::time(e.start.time()),
                chinese::date(e.end.date()),
                chinese::weekday(e.end.date()),
                chinese::time(e.end.time())
            )
        };
        let registration = e.registration.as_ref().map(|r| RegistrationView {
            deadline: r.deadline.map(chinese::deadline),
            url: r.url.clone(),
            contact: r.contact.clone(),
        });
        EventView {
            id: e.id.clone(),
            title: e.title.clone(),
            kind_key: serde_json::to_value(e.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            kind_label: e.kind.label().into(),
            date_label,
            time_label,
            iso_start: e.start.format("%Y-%m-%dT%H:%M").to_string(),
            day: e.start.date(),
            city: e.city.clone(),
            venue: e.venue.clone(),
            hosts,
            registration,
            status_key: e.status.key().into(),
            status_label: e.status.label().into(),
            changes: e
                .changes
                .iter()
                .map(|c| ChangeView {
                    date: chinese::date(c.date),
                    note: c.note.clone(),
                })
                .collect(),
            url: format!("/events/{}/", e.id),
            ics_url: format!("/events/{}.ics", e.id),
            upcoming: e.end >= self.plan.now,
            body_html: None,
        }
    }
}
