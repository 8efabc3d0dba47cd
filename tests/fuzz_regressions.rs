//! Fuzz regressions and a short fuzz run in plain `cargo test`.
//!
//! * Every input that made a cargo-fuzz target (`fuzz/`) fail is kept under
//!   `tests/fuzz_regressions/` and run again through the same entry point
//!   with the same invariants (`tests/fuzz_regressions/invariants.rs`). The
//!   file's first byte chooses the table or options, as in the fuzz target.
//! * proptest then feeds each entry point arbitrary bytes and CSV-like
//!   token soups (a few hundred cases each), so that the invariants are
//!   checked on every `cargo test`, not only when someone runs the fuzzers.

#[path = "fuzz_regressions/invariants.rs"]
mod invariants;

use proptest::prelude::*;
use refugee_data::{Loader, Table};

// ---------------------------------------------------------------------------
// Inputs the fuzzers found.

/// Found by `canonical` (with debug assertions) after 114 s: a statements
/// header that ends in a lone carriage return. The csv reader ended the
/// record there while the line counter counted only line feeds, so the next
/// row was reported on line 1, the header's line (the bug of
/// `tests/hostile.rs`, `carriage_return_line_ends_give_physical_lines`;
/// fixed).
const CANONICAL_LONE_CR_IN_HEADER: &[u8] =
    include_bytes!("fuzz_regressions/canonical_lone_cr_in_header.bin");

#[test]
fn canonical_lone_cr_in_header_keeps_the_invariants() {
    invariants::canonical(CANONICAL_LONE_CR_IN_HEADER);
}

#[test]
fn canonical_lone_cr_in_header_reports_rows_after_the_header() {
    let (&selector, content) = CANONICAL_LONE_CR_IN_HEADER.split_first().unwrap();
    let table = Table::ALL[(selector % 3) as usize];
    let mut loader = Loader::new().lenient(true);
    loader.read(table, table.file_name(), content).unwrap();
    let (_, report) = loader.finish();
    let lines: Vec<u64> = report.rejections().iter().map(|r| r.line()).collect();
    assert_eq!(lines, [2, 3, 4], "{:?}", report.rejections());
}

// ---------------------------------------------------------------------------
// A short fuzz run on every `cargo test`.

/// Pieces of CSV files: headers of each layout, separators, quotes, bytes
/// that are not UTF-8, values near the edges of each type.
const TOKENS: &[&[u8]] = &[
    b"date,origin,host,population,count,source",
    b"date,period_start,origin,host,kind,count,crossing,source",
    b"date,actor,actor_country,speaker,target_country,subject_country,stance,summary,source,url",
    b"year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,returned_idps,resettlement",
    b"Year,Country of origin,Country of origin (ISO),Country of asylum,Country of asylum (ISO),Refugees under UNHCR\xE2\x80\x99s mandate",
    b"#date+year,#country+code+origin,#country+code+asylum,#affected+refugees,#affected+returnees",
    b"#country+code,#adm+level,#affected+idps,#date+reported,#affected+idps+m,#affected+idps+f",
    b"#date,#country+code,#affected+idps",
    b"2023-12-31",
    b"2023-11-01",
    b"2024-02-29",
    b"2023-02-29",
    b"1900-01-01",
    b"2100-12-31",
    b"2023",
    b"2101",
    b"2023-06",
    b"2017-03-30T00:00:00",
    b"AFG",
    b"PAK",
    b"GFR",
    b"DEU",
    b"UNK",
    b"Afghanistan",
    b"Pakistn",
    b"refugees",
    b"deported",
    b"appeal",
    b"UNHCR",
    b"0",
    b"5",
    b"18446744073709551615",
    b"18446744073709551616",
    b"-",
    b"NA",
    b"1,200",
    b",",
    b",",
    b",",
    b"\n",
    b"\n",
    b"\r\n",
    b"\r",
    b"\"",
    b"\"\"",
    b" ",
    b"\0",
    b"\xFF",
    b"\xEF\xBB\xBF",
    b"\xC3",
];

/// A file made of tokens, most often after one of the headers.
fn token_soup() -> impl Strategy<Value = Vec<u8>> {
    let header = prop::option::weighted(0.8, prop::sample::select(&TOKENS[..8]));
    let body = prop::collection::vec(prop::sample::select(TOKENS), 0..120);
    (header, body).prop_map(|(header, tokens)| {
        let mut out = header.map(|h| [h, b"\n"].concat()).unwrap_or_default();
        out.extend(tokens.concat());
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn canonical_keeps_the_invariants_on_any_bytes(data in prop::collection::vec(any::<u8>(), 0..2000)) {
        invariants::canonical(&data);
    }

    #[test]
    fn canonical_keeps_the_invariants_on_token_soup(selector in any::<u8>(), soup in token_soup()) {
        let mut data = vec![selector];
        data.extend(soup);
        invariants::canonical(&data);
    }

    #[test]
    fn unhcr_keeps_the_invariants_on_any_bytes(data in prop::collection::vec(any::<u8>(), 0..2000)) {
        invariants::unhcr(&data);
    }

    #[test]
    fn unhcr_keeps_the_invariants_on_token_soup(selector in any::<u8>(), soup in token_soup()) {
        let mut data = vec![selector];
        data.extend(soup);
        invariants::unhcr(&data);
    }

    #[test]
    fn hxl_keeps_the_invariants_on_any_bytes(data in prop::collection::vec(any::<u8>(), 0..2000)) {
        invariants::hxl(&data);
    }

    #[test]
    fn hxl_keeps_the_invariants_on_token_soup(selector in any::<u8>(), soup in token_soup()) {
        let mut data = vec![selector];
        data.extend(soup);
        invariants::hxl(&data);
    }
}
