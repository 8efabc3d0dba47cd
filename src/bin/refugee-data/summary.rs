//! `refugee-data summary` and `refugee-data validate`: what a dataset holds,
//! and every row it rejects.

use std::io::{self, Write};
use std::process::ExitCode;

use refugee_data::{thousands, Dataset, Dimension, Loader, Query, Table};

use crate::args::{Global, Input};
use crate::{hints, load, output_error, progress, say, to_stderr, Failure};

/// `refugee-data summary`.
pub(crate) fn summary(global: &Global, input: &Input) -> Result<ExitCode, Failure> {
    let ds = load(global, input, &Table::ALL)?;
    let mut out = String::new();
    match &global.data {
        Some(d) => {
            out.push_str(&format!("Dataset: {}\n\n", hints::escape(&d.display().to_string())))
        }
        None => out.push_str("Dataset: the embedded sample (see data/README.md)\n\n"),
    }
    out.push_str(&format!("{:<15} {:>10}  {:<10}  last date\n", "table", "records", "first date"));
    for t in Table::ALL {
        let (first, last) = ds
            .date_range(t)
            .map_or(("-".to_string(), "-".to_string()), |(a, b)| (a.to_string(), b.to_string()));
        out.push_str(&format!(
            "{:<15} {:>10}  {:<10}  {}\n",
            t.name(),
            thousands(ds.len(t) as u64),
            first,
            last
        ));
    }
    out.push_str(&largest_hosts(&ds)?);
    say(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// The largest host countries of the three largest origins: refugees, latest
/// stock of the source with the most registrations.
fn largest_hosts(ds: &Dataset) -> Result<String, Failure> {
    let mut out = String::new();
    if ds.len(Table::Registrations) == 0 {
        return Ok(out);
    }
    let Some(source) = largest_source(ds) else { return Ok(out) };
    let Some(as_of) = ds.date_range(Table::Registrations).map(|r| r.1) else { return Ok(out) };
    let base = || {
        Query::registrations()
            .filter(Dimension::Source, [source.clone()])
            .filter(Dimension::Population, ["refugees"])
    };
    let origins = ds.query(&base().by(Dimension::Origin))?;
    if origins.is_empty() {
        return Ok(out);
    }
    let mut top: Vec<(String, u64)> =
        origins.rows().map(|r| (r.key(0).to_string(), r.value(0))).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out.push_str(&format!(
        "\nLargest host countries of the largest origins: refugees, latest stock as of {as_of}, source \"{source}\"\n"
    ));
    out.push_str(&format!("{:<8} {:<8} {:>12}\n", "origin", "host", "refugees"));
    for (origin, total) in top.iter().take(3) {
        let hosts =
            ds.query(&base().by(Dimension::Host).filter(Dimension::Origin, [origin.clone()]))?;
        let mut rows: Vec<(String, u64)> =
            hosts.rows().map(|r| (r.key(0).to_string(), r.value(0))).collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out.push_str(&format!("{:<8} {:<8} {:>12}\n", origin, "(all)", thousands(*total)));
        for (host, n) in rows.iter().take(5) {
            out.push_str(&format!("{:<8} {:<8} {:>12}\n", "", host, thousands(*n)));
        }
    }
    Ok(out)
}

/// The source with the most registrations.
fn largest_source(ds: &Dataset) -> Option<String> {
    let mut counts: Vec<(String, u64)> = Vec::new();
    for r in ds.registrations() {
        match counts.iter_mut().find(|(s, _)| *s == r.source) {
            Some(e) => e.1 += 1,
            None => counts.push((r.source, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts.into_iter().next().map(|(s, _)| s)
}

/// `refugee-data validate`: every rejection, then the counts of each file;
/// exit status 1 if any row is rejected or a file cannot be read.
pub(crate) fn validate(global: &Global, input: &Input) -> Result<ExitCode, Failure> {
    let Some(dir) = &global.data else {
        // The sample is checked as the tests check it: it loads cleanly.
        let ds = Dataset::sample();
        let mut out = String::new();
        for t in Table::ALL {
            let n = ds.len(t);
            out.push_str(&format!("{}: {n} rows read, {n} loaded, 0 rejected\n", t.file_name()));
        }
        say(&out)?;
        return Ok(ExitCode::SUCCESS);
    };
    hints::check_data_dir(dir)?;
    let mut loader = crate::configure(Loader::new().lenient(true), input);
    let mut errors = Vec::new();
    for t in Table::ALL {
        let path = dir.join(t.file_name());
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => {
                errors.push(format!("{}: {e}", t.file_name()));
                continue;
            }
        };
        let size = file.metadata().map_or(0, |m| m.len());
        let reader = progress::bar(t.file_name(), size).wrap_read(file);
        if let Err(e) = loader.read(t, t.file_name(), io::BufReader::with_capacity(1 << 16, reader))
        {
            errors.push(e.to_string());
        }
    }
    let (_, report) = loader.finish();
    for w in report.warnings() {
        to_stderr!("warning: {}", hints::escape(w));
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    // Values from files are shown with their control characters escaped.
    for e in &errors {
        writeln!(out, "{}", hints::escape(e)).map_err(output_error)?;
    }
    for r in report.rejections() {
        writeln!(out, "{}", hints::escape(&r.to_string())).map_err(output_error)?;
    }
    for t in Table::ALL {
        let (read, loaded, rejected) = (report.rows_read(t), report.loaded(t), report.rejected(t));
        writeln!(out, "{}: {read} rows read, {loaded} loaded, {rejected} rejected", t.file_name())
            .map_err(output_error)?;
    }
    out.flush().map_err(output_error)?;
    Ok(if report.is_clean() && errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
