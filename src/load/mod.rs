//! Loading the canonical CSV files: every row becomes a record or a rejection.
//!
//! The fast path reads `csv::ByteRecord`s into one reused buffer and parses
//! dates, codes and digits by hand straight into the columns of a
//! [`Dataset`]; no field is allocated unless it is a text seen for the first
//! time or a row is rejected.

mod batch;
mod blocks;
#[cfg(feature = "arrow")]
mod columnar;
#[cfg(feature = "encoding")]
mod decode;
mod dedup;
#[cfg(test)]
mod direct_reader_tests;
mod fields;
mod file_checks;
mod header;
mod keys;
mod lines;
mod overlap;
mod progress;
pub(crate) mod push;
mod rejection;

/// Numbers below `n` from a fixed-seed linear congruential generator, for
/// the loader's unit tests.
#[cfg(test)]
fn draws(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut x = seed;
    move |n| {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) % n
    }
}

pub(crate) use crate::text::{bounded_list, cut};
#[cfg(feature = "encoding")]
pub use decode::Encoding;
pub(crate) use fields::parse_digits;
pub(crate) use header::unknown_columns;
pub(crate) use lines::RecordReader;
pub use rejection::{Problem, Rejection};

use progress::Progress;

use std::fs::File;
use std::io;
use std::path::Path;

use crate::{Dataset, Error, Table};

/// What a load read, kept and rejected, table by table.
///
/// `loaded + rejected = rows read`, always.
///
/// ```
/// use refugee_data::{Loader, Table};
/// let csv = "date,origin,host,population,count,source\n\
///            2023-12-31,AFG,PAK,refugees,1987717,UNHCR\n\
///            2023-12-31,AFG,PAK,refugees,1,UNHCR\n";
/// let mut loader = Loader::new().lenient(true);
/// loader.read(Table::Registrations, "registrations.csv", csv.as_bytes())?;
/// let (ds, report) = loader.finish();
/// assert_eq!(report.rows_read(Table::Registrations), 2);
/// assert_eq!(report.loaded(Table::Registrations), 1);
/// assert_eq!(report.rejected(Table::Registrations), 1);
/// assert_eq!(
///     report.rejections()[0].to_string(),
///     "registrations.csv:3: duplicate of line 2 (same date, origin, host, population and source)"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct LoadReport {
    read: [u64; 3],
    rejected: [u64; 3],
    rejections: Vec<Rejection>,
    warnings: Vec<String>,
}

impl LoadReport {
    /// Data rows read from a table's files (the header not counted).
    pub fn rows_read(&self, table: Table) -> u64 {
        self.read[table as usize]
    }

    /// Rows that became records.
    pub fn loaded(&self, table: Table) -> u64 {
        self.read[table as usize] - self.rejected[table as usize]
    }

    /// Rows that were rejected.
    pub fn rejected(&self, table: Table) -> u64 {
        self.rejected[table as usize]
    }

    /// Every rejection, in reading order.
    pub fn rejections(&self) -> &[Rejection] {
        &self.rejections
    }

    /// Warnings that are no rejection (unknown columns ignored), in reading order.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// True when no row was rejected.
    pub fn is_clean(&self) -> bool {
        self.rejections.is_empty()
    }
}

/// Reads canonical CSV files into a [`Dataset`], strictly or leniently.
///
/// * **Strict** (the default): the first rejected row stops the load and is
///   returned as [`Error::Rejected`].
/// * **Lenient**: rejected rows are listed in the [`LoadReport`] and loading
///   goes on.
///
/// Header problems (missing required columns, a repeated column) are errors
/// in both modes, reported before any row. Header names are matched after
/// trimming, case-insensitively; unknown columns are ignored with one warning.
/// Several files of one table may be read in turn: duplicates are detected
/// across them.
///
/// ```
/// use refugee_data::{Loader, Table};
/// let csv = "source,count,date,origin,host,kind,note\n\
///            IOM DTM,17000,2023-11-01,Afghanistan,Pakistan,spontaneous,Torkham and Chaman\n";
/// let mut loader = Loader::new();
/// loader.read(Table::Deportations, "deportations.csv", csv.as_bytes())?;
/// let (ds, report) = loader.finish();
/// assert_eq!(report.warnings(), ["deportations.csv:1: unknown column ignored: \"note\""]);
/// let d = ds.deportations().next().unwrap();
/// assert_eq!((d.origin.alpha3(), d.host.alpha3(), d.count), ("AFG", "PAK", 17_000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Loader {
    lenient: bool,
    limits: Limits,
    /// The size in bytes of the file being read, when known: lets the
    /// columns be allocated once, at their final size.
    size_hint: Option<u64>,
    #[cfg(feature = "encoding")]
    encoding: Encoding,
    /// The tables `read_dir` reads.
    tables: Vec<Table>,
    progress: Progress,
    dataset: Dataset,
    state: batch::State,
    report: LoadReport,
}

/// Size limits that keep one bad file from exhausting memory.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) field_bytes: usize,
    pub(crate) record_bytes: usize,
    /// The field separator (`,` unless set).
    pub(crate) delimiter: u8,
}

impl Default for Loader {
    fn default() -> Self {
        Loader {
            lenient: false,
            size_hint: None,
            limits: Limits {
                field_bytes: Loader::DEFAULT_MAX_FIELD_BYTES,
                record_bytes: Loader::DEFAULT_MAX_RECORD_BYTES,
                delimiter: b',',
            },
            #[cfg(feature = "encoding")]
            encoding: Encoding::Utf8,
            tables: Table::ALL.to_vec(),
            progress: Progress(None),
            dataset: Dataset::default(),
            state: batch::State::default(),
            report: LoadReport::default(),
        }
    }
}

impl Loader {
    /// The default largest field: 1 MiB. A longer field rejects its row.
    pub const DEFAULT_MAX_FIELD_BYTES: usize = 1 << 20;
    /// The default largest record: 16 MiB. A longer record stops the file
    /// with an error, before more of it is held in memory.
    pub const DEFAULT_MAX_RECORD_BYTES: usize = 16 << 20;

    /// A strict loader with an empty dataset.
    pub fn new() -> Self {
        Loader::default()
    }

    /// Sets the largest field, in bytes; a row with a longer field is rejected.
    ///
    /// ```
    /// use refugee_data::{Loader, Table};
    /// let csv = "date,origin,host,population,count,source\n2023-12-31,AFG,PAK,refugees,5,UNHCR-long-name\n";
    /// let mut loader = Loader::new().lenient(true).max_field_bytes(12);
    /// loader.read(Table::Registrations, "registrations.csv", csv.as_bytes())?;
    /// let (_, report) = loader.finish();
    /// assert_eq!(
    ///     report.rejections()[0].to_string(),
    ///     "registrations.csv:2: column \"source\": \"UNHCR-long-name\" is 15 bytes long (expected at most 12)"
    /// );
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn max_field_bytes(mut self, bytes: usize) -> Self {
        self.limits.field_bytes = bytes;
        self
    }

    /// Sets the largest record, in bytes (at least the field limit is
    /// sensible); a longer record is an error that stops reading the file.
    /// The check is made as input is read, so it allows up to 64 KiB of
    /// read-ahead beyond the limit: it bounds memory, it is not an exact
    /// record length rule.
    pub fn max_record_bytes(mut self, bytes: usize) -> Self {
        self.limits.record_bytes = bytes;
        self
    }

    /// Sets lenient (`true`) or strict (`false`) loading.
    pub fn lenient(mut self, yes: bool) -> Self {
        self.lenient = yes;
        self
    }

    /// Sets the field separator, one ASCII byte (`,` by default). Files
    /// saved by a spreadsheet set to a European locale are often separated
    /// by `;`; a header that holds `;` but no `,` gets a hint in the
    /// missing-columns error.
    ///
    /// ```
    /// use refugee_data::{Loader, Table};
    /// let csv = "date;origin;host;population;count;source\n2023-12-31;AFG;PAK;refugees;1987717;UNHCR\n";
    /// let mut loader = Loader::new().delimiter(b';');
    /// loader.read(Table::Registrations, "registrations.csv", csv.as_bytes())?;
    /// assert_eq!(loader.finish().0.registrations().next().unwrap().count, 1_987_717);
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    ///
    /// # Panics
    ///
    /// If `delimiter` is not ASCII, or is a quote or a line end.
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        assert!(
            delimiter.is_ascii() && !matches!(delimiter, b'"' | b'\n' | b'\r'),
            "a delimiter is one ASCII byte other than a quote or a line end"
        );
        self.limits.delimiter = delimiter;
        self
    }

    /// Sets the files' character encoding (UTF-8 by default); input in
    /// another encoding is decoded to UTF-8 before it is parsed. See
    /// [`Encoding`].
    #[cfg(feature = "encoding")]
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// Sets the tables that [`read_dir`](Loader::read_dir) reads (all three
    /// by default): a question about one table need not read the others.
    ///
    /// ```
    /// use refugee_data::{Loader, Table};
    /// let dir = std::env::temp_dir().join(format!("rd-tables-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// std::fs::write(dir.join("statements.csv"), "this file is not read")?;
    /// let mut loader = Loader::new().tables(&[Table::Registrations]);
    /// loader.read_dir(&dir)?;
    /// assert_eq!(loader.finish().0.len(Table::Statements), 0);
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tables(mut self, tables: &[Table]) -> Self {
        self.tables = tables.to_vec();
        self
    }

    /// Sets a callback told how far [`read_dir`](Loader::read_dir) has read
    /// each file: `(table, bytes read, file size)`, once at the start of a
    /// file, at least every MiB, and at its end. For progress bars.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use refugee_data::{Loader, Table};
    /// let dir = std::env::temp_dir().join(format!("rd-progress-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let csv = "date,origin,host,population,count,source\n2023-12-31,AFG,PAK,refugees,5,UNHCR\n";
    /// std::fs::write(dir.join("registrations.csv"), csv)?;
    /// let seen = Arc::new(Mutex::new(Vec::new()));
    /// let log = Arc::clone(&seen);
    /// let mut loader = Loader::new()
    ///     .on_progress(move |table, read, size| log.lock().unwrap().push((table, read, size)));
    /// loader.read_dir(&dir)?;
    /// let n = csv.len() as u64;
    /// assert_eq!(*seen.lock().unwrap(), [(Table::Registrations, 0, n), (Table::Registrations, n, n)]);
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on_progress(mut self, callback: impl FnMut(Table, u64, u64) + Send + 'static) -> Self {
        self.progress = Progress(Some(Box::new(callback)));
        self
    }

    /// Reads one CSV file of `table` from `reader`; `file` names it in messages.
    ///
    /// # Errors
    ///
    /// Header errors and I/O errors in both modes; in strict mode also the
    /// first rejected row.
    pub fn read<R: io::Read>(&mut self, table: Table, file: &str, reader: R) -> Result<(), Error> {
        let mark = file_checks::Mark::new(self, table);
        #[cfg(feature = "encoding")]
        let result = if self.encoding != Encoding::Utf8 {
            let decoded = decode::decoded(reader, self.encoding);
            blocks::read(self, table, file, decoded)
        } else {
            blocks::read(self, table, file, reader)
        };
        #[cfg(not(feature = "encoding"))]
        let result = blocks::read(self, table, file, reader);
        file_checks::check_file(self, table, file, mark, result)
    }

    /// Reads `registrations.csv`, `deportations.csv` and `statements.csv`
    /// from a directory; a missing file means that table is empty. With the
    /// `parquet` feature, a table may be given as `registrations.parquet`
    /// ... instead, read with the same checks; a table given both ways is an
    /// error (two copies of one table would be added, or one ignored).
    ///
    /// # Errors
    ///
    /// As [`read`](Loader::read), plus a directory that cannot be read.
    pub fn read_dir(&mut self, dir: impl AsRef<Path>) -> Result<(), Error> {
        let dir = dir.as_ref();
        if !dir.is_dir() {
            return Err(Error::Io {
                file: dir.display().to_string(),
                source: io::Error::new(io::ErrorKind::NotFound, "no such directory"),
            });
        }
        let tables: Vec<Table> =
            Table::ALL.into_iter().filter(|t| self.tables.contains(t)).collect();
        for table in tables {
            let path = dir.join(table.file_name());
            #[cfg(feature = "parquet")]
            {
                let parquet = dir.join(table.parquet_file_name());
                if parquet.is_file() {
                    if path.exists() {
                        return Err(Error::Format {
                            file: table.parquet_file_name().to_string(),
                            line: 0,
                            message: format!(
                                "{} is in the same directory: a table is read from one file; \
                                 move one of them away",
                                table.file_name()
                            ),
                        });
                    }
                    self.read_parquet_file(table, &parquet)?;
                    continue;
                }
            }
            match File::open(&path) {
                Ok(f) => {
                    let size = f.metadata().ok().map(|m| m.len());
                    self.size_hint = size;
                    let reader = io::BufReader::with_capacity(1 << 16, f);
                    let read = match self.progress.0.take() {
                        Some(mut callback) => {
                            let size = size.unwrap_or(0);
                            let counted =
                                progress::Counted::new(reader, &mut callback, table, size);
                            let read = self.read(table, table.file_name(), counted);
                            self.progress.0 = Some(callback);
                            read
                        }
                        None => self.read(table, table.file_name(), reader),
                    };
                    self.size_hint = None;
                    read?
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::Io { file: path.display().to_string(), source: e }),
            }
        }
        Ok(())
    }

    /// The dataset and the report of what was read.
    pub fn finish(mut self) -> (Dataset, LoadReport) {
        let t = Table::Deportations as usize;
        overlap::name_deferred(
            &self.dataset,
            &mut self.state.overlap,
            &self.state.lines[t],
            &mut self.report.rejections,
        );
        self.dataset.clear_cache();
        (self.dataset, self.report)
    }
}

impl Dataset {
    /// The sample embedded in the crate: real, sourced figures on people of
    /// Afghan origin (UNHCR year-end stocks 2000-2025 and mid-2023, UNHCR's
    /// yearly returns, reported 2023-2024 returns and deportations from
    /// Pakistan and Iran, and public statements). See `data/README.md`.
    ///
    /// Loaded once, on first use.
    ///
    /// ```
    /// use refugee_data::{Dataset, Table};
    /// let ds = Dataset::sample();
    /// assert!(ds.len(Table::Statements) >= 30);
    /// ```
    pub fn sample() -> &'static Dataset {
        static SAMPLE: std::sync::OnceLock<Dataset> = std::sync::OnceLock::new();
        SAMPLE.get_or_init(|| {
            let mut loader = Loader::new();
            for (table, text) in [
                (Table::Registrations, include_str!("../../data/registrations.csv")),
                (Table::Deportations, include_str!("../../data/deportations.csv")),
                (Table::Statements, include_str!("../../data/statements.csv")),
            ] {
                loader
                    .read(table, table.file_name(), text.as_bytes())
                    .expect("the embedded sample is valid (checked by the tests)");
            }
            loader.finish().0
        })
    }

    /// Loads a dataset directory strictly.
    ///
    /// # Errors
    ///
    /// The first problem found, with its file and line.
    ///
    /// ```no_run
    /// let ds = refugee_data::Dataset::load_dir("data")?;
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Dataset, Error> {
        let mut loader = Loader::new();
        loader.read_dir(dir)?;
        Ok(loader.finish().0)
    }

    /// Loads a dataset directory leniently: what can be loaded, and the report.
    ///
    /// # Errors
    ///
    /// Header and I/O errors only.
    ///
    /// ```no_run
    /// let (ds, report) = refugee_data::Dataset::load_dir_lenient("data")?;
    /// for r in report.rejections() {
    ///     eprintln!("{r}");
    /// }
    /// # Ok::<(), refugee_data::Error>(())
    /// ```
    pub fn load_dir_lenient(dir: impl AsRef<Path>) -> Result<(Dataset, LoadReport), Error> {
        let mut loader = Loader::new().lenient(true);
        loader.read_dir(dir)?;
        Ok(loader.finish())
    }
}

/// Whether this machine has two cores or more: the readers and the file
/// checks then share their work between two threads.
pub(crate) fn two_cores() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}
