//! Aggregation queries by date bucket and by country.
//!
//! * **Flows** (deportations) are summed into the bucket of their `date`.
//! * **Stocks** (registrations) are never summed over time: a *series* is
//!   (origin, host, population, source); with a time dimension each series
//!   contributes its latest observation inside each bucket (no carry-forward),
//!   without one it contributes its latest observation as of a date.
//! * Two sources are never added for one population: such a query is an error.

mod dimension;
mod engine;
mod result;

pub use dimension::Dimension;
pub use result::{thousands, QueryResult, ResultRow};

use chrono::NaiveDate;

use crate::{Dataset, Error, Table};

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
        Query { table, by: Vec::new(), from: None, to: None, as_of: None, filters: Vec::new() }
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

    /// Keeps only records whose `dimension` has one of `values`: countries in
    /// any accepted spelling, vocabularies case-insensitively, texts exactly
    /// after trimming. Filtering one dimension twice keeps the intersection.
    ///
    /// ```
    /// use refugee_data::{Dataset, Dimension, Error, Query};
    /// let q = Query::statements().filter(Dimension::TargetCountry, ["Pakistan", "IR"]);
    /// assert!(Dataset::sample().query(&q)?.rows().next().unwrap().value(0) > 0);
    /// let bad = Query::statements().filter(Dimension::TargetCountry, ["Pakistn"]);
    /// assert!(matches!(Dataset::sample().query(&bad), Err(Error::Query(_))));
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn filter<I, S>(mut self, dimension: Dimension, values: I) -> Query
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.filters.push((dimension, values.into_iter().map(Into::into).collect()));
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
