//! The columnar engine.
//!
//! Every dimension becomes a small integer *code* per row whose order is the
//! order of its labels (time buckets chronologically, countries by alpha-3
//! with the empty value first, vocabularies and texts by the bytes of their
//! labels). A row's group key is the mixed-radix number of its codes, first
//! dimension most significant, so the groups come out sorted by index.
//! When the key space is small (the usual countries x buckets x
//! vocabularies), groups are slots of dense arrays filled in one pass over
//! the columns, in blocks and on both cores; when it is large (free texts),
//! a hash map takes the place of the arrays.

#![allow(clippy::needless_range_loop)] // row indexes address several columns at once

use std::collections::HashMap;

use chrono::Datelike;

use super::{Dimension, Query, QueryResult};
use crate::dataset::{series_key, with_counts, Codes, ColumnRef, NO_COUNTRY};
use crate::hash::FxBuildHasher;
use crate::record::{date_of_day, day_of, Day};
use crate::{Country, Dataset, Error, PopulationType, ReturnKind, SourceConflict, Stance, Table};

/// The largest key space aggregated in dense arrays.
const DENSE_MAX: u64 = 1 << 20;
/// Rows a block: the keys of one block stay in L1.
const BLOCK: usize = 2048;
/// Below this many rows one thread does it all.
const PARALLEL_MIN: usize = 1 << 16;

/// Vocabulary values are looked up in arrays of this many slots, indexed
/// by the value masked to the slots (no bounds check in the hot loops).
const VOCAB_SLOTS: usize = 8;
const _: () = {
    assert!(VOCAB_SLOTS.is_power_of_two());
    assert!(PopulationType::LABELS.len() <= VOCAB_SLOTS);
    assert!(ReturnKind::LABELS.len() <= VOCAB_SLOTS);
    assert!(Stance::LABELS.len() <= VOCAB_SLOTS);
};

/// How a dimension turns a row into a code.
enum Part<'a> {
    /// `code = lut[date - base]`; `first` is the bucket of code 0.
    Time { kind: Dimension, dates: &'a [Day], lut: Vec<u32>, base: Day, first: i64 },
    /// Countries present in the column, numbered by alpha-3 with the empty value first.
    Country { col: &'a [u16], codes: &'a Codes },
    /// A vocabulary: `code = rank[value]`.
    Vocab { col: &'a [u8], rank: [u8; VOCAB_SLOTS], labels: &'static [&'static str] },
    /// Interned texts present in the column, numbered by their bytes.
    Text { col: &'a [u32], codes: &'a Codes },
    /// The region of a country column: `code_of[country code]`, codes
    /// numbered by the labels' bytes, the empty label first.
    Region { col: &'a [u16], code_of: Vec<u32>, labels: Vec<&'static str> },
}

impl Part<'_> {
    fn card(&self) -> u64 {
        match self {
            Part::Time { lut, .. } => lut.last().map_or(1, |&c| c as u64 + 1),
            Part::Country { codes, .. } | Part::Text { codes, .. } => {
                codes.raw_of.len().max(1) as u64
            }
            Part::Vocab { labels, .. } => labels.len() as u64,
            Part::Region { labels, .. } => labels.len() as u64,
        }
    }

    #[inline]
    fn code(&self, row: usize) -> u32 {
        match self {
            Part::Time { dates, lut, base, .. } => {
                let i = (dates[row].wrapping_sub(*base) as u32).min(lut.len() as u32 - 1);
                lut[i as usize]
            }
            Part::Country { col, codes } => codes.code_of[country_code(col[row]) as usize],
            Part::Vocab { col, rank, .. } => rank[col[row] as usize] as u32,
            Part::Text { col, codes } => codes.code_of[col[row] as usize],
            Part::Region { col, code_of, .. } => code_of[country_code(col[row]) as usize],
        }
    }

    fn label(&self, code: u32, ds: &Dataset) -> String {
        match self {
            Part::Time { kind, first, .. } => bucket_label(*kind, *first + code as i64),
            Part::Country { codes, .. } => match codes.raw_of[code as usize] {
                0 => String::new(),
                c => Country::from_id(c as u16 - 1).alpha3().to_string(),
            },
            Part::Vocab { rank, labels, .. } => {
                let value = rank.iter().position(|&r| r as u32 == code).unwrap_or(0);
                labels[value].to_string()
            }
            Part::Text { codes, .. } => ds.texts.text(codes.raw_of[code as usize]).to_string(),
            Part::Region { labels, .. } => labels[code as usize].to_string(),
        }
    }
}

/// One dimension in the dense kernel: its codes already multiplied by the
/// dimension's place value in the group key (so a key is a sum, not a
/// product), in a table padded to a power of two so that a masked index
/// needs no bounds check; every value a column holds is below the
/// unpadded length (the tables cover every country code and every text id
/// of the dataset, which does not change once loaded), so the mask never
/// changes an index.
enum Lane<'a> {
    /// `lut[min(date - base, last)]`: dates outside the buckets' span are
    /// discarded by the bounds before they are added.
    Time {
        dates: &'a [Day],
        base: Day,
        last: u32,
        lut: Vec<u32>,
    },
    /// A country or region column, indexed by the country's code (id plus one).
    Country {
        col: &'a [u16],
        lut: Vec<u32>,
    },
    Vocab {
        col: &'a [u8],
        lut: [u32; VOCAB_SLOTS],
    },
    Text {
        col: &'a [u32],
        lut: Vec<u32>,
    },
}

/// `codes` times `place`, padded with zeros to a power of two.
fn padded(codes: &[u32], place: u32) -> Vec<u32> {
    let mut lut = vec![0; codes.len().next_power_of_two()];
    for (l, &c) in lut.iter_mut().zip(codes) {
        *l = c * place;
    }
    lut
}

/// `keys[j] = f(col[start + j])` (`first`) or `keys[j] += ...` over a block.
#[inline(always)]
fn fold_lane<T: Copy>(keys: &mut [u32], col: &[T], first: bool, f: impl Fn(T) -> u32) {
    let col = &col[..keys.len()];
    if first {
        for (k, &x) in keys.iter_mut().zip(col) {
            *k = f(x);
        }
    } else {
        for (k, &x) in keys.iter_mut().zip(col) {
            *k += f(x);
        }
    }
}

impl Lane<'_> {
    /// Adds (or, for the first lane, writes) this lane's share of the keys
    /// of rows `start..start + keys.len()`.
    fn fold(&self, keys: &mut [u32], start: usize, first: bool) {
        match self {
            Lane::Time { dates, base, last, lut } => {
                let mask = lut.len() - 1;
                fold_lane(keys, &dates[start..], first, |d: Day| {
                    lut[(d.wrapping_sub(*base) as u32).min(*last) as usize & mask]
                })
            }
            Lane::Country { col, lut } => {
                let mask = lut.len() - 1;
                fold_lane(keys, &col[start..], first, |c| lut[country_code(c) as usize & mask])
            }
            Lane::Vocab { col, lut } => {
                fold_lane(keys, &col[start..], first, |v| lut[v as usize & (VOCAB_SLOTS - 1)])
            }
            Lane::Text { col, lut } => {
                let mask = lut.len() - 1;
                fold_lane(keys, &col[start..], first, |t| lut[t as usize & mask])
            }
        }
    }
}

#[inline]
fn country_code(id: u16) -> u32 {
    // NO_COUNTRY (u16::MAX) wraps to 0, the empty label, which sorts first.
    id.wrapping_add(1) as u32
}

/// The label of a country (by its code: id plus one, 0 for none) for a
/// region dimension: UNHCR's regional bureau or the UN M49 sub-region,
/// from the country table; the empty label where it has none. Regions are
/// matched by ISO code only: UNHCR lists Tibetan refugees (`TIB`) under a
/// bureau but with no ISO code, so `TIB` has no region; `XXX`, `XXA` and
/// `XKX` have none either, while Kosovo's UN M49 sub-region is OCHA's
/// (`Southern Europe`), as for every country UNHCR's table does not list.
fn region_label(dim: Dimension, code: u32) -> &'static str {
    let Some(id) = code.checked_sub(1) else { return "" };
    let c = Country::from_id(id as u16);
    match dim {
        Dimension::OriginRegion | Dimension::HostRegion if c.alpha3() != "TIB" => {
            c.unhcr_region().unwrap_or("")
        }
        Dimension::OriginSubregion | Dimension::HostSubregion => c.subregion().unwrap_or(""),
        _ => "",
    }
}

/// The region label of a country id (`NO_COUNTRY` has none).
pub(super) fn region_label_of(dim: Dimension, id: u16) -> &'static str {
    region_label(dim, country_code(id))
}

/// A filter of the registrations by a country or region dimension, as a
/// predicate on row numbers.
pub(super) fn registration_filter<'a>(
    ds: &'a Dataset,
    dim: Dimension,
    values: &[String],
) -> Result<Box<dyn Fn(usize) -> bool + 'a>, Error> {
    let filter = build_filter(ds, Table::Registrations, dim, values)?;
    Ok(Box::new(move |row| filter.keeps(row)))
}

/// The rows of `table` that pass `filters` and whose date lies in `lo..=hi`,
/// in file order.
pub(super) fn selected_rows(
    ds: &Dataset,
    table: Table,
    filters: &[(Dimension, Vec<String>)],
    (lo, hi): (Day, Day),
) -> Result<Vec<usize>, Error> {
    let filters = filters
        .iter()
        .map(|(d, values)| {
            if d.is_time() || !d.applies_to(table) {
                return Err(Error::Query(format!("\"{d}\" is not a dimension of {table}")));
            }
            build_filter(ds, table, *d, values)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let dates = ds.dates(table);
    Ok((0..dates.len())
        .filter(|&r| dates[r] >= lo && dates[r] <= hi && filters.iter().all(|f| f.keeps(r)))
        .collect())
}

/// Every label of a region dimension, sorted by bytes (the empty one first),
/// and the code of each country code.
fn region_codes(dim: Dimension) -> (Vec<&'static str>, Vec<u32>) {
    let of: Vec<&'static str> = (0..=Country::COUNT as u32).map(|c| region_label(dim, c)).collect();
    let mut labels = of.clone();
    labels.push("");
    labels.sort_unstable();
    labels.dedup();
    let code_of = of.iter().map(|l| labels.binary_search(l).unwrap_or(0) as u32).collect();
    (labels, code_of)
}

/// The bucket number of a day: consecutive buckets are consecutive numbers.
/// Called once per day of the queried range, not per row.
fn bucket_of(kind: Dimension, day: Day) -> i64 {
    let date = date_of_day(day);
    let (y, m0) = (date.year() as i64, date.month0() as i64);
    match kind {
        Dimension::Day => day as i64,
        // ISO weeks start on Monday; 1970-01-01 was a Thursday.
        Dimension::Week => (day as i64 + 3).div_euclid(7),
        Dimension::Month => y * 12 + m0,
        Dimension::Quarter => y * 4 + m0 / 3,
        _ => y,
    }
}

/// The first day of bucket `b` (the inverse of [`bucket_of`] on first days).
pub(super) fn bucket_first_day(kind: Dimension, b: i64) -> Day {
    let ymd = |y: i64, m: i64| crate::record::days_from_civil(y as i32, m as u32, 1);
    match kind {
        Dimension::Day => b as Day,
        Dimension::Week => (b * 7 - 3) as Day,
        Dimension::Month => ymd(b.div_euclid(12), b.rem_euclid(12) + 1),
        Dimension::Quarter => ymd(b.div_euclid(4), b.rem_euclid(4) * 3 + 1),
        _ => ymd(b, 1),
    }
}

/// The first and last day of bucket `b` of the time dimension `kind`.
pub(super) fn bucket_days(kind: Dimension, b: i64) -> (chrono::NaiveDate, chrono::NaiveDate) {
    (date_of_day(bucket_first_day(kind, b)), date_of_day(bucket_first_day(kind, b + 1) - 1))
}

fn bucket_label(kind: Dimension, b: i64) -> String {
    match kind {
        Dimension::Day => date_of_day(b as Day).format("%Y-%m-%d").to_string(),
        Dimension::Week => {
            // Week `b` starts on day `b * 7 - 3`, a Monday.
            let week = date_of_day((b * 7 - 3) as Day).iso_week();
            format!("{}-W{:02}", week.year(), week.week())
        }
        Dimension::Month => format!("{}-{:02}", b.div_euclid(12), b.rem_euclid(12) + 1),
        Dimension::Quarter => format!("{}-Q{}", b.div_euclid(4), b.rem_euclid(4) + 1),
        _ => b.to_string(),
    }
}

/// Which rows a filter keeps.
enum Filter<'a> {
    Country { col: &'a [u16], keep: Vec<bool> },
    Vocab { col: &'a [u8], keep: [bool; VOCAB_SLOTS] },
    Text { col: &'a [u32], keep: Vec<bool> },
}

impl Filter<'_> {
    #[inline]
    fn keeps(&self, row: usize) -> bool {
        match self {
            Filter::Country { col, keep } => keep[country_code(col[row]) as usize],
            Filter::Vocab { col, keep } => keep[col[row] as usize & (VOCAB_SLOTS - 1)],
            Filter::Text { col, keep } => keep[col[row] as usize],
        }
    }

    fn apply_block(&self, keys: &mut [u32], start: usize, discard: u32) {
        for (j, k) in keys.iter_mut().enumerate() {
            if !self.keeps(start + j) {
                *k = discard;
            }
        }
    }
}

/// A categorical column as the engine reads it; countries and texts carry
/// their position in the table, where the store caches their dense codes.
enum Column<'a> {
    Country(&'a [u16], usize),
    Vocab(&'a [u8], &'static [&'static str]),
    Text(&'a [u32], usize),
}

/// The column of a categorical dimension: the table's column of the same name.
fn column<'a>(ds: &'a Dataset, table: Table, dim: Dimension) -> Column<'a> {
    let name = match dim {
        Dimension::OriginRegion | Dimension::OriginSubregion => "origin",
        Dimension::HostRegion | Dimension::HostSubregion => "host",
        _ => dim.name(),
    };
    match ds.column(table, name) {
        Some((i, ColumnRef::Country(col))) => Column::Country(col, i),
        Some((_, ColumnRef::Vocab(col, labels))) => Column::Vocab(col, labels),
        Some((i, ColumnRef::Text(col))) => Column::Text(col, i),
        // `check` admits only the table's categorical dimensions.
        _ => unreachable!("{dim} is a categorical column of {table}"),
    }
}

/// The dense codes of a country column.
fn country_codes<'a>(ds: &'a Dataset, table: Table, col: &[u16], i: usize) -> &'a Codes {
    let raw = col.iter().map(|&c| country_code(c));
    ds.codes(table, i, Country::COUNT + 1, raw, |a, b| a.cmp(&b))
}

/// The dense codes of a text column.
fn text_codes<'a>(ds: &'a Dataset, table: Table, col: &[u32], i: usize) -> &'a Codes {
    ds.codes(table, i, ds.texts.len(), col.iter().copied(), |a, b| {
        ds.texts.text(a).cmp(ds.texts.text(b))
    })
}

/// Ranks of a vocabulary's values by label.
fn vocab_rank(labels: &[&str]) -> [u8; VOCAB_SLOTS] {
    let mut rank = [0u8; VOCAB_SLOTS];
    for (i, l) in labels.iter().enumerate() {
        rank[i] = labels.iter().filter(|o| o < &l).count() as u8;
    }
    rank
}

fn check(q: &Query) -> Result<(), Error> {
    let table = q.table;
    let mut time: Option<Dimension> = None;
    for (i, &d) in q.by.iter().enumerate() {
        if !d.applies_to(table) {
            let names: Vec<_> = Dimension::categorical(table).iter().map(|d| d.name()).collect();
            return Err(Error::Query(format!(
                "\"{d}\" is not a dimension of {table} (expected day, week, month, quarter, year, {})",
                names.join(", ")
            )));
        }
        if q.by[..i].contains(&d) {
            return Err(Error::Query(format!("dimension \"{d}\" is given twice")));
        }
        if d.is_time() {
            if let Some(t) = time {
                return Err(Error::Query(format!(
                    "at most one time dimension may be given (got \"{t}\" and \"{d}\")"
                )));
            }
            time = Some(d);
        }
    }
    if q.as_of.is_some() {
        if table != Table::Registrations {
            return Err(Error::Query(format!(
                "as-of applies to registrations (stocks) only, not to {table}"
            )));
        }
        if let Some(t) = time {
            return Err(Error::Query(format!(
                "as-of cannot be combined with a time dimension (\"{t}\"): a snapshot has no time buckets"
            )));
        }
    }
    for (d, _) in &q.filters {
        if d.is_time() {
            return Err(Error::Query(format!(
                "\"{d}\" cannot be filtered by value: use from and to to bound dates"
            )));
        }
        if !d.applies_to(table) {
            return Err(Error::Query(format!("\"{d}\" is not a dimension of {table}")));
        }
    }
    Ok(())
}

fn build_filter<'a>(
    ds: &'a Dataset,
    table: Table,
    dim: Dimension,
    values: &[String],
) -> Result<Filter<'a>, Error> {
    let bad = |problem: String| Error::Query(format!("{dim} filter: {problem}"));
    if dim.is_region() {
        let Column::Country(col, _) = column(ds, table, dim) else { unreachable!() };
        let (labels, code_of) = region_codes(dim);
        let mut keep = vec![false; Country::COUNT + 1];
        for v in values {
            let want = v.trim();
            let Some(code) = labels.iter().position(|l| l.eq_ignore_ascii_case(want)) else {
                let valid: Vec<String> =
                    labels.iter().filter(|l| !l.is_empty()).map(|l| format!("\"{l}\"")).collect();
                return Err(bad(format!(
                    "\"{want}\" is not a region of this dimension (expected one of {})",
                    valid.join(", ")
                )));
            };
            for (c, k) in keep.iter_mut().enumerate() {
                *k |= code_of[c] == code as u32;
            }
        }
        return Ok(Filter::Country { col, keep });
    }
    Ok(match column(ds, table, dim) {
        Column::Country(col, _) => {
            let mut keep = vec![false; Country::COUNT + 1];
            for v in values {
                if v.trim().is_empty() {
                    keep[country_code(NO_COUNTRY) as usize] = true;
                } else {
                    let c = Country::parse(v).map_err(|e| bad(e.to_string()))?;
                    keep[country_code(c.id()) as usize] = true;
                }
            }
            Filter::Country { col, keep }
        }
        Column::Vocab(col, labels) => {
            let mut keep = [false; VOCAB_SLOTS];
            for v in values {
                let want = v.trim();
                let i =
                    labels.iter().position(|l| l.eq_ignore_ascii_case(want)).ok_or_else(|| {
                        let vocabulary = match dim {
                            Dimension::Population => "population type",
                            Dimension::Kind => "return kind",
                            _ => "stance",
                        };
                        bad(format!(
                            "\"{want}\" {}",
                            crate::record::vocab_problem(vocabulary, labels)
                        ))
                    })?;
                keep[i] = true;
            }
            Filter::Vocab { col, keep }
        }
        Column::Text(col, _) => {
            let mut keep = vec![false; ds.texts.len()];
            for v in values {
                if let Some(id) = ds.texts.get(v.trim()) {
                    keep[id as usize] = true;
                }
            }
            Filter::Text { col, keep }
        }
    })
}

/// The plan of one query: codes, filters, bounds.
struct Plan<'a> {
    parts: Vec<Part<'a>>,
    cards: Vec<u64>,
    filters: Vec<Filter<'a>>,
    dates: &'a [Day],
    lo: Day,
    hi: Day,
    bounded: bool,
}

impl Plan<'_> {
    /// Product of the cardinalities, or `None` past 128 bits.
    fn key_space(&self) -> Option<u128> {
        self.cards.iter().try_fold(1u128, |acc, &c| acc.checked_mul(c as u128))
    }

    #[inline]
    fn selected(&self, row: usize) -> bool {
        let d = self.dates[row];
        d >= self.lo && d <= self.hi && self.filters.iter().all(|f| f.keeps(row))
    }

    /// The group key of a row (mixed radix, first dimension most significant).
    #[inline]
    fn key(&self, row: usize) -> u128 {
        let mut k = 0u128;
        for (p, &c) in self.parts.iter().zip(&self.cards) {
            k = k * c as u128 + p.code(row) as u128;
        }
        k
    }

    /// The dense kernel's lanes: each part's codes multiplied by its
    /// place value in the key (the product of the later parts'
    /// cardinalities). Called only when the key space fits in `u32`.
    fn lanes(&self) -> Vec<Lane<'_>> {
        let mut place = 1u32;
        let mut lanes = Vec::with_capacity(self.parts.len());
        for (p, &card) in self.parts.iter().zip(&self.cards).rev() {
            lanes.push(match p {
                Part::Time { dates, lut, base, .. } => Lane::Time {
                    dates,
                    base: *base,
                    last: lut.len() as u32 - 1,
                    lut: padded(lut, place),
                },
                Part::Country { col, codes } => {
                    Lane::Country { col, lut: padded(&codes.code_of, place) }
                }
                Part::Region { col, code_of, .. } => {
                    Lane::Country { col, lut: padded(code_of, place) }
                }
                Part::Vocab { col, rank, .. } => {
                    Lane::Vocab { col, lut: rank.map(|r| r as u32 * place) }
                }
                Part::Text { col, codes } => Lane::Text { col, lut: padded(&codes.code_of, place) },
            });
            place *= card as u32;
        }
        lanes.reverse();
        lanes
    }

    /// Dense keys of a block; rows not selected get `discard`.
    fn block_keys(&self, lanes: &[Lane<'_>], keys: &mut [u32], start: usize, discard: u32) {
        match lanes.split_first() {
            Some((first, rest)) => {
                first.fold(keys, start, true);
                for lane in rest {
                    lane.fold(keys, start, false);
                }
            }
            None => keys.fill(0),
        }
        if self.bounded {
            for (k, &d) in keys.iter_mut().zip(&self.dates[start..]) {
                if d < self.lo || d > self.hi {
                    *k = discard;
                }
            }
        }
        for f in &self.filters {
            f.apply_block(keys, start, discard);
        }
    }

    /// The code of each part in a group key, first part first; `narrow`
    /// when the key space fits in 64 bits (cheaper division).
    fn decode(&self, key: u128, narrow: bool, codes: &mut [u32]) {
        if narrow {
            let mut key = key as u64;
            for (code, &c) in codes.iter_mut().zip(&self.cards).rev() {
                *code = (key % c) as u32;
                key /= c;
            }
        } else {
            let mut key = key;
            for (code, &c) in codes.iter_mut().zip(&self.cards).rev() {
                *code = (key % c as u128) as u32;
                key /= c as u128;
            }
        }
    }

    /// The group of a key given by its codes with part `t` (the time
    /// dimension) taken out: the same number in every bucket.
    fn without(&self, codes: &[u32], t: usize) -> u128 {
        let mut k = 0u128;
        for (p, (&code, &c)) in codes.iter().zip(&self.cards).enumerate() {
            if p != t {
                k = k * c as u128 + code as u128;
            }
        }
        k
    }

    /// The bucket number of part `t` (the time dimension) given its code.
    fn bucket(&self, code: u32, t: usize) -> i64 {
        match &self.parts[t] {
            Part::Time { first, .. } => first + code as i64,
            _ => unreachable!("part {t} is the time dimension"),
        }
    }

    fn labels(&self, key: u128, ds: &Dataset, out: &mut Vec<String>) {
        let mut codes = vec![0; self.parts.len()];
        self.decode(key, false, &mut codes);
        out.extend(self.parts.iter().zip(&codes).map(|(p, &code)| p.label(code, ds)));
    }
}

fn plan<'a>(ds: &'a Dataset, q: &Query) -> Result<Plan<'a>, Error> {
    let table = q.table;
    let dates = ds.dates(table);
    let mut lo = q.from.map_or(Day::MIN, day_of);
    let mut hi = q.to.map_or(Day::MAX, day_of);
    if let Some(as_of) = q.as_of {
        hi = hi.min(day_of(as_of));
    }
    let bounded = lo != Day::MIN || hi != Day::MAX;
    let filters = q
        .filters
        .iter()
        .map(|(d, values)| build_filter(ds, table, *d, values))
        .collect::<Result<Vec<_>, _>>()?;
    // The time buckets span the dates present within the bounds.
    let (min, max) = ds.day_range(table).unwrap_or((Day::MAX, Day::MIN));
    lo = lo.max(min);
    hi = hi.min(max);
    let mut parts = Vec::with_capacity(q.by.len());
    for &d in &q.by {
        parts.push(if d.is_time() {
            let (base, end) = if lo <= hi { (lo, hi) } else { (0, 0) };
            let first = bucket_of(d, base);
            let lut = (base..=end).map(|day| (bucket_of(d, day) - first) as u32).collect();
            Part::Time { kind: d, dates, lut, base, first }
        } else if d.is_region() {
            let Column::Country(col, _) = column(ds, table, d) else { unreachable!() };
            let (labels, code_of) = region_codes(d);
            Part::Region { col, code_of, labels }
        } else {
            match column(ds, table, d) {
                Column::Country(col, i) => {
                    Part::Country { col, codes: country_codes(ds, table, col, i) }
                }
                Column::Vocab(col, labels) => Part::Vocab { col, rank: vocab_rank(labels), labels },
                Column::Text(col, i) => Part::Text { col, codes: text_codes(ds, table, col, i) },
            }
        });
    }
    let cards = parts.iter().map(Part::card).collect();
    Ok(Plan { parts, cards, filters, dates, lo, hi, bounded })
}

fn overflow(what: &str) -> Error {
    Error::Overflow(format!("the sum of {what} in one group does not fit in 64 bits"))
}

pub(super) fn run(ds: &Dataset, q: &Query) -> Result<QueryResult, Error> {
    check(q)?;
    super::derived::check(q)?;
    let plan = plan(ds, q)?;
    let measures: &'static [&'static str] = match q.table {
        Table::Registrations => &["persons"],
        Table::Deportations => &["persons", "records"],
        Table::Statements => &["statements"],
    };
    let mut result = QueryResult {
        dimensions: q.by.clone(),
        measures,
        keys: Vec::new(),
        labels: Vec::new(),
        values: Vec::new(),
        buckets: Vec::new(),
        groups: Vec::new(),
        derived: Vec::new(),
        derived_values: Vec::new(),
        key_names: None,
    };
    if plan.lo > plan.hi {
        super::derived::apply(ds, q, &mut result)?;
        return Ok(result);
    }
    let groups: Vec<(u128, [u64; 2])> = match q.table {
        Table::Registrations => stocks(ds, q, &plan)?,
        Table::Deportations => {
            flow_sources(ds, q, &plan)?;
            with_counts!(&ds.deportations.count, v => flows(&plan, Some(v.as_slice()))?)
        }
        Table::Statements => flows::<u64>(&plan, None)?,
    };
    let time = plan.parts.iter().position(|p| matches!(p, Part::Time { .. }));
    // Each distinct label is made once: `ids[part][code]` is its index in
    // the result's labels, once made.
    let mut ids: Vec<Vec<u32>> = plan.cards.iter().map(|&c| vec![u32::MAX; c as usize]).collect();
    let narrow = plan.key_space().is_some_and(|g| g <= u64::MAX as u128);
    let mut codes = vec![0u32; plan.parts.len()];
    result.keys.reserve(groups.len() * codes.len());
    for (key, values) in groups {
        plan.decode(key, narrow, &mut codes);
        for ((part, ids), &code) in plan.parts.iter().zip(&mut ids).zip(&codes) {
            let id = &mut ids[code as usize];
            if *id == u32::MAX {
                *id = result.labels.len() as u32;
                result.labels.push(part.label(code, ds));
            }
            result.keys.push(*id);
        }
        result.values.extend_from_slice(&values[..measures.len()]);
        if let Some(t) = time {
            result.buckets.push(plan.bucket(codes[t], t));
            result.groups.push(plan.without(&codes, t));
        }
    }
    super::derived::apply(ds, q, &mut result)?;
    Ok(result)
}

/// One record in a packed accumulator: persons in the low 96 bits (no
/// carry out for fewer than 2^32 rows), records in the high 32.
const ONE_RECORD: u128 = 1 << 96;
const PERSONS_MASK: u128 = ONE_RECORD - 1;

/// Sums (`counts`, when given) and row counts per group, sorted by key;
/// groups without rows are absent.
fn flows<C: Copy + Into<u64> + Sync>(
    plan: &Plan<'_>,
    counts: Option<&[C]>,
) -> Result<Vec<(u128, [u64; 2])>, Error> {
    let n = plan.dates.len();
    let mut out = Vec::new();
    match plan.key_space() {
        Some(g) if g <= DENSE_MAX as u128 => {
            let g = g as usize;
            let threads = if n >= PARALLEL_MIN {
                std::thread::available_parallelism().map_or(1, |p| p.get()).min(8)
            } else {
                1
            };
            let chunk = n.div_ceil(threads).max(1);
            let lanes = &plan.lanes();
            let partials: Vec<Vec<u128>> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        let range = (t * chunk).min(n)..((t + 1) * chunk).min(n);
                        s.spawn(move || dense_range(plan, lanes, counts, g, range))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("aggregation threads do not panic"))
                    .collect()
            });
            let mut persons = vec![0u128; g];
            let mut records = vec![0u64; g];
            for acc in &partials {
                for k in 0..g {
                    persons[k] += acc[k] & PERSONS_MASK;
                    records[k] += (acc[k] >> 96) as u64;
                }
            }
            for k in 0..g {
                if records[k] > 0 {
                    let sum = u64::try_from(persons[k]).map_err(|_| overflow("persons"))?;
                    out.push((
                        k as u128,
                        [if counts.is_some() { sum } else { records[k] }, records[k]],
                    ));
                }
            }
        }
        _ => {
            let mut map: HashMap<u128, (u64, u64), FxBuildHasher> = HashMap::default();
            for row in 0..n {
                if plan.selected(row) {
                    let e = map.entry(plan.key(row)).or_default();
                    if let Some(c) = counts {
                        let v: u64 = c[row].into();
                        e.0 = e.0.checked_add(v).ok_or_else(|| overflow("persons"))?;
                    }
                    e.1 += 1;
                }
            }
            out = map
                .into_iter()
                .map(|(k, (s, r))| (k, [if counts.is_some() { s } else { r }, r]))
                .collect();
            out.sort_unstable_by_key(|e| e.0);
        }
    }
    Ok(out)
}

/// One thread's packed accumulators over `range`; slot `g` collects the
/// rows that are not selected.
fn dense_range<C: Copy + Into<u64>>(
    plan: &Plan<'_>,
    lanes: &[Lane<'_>],
    counts: Option<&[C]>,
    g: usize,
    range: std::ops::Range<usize>,
) -> Vec<u128> {
    let mut acc = vec![0u128; g + 1];
    let mut keys = [0u32; BLOCK];
    let mut start = range.start;
    while start < range.end {
        let len = BLOCK.min(range.end - start);
        let keys = &mut keys[..len];
        plan.block_keys(lanes, keys, start, g as u32);
        match counts {
            Some(c) => {
                for (&k, &v) in keys.iter().zip(&c[start..start + len]) {
                    let v: u64 = v.into();
                    acc[k as usize] += v as u128 | ONE_RECORD;
                }
            }
            None => {
                for &k in keys.iter() {
                    acc[k as usize] += ONE_RECORD;
                }
            }
        }
        start += len;
    }
    acc.truncate(g);
    acc
}

/// Stocks: each series' latest observation within each bucket (or as of a
/// date), summed over series per group, refusing to add two sources.
fn stocks(ds: &Dataset, q: &Query, plan: &Plan<'_>) -> Result<Vec<(u128, [u64; 2])>, Error> {
    let c = &ds.registrations;
    let n = c.date.len();
    let selected: Vec<usize> = (0..n).filter(|&row| plan.selected(row)).collect();
    // The series of each selected row: numbered here when the query keeps
    // few rows (the usual snapshot of a few countries), else from the
    // dataset's index of every row's series (built once, kept for later
    // queries).
    let (series, nseries): (Vec<u32>, u32) = match ds.series_if_built() {
        None if selected.len() < n / 8 => {
            let mut ids: HashMap<u128, u32, FxBuildHasher> = HashMap::default();
            let series = selected
                .iter()
                .map(|&row| {
                    let next = ids.len() as u32;
                    let key =
                        series_key(c.origin[row], c.host[row], c.population[row], c.source[row]);
                    *ids.entry(key).or_insert(next)
                })
                .collect();
            (series, ids.len() as u32)
        }
        _ => {
            let (all, nseries) = ds.series();
            (selected.iter().map(|&row| all[row]).collect(), nseries)
        }
    };
    let time = plan.parts.iter().position(|p| matches!(p, Part::Time { .. }));
    let nbuckets = time.map_or(1, |t| plan.cards[t]);
    // The slot of the `i`-th selected row.
    let slot = |i: usize| {
        series[i] as u64 * nbuckets + time.map_or(0, |t| plan.parts[t].code(selected[i]) as u64)
    };
    // Pass 1: the latest row of every (series, bucket), as row + 1. The
    // dense array is allocated zeroed, so untouched pages cost nothing.
    let slots = nseries as u64 * nbuckets;
    let mut dense: Vec<u32> = Vec::new();
    let mut sparse: HashMap<u64, u32, FxBuildHasher> = HashMap::default();
    let use_dense = slots <= 1 << 26;
    if use_dense {
        dense = vec![0; slots as usize];
    }
    for (i, &row) in selected.iter().enumerate() {
        let s = slot(i);
        let best = if use_dense { &mut dense[s as usize] } else { sparse.entry(s).or_insert(0) };
        if *best == 0 || c.date[*best as usize - 1] < c.date[row] {
            *best = row as u32 + 1;
        }
    }
    // Pass 2: the chosen rows, in file order: from the slots when they are
    // fewer than the rows (as-of snapshots), else by a second pass.
    let chosen: Vec<usize> = if use_dense && (slots as usize) < selected.len() {
        let mut rows: Vec<usize> =
            dense.iter().filter(|&&r| r != 0).map(|&r| r as usize - 1).collect();
        rows.sort_unstable();
        rows
    } else if !use_dense {
        let mut rows: Vec<usize> = sparse.values().map(|&r| r as usize - 1).collect();
        rows.sort_unstable();
        rows
    } else {
        (0..selected.len())
            .filter(|&i| dense[slot(i) as usize] == selected[i] as u32 + 1)
            .map(|i| selected[i])
            .collect()
    };
    drop(dense);
    drop(sparse);
    // Pass 3: sum per group, watching for two sources of one population.
    let watch_sources = !q.by.contains(&Dimension::Source)
        && chosen.windows(2).any(|w| c.source[w[0]] != c.source[w[1]]);
    let mut seen: HashMap<(u128, u16, u16, u8), u32, FxBuildHasher> = HashMap::default();
    let space = plan.key_space().filter(|&g| g <= DENSE_MAX as u128);
    let mut dense_sums: Vec<u128> = vec![0; space.map_or(0, |g| g as usize)];
    let mut present: Vec<bool> = vec![false; dense_sums.len()];
    let mut sparse_sums: HashMap<u128, u128, FxBuildHasher> = HashMap::default();
    for &row in &chosen {
        let key = plan.key(row);
        if watch_sources {
            let who = (key, c.origin[row], c.host[row], c.population[row]);
            let source = *seen.entry(who).or_insert(c.source[row]);
            if source != c.source[row] {
                return Err(ambiguity(ds, q, plan, key, row, source));
            }
        }
        if space.is_some() {
            dense_sums[key as usize] += c.count.at(row) as u128;
            present[key as usize] = true;
        } else {
            *sparse_sums.entry(key).or_insert(0) += c.count.at(row) as u128;
        }
    }
    let out: Vec<(u128, u128)> = if space.is_some() {
        (0..dense_sums.len()).filter(|&k| present[k]).map(|k| (k as u128, dense_sums[k])).collect()
    } else {
        let mut v: Vec<(u128, u128)> = sparse_sums.into_iter().collect();
        v.sort_unstable_by_key(|e| e.0);
        v
    };
    out.into_iter()
        .map(|(k, sum)| Ok((k, [u64::try_from(sum).map_err(|_| overflow("persons"))?, 0])))
        .collect()
}

fn ambiguity(ds: &Dataset, q: &Query, plan: &Plan<'_>, key: u128, row: usize, other: u32) -> Error {
    let c = &ds.registrations;
    Error::SourceAmbiguity(Box::new(SourceConflict {
        origin: Country::from_id(c.origin[row]),
        host: Country::from_id(c.host[row]),
        population: Some(PopulationType::from_index(c.population[row])),
        kind: None,
        group: group_labels(ds, q, plan, key),
        sources: sorted_pair(ds, other, c.source[row]),
    }))
}

/// The dimensions of a query with the labels of one group.
fn group_labels(ds: &Dataset, q: &Query, plan: &Plan<'_>, key: u128) -> Vec<(Dimension, String)> {
    let mut labels = Vec::new();
    plan.labels(key, ds, &mut labels);
    q.by.iter().copied().zip(labels).collect()
}

fn sorted_pair(ds: &Dataset, a: u32, b: u32) -> [String; 2] {
    let mut sources = [ds.texts.text(a).to_string(), ds.texts.text(b).to_string()];
    sources.sort_unstable();
    sources
}

/// The flow source rule: no output group may add deportations of one
/// (origin, host, kind) from two sources, counting every row that survives
/// the bounds and filters (a count of 0 included). Crossings do not
/// separate flows: one source's total may include another's crossing.
fn flow_sources(ds: &Dataset, q: &Query, plan: &Plan<'_>) -> Result<(), Error> {
    if q.by.contains(&Dimension::Source) {
        return Ok(());
    }
    let c = &ds.deportations;
    let n = c.date.len();
    // Most queries see one source, or a filter leaves one: nothing to check.
    let mut selected = (0..n).filter(|&row| plan.selected(row));
    let Some(first) = selected.next() else { return Ok(()) };
    if selected.all(|row| c.source[row] == c.source[first]) {
        return Ok(());
    }
    let mut seen: HashMap<(u128, u16, u16, u8), u32, FxBuildHasher> = HashMap::default();
    for row in (0..n).filter(|&row| plan.selected(row)) {
        let key = plan.key(row);
        let source =
            *seen.entry((key, c.origin[row], c.host[row], c.kind[row])).or_insert(c.source[row]);
        if source != c.source[row] {
            return Err(Error::SourceAmbiguity(Box::new(SourceConflict {
                origin: Country::from_id(c.origin[row]),
                host: Country::from_id(c.host[row]),
                population: None,
                kind: Some(ReturnKind::from_index(c.kind[row])),
                group: group_labels(ds, q, plan, key),
                sources: sorted_pair(ds, source, c.source[row]),
            })));
        }
    }
    Ok(())
}
