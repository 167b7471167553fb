//! `/<year>/cases/<id>/`: a case on the final list with its summary, or,
//! once revoked, a page at the same address that points to the announcement.

use tera::Context;

use super::{PageContent, Unit};
use crate::diagnostics::Diagnostic;
use crate::links::Scan;
use crate::model::site::Revocation;
use crate::output::Artifact;
use crate::plan::{Page, PageKind};
use crate::render::markdown::{self, Html, Images};
use crate::render::views::{CaseView, Link};
use crate::render::{chinese, qr, Renderer};

/// Case `i` of round `ci` at its planned `page`.
pub(super) fn page(r: &Renderer<'_>, page: &Page, ci: usize, i: usize) -> Unit {
    match r.plan.revocation(&r.site.campaigns[ci], ci, i) {
        Some((ri, rev)) => removed(r, ci, i, ri, rev),
        None => listed(r, page, ci, i),
    }
}

/// A revoked case: the reason and the announcement, not the summary.
fn removed(r: &Renderer<'_>, ci: usize, i: usize, ri: usize, rev: &Revocation) -> Unit {
    let c = &r.site.campaigns[ci];
    let k = &c.cases[i];
    let notice = r.removal(ci, ri, rev);
    let description = format!("该典型经验已于{}从名单中移除。", notice.date);
    let mut ctx = Context::new();
    ctx.insert("removed", &notice);
    ctx.insert("organization", &k.organization.name);
    ctx.insert("serial", &r.serials[ci][i].unwrap_or(0));
    ctx.insert("year", &c.year);
    Ok(PageContent::new(
        "case-removed.html",
        "results",
        k.title.clone(),
        description,
        ctx,
    ))
}

/// A case on the list: its summary, with the images it references copied beside the page.
fn listed(r: &Renderer<'_>, page: &Page, ci: usize, i: usize) -> Unit {
    let site = r.site;
    let c = &site.campaigns[ci];
    let k = &c.cases[i];
    let Some(src) = &k.summary else {
        return Err(vec![Diagnostic::new(
            &c.dir,
            format!("案例 {} 没有经验总结", k.id),
        )
        .help(format!("请在 cases/ 下建立经验总结 {}.md", k.id))]);
    };
    let images = Images::From {
        root: &site.root,
        base: &c.dir.join("cases"),
        dir: &k.assets_dir,
    };
    let body: Html = markdown::render(src, &images)?;
    let mut content = PageContent::new(
        "case.html",
        "results",
        k.title.clone(),
        if body.lead.is_empty() {
            format!("{}：{}", k.organization.name, k.title)
        } else {
            truncate(&body.lead, 120)
        },
        Context::new(),
    );
    // Images live in the page's folder, so relative references resolve.
    let dir = page.url.trim_start_matches('/');
    for (rel, bytes) in &body.images {
        content
            .files
            .push((format!("{dir}{rel}"), Artifact::Shared(bytes.clone())));
    }
    let qr = qr::svg(&format!("{}{}", r.base.base_url, page.url), "本页二维码");
    let share_qr = content.slots.hold(qr, Some(Scan::default()));
    let summary_html = content.slots.hold(compact(&body.html), body.links.clone());
    let focus = c.focus_areas.iter().find(|f| f.id == k.focus_area);
    let ctx = &mut content.context;
    ctx.insert("share_qr", &share_qr);
    ctx.insert(
        "case",
        &CaseView {
            id: k.id.clone(),
            title: k.title.clone(),
            organization: k.organization.name.clone(),
            region: k.organization.region.clone(),
            field: k.field.clone(),
            focus_area: focus.map(|f| f.title.clone()).unwrap_or_default(),
            focus_text: focus.map(|f| f.text.clone()).unwrap_or_default(),
            methods: k.methods.clone(),
            summary_html,
            toc_numbered: body.toc.iter().any(|t| chinese::numbered_heading(&t.text)),
            toc: body.toc,
            serial: r.serials[ci][i].unwrap_or(0),
        },
    );
    if let Some(results) = r.results_link(ci) {
        ctx.insert("results", &results);
    }
    ctx.insert("year", &c.year);
    ctx.insert("other_years", &other_years(r, ci, i));
    Ok(content)
}

/// The same organisation's cases (by credit code) on other rounds' current
/// lists, newest first; all of them have a public page.
fn other_years(r: &Renderer<'_>, ci: usize, i: usize) -> Vec<Link> {
    let code = r.site.campaigns[ci].cases[i]
        .organization
        .credit_code
        .as_str();
    let Some(all) = r.by_organisation.get(code) else {
        return Vec::new();
    };
    all.iter()
        .rev()
        .filter(|&&(cj, _)| cj != ci)
        .filter_map(|&(cj, j)| {
            let k = &r.site.campaigns[cj].cases[j];
            r.plan.url_of(PageKind::Case(cj, j)).map(|url| Link {
                title: format!("{}年：{}", r.site.campaigns[cj].year, k.title),
                url: url.to_owned(),
            })
        })
        .collect()
}

/// Sanitised Markdown output without the line breaks between block tags
/// (what the minifier would have removed); left alone when it has `<pre>`.
fn compact(html: &str) -> String {
    if html.contains("<pre") {
        html.to_owned()
    } else {
        html.replace(">\n<", "><")
    }
}

/// The first `n` characters of `s`, with an ellipsis when cut.
fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}
