//! `/`: every round at its current phase and the latest announcements.

use tera::Context;

use super::{of_round, PageContent, Unit};
use crate::plan::PageKind;
use crate::render::views::RoundView;
use crate::render::Renderer;

/// The home page.
pub(super) fn page(r: &Renderer<'_>) -> Unit {
    let site = r.site;
    let all = r.announcements();
    let mut rounds: Vec<RoundView> = site
        .campaigns
        .iter()
        .zip(&r.plan.visible)
        .enumerate()
        .filter(|(_, (_, v))| v.notice)
        .map(|(ci, (c, v))| {
            let url = r.url(PageKind::Round(ci));
            let docs = of_round(&all, &url);
            RoundView::new(site, c, *v, r.plan.now, url, docs)
        })
        .collect();
    rounds.reverse();
    let mut ctx = Context::new();
    ctx.insert("rounds", &rounds);
    ctx.insert("latest", &all.into_iter().take(6).collect::<Vec<_>>());
    Ok(PageContent::new(
        "home.html",
        "home",
        site.config.title.clone(),
        r.base.description.clone(),
        ctx,
    ))
}
