//! Interned texts: every distinct trimmed string stored once, referred to by a `u32` id.

use std::collections::HashMap;

use crate::hash::TextBuildHasher;

/// Id 0 is always the empty string, so an absent optional text is id 0.
#[derive(Clone, Debug)]
pub(crate) struct Interner {
    ids: HashMap<Box<str>, u32, TextBuildHasher>,
    texts: Vec<Box<str>>,
    /// A direct-mapped cache of recent ids, indexed by a cheap hash of the
    /// text's length and ends: columns such as `source` repeat a few values
    /// millions of times, and one comparison is cheaper than a map lookup.
    recent: Box<[u32; RECENT]>,
    /// The most texts this interner holds (ids are `0..limit`).
    limit: u32,
}

/// The interner holds as many texts as its ids can number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TextsFull;

const RECENT: usize = 256;

fn recent_slot(text: &str) -> usize {
    let b = text.as_bytes();
    let (first, last) = (b.first().copied().unwrap_or(0), b.last().copied().unwrap_or(0));
    let mid = b.get(b.len() / 2).copied().unwrap_or(0);
    (b.len() ^ (first as usize) << 1 ^ (last as usize) << 3 ^ (mid as usize) << 5) % RECENT
}

impl Default for Interner {
    fn default() -> Self {
        let mut ids = HashMap::default();
        ids.insert("".into(), 0);
        Interner { ids, texts: vec!["".into()], recent: Box::new([0; RECENT]), limit: u32::MAX }
    }
}

impl Interner {
    /// An interner that holds at most `limit` texts (the empty one included),
    /// for tests of the boundary.
    #[cfg(test)]
    pub(crate) fn with_limit(limit: u32) -> Self {
        Interner { limit, ..Interner::default() }
    }

    /// The id of `text`, adding it if new. Allocates only for a new text.
    ///
    /// # Errors
    ///
    /// [`TextsFull`] when `text` is new and the ids are used up: an id never wraps.
    pub(crate) fn intern(&mut self, text: &str) -> Result<u32, TextsFull> {
        let slot = recent_slot(text);
        let cached = self.recent[slot];
        if *self.texts[cached as usize] == *text {
            return Ok(cached);
        }
        let id = match self.ids.get(text) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.texts.len())
                    .ok()
                    .filter(|&id| id < self.limit)
                    .ok_or(TextsFull)?;
                self.texts.push(text.into());
                self.ids.insert(text.into(), id);
                id
            }
        };
        self.recent[slot] = id;
        Ok(id)
    }

    /// The id of `text` if it was ever interned.
    pub(crate) fn get(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }

    /// The text of an id.
    pub(crate) fn text(&self, id: u32) -> &str {
        &self.texts[id as usize]
    }

    /// Number of distinct texts, the empty one included.
    pub(crate) fn len(&self) -> usize {
        self.texts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_never_wrap_at_the_limit() {
        let mut t = Interner::with_limit(3);
        assert_eq!(t.intern("a"), Ok(1));
        assert_eq!(t.intern("b"), Ok(2));
        assert_eq!(t.intern("c"), Err(TextsFull));
        // Known texts are still found.
        assert_eq!(t.intern("a"), Ok(1));
        assert_eq!(t.intern(""), Ok(0));
        assert_eq!(t.len(), 3);
    }

    /// `n` distinct ASCII texts of 16 bytes that all share one Fx hash: the
    /// second 8-byte word cancels the first (Fx: `h = (rotl(h, 5) ^ w) * K`).
    pub(crate) fn fx_colliding_texts(n: usize) -> Vec<String> {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut out = Vec::with_capacity(n);
        let mut i: u64 = 0;
        while out.len() < n {
            i += 1;
            // The first word: letters only, from the counter's bits.
            let a_bytes: [u8; 8] = std::array::from_fn(|j| b'a' + ((i >> (3 * j)) % 26) as u8);
            let a = u64::from_le_bytes(a_bytes);
            let b = (a.wrapping_mul(K)).rotate_left(5);
            let b_bytes = b.to_le_bytes();
            // Keep ASCII without line ends or CSV specials, not ending in a space.
            let fits = |c: &u8| c.is_ascii() && !b"\n\r,\"".contains(c);
            if b_bytes.iter().all(fits) && !(9..=13).contains(&b_bytes[7]) && b_bytes[7] != b' ' {
                let bytes: Vec<u8> = a_bytes.iter().chain(&b_bytes).copied().collect();
                out.push(String::from_utf8(bytes).expect("ASCII"));
            }
        }
        out
    }

    #[test]
    fn texts_that_collide_under_fx_spread_under_the_text_hasher() {
        use std::hash::{BuildHasher, Hash, Hasher};
        let texts = fx_colliding_texts(2_000);
        let fx = |s: &str| {
            let mut h = crate::hash::FxHasher::default();
            s.hash(&mut h);
            h.finish()
        };
        // The input is adversarial: one Fx hash for all.
        assert!(texts.iter().all(|t| fx(t) == fx(&texts[0])));
        let state = crate::hash::TextBuildHasher::default();
        let mut hashes: Vec<u64> = texts.iter().map(|t| state.hash_one(t.as_str())).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), texts.len());
        let mut t = Interner::default();
        for s in &texts {
            t.intern(s).unwrap();
        }
        assert_eq!(t.len(), texts.len() + 1);
    }
}
