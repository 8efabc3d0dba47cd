//! `refugee-data export` and `--data DIR` reading Parquet, through the binary.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;

fn run<I, S>(args: I) -> (Option<i32>, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new(env!("CARGO_BIN_EXE_refugee-data")).args(args).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code(), text(out.stdout), text(out.stderr))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("refugee-data-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The same questions asked of the sample and of `dir`: equal answers.
fn same_answers(dir: &str) {
    let questions: [&[&str]; 3] = [
        &[
            "query",
            "registrations",
            "--by",
            "year,host",
            "--origin",
            "AFG",
            "--population",
            "refugees",
            "--source",
            "UNHCR",
        ],
        &["query", "deportations", "--by", "year,host,source", "--origin", "AFG"],
        &["query", "statements", "--by", "stance,actor_country"],
    ];
    for q in questions {
        let want = run([q, &["--format", "csv"]].concat());
        assert_eq!(want.0, Some(0), "{}", want.2);
        assert!(want.1.lines().count() > 3, "{q:?}: {}", want.1);
        let got = run([q, &["--format", "csv", "--data", dir]].concat());
        assert_eq!(got, want, "{q:?}");
    }
    let (code, out, err) = run(["validate", "--data", dir]);
    assert_eq!(code, Some(0), "{out}{err}");
}

#[test]
fn a_csv_export_answers_as_the_sample_does() {
    let dir = temp_dir("csv");
    let d = dir.to_str().unwrap();
    let (code, out, err) = run(["export", "--out", d]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("wrote ") && out.contains("registrations.csv"), "{out}");
    for f in ["registrations.csv", "deportations.csv", "statements.csv"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    same_answers(d);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_parquet_export_is_read_back_by_data() {
    let dir = temp_dir("parquet");
    let d = dir.to_str().unwrap();
    let (code, _, err) = run(["export", "--format", "parquet", "--out", d]);
    assert_eq!(code, Some(0), "{err}");
    for f in ["registrations.parquet", "deportations.parquet", "statements.parquet"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    same_answers(d);
    // From Parquet back to CSV: the same answers again.
    let back = temp_dir("parquet-back");
    let b = back.to_str().unwrap();
    assert_eq!(run(["export", "--data", d, "--out", b]).0, Some(0));
    same_answers(b);
    // A table given both ways is an error, not two copies added.
    std::fs::copy(back.join("registrations.csv"), dir.join("registrations.csv")).unwrap();
    let (code, _, err) = run(["summary", "--data", d]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "error: registrations.parquet:0: registrations.csv is in the same directory: a table is \
         read from one file; move one of them away\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&back).unwrap();
}

#[test]
fn a_partitioned_export_has_one_file_a_year() {
    let dir = temp_dir("hive");
    let d = dir.to_str().unwrap();
    let (code, _, err) = run(["export", "--format", "parquet", "--partition", "year", "--out", d]);
    assert_eq!(code, Some(0), "{err}");
    assert!(dir.join("deportations/year=2023/part-0.parquet").is_file());
    assert!(dir.join("registrations/year=2000/part-0.parquet").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn formats_that_do_not_apply_are_usage_errors() {
    let (code, _, err) = run(["export", "--format", "json", "--out", "x"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: export writes --format csv or --format parquet\ntry 'refugee-data export --help'\n"
    );
    let (code, _, err) = run(["query", "registrations", "--format", "parquet"]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with(
            "error: --format parquet is for export; query and window print table, csv or json\n"
        ),
        "{err}"
    );
    let (code, _, err) = run(["export", "--partition", "year", "--out", "x"]);
    assert_eq!(code, Some(2));
    assert!(err.starts_with("error: --partition applies to --format parquet"), "{err}");
}
