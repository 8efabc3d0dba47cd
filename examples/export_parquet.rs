//! Writes a dataset as Parquet: `OUT/registrations.parquet`, ... and the
//! Hive layout by year under `OUT/by-year/` (`deportations/year=2023/...`).
//!
//! Usage: `cargo run --features parquet --example export_parquet -- OUT [DATA_DIR]`
//! (without `DATA_DIR`, the sample embedded in the crate). Each file is then
//! loaded back (strictly, with the time it took) and compared with the
//! dataset. `tools/readback.py` then reads the files with DuckDB and compares
//! them with the CSV files.

use std::time::Instant;

use refugee_data::{Dataset, Loader, Table};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let out = args.next().ok_or("usage: export_parquet OUT [DATA_DIR]")?;
    let loaded;
    let ds = match args.next() {
        Some(dir) => {
            let start = Instant::now();
            loaded = Dataset::load_dir(dir)?;
            println!("CSV files loaded in {:.2?}", start.elapsed());
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
    let mut loader = Loader::new();
    for table in Table::ALL {
        let start = Instant::now();
        loader.read_parquet_file(table, out.join(table.parquet_file_name()))?;
        let took = start.elapsed();
        println!("{table}: {} rows, loaded back in {took:.2?}", ds.len(table));
    }
    let back = loader.finish().0;
    let equal = back.registrations().eq(ds.registrations())
        && back.deportations().eq(ds.deportations())
        && back.statements().eq(ds.statements());
    if !equal {
        return Err("the Parquet files do not load back as the same dataset".into());
    }
    Ok(())
}
