//! Exact answers on the embedded sample (`data/`), and the agreement of the
//! hand-written loading path with serde's `Deserialize`.

mod common;

use std::path::PathBuf;

use refugee_data::{
    Dataset, DeportationEvent, Dimension as D, Error, PolicyStatement, Query, Registration, Table,
};

use common::*;

fn data_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data").join(name)
}

/// UNHCR's figures for Afghan refugees.
fn afghan_refugees() -> Query {
    Query::registrations()
        .filter(D::Origin, ["AFG"])
        .filter(D::Population, ["refugees"])
        .filter(D::Source, ["UNHCR"])
}

fn persons_in(q: Query, host: &str) -> u64 {
    let result = Dataset::sample().query(&q.by(D::Host)).unwrap_or_else(|e| panic!("{e}"));
    let row = result.rows().find(|r| r.key(0) == host).unwrap_or_else(|| panic!("no row {host}"));
    row.measure("persons").unwrap()
}

#[test]
fn afghan_refugees_end_of_2023() {
    let end_2023 = || afghan_refugees().as_of(date("2023-12-31"));
    assert_eq!(persons_in(end_2023(), "PAK"), 1_987_717);
    assert_eq!(persons_in(end_2023(), "IRN"), 3_752_317);
    // The same through a host filter, without dimensions.
    let result = Dataset::sample().query(&end_2023().filter(D::Host, ["Pakistan"])).unwrap();
    assert_eq!(csv_of(&result), "persons\n1987717\n");
}

#[test]
fn afghan_refugees_in_pakistan_mid_2023() {
    assert_eq!(persons_in(afghan_refugees().as_of(date("2023-06-30")), "PAK"), 2_079_989);
}

#[test]
fn afghan_refugees_in_pakistan_by_year() {
    let q = afghan_refugees()
        .filter(D::Host, ["PAK"])
        .by(D::Year)
        .from(date("2019-01-01"))
        .to(date("2023-12-31"));
    let result = Dataset::sample().query(&q).unwrap();
    assert_eq!(
        csv_of(&result),
        "year,persons\n2019,1419084\n2020,1438432\n2021,1490562\n2022,1743278\n2023,1987717\n"
    );
}

#[test]
fn pakistan_refugees_without_a_source_are_ambiguous() {
    // The sample holds published non-UNHCR estimates as series of their own.
    let q = Query::registrations()
        .filter(D::Origin, ["AFG"])
        .filter(D::Host, ["PAK"])
        .filter(D::Population, ["refugees"])
        .as_of(date("2023-12-31"));
    match Dataset::sample().query(&q) {
        Err(Error::SourceAmbiguity(conflict)) => {
            let msg = conflict.to_string();
            for part in ["refugees", "AFG", "PAK", "source"] {
                assert!(msg.contains(part), "{msg:?} does not name {part}");
            }
            // It names two of the sources that publish this population.
            let mut sources: Vec<String> = Dataset::sample()
                .registrations()
                .filter(|r| r.host.alpha3() == "PAK" && r.population.as_str() == "refugees")
                .filter(|r| r.origin.alpha3() == "AFG" && r.date <= date("2023-12-31"))
                .map(|r| r.source)
                .collect();
            sources.sort();
            sources.dedup();
            assert!(sources.len() > 1, "{sources:?}");
            let named = sources.iter().filter(|s| msg.contains(&format!("\"{s}\""))).count();
            assert_eq!(named, 2, "{msg:?} should name two of {sources:?}");
        }
        other => panic!("expected a source ambiguity, got {other:?}"),
    }
    // Grouping by source answers it, UNHCR's figure among the rows.
    let result = Dataset::sample().query(&q.by(D::Source)).unwrap();
    let unhcr = result.rows().find(|r| r.key(0) == "UNHCR").unwrap();
    assert_eq!(unhcr.value(0), 1_987_717);
    assert!(result.len() > 1);
}

/// Data rows of a sample file, counted by the `csv` crate.
fn data_rows(name: &str) -> usize {
    let mut reader = csv::Reader::from_path(data_file(name)).unwrap();
    reader.records().collect::<Result<Vec<_>, _>>().unwrap().len()
}

#[test]
fn every_sample_row_is_a_record() {
    let ds = Dataset::sample();
    for table in Table::ALL {
        assert_eq!(ds.len(table), data_rows(table.file_name()), "{table}");
    }
    assert_eq!(ds.registrations().count(), data_rows("registrations.csv"));
    assert_eq!(ds.deportations().count(), data_rows("deportations.csv"));
    assert_eq!(ds.statements().count(), data_rows("statements.csv"));
}

fn deserialize<T: serde::de::DeserializeOwned>(name: &str) -> Vec<T> {
    csv::ReaderBuilder::new()
        .from_path(data_file(name))
        .unwrap()
        .deserialize::<T>()
        .map(|r| r.unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect()
}

/// Compares record by record, so a failure names the first difference.
fn assert_same<T: PartialEq + std::fmt::Debug>(name: &str, serde: Vec<T>, fast: Vec<T>) {
    assert_eq!(serde.len(), fast.len(), "{name}: number of records");
    for (i, (a, b)) in serde.iter().zip(&fast).enumerate() {
        assert_eq!(a, b, "{name}: record {} (line {})", i + 1, i + 2);
    }
}

#[test]
fn serde_path_agrees_with_the_fast_path_on_registrations() {
    let serde: Vec<Registration> = deserialize("registrations.csv");
    assert_same("registrations.csv", serde, Dataset::sample().registrations().collect());
}

#[test]
fn serde_path_agrees_with_the_fast_path_on_deportations() {
    let serde: Vec<DeportationEvent> = deserialize("deportations.csv");
    assert_same("deportations.csv", serde, Dataset::sample().deportations().collect());
}

#[test]
fn serde_path_agrees_with_the_fast_path_on_statements() {
    let serde: Vec<PolicyStatement> = deserialize("statements.csv");
    assert_same("statements.csv", serde, Dataset::sample().statements().collect());
}
