//! Query speed on generated data (fixed seed), loaded once outside the timings.
//!
//! * deportations, 1,000,000 and 10,000,000 events from twelve sources (so,
//!   by the flow source rule, grouped by source or filtered to one): by
//!   month x origin x source; by month x origin for one source (the rule's
//!   check on every selected row); by ISO week x host x kind x source over
//!   2018-01-01..=2021-12-31;
//! * registrations, ~850,000 UNHCR-like year-end rows: by year x host
//!   (stocks: latest observation of each series in each year, summed); an
//!   as-of snapshot (2020-12-31) by origin;
//! * the floor: a plain sequential `sum` over the deportations' counts, as
//!   a `Vec<u64>` collected once through the public API (the memory-bandwidth
//!   floor of any aggregation that reads the count column, one thread).
//!
//! Throughput is in rows of the table (elements/s). The 10M table is
//! generated in memory straight into one CSV buffer (~607 MB), loaded once
//! (~1.3 GB peak with the generator's and the loader's duplicate indexes),
//! and the buffer freed; set `REFUGEE_BENCH_10M=0` to skip it on a small
//! machine. Run with `cargo bench --bench query`.

#[path = "../examples/gen/mod.rs"]
mod gen;

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode,
    Throughput,
};
use refugee_data::{Dataset, Dimension, Loader, Query, Table};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn load(table: Table, bytes: &[u8]) -> Dataset {
    let mut loader = Loader::new();
    loader.read(table, table.file_name(), bytes).expect("generated data loads strictly");
    loader.finish().0
}

fn deportations(rows: usize) -> Dataset {
    let t = Instant::now();
    let csv = gen::deportations_csv(rows, gen::SEED);
    let generated = t.elapsed();
    let t = Instant::now();
    let ds = load(Table::Deportations, &csv);
    eprintln!(
        "deportations: {rows} rows, {} bytes, generated in {:.2} s, loaded in {:.2} s",
        csv.len(),
        generated.as_secs_f64(),
        t.elapsed().as_secs_f64()
    );
    ds
}

fn bench(c: &mut Criterion) {
    let mut sizes = vec![("1M", 1_000_000usize)];
    if std::env::var("REFUGEE_BENCH_10M").map_or(true, |v| v != "0") {
        sizes.push(("10M", 10_000_000));
    }
    let sets: Vec<(&str, usize, Dataset, Vec<u64>)> = sizes
        .into_iter()
        .map(|(label, rows)| {
            let ds = deportations(rows);
            let counts: Vec<u64> = ds.deportations().map(|d| d.count).collect();
            (label, rows, ds, counts)
        })
        .collect();
    let reg_csv = gen::registrations_csv(850_000, gen::SEED);
    let reg = load(Table::Registrations, &reg_csv);
    let reg_rows = reg.len(Table::Registrations);
    drop(reg_csv);

    // The generated flows come from twelve sources: a query adds them only
    // grouped by source (the flow source rule), or filtered to one.
    let month_origin =
        Query::deportations().by(Dimension::Month).by(Dimension::Origin).by(Dimension::Source);
    let month_origin_one_source = Query::deportations()
        .by(Dimension::Month)
        .by(Dimension::Origin)
        .filter(Dimension::Source, ["IOM DTM"]);
    let week_host_kind = Query::deportations()
        .by(Dimension::Week)
        .by(Dimension::Host)
        .by(Dimension::Kind)
        .by(Dimension::Source)
        .from(date("2018-01-01"))
        .to(date("2021-12-31"));
    let year_host = Query::registrations().by(Dimension::Year).by(Dimension::Host);
    let asof_origin = Query::registrations().by(Dimension::Origin).as_of(date("2020-12-31"));

    // Sanity, outside the timings: every query answers, and the answers add up.
    for (label, _, ds, counts) in &sets {
        for q in [&month_origin, &month_origin_one_source, &week_host_kind] {
            let r = ds.query(q).unwrap();
            let persons: u64 = r.rows().map(|row| row.measure("persons").unwrap()).sum();
            eprintln!("{label} {:?}: {} groups, {persons} persons", q.table(), r.len());
            if q == &month_origin {
                assert_eq!(persons, counts.iter().sum::<u64>());
            }
        }
    }
    for q in [&year_host, &asof_origin] {
        let r = reg.query(q).unwrap();
        eprintln!("registrations ({reg_rows} rows): {} groups", r.len());
        assert!(!r.is_empty());
    }

    for (name, q) in [
        ("dep_month_origin_source", &month_origin),
        ("dep_month_origin_one_source", &month_origin_one_source),
        ("dep_week_host_kind_source_range", &week_host_kind),
    ] {
        let mut g = config(c, name);
        for (label, rows, ds, _) in &sets {
            g.throughput(Throughput::Elements(*rows as u64));
            g.bench_with_input(BenchmarkId::from_parameter(label), q, |b, q| {
                b.iter(|| ds.query(black_box(q)).unwrap())
            });
        }
        g.finish();
    }

    let mut g = config(c, "floor_sum_count");
    for (label, rows, _, counts) in &sets {
        g.throughput(Throughput::Elements(*rows as u64));
        g.bench_function(BenchmarkId::from_parameter(label), |b| {
            b.iter(|| black_box(counts.as_slice()).iter().sum::<u64>())
        });
    }
    g.finish();

    for (name, q) in [("reg_year_host", &year_host), ("reg_asof_origin", &asof_origin)] {
        let mut g = config(c, name);
        g.throughput(Throughput::Elements(reg_rows as u64));
        g.bench_with_input(BenchmarkId::from_parameter(reg_rows), q, |b, q| {
            b.iter(|| reg.query(black_box(q)).unwrap())
        });
        g.finish();
    }
}

fn config<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    // Flat sampling: the 10M cases take tens of ms an iteration.
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    g
}

criterion_group!(benches, bench);
criterion_main!(benches);
