//! Need-to-know: which parts of a resident's data (field groups) a staff
//! member sees, decided from their organisation's kind, the kinds of open
//! work it has about the resident, and the resident's sharing consents.
//! Whether they may read the resident at all is [`super::may_read_resident`].

use super::{Actor, Purpose};
use crate::consent::{HouseholdChoices, Topic};
use crate::org::OrgKind;
use crate::person::{Address, PersonName};
use crate::resident::{HouseholdRole, Resident, ResidentId};
use crate::work::WorkKind;
use crate::{Bsn, Money, Voorziening};
use time::Date;

/// A named part of a resident's data. Whatever is later added to a page
/// about a resident belongs to one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldGroup {
    /// Name, BSN, date of birth.
    Identiteit,
    /// Address, wijk and buurt: where to reach the resident.
    Contact,
    /// The household: who lives together, the resident's role in it.
    Huishouden,
    /// Net income and assets.
    InkomenVermogen,
    /// Benefits and allowances received, and possible entitlements.
    Voorzieningen,
    /// Creditors' arrears signals (Wgs vroegsignalering).
    Betalingsachterstanden,
    /// The resident's requests and appointments, with their preparations.
    HulpvragenAfspraken,
    /// Casework: contact attempts, notes, observations, accommodations.
    Dossier,
}

impl FieldGroup {
    pub const ALL: [FieldGroup; 8] = [
        FieldGroup::Identiteit,
        FieldGroup::Contact,
        FieldGroup::Huishouden,
        FieldGroup::InkomenVermogen,
        FieldGroup::Voorzieningen,
        FieldGroup::Betalingsachterstanden,
        FieldGroup::HulpvragenAfspraken,
        FieldGroup::Dossier,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FieldGroup::Identiteit => "identiteit",
            FieldGroup::Contact => "contact",
            FieldGroup::Huishouden => "huishouden",
            FieldGroup::InkomenVermogen => "inkomen-vermogen",
            FieldGroup::Voorzieningen => "voorzieningen",
            FieldGroup::Betalingsachterstanden => "betalingsachterstanden",
            FieldGroup::HulpvragenAfspraken => "hulpvragen-afspraken",
            FieldGroup::Dossier => "dossier",
        }
    }
}

use FieldGroup::*;

/// What the work of this kind needs to be done.
fn needs(kind: WorkKind) -> &'static [FieldGroup] {
    match kind {
        // A request or a referral: who, where, and the request itself.
        WorkKind::Hulpvraag
        | WorkKind::Afspraak
        | WorkKind::Voorbereiding
        | WorkKind::Doorverwijzing => &[Identiteit, Contact, HulpvragenAfspraken, Dossier],
        // A possible entitlement was computed from the household's money.
        WorkKind::MogelijkRecht => &[
            Identiteit,
            Contact,
            Huishouden,
            InkomenVermogen,
            Voorzieningen,
            HulpvragenAfspraken,
            Dossier,
        ],
        // Early help with arrears (Wgs): the whole financial picture.
        WorkKind::Signaal | WorkKind::Traject => &FieldGroup::ALL,
    }
}

/// What an organisation that is not the municipality sees without a
/// sharing consent, whatever its work: its own contact with the resident.
const OWN_CONTACT: [FieldGroup; 4] = [Identiteit, Contact, HulpvragenAfspraken, Dossier];

/// The sharing consent that lets an organisation of this kind see more,
/// and what its text (consent-delen-*-text) promises it shows.
pub fn sharing_for(kind: OrgKind) -> Option<(Topic, &'static [FieldGroup])> {
    match kind {
        OrgKind::Uwv => Some((
            Topic::DelenUwv,
            &[Huishouden, InkomenVermogen, Voorzieningen],
        )),
        OrgKind::Schuldhulp => Some((
            Topic::DelenSchuldhulp,
            &[InkomenVermogen, Voorzieningen, Betalingsachterstanden],
        )),
        _ => None,
    }
}

/// What the store knows when a staff member's organisation reads a resident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldFacts {
    pub org_kind: OrgKind,
    /// The kinds of open work the reader's organisation has about the
    /// resident (a signal case of the household counts as `Signaal`).
    pub work: Vec<WorkKind>,
    /// The sharing consents the resident gave and that count (see
    /// [`crate::consent::may_decide`]).
    pub sharing: Vec<Topic>,
}

/// Why a field group is not shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hidden {
    /// The resident did not give this sharing consent.
    NotShared(Topic),
    /// The organisation's open work does not need it.
    NotNeeded,
}

/// The field groups shown, and those hidden with the reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldAccess {
    pub shown: Vec<FieldGroup>,
    pub hidden: Vec<(FieldGroup, Hidden)>,
}

impl FieldAccess {
    pub fn everything() -> Self {
        FieldAccess {
            shown: FieldGroup::ALL.to_vec(),
            hidden: Vec::new(),
        }
    }

    pub fn shows(&self, group: FieldGroup) -> bool {
        self.shown.contains(&group)
    }

    /// For the audit entry: the codes of the groups shown.
    pub fn describe(&self) -> String {
        if self.shown.is_empty() {
            return "niets getoond".to_string();
        }
        let codes: Vec<&str> = self.shown.iter().map(|g| g.code()).collect();
        format!("getoond: {}", codes.join(", "))
    }
}

/// Which field groups `actor` sees of a resident it may read for
/// `purpose`. A resident sees all of their own; a staff member what their
/// organisation's open work needs, and for another organisation than the
/// municipality, only its own contact unless the resident shares more.
/// `facts` are those of the staff member's organisation (none for others).
pub fn field_access(actor: &Actor, purpose: Purpose, facts: Option<&FieldFacts>) -> FieldAccess {
    if matches!((actor, purpose), (Actor::Resident(_), Purpose::OwnView)) {
        return FieldAccess::everything();
    }
    let (Actor::Staff(_), Some(facts)) = (actor, facts) else {
        return FieldAccess {
            shown: Vec::new(),
            hidden: FieldGroup::ALL.map(|g| (g, Hidden::NotNeeded)).to_vec(),
        };
    };
    let needed = |g: &FieldGroup| facts.work.iter().any(|k| needs(*k).contains(g));
    let shared = sharing_for(facts.org_kind);
    let mut access = FieldAccess::default();
    for g in FieldGroup::ALL {
        let allowed = if facts.org_kind == OrgKind::Gemeente {
            needed(&g)
        } else {
            (needed(&g) && OWN_CONTACT.contains(&g))
                || shared.is_some_and(|(t, gs)| facts.sharing.contains(&t) && gs.contains(&g))
        };
        if allowed {
            access.shown.push(g);
        } else {
            let reason = match shared {
                Some((t, gs)) if gs.contains(&g) => Hidden::NotShared(t),
                _ => Hidden::NotNeeded,
            };
            access.hidden.push((g, reason));
        }
    }
    access
}

/// May a staff member with this access keep the case file's notes of the
/// resident (read them, write them)? Only where the dossier is shown.
pub fn may_keep_notes(access: &FieldAccess) -> Result<(), super::Denied> {
    if access.shows(Dossier) {
        Ok(())
    } else {
        Err(super::Denied::NoWorkRelation)
    }
}

/// A resident as one reader may see them: each part only through an
/// accessor that asks whether its field group is shown, so a page or an
/// export cannot show what the policy hid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    pub id: ResidentId,
    pub access: FieldAccess,
    /// The household's choices that hold: whoever may read the resident
    /// must respect them, so they go with every group.
    pub choices: HouseholdChoices,
    /// The sharing consents that count (for staff; empty for others).
    pub sharing: Vec<Topic>,
    resident: Resident,
}

impl Seen {
    pub fn new(
        resident: Resident,
        access: FieldAccess,
        choices: HouseholdChoices,
        sharing: Vec<Topic>,
    ) -> Self {
        Seen {
            id: resident.id,
            access,
            choices,
            sharing,
            resident,
        }
    }

    fn part<'a, T>(&'a self, group: FieldGroup, f: impl FnOnce(&'a Resident) -> T) -> Option<T> {
        self.access.shows(group).then(|| f(&self.resident))
    }

    pub fn name(&self) -> Option<&PersonName> {
        self.part(Identiteit, |r| &r.record.name)
    }
    pub fn bsn(&self) -> Option<&Bsn> {
        self.part(Identiteit, |r| &r.record.bsn)
    }
    pub fn birth(&self) -> Option<Date> {
        self.part(Identiteit, |r| r.record.geboortedatum)
    }
    pub fn address(&self) -> Option<&Address> {
        self.part(Contact, |r| &r.record.address)
    }
    /// Wijk and buurt.
    pub fn area(&self) -> Option<(&str, &str)> {
        self.part(Contact, |r| {
            (r.record.wijk.as_str(), r.record.buurt.as_str())
        })
    }
    pub fn household_role(&self) -> Option<HouseholdRole> {
        self.part(Huishouden, |r| r.record.rol_in_huishouden)
    }
    /// Net income a month and assets.
    pub fn money(&self) -> Option<(Money, Money)> {
        self.part(InkomenVermogen, |r| {
            (
                r.record.finances.netto_inkomen_maand,
                r.record.finances.vermogen,
            )
        })
    }
    pub fn benefits(&self) -> Option<&[Voorziening]> {
        self.part(Voorzieningen, |r| {
            r.record.finances.voorzieningen.as_slice()
        })
    }
}

#[cfg(test)]
mod tests;
