//! Server-side sessions and the login rate limit. Only hashes of session
//! tokens are stored: a copy of the database does not let anyone log in.

use crate::read::Cells;
use crate::{Result, Store};
use sqlx::Row;
use wegwijs_domain::policy::LoginFailures;
use wegwijs_domain::{Actor, ResidentId, Role, Staff};

/// Who a session belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Staff(i64),
    Resident(ResidentId),
}

/// A live session, as a request sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub actor: Actor,
    pub csrf_token: String,
    /// The staff member's name, for the page header; residents get none
    /// here (their name is personal data, read with an audit entry).
    pub display_name: Option<String>,
    pub org_name: Option<String>,
    pub expires_at: i64,
}

/// A session's row as stored, its account's columns empty for a resident's.
struct StoredSession {
    csrf_token: String,
    created: i64,
    expires: i64,
    resident: Option<i64>,
    user_id: Option<i64>,
    org_id: Option<i64>,
    role: Option<String>,
    display_name: Option<String>,
    active: Option<i64>,
    org_name: Option<String>,
}

fn stored_session(r: &dyn Cells) -> Result<StoredSession> {
    Ok(StoredSession {
        csrf_token: r.text("csrf_token")?,
        created: r.int("created_at")?,
        expires: r.int("expires_at")?,
        resident: r.opt_int("resident_id")?,
        user_id: r.opt_int("user_id")?,
        org_id: r.opt_int("org_id")?,
        role: r.opt_text("role")?,
        display_name: r.opt_text("display_name")?,
        active: r.opt_int("active")?,
        org_name: r.opt_text("org_name")?,
    })
}

/// How long a session lives without use, and at most.
#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    pub idle_secs: i64,
    pub absolute_secs: i64,
}

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        subject: Subject,
        csrf: &str,
        now: i64,
        life: Lifetimes,
    ) -> Result<()> {
        let (user, resident) = match subject {
            Subject::Staff(u) => (Some(u), None),
            Subject::Resident(r) => (None, Some(r.0)),
        };
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, resident_id, csrf_token, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $5, $6)",
        )
        .bind(token_hash)
        .bind(user)
        .bind(resident)
        .bind(csrf)
        .bind(now)
        .bind(now + life.idle_secs.min(life.absolute_secs))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The live session with this token hash, extending its idle time (never
    /// past the absolute limit). Sessions of blocked accounts are not live.
    pub async fn session(
        &self,
        token_hash: &str,
        now: i64,
        life: Lifetimes,
    ) -> Result<Option<Session>> {
        let Some(r) = self
            .read_row(
                "SELECT s.csrf_token, s.created_at, s.expires_at, s.resident_id, u.id AS user_id, u.org_id, u.role, u.display_name, u.active, o.name AS org_name \
                 FROM sessions s LEFT JOIN users u ON u.id = s.user_id LEFT JOIN organisations o ON o.id = u.org_id \
                 WHERE s.token_hash = $1",
                vec![token_hash.into()],
                stored_session,
            )
            .await?
        else {
            return Ok(None);
        };
        if r.expires <= now {
            return Ok(None);
        }
        let (created, expires) = (r.created, r.expires);
        let (actor, display_name, org_name) = match r.resident {
            Some(id) => (Actor::Resident(ResidentId(id)), None, None),
            None => {
                let (Some(user_id), Some(org_id), Some(1), Some(role)) =
                    (r.user_id, r.org_id, r.active, r.role)
                else {
                    return Ok(None);
                };
                let Ok(role) = Role::from_code(&role) else {
                    return Ok(None);
                };
                let staff = Staff {
                    user_id,
                    org_id,
                    role,
                };
                (Actor::Staff(staff), r.display_name, r.org_name)
            }
        };
        let new_expiry = (now + life.idle_secs).min(created + life.absolute_secs);
        // Write at most once a minute per session, not on every request;
        // sooner for short idle times (a tenth of it), so that a session
        // of a minute slides too.
        let granularity = (life.idle_secs / 10).clamp(1, 60);
        if new_expiry - expires >= granularity {
            sqlx::query(
                "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3",
            )
            .bind(now)
            .bind(new_expiry)
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        }
        Ok(Some(Session {
            actor,
            csrf_token: r.csrf_token,
            display_name,
            org_name,
            expires_at: new_expiry.max(expires),
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Removes expired sessions and old login failures; returns how many
    /// sessions went.
    pub async fn delete_expired_sessions(&self, now: i64, failure_window_secs: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        sqlx::query("DELETE FROM login_failures WHERE at <= $1")
            .bind(now - failure_window_secs)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// A wrong password (or unknown username) for `username` from the
    /// client `address` (see [`throttle_address`]).
    pub async fn record_login_failure(
        &self,
        username: &str,
        address: &str,
        now: i64,
    ) -> Result<()> {
        sqlx::query("INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)")
            .bind(username.trim().to_lowercase())
            .bind(address)
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Failed logins since `since` from `address`: for `username`, and for
    /// any account. Kept in the database so that the limits hold across
    /// instances; the addresses go with the window (see
    /// [`Store::delete_expired_sessions`]).
    pub async fn login_failures_since(
        &self,
        username: &str,
        address: &str,
        since: i64,
    ) -> Result<LoginFailures> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS address, \
             COALESCE(SUM(CASE WHEN username = $1 THEN 1 ELSE 0 END), 0) AS account \
             FROM login_failures WHERE address = $2 AND at > $3",
        )
        .bind(username.trim().to_lowercase())
        .bind(address)
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        Ok(LoginFailures {
            account: row.try_get("account")?,
            address: row.try_get("address")?,
        })
    }

    /// After a login that worked: the failures for this account from this
    /// address are forgotten (those from elsewhere still count there).
    pub async fn clear_login_failures(&self, username: &str, address: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE username = $1 AND address = $2")
            .bind(username.trim().to_lowercase())
            .bind(address)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// The key failed logins are counted under for a client: an IPv4 address
/// as it is, an IPv6 address by its /64 network (one subscriber usually
/// holds a whole /64 and could otherwise take a new address per try).
pub fn throttle_address(ip: std::net::IpAddr) -> String {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}
