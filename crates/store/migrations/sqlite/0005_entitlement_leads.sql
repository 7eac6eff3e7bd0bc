-- Proactive outreach from the rules scan (sqlite). Keep in step with ../postgres/0005_entitlement_leads.sql.
-- A household probably entitled to support it does not receive gets open
-- work of kind 'mogelijk-recht' at the municipality; each law the scan
-- found is one lead on that work. A rescan adds leads, never twice the same,
-- and not again within a year of the work's closing.
CREATE TABLE entitlement_leads (
    id             INTEGER PRIMARY KEY,
    work_id        INTEGER NOT NULL REFERENCES work_items(id),
    law            TEXT NOT NULL,
    law_name       TEXT NOT NULL,
    cents_per_year INTEGER,
    voorziening    TEXT,
    found_on       TEXT NOT NULL,
    UNIQUE (work_id, law)
);
-- One open 'mogelijk-recht' work item per resident and organisation, also
-- when two scans overlap.
CREATE UNIQUE INDEX work_items_one_open_lead ON work_items(org_id, resident_id)
    WHERE kind = 'mogelijk-recht' AND status = 'open';
