//! Overlapping flow periods, checked once a file's rows are loaded.
//!
//! The rule is the one of [`super::overlap`]: rows are taken in file order,
//! and a row whose period shares a day with a loaded row of its series is
//! rejected (and then never counts). Whether a row is loaded depends only
//! on the earlier rows *of its series*, so the rows of a file can be taken
//! series by series: they are sorted by (series, row) with a radix sort,
//! and each series is walked in file order with its periods in cache. That
//! replaces a lookup into an index of every series for every row, one
//! cache miss a row on a file with many series.
//!
//! The duplicate check runs as the rows are read, before this one, and the
//! two give what checking each row for both in turn would give: a row that
//! repeats the key of a row later rejected here has the same series and
//! period, so it overlaps the same earlier loaded row; its duplicate
//! rejection becomes that overlap rejection. In a strict load the first
//! overlap comes before the error that stopped the read (every row checked
//! here was read before it), so it is the error, and the rows from it on
//! are taken back out.

use std::collections::HashMap;

use super::overlap::{
    name_first, overlapping, period_of, period_text, row_series, series_text, MinTree, Period,
    Periods,
};
use super::{Loader, Problem, Rejection};
use crate::dataset::{DeportationColumns, NO_DAY};
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
/// overlapping periods, once the file is read; `result` is how the read
/// ended. Lenient: overlap rejections are added in line order and the rows
/// removed. Strict: the first overlap is the error. A read that failed
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
    if !index.is_active() && !(mark.rows..end).any(|r| is_multi_day(&ds.deportations, r)) {
        // Single days overlap only when they are equal: duplicates.
        return result;
    }
    index.catch_up(ds, mark.rows);
    let found = overlaps(ds, index, mark.rows, end);
    if found.is_empty() {
        return result;
    }
    let lines = &loader.state.lines[t];
    let rejection = |&(row, first): &(u32, u32)| {
        let mut problem = Problem::Overlap {
            period: period_text(period_of(ds, row as usize)),
            first_file: None,
            first_line: 0,
            first_period: String::new(),
            series: series_text(ds, row as usize),
        };
        name_first(&mut problem, ds, lines, first, file);
        Rejection::new(file, lines.line(row).1, problem)
    };
    if !loader.lenient {
        let first = rejection(&found[0]);
        let row = found[0].0 as usize;
        loader.report.read[t] = mark.read + (row - mark.rows) as u64 + 1;
        loader.report.rejected[t] = mark.rejected + 1;
        loader.report.rejections.truncate(mark.rejections);
        let removed: Vec<u32> = (row as u32..end as u32).collect();
        remove_rows(loader, table, mark.rows, end, &removed);
        return Err(Error::Rejected(Box::new(first)));
    }
    let rejections: Vec<Rejection> = found.iter().map(rejection).collect();
    let by_line: HashMap<u64, usize> =
        rejections.iter().enumerate().map(|(i, r)| (r.line, i)).collect();
    for r in &mut loader.report.rejections[mark.rejections..] {
        if let Problem::Duplicate { first_file: None, first_line, .. } = r.problem {
            if let Some(&i) = by_line.get(&first_line) {
                r.problem = rejections[i].problem.clone();
            }
        }
    }
    let removed: Vec<u32> = found.iter().map(|&(row, _)| row).collect();
    remove_rows(loader, table, mark.rows, end, &removed);
    loader.report.rejected[t] += rejections.len() as u64;
    loader.report.rejections.extend(rejections);
    loader.report.rejections[mark.rejections..].sort_by_key(|r| r.line);
    result
}

fn is_multi_day(c: &DeportationColumns, row: usize) -> bool {
    c.period_start[row] != crate::dataset::NO_DAY && c.period_start[row] != c.date[row]
}

/// Removes `removed` (sorted rows of `from..end`) and every row from `end`
/// on from the table, its line map and its duplicate index.
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
    loader.state.lines[t].remove(from, removed);
    loader.state.lines[t].truncate(write);
    let key_of = super::keys::key_of(table);
    let ds = &loader.dataset;
    loader.state.dedup[t].rebuild(write as u32, |r| key_of(ds, r));
}

/// Every row of `from..end` whose period overlaps a loaded row of its
/// series (taken in file order, rejected rows not counting), with the
/// first such loaded row in file order; sorted by row. Rows before `from`
/// are in `index`.
fn overlaps(
    ds: &Dataset,
    index: &super::overlap::OverlapIndex,
    from: usize,
    end: usize,
) -> Vec<(u32, u32)> {
    let (keys, row_bits) = by_series(ds, from, end);
    let mask = (1u64 << row_bits) - 1;
    // The periods in sorted order, read in one loop of independent loads
    // (the rows are scattered over the columns).
    let c = &ds.deportations;
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
            check_series(ds, index, &group, prior, &mut found);
        }
        i = j;
    }
    found.sort_unstable_by_key(|&(row, _)| row);
    found
}

/// Checks the rows of one series (in file order, with their first and last
/// days) against each other and
/// against the series' rows in `index` (all earlier in file order).
fn check_series(
    ds: &Dataset,
    index: &super::overlap::OverlapIndex,
    rows: &[(usize, Day, Day)],
    prior: bool,
    found: &mut Vec<(u32, u32)>,
) {
    let earlier = if prior { index.periods(row_series(ds, rows[0].0)) } else { Vec::new() };
    let mut loaded = Periods::Small(Vec::new());
    let mut rejected = Vec::new();
    for &(row, start, end) in rows {
        if overlapping(&earlier, start, end).is_some() || loaded.overlapping(start, end).is_some() {
            rejected.push((row as u32, start, end));
        } else {
            loaded.insert(Period { start, end, row: row as u32 });
        }
    }
    if rejected.is_empty() {
        return;
    }
    // The first overlapping loaded row in file order: the index's rows come
    // before this file's. Rows loaded after a rejected one have higher
    // numbers, so the final periods name the same row as those at the time.
    let loaded = loaded.all();
    let earlier_tree = MinTree::new(earlier.iter().map(|p| p.row));
    let loaded_tree = MinTree::new(loaded.iter().map(|p| p.row));
    for (row, start, end) in rejected {
        let first = first_overlapping(&earlier, &earlier_tree, start, end)
            .or_else(|| first_overlapping(&loaded, &loaded_tree, start, end))
            .expect("a rejected period overlaps a loaded one");
        found.push((row, first));
    }
}

/// The lowest row among `periods` (disjoint, sorted by start; `tree` over
/// their rows) that share a day with `start..=end`.
fn first_overlapping(periods: &[Period], tree: &MinTree, start: Day, end: Day) -> Option<u32> {
    // Disjoint and sorted by start, so sorted by end too: a run.
    let lo = periods.partition_point(|q| q.end < start);
    let hi = periods.partition_point(|q| q.start <= end);
    tree.min(lo, hi)
}

/// The rows `from..end` sorted by (series, row), as `u64`s: the row's
/// offset from `from` in the low `row_bits` bits, above it a number that
/// is equal for two rows exactly when their series are.
fn by_series(ds: &Dataset, from: usize, end: usize) -> (Vec<u64>, u32) {
    let c = &ds.deportations;
    let n = end - from;
    let row_bits = (64 - ((n - 1) as u64).leading_zeros()).max(1);
    let bits = |max: u32| 32 - max.leading_zeros();
    let crossing_bits = bits(c.crossing[from..end].iter().copied().max().unwrap_or(0));
    let source_bits = bits(c.source[from..end].iter().copied().max().unwrap_or(0));
    // Origin and host 9 bits each, kind 2, then the two text ids.
    let series_bits = 20 + crossing_bits + source_bits;
    if series_bits + row_bits > 64 {
        return by_series_wide(ds, from, end);
    }
    let mut keys: Vec<u64> = (from..end)
        .map(|r| {
            let series = c.origin[r] as u64
                | (c.host[r] as u64) << 9
                | (c.kind[r] as u64) << 18
                | (c.crossing[r] as u64) << 20
                | (c.source[r] as u64) << (20 + crossing_bits);
            series << row_bits | (r - from) as u64
        })
        .collect();
    // Stable, and the keys start in row order: sorting by the series bits
    // alone leaves each series' rows in file order.
    radix_sort(&mut keys, row_bits, row_bits + series_bits);
    (keys, row_bits)
}

/// [`by_series`] when the series and the row do not fit in 64 bits
/// together (text ids past 2^22 or so): a comparison sort on full keys.
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
