//! Writes a dataset as Parquet: `OUT/registrations.parquet`, ... and the
//! Hive layout by year under `OUT/by-year/` (`deportations/year=2023/...`).
//!
//! Usage: `cargo run --features parquet --example export_parquet -- OUT [DATA_DIR]`
//! (without `DATA_DIR`, the sample embedded in the crate). `tools/readback.py`
//! then reads the files with DuckDB and compares them with the CSV files.

use refugee_data::{Dataset, Table};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let out = args.next().ok_or("usage: export_parquet OUT [DATA_DIR]")?;
    let loaded;
    let ds = match args.next() {
        Some(dir) => {
            loaded = Dataset::load_dir(dir)?;
            &loaded
        }
        None => Dataset::sample(),
    };
    let out = std::path::Path::new(&out);
    for path in ds.write_parquet_dir(out)? {
        println!("{}", path.display());
    }
    let files = ds.write_parquet_partitioned(out.join("by-year"))?;
    println!("{} files by year under {}", files.len(), out.join("by-year").display());
    for table in Table::ALL {
        println!("{table}: {} rows", ds.len(table));
    }
    Ok(())
}
