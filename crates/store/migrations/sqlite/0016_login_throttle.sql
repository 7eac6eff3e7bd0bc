-- Failed logins counted per client address (sqlite). Keep in step with
-- ../postgres/0016_login_throttle.sql.
-- An account's limit slows the address that fails for it, not the account:
-- the failures carry the address (IPv4, or an IPv6 /64), kept only for the
-- window the limits look back over.
ALTER TABLE login_failures ADD COLUMN address TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_address ON login_failures(address, at);
-- The upkeep job removes failures older than the window.
CREATE INDEX login_failures_at ON login_failures(at);
