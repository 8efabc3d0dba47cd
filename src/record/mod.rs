//! The typed records of the three tables and their vocabularies.
//!
//! * A [`Registration`] is a **stock**: how many people of one origin are
//!   recorded in one host country, of one population type, as of a date.
//! * A [`DeportationEvent`] is a **flow**: how many people were deported or
//!   returned over a day or a reporting period that ends on `date`.
//! * A [`PolicyStatement`] is a **discourse** event: who said what, when, to
//!   whom, about whom.

mod date;
mod vocab;

pub(crate) use date::{
    civil_from_days, date_of as date_of_day, day_of, days_from_civil, parse_date, DateError, Day,
    MAX_YEAR, MIN_YEAR,
};
pub(crate) use vocab::{problem as vocab_problem, Vocabulary};
pub use vocab::{PopulationType, ReturnKind, Stance, UnknownValue};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Country;

/// How many people of one origin are recorded in one host country, of one
/// population type, as of `date` (a stock; one row of `registrations.csv`).
///
/// ```
/// use refugee_data::{Country, Dataset, PopulationType};
/// let pak: Country = "PAK".parse()?;
/// let r = Dataset::sample()
///     .registrations()
///     .find(|r| r.host == pak && r.population == PopulationType::Refugees
///         && r.date.to_string() == "2023-12-31" && r.source == "UNHCR")
///     .unwrap();
/// assert_eq!(r.count, 1_987_717);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Registration {
    /// The date the figure describes (UNHCR year-end figures are dated 31 December).
    pub date: NaiveDate,
    /// Country of origin (nationality).
    pub origin: Country,
    /// Country of asylum or residence.
    pub host: Country,
    /// Who is counted.
    pub population: PopulationType,
    /// Persons.
    pub count: u64,
    /// The organisation that counted; figures of different sources are
    /// different series.
    pub source: String,
    /// The publication or link the figure was taken from, where given. Part
    /// of no key and never grouped: two outlets reporting one organisation's
    /// figure do not make two series.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub reference: Option<String>,
}

/// How many people of one origin left a host country over a day or a
/// reporting period (a flow; one row of `deportations.csv`).
///
/// ```
/// use refugee_data::{Dataset, ReturnKind};
/// let returned_2023: u64 = Dataset::sample()
///     .deportations()
///     .filter(|d| d.source == "UNHCR" && d.kind == ReturnKind::Returned
///         && d.date.to_string() == "2023-12-31" && d.host.alpha3() == "PAK")
///     .map(|d| d.count)
///     .sum();
/// assert!(returned_2023 > 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeportationEvent {
    /// The day of the movement, or the last day of the reporting period.
    pub date: NaiveDate,
    /// The first day the count covers; `None` means the same day as `date`.
    pub period_start: Option<NaiveDate>,
    /// Nationality of the people moved (the country they go back to).
    pub origin: Country,
    /// The country they were deported or returned from.
    pub host: Country,
    /// How they left.
    pub kind: ReturnKind,
    /// Persons.
    pub count: u64,
    /// Border crossing point, where the source gives one.
    pub crossing: Option<String>,
    /// The organisation that counted (`IOM DTM`, `UNHCR`), not the outlet
    /// that reported it.
    pub source: String,
    /// The publication or link the figure was taken from, where given. Part
    /// of no key and never grouped.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub reference: Option<String>,
}

impl DeportationEvent {
    /// The first day the count covers: `period_start`, or `date` when it is empty.
    ///
    /// ```
    /// use refugee_data::Dataset;
    /// for d in Dataset::sample().deportations() {
    ///     assert!(d.first_day() <= d.date);
    /// }
    /// ```
    pub fn first_day(&self) -> NaiveDate {
        self.period_start.unwrap_or(self.date)
    }
}

/// Who said what, when, to whom, about whom (one row of `statements.csv`).
///
/// ```
/// use refugee_data::{Dataset, Stance};
/// let criticisms = Dataset::sample()
///     .statements()
///     .filter(|s| s.stance == Stance::Criticize)
///     .count();
/// assert!(criticisms > 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PolicyStatement {
    /// The day the statement was made.
    pub date: NaiveDate,
    /// The speaking body.
    pub actor: String,
    /// The actor's country; `None` for international bodies and NGOs.
    pub actor_country: Option<Country>,
    /// The person speaking, where known.
    pub speaker: Option<String>,
    /// The country addressed.
    pub target_country: Option<Country>,
    /// The origin of the people the statement is about.
    pub subject_country: Option<Country>,
    /// What the statement does.
    pub stance: Stance,
    /// One sentence, in the dataset author's own words.
    pub summary: String,
    /// The publication that reports it.
    pub source: String,
    /// A link to the source.
    pub url: Option<String>,
}

/// An optional text: absent, empty or blank is `None`, else the trimmed text
/// (as the loader reads an optional text column).
fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    Ok(s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
}
