//! Search terms: overlapping character pairs for Chinese, single characters
//! for one-character queries, lower-cased words for everything else.
//!
//! `search.js` splits queries with the same rules; keep the two in step.

use std::borrow::Cow;

/// One term of a text, as the index stores it. Chinese terms are plain
/// characters and words borrow the tokeniser's buffer, so that tokenising a
/// document allocates nothing per term.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term<'a> {
    /// Two adjacent Chinese characters.
    Pair(char, char),
    /// A word of letters and digits, folded (lower-case, half-width).
    Word(Cow<'a, str>),
    /// One Chinese character (found only by one-character queries).
    Single(char),
}

impl Term<'_> {
    /// The term as written in the index files.
    pub fn text(&self) -> String {
        match self {
            Term::Pair(a, b) => [*a, *b].iter().collect(),
            Term::Word(w) => w.to_string(),
            Term::Single(c) => c.to_string(),
        }
    }

    /// Which shard file holds the term: of `shards` pair/word shards, or of
    /// `singles` single-character shards.
    pub fn shard(&self, shards: u32, singles: u32) -> u32 {
        shard_in(
            self.hash(),
            matches!(self, Term::Single(_)),
            shards,
            singles,
        )
    }

    /// The hash of the term's text that its shard is taken from.
    pub fn hash(&self) -> u32 {
        let mut buf = [0u8; 8];
        match self {
            Term::Pair(a, b) => {
                let n = a.encode_utf8(&mut buf).len();
                let m = b.encode_utf8(&mut buf[n..]).len();
                fnv(&buf[..n + m])
            }
            Term::Word(w) => hash_of(w),
            Term::Single(c) => fnv(c.encode_utf8(&mut buf).as_bytes()),
        }
    }
}

/// Folds full-width ASCII to half-width and lower-cases, so that `ＩＳＯ`,
/// `Iso` and `iso` are one word. One character in, one character out.
pub fn fold(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c
    }
}

/// Chinese characters proper: ideographs, not punctuation.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// General punctuation, CJK punctuation (、。《》「」〔〕…) and the
/// ideographic space: code points that hold no letter or digit.
fn is_mark(cp: u32) -> bool {
    matches!(cp, 0x2000..=0x206F | 0x3000..=0x3004 | 0x3008..=0x3020)
}

fn is_word(c: char) -> bool {
    // Marks answered without Unicode's tables, which Chinese text would
    // otherwise consult for every one.
    if is_mark(c as u32) {
        return false;
    }
    c.is_alphanumeric() && !is_han(c)
}

/// What receives the terms of a text from [`scan`].
pub trait Terms {
    /// One Chinese character.
    fn single(&mut self, c: char);
    /// Two adjacent Chinese characters (after the second one's `single`).
    fn pair(&mut self, a: char, b: char);
    /// A folded word.
    fn word(&mut self, w: &str);
}

/// Calls `emit` with every term of `text`, in order: for each run of Chinese
/// characters its single characters and overlapping pairs, for each word
/// of letters and digits the folded word.
pub fn each_term(text: &str, emit: impl FnMut(Term<'_>)) {
    struct Emit<F>(F);
    impl<F: FnMut(Term<'_>)> Terms for Emit<F> {
        fn single(&mut self, c: char) {
            (self.0)(Term::Single(c))
        }
        fn pair(&mut self, a: char, b: char) {
            (self.0)(Term::Pair(a, b))
        }
        fn word(&mut self, w: &str) {
            (self.0)(Term::Word(Cow::Borrowed(w)))
        }
    }
    scan(text, &mut Emit(emit));
}

/// [`each_term`] for a sink: the index's counting tables take the terms of
/// millions of characters this way. Chinese text is mostly three-byte
/// characters of the main ideograph blocks and punctuation, with ASCII
/// digits between, all decoded here straight from the bytes; everything else
/// goes through [`fold`] and Unicode's tables.
pub fn scan(text: &str, sink: &mut impl Terms) {
    let b = text.as_bytes();
    let mut prev_han: Option<char> = None;
    // One buffer for every word of the text; `sink` borrows it.
    let mut word = String::new();
    let mut i = 0;
    while i < b.len() {
        let lead = b[i];
        if lead < 0x80 {
            i += 1;
            ascii(lead, &mut prev_han, &mut word, sink);
            continue;
        }
        if (0xE2..=0xEF).contains(&lead) && i + 2 < b.len() {
            // A valid `str`: these three bytes are this one character.
            let cp = (u32::from(lead & 0x0F) << 12)
                | (u32::from(b[i + 1] & 0x3F) << 6)
                | u32::from(b[i + 2] & 0x3F);
            match cp {
                0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => {
                    let c = char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER);
                    i += 3;
                    han(c, &mut prev_han, &mut word, sink);
                    continue;
                }
                // Punctuation and the ideographic space.
                cp if is_mark(cp) => {
                    i += 3;
                    ascii(b' ', &mut prev_han, &mut word, sink);
                    continue;
                }
                // Full-width ASCII, folded.
                0xFF01..=0xFF5E => {
                    i += 3;
                    ascii((cp - 0xFEE0) as u8, &mut prev_han, &mut word, sink);
                    continue;
                }
                _ => {}
            }
        }
        let Some(raw) = text[i..].chars().next() else {
            break;
        };
        i += raw.len_utf8();
        let c = fold(raw);
        if is_han(c) {
            han(c, &mut prev_han, &mut word, sink);
        } else {
            prev_han = None;
            if is_word(c) {
                word.extend(c.to_lowercase());
            } else if !word.is_empty() {
                sink.word(&word);
                word.clear();
            }
        }
    }
    if !word.is_empty() {
        sink.word(&word);
    }
}

/// An ASCII character (or one that folds to one): letters and digits go
/// into the word, lower-cased; anything else ends it. Either ends a run of
/// Chinese characters.
#[inline(always)]
fn ascii(b: u8, prev: &mut Option<char>, word: &mut String, sink: &mut impl Terms) {
    *prev = None;
    if b.is_ascii_alphanumeric() {
        word.push(char::from(b.to_ascii_lowercase()));
    } else if !word.is_empty() {
        sink.word(word);
        word.clear();
    }
}

/// A Chinese character: it ends the word before it, is a term itself and
/// pairs with the character before it.
#[inline(always)]
fn han(c: char, prev: &mut Option<char>, word: &mut String, sink: &mut impl Terms) {
    if !word.is_empty() {
        sink.word(word);
        word.clear();
    }
    sink.single(c);
    if let Some(p) = *prev {
        sink.pair(p, c);
    }
    *prev = Some(c);
}

/// The terms a query asks for: pairs of each Chinese run (its character when
/// the run is one character long) and its words; each once.
pub fn query_terms(query: &str) -> Vec<Term<'static>> {
    let mut out: Vec<Term<'static>> = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    fn push(t: Term<'static>, out: &mut Vec<Term<'static>>) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    fn end_run(run: &mut Vec<char>, out: &mut Vec<Term<'static>>) {
        match run.as_slice() {
            [] => {}
            [c] => push(Term::Single(*c), out),
            r => r.windows(2).for_each(|w| push(Term::Pair(w[0], w[1]), out)),
        }
        run.clear();
    }
    for c in query.chars().map(fold).chain([' ']) {
        if is_han(c) {
            if !word.is_empty() {
                push(Term::Word(Cow::Owned(std::mem::take(&mut word))), &mut out);
            }
            run.push(c);
        } else {
            end_run(&mut run, &mut out);
            if is_word(c) {
                word.extend(c.to_lowercase());
            } else if !word.is_empty() {
                push(Term::Word(Cow::Owned(std::mem::take(&mut word))), &mut out);
            }
        }
    }
    out
}

/// FNV-1a over the UTF-8 bytes: which shard file holds a term.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    within(hash_of(term), shards)
}

/// The hash of a term's text (FNV-1a over its UTF-8 bytes, as `search.js`).
pub fn hash_of(term: &str) -> u32 {
    fnv(term.as_bytes())
}

/// The shard of a term of `hash`: of the `singles` single-character shards
/// for a single character, else of the `shards` pair/word shards.
pub fn shard_in(hash: u32, single: bool, shards: u32, singles: u32) -> u32 {
    if single {
        within(hash, singles)
    } else {
        within(hash, shards)
    }
}

/// `hash % n`: the shard of a term of that hash among `n`. Shard counts
/// are powers of two, for which a mask gives the same number without a
/// division (millions of terms per build).
fn within(hash: u32, n: u32) -> u32 {
    if n.is_power_of_two() {
        hash & (n - 1)
    } else {
        hash % n.max(1)
    }
}

fn fnv(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules of [`scan`] one character at a time, without its byte
    /// fast path: what the fast path must agree with.
    fn by_chars(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let (mut prev, mut word) = (None, String::new());
        for c in text.chars().map(fold) {
            if is_han(c) {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                out.push(c.to_string());
                if let Some(p) = prev {
                    out.push(format!("{p}{c}"));
                }
                prev = Some(c);
            } else {
                prev = None;
                if is_word(c) {
                    word.extend(c.to_lowercase());
                } else if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
        }
        if !word.is_empty() {
            out.push(word);
        }
        out
    }

    #[test]
    fn the_byte_fast_path_agrees_with_the_rules_for_every_character() {
        let mut text = String::new();
        for cp in (0x09..=0xFFFF).chain(0x20000..=0x20010) {
            if let Some(c) = char::from_u32(cp) {
                text.extend(['质', c, '量', c, 'A', c, ' ']);
            }
        }
        let mut got = Vec::new();
        each_term(&text, |t| got.push(t.text()));
        assert_eq!(got, by_chars(&text));
    }

    fn pairs(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        each_term(text, |t| {
            if !matches!(t, Term::Single(_)) {
                v.push(t.text())
            }
        });
        v
    }

    #[test]
    fn chinese_runs_become_overlapping_pairs() {
        assert_eq!(pairs("精益管理"), ["精益", "益管", "管理"]);
        // Punctuation ends a run: no pair across it.
        assert_eq!(pairs("精益，管理"), ["精益", "管理"]);
    }

    #[test]
    fn words_are_folded_to_half_width_lower_case() {
        assert_eq!(pairs("ＩＳＯ9001与Six Sigma"), ["iso9001", "six", "sigma"]);
        assert_eq!(fold('Ａ'), 'a');
        assert_eq!(fold('　'), ' ');
    }

    #[test]
    fn single_characters_are_terms_too() {
        let mut v = Vec::new();
        each_term("质量", |t| v.push(t.text()));
        assert_eq!(v, ["质", "量", "质量"]);
    }

    #[test]
    fn queries_ask_for_pairs_or_a_lone_character() {
        assert_eq!(
            query_terms("六西格玛"),
            [
                Term::Pair('六', '西'),
                Term::Pair('西', '格'),
                Term::Pair('格', '玛')
            ]
        );
        assert_eq!(query_terms("质"), [Term::Single('质')]);
        assert_eq!(
            query_terms("质 QC小组"),
            [
                Term::Single('质'),
                Term::Word("qc".into()),
                Term::Pair('小', '组')
            ]
        );
        assert_eq!(query_terms("精益 精益"), [Term::Pair('精', '益')]);
        assert!(query_terms("，。 ").is_empty());
    }

    #[test]
    fn shards_are_stable() {
        // search.js computes the same numbers; these pin the function.
        assert_eq!(shard_of("精益", 1), 0);
        assert_eq!(shard_of("a", 1 << 31), 0xe40c292c % (1 << 31));
        // A term's shard is that of its text, whatever its kind.
        for (t, n) in [
            (Term::Pair('精', '益'), 64),
            (Term::Word("iso9001".into()), 64),
            (Term::Single('质'), 16),
        ] {
            let singles = if matches!(t, Term::Single(_)) { n } else { 1 };
            assert_eq!(t.shard(n, singles), shard_of(&t.text(), n), "{t:?}");
        }
    }

    #[test]
    fn punctuation_is_never_part_of_a_word() {
        // The fast path of is_word agrees with Unicode's tables.
        for cp in (0x2000..=0x206F)
            .chain(0x3000..=0x3004)
            .chain(0x3008..=0x3020)
        {
            let c = char::from_u32(cp).unwrap();
            assert!(!c.is_alphanumeric(), "U+{cp:04X}");
        }
        assert!(is_word('々') && is_word('〇') && is_word('x'));
    }
}
