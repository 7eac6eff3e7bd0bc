-- Indexes the query-plan test asked for (sqlite). Keep in step with
-- ../postgres/0015_plan_indexes.sql.

-- The wijken of the register for the worklist's filter, read by skipping
-- from one wijk to the next (it read every resident).
CREATE INDEX residents_wijk ON residents(wijk);

-- A signal without BSN or address matched on birth date and surname
-- (the third way of the candidate search scanned the register).
CREATE INDEX residents_born ON residents(geboortedatum);

-- The households that said no to being approached, for the rules scan's
-- new work (it read every choice of every resident).
CREATE INDEX consent_state_topic ON consent_state(topic, given);

-- A staff member's sessions ended at once (deactivated, new password).
CREATE INDEX sessions_user ON sessions(user_id);
