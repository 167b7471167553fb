//! `events/<id>.yaml`: lectures, site visits and sharing sessions.

use std::collections::BTreeSet;
use std::path::Path;

use super::{holidays, paths, records, yaml, FileCtx};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::dates::last_day;
use crate::model::holidays::Calendar;
use crate::model::records::{EventChange, EventRecord, EventStatus};
use crate::model::site::{Campaign, Change, Event, Source};

pub(super) fn load_events(
    root: &Path,
    edir: &Path,
    campaigns: &[Campaign],
    broken: &BTreeSet<String>,
    cal: Option<&Calendar>,
    diags: &mut Diagnostics,
) -> Vec<Event> {
    let mut out = Vec::new();
    let (records, others) =
        records::<EventRecord>(root, edir, "2024-09-lecture-beijing.yaml", diags);
    for md in others
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
    {
        // Events keep their text in `body:`; a Markdown file beside them is never read.
        diags.push(
            Diagnostic::new(md, "活动没有单独的 Markdown 文件，这个文件不会被读取")
                .help("把活动介绍写在同名 .yaml 记录的 `body: |` 下面，然后删除这个文件"),
        );
    }
    for (path, id, src, rec) in records {
        let fx = FileCtx {
            file: &path,
            src: &src,
        };
        let before = diags.error_count();
        if let Some(url) = rec.registration.as_ref().and_then(|r| r.url.as_ref()) {
            if !paths::is_web_address(url) {
                diags.push(
                    fx.err("registration.url", format!("`{url}` 不是网址"))
                        .help("写报名页面完整的 https:// 网址"),
                );
            }
        }
        if let Some(m) = rec
            .registration
            .as_ref()
            .and_then(|r| r.url.as_deref())
            .filter(|u| paths::is_web_address(u))
            .and_then(super::attributes::address_problem)
        {
            diags.push(
                fx.err("registration.url", m)
                    .help("从浏览器地址栏复制报名页的完整网址，不要加引号、空格或其他文字"),
            );
        }
        let mut dates = vec![
            ("start".to_owned(), rec.start.date()),
            ("end".to_owned(), last_day(rec.end)),
            ("announced".to_owned(), rec.announced),
        ];
        if let Some(d) = rec.registration.as_ref().and_then(|r| r.deadline) {
            dates.push(("registration.deadline".into(), d.date()));
        }
        for (i, c) in rec.changes.iter().enumerate() {
            dates.push((format!("changes[{i}].date"), c.date));
        }
        holidays::check_covered(cal, &fx, &dates, diags);
        if rec.end < rec.start {
            diags.push(fx.err(
                "end",
                format!("活动结束时间 {} 早于开始时间 {}", rec.end, rec.start),
            ));
        }
        let mut hosts = Vec::new();
        for (i, h) in rec.hosts.iter().enumerate() {
            let found = h.split_once('/').and_then(|(y, id)| {
                let ci = campaigns.iter().position(|c| c.year.to_string() == y)?;
                let k = campaigns[ci].case_index(id)?;
                Some((ci, k))
            });
            if found.is_none() && h.split_once('/').is_some_and(|(y, _)| broken.contains(y)) {
                continue;
            }
            match found {
                Some((ci, k)) if campaigns[ci].cases[k].is_approved() => hosts.push((ci, k)),
                Some(_) => diags.push(
                    fx.err(
                        &format!("hosts[{i}]"),
                        format!("承办案例 `{h}` 不在正式名单上"),
                    )
                    .help("hosts 只能写已批准公布（stage: approved）的案例"),
                ),
                None => diags.push(
                    fx.err(&format!("hosts[{i}]"), format!("没有案例 `{h}`"))
                        .help("hosts 写成 <年份>/<案例编号>，例如 2024/hx-auto-parts"),
                ),
            }
        }
        check_changes(&rec, &fx, diags);
        if diags.error_count() != before {
            continue;
        }
        let at = yaml::locate(&src, &["body"]);
        let body = rec.body.map(|text| Source {
            file: path.clone(),
            text,
            at,
        });
        out.push(Event {
            id,
            title: rec.title,
            kind: rec.kind,
            start: rec.start,
            end: rec.end,
            city: rec.city,
            venue: rec.venue,
            hosts,
            registration: rec.registration,
            announced: rec.announced,
            body,
            changes: resolved(rec.status, rec.changes),
        });
    }
    out.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    out
}

/// Each change with the status the event has from it on: its own, else
/// the one before it; the last takes the event's `status` (the two agree
/// where both are given, [`check_changes`]).
fn resolved(last: EventStatus, changes: Vec<EventChange>) -> Vec<Change> {
    let n = changes.len();
    let mut status = EventStatus::Scheduled;
    let mut out = Vec::with_capacity(n);
    for (i, c) in changes.into_iter().enumerate() {
        status = match (c.status, i + 1 == n) {
            (Some(s), _) => s,
            (None, true) => last,
            (None, false) => status,
        };
        out.push(Change {
            date: c.date,
            note: c.note,
            status,
        });
    }
    out
}

/// The rules for an event's `changes`: at least one for an event not held
/// as scheduled; in date order, from its announcement on; the status of
/// every earlier change of an event postponed or cancelled in the end
/// (each change is public from its date, so what the event reads between
/// two changes must be written down, not guessed); a last status that
/// agrees with the event's.
fn check_changes(rec: &EventRecord, fx: &FileCtx<'_>, diags: &mut Diagnostics) {
    if rec.status != EventStatus::Scheduled && rec.changes.is_empty() {
        diags.push(
            fx.err("status", format!("status 是 {}（{}）的活动，要在 changes 中写明变更", rec.status.key(), rec.status.label()))
                .help("加上 changes: [{date: YYYY-MM-DD, note: 说明变更}]；每条变更都会让订阅的日历更新这个活动"),
        );
    }
    let date = |i: usize| format!("changes[{i}].date");
    if let Some(first) = rec.changes.first() {
        if first.date < rec.announced {
            diags.push(
                fx.err(
                    &date(0),
                    format!(
                        "变更日期 {} 早于活动发布日期 {}（announced）",
                        first.date, rec.announced
                    ),
                )
                .help("变更只能在活动公开之后：核对这条变更的日期，或把 announced 改到活动实际公开的那一天"),
            );
        }
    }
    if let Some(i) = (1..rec.changes.len()).find(|&i| rec.changes[i].date < rec.changes[i - 1].date)
    {
        diags.push(
            fx.err(&date(i), "changes 要按日期从早到晚排列：这条变更早于上一条")
                .help("新的变更写在最后；核对这两条的日期"),
        );
    }
    // Probably a mistyped year: the event would read as held, then change.
    let end = last_day(rec.end);
    if let Some(i) = rec.changes.iter().position(|c| c.date > end) {
        diags.push(
            fx.err(
                &date(i),
                format!(
                    "变更日期 {} 晚于活动结束日期 {}：活动会先显示为已举行，到那天再显示变更",
                    rec.changes[i].date, end
                ),
            )
            .help("核对这条变更的日期（年份是否写错）；活动结束后才公布的变更一般不必记录")
            .warning(),
        );
    }
    let last = rec.changes.len().saturating_sub(1);
    if rec.status != EventStatus::Scheduled {
        for (i, c) in rec.changes[..last].iter().enumerate() {
            if c.status.is_none() {
                diags.push(
                    fx.err(
                        &format!("changes[{i}]"),
                        format!(
                            "活动最后是 {}（{}），又有多次变更：除最后一条外，每条变更都要写明变更后的状态（status）",
                            rec.status.key(),
                            rec.status.label()
                        ),
                    )
                    .help("写这条变更之后活动的状态，例如先延期写 {date: 2024-11-12, note: 活动延期，时间另行通知。, status: postponed}；只改时间、地点的写它之前的状态（延期中仍写 postponed，否则写 scheduled）"),
                );
            }
        }
    }
    if let Some(s) = rec.changes.last().and_then(|c| c.status) {
        if s != rec.status {
            diags.push(
                fx.err(
                    &format!("changes[{last}].status"),
                    format!(
                        "最后一次变更的 status 是 {}（{}），活动的 status 却是 {}（{}）",
                        s.key(),
                        s.label(),
                        rec.status.key(),
                        rec.status.label()
                    ),
                )
                .help("活动的 status 是最后一次变更之后的状态：把两处写成一样，或删去最后一次变更的 status"),
            );
        }
    }
}
