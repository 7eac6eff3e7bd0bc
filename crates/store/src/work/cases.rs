//! Signal cases are work in the one list: each open case has a work item
//! about it (`subject_id`), with the case's priority and reasons, due on
//! its next outreach task, and closed with it. These statements keep the
//! two in step; both backends run them as they stand.

use crate::{Result, Tx};
use time::Date;
use wegwijs_domain::help::add_working_days;
use wegwijs_domain::person::format_date;
use wegwijs_domain::work::DEFAULT_ANSWER_DAYS;

/// The next open outreach task of the case `w.subject_id`.
const NEXT_TASK: &str = "(SELECT MIN(t.due_on) FROM outreach_tasks t WHERE t.case_id = work_items.subject_id AND t.status = 'open')";

/// Opens work for the open cases of organisation $1 changed at $2 that
/// have none, due on $3 unless a task says otherwise.
pub(crate) const OPEN_CASE_WORK: &str = "INSERT INTO work_items (org_id, resident_id, kind, status, opened_at, team_id, \
     stage, due_on, priority, reasons, subject_id, updated_at, wijk) \
     SELECT c.org_id, (SELECT s.resident_id FROM signals s WHERE s.case_id = c.id AND s.resident_id IS NOT NULL \
     ORDER BY s.id LIMIT 1), 'signaal', 'open', $2, \
     (SELECT r.team_id FROM team_routes r WHERE r.org_id = c.org_id AND r.kind = 'signaal'), 'nieuw', \
     COALESCE((SELECT MIN(t.due_on) FROM outreach_tasks t WHERE t.case_id = c.id AND t.status = 'open'), $3), \
     c.priority, c.reasons, c.id, $2, \
     (SELECT r.wijk FROM signals s JOIN residents r ON r.id = s.resident_id WHERE s.case_id = c.id ORDER BY s.id LIMIT 1) \
     FROM signal_cases c WHERE c.org_id = $1 AND c.closed_on IS NULL AND c.updated_at = $2 \
     AND NOT EXISTS (SELECT 1 FROM work_items w WHERE w.subject_id = c.id AND w.kind = 'signaal') \
     AND EXISTS (SELECT 1 FROM signals s WHERE s.case_id = c.id AND s.resident_id IS NOT NULL)";

/// Copies priority and reasons of organisation $1's cases changed at $2
/// to their open work.
pub(crate) const FOLLOW_CASES: &str = "UPDATE work_items SET \
     priority = (SELECT c.priority FROM signal_cases c WHERE c.id = work_items.subject_id), \
     reasons = (SELECT c.reasons FROM signal_cases c WHERE c.id = work_items.subject_id), \
     version = version + 1, updated_at = $2 \
     WHERE org_id = $1 AND kind = 'signaal' AND status = 'open' AND subject_id IN \
     (SELECT c.id FROM signal_cases c WHERE c.org_id = $1 AND c.closed_on IS NULL AND c.updated_at = $2)";

/// The due date a case's work has before the outreach plan made tasks.
pub(crate) fn first_due(today: Date) -> String {
    format_date(add_working_days(today, DEFAULT_ANSWER_DAYS))
}

/// After an import or a hand link: open work for new cases, and the
/// others' priorities.
pub(crate) async fn follow_cases(tx: &mut Tx, org: i64, today: Date, now: i64) -> Result<()> {
    sqlx::query(OPEN_CASE_WORK)
        .bind(org)
        .bind(now)
        .bind(first_due(today))
        .execute(&mut **tx)
        .await?;
    sqlx::query(FOLLOW_CASES)
        .bind(org)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The work of `org`'s open cases (or of one case) is due on their next
/// task: after the plan made tasks, or one was done.
pub(crate) async fn follow_tasks(tx: &mut Tx, org: i64, case: Option<i64>, now: i64) -> Result<()> {
    let which = match case {
        Some(_) => "subject_id = $3 AND kind = 'signaal' AND org_id = $1",
        None => "org_id = $1 AND kind = 'signaal'",
    };
    let sql = format!(
        "UPDATE work_items SET due_on = COALESCE({NEXT_TASK}, due_on), version = version + 1, updated_at = $2 \
         WHERE {which} AND status = 'open' AND due_on <> COALESCE({NEXT_TASK}, due_on)"
    );
    let mut q = sqlx::query(&sql).bind(org).bind(now);
    if let Some(c) = case {
        q = q.bind(c);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}
