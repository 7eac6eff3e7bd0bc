-- Forms sent once and forms kept across a login (sqlite). Keep in step with
-- ../postgres/0012_forms.sql.

-- Every form that creates something carries a one-time token. The first
-- post claims it; a second post of the same form (a double click, the
-- browser's resend) finds the claim and is shown where the first one led.
-- 'result' is that local path (NULL while the first post runs, or when it
-- showed a page instead of leading somewhere). Removed after a day.
CREATE TABLE form_uses (
    owner       TEXT NOT NULL,
    token       TEXT NOT NULL,
    result      TEXT,
    finished_at INTEGER,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (owner, token)
);
CREATE INDEX form_uses_created ON form_uses(created_at);

-- Answers someone gave before logging in (the Geldcheck), kept on the
-- server under a token in a cookie, so that they can be sent after the
-- DigiD login without travelling in a URL. Removed after an hour.
CREATE TABLE held_forms (
    token_hash TEXT PRIMARY KEY,
    form       TEXT NOT NULL,
    fields     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX held_forms_created ON held_forms(created_at);

-- How the resident asked to be reached about a request (the phone number
-- was already there, for "bel mij").
ALTER TABLE help_requests ADD COLUMN callback_email TEXT;
