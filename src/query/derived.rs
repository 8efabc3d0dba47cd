//! Columns derived from a query's own rows (`change`, `cumulative`) and
//! flows compared with a stock (`stock`, `per_1000`).

use std::collections::HashMap;

use super::engine::{bucket_first_day, region_label_of, registration_filter};
use super::{Derived, Dimension, Query, QueryResult};
use crate::hash::FxBuildHasher;
use crate::record::{day_of, Day};
use crate::{Country, Dataset, Error, PopulationType, Table};

/// Checks the derived columns a query asks for, before it runs.
pub(super) fn check(q: &Query) -> Result<(), Error> {
    let time = q.by.iter().any(|d| d.is_time());
    for d in &q.with {
        if !time {
            return Err(Error::Query(format!(
                "{} needs a time dimension (day, week, month, quarter or year)",
                d.name()
            )));
        }
        if *d == Derived::Cumulative && q.table == Table::Registrations {
            return Err(Error::Query(
                "cumulative applies to flows and statements, not to registrations: a stock is \
                 not accumulated (use change for the difference between buckets)"
                    .into(),
            ));
        }
    }
    if let Some((populations, _)) = &q.per_stock {
        if q.table != Table::Deportations {
            return Err(Error::Query(format!(
                "per-stock compares flows with a stock: it applies to deportations, not to {}",
                q.table
            )));
        }
        if !time && q.from.is_none() {
            return Err(Error::Query(
                "per-stock without a time dimension needs from: the stock is taken as of the \
                 day before it"
                    .into(),
            ));
        }
        if populations.is_empty() {
            return Err(Error::Query("per-stock needs at least one population".into()));
        }
        for p in populations {
            p.parse::<PopulationType>().map_err(|e| Error::Query(format!("per-stock: {e}")))?;
        }
    }
    Ok(())
}

/// Adds the derived columns to a result.
pub(super) fn apply(ds: &Dataset, q: &Query, result: &mut QueryResult) -> Result<(), Error> {
    let mut columns: Vec<(&'static str, Vec<Option<i128>>)> = Vec::new();
    for d in &q.with {
        let values = match d {
            Derived::Change => change(result),
            Derived::Cumulative => cumulative(result),
        };
        columns.push((d.name(), values));
    }
    if q.per_stock.is_some() {
        let stocks = stock(ds, q, result)?;
        let per_1000 = result
            .rows()
            .zip(&stocks)
            .map(|(r, s)| match s {
                Some(s) if *s > 0 => Some(r.value(0) as i128 * 1000 / *s),
                _ => None,
            })
            .collect();
        columns.push(("stock", stocks));
        columns.push(("per_1000", per_1000));
    }
    result.derived = columns.iter().map(|(name, _)| *name).collect();
    result.derived_values =
        (0..result.len()).flat_map(|i| columns.iter().map(move |(_, v)| v[i])).collect();
    Ok(())
}

fn change(result: &QueryResult) -> Vec<Option<i128>> {
    let rows: Vec<_> = result.rows().collect();
    let first: HashMap<(u128, i64), u64, FxBuildHasher> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| ((result.groups[i], result.buckets[i]), r.value(0)))
        .collect();
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let previous = first.get(&(result.groups[i], result.buckets[i] - 1))?;
            Some(r.value(0) as i128 - *previous as i128)
        })
        .collect()
}

fn cumulative(result: &QueryResult) -> Vec<Option<i128>> {
    let rows: Vec<_> = result.rows().collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| result.buckets[i]);
    let mut running: HashMap<u128, i128, FxBuildHasher> = HashMap::default();
    let mut out = vec![None; rows.len()];
    for i in order {
        let sum = running.entry(result.groups[i]).or_insert(0);
        *sum += rows[i].value(0) as i128;
        out[i] = Some(*sum);
    }
    out
}

/// The dimensions of the query that place a stock: origin, host and regions.
fn placing(d: Dimension) -> bool {
    matches!(d, Dimension::Origin | Dimension::Host) || d.is_region()
}

/// The label of a registration's origin or host in a placing dimension.
fn label(d: Dimension, origin: u16, host: u16) -> String {
    match d {
        Dimension::Origin => Country::from_id(origin).alpha3().to_string(),
        Dimension::Host => Country::from_id(host).alpha3().to_string(),
        Dimension::OriginRegion | Dimension::OriginSubregion => {
            region_label_of(d, origin).to_string()
        }
        _ => region_label_of(d, host).to_string(),
    }
}

/// The `stock` column: for each row, the stock as of the day before its
/// bucket (or before `from`), over the matching series, `None` when none
/// contributes.
fn stock(ds: &Dataset, q: &Query, result: &QueryResult) -> Result<Vec<Option<i128>>, Error> {
    let (populations, source) = q.per_stock.as_ref().expect("checked by the caller");
    let populations: Vec<u8> = populations
        .iter()
        .map(|p| p.parse::<PopulationType>().map(|p| p as u8))
        .collect::<Result<_, _>>()
        .map_err(|e| Error::Query(format!("per-stock: {e}")))?;
    let filters = q
        .filters
        .iter()
        .filter(|(d, _)| placing(*d))
        .map(|(d, v)| registration_filter(ds, *d, v))
        .collect::<Result<Vec<_>, _>>()?;
    let time = q.by.iter().find(|d| d.is_time()).copied();
    // The as-of day of each row.
    let as_of: Vec<Day> = match time {
        Some(t) => result.buckets.iter().map(|&b| bucket_first_day(t, b) - 1).collect(),
        None => vec![day_of(q.from.expect("checked")) - 1; result.len()],
    };
    // The series of the stock: (origin, host, population) of the one source,
    // each with its observations sorted by date.
    let c = &ds.registrations;
    let mut series: HashMap<(u16, u16, u8), Vec<(Day, u64)>> = HashMap::new();
    if let Some(source) = ds.texts.get(source.trim()) {
        for i in 0..c.len() {
            if c.source[i] == source
                && populations.contains(&c.population[i])
                && filters.iter().all(|f| f(i))
            {
                series
                    .entry((c.origin[i], c.host[i], c.population[i]))
                    .or_default()
                    .push((c.date[i], c.count.at(i)));
            }
        }
    }
    for obs in series.values_mut() {
        obs.sort_unstable();
    }
    // The stock by (as-of day, labels of the placing dimensions): the label
    // tuples numbered once, so that the sums are keyed by two integers.
    let dims: Vec<(usize, Dimension)> =
        q.by.iter().copied().enumerate().filter(|(_, d)| placing(*d)).collect();
    let mut days: Vec<Day> = as_of.clone();
    days.sort_unstable();
    days.dedup();
    let mut groups: HashMap<Vec<String>, u32> = HashMap::new();
    let series_groups: Vec<(u32, &Vec<(Day, u64)>)> = series
        .iter()
        .map(|(&(origin, host, _), obs)| {
            let labels: Vec<String> = dims.iter().map(|&(_, d)| label(d, origin, host)).collect();
            let next = groups.len() as u32;
            (*groups.entry(labels).or_insert(next), obs)
        })
        .collect();
    // Dense sums, day-major; `None` where no series contributes. Each
    // series walks its observations and the days together.
    let width = groups.len().max(1);
    let mut stocks = Sums::new(days.len() * width);
    for (g, obs) in series_groups {
        let mut n = 0;
        for (k, &day) in days.iter().enumerate() {
            while n < obs.len() && obs[n].0 <= day {
                n += 1;
            }
            if n > 0 {
                stocks.add(k * width + g as usize, obs[n - 1].1);
            }
        }
    }
    Ok(result
        .rows()
        .zip(&as_of)
        .map(|(r, day)| {
            let labels: Vec<String> = dims.iter().map(|&(i, _)| r.key(i).to_string()).collect();
            let g = *groups.get(&labels)? as usize;
            let k = days.binary_search(day).ok()?;
            stocks.get(k * width + g).map(|s| s as i128)
        })
        .collect())
}

/// Sums by cell, `None` where nothing was added: a dense array while the
/// cells are few, a map when they are many (days x groups can be large).
enum Sums {
    Dense(Vec<Option<u128>>),
    Sparse(HashMap<usize, u128>),
}

impl Sums {
    const DENSE_MAX: usize = 1 << 22;

    fn new(cells: usize) -> Sums {
        if cells <= Self::DENSE_MAX {
            Sums::Dense(vec![None; cells])
        } else {
            Sums::Sparse(HashMap::new())
        }
    }

    fn add(&mut self, cell: usize, v: u64) {
        match self {
            Sums::Dense(d) => d[cell] = Some(d[cell].unwrap_or(0) + v as u128),
            Sums::Sparse(m) => *m.entry(cell).or_insert(0) += v as u128,
        }
    }

    fn get(&self, cell: usize) -> Option<u128> {
        match self {
            Sums::Dense(d) => d[cell],
            Sums::Sparse(m) => m.get(&cell).copied(),
        }
    }
}
