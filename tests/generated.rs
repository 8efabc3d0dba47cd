//! Invariants over generated data (fixed seeds): every row is accounted for,
//! and the hand-written `ByteRecord` path agrees with the `serde` path.

#[path = "../examples/gen/mod.rs"]
mod gen;

use refugee_data::{DeportationEvent, Loader, Registration, Table};

fn serde_records<T: serde::de::DeserializeOwned>(csv: &[u8]) -> Vec<T> {
    csv::Reader::from_reader(csv).deserialize().collect::<Result<_, _>>().expect("valid CSV")
}

#[test]
fn generated_deportations_load_and_agree_with_serde() {
    let csv = gen::deportations_csv(30_000, 7);
    let mut loader = Loader::new();
    loader.read(Table::Deportations, "deportations.csv", &csv[..]).unwrap();
    let (ds, report) = loader.finish();
    assert_eq!(report.rows_read(Table::Deportations), 30_000);
    assert_eq!(report.loaded(Table::Deportations), 30_000);
    let fast: Vec<DeportationEvent> = ds.deportations().collect();
    assert_eq!(fast, serde_records::<DeportationEvent>(&csv));
}

#[test]
fn generated_registrations_load_and_agree_with_serde() {
    let csv = gen::registrations_csv(30_000, 11);
    let mut loader = Loader::new();
    loader.read(Table::Registrations, "registrations.csv", &csv[..]).unwrap();
    let (ds, report) = loader.finish();
    let read = report.rows_read(Table::Registrations);
    assert_eq!(report.loaded(Table::Registrations), read);
    let fast: Vec<Registration> = ds.registrations().collect();
    assert_eq!(fast, serde_records::<Registration>(&csv));
}

/// Damaged copies of generated files: loaded + rejected = rows read, in
/// strict and lenient mode, and strict fails exactly when lenient rejects.
#[test]
fn damaged_generated_files_account_for_every_row() {
    let clean = gen::deportations_csv(5_000, 3);
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..40 {
        let mut bytes = clean.clone();
        for _ in 0..(1 + round % 8) {
            let at = 60 + (next() as usize) % (bytes.len() - 60);
            match next() % 4 {
                0 => bytes[at] = b"x,\n\"-9 "[(next() % 7) as usize],
                1 => {
                    bytes.remove(at);
                }
                2 => bytes.insert(at, b','),
                _ => {
                    let dup: Vec<u8> = bytes[at..(at + 80).min(bytes.len())].to_vec();
                    bytes.splice(at..at, dup);
                }
            }
        }
        let mut lenient = Loader::new().lenient(true);
        let lenient_result = lenient.read(Table::Deportations, "deportations.csv", &bytes[..]);
        let (ds, report) = lenient.finish();
        let t = Table::Deportations;
        assert_eq!(report.loaded(t) + report.rejected(t), report.rows_read(t), "round {round}");
        assert_eq!(report.loaded(t) as usize, ds.len(t));
        assert_eq!(report.rejected(t) as usize, report.rejections().len());
        let strict = Loader::new().read(t, "deportations.csv", &bytes[..]);
        assert_eq!(
            strict.is_err(),
            lenient_result.is_err() || report.rejected(t) > 0,
            "round {round}: strict fails exactly when lenient rejects"
        );
    }
}

/// A file of several read blocks (the loader parses quote-free blocks on two
/// threads): the records, their order, and the lines of rejections are those
/// of one sequential pass.
#[test]
fn multi_block_files_load_in_order_with_exact_lines() {
    let csv = gen::deportations_csv(400_000, 5);
    assert!(csv.len() > 20 << 20, "spans several blocks");
    let mut loader = Loader::new();
    loader.read(Table::Deportations, "deportations.csv", &csv[..]).unwrap();
    let (ds, _) = loader.finish();
    let fast: Vec<DeportationEvent> = ds.deportations().collect();
    assert_eq!(fast, serde_records::<DeportationEvent>(&csv));

    // Damage rows in different blocks, and repeat an early row at the end.
    let text = String::from_utf8(csv).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let bad = [1_000usize, 150_001, 150_002, 320_000];
    for &i in &bad {
        lines[i] = lines[i].replacen(',', ",,", 1);
    }
    lines.push(lines[10].clone());
    let damaged = lines.join("\n") + "\n";
    let mut lenient = Loader::new().lenient(true);
    lenient.read(Table::Deportations, "deportations.csv", damaged.as_bytes()).unwrap();
    let (ds, report) = lenient.finish();
    let got: Vec<(u64, bool)> = report
        .rejections()
        .iter()
        .map(|r| (r.line(), r.to_string().contains("duplicate of line 11")))
        .collect();
    let mut want: Vec<(u64, bool)> = bad.iter().map(|&i| (i as u64 + 1, false)).collect();
    want.push((lines.len() as u64, true));
    assert_eq!(got, want);
    assert_eq!(ds.len(Table::Deportations), 400_000 - bad.len());
    let strict = Loader::new().read(Table::Deportations, "deportations.csv", damaged.as_bytes());
    let first = strict.unwrap_err().to_string();
    assert!(first.starts_with("deportations.csv:1001: "), "{first}");
}

/// A quote in a later block sends the rest of the file down the sequential
/// path, with lines still counted from the start of the file.
#[test]
fn a_quote_in_a_later_block_keeps_lines_exact() {
    let text = String::from_utf8(gen::deportations_csv(300_000, 9)).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // A quoted source with a line break inside, then a bad row after it.
    let q = 250_000;
    let fields: Vec<&str> = lines[q].split(',').collect();
    let quoted = format!("{},\"two\nlines\"", fields[..fields.len() - 1].join(","));
    lines[q] = quoted;
    lines[260_000] = lines[260_000].replacen(',', ",,", 1);
    let body = lines.join("\n") + "\n";
    let mut loader = Loader::new().lenient(true);
    loader.read(Table::Deportations, "deportations.csv", body.as_bytes()).unwrap();
    let (ds, report) = loader.finish();
    let got: Vec<u64> = report.rejections().iter().map(|r| r.line()).collect();
    // Line 250,001 holds two physical lines, so row 260,000 is on line 260,002.
    assert_eq!(got, [260_002]);
    assert_eq!(ds.len(Table::Deportations), 300_000 - 1);
    let source = ds.deportations().nth(q - 1).unwrap().source;
    assert_eq!(source, "two\nlines");
}
