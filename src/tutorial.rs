//! A guided walk through the crate, on the sample data and on small files of
//! your own.
//!
//! Every example below is a doc test: it runs as written and checks the real
//! figures. The rules behind each step are stated in full in `CONTRACT.md`
//! at the root of the repository.
//!
//! # Contents
//!
//! 1. [The sample](#1-the-sample)
//! 2. [A stock: how many are there?](#2-a-stock-how-many-are-there)
//! 3. [A flow: how many left, and who counted?](#3-a-flow-how-many-left-and-who-counted)
//! 4. [Derived columns: change and running totals](#4-derived-columns-change-and-running-totals)
//! 5. [Your own files, and their rejections](#5-your-own-files-and-their-rejections)
//! 6. [Importing UNHCR's files](#6-importing-unhcrs-files)
//!
//! # 1. The sample
//!
//! The crate embeds a sample of real, sourced figures on people of Afghan
//! origin: UNHCR's stocks of Afghans in every host country since 2000, the
//! returns of 2023-2024 as several organisations counted them, and thirty
//! public statements. [`Dataset::sample`](crate::Dataset::sample) gives it,
//! anywhere, without reading a file:
//!
//! ```
//! use refugee_data::{Dataset, Table};
//!
//! let data = Dataset::sample();
//! assert_eq!(data.len(Table::Registrations), 14_068);
//! assert_eq!(data.len(Table::Deportations), 2_211);
//! assert_eq!(data.len(Table::Statements), 30);
//!
//! let (first, last) = data.date_range(Table::Statements).unwrap();
//! assert_eq!((first.to_string(), last.to_string()), ("2023-10-03".into(), "2024-05-08".into()));
//! ```
//!
//! The records are typed: a country is a [`Country`](crate::Country), a
//! population a [`PopulationType`](crate::PopulationType), a count a `u64`.
//!
//! ```
//! use refugee_data::{Dataset, PopulationType};
//!
//! let r = Dataset::sample()
//!     .registrations()
//!     .find(|r| r.population == PopulationType::Undocumented)
//!     .unwrap();
//! assert_eq!((r.origin.name(), r.host.alpha3()), ("Afghanistan", "PAK"));
//! assert_eq!((r.date.to_string(), r.count), ("2023-10-03".to_string(), 1_730_000));
//! assert_eq!(r.source, "Government of Pakistan");
//! ```
//!
//! # 2. A stock: how many are there?
//!
//! A registration is a *stock*: a number of people on a date. "How many
//! Afghan refugees were in Pakistan at the end of 2023?" is a snapshot **as
//! of** a day: each series (origin, host, population, source) gives its
//! latest figure on or before that day.
//!
//! ```
//! use refugee_data::{Dataset, Dimension, Query};
//!
//! let q = Query::registrations()
//!     .filter(Dimension::Origin, ["Afghanistan"])
//!     .filter(Dimension::Host, ["Pakistan"])
//!     .filter(Dimension::Population, ["refugees"])
//!     .filter(Dimension::Source, ["UNHCR"])
//!     .as_of("2023-12-31".parse()?);
//! let result = Dataset::sample().query(&q)?;
//! assert_eq!(result.rows().next().unwrap().value(0), 1_987_717);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A stock is never summed over time. Grouped by a time dimension, each
//! bucket takes each series' *latest* figure inside it: UNHCR published a
//! mid-2023 and an end-2023 figure, so the two quarters that hold them each
//! show their own, and the other quarters, without a figure, are absent
//! (nothing is carried forward):
//!
//! ```
//! use refugee_data::{Dataset, Dimension, Query};
//!
//! let q = Query::registrations()
//!     .by(Dimension::Quarter)
//!     .filter(Dimension::Origin, ["AFG"])
//!     .filter(Dimension::Host, ["PAK"])
//!     .filter(Dimension::Population, ["refugees"])
//!     .filter(Dimension::Source, ["UNHCR"])
//!     .from("2023-01-01".parse()?)
//!     .to("2023-12-31".parse()?);
//! let result = Dataset::sample().query(&q)?;
//! let quarters: Vec<(&str, u64)> = result.rows().map(|r| (r.key(0), r.value(0))).collect();
//! assert_eq!(quarters, [("2023-Q2", 2_079_989), ("2023-Q4", 1_987_717)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Why filter on `UNHCR`? Because the sample also holds the Government of
//! Pakistan's count of the same refugees. Without the filter the query is an
//! error, not a sum of the two (see section 3). With `source` as a dimension,
//! each organisation's figure stands beside the other's:
//!
//! ```
//! use refugee_data::{Dataset, Dimension, Query};
//!
//! let q = Query::registrations()
//!     .by(Dimension::Source)
//!     .filter(Dimension::Origin, ["AFG"])
//!     .filter(Dimension::Host, ["PAK"])
//!     .filter(Dimension::Population, ["refugees"])
//!     .as_of("2023-12-31".parse()?);
//! let result = Dataset::sample().query(&q)?;
//! let by_source: Vec<(&str, u64)> = result.rows().map(|r| (r.key(0), r.value(0))).collect();
//! assert_eq!(by_source, [("Government of Pakistan", 1_304_000), ("UNHCR", 1_987_717)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # 3. A flow: how many left, and who counted?
//!
//! A deportation event is a *flow*: people who moved over a day or a
//! period. Flows are added over time, each into the bucket of its last day.
//! UNHCR's yearly refugee returns from Pakistan (kind `returned`: UNHCR also
//! reports other kinds of movement, which a flow query would add in):
//!
//! ```
//! use refugee_data::{Dataset, Dimension, Query};
//!
//! let q = Query::deportations()
//!     .by(Dimension::Year)
//!     .filter(Dimension::Origin, ["AFG"])
//!     .filter(Dimension::Host, ["PAK"])
//!     .filter(Dimension::Kind, ["returned"])
//!     .filter(Dimension::Source, ["UNHCR"])
//!     .from("2022-01-01".parse()?)
//!     .to("2024-12-31".parse()?);
//! let result = Dataset::sample().query(&q)?;
//! let years: Vec<(&str, u64)> = result.rows().map(|r| (r.key(0), r.value(0))).collect();
//! assert_eq!(years, [("2022", 6_039), ("2023", 56_797), ("2024", 126_812)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! In the autumn of 2023 many organisations counted the same people leaving
//! Pakistan: the government, the Khyber Pakhtunkhwa home department, IOM,
//! UNHCR, officials at one crossing. Added together, the same people would be
//! counted several times. So a query that would add two organisations' counts
//! of one flow in one output row is refused with
//! [`Error::SourceAmbiguity`](crate::Error::SourceAmbiguity), which names
//! them:
//!
//! ```
//! use refugee_data::{Dataset, Dimension, Error, Query};
//!
//! let q = Query::deportations()
//!     .by(Dimension::Month)
//!     .filter(Dimension::Origin, ["AFG"])
//!     .filter(Dimension::Host, ["PAK"])
//!     .from("2023-09-01".parse()?)
//!     .to("2023-12-31".parse()?);
//! let err = Dataset::sample().query(&q).unwrap_err();
//! assert!(matches!(err, Error::SourceAmbiguity(_)));
//! assert!(err.to_string().starts_with(
//!     "two sources for one flow would be added: deportations of kind returned \
//!      of origin AFG from host PAK in group month=2023-10"
//! ));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Choose: one source, or `source` as a dimension. The Khyber Pakhtunkhwa
//! department's counts, by kind (its periods are disjoint, so nothing is
//! counted twice):
//!
//! ```
//! use refugee_data::{Dataset, Dimension, Query};
//!
//! let q = Query::deportations()
//!     .by(Dimension::Kind)
//!     .filter(Dimension::Origin, ["AFG"])
//!     .filter(Dimension::Host, ["PAK"])
//!     .filter(Dimension::Source, ["KP Home & Tribal Affairs Department"]);
//! let result = Dataset::sample().query(&q)?;
//! let kinds: Vec<(&str, u64, u64)> =
//!     result.rows().map(|r| (r.key(0), r.value(0), r.value(1))).collect();
//! // (kind, persons, records)
//! assert_eq!(kinds, [("deported", 1_017, 4), ("returned", 272_953, 18)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # 4. Derived columns: change and running totals
//!
//! [`Derived::Change`](crate::Derived::Change) adds the difference from the
//! same group's previous bucket; it is the right way to see a stock move.
//! [`Derived::Cumulative`](crate::Derived::Cumulative) adds a running total,
//! for flows and statements only (a stock has none).
//!
//! ```
//! use refugee_data::{Dataset, Derived, Dimension, Query};
//!
//! let q = Query::registrations()
//!     .by(Dimension::Year)
//!     .filter(Dimension::Origin, ["AFG"])
//!     .filter(Dimension::Host, ["PAK"])
//!     .filter(Dimension::Population, ["refugees"])
//!     .filter(Dimension::Source, ["UNHCR"])
//!     .from("2022-01-01".parse()?)
//!     .to("2024-12-31".parse()?)
//!     .with(Derived::Change);
//! let result = Dataset::sample().query(&q)?;
//! let rows: Vec<(&str, u64, Option<i128>)> =
//!     result.rows().map(|r| (r.key(0), r.value(0), r.change())).collect();
//! assert_eq!(rows, [
//!     ("2022", 1_743_278, None), // no 2021 row in this result
//!     ("2023", 1_987_717, Some(244_439)),
//!     ("2024", 1_559_964, Some(-427_753)),
//! ]);
//!
//! // Statements by month, with their running total.
//! let q = Query::statements().by(Dimension::Month).with(Derived::Cumulative);
//! let result = Dataset::sample().query(&q)?;
//! let last = result.rows().last().unwrap();
//! assert_eq!((last.key(0), last.value(0), last.cumulative()), ("2024-05", 2, Some(30)));
//!
//! // A stock has no running total.
//! let q = Query::registrations().by(Dimension::Year).with(Derived::Cumulative);
//! assert!(Dataset::sample().query(&q).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # 5. Your own files, and their rejections
//!
//! [`Dataset::load_dir`](crate::Dataset::load_dir) and
//! [`Dataset::load_dir_lenient`](crate::Dataset::load_dir_lenient) read a
//! directory of canonical files; a [`Loader`](crate::Loader) reads from any
//! reader, here a string. Columns are found by name, countries in any common
//! spelling. A **lenient** loader keeps every good row and reports every bad
//! one, with its file, line, column and value:
//!
//! ```
//! use refugee_data::{Loader, Problem, Table};
//!
//! let csv = "\
//! date,origin,host,population,count,source,reference
//! 2023-12-31,Afghanistan,Pakistan,Refugees,1987717,UNHCR,UNHCR year-end table
//! 2023-12-31,AFG,IRN,refugees,\"3,752,317\",UNHCR,
//! 2023-06-31,AFG,DEU,refugees,255077,UNHCR,
//! 2023-12-31,AFG,PAK,refugees,1987717,UNHCR,copied from a newspaper
//! ";
//! let mut loader = Loader::new().lenient(true);
//! loader.read(Table::Registrations, "registrations.csv", csv.as_bytes())?;
//! let (data, report) = loader.finish();
//!
//! // Every row is accounted for.
//! assert_eq!(report.rows_read(Table::Registrations), 4);
//! assert_eq!(report.loaded(Table::Registrations), 1);
//! assert_eq!(report.rejected(Table::Registrations), 3);
//!
//! let messages: Vec<String> = report.rejections().iter().map(|r| r.to_string()).collect();
//! assert_eq!(messages, [
//!     r#"registrations.csv:3: column "count": "3,752,317" is not a count (expected a non-negative integer, digits only)"#,
//!     r#"registrations.csv:4: column "date": "2023-06-31" is not a calendar date (expected YYYY-MM-DD)"#,
//!     "registrations.csv:5: duplicate of line 2 (same date, origin, host, population and source)",
//! ]);
//!
//! // The parts of a rejection, for programs.
//! let r = &report.rejections()[0];
//! assert_eq!((r.file(), r.line(), r.column(), r.value()),
//!            ("registrations.csv", 3, Some("count"), Some("3,752,317")));
//! assert_eq!(r.problem(), &Problem::NotACount);
//!
//! // The record kept is typed and canonical.
//! let kept = data.registrations().next().unwrap();
//! assert_eq!((kept.host.alpha3(), kept.population.as_str()), ("PAK", "refugees"));
//! assert_eq!(kept.reference.as_deref(), Some("UNHCR year-end table"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A **strict** loader (the default) stops at the first such row and returns
//! it as [`Error::Rejected`](crate::Error::Rejected). Flows get one more
//! check: two rows of one series (origin, host, kind, crossing, source) whose
//! periods share a day would count the same people twice, and the later one
//! is rejected:
//!
//! ```
//! use refugee_data::{Error, Loader, Table};
//!
//! let csv = "\
//! date,period_start,origin,host,kind,count,source
//! 2023-11-03,2023-09-15,AFG,PAK,returned,165000,IOM DTM
//! 2023-11-30,2023-09-15,AFG,PAK,returned,450000,IOM DTM
//! ";
//! let err = Loader::new()
//!     .read(Table::Deportations, "deportations.csv", csv.as_bytes())
//!     .unwrap_err();
//! assert!(matches!(err, Error::Rejected(_)));
//! assert_eq!(err.to_string(), "deportations.csv:3: period 2023-09-15..2023-11-30 overlaps \
//!     line 2 (2023-09-15..2023-11-03) of the same series (AFG, PAK, returned, \"\", \"IOM DTM\"): \
//!     the same people would be counted twice");
//! ```
//!
//! Those two rows are running totals ("450,000 since 15 September"). Written
//! as flows, the second covers only the days after the first:
//! `2023-11-30,2023-11-04,...,285000`.
//!
//! # 6. Importing UNHCR's files
//!
//! UNHCR's population statistics (the API, the R package `refugees`, the
//! Refugee Data Finder download, the HDX copy) are read by
//! [`import_unhcr`](crate::import_unhcr) into the same loader, with the same
//! rejections. Each stock cell becomes a registration dated 31 December; a
//! series that disappears the next year gets a closing zero, so that a
//! snapshot never carries it forward; returned refugees become flows of kind
//! `returned`. UNHCR's own country codes (`GFR` is Germany) are read in its
//! `coo`/`coa` columns only, and checked against the ISO columns.
//!
//! ```
//! use refugee_data::{import_unhcr, Dimension, Loader, Query, UnhcrOptions};
//!
//! let population_csv = "\
//! year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees
//! 2022,Afghanistan,AFG,AFG,Bangladesh,BGD,BGD,5,0,0
//! 2022,Afghanistan,AFG,AFG,Germany,GFR,DEU,180095,44325,4
//! 2023,Afghanistan,AFG,AFG,Germany,GFR,DEU,255077,44781,0
//! ";
//! let mut loader = Loader::new();
//! let report = import_unhcr(&mut loader, "population.csv", population_csv.as_bytes(),
//!                           &UnhcrOptions::new())?;
//! assert_eq!(report.closing_zeros(), 2); // Bangladesh is absent from 2023
//! let (data, _) = loader.finish();
//!
//! let q = Query::registrations()
//!     .by(Dimension::Host)
//!     .filter(Dimension::Population, ["refugees"])
//!     .as_of("2023-12-31".parse()?);
//! let result = data.query(&q)?;
//! let hosts: Vec<(&str, u64)> = result.rows().map(|r| (r.key(0), r.value(0))).collect();
//! assert_eq!(hosts, [("BGD", 0), ("DEU", 255_077)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The command line does the same with files on disk:
//! `refugee-data import unhcr population.csv --out my-data`, then
//! `refugee-data query registrations --data my-data ...`.
//!
//! Next: the [`cookbook`](crate::cookbook) has short recipes for common
//! tasks.
