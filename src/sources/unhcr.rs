//! UNHCR population statistics: the API / R package layout, the Refugee Data
//! Finder download and the HDX copy, detected from the header.

use std::collections::{HashMap, HashSet};
use std::io;
use std::ops::RangeInclusive;

use csv::ByteRecord;

use super::{header_text, parse_count, CountryCache, CsvRows, ImportReport};
use crate::hash::FxBuildHasher;
use crate::load::push::{At, NewDeportation, NewRegistration};
use crate::load::{Problem, Rejection};
use crate::record::{days_from_civil, Day, MAX_YEAR, MIN_YEAR};
use crate::{Country, Error, Loader, PopulationType, ReturnKind, Table};

/// How to read a UNHCR population table ([`import_unhcr`]).
///
/// The conversion:
///
/// * **Stocks** (`refugees`, `asylum_seekers`, `idps`, `stateless`, `ooc`
///   -> `others_of_concern`, `oip` -> `others_in_need`, `hst` ->
///   `host_community`; in the Refugee Data Finder and HDX layouts the same
///   columns under their human names, and "Venezuelans displaced abroad",
///   which UNHCR has counted among `oip` since 2022, as `others_in_need`):
///   every non-empty cell becomes a registration dated `YYYY-12-31`, source
///   `UNHCR`. **Zeros are kept**: a published 0 is an observation. An empty
///   cell, `-` or `NA` means "not applicable" and gives nothing.
/// * **Closing zeros.** UNHCR's tables are complete for each year, so a
///   series (origin, host, population) with a value at year Y and none at
///   Y+1 (no row for the pair, or an empty cell), in a file that has rows of
///   year Y+1, has fallen to zero: a registration with count 0 is added at
///   Y+1. Otherwise an as-of query would carry the last figure forward.
///   A closing zero has no row of its own: its position (in a duplicate
///   message) is the line of the observation it closes. A rejected row at
///   Y+1 whose countries could be read counts as present, so no zero is
///   invented for a row that could not be read.
/// * **Flows.** `returned_refugees` are deportation events of kind
///   `returned` over the year (`period_start` `YYYY-01-01`, `date`
///   `YYYY-12-31`), origin `coo` (the country returned to), host `coa` (the
///   former host), source `UNHCR`. `returned_idps` go home inside their own
///   country: events with origin = host = `coo`, source `UNHCR (returned
///   IDPs)`, so that they stay apart from returned refugees on the rows
///   where `coa` = `coo` (the deportations table has no population column,
///   and the two figures of one row would otherwise be one key). UNHCR
///   writes 0 in `returned_idps` on every cross-border row: there a 0 is
///   "not applicable" and gives nothing, and any other number is a
///   rejection. Zero flows on their own rows are kept, as published.
/// * **Countries.** `coo`/`coa` are read as UNHCR's own codes
///   ([`Country::from_unhcr_code`]: `GFR` Germany, `SWI` Switzerland, `AUS`
///   Austria), `coo_iso`/`coa_iso` (and the other layouts' code columns) as
///   ISO alpha-3 (`UNK` = unknown, `XXX`), names as by [`Country::parse`].
///   Every column present must name the same country, else the row is
///   rejected with a message naming both values. A name that is not
///   recognised beside a code is accepted (the code decides) and listed in
///   a warning; a row with no code (the Refugee Data Finder's `Unknown `
///   origin) is read by its name.
/// * **Skipped.** `resettlement` and `naturalisation` fit no record type and
///   are named in [`ImportReport::skipped_columns`]; other unknown columns
///   get a warning in the loader's report.
///
/// ```
/// use refugee_data::{import_unhcr, Loader, UnhcrOptions};
/// // The R package's 2023.6.0 release: its 2023 rows are mid-year figures.
/// let csv = "\
/// year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,returned_refugees
/// 2022,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,1743278,6039
/// 2023,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,2079989,5681
/// ";
/// let mut loader = Loader::new();
/// let options = UnhcrOptions::new().mid_year(true).years(2023..=2023);
/// let report = import_unhcr(&mut loader, "midyear.csv", csv.as_bytes(), &options)?;
/// assert_eq!(report.rows_skipped(), 1); // 2022
/// let (ds, _) = loader.finish();
/// let r = ds.registrations().next().unwrap();
/// assert_eq!((r.date.to_string(), r.count), ("2023-06-30".to_string(), 2_079_989));
/// let d = ds.deportations().next().unwrap();
/// assert_eq!(d.period_start.unwrap().to_string(), "2023-01-01");
/// assert_eq!(d.date.to_string(), "2023-06-30");
/// # Ok::<(), refugee_data::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnhcrOptions {
    mid_year: bool,
    years: Option<(i32, i32)>,
}

impl UnhcrOptions {
    /// Year-end figures, every year of the file.
    pub fn new() -> Self {
        UnhcrOptions::default()
    }

    /// Says that the file is a **mid-year** release: its latest year holds
    /// figures as of 30 June (dated `YYYY-06-30`, and the returns of that
    /// year cover `YYYY-01-01` to `YYYY-06-30`); earlier years are year-end
    /// figures, as in UNHCR's mid-year releases. Closing zeros of series
    /// that vanish in the mid-year table are dated 30 June too.
    pub fn mid_year(mut self, yes: bool) -> Self {
        self.mid_year = yes;
        self
    }

    /// Imports only the records dated in these years (for example the
    /// mid-year year of a release whose earlier years are already loaded from
    /// a year-end table). The other rows are counted as skipped; they still
    /// decide the closing zeros of the selected years.
    pub fn years(mut self, years: RangeInclusive<i32>) -> Self {
        self.years = Some((*years.start(), *years.end()));
        self
    }
}

/// Slots of a row's values: the stock slots are `PopulationType as usize`.
const SLOTS: usize = 10;
const STOCK_SLOTS: usize = 8;
/// The bits of the stock slots in [`Obs::present`].
const STOCK_MASK: u16 = (1 << STOCK_SLOTS) - 1;
const RETURNED_REFUGEES: usize = 8;
const RETURNED_IDPS: usize = 9;

/// The source of UNHCR's figures.
const SOURCE: &str = "UNHCR";
/// The source of UNHCR's returned IDPs (see [`UnhcrOptions`]).
const SOURCE_RETURNED_IDPS: &str = "UNHCR (returned IDPs)";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Code {
    Unhcr,
    Iso,
    Name,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Col {
    Year,
    Origin(Code),
    Asylum(Code),
    Value(usize),
    Skipped,
}

const fn stock(p: PopulationType) -> Col {
    Col::Value(p as usize)
}

/// Header names (normalized: lower case, apostrophes dropped, other
/// punctuation as single spaces) of the three layouts.
const NAMES: &[(&str, Col)] = &[
    ("year", Col::Year),
    ("coo", Col::Origin(Code::Unhcr)),
    ("coo iso", Col::Origin(Code::Iso)),
    ("country of origin iso", Col::Origin(Code::Iso)),
    ("country of origin code", Col::Origin(Code::Iso)),
    ("coo name", Col::Origin(Code::Name)),
    ("country of origin", Col::Origin(Code::Name)),
    ("country of origin name", Col::Origin(Code::Name)),
    ("coa", Col::Asylum(Code::Unhcr)),
    ("coa iso", Col::Asylum(Code::Iso)),
    ("country of asylum iso", Col::Asylum(Code::Iso)),
    ("country of asylum code", Col::Asylum(Code::Iso)),
    ("coa name", Col::Asylum(Code::Name)),
    ("country of asylum", Col::Asylum(Code::Name)),
    ("country of asylum name", Col::Asylum(Code::Name)),
    ("refugees", stock(PopulationType::Refugees)),
    ("refugees under unhcrs mandate", stock(PopulationType::Refugees)),
    ("asylum seekers", stock(PopulationType::AsylumSeekers)),
    ("idps", stock(PopulationType::Idps)),
    ("idps of concern to unhcr", stock(PopulationType::Idps)),
    ("internally displaced persons", stock(PopulationType::Idps)),
    ("stateless", stock(PopulationType::Stateless)),
    ("stateless persons", stock(PopulationType::Stateless)),
    ("ooc", stock(PopulationType::OthersOfConcern)),
    ("others of concern", stock(PopulationType::OthersOfConcern)),
    ("others of concern to unhcr", stock(PopulationType::OthersOfConcern)),
    ("oip", stock(PopulationType::OthersInNeed)),
    ("other people in need of international protection", stock(PopulationType::OthersInNeed)),
    ("vda", stock(PopulationType::OthersInNeed)),
    ("venezuelans displaced abroad", stock(PopulationType::OthersInNeed)),
    ("hst", stock(PopulationType::HostCommunity)),
    ("host community", stock(PopulationType::HostCommunity)),
    ("returned refugees", Col::Value(RETURNED_REFUGEES)),
    ("refugee returns", Col::Value(RETURNED_REFUGEES)),
    ("returned idps", Col::Value(RETURNED_IDPS)),
    ("returned idpss", Col::Value(RETURNED_IDPS)),
    ("idp returns", Col::Value(RETURNED_IDPS)),
    ("resettlement", Col::Skipped),
    ("resettlement arrivals", Col::Skipped),
    ("naturalisation", Col::Skipped),
    ("naturalization", Col::Skipped),
];

/// The API's and the R package's own column names.
const API_NAMES: &[&str] = &["coo", "coa", "coo iso", "coa iso", "coo name", "coa name"];

fn normalize(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut gap = false;
    for c in header.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else if !matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`') {
            gap = true;
        }
    }
    out
}

fn classify(header: &[u8]) -> Option<Col> {
    let name = normalize(&String::from_utf8_lossy(header));
    NAMES.iter().find(|(n, _)| *n == name).map(|&(_, c)| c)
}

/// The columns of one country: UNHCR code, ISO code, name.
#[derive(Clone, Copy, Debug, Default)]
struct Side {
    unhcr: Option<usize>,
    iso: Option<usize>,
    name: Option<usize>,
}

impl Side {
    fn set(&mut self, code: Code, i: usize) -> Option<usize> {
        let slot = match code {
            Code::Unhcr => &mut self.unhcr,
            Code::Iso => &mut self.iso,
            Code::Name => &mut self.name,
        };
        slot.replace(i)
    }

    fn is_empty(&self) -> bool {
        self.unhcr.is_none() && self.iso.is_none() && self.name.is_none()
    }
}

/// The columns found in the header.
struct Layout {
    name: &'static str,
    names: Vec<String>,
    year: usize,
    origin: Side,
    asylum: Side,
    /// (column, slot)
    values: Vec<(usize, usize)>,
}

/// One data row whose year and countries could be read.
struct Obs {
    line: u64,
    year: i32,
    origin: Country,
    host: Country,
    /// Bit `slot` set: the cell is non-empty (a count, or unreadable).
    present: u16,
    values: [u64; SLOTS],
    /// The row's first unreadable value, if any: the row gives no record.
    rejected: Option<Box<Rejection>>,
}

enum Entry {
    Row(Obs),
    /// A row without a readable year or country.
    Rejected(Box<Rejection>),
}

/// Reads UNHCR population statistics into `loader`: the API / R package
/// layout (`year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,...`,
/// also the `solutions` table), the Refugee Data Finder download (metadata
/// lines before a header of human names such as `Country of origin (ISO)`
/// and `Refugees under UNHCR’s mandate`, any subset of value columns), or
/// the HDX copy (an HXL hashtag row under the header). The header is the
/// first of the first 25 rows that names the year and a country of origin
/// or asylum. See [`UnhcrOptions`] for the conversion rules.
///
/// `file` names the file in messages.
///
/// # Errors
///
/// [`Error::Format`] for a file without a recognisable header, or without a
/// country of origin, country of asylum or value column; I/O errors; in a
/// strict loader, the first rejected row or duplicate record, e.g.
/// `population.csv:3: column "coa_iso": "DEU" disagrees with coa "SWI" (Switzerland, CHE)`.
///
/// ```
/// use refugee_data::{import_unhcr, Loader, UnhcrOptions};
/// let download = "\
/// Extracted:,\"United Nations High Commissioner for Refugees\"
/// \"Content type\",\"End year stock population totals\"
///
/// Year,\"Country of origin\",\"Country of origin (ISO)\",\"Country of asylum\",\"Country of asylum (ISO)\",\"Refugees under UNHCR’s mandate\"
/// 2019,Afghanistan,AFG,Pakistan,PAK,1419084
/// 2019,\"Unknown \",,Germany,DEU,26
/// ";
/// let mut loader = Loader::new();
/// let report = import_unhcr(&mut loader, "download.csv", download.as_bytes(), &UnhcrOptions::new())?;
/// assert_eq!(report.layout(), "UNHCR Refugee Data Finder download");
/// let (ds, _) = loader.finish();
/// let origins: Vec<&str> = ds.registrations().map(|r| r.origin.alpha3()).collect();
/// assert_eq!(origins, ["AFG", "XXX"]);
///
/// let bad = "year,coo,coo_iso,coa,coa_iso,refugees\n2023,AFG,AFG,SWI,DEU,14\n";
/// let err = import_unhcr(&mut Loader::new(), "p.csv", bad.as_bytes(), &UnhcrOptions::new())
///     .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     r#"p.csv:2: column "coa_iso": "DEU" disagrees with coa "SWI" (Switzerland, CHE)"#
/// );
/// # Ok::<(), refugee_data::Error>(())
/// ```
pub fn import_unhcr<R: io::Read>(
    loader: &mut Loader,
    file: &str,
    reader: R,
    options: &UnhcrOptions,
) -> Result<ImportReport, Error> {
    let mut rows = CsvRows::new(loader, file, reader);
    let mut report = ImportReport::new(file);
    let (layout, header_line, pending) = find_header(&mut rows, file)?;
    report.layout = layout.name.to_string();
    note_columns(loader, file, header_line, &layout, &mut report);
    let mut entries = parse_rows(loader, file, &layout, &mut rows, pending)?;
    report.rows_read = entries.len() as u64;
    let coverage = Coverage::of(&entries);
    let mut records = Records::new(loader, file, options, &layout, coverage, report)?;
    records.reserve(&entries);
    records.push_all(&mut entries)?;
    Ok(records.report)
}

/// Names the columns that fit no record type in the report, and warns of
/// the columns not recognised.
fn note_columns(
    loader: &mut Loader,
    file: &str,
    header_line: u64,
    layout: &Layout,
    report: &mut ImportReport,
) {
    let mut unknown = Vec::new();
    for name in &layout.names {
        match classify(name.as_bytes()) {
            Some(Col::Skipped) => report.skipped_columns.push(name.clone()),
            None if !name.is_empty() => unknown.push(format!("\"{}\"", crate::load::cut(name))),
            _ => {}
        }
    }
    if let Some(warning) = crate::load::unknown_columns(file, header_line, &unknown) {
        loader.warn(warning);
    }
}

/// Pass 1: every data row, parsed (`pending` is the first, read with the
/// header); warns of the country names not recognised beside a code.
fn parse_rows<R: io::Read>(
    loader: &mut Loader,
    file: &str,
    layout: &Layout,
    rows: &mut CsvRows<R>,
    pending: Option<(u64, ByteRecord)>,
) -> Result<Vec<Entry>, Error> {
    let mut parser = Parser::new(file, layout);
    let mut entries = Vec::new();
    if let Some((line, rec)) = pending {
        entries.push(parser.parse(&rec, line, rows.field_limit()));
    }
    while let Some(line) = rows.next()? {
        if rows.ended_in_quotes() {
            let rejection = Rejection::new(file, line, Problem::UnclosedQuote);
            entries.push(Entry::Rejected(Box::new(rejection)));
        } else {
            entries.push(parser.parse(rows.record(), line, rows.field_limit()));
        }
    }
    if let Some(warning) = parser.unrecognised_warning() {
        loader.warn(warning);
    }
    Ok(entries)
}

/// Pass 2: the years the table covers, and the first row of each (origin,
/// host, year), which the closing zeros need.
struct Coverage {
    /// Indexed by `year - MIN_YEAR`.
    covered: [bool; (MAX_YEAR - MIN_YEAR + 2) as usize],
    last_year: i32,
    /// [`pair_key`] -> index of the entry.
    first_rows: HashMap<u64, u32, FxBuildHasher>,
}

impl Coverage {
    fn of(entries: &[Entry]) -> Self {
        let mut coverage = Coverage {
            covered: [false; (MAX_YEAR - MIN_YEAR + 2) as usize],
            last_year: MIN_YEAR,
            first_rows: HashMap::default(),
        };
        coverage.first_rows.reserve(entries.len());
        for (i, e) in entries.iter().enumerate() {
            if let Entry::Row(o) = e {
                coverage.covered[(o.year - MIN_YEAR) as usize] = true;
                coverage.last_year = coverage.last_year.max(o.year);
                coverage.first_rows.entry(pair_key(o.origin, o.host, o.year)).or_insert(i as u32);
            }
        }
        coverage
    }

    fn covers(&self, year: i32) -> bool {
        year <= MAX_YEAR && self.covered[(year - MIN_YEAR) as usize]
    }

    /// The entry of the first row of (origin, host, year), if any.
    fn first_row(&self, origin: Country, host: Country, year: i32) -> Option<usize> {
        self.first_rows.get(&pair_key(origin, host, year)).map(|&i| i as usize)
    }
}

/// Pass 3: the records of the rows, in file order, pushed into the loader.
struct Records<'a> {
    loader: &'a mut Loader,
    file: &'a str,
    options: &'a UnhcrOptions,
    coverage: Coverage,
    /// The table a rejected row counts in.
    main_table: Table,
    source: u32,
    source_idps: u32,
    report: ImportReport,
}

impl<'a> Records<'a> {
    fn new(
        loader: &'a mut Loader,
        file: &'a str,
        options: &'a UnhcrOptions,
        layout: &Layout,
        coverage: Coverage,
        report: ImportReport,
    ) -> Result<Self, Error> {
        let has_stocks = layout.values.iter().any(|&(_, slot)| slot < STOCK_SLOTS);
        let main_table = if has_stocks { Table::Registrations } else { Table::Deportations };
        let source = loader.intern(SOURCE, file)?;
        let source_idps = loader.intern(SOURCE_RETURNED_IDPS, file)?;
        Ok(Records { loader, file, options, coverage, main_table, source, source_idps, report })
    }

    /// Reserves room for the records of the rows (and some closing zeros).
    fn reserve(&mut self, entries: &[Entry]) {
        let (mut stocks, mut flows) = (0usize, 0usize);
        for e in entries {
            if let Entry::Row(o) = e {
                stocks += (o.present & STOCK_MASK).count_ones() as usize;
                flows += (o.present >> STOCK_SLOTS).count_ones() as usize;
            }
        }
        self.loader.reserve(Table::Registrations, stocks + stocks / 16);
        self.loader.reserve(Table::Deportations, flows);
    }

    fn selected(&self, year: i32) -> bool {
        self.options.years.map_or(true, |(a, b)| (a..=b).contains(&year))
    }

    /// The day the figures of `year` describe.
    fn end_of(&self, year: i32) -> Day {
        if self.options.mid_year && year == self.coverage.last_year {
            days_from_civil(year, 6, 30)
        } else {
            days_from_civil(year, 12, 31)
        }
    }

    /// Each entry in file order: its rejection, or its records and the
    /// closing zeros it implies.
    fn push_all(&mut self, entries: &mut [Entry]) -> Result<(), Error> {
        for i in 0..entries.len() {
            let rejection = match &mut entries[i] {
                Entry::Rejected(r) => Some(std::mem::replace(r, Box::new(empty_rejection()))),
                Entry::Row(o) => o.rejected.take(),
            };
            if let Some(r) = rejection {
                self.report.rows_rejected += 1;
                self.loader.reject_row(self.main_table, *r)?;
                continue;
            }
            let Entry::Row(o) = &entries[i] else { continue };
            if self.selected(o.year) {
                self.push_row(o)?;
            } else {
                self.report.rows_skipped += 1;
            }
            self.push_closing_zeros(entries, i, o)?;
        }
        Ok(())
    }

    /// The registrations and deportation events of one row.
    fn push_row(&mut self, o: &Obs) -> Result<(), Error> {
        let at = At { file: self.file, line: o.line };
        let date = self.end_of(o.year);
        for slot in 0..STOCK_SLOTS {
            if o.present & (1 << slot) != 0 {
                let r = NewRegistration {
                    date,
                    origin: o.origin,
                    host: o.host,
                    population: PopulationType::from_index(slot as u8),
                    count: o.values[slot],
                    source: self.source,
                };
                let loaded = self.loader.push_registration(&r, at)?;
                self.report.count_pushed(Table::Registrations, loaded);
            }
        }
        for (slot, source) in [(RETURNED_REFUGEES, self.source), (RETURNED_IDPS, self.source_idps)]
        {
            if o.present & (1 << slot) != 0 {
                let d = NewDeportation {
                    date,
                    period_start: days_from_civil(o.year, 1, 1),
                    origin: o.origin,
                    host: if slot == RETURNED_IDPS { o.origin } else { o.host },
                    kind: ReturnKind::Returned,
                    count: o.values[slot],
                    crossing: 0,
                    source,
                };
                let loaded = self.loader.push_deportation(&d, at)?;
                self.report.count_pushed(Table::Deportations, loaded);
            }
        }
        Ok(())
    }

    /// The closing zeros at the next year of the series of row `i` (`o`)
    /// that vanish there, from the first row of the pair only.
    fn push_closing_zeros(&mut self, entries: &[Entry], i: usize, o: &Obs) -> Result<(), Error> {
        let next = o.year + 1;
        let stocks = o.present & STOCK_MASK;
        if stocks == 0
            || !self.coverage.covers(next)
            || !self.selected(next)
            || self.coverage.first_row(o.origin, o.host, o.year) != Some(i)
        {
            return Ok(());
        }
        let present_next = match self.coverage.first_row(o.origin, o.host, next) {
            Some(j) => match &entries[j] {
                Entry::Row(n) => n.present,
                Entry::Rejected(_) => 0,
            },
            None => 0,
        };
        let vanished = stocks & !present_next;
        for slot in 0..STOCK_SLOTS {
            if vanished & (1 << slot) != 0 {
                let r = NewRegistration {
                    date: self.end_of(next),
                    origin: o.origin,
                    host: o.host,
                    population: PopulationType::from_index(slot as u8),
                    count: 0,
                    source: self.source,
                };
                let at = At { file: self.file, line: o.line };
                let loaded = self.loader.push_registration(&r, at)?;
                self.report.count_pushed(Table::Registrations, loaded);
                self.report.closing_zeros += u64::from(loaded);
            }
        }
        Ok(())
    }
}

/// A placeholder left behind when a rejection is moved out of its entry.
fn empty_rejection() -> Rejection {
    Rejection::new("", 0, Problem::Empty)
}

fn pair_key(origin: Country, host: Country, year: i32) -> u64 {
    (origin.id() as u64) << 32 | (host.id() as u64) << 16 | (year - MIN_YEAR) as u64
}

/// Finds the header in the first 25 rows and the layout it gives; returns
/// the first record after it unless that is an HXL hashtag row (skipped).
#[allow(clippy::type_complexity)]
fn find_header<R: io::Read>(
    rows: &mut CsvRows<R>,
    file: &str,
) -> Result<(Layout, u64, Option<(u64, ByteRecord)>), Error> {
    for _ in 0..25 {
        let Some(line) = rows.next()? else { break };
        let rec = rows.record();
        let classes: Vec<Option<Col>> = rec.iter().map(classify).collect();
        let year = classes.contains(&Some(Col::Year));
        let country =
            classes.iter().flatten().any(|c| matches!(c, Col::Origin(_) | Col::Asylum(_)));
        if !(year && country) {
            continue;
        }
        let names: Vec<String> = rec.iter().map(header_text).collect();
        let layout = layout_of(file, line, names, &classes)?;
        let api = rec.iter().any(|h| {
            let n = normalize(&String::from_utf8_lossy(h));
            API_NAMES.contains(&n.as_str())
        });
        let mut layout = Layout {
            name: if api { "UNHCR API / R package" } else { "UNHCR Refugee Data Finder download" },
            ..layout
        };
        let pending = match rows.next()? {
            None => None,
            Some(next) if super::hxl::is_hashtag_row(rows.record()) => {
                let _ = next;
                layout.name = "UNHCR HDX copy with HXL hashtags";
                None
            }
            Some(next) => Some((next, rows.record().clone())),
        };
        return Ok((layout, line, pending));
    }
    Err(Error::Format {
        file: file.to_string(),
        line: 1,
        message: "no UNHCR header in the first 25 rows (expected a row naming the year and the \
                  countries of origin and asylum, e.g. \
                  year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,...)"
            .to_string(),
    })
}

fn layout_of(
    file: &str,
    line: u64,
    names: Vec<String>,
    classes: &[Option<Col>],
) -> Result<Layout, Error> {
    let format = |message: String| Error::Format { file: file.to_string(), line, message };
    let mut year = None;
    let mut origin = Side::default();
    let mut asylum = Side::default();
    let mut values: Vec<(usize, usize)> = Vec::new();
    for (i, class) in classes.iter().enumerate() {
        let earlier = match *class {
            Some(Col::Year) => year.replace(i),
            Some(Col::Origin(code)) => origin.set(code, i),
            Some(Col::Asylum(code)) => asylum.set(code, i),
            Some(Col::Value(slot)) => {
                let earlier = values.iter().find(|&&(_, s)| s == slot).map(|&(c, _)| c);
                values.push((i, slot));
                earlier
            }
            Some(Col::Skipped) | None => None,
        };
        if let Some(j) = earlier {
            return Err(format(format!(
                "columns \"{}\" and \"{}\" give the same figure; keep one",
                names[j], names[i]
            )));
        }
    }
    let missing = |what: &str, expected: &str| {
        format(format!(
            "the header has no {what} column (expected {expected}); header: {}",
            crate::load::bounded_list(&names, 50, ",")
        ))
    };
    if origin.is_empty() {
        return Err(missing(
            "country of origin",
            "coo, coo_iso or coo_name, or \"Country of origin\" or \"Country of origin (ISO)\"",
        ));
    }
    if asylum.is_empty() {
        return Err(missing(
            "country of asylum",
            "coa, coa_iso or coa_name, or \"Country of asylum\" or \"Country of asylum (ISO)\"",
        ));
    }
    if values.is_empty() {
        return Err(missing(
            "value",
            "refugees, asylum_seekers, returned_refugees, idps, returned_idps, stateless, ooc, \
             oip or hst, or their names in a UNHCR download",
        ));
    }
    let year = year.expect("the header was found by its year column");
    Ok(Layout { name: "", names, year, origin, asylum, values })
}

struct Parser<'a> {
    file: &'a str,
    layout: &'a Layout,
    names: CountryCache,
    /// The first names not recognised beside a code, with their first line.
    unrecognised: Vec<(String, u64)>,
    /// The distinct names not recognised (at most 10,000 kept).
    unrecognised_seen: HashSet<String>,
}

impl<'a> Parser<'a> {
    fn new(file: &'a str, layout: &'a Layout) -> Self {
        Parser {
            file,
            layout,
            names: CountryCache::default(),
            unrecognised: Vec::new(),
            unrecognised_seen: HashSet::new(),
        }
    }

    /// The warning about the country names not recognised beside a code.
    fn unrecognised_warning(&self) -> Option<String> {
        if self.unrecognised.is_empty() {
            return None;
        }
        let more = self.unrecognised_seen.len() - self.unrecognised.len();
        let mut listed: Vec<String> = self
            .unrecognised
            .iter()
            .map(|(name, line)| format!("\"{}\" (line {line})", crate::load::cut(name)))
            .collect();
        if more > 0 {
            listed.push(format!("and {more} more"));
        }
        Some(format!(
            "{}: country names not recognised (the codes beside them were used): {}",
            self.file,
            listed.join(", ")
        ))
    }

    fn reject(&self, line: u64, col: usize, value: &[u8], problem: Problem) -> Box<Rejection> {
        Box::new(Rejection::new(self.file, line, problem).at(&self.layout.names[col], value))
    }

    fn parse(&mut self, rec: &ByteRecord, line: u64, field_limit: usize) -> Entry {
        let width = self.layout.names.len();
        if rec.len() != width {
            let problem = Problem::Ragged { found: rec.len(), expected: width };
            return Entry::Rejected(Box::new(Rejection::new(self.file, line, problem)));
        }
        if rec.as_slice().len() > field_limit {
            if let Some((i, f)) = rec.iter().enumerate().find(|(_, f)| f.len() > field_limit) {
                let problem = Problem::FieldTooLong { bytes: f.len(), limit: field_limit };
                return Entry::Rejected(self.reject(line, i, f, problem));
            }
        }
        match self.parse_keyed(rec, line) {
            Ok(o) => Entry::Row(o),
            Err(r) => Entry::Rejected(r),
        }
    }

    fn parse_keyed(&mut self, rec: &ByteRecord, line: u64) -> Result<Obs, Box<Rejection>> {
        let l = self.layout;
        let raw_year = &rec[l.year];
        let year = parse_year(raw_year).ok_or_else(|| {
            let problem = if raw_year.trim_ascii().is_empty() {
                Problem::Empty
            } else {
                Problem::Invalid(format!("is not a year (expected YYYY, {MIN_YEAR} to {MAX_YEAR})"))
            };
            self.reject(line, l.year, raw_year, problem)
        })?;
        let origin = self.country(rec, line, l.origin)?;
        let host = self.country(rec, line, l.asylum)?;
        let mut o =
            Obs { line, year, origin, host, present: 0, values: [0; SLOTS], rejected: None };
        for &(col, slot) in &l.values {
            let raw = &rec[col];
            match parse_count(raw) {
                Ok(None) => {}
                Ok(Some(v)) => {
                    o.present |= 1 << slot;
                    o.values[slot] = v;
                }
                Err(problem) => {
                    o.present |= 1 << slot;
                    if o.rejected.is_none() {
                        o.rejected = Some(self.reject(line, col, raw, problem));
                    }
                }
            }
        }
        if o.present & (1 << RETURNED_IDPS) != 0 && origin != host && o.rejected.is_none() {
            if o.values[RETURNED_IDPS] == 0 {
                o.present &= !(1 << RETURNED_IDPS); // UNHCR's 0 on every cross-border row
            } else {
                let col =
                    l.values.iter().find(|&&(_, s)| s == RETURNED_IDPS).map_or(0, |&(c, _)| c);
                o.rejected = Some(self.reject(
                    line,
                    col,
                    &rec[col],
                    Problem::Invalid(format!(
                        "is a count of returned IDPs on a row whose country of asylum ({}) is \
                         not the origin ({}); returned IDPs go home inside their own country",
                        host.alpha3(),
                        origin.alpha3()
                    )),
                ));
            }
        }
        Ok(o)
    }

    /// The country of one side, from every column the layout has for it.
    fn country(
        &mut self,
        rec: &ByteRecord,
        line: u64,
        side: Side,
    ) -> Result<Country, Box<Rejection>> {
        let cell = |col: Option<usize>| {
            col.map(|c| (c, &rec[c])).filter(|(_, b)| !b.trim_ascii().is_empty())
        };
        let unhcr = match cell(side.unhcr) {
            Some((c, raw)) => match Country::unhcr_from_bytes(raw) {
                Some(country) => Some((c, raw, country)),
                None => return Err(self.reject(line, c, raw, country_problem(raw, true))),
            },
            None => None,
        };
        let iso = match cell(side.iso) {
            Some((c, raw)) => match Country::parse_bytes(raw) {
                Some(country) => Some((c, raw, country)),
                None => return Err(self.reject(line, c, raw, country_problem(raw, false))),
            },
            None => None,
        };
        if let (Some((uc, uraw, u)), Some((ic, iraw, i))) = (unhcr, iso) {
            if u != i {
                let what = format!(
                    "disagrees with {} \"{}\" ({}, {})",
                    self.layout.names[uc],
                    String::from_utf8_lossy(uraw.trim_ascii()),
                    u.name(),
                    u.alpha3()
                );
                return Err(self.reject(line, ic, iraw, Problem::Invalid(what)));
            }
        }
        let code = iso.or(unhcr);
        let Some((nc, nraw)) = cell(side.name) else {
            return match code {
                Some((_, _, c)) => Ok(c),
                None => {
                    let col = side.iso.or(side.unhcr).or(side.name).unwrap_or(0);
                    Err(self.reject(line, col, &rec[col], Problem::Empty))
                }
            };
        };
        let named = self.names.get(nraw);
        match (code, named) {
            (Some((cc, craw, c)), Some(n)) if n != c => {
                let what = format!(
                    "is {} ({}), which disagrees with {} \"{}\" ({}, {})",
                    n.name(),
                    n.alpha3(),
                    self.layout.names[cc],
                    String::from_utf8_lossy(craw.trim_ascii()),
                    c.name(),
                    c.alpha3()
                );
                Err(self.reject(line, nc, nraw, Problem::Invalid(what)))
            }
            (Some((_, _, c)), Some(_)) => Ok(c),
            (Some((_, _, c)), None) => {
                let name = String::from_utf8_lossy(nraw.trim_ascii()).into_owned();
                if self.unrecognised_seen.len() < 10_000 && !self.unrecognised_seen.contains(&name)
                {
                    self.unrecognised_seen.insert(name.clone());
                    if self.unrecognised.len() < 20 {
                        self.unrecognised.push((name, line));
                    }
                }
                Ok(c)
            }
            (None, Some(n)) => Ok(n),
            (None, None) => Err(self.reject(line, nc, nraw, country_problem(nraw, false))),
        }
    }
}

/// Why a country value was not recognised.
#[cold]
fn country_problem(raw: &[u8], unhcr: bool) -> Problem {
    let text = match std::str::from_utf8(raw) {
        Ok(t) => t,
        Err(e) => return Problem::InvalidUtf8 { byte: e.valid_up_to() },
    };
    let err = if unhcr { Country::from_unhcr_code(text) } else { Country::parse(text) };
    match err {
        Err(e) => Problem::UnknownCountry(e),
        Ok(_) => Problem::Invalid("is not a country".to_string()),
    }
}

/// `YYYY` in `MIN_YEAR..=MAX_YEAR`.
fn parse_year(b: &[u8]) -> Option<i32> {
    let b = b.trim_ascii();
    if b.len() != 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let y = b.iter().fold(0i32, |y, &c| y * 10 + (c - b'0') as i32);
    (MIN_YEAR..=MAX_YEAR).contains(&y).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_the_three_layouts_are_recognised() {
        assert_eq!(normalize("Refugees under UNHCR’s mandate "), "refugees under unhcrs mandate");
        assert_eq!(normalize("Country of origin (ISO)"), "country of origin iso");
        assert_eq!(normalize("coo_iso"), "coo iso");
        assert_eq!(classify(b"Asylum-seekers"), Some(stock(PopulationType::AsylumSeekers)));
        assert_eq!(classify(b"IDPs of concern to UNHCR"), Some(stock(PopulationType::Idps)));
        assert_eq!(classify(b"coa"), Some(Col::Asylum(Code::Unhcr)));
        assert_eq!(classify(b"Country of Asylum Code"), Some(Col::Asylum(Code::Iso)));
        assert_eq!(classify(b"naturalisation"), Some(Col::Skipped));
        assert_eq!(classify(b"Years:"), None);
    }

    #[test]
    fn years() {
        assert_eq!(parse_year(b"1951"), Some(1951));
        assert_eq!(parse_year(b" 2023 "), Some(2023));
        assert_eq!(parse_year(b"1899"), None);
        assert_eq!(parse_year(b"2023.0"), None);
    }
}
