//! The analyst's next questions, at their edges: regions, change,
//! cumulative, flows per 1,000 of a stock, and flows around statements.

use refugee_data::{Dataset, Derived, Dimension as D, Error, Loader, Query, Table, Window};

fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn load(registrations: &str, deportations: &str, statements: &str) -> Dataset {
    let mut loader = Loader::new();
    for (table, header, rows) in [
        (Table::Registrations, "date,origin,host,population,count,source\n", registrations),
        (Table::Deportations, "date,period_start,origin,host,kind,count,crossing,source\n", deportations),
        (
            Table::Statements,
            "date,actor,actor_country,speaker,target_country,subject_country,stance,summary,source,url\n",
            statements,
        ),
    ] {
        loader.read(table, table.file_name(), format!("{header}{rows}").as_bytes()).unwrap();
    }
    loader.finish().0
}

fn csv(ds: &Dataset, q: &Query) -> String {
    let mut out = Vec::new();
    ds.query(q).unwrap().write_csv(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn query_error(ds: &Dataset, q: &Query) -> String {
    match ds.query(q) {
        Err(Error::Query(msg)) => msg,
        other => panic!("expected a query error, got {other:?}"),
    }
}

const FLOWS: &str = "2023-01-10,,AFG,PAK,returned,100,,IOM\n\
                     2023-02-10,,AFG,PAK,returned,250,,IOM\n\
                     2023-02-11,,AFG,IRN,returned,40,,IOM\n\
                     2023-04-01,,AFG,PAK,returned,50,,IOM\n\
                     2023-04-02,,AFG,IRN,returned,10,,IOM\n";

#[test]
fn change_is_empty_in_the_first_bucket_and_where_the_group_was_absent() {
    let ds = load("", FLOWS, "");
    let q = Query::deportations().by(D::Month).by(D::Host).with(Derived::Change);
    assert_eq!(
        csv(&ds, &q),
        "month,host,persons,records,change\n\
         2023-01,PAK,100,1,\n\
         2023-02,IRN,40,1,\n\
         2023-02,PAK,250,1,150\n\
         2023-04,IRN,10,1,\n\
         2023-04,PAK,50,1,\n"
    );
    // JSON writes the empty cells as null.
    let mut json = Vec::new();
    ds.query(&q).unwrap().write_json(&mut json).unwrap();
    let json = String::from_utf8(json).unwrap();
    assert!(
        json.contains(
            r#"{"month": "2023-01", "host": "PAK", "persons": 100, "records": 1, "change": null}"#
        ),
        "{json}"
    );
    // A bucket cut by `from` holds only its days from `from`, and the bucket
    // before `from` is not in the result: no change for the first row.
    let q = Query::deportations().by(D::Month).with(Derived::Change).from(date("2023-02-11"));
    assert_eq!(csv(&ds, &q), "month,persons,records,change\n2023-02,40,1,\n2023-04,60,2,\n");
}

#[test]
fn cumulative_runs_per_group_and_both_come_in_order() {
    let ds = load("", FLOWS, "");
    let q = Query::deportations()
        .by(D::Host)
        .by(D::Quarter)
        .with(Derived::Cumulative)
        .with(Derived::Change);
    assert_eq!(
        csv(&ds, &q),
        "host,quarter,persons,records,change,cumulative\n\
         IRN,2023-Q1,40,1,,40\n\
         IRN,2023-Q2,10,1,-30,50\n\
         PAK,2023-Q1,350,2,,350\n\
         PAK,2023-Q2,50,1,-300,400\n"
    );
    let result = ds.query(&q).unwrap();
    let last = result.rows().last().unwrap();
    assert_eq!((last.change(), last.cumulative()), (Some(-300), Some(400)));
}

#[test]
fn change_crosses_from_iso_week_53_to_week_1() {
    // 2020 has an ISO week 53 (2020-12-28..2021-01-03); week 1 of 2021 follows it.
    let ds = load(
        "",
        "2020-12-30,,AFG,PAK,returned,70,,IOM\n2021-01-05,,AFG,PAK,returned,20,,IOM\n",
        "",
    );
    let q = Query::deportations().by(D::Week).with(Derived::Change);
    assert_eq!(csv(&ds, &q), "week,persons,records,change\n2020-W53,70,1,\n2021-W01,20,1,-50\n");
}

#[test]
fn derived_columns_need_a_time_dimension_and_cumulative_needs_a_flow() {
    let ds = load("2023-12-31,AFG,PAK,refugees,5,UNHCR\n", FLOWS, "");
    assert_eq!(
        query_error(&ds, &Query::deportations().with(Derived::Change)),
        "change needs a time dimension (day, week, month, quarter or year)"
    );
    let msg = query_error(&ds, &Query::registrations().by(D::Year).with(Derived::Cumulative));
    assert!(
        msg.starts_with("cumulative applies to flows and statements, not to registrations"),
        "{msg}"
    );
    // change on stocks is the difference between the buckets' stocks.
    let ds =
        load("2022-12-31,AFG,PAK,refugees,5,UNHCR\n2023-12-31,AFG,PAK,refugees,3,UNHCR\n", "", "");
    let q = Query::registrations().by(D::Year).with(Derived::Change);
    assert_eq!(csv(&ds, &q), "year,persons,change\n2022,5,\n2023,3,-2\n");
}

#[test]
fn per_1000_of_a_stock_of_zero_or_of_no_series_is_empty() {
    let registrations = "2022-12-31,AFG,PAK,refugees,1000,UNHCR\n\
                         2022-12-31,AFG,IRN,refugees,0,UNHCR\n\
                         2023-03-31,AFG,PAK,refugees,2000,UNHCR\n\
                         2022-12-31,AFG,PAK,refugees,999999,Government of Pakistan\n";
    let ds = load(registrations, FLOWS, "");
    let q = Query::deportations().by(D::Quarter).by(D::Host).per_stock(["refugees"], "UNHCR");
    assert_eq!(
        csv(&ds, &q),
        "quarter,host,persons,records,stock,per_1000\n\
         2023-Q1,IRN,40,1,0,\n\
         2023-Q1,PAK,350,2,1000,350\n\
         2023-Q2,IRN,10,1,0,\n\
         2023-Q2,PAK,50,1,2000,25\n"
    );
    // No series of that source: both empty.
    let q = Query::deportations().by(D::Year).per_stock(["refugees"], "Nobody");
    assert_eq!(csv(&ds, &q), "year,persons,records,stock,per_1000\n2023,450,5,,\n");
    // Without a time dimension: as of the day before `from`.
    let q = Query::deportations()
        .by(D::Host)
        .from(date("2023-04-01"))
        .per_stock(["refugees", "asylum_seekers"], "UNHCR");
    assert_eq!(
        csv(&ds, &q),
        "host,persons,records,stock,per_1000\nIRN,10,1,0,\nPAK,50,1,2000,25\n"
    );
    assert_eq!(
        query_error(&ds, &Query::deportations().per_stock(["refugees"], "UNHCR")),
        "per-stock without a time dimension needs from: the stock is taken as of the day before it"
    );
    let msg =
        query_error(&ds, &Query::registrations().by(D::Year).per_stock(["refugees"], "UNHCR"));
    assert!(msg.starts_with("per-stock compares flows with a stock"), "{msg}");
}

#[test]
fn regions_group_and_filter_and_unknown_names_list_the_valid_ones() {
    let ds = Dataset::sample();
    let q = Query::registrations()
        .by(D::HostRegion)
        .filter(D::Origin, ["AFG"])
        .filter(D::Population, ["refugees"])
        .filter(D::Source, ["UNHCR"])
        .filter(D::HostRegion, ["asia and the pacific", "Europe"])
        .as_of(date("2023-12-31"));
    let result = ds.query(&q).unwrap();
    let rows: Vec<(&str, u64)> = result.rows().map(|r| (r.key(0), r.value(0))).collect();
    assert_eq!(rows[0].0, "Asia and the Pacific");
    assert_eq!(rows[1].0, "Europe");
    // Asia and the Pacific holds Pakistan and Iran at least.
    assert!(rows[0].1 > 1_987_717 + 3_752_317);
    let msg = query_error(ds, &Query::registrations().filter(D::HostRegion, ["Asia"]));
    assert!(
        msg.starts_with("host_region filter: \"Asia\" is not a region of this dimension (expected one of \"Asia and the Pacific\""),
        "{msg}"
    );
    let q = Query::registrations()
        .by(D::OriginSubregion)
        .filter(D::Origin, ["AFG"])
        .filter(D::Source, ["UNHCR"])
        .filter(D::Population, ["refugees"])
        .as_of(date("2023-12-31"));
    let result = ds.query(&q).unwrap();
    assert_eq!(result.rows().map(|r| r.key(0).to_string()).collect::<Vec<_>>(), ["Southern Asia"]);
}

const STATEMENTS: &str = "2023-01-15,UNHCR,,,PAK,AFG,appeal,B asked,UNHCR,\n\
                          2023-01-15,UNHCR,,,PAK,AFG,appeal,A asked,UNHCR,\n\
                          2023-04-02,State Department,USA,,PAK,AFG,appeal,Urged,State,\n\
                          2023-01-01,UNICEF,,,IRN,AFG,criticize,Criticised,UNICEF,\n";

#[test]
fn windows_sum_each_side_and_sort_statements_of_one_day_by_summary() {
    let ds = load("", FLOWS, STATEMENTS);
    let w = Window::new(30).statements(D::TargetCountry, ["PAK"]).flows(D::Host, ["PAK"]);
    let result = ds.window(&w).unwrap();
    let mut out = Vec::new();
    result.write_csv(&mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "date,actor,stance,target_country,persons_before,persons_after,change\n\
         2023-01-15,UNHCR,appeal,PAK,100,250,150\n\
         2023-01-15,UNHCR,appeal,PAK,100,250,150\n\
         2023-04-02,State Department,appeal,PAK,50,0,-50\n"
    );
    // At the ends of the data the windows are partly empty: 0, not an error.
    let w = Window::new(366).statements(D::TargetCountry, ["IRN"]).flows(D::Host, ["IRN"]);
    let result = ds.window(&w).unwrap();
    let row = result.rows().next().unwrap();
    assert_eq!((row.value(0), row.value(1), row.change()), (0, 50, Some(50)));
    // The day itself is in the after window; d-N is in the before window.
    let w = Window::new(1).statements(D::Actor, ["State Department"]).flows(D::Host, ["IRN"]);
    let row = ds.window(&w).unwrap().rows().next().map(|r| (r.value(0), r.value(1)));
    assert_eq!(row, Some((0, 10)));
    let w = Window::new(1).statements(D::Actor, ["State Department"]).flows(D::Host, ["PAK"]);
    let row = ds.window(&w).unwrap().rows().next().map(|r| (r.value(0), r.value(1)));
    assert_eq!(row, Some((50, 0)));
    // Statement dates bounded by from/to.
    let w = Window::new(10).from(date("2023-02-01"));
    assert_eq!(ds.window(&w).unwrap().len(), 1);
}

#[test]
fn a_window_over_two_sources_is_refused_and_bad_days_are_errors() {
    let flows = "2023-01-10,,AFG,PAK,returned,100,,IOM\n2023-01-20,,AFG,PAK,returned,7,,UNHCR\n";
    let ds = load("", flows, STATEMENTS);
    let w = Window::new(30).statements(D::TargetCountry, ["PAK"]);
    assert!(matches!(ds.window(&w), Err(Error::SourceAmbiguity(_))));
    // Windows that hold one source each are fine.
    let w = Window::new(3).statements(D::TargetCountry, ["PAK"]);
    assert!(ds.window(&w).is_ok());
    for days in [0, 367] {
        assert!(matches!(ds.window(&Window::new(days)), Err(Error::Query(_))));
    }
    // A deportation dimension is no statement filter.
    assert!(matches!(
        ds.window(&Window::new(3).statements(D::Kind, ["returned"])),
        Err(Error::Query(_))
    ));
}

fn cli(args: &[&str]) -> (Option<i32>, String, String) {
    let out =
        std::process::Command::new(env!("CARGO_BIN_EXE_refugee-data")).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_takes_with_per_stock_and_window() {
    let (code, out, _) = cli(&[
        "query",
        "registrations",
        "--by",
        "year",
        "--origin",
        "AFG",
        "--host",
        "PAK",
        "--population",
        "refugees",
        "--source",
        "UNHCR",
        "--from",
        "2022-01-01",
        "--to",
        "2023-12-31",
        "--with",
        "change",
        "--format",
        "csv",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(out, "year,persons,change\n2022,1743278,\n2023,1987717,244439\n");
    let (code, out, _) = cli(&[
        "query",
        "deportations",
        "--by",
        "year",
        "--origin",
        "AFG",
        "--host",
        "PAK",
        "--kind",
        "returned",
        "--source",
        "UNHCR",
        "--from",
        "2023-01-01",
        "--to",
        "2023-12-31",
        "--per-stock",
        "refugees",
        "--stock-source",
        "UNHCR",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "[\n  {\"year\": \"2023\", \"persons\": 56797, \"records\": 1, \"stock\": 1743278, \"per_1000\": 32}\n]\n"
    );
    let (code, out, _) = cli(&[
        "window",
        "--days",
        "30",
        "--statement-actor-country",
        "USA",
        "--statement-target-country",
        "PAK",
        "--flow-origin",
        "AFG",
        "--flow-host",
        "PAK",
        "--flow-kind",
        "returned",
        "--flow-source",
        "KP Home & Tribal Affairs Department",
        "--from",
        "2023-11-21",
        "--to",
        "2023-11-21",
        "--format",
        "csv",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "date,actor,stance,target_country,persons_before,persons_after,change\n\
         2023-11-21,US Department of State,appeal,PAK,227239,40288,-186951\n"
    );
    // Usage errors exit 2; refused queries exit 1.
    assert_eq!(cli(&["window"]).0, Some(2));
    assert_eq!(cli(&["query", "deportations", "--per-stock", "refugees"]).0, Some(2));
    let (code, _, err) = cli(&["query", "registrations", "--by", "year", "--with", "cumulative"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("cumulative applies to flows and statements"), "{err}");
    let (code, _, err) = cli(&["window", "--days", "30", "--statement-target-country", "PAK"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("two sources for one flow would be added"), "{err}");
}
