//! `refugee-data`: typed, validated refugee population data, and aggregation
//! queries that are correct for stocks and for flows.
//!
//! Every account of a displacement crisis is made of three kinds of facts,
//! and this crate has one table for each:
//!
//! * **registrations** ([`Registration`]) are *stocks*: how many people of
//!   one origin are recorded in one host country, of one population type,
//!   **as of** a date. Stocks are never added over time: the number of
//!   refugees at the end of 2023 is not the sum of the year's monthly figures.
//! * **deportation events** ([`DeportationEvent`]) are *flows*: how many
//!   people were deported or returned over a day or a reporting period.
//!   Flows are added over time, into the bucket of the period's last day.
//! * **policy statements** ([`PolicyStatement`]) are *discourse* events: who
//!   said what, when, to whom and about whom, with a [`Stance`].
//!
//! A **series** is one stock figure followed over time: (origin, host,
//! population, source). Two publishers' figures for one population are two
//! series, and a query never adds them silently.
//!
//! # The data contract
//!
//! What a valid file is, what happens to every row, how countries are
//! written and what each query returns is stated in full in `CONTRACT.md`
//! at the root of the repository: the crate's own statement of its contract,
//! which the tests, the command line and these docs are held to. Two
//! doc-only modules show it at work on the sample data: the [`tutorial`], a
//! guided walk from a first query to importing UNHCR's files, and the
//! [`cookbook`], short recipes for common tasks.
//!
//! # Loading
//!
//! [`Loader`] reads the canonical CSV files into a columnar
//! [`Dataset`]. Every row becomes a record or a [`Rejection`] that names the
//! file, the physical line, the column, the value and what was expected;
//! `loaded + rejected = rows read`, always ([`LoadReport`]).
//!
//! ```
//! use refugee_data::{Loader, Table};
//! let csv = "date,origin,host,kind,count,source\n\
//!            2023-11-01,Afghanistan,Pakistan,spontaneous,17000,IOM\n\
//!            2023-11-31,AFG,PAK,deported,500,IOM\n";
//! let mut loader = Loader::new().lenient(true);
//! loader.read(Table::Deportations, "deportations.csv", csv.as_bytes())?;
//! let (dataset, report) = loader.finish();
//! assert_eq!(dataset.len(Table::Deportations), 1);
//! assert_eq!(
//!     report.rejections()[0].to_string(),
//!     r#"deportations.csv:3: column "date": "2023-11-31" is not a calendar date (expected YYYY-MM-DD)"#
//! );
//! # Ok::<(), refugee_data::Error>(())
//! ```
//!
//! # Querying
//!
//! A [`Query`] names a table, the [`Dimension`]s to group by, date bounds,
//! an as-of date for stocks, and filters; [`Dataset::query`] answers it with
//! a [`QueryResult`] whose rows are sorted by the dimensions.
//!
//! ```
//! use refugee_data::{Dataset, Dimension, Query};
//! // Afghan refugees in Pakistan at each year's end, UNHCR's figures.
//! let q = Query::registrations()
//!     .by(Dimension::Year)
//!     .filter(Dimension::Origin, ["AFG"])
//!     .filter(Dimension::Host, ["Pakistan"])
//!     .filter(Dimension::Population, ["refugees"])
//!     .filter(Dimension::Source, ["UNHCR"])
//!     .from("2021-01-01".parse()?)
//!     .to("2023-12-31".parse()?);
//! let result = Dataset::sample().query(&q)?;
//! let years: Vec<(&str, u64)> = result.rows().map(|r| (r.key(0), r.value(0))).collect();
//! assert_eq!(years, [("2021", 1_490_562), ("2022", 1_743_278), ("2023", 1_987_717)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Typed values work as filters, and a row's labels can be read back as
//! typed values: a [`Country`] for a country dimension, the first and last
//! day of a time bucket (see [`ResultRow`], [`QueryResult::column`]).
//!
//! # Dates
//!
//! Dates are [`NaiveDate`]s, re-exported from `chrono` with [`Datelike`],
//! so no direct dependency on `chrono` is needed:
//!
//! ```
//! use refugee_data::{Dataset, Datelike, NaiveDate};
//! let ds = Dataset::sample();
//! let first = ds.registrations().map(|r| r.date).min().unwrap();
//! assert!(first < NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
//! let in_2023 = ds.deportations().filter(|d| d.date.year() == 2023).count();
//! assert!(in_2023 > 0);
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[cfg(feature = "arrow")]
mod arrow;
#[cfg(feature = "chart")]
pub mod chart;
pub mod cookbook;
mod country;
mod dataset;
mod error;
mod hash;
mod load;
mod query;
mod record;
mod sources;
mod text;
pub mod tutorial;

#[cfg(feature = "chart")]
pub use crate::chart::ChartOptions;
pub use crate::country::{Country, UnknownCountry};
pub use crate::dataset::{Dataset, Table, UnknownTable};
pub use crate::error::{Error, SourceConflict};
#[cfg(feature = "encoding")]
pub use crate::load::Encoding;
pub use crate::load::{LoadReport, Loader, Problem, Rejection};
pub use crate::query::{
    escape_controls, thousands, Cell, Derived, Dimension, FilterValue, Query, QueryResult,
    ResultRow, Window,
};
pub use crate::record::{
    DeportationEvent, PolicyStatement, PopulationType, Registration, ReturnKind, Stance,
    UnknownValue,
};
pub use crate::sources::{
    import_hxl, import_unhcr, HxlMapping, HxlParts, HxlTarget, ImportReport, UnhcrOptions,
};
/// The date type of every record and query bound (re-exported from
/// `chrono`), with [`Datelike`] for its year, month and day.
pub use chrono::{Datelike, NaiveDate};

/// The Arrow crates of [`Dataset::to_arrow`] and [`Loader::read_arrow`]
/// (feature `arrow`), re-exported so that their types match this crate's.
#[cfg(feature = "arrow")]
pub use {arrow_array, arrow_schema};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
