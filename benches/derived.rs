//! The analyst's derived questions on generated data (fixed seed), each
//! beside the plain query with the same grouping, loaded once outside the
//! timings: 1,000,000 deportation events, ~850,000 registrations and 200
//! statements in one dataset.
//!
//! * `change`, `cumulative` and `per_stock` on deportations by month x
//!   origin x source, beside the plain query;
//! * regions: by month x host region x source, beside month x host x source;
//! * a window of 30 days around each of the 200 statements over one
//!   source's flows, beside the plain query by month x origin x source.
//!
//! Run with `cargo bench --bench derived`; the ratios to the plain query
//! are the figures to quote.

#[path = "../examples/gen/mod.rs"]
mod gen;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use refugee_data::{Dataset, Derived, Dimension as D, Loader, Query, Table, Window};

const STATEMENTS: usize = 200;

fn dataset() -> Dataset {
    let mut loader = Loader::new();
    let deportations = gen::deportations_csv(1_000_000, gen::SEED);
    loader.read(Table::Deportations, "deportations.csv", &deportations[..]).unwrap();
    drop(deportations);
    let registrations = gen::registrations_csv(850_000, gen::SEED);
    loader.read(Table::Registrations, "registrations.csv", &registrations[..]).unwrap();
    drop(registrations);
    let mut statements = String::from("date,actor,target_country,stance,summary,source\n");
    let first = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    for i in 0..STATEMENTS {
        let date = first + chrono::Days::new(i as u64 * 18);
        let host = gen::HOSTS[i % 10];
        statements.push_str(&format!("{date},Actor {},{host},appeal,Statement {i},S\n", i % 5));
    }
    loader.read(Table::Statements, "statements.csv", statements.as_bytes()).unwrap();
    loader.finish().0
}

fn bench(c: &mut Criterion) {
    let ds = dataset();
    let plain = Query::deportations().by(D::Month).by(D::Origin).by(D::Source);
    let cases = [
        ("plain_month_origin_source", plain.clone()),
        ("change_month_origin_source", plain.clone().with(Derived::Change)),
        ("cumulative_month_origin_source", plain.clone().with(Derived::Cumulative)),
        ("per_stock_month_origin_source", plain.clone().per_stock(["refugees"], "UNHCR")),
        ("plain_month_host_source", Query::deportations().by(D::Month).by(D::Host).by(D::Source)),
        (
            "region_month_host_region_source",
            Query::deportations().by(D::Month).by(D::HostRegion).by(D::Source),
        ),
    ];
    for (_, q) in &cases {
        assert!(!ds.query(q).unwrap().is_empty());
    }
    let window = Window::new(30).flows(D::Source, ["IOM DTM"]);
    assert_eq!(ds.window(&window).unwrap().len(), STATEMENTS);
    let mut g = c.benchmark_group("derived");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for (name, q) in &cases {
        g.bench_function(*name, |b| b.iter(|| ds.query(black_box(q)).unwrap()));
    }
    g.bench_function("window_30_days_200_statements", |b| {
        b.iter(|| ds.window(black_box(&window)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
