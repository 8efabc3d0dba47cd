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

const fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub(crate) const fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// The months of the years the contract accepts.
const MONTHS: usize = ((MAX_YEAR - MIN_YEAR + 1) * 12) as usize;

/// The day number of the first of each month of 1900..=2100 and the
/// month's length, by `(year - 1900) * 12 + month - 1`: a date of those
/// years is two lookups, not calendar arithmetic.
static MONTH_TABLE: [(Day, u8); MONTHS] = month_table();

const fn month_table() -> [(Day, u8); MONTHS] {
    let mut table = [(0, 0); MONTHS];
    let mut i = 0;
    while i < MONTHS {
        let (y, m) = (MIN_YEAR + (i / 12) as i32, (i % 12) as u32 + 1);
        table[i] = (days_from_civil(y, m, 1), days_in_month(y, m) as u8);
        i += 1;
    }
    table
}

/// Parses exactly `YYYY-MM-DD` (already trimmed) into a day number.
#[inline]
pub(crate) fn parse_date(b: &[u8]) -> Result<Day, DateError> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(DateError::Malformed);
    }
    let digit = |i: usize| b[i].wrapping_sub(b'0') as u32;
    let digits = [digit(0), digit(1), digit(2), digit(3), digit(5), digit(6), digit(8), digit(9)];
    if digits.iter().fold(0, |any, &x| any | (x > 9) as u8) != 0 {
        return Err(DateError::Malformed);
    }
    let y = (digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]) as i32;
    let m = digits[4] * 10 + digits[5];
    let d = digits[6] * 10 + digits[7];
    if !(1..=12).contains(&m) || d == 0 {
        return Err(DateError::NotCalendar);
    }
    if (MIN_YEAR..=MAX_YEAR).contains(&y) {
        let (first, days) = MONTH_TABLE[((y - MIN_YEAR) * 12) as usize + m as usize - 1];
        if d > days as u32 {
            return Err(DateError::NotCalendar);
        }
        return Ok(first + d as Day - 1);
    }
    // Outside the range, a day that is not in the calendar is reported as
    // such before the range.
    if d > days_in_month(y, m) {
        return Err(DateError::NotCalendar);
    }
    Err(DateError::OutOfRange)
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
        assert_eq!(parse_date(b"1899-02-29"), Err(DateError::NotCalendar));
        assert_eq!(parse_date(b"2104-02-29"), Err(DateError::OutOfRange));
        assert_eq!(parse_date(b"2100-02-29"), Err(DateError::NotCalendar));
        assert_eq!(parse_date(b"2100-12-31"), Ok(days_from_civil(2100, 12, 31)));
        assert_eq!(parse_date(b"2023-1a-01"), Err(DateError::Malformed));
        assert_eq!(parse_date(b"2023-01-0/"), Err(DateError::Malformed));
    }
}
