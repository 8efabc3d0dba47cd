//! A progress bar shows while a large file (over 50 MB) is read, on
//! standard error, only for a person at a terminal: never in a pipe, a
//! redirect or CI.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_refugee-data");

/// A directory holding a `registrations.csv` of just over 50 MB: 20,000
/// series (origin, host, population, source) of 10 dates each, every row
/// with one long reference (kept once, as texts are).
fn big_dataset() -> (PathBuf, u64) {
    let dir = std::env::temp_dir().join(format!("refugee-data-progress-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let reference = "r".repeat(240);
    let mut csv = String::from("date,origin,host,population,count,source,reference\n");
    let mut rows = 0u64;
    while csv.len() <= 50_000_000 {
        let (series, year) = (rows / 10, 2000 + rows % 10);
        csv.push_str(&format!(
            "{year}-12-31,AFG,PAK,refugees,{rows},source {series},{reference}\n"
        ));
        rows += 1;
    }
    std::fs::write(dir.join("registrations.csv"), csv).unwrap();
    (dir, rows)
}

/// The query of the test, with `--data dir`.
fn args(dir: &Path) -> Vec<String> {
    ["query", "registrations", "--by", "year", "--source", "source 0", "--format", "csv", "--data"]
        .iter()
        .map(|s| s.to_string())
        .chain([dir.to_str().unwrap().to_string()])
        .collect()
}

/// True if `bytes` hold what a terminal bar writes: a carriage return or
/// an escape sequence.
fn has_progress(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| b == b'\r' || b == 0x1b)
}

/// Runs the query at a terminal (under `script`, which gives it one), with
/// `CI` set to `ci` or unset; all that the terminal received. `None` where
/// `script` is not installed.
fn at_a_terminal(dir: &Path, ci: Option<&str>) -> Option<Vec<u8>> {
    let quoted: Vec<String> =
        [BIN.to_string()].into_iter().chain(args(dir)).map(|a| format!("'{a}'")).collect();
    let mut cmd = Command::new("script");
    // Standard output to /dev/null: only standard error reaches the terminal.
    cmd.args(["-qec", &format!("{} > /dev/null", quoted.join(" ")), "/dev/null"]);
    match ci {
        Some(v) => cmd.env("CI", v),
        None => cmd.env_remove("CI"),
    };
    let out = cmd.output().ok()?;
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    Some(out.stdout)
}

#[test]
fn a_large_file_shows_progress_only_at_a_terminal_outside_ci() {
    let (dir, rows) = big_dataset();
    assert_eq!(rows % 10, 0);

    // Standard error to a pipe, CI unset: the answer and nothing else.
    let out = Command::new(BIN).args(args(&dir)).env_remove("CI").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let want: String = std::iter::once("year,persons\n".to_string())
        .chain((0..10).map(|y| format!("{},{y}\n", 2000 + y)))
        .collect();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), want);
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "", "no progress in a pipe");

    match at_a_terminal(&dir, None) {
        None => eprintln!("note: `script` is not installed: the terminal cases are not checked"),
        Some(terminal) => {
            let shown = String::from_utf8_lossy(&terminal);
            assert!(has_progress(&terminal), "a bar at a terminal: {shown:?}");
            assert!(shown.contains("registrations.csv ["), "{shown:?}");
            let in_ci = at_a_terminal(&dir, Some("true")).unwrap();
            assert_eq!(String::from_utf8_lossy(&in_ci), "", "no bar in CI");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_normal_run_writes_no_progress_bytes() {
    // Small files, standard error a pipe: every command's standard error is
    // free of carriage returns and escape sequences.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let out =
        std::env::temp_dir().join(format!("refugee-data-progress-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let o = out.to_str().unwrap().to_string();
    let population = fixture.join("unhcr_population_excerpt.csv").to_str().unwrap().to_string();
    let runs: [Vec<&str>; 4] = [
        vec!["import", "unhcr", &population, "--out", &o],
        vec!["summary", "--data", &o],
        vec!["validate", "--data", &o],
        vec!["query", "registrations", "--by", "year", "--data", &o],
    ];
    for args in runs {
        let run = Command::new(BIN).args(&args).env_remove("CI").output().unwrap();
        assert_eq!(
            run.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&run.stderr), "", "{args:?}");
        assert!(!has_progress(&run.stdout), "{args:?}");
    }
    std::fs::remove_dir_all(&out).unwrap();
}
