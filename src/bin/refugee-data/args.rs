//! The command line's arguments, described once for clap: the parser, the
//! help of each command, the suggestions and the shell completions all come
//! from these types.

use std::ffi::{OsStr, OsString};
use std::marker::PhantomData;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{ArgAction, Args, FromArgMatches, Parser, Subcommand, ValueEnum};
use refugee_data::{Derived, Dimension, Encoding, Table};

/// Typed, validated refugee population data: summaries, checks and queries
/// that never sum a stock over time nor add two sources silently.
#[derive(Parser)]
#[command(name = "refugee-data", version, max_term_width = 100)]
#[command(after_help = "Without --data, the sample embedded in the crate is used.\n\
    Exit status: 0 success, 1 a data or query error, 2 a usage error.")]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The flags every command takes, before or after its name.
#[derive(Args)]
#[command(next_help_heading = "Global options")]
pub(crate) struct Global {
    /// Dataset directory to read instead of the embedded sample
    ///
    /// A directory holding registrations.csv, deportations.csv and/or
    /// statements.csv (a missing file is an empty table). Without it, the
    /// sample embedded in the crate is used.
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) data: Option<PathBuf>,

    /// Load what is valid and warn about rejected rows, instead of stopping at the first
    ///
    /// Without it, the first rejected row of a file is an error. With it,
    /// rejected rows are counted on standard error (`validate` lists them)
    /// and the answer is computed from the rows that loaded; import writes
    /// what loaded.
    #[arg(long, global = true)]
    pub(crate) lenient: bool,

    /// Output format: table, csv or json for query and window [default: table]; csv or parquet for export [default: csv]
    ///
    /// table: aligned columns with thousands separators, for reading;
    /// csv: a header then one row per group, nothing else on standard
    /// output; json: an array of objects with the same keys. export writes
    /// canonical csv files or parquet files.
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<Format>,
}

/// How query and window print their answer.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns with thousands separators
    Table,
    /// CSV: a header, then one row per group
    Csv,
    /// JSON: an array of objects
    Json,
    /// Parquet files (export only)
    Parquet,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Records and date range of each table, and the largest host countries
    ///
    /// For each table: the number of records and the first and last date.
    /// Then the largest host countries of the three largest origins:
    /// refugees, the latest stock of the source with the most registrations.
    Summary(Input),

    /// Check every row of a dataset directory; list each rejection, then the counts
    ///
    /// Prints one rejection per line (`<file>:<line>: column "<name>": <what
    /// is wrong>`), then the rows read, loaded and rejected of each file.
    /// Exit status 1 if any row is rejected.
    Validate(Input),

    /// Aggregate one table: group by dimensions, filter, bound by dates
    ///
    /// Stocks (registrations) are never summed over time: with a time
    /// dimension each series gives its latest observation in each bucket;
    /// without one, its latest as of --as-of (default: the latest date in
    /// the data). Two sources are never added silently: add `source` to
    /// --by, or filter with --source. A query that matches nothing prints
    /// the header alone.
    Query(Box<QueryArgs>),

    /// Deportations in the days before and after each matching statement
    ///
    /// One row per statement: the persons in the N days before its date and
    /// in the N days from its date on, and the change. Statement filters are
    /// prefixed --statement-, flow filters --flow-.
    Window(Box<WindowArgs>),

    /// Draw a query's answer as an SVG chart
    ///
    /// Takes the options of query. With a time dimension in --by: one line
    /// per group of the other dimensions, over time (no line across a
    /// bucket without a figure); otherwise bars, clustered by the first
    /// dimension. The title names the table, measure and dimensions, the
    /// subtitle the filters and bounds; the y axis has thousands
    /// separators; a legend names each series. At most 12 series are drawn
    /// (the largest), and the subtitle says so.
    Chart(Box<ChartArgs>),

    /// Write the dataset's tables to a directory, as canonical CSV or as Parquet
    ///
    /// Reads --data (or the embedded sample) with the usual checks and
    /// writes each table that has records: registrations.csv ... with
    /// --format csv (the default), registrations.parquet ... with --format
    /// parquet, or one directory a table and one file a year
    /// (deportations/year=2023/part-0.parquet) with --partition year, a
    /// layout DuckDB, Spark and DataFusion prune by year. Files are replaced
    /// whole, never left half written.
    Export(Box<ExportArgs>),

    /// Import UNHCR downloads or HXL-tagged files into a dataset directory
    ///
    /// The directory's existing files are read first; the imported records
    /// are added to them (duplicates refused) and registrations.csv and
    /// deportations.csv written back. Without --lenient, any rejection means
    /// nothing is written.
    Import(ImportArgs),

    /// Print a shell completion script
    ///
    /// bash: refugee-data completions bash > ~/.local/share/bash-completion/completions/refugee-data
    /// zsh:  refugee-data completions zsh > ~/.zfunc/_refugee-data
    ///       (with `fpath+=~/.zfunc; autoload -U compinit; compinit` in ~/.zshrc)
    /// fish: refugee-data completions fish > ~/.config/fish/completions/refugee-data.fish
    #[command(verbatim_doc_comment)]
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// How the files of a dataset directory or an import are read.
#[derive(Args, Clone, Default)]
#[command(next_help_heading = "Input")]
pub(crate) struct Input {
    /// Field separator of the CSV files: one ASCII character (`;`), or `tab` [default: ,]
    ///
    /// For files saved by a spreadsheet that separates with semicolons (many
    /// European locales) or tabs. `\t` and `tab` mean a tab.
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub(crate) delimiter: Option<u8>,

    /// Character encoding of the files [default: utf-8]
    ///
    /// Files in another encoding are decoded to UTF-8 before they are read;
    /// line numbers in messages stay those of the file. latin1 is read as
    /// windows-1252 (as web browsers do); utf-16 takes its byte order from
    /// the byte-order mark (little-endian without one).
    #[arg(long, value_name = "ENCODING", value_parser = encoding_parser(), ignore_case = true)]
    pub(crate) encoding: Option<Encoding>,
}

/// The arguments of `query`.
#[derive(Args)]
pub(crate) struct QueryArgs {
    /// In CSV output, prefix cells that a spreadsheet would run as a formula with '
    #[arg(long)]
    pub(crate) safe_csv: bool,

    #[command(flatten)]
    pub(crate) spec: QuerySpec,
}

/// The arguments of `export`.
#[derive(Args)]
pub(crate) struct ExportArgs {
    /// The directory to write the files into (created if missing)
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,

    /// With --format parquet: one directory a table, one file a year (Hive style)
    #[arg(long, value_enum, value_name = "COLUMN")]
    pub(crate) partition: Option<Partition>,

    #[command(flatten)]
    pub(crate) input: Input,
}

/// How `export --format parquet` splits a table's file.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Partition {
    /// One file a year of the date column: `<table>/year=2023/part-0.parquet`
    Year,
}

/// The arguments of `chart`.
#[derive(Args)]
pub(crate) struct ChartArgs {
    /// The SVG file to write
    #[arg(long, value_name = "FILE.svg")]
    pub(crate) out: PathBuf,

    /// The chart's title [default: made from the query: table, measure and dimensions]
    #[arg(long, value_name = "TEXT")]
    pub(crate) title: Option<String>,

    /// The column to draw [default: the first measure]
    ///
    /// A measure (persons, records, statements) or a derived column of
    /// --with and --per-stock (change, cumulative, stock, per_1000).
    #[arg(long, value_name = "COLUMN")]
    pub(crate) measure: Option<String>,

    /// Width in pixels (at least 320)
    #[arg(long, value_name = "PIXELS", default_value_t = 900)]
    pub(crate) width: u32,

    /// Height in pixels (at least 240)
    #[arg(long, value_name = "PIXELS", default_value_t = 500)]
    pub(crate) height: u32,

    #[command(flatten)]
    pub(crate) spec: QuerySpec,
}

/// What a query asks: the table, its dimensions, bounds, filters and
/// derived columns (shared by `query` and `chart`).
#[derive(Args)]
pub(crate) struct QuerySpec {
    /// The table to query: registrations (stocks), deportations (flows) or statements
    #[arg(value_name = "TABLE", value_parser = table_parser(), ignore_case = true)]
    pub(crate) table: Table,

    /// Dimensions to group by, comma-separated or repeated (`--by year,host`)
    ///
    /// At most one time dimension (day, week, month, quarter, year), plus
    /// any of the table's columns: registrations origin, host, population,
    /// source; deportations origin, host, kind, crossing, source; both also
    /// origin_region, host_region, origin_subregion, host_subregion;
    /// statements actor, actor_country, speaker, target_country,
    /// subject_country, stance, source.
    #[arg(long, value_name = "DIM,...", value_delimiter = ',', action = ArgAction::Append,
          value_parser = dimension_parser(), hide_possible_values = true, ignore_case = true)]
    pub(crate) by: Vec<Dimension>,

    /// First day, inclusive (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) from: Option<NaiveDate>,

    /// Last day, inclusive (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) to: Option<NaiveDate>,

    /// Stocks without a time dimension: the latest observation on or before DATE
    ///
    /// Registrations only, and only without a time dimension in --by. The
    /// default is the latest date in the data.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) as_of: Option<NaiveDate>,

    /// Derived columns: change, cumulative (comma-separated or repeated)
    ///
    /// change: the first measure minus that of the same group in the
    /// preceding bucket; cumulative: its running sum (flows and statements).
    /// Both need a time dimension in --by.
    #[arg(long, value_name = "COLUMN,...", value_delimiter = ',', action = ArgAction::Append,
          value_parser = derived_parser(), ignore_case = true)]
    pub(crate) with: Vec<Derived>,

    /// Deportations relative to stocks: the stock of these populations (`refugees`)
    ///
    /// Adds the columns stock and per_1000: the registrations of these
    /// populations from --stock-source, as of the day before each bucket
    /// (without a time dimension, the day before --from, then required).
    #[arg(long, value_name = "POP,...", value_delimiter = ',', action = ArgAction::Append,
          requires = "stock_source")]
    pub(crate) per_stock: Vec<String>,

    /// The one source of the stock of --per-stock (`UNHCR`)
    #[arg(long, value_name = "SOURCE", requires = "per_stock")]
    pub(crate) stock_source: Option<String>,

    #[command(flatten)]
    pub(crate) filters: Filters<QueryFilter>,

    #[command(flatten)]
    pub(crate) input: Input,
}

/// The arguments of `window`.
#[derive(Args)]
pub(crate) struct WindowArgs {
    /// The length of each window, in days (1 to 366)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=366))]
    pub(crate) days: u32,

    /// First day of the statements, inclusive (YYYY-MM-DD); flows are not bounded
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) from: Option<NaiveDate>,

    /// Last day of the statements, inclusive (YYYY-MM-DD); flows are not bounded
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) to: Option<NaiveDate>,

    /// In CSV output, prefix cells that a spreadsheet would run as a formula with '
    #[arg(long)]
    pub(crate) safe_csv: bool,

    #[command(flatten)]
    pub(crate) statements: Filters<StatementFilter>,

    #[command(flatten)]
    pub(crate) flows: Filters<FlowFilter>,

    #[command(flatten)]
    pub(crate) input: Input,
}

/// The arguments of `import`.
#[derive(Args)]
pub(crate) struct ImportArgs {
    #[command(subcommand)]
    pub(crate) kind: ImportKind,
}

#[derive(Subcommand)]
pub(crate) enum ImportKind {
    /// UNHCR statistics: the Refugee Data Finder download, the API or R package tables
    ///
    /// Year-end stocks (and mid-year with --mid-year) become registrations,
    /// with closing zeros where a series disappears; returns become
    /// deportation events.
    Unhcr(UnhcrArgs),
    /// An HXL-tagged CSV file (IOM DTM, HDX), mapped by its hashtags
    ///
    /// Columns are found by their HXL tags; --measure maps each count
    /// column to a population type (registrations) or a return kind
    /// (deportations).
    Hxl(Box<HxlArgs>),
    /// Any other kind is an error naming the two.
    #[command(external_subcommand)]
    Other(Vec<OsString>),
}

/// What every import takes.
#[derive(Args)]
pub(crate) struct ImportCommon {
    /// The files to import
    #[arg(value_name = "FILE", required = true)]
    pub(crate) files: Vec<PathBuf>,

    /// The dataset directory to add the records to (created if missing)
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,

    /// Field separator of the imported files: one ASCII character (`;`), or `tab` [default: ,]
    ///
    /// The files of --out DIR are canonical (comma-separated) whatever this
    /// is.
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub(crate) delimiter: Option<u8>,

    /// Character encoding of the imported files [default: utf-8]
    ///
    /// The files are decoded to UTF-8 before they are read; latin1 is read
    /// as windows-1252, and utf-16 by its byte-order mark (little-endian
    /// without one). The files of --out DIR are UTF-8 whatever this is.
    #[arg(long, value_name = "ENCODING", value_parser = encoding_parser(), ignore_case = true)]
    pub(crate) encoding: Option<Encoding>,
}

/// `import unhcr`.
#[derive(Args)]
pub(crate) struct UnhcrArgs {
    /// The file is a mid-year release: its latest year holds figures as of 30 June
    ///
    /// Its latest year is dated YYYY-06-30 (returns of that year cover 1
    /// January to 30 June); earlier years are year-end figures.
    #[arg(long)]
    pub(crate) mid_year: bool,

    /// Import only the records dated in these years: 2023, 2000-2025 or 2000..2025
    ///
    /// The other rows are counted as skipped; they still decide the closing
    /// zeros of the selected years.
    #[arg(long, value_name = "YEAR|FROM-TO")]
    pub(crate) years: Option<String>,

    #[command(flatten)]
    pub(crate) common: ImportCommon,
}

/// `import hxl`.
#[derive(Args)]
pub(crate) struct HxlArgs {
    /// The publisher of the figures (`IOM DTM`); required
    #[arg(long, value_name = "TEXT")]
    pub(crate) source: Option<String>,

    /// Count columns: PATTERN=TYPE, a population type or a return kind (`#affected+idps=idps`)
    #[arg(long, value_name = "PATTERN=TYPE,...", value_delimiter = ',', action = ArgAction::Append)]
    pub(crate) measure: Vec<String>,

    /// For a --measure pattern matching several columns: the total, or the sum of the parts
    ///
    /// total: the column with no attribute beyond the pattern's own
    /// (`#affected+idps`); sum: add the columns with extra attributes
    /// (`+m`, `+f`).
    #[arg(long, value_name = "total|sum")]
    pub(crate) parts: Option<String>,

    /// Read only the rows whose PATTERN column holds VALUE (`#adm+level=0`)
    ///
    /// Compared trimmed and ASCII case-insensitively; several filters must
    /// all pass. Other rows are counted as skipped.
    #[arg(long = "where", value_name = "PATTERN=VALUE,...", value_delimiter = ',',
          action = ArgAction::Append)]
    pub(crate) where_: Vec<String>,

    /// Add up rows that give the same record (date, countries, measure)
    ///
    /// For files with one row per displacement reason or per area; without
    /// it such rows are duplicates.
    #[arg(long)]
    pub(crate) sum_rows: bool,

    /// The date column's tag pattern (`#date+reported`)
    #[arg(long, value_name = "PATTERN")]
    pub(crate) date_tag: Option<String>,

    /// The origin country column's tag pattern
    #[arg(long, value_name = "PATTERN")]
    pub(crate) origin_tag: Option<String>,

    /// The host (asylum) country column's tag pattern
    #[arg(long, value_name = "PATTERN")]
    pub(crate) host_tag: Option<String>,

    /// One country column read as origin and host (people displaced inside their country)
    #[arg(long, value_name = "PATTERN")]
    pub(crate) country_tag: Option<String>,

    #[command(flatten)]
    pub(crate) common: ImportCommon,
}

/// `\t`, `tab` or one ASCII character.
fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" && s != "\r" => {
            Ok(s.as_bytes()[0])
        }
        _ => {
            Err("expected one ASCII character other than a quote or a line break, or `tab`".into())
        }
    }
}

/// A date written `YYYY-MM-DD`.
fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let v = s.trim();
    let shaped = v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-';
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if shaped => Ok(d),
        _ => Err("not a date (expected YYYY-MM-DD)".into()),
    }
}

/// The tables by name, any case, with suggestions for a near miss.
fn table_parser() -> impl TypedValueParser<Value = Table> {
    PossibleValuesParser::new(Table::ALL.iter().map(|t| PossibleValue::new(t.name())))
        .try_map(|s| s.parse::<Table>().map_err(|e| e.to_string()))
}

/// The dimensions by name (`actor_country`, also `actor-country`).
fn dimension_parser() -> impl TypedValueParser<Value = Dimension> {
    let values = Dimension::ALL.iter().map(|d| {
        let v = PossibleValue::new(d.name());
        if d.name().contains('_') {
            v.alias(d.name().replace('_', "-"))
        } else {
            v
        }
    });
    PossibleValuesParser::new(values).try_map(|s| s.parse::<Dimension>().map_err(|e| e.to_string()))
}

/// The encodings by name (`windows-1252`), any case.
fn encoding_parser() -> impl TypedValueParser<Value = Encoding> {
    PossibleValuesParser::new(Encoding::ALL.map(|e| PossibleValue::new(e.name())))
        .try_map(|s| s.parse::<Encoding>())
}

/// The derived columns by name.
fn derived_parser() -> impl TypedValueParser<Value = Derived> {
    PossibleValuesParser::new([Derived::Change, Derived::Cumulative].map(|d| d.name()))
        .try_map(|s| s.parse::<Derived>().map_err(|e| e.to_string()))
}

/// A text value that must be UTF-8 (arguments come as `OsString`): anything
/// else is a usage error naming the flag, never a panic.
#[derive(Clone)]
struct Utf8Text;

impl TypedValueParser for Utf8Text {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        match value.to_str() {
            Some(s) => Ok(s.trim().to_string()),
            None => {
                let flag = arg.map_or_else(String::new, |a| format!(" of {a}"));
                Err(cmd.clone().error(
                    clap::error::ErrorKind::InvalidUtf8,
                    format!(
                        "the value \"{}\"{flag} is not UTF-8 text",
                        value.as_encoded_bytes().escape_ascii()
                    ),
                ))
            }
        }
    }
}

/// A set of filter flags: one per dimension, named after it in kebab-case
/// and prefixed (`--flow-origin` in `window`).
pub(crate) trait FilterSet {
    /// The flags' prefix, `""`, `"statement-"` or `"flow-"`.
    const PREFIX: &'static str;
    /// Whether the help names the tables each flag applies to.
    const TABLES: bool;
    /// The heading of the flags in the help.
    const HEADING: &'static str;
    /// The dimensions that get a flag.
    fn dimensions() -> Vec<Dimension>;
}

/// `query`'s filters: every categorical dimension (one that does not apply
/// to the table queried is a usage error).
pub(crate) struct QueryFilter;
/// `window`'s statement filters.
pub(crate) struct StatementFilter;
/// `window`'s flow filters.
pub(crate) struct FlowFilter;

impl FilterSet for QueryFilter {
    const PREFIX: &'static str = "";
    const TABLES: bool = true;
    const HEADING: &'static str = "Filters (comma-separated or repeated values)";
    fn dimensions() -> Vec<Dimension> {
        Dimension::ALL.iter().copied().filter(|d| !d.is_time()).collect()
    }
}

impl FilterSet for StatementFilter {
    const PREFIX: &'static str = "statement-";
    const TABLES: bool = false;
    const HEADING: &'static str = "Statement filters (comma-separated or repeated values)";
    fn dimensions() -> Vec<Dimension> {
        Dimension::categorical(Table::Statements).to_vec()
    }
}

impl FilterSet for FlowFilter {
    const PREFIX: &'static str = "flow-";
    const TABLES: bool = false;
    const HEADING: &'static str = "Flow filters (comma-separated or repeated values)";
    fn dimensions() -> Vec<Dimension> {
        Dimension::categorical(Table::Deportations).to_vec()
    }
}

/// The filters given: each dimension with its values, in the order of
/// [`Dimension::ALL`].
pub(crate) struct Filters<S> {
    pub(crate) values: Vec<(Dimension, Vec<String>)>,
    set: PhantomData<S>,
}

impl<S: FilterSet> Filters<S> {
    fn id(d: Dimension) -> String {
        format!("{}{}", S::PREFIX, d.name().replace('_', "-"))
    }
}

/// What a dimension's filter values are, and (`tables`) which tables it
/// applies to.
fn filter_help(d: Dimension, tables: bool) -> String {
    use refugee_data::{PopulationType, ReturnKind, Stance};
    let what = match d {
        Dimension::Population => {
            format!("population types ({})", PopulationType::LABELS.join(", "))
        }
        Dimension::Kind => format!("return kinds ({})", ReturnKind::LABELS.join(", ")),
        Dimension::Stance => format!("stances ({})", Stance::LABELS.join(", ")),
        d if d.is_country() => "countries: ISO codes or English names".to_string(),
        d if d.is_region() => "region names, any case".to_string(),
        _ => "texts, matched exactly".to_string(),
    };
    if !tables {
        return format!("Keep {}: {what}", d.name());
    }
    let tables: Vec<&str> =
        Table::ALL.iter().filter(|t| d.applies_to(**t)).map(|t| t.name()).collect();
    format!("Keep {}: {what} [{}]", d.name(), tables.join(", "))
}

impl<S: FilterSet> Args for Filters<S> {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        for d in S::dimensions() {
            let id = Self::id(d);
            cmd = cmd.arg(
                clap::Arg::new(id.clone())
                    .long(id)
                    .value_name("VALUE,...")
                    .help(filter_help(d, S::TABLES))
                    .help_heading(S::HEADING)
                    .action(ArgAction::Append)
                    .value_delimiter(',')
                    .value_parser(Utf8Text),
            );
        }
        cmd
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl<S: FilterSet> FromArgMatches for Filters<S> {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut values = Vec::new();
        for d in S::dimensions() {
            if let Some(v) = m.get_many::<String>(&Self::id(d)) {
                values.push((d, v.cloned().collect()));
            }
        }
        Ok(Filters { values, set: PhantomData })
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_parser_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn delimiters() {
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter("\\t"), Ok(b'\t'));
        assert_eq!(parse_delimiter("|"), Ok(b'|'));
        for bad in [";;", "\"", "é", ""] {
            assert_eq!(
                parse_delimiter(bad),
                Err("expected one ASCII character other than a quote or a line break, or `tab`"
                    .to_string()),
                "{bad:?}"
            );
        }
    }
}
