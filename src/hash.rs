//! Hashers, chosen by what is hashed.
//!
//! * [`FxBuildHasher`]: the Fx hash of rustc, small and fast, for keys made
//!   of integers that the crate assigns itself (country ids, interned text
//!   ids, day numbers, packed group keys). A file cannot choose these freely.
//! * [`TextBuildHasher`]: std's keyed SipHash with a random key per map, for
//!   texts and bytes read from files. Distinct texts with one Fx hash are easy
//!   to write (two 8-byte words, the second chosen from the first), and a
//!   file full of them would make a table quadratic; with a secret random
//!   key such collisions cannot be prepared in advance.

use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FxBuildHasher = BuildHasherDefault<FxHasher>;

/// The hasher for texts and bytes that come from files (see the module docs).
pub(crate) type TextBuildHasher = std::collections::hash_map::RandomState;
