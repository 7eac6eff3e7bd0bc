//! The population register: residents and households. Every read of a
//! resident's data goes through the policy and leaves an audit entry.

use crate::audit::Action;
use crate::audit::writer::OwnedEntry;
use crate::audit::{self, NewEntry};
use crate::meta::Mode;
use crate::read::Cells;
use crate::{Result, Store, StoreError, Tx};
use sqlx::Row;
use std::collections::HashMap;
use wegwijs_domain::person::{Address, PersonName, format_date, parse_date};
use wegwijs_domain::policy::{self, ResidentFacts};
use wegwijs_domain::{
    Actor, Bsn, Finances, HouseholdRole, Money, Purpose, Resident, ResidentId, ResidentRecord,
    Voorziening,
};

/// Rows per INSERT statement: 19 parameters each stays under SQLite's and
/// PostgreSQL's parameter limits.
const BATCH: usize = 500;

pub(crate) const RESIDENT_COLUMNS: &str = "r.id, r.bsn, r.voornamen, r.voorvoegsel, r.achternaam, r.geboortedatum, r.straat, \
     r.huisnummer, r.huisletter, r.toevoeging, r.postcode, r.woonplaats, r.wijk, r.buurt, h.register_key, \
     r.rol_in_huishouden, r.inkomen_cents, r.vermogen_cents, r.voorzieningen";

/// What an import changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Residents added or changed.
    pub written: u64,
    /// Residents already present with exactly these facts.
    pub unchanged: u64,
}

impl Store {
    /// Loads register records in one transaction: all of them, or none when
    /// anything fails. Residents are matched on BSN, so loading the same
    /// extract again changes nothing. Each added or changed resident gets an
    /// audit entry. `progress` hears how many records are done.
    pub async fn import_register(
        &self,
        actor: &Actor,
        records: &[ResidentRecord],
        now: i64,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<ImportSummary> {
        let mut import = self.begin_register_import(actor, now).await?;
        for chunk in records.chunks(BATCH) {
            import.push(chunk).await?;
            progress(import.records_done());
        }
        import.commit().await
    }

    /// Starts a register import that takes records in batches, for files
    /// too large to hold in memory. Nothing is visible to others until
    /// [`RegisterImport::commit`]; dropping it undoes everything.
    pub async fn begin_register_import<'a>(
        &self,
        actor: &'a Actor,
        now: i64,
    ) -> Result<RegisterImport<'a>> {
        policy::may_write_register(actor, Purpose::RegisterImport)?;
        Ok(RegisterImport {
            tx: self.write_tx().await?,
            backend: self.backend(),
            chain: self.chain().clone(),
            actor,
            now,
            summary: ImportSummary::default(),
        })
    }

    /// The resident with this BSN, for a resident logging in with DigiD
    /// (the BSN claim). Logged as the resident's own act.
    pub async fn resident_login(&self, bsn: &Bsn, now: i64) -> Result<Option<ResidentId>> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query("SELECT id FROM residents WHERE bsn = $1")
            .bind(bsn.expose())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let id = ResidentId(row.try_get("id")?);
        let actor = Actor::Resident(id);
        let entry = NewEntry {
            actor: &actor,
            resident: Some(id),
            action: Action::Ingelogd,
            purpose: Purpose::OwnView,
            outcome: Ok(()),
            detail: "DigiD".to_string(),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Made-up residents to pick from at the demo DigiD login, with their
    /// BSN. Refused unless the database is a demo.
    pub async fn demo_login_candidates(&self, limit: i64, now: i64) -> Result<Vec<(Bsn, String)>> {
        policy::may_use_demo_login(self.mode().await? == Some(Mode::Demo))?;
        let mut tx = self.write_tx().await?;
        let rows = sqlx::query(&format!(
            "SELECT {RESIDENT_COLUMNS} FROM residents r JOIN households h ON h.id = r.household_id ORDER BY r.id LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let residents = rows
            .iter()
            .map(resident_from_row)
            .collect::<Result<Vec<_>>>()?;
        let actor = Actor::System("demo-digid");
        let entries: Vec<NewEntry> = residents
            .iter()
            .map(|r| NewEntry {
                actor: &actor,
                resident: Some(r.id),
                action: Action::DemoKeuzelijst,
                purpose: Purpose::DemoLogin,
                outcome: Ok(()),
                detail: "naam, bsn".to_string(),
            })
            .collect();
        audit::append(&mut tx, self.chain(), now, &entries).await?;
        tx.commit().await?;
        Ok(residents
            .into_iter()
            .map(|r| (r.record.bsn, r.record.name.informal()))
            .collect())
    }

    /// Whether the demo login may log in as `bsn`: only in a demo database,
    /// and only as one of the first `offered` residents, the made-up ones
    /// it lists. A refusal is logged (without the BSN) and returned.
    pub async fn demo_login_offered(&self, bsn: &Bsn, offered: i64, now: i64) -> Result<()> {
        let demo = self.mode().await? == Some(Mode::Demo);
        let listed = demo
            && sqlx::query(
                "SELECT c.id FROM (SELECT id, bsn FROM residents ORDER BY id LIMIT $1) c WHERE c.bsn = $2",
            )
            .bind(offered)
            .bind(bsn.expose())
            .fetch_optional(self.pool())
            .await?
            .is_some();
        let Err(denied) = policy::may_demo_log_in(demo, listed) else {
            return Ok(());
        };
        let actor = Actor::System("demo-digid");
        let entry = NewEntry {
            actor: &actor,
            resident: None,
            action: Action::Ingelogd,
            purpose: Purpose::DemoLogin,
            outcome: Err(denied),
            detail: "niet aangeboden in de demo".to_string(),
        };
        let mut tx = self.write_tx().await?;
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Err(denied.into())
    }

    /// The wijken of the register, for filters; no personal data. Read by
    /// skipping through the wijk index from one wijk to the next: a few
    /// dozen lookups instead of a read of every resident.
    pub async fn wijken(&self) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "WITH RECURSIVE w(wijk) AS (SELECT MIN(wijk) FROM residents \
             UNION ALL SELECT (SELECT MIN(r.wijk) FROM residents r WHERE r.wijk > w.wijk) FROM w \
             WHERE w.wijk IS NOT NULL) \
             SELECT wijk FROM w WHERE wijk IS NOT NULL",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok(r.try_get("wijk")?)).collect()
    }

    pub async fn count_residents(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM residents")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Residents' ids in register order, for tools that assign work (e.g.
    /// the demo). Ids are not personal data.
    pub async fn resident_ids(&self, limit: i64) -> Result<Vec<ResidentId>> {
        let rows = sqlx::query("SELECT id FROM residents ORDER BY id LIMIT $1")
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| Ok(ResidentId(r.try_get("id")?)))
            .collect()
    }
}

/// A register import in progress; see [`Store::begin_register_import`].
pub struct RegisterImport<'a> {
    tx: Tx,
    backend: crate::Backend,
    chain: crate::audit::Chain,
    actor: &'a Actor,
    now: i64,
    summary: ImportSummary,
}

impl RegisterImport<'_> {
    /// Adds records (any number; they are written in batches).
    pub async fn push(&mut self, records: &[ResidentRecord]) -> Result<()> {
        for chunk in records.chunks(BATCH) {
            let households = upsert_households(&mut self.tx, self.backend, chunk).await?;
            let written =
                upsert_residents(&mut self.tx, self.backend, chunk, &households, self.now).await?;
            let entries: Vec<NewEntry> = written
                .iter()
                .map(|id| NewEntry {
                    actor: self.actor,
                    resident: Some(*id),
                    action: Action::RegistratieVastgelegd,
                    purpose: Purpose::RegisterImport,
                    outcome: Ok(()),
                    detail: String::new(),
                })
                .collect();
            audit::append(&mut self.tx, &self.chain, self.now, &entries).await?;
            self.summary.written += written.len() as u64;
            self.summary.unchanged += (chunk.len() - written.len()) as u64;
        }
        Ok(())
    }

    pub fn records_done(&self) -> usize {
        (self.summary.written + self.summary.unchanged) as usize
    }

    pub async fn commit(mut self) -> Result<ImportSummary> {
        // Open work keeps its resident's wijk (a move changes it).
        sqlx::query(
            "UPDATE work_items SET wijk = (SELECT r.wijk FROM residents r WHERE r.id = work_items.resident_id) \
             WHERE status = 'open' AND wijk <> (SELECT r.wijk FROM residents r WHERE r.id = work_items.resident_id)",
        )
        .execute(&mut *self.tx)
        .await?;
        self.tx.commit().await?;
        Ok(self.summary)
    }
}

async fn upsert_households(
    tx: &mut Tx,
    backend: crate::Backend,
    chunk: &[ResidentRecord],
) -> Result<HashMap<String, i64>> {
    let mut keys: Vec<&str> = chunk.iter().map(|r| r.huishouden.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    let placeholders = backend.placeholders(keys.len(), 1);
    let insert = format!(
        "INSERT INTO households (register_key) VALUES {placeholders} ON CONFLICT (register_key) DO NOTHING"
    );
    let mut q = sqlx::query(&insert);
    for k in &keys {
        q = q.bind(k.to_string());
    }
    q.execute(&mut **tx).await?;
    let select = format!(
        "SELECT id, register_key FROM households WHERE register_key IN {}",
        backend.placeholders(1, keys.len())
    );
    let mut q = sqlx::query(&select);
    for k in &keys {
        q = q.bind(k.to_string());
    }
    let rows = q.fetch_all(&mut **tx).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("register_key")?, r.try_get("id")?)))
        .collect()
}

const UPSERT_COLUMNS: [&str; 19] = [
    "bsn",
    "voornamen",
    "voorvoegsel",
    "achternaam",
    "geboortedatum",
    "straat",
    "huisnummer",
    "huisletter",
    "toevoeging",
    "postcode",
    "woonplaats",
    "wijk",
    "buurt",
    "household_id",
    "rol_in_huishouden",
    "inkomen_cents",
    "vermogen_cents",
    "voorzieningen",
    "updated_at",
];

/// Inserts new residents and updates changed ones; returns the ids of those
/// written (unchanged rows are left alone and not returned).
async fn upsert_residents(
    tx: &mut Tx,
    backend: crate::Backend,
    chunk: &[ResidentRecord],
    households: &HashMap<String, i64>,
    now: i64,
) -> Result<Vec<ResidentId>> {
    let n = UPSERT_COLUMNS.len();
    let facts = &UPSERT_COLUMNS[1..n - 1];
    let sql = format!(
        "INSERT INTO residents ({}) VALUES {} ON CONFLICT (bsn) DO UPDATE SET {}, updated_at = excluded.updated_at \
         WHERE {} RETURNING id",
        UPSERT_COLUMNS.join(", "),
        backend.placeholders(chunk.len(), n),
        facts
            .iter()
            .map(|c| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", "),
        facts
            .iter()
            .map(|c| format!("residents.{c} IS DISTINCT FROM excluded.{c}"))
            .collect::<Vec<_>>()
            .join(" OR "),
    );
    let mut q = sqlx::query(&sql);
    for r in chunk {
        let household = *households
            .get(&r.huishouden)
            .ok_or_else(|| StoreError::Corrupt("household vanished during import".into()))?;
        q = q
            .bind(r.bsn.expose())
            .bind(r.name.voornamen.clone())
            .bind(r.name.voorvoegsel.clone())
            .bind(r.name.achternaam.clone())
            .bind(format_date(r.geboortedatum))
            .bind(r.address.straat.clone())
            .bind(r.address.huisnummer as i64)
            .bind(r.address.huisletter.map(String::from))
            .bind(r.address.toevoeging.clone())
            .bind(r.address.postcode.compact())
            .bind(r.address.woonplaats.clone())
            .bind(r.wijk.clone())
            .bind(r.buurt.clone())
            .bind(household)
            .bind(r.rol_in_huishouden.code())
            .bind(r.finances.netto_inkomen_maand.cents())
            .bind(r.finances.vermogen.cents())
            .bind(Voorziening::format_list(&r.finances.voorzieningen))
            .bind(now);
    }
    let rows = q.fetch_all(&mut **tx).await?;
    rows.iter()
        .map(|r| Ok(ResidentId(r.try_get("id")?)))
        .collect()
}

impl Store {
    /// A write transaction for `who`'s access to a resident's data, the
    /// attempt logged with `action`; a refusal is committed (it stays in
    /// the log) and returned as the error.
    pub(crate) async fn begin_access(
        &self,
        who: (&Actor, ResidentId, Purpose),
        action: Action,
        detail: &str,
        now: i64,
    ) -> Result<Tx> {
        let mut tx = self.write_tx().await?;
        if let Err(denied) = check_and_log(&mut tx, self, who, action, detail, now).await? {
            tx.commit().await?;
            return Err(denied.into());
        }
        Ok(tx)
    }
}

impl Store {
    /// For a function that only reads: the same decision and audit entry as
    /// [`Store::begin_access`], but the entry goes through the audit writer
    /// (group commit) and is durable before this returns; the reads then run
    /// in a read transaction, outside the write lock. A refusal is logged the
    /// same way and returned.
    pub(crate) async fn read_access(
        &self,
        (actor, resident, purpose): (&Actor, ResidentId, Purpose),
        action: Action,
        detail: &str,
        now: i64,
    ) -> Result<Tx> {
        let facts = ResidentFacts {
            orgs_with_open_work: self
                .read_rows(FACTS_SQL, vec![resident.0.into()], org_id)
                .await?,
        };
        let decision = policy::may_read_resident(actor, resident, purpose, &facts);
        let entry = OwnedEntry {
            actor: *actor,
            resident: Some(resident),
            action,
            purpose,
            outcome: decision,
            detail: detail.to_string(),
        };
        self.audit.log(now, vec![entry]).await?;
        decision?;
        self.read_tx().await
    }
}

/// May `actor` read or change `resident`'s data for `purpose`? The attempt
/// is logged either way; on a refusal the caller commits, so that the
/// refusal stays in the log, and returns the error.
pub(crate) async fn check_and_log(
    tx: &mut Tx,
    store: &Store,
    (actor, resident, purpose): (&Actor, ResidentId, Purpose),
    action: Action,
    detail: &str,
    now: i64,
) -> Result<Result<(), wegwijs_domain::Denied>> {
    let facts = resident_facts(tx, resident).await?;
    let decision = policy::may_read_resident(actor, resident, purpose, &facts);
    let entry = NewEntry {
        actor,
        resident: Some(resident),
        action,
        purpose,
        outcome: decision,
        detail: detail.to_string(),
    };
    audit::append(tx, store.chain(), now, &[entry]).await?;
    Ok(decision)
}

/// The organisations with open work about a resident (theirs or their
/// household's signal case): what the policy decides reads by.
const FACTS_SQL: &str = "SELECT org_id FROM work_items WHERE resident_id = $1 AND status = 'open' \
     UNION SELECT c.org_id FROM signal_cases c JOIN residents r ON r.household_id = c.household_id \
     WHERE r.id = $1 AND c.closed_on IS NULL";

fn org_id(r: &dyn Cells) -> Result<i64> {
    r.int("org_id")
}

/// [`FACTS_SQL`] inside a transaction that goes on to write.
pub(crate) async fn resident_facts(tx: &mut Tx, id: ResidentId) -> Result<ResidentFacts> {
    let rows = sqlx::query(FACTS_SQL)
        .bind(id.0)
        .fetch_all(&mut **tx)
        .await?;
    Ok(ResidentFacts {
        orgs_with_open_work: rows.iter().map(|r| org_id(r)).collect::<Result<_>>()?,
    })
}

pub(crate) async fn fetch_resident(tx: &mut Tx, id: ResidentId) -> Result<Resident> {
    let row = sqlx::query(&format!(
        "SELECT {RESIDENT_COLUMNS} FROM residents r JOIN households h ON h.id = r.household_id WHERE r.id = $1"
    ))
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    resident_from_row(&row)
}

pub(crate) fn resident_from_row(r: &sqlx::any::AnyRow) -> Result<Resident> {
    let corrupt =
        |e: wegwijs_domain::ValidationError| StoreError::Corrupt(format!("resident {}", e.field));
    let voorvoegsel: Option<String> = r.try_get("voorvoegsel")?;
    let huisletter: Option<String> = r.try_get("huisletter")?;
    let toevoeging: Option<String> = r.try_get("toevoeging")?;
    let huisnummer: i64 = r.try_get("huisnummer")?;
    let record = ResidentRecord {
        bsn: Bsn::parse(&r.try_get::<String, _>("bsn")?).map_err(corrupt)?,
        name: PersonName::new(
            &r.try_get::<String, _>("voornamen")?,
            voorvoegsel.as_deref().unwrap_or(""),
            &r.try_get::<String, _>("achternaam")?,
        )
        .map_err(corrupt)?,
        geboortedatum: parse_date("geboortedatum", &r.try_get::<String, _>("geboortedatum")?)
            .map_err(corrupt)?,
        address: Address::new(
            &r.try_get::<String, _>("straat")?,
            &huisnummer.to_string(),
            huisletter.as_deref().unwrap_or(""),
            toevoeging.as_deref().unwrap_or(""),
            &r.try_get::<String, _>("postcode")?,
            &r.try_get::<String, _>("woonplaats")?,
        )
        .map_err(corrupt)?,
        wijk: r.try_get("wijk")?,
        buurt: r.try_get("buurt")?,
        huishouden: r.try_get("register_key")?,
        rol_in_huishouden: HouseholdRole::from_code(&r.try_get::<String, _>("rol_in_huishouden")?)
            .map_err(corrupt)?,
        finances: Finances {
            netto_inkomen_maand: Money::from_cents(r.try_get("inkomen_cents")?),
            vermogen: Money::from_cents(r.try_get("vermogen_cents")?),
            voorzieningen: Voorziening::parse_list(&r.try_get::<String, _>("voorzieningen")?)
                .map_err(corrupt)?,
        },
    };
    Ok(Resident {
        id: ResidentId(r.try_get("id")?),
        record,
    })
}
