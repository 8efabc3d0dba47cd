//! Duplicate detection on the load path, in little memory.
//!
//! Each loaded row has a 128-bit key packed from its typed key columns. The
//! index is an open-addressing table of `u64` slots holding a 32-bit hash tag
//! and the row number plus one; a tag match is confirmed by rebuilding the
//! stored row's key from the columns. The slot index is taken from the tag
//! (scaled to the table's length, which need not be a power of two), so
//! growing the table moves slots without touching the columns. That is 8
//! bytes a slot at a load factor of at most three quarters, about 11 bytes
//! a row, far less than a map from keys to lines; lines are recovered from
//! row numbers by [`LineMap`].

/// An empty slot.
const EMPTY: u64 = 0;

/// Finds earlier rows with the same key.
#[derive(Clone, Debug, Default)]
pub(crate) struct DedupIndex {
    slots: Vec<u64>,
    len: usize,
    /// Rows `0..indexed` are in the index, for a table whose files are
    /// checked once read ([`DedupIndex::catch_up`]).
    indexed: usize,
}

/// A 64-bit hash of a 128-bit key.
#[inline]
pub(crate) fn mix(key: u128) -> u64 {
    // murmur3's 64-bit finaliser over both halves.
    fn fmix(mut k: u64) -> u64 {
        k ^= k >> 33;
        k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
        k ^= k >> 33;
        k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        k ^ (k >> 33)
    }
    fmix((key as u64) ^ fmix((key >> 64) as u64).rotate_left(17))
}

impl DedupIndex {
    /// Looks `key` up; if no earlier row has it, records `row` under it and
    /// returns `None`, else returns the earlier row. `key_of` rebuilds the key
    /// of a stored row.
    pub(crate) fn check_insert(
        &mut self,
        key: u128,
        row: u32,
        key_of: impl Fn(u32) -> u128,
    ) -> Option<u32> {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.resize((self.slots.len() * 2).max(1024));
        }
        let tag = mix(key) >> 32;
        match self.probe(key, tag, key_of) {
            Ok(other) => Some(other),
            Err(empty) => {
                self.slots[empty] = (tag << 32) | (row as u64 + 1);
                self.len += 1;
                None
            }
        }
    }

    /// The earlier row with `key`, if any; `key_of` rebuilds the key of a
    /// stored row.
    pub(crate) fn get(&self, key: u128, key_of: impl Fn(u32) -> u128) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        self.probe(key, mix(key) >> 32, key_of).ok()
    }

    /// The row stored under `key` (whose hash tag is `tag`), or the empty
    /// slot where it would go (the table has one: it is never full).
    fn probe(&self, key: u128, tag: u64, key_of: impl Fn(u32) -> u128) -> Result<u32, usize> {
        let n = self.slots.len();
        let mut i = home(tag, n);
        loop {
            let slot = self.slots[i];
            if slot == EMPTY {
                return Err(i);
            }
            if slot >> 32 == tag {
                let other = (slot as u32).wrapping_sub(1);
                if key_of(other) == key {
                    return Ok(other);
                }
            }
            i += 1;
            if i == n {
                i = 0;
            }
        }
    }

    /// Adds rows `indexed..upto` (loaded rows, no two with one key), for a
    /// table whose files are checked once read: the index is filled only
    /// when a later file or a pushed row needs the rows before it.
    pub(crate) fn catch_up(&mut self, upto: usize, key_of: impl Fn(u32) -> u128) {
        if self.indexed >= upto {
            return;
        }
        self.reserve(upto - self.indexed);
        for row in self.indexed as u32..upto as u32 {
            let earlier = self.check_insert(key_of(row), row, &key_of);
            debug_assert!(earlier.is_none(), "loaded rows have distinct keys");
        }
        self.indexed = upto;
    }

    /// [`check_insert`](Self::check_insert) for `row`, the next row of a
    /// table whose files are checked once read: the rows before it are
    /// indexed first.
    pub(crate) fn check_next(&mut self, row: u32, key_of: impl Fn(u32) -> u128) -> Option<u32> {
        self.catch_up(row as usize, &key_of);
        let earlier = self.check_insert(key_of(row), row, &key_of);
        if earlier.is_none() {
            self.indexed = row as usize + 1;
        }
        earlier
    }

    /// Grows the table now so that `additional` inserts need no growing;
    /// at least doubles it when it grows, so growing stays linear overall.
    pub(crate) fn reserve(&mut self, additional: usize) {
        let needed = (self.len + additional) * 4 / 3 + 1;
        if needed > self.slots.len() {
            self.resize(needed.max(self.slots.len() * 2).max(1024));
        }
    }

    /// Sizes the table for `total` rows at once (when the file size tells
    /// how many to expect), without the doubling slack.
    pub(crate) fn reserve_exact(&mut self, total: usize) {
        let needed = total * 4 / 3 + 1;
        if needed > self.slots.len() {
            self.resize(needed.max(1024));
        }
    }

    /// Reads the home slot of each key, so that the probes that follow find
    /// them in cache: independent loads overlap, where probes interleaved
    /// with parsing would wait for memory one at a time.
    pub(crate) fn touch(&self, keys: &[u128]) -> u64 {
        let n = self.slots.len();
        if n == 0 {
            return 0;
        }
        keys.iter().fold(0, |acc, &k| acc ^ self.slots[home(mix(k) >> 32, n)])
    }

    fn resize(&mut self, new_len: usize) {
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; new_len]);
        for slot in old.into_iter().filter(|&s| s != EMPTY) {
            let mut i = home(slot >> 32, new_len);
            while self.slots[i] != EMPTY {
                i += 1;
                if i == new_len {
                    i = 0;
                }
            }
            self.slots[i] = slot;
        }
    }
}

/// The home slot of a 32-bit tag in a table of `n` slots (Lemire's
/// multiply-shift range reduction: uniform for any `n`).
#[inline]
fn home(tag: u64, n: usize) -> usize {
    ((tag * n as u64) >> 32) as usize
}

/// Maps loaded row numbers of one table back to the files and physical
/// lines they started on, storing only the rows where the line-row offset
/// or the file changes (multi-line quoted fields, blank lines, rejected
/// rows, a new file).
#[derive(Clone, Debug, Default)]
pub(crate) struct LineMap {
    /// `(first row, line of that row - row (wrapping), file)`, rows ascending.
    runs: Vec<(u32, u64, u32)>,
    files: Vec<String>,
    /// Rows mapped: `0..len`.
    len: u32,
}

impl LineMap {
    /// The rows mapped, `0..len()`.
    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }

    /// Forgets rows `rows..`.
    pub(crate) fn truncate(&mut self, rows: usize) {
        if rows >= self.len() {
            return;
        }
        let keep = self.runs.partition_point(|&(r, _, _)| (r as usize) < rows);
        self.runs.truncate(keep);
        let files = self.runs.last().map_or(0, |&(_, _, f)| f as usize + 1);
        self.files.truncate(files);
        self.len = rows as u32;
    }

    /// Rows `from..` minus `removed` (sorted, all `>= from`), renumbered
    /// down to close the gaps.
    pub(crate) fn remove(&mut self, from: usize, removed: &[u32]) {
        let kept: Vec<(u64, u32)> = (from..self.len())
            .filter(|&r| removed.binary_search(&(r as u32)).is_err())
            .map(|r| {
                let i = self.runs.partition_point(|&(first, _, _)| first as usize <= r);
                let (_, offset, file) = self.runs[i - 1];
                ((r as u64).wrapping_add(offset), file)
            })
            .collect();
        let keep = self.runs.partition_point(|&(r, _, _)| (r as usize) < from);
        self.runs.truncate(keep);
        for (i, &(line, file)) in kept.iter().enumerate() {
            let row = (from + i) as u32;
            let offset = line.wrapping_sub(row as u64);
            if self.runs.last().map(|&(_, o, f)| (o, f)) != Some((offset, file)) {
                self.runs.push((row, offset, file));
            }
        }
        self.len = (from + kept.len()) as u32;
    }

    pub(crate) fn push(&mut self, row: u32, line: u64, file: &str) {
        self.push_all(row, &[line], file);
    }

    /// [`LineMap::push`] of rows `first..` at `lines` of one file (its
    /// name compared once, not once a row).
    pub(crate) fn push_all(&mut self, first: u32, lines: &[u64], file: &str) {
        debug_assert_eq!(first, self.len);
        if lines.is_empty() {
            return;
        }
        if self.files.last().map_or(true, |f| f != file) {
            self.files.push(file.to_string());
        }
        let file = self.files.len() as u32 - 1;
        for (row, &line) in (first..).zip(lines) {
            // Wrapping: a later file's lines may be smaller than the row number.
            let offset = line.wrapping_sub(row as u64);
            if self.runs.last().map(|&(_, o, f)| (o, f)) != Some((offset, file)) {
                self.runs.push((row, offset, file));
            }
        }
        self.len = first + lines.len() as u32;
    }

    /// The file and line of a loaded row.
    pub(crate) fn line(&self, row: u32) -> (&str, u64) {
        let i = self.runs.partition_point(|&(r, _, _)| r <= row);
        let (_, offset, file) = self.runs[i - 1];
        (&self.files[file as usize], (row as u64).wrapping_add(offset))
    }

    /// The `Duplicate` problem for a row of `file` whose key equals `first`'s.
    pub(crate) fn duplicate(&self, first: u32, file: &str, key: &'static str) -> super::Problem {
        let (first_file, first_line) = self.line(first);
        let first_file = (first_file != file).then(|| first_file.to_string());
        super::Problem::Duplicate { first_file, first_line, key }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_duplicate_and_nothing_else() {
        let keys: Vec<u128> = (0..10_000u128).map(|i| ((i % 7_000) << 70) | (i % 7_000)).collect();
        let mut index = DedupIndex::default();
        for (row, &k) in keys.iter().enumerate() {
            let found = index.check_insert(k, row as u32, |r| keys[r as usize]);
            if row < 7_000 {
                assert_eq!(found, None);
            } else {
                assert_eq!(found, Some(row as u32 - 7_000));
            }
        }
    }

    #[test]
    fn line_map_of_batches_recovers_every_line_in_fewest_runs() {
        // Batches of rows (some empty) from two files, lines rising with
        // jumps, the file changing between batches, then a cut and more.
        let mut next = crate::load::draws(9);
        let mut map = LineMap::default();
        let mut want: Vec<(&str, u64)> = Vec::new();
        let mut line = 1;
        for batch in 0..300 {
            if batch == 200 {
                map.truncate(want.len() / 2);
                want.truncate(want.len() / 2);
            }
            let file = if batch / 7 % 2 == 0 { "a.csv" } else { "b.csv" };
            let lines: Vec<u64> = (0..next(5))
                .map(|_| {
                    line += 1 + u64::from(next(4) == 0) * next(3);
                    line
                })
                .collect();
            map.push_all(want.len() as u32, &lines, file);
            want.extend(lines.iter().map(|&l| (file, l)));
            assert_eq!(map.len(), want.len());
        }
        for (row, &w) in want.iter().enumerate() {
            assert_eq!(map.line(row as u32), w, "{row}");
        }
        // A run starts where the line stops following the row, or the file
        // changes: no more runs than that.
        let starts = (0..want.len())
            .filter(|&r| r == 0 || want[r].0 != want[r - 1].0 || want[r].1 != want[r - 1].1 + 1)
            .count();
        assert_eq!(map.runs.len(), starts);
    }

    #[test]
    fn line_map_recovers_lines() {
        let lines = [2u64, 3, 5, 6, 7, 10, 11];
        let mut map = LineMap::default();
        for (row, &line) in lines.iter().enumerate() {
            map.push(row as u32, line, if row < 4 { "a.csv" } else { "b.csv" });
        }
        for (row, &line) in lines.iter().enumerate() {
            assert_eq!(map.line(row as u32), (if row < 4 { "a.csv" } else { "b.csv" }, line));
        }
    }
}
