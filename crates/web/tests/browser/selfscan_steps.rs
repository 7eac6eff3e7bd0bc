//! The axe walk's steps for Drempels slechten: the professional fills in
//! all four parts (and stops once), finishes and sees the result; the team
//! lead opens a round, closes it, and works in the seeded round's session
//! view; the admin edits a section, refused and not.

use super::TestApp;
use super::walk::Step;

/// A CSS selector made at run time; the walk's steps hold `&'static str`.
fn css(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

pub(super) fn selfscan_steps(app: &TestApp, role: &str) -> Vec<Step> {
    let go = |p: &str| Step::Go(format!("{}{p}", app.base));
    let (run, round) = (app.selfscan_run, app.selfscan_round);
    match role {
        "medewerker" => vec![
            go("/zelfscan"),
            Step::Submit {
                page: format!("{}/zelfscan", app.base),
                fields: vec![],
                button: "main form button[type=submit]",
            }
            .to("/zelfscan/invullen/*/begrijpen"),
            Step::Then {
                fields: vec![],
                button: "button[value=stoppen]",
            }
            .to("/zelfscan"),
            Step::Submit {
                page: format!("{}/zelfscan", app.base),
                fields: vec![],
                button: "main form button[type=submit]",
            }
            .to("/zelfscan/invullen/*/begrijpen"),
            Step::AnswerAll {
                value: "2",
                button: "button[value=verder]",
            }
            .to("/zelfscan/invullen/*/willen"),
            Step::AnswerAll {
                value: "4",
                button: "button[value=verder]",
            }
            .to("/zelfscan/invullen/*/kunnen"),
            Step::AnswerAll {
                value: "3",
                button: "button[value=verder]",
            }
            .to("/zelfscan/invullen/*/algemeen"),
            Step::AnswerAll {
                value: "nvt",
                button: "button[value=verder]",
            }
            .to("/zelfscan/controle/*"),
            Step::Then {
                fields: vec![],
                button: "main form button[type=submit]",
            }
            .to("/zelfscan/uitslag/*"),
            go(&format!("/zelfscan/uitslag/{run}?afdruk=1")),
            go(&format!("/zelfscan/ronde/{round}")),
            go("/taal/en?terug=/zelfscan"),
            go(&format!("/zelfscan/uitslag/{run}")),
            go("/taal/nl?terug=/zelfscan"),
        ],
        "teamleider" => {
            let members: Vec<&'static str> = ["medewerker", "collega-1", "collega-2"]
                .iter()
                .map(|n| css(format!("#lid-{}", app.users[n])))
                .collect();
            vec![
                go("/zelfscan/rondes"),
                Step::Submit {
                    page: format!("{}/zelfscan/rondes", app.base),
                    fields: vec![("#veld-team", "")],
                    button: "main form button[type=submit]",
                },
                Step::Choose {
                    page: format!("{}/zelfscan/rondes", app.base),
                    clicks: members,
                    fields: vec![("#veld-team", "Team Noord")],
                    button: "main form button[type=submit]",
                }
                .to("/zelfscan/ronde/*"),
                Step::Then {
                    fields: vec![],
                    button: "form[action$=sluiten] button[type=submit]",
                }
                .to("/zelfscan/ronde/*"),
                go(&format!("/zelfscan/ronde/{round}")),
                Step::Submit {
                    page: format!("{}/zelfscan/ronde/{round}", app.base),
                    fields: vec![("#veld-wanneer", "")],
                    button: "form[action$=actiepunten] button[type=submit]",
                }
                .to(format!("/zelfscan/ronde/{round}/actiepunten")),
                go(&format!("/zelfscan/ronde/{round}?afdruk=1")),
                go("/taal/en?terug=/zelfscan/rondes"),
                go(&format!("/zelfscan/ronde/{round}")),
                go("/taal/nl?terug=/zelfscan/rondes"),
            ]
        }
        "beheerder" => vec![
            go("/beheer/zelfscan"),
            go("/beheer/zelfscan/begrijpen-brieven"),
            Step::Submit {
                page: format!("{}/beheer/zelfscan/begrijpen-brieven", app.base),
                fields: vec![("#veld-uitleg-nl", "")],
                button: "main form button[type=submit]",
            },
            go("/taal/en?terug=/beheer/zelfscan"),
            go("/beheer/zelfscan/algemeen"),
            go("/taal/nl?terug=/beheer/zelfscan"),
        ],
        _ => vec![],
    }
}
