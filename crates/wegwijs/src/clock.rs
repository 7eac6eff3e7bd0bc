//! The real clock, injected at the edge; everything else takes a `Clock`.

use time::OffsetDateTime;
use wegwijs_domain::Clock;

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}
