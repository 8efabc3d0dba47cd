//! The typed library API: dates, typed filter values, typed access to a
//! result's cells, `Debug` of a country, the "all values" convention and a
//! source conflict's message.

use refugee_data::{
    Cell, Country, Dataset, Datelike, Dimension as D, Error, FilterValue, NaiveDate,
    PopulationType, Query, ReturnKind, Stance, Table,
};

fn country(name: &str) -> Country {
    Country::parse(name).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn record_dates_are_the_reexported_date_type() {
    let ds = Dataset::sample();
    let r = ds.registrations().next().unwrap();
    let d: NaiveDate = r.date;
    assert!((1900..=2100).contains(&d.year()));
    assert!((1..=12).contains(&d.month()));
}

#[test]
fn typed_filters_answer_as_their_labels() {
    let ds = Dataset::sample();
    let typed = Query::registrations()
        .by(D::Year)
        .filter(D::Origin, [country("Afghanistan")])
        .filter(D::Host, [country("PAK"), country("Iran")])
        .filter(D::Population, [PopulationType::Refugees])
        .filter(D::Source, ["UNHCR"]);
    let strings = Query::registrations()
        .by(D::Year)
        .filter(D::Origin, ["AFG"])
        .filter(D::Host, ["PAK", "IRN"])
        .filter(D::Population, ["refugees"])
        .filter(D::Source, [String::from("UNHCR")]);
    let (a, b) = (ds.query(&typed).unwrap(), ds.query(&strings).unwrap());
    assert!(!a.is_empty());
    assert_eq!(a, b);
    assert_eq!(typed, strings);

    let kinds =
        Query::deportations().filter(D::Kind, [ReturnKind::Returned]).filter(D::Source, ["UNHCR"]);
    let kinds_str =
        Query::deportations().filter(D::Kind, ["Returned"]).filter(D::Source, ["UNHCR"]);
    assert_eq!(ds.query(&kinds).unwrap(), ds.query(&kinds_str).unwrap());

    let wanted = [Stance::Criticize];
    let stances = Query::statements().filter(D::Stance, wanted.iter());
    let stances_str = Query::statements().filter(D::Stance, ["criticize"]);
    assert_eq!(ds.query(&stances).unwrap(), ds.query(&stances_str).unwrap());
}

#[test]
fn string_filters_of_every_shape_still_compile() {
    let owned: Vec<String> = vec!["AFG".into(), "PAK".into()];
    let csv = "AFG, PAK";
    let queries = [
        Query::registrations().filter(D::Origin, ["AFG"]),
        Query::registrations().filter(D::Origin, owned.clone()),
        Query::registrations().filter(D::Origin, &owned),
        Query::registrations().filter(D::Origin, csv.split(',').map(str::trim)),
        Query::registrations().filter(D::Origin, [FilterValue::from("AFG")]),
    ];
    for q in &queries {
        assert!(Dataset::sample().query(&q.clone().filter(D::Source, ["UNHCR"])).is_ok());
    }
}

#[test]
fn filter_values_are_alpha3_codes_and_labels() {
    assert_eq!(FilterValue::from(country("Islamic Republic of Iran")).as_str(), "IRN");
    assert_eq!(FilterValue::from(&country("AF")).to_string(), "AFG");
    assert_eq!(FilterValue::from(PopulationType::Refugees).as_str(), "refugees");
    assert_eq!(FilterValue::from(ReturnKind::Returned).as_str(), ReturnKind::Returned.as_str());
    assert_eq!(FilterValue::from(Stance::Criticize).into_string(), Stance::Criticize.as_str());
    assert_eq!(FilterValue::from(String::from(" x ")).as_str(), " x ");
}

#[test]
fn a_typed_country_is_still_checked_against_the_dimension() {
    // A country is no region label: the query says so rather than matching nothing.
    let q = Query::registrations().filter(D::HostRegion, [country("PAK")]);
    assert!(matches!(Dataset::sample().query(&q), Err(Error::Query(_))));
}

#[test]
fn get_never_panics_where_key_would() {
    let result = Dataset::sample().query(&Query::statements()).unwrap();
    let row = result.rows().next().unwrap();
    assert_eq!(row.get(0), None);
    assert_eq!(row.keys().len(), 0);
    assert!(std::panic::catch_unwind(|| row.key(0)).is_err());
}

#[test]
fn rows_give_countries_of_country_dimensions_only() {
    let q = Query::statements().by(D::Stance).by(D::TargetCountry).by(D::Source);
    let result = Dataset::sample().query(&q).unwrap();
    for row in result.rows() {
        assert_eq!(row.country(0), None);
        assert_eq!(row.country(2), None);
        assert_eq!(row.country(3), None);
        match row.key(1) {
            "" => assert_eq!(row.country(1), None),
            code => assert_eq!(row.country(1).map(Country::alpha3), Some(code)),
        }
    }
}

#[test]
fn buckets_span_their_first_and_last_days() {
    let ds = Dataset::sample();
    let cases: [(D, &str, NaiveDate, NaiveDate); 5] = [
        (D::Day, "2023-11-01", date(2023, 11, 1), date(2023, 11, 1)),
        (D::Week, "2023-W44", date(2023, 10, 30), date(2023, 11, 5)),
        (D::Month, "2023-11", date(2023, 11, 1), date(2023, 11, 30)),
        (D::Quarter, "2023-Q4", date(2023, 10, 1), date(2023, 12, 31)),
        (D::Year, "2023", date(2023, 1, 1), date(2023, 12, 31)),
    ];
    for (dim, label, first, last) in cases {
        let q = Query::statements().by(D::Stance).by(dim);
        let result = ds.query(&q).unwrap();
        let mut seen = false;
        for row in result.rows() {
            let (a, b) = row.bucket(1).unwrap();
            assert!(a <= b, "{dim} {}", row.key(1));
            assert_eq!(row.bucket(0), None);
            assert_eq!(row.bucket(2), None);
            if row.key(1) == label {
                assert_eq!((a, b), (first, last), "{dim}");
                seen = true;
            }
        }
        if dim != D::Day {
            assert!(seen, "no {dim} {label} in the sample's statements");
        }
    }
}

#[test]
fn bucket_days_contain_every_date_of_the_bucket() {
    let ds = Dataset::sample();
    let q = Query::statements().by(D::Week);
    let result = ds.query(&q).unwrap();
    let weeks: Vec<(NaiveDate, NaiveDate)> = result.rows().map(|r| r.bucket(0).unwrap()).collect();
    for s in ds.statements() {
        let inside = weeks.iter().filter(|(a, b)| *a <= s.date && s.date <= *b).count();
        assert_eq!(inside, 1, "{}", s.date);
    }
    for (a, b) in &weeks {
        assert_eq!(a.weekday(), chrono::Weekday::Mon);
        assert_eq!((*b - *a).num_days(), 6);
    }
}

#[test]
fn columns_are_typed_cells() {
    let q = Query::registrations()
        .by(D::Year)
        .filter(D::Origin, ["AFG"])
        .filter(D::Host, ["PAK"])
        .filter(D::Population, ["refugees"])
        .filter(D::Source, ["UNHCR"])
        .from(date(2021, 1, 1))
        .to(date(2023, 12, 31))
        .with(refugee_data::Derived::Change);
    let result = Dataset::sample().query(&q).unwrap();
    let years: Vec<&str> = result.column("year").unwrap().filter_map(Cell::as_label).collect();
    assert_eq!(years, ["2021", "2022", "2023"]);
    let persons: Vec<u64> =
        result.column("persons").unwrap().filter_map(Cell::as_measure).collect();
    assert_eq!(persons, [1_490_562, 1_743_278, 1_987_717]);
    let change: Vec<Cell> = result.column("change").unwrap().collect();
    assert_eq!(
        change,
        [
            Cell::Derived(None),
            Cell::Derived(Some(1_743_278 - 1_490_562)),
            Cell::Derived(Some(1_987_717 - 1_743_278)),
        ]
    );
    assert_eq!(result.column("change").unwrap().len(), result.len());
    assert!(result.column("statements").is_none());
    // Cells print as the CSV does.
    let mut csv = Vec::new();
    result.write_csv(&mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let columns = result.columns();
    let mut lines = csv.lines().skip(1);
    for row in result.rows() {
        let cells: Vec<String> =
            (0..columns.len()).map(|c| row.cell(c).unwrap().to_string()).collect();
        assert_eq!(lines.next(), Some(cells.join(",").as_str()));
        assert_eq!(row.cell(columns.len()), None);
    }
}

#[test]
fn a_windows_columns_are_found_by_their_names() {
    // A window names its first label `date`, not `day`, and its rows' days
    // are their buckets.
    let w = refugee_data::Window::new(30)
        .statements(D::TargetCountry, ["PAK"])
        .flows(D::Origin, ["AFG"])
        .flows(D::Host, ["PAK"])
        .flows(D::Source, ["IOM DTM"]);
    let result = Dataset::sample().window(&w).unwrap();
    assert!(!result.is_empty());
    assert_eq!(result.column("date").unwrap().len(), result.len());
    assert!(result.column("day").is_none());
    for row in result.rows() {
        let day: NaiveDate = row.key(0).parse().unwrap();
        assert_eq!(row.bucket(0), Some((day, day)));
        assert_eq!(row.country(3).map(Country::alpha3), Some("PAK"));
    }
}

#[test]
fn a_countrys_debug_shows_its_code() {
    assert_eq!(format!("{:?}", country("Afghanistan")), "Country(AFG)");
    assert_eq!(format!("{:?}", [country("PK"), country("IRN")]), "[Country(PAK), Country(IRN)]");
    let r = Dataset::sample().registrations().next().unwrap();
    let debug = format!("{r:?}");
    assert!(debug.contains(&format!("origin: Country({})", r.origin.alpha3())), "{debug}");
}

#[test]
fn every_closed_set_offers_all_and_all_fn() {
    assert_eq!(Table::all(), &Table::ALL[..]);
    assert_eq!(D::all(), D::ALL);
    assert_eq!(PopulationType::all(), PopulationType::ALL);
    assert_eq!(ReturnKind::all(), ReturnKind::ALL);
    assert_eq!(Stance::all(), Stance::ALL);
    assert_eq!(D::ALL.len(), 21);
    for t in Table::all() {
        assert_eq!(t.name().parse::<Table>().unwrap(), *t);
    }
}

#[test]
fn a_source_conflict_names_no_command_line_flag() {
    let err = Dataset::sample().query(&Query::deportations().by(D::Month)).unwrap_err();
    let Error::SourceAmbiguity(conflict) = &err else { panic!("{err:?}") };
    let msg = conflict.to_string();
    assert!(msg.ends_with("; group or filter by source to see each"), "{msg}");
    assert!(!msg.contains("--"), "{msg}");
    assert_eq!(err.to_string(), msg);
}
