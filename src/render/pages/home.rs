//! `/`: the current round in full (with an earlier one still under way),
//! finished rounds one line each, then the latest announcements.

use tera::Context;

use super::{PageContent, Unit};
use crate::render::views::RoundView;
use crate::render::Renderer;

/// The home page.
pub(super) fn page(r: &Renderer<'_>) -> Unit {
    let site = r.site;
    let all = r.announcements();
    // The rounds under way in full (`Plan::current_rounds`), the others one line each.
    let current_ci = r.plan.current_rounds(site);
    let view = |ci: usize| r.round_view(ci, &all);
    let current: Vec<RoundView> = current_ci.iter().map(|&ci| view(ci)).collect();
    let rounds: Vec<RoundView> = (0..site.campaigns.len())
        .rev()
        .filter(|ci| r.plan.visible[*ci].notice && !current_ci.contains(ci))
        .map(view)
        .collect();
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
