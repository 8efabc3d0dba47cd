//! Aggregation queries by date bucket and by country.
//!
//! * **Flows** (deportations) are summed into the bucket of their `date`.
//! * **Stocks** (registrations) are never summed over time: a *series* is
//!   (origin, host, population, source); with a time dimension each series
//!   contributes its latest observation inside each bucket (no carry-forward),
//!   without one it contributes its latest observation as of a date.
//! * Two sources are never added for one population: such a query is an error.

mod derived;
mod dimension;
mod engine;
mod result;
mod window;

pub use dimension::Dimension;
pub use result::{escape_controls, thousands, Cell, QueryResult, ResultRow};
pub use window::Window;

use chrono::NaiveDate;

use crate::{Country, Dataset, Error, PopulationType, ReturnKind, Stance, Table};

/// One value of a [`Query::filter`]: a string as the user wrote it, or a
/// typed value ([`Country`], [`PopulationType`], [`ReturnKind`],
/// [`Stance`]) turned into its label.
///
/// A country becomes its alpha-3 code, a vocabulary value its lower-case
/// label; strings are kept as they are (the query trims and parses them).
///
/// ```
/// use refugee_data::{Country, FilterValue, PopulationType};
/// assert_eq!(FilterValue::from(Country::parse("Afghanistan")?).as_str(), "AFG");
/// assert_eq!(FilterValue::from(PopulationType::Refugees).as_str(), "refugees");
/// assert_eq!(FilterValue::from("Pakistan").as_str(), "Pakistan");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FilterValue(String);

impl FilterValue {
    /// The value as the query reads it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as an owned string.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for FilterValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for FilterValue {
    fn from(s: &str) -> Self {
        FilterValue(s.to_string())
    }
}

impl From<String> for FilterValue {
    fn from(s: String) -> Self {
        FilterValue(s)
    }
}

impl From<&String> for FilterValue {
    fn from(s: &String) -> Self {
        FilterValue(s.clone())
    }
}

impl From<std::borrow::Cow<'_, str>> for FilterValue {
    fn from(s: std::borrow::Cow<'_, str>) -> Self {
        FilterValue(s.into_owned())
    }
}

impl From<Country> for FilterValue {
    /// The alpha-3 code.
    fn from(c: Country) -> Self {
        FilterValue(c.alpha3().to_string())
    }
}

impl From<&Country> for FilterValue {
    /// The alpha-3 code.
    fn from(c: &Country) -> Self {
        FilterValue::from(*c)
    }
}

macro_rules! vocabulary_filter_value {
    ($($t:ty),+) => {$(
        impl From<$t> for FilterValue {
            /// The lower-case label.
            fn from(v: $t) -> Self {
                FilterValue(v.as_str().to_string())
            }
        }

        impl From<&$t> for FilterValue {
            /// The lower-case label.
            fn from(v: &$t) -> Self {
                FilterValue(v.as_str().to_string())
            }
        }
    )+};
}

vocabulary_filter_value!(PopulationType, ReturnKind, Stance);

/// A query: a table, the dimensions to group by, bounds and filters.
///
/// Build it with the methods below, run it with [`Dataset::query`].
///
/// ```
/// use refugee_data::{Dataset, Dimension, Query};
/// // Afghan refugees by host country at the end of 2023, UNHCR figures.
/// let q = Query::registrations()
///     .by(Dimension::Host)
///     .filter(Dimension::Origin, ["Afghanistan"])
///     .filter(Dimension::Population, ["refugees"])
///     .filter(Dimension::Source, ["UNHCR"])
///     .as_of("2023-12-31".parse()?);
/// let result = Dataset::sample().query(&q)?;
/// let pak = result.rows().find(|r| r.key(0) == "PAK").unwrap();
/// assert_eq!(pak.value(0), 1_987_717);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub(crate) table: Table,
    pub(crate) by: Vec<Dimension>,
    pub(crate) from: Option<NaiveDate>,
    pub(crate) to: Option<NaiveDate>,
    pub(crate) as_of: Option<NaiveDate>,
    pub(crate) filters: Vec<(Dimension, Vec<String>)>,
    pub(crate) with: Vec<Derived>,
    /// `(populations, source)` of the stock that flows are compared with.
    pub(crate) per_stock: Option<(Vec<String>, String)>,
}

/// A column derived from a query's own rows, added after the measures.
///
/// ```
/// use refugee_data::{Dataset, Derived, Dimension, Query};
/// let q = Query::statements().by(Dimension::Month).with(Derived::Cumulative);
/// let result = Dataset::sample().query(&q)?;
/// assert_eq!(result.columns(), ["month", "statements", "cumulative"]);
/// let last = result.rows().last().unwrap();
/// assert_eq!(last.cumulative(), Some(30));
/// # Ok::<(), refugee_data::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
#[non_exhaustive]
pub enum Derived {
    /// `change`: the row's first measure minus that of the same group (same
    /// labels in every other dimension) in the immediately preceding bucket,
    /// as the result has it; empty when the result has no row there (the
    /// first bucket, a bucket before `from`, a group absent then). Needs a
    /// time dimension; may be negative.
    Change,
    /// `cumulative`: the running sum of the first measure over the group's
    /// rows in bucket order, this row included. Flows and statements only
    /// (a stock is not accumulated); needs a time dimension.
    Cumulative,
}

impl Derived {
    /// The column name: `change` or `cumulative`.
    pub fn name(self) -> &'static str {
        match self {
            Derived::Change => "change",
            Derived::Cumulative => "cumulative",
        }
    }
}

impl std::str::FromStr for Derived {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "change" => Ok(Derived::Change),
            "cumulative" => Ok(Derived::Cumulative),
            other => Err(Error::Query(format!(
                "\"{other}\" is not a derived column (expected change or cumulative)"
            ))),
        }
    }
}

impl Query {
    /// A query on `table` with no dimensions, bounds or filters (one total row).
    ///
    /// ```
    /// use refugee_data::{Dataset, Query, Table};
    /// let total = Dataset::sample().query(&Query::new(Table::Statements))?;
    /// assert_eq!(total.rows().next().unwrap().value(0), 30);
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn new(table: Table) -> Query {
        Query {
            table,
            by: Vec::new(),
            from: None,
            to: None,
            as_of: None,
            filters: Vec::new(),
            with: Vec::new(),
            per_stock: None,
        }
    }

    /// A query on the registrations (stocks).
    pub fn registrations() -> Query {
        Query::new(Table::Registrations)
    }

    /// A query on the deportation events (flows).
    pub fn deportations() -> Query {
        Query::new(Table::Deportations)
    }

    /// A query on the policy statements.
    pub fn statements() -> Query {
        Query::new(Table::Statements)
    }

    /// The table queried.
    pub fn table(&self) -> Table {
        self.table
    }

    /// Adds a dimension to group by; rows are sorted by the dimensions in
    /// the order they were added.
    ///
    /// ```
    /// use refugee_data::{Dataset, Dimension, Query};
    /// let q = Query::statements().by(Dimension::Month).by(Dimension::Stance);
    /// let result = Dataset::sample().query(&q)?;
    /// assert_eq!(result.columns(), ["month", "stance", "statements"]);
    /// assert_eq!(result.rows().next().unwrap().key(0), "2023-10");
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn by(mut self, dimension: Dimension) -> Query {
        self.by.push(dimension);
        self
    }

    /// Only records with `date >= from` (inclusive).
    ///
    /// ```
    /// use refugee_data::{Dataset, Query};
    /// let q = Query::statements().from("2024-01-01".parse()?);
    /// let result = Dataset::sample().query(&q)?;
    /// assert!(result.rows().next().unwrap().value(0) < 30);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from(mut self, from: NaiveDate) -> Query {
        self.from = Some(from);
        self
    }

    /// Only records with `date <= to` (inclusive).
    ///
    /// ```
    /// use refugee_data::{Dataset, Query};
    /// let q = Query::statements().to("2023-10-31".parse()?);
    /// let result = Dataset::sample().query(&q)?;
    /// assert!(result.rows().next().unwrap().value(0) >= 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to(mut self, to: NaiveDate) -> Query {
        self.to = Some(to);
        self
    }

    /// For registrations without a time dimension: the snapshot date
    /// (default: the latest date of the table). Each series contributes its
    /// latest observation on or before it.
    ///
    /// ```
    /// use refugee_data::{Dataset, Dimension, Query};
    /// let q = Query::registrations()
    ///     .filter(Dimension::Origin, ["AFG"])
    ///     .filter(Dimension::Host, ["PAK"])
    ///     .filter(Dimension::Population, ["refugees"])
    ///     .filter(Dimension::Source, ["UNHCR"])
    ///     .as_of("2023-09-30".parse()?); // the mid-2023 figure is the latest then
    /// let result = Dataset::sample().query(&q)?;
    /// assert_eq!(result.rows().next().unwrap().value(0), 2_079_989);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_of(mut self, as_of: NaiveDate) -> Query {
        self.as_of = Some(as_of);
        self
    }

    /// Adds a derived column (see [`Derived`]); `change` comes before
    /// `cumulative` whatever the order they are added in.
    pub fn with(mut self, derived: Derived) -> Query {
        if !self.with.contains(&derived) {
            self.with.push(derived);
            self.with.sort_unstable();
        }
        self
    }

    /// Compares flows with a stock (deportation queries only): adds the
    /// columns `stock` and `per_1000`. A row's `stock` is the registrations
    /// stock of `populations` counted by `source` (one source, so that no
    /// two are added), as of the day before the first day of the row's
    /// bucket (without a time dimension: the day before `from`, which is
    /// then required), summed over the registration series whose origin and
    /// host match the row's origin, host and region labels where those are
    /// dimensions and pass the query's origin, host and region filters; the
    /// flows' kind, crossing, source and date bounds do not apply to it.
    /// `per_1000` is `floor(persons * 1000 / stock)`. Both are empty when no
    /// series contributes, `per_1000` also when the stock is 0.
    ///
    /// ```
    /// use refugee_data::{Dataset, Dimension, Query};
    /// // UNHCR's yearly refugee returns from Pakistan per 1,000 Afghan
    /// // refugees registered there at the end of the year before.
    /// let q = Query::deportations()
    ///     .by(Dimension::Year)
    ///     .filter(Dimension::Origin, ["AFG"])
    ///     .filter(Dimension::Host, ["PAK"])
    ///     .filter(Dimension::Kind, ["returned"])
    ///     .filter(Dimension::Source, ["UNHCR"])
    ///     .from("2023-01-01".parse()?)
    ///     .to("2023-12-31".parse()?)
    ///     .per_stock(["refugees"], "UNHCR");
    /// let result = Dataset::sample().query(&q)?;
    /// let row = result.rows().next().unwrap();
    /// assert_eq!(row.stock(), Some(1_743_278));
    /// assert_eq!(row.per_1000(), Some(56_797 * 1000 / 1_743_278));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn per_stock<I, S>(mut self, populations: I, source: impl Into<String>) -> Query
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.per_stock = Some((populations.into_iter().map(Into::into).collect(), source.into()));
        self
    }

    /// Keeps only records whose `dimension` has one of `values`: countries in
    /// any accepted spelling, vocabularies case-insensitively, texts exactly
    /// after trimming. Filtering one dimension twice keeps the intersection.
    ///
    /// The values are strings (`&str`, `String`) or typed values: a
    /// [`Country`] (filters by its alpha-3 code), a [`PopulationType`],
    /// [`ReturnKind`] or [`Stance`] (by its label); see [`FilterValue`].
    ///
    /// ```
    /// use refugee_data::{Dataset, Dimension, Error, Query};
    /// let q = Query::statements().filter(Dimension::TargetCountry, ["Pakistan", "IR"]);
    /// assert!(Dataset::sample().query(&q)?.rows().next().unwrap().value(0) > 0);
    /// let bad = Query::statements().filter(Dimension::TargetCountry, ["Pakistn"]);
    /// assert!(matches!(Dataset::sample().query(&bad), Err(Error::Query(_))));
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    ///
    /// Typed values give the same answer as their labels:
    ///
    /// ```
    /// use refugee_data::{Country, Dataset, Dimension, PopulationType, Query};
    /// let afg = Country::parse("Afghanistan")?;
    /// let typed = Query::registrations()
    ///     .filter(Dimension::Origin, [afg])
    ///     .filter(Dimension::Population, [PopulationType::Refugees])
    ///     .filter(Dimension::Source, ["UNHCR"]);
    /// let strings = Query::registrations()
    ///     .filter(Dimension::Origin, ["AFG"])
    ///     .filter(Dimension::Population, ["refugees"])
    ///     .filter(Dimension::Source, ["UNHCR"]);
    /// let ds = Dataset::sample();
    /// assert_eq!(ds.query(&typed)?, ds.query(&strings)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn filter<I, V>(mut self, dimension: Dimension, values: I) -> Query
    where
        I: IntoIterator<Item = V>,
        V: Into<FilterValue>,
    {
        let values = values.into_iter().map(|v| v.into().into_string()).collect();
        self.filters.push((dimension, values));
        self
    }
}

impl Dataset {
    /// Runs a query.
    ///
    /// # Errors
    ///
    /// [`Error::Query`] for a malformed query (a dimension of another table,
    /// two time dimensions, `as_of` with a time dimension or on a flow table,
    /// a filter value that is no valid country or vocabulary value);
    /// [`Error::SourceAmbiguity`] when one output group would add two sources'
    /// figures for one population; [`Error::Overflow`] when a sum does not fit
    /// in `u64`.
    ///
    /// ```
    /// use refugee_data::{Dataset, Dimension, Query};
    /// let q = Query::statements().by(Dimension::Stance).filter(Dimension::TargetCountry, ["Pakistan"]);
    /// let result = Dataset::sample().query(&q)?;
    /// assert_eq!(result.columns(), ["stance", "statements"]);
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn query(&self, query: &Query) -> Result<QueryResult, Error> {
        engine::run(self, query)
    }
}
