-- Signal IDs are unique per deliverer (sqlite). Keep in step with
-- ../postgres/0018_signal_deliverer.sql.
-- Each creditor numbers its own signals: one creditor's "D2" is not
-- another's, and neither learns which IDs the other sent. The deliverer is
-- "partner:<name>" (a partner token's label, or `signals import
-- --partner`), or "bestand" for a file without a partner. SQLite cannot
-- drop a column's UNIQUE, so the table is made anew.
CREATE TABLE signals_new (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES organisations(id),
    signal_key       TEXT NOT NULL,
    import_id        INTEGER NOT NULL REFERENCES signal_imports(id),
    partner_type     TEXT NOT NULL,
    klantnummer      TEXT,
    bsn              TEXT,
    voorletters      TEXT,
    voorvoegsel      TEXT,
    achternaam       TEXT,
    geboortedatum    TEXT,
    straat           TEXT,
    huisnummer       INTEGER,
    toevoeging       TEXT,
    postcode         TEXT,
    plaats           TEXT,
    telefoon         TEXT,
    email            TEXT,
    bedrag_cents     INTEGER NOT NULL,
    ontstaansdatum   TEXT NOT NULL,
    signaaldatum     TEXT NOT NULL,
    crisis           INTEGER NOT NULL,
    warme_overdracht INTEGER NOT NULL,
    received_on      TEXT NOT NULL,
    match            TEXT NOT NULL,
    resident_id      INTEGER REFERENCES residents(id),
    case_id          INTEGER REFERENCES signal_cases(id) DEFERRABLE INITIALLY DEFERRED,
    status           TEXT NOT NULL,
    objection_id     INTEGER,
    deliverer        TEXT NOT NULL DEFAULT ''
);
INSERT INTO signals_new (id, org_id, signal_key, import_id, partner_type, klantnummer, bsn, voorletters, voorvoegsel, achternaam, geboortedatum, straat, huisnummer, toevoeging, postcode, plaats, telefoon, email, bedrag_cents, ontstaansdatum, signaaldatum, crisis, warme_overdracht, received_on, match, resident_id, case_id, status, objection_id, deliverer)
SELECT s.id, s.org_id, s.signal_key, s.import_id, s.partner_type, s.klantnummer, s.bsn, s.voorletters, s.voorvoegsel, s.achternaam, s.geboortedatum, s.straat, s.huisnummer, s.toevoeging, s.postcode, s.plaats, s.telefoon, s.email, s.bedrag_cents, s.ontstaansdatum, s.signaaldatum, s.crisis, s.warme_overdracht, s.received_on, s.match, s.resident_id, s.case_id, s.status, s.objection_id,
       COALESCE('partner:' || t.label, 'bestand')
FROM signals s
JOIN signal_imports i ON i.id = s.import_id
LEFT JOIN partner_tokens t ON t.id = i.token_id;
DROP TABLE signals;
ALTER TABLE signals_new RENAME TO signals;
CREATE INDEX signals_case ON signals(case_id);
CREATE INDEX signals_queue ON signals(org_id, received_on) WHERE case_id IS NULL AND objection_id IS NULL;
CREATE INDEX signals_resident ON signals(resident_id);
CREATE UNIQUE INDEX signals_delivered ON signals(org_id, deliverer, signal_key);
-- The import remembers its deliverer: a corrected quarantined row is
-- taken in as its own deliverer's.
ALTER TABLE signal_imports ADD COLUMN deliverer TEXT NOT NULL DEFAULT '';
UPDATE signal_imports SET deliverer = COALESCE(
    (SELECT 'partner:' || t.label FROM partner_tokens t WHERE t.id = signal_imports.token_id),
    'bestand');
