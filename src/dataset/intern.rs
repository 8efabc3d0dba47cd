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

/// `a == b`, for the short texts of a column (a source, a crossing) by a
/// few word compares instead of a call to compare memory.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    // Two loads from each end, overlapping when shorter than both.
    let w8 = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().expect("8 bytes"));
    let w4 = |s: &[u8], i: usize| u32::from_le_bytes(s[i..i + 4].try_into().expect("4 bytes"));
    match n {
        8..=16 => w8(a, 0) == w8(b, 0) && w8(a, n - 8) == w8(b, n - 8),
        4..=7 => w4(a, 0) == w4(b, 0) && w4(a, n - 4) == w4(b, n - 4),
        _ => a == b,
    }
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
    #[inline]
    pub(crate) fn intern(&mut self, text: &str) -> Result<u32, TextsFull> {
        let slot = recent_slot(text);
        let cached = self.recent[slot];
        if same(self.texts[cached as usize].as_bytes(), text.as_bytes()) {
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
    fn same_compares_every_byte_of_short_and_long_texts() {
        for n in 0..40usize {
            let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(same(&a, &a.clone()), "{n}");
            for i in 0..n {
                let mut b = a.clone();
                b[i] ^= 0x20;
                assert!(!same(&a, &b), "{n} {i}");
            }
            assert!(!same(&a, &a[..n.saturating_sub(1)]) || n == 0, "{n}");
        }
    }

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
}
