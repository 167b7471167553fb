//! `/404.html`: what static hosts serve for an unknown address.

use tera::Context;

use super::PageContent;

/// The not-found page.
pub(super) fn page() -> PageContent {
    PageContent::new(
        "404.html",
        "404",
        "页面未找到".into(),
        "您访问的页面不存在或已移动。".into(),
        Context::new(),
    )
}
