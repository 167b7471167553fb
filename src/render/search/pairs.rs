//! The table a worker thread counts one document's character pairs in.

use super::terms::bump;

/// An open-addressing table of packed pairs, each slot the key with its
/// weight in the top byte (0 marks a free slot). It starts small and doubles
/// at half full: a summary's few thousand distinct pairs then stay in the
/// processor's nearest caches, which a table sized for the worst case missed.
#[derive(Debug, Default)]
pub(super) struct PairTable {
    slots: Vec<u64>,
    /// The slots in use, to read and clear them.
    used: Vec<u32>,
    shift: u32,
}

const WEIGHT_SHIFT: u32 = 56;
const KEY_BITS: u64 = (1 << WEIGHT_SHIFT) - 1;

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

    /// Adds one occurrence of `key` in field `bit`.
    #[inline(always)]
    pub(super) fn add(&mut self, key: u64, bit: u8) {
        let mut i = self.find(key);
        if self.slots[i] == 0 {
            i = self.insert(key, i);
        }
        let v = &mut self.slots[i];
        let mut w = (*v >> WEIGHT_SHIFT) as u8;
        bump(&mut w, bit);
        *v = (*v & KEY_BITS) | (u64::from(w) << WEIGHT_SHIFT);
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
            (v & KEY_BITS, (v >> WEIGHT_SHIFT) as u8)
        })
    }
}
