use super::*;
use proptest::prelude::*;
use time::macros::date;

const ACTIONS: [&str; 2] = ["inwoner-bekeken", "werklijst-bekeken"];
const PURPOSES: [&str; 1] = ["dienstverlening"];

fn typed(pairs: &[(&str, &str)]) -> TypedSearch {
    let mut t = TypedSearch::default();
    for (k, v) in pairs {
        let v = Some(v.to_string());
        match *k {
            "inwoner" => t.inwoner = v,
            "geboren" => t.geboren = v,
            "reden" => t.reden = v,
            "medewerker" => t.medewerker = v,
            "organisatie" => t.organisatie = v,
            "actie" => t.actie = v,
            "doel" => t.doel = v,
            "uitkomst" => t.uitkomst = v,
            "van" => t.van = v,
            "tot" => t.tot = v,
            other => panic!("no field {other}"),
        }
    }
    t
}

fn fields(problems: &[ValidationError]) -> Vec<&str> {
    problems.iter().map(|p| p.field).collect()
}

#[test]
fn a_search_reads_each_part_and_names_what_is_wrong() {
    let (s, problems) = LogSearch::read(
        &typed(&[
            ("inwoner", "1112.22.333"),
            ("reden", "avg-verzoek"),
            ("medewerker", "7"),
            ("actie", "inwoner-bekeken"),
            ("uitkomst", "geweigerd"),
            ("van", "2026-11-01"),
            ("tot", "2026-11-30"),
        ]),
        &ACTIONS,
        &PURPOSES,
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert!(matches!(s.resident, Some(ResidentQuery::Bsn(_))));
    assert_eq!((s.staff, s.refused_only), (Some(7), true));
    assert_eq!(
        (s.from, s.to),
        (Some(date!(2026 - 11 - 01)), Some(date!(2026 - 11 - 30)))
    );
    assert_eq!(
        s.describe(),
        "inwoner: bsn; reden: avg-verzoek; medewerker: 7; actie: inwoner-bekeken; uitkomst: geweigerd; van: 2026-11-01; tot en met: 2026-11-30"
    );

    let (s, problems) = LogSearch::read(
        &typed(&[
            ("inwoner", "123456789"),
            ("reden", "avg-verzoek"),
            ("medewerker", "x"),
            ("actie", "iets"),
            ("doel", "alles"),
            ("uitkomst", "misschien"),
            ("van", "1-11-2026"),
            ("tot", "2026-10-01"),
        ]),
        &ACTIONS,
        &PURPOSES,
    );
    assert_eq!(
        fields(&problems),
        [
            "inwoner",
            "medewerker",
            "actie",
            "doel",
            "uitkomst",
            "periode-van"
        ]
    );
    assert_eq!(
        s,
        LogSearch {
            reason: Some("avg-verzoek"),
            to: Some(date!(2026 - 10 - 01)),
            ..Default::default()
        }
    );
}

#[test]
fn a_resident_is_searched_only_with_a_reason() {
    let (s, problems) = LogSearch::read(&typed(&[("inwoner", "de Vries")]), &ACTIONS, &PURPOSES);
    assert_eq!(fields(&problems), ["reden"]);
    assert_eq!(problems[0].problem, Problem::NotChosen);
    assert_eq!(s.resident, None);
    let (s, _) = LogSearch::read(
        &typed(&[("inwoner", "de Vries"), ("reden", "nieuwsgierig")]),
        &ACTIONS,
        &PURPOSES,
    );
    assert_eq!(s.resident, None);
    let (s, problems) = LogSearch::read(
        &typed(&[("inwoner", " d'Ancona-Smit "), ("reden", "klacht")]),
        &ACTIONS,
        &PURPOSES,
    );
    assert!(problems.is_empty());
    assert_eq!(
        s.resident,
        Some(ResidentQuery::Surname("d'Ancona-Smit".into(), None))
    );
    let (s, problems) = LogSearch::read(
        &typed(&[
            ("inwoner", "Bos"),
            ("geboren", "1980-05-31"),
            ("reden", "klacht"),
        ]),
        &ACTIONS,
        &PURPOSES,
    );
    assert!(problems.is_empty());
    assert_eq!(
        s.resident,
        Some(ResidentQuery::Surname(
            "Bos".into(),
            Some(date!(1980 - 05 - 31))
        ))
    );
    assert_eq!(
        s.describe(),
        "inwoner: achternaam en geboortedatum; reden: klacht"
    );
    let (_, problems) = LogSearch::read(
        &typed(&[
            ("inwoner", "Bos"),
            ("geboren", "31-5-1980"),
            ("reden", "klacht"),
        ]),
        &ACTIONS,
        &PURPOSES,
    );
    assert_eq!(fields(&problems), ["geboren"]);
    for bad in ["x", "Jan1", "%", "de_Vries"] {
        let (_, problems) = LogSearch::read(
            &typed(&[("inwoner", bad), ("reden", "klacht")]),
            &ACTIONS,
            &PURPOSES,
        );
        assert_eq!(fields(&problems), ["inwoner"], "{bad}");
    }
}

proptest! {
    /// Whatever is typed: no panic, and every problem names a field of
    /// the form.
    #[test]
    fn any_input_is_read_or_named(inwoner in ".{0,20}", van in ".{0,12}", per_uur in ".{0,8}") {
        let t = TypedSearch { inwoner: Some(inwoner), reden: Some("controle".into()), van: Some(van), ..Default::default() };
        let (_, problems) = LogSearch::read(&t, &ACTIONS, &PURPOSES);
        for p in problems {
            prop_assert!(["inwoner", "periode-van"].contains(&p.field));
        }
        let (_, problems) = Thresholds::read(&TypedThresholds { per_uur: Some(per_uur), ..Default::default() });
        for p in problems {
            prop_assert_eq!(p.field, "per-uur");
        }
    }
}

#[test]
fn thresholds_default_and_night_wraps_midnight() {
    let (t, problems) = Thresholds::read(&TypedThresholds::default());
    assert!(problems.is_empty());
    assert_eq!(t, Thresholds::default());
    assert!(t.is_night(22) && t.is_night(3) && !t.is_night(6) && !t.is_night(21));
    let (t, problems) = Thresholds::read(&TypedThresholds {
        per_uur: Some("-1".into()),
        nacht_van: Some("1".into()),
        nacht_tot: Some("5".into()),
        weigeringen: Some("veel".into()),
        ..Default::default()
    });
    assert_eq!(fields(&problems), ["per-uur", "weigeringen"]);
    assert_eq!(t.per_hour, 100);
    assert!(t.is_night(1) && !t.is_night(5) && !t.is_night(23));
}

#[test]
fn many_residents_in_an_hour_and_reads_at_night() {
    let t = Thresholds::default();
    let c = |staff, day, local_hour, residents| HourCount {
        staff,
        hour: i64::from(local_hour) * 3600,
        day,
        local_hour,
        residents,
    };
    let (d1, d2, d3) = (
        date!(2026 - 11 - 02),
        date!(2026 - 11 - 03),
        date!(2026 - 11 - 04),
    );
    let counts = [
        // Staff 1: about 20 a day; 70 in one hour is more than 3 × 20.
        c(1, d1, 10, 20),
        c(1, d2, 10, 20),
        c(1, d3, 9, 70),
        // Staff 2: 101 in an hour, every day: over the absolute limit.
        c(2, d1, 10, 101),
        // Staff 3: 2 residents at 23:00.
        c(3, d1, 23, 2),
    ];
    let got = hour_signals(&counts, &t);
    assert_eq!(
        got,
        vec![
            Signal::ManyInAnHour {
                staff: 1,
                hour: 9 * 3600,
                residents: 70,
                median: 20
            },
            Signal::ManyInAnHour {
                staff: 2,
                hour: 10 * 3600,
                residents: 101,
                median: 101
            },
            Signal::AtNight {
                staff: 3,
                hour: 23 * 3600,
                residents: 2
            },
        ]
    );
}

#[test]
fn refusals_count_only_in_a_row() {
    let t = Thresholds {
        refusals: 3,
        ..Default::default()
    };
    let entries = [
        (1, true),
        (2, true),
        (3, false),
        (4, true),
        (5, true),
        (6, true),
        (7, true),
    ];
    assert_eq!(
        refusal_runs(9, &entries, &t),
        vec![Signal::RefusedInARow {
            staff: 9,
            count: 4,
            first_seq: 4,
            last_seq: 7
        }]
    );
    assert!(refusal_runs(9, &entries[..3], &t).is_empty());
}
