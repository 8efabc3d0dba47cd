//! One test per rule of DESIGN §4, each on a tiny literal dataset with the
//! exact expected CSV output.

mod common;

use refugee_data::{Dataset, Dimension as D, Error, Query, QueryResult, Table};

use common::*;

/// Runs a query that must succeed and returns its CSV.
fn run(ds: &Dataset, q: Query) -> String {
    csv_of(&ds.query(&q).unwrap_or_else(|e| panic!("{q:?}: {e}")))
}

/// Runs a query that must fail.
fn fail(ds: &Dataset, q: Query) -> Error {
    match ds.query(&q) {
        Ok(r) => panic!("{q:?} should fail, got\n{}", csv_of(&r)),
        Err(e) => e,
    }
}

fn query_error(ds: &Dataset, q: Query) -> String {
    match fail(ds, q) {
        Error::Query(msg) => msg,
        other => panic!("expected Error::Query, got {other:?}"),
    }
}

fn ambiguity(ds: &Dataset, q: Query) -> String {
    match fail(ds, q) {
        Error::SourceAmbiguity(conflict) => conflict.to_string(),
        other => panic!("expected Error::SourceAmbiguity, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Stocks.

#[test]
fn latest_observation_in_bucket_wins() {
    // The later observation comes first in the file: latest means by date.
    let ds = registrations(
        "2024-01-25,AFG,PAK,refugees,120,UNHCR\n\
         2024-01-10,AFG,PAK,refugees,100,UNHCR\n\
         2024-02-05,AFG,PAK,refugees,130,UNHCR\n",
    );
    let q = || Query::registrations().filter(D::Origin, ["AFG"]);
    assert_eq!(run(&ds, q().by(D::Month)), "month,persons\n2024-01,120\n2024-02,130\n");
    assert_eq!(run(&ds, q().by(D::Quarter)), "quarter,persons\n2024-Q1,130\n");
    assert_eq!(
        run(&ds, q().by(D::Day)),
        "day,persons\n2024-01-10,100\n2024-01-25,120\n2024-02-05,130\n"
    );
    // Within the bounds: `to` cuts the later observations off.
    assert_eq!(run(&ds, q().by(D::Month).to(date("2024-01-24"))), "month,persons\n2024-01,100\n");
}

#[test]
fn no_carry_forward_between_buckets() {
    let ds = registrations(
        "2024-01-31,AFG,PAK,refugees,100,UNHCR\n\
         2024-02-29,AFG,PAK,refugees,90,UNHCR\n\
         2024-01-31,AFG,IRN,refugees,50,UNHCR\n\
         2024-03-31,AFG,IRN,refugees,40,UNHCR\n",
    );
    assert_eq!(
        run(&ds, Query::registrations().by(D::Month)),
        "month,persons\n2024-01,150\n2024-02,90\n2024-03,40\n"
    );
    assert_eq!(
        run(&ds, Query::registrations().by(D::Month).by(D::Host)),
        "month,host,persons\n2024-01,IRN,50\n2024-01,PAK,100\n2024-02,PAK,90\n2024-03,IRN,40\n"
    );
}

fn snapshot_data() -> Dataset {
    registrations(
        "2023-12-31,AFG,PAK,refugees,100,UNHCR\n\
         2024-06-30,AFG,PAK,refugees,150,UNHCR\n\
         2023-12-31,AFG,IRN,refugees,50,UNHCR\n\
         2024-06-30,AFG,TUR,refugees,7,UNHCR\n",
    )
}

#[test]
fn as_of_defaults_to_the_latest_date() {
    let ds = snapshot_data();
    // IRN's latest observation (2023-12-31) is its figure as of 2024-06-30.
    assert_eq!(
        run(&ds, Query::registrations().by(D::Host)),
        "host,persons\nIRN,50\nPAK,150\nTUR,7\n"
    );
    assert_eq!(run(&ds, Query::registrations()), "persons\n207\n");
    assert_eq!(
        run(&ds, Query::registrations().by(D::Host).as_of(date("2024-06-30"))),
        "host,persons\nIRN,50\nPAK,150\nTUR,7\n"
    );
}

#[test]
fn explicit_as_of_takes_each_series_latest_observation_up_to_it() {
    let ds = snapshot_data();
    let by_host = || Query::registrations().by(D::Host);
    // TUR starts after the snapshot date: absent, not zero.
    assert_eq!(run(&ds, by_host().as_of(date("2024-01-01"))), "host,persons\nIRN,50\nPAK,100\n");
    assert_eq!(run(&ds, by_host().as_of(date("2023-12-31"))), "host,persons\nIRN,50\nPAK,100\n");
    assert_eq!(run(&ds, by_host().as_of(date("2024-06-29"))), "host,persons\nIRN,50\nPAK,100\n");
    // Before every series starts: nothing.
    assert_eq!(run(&ds, by_host().as_of(date("2023-12-30"))), "host,persons\n");
    assert_eq!(run(&ds, Query::registrations().as_of(date("2023-12-30"))), "persons\n");
    // `to` bounds the snapshot like as_of; `from` drops older observations.
    assert_eq!(run(&ds, by_host().to(date("2024-01-01"))), "host,persons\nIRN,50\nPAK,100\n");
    assert_eq!(run(&ds, by_host().from(date("2024-01-01"))), "host,persons\nPAK,150\nTUR,7\n");
    assert_eq!(
        run(&ds, by_host().from(date("2024-01-01")).as_of(date("2024-03-01"))),
        "host,persons\n"
    );
}

#[test]
fn closing_zero_stops_a_vanished_series() {
    let rows = "2022-12-31,AFG,PAK,refugees,100,UNHCR\n\
                2023-12-31,AFG,PAK,refugees,120,UNHCR\n\
                2022-12-31,AFG,DEU,refugees,30,UNHCR\n";
    // Without a closing zero, DEU's 2022 figure is its latest as of 2023.
    let open = registrations(rows);
    assert_eq!(run(&open, Query::registrations()), "persons\n150\n");
    let closed = registrations(&format!("{rows}2023-12-31,AFG,DEU,refugees,0,UNHCR\n"));
    assert_eq!(run(&closed, Query::registrations()), "persons\n120\n");
    // A zero is an observation: its group is a row of 0.
    assert_eq!(run(&closed, Query::registrations().by(D::Host)), "host,persons\nDEU,0\nPAK,120\n");
    assert_eq!(
        run(&closed, Query::registrations().by(D::Year).by(D::Host)),
        "year,host,persons\n2022,DEU,30\n2022,PAK,100\n2023,DEU,0\n2023,PAK,120\n"
    );
    assert_eq!(
        run(&closed, Query::registrations().by(D::Host).as_of(date("2023-06-30"))),
        "host,persons\nDEU,30\nPAK,100\n"
    );
}

// ---------------------------------------------------------------------------
// Time labels.

#[test]
fn iso_weeks_at_year_ends() {
    let ds = deportations(
        "2020-12-31,,AFG,PAK,deported,1,,IOM\n\
         2021-01-03,,AFG,PAK,deported,2,,IOM\n\
         2021-01-04,,AFG,PAK,deported,4,,IOM\n\
         2024-12-29,,AFG,PAK,deported,8,,IOM\n\
         2024-12-30,,AFG,PAK,deported,16,,IOM\n\
         2025-01-05,,AFG,PAK,deported,32,,IOM\n\
         2025-12-28,,AFG,PAK,deported,64,,IOM\n\
         2026-01-01,,AFG,PAK,deported,128,,IOM\n",
    );
    // 2021-01-03 is a Sunday of 2020's week 53; 2024-12-30 a Monday of
    // 2025's week 1; 2026-01-01 a Thursday, so the first day of 2026-W01.
    assert_eq!(
        run(&ds, Query::deportations().by(D::Week)),
        "week,persons,records\n2020-W53,3,2\n2021-W01,4,1\n2024-W52,8,1\n2025-W01,48,2\n\
         2025-W52,64,1\n2026-W01,128,1\n"
    );
    // Years stay calendar years.
    assert_eq!(
        run(&ds, Query::deportations().by(D::Year)),
        "year,persons,records\n2020,1,1\n2021,6,2\n2024,24,2\n2025,96,2\n2026,128,1\n"
    );
    // A stock's week bucket spans the year end too.
    let regs = registrations(
        "2024-12-29,AFG,PAK,refugees,9,UNHCR\n\
         2024-12-30,AFG,PAK,refugees,10,UNHCR\n\
         2025-01-05,AFG,PAK,refugees,12,UNHCR\n",
    );
    assert_eq!(
        run(&regs, Query::registrations().by(D::Week)),
        "week,persons\n2024-W52,9\n2025-W01,12\n"
    );
}

#[test]
fn february_29() {
    let ds = deportations(
        "2024-02-29,,AFG,PAK,deported,5,,IOM\n\
         2024-03-01,,AFG,PAK,deported,7,,IOM\n",
    );
    let by = |d| run(&ds, Query::deportations().by(d));
    assert_eq!(by(D::Day), "day,persons,records\n2024-02-29,5,1\n2024-03-01,7,1\n");
    assert_eq!(by(D::Week), "week,persons,records\n2024-W09,12,2\n");
    assert_eq!(by(D::Month), "month,persons,records\n2024-02,5,1\n2024-03,7,1\n");
    assert_eq!(by(D::Quarter), "quarter,persons,records\n2024-Q1,12,2\n");
    assert_eq!(by(D::Year), "year,persons,records\n2024,12,2\n");
}

#[test]
fn flows_fall_in_the_bucket_of_their_last_day() {
    let ds = deportations(
        "2023-11-14,2023-10-15,AFG,PAK,returned,100,,UNHCR\n\
         2023-12-31,2023-01-01,AFG,IRN,returned,1000,,UNHCR\n",
    );
    assert_eq!(
        run(&ds, Query::deportations().by(D::Month)),
        "month,persons,records\n2023-11,100,1\n2023-12,1000,1\n"
    );
    assert_eq!(
        run(&ds, Query::deportations().by(D::Quarter)),
        "quarter,persons,records\n2023-Q4,1100,2\n"
    );
    // Bounds apply to `date` too: a period that starts before `from` counts.
    assert_eq!(
        run(&ds, Query::deportations().from(date("2023-11-01"))),
        "persons,records\n1100,2\n"
    );
    assert_eq!(run(&ds, Query::deportations().to(date("2023-12-30"))), "persons,records\n100,1\n");
}

// ---------------------------------------------------------------------------
// Source ambiguity.

#[test]
fn two_sources_for_one_population_are_refused() {
    let ds = registrations(
        "2023-12-31,AFG,PAK,refugees,100,UNHCR\n\
         2023-12-31,AFG,PAK,refugees,300,Government of Pakistan\n",
    );
    for q in [
        Query::registrations(),
        Query::registrations().by(D::Host),
        Query::registrations().by(D::Year),
    ] {
        let msg = ambiguity(&ds, q);
        for part in ["refugees", "AFG", "PAK", "\"UNHCR\"", "\"Government of Pakistan\"", "source"]
        {
            assert!(msg.contains(part), "{msg:?} does not name {part}");
        }
    }
    // Filtering both sources in keeps the ambiguity.
    ambiguity(&ds, Query::registrations().filter(D::Source, ["UNHCR", "Government of Pakistan"]));
}

#[test]
fn source_as_dimension_or_filter_resolves_ambiguity() {
    let ds = registrations(
        "2023-12-31,AFG,PAK,refugees,100,UNHCR\n\
         2023-12-31,AFG,PAK,refugees,300,Government of Pakistan\n",
    );
    assert_eq!(
        run(&ds, Query::registrations().by(D::Host).by(D::Source)),
        "host,source,persons\nPAK,Government of Pakistan,300\nPAK,UNHCR,100\n"
    );
    assert_eq!(
        run(&ds, Query::registrations().by(D::Source)),
        "source,persons\nGovernment of Pakistan,300\nUNHCR,100\n"
    );
    assert_eq!(
        run(&ds, Query::registrations().by(D::Host).filter(D::Source, ["UNHCR"])),
        "host,persons\nPAK,100\n"
    );
    assert_eq!(
        run(&ds, Query::registrations().filter(D::Source, [" Government of Pakistan "])),
        "persons\n300\n"
    );
}

#[test]
fn ambiguity_counts_only_surviving_observations() {
    let ds = registrations(
        "2023-06-30,AFG,PAK,refugees,90,UNHCR\n\
         2023-12-31,AFG,PAK,refugees,100,UNHCR\n\
         2024-03-31,AFG,PAK,refugees,300,Government of Pakistan\n",
    );
    // Different buckets: no group receives both.
    assert_eq!(run(&ds, Query::registrations().by(D::Year)), "year,persons\n2023,100\n2024,300\n");
    assert_eq!(
        run(&ds, Query::registrations().by(D::Quarter)),
        "quarter,persons\n2023-Q2,90\n2023-Q4,100\n2024-Q1,300\n"
    );
    // Before the second source's first figure.
    assert_eq!(run(&ds, Query::registrations().as_of(date("2023-12-31"))), "persons\n100\n");
    assert_eq!(run(&ds, Query::registrations().to(date("2024-03-30"))), "persons\n100\n");
    // After `from`, only the second source is left.
    assert_eq!(run(&ds, Query::registrations().from(date("2024-01-01"))), "persons\n300\n");
    // A filter that leaves nothing: empty, not an error.
    assert_eq!(run(&ds, Query::registrations().filter(D::Host, ["IRN"])), "persons\n");
    // As of the latest date both series have a figure.
    ambiguity(&ds, Query::registrations());
    ambiguity(&ds, Query::registrations().by(D::Origin));
}

#[test]
fn series_that_differ_by_more_than_source_are_added() {
    let ds = registrations(
        "2023-12-31,AFG,PAK,refugees,100,UNHCR\n\
         2023-12-31,AFG,PAK,undocumented,300,Government of Pakistan\n\
         2023-12-31,AFG,IRN,refugees,50,Government of Iran\n",
    );
    assert_eq!(run(&ds, Query::registrations().by(D::Origin)), "origin,persons\nAFG,450\n");
    assert_eq!(
        run(&ds, Query::registrations().by(D::Population)),
        "population,persons\nrefugees,150\nundocumented,300\n"
    );
}

// ---------------------------------------------------------------------------
// Bounds, filters, empty results.

#[test]
fn from_and_to_are_inclusive() {
    let ds = deportations(
        "2023-10-31,,AFG,PAK,deported,1,,IOM\n\
         2023-11-01,,AFG,PAK,deported,2,,IOM\n\
         2023-11-15,,AFG,PAK,deported,4,,IOM\n\
         2023-11-16,,AFG,PAK,deported,8,,IOM\n",
    );
    let q = || Query::deportations().from(date("2023-11-01")).to(date("2023-11-15"));
    assert_eq!(run(&ds, q()), "persons,records\n6,2\n");
    assert_eq!(run(&ds, q().by(D::Day)), "day,persons,records\n2023-11-01,2,1\n2023-11-15,4,1\n");
    let day = date("2023-11-15");
    assert_eq!(run(&ds, Query::deportations().from(day).to(day)), "persons,records\n4,1\n");

    let regs = registrations(
        "2023-10-31,AFG,PAK,refugees,1,UNHCR\n\
         2023-11-01,AFG,IRN,refugees,2,UNHCR\n\
         2023-11-15,AFG,TUR,refugees,4,UNHCR\n\
         2023-11-16,AFG,DEU,refugees,8,UNHCR\n",
    );
    let q = Query::registrations().by(D::Host).from(date("2023-11-01")).to(date("2023-11-15"));
    assert_eq!(run(&regs, q), "host,persons\nIRN,2\nTUR,4\n");
}

#[test]
fn empty_result_is_the_header_alone() {
    let ds = deportations("2023-11-01,,AFG,PAK,deported,2,Torkham,IOM\n");
    let q = Query::deportations().by(D::Origin).filter(D::Origin, ["Germany"]);
    let result = ds.query(&q).unwrap();
    assert!(result.is_empty());
    assert_eq!(result.len(), 0);
    assert_eq!(csv_of(&result), "origin,persons,records\n");
    assert_eq!(json_of(&result).trim_end(), "[]");
    // Never a row of zeros, even without dimensions.
    let none = Query::deportations().from(date("2024-01-01"));
    assert_eq!(run(&ds, none.clone()), "persons,records\n");
    assert_eq!(json_of(&ds.query(&none).unwrap()).trim_end(), "[]");
    // An empty table.
    assert_eq!(run(&ds, Query::statements().by(D::Stance)), "stance,statements\n");
    assert_eq!(run(&Dataset::default(), Query::registrations().by(D::Year)), "year,persons\n");
    assert_eq!(run(&Dataset::default(), Query::registrations()), "persons\n");
}

#[test]
fn valid_filter_matching_nothing_is_empty() {
    let ds = deportations("2023-11-01,,AFG,PAK,deported,2,Torkham,IOM\n");
    let empty = |q: Query| assert_eq!(run(&ds, q.by(D::Host)), "host,persons,records\n");
    empty(Query::deportations().filter(D::Host, ["France"]));
    empty(Query::deportations().filter(D::Kind, ["Assisted"]));
    empty(Query::deportations().filter(D::Source, ["Nobody"]));
    empty(Query::deportations().filter(D::Crossing, ["torkham"]));
    // Two filters on one dimension keep the intersection.
    empty(Query::deportations().filter(D::Origin, ["AFG"]).filter(D::Origin, ["PAK"]));
    // The same filters, matching: spellings and cases vary.
    assert_eq!(
        run(
            &ds,
            Query::deportations()
                .by(D::Host)
                .filter(D::Host, ["Pakistan"])
                .filter(D::Origin, ["af", "Iran"])
                .filter(D::Kind, ["DEPORTED"])
                .filter(D::Crossing, [" Torkham "])
        ),
        "host,persons,records\nPAK,2,1\n"
    );
}

#[test]
fn unknown_filter_values_are_errors() {
    let ds = deportations("2023-11-01,,AFG,PAK,deported,2,Torkham,IOM\n");
    let msg = query_error(&ds, Query::deportations().filter(D::Host, ["Pakistn"]));
    assert!(msg.contains("did you mean Pakistan (PAK)?"), "{msg}");
    assert!(msg.contains("Pakistn"), "{msg}");
    let msg = query_error(&ds, Query::deportations().filter(D::Kind, ["deported", "expelled"]));
    assert!(msg.contains("expelled"), "{msg}");
    let msg = query_error(&ds, Query::registrations().filter(D::Population, ["refugee"]));
    assert!(msg.contains("refugee"), "{msg}");
    let msg = query_error(&ds, Query::statements().filter(D::Stance, ["praise"]));
    assert!(msg.contains("praise"), "{msg}");
    let msg = query_error(&ds, Query::statements().filter(D::TargetCountry, ["Atlantis"]));
    assert!(msg.contains("Atlantis"), "{msg}");
}

#[test]
fn malformed_queries_are_errors() {
    let ds = snapshot_data();
    // Two time dimensions.
    query_error(&ds, Query::registrations().by(D::Month).by(D::Year));
    query_error(&ds, Query::deportations().by(D::Day).by(D::Host).by(D::Week));
    // as_of with a time dimension.
    query_error(&ds, Query::registrations().by(D::Year).as_of(date("2023-12-31")));
    // as_of on a flow table.
    query_error(&ds, Query::deportations().as_of(date("2023-12-31")));
    // A dimension of another table, to group or to filter by.
    query_error(&ds, Query::deportations().by(D::Population));
    query_error(&ds, Query::registrations().by(D::Kind));
    query_error(&ds, Query::registrations().by(D::Stance));
    query_error(&ds, Query::statements().by(D::Origin));
    query_error(&ds, Query::registrations().filter(D::Kind, ["deported"]));
    query_error(&ds, Query::statements().filter(D::Crossing, ["Torkham"]));
}

// ---------------------------------------------------------------------------
// Measures and the order of rows.

#[test]
fn statements_count_by_stance() {
    let ds = statements(
        "2023-10-03,Government of Pakistan,PAK,,,AFG,announce,Set a deadline.,Dawn,\n\
         2023-10-04,Taliban,AFG,,PAK,AFG,criticize,Called it unacceptable.,Dawn,\n\
         2023-10-07,UNHCR,,,PAK,AFG,Appeal,Asked for protection.,Reuters,\n\
         2023-10-12,Human Rights Watch,,,PAK,AFG,APPEAL,Pressed to drop it.,HRW,\n\
         2023-11-01,Government of Pakistan,PAK,,,AFG,threaten,Warned of arrests.,Dawn,\n",
    );
    assert_eq!(
        run(&ds, Query::statements().by(D::Stance)),
        "stance,statements\nannounce,1\nappeal,2\ncriticize,1\nthreaten,1\n"
    );
    assert_eq!(run(&ds, Query::statements()), "statements\n5\n");
    assert_eq!(
        run(
            &ds,
            Query::statements().by(D::Month).by(D::Stance).filter(D::TargetCountry, ["Pakistan"])
        ),
        "month,stance,statements\n2023-10,appeal,2\n2023-10,criticize,1\n"
    );
}

#[test]
fn countries_sort_by_alpha3_with_empty_first() {
    // By name Germany < Pakistan < Switzerland; by code CHE < DEU < PAK.
    let ds = statements(
        "2023-10-01,A,,,Switzerland,,appeal,One.,S,\n\
         2023-10-02,A,Germany,,,,appeal,Two.,S,\n\
         2023-10-03,A,,,Pakistan,AFG,appeal,Three.,S,\n\
         2023-10-04,A,CH,,Germany,,appeal,Four.,S,\n\
         2023-10-05,A,PAK,,,,appeal,Five.,S,\n\
         2023-10-06,A,,,Afghanistan,,appeal,Six.,S,\n",
    );
    assert_eq!(
        run(&ds, Query::statements().by(D::TargetCountry)),
        "target_country,statements\n,2\nAFG,1\nCHE,1\nDEU,1\nPAK,1\n"
    );
    assert_eq!(
        run(&ds, Query::statements().by(D::ActorCountry).by(D::SubjectCountry)),
        "actor_country,subject_country,statements\n,,2\n,AFG,1\nCHE,,1\nDEU,,1\nPAK,,1\n"
    );
    let regs = registrations(
        "2023-12-31,AFG,Switzerland,refugees,1,UNHCR\n\
         2023-12-31,AFG,Germany,refugees,2,UNHCR\n\
         2023-12-31,AFG,Pakistan,refugees,4,UNHCR\n",
    );
    assert_eq!(
        run(&regs, Query::registrations().by(D::Host)),
        "host,persons\nCHE,1\nDEU,2\nPAK,4\n"
    );
}

#[test]
fn vocabularies_sort_alphabetically() {
    // Declaration order: refugees, asylum_seekers, others_in_need,
    // others_of_concern, stateless, idps, host_community, undocumented.
    let ds = registrations(
        "2023-12-31,AFG,PAK,refugees,1,UNHCR\n\
         2023-12-31,AFG,PAK,asylum_seekers,2,UNHCR\n\
         2023-12-31,AFG,PAK,others_in_need,4,UNHCR\n\
         2023-12-31,AFG,PAK,others_of_concern,8,UNHCR\n\
         2023-12-31,AFG,PAK,stateless,16,UNHCR\n\
         2023-12-31,AFG,PAK,idps,32,UNHCR\n\
         2023-12-31,AFG,PAK,host_community,64,UNHCR\n\
         2023-12-31,AFG,PAK,undocumented,128,UNHCR\n",
    );
    assert_eq!(
        run(&ds, Query::registrations().by(D::Population)),
        "population,persons\nasylum_seekers,2\nhost_community,64\nidps,32\nothers_in_need,4\n\
         others_of_concern,8\nrefugees,1\nstateless,16\nundocumented,128\n"
    );
    let deps = deportations(
        "2023-11-01,,AFG,PAK,deported,1,,IOM\n\
         2023-11-01,,AFG,PAK,spontaneous,2,,IOM\n\
         2023-11-01,,AFG,PAK,assisted,4,,IOM\n\
         2023-11-01,,AFG,PAK,returned,8,,IOM\n",
    );
    assert_eq!(
        run(&deps, Query::deportations().by(D::Kind)),
        "kind,persons,records\nassisted,4,1\ndeported,1,1\nreturned,8,1\nspontaneous,2,1\n"
    );
    let stmts = statements(
        "2023-10-01,A,,,,,threaten,One.,S,\n\
         2023-10-01,A,,,,,announce,One.,S,\n\
         2023-10-01,A,,,,,support,One.,S,\n\
         2023-10-01,A,,,,,commit,One.,S,\n\
         2023-10-01,A,,,,,demand,One.,S,\n",
    );
    assert_eq!(
        run(&stmts, Query::statements().by(D::Stance)),
        "stance,statements\nannounce,1\ncommit,1\ndemand,1\nsupport,1\nthreaten,1\n"
    );
}

#[test]
fn texts_sort_by_bytes_with_empty_first() {
    let ds = deportations(
        "2023-11-01,,AFG,PAK,deported,1,Torkham,IOM\n\
         2023-11-01,,AFG,PAK,deported,2,torkham,IOM\n\
         2023-11-01,,AFG,PAK,deported,4,,IOM\n\
         2023-11-01,,AFG,PAK,deported,8,Chaman,IOM\n\
         2023-11-01,,AFG,IRN,deported,16,Islam Qala,IOM\n",
    );
    assert_eq!(
        run(&ds, Query::deportations().by(D::Crossing)),
        "crossing,persons,records\n,4,1\nChaman,8,1\nIslam Qala,16,1\nTorkham,1,1\ntorkham,2,1\n"
    );
    let stmts = statements(
        "2023-10-01,amnesty,,,,,appeal,One.,S,\n\
         2023-10-01,Ärzte ohne Grenzen,,,,,appeal,One.,S,\n\
         2023-10-01,UNHCR,,Filippo Grandi,,,appeal,One.,S,\n\
         2023-10-01,Human Rights Watch,,,,,appeal,One.,S,\n",
    );
    assert_eq!(
        run(&stmts, Query::statements().by(D::Actor)),
        "actor,statements\nHuman Rights Watch,1\nUNHCR,1\namnesty,1\nÄrzte ohne Grenzen,1\n"
    );
    assert_eq!(
        run(&stmts, Query::statements().by(D::Speaker)),
        "speaker,statements\n,3\nFilippo Grandi,1\n"
    );
}

#[test]
fn dimensions_sort_in_the_order_given() {
    let ds = deportations(
        "2023-11-01,,AFG,PAK,deported,1,,IOM\n\
         2023-12-01,,AFG,IRN,deported,2,,IOM\n\
         2023-11-02,,AFG,IRN,deported,4,,IOM\n",
    );
    assert_eq!(
        run(&ds, Query::deportations().by(D::Month).by(D::Host)),
        "month,host,persons,records\n2023-11,IRN,4,1\n2023-11,PAK,1,1\n2023-12,IRN,2,1\n"
    );
    assert_eq!(
        run(&ds, Query::deportations().by(D::Host).by(D::Month)),
        "host,month,persons,records\nIRN,2023-11,4,1\nIRN,2023-12,2,1\nPAK,2023-11,1,1\n"
    );
}

#[test]
fn overflow_of_a_sum_is_an_error() {
    const MAX: &str = "18446744073709551615";
    let ds = deportations(&format!(
        "2023-11-01,,AFG,PAK,deported,{MAX},,IOM\n\
         2023-11-02,,AFG,PAK,deported,{MAX},,IOM\n"
    ));
    assert!(matches!(fail(&ds, Query::deportations()), Error::Overflow(_)));
    assert!(matches!(fail(&ds, Query::deportations().by(D::Month)), Error::Overflow(_)));
    // In separate groups each fits.
    assert_eq!(
        run(&ds, Query::deportations().by(D::Day)),
        format!("day,persons,records\n2023-11-01,{MAX},1\n2023-11-02,{MAX},1\n")
    );

    let regs = registrations(&format!(
        "2023-12-31,AFG,PAK,refugees,{MAX},UNHCR\n\
         2023-12-31,AFG,IRN,refugees,{MAX},UNHCR\n"
    ));
    assert!(matches!(fail(&regs, Query::registrations()), Error::Overflow(_)));
    assert_eq!(
        run(&regs, Query::registrations().by(D::Host)),
        format!("host,persons\nIRN,{MAX}\nPAK,{MAX}\n")
    );
}

/// Enough rows for the engine to split the scan: the overflow check must hold
/// across the parts, and rows outside the bounds must not count.
#[test]
fn overflow_is_found_across_a_split_scan() {
    const MAX: u64 = u64::MAX;
    let first = date("2023-01-01");
    let mut deps = String::from(DEP_HEADER);
    for i in 0..70_000u64 {
        let (day, count) = match i {
            0..=2 => (0, MAX),
            69_999 => (699, MAX),
            _ => (i % 700, 0),
        };
        let d = first + chrono::Days::new(day);
        deps.push_str(&format!("{d},,AFG,PAK,deported,{count},C{i},IOM\n"));
    }
    let ds = deportations(deps.strip_prefix(DEP_HEADER).unwrap());
    assert_eq!(ds.len(Table::Deportations), 70_000);
    assert!(matches!(fail(&ds, Query::deportations()), Error::Overflow(_)));
    assert!(matches!(fail(&ds, Query::deportations().by(D::Host)), Error::Overflow(_)));
    // The first and the last row, far apart in the scan.
    assert!(matches!(
        fail(&ds, Query::deportations().filter(D::Crossing, ["C0", "C69999"])),
        Error::Overflow(_)
    ));
    // Three maxima outside the bounds, one inside.
    assert_eq!(
        run(&ds, Query::deportations().from(date("2023-01-02"))),
        format!("persons,records\n{MAX},69898\n")
    );
    assert_eq!(
        run(&ds, Query::deportations().by(D::Origin).filter(D::Crossing, ["C2", "C3"])),
        format!("origin,persons,records\nAFG,{MAX},2\n")
    );
    assert!(matches!(fail(&ds, Query::deportations().to(date("2024-11-29"))), Error::Overflow(_)));
}

/// Many series over two centuries of days: more (series, bucket) slots than
/// the engine keeps in dense arrays.
#[test]
fn many_series_over_two_centuries() {
    let mut rows = String::new();
    for i in 0..300 {
        rows.push_str(&format!("1900-01-01,AFG,PAK,refugees,{i},S{i:03}\n"));
        rows.push_str(&format!("2100-12-30,AFG,PAK,refugees,{},S{i:03}\n", i + 1000));
        rows.push_str(&format!("2100-12-31,AFG,PAK,refugees,{},S{i:03}\n", i + 2000));
    }
    let ds = registrations(&rows);
    let mut want = String::from("day,source,persons\n");
    for (day, base) in [("1900-01-01", 0), ("2100-12-30", 1000), ("2100-12-31", 2000)] {
        for i in 0..300 {
            want.push_str(&format!("{day},S{i:03},{}\n", i + base));
        }
    }
    assert_eq!(run(&ds, Query::registrations().by(D::Day).by(D::Source)), want);
    let mut want = String::from("source,week,persons\n");
    for i in 0..300 {
        want.push_str(&format!("S{i:03},1900-W01,{i}\nS{i:03},2100-W52,{}\n", i + 2000));
    }
    assert_eq!(run(&ds, Query::registrations().by(D::Source).by(D::Week)), want);
    // 300 sources of one population: refused.
    ambiguity(&ds, Query::registrations().by(D::Day));
}

#[test]
fn extreme_dates() {
    let ds = deportations(
        "1900-01-01,,AFG,PAK,deported,1,,IOM\n\
         1900-12-31,,AFG,PAK,deported,2,,IOM\n\
         2099-12-31,,AFG,PAK,deported,4,,IOM\n\
         2100-01-01,,AFG,PAK,deported,8,,IOM\n\
         2100-12-31,,AFG,PAK,deported,16,,IOM\n",
    );
    assert_eq!(
        run(&ds, Query::deportations().by(D::Week)),
        "week,persons,records\n1900-W01,1,1\n1901-W01,2,1\n2099-W53,12,2\n2100-W52,16,1\n"
    );
    assert_eq!(
        run(&ds, Query::deportations().by(D::Quarter)),
        "quarter,persons,records\n1900-Q1,1,1\n1900-Q4,2,1\n2099-Q4,4,1\n2100-Q1,8,1\n2100-Q4,16,1\n"
    );
    assert_eq!(
        run(&ds, Query::deportations().from(date("2100-12-31")).to(date("2100-12-31"))),
        "persons,records\n16,1\n"
    );
    let regs = registrations(
        "1900-01-01,AFG,PAK,refugees,1,UNHCR\n\
         2100-12-31,AFG,PAK,refugees,2,UNHCR\n",
    );
    assert_eq!(run(&regs, Query::registrations().by(D::Year)), "year,persons\n1900,1\n2100,2\n");
    assert_eq!(run(&regs, Query::registrations()), "persons\n2\n");
    assert_eq!(run(&regs, Query::registrations().as_of(date("2100-12-30"))), "persons\n1\n");
    assert_eq!(run(&regs, Query::registrations().as_of(date("2200-01-01"))), "persons\n2\n");
    assert_eq!(run(&regs, Query::registrations().as_of(date("1899-12-31"))), "persons\n");
}

#[test]
fn json_output_has_the_same_rows() {
    let ds = snapshot_data();
    let result = ds.query(&Query::registrations().by(D::Host).as_of(date("2024-01-01"))).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json_of(&result)).unwrap();
    assert_eq!(
        value,
        serde_json::json!([{"host": "IRN", "persons": 50}, {"host": "PAK", "persons": 100}])
    );
    assert_eq!(serde_json::to_value(&result).unwrap(), value);
}

// ---------------------------------------------------------------------------
// Concurrency.

/// A larger deterministic dataset (enough deportations for the engine to
/// split its scan across threads).
fn big_dataset() -> Dataset {
    let mut rng = SplitMix64::new(0x5EED);
    let countries = ["AFG", "PAK", "IRN", "TUR", "DEU"];
    let day = |rng: &mut SplitMix64| date("2023-01-01") + chrono::Days::new(rng.modulo(800));
    let mut deps = String::from(DEP_HEADER);
    for _ in 0..70_000 {
        let d = day(&mut rng);
        deps.push_str(&format!(
            "{d},,{},{},{},{},{},{}\n",
            rng.pick(&countries),
            rng.pick(&countries),
            rng.pick(KINDS),
            rng.modulo(10_000),
            rng.pick(&["", "Torkham", "Chaman"]),
            rng.pick(DEP_SOURCES),
        ));
    }
    let mut regs = String::from(REG_HEADER);
    for _ in 0..5_000 {
        let d = day(&mut rng);
        regs.push_str(&format!(
            "{d},{},{},{},{},{}\n",
            rng.pick(&countries),
            rng.pick(&countries),
            rng.pick(POPULATIONS),
            rng.modulo(1_000_000),
            rng.pick(&REG_SOURCES[..2]),
        ));
    }
    let mut stmts = String::from(STMT_HEADER);
    for i in 0..2_000 {
        let d = day(&mut rng);
        stmts.push_str(&format!(
            "{d},{},{},,{},,{},Statement {i}.,{},\n",
            rng.pick(ACTORS),
            rng.pick(&["", "PAK", "AFG"]),
            rng.pick(&["", "PAK", "IRN"]),
            rng.pick(STANCES),
            rng.pick(STMT_SOURCES),
        ));
    }
    let (ds, _) = load_lenient(&[
        (Table::Registrations, &regs),
        (Table::Deportations, &deps),
        (Table::Statements, &stmts),
    ]);
    ds
}

#[test]
fn concurrent_queries_agree_with_one_thread() {
    let ds = big_dataset();
    assert!(ds.len(Table::Deportations) > 65_536);
    let queries = vec![
        Query::deportations().by(D::Source),
        Query::deportations().by(D::Month).by(D::Host).by(D::Source),
        Query::deportations().by(D::Week).by(D::Kind).filter(D::Origin, ["Afghanistan"]),
        Query::deportations().by(D::Month).by(D::Host),
        Query::deportations().by(D::Crossing).by(D::Source).from(date("2023-06-01")),
        Query::registrations().by(D::Host).by(D::Source),
        Query::registrations().by(D::Quarter).by(D::Population).filter(D::Source, ["UNHCR"]),
        Query::registrations().by(D::Host),
        Query::statements().by(D::Actor).by(D::TargetCountry),
        Query::statements().by(D::Day),
    ];
    let answer = |ds: &Dataset, q: &Query| -> Result<QueryResult, String> {
        ds.query(q).map_err(|e| e.to_string())
    };
    let single: Vec<_> = queries.iter().map(|q| answer(&ds, q)).collect();
    let sample = Dataset::sample();
    let sample_q = Query::registrations().by(D::Year).by(D::Host).filter(D::Source, ["UNHCR"]);
    let sample_single = answer(sample, &sample_q);
    // The total agrees with a plain sum over the records.
    let total: u64 = ds.deportations().map(|d| d.count).sum();
    assert_eq!(single[0].as_ref().unwrap().rows().map(|r| r.value(0)).sum::<u64>(), total);
    // Flows of several sources: the error is the same on every thread too.
    assert!(single[2].is_err() && single[3].is_err());

    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let (ds, queries, single, sample_single) = (&ds, &queries, &single, &sample_single);
                let sample_q = &sample_q;
                s.spawn(move || {
                    for round in 0..3 {
                        // Each thread walks the queries in its own order.
                        for i in 0..queries.len() {
                            let i = (i + t + round) % queries.len();
                            assert_eq!(&answer(ds, &queries[i]), &single[i], "query {i}");
                        }
                        assert_eq!(&answer(sample, sample_q), sample_single);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().expect("no thread panics");
        }
    });
}

#[test]
fn the_largest_dense_key_space_adds_every_kept_row_once() {
    // 1024 days x 1024 crossings: a key space of exactly 2^20 groups, the
    // largest the engine aggregates in dense arrays (the slot past the
    // last collects the rows a filter or a bound discards). Each (day,
    // crossing) has one row; a third of the rows are from SYR.
    let first = date("2020-01-01");
    let mut rows = String::new();
    let mut kept = std::collections::BTreeMap::new();
    let (from, to) = (first + chrono::Days::new(100), first + chrono::Days::new(1000));
    let mut bounded = std::collections::BTreeMap::new();
    for i in 0..4096u64 {
        let day = first + chrono::Days::new(i % 1024);
        let crossing = format!("c{:04}", i / 4 % 1024);
        let origin = if i % 3 == 0 { "SYR" } else { "AFG" };
        rows.push_str(&format!("{day},,{origin},PAK,deported,{},{crossing},UNHCR\n", i + 1));
        if origin == "AFG" {
            let key = vec![day.to_string(), crossing];
            kept.insert(key.clone(), vec![i + 1, 1]);
            if (from..=to).contains(&day) {
                bounded.insert(key, vec![i + 1, 1]);
            }
        }
    }
    let ds = deportations(&rows);
    let q = Query::deportations().by(D::Day).by(D::Crossing).filter(D::Origin, ["AFG"]);
    let want: Vec<_> = kept.into_iter().collect();
    assert_eq!(rows_of(&ds.query(&q).unwrap()), want);
    let want: Vec<_> = bounded.into_iter().collect();
    assert_eq!(rows_of(&ds.query(&q.from(from).to(to)).unwrap()), want);
}
