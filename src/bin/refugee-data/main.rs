//! `refugee-data`: the command line.
//!
//! Arguments are described once, in [`args`], for clap: the parser, each
//! command's `--help`, the suggestions after a typo and the shell
//! completions all come from there.

mod args;
mod export;
mod hints;
mod import;
mod progress;
mod summary;

use std::borrow::Cow;
use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use refugee_data::{Dataset, Error, Loader, Query, QueryResult, Table, Window};

use args::{ChartArgs, Cli, Command, Format, Global, Input, QueryArgs, QuerySpec, WindowArgs};

/// A usage error (exit 2), a data or query error (exit 1), or standard
/// output closed by its reader (`query ... | head`): the program ends
/// quietly with status 0, as ripgrep and xsv do.
enum Failure {
    /// The message, and the command whose `--help` to try (`query`,
    /// `import hxl`).
    Usage(String, &'static str),
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
            e => match hints::for_error(&e) {
                Some(hint) => {
                    Failure::Data(format!("{}\nhint: {hint}", hints::escape(&e.to_string())))
                }
                None => Failure::Data(hints::escape(&e.to_string()).into_owned()),
            },
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    match run(cli) {
        Ok(code) => code,
        Err(Failure::Usage(msg, command)) => {
            to_stderr!("error: {msg}\n{}", try_help(&format!("refugee-data {command}")));
            ExitCode::from(2)
        }
        Err(Failure::Data(msg)) => {
            to_stderr!("error: {msg}");
            ExitCode::from(1)
        }
        Err(Failure::ClosedOutput) => ExitCode::SUCCESS,
    }
}

/// The line after a usage error.
fn try_help(command: &str) -> String {
    format!("try '{} --help'", command.trim())
}

/// Help and version go to standard output (exit 0); a usage error is
/// shown short: clap's error line, its tip, and the help to try (exit 2).
fn clap_exit(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // A closed standard output is no error here either.
            let _ = e.print();
            ExitCode::SUCCESS
        }
        // No command at all: the list of commands, on standard error.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(2)
        }
        _ => {
            let args: Vec<OsString> = std::env::args_os().skip(1).collect();
            let command = command_path(&Cli::command(), &args);
            let _ =
                write!(io::stderr(), "{}", short_usage_error(&e.render().to_string(), &command));
            ExitCode::from(2)
        }
    }
}

/// The (sub)command that `args` name (`refugee-data import hxl`): the
/// words that are subcommands, skipping flags and their values.
fn command_path(root: &clap::Command, args: &[OsString]) -> String {
    let mut path = vec![root.get_name().to_string()];
    let mut cmd = root;
    let mut args = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = args.next() {
        if a == "--" {
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let takes_value = |c: &clap::Command| {
                c.get_arguments()
                    .any(|x| x.get_long() == Some(long) && x.get_action().takes_values())
            };
            if !long.contains('=') && (takes_value(cmd) || takes_value(root)) {
                args.next();
            }
            continue;
        }
        match cmd.find_subcommand(a.as_ref()) {
            Some(sub) => {
                path.push(sub.get_name().to_string());
                cmd = sub;
            }
            None if a.starts_with('-') => {}
            None => break,
        }
    }
    path.join(" ")
}

/// clap's rendering of a usage error, cut to its error line (a list of
/// missing arguments joined onto it), the possible values or a `tip:`
/// line, and the `--help` of `command` to try.
fn short_usage_error(rendered: &str, command: &str) -> String {
    let mut paragraphs = rendered.split("\n\n").map(str::trim_end);
    let first = paragraphs.next().unwrap_or_default();
    let tips: Vec<&str> = paragraphs.filter(|p| p.trim_start().starts_with("tip:")).collect();
    let mut lines = first.lines();
    let mut out = lines.next().unwrap_or("error: invalid arguments").to_string();
    let rest: Vec<&str> = lines.map(str::trim).collect();
    if out.ends_with(':') && !rest.is_empty() {
        out.push(' ');
        out.push_str(&rest.join(", "));
    } else {
        // The possible values, unless a tip names the nearest.
        for line in rest.iter().filter(|l| tips.is_empty() || !l.starts_with("[possible")) {
            out.push_str("\n  ");
            out.push_str(line);
        }
    }
    for tip in tips {
        out.push('\n');
        out.push_str(tip);
    }
    format!("{out}\n{}\n", try_help(command))
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    check_globals(&cli)?;
    let global = &cli.global;
    match &cli.command {
        Command::Summary(input) => summary::summary(global, input),
        Command::Validate(input) => summary::validate(global, input),
        Command::Query(q) => query(global, q),
        Command::Window(w) => window(global, w),
        Command::Chart(c) => chart(global, c),
        Command::Export(e) => export::run(global, e),
        Command::Import(i) => import::run(global, i),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "refugee-data", &mut script);
            say(&String::from_utf8_lossy(&script))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The global flags a command does not use are a usage error, not silently
/// ignored.
fn check_globals(cli: &Cli) -> Result<(), Failure> {
    let (name, formats, data) = match &cli.command {
        Command::Summary(_) => ("summary", false, true),
        Command::Validate(_) => ("validate", false, true),
        Command::Query(_) | Command::Window(_) => {
            if cli.global.format == Some(Format::Parquet) {
                return Err(Failure::Usage(
                    "--format parquet is for export; query and window print table, csv or json"
                        .into(),
                    "query",
                ));
            }
            ("", true, true)
        }
        Command::Export(_) => {
            if matches!(cli.global.format, Some(Format::Table | Format::Json)) {
                return Err(Failure::Usage(
                    "export writes --format csv or --format parquet".into(),
                    "export",
                ));
            }
            ("export", true, true)
        }
        Command::Chart(_) => ("chart", false, true),
        Command::Import(_) => ("import", false, false),
        Command::Completions { .. } => ("completions", false, false),
    };
    if cli.global.format.is_some() && !formats {
        return Err(Failure::Usage(
            format!("--format applies to query and window; {name} writes one format"),
            name,
        ));
    }
    if cli.global.data.is_some() && !data {
        let what = if name == "import" { "import writes to --out DIR" } else { "nothing is read" };
        return Err(Failure::Usage(format!("--data is not used by {name} ({what})"), name));
    }
    Ok(())
}

/// `loader` with the input options given, and a progress bar on standard
/// error while a large file of a directory is read (see [`progress`]).
fn configure(loader: Loader, input: &Input) -> Loader {
    let mut loader = loader;
    if let Some(d) = input.delimiter {
        loader = loader.delimiter(d);
    }
    if let Some(e) = input.encoding {
        loader = loader.encoding(e);
    }
    let mut bar: Option<(Table, indicatif::ProgressBar)> = None;
    loader.on_progress(move |table, read, size| match &bar {
        Some((t, b)) if *t == table => b.set_position(read),
        _ => bar = Some((table, progress::bar(table.file_name(), size))),
    })
}

/// The dataset of `--data DIR` (only `tables` of it), or the sample.
fn load(
    global: &Global,
    input: &Input,
    tables: &[Table],
) -> Result<Cow<'static, Dataset>, Failure> {
    let Some(dir) = &global.data else {
        return Ok(Cow::Borrowed(Dataset::sample()));
    };
    hints::check_data_dir(dir)?;
    let mut loader = configure(Loader::new().lenient(global.lenient), input).tables(tables);
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
            hints::escape(&dir.display().to_string())
        );
    }
    Ok(Cow::Owned(ds))
}

/// The query `spec` asks, and the tables it reads. `command` names the
/// command in a usage error.
fn build_query(spec: &QuerySpec, command: &'static str) -> Result<(Query, Vec<Table>), Failure> {
    let table = spec.table;
    let mut q = Query::new(table);
    for &d in &spec.by {
        q = q.by(d);
    }
    if let Some(d) = spec.from {
        q = q.from(d);
    }
    if let Some(d) = spec.to {
        q = q.to(d);
    }
    if let Some(d) = spec.as_of {
        q = q.as_of(d);
    }
    for &d in &spec.with {
        q = q.with(d);
    }
    if let Some(source) = &spec.stock_source {
        q = q.per_stock(spec.per_stock.iter().map(|p| p.trim()), source.trim());
    }
    for (d, values) in &spec.filters.values {
        if !d.applies_to(table) {
            return Err(Failure::Usage(format!("{} does not apply to {table}", d.flag()), command));
        }
        q = q.filter(*d, values.iter().cloned());
    }
    // A flow per stock also reads the stocks.
    let mut tables = vec![table];
    if spec.stock_source.is_some() && table != Table::Registrations {
        tables.push(Table::Registrations);
    }
    Ok((q, tables))
}

/// The query `spec` asks, and its answer (with hints for text filters
/// that match nothing).
fn answer(
    global: &Global,
    spec: &QuerySpec,
    command: &'static str,
) -> Result<(Query, QueryResult), Failure> {
    let (q, tables) = build_query(spec, command)?;
    let ds = load(global, &spec.input, &tables)?;
    let result = ds.query(&q)?;
    hints::unmatched_filters(&ds, spec.table, &spec.filters.values);
    Ok((q, result))
}

/// `refugee-data query`.
fn query(global: &Global, a: &QueryArgs) -> Result<ExitCode, Failure> {
    let (_, result) = answer(global, &a.spec, "query")?;
    print_result(&result, global.format, a.safe_csv)?;
    Ok(ExitCode::SUCCESS)
}

/// `refugee-data chart`: the query's answer drawn as SVG, written to
/// `--out`.
fn chart(global: &Global, a: &ChartArgs) -> Result<ExitCode, Failure> {
    let (q, result) = answer(global, &a.spec, "chart")?;
    let mut options = refugee_data::ChartOptions::for_query(&q).size(a.width, a.height);
    if let Some(title) = &a.title {
        options = options.title(title.clone());
    }
    if let Some(measure) = &a.measure {
        options = options.measure(measure.clone());
    }
    let svg = refugee_data::chart::svg(&result, &options)?;
    let shown = hints::escape(&a.out.display().to_string()).into_owned();
    std::fs::write(&a.out, svg).map_err(|e| Failure::Data(format!("{shown}: {e}")))?;
    say(&format!("wrote {shown}\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// `refugee-data window`: flows in the days before and after each statement.
fn window(global: &Global, a: &WindowArgs) -> Result<ExitCode, Failure> {
    let mut w = Window::new(a.days);
    if let Some(d) = a.from {
        w = w.from(d);
    }
    if let Some(d) = a.to {
        w = w.to(d);
    }
    for (d, values) in &a.statements.values {
        w = w.statements(*d, values.iter().map(String::as_str));
    }
    for (d, values) in &a.flows.values {
        w = w.flows(*d, values.iter().map(String::as_str));
    }
    let ds = load(global, &a.input, &[Table::Statements, Table::Deportations])?;
    let result = ds.window(&w).map_err(|e| match e {
        Error::SourceAmbiguity(c) => source_hint(&c, "", "--flow-source"),
        e => Failure::from(e),
    })?;
    print_result(&result, global.format, a.safe_csv)?;
    Ok(ExitCode::SUCCESS)
}

fn print_result(result: &QueryResult, format: Option<Format>, safe: bool) -> Result<(), Failure> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match format.unwrap_or(Format::Table) {
        Format::Csv => result.write_csv_with(&mut out, safe)?,
        Format::Json => result.write_json(&mut out)?,
        Format::Table => write!(out, "{result}").map_err(output_error)?,
        Format::Parquet => unreachable!("refused by check_globals"),
    }
    out.flush().map_err(output_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_usage_error_is_cut_to_its_line_its_tip_and_the_help_to_try() {
        let rendered = "error: invalid value 'yaer' for '--by <DIM,...>'\n  [possible values: \
                        day, year]\n\n  tip: a similar value exists: 'year'\n\nFor more \
                        information, try '--help'.\n";
        assert_eq!(
            short_usage_error(rendered, "refugee-data query"),
            "error: invalid value 'yaer' for '--by <DIM,...>'\n  tip: a similar value exists: \
             'year'\ntry 'refugee-data query --help'\n"
        );
        let rendered = "error: invalid value 'xml' for '--format <FORMAT>'\n  [possible values: \
                        table, csv, json]\n\nFor more information, try '--help'.\n";
        assert_eq!(
            short_usage_error(rendered, "refugee-data query"),
            "error: invalid value 'xml' for '--format <FORMAT>'\n  [possible values: table, \
             csv, json]\ntry 'refugee-data query --help'\n"
        );
        let missing = "error: the following required arguments were not provided:\n  --days \
                       <N>\n  <TABLE>\n\nUsage: refugee-data window --days <N>\n\nFor more \
                       information, try '--help'.\n";
        assert_eq!(
            short_usage_error(missing, "refugee-data window"),
            "error: the following required arguments were not provided: --days <N>, <TABLE>\n\
             try 'refugee-data window --help'\n"
        );
    }

    #[test]
    fn the_command_of_a_usage_error() {
        let root = Cli::command();
        let path = |args: &[&str]| {
            let args: Vec<OsString> = args.iter().map(OsString::from).collect();
            command_path(&root, &args)
        };
        assert_eq!(path(&[]), "refugee-data");
        assert_eq!(path(&["qeury"]), "refugee-data");
        assert_eq!(path(&["--data", "query", "query", "registraions"]), "refugee-data query");
        assert_eq!(path(&["--lenient", "import", "hxl", "x.csv"]), "refugee-data import hxl");
        assert_eq!(path(&["query", "summary"]), "refugee-data query");
        assert_eq!(path(&["window", "--days=3", "--flow-orign", "AFG"]), "refugee-data window");
    }
}
