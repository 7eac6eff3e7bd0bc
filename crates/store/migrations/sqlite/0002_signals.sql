-- Vroegsignalering (SQLite). Keep in step with ../postgres/0002_signals.sql.
-- Names follow the DDAS model where it has one: a vroegsignaalzaak is a
-- signal_case, a contactpoging a contact_attempt.

-- Each municipality's own settings: outreach plan (JSON) and retention terms.
CREATE TABLE signal_settings (
    org_id                     INTEGER PRIMARY KEY REFERENCES organisations(id),
    outreach_plan              TEXT NOT NULL,
    retention_not_picked_up    INTEGER NOT NULL,
    retention_after_case       INTEGER NOT NULL,
    updated_at                 INTEGER NOT NULL
);

-- One delivery: a file or an API post. Counts only, no content.
CREATE TABLE signal_imports (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES organisations(id),
    source           TEXT NOT NULL,
    name             TEXT NOT NULL,
    sha256           TEXT,
    received_at      INTEGER NOT NULL,
    rows_new         INTEGER NOT NULL,
    rows_known       INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL
);

-- A household's vroegsignaalzaak. Ids are assigned by the import (under
-- its lock) so signals can name their case as they are written.
CREATE TABLE signal_cases (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organisations(id),
    household_id  INTEGER NOT NULL REFERENCES households(id),
    opened_on     TEXT NOT NULL,
    picked_up_on  TEXT,
    closed_on     TEXT,
    result        TEXT,
    trajectory_on TEXT,
    priority      INTEGER NOT NULL,
    level         TEXT NOT NULL,
    reasons       TEXT NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX signal_cases_one_open ON signal_cases(household_id) WHERE closed_on IS NULL;
CREATE INDEX signal_cases_worklist ON signal_cases(org_id, closed_on, priority);

CREATE TABLE signals (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES organisations(id),
    signal_key       TEXT NOT NULL UNIQUE,
    import_id        INTEGER NOT NULL REFERENCES signal_imports(id),
    partner_type     TEXT NOT NULL,
    klantnummer      TEXT,
    bsn              TEXT,
    voorletters      TEXT,
    voorvoegsel      TEXT,
    achternaam       TEXT,
    geboortedatum    TEXT,
    straat           TEXT,
    huisnummer       INTEGER,
    toevoeging       TEXT,
    postcode         TEXT,
    plaats           TEXT,
    telefoon         TEXT,
    email            TEXT,
    bedrag_cents     INTEGER NOT NULL,
    ontstaansdatum   TEXT NOT NULL,
    signaaldatum     TEXT NOT NULL,
    crisis           INTEGER NOT NULL,
    warme_overdracht INTEGER NOT NULL,
    received_on      TEXT NOT NULL,
    match            TEXT NOT NULL,
    resident_id      INTEGER REFERENCES residents(id),
    case_id          INTEGER REFERENCES signal_cases(id) DEFERRABLE INITIALLY DEFERRED,
    status           TEXT NOT NULL,
    objection_id     INTEGER
);
CREATE INDEX signals_case ON signals(case_id);
-- The matching queue: signals nobody could be linked to yet.
CREATE INDEX signals_queue ON signals(org_id, received_on) WHERE case_id IS NULL AND objection_id IS NULL;

-- Rows refused by an import with --skip-invalid, kept for correction.
CREATE TABLE signal_quarantine (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    import_id   INTEGER NOT NULL REFERENCES signal_imports(id),
    line        INTEGER NOT NULL,
    fields      TEXT NOT NULL,
    problems    TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    resolved_at INTEGER
);
CREATE INDEX signal_quarantine_open ON signal_quarantine(org_id, status);

CREATE TABLE contact_attempts (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES signal_cases(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    dagdeel     TEXT NOT NULL,
    reached     INTEGER NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX contact_attempts_case ON contact_attempts(case_id);

-- Tasks made from the outreach plan; step -1 is a card after a visit.
CREATE TABLE outreach_tasks (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES signal_cases(id) ON DELETE CASCADE,
    step       INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    done_at    INTEGER,
    UNIQUE (case_id, step)
);
CREATE INDEX outreach_tasks_open ON outreach_tasks(status, due_on);

-- A resident said no to help on these arrears: not approached again on
-- them until the end date.
CREATE TABLE signal_objections (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organisations(id),
    household_id INTEGER NOT NULL REFERENCES households(id),
    partner_type TEXT NOT NULL,
    klantnummer  TEXT,
    recorded_on  TEXT NOT NULL,
    until_on     TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX signal_objections_household ON signal_objections(household_id);

-- API tokens with which a signal partner posts signals; only hashes.
CREATE TABLE partner_tokens (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organisations(id),
    label        TEXT NOT NULL,
    partner_type TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES users(id),
    revoked_at   INTEGER,
    last_used_at INTEGER
);
