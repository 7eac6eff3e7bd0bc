-- Staff authentication to ASVS L2 (sqlite). Keep in step with
-- ../postgres/0017_staff_second_factor.sql.
-- A password an admin set is used once: its owner chooses their own at the
-- next login.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
-- The second factor (TOTP, RFC 6238). Its secret is derived from the
-- installation's key and this nonce, so the database alone cannot make
-- codes; the last time step used, so that a code is accepted once.
ALTER TABLE users ADD COLUMN totp_nonce TEXT;
-- A second factor being set up, until a code confirms it: kept with the
-- account, so a login started again shows the same key.
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;

-- Single-use recovery codes, as SHA-256 (they are random, 50 bits each).
CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at   INTEGER
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);

-- A login between its steps: the password was right, the second factor
-- (or a new password) is still to come. No session exists until then.
CREATE TABLE login_challenges (
    token_hash    TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    -- 'nieuw-wachtwoord', 'instellen' or 'code'
    stage         TEXT NOT NULL,
    destination   TEXT NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX login_challenges_user ON login_challenges(user_id);
CREATE INDEX login_challenges_expiry ON login_challenges(expires_at);
