//! The table a worker thread counts one document's character pairs in.

use super::terms::{weight, TEXT};

/// An open-addressing table of packed pairs, each slot the key (42 bits),
/// how often the pair is in the text (16 bits, held at their maximum) and
/// the other fields it is in (0 marks a free slot). Counting in the text,
/// where nearly every pair is, is one addition; the weight byte is made
/// once per distinct pair ([`PairTable::iter`]). The table starts small and
/// doubles at half full: a summary's few thousand distinct pairs then stay
/// in the processor's nearest caches, which a table sized for the worst
/// case missed.
#[derive(Debug, Default)]
pub(super) struct PairTable {
    slots: Vec<u64>,
    /// The slots in use, to read and clear them.
    used: Vec<u32>,
    shift: u32,
}

const COUNT_SHIFT: u32 = 42;
const KEY_BITS: u64 = (1 << COUNT_SHIFT) - 1;
const COUNT_MAX: u64 = 0xFFFF;
const FIELD_SHIFT: u32 = 58;

impl PairTable {
    /// Empties the table for the next document.
    pub(super) fn reset(&mut self) {
        if self.slots.len() > 1 << 16 || self.slots.is_empty() {
            self.resize(1 << 12);
        } else {
            for &i in &self.used {
                self.slots[i as usize] = 0;
            }
        }
        self.used.clear();
    }

    fn resize(&mut self, len: usize) {
        let old = std::mem::replace(&mut self.slots, vec![0; len]);
        self.shift = 64 - len.trailing_zeros();
        let used = std::mem::take(&mut self.used);
        for i in used {
            let v = old[i as usize];
            let at = self.find(v & KEY_BITS);
            self.slots[at] = v;
            self.used.push(at as u32);
        }
    }

    /// The slot holding `key`, or the free slot where it belongs.
    #[inline(always)]
    fn find(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        // Fibonacci hashing: the high bits of the product.
        let mut i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
        loop {
            let v = self.slots[i];
            if v == 0 || v & KEY_BITS == key {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds one occurrence of `key` in field `bit` (a constant where it is
    /// called, so only one of the two branches is compiled in).
    #[inline(always)]
    pub(super) fn add(&mut self, key: u64, bit: u8) {
        // 0 marks a free slot; wider keys would run into the count.
        debug_assert!(key != 0 && key <= KEY_BITS, "{key:#x}");
        let mut i = self.find(key);
        if self.slots[i] == 0 {
            i = self.insert(key, i);
        }
        let v = &mut self.slots[i];
        if bit == TEXT {
            if (*v >> COUNT_SHIFT) & COUNT_MAX != COUNT_MAX {
                *v += 1 << COUNT_SHIFT;
            }
        } else {
            *v |= u64::from(bit) << FIELD_SHIFT;
        }
    }

    /// Puts a new key in free slot `i` (or where it belongs after growing).
    #[cold]
    fn insert(&mut self, key: u64, mut i: usize) -> usize {
        if (self.used.len() + 1) * 2 > self.slots.len() {
            self.resize(self.slots.len() * 2);
            i = self.find(key);
        }
        self.slots[i] = key;
        self.used.push(i as u32);
        i
    }

    /// How many distinct pairs are counted.
    pub(super) fn len(&self) -> usize {
        self.used.len()
    }

    /// Every pair counted, with its weight.
    pub(super) fn iter(&self) -> impl Iterator<Item = (u64, u8)> + '_ {
        self.used.iter().map(|&i| {
            let v = self.slots[i as usize];
            let count = (v >> COUNT_SHIFT) & COUNT_MAX;
            (v & KEY_BITS, weight((v >> FIELD_SHIFT) as u8, count))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::terms::{bump, META, ORG, TITLE};

    fn weight_of(t: &PairTable, key: u64) -> Option<u8> {
        t.iter().find(|(k, _)| *k == key).map(|(_, w)| w)
    }

    #[test]
    fn weights_equal_those_made_one_occurrence_at_a_time() {
        // Each key gets up to 40 occurrences, most in the text (counts on
        // either side of 15), the other fields in every mix.
        let mut t = PairTable::default();
        t.reset();
        for key in 1..=400u64 {
            let mut expected = 0u8;
            for n in 0..key % 41 {
                let bit = match (key * 7 + n * 3) % 11 {
                    0 => TITLE,
                    1 => ORG,
                    2 => META,
                    _ => TEXT,
                };
                t.add(key, bit);
                bump(&mut expected, bit);
            }
            if key % 41 == 0 {
                assert_eq!(weight_of(&t, key), None);
            } else {
                assert_eq!(weight_of(&t, key), Some(expected), "{key}");
            }
        }
        // Some keys went past 15 in the text, some stayed under it.
        let tf: Vec<u8> = t.iter().map(|(_, w)| w >> 4).collect();
        assert!(tf.contains(&15) && tf.iter().any(|&n| n > 0 && n < 15));
    }

    #[test]
    fn a_count_past_its_bits_neither_wraps_nor_spills_into_the_fields() {
        let mut t = PairTable::default();
        t.reset();
        for _ in 0..70_000 {
            t.add(42, TEXT);
        }
        assert_eq!(weight_of(&t, 42), Some(TEXT | (15 << 4)));
        t.add(42, ORG);
        assert_eq!(weight_of(&t, 42), Some(ORG | TEXT | (15 << 4)));
    }
}
