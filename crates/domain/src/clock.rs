//! Time comes from a clock that is handed in, so tests can move it.

use std::sync::Mutex;
use time::{Date, Duration, Month, OffsetDateTime, UtcOffset, Weekday};

pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;

    /// Today's date in the Netherlands.
    fn today(&self) -> Date {
        dutch_local(self.now()).date()
    }
}

/// A clock that stands still until a test moves it.
pub struct ManualClock(Mutex<OffsetDateTime>);

impl ManualClock {
    pub fn new(at: OffsetDateTime) -> Self {
        ManualClock(Mutex::new(at))
    }

    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *t += by;
    }

    pub fn set(&self, at: OffsetDateTime) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Converts a moment to Dutch local time (CET/CEST). The EU rule: summer time
/// from the last Sunday of March 01:00 UTC to the last Sunday of October
/// 01:00 UTC. A time zone database would be overkill for one zone.
pub fn dutch_local(at: OffsetDateTime) -> OffsetDateTime {
    let utc = at.to_offset(UtcOffset::UTC);
    let year = utc.year();
    let start = last_sunday(year, Month::March).midnight().assume_utc() + Duration::hours(1);
    let end = last_sunday(year, Month::October).midnight().assume_utc() + Duration::hours(1);
    let hours = if utc >= start && utc < end { 2 } else { 1 };
    utc.to_offset(UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC))
}

/// The moment (unix seconds) a Dutch day begins: midnight local time, an
/// hour or two before midnight UTC (summer time never starts or ends at
/// midnight, so the offset of the hour before tells).
pub fn dutch_day_start(day: Date) -> i64 {
    let midnight = day.midnight().assume_utc();
    let offset = dutch_local(midnight - Duration::hours(2)).offset();
    (midnight - Duration::seconds(i64::from(offset.whole_seconds()))).unix_timestamp()
}

fn last_sunday(year: i32, month: Month) -> Date {
    let days = time::util::days_in_month(month, year);
    let mut d = Date::from_calendar_date(year, month, days).unwrap_or(Date::MIN);
    while d.weekday() != Weekday::Sunday {
        d = d.previous_day().unwrap_or(Date::MIN);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_dutch_day_starts_at_local_midnight_in_winter_and_summer() {
        use time::macros::date;
        let winter = dutch_day_start(date!(2026 - 12 - 07));
        assert_eq!(winter, datetime!(2026-12-06 23:00 UTC).unix_timestamp());
        let summer = dutch_day_start(date!(2026 - 07 - 01));
        assert_eq!(summer, datetime!(2026-06-30 22:00 UTC).unix_timestamp());
        // The days summer time starts and ends begin at winter time.
        let switch = dutch_day_start(date!(2026 - 03 - 29));
        assert_eq!(switch, datetime!(2026-03-28 23:00 UTC).unix_timestamp());
        let back = dutch_day_start(date!(2026 - 10 - 25));
        assert_eq!(back, datetime!(2026-10-24 22:00 UTC).unix_timestamp());
    }

    #[test]
    fn dutch_time_switches_on_the_eu_dates() {
        assert_eq!(
            dutch_local(datetime!(2026-03-29 00:59 UTC))
                .offset()
                .whole_hours(),
            1
        );
        assert_eq!(
            dutch_local(datetime!(2026-03-29 01:00 UTC))
                .offset()
                .whole_hours(),
            2
        );
        assert_eq!(
            dutch_local(datetime!(2026-10-25 00:59 UTC))
                .offset()
                .whole_hours(),
            2
        );
        assert_eq!(
            dutch_local(datetime!(2026-10-25 01:00 UTC))
                .offset()
                .whole_hours(),
            1
        );
    }

    #[test]
    fn today_is_dutch_today() {
        let c = ManualClock::new(datetime!(2026-11-22 23:30 UTC));
        assert_eq!(c.today(), time::macros::date!(2026 - 11 - 23));
        c.advance(Duration::hours(-1));
        assert_eq!(c.today(), time::macros::date!(2026 - 11 - 22));
        c.set(datetime!(2026-11-22 23:00 UTC));
        assert_eq!(c.today(), time::macros::date!(2026 - 11 - 23));
    }
}
