//! Our side of the peer benchmark (`benches/peers/run.sh`): loads one
//! dataset directory holding only a `deportations.csv` several times and
//! aggregates it in memory, and prints one JSON object with every run's
//! seconds on stdout.
//!
//! ```text
//! cargo run --release --example peer_ours -- DIR [LOADS] [AGGS] [WARMUP]
//! ```
//!
//! * `load_s`: strict [`Loader::read_dir`] runs on DIR, the path the
//!   command line's `--data DIR` takes (whatever the loader does there:
//!   size hint, threads): full validation (dates, countries, vocabularies,
//!   counts), duplicate and overlap detection, the dataset dropped after
//!   each run. `DIR/deportations.csv` is read once beforehand so that every
//!   engine reads from the page cache.
//! * `agg_s`: `ds.query(deportations by month, origin, source)`, the sorted
//!   and labelled result (persons and records) included. `source` is part of
//!   the grouping because of the flow source rule: the generated file has
//!   12 sources, and `by month, origin` alone would add flows of one
//!   (origin, host, kind) from two sources (`Error::SourceAmbiguity`).
//! * `sum_s`: the floor, a plain sequential `sum` of the count column
//!   (a `Vec<u64>` collected once through the public API).
//! * `scan_s`: a second floor, one sequential pass that reads the same
//!   columns as the query (day number `i32`, origin index `u16`, source
//!   index `u16`, count `u64`).
//! * `group_s`: a third floor, the bare group-by over those columns on two
//!   threads, as the engine runs it, with none of its generality: each
//!   row's group is its month's place (one table lookup by day) plus its
//!   origin's and source's dense indexes, found for a block of 2048 rows,
//!   then the row's count and one record added to the group's packed
//!   128-bit accumulator (57,600 of them for the generated file: 0.9 MB a
//!   thread); the two threads' accumulators added; no labels, no sorting.
//!   Its groups and persons are checked equal to the query's.
//!
//! Each list has `WARMUP` (default 1) untimed-for-the-median runs first,
//! reported separately under `*_warmup_s`.

use std::collections::HashMap;
use std::fs::File;
use std::hint::black_box;
use std::io::Read;
use std::time::Instant;

use chrono::Datelike;
use refugee_data::{Dataset, Dimension, Loader, Query, Table};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: peer_ours DIR [LOADS] [AGGS] [WARMUP]");
        std::process::exit(2);
    };
    // The CSV file, or the table exported as Parquet (`refugee-data export`).
    let mut path = std::path::Path::new(dir).join(Table::Deportations.file_name());
    if !path.exists() {
        path = std::path::Path::new(dir).join("deportations.parquet");
    }
    let arg =
        |i: usize, default: usize| args.get(i).map_or(default, |s| s.parse().expect("a number"));
    let (loads, aggs, warmup) = (arg(1, 5), arg(2, 20), arg(3, 1));

    // Page cache warm: read the whole file once.
    let mut bytes = 0u64;
    {
        let mut f = File::open(&path).expect("DIR/deportations.csv or .parquet opens");
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = f.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            bytes += n as u64;
        }
    }

    let load = || -> Dataset {
        let mut loader = Loader::new();
        loader.read_dir(dir).unwrap_or_else(|e| panic!("strict load failed: {e}"));
        let (ds, report) = loader.finish();
        assert!(report.is_clean(), "the load is clean");
        ds
    };
    let mut load_s = Vec::new();
    let mut ds = Dataset::default();
    for _ in 0..warmup + loads {
        drop(std::mem::take(&mut ds));
        let t = Instant::now();
        ds = load();
        load_s.push(t.elapsed().as_secs_f64());
    }
    let rows = ds.len(Table::Deportations);

    let q = Query::deportations().by(Dimension::Month).by(Dimension::Origin).by(Dimension::Source);
    let mut agg_s = Vec::new();
    let mut result = None;
    for _ in 0..warmup + aggs {
        let t = Instant::now();
        let r = ds.query(black_box(&q)).expect("query runs");
        agg_s.push(t.elapsed().as_secs_f64());
        result = Some(r);
    }
    let result = result.expect("at least one aggregation");
    let persons: u64 = result.rows().map(|r| r.value(0)).sum();

    let counts: Vec<u64> = ds.deportations().map(|d| d.count).collect();
    let mut origin_ids: HashMap<&'static str, u16> = HashMap::new();
    let mut source_ids: HashMap<String, u16> = HashMap::new();
    let mut days = Vec::with_capacity(rows);
    let mut origins = Vec::with_capacity(rows);
    let mut sources = Vec::with_capacity(rows);
    for d in ds.deportations() {
        days.push(d.date.num_days_from_ce());
        let next = origin_ids.len() as u16;
        origins.push(*origin_ids.entry(d.origin.alpha3()).or_insert(next));
        let next = source_ids.len() as u16;
        sources.push(*source_ids.entry(d.source).or_insert(next));
    }
    let mut sum_s = Vec::new();
    let mut total = 0;
    for _ in 0..warmup + aggs {
        let t = Instant::now();
        total = black_box(counts.as_slice()).iter().sum::<u64>();
        sum_s.push(t.elapsed().as_secs_f64());
    }
    assert_eq!(total, persons, "the query's persons add up to the sum of counts");
    let mut scan_s = Vec::new();
    for _ in 0..warmup + aggs {
        let t = Instant::now();
        let (d, o, s, c) =
            (black_box(&days), black_box(&origins), black_box(&sources), black_box(&counts));
        let acc = c.iter().zip(d.iter()).zip(o.iter()).zip(s.iter()).fold(
            0u64,
            |acc, (((&c, &d), &o), &s)| {
                acc.wrapping_add(c ^ (d as u64) ^ ((o as u64) << 40) ^ ((s as u64) << 56))
            },
        );
        black_box(acc);
        scan_s.push(t.elapsed().as_secs_f64());
    }

    // The group-by floor: month places by day, the groups numbered
    // (month, origin, source), first most significant (an empty table: one
    // day, no rows).
    let min_day = days.iter().copied().min().unwrap_or(0);
    let max_day = days.iter().copied().max().unwrap_or(0);
    let (n_origins, n_sources) = (origin_ids.len().max(1), source_ids.len().max(1));
    let month = |d: i32| {
        let date = chrono::NaiveDate::from_num_days_from_ce_opt(d).expect("a day of the data");
        date.year() as i64 * 12 + date.month0() as i64
    };
    let first_month = month(min_day);
    let months = (month(max_day) - first_month + 1) as usize;
    let place = (n_origins * n_sources) as u32;
    let month_place: Vec<u32> =
        (min_day..=max_day).map(|d| (month(d) - first_month) as u32 * place).collect();
    let groups = months * n_origins * n_sources;
    let group_by = |range: std::ops::Range<usize>| -> Vec<u128> {
        const BLOCK: usize = 2048;
        let mut acc = vec![0u128; groups];
        let mut keys = [0u32; BLOCK];
        let mut start = range.start;
        while start < range.end {
            let len = BLOCK.min(range.end - start);
            let keys = &mut keys[..len];
            let rows = start..start + len;
            for (k, &d) in keys.iter_mut().zip(&days[rows.clone()]) {
                *k = month_place[(d - min_day) as usize];
            }
            for (k, &o) in keys.iter_mut().zip(&origins[rows.clone()]) {
                *k += o as u32 * n_sources as u32;
            }
            for (k, &s) in keys.iter_mut().zip(&sources[rows.clone()]) {
                *k += s as u32;
            }
            for (&k, &c) in keys.iter().zip(&counts[rows]) {
                acc[k as usize] += c as u128 | 1 << 96;
            }
            start += len;
        }
        acc
    };
    let mut group_s = Vec::new();
    let mut grouped = Vec::new();
    for _ in 0..warmup + aggs {
        let t = Instant::now();
        let half = rows / 2;
        let (mut acc, other) = std::thread::scope(|s| {
            let other = s.spawn(|| group_by(half..rows));
            (group_by(0..half), other.join().expect("the floor does not panic"))
        });
        // Packed sums add as numbers: persons (below 2^96 for fewer than
        // 2^32 rows) do not carry into the records.
        for (a, b) in acc.iter_mut().zip(&other) {
            *a += b;
        }
        group_s.push(t.elapsed().as_secs_f64());
        grouped = black_box(acc);
    }
    let floor_groups = grouped.iter().filter(|&&a| a >> 96 > 0).count();
    let floor_persons: u128 = grouped.iter().map(|&a| a & ((1 << 96) - 1)).sum();
    assert_eq!(floor_groups, result.len(), "the group-by floor finds the query's groups");
    assert_eq!(floor_persons, persons as u128, "the group-by floor adds up the query's persons");

    let split = |v: Vec<f64>| -> (Vec<f64>, Vec<f64>) {
        let (w, m) = v.split_at(warmup);
        (w.to_vec(), m.to_vec())
    };
    let (load_w, load_m) = split(load_s);
    let (agg_w, agg_m) = split(agg_s);
    let (sum_w, sum_m) = split(sum_s);
    let (scan_w, scan_m) = split(scan_s);
    let (group_w, group_m) = split(group_s);
    let out = serde_json::json!({
        "file": path.display().to_string(),
        "bytes": bytes,
        "rows": rows,
        "groups": result.len(),
        "persons": persons,
        "load_s": load_m,
        "agg_s": agg_m,
        "sum_s": sum_m,
        "scan_s": scan_m,
        "group_s": group_m,
        "load_warmup_s": load_w,
        "agg_warmup_s": agg_w,
        "sum_warmup_s": sum_w,
        "scan_warmup_s": scan_w,
        "group_warmup_s": group_w,
    });
    println!("{out}");
}
