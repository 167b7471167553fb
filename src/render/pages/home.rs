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
    // The newest round in full, and an earlier one still under way (its
    // final list due after the newer notice); finished ones one line each.
    let (current, older): (Vec<(usize, RoundView)>, Vec<_>) = (0..site.campaigns.len())
        .rev()
        .filter(|&ci| r.plan.visible[ci].notice)
        .map(|ci| r.round_view(ci, &all))
        .enumerate()
        .partition(|(n, round)| *n == 0 || !round.finished);
    let current: Vec<RoundView> = current.into_iter().map(|(_, round)| round).collect();
    let rounds: Vec<RoundView> = older.into_iter().map(|(_, round)| round).collect();
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
