//! Demo data for a new database in demo mode: a generated municipality,
//! organisations, one account per role, open work, and half a year of
//! arrears signals. Each step can run again safely, so a first start that
//! was interrupted completes next time.

use anyhow::Context;
use wegwijs_domain::signal::{Signal, SignalFields};
use wegwijs_domain::{Actor, Clock, OrgKind, ResidentId, Role, WorkKind};
use wegwijs_store::Store;
use wegwijs_store::signals::{SignalSource, SourceKind};
use wegwijs_store::users::NewUser;

pub const DEMO_PASSWORD: &str = "wegwijs-demo";
pub const GEMEENTE: &str = "Gemeente Wegwijzerveen";
pub const UWV: &str = "UWV Wegwijzerveen";
const SEEDED: &str = "demo_seeded";
const SEED: u64 = 2026;

/// (organisation, username, display name, role)
pub const DEMO_USERS: &[(&str, &str, &str, Role)] = &[
    (GEMEENTE, "medewerker", "Sanne Medewerker", Role::Caseworker),
    (GEMEENTE, "teamleider", "Tom Teamleider", Role::TeamLead),
    (GEMEENTE, "medewerker-2", "Mo Medewerker", Role::Caseworker),
    (
        GEMEENTE,
        "medewerker-3",
        "Lotte Medewerker",
        Role::Caseworker,
    ),
    (GEMEENTE, "privacy", "Priya Privacy", Role::PrivacyOfficer),
    (GEMEENTE, "beheerder", "Bas Beheerder", Role::Admin),
    (UWV, "uwv-medewerker", "Umut Medewerker", Role::Caseworker),
    (UWV, "uwv-beheerder", "Ursula Beheerder", Role::Admin),
];

pub async fn ensure_demo(store: &Store, clock: &dyn Clock, persons: usize) -> anyhow::Result<()> {
    if store.meta(SEEDED).await?.is_some() {
        return Ok(());
    }
    let actor = Actor::System("demo");
    let now = clock.now().unix_timestamp();
    let cfg = wegwijs_demo::Config {
        persons,
        seed: SEED,
        reference_date: clock.today(),
    };
    load_population(store, &actor, cfg.clone(), now)
        .await
        .context("loading the demo population")?;

    let gemeente = org(store, GEMEENTE, OrgKind::Gemeente, now).await?;
    let uwv = org(store, UWV, OrgKind::Uwv, now).await?;
    let hash = wegwijs_web::hash_password_async(DEMO_PASSWORD.to_string())
        .await
        .map_err(anyhow::Error::msg)?;
    for (org_name, username, name, role) in DEMO_USERS {
        if store.credentials(username).await?.is_some() {
            continue;
        }
        let org_id = if *org_name == GEMEENTE { gemeente } else { uwv };
        let new = NewUser {
            org_id,
            username,
            display_name: name,
            role: *role,
            password_hash: hash.clone(),
        };
        store.create_user(&actor, new, now).await?;
    }
    let teams = teams(store, (gemeente, uwv), now).await?;
    help_routes(store, (gemeente, uwv), &teams, now).await?;
    let ids = store.resident_ids(60).await?;
    open_work(store, clock, gemeente, &ids[..ids.len().min(40)]).await?;
    open_work(
        store,
        clock,
        uwv,
        &ids[ids.len().min(40)..ids.len().min(46)],
    )
    .await?;
    signals(store, clock, &cfg, gemeente).await?;
    selfscan_round(store, gemeente, now).await?;
    // The demo runs without it when the laws cannot be used.
    if let Err(e) = scan_leads(store, clock, gemeente).await {
        tracing::warn!("the demo has no work from the rules scan: {e:#}");
    }
    store.set_meta(SEEDED, "1").await?;
    Ok(())
}

/// About as many signals as a municipality gets in half a year (five a
/// month per 1,000 residents), taken in like a delivery from the hub.
async fn signals(
    store: &Store,
    clock: &dyn Clock,
    cfg: &wegwijs_demo::Config,
    gemeente: i64,
) -> anyhow::Result<()> {
    let count = cfg.persons * 5 * 6 / 1_000;
    let today = clock.today();
    let mut good = Vec::with_capacity(count);
    wegwijs_demo::generate_signals(cfg, count, |row| {
        let fields = SignalFields(row.each_ref().map(String::as_str));
        good.push(Signal::validate(&fields, today)?);
        Ok::<_, Vec<wegwijs_domain::ValidationError>>(())
    })
    .map_err(|e| {
        anyhow::anyhow!("the demo generator made an invalid signal ({e:?}); this is a bug")
    })?;
    let actor = Actor::System("demo");
    let source = SignalSource {
        kind: SourceKind::File,
        name: "demo-signalen.csv".into(),
        sha256: None,
        token: None,
        partner: None,
    };
    let now = clock.now().unix_timestamp();
    let mut import = store
        .begin_signal_import(&actor, gemeente, &source, good.len(), now, today)
        .await?;
    // Signal IDs already there (an earlier, interrupted start) are skipped.
    import.push(good).await?;
    import
        .commit()
        .await
        .context("taking in the demo signals")?;
    Ok(())
}

/// Households of the demo register the rules scan finds (the laws under
/// ./laws, as `wegwijs rules scan --open-work` does), a sample of them on
/// the municipality's worklist: real calculations behind every line.
/// Skipped when the laws are not there (serve started outside the
/// repository).
async fn scan_leads(store: &Store, clock: &dyn Clock, gemeente: i64) -> anyhow::Result<()> {
    /// Enough to see, not so many that the worklist is nothing else.
    const SAMPLE: usize = 25;
    let dir = std::path::PathBuf::from("laws");
    if !dir.is_dir() {
        tracing::info!("no laws directory here; the demo has no work from the rules scan");
        return Ok(());
    }
    let (today, now) = (clock.today(), clock.now().unix_timestamp());
    let laws = crate::rules::load(&[dir])?;
    let targets = crate::scan::targets(&laws, today)?;
    let calc = crate::scan::compile(&laws, today, &targets)?;
    let actor = Actor::System("demo");
    let households = store.scan_households(&actor, today, now).await?;
    let found = crate::scan::findings(&calc, &households, &targets)?;
    let leads = crate::scan::leads(&households, &targets, &found);
    let mut sample: Vec<ResidentId> = leads.iter().map(|l| l.resident).collect();
    sample.sort_unstable();
    sample.dedup();
    sample.truncate(SAMPLE);
    let chosen: Vec<_> = leads
        .into_iter()
        .filter(|l| sample.binary_search(&l.resident).is_ok())
        .collect();
    store
        .open_entitlement_work(&actor, gemeente, today, &chosen, now)
        .await?;
    Ok(())
}

/// The demo's teams, who is in them, and which team gets work no topic
/// routes. Returns (name, id) of every team.
async fn teams(
    store: &Store,
    (gemeente, uwv): (i64, i64),
    now: i64,
) -> anyhow::Result<Vec<(String, i64)>> {
    use wegwijs_domain::work::KindRoute;
    let existing = [store.teams_of(gemeente).await?, store.teams_of(uwv).await?].concat();
    if !existing.is_empty() {
        return Ok(existing.into_iter().map(|t| (t.name, t.id)).collect());
    }
    let user = |name: &'static str| async move {
        let (u, _) = store
            .credentials(name)
            .await?
            .with_context(|| format!("the demo user {name} is missing"))?;
        anyhow::Ok(u.id)
    };
    // Each organisation's admin keeps its own teams.
    let admin_of = |org_id: i64, user_id: i64| {
        Actor::Staff(wegwijs_domain::Staff {
            user_id,
            org_id,
            role: Role::Admin,
        })
    };
    let admin = admin_of(gemeente, user("beheerder").await?);
    let uwv_admin = admin_of(uwv, user("uwv-beheerder").await?);
    let plan: [(i64, &str, &[&str]); 6] = [
        (
            gemeente,
            "Team Geld en Schulden",
            &["medewerker", "teamleider", "medewerker-2"],
        ),
        (
            gemeente,
            "Team Vroegsignalering",
            &["medewerker", "medewerker-3"],
        ),
        (gemeente, "Team Wonen", &["medewerker-2"]),
        (gemeente, "Wmo-loket", &["medewerker-3"]),
        (gemeente, "Wijkteam", &["medewerker-2", "medewerker-3"]),
        (uwv, "Team Werkzoekenden", &["uwv-medewerker"]),
    ];
    let mut made = Vec::new();
    for (org, name, members) in plan {
        let by = if org == gemeente { admin } else { uwv_admin };
        let id = store.create_team(&by, org, name, now).await?;
        let mut ids = Vec::new();
        for m in members {
            ids.push(user(m).await?);
        }
        store.set_team_members(&by, id, &ids, now).await?;
        made.push((name.to_string(), id));
    }
    let team = |name: &str| {
        made.iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| id.to_string())
            .unwrap_or_default()
    };
    let routes = [
        (gemeente, WorkKind::Signaal, "Team Vroegsignalering", "5"),
        (
            gemeente,
            WorkKind::MogelijkRecht,
            "Team Geld en Schulden",
            "10",
        ),
        (gemeente, WorkKind::Traject, "Team Geld en Schulden", "10"),
        (gemeente, WorkKind::Doorverwijzing, "Wijkteam", "5"),
        (uwv, WorkKind::Doorverwijzing, "Team Werkzoekenden", "5"),
    ];
    for (org, kind, name, days) in routes {
        let by = if org == gemeente { admin } else { uwv_admin };
        let route = KindRoute::validate(kind, &team(name), days)
            .map_err(|e| anyhow::anyhow!("demo team route {}: {e:?}", kind.code()))?;
        store.set_kind_route(&by, &route, now).await?;
    }
    Ok(made)
}

/// Where the demo's residents' questions go: the municipality's teams, and
/// questions about work to UWV (no wrong door).
async fn help_routes(
    store: &Store,
    (gemeente, uwv): (i64, i64),
    teams: &[(String, i64)],
    now: i64,
) -> anyhow::Result<()> {
    use wegwijs_domain::appointment::Hours;
    use wegwijs_domain::help::{HelpRoute, HelpTopic};
    if !store.help_routes().await?.is_empty() {
        return Ok(());
    }
    let (admin, _) = store
        .credentials("beheerder")
        .await?
        .context("the demo admin is missing")?;
    let actor = Actor::Staff(wegwijs_domain::Staff {
        user_id: admin.id,
        org_id: gemeente,
        role: Role::Admin,
    });
    let table = [
        (HelpTopic::Geld, gemeente, "Team Geld en Schulden", "3"),
        (HelpTopic::Werk, uwv, "Team Werkzoekenden", "5"),
        (HelpTopic::Wonen, gemeente, "Team Wonen", "5"),
        (HelpTopic::Zorg, gemeente, "Wmo-loket", "5"),
        (HelpTopic::Anders, gemeente, "Wijkteam", "3"),
    ];
    for (topic, org, team, days) in table {
        let team = teams
            .iter()
            .find(|(n, _)| n == team)
            .map(|(_, id)| id.to_string())
            .unwrap_or_default();
        let route = HelpRoute::validate(topic, org, &team, days, "0570 123 456")
            .map_err(|e| anyhow::anyhow!("demo route {}: {e:?}", topic.code()))?;
        store.set_help_route(&actor, &route, now).await?;
        let (from, to) = if topic == HelpTopic::Werk {
            ("13:00", "16:00")
        } else {
            ("09:00", "12:00")
        };
        let hours = Hours::validate(
            topic,
            &["1".into(), "2".into(), "3".into(), "4".into(), "5".into()],
            (from, to, "30"),
            &["balie".into(), "telefoon".into(), "video".into()],
            (
                "Stadhuisplein 1, Wegwijzerveen",
                "Uw legitimatie. Brieven die u niet begrijpt. Uw bankafschriften van de laatste maand.",
            ),
        )
        .map_err(|e| anyhow::anyhow!("demo hours {}: {e:?}", topic.code()))?;
        store.set_appointment_hours(&actor, &hours, now).await?;
    }
    Ok(())
}

/// The team of four that filled in the Drempels slechten self-assessment
/// in one closed round, with an action point; the caseworker also did it
/// alone three months before, so her result shows a change.
async fn selfscan_round(store: &Store, gemeente: i64, now: i64) -> anyhow::Result<()> {
    use wegwijs_domain::selfscan::{Answer, Element, Part, Pillar};
    const DAY: i64 = 24 * 3600;
    let staff = |user_id, role| {
        Actor::Staff(wegwijs_domain::Staff {
            user_id,
            org_id: gemeente,
            role,
        })
    };
    let mut team = Vec::new();
    for name in ["medewerker", "teamleider", "medewerker-2", "medewerker-3"] {
        let (user, _) = store
            .credentials(name)
            .await?
            .with_context(|| format!("the demo account {name} is missing"))?;
        team.push(staff(user.id, user.role));
    }
    let lead = team[1];
    if !store.selfscan_rounds(&lead).await?.is_empty() {
        return Ok(());
    }
    // A team that talks well with residents but whose letters and website
    // ask too much; on the reception desk it disagrees.
    let base = |p: Part, e: Option<Element>| -> i64 {
        match (p, e) {
            (Part::Pillar(Pillar::Begrijpen), Some(Element::Brieven)) => 2,
            (Part::Pillar(Pillar::Kunnen), Some(Element::Website)) => 2,
            (Part::Pillar(Pillar::Willen), Some(Element::Gesprekken)) => 5,
            (Part::Pillar(_), Some(Element::Gesprekken)) => 4,
            _ => 3,
        }
    };
    let fill = |who: Actor, round: Option<i64>, member: i64, at: i64| async move {
        let answer = move |p: Part, e: Option<Element>, item: &wegwijs_domain::selfscan::Item| {
            let disagree =
                matches!(e, Some(Element::Ontvangst)) && p == Part::Pillar(Pillar::Kunnen);
            let sum: i64 = item.code.bytes().map(i64::from).sum();
            let wobble = (sum + member * 7) % 3 - 1;
            let offset = if disagree { member * 2 - 3 } else { wobble };
            if item.code.ends_with('3') && member == 2 {
                return Answer::NotApplicable;
            }
            Answer::Scale((base(p, e) + offset).clamp(1, 5) as u8)
        };
        store.fill_in_selfscan(&who, round, answer, at).await?;
        anyhow::Ok(())
    };
    // Sanne's own run, three months ago, a little lower all round.
    let before = now - 90 * DAY;
    fill(team[0], None, 0, before).await?;
    let ids: Vec<i64> = team
        .iter()
        .filter_map(|a| match a {
            Actor::Staff(s) => Some(s.user_id),
            _ => None,
        })
        .collect();
    let opened = now - 14 * DAY;
    let round = store
        .open_selfscan_round(&lead, "Team Geld en Schulden", &ids, opened)
        .await?;
    for (i, member) in team.iter().enumerate() {
        fill(*member, Some(round), i as i64 + 1, opened + DAY).await?;
    }
    store
        .close_selfscan_round(&lead, round, now - 7 * DAY)
        .await?;
    let action = wegwijs_domain::selfscan::NewAction {
        what: "De standaardbrief over de intake herschrijven op B1 en testen met twee inwoners"
            .into(),
        who: "Mo en Lotte".into(),
        due: time::OffsetDateTime::from_unix_timestamp(now + 30 * DAY)?.date(),
    };
    store
        .add_selfscan_action(&lead, round, &action, now - 7 * DAY)
        .await?;
    Ok(())
}

async fn org(store: &Store, name: &str, kind: OrgKind, now: i64) -> anyhow::Result<i64> {
    match store.org_by_name(name).await? {
        Some(o) => Ok(o.id),
        None => Ok(store.create_org(name, kind, now).await?),
    }
}

/// Work a person starts: questions residents asked (each a real
/// request, along the routing table), and handovers received from another
/// organisation. Signal cases and possible entitlements come from the
/// signals and the rules scan.
async fn open_work(
    store: &Store,
    clock: &dyn Clock,
    org: i64,
    residents: &[ResidentId],
) -> anyhow::Result<()> {
    use wegwijs_domain::help::{HelpTopic, RequestKind, add_working_days};
    use wegwijs_store::outbox::Message;
    use wegwijs_store::requests::NewRequest;
    let now = clock.now().unix_timestamp();
    if store.count_work(org).await? > 0 {
        return Ok(());
    }
    let routes = store.help_routes().await?;
    let questions = [
        (
            HelpTopic::Geld,
            "Ik krijg steeds aanmaningen van de energie. Ik weet niet wat ik eerst moet betalen.",
        ),
        (
            HelpTopic::Wonen,
            "Mijn huur is omhoog gegaan en ik kom niet meer rond.",
        ),
        (
            HelpTopic::Werk,
            "Ik ben mijn baan kwijt. Wat moet ik nu regelen?",
        ),
        (HelpTopic::Anders, "Ik snap de brief van de gemeente niet."),
    ];
    for (i, r) in residents.iter().enumerate() {
        if i % 2 == 1 {
            store
                .open_work(
                    &Actor::System("demo"),
                    org,
                    *r,
                    WorkKind::Doorverwijzing,
                    now,
                )
                .await?;
            continue;
        }
        let (topic, words) = questions[(i / 2) % questions.len()];
        let Some(route) = routes
            .iter()
            .find(|x| x.route.topic == topic && x.route.org_id == org)
        else {
            continue;
        };
        let answer_by = add_working_days(clock.today(), route.route.answer_days);
        let request = NewRequest {
            kind: RequestKind::Hulpvraag,
            topic: topic.code().into(),
            topic_name: topic.code().into(),
            own_words: words.into(),
            reach: Default::default(),
        };
        let confirmation = Message {
            subject: "Uw vraag is ontvangen".into(),
            body: format!(
                "{} belt of mailt u binnen {} werkdagen.",
                route.route.team, route.route.answer_days
            ),
        };
        let me = Actor::Resident(*r);
        store
            .place_request(
                &me,
                *r,
                &request,
                (&route.route, answer_by),
                &confirmation,
                now,
            )
            .await?;
    }
    Ok(())
}

/// Records the generator hands over at a time (it runs on a thread of its
/// own while the import writes the previous batch).
const POPULATION_BATCH: usize = 20_000;

/// Generates the demo population and imports it batch by batch, in one
/// transaction: a million residents never sit in memory at once (holding
/// them all left `serve` at over 1 GiB after its first start).
async fn load_population(
    store: &Store,
    actor: &Actor,
    cfg: wegwijs_demo::Config,
    now: i64,
) -> anyhow::Result<()> {
    let (batches, mut incoming) = tokio::sync::mpsc::channel(2);
    let today = cfg.reference_date;
    let generator = tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(POPULATION_BATCH);
        let mut invalid = 0;
        let made = wegwijs_demo::generate(&cfg, |row| {
            match row.to_record(today) {
                Ok(r) => batch.push(r),
                Err(_) => invalid += 1,
            }
            if batch.len() == POPULATION_BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(POPULATION_BATCH));
                batches.blocking_send(full).map_err(|_| ())?;
            }
            Ok::<_, ()>(())
        });
        if made.is_ok() && !batch.is_empty() {
            let _ = batches.blocking_send(batch);
        }
        (made.is_ok(), invalid)
    });
    let mut import = store.begin_register_import(actor, now).await?;
    while let Some(batch) = incoming.recv().await {
        import.push(&batch).await?;
    }
    let (made, invalid) = generator.await?;
    anyhow::ensure!(made, "demo generation failed");
    anyhow::ensure!(
        invalid == 0,
        "the demo generator made {invalid} invalid persons; this is a bug"
    );
    import.commit().await?;
    Ok(())
}
