//! Writes the README's chart, `docs/returns-pak-irn.svg`: UNHCR's yearly
//! counts of Afghan refugees returned from Pakistan and from Iran, from the
//! sample embedded in the crate.
//!
//! ```text
//! cargo run --example chart_readme --features chart [-- OUT.svg]
//! ```

use std::path::PathBuf;

use refugee_data::{chart, ChartOptions, Dataset, Dimension, Query};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("docs/returns-pak-irn.svg"), PathBuf::from);
    let q = Query::deportations()
        .by(Dimension::Year)
        .by(Dimension::Host)
        .filter(Dimension::Origin, ["AFG"])
        .filter(Dimension::Host, ["PAK", "IRN"])
        .filter(Dimension::Kind, ["returned"])
        .filter(Dimension::Source, ["UNHCR"]);
    let result = Dataset::sample().query(&q)?;
    let options = ChartOptions::for_query(&q)
        .title("Afghan refugees returned from Pakistan and Iran each year (UNHCR)");
    std::fs::write(&out, chart::svg(&result, &options)?)?;
    eprintln!("wrote {}", out.display());
    Ok(())
}
