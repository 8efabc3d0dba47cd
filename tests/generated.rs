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
