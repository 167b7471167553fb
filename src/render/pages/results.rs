//! `/<year>/results/`: the final list as it stands, the cases removed from
//! it, and its open data.

use tera::Context;

use super::{planned_without, PageContent, Unit};
use crate::render::document::DocumentView;
use crate::render::views::{RemovedRow, ResultsView};
use crate::render::{chinese, Renderer};

/// The results of round `ci`.
pub(super) fn page(r: &Renderer<'_>, ci: usize) -> Unit {
    let c = &r.site.campaigns[ci];
    let Some(doc) = &c.results else {
        return Err(vec![planned_without(&c.dir, "结果")]);
    };
    let rows = r.final_list(ci);
    let removed: Vec<RemovedRow> = c
        .cases
        .iter()
        .enumerate()
        .filter(|(_, k)| k.is_approved())
        .filter_map(|(i, k)| {
            let (ri, rev) = r.plan.revocation(c, ci, i)?;
            Some(RemovedRow {
                organization: k.organization.name.clone(),
                title: k.title.clone(),
                notice: r.removal(ci, ri, rev),
            })
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert(
        "results",
        &ResultsView {
            year: c.year,
            number: doc.number.clone(),
            title: doc.title.clone(),
            date: chinese::date(doc.date),
            iso_date: doc.date.to_string(),
            count: rows.len(),
        },
    );
    ctx.insert("rows", &rows);
    ctx.insert(
        "doc",
        &DocumentView::new(r.site, Some(&doc.number), &doc.title, doc.date)
            .to(&c.notice.addressee)
            .with_annex_below(format!("{}年质量标杆典型经验名单", c.year)),
    );
    ctx.insert("removed", &removed);
    ctx.insert("data", &r.list_downloads(ci));
    let description = format!("{}：{}个质量标杆典型经验。", doc.title, rows.len());
    Ok(PageContent::new(
        "results.html",
        "results",
        doc.title.clone(),
        description,
        ctx,
    ))
}
