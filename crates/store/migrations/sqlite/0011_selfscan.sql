-- Drempels slechten (sqlite). Keep in step with ../postgres/0011_selfscan.sql.
-- The self-assessment instrument per organisation, one row per version (the
-- whole instrument as JSON; version 1 is the one Wegwijs ships). A run is
-- one professional's answers on one version, alone or in a team round; a
-- draft until finished_at is set, removed when left too long. Only the
-- professional reads their run; a round's team sees aggregates.
CREATE TABLE selfscan_versions (
    org_id     INTEGER NOT NULL REFERENCES organisations(id),
    version    INTEGER NOT NULL,
    body       TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, version)
);
CREATE TABLE selfscan_rounds (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organisations(id),
    team       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    opened_by  INTEGER NOT NULL REFERENCES users(id),
    opened_at  INTEGER NOT NULL,
    closed_at  INTEGER,
    FOREIGN KEY (org_id, version) REFERENCES selfscan_versions(org_id, version)
);
CREATE INDEX selfscan_rounds_org ON selfscan_rounds(org_id, team, opened_at);
CREATE TABLE selfscan_round_members (
    round_id INTEGER NOT NULL REFERENCES selfscan_rounds(id),
    user_id  INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (round_id, user_id)
);
CREATE TABLE selfscan_runs (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    version     INTEGER NOT NULL,
    round_id    INTEGER REFERENCES selfscan_rounds(id),
    started_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    finished_at INTEGER,
    FOREIGN KEY (org_id, version) REFERENCES selfscan_versions(org_id, version)
);
CREATE INDEX selfscan_runs_user ON selfscan_runs(user_id, started_at);
CREATE INDEX selfscan_runs_round ON selfscan_runs(round_id);
CREATE INDEX selfscan_runs_draft ON selfscan_runs(updated_at) WHERE finished_at IS NULL;
-- One draft of one's own at a time, and one run per member per round.
CREATE UNIQUE INDEX selfscan_one_draft ON selfscan_runs(user_id) WHERE round_id IS NULL AND finished_at IS NULL;
CREATE UNIQUE INDEX selfscan_one_per_round ON selfscan_runs(user_id, round_id) WHERE round_id IS NOT NULL;
CREATE TABLE selfscan_answers (
    run_id INTEGER NOT NULL REFERENCES selfscan_runs(id) ON DELETE CASCADE,
    code   TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (run_id, code)
);
-- What a team agreed in its session: what, who, by when; seen next round.
CREATE TABLE selfscan_actions (
    id         INTEGER PRIMARY KEY,
    round_id   INTEGER NOT NULL REFERENCES selfscan_rounds(id),
    what       TEXT NOT NULL,
    who        TEXT NOT NULL,
    due        TEXT NOT NULL,
    done_at    INTEGER,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX selfscan_actions_round ON selfscan_actions(round_id);
