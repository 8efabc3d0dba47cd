//! The direct flow reader ([`flow_row`]) against the general one: line by
//! line (the same rows, rejections and texts), and through the loader (the
//! same rows under the contract's header, read directly, and under a
//! permuted one, every line read by the general reader, leniently and
//! strictly: rows, texts, rejections, warnings and counts).

use super::blocks::LINE_END;
use super::fields::{canonical_flows, flow_row, parse_record, Bounds, Fields, Row};
use super::header::Shape;
use crate::dataset::DeportationColumns;
use crate::{Dataset, Loader, Table};

/// The flow columns' names, in the contract's order.
fn names() -> Vec<&'static str> {
    DeportationColumns::SPECS.iter().map(|s| s.name).collect()
}

const ALPHA: &[char] = &[
    ',', ' ', '\t', '"', '-', '0', '1', '2', '9', 'A', 'F', 'G', 'P', 'K', 'U', 'N', 'a', 'f', 'g',
    'd', 'e', 'x', 'é', '–', ';', '\u{a0}', '.', '+',
];

/// Values of each flow column: the first two common, the others not.
const POOLS: [&[&str]; 9] = [
    &[
        "2023-11-01",
        "2023-11-07",
        "2024-02-29",
        "2023-02-29",
        "2023-1-01",
        " 2023-11-01",
        "",
        "2101-01-01",
    ],
    &["", "", "2023-10-30", "2023-11-08", "2023-11-01", "x", " "],
    &["AFG", "PAK", "afg", " AFG", "AFGHANISTAN", "UNK", "unk", "ZZZ", ""],
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

/// A shape of the contract's flow columns in its order, `width` wide.
fn flow_shape(width: usize) -> Shape {
    let all = names();
    let map = (0..all.len()).map(|i| (i < width).then_some(i)).collect();
    Shape { map, names: all[..width].iter().map(|s| s.to_string()).collect(), width }
}

#[test]
fn only_flows_in_the_contract_order_take_the_direct_reader() {
    assert!(canonical_flows(Table::Deportations, &flow_shape(9)));
    assert!(canonical_flows(Table::Deportations, &flow_shape(8)));
    assert!(!canonical_flows(Table::Registrations, &flow_shape(9)));
    // Without `crossing`, two columns swapped, or an unknown column.
    let mut shape = flow_shape(9);
    shape.map[6] = None;
    assert!(!canonical_flows(Table::Deportations, &shape));
    let mut shape = flow_shape(9);
    shape.map.swap(2, 3);
    assert!(!canonical_flows(Table::Deportations, &shape));
    let mut shape = flow_shape(8);
    shape.width = 9;
    assert!(!canonical_flows(Table::Deportations, &shape));
}

/// Lines of common and uncommon fields, read by the direct flow reader
/// (and, where it declines, by the general one, as a load does) and by
/// the general reader alone, end with the same rows, rejections and
/// texts; and the direct reader takes most common lines.
#[test]
fn the_direct_flow_reader_reads_as_the_general_one() {
    let mut g = Gen { draw: Box::new(super::draws(11)) };
    for width in [8, 9] {
        let shape = flow_shape(width);
        let (mut general, mut direct) = (Dataset::default(), Dataset::default());
        let (mut general_out, mut direct_out) = (Vec::new(), Vec::new());
        let mut taken = 0;
        for n in 0..20_000 {
            let fields = g.fields(width, ',', false);
            let line = fields.join(",");
            // Cuts: the offset of each separator, the last the line end.
            let mut seps: Vec<u32> = line.match_indices(',').map(|(i, _)| i as u32 + 5).collect();
            seps.push((line.len() as u32 + 5) | LINE_END);
            let mut pairs = Vec::new();
            let mut from = 0;
            for f in &fields {
                pairs.extend([from as u32, (from + f.len()) as u32]);
                from += f.len() + 1;
            }
            let bounds = match n % 2 {
                0 => Bounds::Cuts { seps: &seps, start: 5 },
                _ => Bounds::Pairs(&pairs),
            };
            let row = Row::of(Fields::Text(&line, bounds), "f.csv", n + 2);
            let result = parse_record(Table::Deportations, &shape, &mut general, &row, 1000);
            general_out.push(result.map_err(|r| r.to_string()));
            match flow_row(&line, bounds, width, &mut direct.texts) {
                Some(r) => {
                    direct.deportations.push(r);
                    direct_out.push(Ok(()));
                    taken += 1;
                }
                None => {
                    let result = parse_record(Table::Deportations, &shape, &mut direct, &row, 1000);
                    direct_out.push(result.map_err(|r| r.to_string()));
                }
            }
        }
        let first = direct_out.iter().zip(&general_out).position(|(d, g)| d != g);
        assert_eq!(first.map(|i| (&direct_out[i], &general_out[i])), None, "line {first:?}");
        let rows = general.len(Table::Deportations);
        assert_eq!(direct.len(Table::Deportations), rows);
        for i in 0..rows {
            let event = |ds: &Dataset| ds.deportations.record(i, &ds.texts);
            assert_eq!(event(&direct), event(&general), "row {i}");
        }
        assert_eq!(direct.texts.len(), general.texts.len());
        for id in 0..general.texts.len() as u32 {
            assert_eq!(direct.texts.text(id), general.texts.text(id));
        }
        // The common lines (about a third of all) are read directly.
        assert!(rows > 5_000 && taken * 10 > rows * 9, "{taken} of {rows}");
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
    let names = names();
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
        let mut a = names[..width].join(&d);
        let mut b = perm.iter().map(|&p| names[p]).collect::<Vec<_>>().join(&d);
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
