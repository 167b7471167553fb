//! The terms of one document as the index needs them: each distinct term
//! once, with its weight, grouped by the shard file it belongs to.
//!
//! A 10,000-character summary has some 20,000 term occurrences. They are
//! counted in tables that each worker thread keeps from one document to the
//! next (an array by code point for single characters, an open-addressing
//! table of packed pairs) rather than in hash maps made per document, which
//! were most of the index's build time.

use std::cmp::Ordering;
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::pairs::PairTable;
use super::text::Doc;
use super::tokens::{hash_of, scan, shard_in, Term, Terms};

/// The term is in the title.
pub const TITLE: u8 = 1;
/// The term is in the organisation's name.
pub const ORG: u8 = 2;
/// The term is in the body text.
pub const TEXT: u8 = 4;
/// The term is in the year or the address.
pub const META: u8 = 8;

/// Chinese terms packed into a number: a pair as two 21-bit code points, a
/// single character with this bit set. Never 0 (ideographs are ≥ U+3400).
const SINGLE: u64 = 1 << 42;
const CHAR_BITS: u64 = 0x1F_FFFF;

fn pack_pair(a: char, b: char) -> u64 {
    (u64::from(a) << 21) | u64::from(b)
}

fn unpack(k: u64) -> Term<'static> {
    let c = |v: u64| char::from_u32((v & CHAR_BITS) as u32).unwrap_or('\u{FFFD}');
    if k & SINGLE != 0 {
        Term::Single(c(k))
    } else {
        Term::Pair(c(k >> 21), c(k))
    }
}

/// A weight byte: the field bits in the low four bits, how often the term
/// is in the text (held at `TF_MAX`) in the high four. Made one occurrence
/// at a time by [`bump`], or from a count by [`weight`].
const FIELDS: u8 = 0x0F;
const TF_SHIFT: u32 = 4;
const TF_MAX: u8 = 15;

/// A term's weight from the fields it is in other than the text and how
/// often it is in the text (the pair table counts, then weighs once).
pub(super) fn weight(fields: u8, in_text: u64) -> u8 {
    let text = if in_text > 0 { TEXT } else { 0 };
    let tf = in_text.min(u64::from(TF_MAX)) as u8;
    (fields & FIELDS) | text | (tf << TF_SHIFT)
}

/// Adds one occurrence in field `bit` to a weight (see [`weight`]).
pub(super) fn bump(w: &mut u8, bit: u8) {
    if bit == TEXT {
        let tf = (*w >> TF_SHIFT).saturating_add(1).min(TF_MAX);
        *w = (*w & FIELDS) | (tf << TF_SHIFT);
    }
    *w |= bit;
}

/// Which set of shard files: pairs and words, or single characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Set {
    /// `p<n>.json`.
    Pairs,
    /// `c<n>.json`.
    Singles,
}

/// A term as shards hold it: Chinese packed, words borrowed from a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key<'a> {
    /// A packed pair or single character.
    Han(u64),
    /// A folded word.
    Word(&'a str),
}

impl<'a> Key<'a> {
    /// The term's characters, as written in the shard file.
    pub fn chars(self) -> impl Iterator<Item = char> + 'a {
        let (han, word) = match self {
            Key::Han(k) => match unpack(k) {
                Term::Pair(a, b) => ([Some(a), Some(b)], ""),
                Term::Single(c) => ([Some(c), None], ""),
                Term::Word(_) => ([None, None], ""),
            },
            Key::Word(w) => ([None, None], w),
        };
        han.into_iter().flatten().chain(word.chars())
    }
}

impl Ord for Key<'_> {
    /// The order of the terms' text (that of the files before keys were packed).
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            // Packed pairs (and packed singles) sort as their characters.
            (Key::Han(a), Key::Han(b)) if (a & SINGLE) == (b & SINGLE) => a.cmp(b),
            (Key::Word(a), Key::Word(b)) => a.cmp(b),
            _ => self.chars().cmp(other.chars()),
        }
    }
}

impl PartialOrd for Key<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Consecutive shards gathered in one pass over the documents, at most (a
/// shard's place in its block is kept in a byte of each entry).
const MAX_BLOCK: u32 = 128;

/// How many consecutive shards of a set of `count` one pass gathers: an
/// eighth of them (one at least), so that the worker threads share eight
/// blocks (a set of 32 shards in one block was gathered on one thread), and
/// at most 128. A document's terms are grouped by these blocks.
pub fn block_for(count: u32) -> u32 {
    (count / 8).clamp(1, MAX_BLOCK)
}

/// One distinct term of a document in eight bytes (a document has thousands,
/// and every document's are kept until the shards are gathered): a packed
/// Chinese term or the position of a word in `DocTerms::words`, a bit
/// telling which, once grouped its shard's place in its block, and the
/// weight in the top byte.
#[derive(Debug, Clone, Copy, Default)]
struct Entry(u64);

const WORD: u64 = 1 << 43;
const ENTRY_KEY: u64 = (1 << 44) - 1;
const OFFSET_SHIFT: u32 = 44;

impl Entry {
    fn new(key: u64, weight: u8) -> Entry {
        Entry(key | (u64::from(weight) << 56))
    }

    /// The packed Chinese term, or `WORD` with the word's position.
    fn key(self) -> u64 {
        self.0 & ENTRY_KEY
    }

    fn weight(self) -> u8 {
        (self.0 >> 56) as u8
    }

    /// Its shard's place in its block (fewer than [`block_for`]'s 128).
    fn offset(self) -> u32 {
        ((self.0 >> OFFSET_SHIFT) & 0xFF) as u32
    }

    fn with_offset(self, offset: u32) -> Entry {
        Entry(self.0 & !(0xFF << OFFSET_SHIFT) | (u64::from(offset & 0xFF) << OFFSET_SHIFT))
    }

    /// Its set and shard among `shards` pair shards and `singles` single ones.
    fn shard(self, words: &[Box<str>], shards: u32, singles: u32) -> (Set, u32) {
        let key = self.key();
        let (hash, single) = if key & WORD != 0 {
            let w = words.get((key & !WORD) as usize).map_or("", |w| w);
            (hash_of(w), false)
        } else {
            (unpack(key).hash(), key & SINGLE != 0)
        };
        let set = if single { Set::Singles } else { Set::Pairs };
        (set, shard_in(hash, single, shards, singles))
    }
}

/// The distinct terms of one document, grouped by blocks of shards once the
/// number of shards is known ([`DocTerms::group`]).
#[derive(Debug, Default, Clone)]
pub struct DocTerms {
    entries: Vec<Entry>,
    words: Vec<Box<str>>,
    /// Where each block's entries start (pair blocks, then single ones, then
    /// the end). Per block rather than per shard: at 5,000 cases a start
    /// for each of 1,280 shards of each of 3,764 documents came to 19 MB.
    starts: Vec<u32>,
    shards: u32,
    singles: u32,
    /// Characters of the document's text (what the shard count is made for).
    pub chars: usize,
}

impl DocTerms {
    /// Tokenises a document's fields, weighting each term; `scratch` is the
    /// calling thread's counting tables. The terms are not yet in shards:
    /// their number depends on the text of every document, and a build
    /// counts each document's terms while its text is fresh in the cache and
    /// lets the text go, rather than holding every text until all are made.
    pub fn new(d: &Doc, scratch: &mut Scratch) -> DocTerms {
        let meta = format!("{} {}", d.year, d.url);
        scratch.reset();
        scan(&d.title, &mut Count::<TITLE>(scratch));
        scan(&d.org, &mut Count::<ORG>(scratch));
        scan(&d.text, &mut Count::<TEXT>(scratch));
        scan(&meta, &mut Count::<META>(scratch));
        let (entries, words) = scratch.terms();
        DocTerms {
            entries,
            words,
            starts: Vec::new(),
            shards: 0,
            singles: 0,
            chars: d.text.chars().count(),
        }
    }

    /// How many postings the document adds to the index: its distinct terms.
    pub fn postings(&self) -> usize {
        self.entries.len()
    }

    /// Puts the terms in the order of their blocks of shards ([`block_for`]),
    /// of `shards` pair shards and `singles` single-character ones (a
    /// counting sort by block), each marked with its shard's place in it.
    pub fn group(&mut self, shards: u32, singles: u32) {
        self.shards = shards;
        self.singles = singles;
        let blocks = self.blocks() as usize;
        let mut placed = Vec::with_capacity(self.entries.len());
        let mut starts = vec![0u32; blocks + 1];
        for e in &self.entries {
            let (set, shard) = e.shard(&self.words, shards, singles);
            let block = self.block_of(set, shard);
            placed.push((block, e.with_offset(shard - self.first_of(set, block))));
            starts[block as usize + 1] += 1;
        }
        for b in 0..blocks {
            starts[b + 1] += starts[b];
        }
        let mut next = starts.clone();
        let mut entries = vec![Entry::default(); placed.len()];
        for (block, e) in placed {
            let at = &mut next[block as usize];
            entries[*at as usize] = e;
            *at += 1;
        }
        self.entries = entries;
        self.starts = starts;
    }

    /// How many blocks the pair shards take.
    fn pair_blocks(&self) -> u32 {
        self.shards.div_ceil(block_for(self.shards))
    }

    /// How many blocks there are: the pair shards', then the single ones'.
    fn blocks(&self) -> u32 {
        self.pair_blocks() + self.singles.div_ceil(block_for(self.singles))
    }

    /// The block of `shard` of `set`, counting the pair blocks first.
    fn block_of(&self, set: Set, shard: u32) -> u32 {
        let first = match set {
            Set::Pairs => 0,
            Set::Singles => self.pair_blocks(),
        };
        first + shard / block_for(self.count(set))
    }

    /// How many shards `set` has.
    fn count(&self, set: Set) -> u32 {
        match set {
            Set::Pairs => self.shards,
            Set::Singles => self.singles,
        }
    }

    /// The first shard of `block` (which holds shards of `set`).
    fn first_of(&self, set: Set, block: u32) -> u32 {
        match set {
            Set::Pairs => block * block_for(self.shards),
            Set::Singles => (block - self.pair_blocks()) * block_for(self.singles),
        }
    }

    /// This document's terms in `shards` of `set`, each with its shard.
    pub fn in_shards(
        &self,
        set: Set,
        shards: Range<u32>,
    ) -> impl Iterator<Item = (u32, Key<'_>, u8)> + '_ {
        // Past the set's last shard lie the other set's blocks (or none).
        let count = self.count(set);
        let shards = shards.start.min(count)..shards.end.min(count);
        let blocks = if shards.is_empty() {
            0..0
        } else {
            self.block_of(set, shards.start)..self.block_of(set, shards.end - 1) + 1
        };
        blocks.flat_map(move |b| {
            let first = self.first_of(set, b);
            let shards = shards.clone();
            self.block(b).filter_map(move |e| {
                let shard = first + e.offset();
                shards
                    .contains(&shard)
                    .then(|| (shard, self.key_of(*e), e.weight()))
            })
        })
    }

    /// The entries of block `b`.
    fn block(&self, b: u32) -> std::slice::Iter<'_, Entry> {
        let from = self.starts.get(b as usize).copied().unwrap_or(0) as usize;
        let to = self.starts.get(b as usize + 1).copied().unwrap_or(0) as usize;
        self.entries.get(from..to).unwrap_or_default().iter()
    }

    fn key_of(&self, e: Entry) -> Key<'_> {
        let key = e.key();
        if key & WORD != 0 {
            Key::Word(self.words.get((key & !WORD) as usize).map_or("", |w| w))
        } else {
            Key::Han(key)
        }
    }

    /// The shards this document has terms in (with repeats).
    pub fn shards(&self) -> impl Iterator<Item = (Set, u32)> + '_ {
        let sets = [(Set::Pairs, self.shards), (Set::Singles, self.singles)];
        sets.into_iter()
            .flat_map(move |(set, n)| self.in_shards(set, 0..n).map(move |(s, _, _)| (set, s)))
    }
}

/// Counts the terms of one field (`BIT`) into a thread's tables; the field
/// is a constant so that the weight update compiles to a few instructions.
struct Count<'a, const BIT: u8>(&'a mut Scratch);

impl<const BIT: u8> Terms for Count<'_, BIT> {
    #[inline]
    fn single(&mut self, c: char) {
        self.0.add_single(c, BIT);
    }
    #[inline]
    fn pair(&mut self, a: char, b: char) {
        self.0.pairs.add(pack_pair(a, b), BIT);
    }
    fn word(&mut self, w: &str) {
        self.0.add_word(w, BIT);
    }
}

/// Counting tables kept by one worker thread from document to document.
#[derive(Debug, Default)]
pub struct Scratch {
    pairs: PairTable,
    /// Weights of single characters of the Basic Multilingual Plane, by code point.
    singles: Vec<u8>,
    /// The characters set in `singles`, to read and clear them.
    singles_used: Vec<u16>,
    /// Single characters beyond it (CJK extension B and later): rare.
    wide: FxHashMap<u32, u8>,
    words: FxHashMap<Box<str>, u8>,
}

impl Scratch {
    /// Empties the tables for the next document.
    fn reset(&mut self) {
        self.pairs.reset();
        if self.singles.is_empty() {
            self.singles = vec![0; 0x1_0000];
        }
        for &c in &self.singles_used {
            self.singles[usize::from(c)] = 0;
        }
        self.singles_used.clear();
        self.wide.clear();
        self.words.clear();
    }

    #[inline]
    fn add_single(&mut self, c: char, bit: u8) {
        match u16::try_from(u32::from(c)) {
            Ok(i) => {
                let w = &mut self.singles[usize::from(i)];
                if *w == 0 {
                    self.singles_used.push(i);
                }
                bump(w, bit);
            }
            Err(_) => self.add_wide(c, bit),
        }
    }

    /// Characters beyond the Basic Multilingual Plane are rare.
    #[cold]
    fn add_wide(&mut self, c: char, bit: u8) {
        bump(self.wide.entry(u32::from(c)).or_insert(0), bit);
    }

    /// Words are rare in Chinese text: kept out of the hot path.
    #[inline(never)]
    fn add_word(&mut self, w: &str, bit: u8) {
        match self.words.get_mut(w) {
            Some(v) => bump(v, bit),
            None => bump(self.words.entry(w.into()).or_insert(0), bit),
        }
    }

    /// The counted terms, and the words they refer to.
    fn terms(&mut self) -> (Vec<Entry>, Vec<Box<str>>) {
        let mut found: Vec<Entry> = Vec::with_capacity(
            self.pairs.len() + self.singles_used.len() + self.words.len() + self.wide.len(),
        );
        found.extend(self.pairs.iter().map(|(key, w)| Entry::new(key, w)));
        for &c in &self.singles_used {
            found.push(Entry::new(
                SINGLE | u64::from(c),
                self.singles[usize::from(c)],
            ));
        }
        for (&c, &w) in &self.wide {
            found.push(Entry::new(SINGLE | u64::from(c), w));
        }
        let mut words = Vec::with_capacity(self.words.len());
        for (w, weight) in self.words.drain() {
            found.push(Entry::new(WORD | words.len() as u64, weight));
            words.push(w);
        }
        (found, words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::tokens::shard_of;

    fn doc(title: &str, text: &str) -> Doc {
        Doc {
            url: "/a/".into(),
            title: title.into(),
            org: String::new(),
            year: 2024,
            text: text.into(),
        }
    }

    fn grouped(d: &Doc, shards: u32, singles: u32, s: &mut Scratch) -> DocTerms {
        let mut t = DocTerms::new(d, s);
        t.group(shards, singles);
        t
    }

    fn all(t: &DocTerms, shards: u32, singles: u32) -> Vec<(String, u8)> {
        let mut v: Vec<(String, u8)> = (0..shards)
            .map(|i| (Set::Pairs, i))
            .chain((0..singles).map(|i| (Set::Singles, i)))
            .flat_map(|(set, i)| t.in_shards(set, i..i + 1).collect::<Vec<_>>())
            .map(|(_, k, w)| (k.chars().collect(), w))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn each_term_once_with_fields_and_text_count() {
        let mut s = Scratch::default();
        let t = grouped(&doc("精益", "精益精益，𠀀𠀀 QC qc"), 4, 2, &mut s);
        let terms = all(&t, 4, 2);
        let get = |k: &str| terms.iter().find(|(t, _)| t == k).map(|x| x.1);
        // In the title, and twice in the text (only the text is counted).
        assert_eq!(get("精益"), Some(TITLE | TEXT | (2 << 4)));
        assert_eq!(get("益精"), Some(TEXT | (1 << 4)));
        assert_eq!(get("精"), Some(TITLE | TEXT | (2 << 4)));
        assert_eq!(get("𠀀"), Some(TEXT | (2 << 4)));
        assert_eq!(get("𠀀𠀀"), Some(TEXT | (1 << 4)));
        assert_eq!(get("qc"), Some(TEXT | (2 << 4)));
        assert_eq!(get("2024"), Some(META));
        // Each term's shard is that of its text.
        for (set, i) in t.shards().collect::<Vec<_>>() {
            for (_, k, _) in t.in_shards(set, i..i + 1) {
                let text: String = k.chars().collect();
                let n = if set == Set::Singles { 2 } else { 4 };
                assert_eq!(shard_of(&text, n), i, "{text}");
            }
        }
    }

    #[test]
    fn terms_found_by_shard_across_blocks() {
        // 512 pair shards in blocks of 64, 128 single ones in blocks of 16.
        let run: String = (0x4E00..0x4E00 + 3000).filter_map(char::from_u32).collect();
        let t = grouped(&doc("", &run), 512, 128, &mut Scratch::default());
        assert_eq!((block_for(512), block_for(128)), (64, 16));
        let mut seen = 0;
        for (set, n) in [(Set::Pairs, 512), (Set::Singles, 128)] {
            let one_by_one: Vec<_> = (0..n).flat_map(|i| t.in_shards(set, i..i + 1)).collect();
            for (i, k, _) in &one_by_one {
                let text: String = k.chars().collect();
                assert_eq!(shard_of(&text, n), *i, "{text}");
            }
            seen += one_by_one.len();
            // A range across blocks holds what its shards hold.
            let mut across: Vec<_> = t.in_shards(set, 60..70).collect();
            across.sort();
            let mut expected: Vec<_> = one_by_one
                .iter()
                .filter(|x| (60..70).contains(&x.0))
                .cloned()
                .collect();
            expected.sort();
            assert!(!across.is_empty());
            assert_eq!(across, expected, "{set:?}");
            let mut listed: Vec<u32> = t.shards().filter(|s| s.0 == set).map(|s| s.1).collect();
            listed.sort_unstable();
            listed.dedup();
            let mut with_terms: Vec<u32> = one_by_one.iter().map(|x| x.0).collect();
            with_terms.dedup();
            assert_eq!(listed, with_terms, "{set:?}");
            // A range running past the last shard holds only this set's terms.
            let past: Vec<_> = t.in_shards(set, n - 1..n + 40).collect();
            let last: Vec<_> = one_by_one
                .iter()
                .filter(|x| x.0 == n - 1)
                .cloned()
                .collect();
            assert_eq!(past, last, "{set:?}");
        }
        // 2,999 pairs, 3,000 characters, and the year and address (2024, a).
        assert_eq!(seen, 2999 + 3000 + 2);
    }

    #[test]
    fn tables_reused_across_documents_start_empty() {
        let mut s = Scratch::default();
        let long: String = "质量管理体系".repeat(200);
        let a = grouped(&doc("", &long), 8, 2, &mut s);
        let b = grouped(&doc("", "标杆"), 8, 2, &mut s);
        let fresh = grouped(&doc("", "标杆"), 8, 2, &mut Scratch::default());
        assert_eq!(all(&b, 8, 2), all(&fresh, 8, 2));
        assert!(all(&a, 8, 2).iter().any(|(k, _)| k == "体系"));
        assert!(!all(&b, 8, 2).iter().any(|(k, _)| k == "体系"));
    }

    #[test]
    fn the_pair_table_grows_without_losing_counts() {
        // 6,000 distinct ideographs, each pair twice: the table doubles twice.
        let run: String = (0x4E00..0x4E00 + 6000).filter_map(char::from_u32).collect();
        let text = format!("{run}，{run}");
        let t = grouped(&doc("", &text), 8, 2, &mut Scratch::default());
        let terms = all(&t, 8, 2);
        let pairs: Vec<_> = terms
            .iter()
            .filter(|(k, _)| k.chars().count() == 2)
            .collect();
        assert_eq!(pairs.len(), 5999);
        assert!(
            pairs.iter().all(|(_, w)| *w == TEXT | (2 << 4)),
            "{:?}",
            &pairs[..3]
        );
    }
}
