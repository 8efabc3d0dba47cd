//! Writing the tables as Parquet files: one file a table, or a Hive-style
//! layout partitioned by year.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::schema;
use crate::record::civil_from_days;
use crate::{Dataset, Error, Table};

/// Rows a Parquet row group holds at most.
pub(crate) const ROW_GROUP: usize = 1 << 20;
/// Rows converted to Arrow at a time while writing.
const CHUNK: usize = 1 << 16;

impl Table {
    /// The table's Parquet file name in a dataset directory, e.g.
    /// `registrations.parquet` (feature `parquet`).
    ///
    /// ```
    /// use refugee_data::Table;
    /// assert_eq!(Table::Deportations.parquet_file_name(), "deportations.parquet");
    /// ```
    pub fn parquet_file_name(self) -> &'static str {
        match self {
            Table::Registrations => "registrations.parquet",
            Table::Deportations => "deportations.parquet",
            Table::Statements => "statements.parquet",
        }
    }
}

fn io_error(file: &Path, source: io::Error) -> Error {
    Error::Io { file: file.display().to_string(), source }
}

fn parquet_error(file: &str, e: parquet::errors::ParquetError) -> Error {
    let source = match e {
        parquet::errors::ParquetError::External(e) => match e.downcast::<io::Error>() {
            Ok(e) => *e,
            Err(e) => io::Error::other(e),
        },
        other => io::Error::other(other.to_string()),
    };
    Error::Io { file: file.to_string(), source }
}

impl Dataset {
    /// Writes one table as a Parquet file to `out`: the columns and types of
    /// [`to_arrow`](Dataset::to_arrow), Snappy-compressed, in row groups of
    /// at most 1,048,576 rows. Any Parquet reader (polars, DuckDB, Spark,
    /// DataFusion) reads it without this crate; [`Loader::read_parquet`]
    /// reads it back as the same records.
    ///
    /// [`Loader::read_parquet`]: crate::Loader::read_parquet
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when writing fails (named by the table's Parquet file name).
    ///
    /// ```
    /// use refugee_data::{Dataset, Loader, Table};
    /// let ds = Dataset::sample();
    /// let mut bytes = Vec::new();
    /// ds.write_parquet(Table::Deportations, &mut bytes)?;
    /// assert_eq!(&bytes[..4], b"PAR1");
    /// let mut loader = Loader::new();
    /// loader.read_parquet(Table::Deportations, "deportations.parquet", bytes.as_slice())?;
    /// let (back, _) = loader.finish();
    /// assert!(back.deportations().eq(ds.deportations()));
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn write_parquet<W: Write + Send>(&self, table: Table, out: W) -> Result<(), Error> {
        let rows: Vec<u32> = (0..self.len(table) as u32).collect();
        self.write_parquet_rows(table, &rows, out, table.parquet_file_name())
    }

    fn write_parquet_rows<W: Write + Send>(
        &self,
        table: Table,
        rows: &[u32],
        out: W,
        file: &str,
    ) -> Result<(), Error> {
        // Deprecated (renamed) in arrow-rs 59; kept for the versions that
        // build with the crate's minimum Rust version.
        #[allow(deprecated)]
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_size(ROW_GROUP)
            .build();
        let mut w = ArrowWriter::try_new(out, schema(table), Some(props))
            .map_err(|e| parquet_error(file, e))?;
        for chunk in rows.chunks(CHUNK) {
            w.write(&self.batch_of(table, chunk)).map_err(|e| parquet_error(file, e))?;
        }
        w.close().map_err(|e| parquet_error(file, e))?;
        Ok(())
    }

    /// Writes the three tables into `dir` (created if missing) as
    /// `registrations.parquet`, `deportations.parquet` and
    /// `statements.parquet` (see [`write_parquet`](Dataset::write_parquet);
    /// an empty table is a file with no rows). Each file is written to a
    /// temporary file in `dir` and renamed over the old one, so a failed
    /// write leaves the old file as it was. Returns the paths written.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming the file that could not be written.
    ///
    /// ```no_run
    /// use refugee_data::Dataset;
    /// let paths = Dataset::sample().write_parquet_dir("my-parquet")?;
    /// assert!(paths[0].ends_with("registrations.parquet"));
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn write_parquet_dir(&self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, Error> {
        let dir = dir.as_ref();
        fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        let mut paths = Vec::with_capacity(3);
        for table in Table::ALL {
            let path = dir.join(table.parquet_file_name());
            let rows: Vec<u32> = (0..self.len(table) as u32).collect();
            self.write_parquet_file(table, &rows, &path)?;
            paths.push(path);
        }
        Ok(paths)
    }

    /// Writes rows `rows` of a table to `path` through a temporary file
    /// beside it and a rename.
    fn write_parquet_file(&self, table: Table, rows: &[u32], path: &Path) -> Result<(), Error> {
        let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let result = (|| {
            let file = fs::File::create(&tmp).map_err(|e| io_error(&tmp, e))?;
            let mut out = io::BufWriter::with_capacity(1 << 16, file);
            self.write_parquet_rows(table, rows, &mut out, &path.display().to_string())?;
            let file = out.into_inner().map_err(|e| io_error(path, e.into_error()))?;
            file.sync_all().map_err(|e| io_error(path, e))?;
            fs::rename(&tmp, path).map_err(|e| io_error(path, e))
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    /// Writes each table into `dir` in the Hive layout, one file a year of
    /// its `date`: `deportations/year=2023/part-0.parquet` ... (the files
    /// hold the table's usual columns; the year is the folder's name, which
    /// DuckDB, Spark, polars and DataFusion read as a `year` column and use
    /// to skip the years a query filters out). An empty table is an empty
    /// folder. Each table's folder is written beside the old one under a
    /// temporary name and then put in its place, so a failed write leaves
    /// the old folder as it was. Returns the files written.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming the file or folder that could not be written.
    ///
    /// ```no_run
    /// use refugee_data::Dataset;
    /// let files = Dataset::sample().write_parquet_partitioned("by-year")?;
    /// assert!(files.iter().any(|f| f.ends_with("deportations/year=2023/part-0.parquet")));
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn write_parquet_partitioned(&self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, Error> {
        let dir = dir.as_ref();
        fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        let mut written = Vec::new();
        for table in Table::ALL {
            written.extend(self.write_partitions(table, dir)?);
        }
        Ok(written)
    }

    /// One table's folder of yearly files, swapped in for the old one.
    fn write_partitions(&self, table: Table, dir: &Path) -> Result<Vec<PathBuf>, Error> {
        let mut by_year: BTreeMap<i32, Vec<u32>> = BTreeMap::new();
        for (i, &day) in self.dates(table).iter().enumerate() {
            by_year.entry(civil_from_days(day).0).or_default().push(i as u32);
        }
        let final_dir = dir.join(table.name());
        let pid = std::process::id();
        let tmp = dir.join(format!(".{}.{pid}.tmp", table.name()));
        let old = dir.join(format!(".{}.{pid}.old", table.name()));
        let result = (|| {
            let _ = fs::remove_dir_all(&tmp);
            let mut files = Vec::with_capacity(by_year.len());
            for (year, rows) in &by_year {
                let part = tmp.join(format!("year={year}"));
                fs::create_dir_all(&part).map_err(|e| io_error(&part, e))?;
                self.write_parquet_file(table, rows, &part.join("part-0.parquet"))?;
                files.push(final_dir.join(format!("year={year}")).join("part-0.parquet"));
            }
            fs::create_dir_all(&tmp).map_err(|e| io_error(&tmp, e))?;
            let had_old = final_dir.exists();
            if had_old {
                fs::rename(&final_dir, &old).map_err(|e| io_error(&final_dir, e))?;
            }
            if let Err(e) = fs::rename(&tmp, &final_dir) {
                if had_old {
                    let _ = fs::rename(&old, &final_dir);
                }
                return Err(io_error(&final_dir, e));
            }
            if had_old {
                fs::remove_dir_all(&old).map_err(|e| io_error(&old, e))?;
            }
            Ok(files)
        })();
        if result.is_err() {
            let _ = fs::remove_dir_all(&tmp);
        }
        result
    }
}
