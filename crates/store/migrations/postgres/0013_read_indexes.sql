-- Indexes for what pages read (postgres). Keep in step with
-- ../sqlite/0013_read_indexes.sql.

-- The resident's own signals on Mijn overzicht (it scanned every signal).
CREATE INDEX signals_resident ON signals(resident_id);
