//! How columns are stored must never show in what is loaded:
//!
//! * A file without some of the optional columns loads as the same file
//!   with those columns present and every field of them empty: same
//!   records, same rejections with the same lines, on the two-thread path
//!   (files of several 4 MiB blocks), when the checks after the file
//!   remove rows, when a later file has the column, and when a stray quote
//!   sends the rest of a file down the sequential path. (Columns a file
//!   lacks are not written row by row while it is read, but filled in once
//!   it is.)
//! * Counts are kept in 32 bits until a value needs 64: a count past 2^32
//!   in the middle of a large file keeps every count exact, before and
//!   after it, and sums stay exact.

use refugee_data::{Dataset, Dimension, Loader, Query, Table};

/// The optional columns of `deportations.csv`.
const OPTIONAL: [&str; 3] = ["period_start", "crossing", "reference"];

/// `rows` generated deportation rows with a fixed seed, as
/// (date, origin, host, kind, count, source); some repeat an earlier row,
/// some have a bad count.
fn rows(rows: usize, seed: u64, stray_at: Option<usize>) -> Vec<[String; 6]> {
    let mut x = seed;
    let mut out: Vec<[String; 6]> = Vec::with_capacity(rows);
    for i in 0..rows {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        if i > 10 && x >> 59 == 0 {
            // A repeat of an earlier row: a duplicate (same key).
            let earlier = out[(x >> 20) as usize % out.len()].clone();
            out.push(earlier);
            continue;
        }
        let day = 1 + (x >> 40) % 28;
        let month = 1 + (x >> 36) % 12;
        let year = 2015 + (x >> 32) % 10;
        let count = if i % 1009 == 7 { "12x".to_string() } else { ((x >> 8) % 5000).to_string() };
        let source = match stray_at {
            Some(at) if at == i => "UN\"HCR".to_string(),
            _ => format!("source {}", (x >> 4) % 7),
        };
        out.push([
            format!("{year}-{month:02}-{day:02}"),
            ["AFG", "SYR", "UKR", "SDN"][(x >> 50) as usize % 4].to_string(),
            ["PAK", "IRN", "TUR"][(x >> 52) as usize % 3].to_string(),
            ["deported", "returned", "spontaneous"][(x >> 54) as usize % 3].to_string(),
            count,
            source,
        ]);
    }
    out
}

/// The rows as CSV with the required columns and `optional` ones, whose
/// fields are `optional_value` (of the row's index) or empty.
fn csv(
    rows: &[[String; 6]],
    optional: &[&str],
    optional_value: impl Fn(usize) -> String,
) -> String {
    let mut out = String::from("date,origin,host,kind,count,source");
    for name in optional {
        out.push(',');
        out.push_str(name);
    }
    out.push('\n');
    for (i, r) in rows.iter().enumerate() {
        out.push_str(&r.join(","));
        for _ in optional {
            out.push(',');
            out.push_str(&optional_value(i));
        }
        out.push('\n');
    }
    out
}

/// Loads the files in order, leniently: every record as a string, every
/// rejection, and the counts read.
fn load(files: &[&str]) -> (Vec<String>, Vec<String>, u64, u64) {
    let mut loader = Loader::new().lenient(true);
    for (i, body) in files.iter().enumerate() {
        let name = format!("deportations-{i}.csv");
        loader.read(Table::Deportations, &name, body.as_bytes()).unwrap();
    }
    let (ds, report) = loader.finish();
    (
        records(&ds),
        report.rejections().iter().map(|r| r.to_string()).collect(),
        report.rows_read(Table::Deportations),
        report.rejected(Table::Deportations),
    )
}

fn records(ds: &Dataset) -> Vec<String> {
    ds.deportations().map(|d| format!("{d:?}")).collect()
}

#[test]
fn a_file_without_optional_columns_loads_as_one_with_them_empty() {
    let rows = rows(300_000, 11, None);
    let without = csv(&rows, &[], |_| String::new());
    assert!(without.len() > 12 << 20, "the file spans several 4 MiB blocks");
    let with_empty = csv(&rows, &OPTIONAL, |_| String::new());
    let (records, rejections, read, rejected) = load(&[&without]);
    assert_eq!((read, rejected), (rows.len() as u64, rejections.len() as u64));
    assert_eq!(records.len() as u64 + rejected, read);
    assert!(rejections.iter().any(|r| r.contains("duplicate")), "the checks removed rows");
    assert!(rejections.iter().any(|r| r.contains("\"12x\"")));
    assert_eq!(load(&[&with_empty]), (records, rejections, read, rejected));
}

#[test]
fn a_later_file_with_the_column_follows_one_without_it() {
    let first = rows(200_000, 5, None);
    let second = rows(200_000, 5, None);
    // The second file has crossings: half its rows' series differ from the
    // first file's (a crossing named), half are the same series (empty).
    let crossing = |i: usize| if i % 2 == 0 { "Torkham".to_string() } else { String::new() };
    let without = csv(&first, &[], |_| String::new());
    let with = csv(&second, &["crossing"], crossing);
    let with_empty = csv(&first, &OPTIONAL, |_| String::new());
    let got = load(&[&without, &with]);
    assert_eq!(got.0.len() as u64 + got.3, got.2);
    assert!(got
        .1
        .iter()
        .any(|r| r.starts_with("deportations-1.csv:") && r.contains("of deportations-0.csv:")));
    assert_eq!(load(&[&with_empty, &with]), got);
    // And the other way round: the file without the column second.
    let got = load(&[&with, &without]);
    assert!(got.1.iter().any(|r| r.contains("of deportations-0.csv:")));
    assert_eq!(load(&[&with, &with_empty]), got);
}

#[test]
fn a_stray_quote_in_a_file_without_optional_columns_loses_no_row() {
    let rows = rows(300_000, 17, Some(150_000));
    let without = csv(&rows, &[], |_| String::new());
    let with_empty = csv(&rows, &OPTIONAL, |_| String::new());
    let got = load(&[&without]);
    assert_eq!(got.0.len() as u64 + got.3, got.2);
    assert!(got.0.iter().any(|r| r.contains("UN\\\"HCR")), "{:?}", &got.1[..3]);
    assert_eq!(load(&[&with_empty]), got);
}

#[test]
fn a_count_past_32_bits_keeps_every_count_exact() {
    let mut rows = rows(300_000, 23, None);
    // Counts past 2^32 in the middle of the file and at its end.
    let big = [(150_001, 5_000_000_000u64), (299_999, u32::MAX as u64 + 1)];
    for (at, count) in big {
        rows[at][4] = count.to_string();
        // A series of its own: neither a duplicate nor an overlap.
        rows[at][5] = format!("big {at}");
    }
    let body = csv(&rows, &[], |_| String::new());
    let mut loader = Loader::new().lenient(true);
    loader.read(Table::Deportations, "deportations.csv", body.as_bytes()).unwrap();
    let (ds, report) = loader.finish();
    // Every loaded record's count is its line's count field.
    let counts: Vec<u64> = ds.deportations().map(|d| d.count).collect();
    let mut loaded = Vec::new();
    let mut rejected = report.rejections().iter().map(|r| r.line()).peekable();
    for (i, r) in rows.iter().enumerate() {
        if rejected.next_if_eq(&(i as u64 + 2)).is_some() {
            continue;
        }
        loaded.push(r[4].parse::<u64>().unwrap());
    }
    assert!(rejected.next().is_none());
    assert_eq!(counts, loaded);
    for (_, count) in big {
        assert!(counts.contains(&count));
    }
    // The total by origin is the sum of the loaded counts of each origin.
    let q = Query::new(Table::Deportations).by(Dimension::Origin).by(Dimension::Source);
    let result = ds.query(&q).unwrap();
    let total: u64 = result.rows().map(|r| r.value(0)).sum();
    assert_eq!(total, counts.iter().sum::<u64>());
    assert!(total > 9_000_000_000);
}
