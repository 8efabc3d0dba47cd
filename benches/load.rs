//! Loading speed: strict loading (full validation and duplicate detection)
//! of generated canonical CSV held in memory, so that disk speed is not
//! measured.
//!
//! * 1,000,000 deportation events of single days (~61 MB), the shape of
//!   daily border counts: the overlap check of flow periods stays idle;
//! * 1,000,000 deportation events of which a third are weekly periods
//!   (~66 MB): every row goes through the overlap check;
//! * ~850,000 UNHCR-like registrations (~34 MB),
//!
//! each reported twice: as bytes/s (group `load_bytes`) and as rows/s
//! (group `load_rows`). Run with `cargo bench --bench load`; add `-- --quick`
//! for a fast check.

#[path = "../examples/gen/mod.rs"]
mod gen;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use refugee_data::{Dataset, Loader, Table};

const DEPORTATIONS: usize = 1_000_000;
const REGISTRATIONS: usize = 850_000;

fn load(table: Table, bytes: &[u8]) -> Dataset {
    let mut loader = Loader::new();
    loader.read(table, table.file_name(), bytes).expect("generated data loads strictly");
    loader.finish().0
}

fn bench(c: &mut Criterion) {
    let single_days = gen::deportations_single_day_csv(DEPORTATIONS, gen::SEED);
    let deportations = gen::deportations_csv(DEPORTATIONS, gen::SEED);
    let mut registrations = Vec::new();
    let reg_rows = gen::registrations(REGISTRATIONS, gen::SEED, &mut registrations).unwrap();
    // Check once, outside the timings, that everything loads.
    assert_eq!(load(Table::Deportations, &single_days).len(Table::Deportations), DEPORTATIONS);
    assert_eq!(load(Table::Deportations, &deportations).len(Table::Deportations), DEPORTATIONS);
    assert_eq!(load(Table::Registrations, &registrations).len(Table::Registrations), reg_rows);
    eprintln!(
        "deportations.csv: {DEPORTATIONS} rows, {} bytes; registrations.csv: {reg_rows} rows, {} bytes",
        deportations.len(),
        registrations.len()
    );

    let inputs = [
        (format!("deportations_{DEPORTATIONS}"), Table::Deportations, &single_days, DEPORTATIONS),
        (
            format!("deportations_weekly_{DEPORTATIONS}"),
            Table::Deportations,
            &deportations,
            DEPORTATIONS,
        ),
        (format!("registrations_{reg_rows}"), Table::Registrations, &registrations, reg_rows),
    ];
    for (group_name, bytes_not_rows) in [("load_bytes", true), ("load_rows", false)] {
        let mut group = c.benchmark_group(group_name);
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_secs(2))
            .measurement_time(Duration::from_secs(10));
        for (name, table, bytes, rows) in &inputs {
            group.throughput(if bytes_not_rows {
                Throughput::Bytes(bytes.len() as u64)
            } else {
                Throughput::Elements(*rows as u64)
            });
            group.bench_function(name.as_str(), |b| b.iter(|| load(*table, black_box(bytes))));
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
