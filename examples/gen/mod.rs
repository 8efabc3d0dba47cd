//! Deterministic generators of synthetic canonical CSV for the examples and
//! the benchmarks (synthetic data is made by code with a fixed
//! seed and never mixed into `data/`).
//!
//! * [`deportations`]: flow events spread over 2015-01-01..=2024-12-31, 40
//!   origins, 60 hosts, four return kinds, counts 1..=100000 skewed small,
//!   60 % without a crossing; a third of the sources report weekly periods,
//!   the others single days; every key (date, period_start, origin, host,
//!   kind, crossing, source) is unique and no two periods of one series
//!   overlap. [`deportations_single_day`]: the same with single days only.
//! * [`registrations`]: UNHCR-like year-end stocks in long form (zeros kept,
//!   closing zeros for series that vanish), 1951..=2025 dated `YYYY-12-31`,
//!   origin x host pairs drawn from about 200 countries and growing over
//!   time, seven population types, source `UNHCR`; every key unique.
//!
//! Same `(rows, seed)`, same bytes, on every platform: only integer
//! arithmetic (a splitmix64 generator), no floating point, no hash-order
//! dependence.
//!
//! Included by `examples/generate.rs` (`mod gen;`), by the benches
//! (`#[path = "../examples/gen/mod.rs"] mod gen;`) and by the tests, which
//! draw their random data with its [`SplitMix64`].
#![allow(dead_code)]

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Write};

use chrono::{Days, NaiveDate};

/// The default seed of the examples and the benches.
pub const SEED: u64 = 0x5EED_2023_AF6A_0001;

/// The header of a generated `deportations.csv`.
pub const DEPORTATIONS_HEADER: &str = "date,period_start,origin,host,kind,count,crossing,source";
/// The header of a generated `registrations.csv`.
pub const REGISTRATIONS_HEADER: &str = "date,origin,host,population,count,source";

/// splitmix64 (Steele, Lea and Flood 2014): tiny, fast, and good enough for
/// synthetic data. The one generator of the examples, the benches and the
/// tests (which include this file with `#[path]`).
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is below 2^-32
    /// for the small `n` used here).
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    #[inline]
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    #[inline]
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// An index in `0..n` skewed towards 0 (the smaller of two uniforms:
    /// index 0 about twice as likely as the middle one).
    #[inline]
    pub fn skewed(&mut self, n: u64) -> u64 {
        self.below(n).min(self.below(n))
    }

    /// `next_u64() % n` (`n > 0`): the plain modulo reduction, slightly
    /// biased for large `n`. The tests draw their data with it (and
    /// [`index`](Self::index), [`pick`](Self::pick)); [`below`](Self::below)
    /// would give them other data.
    #[inline]
    pub fn modulo(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// An index in `0..len` (`len > 0`), by [`modulo`](Self::modulo).
    #[inline]
    pub fn index(&mut self, len: usize) -> usize {
        self.modulo(len as u64) as usize
    }

    /// An element of `items` (not empty), by [`index`](Self::index).
    #[inline]
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }
}

/// A hasher for `u64` keys (one splitmix64 finaliser round), so that the
/// duplicate check is fast and does not depend on a random hash seed.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type KeySet = HashSet<u64, BuildHasherDefault<KeyHasher>>;

/// Origins of deportation events: 40 real ISO alpha-3 codes, the most
/// frequent first (the generator skews towards the start of the list).
pub const ORIGINS: [&str; 40] = [
    "AFG", "SYR", "VEN", "UKR", "SDN", "SSD", "MMR", "COD", "SOM", "ERI", //
    "IRQ", "IRN", "PAK", "NGA", "CAF", "BDI", "ETH", "MLI", "YEM", "HTI", //
    "HND", "GTM", "SLV", "NIC", "COL", "BGD", "LKA", "NPL", "IND", "TUR", //
    "MAR", "DZA", "TUN", "EGY", "LBY", "GIN", "SEN", "CMR", "TCD", "GEO",
];

/// Hosts of deportation events: 60 real ISO alpha-3 codes, the most
/// frequent first.
pub const HOSTS: [&str; 60] = [
    "PAK", "IRN", "TUR", "USA", "MEX", "DEU", "LBY", "SAU", "ARE", "GRC", //
    "ITA", "FRA", "ESP", "GBR", "SWE", "AUT", "CHE", "NLD", "BEL", "HUN", //
    "POL", "BGR", "HRV", "SRB", "MKD", "BIH", "ALB", "CYP", "MLT", "NOR", //
    "DNK", "FIN", "IRL", "CAN", "AUS", "NZL", "JPN", "KOR", "MYS", "IDN", //
    "THA", "IND", "BGD", "KEN", "UGA", "ETH", "DJI", "EGY", "JOR", "LBN", //
    "IRQ", "KWT", "QAT", "OMN", "TUN", "DZA", "MAR", "NER", "TCD", "SDN",
];

/// Return kinds with weights in percent.
pub const KINDS: [(&str, u64); 4] =
    [("deported", 35), ("spontaneous", 40), ("assisted", 10), ("returned", 15)];

/// Border crossings (used by ~40 % of events).
pub const CROSSINGS: [&str; 30] = [
    "Torkham",
    "Chaman",
    "Islam Qala",
    "Milak",
    "Spin Boldak",
    "Ghulam Khan", //
    "Angoor Adda",
    "Kharlachi",
    "Badini",
    "Taftan",
    "Mirjaveh",
    "Dogharoun", //
    "Bazargan",
    "Kapikule",
    "Evros",
    "Tijuana",
    "Ciudad Juarez",
    "Nuevo Laredo", //
    "Reynosa",
    "Matamoros",
    "Nogales",
    "El Paso",
    "Ras Ajdir",
    "Salloum", //
    "Wadi Halfa",
    "Gallabat",
    "Moyale",
    "Busia",
    "Lampedusa",
    "Ceuta",
];

/// Publishers of deportation figures.
pub const SOURCES: [&str; 12] = [
    "IOM DTM",
    "UNHCR",
    "KP Home Department",
    "Balochistan Home Department",
    "Government of Pakistan",
    "Iran Ministry of Interior",
    "Taliban Ministry of Refugees and Repatriation",
    "US Immigration and Customs Enforcement",
    "Eurostat",
    "Frontex",
    "Human Rights Watch",
    "Border Consortium",
];

/// About 200 countries (real ISO alpha-3 codes) for registrations: the first
/// ones are the large origins and hosts of UNHCR's tables.
pub const COUNTRIES: [&str; 200] = [
    "AFG", "SYR", "VEN", "UKR", "SDN", "SSD", "MMR", "COD", "SOM", "ERI", //
    "PAK", "IRN", "TUR", "DEU", "COL", "UGA", "ETH", "BGD", "USA", "POL", //
    "IRQ", "CAF", "BDI", "NGA", "MLI", "YEM", "HTI", "HND", "GTM", "SLV", //
    "NIC", "CMR", "TCD", "NER", "KEN", "TZA", "RWA", "JOR", "LBN", "EGY", //
    "FRA", "GBR", "ITA", "ESP", "SWE", "AUT", "CHE", "NLD", "BEL", "NOR", //
    "DNK", "FIN", "GRC", "CAN", "AUS", "NZL", "BRA", "PER", "ECU", "CHL", //
    "ARG", "MEX", "CRI", "PAN", "DOM", "CUB", "IND", "NPL", "LKA", "CHN", //
    "MYS", "THA", "IDN", "PHL", "VNM", "KHM", "LAO", "JPN", "KOR", "PRK", //
    "RUS", "BLR", "MDA", "ROU", "BGR", "HUN", "SVK", "CZE", "SRB", "BIH", //
    "HRV", "SVN", "MKD", "ALB", "MNE", "GEO", "ARM", "AZE", "KAZ", "KGZ", //
    "TJK", "UZB", "TKM", "MNG", "SAU", "ARE", "KWT", "QAT", "OMN", "BHR", //
    "ISR", "PSE", "LBY", "TUN", "DZA", "MAR", "MRT", "SEN", "GMB", "GNB", //
    "GIN", "SLE", "LBR", "CIV", "GHA", "TGO", "BEN", "BFA", "GAB", "COG", //
    "GNQ", "AGO", "ZMB", "ZWE", "MWI", "MOZ", "ZAF", "NAM", "BWA", "LSO", //
    "SWZ", "MDG", "MUS", "COM", "DJI", "IRL", "PRT", "LUX", "ISL", "EST", //
    "LVA", "LTU", "CYP", "MLT", "BOL", "PRY", "URY", "GUY", "SUR", "BLZ", //
    "JAM", "TTO", "BRB", "BHS", "GRD", "LCA", "VCT", "DMA", "ATG", "KNA", //
    "FJI", "PNG", "SLB", "VUT", "WSM", "TON", "KIR", "TLS", "BRN", "SGP", //
    "BTN", "MDV", "CPV", "STP", "SYC", "MHL", "MCO", "LIE", "AND", "SMR", //
    "TWN", "HKG", "MAC", "XKX", "PRI", "NCL", "PYF", "GUF", "REU", "MYT",
];

/// Population types of UNHCR's year-end tables, in their column order (all
/// of the contract's vocabulary but `undocumented`).
pub const POPULATIONS: [&str; 7] = [
    "refugees",
    "asylum_seekers",
    "idps",
    "stateless",
    "others_of_concern",
    "others_in_need",
    "host_community",
];

/// `YYYY-MM-DD` of each day from `first` to `last`.
fn date_texts(first: NaiveDate, last: NaiveDate) -> Vec<[u8; 10]> {
    let text = |date: NaiveDate| {
        let mut out = [0; 10];
        out.copy_from_slice(date.format("%Y-%m-%d").to_string().as_bytes());
        out
    };
    first.iter_days().take_while(|d| *d <= last).map(text).collect()
}

#[inline]
fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// A count in `1..=100000`, log-uniform-ish: the number of digits is drawn
/// first (1 to 5, weights 30/30/22/13/5), then a uniform value with that many
/// digits, so small counts dominate and 100000 is possible.
#[inline]
fn skewed_count(rng: &mut SplitMix64) -> u64 {
    match rng.below(100) {
        0..=29 => rng.range(1, 9),
        30..=59 => rng.range(10, 99),
        60..=81 => rng.range(100, 999),
        82..=94 => rng.range(1_000, 9_999),
        _ => rng.range(10_000, 100_000),
    }
}

/// Flushes `buf` to `w` when it holds more than this many bytes.
const FLUSH_AT: usize = 1 << 20;

/// Writes `rows` synthetic deportation events (plus the header) to `w`.
///
/// Dates are uniform over 2015-01-01..=2024-12-31. A third of the sources
/// ([`reports_weekly`]) report weekly: their rows cover the seven days
/// ending on a Sunday (`period_start` the Monday before), so that the
/// periods of one series never overlap; the other sources report single
/// days, half of them with `period_start` left empty and half with it equal
/// to `date` (never both for one key). Origins and hosts are skewed towards
/// the start of [`ORIGINS`] and [`HOSTS`]; the crossing is empty for ~60 %.
/// A drawn key already written is drawn again, so every key is unique (the
/// loader rejects duplicates and overlapping periods) and the output has
/// exactly `rows` data rows. Rows come in random date order.
pub fn deportations<W: Write>(rows: usize, seed: u64, w: W) -> io::Result<()> {
    deportations_with(rows, seed, true, w)
}

/// As [`deportations`], but every row is a single day (`period_start`
/// empty): the shape of daily border counts.
pub fn deportations_single_day<W: Write>(rows: usize, seed: u64, w: W) -> io::Result<()> {
    deportations_with(rows, seed, false, w)
}

/// True for the sources that report weekly periods in [`deportations`].
pub fn reports_weekly(source: usize) -> bool {
    source % 3 == 1
}

fn deportations_with<W: Write>(rows: usize, seed: u64, periods: bool, mut w: W) -> io::Result<()> {
    let first = NaiveDate::from_ymd_opt(2015, 1, 1).expect("a date");
    let last = NaiveDate::from_ymd_opt(2024, 12, 31).expect("a date");
    let ndays = (last - first).num_days() as u64 + 1;
    // Date texts from 30 days before the first date to the last.
    let dates = date_texts(first - Days::new(30), last);
    let kind_table: Vec<u8> = KINDS
        .iter()
        .enumerate()
        .flat_map(|(i, &(_, p))| std::iter::repeat(i as u8).take(p as usize))
        .collect();
    let mut rng = SplitMix64::new(seed);
    let mut seen = KeySet::with_capacity_and_hasher(rows, Default::default());
    let mut buf: Vec<u8> = Vec::with_capacity(FLUSH_AT + 4096);
    buf.extend_from_slice(DEPORTATIONS_HEADER.as_bytes());
    buf.push(b'\n');
    let mut written = 0;
    while written < rows {
        let mut day = rng.below(ndays); // 12 bits
        let source = rng.skewed(SOURCES.len() as u64); // 4 bits
                                                       // 0 = empty; 1..=30 = that many days before `date`; 31 = equal to `date`.
        let back = if periods && reports_weekly(source as usize) {
            // The Sunday ending the week: day 3 (2015-01-04) was a Sunday.
            day += (3 + 7 - day % 7) % 7;
            if day >= ndays {
                day -= 7;
            }
            6
        } else if periods && rng.percent(50) {
            31
        } else {
            0
        }; // 5 bits
        let origin = rng.skewed(ORIGINS.len() as u64); // 6 bits
        let host = rng.skewed(HOSTS.len() as u64); // 6 bits
        let kind = kind_table[rng.below(100) as usize] as u64; // 2 bits
        let crossing = if rng.percent(60) { 0 } else { 1 + rng.below(CROSSINGS.len() as u64) }; // 5 bits
        let count = skewed_count(&mut rng);
        // An empty `period_start` and one equal to `date` are one typed key.
        let key = day
            | (back % 31) << 12
            | origin << 17
            | host << 23
            | kind << 29
            | crossing << 31
            | source << 36;
        if !seen.insert(key) {
            continue;
        }
        written += 1;
        let d = (day + 30) as usize;
        buf.extend_from_slice(&dates[d]);
        buf.push(b',');
        match back {
            0 => {}
            31 => buf.extend_from_slice(&dates[d]),
            _ => buf.extend_from_slice(&dates[d - back as usize]),
        }
        buf.push(b',');
        buf.extend_from_slice(ORIGINS[origin as usize].as_bytes());
        buf.push(b',');
        buf.extend_from_slice(HOSTS[host as usize].as_bytes());
        buf.push(b',');
        buf.extend_from_slice(KINDS[kind as usize].0.as_bytes());
        buf.push(b',');
        push_u64(&mut buf, count);
        buf.push(b',');
        if crossing != 0 {
            buf.extend_from_slice(CROSSINGS[crossing as usize - 1].as_bytes());
        }
        buf.push(b',');
        buf.extend_from_slice(SOURCES[source as usize].as_bytes());
        buf.push(b'\n');
        if buf.len() >= FLUSH_AT {
            w.write_all(&buf)?;
            buf.clear();
        }
    }
    w.write_all(&buf)?;
    w.flush()
}

/// One origin x host pair of the registrations generator, and the current
/// stock of each population type.
struct Pair {
    origin: u8,
    host: u8,
    stock: [u64; 7],
    /// Present at the previous year-end with non-zero stocks; absent next
    /// year means a closing zero now.
    closing: bool,
}

/// Writes about `rows` synthetic UNHCR year-end registrations (plus the
/// header) to `w`, and returns the number of data rows written: `rows`
/// rounded up to a multiple of 7 (each pair and year is one row of UNHCR's
/// wide table, seven rows in long form).
///
/// The table covers 1951..=2025, one complete table a year dated
/// `YYYY-12-31`. The number of origin x host pairs grows linearly with the
/// year (year k of 75 has about k/2850 of them). A pair, once present, stays
/// with its stocks following a random walk; about 2 % of pairs end each year,
/// and are then written once more with all-zero stocks the next year (the
/// closing zero of the UNHCR conversion) before they vanish. Most pairs have only some
/// population types non-zero; the zeros are kept (long form, zeros kept, as
/// UNHCR publishes). Source is always `UNHCR`; keys are unique by
/// construction (a pair appears at most once a year and never comes back).
pub fn registrations<W: Write>(rows: usize, seed: u64, mut w: W) -> io::Result<usize> {
    const FIRST: i64 = 1951;
    const YEARS: u64 = 75;
    const TRIANGLE: u64 = YEARS * (YEARS + 1) / 2; // 2850
    let total_pairs = rows.div_ceil(7) as u64;
    let mut rng = SplitMix64::new(seed);
    let mut drawn = KeySet::default();
    let mut active: Vec<Pair> = Vec::new();
    let mut buf: Vec<u8> = Vec::with_capacity(FLUSH_AT + 4096);
    buf.extend_from_slice(REGISTRATIONS_HEADER.as_bytes());
    buf.push(b'\n');
    let nc = COUNTRIES.len() as u64;
    let max_pairs = nc * (nc - 1);
    let mut written = 0usize;
    let mut cum_prev = 0u64;
    for k in 1..=YEARS {
        let cum = (total_pairs * (k * (k + 1) / 2) + TRIANGLE / 2) / TRIANGLE;
        let slots = (cum - cum_prev) as usize; // pairs (rows of the wide table) this year
        cum_prev = cum;
        let date = format!("{}-12-31", FIRST + k as i64 - 1);
        // Pairs that ended last year get their closing zero this year and
        // then leave; the others go on, ~2 % of them ending now.
        let mut this_year: Vec<Pair> = Vec::with_capacity(slots);
        let mut carried = std::mem::take(&mut active);
        for mut p in carried.drain(..) {
            if this_year.len() == slots {
                break; // the table shrinks: the rest end without a closing zero row
            }
            if p.closing {
                p.stock = [0; 7];
                this_year.push(p); // written with zeros, then dropped
                continue;
            }
            for s in p.stock.iter_mut() {
                if *s > 0 {
                    // A random walk of -20 % .. +20 %, and 1 in 50 to zero.
                    *s = if rng.percent(2) {
                        0
                    } else {
                        (*s * rng.range(80, 120) / 100).clamp(1, 5_000_000)
                    };
                }
            }
            if rng.percent(2) {
                p.closing = true;
            }
            this_year.push(p);
        }
        // New pairs fill the remaining slots.
        while this_year.len() < slots && (drawn.len() as u64) < max_pairs {
            let origin = rng.skewed(nc);
            let host = rng.skewed(nc);
            if origin == host {
                continue;
            }
            if !drawn.insert(origin << 8 | host) {
                continue;
            }
            let mut stock = [0u64; 7];
            for (i, s) in stock.iter_mut().enumerate() {
                // refugees usually, the others more rarely
                let p = [85, 40, 8, 5, 10, 6, 3][i];
                if rng.percent(p) {
                    *s = skewed_count(&mut rng) * rng.range(1, 20);
                }
            }
            this_year.push(Pair { origin: origin as u8, host: host as u8, stock, closing: false });
        }
        for p in &this_year {
            for (i, &s) in p.stock.iter().enumerate() {
                buf.extend_from_slice(date.as_bytes());
                buf.push(b',');
                buf.extend_from_slice(COUNTRIES[p.origin as usize].as_bytes());
                buf.push(b',');
                buf.extend_from_slice(COUNTRIES[p.host as usize].as_bytes());
                buf.push(b',');
                buf.extend_from_slice(POPULATIONS[i].as_bytes());
                buf.push(b',');
                push_u64(&mut buf, s);
                buf.extend_from_slice(b",UNHCR\n");
                written += 1;
            }
            if buf.len() >= FLUSH_AT {
                w.write_all(&buf)?;
                buf.clear();
            }
        }
        // Pairs just written with their closing zero leave (as does a pair
        // marked to end whose stocks are all zero already: its last row is
        // its zero); a pair marked to end this year writes its zeros next year.
        active = this_year.into_iter().filter(|p| !(p.closing && p.stock == [0; 7])).collect();
    }
    w.write_all(&buf)?;
    w.flush()?;
    Ok(written)
}

/// A whole generated file in memory.
pub fn deportations_csv(rows: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 72 + 64);
    deportations(rows, seed, &mut out).expect("writing to a Vec cannot fail");
    out
}

/// A whole generated single-day file in memory ([`deportations_single_day`]).
pub fn deportations_single_day_csv(rows: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 72 + 64);
    deportations_single_day(rows, seed, &mut out).expect("writing to a Vec cannot fail");
    out
}

/// A whole generated file in memory.
pub fn registrations_csv(rows: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 40 + 64);
    registrations(rows, seed, &mut out).expect("writing to a Vec cannot fail");
    out
}
