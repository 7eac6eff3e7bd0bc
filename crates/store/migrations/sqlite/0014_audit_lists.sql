-- The residents a list view showed (sqlite). Keep in step with
-- ../postgres/0014_audit_lists.sql.
-- One audit entry per view of a list. The list itself is kept once, by the
-- digest of its residents' ids (sorted): a caseworker who opens the same
-- worklist all morning adds one entry per view and no rows here. The
-- entry's detail ends with the digest, which the hash chain covers; its
-- `list_digest` column points to the list, so that a resident's own extract
-- finds every view of a list they were on. Verification recomputes each
-- digest from the members.
CREATE TABLE audit_lists (
    digest TEXT PRIMARY KEY,
    size   INTEGER NOT NULL
);
CREATE TABLE audit_list_members (
    digest      TEXT NOT NULL REFERENCES audit_lists(digest),
    resident_id INTEGER NOT NULL,
    PRIMARY KEY (resident_id, digest)
);
CREATE INDEX audit_list_members_digest ON audit_list_members(digest);
ALTER TABLE audit_log ADD COLUMN list_digest TEXT;
CREATE INDEX audit_log_list ON audit_log(list_digest) WHERE list_digest IS NOT NULL;
