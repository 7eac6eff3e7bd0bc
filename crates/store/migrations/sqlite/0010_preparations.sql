-- Gesprek voorbereiden (sqlite). Keep in step with ../postgres/0010_preparations.sql.
-- A resident's answers for one of their appointments (JSON, the domain's
-- Preparation), a draft until sent_at is set; and the letters they upload,
-- kept here (never under the web root), checked by content before.
CREATE TABLE preparations (
    appointment_id INTEGER PRIMARY KEY REFERENCES appointments(id),
    resident_id    INTEGER NOT NULL REFERENCES residents(id),
    answers        TEXT NOT NULL,
    sent_at        INTEGER,
    updated_at     INTEGER NOT NULL
);
CREATE TABLE uploads (
    id             INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments(id),
    resident_id    INTEGER NOT NULL REFERENCES residents(id),
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    content        BLOB NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX uploads_appointment ON uploads(appointment_id);
