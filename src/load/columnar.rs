//! Loading Arrow record batches and Parquet files with the canonical
//! loader's rules: each row is parsed field by field by the tables' own
//! row parser (through [`FieldSource`]), then checked for duplicates and
//! overlapping flows and counted exactly as a CSV row is.
//!
//! Positions: a row is named by its 1-based number in the file (the first
//! row is 1), shown where a CSV file shows a line (`deportations.parquet:14:
//! column "count": ...`); the schema, in a CSV file's header's place, is
//! position 0.
//!
//! Types accepted, column by column: dates as `Date32`, `Date64`, a
//! timestamp without time zone at midnight, or a `YYYY-MM-DD` string;
//! counts as any signed or unsigned integer type (a negative value is a
//! rejection); countries, vocabulary values and texts as `Utf8`,
//! `LargeUtf8`, `Utf8View` or a dictionary of those; a column of the `Null`
//! type as all empty. Any other type is one [`Error::ColumnType`].
//!
//! A Parquet file's string columns of the kinds that hold few distinct
//! values (countries, vocabularies, sources and crossings) are read as
//! dictionaries, as Parquet stores them, and each distinct value of a
//! dictionary is parsed once per batch and thread; a value that does not
//! parse is rejected on every row that has it, as in a string column.

use std::cell::Cell;
use std::time::Instant;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int16Type, Int32Type, Int64Type, Int8Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, PrimitiveArray, RecordBatch};
use arrow_schema::{DataType, Schema, TimeUnit};

use super::batch::{check_capacity, flush, reject, Batch, BATCH};
use super::blocks::{merge_pieces, Piece};
use super::{two_cores, Loader, Problem, Rejection};
use crate::arrow::{kinds, ArrowKind};
use crate::dataset::{
    DeportationColumns, FieldSource, Interner, RegistrationColumns, StatementColumns, NO_COUNTRY,
    NO_DAY,
};
use crate::record::{date_of_day, days_from_civil, parse_date, DateError, Day, Vocabulary};
use crate::{Country, Dataset, Error, Table};

/// The position of the schema in messages (a CSV file's header is line 1).
const SCHEMA: u64 = 0;

/// The strings of one column.
enum Strs<'a> {
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
    /// A dictionary: its keys as indexes into `values`, a null as `null`
    /// (the number of values).
    Dict {
        keys: Vec<usize>,
        values: Box<Strs<'a>>,
        null: usize,
    },
}

impl<'a> Strs<'a> {
    fn of(array: &'a dyn Array) -> Option<Strs<'a>> {
        Some(match array.data_type() {
            DataType::Utf8 => Strs::Utf8(array.as_string::<i32>()),
            DataType::LargeUtf8 => Strs::Large(array.as_string::<i64>()),
            DataType::Utf8View => Strs::View(array.as_string_view()),
            DataType::Dictionary(_, _) => {
                let dict = array.as_any_dictionary_opt()?;
                let values = Strs::of(dict.values().as_ref())?;
                let null = values.len();
                // An empty dictionary has only null keys.
                let mut keys =
                    if null == 0 { vec![0; array.len()] } else { dict.normalized_keys() };
                if let Some(nulls) = array.logical_nulls() {
                    for i in nulls.iter().enumerate().filter_map(|(i, valid)| (!valid).then_some(i))
                    {
                        keys[i] = null;
                    }
                }
                Strs::Dict { keys, values: Box::new(values), null }
            }
            _ => return None,
        })
    }

    /// How many strings (a dictionary's entries, for its values).
    fn len(&self) -> usize {
        match self {
            Strs::Utf8(a) => a.len(),
            Strs::Large(a) => a.len(),
            Strs::View(a) => a.len(),
            Strs::Dict { keys, .. } => keys.len(),
        }
    }

    /// Row `i`'s text (Arrow strings are valid UTF-8); `None` for null.
    fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            Strs::Utf8(a) => (!a.is_null(i)).then(|| a.value(i)),
            Strs::Large(a) => (!a.is_null(i)).then(|| a.value(i)),
            Strs::View(a) => (!a.is_null(i)).then(|| a.value(i)),
            Strs::Dict { keys, values, null } => match *keys.get(i)? {
                k if k == *null => None,
                k => values.get(k),
            },
        }
    }
}

/// Runs `$body` with `$a` bound to `$array` as the primitive array of the
/// integer type `$dt`; `None` for other types.
macro_rules! on_ints {
    ($dt:expr, $array:expr, $a:ident => $body:expr) => {
        match $dt {
            DataType::Int8 => Some({
                let $a = $array.as_primitive::<Int8Type>();
                $body
            }),
            DataType::Int16 => Some({
                let $a = $array.as_primitive::<Int16Type>();
                $body
            }),
            DataType::Int32 => Some({
                let $a = $array.as_primitive::<Int32Type>();
                $body
            }),
            DataType::Int64 => Some({
                let $a = $array.as_primitive::<Int64Type>();
                $body
            }),
            DataType::UInt8 => Some({
                let $a = $array.as_primitive::<UInt8Type>();
                $body
            }),
            DataType::UInt16 => Some({
                let $a = $array.as_primitive::<UInt16Type>();
                $body
            }),
            DataType::UInt32 => Some({
                let $a = $array.as_primitive::<UInt32Type>();
                $body
            }),
            DataType::UInt64 => Some({
                let $a = $array.as_primitive::<UInt64Type>();
                $body
            }),
            _ => None,
        }
    };
}

/// The integers of one count column, widened.
enum Ints<'a> {
    Signed(&'a dyn Array, Vec<i64>),
    Unsigned(&'a dyn Array, &'a [u64]),
}

/// The values of one date column.
enum Dates<'a> {
    /// Days since 1970-01-01.
    Days(&'a PrimitiveArray<arrow_array::types::Date32Type>),
    /// Units since 1970-01-01 00:00, and the units in a day.
    Units(&'a dyn Array, &'a [i64], i64),
    /// `YYYY-MM-DD` strings.
    Text(Strs<'a>),
}

/// One column of a batch, as the loader reads it.
enum Col<'a> {
    /// The column is not in the file, or is of the `Null` type.
    Absent,
    Strs(Strs<'a>),
    Ints(Ints<'a>),
    Dates(Dates<'a>),
}

fn units(array: &dyn Array) -> Option<(&[i64], i64)> {
    const DAY: i64 = 86_400;
    Some(match array.data_type() {
        DataType::Date64 => {
            (array.as_primitive::<arrow_array::types::Date64Type>().values(), DAY * 1000)
        }
        DataType::Timestamp(_, Some(_)) => return None,
        DataType::Timestamp(TimeUnit::Second, None) => {
            (array.as_primitive::<TimestampSecondType>().values(), DAY)
        }
        DataType::Timestamp(TimeUnit::Millisecond, None) => {
            (array.as_primitive::<TimestampMillisecondType>().values(), DAY * 1_000)
        }
        DataType::Timestamp(TimeUnit::Microsecond, None) => {
            (array.as_primitive::<TimestampMicrosecondType>().values(), DAY * 1_000_000)
        }
        DataType::Timestamp(TimeUnit::Nanosecond, None) => {
            (array.as_primitive::<TimestampNanosecondType>().values(), DAY * 1_000_000_000)
        }
        _ => return None,
    })
}

/// The column as `kind` reads it; `None` when its type cannot hold `kind`.
fn view(kind: ArrowKind, array: &dyn Array) -> Option<Col<'_>> {
    if *array.data_type() == DataType::Null {
        return Some(Col::Absent);
    }
    Some(match kind {
        ArrowKind::Date => Col::Dates(match array.data_type() {
            DataType::Date32 => Dates::Days(array.as_primitive()),
            _ => match units(array) {
                Some((values, per_day)) => Dates::Units(array, values, per_day),
                None => Dates::Text(Strs::of(array)?),
            },
        }),
        ArrowKind::Count => Col::Ints(match array.data_type() {
            DataType::UInt64 => Ints::Unsigned(array, array.as_primitive::<UInt64Type>().values()),
            // Every other integer type fits in i64 (the UInt64 case is above);
            // the macro's Int64 arm casts i64 to itself.
            #[allow(clippy::unnecessary_cast)]
            dt => Ints::Signed(
                array,
                on_ints!(dt, array, a => a.values().iter().map(|&v| v as i64).collect())?,
            ),
        }),
        ArrowKind::Country | ArrowKind::Word | ArrowKind::Text => Col::Strs(Strs::of(array)?),
    })
}

/// What a column of `kind` may be, for messages.
fn expected(kind: ArrowKind) -> &'static str {
    match kind {
        ArrowKind::Date => {
            "Date32, Date64, a timestamp without time zone, or a string of YYYY-MM-DD dates"
        }
        ArrowKind::Count => "an integer type (UInt64, or any signed or unsigned integer)",
        _ => "a string type (Utf8, LargeUtf8, Utf8View, or a dictionary of strings)",
    }
}

/// The position in `schema` of each of the table's columns, found by
/// trimmed case-insensitive name, each of a type that can hold its values.
/// Unknown columns are one warning when `warnings` is given.
fn map_columns(
    table: Table,
    file: &str,
    schema: &Schema,
    warnings: Option<&mut Vec<String>>,
) -> Result<Vec<Option<usize>>, Error> {
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().trim().to_string()).collect();
    let (map, unknown) = super::header::map_names(table, file, SCHEMA, &names)?;
    let specs = Dataset::specs(table);
    for ((spec, kind), at) in specs.iter().zip(kinds(table)).zip(&map) {
        let Some(at) = *at else { continue };
        let found = schema.field(at).data_type();
        if view(*kind, arrow_array::new_empty_array(found).as_ref()).is_none() {
            return Err(Error::ColumnType {
                file: file.to_string(),
                column: spec.name.to_string(),
                found: found.to_string(),
                expected: expected(*kind).to_string(),
            });
        }
    }
    if let Some(warnings) = warnings {
        warnings.extend(super::unknown_columns(file, SCHEMA, &unknown));
    }
    Ok(map)
}

/// The values already parsed from a dictionary column's entries, by
/// entry: each entry is parsed once per batch (and thread) instead of once
/// per row. Only values that parse are kept, so a rejection is made for
/// each row that has the entry, with the row's own position, exactly as
/// without the memo. A text is kept as its number in the interner of the
/// rows being parsed, so a memo serves one interner only.
struct Memo(Vec<Cell<u32>>);

/// An entry not yet parsed.
const UNPARSED: u32 = u32::MAX;

impl Memo {
    /// One memo per column: room for each entry of a dictionary, none for
    /// other columns.
    fn of(cols: &[Col<'_>]) -> Vec<Memo> {
        cols.iter()
            .map(|c| match c {
                // The last entry is a null's.
                Col::Strs(Strs::Dict { null, .. }) => Memo(vec![Cell::new(UNPARSED); null + 1]),
                _ => Memo(Vec::new()),
            })
            .collect()
    }
}

/// One row of a batch being parsed.
struct ArrowRow<'a, 'b> {
    cols: &'b [Col<'a>],
    memos: &'b [Memo],
    i: usize,
    file: &'b str,
    row: u64,
    field_limit: usize,
    /// The row's `date`, once read, for the period check.
    date: Cell<Option<Day>>,
}

type Parsed<T> = Result<T, Box<Rejection>>;

/// The first and last days of the contract's years.
const FIRST_DAY: Day = days_from_civil(1900, 1, 1);
const LAST_DAY: Day = days_from_civil(2100, 12, 31);

impl ArrowRow<'_, '_> {
    fn col(&self, col: Option<usize>) -> &Col<'_> {
        col.and_then(|c| self.cols.get(c)).unwrap_or(&Col::Absent)
    }

    /// The memo cell of the row's dictionary entry (or null) in column
    /// `col`; `None` when the column is no dictionary.
    #[inline]
    fn memo(&self, col: Option<usize>) -> Option<&Cell<u32>> {
        let c = col?;
        let Some(Col::Strs(Strs::Dict { keys, .. })) = self.cols.get(c) else {
            return None;
        };
        self.memos.get(c)?.0.get(*keys.get(self.i)?)
    }

    /// `parse` of the row's field in `col`, through the memo of its
    /// dictionary entry when it has one.
    #[inline]
    fn memoized(&self, col: Option<usize>, parse: impl FnOnce() -> Parsed<u32>) -> Parsed<u32> {
        let Some(cell) = self.memo(col) else { return parse() };
        match cell.get() {
            UNPARSED => {
                let v = parse()?;
                cell.set(v);
                Ok(v)
            }
            v => Ok(v),
        }
    }

    #[cold]
    fn reject(&self, name: &str, value: &[u8], problem: Problem) -> Box<Rejection> {
        Box::new(Rejection::new(self.file, self.row, problem).at(name, value))
    }

    #[cold]
    fn empty(&self, name: &str) -> Box<Rejection> {
        self.reject(name, b"", Problem::Empty)
    }

    /// Row's string in a string column, checked against the field limit.
    fn string(&self, col: Option<usize>, name: &str) -> Parsed<Option<&str>> {
        let Col::Strs(s) = self.col(col) else { return Ok(None) };
        match s.get(self.i) {
            Some(b) if b.len() > self.field_limit => {
                let problem = Problem::FieldTooLong { bytes: b.len(), limit: self.field_limit };
                Err(self.reject(name, b.as_bytes(), problem))
            }
            other => Ok(other),
        }
    }

    /// The row's date as a day number (any integer, not yet range
    /// checked), `None` when empty.
    #[inline]
    fn day(&self, col: Option<usize>, name: &str) -> Parsed<Option<i64>> {
        let Col::Dates(d) = self.col(col) else { return Ok(None) };
        let i = self.i;
        match d {
            Dates::Days(a) => Ok((!a.is_null(i)).then(|| a.value(i) as i64)),
            Dates::Units(a, values, per_day) => {
                if a.is_null(i) {
                    return Ok(None);
                }
                let v = values[i];
                if v.rem_euclid(*per_day) != 0 {
                    let problem = Problem::Invalid(
                        "is a time past midnight (expected a date: a timestamp at midnight)".into(),
                    );
                    return Err(self.reject(name, v.to_string().as_bytes(), problem));
                }
                Ok(Some(v.div_euclid(*per_day)))
            }
            Dates::Text(s) => {
                let Some(b) = s.get(i).map(str::as_bytes) else { return Ok(None) };
                if b.is_empty() {
                    return Ok(None);
                }
                parse_date(b).map(|d| Some(d as i64)).map_err(|e| {
                    let problem = match e {
                        DateError::Malformed => Problem::MalformedDate,
                        DateError::NotCalendar => Problem::NotCalendarDate,
                        DateError::OutOfRange => Problem::DateOutOfRange,
                    };
                    self.reject(name, b, problem)
                })
            }
        }
    }

    /// A day number in the contract's years.
    #[inline]
    fn in_range(&self, day: i64, name: &str) -> Parsed<Day> {
        match Day::try_from(day) {
            Ok(d) if (FIRST_DAY..=LAST_DAY).contains(&d) => Ok(d),
            _ => {
                let shown = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
                    .and_then(|epoch| epoch.checked_add_signed(chrono::TimeDelta::try_days(day)?))
                    .map_or_else(|| format!("day {day} from 1970-01-01"), |d| d.to_string());
                Err(self.reject(name, shown.as_bytes(), Problem::DateOutOfRange))
            }
        }
    }
}

impl FieldSource for ArrowRow<'_, '_> {
    type Error = Box<Rejection>;

    #[inline]
    fn date(&self, col: Option<usize>, name: &'static str) -> Parsed<Day> {
        let day = self.day(col, name)?.ok_or_else(|| self.empty(name))?;
        let day = self.in_range(day, name)?;
        self.date.set(Some(day));
        Ok(day)
    }

    #[inline]
    fn period_start(&self, col: Option<usize>, name: &'static str) -> Parsed<Day> {
        let Some(start) = self.day(col, name)? else { return Ok(NO_DAY) };
        let start = self.in_range(start, name)?;
        let date = self.date.get().expect("date is read before period_start");
        if start > date {
            let text = date_of_day(start).to_string();
            let date = date_of_day(date).to_string();
            return Err(self.reject(name, text.as_bytes(), Problem::PeriodAfterDate { date }));
        }
        Ok(start)
    }

    #[inline]
    fn count(&self, col: Option<usize>, name: &'static str) -> Parsed<u64> {
        let Col::Ints(ints) = self.col(col) else { return Err(self.empty(name)) };
        let i = self.i;
        match ints {
            Ints::Unsigned(a, _) | Ints::Signed(a, _) if a.is_null(i) => Err(self.empty(name)),
            Ints::Unsigned(_, values) => Ok(values[i]),
            Ints::Signed(_, values) => u64::try_from(values[i]).map_err(|_| {
                self.reject(name, values[i].to_string().as_bytes(), Problem::NotACount)
            }),
        }
    }

    #[inline]
    fn country(&self, col: Option<usize>, name: &'static str, required: bool) -> Parsed<u16> {
        self.memoized(col, || self.parse_country(col, name, required).map(u32::from))
            .map(|id| id as u16)
    }

    #[inline]
    fn vocab<V: Vocabulary>(&self, col: Option<usize>, name: &'static str) -> Parsed<V> {
        self.memoized(col, || self.parse_vocab::<V>(col, name).map(|v| u32::from(v.into())))
            .map(|i| V::from_index(i as u8))
    }

    #[inline]
    fn text(
        &self,
        col: Option<usize>,
        name: &'static str,
        required: bool,
        texts: &mut Interner,
    ) -> Parsed<u32> {
        self.memoized(col, || self.parse_text(col, name, required, texts))
    }
}

impl ArrowRow<'_, '_> {
    fn parse_country(&self, col: Option<usize>, name: &'static str, required: bool) -> Parsed<u16> {
        let text = self.string(col, name)?.unwrap_or("");
        let b = text.as_bytes();
        if b.trim_ascii().is_empty() {
            return if required {
                Err(self.reject(name, b, Problem::Empty))
            } else {
                Ok(NO_COUNTRY)
            };
        }
        if let Some(c) = Country::parse_bytes(b) {
            return Ok(c.id());
        }
        match Country::parse(text) {
            Err(e) => Err(self.reject(name, b, Problem::UnknownCountry(e))),
            // Cannot happen (parse_bytes and parse agree), but never panic on input.
            Ok(_) => Err(self.reject(name, b, Problem::Invalid("is not a country".into()))),
        }
    }

    fn parse_vocab<V: Vocabulary>(&self, col: Option<usize>, name: &'static str) -> Parsed<V> {
        let b = self.string(col, name)?.unwrap_or("").as_bytes();
        V::parse_bytes(b).ok_or_else(|| self.reject(name, b, super::fields::vocab_problem::<V>(b)))
    }

    fn parse_text(
        &self,
        col: Option<usize>,
        name: &'static str,
        required: bool,
        texts: &mut Interner,
    ) -> Parsed<u32> {
        let text = self.string(col, name)?.unwrap_or("");
        let b = text.as_bytes();
        let s = crate::text::trim_text(text);
        if s.is_empty() {
            return if required { Err(self.reject(name, b, Problem::Empty)) } else { Ok(0) };
        }
        texts.intern(s).map_err(|_| self.reject(name, b, Problem::TooManyTexts))
    }
}

/// Parses one row into the columns of `ds`; nothing is pushed on a rejection.
fn parse_row(
    table: Table,
    ds: &mut Dataset,
    row: &ArrowRow<'_, '_>,
    map: &[Option<usize>],
) -> Parsed<()> {
    let texts = &mut ds.texts;
    match table {
        Table::Registrations => ds.registrations.push(RegistrationColumns::parse(row, map, texts)?),
        Table::Deportations => ds.deportations.push(DeportationColumns::parse(row, map, texts)?),
        Table::Statements => ds.statements.push(StatementColumns::parse(row, map, texts)?),
    }
    Ok(())
}

/// Files of at least this many rows (as they say) are parsed on two threads.
const PARALLEL_ROWS: u64 = 1 << 14;

/// Parses rows `range` of a record batch whose first row is numbered
/// `row + 1` into a piece of its own (its own texts), to be merged.
fn parse_piece(
    table: Table,
    cols: &[Col<'_>],
    range: std::ops::Range<usize>,
    file: &str,
    row: u64,
    field_limit: usize,
    map: &[Option<usize>],
) -> Piece {
    let mut piece = Piece::with_capacity(table, range.len());
    let memos = Memo::of(cols);
    for i in range {
        let row = row + i as u64 + 1;
        let src =
            ArrowRow { cols, memos: &memos, i, file, row, field_limit, date: Cell::new(None) };
        match parse_row(table, &mut piece.ds, &src, map) {
            Ok(()) => piece.lines.push(row),
            Err(rejection) => piece.rejections.push(*rejection),
        }
    }
    piece
}

/// Checks the pending rows, then returns `error` (or the first duplicate
/// among the pending rows, which comes before it).
fn stop(loader: &mut Loader, table: Table, file: &str, batch: &mut Batch, error: Error) -> Error {
    match flush(loader, table, file, batch) {
        Some(dup) if !loader.lenient => Error::Rejected(dup),
        _ => error,
    }
}

/// Rows reserved at most before reading, whatever a file says it holds
/// (its metadata is not trusted); the columns grow by doubling beyond.
const RESERVE_AT_MOST: u64 = 1 << 20;

/// Loads the rows of `batches`, numbered from 1 across them; `schema` is
/// the file's, checked (and its unknown columns reported) before any row;
/// `rows` is how many rows the file says it holds.
pub(crate) fn read_batches(
    loader: &mut Loader,
    table: Table,
    file: &str,
    (schema, rows): (&Schema, u64),
    batches: impl Iterator<Item = Result<RecordBatch, Error>>,
) -> Result<(), Error> {
    let mark = super::file_checks::Mark::new(loader, table);
    let result = read_rows(loader, table, file, (schema, rows), batches);
    super::file_checks::check_file(loader, table, file, mark, result)
}

/// [`read_batches`] but for overlapping periods, checked once all are read.
fn read_rows(
    loader: &mut Loader,
    table: Table,
    file: &str,
    (schema, rows): (&Schema, u64),
    batches: impl Iterator<Item = Result<RecordBatch, Error>>,
) -> Result<(), Error> {
    map_columns(table, file, schema, Some(&mut loader.report.warnings))?;
    loader.reserve(table, rows.min(RESERVE_AT_MOST) as usize);
    if rows >= PARALLEL_ROWS && two_cores() {
        return read_rows_parallel(loader, table, file, batches);
    }
    let t = table as usize;
    let kinds = kinds(table);
    let map: Vec<Option<usize>> = (0..kinds.len()).map(Some).collect();
    let mut batch = Batch::new(loader, table);
    let mut row = 0u64;
    for rb in batches {
        let rb = match rb {
            Ok(rb) => rb,
            Err(e) => return Err(stop(loader, table, file, &mut batch, e)),
        };
        let cols = batch_columns(table, file, &rb)?;
        let memos = Memo::of(&cols);
        let n = rb.num_rows();
        for i in 0..n {
            row += 1;
            loader.report.read[t] += 1;
            check_capacity(loader, table, file, &mut batch, row)?;
            let field_limit = loader.limits.field_bytes;
            let src = ArrowRow {
                cols: &cols,
                memos: &memos,
                i,
                file,
                row,
                field_limit,
                date: Cell::new(None),
            };
            match parse_row(table, &mut loader.dataset, &src, &map) {
                Ok(()) => {
                    batch.lines.push(row);
                    if batch.lines.len() == BATCH {
                        if let Some(dup) = flush(loader, table, file, &mut batch) {
                            return Err(Error::Rejected(dup));
                        }
                    }
                }
                Err(rejection) => reject(loader, table, file, &mut batch, rejection)?,
            }
        }
    }
    finish(loader, table, file, &mut batch)
}

/// The columns of a record batch, in the table's order (absent ones
/// `Col::Absent`).
fn batch_columns<'a>(table: Table, file: &str, rb: &'a RecordBatch) -> Result<Vec<Col<'a>>, Error> {
    let at = map_columns(table, file, &rb.schema(), None)?;
    Ok(at
        .iter()
        .zip(kinds(table))
        .map(|(at, kind)| match at {
            Some(c) => view(*kind, rb.column(*c).as_ref()).unwrap_or(Col::Absent),
            None => Col::Absent,
        })
        .collect())
}

/// Checks the last pending rows: the first duplicate among them is the
/// error in strict mode.
fn finish(loader: &mut Loader, table: Table, file: &str, batch: &mut Batch) -> Result<(), Error> {
    match flush(loader, table, file, batch) {
        Some(dup) => Err(Error::Rejected(dup)),
        None => Ok(()),
    }
}

/// [`read_rows`] on two threads: while the other thread parses a share
/// of a batch into a piece of its own, this one merges the pieces of the
/// previous batch, parses the rest of this one and decodes the next; the
/// share moves so that both take as long. Pieces are merged in order, as
/// the CSV reader merges its pieces, so rows, rejections and accounting
/// are those of the one-thread path.
fn read_rows_parallel(
    loader: &mut Loader,
    table: Table,
    file: &str,
    mut batches: impl Iterator<Item = Result<RecordBatch, Error>>,
) -> Result<(), Error> {
    let kinds = kinds(table);
    let map: Vec<Option<usize>> = (0..kinds.len()).map(Some).collect();
    let mut batch = Batch::new(loader, table);
    let mut pending: Option<[Piece; 2]> = None;
    let mut share = 0.5f64;
    let mut row = 0u64;
    let mut next = batches.next();
    while let Some(rb) = next.take() {
        let rb = match rb {
            Ok(rb) => rb,
            Err(e) => {
                if let Some(pieces) = pending.take() {
                    merge_pieces(loader, table, file, &mut batch, pieces.map(|p| (p, 0)))?;
                }
                return Err(stop(loader, table, file, &mut batch, e));
            }
        };
        let cols = batch_columns(table, file, &rb)?;
        let n = rb.num_rows();
        let cut = ((n as f64 * share) as usize).min(n);
        let field_limit = loader.limits.field_bytes;
        let parse = |range| parse_piece(table, &cols, range, file, row, field_limit, &map);
        let (first, second, merged, timing) = std::thread::scope(|s| {
            let first = s.spawn(|| {
                let started = Instant::now();
                (parse(0..cut), started.elapsed())
            });
            let started = Instant::now();
            let merged = match pending.take() {
                Some(pieces) => {
                    merge_pieces(loader, table, file, &mut batch, pieces.map(|p| (p, 0)))
                }
                None => Ok(Vec::new()),
            };
            let merging = started.elapsed();
            let second = merged.is_ok().then(|| parse(cut..n));
            let parsing = started.elapsed() - merging;
            next = batches.next();
            let decoding = started.elapsed() - merging - parsing;
            let (first, theirs) = first.join().expect("the row parsers do not panic");
            (first, second, merged, (theirs, merging + decoding, parsing))
        });
        merged?;
        let second = second.expect("parsed when the merge succeeded");
        share = super::blocks::next_share(share, (cut, n - cut), timing);
        pending = Some([first, second]);
        row += n as u64;
    }
    if let Some(pieces) = pending.take() {
        merge_pieces(loader, table, file, &mut batch, pieces.map(|p| (p, 0)))?;
    }
    finish(loader, table, file, &mut batch)
}

impl Loader {
    /// Reads Arrow record batches of `table` (feature `arrow`), as
    /// [`read`](Loader::read) reads a CSV file, with the same checks and
    /// accounting; `file` names them in messages, where a row is shown by
    /// its 1-based number across the batches (the first row is 1).
    ///
    /// Columns are found by name as in a CSV header, and may be of these
    /// types: dates `Date32`, `Date64`, a timestamp without time zone at
    /// midnight, or `YYYY-MM-DD` strings; counts any integer type (a negative
    /// count is a rejection); countries, vocabulary values and texts `Utf8`,
    /// `LargeUtf8`, `Utf8View` or a dictionary of strings; a column of the
    /// `Null` type is all empty, and a null is an empty field.
    ///
    /// # Errors
    ///
    /// [`Error::ColumnType`] for a column of another type,
    /// [`Error::MissingColumns`] and [`Error::DuplicateColumn`] as for a CSV
    /// header (at position 0, the schema); in strict mode also the first
    /// rejected row.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use refugee_data::arrow_array::{ArrayRef, Int32Array, RecordBatch, StringArray};
    /// use refugee_data::{Loader, Table};
    /// let column = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// let batch = RecordBatch::try_from_iter([
    ///     ("date", column(vec!["2023-12-31", "2023-12-31"])),
    ///     ("origin", column(vec!["AFG", "Atlantis"])),
    ///     ("host", column(vec!["PAK", "IRN"])),
    ///     ("population", column(vec!["refugees", "refugees"])),
    ///     ("count", Arc::new(Int32Array::from(vec![1_987_717, 5])) as ArrayRef),
    ///     ("source", column(vec!["UNHCR", "UNHCR"])),
    /// ])?;
    /// let mut loader = Loader::new().lenient(true);
    /// loader.read_arrow(Table::Registrations, "registrations.arrow", [&batch])?;
    /// let (ds, report) = loader.finish();
    /// assert_eq!(ds.registrations().next().unwrap().count, 1_987_717);
    /// assert_eq!(
    ///     report.rejections()[0].to_string(),
    ///     r#"registrations.arrow:2: column "origin": "Atlantis" is not a known country (expected an ISO 3166 code or an English country name)"#
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_arrow<'b>(
        &mut self,
        table: Table,
        file: &str,
        batches: impl IntoIterator<Item = &'b RecordBatch>,
    ) -> Result<(), Error> {
        let batches: Vec<&RecordBatch> = batches.into_iter().collect();
        let Some(schema) = batches.first().map(|b| b.schema()) else { return Ok(()) };
        let rows = batches.iter().map(|b| b.num_rows() as u64).sum();
        read_batches(self, table, file, (&schema, rows), batches.into_iter().map(|b| Ok(b.clone())))
    }
}

#[cfg(feature = "parquet")]
mod parquet_files {
    use std::fs::File;
    use std::io;
    use std::path::Path;

    use super::*;
    use std::sync::Arc;

    use arrow_schema::Field;
    use parquet::arrow::arrow_reader::{
        ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
    };
    use parquet::arrow::ProjectionMask;
    use parquet::file::reader::ChunkReader;

    /// Rows decoded at a time (each batch's rows are parsed on two threads).
    const BATCH_ROWS: usize = 1 << 16;

    fn unreadable(file: &str, e: impl std::fmt::Display) -> Error {
        let message = format!("not a readable Parquet file: {e}");
        Error::Io {
            file: file.to_string(),
            source: io::Error::new(io::ErrorKind::InvalidData, message),
        }
    }

    /// Runs a step of the Parquet decoder; a panic in it (on a malformed
    /// file) becomes the error for an unreadable file.
    fn guarded<T>(file: &str, f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .unwrap_or_else(|_| Err(unreadable(file, "the decoder failed on its contents")))
    }

    /// `schema` with the table's string columns of the kinds that hold few
    /// distinct values (countries, vocabularies, sources and crossings; not
    /// free texts such as references and summaries) as dictionaries of the
    /// same strings; `None` when there is none to change.
    fn dictionaries(table: Table, schema: &Schema) -> Option<Arc<Schema>> {
        let at = map_columns(table, "", schema, None).ok()?;
        let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
        let mut changed = false;
        for ((at, kind), spec) in at.iter().zip(kinds(table)).zip(Dataset::specs(table)) {
            let few = match kind {
                ArrowKind::Country | ArrowKind::Word => true,
                ArrowKind::Text => matches!(spec.name, "source" | "crossing"),
                ArrowKind::Date | ArrowKind::Count => false,
            };
            let Some(f) = at.and_then(|at| fields.get_mut(at)) else { continue };
            if few && matches!(f.data_type(), DataType::Utf8 | DataType::LargeUtf8) {
                let dict = DataType::Dictionary(
                    Box::new(DataType::Int32),
                    Box::new(f.data_type().clone()),
                );
                *f = f.clone().with_data_type(dict);
                changed = true;
            }
        }
        changed.then(|| Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone())))
    }

    pub(super) fn read_parquet<T: ChunkReader + 'static>(
        loader: &mut Loader,
        table: Table,
        file: &str,
        input: T,
    ) -> Result<(), Error> {
        let metadata = guarded(file, || {
            ArrowReaderMetadata::load(&input, ArrowReaderOptions::new())
                .map_err(|e| unreadable(file, e))
        })?;
        let schema = metadata.schema().clone();
        // The string columns of the kinds that hold few distinct values
        // are read as dictionaries (Parquet stores them so): no string is
        // copied per row, and each distinct value is checked once per batch
        // and thread (see `Memo`). A file whose strings cannot be read so
        // (the reader refuses the hint, or fails on it) is read as it says.
        let metadata = match dictionaries(table, &schema) {
            Some(hinted) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let options = ArrowReaderOptions::new().with_schema(hinted);
                ArrowReaderMetadata::try_new(metadata.metadata().clone(), options).ok()
            }))
            .ok()
            .flatten()
            .unwrap_or(metadata),
            None => metadata,
        };
        let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(input, metadata);
        let rows = builder.metadata().file_metadata().num_rows().max(0) as u64;
        let at = map_columns(table, file, &schema, None)?;
        let mask = ProjectionMask::roots(builder.parquet_schema(), at.iter().flatten().copied());
        let mut reader = guarded(file, || {
            builder
                .with_projection(mask)
                .with_batch_size(BATCH_ROWS)
                .build()
                .map_err(|e| unreadable(file, e))
        })?;
        let batches = std::iter::from_fn(|| {
            guarded(file, || reader.next().transpose().map_err(|e| unreadable(file, e))).transpose()
        });
        read_batches(loader, table, file, (&schema, rows), batches)
    }

    impl Loader {
        /// Reads one Parquet file of `table` (feature `parquet`) from
        /// `reader` (held in memory whole: Parquet is read from its end);
        /// `file` names it in messages. The columns, their types and the
        /// checks are those of [`read_arrow`](Loader::read_arrow): a row is
        /// named by its 1-based number in the file.
        ///
        /// # Errors
        ///
        /// As [`read_arrow`](Loader::read_arrow), plus [`Error::Io`] (of
        /// kind `InvalidData`) for input that is no readable Parquet file:
        /// empty, truncated or corrupt.
        ///
        /// ```
        /// use refugee_data::{Error, Loader, Table};
        /// let err = Loader::new()
        ///     .read_parquet(Table::Statements, "statements.parquet", &b"PAR1"[..])
        ///     .unwrap_err();
        /// assert!(matches!(err, Error::Io { .. }));
        /// assert!(err.to_string().starts_with("statements.parquet: not a readable Parquet file: "));
        /// ```
        pub fn read_parquet<R: io::Read>(
            &mut self,
            table: Table,
            file: &str,
            mut reader: R,
        ) -> Result<(), Error> {
            let mut bytes = Vec::new();
            reader
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Io { file: file.to_string(), source })?;
            read_parquet(self, table, file, bytes::Bytes::from(bytes))
        }

        /// Reads the Parquet file at `path` as one file of `table` (feature
        /// `parquet`), without reading it into memory whole; it is named in
        /// messages by its file name (`deportations.parquet`), as
        /// [`read_dir`](Loader::read_dir) names a CSV file. See
        /// [`read_parquet`](Loader::read_parquet).
        ///
        /// # Errors
        ///
        /// As [`read_parquet`](Loader::read_parquet), plus a file that cannot be opened.
        ///
        /// ```no_run
        /// use refugee_data::{Loader, Table};
        /// let mut loader = Loader::new();
        /// loader.read_parquet_file(Table::Deportations, "export/deportations.parquet")?;
        /// let (ds, report) = loader.finish();
        /// # Ok::<(), refugee_data::Error>(())
        /// ```
        pub fn read_parquet_file(
            &mut self,
            table: Table,
            path: impl AsRef<Path>,
        ) -> Result<(), Error> {
            let path = path.as_ref();
            let file = File::open(path)
                .map_err(|source| Error::Io { file: path.display().to_string(), source })?;
            let name = path
                .file_name()
                .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            read_parquet(self, table, &name, file)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use bytes::Bytes;
        use parquet::arrow::arrow_writer::{ArrowWriter, ArrowWriterOptions};

        /// The hinted reader metadata of a file: refused hints would make
        /// the reader fall back to strings silently (only slower).
        fn hinted(table: Table, bytes: Bytes) -> ArrowReaderMetadata {
            let metadata = ArrowReaderMetadata::load(&bytes, ArrowReaderOptions::new()).unwrap();
            let hinted = dictionaries(table, metadata.schema()).expect("string columns to hint");
            let options = ArrowReaderOptions::new().with_schema(hinted);
            ArrowReaderMetadata::try_new(metadata.metadata().clone(), options).unwrap()
        }

        fn dictionary_columns(metadata: &ArrowReaderMetadata) -> Vec<String> {
            let fields = metadata.schema().fields();
            let dicts = fields.iter().filter(|f| matches!(f.data_type(), DataType::Dictionary(..)));
            dicts.map(|f| f.name().clone()).collect()
        }

        #[test]
        fn the_dictionary_hint_is_taken_for_our_files_and_for_plain_arrow_rs_files() {
            let csv = "date,origin,host,kind,count,crossing,source\n\
                       2023-11-01,AFG,PAK,deported,5,Torkham,IOM DTM\n";
            let mut loader = Loader::new();
            loader.read(Table::Deportations, "deportations.csv", csv.as_bytes()).unwrap();
            let (ds, _) = loader.finish();
            let mut ours = Vec::new();
            ds.write_parquet(Table::Deportations, &mut ours).unwrap();
            let want = ["origin", "host", "kind", "crossing", "source"];
            let metadata = hinted(Table::Deportations, Bytes::from(ours.clone()));
            assert_eq!(dictionary_columns(&metadata), want);

            // The same rows by arrow-rs without the Arrow schema in the file.
            let reader = ParquetRecordBatchReaderBuilder::try_new(Bytes::from(ours))
                .unwrap()
                .build()
                .unwrap();
            let batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
            let plain = bytes_of(&batches);
            let metadata = hinted(Table::Deportations, plain.clone());
            assert_eq!(dictionary_columns(&metadata), want);
            // And the rows read through the hint are dictionaries.
            let mut reader = ParquetRecordBatchReaderBuilder::new_with_metadata(plain, metadata)
                .build()
                .unwrap();
            let batch = reader.next().unwrap().unwrap();
            let origin = batch.column_by_name("origin").unwrap();
            assert!(matches!(origin.data_type(), DataType::Dictionary(..)));
        }

        /// Parquet of `batches` by arrow-rs, without the Arrow schema.
        fn bytes_of(batches: &[RecordBatch]) -> Bytes {
            let mut out = Vec::new();
            let options = ArrowWriterOptions::new().with_skip_arrow_metadata(true);
            let mut w =
                ArrowWriter::try_new_with_options(&mut out, batches[0].schema(), options).unwrap();
            for b in batches {
                w.write(b).unwrap();
            }
            w.close().unwrap();
            Bytes::from(out)
        }
    }
}
