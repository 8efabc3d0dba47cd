//! Writes synthetic canonical CSV with a fixed seed, for benchmarks and
//! experiments (never for `data/`, which holds real figures only).
//!
//! ```text
//! cargo run --release --example generate -- deportations  ROWS OUT_DIR [SEED]
//! cargo run --release --example generate -- registrations ROWS OUT_DIR [SEED]
//! ```
//!
//! Writes `OUT_DIR/deportations.csv` or `OUT_DIR/registrations.csv`
//! (creating `OUT_DIR`), then prints what it wrote to stderr. Same ROWS and
//! SEED, same bytes. See `examples/gen/mod.rs` for the distributions.

mod gen;

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: generate deportations|registrations ROWS OUT_DIR [SEED]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn parse_number(what: &str, s: &str) -> Result<u64, String> {
    let t = s.replace('_', "");
    let parsed = match t.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => t.parse(),
    };
    parsed.map_err(|_| format!("{what}: \"{s}\" is not a number"))
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !(3..=4).contains(&args.len()) {
        return Err("expected 3 or 4 arguments".into());
    }
    let table = args[0].as_str();
    let rows = parse_number("ROWS", &args[1])? as usize;
    let dir = PathBuf::from(&args[2]);
    let seed = match args.get(3) {
        Some(s) => parse_number("SEED", s)?,
        None => gen::SEED,
    };
    let file = match table {
        "deportations" => "deportations.csv",
        "registrations" => "registrations.csv",
        other => return Err(format!("unknown table \"{other}\"")),
    };
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(file);
    let out = File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let out = BufWriter::with_capacity(1 << 20, out);
    let started = Instant::now();
    let written = match table {
        "deportations" => gen::deportations(rows, seed, out).map(|()| rows),
        _ => gen::registrations(rows, seed, out),
    }
    .map_err(|e| format!("{}: {e}", path.display()))?;
    let bytes = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "wrote {} ({written} rows, {bytes} bytes, seed {seed:#x}) in {:.2} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
