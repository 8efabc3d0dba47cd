//! The invariants that every input must keep (DESIGN §2), shared by the
//! cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`), the fuzz regression tests
//! (`tests/fuzz_regressions.rs`), the mutation test (`tests/mutation.rs`) and
//! the hostile-input corpus (`tests/hostile.rs`), which include this file
//! with `#[path]`. For the canonical loader and for the source adapters
//! (`import_unhcr`, `import_hxl`, whose import report must agree with the
//! loader's):
//!
//! * no panic (the caller runs the input; a panic fails the fuzzer or test);
//! * `loaded + rejected = rows read`, and `loaded` is the number of records
//!   the dataset holds;
//! * the strict loader fails exactly when the lenient one rejects a row or
//!   reports an error, and its error is the lenient loader's first rejection
//!   (or the same error);
//! * when both succeed they hold the same records;
//! * no row is lost or merged: an independent reading of the file's records
//!   ([`record_lines`]) finds as many records after the header as the loader
//!   read rows, and every rejection names the file and the line on which a
//!   record starts, in file order;
//! * every message (rejection, warning, error) is of bounded size, whatever
//!   the size of the input.
#![allow(dead_code)]

use refugee_data::{
    import_hxl, import_unhcr, Dataset, Error, HxlMapping, HxlParts, ImportReport, LoadReport,
    Loader, Query, Table, UnhcrOptions,
};

/// The largest message a rejection or warning may print, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 16 << 10;

/// Small limits, to exercise the field and record size checks on small inputs.
pub const SMALL_FIELD_BYTES: usize = 64;
/// See [`SMALL_FIELD_BYTES`].
pub const SMALL_RECORD_BYTES: usize = 256;

/// What one lenient load of one file gave.
#[derive(Debug)]
pub struct Outcome {
    /// The error that stopped the file, if any.
    pub error: Option<String>,
    /// Rows read, loaded and rejected.
    pub read: u64,
    /// Rows that became records.
    pub loaded: u64,
    /// Rows rejected.
    pub rejected: u64,
    /// The rejections, as printed.
    pub rejections: Vec<String>,
    /// The warnings.
    pub warnings: Vec<String>,
}

/// Fuzz entry point for the canonical loader: the first byte chooses the
/// table (`% 3`) and whether small size limits apply (`& 0x80`); the rest is
/// the file.
pub fn canonical(data: &[u8]) {
    let Some((&selector, content)) = data.split_first() else { return };
    let table = Table::ALL[(selector % 3) as usize];
    let small = selector & 0x80 != 0;
    check_canonical(table, small, content);
}

fn loader(lenient: bool, small: bool) -> Loader {
    let loader = Loader::new().lenient(lenient);
    if small {
        loader.max_field_bytes(SMALL_FIELD_BYTES).max_record_bytes(SMALL_RECORD_BYTES)
    } else {
        loader
    }
}

/// Loads `content` as `table`'s file leniently and strictly and checks every
/// invariant; returns the lenient outcome.
pub fn check_canonical(table: Table, small: bool, content: &[u8]) -> Outcome {
    check_canonical_with(table, small, content, Checks::ALL)
}

/// Which of the costlier checks to run besides the lenient load.
#[derive(Clone, Copy, Debug)]
pub struct Checks {
    /// Query what was loaded.
    pub queries: bool,
    /// Load strictly too and compare.
    pub strict: bool,
}

impl Checks {
    /// Every check.
    pub const ALL: Checks = Checks { queries: true, strict: true };
}

/// As [`check_canonical`], with a choice of [`Checks`].
pub fn check_canonical_with(table: Table, small: bool, content: &[u8], checks: Checks) -> Outcome {
    check_canonical_limits(table, |lenient| loader(lenient, small), content, checks)
}

/// As [`check_canonical_with`], with loaders made by `make(lenient)`.
pub fn check_canonical_limits(
    table: Table,
    make: impl Fn(bool) -> Loader,
    content: &[u8],
    checks: Checks,
) -> Outcome {
    let file = table.file_name();
    let mut lenient = make(true);
    let lenient_result = lenient.read(table, file, content);
    let (lenient_ds, report) = lenient.finish();
    let outcome = check_report(table, &lenient_ds, &report, lenient_result, content);
    if checks.queries {
        query_everything(&lenient_ds, table);
    }
    if !checks.strict {
        return outcome;
    }

    let mut strict = make(false);
    let strict_result = strict.read(table, file, content);
    let (strict_ds, _) = strict.finish();
    match (&outcome.error, outcome.rejections.first(), strict_result) {
        (None, None, Ok(())) => {
            assert!(
                lenient_ds.len(table) == strict_ds.len(table)
                    && records(&lenient_ds, table) == records(&strict_ds, table),
                "strict and lenient loads of a clean file differ"
            );
        }
        (_, Some(first), Err(e)) => {
            assert!(matches!(e, Error::Rejected(_)), "strict error is no rejection: {e:?}");
            assert_eq!(&e.to_string(), first, "strict error is not the first rejection");
        }
        (Some(error), None, Err(e)) => {
            assert_eq!(&e.to_string(), error, "strict and lenient errors differ")
        }
        (error, first, Ok(())) => {
            panic!("strict load succeeded where the lenient one gave {error:?} / {first:?}")
        }
        (None, None, Err(e)) => panic!("strict load failed on a clean file: {e}"),
    }
    outcome
}

/// Checks a lenient report against its dataset and input (one file of
/// `table` read into a fresh loader) and returns it as an [`Outcome`].
pub fn check_report(
    table: Table,
    ds: &Dataset,
    report: &LoadReport,
    result: Result<(), Error>,
    content: &[u8],
) -> Outcome {
    let (read, loaded, rejected) =
        (report.rows_read(table), report.loaded(table), report.rejected(table));
    assert_eq!(loaded + rejected, read, "loaded + rejected = rows read");
    assert_eq!(loaded as usize, ds.len(table), "loaded = records held");
    assert_eq!(rejected as usize, report.rejections().len(), "one rejection per rejected row");
    // Every row is a record of the file, on the line where that record starts
    // (an independent reading of the records: see `record_lines`), in order.
    let lines = record_lines(content);
    let data_lines = lines.get(1..).unwrap_or_default();
    if result.is_ok() && !lines.is_empty() {
        assert_eq!(read, data_lines.len() as u64, "rows read = records after the header");
    }
    let mut next = data_lines.iter();
    for r in report.rejections() {
        assert_eq!(r.file(), table.file_name());
        assert!(
            next.any(|&l| l == r.line()),
            "line {} is no record's first line after the previous rejection's: {r} (records \
             start on {:?})",
            r.line(),
            &data_lines[..data_lines.len().min(20)]
        );
    }
    let rejections: Vec<String> = report.rejections().iter().map(|r| r.to_string()).collect();
    for m in rejections.iter().chain(report.warnings()) {
        assert!(m.len() <= MAX_MESSAGE_BYTES, "a message of {} bytes", m.len());
    }
    let error = result.err().map(|e| e.to_string());
    if let Some(e) = &error {
        assert!(e.len() <= MAX_MESSAGE_BYTES, "an error of {} bytes", e.len());
    }
    let warnings = report.warnings().to_vec();
    Outcome { error, read, loaded, rejected, rejections, warnings }
}

/// Runs a few queries over what was loaded: they may fail (overflow), never panic.
pub fn query_everything(ds: &Dataset, table: Table) {
    use refugee_data::Dimension;
    let mut q = Query::new(table).by(Dimension::Year);
    for &d in Dimension::categorical(table).iter().take(2) {
        q = q.by(d);
    }
    if let Ok(result) = ds.query(&q) {
        let _ = result.to_string();
        let mut out = Vec::new();
        let _ = result.write_csv_with(&mut out, true);
    }
    let _ = ds.query(&Query::new(table));
}

/// Every record of `table`, printed, for comparisons.
pub fn records(ds: &Dataset, table: Table) -> Vec<String> {
    match table {
        Table::Registrations => ds.registrations().map(|r| format!("{r:?}")).collect(),
        Table::Deportations => ds.deportations().map(|r| format!("{r:?}")).collect(),
        Table::Statements => ds.statements().map(|r| format!("{r:?}")).collect(),
    }
}

// ---------------------------------------------------------------------------
// The source adapters.

/// The name the adapters' inputs are given in messages.
pub const SOURCE_FILE: &str = "source.csv";

/// What one lenient import gave.
#[derive(Debug)]
pub struct ImportOutcome {
    /// The error that stopped the import, if any.
    pub error: Option<String>,
    /// The import's report, when it finished.
    pub report: Option<ImportReport>,
    /// The rejections, as printed.
    pub rejections: Vec<String>,
    /// Registrations, then deportation events, as `records` prints them.
    pub records: Vec<String>,
}

/// Fuzz entry point for the UNHCR adapter: the first byte chooses the
/// options (`& 1` mid-year, `& 2` years 2000..=2010, `& 0x80` small limits).
pub fn unhcr(data: &[u8]) {
    let Some((&selector, content)) = data.split_first() else { return };
    let mut options = UnhcrOptions::new().mid_year(selector & 1 != 0);
    if selector & 2 != 0 {
        options = options.years(2000..=2010);
    }
    check_import(selector & 0x80 != 0, content, |loader, file, bytes| {
        import_unhcr(loader, file, bytes, &options)
    });
}

/// Fuzz entry point for the HXL reader: the first byte chooses the mapping
/// (`& 3` parts: none, total, sum; `& 4` sum rows; `& 8` a filter on
/// `#adm+level`; `& 0x10` a measure pattern taken from the input's first
/// line, the rest being the file; `& 0x80` small limits).
pub fn hxl(data: &[u8]) {
    let Some((&selector, mut content)) = data.split_first() else { return };
    let mut mapping = HxlMapping::new("IOM DTM");
    match selector & 3 {
        1 => mapping = mapping.parts(HxlParts::Total),
        2 => mapping = mapping.parts(HxlParts::Sum),
        _ => {}
    }
    mapping = mapping.sum_rows(selector & 4 != 0);
    if selector & 8 != 0 {
        mapping = mapping.filter("#adm+level", "0");
    }
    if selector & 0x10 != 0 {
        let end = content.iter().position(|&b| b == b'\n').unwrap_or(content.len());
        let pattern = String::from_utf8_lossy(&content[..end]).into_owned();
        content = content.get(end + 1..).unwrap_or_default();
        let target = refugee_data::HxlTarget::Deportations(refugee_data::ReturnKind::Deported);
        mapping = mapping.measure(&pattern, target).date(if selector & 0x20 != 0 {
            "#date+reported"
        } else {
            "#date"
        });
    }
    check_import(selector & 0x80 != 0, content, |loader, file, bytes| {
        import_hxl(loader, file, bytes, &mapping)
    });
}

/// Imports `content` into a fresh lenient loader and a fresh strict one and
/// checks the invariants; returns the lenient outcome.
pub fn check_import(
    small: bool,
    content: &[u8],
    import: impl Fn(&mut Loader, &str, &[u8]) -> Result<ImportReport, Error>,
) -> ImportOutcome {
    check_import_with(|lenient| loader(lenient, small), content, import)
}

/// As [`check_import`], with loaders made by `make(lenient)`.
pub fn check_import_with(
    make: impl Fn(bool) -> Loader,
    content: &[u8],
    import: impl Fn(&mut Loader, &str, &[u8]) -> Result<ImportReport, Error>,
) -> ImportOutcome {
    let file = SOURCE_FILE;
    let mut lenient = make(true);
    let result = import(&mut lenient, file, content);
    let (ds, load) = lenient.finish();
    let lines = record_lines(content);
    let mut rejected = 0;
    for table in [Table::Registrations, Table::Deportations, Table::Statements] {
        let (read, loaded) = (load.rows_read(table), load.loaded(table));
        assert_eq!(loaded + load.rejected(table), read, "loaded + rejected = read ({table})");
        assert_eq!(loaded as usize, ds.len(table), "loaded = records held ({table})");
        rejected += load.rejected(table);
    }
    assert_eq!(load.rows_read(Table::Statements), 0, "no adapter makes statements");
    assert_eq!(rejected as usize, load.rejections().len(), "one rejection a rejected record");
    let mut last = 0;
    for r in load.rejections() {
        assert_eq!(r.file(), file);
        assert!(lines.contains(&r.line()), "line {} is no record's first line: {r}", r.line());
        assert!(r.line() >= last, "lines go back: {} after {last}", r.line());
        last = r.line();
    }
    let rejections: Vec<String> = load.rejections().iter().map(|r| r.to_string()).collect();
    for m in rejections.iter().chain(load.warnings()) {
        assert!(m.len() <= MAX_MESSAGE_BYTES, "a message of {} bytes", m.len());
    }
    let error = result.as_ref().err().map(|e| e.to_string());
    if let Some(e) = &error {
        assert!(e.len() <= MAX_MESSAGE_BYTES, "an error of {} bytes", e.len());
    }
    let report = result.ok();
    if let Some(report) = &report {
        assert_eq!(report.registrations(), load.loaded(Table::Registrations));
        assert_eq!(report.deportations(), load.loaded(Table::Deportations));
        assert_eq!(
            report.rows_rejected() + report.duplicates(),
            rejected,
            "rows rejected + duplicates = rejections"
        );
        assert!(report.rows_rejected() + report.rows_skipped() <= report.rows_read());
        assert!(report.closing_zeros() <= report.registrations());
        let _ = report.to_string();
    }
    for table in [Table::Registrations, Table::Deportations] {
        query_everything(&ds, table);
    }
    let mut records = records(&ds, Table::Registrations);
    records.extend(self::records(&ds, Table::Deportations));

    let mut strict = make(false);
    let strict_result = import(&mut strict, file, content);
    let (strict_ds, _) = strict.finish();
    match (&error, rejections.first(), strict_result) {
        (None, None, Ok(strict_report)) => {
            assert_eq!(Some(&strict_report), report.as_ref(), "strict and lenient reports differ");
            let mut strict_records = self::records(&strict_ds, Table::Registrations);
            strict_records.extend(self::records(&strict_ds, Table::Deportations));
            assert!(strict_records == records, "strict and lenient imports differ");
        }
        (_, Some(first), Err(e)) => {
            assert!(matches!(e, Error::Rejected(_)), "strict error is no rejection: {e:?}");
            assert_eq!(&e.to_string(), first, "strict error is not the first rejection");
        }
        (Some(error), None, Err(e)) => {
            assert_eq!(&e.to_string(), error, "strict and lenient errors differ")
        }
        (error, first, Ok(_)) => {
            panic!("strict import succeeded where the lenient one gave {error:?} / {first:?}")
        }
        (None, None, Err(e)) => panic!("strict import failed on a clean file: {e}"),
    }
    ImportOutcome { error, report, rejections, records }
}

/// The physical line on which each record of `content` starts, read
/// independently of the library, as RFC 4180 and the `csv` crate read
/// records: lines end at LF, CRLF or a lone CR; a quote opens a quoted field
/// only at the start of a field, and `""` inside one is a quote; line ends
/// inside quotes are part of the field; empty lines are no records.
pub fn record_lines(content: &[u8]) -> Vec<u64> {
    let mut starts = Vec::new();
    let mut line = 1;
    let mut in_record = false;
    let mut at_field_start = true;
    let mut quoted = false;
    // A UTF-8 byte-order mark at the very start marks the encoding; it is
    // no content (a file of a mark and a line end starts with a blank line).
    let mut i = if content.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    while i < content.len() {
        let b = content[i];
        let ends_line = b == b'\n' || (b == b'\r' && content.get(i + 1) != Some(&b'\n'));
        if quoted {
            if b == b'"' {
                if content.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'\n' || b == b'\r' {
            in_record = false;
            at_field_start = true;
        } else {
            if !in_record {
                in_record = true;
                starts.push(line);
            }
            match b {
                b'"' if at_field_start => quoted = true,
                b',' => {
                    at_field_start = true;
                    i += 1;
                    continue;
                }
                _ => {}
            }
            at_field_start = false;
        }
        if ends_line {
            line += 1;
        }
        i += 1;
    }
    starts
}
