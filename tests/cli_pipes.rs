//! A reader that closes standard output early (`query ... | head -1`) ends
//! the program quietly with status 0, as ripgrep and xsv do.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn closes_early(args: &[&str]) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_refugee-data"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    // The reader is dropped here: the rest of the output meets a closed pipe.
    assert!(!first.is_empty());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
}

#[test]
fn a_closed_stdout_ends_quietly() {
    // Each prints far more than a pipe holds (64 KiB).
    closes_early(&[
        "query",
        "registrations",
        "--by",
        "year,origin,host,population,source",
        "--format",
        "csv",
    ]);
    closes_early(&["query", "registrations", "--by", "year,host,population,source"]);
    closes_early(&[
        "query",
        "registrations",
        "--by",
        "year,origin,host,population,source",
        "--format",
        "json",
    ]);
}
