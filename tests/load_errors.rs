//! One test per kind of bad input, asserting the exact message with its
//! position, and the accepted variants (DESIGN §1, §2).

use refugee_data::{Country, Error, Loader, Problem, Table};

const DEP_HEADER: &str = "date,period_start,origin,host,kind,count,crossing,source\n";
const REG_HEADER: &str = "date,origin,host,population,count,source\n";

/// Loads `body` leniently and returns every rejection message.
fn rejections(table: Table, body: &str) -> Vec<String> {
    rejections_bytes(table, body.as_bytes())
}

fn rejections_bytes(table: Table, body: &[u8]) -> Vec<String> {
    let mut loader = Loader::new().lenient(true);
    loader.read(table, table.file_name(), body).expect("no header error");
    let (ds, report) = loader.finish();
    assert_eq!(
        report.loaded(table) + report.rejected(table),
        report.rows_read(table),
        "loaded + rejected = read"
    );
    assert_eq!(report.loaded(table) as usize, ds.len(table));
    report.rejections().iter().map(|r| r.to_string()).collect()
}

fn one_dep(row: &str) -> String {
    let got = rejections(Table::Deportations, &format!("{DEP_HEADER}{row}\n"));
    assert_eq!(got.len(), 1, "{got:?}");
    got.into_iter().next().unwrap()
}

#[test]
fn malformed_date() {
    assert_eq!(
        one_dep("24/11/2023,,AFG,PAK,deported,5,,IOM"),
        r#"deportations.csv:2: column "date": "24/11/2023" is not a date (expected YYYY-MM-DD)"#
    );
}

#[test]
fn impossible_date() {
    assert_eq!(
        one_dep("2023-02-30,,AFG,PAK,deported,5,,IOM"),
        r#"deportations.csv:2: column "date": "2023-02-30" is not a calendar date (expected YYYY-MM-DD)"#
    );
}

#[test]
fn year_out_of_range() {
    assert_eq!(
        one_dep("1899-12-31,,AFG,PAK,deported,5,,IOM"),
        r#"deportations.csv:2: column "date": "1899-12-31" is out of range (expected a year from 1900 to 2100)"#
    );
    assert_eq!(
        one_dep("2101-01-01,,AFG,PAK,deported,5,,IOM"),
        r#"deportations.csv:2: column "date": "2101-01-01" is out of range (expected a year from 1900 to 2100)"#
    );
}

#[test]
fn bad_counts() {
    for bad in ["-5", "+5", "1e3", "1.5", " 5", "1 200", "12a"] {
        assert_eq!(
            one_dep(&format!("2023-11-01,,AFG,PAK,deported,{bad},,IOM")),
            format!(
                r#"deportations.csv:2: column "count": "{bad}" is not a count (expected a non-negative integer, digits only)"#
            )
        );
    }
    assert_eq!(
        one_dep("2023-11-01,,AFG,PAK,deported,\"1,200\",,IOM"),
        r#"deportations.csv:2: column "count": "1,200" is not a count (expected a non-negative integer, digits only)"#
    );
}

#[test]
fn count_over_u64_max() {
    assert_eq!(
        one_dep("2023-11-01,,AFG,PAK,deported,18446744073709551616,,IOM"),
        r#"deportations.csv:2: column "count": "18446744073709551616" is too large for a count (expected at most 18446744073709551615)"#
    );
}

#[test]
fn unknown_country_suggests_the_nearest() {
    assert_eq!(
        one_dep("2023-11-01,,AFG,Pakistn,deported,5,,IOM"),
        r#"deportations.csv:2: column "host": "Pakistn" is not a known country (did you mean Pakistan (PAK)?)"#
    );
}

#[test]
fn empty_required_field() {
    assert_eq!(
        one_dep("2023-11-01,,AFG,PAK,deported,5,Torkham,"),
        r#"deportations.csv:2: column "source": is empty (a value is required)"#
    );
    assert_eq!(
        one_dep(",,AFG,PAK,deported,5,Torkham,IOM"),
        r#"deportations.csv:2: column "date": is empty (a value is required)"#
    );
}

#[test]
fn unknown_vocabulary_value() {
    assert_eq!(
        one_dep("2023-11-01,,AFG,PAK,expelled,5,,IOM"),
        r#"deportations.csv:2: column "kind": "expelled" is not a return kind (expected one of deported, spontaneous, assisted, returned)"#
    );
}

#[test]
fn period_start_after_date() {
    assert_eq!(
        one_dep("2023-11-01,2023-11-05,AFG,PAK,deported,5,,IOM"),
        r#"deportations.csv:2: column "period_start": "2023-11-05" is after date "2023-11-01" (expected period_start <= date)"#
    );
}

#[test]
fn duplicate_row_names_the_first_line() {
    let body = format!(
        "{DEP_HEADER}2023-11-01,,AFG,PAK,deported,5,Torkham,IOM\n\
         2023-11-01,2023-11-01,afg,Pakistan,DEPORTED,7, Torkham ,IOM\n\
         2023-11-01,,AFG,PAK,deported,5,Chaman,IOM\n"
    );
    assert_eq!(
        rejections(Table::Deportations, &body),
        ["deportations.csv:3: duplicate of line 2 (same date, period_start, origin, host, kind, crossing and source)"]
    );
}

#[test]
fn ragged_row() {
    assert_eq!(
        one_dep("2023-11-01,,AFG,PAK,deported,5,IOM"),
        "deportations.csv:2: row has 7 fields, expected 8 (as in the header)"
    );
}

#[test]
fn invalid_utf8() {
    let mut body = DEP_HEADER.as_bytes().to_vec();
    body.extend_from_slice(b"2023-11-01,,AFG,PAK,deported,5,Tork\xFFham,IOM\n");
    assert_eq!(
        rejections_bytes(Table::Deportations, &body),
        ["deportations.csv:2: column \"crossing\": \"Tork\u{FFFD}ham\" is not valid UTF-8 (invalid byte at offset 4)"]
    );
}

#[test]
fn missing_required_columns_are_named_at_once() {
    let err = Loader::new()
        .read(Table::Deportations, "deportations.csv", "date,host,count,crossing\n".as_bytes())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"deportations.csv:1: missing required columns "origin", "kind", "source" (header: date,host,count,crossing)"#
    );
    match err {
        Error::MissingColumns { missing, .. } => assert_eq!(missing, ["origin", "kind", "source"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn strict_stops_at_the_first_rejection() {
    let body = format!(
        "{REG_HEADER}2023-12-31,AFG,PAK,refugees,1,UNHCR\n2023-12-31,AFG,IRN,refugees,x,UNHCR\n2023-13-31,AFG,IRN,refugees,1,UNHCR\n"
    );
    let err =
        Loader::new().read(Table::Registrations, "registrations.csv", body.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"registrations.csv:3: column "count": "x" is not a count (expected a non-negative integer, digits only)"#
    );
    match err {
        Error::Rejected(r) => {
            assert_eq!(r.line(), 3);
            assert_eq!(r.column(), Some("count"));
            assert_eq!(r.problem(), &Problem::NotACount);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn lines_are_physical_lines_not_record_numbers() {
    let body = format!(
        "{DEP_HEADER}2023-11-01,,AFG,PAK,deported,5,\"Torkham,\nnorth gate\",IOM\n\n2023-11-02,,AFG,PAK,deported,-1,,IOM\n"
    );
    assert_eq!(
        rejections(Table::Deportations, &body),
        [
            r#"deportations.csv:5: column "count": "-1" is not a count (expected a non-negative integer, digits only)"#
        ]
    );
}

#[test]
fn long_values_are_cut_to_sixty_characters() {
    let long = "x".repeat(500_000);
    let got = one_dep(&format!("2023-11-01,,AFG,{long},deported,5,,IOM"));
    let expected_value = format!("{}...", "x".repeat(60));
    assert_eq!(
        got,
        format!(
            r#"deportations.csv:2: column "host": "{expected_value}" is not a known country (expected an ISO 3166 code or an English country name)"#
        )
    );
}

#[test]
fn accepted_variants() {
    // BOM, CRLF, quoted commas and newlines, shuffled and extra columns, spellings.
    let body = "\u{FEFF}source,Count,host,note,kind,origin,date,crossing\r\n\
                \"IOM, DTM\",17000,Pakistan,\"two\r\nlines\",Spontaneous,afghanistan,2023-11-01,Torkham\r\n\
                UNHCR,5,Islamic Republic of Iran,,returned,AF,2023-11-02,\r\n";
    let mut loader = Loader::new();
    loader.read(Table::Deportations, "deportations.csv", body.as_bytes()).unwrap();
    let (ds, report) = loader.finish();
    assert_eq!(report.warnings(), [r#"deportations.csv:1: unknown column ignored: "note""#]);
    let rows: Vec<_> = ds.deportations().collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].source, "IOM, DTM");
    assert_eq!(rows[0].host, "PAK".parse::<Country>().unwrap());
    assert_eq!(rows[0].origin.alpha3(), "AFG");
    assert_eq!(rows[0].crossing.as_deref(), Some("Torkham"));
    assert_eq!(rows[0].count, 17_000);
    assert_eq!(rows[1].host.alpha3(), "IRN");
    assert_eq!(rows[1].crossing, None);
    assert_eq!(rows[1].period_start, None);
}

#[test]
fn extremes_are_valid() {
    let body = format!(
        "{REG_HEADER}1900-01-01,AFG,PAK,refugees,18446744073709551615,UNHCR\n2100-12-31,AFG,PAK,refugees,0,UNHCR\n"
    );
    let mut loader = Loader::new();
    loader.read(Table::Registrations, "registrations.csv", body.as_bytes()).unwrap();
    let (ds, _) = loader.finish();
    let counts: Vec<u64> = ds.registrations().map(|r| r.count).collect();
    assert_eq!(counts, [u64::MAX, 0]);
}

#[test]
fn repeated_header_column_is_an_error() {
    let err = Loader::new()
        .read(
            Table::Registrations,
            "registrations.csv",
            "date,origin,host,population,count,source,Date\n".as_bytes(),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"registrations.csv:1: column "date" appears more than once in the header"#
    );
}

#[test]
fn a_field_over_the_limit_rejects_its_row() {
    let big = "y".repeat(10 << 20);
    let body = format!("{DEP_HEADER}2023-11-01,,AFG,PAK,deported,5,{big},IOM\n2023-11-02,,AFG,PAK,deported,5,,IOM\n");
    let got = rejections(Table::Deportations, &body);
    assert_eq!(
        got,
        [format!(
            r#"deportations.csv:2: column "crossing": "{}..." is 10485760 bytes long (expected at most 1048576)"#,
            "y".repeat(60)
        )]
    );
}

#[test]
fn a_record_over_the_limit_stops_the_file() {
    let big = "z".repeat(300_000);
    let body = format!("{DEP_HEADER}2023-11-01,,AFG,PAK,deported,5,,IOM\n2023-11-01,,AFG,PAK,deported,5,\"{big}\n{big}\",IOM\n");
    let err = Loader::new()
        .lenient(true)
        .max_field_bytes(1000)
        .max_record_bytes(100_000)
        .read(Table::Deportations, "deportations.csv", body.as_bytes())
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("deportations.csv:3: a record is longer than 100000 bytes, the limit"),
        "{msg}"
    );
}

#[test]
fn a_byte_order_mark_after_the_header_is_data() {
    // Only a mark at the start of the file is dropped; mid-file it is part
    // of the value (here it makes the date malformed).
    assert_eq!(
        one_dep("\u{FEFF}2023-11-01,,AFG,PAK,deported,5,,IOM"),
        "deportations.csv:2: column \"date\": \"\u{FEFF}2023-11-01\" is not a date (expected YYYY-MM-DD)"
    );
}
