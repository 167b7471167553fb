//! Warnings about the Markdown documents of a loaded site: what the
//! sanitiser will remove from each and images without a description,
//! reported at load so that `check` prints them and `--strict` fails on them
//! whatever moment the document is published at.

use rayon::prelude::*;

use crate::diagnostics::Diagnostics;
use crate::model::site::{AttachmentKind, Campaign, Event, Source};
use crate::render::markdown;

/// The warnings of every Markdown document of `campaigns` and `events`.
pub(super) fn warnings(campaigns: &[Campaign], events: &[Event]) -> Diagnostics {
    let mut sources: Vec<&Source> = Vec::new();
    for c in campaigns {
        sources.push(&c.notice.body);
        for a in &c.notice.attachments {
            if let AttachmentKind::Page(s) = &a.kind {
                sources.push(s);
            }
        }
        sources.extend(c.publicity.as_ref().map(|p| &p.instructions));
        sources.extend(c.cases.iter().filter_map(|k| k.summary.as_ref()));
        sources.extend(c.revocations.iter().filter_map(|r| r.body.as_ref()));
    }
    sources.extend(events.iter().filter_map(|e| e.body.as_ref()));
    // In parallel (a second Markdown pass over every document), in order.
    let found: Vec<_> = sources.par_iter().map(|s| markdown::warnings(s)).collect();
    let mut out = Diagnostics::default();
    for d in found.into_iter().flatten() {
        out.push(d);
    }
    for c in campaigns {
        if let Some(text) = &c.application.email_instructions {
            let src = Source {
                file: c.dir.join("campaign.yaml"),
                text: text.clone(),
                at: None,
            };
            for d in markdown::warnings(&src) {
                out.push(d.field("application.email_instructions"));
            }
        }
    }
    out
}
