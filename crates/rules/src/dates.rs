//! Calendar arithmetic on day numbers (days since 1970-01-01), as the
//! schema defines it: month and year additions keep the day number or clamp
//! it to the month's last day; differences in months and years count whole
//! calendar units.

/// Days since 1970-01-01 of a (proleptic Gregorian) date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day number.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

pub fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// A valid date's day number; `None` for 31 February and the like.
pub fn make(y: i64, m: i64, d: i64) -> Option<i64> {
    ((1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d) && (1..=9999).contains(&y))
        .then(|| days_from_civil(y, m, d))
}

pub fn add_months(day: i64, months: i64) -> i64 {
    let (y, m, d) = civil_from_days(day);
    let total = y * 12 + (m - 1) + months;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    days_from_civil(ny, nm, d.min(days_in_month(ny, nm)))
}

/// Years, months, weeks and days added coarsest first.
pub fn add(day: i64, years: i64, months: i64, weeks: i64, days: i64) -> i64 {
    add_months(day, years * 12 + months) + weeks * 7 + days
}

/// Whole months from `from` to `to`; negative when `to` is earlier.
pub fn months_between(from: i64, to: i64) -> i64 {
    if to < from {
        return -months_between(to, from);
    }
    let (fy, fm, _) = civil_from_days(from);
    let (ty, tm, _) = civil_from_days(to);
    let mut n = (ty - fy) * 12 + (tm - fm);
    if add_months(from, n) > to {
        n -= 1;
    }
    n
}

/// Complete years of age on `at` for someone born on `birth`.
pub fn age(birth: i64, at: i64) -> i64 {
    months_between(birth, at).div_euclid(12)
}

/// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
pub fn day_of_week(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

pub fn format(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn from_date(d: time::Date) -> i64 {
    days_from_civil(
        i64::from(d.year()),
        i64::from(u8::from(d.month())),
        i64::from(d.day()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(format(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(day_of_week(days_from_civil(2025, 1, 1)), 2, "a Wednesday");
        let jan31 = days_from_civil(2025, 1, 31);
        assert_eq!(format(add_months(jan31, 1)), "2025-02-28");
        // Born on 29 February: a year older on 28 February, as DATE_ADD clamps.
        assert_eq!(
            age(days_from_civil(2000, 2, 29), days_from_civil(2018, 2, 27)),
            17
        );
        assert_eq!(
            age(days_from_civil(2000, 2, 29), days_from_civil(2018, 2, 28)),
            18
        );
        assert_eq!(
            months_between(days_from_civil(2025, 3, 31), days_from_civil(2025, 2, 28)),
            -1
        );
    }

    proptest! {
        #[test]
        fn day_numbers_match_the_time_crate(n in -700_000i64..2_900_000) {
            let d = time::Date::from_julian_day((n + 2_440_588) as i32).unwrap();
            prop_assert_eq!(from_date(d), n);
            let (y, m, dd) = civil_from_days(n);
            prop_assert_eq!((y, m, dd), (i64::from(d.year()), i64::from(u8::from(d.month())), i64::from(d.day())));
        }

        #[test]
        fn whole_months_never_overshoot(a in 0i64..30_000, b in 0i64..30_000) {
            let n = months_between(a, b);
            if b >= a {
                prop_assert!(add_months(a, n) <= b && add_months(a, n + 1) > b);
            }
        }
    }
}
