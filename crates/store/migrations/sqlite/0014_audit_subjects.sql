-- The residents a list view showed (sqlite). Keep in step with
-- ../postgres/0014_audit_subjects.sql.
-- One audit entry per view of a list, and a row here per resident on it,
-- so that a resident's own extract still finds every read. The entry's
-- detail ends with a digest of these ids, which the hash chain covers;
-- verification recomputes it from these rows.
CREATE TABLE audit_subjects (
    seq         INTEGER NOT NULL,
    resident_id INTEGER NOT NULL,
    PRIMARY KEY (resident_id, seq)
);
CREATE INDEX audit_subjects_seq ON audit_subjects(seq);
