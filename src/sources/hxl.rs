//! HXL-tagged CSV (HDX): the hashtag row found as libhxl finds it, tag
//! patterns, and a mapping from tag patterns to records.

use std::collections::HashMap;
use std::io;

use csv::ByteRecord;

use super::{header_text, parse_count, CountryCache, CsvRows, ImportReport};
use crate::dataset::NO_DAY;
use crate::hash::FxBuildHasher;
use crate::load::push::{At, NewDeportation, NewRegistration};
use crate::load::{Problem, Rejection};
use crate::record::{days_from_civil, parse_date, DateError, Day, MAX_YEAR, MIN_YEAR};
use crate::{Country, Error, Loader, PopulationType, ReturnKind, Table};

/// What a measure column becomes ([`HxlMapping::measure`]).
///
/// ```
/// use refugee_data::{HxlTarget, PopulationType, ReturnKind};
/// let stock = HxlTarget::Registrations(PopulationType::Idps);
/// let flow = HxlTarget::Deportations(ReturnKind::Returned);
/// assert_ne!(stock, flow);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HxlTarget {
    /// Registrations (stocks) of this population type, dated on the last
    /// day of the row's date (`2023` is `2023-12-31`, `2023-06` is `2023-06-30`).
    Registrations(PopulationType),
    /// Deportation events (flows) of this kind, covering the row's date (a
    /// year or month is a period from its first to its last day; a day is
    /// that day, or the period from the [`period_start`](HxlMapping::period_start)
    /// column to it).
    Deportations(ReturnKind),
}

impl HxlTarget {
    fn label(self) -> &'static str {
        match self {
            HxlTarget::Registrations(p) => p.as_str(),
            HxlTarget::Deportations(k) => k.as_str(),
        }
    }

    fn table(self) -> Table {
        match self {
            HxlTarget::Registrations(_) => Table::Registrations,
            HxlTarget::Deportations(_) => Table::Deportations,
        }
    }
}

/// What to do when a measure's pattern matches several columns (a total and
/// its parts, such as `#affected+idps`, `#affected+idps+m` and
/// `#affected+idps+f`). Without a choice such a mapping is an error:
/// taking the first column, as libhxl's `count` does, silently reads a part
/// as the total.
///
/// ```
/// use refugee_data::{import_hxl, HxlMapping, HxlParts, Loader};
/// let csv = "\
/// Country,Date,IDPs,Male IDPs,Female IDPs
/// #country+code,#date,#affected+idps,#affected+idps+m,#affected+idps+f
/// AFG,2017-12-31,1000,480,510
/// ";
/// let err = import_hxl(&mut Loader::new(), "idps.csv", csv.as_bytes(), &HxlMapping::new("IOM DTM"))
///     .unwrap_err();
/// assert!(err.to_string().contains("matches 3 columns"));
///
/// for (parts, want) in [(HxlParts::Total, 1000), (HxlParts::Sum, 990)] {
///     let mut loader = Loader::new();
///     let mapping = HxlMapping::new("IOM DTM").parts(parts);
///     import_hxl(&mut loader, "idps.csv", csv.as_bytes(), &mapping)?;
///     assert_eq!(loader.finish().0.registrations().next().unwrap().count, want);
/// }
/// # Ok::<(), refugee_data::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HxlParts {
    /// Take the column that carries no attribute beyond the pattern's own
    /// (the total): `#affected+idps` of `#affected+idps`, `+m`, `+f`.
    Total,
    /// Add the columns that carry extra attributes (the parts): `+m` and
    /// `+f`. Every part must have a value, or none. Make the pattern precise
    /// enough that the parts do not overlap (`#affected+idps-children` if
    /// age groups are tagged too).
    Sum,
}

/// How the columns of an HXL-tagged file become records ([`import_hxl`]).
///
/// Columns are found by **tag patterns**, as in libhxl: `#affected+refugees`
/// matches every column tagged `#affected` with the attribute `refugees`
/// (and any others), `-f` excludes columns with the attribute `f`, and a
/// trailing `!` allows no attribute beyond the pattern's own
/// (`#affected+idps!`). Tags and attributes compare case-insensitively.
///
/// The **built-in mapping**, used wherever the mapping gives no pattern:
///
/// | field | columns |
/// |---|---|
/// | date | the one `#date` column without `+year`, `+month` or `+start`; else the one `#date+year` column. A value is a day (`2017-03-30`, also with a time, `2017-03-30T00:00:00`), a month (`2017-03`) or a year (`2017`) |
/// | period start | a `#date+start` column, if there is one and the mapping reads deportation events (with registrations only, it is a skipped column) |
/// | origin | `#country+code+origin`, else `#country+name+origin` |
/// | host | `#country+code+asylum` or `#country+code+host`, else the same with `+name` |
/// | both | with no origin and no host column: `#country+code` (else `#country+name`) without `+origin`, `+asylum` or `+host`, read as origin **and** host, as for IDP figures |
/// | measures | `#affected+refugees-returnees-hh` -> registrations of `refugees`; `#affected+idps-returnees-hh` -> registrations of `idps`; `#affected+returnees-hh` -> deportation events of kind `returned` (`-hh`: household counts are not persons) |
///
/// Countries are read as by [`Country::parse`] (ISO codes, `UNK` as
/// unknown, English names). Other tags (`#population`, `#affected+asylum`
/// ...) need [`measure`](HxlMapping::measure). A measure cell that is empty
/// or `-` gives nothing; counts are digits only, as in the canonical files.
/// Several matching columns for one measure are an error unless
/// [`parts`](HxlMapping::parts) says whether to take the total or add the
/// parts. Rows with the same date, countries and measure are duplicates,
/// rejected as by the loader, unless [`sum_rows`](HxlMapping::sum_rows) adds them.
///
/// ```
/// use refugee_data::{import_hxl, HxlMapping, HxlTarget, Loader, PopulationType};
/// let csv = "\
/// Year,Origin,Asylum,Persons
/// #date+year,#country+code+origin,#country+code+asylum,#population
/// 2023,AFG,PAK,1987717
/// ";
/// let mapping = HxlMapping::new("UNHCR")
///     .measure("#population", HxlTarget::Registrations(PopulationType::Refugees));
/// let mut loader = Loader::new();
/// import_hxl(&mut loader, "refugees.csv", csv.as_bytes(), &mapping)?;
/// let r = loader.finish().0.registrations().next().unwrap();
/// assert_eq!(r.date.to_string(), "2023-12-31");
/// assert_eq!((r.origin.alpha3(), r.host.alpha3(), r.count), ("AFG", "PAK", 1_987_717));
/// # Ok::<(), refugee_data::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HxlMapping {
    source: String,
    date: Option<String>,
    period_start: Option<String>,
    origin: Option<String>,
    host: Option<String>,
    country: Option<String>,
    measures: Vec<(String, HxlTarget)>,
    parts: Option<HxlParts>,
    filters: Vec<(String, String)>,
    sum_rows: bool,
}

impl HxlMapping {
    /// The built-in mapping; every record gets `source` (HXL files do not
    /// name their publisher; the canonical `source` column is required).
    pub fn new(source: impl Into<String>) -> Self {
        HxlMapping {
            source: source.into(),
            date: None,
            period_start: None,
            origin: None,
            host: None,
            country: None,
            measures: vec![
                (
                    "#affected+refugees-returnees-hh".into(),
                    HxlTarget::Registrations(PopulationType::Refugees),
                ),
                (
                    "#affected+idps-returnees-hh".into(),
                    HxlTarget::Registrations(PopulationType::Idps),
                ),
                ("#affected+returnees-hh".into(), HxlTarget::Deportations(ReturnKind::Returned)),
            ],
            parts: None,
            filters: Vec::new(),
            sum_rows: false,
        }
    }

    /// The date column: the one column matching `pattern`.
    pub fn date(mut self, pattern: &str) -> Self {
        self.date = Some(pattern.to_string());
        self
    }

    /// The column of the first day a flow covers (for deportation events;
    /// a mapping that reads registrations only does not read it, and the
    /// import report names the column as skipped).
    pub fn period_start(mut self, pattern: &str) -> Self {
        self.period_start = Some(pattern.to_string());
        self
    }

    /// The country of origin column.
    pub fn origin(mut self, pattern: &str) -> Self {
        self.origin = Some(pattern.to_string());
        self
    }

    /// The host (asylum) country column.
    pub fn host(mut self, pattern: &str) -> Self {
        self.host = Some(pattern.to_string());
        self
    }

    /// One country column read as origin and host (figures of people
    /// displaced inside their own country).
    pub fn country(mut self, pattern: &str) -> Self {
        self.country = Some(pattern.to_string());
        self
    }

    /// Reads the columns matching `pattern` as `target`; replaces the
    /// mapping's measure for the same target (the built-in one included).
    pub fn measure(mut self, pattern: &str, target: HxlTarget) -> Self {
        self.measures.retain(|(_, t)| *t != target);
        self.measures.push((pattern.to_string(), target));
        self
    }

    /// For measures whose pattern matches several columns: take the total
    /// column or add the parts (see [`HxlParts`]).
    pub fn parts(mut self, parts: HxlParts) -> Self {
        self.parts = Some(parts);
        self
    }

    /// Reads only the rows whose column matching `pattern` holds `value`
    /// (trimmed, ASCII case-insensitive), e.g. `#adm+level` = `0` for
    /// national totals. Filters add up: a row must pass all. Other rows are
    /// counted as skipped.
    pub fn filter(mut self, pattern: &str, value: &str) -> Self {
        self.filters.push((pattern.to_string(), value.trim().to_string()));
        self
    }

    /// Adds up the rows that give the same record key (date, countries,
    /// measure), e.g. one row per displacement reason or per area, into one
    /// record at the line of the first; without it they are duplicates.
    pub fn sum_rows(mut self, yes: bool) -> Self {
        self.sum_rows = yes;
        self
    }
}

/// A parsed hashtag: `#tag+attribute+attribute`, lower case, attributes
/// unique, in their order of appearance.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Tag {
    name: String,
    attributes: Vec<String>,
}

impl Tag {
    fn display(&self) -> String {
        let mut s = format!("#{}", self.name);
        for a in &self.attributes {
            s.push('+');
            s.push_str(a);
        }
        s
    }
}

/// Length of the HXL token (`[A-Za-z][_0-9A-Za-z]*`) at the start of `b`.
fn token_len(b: &[u8]) -> usize {
    match b.first() {
        Some(c) if c.is_ascii_alphabetic() => {
            1 + b[1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count()
        }
        _ => 0,
    }
}

/// Whether libhxl counts `c` as whitespace: Python's `str.isspace`, which
/// its patterns' `\s` and its test for empty cells follow (Unicode
/// whitespace, and the separators U+001C to U+001F).
fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1c}'..='\u{20}'
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// Whether a cell is empty to libhxl: nothing, or whitespace only (tabs,
/// no-break spaces, any [`is_space`] character).
fn is_blank(cell: &[u8]) -> bool {
    std::str::from_utf8(cell).is_ok_and(|s| s.chars().all(is_space))
}

/// ASCII forms of the Latin letters U+00C0 to U+017F: the letter without its
/// accents (Unicode's compatibility decomposition less its combining marks),
/// or the usual spelling of a letter that does not decompose (`ß` ss, `æ`
/// ae, `ø` o, `þ` th, `ł` l). `×`, `÷` and `ŉ` have none and stay.
#[rustfmt::skip]
const LATIN: [&str; 192] = [
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
    "D", "N", "O", "O", "O", "O", "O", "×", "O", "U", "U", "U", "U", "Y", "TH", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "÷", "o", "u", "u", "u", "u", "y", "th", "y",
    "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d",
    "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g",
    "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i",
    "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L",
    "l", "L", "l", "N", "n", "N", "n", "N", "n", "ŉ", "NG", "ng", "O", "o", "O", "o",
    "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s",
    "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u",
    "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s",
];

/// A hashtag-row cell as libhxl reads it before parsing (its
/// `normalise_string` transliterates to ASCII and turns whitespace into
/// spaces; case is folded by the parser): whitespace becomes a space;
/// full-width forms (`＃ｏｒｇ＋ｃｏｄｅ`) become ASCII; Latin letters lose
/// their accents (`#país` is `#pais`); combining accents and invisible
/// format characters go. Other characters stay, so a cell in another script
/// is no hashtag here, where libhxl transliterates it (`#страна` is `#strana`).
fn normalise(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    for c in cell.chars() {
        match c {
            // Dropped by libhxl's transliteration (U+0085 is whitespace to
            // its empty-cell test, but transliterates to nothing).
            '\u{85}'
            | '\u{ad}'
            | '\u{180e}'
            | '\u{200c}'
            | '\u{200d}'
            | '\u{2060}'
            | '\u{feff}'
            | '\u{300}'..='\u{36f}' => {}
            '\u{200b}' => out.push(' '),
            _ if is_space(c) => out.push(' '),
            '\u{ff01}'..='\u{ff5e}' => out.extend(char::from_u32(c as u32 - 0xfee0)),
            '\u{c0}'..='\u{17f}' => out.push_str(LATIN[c as usize - 0xc0]),
            '\u{aa}' => out.push('a'),
            '\u{ba}' => out.push('o'),
            '\u{b9}' => out.push('1'),
            '\u{b2}' => out.push('2'),
            '\u{b3}' => out.push('3'),
            _ => out.push(c),
        }
    }
    out
}

/// Parses a hashtag cell as libhxl does: [`normalise`]d, then
/// `^\s*#token(\s*\+token)*\s*$`.
fn parse_tag(cell: &[u8]) -> Option<Tag> {
    let normalised = normalise(std::str::from_utf8(cell).ok()?);
    let s = normalised.trim_matches(' ');
    let b = s.strip_prefix('#')?.as_bytes();
    let n = token_len(b);
    if n == 0 {
        return None;
    }
    let mut tag = Tag { name: s[1..1 + n].to_ascii_lowercase(), attributes: Vec::new() };
    let mut i = n;
    while i < b.len() {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        if b.get(i) != Some(&b'+') {
            return None;
        }
        let n = token_len(&b[i + 1..]);
        if n == 0 {
            return None;
        }
        let a = s[2 + i..2 + i + n].to_ascii_lowercase();
        if !tag.attributes.contains(&a) {
            tag.attributes.push(a);
        }
        i += 1 + n;
    }
    Some(tag)
}

/// libhxl's test for the hashtag row: at least half of the non-empty cells
/// are hashtags.
pub(super) fn is_hashtag_row(rec: &ByteRecord) -> bool {
    // As in libhxl, a cell of whitespace only is empty (`#org,  ,  ` is a
    // hashtag row).
    let non_empty = rec.iter().filter(|c| !is_blank(c)).count();
    let tags = rec.iter().filter(|c| parse_tag(c).is_some()).count();
    non_empty > 0 && tags * 2 >= non_empty
}

/// A tag pattern: `#tag+include-exclude`, `#*` for any tag, a trailing `!`
/// for "no other attributes".
#[derive(Clone, Debug, PartialEq, Eq)]
struct Pattern {
    text: String,
    /// `None` for the wildcard `#*`.
    name: Option<String>,
    include: Vec<String>,
    exclude: Vec<String>,
    absolute: bool,
}

impl Pattern {
    /// Parses a pattern as libhxl does: `^\s*#?(token|\*)(\s*[+-]token)*\s*(!)?\s*$`.
    fn parse(input: &str) -> Result<Pattern, String> {
        let bad = |why: &str| {
            format!(
                "\"{}\" is not a tag pattern ({why}; expected e.g. #affected+idps, \
                 #affected+idps-f, or #affected+idps! for no other attributes)",
                crate::load::cut(input)
            )
        };
        // libhxl's `\s` is any whitespace (`#org\u{a0}+code`); patterns are
        // not transliterated (`＃org` is no pattern).
        let spaced: String = input.chars().map(|c| if is_space(c) { ' ' } else { c }).collect();
        let mut s = spaced.trim_matches(' ');
        let absolute = match s.strip_suffix('!') {
            Some(rest) => {
                s = rest.trim_end_matches(' ');
                true
            }
            None => false,
        };
        let s = s.strip_prefix('#').unwrap_or(s);
        let b = s.as_bytes();
        let (name, mut i) = if b.first() == Some(&b'*') {
            (None, 1)
        } else {
            let n = token_len(b);
            if n == 0 {
                return Err(bad("no tag name"));
            }
            (Some(s[..n].to_ascii_lowercase()), n)
        };
        let mut p = Pattern {
            text: input.trim_matches(is_space).to_string(),
            name,
            include: vec![],
            exclude: vec![],
            absolute,
        };
        while i < b.len() {
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
            let Some(&sign) = b.get(i) else { break };
            if sign != b'+' && sign != b'-' {
                return Err(bad("attributes follow + or -"));
            }
            let n = token_len(&b[i + 1..]);
            if n == 0 {
                return Err(bad("an attribute is a letter then letters, digits or _"));
            }
            let a = s[i + 1..i + 1 + n].to_ascii_lowercase();
            let list = if sign == b'+' { &mut p.include } else { &mut p.exclude };
            list.push(a);
            i += 1 + n;
        }
        if p.absolute && !p.exclude.is_empty() {
            return Err(bad("exclusions are not allowed in a pattern ending in !"));
        }
        Ok(p)
    }

    fn matches(&self, tag: &Tag) -> bool {
        self.name.as_ref().map_or(true, |n| *n == tag.name)
            && self.include.iter().all(|a| tag.attributes.contains(a))
            && !self.exclude.iter().any(|a| tag.attributes.contains(a))
            && (!self.absolute || tag.attributes.iter().all(|a| self.include.contains(a)))
    }

    /// Whether `tag` has no attribute beyond the pattern's own.
    fn is_exact(&self, tag: &Tag) -> bool {
        tag.attributes.iter().all(|a| self.include.contains(a))
    }
}

/// A column of the file.
struct Column {
    header: String,
    tag: Option<Tag>,
}

impl Column {
    fn describe(&self) -> String {
        let tag = self.tag.as_ref().map_or_else(String::new, Tag::display);
        if self.header.is_empty() {
            tag
        } else {
            format!("{} ({tag})", self.header)
        }
    }

    /// The name used in rejections: the header, else the hashtag.
    fn name(&self) -> String {
        if self.header.is_empty() {
            self.tag.as_ref().map_or_else(String::new, Tag::display)
        } else {
            self.header.clone()
        }
    }
}

/// The columns each field is read from.
struct Plan {
    date: usize,
    period_start: Option<usize>,
    origin: usize,
    host: usize,
    measures: Vec<(HxlTarget, Vec<usize>)>,
    filters: Vec<(usize, String)>,
}

impl Plan {
    /// The table a rejected row counts in: registrations if the plan reads
    /// any, else deportations.
    fn main_table(&self) -> Table {
        if self.measures.iter().any(|(t, _)| t.table() == Table::Registrations) {
            Table::Registrations
        } else {
            Table::Deportations
        }
    }
}

struct Resolver<'a> {
    columns: &'a [Column],
}

impl Resolver<'_> {
    fn matching(&self, p: &Pattern) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&i| self.columns[i].tag.as_ref().is_some_and(|t| p.matches(t)))
            .collect()
    }

    fn list(&self, cols: &[usize]) -> String {
        cols.iter().map(|&i| self.columns[i].describe()).collect::<Vec<_>>().join(", ")
    }

    /// The one column matching `pattern`, or `None` if none does.
    fn one(&self, what: &str, pattern: &str) -> Result<Option<usize>, String> {
        let p = Pattern::parse(pattern)?;
        match self.matching(&p).as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            many => Err(format!(
                "{what}: {} matches {} columns: {}; give a pattern that matches one",
                p.text,
                many.len(),
                self.list(many)
            )),
        }
    }

    /// The one column matching a pattern the caller gave.
    fn given(&self, what: &str, pattern: &str) -> Result<usize, String> {
        self.one(what, pattern)?
            .ok_or_else(|| format!("{what}: {} matches no column", pattern.trim_matches(is_space)))
    }

    /// The first of `patterns` that matches a column.
    fn first_of(&self, what: &str, patterns: &[&str]) -> Result<Option<usize>, String> {
        for p in patterns {
            if let Some(c) = self.one(what, p)? {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }

    fn plan(&self, m: &HxlMapping) -> Result<Plan, String> {
        let date = self.date(m)?;
        let (origin, host) = self.countries(m)?;
        let measures = self.measures(m)?;
        let mut filters = Vec::new();
        for (pattern, value) in &m.filters {
            filters.push((self.given("filter", pattern)?, value.clone()));
        }
        let period_start = self.period_start(m, date, &measures)?;
        Ok(Plan { date, period_start, origin, host, measures, filters })
    }

    /// The date column: the mapping's, else the one `#date` that is no year,
    /// month or start, else the one `#date+year`.
    fn date(&self, m: &HxlMapping) -> Result<usize, String> {
        if let Some(p) = &m.date {
            return self.given("date", p);
        }
        match self.one("date", "#date-year-month-start")? {
            Some(c) => Ok(c),
            None => self.one("date", "#date+year")?.ok_or_else(|| {
                "no date column (expected a column tagged #date, or #date+year; or give one \
                 with HxlMapping::date)"
                    .into()
            }),
        }
    }

    /// The origin and host columns (the same column for figures of people
    /// displaced in their own country).
    fn countries(&self, m: &HxlMapping) -> Result<(usize, usize), String> {
        if let Some(p) = &m.country {
            let c = self.given("country", p)?;
            return Ok((c, c));
        }
        let origin = match &m.origin {
            Some(p) => Some(self.given("origin", p)?),
            None => self.first_of("origin", &["#country+code+origin", "#country+name+origin"])?,
        };
        let host = match &m.host {
            Some(p) => Some(self.given("host", p)?),
            None => self.first_of(
                "host",
                &[
                    "#country+code+asylum",
                    "#country+code+host",
                    "#country+name+asylum",
                    "#country+name+host",
                ],
            )?,
        };
        match (origin, host) {
            (Some(o), Some(h)) => Ok((o, h)),
            (None, None) => {
                let both = self.first_of(
                    "country",
                    &["#country+code-origin-asylum-host", "#country+name-origin-asylum-host"],
                )?;
                let c = both.ok_or(
                    "no country column (expected #country+code+origin and \
                     #country+code+asylum, or one #country+code for figures of people \
                     displaced in their own country)",
                )?;
                Ok((c, c))
            }
            (Some(_), None) => Err("a country of origin column but no host column (expected \
                                    #country+code+asylum; or give one with HxlMapping::host)"
                .into()),
            (None, Some(_)) => Err("a host country column but no origin column (expected \
                                    #country+code+origin; or give one with HxlMapping::origin)"
                .into()),
        }
    }

    /// The columns of each measure the file has; a column may serve one
    /// measure only.
    fn measures(&self, m: &HxlMapping) -> Result<Vec<(HxlTarget, Vec<usize>)>, String> {
        let mut measures = Vec::new();
        let mut claimed: Vec<(usize, HxlTarget)> = Vec::new();
        for (pattern, target) in &m.measures {
            let cols = self.measure_columns(&Pattern::parse(pattern)?, *target, m.parts)?;
            if cols.is_empty() {
                continue;
            }
            for &c in &cols {
                if let Some(&(_, other)) = claimed.iter().find(|&&(d, _)| d == c) {
                    return Err(format!(
                        "column {} matches the measures {} and {}; make the patterns exclude \
                         each other",
                        self.columns[c].describe(),
                        other.label(),
                        target.label()
                    ));
                }
                claimed.push((c, *target));
            }
            measures.push((*target, cols));
        }
        if measures.is_empty() {
            return Err("no measure column (the built-in mapping reads #affected+refugees, \
                        #affected+idps and #affected+returnees; give others with \
                        HxlMapping::measure)"
                .into());
        }
        Ok(measures)
    }

    /// The columns one measure reads (none if the pattern matches none): the
    /// one matching column, or of several the total or the parts, as
    /// `parts` says.
    fn measure_columns(
        &self,
        p: &Pattern,
        target: HxlTarget,
        parts: Option<HxlParts>,
    ) -> Result<Vec<usize>, String> {
        let cols = self.matching(p);
        let n = cols.len();
        if n <= 1 {
            return Ok(cols);
        }
        let Some(parts) = parts else {
            return Err(format!(
                "measure {}: {} matches {n} columns: {}; say whether to take the total column \
                 (HxlParts::Total, --parts total: the column without extra attributes) or to \
                 add the parts (HxlParts::Sum, --parts sum: the columns with extra attributes)",
                target.label(),
                p.text,
                self.list(&cols)
            ));
        };
        let exact = |&&c: &&usize| self.columns[c].tag.as_ref().is_some_and(|t| p.is_exact(t));
        let chosen: Vec<usize> = match parts {
            HxlParts::Total => cols.iter().filter(exact).copied().collect(),
            HxlParts::Sum => cols.iter().filter(|c| !exact(c)).copied().collect(),
        };
        match (parts, chosen.len()) {
            (HxlParts::Total, 1) | (HxlParts::Sum, 1..) => Ok(chosen),
            (HxlParts::Total, _) => Err(format!(
                "measure {}: {} matches {n} columns ({}), of which {} carry no extra \
                 attribute; HxlParts::Total needs exactly one",
                target.label(),
                p.text,
                self.list(&cols),
                chosen.len()
            )),
            (HxlParts::Sum, _) => Err(format!(
                "measure {}: {} matches {n} columns ({}), none with extra attributes to add",
                target.label(),
                p.text,
                self.list(&cols)
            )),
        }
    }

    /// The period start column, for deportation events only: with
    /// registrations only, a `#date+start` column (or the mapping's) is not
    /// read, and the import report names it as skipped.
    fn period_start(
        &self,
        m: &HxlMapping,
        date: usize,
        measures: &[(HxlTarget, Vec<usize>)],
    ) -> Result<Option<usize>, String> {
        if !measures.iter().any(|(t, _)| t.table() == Table::Deportations) {
            return Ok(None);
        }
        Ok(match &m.period_start {
            Some(p) => Some(self.given("period start", p)?),
            None => self.one("period start", "#date+start")?.filter(|&c| c != date),
        })
    }
}

/// Reads an HXL-tagged CSV file into `loader` through `mapping`.
///
/// The hashtag row is found as libhxl finds it: the first of the first 25
/// rows in which at least half of the non-empty cells are hashtags
/// (`#tag+attribute...`); the row above it, if any, is the text header,
/// whose names are used in messages. Data rows follow the hashtag row; a
/// row with another number of fields than the hashtag row is rejected.
/// `file` names the file in messages.
///
/// # Errors
///
/// [`Error::Format`] for a file without a hashtag row, an empty source, a
/// pattern that is not valid, a mapping that finds no date, country or
/// measure column, or a measure whose pattern matches several columns
/// without [`HxlMapping::parts`]; I/O errors; in a strict loader, the first
/// rejected row or duplicate record.
///
/// ```
/// use refugee_data::{import_hxl, HxlMapping, HxlParts, Loader};
/// // IOM DTM's IDP figures: one row per admin area and displacement reason.
/// let csv = "\
/// admin0Pcode,adminLevel,numPresentIdpInd,reportingDate,displacementReason,numberMales,numberFemales
/// #country+code,#adm+level,#affected+idps,#date+reported,#cause+type,#affected+idps+m,#affected+idps+f
/// AFG,0,179956,2017-03-30T00:00:00,Conflict,,
/// AFG,0,98,2017-03-30T00:00:00,Natural disaster,,
/// AFG,1,2200,2017-03-30T00:00:00,Conflict,,
/// ";
/// let mapping = HxlMapping::new("IOM DTM")
///     .filter("#adm+level", "0")
///     .parts(HxlParts::Total)
///     .sum_rows(true);
/// let mut loader = Loader::new();
/// let report = import_hxl(&mut loader, "dtm.csv", csv.as_bytes(), &mapping)?;
/// assert_eq!((report.rows_read(), report.rows_skipped(), report.rows_merged()), (3, 1, 1));
/// let r = loader.finish().0.registrations().next().unwrap();
/// assert_eq!(r.date.to_string(), "2017-03-30");
/// assert_eq!((r.origin.alpha3(), r.host.alpha3(), r.count), ("AFG", "AFG", 180_054));
/// # Ok::<(), refugee_data::Error>(())
/// ```
pub fn import_hxl<R: io::Read>(
    loader: &mut Loader,
    file: &str,
    reader: R,
    mapping: &HxlMapping,
) -> Result<ImportReport, Error> {
    let mut rows = CsvRows::new(loader, file, reader);
    let mut report = ImportReport::new(file);
    report.layout = "HXL".to_string();
    let (tag_line, columns) = find_columns(&mut rows, file)?;
    let source_text = mapping.source.trim();
    if source_text.is_empty() {
        return Err(format_error(
            file,
            tag_line,
            "an HXL import needs a source, the publisher of the figures (HxlMapping::new, \
             --source)"
                .into(),
        ));
    }
    let plan = Resolver { columns: &columns }
        .plan(mapping)
        .map_err(|m| format_error(file, tag_line, m))?;
    report.skipped_columns = skipped_columns(&columns, &plan);

    let source = loader.intern(source_text, file)?;
    let mut reader = RowReader {
        file,
        columns: &columns,
        plan: &plan,
        source,
        names: CountryCache::default(),
        width: columns.len(),
        field_limit: rows.field_limit(),
    };
    let mut pending = PendingRecords::new(mapping.sum_rows);
    while let Some(line) = rows.next()? {
        report.rows_read += 1;
        if rows.ended_in_quotes() {
            report.rows_rejected += 1;
            let rejection = Rejection::new(file, line, Problem::UnclosedQuote);
            pending.list.push(Pending::Rejected(Box::new(rejection)));
            continue;
        }
        match reader.row(rows.record(), line) {
            Ok(Some(records)) => pending.add_row(records, line, &reader, &mut report),
            Ok(None) => report.rows_skipped += 1,
            Err(r) => {
                report.rows_rejected += 1;
                pending.list.push(Pending::Rejected(r));
            }
        }
    }
    pending.push_into(loader, file, plan.main_table(), &mut report)?;
    Ok(report)
}

fn format_error(file: &str, line: u64, message: String) -> Error {
    Error::Format { file: file.to_string(), line, message }
}

/// Finds the hashtag row in the first 25 rows; returns its line and the
/// columns it tags, with the names of the text header above it, if any.
fn find_columns<R: io::Read>(
    rows: &mut CsvRows<R>,
    file: &str,
) -> Result<(u64, Vec<Column>), Error> {
    let mut previous: Option<ByteRecord> = None;
    for _ in 0..25 {
        let Some(line) = rows.next()? else { break };
        if is_hashtag_row(rows.record()) {
            let columns = rows
                .record()
                .iter()
                .enumerate()
                .map(|(i, t)| Column {
                    header: previous
                        .as_ref()
                        .and_then(|h| h.get(i))
                        .map(header_text)
                        .unwrap_or_default(),
                    tag: parse_tag(t),
                })
                .collect();
            return Ok((line, columns));
        }
        previous = Some(rows.record().clone());
    }
    Err(format_error(
        file,
        1,
        "no HXL hashtag row in the first 25 rows (a row where at least half of the non-empty \
         cells are hashtags such as #country+code or #affected+idps)"
            .into(),
    ))
}

/// The columns the plan does not read (those with a hashtag or a header),
/// by hashtag, else by header.
fn skipped_columns(columns: &[Column], plan: &Plan) -> Vec<String> {
    let mut used = vec![false; columns.len()];
    for c in [plan.date, plan.origin, plan.host].into_iter().chain(plan.period_start) {
        used[c] = true;
    }
    for &c in
        plan.measures.iter().flat_map(|(_, cols)| cols).chain(plan.filters.iter().map(|(c, _)| c))
    {
        used[c] = true;
    }
    columns
        .iter()
        .zip(&used)
        .filter(|(c, used)| !**used && (c.tag.is_some() || !c.header.is_empty()))
        .map(|(c, _)| c.tag.as_ref().map_or_else(|| format!("\"{}\"", c.header), Tag::display))
        .collect()
}

/// The key of a record: rows with the same key are duplicates, or added
/// into one record with [`HxlMapping::sum_rows`].
type RecordKey = (u8, Day, Day, u16, u16, u8);

/// The records and rejected rows read so far, in file order, waiting to be
/// pushed into the loader.
struct PendingRecords {
    sum_rows: bool,
    list: Vec<Pending>,
    /// With `sum_rows`: where in `list` the record of each key is.
    merged: HashMap<RecordKey, usize, FxBuildHasher>,
}

impl PendingRecords {
    fn new(sum_rows: bool) -> Self {
        PendingRecords { sum_rows, list: Vec::new(), merged: HashMap::default() }
    }

    /// Adds the records of one row; with `sum_rows`, a record whose key an
    /// earlier one has is added into it.
    fn add_row(
        &mut self,
        records: Records,
        line: u64,
        reader: &RowReader<'_>,
        report: &mut ImportReport,
    ) {
        if !self.sum_rows {
            self.list.extend(records.into_iter().map(|(rec, _)| rec));
            return;
        }
        // A row whose count would overflow a sum is rejected whole, before
        // any of its counts is added.
        let overflow = records.iter().find(|(rec, _)| {
            self.merged
                .get(&rec.key())
                .is_some_and(|&i| self.list[i].count().checked_add(rec.count()).is_none())
        });
        if let Some((rec, col)) = overflow {
            report.rows_rejected += 1;
            let what = format!(
                "makes the sum of the rows for {} overflow (more than {})",
                rec.describe(),
                u64::MAX
            );
            let value = rec.count().to_string();
            let r = reader.reject(line, *col, value.as_bytes(), Problem::Invalid(what));
            self.list.push(Pending::Rejected(r));
            return;
        }
        let mut merged_any = false;
        for (rec, _) in records {
            let key = rec.key();
            match self.merged.get(&key) {
                Some(&i) => {
                    merged_any = true;
                    let total = self.list[i].count_mut().expect("the map holds records only");
                    *total += rec.count(); // checked above
                }
                None => {
                    self.merged.insert(key, self.list.len());
                    self.list.push(rec);
                }
            }
        }
        report.merged += u64::from(merged_any);
    }

    /// Pushes the records into `loader`, and the rejected rows as rejections
    /// of `main_table`.
    fn push_into(
        self,
        loader: &mut Loader,
        file: &str,
        main_table: Table,
        report: &mut ImportReport,
    ) -> Result<(), Error> {
        for p in self.list {
            match p {
                Pending::Rejected(r) => loader.reject_row(main_table, *r)?,
                Pending::Registration(r, line) => {
                    let loaded = loader.push_registration(&r, At { file, line })?;
                    report.count_pushed(Table::Registrations, loaded);
                }
                Pending::Deportation(d, line) => {
                    let loaded = loader.push_deportation(&d, At { file, line })?;
                    report.count_pushed(Table::Deportations, loaded);
                }
            }
        }
        Ok(())
    }
}

/// A record waiting to be pushed, with its line, or a rejected row.
enum Pending {
    Registration(NewRegistration, u64),
    Deportation(NewDeportation, u64),
    Rejected(Box<Rejection>),
}

impl Pending {
    fn key(&self) -> RecordKey {
        match self {
            Pending::Registration(r, _) => {
                (0, r.date, NO_DAY, r.origin.id(), r.host.id(), r.population as u8)
            }
            Pending::Deportation(d, _) => {
                (1, d.date, d.period_start, d.origin.id(), d.host.id(), d.kind as u8)
            }
            Pending::Rejected(_) => (2, 0, 0, 0, 0, 0),
        }
    }

    fn count(&self) -> u64 {
        match self {
            Pending::Registration(r, _) => r.count,
            Pending::Deportation(d, _) => d.count,
            Pending::Rejected(_) => 0,
        }
    }

    fn count_mut(&mut self) -> Option<&mut u64> {
        match self {
            Pending::Registration(r, _) => Some(&mut r.count),
            Pending::Deportation(d, _) => Some(&mut d.count),
            Pending::Rejected(_) => None,
        }
    }

    fn describe(&self) -> String {
        let day = |d: Day| crate::record::date_of_day(d).to_string();
        match self {
            Pending::Registration(r, _) => format!(
                "{} {} {} {}",
                day(r.date),
                r.origin.alpha3(),
                r.host.alpha3(),
                r.population.as_str()
            ),
            Pending::Deportation(d, _) => {
                format!(
                    "{} {} {} {}",
                    day(d.date),
                    d.origin.alpha3(),
                    d.host.alpha3(),
                    d.kind.as_str()
                )
            }
            Pending::Rejected(_) => String::new(),
        }
    }
}

/// Turns data rows into records.
struct RowReader<'a> {
    file: &'a str,
    columns: &'a [Column],
    plan: &'a Plan,
    source: u32,
    names: CountryCache,
    width: usize,
    field_limit: usize,
}

/// A row's records, each with the (first) column its count came from.
type Records = Vec<(Pending, usize)>;

impl RowReader<'_> {
    fn reject(&self, line: u64, col: usize, value: &[u8], problem: Problem) -> Box<Rejection> {
        Box::new(Rejection::new(self.file, line, problem).at(&self.columns[col].name(), value))
    }

    /// The row's records; `Ok(None)` for a row a filter leaves out.
    fn row(&mut self, rec: &ByteRecord, line: u64) -> Result<Option<Records>, Box<Rejection>> {
        if rec.len() != self.width {
            let problem = Problem::Ragged { found: rec.len(), expected: self.width };
            return Err(Box::new(Rejection::new(self.file, line, problem)));
        }
        for (c, value) in &self.plan.filters {
            if !rec[*c].trim_ascii().eq_ignore_ascii_case(value.as_bytes()) {
                return Ok(None);
            }
        }
        if rec.as_slice().len() > self.field_limit {
            if let Some((i, f)) = rec.iter().enumerate().find(|(_, f)| f.len() > self.field_limit) {
                let problem = Problem::FieldTooLong { bytes: f.len(), limit: self.field_limit };
                return Err(self.reject(line, i, f, problem));
            }
        }
        let p = self.plan;
        let (start, end) = self.date(rec, line, p.date)?;
        let period_start = match p.period_start {
            Some(c) if !rec[c].trim_ascii().is_empty() => {
                let (s, _) = self.date(rec, line, c)?;
                if s > end {
                    let date = String::from_utf8_lossy(rec[p.date].trim_ascii()).into_owned();
                    return Err(self.reject(line, c, &rec[c], Problem::PeriodAfterDate { date }));
                }
                s
            }
            _ if start != end => start,
            _ => NO_DAY,
        };
        let origin = self.country(rec, line, p.origin)?;
        let host = if p.host == p.origin { origin } else { self.country(rec, line, p.host)? };
        let mut records = Vec::new();
        for (target, cols) in &p.measures {
            let Some(count) = self.count(rec, line, cols)? else { continue };
            let pending = match *target {
                HxlTarget::Registrations(population) => Pending::Registration(
                    NewRegistration {
                        date: end,
                        origin,
                        host,
                        population,
                        count,
                        source: self.source,
                    },
                    line,
                ),
                HxlTarget::Deportations(kind) => Pending::Deportation(
                    NewDeportation {
                        date: end,
                        period_start,
                        origin,
                        host,
                        kind,
                        count,
                        crossing: 0,
                        source: self.source,
                    },
                    line,
                ),
            };
            records.push((pending, cols[0]));
        }
        Ok(Some(records))
    }

    /// The first and last day of a date cell: a day, a month or a year.
    fn date(&self, rec: &ByteRecord, line: u64, col: usize) -> Result<(Day, Day), Box<Rejection>> {
        let raw = &rec[col];
        parse_period(raw.trim_ascii()).map_err(|problem| self.reject(line, col, raw, problem))
    }

    fn country(
        &mut self,
        rec: &ByteRecord,
        line: u64,
        col: usize,
    ) -> Result<Country, Box<Rejection>> {
        let raw = &rec[col];
        if let Some(c) = self.names.get(raw.trim_ascii()) {
            return Ok(c);
        }
        let problem = if raw.trim_ascii().is_empty() {
            Problem::Empty
        } else {
            match std::str::from_utf8(raw) {
                Err(e) => Problem::InvalidUtf8 { byte: e.valid_up_to() },
                Ok(text) => match Country::parse(text) {
                    Err(e) => Problem::UnknownCountry(e),
                    Ok(_) => Problem::Invalid("is not a country".into()),
                },
            }
        };
        Err(self.reject(line, col, raw, problem))
    }

    /// The measure's count: one column, or the sum of its parts.
    fn count(
        &self,
        rec: &ByteRecord,
        line: u64,
        cols: &[usize],
    ) -> Result<Option<u64>, Box<Rejection>> {
        let mut total: Option<u64> = None;
        let mut empty = None;
        for &c in cols {
            let raw = &rec[c];
            match parse_count(raw) {
                Err(problem) => return Err(self.reject(line, c, raw, problem)),
                Ok(None) => {
                    empty.get_or_insert(c);
                }
                Ok(Some(v)) => {
                    let sum = total.unwrap_or(0).checked_add(v).ok_or_else(|| {
                        let what =
                            format!("makes the sum of the parts overflow (more than {})", u64::MAX);
                        self.reject(line, c, raw, Problem::Invalid(what))
                    })?;
                    total = Some(sum);
                }
            }
        }
        if let (Some(_), Some(c)) = (total, empty) {
            let with = cols.iter().find(|&&d| parse_count(&rec[d]).ok().flatten().is_some());
            let what = format!(
                "is empty while {} has a value: the parts of a sum must all have values, or none",
                with.map_or_else(String::new, |&d| format!("\"{}\"", self.columns[d].name()))
            );
            return Err(Box::new(
                Rejection::new(self.file, line, Problem::Invalid(what))
                    .at(&self.columns[c].name(), b""),
            ));
        }
        Ok(total)
    }
}

/// A day (`YYYY-MM-DD`, optionally followed by a time), a month (`YYYY-MM`)
/// or a year (`YYYY`), as its first and last day.
fn parse_period(b: &[u8]) -> Result<(Day, Day), Problem> {
    let malformed = || {
        Problem::Invalid(
            "is not a date (expected YYYY-MM-DD, optionally with a time, YYYY-MM or YYYY)".into(),
        )
    };
    if b.is_empty() {
        return Err(Problem::Empty);
    }
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let number = |s: &[u8]| s.iter().fold(0i32, |n, &c| n * 10 + (c - b'0') as i32);
    let check_year = |y: i32| {
        if (MIN_YEAR..=MAX_YEAR).contains(&y) {
            Ok(())
        } else {
            Err(Problem::DateOutOfRange)
        }
    };
    match b.len() {
        4 if digits(b) => {
            let y = number(b);
            check_year(y)?;
            Ok((days_from_civil(y, 1, 1), days_from_civil(y, 12, 31)))
        }
        7 if digits(&b[..4]) && b[4] == b'-' && digits(&b[5..]) => {
            let (y, m) = (number(&b[..4]), number(&b[5..]) as u32);
            if !(1..=12).contains(&m) {
                return Err(Problem::NotCalendarDate);
            }
            check_year(y)?;
            let last = days_from_civil(if m == 12 { y + 1 } else { y }, m % 12 + 1, 1) - 1;
            Ok((days_from_civil(y, m, 1), last))
        }
        n if n >= 10 => {
            let time = &b[10..];
            let time_ok = time.is_empty()
                || (matches!(time[0], b'T' | b' ')
                    && time.len() > 1
                    && time[1..].iter().all(|c| c.is_ascii_digit() || b":.+-Z".contains(c)));
            if !time_ok {
                return Err(malformed());
            }
            match parse_date(&b[..10]) {
                Ok(d) => Ok((d, d)),
                Err(DateError::Malformed) => Err(malformed()),
                Err(DateError::NotCalendar) => Err(Problem::NotCalendarDate),
                Err(DateError::OutOfRange) => Err(Problem::DateOutOfRange),
            }
        }
        _ => Err(malformed()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> Tag {
        parse_tag(s.as_bytes()).unwrap_or_else(|| panic!("{s} is a tag"))
    }

    #[test]
    fn tags_parse_as_in_libhxl() {
        assert_eq!(
            tag(" #Affected +IDPs+m "),
            Tag { name: "affected".into(), attributes: vec!["idps".into(), "m".into()] }
        );
        assert_eq!(tag("#adm1+code+origin").display(), "#adm1+code+origin");
        assert_eq!(tag("#affected+f+f").attributes, ["f"]);
        assert_eq!(tag("＃Ａffected\u{a0}+ＩＤＰｓ").display(), "#affected+idps");
        assert_eq!(tag("\u{2003}#País+Ŀa\u{301}+ß\u{feff}").display(), "#pais+la+ss");
        for bad in
            ["affected", "#", "#1x", "#a+", "#a+ b", "#a-b", "#a b", "Year", "", "#a+\u{a0}b"]
        {
            assert_eq!(parse_tag(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn patterns_match_as_in_libhxl() {
        let p = Pattern::parse("#affected+idps-f").unwrap();
        assert!(p.matches(&tag("#affected+idps")));
        assert!(p.matches(&tag("#affected+idps+m")));
        assert!(!p.matches(&tag("#affected+idps+f")));
        assert!(!p.matches(&tag("#affected+refugees")));
        let exact = Pattern::parse(" affected +IDPs ! ").unwrap();
        assert!(Pattern::parse("#affected+ idps").is_err());
        let spaced = Pattern::parse("\u{3000}#Affected\u{a0}+idps\u{1c}!").unwrap();
        assert_eq!(spaced.text, "#Affected\u{a0}+idps\u{1c}!");
        assert_eq!(
            (&spaced.name, &spaced.include, spaced.absolute),
            (&exact.name, &exact.include, true)
        );
        assert!(Pattern::parse("＃affected").is_err());
        assert!(exact.matches(&tag("#affected+idps")));
        assert!(!exact.matches(&tag("#affected+idps+m")));
        let any = Pattern::parse("#*+origin").unwrap();
        assert!(any.matches(&tag("#country+code+origin")));
        assert!(any.matches(&tag("#adm1+name+origin")));
        assert!(Pattern::parse("#affected+idps-f!").is_err());
        assert!(Pattern::parse("#affected+").is_err());
        assert!(Pattern::parse("").is_err());
        assert_eq!(
            Pattern::parse("#a*b").unwrap_err(),
            "\"#a*b\" is not a tag pattern (attributes follow + or -; expected e.g. \
             #affected+idps, #affected+idps-f, or #affected+idps! for no other attributes)"
        );
    }

    #[test]
    fn the_hashtag_row_needs_half_of_the_non_empty_cells() {
        let rec = |cells: &[&str]| ByteRecord::from(cells.to_vec());
        assert!(is_hashtag_row(&rec(&["#country+code", "#affected+idps", "", "notes"])));
        assert!(!is_hashtag_row(&rec(&["#country+code", "Year", "notes"])));
        assert!(!is_hashtag_row(&rec(&["", "", ""])));
        assert!(!is_hashtag_row(&rec(&["Country", "IDPs"])));
        // Whitespace only is empty; a zero-width space is not whitespace.
        assert!(is_hashtag_row(&rec(&["#org", "  ", "\t", "\u{a0}"])));
        assert!(!is_hashtag_row(&rec(&["#org", "\u{200b}", "\u{200b}"])));
        assert!(!is_hashtag_row(&rec(&[" ", "\t\u{3000}"])));
    }

    #[test]
    fn periods() {
        let d = |y, m, d| days_from_civil(y, m, d);
        assert_eq!(parse_period(b"2017"), Ok((d(2017, 1, 1), d(2017, 12, 31))));
        assert_eq!(parse_period(b"2024-02"), Ok((d(2024, 2, 1), d(2024, 2, 29))));
        assert_eq!(parse_period(b"2023-12"), Ok((d(2023, 12, 1), d(2023, 12, 31))));
        assert_eq!(parse_period(b"2017-03-30"), Ok((d(2017, 3, 30), d(2017, 3, 30))));
        assert_eq!(parse_period(b"2017-03-30T00:00:00"), Ok((d(2017, 3, 30), d(2017, 3, 30))));
        assert_eq!(parse_period(b"2017-02-30"), Err(Problem::NotCalendarDate));
        assert_eq!(parse_period(b"1899"), Err(Problem::DateOutOfRange));
        assert!(matches!(parse_period(b"30/03/2017"), Err(Problem::Invalid(_))));
        assert!(matches!(parse_period(b"2017-03-30 junk"), Err(Problem::Invalid(_))));
    }
}
