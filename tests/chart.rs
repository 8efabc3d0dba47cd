//! Charts drawn from query results, parsed back as SVG (XML): the series
//! counted, the title, the legend and the labels read, escaping checked.
#![cfg(feature = "chart")]

use std::collections::{BTreeMap, BTreeSet};

use refugee_data::{chart, ChartOptions, Dataset, Derived, Dimension, Loader, Query, Table};

/// UNHCR's yearly refugee returns to Afghanistan from Pakistan and Iran:
/// the README's chart.
fn returns_query() -> Query {
    Query::deportations()
        .by(Dimension::Year)
        .by(Dimension::Host)
        .filter(Dimension::Origin, ["AFG"])
        .filter(Dimension::Host, ["PAK", "IRN"])
        .filter(Dimension::Kind, ["returned"])
        .filter(Dimension::Source, ["UNHCR"])
}

fn render(q: &Query, options: &ChartOptions, ds: &Dataset) -> String {
    chart::svg(&ds.query(q).unwrap(), options).unwrap()
}

/// Every `<text>`'s content, trimmed, in document order.
fn texts(doc: &roxmltree::Document<'_>) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect()
}

/// The series' lines (drawn 2 pixels wide; axes and ticks are 1 wide), as
/// their points in pixels.
fn lines(doc: &roxmltree::Document<'_>) -> Vec<Vec<(i32, i32)>> {
    doc.descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-width") == Some("2"))
        .map(|n| {
            n.attribute("points")
                .unwrap()
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect()
        })
        .collect()
}

fn count(doc: &roxmltree::Document<'_>, tag: &str) -> usize {
    doc.descendants().filter(|n| n.has_tag_name(tag)).count()
}

/// The legend's texts, in order: its heading (when the series have one),
/// then a label a series. Only the legend's texts are anchored at their
/// start; titles and axis labels are centred or end-anchored.
fn legend(doc: &roxmltree::Document<'_>) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("text-anchor") == Some("start"))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect()
}

/// The fill of each legend swatch, in order.
fn swatches(doc: &roxmltree::Document<'_>) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("width") == Some("14"))
        .map(|n| n.attribute("fill").unwrap().to_string())
        .collect()
}

#[test]
fn returns_from_pakistan_and_iran_by_year_are_one_line_per_host() {
    let ds = Dataset::sample();
    let q = returns_query();
    let result = ds.query(&q).unwrap();
    let svg = chart::svg(&result, &ChartOptions::for_query(&q)).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts = texts(&doc);
    assert_eq!(texts[0], "Deportations: persons by year and host");
    assert_eq!(texts[1], "origin AFG; host PAK, IRN; kind returned; source UNHCR");
    assert_eq!(texts[2], "persons"); // the y axis
    assert_eq!(texts[3], "year"); // the x axis
                                  // The legend: the dimension that tells the lines apart, then each host.
    let hosts: BTreeSet<&str> = result.rows().map(|r| r.key(1)).collect();
    let mut expected = vec!["host"];
    expected.extend(hosts.iter().copied());
    assert_eq!(legend(&doc), expected);
    // Every host has a row for every year: one unbroken line each, a dot a row.
    let lines = lines(&doc);
    assert_eq!(lines.len(), hosts.len());
    // Each legend swatch has its line's colour, and the colours differ.
    let strokes: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-width") == Some("2"))
        .map(|n| n.attribute("stroke").unwrap().to_string())
        .collect();
    assert_eq!(swatches(&doc), strokes);
    assert_ne!(strokes[0], strokes[1]);
    assert_eq!(count(&doc, "circle"), result.len());
    let years: BTreeSet<&str> = result.rows().map(|r| r.key(0)).collect();
    for (line, host) in lines.iter().zip(&hosts) {
        assert_eq!(line.len(), years.len());
        // Points run left to right, and the highest is the year of the largest figure.
        assert!(line.windows(2).all(|w| w[0].0 < w[1].0));
        let values: Vec<u64> =
            result.rows().filter(|r| r.key(1) == *host).map(|r| r.value(0)).collect();
        let top_value = (0..values.len()).max_by_key(|&i| values[i]).unwrap();
        let top_point = (0..line.len()).min_by_key(|&i| line[i].1).unwrap();
        assert_eq!(top_point, top_value, "host {host}");
    }
    // The y axis reads with thousands separators.
    assert!(texts.contains(&"1,500,000".to_string()), "{texts:?}");
}

#[test]
fn the_readme_chart_is_the_one_the_example_writes() {
    let ds = Dataset::sample();
    let options = ChartOptions::for_query(&returns_query())
        .title("Afghan refugees returned from Pakistan and Iran each year (UNHCR)");
    let svg = render(&returns_query(), &options, ds);
    let committed = std::fs::read_to_string("docs/returns-pak-irn.svg").unwrap();
    assert!(svg == committed, "docs/returns-pak-irn.svg is stale: run the chart_readme example");
}

#[test]
fn a_line_is_not_drawn_across_a_bucket_without_a_row() {
    let csv = "date,origin,host,kind,count,source\n\
               2020-06-01,AFG,PAK,returned,10,UNHCR\n\
               2021-06-01,AFG,PAK,returned,30,UNHCR\n\
               2023-06-01,AFG,PAK,returned,20,UNHCR\n";
    let mut loader = Loader::new();
    loader.read(Table::Deportations, "deportations.csv", csv.as_bytes()).unwrap();
    let (ds, _) = loader.finish();
    let q = Query::deportations().by(Dimension::Year);
    let doc_text = render(&q, &ChartOptions::new(), &ds);
    let doc = roxmltree::Document::parse(&doc_text).unwrap();
    // 2020-2021 joined; 2023 a lone dot, not joined across 2022.
    assert_eq!(lines(&doc).iter().map(Vec::len).collect::<Vec<_>>(), [2]);
    assert_eq!(count(&doc, "circle"), 3);
    let texts = texts(&doc);
    assert_eq!(texts[0], "persons by year");
    // 2022 is on the axis, though no row has it; one series that no
    // dimension names has no legend (the y axis names it).
    for year in ["2020", "2021", "2022", "2023"] {
        assert!(texts.contains(&year.to_string()), "{year} in {texts:?}");
    }
    assert!(legend(&doc).is_empty());
    assert!(swatches(&doc).is_empty());
}

#[test]
fn without_a_time_dimension_each_row_is_a_bar() {
    let ds = Dataset::sample();
    let q = Query::registrations()
        .by(Dimension::Host)
        .filter(Dimension::Origin, ["AFG"])
        .filter(Dimension::Host, ["PAK", "IRN", "DEU", "TUR"])
        .filter(Dimension::Population, ["refugees"])
        .filter(Dimension::Source, ["UNHCR"])
        .as_of("2023-12-31".parse().unwrap());
    let result = ds.query(&q).unwrap();
    let svg = chart::svg(&result, &ChartOptions::for_query(&q)).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    // The background and a bar a host; no lines, no legend for one series.
    assert_eq!(result.len(), 4);
    assert_eq!(count(&doc, "rect"), 1 + result.len());
    assert!(lines(&doc).is_empty());
    let texts = texts(&doc);
    assert_eq!(texts[0], "Registrations: persons by host");
    assert_eq!(
        texts[1],
        "origin AFG; host PAK, IRN, DEU, TUR; population refugees; source UNHCR; as of 2023-12-31"
    );
    for row in result.rows() {
        assert!(texts.contains(&row.key(0).to_string()), "{} in {texts:?}", row.key(0));
    }
    assert!(legend(&doc).is_empty());
    // The tallest bar (smallest top y) is the largest figure's.
    let bars: Vec<(f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("x") != Some("0"))
        .take(result.len())
        .map(|n| {
            (n.attribute("x").unwrap().parse().unwrap(), n.attribute("y").unwrap().parse().unwrap())
        })
        .collect();
    let tallest = (0..bars.len()).min_by(|&a, &b| bars[a].1.total_cmp(&bars[b].1)).unwrap();
    let largest = result.rows().enumerate().max_by_key(|(_, r)| r.value(0)).unwrap().0;
    assert_eq!(tallest, largest);
}

#[test]
fn bars_are_clustered_by_the_first_dimension_and_coloured_by_the_rest() {
    let ds = Dataset::sample();
    let q = Query::statements().by(Dimension::TargetCountry).by(Dimension::Stance);
    let result = ds.query(&q).unwrap();
    let svg = chart::svg(&result, &ChartOptions::for_query(&q)).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let stances: BTreeSet<&str> = result.rows().map(|r| r.key(1)).collect();
    assert_eq!(count(&doc, "rect"), 1 + result.len() + stances.len());
    let texts = texts(&doc);
    assert_eq!(texts[0], "Statements: statements by target_country and stance");
    let mut expected = vec!["stance"];
    expected.extend(stances.iter().copied());
    assert_eq!(legend(&doc), expected);
    // A statement without a target country is labelled, not left blank.
    assert!(result.rows().any(|r| r.key(0).is_empty()));
    assert!(texts.contains(&"(empty)".to_string()), "{texts:?}");
}

#[test]
fn labels_from_files_are_escaped() {
    let csv = "date,origin,host,kind,count,source\n\
               2023-06-01,AFG,PAK,returned,10,A & B <i>\n\
               2023-06-01,AFG,IRN,returned,20,\u{1b}[2JX\n";
    let mut loader = Loader::new();
    loader.read(Table::Deportations, "deportations.csv", csv.as_bytes()).unwrap();
    let (ds, _) = loader.finish();
    let q = Query::deportations().by(Dimension::Source);
    let svg = chart::svg(&ds.query(&q).unwrap(), &ChartOptions::new()).unwrap();
    assert!(svg.contains("A &amp; B &lt;i&gt;"), "{svg}");
    assert!(!svg.contains('\u{1b}'));
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts = texts(&doc);
    // Sorted by source: the escape character's label first.
    assert!(texts.contains(&"\\x1b[2JX".to_string()), "{texts:?}");
    assert!(texts.contains(&"A & B <i>".to_string()), "{texts:?}");
    assert_eq!(count(&doc, "i"), 0);
    // A title given by the caller is escaped too.
    let titled = ChartOptions::new().title("Returns <b>&</b>");
    let svg = chart::svg(&ds.query(&q).unwrap(), &titled).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(self::texts(&doc)[0], "Returns <b>&</b>");
}

#[test]
fn more_than_twelve_series_keeps_the_twelve_largest_and_says_so() {
    let ds = Dataset::sample();
    let q = Query::registrations()
        .by(Dimension::Year)
        .by(Dimension::Host)
        .filter(Dimension::Origin, ["AFG"])
        .filter(Dimension::Population, ["refugees"])
        .filter(Dimension::Source, ["UNHCR"]);
    let result = ds.query(&q).unwrap();
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    for row in result.rows() {
        *totals.entry(row.key(1)).or_default() += row.value(0);
    }
    assert!(totals.len() > chart::MAX_SERIES);
    let mut ranked: Vec<(&str, u64)> = totals.iter().map(|(h, t)| (*h, *t)).collect();
    ranked.sort_by_key(|(_, t)| std::cmp::Reverse(*t));
    let kept: BTreeSet<&str> = ranked[..chart::MAX_SERIES].iter().map(|(h, _)| *h).collect();
    let svg = chart::svg(&result, &ChartOptions::for_query(&q)).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts = texts(&doc);
    assert_eq!(
        texts[1],
        format!(
            "origin AFG; population refugees; source UNHCR — the 12 largest of {} series are shown",
            totals.len()
        )
    );
    let shown = legend(&doc);
    assert_eq!(shown[0], "host");
    assert_eq!(shown[1..].iter().map(String::as_str).collect::<BTreeSet<_>>(), kept);
}

#[test]
fn more_bars_than_can_be_labelled_keeps_the_largest_and_says_so() {
    let ds = Dataset::sample();
    let q = Query::registrations()
        .by(Dimension::Host)
        .filter(Dimension::Origin, ["AFG"])
        .filter(Dimension::Population, ["refugees"])
        .filter(Dimension::Source, ["UNHCR"]);
    let result = ds.query(&q).unwrap();
    let svg = chart::svg(&result, &ChartOptions::for_query(&q)).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts = texts(&doc);
    let scope = "origin AFG; population refugees; source UNHCR — the ";
    let note = texts[1].strip_prefix(scope).unwrap();
    let (shown, rest) = note.split_once(" largest of ").unwrap();
    assert_eq!(rest, format!("{} values of host are shown", result.len()));
    let shown: usize = shown.parse().unwrap();
    assert_eq!(shown, chart::max_clusters(ChartOptions::new().get_size().0));
    assert!(shown < result.len());
    // A bar each, and each labelled upright under its bar.
    assert_eq!(count(&doc, "rect"), 1 + shown);
    let upright: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter(|n| n.attribute("transform").is_some_and(|t| t.starts_with("rotate(270")))
        .map(|n| n.text().unwrap().trim())
        .filter(|t| *t != "persons") // the y axis's name
        .collect();
    let mut ranked: Vec<(u64, &str)> = result.rows().map(|r| (r.value(0), r.key(0))).collect();
    ranked.sort_by_key(|(v, _)| std::cmp::Reverse(*v));
    let largest: BTreeSet<&str> = ranked[..shown].iter().map(|(_, h)| *h).collect();
    assert_eq!(upright.iter().copied().collect::<BTreeSet<_>>(), largest);
    assert_eq!(upright.len(), shown);
    // In the rows' order.
    assert!(upright.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn a_derived_column_can_be_drawn_and_may_be_negative() {
    let ds = Dataset::sample();
    let q = Query::registrations()
        .by(Dimension::Year)
        .filter(Dimension::Origin, ["AFG"])
        .filter(Dimension::Host, ["PAK"])
        .filter(Dimension::Population, ["refugees"])
        .filter(Dimension::Source, ["UNHCR"])
        .with(Derived::Change);
    let result = ds.query(&q).unwrap();
    let svg = chart::svg(&result, &ChartOptions::for_query(&q).measure("change")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    // The first year has no change: one dot fewer than rows.
    let changes = result.rows().filter(|r| r.change().is_some()).count();
    assert_eq!(changes, result.len() - 1);
    assert_eq!(count(&doc, "circle"), changes);
    let texts = texts(&doc);
    assert_eq!(texts[0], "Registrations: change by year");
    assert!(result.rows().any(|r| r.change() < Some(0)));
    assert!(texts.iter().any(|t| t.starts_with('-') && t.contains(',')), "{texts:?}");
}

#[test]
fn size_and_title_are_the_callers() {
    let ds = Dataset::sample();
    let options = ChartOptions::for_query(&returns_query()).title("Returns").size(640, 360);
    let svg = render(&returns_query(), &options, ds);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let root = doc.root_element();
    assert_eq!((root.attribute("width"), root.attribute("height")), (Some("640"), Some("360")));
    assert_eq!(texts(&doc)[0], "Returns");
    // An empty title is no title: the first text is the y axis's name.
    let untitled = render(&returns_query(), &ChartOptions::new().title(""), ds);
    let doc = roxmltree::Document::parse(&untitled).unwrap();
    assert_eq!(texts(&doc)[0], "persons");
    let tiny = ChartOptions::new().size(10, 10);
    assert_eq!(tiny.get_size(), chart::MIN_SIZE);
}

#[test]
fn nothing_to_draw_is_an_error() {
    let ds = Dataset::sample();
    let empty = returns_query().to("1990-12-31".parse().unwrap());
    let err = chart::svg(&ds.query(&empty).unwrap(), &ChartOptions::new()).unwrap_err();
    assert_eq!(err.to_string(), "nothing to chart: the result has no rows");

    let one_year =
        returns_query().from("2023-01-01".parse().unwrap()).to("2023-12-31".parse().unwrap());
    let result = ds.query(&one_year.with(Derived::Change)).unwrap();
    let err = chart::svg(&result, &ChartOptions::new().measure("change")).unwrap_err();
    assert_eq!(err.to_string(), "nothing to chart: every cell of \"change\" is empty");

    let err = chart::svg(&result, &ChartOptions::new().measure("stock")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot chart \"stock\": the result's numeric columns are persons, records, change"
    );
}
