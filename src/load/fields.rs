//! Reading one CSV record's fields into a row of the store: dates, counts,
//! countries, vocabulary values and texts parsed by hand, each failure a
//! positioned rejection.

use std::cell::Cell;

use csv::ByteRecord;

use super::header::Shape;
use super::{Problem, Rejection};
use crate::dataset::{
    DeportationColumns, FieldSource, Interner, RegistrationColumns, StatementColumns, NO_COUNTRY,
    NO_DAY,
};
use crate::record::{parse_date, DateError, Day, Vocabulary};
use crate::{Country, Dataset, Table};

/// What is wrong with `b`, a value that is no word of vocabulary `V`: empty,
/// or unknown.
pub(super) fn vocab_problem<V: Vocabulary>(b: &[u8]) -> Problem {
    if b.trim_ascii().is_empty() {
        Problem::Empty
    } else {
        Problem::UnknownValue { vocabulary: V::NAME, expected: V::LABELS }
    }
}

/// A count written in digits only (the contract's `count`), for the loader
/// and the source adapters alike.
#[inline]
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

/// The fields of one record: read by the `csv` crate, or a line without
/// quotes split at its delimiters.
#[derive(Clone, Copy)]
pub(super) enum Fields<'a> {
    Record(&'a ByteRecord),
    /// The line, and where each field is in it.
    Split(&'a [u8], Bounds<'a>),
    /// As `Split`, of a line known to be UTF-8 (so is every field: they
    /// are cut at ASCII delimiters and quotes).
    Text(&'a str, Bounds<'a>),
}

/// Where the fields of a split line are.
#[derive(Clone, Copy)]
pub(super) enum Bounds<'a> {
    /// The start and end of each field in the line (pairs).
    Pairs(&'a [u32]),
    /// A line with no quote: the offsets in its piece of the separators
    /// after each field (the last one, the line's end, not read: the last
    /// field ends with the line), and the line's own offset.
    Cuts { seps: &'a [u32], start: u32 },
}

impl Bounds<'_> {
    fn len(&self) -> usize {
        match self {
            Bounds::Pairs(pairs) => pairs.len() / 2,
            Bounds::Cuts { seps, .. } => seps.len(),
        }
    }

    /// Field `i` of a line of `len` bytes.
    #[inline]
    fn get(&self, i: usize, len: usize) -> Option<std::ops::Range<usize>> {
        match *self {
            Bounds::Pairs(pairs) => {
                let end = *pairs.get(2 * i + 1)? as usize;
                Some(pairs[2 * i] as usize..end)
            }
            Bounds::Cuts { seps, start } => {
                let at = |s: u32| (s & !super::blocks::LINE_END).wrapping_sub(start) as usize;
                let end = if i + 1 == seps.len() { len } else { at(*seps.get(i)?) };
                let from = if i == 0 { 0 } else { at(seps[i - 1]) + 1 };
                Some(from..end)
            }
        }
    }
}

impl<'a> Fields<'a> {
    pub(super) fn len(&self) -> usize {
        match self {
            Fields::Record(r) => r.len(),
            Fields::Split(_, bounds) | Fields::Text(_, bounds) => bounds.len(),
        }
    }

    #[inline]
    pub(super) fn get(&self, i: usize) -> Option<&'a [u8]> {
        match *self {
            Fields::Record(r) => r.get(i),
            Fields::Split(line, b) => Some(&line[b.get(i, line.len())?]),
            Fields::Text(line, b) => Some(&line.as_bytes()[b.get(i, line.len())?]),
        }
    }

    /// Field `i` as text, when the line is known to be UTF-8.
    #[inline]
    fn get_str(&self, i: usize) -> Option<&'a str> {
        match *self {
            Fields::Text(line, b) => line.get(b.get(i, line.len())?),
            _ => None,
        }
    }

    /// The bytes of all fields together (at least the longest field's).
    fn total_len(&self) -> usize {
        match self {
            Fields::Record(r) => r.as_slice().len(),
            Fields::Split(line, _) => line.len(),
            Fields::Text(line, _) => line.len(),
        }
    }
}

/// One data row being parsed: its record, and where it is.
pub(super) struct Row<'a> {
    pub(super) rec: Fields<'a>,
    pub(super) file: &'a str,
    pub(super) line: u64,
    /// The row's `date` once read, and its field, for the period check.
    date: Cell<Option<(Day, Option<usize>)>>,
}

pub(super) type Parsed<T> = Result<T, Box<Rejection>>;

impl<'a> Row<'a> {
    pub(super) fn new(rec: &'a ByteRecord, file: &'a str, line: u64) -> Self {
        Row::of(Fields::Record(rec), file, line)
    }

    pub(super) fn of(rec: Fields<'a>, file: &'a str, line: u64) -> Self {
        Row { rec, file, line, date: Cell::new(None) }
    }

    fn raw(&self, col: Option<usize>) -> &[u8] {
        col.and_then(|i| self.rec.get(i)).unwrap_or(b"")
    }

    /// A rejection for the first field longer than `limit`, if any.
    fn too_long(&self, names: &[String], limit: usize) -> Option<Box<Rejection>> {
        if self.rec.total_len() <= limit {
            return None;
        }
        let (i, value) = (0..self.rec.len())
            .filter_map(|i| Some((i, self.rec.get(i)?)))
            .find(|(_, f)| f.len() > limit)?;
        let name = names.get(i).map_or("", String::as_str);
        Some(self.reject(name, value, Problem::FieldTooLong { bytes: value.len(), limit }))
    }

    #[cold]
    fn reject(&self, name: &str, value: &[u8], problem: Problem) -> Box<Rejection> {
        Box::new(Rejection::new(self.file, self.line, problem).at(name, value))
    }

    fn utf8(&self, b: &[u8], name: &str) -> Parsed<()> {
        match std::str::from_utf8(b) {
            Ok(_) => Ok(()),
            Err(e) => Err(self.reject(name, b, Problem::InvalidUtf8 { byte: e.valid_up_to() })),
        }
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
}

impl FieldSource for Row<'_> {
    type Error = Box<Rejection>;

    #[inline]
    fn date(&self, col: Option<usize>, name: &'static str) -> Parsed<Day> {
        let b = self.raw(col);
        let day = parse_date(b).map_err(|e| {
            let problem = match e {
                _ if b.is_empty() => Problem::Empty,
                DateError::Malformed => Problem::MalformedDate,
                DateError::NotCalendar => Problem::NotCalendarDate,
                DateError::OutOfRange => Problem::DateOutOfRange,
            };
            self.reject(name, b, problem)
        })?;
        self.date.set(Some((day, col)));
        Ok(day)
    }

    #[inline]
    fn period_start(&self, col: Option<usize>, name: &'static str) -> Parsed<Day> {
        if self.raw(col).is_empty() {
            return Ok(NO_DAY);
        }
        // `date` comes first in every table that has a period.
        let recorded = self.date.get();
        let start = self.date(col, name)?;
        self.date.set(recorded);
        let (date, date_col) = recorded.expect("date is read before period_start");
        if start > date {
            let written = String::from_utf8_lossy(self.raw(date_col)).into_owned();
            return Err(self.reject(
                name,
                self.raw(col),
                Problem::PeriodAfterDate { date: written },
            ));
        }
        Ok(start)
    }

    #[inline]
    fn count(&self, col: Option<usize>, name: &'static str) -> Parsed<u64> {
        let b = self.raw(col);
        if b.is_empty() {
            return Err(self.reject(name, b, Problem::Empty));
        }
        parse_digits(b).map_err(|problem| self.reject(name, b, problem))
    }

    #[inline]
    fn country(&self, col: Option<usize>, name: &'static str, required: bool) -> Parsed<u16> {
        let b = self.raw(col);
        if !required && b.trim_ascii().is_empty() {
            return Ok(NO_COUNTRY);
        }
        match Country::parse_bytes(b) {
            Some(c) => Ok(c.id()),
            None => Err(self.country_error(b, name)),
        }
    }

    #[inline]
    fn vocab<V: Vocabulary>(&self, col: Option<usize>, name: &'static str) -> Parsed<V> {
        let b = self.raw(col);
        V::parse_bytes(b).ok_or_else(|| self.reject(name, b, vocab_problem::<V>(b)))
    }

    /// An interned, trimmed text; 0 for an empty optional one.
    #[inline]
    fn text(
        &self,
        col: Option<usize>,
        name: &'static str,
        required: bool,
        texts: &mut Interner,
    ) -> Parsed<u32> {
        // The field as written, less ASCII white space: what a message shows.
        let shown = || self.raw(col).trim_ascii();
        // A field of a line known to be UTF-8 is taken as it is (one lookup).
        let s = match col.and_then(|i| self.rec.get_str(i)) {
            Some(s) => crate::text::trim_text(s),
            None => match std::str::from_utf8(shown()) {
                Ok(s) => crate::text::trim_text(s),
                Err(e) => {
                    let problem = Problem::InvalidUtf8 { byte: e.valid_up_to() };
                    return Err(self.reject(name, shown(), problem));
                }
            },
        };
        if s.is_empty() {
            return if required { Err(self.reject(name, shown(), Problem::Empty)) } else { Ok(0) };
        }
        texts.intern(s).map_err(|_| self.reject(name, shown(), Problem::TooManyTexts))
    }
}

/// The flow columns: a row of [`flow_row`] has this many fields, or one
/// fewer (`reference`, optional, left out).
const FLOW_COLUMNS: usize = DeportationColumns::SPECS.len();

/// Whether a file's rows are flows whose header names the contract's
/// columns in its order (`reference`, optional, last or left out) and no
/// other: then [`flow_row`] may read them.
pub(super) fn canonical_flows(table: Table, shape: &Shape) -> bool {
    let n = shape.map.len();
    table == Table::Deportations
        && shape.map.iter().enumerate().all(|(i, c)| *c == Some(i) || i + 1 == n && c.is_none())
        && shape.width == shape.map.iter().flatten().count()
}

/// The flow row of a split line of a file of [`canonical_flows`] (its
/// fields cut at separators, or quoted whole), read as [`parse_record`]
/// reads it (the same field readers, in column order) without looking
/// each field up through the header's map; `None` when the line is not the
/// header's width or any field would be rejected, and [`parse_record`]
/// then reads the line and says why. The texts are interned last, in
/// column order, as [`parse_record`] does: a line declined after one was
/// interned leaves the texts as reading it again will. Its widths and
/// field positions follow the flow columns of the `tables!` list (a new
/// column there is a new field here).
#[inline]
pub(super) fn flow_row(
    line: &str,
    bounds: Bounds<'_>,
    width: usize,
    texts: &mut Interner,
) -> Option<crate::dataset::DeportationRow> {
    // The header's width (that of [`canonical_flows`]), and no other.
    if bounds.len() != width || !(FLOW_COLUMNS - 1..=FLOW_COLUMNS).contains(&width) {
        return None;
    }
    // Where each field starts and ends in the line (an absent `reference`
    // empty).
    let mut cuts = [(0, 0); FLOW_COLUMNS];
    match bounds {
        // Field by field from the line's start: each ends at its separator
        // and the next begins after it, the last at the line's end.
        Bounds::Cuts { seps, start } => {
            let mut from = 0;
            for (i, cut) in cuts[..width].iter_mut().enumerate() {
                let to = match seps.get(i + 1) {
                    Some(_) => (seps[i] & !super::blocks::LINE_END).wrapping_sub(start) as usize,
                    None => line.len(),
                };
                *cut = (from, to);
                from = to + 1;
            }
        }
        Bounds::Pairs(pairs) => {
            for (cut, pair) in cuts.iter_mut().zip(pairs.chunks_exact(2)) {
                *cut = (pair[0] as usize, pair[1] as usize);
            }
        }
    }
    // Dates, codes, words and digits as bytes; texts as text (a field cut
    // inside a character, at a delimiter that is no ASCII, is none).
    let bytes = |i: usize| line.as_bytes().get(cuts[i].0..cuts[i].1);
    let date = parse_date(bytes(0)?).ok()?;
    let period_start = match bytes(1)? {
        [] => NO_DAY,
        f => Some(parse_date(f).ok()?).filter(|&s| s <= date)?,
    };
    let count = match bytes(5)? {
        [] => return None,
        f => parse_digits(f).ok()?,
    };
    let mut text = |i: usize, required: bool| -> Option<u32> {
        let s = crate::text::trim_text(line.get(cuts[i].0..cuts[i].1)?);
        if s.is_empty() {
            (!required).then_some(0)
        } else {
            texts.intern(s).ok()
        }
    };
    Some(crate::dataset::DeportationRow {
        date,
        period_start,
        origin: Country::parse_bytes(bytes(2)?)?.id(),
        host: Country::parse_bytes(bytes(3)?)?.id(),
        kind: crate::ReturnKind::parse_bytes(bytes(4)?)?.into(),
        count,
        crossing: text(6, false)?,
        source: text(7, true)?,
        reference: text(8, false)?,
    })
}

/// Parses one record into the columns of `ds`, or says why not; nothing is
/// pushed on a rejection.
pub(super) fn parse_record(
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
    let (map, texts) = (&shape.map, &mut ds.texts);
    match table {
        Table::Registrations => {
            ds.registrations.push(RegistrationColumns::parse(row, map, texts)?);
        }
        Table::Deportations => {
            ds.deportations.push(DeportationColumns::parse(row, map, texts)?);
        }
        Table::Statements => ds.statements.push(StatementColumns::parse(row, map, texts)?),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Bounds;
    use crate::load::blocks::LINE_END;

    #[test]
    fn cuts_give_each_field_between_separators_and_the_last_to_the_line_end() {
        // A line at offset 10 of its piece, `a,,bc\r\n`: the line end at 16,
        // its content 5 bytes long (the `\r` off).
        let seps = [11, 12, 16 | LINE_END];
        let cuts = Bounds::Cuts { seps: &seps, start: 10 };
        let fields: Vec<_> = (0..4).map(|i| cuts.get(i, 5)).collect();
        assert_eq!(fields, [Some(0..1), Some(2..2), Some(3..5), None]);
        assert_eq!(cuts.len(), 3);
        // One field.
        let one = [13 | LINE_END];
        let cuts = Bounds::Cuts { seps: &one, start: 10 };
        assert_eq!((cuts.get(0, 3), cuts.get(1, 3)), (Some(0..3), None));
        // No separator at all: no field, and no panic.
        let cuts = Bounds::Cuts { seps: &[], start: 0 };
        assert_eq!((cuts.len(), cuts.get(0, 0), cuts.get(1, 0)), (0, None, None));
    }
}
