-- The privacy officer's search of the audit log (sqlite). Keep in step with
-- ../postgres/0019_log_search.sql.
-- Searches go newest first by time: by period over everyone, by staff
-- member, by organisation; by resident the existing index serves (a
-- resident has few entries). The organisation index by time replaces the
-- one by seq: the log's writes carry two indexes more, and a small one for
-- refusals. The indexes name `seq` so that both backends order ties alike.
CREATE INDEX audit_at ON audit_log(at, seq);
CREATE INDEX audit_actor_at ON audit_log(actor, at, seq);
CREATE INDEX audit_org_at ON audit_log(actor_org, at, seq);
DROP INDEX audit_org;
-- Refusals are few: their own small index finds them newest first.
CREATE INDEX audit_refused ON audit_log(at, seq) WHERE outcome <> 'toegestaan';
-- A resident looked for by surname, in any case.
CREATE INDEX residents_surname ON residents(lower(achternaam));
