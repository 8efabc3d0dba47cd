//! Charts of a [`QueryResult`], drawn as SVG (with the `chart` feature).
//!
//! [`svg`] draws a result the way its dimensions ask for:
//!
//! * **lines** when the result has a time dimension (day, week, month,
//!   quarter or year): one line per group of the other dimensions, over
//!   time. A point is placed on the first day of its bucket and marked with
//!   a dot. A line is not drawn across a bucket in which its group has no
//!   row: no row is no figure, not zero.
//! * **bars** otherwise: one bar per row, clustered by the first
//!   dimension's label and coloured by the other dimensions' labels.
//!
//! The title names the table (when the options were made with
//! [`ChartOptions::for_query`]), the measure and the dimensions; the
//! subtitle the query's filters and bounds. The y axis is labelled with
//! thousands separators, as [`thousands`](crate::thousands) writes them; a
//! legend names every series, headed by the dimensions that tell them apart
//! (one series that no dimension names has none: the y axis names it). A
//! legend label too long for a third of the chart's width is shortened
//! with `…`.
//!
//! Nothing is left out silently. At most [`MAX_SERIES`] series are drawn,
//! so that their colours stay apart: with more, the ones with the largest
//! totals (sums of absolute values, a ranking only) are kept. Every cluster
//! of bars gets its own label (upright when they do not fit side by side),
//! so a chart holds as many clusters as its width can label
//! ([`max_clusters`]): with more, the largest are kept. Either way the
//! subtitle says how many of how many are shown.
//!
//! Labels come from files: control characters are shown escaped (as
//! [`escape_controls`] does) and every text is XML-escaped, so a label
//! such as `<b>` or `A & B` is shown as written; an empty label (a
//! statement without a target country) is shown as `(empty)`.
//!
//! ```
//! use refugee_data::{chart, ChartOptions, Dataset, Dimension, Query};
//! let q = Query::deportations()
//!     .by(Dimension::Year)
//!     .by(Dimension::Host)
//!     .filter(Dimension::Origin, ["AFG"])
//!     .filter(Dimension::Host, ["PAK", "IRN"])
//!     .filter(Dimension::Kind, ["returned"])
//!     .filter(Dimension::Source, ["UNHCR"]);
//! let result = Dataset::sample().query(&q)?;
//! let svg = chart::svg(&result, &ChartOptions::for_query(&q))?;
//! assert!(svg.starts_with("<svg"));
//! assert!(svg.contains("Deportations: persons by year and host"));
//! // One line per host, drawn 2 pixels wide (the axes are 1 pixel wide).
//! assert_eq!(svg.matches(r#"stroke-width="2""#).count(), 2);
//! # Ok::<(), refugee_data::Error>(())
//! ```

mod draw;

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months};

use crate::{escape_controls, Dimension, Error, NaiveDate, Query, QueryResult, Table};

/// The most series (lines, or bar colours) a chart draws.
pub const MAX_SERIES: usize = 12;

/// The smallest chart size, in pixels; a smaller size is raised to it.
pub const MIN_SIZE: (u32, u32) = (320, 240);

/// How many clusters of bars a chart `width` pixels wide draws at most:
/// as many as it can label one by one.
///
/// ```
/// use refugee_data::{chart, ChartOptions};
/// let (width, _) = ChartOptions::new().get_size();
/// assert_eq!(chart::max_clusters(width), 31);
/// assert_eq!(chart::max_clusters(chart::MIN_SIZE.0), 7);
/// ```
pub fn max_clusters(width: u32) -> usize {
    draw::max_clusters(width)
}

/// How to draw a chart: title, size and which column to draw.
///
/// ```
/// use refugee_data::{ChartOptions, Dimension, Query};
/// let q = Query::statements().by(Dimension::Month);
/// let options = ChartOptions::for_query(&q).size(640, 360);
/// assert_eq!(options.get_size(), (640, 360));
/// let plain = ChartOptions::new().title("Statements each month").measure("statements");
/// assert_eq!(plain.get_size(), (900, 500));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartOptions {
    title: Option<String>,
    table: Option<Table>,
    scope: Option<String>,
    measure: Option<String>,
    size: (u32, u32),
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions::new()
    }
}

impl ChartOptions {
    /// Default options: a title made of the measure and the dimensions,
    /// the result's first measure, 900 × 500 pixels.
    pub fn new() -> ChartOptions {
        ChartOptions { title: None, table: None, scope: None, measure: None, size: (900, 500) }
    }

    /// Options for the result of `query`: the title names its table, and
    /// the subtitle its filters, date bounds and as-of date.
    ///
    /// ```
    /// use refugee_data::{chart, ChartOptions, Dataset, Dimension, Query};
    /// let q = Query::registrations()
    ///     .by(Dimension::Host)
    ///     .filter(Dimension::Origin, ["AFG"])
    ///     .filter(Dimension::Source, ["UNHCR"])
    ///     .as_of("2023-12-31".parse()?);
    /// let svg = chart::svg(&Dataset::sample().query(&q)?, &ChartOptions::for_query(&q))?;
    /// assert!(svg.contains("Registrations: persons by host"));
    /// assert!(svg.contains("origin AFG; source UNHCR; as of 2023-12-31"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_query(query: &Query) -> ChartOptions {
        let mut scope: Vec<String> = query
            .filters
            .iter()
            .map(|(d, values)| format!("{} {}", d.name(), values.join(", ")))
            .collect();
        match (query.from, query.to) {
            (Some(from), Some(to)) => scope.push(format!("{from} to {to}")),
            (Some(from), None) => scope.push(format!("from {from}")),
            (None, Some(to)) => scope.push(format!("to {to}")),
            (None, None) => {}
        }
        if let Some(as_of) = query.as_of {
            scope.push(format!("as of {as_of}"));
        }
        ChartOptions {
            table: Some(query.table),
            scope: (!scope.is_empty()).then(|| scope.join("; ")),
            ..ChartOptions::new()
        }
    }

    /// Replaces the title made from the query.
    pub fn title(mut self, title: impl Into<String>) -> ChartOptions {
        self.title = Some(title.into());
        self
    }

    /// The column to draw: a measure (`persons`, `records`, `statements`)
    /// or a derived column (`change`, `cumulative`, `stock`, `per_1000`,
    /// whose empty cells are not drawn). Default: the result's first
    /// measure.
    pub fn measure(mut self, name: impl Into<String>) -> ChartOptions {
        self.measure = Some(name.into());
        self
    }

    /// The size in pixels, width then height; at least [`MIN_SIZE`].
    pub fn size(mut self, width: u32, height: u32) -> ChartOptions {
        self.size = (width.max(MIN_SIZE.0), height.max(MIN_SIZE.1));
        self
    }

    /// The size in pixels, width then height.
    pub fn get_size(&self) -> (u32, u32) {
        self.size
    }
}

/// Draws `result` as an SVG document (see the [module docs](self) for
/// what is drawn).
///
/// # Errors
///
/// [`Error::Query`] when there is nothing to draw: the result has no rows,
/// or every cell of the chosen column is empty; or when the chosen column
/// is not one of the result's measures or derived columns.
///
/// ```
/// use refugee_data::{chart, ChartOptions, Dataset, Dimension, Query};
/// // Statements by stance: no time dimension, so one bar per stance.
/// let q = Query::statements().by(Dimension::Stance);
/// let result = Dataset::sample().query(&q)?;
/// let svg = chart::svg(&result, &ChartOptions::for_query(&q).title("Stances"))?;
/// assert!(svg.contains("\nStances\n</text>"));
/// // The background and a bar per stance (one series: no legend).
/// assert_eq!(svg.matches("<rect").count(), 1 + result.len());
///
/// let none = Query::statements().by(Dimension::Stance).to("1990-01-01".parse()?);
/// let err = chart::svg(&Dataset::sample().query(&none)?, &ChartOptions::new()).unwrap_err();
/// assert_eq!(err.to_string(), "nothing to chart: the result has no rows");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn svg(result: &QueryResult, options: &ChartOptions) -> Result<String, Error> {
    if result.is_empty() {
        return Err(Error::Query("nothing to chart: the result has no rows".into()));
    }
    let measure = match &options.measure {
        Some(m) => m.as_str(),
        None => result.measures()[0],
    };
    let values = column_values(result, measure)?;
    if values.iter().all(Option::is_none) {
        return Err(Error::Query(format!(
            "nothing to chart: every cell of \"{measure}\" is empty"
        )));
    }
    let names = result.columns();
    let time = result.dimensions().iter().position(|d| d.is_time());
    let plot = match time {
        Some(t) => line_plot(result, t, &values, &names, measure)?,
        None => bar_plot(result, &values, &names, measure, max_clusters(options.size.0)),
    };
    let title = match &options.title {
        Some(title) => text(title),
        None => default_title(options.table, measure, &names[..result.dimensions().len()]),
    };
    let mut subtitle = options.scope.as_deref().map(text).unwrap_or_default();
    if !plot.note.is_empty() {
        if !subtitle.is_empty() {
            subtitle.push_str(" — ");
        }
        subtitle.push_str(&plot.note.join("; "));
    }
    draw::svg(&plot, &title, &subtitle, measure, options.size)
}

/// "Deportations: persons by year and host".
fn default_title(table: Option<Table>, measure: &str, dimensions: &[&str]) -> String {
    let mut title = match table {
        Some(t) => {
            let name = t.name();
            format!("{}{}: {measure}", name[..1].to_ascii_uppercase(), &name[1..])
        }
        None => measure.to_string(),
    };
    if let Some((last, rest)) = dimensions.split_last() {
        title.push_str(" by ");
        if !rest.is_empty() {
            title.push_str(&rest.join(", "));
            title.push_str(" and ");
        }
        title.push_str(last);
    }
    title
}

/// `s` safe as SVG text: control characters escaped as the table view
/// shows them, the two non-characters XML forbids replaced (plotters
/// escapes `<`, `>`, `&` and quotes).
fn text(s: &str) -> String {
    escape_controls(s).replace(['\u{fffe}', '\u{ffff}'], "\u{fffd}")
}

/// A label from a file as [`text`], an empty one (a statement without a
/// target country) shown as `(empty)`.
fn label(s: &str) -> String {
    if s.is_empty() {
        "(empty)".into()
    } else {
        text(s)
    }
}

/// The cells of the measure or derived column `name`, one a row.
fn column_values(result: &QueryResult, name: &str) -> Result<Vec<Option<i128>>, Error> {
    if let Some(i) = result.measures().iter().position(|m| *m == name) {
        return Ok(result.rows().map(|r| Some(i128::from(r.value(i)))).collect());
    }
    if result.derived_columns().contains(&name) {
        return Ok(result.rows().map(|r| r.derived(name)).collect());
    }
    let numeric: Vec<&str> =
        result.measures().iter().chain(result.derived_columns()).copied().collect();
    Err(Error::Query(format!(
        "cannot chart \"{}\": the result's numeric columns are {}",
        text(name),
        numeric.join(", ")
    )))
}

/// What is drawn, in chart units: days on a time axis, slots for bars.
struct Plot {
    bars: bool,
    /// The x axis's name (the time or first dimension).
    x_name: String,
    /// The legend's heading: the names of the dimensions that tell the
    /// series apart (`host`, `host / kind`); empty when there are none.
    legend_name: String,
    series: Vec<Series>,
    /// The x axis's labelled positions.
    ticks: Vec<(i64, String)>,
    x_range: (i64, i64),
    /// "the 12 largest of 20 series are shown", for what is left out.
    note: Vec<String>,
}

/// One line (its unbroken runs of points) or one colour of bars.
struct Series {
    label: String,
    /// Lines: runs of `(x, y)`; bars: one run of `(left edge, height)`.
    runs: Vec<Vec<(i64, i64)>>,
}

/// Width of a bar in chart units; the gap between two clusters is half a bar.
const BAR: i64 = 10;

/// A line's point: its bucket's first and last day, and its value.
struct Point {
    first: NaiveDate,
    last: NaiveDate,
    value: i128,
}

fn line_plot(
    result: &QueryResult,
    t: usize,
    values: &[Option<i128>],
    names: &[&str],
    measure: &str,
) -> Result<Plot, Error> {
    let mut groups: BTreeMap<Vec<&str>, Vec<Point>> = BTreeMap::new();
    for (row, value) in result.rows().zip(values) {
        let Some(value) = *value else { continue };
        let (first, last) = row.bucket(t).ok_or_else(|| {
            Error::Query(format!("cannot chart: \"{}\" is no time bucket", text(row.key(t))))
        })?;
        let group = row.keys().enumerate().filter(|(i, _)| *i != t).map(|(_, k)| k);
        groups.entry(group.collect()).or_default().push(Point { first, last, value });
    }
    let groups: Vec<(String, Vec<Point>)> = groups
        .into_iter()
        .map(|(key, mut points)| {
            points.sort_by_key(|p| p.first);
            (series_label(&key, measure), points)
        })
        .collect();
    let (groups, note) = largest(groups, MAX_SERIES, "series", |points| {
        points.iter().map(|p| p.value.unsigned_abs()).sum()
    });
    let series: Vec<Series> =
        groups.into_iter().map(|(label, points)| Series { label, runs: runs(&points) }).collect();
    let xs = series.iter().flat_map(|s| s.runs.iter().flatten().map(|p| p.0));
    let (lo, hi) = (xs.clone().min().expect("a point"), xs.max().expect("a point"));
    let pad = if hi > lo { ((hi - lo) / 16).max(1) } else { 180 };
    Ok(Plot {
        bars: false,
        x_name: names[t].to_string(),
        legend_name: legend_name(names, result.dimensions().len(), t),
        series,
        ticks: bucket_ticks(result.dimensions()[t], lo, hi),
        x_range: (lo - pad, hi + pad),
        note,
    })
}

/// Every bucket from the one starting on day `lo` to the one starting on
/// day `hi`, with its label: evenly spaced candidates for the axis's
/// labels, buckets without rows included.
fn bucket_ticks(dimension: Dimension, lo: i64, hi: i64) -> Vec<(i64, String)> {
    let from_day = |d: i64| NaiveDate::from_num_days_from_ce_opt(i32::try_from(d).ok()?);
    let mut ticks = Vec::new();
    let mut next = from_day(lo);
    while let Some(d) = next.filter(|d| day(*d) <= hi) {
        let (label, following) = match dimension {
            Dimension::Week => {
                let w = d.iso_week();
                (format!("{}-W{:02}", w.year(), w.week()), d.checked_add_days(Days::new(7)))
            }
            Dimension::Month => {
                (d.format("%Y-%m").to_string(), d.checked_add_months(Months::new(1)))
            }
            Dimension::Quarter => (
                format!("{}-Q{}", d.year(), d.month0() / 3 + 1),
                d.checked_add_months(Months::new(3)),
            ),
            Dimension::Year => (d.year().to_string(), d.checked_add_months(Months::new(12))),
            _ => (d.format("%Y-%m-%d").to_string(), d.succ_opt()),
        };
        ticks.push((day(d), label));
        next = following;
    }
    ticks
}

/// A line's unbroken runs: a run ends where the next point's bucket does
/// not start the day after this one's ends.
fn runs(points: &[Point]) -> Vec<Vec<(i64, i64)>> {
    let mut runs: Vec<Vec<(i64, i64)>> = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let joined = i > 0 && points[i - 1].last.succ_opt() == Some(p.first);
        if !joined {
            runs.push(Vec::new());
        }
        runs.last_mut().expect("a run was started").push((day(p.first), clamp(p.value)));
    }
    runs
}

/// (cluster, series, value) of a bar.
type Bar<'a> = (&'a str, String, Option<i128>);

fn bar_plot(
    result: &QueryResult,
    values: &[Option<i128>],
    names: &[&str],
    measure: &str,
    max_clusters: usize,
) -> Plot {
    // In row order: a cluster's rows are contiguous.
    let rows: Vec<Bar<'_>> = result
        .rows()
        .zip(values)
        .map(|(row, v)| {
            let keys: Vec<&str> = row.keys().collect();
            let cluster = keys.first().copied().unwrap_or("total");
            (cluster, series_label(keys.get(1..).unwrap_or(&[]), measure), *v)
        })
        .collect();
    let x_name = if result.dimensions().is_empty() { "" } else { names[0] };
    let (rows, labels, note) = keep_largest_bars(rows, x_name, max_clusters);
    let mut series: Vec<Series> =
        labels.into_iter().map(|label| Series { label, runs: vec![Vec::new()] }).collect();
    let (mut x, mut ticks, mut start) = (0, Vec::new(), 0);
    for (i, (cluster, name, value)) in rows.iter().enumerate() {
        if i > 0 && rows[i - 1].0 != *cluster {
            ticks.push(((start + x) / 2, label(rows[i - 1].0)));
            x += BAR / 2;
            start = x;
        }
        let s = series.iter_mut().find(|s| s.label == *name).expect("a kept series");
        if let Some(v) = value {
            s.runs[0].push((x, clamp(*v)));
        }
        x += BAR;
    }
    ticks.push(((start + x) / 2, label(rows.last().map_or("", |r| r.0))));
    Plot {
        bars: true,
        x_name: x_name.to_string(),
        legend_name: legend_name(names, result.dimensions().len(), 0),
        series,
        ticks,
        x_range: (-BAR / 2, x + BAR / 2),
        note,
    }
}

/// The bars of the [`MAX_SERIES`] largest series and, of those, of the
/// `max_clusters` largest clusters (as many as can be labelled one by
/// one), with the series' labels and what was left out.
fn keep_largest_bars<'a>(
    rows: Vec<Bar<'a>>,
    x_name: &str,
    max_clusters: usize,
) -> (Vec<Bar<'a>>, Vec<String>, Vec<String>) {
    let mut totals: BTreeMap<&str, u128> = BTreeMap::new();
    for (_, s, v) in &rows {
        *totals.entry(s).or_default() += v.map_or(0, i128::unsigned_abs);
    }
    let totals = totals.into_iter().map(|(s, t)| (s.to_string(), t)).collect();
    let (series, mut note) = largest(totals, MAX_SERIES, "series", |t| *t);
    let labels: Vec<String> = series.into_iter().map(|(s, _)| s).collect();
    let rows: Vec<Bar<'a>> = rows.into_iter().filter(|r| labels.contains(&r.1)).collect();
    let mut clusters: Vec<(String, u128)> = Vec::new();
    for (c, _, v) in &rows {
        if clusters.last().map(|l| l.0.as_str()) != Some(*c) {
            clusters.push((c.to_string(), 0));
        }
        clusters.last_mut().expect("a cluster").1 += v.map_or(0, i128::unsigned_abs);
    }
    let (clusters, cluster_note) =
        largest(clusters, max_clusters, &format!("values of {x_name}"), |t| *t);
    note.extend(cluster_note);
    let rows = rows.into_iter().filter(|r| clusters.iter().any(|c| c.0 == r.0)).collect();
    (rows, labels, note)
}

/// The names of the dimensions other than the axis's, of the first `n`
/// columns.
fn legend_name(names: &[&str], n: usize, axis: usize) -> String {
    let others: Vec<&str> = (0..n).filter(|&i| i != axis).map(|i| names[i]).collect();
    others.join(" / ")
}

/// A series' legend label: its labels in the dimensions other than the
/// axis's, or the measure's name when there are none.
fn series_label(keys: &[&str], measure: &str) -> String {
    if keys.is_empty() {
        measure.to_string()
    } else {
        keys.iter().map(|k| label(k)).collect::<Vec<_>>().join(" / ")
    }
}

/// Keeps the `max` items (series, or clusters of bars) with the largest
/// totals (sums of absolute values; a ranking only), in their order, and
/// says so when some are left out.
fn largest<T>(
    items: Vec<(String, T)>,
    max: usize,
    what: &str,
    total: impl Fn(&T) -> u128,
) -> (Vec<(String, T)>, Vec<String>) {
    let n = items.len();
    if n <= max {
        return (items, Vec::new());
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(total(&items[i].1)));
    let mut keep = vec![false; n];
    for &i in &order[..max] {
        keep[i] = true;
    }
    let kept = items.into_iter().zip(keep).filter(|(_, k)| *k).map(|(s, _)| s).collect();
    (kept, vec![format!("the {max} largest of {n} {what} are shown")])
}

fn day(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

fn clamp(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}
