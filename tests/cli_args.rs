//! The command line's arguments: each command's help names every flag, a
//! usage error is short and names the help to try, near misses get a "did
//! you mean", global flags go anywhere, repeated filter flags add up,
//! arguments need not be UTF-8 where they are paths, and the input options
//! read files as spreadsheets save them.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use refugee_data::{Dataset, Dimension, Loader, Query, Table};

fn run<I, S>(args: I) -> (Option<i32>, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new(env!("CARGO_BIN_EXE_refugee-data")).args(args).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code(), text(out.stdout), text(out.stderr))
}

/// A fresh directory under the system's temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("refugee-data-args-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The filter flag of `d` with a prefix (`--flow-origin`).
fn flag(prefix: &str, d: Dimension) -> String {
    format!("--{prefix}{}", d.name().replace('_', "-"))
}

/// Asserts that `help` describes each of `flags`: the flag is followed, on
/// its line or the next, by text.
fn assert_describes(command: &str, help: &str, flags: &[String]) {
    let lines: Vec<&str> = help.lines().collect();
    for f in flags {
        let at = lines
            .iter()
            .position(|l| long_flag(l).split(' ').next() == Some(f.as_str()))
            .unwrap_or_else(|| panic!("{command} --help does not list {f}:\n{help}"));
        let own =
            lines[at].trim_start()[f.len()..].split("  ").skip(1).any(|t| !t.trim().is_empty());
        let next = lines.get(at + 1).is_some_and(|l| {
            let l = l.trim_start();
            !l.is_empty() && !l.starts_with('-')
        });
        assert!(own || next, "{command} --help lists {f} without a description:\n{help}");
    }
}

/// A help line from its long flag on (`--help` of `  -h, --help`).
fn long_flag(line: &str) -> &str {
    let l = line.trim_start();
    match l.as_bytes() {
        [b'-', c, b',', b' ', ..] if *c != b'-' => &l[4..],
        _ => l,
    }
}

const GLOBAL: [&str; 3] = ["--data", "--lenient", "--format"];
const INPUT: [&str; 2] = ["--delimiter", "--encoding"];

#[test]
fn each_command_help_describes_every_flag() {
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut query = strings(&[
        "--safe-csv",
        "--by",
        "--from",
        "--to",
        "--as-of",
        "--with",
        "--per-stock",
        "--stock-source",
    ]);
    query.extend(Dimension::ALL.iter().filter(|d| !d.is_time()).map(|&d| flag("", d)));
    let mut window = strings(&["--days", "--from", "--to", "--safe-csv"]);
    window.extend(Dimension::categorical(Table::Statements).iter().map(|&d| flag("statement-", d)));
    window.extend(Dimension::categorical(Table::Deportations).iter().map(|&d| flag("flow-", d)));
    let import = ["--out", "--delimiter", "--encoding"];
    let unhcr = [&import[..], &["--mid-year", "--years"]].concat();
    let hxl = [
        &import[..],
        &[
            "--source",
            "--measure",
            "--parts",
            "--where",
            "--sum-rows",
            "--date-tag",
            "--origin-tag",
            "--host-tag",
            "--country-tag",
        ],
    ]
    .concat();
    let chart = strings(&["--out", "--title", "--measure", "--width", "--height"]);
    let chart = [chart, query[1..].to_vec(), strings(&INPUT)].concat();
    let cases: [(&[&str], Vec<String>); 8] = [
        (&["summary"], strings(&INPUT)),
        (&["validate"], strings(&INPUT)),
        (&["query"], [query, strings(&INPUT)].concat()),
        (&["chart"], chart),
        (&["window"], [window, strings(&INPUT)].concat()),
        (&["import", "unhcr"], strings(&unhcr)),
        (&["import", "hxl"], strings(&hxl)),
        (&["completions"], Vec::new()),
    ];
    for (command, flags) in cases {
        let flags = [flags, strings(&GLOBAL), strings(&["--help"])].concat();
        for help in ["--help", "-h"] {
            let (code, out, err) = run(command.iter().chain([&help]));
            assert_eq!((code, err.as_str()), (Some(0), ""), "{command:?} {help}");
            assert_describes(&format!("{command:?} {help}"), &out, &flags);
        }
    }
}

#[test]
fn a_usage_error_is_one_line_a_tip_and_the_help_to_try() {
    let (code, out, err) = run(["query", "registrations", "--orign", "AFG"]);
    assert_eq!(code, Some(2));
    assert_eq!(out, "");
    assert_eq!(
        err,
        "error: unexpected argument '--orign' found\n  tip: a similar argument exists: \
         '--origin'\ntry 'refugee-data query --help'\n"
    );
    // Without a near miss: the error line and the help to try, nothing else.
    let (code, _, err) = run(["window", "--data", "d"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: the following required arguments were not provided: --days <N>\ntry \
         'refugee-data window --help'\n"
    );
    assert_eq!(err.lines().count(), 2);
    let (code, _, err) = run(["import", "hxl", "x.csv", "--out", "d"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: an hxl import needs --source TEXT: the publisher of the figures (e.g. \"IOM \
         DTM\")\ntry 'refugee-data import hxl --help'\n"
    );
    let (code, _, err) = run(["query", "registrations", "--format", "xml"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: invalid value 'xml' for '--format <FORMAT>'\n  [possible values: table, csv, \
         json, parquet]\ntry 'refugee-data query --help'\n"
    );
    // A flag of another table, and a global flag a command does not use.
    let (code, _, err) = run(["query", "registrations", "--kind", "deported"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: --kind does not apply to registrations\ntry 'refugee-data query --help'\n"
    );
    let (code, _, err) = run(["--format", "csv", "summary"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: --format applies to query and window; summary writes one format\ntry \
         'refugee-data summary --help'\n"
    );
}

/// Runs `args`, expecting a usage error with `tip`.
fn suggests(args: &[&str], error: &str, tip: &str, command: &str) {
    let (code, out, err) = run(args);
    assert_eq!((code, out.as_str()), (Some(2), ""), "{args:?}");
    let command = format!("refugee-data {command}");
    assert_eq!(err, format!("error: {error}\n  tip: {tip}\ntry '{} --help'\n", command.trim()));
}

#[test]
fn near_misses_get_a_suggestion() {
    suggests(
        &["qeury", "registrations"],
        "unrecognized subcommand 'qeury'",
        "a similar subcommand exists: 'query'",
        "",
    );
    suggests(
        &["query", "registraions"],
        "invalid value 'registraions' for '<TABLE>'",
        "a similar value exists: 'registrations'",
        "query",
    );
    suggests(
        &["query", "registrations", "--by", "origin,yaer"],
        "invalid value 'yaer' for '--by <DIM,...>'",
        "a similar value exists: 'year'",
        "query",
    );
    suggests(
        &["query", "statements", "--by", "actor_contry"],
        "invalid value 'actor_contry' for '--by <DIM,...>'",
        "a similar value exists: 'actor_country'",
        "query",
    );
    suggests(
        &["query", "deportations", "--by", "year", "--with", "cumulativ"],
        "invalid value 'cumulativ' for '--with <COLUMN,...>'",
        "a similar value exists: 'cumulative'",
        "query",
    );
    suggests(
        &["window", "--days", "30", "--flow-orign", "AFG"],
        "unexpected argument '--flow-orign' found",
        "a similar argument exists: '--flow-origin'",
        "window",
    );
    suggests(
        &["import", "hxl", "x.csv", "--out", "d", "--sum-row"],
        "unexpected argument '--sum-row' found",
        "a similar argument exists: '--sum-rows'",
        "import hxl",
    );
    let (code, _, err) = run(["import", "unhrc", "x.csv", "--out", "d"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: \"unhrc\" is not an import kind (expected unhcr or hxl); did you mean \
         \"unhcr\"?\ntry 'refugee-data import --help'\n"
    );
}

/// The CSV answer of a query on the sample, computed by the library.
fn expected_csv(q: &Query) -> String {
    let mut out = Vec::new();
    Dataset::sample().query(q).unwrap().write_csv(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn global_flags_go_before_or_after_the_command() {
    let want = expected_csv(&Query::deportations().by(Dimension::Year).by(Dimension::Source));
    let after = run(["query", "deportations", "--by", "year,source", "--format", "csv"]);
    let before = run(["--format", "csv", "query", "deportations", "--by", "year,source"]);
    let between = run(["query", "--format=csv", "deportations", "--by", "year,source"]);
    for got in [after, before, between] {
        assert_eq!(got, (Some(0), want.clone(), String::new()));
    }

    let dir = temp_dir("global");
    let csv = "date,origin,host,population,count,source\n2023-12-31,AFG,PAK,refugees,5,UNHCR\n\
               2023-12-31,AFG,Atlantis,refugees,7,UNHCR\n";
    std::fs::write(dir.join("registrations.csv"), csv).unwrap();
    let d = dir.to_str().unwrap();
    let warning =
        format!("warning: 1 row rejected (run `refugee-data validate --data {d}` to list them)\n");
    let before = run(["--data", d, "--lenient", "query", "registrations", "--format", "csv"]);
    let after = run(["query", "registrations", "--format", "csv", "--lenient", "--data", d]);
    for got in [before, after] {
        assert_eq!(got, (Some(0), "persons\n5\n".to_string(), warning.clone()));
    }
    // Strict without --lenient: the rejected row is an error.
    let (code, _, err) = run(["--data", d, "query", "registrations"]);
    assert_eq!(code, Some(1));
    assert!(err.starts_with("error: registrations.csv:3: column \"host\""), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn repeated_filter_flags_add_up_like_a_comma_list() {
    let base = ["query", "registrations", "--by", "host", "--source", "UNHCR", "--format", "csv"];
    let hosts = Query::registrations().by(Dimension::Host).filter(Dimension::Source, ["UNHCR"]);
    let want = expected_csv(&hosts.clone().filter(Dimension::Host, ["PAK", "IRN"]));
    assert_eq!(want.lines().count(), 3, "a header and two hosts:\n{want}");
    let repeated = run(base.iter().chain(&["--host", "PAK", "--host", "IRN"]));
    let listed = run(base.iter().chain(&["--host", "PAK,IRN"]));
    let mixed = run(base.iter().chain(&["--host", "PAK", "--host=IRN,PAK"]));
    for got in [repeated, listed, mixed] {
        assert_eq!(got, (Some(0), want.clone(), String::new()));
    }
    // --by and --with append too.
    let by = run(["query", "deportations", "--by", "year", "--by", "source", "--format", "csv"]);
    let want = expected_csv(&Query::deportations().by(Dimension::Year).by(Dimension::Source));
    assert_eq!(by, (Some(0), want, String::new()));
}

#[cfg(unix)]
#[test]
fn arguments_need_not_be_utf8() {
    use std::os::unix::ffi::OsStrExt;
    // A path: any bytes the system allows.
    let dir = temp_dir("os").join(OsStr::from_bytes(b"data-\xff"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("registrations.csv"),
        "date,origin,host,population,count,source\n2023-12-31,AFG,PAK,refugees,5,UNHCR\n",
    )
    .unwrap();
    let args: [&OsStr; 5] = [
        "query".as_ref(),
        "registrations".as_ref(),
        "--data".as_ref(),
        dir.as_os_str(),
        "--format=csv".as_ref(),
    ];
    assert_eq!(run(args), (Some(0), "persons\n5\n".to_string(), String::new()));
    // A text filter: a usage error naming the flag, never a panic.
    let args: [&OsStr; 4] = [
        "query".as_ref(),
        "registrations".as_ref(),
        "--source".as_ref(),
        OsStr::from_bytes(b"UN\xffHCR"),
    ];
    assert_eq!(
        run(args),
        (
            Some(2),
            String::new(),
            "error: the value \"UN\\xffHCR\" of --source <VALUE,...> is not UTF-8 text\ntry \
             'refugee-data query --help'\n"
                .to_string()
        )
    );
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

/// The answer of `args` on a directory holding `file` as `registrations.csv`.
fn query_file(name: &str, file: &[u8], args: &[&str]) -> (Option<i32>, String, String) {
    let dir = temp_dir(name);
    std::fs::write(dir.join("registrations.csv"), file).unwrap();
    let d = dir.to_str().unwrap();
    let base = ["query", "registrations", "--by", "origin,host", "--format", "csv", "--data", d];
    let got = run(base.iter().chain(args));
    std::fs::remove_dir_all(&dir).unwrap();
    got
}

/// The CSV answer of `--by origin,host` on `file`, loaded by the library.
fn library_answer(file: &str) -> String {
    let mut loader = Loader::new();
    loader.read(Table::Registrations, "registrations.csv", file.as_bytes()).unwrap();
    let q = Query::registrations().by(Dimension::Origin).by(Dimension::Host);
    let mut out = Vec::new();
    loader.finish().0.query(&q).unwrap().write_csv(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

const COMMA: &str = "date,origin,host,population,count,source\n\
                     2023-12-31,AFG,PAK,refugees,1987717,UNHCR\n\
                     2023-12-31,Côte d'Ivoire,LBR,refugees,5,UNHCR\n";

#[test]
fn a_semicolon_file_loads_with_delimiter() {
    let semicolons = COMMA.replace(',', ";");
    let want = library_answer(COMMA);
    assert_eq!(want.lines().count(), 3, "{want}");
    let got = query_file("semicolon", semicolons.as_bytes(), &["--delimiter", ";"]);
    assert_eq!(got, (Some(0), want.clone(), String::new()));
    let tabs = COMMA.replace(',', "\t");
    for d in ["tab", "\\t", "\t"] {
        let got = query_file("tab", tabs.as_bytes(), &["--delimiter", d]);
        assert_eq!(got, (Some(0), want.clone(), String::new()), "{d:?}");
    }
    // Without it: the library's error, and the flag that fixes it.
    let (code, out, err) = query_file("semicolon-hint", semicolons.as_bytes(), &[]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert!(
        err.ends_with("\nhint: if the file is separated by ';', add --delimiter ';'\n"),
        "{err}"
    );
    let (code, _, err) = query_file("bad-delimiter", semicolons.as_bytes(), &["--delimiter", ";;"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: invalid value ';;' for '--delimiter <CHAR>': expected one ASCII character other \
         than a quote or a line break, or `tab`\ntry 'refugee-data query --help'\n"
    );
}

#[test]
fn a_windows_1252_file_loads_with_encoding() {
    // "Côte d'Ivoire" in Windows-1252: ô is the byte 0xF4.
    let bytes: Vec<u8> =
        COMMA.chars().map(|c| if c == 'ô' { 0xF4 } else { u8::try_from(c).unwrap() }).collect();
    assert!(bytes.contains(&0xF4) && std::str::from_utf8(&bytes).is_err());
    let want = library_answer(COMMA);
    assert!(want.contains("CIV,LBR,5\n"), "{want}");
    for name in ["windows-1252", "latin1", "Windows-1252"] {
        let got = query_file("cp1252", &bytes, &["--encoding", name]);
        assert_eq!(got, (Some(0), want.clone(), String::new()), "{name}");
    }
    // Without it: the row is rejected, with the flag that fixes it.
    let (code, _, err) = query_file("cp1252-hint", &bytes, &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.ends_with(
            "\nhint: if the file was saved in another encoding, name it: --encoding windows-1252 \
             (or latin1, utf-16)\n"
        ),
        "{err}"
    );
    // UTF-16, little-endian with its byte-order mark.
    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain(COMMA.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let got = query_file("utf16", &utf16, &["--encoding", "utf-16"]);
    assert_eq!(got, (Some(0), want, String::new()));
}

#[test]
fn validate_and_summary_take_the_input_options() {
    let dir = temp_dir("validate");
    std::fs::write(dir.join("registrations.csv"), COMMA.replace(',', ";")).unwrap();
    let d = dir.to_str().unwrap();
    let (code, out, err) = run(["validate", "--data", d, "--delimiter", ";"]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert_eq!(
        out,
        "registrations.csv: 2 rows read, 2 loaded, 0 rejected\n\
         deportations.csv: 0 rows read, 0 loaded, 0 rejected\n\
         statements.csv: 0 rows read, 0 loaded, 0 rejected\n"
    );
    let (code, out, _) = run(["summary", "--delimiter", ";", "--data", d]);
    assert_eq!(code, Some(0));
    assert!(out.contains("\nregistrations            2  2023-12-31  2023-12-31\n"), "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The files of an import of `file` into a fresh directory, with `args`.
fn import(name: &str, file: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = temp_dir(name);
    let o = out.to_str().unwrap();
    let (code, _, err) =
        run([&["import", "unhcr", file.to_str().unwrap(), "--out", o][..], args].concat());
    let files = std::fs::read_to_string(out.join("registrations.csv")).unwrap_or_default()
        + &std::fs::read_to_string(out.join("deportations.csv")).unwrap_or_default();
    std::fs::remove_dir_all(&out).unwrap();
    (code, files, err)
}

#[test]
fn import_reads_a_semicolon_file_and_writes_canonical_files() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/unhcr_population_excerpt.csv");
    let text = std::fs::read_to_string(&fixture).unwrap();
    assert!(!text.contains(';') && !text.contains('"'), "the fixture converts by replacing ','");
    let dir = temp_dir("import-src");
    let semicolons = dir.join("population.csv");
    std::fs::write(&semicolons, text.replace(',', ";")).unwrap();
    let want = import("import-comma", &fixture, &[]);
    assert_eq!(want.0, Some(0), "{}", want.2);
    assert!(want.1.lines().count() > 2);
    let got = import("import-semicolon", &semicolons, &["--delimiter", ";"]);
    assert_eq!(got, want);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn import_decodes_a_utf16_file() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/unhcr_population_excerpt.csv");
    let text = std::fs::read_to_string(&fixture).unwrap();
    let dir = temp_dir("import-utf16");
    let utf16 = dir.join("population.csv");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&utf16, bytes).unwrap();
    let want = import("import-utf8", &fixture, &[]);
    assert_eq!(want.0, Some(0), "{}", want.2);
    assert_eq!(import("import-utf16-out", &utf16, &["--encoding", "utf-16"]), want);
    // Without the option the file is refused, not misread.
    assert_eq!(import("import-utf16-plain", &utf16, &[]).0, Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_command_lists_the_commands_and_version_prints_the_version() {
    let (code, out, err) = run::<[&str; 0], &str>([]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(err.contains("\nUsage: refugee-data [OPTIONS] <COMMAND>\n"), "{err}");
    for command in ["summary", "validate", "query", "window", "chart", "import", "completions"] {
        assert!(err.contains(&format!("\n  {command} ")), "{command}: {err}");
    }
    let want = format!("refugee-data {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(run(["--version"]), (Some(0), want, String::new()));
    // `help COMMAND` is `COMMAND --help`.
    assert_eq!(run(["help", "window"]), run(["window", "--help"]));
}

#[test]
fn chart_draws_the_query_as_the_library_does() {
    use refugee_data::{chart, ChartOptions};
    let dir = temp_dir("chart");
    let out = dir.join("returns.svg");
    let q = Query::deportations()
        .by(Dimension::Year)
        .by(Dimension::Host)
        .filter(Dimension::Origin, ["AFG"])
        .filter(Dimension::Host, ["PAK", "IRN"])
        .filter(Dimension::Kind, ["returned"])
        .filter(Dimension::Source, ["UNHCR"]);
    let options = ChartOptions::for_query(&q).size(640, 360).title("Returns");
    let result = Dataset::sample().query(&q).unwrap();
    assert!(result.len() > 4, "{} points", result.len());
    let want = chart::svg(&result, &options).unwrap();
    let (code, stdout, err) = run([
        "chart",
        "deportations",
        "--by",
        "year,host",
        "--origin",
        "AFG",
        "--host",
        "PAK",
        "--host",
        "IRN",
        "--kind",
        "returned",
        "--source",
        "UNHCR",
        "--width",
        "640",
        "--height",
        "360",
        "--title",
        "Returns",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert_eq!(stdout, format!("wrote {}\n", out.display()));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), want);
    assert_eq!(want.matches("<circle").count(), result.len(), "a dot per point");

    // Nothing to draw is the library's error; a chart needs --out.
    let (code, _, err) = run(["chart", "statements", "--source", "nobody", "--out", "x.svg"]);
    assert_eq!(code, Some(1));
    assert!(err.ends_with("error: nothing to chart: the result has no rows\n"), "{err}");
    let (code, _, err) = run(["chart", "statements"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: the following required arguments were not provided: --out <FILE.svg>\ntry \
         'refugee-data chart --help'\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
