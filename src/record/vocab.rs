//! The controlled vocabularies of the contract: population type, return kind, stance.

use std::fmt;
use std::str::FromStr;

/// The error for a value outside a vocabulary.
///
/// ```
/// use refugee_data::ReturnKind;
/// let err = "expelled".parse::<ReturnKind>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "\"expelled\" is not a return kind (expected one of deported, spontaneous, assisted, returned)"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    value: String,
    vocabulary: &'static str,
    expected: &'static [&'static str],
}

impl UnknownValue {
    pub(crate) fn new(
        value: &str,
        vocabulary: &'static str,
        expected: &'static [&'static str],
    ) -> Self {
        UnknownValue { value: value.to_string(), vocabulary, expected }
    }

    /// The value that was not recognised.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// What is wrong, without the value: `is not a return kind (expected one of ...)`.
    pub fn problem(&self) -> String {
        problem(self.vocabulary, self.expected)
    }
}

pub(crate) fn problem(vocabulary: &str, expected: &[&str]) -> String {
    format!("is not a {vocabulary} (expected one of {})", expected.join(", "))
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\" {}", crate::text::cut(&self.value), self.problem())
    }
}

impl std::error::Error for UnknownValue {}

/// Defines a vocabulary enum with its labels, `Display`, `FromStr` and serde.
/// What the store and the loader need of a vocabulary: its name in
/// messages, its labels, and the conversions to and from its `u8` index.
pub(crate) trait Vocabulary: Copy + Into<u8> {
    /// The vocabulary's name in messages (`return kind`).
    const NAME: &'static str;
    /// The lower-case labels, in index order.
    const LABELS: &'static [&'static str];
    /// Parses a label case-insensitively, ignoring surrounding whitespace.
    fn parse_bytes(b: &[u8]) -> Option<Self>;
    /// The value of an index below `LABELS.len()`.
    fn from_index(i: u8) -> Self;
}

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal,
        $( $(#[$vmeta:meta])* $variant:ident = $label:literal ),+ $(,)?
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        #[repr(u8)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The lower-case labels, in declaration order.
            pub const LABELS: &'static [&'static str] = &[$($label),+];

            #[doc = concat!("Every value, in declaration order: [`", stringify!($name), "::ALL`].")]
            ///
            /// ```
            #[doc = concat!("use refugee_data::", stringify!($name), ";")]
            #[doc = concat!("assert_eq!(", stringify!($name), "::all(), ", stringify!($name), "::ALL);")]
            #[doc = concat!("assert!(", stringify!($name), "::all().iter().all(|v| v.as_str().parse::<", stringify!($name), ">() == Ok(*v)));")]
            /// ```
            pub fn all() -> &'static [$name] {
                $name::ALL
            }

            /// The lower-case label, as written in CSV files.
            pub fn as_str(self) -> &'static str {
                Self::LABELS[self as usize]
            }

            /// Parses a label case-insensitively, ignoring surrounding whitespace,
            /// without allocating.
            pub(crate) fn parse_bytes(b: &[u8]) -> Option<$name> {
                // The exact label first, as files write it: one comparison each.
                $( if b == $label.as_bytes() { return Some($name::$variant); } )+
                let b = crate::text::trim_bytes(b);
                Self::LABELS
                    .iter()
                    .position(|l| l.as_bytes().eq_ignore_ascii_case(b))
                    .map(|i| Self::ALL[i])
            }

            pub(crate) fn from_index(i: u8) -> $name {
                Self::ALL[i as usize]
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Vocabulary for $name {
            const NAME: &'static str = $what;
            const LABELS: &'static [&'static str] = $name::LABELS;
            fn parse_bytes(b: &[u8]) -> Option<Self> {
                $name::parse_bytes(b)
            }
            fn from_index(i: u8) -> Self {
                $name::from_index(i)
            }
        }

        impl From<$name> for u8 {
            fn from(v: $name) -> u8 {
                v as u8
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse_bytes(s.as_bytes())
                    .ok_or_else(|| UnknownValue::new(s, $what, Self::LABELS))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

vocabulary! {
    /// Who a registration counts.
    ///
    /// ```
    /// use refugee_data::PopulationType;
    /// let p: PopulationType = "Asylum_Seekers".parse()?;
    /// assert_eq!(p, PopulationType::AsylumSeekers);
    /// assert_eq!(p.to_string(), "asylum_seekers");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    PopulationType, "population type",
    /// Refugees under UNHCR's mandate.
    Refugees = "refugees",
    /// People whose asylum claim is pending.
    AsylumSeekers = "asylum_seekers",
    /// Other people in need of international protection (UNHCR `oip`).
    OthersInNeed = "others_in_need",
    /// Others of concern to UNHCR (`ooc`).
    OthersOfConcern = "others_of_concern",
    /// Stateless people.
    Stateless = "stateless",
    /// Internally displaced people.
    Idps = "idps",
    /// Host community members (UNHCR `hst`).
    HostCommunity = "host_community",
    /// Government or agency estimates of people without papers.
    Undocumented = "undocumented",
}

vocabulary! {
    /// How people left a host country.
    ///
    /// ```
    /// use refugee_data::ReturnKind;
    /// assert_eq!("DEPORTED".parse::<ReturnKind>()?, ReturnKind::Deported);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ReturnKind, "return kind",
    /// Forcibly removed.
    Deported = "deported",
    /// Left on their own, often under pressure.
    Spontaneous = "spontaneous",
    /// Organised voluntary repatriation.
    Assisted = "assisted",
    /// A return whose kind the source does not give.
    Returned = "returned",
}

vocabulary! {
    /// What a policy statement does, with its CAMEO root code.
    ///
    /// ```
    /// use refugee_data::Stance;
    /// let s: Stance = "criticize".parse()?;
    /// assert_eq!(s.cameo_root(), "11");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Stance, "stance",
    /// Make a public statement or announcement (CAMEO 01).
    Announce = "announce",
    /// Appeal or request (CAMEO 02).
    Appeal = "appeal",
    /// Express intent to cooperate or commit (CAMEO 03).
    Commit = "commit",
    /// Engage in or express support, cooperation (CAMEO 05).
    Support = "support",
    /// Demand (CAMEO 10).
    Demand = "demand",
    /// Disapprove, criticize or denounce (CAMEO 11).
    Criticize = "criticize",
    /// Reject (CAMEO 12).
    Reject = "reject",
    /// Threaten (CAMEO 13).
    Threaten = "threaten",
}

impl Stance {
    /// The two-digit CAMEO root code, for interchange with GDELT-style event data.
    ///
    /// ```
    /// use refugee_data::Stance;
    /// assert_eq!(Stance::Announce.cameo_root(), "01");
    /// assert_eq!(Stance::Threaten.cameo_root(), "13");
    /// ```
    pub fn cameo_root(self) -> &'static str {
        match self {
            Stance::Announce => "01",
            Stance::Appeal => "02",
            Stance::Commit => "03",
            Stance::Support => "05",
            Stance::Demand => "10",
            Stance::Criticize => "11",
            Stance::Reject => "12",
            Stance::Threaten => "13",
        }
    }
}
