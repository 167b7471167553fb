//! Full-text search that runs in the reader's browser: an index of every
//! public page, written as static files that `static/search.js` queries.
//!
//! Files under `/search/`: `docs.json` (what each result shows, the shard
//! counts), `p<n>.json` (postings of pairs and words), `c<n>.json` (postings
//! of single characters).

pub mod index;
pub mod text;
pub mod tokens;

use serde::Serialize;

use crate::model::site::Site;
use crate::plan::Plan;

/// The address of the search page.
pub const URL: &str = "/search/";

#[derive(Serialize)]
struct DocList<'a> {
    /// Format version, so that a cached script can notice a new layout.
    v: u32,
    shards: u32,
    singles: u32,
    /// Characters of text indexed (for the size budget).
    chars: usize,
    /// `[url, title, organisation, year]` per document.
    docs: Vec<(&'a str, &'a str, &'a str, i32)>,
}

/// The index files of everything public in `plan`, as output-relative paths.
pub fn files(site: &Site, plan: &Plan) -> Vec<(String, Vec<u8>)> {
    let docs = text::documents(site, plan);
    let ix = index::build(&docs);
    let list = DocList {
        v: 1,
        shards: ix.shards,
        singles: ix.singles,
        chars: docs.iter().map(|d| d.text.chars().count()).sum(),
        docs: docs
            .iter()
            .map(|d| (d.url.as_str(), d.title.as_str(), d.org.as_str(), d.year))
            .collect(),
    };
    let mut out = vec![(
        "search/docs.json".to_owned(),
        serde_json::to_vec(&list).unwrap_or_default(),
    )];
    use rayon::prelude::*;
    let shard = |prefix: &'static str| {
        move |(i, m): (
            usize,
            &std::collections::BTreeMap<String, Vec<index::Posting>>,
        )| {
            (
                format!("search/{prefix}{i}.json"),
                index::shard_json(m).into_bytes(),
            )
        }
    };
    out.par_extend(ix.pairs.par_iter().enumerate().map(shard("p")));
    out.par_extend(ix.chars.par_iter().enumerate().map(shard("c")));
    out
}
