//! Writing a dataset back as canonical CSV files.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{on_columns, Dataset, Table};
use crate::Error;

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
        let header = Dataset::specs(table).iter().map(|spec| spec.name);
        w.write_record(header).map_err(io_error)?;
        let texts = &self.texts;
        on_columns!(self, table, c => {
            for i in 0..c.len() {
                c.write_row(i, texts, &mut w).map_err(io_error)?;
            }
        });
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
            self.write_table(table, dir)?;
        }
        Ok(())
    }

    /// Writes one table's file into `dir` (`registrations.csv` ...) through a
    /// temporary file in `dir` and a rename, so that a failed write leaves
    /// the old file as it was; returns the path written.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming the file that could not be written.
    ///
    /// ```no_run
    /// use refugee_data::{Dataset, Table};
    /// let path = Dataset::sample().write_table(Table::Statements, "my-data")?;
    /// assert!(path.ends_with("statements.csv"));
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn write_table(&self, table: Table, dir: impl AsRef<Path>) -> Result<PathBuf, Error> {
        let dir = dir.as_ref();
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
    fn extreme_dates_and_counts_are_written_exactly() {
        let csv = "date,origin,host,kind,count,source\n\
                   1900-01-01,AFG,PAK,returned,18446744073709551615,A\n\
                   2100-12-31,AFG,PAK,returned,0,A\n";
        let mut loader = Loader::new();
        loader.read(Table::Deportations, "deportations.csv", csv.as_bytes()).unwrap();
        let mut out = Vec::new();
        loader.finish().0.write_csv(Table::Deportations, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "date,period_start,origin,host,kind,count,crossing,source,reference\n\
             1900-01-01,,AFG,PAK,returned,18446744073709551615,,A,\n\
             2100-12-31,,AFG,PAK,returned,0,,A,\n"
        );
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
