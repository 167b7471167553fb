//! `/<year>/`: one round, its phase, timeline and documents.

use tera::Context;

use super::{insert_timeline, PageContent, Unit};
use crate::render::Renderer;

/// The page of round `ci`.
pub(super) fn page(r: &Renderer<'_>, ci: usize) -> Unit {
    let c = &r.site.campaigns[ci];
    let round = r.round_view(ci, &r.announcements());
    let title = format!("{}年质量标杆典型经验遴选", c.year);
    let description = format!("{title}：{}。", round.phase_label);
    let mut ctx = Context::new();
    ctx.insert("round", &round);
    insert_timeline(&mut ctx, c);
    Ok(PageContent::new(
        "round.html",
        "round",
        title,
        description,
        ctx,
    ))
}
