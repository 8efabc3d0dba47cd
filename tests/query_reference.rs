//! The query engine against a naive reference implementation of DESIGN §4,
//! on random small datasets and random queries over all three tables.
//!
//! The reference is deliberately plain: loops over the typed records that the
//! loaded `Dataset` gives back, `BTreeMap`s keyed by the printed labels. Since
//! every label sorts by its bytes in the order the contract wants (time labels
//! are zero-padded, so bytes order is chronological), a `BTreeMap<Vec<String>, _>`
//! gives the rows in the contract's order.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use proptest::sample::Index;
use refugee_data::{Dataset, Dimension, Error, Query, QueryResult, Table};

use common::*;

// ---------------------------------------------------------------------------
// Labels, computed from chrono dates and typed records.

fn time_label(dim: Dimension, d: NaiveDate) -> String {
    match dim {
        Dimension::Day => d.format("%Y-%m-%d").to_string(),
        Dimension::Week => {
            let w = d.iso_week();
            format!("{:04}-W{:02}", w.year(), w.week())
        }
        Dimension::Month => format!("{:04}-{:02}", d.year(), d.month()),
        Dimension::Quarter => format!("{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
        Dimension::Year => format!("{:04}", d.year()),
        other => panic!("{other} is no time dimension"),
    }
}

/// A registration series: (origin, host, population, source).
type Series = (String, String, String, String);

/// A record reduced to what the reference needs.
struct Rec {
    date: NaiveDate,
    /// The printed label of every categorical dimension of its table.
    labels: BTreeMap<Dimension, String>,
    count: u64,
    /// Registrations: (origin, host, population, source).
    series: Series,
}

fn records(ds: &Dataset, table: Table) -> Vec<Rec> {
    use Dimension::*;
    let opt =
        |c: Option<refugee_data::Country>| c.map(|c| c.alpha3().to_string()).unwrap_or_default();
    match table {
        Table::Registrations => ds
            .registrations()
            .map(|r| {
                let labels = BTreeMap::from([
                    (Origin, r.origin.alpha3().to_string()),
                    (Host, r.host.alpha3().to_string()),
                    (Population, r.population.to_string()),
                    (Source, r.source.clone()),
                ]);
                let series = (
                    labels[&Origin].clone(),
                    labels[&Host].clone(),
                    labels[&Population].clone(),
                    labels[&Source].clone(),
                );
                Rec { date: r.date, labels, count: r.count, series }
            })
            .collect(),
        Table::Deportations => ds
            .deportations()
            .map(|r| Rec {
                date: r.date,
                labels: BTreeMap::from([
                    (Origin, r.origin.alpha3().to_string()),
                    (Host, r.host.alpha3().to_string()),
                    (Kind, r.kind.to_string()),
                    (Crossing, r.crossing.clone().unwrap_or_default()),
                    (Source, r.source.clone()),
                ]),
                count: r.count,
                series: Default::default(),
            })
            .collect(),
        Table::Statements => ds
            .statements()
            .map(|r| Rec {
                date: r.date,
                labels: BTreeMap::from([
                    (Actor, r.actor.clone()),
                    (ActorCountry, opt(r.actor_country)),
                    (Speaker, r.speaker.clone().unwrap_or_default()),
                    (TargetCountry, opt(r.target_country)),
                    (SubjectCountry, opt(r.subject_country)),
                    (Stance, r.stance.to_string()),
                    (Source, r.source.clone()),
                ]),
                count: 1,
                series: Default::default(),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------
// Random queries.

/// A query before it is tied to a table: indexes resolved against the table.
#[derive(Clone, Debug)]
struct QuerySeed {
    table: u8,
    cats: Vec<Index>,
    time: Option<(u8, Index)>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    as_of: Option<NaiveDate>,
    filters: Vec<(Index, Vec<Index>, bool)>,
}

fn query_seed() -> impl Strategy<Value = QuerySeed> {
    let bound = || proptest::option::weighted(0.3, gen_date());
    (
        0u8..3,
        proptest::collection::vec(any::<Index>(), 0..=4),
        proptest::option::weighted(0.6, (0u8..5, any::<Index>())),
        bound(),
        bound(),
        proptest::option::weighted(
            0.4,
            prop_oneof![5 => gen_date(), 1 => Just(date("2023-01-01"))],
        ),
        proptest::collection::vec(
            (
                any::<Index>(),
                proptest::collection::vec(any::<Index>(), 1..=3),
                proptest::bool::weighted(0.04),
            ),
            0..=2,
        ),
    )
        .prop_map(|(table, cats, time, from, to, as_of, filters)| QuerySeed {
            table,
            cats,
            time,
            from,
            to,
            as_of,
            filters,
        })
}

const TIME_DIMS: [Dimension; 5] =
    [Dimension::Day, Dimension::Week, Dimension::Month, Dimension::Quarter, Dimension::Year];

/// Filter values to pick from for a dimension (spellings and cases vary).
fn filter_pool(table: Table, dim: Dimension) -> Vec<String> {
    let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let cases = |labels: &[&str]| {
        labels.iter().enumerate().map(|(i, l)| in_some_case(l, i as u8)).collect::<Vec<_>>()
    };
    if dim.is_country() {
        return COUNTRY_SPELLINGS
            .iter()
            .chain(ABSENT_COUNTRIES)
            .map(|(s, _)| s.to_string())
            .collect();
    }
    match (table, dim) {
        (_, Dimension::Population) => {
            cases(&["refugees", "Asylum_Seekers", "UNDOCUMENTED", "idps"])
        }
        (_, Dimension::Kind) => cases(KINDS),
        (_, Dimension::Stance) => cases(STANCES),
        (Table::Registrations, Dimension::Source) => {
            own(&["UNHCR", " UNHCR ", "Government of Pakistan", "iom estimate", "unhcr"])
        }
        (Table::Deportations, Dimension::Source) => own(&["IOM DTM", "UNHCR", "Nobody"]),
        (_, Dimension::Crossing) => own(&["", "Torkham", "Chaman", "torkham", " Islam Qala"]),
        (_, Dimension::Actor) => {
            own(&["UNHCR", "amnesty", "Ärzte ohne Grenzen", "Human Rights Watch"])
        }
        (_, Dimension::Speaker) => own(&["", "Matthew Miller", "zabihullah", "Nobody"]),
        (_, Dimension::Source) => own(&["Dawn", "dawn", "Reuters"]),
        _ => panic!("no pool for {dim}"),
    }
}

/// A value that is no valid value of `dim`, or `None` for text dimensions.
fn invalid_value(dim: Dimension, pick: &Index) -> Option<String> {
    if dim.is_country() {
        return Some(pick.get(NOT_COUNTRIES).to_string());
    }
    match dim {
        Dimension::Population => Some("refugee".into()),
        Dimension::Kind => Some("expelled".into()),
        Dimension::Stance => Some("praise".into()),
        _ => None,
    }
}

/// A resolved query: the library's `Query` and what the reference needs.
#[derive(Clone, Debug)]
struct Spec {
    table: Table,
    by: Vec<Dimension>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    as_of: Option<NaiveDate>,
    filters: Vec<(Dimension, Vec<String>)>,
}

impl Spec {
    fn from_seed(seed: &QuerySeed) -> Spec {
        let table = Table::ALL[seed.table as usize];
        let cats = Dimension::categorical(table);
        let mut by: Vec<Dimension> = Vec::new();
        for i in &seed.cats {
            let d = *i.get(cats);
            if !by.contains(&d) {
                by.push(d);
            }
        }
        if let Some((t, pos)) = &seed.time {
            by.insert(pos.index(by.len() + 1), TIME_DIMS[*t as usize]);
        }
        let has_time = by.iter().any(|d| d.is_time());
        let as_of = if table == Table::Registrations && !has_time { seed.as_of } else { None };
        let filters = seed
            .filters
            .iter()
            .map(|(d, values, invalid)| {
                let dim = *d.get(cats);
                let pool = filter_pool(table, dim);
                let mut vals: Vec<String> = values.iter().map(|v| v.get(&pool).clone()).collect();
                if *invalid {
                    if let Some(bad) = invalid_value(dim, &values[0]) {
                        vals.push(bad);
                    }
                }
                (dim, vals)
            })
            .collect();
        Spec { table, by, from: seed.from, to: seed.to, as_of, filters }
    }

    fn query(&self) -> Query {
        let mut q = Query::new(self.table);
        for d in &self.by {
            q = q.by(*d);
        }
        if let Some(d) = self.from {
            q = q.from(d);
        }
        if let Some(d) = self.to {
            q = q.to(d);
        }
        if let Some(d) = self.as_of {
            q = q.as_of(d);
        }
        for (d, values) in &self.filters {
            q = q.filter(*d, values.clone());
        }
        q
    }
}

// ---------------------------------------------------------------------------
// The reference.

type Rows = Vec<(Vec<String>, Vec<u64>)>;

/// What the reference expects of a query.
#[derive(Debug, PartialEq)]
enum Expected {
    Rows(Rows),
    /// A filter value is no valid country or vocabulary value.
    QueryError,
    /// Some group would add two sources: each (population or kind, origin, host, sources).
    Ambiguity(Vec<(String, String, String, BTreeSet<String>)>),
}

/// The set of labels a filter keeps, or `None` when a value is invalid.
fn resolve_filter(dim: Dimension, values: &[String]) -> Option<BTreeSet<String>> {
    let mut keep = BTreeSet::new();
    for v in values {
        if dim.is_country() {
            let code = COUNTRY_SPELLINGS
                .iter()
                .chain(ABSENT_COUNTRIES)
                .find(|(s, _)| s == v)
                .map(|(_, c)| c.to_string())?;
            keep.insert(code);
        } else if matches!(dim, Dimension::Population | Dimension::Kind | Dimension::Stance) {
            let lower = v.trim().to_lowercase();
            let labels: &[&str] = match dim {
                Dimension::Population => &[
                    "refugees",
                    "asylum_seekers",
                    "others_in_need",
                    "others_of_concern",
                    "stateless",
                    "idps",
                    "host_community",
                    "undocumented",
                ],
                Dimension::Kind => KINDS,
                _ => STANCES,
            };
            if !labels.contains(&lower.as_str()) {
                return None;
            }
            keep.insert(lower);
        } else {
            keep.insert(v.trim().to_string());
        }
    }
    Some(keep)
}

fn reference(ds: &Dataset, spec: &Spec) -> Expected {
    let mut filters: Vec<(Dimension, BTreeSet<String>)> = Vec::new();
    for (dim, values) in &spec.filters {
        match resolve_filter(*dim, values) {
            Some(keep) => filters.push((*dim, keep)),
            None => return Expected::QueryError,
        }
    }
    let time = spec.by.iter().copied().find(|d| d.is_time());
    let all = records(ds, spec.table);
    // Default as-of: the latest date of the table.
    let as_of = spec.as_of.or_else(|| all.iter().map(|r| r.date).max());
    let kept: Vec<&Rec> = all
        .iter()
        .filter(|r| spec.from.map_or(true, |f| r.date >= f))
        .filter(|r| spec.to.map_or(true, |t| r.date <= t))
        .filter(|r| {
            spec.table != Table::Registrations
                || time.is_some()
                || as_of.map_or(true, |a| r.date <= a)
        })
        .filter(|r| filters.iter().all(|(d, keep)| keep.contains(&r.labels[d])))
        .collect();
    let key_of = |r: &Rec| -> Vec<String> {
        spec.by
            .iter()
            .map(|d| if d.is_time() { time_label(*d, r.date) } else { r.labels[d].clone() })
            .collect()
    };
    match spec.table {
        Table::Registrations => {
            // Latest observation per (series, bucket); no bucket without a time dimension.
            let mut latest: BTreeMap<(&Series, String), &Rec> = BTreeMap::new();
            for r in &kept {
                let bucket = time.map(|t| time_label(t, r.date)).unwrap_or_default();
                let e = latest.entry((&r.series, bucket)).or_insert(r);
                if r.date > e.date {
                    *e = r;
                }
            }
            let mut sums: BTreeMap<Vec<String>, u64> = BTreeMap::new();
            let mut sources: BTreeMap<(Vec<String>, String, String, String), BTreeSet<String>> =
                BTreeMap::new();
            for r in latest.values() {
                let key = key_of(r);
                let (origin, host, population, source) = r.series.clone();
                sources.entry((key.clone(), population, origin, host)).or_default().insert(source);
                *sums.entry(key).or_default() += r.count;
            }
            let ambiguous: Vec<_> = sources
                .into_iter()
                .filter(|(_, s)| s.len() > 1)
                .map(|((_, p, o, h), s)| (p, o, h, s))
                .collect();
            if !ambiguous.is_empty() {
                return Expected::Ambiguity(ambiguous);
            }
            Expected::Rows(sums.into_iter().map(|(k, v)| (k, vec![v])).collect())
        }
        Table::Deportations | Table::Statements => {
            let flows = spec.table == Table::Deportations;
            let mut groups: BTreeMap<Vec<String>, (u64, u64)> = BTreeMap::new();
            // The flow source rule: sources per (group, kind, origin, host).
            let mut sources: BTreeMap<(Vec<String>, String, String, String), BTreeSet<String>> =
                BTreeMap::new();
            for r in &kept {
                let g = groups.entry(key_of(r)).or_default();
                g.0 += r.count;
                g.1 += 1;
                if flows && !spec.by.contains(&Dimension::Source) {
                    let l = |d: Dimension| r.labels[&d].clone();
                    let who =
                        (key_of(r), l(Dimension::Kind), l(Dimension::Origin), l(Dimension::Host));
                    sources.entry(who).or_default().insert(l(Dimension::Source));
                }
            }
            let ambiguous: Vec<_> = sources
                .into_iter()
                .filter(|(_, s)| s.len() > 1)
                .map(|((_, k, o, h), s)| (k, o, h, s))
                .collect();
            if !ambiguous.is_empty() {
                return Expected::Ambiguity(ambiguous);
            }
            Expected::Rows(
                groups
                    .into_iter()
                    .map(|(k, (p, n))| (k, if flows { vec![p, n] } else { vec![n] }))
                    .collect(),
            )
        }
    }
}

fn measures(table: Table) -> &'static [&'static str] {
    match table {
        Table::Registrations => &["persons"],
        Table::Deportations => &["persons", "records"],
        Table::Statements => &["statements"],
    }
}

/// The CSV and JSON the rows should print as.
fn expected_outputs(spec: &Spec, rows: &Rows) -> (String, serde_json::Value) {
    let columns: Vec<&str> =
        spec.by.iter().map(|d| d.name()).chain(measures(spec.table).iter().copied()).collect();
    let mut w =
        csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(vec![]);
    w.write_record(&columns).unwrap();
    let mut json = Vec::new();
    for (keys, values) in rows {
        let mut record = keys.clone();
        record.extend(values.iter().map(u64::to_string));
        w.write_record(&record).unwrap();
        let mut obj = serde_json::Map::new();
        for (c, k) in columns.iter().zip(keys) {
            obj.insert(c.to_string(), serde_json::Value::from(k.clone()));
        }
        for (c, v) in columns[keys.len()..].iter().zip(values) {
            obj.insert(c.to_string(), serde_json::Value::from(*v));
        }
        json.push(serde_json::Value::Object(obj));
    }
    (String::from_utf8(w.into_inner().unwrap()).unwrap(), serde_json::Value::Array(json))
}

fn check(ds: &Dataset, spec: &Spec) -> Result<(), TestCaseError> {
    let got: Result<QueryResult, Error> = ds.query(&spec.query());
    let want = reference(ds, spec);
    match (&want, &got) {
        (Expected::Rows(rows), Ok(result)) => {
            let columns: Vec<&str> = spec
                .by
                .iter()
                .map(|d| d.name())
                .chain(measures(spec.table).iter().copied())
                .collect();
            prop_assert_eq!(result.columns(), columns, "{:?}", spec);
            prop_assert_eq!(&rows_of(result), rows, "{:?}", spec);
            let (csv, json) = expected_outputs(spec, rows);
            prop_assert_eq!(csv_of(result), csv);
            let printed: serde_json::Value = serde_json::from_str(&json_of(result)).unwrap();
            prop_assert_eq!(printed, json);
        }
        (Expected::QueryError, Err(Error::Query(_))) => {}
        (Expected::Ambiguity(groups), Err(Error::SourceAmbiguity(conflict))) => {
            // The message names the population (or the flow's kind) and two
            // of the sources of one ambiguous group.
            let msg = conflict.to_string();
            let named = groups.iter().any(|(p, o, h, sources)| {
                msg.contains(p.as_str())
                    && msg.contains(o.as_str())
                    && msg.contains(h.as_str())
                    && sources.iter().filter(|s| msg.contains(&format!("\"{s}\""))).count() >= 2
            });
            prop_assert!(named, "message {:?} names none of {:?}", msg, groups);
            prop_assert!(msg.contains("source"), "{}", msg);
        }
        _ => {
            return Err(TestCaseError::fail(format!(
                "query {spec:?}\nexpected {want:?}\ngot {got:?}"
            )))
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every random query gives the reference's rows, or the reference's error.
    #[test]
    fn engine_matches_reference(
        files in gen_files(),
        seeds in proptest::collection::vec(query_seed(), 8),
    ) {
        let (ds, report) = files.load();
        for table in Table::ALL {
            prop_assert_eq!(report.loaded(table) as usize, ds.len(table));
        }
        for seed in &seeds {
            check(&ds, &Spec::from_seed(seed))?;
        }
    }

    /// Registrations only, with fewer sources and no invalid filters, so that
    /// most queries are answered rather than refused.
    #[test]
    fn registrations_match_reference(
        rows in gen_registrations(2),
        seeds in proptest::collection::vec(query_seed(), 8),
    ) {
        let (ds, _) = load_lenient(&[(Table::Registrations, &to_csv(REG_HEADER, &rows))]);
        for seed in &seeds {
            let mut spec = Spec::from_seed(&QuerySeed { table: 0, ..seed.clone() });
            spec.filters.retain(|(d, v)| resolve_filter(*d, v).is_some());
            check(&ds, &spec)?;
        }
    }

    /// Flows add up: without filters and bounds, any grouping of the
    /// deportations (with source among the dimensions) sums to the total count and the number of records, and
    /// any grouping of the statements to their number.
    #[test]
    fn flow_totals_are_invariant(files in gen_files(), seeds in proptest::collection::vec(query_seed(), 4)) {
        let (ds, _) = files.load();
        let total: u64 = ds.deportations().map(|d| d.count).sum();
        for seed in &seeds {
            for table in [Table::Deportations, Table::Statements] {
                let mut spec = Spec {
                    filters: Vec::new(),
                    from: None,
                    to: None,
                    as_of: None,
                    ..Spec::from_seed(&QuerySeed { table: table as u8, ..seed.clone() })
                };
                // Flows of two sources are added only by source (the flow
                // source rule); grouped by source, every grouping adds up.
                if table == Table::Deportations && !spec.by.contains(&Dimension::Source) {
                    spec.by.push(Dimension::Source);
                }
                let result = ds.query(&spec.query()).map_err(|e| TestCaseError::fail(e.to_string()))?;
                if table == Table::Deportations {
                    let persons: u64 = result.rows().map(|r| r.measure("persons").unwrap()).sum();
                    let records: u64 = result.rows().map(|r| r.measure("records").unwrap()).sum();
                    prop_assert_eq!(persons, total);
                    prop_assert_eq!(records as usize, ds.len(Table::Deportations));
                } else {
                    let n: u64 = result.rows().map(|r| r.measure("statements").unwrap()).sum();
                    prop_assert_eq!(n as usize, ds.len(Table::Statements));
                }
            }
        }
    }
}

/// The reference's week labels are ISO weeks (a check of the test itself).
#[test]
fn reference_labels() {
    assert_eq!(time_label(Dimension::Week, date("2024-12-30")), "2025-W01");
    assert_eq!(time_label(Dimension::Week, date("2021-01-03")), "2020-W53");
    assert_eq!(time_label(Dimension::Week, date("2024-02-29")), "2024-W09");
    assert_eq!(time_label(Dimension::Quarter, date("2024-02-29")), "2024-Q1");
    assert_eq!(time_label(Dimension::Month, date("2024-02-29")), "2024-02");
}
