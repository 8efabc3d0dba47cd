//! Flows around statements: for each matching statement, the flows in the
//! `N` days before it and in the `N` days from it on.

use chrono::NaiveDate;

use super::engine::selected_rows;
use super::{Dimension, Query, QueryResult};
use crate::record::{day_of, Day};
use crate::{Dataset, Error, Table};

/// A window query: which statements, which flows, and how many days on
/// each side. Answered by [`Dataset::window`].
///
/// For each statement that passes the statement filters (and `from`/`to`,
/// which bound the statements' dates), on day `d`: `persons_before` is the
/// sum of `count` of the matching deportations whose `date` lies in
/// `d-N ..= d-1`, `persons_after` the same over `d ..= d+N-1` (0 when none),
/// and `change` = after - before. The flow source rule applies to each
/// statement's two windows together: a statement whose windows would add
/// two sources' figures for one flow makes the whole query an error. Rows
/// are sorted by date, then actor, then summary (bytes).
///
/// ```
/// use refugee_data::{Dataset, Dimension, Window};
/// // Returns from Pakistan counted by IOM DTM around statements addressed to Pakistan.
/// let w = Window::new(30)
///     .statements(Dimension::TargetCountry, ["PAK"])
///     .flows(Dimension::Origin, ["AFG"])
///     .flows(Dimension::Host, ["PAK"])
///     .flows(Dimension::Source, ["IOM DTM"]);
/// let result = Dataset::sample().window(&w)?;
/// assert_eq!(
///     result.columns(),
///     ["date", "actor", "stance", "target_country", "persons_before", "persons_after", "change"]
/// );
/// for row in result.rows() {
///     let (before, after) = (row.value(0) as i128, row.value(1) as i128);
///     assert_eq!(row.change(), Some(after - before));
/// }
/// # Ok::<(), refugee_data::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    days: u32,
    statements: Vec<(Dimension, Vec<String>)>,
    flows: Vec<(Dimension, Vec<String>)>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

impl Window {
    /// The most days on each side.
    pub const MAX_DAYS: u32 = 366;

    /// A window of `days` days on each side of each statement (1 to 366).
    pub fn new(days: u32) -> Window {
        Window { days, statements: Vec::new(), flows: Vec::new(), from: None, to: None }
    }

    /// Keeps the statements whose `dimension` has one of `values` (as
    /// [`Query::filter`] on statements).
    pub fn statements<I, S>(mut self, dimension: Dimension, values: I) -> Window
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.statements.push((dimension, values.into_iter().map(Into::into).collect()));
        self
    }

    /// Keeps the deportations whose `dimension` has one of `values` (as
    /// [`Query::filter`] on deportations).
    pub fn flows<I, S>(mut self, dimension: Dimension, values: I) -> Window
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.flows.push((dimension, values.into_iter().map(Into::into).collect()));
        self
    }

    /// Only statements made on or after `from`.
    pub fn from(mut self, from: NaiveDate) -> Window {
        self.from = Some(from);
        self
    }

    /// Only statements made on or before `to`.
    pub fn to(mut self, to: NaiveDate) -> Window {
        self.to = Some(to);
        self
    }
}

impl Dataset {
    /// Answers a [`Window`] query.
    ///
    /// # Errors
    ///
    /// [`Error::Query`] for a number of days outside 1..=366 or a filter
    /// that does not apply (a deportation dimension among the statement
    /// filters, an invalid country); [`Error::SourceAmbiguity`] when one
    /// statement's two windows would add two sources' figures for one flow.
    pub fn window(&self, w: &Window) -> Result<QueryResult, Error> {
        if !(1..=Window::MAX_DAYS).contains(&w.days) {
            return Err(Error::Query(format!(
                "the window is {} days: expected 1 to {} days on each side",
                w.days,
                Window::MAX_DAYS
            )));
        }
        let bounds = (w.from.map_or(Day::MIN, day_of), w.to.map_or(Day::MAX, day_of));
        let mut rows = selected_rows(self, Table::Statements, &w.statements, bounds)?;
        let c = &self.statements;
        let text = |id: u32| self.texts.text(id);
        rows.sort_by(|&a, &b| {
            (c.date[a], text(c.actor[a]), text(c.summary[a])).cmp(&(
                c.date[b],
                text(c.actor[b]),
                text(c.summary[b]),
            ))
        });
        // The flows, checked once per statement over both windows.
        let n = w.days as Day;
        let flows = |lo: Day, hi: Day| -> Result<u64, Error> {
            let mut q = Query::deportations()
                .from(crate::record::date_of_day(lo))
                .to(crate::record::date_of_day(hi));
            q.filters.clone_from(&w.flows);
            let result = self.query(&q)?;
            let persons = result.rows().next().map_or(0, |r| r.value(0));
            Ok(persons)
        };
        let mut out = QueryResult {
            dimensions: vec![
                Dimension::Day,
                Dimension::Actor,
                Dimension::Stance,
                Dimension::TargetCountry,
            ],
            measures: &["persons_before", "persons_after"],
            keys: Vec::new(),
            values: Vec::new(),
            buckets: Vec::new(),
            derived: vec!["change"],
            derived_values: Vec::new(),
            key_names: Some(&["date", "actor", "stance", "target_country"]),
        };
        for r in rows {
            let d = c.date[r];
            flows(d - n, d + n - 1)?;
            let (before, after) = (flows(d - n, d - 1)?, flows(d, d + n - 1)?);
            let record = c.record(r, &self.texts);
            out.keys.extend([
                record.date.to_string(),
                record.actor,
                record.stance.to_string(),
                record.target_country.map_or(String::new(), |t| t.alpha3().to_string()),
            ]);
            out.values.extend([before, after]);
            out.derived_values.push(Some(after as i128 - before as i128));
        }
        Ok(out)
    }
}
