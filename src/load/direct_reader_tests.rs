//! The direct flow reader through the loader: the same rows under the
//! contract's header (read directly) and under a permuted one (every line
//! read by the general reader) load alike, leniently and strictly: rows,
//! texts, rejections, warnings and counts.

use crate::{Loader, Table};

const NAMES: [&str; 9] =
    ["date", "period_start", "origin", "host", "kind", "count", "crossing", "source", "reference"];

const ALPHA: &[char] = &[
    ',', ' ', '\t', '"', '-', '0', '1', '2', '9', 'A', 'F', 'G', 'P', 'K', 'U', 'N', 'a', 'f', 'g',
    'd', 'e', 'x', 'é', '–', ';', '\u{a0}', '.', '+',
];

const POOLS: [&[&str]; 9] = [
    &["2023-11-01", "2023-11-07", "2024-02-29", "2023-02-29", " 2023-11-01", "", "2101-01-01"],
    &["", "", "2023-10-30", "2023-11-08", "2023-11-01", "x", " "],
    &["AFG", "PAK", "afg", " AFG", "UNK", "unk", "ZZZ", ""],
    &["PAK", "IRN", "DEU", "Pak", "XXX", ""],
    &["deported", "spontaneous", "Deported", "unknown", "", " deported"],
    &["17000", "0", "012", "", "1.5", "-3", "99999999999999999999", "18446744073709551615", " 7"],
    &["", "Torkham", " Chaman ", "Spin Boldak–Chaman", " ", "\u{a0}x", "é"],
    &["IOM", "UNHCR", " IOM", "", " ", "Government of Pakistan", "\u{a0}"],
    &["", "https://example.org/r", " ", "ref", "r–é"],
];

/// Lines of flows: mostly common fields, at times uncommon ones, random
/// characters, a field more or less, fields quoted whole.
struct Gen {
    draw: Box<dyn FnMut(u64) -> u64>,
}

impl Gen {
    fn d(&mut self, n: u64) -> u64 {
        (self.draw)(n)
    }
    fn rand_str(&mut self, len: u64) -> String {
        (0..len).map(|_| ALPHA[self.d(ALPHA.len() as u64) as usize]).collect()
    }
    /// The fields of one line (maybe another count than `width`).
    fn fields(&mut self, width: usize, delim: char, quote: bool) -> Vec<String> {
        let mode = self.d(8);
        let mut fields: Vec<String> = (0..width)
            .map(|i| {
                let pool = POOLS[i];
                let k = if self.d(4) == 0 { self.d(pool.len() as u64) } else { self.d(2) };
                pool[k as usize].to_string()
            })
            .collect();
        if mode == 0 {
            let i = self.d(width as u64) as usize;
            let len = self.d(10);
            fields[i] = self.rand_str(len);
        }
        match self.d(40) {
            0 => fields.push("extra".into()),
            1 => drop(fields.pop()),
            _ => {}
        }
        for f in fields.iter_mut() {
            // No delimiter, quote or line end inside a field.
            *f = f.chars().map(|c| if c == delim || c == '"' { 'x' } else { c }).collect();
            if quote && self.d(3) == 0 {
                *f = format!("\"{f}\"");
            }
        }
        fields
    }
}

/// A lenient and a strict load of `csv` with `delim` and `field_limit`.
fn load(csv: &[u8], delim: u8, field_limit: usize) -> (String, String) {
    let mut loader = Loader::new().lenient(true).delimiter(delim).max_field_bytes(field_limit);
    let read = loader.read(Table::Deportations, "deportations.csv", csv);
    let (ds, report) = loader.finish();
    let texts: Vec<&str> = (0..ds.texts.len() as u32).map(|id| ds.texts.text(id)).collect();
    let rejections: Vec<String> = report.rejections().iter().map(|r| r.to_string()).collect();
    let events: Vec<String> = ds.deportations().map(|e| format!("{e:?}")).collect();
    let lenient = format!(
        "{read:?}\n{:?}\n{texts:?}\n{events:?}\n{rejections:?}\n{:?}\n{} {} {}",
        ds.deportations,
        report.warnings(),
        report.rows_read(Table::Deportations),
        report.loaded(Table::Deportations),
        report.rejected(Table::Deportations),
    );
    let mut loader = Loader::new().delimiter(delim).max_field_bytes(field_limit);
    let read = loader.read(Table::Deportations, "deportations.csv", csv);
    let (ds, _) = loader.finish();
    let strict = format!("{read:?} {}", ds.len(Table::Deportations));
    (lenient, strict)
}

/// Rows under the contract's column order and under a permuted header.
#[test]
fn canonical_and_permuted_headers_load_alike() {
    let mut g = Gen { draw: Box::new(super::draws(91)) };
    let mut lines_total = 0;
    for f in 0..120 {
        let width = 8 + (f % 2);
        let delim = [',', ';', '\t', ' '][g.d(4) as usize];
        let quote = g.d(3) == 0;
        let eol = if g.d(3) == 0 { "\r\n" } else { "\n" };
        // One file over several 4 MiB blocks.
        let lines = if f == 3 { 120_000 } else { 1 + g.d(300) };
        // A permutation other than the identity.
        let mut perm: Vec<usize> = (0..width).collect();
        while perm.iter().enumerate().all(|(i, &p)| i == p) {
            for i in (1..width).rev() {
                let j = g.d(i as u64 + 1) as usize;
                perm.swap(i, j);
            }
        }
        let d = delim.to_string();
        let mut a = NAMES[..width].join(&d);
        let mut b = perm.iter().map(|&p| NAMES[p]).collect::<Vec<_>>().join(&d);
        a.push_str(eol);
        b.push_str(eol);
        for _ in 0..lines {
            let fields = g.fields(width, delim, quote);
            a.push_str(&fields.join(&d));
            if fields.len() == width {
                b.push_str(&perm.iter().map(|&p| fields[p].as_str()).collect::<Vec<_>>().join(&d));
            } else {
                b.push_str(&fields.join(&d));
            }
            a.push_str(eol);
            b.push_str(eol);
        }
        let (la, sa) = load(a.as_bytes(), delim as u8, 1 << 20);
        let (lb, sb) = load(b.as_bytes(), delim as u8, 1 << 20);
        let first = la.lines().zip(lb.lines()).position(|(x, y)| x != y);
        assert_eq!(first, None, "file {f}: the loads differ");
        assert_eq!(sa, sb, "file {f}: the strict loads differ");
        lines_total += lines;
    }
    assert!(lines_total > 120_000);
}
