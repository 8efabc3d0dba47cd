//! Flows around statements: for each matching statement, the flows in the
//! `N` days before it and in the `N` days from it on.

use chrono::NaiveDate;

use std::collections::HashMap;

use super::engine::selected_rows;
use super::{Dimension, QueryResult};
use crate::hash::FxBuildHasher;
use crate::record::{day_of, Day};
use crate::{Country, Dataset, Error, ReturnKind, SourceConflict, Table};

/// The flow source rule over one statement's two windows together: the
/// deportation `rows` must not hold two sources for one (origin, host, kind).
fn one_source(ds: &Dataset, rows: &[usize], date: &str) -> Result<(), Error> {
    let f = &ds.deportations;
    let mut seen: HashMap<(u16, u16, u8), u32, FxBuildHasher> = HashMap::default();
    for &r in rows {
        let source = *seen.entry((f.origin[r], f.host[r], f.kind[r])).or_insert(f.source[r]);
        if source != f.source[r] {
            let mut sources =
                [ds.texts.text(source).to_string(), ds.texts.text(f.source[r]).to_string()];
            sources.sort_unstable();
            return Err(Error::SourceAmbiguity(Box::new(SourceConflict {
                origin: Country::from_id(f.origin[r]),
                host: Country::from_id(f.host[r]),
                population: None,
                kind: Some(ReturnKind::from_index(f.kind[r])),
                group: vec![(Dimension::Day, date.to_string())],
                sources,
            })));
        }
    }
    Ok(())
}

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
    /// [`Query::filter`](crate::Query::filter) on statements).
    pub fn statements<I, S>(mut self, dimension: Dimension, values: I) -> Window
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.statements.push((dimension, values.into_iter().map(Into::into).collect()));
        self
    }

    /// Keeps the deportations whose `dimension` has one of `values` (as
    /// [`Query::filter`](crate::Query::filter) on deportations).
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
        // The matching flows once, by date (file order within a day), with
        // prefix sums of their counts: each window is a binary search away.
        let mut flows = selected_rows(self, Table::Deportations, &w.flows, (Day::MIN, Day::MAX))?;
        let f = &self.deportations;
        flows.sort_unstable_by_key(|&r| (f.date[r], r));
        let one_source_only = flows.iter().all(|&r| f.source[r] == f.source[flows[0]]);
        let dates: Vec<Day> = flows.iter().map(|&r| f.date[r]).collect();
        let mut prefix = Vec::with_capacity(flows.len() + 1);
        prefix.push(0u128);
        for &r in &flows {
            prefix.push(prefix[prefix.len() - 1] + f.count.at(r) as u128);
        }
        let sum = |a: usize, b: usize| {
            u64::try_from(prefix[b] - prefix[a]).map_err(|_| {
                Error::Overflow("the sum of persons in one window does not fit in 64 bits".into())
            })
        };
        let n = w.days as Day;
        let mut out = QueryResult {
            dimensions: vec![
                Dimension::Day,
                Dimension::Actor,
                Dimension::Stance,
                Dimension::TargetCountry,
            ],
            measures: &["persons_before", "persons_after"],
            keys: Vec::new(),
            labels: Vec::new(),
            values: Vec::new(),
            buckets: Vec::new(),
            groups: Vec::new(),
            derived: vec!["change"],
            derived_values: Vec::new(),
            key_names: Some(&["date", "actor", "stance", "target_country"]),
        };
        for r in rows {
            let d = c.date[r];
            let at = |day: Day| dates.partition_point(|&x| x < day);
            let (lo, mid, hi) = (at(d - n), at(d), at(d + n));
            let record = c.record(r, &self.texts);
            if !one_source_only {
                one_source(self, &flows[lo..hi], &record.date.to_string())?;
            }
            let (before, after) = (sum(lo, mid)?, sum(mid, hi)?);
            for label in [
                record.date.to_string(),
                record.actor,
                record.stance.to_string(),
                record.target_country.map_or(String::new(), |t| t.alpha3().to_string()),
            ] {
                out.push_label(label);
            }
            out.values.extend([before, after]);
            out.derived_values.push(Some(after as i128 - before as i128));
        }
        Ok(out)
    }
}
