//! Staff accounts. Password hashes are made and checked by the caller (off
//! the async runtime); this module only stores them.

use crate::audit::{self, Action, NewEntry};
use crate::{Result, Store, StoreError, flag};
use sqlx::Row;
use wegwijs_domain::{Actor, Purpose, Role, Staff};

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub org_id: i64,
    pub username: String,
    pub display_name: String,
    #[serde(serialize_with = "role_code")]
    pub role: Role,
    pub active: bool,
    /// The password was set by an admin: its owner chooses their own at
    /// the next login.
    pub must_change_password: bool,
    /// A second factor is set up.
    pub second_factor: bool,
}

fn role_code<S: serde::Serializer>(r: &Role, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(r.code())
}

impl User {
    pub fn staff(&self) -> Staff {
        Staff {
            user_id: self.id,
            org_id: self.org_id,
            role: self.role,
        }
    }
}

pub struct NewUser<'a> {
    pub org_id: i64,
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: String,
}

const USER_COLUMNS: &str =
    "id, org_id, username, display_name, role, active, must_change_password, totp_nonce";

impl Store {
    /// Creates an account. `by` is who does it (an admin, or the system when
    /// installing); the act is logged. A password an admin chose is used
    /// once: its owner chooses their own at the first login.
    pub async fn create_user(&self, by: &Actor, new: NewUser<'_>, now: i64) -> Result<i64> {
        let username = wegwijs_domain::org::parse_username(new.username)?;
        let display = wegwijs_domain::person::text("naam", new.display_name, 200)?;
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "INSERT INTO users (org_id, username, display_name, role, password_hash, active, created_at, password_changed_at, must_change_password) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7) RETURNING id",
        )
        .bind(new.org_id)
        .bind(&username)
        .bind(&display)
        .bind(new.role.code())
        .bind(&new.password_hash)
        .bind(now)
        .bind(i64::from(matches!(by, Actor::Staff(_))))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::unique_as(e, "an account with this username"))?;
        let id: i64 = row.try_get("id")?;
        let entry = admin_entry(by, Action::AccountAangemaakt, id);
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The account and its password hash, for checking a login.
    pub async fn credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1"
        ))
        .bind(username.trim().to_lowercase())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((user_from_row(&r)?, r.try_get("password_hash")?)))
            .transpose()
    }

    pub async fn user(&self, id: i64) -> Result<User> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        user_from_row(&row)
    }

    /// The accounts of one organisation, by name.
    pub async fn users_of_org(&self, org_id: i64) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE org_id = $1 ORDER BY display_name, username"
        ))
        .bind(org_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Blocks or unblocks an account of the admin's own organisation. A
    /// blocked account's sessions end at once.
    pub async fn set_user_active(
        &self,
        admin: &Staff,
        user_id: i64,
        active: bool,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("UPDATE users SET active = $1 WHERE id = $2 AND org_id = $3")
            .bind(active as i64)
            .bind(user_id)
            .bind(admin.org_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        if !active {
            end_sessions(&mut tx, user_id).await?;
        }
        let action = if active {
            Action::AccountGeopend
        } else {
            Action::AccountGeblokkeerd
        };
        audit::append(
            &mut tx,
            self.chain(),
            now,
            &[admin_entry(&Actor::Staff(*admin), action, user_id)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password hash for an account of the admin's organisation
    /// and ends its sessions; its owner replaces it at the next login.
    pub async fn set_password(
        &self,
        by: &Actor,
        org_id: i64,
        user_id: i64,
        hash: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2, must_change_password = 1 WHERE id = $3 AND org_id = $4")
            .bind(hash)
            .bind(now)
            .bind(user_id)
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        end_sessions(&mut tx, user_id).await?;
        audit::append(
            &mut tx,
            self.chain(),
            now,
            &[admin_entry(by, Action::WachtwoordGewijzigd, user_id)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// The owner's own new password: ends every session of the account
    /// (the caller starts a new one) and any need to change it. Logged.
    pub async fn change_own_password(&self, me: &Staff, hash: &str, now: i64) -> Result<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "UPDATE users SET password_hash = $1, password_changed_at = $2, must_change_password = 0 WHERE id = $3",
        )
        .bind(hash)
        .bind(now)
        .bind(me.user_id)
        .execute(&mut *tx)
        .await?;
        // Sessions only: at a first login this change is a step of the
        // login in progress, which goes on to the second factor.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(me.user_id)
            .execute(&mut *tx)
            .await?;
        let actor = Actor::Staff(*me);
        let entry = admin_entry(&actor, Action::WachtwoordGewijzigd, me.user_id);
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account's password hash, to check the current password before
    /// a change.
    pub async fn password_hash(&self, user_id: i64) -> Result<String> {
        let row = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(row.try_get("password_hash")?)
    }
}

/// Ends the account's sessions and any login of it between its steps.
pub(crate) async fn end_sessions(tx: &mut crate::Tx, user_id: i64) -> Result<()> {
    for table in ["sessions", "login_challenges"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn admin_entry<'a>(by: &'a Actor, action: Action, user_id: i64) -> NewEntry<'a> {
    NewEntry {
        actor: by,
        resident: None,
        action,
        purpose: Purpose::Administration,
        outcome: Ok(()),
        detail: format!("account {user_id}"),
    }
}

fn user_from_row(r: &sqlx::any::AnyRow) -> Result<User> {
    let role: String = r.try_get("role")?;
    Ok(User {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: Role::from_code(&role).map_err(|_| StoreError::Corrupt(format!("role {role:?}")))?,
        active: flag(r.try_get("active")?),
        must_change_password: flag(r.try_get("must_change_password")?),
        second_factor: r.try_get::<Option<String>, _>("totp_nonce")?.is_some(),
    })
}
