//! Search terms: overlapping character pairs for Chinese, single characters
//! for one-character queries, lower-cased words for everything else.
//!
//! `search.js` splits queries with the same rules; keep the two in step.

/// One term of a text, as the index stores it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// Two adjacent Chinese characters (or a word of letters and digits).
    Pair(String),
    /// One Chinese character (found only by one-character queries).
    Single(char),
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

fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_han(c)
}

/// Calls `emit` with every term of `text`, in order: for each run of Chinese
/// characters its single characters and overlapping pairs, for each word
/// of letters and digits the folded word.
pub fn each_term(text: &str, mut emit: impl FnMut(Term)) {
    let mut prev_han: Option<char> = None;
    let mut word = String::new();
    for c in text.chars().map(fold) {
        if is_han(c) {
            flush_word(&mut word, &mut emit);
            emit(Term::Single(c));
            if let Some(p) = prev_han {
                // Built directly: `format!` here was a tenth of a large build.
                let mut pair = String::with_capacity(p.len_utf8() + c.len_utf8());
                pair.push(p);
                pair.push(c);
                emit(Term::Pair(pair));
            }
            prev_han = Some(c);
        } else {
            prev_han = None;
            if is_word(c) {
                word.extend(c.to_lowercase());
            } else {
                flush_word(&mut word, &mut emit);
            }
        }
    }
    flush_word(&mut word, &mut emit);
}

fn flush_word(word: &mut String, emit: &mut impl FnMut(Term)) {
    if !word.is_empty() {
        emit(Term::Pair(std::mem::take(word)));
    }
}

/// The terms a query asks for: pairs of each Chinese run (its character when
/// the run is one character long) and its words; each once.
pub fn query_terms(query: &str) -> Vec<Term> {
    let mut out: Vec<Term> = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    fn push(t: Term, out: &mut Vec<Term>) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    fn end_run(run: &mut Vec<char>, out: &mut Vec<Term>) {
        match run.as_slice() {
            [] => {}
            [c] => push(Term::Single(*c), out),
            r => r
                .windows(2)
                .for_each(|w| push(Term::Pair(format!("{}{}", w[0], w[1])), out)),
        }
        run.clear();
    }
    for c in query.chars().map(fold).chain([' ']) {
        if is_han(c) {
            if !word.is_empty() {
                push(Term::Pair(std::mem::take(&mut word)), &mut out);
            }
            run.push(c);
        } else {
            end_run(&mut run, &mut out);
            if is_word(c) {
                word.extend(c.to_lowercase());
            } else if !word.is_empty() {
                push(Term::Pair(std::mem::take(&mut word)), &mut out);
            }
        }
    }
    out
}

/// FNV-1a over the UTF-8 bytes: which shard file holds a term.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in term.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        each_term(text, |t| {
            if let Term::Pair(p) = t {
                v.push(p)
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
        each_term("质量", |t| v.push(t));
        assert_eq!(
            v,
            [
                Term::Single('质'),
                Term::Single('量'),
                Term::Pair("质量".into())
            ]
        );
    }

    #[test]
    fn queries_ask_for_pairs_or_a_lone_character() {
        assert_eq!(
            query_terms("六西格玛"),
            [
                Term::Pair("六西".into()),
                Term::Pair("西格".into()),
                Term::Pair("格玛".into())
            ]
        );
        assert_eq!(query_terms("质"), [Term::Single('质')]);
        assert_eq!(
            query_terms("质 QC小组"),
            [
                Term::Single('质'),
                Term::Pair("qc".into()),
                Term::Pair("小组".into())
            ]
        );
        assert_eq!(query_terms("精益 精益"), [Term::Pair("精益".into())]);
        assert!(query_terms("，。 ").is_empty());
    }

    #[test]
    fn shards_are_stable() {
        // search.js computes the same numbers; these pin the function.
        assert_eq!(shard_of("精益", 1), 0);
        assert_eq!(shard_of("a", 1 << 31), 0xe40c292c % (1 << 31));
    }
}
