//! The dimensions a query can group and filter by.

use std::fmt;
use std::str::FromStr;

use crate::{Error, Table};

/// A dimension to group by: a time bucket or a categorical column.
///
/// ```
/// use refugee_data::Dimension;
/// let d: Dimension = "actor_country".parse()?;
/// assert_eq!(d, Dimension::ActorCountry);
/// assert_eq!(d.flag(), "--actor-country");
/// assert!(Dimension::Week.is_time());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
#[non_exhaustive]
pub enum Dimension {
    /// Calendar day, labelled `2023-11-24`.
    Day,
    /// ISO 8601 week, labelled `2023-W47` by its ISO week-year.
    Week,
    /// Calendar month, labelled `2023-11`.
    Month,
    /// Calendar quarter, labelled `2023-Q4`.
    Quarter,
    /// Calendar year, labelled `2023`.
    Year,
    /// Country of origin (registrations, deportations).
    Origin,
    /// Host country (registrations, deportations).
    Host,
    /// Population type (registrations).
    Population,
    /// Return kind (deportations).
    Kind,
    /// Border crossing (deportations).
    Crossing,
    /// Publisher of the figure or statement (all tables).
    Source,
    /// Speaking body (statements).
    Actor,
    /// The actor's country (statements).
    ActorCountry,
    /// Person speaking (statements).
    Speaker,
    /// Country addressed (statements).
    TargetCountry,
    /// Origin of the people a statement is about (statements).
    SubjectCountry,
    /// Stance (statements).
    Stance,
    /// UNHCR's regional bureau of the origin (`Asia and the Pacific`;
    /// registrations, deportations).
    OriginRegion,
    /// UNHCR's regional bureau of the host.
    HostRegion,
    /// The UN M49 sub-region of the origin (`Southern Asia`).
    OriginSubregion,
    /// The UN M49 sub-region of the host.
    HostSubregion,
}

const ALL_DIMENSIONS: [Dimension; 21] = [
    Dimension::Day,
    Dimension::Week,
    Dimension::Month,
    Dimension::Quarter,
    Dimension::Year,
    Dimension::Origin,
    Dimension::Host,
    Dimension::Population,
    Dimension::Kind,
    Dimension::Crossing,
    Dimension::Source,
    Dimension::Actor,
    Dimension::ActorCountry,
    Dimension::Speaker,
    Dimension::TargetCountry,
    Dimension::SubjectCountry,
    Dimension::Stance,
    Dimension::OriginRegion,
    Dimension::HostRegion,
    Dimension::OriginSubregion,
    Dimension::HostSubregion,
];

impl Dimension {
    /// Every dimension, in declaration order (as [`Dimension::all`]).
    ///
    /// ```
    /// use refugee_data::Dimension;
    /// assert_eq!(Dimension::ALL[0], Dimension::Day);
    /// assert_eq!(Dimension::ALL, Dimension::all());
    /// assert!(Dimension::ALL.iter().all(|d| d.name().parse::<Dimension>().ok() == Some(*d)));
    /// ```
    pub const ALL: &'static [Dimension] = &ALL_DIMENSIONS;

    /// The name as written in `--by` and in output headers (`actor_country`).
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Day => "day",
            Dimension::Week => "week",
            Dimension::Month => "month",
            Dimension::Quarter => "quarter",
            Dimension::Year => "year",
            Dimension::Origin => "origin",
            Dimension::Host => "host",
            Dimension::Population => "population",
            Dimension::Kind => "kind",
            Dimension::Crossing => "crossing",
            Dimension::Source => "source",
            Dimension::Actor => "actor",
            Dimension::ActorCountry => "actor_country",
            Dimension::Speaker => "speaker",
            Dimension::TargetCountry => "target_country",
            Dimension::SubjectCountry => "subject_country",
            Dimension::Stance => "stance",
            Dimension::OriginRegion => "origin_region",
            Dimension::HostRegion => "host_region",
            Dimension::OriginSubregion => "origin_subregion",
            Dimension::HostSubregion => "host_subregion",
        }
    }

    /// The command line's filter flag (`--actor-country`).
    pub fn flag(self) -> String {
        format!("--{}", self.name().replace('_', "-"))
    }

    /// True for the time buckets `day`, `week`, `month`, `quarter`, `year`.
    pub fn is_time(self) -> bool {
        matches!(
            self,
            Dimension::Day
                | Dimension::Week
                | Dimension::Month
                | Dimension::Quarter
                | Dimension::Year
        )
    }

    /// True for the dimensions whose values are countries.
    pub fn is_country(self) -> bool {
        matches!(
            self,
            Dimension::Origin
                | Dimension::Host
                | Dimension::ActorCountry
                | Dimension::TargetCountry
                | Dimension::SubjectCountry
        )
    }

    /// True for the region dimensions, whose labels are derived from a
    /// country column: `origin_region`, `host_region` (UNHCR's regional
    /// bureau) and `origin_subregion`, `host_subregion` (UN M49).
    pub fn is_region(self) -> bool {
        matches!(
            self,
            Dimension::OriginRegion
                | Dimension::HostRegion
                | Dimension::OriginSubregion
                | Dimension::HostSubregion
        )
    }

    /// The categorical dimensions of a table, in the contract's order, then
    /// the region dimensions derived from its countries.
    ///
    /// ```
    /// use refugee_data::{Dimension, Table};
    /// let names: Vec<_> = Dimension::categorical(Table::Deportations).iter().map(|d| d.name()).collect();
    /// assert_eq!(names, ["origin", "host", "kind", "crossing", "source", "origin_region",
    ///                     "host_region", "origin_subregion", "host_subregion"]);
    /// ```
    pub fn categorical(table: Table) -> &'static [Dimension] {
        use Dimension::*;
        match table {
            Table::Registrations => &[
                Origin,
                Host,
                Population,
                Source,
                OriginRegion,
                HostRegion,
                OriginSubregion,
                HostSubregion,
            ],
            Table::Deportations => &[
                Origin,
                Host,
                Kind,
                Crossing,
                Source,
                OriginRegion,
                HostRegion,
                OriginSubregion,
                HostSubregion,
            ],
            Table::Statements => {
                &[Actor, ActorCountry, Speaker, TargetCountry, SubjectCountry, Stance, Source]
            }
        }
    }

    /// Whether this dimension applies to `table`.
    pub fn applies_to(self, table: Table) -> bool {
        self.is_time() || Dimension::categorical(table).contains(&self)
    }

    /// Every dimension, in declaration order: [`Dimension::ALL`].
    pub fn all() -> &'static [Dimension] {
        Dimension::ALL
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Dimension {
    type Err = Error;
    /// Parses a name as in `--by` (`actor_country`; `actor-country` is accepted too).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().replace('-', "_");
        ALL_DIMENSIONS.into_iter().find(|d| d.name().eq_ignore_ascii_case(&wanted)).ok_or_else(
            || {
                let names: Vec<_> = ALL_DIMENSIONS.iter().map(|d| d.name()).collect();
                Error::Query(format!(
                    "\"{}\" is not a dimension (expected one of {})",
                    s.trim(),
                    names.join(", ")
                ))
            },
        )
    }
}
