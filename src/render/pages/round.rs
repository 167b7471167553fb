//! `/<year>/`: one round, its phase, timeline and documents.

use tera::Context;

use super::{insert_timeline, timeline_rows, PageContent, Unit};
use crate::model::records::Milestone;
use crate::plan::PageKind;
use crate::render::views::TimelineRow;
use crate::render::{chinese, Renderer};

/// The page of round `ci`.
pub(super) fn page(r: &Renderer<'_>, ci: usize) -> Unit {
    let c = &r.site.campaigns[ci];
    let round = r.round_view(ci, &r.announcements());
    let title = format!("{}年质量标杆典型经验遴选", c.year);
    let description = format!("{title}：{}。", round.phase_label);
    let mut ctx = Context::new();
    ctx.insert("round", &round);
    insert_timeline(&mut ctx, c, &actual_dates(r, ci, timeline_rows(c)));
    Ok(PageContent::new(
        "round.html",
        "round",
        title,
        description,
        ctx,
    ))
}

/// The timeline with the real dates of publicity and results beside the
/// planned ones (公示 8月上旬 → 2024年9月26日至10月14日), each from the moment
/// the document that fixes it is public, so nothing appears early.
fn actual_dates(r: &Renderer<'_>, ci: usize, mut rows: Vec<TimelineRow>) -> Vec<TimelineRow> {
    let c = &r.site.campaigns[ci];
    for (row, t) in rows.iter_mut().zip(&c.timeline) {
        row.actual = match t.milestone() {
            Some(Milestone::Publicity) => c
                .publicity
                .as_ref()
                .filter(|_| r.plan.has(PageKind::Publicity(ci)))
                .map(|p| chinese::period(p.start, p.end.date())),
            Some(Milestone::Results) => c
                .results
                .as_ref()
                .filter(|_| r.plan.has(PageKind::Results(ci)))
                .map(|d| chinese::date(d.date)),
            None => None,
        };
    }
    rows
}
