//! `refugee-data export`: the dataset's tables written to a directory, as
//! canonical CSV or as Parquet (one file a table, or by year).

use std::path::PathBuf;
use std::process::ExitCode;

use refugee_data::Table;

use crate::args::{ExportArgs, Format, Global, Partition};
use crate::{hints, load, say, Failure};

pub(crate) fn run(global: &Global, a: &ExportArgs) -> Result<ExitCode, Failure> {
    let format = global.format.unwrap_or(Format::Csv);
    if a.partition.is_some() && format != Format::Parquet {
        return Err(Failure::Usage(
            "--partition applies to --format parquet (a CSV export is one file a table)".into(),
            "export",
        ));
    }
    let ds = load(global, &a.input, &Table::ALL)?;
    let shown = hints::escape(&a.out.display().to_string()).into_owned();
    std::fs::create_dir_all(&a.out).map_err(|e| Failure::Data(format!("{shown}: {e}")))?;
    let written: Vec<PathBuf> = match (format, a.partition) {
        (Format::Parquet, None) => ds.write_parquet_dir(&a.out)?,
        (Format::Parquet, Some(Partition::Year)) => ds.write_parquet_partitioned(&a.out)?,
        _ => {
            let mut files = Vec::new();
            for table in Table::ALL.into_iter().filter(|&t| ds.len(t) > 0) {
                files.push(ds.write_table(table, &a.out)?);
            }
            files
        }
    };
    let mut lines = String::new();
    for table in Table::ALL.into_iter().filter(|&t| ds.len(t) > 0) {
        lines.push_str(&format!(
            "{}: {} records\n",
            table.name(),
            refugee_data::thousands(ds.len(table) as u64)
        ));
    }
    for path in &written {
        lines.push_str(&format!("wrote {}\n", hints::escape(&path.display().to_string())));
    }
    say(&lines)?;
    Ok(ExitCode::SUCCESS)
}
