//! Forms sent once, and forms kept across a login. Neither holds a
//! person's identity: a one-time token is bound to the session that got
//! the form, and kept answers to a random token in the visitor's cookie.

use crate::{Result, Store};
use sqlx::Row;

/// A one-time form token lives this long; a resend after that is a new post.
pub const FORM_USE_SECS: i64 = 24 * 3600;
/// Answers kept across a login live this long.
pub const HELD_FORM_SECS: i64 = 3600;

/// What a post found when it claimed its form's token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The first post of this form: go on, then [`Store::finish_form`] or
    /// [`Store::release_form`].
    First,
    /// The form was posted before. `result` is where that post led;
    /// `finished` is false while it still runs.
    Again {
        result: Option<String>,
        finished: bool,
    },
}

impl Store {
    /// Claims `token` for `owner`; see [`Claim`]. Two posts at once find
    /// one claim: the primary key decides.
    pub async fn claim_form(&self, owner: &str, token: &str, now: i64) -> Result<Claim> {
        let claimed = sqlx::query(
            "INSERT INTO form_uses (owner, token, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (owner, token) DO NOTHING",
        )
        .bind(owner)
        .bind(token)
        .bind(now)
        .execute(self.pool())
        .await?;
        if claimed.rows_affected() == 1 {
            return Ok(Claim::First);
        }
        self.form_use(owner, token).await.map(|found| {
            // Released in between: the next try claims it afresh.
            found.unwrap_or(Claim::Again {
                result: None,
                finished: false,
            })
        })
    }

    /// How the form's first post stands, if it was claimed.
    pub async fn form_use(&self, owner: &str, token: &str) -> Result<Option<Claim>> {
        let row = sqlx::query(
            "SELECT result, finished_at FROM form_uses WHERE owner = $1 AND token = $2",
        )
        .bind(owner)
        .bind(token)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(Claim::Again {
                result: r.try_get("result")?,
                finished: r.try_get::<Option<i64>, _>("finished_at")?.is_some(),
            })
        })
        .transpose()
    }

    /// The first post is done; `result` is the local path it led to.
    pub async fn finish_form(
        &self,
        owner: &str,
        token: &str,
        result: Option<&str>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE form_uses SET result = $3, finished_at = $4 WHERE owner = $1 AND token = $2",
        )
        .bind(owner)
        .bind(token)
        .bind(result)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The first post changed nothing (its input was refused): the form
    /// may be sent again, corrected.
    pub async fn release_form(&self, owner: &str, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM form_uses WHERE owner = $1 AND token = $2")
            .bind(owner)
            .bind(token)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Keeps a form's fields under `token_hash` (replacing what was kept).
    pub async fn hold_form(
        &self,
        token_hash: &str,
        form: &str,
        fields: &[(String, String)],
        now: i64,
    ) -> Result<()> {
        let fields = serde_json::to_string(fields)
            .map_err(|e| crate::StoreError::Corrupt(format!("held form: {e}")))?;
        sqlx::query(
            "INSERT INTO held_forms (token_hash, form, fields, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (token_hash) DO UPDATE SET form = $2, fields = $3, created_at = $4",
        )
        .bind(token_hash)
        .bind(form)
        .bind(fields)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The fields kept for `form` under `token_hash`, if kept and not older
    /// than [`HELD_FORM_SECS`].
    pub async fn held_form(
        &self,
        token_hash: &str,
        form: &str,
        now: i64,
    ) -> Result<Option<Vec<(String, String)>>> {
        let row = sqlx::query(
            "SELECT fields FROM held_forms WHERE token_hash = $1 AND form = $2 AND created_at > $3",
        )
        .bind(token_hash)
        .bind(form)
        .bind(now - HELD_FORM_SECS)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let fields: String = row.try_get("fields")?;
        serde_json::from_str(&fields)
            .map(Some)
            .map_err(|e| crate::StoreError::Corrupt(format!("held form: {e}")))
    }

    pub async fn drop_held_form(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM held_forms WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Removes one-time tokens older than a day and kept forms older than
    /// an hour; returns how many went.
    pub async fn delete_old_forms(&self, now: i64) -> Result<u64> {
        let uses = sqlx::query("DELETE FROM form_uses WHERE created_at <= $1")
            .bind(now - FORM_USE_SECS)
            .execute(self.pool())
            .await?;
        let held = sqlx::query("DELETE FROM held_forms WHERE created_at <= $1")
            .bind(now - HELD_FORM_SECS)
            .execute(self.pool())
            .await?;
        Ok(uses.rows_affected() + held.rows_affected())
    }
}
