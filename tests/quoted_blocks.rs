//! Files with quoted fields are cut into blocks at record ends (an even
//! number of quotes before the cut) and parsed on two threads: records,
//! rejections and their lines must be exactly what the `csv` crate reads
//! from the whole file, record by record, including fields that span lines,
//! escaped quotes, and stray quotes inside unquoted fields (which make the
//! quote count lie and send the rest of the file down the sequential path).

use refugee_data::{Loader, Table};

/// One generated row's source field, as written in the file.
fn source_field(i: usize, stray_at: Option<usize>) -> String {
    if Some(i) == stray_at {
        return format!("UN\"HCR {i}");
    }
    match i % 6 {
        0 => format!("UNHCR {i}"),
        1 => format!("\"UNHCR, Pakistan {i}\""),
        2 => format!("\"multi\nline \"\"{i}\"\"\""),
        3 => format!("\"\"\"{i}\"\"\""),
        4 => format!("\"a,\"\"b\"\"\n,c {i}\""),
        _ => format!("plain {i}"),
    }
}

fn file(rows: usize, stray_at: Option<usize>) -> String {
    let mut csv = String::from("date,origin,host,population,count,source\n");
    for i in 0..rows {
        let count = if i % 997 == 5 { "x".to_string() } else { i.to_string() };
        let host = ["PAK", "IRN", "TUR"][i % 3];
        csv.push_str(&format!(
            "2023-12-31,AFG,{host},refugees,{count},{}\n",
            source_field(i, stray_at)
        ));
    }
    csv
}

/// What the csv crate reads: (line, count field, source) per record.
fn reference(csv: &str) -> Vec<(u64, String, String)> {
    let mut rdr = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let line = rec.position().unwrap().line();
        out.push((line, rec[4].to_string(), rec[5].to_string()));
    }
    out
}

fn check(csv: &str) {
    assert!(csv.len() > 12 << 20, "the file spans several 4 MiB blocks");
    let mut loader = Loader::new().lenient(true);
    loader.read(Table::Registrations, "registrations.csv", csv.as_bytes()).unwrap();
    let (ds, report) = loader.finish();
    let expected = reference(csv);
    let loaded: Vec<(u64, String)> =
        ds.registrations().map(|r| (r.count, r.source.as_str().to_string())).collect();
    let want_loaded: Vec<(u64, String)> = expected
        .iter()
        .filter_map(|(_, count, source)| count.parse().ok().map(|c| (c, source.clone())))
        .collect();
    assert_eq!(loaded.len(), want_loaded.len());
    assert!(loaded == want_loaded, "records differ from the csv crate's");
    let lines: Vec<u64> = report.rejections().iter().map(|r| r.line()).collect();
    let want_lines: Vec<u64> =
        expected.iter().filter(|(_, count, _)| count == "x").map(|(line, _, _)| *line).collect();
    assert_eq!(lines, want_lines);
    assert_eq!(report.rows_read(Table::Registrations), expected.len() as u64);
}

#[test]
fn quoted_fields_spanning_lines_load_as_the_csv_crate_reads_them() {
    check(&file(260_000, None));
}

#[test]
fn a_stray_quote_in_an_unquoted_field_falls_back_without_losing_a_row() {
    // The stray quote sits in the second block: the first is parsed in
    // parallel, the cut after the stray quote is found inside a quoted field.
    check(&file(260_000, Some(100_003)));
}
