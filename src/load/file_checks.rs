//! Repeated registrations and repeated or overlapping flow periods,
//! checked once a file's rows are loaded.
//!
//! Flows follow the rules of [`super::overlap`]: rows are taken in file
//! order; a row with the period of a loaded row of its series is a
//! duplicate of it, and a row whose period shares a day with a loaded row
//! of its series overlaps it; either is rejected (and then never counts).
//! Whether a row is loaded depends only on the earlier rows *of its
//! series*, so the rows of a file can be taken series by series: they are
//! sorted by (series, row) with a radix sort, and each series is walked in
//! file order with its periods in cache. That replaces a lookup into an
//! index of every row and one into an index of every series for every row,
//! each a cache miss on a large file.
//!
//! Registrations are duplicates when their whole key (date, origin, host,
//! population and source) repeats: the file's rows are sorted by key the
//! same way, and of each key the first row in file order is loaded (unless
//! an earlier file loaded that key) and the others are duplicates of it.
//! Rows of earlier files are looked up in an index that is filled only
//! when a later file or a pushed row needs them.
//!
//! In a strict load the first such row comes before the error that
//! stopped the read, if any (every row checked here was read before it),
//! so it is the error, and the rows from it on are taken back out.

use super::dedup::DedupIndex;
use super::keys::registration_key;
use super::overlap::{
    first_overlapping, name_first, overlapping, period_of, period_text, row_series, series_text,
    MinTree, OverlapIndex, Period, Periods,
};
use super::{Loader, Problem, Rejection};
use crate::dataset::NO_DAY;
use crate::record::Day;
use crate::{Dataset, Error, Table};

/// Where a file's rows, counts and rejections start.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mark {
    rows: usize,
    read: u64,
    rejected: u64,
    rejections: usize,
}

impl Mark {
    pub(crate) fn new(loader: &Loader, table: Table) -> Mark {
        let t = table as usize;
        Mark {
            rows: loader.dataset.len(table),
            read: loader.report.read[t],
            rejected: loader.report.rejected[t],
            rejections: loader.report.rejections.len(),
        }
    }
}

/// Checks the rows a file added to `table` (from `mark` on) for
/// repeated and overlapping flow periods, once the file is read; `result`
/// is how the read ended. Lenient: the rejections are added in line order
/// and the rows removed. Strict: the first is the error. A read that failed
/// keeps only the rows checked before it stopped.
pub(crate) fn check_file(
    loader: &mut Loader,
    table: Table,
    file: &str,
    mark: Mark,
    result: Result<(), Error>,
) -> Result<(), Error> {
    let t = table as usize;
    // Columns the file does not have were left out row by row.
    loader.dataset.fill_columns(table);
    // Rows past the mapped ones were not checked for duplicates (a read
    // stopped in the middle of a batch): they are not loaded, nor read.
    let end = loader.state.lines[t].len().min(loader.dataset.len(table));
    if result.is_err() && loader.dataset.len(table) > end {
        loader.dataset.truncate(table, end);
        let rejected = loader.report.rejected[t] - mark.rejected;
        loader.report.read[t] = mark.read + (end - mark.rows) as u64 + rejected;
    }
    if end <= mark.rows {
        return result;
    }
    let ds = &loader.dataset;
    let found = match table {
        Table::Deportations => {
            let index = &mut loader.state.overlap;
            index.catch_up(ds, mark.rows);
            overlaps(ds, index, mark.rows, end)
        }
        Table::Registrations => {
            let index = &mut loader.state.dedup[t];
            index.catch_up(mark.rows, |r| registration_key(ds, r));
            repeats(ds, index, mark.rows, end)
        }
        Table::Statements => return result,
    };
    if found.is_empty() {
        return result;
    }
    let lines = &loader.state.lines[t];
    let rejection = |f: &Found| {
        let problem = if f.duplicate {
            lines.duplicate(f.first, file, super::keys::key_names(table))
        } else {
            let mut problem = Problem::Overlap {
                period: period_text(period_of(ds, f.row as usize)),
                first_file: None,
                first_line: 0,
                first_period: String::new(),
                series: series_text(ds, f.row as usize),
            };
            name_first(&mut problem, ds, lines, f.first, file);
            problem
        };
        Rejection::new(file, lines.line(f.row).1, problem)
    };
    if !loader.lenient {
        let first = rejection(&found[0]);
        let row = found[0].row as usize;
        loader.report.read[t] = mark.read + (row - mark.rows) as u64 + 1;
        loader.report.rejected[t] = mark.rejected + 1;
        loader.report.rejections.truncate(mark.rejections);
        remove_rows(loader, table, mark.rows, row, &[]);
        return Err(Error::Rejected(Box::new(first)));
    }
    let rejections: Vec<Rejection> = found.iter().map(rejection).collect();
    let removed: Vec<u32> = found.iter().map(|f| f.row).collect();
    remove_rows(loader, table, mark.rows, end, &removed);
    loader.report.rejected[t] += rejections.len() as u64;
    loader.report.rejections.extend(rejections);
    loader.report.rejections[mark.rejections..].sort_by_key(|r| r.line);
    result
}

/// A row of the file that repeats or overlaps a loaded row of its series,
/// and the first such loaded row in file order.
#[derive(Clone, Copy, Debug)]
struct Found {
    row: u32,
    first: u32,
    duplicate: bool,
}

/// Removes `removed` (sorted rows of `from..end`) and every row from `end`
/// on from the table and its line map.
fn remove_rows(loader: &mut Loader, table: Table, from: usize, end: usize, removed: &[u32]) {
    let t = table as usize;
    let ds = &mut loader.dataset;
    let first = removed.first().map_or(end, |&r| r as usize);
    let mut write = first;
    let mut next = removed.iter().peekable();
    for row in first..end {
        if next.next_if(|&&r| r as usize == row).is_some() {
            continue;
        }
        ds.copy_row(table, row, write);
        write += 1;
    }
    ds.truncate(table, write);
    let lines = &mut loader.state.lines[t];
    lines.truncate(end);
    if !removed.is_empty() {
        lines.remove(from, removed);
    }
}

/// Every row of `from..end` whose period repeats or overlaps a loaded row
/// of its series (taken in file order, rejected rows not counting), with
/// the first such loaded row in file order; sorted by row. Rows before `from`
/// are in `index`. Large files are checked in parts ([`in_parts`]).
fn overlaps(ds: &Dataset, index: &OverlapIndex, from: usize, end: usize) -> Vec<Found> {
    let Some(layout) = Layout::new(ds, from, end) else {
        let (keys, row_bits) = by_key_wide(from, end, |r| row_series(ds, r));
        let mask = (1u64 << row_bits) - 1;
        let keys: Vec<u128> =
            keys.iter().map(|&k| with_period(ds, k, from + (k & mask) as usize)).collect();
        return check_groups(ds, index, from, &keys, row_bits);
    };
    in_parts(
        from,
        end,
        |r| layout.series(ds, r),
        |part| {
            let keys = layout.sorted(ds, from, end, part);
            check_groups(ds, index, from, &keys, layout.row_bits)
        },
    )
}

/// A share of a file's rows for the checks: those whose key hashes to
/// part `index` of `of`; `ids` holds the part of each row of the file, by
/// offset.
#[derive(Clone, Copy, Debug)]
struct Part<'a> {
    index: u8,
    of: u8,
    ids: &'a [u8],
}

impl Part<'_> {
    /// The part of each key of `keys` among `of` parts (the key's
    /// multiplicative hash scaled to the parts: no two parts share a key).
    fn ids(keys: impl Iterator<Item = u64>, of: u8) -> Vec<u8> {
        keys.map(|key| {
            let hash = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            ((hash as u128 * of as u128) >> 64) as u8
        })
        .collect()
    }

    /// Room for this part's rows: its even share and a quarter more (the
    /// hash spreads keys, not rows, evenly).
    fn room(self) -> usize {
        let share = self.ids.len() / self.of.max(1) as usize;
        share + share / 4
    }

    /// Calls `f` with the offset (from the file's first row) of each row of
    /// this part, in order. The ids are compared 32 at a time into a bit
    /// mask (a loop the compiler turns into vector compares), so a part's
    /// rows are found without a branch per row of the file.
    #[inline(always)]
    fn each(self, mut f: impl FnMut(usize)) {
        const LANES: usize = 32;
        let chunks = self.ids.chunks_exact(LANES);
        let tail = chunks.remainder();
        for (c, chunk) in chunks.enumerate() {
            let mut mask = 0u32;
            for (i, &id) in chunk.iter().enumerate() {
                mask |= ((id == self.index) as u32) << i;
            }
            while mask != 0 {
                f(c * LANES + mask.trailing_zeros() as usize);
                mask &= mask - 1;
            }
        }
        let base = self.ids.len() - tail.len();
        for (i, &id) in tail.iter().enumerate() {
            if id == self.index {
                f(base + i);
            }
        }
    }
}

/// Rows of a part, about (the parts are cut by a hash of the key, so one
/// may hold more): its sort elements and the sort's buffer (16 bytes a row
/// each for flows, 8 for registrations) are what the check holds beside
/// the columns and a byte a row naming each row's part.
const PART_ROWS: usize = 1 << 18;

/// `check(None)` for the rows `from..end` when they are few; else the rows
/// split into an even number of parts of at most [`PART_ROWS`] rows by a
/// hash of `key` (on two cores from 2^16 rows, so that both cores work; on
/// one, past `PART_ROWS`, to bound the memory), the parts checked one after
/// the other on each core (each of two taking the next part left), so that
/// the sort buffers of one part a core at most exist at once; the results
/// merged by row.
fn in_parts(
    from: usize,
    end: usize,
    key: impl Fn(usize) -> u64 + Sync,
    check: impl Fn(Option<Part>) -> Vec<Found> + Sync,
) -> Vec<Found> {
    in_parts_of(from, end, PART_ROWS, key, check)
}

/// [`in_parts`] with parts of at most `part_rows` rows.
fn in_parts_of(
    from: usize,
    end: usize,
    part_rows: usize,
    key: impl Fn(usize) -> u64 + Sync,
    check: impl Fn(Option<Part>) -> Vec<Found> + Sync,
) -> Vec<Found> {
    let rows = end - from;
    let two = super::two_cores();
    if rows < 1 << 16 || !two && rows <= part_rows {
        return check(None);
    }
    // An even number of parts, at most 254 (a part's id is a byte).
    let of = (rows.div_ceil(part_rows).div_ceil(2) * 2).min(254) as u8;
    let ids = if two {
        let middle = from + rows / 2;
        std::thread::scope(|s| {
            let second = s.spawn(|| Part::ids((middle..end).map(&key), of));
            let mut ids = Part::ids((from..middle).map(&key), of);
            ids.extend(second.join().expect("the file checks do not panic"));
            ids
        })
    } else {
        Part::ids((from..end).map(&key), of)
    };
    // Each core takes the next part not taken until none is left (the
    // parts differ in rows and in work: neither core waits long for the
    // other at the end).
    let next = std::sync::atomic::AtomicUsize::new(0);
    let run = || {
        let mut found = Vec::new();
        loop {
            let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if index >= of as usize {
                break found;
            }
            found.extend(check(Some(Part { index: index as u8, of, ids: &ids })));
        }
    };
    // On one core the parts one after the other, for the same memory.
    let (mut found, other) = if two {
        std::thread::scope(|s| {
            let other = s.spawn(run);
            (run(), other.join().expect("the file checks do not panic"))
        })
    } else {
        (run(), Vec::new())
    };
    found.extend(other);
    found.sort_unstable_by_key(|f| f.row);
    found
}

/// The rows `from..end` packed by `pack(row, offset from from)`, those
/// whose key falls in `part` if given, sorted by bits `lo..hi` of their
/// packing (the key; the offset lies below it); stable, so rows of equal
/// keys stay in file order.
fn sort_packed<K: Packed>(
    from: usize,
    end: usize,
    pack: impl Fn(usize, usize) -> K,
    (lo, hi): (u32, u32),
    part: Option<Part>,
) -> Vec<K> {
    let mut keys: Vec<K> = match part {
        None => (from..end).map(|r| pack(r, r - from)).collect(),
        Some(part) => {
            let mut keys = Vec::with_capacity(part.room());
            part.each(|offset| keys.push(pack(from + offset, offset)));
            keys
        }
    };
    radix_sort(&mut keys, lo, hi);
    keys
}

/// An element of the file checks' sorts: a key packed above a row's
/// offset (`u64`), and for flows the row's period below both (`u128`).
trait Packed: Copy + Default {
    /// Bits `shift..` masked by `mask`.
    fn digit(self, shift: u32, mask: u64) -> usize;
    /// The bits from `shift` up.
    fn above(self, shift: u32) -> u128;
}

impl Packed for u64 {
    #[inline(always)]
    fn digit(self, shift: u32, mask: u64) -> usize {
        ((self >> shift) & mask) as usize
    }
    #[inline(always)]
    fn above(self, shift: u32) -> u128 {
        (self >> shift) as u128
    }
}

impl Packed for u128 {
    #[inline(always)]
    fn digit(self, shift: u32, mask: u64) -> usize {
        ((self >> shift) as u64 & mask) as usize
    }
    #[inline(always)]
    fn above(self, shift: u32) -> u128 {
        self >> shift
    }
}

/// A flow row's sort element: `key` (its series above its offset) in the
/// high 64 bits, its first and last days below (the first is the date
/// when the period's start is empty), so that the checks read each row's
/// period from the sorted elements, not from the columns at scattered rows.
#[inline(always)]
fn with_period(ds: &Dataset, key: u64, row: usize) -> u128 {
    let c = &ds.deportations;
    let (start, end) = (c.period_start[row], c.date[row]);
    let start = if start == NO_DAY { end } else { start };
    (key as u128) << 64 | (start as u32 as u128) << 32 | end as u32 as u128
}

/// The runs `i..j` of sorted `keys` with equal bits from `row_bits` up:
/// the rows of one key (or series), in file order.
fn runs<K: Packed>(keys: &[K], row_bits: u32) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let key = keys.get(i)?.above(row_bits);
        let start = i;
        i += 1;
        while i < keys.len() && keys[i].above(row_bits) == key {
            i += 1;
        }
        Some((start, i))
    })
}

/// The bits a value up to `max` needs.
fn bits(max: u64) -> u32 {
    64 - max.leading_zeros()
}

/// The bits the largest value of a column needs.
fn max_bits<T: Copy + Ord + Default + Into<u64>>(col: &[T]) -> u32 {
    bits(col.iter().copied().max().unwrap_or_default().into())
}

/// The bits an offset into `from..end` needs (at least one).
fn row_bits(from: usize, end: usize) -> u32 {
    bits((end - from).saturating_sub(1) as u64).max(1)
}

/// Every row of `from..end` (registrations) whose key (date, origin, host,
/// population and source) repeats a loaded row's, with the first such row
/// in file order; sorted by row. Rows before `from` are in `index`. Rows of
/// one key are found together by sorting the file's rows by key (a radix
/// sort on the key packed in 64 bits, when it fits), on two threads for a
/// large file; the first row of a key new to the load is loaded, every
/// other row of it is a duplicate of that one.
fn repeats(ds: &Dataset, index: &DedupIndex, from: usize, end: usize) -> Vec<Found> {
    let c = &ds.registrations;
    let full = |r: usize| registration_key(ds, r as u32);
    let row_bits = row_bits(from, end);
    let (min_day, max_day) =
        c.date[from..end].iter().fold((Day::MAX, Day::MIN), |(lo, hi), &d| (lo.min(d), hi.max(d)));
    let day_bits = bits((max_day - min_day) as u64);
    let (origin_bits, host_bits) = (max_bits(&c.origin[from..end]), max_bits(&c.host[from..end]));
    let population_bits = max_bits(&c.population[from..end]);
    let source_bits = max_bits(&c.source[from..end]);
    let key_bits = day_bits + origin_bits + host_bits + population_bits + source_bits;
    let check = |keys: &[u64], row_bits: u32| {
        let mask = (1u64 << row_bits) - 1;
        let mut found = Vec::new();
        for (i, j) in runs(keys, row_bits) {
            let leader = (from + (keys[i] & mask) as usize) as u32;
            let earlier = if from > 0 {
                index.get(full(leader as usize), |r| full(r as usize))
            } else {
                None
            };
            let (first, dups) = match earlier {
                Some(first) => (first, i..j),
                None => (leader, i + 1..j),
            };
            found.extend(dups.map(|g| Found {
                row: (from + (keys[g] & mask) as usize) as u32,
                first,
                duplicate: true,
            }));
        }
        found.sort_unstable_by_key(|f| f.row);
        found
    };
    if key_bits + row_bits > 64 {
        let (keys, row_bits) = by_key_wide(from, end, full);
        return check(&keys, row_bits);
    }
    let packed = |r: usize| {
        let mut k = c.source[r] as u64;
        k = k << population_bits | c.population[r] as u64;
        k = k << host_bits | c.host[r] as u64;
        k = k << origin_bits | c.origin[r] as u64;
        k << day_bits | (c.date[r] - min_day) as u64
    };
    let pack = |r: usize, offset: usize| packed(r) << row_bits | offset as u64;
    in_parts(from, end, packed, |part| {
        check(&sort_packed(from, end, pack, (row_bits, row_bits + key_bits), part), row_bits)
    })
}

/// How a row's series and offset are packed into a `u64`: origin and host
/// 9 bits each, kind 2, the crossing's and the source's text ids as many
/// bits as the largest in the file needs, and below them the row's offset.
struct Layout {
    crossing_bits: u32,
    series_bits: u32,
    row_bits: u32,
}

impl Layout {
    /// The layout for rows `from..end`, or `None` when they do not fit in
    /// 64 bits (text ids past 2^22 or so).
    fn new(ds: &Dataset, from: usize, end: usize) -> Option<Layout> {
        let c = &ds.deportations;
        let row_bits = row_bits(from, end);
        let crossing_bits = max_bits(&c.crossing[from..end]);
        let series_bits = 20 + crossing_bits + max_bits(&c.source[from..end]);
        (series_bits + row_bits <= 64).then_some(Layout { crossing_bits, series_bits, row_bits })
    }

    /// The rows `from..end` (those whose series falls in `part`, if
    /// given) sorted by (series, row), each with its period
    /// ([`with_period`]): the row's offset from `from` in the low
    /// `row_bits` bits of the high 64, the series above.
    fn sorted(&self, ds: &Dataset, from: usize, end: usize, part: Option<Part>) -> Vec<u128> {
        let pack = |r: usize, offset: usize| {
            with_period(ds, self.series(ds, r) << self.row_bits | offset as u64, r)
        };
        let lo = 64 + self.row_bits;
        sort_packed(from, end, pack, (lo, lo + self.series_bits), part)
    }

    /// Row `r`'s series, packed (inlined into the loops over every row:
    /// a call a row cost 3% of a load).
    #[inline(always)]
    fn series(&self, ds: &Dataset, r: usize) -> u64 {
        let c = &ds.deportations;
        c.origin[r] as u64
            | (c.host[r] as u64) << 9
            | (c.kind[r] as u64) << 18
            | (c.crossing[r] as u64) << 20
            | (c.source[r] as u64) << (20 + self.crossing_bits)
    }
}

/// Checks the series of `keys` (sorted by series, then row; in the high 64
/// bits the row's offset from `from` in the low `row_bits` bits and equal
/// bits above for equal series; the row's first and last days below).
fn check_groups(
    ds: &Dataset,
    index: &OverlapIndex,
    from: usize,
    keys: &[u128],
    row_bits: u32,
) -> Vec<Found> {
    let mask = (1u64 << row_bits) - 1;
    let prior = from > 0;
    let mut found = Vec::new();
    let mut group = Vec::new();
    let mut scratch = Scratch::default();
    let mut periods = Vec::new();
    for (i, j) in runs(keys, 64 + row_bits) {
        // When the table had no rows before this file, a lone row of a
        // series overlaps nothing, nor do rows whose periods are disjoint.
        if prior || j - i > 1 && !disjoint(&keys[i..j], &mut periods) {
            group.clear();
            group.extend(keys[i..j].iter().map(|&k| {
                let row = from + ((k >> 64) as u64 & mask) as usize;
                (row, (k >> 32) as u32 as Day, k as u32 as Day)
            }));
            check_series(ds, index, &group, prior, &mut scratch, &mut found);
        }
    }
    found.sort_unstable_by_key(|f| f.row);
    found
}

/// True when the periods of one series' sort elements (first day in bits
/// 32..64, last day in bits 0..32) each end no earlier than they start and
/// no two share a day: then, in any order, no row repeats or overlaps
/// another, and when the table had no rows before the file,
/// [`check_series`] would find nothing. A series whose rows come in date
/// order is seen in one pass; others are sorted by first day (then last)
/// in `periods` first.
fn disjoint(keys: &[u128], periods: &mut Vec<u64>) -> bool {
    // A period's two days with their sign bits flipped, so that unsigned
    // order is day order (days before 1970 are negative) and a period
    // sorts as one number, by first day then last.
    let period = |k: u128| k as u64 ^ 0x8000_0000_8000_0000;
    let days = |p: u64| ((p >> 32) as u32, p as u32);
    let mut last = None;
    let in_order = keys.iter().all(|&k| {
        let (start, end) = days(period(k));
        let after = last.map_or(true, |l| l < start);
        last = Some(end);
        start <= end && after
    });
    if in_order {
        return true;
    }
    periods.clear();
    periods.extend(keys.iter().map(|&k| period(k)));
    periods.sort_unstable();
    periods.iter().all(|&p| days(p).0 <= days(p).1)
        && periods.windows(2).all(|w| days(w[0]).1 < days(w[1]).0)
}

/// Buffers reused from one series to the next.
#[derive(Default)]
struct Scratch {
    loaded: Vec<Period>,
    rejected: Vec<(u32, Day, Day)>,
}

/// Checks the rows of one series (in file order, with their first and last
/// days) for repeated and overlapping periods, against each other and
/// against the series' rows in `index` (all earlier in file order).
fn check_series(
    ds: &Dataset,
    index: &OverlapIndex,
    rows: &[(usize, Day, Day)],
    prior: bool,
    scratch: &mut Scratch,
    found: &mut Vec<Found>,
) {
    let earlier = if prior { index.periods(row_series(ds, rows[0].0)) } else { Vec::new() };
    // The vector of the last series, emptied, so that most series allocate
    // nothing.
    let mut loaded = Periods::Small(std::mem::take(&mut scratch.loaded));
    scratch.rejected.clear();
    for &(row, start, end) in rows {
        let p = Period { start, end, row: row as u32 };
        let near = overlapping(&earlier, start, end).or_else(|| loaded.overlapping(start, end));
        match near {
            // The same period: the same flow reported twice.
            Some(q) if (q.start, q.end) == (start, end) => {
                found.push(Found { row: p.row, first: q.row, duplicate: true })
            }
            Some(_) => scratch.rejected.push((p.row, start, end)),
            None => loaded.insert(p),
        }
    }
    if !scratch.rejected.is_empty() {
        // The first overlapping loaded row in file order: the index's rows
        // come before this file's. Rows loaded after a rejected one have
        // higher numbers, so the final periods name the same row as those at
        // the time.
        let all = loaded.all();
        let earlier_tree = MinTree::new(earlier.iter().map(|p| p.row));
        let loaded_tree = MinTree::new(all.iter().map(|p| p.row));
        for &(row, start, end) in &scratch.rejected {
            let first = first_overlapping(&earlier, &earlier_tree, start, end)
                .or_else(|| first_overlapping(&all, &loaded_tree, start, end))
                .expect("a rejected period overlaps a loaded one");
            found.push(Found { row, first, duplicate: false });
        }
    }
    if let Periods::Small(mut v) = loaded {
        v.clear();
        scratch.loaded = v;
    }
}

/// The rows `from..end` sorted by (key, row) when their keys cannot be
/// packed in 64 bits: a comparison sort on full keys, then each key
/// numbered in its place.
fn by_key_wide(from: usize, end: usize, key: impl Fn(usize) -> u128) -> (Vec<u64>, u32) {
    let mut pairs: Vec<(u128, u32)> = (from..end).map(|r| (key(r), (r - from) as u32)).collect();
    pairs.sort_unstable();
    let mut group = 0u64;
    let keys = pairs
        .iter()
        .enumerate()
        .map(|(i, &(key, row))| {
            if i > 0 && pairs[i - 1].0 != key {
                group += 1;
            }
            group << 32 | row as u64
        })
        .collect();
    (keys, 32)
}

/// Sorts `keys` by their bits `lo..hi`, stably (least significant digit
/// first, 11 bits a pass; a pass whose digit is the same in every key is
/// skipped).
fn radix_sort<K: Packed>(keys: &mut Vec<K>, lo: u32, hi: u32) {
    const DIGIT: u32 = 11;
    let mut buf = vec![K::default(); keys.len()];
    let mut shift = lo;
    while shift < hi {
        let bits = (hi - shift).min(DIGIT);
        let mask = (1u64 << bits) - 1;
        let mut starts = vec![0usize; 1 << bits];
        for &k in keys.iter() {
            starts[k.digit(shift, mask)] += 1;
        }
        if starts.contains(&keys.len()) {
            shift += bits;
            continue;
        }
        let mut sum = 0;
        for s in starts.iter_mut() {
            let count = *s;
            *s = sum;
            sum += count;
        }
        for &k in keys.iter() {
            let d = k.digit(shift, mask);
            buf[starts[d]] = k;
            starts[d] += 1;
        }
        std::mem::swap(keys, &mut buf);
        shift += bits;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The series of rows `from..` as sorted keys give them: each series'
    /// rows in order, the series sorted by their first row.
    fn groups(keys: &[u64], row_bits: u32) -> Vec<Vec<u64>> {
        let mut out: Vec<Vec<u64>> = Vec::new();
        for (i, &k) in keys.iter().enumerate() {
            let row = k & ((1 << row_bits) - 1);
            match out.last_mut() {
                Some(g) if i > 0 && keys[i - 1] >> row_bits == k >> row_bits => g.push(row),
                _ => out.push(vec![row]),
            }
        }
        out.sort();
        out
    }

    #[test]
    fn packed_split_and_wide_sorts_give_the_same_series() {
        let mut ds = Dataset::default();
        let texts: Vec<u32> =
            (0..40).map(|i| ds.texts.intern(&format!("text {i}")).unwrap()).collect();
        let mut x: u64 = 5;
        for day in 0..20_000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ds.deportations.push(crate::dataset::DeportationRow {
                date: day,
                period_start: NO_DAY,
                origin: (x >> 60) as u16,
                host: (x >> 56 & 3) as u16,
                kind: (x >> 54 & 3) as u8,
                crossing: texts[(x >> 40) as usize % 40],
                source: texts[(x >> 30) as usize % 3],
                count: 1,
                ..Default::default()
            });
        }
        let (from, end) = (1_000, 20_000);
        let layout = Layout::new(&ds, from, end).unwrap();
        // The flows' elements, without their periods.
        let high = |keys: Vec<u128>| keys.iter().map(|&k| (k >> 64) as u64).collect::<Vec<_>>();
        let packed = groups(&high(layout.sorted(&ds, from, end, None)), layout.row_bits);
        let mut parts = Vec::new();
        let ids = Part::ids((from..end).map(|r| layout.series(&ds, r)), 3);
        for index in 0..3 {
            let part = Some(Part { index, of: 3, ids: &ids });
            parts.extend(groups(&high(layout.sorted(&ds, from, end, part)), layout.row_bits));
        }
        parts.sort();
        let (wide, bits) = by_key_wide(from, end, |r| row_series(&ds, r));
        assert!(packed.len() > 100);
        assert_eq!(packed, groups(&wide, bits));
        assert_eq!(packed, parts);
    }

    #[test]
    fn a_file_checked_in_many_parts_finds_what_one_pass_finds() {
        let mut ds = Dataset::default();
        let texts: Vec<u32> = (0..3).map(|i| ds.texts.intern(&format!("t{i}")).unwrap()).collect();
        let mut x: u64 = 23;
        for _ in 0..100_000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let date = 19_000 + (x >> 40) as Day % 2_000;
            ds.deportations.push(crate::dataset::DeportationRow {
                date,
                period_start: if x >> 38 & 1 == 0 { NO_DAY } else { date - (x >> 30 & 7) as Day },
                origin: (x >> 60) as u16,
                host: (x >> 58 & 1) as u16,
                crossing: texts[(x >> 24) as usize % 3],
                source: texts[(x >> 20) as usize % 3],
                count: 1,
                ..Default::default()
            });
        }
        let (from, end) = (0, 100_000);
        let index = OverlapIndex::default();
        let layout = Layout::new(&ds, from, end).unwrap();
        let check = |part: Option<Part<'_>>| {
            check_groups(&ds, &index, from, &layout.sorted(&ds, from, end, part), layout.row_bits)
        };
        let rows = |f: Vec<Found>| -> Vec<(u32, u32, bool)> {
            f.iter().map(|f| (f.row, f.first, f.duplicate)).collect()
        };
        let whole = rows(check(None));
        assert!(whole.len() > 10_000);
        // 100,000 rows in parts of at most 7,000: 16 parts, taken by two threads.
        let series = |r| layout.series(&ds, r);
        assert_eq!(rows(in_parts_of(from, end, 7_000, series, check)), whole);
    }

    #[test]
    fn registration_repeats_packed_and_wide_follow_the_plain_rule() {
        // Sources 0..3, then the same rows with text ids near 2^31: the key
        // no longer fits in 64 bits beside the row and is sorted whole.
        for wide in [false, true] {
            let mut ds = Dataset::default();
            let mut x: u64 = 7;
            for r in 0..5_000 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let source = (x >> 20) as u32 % 3;
                ds.registrations.push(crate::dataset::RegistrationRow {
                    // The rows before `from` are loaded: no two alike.
                    date: if r < 1_000 { r } else { (x >> 60) as Day },
                    // Ids near 256 take 9 bits each, so that the wide key
                    // is 10 + 9 + 9 + 1 + 32 bits, past 64 with the row.
                    origin: 250 + (x >> 56 & 3) as u16,
                    host: 250 + (x >> 50 & 3) as u16,
                    population: (x >> 40 & 1) as u8,
                    source: if wide { source | 1 << 31 } else { source },
                    count: 1,
                    ..Default::default()
                });
            }
            let from = 1_000;
            let mut index = DedupIndex::default();
            index.catch_up(from, |r| registration_key(&ds, r));
            let full = |r: usize| registration_key(&ds, r as u32);
            // The plain rule: the first loaded row of the key.
            let mut first: std::collections::HashMap<u128, u32> = Default::default();
            for r in 0..from {
                first.entry(full(r)).or_insert(r as u32);
            }
            let mut want = Vec::new();
            for r in from..5_000 {
                match first.get(&full(r)) {
                    Some(&f) => want.push((r as u32, f)),
                    None => {
                        first.insert(full(r), r as u32);
                    }
                }
            }
            let got: Vec<(u32, u32)> =
                repeats(&ds, &index, from, 5_000).iter().map(|f| (f.row, f.first)).collect();
            assert!(want.len() > 1_000, "repeats are common");
            assert_eq!(got, want, "wide: {wide}");
        }
    }

    #[test]
    fn radix_sort_sorts_by_the_bits_given_and_keeps_order_within() {
        let mut x: u64 = 99;
        let mut keys: Vec<u64> = (0..50_000u64)
            .map(|i| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (x >> 30) << 16 | i
            })
            .collect();
        let mut want = keys.clone();
        want.sort_by_key(|k| k >> 16);
        radix_sort(&mut keys, 16, 64);
        assert_eq!(keys, want);
    }

    #[test]
    fn disjoint_series_are_those_the_exact_check_finds_nothing_in() {
        // The exact file-order check of a file with no earlier rows, over
        // series near both ends of the day numbers and around 1970, in
        // date order and not.
        let (ds, index) = (Dataset::default(), OverlapIndex::default());
        let (mut scratch, mut periods) = (Scratch::default(), Vec::new());
        let mut next = crate::load::draws(7);
        let (mut yes, mut no) = (0, 0);
        for case in 0..40_000 {
            let len = 2 + next(if case % 10 == 0 { 80 } else { 6 }) as usize;
            let base: Day = [i32::MIN, -400, 19_000, i32::MAX - 2_000][case % 4];
            let mut days: Vec<(Day, Day)> = (0..len)
                .map(|_| {
                    let start = base + next(len as u64 * 10) as Day;
                    (start, start + next(12) as Day)
                })
                .collect();
            if case % 3 == 0 {
                days.sort();
            }
            let rows: Vec<(usize, Day, Day)> =
                days.iter().enumerate().map(|(row, &(s, e))| (row, s, e)).collect();
            let keys: Vec<u128> = rows
                .iter()
                .map(|&(row, s, e)| {
                    (row as u128) << 64 | (s as u32 as u128) << 32 | e as u32 as u128
                })
                .collect();
            let mut found = Vec::new();
            check_series(&ds, &index, &rows, false, &mut scratch, &mut found);
            assert_eq!(disjoint(&keys, &mut periods), found.is_empty(), "{days:?}");
            if found.is_empty() {
                yes += 1;
            } else {
                no += 1;
            }
        }
        assert!(yes > 4_000 && no > 4_000, "{yes} {no}");
    }

    #[test]
    fn disjoint_periods_are_those_no_two_of_which_share_a_day() {
        // Pairs compared day by day: the oracle knows nothing of sorting.
        let share_a_day =
            |a: (Day, Day), b: (Day, Day)| (a.0..=a.1).any(|d| (b.0..=b.1).contains(&d));
        let element = |(start, end): (Day, Day)| (start as u32 as u128) << 32 | end as u32 as u128;
        let mut next = crate::load::draws(11);
        let (mut yes, mut no) = (0, 0);
        let mut scratch = Vec::new();
        for case in 0..20_000 {
            let len = 1 + next(if case % 10 == 0 { 40 } else { 6 }) as usize;
            // Days around 1970 (negative before it), a narrow span so that
            // periods often touch, meet or repeat; now and then a period
            // that ends before it starts, or rows in date order.
            let mut periods: Vec<(Day, Day)> = (0..len)
                .map(|_| {
                    let start = next(len as u64 * 12) as Day - 30;
                    let end = start + next(10) as Day - i32::from(next(50) == 0) * 3;
                    (start, end)
                })
                .collect();
            if case % 3 == 0 {
                periods.sort();
            }
            let want = periods.iter().all(|p| p.0 <= p.1)
                && (0..len).all(|i| (0..i).all(|j| !share_a_day(periods[i], periods[j])));
            let keys: Vec<u128> = periods.iter().map(|&p| element(p)).collect();
            assert_eq!(disjoint(&keys, &mut scratch), want, "{periods:?}");
            if want {
                yes += 1;
            } else {
                no += 1;
            }
        }
        // Both answers, in date order and not, were exercised.
        assert!(yes > 2_000 && no > 2_000, "{yes} {no}");
        // The same first and last day twice; one day apart; one day shared.
        assert!(!disjoint(&[element((5, 9)), element((5, 9))], &mut scratch));
        assert!(disjoint(&[element((10, 12)), element((5, 9))], &mut scratch));
        assert!(!disjoint(&[element((9, 12)), element((5, 9))], &mut scratch));
        assert!(disjoint(&[element((-3, -1)), element((0, 0))], &mut scratch));
    }
}
