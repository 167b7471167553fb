//! Full-text search that runs in the reader's browser: an index of every
//! public page, written as static files that `static/search.js` queries.
//!
//! Files under `/search/`: `docs.json` (what each result shows, the shard
//! counts), `p<n>.json` (postings of pairs and words), `c<n>.json` (postings
//! of single characters). The passage under a result is cut from the result's
//! own page, which is published anyway: no second copy of every text.

pub mod index;
mod pairs;
mod quick;
pub mod terms;
pub mod text;
pub mod tokens;

use std::io;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::site::Site;
use crate::output::{Artifact, Sink};
use crate::plan::Plan;
use index::Index;
use terms::{DocTerms, Scratch, Set};
use text::Doc;

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

/// Whether an output path is one of the index files (not the search page).
pub fn is_index_file(path: &str) -> bool {
    path.starts_with("search/") && path.ends_with(".json")
}

/// The index files of everything public in `plan`, as output-relative paths.
pub fn files(site: &Site, plan: &Plan) -> Vec<(String, Vec<u8>)> {
    Search::build(site, plan).files()
}

/// Builds the index of `plan` and hands each file to `sink` as soon as it is
/// made (in parallel, while pages render). Returns each file's path and
/// whether it was written.
pub fn write(site: &Site, plan: &Plan, sink: &Sink<'_>) -> Vec<(String, io::Result<()>)> {
    let search = Search::build(site, plan);
    let put = |(path, bytes): (String, Vec<u8>)| {
        let done = sink(path.clone(), Artifact::Bytes(bytes));
        (path, done)
    };
    let shards = [Set::Pairs, Set::Singles].into_par_iter().flat_map(|set| {
        let index = &search.index;
        index
            .each_json(set)
            .map(move |(i, json)| (shard_path(set, i), json))
    });
    let mut done = vec![put(search.doc_list())];
    done.par_extend(shards.map(put));
    done
}

/// The documents and their index, kept by `serve` so that a summary edit
/// rewrites only the files it changes.
#[derive(Debug, Clone)]
pub struct Search {
    /// What each result shows; the texts are let go once indexed.
    docs: Vec<Doc>,
    index: Index,
}

impl Search {
    /// Indexes everything public in `plan`. Each document's text is
    /// counted as soon as it is made and then let go: at 5,000 cases the
    /// texts are a hundred megabytes, and only what results show is kept.
    pub fn build(site: &Site, plan: &Plan) -> Search {
        let (docs, terms): (Vec<Doc>, Vec<DocTerms>) = plan
            .pages
            .par_iter()
            .filter_map(|p| text::document(site, plan, p.kind, &p.url))
            .map_init(Scratch::default, |s, doc| {
                let terms = DocTerms::new(&doc, s);
                (listed(doc), terms)
            })
            .unzip();
        let index = Index::from_terms(terms);
        Search { docs, index }
    }

    /// Every index file.
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = vec![self.doc_list()];
        for set in [Set::Pairs, Set::Singles] {
            let files = self.index.all_json(set).into_iter().enumerate();
            out.extend(files.map(|(i, json)| (shard_path(set, i as u32), json)));
        }
        out
    }

    /// After the pages at `urls` changed (summary edits: same documents,
    /// new text), the index files that changed (`false`), or every file
    /// when the index had to be built again (`true`).
    pub fn update(
        &mut self,
        site: &Site,
        plan: &Plan,
        urls: &[String],
    ) -> (bool, Vec<(String, Vec<u8>)>) {
        let mut shards = Vec::new();
        for url in urls {
            let at = self.docs.iter().position(|d| &d.url == url);
            let page = plan.pages.iter().find(|p| &p.url == url);
            let new = page.and_then(|p| text::document(site, plan, p.kind, &p.url));
            let replaced = match (at, new) {
                (None, None) => Some(Vec::new()),
                (Some(n), Some(doc)) => {
                    let shards = self.index.replace(n, &doc);
                    self.docs[n] = listed(doc);
                    shards
                }
                // A page became searchable or stopped being: numbers shift.
                _ => None,
            };
            match replaced {
                Some(s) => shards.extend(s),
                None => {
                    *self = Search::build(site, plan);
                    return (true, self.files());
                }
            }
        }
        shards.sort_unstable();
        shards.dedup();
        let mut out = vec![self.doc_list()];
        for set in [Set::Pairs, Set::Singles] {
            let wanted: Vec<u32> = shards.iter().filter(|s| s.0 == set).map(|s| s.1).collect();
            let files = self.index.some_json(set, &wanted).into_iter();
            out.extend(files.map(|(i, json)| (shard_path(set, i), json)));
        }
        (false, out)
    }

    fn doc_list(&self) -> (String, Vec<u8>) {
        let list = DocList {
            v: 3,
            shards: self.index.shards,
            singles: self.index.singles,
            chars: self.index.chars(),
            docs: self
                .docs
                .iter()
                .map(|d| (d.url.as_str(), d.title.as_str(), d.org.as_str(), d.year))
                .collect(),
        };
        let json = serde_json::to_vec(&list).unwrap_or_default();
        ("search/docs.json".to_owned(), json)
    }
}

/// A document as `Search` keeps it: what a result shows, without the text.
fn listed(doc: Doc) -> Doc {
    Doc {
        text: String::new(),
        ..doc
    }
}

/// Where shard `i` of `set` is published.
fn shard_path(set: Set, i: u32) -> String {
    let prefix = match set {
        Set::Pairs => "p",
        Set::Singles => "c",
    };
    format!("search/{prefix}{i}.json")
}
