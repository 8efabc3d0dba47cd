//! The loader's duplicate check of registrations against the rule written
//! the plain way: each row, in file order, against every row loaded before
//! it; a row whose date, origin, host, population and source are those of
//! a loaded row is a duplicate of the first such row.
//!
//! Generated files (fixed seeds) with few series and few dates, so that
//! repeats (also of rejected rows) and bad rows are common; split over one
//! to three files; loaded leniently and strictly. The loaded rows, every
//! rejection message and the strict error must be those of the plain rule.

use std::collections::HashMap;

use refugee_data::{Loader, Table};

const HEADER: &str = "date,origin,host,population,count,source\n";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Clone, Debug)]
struct Row {
    date: String,
    origin: &'static str,
    host: &'static str,
    population: &'static str,
    source: String,
    count: String,
}

impl Row {
    fn csv(&self) -> String {
        format!(
            "{},{},{},{},{},{}\n",
            self.date, self.origin, self.host, self.population, self.count, self.source
        )
    }
    fn key(&self) -> (&str, &str, &str, &str, &str) {
        (&self.date, self.origin, self.host, self.population, &self.source)
    }
}

fn generate(rng: &mut Rng, n: usize, series: u64, years: u64) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::with_capacity(n);
    for i in 0..n {
        if !rows.is_empty() && rng.below(10) == 0 {
            // A repeat of an earlier row's key, another count.
            let mut again = rows[rng.below(rows.len() as u64) as usize].clone();
            again.count = (1_000_000 + i).to_string();
            rows.push(again);
            continue;
        }
        let s = rng.below(series);
        let year = 1990 + rng.below(years);
        let count = if rng.below(25) == 0 { "x".to_string() } else { i.to_string() };
        rows.push(Row {
            date: format!("{year}-{}", ["06-30", "12-31"][rng.below(2) as usize]),
            origin: ["AFG", "SYR", "XXX"][(s % 3) as usize],
            host: ["PAK", "IRN", "DEU", "TUR"][(s / 3 % 4) as usize],
            population: ["refugees", "asylum_seekers", "idps"][(s / 12 % 3) as usize],
            // Past the first 72 series, sources of their own.
            source: match s / 72 {
                0 => ["UNHCR", "IOM"][(s / 36 % 2) as usize].to_string(),
                k => format!("source {k}"),
            },
            count,
        });
    }
    rows
}

/// What the plain rule gives: the counts of the loaded rows in order, and
/// each rejection's message (a bad count as `file:line: bad`).
fn model(files: &[(&str, &[Row])]) -> (Vec<String>, Vec<String>) {
    type Key<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);
    let mut loaded: Vec<&Row> = Vec::new();
    let mut first: HashMap<Key, (&str, u64)> = HashMap::new();
    let mut rejections = Vec::new();
    for &(file, rows) in files {
        for (i, row) in rows.iter().enumerate() {
            let line = i as u64 + 2;
            if row.count == "x" {
                rejections.push(format!("{file}:{line}: bad"));
                continue;
            }
            match first.get(&row.key()) {
                Some(&(f, l)) => {
                    let at = if f == file { format!("line {l}") } else { format!("{f}:{l}") };
                    rejections.push(format!(
                        "{file}:{line}: duplicate of {at} (same date, origin, host, population \
                         and source)"
                    ));
                }
                None => {
                    first.insert(row.key(), (file, line));
                    loaded.push(row);
                }
            }
        }
    }
    (loaded.iter().map(|r| r.count.clone()).collect(), rejections)
}

fn message(m: String) -> String {
    match m.find(": column \"count\"") {
        Some(i) => format!("{}: bad", &m[..i]),
        None => m,
    }
}

fn check(files: &[(&str, &[Row])], case: &str) {
    let (want_kept, want_rejected) = model(files);
    let texts: Vec<String> = files
        .iter()
        .map(|(_, rows)| HEADER.to_string() + &rows.iter().map(Row::csv).collect::<String>())
        .collect();

    let mut loader = Loader::new().lenient(true);
    for ((name, _), text) in files.iter().zip(&texts) {
        loader.read(Table::Registrations, name, text.as_bytes()).unwrap();
    }
    let (ds, report) = loader.finish();
    let kept: Vec<String> = ds.registrations().map(|r| r.count.to_string()).collect();
    let rejected: Vec<String> =
        report.rejections().iter().map(|r| message(r.to_string())).collect();
    assert_eq!(rejected, want_rejected, "{case}: lenient rejections");
    assert_eq!(kept, want_kept, "{case}: lenient rows");
    let read: usize = files.iter().map(|(_, rows)| rows.len()).sum();
    assert_eq!(report.rows_read(Table::Registrations), read as u64, "{case}");
    assert_eq!(report.loaded(Table::Registrations), kept.len() as u64, "{case}");
    assert_eq!(
        report.loaded(Table::Registrations) + report.rejected(Table::Registrations),
        read as u64,
        "{case}: loaded + rejected = read"
    );

    let mut loader = Loader::new();
    let mut error = None;
    for ((name, _), text) in files.iter().zip(&texts) {
        if let Err(e) = loader.read(Table::Registrations, name, text.as_bytes()) {
            error = Some(message(e.to_string()));
            break;
        }
    }
    assert_eq!(error, want_rejected.first().cloned(), "{case}: strict error");
    let (ds, report) = loader.finish();
    if error.is_some() {
        // The rows before the error are loaded, the rest not read.
        assert_eq!(report.rejected(Table::Registrations), 1, "{case}");
        assert_eq!(report.loaded(Table::Registrations), ds.len(Table::Registrations) as u64);
        let before = want_kept.len().min(ds.len(Table::Registrations));
        let strict: Vec<String> = ds.registrations().map(|r| r.count.to_string()).collect();
        assert_eq!(strict[..], want_kept[..before], "{case}: strict rows before the error");
    } else {
        assert_eq!(ds.len(Table::Registrations), want_kept.len(), "{case}: strict rows");
    }
}

#[test]
fn small_files_follow_the_plain_rule() {
    let mut rng = Rng(0x0DDB_A115_EED5_0101);
    for case in 0..300 {
        let n = 1 + rng.below(60) as usize;
        let (series, years) = (1 + rng.below(80), 1 + rng.below(10));
        let rows = generate(&mut rng, n, series, years);
        let cut_a = rng.below(n as u64 + 1) as usize;
        let cut_b = cut_a + rng.below((n - cut_a) as u64 + 1) as usize;
        let files: Vec<(&str, &[Row])> = match case % 3 {
            0 => vec![("registrations.csv", &rows[..])],
            1 => vec![("a.csv", &rows[..cut_a]), ("b.csv", &rows[cut_a..])],
            _ => vec![
                ("a.csv", &rows[..cut_a]),
                ("b.csv", &rows[cut_a..cut_b]),
                ("c.csv", &rows[cut_b..]),
            ],
        };
        check(&files, &format!("case {case}"));
    }
}

#[test]
fn larger_files_over_many_batches_follow_the_plain_rule() {
    let mut rng = Rng(0x0DDB_A115_EED5_0102);
    for case in 0..4 {
        let rows = generate(&mut rng, 3_000, 80, 30);
        let files: Vec<(&str, &[Row])> = if case % 2 == 0 {
            vec![("registrations.csv", &rows[..])]
        } else {
            vec![("a.csv", &rows[..1_700]), ("b.csv", &rows[1_700..])]
        };
        check(&files, &format!("large case {case}"));
    }
}

#[test]
fn a_file_checked_on_two_threads_follows_the_plain_rule() {
    // Past 65,536 rows a file's keys are checked in two halves at once.
    let mut rng = Rng(0x0DDB_A115_EED5_0103);
    let rows = generate(&mut rng, 80_000, 4_000, 60);
    check(&[("registrations.csv", &rows[..])], "two threads, one file");
    check(&[("a.csv", &rows[..70_000]), ("b.csv", &rows[70_000..])], "two threads, two files");
}
