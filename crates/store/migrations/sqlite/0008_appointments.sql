-- Afspraken (sqlite). Keep in step with ../postgres/0008_appointments.sql.

-- A team's consultation hours, by the topic of the routing table whose
-- team it is: weekdays (ISO numbers, '2,4'), from and to (minutes after
-- midnight, Dutch time), one meeting's length, the ways ('balie,video'),
-- where the desk is and what to bring.
CREATE TABLE appointment_hours (
    topic        TEXT PRIMARY KEY,
    weekdays     TEXT NOT NULL,
    start_minute INTEGER NOT NULL,
    end_minute   INTEGER NOT NULL,
    slot_minutes INTEGER NOT NULL,
    modes        TEXT NOT NULL,
    location     TEXT NOT NULL,
    bring        TEXT NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- A resident's appointment with a team: open work of the team's
-- organisation while it is planned. A time is booked once. 'contact' is
-- the number to call (by phone) or the address for the link (video).
CREATE TABLE appointments (
    id           INTEGER PRIMARY KEY,
    resident_id  INTEGER NOT NULL REFERENCES residents(id),
    org_id       INTEGER NOT NULL REFERENCES organisations(id),
    work_id      INTEGER NOT NULL REFERENCES work_items(id),
    topic        TEXT NOT NULL,
    team         TEXT NOT NULL,
    starts_at    INTEGER NOT NULL,
    minutes      INTEGER NOT NULL,
    mode         TEXT NOT NULL,
    location     TEXT NOT NULL,
    bring        TEXT NOT NULL,
    phone        TEXT NOT NULL,
    contact      TEXT,
    reminder     TEXT,
    status       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX appointments_one_per_time ON appointments(topic, starts_at) WHERE status = 'gepland';
CREATE INDEX appointments_resident ON appointments(resident_id, starts_at);
