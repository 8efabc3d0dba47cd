//! The header: the contract's columns found by trimmed, case-insensitive
//! name; missing required columns and repeated ones are errors, unknown ones
//! one warning.

use csv::ByteRecord;

use super::Loader;
use crate::{Dataset, Error, Table};

/// The header's column map, names and width.
pub(super) struct Shape {
    pub(super) map: Vec<Option<usize>>,
    pub(super) names: Vec<String>,
    pub(super) width: usize,
}

impl Shape {
    /// The contract's columns that the file does not have, as bits by
    /// position, for a table whose rows are checked only once the file is
    /// read (registrations and deportations): those columns need not be
    /// written row by row. Statements are checked for duplicates while
    /// they are read, so their columns are all written (0).
    pub(super) fn absent(&self, table: Table) -> u32 {
        if table == Table::Statements {
            return 0;
        }
        self.map.iter().enumerate().filter(|(_, c)| c.is_none()).fold(0, |m, (i, _)| m | 1 << i)
    }
}

/// Finds the contract's columns in a header, by trimmed case-insensitive name.
fn map_header(
    table: Table,
    file: &str,
    line: u64,
    header: &ByteRecord,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Option<usize>>, Vec<String>), Error> {
    let mut names = Vec::with_capacity(header.len());
    for field in header {
        match std::str::from_utf8(field) {
            Ok(s) => names.push(s.trim().to_string()),
            Err(e) => {
                return Err(Error::Format {
                    file: file.to_string(),
                    line,
                    message: format!(
                        "the header is not valid UTF-8 (invalid byte at offset {} of column {})",
                        e.valid_up_to(),
                        names.len() + 1
                    ),
                })
            }
        }
    }
    let (map, unknown) = map_names(table, file, line, &names)?;
    if let Some(warning) = unknown_columns(file, line, &unknown) {
        warnings.push(warning);
    }
    Ok((map, names))
}

/// The position of each of the table's columns among `names` (trimmed), by
/// case-insensitive name, and the unknown names, quoted. A repeated column
/// or a missing required one is an error at `line` of `file` (the header's
/// line; 0 for a Parquet file's schema).
pub(super) fn map_names(
    table: Table,
    file: &str,
    line: u64,
    names: &[String],
) -> Result<(Vec<Option<usize>>, Vec<String>), Error> {
    let specs = Dataset::specs(table);
    let mut map = vec![None; specs.len()];
    let mut unknown = Vec::new();
    for (i, name) in names.iter().enumerate() {
        match specs.iter().position(|s| s.name.eq_ignore_ascii_case(name)) {
            Some(s) if map[s].is_some() => {
                return Err(Error::DuplicateColumn {
                    file: file.to_string(),
                    line,
                    column: specs[s].name.to_string(),
                })
            }
            Some(s) => map[s] = Some(i),
            None => unknown.push(format!("\"{}\"", crate::text::cut(name))),
        }
    }
    let missing: Vec<String> = specs
        .iter()
        .zip(&map)
        .filter(|(spec, found)| spec.required && found.is_none())
        .map(|(spec, _)| spec.name.to_string())
        .collect();
    if !missing.is_empty() {
        let mut header: Vec<String> =
            names.iter().take(50).map(|n| crate::text::cut(n).into_owned()).collect();
        if names.len() > 50 {
            header.push(format!("... and {} more", names.len() - 50));
        }
        return Err(Error::MissingColumns { file: file.to_string(), line, missing, header });
    }
    Ok((map, unknown))
}

/// The warning for unknown header columns (given quoted), listing at most 20.
pub(crate) fn unknown_columns(file: &str, line: u64, quoted: &[String]) -> Option<String> {
    if quoted.is_empty() {
        return None;
    }
    let s = if quoted.len() == 1 { "" } else { "s" };
    let listed = quoted.iter().take(20).cloned().collect::<Vec<_>>().join(", ");
    let more = match quoted.len().saturating_sub(20) {
        0 => String::new(),
        n => format!(", and {n} more"),
    };
    Some(format!("{file}:{line}: unknown column{s} ignored: {listed}{more}"))
}

pub(super) fn header_shape(
    loader: &mut Loader,
    table: Table,
    file: &str,
    line: u64,
    header: &ByteRecord,
) -> Result<Shape, Error> {
    let (map, names) = map_header(table, file, line, header, &mut loader.report.warnings)?;
    Ok(Shape { map, names, width: header.len() })
}
