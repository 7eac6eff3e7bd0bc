-- The case file's notes (sqlite). Keep in step with ../postgres/0020_case_notes.sql.
-- A journal: each note is written once and never changed. A correction is
-- a new note that points to the one it corrects; both stay. Notes belong to
-- the organisation that wrote them (its dossier of the resident) and are
-- read as the field group "dossier".
CREATE TABLE case_notes (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    purpose     TEXT NOT NULL,
    body        TEXT NOT NULL,
    corrects    INTEGER REFERENCES case_notes(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX case_notes_resident ON case_notes(resident_id, org_id, id);
CREATE INDEX case_notes_corrects ON case_notes(corrects) WHERE corrects IS NOT NULL;
