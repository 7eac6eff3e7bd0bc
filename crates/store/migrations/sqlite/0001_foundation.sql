-- Foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql:
-- same tables, columns and meaning; only the dialect differs.
-- Times are unix seconds (UTC); dates are 'YYYY-MM-DD' text; money is eurocents;
-- flags are 0/1 integers.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES organisations(id),
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    role                TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    active              INTEGER NOT NULL DEFAULT 1,
    created_at          INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(username, at);

CREATE TABLE households (
    id           INTEGER PRIMARY KEY,
    register_key TEXT NOT NULL UNIQUE
);

CREATE TABLE residents (
    id            INTEGER PRIMARY KEY,
    bsn           TEXT NOT NULL UNIQUE,
    voornamen     TEXT NOT NULL,
    voorvoegsel   TEXT,
    achternaam    TEXT NOT NULL,
    geboortedatum TEXT NOT NULL,
    straat        TEXT NOT NULL,
    huisnummer    INTEGER NOT NULL,
    huisletter    TEXT,
    toevoeging    TEXT,
    postcode      TEXT NOT NULL,
    woonplaats    TEXT NOT NULL,
    wijk          TEXT NOT NULL,
    buurt         TEXT NOT NULL,
    household_id  INTEGER NOT NULL REFERENCES households(id),
    rol_in_huishouden TEXT NOT NULL,
    inkomen_cents INTEGER NOT NULL,
    vermogen_cents INTEGER NOT NULL,
    voorzieningen TEXT NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX residents_household ON residents(household_id);
CREATE INDEX residents_address ON residents(postcode, huisnummer);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER REFERENCES users(id),
    resident_id  INTEGER REFERENCES residents(id),
    csrf_token   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    CHECK ((user_id IS NULL) <> (resident_id IS NULL))
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE work_items (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL,
    opened_at   INTEGER NOT NULL,
    closed_at   INTEGER
);
CREATE INDEX work_items_org ON work_items(org_id, status);
CREATE INDEX work_items_resident ON work_items(resident_id, status);

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    actor_org   INTEGER,
    resident_id INTEGER,
    action      TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_resident ON audit_log(resident_id);
CREATE INDEX audit_org ON audit_log(actor_org, seq);

CREATE TABLE jobs (
    name        TEXT PRIMARY KEY,
    next_run_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_run_at INTEGER,
    last_result TEXT
);
