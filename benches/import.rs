//! Import speed: UNHCR's whole `population.csv` (8.6 MB, 138,893 rows) read
//! from memory by `import_unhcr` into a strict loader (parsing, country
//! checks, closing zeros, duplicate detection: about 889,000 registrations
//! and 140,000 deportation events), and the same followed by writing the
//! canonical CSV files to memory. Needs `../shared/data` next to the crate;
//! prints a note and measures nothing without it.
//!
//! Run with `cargo bench --bench import`; add `-- --quick` for a fast check.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use refugee_data::{import_unhcr, Dataset, Loader, Table, UnhcrOptions};

fn import(bytes: &[u8]) -> Dataset {
    let mut loader = Loader::new();
    import_unhcr(&mut loader, "population.csv", bytes, &UnhcrOptions::new())
        .expect("population.csv imports strictly");
    loader.finish().0
}

fn bench(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/unhcr/population.csv");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("note: {} not found; nothing to measure", path.display());
        return;
    };
    let ds = import(&bytes);
    eprintln!(
        "population.csv: {} bytes -> {} registrations, {} deportation events",
        bytes.len(),
        ds.len(Table::Registrations),
        ds.len(Table::Deportations)
    );
    let mut group = c.benchmark_group("import_unhcr");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("population_csv", |b| b.iter(|| import(black_box(&bytes))));
    group.bench_function("population_csv_and_write", |b| {
        b.iter(|| {
            let ds = import(black_box(&bytes));
            let mut out = Vec::with_capacity(48 << 20);
            for table in [Table::Registrations, Table::Deportations] {
                ds.write_csv(table, &mut out).unwrap();
            }
            out.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
