//! The crate's error type.

use std::io;

use std::fmt;

use crate::{Country, Dimension, PopulationType, Rejection, ReturnKind};

/// Two sources whose figures one output group of a query would add: the
/// figures of one stock population, or of one flow, from two organisations
/// that counted the same people. A query refuses to add them silently;
/// group or filter by source to see each.
///
/// ```
/// use refugee_data::{Dataset, Error, Loader, Query, Table};
/// let csv = "date,origin,host,kind,count,source\n\
///            2023-11-01,AFG,PAK,returned,17000,IOM DTM\n\
///            2023-11-01,AFG,PAK,returned,24000,Government of Pakistan\n";
/// let mut loader = Loader::new();
/// loader.read(Table::Deportations, "deportations.csv", csv.as_bytes())?;
/// let (ds, _) = loader.finish();
/// let Err(Error::SourceAmbiguity(conflict)) = ds.query(&Query::deportations()) else {
///     panic!("two sources must not be added");
/// };
/// assert_eq!(conflict.sources, ["Government of Pakistan", "IOM DTM"]);
/// assert_eq!(conflict.origin.alpha3(), "AFG");
/// assert!(conflict.to_string().ends_with("; group or filter by source to see each"));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SourceConflict {
    /// The origin of the people counted.
    pub origin: Country,
    /// The host country.
    pub host: Country,
    /// The population, for stocks (registrations).
    pub population: Option<PopulationType>,
    /// The return kind, for flows (deportations).
    pub kind: Option<ReturnKind>,
    /// The output group: each dimension of the query with its label (empty
    /// without dimensions).
    pub group: Vec<(Dimension, String)>,
    /// The two sources, in byte order.
    pub sources: [String; 2],
}

impl fmt::Display for SourceConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let group = if self.group.is_empty() {
            String::new()
        } else {
            let named: Vec<String> = self.group.iter().map(|(d, l)| format!("{d}={l}")).collect();
            format!(" in group {}", named.join(", "))
        };
        let [a, b] = &self.sources;
        match (self.population, self.kind) {
            (Some(p), _) => write!(
                f,
                "two sources for one population would be added: {p} of origin {} in host {}{group} come from both \"{a}\" and \"{b}\"",
                self.origin, self.host
            )?,
            (None, kind) => write!(
                f,
                "two sources for one flow would be added: deportations of kind {} of origin {} from host {}{group} come from both \"{a}\" and \"{b}\"",
                kind.map_or("", |k| k.as_str()),
                self.origin,
                self.host
            )?,
        }
        f.write_str("; group or filter by source to see each")
    }
}

/// Everything that can go wrong in this crate, with the position where there is one.
///
/// Row-level problems are [`Rejection`]s: a strict load returns the first one
/// as [`Error::Rejected`], a lenient load lists them in its report.
///
/// ```
/// use refugee_data::{Error, Loader, Table};
/// let csv = "date,origin,host,population\n";
/// let err = Loader::new()
///     .read(Table::Registrations, "registrations.csv", csv.as_bytes())
///     .unwrap_err();
/// assert!(matches!(err, Error::MissingColumns { .. }));
/// assert_eq!(
///     err.to_string(),
///     r#"registrations.csv:1: missing required columns "count", "source" (header: date,origin,host,population)"#
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A row was rejected while loading strictly.
    #[error("{0}")]
    Rejected(Box<Rejection>),
    /// The header lacks required columns; all of them are named.
    #[error("{file}:{line}: missing required column{} {} (header: {}){}",
        if missing.len() == 1 { "" } else { "s" },
        quoted_list(missing), header.join(","), delimiter_hint(header))]
    MissingColumns {
        /// The file name.
        file: String,
        /// The header's line (1 unless blank lines come first).
        line: u64,
        /// The required columns not found.
        missing: Vec<String>,
        /// The header as read (each name cut to 60 characters, at most 50 names).
        header: Vec<String>,
    },
    /// A header names one column twice.
    #[error("{file}:{line}: column \"{column}\" appears more than once in the header")]
    DuplicateColumn {
        /// The file name.
        file: String,
        /// The header's line.
        line: u64,
        /// The repeated column name.
        column: String,
    },
    /// A column of an Arrow batch or a Parquet file has a type that cannot
    /// hold the column's values (a count of strings or floats, a date of
    /// integers).
    #[error("{file}: column \"{column}\" is of type {found} (expected {expected})")]
    ColumnType {
        /// The file name.
        file: String,
        /// The column, as the contract names it.
        column: String,
        /// The type found, as Arrow names it (`Float64`).
        found: String,
        /// The types the column may have.
        expected: String,
    },
    /// A file's bytes are not UTF-8 text in the place where it matters (the header).
    #[error("{file}:{line}: {message}")]
    Format {
        /// The file name.
        file: String,
        /// The 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{file}: {source}")]
    Io {
        /// The file name.
        file: String,
        /// The I/O error.
        source: io::Error,
    },
    /// A query was malformed or could not be answered (see the message).
    #[error("{0}")]
    Query(String),
    /// A query would add two sources' figures: for one stock population, or
    /// for one flow (origin, host, kind), in one output group. The conflict
    /// says which.
    #[error("{0}")]
    SourceAmbiguity(Box<SourceConflict>),
    /// A sum does not fit in `u64`.
    #[error("{0}")]
    Overflow(String),
}

fn quoted_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    quoted.join(", ")
}

impl From<Rejection> for Error {
    fn from(r: Rejection) -> Self {
        Error::Rejected(Box::new(r))
    }
}

/// A hint for a header read as one column that holds another separator
/// (a `;`-separated file read as `,`-separated, or the reverse).
fn delimiter_hint(header: &[String]) -> String {
    let [only] = header else { return String::new() };
    match [';', '\t', ',', '|'].into_iter().find(|&c| only.contains(c)) {
        Some(c) => {
            let shown = if c == '\t' { "\\t".to_string() } else { c.to_string() };
            format!(
                "; the header is one column holding '{shown}': if the file is separated by \
                 '{shown}', set the delimiter to '{shown}'"
            )
        }
        None => String::new(),
    }
}
