//! Short recipes for common tasks.
//!
//! Each recipe is a doc test on [`Dataset::sample`](crate::Dataset::sample)
//! or on a few lines of inline CSV, and checks real values. For a slower
//! introduction see the [`tutorial`](crate::tutorial); for the rules, the
//! file `CONTRACT.md` at the root of the repository.
//!
//! # Contents
//!
//! * [Count rejections by problem](#count-rejections-by-problem)
//! * [Write a dataset back](#write-a-dataset-back)
//! * [Filter by region](#filter-by-region)
//! * [Compare flows to a stock](#compare-flows-to-a-stock)
//! * [Flows around statements](#flows-around-statements)
//! * [Read typed records](#read-typed-records)
//! * [Handle a source conflict](#handle-a-source-conflict)
//!
//! # Count rejections by problem
//!
//! Load leniently, then tally [`Rejection::problem`](crate::Rejection::problem).
//! [`Problem`](crate::Problem) may grow new variants, so keep a catch-all arm.
//!
//! ```
//! use std::collections::BTreeMap;
//! use refugee_data::{Loader, Problem, Table};
//!
//! let csv = "\
//! date,origin,host,kind,count,source
//! 2023-11-01,AFG,PAK,deported,17000,Government of Pakistan
//! 2023-11-01,Afghanistan,Pakistan,Deported,17000,Government of Pakistan
//! 2023-11-02,AFG,PAK,expelled,900,Government of Pakistan
//! 2023-11-03,AFG,PAK,deported,about 500,Government of Pakistan
//! 2023-11-04,AFG,PAK,deported,1e3,Government of Pakistan
//! 2023-11-05,Korea,PAK,deported,4,Government of Pakistan
//! ";
//! let mut loader = Loader::new().lenient(true);
//! loader.read(Table::Deportations, "deportations.csv", csv.as_bytes())?;
//! let (_, report) = loader.finish();
//!
//! let mut by_problem: BTreeMap<&str, usize> = BTreeMap::new();
//! for r in report.rejections() {
//!     let name = match r.problem() {
//!         Problem::Duplicate { .. } => "duplicate",
//!         Problem::NotACount | Problem::CountTooLarge => "count",
//!         Problem::UnknownCountry(_) => "country",
//!         Problem::UnknownValue { .. } => "vocabulary",
//!         _ => "other",
//!     };
//!     *by_problem.entry(name).or_default() += 1;
//! }
//! assert_eq!(by_problem, BTreeMap::from([("count", 2), ("country", 1), ("duplicate", 1), ("vocabulary", 1)]));
//! assert_eq!(report.loaded(Table::Deportations) + report.rejected(Table::Deportations), 6);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Write a dataset back
//!
//! [`Dataset::write_csv`](crate::Dataset::write_csv) writes one table in
//! canonical form: every column in contract order, countries as alpha-3,
//! vocabularies in lower case, the `reference` kept.
//! ([`Dataset::write_dir`](crate::Dataset::write_dir) writes all three files
//! into a directory.)
//!
//! ```
//! use refugee_data::{Loader, Table};
//!
//! let csv = "\
//! source,count,population,host,origin,date,reference
//! UNHCR,1987717,Refugees,Pakistan,Afghanistan,2023-12-31,UNHCR year-end table
//! Government of Pakistan,1304000,refugees,PK,AF,2023-11-09,
//! ";
//! let mut loader = Loader::new();
//! loader.read(Table::Registrations, "registrations.csv", csv.as_bytes())?;
//! let (data, _) = loader.finish();
//!
//! let mut out = Vec::new();
//! data.write_csv(Table::Registrations, &mut out)?;
//! assert_eq!(String::from_utf8(out)?, "\
//! date,origin,host,population,count,source,reference
//! 2023-12-31,AFG,PAK,refugees,1987717,UNHCR,UNHCR year-end table
//! 2023-11-09,AFG,PAK,refugees,1304000,Government of Pakistan,
//! ");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Filter by region
//!
//! The region dimensions (`HostRegion`, `OriginRegion`: UNHCR's regional
//! bureaux; `HostSubregion`, `OriginSubregion`: UN M49 sub-regions) group and
//! filter like any other; names match without regard to case.
//!
//! ```
//! use refugee_data::{Dataset, Dimension, Query};
//!
//! // Afghan refugees in the countries of Southern Asia, end of 2023.
//! let q = Query::registrations()
//!     .by(Dimension::Host)
//!     .filter(Dimension::Origin, ["AFG"])
//!     .filter(Dimension::HostSubregion, ["southern asia"])
//!     .filter(Dimension::Population, ["refugees"])
//!     .filter(Dimension::Source, ["UNHCR"])
//!     .as_of("2023-12-31".parse()?);
//! let result = Dataset::sample().query(&q)?;
//! let hosts: Vec<(&str, u64)> = result.rows().map(|r| (r.key(0), r.value(0))).collect();
//! assert_eq!(hosts, [
//!     ("AFG", 0), ("BGD", 0), ("IND", 10_109), ("IRN", 3_752_317),
//!     ("LKA", 53), ("NPL", 34), ("PAK", 1_987_717),
//! ]);
//!
//! // In UNHCR's Europe bureau, by sub-region.
//! let q = Query::registrations()
//!     .by(Dimension::HostSubregion)
//!     .filter(Dimension::Origin, ["AFG"])
//!     .filter(Dimension::HostRegion, ["Europe"])
//!     .filter(Dimension::Population, ["refugees"])
//!     .filter(Dimension::Source, ["UNHCR"])
//!     .as_of("2023-12-31".parse()?);
//! let result = Dataset::sample().query(&q)?;
//! let west = result.rows().find(|r| r.key(0) == "Western Europe").unwrap();
//! assert_eq!(west.value(0), 414_539);
//!
//! // An unknown region is an error that lists the valid ones.
//! let q = Query::registrations().filter(Dimension::HostRegion, ["Asia"]);
//! assert!(Dataset::sample().query(&q).unwrap_err().to_string().contains("\"Asia and the Pacific\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Compare flows to a stock
//!
//! [`Query::per_stock`](crate::Query::per_stock) puts beside each flow row
//! the stock of one source as of the day before the row's bucket, and the
//! flow per 1,000 of it. The stock follows the row's origin and host.
//!
//! ```
//! use refugee_data::{Dataset, Dimension, Query};
//!
//! let q = Query::deportations()
//!     .by(Dimension::Year)
//!     .by(Dimension::Host)
//!     .filter(Dimension::Origin, ["AFG"])
//!     .filter(Dimension::Host, ["IRN", "PAK"])
//!     .filter(Dimension::Kind, ["returned"])
//!     .filter(Dimension::Source, ["UNHCR"])
//!     .from("2024-01-01".parse()?)
//!     .to("2024-12-31".parse()?)
//!     .per_stock(["refugees"], "UNHCR");
//! let result = Dataset::sample().query(&q)?;
//! assert_eq!(result.columns(), ["year", "host", "persons", "records", "stock", "per_1000"]);
//! let rows: Vec<(&str, u64, Option<u64>, Option<u64>)> =
//!     result.rows().map(|r| (r.key(1), r.value(0), r.stock(), r.per_1000())).collect();
//! assert_eq!(rows, [
//!     ("IRN", 237_452, Some(3_752_317), Some(63)),
//!     ("PAK", 126_812, Some(1_987_717), Some(63)),
//! ]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Flows around statements
//!
//! A [`Window`](crate::Window) sums the flows in the N days before and the N
//! days from each matching statement. Here: the Khyber Pakhtunkhwa
//! department's counts in the week around each criticism addressed to
//! Pakistan.
//!
//! ```
//! use refugee_data::{Dataset, Dimension, Window};
//!
//! let w = Window::new(7)
//!     .statements(Dimension::Stance, ["criticize"])
//!     .statements(Dimension::TargetCountry, ["Pakistan"])
//!     .flows(Dimension::Origin, ["AFG"])
//!     .flows(Dimension::Host, ["PAK"])
//!     .flows(Dimension::Source, ["KP Home & Tribal Affairs Department"]);
//! let result = Dataset::sample().window(&w)?;
//! assert_eq!(result.len(), 7);
//! let unhcr = result.rows().find(|r| r.key(0) == "2023-11-21").unwrap();
//! assert_eq!(unhcr.key(1), "UNHCR");
//! // persons_before, persons_after, change
//! assert_eq!((unhcr.value(0), unhcr.value(1), unhcr.change()), (227_731, 18_773, Some(-208_958)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Without the flow source filter this window is refused: several
//! organisations counted the same returns in those weeks, and the conflict
//! names the statement's day as its group.
//!
//! # Read typed records
//!
//! [`Dataset::registrations`](crate::Dataset::registrations),
//! [`deportations`](crate::Dataset::deportations) and
//! [`statements`](crate::Dataset::statements) iterate over typed records,
//! for anything a query does not do.
//!
//! ```
//! use refugee_data::{Dataset, ReturnKind, Stance};
//!
//! let data = Dataset::sample();
//!
//! // Everything the KP department counted at Torkham, all kinds.
//! let torkham: u64 = data
//!     .deportations()
//!     .filter(|d| d.source == "KP Home & Tribal Affairs Department")
//!     .filter(|d| d.crossing.as_deref() == Some("Torkham"))
//!     .map(|d| d.count)
//!     .sum();
//! assert_eq!(torkham, 269_044);
//!
//! // The longest period among the reported flows, with its first day.
//! let longest = data
//!     .deportations()
//!     .filter(|d| d.kind == ReturnKind::Returned && d.source == "Border Consortium")
//!     .max_by_key(|d| d.date - d.first_day())
//!     .unwrap();
//! assert_eq!((longest.first_day().to_string(), longest.date.to_string(), longest.count),
//!            ("2023-11-19".to_string(), "2024-06-15".to_string(), 292_000));
//!
//! // Statements with their CAMEO root codes.
//! let first = data.statements().find(|s| s.stance == Stance::Criticize).unwrap();
//! assert_eq!((first.date.to_string(), first.stance.cameo_root()), ("2023-10-04".to_string(), "11"));
//! assert_eq!(first.actor_country.map(|c| c.alpha3()), Some("AFG"));
//! ```
//!
//! # Handle a source conflict
//!
//! [`Error::SourceAmbiguity`](crate::Error::SourceAmbiguity) holds a
//! [`SourceConflict`](crate::SourceConflict): the origin and host, the
//! population (stocks) or kind (flows), the output group, and the two
//! sources. A program can read it and retry with one source:
//!
//! ```
//! use refugee_data::{Dataset, Dimension, Error, PopulationType, Query, ReturnKind};
//!
//! let data = Dataset::sample();
//!
//! // A stock counted by two organisations.
//! let q = Query::registrations()
//!     .filter(Dimension::Origin, ["AFG"])
//!     .filter(Dimension::Host, ["PAK"])
//!     .filter(Dimension::Population, ["refugees"])
//!     .as_of("2023-12-31".parse()?);
//! let conflict = match data.query(&q) {
//!     Err(Error::SourceAmbiguity(c)) => c,
//!     other => panic!("expected a conflict, got {other:?}"),
//! };
//! assert_eq!((conflict.origin.alpha3(), conflict.host.alpha3()), ("AFG", "PAK"));
//! assert_eq!(conflict.population, Some(PopulationType::Refugees));
//! assert_eq!(conflict.kind, None);
//! assert!(conflict.group.is_empty()); // no dimensions
//! assert_eq!(conflict.sources, ["Government of Pakistan", "UNHCR"]);
//!
//! // Retry with the second source.
//! let retry = q.filter(Dimension::Source, [conflict.sources[1].as_str()]);
//! assert_eq!(data.query(&retry)?.rows().next().unwrap().value(0), 1_987_717);
//!
//! // A flow counted by two organisations, in one month.
//! let q = Query::deportations()
//!     .by(Dimension::Month)
//!     .filter(Dimension::Origin, ["AFG"])
//!     .filter(Dimension::Host, ["PAK"])
//!     .from("2023-10-01".parse()?)
//!     .to("2023-10-31".parse()?);
//! let Err(Error::SourceAmbiguity(conflict)) = data.query(&q) else {
//!     panic!("expected a conflict");
//! };
//! assert_eq!(conflict.kind, Some(ReturnKind::Returned));
//! assert_eq!(conflict.group, [(Dimension::Month, "2023-10".to_string())]);
//! assert_eq!(conflict.sources, ["Government of Pakistan", "Pakistani immigration officials at Torkham"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
