-- Hoe was het? (sqlite). Keep in step with ../postgres/0009_feedback.sql.
-- One answer per contact ('hulpvraag:12', 'afspraak:3'): how easy it was
-- to arrange (1-5) and an optional comment. The team sees totals and the
-- comments, never who gave them.
CREATE TABLE feedback (
    id          INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    about       TEXT NOT NULL UNIQUE,
    score       INTEGER NOT NULL,
    comment     TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX feedback_org ON feedback(org_id, at);
