//! The columnar store: each table kept column by column.
//!
//! Dates are day numbers, countries small integer ids, vocabularies `u8`,
//! counts `u64`, texts interned ids. Typed records are read back out by
//! iterators; queries run over the columns directly.

mod intern;
mod write;

pub(crate) use intern::Interner;

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::record::{date_of_day, Day};
use crate::{
    Country, DeportationEvent, PolicyStatement, PopulationType, Registration, ReturnKind, Stance,
};

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

/// Row operations over every column of a table, the columns named once
/// (`texts` are the columns of interned text ids).
macro_rules! row_ops {
    ($columns:ident { $($field:ident),+ ; texts: $($text:ident),+ }) => {
        impl $columns {
            /// Keeps the first `n` rows.
            pub(crate) fn truncate(&mut self, n: usize) {
                $(self.$field.truncate(n);)+
                $(self.$text.truncate(n);)+
            }

            /// Makes room for `additional` more rows in every column.
            pub(crate) fn reserve(&mut self, additional: usize) {
                $(self.$field.reserve_exact(additional);)+
                $(self.$text.reserve_exact(additional);)+
            }

            /// Copies row `from` over row `to`.
            pub(crate) fn copy_row(&mut self, from: usize, to: usize) {
                $(self.$field[to] = self.$field[from];)+
                $(self.$text[to] = self.$text[from];)+
            }

            /// Appends row `i` of `src`, whose text ids `remap` turns into ours.
            pub(crate) fn append_from(&mut self, src: &$columns, i: usize, remap: &[u32]) {
                $(self.$field.push(src.$field[i]);)+
                $(self.$text.push(remap[src.$text[i] as usize]);)+
            }

            /// The first text column of row `i` whose id `remap` leaves
            /// unmapped (`u32::MAX`), and that id.
            pub(crate) fn unmapped(&self, i: usize, remap: &[u32]) -> Option<(&'static str, u32)> {
                $(if remap[self.$text[i] as usize] == u32::MAX {
                    return Some((stringify!($text), self.$text[i]));
                })+
                None
            }
        }
    };
}

row_ops!(RegistrationColumns {
    date, origin, host, population, count; texts: source, reference
});
row_ops!(DeportationColumns {
    date, period_start, origin, host, kind, count; texts: crossing, source, reference
});
row_ops!(StatementColumns {
    date, actor_country, target_country, subject_country, stance;
    texts: actor, speaker, summary, source, url
});

#[derive(Clone, Debug, Default)]
pub(crate) struct RegistrationColumns {
    pub(crate) date: Vec<Day>,
    pub(crate) origin: Vec<u16>,
    pub(crate) host: Vec<u16>,
    pub(crate) population: Vec<u8>,
    pub(crate) count: Vec<u64>,
    pub(crate) source: Vec<u32>,
    /// Interned; 0 = empty. Part of no key.
    pub(crate) reference: Vec<u32>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct DeportationColumns {
    pub(crate) date: Vec<Day>,
    /// `NO_DAY` where the file left it empty.
    pub(crate) period_start: Vec<Day>,
    pub(crate) origin: Vec<u16>,
    pub(crate) host: Vec<u16>,
    pub(crate) kind: Vec<u8>,
    pub(crate) count: Vec<u64>,
    /// Interned; 0 = empty.
    pub(crate) crossing: Vec<u32>,
    pub(crate) source: Vec<u32>,
    /// Interned; 0 = empty. Part of no key.
    pub(crate) reference: Vec<u32>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct StatementColumns {
    pub(crate) date: Vec<Day>,
    pub(crate) actor: Vec<u32>,
    pub(crate) actor_country: Vec<u16>,
    pub(crate) speaker: Vec<u32>,
    pub(crate) target_country: Vec<u16>,
    pub(crate) subject_country: Vec<u16>,
    pub(crate) stance: Vec<u8>,
    pub(crate) summary: Vec<u32>,
    pub(crate) source: Vec<u32>,
    pub(crate) url: Vec<u32>,
}

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
    /// Dense codes of the values present in each categorical column.
    codes: [OnceLock<Codes>; CODED_COLUMNS],
    /// The earliest and latest day of each table (`None` when empty).
    day_range: [OnceLock<Option<(Day, Day)>>; 3],
}

/// How many country and text columns the three tables have.
pub(crate) const CODED_COLUMNS: usize = 13;

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

fn opt_country(id: u16) -> Option<Country> {
    (id != NO_COUNTRY).then(|| Country::from_id(id))
}

impl Dataset {
    /// The sample embedded in the crate: real, sourced figures on people of
    /// Afghan origin (UNHCR year-end stocks 2000-2025 and mid-2023, UNHCR's
    /// yearly returns, reported 2023-2024 returns and deportations from
    /// Pakistan and Iran, and public statements). See `data/README.md`.
    ///
    /// Loaded once, on first use.
    ///
    /// ```
    /// use refugee_data::{Dataset, Table};
    /// let ds = Dataset::sample();
    /// assert!(ds.len(Table::Statements) >= 30);
    /// ```
    pub fn sample() -> &'static Dataset {
        static SAMPLE: OnceLock<Dataset> = OnceLock::new();
        SAMPLE.get_or_init(|| {
            let mut loader = crate::Loader::new();
            for (table, text) in [
                (Table::Registrations, include_str!("../../data/registrations.csv")),
                (Table::Deportations, include_str!("../../data/deportations.csv")),
                (Table::Statements, include_str!("../../data/statements.csv")),
            ] {
                loader
                    .read(table, table.file_name(), text.as_bytes())
                    .expect("the embedded sample is valid (checked by the tests)");
            }
            loader.finish().0
        })
    }

    /// The number of records in a table.
    ///
    /// ```
    /// use refugee_data::{Dataset, Table};
    /// assert_eq!(Dataset::default().len(Table::Deportations), 0);
    /// ```
    pub fn len(&self, table: Table) -> usize {
        match table {
            Table::Registrations => self.registrations.date.len(),
            Table::Deportations => self.deportations.date.len(),
            Table::Statements => self.statements.date.len(),
        }
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
            Some((*dates.iter().min()?, *dates.iter().max()?))
        })
    }

    /// Keeps the first `n` rows of a table.
    pub(crate) fn truncate(&mut self, table: Table, n: usize) {
        match table {
            Table::Registrations => self.registrations.truncate(n),
            Table::Deportations => self.deportations.truncate(n),
            Table::Statements => self.statements.truncate(n),
        }
    }

    /// Makes room for `additional` more rows of a table.
    pub(crate) fn reserve(&mut self, table: Table, additional: usize) {
        match table {
            Table::Registrations => self.registrations.reserve(additional),
            Table::Deportations => self.deportations.reserve(additional),
            Table::Statements => self.statements.reserve(additional),
        }
    }

    /// The first text column of row `i` of a table whose id `remap` leaves
    /// unmapped (`u32::MAX`), and that id.
    pub(crate) fn unmapped(
        &self,
        table: Table,
        i: usize,
        remap: &[u32],
    ) -> Option<(&'static str, u32)> {
        match table {
            Table::Registrations => self.registrations.unmapped(i, remap),
            Table::Deportations => self.deportations.unmapped(i, remap),
            Table::Statements => self.statements.unmapped(i, remap),
        }
    }

    /// Copies row `from` of a table over its row `to`.
    pub(crate) fn copy_row(&mut self, table: Table, from: usize, to: usize) {
        match table {
            Table::Registrations => self.registrations.copy_row(from, to),
            Table::Deportations => self.deportations.copy_row(from, to),
            Table::Statements => self.statements.copy_row(from, to),
        }
    }

    pub(crate) fn dates(&self, table: Table) -> &[Day] {
        match table {
            Table::Registrations => &self.registrations.date,
            Table::Deportations => &self.deportations.date,
            Table::Statements => &self.statements.date,
        }
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
        let c = &self.registrations;
        (0..c.date.len()).map(move |i| Registration {
            date: date_of_day(c.date[i]),
            origin: Country::from_id(c.origin[i]),
            host: Country::from_id(c.host[i]),
            population: PopulationType::from_index(c.population[i]),
            count: c.count[i],
            source: self.texts.text(c.source[i]).to_string(),
            reference: self.opt_text(c.reference[i]),
        })
    }

    /// The deportation and return events (flows), in file order.
    ///
    /// ```
    /// use refugee_data::Dataset;
    /// assert!(Dataset::sample().deportations().all(|d| d.first_day() <= d.date));
    /// ```
    pub fn deportations(&self) -> impl ExactSizeIterator<Item = DeportationEvent> + '_ {
        let c = &self.deportations;
        (0..c.date.len()).map(move |i| DeportationEvent {
            date: date_of_day(c.date[i]),
            period_start: (c.period_start[i] != NO_DAY).then(|| date_of_day(c.period_start[i])),
            origin: Country::from_id(c.origin[i]),
            host: Country::from_id(c.host[i]),
            kind: ReturnKind::from_index(c.kind[i]),
            count: c.count[i],
            crossing: self.opt_text(c.crossing[i]),
            source: self.texts.text(c.source[i]).to_string(),
            reference: self.opt_text(c.reference[i]),
        })
    }

    /// The policy statements, in file order.
    ///
    /// ```
    /// use refugee_data::Dataset;
    /// let first = Dataset::sample().statements().next().unwrap();
    /// assert!(!first.summary.is_empty());
    /// ```
    pub fn statements(&self) -> impl ExactSizeIterator<Item = PolicyStatement> + '_ {
        let c = &self.statements;
        (0..c.date.len()).map(move |i| PolicyStatement {
            date: date_of_day(c.date[i]),
            actor: self.texts.text(c.actor[i]).to_string(),
            actor_country: opt_country(c.actor_country[i]),
            speaker: self.opt_text(c.speaker[i]),
            target_country: opt_country(c.target_country[i]),
            subject_country: opt_country(c.subject_country[i]),
            stance: Stance::from_index(c.stance[i]),
            summary: self.texts.text(c.summary[i]).to_string(),
            source: self.texts.text(c.source[i]).to_string(),
            url: self.opt_text(c.url[i]),
        })
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

    /// The dense codes of column `slot` (see the query engine's column list),
    /// computed on first use from `raw`, the raw value of each row, whose
    /// values are below `range`; `order` sorts two raw values by label.
    pub(crate) fn codes(
        &self,
        slot: usize,
        range: usize,
        raw: impl Iterator<Item = u32>,
        order: impl Fn(u32, u32) -> std::cmp::Ordering,
    ) -> &Codes {
        self.cache.codes[slot].get_or_init(|| {
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

    fn opt_text(&self, id: u32) -> Option<String> {
        (id != 0).then(|| self.texts.text(id).to_string())
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
            c.count.push(5);
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
