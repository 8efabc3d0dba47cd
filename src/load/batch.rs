//! Loaded rows checked in batches: duplicates, the capacity of a table,
//! and the strict/lenient accounting of rejections.

use super::dedup::{DedupIndex, LineMap};
use super::keys::{key_names, key_of};
use super::overlap::OverlapIndex;
use super::{Loader, Problem, Rejection};
use crate::{Dataset, Error, Table};

/// Per-table state that lives across files: duplicate indexes and line maps.
#[derive(Debug)]
pub(crate) struct State {
    pub(super) dedup: [DedupIndex; 3],
    pub(super) lines: [LineMap; 3],
    /// The loaded periods of each deportation series.
    pub(super) overlap: OverlapIndex,
    /// The most rows a table holds: row numbers are `u32`, and the duplicate
    /// index stores a row plus one, so `u32::MAX - 1` (lowered by tests).
    pub(super) max_rows: usize,
}

/// The most rows of one table a dataset holds.
pub(crate) const MAX_ROWS: usize = u32::MAX as usize - 1;

impl Default for State {
    fn default() -> Self {
        State {
            dedup: Default::default(),
            lines: Default::default(),
            overlap: Default::default(),
            max_rows: MAX_ROWS,
        }
    }
}

/// Checks the pending batch, then returns the error for a row that would
/// go past the table's capacity, if it would: the rows before it are kept,
/// and the load stops (the row counts as rejected).
pub(super) fn check_capacity(
    loader: &mut Loader,
    table: Table,
    file: &str,
    batch: &mut Batch,
    line: u64,
) -> Result<(), Error> {
    if loader.dataset.len(table) < loader.state.max_rows {
        return Ok(());
    }
    if let Some(dup) = flush(loader, table, file, batch) {
        return Err(Error::Rejected(dup));
    }
    if loader.dataset.len(table) < loader.state.max_rows {
        return Ok(());
    }
    Err(too_many_rows(loader, table, file, line))
}

/// The error for a row that would go past the table's capacity; the rows
/// before it are kept, and the load stops (the row counts as rejected).
#[cold]
pub(super) fn too_many_rows(loader: &mut Loader, table: Table, file: &str, line: u64) -> Error {
    loader.report.rejected[table as usize] += 1;
    let problem = Problem::TooManyRows { limit: loader.state.max_rows as u64 };
    Error::Rejected(Box::new(Rejection::new(file, line, problem)))
}

/// Counts a rejected row; in strict mode (or when the problem stops every
/// load) it stops the load, once the pending batch is checked, unless a
/// duplicate on an earlier line of that batch comes first.
pub(super) fn reject(
    loader: &mut Loader,
    table: Table,
    file: &str,
    batch: &mut Batch,
    rejection: Box<Rejection>,
) -> Result<(), Error> {
    if !loader.lenient || rejection.problem.is_fatal() {
        if let Some(dup) = flush(loader, table, file, batch) {
            return Err(Error::Rejected(dup));
        }
    }
    loader.report.rejected[table as usize] += 1;
    if !loader.lenient || rejection.problem.is_fatal() {
        return Err(Error::Rejected(rejection));
    }
    loader.report.rejections.push(*rejection);
    Ok(())
}

/// Drops the rows from `n` on (a duplicate just pushed).
pub(super) fn truncate(ds: &mut Dataset, table: Table, n: usize) {
    ds.truncate(table, n);
}

/// Reserves the columns and the duplicate index for the rows a file of
/// `size` bytes will hold, estimated from the `rows` found in its first
/// `read` bytes, so that they are allocated once rather than doubled.
pub(super) fn reserve_for(loader: &mut Loader, table: Table, size: u64, read: u64, rows: u64) {
    if read == 0 || rows == 0 || size <= read {
        return;
    }
    let expected = (size as f64 / read as f64 * rows as f64 * 1.02) as u64;
    let held = loader.dataset.len(table) as u64;
    let additional = expected.saturating_sub(rows).min(u32::MAX as u64) as usize;
    loader.dataset.reserve(table, additional);
    if table == Table::Statements {
        loader.state.dedup[table as usize].reserve_exact(additional + held as usize);
    }
}

/// Rows parsed but not yet checked for duplicates: checking them together
/// lets their hash-table probes overlap.
pub(super) struct Batch {
    /// The first row of the batch.
    start: usize,
    /// The line of each row of the batch.
    pub(super) lines: Vec<u64>,
    /// Where the batch's rejections start in the report.
    rejections_from: usize,
    keys: Vec<u128>,
    /// The columns (bits by position) that the file does not have and
    /// that are not read before the file's checks: merged rows leave them
    /// out, and [`Dataset::fill_columns`] adds them, unwritten, once the
    /// file is read (0: every column is written row by row).
    pub(super) absent: u32,
}

pub(super) const BATCH: usize = 512;

impl Batch {
    pub(super) fn new(loader: &Loader, table: Table) -> Batch {
        Batch {
            start: loader.dataset.len(table),
            lines: Vec::with_capacity(BATCH),
            rejections_from: loader.report.rejections.len(),
            keys: Vec::with_capacity(BATCH),
            absent: 0,
        }
    }
}

/// Checks the batch's rows for duplicates, in order; removes duplicates
/// from the columns and lists their rejections in line order among the
/// batch's other rejections. Returns the first duplicate's rejection in
/// strict mode (the batch's rows are then left in place: the load stops).
pub(super) fn flush(
    loader: &mut Loader,
    table: Table,
    file: &str,
    batch: &mut Batch,
) -> Option<Box<Rejection>> {
    let t = table as usize;
    let ds = &mut loader.dataset;
    let state = &mut loader.state;
    let end = ds.len(table);
    if table != Table::Statements {
        // Registrations and flows (with their overlapping periods) are
        // checked for duplicates once the file is read (`file_checks`).
        state.lines[t].push_all(batch.start as u32, &batch.lines, file);
        batch.start = end;
        batch.lines.clear();
        batch.rejections_from = loader.report.rejections.len();
        return None;
    }
    let key_of = key_of(table);
    batch.keys.clear();
    batch.keys.extend((batch.start..end).map(|r| key_of(ds, r as u32)));
    state.dedup[t].reserve(batch.keys.len());
    std::hint::black_box(state.dedup[t].touch(&batch.keys));
    let mut write = batch.start;
    let mut found = false;
    for (j, &key) in batch.keys.iter().enumerate() {
        let (row, line) = (batch.start + j, batch.lines[j]);
        if write != row {
            ds.copy_row(table, row, write);
        }
        let problem = state.dedup[t]
            .check_insert(key, write as u32, |r| key_of(ds, r))
            .map(|first| state.lines[t].duplicate(first, file, key_names(table)));
        match problem {
            None => {
                state.lines[t].push(write as u32, line, file);
                write += 1;
            }
            Some(problem) => {
                let rejection = Box::new(Rejection::new(file, line, problem));
                loader.report.rejected[t] += 1;
                if !loader.lenient {
                    return Some(rejection);
                }
                loader.report.rejections.push(*rejection);
                found = true;
            }
        }
    }
    ds.truncate(table, write);
    if found {
        loader.report.rejections[batch.rejections_from..].sort_by_key(|r| r.line);
    }
    batch.start = write;
    batch.lines.clear();
    batch.rejections_from = loader.report.rejections.len();
    None
}
