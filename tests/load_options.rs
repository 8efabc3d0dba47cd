//! Loader options: the field separator, the input's encoding, the tables a
//! directory load reads, and progress.

use std::sync::{Arc, Mutex};

use refugee_data::{Encoding, Error, Loader, Table};

const HEADER: &str = "date,origin,host,population,count,source";

fn load(
    loader: Loader,
    bytes: &[u8],
) -> Result<(refugee_data::Dataset, refugee_data::LoadReport), Error> {
    let mut loader = loader;
    loader.read(Table::Registrations, "registrations.csv", bytes)?;
    Ok(loader.finish())
}

#[test]
fn semicolon_files_load_with_the_delimiter_set() {
    let csv = "date;origin;host;population;count;source\n\
               2023-12-31;AFG;PAK;refugees;1987717;UNHCR\n\
               2023-12-31;AFG;IRN;refugees;\"3,1\";\"UNHCR; Iran\"\n";
    let (ds, report) = load(Loader::new().lenient(true).delimiter(b';'), csv.as_bytes()).unwrap();
    assert_eq!(report.loaded(Table::Registrations), 1);
    assert_eq!(
        report.rejections()[0].to_string(),
        "registrations.csv:3: column \"count\": \"3,1\" is not a count (expected a non-negative integer, digits only)"
    );
    let r = ds.registrations().next().unwrap();
    assert_eq!((r.host.alpha3(), r.count, r.source.as_str()), ("PAK", 1_987_717, "UNHCR"));
}

#[test]
fn tab_separated_files_load_with_the_delimiter_set() {
    let csv = "date\torigin\thost\tpopulation\tcount\tsource\n2023-12-31\tAFG\tPAK\trefugees\t7\tUNHCR, Pakistan\n";
    let (ds, _) = load(Loader::new().delimiter(b'\t'), csv.as_bytes()).unwrap();
    let r = ds.registrations().next().unwrap();
    assert_eq!((r.count, r.source.as_str()), (7, "UNHCR, Pakistan"));
}

#[test]
fn a_semicolon_header_read_with_commas_gets_a_hint() {
    let csv = "date;origin;host;population;count;source\n2023-12-31;AFG;PAK;refugees;5;UNHCR\n";
    let err = load(Loader::new(), csv.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "registrations.csv:1: missing required columns \"date\", \"origin\", \"host\", \"population\", \
         \"count\", \"source\" (header: date;origin;host;population;count;source); the header is one \
         column holding ';': if the file is separated by ';', set the delimiter to ';'"
    );
    // A comma file read with `;`: the same hint the other way round.
    let csv = format!("{HEADER}\n2023-12-31,AFG,PAK,refugees,5,UNHCR\n");
    let err = load(Loader::new().delimiter(b';'), csv.as_bytes()).unwrap_err();
    assert!(
        err.to_string().ends_with("; the header is one column holding ',': if the file is separated by ',', set the delimiter to ','"),
        "{err}"
    );
    // A header that is simply wrong gets no hint.
    let err = load(Loader::new(), b"date,origin\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "registrations.csv:1: missing required columns \"host\", \"population\", \"count\", \"source\" (header: date,origin)"
    );
}

#[test]
fn windows_1252_is_decoded_and_lines_are_exact() {
    // ô = 0xF4, € = 0x80 in Windows-1252; the third row is bad.
    let mut csv = format!("{HEADER}\n").into_bytes();
    csv.extend_from_slice(b"2023-12-31,C\xF4te d'Ivoire,FRA,refugees,5,UNHCR \x80 office\n");
    csv.extend_from_slice(b"2023-12-31,AFG,PAK,refugees,-1,UNHCR\n");
    for encoding in [Encoding::Windows1252, Encoding::Latin1] {
        let (ds, report) = load(Loader::new().lenient(true).encoding(encoding), &csv).unwrap();
        let r = ds.registrations().next().unwrap();
        assert_eq!((r.origin.alpha3(), r.source.as_str()), ("CIV", "UNHCR \u{20ac} office"));
        assert_eq!(
            report.rejections()[0].to_string(),
            "registrations.csv:3: column \"count\": \"-1\" is not a count (expected a non-negative integer, digits only)"
        );
    }
    // Read as UTF-8, the same bytes are a rejection, not a guess.
    let (_, report) = load(Loader::new().lenient(true), &csv).unwrap();
    assert_eq!(report.rejected(Table::Registrations), 2);
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if big_endian { &[0xFE, 0xFF] } else { &[0xFF, 0xFE] });
    }
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
    }
    out
}

#[test]
fn utf16_is_decoded_in_either_byte_order() {
    let csv =
        format!("{HEADER}\r\n2023-12-31,AFG,PAK,refugees,12,Gouvernement du Pakistan (é)\r\n");
    for (big_endian, bom) in [(false, true), (true, true), (false, false)] {
        let (ds, _) =
            load(Loader::new().encoding(Encoding::Utf16), &utf16(&csv, big_endian, bom)).unwrap();
        let r = ds.registrations().next().unwrap();
        assert_eq!(
            (r.count, r.source.as_str()),
            (12, "Gouvernement du Pakistan (é)"),
            "{big_endian} {bom}"
        );
    }
    // Without the option, a UTF-16 file is an error that says so.
    let err = load(Loader::new(), &utf16(&csv, false, true)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "registrations.csv:1: the file is UTF-16 (little-endian), not UTF-8 (save it as UTF-8)"
    );
}

#[test]
fn invalid_utf16_is_an_error_with_its_offset() {
    let mut bytes = utf16(&format!("{HEADER}\n2023-12-31,AFG,PAK,refugees,1,"), false, true);
    let at = bytes.len();
    bytes.extend_from_slice(&0xD800u16.to_le_bytes()); // a lone surrogate
    bytes.extend_from_slice(&utf16("x\n", false, false));
    let err = load(Loader::new().lenient(true).encoding(Encoding::Utf16), &bytes).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("registrations.csv: the bytes at offset {at} are not valid utf-16")
    );
}

#[test]
fn encoding_names_parse_and_print() {
    for e in Encoding::ALL {
        assert_eq!(e.name().parse::<Encoding>(), Ok(e));
        assert_eq!(e.to_string(), e.name());
    }
    assert_eq!("CP1252".parse::<Encoding>(), Ok(Encoding::Windows1252));
    assert_eq!("ISO-8859-1".parse::<Encoding>(), Ok(Encoding::Latin1));
    assert_eq!(
        "ebcdic".parse::<Encoding>(),
        Err("unknown encoding \"ebcdic\" (expected utf-8, windows-1252, latin1 or utf-16)"
            .to_string())
    );
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rd-load-options-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_directory_load_reads_only_the_tables_asked_for() {
    let dir = temp_dir("tables");
    std::fs::write(
        dir.join("registrations.csv"),
        format!("{HEADER}\n2023-12-31,AFG,PAK,refugees,5,UNHCR\n"),
    )
    .unwrap();
    std::fs::write(dir.join("deportations.csv"), "not,a,valid,header\n").unwrap();
    // Asked for registrations only, the broken deportations file is not read.
    let mut loader = Loader::new().tables(&[Table::Registrations]);
    loader.read_dir(&dir).unwrap();
    let (ds, report) = loader.finish();
    assert_eq!((ds.len(Table::Registrations), report.rows_read(Table::Deportations)), (1, 0));
    // Asked for all, it is.
    let err = Loader::new().read_dir(&dir).unwrap_err();
    assert!(err.to_string().starts_with("deportations.csv:1: missing required columns"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn progress_reaches_the_file_size_and_never_goes_back() {
    let dir = temp_dir("progress");
    let mut csv = format!("{HEADER}\n");
    for day in 1..=28 {
        for host in ["PAK", "IRN", "TUR", "DEU"] {
            for i in 0..400 {
                csv.push_str(&format!(
                    "2023-02-{day:02},AFG,{host},refugees,{i},UNHCR {i:05} with a long name\n"
                ));
            }
        }
    }
    std::fs::write(dir.join("registrations.csv"), &csv).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let mut loader =
        Loader::new().on_progress(move |t, read, size| log.lock().unwrap().push((t, read, size)));
    loader.read_dir(&dir).unwrap();
    assert_eq!(loader.finish().0.len(Table::Registrations), 28 * 4 * 400);
    let seen = seen.lock().unwrap();
    let size = csv.len() as u64;
    assert!(size > 2 << 20, "the file spans several steps");
    assert_eq!(seen.first(), Some(&(Table::Registrations, 0, size)));
    assert_eq!(seen.last(), Some(&(Table::Registrations, size, size)));
    assert!(seen.len() >= 3);
    assert!(seen.windows(2).all(|w| w[0].1 <= w[1].1 && w[1].1 - w[0].1 <= (1 << 20) + (1 << 16)));
    std::fs::remove_dir_all(&dir).unwrap();
}
