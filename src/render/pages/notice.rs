//! `/<year>/notice/`: the notice of a round as issued, and
//! `/<year>/notice/<slug>/`: its attachment and downloads published as pages.

use tera::Context;

use super::{insert_timeline, md, md_held, timeline_rows, PageContent, Unit};
use crate::diagnostics::Diagnostic;
use crate::model::site::{AttachmentKind, Campaign};
use crate::plan::{FileKind, PageKind};
use crate::render::document::{AnnexView, DocumentView};
use crate::render::markdown::{self, Images};
use crate::render::views::*;
use crate::render::{chinese, escape, qr, Renderer, Slots};

/// The notice of round `ci`.
pub(super) fn page(r: &Renderer<'_>, ci: usize) -> Unit {
    let c = &r.site.campaigns[ci];
    // Markdown is held in slots so that its links keep their file and line.
    let mut slots = Slots::default();
    let mut body = md(&c.notice.body)?;
    let email = match &c.application.email_instructions {
        Some(t) => {
            let h = markdown::render_text(&c.dir.join("campaign.yaml"), t, &Images::None)?;
            Some(slots.hold(h.html, h.links))
        }
        None => None,
    };
    let all = views(r, ci);
    let mut doc = DocumentView::new(
        r.site,
        Some(&c.notice.number),
        &c.notice.title,
        c.notice.date,
    )
    .to(&c.notice.addressee);
    let mut downloads = Vec::new();
    for (is_annex, a) in all {
        if is_annex {
            doc.annexes.push(AnnexView {
                title: a.title,
                url: a.url,
                file_meta: a
                    .type_label
                    .zip(a.size_label)
                    .map(|(t, s)| format!("{t}，{s}")),
            });
        } else {
            downloads.push(a);
        }
    }
    let closed = r.plan.now >= c.application.deadline;
    let block = application_block(c, closed);
    let (body_html, outside) = match after_qr_sentence(&body.html) {
        Some(at) => (
            format!("{}{block}{}", &body.html[..at], &body.html[at..]),
            false,
        ),
        None => (std::mem::take(&mut body.html), true),
    };
    let has_contact = body_html.contains("联系方式");
    let body_html = slots.hold(body_html, body.links.take());
    let focus: Vec<FocusView> = c
        .focus_areas
        .iter()
        .enumerate()
        .map(|(i, f)| FocusView {
            serial: i + 1,
            title: f.title.clone(),
            text: f.text.clone(),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert(
        "notice",
        &NoticeView {
            year: c.year,
            number: c.notice.number.clone(),
            title: c.notice.title.clone(),
            date: chinese::date(c.notice.date),
            iso_date: c.notice.date.to_string(),
            addressee: c.notice.addressee.clone(),
            has_contact,
            body_html,
        },
    );
    ctx.insert("doc", &doc);
    ctx.insert("downloads", &downloads);
    // The notice's timeline stays as issued: a document of record.
    insert_timeline(&mut ctx, c, &timeline_rows(c));
    ctx.insert("focus_areas", &focus);
    ctx.insert(
        "application",
        &ApplicationView {
            deadline_spoken: chinese::deadline_spoken(c.application.deadline),
            closed,
            block: if outside { block } else { String::new() },
            outside,
            email_html: email,
        },
    );
    let description = format!(
        "{}，{}发布。",
        c.notice.number,
        chinese::date(c.notice.date)
    );
    Ok(PageContent::new(
        "notice.html",
        "notice",
        c.notice.title.clone(),
        description,
        ctx,
    )
    .with_slots(slots))
}

/// The notice's attachments and downloads in listed order, each with
/// whether the notice lists it as 附件, numbered among its own kind.
fn views(r: &Renderer<'_>, ci: usize) -> Vec<(bool, AttachmentView)> {
    let c = &r.site.campaigns[ci];
    let mut serials = [0, 0];
    c.notice
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let n = &mut serials[usize::from(a.annexed)];
            *n += 1;
            let view = match &a.kind {
                AttachmentKind::Page(_) => AttachmentView {
                    serial: *n,
                    title: a.title.clone(),
                    url: r.url(PageKind::Attachment(ci, i)),
                    kind: "page".into(),
                    type_label: None,
                    size_label: None,
                },
                AttachmentKind::File { bytes, .. } => AttachmentView {
                    serial: *n,
                    title: a.title.clone(),
                    url: r
                        .plan
                        .file_url(FileKind::Attachment(ci, i))
                        .unwrap_or_default()
                        .to_owned(),
                    kind: "file".into(),
                    type_label: Some(chinese::file_type(&a.slug).into()),
                    size_label: Some(chinese::size(bytes.len() as u64)),
                },
            };
            (a.annexed, view)
        })
        .collect()
}

/// Where the notice says to scan the code below (扫描下方二维码): the end
/// of that paragraph, so that the code and link stand where the text puts them.
fn after_qr_sentence(html: &str) -> Option<usize> {
    let at = html.find("下方二维码")?;
    let end = html[at..].find("</p>")?;
    Some(at + end + "</p>".len())
}

/// The QR code and link of the application system; once the deadline has
/// passed, the code is gone and the link struck out, with the closing
/// marked as an addition to the document of record.
fn application_block(c: &Campaign, closed: bool) -> String {
    let url = escape(&c.application.url);
    if closed {
        format!(
            r#"<div class="apply-qr apply-closed"><p class="record-addition apply-closed-note" role="note"><strong>申报已截止（{}）</strong>，下方链接已停止受理。</p><p class="apply-link">链接：<s class="address">{url}</s></p></div>"#,
            chinese::deadline_spoken(c.application.deadline)
        )
    } else {
        format!(
            r#"<div class="apply-qr"><figure class="qr-figure">{}</figure><p class="apply-link">链接：<a class="address" href="{url}" rel="noopener">{url}</a></p></div>"#,
            qr::svg(&c.application.url, "在线申报二维码")
        )
    }
}

/// Attachment or download `ai` of the notice of round `ci`, published as a page.
pub(super) fn attachment(r: &Renderer<'_>, ci: usize, ai: usize) -> Unit {
    let c = &r.site.campaigns[ci];
    let a = &c.notice.attachments[ai];
    let AttachmentKind::Page(src) = &a.kind else {
        return Err(vec![Diagnostic::new(&c.dir, "内部错误：附件不是页面")]);
    };
    let mut slots = Slots::default();
    let (body_html, body) = md_held(src, &mut slots)?;
    let (annexed, view) = views(r, ci).swap_remove(ai);
    let of_kind = c
        .notice
        .attachments
        .iter()
        .filter(|x| x.annexed == annexed)
        .count();
    let label = match (annexed, of_kind) {
        (false, _) => "资料下载".to_owned(),
        (true, 1) => "附件".to_owned(),
        (true, _) => format!("附件{}", view.serial),
    };
    let mut ctx = Context::new();
    ctx.insert(
        "notice",
        &LinkedDoc {
            title: c.notice.title.clone(),
            number: c.notice.number.clone(),
            url: r.url(PageKind::Notice(ci)),
        },
    );
    ctx.insert(
        "attachment",
        &AttachmentPage {
            label,
            annexed,
            toc_numbered: body.toc.iter().any(|t| chinese::numbered_heading(&t.text)),
            title: a.title.clone(),
            body_html,
            toc: body.toc,
            year: c.year,
        },
    );
    let description = match annexed {
        true => format!("{}附件：{}", c.notice.title, a.title),
        false => format!("{}配套资料：{}", c.notice.title, a.title),
    };
    Ok(PageContent::new(
        "attachment.html",
        "notice",
        a.title.clone(),
        description,
        ctx,
    )
    .with_slots(slots))
}
