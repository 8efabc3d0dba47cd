//! The source adapters on small real excerpts (tests/fixtures, see its
//! README): exact records, rejections with positions, the closing-zero rule,
//! mid-year dates, the orientation of returns, HXL detection and tag
//! matching; and the `import` command.

use std::path::{Path, PathBuf};
use std::process::Command;

use refugee_data::{
    import_hxl, import_unhcr, Dataset, Dimension, Error, HxlMapping, HxlParts, HxlTarget,
    ImportReport, LoadReport, Loader, PopulationType, Query, ReturnKind, Table, UnhcrOptions,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

/// Imports `text` as UNHCR data into a lenient loader.
fn unhcr(file: &str, text: &str, options: &UnhcrOptions) -> (Dataset, LoadReport, ImportReport) {
    let mut loader = Loader::new().lenient(true);
    let report = import_unhcr(&mut loader, file, text.as_bytes(), options).unwrap();
    let (ds, load) = loader.finish();
    for t in Table::ALL {
        assert_eq!(
            load.loaded(t) + load.rejected(t),
            load.rows_read(t),
            "loaded + rejected = read"
        );
        assert_eq!(load.loaded(t) as usize, ds.len(t));
    }
    (ds, load, report)
}

fn csv_of(ds: &Dataset, table: Table) -> String {
    let mut out = Vec::new();
    ds.write_csv(table, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn messages(load: &LoadReport) -> Vec<String> {
    load.rejections().iter().map(|r| r.to_string()).collect()
}

const HEADER: &str = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,\
                      returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n";

#[test]
fn population_excerpt_gives_exactly_the_expected_records() {
    let (ds, load, report) =
        unhcr("population.csv", &read("unhcr_population_excerpt.csv"), &UnhcrOptions::new());
    assert!(load.is_clean(), "{:?}", messages(&load));
    assert!(load.warnings().is_empty(), "{:?}", load.warnings());
    assert_eq!(report.layout(), "UNHCR API / R package");
    assert_eq!(report.rows_read(), 15);
    assert_eq!(report.registrations(), 98); // 91 published values and 7 closing zeros
    assert_eq!(report.closing_zeros(), 7);
    assert_eq!(report.deportations(), 16); // 15 returned refugees, 1 returned IDPs
    assert_eq!((report.rows_rejected(), report.rows_skipped(), report.duplicates()), (0, 0, 0));
    assert!(report.skipped_columns().is_empty());
    assert_eq!(
        csv_of(&ds, Table::Registrations),
        read("expected/unhcr_population_excerpt.registrations.csv")
    );
    assert_eq!(
        csv_of(&ds, Table::Deportations),
        read("expected/unhcr_population_excerpt.deportations.csv")
    );
    // UNHCR's own codes, resolved as UNHCR's countries table says.
    let hosts: Vec<(String, String)> = ds
        .registrations()
        .filter(|r| r.population == PopulationType::Refugees && r.date.to_string() == "2023-12-31")
        .map(|r| (r.origin.alpha3().to_string(), r.host.alpha3().to_string()))
        .collect();
    for pair in [("IRN", "AUS"), ("AFG", "AUT"), ("AFG", "DEU"), ("CIV", "LBR"), ("TIB", "NPL")] {
        assert!(hosts.contains(&(pair.0.into(), pair.1.into())), "{pair:?} in {hosts:?}");
    }
}

#[test]
fn closing_zeros_end_series_that_vanish_from_a_complete_table() {
    let text = format!(
        "{HEADER}\
         2022,Afghanistan,AFG,AFG,Bangladesh,BGD,BGD,5,0,0,0,0,0,0,,0\n\
         2022,Venezuela (Bolivarian Republic of),VEN,VEN,Cayman Islands,CAY,CYM,0,0,0,0,0,0,0,92,0\n\
         2023,Venezuela (Bolivarian Republic of),VEN,VEN,Cayman Islands,CAY,CYM,0,0,0,0,0,0,144,,0\n\
         2023,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,1987717,61451,56797,0,0,0,49,,0\n"
    );
    let (ds, load, report) = unhcr("p.csv", &text, &UnhcrOptions::new());
    assert!(load.is_clean());
    // BGD: no row in 2023, 6 series close; CYM: oip empty in 2023, 1 series
    // closes; PAK 2023: the table does not cover 2024, nothing closes.
    assert_eq!(report.closing_zeros(), 7);
    let zeros: Vec<String> = ds
        .registrations()
        .filter(|r| r.count == 0 && r.date.to_string() == "2023-12-31")
        .filter(|r| r.host.alpha3() == "BGD" || r.population == PopulationType::OthersInNeed)
        .map(|r| format!("{} {} {}", r.origin, r.host, r.population))
        .collect();
    assert_eq!(
        zeros,
        [
            "AFG BGD refugees",
            "AFG BGD asylum_seekers",
            "AFG BGD others_of_concern",
            "AFG BGD stateless",
            "AFG BGD idps",
            "AFG BGD host_community",
            "VEN CYM others_in_need",
        ]
    );
    // The zero stops an as-of snapshot from carrying the 2022 figure forward.
    let q = Query::registrations()
        .filter(Dimension::Origin, ["AFG"])
        .filter(Dimension::Host, ["BGD"])
        .filter(Dimension::Population, ["refugees"])
        .as_of("2023-12-31".parse().unwrap());
    assert_eq!(ds.query(&q).unwrap().rows().next().unwrap().value(0), 0);
    let q = q.as_of("2022-12-31".parse().unwrap());
    assert_eq!(ds.query(&q).unwrap().rows().next().unwrap().value(0), 5);
}

#[test]
fn a_mid_year_release_is_dated_30_june() {
    let text = read("unhcr_midyear_2023_excerpt.csv");
    let (ds, load, report) = unhcr("midyear.csv", &text, &UnhcrOptions::new().mid_year(true));
    assert!(load.is_clean());
    assert_eq!(report.closing_zeros(), 12); // BGD and MNE are not in the mid-2023 table
    assert_eq!(
        csv_of(&ds, Table::Registrations),
        read("expected/unhcr_midyear_2023_excerpt.registrations.csv")
    );
    assert_eq!(
        csv_of(&ds, Table::Deportations),
        read("expected/unhcr_midyear_2023_excerpt.deportations.csv")
    );
    let pak = ds
        .registrations()
        .find(|r| {
            r.host.alpha3() == "PAK"
                && r.population == PopulationType::Refugees
                && r.date.to_string() == "2023-06-30"
        })
        .unwrap();
    assert_eq!(pak.count, 2_079_989);

    // Only the mid-year records, for a dataset that has the year-end table.
    let options = UnhcrOptions::new().mid_year(true).years(2023..=2023);
    let (ds, _, report) = unhcr("midyear.csv", &text, &options);
    assert_eq!(report.rows_skipped(), 4);
    assert_eq!(report.registrations(), 24); // 2 rows x 6 values, 12 closing zeros
    assert!(ds.registrations().all(|r| r.date.to_string() == "2023-06-30"));
    let d: Vec<String> =
        ds.deportations().map(|d| format!("{}..{} {}", d.first_day(), d.date, d.count)).collect();
    assert_eq!(d, ["2023-01-01..2023-06-30 303", "2023-01-01..2023-06-30 5681"]);
}

#[test]
fn returns_go_from_the_former_host_to_the_origin() {
    let (ds, load, report) =
        unhcr("solutions.csv", &read("unhcr_solutions_excerpt.csv"), &UnhcrOptions::new());
    assert!(load.is_clean());
    assert_eq!(report.skipped_columns(), ["resettlement", "naturalisation"]);
    assert_eq!(report.registrations(), 0);
    assert_eq!(
        csv_of(&ds, Table::Deportations),
        read("expected/unhcr_solutions_excerpt.deportations.csv")
    );
    let pak = ds.deportations().find(|d| d.host.alpha3() == "PAK").unwrap();
    assert_eq!((pak.origin.alpha3(), pak.kind, pak.count), ("AFG", ReturnKind::Returned, 56_797));
    assert_eq!(pak.source, "UNHCR");
    // Returned IDPs stay in their country, under their own source.
    let idps: Vec<String> = ds
        .deportations()
        .filter(|d| d.origin == d.host)
        .map(|d| format!("{} {} {}", d.origin, d.count, d.source))
        .collect();
    assert_eq!(idps, ["AFG 31605 UNHCR (returned IDPs)", "CAF 325938 UNHCR (returned IDPs)"]);
    assert_eq!(
        report.to_string(),
        "solutions.csv (UNHCR API / R package layout): 6 rows read, 0 rejected; 0 \
         registrations, 4 deportation events; skipped columns: resettlement, naturalisation"
    );
}

#[test]
fn refugee_data_finder_download_with_metadata_lines_and_human_headers() {
    let (ds, load, report) = unhcr(
        "refugee_data_finder.csv",
        &read("refugee_data_finder_excerpt.csv"),
        &UnhcrOptions::new(),
    );
    assert!(load.is_clean(), "{:?}", messages(&load));
    assert!(load.warnings().is_empty(), "{:?}", load.warnings());
    assert_eq!(report.layout(), "UNHCR Refugee Data Finder download");
    assert_eq!(report.rows_read(), 9);
    assert_eq!(
        csv_of(&ds, Table::Registrations),
        "date,origin,host,population,count,source,reference\n\
         2014-12-31,AFG,AFG,refugees,0,UNHCR,\n\
         2014-12-31,AFG,AFG,idps,805409,UNHCR,\n\
         2014-12-31,IRN,AFG,refugees,36,UNHCR,\n\
         2014-12-31,IRN,AFG,idps,0,UNHCR,\n\
         2014-12-31,PAK,AFG,refugees,300385,UNHCR,\n\
         2014-12-31,PAK,AFG,idps,0,UNHCR,\n\
         2014-12-31,SRB,ALB,refugees,64,UNHCR,\n\
         2014-12-31,SRB,ALB,idps,0,UNHCR,\n\
         2014-12-31,XXX,ARG,refugees,550,UNHCR,\n\
         2014-12-31,XXX,ARG,idps,0,UNHCR,\n\
         2014-12-31,XXX,AUS,refugees,24,UNHCR,\n\
         2014-12-31,XXX,AUS,idps,0,UNHCR,\n\
         2019-12-31,XXX,DEU,refugees,34397,UNHCR,\n\
         2019-12-31,XXX,DEU,idps,0,UNHCR,\n\
         2019-12-31,AFG,PAK,refugees,1419084,UNHCR,\n\
         2019-12-31,AFG,PAK,idps,0,UNHCR,\n\
         2019-12-31,COL,CUW,refugees,28,UNHCR,\n\
         2019-12-31,COL,CUW,idps,0,UNHCR,\n"
    );
    // A bad value is placed on its physical line (the header is line 15).
    let text = read("refugee_data_finder_excerpt.csv").replace("300385", "\"300,385\"");
    let (_, load, _) = unhcr("refugee_data_finder.csv", &text, &UnhcrOptions::new());
    assert_eq!(
        messages(&load),
        [
            r#"refugee_data_finder.csv:18: column "Refugees under UNHCR’s mandate": "300,385" is not a count (expected a non-negative integer, digits only)"#
        ]
    );
}

#[test]
fn the_hdx_copy_has_an_hxl_row_under_the_header() {
    // The layout of UNHCR's files on HDX (constructed here from two rows of
    // population.csv; no such file is among the shared data).
    let text = "Year,Country of Origin Code,Country of Asylum Code,Country of Origin Name,\
                Country of Asylum Name,Refugees,Asylum-seekers,Stateless persons\n\
                #date+year,#country+code+origin,#country+code+asylum,#country+name+origin,\
                #country+name+asylum,#affected+refugees,#affected+asylum_seekers,#affected+stateless\n\
                2023,AFG,DEU,Afghanistan,Germany,255077,44781,0\n\
                2023,AFG,AUT,Afghanistan,Austria,41456,4723,-\n";
    let (ds, load, report) = unhcr("hdx.csv", text, &UnhcrOptions::new());
    assert!(load.is_clean());
    assert_eq!(report.layout(), "UNHCR HDX copy with HXL hashtags");
    assert_eq!(report.rows_read(), 2);
    assert_eq!(
        csv_of(&ds, Table::Registrations),
        "date,origin,host,population,count,source,reference\n\
         2023-12-31,AFG,DEU,refugees,255077,UNHCR,\n\
         2023-12-31,AFG,DEU,asylum_seekers,44781,UNHCR,\n\
         2023-12-31,AFG,DEU,stateless,0,UNHCR,\n\
         2023-12-31,AFG,AUT,refugees,41456,UNHCR,\n\
         2023-12-31,AFG,AUT,asylum_seekers,4723,UNHCR,\n"
    );
    // A code that is no ISO code is caught by the name beside it: AUS is
    // Australia in ISO (and Austria in UNHCR's own codes).
    let swapped = text.replace("AFG,AUT,Afghanistan", "AFG,AUS,Afghanistan");
    let (_, load, _) = unhcr("hdx.csv", &swapped, &UnhcrOptions::new());
    assert_eq!(
        messages(&load),
        [
            r#"hdx.csv:4: column "Country of Asylum Name": "Austria" is Austria (AUT), which disagrees with Country of Asylum Code "AUS" (Australia, AUS)"#
        ]
    );
}

#[test]
fn unhcr_and_iso_codes_must_agree() {
    let text = format!(
        "{HEADER}\
         2023,Afghanistan,AFG,AFG,Switzerland,SWI,DEU,20319,2843,0,0,0,0,0,,0\n\
         2023,Afghanistan,AFG,AFG,Switzerland,SWI,CHE,20319,2843,0,0,0,0,0,,0\n\
         2023,Afghanistan,AFG,AFG,Austria,AUS,AUS,41456,4723,0,0,0,0,0,,0\n"
    );
    let err =
        import_unhcr(&mut Loader::new(), "population.csv", text.as_bytes(), &UnhcrOptions::new())
            .unwrap_err();
    assert!(matches!(err, Error::Rejected(_)));
    assert_eq!(
        err.to_string(),
        r#"population.csv:2: column "coa_iso": "DEU" disagrees with coa "SWI" (Switzerland, CHE)"#
    );
    let (ds, load, report) = unhcr("population.csv", &text, &UnhcrOptions::new());
    assert_eq!(
        messages(&load),
        [
            r#"population.csv:2: column "coa_iso": "DEU" disagrees with coa "SWI" (Switzerland, CHE)"#,
            r#"population.csv:4: column "coa_iso": "AUS" disagrees with coa "AUS" (Austria, AUT)"#,
        ]
    );
    assert_eq!(report.rows_rejected(), 2);
    assert_eq!(load.rejected(Table::Registrations), 2);
    assert!(ds.registrations().all(|r| r.host.alpha3() == "CHE"));
}

#[test]
fn rejections_name_the_file_the_physical_line_the_column_and_the_value() {
    // CRLF line ends, a blank line, and a quoted name across two lines.
    let text = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,returned_idps\r\n\
                2023,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,1987717,0\r\n\
                \r\n\
                23,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,1,0\r\n\
                2023,\"Iran (Islamic\r\nRep. of)\",IRN,IRN,Germany,GFR,DEU,5,0\r\n\
                2023,Afghanistan,XYZ,AFG,Iran (Islamic Rep. of),IRN,IRN,3752317,0\r\n\
                2023,Afghanistan,AFG,AFG,Iran (Islamic Rep. of),IRN,IRN,+5,0\r\n\
                2023,Afghanistan,AFG,AFG,Turkey,TUR,TUR,18446744073709551616,0\r\n\
                2023,Afghanistan,AFG,AFG,Austria,AUS,AUT,5\r\n\
                2023,Afghanistan,AFG,AFG,Germany,GFR,DEU,255077,12\r\n\
                2023,Pakistn,,,Germany,GFR,DEU,1,0\r\n\
                2023,Afghanistan,AFG,AFG,Pakistan,PAK,PAK,1987717,0\r\n";
    let (ds, load, report) = unhcr("population.csv", text, &UnhcrOptions::new());
    assert_eq!(
        messages(&load),
        [
            r#"population.csv:4: column "year": "23" is not a year (expected YYYY, 1900 to 2100)"#,
            r#"population.csv:7: column "coo": "XYZ" is not a known UNHCR country code (expected a code of UNHCR's countries table, e.g. GFR for Germany)"#,
            r#"population.csv:8: column "refugees": "+5" is not a count (expected a non-negative integer, digits only)"#,
            r#"population.csv:9: column "refugees": "18446744073709551616" is too large for a count (expected at most 18446744073709551615)"#,
            "population.csv:10: row has 8 fields, expected 9 (as in the header)",
            r#"population.csv:11: column "returned_idps": "12" is a count of returned IDPs on a row whose country of asylum (DEU) is not the origin (AFG); returned IDPs go home inside their own country"#,
            r#"population.csv:12: column "coo_name": "Pakistn" is not a known country (did you mean Pakistan (PAK)?)"#,
            "population.csv:13: duplicate of line 2 (same date, origin, host, population and source)",
        ]
    );
    assert_eq!(report.rows_read(), 10); // the blank line is no row
    assert_eq!(report.rows_rejected(), 7);
    assert_eq!(report.duplicates(), 1);
    // The Iranian row with a name across two lines loaded, as did line 2.
    let loaded: Vec<String> =
        ds.registrations().map(|r| format!("{} {} {}", r.origin, r.host, r.count)).collect();
    assert_eq!(loaded, ["AFG PAK 1987717", "IRN DEU 5"]);
}

#[test]
fn unknown_names_beside_codes_and_unknown_columns_are_warnings() {
    let text = "year,coo_name,coo_iso,coa_name,coa_iso,refugees,notes\n\
                2023,Afghanistann,AFG,Pakistan,PAK,1987717,x\n\
                2023,Afghanistann,AFG,Iran (Islamic Rep. of),IRN,3752317,\n";
    let (ds, load, _) = unhcr("p.csv", text, &UnhcrOptions::new());
    assert!(load.is_clean());
    assert_eq!(ds.len(Table::Registrations), 2);
    assert_eq!(
        load.warnings(),
        [
            "p.csv:1: unknown column ignored: \"notes\"",
            "p.csv: country names not recognised (the codes beside them were used): \
             \"Afghanistann\" (line 2)",
        ]
    );
}

#[test]
fn importing_twice_refuses_every_record_as_a_duplicate_of_the_earlier_file() {
    let text = read("unhcr_solutions_excerpt.csv");
    let mut loader = Loader::new().lenient(true);
    import_unhcr(&mut loader, "a.csv", text.as_bytes(), &UnhcrOptions::new()).unwrap();
    let report = import_unhcr(&mut loader, "b.csv", text.as_bytes(), &UnhcrOptions::new()).unwrap();
    assert_eq!((report.deportations(), report.duplicates()), (0, 4));
    let (ds, load) = loader.finish();
    assert_eq!(ds.len(Table::Deportations), 4);
    assert_eq!(
        load.rejections()[0].to_string(),
        "b.csv:2: duplicate of a.csv:2 (same date, period_start, origin, host, kind, crossing \
         and source)"
    );
}

#[test]
fn a_file_without_a_unhcr_header_is_an_error() {
    let err = import_unhcr(
        &mut Loader::new(),
        "x.csv",
        "date,origin,host\n2023-12-31,AFG,PAK\n".as_bytes(),
        &UnhcrOptions::new(),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("x.csv:1: no UNHCR header in the first 25 rows"), "{err}");
    let err = import_unhcr(
        &mut Loader::new(),
        "x.csv",
        "note\nyear,coo_iso,refugees\n".as_bytes(),
        &UnhcrOptions::new(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "x.csv:2: the header has no country of asylum column (expected coa, coa_iso or \
         coa_name, or \"Country of asylum\" or \"Country of asylum (ISO)\"); header: \
         year,coo_iso,refugees"
    );
}

// ---------------------------------------------------------------- HXL

fn dtm_mapping() -> HxlMapping {
    HxlMapping::new("IOM DTM")
        .filter("#adm+level", "0")
        .filter("#assessment+type", "BA")
        .parts(HxlParts::Total)
        .sum_rows(true)
}

fn hxl(file: &str, text: &str, mapping: &HxlMapping) -> (Dataset, LoadReport, ImportReport) {
    let mut loader = Loader::new().lenient(true);
    let report = import_hxl(&mut loader, file, text.as_bytes(), mapping).unwrap();
    let (ds, load) = loader.finish();
    for t in Table::ALL {
        assert_eq!(load.loaded(t) + load.rejected(t), load.rows_read(t));
    }
    (ds, load, report)
}

#[test]
fn iom_dtm_national_totals_from_the_hxl_file() {
    let text = read("iom_dtm_idps_excerpt_hxl.csv");
    let (ds, load, report) = hxl("dtm.csv", &text, &dtm_mapping());
    assert!(load.is_clean(), "{:?}", messages(&load));
    assert_eq!(report.layout(), "HXL");
    assert_eq!(report.rows_read(), 10); // the header and the hashtag row not counted
    assert_eq!(report.rows_skipped(), 4); // 2 province rows, 2 site assessments
    assert_eq!(report.rows_merged(), 3); // 3 rows added into the first of their date
    assert_eq!(
        csv_of(&ds, Table::Registrations),
        "date,origin,host,population,count,source,reference\n\
         2017-03-30,AFG,AFG,idps,246362,IOM DTM,\n\
         2017-06-30,AFG,AFG,idps,945182,IOM DTM,\n\
         2017-09-30,TCD,TCD,idps,147032,IOM DTM,\n"
    );
    assert!(report.skipped_columns().contains(&"#affected+idps+m".to_string()));
    assert!(!report.skipped_columns().contains(&"#affected+idps".to_string()));
}

#[test]
fn several_columns_for_one_measure_need_a_choice() {
    let text = read("iom_dtm_idps_excerpt_hxl.csv");
    let mapping = HxlMapping::new("IOM DTM").filter("#adm+level", "0");
    let err = import_hxl(&mut Loader::new(), "dtm.csv", text.as_bytes(), &mapping).unwrap_err();
    assert_eq!(
        err.to_string(),
        "dtm.csv:2: measure idps: #affected+idps-returnees-hh matches 3 columns: \
         numPresentIdpInd (#affected+idps), numberMales (#affected+idps+m), numberFemales \
         (#affected+idps+f); say whether to take the total column (HxlParts::Total, --parts \
         total: the column without extra attributes) or to add the parts (HxlParts::Sum, \
         --parts sum: the columns with extra attributes)"
    );
    // Adding the parts: the Haiti row has them (509,533 + 559,349); rows
    // without parts give nothing.
    let mapping = HxlMapping::new("IOM DTM").filter("#adm+level", "0").parts(HxlParts::Sum);
    let (ds, load, _) = hxl("dtm.csv", &text, &mapping);
    assert!(load.is_clean());
    let r: Vec<String> =
        ds.registrations().map(|r| format!("{} {} {}", r.date, r.origin, r.count)).collect();
    assert_eq!(r, ["2010-11-30 HTI 1068882"]);
}

#[test]
fn rows_with_one_key_are_duplicates_unless_summed() {
    let text = read("iom_dtm_idps_excerpt_hxl.csv");
    let mapping = HxlMapping::new("IOM DTM").filter("#adm+level", "0").parts(HxlParts::Total);
    let (ds, load, report) = hxl("dtm.csv", &text, &mapping);
    assert_eq!(
        messages(&load),
        [
            "dtm.csv:4: duplicate of line 3 (same date, origin, host, population and source)",
            "dtm.csv:5: duplicate of line 3 (same date, origin, host, population and source)",
            "dtm.csv:7: duplicate of line 6 (same date, origin, host, population and source)",
            "dtm.csv:11: duplicate of line 10 (same date, origin, host, population and source)",
        ]
    );
    assert_eq!((report.registrations(), report.duplicates()), (4, 4));
    assert_eq!(ds.registrations().next().unwrap().count, 179_956);
}

#[test]
fn hxl_rejections_have_positions() {
    let text = "Notes: figures by province\r\n\
                \r\n\
                Date,Origin,Asylum,Returnees\r\n\
                #date,#country+code+origin,#country+code+asylum,#affected+returnees\r\n\
                2023-11-01,AFG,PAK,17000\r\n\
                01/11/2023,AFG,PAK,5\r\n\
                2023-11-02,AFG,Pakistn,5\r\n\
                2023-11-03,AFG,PAK,1.5\r\n\
                2023-11,AFG,IRN,25000\r\n\
                2023-11-04,AFG,PAK,\r\n";
    let (ds, load, report) = hxl("returns.csv", text, &HxlMapping::new("IOM"));
    assert_eq!(
        messages(&load),
        [
            r#"returns.csv:6: column "Date": "01/11/2023" is not a date (expected YYYY-MM-DD, optionally with a time, YYYY-MM or YYYY)"#,
            r#"returns.csv:7: column "Asylum": "Pakistn" is not a known country (did you mean Pakistan (PAK)?)"#,
            r#"returns.csv:8: column "Returnees": "1.5" is not a count (expected a non-negative integer, digits only)"#,
        ]
    );
    assert_eq!((report.rows_read(), report.rows_rejected()), (6, 3));
    assert_eq!(load.rejected(Table::Deportations), 3);
    // A day is an event of that day; a month covers the month.
    let d: Vec<String> = ds
        .deportations()
        .map(|d| {
            let start = d.period_start.map_or(String::new(), |s| s.to_string());
            format!("{start}..{} {} {} {}", d.date, d.host, d.kind, d.count)
        })
        .collect();
    assert_eq!(d, ["..2023-11-01 PAK returned 17000", "2023-11-01..2023-11-30 IRN returned 25000"]);
}

#[test]
fn sums_are_checked_and_parts_must_all_have_values() {
    let text = "Country,Date,IDPs,Male,Female\n\
                #country+code,#date,#affected+idps,#affected+idps+m,#affected+idps+f\n\
                AFG,2023-01-01,18446744073709551615,,\n\
                AFG,2023-01-01,1,,\n\
                PAK,2023-01-01,,5,\n";
    let mapping = HxlMapping::new("X").parts(HxlParts::Total).sum_rows(true);
    let (ds, load, report) = hxl("idps.csv", text, &mapping);
    assert_eq!(
        messages(&load),
        [
            r#"idps.csv:4: column "IDPs": "1" makes the sum of the rows for 2023-01-01 AFG AFG idps overflow (more than 18446744073709551615)"#
        ]
    );
    assert_eq!((report.rows_rejected(), report.rows_merged()), (1, 0));
    assert_eq!(ds.registrations().next().unwrap().count, u64::MAX);
    let mapping = HxlMapping::new("X").parts(HxlParts::Sum);
    let (ds, load, _) = hxl("idps.csv", text, &mapping);
    assert_eq!(
        messages(&load),
        [
            r#"idps.csv:5: column "Female": "" is empty while "Male" has a value: the parts of a sum must all have values, or none"#
        ]
    );
    assert_eq!(ds.len(Table::Registrations), 0);
}

#[test]
fn a_user_mapping_reads_other_tags() {
    let text =
        "#date+year,#country+code+origin,#country+code+asylum,#population,#affected+refugees\n\
                2023,AFG,PAK,1987717,3\n";
    let mapping = HxlMapping::new("UNHCR")
        .measure("#population", HxlTarget::Registrations(PopulationType::Refugees));
    let (ds, load, report) = hxl("p.csv", text, &mapping);
    assert!(load.is_clean());
    assert_eq!(report.skipped_columns(), ["#affected+refugees"]);
    let r = ds.registrations().next().unwrap();
    assert_eq!((r.date.to_string(), r.count), ("2023-12-31".to_string(), 1_987_717));

    let idps = "#date,#country+code,#affected+idps\n2023-01-01,AFG,5\n";
    let refugees = |pattern: &str| {
        HxlMapping::new("X").measure(pattern, HxlTarget::Registrations(PopulationType::Refugees))
    };
    let err = import_hxl(&mut Loader::new(), "p.csv", idps.as_bytes(), &refugees("#affected+"))
        .unwrap_err();
    assert!(err.to_string().starts_with("p.csv:1: \"#affected+\" is not a tag pattern"), "{err}");
    // A measure whose pattern matches nothing gives nothing; the others still work.
    let (ds, _, _) = hxl("p.csv", idps, &refugees("#nothing"));
    let r = ds.registrations().next().unwrap();
    assert_eq!(
        (r.origin.alpha3(), r.host.alpha3(), r.population),
        ("AFG", "AFG", PopulationType::Idps)
    );
    let err =
        import_hxl(&mut Loader::new(), "p.csv", "a,b\n1,2\n".as_bytes(), &mapping).unwrap_err();
    assert!(err.to_string().starts_with("p.csv:1: no HXL hashtag row in the first 25 rows"));
    let err = import_hxl(&mut Loader::new(), "p.csv", text.as_bytes(), &HxlMapping::new(" "))
        .unwrap_err();
    assert!(err.to_string().starts_with("p.csv:1: an HXL import needs a source"), "{err}");
}

// ---------------------------------------------------------------- writing

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("refugee-data-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn the_sample_round_trips_through_write_dir() {
    let dir = temp_dir("round-trip");
    Dataset::sample().write_dir(&dir).unwrap();
    let back = Dataset::load_dir(&dir).unwrap();
    let sample = Dataset::sample();
    assert!(sample.registrations().eq(back.registrations()));
    assert!(sample.deportations().eq(back.deportations()));
    assert!(sample.statements().eq(back.statements()));
    assert_eq!(
        std::fs::read_to_string(dir.join("registrations.csv")).unwrap(),
        include_str!("../data/registrations.csv")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------- command line

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_refugee-data")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn import_command_writes_merges_and_answers_queries() {
    let dir = temp_dir("cli");
    let d = dir.to_str().unwrap();
    let population = fixture("unhcr_population_excerpt.csv");
    let population = population.to_str().unwrap();
    let (code, out, err) = cli(&["import", "unhcr", population, "--out", d]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "read 15 rows from {population} (UNHCR API / R package layout): 98 registrations \
             (7 closing zeros), 16 deportation events, 0 rejected\n\
             wrote {d}/registrations.csv (98 records), {d}/deportations.csv (16 records)\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("registrations.csv")).unwrap(),
        read("expected/unhcr_population_excerpt.registrations.csv")
    );

    // A second file merges into what the directory holds.
    let solutions = fixture("unhcr_solutions_excerpt.csv");
    let (code, out, err) = cli(&["import", "unhcr", solutions.to_str().unwrap(), "--out", d]);
    // Its returned refugees from IRN and PAK and the AFG returned IDPs are
    // already there: strict import refuses and writes nothing.
    assert_eq!(code, 1);
    assert!(err.contains("3 rejections (listed above); nothing written"), "{err}");
    assert_eq!(out.lines().filter(|l| l.contains(": duplicate of deportations.csv:")).count(), 3);
    assert_eq!(Dataset::load_dir(&dir).unwrap().len(Table::Deportations), 16);
    let (code, out, err) =
        cli(&["import", "unhcr", solutions.to_str().unwrap(), "--out", d, "--lenient"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("{d} already held 98 registrations, 16 deportations\n")),
        "{out}"
    );
    assert!(out.ends_with(&format!(
        "wrote {d}/registrations.csv (98 records), {d}/deportations.csv (17 records)\n"
    )));
    assert!(err.contains("warning: 3 rejections (listed above)"), "{err}");

    let (code, out, _) = cli(&[
        "query",
        "registrations",
        "--data",
        d,
        "--origin",
        "AFG",
        "--population",
        "refugees",
        "--by",
        "host",
        "--as-of",
        "2023-12-31",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "host,persons\nAFG,0\nAUT,41456\nBGD,0\nCHE,20319\nDEU,255077\nIRN,3752317\nPAK,1987717\n"
    );
    let (code, out, _) = cli(&["summary", "--data", d]);
    assert_eq!(code, 0);
    assert!(out.contains("registrations") && out.contains("98"), "{out}");

    // HXL, then the hashtag file's national totals in a query.
    let dtm = fixture("iom_dtm_idps_excerpt_hxl.csv");
    let (code, out, err) = cli(&[
        "import",
        "hxl",
        dtm.to_str().unwrap(),
        "--out",
        d,
        "--source",
        "IOM DTM",
        "--where",
        "#adm+level=0,#assessment+type=BA",
        "--parts",
        "total",
        "--sum-rows",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("3 registrations, 0 deportation events, 0 rejected, 4 rows not selected, 3 rows added into earlier records"), "{out}");
    let (_, out, _) = cli(&[
        "query",
        "registrations",
        "--data",
        d,
        "--source",
        "IOM DTM",
        "--by",
        "month,origin",
        "--format",
        "csv",
    ]);
    assert_eq!(
        out,
        "month,origin,persons\n2017-03,AFG,246362\n2017-06,AFG,945182\n2017-09,TCD,147032\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn import_command_usage_errors() {
    let (code, _, err) = cli(&["import", "unhcr", "x.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("import needs --out DIR"), "{err}");
    let (code, _, err) = cli(&["import", "hxl", "x.csv", "--out", "d"]);
    assert_eq!(code, 2);
    assert!(err.contains("an hxl import needs --source TEXT"), "{err}");
    let (code, _, err) = cli(&["import", "csv", "x.csv", "--out", "d"]);
    assert_eq!(code, 2);
    assert!(err.contains("\"csv\" is not an import kind (expected unhcr or hxl)"), "{err}");
    let (code, _, err) = cli(&["import", "unhcr", "x.csv", "--out", "d", "--years", "2025-2000"]);
    assert_eq!(code, 2);
    assert!(err.contains("--years: \"2025-2000\" is not a year or a range"), "{err}");
    let (code, _, err) = cli(&[
        "import",
        "hxl",
        "x.csv",
        "--out",
        "d",
        "--source",
        "S",
        "--measure",
        "#population=people",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("\"people\" is neither a population type"), "{err}");
}
