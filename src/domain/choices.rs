//! Disclosure choices (tahdonilmaisut / viljeyttringar), DESIGN §2.5: who may change what, the Kanta
//! informing gate, allowed prohibition targets and duplicates. Pure: no I/O, no clock.

use chrono::NaiveDate;

use super::catalogue::ServiceTask;
use super::roles::Permissions;

/// What a disclosure prohibition (luovutuskielto / förbud mot utlämnande) is aimed at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A registrar (rekisterinpitäjä / personuppgiftsansvarig), by organisation id.
    Registrar(i64),
    ServiceTask(ServiceTask),
    /// A document by its stable archive id.
    Document(String),
}

/// What kind of thing a prohibition is aimed at: the first step of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Registrar,
    ServiceTask,
    Document,
}

impl TargetKind {
    pub const ALL: [TargetKind; 3] = [TargetKind::Registrar, TargetKind::ServiceTask, TargetKind::Document];

    pub fn code(self) -> &'static str {
        match self {
            TargetKind::Registrar => "registrar",
            TargetKind::ServiceTask => "service_task",
            TargetKind::Document => "document",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl Target {
    pub fn kind(&self) -> TargetKind {
        match self {
            Target::Registrar(_) => TargetKind::Registrar,
            Target::ServiceTask(_) => TargetKind::ServiceTask,
            Target::Document(_) => TargetKind::Document,
        }
    }
}

/// A confirm form's nonce, the key that makes a resubmitted form change nothing: at least 20 ASCII
/// letters and digits (what `new_form_nonce` makes).
pub fn is_form_nonce(nonce: &str) -> bool {
    nonce.len() >= 20 && nonce.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Why a change is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The role may not do this (DESIGN §2.4 table); a 403.
    NotPermitted,
    /// The current Kanta informing has not been acknowledged.
    InformingMissing,
    /// The target is not among those offered to this viewer.
    TargetNotOffered,
    /// The same target already has an active prohibition.
    Duplicate,
    /// No such active prohibition of this subject.
    NoSuchProhibition,
}

/// Whether the subject has acknowledged the current informing: an acknowledgement dated on or after
/// the publication date of the current informing text.
pub fn informing_acknowledged(latest_acknowledgement: Option<NaiveDate>, published_on: NaiveDate) -> bool {
    latest_acknowledgement.is_some_and(|d| d >= published_on)
}

/// Whether giving (`give`) or revoking consent changes anything, given the current state (`None`:
/// never recorded, which counts as not given). The same choice again — a double submit, the back
/// button, two tabs — records nothing.
pub fn consent_changes(current: Option<bool>, give: bool) -> bool {
    match current {
        Some(given) => given != give,
        None => give,
    }
}

pub fn may_acknowledge(p: Permissions) -> Result<(), Refusal> {
    if p.acknowledge_informing { Ok(()) } else { Err(Refusal::NotPermitted) }
}

/// Giving consent needs the right and the informing. Revoking needs the right only: a careful
/// service never stands in the way of disclosing less (our reading of seed 000; written down in
/// docs/behaviour.md).
pub fn may_change_consent(p: Permissions, informed: bool, give: bool) -> Result<(), Refusal> {
    if !p.consent {
        return Err(Refusal::NotPermitted);
    }
    if give && !informed {
        return Err(Refusal::InformingMissing);
    }
    Ok(())
}

/// A new prohibition: the right, the informing, an offered target, and no active one on it.
pub fn may_set_prohibition(
    p: Permissions,
    informed: bool,
    offered: &[Target],
    active: &[Target],
    target: &Target,
) -> Result<(), Refusal> {
    if !p.prohibition {
        return Err(Refusal::NotPermitted);
    }
    if !informed {
        return Err(Refusal::InformingMissing);
    }
    if !offered.contains(target) {
        return Err(Refusal::TargetNotOffered);
    }
    if active.contains(target) {
        return Err(Refusal::Duplicate);
    }
    Ok(())
}

/// Revoking a prohibition: the right, the informing (a revocation is recorded like any choice and
/// widens disclosure), and an active prohibition that belongs to the current subject.
pub fn may_revoke_prohibition(
    p: Permissions,
    informed: bool,
    belongs_to_subject: bool,
    active: bool,
) -> Result<(), Refusal> {
    if !p.prohibition {
        return Err(Refusal::NotPermitted);
    }
    if !belongs_to_subject || !active {
        return Err(Refusal::NoSuchProhibition);
    }
    if !informed {
        return Err(Refusal::InformingMissing);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roles::{Role, permissions};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn informing_gate_table() {
        let published = d("2026-03-01");
        let cases = [
            (None, false),
            (Some(d("2026-02-28")), false),
            (Some(d("2026-03-01")), true),
            (Some(d("2026-06-01")), true),
        ];
        for (ack, expected) in cases {
            assert_eq!(informing_acknowledged(ack, published), expected, "{ack:?}");
        }
    }

    #[test]
    fn every_permission_cell() {
        use Refusal::*;
        let own = permissions(Role::Own, true);
        let minor = permissions(Role::Own, false);
        let guardian = permissions(Role::Guardian, false);
        let info = permissions(Role::InformationRight, false);
        let mandate = permissions(Role::Mandate, true);
        let t = Target::ServiceTask(ServiceTask::OlderPeople);
        let offered = vec![t.clone()];
        // (who, acknowledge, give consent, revoke consent, set prohibition, revoke prohibition)
        let cases = [
            ("own adult", own, Ok(()), Ok(()), Ok(()), Ok(()), Ok(())),
            (
                "own minor",
                minor,
                Err(NotPermitted),
                Err(NotPermitted),
                Err(NotPermitted),
                Err(NotPermitted),
                Err(NotPermitted),
            ),
            ("guardian", guardian, Ok(()), Ok(()), Ok(()), Err(NotPermitted), Err(NotPermitted)),
            (
                "information right",
                info,
                Err(NotPermitted),
                Err(NotPermitted),
                Err(NotPermitted),
                Err(NotPermitted),
                Err(NotPermitted),
            ),
            ("mandate", mandate, Ok(()), Ok(()), Ok(()), Ok(()), Ok(())),
        ];
        for (who, p, ack, give, revoke, set, unset) in cases {
            assert_eq!(may_acknowledge(p), ack, "{who} acknowledge");
            assert_eq!(may_change_consent(p, true, true), give, "{who} give consent");
            assert_eq!(may_change_consent(p, true, false), revoke, "{who} revoke consent");
            assert_eq!(may_set_prohibition(p, true, &offered, &[], &t), set, "{who} set prohibition");
            assert_eq!(may_revoke_prohibition(p, true, true, true), unset, "{who} revoke prohibition");
        }
    }

    #[test]
    fn the_informing_gate_and_targets() {
        use Refusal::*;
        let p = permissions(Role::Own, true);
        let reg = Target::Registrar(7);
        let doc = Target::Document("D1".into());
        let offered = vec![reg.clone(), doc.clone()];
        assert_eq!(may_change_consent(p, false, true), Err(InformingMissing));
        assert_eq!(may_change_consent(p, false, false), Ok(()), "revoking consent is never blocked by the gate");
        assert_eq!(may_set_prohibition(p, false, &offered, &[], &reg), Err(InformingMissing));
        assert_eq!(may_set_prohibition(p, true, &offered, &[], &Target::Registrar(8)), Err(TargetNotOffered));
        assert_eq!(may_set_prohibition(p, true, &offered, &[], &Target::Document("D2".into())), Err(TargetNotOffered));
        assert_eq!(may_set_prohibition(p, true, &offered, std::slice::from_ref(&doc), &doc), Err(Duplicate));
        assert_eq!(may_set_prohibition(p, true, &offered, std::slice::from_ref(&doc), &reg), Ok(()));
        assert_eq!(may_revoke_prohibition(p, true, false, true), Err(NoSuchProhibition), "someone else's");
        assert_eq!(may_revoke_prohibition(p, true, true, false), Err(NoSuchProhibition), "already revoked");
        assert_eq!(may_revoke_prohibition(p, false, true, true), Err(InformingMissing));
    }

    #[test]
    fn only_a_real_change_of_consent_is_recorded() {
        for (current, give, expected) in [
            (None, true, true),
            (None, false, false),
            (Some(false), true, true),
            (Some(true), true, false),
            (Some(true), false, true),
            (Some(false), false, false),
        ] {
            assert_eq!(consent_changes(current, give), expected, "{current:?} {give}");
        }
    }
}
