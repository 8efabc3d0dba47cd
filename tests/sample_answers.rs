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
    // Grouping by source answers it: UNHCR's statistics beside the PoR card
    // holders of the Government of Pakistan's register (9 Nov 2023).
    let result = Dataset::sample().query(&q.by(D::Source)).unwrap();
    assert_eq!(csv_of(&result), "source,persons\nGovernment of Pakistan,1304000\nUNHCR,1987717\n");
}

#[test]
fn registration_sources_are_the_organisations_that_counted() {
    let mut sources: Vec<String> = Dataset::sample().registrations().map(|r| r.source).collect();
    sources.sort();
    sources.dedup();
    assert_eq!(sources, ["Government of Pakistan", "UNHCR"]);
    // UNHCR's own estimate of undocumented Afghans is no UNHCR statistics series.
    let q = Query::registrations()
        .filter(D::Host, ["PAK"])
        .filter(D::Population, ["undocumented"])
        .by(D::Source)
        .as_of(date("2023-12-31"));
    let result = Dataset::sample().query(&q).unwrap();
    assert_eq!(csv_of(&result), "source,persons\nGovernment of Pakistan,1730000\nUNHCR,1300000\n");
}

// ---------------------------------------------------------------------------
// Deportations: the reported figures are disjoint flows of the organisations
// that counted them (data/README.md, "Reported figures").

fn deportations_csv(q: Query) -> String {
    csv_of(&Dataset::sample().query(&q).unwrap_or_else(|e| panic!("{e}")))
}

/// Afghans leaving Pakistan.
fn from_pakistan() -> Query {
    Query::deportations().filter(D::Origin, ["AFG"]).filter(D::Host, ["PAK"])
}

#[test]
fn returns_from_pakistan_by_month_and_source() {
    let q =
        from_pakistan().by(D::Month).by(D::Source).from(date("2023-01-01")).to(date("2024-12-31"));
    assert_eq!(
        deportations_csv(q),
        "month,source,persons,records\n\
         2023-10,Government of Pakistan,59561,1\n\
         2023-10,Pakistani immigration officials at Torkham,8000,1\n\
         2023-10,Pakistani refugee authority,10000,1\n\
         2023-11,Amnesty International,170000,1\n\
         2023-11,Balochistan border officials,38100,1\n\
         2023-11,Border Consortium,340000,1\n\
         2023-11,Deputy Commissioner Khyber,24000,1\n\
         2023-11,Government of Pakistan,110721,3\n\
         2023-11,KP Home & Tribal Affairs Department,246504,7\n\
         2023-11,OCHA,20000,1\n\
         2023-11,\"UNHCR, IOM and UNICEF\",160000,1\n\
         2023-12,IOM DTM,491260,1\n\
         2023-12,KP Home & Tribal Affairs Department,27466,15\n\
         2023-12,UNHCR,56797,1\n\
         2024-01,IOM,500200,1\n\
         2024-01,IOM DTM,9982,1\n\
         2024-06,Border Consortium,292000,1\n\
         2024-10,UNHCR,6800,1\n\
         2024-12,UNHCR,126812,1\n"
    );
}

#[test]
fn kp_department_by_month_and_kind() {
    // Returns: its per-crossing running totals (223,503 + 3,317 + 419 on
    // 19 Nov, 241,888 + 3,426 + 698 on 27 Nov) made disjoint; its totals over
    // the three crossings are not in the sample beside them.
    let q = from_pakistan()
        .filter(D::Source, ["KP Home & Tribal Affairs Department"])
        .by(D::Month)
        .by(D::Kind);
    assert_eq!(
        deportations_csv(q),
        "month,kind,persons,records\n\
         2023-11,deported,492,1\n\
         2023-11,returned,246012,6\n\
         2023-12,deported,525,3\n\
         2023-12,returned,26941,12\n"
    );
}

#[test]
fn kp_department_returns_add_up_to_its_last_figures_per_crossing() {
    // 30 Dec 2023: Torkham 268,552, Angoor Adda 3,703, Kharlachi 698.
    let q = from_pakistan()
        .filter(D::Source, ["KP Home & Tribal Affairs Department"])
        .filter(D::Kind, ["returned"])
        .by(D::Crossing);
    assert_eq!(
        deportations_csv(q.clone()),
        "crossing,persons,records\nAngoor Adda,3703,6\nKharlachi,698,6\nTorkham,268552,6\n"
    );
    let q = from_pakistan()
        .filter(D::Source, ["KP Home & Tribal Affairs Department"])
        .filter(D::Kind, ["returned"]);
    assert_eq!(deportations_csv(q), "persons,records\n272953,18\n");
}

#[test]
fn cumulative_reports_add_up_to_the_last_one() {
    // Each organisation's flows over the span of its running total sum to the
    // total it published last.
    for (source, from, to, total) in [
        ("Government of Pakistan", "2023-10-03", "2023-11-02", 165_000),
        ("Border Consortium", "2023-09-15", "2024-06-15", 632_000),
        ("IOM DTM", "2023-09-15", "2024-01-15", 501_242),
    ] {
        let q = from_pakistan()
            .filter(D::Source, [source])
            .filter(D::Kind, ["returned"])
            .from(date(from))
            .to(date(to));
        let result = Dataset::sample().query(&q).unwrap();
        assert_eq!(result.rows().next().unwrap().measure("persons"), Some(total), "{source}");
    }
}

#[test]
fn unhcr_flows_by_kind() {
    // UNHCR's yearly statistics (returned refugees) and its reported figures
    // of other kinds; its other `returned` figures for these years are left out.
    let q = Query::deportations()
        .filter(D::Origin, ["AFG"])
        .filter(D::Source, ["UNHCR"])
        .filter(D::Host, ["IRN", "PAK"])
        .by(D::Year)
        .by(D::Host)
        .by(D::Kind)
        .from(date("2023-01-01"))
        .to(date("2024-12-31"));
    assert_eq!(
        deportations_csv(q),
        "year,host,kind,persons,records\n\
         2023,IRN,deported,310000,1\n\
         2023,IRN,returned,516,1\n\
         2023,IRN,spontaneous,400000,1\n\
         2023,PAK,returned,56797,1\n\
         2024,IRN,returned,237452,1\n\
         2024,PAK,deported,6800,1\n\
         2024,PAK,returned,126812,1\n"
    );
}

#[test]
fn returns_from_iran_by_year_and_source() {
    let q = Query::deportations()
        .filter(D::Origin, ["AFG"])
        .filter(D::Host, ["IRN"])
        .filter(D::Kind, ["returned"])
        .by(D::Year)
        .by(D::Source)
        .from(date("2023-01-01"))
        .to(date("2024-12-31"));
    assert_eq!(
        deportations_csv(q),
        "year,source,persons,records\n\
         2023,IOM,1000000,1\n\
         2023,UNHCR,516,1\n\
         2024,IOM,1200000,1\n\
         2024,Taliban Ministry of Refugees and Repatriation,3000,1\n\
         2024,UNHCR,237452,1\n"
    );
}

#[test]
fn deportation_sources_are_organisations_not_outlets() {
    let mut sources: Vec<String> = Dataset::sample().deportations().map(|d| d.source).collect();
    sources.sort();
    sources.dedup();
    assert_eq!(
        sources,
        [
            "Amnesty International",
            "Balochistan border officials",
            "Border Consortium",
            "Deputy Commissioner Khyber",
            "Government of Pakistan",
            "IOM",
            "IOM DTM",
            "KP Home & Tribal Affairs Department",
            "OCHA",
            "Pakistani immigration officials at Torkham",
            "Pakistani refugee authority",
            "Taliban Ministry of Refugees and Repatriation",
            "UNHCR",
            "UNHCR, IOM and UNICEF",
        ]
    );
}

/// The crossing points a crossing names (`None`: not given, all crossings).
fn crossing_points(crossing: &Option<String>) -> Option<Vec<String>> {
    let crossing = crossing.as_deref()?;
    let mut points: Vec<String> = crossing
        .split([';', '/'])
        .map(|p| match p.trim() {
            "Spin Boldak" => "Chaman".to_string(), // the two sides of one crossing
            p => p.to_string(),
        })
        .collect();
    points.sort();
    Some(points)
}

#[test]
fn no_flow_of_the_sample_is_counted_twice() {
    // Within one (origin, host, kind, source) two flows that share a day name
    // crossings with no point in common: never a series overlapping itself
    // (DESIGN section 2), and never one organisation's total beside its part,
    // which the query engine's flow source rule (crossings do not separate
    // flows) would add.
    let flows: Vec<DeportationEvent> = Dataset::sample().deportations().collect();
    let mut checked = 0;
    for (i, a) in flows.iter().enumerate() {
        for b in &flows[i + 1..] {
            if (a.origin, a.host, a.kind, &a.source) != (b.origin, b.host, b.kind, &b.source)
                || a.first_day() > b.date
                || b.first_day() > a.date
            {
                continue;
            }
            checked += 1;
            let (pa, pb) = (crossing_points(&a.crossing), crossing_points(&b.crossing));
            let disjoint = match (&pa, &pb) {
                (Some(pa), Some(pb)) => pa.iter().all(|p| !pb.contains(p)),
                _ => false,
            };
            assert!(disjoint, "counted twice:\n{a:?}\n{b:?}");
        }
    }
    // The KP department's three crossings share their days.
    assert!(checked > 0);
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
