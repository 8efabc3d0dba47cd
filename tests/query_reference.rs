//! The query engine against a naive reference implementation of DESIGN §4
//! and §4b, on random small datasets and random queries over all three
//! tables: every time dimension, the categorical and region dimensions,
//! filters, bounds, as-of, the stock and flow source rules, the derived
//! columns `change` and `cumulative`, flows per 1,000 of a stock
//! (`per_stock`), and flows around statements (`Dataset::window`).
//!
//! The reference is deliberately plain: loops over the typed records that the
//! loaded `Dataset` gives back, `BTreeMap`s keyed by the printed labels. Since
//! every label sorts by its bytes in the order the contract wants (time labels
//! are zero-padded, so bytes order is chronological), a `BTreeMap<Vec<String>, _>`
//! gives the rows in the contract's order. Time buckets are computed with
//! chrono from the records' dates (their first day, the day before it), never
//! from the engine's bucket numbers; region labels from the `Country` methods.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use proptest::sample::Index;
use refugee_data::{
    Country, Dataset, Derived, Dimension, Error, Query, QueryResult, SourceConflict, Table, Window,
};

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

/// The first day of the bucket of `d`: the Monday of its ISO week, the 1st
/// of its month, of the first month of its quarter, 1 January.
fn bucket_first_day(dim: Dimension, d: NaiveDate) -> NaiveDate {
    let ymd = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).expect("a calendar day");
    match dim {
        Dimension::Day => d,
        Dimension::Week => d - chrono::Days::new(d.weekday().num_days_from_monday() as u64),
        Dimension::Month => ymd(d.year(), d.month()),
        Dimension::Quarter => ymd(d.year(), (d.month() - 1) / 3 * 3 + 1),
        Dimension::Year => ymd(d.year(), 1),
        other => panic!("{other} is no time dimension"),
    }
}

/// The day before `d`.
fn day_before(d: NaiveDate) -> NaiveDate {
    d.pred_opt().expect("the generated dates are far from chrono's limits")
}

/// The label of a country in a region dimension: UNHCR's regional bureau
/// (none for `TIB`, which UNHCR lists without an ISO code) or the UN M49
/// sub-region; the empty label where the country has none.
fn region_label(dim: Dimension, c: Country) -> String {
    let label = match dim {
        Dimension::OriginRegion | Dimension::HostRegion => {
            if c.alpha3() == "TIB" {
                None
            } else {
                c.unhcr_region()
            }
        }
        Dimension::OriginSubregion | Dimension::HostSubregion => c.subregion(),
        other => panic!("{other} is no region dimension"),
    };
    label.unwrap_or("").to_string()
}

/// Every label of a region dimension (the empty one included).
fn region_labels(dim: Dimension) -> BTreeSet<String> {
    Country::all().map(|c| region_label(dim, c)).chain([String::new()]).collect()
}

/// A registration series: (origin, host, population, source).
type Series = (String, String, String, String);

/// A record reduced to what the reference needs.
struct Rec {
    date: NaiveDate,
    /// The printed label of every categorical dimension of its table
    /// (regions included).
    labels: BTreeMap<Dimension, String>,
    count: u64,
    /// Registrations: (origin, host, population, source).
    series: Series,
    /// Statements: the summary (a window's rows are sorted by it).
    summary: String,
}

fn with_regions(
    mut labels: BTreeMap<Dimension, String>,
    origin: Country,
    host: Country,
) -> BTreeMap<Dimension, String> {
    use Dimension::*;
    for d in [OriginRegion, OriginSubregion] {
        labels.insert(d, region_label(d, origin));
    }
    for d in [HostRegion, HostSubregion] {
        labels.insert(d, region_label(d, host));
    }
    labels
}

fn records(ds: &Dataset, table: Table) -> Vec<Rec> {
    use Dimension::*;
    let opt = |c: Option<Country>| c.map(|c| c.alpha3().to_string()).unwrap_or_default();
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
                let labels = with_regions(labels, r.origin, r.host);
                Rec { date: r.date, labels, count: r.count, series, summary: String::new() }
            })
            .collect(),
        Table::Deportations => ds
            .deportations()
            .map(|r| Rec {
                date: r.date,
                labels: with_regions(
                    BTreeMap::from([
                        (Origin, r.origin.alpha3().to_string()),
                        (Host, r.host.alpha3().to_string()),
                        (Kind, r.kind.to_string()),
                        (Crossing, r.crossing.clone().unwrap_or_default()),
                        (Source, r.source.clone()),
                    ]),
                    r.origin,
                    r.host,
                ),
                count: r.count,
                series: Default::default(),
                summary: String::new(),
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
                summary: r.summary.clone(),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------
// Generated data: the common generator, with some countries swapped for ones
// whose regions are empty or differ (`XXX`, `XXA`, `TIB`, `XKX`, Syria,
// Colombia), so that region labels, the empty one included, vary.

/// More countries for the data and the filters, with their alpha-3 code.
const EXTRA_COUNTRIES: &[(&str, &str)] = &[
    ("XXX", "XXX"),
    ("UNK", "XXX"),
    ("XXA", "XXA"),
    ("TIB", "TIB"),
    ("XKX", "XKX"),
    ("Kosovo", "XKX"),
    ("SYR", "SYR"),
    ("Syrian Arab Rep.", "SYR"),
    ("COL", "COL"),
];

/// Replaces, now and then, the country in columns `cols` of each row.
fn widen(
    rows: Vec<Vec<String>>,
    cols: &'static [usize],
) -> impl Strategy<Value = Vec<Vec<String>>> {
    let n = rows.len() * cols.len();
    proptest::collection::vec(
        proptest::option::weighted(0.2, proptest::sample::select(EXTRA_COUNTRIES)),
        n,
    )
    .prop_map(move |picks| {
        let mut rows = rows.clone();
        for (i, row) in rows.iter_mut().enumerate() {
            for (j, &c) in cols.iter().enumerate() {
                if let Some((spelling, _)) = picks[i * cols.len() + j] {
                    row[c] = spelling.to_string();
                }
            }
        }
        rows
    })
}

fn wide_registrations(sources: usize) -> impl Strategy<Value = Vec<Vec<String>>> {
    gen_registrations(sources).prop_flat_map(|r| widen(r, &[1, 2]))
}

/// `gen_files` with more countries.
fn gen_wide_files() -> impl Strategy<Value = GenFiles> {
    (1usize..=3)
        .prop_flat_map(|sources| {
            (
                wide_registrations(sources),
                gen_deportations().prop_flat_map(|d| widen(d, &[2, 3])),
                gen_statements().prop_flat_map(|s| widen(s, &[2, 4, 5])),
            )
        })
        .prop_map(|(r, d, s)| GenFiles {
            registrations: to_csv(REG_HEADER, &r),
            deportations: to_csv(DEP_HEADER, &d),
            statements: to_csv(STMT_HEADER, &s),
        })
}

// ---------------------------------------------------------------------------
// Random queries.

/// `per_stock` before it is resolved: populations (label, case), whether
/// to add an invalid one, and the source.
#[derive(Clone, Debug)]
struct StockSeed {
    populations: Vec<(Index, u8)>,
    invalid: bool,
    source: Index,
}

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
    /// (change, cumulative)
    with: (bool, bool),
    per_stock: Option<StockSeed>,
}

fn stock_seed() -> impl Strategy<Value = StockSeed> {
    (
        proptest::collection::vec((any::<Index>(), any::<u8>()), 1..=3),
        proptest::bool::weighted(0.05),
        any::<Index>(),
    )
        .prop_map(|(populations, invalid, source)| StockSeed { populations, invalid, source })
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
        (proptest::bool::weighted(0.3), proptest::bool::weighted(0.3)),
        proptest::option::weighted(0.25, stock_seed()),
    )
        .prop_map(|(table, cats, time, from, to, as_of, filters, with, per_stock)| QuerySeed {
            table,
            cats,
            time,
            from,
            to,
            as_of,
            filters,
            with,
            per_stock,
        })
}

const TIME_DIMS: [Dimension; 5] =
    [Dimension::Day, Dimension::Week, Dimension::Month, Dimension::Quarter, Dimension::Year];

/// The stock sources a `per_stock` picks from: the generated ones, padded,
/// in another case (which matches nothing: texts compare exactly), absent.
const STOCK_SOURCES: &[&str] =
    &["UNHCR", " UNHCR ", "Government of Pakistan", "iom estimate", "unhcr", "Nobody"];

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
            .chain(EXTRA_COUNTRIES)
            .map(|(s, _)| s.to_string())
            .collect();
    }
    match (table, dim) {
        (_, Dimension::OriginRegion | Dimension::HostRegion) => own(&[
            "Asia and the Pacific",
            "asia and the pacific",
            "EUROPE",
            " Europe ",
            "Middle East and North Africa",
            "The Americas",
            "West and Central Africa",
            "",
        ]),
        (_, Dimension::OriginSubregion | Dimension::HostSubregion) => own(&[
            "Southern Asia",
            "southern asia",
            "Western Asia",
            "WESTERN EUROPE",
            "Southern Europe",
            "Latin America and the Caribbean",
            "Eastern Europe",
            "",
        ]),
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
/// For regions: a name of the other kind of region, or of none.
fn invalid_value(dim: Dimension, pick: &Index) -> Option<String> {
    if dim.is_country() {
        return Some(pick.get(NOT_COUNTRIES).to_string());
    }
    match dim {
        Dimension::Population => Some("refugee".into()),
        Dimension::Kind => Some("expelled".into()),
        Dimension::Stance => Some("praise".into()),
        Dimension::OriginRegion | Dimension::HostRegion => {
            Some(pick.get(&["Southern Asia", "Asia", "Atlantis"]).to_string())
        }
        Dimension::OriginSubregion | Dimension::HostSubregion => {
            Some(pick.get(&["Europe", "Asia and the Pacific", "Atlantis"]).to_string())
        }
        _ => None,
    }
}

/// Filters of `table` from their seeds.
fn resolve_seeds(
    table: Table,
    seeds: &[(Index, Vec<Index>, bool)],
) -> Vec<(Dimension, Vec<String>)> {
    let cats = Dimension::categorical(table);
    seeds
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
        .collect()
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
    with: Vec<Derived>,
    per_stock: Option<(Vec<String>, String)>,
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
        let filters = resolve_seeds(table, &seed.filters);
        let mut with = Vec::new();
        if seed.with.0 {
            with.push(Derived::Change);
        }
        if seed.with.1 {
            with.push(Derived::Cumulative);
        }
        let per_stock = seed.per_stock.as_ref().map(|s| {
            let mut populations: Vec<String> = s
                .populations
                .iter()
                .map(|(p, case)| in_some_case(POPULATIONS[p.index(POPULATIONS.len())], *case))
                .collect();
            if s.invalid {
                populations.push("refugee".into());
            }
            (populations, s.source.get(STOCK_SOURCES).to_string())
        });
        Spec { table, by, from: seed.from, to: seed.to, as_of, filters, with, per_stock }
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
        // Cumulative first: the columns come in the contract's order anyway.
        for d in self.with.iter().rev() {
            q = q.with(*d);
        }
        if let Some((populations, source)) = &self.per_stock {
            q = q.per_stock(populations.clone(), source.clone());
        }
        q
    }

    fn time(&self) -> Option<Dimension> {
        self.by.iter().copied().find(|d| d.is_time())
    }

    /// The derived column names, in the contract's order.
    fn derived_columns(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = Vec::new();
        if self.with.contains(&Derived::Change) {
            names.push("change");
        }
        if self.with.contains(&Derived::Cumulative) {
            names.push("cumulative");
        }
        if self.per_stock.is_some() {
            names.extend(["stock", "per_1000"]);
        }
        names
    }

    fn columns(&self) -> Vec<&'static str> {
        self.by
            .iter()
            .map(|d| d.name())
            .chain(measures(self.table).iter().copied())
            .chain(self.derived_columns())
            .collect()
    }
}

// ---------------------------------------------------------------------------
// The reference.

/// One row of a result: labels, measures, derived columns (`None` = empty).
#[derive(Clone, Debug, PartialEq)]
struct Row {
    keys: Vec<String>,
    values: Vec<u64>,
    derived: Vec<Option<i128>>,
}

/// Who a source conflict is about: (group labels, population or kind,
/// origin, host) and the sources.
type Conflicts = Vec<((Vec<String>, String, String, String), BTreeSet<String>)>;

/// What the reference expects of a query.
#[derive(Debug, PartialEq)]
enum Expected {
    Rows(Vec<Row>),
    /// A malformed query: an invalid filter value, a derived column without
    /// a time dimension, cumulative on stocks, per-stock where it does not apply.
    QueryError,
    /// Some group would add two sources.
    Ambiguity(Conflicts),
}

const POPULATION_LABELS: &[&str] = &[
    "refugees",
    "asylum_seekers",
    "others_in_need",
    "others_of_concern",
    "stateless",
    "idps",
    "host_community",
    "undocumented",
];

/// The set of labels a filter keeps, or `None` when a value is invalid.
fn resolve_filter(dim: Dimension, values: &[String]) -> Option<BTreeSet<String>> {
    let mut keep = BTreeSet::new();
    for v in values {
        if dim.is_country() {
            let code = COUNTRY_SPELLINGS
                .iter()
                .chain(ABSENT_COUNTRIES)
                .chain(EXTRA_COUNTRIES)
                .find(|(s, _)| s == v)
                .map(|(_, c)| c.to_string())?;
            keep.insert(code);
        } else if dim.is_region() {
            let want = v.trim().to_lowercase();
            let label = region_labels(dim).into_iter().find(|l| l.to_lowercase() == want)?;
            keep.insert(label);
        } else if matches!(dim, Dimension::Population | Dimension::Kind | Dimension::Stance) {
            let lower = v.trim().to_lowercase();
            let labels: &[&str] = match dim {
                Dimension::Population => POPULATION_LABELS,
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

/// Resolves every filter, or `None` when one has an invalid value.
fn resolve_all(filters: &[(Dimension, Vec<String>)]) -> Option<Vec<(Dimension, BTreeSet<String>)>> {
    filters.iter().map(|(d, values)| Some((*d, resolve_filter(*d, values)?))).collect()
}

fn passes(r: &Rec, filters: &[(Dimension, BTreeSet<String>)]) -> bool {
    filters.iter().all(|(d, keep)| keep.contains(&r.labels[d]))
}

/// True when the derived columns or per-stock make the query malformed.
fn derived_error(spec: &Spec) -> bool {
    let time = spec.time().is_some();
    if !spec.with.is_empty() && !time {
        return true;
    }
    if spec.with.contains(&Derived::Cumulative) && spec.table == Table::Registrations {
        return true;
    }
    if let Some((populations, _)) = &spec.per_stock {
        let invalid = |p: &String| !POPULATION_LABELS.contains(&p.trim().to_lowercase().as_str());
        if spec.table != Table::Deportations
            || (!time && spec.from.is_none())
            || populations.is_empty()
            || populations.iter().any(invalid)
        {
            return true;
        }
    }
    false
}

fn reference(ds: &Dataset, spec: &Spec) -> Expected {
    if derived_error(spec) {
        return Expected::QueryError;
    }
    let Some(filters) = resolve_all(&spec.filters) else { return Expected::QueryError };
    let time = spec.time();
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
        .filter(|r| passes(r, &filters))
        .collect();
    // The first day of every time bucket seen, by its label.
    let mut first_days: BTreeMap<String, NaiveDate> = BTreeMap::new();
    let mut key_of = |r: &Rec| -> Vec<String> {
        spec.by
            .iter()
            .map(|d| {
                if d.is_time() {
                    let label = time_label(*d, r.date);
                    first_days.insert(label.clone(), bucket_first_day(*d, r.date));
                    label
                } else {
                    r.labels[d].clone()
                }
            })
            .collect()
    };
    let (sums, sources): (BTreeMap<Vec<String>, Vec<u64>>, _) = match spec.table {
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
            let mut sums: BTreeMap<Vec<String>, Vec<u64>> = BTreeMap::new();
            let mut sources: BTreeMap<(Vec<String>, String, String, String), BTreeSet<String>> =
                BTreeMap::new();
            for r in latest.values() {
                let key = key_of(r);
                let (origin, host, population, source) = r.series.clone();
                if !spec.by.contains(&Dimension::Source) {
                    sources
                        .entry((key.clone(), population, origin, host))
                        .or_default()
                        .insert(source);
                }
                sums.entry(key).or_insert_with(|| vec![0])[0] += r.count;
            }
            (sums, sources)
        }
        Table::Deportations | Table::Statements => {
            let flows = spec.table == Table::Deportations;
            let mut sums: BTreeMap<Vec<String>, Vec<u64>> = BTreeMap::new();
            // The flow source rule: sources per (group, kind, origin, host).
            let mut sources: BTreeMap<(Vec<String>, String, String, String), BTreeSet<String>> =
                BTreeMap::new();
            for r in &kept {
                let key = key_of(r);
                if flows && !spec.by.contains(&Dimension::Source) {
                    let l = |d: Dimension| r.labels[&d].clone();
                    let who =
                        (key.clone(), l(Dimension::Kind), l(Dimension::Origin), l(Dimension::Host));
                    sources.entry(who).or_default().insert(l(Dimension::Source));
                }
                let g = sums.entry(key).or_insert_with(|| vec![0; measures(spec.table).len()]);
                if flows {
                    g[0] += r.count;
                    g[1] += 1;
                } else {
                    g[0] += 1;
                }
            }
            (sums, sources)
        }
    };
    let ambiguous: Conflicts = sources.into_iter().filter(|(_, s)| s.len() > 1).collect();
    if !ambiguous.is_empty() {
        return Expected::Ambiguity(ambiguous);
    }
    let mut rows: Vec<Row> =
        sums.into_iter().map(|(keys, values)| Row { keys, values, derived: Vec::new() }).collect();
    derive(ds, spec, &filters, &first_days, &mut rows);
    Expected::Rows(rows)
}

/// Adds the derived columns to the reference's rows.
fn derive(
    ds: &Dataset,
    spec: &Spec,
    filters: &[(Dimension, BTreeSet<String>)],
    first_days: &BTreeMap<String, NaiveDate>,
    rows: &mut [Row],
) {
    let t = spec.by.iter().position(|d| d.is_time());
    let first_day = |row: &Row| t.map(|t| first_days[&row.keys[t]]);
    // The labels of a row in every other dimension than time.
    let group = |row: &Row| -> Vec<String> {
        row.keys.iter().enumerate().filter(|(i, _)| Some(*i) != t).map(|(_, k)| k.clone()).collect()
    };
    if spec.with.contains(&Derived::Change) {
        let t = t.expect("checked");
        let first: BTreeMap<Vec<String>, u64> =
            rows.iter().map(|r| (r.keys.clone(), r.values[0])).collect();
        for row in rows.iter_mut() {
            let mut previous = row.keys.clone();
            previous[t] = time_label(spec.by[t], day_before(first_days[&row.keys[t]]));
            let change = first.get(&previous).map(|p| row.values[0] as i128 - *p as i128);
            row.derived.push(change);
        }
    }
    if spec.with.contains(&Derived::Cumulative) {
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by_key(|&i| first_day(&rows[i]));
        let mut running: BTreeMap<Vec<String>, i128> = BTreeMap::new();
        let mut values = vec![None; rows.len()];
        for i in order {
            let sum = running.entry(group(&rows[i])).or_default();
            *sum += rows[i].values[0] as i128;
            values[i] = Some(*sum);
        }
        for (row, v) in rows.iter_mut().zip(values) {
            row.derived.push(v);
        }
    }
    if let Some((populations, source)) = &spec.per_stock {
        let populations: BTreeSet<String> =
            populations.iter().map(|p| p.trim().to_lowercase()).collect();
        let regs = records(ds, Table::Registrations);
        // The placing dimensions: the row's labels a series must match.
        let placing: Vec<(usize, Dimension)> = spec
            .by
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, d)| matches!(d, Dimension::Origin | Dimension::Host) || d.is_region())
            .collect();
        let stock_filters: Vec<(Dimension, BTreeSet<String>)> = filters
            .iter()
            .filter(|(d, _)| matches!(d, Dimension::Origin | Dimension::Host) || d.is_region())
            .cloned()
            .collect();
        for row in rows.iter_mut() {
            let as_of = day_before(match first_day(row) {
                Some(d) => d,
                None => spec.from.expect("checked"),
            });
            // The latest observation on or before `as_of` of each matching series.
            let mut latest: BTreeMap<&Series, &Rec> = BTreeMap::new();
            for r in &regs {
                let matches = r.series.3 == source.trim()
                    && populations.contains(&r.series.2)
                    && r.date <= as_of
                    && passes(r, &stock_filters)
                    && placing.iter().all(|(i, d)| r.labels[d] == row.keys[*i]);
                if matches {
                    let e = latest.entry(&r.series).or_insert(r);
                    if r.date > e.date {
                        *e = r;
                    }
                }
            }
            let stock: Option<i128> = if latest.is_empty() {
                None
            } else {
                Some(latest.values().map(|r| r.count as i128).sum())
            };
            let per_1000 = stock.filter(|s| *s > 0).map(|s| row.values[0] as i128 * 1000 / s);
            row.derived.extend([stock, per_1000]);
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
fn expected_outputs(columns: &[&str], rows: &[Row]) -> (String, serde_json::Value) {
    let mut w =
        csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(vec![]);
    w.write_record(columns).unwrap();
    let mut json = Vec::new();
    for row in rows {
        let mut record = row.keys.clone();
        record.extend(row.values.iter().map(u64::to_string));
        record.extend(row.derived.iter().map(|v| v.map_or(String::new(), |v| v.to_string())));
        w.write_record(&record).unwrap();
        let cells = row
            .keys
            .iter()
            .map(|k| serde_json::Value::from(k.clone()))
            .chain(row.values.iter().map(|v| serde_json::Value::from(*v)))
            .chain(row.derived.iter().map(|v| match v {
                None => serde_json::Value::Null,
                Some(v) => serde_json::Value::from(i64::try_from(*v).expect("small values")),
            }));
        let obj: serde_json::Map<String, serde_json::Value> =
            columns.iter().map(|c| c.to_string()).zip(cells).collect();
        json.push(serde_json::Value::Object(obj));
    }
    (String::from_utf8(w.into_inner().unwrap()).unwrap(), serde_json::Value::Array(json))
}

/// The rows of a result, derived columns included.
fn result_rows(result: &QueryResult) -> Vec<Row> {
    result
        .rows()
        .map(|r| Row {
            keys: r.keys().map(String::from).collect(),
            values: r.values().to_vec(),
            derived: r.derived_values().to_vec(),
        })
        .collect()
}

/// Compares a result with the reference's rows: columns, rows, the typed
/// accessors of the derived columns, CSV and JSON.
fn compare_rows(
    result: &QueryResult,
    columns: &[&str],
    rows: &[Row],
    context: &dyn std::fmt::Debug,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(result.columns(), columns, "{:?}", context);
    prop_assert_eq!(&result_rows(result), rows, "{:?}", context);
    let derived = &columns[columns.len() - rows.first().map_or(0, |r| r.derived.len())..];
    for (row, want) in result.rows().zip(rows) {
        for (name, v) in derived.iter().zip(&want.derived) {
            prop_assert_eq!(row.derived(name), *v, "{} of {:?}", name, context);
            let unsigned = v.and_then(|v| u64::try_from(v).ok());
            match *name {
                "change" => prop_assert_eq!(row.change(), *v),
                "cumulative" => prop_assert_eq!(row.cumulative(), unsigned),
                "stock" => prop_assert_eq!(row.stock(), unsigned),
                "per_1000" => prop_assert_eq!(row.per_1000(), unsigned),
                _ => {}
            }
        }
    }
    let (csv, json) = expected_outputs(columns, rows);
    prop_assert_eq!(csv_of(result), csv, "{:?}", context);
    let printed: serde_json::Value = serde_json::from_str(&json_of(result)).unwrap();
    prop_assert_eq!(printed, json, "{:?}", context);
    Ok(())
}

/// The conflict is one of the reference's (population or kind, origin,
/// host, group, two of the sources), and its message suggests `source`.
fn conflict_is_expected(
    conflict: &SourceConflict,
    by: &[Dimension],
    expected: &Conflicts,
) -> Result<(), TestCaseError> {
    let what = match (conflict.population, conflict.kind) {
        (Some(p), _) => p.to_string(),
        (None, Some(k)) => k.to_string(),
        (None, None) => String::new(),
    };
    let group: Vec<(Dimension, String)> = conflict.group.clone();
    let named = expected.iter().any(|((key, p, o, h), sources)| {
        let want_group: Vec<(Dimension, String)> =
            by.iter().copied().zip(key.iter().cloned()).collect();
        *p == what
            && *o == conflict.origin.alpha3()
            && *h == conflict.host.alpha3()
            && group == want_group
            && conflict.sources.iter().all(|s| sources.contains(s))
            && conflict.sources[0] < conflict.sources[1]
    });
    prop_assert!(named, "conflict {:?} is none of {:?}", conflict, expected);
    let msg = conflict.to_string();
    prop_assert!(msg.contains("source"), "{}", msg);
    for s in &conflict.sources {
        prop_assert!(msg.contains(&format!("\"{s}\"")), "{}", msg);
    }
    Ok(())
}

fn check(ds: &Dataset, spec: &Spec) -> Result<(), TestCaseError> {
    let got: Result<QueryResult, Error> = ds.query(&spec.query());
    let want = reference(ds, spec);
    match (&want, &got) {
        (Expected::Rows(rows), Ok(result)) => compare_rows(result, &spec.columns(), rows, spec)?,
        (Expected::QueryError, Err(Error::Query(_))) => {}
        (Expected::Ambiguity(groups), Err(Error::SourceAmbiguity(conflict))) => {
            conflict_is_expected(conflict, &spec.by, groups)?
        }
        _ => {
            return Err(TestCaseError::fail(format!(
                "query {spec:?}\nexpected {want:?}\ngot {got:?}"
            )))
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Windows: flows around statements.

#[derive(Clone, Debug)]
struct WindowSpec {
    days: u32,
    statements: Vec<(Dimension, Vec<String>)>,
    flows: Vec<(Dimension, Vec<String>)>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

impl WindowSpec {
    fn window(&self) -> Window {
        let mut w = Window::new(self.days);
        for (d, values) in &self.statements {
            w = w.statements(*d, values.clone());
        }
        for (d, values) in &self.flows {
            w = w.flows(*d, values.clone());
        }
        if let Some(d) = self.from {
            w = w.from(d);
        }
        if let Some(d) = self.to {
            w = w.to(d);
        }
        w
    }
}

fn filter_seeds(invalid: f64) -> impl Strategy<Value = Vec<(Index, Vec<Index>, bool)>> {
    proptest::collection::vec(
        (
            any::<Index>(),
            proptest::collection::vec(any::<Index>(), 1..=3),
            proptest::bool::weighted(invalid),
        ),
        0..=2,
    )
}

fn window_spec() -> impl Strategy<Value = WindowSpec> {
    let bound = || proptest::option::weighted(0.3, gen_date());
    (1u32..=60, filter_seeds(0.03), filter_seeds(0.03), bound(), bound()).prop_map(
        |(days, statements, flows, from, to)| WindowSpec {
            days,
            statements: resolve_seeds(Table::Statements, &statements),
            flows: resolve_seeds(Table::Deportations, &flows),
            from,
            to,
        },
    )
}

/// A window's expected row: (date, actor, summary) to sort by, then the
/// printed labels and measures.
type WindowRow = ((String, String, String), Row);

fn window_reference(ds: &Dataset, spec: &WindowSpec) -> Result<Vec<WindowRow>, Expected> {
    let (Some(statement_filters), Some(flow_filters)) =
        (resolve_all(&spec.statements), resolve_all(&spec.flows))
    else {
        return Err(Expected::QueryError);
    };
    let flows: Vec<Rec> =
        records(ds, Table::Deportations).into_iter().filter(|r| passes(r, &flow_filters)).collect();
    let n = chrono::Days::new(spec.days as u64);
    let mut rows: Vec<WindowRow> = Vec::new();
    let mut conflicts: Conflicts = Vec::new();
    for s in records(ds, Table::Statements) {
        let in_bounds =
            spec.from.map_or(true, |f| s.date >= f) && spec.to.map_or(true, |t| s.date <= t);
        if !in_bounds || !passes(&s, &statement_filters) {
            continue;
        }
        let (lo, hi) = (s.date - n, s.date + n - chrono::Days::new(1));
        let sum = |lo: NaiveDate, hi: NaiveDate| -> u64 {
            flows.iter().filter(|f| f.date >= lo && f.date <= hi).map(|f| f.count).sum()
        };
        let (before, after) = (sum(lo, day_before(s.date)), sum(s.date, hi));
        // The flow source rule over both windows together.
        let mut sources: BTreeMap<(Vec<String>, String, String, String), BTreeSet<String>> =
            BTreeMap::new();
        for f in flows.iter().filter(|f| f.date >= lo && f.date <= hi) {
            let l = |d: Dimension| f.labels[&d].clone();
            sources
                // The conflict names the statement's day as its group.
                .entry((
                    vec![s.date.to_string()],
                    l(Dimension::Kind),
                    l(Dimension::Origin),
                    l(Dimension::Host),
                ))
                .or_default()
                .insert(l(Dimension::Source));
        }
        conflicts.extend(sources.into_iter().filter(|(_, s)| s.len() > 1));
        let l = |d: Dimension| s.labels[&d].clone();
        rows.push((
            (s.date.to_string(), l(Dimension::Actor), s.summary.clone()),
            Row {
                keys: vec![
                    s.date.to_string(),
                    l(Dimension::Actor),
                    l(Dimension::Stance),
                    l(Dimension::TargetCountry),
                ],
                values: vec![before, after],
                derived: vec![Some(after as i128 - before as i128)],
            },
        ));
    }
    if !conflicts.is_empty() {
        return Err(Expected::Ambiguity(conflicts));
    }
    // By date, actor, summary; statements that tie on all three print alike
    // but for stance and target country, in an order the contract leaves open.
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(rows)
}

const WINDOW_COLUMNS: [&str; 7] =
    ["date", "actor", "stance", "target_country", "persons_before", "persons_after", "change"];

fn check_window(ds: &Dataset, spec: &WindowSpec) -> Result<(), TestCaseError> {
    let got = ds.window(&spec.window());
    let want = window_reference(ds, spec);
    match (&want, &got) {
        (Ok(rows), Ok(result)) => {
            // Rows that tie on (date, actor, summary) may come in any order.
            let mut got_rows = result_rows(result);
            let mut want_rows: Vec<Row> = rows.iter().map(|(_, r)| r.clone()).collect();
            prop_assert_eq!(got_rows.len(), want_rows.len(), "{:?}", spec);
            let mut start = 0;
            while start < rows.len() {
                let end = start + rows[start..].iter().take_while(|r| r.0 == rows[start].0).count();
                let key = |r: &Row| (r.keys.clone(), r.values.clone());
                got_rows[start..end].sort_by_key(key);
                want_rows[start..end].sort_by_key(key);
                start = end;
            }
            prop_assert_eq!(&got_rows, &want_rows, "{:?}", spec);
            // The engine's own row order, with the same values.
            let own_order = result_rows(result);
            compare_rows(result, &WINDOW_COLUMNS, &own_order, spec)?;
        }
        (Err(Expected::QueryError), Err(Error::Query(_))) => {}
        (Err(Expected::Ambiguity(groups)), Err(Error::SourceAmbiguity(conflict))) => {
            conflict_is_expected(conflict, &[Dimension::Day], groups)?
        }
        _ => {
            return Err(TestCaseError::fail(format!(
                "window {spec:?}\nexpected {want:?}\ngot {got:?}"
            )))
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The properties.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every random query gives the reference's rows, or the reference's error.
    #[test]
    fn engine_matches_reference(
        files in gen_wide_files(),
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
        rows in wide_registrations(2),
        seeds in proptest::collection::vec(query_seed(), 8),
    ) {
        let (ds, _) = load_lenient(&[(Table::Registrations, &to_csv(REG_HEADER, &rows))]);
        for seed in &seeds {
            let mut spec = Spec::from_seed(&QuerySeed { table: 0, ..seed.clone() });
            spec.filters.retain(|(d, v)| resolve_filter(*d, v).is_some());
            spec.per_stock = None;
            spec.with.retain(|d| *d == Derived::Change && spec.by.iter().any(|d| d.is_time()));
            check(&ds, &spec)?;
        }
    }

    /// Flows add up: without filters and bounds, any grouping of the
    /// deportations (with source among the dimensions) sums to the total count and the number of records, and
    /// any grouping of the statements to their number.
    #[test]
    fn flow_totals_are_invariant(files in gen_wide_files(), seeds in proptest::collection::vec(query_seed(), 4)) {
        let (ds, _) = files.load();
        let total: u64 = ds.deportations().map(|d| d.count).sum();
        for seed in &seeds {
            for table in [Table::Deportations, Table::Statements] {
                let mut spec = Spec {
                    filters: Vec::new(),
                    from: None,
                    to: None,
                    as_of: None,
                    with: Vec::new(),
                    per_stock: None,
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// `change` and `cumulative` on every table and time dimension, with
    /// valid filters and (for flows, mostly) source as a dimension, so that
    /// most queries are answered.
    #[test]
    fn derived_columns_match_reference(
        files in gen_wide_files(),
        seeds in proptest::collection::vec(
            (query_seed(), (0u8..5, any::<Index>()), proptest::bool::weighted(0.7)),
            8,
        ),
    ) {
        let (ds, _) = files.load();
        for (seed, time, by_source) in &seeds {
            let seed = QuerySeed {
                time: Some(seed.time.unwrap_or(*time)),
                with: (true, true),
                per_stock: None,
                ..seed.clone()
            };
            let mut spec = Spec::from_seed(&seed);
            spec.filters.retain(|(d, v)| resolve_filter(*d, v).is_some());
            if spec.table == Table::Registrations {
                spec.with.retain(|d| *d == Derived::Change);
            }
            if *by_source && spec.table != Table::Statements && !spec.by.contains(&Dimension::Source) {
                spec.by.push(Dimension::Source);
            }
            check(&ds, &spec)?;
        }
    }

    /// Flows per 1,000 of a stock: deportation queries with `per_stock` of
    /// random populations and a random source, with or without a time
    /// dimension (then as of the day before `from`), grouped and filtered
    /// by countries and regions.
    #[test]
    fn per_stock_matches_reference(
        files in gen_wide_files(),
        seeds in proptest::collection::vec(
            (
                query_seed(),
                stock_seed(),
                proptest::option::weighted(0.7, (0u8..5, any::<Index>())),
                proptest::option::weighted(0.95, gen_date()),
                proptest::bool::weighted(0.6),
                proptest::bool::weighted(0.3),
            ),
            8,
        ),
    ) {
        let (ds, _) = files.load();
        for (seed, stock, time, from, by_source, with) in &seeds {
            let seed = QuerySeed {
                table: 1,
                time: *time,
                from: seed.from.or(*from),
                with: (*with, *with),
                per_stock: Some(stock.clone()),
                ..seed.clone()
            };
            let mut spec = Spec::from_seed(&seed);
            if *by_source && !spec.by.contains(&Dimension::Source) {
                spec.by.push(Dimension::Source);
            }
            check(&ds, &spec)?;
        }
    }

    /// Flows around statements: random days (1 to 60), statement and flow
    /// filters and statement bounds.
    #[test]
    fn windows_match_reference(
        files in gen_wide_files(),
        specs in proptest::collection::vec(window_spec(), 8),
    ) {
        let (ds, _) = files.load();
        for spec in &specs {
            check_window(&ds, spec)?;
        }
    }
}

/// A window's flow filters are checked like a query's (DESIGN §4: "A filter
/// value that is not a valid country or vocabulary value is an error"; §4b:
/// each option is "checked like the rest of this section"), whether or not a
/// statement matches. With a matching statement the invalid flow filter is
/// an error; without one, `Dataset::window` answers an empty result.
#[test]
fn window_flow_filters_are_checked_without_statements() {
    let ds = load(&[
        (Table::Deportations, &format!("{DEP_HEADER}2024-01-01,,AFG,PAK,deported,5,,IOM DTM\n")),
        (Table::Statements, &format!("{STMT_HEADER}2024-01-02,UNHCR,,,PAK,,appeal,Urged.,Dawn,\n")),
    ]);
    let bad_flows: [(Dimension, &str); 3] = [
        (Dimension::Host, "Atlantis"),
        (Dimension::HostRegion, "Atlantis"),
        (Dimension::Kind, "expelled"),
    ];
    for (dim, value) in bad_flows {
        let matching = Window::new(7).flows(dim, [value]);
        assert!(matches!(ds.window(&matching), Err(Error::Query(_))), "{matching:?}");
        let none = Window::new(7).statements(Dimension::TargetCountry, ["IRN"]).flows(dim, [value]);
        let got = ds.window(&none);
        assert!(matches!(got, Err(Error::Query(_))), "{none:?}: got {got:?}");
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

/// The reference's buckets start where they should, and the bucket before
/// one is the bucket of its first day's day before (a check of the test).
#[test]
fn reference_buckets() {
    let previous = |dim, d| time_label(dim, day_before(bucket_first_day(dim, date(d))));
    assert_eq!(bucket_first_day(Dimension::Week, date("2021-01-03")), date("2020-12-28"));
    assert_eq!(previous(Dimension::Week, "2021-01-04"), "2020-W53");
    assert_eq!(previous(Dimension::Week, "2024-12-31"), "2024-W52");
    assert_eq!(previous(Dimension::Day, "2024-03-01"), "2024-02-29");
    assert_eq!(previous(Dimension::Month, "2024-03-31"), "2024-02");
    assert_eq!(previous(Dimension::Quarter, "2024-02-29"), "2023-Q4");
    assert_eq!(previous(Dimension::Quarter, "2024-06-30"), "2024-Q1");
    assert_eq!(previous(Dimension::Year, "2025-01-01"), "2024");
}

/// The reference's region labels (a check of the test itself): `TIB` has
/// no UNHCR bureau, the extension codes no region, and every extra country
/// of the generated data is one the loader reads.
#[test]
fn reference_regions() {
    let c = |s: &str| Country::parse(s).unwrap();
    assert_eq!(region_label(Dimension::HostRegion, c("PAK")), "Asia and the Pacific");
    assert_eq!(region_label(Dimension::OriginSubregion, c("TUR")), "Western Asia");
    assert_eq!(region_label(Dimension::OriginRegion, c("TUR")), "Europe");
    assert_eq!(region_label(Dimension::OriginRegion, c("TIB")), "");
    for code in ["XXX", "XXA"] {
        for dim in [Dimension::OriginRegion, Dimension::OriginSubregion] {
            assert_eq!(region_label(dim, c(code)), "", "{dim} of {code}");
        }
    }
    for (spelling, code) in EXTRA_COUNTRIES {
        assert_eq!(c(spelling).alpha3(), *code, "{spelling}");
    }
    assert!(region_labels(Dimension::HostRegion).contains("The Americas"));
    assert!(!region_labels(Dimension::HostRegion).contains("Southern Asia"));
}
