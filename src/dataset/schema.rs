//! One definition per table.
//!
//! The columns of each table are listed once, in [`tables!`] at the end of
//! this file, each with its *kind* (a date, a count, a country, a
//! vocabulary value, a text, or the optional variants). Everything that goes
//! column by column is derived from that list:
//!
//! * the column vectors of the store and the row type (`RegistrationRow` ...);
//! * the row operations (push, truncate, reserve, copy, append from another
//!   dataset with its text ids renumbered);
//! * the contract's column names and which are required (the loader's
//!   header check and the writer's header);
//! * parsing a row field by field, in column order, from any
//!   [`FieldSource`] (the loader's rows);
//! * the typed record (`Registration` ...), whose fields have the columns'
//!   names;
//! * writing a row as canonical CSV;
//! * the categorical column a query groups by, by name ([`ColumnRef`]).
//!
//! Adding a column is one line in [`tables!`] and one field in the record
//! type. What a kind means lives in its [`Kind`] impl, once for all tables.

use std::io;
use std::marker::PhantomData;

use chrono::NaiveDate;

use super::{Counts, Interner, NO_COUNTRY, NO_DAY};
use crate::record::{civil_from_days, date_of_day, Day, Vocabulary};

/// A column of the contract: its name and whether a file must have it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ColumnSpec {
    pub(crate) name: &'static str,
    pub(crate) required: bool,
}

/// A categorical column's values, as queries group and filter by them.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ColumnRef<'a> {
    /// Country ids; [`NO_COUNTRY`] where an optional one is absent.
    Country(&'a [u16]),
    /// Vocabulary indexes, and the vocabulary's labels.
    Vocab(&'a [u8], &'static [&'static str]),
    /// Interned text ids; 0 is the empty text.
    Text(&'a [u32]),
}

/// Where a row's values come from, one method a kind of value: the loader
/// implements it over a CSV record, with its rejections as `Error`. `col`
/// is the field's position in the record (`None` for an optional column
/// the file does not have); `name` the column's name, for messages.
pub(crate) trait FieldSource {
    /// Why a field could not be read.
    type Error;
    /// A required date.
    fn date(&self, col: Option<usize>, name: &'static str) -> Result<Day, Self::Error>;
    /// A deportation's `period_start`: [`NO_DAY`] when empty, else a date
    /// not after the row's `date` (read before it).
    fn period_start(&self, col: Option<usize>, name: &'static str) -> Result<Day, Self::Error>;
    /// A count.
    fn count(&self, col: Option<usize>, name: &'static str) -> Result<u64, Self::Error>;
    /// A country id, or [`NO_COUNTRY`] when `required` is false and the field is empty.
    fn country(
        &self,
        col: Option<usize>,
        name: &'static str,
        required: bool,
    ) -> Result<u16, Self::Error>;
    /// A vocabulary value.
    fn vocab<V: Vocabulary>(
        &self,
        col: Option<usize>,
        name: &'static str,
    ) -> Result<V, Self::Error>;
    /// An interned text, or 0 when `required` is false and the field is empty.
    fn text(
        &self,
        col: Option<usize>,
        name: &'static str,
        required: bool,
        texts: &mut Interner,
    ) -> Result<u32, Self::Error>;
}

/// How a kind's values are kept column by column: a `Vec` of them, or for
/// counts a [`Counts`] (32 bits a value until one needs 64).
pub(crate) trait Column<T>: Clone + std::fmt::Debug + Default {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn push(&mut self, v: T);
    fn at(&self, i: usize) -> T;
    fn set(&mut self, i: usize, v: T);
    fn truncate(&mut self, n: usize);
    fn reserve_exact(&mut self, additional: usize);
    fn resize(&mut self, n: usize, v: T);
    /// `n` values `v` (zeros allocated zeroed: untouched until written).
    fn filled(v: T, n: usize) -> Self;
    /// Appends `src`'s values in `rows`, each through `f`.
    fn extend_from(&mut self, src: &Self, rows: std::ops::Range<usize>, f: impl Fn(T) -> T);
}

impl<T: Copy + std::fmt::Debug> Column<T> for Vec<T> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn push(&mut self, v: T) {
        Vec::push(self, v)
    }
    fn at(&self, i: usize) -> T {
        self[i]
    }
    fn set(&mut self, i: usize, v: T) {
        self[i] = v
    }
    fn truncate(&mut self, n: usize) {
        Vec::truncate(self, n)
    }
    fn reserve_exact(&mut self, additional: usize) {
        Vec::reserve_exact(self, additional)
    }
    fn resize(&mut self, n: usize, v: T) {
        Vec::resize(self, n, v)
    }
    fn filled(v: T, n: usize) -> Self {
        vec![v; n]
    }
    fn extend_from(&mut self, src: &Self, rows: std::ops::Range<usize>, f: impl Fn(T) -> T) {
        self.extend(src[rows].iter().map(|&v| f(v)))
    }
}

/// What one kind of column means: how it is stored, parsed, shown in a
/// record, written, and read by queries.
pub(crate) trait Kind {
    /// The stored value.
    type Stored: Copy + Default + std::fmt::Debug + PartialEq;
    /// The column of stored values.
    type Column: Column<Self::Stored>;
    /// The record field's type.
    type Record;
    /// True when a file must have the column and a value in every row.
    const REQUIRED: bool;
    /// The stored value of an optional column that a file does not have
    /// (for a required column, which a file always has, a filler never read).
    const ABSENT: Self::Stored;
    /// Parses the field of one row.
    fn parse<S: FieldSource>(
        src: &S,
        col: Option<usize>,
        name: &'static str,
        texts: &mut Interner,
    ) -> Result<Self::Stored, S::Error>;
    /// The record field.
    fn record(v: Self::Stored, texts: &Interner) -> Self::Record;
    /// Writes the field as canonical CSV (an absent optional value as an empty field).
    fn write<W: io::Write>(
        v: Self::Stored,
        texts: &Interner,
        w: &mut csv::Writer<W>,
    ) -> csv::Result<()>;
    /// The column, for queries to group and filter by; `None` for dates
    /// and counts, which are bounds and measures.
    fn column(values: &Self::Column) -> Option<ColumnRef<'_>>;
    /// The value with its text id renumbered by `remap` (texts only).
    fn remap(v: Self::Stored, _remap: &[u32]) -> Self::Stored {
        v
    }
    /// True when `remap` has no number for the value's text (`u32::MAX`).
    fn unmapped(_v: Self::Stored, _remap: &[u32]) -> bool {
        false
    }
}

/// Formats a day number as `YYYY-MM-DD` (years 1900..=2100).
pub(crate) fn day_text(day: Day) -> [u8; 10] {
    let (y, m, d) = civil_from_days(day);
    let y = y as u32;
    [
        b'0' + (y / 1000 % 10) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
        b'-',
        b'0' + (m / 10) as u8,
        b'0' + (m % 10) as u8,
        b'-',
        b'0' + (d / 10) as u8,
        b'0' + (d % 10) as u8,
    ]
}

/// The kinds of column.
pub(crate) mod kind {
    use super::*;

    /// A required date.
    pub(crate) struct Date;
    /// A deportation's optional `period_start`, not after its `date`.
    pub(crate) struct PeriodStart;
    /// A count.
    pub(crate) struct Count;
    /// A required country.
    pub(crate) struct Country;
    /// An optional country.
    pub(crate) struct OptCountry;
    /// A value of vocabulary `V`.
    pub(crate) struct Vocab<V>(PhantomData<V>);
    /// A required text.
    pub(crate) struct Text;
    /// An optional text.
    pub(crate) struct OptText;

    impl Kind for Date {
        type Stored = Day;
        type Column = Vec<Day>;
        type Record = NaiveDate;
        const REQUIRED: bool = true;
        const ABSENT: Self::Stored = 0;
        fn parse<S: FieldSource>(
            src: &S,
            col: Option<usize>,
            name: &'static str,
            _: &mut Interner,
        ) -> Result<Day, S::Error> {
            src.date(col, name)
        }
        fn record(v: Day, _: &Interner) -> NaiveDate {
            date_of_day(v)
        }
        fn write<W: io::Write>(v: Day, _: &Interner, w: &mut csv::Writer<W>) -> csv::Result<()> {
            w.write_field(day_text(v))
        }
        fn column(_: &Vec<Day>) -> Option<ColumnRef<'_>> {
            None
        }
    }

    impl Kind for PeriodStart {
        type Stored = Day;
        type Column = Vec<Day>;
        type Record = Option<NaiveDate>;
        const REQUIRED: bool = false;
        const ABSENT: Self::Stored = NO_DAY;
        fn parse<S: FieldSource>(
            src: &S,
            col: Option<usize>,
            name: &'static str,
            _: &mut Interner,
        ) -> Result<Day, S::Error> {
            src.period_start(col, name)
        }
        fn record(v: Day, _: &Interner) -> Option<NaiveDate> {
            (v != NO_DAY).then(|| date_of_day(v))
        }
        fn write<W: io::Write>(v: Day, _: &Interner, w: &mut csv::Writer<W>) -> csv::Result<()> {
            if v == NO_DAY {
                w.write_field([])
            } else {
                w.write_field(day_text(v))
            }
        }
        fn column(_: &Vec<Day>) -> Option<ColumnRef<'_>> {
            None
        }
    }

    impl Kind for Count {
        type Stored = u64;
        type Column = Counts;
        type Record = u64;
        const REQUIRED: bool = true;
        const ABSENT: Self::Stored = 0;
        fn parse<S: FieldSource>(
            src: &S,
            col: Option<usize>,
            name: &'static str,
            _: &mut Interner,
        ) -> Result<u64, S::Error> {
            src.count(col, name)
        }
        fn record(v: u64, _: &Interner) -> u64 {
            v
        }
        fn write<W: io::Write>(v: u64, _: &Interner, w: &mut csv::Writer<W>) -> csv::Result<()> {
            let mut buf = [0u8; 20];
            let mut i = buf.len();
            let mut n = v;
            loop {
                i -= 1;
                buf[i] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            w.write_field(&buf[i..])
        }
        fn column(_: &Counts) -> Option<ColumnRef<'_>> {
            None
        }
    }

    fn country_text(id: u16) -> &'static [u8] {
        if id == NO_COUNTRY {
            b""
        } else {
            crate::Country::from_id(id).alpha3().as_bytes()
        }
    }

    impl Kind for Country {
        type Stored = u16;
        type Column = Vec<u16>;
        type Record = crate::Country;
        const REQUIRED: bool = true;
        const ABSENT: Self::Stored = 0;
        fn parse<S: FieldSource>(
            src: &S,
            col: Option<usize>,
            name: &'static str,
            _: &mut Interner,
        ) -> Result<u16, S::Error> {
            src.country(col, name, true)
        }
        fn record(v: u16, _: &Interner) -> crate::Country {
            crate::Country::from_id(v)
        }
        fn write<W: io::Write>(v: u16, _: &Interner, w: &mut csv::Writer<W>) -> csv::Result<()> {
            w.write_field(country_text(v))
        }
        fn column(values: &Vec<u16>) -> Option<ColumnRef<'_>> {
            Some(ColumnRef::Country(values))
        }
    }

    impl Kind for OptCountry {
        type Stored = u16;
        type Column = Vec<u16>;
        type Record = Option<crate::Country>;
        const REQUIRED: bool = false;
        const ABSENT: Self::Stored = NO_COUNTRY;
        fn parse<S: FieldSource>(
            src: &S,
            col: Option<usize>,
            name: &'static str,
            _: &mut Interner,
        ) -> Result<u16, S::Error> {
            src.country(col, name, false)
        }
        fn record(v: u16, _: &Interner) -> Option<crate::Country> {
            (v != NO_COUNTRY).then(|| crate::Country::from_id(v))
        }
        fn write<W: io::Write>(v: u16, _: &Interner, w: &mut csv::Writer<W>) -> csv::Result<()> {
            w.write_field(country_text(v))
        }
        fn column(values: &Vec<u16>) -> Option<ColumnRef<'_>> {
            Some(ColumnRef::Country(values))
        }
    }

    impl<V: Vocabulary> Kind for Vocab<V> {
        type Stored = u8;
        type Column = Vec<u8>;
        type Record = V;
        const REQUIRED: bool = true;
        const ABSENT: Self::Stored = 0;
        fn parse<S: FieldSource>(
            src: &S,
            col: Option<usize>,
            name: &'static str,
            _: &mut Interner,
        ) -> Result<u8, S::Error> {
            src.vocab::<V>(col, name).map(Into::into)
        }
        fn record(v: u8, _: &Interner) -> V {
            V::from_index(v)
        }
        fn write<W: io::Write>(v: u8, _: &Interner, w: &mut csv::Writer<W>) -> csv::Result<()> {
            w.write_field(V::LABELS[v as usize])
        }
        fn column(values: &Vec<u8>) -> Option<ColumnRef<'_>> {
            Some(ColumnRef::Vocab(values, V::LABELS))
        }
    }

    impl Kind for Text {
        type Stored = u32;
        type Column = Vec<u32>;
        type Record = String;
        const REQUIRED: bool = true;
        const ABSENT: Self::Stored = 0;
        fn parse<S: FieldSource>(
            src: &S,
            col: Option<usize>,
            name: &'static str,
            texts: &mut Interner,
        ) -> Result<u32, S::Error> {
            src.text(col, name, true, texts)
        }
        fn record(v: u32, texts: &Interner) -> String {
            texts.text(v).to_string()
        }
        fn write<W: io::Write>(
            v: u32,
            texts: &Interner,
            w: &mut csv::Writer<W>,
        ) -> csv::Result<()> {
            w.write_field(texts.text(v))
        }
        fn column(values: &Vec<u32>) -> Option<ColumnRef<'_>> {
            Some(ColumnRef::Text(values))
        }
        fn remap(v: u32, remap: &[u32]) -> u32 {
            remap[v as usize]
        }
        fn unmapped(v: u32, remap: &[u32]) -> bool {
            remap[v as usize] == u32::MAX
        }
    }

    impl Kind for OptText {
        type Stored = u32;
        type Column = Vec<u32>;
        type Record = Option<String>;
        const REQUIRED: bool = false;
        const ABSENT: Self::Stored = 0;
        fn parse<S: FieldSource>(
            src: &S,
            col: Option<usize>,
            name: &'static str,
            texts: &mut Interner,
        ) -> Result<u32, S::Error> {
            src.text(col, name, false, texts)
        }
        fn record(v: u32, texts: &Interner) -> Option<String> {
            (v != 0).then(|| texts.text(v).to_string())
        }
        fn write<W: io::Write>(
            v: u32,
            texts: &Interner,
            w: &mut csv::Writer<W>,
        ) -> csv::Result<()> {
            w.write_field(texts.text(v))
        }
        fn column(values: &Vec<u32>) -> Option<ColumnRef<'_>> {
            Some(ColumnRef::Text(values))
        }
        fn remap(v: u32, remap: &[u32]) -> u32 {
            remap[v as usize]
        }
        fn unmapped(v: u32, remap: &[u32]) -> bool {
            remap[v as usize] == u32::MAX
        }
    }
}

/// Defines the tables: for each, its column vectors, its row type, and
/// every column-by-column operation, from one list of `column: Kind`.
macro_rules! tables {
    ($(
        $(#[$meta:meta])*
        $columns:ident, $row:ident, $record:path {
            $($col:ident: $kind:ty),+ $(,)?
        }
    )+) => {$(
        $(#[$meta])*
        #[derive(Clone, Debug, Default)]
        pub(crate) struct $columns {
            $(pub(crate) $col: <$kind as Kind>::Column,)+
        }

        /// One row of the table, as stored.
        #[derive(Clone, Copy, Debug, Default, PartialEq)]
        pub(crate) struct $row {
            $(pub(crate) $col: <$kind as Kind>::Stored,)+
        }

        impl $columns {
            /// The contract's columns, in its order.
            pub(crate) const SPECS: &'static [ColumnSpec] = &[
                $(ColumnSpec { name: stringify!($col), required: <$kind as Kind>::REQUIRED },)+
            ];

            /// The number of rows.
            pub(crate) fn len(&self) -> usize {
                [$(Column::len(&self.$col)),+][0]
            }

            /// Appends a row.
            #[inline]
            pub(crate) fn push(&mut self, r: $row) {
                $(Column::push(&mut self.$col, r.$col);)+
            }

            /// Keeps the first `n` rows.
            pub(crate) fn truncate(&mut self, n: usize) {
                $(Column::truncate(&mut self.$col, n);)+
            }

            /// Makes room for `additional` more rows in every column.
            pub(crate) fn reserve(&mut self, additional: usize) {
                $(Column::reserve_exact(&mut self.$col, additional);)+
            }

            /// Copies row `from` over row `to`.
            pub(crate) fn copy_row(&mut self, from: usize, to: usize) {
                $(
                    let v = Column::at(&self.$col, from);
                    Column::set(&mut self.$col, to, v);
                )+
            }

            /// Appends rows `rows` of `src` column by column, with text ids
            /// that `remap` turns into ours, leaving out the columns whose
            /// bit (by position) is set in `absent`: columns the file does
            /// not have, filled in at once by [`fill`](Self::fill) when the
            /// file is read.
            pub(crate) fn append_rows(
                &mut self,
                src: &$columns,
                rows: std::ops::Range<usize>,
                remap: &[u32],
                absent: u32,
            ) {
                let mut bit = 1u32;
                $(
                    if absent & bit == 0 {
                        Column::extend_from(&mut self.$col, &src.$col, rows.clone(), |v| {
                            <$kind as Kind>::remap(v, remap)
                        });
                    }
                    bit <<= 1;
                )+
                let _ = bit;
            }

            /// Brings every column left short by [`append_rows`](Self::append_rows)
            /// to the table's rows (the length of its first column, a
            /// required date) with the column's absent value. An empty
            /// column becomes a new vector of that value: zeros are
            /// allocated zeroed, so the memory of a column the file does not
            /// have is not touched until it is written.
            pub(crate) fn fill(&mut self) {
                let n = self.len();
                $(
                    let absent = <$kind as Kind>::ABSENT;
                    if Column::is_empty(&self.$col) && n > 0 {
                        self.$col = Column::filled(absent, n);
                    } else if Column::len(&self.$col) < n {
                        Column::resize(&mut self.$col, n, absent);
                    }
                )+
            }

            /// The first column of row `i` whose text `remap` leaves
            /// unnumbered, and its text id.
            pub(crate) fn unmapped(&self, i: usize, remap: &[u32]) -> Option<(&'static str, u32)> {
                $(
                    let v = Column::at(&self.$col, i);
                    if <$kind as Kind>::unmapped(v, remap) {
                        return Some((stringify!($col), v as u32));
                    }
                )+
                None
            }

            /// Parses one row, field by field in column order; `map` gives
            /// each column's position in the record.
            pub(crate) fn parse<S: FieldSource>(
                src: &S,
                map: &[Option<usize>],
                texts: &mut Interner,
            ) -> Result<$row, S::Error> {
                let mut at = map.iter().copied();
                // Struct fields are evaluated in the order written: the
                // first bad column in column order is the one reported.
                Ok($row {
                    $($col: <$kind as Kind>::parse(src, at.next().flatten(), stringify!($col), texts)?,)+
                })
            }

            /// Row `i` as a typed record.
            pub(crate) fn record(&self, i: usize, texts: &Interner) -> $record {
                $record { $($col: <$kind as Kind>::record(Column::at(&self.$col, i), texts),)+ }
            }

            /// Writes row `i` as one CSV record.
            pub(crate) fn write_row<W: io::Write>(
                &self,
                i: usize,
                texts: &Interner,
                w: &mut csv::Writer<W>,
            ) -> csv::Result<()> {
                $(<$kind as Kind>::write(Column::at(&self.$col, i), texts, w)?;)+
                w.write_record(None::<&[u8]>)
            }

            /// The categorical column named `name`: its position and its values.
            pub(crate) fn column(&self, name: &str) -> Option<(usize, ColumnRef<'_>)> {
                let i = Self::SPECS.iter().position(|s| s.name == name)?;
                Some((i, [$(<$kind as Kind>::column(&self.$col)),+][i]?))
            }
        }
    )+};
}

use kind::*;

tables! {
    /// `registrations.csv`, stocks, column by column.
    RegistrationColumns, RegistrationRow, crate::Registration {
        date: Date,
        origin: Country,
        host: Country,
        population: Vocab<crate::PopulationType>,
        count: Count,
        source: Text,
        reference: OptText,
    }

    /// `deportations.csv`, flows, column by column.
    DeportationColumns, DeportationRow, crate::DeportationEvent {
        date: Date,
        period_start: PeriodStart,
        origin: Country,
        host: Country,
        kind: Vocab<crate::ReturnKind>,
        count: Count,
        crossing: OptText,
        source: Text,
        reference: OptText,
    }

    /// `statements.csv`, policy statements, column by column.
    StatementColumns, StatementRow, crate::PolicyStatement {
        date: Date,
        actor: Text,
        actor_country: OptCountry,
        speaker: OptText,
        target_country: OptCountry,
        subject_country: OptCountry,
        stance: Vocab<crate::Stance>,
        summary: Text,
        source: Text,
        url: OptText,
    }
}

/// The most columns a table has (the store keeps a cache slot for each).
pub(crate) const MAX_COLUMNS: usize = 16;
const _: () = {
    assert!(RegistrationColumns::SPECS.len() <= MAX_COLUMNS);
    assert!(DeportationColumns::SPECS.len() <= MAX_COLUMNS);
    assert!(StatementColumns::SPECS.len() <= MAX_COLUMNS);
};
