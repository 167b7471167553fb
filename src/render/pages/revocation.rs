//! `/<year>/revocations/<id>/`: the announcement removing a case from the list.

use tera::Context;

use super::{md_held, PageContent, Unit};
use crate::plan::PageKind;
use crate::render::document::DocumentView;
use crate::render::views::RevocationView;
use crate::render::{Renderer, Slots};

/// Revocation `ri` of round `ci`.
pub(super) fn page(r: &Renderer<'_>, ci: usize, ri: usize) -> Unit {
    let c = &r.site.campaigns[ci];
    let rev = &c.revocations[ri];
    let k = &c.cases[rev.case];
    let mut slots = Slots::default();
    let body = match &rev.body {
        Some(src) => Some(md_held(src, &mut slots)?.0),
        None => None,
    };
    let notice = r.removal(ci, ri, rev);
    let description = format!("{}，{}：{}。", notice.number, notice.date, notice.reason);
    let mut ctx = Context::new();
    ctx.insert(
        "doc",
        &DocumentView::new(r.site, Some(&rev.number), &notice.title, rev.date),
    );
    ctx.insert(
        "revocation",
        &RevocationView {
            year: c.year,
            organization: k.organization.name.clone(),
            case_title: k.title.clone(),
            case_url: r.url(PageKind::Case(ci, rev.case)),
            body_html: body,
            results: r.results_link(ci),
            notice: notice.clone(),
        },
    );
    Ok(
        PageContent::new("revocation.html", "results", notice.title, description, ctx)
            .with_slots(slots),
    )
}
