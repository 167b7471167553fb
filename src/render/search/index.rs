//! The inverted index: per term, the documents holding it and where.
//!
//! Postings are split by a hash of the term into shard files, so that a query
//! downloads the document list and one shard per term, never the whole index.
//! Pairs and words share one set of shards; single characters (needed only
//! for one-character queries) have their own, smaller set.
//!
//! Each document is tokenised on its own (in parallel, `terms.rs`) into its
//! terms grouped by shard; shard files are then gathered from every
//! document's groups, a block of consecutive shards per pass. The
//! per-document terms are kept, so that `serve` can re-tokenise one edited
//! summary and rewrite only the shards its old and new terms are in.

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::terms::{block_for, DocTerms, Key, Scratch, Set, META, ORG, TITLE};
use super::text::Doc;
use super::tokens::{query_terms, Term};

/// About 25,000 postings (one term in one document) per shard: a pair
/// shard is then some 50 KB gzipped for real prose (the sample site's text
/// gzips to 3.1 bytes per pair posting, key included), and a query of one
/// word downloads one. Counted in postings, not characters: text of few
/// distinct words, like the bench's generated corpus (0.7 bytes a posting),
/// would otherwise get as many files for far fewer bytes, and on ext4
/// without a journal each file made soon after a deletion costs a scan of
/// the inodes freed lately.
const POSTINGS_PER_SHARD: usize = 25_000;

/// One posting: document number and weight (field bits, and in the high
/// four bits how often the term is in the text, at most 15).
pub type Posting = (u32, u8);

/// A built index: every document's terms, from which shard files are made.
#[derive(Debug, Default, Clone)]
pub struct Index {
    /// Number of pair/word shards.
    pub shards: u32,
    /// Number of single-character shards.
    pub singles: u32,
    docs: Vec<DocTerms>,
}

/// How many shards of each set `postings` postings need: a power of two
/// for the pairs.
fn shards_for(postings: usize) -> (u32, u32) {
    let shards = (postings / POSTINGS_PER_SHARD + 1).next_power_of_two() as u32;
    (shards, (shards / 4).max(1))
}

/// Postings of all `docs`: what the shard counts are made for.
fn postings(docs: &[DocTerms]) -> usize {
    docs.iter().map(DocTerms::postings).sum()
}

impl Index {
    /// The index of documents whose terms are counted ([`DocTerms::new`]),
    /// in document order.
    pub fn from_terms(mut docs: Vec<DocTerms>) -> Index {
        let (shards, singles) = shards_for(postings(&docs));
        docs.par_iter_mut().for_each(|d| d.group(shards, singles));
        Index {
            shards,
            singles,
            docs,
        }
    }

    /// Characters of text indexed.
    pub fn chars(&self) -> usize {
        self.docs.iter().map(|d| d.chars).sum()
    }

    /// Every shard, as `(set, number)`.
    pub fn all_shards(&self) -> Vec<(Set, u32)> {
        let pairs = (0..self.shards).map(|i| (Set::Pairs, i));
        pairs
            .chain((0..self.singles).map(|i| (Set::Singles, i)))
            .collect()
    }

    /// Replaces document `n` with `doc` (same position, new text). Returns
    /// the shards that must be written again, or `None` when the number of
    /// shards changed and the whole index must be rebuilt.
    pub fn replace(&mut self, n: usize, doc: &Doc) -> Option<Vec<(Set, u32)>> {
        let mut new = DocTerms::new(doc, &mut Scratch::default());
        let all = postings(&self.docs) - self.docs.get(n)?.postings() + new.postings();
        if shards_for(all) != (self.shards, self.singles) {
            return None;
        }
        new.group(self.shards, self.singles);
        let old = std::mem::replace(self.docs.get_mut(n)?, new);
        let mut touched: Vec<(Set, u32)> = old.shards().chain(self.docs[n].shards()).collect();
        touched.sort_unstable();
        touched.dedup();
        Some(touched)
    }

    /// The postings of one shard, terms in order, documents ascending.
    fn gather(&self, set: Set, shard: u32) -> Vec<(Key<'_>, Vec<Posting>)> {
        self.gather_block(set, shard..shard + 1)
            .pop()
            .unwrap_or_default()
    }

    /// The postings of consecutive shards, each as [`Index::gather`] gives
    /// them. One pass over the documents serves the whole block: a document's
    /// terms of a block of shards lie together, so each document is read
    /// from memory once per block rather than once per shard (at 5,000
    /// cases, 1,280 shards × 3,771 documents of cache misses otherwise).
    fn gather_block(&self, set: Set, shards: Range<u32>) -> Vec<Vec<(Key<'_>, Vec<Posting>)>> {
        let mut maps: Vec<FxHashMap<Key<'_>, Vec<Posting>>> =
            shards.clone().map(|_| FxHashMap::default()).collect();
        for (doc, terms) in self.docs.iter().enumerate() {
            for (shard, key, w) in terms.in_shards(set, shards.clone()) {
                let m = &mut maps[(shard - shards.start) as usize];
                m.entry(key).or_default().push((doc as u32, w));
            }
        }
        maps.into_iter()
            .map(|m| {
                let mut v: Vec<_> = m.into_iter().collect();
                v.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                v
            })
            .collect()
    }

    /// Every shard of `set` as JSON, in order, built in parallel by blocks
    /// of consecutive shards.
    pub fn all_json(&self, set: Set) -> Vec<Vec<u8>> {
        let all: Vec<u32> = (0..self.count(set)).collect();
        let json = self.some_json(set, &all);
        json.into_iter().map(|(_, j)| j).collect()
    }

    /// The shards `wanted` (ascending) of `set` as JSON, gathered as
    /// [`Index::all_json`] gathers them: an edited summary in `serve` has
    /// terms in nearly every shard.
    pub fn some_json(&self, set: Set, wanted: &[u32]) -> Vec<(u32, Vec<u8>)> {
        self.some_json_in_blocks(set, wanted, block_for(self.count(set)))
    }

    fn some_json_in_blocks(&self, set: Set, wanted: &[u32], block: u32) -> Vec<(u32, Vec<u8>)> {
        let mut starts: Vec<u32> = wanted.iter().map(|s| s / block * block).collect();
        starts.dedup();
        let wanted = |s: u32| wanted.binary_search(&s).is_ok();
        self.json_by_blocks(set, starts, block, &wanted).collect()
    }

    /// Every shard of `set` as JSON, each handed on as soon as it is made:
    /// a build writes it at once rather than holding them all.
    pub fn each_json(&self, set: Set) -> impl ParallelIterator<Item = (u32, Vec<u8>)> + '_ {
        self.each_json_in_blocks(set, block_for(self.count(set)))
    }

    fn each_json_in_blocks(
        &self,
        set: Set,
        block: u32,
    ) -> impl ParallelIterator<Item = (u32, Vec<u8>)> + '_ {
        let starts = (0..self.count(set)).step_by(block as usize).collect();
        self.json_by_blocks(set, starts, block, &|_| true)
    }

    /// The shards of blocks starting at `starts` that are `wanted`, as JSON.
    fn json_by_blocks<'a>(
        &'a self,
        set: Set,
        starts: Vec<u32>,
        block: u32,
        wanted: &'a (dyn Fn(u32) -> bool + Sync),
    ) -> impl ParallelIterator<Item = (u32, Vec<u8>)> + 'a {
        let count = self.count(set);
        starts.into_par_iter().flat_map_iter(move |from| {
            let to = (from + block).min(count);
            let gathered = self.gather_block(set, from..to).into_iter();
            (from..to)
                .zip(gathered)
                .filter(|(s, _)| wanted(*s))
                .map(|(s, postings)| (s, to_json(&postings)))
        })
    }

    /// How many shards `set` has.
    fn count(&self, set: Set) -> u32 {
        match set {
            Set::Pairs => self.shards,
            Set::Singles => self.singles,
        }
    }

    /// One shard as JSON (see [`to_json`]).
    pub fn shard_json(&self, set: Set, shard: u32) -> Vec<u8> {
        to_json(&self.gather(set, shard))
    }

    /// The postings of one term.
    fn postings(&self, t: &Term<'_>) -> Vec<Posting> {
        let set = if matches!(t, Term::Single(_)) {
            Set::Singles
        } else {
            Set::Pairs
        };
        let text = t.text();
        self.gather(set, t.shard(self.shards, self.singles))
            .into_iter()
            .find(|(k, _)| k.chars().eq(text.chars()))
            .map(|(_, p)| p)
            .unwrap_or_default()
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
            for (doc, w) in self.postings(t) {
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

/// A shard as JSON: `{"term":[doc,weight,doc,weight,…]}`, document numbers
/// as differences from the previous one (small numbers compress well).
fn to_json(postings: &[(Key<'_>, Vec<Posting>)]) -> Vec<u8> {
    let mut s = Vec::with_capacity(postings.iter().map(|p| 8 + 6 * p.1.len()).sum());
    s.push(b'{');
    let mut buf = [0u8; 4];
    for (i, (key, postings)) in postings.iter().enumerate() {
        if i > 0 {
            s.push(b',');
        }
        // Terms are letters, digits and ideographs: nothing to escape.
        s.push(b'"');
        for c in key.chars() {
            s.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        s.extend_from_slice(b"\":[");
        let mut prev = 0;
        for (j, (doc, w)) in postings.iter().enumerate() {
            if j > 0 {
                s.push(b',');
            }
            push_number(&mut s, doc - prev);
            s.push(b',');
            push_number(&mut s, u32::from(*w));
            prev = *doc;
        }
        s.push(b']');
    }
    s.push(b'}');
    s
}

/// Appends `n` in decimal.
fn push_number(s: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    s.extend_from_slice(&digits[i..]);
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

    /// The index of `docs` (document numbers are positions in `docs`), as
    /// `Search::build` makes it from the plan.
    fn build(docs: &[Doc]) -> Index {
        Index::from_terms(
            docs.par_iter()
                .map_init(Scratch::default, |s, d| DocTerms::new(d, s))
                .collect(),
        )
    }
    use crate::render::search::tokens::shard_of;

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

    fn all_json(ix: &Index, set: Set) -> Vec<String> {
        ix.all_shards()
            .into_iter()
            .filter(|s| s.0 == set)
            .map(|(set, i)| String::from_utf8(ix.shard_json(set, i)).unwrap())
            .collect()
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
        let all: String = all_json(&ix, Set::Pairs).concat();
        assert_eq!(all.matches("\"精益\":").count(), 1);
        let shard = ix.shard_json(Set::Pairs, shard_of("精益", ix.shards));
        let json: serde_json::Value = serde_json::from_slice(&shard).unwrap();
        // Documents 0, 1, 2 → 0, +1, +1.
        let p = json["精益"].as_array().unwrap();
        let docs_of: Vec<u64> = p.iter().step_by(2).map(|v| v.as_u64().unwrap()).collect();
        assert_eq!(docs_of, [0, 1, 1]);
    }

    #[test]
    fn terms_are_in_text_order_within_a_shard() {
        // Words, pairs and digits share the pair shards (one shard for so
        // little text); keys sort as text, as they did as strings.
        let docs = vec![doc(
            "/a/",
            "",
            "",
            "zz 9 ab 精益 a 益精 éa ä 𠀀字 QC 字𠀀 ｚ",
        )];
        let ix = build(&docs);
        assert_eq!((ix.shards, ix.singles), (1, 1));
        for set in [Set::Pairs, Set::Singles] {
            let json = String::from_utf8(ix.shard_json(set, 0)).unwrap();
            let keys: Vec<&str> = json
                .split("\":[")
                .filter_map(|part| part.rsplit('"').next())
                .filter(|k| !k.is_empty() && !k.contains(']'))
                .collect();
            let mut sorted = keys.clone();
            sorted.sort();
            assert!(keys.len() > 3, "{json}");
            assert_eq!(keys, sorted, "{json}");
        }
    }

    #[test]
    fn replacing_a_document_rewrites_only_its_shards() {
        let mut docs = corpus();
        let mut ix = build(&docs);
        docs[3].text = "DMAIC 方法与 ＱＣ 小组，鲲鹏".into();
        let touched = ix.replace(3, &docs[3]).expect("same shard counts");
        let fresh = build(&docs);
        for (set, i) in ix.all_shards() {
            let (a, b) = (ix.shard_json(set, i), fresh.shard_json(set, i));
            assert_eq!(a, b, "{set:?} {i}");
        }
        let kun = (Set::Pairs, shard_of("鲲鹏", ix.shards));
        assert!(touched.contains(&kun), "{touched:?}");
        assert_eq!(ix.search(&docs, "鲲鹏"), [3]);
    }

    #[test]
    fn shards_follow_postings_not_characters() {
        // A million characters of ten ideographs: few postings, one shard.
        let text: String = "质量管理小组活动成果"
            .chars()
            .cycle()
            .take(1_000_000)
            .collect();
        let mut docs = corpus();
        docs.push(doc("/e/", "长文", "丁公司", &text));
        let ix = build(&docs);
        assert!(ix.chars() > 1_000_000);
        assert_eq!((ix.shards, ix.singles), (1, 1));
    }

    #[test]
    fn shards_gathered_in_blocks_equal_shards_gathered_one_by_one() {
        // 150,000 characters drawn from 20,000 ideographs: nearly as many
        // distinct pairs, so several pair shards.
        let mut x = 1u32;
        let text: String = (0..150_000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                char::from_u32(0x4E00 + (x >> 8) % 20_000).unwrap()
            })
            .collect();
        let mut docs = corpus();
        docs.push(doc("/e/", "长文", "丁公司", &text));
        let ix = build(&docs);
        assert!(ix.shards >= 4, "{}", ix.shards);
        for set in [Set::Pairs, Set::Singles] {
            let one_by_one: Vec<Vec<u8>> = ix
                .all_shards()
                .into_iter()
                .filter(|s| s.0 == set)
                .map(|(set, i)| ix.shard_json(set, i))
                .collect();
            let all: Vec<u32> = (0..one_by_one.len() as u32).collect();
            let blocks = ix.some_json_in_blocks(set, &all, 3);
            assert_eq!(
                blocks.into_iter().map(|(_, j)| j).collect::<Vec<_>>(),
                one_by_one,
                "{set:?}"
            );
            assert_eq!(ix.all_json(set), one_by_one, "{set:?}");
            // As a build hands them on: each shard once, in any order.
            let mut each: Vec<(u32, Vec<u8>)> = ix.each_json_in_blocks(set, 3).collect();
            each.sort();
            let numbered = one_by_one.iter().cloned().enumerate();
            let expected: Vec<_> = numbered.map(|(i, j)| (i as u32, j)).collect();
            assert_eq!(each, expected, "{set:?}");
            // Some shards only, as `serve` asks for them.
            let some = ix.some_json_in_blocks(set, &[0, 2], 3);
            let expected: Vec<_> = [0u32, 2]
                .iter()
                .filter(|&&i| (i as usize) < one_by_one.len())
                .map(|&i| (i, one_by_one[i as usize].clone()))
                .collect();
            assert_eq!(some, expected, "{set:?}");
        }
    }
}
