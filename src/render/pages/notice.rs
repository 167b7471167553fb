//! `/<year>/notice/`: the notice of a round, and `/<year>/notice/<slug>/`:
//! its attachments published as pages.

use tera::Context;

use super::{insert_timeline, md_held, PageContent, Unit};
use crate::diagnostics::Diagnostic;
use crate::model::site::AttachmentKind;
use crate::plan::{FileKind, PageKind};
use crate::render::markdown::{self, Images};
use crate::render::views::*;
use crate::render::{chinese, qr, Renderer, Slots};

/// The notice of round `ci`.
pub(super) fn page(r: &Renderer<'_>, ci: usize) -> Unit {
    let c = &r.site.campaigns[ci];
    let mut slots = Slots::default();
    let (body_html, _) = md_held(&c.notice.body, &mut slots)?;
    let email = match &c.application.email_instructions {
        Some(t) => {
            let h = markdown::render_text(&c.dir.join("campaign.yaml"), t, &Images::None)?;
            Some(slots.hold(h.html, h.links))
        }
        None => None,
    };
    let attachments: Vec<AttachmentView> = c
        .notice
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| match &a.kind {
            AttachmentKind::Page(_) => AttachmentView {
                serial: i + 1,
                title: a.title.clone(),
                url: r.url(PageKind::Attachment(ci, i)),
                kind: "page".into(),
                type_label: None,
                size_label: None,
            },
            AttachmentKind::File { bytes, .. } => AttachmentView {
                serial: i + 1,
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
        })
        .collect();
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
            body_html,
            attachments,
        },
    );
    insert_timeline(&mut ctx, c);
    ctx.insert("focus_areas", &focus);
    ctx.insert(
        "application",
        &ApplicationView {
            url: c.application.url.clone(),
            deadline: chinese::deadline(c.application.deadline),
            qr_svg: qr::svg(&c.application.url, "在线申报二维码"),
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

/// Attachment `ai` of the notice of round `ci`, published as a page.
pub(super) fn attachment(r: &Renderer<'_>, ci: usize, ai: usize) -> Unit {
    let c = &r.site.campaigns[ci];
    let a = &c.notice.attachments[ai];
    let AttachmentKind::Page(src) = &a.kind else {
        return Err(vec![Diagnostic::new(&c.dir, "内部错误：附件不是页面")]);
    };
    let mut slots = Slots::default();
    let (body_html, body) = md_held(src, &mut slots)?;
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
            serial: ai + 1,
            title: a.title.clone(),
            body_html,
            toc: body.toc,
            year: c.year,
        },
    );
    let description = format!("{}附件：{}", c.notice.title, a.title);
    Ok(PageContent::new(
        "attachment.html",
        "notice",
        a.title.clone(),
        description,
        ctx,
    )
    .with_slots(slots))
}
