-- Teams and the one worklist (sqlite). Keep in step with
-- ../postgres/0021_teams_worklist.sql.
-- An organisation's staff work in teams (an admin keeps them; one person
-- may be in several). The routing table routes a topic to a team; work of
-- a kind no topic routes goes to the team the organisation chose for it.
CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organisations(id),
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX teams_name ON teams(org_id, lower(name));
CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members(user_id);
CREATE TABLE team_routes (
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    kind        TEXT NOT NULL,
    team_id     INTEGER NOT NULL REFERENCES teams(id),
    answer_days INTEGER NOT NULL,
    PRIMARY KEY (org_id, kind)
);

-- The free-text team names of the routing table become teams.
INSERT INTO teams (org_id, name, created_at)
    SELECT org_id, MIN(team), MIN(updated_at) FROM help_routes GROUP BY org_id, lower(team);
ALTER TABLE help_routes ADD COLUMN team_id INTEGER REFERENCES teams(id);
UPDATE help_routes SET team_id = (SELECT t.id FROM teams t
    WHERE t.org_id = help_routes.org_id AND lower(t.name) = lower(help_routes.team));
ALTER TABLE help_routes DROP COLUMN team;

-- Work: its team and, once taken, its person; where it stands; when it is
-- due; its priority with the reasons; what it is about (the request, the
-- appointment, the signal case: `kind` says which table); how it ended.
-- `version` grows with every change, so two people acting on the same
-- line at once end in one result and a message, never a lost write.
ALTER TABLE work_items ADD COLUMN team_id INTEGER REFERENCES teams(id);
ALTER TABLE work_items ADD COLUMN assignee INTEGER REFERENCES users(id);
ALTER TABLE work_items ADD COLUMN stage TEXT NOT NULL DEFAULT 'nieuw';
ALTER TABLE work_items ADD COLUMN due_on TEXT NOT NULL DEFAULT '';
ALTER TABLE work_items ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE work_items ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
ALTER TABLE work_items ADD COLUMN subject_id INTEGER;
ALTER TABLE work_items ADD COLUMN outcome TEXT;
ALTER TABLE work_items ADD COLUMN outcome_note TEXT;
ALTER TABLE work_items ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE work_items ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
-- The resident's wijk, kept on the line (the register import keeps it in
-- step): a list filtered by wijk reads no resident per line.
ALTER TABLE work_items ADD COLUMN wijk TEXT NOT NULL DEFAULT '';

-- "Aanmelding" was a request or an appointment; work of kind "signaal"
-- was the help after a closed case.
UPDATE work_items SET kind = 'afspraak',
    subject_id = (SELECT a.id FROM appointments a WHERE a.work_id = work_items.id),
    team_id = (SELECT t.id FROM appointments a JOIN teams t ON t.org_id = a.org_id AND lower(t.name) = lower(a.team)
               WHERE a.work_id = work_items.id),
    due_on = (SELECT date(a.starts_at, 'unixepoch') FROM appointments a WHERE a.work_id = work_items.id)
    WHERE kind = 'aanmelding' AND EXISTS (SELECT 1 FROM appointments a WHERE a.work_id = work_items.id);
UPDATE work_items SET kind = 'hulpvraag',
    subject_id = (SELECT q.id FROM help_requests q WHERE q.work_id = work_items.id),
    team_id = (SELECT t.id FROM help_requests q JOIN teams t ON t.org_id = q.org_id AND lower(t.name) = lower(q.team)
               WHERE q.work_id = work_items.id),
    due_on = COALESCE((SELECT q.answer_by FROM help_requests q WHERE q.work_id = work_items.id), ''),
    stage = CASE WHEN EXISTS (SELECT 1 FROM help_requests q WHERE q.work_id = work_items.id AND q.status <> 'ontvangen')
                 THEN 'in-behandeling' ELSE 'nieuw' END
    WHERE kind = 'aanmelding';
UPDATE work_items SET kind = 'traject' WHERE kind = 'signaal';
UPDATE work_items SET due_on = date(opened_at + 14 * 86400, 'unixepoch') WHERE due_on = '';
UPDATE work_items SET updated_at = COALESCE(closed_at, opened_at);
UPDATE work_items SET wijk = (SELECT r.wijk FROM residents r WHERE r.id = work_items.resident_id);

-- Every open signal case is work.
INSERT INTO work_items (org_id, resident_id, kind, status, opened_at, stage, due_on, priority, reasons, subject_id, updated_at, wijk)
    SELECT c.org_id,
           (SELECT s.resident_id FROM signals s WHERE s.case_id = c.id AND s.resident_id IS NOT NULL ORDER BY s.id LIMIT 1),
           'signaal', 'open', c.updated_at,
           CASE WHEN c.picked_up_on IS NULL THEN 'nieuw' ELSE 'in-behandeling' END,
           COALESCE((SELECT MIN(t.due_on) FROM outreach_tasks t WHERE t.case_id = c.id AND t.status = 'open'), c.opened_on),
           c.priority, c.reasons, c.id, c.updated_at,
           (SELECT r.wijk FROM signals s JOIN residents r ON r.id = s.resident_id WHERE s.case_id = c.id ORDER BY s.id LIMIT 1)
    FROM signal_cases c
    WHERE c.closed_on IS NULL
      AND EXISTS (SELECT 1 FROM signals s WHERE s.case_id = c.id AND s.resident_id IS NOT NULL);

-- A list is one team's, one person's or the whole organisation's open
-- work, read in due order (a team's also by priority and newest first) a
-- page at a time. The filters' columns close each index, so a filtered
-- list reads the index alone until a line matches.
DROP INDEX work_items_org;
CREATE INDEX work_list_org ON work_items(org_id, status, due_on, id, kind, stage, wijk, assignee, team_id);
CREATE INDEX work_list_team ON work_items(team_id, status, due_on, id, kind, stage, wijk, assignee);
CREATE INDEX work_list_team_priority ON work_items(team_id, status, priority DESC, id, kind, stage, wijk, assignee, due_on);
CREATE INDEX work_list_team_newest ON work_items(team_id, status, opened_at, id, kind, stage, wijk, assignee, due_on);
CREATE INDEX work_list_person ON work_items(assignee, status, due_on, id);
CREATE INDEX work_items_subject ON work_items(subject_id, kind);
-- A line's appointment (the foreign key's other side).
CREATE INDEX appointments_work ON appointments(work_id);
