//! Background jobs, run through the database with a lease, so that of
//! several instances on one database exactly one runs a due job.

use crate::{Result, Store};
use sqlx::Row;

impl Store {
    /// Makes sure a job exists; its first run is due at `first_run_at`.
    pub async fn ensure_job(&self, name: &str, first_run_at: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO jobs (name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(first_run_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Tries to take the lease on a due job for `owner` until `now +
    /// lease_secs`. Returns whether this owner got it. The check and the take
    /// are one UPDATE, so two instances cannot both win; a lease that ran out
    /// (its owner crashed) can be taken over.
    pub async fn claim_job(
        &self,
        name: &str,
        owner: &str,
        now: i64,
        lease_secs: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET lease_owner = $1, lease_until = $2 WHERE name = $3 AND next_run_at <= $4 AND lease_until <= $4",
        )
        .bind(owner)
        .bind(now + lease_secs)
        .bind(name)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a run and releases the lease, if `owner` still holds it.
    /// Returns false when the lease was lost (it ran out and another took it).
    pub async fn finish_job(
        &self,
        name: &str,
        owner: &str,
        now: i64,
        next_run_at: i64,
        result: &str,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET lease_owner = NULL, lease_until = 0, last_run_at = $1, next_run_at = $2, last_result = $3 \
             WHERE name = $4 AND lease_owner = $5",
        )
        .bind(now)
        .bind(next_run_at)
        .bind(result)
        .bind(name)
        .bind(owner)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Names of all jobs with their next run time, for operators.
    pub async fn jobs(&self) -> Result<Vec<(String, i64, Option<String>)>> {
        let rows = sqlx::query("SELECT name, next_run_at, last_result FROM jobs ORDER BY name")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("name")?,
                    r.try_get("next_run_at")?,
                    r.try_get("last_result")?,
                ))
            })
            .collect()
    }
}
