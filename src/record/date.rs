//! Dates as day numbers: the hand-written `YYYY-MM-DD` parser of the fast
//! path, and the conversions between day numbers and chrono's dates.
//!
//! Calendar arithmetic is chrono's, but for [`days_from_civil`] (see there).

use chrono::{Datelike, NaiveDate};

/// A calendar day as a number of days since 1970-01-01.
pub(crate) type Day = i32;

/// The first and last years the contract accepts.
pub(crate) const MIN_YEAR: i32 = 1900;
pub(crate) const MAX_YEAR: i32 = 2100;

/// 1970-01-01 as chrono counts days from the common era (0001-01-01 is day 1).
const UNIX_EPOCH_FROM_CE: i32 = 719_163;

/// Why a date field was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DateError {
    /// Not of the form `YYYY-MM-DD`.
    Malformed,
    /// Of the form, but not a day of the calendar (`2023-02-30`).
    NotCalendar,
    /// A calendar day outside 1900..=2100.
    OutOfRange,
}

/// Days from 1970-01-01 to the civil date (proleptic Gregorian), after
/// Howard Hinnant's `days_from_civil`; the day must exist (the caller has
/// checked it).
///
/// Kept by hand, where the rest of the calendar arithmetic is chrono's,
/// because it is `const` (the compile-time check of the key layout in
/// `src/load` calls it; chrono's day count, `Datelike::num_days_from_ce`, is
/// a trait method) and [`parse_date`] calls it once per field. The tests hold
/// it to chrono over 1900..=2100.
pub(crate) const fn days_from_civil(y: i32, m: u32, d: u32) -> Day {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day number (chrono's).
pub(crate) fn civil_from_days(day: Day) -> (i32, u32, u32) {
    let date = date_of(day);
    (date.year(), date.month(), date.day())
}

/// The day number of a `NaiveDate`.
pub(crate) fn day_of(date: NaiveDate) -> Day {
    date.num_days_from_ce() - UNIX_EPOCH_FROM_CE
}

/// The `NaiveDate` of a day number (always valid for days the loader produced).
pub(crate) fn date_of(day: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day + UNIX_EPOCH_FROM_CE)
        .expect("day numbers come from valid dates")
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub(crate) fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Parses exactly `YYYY-MM-DD` (already trimmed) into a day number.
pub(crate) fn parse_date(b: &[u8]) -> Result<Day, DateError> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(DateError::Malformed);
    }
    let mut digits = [0u32; 8];
    for (slot, &i) in digits.iter_mut().zip(&[0usize, 1, 2, 3, 5, 6, 8, 9]) {
        let c = b[i];
        if !c.is_ascii_digit() {
            return Err(DateError::Malformed);
        }
        *slot = (c - b'0') as u32;
    }
    let y = (digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]) as i32;
    let m = digits[4] * 10 + digits[5];
    let d = digits[6] * 10 + digits[7];
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return Err(DateError::NotCalendar);
    }
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err(DateError::OutOfRange);
    }
    Ok(days_from_civil(y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_agree_with_chrono_over_the_whole_range() {
        let mut date = NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(MAX_YEAR, 12, 31).unwrap();
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        while date <= last {
            let day = day_of(date);
            assert_eq!(day as i64, (date - epoch).num_days());
            assert_eq!(days_from_civil(date.year(), date.month(), date.day()), day);
            assert_eq!(civil_from_days(day), (date.year(), date.month(), date.day()));
            assert_eq!(date_of(day), date);
            let text = date.format("%Y-%m-%d").to_string();
            assert_eq!(parse_date(text.as_bytes()), Ok(day), "{text}");
            date = date.succ_opt().unwrap();
        }
    }

    #[test]
    fn rejects_with_the_right_reason() {
        assert_eq!(parse_date(b"2023-02-30"), Err(DateError::NotCalendar));
        assert_eq!(parse_date(b"2023-13-01"), Err(DateError::NotCalendar));
        assert_eq!(parse_date(b"2023-00-10"), Err(DateError::NotCalendar));
        assert_eq!(parse_date(b"1899-12-31"), Err(DateError::OutOfRange));
        assert_eq!(parse_date(b"2101-01-01"), Err(DateError::OutOfRange));
        assert_eq!(parse_date(b"24/11/2023"), Err(DateError::Malformed));
        assert_eq!(parse_date(b"2023-1-01"), Err(DateError::Malformed));
        assert_eq!(parse_date(b"2023-11-24T00:00:00"), Err(DateError::Malformed));
        assert!(parse_date(b"2024-02-29").is_ok());
        assert_eq!(parse_date(b"2023-02-29"), Err(DateError::NotCalendar));
    }
}
