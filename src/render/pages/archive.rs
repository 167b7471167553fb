//! `/archive/`: 历年名单, every public round newest first, with its state,
//! its final list and every approved case (removed ones marked).

use tera::Context;

use super::PageContent;
use crate::plan::PageKind;
use crate::render::views::{ArchiveCase, ArchiveRound};
use crate::render::Renderer;

/// The archive page.
pub(super) fn page(r: &Renderer<'_>) -> PageContent {
    let all = r.announcements();
    let rounds: Vec<ArchiveRound> = (0..r.site.campaigns.len())
        .rev()
        .filter(|&ci| r.plan.visible[ci].notice)
        .map(|ci| {
            let cases = cases(r, ci);
            ArchiveRound {
                round: r.round_view(ci, &all),
                data: r.list_downloads(ci),
                cases,
            }
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("rounds", &rounds);
    PageContent::new(
        "archive.html",
        "archive",
        "历年名单".into(),
        format!("{}历年质量标杆典型经验名单。", r.site.config.publisher),
        ctx,
    )
}

/// The approved cases of round `ci`, once its results are public.
fn cases(r: &Renderer<'_>, ci: usize) -> Vec<ArchiveCase> {
    if !r.plan.has(PageKind::Results(ci)) {
        return Vec::new();
    }
    let c = &r.site.campaigns[ci];
    c.cases
        .iter()
        .enumerate()
        .filter(|(_, k)| k.is_approved())
        .map(|(i, k)| {
            let removed = r
                .plan
                .revocation(c, ci, i)
                .map(|(ri, rev)| r.removal(ci, ri, rev));
            ArchiveCase {
                serial: r.serials[ci][i],
                organization: k.organization.name.clone(),
                title: k.title.clone(),
                region: k.organization.region.clone(),
                url: removed
                    .is_none()
                    .then(|| r.plan.url_of(PageKind::Case(ci, i)).map(str::to_owned))
                    .flatten(),
                removed,
            }
        })
        .collect()
}
