//! Shared helpers of the query tests: loading literal CSV, printing results,
//! and a generator of small random datasets as canonical CSV text.
//!
//! Each test crate uses a different part of this module.
#![allow(dead_code)]

use chrono::NaiveDate;
use proptest::prelude::*;
use refugee_data::{Dataset, LoadReport, Loader, QueryResult, Table};

pub const REG_HEADER: &str = "date,origin,host,population,count,source\n";
pub const DEP_HEADER: &str = "date,period_start,origin,host,kind,count,crossing,source\n";
pub const STMT_HEADER: &str =
    "date,actor,actor_country,speaker,target_country,subject_country,stance,summary,source,url\n";

/// `YYYY-MM-DD` as a date (panics on a bad literal).
pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// Loads CSV texts (one per table) leniently.
pub fn load_lenient(files: &[(Table, &str)]) -> (Dataset, LoadReport) {
    let mut loader = Loader::new().lenient(true);
    for (table, text) in files {
        loader.read(*table, table.file_name(), text.as_bytes()).expect("no header error");
    }
    loader.finish()
}

/// Loads CSV texts strictly; every row must be valid.
pub fn load(files: &[(Table, &str)]) -> Dataset {
    let mut loader = Loader::new();
    for (table, text) in files {
        loader.read(*table, table.file_name(), text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
    loader.finish().0
}

/// Strictly loads registrations given as data rows (the header is added).
pub fn registrations(rows: &str) -> Dataset {
    load(&[(Table::Registrations, &format!("{REG_HEADER}{rows}"))])
}

/// Strictly loads deportations given as data rows (the header is added).
pub fn deportations(rows: &str) -> Dataset {
    load(&[(Table::Deportations, &format!("{DEP_HEADER}{rows}"))])
}

/// Strictly loads statements given as data rows (the header is added).
pub fn statements(rows: &str) -> Dataset {
    load(&[(Table::Statements, &format!("{STMT_HEADER}{rows}"))])
}

/// The result as CSV text.
pub fn csv_of(result: &QueryResult) -> String {
    let mut out = Vec::new();
    result.write_csv(&mut out).expect("writing to memory");
    String::from_utf8(out).expect("CSV output is UTF-8")
}

/// The result as JSON text.
pub fn json_of(result: &QueryResult) -> String {
    let mut out = Vec::new();
    result.write_json(&mut out).expect("writing to memory");
    String::from_utf8(out).expect("JSON output is UTF-8")
}

/// The rows of a result as (labels, measures).
pub fn rows_of(result: &QueryResult) -> Vec<(Vec<String>, Vec<u64>)> {
    result.rows().map(|r| (r.keys().map(String::from).collect(), r.values().to_vec())).collect()
}

// ---------------------------------------------------------------------------
// Deterministic pseudo-random numbers (no `rand` dependency): the generator of
// the examples and benches.

#[path = "../../examples/gen/mod.rs"]
mod gen;

#[allow(unused_imports)] // not every test crate draws random data
pub use gen::SplitMix64;

// ---------------------------------------------------------------------------
// Value pools of the generated datasets.

/// Country spellings the loader and the filters accept, with their alpha-3 code.
pub const COUNTRY_SPELLINGS: &[(&str, &str)] = &[
    ("AFG", "AFG"),
    ("afg", "AFG"),
    ("AF", "AFG"),
    ("Afghanistan", "AFG"),
    ("PAK", "PAK"),
    ("pak", "PAK"),
    ("PK", "PAK"),
    ("Pakistan", "PAK"),
    (" pakistan ", "PAK"),
    ("IRN", "IRN"),
    ("IR", "IRN"),
    ("Iran", "IRN"),
    ("Iran (Islamic Rep. of)", "IRN"),
    ("Islamic Republic of Iran", "IRN"),
    ("TUR", "TUR"),
    ("tr", "TUR"),
    ("Turkey", "TUR"),
    ("Türkiye", "TUR"),
    ("DEU", "DEU"),
    ("DE", "DEU"),
    ("Germany", "DEU"),
];

/// Valid countries that never occur in the generated data (for filters).
pub const ABSENT_COUNTRIES: &[(&str, &str)] = &[("France", "FRA"), ("usa", "USA")];

/// Values that are no country (a filter with one is an error).
pub const NOT_COUNTRIES: &[&str] = &["Atlantis", "Pakistn"];

pub const POPULATIONS: &[&str] =
    &["refugees", "asylum_seekers", "undocumented", "idps", "others_in_need", "stateless"];
pub const KINDS: &[&str] = &["deported", "spontaneous", "assisted", "returned"];
pub const STANCES: &[&str] =
    &["announce", "appeal", "commit", "support", "demand", "criticize", "reject", "threaten"];

/// Registration sources; a dataset uses the first 1, 2 or 3.
pub const REG_SOURCES: &[&str] = &["UNHCR", "Government of Pakistan", "iom estimate"];
pub const DEP_SOURCES: &[&str] = &["IOM DTM", "UNHCR", "KP Home Department"];
pub const CROSSINGS: &[&str] = &["", "Torkham", "Chaman", "torkham", "Islam Qala"];
pub const ACTORS: &[&str] =
    &["UNHCR", "Government of Pakistan", "Human Rights Watch", "amnesty", "Ärzte ohne Grenzen"];
pub const SPEAKERS: &[&str] = &["", "", "Matthew Miller", "Sarfraz Bugti", "zabihullah"];
pub const SUMMARIES: &[&str] =
    &["Urged restraint.", "Announced a deadline.", "Criticised returns."];
pub const STMT_SOURCES: &[&str] = &["Dawn", "Reuters", "The News", "dawn"];
pub const URLS: &[&str] = &["", "https://example.org/a"];

/// First day of the generated date range, and its length in days.
pub const FIRST_DAY: &str = "2023-12-20";
pub const DAYS: u32 = 388; // up to 2025-01-10

/// Days that hit the edges of weeks, months, quarters and years.
pub const SPECIAL_DAYS: &[&str] = &[
    "2023-12-20",
    "2023-12-25",
    "2023-12-31",
    "2024-01-01",
    "2024-01-07",
    "2024-01-08",
    "2024-02-28",
    "2024-02-29",
    "2024-03-01",
    "2024-03-31",
    "2024-04-01",
    "2024-06-30",
    "2024-12-29",
    "2024-12-30",
    "2024-12-31",
    "2025-01-01",
    "2025-01-05",
    "2025-01-06",
    "2025-01-10",
];

/// A few days outside the range, at ISO week-year edges (2020 has a week 53;
/// 2026-01-01 is a Thursday, the first day of 2026-W01).
pub const FAR_DAYS: &[&str] =
    &["2020-12-28", "2020-12-31", "2021-01-03", "2021-01-04", "2025-12-29", "2026-01-01"];

/// A date of the generated range, edges weighted up.
pub fn gen_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        4 => proptest::sample::select(SPECIAL_DAYS).prop_map(date),
        1 => proptest::sample::select(FAR_DAYS).prop_map(date),
        6 => (0..DAYS).prop_map(|d| date(FIRST_DAY) + chrono::Days::new(d as u64)),
    ]
}

/// A label written in one of three cases (`refugees`, `REFUGEES`, `Refugees`).
pub fn in_some_case(label: &str, case: u8) -> String {
    match case % 3 {
        0 => label.to_string(),
        1 => label.to_uppercase(),
        _ => {
            let mut c = label.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
        }
    }
}

/// A count field: digits, now and then a value the loader rejects.
fn gen_count() -> impl Strategy<Value = String> {
    prop_oneof![
        20 => (0u64..5000).prop_map(|n| n.to_string()),
        2 => Just("0".to_string()),
        1 => Just("1,200".to_string()),
    ]
}

fn country() -> impl Strategy<Value = String> {
    proptest::sample::select(COUNTRY_SPELLINGS).prop_map(|(s, _)| s.to_string())
}

fn opt_country() -> impl Strategy<Value = String> {
    prop_oneof![1 => Just(String::new()), 3 => country()]
}

fn vocab(labels: &'static [&'static str]) -> impl Strategy<Value = String> {
    (proptest::sample::select(labels), any::<u8>()).prop_map(|(l, c)| in_some_case(l, c))
}

fn text(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(pool).prop_map(str::to_string)
}

/// Registration rows (raw fields) using the first `sources` sources.
pub fn gen_registrations(sources: usize) -> impl Strategy<Value = Vec<Vec<String>>> {
    let row = (
        gen_date(),
        country(),
        country(),
        vocab(POPULATIONS),
        gen_count(),
        proptest::sample::select(&REG_SOURCES[..sources]),
        any::<bool>(),
    )
        .prop_map(|(d, o, h, p, c, s, pad)| {
            let s = if pad { format!(" {s} ") } else { s.to_string() };
            vec![d.to_string(), o, h, p, c, s]
        });
    proptest::collection::vec(row, 0..60)
}

/// Deportation rows (raw fields); `period_start` empty, equal, earlier or (rejected) later.
pub fn gen_deportations() -> impl Strategy<Value = Vec<Vec<String>>> {
    let row = (
        gen_date(),
        prop_oneof![3 => Just(None), 3 => (0u64..70).prop_map(Some), 1 => Just(Some(u64::MAX))],
        country(),
        country(),
        vocab(KINDS),
        gen_count(),
        text(CROSSINGS),
        text(DEP_SOURCES),
    )
        .prop_map(|(d, back, o, h, k, c, x, s)| {
            let start = match back {
                None => String::new(),
                Some(u64::MAX) => (d + chrono::Days::new(1)).to_string(),
                Some(n) => (d - chrono::Days::new(n)).to_string(),
            };
            vec![d.to_string(), start, o, h, k, c, x, s]
        });
    proptest::collection::vec(row, 0..60)
}

/// Statement rows (raw fields).
pub fn gen_statements() -> impl Strategy<Value = Vec<Vec<String>>> {
    let row = (
        gen_date(),
        text(ACTORS),
        opt_country(),
        text(SPEAKERS),
        opt_country(),
        opt_country(),
        vocab(STANCES),
        text(SUMMARIES),
        text(STMT_SOURCES),
        text(URLS),
    )
        .prop_map(|(d, a, ac, sp, tc, sc, st, su, so, u)| {
            vec![d.to_string(), a, ac, sp, tc, sc, st, su, so, u]
        });
    proptest::collection::vec(row, 0..60)
}

/// Canonical CSV text: the header line, then the rows, RFC 4180 quoting.
pub fn to_csv(header: &str, rows: &[Vec<String>]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(header.as_bytes().to_vec());
    for r in rows {
        w.write_record(r).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("flush")).expect("UTF-8")
}

/// A random small dataset as the three canonical CSV texts.
#[derive(Clone, Debug)]
pub struct GenFiles {
    pub registrations: String,
    pub deportations: String,
    pub statements: String,
}

impl GenFiles {
    /// Loads the files leniently (rejected rows are listed, not loaded).
    pub fn load(&self) -> (Dataset, LoadReport) {
        load_lenient(&[
            (Table::Registrations, &self.registrations),
            (Table::Deportations, &self.deportations),
            (Table::Statements, &self.statements),
        ])
    }
}

pub fn gen_files() -> impl Strategy<Value = GenFiles> {
    (1usize..=3)
        .prop_flat_map(|sources| (gen_registrations(sources), gen_deportations(), gen_statements()))
        .prop_map(|(r, d, s)| GenFiles {
            registrations: to_csv(REG_HEADER, &r),
            deportations: to_csv(DEP_HEADER, &d),
            statements: to_csv(STMT_HEADER, &s),
        })
}
