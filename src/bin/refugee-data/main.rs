//! `refugee-data`: the command line.
//!
//! Arguments are parsed by hand: the binary needs no dependency beyond the
//! library's own.

mod hints;
mod import;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use refugee_data::{
    thousands, Dataset, Derived, Dimension, Error, Loader, Query, QueryResult, Table, Window,
};

const USAGE: &str = "\
refugee-data: typed, validated refugee population data

usage:
  refugee-data summary                     [--data DIR]
  refugee-data validate                    [--data DIR]
  refugee-data query <registrations|deportations|statements>
          [--by DIM,DIM...] [--from DATE] [--to DATE] [--as-of DATE]
          [--<dimension> VALUE,VALUE...]
          [--with change,cumulative] [--per-stock POP,... --stock-source SOURCE]
          [--format table|csv|json] [--safe-csv] [--lenient] [--data DIR]
  refugee-data window --days N [--statement-<dimension> VALUE,...]
          [--flow-<dimension> VALUE,...] [--from DATE] [--to DATE]
          [--format table|csv|json] [--safe-csv] [--lenient] [--data DIR]
  refugee-data import <unhcr|hxl> FILE... --out DIR [--lenient]
          unhcr: [--mid-year] [--years YEAR|FROM-TO]
          hxl:   --source TEXT [--measure PATTERN=TYPE,...] [--parts total|sum]
                 [--where PATTERN=VALUE,...] [--sum-rows] [--date-tag PATTERN]
                 [--origin-tag PATTERN] [--host-tag PATTERN] [--country-tag PATTERN]

Without --data, the sample embedded in the crate is used.
Dimensions: day week month quarter year (one at most), and
  registrations: origin host population source
  deportations:  origin host kind crossing source
  both also:     origin_region host_region origin_subregion host_subregion
  statements:    actor actor_country speaker target_country subject_country stance source
Filter flags are the dimension names in kebab-case (--origin, --actor-country).
";

/// A usage error (exit 2), a data or query error (exit 1), or standard
/// output closed by its reader (`query ... | head`): the program ends
/// quietly with status 0, as ripgrep and xsv do.
enum Failure {
    Usage(String),
    Data(String),
    ClosedOutput,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match e {
            Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe => {
                Failure::ClosedOutput
            }
            Error::SourceAmbiguity(c) => source_hint(&c, "--by", "--source"),
            e => Failure::Data(e.to_string()),
        }
    }
}

/// A source conflict, with the flags that resolve it (the library's
/// message names none).
fn source_hint(c: &refugee_data::SourceConflict, by: &str, filter: &str) -> Failure {
    let hint = if by.is_empty() {
        format!("keep one source with {filter} \"{}\"", c.sources[0])
    } else {
        format!("add source to {by}, or keep one source with {filter} \"{}\"", c.sources[0])
    };
    Failure::Data(format!("{c}\nhint: {hint}"))
}

/// The failure for an error writing to standard output.
fn output_error(e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::ClosedOutput
    } else {
        Failure::Data(e.to_string())
    }
}

/// Writes `s` to standard output.
fn say(s: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(s.as_bytes()).and_then(|()| out.flush()).map_err(output_error)
}

/// Writes a line to standard error; a closed standard error is ignored
/// (never a panic).
macro_rules! to_stderr {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use to_stderr;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(Failure::Usage(msg)) => {
            to_stderr!("error: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Data(msg)) => {
            to_stderr!("error: {msg}");
            ExitCode::from(1)
        }
        Err(Failure::ClosedOutput) => ExitCode::SUCCESS,
    }
}

fn run(args: &[String]) -> Result<ExitCode, Failure> {
    let Some(command) = args.first() else {
        return Err(Failure::Usage("a command is required".into()));
    };
    let rest = &args[1..];
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        say(USAGE)?;
        return Ok(ExitCode::SUCCESS);
    }
    match command.as_str() {
        "summary" => summary(&Flags::parse(rest, &[])?),
        "validate" => validate(&Flags::parse(rest, &[])?),
        "query" => query(rest),
        "window" => window(rest),
        "import" => import::run(rest),
        "-h" | "--help" | "help" => {
            say(USAGE)?;
            Ok(ExitCode::SUCCESS)
        }
        "-V" | "--version" => {
            say(&format!("refugee-data {}\n", env!("CARGO_PKG_VERSION")))?;
            Ok(ExitCode::SUCCESS)
        }
        other => Err(Failure::Usage(format!("unknown command \"{other}\""))),
    }
}

/// Parsed `--flag value` pairs and positional arguments.
#[derive(Default)]
struct Flags {
    positional: Vec<String>,
    values: Vec<(String, String)>,
    switches: Vec<String>,
}

impl Flags {
    /// `switches` are the flags that take no value (besides the common ones).
    fn parse(args: &[String], switches: &[&str]) -> Result<Flags, Failure> {
        let mut flags = Flags::default();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if let Some(name) = a.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (name, None),
                };
                if switches.contains(&name) {
                    flags.switches.push(name.to_string());
                } else {
                    let value = match inline {
                        Some(v) => v,
                        None => {
                            i += 1;
                            args.get(i)
                                .cloned()
                                .ok_or_else(|| Failure::Usage(format!("--{name} needs a value")))?
                        }
                    };
                    if flags.values.iter().any(|(n, _)| n == name) {
                        return Err(Failure::Usage(format!("--{name} is given twice")));
                    }
                    flags.values.push((name.to_string(), value));
                }
            } else {
                flags.positional.push(a.clone());
            }
            i += 1;
        }
        Ok(flags)
    }

    fn take(&mut self, name: &str) -> Option<String> {
        let i = self.values.iter().position(|(n, _)| n == name)?;
        Some(self.values.remove(i).1)
    }

    fn switch(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }

    /// Fails on anything left that a command did not take.
    fn finish(&self, allowed_positional: usize) -> Result<(), Failure> {
        if let Some((name, _)) = self.values.first() {
            return Err(Failure::Usage(format!("unknown flag --{name}")));
        }
        if self.positional.len() > allowed_positional {
            return Err(Failure::Usage(format!(
                "unexpected argument \"{}\"",
                self.positional[allowed_positional]
            )));
        }
        Ok(())
    }
}

fn data_dir(flags: &mut Flags) -> Option<PathBuf> {
    flags.take("data").map(PathBuf::from)
}

/// The dataset of `--data DIR`, or the sample.
fn load(
    dir: Option<&PathBuf>,
    lenient: bool,
) -> Result<std::borrow::Cow<'static, Dataset>, Failure> {
    let Some(dir) = dir else {
        return Ok(std::borrow::Cow::Borrowed(Dataset::sample()));
    };
    hints::check_data_dir(dir)?;
    let mut loader = Loader::new().lenient(lenient);
    loader.read_dir(dir)?;
    let (ds, report) = loader.finish();
    for w in report.warnings() {
        to_stderr!("warning: {}", hints::escape(w));
    }
    let rejected = report.rejections().len();
    if rejected > 0 {
        to_stderr!(
            "warning: {rejected} row{} rejected (run `refugee-data validate --data {}` to list them)",
            if rejected == 1 { "" } else { "s" },
            dir.display()
        );
    }
    Ok(std::borrow::Cow::Owned(ds))
}

fn summary(flags: &Flags) -> Result<ExitCode, Failure> {
    let mut flags = Flags { values: flags.values.clone(), ..Flags::default() };
    let dir = data_dir(&mut flags);
    flags.finish(0)?;
    let ds = load(dir.as_ref(), false)?;
    let mut out = String::new();
    match &dir {
        Some(d) => out.push_str(&format!("Dataset: {}\n\n", d.display())),
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

fn validate(flags: &Flags) -> Result<ExitCode, Failure> {
    let mut flags = Flags { values: flags.values.clone(), ..Flags::default() };
    let dir = data_dir(&mut flags);
    flags.finish(0)?;
    let mut loader = Loader::new().lenient(true);
    let mut errors = Vec::new();
    match &dir {
        None => {
            // The sample is checked as the tests check it: it loads cleanly.
            let ds = Dataset::sample();
            let mut out = String::new();
            for t in Table::ALL {
                out.push_str(&format!(
                    "{}: {} rows read, {} loaded, 0 rejected\n",
                    t.file_name(),
                    ds.len(t),
                    ds.len(t)
                ));
            }
            say(&out)?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(dir) => {
            hints::check_data_dir(dir)?;
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
                if let Err(e) = loader.read(t, t.file_name(), io::BufReader::new(file)) {
                    errors.push(e.to_string());
                }
            }
        }
    }
    let (_, report) = loader.finish();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let write = |out: &mut io::BufWriter<io::StdoutLock<'_>>, s: String| {
        out.write_all(s.as_bytes()).map_err(output_error)
    };
    for w in report.warnings() {
        to_stderr!("warning: {}", hints::escape(w));
    }
    // Values from files are shown with their control characters escaped.
    for e in &errors {
        write(&mut out, format!("{}\n", hints::escape(e)))?;
    }
    for r in report.rejections() {
        write(&mut out, format!("{}\n", hints::escape(&r.to_string())))?;
    }
    for t in Table::ALL {
        write(
            &mut out,
            format!(
                "{}: {} rows read, {} loaded, {} rejected\n",
                t.file_name(),
                report.rows_read(t),
                report.loaded(t),
                report.rejected(t)
            ),
        )?;
    }
    out.flush().map_err(output_error)?;
    Ok(if report.is_clean() && errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn parse_date(flag: &str, value: &str) -> Result<NaiveDate, Failure> {
    let v = value.trim();
    let ok = v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-';
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if ok => Ok(d),
        _ => Err(Failure::Usage(format!(
            "--{flag}: \"{value}\" is not a date (expected YYYY-MM-DD)"
        ))),
    }
}

fn query(args: &[String]) -> Result<ExitCode, Failure> {
    let mut flags = Flags::parse(args, &["lenient", "safe-csv"])?;
    let Some(table) = flags.positional.first() else {
        return Err(Failure::Usage(
            "query needs a table: registrations, deportations or statements".into(),
        ));
    };
    let table: Table =
        table.parse().map_err(|e: refugee_data::UnknownTable| Failure::Usage(e.to_string()))?;
    let mut q = Query::new(table);
    if let Some(by) = flags.take("by") {
        for name in by.split(',').filter(|s| !s.trim().is_empty()) {
            let d: Dimension =
                name.trim().parse().map_err(|e: Error| Failure::Usage(e.to_string()))?;
            q = q.by(d);
        }
    }
    if let Some(v) = flags.take("from") {
        q = q.from(parse_date("from", &v)?);
    }
    if let Some(v) = flags.take("to") {
        q = q.to(parse_date("to", &v)?);
    }
    if let Some(v) = flags.take("as-of") {
        q = q.as_of(parse_date("as-of", &v)?);
    }
    if let Some(with) = flags.take("with") {
        for name in with.split(',').filter(|s| !s.trim().is_empty()) {
            let d: Derived = name.parse().map_err(|e: Error| Failure::Usage(e.to_string()))?;
            q = q.with(d);
        }
    }
    match (flags.take("per-stock"), flags.take("stock-source")) {
        (Some(populations), Some(source)) => {
            q = q.per_stock(populations.split(',').map(str::trim), source.trim());
        }
        (None, None) => {}
        _ => {
            return Err(Failure::Usage(
                "--per-stock and --stock-source go together: the populations and the one \
                 source of the stock"
                    .into(),
            ))
        }
    }
    let format = output_format(&mut flags)?;
    let dir = data_dir(&mut flags);
    let mut filters = Vec::new();
    for &d in Dimension::all() {
        if d.is_time() {
            continue;
        }
        let flag = d.flag();
        if let Some(values) = flags.take(&flag[2..]) {
            if !d.applies_to(table) {
                return Err(Failure::Usage(format!("{flag} does not apply to {table}")));
            }
            let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).collect();
            q = q.filter(d, values.iter().cloned());
            filters.push((d, values));
        }
    }
    flags.finish(1)?;
    let lenient = flags.switch("lenient");
    let ds = load(dir.as_ref(), lenient)?;
    let result = ds.query(&q)?;
    hints::unmatched_filters(&ds, table, &filters);
    print_result(&result, &format, flags.switch("safe-csv"))?;
    Ok(ExitCode::SUCCESS)
}

/// `--format`, `table` by default.
fn output_format(flags: &mut Flags) -> Result<String, Failure> {
    let format = flags.take("format").unwrap_or_else(|| "table".into());
    if !["table", "csv", "json"].contains(&format.as_str()) {
        return Err(Failure::Usage(format!(
            "--format: \"{format}\" is not a format (expected table, csv or json)"
        )));
    }
    Ok(format)
}

/// `refugee-data window`: flows in the days before and after each statement.
fn window(args: &[String]) -> Result<ExitCode, Failure> {
    let mut flags = Flags::parse(args, &["lenient", "safe-csv"])?;
    let Some(days) = flags.take("days") else {
        return Err(Failure::Usage("window needs --days N (1 to 366)".into()));
    };
    let days: u32 = days.trim().parse().map_err(|_| {
        Failure::Usage(format!("--days: \"{days}\" is not a number of days (expected 1 to 366)"))
    })?;
    let mut w = Window::new(days);
    if let Some(v) = flags.take("from") {
        w = w.from(parse_date("from", &v)?);
    }
    if let Some(v) = flags.take("to") {
        w = w.to(parse_date("to", &v)?);
    }
    for &d in Dimension::all().iter().filter(|d| !d.is_time()) {
        let name = &d.flag()[2..];
        if let Some(values) = flags.take(&format!("statement-{name}")) {
            if !d.applies_to(Table::Statements) {
                return Err(Failure::Usage(format!(
                    "--statement-{name} does not apply to statements"
                )));
            }
            w = w.statements(d, values.split(',').map(str::trim));
        }
        if let Some(values) = flags.take(&format!("flow-{name}")) {
            if !d.applies_to(Table::Deportations) {
                return Err(Failure::Usage(format!(
                    "--flow-{name} does not apply to deportations"
                )));
            }
            w = w.flows(d, values.split(',').map(str::trim));
        }
    }
    let format = output_format(&mut flags)?;
    let dir = data_dir(&mut flags);
    flags.finish(0)?;
    let ds = load(dir.as_ref(), flags.switch("lenient"))?;
    let result = ds.window(&w).map_err(|e| match e {
        Error::SourceAmbiguity(c) => source_hint(&c, "", "--flow-source"),
        e => Failure::from(e),
    })?;
    print_result(&result, &format, flags.switch("safe-csv"))?;
    Ok(ExitCode::SUCCESS)
}

fn print_result(result: &QueryResult, format: &str, safe: bool) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match format {
        "csv" => result.write_csv_with(&mut out, safe)?,
        "json" => result.write_json(&mut out)?,
        _ => write!(out, "{result}").map_err(output_error)?,
    }
    out.flush().map_err(output_error)
}
