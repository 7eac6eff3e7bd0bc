-- Signal intake in bulk (postgres). Keep in step with ../sqlite/0004_signal_bulk.sql.
-- The worklist index (org_id, closed_on, priority) already serves every
-- lookup by (org_id, closed_on); a second index only slowed down writes.
DROP INDEX signal_cases_closed;
