//! Parquet and Arrow, both ways: round trips CSV -> Parquet -> dataset on
//! the sample and on generated data, files other writers make (other string
//! and integer types), and hostile files (wrong types, bad values, broken
//! files), each with its exact message.
#![cfg(feature = "parquet")]

#[path = "../examples/gen/mod.rs"]
mod gen;

use std::sync::Arc;

use parquet::arrow::ArrowWriter;
use refugee_data::arrow_array::builder::{StringDictionaryBuilder, StringViewBuilder};
use refugee_data::arrow_array::types::Int8Type;
use refugee_data::arrow_array::{
    Array, ArrayRef, Date32Array, Date64Array, Float64Array, Int32Array, Int64Array,
    LargeStringArray, RecordBatch, StringArray, TimestampNanosecondArray, UInt32Array, UInt64Array,
};
use refugee_data::{Dataset, Derived, Dimension, Error, Loader, Query, Table};

/// Loads CSV text of one table strictly.
fn load_csv(table: Table, csv: &[u8]) -> Dataset {
    let mut loader = Loader::new();
    loader.read(table, table.file_name(), csv).unwrap();
    let (ds, report) = loader.finish();
    assert!(report.is_clean());
    ds
}

/// Writes every table of `ds` as Parquet and reads it back strictly.
fn through_parquet(ds: &Dataset) -> Dataset {
    let mut loader = Loader::new();
    for table in Table::ALL {
        let mut bytes = Vec::new();
        ds.write_parquet(table, &mut bytes).unwrap();
        loader.read_parquet(table, table.parquet_file_name(), bytes.as_slice()).unwrap();
    }
    let (back, report) = loader.finish();
    assert!(report.is_clean() && report.warnings().is_empty(), "{:?}", report.rejections());
    back
}

fn assert_same(a: &Dataset, b: &Dataset) {
    for table in Table::ALL {
        assert_eq!(a.len(table), b.len(table), "{table}");
    }
    assert!(a.registrations().eq(b.registrations()));
    assert!(a.deportations().eq(b.deportations()));
    assert!(a.statements().eq(b.statements()));
}

/// Parquet bytes of one batch, as arrow-rs writes it.
fn parquet_of(batch: &RecordBatch) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut w = ArrowWriter::try_new(&mut bytes, batch.schema(), None).unwrap();
    w.write(batch).unwrap();
    w.close().unwrap();
    bytes
}

fn strings(v: &[&str]) -> ArrayRef {
    Arc::new(StringArray::from(v.to_vec()))
}

/// A deportations batch with the given count column, the other required
/// columns valid, one row a value of `counts`.
fn deportations_with_counts(counts: ArrayRef) -> RecordBatch {
    let n = counts.len();
    let dates: Vec<String> = (0..n).map(|i| format!("2023-11-{:02}", i + 1)).collect();
    let dates: Vec<&str> = dates.iter().map(String::as_str).collect();
    RecordBatch::try_from_iter([
        ("date", strings(&dates)),
        ("origin", strings(&vec!["AFG"; n])),
        ("host", strings(&vec!["PAK"; n])),
        ("kind", strings(&vec!["deported"; n])),
        ("count", counts),
        ("source", strings(&vec!["IOM DTM"; n])),
    ])
    .unwrap()
}

fn lenient_parquet(table: Table, file: &str, bytes: &[u8]) -> (Dataset, Vec<String>) {
    let mut loader = Loader::new().lenient(true);
    loader.read_parquet(table, file, bytes).unwrap();
    let (ds, report) = loader.finish();
    let read = report.rows_read(table);
    assert_eq!(report.loaded(table) + report.rejected(table), read);
    (ds, report.rejections().iter().map(|r| r.to_string()).collect())
}

#[test]
fn the_sample_round_trips_through_parquet() {
    let ds = Dataset::sample();
    assert_same(ds, &through_parquet(ds));
}

#[test]
fn generated_data_round_trips_through_parquet() {
    let mut ds = load_csv(Table::Deportations, &gen::deportations_csv(20_000, 5));
    let regs = load_csv(Table::Registrations, &gen::registrations_csv(20_000, 9));
    let mut loader = Loader::new();
    for table in [Table::Deportations, Table::Registrations] {
        let source = if table == Table::Deportations { &ds } else { &regs };
        let mut csv = Vec::new();
        source.write_csv(table, &mut csv).unwrap();
        loader.read(table, table.file_name(), csv.as_slice()).unwrap();
    }
    ds = loader.finish().0;
    assert!(ds.deportations().any(|d| d.period_start.is_some()));
    assert!(ds.deportations().any(|d| d.period_start.is_none()));
    assert_same(&ds, &through_parquet(&ds));
}

#[test]
fn extremes_and_empty_optional_values_round_trip() {
    let mut loader = Loader::new();
    let files = [
        (
            Table::Registrations,
            "date,origin,host,population,count,source,reference\n\
             1900-01-01,AFG,PAK,refugees,18446744073709551615,UNHCR,\n\
             2100-12-31,SYR,TUR,stateless,0,\"A, \"\"quoted\"\" source\",https://example.org/x\n",
        ),
        (
            Table::Deportations,
            "date,period_start,origin,host,kind,count,crossing,source,reference\n\
             2100-12-31,1900-01-01,AFG,IRN,returned,18446744073709551615,,IOM DTM,\n\
             1900-01-01,,AFG,PAK,assisted,0,Torkham,UNHCR,r\n\
             2023-11-02,2023-11-02,AFG,PAK,deported,5,Chaman,UNHCR,\n",
        ),
        (
            Table::Statements,
            "date,actor,actor_country,speaker,target_country,subject_country,stance,summary,source,url\n\
             1900-01-01,UNHCR,,,,,appeal,Urged restraint.,UNHCR,\n\
             2100-12-31,Ministry,PAK,A Speaker,AFG,AFG,threaten,\"Multi\nline\",Dawn,https://x.example\n",
        ),
    ];
    for (table, csv) in files {
        loader.read(table, table.file_name(), csv.as_bytes()).unwrap();
    }
    let ds = loader.finish().0;
    let back = through_parquet(&ds);
    assert_same(&ds, &back);
    let d: Vec<_> = back.deportations().collect();
    assert_eq!(d[0].count, u64::MAX);
    assert_eq!(d[0].period_start.unwrap().to_string(), "1900-01-01");
    assert_eq!((d[0].crossing.as_deref(), d[1].crossing.as_deref()), (None, Some("Torkham")));
    assert_eq!(d[1].date.to_string(), "1900-01-01");
    // A period_start equal to date is written as given and read back so.
    assert_eq!(d[2].period_start, ds.deportations().nth(2).unwrap().period_start);
    let s: Vec<_> = back.statements().collect();
    assert_eq!((s[0].actor_country, s[0].url.as_deref()), (None, None));
    assert_eq!(s[1].summary, "Multi\nline");
}

#[test]
fn absent_optional_values_are_null_in_the_batch() {
    let ds = Dataset::sample();
    let batch = ds.to_arrow(Table::Deportations);
    let nullable: Vec<bool> = batch.schema().fields().iter().map(|f| f.is_nullable()).collect();
    assert_eq!(nullable, [false, true, false, false, false, false, true, false, true]);
    let starts = batch.column(1).as_any().downcast_ref::<Date32Array>().unwrap();
    let expected = ds.deportations().filter(|d| d.period_start.is_none()).count();
    assert_eq!(starts.null_count(), expected);
    let kinds = batch.column(4).as_any().downcast_ref::<StringArray>().unwrap();
    let first = ds.deportations().next().unwrap();
    assert_eq!(kinds.value(0), first.kind.as_str());
}

#[test]
fn the_hive_layout_holds_each_year_in_its_folder() {
    let dir = std::env::temp_dir().join(format!("refugee-data-parquet-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let ds = Dataset::sample();
    // Twice: the second write replaces the first.
    ds.write_parquet_partitioned(&dir).unwrap();
    let files = ds.write_parquet_partitioned(&dir).unwrap();
    let mut loader = Loader::new();
    let mut years = Vec::new();
    for file in &files {
        let table: Table = file
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let year = file.parent().unwrap().file_name().unwrap().to_str().unwrap().to_string();
        years.push(format!("{table}/{year}"));
        loader.read_parquet_file(table, file).unwrap();
        let back = {
            let mut l = Loader::new();
            l.read_parquet_file(table, file).unwrap();
            l.finish().0
        };
        let want: i32 = year.trim_start_matches("year=").parse().unwrap();
        let years_in: Vec<i32> = match table {
            Table::Registrations => back.registrations().map(|r| r.date.year()).collect(),
            Table::Deportations => back.deportations().map(|r| r.date.year()).collect(),
            Table::Statements => back.statements().map(|r| r.date.year()).collect(),
        };
        assert!(!years_in.is_empty() && years_in.iter().all(|&y| y == want), "{file:?}");
    }
    assert!(years.contains(&"deportations/year=2023".to_string()), "{years:?}");
    let (back, report) = loader.finish();
    assert!(report.is_clean());
    for table in Table::ALL {
        assert_eq!(back.len(table), ds.len(table));
    }
    let mut a: Vec<_> = ds.deportations().map(|d| format!("{d:?}")).collect();
    let mut b: Vec<_> = back.deportations().map(|d| format!("{d:?}")).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());
    std::fs::remove_dir_all(&dir).unwrap();
}

use refugee_data::Datelike;

#[test]
fn other_string_and_integer_types_load() {
    let n = 3;
    let mut view = StringViewBuilder::new();
    let mut dict = StringDictionaryBuilder::<Int8Type>::new();
    for _ in 0..n {
        view.append_value("AFG");
        dict.append_value("IOM DTM");
    }
    let hosts: ArrayRef = Arc::new(LargeStringArray::from(vec!["PAK", "irn", "Pakistan"]));
    let batch = RecordBatch::try_from_iter([
        ("date", Arc::new(Date32Array::from(vec![19_662, 19_663, 19_664])) as ArrayRef),
        ("origin", Arc::new(view.finish()) as ArrayRef),
        ("host", hosts),
        ("kind", strings(&["Deported", "spontaneous", "returned"])),
        ("count", Arc::new(Int32Array::from(vec![5, 0, i32::MAX])) as ArrayRef),
        ("source", Arc::new(dict.finish()) as ArrayRef),
    ])
    .unwrap();
    let mut loader = Loader::new();
    loader.read_parquet(Table::Deportations, "d.parquet", parquet_of(&batch).as_slice()).unwrap();
    let got: Vec<String> = loader
        .finish()
        .0
        .deportations()
        .map(|d| format!("{} {} {} {} {} {}", d.date, d.origin, d.host, d.kind, d.count, d.source))
        .collect();
    assert_eq!(
        got,
        [
            "2023-11-01 AFG PAK deported 5 IOM DTM",
            "2023-11-02 AFG IRN spontaneous 0 IOM DTM",
            "2023-11-03 AFG PAK returned 2147483647 IOM DTM",
        ]
    );
    let counts: ArrayRef = Arc::new(UInt32Array::from(vec![u32::MAX, 1]));
    let mut loader = Loader::new();
    loader.read_arrow(Table::Deportations, "d.arrow", [&deportations_with_counts(counts)]).unwrap();
    let counts: Vec<u64> = loader.finish().0.deportations().map(|d| d.count).collect();
    assert_eq!(counts, [u32::MAX as u64, 1]);
}

#[test]
fn dates_as_date64_and_midnight_timestamps_load_and_a_time_of_day_is_rejected() {
    const DAY_MS: i64 = 86_400_000;
    let mut batch = deportations_with_counts(Arc::new(UInt64Array::from(vec![1, 2])));
    let date64: ArrayRef = Arc::new(Date64Array::from(vec![19_662 * DAY_MS, 19_663 * DAY_MS]));
    batch = batch.project(&[1, 2, 3, 4, 5]).unwrap();
    let mut columns = vec![date64];
    columns.extend(batch.columns().iter().cloned());
    let names = ["date", "origin", "host", "kind", "count", "source"];
    let with_dates = |columns: Vec<ArrayRef>| {
        RecordBatch::try_from_iter(names.into_iter().zip(columns)).unwrap()
    };
    let mut loader = Loader::new();
    loader.read_arrow(Table::Deportations, "d.arrow", [&with_dates(columns.clone())]).unwrap();
    let dates: Vec<String> = loader.finish().0.deportations().map(|d| d.date.to_string()).collect();
    assert_eq!(dates, ["2023-11-01", "2023-11-02"]);

    let ns = DAY_MS * 1_000_000;
    columns[0] = Arc::new(TimestampNanosecondArray::from(vec![19_662 * ns, 19_663 * ns + 1]));
    let (ds, rejections) =
        lenient_parquet(Table::Deportations, "d.parquet", &parquet_of(&with_dates(columns)));
    assert_eq!(ds.deportations().map(|d| d.date.to_string()).collect::<Vec<_>>(), ["2023-11-01"]);
    assert_eq!(
        rejections,
        [format!(
            "d.parquet:2: column \"date\": \"{}\" is a time past midnight (expected a date: a \
             timestamp at midnight)",
            19_663 * ns + 1
        )]
    );
}

#[test]
fn bad_values_are_rejections_naming_file_row_and_column() {
    let batch = RecordBatch::try_from_iter([
        (
            "date",
            strings(&[
                "2023-11-01",
                "2023-02-30",
                "2023-11-03",
                "2023-11-04",
                "2023-11-05",
                "1899-12-31",
            ]),
        ),
        ("origin", strings(&["AFG", "AFG", "Atlantis", "AFG", "AFG", "AFG"])),
        ("host", strings(&["PAK", "PAK", "PAK", "PAK", "PAK", "PAK"])),
        ("kind", strings(&["deported", "deported", "deported", "sent", "deported", "deported"])),
        (
            "count",
            Arc::new(Int64Array::from(vec![Some(1), Some(2), Some(3), Some(4), Some(-5), None]))
                as ArrayRef,
        ),
        ("source", strings(&["IOM", "IOM", "IOM", "IOM", "IOM", "IOM"])),
    ])
    .unwrap();
    let bytes = parquet_of(&batch);
    let (ds, rejections) = lenient_parquet(Table::Deportations, "deportations.parquet", &bytes);
    let country_problem = refugee_data::Country::parse("Atlantis").unwrap_err().problem();
    assert_eq!(
        rejections,
        [
            "deportations.parquet:2: column \"date\": \"2023-02-30\" is not a calendar date (expected YYYY-MM-DD)".to_string(),
            format!("deportations.parquet:3: column \"origin\": \"Atlantis\" {country_problem}"),
            "deportations.parquet:4: column \"kind\": \"sent\" is not a return kind (expected one of deported, spontaneous, assisted, returned)".to_string(),
            "deportations.parquet:5: column \"count\": \"-5\" is not a count (expected a non-negative integer, digits only)".to_string(),
            "deportations.parquet:6: column \"date\": \"1899-12-31\" is out of range (expected a year from 1900 to 2100)".to_string(),
        ]
    );
    assert_eq!(ds.len(Table::Deportations), 1);
    // Strictly, the first rejection is the error and the load stops there.
    let err = Loader::new()
        .read_parquet(Table::Deportations, "deportations.parquet", bytes.as_slice())
        .unwrap_err();
    assert_eq!(err.to_string(), rejections[0]);
}

#[test]
fn duplicates_and_overlaps_are_checked_as_in_csv() {
    let batch = RecordBatch::try_from_iter([
        ("date", strings(&["2023-11-30", "2023-11-30", "2023-11-15"])),
        (
            "period_start",
            Arc::new(StringArray::from(vec![Some("2023-11-01"), Some("2023-11-01"), None]))
                as ArrayRef,
        ),
        ("origin", strings(&["AFG", "AFG", "AFG"])),
        ("host", strings(&["PAK", "PAK", "PAK"])),
        ("kind", strings(&["returned", "returned", "returned"])),
        ("count", Arc::new(UInt64Array::from(vec![10, 20, 30])) as ArrayRef),
        ("source", strings(&["IOM DTM", "IOM DTM", "IOM DTM"])),
    ])
    .unwrap();
    let (ds, rejections) =
        lenient_parquet(Table::Deportations, "deportations.parquet", &parquet_of(&batch));
    assert_eq!(ds.len(Table::Deportations), 1);
    assert_eq!(
        rejections,
        [
            "deportations.parquet:2: duplicate of line 1 (same date, period_start, origin, host, \
             kind, crossing and source)",
            "deportations.parquet:3: period 2023-11-15..2023-11-15 overlaps line 1 \
             (2023-11-01..2023-11-30) of the same series (AFG, PAK, returned, \"\", \"IOM DTM\"): \
             the same people would be counted twice",
        ]
    );
}

#[test]
fn a_count_of_the_wrong_type_is_one_error() {
    for (counts, found) in [
        (strings(&["5"]), "Utf8"),
        (Arc::new(Float64Array::from(vec![5.0])) as ArrayRef, "Float64"),
    ] {
        let bytes = parquet_of(&deportations_with_counts(counts));
        let err = Loader::new()
            .lenient(true)
            .read_parquet(Table::Deportations, "deportations.parquet", bytes.as_slice())
            .unwrap_err();
        assert!(matches!(err, Error::ColumnType { .. }));
        assert_eq!(
            err.to_string(),
            format!(
                "deportations.parquet: column \"count\" is of type {found} (expected an integer \
                 type (UInt64, or any signed or unsigned integer))"
            )
        );
    }
    let dates: ArrayRef = Arc::new(Int32Array::from(vec![19_662]));
    let batch = deportations_with_counts(Arc::new(UInt64Array::from(vec![1])));
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    columns[0] = dates;
    let batch = RecordBatch::try_new(
        Arc::new(refugee_data::arrow_schema::Schema::new(
            batch
                .schema()
                .fields()
                .iter()
                .enumerate()
                .map(|(i, f)| f.as_ref().clone().with_data_type(columns[i].data_type().clone()))
                .collect::<Vec<_>>(),
        )),
        columns,
    )
    .unwrap();
    let err = Loader::new().read_arrow(Table::Deportations, "d.arrow", [&batch]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "d.arrow: column \"date\" is of type Int32 (expected Date32, Date64, a timestamp without \
         time zone, or a string of YYYY-MM-DD dates)"
    );
}

#[test]
fn missing_columns_and_unknown_ones_are_reported_as_for_a_csv_header() {
    let batch = RecordBatch::try_from_iter([
        ("date", strings(&["2023-12-31"])),
        ("origin", strings(&["AFG"])),
        ("note", strings(&["x"])),
    ])
    .unwrap();
    let err = Loader::new()
        .read_parquet(Table::Registrations, "registrations.parquet", parquet_of(&batch).as_slice())
        .unwrap_err();
    assert!(matches!(err, Error::MissingColumns { .. }));
    assert_eq!(
        err.to_string(),
        "registrations.parquet:0: missing required columns \"host\", \"population\", \"count\", \
         \"source\" (header: date,origin,note)"
    );
    let batch = deportations_with_counts(Arc::new(UInt64Array::from(vec![1])));
    let schema = batch.schema();
    let mut columns: Vec<(&str, ArrayRef)> = schema
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .zip(batch.columns().iter().cloned())
        .collect();
    columns.push(("Note", strings(&["x"])));
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let mut loader = Loader::new();
    loader.read_parquet(Table::Deportations, "d.parquet", parquet_of(&batch).as_slice()).unwrap();
    let (ds, report) = loader.finish();
    assert_eq!(ds.len(Table::Deportations), 1);
    assert_eq!(report.warnings(), ["d.parquet:0: unknown column ignored: \"Note\""]);
}

#[test]
fn broken_files_are_errors_not_panics() {
    let good = {
        let mut bytes = Vec::new();
        Dataset::sample().write_parquet(Table::Deportations, &mut bytes).unwrap();
        bytes
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("csv", b"date,origin\n2023-01-01,AFG\n".to_vec()),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("no footer", good[..good.len() - 8].to_vec()),
        ("one byte short", good[1..].to_vec()),
    ];
    for (what, bytes) in cases {
        for lenient in [false, true] {
            let err = Loader::new()
                .lenient(lenient)
                .read_parquet(Table::Deportations, "deportations.parquet", bytes.as_slice())
                .unwrap_err();
            assert!(matches!(err, Error::Io { .. }), "{what}: {err}");
            assert!(
                err.to_string().starts_with("deportations.parquet: not a readable Parquet file: "),
                "{what}: {err}"
            );
        }
    }
    // Damage in the middle (the pages), at many places: an error or rows,
    // never a panic, and every row read accounted for.
    for at in (8..good.len() - 8).step_by(97) {
        let mut bytes = good.clone();
        bytes[at] ^= 0x5a;
        let mut loader = Loader::new().lenient(true);
        let _ = loader.read_parquet(Table::Deportations, "d.parquet", bytes.as_slice());
        let (_, report) = loader.finish();
        let t = Table::Deportations;
        assert_eq!(report.loaded(t) + report.rejected(t), report.rows_read(t));
    }
}

#[test]
fn a_query_result_as_arrow_has_its_columns_and_values() {
    let q = Query::deportations()
        .by(Dimension::Year)
        .by(Dimension::Host)
        .filter(Dimension::Source, ["UNHCR"])
        .with(Derived::Change)
        .with(Derived::Cumulative);
    let result = Dataset::sample().query(&q).unwrap();
    let batch = result.to_arrow().unwrap();
    let names: Vec<&str> = batch.schema_ref().fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, result.columns());
    assert_eq!(batch.num_rows(), result.len());
    let years = batch.column(0).as_any().downcast_ref::<StringArray>().unwrap();
    let persons = batch.column(2).as_any().downcast_ref::<UInt64Array>().unwrap();
    let change = batch.column(4).as_any().downcast_ref::<Int64Array>().unwrap();
    let cumulative = batch.column(5).as_any().downcast_ref::<Int64Array>().unwrap();
    assert!(change.null_count() > 0 && change.null_count() < result.len());
    for (i, row) in result.rows().enumerate() {
        assert_eq!(years.value(i), row.key(0));
        assert_eq!(persons.value(i), row.value(0));
        let change_i = (!change.is_null(i)).then(|| change.value(i) as i128);
        assert_eq!(change_i, row.change());
        assert_eq!(Some(cumulative.value(i) as u64), row.cumulative());
    }
}

#[test]
fn rows_are_numbered_across_row_groups_and_batches() {
    let n = 20_000;
    let counts: Vec<i64> = (0..n).map(|i| if i == 16_999 { -1 } else { i }).collect();
    let dates: Vec<String> = (0..n)
        .map(|i| format!("{}-{:02}-{:02}", 1950 + i / 336, i / 28 % 12 + 1, i % 28 + 1))
        .collect();
    let dates: Vec<&str> = dates.iter().map(String::as_str).collect();
    let n = n as usize;
    let batch = RecordBatch::try_from_iter([
        ("date", strings(&dates)),
        ("origin", strings(&vec!["AFG"; n])),
        ("host", strings(&vec!["PAK"; n])),
        ("kind", strings(&vec!["deported"; n])),
        ("count", Arc::new(Int64Array::from(counts)) as ArrayRef),
        ("source", strings(&vec!["IOM DTM"; n])),
    ])
    .unwrap();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_size(3_000)
        .build();
    let mut bytes = Vec::new();
    let mut w = ArrowWriter::try_new(&mut bytes, batch.schema(), Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let (ds, rejections) = lenient_parquet(Table::Deportations, "d.parquet", &bytes);
    assert_eq!(ds.len(Table::Deportations), n - 1);
    assert_eq!(
        rejections,
        ["d.parquet:17000: column \"count\": \"-1\" is not a count (expected a non-negative \
          integer, digits only)"]
    );
}

#[test]
fn a_large_file_parsed_on_two_threads_keeps_every_row_and_rejection_in_order() {
    // 150,000 rows: decoded in batches of 65,536, each parsed in two pieces
    // at once. Every 1000th row names an unknown country; now and then a
    // row repeats the one before it.
    let (origins, hosts) = (["AFG", "SYR", "IRQ", "SOM"], ["PAK", "IRN"]);
    let base = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let country_problem = refugee_data::Country::parse("Atlantis").unwrap_err().problem();
    let mut cols: [Vec<String>; 5] = Default::default();
    let mut counts = Vec::new();
    let (mut want, mut sum) = (Vec::new(), 0u64);
    let mut last_good = false;
    for i in 0..150_000usize {
        let row = i + 1;
        let file = "deportations.parquet";
        if i % 997 == 500 && last_good {
            for c in cols.iter_mut() {
                let previous = c[i - 1].clone();
                c.push(previous);
            }
            counts.push(counts[i - 1]);
            want.push(format!(
                "{file}:{row}: duplicate of line {} (same date, period_start, origin, host, \
                 kind, crossing and source)",
                row - 1
            ));
            last_good = false;
            continue;
        }
        let mut origin = origins[i % 4];
        last_good = i % 1000 != 999;
        if !last_good {
            origin = "Atlantis";
            want.push(format!("{file}:{row}: column \"origin\": \"Atlantis\" {country_problem}"));
        } else {
            sum += i as u64;
        }
        let date = base + chrono::Duration::days((i / 8) as i64);
        let values = [date.to_string(), origin.into(), hosts[i / 4 % 2].into(), "deported".into()];
        for (c, v) in cols.iter_mut().zip(values) {
            c.push(v);
        }
        cols[4].push("IOM".into());
        counts.push(i as u64);
    }
    let column = |c: &Vec<String>| -> ArrayRef {
        Arc::new(StringArray::from(c.iter().map(String::as_str).collect::<Vec<_>>()))
    };
    let batch = RecordBatch::try_from_iter([
        ("date", column(&cols[0])),
        ("origin", column(&cols[1])),
        ("host", column(&cols[2])),
        ("kind", column(&cols[3])),
        ("count", Arc::new(UInt64Array::from(counts)) as ArrayRef),
        ("source", column(&cols[4])),
    ])
    .unwrap();
    let bytes = parquet_of(&batch);
    let (ds, rejections) = lenient_parquet(Table::Deportations, "deportations.parquet", &bytes);
    assert!(want.len() > 250, "{}", want.len());
    assert_eq!(rejections, want);
    assert_eq!(ds.len(Table::Deportations), 150_000 - want.len());
    assert_eq!(ds.deportations().map(|d| d.count).sum::<u64>(), sum);
    // The rows keep their order.
    let dates: Vec<_> = ds.deportations().map(|d| d.date).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));
    // Strictly, the first rejection is the error.
    let err = Loader::new()
        .read_parquet(Table::Deportations, "deportations.parquet", bytes.as_slice())
        .unwrap_err();
    assert_eq!(err.to_string(), want[0]);
}

#[test]
fn dictionary_columns_check_every_row_as_a_string_column_does() {
    // Each distinct value of a dictionary is parsed once per batch and
    // remembered; the rows must come out exactly as from plain strings: a
    // bad value is a rejection on each row that has it (with that row's
    // number), a null is an empty field, and a column whose dictionary
    // has no values (all null) is all empty.
    let origins = [Some("AFG"), Some("Atlantis"), None, Some("afg"), Some("Atlantis"), Some("SYR")];
    let crossings: [Option<&str>; 6] = [None; 6];
    let sources = [Some("IOM DTM"); 6];
    let dict = |values: &[Option<&str>]| -> ArrayRef {
        let mut b = StringDictionaryBuilder::<Int8Type>::new();
        for v in values {
            b.append_option(*v);
        }
        Arc::new(b.finish())
    };
    let plain =
        |values: &[Option<&str>]| -> ArrayRef { Arc::new(StringArray::from(values.to_vec())) };
    let dates: Vec<String> = (1..=6).map(|d| format!("2023-11-{d:02}")).collect();
    let dates: Vec<&str> = dates.iter().map(String::as_str).collect();
    // The batch with its string columns made by `strs`.
    let batch_of = |strs: &dyn Fn(&[Option<&str>]) -> ArrayRef| {
        RecordBatch::try_from_iter([
            ("date", strings(&dates)),
            ("origin", strs(&origins)),
            ("host", strs(&[Some("PAK"); 6])),
            ("kind", strs(&[Some("deported"); 6])),
            ("count", Arc::new(UInt64Array::from(vec![1, 2, 3, 4, 5, 6])) as ArrayRef),
            ("crossing", strs(&crossings)),
            ("source", strs(&sources)),
        ])
        .unwrap()
    };
    let batch = batch_of(&dict);
    let country_problem = refugee_data::Country::parse("Atlantis").unwrap_err().problem();
    let want_rejections = [
        format!("d.arrow:2: column \"origin\": \"Atlantis\" {country_problem}"),
        "d.arrow:3: column \"origin\": is empty (a value is required)".to_string(),
        format!("d.arrow:5: column \"origin\": \"Atlantis\" {country_problem}"),
    ];
    let mut loader = Loader::new().lenient(true);
    loader.read_arrow(Table::Deportations, "d.arrow", [&batch]).unwrap();
    let (ds, report) = loader.finish();
    let got: Vec<String> = report.rejections().iter().map(|r| r.to_string()).collect();
    assert_eq!(got, want_rejections);
    let rows: Vec<String> = ds
        .deportations()
        .map(|d| format!("{} {} {:?} {}", d.origin, d.count, d.crossing, d.source))
        .collect();
    assert_eq!(rows, ["AFG 1 None IOM DTM", "AFG 4 None IOM DTM", "SYR 6 None IOM DTM"]);

    // The same rows written as plain strings to Parquet (read back as
    // dictionaries) give the same rows and rejections.
    let batch = batch_of(&plain);
    let (back, rejections) = lenient_parquet(Table::Deportations, "d.arrow", &parquet_of(&batch));
    assert_eq!(rejections, want_rejections);
    assert!(back.deportations().eq(ds.deportations()));
}

#[test]
fn string_columns_written_without_dictionaries_load_the_same() {
    // Parquet writers may store strings plainly (dictionaries disabled, or
    // given up for a column of many distinct values); the reader asks for
    // dictionaries either way and must give the same rows and rejections.
    let ds = load_csv(Table::Deportations, &gen::deportations_csv(3_000, 11));
    let mut bytes = Vec::new();
    ds.write_parquet(Table::Deportations, &mut bytes).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        bytes::Bytes::from(bytes),
    )
    .unwrap()
    .build()
    .unwrap();
    let batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_dictionary_enabled(false)
        .build();
    let mut plain = Vec::new();
    let mut w = ArrowWriter::try_new(&mut plain, batches[0].schema(), Some(props)).unwrap();
    for b in &batches {
        w.write(b).unwrap();
    }
    let meta = w.close().unwrap();
    // No column chunk has a dictionary page.
    assert!(meta
        .row_groups
        .iter()
        .flat_map(|g| &g.columns)
        .all(|c| c.meta_data.as_ref().is_some_and(|m| m.dictionary_page_offset.is_none())));
    let (back, rejections) = lenient_parquet(Table::Deportations, "d.parquet", &plain);
    assert!(rejections.is_empty(), "{rejections:?}");
    assert_eq!(back.len(Table::Deportations), 3_000);
    assert!(back.deportations().eq(ds.deportations()));
}
