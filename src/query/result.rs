//! The result of a query: a typed table of labelled keys and measures.

use std::fmt;
use std::io::{self, Write};

use serde::ser::{SerializeMap, SerializeSeq};

use chrono::NaiveDate;

use super::engine::bucket_days;
use super::Dimension;
use crate::{Country, Error};

/// Rows of labelled keys (one per dimension) and measures, sorted by the
/// dimensions in the order given.
///
/// Measures: `persons` and `records` for deportations, `persons` for
/// registrations, `statements` for statements.
///
/// ```
/// use refugee_data::{Dataset, Dimension, Query};
/// let result = Dataset::sample().query(&Query::statements().by(Dimension::Stance))?;
/// let mut csv = Vec::new();
/// result.write_csv(&mut csv)?;
/// assert!(String::from_utf8(csv)?.starts_with("stance,statements\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct QueryResult {
    pub(crate) dimensions: Vec<Dimension>,
    pub(crate) measures: &'static [&'static str],
    /// Row-major: `dimensions.len()` labels a row, each an index into
    /// `labels` (a label that many rows share is stored once).
    pub(crate) keys: Vec<u32>,
    /// The labels the rows refer to.
    pub(crate) labels: Vec<String>,
    /// Row-major: `measures.len()` values a row.
    pub(crate) values: Vec<u64>,
    /// The bucket number of each row, when a dimension is a time bucket.
    pub(crate) buckets: Vec<i64>,
    /// With a time dimension, each row's group: its key in every other
    /// dimension, as a number equal across buckets.
    pub(crate) groups: Vec<u128>,
    /// The derived columns after the measures (`change`, `cumulative`,
    /// `stock`, `per_1000`), in that order where present.
    pub(crate) derived: Vec<&'static str>,
    /// Row-major: `derived.len()` values a row; `None` is an empty cell
    /// (JSON `null`).
    pub(crate) derived_values: Vec<Option<i128>>,
    /// Column names of the labels, where they are not the dimensions' names
    /// (a window's `date`).
    pub(crate) key_names: Option<&'static [&'static str]>,
}

/// Two results are equal when their columns and rows are: the same
/// labels, measures and derived values in the same order.
impl PartialEq for QueryResult {
    fn eq(&self, other: &Self) -> bool {
        self.dimensions == other.dimensions
            && self.measures == other.measures
            && self.key_names == other.key_names
            && self.values == other.values
            && self.buckets == other.buckets
            && self.groups == other.groups
            && self.derived == other.derived
            && self.derived_values == other.derived_values
            && self.keys.len() == other.keys.len()
            && self
                .keys
                .iter()
                .zip(&other.keys)
                .all(|(&a, &b)| self.labels[a as usize] == other.labels[b as usize])
    }
}

impl Eq for QueryResult {}

impl QueryResult {
    /// Adds a label to the current row (one not shared with other rows).
    pub(crate) fn push_label(&mut self, label: String) {
        self.keys.push(self.labels.len() as u32);
        self.labels.push(label);
    }
}

/// One row of a [`QueryResult`]: its labels (one per dimension), measures
/// and derived values.
///
/// ```
/// use refugee_data::{Dataset, Dimension, Query};
/// let q = Query::deportations()
///     .by(Dimension::Quarter)
///     .by(Dimension::Host)
///     .filter(Dimension::Source, ["UNHCR"]);
/// let result = Dataset::sample().query(&q)?;
/// let row = result.rows().next().unwrap();
/// assert_eq!(row.get(1), Some(row.key(1)));
/// assert_eq!(row.get(2), None); // two dimensions only
/// let host = row.country(1).unwrap();
/// assert_eq!(host.alpha3(), row.key(1));
/// let (first, last) = row.bucket(0).unwrap();
/// assert!(first <= last);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResultRow<'a> {
    index: usize,
    keys: &'a [u32],
    values: &'a [u64],
    derived: &'a [Option<i128>],
    result: &'a QueryResult,
}

impl<'a> ResultRow<'a> {
    /// The label of the `i`-th dimension.
    ///
    /// # Panics
    ///
    /// When `i` is not below the number of dimensions; [`ResultRow::get`]
    /// returns `None` instead.
    pub fn key(&self, i: usize) -> &'a str {
        &self.result.labels[self.keys[i] as usize]
    }

    /// The label of the `i`-th dimension; `None` when there is none.
    ///
    /// ```
    /// use refugee_data::{Dataset, Dimension, Query};
    /// let result = Dataset::sample().query(&Query::statements().by(Dimension::Stance))?;
    /// let row = result.rows().next().unwrap();
    /// assert_eq!(row.get(0), Some(row.key(0)));
    /// assert_eq!(row.get(1), None);
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn get(&self, i: usize) -> Option<&'a str> {
        self.keys.get(i).map(|&k| self.result.labels[k as usize].as_str())
    }

    /// The label of the `i`-th dimension as a [`Country`], when that
    /// dimension's values are countries ([`Dimension::is_country`]) and the
    /// row has one there (a statement's target country may be empty).
    ///
    /// ```
    /// use refugee_data::{Dataset, Dimension, Query};
    /// let q = Query::registrations()
    ///     .by(Dimension::Year)
    ///     .by(Dimension::Origin)
    ///     .filter(Dimension::Source, ["UNHCR"]);
    /// let result = Dataset::sample().query(&q)?;
    /// let row = result.rows().next().unwrap();
    /// assert_eq!(row.country(1).map(|c| c.alpha3()), Some(row.key(1)));
    /// assert_eq!(row.country(0), None); // a year is no country
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn country(&self, i: usize) -> Option<Country> {
        if !self.result.dimensions.get(i)?.is_country() {
            return None;
        }
        Country::parse_bytes(self.get(i)?.as_bytes())
    }

    /// The first and last day of the row's bucket in the `i`-th dimension,
    /// when that dimension is a time bucket ([`Dimension::is_time`]): a
    /// week runs from Monday to Sunday, a quarter from its first month's
    /// first day to its last month's last day.
    /// A window's `date` is a one-day bucket.
    ///
    /// ```
    /// use refugee_data::{Dataset, Datelike, Dimension, NaiveDate, Query};
    /// let q = Query::statements().by(Dimension::Stance).by(Dimension::Quarter);
    /// let result = Dataset::sample().query(&q)?;
    /// let row = result.rows().find(|r| r.key(1) == "2023-Q4").unwrap();
    /// let (first, last) = row.bucket(1).unwrap();
    /// assert_eq!(first, NaiveDate::from_ymd_opt(2023, 10, 1).unwrap());
    /// assert_eq!((last.month(), last.day()), (12, 31));
    /// assert_eq!(row.bucket(0), None); // a stance is no time bucket
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn bucket(&self, i: usize) -> Option<(NaiveDate, NaiveDate)> {
        let dimension = *self.result.dimensions.get(i)?;
        if !dimension.is_time() {
            return None;
        }
        match self.result.buckets.get(self.index) {
            Some(&b) => Some(bucket_days(dimension, b)),
            // A window's rows carry their day as a label only.
            None if dimension == Dimension::Day => {
                let day = self.get(i)?.parse::<NaiveDate>().ok()?;
                Some((day, day))
            }
            None => None,
        }
    }

    /// The cell of column `c` of [`QueryResult::columns`] (labels, then
    /// measures, then derived columns); `None` past the last column.
    ///
    /// ```
    /// use refugee_data::{Cell, Dataset, Dimension, Query};
    /// let result = Dataset::sample().query(&Query::statements().by(Dimension::Year))?;
    /// let row = result.rows().next().unwrap();
    /// assert_eq!(row.cell(0), Some(Cell::Label("2023")));
    /// assert!(matches!(row.cell(1), Some(Cell::Measure(n)) if n > 0));
    /// assert_eq!(row.cell(2), None);
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn cell(&self, c: usize) -> Option<Cell<'a>> {
        let (nd, nm) = (self.keys.len(), self.values.len());
        if c < nd {
            Some(Cell::Label(self.key(c)))
        } else if c < nd + nm {
            Some(Cell::Measure(self.values[c - nd]))
        } else {
            self.derived.get(c - nd - nm).map(|v| Cell::Derived(*v))
        }
    }

    /// All labels, in dimension order.
    ///
    /// ```
    /// use refugee_data::{Dataset, Dimension, Query};
    /// let q = Query::statements().by(Dimension::Year).by(Dimension::Stance);
    /// let result = Dataset::sample().query(&q)?;
    /// let row = result.rows().next().unwrap();
    /// let keys: Vec<&str> = row.keys().collect();
    /// assert_eq!(keys, [row.key(0), row.key(1)]);
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        let labels = &self.result.labels;
        self.keys.iter().map(move |&k| labels[k as usize].as_str())
    }

    /// The `i`-th measure.
    pub fn value(&self, i: usize) -> u64 {
        self.values[i]
    }

    /// All measures, in the order of [`QueryResult::measures`].
    pub fn values(&self) -> &'a [u64] {
        self.values
    }

    /// The measure called `name` (`persons`, `records`, `statements`).
    pub fn measure(&self, name: &str) -> Option<u64> {
        self.result.measures.iter().position(|m| *m == name).map(|i| self.values[i])
    }

    /// The derived column called `name` (`change`, `cumulative`, `stock`,
    /// `per_1000`): `None` when the query has no such column or the cell is
    /// empty (no row for the previous bucket, no stock series).
    pub fn derived(&self, name: &str) -> Option<i128> {
        let i = self.result.derived.iter().position(|d| *d == name)?;
        self.derived[i]
    }

    /// `change`: the first measure minus that of the same group in the
    /// preceding bucket; `None` when the result has no row there.
    ///
    /// ```
    /// use refugee_data::{Dataset, Derived, Dimension, Query};
    /// let q = Query::registrations()
    ///     .by(Dimension::Year)
    ///     .filter(Dimension::Origin, ["AFG"])
    ///     .filter(Dimension::Host, ["PAK"])
    ///     .filter(Dimension::Population, ["refugees"])
    ///     .filter(Dimension::Source, ["UNHCR"])
    ///     .from("2022-01-01".parse()?)
    ///     .with(Derived::Change);
    /// let result = Dataset::sample().query(&q)?;
    /// let changes: Vec<Option<i128>> = result.rows().map(|r| r.change()).collect();
    /// assert_eq!(changes[..2], [None, Some(1_987_717 - 1_743_278)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn change(&self) -> Option<i128> {
        self.derived("change")
    }

    /// `cumulative`: the running sum of the first measure over the group's
    /// rows, in bucket order, this row included.
    pub fn cumulative(&self) -> Option<u64> {
        self.derived("cumulative").and_then(|v| u64::try_from(v).ok())
    }

    /// `stock`: the registrations stock the row's flow is compared with.
    pub fn stock(&self) -> Option<u64> {
        self.derived("stock").and_then(|v| u64::try_from(v).ok())
    }

    /// `per_1000`: persons per 1,000 of the stock, rounded down.
    pub fn per_1000(&self) -> Option<u64> {
        self.derived("per_1000").and_then(|v| u64::try_from(v).ok())
    }

    /// The derived values, in the order of [`QueryResult::derived_columns`].
    pub fn derived_values(&self) -> &'a [Option<i128>] {
        self.derived
    }
}

/// One cell of a [`QueryResult`], typed by the kind of its column.
///
/// `Display` writes it as the CSV output does (an empty derived cell as
/// nothing).
///
/// ```
/// use refugee_data::Cell;
/// assert_eq!(Cell::Label("2023").as_label(), Some("2023"));
/// assert_eq!(Cell::Measure(7).as_measure(), Some(7));
/// assert_eq!(Cell::Derived(Some(-3)).as_derived(), Some(Some(-3)));
/// assert_eq!(Cell::Derived(None).to_string(), "");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cell<'a> {
    /// The label of a dimension (`2023-11`, `AFG`, `refugees`).
    Label(&'a str),
    /// A measure (`persons`, `records`, `statements`).
    Measure(u64),
    /// A derived value (`change`, `cumulative`, `stock`, `per_1000`);
    /// `None` is an empty cell.
    Derived(Option<i128>),
}

impl<'a> Cell<'a> {
    /// The label, for a dimension's cell.
    pub fn as_label(self) -> Option<&'a str> {
        match self {
            Cell::Label(s) => Some(s),
            _ => None,
        }
    }

    /// The number, for a measure's cell.
    pub fn as_measure(self) -> Option<u64> {
        match self {
            Cell::Measure(v) => Some(v),
            _ => None,
        }
    }

    /// The value (itself `None` when empty), for a derived column's cell.
    pub fn as_derived(self) -> Option<Option<i128>> {
        match self {
            Cell::Derived(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Cell<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Label(s) => f.write_str(s),
            Cell::Measure(v) => write!(f, "{v}"),
            Cell::Derived(Some(v)) => write!(f, "{v}"),
            Cell::Derived(None) => Ok(()),
        }
    }
}

impl QueryResult {
    /// The cells of the column called `name` (as in [`QueryResult::columns`]),
    /// one a row, in row order; `None` when there is no such column.
    ///
    /// ```
    /// use refugee_data::{Cell, Dataset, Derived, Dimension, Query};
    /// let q = Query::statements().by(Dimension::Year).with(Derived::Cumulative);
    /// let result = Dataset::sample().query(&q)?;
    /// let years: Vec<&str> =
    ///     result.column("year").unwrap().filter_map(Cell::as_label).collect();
    /// assert_eq!(years[0], "2023");
    /// let counts: Vec<u64> =
    ///     result.column("statements").unwrap().filter_map(Cell::as_measure).collect();
    /// assert_eq!(counts.iter().sum::<u64>(), 30);
    /// let last = result.column("cumulative").unwrap().last();
    /// assert_eq!(last, Some(Cell::Derived(Some(30))));
    /// assert!(result.column("persons").is_none());
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn column(&self, name: &str) -> Option<impl ExactSizeIterator<Item = Cell<'_>> + '_> {
        let c = self.columns().iter().position(|n| *n == name)?;
        Some(self.rows().map(move |r| r.cell(c).expect("the column exists in every row")))
    }

    /// The dimensions, in the order given.
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    /// The measure names.
    pub fn measures(&self) -> &[&'static str] {
        self.measures
    }

    /// The derived columns (`change`, `cumulative`, `stock`, `per_1000`)
    /// the query asked for, in that order.
    pub fn derived_columns(&self) -> &[&'static str] {
        &self.derived
    }

    /// Column names: the dimensions, then the measures, then the derived columns.
    pub fn columns(&self) -> Vec<&str> {
        let names: Vec<&str> = match self.key_names {
            Some(names) => names.to_vec(),
            None => self.dimensions.iter().map(|d| d.name()).collect(),
        };
        names
            .into_iter()
            .chain(self.measures.iter().copied())
            .chain(self.derived.iter().copied())
            .collect()
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.values.len() / self.measures.len()
    }

    /// True when no group matched.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The rows, in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = ResultRow<'_>> + '_ {
        let (nd, nm, nx) = (self.dimensions.len(), self.measures.len(), self.derived.len());
        (0..self.len()).map(move |i| ResultRow {
            index: i,
            keys: &self.keys[i * nd..(i + 1) * nd],
            values: &self.values[i * nm..(i + 1) * nm],
            derived: &self.derived_values[i * nx..(i + 1) * nx],
            result: self,
        })
    }

    /// Writes the result as CSV: a header of the column names, one line a row.
    ///
    /// # Errors
    ///
    /// When writing fails.
    pub fn write_csv<W: Write>(&self, out: W) -> Result<(), Error> {
        self.write_csv_with(out, false)
    }

    /// Writes CSV with spreadsheet formula injection neutralised when `safe`:
    /// a label starting with `=`, `+`, `-`, `@`, tab or carriage return is
    /// prefixed with `'` (OWASP's advice), so spreadsheets show it as text.
    ///
    /// # Errors
    ///
    /// When writing fails.
    pub fn write_csv_with<W: Write>(&self, out: W, safe: bool) -> Result<(), Error> {
        let mut w =
            csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
        // The I/O error itself where there is one, so that a closed pipe
        // stays recognisable as one.
        let io = |e: csv::Error| {
            let source = match e.into_kind() {
                csv::ErrorKind::Io(e) => e,
                other => io::Error::other(format!("{other:?}")),
            };
            Error::Io { file: "output".into(), source }
        };
        w.write_record(self.columns()).map_err(io)?;
        let mut record: Vec<String> = Vec::new();
        for row in self.rows() {
            record.clear();
            for k in row.keys() {
                record.push(if safe { neutralise(k) } else { k.to_owned() });
            }
            record.extend(row.values.iter().map(u64::to_string));
            record.extend(row.derived.iter().map(|v| v.map_or(String::new(), |v| v.to_string())));
            w.write_record(&record).map_err(io)?;
        }
        w.flush().map_err(|e| Error::Io { file: "output".into(), source: e })
    }

    /// Writes the result as a JSON array of objects keyed by column name;
    /// labels are strings, measures numbers.
    ///
    /// # Errors
    ///
    /// When writing fails.
    pub fn write_json<W: Write>(&self, mut out: W) -> Result<(), Error> {
        let wrap = |e: io::Error| Error::Io { file: "output".into(), source: e };
        let columns = self.columns();
        let (nd, nm) = (self.dimensions.len(), self.measures.len());
        out.write_all(b"[").map_err(wrap)?;
        for (i, row) in self.rows().enumerate() {
            let mut line = String::from(if i == 0 { "\n  {" } else { ",\n  {" });
            for (c, name) in columns.iter().enumerate() {
                if c > 0 {
                    line.push_str(", ");
                }
                json_string(&mut line, name);
                line.push_str(": ");
                if c < nd {
                    json_string(&mut line, row.key(c));
                } else if c < nd + nm {
                    line.push_str(&row.values[c - nd].to_string());
                } else {
                    line.push_str(
                        &row.derived[c - nd - nm].map_or("null".into(), |v| v.to_string()),
                    );
                }
            }
            line.push('}');
            out.write_all(line.as_bytes()).map_err(wrap)?;
        }
        out.write_all(if self.is_empty() { b"]\n" } else { b"\n]\n" }).map_err(wrap)
    }
}

fn neutralise(s: &str) -> String {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// An aligned terminal table: labels left-aligned, numbers right-aligned
/// with thousands separators; control characters in labels (which come
/// from files) shown escaped, as `\x1b`.
///
/// ```
/// use refugee_data::{Loader, Query, Table, Dimension};
/// let csv = "date,origin,host,population,count,source\n2023-12-31,AFG,PAK,refugees,5,\u{1b}[2JX\n";
/// let mut loader = Loader::new();
/// loader.read(Table::Registrations, "registrations.csv", csv.as_bytes())?;
/// let (ds, _) = loader.finish();
/// let table = ds.query(&Query::registrations().by(Dimension::Source))?.to_string();
/// assert!(table.contains("\\x1b[2JX") && !table.contains('\u{1b}'));
/// # Ok::<(), refugee_data::Error>(())
/// ```
impl fmt::Display for QueryResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns = self.columns();
        let nd = self.dimensions.len();
        let cells: Vec<Vec<String>> = self
            .rows()
            .map(|r| {
                let values = r.values.iter().map(|v| thousands(*v));
                let derived = r.derived.iter().map(|v| v.map_or(String::new(), signed_thousands));
                // Labels come from files: control characters are shown
                // escaped, so that a cell cannot drive the terminal.
                r.keys()
                    .map(|k| escape_controls(k).into_owned())
                    .chain(values)
                    .chain(derived)
                    .collect()
            })
            .collect();
        let widths: Vec<usize> = (0..columns.len())
            .map(|c| {
                cells
                    .iter()
                    .map(|r| r[c].chars().count())
                    .chain([columns[c].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |f: &mut fmt::Formatter<'_>, cells: &[&str]| -> fmt::Result {
            let mut s = String::new();
            for (c, cell) in cells.iter().enumerate() {
                if c > 0 {
                    s.push_str("  ");
                }
                let pad = widths[c] - cell.chars().count();
                if c < nd {
                    s.push_str(cell);
                    s.push_str(&" ".repeat(pad));
                } else {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(cell);
                }
            }
            writeln!(f, "{}", s.trim_end())
        };
        line(f, &columns)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(f, &rule.iter().map(String::as_str).collect::<Vec<_>>())?;
        for r in &cells {
            line(f, &r.iter().map(String::as_str).collect::<Vec<_>>())?;
        }
        Ok(())
    }
}

/// A count with thousands separators, as the terminal table of a
/// [`QueryResult`] shows its measures (and the `refugee-data` command line
/// its counts).
///
/// ```
/// assert_eq!(refugee_data::thousands(1_987_717), "1,987,717");
/// assert_eq!(refugee_data::thousands(999), "999");
/// ```
pub fn thousands(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `s` with control characters other than tab escaped (`\x1b`, `\x0a`,
/// `\u{9b}`), so that a value from a file shown at a terminal cannot move
/// the cursor, clear the screen or break a one-line message. The table
/// view and the command line's messages show values this way.
///
/// ```
/// assert_eq!(refugee_data::escape_controls("\u{1b}[2JX\tY"), "\\x1b[2JX\tY");
/// assert_eq!(refugee_data::escape_controls("UNHCR"), "UNHCR");
/// ```
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    let escaped = |c: char| c.is_control() && c != '\t';
    if !s.chars().any(escaped) {
        return s.into();
    }
    s.chars()
        .map(|c| match c {
            c if !escaped(c) => c.to_string(),
            c if (c as u32) < 0x80 => format!("\\x{:02x}", c as u32),
            c => format!("\\u{{{:x}}}", c as u32),
        })
        .collect::<String>()
        .into()
}

/// `-12345` as `-12,345`.
fn signed_thousands(v: i128) -> String {
    let sign = if v < 0 { "-" } else { "" };
    match u64::try_from(v.unsigned_abs()) {
        Ok(m) => format!("{sign}{}", thousands(m)),
        Err(_) => v.to_string(),
    }
}

/// Serialises as a sequence of maps from column name to label or measure.
impl serde::Serialize for QueryResult {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let columns = self.columns();
        let (nd, nm) = (self.dimensions.len(), self.measures.len());
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for row in self.rows() {
            seq.serialize_element(&SerRow { columns: &columns, nd, nm, row })?;
        }
        seq.end()
    }
}

struct SerRow<'a> {
    columns: &'a [&'a str],
    nd: usize,
    nm: usize,
    row: ResultRow<'a>,
}

impl serde::Serialize for SerRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.columns.len()))?;
        for (c, name) in self.columns.iter().enumerate() {
            if c < self.nd {
                map.serialize_entry(name, self.row.key(c))?;
            } else if c < self.nd + self.nm {
                map.serialize_entry(name, &self.row.values[c - self.nd])?;
            } else {
                // i128 is not in every serde format: the values fit i64 or u64.
                match self.row.derived[c - self.nd - self.nm] {
                    None => map.serialize_entry(name, &None::<i64>)?,
                    Some(v) => match i64::try_from(v) {
                        Ok(v) => map.serialize_entry(name, &v)?,
                        Err(_) => map.serialize_entry(name, &(v as u64))?,
                    },
                }
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(keys: Vec<u32>, labels: &[&str]) -> QueryResult {
        QueryResult {
            dimensions: vec![Dimension::Host],
            measures: &["persons"],
            keys,
            labels: labels.iter().map(|l| l.to_string()).collect(),
            values: vec![1, 2],
            buckets: Vec::new(),
            groups: Vec::new(),
            derived: Vec::new(),
            derived_values: Vec::new(),
            key_names: None,
        }
    }

    #[test]
    fn results_are_equal_by_their_labels_not_by_how_they_are_stored() {
        let shared = result(vec![0, 0], &["PAK"]);
        let apart = result(vec![0, 1], &["PAK", "PAK"]);
        let swapped = result(vec![1, 0], &["PAK", "IRN"]);
        assert_eq!(shared, apart);
        assert_ne!(shared, swapped);
        assert_eq!(swapped.rows().map(|r| r.key(0)).collect::<Vec<_>>(), ["IRN", "PAK"]);
        let mut csv = Vec::new();
        apart.write_csv(&mut csv).unwrap();
        assert_eq!(String::from_utf8(csv).unwrap(), "host,persons\nPAK,1\nPAK,2\n");
    }
}
