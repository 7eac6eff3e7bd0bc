//! A resident's consents: read and changed by the resident only, every
//! change kept with the text version it was made on, and read by outreach
//! so that a "no" or "liever niet benaderd" takes effect at once.

use crate::audit::{self, Action, NewEntry};
use crate::need_to_know::{day_of, resident_choices};
use crate::residents::check_and_log;
use crate::{Result, Store, StoreError, Tx};
use sqlx::Row;
use time::Date;
use wegwijs_domain::consent::HouseholdChoices;
use wegwijs_domain::consent::{PAUSE, TEXT_VERSION, Topic, channel_of, deciders_born_by};
use wegwijs_domain::person::{format_date, parse_date};
use wegwijs_domain::signal::kinds::ContactKind;
use wegwijs_domain::{Actor, Purpose, ResidentId, policy};

/// A resident's choices as they stand.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Consents {
    /// Per topic: given or not, and whether the resident chose (else the
    /// topic's default holds).
    pub topics: Vec<TopicState>,
    /// "Liever niet benaderd" until and including this day.
    pub paused_until: Option<Date>,
    /// The resident is old enough to decide ([`wegwijs_domain::consent::may_decide`]).
    pub decides: bool,
    /// The choices that hold for the whole household, the other members'
    /// names only where they agreed; not part of the resident's download.
    #[serde(skip)]
    pub household: HouseholdChoices,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TopicState {
    pub topic: &'static str,
    pub given: bool,
    pub chosen: bool,
    /// The version of the text the choice was made on.
    pub text_version: Option<String>,
}

/// One change the resident makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Set(Topic, bool),
    Pause(Date),
    EndPause,
}

impl Store {
    /// The resident's consents; only the resident reads them here.
    pub async fn own_consents(
        &self,
        actor: &Actor,
        resident: ResidentId,
        today: Date,
        now: i64,
    ) -> Result<Consents> {
        let mut tx = self.write_tx().await?;
        let decision = check_and_log(
            &mut tx,
            self,
            (actor, resident, Purpose::OwnView),
            Action::ToestemmingenBekeken,
            "",
            now,
        )
        .await?;
        if let Err(denied) = decision {
            tx.commit().await?; // the refusal stays in the log
            return Err(denied.into());
        }
        let mut consents = current(&mut tx, resident, today).await?;
        consents.household = resident_choices(&mut tx, resident, today, false).await?;
        consents.decides =
            wegwijs_domain::consent::may_decide(age_of(&mut tx, resident, today).await?);
        tx.commit().await?;
        Ok(consents)
    }

    /// Records a change at once; the audit entry names the topic, not the
    /// choice's reasons (there are none to give).
    pub async fn change_consent(
        &self,
        actor: &Actor,
        resident: ResidentId,
        change: Change,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let (topic, given, until) = match change {
            Change::Set(t, given) => (t.code(), given, None),
            Change::Pause(until) => (PAUSE, true, Some(format_date(until))),
            Change::EndPause => (PAUSE, false, None),
        };
        let detail = format!("{topic}: {}", if given { "ja" } else { "nee" });
        let age = age_of(&mut tx, resident, day_of(now)?).await?;
        let decision = policy::may_choose(actor, resident, age);
        let entry = NewEntry {
            actor,
            resident: Some(resident),
            action: Action::ToestemmingGewijzigd,
            purpose: Purpose::OwnChoice,
            outcome: decision,
            detail,
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        if let Err(denied) = decision {
            tx.commit().await?; // the refusal stays in the log
            return Err(denied.into());
        }
        sqlx::query(
            "INSERT INTO consent_history (resident_id, topic, given, until, text_version, at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(resident.0)
        .bind(topic)
        .bind(i64::from(given))
        .bind(until.clone())
        .bind(TEXT_VERSION)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO consent_state (resident_id, topic, given, until, text_version, at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (resident_id, topic) DO UPDATE SET \
             given = excluded.given, until = excluded.until, text_version = excluded.text_version, at = excluded.at",
        )
        .bind(resident.0)
        .bind(topic)
        .bind(i64::from(given))
        .bind(until)
        .bind(TEXT_VERSION)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        cancel_open_tasks(&mut tx, resident, change, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A "no" or a pause holds at once: open outreach tasks of the household's
/// open cases that it rules out lapse ('vervallen'), as when a case closes.
async fn cancel_open_tasks(
    tx: &mut Tx,
    resident: ResidentId,
    change: Change,
    now: i64,
) -> Result<()> {
    let kinds: Vec<&'static str> = match change {
        Change::Set(Topic::ProactiefBenaderen, false) | Change::Pause(_) => Vec::new(),
        Change::Set(topic, false) if topic.is_channel() => ContactKind::ALL
            .iter()
            .filter(|k| channel_of(**k) == Some(topic))
            .map(|k| k.code())
            .collect(),
        _ => return Ok(()),
    };
    let only_kinds = if kinds.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> = kinds.iter().map(|k| format!("'{k}'")).collect();
        format!(" AND kind IN ({})", quoted.join(", "))
    };
    sqlx::query(&format!(
        "UPDATE outreach_tasks SET status = 'vervallen', done_at = $1 WHERE status = 'open'{only_kinds} \
         AND case_id IN (SELECT sc.id FROM signal_cases sc JOIN residents r ON r.household_id = sc.household_id \
         WHERE r.id = $2 AND sc.closed_on IS NULL)"
    ))
    .bind(now)
    .bind(resident.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The resident's age in whole years on `today`.
async fn age_of(tx: &mut Tx, resident: ResidentId, today: Date) -> Result<i32> {
    let born: String = sqlx::query("SELECT geboortedatum FROM residents WHERE id = $1")
        .bind(resident.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_get("geboortedatum")?;
    let born = parse_date("geboortedatum", &born)
        .map_err(|_| StoreError::Corrupt("date of birth".into()))?;
    Ok(wegwijs_domain::person::age_on(born, today))
}

async fn current(tx: &mut Tx, resident: ResidentId, today: Date) -> Result<Consents> {
    let rows = sqlx::query(
        "SELECT topic, given, until, text_version FROM consent_state WHERE resident_id = $1",
    )
    .bind(resident.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut out = Consents::default();
    let mut chosen = std::collections::HashMap::new();
    for r in &rows {
        let topic: String = r.try_get("topic")?;
        let given = r.try_get::<i64, _>("given")? != 0;
        if topic == PAUSE {
            let until: Option<String> = r.try_get("until")?;
            out.paused_until = match until {
                Some(u) if given => Some(
                    parse_date("until", &u)
                        .map_err(|_| StoreError::Corrupt("consent end date".into()))?,
                )
                .filter(|d| *d >= today),
                _ => None,
            };
        } else {
            chosen.insert(topic, (given, r.try_get::<String, _>("text_version")?));
        }
    }
    out.topics = Topic::ALL
        .iter()
        .map(|t| match chosen.remove(t.code()) {
            Some((given, version)) => TopicState {
                topic: t.code(),
                given,
                chosen: true,
                text_version: Some(version),
            },
            None => TopicState {
                topic: t.code(),
                given: t.default_given(),
                chosen: false,
                text_version: None,
            },
        })
        .collect();
    Ok(out)
}

/// SQL that holds for a household none of whose members who decide (born
/// on or before the bound date `born_by`, see
/// [`wegwijs_domain::consent::deciders_born_by`]) said no to being
/// approached, nor asked not to be approached on `today` (a bound date).
/// For outreach over households: one such member's wish holds for the
/// household's case; a young child's does not.
pub(crate) fn household_may_be_approached(household: &str, today: &str, born_by: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM consent_state cs JOIN residents cr ON cr.id = cs.resident_id \
         WHERE cr.household_id = {household} AND cr.geboortedatum <= {born_by} \
         AND ((cs.topic = 'proactief-benaderen' AND cs.given = 0) \
         OR (cs.topic = '{PAUSE}' AND cs.given = 1 AND cs.until >= {today})))"
    )
}

/// SQL that holds for a household with a choice, by a member who decides,
/// after which outreach starts again: a pause (running or over) or a yes
/// to being contacted.
pub(crate) fn household_has_restart(household: &str, born_by: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM consent_state cs JOIN residents cr ON cr.id = cs.resident_id \
         WHERE cr.household_id = {household} AND cr.geboortedatum <= {born_by} \
         AND cs.topic IN ('{PAUSE}', 'proactief-benaderen'))"
    )
}

/// Per open case of `org` whose household made such a choice: the day
/// from which the outreach plan runs again — the day after a pause's last
/// day, the day a pause was ended, or the day of a yes to being contacted;
/// the latest of the household's members who decide on `today`.
pub(crate) async fn restarts(
    tx: &mut Tx,
    org: i64,
    today: Date,
) -> Result<std::collections::HashMap<i64, Date>> {
    let rows = sqlx::query(&format!(
        "SELECT sc.id, cs.topic, cs.given, cs.until, cs.at FROM signal_cases sc \
         JOIN residents cr ON cr.household_id = sc.household_id \
         JOIN consent_state cs ON cs.resident_id = cr.id \
         WHERE sc.org_id = $1 AND sc.closed_on IS NULL AND cs.topic IN ('{PAUSE}', 'proactief-benaderen') \
         AND cr.geboortedatum <= $2"
    ))
    .bind(org)
    .bind(format_date(deciders_born_by(today)))
    .fetch_all(&mut **tx)
    .await?;
    let mut out: std::collections::HashMap<i64, Date> = Default::default();
    for r in &rows {
        let topic: String = r.try_get("topic")?;
        let given = r.try_get::<i64, _>("given")? != 0;
        let until: Option<String> = r.try_get("until")?;
        let on_the_day = day_of(r.try_get("at")?)?;
        let restart = match (topic.as_str(), given, until) {
            (PAUSE, true, Some(u)) => parse_date("until", &u)
                .map_err(|_| StoreError::Corrupt("consent end date".into()))?
                .next_day()
                .unwrap_or(on_the_day),
            (PAUSE, false, _) => on_the_day,
            (_, true, _) => on_the_day,
            _ => continue,
        };
        let e = out.entry(r.try_get("id")?).or_insert(restart);
        *e = (*e).max(restart);
    }
    Ok(out)
}

/// Residents who may not be approached on `today`: their household holds
/// a "no" or a pause (see [`household_may_be_approached`]).
pub(crate) async fn not_to_approach(
    tx: &mut Tx,
    today: Date,
) -> Result<std::collections::HashSet<i64>> {
    let sql = format!(
        "SELECT r.id FROM residents r WHERE r.household_id IN (SELECT cr.household_id \
         FROM consent_state cs JOIN residents cr ON cr.id = cs.resident_id \
         WHERE cs.topic IN ('proactief-benaderen', '{PAUSE}')) AND NOT {}",
        household_may_be_approached("r.household_id", "$1", "$2")
    );
    sqlx::query(&sql)
        .bind(format_date(today))
        .bind(format_date(deciders_born_by(today)))
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| Ok(r.try_get("id")?))
        .collect()
}
