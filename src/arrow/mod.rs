//! The tables and query results as Arrow record batches (feature `arrow`),
//! and as Parquet files (feature `parquet`).
//!
//! Each table has the contract's columns, names and order: dates as
//! `Date32`, counts as `UInt64`, countries as their alpha-3 code, vocabulary
//! values as their lower-case word and texts as `Utf8` strings; an absent
//! optional value (an empty `period_start`, country or text) is null.

#[cfg(feature = "parquet")]
mod parquet;

use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, Date32Array, Int64Array, RecordBatch, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::dataset::{Counts, Interner, NO_COUNTRY, NO_DAY};
use crate::record::{Day, Vocabulary};
use crate::{Country, Dataset, Error, PopulationType, QueryResult, ReturnKind, Stance, Table};

/// What an Arrow column of a table holds, and so its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArrowKind {
    /// `Date32` (days since 1970-01-01).
    Date,
    /// `UInt64`.
    Count,
    /// `Utf8`: a country's alpha-3 code.
    Country,
    /// `Utf8`: a vocabulary's lower-case word.
    Word,
    /// `Utf8`: a text.
    Text,
}

impl ArrowKind {
    /// The Arrow type written.
    pub(crate) fn data_type(self) -> DataType {
        match self {
            ArrowKind::Date => DataType::Date32,
            ArrowKind::Count => DataType::UInt64,
            ArrowKind::Country | ArrowKind::Word | ArrowKind::Text => DataType::Utf8,
        }
    }
}

/// The kind of each column of a table, in the contract's order (its names
/// and whether each is required are [`Dataset::specs`]; a test holds the
/// two lists to the same length).
pub(crate) fn kinds(table: Table) -> &'static [ArrowKind] {
    use ArrowKind::*;
    match table {
        Table::Registrations => &[Date, Country, Country, Word, Count, Text, Text],
        Table::Deportations => &[Date, Date, Country, Country, Word, Count, Text, Text, Text],
        Table::Statements => &[Date, Text, Country, Text, Country, Country, Word, Text, Text, Text],
    }
}

/// The Arrow schema of a table: the contract's columns in its order, a
/// required column not nullable.
pub(crate) fn schema(table: Table) -> SchemaRef {
    let fields: Vec<Field> = Dataset::specs(table)
        .iter()
        .zip(kinds(table))
        .map(|(spec, kind)| Field::new(spec.name, kind.data_type(), !spec.required))
        .collect();
    Arc::new(Schema::new(fields))
}

fn dates(values: &[Day], rows: &[u32]) -> ArrayRef {
    let values = rows.iter().map(|&i| values[i as usize]).map(|d| (d != NO_DAY).then_some(d));
    Arc::new(values.collect::<Date32Array>())
}

fn counts(values: &Counts, rows: &[u32]) -> ArrayRef {
    Arc::new(UInt64Array::from_iter_values(rows.iter().map(|&i| values.at(i as usize))))
}

fn strings<'a>(rows: &[u32], value: impl Fn(usize) -> Option<&'a str>) -> ArrayRef {
    let mut b = StringBuilder::with_capacity(rows.len(), rows.len() * 8);
    for &i in rows {
        b.append_option(value(i as usize));
    }
    Arc::new(b.finish())
}

fn countries(values: &[u16], rows: &[u32]) -> ArrayRef {
    strings(rows, |i| (values[i] != NO_COUNTRY).then(|| Country::from_id(values[i]).alpha3()))
}

fn words<V: Vocabulary>(values: &[u8], rows: &[u32]) -> ArrayRef {
    strings(rows, |i| Some(V::LABELS[values[i] as usize]))
}

fn texts(values: &[u32], rows: &[u32], interner: &Interner) -> ArrayRef {
    strings(rows, |i| (values[i] != 0).then(|| interner.text(values[i])))
}

impl Dataset {
    /// A table as one Arrow [`RecordBatch`]: the contract's columns in its
    /// order, dates as `Date32`, counts as `UInt64`, countries as their
    /// alpha-3 code, vocabulary values as their lower-case word and texts as
    /// `Utf8` strings, an absent optional value as null. Rows are in the
    /// dataset's order.
    ///
    /// ```
    /// use arrow_array::{Array, StringArray, UInt64Array};
    /// use refugee_data::{Dataset, Table};
    /// let ds = Dataset::sample();
    /// let batch = ds.to_arrow(Table::Registrations);
    /// assert_eq!(batch.num_rows(), ds.len(Table::Registrations));
    /// let names: Vec<&str> = batch.schema_ref().fields().iter().map(|f| f.name().as_str()).collect();
    /// assert_eq!(names, ["date", "origin", "host", "population", "count", "source", "reference"]);
    /// let first = ds.registrations().next().unwrap();
    /// let counts = batch.column(4).as_any().downcast_ref::<UInt64Array>().unwrap();
    /// assert_eq!(counts.value(0), first.count);
    /// let origins = batch.column(1).as_any().downcast_ref::<StringArray>().unwrap();
    /// assert_eq!(origins.value(0), first.origin.alpha3());
    /// ```
    pub fn to_arrow(&self, table: Table) -> RecordBatch {
        let rows: Vec<u32> = (0..self.len(table) as u32).collect();
        self.batch_of(table, &rows)
    }

    /// The rows `rows` (indexes, in the order given) of a table as a batch.
    pub(crate) fn batch_of(&self, table: Table, rows: &[u32]) -> RecordBatch {
        let t = &self.texts;
        let columns: Vec<ArrayRef> = match table {
            Table::Registrations => {
                let c = &self.registrations;
                vec![
                    dates(&c.date, rows),
                    countries(&c.origin, rows),
                    countries(&c.host, rows),
                    words::<PopulationType>(&c.population, rows),
                    counts(&c.count, rows),
                    texts(&c.source, rows, t),
                    texts(&c.reference, rows, t),
                ]
            }
            Table::Deportations => {
                let c = &self.deportations;
                vec![
                    dates(&c.date, rows),
                    dates(&c.period_start, rows),
                    countries(&c.origin, rows),
                    countries(&c.host, rows),
                    words::<ReturnKind>(&c.kind, rows),
                    counts(&c.count, rows),
                    texts(&c.crossing, rows, t),
                    texts(&c.source, rows, t),
                    texts(&c.reference, rows, t),
                ]
            }
            Table::Statements => {
                let c = &self.statements;
                vec![
                    dates(&c.date, rows),
                    texts(&c.actor, rows, t),
                    countries(&c.actor_country, rows),
                    texts(&c.speaker, rows, t),
                    countries(&c.target_country, rows),
                    countries(&c.subject_country, rows),
                    words::<Stance>(&c.stance, rows),
                    texts(&c.summary, rows, t),
                    texts(&c.source, rows, t),
                    texts(&c.url, rows, t),
                ]
            }
        };
        RecordBatch::try_new(schema(table), columns)
            .expect("the columns match the table's schema (tested)")
    }
}

impl QueryResult {
    /// The result as an Arrow [`RecordBatch`] with the columns of
    /// [`columns`](QueryResult::columns): each dimension's labels as `Utf8`
    /// strings, exactly as in [`write_csv`](QueryResult::write_csv) (a year
    /// `2023`, a quarter `2023-Q4`, a country's alpha-3 code), the measures
    /// as `UInt64`, and the derived columns (`change` may be negative) as
    /// `Int64`, an empty cell as null. Only the measures are non-nullable.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] when a derived value does not fit in `Int64`
    /// (it is never cut or wrapped).
    ///
    /// ```
    /// use arrow_array::{StringArray, UInt64Array};
    /// use refugee_data::{Dataset, Dimension, Query};
    /// let result = Dataset::sample().query(&Query::statements().by(Dimension::Stance))?;
    /// let batch = result.to_arrow()?;
    /// assert_eq!(batch.num_rows(), result.len());
    /// let stance = batch.column(0).as_any().downcast_ref::<StringArray>().unwrap();
    /// let n = batch.column(1).as_any().downcast_ref::<UInt64Array>().unwrap();
    /// let first = result.rows().next().unwrap();
    /// assert_eq!((stance.value(0), n.value(0)), (first.key(0), first.value(0)));
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn to_arrow(&self) -> Result<RecordBatch, Error> {
        let (nd, nm) = (self.dimensions().len(), self.measures().len());
        let names = self.columns();
        let mut fields = Vec::with_capacity(names.len());
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(names.len());
        for (d, name) in names.iter().take(nd).enumerate() {
            let labels = self.rows().map(|r| Some(r.key(d)));
            fields.push(Field::new(*name, DataType::Utf8, false));
            columns.push(Arc::new(labels.collect::<arrow_array::StringArray>()));
        }
        for m in 0..nm {
            fields.push(Field::new(names[nd + m], DataType::UInt64, false));
            columns.push(Arc::new(UInt64Array::from_iter_values(self.rows().map(|r| r.value(m)))));
        }
        for (x, name) in self.derived_columns().iter().enumerate() {
            let mut values = Vec::with_capacity(self.len());
            for row in self.rows() {
                let v = row.derived_values()[x];
                let fits = v.map(i64::try_from).transpose().map_err(|_| {
                    Error::Overflow(format!(
                        "{name} {} does not fit in a 64-bit signed Arrow column",
                        v.unwrap_or_default()
                    ))
                })?;
                values.push(fits);
            }
            fields.push(Field::new(*name, DataType::Int64, true));
            columns.push(Arc::new(Int64Array::from(values)));
        }
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
            .map_err(|e| Error::Query(format!("the result cannot be made an Arrow batch: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_a_kind_for_each_column() {
        for table in Table::ALL {
            assert_eq!(kinds(table).len(), Dataset::specs(table).len(), "{table}");
        }
    }

    #[test]
    fn the_batch_of_each_table_has_its_schema_and_rows() {
        let ds = Dataset::sample();
        for table in Table::ALL {
            let batch = ds.to_arrow(table);
            assert_eq!(batch.schema(), schema(table));
            assert_eq!(batch.num_rows(), ds.len(table));
        }
    }
}
