//! HXL read as libhxl (the Python reference library, 5.2) reads it: the
//! hashtag row, tags and tag patterns, each case with libhxl's answer
//! written out. Cases marked "libhxl's test suite" come from its tests
//! (`tests/test_model.py`, `tests/files/test_io`, public domain).

use refugee_data::{
    import_hxl, Error, HxlMapping, HxlTarget, ImportReport, Loader, PopulationType, ReturnKind,
    Table,
};

/// The line of the hashtag row that `import_hxl` finds in `csv`, if any.
fn hashtag_line(csv: &str) -> Option<u64> {
    // A date pattern that matches nothing: the import stops right after
    // finding the hashtag row, at its line.
    let mapping = HxlMapping::new("T").date("#nothing");
    match import_hxl(&mut Loader::new(), "t.csv", csv.as_bytes(), &mapping) {
        Err(Error::Format { line, message, .. }) if message.starts_with("date:") => Some(line),
        Err(Error::Format { message, .. }) if message.starts_with("no HXL hashtag row") => None,
        other => panic!("unexpected outcome for {csv:?}: {other:?}"),
    }
}

/// How many columns of the hashtag row `#date,#country+code,{cell}` the
/// measure pattern matches; `Err` with the message for a pattern that is
/// not valid.
fn matched_columns(pattern: &str, cell: &str) -> Result<usize, String> {
    let csv = format!("#date,#country+code,{cell}\n2020,AFG,7\n");
    let mapping = HxlMapping::new("T")
        .measure("#nothing", HxlTarget::Registrations(PopulationType::Idps))
        .measure("#nothing", HxlTarget::Deportations(ReturnKind::Returned))
        .measure(pattern, HxlTarget::Registrations(PopulationType::Refugees));
    match import_hxl(&mut Loader::new(), "t.csv", csv.as_bytes(), &mapping) {
        Ok(report) => Ok(report.registrations() as usize),
        Err(Error::Format { message, .. }) if message.starts_with("no measure column") => Ok(0),
        Err(Error::Format { message, .. }) => {
            // "measure refugees: #* matches 3 columns: ..."
            let several = message.split(" matches ").nth(1).and_then(|rest| {
                let (n, rest) = rest.split_once(' ')?;
                rest.starts_with("columns:").then(|| n.parse().ok())?
            });
            several.ok_or(message)
        }
        Err(e) => panic!("unexpected error for {pattern:?} {cell:?}: {e}"),
    }
}

/// Whether `pattern` matches the column tagged `cell` in a hashtag row (it
/// matches one column more than with an empty cell there).
fn matches(pattern: &str, cell: &str) -> Result<bool, String> {
    Ok(matched_columns(pattern, cell)? > matched_columns(pattern, "")?)
}

#[test]
fn whitespace_only_cells_are_empty_in_the_hashtag_row() {
    // libhxl: a cell that is empty or whitespace only (`str.isspace`) is not
    // counted, so one hashtag among blank cells is a hashtag row.
    for blank in ["  ", "\t", "\u{a0}", " \t\u{a0} ", "\u{3000}", "\u{2003}", "\u{202f}", "\u{1c}"]
    {
        let csv = format!("Org,A,B\n#org,{blank},{blank}\nx,y,z\n");
        assert_eq!(hashtag_line(&csv), Some(2), "blank cells {blank:?}");
    }
    // Not blank: text, and a zero-width space (not whitespace to libhxl).
    for cell in ["notes", "\u{200b}"] {
        let csv = format!("Org,A,B\n#org,{cell},{cell}\nx,y,z\n");
        assert_eq!(hashtag_line(&csv), None, "cells {cell:?}");
    }
    // A row of blanks only is no hashtag row.
    assert_eq!(hashtag_line("Org,A\n  ,\t\n#org,\nx,y\n"), Some(3));
}

#[test]
fn a_file_whose_tag_row_has_blank_cells_is_read() {
    // Three hashtags and four blank cells: libhxl's hashtag row.
    let csv = "Country,Date,IDPs,,,,\n\
               #country+code,#date,#affected+idps,  ,\t,\u{a0},\u{3000}\n\
               AFG,2020,5,,,,\n";
    let mut loader = Loader::new();
    let report =
        import_hxl(&mut loader, "idps.csv", csv.as_bytes(), &HxlMapping::new("T")).unwrap();
    assert_eq!((report.rows_read(), report.registrations()), (1, 1));
    assert!(report.skipped_columns().is_empty(), "{:?}", report.skipped_columns());
    let r = loader.finish().0.registrations().next().unwrap().clone();
    assert_eq!((r.date.to_string(), r.origin.alpha3(), r.count), ("2020-12-31".into(), "AFG", 5));
}

#[test]
fn tags_are_normalised_as_libhxl_normalises_them() {
    // (pattern, hashtag cell, libhxl's answer)
    let cases = [
        // Whitespace before `+`: any whitespace; after `+`: no hashtag.
        ("#org+code", "#org\u{a0}+code", true),
        ("#org+code", "#org\t+code", true),
        ("#org+code", "#org\u{3000}+code", true),
        ("#org+code", "#org \u{2003} +code", true),
        ("#org+code", "\u{a0}#org+code\u{a0}", true),
        ("#org+code", "#org+\u{a0}code", false),
        ("#org+code", "#org + code", false),
        // Full-width forms.
        ("#org+code", "＃ｏｒｇ＋ｃｏｄｅ", true),
        ("#org+code", "#ＯＲＧ+Ｃode", true),
        ("#adm1+name", "#adm１+name", true),
        // Accents, ligatures and letters without decomposition.
        ("#organizacion", "#organización", true),
        ("#poblacion+refugies", "#Población+Réfugiés", true),
        ("#strasse+ss", "#Straße+ß", true),
        ("#oeuvre+aesir", "#Œuvre+Æsir", true),
        ("#lodz+ost", "#Łódź+øst", true),
        ("#ete", "#e\u{301}te", true), // a combining acute accent
        ("#adm1+name", "#adm¹+name", true),
        // Invisible characters.
        ("#org", "#or\u{ad}g", true),   // soft hyphen
        ("#org", "\u{feff}#org", true), // byte-order mark
        ("#org", "#org\u{200b}", true), // zero-width space: a space
        ("#org+code", "#org\u{200b}+code", true),
        // Case.
        ("#Org+CODE", "#ORG+code", true),
        // Patterns take any whitespace, but are not transliterated.
        ("#org\u{a0}+code", "#org+code", true),
        ("\u{3000}#org\t+code\u{a0}!\u{2003}", "#org+code", true),
        ("\u{3000}#org\t+code\u{a0}!\u{2003}", "#org+code+v", false),
    ];
    for (pattern, cell, libhxl) in cases {
        assert_eq!(matches(pattern, cell), Ok(libhxl), "{pattern:?} on {cell:?}");
    }
    for pattern in ["＃org", "#organización", "#org+\u{a0}code"] {
        let err = matches(pattern, "#org").unwrap_err();
        assert!(err.contains("is not a tag pattern"), "{pattern:?}: {err}");
    }
}

#[test]
fn normalised_tags_find_the_hashtag_row() {
    // libhxl finds each of these rows (every cell a hashtag once normalised).
    for row in ["＃ｏｒｇ,＃ｓｅｃｔｏｒ", "#organización,#país", "#org\u{a0}+code,#adm1\t+name"]
    {
        let csv = format!("Org,Sector\n{row}\nx,y\n");
        assert_eq!(hashtag_line(&csv), Some(2), "{row:?}");
    }
}

#[test]
fn known_differences_from_libhxl() {
    // libhxl transliterates every script (unidecode): `#страна` is its
    // `#strana`, `#µ` its `#u`, `#a×b` its `#axb`. Here only whitespace,
    // full-width forms and Latin letters are normalised; other characters
    // make a cell no hashtag.
    assert_eq!(matches("#strana", "#страна"), Ok(false));
    assert_eq!(matches("#u", "#µ"), Ok(false));
    assert_eq!(hashtag_line("A,B\n#страна,#国家\nx,y\n"), None);
}

#[test]
fn a_period_start_is_skipped_when_only_registrations_are_read() {
    let csv = "Date,Start,Country,IDPs\n\
               #date,#date+start,#country+code,#affected+idps\n\
               2020-11-30,2020-12-05,AFG,6\n";
    let mut loader = Loader::new();
    let report =
        import_hxl(&mut loader, "idps.csv", csv.as_bytes(), &HxlMapping::new("T")).unwrap();
    assert_eq!((report.rows_read(), report.rows_rejected(), report.registrations()), (1, 0, 1));
    assert_eq!(report.skipped_columns(), ["#date+start"]);
    assert_eq!(
        report.to_string(),
        "idps.csv (HXL layout): 1 row read, 0 rejected; 1 registration, 0 deportation events; \
         skipped columns: #date+start"
    );
    let (ds, load) = loader.finish();
    assert_eq!(load.rejected(Table::Registrations), 0);
    let r = ds.registrations().next().unwrap();
    assert_eq!(
        (r.date.to_string(), r.origin.alpha3(), r.host.alpha3(), r.population, r.count),
        ("2020-11-30".into(), "AFG", "AFG", PopulationType::Idps, 6)
    );
    // A start the mapping names is not read for registrations either.
    let mapping = HxlMapping::new("T").period_start("#date+start");
    let report = import_hxl(&mut Loader::new(), "idps.csv", csv.as_bytes(), &mapping).unwrap();
    assert_eq!(
        (report.registrations(), report.skipped_columns()),
        (1, &["#date+start".into()][..])
    );
}

#[test]
fn a_period_start_is_read_for_deportation_events() {
    let csv = "Date,Start,Origin,Asylum,Returnees\n\
               #date,#date+start,#country+code+origin,#country+code+asylum,#affected+returnees\n\
               2020-11-30,2020-11-01,AFG,PAK,6\n\
               2020-11-30,2020-12-05,AFG,IRN,7\n";
    let mut loader = Loader::new().lenient(true);
    let report: ImportReport =
        import_hxl(&mut loader, "returns.csv", csv.as_bytes(), &HxlMapping::new("T")).unwrap();
    assert_eq!((report.deportations(), report.rows_rejected()), (1, 1));
    assert!(report.skipped_columns().is_empty());
    let (ds, load) = loader.finish();
    let d = ds.deportations().next().unwrap();
    assert_eq!(
        (d.period_start.map(|s| s.to_string()), d.date.to_string(), d.count),
        (Some("2020-11-01".into()), "2020-11-30".into(), 6)
    );
    let messages: Vec<String> = load.rejections().iter().map(|r| r.to_string()).collect();
    assert_eq!(
        messages,
        [
            r#"returns.csv:4: column "Start": "2020-12-05" is after date "2020-11-30" (expected period_start <= date)"#
        ]
    );
}

#[test]
fn what_already_agreed_still_agrees() {
    // libhxl's test suite, test_model.py TestPattern: the column #tag+foo+bar.
    let tag = "#tag+foo+bar";
    for (pattern, libhxl) in [
        ("#tag", true),
        ("#tagx", false),
        ("#tag+foo", true),
        ("#tag+xxx", false),
        ("#tag-xxx", true),
        ("#tag-foo", false),
        ("#Tag", true),
        ("#tag+fOO", true),
        ("*", true),
        ("*+foo", true),
        ("*-foo", false),
        ("*+xxx", false),
        ("tag+foo-xxx", true),
        ("   tag +foo  -xxx  ", true),
        ("tag-foo", false),
    ] {
        assert_eq!(matches(pattern, tag), Ok(libhxl), "{pattern:?}");
    }
    // test_absolute.
    assert!(matches("#foo+a-b!", "#foo+a").unwrap_err().contains("exclusions are not allowed"));
    for (cell, libhxl) in [("#foo+a", true), ("#foo", false), ("#foo+a+b", false)] {
        assert_eq!(matches("#foo+a!", cell), Ok(libhxl), "{cell:?}");
    }
    // test_parse_valid / test_parse_invalid.
    assert_eq!(matches("#foo+a+b", "#foo +a +b"), Ok(true));
    assert_eq!(matches("#foo", "#foo + a +b"), Ok(false));
    // tests/files/test_io: the hashtag row's line as libhxl finds it.
    let valid = ",Qué?,,¿Quién?,¿Para quién?,,¿Dónde?,,¿Cuándo?\n\
                 Registro,Sector/Cluster,Subsector,Organización,Hombres,Mujeres,País,Departamento/Provincia/Estado\n\
                 ,#sector+es,#subsector+es,#org+es,#targeted+f,#targeted+m,#country,#adm1,#date+reported\n\
                 001,WASH,Higiene,ACNUR,100,100,Panamá,Los Santos,1 March 2015\n";
    assert_eq!(hashtag_line(valid), Some(3)); // input-valid.csv
    let fuzzy =
        "Registro,Sector/Cluster,Subsector,Organización,Hombres,Mujeres,País,Departamento\n\
                 ,#sector+es,#subsector+es,#org+es,#targeted+f,#targeted+f,country,adm1\n\
                 001,WASH,Higiene,ACNUR,100,100,Panamá,Los Santos\n";
    assert_eq!(hashtag_line(fuzzy), Some(2)); // input-fuzzy.csv: 5 of 7
    let multiple = "Junk,Junk,Junk,Junk\n\
                    Org,No hashtag,Province,Number affected\n\
                    #org,,#adm1,#affected\n\
                    Org X,xxx,Coast, 100\n";
    assert_eq!(hashtag_line(multiple), Some(3)); // input-multiple-headers.csv
    let invalid = "Registro,Sector/Cluster,Subsector,Organización\n\
                   ,sector+es,subsector+es,org+es\n\
                   001,WASH,Higiene,ACNUR\n";
    assert_eq!(hashtag_line(invalid), None); // input-invalid.csv: tags without #
    assert_eq!(hashtag_line("#description\n\"Line 1\nLine 2\"\n"), Some(1)); // input-multiline.csv
}
