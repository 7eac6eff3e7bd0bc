//! Background jobs. Each instance runs this loop; the database lease makes
//! sure a due job runs on one instance only.

use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use wegwijs_domain::Clock;
use wegwijs_store::Store;

/// (name, seconds between runs)
const JOBS: &[(&str, i64)] = &[
    ("sessies-opruimen", 15 * 60),
    // Hourly, so a new day's outreach tasks appear soon after midnight.
    ("signalen-uitbereik", 3600),
    ("signalen-bewaartermijn", 24 * 3600),
    // Reminders go out a day before; five minutes late do not matter.
    ("post-versturen", 300),
    // Appointments that took place end the team's access to the resident.
    ("afspraken-afronden", 3600),
    // Self-assessments left unfinished for 30 days (or in a closed round).
    ("zelfscan-concepten", 24 * 3600),
];
/// Longer than any job takes; if an instance dies, another takes over after it.
const LEASE_SECS: i64 = 10 * 60;
const POLL: Duration = Duration::from_secs(30);

async fn run_job(
    store: &Store,
    name: &str,
    clock: &dyn Clock,
) -> Result<String, wegwijs_store::StoreError> {
    let now = clock.now().unix_timestamp();
    match name {
        "sessies-opruimen" => {
            // Failed logins (and the addresses they came from) go once the
            // limits no longer look at them.
            let window = wegwijs_domain::policy::LOGIN_WINDOW_SECS;
            let gone = store.delete_expired_sessions(now, window).await?;
            let forms = store.delete_old_forms(now).await?;
            Ok(format!(
                "{gone} sessions and {forms} used or kept forms removed"
            ))
        }
        "signalen-uitbereik" => {
            let made = store.plan_outreach(clock.today(), now).await?;
            Ok(format!("{made} outreach tasks created"))
        }
        "signalen-bewaartermijn" => {
            let runs = store.apply_retention(clock.today(), now).await?;
            let (signals, cases) = runs
                .iter()
                .fold((0, 0), |(s, c), (_, n)| (s + n.signals, c + n.cases));
            Ok(format!(
                "{signals} signals and {cases} cases past their term removed in {} municipalities",
                runs.len()
            ))
        }
        "post-versturen" => {
            let demo = store.mode().await? == Some(wegwijs_store::meta::Mode::Demo);
            let sent = store.send_due_mail(demo, now).await?;
            Ok(if demo {
                format!("{sent} e-mails and text messages delivered to the demo mailbox")
            } else {
                "no e-mail or SMS channel is connected: messages wait in the outbox".to_string()
            })
        }
        "afspraken-afronden" => {
            let done = store.finish_past_appointments(now).await?;
            Ok(format!(
                "{done} past appointments finished and their work closed"
            ))
        }
        "zelfscan-concepten" => {
            let gone = store.remove_stale_selfscan_drafts(now).await?;
            Ok(format!("{gone} unfinished self-assessments removed"))
        }
        other => Ok(format!("unknown job {other}")),
    }
}

/// Runs due jobs until `shutdown` turns true.
pub async fn run(
    store: Store,
    clock: Arc<dyn Clock>,
    owner: String,
    mut shutdown: watch::Receiver<bool>,
) {
    let now = clock.now().unix_timestamp();
    for (name, _) in JOBS {
        if let Err(e) = store.ensure_job(name, now).await {
            tracing::error!(job = name, error = %e, "cannot register job");
        }
    }
    loop {
        for (name, every) in JOBS {
            let now = clock.now().unix_timestamp();
            match store.claim_job(name, &owner, now, LEASE_SECS).await {
                Ok(true) => {
                    let result = match run_job(&store, name, clock.as_ref()).await {
                        Ok(r) => r,
                        Err(e) => format!("failed: {e}"),
                    };
                    tracing::info!(job = name, %result, "job ran");
                    let done = clock.now().unix_timestamp();
                    if let Err(e) = store
                        .finish_job(name, &owner, done, now + every, &result)
                        .await
                    {
                        tracing::error!(job = name, error = %e, "cannot record job run");
                    }
                }
                Ok(false) => {}
                Err(e) => tracing::warn!(job = name, error = %e, "cannot claim job"),
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = shutdown.changed() => return,
        }
    }
}
