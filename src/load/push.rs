//! Records made by source adapters (`crate::sources`), pushed into a
//! [`Loader`] with the canonical loader's rules: the same duplicate detection
//! (across everything the loader holds), the same strict/lenient accounting
//! (`loaded + rejected = read`, per table) and the same rejections.
//!
//! An adapter reads its own file format, builds typed values, and for each
//! record calls [`Loader::push_registration`] or
//! [`Loader::push_deportation`] with the file name and the physical line the
//! record comes from; a row it cannot read becomes [`Loader::reject_row`].

use super::batch::{too_many_rows, truncate};
use super::keys::{key_names, key_of};
use super::overlap::check_row as check_overlap;
use super::Limits;
use super::{Loader, Rejection};
use crate::dataset::NO_DAY;
use crate::dataset::{DeportationRow, RegistrationRow};
use crate::record::Day;
use crate::{Country, Error, PopulationType, ReturnKind, Table};

/// A registration built by an adapter; `source` is an interned text id
/// ([`Loader::intern`]). `date` must be a day of the years 1900..=2100.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NewRegistration {
    pub(crate) date: Day,
    pub(crate) origin: Country,
    pub(crate) host: Country,
    pub(crate) population: PopulationType,
    pub(crate) count: u64,
    pub(crate) source: u32,
}

/// A deportation event built by an adapter. `period_start` is `NO_DAY` for
/// "the same day as `date`", else a day `<= date`; `crossing` is an interned
/// text id, 0 for none.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NewDeportation {
    pub(crate) date: Day,
    pub(crate) period_start: Day,
    pub(crate) origin: Country,
    pub(crate) host: Country,
    pub(crate) kind: ReturnKind,
    pub(crate) count: u64,
    pub(crate) crossing: u32,
    pub(crate) source: u32,
}

/// Where a pushed record comes from: the file as named in messages and the
/// 1-based physical line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct At<'a> {
    pub(crate) file: &'a str,
    pub(crate) line: u64,
}

impl Loader {
    /// The size limits the canonical loader applies, for adapters to apply too.
    pub(crate) fn limits(&self) -> Limits {
        self.limits
    }

    /// The interned id of a text (trimmed by the caller; never empty for a
    /// required column) that `file` needs.
    ///
    /// # Errors
    ///
    /// A [`Problem::TooManyTexts`](crate::Problem::TooManyTexts) rejection
    /// when the dataset cannot number another text.
    pub(crate) fn intern(&mut self, text: &str, file: &str) -> Result<u32, Error> {
        self.dataset.texts.intern(text).map_err(|_| {
            let mut rejection = Rejection::new(file, 1, crate::Problem::TooManyTexts);
            rejection.value = Some(super::cut(text).into_owned());
            Error::Rejected(Box::new(rejection))
        })
    }

    /// Makes room for `additional` more records of `table` (columns and
    /// duplicate index), so that they are allocated once.
    pub(crate) fn reserve(&mut self, table: Table, additional: usize) {
        self.dataset.reserve(table, additional);
        if table != Table::Deportations {
            self.state.dedup[table as usize].reserve(additional);
        }
    }

    /// Adds a warning (no rejection) to the report.
    pub(crate) fn warn(&mut self, warning: String) {
        self.report.warnings.push(warning);
    }

    /// Adds one registration. `Ok(true)` if it was loaded, `Ok(false)` if it
    /// was a duplicate and the loader is lenient (the rejection is in the
    /// report); in strict mode a duplicate is the error.
    pub(crate) fn push_registration(
        &mut self,
        r: &NewRegistration,
        at: At<'_>,
    ) -> Result<bool, Error> {
        debug_assert!(in_range(r.date), "adapter dates are checked to be in 1900..=2100");
        self.report.read[Table::Registrations as usize] += 1;
        if self.dataset.len(Table::Registrations) >= self.state.max_rows {
            return Err(too_many_rows(self, Table::Registrations, at.file, at.line));
        }
        // Columns an adapter does not fill (`reference`) stay empty.
        self.dataset.registrations.push(RegistrationRow {
            date: r.date,
            origin: r.origin.id(),
            host: r.host.id(),
            population: r.population as u8,
            count: r.count,
            source: r.source,
            ..RegistrationRow::default()
        });
        self.check_duplicate(Table::Registrations, at)
    }

    /// Adds one deportation event; as [`push_registration`](Self::push_registration).
    pub(crate) fn push_deportation(
        &mut self,
        d: &NewDeportation,
        at: At<'_>,
    ) -> Result<bool, Error> {
        debug_assert!(in_range(d.date), "adapter dates are checked to be in 1900..=2100");
        debug_assert!(
            d.period_start == NO_DAY || (in_range(d.period_start) && d.period_start <= d.date)
        );
        self.report.read[Table::Deportations as usize] += 1;
        if self.dataset.len(Table::Deportations) >= self.state.max_rows {
            return Err(too_many_rows(self, Table::Deportations, at.file, at.line));
        }
        self.dataset.deportations.push(DeportationRow {
            date: d.date,
            period_start: d.period_start,
            origin: d.origin.id(),
            host: d.host.id(),
            kind: d.kind as u8,
            count: d.count,
            crossing: d.crossing,
            source: d.source,
            ..DeportationRow::default()
        });
        self.check_duplicate(Table::Deportations, at)
    }

    /// Counts one row of a source file that gave no record as read and
    /// rejected in `table` (the table the file mainly feeds); in strict mode
    /// the rejection is the error.
    pub(crate) fn reject_row(&mut self, table: Table, rejection: Rejection) -> Result<(), Error> {
        self.report.read[table as usize] += 1;
        self.rejected(table, rejection)
    }

    fn rejected(&mut self, table: Table, rejection: Rejection) -> Result<(), Error> {
        self.report.rejected[table as usize] += 1;
        if !self.lenient {
            return Err(Error::Rejected(Box::new(rejection)));
        }
        self.report.rejections.push(rejection);
        Ok(())
    }

    /// Checks the row just pushed against every earlier row of the table;
    /// drops it if it is a duplicate.
    fn check_duplicate(&mut self, table: Table, at: At<'_>) -> Result<bool, Error> {
        let t = table as usize;
        let ds = &mut self.dataset;
        let n = ds.len(table) as u32 - 1;
        let key_of = key_of(table);
        let state = &mut self.state;
        let problem = if table == Table::Deportations {
            // Duplicates and overlapping periods, in one lookup.
            let (index, lines) = (&mut state.overlap, &state.lines[t]);
            check_overlap(ds, index, lines, n as usize, at.file, self.lenient).err()
        } else if table == Table::Registrations {
            // Files are checked once read: the index catches up first.
            state.dedup[t]
                .check_next(n, |r| key_of(ds, r))
                .map(|first| state.lines[t].duplicate(first, at.file, key_names(table)))
        } else {
            state.dedup[t]
                .check_insert(key_of(ds, n), n, |r| key_of(ds, r))
                .map(|first| state.lines[t].duplicate(first, at.file, key_names(table)))
        };
        match problem {
            None => {
                state.lines[t].push(n, at.line, at.file);
                Ok(true)
            }
            Some(problem) => {
                truncate(ds, table, n as usize);
                self.rejected(table, Rejection::new(at.file, at.line, problem))?;
                Ok(false)
            }
        }
    }
}

fn in_range(day: Day) -> bool {
    use crate::record::days_from_civil;
    (days_from_civil(1900, 1, 1)..=days_from_civil(2100, 12, 31)).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(loader: &mut Loader, count: u64) -> NewRegistration {
        NewRegistration {
            date: crate::record::days_from_civil(2023, 12, 31),
            origin: Country::parse("AFG").unwrap(),
            host: Country::parse("PAK").unwrap(),
            population: PopulationType::Refugees,
            count,
            source: loader.intern("UNHCR", "test").unwrap(),
        }
    }

    #[test]
    fn a_file_read_after_pushes_finds_the_pushed_rows() {
        let csv = "date,origin,host,population,count,source\n\
                   2023-12-31,AFG,IRN,refugees,1,UNHCR\n\
                   2023-12-31,AFG,PAK,refugees,1987717,UNHCR\n";
        let mut loader = Loader::new().lenient(true);
        let r = reg(&mut loader, 1);
        assert!(loader.push_registration(&r, At { file: "population.csv", line: 4 }).unwrap());
        loader.read(Table::Registrations, "registrations.csv", csv.as_bytes()).unwrap();
        // A push after the file: the file's rows are indexed first.
        let mut other = r;
        other.host = Country::parse("IRN").unwrap();
        assert!(!loader.push_registration(&other, At { file: "population.csv", line: 9 }).unwrap());
        let (ds, report) = loader.finish();
        assert_eq!(ds.len(Table::Registrations), 2);
        let messages: Vec<String> = report.rejections().iter().map(|r| r.to_string()).collect();
        assert_eq!(
            messages,
            [
                "registrations.csv:3: duplicate of population.csv:4 (same date, origin, host, \
                 population and source)",
                "population.csv:9: duplicate of registrations.csv:2 (same date, origin, host, \
                 population and source)",
            ]
        );
    }

    #[test]
    fn pushes_detect_duplicates_across_files_and_count() {
        let csv = "date,origin,host,population,count,source\n\
                   2023-12-31,AFG,PAK,refugees,1987717,UNHCR\n";
        let mut loader = Loader::new().lenient(true);
        loader.read(Table::Registrations, "registrations.csv", csv.as_bytes()).unwrap();
        let r = reg(&mut loader, 1);
        let at = At { file: "population.csv", line: 7 };
        assert!(!loader.push_registration(&r, at).unwrap());
        let mut other = r;
        other.population = PopulationType::AsylumSeekers;
        assert!(loader.push_registration(&other, at).unwrap());
        let at9 = At { line: 9, ..at };
        assert!(!loader.push_registration(&other, at9).unwrap());
        loader
            .reject_row(
                Table::Registrations,
                Rejection::new("population.csv", 10, crate::Problem::Empty),
            )
            .unwrap();
        let (ds, report) = loader.finish();
        assert_eq!(ds.len(Table::Registrations), 2);
        assert_eq!(report.rows_read(Table::Registrations), 5);
        assert_eq!(report.loaded(Table::Registrations), 2);
        assert_eq!(report.rejected(Table::Registrations), 3);
        let messages: Vec<String> = report.rejections().iter().map(|r| r.to_string()).collect();
        assert_eq!(
            messages,
            [
                "population.csv:7: duplicate of registrations.csv:2 (same date, origin, host, \
                 population and source)",
                "population.csv:9: duplicate of line 7 (same date, origin, host, population and source)",
                "population.csv:10: is empty (a value is required)",
            ]
        );
    }

    #[test]
    fn a_full_table_stops_the_load_in_both_modes() {
        for lenient in [false, true] {
            let mut loader = Loader::new().lenient(lenient);
            loader.state.max_rows = 2;
            let csv = "date,origin,host,population,count,source\n\
                       2021-12-31,AFG,PAK,refugees,1,UNHCR\n\
                       2022-12-31,AFG,PAK,refugees,2,UNHCR\n\
                       2023-12-31,AFG,PAK,refugees,3,UNHCR\n";
            let err = loader.read(Table::Registrations, "r.csv", csv.as_bytes()).unwrap_err();
            assert_eq!(
                err.to_string(),
                "r.csv:4: the table holds 2 rows, the most it can number; the load stops here"
            );
            let mut r = reg(&mut loader, 9);
            r.date += 1;
            let err = loader.push_registration(&r, At { file: "p.csv", line: 7 }).unwrap_err();
            assert_eq!(
                err.to_string(),
                "p.csv:7: the table holds 2 rows, the most it can number; the load stops here"
            );
            let (ds, report) = loader.finish();
            assert_eq!(ds.len(Table::Registrations), 2);
            assert_eq!(report.rows_read(Table::Registrations), 4);
            assert_eq!(report.loaded(Table::Registrations), 2);
        }
    }

    #[test]
    fn a_full_interner_stops_the_load_in_both_modes() {
        for lenient in [false, true] {
            let mut loader = Loader::new().lenient(lenient);
            loader.dataset.texts = crate::dataset::Interner::with_limit(2);
            let csv = "date,origin,host,population,count,source\n\
                       2021-12-31,AFG,PAK,refugees,1,UNHCR\n\
                       2022-12-31,AFG,PAK,refugees,2,UNHCR\n\
                       2023-12-31,AFG,PAK,refugees,3,Government of Pakistan\n";
            let err = loader.read(Table::Registrations, "r.csv", csv.as_bytes()).unwrap_err();
            assert_eq!(
                err.to_string(),
                "r.csv:4: column \"source\": \"Government of Pakistan\" cannot be stored: \
                 the dataset holds as many distinct texts as it can number; the load stops here"
            );
            let (ds, report) = loader.finish();
            assert_eq!(ds.len(Table::Registrations), 2);
            assert_eq!(report.rows_read(Table::Registrations), 3);
        }
    }

    #[test]
    fn strict_loader_stops_at_the_first_duplicate() {
        let mut loader = Loader::new();
        let r = reg(&mut loader, 5);
        let at = At { file: "f.csv", line: 2 };
        assert!(loader.push_registration(&r, at).unwrap());
        let err = loader.push_registration(&r, At { line: 3, ..at }).unwrap_err();
        assert_eq!(
            err.to_string(),
            "f.csv:3: duplicate of line 2 (same date, origin, host, population and source)"
        );
    }
}
