//! Interned texts: every distinct trimmed string stored once, referred to by a `u32` id.

use std::collections::HashMap;

use crate::hash::FxBuildHasher;

/// Id 0 is always the empty string, so an absent optional text is id 0.
#[derive(Clone, Debug)]
pub(crate) struct Interner {
    ids: HashMap<Box<str>, u32, FxBuildHasher>,
    texts: Vec<Box<str>>,
}

impl Default for Interner {
    fn default() -> Self {
        let mut interner = Interner { ids: HashMap::default(), texts: Vec::new() };
        interner.intern("");
        interner
    }
}

impl Interner {
    /// The id of `text`, adding it if new. Allocates only for a new text.
    pub(crate) fn intern(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(text.into());
        self.ids.insert(text.into(), id);
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
