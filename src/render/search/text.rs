//! The documents search covers, taken from the plan so that only what is
//! public at the build's moment is indexed, and their plain text.

use std::fmt::Write;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::model::site::{AttachmentKind, Campaign, Case, Site, Source};
use crate::plan::{PageKind, Plan};

/// One searchable page: what a result shows, and the text it is found by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// Site-relative URL of the page.
    pub url: String,
    /// Page title (ranks first).
    pub title: String,
    /// Organisation the page is about, or empty (ranks second).
    pub org: String,
    /// Round or event year.
    pub year: i32,
    /// Plain text of the page's body.
    pub text: String,
}

/// Every public page worth finding, in plan (URL) order. Cases removed from
/// the list are left out: their removal announcement is what is found.
pub fn documents(site: &Site, plan: &Plan) -> Vec<Doc> {
    plan.pages
        .par_iter()
        .filter_map(|p| document(site, plan, p.kind, &p.url))
        .collect()
}

/// The document of one planned page, or `None` when the page is not searched.
pub fn document(site: &Site, plan: &Plan, kind: PageKind, url: &str) -> Option<Doc> {
    let doc = |title: &str, org: &str, year: i32, text: String| Doc {
        url: url.to_owned(),
        title: title.to_owned(),
        org: org.to_owned(),
        year,
        text,
    };
    Some(match kind {
        PageKind::Case(ci, i) => {
            let c = &site.campaigns[ci];
            if plan.revocation(c, ci, i).is_some() {
                return None;
            }
            let k = &c.cases[i];
            let mut text = format!(
                "{} {} {} {}\n",
                k.field,
                k.organization.region,
                c.focus_title(&k.focus_area),
                k.methods.join(" ")
            );
            if let Some(s) = &k.summary {
                push_plain(s, &mut text);
            }
            doc(&k.title, &k.organization.name, c.year, text)
        }
        PageKind::Notice(ci) => {
            let c = &site.campaigns[ci];
            let n = &c.notice;
            let mut text = format!("{} {}\n", n.number, n.addressee);
            push_plain(&n.body, &mut text);
            for f in &c.focus_areas {
                text.push_str(&format!("\n{} {}", f.title, f.text));
            }
            doc(&n.title, "", c.year, text)
        }
        PageKind::Attachment(ci, ai) => {
            let c = &site.campaigns[ci];
            let a = &c.notice.attachments[ai];
            let AttachmentKind::Page(src) = &a.kind else {
                return None;
            };
            doc(&a.title, "", c.year, plain(src))
        }
        PageKind::Publicity(ci) => {
            let c = &site.campaigns[ci];
            let p = c.publicity.as_ref()?;
            let mut text = format!(
                "{} {}\n",
                p.number.as_deref().unwrap_or(""),
                plain(&p.instructions)
            );
            push_rows(plan, (c, ci), &mut text, Case::is_publicised);
            doc(&p.title, "", c.year, text)
        }
        PageKind::Results(ci) => {
            let c = &site.campaigns[ci];
            let r = c.results.as_ref()?;
            let mut text = format!("{}\n", r.number);
            push_rows(plan, (c, ci), &mut text, Case::is_approved);
            doc(&r.title, "", c.year, text)
        }
        PageKind::Revocation(ci, ri) => {
            let c = &site.campaigns[ci];
            let r = &c.revocations[ri];
            let k = &c.cases[r.case];
            let mut text = format!("{} {} {}\n", r.number, k.title, r.reason_text());
            if let Some(b) = &r.body {
                push_plain(b, &mut text);
            }
            doc(
                &crate::render::chinese::revocation_title(&k.organization.name, &k.title, c.year),
                &k.organization.name,
                c.year,
                text,
            )
        }
        PageKind::Event(ei) => {
            let e = &site.events[ei];
            let mut text = format!("{} {} {}\n", e.kind.label(), e.city, e.venue);
            if let Some(b) = &e.body {
                push_plain(b, &mut text);
            }
            let year = chrono::Datelike::year(&e.start);
            doc(&e.title, "", year, text)
        }
        PageKind::Home
        | PageKind::Round(_)
        | PageKind::Events
        | PageKind::Announcements
        | PageKind::NotFound
        | PageKind::Search
        | PageKind::Archive => return None,
    })
}

/// The rows of a list (publicity or final) the list's page shows, one line
/// each: organisation, title, field, region. During publicity the list is
/// the only public page naming an organisation. A case whose removal is
/// public is left out ([`Plan::standing`]).
fn push_rows(
    plan: &Plan,
    (c, ci): (&Campaign, usize),
    out: &mut String,
    listed: fn(&Case) -> bool,
) {
    for (_, k) in plan.standing(c, ci, listed) {
        let o = &k.organization;
        // Writing to a String cannot fail.
        let _ = writeln!(out, "{} {} {} {}", o.name, k.title, k.field, o.region);
    }
}

/// The words of a Markdown document: its text and code, one line per block;
/// raw HTML is left out (the sanitiser may have removed it from the page).
/// Plain Markdown is read line by line ([`super::quick`]), with the same terms.
pub fn plain(src: &Source) -> String {
    let mut out = String::new();
    push_plain(src, &mut out);
    out
}

/// Appends [`plain`] to `out` (a summary's text goes after the case's
/// fields without a copy).
pub fn push_plain(src: &Source, out: &mut String) {
    if super::quick::push(&src.text, out).is_none() {
        push_parsed(&src.text, out);
    }
}

/// [`plain`] by a Markdown parser.
#[cfg(test)]
pub(super) fn parsed(text: &str) -> String {
    let mut out = String::new();
    push_parsed(text, &mut out);
    out
}

fn push_parsed(text: &str, out: &mut String) {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    out.reserve(text.len());
    for e in Parser::new_ext(text, opts) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            // A tight item's text runs straight into a nested block: keep
            // them apart, as the page does.
            Event::Start(
                Tag::List(_) | Tag::Item | Tag::BlockQuote(_) | Tag::CodeBlock(_) | Tag::Table(_),
            ) => out.push('\n'),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock,
            ) => out.push('\n'),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_words_and_drops_markup() {
        let src = Source {
            file: "x.md".into(),
            at: None,
            text: "# 标题\n\n**精益**生产<span>隐藏</span>与`QC`小组\n\n- 一\n- 二\n".into(),
        };
        let t = plain(&src);
        assert!(t.contains("标题\n"), "{t}");
        assert!(t.contains("精益生产"), "{t}");
        assert!(t.contains("QC小组"), "{t}");
        assert!(!t.contains("span") && !t.contains('*'), "{t}");
    }
}
