-- Hulp vragen and messages (sqlite). Keep in step with ../postgres/0007_help_requests.sql.

-- The routing table an admin keeps: which organisation and team pick up
-- residents' questions on a topic, and within how many working days.
CREATE TABLE help_routes (
    topic       TEXT PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    team        TEXT NOT NULL,
    answer_days INTEGER NOT NULL,
    phone       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- What a resident asked for in the portal: a question in their own words,
-- or "aanvragen"/"bel mij" on support the rules scan found (topic is then
-- the law's id). Each request is open work of the organisation it went to.
CREATE TABLE help_requests (
    id          INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    work_id     INTEGER NOT NULL REFERENCES work_items(id),
    team        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    topic       TEXT NOT NULL,
    topic_name  TEXT NOT NULL,
    own_words   TEXT NOT NULL,
    callback_phone TEXT,
    status      TEXT NOT NULL,
    answer_by   TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX help_requests_resident ON help_requests(resident_id, id);
CREATE INDEX help_requests_work ON help_requests(work_id);

-- The request's timeline: each step with the caseworker's note to the
-- resident (what happens next); '' when there is none.
CREATE TABLE help_request_steps (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES help_requests(id),
    at         INTEGER NOT NULL,
    status     TEXT NOT NULL,
    note       TEXT NOT NULL,
    by_org     INTEGER REFERENCES organisations(id)
);
CREATE INDEX help_request_steps_request ON help_request_steps(request_id, id);

-- Messages to residents: in the portal ('portaal'), by e-mail or SMS.
-- E-mail and SMS wait here until a channel sends them (in the demo, the
-- demo mailbox); 'about' names what a message is about ('afspraak:3'),
-- so a reminder lapses when its appointment moves or is cancelled.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    channel     TEXT NOT NULL,
    address     TEXT,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    about       TEXT NOT NULL,
    due_at      INTEGER NOT NULL,
    status      TEXT NOT NULL,
    sent_at     INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox(status, due_at);
CREATE INDEX outbox_resident ON outbox(resident_id, id);
