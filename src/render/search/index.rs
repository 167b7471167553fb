//! The inverted index: per term, the documents holding it and where.
//!
//! Postings are split by a hash of the term into shard files, so that a query
//! downloads the document list and one shard per term, never the whole index.
//! Pairs and words share one set of shards; single characters (needed only
//! for one-character queries) have their own, smaller set.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use rayon::prelude::*;

use super::text::Doc;
use super::tokens::{each_term, query_terms, shard_of, Term};

/// The term is in the title.
pub const TITLE: u8 = 1;
/// The term is in the organisation's name.
pub const ORG: u8 = 2;
/// The term is in the body text.
pub const TEXT: u8 = 4;
/// The term is in the year or the address.
pub const META: u8 = 8;

/// About 40,000 characters of text per pair shard: a shard is then some
/// 60 KB gzipped, and a query of one word downloads one.
const CHARS_PER_SHARD: usize = 40_000;

/// One posting: document number and weight (field bits, and in the high
/// four bits how often the term is in the text, at most 15).
pub type Posting = (u32, u8);

/// A built index, before it is written out.
#[derive(Debug, Default)]
pub struct Index {
    /// Number of pair/word shards.
    pub shards: u32,
    /// Number of single-character shards.
    pub singles: u32,
    /// Pair/word postings by shard.
    pub pairs: Vec<BTreeMap<String, Vec<Posting>>>,
    /// Single-character postings by shard.
    pub chars: Vec<BTreeMap<String, Vec<Posting>>>,
}

/// Field bits and text counts of each term of one document.
fn weights(d: &Doc) -> HashMap<Term, u8> {
    let mut w: HashMap<Term, u8> = HashMap::new();
    let mut field = |text: &str, bit: u8| {
        each_term(text, |t| {
            let v = w.entry(t).or_insert(0);
            if bit == TEXT {
                let tf = (*v >> 4).saturating_add(1).min(15);
                *v = (*v & 0x0F) | (tf << 4);
            }
            *v |= bit;
        })
    };
    field(&d.title, TITLE);
    field(&d.org, ORG);
    field(&d.text, TEXT);
    field(&format!("{} {}", d.year, d.url), META);
    w
}

/// Builds the index of `docs` (document numbers are positions in `docs`).
pub fn build(docs: &[Doc]) -> Index {
    let chars: usize = docs.iter().map(|d| d.text.chars().count()).sum();
    let shards = (chars / CHARS_PER_SHARD + 1).next_power_of_two() as u32;
    let singles = (shards / 4).max(1);
    // Tokenise in parallel, then hand each shard its terms.
    let per_doc: Vec<Vec<(u32, bool, Term, u8)>> = docs
        .par_iter()
        .map(|d| {
            weights(d)
                .into_iter()
                .map(|(t, w)| match &t {
                    Term::Pair(p) => (shard_of(p, shards), false, t, w),
                    Term::Single(c) => (shard_of(c.encode_utf8(&mut [0; 4]), singles), true, t, w),
                })
                .collect()
        })
        .collect();
    let mut pair_in: Vec<Vec<(u32, Term, u8)>> = vec![Vec::new(); shards as usize];
    let mut char_in: Vec<Vec<(u32, Term, u8)>> = vec![Vec::new(); singles as usize];
    for (doc, terms) in per_doc.into_iter().enumerate() {
        for (s, single, t, w) in terms {
            let to = if single { &mut char_in } else { &mut pair_in };
            to[s as usize].push((doc as u32, t, w));
        }
    }
    let gather = |items: Vec<(u32, Term, u8)>| {
        let mut m: BTreeMap<String, Vec<Posting>> = BTreeMap::new();
        for (doc, t, w) in items {
            let key = match t {
                Term::Pair(p) => p,
                Term::Single(c) => c.to_string(),
            };
            m.entry(key).or_default().push((doc, w));
        }
        m
    };
    Index {
        shards,
        singles,
        pairs: pair_in.into_par_iter().map(gather).collect(),
        chars: char_in.into_par_iter().map(gather).collect(),
    }
}

/// One shard as JSON: `{"term":[doc,weight,doc,weight,…]}`, document numbers
/// as differences from the previous one (small numbers compress well).
pub fn shard_json(shard: &BTreeMap<String, Vec<Posting>>) -> String {
    let mut s = String::from("{");
    for (i, (term, postings)) in shard.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        // Terms are letters, digits and ideographs: nothing to escape.
        let _ = write!(s, "\"{term}\":[");
        let mut prev = 0;
        for (j, (doc, w)) in postings.iter().enumerate() {
            if j > 0 {
                s.push(',');
            }
            let _ = write!(s, "{},{w}", doc - prev);
            prev = *doc;
        }
        s.push(']');
    }
    s.push('}');
    s
}

impl Index {
    /// The postings of one term.
    fn postings(&self, t: &Term) -> &[Posting] {
        let (set, key, n) = match t {
            Term::Pair(p) => (&self.pairs, p.clone(), self.shards),
            Term::Single(c) => (&self.chars, c.to_string(), self.singles),
        };
        set.get(shard_of(&key, n) as usize)
            .and_then(|m| m.get(&key))
            .map_or(&[], Vec::as_slice)
    }

    /// Documents holding every term of `query`, best first: the ranking
    /// `search.js` applies (kept here for the tests).
    pub fn search(&self, docs: &[Doc], query: &str) -> Vec<u32> {
        let terms = query_terms(query);
        if terms.is_empty() {
            return Vec::new();
        }
        let mut scores: HashMap<u32, (usize, u32)> = HashMap::new();
        for t in &terms {
            for &(doc, w) in self.postings(t) {
                let e = scores.entry(doc).or_insert((0, 0));
                e.0 += 1;
                e.1 += score(w);
            }
        }
        let mut hits: Vec<(u32, u32)> = scores
            .into_iter()
            .filter(|(_, (n, _))| *n == terms.len())
            .map(|(d, (_, s))| (d, s))
            .collect();
        let year = |d: u32| docs.get(d as usize).map_or(0, |x| x.year);
        hits.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(year(b.0).cmp(&year(a.0)))
                .then(a.0.cmp(&b.0))
        });
        hits.into_iter().map(|(d, _)| d).collect()
    }
}

/// A title match outweighs any text; an organisation match any text too.
pub fn score(w: u8) -> u32 {
    let mut s = u32::from(w >> 4);
    if w & TITLE != 0 {
        s += 1000;
    }
    if w & ORG != 0 {
        s += 500;
    }
    if w & META != 0 {
        s += 50;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, title: &str, org: &str, text: &str) -> Doc {
        Doc {
            url: url.into(),
            title: title.into(),
            org: org.into(),
            year: 2024,
            text: text.into(),
        }
    }

    fn corpus() -> Vec<Doc> {
        vec![
            doc(
                "/a/",
                "质量管理体系建设",
                "甲公司",
                "我们推行精益生产，精益是基础。精益改善",
            ),
            doc("/b/", "精益管理赋能制造", "乙公司", "以现场改善为主。"),
            doc("/c/", "数字化转型", "精益科技有限公司", "质量数据平台"),
            doc("/d/", "六西格玛", "丙公司", "DMAIC 方法与 ＱＣ 小组"),
        ]
    }

    #[test]
    fn title_then_organisation_then_text() {
        let docs = corpus();
        let ix = build(&docs);
        assert_eq!(ix.search(&docs, "精益"), [1, 2, 0]);
    }

    #[test]
    fn every_term_must_match() {
        let docs = corpus();
        let ix = build(&docs);
        assert_eq!(ix.search(&docs, "精益 改善"), [1, 0]);
        assert_eq!(ix.search(&docs, "精益 数据"), [2]);
        assert!(ix.search(&docs, "精益 六西格玛").is_empty());
    }

    #[test]
    fn words_inside_longer_runs_and_folded_words() {
        let docs = corpus();
        let ix = build(&docs);
        // 西格 is inside 六西格玛.
        assert_eq!(ix.search(&docs, "西格"), [3]);
        assert_eq!(ix.search(&docs, "qc"), [3]);
        assert_eq!(ix.search(&docs, "Dmaic"), [3]);
        // One character: found through the single-character shards.
        assert_eq!(ix.search(&docs, "乙"), [1]);
        // The year and the address are searchable.
        assert_eq!(ix.search(&docs, "2024").len(), 4);
    }

    #[test]
    fn shards_hold_each_term_once_with_delta_coded_documents() {
        let docs = corpus();
        let ix = build(&docs);
        let all: String = ix.pairs.iter().map(shard_json).collect();
        assert_eq!(all.matches("\"精益\":").count(), 1);
        let json: serde_json::Value =
            serde_json::from_str(&shard_json(&ix.pairs[shard_of("精益", ix.shards) as usize]))
                .unwrap();
        // Documents 0, 1, 2 → 0, +1, +1.
        let p = json["精益"].as_array().unwrap();
        let docs_of: Vec<u64> = p.iter().step_by(2).map(|v| v.as_u64().unwrap()).collect();
        assert_eq!(docs_of, [0, 1, 1]);
    }
}
