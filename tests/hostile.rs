//! The hostile-input corpus (issue 5): files as they come from web downloads,
//! spreadsheets and hand edits, each with its exact expected outcome: the
//! records, or the rejections with their positions, or the single error.
//! The canonical files of the three tables come first, then the UNHCR and
//! HXL source adapters (`import_unhcr`, `import_hxl`).
//!
//! Each case is one `#[test]`. Besides its exact outcome, each checks the
//! invariants of `tests/fuzz_regressions/invariants.rs` (shared with the
//! fuzz targets): `loaded + rejected = rows read`; the strict load fails
//! exactly when the lenient one rejects a row or reports an error, with the
//! first rejection (or the same error) as its error, and both hold the same
//! records otherwise; positions within the file; bounded messages. Then
//! `validate_prints_every_rejection_of_every_corpus_file` runs
//! `refugee-data validate` on each canonical case's file (every error and
//! rejection printed, the counts, exit 1 when anything was wrong, never a
//! panic), and `import_never_panics_on_the_adapter_corpus_files` runs
//! `refugee-data import` on each adapter case's file.
//!
//! A case that finds a library bug states the right outcome and is marked
//! `#[ignore = "bug: ..."]` until the library is fixed (`cargo test --test
//! hostile -- --ignored` runs those). Those it has found so far (UTF-16
//! files, lone CR and CRLF line ends, a file ending inside a quoted field,
//! positions of header and record-size errors, duplicates across files,
//! unbounded messages) are fixed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "fuzz_regressions/invariants.rs"]
mod invariants;

use refugee_data::{
    import_hxl, import_unhcr, Dataset, Dimension, Error, HxlMapping, HxlParts, HxlTarget,
    ImportReport, Loader, PopulationType, Query, ReturnKind, Table, UnhcrOptions,
};

const REG_HEADER: &str = "date,origin,host,population,count,source\n";
const DEP_HEADER: &str = "date,period_start,origin,host,kind,count,crossing,source\n";
const STM_HEADER: &str =
    "date,actor,actor_country,speaker,target_country,subject_country,stance,summary,source,url\n";

const NOT_A_COUNT: &str = "is not a count (expected a non-negative integer, digits only)";
const NOT_A_DATE: &str = "is not a date (expected YYYY-MM-DD)";
const NOT_CALENDAR: &str = "is not a calendar date (expected YYYY-MM-DD)";
const OUT_OF_RANGE: &str = "is out of range (expected a year from 1900 to 2100)";
const NOT_A_COUNTRY: &str =
    "is not a known country (expected an ISO 3166 code or an English country name)";
const NOT_A_POPULATION: &str = "is not a population type (expected one of refugees, \
     asylum_seekers, others_in_need, others_of_concern, stateless, idps, host_community, \
     undocumented)";
const NOT_A_KIND: &str =
    "is not a return kind (expected one of deported, spontaneous, assisted, returned)";
const NOT_A_STANCE: &str = "is not a stance (expected one of announce, appeal, commit, support, \
     demand, criticize, reject, threaten)";
const ALL_REG_MISSING: &str =
    r#"missing required columns "date", "origin", "host", "population", "count", "source""#;

// ---------------------------------------------------------------------------
// The case runner.

/// What reads a corpus file.
#[derive(Clone)]
enum Kind {
    /// The canonical loader, as this table's file.
    Canonical(Table),
    /// `import_unhcr` with these options.
    Unhcr(UnhcrOptions),
    /// `import_hxl` with this mapping.
    Hxl(HxlMapping),
}

/// One corpus file and its exact expected outcome.
struct Case {
    kind: Kind,
    /// The table of a canonical file; registrations for the adapters.
    table: Table,
    bytes: Vec<u8>,
    /// The import report as printed (adapters only), when the case says.
    report: Option<String>,
    limits: Option<(usize, usize)>,
    error: Option<String>,
    records: Vec<String>,
    rejections: Vec<String>,
    warnings: Vec<String>,
}

fn file(table: Table, bytes: impl AsRef<[u8]>) -> Case {
    Case {
        kind: Kind::Canonical(table),
        table,
        bytes: bytes.as_ref().to_vec(),
        report: None,
        limits: None,
        error: None,
        records: Vec::new(),
        rejections: Vec::new(),
        warnings: Vec::new(),
    }
}

fn with_header(table: Table, header: &str, rows: impl AsRef<[u8]>) -> Case {
    let mut bytes = header.as_bytes().to_vec();
    bytes.extend_from_slice(rows.as_ref());
    file(table, bytes)
}

/// `registrations.csv` with the canonical header and these rows.
fn reg(rows: impl AsRef<[u8]>) -> Case {
    with_header(Table::Registrations, REG_HEADER, rows)
}

/// `deportations.csv` with the canonical header and these rows.
fn dep(rows: impl AsRef<[u8]>) -> Case {
    with_header(Table::Deportations, DEP_HEADER, rows)
}

/// `statements.csv` with the canonical header and these rows.
fn stm(rows: impl AsRef<[u8]>) -> Case {
    with_header(Table::Statements, STM_HEADER, rows)
}

const UNHCR_HEADER: &str =
    "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,returned_refugees,returned_idps\n";
const HXL_HEADER: &str = "Date,Origin,Asylum,Refugees,Returnees\n\
     #date,#country+code+origin,#country+code+asylum,#affected+refugees,#affected+returnees\n";
const NO_UNHCR_HEADER: &str = "source.csv:1: no UNHCR header in the first 25 rows (expected a \
     row naming the year and the countries of origin and asylum, e.g. \
     year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,...)";
const NO_HASHTAG_ROW: &str = "source.csv:1: no HXL hashtag row in the first 25 rows (a row \
     where at least half of the non-empty cells are hashtags such as #country+code or \
     #affected+idps)";
const NOT_A_PERIOD: &str =
    "is not a date (expected YYYY-MM-DD, optionally with a time, YYYY-MM or YYYY)";

fn adapter(kind: Kind, bytes: impl AsRef<[u8]>) -> Case {
    Case { kind, ..file(Table::Registrations, bytes) }
}

/// A UNHCR file, read with the default options.
fn unhcr(bytes: impl AsRef<[u8]>) -> Case {
    adapter(Kind::Unhcr(UnhcrOptions::new()), bytes)
}

/// A UNHCR file in the API layout with these rows.
fn unhcr_rows(rows: impl AsRef<[u8]>) -> Case {
    unhcr([UNHCR_HEADER.as_bytes(), rows.as_ref()].concat())
}

/// An HXL file read with this mapping.
fn hxl(mapping: HxlMapping, bytes: impl AsRef<[u8]>) -> Case {
    adapter(Kind::Hxl(mapping), bytes)
}

/// An HXL file with a header, a hashtag row and these rows, read with the
/// built-in mapping.
fn hxl_rows(rows: impl AsRef<[u8]>) -> Case {
    hxl(HxlMapping::new("IOM DTM"), [HXL_HEADER.as_bytes(), rows.as_ref()].concat())
}

fn strings<S: AsRef<str>>(v: impl IntoIterator<Item = S>) -> Vec<String> {
    v.into_iter().map(|s| s.as_ref().to_string()).collect()
}

impl Case {
    /// The records the file must give, as [`show`] prints them.
    fn records<S: AsRef<str>>(mut self, v: impl IntoIterator<Item = S>) -> Self {
        self.records = strings(v);
        self
    }

    /// The rejections, in order, as `Rejection`'s `Display` prints them.
    fn rejects<S: AsRef<str>>(mut self, v: impl IntoIterator<Item = S>) -> Self {
        self.rejections = strings(v);
        self
    }

    /// One rejection, `<file>:<line>: <message>`.
    fn reject(self, line: u64, message: impl AsRef<str>) -> Self {
        let r = format!("{}:{line}: {}", self.file_name(), message.as_ref());
        self.rejects([r])
    }

    /// The name the file is given in messages.
    fn file_name(&self) -> &'static str {
        match self.kind {
            Kind::Canonical(table) => table.file_name(),
            Kind::Unhcr(_) | Kind::Hxl(_) => invariants::SOURCE_FILE,
        }
    }

    /// The import report, as printed (adapters only).
    fn report(mut self, report: impl AsRef<str>) -> Self {
        self.report = Some(report.as_ref().to_string());
        self
    }

    fn warns<S: AsRef<str>>(mut self, v: impl IntoIterator<Item = S>) -> Self {
        self.warnings = strings(v);
        self
    }

    /// The single error that stops the file.
    fn error(mut self, e: impl AsRef<str>) -> Self {
        self.error = Some(e.as_ref().to_string());
        self
    }

    fn limits(mut self, field: usize, record: usize) -> Self {
        self.limits = Some((field, record));
        self
    }

    fn loader(&self, lenient: bool) -> Loader {
        let loader = Loader::new().lenient(lenient);
        match self.limits {
            Some((field, record)) => loader.max_field_bytes(field).max_record_bytes(record),
            None => loader,
        }
    }

    fn check(self) {
        match self.kind.clone() {
            Kind::Canonical(table) => self.check_canonical(table),
            Kind::Unhcr(options) => {
                self.check_import(|l, f, b| import_unhcr(l, f, b, &options));
            }
            Kind::Hxl(mapping) => {
                self.check_import(|l, f, b| import_hxl(l, f, b, &mapping));
            }
        }
    }

    fn check_canonical(self, table: Table) {
        let name = table.file_name();
        let mut lenient = self.loader(true);
        let result = lenient.read(table, name, self.bytes.as_slice());
        let (ds, report) = lenient.finish();
        let got_error = result.as_ref().err().map(|e| e.to_string());
        let got_rejections: Vec<String> =
            report.rejections().iter().map(|r| r.to_string()).collect();
        assert_eq!(got_error, self.error, "the error");
        assert_eq!(got_rejections, self.rejections, "the rejections");
        assert_eq!(report.warnings(), self.warnings.as_slice(), "the warnings");
        assert_eq!(show(&ds, table), self.records, "the records");
        // loaded + rejected = read, strict = lenient, positions, message sizes.
        let all = invariants::Checks::ALL;
        invariants::check_canonical_limits(table, |l| self.loader(l), &self.bytes, all);
    }

    fn check_import(
        self,
        import: impl Fn(&mut Loader, &str, &[u8]) -> Result<ImportReport, Error>,
    ) {
        let mut lenient = self.loader(true);
        let result = import(&mut lenient, invariants::SOURCE_FILE, &self.bytes);
        let (ds, load) = lenient.finish();
        let got_error = result.as_ref().err().map(|e| e.to_string());
        let got_rejections: Vec<String> = load.rejections().iter().map(|r| r.to_string()).collect();
        assert_eq!(got_error, self.error, "the error");
        assert_eq!(got_rejections, self.rejections, "the rejections");
        assert_eq!(load.warnings(), self.warnings.as_slice(), "the warnings");
        let mut records = show(&ds, Table::Registrations);
        records.extend(show(&ds, Table::Deportations));
        assert_eq!(records, self.records, "the records");
        if let Some(want) = &self.report {
            let got = result.as_ref().map(|r| r.to_string()).unwrap_or_default();
            assert_eq!(&got, want, "the import report");
        }
        invariants::check_import_with(|l| self.loader(l), &self.bytes, import);
    }
}

/// Every record of `table`, one line each: dates, codes and labels as
/// written back, counts, and texts in Rust's `Debug` quoting (so that a NUL
/// or a newline in a text shows).
fn show(ds: &Dataset, table: Table) -> Vec<String> {
    let opt = |c: Option<refugee_data::Country>| c.map_or("-".to_string(), |c| c.to_string());
    match table {
        Table::Registrations => ds
            .registrations()
            .map(|r| {
                format!(
                    "{} {} {} {} {} {:?}",
                    r.date, r.origin, r.host, r.population, r.count, r.source
                )
            })
            .collect(),
        Table::Deportations => ds
            .deportations()
            .map(|r| {
                format!(
                    "{} {} {} {} {} {} {:?} {:?}",
                    r.date,
                    r.period_start.map_or("-".to_string(), |d| d.to_string()),
                    r.origin,
                    r.host,
                    r.kind,
                    r.count,
                    r.crossing,
                    r.source
                )
            })
            .collect(),
        Table::Statements => ds
            .statements()
            .map(|s| {
                format!(
                    "{} {:?} {} {:?} {} {} {} {:?} {:?} {:?}",
                    s.date,
                    s.actor,
                    opt(s.actor_country),
                    s.speaker,
                    opt(s.target_country),
                    opt(s.subject_country),
                    s.stance,
                    s.summary,
                    s.source,
                    s.url
                )
            })
            .collect(),
    }
}

/// A registration row's value in column `col` (0-based) replaced by `value`.
fn reg_row(col: usize, value: &str) -> String {
    let mut fields = ["2023-12-31", "AFG", "PAK", "refugees", "5", "UNHCR"];
    fields[col] = value;
    format!("{}\n", fields.join(","))
}

fn utf16(big_endian: bool, bom: bool, text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if big_endian { &[0xFE, 0xFF] } else { &[0xFF, 0xFE] });
    }
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
    }
    out
}

/// A header of `n` columns besides the canonical ones named in `known`.
fn wide_header(known: &str, n: usize) -> String {
    let mut h = String::with_capacity(n * 8);
    h.push_str(known);
    for i in 0..n {
        h.push_str(",c");
        h.push_str(&i.to_string());
    }
    h.push('\n');
    h
}

/// Declares the corpus: one `#[test]` a case, and `corpus()` listing them
/// all for the command-line test.
macro_rules! corpus {
    ($( $(#[$attr:meta])* fn $name:ident() $body:block )*) => {
        $(
            $(#[$attr])*
            #[test]
            fn $name() {
                let case: Case = $body;
                case.check();
            }
        )*

        /// Every corpus case by name.
        fn corpus() -> Vec<(&'static str, fn() -> Case)> {
            vec![$( (stringify!($name), || $body) ),*]
        }
    };
}

// ---------------------------------------------------------------------------
// The canonical files.

corpus! {
    // --- Empty, truncated and cut files -----------------------------------

    fn empty_file_is_one_error_naming_every_column() {
        file(Table::Registrations, "")
            .error(format!("registrations.csv:1: {ALL_REG_MISSING} (header: )"))
    }

    fn blank_lines_only_is_the_same_error() {
        file(Table::Registrations, "\n\r\n\n").error(format!(
            "registrations.csv:1: {ALL_REG_MISSING} (header: )"
        ))
    }

    fn byte_order_mark_only_is_the_same_error() {
        file(Table::Registrations, "\u{FEFF}").error(format!(
            "registrations.csv:1: {ALL_REG_MISSING} (header: )"
        ))
    }

    fn header_only_gives_no_record() {
        reg("")
    }

    fn header_only_without_final_newline() {
        file(Table::Deportations, DEP_HEADER.trim_end())
    }

    fn header_only_with_crlf() {
        file(Table::Statements, STM_HEADER.replace('\n', "\r\n"))
    }

    fn byte_order_mark_is_accepted() {
        file(Table::Registrations, format!("\u{FEFF}{REG_HEADER}2023-12-31,AFG,PAK,refugees,5,UNHCR"))
            .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
    }

    fn file_cut_in_the_middle_of_a_row() {
        reg("2023-12-31,AFG,PAK,refugees,5,UNHCR\n2023-12-31,AFG,PA")
            .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
            .reject(3, "row has 3 fields, expected 6 (as in the header)")
    }

    // A cut inside the last, unquoted field cannot be told from a short
    // value: the row is loaded as it reads.
    fn file_cut_inside_the_last_unquoted_field() {
        dep("2023-11-01,,AFG,PAK,deported,17000,Torkham,IOM DT")
            .records([r#"2023-11-01 - AFG PAK deported 17000 Some("Torkham") "IOM DT""#])
    }

    fn file_cut_right_after_a_carriage_return() {
        reg("2023-12-31,AFG,PAK,refugees,5,UNHCR\r")
            .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
    }
    fn file_cut_inside_a_quoted_field() {
        reg("2023-12-31,AFG,IRN,refugees,7,UNHCR\n2023-12-31,AFG,PAK,refugees,5,\"UNHCR")
            .records([r#"2023-12-31 AFG IRN refugees 7 "UNHCR""#])
            .reject(
                3,
                "a quoted field opened on this line is never closed (the file ends inside it)",
            )
    }
    fn unbalanced_quote_at_end_of_file_swallows_no_rows() {
        reg("2023-12-31,AFG,PAK,refugees,5,\"UNHCR\n\
             2023-12-31,AFG,IRN,refugees,7,UNHCR\n\
             2023-12-31,AFG,TUR,refugees,8,UNHCR\n")
            .reject(
                2,
                "a quoted field opened on this line is never closed (the file ends inside it)",
            )
    }

    // A quote opened on line 2 and closed on line 4 makes lines 2 to 4 one
    // record (RFC 4180), which has the wrong number of fields.
    fn unbalanced_quote_closed_on_a_later_line() {
        reg("2023-12-31,AFG,PAK,refugees,5,\"UNHCR\n\
             2023-12-31,AFG,IRN,refugees,7,UNHCR\n\
             2023-12-31,AFG,TUR,refugees,\"8\",UNHCR\n\
             2023-12-31,AFG,DEU,refugees,9,UNHCR\n")
            .records([r#"2023-12-31 AFG DEU refugees 9 "UNHCR""#])
            .reject(2, "row has 7 fields, expected 6 (as in the header)")
    }

    // The csv reader is lenient about quotes that RFC 4180 forbids: a quote
    // inside an unquoted field is kept, text after a closing quote is joined.
    fn stray_quote_inside_an_unquoted_field_is_kept() {
        reg("2023-12-31,AFG,PAK,refugees,5,UN\"HCR\n")
            .records([r#"2023-12-31 AFG PAK refugees 5 "UN\"HCR""#])
    }

    fn text_after_a_closing_quote_is_joined() {
        reg("2023-12-31,AFG,PAK,refugees,5,\"UNHCR\" press\n")
            .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR press""#])
    }

    fn quoted_commas_doubled_quotes_and_newlines_in_text() {
        stm("2023-11-01,UNHCR,,,PAK,AFG,appeal,\"Asked \"\"Pakistan\"\" to stop,\nnow\",UNHCR press,\"https://x/?a=1,2\"\n")
            .records([r#"2023-11-01 "UNHCR" - None PAK AFG appeal "Asked \"Pakistan\" to stop,\nnow" "UNHCR press" Some("https://x/?a=1,2")"#])
    }

    // --- Ragged rows and empty lines --------------------------------------

    fn ragged_row_with_too_few_fields() {
        dep("2023-11-01,,AFG,PAK,deported,5,IOM\n")
            .reject(2, "row has 7 fields, expected 8 (as in the header)")
    }

    fn ragged_row_with_too_many_fields() {
        reg("2023-12-31,AFG,PAK,refugees,5,UNHCR,extra\n2023-12-31,AFG,IRN,refugees,1,UNHCR\n")
            .records([r#"2023-12-31 AFG IRN refugees 1 "UNHCR""#])
            .reject(2, "row has 7 fields, expected 6 (as in the header)")
    }

    fn line_of_spaces_is_a_ragged_row() {
        reg("2023-12-31,AFG,PAK,refugees,5,UNHCR\n   \n2023-12-31,AFG,IRN,refugees,5,UNHCR\n")
            .records([
                r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#,
                r#"2023-12-31 AFG IRN refugees 5 "UNHCR""#,
            ])
            .reject(3, "row has 1 fields, expected 6 (as in the header)")
    }

    fn line_of_commas_is_an_empty_row() {
        reg(",,,,,\n").reject(2, r#"column "date": is empty (a value is required)"#)
    }

    fn empty_lines_are_skipped_and_still_counted_as_lines() {
        dep("\n2023-11-01,,AFG,PAK,deported,5,\"Torkham\r\nnorth gate\",IOM\r\n\r\n\r\n2023-11-02,,AFG,PAK,deported,x,,IOM\r\n\n")
            .records([r#"2023-11-01 - AFG PAK deported 5 Some("Torkham\r\nnorth gate") "IOM""#])
            .reject(7, format!(r#"column "count": "x" {NOT_A_COUNT}"#))
    }
    fn crlf_file_without_quotes_keeps_physical_lines() {
        file(
            Table::Registrations,
            format!("{}\r\n2023-12-31,AFG,PAK,refugees,5,UNHCR\r\n\r\n2023-12-31,AFG,IRN,refugees,x,UNHCR\r\n", REG_HEADER.trim_end()),
        )
        .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
        .reject(4, format!(r#"column "count": "x" {NOT_A_COUNT}"#))
    }

    fn lone_cr_after_the_header_without_quotes() {
        file(
            Table::Deportations,
            format!("{}\r2023-11-01,,AFG,PAK,deported,5,,IOM\r\n2023-11-01,,AFG,PAK,deported,x,,IOM\n", DEP_HEADER.trim_end()),
        )
        .records([r#"2023-11-01 - AFG PAK deported 5 None "IOM""#])
        .reject(3, format!(r#"column "count": "x" {NOT_A_COUNT}"#))
    }

    fn blank_lines_before_the_header_are_skipped() {
        file(Table::Registrations, format!("\n\n{REG_HEADER}2023-12-31,AFG,PAK,refugees,x,UNHCR\n"))
            .reject(4, format!(r#"column "count": "x" {NOT_A_COUNT}"#))
    }
    fn header_error_after_blank_lines_names_the_header_line() {
        file(Table::Registrations, "\n\ndate,origin,host,population,count\n").error(
            r#"registrations.csv:3: missing required column "source" (header: date,origin,host,population,count)"#,
        )
    }
    fn carriage_return_line_ends_give_physical_lines() {
        file(
            Table::Registrations,
            "date,origin,host,population,count,source\r2023-12-31,AFG,PAK,refugees,5,UNHCR\r2023-12-31,AFG,IRN,refugees,x,UNHCR\r",
        )
        .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
        .reject(3, format!(r#"column "count": "x" {NOT_A_COUNT}"#))
    }

    // --- Headers -----------------------------------------------------------

    fn duplicate_header_column() {
        file(Table::Deportations, "date,period_start,origin,host,kind,count,crossing,source,kind\n")
            .error(r#"deportations.csv:1: column "kind" appears more than once in the header"#)
    }

    fn duplicate_header_column_in_other_case_and_spaces() {
        file(Table::Registrations, "date,origin,host,population,count,source, DATE \n")
            .error(r#"registrations.csv:1: column "date" appears more than once in the header"#)
    }

    fn duplicate_unknown_columns_are_one_warning() {
        file(Table::Registrations, "date,origin,host,population,count,source,note,Note\n")
            .warns([r#"registrations.csv:1: unknown columns ignored: "note", "Note""#])
    }

    fn header_in_other_case_with_spaces_is_accepted() {
        file(
            Table::Registrations,
            " Date ,ORIGIN,Host , Population,COUNT,  source  \n2023-12-31,AFG,PAK,refugees,5,UNHCR\n",
        )
        .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
    }

    fn header_with_a_space_inside_a_name_misses_that_column() {
        file(Table::Registrations, "date,origin,host,pop ulation,count,source\n").error(
            r#"registrations.csv:1: missing required column "population" (header: date,origin,host,pop ulation,count,source)"#,
        )
    }

    fn trailing_comma_makes_an_unnamed_column() {
        file(
            Table::Registrations,
            "date,origin,host,population,count,source,\n2023-12-31,AFG,PAK,refugees,5,UNHCR,\n",
        )
        .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
        .warns([r#"registrations.csv:1: unknown column ignored: """#])
    }

    fn tab_separated_file_is_one_error() {
        file(
            Table::Registrations,
            "date\torigin\thost\tpopulation\tcount\tsource\n2023-12-31\tAFG\tPAK\trefugees\t5\tUNHCR\n",
        )
        .error(format!(
            "registrations.csv:1: {ALL_REG_MISSING} (header: date\torigin\thost\tpopulation\tcount\tsource); \
             the header is one column holding '\\t': if the file is separated by '\\t', set the delimiter to '\\t'"
        ))
    }

    fn semicolon_separated_file_is_one_error() {
        file(Table::Registrations, "date;origin;host;population;count;source\n2023-12-31;AFG;PAK;refugees;5;UNHCR\n").error(format!(
            "registrations.csv:1: {ALL_REG_MISSING} (header: date;origin;host;population;count;source); \
             the header is one column holding ';': if the file is separated by ';', set the delimiter to ';'"
        ))
    }

    fn statements_with_only_the_required_columns() {
        file(
            Table::Statements,
            "summary,stance,actor,date,source\nAsked Pakistan to stop,APPEAL, UNHCR ,2023-11-01,UNHCR press\n",
        )
        .records([r#"2023-11-01 "UNHCR" - None - - appeal "Asked Pakistan to stop" "UNHCR press" None"#])
    }

    fn invalid_utf8_in_the_header() {
        file(Table::Registrations, b"date,origin,h\xF6st,population,count,source\n").error(
            "registrations.csv:1: the header is not valid UTF-8 (invalid byte at offset 1 of column 3)",
        )
    }

    fn million_column_header_gives_a_bounded_error() {
        file(Table::Registrations, wide_header("date,origin,host,population,count", 1_000_000))
            .error(format!(
                r#"registrations.csv:1: missing required column "source" (header: date,origin,host,population,count,{},... and 999955 more)"#,
                (0..45).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",")
            ))
    }

    fn million_column_header_gives_a_bounded_warning() {
        file(Table::Registrations, wide_header("date,origin,host,population,count,source", 1_000_000))
            .warns([format!(
                "registrations.csv:1: unknown columns ignored: {}, and 999980 more",
                (0..20).map(|i| format!("\"c{i}\"")).collect::<Vec<_>>().join(", ")
            )])
    }

    // --- Encodings and control bytes ----------------------------------------
    fn utf16_little_endian_file_with_bom() {
        file(Table::Registrations, utf16(false, true, "date,origin,host,population,count,source\n2023-12-31,AFG,PAK,refugees,5,UNHCR\n"))
            .error("registrations.csv:1: the file is UTF-16 (little-endian), not UTF-8 (save it as UTF-8)")
    }
    fn utf16_big_endian_file_with_bom() {
        file(Table::Deportations, utf16(true, true, DEP_HEADER))
            .error("deportations.csv:1: the file is UTF-16 (big-endian), not UTF-8 (save it as UTF-8)")
    }
    fn utf16_little_endian_file_without_bom() {
        file(Table::Statements, utf16(false, false, STM_HEADER))
            .error("statements.csv:1: the file is UTF-16 (little-endian), not UTF-8 (save it as UTF-8)")
    }

    // DESIGN is silent on control characters: a NUL inside a text is valid
    // UTF-8 and is kept as it is; in typed fields it makes the value invalid.
    fn nul_byte_inside_a_text_is_kept() {
        dep("2023-11-01,,AFG,PAK,deported,5,Tork\0ham,IOM\n")
            .records([r#"2023-11-01 - AFG PAK deported 5 Some("Tork\0ham") "IOM""#])
    }

    fn nul_bytes_in_typed_fields_are_rejected() {
        reg("2023-12-3\0,AFG,PAK,refugees,5,UNHCR\n\
             2023-12-31,AFG,PA\0K,refugees,5,UNHCR\n\
             2023-12-31,AFG,PAK,refugees\0,5,UNHCR\n\
             2023-12-31,AFG,PAK,refugees,5\0,UNHCR\n")
        .rejects([
            format!("registrations.csv:2: column \"date\": \"2023-12-3\0\" {NOT_A_DATE}"),
            format!("registrations.csv:3: column \"host\": \"PA\0K\" {NOT_A_COUNTRY}"),
            format!("registrations.csv:4: column \"population\": \"refugees\0\" {NOT_A_POPULATION}"),
            format!("registrations.csv:5: column \"count\": \"5\0\" {NOT_A_COUNT}"),
        ])
    }

    fn invalid_utf8_in_registration_date() {
        reg(b"2023-12-3\xFF,AFG,PAK,refugees,5,UNHCR\n")
            .reject(2, format!("column \"date\": \"2023-12-3\u{FFFD}\" {NOT_A_DATE}"))
    }

    fn invalid_utf8_in_registration_origin() {
        reg(b"2023-12-31,Pak\xE9stan,PAK,refugees,5,UNHCR\n").reject(
            2,
            "column \"origin\": \"Pak\u{FFFD}stan\" is not valid UTF-8 (invalid byte at offset 3)",
        )
    }

    fn invalid_utf8_in_registration_host() {
        reg(b"2023-12-31,AFG,\xFFPAK,refugees,5,UNHCR\n").reject(
            2,
            "column \"host\": \"\u{FFFD}PAK\" is not valid UTF-8 (invalid byte at offset 0)",
        )
    }

    fn invalid_utf8_in_registration_population() {
        reg(b"2023-12-31,AFG,PAK,refug\xC0\xAFees,5,UNHCR\n").reject(
            2,
            format!("column \"population\": \"refug\u{FFFD}\u{FFFD}ees\" {NOT_A_POPULATION}"),
        )
    }

    fn invalid_utf8_in_registration_count() {
        reg(b"2023-12-31,AFG,PAK,refugees,5\xFF,UNHCR\n")
            .reject(2, format!("column \"count\": \"5\u{FFFD}\" {NOT_A_COUNT}"))
    }

    // A UTF-16 surrogate encoded as UTF-8 (CESU-8) is not UTF-8.
    fn invalid_utf8_in_registration_source() {
        reg(b"2023-12-31,AFG,PAK,refugees,5,UNHCR \xED\xA0\x80\n").reject(
            2,
            "column \"source\": \"UNHCR \u{FFFD}\u{FFFD}\u{FFFD}\" is not valid UTF-8 (invalid byte at offset 6)",
        )
    }

    fn invalid_utf8_in_deportation_period_start() {
        dep(b"2023-11-01,2023-10-0\xFF,AFG,PAK,deported,5,Torkham,IOM\n")
            .reject(2, format!("column \"period_start\": \"2023-10-0\u{FFFD}\" {NOT_A_DATE}"))
    }

    fn invalid_utf8_in_deportation_kind() {
        dep(b"2023-11-01,,AFG,PAK,de\xFFported,5,Torkham,IOM\n")
            .reject(2, format!("column \"kind\": \"de\u{FFFD}ported\" {NOT_A_KIND}"))
    }

    // Latin-1 text, as old spreadsheets save it.
    fn invalid_utf8_in_deportation_crossing() {
        dep(b"2023-11-01,,AFG,IRN,deported,5,Isl\xE2m Qal\xE1,IOM\n").reject(
            2,
            "column \"crossing\": \"Isl\u{FFFD}m Qal\u{FFFD}\" is not valid UTF-8 (invalid byte at offset 3)",
        )
    }

    // A four-byte sequence cut after its second byte.
    fn invalid_utf8_in_deportation_source() {
        dep(b"2023-11-01,,AFG,PAK,deported,5,Torkham,IOM \xF0\x9F\n").reject(
            2,
            "column \"source\": \"IOM \u{FFFD}\" is not valid UTF-8 (invalid byte at offset 4)",
        )
    }

    fn invalid_utf8_in_statement_actor() {
        stm(b"2023-11-01,UN\xFFHCR,,,PAK,AFG,appeal,Asked Pakistan to stop,UNHCR press,\n").reject(
            2,
            "column \"actor\": \"UN\u{FFFD}HCR\" is not valid UTF-8 (invalid byte at offset 2)",
        )
    }

    fn invalid_utf8_in_statement_actor_country() {
        stm(b"2023-11-01,UNHCR,\xFF,,PAK,AFG,appeal,Asked Pakistan to stop,UNHCR press,\n").reject(
            2,
            "column \"actor_country\": \"\u{FFFD}\" is not valid UTF-8 (invalid byte at offset 0)",
        )
    }

    fn invalid_utf8_in_statement_speaker() {
        stm(b"2023-11-01,UNHCR,,Fil\xFFippo,PAK,AFG,appeal,Asked Pakistan to stop,UNHCR press,\n")
            .reject(
                2,
                "column \"speaker\": \"Fil\u{FFFD}ippo\" is not valid UTF-8 (invalid byte at offset 3)",
            )
    }

    fn invalid_utf8_in_statement_target_country() {
        stm(b"2023-11-01,UNHCR,,,P\xFFK,AFG,appeal,Asked Pakistan to stop,UNHCR press,\n").reject(
            2,
            "column \"target_country\": \"P\u{FFFD}K\" is not valid UTF-8 (invalid byte at offset 1)",
        )
    }

    fn invalid_utf8_in_statement_subject_country() {
        stm(b"2023-11-01,UNHCR,,,PAK,Afgh\xC3,appeal,Asked Pakistan to stop,UNHCR press,\n").reject(
            2,
            "column \"subject_country\": \"Afgh\u{FFFD}\" is not valid UTF-8 (invalid byte at offset 4)",
        )
    }

    fn invalid_utf8_in_statement_stance() {
        stm(b"2023-11-01,UNHCR,,,PAK,AFG,app\xFFeal,Asked Pakistan to stop,UNHCR press,\n")
            .reject(2, format!("column \"stance\": \"app\u{FFFD}eal\" {NOT_A_STANCE}"))
    }

    fn invalid_utf8_in_statement_summary() {
        stm(b"2023-11-01,UNHCR,,,PAK,AFG,appeal,Asked \xFF Pakistan to stop,UNHCR press,\n").reject(
            2,
            "column \"summary\": \"Asked \u{FFFD} Pakistan to stop\" is not valid UTF-8 (invalid byte at offset 6)",
        )
    }

    fn invalid_utf8_in_statement_source() {
        stm(b"2023-11-01,UNHCR,,,PAK,AFG,appeal,Asked Pakistan to stop,UNHCR\xFF press,\n").reject(
            2,
            "column \"source\": \"UNHCR\u{FFFD} press\" is not valid UTF-8 (invalid byte at offset 5)",
        )
    }

    fn invalid_utf8_in_statement_url() {
        stm(b"2023-11-01,UNHCR,,,PAK,AFG,appeal,Asked Pakistan to stop,UNHCR press,https://x/\xFF\n")
            .reject(
                2,
                "column \"url\": \"https://x/\u{FFFD}\" is not valid UTF-8 (invalid byte at offset 10)",
            )
    }

    // --- Size limits ----------------------------------------------------------

    fn ten_megabyte_field_is_rejected_by_the_default_limit() {
        reg(format!("2023-12-31,AFG,PAK,refugees,5,{}\n2023-12-31,AFG,IRN,refugees,5,UNHCR\n", "y".repeat(10 << 20)))
            .records([r#"2023-12-31 AFG IRN refugees 5 "UNHCR""#])
            .reject(
                2,
                format!(r#"column "source": "{}..." is 10485760 bytes long (expected at most 1048576)"#, "y".repeat(60)),
            )
    }

    fn ten_megabyte_country_is_rejected_like_a_short_one() {
        reg(reg_row(2, &"x".repeat(10 << 20)))
            .limits(20 << 20, 32 << 20)
            .reject(2, format!(r#"column "host": "{}..." {NOT_A_COUNTRY}"#, "x".repeat(60)))
    }

    fn ten_megabyte_count_of_digits_is_too_large() {
        reg(reg_row(4, &"9".repeat(10 << 20))).limits(20 << 20, 32 << 20).reject(
            2,
            format!(
                r#"column "count": "{}..." is too large for a count (expected at most 18446744073709551615)"#,
                "9".repeat(60)
            ),
        )
    }

    fn field_at_the_limit_is_accepted_one_byte_more_is_not() {
        reg("2023-12-31,AFG,PAK,refugees,5,UNHCR-PAK!\n2023-12-31,AFG,IRN,refugees,5,UNHCR-IRN!!\n")
            .limits(10, 1 << 20)
            .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR-PAK!""#])
            .reject(3, r#"column "source": "UNHCR-IRN!!" is 11 bytes long (expected at most 10)"#)
    }

    fn record_over_the_limit_stops_the_file() {
        reg(format!(
            "2023-12-31,AFG,PAK,refugees,5,UNHCR\n2023-12-31,AFG,PAK,refugees,x,UNHCR\n2023-12-31,AFG,IRN,refugees,5,\"{}\"\n2023-12-31,AFG,TUR,refugees,5,UNHCR\n",
            "z".repeat(300_000)
        ))
        .limits(1000, 100_000)
        .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
        .reject(3, format!(r#"column "count": "x" {NOT_A_COUNT}"#))
        .error("registrations.csv:4: a record is longer than 100000 bytes, the limit (see Loader::max_record_bytes); reading stopped")
    }
    fn record_of_many_lines_over_the_limit_names_its_first_line() {
        reg(format!(
            "2023-12-31,AFG,PAK,refugees,5,UNHCR\n2023-12-31,AFG,IRN,refugees,5,\"{}\"\n",
            "z\n".repeat(150_000)
        ))
        .limits(1000, 100_000)
        .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
        .error("registrations.csv:3: a record is longer than 100000 bytes, the limit (see Loader::max_record_bytes); reading stopped")
    }

    fn header_over_the_record_limit_stops_the_file() {
        file(Table::Deportations, format!("{},{}\n", DEP_HEADER.trim_end(), "h".repeat(300_000)))
            .limits(1000, 1000)
            .error("deportations.csv:1: a record is longer than 1000 bytes, the limit (see Loader::max_record_bytes); reading stopped")
    }

    // --- Counts ------------------------------------------------------------------

    fn count_with_a_plus_sign() {
        reg(reg_row(4, "+5")).reject(2, format!(r#"column "count": "+5" {NOT_A_COUNT}"#))
    }

    fn count_with_a_minus_sign() {
        dep("2023-11-01,,AFG,PAK,deported,-5,,IOM\n")
            .reject(2, format!(r#"column "count": "-5" {NOT_A_COUNT}"#))
    }

    fn count_with_a_decimal_point() {
        reg(reg_row(4, "5.0")).reject(2, format!(r#"column "count": "5.0" {NOT_A_COUNT}"#))
    }

    fn count_with_an_exponent() {
        reg(reg_row(4, "1e3")).reject(2, format!(r#"column "count": "1e3" {NOT_A_COUNT}"#))
    }

    fn count_with_thousands_separators() {
        reg("2023-12-31,AFG,PAK,refugees,\"1,200\",UNHCR\n\
             2023-12-31,AFG,IRN,refugees,1 200,UNHCR\n\
             2023-12-31,AFG,TUR,refugees,1\u{A0}200,UNHCR\n\
             2023-12-31,AFG,DEU,refugees,1_200,UNHCR\n\
             2023-12-31,AFG,IND,refugees,1.200.000,UNHCR\n")
        .rejects([
            format!(r#"registrations.csv:2: column "count": "1,200" {NOT_A_COUNT}"#),
            format!(r#"registrations.csv:3: column "count": "1 200" {NOT_A_COUNT}"#),
            format!("registrations.csv:4: column \"count\": \"1\u{A0}200\" {NOT_A_COUNT}"),
            format!(r#"registrations.csv:5: column "count": "1_200" {NOT_A_COUNT}"#),
            format!(r#"registrations.csv:6: column "count": "1.200.000" {NOT_A_COUNT}"#),
        ])
    }

    fn count_with_surrounding_spaces() {
        reg("2023-12-31,AFG,PAK,refugees, 5,UNHCR\n2023-12-31,AFG,IRN,refugees,5 ,UNHCR\n").rejects([
            format!(r#"registrations.csv:2: column "count": " 5" {NOT_A_COUNT}"#),
            format!(r#"registrations.csv:3: column "count": "5 " {NOT_A_COUNT}"#),
        ])
    }

    fn count_in_hex_or_other_digits() {
        reg("2023-12-31,AFG,PAK,refugees,0x10,UNHCR\n\
             2023-12-31,AFG,IRN,refugees,\u{665},UNHCR\n\
             2023-12-31,AFG,TUR,refugees,\u{FF15},UNHCR\n")
        .rejects([
            format!(r#"registrations.csv:2: column "count": "0x10" {NOT_A_COUNT}"#),
            format!("registrations.csv:3: column \"count\": \"\u{665}\" {NOT_A_COUNT}"),
            format!("registrations.csv:4: column \"count\": \"\u{FF15}\" {NOT_A_COUNT}"),
        ])
    }

    fn count_with_leading_zeros_is_a_count() {
        reg(reg_row(4, "00012")).records([r#"2023-12-31 AFG PAK refugees 12 "UNHCR""#])
    }

    fn count_at_and_past_the_u64_limit() {
        reg("2023-12-31,AFG,PAK,refugees,18446744073709551615,UNHCR\n\
             2023-12-31,AFG,IRN,refugees,18446744073709551616,UNHCR\n\
             2023-12-31,AFG,TUR,refugees,99999999999999999999x,UNHCR\n")
        .records([r#"2023-12-31 AFG PAK refugees 18446744073709551615 "UNHCR""#])
        .rejects([
            r#"registrations.csv:3: column "count": "18446744073709551616" is too large for a count (expected at most 18446744073709551615)"#.to_string(),
            format!(r#"registrations.csv:4: column "count": "99999999999999999999x" {NOT_A_COUNT}"#),
        ])
    }

    fn empty_count() {
        reg(reg_row(4, "")).reject(2, r#"column "count": is empty (a value is required)"#)
    }

    // --- Dates ---------------------------------------------------------------------

    fn day_first_date_is_rejected_naming_the_format() {
        dep("24/11/2023,,AFG,PAK,deported,5,,IOM\n")
            .reject(2, format!(r#"column "date": "24/11/2023" {NOT_A_DATE}"#))
    }

    fn date_with_a_time_is_rejected_naming_the_format() {
        stm("2023-11-24T00:00:00,UNHCR,,,PAK,AFG,appeal,Asked,UNHCR press,\n")
            .reject(2, format!(r#"column "date": "2023-11-24T00:00:00" {NOT_A_DATE}"#))
    }

    fn date_in_words_is_rejected_naming_the_format() {
        reg("\"Nov 24, 2023\",AFG,PAK,refugees,5,UNHCR\n")
            .reject(2, format!(r#"column "date": "Nov 24, 2023" {NOT_A_DATE}"#))
    }

    fn other_date_layouts_are_rejected() {
        reg("11/24/2023,AFG,PAK,refugees,5,UNHCR\n\
             2023/11/24,AFG,IRN,refugees,5,UNHCR\n\
             20231124,AFG,TUR,refugees,5,UNHCR\n\
             24.11.2023,AFG,DEU,refugees,5,UNHCR\n\
             2023-11-24 00:00:00,AFG,IND,refugees,5,UNHCR\n\
             2023-1-24,AFG,USA,refugees,5,UNHCR\n\
             \u{FF12}023-11-24,AFG,GBR,refugees,5,UNHCR\n")
        .rejects(
            [
                (2, "11/24/2023"),
                (3, "2023/11/24"),
                (4, "20231124"),
                (5, "24.11.2023"),
                (6, "2023-11-24 00:00:00"),
                (7, "2023-1-24"),
                (8, "\u{FF12}023-11-24"),
            ]
            .map(|(line, d)| format!(r#"registrations.csv:{line}: column "date": "{d}" {NOT_A_DATE}"#)),
        )
    }

    // Dates are not trimmed (unlike texts, countries and labels).
    fn date_with_surrounding_spaces() {
        reg(reg_row(0, " 2023-12-31"))
            .reject(2, format!(r#"column "date": " 2023-12-31" {NOT_A_DATE}"#))
    }

    fn leap_days() {
        reg("2024-02-29,AFG,PAK,refugees,5,UNHCR\n\
             2023-02-29,AFG,PAK,refugees,5,UNHCR\n\
             2000-02-29,AFG,PAK,refugees,5,UNHCR\n\
             1900-02-29,AFG,PAK,refugees,5,UNHCR\n\
             2100-02-29,AFG,PAK,refugees,5,UNHCR\n")
        .records([r#"2024-02-29 AFG PAK refugees 5 "UNHCR""#, r#"2000-02-29 AFG PAK refugees 5 "UNHCR""#])
        .rejects([
            format!(r#"registrations.csv:3: column "date": "2023-02-29" {NOT_CALENDAR}"#),
            format!(r#"registrations.csv:5: column "date": "1900-02-29" {NOT_CALENDAR}"#),
            format!(r#"registrations.csv:6: column "date": "2100-02-29" {NOT_CALENDAR}"#),
        ])
    }

    fn dates_at_and_past_the_range() {
        reg("1900-01-01,AFG,PAK,refugees,5,UNHCR\n\
             2100-12-31,AFG,PAK,refugees,5,UNHCR\n\
             1899-12-31,AFG,PAK,refugees,5,UNHCR\n\
             2101-01-01,AFG,PAK,refugees,5,UNHCR\n\
             0000-01-01,AFG,PAK,refugees,5,UNHCR\n\
             9999-12-31,AFG,PAK,refugees,5,UNHCR\n")
        .records([r#"1900-01-01 AFG PAK refugees 5 "UNHCR""#, r#"2100-12-31 AFG PAK refugees 5 "UNHCR""#])
        .rejects(
            [(4, "1899-12-31"), (5, "2101-01-01"), (6, "0000-01-01"), (7, "9999-12-31")]
                .map(|(l, d)| format!(r#"registrations.csv:{l}: column "date": "{d}" {OUT_OF_RANGE}"#)),
        )
    }

    fn impossible_month_and_day() {
        dep("2023-13-01,,AFG,PAK,deported,5,,IOM\n2023-04-31,,AFG,PAK,deported,5,,IOM\n2023-00-00,,AFG,PAK,deported,5,,IOM\n")
            .rejects(
                [(2, "2023-13-01"), (3, "2023-04-31"), (4, "2023-00-00")]
                    .map(|(l, d)| format!(r#"deportations.csv:{l}: column "date": "{d}" {NOT_CALENDAR}"#)),
            )
    }

    fn period_start_in_another_format() {
        dep("2023-11-30,01/11/2023,AFG,PAK,deported,5,,IOM\n")
            .reject(2, format!(r#"column "period_start": "01/11/2023" {NOT_A_DATE}"#))
    }

    fn period_start_after_date() {
        dep("2023-11-01,2023-11-02,AFG,PAK,deported,5,,IOM\n").reject(
            2,
            r#"column "period_start": "2023-11-02" is after date "2023-11-01" (expected period_start <= date)"#,
        )
    }

    // An empty optional date is "none"; one of spaces is not empty.
    fn period_start_of_spaces() {
        dep("2023-11-01,  ,AFG,PAK,deported,5,,IOM\n")
            .reject(2, format!(r#"column "period_start": "  " {NOT_A_DATE}"#))
    }

    // --- Countries ---------------------------------------------------------------

    fn misspelled_country_suggests_the_nearest() {
        reg("2023-12-31,Afganistan,PAK,refugees,5,UNHCR\n2023-12-31,AFG,Pakistn,refugees,5,UNHCR\n")
            .rejects([
                r#"registrations.csv:2: column "origin": "Afganistan" is not a known country (did you mean Afghanistan (AFG)?)"#,
                r#"registrations.csv:3: column "host": "Pakistn" is not a known country (did you mean Pakistan (PAK)?)"#,
            ])
    }

    fn country_close_to_two_names_suggests_both() {
        dep("2023-11-01,,Nigera,PAK,deported,5,,IOM\n2023-11-01,,Korea,PAK,deported,5,,IOM\n").rejects([
            r#"deportations.csv:2: column "origin": "Nigera" is not a known country (did you mean Niger (NER) or Nigeria (NGA)?)"#,
            r#"deportations.csv:3: column "origin": "Korea" is not a known country (did you mean Republic of Korea (KOR) or Democratic People's Republic of Korea (PRK)?)"#,
        ])
    }

    fn country_with_a_typo_character() {
        reg(reg_row(2, "P@kistan")).reject(
            2,
            r#"column "host": "P@kistan" is not a known country (did you mean Pakistan (PAK)?)"#,
        )
    }

    fn four_letter_code_is_no_country() {
        reg(reg_row(2, "PAKI")).reject(2, format!(r#"column "host": "PAKI" {NOT_A_COUNTRY}"#))
    }

    fn former_and_sub_national_names_are_no_country() {
        reg("2023-12-31,USSR,PAK,refugees,5,UNHCR\n2023-12-31,Yugoslavia,PAK,refugees,5,UNHCR\n2023-12-31,England,PAK,refugees,5,UNHCR\n")
            .rejects([(2, "USSR"), (3, "Yugoslavia"), (4, "England")].map(|(l, c)| {
                format!(r#"registrations.csv:{l}: column "origin": "{c}" {NOT_A_COUNTRY}"#)
            }))
    }

    // UNHCR's own codes are read only from UNHCR's files: in a canonical
    // file GFR is no code, and AUS is Australia (Austria for UNHCR).
    fn unhcr_codes_are_not_read_in_canonical_files() {
        reg("2023-12-31,AFG,GFR,refugees,5,UNHCR\n2023-12-31,AFG,AUS,refugees,5,UNHCR\n")
            .records([r#"2023-12-31 AFG AUS refugees 5 "UNHCR""#])
            .reject(2, format!(r#"column "host": "GFR" {NOT_A_COUNTRY}"#))
    }

    fn country_spellings_that_are_accepted() {
        reg("2023-12-31,Türkiye,PK,refugees,1,UNHCR\n\
             2022-12-31,Turkiye,pak,refugees,2,UNHCR\n\
             2023-12-31,Cote d'Ivoire,\" pakistan \",refugees,3,UNHCR\n\
             2023-12-31,Viet Nam,Islamic Republic of Pakistan,refugees,4,UNHCR\n\
             2023-12-31,UNK,\u{A0}PAK\u{A0},refugees,5,UNHCR\n\
             2023-12-31,Burma,Pakistan.,refugees,6,UNHCR\n")
        .records([
            r#"2023-12-31 TUR PAK refugees 1 "UNHCR""#,
            r#"2022-12-31 TUR PAK refugees 2 "UNHCR""#,
            r#"2023-12-31 CIV PAK refugees 3 "UNHCR""#,
            r#"2023-12-31 VNM PAK refugees 4 "UNHCR""#,
            r#"2023-12-31 XXX PAK refugees 5 "UNHCR""#,
            r#"2023-12-31 MMR PAK refugees 6 "UNHCR""#,
        ])
    }

    fn statement_country_that_is_an_organisation() {
        stm("2023-11-01,UNHCR,International,,PAK,AFG,appeal,Asked Pakistan to stop,UNHCR press,\n")
            .reject(2, format!(r#"column "actor_country": "International" {NOT_A_COUNTRY}"#))
    }

    // --- Vocabularies and required texts ------------------------------------------

    fn population_labels_close_to_the_vocabulary() {
        reg("2023-12-31,AFG,PAK,refugee,5,UNHCR\n\
             2023-12-31,AFG,PAK,asylum-seekers,5,UNHCR\n\
             2023-12-31,AFG,PAK,oip,5,UNHCR\n\
             2023-12-31,AFG,PAK, Asylum_Seekers ,5,UNHCR\n")
        .records([r#"2023-12-31 AFG PAK asylum_seekers 5 "UNHCR""#])
        .rejects([(2, "refugee"), (3, "asylum-seekers"), (4, "oip")].map(|(l, p)| {
            format!(r#"registrations.csv:{l}: column "population": "{p}" {NOT_A_POPULATION}"#)
        }))
    }

    fn return_kinds_from_other_vocabularies() {
        dep("2023-11-01,,AFG,PAK,Deported ,5,,IOM\n2023-11-02,,AFG,PAK,forced,5,,IOM\n2023-11-03,,AFG,PAK,voluntary,5,,IOM\n")
            .records([r#"2023-11-01 - AFG PAK deported 5 None "IOM""#])
            .rejects([(3, "forced"), (4, "voluntary")].map(|(l, k)| {
                format!(r#"deportations.csv:{l}: column "kind": "{k}" {NOT_A_KIND}"#)
            }))
    }

    fn stance_in_british_spelling() {
        stm("2023-11-01,UNHCR,,,PAK,AFG,criticise,Asked Pakistan to stop,UNHCR press,\n")
            .reject(2, format!(r#"column "stance": "criticise" {NOT_A_STANCE}"#))
    }

    fn required_text_of_spaces_is_empty() {
        stm("2023-11-01,   ,,,PAK,AFG,appeal,Asked Pakistan to stop,UNHCR press,\n2023-11-01,UNHCR,,,PAK,AFG,,Asked,UNHCR press,\n")
            .rejects([
                r#"statements.csv:2: column "actor": is empty (a value is required)"#,
                r#"statements.csv:3: column "stance": is empty (a value is required)"#,
            ])
    }

    // Free text that a spreadsheet would run as a formula is data here; the
    // CSV output neutralises it on request (see the --safe-csv tests).
    fn formula_like_texts_are_loaded_as_texts() {
        stm("2023-11-01,\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",,,PAK,AFG,appeal,\"\t=1+2\",-2+3,@SUM(A1)\n")
            .records([r#"2023-11-01 "=HYPERLINK(\"http://evil\",\"x\")" - None PAK AFG appeal "=1+2" "-2+3" Some("@SUM(A1)")"#])
    }

    // --- Duplicates ----------------------------------------------------------------

    fn duplicate_registration_in_other_spellings() {
        reg("2023-12-31,AFG,PAK,refugees,5,UNHCR\n2023-12-31,afghanistan, Pakistan ,REFUGEES,7, UNHCR \n")
            .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
            .reject(3, "duplicate of line 2 (same date, origin, host, population and source)")
    }

    fn duplicate_deportation_with_empty_period_start() {
        dep("2023-11-01,,AFG,PAK,deported,5,Torkham,IOM\n2023-11-01,2023-11-01,AFG,PAK,deported,9,Torkham,IOM\n2023-10-31,2023-10-01,AFG,PAK,deported,9,Torkham,IOM\n")
            .records([
                r#"2023-11-01 - AFG PAK deported 5 Some("Torkham") "IOM""#,
                r#"2023-10-31 2023-10-01 AFG PAK deported 9 Some("Torkham") "IOM""#,
            ])
            .reject(3, "duplicate of line 2 (same date, period_start, origin, host, kind, crossing and source)")
    }

    fn duplicate_statement_after_trimming() {
        stm("2023-11-01,UNHCR,,,PAK,AFG,appeal,Asked Pakistan to stop,UNHCR press,\n2023-11-01, UNHCR ,PAK,,IRN,AFG,APPEAL,Asked Pakistan to stop ,Other,\n")
            .records([r#"2023-11-01 "UNHCR" - None PAK AFG appeal "Asked Pakistan to stop" "UNHCR press" None"#])
            .reject(3, "duplicate of line 2 (same date, actor, speaker, stance and summary)")
    }

    // --- UNHCR population statistics (import_unhcr) ------------------------------

    fn unhcr_empty_file_is_one_error() {
        unhcr("").error(NO_UNHCR_HEADER)
    }

    fn unhcr_header_only_gives_no_record() {
        unhcr(UNHCR_HEADER).report(
            "source.csv (UNHCR API / R package layout): 0 rows read, 0 rejected; 0 registrations, 0 deportation events",
        )
    }
    fn unhcr_utf16_file() {
        unhcr(utf16(false, true, UNHCR_HEADER))
            .error("source.csv:1: the file is UTF-16 (little-endian), not UTF-8 (save it as UTF-8)")
    }

    fn unhcr_ragged_row() {
        unhcr_rows("2023,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,5\n")
            .reject(2, "row has 8 fields, expected 10 (as in the header)")
    }

    // UNHCR years are YYYY only; the message says so.
    fn unhcr_years_in_other_formats() {
        unhcr_rows(
            "2023.0,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,5,,\n\
             FY2023,Afghanistan,AFG,AFG,Iran,IRN,IRN,5,,\n\
             1899,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,5,,\n\
             ,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,5,,\n",
        )
        .rejects([
            r#"source.csv:2: column "year": "2023.0" is not a year (expected YYYY, 1900 to 2100)"#,
            r#"source.csv:3: column "year": "FY2023" is not a year (expected YYYY, 1900 to 2100)"#,
            r#"source.csv:4: column "year": "1899" is not a year (expected YYYY, 1900 to 2100)"#,
            r#"source.csv:5: column "year": is empty (a value is required)"#,
        ])
    }

    // Counts as in the canonical files, except that a UNHCR cell is trimmed
    // and `-`, `NA` and empty mean "not applicable".
    fn unhcr_counts_with_separators_signs_decimals_and_exponents() {
        unhcr_rows(
            "2023,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,\"1,200\",,\n\
             2023,Afghanistan,AFG,AFG,Iran,IRN,IRN,+5,,\n\
             2023,Afghanistan,AFG,AFG,Germany,GFR,DEU,1e3,,\n\
             2023,Afghanistan,AFG,AFG,India,IND,IND, 17 ,NA,-\n\
             2023,Afghanistan,AFG,AFG,Turkey,TUR,TUR,5.0,,\n",
        )
        .records([r#"2023-12-31 AFG IND refugees 17 "UNHCR""#])
        .rejects([(2, "1,200"), (3, "+5"), (4, "1e3"), (6, "5.0")].map(|(l, v)| {
            format!(r#"source.csv:{l}: column "refugees": "{v}" {NOT_A_COUNT}"#)
        }))
    }

    fn unhcr_country_codes_and_names_that_disagree() {
        unhcr_rows(
            "2023,Afghanistan,GFR,FRA,Pakistan,PAK,PAK,5,,\n\
             2023,Afghanistan,AFG,AFG,Pakistan,XYZ,PAK,5,,\n\
             2023,Germany,AFG,AFG,Pakistan,PAK,PAK,5,,\n\
             2023,Afghanistn,AFG,AFG,Pakistan,PAK,PAK,5,,\n",
        )
        .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
        .rejects([
            r#"source.csv:2: column "coo_iso": "FRA" disagrees with coo "GFR" (Germany, DEU)"#,
            r#"source.csv:3: column "coa": "XYZ" is not a known UNHCR country code (expected a code of UNHCR's countries table, e.g. GFR for Germany)"#,
            r#"source.csv:4: column "coo_name": "Germany" is Germany (DEU), which disagrees with coo_iso "AFG" (Afghanistan, AFG)"#,
        ])
        .warns([r#"source.csv: country names not recognised (the codes beside them were used): "Afghanistn" (line 5)"#])
    }

    fn unhcr_invalid_utf8_in_a_name_a_code_and_a_count() {
        unhcr_rows(
            b"2023,Afgh\xFFanistan,AFG,AFG,Pakistan,PAK,PAK,5,,\n\
              2023,Afghanistan,AFG,AFG,Pakistan,PAK,P\xFFK,6,,\n\
              2023,Afghanistan,AFG,AFG,Iran,IRN,IRN,7\xFF,,\n",
        )
        .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
        .rejects([
            "source.csv:3: column \"coa_iso\": \"P\u{FFFD}K\" is not valid UTF-8 (invalid byte at offset 1)".to_string(),
            format!("source.csv:4: column \"refugees\": \"7\u{FFFD}\" {NOT_A_COUNT}"),
        ])
        .warns(["source.csv: country names not recognised (the codes beside them were used): \"Afgh\u{FFFD}anistan\" (line 2)"])
    }

    fn unhcr_returned_idps_on_a_cross_border_row() {
        unhcr_rows(
            "2023,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,5,,7\n\
             2023,Afghanistan,AFG,AFG,Afghanistan,AFG,AFG,,,7\n\
             2023,Afghanistan,AFG,AFG,Iran,IRN,IRN,5,,0\n",
        )
        .records([
            r#"2023-12-31 AFG IRN refugees 5 "UNHCR""#,
            r#"2023-12-31 2023-01-01 AFG AFG returned 7 None "UNHCR (returned IDPs)""#,
        ])
        .reject(
            2,
            r#"column "returned_idps": "7" is a count of returned IDPs on a row whose country of asylum (PAK) is not the origin (AFG); returned IDPs go home inside their own country"#,
        )
    }

    fn unhcr_duplicate_rows() {
        unhcr_rows("2023,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,5,,\n2023,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,6,,\n")
            .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
            .reject(3, "duplicate of line 2 (same date, origin, host, population and source)")
            .report("source.csv (UNHCR API / R package layout): 2 rows read, 0 rejected; 1 registration, 0 deportation events; 1 duplicate refused")
    }

    // The quote opened on line 3 runs to the end of the file: one ragged row.
    fn unhcr_unbalanced_quote_in_a_name() {
        unhcr_rows(
            "2023,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,5,,\n\
             2023,\"Afghanistan,AFG,AFG,Iran,IRN,IRN,5,,\n\
             2023,Afghanistan,AFG,AFG,Turkey,TUR,TUR,5,,\n",
        )
        .records([r#"2023-12-31 AFG PAK refugees 5 "UNHCR""#])
        .reject(3, "a quoted field opened on this line is never closed (the file ends inside it)")
    }
    fn unhcr_file_cut_inside_a_quoted_count() {
        unhcr("year,coo,coa,refugees\n2022,AFG,PAK,5\n2023,AFG,PAK,\"6")
            .records([r#"2022-12-31 AFG PAK refugees 5 "UNHCR""#])
            .reject(3, "a quoted field opened on this line is never closed (the file ends inside it)")
    }
    fn unhcr_carriage_return_line_ends_give_physical_lines() {
        unhcr("year,coo,coa,refugees\r2022,AFG,PAK,5\r2023,AFG,PAK,x\r")
            .records([r#"2022-12-31 AFG PAK refugees 5 "UNHCR""#])
            .reject(3, format!(r#"column "refugees": "x" {NOT_A_COUNT}"#))
    }

    fn unhcr_nul_bytes_in_a_count_and_a_year() {
        unhcr_rows("2023,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,5\0,,\n20\x0023,Afghanistan,AFG,AFG,Iran,IRN,IRN,5,,\n")
            .rejects([
                format!("source.csv:2: column \"refugees\": \"5\0\" {NOT_A_COUNT}"),
                "source.csv:3: column \"year\": \"20\x0023\" is not a year (expected YYYY, 1900 to 2100)".to_string(),
            ])
    }

    fn unhcr_duplicate_header_columns() {
        unhcr("year,coo,coa,refugees,Refugees\n2023,AFG,PAK,5,5\n")
            .error(r#"source.csv:1: columns "refugees" and "Refugees" give the same figure; keep one"#)
    }

    fn unhcr_header_without_a_value_column() {
        unhcr("year,coo,coa,note\n2023,AFG,PAK,5\n").error(
            "source.csv:1: the header has no value column (expected refugees, asylum_seekers, returned_refugees, idps, returned_idps, stateless, ooc, oip or hst, or their names in a UNHCR download); header: year,coo,coa,note",
        )
    }

    fn unhcr_download_with_bom_metadata_and_thousands_separators() {
        unhcr(
            "\u{FEFF}Extracted:,\"UNHCR\"\n\n\
             \"Year\",\"Country of origin\",\"Country of origin (ISO)\",\"Country of asylum\",\"Country of asylum (ISO)\",\"Refugees under UNHCR\u{2019}s mandate\"\n\
             2023,Afghanistan,AFG,Pakistan,PAK,\"1,987,717\"\n\
             2023,Afghanistan,AFG,Iran (Islamic Rep. of),IRN,3443235\n",
        )
        .records([r#"2023-12-31 AFG IRN refugees 3443235 "UNHCR""#])
        .reject(4, format!("column \"Refugees under UNHCR\u{2019}s mandate\": \"1,987,717\" {NOT_A_COUNT}"))
        .report("source.csv (UNHCR Refugee Data Finder download layout): 2 rows read, 1 rejected; 1 registration, 0 deportation events")
    }

    fn unhcr_mid_year_release_is_dated_30_june() {
        adapter(
            Kind::Unhcr(UnhcrOptions::new().mid_year(true)),
            format!("{UNHCR_HEADER}2022,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,5,1,\n2023,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,6,2,\n"),
        )
        .records([
            r#"2022-12-31 AFG PAK refugees 5 "UNHCR""#,
            r#"2023-06-30 AFG PAK refugees 6 "UNHCR""#,
            r#"2022-12-31 2022-01-01 AFG PAK returned 1 None "UNHCR""#,
            r#"2023-06-30 2023-01-01 AFG PAK returned 2 None "UNHCR""#,
        ])
    }

    fn unhcr_ten_megabyte_field() {
        unhcr_rows(format!(
            "2023,{},AFG,AFG,Pakistan,PAK,PAK,5,,\n2023,Afghanistan,AFG,AFG,Iran,IRN,IRN,5,,\n",
            "x".repeat(10 << 20)
        ))
        .records([r#"2023-12-31 AFG IRN refugees 5 "UNHCR""#])
        .reject(
            2,
            format!(r#"column "coo_name": "{}..." is 10485760 bytes long (expected at most 1048576)"#, "x".repeat(60)),
        )
    }

    fn unhcr_million_column_header_gives_a_bounded_warning() {
        unhcr(wide_header("year,coo,coa,refugees", 1_000_000)).warns([format!(
            "source.csv:1: unknown columns ignored: {}, and 999980 more",
            (0..20).map(|i| format!("\"c{i}\"")).collect::<Vec<_>>().join(", ")
        )])
    }

    // --- HXL-tagged files (import_hxl) ----------------------------------------------

    fn hxl_file_without_a_hashtag_row() {
        hxl(HxlMapping::new("IOM DTM"), "Date,Country,IDPs\n2023,AFG,5\n").error(NO_HASHTAG_ROW)
    }

    fn hxl_empty_file() {
        hxl(HxlMapping::new("IOM DTM"), "").error(NO_HASHTAG_ROW)
    }
    fn hxl_utf16_file() {
        hxl(HxlMapping::new("IOM DTM"), utf16(true, true, HXL_HEADER))
            .error("source.csv:1: the file is UTF-16 (big-endian), not UTF-8 (save it as UTF-8)")
    }

    // HXL dates may be days (with a time), months or years; the message says so.
    fn hxl_dates_in_other_formats() {
        hxl_rows(
            "24/11/2023,AFG,PAK,5,\n\
             2023-11-24T00:00:00,AFG,PAK,5,\n\
             \"Nov 24, 2023\",AFG,PAK,5,\n\
             2024-02-29,AFG,PAK,5,\n\
             2023-02-29,AFG,PAK,5,\n\
             2023-13,AFG,PAK,5,\n\
             2023-11,AFG,IRN,5,6\n\
             2023,AFG,TUR,5,6\n\
             1899,AFG,PAK,5,\n\
             2023-11-24 junk,AFG,PAK,5,\n",
        )
        .records([
            r#"2023-11-24 AFG PAK refugees 5 "IOM DTM""#,
            r#"2024-02-29 AFG PAK refugees 5 "IOM DTM""#,
            r#"2023-11-30 AFG IRN refugees 5 "IOM DTM""#,
            r#"2023-12-31 AFG TUR refugees 5 "IOM DTM""#,
            r#"2023-11-30 2023-11-01 AFG IRN returned 6 None "IOM DTM""#,
            r#"2023-12-31 2023-01-01 AFG TUR returned 6 None "IOM DTM""#,
        ])
        .rejects([
            format!(r#"source.csv:3: column "Date": "24/11/2023" {NOT_A_PERIOD}"#),
            format!(r#"source.csv:5: column "Date": "Nov 24, 2023" {NOT_A_PERIOD}"#),
            format!(r#"source.csv:7: column "Date": "2023-02-29" {NOT_CALENDAR}"#),
            format!(r#"source.csv:8: column "Date": "2023-13" {NOT_CALENDAR}"#),
            format!(r#"source.csv:11: column "Date": "1899" {OUT_OF_RANGE}"#),
            format!(r#"source.csv:12: column "Date": "2023-11-24 junk" {NOT_A_PERIOD}"#),
        ])
    }

    fn hxl_leap_months() {
        hxl_rows("2024-02,AFG,PAK,5,\n2023-02,AFG,PAK,5,\n2100-02,AFG,PAK,5,\n").records([
            r#"2024-02-29 AFG PAK refugees 5 "IOM DTM""#,
            r#"2023-02-28 AFG PAK refugees 5 "IOM DTM""#,
            r#"2100-02-28 AFG PAK refugees 5 "IOM DTM""#,
        ])
    }

    fn hxl_counts_with_separators_and_signs() {
        hxl_rows("2023,AFG,PAK,\"1,200\",\n2023,AFG,IRN,+5,\n2023,AFG,TUR,-,-\n2023,AFG,DEU, 7 ,\n")
            .records([r#"2023-12-31 AFG DEU refugees 7 "IOM DTM""#])
            .rejects([(3, "1,200"), (4, "+5")].map(|(l, v)| {
                format!(r#"source.csv:{l}: column "Refugees": "{v}" {NOT_A_COUNT}"#)
            }))
    }

    fn hxl_ragged_row() {
        hxl_rows("2023,AFG,PAK,5\n").reject(3, "row has 4 fields, expected 5 (as in the header)")
    }

    fn hxl_countries_close_to_a_country() {
        hxl_rows(b"2023,Afganistan,PAK,5,\n2023,AFG,P\xFFK,5,\n2023,AFG,GFR,5,\n2023,,PAK,5,\n").rejects([
            r#"source.csv:3: column "Origin": "Afganistan" is not a known country (did you mean Afghanistan (AFG)?)"#.to_string(),
            "source.csv:4: column \"Asylum\": \"P\u{FFFD}K\" is not valid UTF-8 (invalid byte at offset 1)".to_string(),
            format!(r#"source.csv:5: column "Asylum": "GFR" {NOT_A_COUNTRY}"#),
            r#"source.csv:6: column "Origin": is empty (a value is required)"#.to_string(),
        ])
    }

    fn hxl_measure_matching_several_columns() {
        hxl(
            HxlMapping::new("IOM DTM"),
            "Country,Date,IDPs,Male IDPs,Female IDPs\n#country+code,#date,#affected+idps,#affected+idps+m,#affected+idps+f\nAFG,2017-12-31,1000,480,510\n",
        )
        .error("source.csv:2: measure idps: #affected+idps-returnees-hh matches 3 columns: IDPs (#affected+idps), Male IDPs (#affected+idps+m), Female IDPs (#affected+idps+f); say whether to take the total column (HxlParts::Total, --parts total: the column without extra attributes) or to add the parts (HxlParts::Sum, --parts sum: the columns with extra attributes)")
    }

    fn hxl_sum_of_parts_with_a_part_missing() {
        hxl(
            HxlMapping::new("IOM DTM").parts(HxlParts::Sum),
            "Country,Date,IDPs,Male IDPs,Female IDPs\n#country+code,#date,#affected+idps,#affected+idps+m,#affected+idps+f\nAFG,2017-12-31,1000,480,\nAFG,2018-12-31,1000,480,510\n",
        )
        .records([r#"2018-12-31 AFG AFG idps 990 "IOM DTM""#])
        .reject(3, r#"column "Female IDPs": "" is empty while "Male IDPs" has a value: the parts of a sum must all have values, or none"#)
    }

    fn hxl_summed_rows_that_overflow() {
        hxl(
            HxlMapping::new("IOM DTM").sum_rows(true),
            format!("{HXL_HEADER}2023,AFG,PAK,18446744073709551615,\n2023,AFG,PAK,1,\n"),
        )
        .records([r#"2023-12-31 AFG PAK refugees 18446744073709551615 "IOM DTM""#])
        .reject(4, r#"column "Refugees": "1" makes the sum of the rows for 2023-12-31 AFG PAK refugees overflow (more than 18446744073709551615)"#)
    }

    fn hxl_duplicate_rows() {
        hxl_rows("2023,AFG,PAK,5,\n2023,afghanistan,Pakistan,6,\n")
            .records([r#"2023-12-31 AFG PAK refugees 5 "IOM DTM""#])
            .reject(4, "duplicate of line 3 (same date, origin, host, population and source)")
    }

    fn hxl_mapping_without_a_source() {
        hxl(HxlMapping::new("  "), format!("{HXL_HEADER}2023,AFG,PAK,5,\n")).error(
            "source.csv:2: an HXL import needs a source, the publisher of the figures (HxlMapping::new, --source)",
        )
    }

    fn hxl_pattern_that_is_not_a_pattern() {
        hxl(
            HxlMapping::new("IOM DTM").measure("#affected+", HxlTarget::Registrations(PopulationType::Stateless)),
            format!("{HXL_HEADER}2023,AFG,PAK,5,\n"),
        )
        .error(r##"source.csv:2: "#affected+" is not a tag pattern (an attribute is a letter then letters, digits or _; expected e.g. #affected+idps, #affected+idps-f, or #affected+idps! for no other attributes)"##)
    }

    fn hxl_unbalanced_quote_in_a_country() {
        hxl_rows("2023,AFG,PAK,5,\n2023,AFG,\"IRN,5,\n2023,AFG,TUR,5,\n")
            .records([r#"2023-12-31 AFG PAK refugees 5 "IOM DTM""#])
            .reject(4, "a quoted field opened on this line is never closed (the file ends inside it)")
    }

    fn hxl_ten_megabyte_field() {
        hxl(
            HxlMapping::new("IOM DTM").measure("#affected+returnees", HxlTarget::Deportations(ReturnKind::Returned)),
            format!("{HXL_HEADER}2023,AFG,PAK,5,{}\n2023,AFG,IRN,,6\n", "9".repeat(10 << 20)),
        )
        .records([r#"2023-12-31 2023-01-01 AFG IRN returned 6 None "IOM DTM""#])
        .reject(
            3,
            format!(r#"column "Returnees": "{}..." is 10485760 bytes long (expected at most 1048576)"#, "9".repeat(60)),
        )
    }
}

// ---------------------------------------------------------------------------
// Cases that need more than one file or more than a load.

#[test]
fn duplicate_across_two_files_names_the_first_file() {
    let mut loader = Loader::new().lenient(true);
    let a = format!("{REG_HEADER}2023-12-31,AFG,PAK,refugees,5,UNHCR\n");
    let b = format!(
        "{REG_HEADER}2023-12-31,AFG,IRN,refugees,5,UNHCR\n2023-12-31,AFG,PAK,refugees,5,UNHCR\n"
    );
    loader.read(Table::Registrations, "a.csv", a.as_bytes()).unwrap();
    loader.read(Table::Registrations, "b.csv", b.as_bytes()).unwrap();
    let (_, report) = loader.finish();
    let got: Vec<String> = report.rejections().iter().map(|r| r.to_string()).collect();
    assert_eq!(
        got,
        ["b.csv:3: duplicate of a.csv:2 (same date, origin, host, population and source)"]
    );
}

#[test]
fn huge_header_cell_is_cut_in_the_error() {
    let header = format!("date,origin,host,population,count,{}\n", "n".repeat(10 << 20));
    let err = Loader::new()
        .read(Table::Registrations, "registrations.csv", header.as_bytes())
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.len() < 1000, "a message of {} bytes", msg.len());
    assert_eq!(
        msg,
        format!(
            r#"registrations.csv:1: missing required column "source" (header: date,origin,host,population,count,{}...)"#,
            "n".repeat(60)
        )
    );
}

/// A registrations file of `rows` rows (CRLF or LF line ends), all keys different, larger
/// than one read block of the loader (it may read big files in blocks and
/// parse them in pieces): a count that is no count (row 5), a duplicate of
/// row 10 (row 120 000), a ragged row (150 000), a blank line before row
/// 160 000, a lone CR ending row 170 000, a negative count (the last row),
/// and, if asked, a quoted source with a comma at row `quote_at`. Returns
/// the file, the expected rejections, and the rows and counts loaded.
fn big_registrations(
    rows: usize,
    crlf: bool,
    quote_at: Option<usize>,
) -> (Vec<u8>, Vec<String>, u64, u64) {
    let end: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    let day0 = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let date = |i: usize| (day0 + chrono::Duration::days((i / 7) as i64)).to_string();
    let line = |i: usize| 2 + i as u64 + u64::from(i >= 160_000);
    let mut out = Vec::with_capacity(rows * 42);
    out.extend_from_slice(REG_HEADER.trim_end().as_bytes());
    out.extend_from_slice(end);
    let mut rejections = Vec::new();
    let (mut loaded, mut sum) = (0u64, 0u64);
    for i in 0..rows {
        if i == 160_000 {
            out.extend_from_slice(end);
        }
        let source =
            if Some(i) == quote_at { "\"S,q\"".to_string() } else { format!("S{}", i % 7) };
        let row = match i {
            5 => {
                rejections.push(format!(
                    r#"registrations.csv:{}: column "count": "x" {NOT_A_COUNT}"#,
                    line(i)
                ));
                format!("{},AFG,PAK,refugees,x,{source}", date(i))
            }
            120_000 => {
                rejections.push(format!(
                    "registrations.csv:{}: duplicate of line {} (same date, origin, host, population and source)",
                    line(i),
                    line(10)
                ));
                format!("{},AFG,PAK,refugees,{i},S{}", date(10), 10 % 7)
            }
            150_000 => {
                rejections.push(format!(
                    "registrations.csv:{}: row has 5 fields, expected 6 (as in the header)",
                    line(i)
                ));
                format!("{},AFG,PAK,refugees,{i}", date(i))
            }
            _ if i == rows - 1 => {
                rejections.push(format!(
                    r#"registrations.csv:{}: column "count": "-1" {NOT_A_COUNT}"#,
                    line(i)
                ));
                format!("{},AFG,PAK,refugees,-1,{source}", date(i))
            }
            _ => {
                loaded += 1;
                sum += i as u64;
                format!("{},AFG,PAK,refugees,{i},{source}", date(i))
            }
        };
        out.extend_from_slice(row.as_bytes());
        out.extend_from_slice(if i == 170_000 { b"\r" } else { end });
    }
    (out, rejections, loaded, sum)
}

fn check_big_registrations(crlf: bool, quote_at: Option<usize>) {
    let rows = 300_000;
    let (bytes, want, loaded, sum) = big_registrations(rows, crlf, quote_at);
    assert!(bytes.len() > 10 << 20, "{} bytes", bytes.len());
    let mut loader = Loader::new().lenient(true);
    loader.read(Table::Registrations, "registrations.csv", bytes.as_slice()).unwrap();
    let (ds, report) = loader.finish();
    let got: Vec<String> = report.rejections().iter().map(|r| r.to_string()).collect();
    assert_eq!(got, want);
    assert_eq!(report.rows_read(Table::Registrations), rows as u64);
    assert_eq!(report.loaded(Table::Registrations), loaded);
    assert_eq!(ds.registrations().map(|r| r.count).sum::<u64>(), sum);
    let sources = ds.registrations().filter(|r| r.source == "S,q").count();
    assert_eq!(sources, usize::from(quote_at.is_some()));
    // Strict = first rejection; positions; sizes.
    let checks = invariants::Checks { queries: false, strict: true };
    invariants::check_canonical_limits(
        Table::Registrations,
        |l| Loader::new().lenient(l),
        &bytes,
        checks,
    );
    // And the command line prints the same.
    let dir = TempDir::new("big");
    dir.write("registrations.csv", &bytes);
    let out = Command::new(env!("CARGO_BIN_EXE_refugee-data"))
        .args(["validate", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    let (want_out, want_err, want_code) = expected_validate(Table::Registrations, &bytes);
    assert_eq!(String::from_utf8_lossy(&out.stdout), want_out);
    assert_eq!(String::from_utf8_lossy(&out.stderr), want_err);
    assert_eq!(out.status.code(), Some(want_code));
}

#[test]
fn file_of_many_blocks_keeps_every_row_and_line() {
    check_big_registrations(false, None);
}

#[test]
fn crlf_file_with_a_quote_after_the_first_block_keeps_every_row_and_line() {
    check_big_registrations(true, Some(250_000));
}

#[test]
fn sums_that_overflow_are_an_error() {
    let body = format!(
        "{REG_HEADER}2023-12-31,AFG,PAK,refugees,18446744073709551615,UNHCR\n2023-12-31,AFG,IRN,refugees,1,UNHCR\n"
    );
    let mut loader = Loader::new();
    loader.read(Table::Registrations, "registrations.csv", body.as_bytes()).unwrap();
    let (ds, _) = loader.finish();
    let err = ds.query(&Query::registrations()).unwrap_err();
    assert!(matches!(err, Error::Overflow(_)), "{err:?}");
    assert_eq!(err.to_string(), "the sum of persons in one group does not fit in 64 bits");
    // Each group alone fits.
    let by_host = ds.query(&Query::registrations().by(Dimension::Host)).unwrap();
    assert_eq!(by_host.rows().map(|r| r.value(0)).collect::<Vec<_>>(), [1, u64::MAX]);
}

#[test]
fn million_column_header_is_fast() {
    let header = wide_header("date,origin,host,population,count", 1_000_000);
    let start = Instant::now();
    let err = Loader::new().read(Table::Registrations, "r.csv", header.as_bytes()).unwrap_err();
    assert!(err.to_string().len() < 1000, "{}", err.to_string().len());
    assert!(start.elapsed() < Duration::from_secs(10), "{:?}", start.elapsed());
}

// ---------------------------------------------------------------------------
// Spreadsheet safety (OWASP CSV injection): cells of labels that start with
// `=`, `+`, `-`, `@`, tab or carriage return get a leading `'` when asked.

/// A statements file whose actors start with the characters spreadsheets
/// read as formulas, and whose sources start with `+`. (A leading tab or CR
/// never reaches a label: texts are trimmed on loading, quoted or not; see
/// `leading_tab_and_cr_are_trimmed_on_loading`.)
fn injection_statements() -> String {
    let actors = [
        "=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")",
        "+1+2",
        "-1+2",
        "@SUM(A1:A9)",
        "UNHCR",
        "a=b",
    ];
    let mut s = STM_HEADER.to_string();
    for (i, actor) in actors.iter().enumerate() {
        s.push_str(&format!(
            "2023-11-{:02},\"{actor}\",,,PAK,AFG,appeal,Summary {i},\"+src {i}\",\n",
            i + 1
        ));
    }
    s
}

const INJECTION_UNSAFE_CSV: &str = "actor,statements\n\
+1+2,1\n\
-1+2,1\n\
\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",1\n\
@SUM(A1:A9),1\n\
UNHCR,1\n\
a=b,1\n";

const INJECTION_SAFE_CSV: &str = "actor,statements\n\
'+1+2,1\n\
'-1+2,1\n\
\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",1\n\
'@SUM(A1:A9),1\n\
UNHCR,1\n\
a=b,1\n";

fn injection_dataset() -> Dataset {
    let mut loader = Loader::new();
    loader.read(Table::Statements, "statements.csv", injection_statements().as_bytes()).unwrap();
    loader.finish().0
}

#[test]
fn safe_csv_prefixes_formula_cells_with_a_quote() {
    let ds = injection_dataset();
    let result = ds.query(&Query::statements().by(Dimension::Actor)).unwrap();
    let mut safe = Vec::new();
    result.write_csv_with(&mut safe, true).unwrap();
    assert_eq!(String::from_utf8(safe).unwrap(), INJECTION_SAFE_CSV);
    let mut plain = Vec::new();
    result.write_csv_with(&mut plain, false).unwrap();
    assert_eq!(String::from_utf8(plain.clone()).unwrap(), INJECTION_UNSAFE_CSV);
    let mut default = Vec::new();
    result.write_csv(&mut default).unwrap();
    assert_eq!(default, plain, "write_csv is the plain output");
}

#[test]
fn safe_csv_leaves_measures_and_dates_untouched() {
    let ds = injection_dataset();
    let result = ds.query(&Query::statements().by(Dimension::Month).by(Dimension::Source)).unwrap();
    let mut safe = Vec::new();
    result.write_csv_with(&mut safe, true).unwrap();
    let text = String::from_utf8(safe).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("month,source,statements"));
    for (i, line) in lines.enumerate() {
        assert_eq!(line, format!("2023-11,'+src {i},1"));
    }
}

#[test]
fn leading_tab_and_cr_are_trimmed_on_loading() {
    let body = format!("{STM_HEADER}2023-11-01,\"\t=1+2\",,,PAK,AFG,appeal,A,S,\n2023-11-02,\"\r-3\",,,PAK,AFG,appeal,B,S,\n");
    let mut loader = Loader::new();
    loader.read(Table::Statements, "statements.csv", body.as_bytes()).unwrap();
    let ds = loader.finish().0;
    let result = ds.query(&Query::statements().by(Dimension::Actor)).unwrap();
    let mut safe = Vec::new();
    result.write_csv_with(&mut safe, true).unwrap();
    assert_eq!(String::from_utf8(safe).unwrap(), "actor,statements\n'-3,1\n'=1+2,1\n");
}

#[test]
fn safe_csv_flag_of_the_command_line() {
    let dir = TempDir::new("safe-csv");
    dir.write("statements.csv", injection_statements().as_bytes());
    let args = ["query", "statements", "--by", "actor", "--format", "csv", "--data"];
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_refugee-data"))
            .args(args)
            .arg(dir.path())
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stderr), "");
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(run(&["--safe-csv"]), INJECTION_SAFE_CSV);
    assert_eq!(run(&[]), INJECTION_UNSAFE_CSV);
}

// ---------------------------------------------------------------------------
// The command line on the corpus.

/// A directory under the system's temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir()
            .join(format!("refugee-data-hostile-{}-{tag}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, name: &str, bytes: &[u8]) {
        let mut f = std::fs::File::create(self.0.join(name)).unwrap();
        f.write_all(bytes).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A message as the command line prints it: control characters escaped.
fn escaped(s: &str) -> String {
    refugee_data::escape_controls(s).into_owned()
}

/// What `refugee-data validate` must print for one file of `table`: the
/// error that stopped the file, every rejection, then the counts of the
/// three tables; warnings on stderr. Computed from the library (whose
/// answers the corpus cases check), with the default limits.
fn expected_validate(table: Table, bytes: &[u8]) -> (String, String, i32) {
    let mut loader = Loader::new().lenient(true);
    let result = loader.read(table, table.file_name(), bytes);
    let (_, report) = loader.finish();
    let mut out = String::new();
    if let Err(e) = &result {
        out.push_str(&format!("{}\n", escaped(&e.to_string())));
    }
    for r in report.rejections() {
        out.push_str(&format!("{}\n", escaped(&r.to_string())));
    }
    for t in Table::ALL {
        out.push_str(&format!(
            "{}: {} rows read, {} loaded, {} rejected\n",
            t.file_name(),
            report.rows_read(t),
            report.loaded(t),
            report.rejected(t)
        ));
    }
    let err: String =
        report.warnings().iter().map(|w| format!("warning: {}\n", escaped(w))).collect();
    let code = if result.is_err() || !report.is_clean() { 1 } else { 0 };
    (out, err, code)
}

#[test]
fn validate_prints_every_rejection_of_every_corpus_file() {
    let cases = corpus();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let canonical = cases.iter().filter(|(_, c)| matches!(c().kind, Kind::Canonical(_))).count();
    assert!(canonical >= 60, "{canonical} canonical cases");
    for (name, case) in cases {
        let case = case();
        if !matches!(case.kind, Kind::Canonical(_)) {
            continue;
        }
        let dir = TempDir::new(name);
        dir.write(case.table.file_name(), &case.bytes);
        let out = Command::new(env!("CARGO_BIN_EXE_refugee-data"))
            .args(["validate", "--data"])
            .arg(dir.path())
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{name}: {stderr}");
        let (want_out, want_err, want_code) = expected_validate(case.table, &case.bytes);
        assert_eq!(stdout, want_out, "{name}: stdout");
        assert_eq!(stderr, want_err, "{name}: stderr");
        assert_eq!(out.status.code(), Some(want_code), "{name}: exit code");
    }
}

/// `refugee-data import` on every adapter case of the corpus: UNHCR files
/// with the default options, HXL files with the built-in mapping; an exit
/// code of 0 or 1, and never a panic.
#[test]
fn import_never_panics_on_the_adapter_corpus_files() {
    let mut n = 0;
    for (name, case) in corpus() {
        let case = case();
        let (kind, extra): (&str, &[&str]) = match case.kind {
            Kind::Canonical(_) => continue,
            Kind::Unhcr(_) => ("unhcr", &[]),
            Kind::Hxl(_) => ("hxl", &["--source", "IOM DTM"]),
        };
        n += 1;
        let dir = TempDir::new(name);
        dir.write(invariants::SOURCE_FILE, &case.bytes);
        let out = Command::new(env!("CARGO_BIN_EXE_refugee-data"))
            .args(["import", kind])
            .arg(dir.path().join(invariants::SOURCE_FILE))
            .args(extra)
            .args(["--lenient", "--out"])
            .arg(dir.path().join("out"))
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{name}: {stderr}");
        assert!(matches!(out.status.code(), Some(0 | 1)), "{name}: {:?}: {stderr}", out.status);
    }
    assert!(n >= 30, "{n} adapter cases");
}

#[test]
fn unhcr_million_column_header_error_is_bounded() {
    let header = wide_header("year,coo,coa", 1_000_000);
    let err = import_unhcr(&mut Loader::new(), "p.csv", header.as_bytes(), &UnhcrOptions::new())
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.len() < 4096, "a message of {} bytes", msg.len());
}

#[test]
fn hxl_million_column_report_is_bounded() {
    let mut tags =
        String::from("#date,#country+code+origin,#country+code+asylum,#affected+refugees");
    for i in 0..1_000_000 {
        tags.push_str(&format!(",#c{i}"));
    }
    tags.push('\n');
    let report =
        import_hxl(&mut Loader::new(), "f.csv", tags.as_bytes(), &HxlMapping::new("X")).unwrap();
    assert_eq!(report.skipped_columns().len(), 1_000_000);
    let text = report.to_string();
    assert!(text.len() < 4096, "a report of {} bytes", text.len());
}

#[test]
fn validate_on_a_file_that_cannot_be_read() {
    let dir = TempDir::new("unreadable");
    std::fs::create_dir(dir.path().join("deportations.csv")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_refugee-data"))
        .args(["validate", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "deportations.csv: Is a directory (os error 21)\n\
         registrations.csv: 0 rows read, 0 loaded, 0 rejected\n\
         deportations.csv: 0 rows read, 0 loaded, 0 rejected\n\
         statements.csv: 0 rows read, 0 loaded, 0 rejected\n"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn validate_on_a_missing_directory() {
    let dir = TempDir::new("missing");
    let missing = dir.path().join("nowhere");
    let out = Command::new(env!("CARGO_BIN_EXE_refugee-data"))
        .args(["validate", "--data"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("error: {}: no such directory\n", missing.display())
    );
}
