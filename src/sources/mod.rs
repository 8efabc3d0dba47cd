//! Source adapters: the files users already have, read into the same typed
//! records as the canonical CSV, with the same rejection rules
//! and positions.
//!
//! * [`import_unhcr`]: UNHCR's population statistics in any of the three
//!   layouts UNHCR publishes them in (the API / R package `refugees`, the
//!   Refugee Data Finder download, the HDX copy with an HXL row), detected
//!   from the header. See [`UnhcrOptions`] for the conversion rules.
//! * [`import_hxl`]: any CSV tagged with HXL hashtags (HDX), read through an
//!   [`HxlMapping`] from tag patterns to records.
//!
//! Both push their records into a [`Loader`], so an import can follow a
//! [`read_dir`](crate::Loader::read_dir) of an existing dataset directory:
//! duplicates are found across everything the loader holds, and
//! strict and lenient loading work as for the canonical files (a strict
//! loader stops at the first rejection and returns it as the error; a
//! lenient one lists every rejection in its [`LoadReport`](crate::LoadReport)).
//! Each import returns an [`ImportReport`] of what it read and made.
//!
//! Rejections name the file as given, the 1-based physical line of the row
//! (counted as the canonical loader counts them: blank lines, CRLF line ends
//! and quoted newlines included), the column as headed in the file and the
//! value. A row of a source file that cannot be read is rejected as a whole
//! and counted in the table the file mainly feeds (registrations for files
//! with stock columns, else deportations), so that the loader's
//! `loaded + rejected = read` holds per table; a record that duplicates an
//! earlier one is rejected alone.

mod hxl;
mod unhcr;

pub use hxl::{import_hxl, HxlMapping, HxlParts, HxlTarget};
pub use unhcr::{import_unhcr, UnhcrOptions};

use std::collections::HashMap;
use std::fmt;
use std::io;

use csv::ByteRecord;

use crate::hash::TextBuildHasher;
use crate::load::Problem;
use crate::load::RecordReader;
use crate::{Country, Error, Loader};

/// What one import read and made.
///
/// Every data row read is rejected (`rows_rejected`), skipped because the
/// caller did not select it (`rows_skipped`: outside [`UnhcrOptions::years`],
/// or not matching an [`HxlMapping::filter`]), or converted into zero or more
/// records (a row whose value cells are all empty or `-` gives none).
/// `registrations` and `deportations` count the records added to the
/// loader; `duplicates` the records refused as duplicates of earlier ones.
///
/// ```
/// use refugee_data::{import_unhcr, Loader, UnhcrOptions};
/// let csv = "\
/// year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,resettlement
/// 2022,Afghanistan,AFG,AFG,Germany,GFR,DEU,180095,44325,4,
/// 2023,Afghanistan,AFG,AFG,Germany,GFR,DEU,207016,,5,
/// ";
/// let mut loader = Loader::new();
/// let report = import_unhcr(&mut loader, "population.csv", csv.as_bytes(), &UnhcrOptions::new())?;
/// assert_eq!(report.rows_read(), 2);
/// assert_eq!(report.registrations(), 4); // 3 published figures and 1 closing zero
/// assert_eq!(report.closing_zeros(), 1); // asylum seekers, 2023
/// assert_eq!(report.deportations(), 2);
/// assert_eq!(report.skipped_columns(), ["resettlement"]);
/// assert_eq!(
///     report.to_string(),
///     "population.csv (UNHCR API / R package layout): 2 rows read, 0 rejected; 4 registrations \
///      (1 closing zero), 2 deportation events; skipped columns: resettlement"
/// );
/// # Ok::<(), refugee_data::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    file: String,
    layout: String,
    rows_read: u64,
    rows_rejected: u64,
    rows_skipped: u64,
    registrations: u64,
    deportations: u64,
    closing_zeros: u64,
    merged: u64,
    duplicates: u64,
    skipped_columns: Vec<String>,
}

impl ImportReport {
    fn new(file: &str) -> Self {
        ImportReport { file: file.to_string(), ..ImportReport::default() }
    }

    /// The file, as named in messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The layout detected (`UNHCR API / R package`, `UNHCR Refugee Data
    /// Finder download`, `UNHCR HDX copy with HXL hashtags`, `HXL`).
    pub fn layout(&self) -> &str {
        &self.layout
    }

    /// Data rows read (header, metadata lines and the HXL hashtag row not counted).
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// Rows rejected as a whole (a value that cannot be read).
    pub fn rows_rejected(&self) -> u64 {
        self.rows_rejected
    }

    /// Rows left out because the caller did not select them.
    pub fn rows_skipped(&self) -> u64 {
        self.rows_skipped
    }

    /// Registrations added to the loader (closing zeros included).
    pub fn registrations(&self) -> u64 {
        self.registrations
    }

    /// Of the registrations, the closing zeros added for series that vanish
    /// from a complete table (see [`UnhcrOptions`]).
    pub fn closing_zeros(&self) -> u64 {
        self.closing_zeros
    }

    /// Deportation events added to the loader.
    pub fn deportations(&self) -> u64 {
        self.deportations
    }

    /// Rows whose values were added into the record of an earlier row with
    /// the same key ([`HxlMapping::sum_rows`]).
    pub fn rows_merged(&self) -> u64 {
        self.merged
    }

    /// Records refused as duplicates of earlier ones (each is a rejection in
    /// the loader's report).
    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }

    /// Columns that fit no record type and were not read (UNHCR's
    /// `resettlement` and `naturalisation`; the HXL columns a mapping does
    /// not use), each named once.
    pub fn skipped_columns(&self) -> &[String] {
        &self.skipped_columns
    }

    fn count_pushed(&mut self, table: crate::Table, loaded: bool) {
        if !loaded {
            self.duplicates += 1;
        } else if table == crate::Table::Registrations {
            self.registrations += 1;
        } else {
            self.deportations += 1;
        }
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "{} ({} layout): {} read, {} rejected",
            self.file,
            self.layout,
            plural(self.rows_read, "row", "rows"),
            self.rows_rejected
        )?;
        if self.rows_skipped > 0 {
            write!(f, ", {} skipped", self.rows_skipped)?;
        }
        write!(f, "; {}", plural(self.registrations, "registration", "registrations"))?;
        if self.closing_zeros > 0 {
            write!(f, " ({})", plural(self.closing_zeros, "closing zero", "closing zeros"))?;
        }
        write!(f, ", {}", plural(self.deportations, "deportation event", "deportation events"))?;
        if self.merged > 0 {
            write!(f, "; {} added into earlier records", plural(self.merged, "row", "rows"))?;
        }
        if self.duplicates > 0 {
            write!(f, "; {} refused", plural(self.duplicates, "duplicate", "duplicates"))?;
        }
        if !self.skipped_columns.is_empty() {
            let listed = crate::load::bounded_list(&self.skipped_columns, 30, ", ");
            write!(f, "; skipped columns: {listed}")?;
        }
        Ok(())
    }
}

/// Records of a source file, with their physical lines, under the loader's
/// size limits: the canonical loader's [`RecordReader`] (byte-order mark,
/// UTF-16, record limit and unclosed quotes handled there), plus the field
/// limit.
struct CsvRows<R: io::Read> {
    records: RecordReader<R>,
    field_limit: usize,
}

impl<R: io::Read> CsvRows<R> {
    fn new(loader: &Loader, file: &str, reader: R) -> Self {
        let limits = loader.limits();
        CsvRows {
            records: RecordReader::new(file, reader, limits),
            field_limit: limits.field_bytes,
        }
    }

    /// Reads the next record; returns the line it starts on.
    fn next(&mut self) -> Result<Option<u64>, Error> {
        self.records.next()
    }

    fn record(&self) -> &ByteRecord {
        self.records.record()
    }

    /// Whether the file ended inside a quoted field of the last record.
    fn ended_in_quotes(&self) -> bool {
        self.records.ended_in_quotes()
    }

    fn field_limit(&self) -> usize {
        self.field_limit
    }
}

/// A count cell: `None` for "not applicable" (empty, `-`, or R's `NA`),
/// else digits only, as in the canonical files.
fn parse_count(b: &[u8]) -> Result<Option<u64>, Problem> {
    let b = b.trim_ascii();
    if b.is_empty() || b == b"-" || b == b"NA" {
        return Ok(None);
    }
    crate::load::parse_digits(b).map(Some)
}

/// Country names and codes already looked up ([`Country::parse`] rules),
/// so that a file's few hundred distinct spellings are normalized once.
#[derive(Default)]
struct CountryCache {
    map: HashMap<Box<[u8]>, Option<Country>, TextBuildHasher>,
}

impl CountryCache {
    /// Values longer than this are looked up every time, never stored.
    const MAX_KEY: usize = 80;

    fn get(&mut self, b: &[u8]) -> Option<Country> {
        if let Some(&c) = self.map.get(b) {
            return c;
        }
        let c = Country::parse_bytes(b);
        if b.len() <= Self::MAX_KEY && self.map.len() < 100_000 {
            self.map.insert(b.into(), c);
        }
        c
    }
}

/// The header text of a column, trimmed, lossily decoded.
fn header_text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_follow_the_contract() {
        assert_eq!(parse_count(b" 17 "), Ok(Some(17)));
        assert_eq!(parse_count(b"0"), Ok(Some(0)));
        assert_eq!(parse_count(b""), Ok(None));
        assert_eq!(parse_count(b"-"), Ok(None));
        assert_eq!(parse_count(b"NA"), Ok(None));
        assert_eq!(parse_count(b"18446744073709551615"), Ok(Some(u64::MAX)));
        assert_eq!(parse_count(b"18446744073709551616"), Err(Problem::CountTooLarge));
        assert_eq!(parse_count(b"1,200"), Err(Problem::NotACount));
        assert_eq!(parse_count(b"+5"), Err(Problem::NotACount));
        assert_eq!(parse_count(b"1e3"), Err(Problem::NotACount));
    }
}
