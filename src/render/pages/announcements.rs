//! `/announcements/`: every public document, newest first.

use tera::Context;

use super::PageContent;
use crate::render::Renderer;

/// The list of announcements.
pub(super) fn page(r: &Renderer<'_>) -> PageContent {
    let mut ctx = Context::new();
    ctx.insert("announcements", &r.announcements());
    PageContent::new(
        "announcements.html",
        "announcements",
        "通知公告".into(),
        "质量标杆典型经验遴选与交流活动的全部通知公告。".into(),
        ctx,
    )
}
