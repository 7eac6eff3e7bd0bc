//! Taking in a delivery of signals: in one transaction, so a failure or a
//! kill halfway leaves the database as it was. Signals already received
//! (same ID) are skipped; each new one is matched to a resident, joins its
//! household's open case (or opens one), and every touched case gets its
//! priority recomputed at the end.

use super::intake_db::{BULK_FROM, CaseRow, IntakeDb};
use crate::audit::Action;
use crate::audit::NewEntry;
use crate::{Result, Store, StoreError};
use std::collections::{HashMap, HashSet};
use time::{Date, Duration};
use wegwijs_domain::policy;
use wegwijs_domain::signal::priority::{self, SignalFacts};
use wegwijs_domain::signal::{MatchOutcome, Matcher, Signal, SignalStatus};
use wegwijs_domain::{Actor, Purpose, ValidationError};

/// Signals checked and written at a time (also the most signals whose
/// register candidates are asked for in one query).
const BATCH: usize = 5_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    File,
    Api,
    /// A quarantined row an admin corrected and retried.
    Correction,
}

impl SourceKind {
    fn code(self) -> &'static str {
        match self {
            SourceKind::File => "bestand",
            SourceKind::Api => "api",
            SourceKind::Correction => "correctie",
        }
    }
}

/// Where a delivery came from: a file (name and SHA-256), an API token,
/// or an admin's correction.
#[derive(Clone, Debug)]
pub struct SignalSource {
    pub kind: SourceKind,
    pub name: String,
    pub sha256: Option<String>,
    /// The partner token of an API delivery.
    pub token: Option<i64>,
    /// The partner a file comes from (`signals import --partner`); an API
    /// delivery's partner is its token's.
    pub partner: Option<String>,
}

/// Who numbered a delivery's signal IDs: IDs are unique per deliverer
/// within a municipality. A partner token's label, or the partner named
/// with a file; "bestand" for a file without one.
pub(crate) fn deliverer(token_label: Option<&str>, partner: Option<&str>) -> String {
    match token_label
        .or(partner)
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(p) => format!("partner:{p}"),
        None => "bestand".to_string(),
    }
}

/// A refused row kept for correction: its fields as received (in
/// [`COLUMNS`] order) and what is wrong with them.
#[derive(Clone, Debug)]
pub struct Quarantined {
    pub line: u64,
    pub fields: Vec<String>,
    pub problems: Vec<ValidationError>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SignalImportSummary {
    pub import_id: i64,
    /// Signals stored for the first time.
    pub new: u64,
    /// Signals whose ID was already received: skipped.
    pub known: u64,
    pub quarantined: u64,
    pub matched_bsn: u64,
    pub matched_name: u64,
    /// New signals waiting for a caseworker to link them.
    pub queued: u64,
    /// New signals on arrears the resident already declined help for.
    pub objected: u64,
    pub cases_opened: u64,
    pub cases_updated: u64,
}

pub(super) struct Objection {
    pub id: i64,
    pub household: i64,
    pub partner: String,
    pub klantnummer: Option<String>,
}

/// What the import decided for one new signal.
pub(super) struct Placed {
    pub match_code: &'static str,
    pub resident: Option<i64>,
    pub case: Option<i64>,
    pub objection: Option<i64>,
}

impl Placed {
    pub fn status(&self) -> &'static str {
        match self.objection {
            Some(_) => SignalStatus::AndereReden.code(),
            None => SignalStatus::NogNietOpgepakt.code(),
        }
    }
}

/// An import in progress; see [`Store::begin_signal_import`].
pub struct SignalImport<'a> {
    db: IntakeDb,
    actor: &'a Actor,
    org: i64,
    /// See [`deliverer`].
    deliverer: String,
    now: i64,
    today: Date,
    import_id: i64,
    /// Signals with a higher id are this import's.
    last_before: i64,
    whole_register: Option<Matcher>,
    next_case: i64,
    /// Open case per household, including those this import opens.
    open_cases: HashMap<i64, i64>,
    new_cases: HashSet<i64>,
    objections: Vec<Objection>,
    /// (household, facts) of every new signal that joined a case.
    facts: Vec<(i64, SignalFacts)>,
    summary: SignalImportSummary,
    /// Time spent per phase, logged at debug level for benchmarking.
    timings: Timings,
}

#[derive(Default)]
struct Timings {
    register: std::time::Duration,
    known: std::time::Duration,
    matching: std::time::Duration,
    insert: std::time::Duration,
    cases: std::time::Duration,
    commit: std::time::Duration,
}

impl Store {
    /// Starts taking in a delivery for municipality `org`. `expected` is
    /// about how many signals will come: from [`BULK_FROM`] on, matching
    /// reads the whole register at once, and SQLite loads in bulk. Nothing is visible to others until
    /// [`SignalImport::commit`]; dropping it undoes everything.
    pub async fn begin_signal_import<'a>(
        &self,
        actor: &'a Actor,
        org: i64,
        source: &SignalSource,
        expected: usize,
        now: i64,
        today: Date,
    ) -> Result<SignalImport<'a>> {
        policy::may_receive_signals(actor, org)?;
        let mut db = IntakeDb::begin(self).await?;
        let label = match source.token {
            Some(token) => Some(db.token_label(token).await?),
            None => None,
        };
        let deliverer = deliverer(label.as_deref(), source.partner.as_deref());
        let import_id = db
            .insert_import(
                (org, &deliverer),
                source.kind.code(),
                &source.name,
                source.sha256.as_deref(),
                source.token,
                now,
            )
            .await?;
        let next_case = db.next_case_id().await?;
        let last_before = db.last_signal_id().await?;
        let open_cases = db.open_cases(org).await?;
        let objections = db.active_objections(org, today).await?;
        let started = std::time::Instant::now();
        let whole_register = if expected >= BULK_FROM {
            db.prepare_bulk(expected, (org, &deliverer)).await?;
            Some(Matcher::new(db.whole_register().await?))
        } else {
            None
        };
        let timings = Timings {
            register: started.elapsed(),
            ..Default::default()
        };
        Ok(SignalImport {
            db,
            actor,
            org,
            deliverer,
            now,
            today,
            import_id,
            last_before,
            whole_register,
            next_case,
            open_cases,
            new_cases: HashSet::new(),
            objections,
            facts: Vec::new(),
            summary: SignalImportSummary {
                import_id,
                ..Default::default()
            },
            timings,
        })
    }
}

impl SignalImport<'_> {
    /// Adds validated signals (any number). Signals whose ID was received
    /// before are skipped; the caller makes sure IDs are unique within
    /// what it pushes.
    pub async fn push(&mut self, mut signals: Vec<Signal>) -> Result<()> {
        while signals.len() > BATCH {
            let rest = signals.split_off(BATCH);
            self.push_batch(std::mem::replace(&mut signals, rest))
                .await?;
        }
        self.push_batch(signals).await
    }

    async fn push_batch(&mut self, mut batch: Vec<Signal>) -> Result<()> {
        let t = std::time::Instant::now();
        let ids: Vec<&str> = batch.iter().map(|s| s.id.as_str()).collect();
        let known = self.db.known_ids((self.org, &self.deliverer), &ids).await?;
        self.timings.known += t.elapsed();
        let t = std::time::Instant::now();
        let total = batch.len();
        batch.retain(|s| !known.contains(&s.id));
        self.summary.known += (total - batch.len()) as u64;
        if batch.is_empty() {
            return Ok(());
        }
        let partial = match self.whole_register {
            Some(_) => None,
            None => {
                let wanted: Vec<&Signal> = batch.iter().collect();
                Some(Matcher::new(self.db.candidates(&wanted).await?))
            }
        };
        let mut placed = Vec::with_capacity(batch.len());
        for s in &batch {
            let outcome = match partial.as_ref().or(self.whole_register.as_ref()) {
                Some(m) => m.find(s),
                None => MatchOutcome::NotFound,
            };
            placed.push(self.place(s, outcome));
        }
        self.timings.matching += t.elapsed();
        let t = std::time::Instant::now();
        self.summary.new += batch.len() as u64;
        self.db
            .insert_signals(
                (self.org, &self.deliverer),
                self.import_id,
                self.today,
                batch,
                placed,
            )
            .await?;
        self.timings.insert += t.elapsed();
        Ok(())
    }

    /// Links one signal: to its household's open case, a new case, or
    /// nothing (the queue, or a standing objection).
    fn place(&mut self, s: &Signal, outcome: MatchOutcome) -> Placed {
        let Some((resident, household)) = outcome.linked() else {
            self.summary.queued += 1;
            return Placed {
                match_code: outcome.code(),
                resident: None,
                case: None,
                objection: None,
            };
        };
        match outcome {
            MatchOutcome::Bsn { .. } => self.summary.matched_bsn += 1,
            _ => self.summary.matched_name += 1,
        }
        let objection = self
            .objections
            .iter()
            .find(|o| {
                o.household == household
                    && o.partner == s.partner.code()
                    && (o.klantnummer.is_none() || o.klantnummer == s.klantnummer)
            })
            .map(|o| o.id);
        if objection.is_some() {
            self.summary.objected += 1;
            return Placed {
                match_code: outcome.code(),
                resident: Some(resident.0),
                case: None,
                objection,
            };
        }
        let case = *self.open_cases.entry(household).or_insert_with(|| {
            let case = self.next_case;
            self.next_case += 1;
            self.new_cases.insert(case);
            case
        });
        self.facts.push((household, facts_of(s)));
        Placed {
            match_code: outcome.code(),
            resident: Some(resident.0),
            case: Some(case),
            objection: None,
        }
    }

    /// Keeps refused rows for an admin to correct and retry.
    pub async fn quarantine(&mut self, rows: &[Quarantined]) -> Result<()> {
        if !rows.is_empty() {
            self.db
                .insert_quarantine(self.org, self.import_id, self.now, rows)
                .await?;
            self.summary.quarantined += rows.len() as u64;
        }
        Ok(())
    }

    /// Marks quarantined row `id` as taken in by this import (an admin's
    /// correction): both commit together, or neither.
    pub async fn resolve_quarantined(&mut self, id: i64) -> Result<()> {
        if self.db.resolve_quarantine(id, self.org, self.now).await? {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    pub fn summary(&self) -> SignalImportSummary {
        self.summary
    }

    /// Recomputes the touched cases' priorities, records the delivery and
    /// commits everything at once.
    pub async fn commit(mut self) -> Result<SignalImportSummary> {
        let t = std::time::Instant::now();
        self.db.end_bulk()?;
        self.write_cases().await?;
        self.timings.cases = t.elapsed();
        let t = std::time::Instant::now();
        let s = self.summary;
        let entry = NewEntry {
            actor: self.actor,
            resident: None,
            action: Action::SignalenOntvangen,
            purpose: Purpose::SignalIntake,
            outcome: Ok(()),
            detail: format!(
                "levering {}: {} nieuw, {} al ontvangen, {} in quarantaine, {} in wachtrij",
                s.import_id, s.new, s.known, s.quarantined, s.queued
            ),
        };
        self.db
            .finish(
                (self.import_id, self.org, self.today),
                [s.new, s.known, s.quarantined],
                self.now,
                entry,
            )
            .await?;
        self.timings.commit = t.elapsed();
        let t = &self.timings;
        tracing::debug!(
            register = ?t.register, known = ?t.known, matching = ?t.matching, insert = ?t.insert,
            cases = ?t.cases, commit = ?t.commit, "signal import committed"
        );
        Ok(s)
    }

    async fn write_cases(&mut self) -> Result<()> {
        let mut facts = std::mem::take(&mut self.facts);
        if facts.is_empty() {
            return Ok(());
        }
        let touched: HashSet<i64> = facts.iter().map(|(h, _)| *h).collect();
        let since = self.today - Duration::days(priority::HISTORY_DAYS);
        let history = self.db.history(self.org, self.last_before, since).await?;
        facts.extend(history.into_iter().filter(|(h, _)| touched.contains(h)));
        facts.sort_by_key(|(h, _)| *h);
        let (mut new_rows, mut updates) = (Vec::new(), Vec::new());
        for group in facts.chunk_by(|a, b| a.0 == b.0) {
            let household = group[0].0;
            let Some(&case) = self.open_cases.get(&household) else {
                continue;
            };
            let signals: Vec<SignalFacts> = group.iter().map(|(_, f)| *f).collect();
            let p = priority::assess(&signals, self.today);
            let row = CaseRow {
                id: case,
                household,
                score: i64::from(p.score),
                level: p.level.code(),
                reasons: serde_json::to_string(&p.reasons)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            };
            if self.new_cases.contains(&case) {
                self.summary.cases_opened += 1;
                new_rows.push(row);
            } else {
                self.summary.cases_updated += 1;
                updates.push(row);
            }
        }
        // In id order, the table grows at its end; in household order (as
        // grouped above) every row would land at a random place in it.
        new_rows.sort_unstable_by_key(|r| r.id);
        self.db
            .insert_cases(self.org, self.today, self.now, new_rows)
            .await?;
        self.db.update_cases(self.now, updates).await?;
        Ok(())
    }
}

fn facts_of(s: &Signal) -> SignalFacts {
    SignalFacts {
        partner: s.partner,
        bedrag: s.bedrag,
        ontstaansdatum: s.ontstaansdatum,
        signaaldatum: s.signaaldatum,
        crisis: s.crisis,
        warme_overdracht: s.warme_overdracht,
        open: true,
    }
}
