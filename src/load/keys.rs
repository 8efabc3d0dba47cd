//! The duplicate keys of the three tables: each row's typed key columns
//! packed into 128 bits, every field at full width.

use crate::dataset::NO_DAY;
use crate::record::Day;
use crate::{Country, Dataset, PopulationType, ReturnKind, Stance, Table};

/// Day number of 1900-01-01: dates in keys are stored as days since then (17 bits).
const DAY_1900: Day = -25_567;

// Each key below gives every field the bits it needs: 17 bits a day of
// 1900..=2100, 9 or 16 bits a country id, 2, 3 or 8 bits a vocabulary value,
// 32 bits an interned text id. These assertions fail the build if a table or
// a vocabulary outgrows its field.
const _: () = {
    let days = crate::record::days_from_civil(2100, 12, 31) - DAY_1900;
    assert!(days >= 0 && days < 1 << 17);
    assert!(Country::COUNT <= 1 << 9);
    assert!(ReturnKind::LABELS.len() <= 1 << 2);
    assert!(Stance::LABELS.len() <= 1 << 3);
    assert!(PopulationType::LABELS.len() <= 1 << 8);
};

fn key_day(d: Day) -> u128 {
    (d - DAY_1900) as u128
}

pub(super) fn registration_key(ds: &Dataset, row: u32) -> u128 {
    let c = &ds.registrations;
    let i = row as usize;
    key_day(c.date[i])
        | (c.origin[i] as u128) << 17
        | (c.host[i] as u128) << 33
        | (c.population[i] as u128) << 49
        | (c.source[i] as u128) << 57
}

fn deportation_key(ds: &Dataset, row: u32) -> u128 {
    let c = &ds.deportations;
    let i = row as usize;
    let start = if c.period_start[i] == NO_DAY { c.date[i] } else { c.period_start[i] };
    key_day(c.date[i])
        | key_day(start) << 17
        | (c.origin[i] as u128) << 34
        | (c.host[i] as u128) << 43
        | (c.kind[i] as u128) << 52
        | (c.crossing[i] as u128) << 54
        | (c.source[i] as u128) << 86
}

fn statement_key(ds: &Dataset, row: u32) -> u128 {
    let c = &ds.statements;
    let i = row as usize;
    key_day(c.date[i])
        | (c.stance[i] as u128) << 17
        | (c.actor[i] as u128) << 20
        | (c.speaker[i] as u128) << 52
        | (c.summary[i] as u128) << 84
}

pub(super) fn key_of(table: Table) -> fn(&Dataset, u32) -> u128 {
    match table {
        Table::Registrations => registration_key,
        Table::Deportations => deportation_key,
        Table::Statements => statement_key,
    }
}

pub(super) fn key_names(table: Table) -> &'static str {
    match table {
        Table::Registrations => "date, origin, host, population and source",
        Table::Deportations => "date, period_start, origin, host, kind, crossing and source",
        Table::Statements => "date, actor, speaker, stance and summary",
    }
}
