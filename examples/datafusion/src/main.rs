//! The sample exported as Parquet, registered in DataFusion, and two of the
//! README's questions answered in SQL, with the numbers checked against
//! `Dataset::query`:
//!
//! 1. a stock: Afghan refugees in Pakistan and Iran at the end of each year
//!    (UNHCR), read from the Hive layout (`registrations/year=2023/...`),
//!    where SQL must keep the crate's stock rule itself: each
//!    series (origin, host, population, source) gives its latest
//!    observation inside each year, never a sum over the year;
//! 2. a flow: UNHCR's refugee returns from Pakistan and Iran each year,
//!    read from the Hive layout (`deportations/year=2023/part-0.parquet`),
//!    where the filter on the `year` folder skips the other years' files.
//!
//! Run: `cargo run` in this folder (it prints both tables and exits with an
//! error if a number differs).

use std::path::Path;

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, UInt64Type};
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use refugee_data::{Dataset, Dimension, Query, Table};

type Rows = Vec<(String, String, u64)>;

/// The stock rule in SQL: the latest observation of each series in each
/// year, then the sum over the series of each output group.
/// The year is the Hive layout's `year` folder (`date_part('year', date)`
/// on the single files is the same).
const STOCK_SQL: &str = "
WITH latest AS (
    SELECT year, host, count,
           ROW_NUMBER() OVER (
               PARTITION BY origin, host, population, source, year
               ORDER BY date DESC) AS nth
    FROM registrations_by_year
    WHERE origin = 'AFG' AND host IN ('PAK', 'IRN')
      AND population = 'refugees' AND source = 'UNHCR'
)
SELECT year, host, SUM(count) AS persons
FROM latest WHERE nth = 1
GROUP BY year, host ORDER BY year, host";

/// Flows are summed into the year of their `date`: the `year` folder.
const FLOW_SQL: &str = "
SELECT year, host, SUM(count) AS persons
FROM deportations_by_year
WHERE year BETWEEN 2022 AND 2024 AND origin = 'AFG' AND host IN ('PAK', 'IRN')
  AND kind = 'returned' AND source = 'UNHCR'
GROUP BY year, host ORDER BY year, host";

fn stock_query() -> Query {
    Query::registrations()
        .by(Dimension::Year)
        .by(Dimension::Host)
        .filter(Dimension::Origin, ["AFG"])
        .filter(Dimension::Host, ["PAK", "IRN"])
        .filter(Dimension::Population, ["refugees"])
        .filter(Dimension::Source, ["UNHCR"])
}

fn flow_query() -> Result<Query, Box<dyn std::error::Error>> {
    Ok(Query::deportations()
        .by(Dimension::Year)
        .by(Dimension::Host)
        .filter(Dimension::Origin, ["AFG"])
        .filter(Dimension::Host, ["PAK", "IRN"])
        .filter(Dimension::Kind, ["returned"])
        .filter(Dimension::Source, ["UNHCR"])
        .from("2022-01-01".parse()?)
        .to("2024-12-31".parse()?))
}

/// (year, host, persons) of each row of the query's answer.
fn ours(q: &Query) -> Result<Rows, Box<dyn std::error::Error>> {
    let result = Dataset::sample().query(q)?;
    Ok(result.rows().map(|r| (r.key(0).to_string(), r.key(1).to_string(), r.value(0))).collect())
}

/// Column `i` of a batch as strings, whatever the engine's string or
/// integer type.
fn texts(batch: &RecordBatch, i: usize) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let column = cast(batch.column(i), &DataType::Utf8)?;
    let column = column.as_string::<i32>();
    Ok((0..column.len()).map(|r| column.value(r).to_string()).collect())
}

/// (year, host, persons) of each row of the batches.
fn rows_of(batches: &[RecordBatch]) -> Result<Rows, Box<dyn std::error::Error>> {
    let mut rows = Vec::new();
    for batch in batches {
        let (years, hosts) = (texts(batch, 0)?, texts(batch, 1)?);
        let persons = cast(batch.column(2), &DataType::UInt64)?;
        let persons = persons.as_primitive::<UInt64Type>();
        for r in 0..batch.num_rows() {
            rows.push((years[r].clone(), hosts[r].clone(), persons.value(r)));
        }
    }
    Ok(rows)
}

async fn sql(ctx: &SessionContext, q: &str) -> Result<Rows, Box<dyn std::error::Error>> {
    rows_of(&ctx.sql(q).await?.collect().await?)
}

fn check(what: &str, ours: &Rows, theirs: &Rows) -> Result<(), Box<dyn std::error::Error>> {
    println!("{what}:\nyear  host  persons (refugee-data = DataFusion)");
    for (year, host, persons) in theirs {
        println!("{year}  {host}   {persons}");
    }
    if ours != theirs || ours.is_empty() {
        return Err(format!("{what}: DataFusion gives {theirs:?}, Dataset::query {ours:?}").into());
    }
    Ok(())
}

async fn register(ctx: &SessionContext, dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    for table in Table::ALL {
        let path = dir.join(table.parquet_file_name());
        let path = path.to_str().ok_or("the temporary folder's path is not UTF-8")?;
        ctx.register_parquet(table.name(), path, ParquetReadOptions::default()).await?;
        let n = sql_count(ctx, table.name()).await?;
        if n != Dataset::sample().len(table) as u64 {
            return Err(format!("{}: {n} rows in DataFusion", table.name()).into());
        }
    }
    for table in [Table::Registrations, Table::Deportations] {
        let by_year = dir.join("by-year").join(table.name());
        let options = ParquetReadOptions::default()
            .table_partition_cols(vec![("year".to_string(), DataType::Int32)]);
        let path = format!("{}/", by_year.to_str().ok_or("not UTF-8")?);
        let name = format!("{}_by_year", table.name());
        ctx.register_parquet(name.as_str(), &path, options).await?;
    }
    Ok(())
}

async fn sql_count(ctx: &SessionContext, table: &str) -> Result<u64, Box<dyn std::error::Error>> {
    let batches = ctx.sql(&format!("SELECT COUNT(*) FROM {table}")).await?.collect().await?;
    let n = cast(batches[0].column(0), &DataType::UInt64)?;
    Ok(n.as_primitive::<UInt64Type>().value(0))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("refugee-data-datafusion-{}", std::process::id()));
    let ds = Dataset::sample();
    ds.write_parquet_dir(&dir)?;
    ds.write_parquet_partitioned(dir.join("by-year"))?;
    let result = async {
        let ctx = SessionContext::new();
        register(&ctx, &dir).await?;
        check(
            "Afghan refugees at the end of each year (stock)",
            &ours(&stock_query())?,
            &sql(&ctx, STOCK_SQL).await?,
        )?;
        check(
            "UNHCR refugee returns each year (flow)",
            &ours(&flow_query()?)?,
            &sql(&ctx, FLOW_SQL).await?,
        )?;
        Ok::<(), Box<dyn std::error::Error>>(())
    }
    .await;
    std::fs::remove_dir_all(&dir)?;
    result?;
    println!("DataFusion and Dataset::query agree");
    Ok(())
}
