//! Interned texts: every distinct trimmed string stored once, referred to by a `u32` id.

use std::collections::HashMap;

use crate::hash::FxBuildHasher;

/// Id 0 is always the empty string, so an absent optional text is id 0.
#[derive(Clone, Debug)]
pub(crate) struct Interner {
    ids: HashMap<Box<str>, u32, FxBuildHasher>,
    texts: Vec<Box<str>>,
    /// A direct-mapped cache of recent ids, indexed by a cheap hash of the
    /// text's length and ends: columns such as `source` repeat a few values
    /// millions of times, and one comparison is cheaper than a map lookup.
    recent: Box<[u32; RECENT]>,
}

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
        Interner { ids, texts: vec!["".into()], recent: Box::new([0; RECENT]) }
    }
}

impl Interner {
    /// The id of `text`, adding it if new. Allocates only for a new text.
    pub(crate) fn intern(&mut self, text: &str) -> u32 {
        let slot = recent_slot(text);
        let cached = self.recent[slot];
        if *self.texts[cached as usize] == *text {
            return cached;
        }
        let id = match self.ids.get(text) {
            Some(&id) => id,
            None => {
                let id = self.texts.len() as u32;
                self.texts.push(text.into());
                self.ids.insert(text.into(), id);
                id
            }
        };
        self.recent[slot] = id;
        id
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
