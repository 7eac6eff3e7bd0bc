//! Staff logins past the password: the challenge that carries a login
//! between its steps, the second factor (TOTP: its secret derived from the
//! installation's key and a nonce, each time step accepted once), and the
//! single-use recovery codes. The codes themselves are checked by the
//! caller; this module stores what it needs and logs what was done.

use crate::audit::{self, Action, NewEntry};
use crate::{Result, Store, StoreError};
use sha2::{Digest, Sha256};
use sqlx::Row;
use wegwijs_domain::{Actor, Purpose};

/// How long a login may wait between its steps.
pub const CHALLENGE_SECS: i64 = 10 * 60;

/// The step a login waits at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The password was one an admin set: choose your own first.
    NewPassword,
    /// No second factor yet: set one up.
    SetUp,
    /// Enter the code of your second factor (or a recovery code).
    Code,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::NewPassword, Stage::SetUp, Stage::Code];

    pub fn code(self) -> &'static str {
        match self {
            Stage::NewPassword => "nieuw-wachtwoord",
            Stage::SetUp => "instellen",
            Stage::Code => "code",
        }
    }

    fn from_code(code: &str) -> Result<Stage> {
        match code {
            "nieuw-wachtwoord" => Ok(Stage::NewPassword),
            "instellen" => Ok(Stage::SetUp),
            "code" => Ok(Stage::Code),
            other => Err(StoreError::Corrupt(format!("login stage {other:?}"))),
        }
    }
}

/// A login between its steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    pub user_id: i64,
    pub stage: Stage,
    /// Where the login goes once done.
    pub destination: String,
}

/// An account's second factor: its nonce and the last time step used.
pub struct SecondFactor {
    pub nonce: String,
    pub last_step: Option<i64>,
}

fn code_hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

impl Store {
    /// Starts (or restarts) a login's steps under `token_hash`.
    pub async fn start_login_challenge(
        &self,
        token_hash: &str,
        challenge: &Challenge,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM login_challenges WHERE expires_at < $1 OR user_id = $2")
            .bind(now)
            .bind(challenge.user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO login_challenges (token_hash, user_id, stage, destination, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(challenge.user_id)
        .bind(challenge.stage.code())
        .bind(&challenge.destination)
        .bind(now + CHALLENGE_SECS)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The login waiting under `token_hash`, unless it expired.
    pub async fn login_challenge(&self, token_hash: &str, now: i64) -> Result<Option<Challenge>> {
        let row = sqlx::query(
            "SELECT user_id, stage, destination FROM login_challenges \
             WHERE token_hash = $1 AND expires_at >= $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(Challenge {
                user_id: r.try_get("user_id")?,
                stage: Stage::from_code(&r.try_get::<String, _>("stage")?)?,
                destination: r.try_get("destination")?,
            })
        })
        .transpose()
    }

    /// Moves a login on to `stage`.
    pub async fn advance_login_challenge(&self, token_hash: &str, stage: Stage) -> Result<()> {
        sqlx::query("UPDATE login_challenges SET stage = $1 WHERE token_hash = $2")
            .bind(stage.code())
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn end_login_challenge(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_challenges WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The secret of a second factor: derived from the installation's key
    /// (when it has one) and the nonce, so a copy of the database cannot
    /// make codes. 20 bytes, as RFC 6238's SHA-1 examples use.
    pub fn second_factor_secret(&self, user_id: i64, nonce: &str) -> Vec<u8> {
        let fields = ["wegwijs-tweede-stap", &user_id.to_string(), nonce];
        let hex_mac = match &self.chain().key {
            Some(key) => key.mac(&fields),
            None => hex::encode(Sha256::digest(fields.concat().as_bytes())),
        };
        hex::decode(&hex_mac[..40]).unwrap_or_default()
    }

    /// The nonce of the second factor the account is setting up: the one
    /// kept since an earlier try (its app shows the same codes), else
    /// `fresh`, kept from now on.
    pub async fn pending_second_factor(&self, user_id: i64, fresh: &str) -> Result<String> {
        sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2 AND totp_pending IS NULL")
            .bind(fresh)
            .bind(user_id)
            .execute(self.pool())
            .await?;
        let row = sqlx::query("SELECT totp_pending FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(self.pool())
            .await?;
        row.try_get::<Option<String>, _>("totp_pending")?
            .ok_or(StoreError::NotFound)
    }

    pub async fn second_factor(&self, user_id: i64) -> Result<Option<SecondFactor>> {
        let row = sqlx::query("SELECT totp_nonce, totp_last_step FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?;
        let Some(r) = row else { return Ok(None) };
        let nonce: Option<String> = r.try_get("totp_nonce")?;
        Ok(nonce.map(|nonce| SecondFactor {
            nonce,
            last_step: r.try_get("totp_last_step").ok().flatten(),
        }))
    }

    /// Takes time step `step` for the account: true once, false when it (or
    /// a later one) was used already, so a code seen once is worthless.
    pub async fn use_second_factor_step(&self, user_id: i64, step: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_nonce IS NOT NULL \
             AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user_id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a confirmed second factor (its nonce, the step its code
    /// used) and the recovery codes that replace any earlier ones.
    pub async fn confirm_second_factor(
        &self,
        user_id: i64,
        (nonce, step): (&str, i64),
        recovery_codes: &[String],
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "UPDATE users SET totp_nonce = $1, totp_last_step = $2, totp_pending = NULL WHERE id = $3",
        )
            .bind(nonce)
            .bind(step)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        replace_recovery_codes(&mut tx, self.backend(), user_id, recovery_codes).await?;
        let actor = self.actor_of(&mut tx, user_id).await?;
        let entry = account_entry(&actor, Action::TweedeStapIngesteld, user_id);
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// New recovery codes for the owner (the old ones lost or used up):
    /// they replace every earlier one. Logged.
    pub async fn renew_recovery_codes(
        &self,
        me: &wegwijs_domain::Staff,
        codes: &[String],
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        replace_recovery_codes(&mut tx, self.backend(), me.user_id, codes).await?;
        let actor = Actor::Staff(*me);
        let entry = account_entry(&actor, Action::HerstelcodesVernieuwd, me.user_id);
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Uses a recovery code: true once per code.
    pub async fn use_recovery_code(&self, user_id: i64, code: &str, now: i64) -> Result<bool> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(code_hash(&normalise_code(code)))
        .execute(&mut *tx)
        .await?;
        let used = done.rows_affected() == 1;
        if used {
            let actor = self.actor_of(&mut tx, user_id).await?;
            let entry = account_entry(&actor, Action::HerstelcodeGebruikt, user_id);
            audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        }
        tx.commit().await?;
        Ok(used)
    }

    /// How many unused recovery codes the account has.
    pub async fn recovery_codes_left(&self, user_id: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("n")?)
    }

    /// An admin's reset of an account's second factor (lost phone): it is
    /// set up again at the next login; its sessions end. Logged.
    pub async fn reset_second_factor(
        &self,
        by: &Actor,
        org_id: i64,
        user_id: i64,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE users SET totp_nonce = NULL, totp_last_step = NULL, totp_pending = NULL \
             WHERE id = $1 AND org_id = $2",
        )
        .bind(user_id)
        .bind(org_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        replace_recovery_codes(&mut tx, self.backend(), user_id, &[]).await?;
        crate::users::end_sessions(&mut tx, user_id).await?;
        let entry = account_entry(by, Action::TweedeStapHersteld, user_id);
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn actor_of(&self, tx: &mut crate::Tx, user_id: i64) -> Result<Actor> {
        let row = sqlx::query("SELECT org_id, role FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut **tx)
            .await?;
        let role: String = row.try_get("role")?;
        Ok(Actor::Staff(wegwijs_domain::Staff {
            user_id,
            org_id: row.try_get("org_id")?,
            role: wegwijs_domain::Role::from_code(&role)
                .map_err(|_| StoreError::Corrupt(format!("role {role:?}")))?,
        }))
    }
}

/// Recovery codes are compared without spaces, dashes or case.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

async fn replace_recovery_codes(
    tx: &mut crate::Tx,
    backend: crate::Backend,
    user_id: i64,
    codes: &[String],
) -> Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    if codes.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO recovery_codes (user_id, code_hash) VALUES {}",
        backend.placeholders(codes.len(), 2)
    );
    let mut q = sqlx::query(&sql);
    for code in codes {
        q = q.bind(user_id).bind(code_hash(&normalise_code(code)));
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

fn account_entry(actor: &Actor, action: Action, user_id: i64) -> NewEntry<'_> {
    NewEntry {
        actor,
        resident: None,
        action,
        purpose: Purpose::Administration,
        outcome: Ok(()),
        detail: format!("account {user_id}"),
    }
}
