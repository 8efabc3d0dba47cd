//! A thousand randomly mutated copies of the sample files (`data/`), each
//! checked twice (issue 5):
//!
//! * the library, file by file, leniently and strictly, with the invariants of
//!   `tests/fuzz_regressions/invariants.rs` (no panic; `loaded + rejected =
//!   rows read`; the strict loader fails exactly when the lenient one rejects
//!   a row or reports an error; positions within the file; bounded messages);
//! * the command line, `refugee-data validate --data DIR` on the copy, with a
//!   timeout: it must exit 0 or 1 (never 101, a panic), print no panic or
//!   backtrace, and print exactly what the library found: every error and
//!   rejection, then `loaded + rejected = read` counts for each file.
//!
//! Mutations: bytes flipped or replaced, the file cut, ranges deleted or
//! duplicated, and quotes, commas, line ends, NULs, 0xFF bytes and BOMs
//! inserted; 1 to 8 of them a file, from a fixed-seed splitmix64 generator,
//! so a failing copy is reproduced by its number: `MUTATION_ONLY=N` checks
//! copy N alone. `MUTATION_COPIES=N` runs another number of copies,
//! `MUTATION_SEED=S` another seed.

#[path = "../examples/gen/mod.rs"]
mod gen;
#[path = "fuzz_regressions/invariants.rs"]
mod invariants;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gen::SplitMix64;
use refugee_data::Table;

/// How long one `validate` run may take before it counts as a hang.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Worker threads (the machines this runs on have two cores).
const WORKERS: u64 = 2;

/// Bytes that break CSV structure or encodings.
const INSERTS: &[&[u8]] = &[
    b"\"",
    b",",
    b"\n",
    b"\r",
    b"\r\n",
    b"\0",
    b"\xFF",
    b"\xEF\xBB\xBF",
    b"\"\"",
    b",\"",
    b"\xC3",
    b"\n\n",
];

/// Applies 1 to 8 random mutations to `data`.
fn mutate(rng: &mut SplitMix64, data: &mut Vec<u8>) {
    for _ in 0..1 + rng.index(8) {
        let len = data.len();
        match rng.index(7) {
            // Flip one bit.
            0 if len > 0 => {
                let i = rng.index(len);
                data[i] ^= 1 << rng.index(8);
            }
            // Replace a byte with any byte.
            1 if len > 0 => {
                let i = rng.index(len);
                data[i] = rng.next_u64() as u8;
            }
            // Cut the file.
            2 if len > 0 => data.truncate(rng.index(len)),
            // Delete a range.
            3 if len > 0 => {
                let at = rng.index(len);
                let n = 1 + rng.index((len - at).min(4096));
                data.drain(at..at + n);
            }
            // Duplicate a range somewhere else.
            4 if len > 0 => {
                let at = rng.index(len);
                let n = 1 + rng.index((len - at).min(4096));
                let copy = data[at..at + n].to_vec();
                let to = rng.index(len + 1);
                data.splice(to..to, copy);
            }
            // Insert bytes that matter to CSV or UTF-8.
            _ => {
                let what = INSERTS[rng.index(INSERTS.len())];
                let to = rng.index(len + 1);
                data.splice(to..to, what.iter().copied());
            }
        }
    }
}

/// The sample files, in `Table::ALL` order.
fn samples() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    Table::ALL
        .iter()
        .map(|t| {
            std::fs::read(dir.join(t.file_name()))
                .unwrap_or_else(|e| panic!("{}: {e}", t.file_name()))
        })
        .collect()
}

/// Copy `n` of the samples: each file mutated, or (rarely) left out.
fn copy(seed: u64, n: u64, samples: &[Vec<u8>]) -> Vec<Option<Vec<u8>>> {
    let mut rng = SplitMix64::new(seed ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03));
    samples
        .iter()
        .map(|sample| {
            if rng.index(40) == 0 {
                return None;
            }
            let mut data = sample.clone();
            mutate(&mut rng, &mut data);
            Some(data)
        })
        .collect()
}

/// A message as the command line prints it: control characters escaped.
fn escaped(s: &str) -> String {
    refugee_data::escape_controls(s).into_owned()
}

/// What `validate` must print for a copy: the library's errors, then its
/// rejections, then the counts (as `src/bin/refugee-data/main.rs` does);
/// and the warnings it must print on stderr.
fn expected(files: &[Option<Vec<u8>>], checks: invariants::Checks) -> (String, String, bool) {
    let mut errors = String::new();
    let mut rejections = String::new();
    let mut counts = String::new();
    let mut warnings = String::new();
    let mut bad = false;
    for (table, data) in Table::ALL.iter().zip(files) {
        let outcome = match data {
            Some(data) => invariants::check_canonical_with(*table, false, data, checks),
            None => invariants::Outcome {
                error: None,
                read: 0,
                loaded: 0,
                rejected: 0,
                rejections: Vec::new(),
                warnings: Vec::new(),
            },
        };
        if let Some(e) = &outcome.error {
            errors.push_str(&format!("{}\n", escaped(&e.to_string())));
            bad = true;
        }
        for r in &outcome.rejections {
            rejections.push_str(&format!("{}\n", escaped(&r.to_string())));
            bad = true;
        }
        for w in &outcome.warnings {
            warnings.push_str(&format!("warning: {}\n", escaped(&w.to_string())));
        }
        counts.push_str(&format!(
            "{}: {} rows read, {} loaded, {} rejected\n",
            table.file_name(),
            outcome.read,
            outcome.loaded,
            outcome.rejected
        ));
    }
    (errors + &rejections + &counts, warnings, bad)
}

/// Runs `validate` on `dir`, killing it after [`TIMEOUT`].
fn validate(dir: &Path) -> Result<(Option<i32>, String, String), String> {
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_refugee-data"))
            .args(["validate", "--data"])
            .arg(dir)
            .env("RUST_BACKTRACE", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
    };
    // A `cargo build` elsewhere may be relinking the binary just now.
    let mut child = spawn()
        .or_else(|_| {
            std::thread::sleep(Duration::from_secs(2));
            spawn()
        })
        .map_err(|e| format!("running validate: {e}"))?;
    // Drain both pipes on threads so that a large output cannot block the child.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("no answer within {TIMEOUT:?}"));
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let out = String::from_utf8_lossy(&out.join().unwrap()).into_owned();
    let err = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
    Ok((status.code(), out, err))
}

/// A fresh directory under the system's temporary directory.
fn temp_dir(tag: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("refugee-data-mutation-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What checking copies took and found.
#[derive(Default)]
struct Stats {
    /// Copies checked.
    checked: u64,
    /// Copies with a rejection or an error.
    with_problems: u64,
    /// Time spent in the library (lenient and strict loads).
    library: Duration,
    /// Time spent running `validate`.
    cli: Duration,
    /// The slowest `validate` run.
    slowest: Duration,
}

/// Checks one copy in the library and on the command line.
fn check_copy(
    dir: &Path,
    files: &[Option<Vec<u8>>],
    checks: invariants::Checks,
    stats: &mut Stats,
) -> Result<(), String> {
    for (table, data) in Table::ALL.iter().zip(files) {
        let path = dir.join(table.file_name());
        match data {
            Some(data) => std::fs::write(&path, data)
                .map_err(|e| format!("writing {}: {e}", path.display()))?,
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    stats.checked += 1;
    let start = Instant::now();
    let (want_out, want_err, bad) =
        std::panic::catch_unwind(|| expected(files, checks)).map_err(|p| panic_message(&*p))?;
    stats.library += start.elapsed();
    let start = Instant::now();
    let (code, out, err) = validate(dir)?;
    let took = start.elapsed();
    stats.cli += took;
    stats.slowest = stats.slowest.max(took);
    if err.contains("panicked") || err.contains("RUST_BACKTRACE") || err.contains("backtrace") {
        return Err(format!("validate panicked:\n{err}"));
    }
    match code {
        Some(0) | Some(1) => {}
        other => return Err(format!("validate exited with {other:?}:\n{err}")),
    }
    if code != Some(if bad { 1 } else { 0 }) {
        return Err(format!("exit code {code:?}, but the library found problems: {bad}"));
    }
    if out != want_out {
        return Err(format!("stdout differs:\n--- got\n{out}\n--- expected\n{want_out}"));
    }
    if err != want_err {
        return Err(format!("stderr differs:\n--- got\n{err}\n--- expected\n{want_err}"));
    }
    stats.with_problems += bad as u64;
    Ok(())
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    let text = p
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    format!("the library broke an invariant: {text}")
}

#[test]
fn mutated_samples_never_panic_hang_or_lose_a_row() {
    let copies: u64 =
        std::env::var("MUTATION_COPIES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let seed: u64 = std::env::var("MUTATION_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5EED_2023_1101);
    let only: Option<u64> = std::env::var("MUTATION_ONLY").ok().and_then(|v| v.parse().ok());
    let samples = samples();
    let start = Instant::now();
    let results: Vec<(Vec<String>, Stats)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|w| {
                let samples = &samples;
                s.spawn(move || {
                    let dir = temp_dir(&format!("w{w}"));
                    let mut failures = Vec::new();
                    let mut stats = Stats::default();
                    for n in (w..copies).step_by(WORKERS as usize) {
                        if only.is_some_and(|only| only != n) {
                            continue;
                        }
                        let files = copy(seed, n, samples);
                        let checks = invariants::Checks { queries: false, strict: true };
                        if let Err(e) = check_copy(&dir, &files, checks, &mut stats) {
                            failures.push(format!(
                                "copy {n} (MUTATION_SEED={seed} MUTATION_ONLY={n}): {e}"
                            ));
                        }
                    }
                    let _ = std::fs::remove_dir_all(&dir);
                    (failures, stats)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let failures: Vec<&String> = results.iter().flat_map(|(f, _)| f).collect();
    let with_problems: u64 = results.iter().map(|(_, s)| s.with_problems).sum();
    let checked: u64 = results.iter().map(|(_, s)| s.checked).sum();
    let library: Duration = results.iter().map(|(_, s)| s.library).sum();
    let cli: Duration = results.iter().map(|(_, s)| s.cli).sum();
    let slowest = results.iter().map(|(_, s)| s.slowest).max().unwrap_or_default();
    eprintln!(
        "{checked} mutated copies in {:.1?} ({WORKERS} workers; library {library:.1?}, \
         validate {cli:.1?}, slowest validate {slowest:.1?}): {with_problems} with rejections \
         or errors",
        start.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.iter().take(5).map(|s| s.as_str()).collect::<Vec<_>>().join("\n\n")
    );
    // The mutations do make files bad: most copies must have something rejected.
    if only.is_none() {
        assert!(with_problems * 2 > copies, "only {with_problems} of {copies} copies had problems");
    }
}

#[test]
fn mutations_are_reproducible() {
    let samples = samples();
    assert_eq!(copy(7, 42, &samples), copy(7, 42, &samples));
    assert_ne!(copy(7, 42, &samples), copy(7, 43, &samples));
}
