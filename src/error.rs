//! The crate's error type.

use std::io;

use crate::Rejection;

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
    #[error("{file}:{line}: missing required column{} {} (header: {})",
        if missing.len() == 1 { "" } else { "s" },
        quoted_list(missing), header.join(","))]
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
    /// A query would add two sources' figures for one population.
    #[error("{0}")]
    SourceAmbiguity(String),
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
