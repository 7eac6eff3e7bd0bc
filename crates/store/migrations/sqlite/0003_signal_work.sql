-- Vroegsignalering casework: who the municipality is in its report to CBS
-- (DDAS "aanleverende organisatie"), and what the retention job removed.
-- Keep the sqlite and postgres versions in step.
ALTER TABLE signal_settings ADD COLUMN gemeentecode TEXT;
ALTER TABLE signal_settings ADD COLUMN kvk_nummer TEXT;
ALTER TABLE signal_settings ADD COLUMN contact_naam TEXT;
ALTER TABLE signal_settings ADD COLUMN contact_email TEXT;
ALTER TABLE signal_settings ADD COLUMN contact_telefoon TEXT;
ALTER TABLE signal_settings ADD COLUMN contact_functie TEXT;

-- Deliveries through the partner API name their token, so a partner gets
-- feedback on its own signals only.
ALTER TABLE signal_imports ADD COLUMN token_id INTEGER REFERENCES partner_tokens(id);

-- Counts only: the retention job keeps no content of what it deleted.
CREATE TABLE signal_retention_runs (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organisations(id),
    ran_on        TEXT NOT NULL,
    signals       INTEGER NOT NULL,
    cases         INTEGER NOT NULL,
    quarantined   INTEGER NOT NULL,
    objections    INTEGER NOT NULL
);
CREATE INDEX signal_cases_closed ON signal_cases(org_id, closed_on);

-- The highest case id ever given out, kept when retention deletes cases,
-- so a case id (named in audit entries) never returns for another household.
CREATE TABLE signal_counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
