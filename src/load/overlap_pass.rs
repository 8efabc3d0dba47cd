//! Repeated and overlapping flow periods, checked once a file's rows are
//! loaded.
//!
//! The rules are those of [`super::overlap`]: rows are taken in file
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
//! In a strict load the first such row comes before the error that
//! stopped the read, if any (every row checked here was read before it),
//! so it is the error, and the rows from it on are taken back out.

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
    // Rows past the mapped ones were not checked for duplicates (a read
    // stopped in the middle of a batch): they are not loaded, nor read.
    let end = loader.state.lines[t].len().min(loader.dataset.len(table));
    if result.is_err() && loader.dataset.len(table) > end {
        loader.dataset.truncate(table, end);
        let rejected = loader.report.rejected[t] - mark.rejected;
        loader.report.read[t] = mark.read + (end - mark.rows) as u64 + rejected;
    }
    if table != Table::Deportations || end <= mark.rows {
        return result;
    }
    let ds = &loader.dataset;
    let index = &mut loader.state.overlap;
    index.catch_up(ds, mark.rows);
    let found = overlaps(ds, index, mark.rows, end);
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
/// are in `index`. Large files are split in two halves by a hash of the
/// series, each checked on its own thread.
fn overlaps(ds: &Dataset, index: &OverlapIndex, from: usize, end: usize) -> Vec<Found> {
    let Some(layout) = Layout::new(ds, from, end) else {
        let (keys, row_bits) = by_series_wide(ds, from, end);
        return check_groups(ds, index, from, &keys, row_bits);
    };
    let two =
        end - from >= 1 << 16 && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    if !two {
        let keys = layout.sorted(ds, from, end, None);
        return check_groups(ds, index, from, &keys, layout.row_bits);
    }
    let half = |h: u64| {
        let keys = layout.sorted(ds, from, end, Some(h));
        check_groups(ds, index, from, &keys, layout.row_bits)
    };
    let (mut found, other) = std::thread::scope(|s| {
        let other = s.spawn(|| half(1));
        (half(0), other.join().expect("the overlap check does not panic"))
    });
    found.extend(other);
    found.sort_unstable_by_key(|f| f.row);
    found
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
        let row_bits = (64 - ((end - from - 1) as u64).leading_zeros()).max(1);
        let bits = |max: u32| 32 - max.leading_zeros();
        let crossing_bits = bits(c.crossing[from..end].iter().copied().max().unwrap_or(0));
        let source_bits = bits(c.source[from..end].iter().copied().max().unwrap_or(0));
        let series_bits = 20 + crossing_bits + source_bits;
        (series_bits + row_bits <= 64).then_some(Layout { crossing_bits, series_bits, row_bits })
    }

    /// The rows `from..end` (those whose series hashes to `half`, if
    /// given) sorted by (series, row): the row's offset from `from` in the
    /// low `row_bits` bits, the series above.
    fn sorted(&self, ds: &Dataset, from: usize, end: usize, half: Option<u64>) -> Vec<u64> {
        let c = &ds.deportations;
        let series = |r: usize| {
            c.origin[r] as u64
                | (c.host[r] as u64) << 9
                | (c.kind[r] as u64) << 18
                | (c.crossing[r] as u64) << 20
                | (c.source[r] as u64) << (20 + self.crossing_bits)
        };
        let mut keys: Vec<u64> = match half {
            None => (from..end).map(|r| series(r) << self.row_bits | (r - from) as u64).collect(),
            Some(h) => (from..end)
                .filter_map(|r| {
                    let s = series(r);
                    (s.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 63 == h)
                        .then_some(s << self.row_bits | (r - from) as u64)
                })
                .collect(),
        };
        // Stable, and the keys start in row order: sorting by the series
        // bits alone leaves each series' rows in file order.
        radix_sort(&mut keys, self.row_bits, self.row_bits + self.series_bits);
        keys
    }
}

/// Checks the series of `keys` (sorted by series, then row; the row's
/// offset from `from` in the low `row_bits` bits, and equal bits above for
/// equal series).
fn check_groups(
    ds: &Dataset,
    index: &OverlapIndex,
    from: usize,
    keys: &[u64],
    row_bits: u32,
) -> Vec<Found> {
    let mask = (1u64 << row_bits) - 1;
    let c = &ds.deportations;
    // The periods in sorted order, read in one loop of independent loads
    // (the rows are scattered over the columns).
    let periods: Vec<(Day, Day)> = keys
        .iter()
        .map(|&k| {
            let row = from + (k & mask) as usize;
            (c.period_start[row], c.date[row])
        })
        .collect();
    let prior = from > 0;
    let mut found = Vec::new();
    let mut group = Vec::new();
    let mut scratch = Scratch::default();
    let mut i = 0;
    while i < keys.len() {
        let series = keys[i] >> row_bits;
        let mut j = i + 1;
        while j < keys.len() && keys[j] >> row_bits == series {
            j += 1;
        }
        // A lone row of a series new in this file overlaps nothing.
        if j - i > 1 || prior {
            group.clear();
            group.extend((i..j).map(|g| {
                let (start, end) = periods[g];
                let row = from + (keys[g] & mask) as usize;
                (row, if start == NO_DAY { end } else { start }, end)
            }));
            check_series(ds, index, &group, prior, &mut scratch, &mut found);
        }
        i = j;
    }
    found.sort_unstable_by_key(|f| f.row);
    found
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

/// The rows `from..end` sorted by (series, row) when [`Layout`] cannot
/// pack them: a comparison sort on full keys, then each series numbered.
fn by_series_wide(ds: &Dataset, from: usize, end: usize) -> (Vec<u64>, u32) {
    let mut pairs: Vec<(u128, u32)> =
        (from..end).map(|r| (row_series(ds, r), (r - from) as u32)).collect();
    pairs.sort_unstable();
    let mut group = 0u64;
    let keys = pairs
        .iter()
        .enumerate()
        .map(|(i, &(series, row))| {
            if i > 0 && pairs[i - 1].0 != series {
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
fn radix_sort(keys: &mut Vec<u64>, lo: u32, hi: u32) {
    const DIGIT: u32 = 11;
    let mut buf = vec![0u64; keys.len()];
    let mut shift = lo;
    while shift < hi {
        let bits = (hi - shift).min(DIGIT);
        let mask = (1u64 << bits) - 1;
        let mut starts = vec![0usize; 1 << bits];
        for &k in keys.iter() {
            starts[((k >> shift) & mask) as usize] += 1;
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
            let d = ((k >> shift) & mask) as usize;
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
    fn packed_halved_and_wide_sorts_give_the_same_series() {
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
        let packed = groups(&layout.sorted(&ds, from, end, None), layout.row_bits);
        let mut halves = groups(&layout.sorted(&ds, from, end, Some(0)), layout.row_bits);
        halves.extend(groups(&layout.sorted(&ds, from, end, Some(1)), layout.row_bits));
        halves.sort();
        let (wide, bits) = by_series_wide(&ds, from, end);
        assert!(packed.len() > 100);
        assert_eq!(packed, groups(&wide, bits));
        assert_eq!(packed, halves);
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
}
