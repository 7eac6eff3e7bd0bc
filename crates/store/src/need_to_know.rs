//! Reading a resident as need-to-know allows: the facts the policy decides
//! the field groups by (the reader's organisation, its open work, the
//! resident's sharing consents), and the household's choices that staff
//! must respect where they act.

use crate::audit::Action;
use crate::read::Cells;
use crate::residents::fetch_resident;
use crate::{Result, Store, StoreError, Tx};
use std::collections::HashMap;
use time::Date;
use wegwijs_domain::consent::{HouseholdChoices, MemberChoice, Topic, deciders_born_by};
use wegwijs_domain::person::{PersonName, format_date, parse_date};
use wegwijs_domain::policy::{self, FieldFacts, Seen};
use wegwijs_domain::{Actor, OrgKind, Purpose, ResidentId, WorkKind};

/// The kinds of open work organisation `$2` has about resident `$1`; a
/// signal case of the household counts as signal work.
const WORK_SQL: &str = "SELECT kind FROM work_items WHERE resident_id = $1 AND org_id = $2 AND status = 'open' \
     UNION SELECT 'signaal' AS kind FROM signal_cases c JOIN residents r ON r.household_id = c.household_id \
     WHERE r.id = $1 AND c.org_id = $2 AND c.closed_on IS NULL";

/// The sharing consents resident `$1` gave while old enough to decide
/// (born on or before `$2`).
const SHARING_SQL: &str = "SELECT cs.topic FROM consent_state cs JOIN residents r ON r.id = cs.resident_id \
     WHERE cs.resident_id = $1 AND cs.given = 1 AND cs.topic IN ('delen-uwv', 'delen-schuldhulp') \
     AND r.geboortedatum <= $2";

const ORG_KIND_SQL: &str = "SELECT kind FROM organisations WHERE id = $1";

/// The columns [`member_choice`] reads.
macro_rules! choice_columns {
    () => {
        "r.id, r.voornamen, r.voorvoegsel, r.achternaam, r.geboortedatum, cs.topic, cs.given, cs.until"
    };
}

/// The recorded choices of every member of resident `$1`'s household.
const HOUSEHOLD_CHOICES_SQL: &str = concat!(
    "SELECT ",
    choice_columns!(),
    " FROM residents m JOIN residents r ON r.household_id = m.household_id \
     JOIN consent_state cs ON cs.resident_id = r.id WHERE m.id = $1"
);

impl Store {
    /// Reads one resident for `actor`, if the policy allows it for
    /// `purpose`, with only the field groups the policy shows; the audit
    /// entry names them. Refusals are logged too.
    pub async fn read_resident(
        &self,
        actor: &Actor,
        id: ResidentId,
        purpose: Purpose,
        now: i64,
    ) -> Result<Seen> {
        let today = day_of(now)?;
        let (access, facts) = self.field_access_of(actor, id, purpose, today).await?;
        let who = (actor, id, purpose);
        let mut tx = self
            .read_access(who, Action::InwonerBekeken, &access.describe(), now)
            .await?;
        // Read only once the policy allowed the read and it is logged.
        let staff = matches!(actor, Actor::Staff(_));
        let choices = resident_choices(&mut tx, id, today, staff).await?;
        let resident = fetch_resident(&mut tx, id).await?;
        tx.commit().await?;
        let sharing = facts.map_or_else(Vec::new, |f| f.sharing);
        Ok(Seen::new(resident, access, choices, sharing))
    }

    /// The field groups `actor` sees of resident `id`, and the facts the
    /// policy decided them by (staff only).
    pub(crate) async fn field_access_of(
        &self,
        actor: &Actor,
        id: ResidentId,
        purpose: Purpose,
        today: Date,
    ) -> Result<(policy::FieldAccess, Option<FieldFacts>)> {
        let facts = match actor {
            Actor::Staff(s) => Some(self.field_facts(s.org_id, id, today).await?),
            _ => None,
        };
        Ok((policy::field_access(actor, purpose, facts.as_ref()), facts))
    }

    async fn field_facts(&self, org: i64, id: ResidentId, today: Date) -> Result<FieldFacts> {
        let kind = self
            .read_row(ORG_KIND_SQL, vec![org.into()], |r| r.text("kind"))
            .await?
            .ok_or(StoreError::NotFound)?;
        let org_kind = OrgKind::from_code(&kind)
            .map_err(|_| StoreError::Corrupt("organisation kind".into()))?;
        let work = self
            .read_rows(WORK_SQL, vec![id.0.into(), org.into()], |r| r.text("kind"))
            .await?
            .iter()
            .filter_map(|k| WorkKind::from_code(k).ok())
            .collect();
        let born_by = format_date(deciders_born_by(today));
        let sharing = self
            .read_rows(
                SHARING_SQL,
                vec![id.0.into(), born_by.as_str().into()],
                |r| r.text("topic"),
            )
            .await?
            .iter()
            .filter_map(|t| Topic::from_code(t).ok())
            .collect();
        Ok(FieldFacts {
            org_kind,
            work,
            sharing,
        })
    }
}

/// The choices holding for the household of resident `id`, read inside
/// a transaction that already decided and logged the resident's read.
pub(crate) async fn resident_choices(
    tx: &mut Tx,
    id: ResidentId,
    today: Date,
    staff: bool,
) -> Result<HouseholdChoices> {
    choices_in(tx, HOUSEHOLD_CHOICES_SQL, id.0, today, staff).await
}

/// The choices holding for the household of signal case `case_id`, read
/// inside a transaction that goes on to write (staff act on the case).
pub(crate) async fn case_choices(
    tx: &mut Tx,
    case_id: i64,
    today: Date,
) -> Result<HouseholdChoices> {
    const SQL: &str = concat!(
        "SELECT ",
        choice_columns!(),
        " FROM signal_cases c JOIN residents r ON r.household_id = c.household_id \
         JOIN consent_state cs ON cs.resident_id = r.id WHERE c.id = $1"
    );
    choices_in(tx, SQL, case_id, today, true).await
}

/// The members' choices `sql` reads for `id` ($1), counted.
async fn choices_in(
    tx: &mut Tx,
    sql: &'static str,
    id: i64,
    today: Date,
    staff: bool,
) -> Result<HouseholdChoices> {
    let rows = sqlx::query(sql).bind(id).fetch_all(&mut **tx).await?;
    let members = rows
        .iter()
        .map(|r| member_choice(r))
        .collect::<Result<Vec<_>>>()?;
    Ok(HouseholdChoices::from_members(&members, today, staff))
}

/// Per open case of municipality `org` whose household chose anything:
/// the choices that hold on `today`. Cases without any choice are absent
/// (the defaults hold: `HouseholdChoices::from_members(&[], ..)`).
pub(crate) async fn org_case_choices(
    tx: &mut Tx,
    org: i64,
    today: Date,
) -> Result<HashMap<i64, HouseholdChoices>> {
    let rows = sqlx::query(concat!(
        "SELECT c.id AS case_id, ",
        choice_columns!(),
        " FROM signal_cases c JOIN residents r ON r.household_id = c.household_id \
         JOIN consent_state cs ON cs.resident_id = r.id WHERE c.org_id = $1 AND c.closed_on IS NULL"
    ))
    .bind(org)
    .fetch_all(&mut **tx)
    .await?;
    let mut per_case: HashMap<i64, Vec<MemberChoice>> = HashMap::new();
    for r in &rows {
        per_case
            .entry(r.int("case_id")?)
            .or_default()
            .push(member_choice(r)?);
    }
    Ok(per_case
        .into_iter()
        .map(|(case, members)| (case, HouseholdChoices::from_members(&members, today, true)))
        .collect())
}

fn member_choice(r: &dyn Cells) -> Result<MemberChoice> {
    let corrupt = |_| StoreError::Corrupt("consent choice".into());
    let name = PersonName::new(
        &r.text("voornamen")?,
        r.opt_text("voorvoegsel")?.as_deref().unwrap_or(""),
        &r.text("achternaam")?,
    )
    .map_err(corrupt)?;
    Ok(MemberChoice {
        resident: ResidentId(r.int("id")?),
        name: name.formal(),
        born: parse_date("geboortedatum", &r.text("geboortedatum")?).map_err(corrupt)?,
        topic: r.text("topic")?,
        given: r.int("given")? != 0,
        until: match r.opt_text("until")? {
            Some(u) => Some(parse_date("until", &u).map_err(corrupt)?),
            None => None,
        },
    })
}

/// The Dutch calendar day of a moment in unix seconds.
pub(crate) fn day_of(at: i64) -> Result<Date> {
    let t = time::OffsetDateTime::from_unix_timestamp(at)
        .map_err(|_| StoreError::Corrupt("moment".into()))?;
    Ok(wegwijs_domain::clock::dutch_local(t).date())
}
