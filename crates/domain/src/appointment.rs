//! Afspraken: a team's consultation hours (spreekuur), the free times a
//! resident can pick from, and how the meeting takes place. A time is a
//! Dutch local time: the resident reads "dinsdag 24 november, 10:30".

use crate::clock::dutch_local;
use crate::error::{Problem, ValidationError};
use crate::help::HelpTopic;
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};

/// How the meeting takes place. Stable codes: they are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// At the desk (balie) of the team's office.
    Balie,
    Telefoon,
    Video,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Balie, Mode::Telefoon, Mode::Video];

    pub fn code(self) -> &'static str {
        match self {
            Mode::Balie => "balie",
            Mode::Telefoon => "telefoon",
            Mode::Video => "video",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|m| m.code() == code)
            .ok_or(ValidationError::new("vorm", Problem::UnknownCode))
    }
}

/// How far ahead a resident can book.
pub const DAYS_AHEAD: i64 = 14;
/// The most planned appointments a resident has on one subject at a time:
/// enough to book a second before moving the first, not enough to fill a
/// team's week.
pub const MAX_PLANNED: i64 = 2;
/// A reminder goes this long before the meeting.
pub const REMINDER_BEFORE: Duration = Duration::days(1);

/// A team's consultation hours: which weekdays, from and to (minutes after
/// midnight, Dutch time), how long one meeting is, in what ways, where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hours {
    pub topic: HelpTopic,
    /// ISO weekday numbers, Monday = 1.
    pub weekdays: Vec<u8>,
    pub start_minute: i64,
    pub end_minute: i64,
    pub slot_minutes: i64,
    pub modes: Vec<Mode>,
    /// The address of the desk.
    pub location: String,
    /// What to bring, in the team's words.
    pub bring: String,
}

impl Hours {
    /// Hours as an admin typed them ("09:00", "12:00", "30"); every
    /// problem names its field.
    pub fn validate(
        topic: HelpTopic,
        weekdays: &[String],
        (from, to, minutes): (&str, &str, &str),
        modes: &[String],
        (location, bring): (&str, &str),
    ) -> Result<Hours, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let mut days: Vec<u8> = Vec::new();
        for d in weekdays {
            match d.parse::<u8>() {
                Ok(n @ 1..=7) if !days.contains(&n) => days.push(n),
                _ => errors.push(ValidationError::new("dagen", Problem::UnknownCode)),
            }
        }
        if days.is_empty() && errors.is_empty() {
            errors.push(ValidationError::new("dagen", Problem::Empty));
        }
        days.sort_unstable();
        let start = clock_time("begintijd", from)
            .map_err(|e| errors.push(e))
            .ok();
        let end = clock_time("eindtijd", to).map_err(|e| errors.push(e)).ok();
        if let (Some(s), Some(e)) = (start, end)
            && e <= s
        {
            errors.push(ValidationError::new("eindtijd", Problem::NotAfterStart));
        }
        let slot = match minutes.trim().parse::<i64>() {
            Ok(m) if (10..=120).contains(&m) => Some(m),
            _ => {
                let problem = Problem::OutOfRange { min: 10, max: 120 };
                errors.push(ValidationError::new("duur", problem));
                None
            }
        };
        let mut ways = Vec::new();
        let mut unknown = None;
        for m in modes {
            match Mode::from_code(m) {
                Ok(m) if !ways.contains(&m) => ways.push(m),
                Ok(_) => {}
                Err(e) => unknown = Some(e),
            }
        }
        if let Some(e) = unknown {
            errors.push(e);
        } else if ways.is_empty() {
            errors.push(ValidationError::new("vorm", Problem::Empty));
        }
        let location = crate::person::text("plaats", location, 200)
            .map_err(|e| errors.push(e))
            .ok();
        let bring = crate::help::free_text("meenemen", bring, 500)
            .map_err(|e| errors.push(e))
            .ok();
        match (start, end, slot, location, bring) {
            (
                Some(start_minute),
                Some(end_minute),
                Some(slot_minutes),
                Some(location),
                Some(bring),
            ) if errors.is_empty() => Ok(Hours {
                topic,
                weekdays: days,
                start_minute,
                end_minute,
                slot_minutes,
                modes: ways,
                location,
                bring,
            }),
            _ => Err(errors),
        }
    }

    /// The start of every meeting in these hours from `now` up to
    /// [`DAYS_AHEAD`] days ahead (today's only when still to come), minus
    /// those overlapping a meeting in `taken` ((start, minutes); hours or
    /// lengths may have changed since it was booked), in time order.
    pub fn free_slots(&self, now: OffsetDateTime, taken: &[(i64, i64)]) -> Vec<i64> {
        let today = dutch_local(now).date();
        let mut out = Vec::new();
        for offset in 0..=DAYS_AHEAD {
            let day = today + Duration::days(offset);
            if !self.weekdays.contains(&day.weekday().number_from_monday()) {
                continue;
            }
            let mut minute = self.start_minute;
            while minute + self.slot_minutes <= self.end_minute {
                let at = dutch_moment(day, minute).unix_timestamp();
                let end = at + self.slot_minutes * 60;
                let busy = taken.iter().any(|(s, m)| *s < end && s + m * 60 > at);
                if at > now.unix_timestamp() && !busy {
                    out.push(at);
                }
                minute += self.slot_minutes;
            }
        }
        out
    }

    /// Is `at` the start of a meeting in these hours, bookable from `now`?
    pub fn offers(&self, now: OffsetDateTime, at: i64) -> bool {
        self.free_slots(now, &[]).contains(&at)
    }
}

/// "09:30" as minutes after midnight.
fn clock_time(field: &'static str, input: &str) -> Result<i64, ValidationError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(ValidationError::new(field, Problem::Empty));
    }
    let (h, m) = s
        .split_once([':', '.'])
        .ok_or(ValidationError::new(field, Problem::NotATime))?;
    match (h.parse::<i64>(), m.parse::<i64>()) {
        (Ok(h), Ok(m)) if (0..24).contains(&h) && (0..60).contains(&m) => Ok(h * 60 + m),
        _ => Err(ValidationError::new(field, Problem::NotATime)),
    }
}

/// The moment `minute` minutes after midnight on `day`, Dutch time. Hours
/// are by day, never in the night hour that summer time skips.
pub fn dutch_moment(day: Date, minute: i64) -> OffsetDateTime {
    let t =
        Time::from_hms((minute / 60) as u8 % 24, (minute % 60) as u8, 0).unwrap_or(Time::MIDNIGHT);
    for hours in [1, 2] {
        let offset = UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC);
        let candidate = day.with_time(t).assume_offset(offset);
        if dutch_local(candidate).offset() == offset {
            return candidate;
        }
    }
    day.with_time(t).assume_offset(UtcOffset::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    fn hours() -> Hours {
        Hours::validate(
            HelpTopic::Geld,
            &["2".into(), "4".into()],
            ("09:00", "10:00", "30"),
            &["balie".into(), "telefoon".into()],
            ("Stadhuisplein 1, Wegwijzerveen", "Uw brieven"),
        )
        .unwrap()
    }

    #[test]
    fn slots_fall_in_the_hours_on_the_days_and_skip_the_taken() {
        // Monday 23 November 2026, 08:00 Dutch time.
        let now = datetime!(2026-11-23 07:00 UTC);
        let slots = hours().free_slots(now, &[]);
        // Tuesdays and Thursdays up to Monday 7 December: 4 days × 2.
        assert_eq!(slots.len(), 8);
        let first = dutch_local(OffsetDateTime::from_unix_timestamp(slots[0]).unwrap());
        assert_eq!(
            (first.date(), first.hour(), first.minute()),
            (date!(2026 - 11 - 24), 9, 0)
        );
        let taken = [(slots[0], 30)];
        assert_eq!(hours().free_slots(now, &taken)[0], slots[1]);
        // A 45-minute meeting booked under older hours also blocks the next.
        let longer = [(slots[0], 45)];
        assert_eq!(hours().free_slots(now, &longer)[0], slots[2]);
        assert!(hours().offers(now, slots[3]));
        assert!(!hours().offers(now, slots[3] + 60));
    }

    #[test]
    fn summer_time_is_dutch_time_too() {
        let summer = dutch_moment(date!(2026 - 07 - 01), 9 * 60);
        assert_eq!(summer, datetime!(2026-07-01 07:00 UTC));
        let winter = dutch_moment(date!(2026 - 12 - 01), 9 * 60);
        assert_eq!(winter, datetime!(2026-12-01 08:00 UTC));
    }

    #[test]
    fn bad_hours_name_their_fields() {
        let e = Hours::validate(
            HelpTopic::Geld,
            &[],
            ("9", "08:00", "5"),
            &["brief".into()],
            ("", ""),
        )
        .unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["dagen", "begintijd", "duur", "vorm", "plaats"]);
        let e = Hours::validate(
            HelpTopic::Geld,
            &["1".into()],
            ("10:00", "09:00", "30"),
            &["video".into()],
            ("Hier", ""),
        )
        .unwrap_err();
        assert_eq!(e[0].field, "eindtijd");
    }

    proptest! {
        #[test]
        fn every_slot_is_in_the_future_and_inside_the_hours(offset in 0i64..(400 * 24 * 60)) {
            let now = datetime!(2026-01-01 00:00 UTC) + Duration::minutes(offset);
            let h = hours();
            for at in h.free_slots(now, &[]) {
                prop_assert!(at > now.unix_timestamp());
                let local = dutch_local(OffsetDateTime::from_unix_timestamp(at).unwrap());
                let minute = i64::from(local.hour()) * 60 + i64::from(local.minute());
                prop_assert!(minute >= h.start_minute && minute + h.slot_minutes <= h.end_minute);
                prop_assert!(h.weekdays.contains(&local.weekday().number_from_monday()));
            }
        }

        #[test]
        fn a_clock_time_never_panics(s in "\\PC{0,8}") {
            let _ = clock_time("begintijd", &s);
        }
    }
}
