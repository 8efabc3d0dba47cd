//! The source adapters on the whole shared files (`../shared/data` next to
//! the crate). Each test prints a note and passes when the files are not
//! there (the crate never depends on them at run time).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use refugee_data::{
    import_hxl, import_unhcr, Country, Dataset, Dimension, HxlMapping, HxlParts, ImportReport,
    Loader, PopulationType, Query, Table, UnhcrOptions,
};

/// `../shared/data/<rel>`, or `None` (with a note) when it is missing.
fn shared(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("note: {} not found; test skipped", path.display());
        None
    }
}

/// A CSV file read whole: its records, and its columns by name.
struct Csv {
    columns: HashMap<String, usize>,
    records: Vec<csv::StringRecord>,
}

impl Csv {
    fn read(path: &Path) -> Csv {
        let mut rdr = csv::Reader::from_path(path).unwrap();
        let columns =
            rdr.headers().unwrap().iter().enumerate().map(|(i, h)| (h.to_string(), i)).collect();
        Csv { columns, records: rdr.records().map(Result::unwrap).collect() }
    }

    /// The value of column `name` in record `r`.
    fn get<'a>(&self, r: &'a csv::StringRecord, name: &str) -> &'a str {
        &r[self.columns[name]]
    }
}

/// Imports a whole UNHCR file strictly.
fn import(path: &Path, options: &UnhcrOptions) -> (Dataset, ImportReport, Vec<String>) {
    let mut loader = Loader::new();
    let name = path.file_name().unwrap().to_str().unwrap();
    let report = import_unhcr(&mut loader, name, File::open(path).unwrap(), options)
        .unwrap_or_else(|e| panic!("{e}"));
    let (ds, load) = loader.finish();
    assert!(load.is_clean());
    (ds, report, load.warnings().to_vec())
}

/// population.csv imported once for the tests that need it.
fn population() -> Option<&'static (Dataset, ImportReport, Vec<String>)> {
    static IMPORTED: OnceLock<Option<(Dataset, ImportReport, Vec<String>)>> = OnceLock::new();
    IMPORTED
        .get_or_init(|| shared("unhcr/population.csv").map(|p| import(&p, &UnhcrOptions::new())))
        .as_ref()
}

/// Stock columns of population.csv and their population types.
const STOCKS: [(&str, PopulationType); 7] = [
    ("refugees", PopulationType::Refugees),
    ("asylum_seekers", PopulationType::AsylumSeekers),
    ("idps", PopulationType::Idps),
    ("stateless", PopulationType::Stateless),
    ("ooc", PopulationType::OthersOfConcern),
    ("oip", PopulationType::OthersInNeed),
    ("hst", PopulationType::HostCommunity),
];

#[test]
fn population_csv_whole() {
    let (Some(path), Some((ds, report, warnings))) = (shared("unhcr/population.csv"), population())
    else {
        return;
    };
    assert!(warnings.is_empty(), "{warnings:?}");
    let file = Csv::read(&path);
    let v = |r, c| file.get(r, c);
    assert_eq!(report.rows_read(), 138_893);
    assert_eq!(report.rows_read(), file.records.len() as u64);
    assert_eq!((report.rows_rejected(), report.duplicates()), (0, 0));

    // One registration per non-empty stock value, plus the closing zeros,
    // counted here independently: a (coo, coa, column) value at year Y with
    // no value at Y+1, when the file has rows of Y+1.
    let year = |r| v(r, "year").parse::<i32>().unwrap();
    let years: BTreeSet<i32> = file.records.iter().map(year).collect();
    let by_key: HashMap<(&str, &str, i32), &csv::StringRecord> =
        file.records.iter().map(|r| ((v(r, "coo"), v(r, "coa"), year(r)), r)).collect();
    let mut values = 0u64;
    let mut closing = 0u64;
    for r in &file.records {
        let y = year(r);
        for (col, _) in STOCKS {
            if v(r, col).is_empty() {
                continue;
            }
            values += 1;
            if years.contains(&(y + 1)) {
                let next = by_key.get(&(v(r, "coo"), v(r, "coa"), y + 1));
                if next.map_or(true, |n| v(n, col).is_empty()) {
                    closing += 1;
                }
            }
        }
    }
    assert_eq!(report.closing_zeros(), closing);
    assert_eq!(report.registrations(), values + closing);
    assert_eq!(ds.len(Table::Registrations) as u64, values + closing);
    println!(
        "population.csv: {values} stock values + {closing} closing zeros = {} registrations",
        values + closing
    );

    // Flows: every returned_refugees value; returned_idps on rows where the
    // country of asylum is the origin.
    let flows = file.records.iter().filter(|r| !v(r, "returned_refugees").is_empty()).count()
        + file
            .records
            .iter()
            .filter(|r| !v(r, "returned_idps").is_empty() && v(r, "coo") == v(r, "coa"))
            .count();
    assert_eq!(report.deportations(), flows as u64);

    // The check figures, as of the end of 2023.
    let q = Query::registrations()
        .by(Dimension::Host)
        .filter(Dimension::Origin, ["AFG"])
        .filter(Dimension::Population, ["refugees"])
        .as_of("2023-12-31".parse().unwrap());
    let result = ds.query(&q).unwrap();
    let host = |h: &str| result.rows().find(|r| r.key(0) == h).unwrap().value(0);
    assert_eq!(host("PAK"), 1_987_717);
    assert_eq!(host("IRN"), 3_752_317);

    // Stock totals by year over all origins equal the column sums of the file.
    let mut sums: BTreeMap<(String, String), u64> = BTreeMap::new();
    for r in &file.records {
        for (col, population) in STOCKS {
            if let Ok(n) = v(r, col).parse::<u64>() {
                *sums.entry((v(r, "year").to_string(), population.to_string())).or_default() += n;
            }
        }
    }
    let q = Query::registrations().by(Dimension::Year).by(Dimension::Population);
    let totals: BTreeMap<(String, String), u64> = ds
        .query(&q)
        .unwrap()
        .rows()
        .map(|r| ((r.key(0).to_string(), r.key(1).to_string()), r.value(0)))
        .collect();
    assert_eq!(totals, sums);

    // Returned refugees by year equal the column's sums.
    let mut returned: BTreeMap<String, u64> = BTreeMap::new();
    for r in &file.records {
        if let Ok(n) = v(r, "returned_refugees").parse::<u64>() {
            *returned.entry(v(r, "year").to_string()).or_default() += n;
        }
    }
    let q = Query::deportations().by(Dimension::Year).filter(Dimension::Source, ["UNHCR"]);
    let by_year: BTreeMap<String, u64> =
        ds.query(&q).unwrap().rows().map(|r| (r.key(0).to_string(), r.value(0))).collect();
    assert_eq!(by_year, returned);
}

/// Registrations as comparable text.
fn regs(ds: &Dataset, keep: impl Fn(&refugee_data::Registration) -> bool) -> BTreeSet<String> {
    ds.registrations()
        .filter(|r| keep(r))
        .map(|r| {
            format!("{},{},{},{},{},{}", r.date, r.origin, r.host, r.population, r.count, r.source)
        })
        .collect()
}

/// UNHCR's year-end registrations of Afghans, by year.
fn afghan_year_ends(ds: &Dataset) -> BTreeMap<i32, BTreeSet<String>> {
    let afg = Country::parse("AFG").unwrap();
    let mut by_year: BTreeMap<i32, BTreeSet<String>> = BTreeMap::new();
    for r in ds.registrations().filter(|r| r.origin == afg && r.source == "UNHCR") {
        let year = chrono::Datelike::year(&r.date);
        if r.date.to_string().ends_with("-12-31") && (2000..=2025).contains(&year) {
            by_year.entry(year).or_default().insert(format!(
                "{},{},{},{},{},{}",
                r.date, r.origin, r.host, r.population, r.count, r.source
            ));
        }
    }
    by_year
}

#[test]
fn population_csv_reproduces_the_samples_unhcr_figures() {
    let Some((ds, _, _)) = population() else { return };
    let sample = Dataset::sample();
    let imported = afghan_year_ends(ds);
    let sampled = afghan_year_ends(sample);
    assert_eq!(sampled.len(), 26);
    for y in (2001..=2022).chain(2024..=2025) {
        assert_eq!(imported[&y], sampled[&y], "{y}");
    }
    // The sample dates the closing zeros of the three hosts that left the
    // table at mid-2023 (BGD, MNE, NRU) at 2023-06-30; the year-end table
    // alone dates them at 2023-12-31. Everything else agrees.
    assert!(sampled[&2023].is_subset(&imported[&2023]));
    let extra: Vec<&String> = imported[&2023].difference(&sampled[&2023]).collect();
    assert_eq!(extra.len(), 18);
    assert!(extra.iter().all(|r| r.ends_with(",0,UNHCR")
        && ["BGD", "MNE", "NRU"].iter().any(|h| r.contains(&format!(",AFG,{h},")))));
    // The sample starts in 2000: a series of 1999 that vanished in 2000 has a
    // closing zero here and none there.
    assert!(sampled[&2000].is_subset(&imported[&2000]));
    assert!(imported[&2000].difference(&sampled[&2000]).all(|r| r.ends_with(",0,UNHCR")));

    // Returned refugees, Afghan origin, 2000-2025: the sample's UNHCR yearly
    // returns exactly (its other UNHCR flows are reported figures of other kinds).
    let events = |ds: &Dataset| -> BTreeSet<String> {
        ds.deportations()
            .filter(|d| d.source == "UNHCR" && d.origin.alpha3() == "AFG")
            .filter(|d| d.kind == refugee_data::ReturnKind::Returned)
            .filter(|d| (2000..=2025).contains(&chrono::Datelike::year(&d.date)))
            // The sample names the release in `reference`; an import leaves it empty.
            .map(|d| format!("{:?}", refugee_data::DeportationEvent { reference: None, ..d }))
            .collect()
    };
    assert_eq!(events(ds), events(sample));
    assert_eq!(events(sample).len(), 2_167);
}

#[test]
fn the_midyear_release_reproduces_the_samples_mid_2023_figures() {
    let Some(path) = shared("unhcr/population_afg_origin_midyear_2023.csv") else { return };
    let options = UnhcrOptions::new().mid_year(true).years(2023..=2023);
    let (ds, report, _) = import(&path, &options);
    assert_eq!(report.rows_read(), 2_345);
    let mid =
        |r: &refugee_data::Registration| r.source == "UNHCR" && r.date.to_string() == "2023-06-30";
    assert_eq!(regs(&ds, mid), regs(Dataset::sample(), mid));
    let pak = ds
        .registrations()
        .find(|r| r.host.alpha3() == "PAK" && r.population == PopulationType::Refugees)
        .unwrap();
    assert_eq!((pak.date.to_string(), pak.count), ("2023-06-30".to_string(), 2_079_989));
}

#[test]
fn solutions_csv_whole() {
    let Some(path) = shared("unhcr/solutions.csv") else { return };
    let (ds, report, warnings) = import(&path, &UnhcrOptions::new());
    assert!(warnings.is_empty(), "{warnings:?}");
    let file = Csv::read(&path);
    assert_eq!(report.rows_read(), file.records.len() as u64);
    assert_eq!(report.skipped_columns(), ["resettlement", "naturalisation"]);
    let flows: usize = file
        .records
        .iter()
        .map(|r| {
            usize::from(!file.get(r, "returned_refugees").is_empty())
                + usize::from(!file.get(r, "returned_idps").is_empty())
        })
        .sum();
    assert_eq!(ds.len(Table::Deportations), flows);
    assert_eq!(ds.len(Table::Registrations), 0);
}

#[test]
fn refugee_data_finder_download_whole() {
    let Some(path) = shared("unhcr/refugee_data_finder_download_2020.csv") else { return };
    let (ds, report, warnings) = import(&path, &UnhcrOptions::new());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(report.layout(), "UNHCR Refugee Data Finder download");
    assert_eq!(report.rows_read(), 24_236);
    // No empty cell in the file: two values a row, plus the closing zeros
    // of the pairs that leave the table (counted with Python: 1,622).
    assert_eq!(report.closing_zeros(), 1_622);
    assert_eq!(ds.len(Table::Registrations), 2 * 24_236 + 1_622);
    let unknown = ds
        .registrations()
        .filter(|r| r.origin.alpha3() == "XXX" && r.date.to_string() == "2014-12-31")
        .count();
    assert_eq!(unknown, 2 * 36); // the 36 "Unknown " origins of 2014, without a code
    let pak_2019 = ds
        .registrations()
        .find(|r| {
            r.origin.alpha3() == "AFG"
                && r.host.alpha3() == "PAK"
                && r.population == PopulationType::Refugees
                && r.date.to_string() == "2019-12-31"
        })
        .unwrap();
    assert_eq!(pak_2019.count, 1_419_084);
}

#[test]
fn every_name_and_code_resolves_to_the_iso_column_beside_it() {
    let iso = |code: &str| Country::parse(code).unwrap();
    if let Some(path) = shared("unhcr/population.csv") {
        let file = Csv::read(&path);
        for r in &file.records {
            for side in ["coo", "coa"] {
                let want = iso(file.get(r, &format!("{side}_iso")));
                let name = file.get(r, &format!("{side}_name"));
                assert_eq!(Country::parse(name).unwrap(), want, "{r:?}");
                assert_eq!(Country::from_unhcr_code(file.get(r, side)).unwrap(), want, "{r:?}");
            }
        }
    }
    if let Some(path) = shared("unhcr/refugee_data_finder_download_2020.csv") {
        let mut rdr =
            csv::ReaderBuilder::new().flexible(true).has_headers(false).from_path(path).unwrap();
        for r in rdr.records().skip(15) {
            let r = r.unwrap();
            for (name, code) in [(&r[1], &r[2]), (&r[3], &r[4])] {
                let want = if code.is_empty() { iso("XXX") } else { iso(code) };
                assert_eq!(Country::parse(name).unwrap(), want, "{r:?}");
            }
        }
    }
    if let Some(path) = shared("unhcr/countries.csv") {
        let table = Csv::read(&path);
        assert_eq!(table.records.len(), 232);
        for r in &table.records {
            let got = Country::from_unhcr_code(table.get(r, "unhcr_code"));
            match (table.get(r, "iso_code"), table.get(r, "unhcr_code")) {
                ("", "TIB") => assert_eq!(got.unwrap().alpha3(), "TIB"),
                ("", _) => assert!(got.is_err(), "{r:?}"),
                (code, _) => assert_eq!(got.unwrap(), iso(code), "{r:?}"),
            }
        }
    }
}

#[test]
fn iom_dtm_national_totals_equal_hdx_hapis() {
    let (Some(hxl), Some(hapi)) =
        (shared("hdx/iom_dtm_idps_global_hxl.csv"), shared("hdx/hdx_hapi_idps_global.csv"))
    else {
        return;
    };
    let mapping = HxlMapping::new("IOM DTM")
        .filter("#adm+level", "0")
        .filter("#assessment+type", "BA")
        .parts(HxlParts::Total)
        .sum_rows(true);
    let mut loader = Loader::new();
    let report = import_hxl(&mut loader, "iom.csv", File::open(hxl).unwrap(), &mapping).unwrap();
    let (ds, load) = loader.finish();
    assert!(load.is_clean());
    assert_eq!(report.rows_read(), 13_367);
    // HDX HAPI's admin-0 baseline figures, added over operations.
    let mut want: BTreeMap<(String, String), u64> = BTreeMap::new();
    let hapi = Csv::read(&hapi);
    let location = hapi.columns.iter().find(|(k, _)| k.ends_with("location_code")).unwrap().0;
    for r in &hapi.records {
        if hapi.get(r, "admin_level") == "0" && hapi.get(r, "assessment_type") == "BA" {
            let key = (
                hapi.get(r, location).to_string(),
                hapi.get(r, "reference_period_end").to_string(),
            );
            *want.entry(key).or_default() += hapi.get(r, "population").parse::<u64>().unwrap();
        }
    }
    let got: BTreeMap<(String, String), u64> = ds
        .registrations()
        .map(|r| ((r.origin.alpha3().to_string(), r.date.to_string()), r.count))
        .collect();
    assert_eq!(got, want);
    assert_eq!(got[&("AFG".to_string(), "2017-03-30".to_string())], 246_362);
}
