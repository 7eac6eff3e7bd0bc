-- Signal IDs are unique per deliverer (postgres). Keep in step with
-- ../sqlite/0018_signal_deliverer.sql.
-- Each creditor numbers its own signals: one creditor's "D2" is not
-- another's, and neither learns which IDs the other sent. The deliverer is
-- "partner:<name>" (a partner token's label, or `signals import
-- --partner`), or "bestand" for a file without a partner.
ALTER TABLE signals ADD COLUMN deliverer TEXT NOT NULL DEFAULT '';
UPDATE signals s SET deliverer = COALESCE('partner:' || t.label, 'bestand')
FROM signal_imports i LEFT JOIN partner_tokens t ON t.id = i.token_id
WHERE i.id = s.import_id;
ALTER TABLE signals DROP CONSTRAINT signals_signal_key_key;
CREATE UNIQUE INDEX signals_delivered ON signals(org_id, deliverer, signal_key);
-- The import remembers its deliverer: a corrected quarantined row is
-- taken in as its own deliverer's.
ALTER TABLE signal_imports ADD COLUMN deliverer TEXT NOT NULL DEFAULT '';
UPDATE signal_imports SET deliverer = COALESCE(
    (SELECT 'partner:' || t.label FROM partner_tokens t WHERE t.id = signal_imports.token_id),
    'bestand');
