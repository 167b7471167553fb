//! `/<year>/publicity/`: the list under publicity and how to object.

use tera::Context;

use super::{md_held, planned_without, PageContent, Unit};
use crate::diagnostics::Diagnostic;
use crate::model::publicity::PublicityStatus;
use crate::render::document::DocumentView;
use crate::render::views::{CaseRow, PublicityView};
use crate::render::{chinese, Renderer, Slots};

/// The publicity of round `ci`.
pub(super) fn page(r: &Renderer<'_>, ci: usize) -> Unit {
    let c = &r.site.campaigns[ci];
    let Some(p) = &c.publicity else {
        return Err(vec![planned_without(&c.dir, "公示")]);
    };
    let rows: Vec<CaseRow> = c
        .publicised_cases()
        .enumerate()
        .map(|(i, k)| CaseRow::new(c, k, i + 1, None))
        .collect();
    let mut slots = Slots::default();
    let (instructions_html, _) = md_held(&p.instructions, &mut slots)?;
    let status = PublicityStatus::at(p, &r.site.calendar, r.plan.now)
        .map_err(|m| vec![Diagnostic::new(c.dir.join("campaign.yaml"), m.to_string())])?;
    let period = chinese::period(p.start, p.end.date());
    let mut ctx = Context::new();
    ctx.insert(
        "publicity",
        &PublicityView {
            year: c.year,
            number: p.number.clone(),
            title: p.title.clone(),
            date: chinese::date(p.start),
            iso_date: p.start.to_string(),
            period: format!("{period}（{}个工作日）", p.working_days),
            deadline: format!(
                "{}{}",
                chinese::date(p.end.date()),
                chinese::time(p.until_time)
            ),
            status_key: status.key().into(),
            status_label: status.label(),
            instructions_html,
            count: rows.len(),
        },
    );
    ctx.insert("rows", &rows);
    ctx.insert(
        "doc",
        &DocumentView::new(r.site, p.number.as_deref(), &p.title, p.start)
            .with_annex_below(format!("{}年质量标杆典型经验推荐名单", c.year)),
    );
    let description = format!("{}：{}个典型经验，公示期{period}。", p.title, rows.len());
    Ok(PageContent::new(
        "publicity.html",
        "publicity",
        p.title.clone(),
        description,
        ctx,
    )
    .with_slots(slots))
}
