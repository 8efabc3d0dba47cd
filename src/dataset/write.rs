//! Writing a dataset back as canonical CSV files.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{Dataset, Table, NO_COUNTRY, NO_DAY};
use crate::record::{civil_from_days, Day};
use crate::{Country, Error, PopulationType, ReturnKind, Stance};

/// Formats a day number as `YYYY-MM-DD` (years 1900..=2100).
fn day_text(day: Day, out: &mut [u8; 10]) -> &[u8] {
    let (y, m, d) = civil_from_days(day);
    let y = y as u32;
    *out = [
        b'0' + (y / 1000 % 10) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
        b'-',
        b'0' + (m / 10) as u8,
        b'0' + (m % 10) as u8,
        b'-',
        b'0' + (d / 10) as u8,
        b'0' + (d % 10) as u8,
    ];
    &out[..]
}

/// The text of the last day formatted: consecutive records mostly share
/// their date.
struct DayText {
    day: Day,
    text: [u8; 10],
}

impl DayText {
    fn new() -> Self {
        DayText { day: NO_DAY, text: [0; 10] }
    }

    fn get(&mut self, day: Day) -> &[u8] {
        if day != self.day {
            self.day = day;
            day_text(day, &mut self.text);
        }
        &self.text
    }
}

/// Formats a count in decimal.
fn count_text(mut n: u64, out: &mut [u8; 20]) -> &[u8] {
    let mut i = out.len();
    loop {
        i -= 1;
        out[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &out[i..];
        }
    }
}

fn country_text(id: u16) -> &'static [u8] {
    if id == NO_COUNTRY {
        b""
    } else {
        Country::from_id(id).alpha3().as_bytes()
    }
}

impl Dataset {
    /// Writes one table as a canonical CSV file: the contract's columns in
    /// its order, one row per record in the dataset's order,
    /// countries as alpha-3 codes, vocabularies in lower case, an empty
    /// optional field (and an empty `period_start`) as an empty field, LF
    /// line ends, RFC 4180 quoting where a field needs it. Loading the output
    /// gives the same records.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when writing fails (named by the table's file name).
    ///
    /// ```
    /// use refugee_data::{Loader, Table};
    /// let csv = "source,count,date,origin,host,kind\n\
    ///            IOM DTM,17000,2023-11-01,Afghanistan,Pakistan,spontaneous\n";
    /// let mut loader = Loader::new();
    /// loader.read(Table::Deportations, "deportations.csv", csv.as_bytes())?;
    /// let (ds, _) = loader.finish();
    /// let mut out = Vec::new();
    /// ds.write_csv(Table::Deportations, &mut out)?;
    /// assert_eq!(
    ///     String::from_utf8(out).unwrap(),
    ///     "date,period_start,origin,host,kind,count,crossing,source,reference\n\
    ///      2023-11-01,,AFG,PAK,spontaneous,17000,,IOM DTM,\n"
    /// );
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn write_csv<W: Write>(&self, table: Table, out: W) -> Result<(), Error> {
        let io_error = |e: csv::Error| {
            let source = match e.into_kind() {
                csv::ErrorKind::Io(e) => e,
                other => io::Error::other(format!("{other:?}")),
            };
            Error::Io { file: table.file_name().to_string(), source }
        };
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(1 << 16)
            .from_writer(out);
        let header = crate::load::push::columns(table).iter().map(|(name, _)| *name);
        w.write_record(header).map_err(io_error)?;
        let (mut date, mut start, mut count) = (DayText::new(), DayText::new(), [0u8; 20]);
        let text = |id: u32| self.texts.text(id).as_bytes();
        match table {
            Table::Registrations => {
                let c = &self.registrations;
                for i in 0..c.date.len() {
                    w.write_record([
                        date.get(c.date[i]),
                        country_text(c.origin[i]),
                        country_text(c.host[i]),
                        PopulationType::from_index(c.population[i]).as_str().as_bytes(),
                        count_text(c.count[i], &mut count),
                        text(c.source[i]),
                        text(c.reference[i]),
                    ])
                    .map_err(io_error)?;
                }
            }
            Table::Deportations => {
                let c = &self.deportations;
                for i in 0..c.date.len() {
                    let period_start: &[u8] = if c.period_start[i] == NO_DAY {
                        b""
                    } else {
                        start.get(c.period_start[i])
                    };
                    w.write_record([
                        date.get(c.date[i]),
                        period_start,
                        country_text(c.origin[i]),
                        country_text(c.host[i]),
                        ReturnKind::from_index(c.kind[i]).as_str().as_bytes(),
                        count_text(c.count[i], &mut count),
                        text(c.crossing[i]),
                        text(c.source[i]),
                        text(c.reference[i]),
                    ])
                    .map_err(io_error)?;
                }
            }
            Table::Statements => {
                let c = &self.statements;
                for i in 0..c.date.len() {
                    w.write_record([
                        date.get(c.date[i]),
                        text(c.actor[i]),
                        country_text(c.actor_country[i]),
                        text(c.speaker[i]),
                        country_text(c.target_country[i]),
                        country_text(c.subject_country[i]),
                        Stance::from_index(c.stance[i]).as_str().as_bytes(),
                        text(c.summary[i]),
                        text(c.source[i]),
                        text(c.url[i]),
                    ])
                    .map_err(io_error)?;
                }
            }
        }
        w.flush().map_err(|source| Error::Io { file: table.file_name().to_string(), source })
    }

    /// Writes the three tables into `dir` (created if missing) as
    /// `registrations.csv`, `deportations.csv` and `statements.csv` (see
    /// [`write_csv`](Dataset::write_csv); an empty table is a header alone).
    /// Each file is written to a temporary file in `dir` and then renamed
    /// over the old one, so a failed write leaves the old file as it was.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming the file that could not be written.
    ///
    /// ```no_run
    /// use refugee_data::Dataset;
    /// Dataset::sample().write_dir("my-data")?;
    /// assert_eq!(Dataset::load_dir("my-data")?.registrations().count(), Dataset::sample().registrations().count());
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn write_dir(&self, dir: impl AsRef<Path>) -> Result<(), Error> {
        let dir = dir.as_ref();
        fs::create_dir_all(dir)
            .map_err(|source| Error::Io { file: dir.display().to_string(), source })?;
        for table in Table::ALL {
            self.write_file(table, dir)?;
        }
        Ok(())
    }

    /// Writes one table's file into `dir` through a temporary file and a
    /// rename; returns the path written.
    fn write_file(&self, table: Table, dir: &Path) -> Result<PathBuf, Error> {
        let path = dir.join(table.file_name());
        let tmp = dir.join(format!(".{}.{}.tmp", table.file_name(), std::process::id()));
        let io_error =
            |p: &Path, source: io::Error| Error::Io { file: p.display().to_string(), source };
        let result = (|| {
            let file = fs::File::create(&tmp).map_err(|e| io_error(&tmp, e))?;
            let mut out = io::BufWriter::with_capacity(1 << 16, file);
            self.write_csv(table, &mut out).map_err(|e| match e {
                Error::Io { source, .. } => io_error(&path, source),
                other => other,
            })?;
            let file = out.into_inner().map_err(|e| io_error(&path, e.into_error()))?;
            file.sync_all().map_err(|e| io_error(&path, e))?;
            fs::rename(&tmp, &path).map_err(|e| io_error(&path, e))
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result.map(|()| path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Loader;

    #[test]
    fn days_and_counts_format() {
        let mut b = [0u8; 10];
        assert_eq!(day_text(crate::record::days_from_civil(1900, 1, 1), &mut b), b"1900-01-01");
        assert_eq!(day_text(crate::record::days_from_civil(2100, 12, 31), &mut b), b"2100-12-31");
        let mut c = [0u8; 20];
        assert_eq!(count_text(0, &mut c), b"0");
        assert_eq!(count_text(u64::MAX, &mut c), b"18446744073709551615");
    }

    #[test]
    fn the_sample_round_trips() {
        let ds = Dataset::sample();
        let mut loader = Loader::new();
        for table in Table::ALL {
            let mut out = Vec::new();
            ds.write_csv(table, &mut out).unwrap();
            loader.read(table, table.file_name(), out.as_slice()).unwrap();
        }
        let (back, report) = loader.finish();
        assert!(report.is_clean() && report.warnings().is_empty());
        assert!(ds.registrations().eq(back.registrations()));
        assert!(ds.deportations().eq(back.deportations()));
        assert!(ds.statements().eq(back.statements()));
    }

    #[test]
    fn quotes_where_needed_and_keeps_empty_fields_empty() {
        let csv = "date,actor,stance,summary,source,speaker\n\
                   2023-11-21,\"U.S. Department of State\",appeal,\"Urged \"\"restraint\"\", again\",State Dept,\n";
        let mut loader = Loader::new();
        loader.read(Table::Statements, "statements.csv", csv.as_bytes()).unwrap();
        let (ds, _) = loader.finish();
        let mut out = Vec::new();
        ds.write_csv(Table::Statements, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "date,actor,actor_country,speaker,target_country,subject_country,stance,summary,source,url\n\
             2023-11-21,U.S. Department of State,,,,,appeal,\"Urged \"\"restraint\"\", again\",State Dept,\n"
        );
    }
}
