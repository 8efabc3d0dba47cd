//! What the command line adds for a person at a terminal: checks of a data
//! directory, escaped control characters, hints for filters that match
//! nothing.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_refugee-data")).args(args).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    (out.status.code(), text(out.stdout), text(out.stderr))
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("refugee-data-hints-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_directory_without_the_three_files_is_an_error_naming_them() {
    let dir = temp_dir("empty");
    let d = dir.to_str().unwrap();
    for args in [vec!["query", "registrations", "--data", d], vec!["validate", "--data", d]] {
        let (code, out, err) = run(&args);
        assert_eq!(code, Some(1), "{args:?}");
        assert_eq!(out, "");
        assert_eq!(
            err,
            format!(
                "error: {d}: no registrations.csv, deportations.csv or statements.csv (a data \
                 directory holds at least one of them, or the same tables as .parquet files)\n"
            )
        );
    }
    // A file of another case or extension gets a hint.
    std::fs::write(dir.join("Registrations.CSV"), "date\n").unwrap();
    std::fs::write(dir.join("deportations.txt"), "date\n").unwrap();
    let (code, _, err) = run(&["query", "registrations", "--data", d]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains(
            "hint: \"Registrations.CSV\" is not read: the file must be named registrations.csv\n"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "hint: \"deportations.txt\" is not read: the file must be named deportations.csv\n"
        ),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn validate_escapes_control_characters_from_files() {
    let dir = temp_dir("escape");
    std::fs::write(
        dir.join("registrations.csv"),
        "date,origin,host,population,count,source\n2023-12-31,\u{1b}[2J,PAK,refugees,5,X\n",
    )
    .unwrap();
    let (code, out, _) = run(&["validate", "--data", dir.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(
        out.starts_with(
            "registrations.csv:2: column \"origin\": \"\\x1b[2J\" is not a known country"
        ),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_text_filter_that_matches_nothing_gets_a_hint() {
    let (code, out, err) = run(&["query", "registrations", "--source", "unhcr", "--format", "csv"]);
    assert_eq!(code, Some(0));
    assert_eq!(out, "persons\n", "the answer stays the header alone");
    assert_eq!(
        err,
        "hint: --source \"unhcr\" matches no registrations (text filters match exactly); did you mean \"UNHCR\"?\n"
    );
    // A value that matches gets none.
    let (_, _, err) = run(&["query", "registrations", "--source", "UNHCR", "--format", "csv"]);
    assert_eq!(err, "");
}
