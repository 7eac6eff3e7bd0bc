-- Contacts with begrijpen/willen/kunnen, and accommodations (sqlite). Keep
-- in step with ../postgres/0022_contacts_accommodations.sql.
-- A contact as the caseworker recorded it: when, how, what was discussed,
-- and per pillar how it went ('ja', 'deels', 'nee', 'niet-besproken') with
-- a short note. Written once, as the notes are; read as the dossier.
CREATE TABLE contact_records (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organisations(id),
    resident_id    INTEGER NOT NULL REFERENCES residents(id),
    user_id        INTEGER NOT NULL REFERENCES users(id),
    on_date        TEXT NOT NULL,
    way            TEXT NOT NULL,
    summary        TEXT NOT NULL,
    begrijpen      TEXT NOT NULL,
    begrijpen_note TEXT NOT NULL,
    willen         TEXT NOT NULL,
    willen_note    TEXT NOT NULL,
    kunnen         TEXT NOT NULL,
    kunnen_note    TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX contact_records_resident ON contact_records(resident_id, org_id, on_date, id);

-- What helps the resident, as one organisation noted it (its dossier).
CREATE TABLE accommodations (
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    code        TEXT NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (resident_id, org_id, code)
);

-- How the resident would like to be reached, given once in the portal:
-- every form that asks it starts from these, and staff who may see the
-- resident's contact see them.
CREATE TABLE contact_details (
    resident_id INTEGER PRIMARY KEY REFERENCES residents(id),
    phone       TEXT,
    email       TEXT,
    preferred   TEXT NOT NULL,
    avoid       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);
