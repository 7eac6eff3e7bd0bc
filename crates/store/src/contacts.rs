//! The dossier's contacts with begrijpen/willen/kunnen, and the
//! accommodations that help the resident: written and read as the field
//! group "dossier" of the caseworker's own organisation; the resident sees
//! their own accommodations.

use crate::audit::{self, Action};
use crate::read::Cells;
use crate::{Result, Store, StoreError, Tx};
use wegwijs_domain::accommodation::{Accommodation, Noted};
use wegwijs_domain::bwk::{ContactRecord, ContactWay, Pillar, Reading};
use wegwijs_domain::contact::{ContactDetails, Preferred};
use wegwijs_domain::person::{format_date, parse_date};
use wegwijs_domain::{Actor, Purpose, ResidentId};

/// A contact as the dossier shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactView {
    pub id: i64,
    pub on: time::Date,
    pub way: ContactWay,
    pub summary: String,
    pub pillars: [(Pillar, Reading, String); 3],
    pub by: String,
}

/// An organisation's accommodations for a resident, with its name (for
/// the resident's own page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnAccommodations {
    pub org_name: String,
    pub noted: Noted,
}

impl Store {
    /// The resident gives how they would like to be reached, once.
    pub async fn set_contact_details(
        &self,
        actor: &Actor,
        resident: ResidentId,
        d: &ContactDetails,
        now: i64,
    ) -> Result<()> {
        let who = (actor, resident, Purpose::OwnChoice);
        let mut tx = self
            .begin_access(
                who,
                Action::ContactgegevensGewijzigd,
                d.preferred.code(),
                now,
            )
            .await?;
        sqlx::query(
            "INSERT INTO contact_details (resident_id, phone, email, preferred, avoid, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (resident_id) DO UPDATE SET phone = excluded.phone, \
             email = excluded.email, preferred = excluded.preferred, avoid = excluded.avoid, \
             updated_at = excluded.updated_at",
        )
        .bind(resident.0)
        .bind(d.ways.phone.clone())
        .bind(d.ways.email.clone())
        .bind(d.preferred.code())
        .bind(d.avoid.clone())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// How the resident would like to be reached: for themselves, or for
    /// staff where need-to-know shows their contact. Audited.
    pub async fn contact_details(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Option<ContactDetails>> {
        let purpose = match actor {
            Actor::Resident(_) => Purpose::OwnView,
            _ => {
                let day = crate::need_to_know::day_of(now)?;
                let (access, _) = self
                    .field_access_of(actor, resident, Purpose::Casework, day)
                    .await?;
                if !access.shows(wegwijs_domain::policy::FieldGroup::Contact) {
                    let denied = wegwijs_domain::Denied::NoWorkRelation;
                    let what = (Action::ContactgegevensBekeken, "contactgegevens");
                    crate::notes::refuse(self, actor, resident, what, denied, now).await?;
                    return Err(denied.into());
                }
                Purpose::Casework
            }
        };
        let who = (actor, resident, purpose);
        let mut tx = self
            .read_access(who, Action::ContactgegevensBekeken, "contactgegevens", now)
            .await?;
        let found = contact_details_in(&mut tx, resident).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// Records a contact in the actor's organisation's dossier.
    pub async fn record_contact(
        &self,
        actor: &Actor,
        resident: ResidentId,
        c: &ContactRecord,
        now: i64,
    ) -> Result<i64> {
        let (staff, mut tx) = self
            .dossier_write(actor, resident, (Action::ContactVastgelegd, "contact"), now)
            .await?;
        let [b, w, k] = &c.pillars;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contact_records (org_id, resident_id, user_id, on_date, way, summary, begrijpen, \
             begrijpen_note, willen, willen_note, kunnen, kunnen_note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(staff.org_id)
        .bind(resident.0)
        .bind(staff.user_id)
        .bind(format_date(c.on))
        .bind(c.way.code())
        .bind(c.summary.clone())
        .bind(b.0.code())
        .bind(b.1.clone())
        .bind(w.0.code())
        .bind(w.1.clone())
        .bind(k.0.code())
        .bind(k.1.clone())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let entry = audit::NewEntry::casework(
            actor,
            resident,
            Action::ContactVastgelegd,
            Ok(()),
            format!("contact {id}"),
        );
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The actor's organisation's contacts with `resident`, newest first.
    pub async fn contacts_for(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<ContactView>> {
        let (staff, mut tx) = self
            .dossier_read(
                actor,
                resident,
                (Action::ContactenGelezen, "contacten"),
                now,
            )
            .await?;
        let rows = sqlx::query(
            "SELECT c.id, c.on_date, c.way, c.summary, c.begrijpen, c.begrijpen_note, c.willen, c.willen_note, \
             c.kunnen, c.kunnen_note, u.display_name FROM contact_records c JOIN users u ON u.id = c.user_id \
             WHERE c.resident_id = $1 AND c.org_id = $2 ORDER BY c.on_date DESC, c.id DESC",
        )
        .bind(resident.0)
        .bind(staff.org_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter().map(contact_view).collect()
    }

    /// Sets what helps `resident` in the actor's organisation's dossier.
    pub async fn set_accommodations(
        &self,
        actor: &Actor,
        resident: ResidentId,
        noted: &Noted,
        now: i64,
    ) -> Result<()> {
        let (staff, mut tx) = self
            .dossier_write(
                actor,
                resident,
                (Action::AanpassingenGewijzigd, "aanpassingen"),
                now,
            )
            .await?;
        sqlx::query("DELETE FROM accommodations WHERE resident_id = $1 AND org_id = $2")
            .bind(resident.0)
            .bind(staff.org_id)
            .execute(&mut *tx)
            .await?;
        for a in &noted.0 {
            sqlx::query(
                "INSERT INTO accommodations (org_id, resident_id, code, user_id, added_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(staff.org_id)
            .bind(resident.0)
            .bind(a.code())
            .bind(staff.user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let codes: Vec<&str> = noted.0.iter().map(|a| a.code()).collect();
        let detail = format!("aanpassingen: {}", codes.join(", "));
        let entry = audit::NewEntry::casework(
            actor,
            resident,
            Action::AanpassingenGewijzigd,
            Ok(()),
            detail,
        );
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// What the actor's organisation noted helps `resident`.
    pub async fn accommodations_for(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Noted> {
        let (staff, mut tx) = self
            .dossier_read(
                actor,
                resident,
                (Action::AanpassingenGelezen, "aanpassingen"),
                now,
            )
            .await?;
        let noted = noted_in(&mut tx, staff.org_id, resident).await?;
        tx.commit().await?;
        Ok(noted)
    }

    /// What each organisation noted helps the resident, for the resident.
    pub async fn own_accommodations(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<OwnAccommodations>> {
        let who = (actor, resident, Purpose::OwnView);
        let mut tx = self
            .read_access(who, Action::AanpassingenGelezen, "eigen aanpassingen", now)
            .await?;
        let rows = sqlx::query(
            "SELECT a.code, o.name FROM accommodations a JOIN organisations o ON o.id = a.org_id \
             WHERE a.resident_id = $1 ORDER BY o.name, a.code",
        )
        .bind(resident.0)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut out: Vec<OwnAccommodations> = Vec::new();
        for r in &rows {
            let (code, org) = (r.text("code")?, r.text("name")?);
            let a = Accommodation::from_code(&code).map_err(|_| corrupt("an accommodation"))?;
            match out.last_mut() {
                Some(last) if last.org_name == org => last.noted.0.push(a),
                _ => out.push(OwnAccommodations {
                    org_name: org,
                    noted: Noted(vec![a]),
                }),
            }
        }
        for o in &mut out {
            o.noted.0.sort_unstable();
        }
        Ok(out)
    }
}

/// The resident's contact details, in a transaction that already decided
/// access.
pub(crate) async fn contact_details_in(
    tx: &mut Tx,
    resident: ResidentId,
) -> Result<Option<ContactDetails>> {
    let row = sqlx::query(
        "SELECT phone, email, preferred, avoid FROM contact_details WHERE resident_id = $1",
    )
    .bind(resident.0)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let preferred = r.text("preferred")?;
    Ok(Some(ContactDetails {
        ways: wegwijs_domain::contact::ContactWays {
            phone: r.opt_text("phone")?,
            email: r.opt_text("email")?,
        },
        preferred: Preferred::from_code(&preferred).ok_or_else(|| corrupt("a preferred way"))?,
        avoid: r.text("avoid")?,
    }))
}

/// What `org` noted helps `resident`, in a transaction that already
/// decided access (an appointment, a contact attempt).
pub(crate) async fn noted_in(tx: &mut Tx, org: i64, resident: ResidentId) -> Result<Noted> {
    let rows =
        sqlx::query("SELECT code FROM accommodations WHERE resident_id = $1 AND org_id = $2")
            .bind(resident.0)
            .bind(org)
            .fetch_all(&mut **tx)
            .await?;
    let mut noted = Vec::new();
    for r in &rows {
        noted.push(
            Accommodation::from_code(&r.text("code")?).map_err(|_| corrupt("an accommodation"))?,
        );
    }
    noted.sort_unstable();
    Ok(Noted(noted))
}

fn contact_view(r: &sqlx::any::AnyRow) -> Result<ContactView> {
    let reading = |col: &str| {
        r.text(col)
            .and_then(|c| Reading::from_code(&c).ok_or_else(|| corrupt("a pillar's reading")))
    };
    let way = r.text("way")?;
    let on = r.text("on_date")?;
    Ok(ContactView {
        id: r.int("id")?,
        on: parse_date("on_date", &on).map_err(|_| corrupt("a contact's day"))?,
        way: ContactWay::from_code(&way).ok_or_else(|| corrupt("a contact's way"))?,
        summary: r.text("summary")?,
        pillars: [
            (
                Pillar::Begrijpen,
                reading("begrijpen")?,
                r.text("begrijpen_note")?,
            ),
            (Pillar::Willen, reading("willen")?, r.text("willen_note")?),
            (Pillar::Kunnen, reading("kunnen")?, r.text("kunnen_note")?),
        ],
        by: r.text("display_name")?,
    })
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.to_string())
}
