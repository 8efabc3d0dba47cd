//! The hand-written fast path from `csv::ByteRecord`s to columns.

use std::io::{self, Read};

use csv::ByteRecord;

use super::dedup::{DedupIndex, LineMap};
use super::lines::RecordReader;
use super::overlap::check_row as check_overlap;
use super::{Loader, Problem, Rejection};
use crate::dataset::{Interner, NO_COUNTRY, NO_DAY};
use crate::record::{parse_date, DateError, Day};
use crate::{Country, Dataset, Error, PopulationType, ReturnKind, Stance, Table};

/// A column of the contract: its name and whether it is required.
type Spec = (&'static str, bool);

const REGISTRATIONS: &[Spec] = &[
    ("date", true),
    ("origin", true),
    ("host", true),
    ("population", true),
    ("count", true),
    ("source", true),
    ("reference", false),
];

const DEPORTATIONS: &[Spec] = &[
    ("date", true),
    ("period_start", false),
    ("origin", true),
    ("host", true),
    ("kind", true),
    ("count", true),
    ("crossing", false),
    ("source", true),
    ("reference", false),
];

const STATEMENTS: &[Spec] = &[
    ("date", true),
    ("actor", true),
    ("actor_country", false),
    ("speaker", false),
    ("target_country", false),
    ("subject_country", false),
    ("stance", true),
    ("summary", true),
    ("source", true),
    ("url", false),
];

/// The columns of a table, in the contract's order.
pub(crate) fn columns(table: Table) -> &'static [Spec] {
    match table {
        Table::Registrations => REGISTRATIONS,
        Table::Deportations => DEPORTATIONS,
        Table::Statements => STATEMENTS,
    }
}

/// Per-table state that lives across files: duplicate indexes and line maps.
#[derive(Debug)]
pub(crate) struct State {
    pub(super) dedup: [DedupIndex; 3],
    pub(super) lines: [LineMap; 3],
    /// The loaded periods of each deportation series.
    pub(super) overlap: super::overlap::OverlapIndex,
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

/// The error for a row that would go past the table's capacity; the rows
/// before it are kept, and the load stops (the row counts as rejected).
#[cold]
pub(super) fn too_many_rows(loader: &mut Loader, table: Table, file: &str, line: u64) -> Error {
    loader.report.rejected[table as usize] += 1;
    let problem = Problem::TooManyRows { limit: loader.state.max_rows as u64 };
    Error::Rejected(Box::new(Rejection::new(file, line, problem)))
}

/// Day number of 1900-01-01: dates in keys are stored as days since then (17 bits).
const DAY_1900: Day = -25_567;

// Each key below gives every field the bits it needs: 17 bits a day of
// 1900..=2100, 9 or 16 bits a country id, 2, 3 or 8 bits a vocabulary value,
// 32 bits an interned text id. These assertions fail the build if a table or
// a vocabulary outgrows its field.
const _: () = {
    let days = crate::record::days_from_civil(2100, 12, 31) - DAY_1900;
    assert!(days >= 0 && days < 1 << 17);
    assert!(Country::COUNT <= 1 << 9);
    assert!(ReturnKind::LABELS.len() <= 1 << 2);
    assert!(Stance::LABELS.len() <= 1 << 3);
    assert!(PopulationType::LABELS.len() <= 1 << 8);
};

fn key_day(d: Day) -> u128 {
    (d - DAY_1900) as u128
}

fn registration_key(ds: &Dataset, row: u32) -> u128 {
    let c = &ds.registrations;
    let i = row as usize;
    key_day(c.date[i])
        | (c.origin[i] as u128) << 17
        | (c.host[i] as u128) << 33
        | (c.population[i] as u128) << 49
        | (c.source[i] as u128) << 57
}

fn deportation_key(ds: &Dataset, row: u32) -> u128 {
    let c = &ds.deportations;
    let i = row as usize;
    let start = if c.period_start[i] == NO_DAY { c.date[i] } else { c.period_start[i] };
    key_day(c.date[i])
        | key_day(start) << 17
        | (c.origin[i] as u128) << 34
        | (c.host[i] as u128) << 43
        | (c.kind[i] as u128) << 52
        | (c.crossing[i] as u128) << 54
        | (c.source[i] as u128) << 86
}

fn statement_key(ds: &Dataset, row: u32) -> u128 {
    let c = &ds.statements;
    let i = row as usize;
    key_day(c.date[i])
        | (c.stance[i] as u128) << 17
        | (c.actor[i] as u128) << 20
        | (c.speaker[i] as u128) << 52
        | (c.summary[i] as u128) << 84
}

pub(super) fn key_of(table: Table) -> fn(&Dataset, u32) -> u128 {
    match table {
        Table::Registrations => registration_key,
        Table::Deportations => deportation_key,
        Table::Statements => statement_key,
    }
}

pub(super) fn key_names(table: Table) -> &'static str {
    match table {
        Table::Registrations => "date, origin, host, population and source",
        Table::Deportations => "date, period_start, origin, host, kind, crossing and source",
        Table::Statements => "date, actor, speaker, stance and summary",
    }
}

/// A count written in digits only (the contract's `count`), for the loader
/// and the source adapters alike.
pub(crate) fn parse_digits(b: &[u8]) -> Result<u64, Problem> {
    let mut n: u64 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return Err(Problem::NotACount);
        }
        n = match n.checked_mul(10).and_then(|n| n.checked_add((c - b'0') as u64)) {
            Some(n) => n,
            // Too large, unless a non-digit follows: then not a count at all.
            None if b.iter().all(u8::is_ascii_digit) => return Err(Problem::CountTooLarge),
            None => return Err(Problem::NotACount),
        };
    }
    Ok(n)
}

/// One data row being parsed: its record, and where it is.
struct Row<'a> {
    rec: &'a ByteRecord,
    file: &'a str,
    line: u64,
}

type Parsed<T> = Result<T, Box<Rejection>>;

impl Row<'_> {
    fn raw(&self, col: Option<usize>) -> &[u8] {
        col.and_then(|i| self.rec.get(i)).unwrap_or(b"")
    }

    /// A rejection for the first field longer than `limit`, if any.
    fn too_long(&self, names: &[String], limit: usize) -> Option<Box<Rejection>> {
        if self.rec.as_slice().len() <= limit {
            return None;
        }
        let (i, value) = self.rec.iter().enumerate().find(|(_, f)| f.len() > limit)?;
        let name = names.get(i).map_or("", String::as_str);
        Some(self.reject(name, value, Problem::FieldTooLong { bytes: value.len(), limit }))
    }

    #[cold]
    fn reject(&self, name: &str, value: &[u8], problem: Problem) -> Box<Rejection> {
        Box::new(Rejection::new(self.file, self.line, problem).at(name, value))
    }

    fn date(&self, col: Option<usize>, name: &str) -> Parsed<Day> {
        let b = self.raw(col);
        parse_date(b).map_err(|e| {
            let problem = match e {
                _ if b.is_empty() => Problem::Empty,
                DateError::Malformed => Problem::MalformedDate,
                DateError::NotCalendar => Problem::NotCalendarDate,
                DateError::OutOfRange => Problem::DateOutOfRange,
            };
            self.reject(name, b, problem)
        })
    }

    fn opt_date(&self, col: Option<usize>, name: &str) -> Parsed<Day> {
        if self.raw(col).is_empty() {
            Ok(NO_DAY)
        } else {
            self.date(col, name)
        }
    }

    fn count(&self, col: Option<usize>, name: &str) -> Parsed<u64> {
        let b = self.raw(col);
        if b.is_empty() {
            return Err(self.reject(name, b, Problem::Empty));
        }
        parse_digits(b).map_err(|problem| self.reject(name, b, problem))
    }

    fn utf8(&self, b: &[u8], name: &str) -> Parsed<()> {
        match std::str::from_utf8(b) {
            Ok(_) => Ok(()),
            Err(e) => Err(self.reject(name, b, Problem::InvalidUtf8 { byte: e.valid_up_to() })),
        }
    }

    fn country(&self, col: Option<usize>, name: &str) -> Parsed<u16> {
        let b = self.raw(col);
        if let Some(c) = Country::parse_bytes(b) {
            return Ok(c.id());
        }
        Err(self.country_error(b, name))
    }

    #[cold]
    fn country_error(&self, b: &[u8], name: &str) -> Box<Rejection> {
        if b.trim_ascii().is_empty() {
            return self.reject(name, b, Problem::Empty);
        }
        if let Err(e) = self.utf8(b, name) {
            return e;
        }
        let text = std::str::from_utf8(b).unwrap_or_default();
        match Country::parse(text) {
            Err(e) => self.reject(name, b, Problem::UnknownCountry(e)),
            // Cannot happen (parse_bytes and parse agree), but never panic on input.
            Ok(_) => self.reject(name, b, Problem::Invalid("is not a country".into())),
        }
    }

    fn opt_country(&self, col: Option<usize>, name: &str) -> Parsed<u16> {
        if self.raw(col).trim_ascii().is_empty() {
            Ok(NO_COUNTRY)
        } else {
            self.country(col, name)
        }
    }

    fn vocab<T>(
        &self,
        col: Option<usize>,
        name: &str,
        parse: fn(&[u8]) -> Option<T>,
        vocabulary: &'static str,
        expected: &'static [&'static str],
    ) -> Parsed<T> {
        let b = self.raw(col);
        parse(b).ok_or_else(|| {
            if b.trim_ascii().is_empty() {
                self.reject(name, b, Problem::Empty)
            } else {
                self.reject(name, b, Problem::UnknownValue { vocabulary, expected })
            }
        })
    }

    /// An interned, trimmed text; 0 for an empty optional one.
    fn text(
        &self,
        col: Option<usize>,
        name: &str,
        required: bool,
        texts: &mut Interner,
    ) -> Parsed<u32> {
        let b = self.raw(col).trim_ascii();
        let s = match std::str::from_utf8(b) {
            Ok(s) => s.trim(),
            Err(e) => {
                return Err(self.reject(name, b, Problem::InvalidUtf8 { byte: e.valid_up_to() }))
            }
        };
        if s.is_empty() {
            return if required { Err(self.reject(name, b, Problem::Empty)) } else { Ok(0) };
        }
        texts.intern(s).map_err(|_| self.reject(name, b, Problem::TooManyTexts))
    }
}

/// Finds the contract's columns in a header, by trimmed case-insensitive name.
fn map_header(
    table: Table,
    file: &str,
    line: u64,
    header: &ByteRecord,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Option<usize>>, Vec<String>), Error> {
    let mut names = Vec::with_capacity(header.len());
    for field in header {
        match std::str::from_utf8(field) {
            Ok(s) => names.push(s.trim().to_string()),
            Err(e) => {
                return Err(Error::Format {
                    file: file.to_string(),
                    line,
                    message: format!(
                        "the header is not valid UTF-8 (invalid byte at offset {} of column {})",
                        e.valid_up_to(),
                        names.len() + 1
                    ),
                })
            }
        }
    }
    let specs = columns(table);
    let mut map = vec![None; specs.len()];
    let mut unknown = Vec::new();
    for (i, name) in names.iter().enumerate() {
        match specs.iter().position(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some(s) if map[s].is_some() => {
                return Err(Error::DuplicateColumn {
                    file: file.to_string(),
                    line,
                    column: specs[s].0.to_string(),
                })
            }
            Some(s) => map[s] = Some(i),
            None => unknown.push(format!("\"{}\"", super::cut(name))),
        }
    }
    let missing: Vec<String> = specs
        .iter()
        .zip(&map)
        .filter(|((_, required), found)| *required && found.is_none())
        .map(|((n, _), _)| n.to_string())
        .collect();
    if !missing.is_empty() {
        let mut header: Vec<String> =
            names.iter().take(50).map(|n| super::cut(n).into_owned()).collect();
        if names.len() > 50 {
            header.push(format!("... and {} more", names.len() - 50));
        }
        return Err(Error::MissingColumns { file: file.to_string(), line, missing, header });
    }
    if let Some(warning) = unknown_columns(file, line, &unknown) {
        warnings.push(warning);
    }
    Ok((map, names))
}

/// The warning for unknown header columns (given quoted), listing at most 20.
pub(crate) fn unknown_columns(file: &str, line: u64, quoted: &[String]) -> Option<String> {
    if quoted.is_empty() {
        return None;
    }
    let s = if quoted.len() == 1 { "" } else { "s" };
    let listed = quoted.iter().take(20).cloned().collect::<Vec<_>>().join(", ");
    let more = match quoted.len().saturating_sub(20) {
        0 => String::new(),
        n => format!(", and {n} more"),
    };
    Some(format!("{file}:{line}: unknown column{s} ignored: {listed}{more}"))
}

/// Counts a rejected row; in strict mode it stops the load, unless a
/// duplicate on an earlier line of the pending batch comes first.
fn reject(
    loader: &mut Loader,
    table: Table,
    file: &str,
    batch: &mut Batch,
    rejection: Box<Rejection>,
) -> Result<(), Error> {
    if !loader.lenient {
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

/// The header's column map, names and width.
struct Shape {
    map: Vec<Option<usize>>,
    names: Vec<String>,
    width: usize,
}

/// Parses one record into the columns of `ds`, or says why not.
fn parse_record(
    table: Table,
    shape: &Shape,
    ds: &mut Dataset,
    row: &Row<'_>,
    field_limit: usize,
) -> Parsed<()> {
    let rec = row.rec;
    if rec.len() != shape.width {
        let problem = Problem::Ragged { found: rec.len(), expected: shape.width };
        return Err(Box::new(Rejection::new(row.file, row.line, problem)));
    }
    if let Some(rejection) = row.too_long(&shape.names, field_limit) {
        return Err(rejection);
    }
    match table {
        Table::Registrations => parse_registration(row, &shape.map, ds),
        Table::Deportations => parse_deportation(row, &shape.map, ds),
        Table::Statements => parse_statement(row, &shape.map, ds),
    }
}

/// Input is read in blocks of this size. A block without any quote
/// character is cut at a line end, and its two halves are parsed on two
/// threads; a block with quotes, whose records may span lines, sends the
/// rest of the file down the sequential path.
const BLOCK: usize = 4 << 20;

pub(super) fn read<R: io::Read>(
    loader: &mut Loader,
    table: Table,
    file: &str,
    mut reader: R,
) -> Result<(), Error> {
    let parallel = std::thread::available_parallelism().map_or(1, |n| n.get()) > 1;
    let io_error = |source: io::Error| Error::Io { file: file.to_string(), source };
    let mut buf = Vec::with_capacity(if parallel { BLOCK } else { 0 });
    let mut at_end = false;
    if parallel {
        at_end = fill(&mut reader, &mut buf, BLOCK).map_err(io_error)?;
    }
    if !parallel || memchr::memchr(b'"', &buf).is_some() {
        let chained = io::Cursor::new(buf).chain(reader);
        return read_sequential(
            loader,
            table,
            file,
            RecordReader::new(file, chained, loader.limits),
            None,
        );
    }
    // The header, from the first block.
    let mut records = RecordReader::new(file, &buf[..], loader.limits);
    let (header, header_line) = match records.next()? {
        Some(line) => (records.record().clone(), line),
        None => (ByteRecord::new(), 1),
    };
    let mut header_end = records.bytes_read() as usize;
    drop(records);
    if header_end >= buf.len() && !at_end {
        // A header longer than a block: the sequential path reads it whole.
        let chained = io::Cursor::new(buf).chain(reader);
        let records = RecordReader::new(file, chained, loader.limits);
        return read_sequential(loader, table, file, records, None);
    }
    // The csv reader stops after the `\r` of a CRLF; the `\n` is the header's.
    if header_end > 0 && buf[header_end - 1] == b'\r' && buf.get(header_end) == Some(&b'\n') {
        header_end += 1;
    }
    let shape = header_shape(loader, table, file, header_line, &header)?;
    let mut batch = Batch::new(loader, table);
    let mut line_base = count_lines(&buf[..header_end]);
    let mut consumed = header_end as u64;
    buf.drain(..header_end);
    // Each block's two halves are parsed while the previous block's pieces
    // are merged: three tasks over two cores, and no core waits for the merge.
    let mut pending: Option<[(Piece, u64); 2]> = None;
    loop {
        let cut =
            if at_end { buf.len() } else { memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1) };
        let half = memchr::memchr(b'\n', &buf[cut / 2..cut]).map_or(cut, |i| cut / 2 + i + 1);
        if cut == 0 && !buf.is_empty() || memchr::memchr(b'"', &buf[..cut]).is_some() {
            // A quote, or a line longer than a block: on sequentially.
            if let Some(pieces) = pending.take() {
                merge_pieces(loader, table, file, &mut batch, pieces)?;
            }
            let rest = io::Cursor::new(buf).chain(reader);
            let records = RecordReader::continuing(file, rest, loader.limits, line_base);
            return read_sequential(loader, table, file, records, Some((shape, batch)));
        }
        let segment = &buf[..cut];
        let (first, second) = segment.split_at(half);
        let second_base = line_base + count_lines(first);
        let limits = loader.limits;
        let shape = &shape;
        let (a, b, merged) = std::thread::scope(|s| {
            let b = s.spawn(|| parse_piece(table, shape, file, second, second_base, limits));
            let a = s.spawn(|| parse_piece(table, shape, file, first, line_base, limits));
            let merged = match pending.take() {
                Some(pieces) => merge_pieces(loader, table, file, &mut batch, pieces),
                None => Ok(()),
            };
            let join = |h: std::thread::ScopedJoinHandle<'_, Piece>| {
                h.join().expect("parsing threads do not panic")
            };
            (join(a), join(b), merged)
        });
        merged?;
        pending = Some([(a, consumed + half as u64), (b, consumed + cut as u64)]);
        line_base = second_base + count_lines(second);
        consumed += cut as u64;
        buf.drain(..cut);
        if at_end {
            break;
        }
        at_end = fill(&mut reader, &mut buf, BLOCK).map_err(io_error)?;
    }
    if let Some(pieces) = pending.take() {
        merge_pieces(loader, table, file, &mut batch, pieces)?;
    }
    match flush(loader, table, file, &mut batch) {
        Some(dup) => Err(Error::Rejected(dup)),
        None => Ok(()),
    }
}

/// Merges a block's two pieces, in order.
fn merge_pieces(
    loader: &mut Loader,
    table: Table,
    file: &str,
    batch: &mut Batch,
    pieces: [(Piece, u64); 2],
) -> Result<(), Error> {
    for (piece, end) in pieces {
        merge_piece(loader, table, file, batch, piece, end)?;
    }
    Ok(())
}

/// Reads from `reader` until `buf` holds `size` bytes or the input ends;
/// true when it ended.
fn fill(reader: &mut impl io::Read, buf: &mut Vec<u8>, size: usize) -> io::Result<bool> {
    let want = size.saturating_sub(buf.len()) as u64;
    let got = reader.take(want).read_to_end(buf)? as u64;
    Ok(got < want)
}

/// Line terminators in `bytes`, counted as the record reader counts them:
/// `\n`, `\r\n`, or a lone `\r`.
fn count_lines(bytes: &[u8]) -> u64 {
    let lf = memchr::memchr_iter(b'\n', bytes).count();
    let lone_cr =
        memchr::memchr_iter(b'\r', bytes).filter(|&i| bytes.get(i + 1) != Some(&b'\n')).count();
    (lf + lone_cr) as u64
}

fn header_shape(
    loader: &mut Loader,
    table: Table,
    file: &str,
    line: u64,
    header: &ByteRecord,
) -> Result<Shape, Error> {
    let (map, names) = map_header(table, file, line, header, &mut loader.report.warnings)?;
    Ok(Shape { map, names, width: header.len() })
}

/// The records of one piece of a file, parsed on their own.
struct Piece {
    ds: Dataset,
    /// The line of each record in `ds`.
    lines: Vec<u64>,
    /// Rejected rows, in line order.
    rejections: Vec<Rejection>,
    /// An error that stopped the piece (a record over the limit).
    error: Option<Error>,
}

fn parse_piece(
    table: Table,
    shape: &Shape,
    file: &str,
    bytes: &[u8],
    line_base: u64,
    limits: super::Limits,
) -> Piece {
    let mut piece =
        Piece { ds: Dataset::default(), lines: Vec::new(), rejections: Vec::new(), error: None };
    let mut records = RecordReader::continuing(file, bytes, limits, line_base);
    loop {
        match records.next() {
            Ok(Some(line)) => {
                let row = Row { rec: records.record(), file, line };
                match parse_record(table, shape, &mut piece.ds, &row, limits.field_bytes) {
                    Ok(()) => piece.lines.push(line),
                    Err(r) => piece.rejections.push(*r),
                }
            }
            Ok(None) => break,
            Err(e) => {
                piece.error = Some(e);
                break;
            }
        }
    }
    piece
}

/// Adds a piece's records and rejections to the loader in line order, as
/// the sequential path would have; `end` is the byte after the piece.
fn merge_piece(
    loader: &mut Loader,
    table: Table,
    file: &str,
    batch: &mut Batch,
    piece: Piece,
    end: u64,
) -> Result<(), Error> {
    let t = table as usize;
    if let Some(size) = loader.size_hint.take() {
        let rows = loader.report.read[t] + (piece.lines.len() + piece.rejections.len()) as u64;
        reserve_for(loader, table, size, end, rows);
    }
    // A text the dataset cannot number maps to u32::MAX and stops the load
    // at the first row that uses it.
    let remap: Vec<u32> = (0..piece.ds.texts.len() as u32)
        .map(|id| loader.dataset.texts.intern(piece.ds.texts.text(id)).unwrap_or(u32::MAX))
        .collect();
    let mut rejections = piece.rejections.into_iter().peekable();
    for (i, &line) in piece.lines.iter().enumerate() {
        while let Some(r) = rejections.next_if(|r| r.line < line) {
            loader.report.read[t] += 1;
            reject(loader, table, file, batch, Box::new(r))?;
        }
        loader.report.read[t] += 1;
        if loader.dataset.len(table) >= loader.state.max_rows {
            return Err(too_many_rows(loader, table, file, line));
        }
        if let Some((column, id)) = piece.ds.unmapped(table, i, &remap) {
            let text = piece.ds.texts.text(id).as_bytes();
            let rejection = Rejection::new(file, line, Problem::TooManyTexts).at(column, text);
            reject(loader, table, file, batch, Box::new(rejection))?;
        }
        append_row(&mut loader.dataset, &piece.ds, table, i, &remap);
        batch.lines.push(line);
        if batch.lines.len() == BATCH {
            if let Some(dup) = flush(loader, table, file, batch) {
                return Err(Error::Rejected(dup));
            }
        }
    }
    for r in rejections {
        loader.report.read[t] += 1;
        reject(loader, table, file, batch, Box::new(r))?;
    }
    match piece.error {
        Some(e) => {
            if let Some(dup) = flush(loader, table, file, batch) {
                return Err(Error::Rejected(dup));
            }
            Err(e)
        }
        None => Ok(()),
    }
}

/// Appends row `i` of `src` to `dst`, mapping `src`'s text ids through `remap`.
fn append_row(dst: &mut Dataset, src: &Dataset, table: Table, i: usize, remap: &[u32]) {
    match table {
        Table::Registrations => dst.registrations.append_from(&src.registrations, i, remap),
        Table::Deportations => dst.deportations.append_from(&src.deportations, i, remap),
        Table::Statements => dst.statements.append_from(&src.statements, i, remap),
    }
}

/// The sequential path: every record from `records`, whose header has
/// been read already when `state` is given.
fn read_sequential<R: io::Read>(
    loader: &mut Loader,
    table: Table,
    file: &str,
    mut records: RecordReader<R>,
    state: Option<(Shape, Batch)>,
) -> Result<(), Error> {
    let t = table as usize;
    let (shape, mut batch) = match state {
        Some(state) => state,
        None => {
            let (header, header_line) = match records.next()? {
                Some(line) => (records.record().clone(), line),
                None => (ByteRecord::new(), 1),
            };
            (header_shape(loader, table, file, header_line, &header)?, Batch::new(loader, table))
        }
    };
    let field_limit = loader.limits.field_bytes;
    while let Some(line) = records.next()? {
        loader.report.read[t] += 1;
        if records.ended_in_quotes() {
            let rejection = Box::new(Rejection::new(file, line, Problem::UnclosedQuote));
            reject(loader, table, file, &mut batch, rejection)?;
            continue;
        }
        if loader.dataset.len(table) >= loader.state.max_rows {
            return Err(too_many_rows(loader, table, file, line));
        }
        let row = Row { rec: records.record(), file, line };
        match parse_record(table, &shape, &mut loader.dataset, &row, field_limit) {
            Ok(()) => {
                batch.lines.push(line);
                if batch.lines.len() == BATCH {
                    if let Some(dup) = flush(loader, table, file, &mut batch) {
                        return Err(Error::Rejected(dup));
                    }
                    if let Some(size) = loader.size_hint.take() {
                        let rows = loader.report.read[t];
                        reserve_for(loader, table, size, records.bytes_read(), rows);
                    }
                }
            }
            Err(rejection) => reject(loader, table, file, &mut batch, rejection)?,
        }
    }
    match flush(loader, table, file, &mut batch) {
        Some(dup) => Err(Error::Rejected(dup)),
        None => Ok(()),
    }
}

/// Drops the rows from `n` on (a duplicate just pushed).
pub(super) fn truncate(ds: &mut Dataset, table: Table, n: usize) {
    ds.truncate(table, n);
}

/// Reserves the columns and the duplicate index for the rows a file of
/// `size` bytes will hold, estimated from the `rows` found in its first
/// `read` bytes, so that they are allocated once rather than doubled.
fn reserve_for(loader: &mut Loader, table: Table, size: u64, read: u64, rows: u64) {
    if read == 0 || rows == 0 || size <= read {
        return;
    }
    let expected = (size as f64 / read as f64 * rows as f64 * 1.02) as u64;
    let held = loader.dataset.len(table) as u64;
    let additional = expected.saturating_sub(rows).min(u32::MAX as u64) as usize;
    loader.dataset.reserve(table, additional);
    loader.state.dedup[table as usize].reserve_exact(additional + held as usize);
}

/// Rows parsed but not yet checked for duplicates: checking them together
/// lets their hash-table probes overlap.
struct Batch {
    /// The first row of the batch.
    start: usize,
    /// The line of each row of the batch.
    lines: Vec<u64>,
    /// Where the batch's rejections start in the report.
    rejections_from: usize,
    keys: Vec<u128>,
}

const BATCH: usize = 512;

impl Batch {
    fn new(loader: &Loader, table: Table) -> Batch {
        Batch {
            start: loader.dataset.len(table),
            lines: Vec::with_capacity(BATCH),
            rejections_from: loader.report.rejections.len(),
            keys: Vec::with_capacity(BATCH),
        }
    }
}

/// Checks the batch's rows for duplicates, in order; removes duplicates
/// from the columns and lists their rejections in line order among the
/// batch's other rejections. Returns the first duplicate's rejection in
/// strict mode (the batch's rows are then left in place: the load stops).
fn flush(
    loader: &mut Loader,
    table: Table,
    file: &str,
    batch: &mut Batch,
) -> Option<Box<Rejection>> {
    let t = table as usize;
    let ds = &mut loader.dataset;
    let state = &mut loader.state;
    let key_of = key_of(table);
    let end = ds.len(table);
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
        let problem = match state.dedup[t].check_insert(key, write as u32, |r| key_of(ds, r)) {
            None if table != Table::Deportations => None,
            None => {
                let (index, lines) = (&mut state.overlap, &state.lines[t]);
                let checked = check_overlap(ds, index, lines, write, file, loader.lenient);
                if checked.is_err() {
                    state.dedup[t].undo_last();
                }
                checked.err()
            }
            Some(first) => Some(state.lines[t].duplicate(first, file, key_names(table))),
        };
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

/// Parses every field, then pushes the record; nothing is pushed on a rejection.
fn parse_registration(row: &Row<'_>, m: &[Option<usize>], ds: &mut Dataset) -> Parsed<()> {
    let date = row.date(m[0], "date")?;
    let origin = row.country(m[1], "origin")?;
    let host = row.country(m[2], "host")?;
    let population = row.vocab(
        m[3],
        "population",
        PopulationType::parse_bytes,
        "population type",
        PopulationType::LABELS,
    )?;
    let count = row.count(m[4], "count")?;
    let source = row.text(m[5], "source", true, &mut ds.texts)?;
    let reference = row.text(m[6], "reference", false, &mut ds.texts)?;
    let c = &mut ds.registrations;
    c.date.push(date);
    c.origin.push(origin);
    c.host.push(host);
    c.population.push(population as u8);
    c.count.push(count);
    c.source.push(source);
    c.reference.push(reference);
    Ok(())
}

fn parse_deportation(row: &Row<'_>, m: &[Option<usize>], ds: &mut Dataset) -> Parsed<()> {
    let date = row.date(m[0], "date")?;
    let period_start = row.opt_date(m[1], "period_start")?;
    if period_start != NO_DAY && period_start > date {
        let written = String::from_utf8_lossy(row.raw(m[0])).into_owned();
        return Err(row.reject(
            "period_start",
            row.raw(m[1]),
            Problem::PeriodAfterDate { date: written },
        ));
    }
    let origin = row.country(m[2], "origin")?;
    let host = row.country(m[3], "host")?;
    let kind =
        row.vocab(m[4], "kind", ReturnKind::parse_bytes, "return kind", ReturnKind::LABELS)?;
    let count = row.count(m[5], "count")?;
    let crossing = row.text(m[6], "crossing", false, &mut ds.texts)?;
    let source = row.text(m[7], "source", true, &mut ds.texts)?;
    let reference = row.text(m[8], "reference", false, &mut ds.texts)?;
    let c = &mut ds.deportations;
    c.date.push(date);
    c.period_start.push(period_start);
    c.origin.push(origin);
    c.host.push(host);
    c.kind.push(kind as u8);
    c.count.push(count);
    c.crossing.push(crossing);
    c.source.push(source);
    c.reference.push(reference);
    Ok(())
}

fn parse_statement(row: &Row<'_>, m: &[Option<usize>], ds: &mut Dataset) -> Parsed<()> {
    let date = row.date(m[0], "date")?;
    let actor = row.text(m[1], "actor", true, &mut ds.texts)?;
    let actor_country = row.opt_country(m[2], "actor_country")?;
    let speaker = row.text(m[3], "speaker", false, &mut ds.texts)?;
    let target_country = row.opt_country(m[4], "target_country")?;
    let subject_country = row.opt_country(m[5], "subject_country")?;
    let stance = row.vocab(m[6], "stance", Stance::parse_bytes, "stance", Stance::LABELS)?;
    let summary = row.text(m[7], "summary", true, &mut ds.texts)?;
    let source = row.text(m[8], "source", true, &mut ds.texts)?;
    let url = row.text(m[9], "url", false, &mut ds.texts)?;
    let c = &mut ds.statements;
    c.date.push(date);
    c.actor.push(actor);
    c.actor_country.push(actor_country);
    c.speaker.push(speaker);
    c.target_country.push(target_country);
    c.subject_country.push(subject_country);
    c.stance.push(stance as u8);
    c.summary.push(summary);
    c.source.push(source);
    c.url.push(url);
    Ok(())
}
