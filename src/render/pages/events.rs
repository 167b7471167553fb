//! `/events/`: the calendar of exchange events, and `/events/<id>/`: one event.

use tera::Context;

use super::{md_held, PageContent, Unit};
use crate::plan::{FileKind, Page, PageKind};
use crate::render::views::*;
use crate::render::{calendar, chinese, qr, Renderer, Slots};

/// The calendar: upcoming events by month with month grids, events
/// postponed or cancelled, then past ones (newest month and event first).
pub(super) fn list(r: &Renderer<'_>) -> PageContent {
    let mut upcoming = Vec::new();
    let mut changed = Vec::new();
    let mut past = Vec::new();
    for e in event_views(r) {
        match (e.status_key.as_str(), e.upcoming) {
            ("scheduled", true) => upcoming.push(e),
            ("scheduled", false) => past.push(e),
            _ => changed.push(e),
        }
    }
    let grids = calendar::month_grids(&upcoming, &r.site.calendar);
    past.reverse();
    let mut ctx = Context::new();
    ctx.insert("upcoming", &calendar::by_month(upcoming));
    ctx.insert("changed", &changed);
    ctx.insert("past", &calendar::by_month(past));
    ctx.insert("grids", &grids);
    PageContent::new(
        "events.html",
        "events",
        "交流活动".into(),
        "质量标杆典型经验交流活动日历：专家讲座、标杆经验分享、现场参观交流和标杆深入学。".into(),
        ctx,
    )
}

/// Event `ei` at its planned `page`, with its body and a QR code of its address.
pub(super) fn page(r: &Renderer<'_>, page: &Page, ei: usize) -> Unit {
    let e = &r.site.events[ei];
    let mut view = event_view(r, ei);
    let mut slots = Slots::default();
    view.body_html = match &e.body {
        Some(src) => Some(md_held(src, &mut slots)?.0),
        None => None,
    };
    let description = format!("{}，{}，{}。", view.kind_label, view.date_label, e.city);
    let mut ctx = Context::new();
    ctx.insert(
        "share_qr",
        &qr::svg(&format!("{}{}", r.base.base_url, page.url), "本页二维码"),
    );
    ctx.insert("event", &view);
    Ok(
        PageContent::new("event.html", "events", e.title.clone(), description, ctx)
            .with_slots(slots),
    )
}

/// Every announced event, by start.
fn event_views(r: &Renderer<'_>) -> Vec<EventView> {
    (0..r.site.events.len())
        .filter(|&ei| r.plan.has(PageKind::Event(ei)))
        .map(|ei| event_view(r, ei))
        .collect()
}

/// One event as pages show it (without its body).
fn event_view(r: &Renderer<'_>, ei: usize) -> EventView {
    let e = &r.site.events[ei];
    let hosts = e
        .hosts
        .iter()
        .map(|&(ci, k)| {
            let c = &r.site.campaigns[ci];
            let case = &c.cases[k];
            HostView {
                organization: case.organization.name.clone(),
                title: case.title.clone(),
                url: r.plan.url_of(PageKind::Case(ci, k)).map(str::to_owned),
                removed: r
                    .plan
                    .revocation(c, ci, k)
                    .map(|(ri, rev)| r.removal(ci, ri, rev)),
            }
        })
        .collect();
    let start = e.start.date();
    let date_label = format!("{}（{}）", chinese::date(start), chinese::weekday(start));
    let registration = e.registration.as_ref().map(|reg| RegistrationView {
        deadline: reg.deadline.map(chinese::deadline),
        url: reg.url.clone(),
        contact: reg.contact.clone(),
    });
    let public = r.plan.event(e);
    EventView {
        id: e.id.clone(),
        title: e.title.clone(),
        kind_key: serde_json::to_value(e.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        kind_label: e.kind.label().into(),
        date_label,
        when: chinese::event_span(e.start, e.end),
        iso_start: e.start.format("%Y-%m-%dT%H:%M").to_string(),
        day: start,
        city: e.city.clone(),
        venue: e.venue.clone(),
        hosts,
        registration,
        status_key: public.status.key().into(),
        status_label: public.status.label().into(),
        changes: public
            .changes
            .iter()
            .map(|c| ChangeView {
                date: chinese::date(c.date),
                note: c.note.clone(),
            })
            .collect(),
        url: r.url(PageKind::Event(ei)),
        ics_url: r
            .plan
            .file_url(FileKind::EventCalendar(ei))
            .unwrap_or_default()
            .to_owned(),
        // Over at its end time: the schedule lists that moment (`schedule.rs`).
        upcoming: !e.is_over(r.plan.now),
        body_html: None,
    }
}
