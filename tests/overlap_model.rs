//! The loader's duplicate and overlap checks against the rule written the
//! plain way: each row, in file order, against every row loaded before it.
//!
//! Generated files (fixed seeds) with few series and close dates, so that
//! exact repeats, repeats of rejected rows, overlaps with loaded and with
//! rejected rows, and bad rows are all common; split over one to three
//! files; loaded leniently and strictly. The loaded rows, every rejection
//! message and the strict error must be those of the plain rule.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use refugee_data::{Loader, Table};

const HEADER: &str = "date,period_start,origin,host,kind,count,crossing,source\n";

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
    date: NaiveDate,
    start: Option<NaiveDate>,
    origin: &'static str,
    host: &'static str,
    kind: &'static str,
    crossing: String,
    source: &'static str,
    count: String,
}

impl Row {
    fn csv(&self) -> String {
        let start = self.start.map_or(String::new(), |s| s.to_string());
        format!(
            "{},{start},{},{},{},{},{},{}\n",
            self.date, self.origin, self.host, self.kind, self.count, self.crossing, self.source
        )
    }
    fn first_day(&self) -> NaiveDate {
        self.start.unwrap_or(self.date)
    }
    fn series(&self) -> (&str, &str, &str, &str, &str) {
        (self.origin, self.host, self.kind, &self.crossing, self.source)
    }
    fn key(&self) -> (NaiveDate, NaiveDate, (&str, &str, &str, &str, &str)) {
        (self.date, self.first_day(), self.series())
    }
    fn period(&self) -> String {
        format!("{}..{}", self.first_day(), self.date)
    }
}

fn generate(rng: &mut Rng, n: usize, series: u64, days: u64) -> Vec<Row> {
    let base = NaiveDate::from_ymd_opt(2023, 10, 1).unwrap();
    let mut rows: Vec<Row> = Vec::with_capacity(n);
    for i in 0..n {
        if !rows.is_empty() && rng.below(10) == 0 {
            // An exact repeat of an earlier row's key, another count.
            let mut again = rows[rng.below(rows.len() as u64) as usize].clone();
            again.count = (1_000_000 + i).to_string();
            rows.push(again);
            continue;
        }
        let s = rng.below(series);
        let date = base + Duration::days(rng.below(days) as i64);
        let start = match rng.below(4) {
            0 | 1 => None,
            2 => Some(date - Duration::days(rng.below(8) as i64)),
            _ => Some(date - Duration::days(rng.below(3) as i64)),
        };
        let count = if rng.below(25) == 0 { "x".to_string() } else { i.to_string() };
        rows.push(Row {
            date,
            start,
            origin: ["AFG", "SYR"][(s % 2) as usize],
            host: ["PAK", "IRN"][(s / 2 % 2) as usize],
            kind: ["returned", "deported"][(s / 4 % 2) as usize],
            // Past the first 48 series, crossings of their own.
            crossing: match s / 48 {
                0 => ["", "Torkham"][(s / 8 % 2) as usize].to_string(),
                k => format!("crossing {k}"),
            },
            source: ["IOM", "UNHCR", "KP Home Department"][(s / 16 % 3) as usize],
            count,
        });
    }
    rows
}

/// What the plain rule gives: the counts of the loaded rows in order, and
/// each rejection's message (a bad count as `file:line: bad`).
/// Origin, host, kind, crossing, source.
type Series<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

fn model(files: &[(&str, &[Row])]) -> (Vec<String>, Vec<String>) {
    // Loaded rows in file order, and the same by series (to keep the
    // plain scan affordable on larger files).
    let mut order: Vec<&Row> = Vec::new();
    let mut by_series: HashMap<Series, Vec<(&str, u64, &Row)>> = HashMap::new();
    let mut rejections = Vec::new();
    for &(file, rows) in files {
        for (i, row) in rows.iter().enumerate() {
            let line = i as u64 + 2;
            let at =
                |f: &str, l: u64| if f == file { format!("line {l}") } else { format!("{f}:{l}") };
            if row.count == "x" {
                rejections.push(format!("{file}:{line}: bad"));
                continue;
            }
            let loaded = by_series.entry(row.series()).or_default();
            if let Some(&(f, l, _)) = loaded.iter().find(|(_, _, r)| r.key() == row.key()) {
                rejections.push(format!(
                    "{file}:{line}: duplicate of {} (same date, period_start, origin, host, \
                     kind, crossing and source)",
                    at(f, l)
                ));
            } else if let Some(&(f, l, first)) = loaded
                .iter()
                .find(|(_, _, r)| r.first_day() <= row.date && r.date >= row.first_day())
            {
                let (o, h, k, c, s) = row.series();
                rejections.push(format!(
                    "{file}:{line}: period {} overlaps {} ({}) of the same series \
                     ({o}, {h}, {k}, \"{c}\", \"{s}\"): the same people would be counted twice",
                    row.period(),
                    at(f, l),
                    first.period()
                ));
            } else {
                loaded.push((file, line, row));
                order.push(row);
            }
        }
    }
    (order.iter().map(|r| r.count.clone()).collect(), rejections)
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
        loader.read(Table::Deportations, name, text.as_bytes()).unwrap();
    }
    let (ds, report) = loader.finish();
    let kept: Vec<String> = ds.deportations().map(|d| d.count.to_string()).collect();
    let rejected: Vec<String> =
        report.rejections().iter().map(|r| message(r.to_string())).collect();
    assert_eq!(rejected, want_rejected, "{case}: lenient rejections");
    assert_eq!(kept, want_kept, "{case}: lenient rows");
    let read: usize = files.iter().map(|(_, rows)| rows.len()).sum();
    assert_eq!(report.rows_read(Table::Deportations), read as u64, "{case}");
    assert_eq!(report.loaded(Table::Deportations), kept.len() as u64, "{case}");

    let mut loader = Loader::new();
    let mut error = None;
    for ((name, _), text) in files.iter().zip(&texts) {
        if let Err(e) = loader.read(Table::Deportations, name, text.as_bytes()) {
            error = Some(message(e.to_string()));
            break;
        }
    }
    assert_eq!(error, want_rejected.first().cloned(), "{case}: strict error");
    let (ds, report) = loader.finish();
    if error.is_some() {
        // The rows before the error are loaded, the rest not read.
        assert_eq!(report.rejected(Table::Deportations), 1, "{case}");
        assert_eq!(report.loaded(Table::Deportations), ds.len(Table::Deportations) as u64);
    }
}

#[test]
fn small_files_follow_the_plain_rule() {
    let mut rng = Rng(0x0DDB_A115_EED5_0001);
    for case in 0..300 {
        let n = 1 + rng.below(60) as usize;
        let (series, days) = (1 + rng.below(48), 5 + rng.below(40));
        let rows = generate(&mut rng, n, series, days);
        let cut_a = rng.below(n as u64 + 1) as usize;
        let cut_b = cut_a + rng.below((n - cut_a) as u64 + 1) as usize;
        let files: Vec<(&str, &[Row])> = match case % 3 {
            0 => vec![("deportations.csv", &rows[..])],
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
    let mut rng = Rng(0x0DDB_A115_EED5_0002);
    for case in 0..4 {
        let rows = generate(&mut rng, 3_000, 48, 400);
        let files: Vec<(&str, &[Row])> = if case % 2 == 0 {
            vec![("deportations.csv", &rows[..])]
        } else {
            vec![("a.csv", &rows[..1_700]), ("b.csv", &rows[1_700..])]
        };
        check(&files, &format!("large case {case}"));
    }
}

#[test]
fn a_file_checked_on_two_threads_follows_the_plain_rule() {
    // Past 65,536 rows a file's series are checked in two halves at once.
    let mut rng = Rng(0x0DDB_A115_EED5_0003);
    let rows = generate(&mut rng, 80_000, 4_000, 300);
    check(&[("deportations.csv", &rows[..])], "two threads, one file");
    check(&[("a.csv", &rows[..70_000]), ("b.csv", &rows[70_000..])], "two threads, two files");
}
