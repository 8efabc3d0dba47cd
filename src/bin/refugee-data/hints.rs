//! What the command line adds to the library's answers for a person at a
//! terminal: checks of a data directory, values from files shown with their
//! control characters escaped, and hints for filters that match nothing.

use std::path::Path;

use refugee_data::{Dataset, Dimension, Error, Problem, Table};

use crate::Failure;

/// A data directory must hold at least one of the three files. A file of
/// another case or extension (`Registrations.CSV`, `deportations.txt`) is
/// not read, and is named in a hint.
pub(crate) fn check_data_dir(dir: &Path) -> Result<(), Failure> {
    if !dir.is_dir() {
        return Err(Failure::Data(format!("{}: no such directory", dir.display())));
    }
    let names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| Failure::Data(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    let expected: Vec<&str> =
        Table::ALL.iter().flat_map(|t| [t.file_name(), t.parquet_file_name()]).collect();
    let near: Vec<String> = names
        .iter()
        .filter(|n| !expected.contains(&n.as_str()))
        .filter_map(|n| {
            let stem = n.rsplit_once('.').map_or(n.as_str(), |(s, _)| s);
            let table = Table::ALL.iter().find(|t| t.name().eq_ignore_ascii_case(stem))?;
            Some(format!("\"{n}\" is not read: the file must be named {}", table.file_name()))
        })
        .collect();
    for hint in &near {
        crate::to_stderr!("hint: {}", escape(hint));
    }
    if names.iter().any(|n| expected.contains(&n.as_str())) {
        return Ok(());
    }
    Err(Failure::Data(format!(
        "{}: no registrations.csv, deportations.csv or statements.csv (a data directory holds at least one of them, or the same tables as .parquet files)",
        escape(&dir.display().to_string())
    )))
}

/// `s` with control characters escaped (the library's rule for values shown
/// at a terminal).
pub(crate) use refugee_data::escape_controls as escape;

/// The text dimensions, whose filters match exactly.
fn is_text(d: Dimension) -> bool {
    matches!(d, Dimension::Source | Dimension::Crossing | Dimension::Actor | Dimension::Speaker)
}

/// The values a text dimension takes in a table.
fn values(ds: &Dataset, table: Table, d: Dimension) -> Vec<String> {
    let mut v: Vec<String> = match (table, d) {
        (Table::Registrations, _) => ds.registrations().map(|r| r.source).collect(),
        (Table::Deportations, Dimension::Crossing) => {
            ds.deportations().filter_map(|r| r.crossing).collect()
        }
        (Table::Deportations, _) => ds.deportations().map(|r| r.source).collect(),
        (Table::Statements, Dimension::Actor) => ds.statements().map(|r| r.actor).collect(),
        (Table::Statements, Dimension::Speaker) => {
            ds.statements().filter_map(|r| r.speaker).collect()
        }
        (Table::Statements, _) => ds.statements().map(|r| r.source).collect(),
    };
    v.sort_unstable();
    v.dedup();
    v
}

/// Edit distance between two short strings, case-insensitively.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) =
        (a.to_lowercase().chars().collect(), b.to_lowercase().chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// For each text filter value that matches no value of the table, a hint on
/// standard error naming the nearest values (text filters match exactly;
/// the answer itself stays as the contract has it).
pub(crate) fn unmatched_filters(ds: &Dataset, table: Table, filters: &[(Dimension, Vec<String>)]) {
    for (d, wanted) in filters.iter().filter(|(d, _)| is_text(*d)) {
        let present = values(ds, table, *d);
        for w in wanted.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
            if present.iter().any(|p| p == w) {
                continue;
            }
            let mut near: Vec<(usize, &String)> = present
                .iter()
                .filter(|p| p.len() <= 200)
                .map(|p| (distance(w, p), p))
                .filter(|(dist, p)| {
                    *dist <= 2.max(w.chars().count() / 3) || p.eq_ignore_ascii_case(w)
                })
                .collect();
            near.sort();
            let flag = d.flag();
            let w = escape(w);
            match near.first() {
                Some((_, p)) => crate::to_stderr!(
                    "hint: {flag} \"{w}\" matches no {table} (text filters match exactly); did you mean \"{}\"?",
                    escape(p)
                ),
                None => crate::to_stderr!("hint: {flag} \"{w}\" matches no {table} (text filters match exactly)"),
            }
        }
    }
}

/// The command-line flag that may fix a load error: `--delimiter` for a
/// header read as one column holding another separator, `--encoding` for
/// bytes that are not UTF-8 (the library's messages name no flag).
pub(crate) fn for_error(e: &Error) -> Option<String> {
    match e {
        Error::MissingColumns { header, .. } => {
            let [only] = header.as_slice() else { return None };
            let (_, flag) = [(';', "';'"), ('\t', "tab"), ('|', "'|'")]
                .into_iter()
                .find(|(c, _)| only.contains(*c))?;
            Some(format!("if the file is separated by {flag}, add --delimiter {flag}"))
        }
        Error::Rejected(r) if matches!(r.problem(), Problem::InvalidUtf8 { .. }) => {
            Some(encoding_hint().to_string())
        }
        Error::Format { message, .. } if message.contains("UTF-16") => {
            Some("add --encoding utf-16".to_string())
        }
        Error::Format { message, .. } if message.contains("UTF-8") => {
            Some(encoding_hint().to_string())
        }
        _ => None,
    }
}

/// The hint for bytes that are not UTF-8.
fn encoding_hint() -> &'static str {
    "if the file was saved in another encoding, name it: --encoding windows-1252 (or latin1, \
     utf-16)"
}
