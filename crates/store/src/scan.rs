//! The register read as households, for the proactive rules scan and
//! what-if simulations: one audit entry for the batch, read in pages.

use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::{Result, Store, StoreError};
use sqlx::Row;
use time::Date;
use wegwijs_domain::household::{HouseholdFacts, Member};
use wegwijs_domain::person::parse_date;
use wegwijs_domain::policy;
use wegwijs_domain::{Actor, HouseholdRole, Purpose, ResidentId, Voorziening};

mod sqlite;

/// Rows per page: bounded memory on a register of millions.
const PAGE: i64 = 10_000;

impl Store {
    /// Every household of the register with the facts the laws ask about.
    /// Allowed for the operator's command only; the read is audited (also
    /// when refused) with the purpose of proactive outreach. SQLite is
    /// read on a direct connection, PostgreSQL in pages through the pool.
    pub async fn scan_households(
        &self,
        actor: &Actor,
        today: Date,
        now: i64,
    ) -> Result<Vec<HouseholdFacts>> {
        self.scan(actor, today, now, None).await
    }

    /// [`Store::scan_households`] through the pool in pages of a size of
    /// choice, on either database: tests show it reads what the direct
    /// read does, a household split over two pages whole.
    pub async fn scan_households_in_pages(
        &self,
        actor: &Actor,
        today: Date,
        now: i64,
        page: i64,
    ) -> Result<Vec<HouseholdFacts>> {
        self.scan(actor, today, now, Some(page)).await
    }

    async fn scan(
        &self,
        actor: &Actor,
        today: Date,
        now: i64,
        page: Option<i64>,
    ) -> Result<Vec<HouseholdFacts>> {
        let decision = policy::may_scan_population(actor);
        let mut tx = self.write_tx().await?;
        let entry = NewEntry {
            actor,
            resident: None,
            action: Action::RegisterDoorgerekend,
            purpose: Purpose::ProactiveOutreach,
            outcome: decision,
            detail: "alle huishoudens: geboortedatum, rol, inkomen, vermogen, voorzieningen, wijk"
                .to_string(),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        decision?;
        let direct = match page {
            Some(_) => None,
            None => self.direct_sqlite()?,
        };
        match direct {
            Some(conn) => {
                let rows = tokio::task::spawn_blocking(move || sqlite::members(conn))
                    .await
                    .map_err(|e| {
                        StoreError::Corrupt(format!("the register read stopped: {e}"))
                    })??;
                let mut fold = Households::new(today);
                for (household, member) in rows {
                    fold.push(household, member);
                }
                Ok(fold.finish())
            }
            None => self.paged_households(page.unwrap_or(PAGE), today).await,
        }
    }

    /// Every household, read through the pool in keyset pages of residents
    /// ordered by household and id, each page folded into households
    /// before the next is read: a million residents are never held at once.
    async fn paged_households(&self, page: i64, today: Date) -> Result<Vec<HouseholdFacts>> {
        let mut fold = Households::new(today);
        let (mut after_household, mut after_id) = (i64::MIN, i64::MIN);
        loop {
            let rows = sqlx::query(&format!(
                "SELECT {MEMBER_COLUMNS} FROM residents WHERE household_id > $1 OR (household_id = $1 AND id > $2) \
                 ORDER BY household_id, id LIMIT $3"
            ))
            .bind(after_household)
            .bind(after_id)
            .bind(page)
            .fetch_all(self.pool())
            .await?;
            for r in &rows {
                let m = member_row(r)?;
                (after_household, after_id) = (r.try_get("household_id")?, m.id.0);
                fold.push(after_household, m);
            }
            if (rows.len() as i64) < page {
                break;
            }
        }
        Ok(fold.finish())
    }
}

/// Residents in household order folded into households.
struct Households {
    today: Date,
    done: Vec<HouseholdFacts>,
    current: Option<i64>,
    members: Vec<Member>,
}

impl Households {
    fn new(today: Date) -> Households {
        Households {
            today,
            done: Vec::new(),
            current: None,
            members: Vec::new(),
        }
    }

    fn push(&mut self, household: i64, member: Member) {
        if self.current != Some(household) {
            self.done
                .extend(HouseholdFacts::from_members(&self.members, self.today));
            self.members.clear();
            self.current = Some(household);
        }
        self.members.push(member);
    }

    fn finish(mut self) -> Vec<HouseholdFacts> {
        self.done
            .extend(HouseholdFacts::from_members(&self.members, self.today));
        self.done
    }
}

/// The columns of a member, the household first.
pub(crate) const MEMBER_COLUMNS: &str = "household_id, id, rol_in_huishouden, geboortedatum, inkomen_cents, vermogen_cents, voorzieningen, wijk";

/// Positions in [`MEMBER_COLUMNS`], for the SQLite scan's loop over a
/// million rows, where a lookup by name per cell costs more than the read.
pub(crate) mod member_at {
    pub const HOUSEHOLD: usize = 0;
    pub const ID: usize = 1;
    pub const ROLE: usize = 2;
    pub const BORN: usize = 3;
    pub const INCOME: usize = 4;
    pub const ASSETS: usize = 5;
    pub const VOORZIENINGEN: usize = 6;
    pub const WIJK: usize = 7;
}

pub(crate) fn member(
    id: i64,
    role: &str,
    born: &str,
    (inkomen, vermogen): (i64, i64),
    voorzieningen: &str,
    wijk: String,
) -> Result<Member> {
    let corrupt =
        |e: wegwijs_domain::ValidationError| StoreError::Corrupt(format!("resident {}", e.field));
    Ok(Member {
        id: ResidentId(id),
        role: HouseholdRole::from_code(role).map_err(corrupt)?,
        geboortedatum: parse_date("geboortedatum", born).map_err(corrupt)?,
        netto_inkomen_maand: inkomen,
        vermogen,
        voorzieningen: Voorziening::parse_list(voorzieningen).map_err(corrupt)?,
        wijk,
    })
}

/// [`member`] of a pool row with [`MEMBER_COLUMNS`] by name.
pub(crate) fn member_row(r: &sqlx::any::AnyRow) -> Result<Member> {
    member(
        r.try_get("id")?,
        &r.try_get::<String, _>("rol_in_huishouden")?,
        &r.try_get::<String, _>("geboortedatum")?,
        (r.try_get("inkomen_cents")?, r.try_get("vermogen_cents")?),
        &r.try_get::<String, _>("voorzieningen")?,
        r.try_get("wijk")?,
    )
}

#[cfg(test)]
mod member_columns {
    use super::{MEMBER_COLUMNS, member_at::*};

    #[test]
    fn the_positions_name_the_columns() {
        let names: Vec<&str> = MEMBER_COLUMNS.split(", ").collect();
        for (at, name) in [
            (HOUSEHOLD, "household_id"),
            (ID, "id"),
            (ROLE, "rol_in_huishouden"),
            (BORN, "geboortedatum"),
            (INCOME, "inkomen_cents"),
            (ASSETS, "vermogen_cents"),
            (VOORZIENINGEN, "voorzieningen"),
            (WIJK, "wijk"),
        ] {
            assert_eq!(names[at], name);
        }
        assert_eq!(names.len(), 8);
    }
}
