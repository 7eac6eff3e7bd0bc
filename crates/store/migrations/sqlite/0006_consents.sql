-- A resident's consents (sqlite). Keep in step with ../postgres/0006_consents.sql.
-- consent_history keeps every choice with the version of the text it was
-- made on; consent_state holds the current choice per topic, which is what
-- outreach reads. 'liever-niet-benaderd' is a topic with an end date.
CREATE TABLE consent_history (
    id           INTEGER PRIMARY KEY,
    resident_id  INTEGER NOT NULL REFERENCES residents(id),
    topic        TEXT NOT NULL,
    given        INTEGER NOT NULL,
    until        TEXT,
    text_version TEXT NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX consent_history_resident ON consent_history(resident_id, id);
CREATE TABLE consent_state (
    resident_id  INTEGER NOT NULL REFERENCES residents(id),
    topic        TEXT NOT NULL,
    given        INTEGER NOT NULL,
    until        TEXT,
    text_version TEXT NOT NULL,
    at           INTEGER NOT NULL,
    PRIMARY KEY (resident_id, topic)
);
