//! `wegwijs ddas export`: the municipality's report to CBS over a period,
//! as JSON in the DDAS vroegsignalering exchange model.

use crate::signals::municipality;
use std::io::Write;
use std::path::Path;
use time::format_description::well_known::Rfc3339;
use wegwijs_domain::person::parse_date;
use wegwijs_domain::{Actor, Clock};
use wegwijs_store::Store;
use wegwijs_store::signals::ReportPeriod;

pub struct ExportOptions<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub out: &'a Path,
    pub gemeente: Option<&'a str>,
    /// Overrides the settings' gemeentecode.
    pub gemeentecode: Option<&'a str>,
    pub supplier: &'a str,
}

pub async fn export(store: &Store, clock: &dyn Clock, o: &ExportOptions<'_>) -> anyhow::Result<()> {
    let from = parse_date("from", o.from).map_err(|e| anyhow::anyhow!("--{e}"))?;
    let to = parse_date("to", o.to).map_err(|e| anyhow::anyhow!("--{e}"))?;
    if to < from {
        anyhow::bail!(
            "--to lies before --from; give the period's first day with --from and its last with --to"
        );
    }
    let org = municipality(store, o.gemeente).await?;
    let mut id = store.signal_settings(org).await?.report;
    if let Some(code) = o.gemeentecode {
        if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
            anyhow::bail!("--gemeentecode must be the four-digit CBS code, like 0518");
        }
        id.gemeentecode = code.to_string();
    }
    if id.gemeentecode.is_empty() {
        anyhow::bail!(
            "the municipality has no gemeentecode: set it under Beheer > Vroegsignalering, or pass --gemeentecode"
        );
    }
    let now = clock.now();
    let delivered = now
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(now)
        .format(&Rfc3339)?;
    let actor = Actor::System("ddas-export");
    let report = store
        .ddas_report(
            &actor,
            org,
            &id,
            ReportPeriod { from, to },
            o.supplier,
            &delivered,
            now.unix_timestamp(),
        )
        .await?;
    let levering = report.leveringen.first();
    let (signals, cases) = levering.map_or((0, 0), |l| {
        (l.vroegsignalen.len(), l.vroegsignaalzaken.len())
    });
    crate::files::write_atomically(o.out, |f| {
        serde_json::to_writer_pretty(&mut *f, &report)?;
        f.write_all(b"\n")?;
        Ok(())
    })?;
    println!(
        "{}: DDAS report {} to {}: {signals} signals, {cases} cases.",
        o.out.display(),
        o.from,
        o.to
    );
    Ok(())
}
