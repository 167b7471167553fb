//! `/`: the current round in full, earlier rounds one line each, and the
//! latest announcements.

use tera::Context;

use super::{PageContent, Unit};
use crate::render::views::RoundView;
use crate::render::Renderer;

/// The home page.
pub(super) fn page(r: &Renderer<'_>) -> Unit {
    let site = r.site;
    let all = r.announcements();
    let mut rounds: Vec<RoundView> = (0..site.campaigns.len())
        .rev()
        .filter(|&ci| r.plan.visible[ci].notice)
        .map(|ci| r.round_view(ci, &all))
        .collect();
    let current = (!rounds.is_empty()).then(|| rounds.remove(0));
    let mut ctx = Context::new();
    ctx.insert("current", &current);
    ctx.insert("older", &rounds);
    ctx.insert("latest", &all.into_iter().take(6).collect::<Vec<_>>());
    Ok(PageContent::new(
        "home.html",
        "home",
        site.config.title.clone(),
        r.base.description.clone(),
        ctx,
    ))
}
