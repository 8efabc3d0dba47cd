//! `refugee-data`: typed, validated refugee population data, and aggregation
//! queries that are correct for stocks and for flows.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod country;
mod dataset;
mod error;
mod hash;
mod load;
mod query;
mod record;

pub use crate::country::{Country, UnknownCountry};
pub use crate::dataset::{Dataset, Table, UnknownTable};
pub use crate::error::Error;
pub use crate::load::{LoadReport, Loader, Problem, Rejection};
pub use crate::query::{Dimension, Query, QueryResult, ResultRow};
pub use crate::record::{
    DeportationEvent, PolicyStatement, PopulationType, Registration, ReturnKind, Stance,
    UnknownValue,
};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
