//! What an audit entry says was done. One list, so that the resident's log
//! extract can have words for every action (tested against the message
//! files) and no call site can misspell one.

macro_rules! actions {
    ($($variant:ident => $code:literal),+ $(,)?) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Action { $($variant),+ }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// The code as stored in the log, e.g. "inwoner-bekeken".
            pub fn code(self) -> &'static str {
                match self { $(Action::$variant => $code),+ }
            }
        }
    };
}

actions! {
    AccountAangemaakt => "account-aangemaakt",
    AccountGeopend => "account-geopend",
    AccountGeblokkeerd => "account-geblokkeerd",
    WachtwoordGewijzigd => "wachtwoord-gewijzigd",
    TweedeStapIngesteld => "tweede-stap-ingesteld",
    TweedeStapHersteld => "tweede-stap-hersteld",
    HerstelcodeGebruikt => "herstelcode-gebruikt",
    HerstelcodesVernieuwd => "herstelcodes-vernieuwd",
        InwonerBekeken => "inwoner-bekeken",
        Ingelogd => "ingelogd",
        LogboekIngezien => "logboek-ingezien",
        LogboekDoorzocht => "logboek-doorzocht",
        LogboekGeexporteerd => "logboek-geexporteerd",
        NotitieGeschreven => "notitie-geschreven",
        NotitiesBekeken => "notities-bekeken",
        WerkGeopend => "werk-geopend",
        WerkGesloten => "werk-gesloten",
        WerkOpgepakt => "werk-opgepakt",
        WerkToegewezen => "werk-toegewezen",
        WerkStatusGewijzigd => "werk-status-gewijzigd",
        TeamGewijzigd => "team-gewijzigd",
        ContactVastgelegd => "contact-vastgelegd",
        ContactenGelezen => "contacten-gelezen",
        AanpassingenGewijzigd => "aanpassingen-gewijzigd",
        AanpassingenGelezen => "aanpassingen-gelezen",
        SignalenOntvangen => "signalen-ontvangen",
        SignaalBekeken => "signaal-bekeken",
        SignaalGekoppeld => "signaal-gekoppeld",
        SignaalTerzijdeGelegd => "signaal-terzijde-gelegd",
        SignaalzaakBekeken => "signaalzaak-bekeken",
        SignaalzaakAfgesloten => "signaalzaak-afgesloten",
        ContactpogingVastgelegd => "contactpoging-vastgelegd",
        TerugkoppelingGegeven => "terugkoppeling-gegeven",
        BewaartermijnToegepast => "bewaartermijn-toegepast",
        RegistratieVastgelegd => "registratie-vastgelegd",
        RegisterDoorgerekend => "register-doorgerekend",
        MogelijkRechtGeopend => "mogelijk-recht-geopend",
        MogelijkRechtBekeken => "mogelijk-recht-bekeken",
        KandidaatBekeken => "kandidaat-bekeken",
        DemoKeuzelijst => "demo-keuzelijst",
        AuditSleutelIngesteld => "auditsleutel-ingesteld",
        ToestemmingenBekeken => "toestemmingen-bekeken",
        ToestemmingGewijzigd => "toestemming-gewijzigd",
        UitlegBerekend => "uitleg-berekend",
        OverzichtBekeken => "overzicht-bekeken",
        HulpvragenBekeken => "hulpvragen-bekeken",
        ContactgegevensBekeken => "contactgegevens-bekeken",
        ContactgegevensGewijzigd => "contactgegevens-gewijzigd",
        HulpvraagGesteld => "hulpvraag-gesteld",
        HulpvraagBeantwoord => "hulpvraag-beantwoord",
        BerichtenBekeken => "berichten-bekeken",
        AfspraakGemaakt => "afspraak-gemaakt",
        AfsprakenBekeken => "afspraken-bekeken",
        AfspraakVerzet => "afspraak-verzet",
        AfspraakAfgezegd => "afspraak-afgezegd",
        PostBekeken => "post-bekeken",
        DdasRapportGemaakt => "ddas-rapport-gemaakt",
        HulprouteGewijzigd => "hulproute-gewijzigd",
        PartnertokenGemaakt => "partnertoken-gemaakt",
        PartnertokenIngetrokken => "partnertoken-ingetrokken",
        QuarantaineBekeken => "quarantaine-bekeken",
        QuarantaineVerwijderd => "quarantaine-verwijderd",
        SignaalinstellingenGewijzigd => "signaalinstellingen-gewijzigd",
        SignalenlijstBekeken => "signalenlijst-bekeken",
        SpreekuurGewijzigd => "spreekuur-gewijzigd",
        WachtrijBekeken => "wachtrij-bekeken",
        WerklijstBekeken => "werklijst-bekeken",
        ContactenBekeken => "contacten-bekeken",
        HoeWasHetGegeven => "hoe-was-het-gegeven",
        VoorbereidingBekeken => "voorbereiding-bekeken",
        VoorbereidingBewaard => "voorbereiding-bewaard",
        VoorbereidingGestuurd => "voorbereiding-gestuurd",
        BriefToegevoegd => "brief-toegevoegd",
        BriefVerwijderd => "brief-verwijderd",
        BriefBekeken => "brief-bekeken",
        ZelfscanVersieGemaakt => "zelfscan-versie-gemaakt",
        ZelfscanAfgerond => "zelfscan-afgerond",
        ZelfscanConceptenVerwijderd => "zelfscan-concepten-verwijderd",
        ZelfscanRondeGeopend => "zelfscan-ronde-geopend",
        ZelfscanRondeGesloten => "zelfscan-ronde-gesloten",
        ZelfscanActiepuntVastgelegd => "zelfscan-actiepunt-vastgelegd",
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn codes_are_unique_words() {
        let codes: std::collections::BTreeSet<_> = Action::ALL.iter().map(|a| a.code()).collect();
        assert_eq!(codes.len(), Action::ALL.len());
        assert!(
            codes
                .iter()
                .all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
        );
    }
}
