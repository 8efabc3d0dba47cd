//! The columnar store: each table kept column by column.
//!
//! Dates are day numbers, countries small integer ids, vocabularies `u8`,
//! counts 32 bits a value until a value needs 64 (then every value is
//! widened exactly), texts interned ids. An optional column that a file
//! does not have is allocated zeroed once the file is read, so that its
//! memory is not touched. Typed records are read back out by
//! iterators; queries run over the columns directly.

mod counts;
mod intern;
mod schema;
mod write;

pub(crate) use counts::{with_counts, Counts};
pub(crate) use intern::Interner;
pub(crate) use schema::{
    ColumnRef, ColumnSpec, DeportationColumns, DeportationRow, FieldSource, RegistrationColumns,
    RegistrationRow, StatementColumns,
};

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::record::{date_of_day, Day};
use crate::{DeportationEvent, PolicyStatement, Registration};

/// Marks an absent optional country in a country column.
pub(crate) const NO_COUNTRY: u16 = u16::MAX;
/// Marks an empty `period_start` (the same day as `date`).
pub(crate) const NO_DAY: Day = Day::MIN;

/// One of the three tables of a dataset.
///
/// ```
/// use refugee_data::Table;
/// let t: Table = "deportations".parse()?;
/// assert_eq!(t.file_name(), "deportations.csv");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Table {
    /// `registrations.csv`: stocks.
    Registrations,
    /// `deportations.csv`: flows.
    Deportations,
    /// `statements.csv`: policy statements.
    Statements,
}

impl Table {
    /// The three tables, in the order of the contract.
    pub const ALL: [Table; 3] = [Table::Registrations, Table::Deportations, Table::Statements];

    /// The three tables, in the order of the contract: [`Table::ALL`] as a
    /// slice (each closed set of values, `Table`, `Dimension` and the
    /// vocabularies, has both `ALL` and `all()`).
    ///
    /// ```
    /// use refugee_data::Table;
    /// assert_eq!(Table::all(), Table::ALL);
    /// assert_eq!(Table::all()[0], Table::Registrations);
    /// ```
    pub fn all() -> &'static [Table] {
        &Table::ALL
    }

    /// The table's name: `registrations`, `deportations` or `statements`.
    pub fn name(self) -> &'static str {
        match self {
            Table::Registrations => "registrations",
            Table::Deportations => "deportations",
            Table::Statements => "statements",
        }
    }

    /// The file name in a dataset directory, e.g. `registrations.csv`.
    pub fn file_name(self) -> &'static str {
        match self {
            Table::Registrations => "registrations.csv",
            Table::Deportations => "deportations.csv",
            Table::Statements => "statements.csv",
        }
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a name that is not a table.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a table (expected registrations, deportations or statements)")]
pub struct UnknownTable(String);

impl FromStr for Table {
    type Err = UnknownTable;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Table::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownTable(s.to_string()))
    }
}

/// Runs `$body` with `$c` bound to the columns of `$table` (a `match` over
/// the three tables, written once).
macro_rules! on_columns {
    ($ds:expr, $table:expr, $c:ident => $body:expr) => {
        match $table {
            Table::Registrations => {
                let $c = &$ds.registrations;
                $body
            }
            Table::Deportations => {
                let $c = &$ds.deportations;
                $body
            }
            Table::Statements => {
                let $c = &$ds.statements;
                $body
            }
        }
    };
    (mut $ds:expr, $table:expr, $c:ident => $body:expr) => {
        match $table {
            Table::Registrations => {
                let $c = &mut $ds.registrations;
                $body
            }
            Table::Deportations => {
                let $c = &mut $ds.deportations;
                $body
            }
            Table::Statements => {
                let $c = &mut $ds.statements;
                $body
            }
        }
    };
}
pub(crate) use on_columns;

/// A loaded dataset: the three tables, stored column by column.
///
/// A `Dataset` is immutable once loaded and `Send + Sync`, so many threads may
/// query one at once. Read typed records back with [`registrations`],
/// [`deportations`] and [`statements`].
///
/// [`registrations`]: Dataset::registrations
/// [`deportations`]: Dataset::deportations
/// [`statements`]: Dataset::statements
///
/// ```
/// use refugee_data::{Dataset, Table};
/// let ds = Dataset::sample();
/// assert!(ds.len(Table::Registrations) > 1000);
/// assert_eq!(ds.registrations().count(), ds.len(Table::Registrations));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub(crate) registrations: RegistrationColumns,
    pub(crate) deportations: DeportationColumns,
    pub(crate) statements: StatementColumns,
    pub(crate) texts: Interner,
    /// Derived on first use by queries; never part of equality or loading.
    cache: Cache,
}

/// Indexes derived from the columns on first use.
#[derive(Clone, Debug, Default)]
struct Cache {
    /// Registration series id of each row, and the number of series.
    series: OnceLock<(Vec<u32>, u32)>,
    /// Dense codes of the values present in each country or text column,
    /// by table and column position.
    codes: [[OnceLock<Codes>; schema::MAX_COLUMNS]; 3],
    /// The earliest and latest day of each table (`None` when empty).
    day_range: [OnceLock<Option<(Day, Day)>>; 3],
}

/// The values present in one country or text column, numbered densely in
/// the order of their labels, so that group keys stay small.
#[derive(Clone, Debug, Default)]
pub(crate) struct Codes {
    /// The code of each raw value (a country id plus one with 0 for the
    /// empty value, or a text id); unused for values not present.
    pub(crate) code_of: Vec<u32>,
    /// The raw value of each code.
    pub(crate) raw_of: Vec<u32>,
}

/// The key of a registration series: every field keeps all its bits, so
/// two series never share a key (a text id takes the full 32 bits above the
/// 40 of the others).
pub(crate) fn series_key(origin: u16, host: u16, population: u8, source: u32) -> u128 {
    origin as u128 | (host as u128) << 16 | (population as u128) << 32 | (source as u128) << 40
}

impl Dataset {
    /// The number of records in a table.
    ///
    /// ```
    /// use refugee_data::{Dataset, Table};
    /// assert_eq!(Dataset::default().len(Table::Deportations), 0);
    /// ```
    pub fn len(&self, table: Table) -> usize {
        on_columns!(self, table, c => c.len())
    }

    /// True when all three tables are empty.
    ///
    /// ```
    /// use refugee_data::Dataset;
    /// assert!(Dataset::default().is_empty());
    /// assert!(!Dataset::sample().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        Table::ALL.iter().all(|&t| self.len(t) == 0)
    }

    /// The earliest and latest `date` of a table, or `None` when it is empty.
    ///
    /// ```
    /// use refugee_data::{Dataset, Table};
    /// let (first, last) = Dataset::sample().date_range(Table::Registrations).unwrap();
    /// assert_eq!(first.to_string(), "2000-12-31");
    /// assert_eq!(last.to_string(), "2025-12-31");
    /// ```
    pub fn date_range(&self, table: Table) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        let (min, max) = self.day_range(table)?;
        Some((date_of_day(min), date_of_day(max)))
    }

    /// Forgets the derived indexes (after the columns changed).
    pub(crate) fn clear_cache(&mut self) {
        self.cache = Cache::default();
    }

    /// The earliest and latest day of a table, computed once.
    pub(crate) fn day_range(&self, table: Table) -> Option<(Day, Day)> {
        *self.cache.day_range[table as usize].get_or_init(|| {
            let dates = self.dates(table);
            // One pass for both ends, in a loop the compiler makes wide (a
            // first query waited on two scalar passes over the dates).
            let (min, max) =
                dates.iter().fold((Day::MAX, Day::MIN), |(lo, hi), &d| (lo.min(d), hi.max(d)));
            (!dates.is_empty()).then_some((min, max))
        })
    }

    /// Keeps the first `n` rows of a table.
    pub(crate) fn truncate(&mut self, table: Table, n: usize) {
        on_columns!(mut self, table, c => c.truncate(n))
    }

    /// Makes room for `additional` more rows of a table.
    pub(crate) fn reserve(&mut self, table: Table, additional: usize) {
        on_columns!(mut self, table, c => c.reserve(additional))
    }

    /// The first text column of row `i` of a table whose id `remap` leaves
    /// unmapped (`u32::MAX`), and that id.
    pub(crate) fn unmapped(
        &self,
        table: Table,
        i: usize,
        remap: &[u32],
    ) -> Option<(&'static str, u32)> {
        on_columns!(self, table, c => c.unmapped(i, remap))
    }

    /// Copies row `from` of a table over its row `to`.
    pub(crate) fn copy_row(&mut self, table: Table, from: usize, to: usize) {
        on_columns!(mut self, table, c => c.copy_row(from, to))
    }

    /// Appends rows `rows` of `src`'s table, column by column, mapping
    /// `src`'s text ids through `remap` and leaving out the columns set in
    /// `absent` (by position) until [`fill_columns`](Dataset::fill_columns).
    pub(crate) fn append_rows(
        &mut self,
        src: &Dataset,
        table: Table,
        rows: std::ops::Range<usize>,
        remap: &[u32],
        absent: u32,
    ) {
        match table {
            Table::Registrations => {
                self.registrations.append_rows(&src.registrations, rows, remap, absent)
            }
            Table::Deportations => {
                self.deportations.append_rows(&src.deportations, rows, remap, absent)
            }
            Table::Statements => self.statements.append_rows(&src.statements, rows, remap, absent),
        }
    }

    /// Brings the columns that [`append_rows`](Dataset::append_rows) left
    /// out to the table's length, with the value of an absent field.
    pub(crate) fn fill_columns(&mut self, table: Table) {
        on_columns!(mut self, table, c => c.fill())
    }

    pub(crate) fn dates(&self, table: Table) -> &[Day] {
        on_columns!(self, table, c => &c.date)
    }

    /// The contract's columns of a table, in its order.
    pub(crate) fn specs(table: Table) -> &'static [ColumnSpec] {
        match table {
            Table::Registrations => RegistrationColumns::SPECS,
            Table::Deportations => DeportationColumns::SPECS,
            Table::Statements => StatementColumns::SPECS,
        }
    }

    /// The column of a table named `name`: its position and its values.
    pub(crate) fn column(&self, table: Table, name: &str) -> Option<(usize, ColumnRef<'_>)> {
        on_columns!(self, table, c => c.column(name))
    }

    /// The registrations (stocks), in file order.
    ///
    /// ```
    /// use refugee_data::Dataset;
    /// let total_2023_ir: u64 = Dataset::sample()
    ///     .registrations()
    ///     .filter(|r| r.source == "UNHCR" && r.host.alpha3() == "IRN"
    ///         && r.population.as_str() == "refugees" && r.date.to_string() == "2023-12-31")
    ///     .map(|r| r.count)
    ///     .sum();
    /// assert_eq!(total_2023_ir, 3_752_317);
    /// ```
    pub fn registrations(&self) -> impl ExactSizeIterator<Item = Registration> + '_ {
        (0..self.len(Table::Registrations)).map(|i| self.registrations.record(i, &self.texts))
    }

    /// The deportation and return events (flows), in file order.
    ///
    /// ```
    /// use refugee_data::Dataset;
    /// assert!(Dataset::sample().deportations().all(|d| d.first_day() <= d.date));
    /// ```
    pub fn deportations(&self) -> impl ExactSizeIterator<Item = DeportationEvent> + '_ {
        (0..self.len(Table::Deportations)).map(|i| self.deportations.record(i, &self.texts))
    }

    /// The policy statements, in file order.
    ///
    /// ```
    /// use refugee_data::Dataset;
    /// let first = Dataset::sample().statements().next().unwrap();
    /// assert!(!first.summary.is_empty());
    /// ```
    pub fn statements(&self) -> impl ExactSizeIterator<Item = PolicyStatement> + '_ {
        (0..self.len(Table::Statements)).map(|i| self.statements.record(i, &self.texts))
    }

    /// [`Dataset::series`] if a query has already built it.
    pub(crate) fn series_if_built(&self) -> Option<(&[u32], u32)> {
        self.cache.series.get().map(|(ids, n)| (&ids[..], *n))
    }

    /// The series (origin, host, population, source) of each registration, as
    /// dense ids, and how many series there are.
    pub(crate) fn series(&self) -> (&[u32], u32) {
        let (ids, n) = self.cache.series.get_or_init(|| {
            let c = &self.registrations;
            let mut map: std::collections::HashMap<u128, u32, crate::hash::FxBuildHasher> =
                Default::default();
            let ids = (0..c.date.len())
                .map(|i| {
                    let key = series_key(c.origin[i], c.host[i], c.population[i], c.source[i]);
                    // At most one series a row, and rows are numbered by u32.
                    let next = map.len() as u32;
                    *map.entry(key).or_insert(next)
                })
                .collect();
            (ids, map.len() as u32)
        });
        (ids, *n)
    }

    /// The dense codes of column `column` (its position) of `table`,
    /// computed on first use from `raw`, the raw value of each row, whose
    /// values are below `range`; `order` sorts two raw values by label.
    pub(crate) fn codes(
        &self,
        table: Table,
        column: usize,
        range: usize,
        raw: impl Iterator<Item = u32>,
        order: impl Fn(u32, u32) -> std::cmp::Ordering,
    ) -> &Codes {
        self.cache.codes[table as usize][column].get_or_init(|| {
            let mut present = vec![false; range];
            for r in raw {
                present[r as usize] = true;
            }
            let mut raw_of: Vec<u32> = (0..range as u32).filter(|&r| present[r as usize]).collect();
            raw_of.sort_by(|&a, &b| order(a, b));
            let mut code_of = vec![0; range];
            for (code, &r) in raw_of.iter().enumerate() {
                code_of[r as usize] = code as u32;
            }
            Codes { code_of, raw_of }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn series_keys_keep_every_bit() {
        // Text ids at and above 2^24 once lost their high bits in a 64-bit key.
        let sources = [0u32, 1, (1 << 24) - 1, 1 << 24, (1 << 24) + 1, u32::MAX];
        let mut keys = Vec::new();
        for &s in &sources {
            for (o, h, p) in [(0u16, 0u16, 0u8), (u16::MAX, u16::MAX, u8::MAX), (1, 2, 3)] {
                keys.push(series_key(o, h, p, s));
            }
        }
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }

    #[test]
    fn registrations_of_sources_2_pow_24_apart_are_two_series() {
        let mut ds = Dataset::default();
        let c = &mut ds.registrations;
        for source in [1u32, (1 << 24) | 1] {
            c.date.push(0);
            c.origin.push(1);
            c.host.push(2);
            c.population.push(0);
            schema::Column::push(&mut c.count, 5);
            c.source.push(source);
            c.reference.push(0);
        }
        let (ids, n) = ds.series();
        assert_eq!((ids, n), (&[0u32, 1][..], 2));
    }

    #[test]
    fn dataset_is_send_and_sync() {
        assert_send_sync::<Dataset>();
    }
}
