//! Rejections: why one row of a file did not become a record, and where.

use std::fmt;

use crate::text::{cut, SHOWN_CHARS};
use crate::UnknownCountry;

/// What is wrong with one row.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A required value is empty.
    Empty,
    /// A date not of the form `YYYY-MM-DD`.
    MalformedDate,
    /// A date of the right form that is no calendar day (`2023-02-30`).
    NotCalendarDate,
    /// A date outside the years 1900..=2100.
    DateOutOfRange,
    /// A count that is not a non-negative integer written in digits only.
    NotACount,
    /// A count larger than `u64::MAX`.
    CountTooLarge,
    /// A country no spelling of which is known.
    UnknownCountry(UnknownCountry),
    /// A value outside a vocabulary.
    UnknownValue {
        /// The vocabulary's name (`return kind`).
        vocabulary: &'static str,
        /// Its values.
        expected: &'static [&'static str],
    },
    /// `period_start` later than `date`.
    PeriodAfterDate {
        /// The row's `date`, as written.
        date: String,
    },
    /// A field that is not valid UTF-8.
    InvalidUtf8 {
        /// 0-based byte offset of the first invalid byte within the field.
        byte: usize,
    },
    /// The file ends inside a quoted field that this row opens.
    UnclosedQuote,
    /// A row whose key equals an earlier row's.
    Duplicate {
        /// The file of the first occurrence, when it is another file.
        first_file: Option<String>,
        /// The physical line on which the first occurrence starts.
        first_line: u64,
        /// The key columns, for the message (`date, origin, host, population and source`).
        key: &'static str,
    },
    /// A deportation whose period shares a day with the period of an
    /// earlier loaded row of the same series (origin, host, kind, crossing,
    /// source): the same people would be counted twice.
    Overlap {
        /// This row's period, `first..last` day.
        period: String,
        /// The file of the earlier row, when it is another file.
        first_file: Option<String>,
        /// The physical line on which the earlier row starts (the first
        /// overlapping one in file order).
        first_line: u64,
        /// The earlier row's period.
        first_period: String,
        /// The series, as `AFG, PAK, returned, "", "IOM DTM"`.
        series: String,
    },
    /// A row with more or fewer fields than the header.
    Ragged {
        /// Fields in the row.
        found: usize,
        /// Fields in the header.
        expected: usize,
    },
    /// A field longer than the loader's limit.
    FieldTooLong {
        /// The field's length in bytes.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// A value that a source adapter cannot read (the message says what it expected).
    Invalid(String),
    /// The dataset holds as many distinct texts as its ids can number: a
    /// new text cannot be stored, and the load stops here (in both modes).
    TooManyTexts,
    /// The table holds as many rows as its row numbers can count: the load
    /// stops here (in both modes).
    TooManyRows {
        /// The most rows a table holds.
        limit: u64,
    },
}

impl Problem {
    /// True for the problems that stop a load in both modes: they are no
    /// fault of the row, and every later row would meet them too.
    pub(crate) fn is_fatal(&self) -> bool {
        matches!(self, Problem::TooManyTexts | Problem::TooManyRows { .. })
    }
}

/// One row that did not become a record: the file, the 1-based physical line
/// on which the row starts, the column and its value where one is at fault,
/// and what was expected.
///
/// ```
/// use refugee_data::{Loader, Table};
/// let csv = "date,origin,host,kind,count,source\n2023-02-30,AFG,PAK,deported,5,IOM\n";
/// let mut loader = Loader::new().lenient(true);
/// loader.read(Table::Deportations, "deportations.csv", csv.as_bytes())?;
/// let (_, report) = loader.finish();
/// let r = &report.rejections()[0];
/// assert_eq!(r.line(), 2);
/// assert_eq!(r.column(), Some("date"));
/// assert_eq!(
///     r.to_string(),
///     r#"deportations.csv:2: column "date": "2023-02-30" is not a calendar date (expected YYYY-MM-DD)"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub(crate) file: String,
    pub(crate) line: u64,
    pub(crate) column: Option<String>,
    pub(crate) value: Option<String>,
    pub(crate) problem: Problem,
}

impl Rejection {
    pub(crate) fn new(file: &str, line: u64, problem: Problem) -> Self {
        Rejection { file: file.to_string(), line, column: None, value: None, problem }
    }

    pub(crate) fn at(mut self, column: &str, value: &[u8]) -> Self {
        self.column = Some(column.to_string());
        // Only the shown part is kept, so a 10 MB field costs no more than a short one.
        let head = &value[..value.len().min(SHOWN_CHARS * 4 + 4)];
        let text = String::from_utf8_lossy(head);
        let shown = cut(&text);
        let shown = if head.len() < value.len() && !shown.ends_with("...") {
            format!("{shown}...")
        } else {
            shown.into_owned()
        };
        self.value = Some(shown);
        self
    }

    /// The file name as given to the loader (`deportations.csv`).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The 1-based physical line on which the row starts (the header is line 1).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The column at fault, if one is.
    pub fn column(&self) -> Option<&str> {
        self.column.as_deref()
    }

    /// The offending value as shown: lossily decoded, cut to 60 characters.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// What is wrong.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// The message without the `file:line: ` prefix.
    pub fn message(&self) -> String {
        let mut s = String::new();
        if let Some(c) = &self.column {
            s.push_str(&format!("column \"{c}\": "));
        }
        let value = self.value.as_deref().unwrap_or("");
        let quoted = format!("\"{value}\"");
        let text = match &self.problem {
            Problem::Empty => "is empty (a value is required)".to_string(),
            Problem::MalformedDate => format!("{quoted} is not a date (expected YYYY-MM-DD)"),
            Problem::NotCalendarDate => {
                format!("{quoted} is not a calendar date (expected YYYY-MM-DD)")
            }
            Problem::DateOutOfRange => {
                format!("{quoted} is out of range (expected a year from 1900 to 2100)")
            }
            Problem::NotACount => {
                format!("{quoted} is not a count (expected a non-negative integer, digits only)")
            }
            Problem::CountTooLarge => {
                format!("{quoted} is too large for a count (expected at most {})", u64::MAX)
            }
            Problem::UnknownCountry(e) => format!("{quoted} {}", e.problem()),
            Problem::UnknownValue { vocabulary, expected } => {
                format!("{quoted} {}", crate::record::vocab_problem(vocabulary, expected))
            }
            Problem::PeriodAfterDate { date } => {
                format!("{quoted} is after date \"{date}\" (expected period_start <= date)")
            }
            Problem::InvalidUtf8 { byte } => {
                format!("{quoted} is not valid UTF-8 (invalid byte at offset {byte})")
            }
            Problem::UnclosedQuote => {
                "a quoted field opened on this line is never closed (the file ends inside it)"
                    .into()
            }
            Problem::Duplicate { first_file: None, first_line, key } => {
                format!("duplicate of line {first_line} (same {key})")
            }
            Problem::Duplicate { first_file: Some(f), first_line, key } => {
                format!("duplicate of {f}:{first_line} (same {key})")
            }
            Problem::Overlap { period, first_file, first_line, first_period, series } => {
                let earlier = match first_file {
                    Some(f) => format!("{f}:{first_line}"),
                    None => format!("line {first_line}"),
                };
                format!(
                    "period {period} overlaps {earlier} ({first_period}) of the same series \
                     ({series}): the same people would be counted twice"
                )
            }
            Problem::Ragged { found, expected } => {
                format!("row has {found} fields, expected {expected} (as in the header)")
            }
            Problem::FieldTooLong { bytes, limit } => {
                format!("{quoted} is {bytes} bytes long (expected at most {limit})")
            }
            Problem::TooManyTexts => format!(
                "{quoted} cannot be stored: the dataset holds as many distinct texts as it can number; the load stops here"
            ),
            Problem::TooManyRows { limit } => {
                format!("the table holds {limit} rows, the most it can number; the load stops here")
            }
            Problem::Invalid(what) => match &self.value {
                Some(_) => format!("{quoted} {what}"),
                None => what.clone(),
            },
        };
        s.push_str(&text);
        s
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message())
    }
}

impl std::error::Error for Rejection {}
