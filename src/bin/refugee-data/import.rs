//! `refugee-data import`: UNHCR downloads and HXL-tagged files into a
//! dataset directory of canonical CSV files.
//!
//! The directory's existing files are read first; the imported records are
//! added to them, duplicates refused as the loader refuses them, and
//! `registrations.csv` and `deportations.csv` written back (each to a
//! temporary file in the directory, then renamed over the old one).
//! Without `--lenient`, any rejection means nothing is written.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use refugee_data::{
    import_hxl, import_unhcr, thousands, Dataset, Encoding, HxlMapping, HxlParts, HxlTarget,
    ImportReport, LoadReport, Loader, PopulationType, ReturnKind, Table, UnhcrOptions,
};

use crate::args::{Global, HxlArgs, ImportArgs, ImportCommon, ImportKind, Input, UnhcrArgs};
use crate::{configure, hints, output_error, progress, say, to_stderr, Failure};

/// What to import the files as.
enum Kind {
    Unhcr(UnhcrOptions),
    Hxl(Box<HxlMapping>),
}

/// What the command line asks to import, and where.
struct Request {
    kind: Kind,
    files: Vec<PathBuf>,
    out: PathBuf,
    delimiter: Option<u8>,
    encoding: Option<Encoding>,
    lenient: bool,
}

pub(crate) fn run(global: &Global, args: &ImportArgs) -> Result<ExitCode, Failure> {
    let request = request(global, &args.kind)?;
    let dir = &request.out;
    let shown = hints::escape(&dir.display().to_string()).into_owned();
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::Data(format!("{shown}: not a directory")));
    }
    let (ds, load, reports) = import(dir, &request)?;
    for w in load.warnings() {
        to_stderr!("warning: {}", hints::escape(w));
    }
    print_outcome(&ds, &load, &reports, &shown)?;

    let rejected = load.rejections().len();
    let s = if rejected == 1 { "" } else { "s" };
    if rejected > 0 && !request.lenient {
        to_stderr!(
            "error: {} rejection{s} (listed above); nothing written (with --lenient, what \
             loaded is written)",
            thousands(rejected as u64)
        );
        return Ok(ExitCode::from(1));
    }
    fs::create_dir_all(dir).map_err(|e| Failure::Data(format!("{shown}: {e}")))?;
    let mut wrote = Vec::new();
    for table in [Table::Registrations, Table::Deportations] {
        let path = ds.write_table(table, dir)?;
        wrote.push(format!("{} ({} records)", path.display(), thousands(ds.len(table) as u64)));
    }
    say(&format!("wrote {}\n", hints::escape(&wrote.join(", "))))?;
    if rejected > 0 {
        to_stderr!("warning: {} rejection{s} (listed above)", thousands(rejected as u64));
    }
    Ok(ExitCode::SUCCESS)
}

/// The kind, files and options of `import`.
fn request(global: &Global, kind: &ImportKind) -> Result<Request, Failure> {
    let (common, kind, command) = match kind {
        ImportKind::Unhcr(a) => (&a.common, Kind::Unhcr(unhcr_options(a)?), "import unhcr"),
        ImportKind::Hxl(a) => (&a.common, Kind::Hxl(Box::new(hxl_mapping(a)?)), "import hxl"),
        ImportKind::Other(words) => return Err(unknown_kind(words)),
    };
    let ImportCommon { files, out, delimiter, encoding } = common;
    let Some(out) = out.clone() else {
        return Err(Failure::Usage("import needs --out DIR".into(), command));
    };
    Ok(Request {
        kind,
        files: files.clone(),
        out,
        delimiter: *delimiter,
        encoding: *encoding,
        lenient: global.lenient,
    })
}

/// `import csv ...`: the kinds there are, and the nearest.
fn unknown_kind(words: &[OsString]) -> Failure {
    let kind = words.first().map(|w| w.to_string_lossy()).unwrap_or_default();
    let near = ["unhcr", "hxl"]
        .into_iter()
        .find(|k| hints::distance(k, &kind) <= 2)
        .map_or_else(String::new, |k| format!("; did you mean \"{k}\"?"));
    Failure::Usage(
        format!("\"{}\" is not an import kind (expected unhcr or hxl){near}", hints::escape(&kind)),
        "import",
    )
}

/// The options of `import unhcr`.
fn unhcr_options(a: &UnhcrArgs) -> Result<UnhcrOptions, Failure> {
    let mut options = UnhcrOptions::new().mid_year(a.mid_year);
    if let Some(years) = &a.years {
        options = options.years(parse_years(years)?);
    }
    Ok(options)
}

/// The dataset of `dir` (if it exists) with the files imported into it.
fn import(
    dir: &Path,
    request: &Request,
) -> Result<(Dataset, LoadReport, Vec<ImportReport>), Failure> {
    // The directory holds canonical files (comma-separated UTF-8); the
    // input options apply to the files imported.
    let mut loader = configure(Loader::new().lenient(true), &Input::default());
    if dir.is_dir() {
        loader.read_dir(dir)?;
    }
    if let Some(d) = request.delimiter {
        loader = loader.delimiter(d);
    }
    let mut reports = Vec::new();
    for path in &request.files {
        let name = path.display().to_string();
        let file = File::open(path)
            .map_err(|e| Failure::Data(format!("{}: {e}", hints::escape(&name))))?;
        let size = file.metadata().map_or(0, |m| m.len());
        let read = progress::bar(&name, size).wrap_read(file);
        let decoded = request.encoding.unwrap_or_default().reader(read);
        let reader = BufReader::with_capacity(1 << 16, decoded);
        let report = match &request.kind {
            Kind::Unhcr(options) => import_unhcr(&mut loader, &name, reader, options)?,
            Kind::Hxl(mapping) => import_hxl(&mut loader, &name, reader, mapping)?,
        };
        reports.push(report);
    }
    let (ds, load) = loader.finish();
    Ok((ds, load, reports))
}

/// Prints the rejections, a summary of each import and what `out` held
/// before.
fn print_outcome(
    ds: &Dataset,
    load: &LoadReport,
    reports: &[ImportReport],
    out: &str,
) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut stdout = io::BufWriter::new(stdout.lock());
    let mut lines = String::new();
    for r in load.rejections() {
        lines.push_str(&format!("{r}\n"));
    }
    for report in reports {
        lines.push_str(&summary(report));
    }
    if let Some(held) = already_held(ds, reports) {
        lines.push_str(&format!("{out} already held {held}\n"));
    }
    stdout.write_all(lines.as_bytes()).map_err(output_error)?;
    stdout.flush().map_err(output_error)
}

/// The records of each table that were not imported now (`1,024
/// registrations, 12 deportations`), if any.
fn already_held(ds: &Dataset, reports: &[ImportReport]) -> Option<String> {
    let imported =
        |table: Table| -> u64 {
            reports
                .iter()
                .map(|r| {
                    if table == Table::Registrations {
                        r.registrations()
                    } else {
                        r.deportations()
                    }
                })
                .sum()
        };
    let held: Vec<String> = Table::ALL
        .iter()
        .filter_map(|&t| {
            let before = (ds.len(t) as u64).saturating_sub(imported(t));
            (before > 0).then(|| format!("{} {}", thousands(before), t.name()))
        })
        .collect();
    (!held.is_empty()).then(|| held.join(", "))
}

/// One line on what an import read and made.
fn summary(r: &ImportReport) -> String {
    let mut s = format!(
        "read {} rows from {} ({} layout): {} registrations",
        thousands(r.rows_read()),
        r.file(),
        r.layout(),
        thousands(r.registrations())
    );
    if r.closing_zeros() > 0 {
        s.push_str(&format!(" ({} closing zeros)", thousands(r.closing_zeros())));
    }
    s.push_str(&format!(
        ", {} deportation events, {} rejected",
        thousands(r.deportations()),
        thousands(r.rows_rejected())
    ));
    if r.duplicates() > 0 {
        s.push_str(&format!(", {} duplicates refused", thousands(r.duplicates())));
    }
    if r.rows_skipped() > 0 {
        s.push_str(&format!(", {} rows not selected", thousands(r.rows_skipped())));
    }
    if r.rows_merged() > 0 {
        s.push_str(&format!(", {} rows added into earlier records", thousands(r.rows_merged())));
    }
    if !r.skipped_columns().is_empty() {
        s.push_str(&format!("; skipped columns: {}", r.skipped_columns().join(", ")));
    }
    s.push('\n');
    s
}

/// `2023`, `2000-2025` or `2000..2025`.
fn parse_years(s: &str) -> Result<std::ops::RangeInclusive<i32>, Failure> {
    let bad = || {
        Failure::Usage(
            format!("--years: \"{s}\" is not a year or a range (expected 2023 or 2000-2025)"),
            "import unhcr",
        )
    };
    let year = |t: &str| {
        let t = t.trim();
        if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
            t.parse::<i32>().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (a, b) = match s.split_once("..").or_else(|| s.split_once('-')) {
        Some((a, b)) => (year(a)?, year(b)?),
        None => (year(s)?, year(s)?),
    };
    if a > b {
        return Err(bad());
    }
    Ok(a..=b)
}

/// A mapping's setter of one column's tag pattern.
type SetTag = fn(HxlMapping, &str) -> HxlMapping;

/// The HXL mapping the flags describe.
fn hxl_mapping(a: &HxlArgs) -> Result<HxlMapping, Failure> {
    let usage = |msg: String| Failure::Usage(msg, "import hxl");
    let Some(source) = &a.source else {
        return Err(usage(
            "an hxl import needs --source TEXT: the publisher of the figures (e.g. \"IOM DTM\")"
                .into(),
        ));
    };
    let mut m = HxlMapping::new(source.clone());
    let tags: [(&Option<String>, SetTag); 4] = [
        (&a.date_tag, |m, p| m.date(p)),
        (&a.origin_tag, |m, p| m.origin(p)),
        (&a.host_tag, |m, p| m.host(p)),
        (&a.country_tag, |m, p| m.country(p)),
    ];
    for (tag, set) in tags {
        if let Some(p) = tag {
            m = set(m, p);
        }
    }
    for item in a.measure.iter().filter(|s| !s.trim().is_empty()) {
        let Some((pattern, target)) = item.split_once('=') else {
            return Err(usage(format!(
                "--measure: \"{item}\" is not PATTERN=TYPE (e.g. #population=refugees)"
            )));
        };
        let target = match (target.parse::<PopulationType>(), target.parse::<ReturnKind>()) {
            (Ok(p), _) => HxlTarget::Registrations(p),
            (_, Ok(k)) => HxlTarget::Deportations(k),
            _ => {
                return Err(usage(format!(
                    "--measure: \"{}\" is neither a population type ({}) nor a return kind ({})",
                    target.trim(),
                    PopulationType::LABELS.join(", "),
                    ReturnKind::LABELS.join(", ")
                )))
            }
        };
        m = m.measure(pattern, target);
    }
    if let Some(parts) = &a.parts {
        m = m.parts(match parts.trim() {
            "total" => HxlParts::Total,
            "sum" => HxlParts::Sum,
            other => return Err(usage(format!("--parts: \"{other}\" is not total or sum"))),
        });
    }
    for item in a.where_.iter().filter(|s| !s.trim().is_empty()) {
        let Some((pattern, value)) = item.split_once('=') else {
            return Err(usage(format!(
                "--where: \"{item}\" is not PATTERN=VALUE (e.g. #adm+level=0)"
            )));
        };
        m = m.filter(pattern, value);
    }
    Ok(m.sum_rows(a.sum_rows))
}
