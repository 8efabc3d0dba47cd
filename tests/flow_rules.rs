//! Flows are never counted twice: overlapping periods within a series are
//! rejected at load, and a query never adds two sources' figures for one
//! flow (origin, host, kind) in one output group.

use refugee_data::{Dataset, Dimension as D, Error, Loader, Query, Table};

const HEADER: &str = "date,period_start,origin,host,kind,count,crossing,source\n";

/// A lenient load of one deportations file: the records' lines kept as
/// `date start count crossing source`, and the rejections' messages.
fn lenient(rows: &str) -> (Vec<String>, Vec<String>) {
    let mut loader = Loader::new().lenient(true);
    loader
        .read(Table::Deportations, "deportations.csv", format!("{HEADER}{rows}").as_bytes())
        .unwrap();
    let (ds, report) = loader.finish();
    assert_eq!(
        report.loaded(Table::Deportations) + report.rejected(Table::Deportations),
        report.rows_read(Table::Deportations)
    );
    let kept = ds
        .deportations()
        .map(|d| {
            let start = d.period_start.map_or("-".to_string(), |s| s.to_string());
            format!("{} {start} {} {}", d.date, d.count, d.source)
        })
        .collect();
    (kept, report.rejections().iter().map(|r| r.to_string()).collect())
}

/// The strict load's error, if any.
fn strict(rows: &str) -> Option<String> {
    let mut loader = Loader::new();
    let read =
        loader.read(Table::Deportations, "deportations.csv", format!("{HEADER}{rows}").as_bytes());
    read.err().map(|e| e.to_string())
}

#[test]
fn the_contract_example_is_rejected_naming_the_earlier_line() {
    let rows = "2023-09-30,2023-09-01,AFG,PAK,returned,1,,UNHCR\n\
                2023-09-30,2023-09-01,AFG,IRN,returned,1,,IOM DTM\n\
                2023-08-31,2023-08-01,AFG,PAK,returned,1,,IOM DTM\n\
                2023-07-31,2023-07-01,AFG,PAK,returned,1,,IOM DTM\n\
                2023-06-30,2023-06-01,AFG,PAK,returned,1,,IOM DTM\n\
                2023-11-03,2023-09-15,AFG,PAK,returned,160000,,IOM DTM\n\
                2023-12-31,2023-12-01,AFG,PAK,returned,1,,IOM DTM\n\
                2023-11-02,2023-10-03,AFG,PAK,returned,165000,,IOM DTM\n";
    let want = "deportations.csv:9: period 2023-10-03..2023-11-02 overlaps line 7 \
                (2023-09-15..2023-11-03) of the same series (AFG, PAK, returned, \"\", \"IOM DTM\"): \
                the same people would be counted twice";
    let (kept, rejected) = lenient(rows);
    assert_eq!(kept.len(), 7);
    assert_eq!(rejected, [want]);
    assert_eq!(strict(rows).as_deref(), Some(want));
}

#[test]
fn partial_overlap_either_way() {
    let (_, rejected) = lenient(
        "2023-10-31,2023-10-01,AFG,PAK,returned,10,,IOM\n\
         2023-11-15,2023-10-15,AFG,PAK,returned,20,,IOM\n\
         2023-10-05,2023-09-20,AFG,PAK,returned,30,,IOM\n",
    );
    assert_eq!(
        rejected,
        [
            "deportations.csv:3: period 2023-10-15..2023-11-15 overlaps line 2 (2023-10-01..2023-10-31) \
             of the same series (AFG, PAK, returned, \"\", \"IOM\"): the same people would be counted twice",
            "deportations.csv:4: period 2023-09-20..2023-10-05 overlaps line 2 (2023-10-01..2023-10-31) \
             of the same series (AFG, PAK, returned, \"\", \"IOM\"): the same people would be counted twice",
        ]
    );
}

#[test]
fn containment_both_ways_and_periods_that_only_touch() {
    let (kept, rejected) = lenient(
        "2023-10-31,2023-10-01,AFG,PAK,deported,10,,IOM\n\
         2023-10-20,2023-10-10,AFG,PAK,deported,20,,IOM\n\
         2023-12-31,2023-09-01,AFG,PAK,deported,30,,IOM\n\
         2023-11-30,2023-11-01,AFG,PAK,deported,40,,IOM\n\
         2023-09-30,2023-09-30,AFG,PAK,deported,50,,IOM\n",
    );
    // Adjacent periods share no day: both load.
    assert_eq!(
        kept,
        [
            "2023-10-31 2023-10-01 10 IOM",
            "2023-11-30 2023-11-01 40 IOM",
            "2023-09-30 2023-09-30 50 IOM"
        ]
    );
    assert_eq!(rejected.len(), 2);
    assert!(rejected[0].starts_with(
        "deportations.csv:3: period 2023-10-10..2023-10-20 overlaps line 2 (2023-10-01..2023-10-31)"
    ));
    assert!(rejected[1].starts_with(
        "deportations.csv:4: period 2023-09-01..2023-12-31 overlaps line 2 (2023-10-01..2023-10-31)"
    ));
}

#[test]
fn a_period_over_a_single_day_event_names_that_day() {
    let rows = "2023-10-10,,AFG,PAK,returned,500,Torkham,IOM\n\
                2023-10-31,2023-10-01,AFG,PAK,returned,9000,Torkham,IOM\n";
    let want = "deportations.csv:3: period 2023-10-01..2023-10-31 overlaps line 2 \
                (2023-10-10..2023-10-10) of the same series (AFG, PAK, returned, \"Torkham\", \"IOM\"): \
                the same people would be counted twice";
    assert_eq!(lenient(rows).1, [want]);
    assert_eq!(strict(rows).as_deref(), Some(want));
    // And the other way round: a day inside a loaded period.
    let rows = "2023-10-31,2023-10-01,AFG,PAK,returned,9000,Torkham,IOM\n\
                2023-10-10,,AFG,PAK,returned,500,Torkham,IOM\n";
    assert_eq!(
        lenient(rows).1,
        ["deportations.csv:3: period 2023-10-10..2023-10-10 overlaps line 2 (2023-10-01..2023-10-31) \
          of the same series (AFG, PAK, returned, \"Torkham\", \"IOM\"): the same people would be counted twice"]
    );
}

#[test]
fn a_rejected_row_does_not_count() {
    let (kept, rejected) = lenient(
        "2023-10-31,2023-10-01,AFG,PAK,returned,10,,IOM\n\
         2023-11-15,2023-10-15,AFG,PAK,returned,20,,IOM\n\
         2023-11-10,2023-11-01,AFG,PAK,returned,30,,IOM\n\
         2023-11-20,2023-11-11,AFG,PAK,returned,x,,IOM\n\
         2023-11-30,2023-11-11,AFG,PAK,returned,40,,IOM\n",
    );
    // Line 3 overlaps line 2 and is rejected; line 4 overlaps only line 3,
    // so it loads; line 5 is rejected for its count, and line 6 overlaps
    // only that rejected row.
    assert_eq!(
        kept,
        [
            "2023-10-31 2023-10-01 10 IOM",
            "2023-11-10 2023-11-01 30 IOM",
            "2023-11-30 2023-11-11 40 IOM"
        ]
    );
    assert_eq!(rejected.len(), 2);
    assert!(rejected[0]
        .starts_with("deportations.csv:3: period 2023-10-15..2023-11-15 overlaps line 2"));
    assert!(rejected[1].starts_with("deportations.csv:5: column \"count\""));
}

#[test]
fn other_crossings_sources_kinds_and_countries_are_other_series() {
    let (kept, rejected) = lenient(
        "2023-10-31,2023-10-01,AFG,PAK,returned,1,,IOM\n\
         2023-10-31,2023-10-01,AFG,PAK,returned,2,Torkham,IOM\n\
         2023-10-31,2023-10-01,AFG,PAK,returned,3,,UNHCR\n\
         2023-10-31,2023-10-01,AFG,PAK,deported,4,,IOM\n\
         2023-10-31,2023-10-01,AFG,IRN,returned,5,,IOM\n\
         2023-10-31,2023-10-01,IRQ,PAK,returned,6,,IOM\n",
    );
    assert_eq!(kept.len(), 6);
    assert!(rejected.is_empty(), "{rejected:?}");
}

#[test]
fn an_exact_repeat_is_a_duplicate_not_an_overlap() {
    let (_, rejected) = lenient(
        "2023-10-31,2023-10-01,AFG,PAK,returned,1,,IOM\n\
         2023-10-31,2023-10-01,AFG,PAK,returned,2,,IOM\n",
    );
    assert_eq!(
        rejected,
        ["deportations.csv:3: duplicate of line 2 (same date, period_start, origin, host, kind, crossing and source)"]
    );
}

#[test]
fn several_earlier_overlaps_name_the_first_in_file_order() {
    let rows = "2023-10-25,2023-10-20,AFG,PAK,returned,1,,IOM\n\
                2023-10-05,2023-10-01,AFG,PAK,returned,2,,IOM\n\
                2023-10-31,2023-10-01,AFG,PAK,returned,3,,IOM\n";
    let want = "deportations.csv:4: period 2023-10-01..2023-10-31 overlaps line 2 \
                (2023-10-20..2023-10-25) of the same series (AFG, PAK, returned, \"\", \"IOM\"): \
                the same people would be counted twice";
    assert_eq!(lenient(rows).1, [want]);
    assert_eq!(strict(rows).as_deref(), Some(want));
}

#[test]
fn an_overlap_with_another_file_names_that_file() {
    let mut loader = Loader::new().lenient(true);
    let a = format!("{HEADER}2023-10-31,2023-10-01,AFG,PAK,returned,1,,IOM\n");
    let b = format!("{HEADER}2023-10-01,,AFG,PAK,returned,2,,IOM\n");
    loader.read(Table::Deportations, "a.csv", a.as_bytes()).unwrap();
    loader.read(Table::Deportations, "b.csv", b.as_bytes()).unwrap();
    let (_, report) = loader.finish();
    assert_eq!(
        report.rejections()[0].to_string(),
        "b.csv:2: period 2023-10-01..2023-10-01 overlaps a.csv:2 (2023-10-01..2023-10-31) of the \
         same series (AFG, PAK, returned, \"\", \"IOM\"): the same people would be counted twice"
    );
}

#[test]
fn strict_reports_the_earliest_line_whatever_the_kind_of_rejection() {
    // The overlap on line 3 comes before the bad count on line 4.
    let rows = "2023-10-31,2023-10-01,AFG,PAK,returned,1,,IOM\n\
                2023-10-15,,AFG,PAK,returned,2,,IOM\n\
                2023-12-01,,AFG,PAK,returned,x,,IOM\n";
    assert!(strict(rows)
        .unwrap()
        .starts_with("deportations.csv:3: period 2023-10-15..2023-10-15 overlaps line 2"));
}

#[test]
fn validate_reports_overlaps() {
    let dir = std::env::temp_dir().join(format!("refugee-data-flow-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("deportations.csv"),
        format!(
            "{HEADER}2023-11-03,2023-09-15,AFG,PAK,returned,160000,,IOM DTM\n\
             2023-11-02,2023-10-03,AFG,PAK,returned,165000,,IOM DTM\n"
        ),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_refugee-data"))
        .args(["validate", "--data"])
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "deportations.csv:3: period 2023-10-03..2023-11-02 overlaps line 2 (2023-09-15..2023-11-03) \
             of the same series (AFG, PAK, returned, \"\", \"IOM DTM\"): the same people would be counted twice"
        ),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------------------
// The flow source rule.

fn dataset(rows: &str) -> Dataset {
    let mut loader = Loader::new();
    loader
        .read(Table::Deportations, "deportations.csv", format!("{HEADER}{rows}").as_bytes())
        .unwrap();
    loader.finish().0
}

fn csv(ds: &Dataset, q: Query) -> String {
    let result = ds.query(&q).unwrap();
    let mut out = Vec::new();
    result.write_csv(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn conflict(ds: &Dataset, q: Query) -> String {
    match ds.query(&q) {
        Err(Error::SourceAmbiguity(c)) => c.to_string(),
        other => panic!("expected a source conflict, got {other:?}"),
    }
}

const TWO_SOURCES: &str = "2023-11-01,,AFG,PAK,returned,17000,,IOM DTM\n\
                           2023-11-01,,AFG,PAK,returned,24000,Torkham,Government of Pakistan\n\
                           2023-12-01,,AFG,PAK,returned,5000,,IOM DTM\n\
                           2024-01-01,,AFG,PAK,returned,0,,UNHCR\n\
                           2023-11-01,,AFG,PAK,deported,300,,Government of Pakistan\n";

#[test]
fn two_sources_in_one_group_are_refused_with_a_time_dimension() {
    let ds = dataset(TWO_SOURCES);
    assert_eq!(
        conflict(&ds, Query::deportations().by(D::Month)),
        "two sources for one flow would be added: deportations of kind returned of origin AFG from \
         host PAK in group month=2023-11 come from both \"Government of Pakistan\" and \"IOM DTM\"; \
         group or filter by source to see each"
    );
    // The conflict carries its fields.
    let Err(Error::SourceAmbiguity(c)) = ds.query(&Query::deportations().by(D::Month)) else {
        unreachable!()
    };
    assert_eq!((c.origin.alpha3(), c.host.alpha3()), ("AFG", "PAK"));
    assert_eq!(c.kind.map(|k| k.as_str()), Some("returned"));
    assert_eq!(c.group, [(D::Month, "2023-11".to_string())]);
}

#[test]
fn two_sources_are_refused_without_a_time_dimension() {
    let ds = dataset(TWO_SOURCES);
    let msg = conflict(&ds, Query::deportations());
    assert!(msg.contains("of origin AFG from host PAK come from both"), "{msg}");
    let msg = conflict(&ds, Query::deportations().by(D::Origin));
    assert!(msg.contains("in group origin=AFG come from both"), "{msg}");
}

#[test]
fn a_zero_from_another_source_is_still_another_source() {
    let ds = dataset(TWO_SOURCES);
    // December: IOM DTM only; January: UNHCR's 0 only. Together, by year 2023 vs 2024 fine,
    let q = Query::deportations().by(D::Year).filter(D::Source, ["IOM DTM", "UNHCR"]);
    assert_eq!(csv(&ds, q), "year,persons,records\n2023,22000,2\n2024,0,1\n");
    // but one bucket over both is refused, though UNHCR's count is 0.
    let q = Query::deportations()
        .filter(D::Source, ["IOM DTM", "UNHCR"])
        .from("2023-12-01".parse().unwrap());
    let msg = conflict(&ds, q);
    assert!(msg.contains("come from both \"IOM DTM\" and \"UNHCR\""), "{msg}");
}

#[test]
fn grouping_or_filtering_by_source_answers() {
    let ds = dataset(TWO_SOURCES);
    assert_eq!(
        csv(&ds, Query::deportations().by(D::Month).by(D::Source).filter(D::Kind, ["returned"])),
        "month,source,persons,records\n\
         2023-11,Government of Pakistan,24000,1\n\
         2023-11,IOM DTM,17000,1\n\
         2023-12,IOM DTM,5000,1\n\
         2024-01,UNHCR,0,1\n"
    );
    assert_eq!(
        csv(&ds, Query::deportations().by(D::Month).filter(D::Source, ["IOM DTM"])),
        "month,persons,records\n2023-11,17000,1\n2023-12,5000,1\n"
    );
}

#[test]
fn kinds_and_buckets_apart_are_no_conflict() {
    let ds = dataset(TWO_SOURCES);
    // Kinds separate flows: deported (one source) and returned by kind.
    let q = Query::deportations().by(D::Kind).filter(D::Source, ["Government of Pakistan"]);
    assert_eq!(csv(&ds, q), "kind,persons,records\ndeported,300,1\nreturned,24000,1\n");
    // Two sources in different buckets: no group adds them.
    let q = Query::deportations()
        .by(D::Month)
        .filter(D::Kind, ["returned"])
        .from("2023-12-01".parse().unwrap());
    assert_eq!(csv(&ds, q), "month,persons,records\n2023-12,5000,1\n2024-01,0,1\n");
    // Bounds drop one source: nothing to add.
    let q = Query::deportations().to("2023-11-30".parse().unwrap()).filter(D::Kind, ["deported"]);
    assert_eq!(csv(&ds, q), "persons,records\n300,1\n");
}

#[test]
fn crossings_do_not_separate_flows() {
    let ds = dataset(TWO_SOURCES);
    // Grouped by crossing, IOM DTM's total (no crossing) and the
    // government's Torkham figure are in different groups: no conflict,
    // each group has one source.
    let q = Query::deportations()
        .by(D::Crossing)
        .filter(D::Kind, ["returned"])
        .to("2023-11-30".parse().unwrap());
    assert_eq!(csv(&ds, q), "crossing,persons,records\n,17000,1\nTorkham,24000,1\n");
    // Without the crossing, they would be added: refused.
    let q = Query::deportations().filter(D::Kind, ["returned"]).to("2023-11-30".parse().unwrap());
    assert!(conflict(&ds, q).contains("\"Government of Pakistan\" and \"IOM DTM\""));
}
