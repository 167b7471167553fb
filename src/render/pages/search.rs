//! `/search/`: the search form and results, filled in the browser by
//! `static/search.js` from the index that `render::search` writes.

use tera::Context;

use super::PageContent;

/// The search page (the same at every moment: results come from the index).
pub(super) fn page() -> PageContent {
    PageContent::new(
        "search.html",
        "search",
        "全文检索".into(),
        "检索历年质量标杆典型经验、遴选通知、规则附件、通知公告和交流活动的全文。".into(),
        Context::new(),
    )
}
