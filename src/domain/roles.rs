//! Acting for someone (puolesta asiointi / sköta ärenden för en annan person), DESIGN §2.4.
//!
//! Pure functions: who may act for whom today, and what each role may do. Roles are decided on every
//! request from these facts and never cached, so a child turning 18 or an expired mandate ends access
//! at once.

use chrono::NaiveDate;
use serde::Serialize;

use super::catalogue::GuardianshipKind;
use super::hetu::age_on;

/// The role in which the signed-in actor sees the subject's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Omat tiedot / egna uppgifter: the actor is the subject.
    Own,
    /// Huoltaja / vårdnadshavare of a minor.
    Guardian,
    /// Tiedoksisaantioikeutettu / den som har rätt att få del av uppgifterna (view only).
    InformationRight,
    /// Suomi.fi-valtuutettu / fullmaktshavare for an adult principal.
    Mandate,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Own => "own",
            Role::Guardian => "guardian",
            Role::InformationRight => "information_right",
            Role::Mandate => "mandate",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Role::Own, Role::Guardian, Role::InformationRight, Role::Mandate].into_iter().find(|r| r.code() == code)
    }

    /// Guardians and persons entitled to information: subject to rule 8, never shown restriction notices.
    pub fn is_guardian_like(self) -> bool {
        matches!(self, Role::Guardian | Role::InformationRight)
    }
}

/// What the role rules need to know about a person.
#[derive(Debug, Clone, Copy)]
pub struct PersonFacts {
    pub birth_date: NaiveDate,
    /// turvakielto / spärrmarkering
    pub non_disclosure: bool,
    /// huostaanotettu / omhändertagen
    pub taken_into_care: bool,
}

/// A period with inclusive ends; `until: None` is open-ended.
#[derive(Debug, Clone, Copy)]
pub struct Validity {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Validity {
    pub fn holds_on(self, today: NaiveDate) -> bool {
        self.from <= today && self.until.is_none_or(|u| today <= u)
    }
}

/// The links between an actor and one subject, as stored.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// Guardianships where the actor is the guardian of the subject.
    pub guardianships: Vec<(GuardianshipKind, Validity)>,
    /// Mandates from the subject (principal) to the actor (agent).
    pub mandates: Vec<Validity>,
}

/// Age of majority in Finland.
pub const ADULT_AGE: u32 = 18;

pub fn is_adult(birth_date: NaiveDate, today: NaiveDate) -> bool {
    age_on(birth_date, today) >= ADULT_AGE
}

/// The role in which `actor_is_subject`/`links` let the actor see the subject today, or `None`.
/// Own comes first; a guardian's right wins over an information right.
pub fn role_for(actor_is_subject: bool, subject: PersonFacts, links: &Links, today: NaiveDate) -> Option<Role> {
    if actor_is_subject {
        return Some(Role::Own);
    }
    let minor = !is_adult(subject.birth_date, today);
    let child_reachable = minor && !subject.non_disclosure && !subject.taken_into_care;
    let guardianship =
        |kind: GuardianshipKind| links.guardianships.iter().any(|(k, v)| *k == kind && v.holds_on(today));
    if child_reachable && guardianship(GuardianshipKind::Guardian) {
        return Some(Role::Guardian);
    }
    if child_reachable && guardianship(GuardianshipKind::InformationRight) {
        return Some(Role::InformationRight);
    }
    if !minor && links.mandates.iter().any(|v| v.holds_on(today)) {
        return Some(Role::Mandate);
    }
    None
}

/// The role of an actor for a principal whom Suomi.fi e-Authorizations has just answered ALLOWED
/// for the service's issue codes (DESIGN §2.4, production): an adult principal → mandate, a minor
/// → guardian. The portal's own rules still apply on top: the archive's non-disclosure marking or
/// custody (taken into care) on a child refuses even an ALLOWED answer. DISALLOWED is no role.
pub fn role_for_authorized(allowed: bool, subject: PersonFacts, today: NaiveDate) -> Option<Role> {
    if !allowed {
        return None;
    }
    if is_adult(subject.birth_date, today) {
        return Some(Role::Mandate);
    }
    if subject.non_disclosure || subject.taken_into_care {
        return None;
    }
    Some(Role::Guardian)
}

/// What a viewer may do with the subject's disclosure choices (the DESIGN §2.4 table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Permissions {
    pub view: bool,
    pub acknowledge_informing: bool,
    pub consent: bool,
    pub prohibition: bool,
}

/// The permission table. `subject_is_adult` matters only for a person acting for themselves.
pub fn permissions(role: Role, subject_is_adult: bool) -> Permissions {
    let p = |acknowledge_informing, consent, prohibition| Permissions {
        view: true,
        acknowledge_informing,
        consent,
        prohibition,
    };
    match role {
        Role::Own if subject_is_adult => p(true, true, true),
        // A minor's choices are handled with professionals (seed 004).
        Role::Own => p(false, false, false),
        // seed 004: a guardian can neither set nor revoke prohibitions; OmaKanta lets a guardian
        // acknowledge informing and give or revoke the child's consent.
        Role::Guardian => p(true, true, false),
        // seed 004: a person entitled to information has no say in the child's matters.
        Role::InformationRight => p(false, false, false),
        Role::Mandate => p(true, true, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use GuardianshipKind::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn child(birth: &str) -> PersonFacts {
        PersonFacts { birth_date: d(birth), non_disclosure: false, taken_into_care: false }
    }

    fn v(from: &str, until: Option<&str>) -> Validity {
        Validity { from: d(from), until: until.map(d) }
    }

    #[test]
    fn roles_table() {
        let today = d("2026-05-10");
        let g = |kind, from, until| Links { guardianships: vec![(kind, v(from, until))], mandates: vec![] };
        let m = |from, until| Links { guardianships: vec![], mandates: vec![v(from, until)] };
        let no = Links::default();
        let cases: Vec<(&str, bool, PersonFacts, Links, Option<Role>)> = vec![
            ("self", true, child("1990-01-01"), no.clone(), Some(Role::Own)),
            ("self, minor", true, child("2015-01-01"), no.clone(), Some(Role::Own)),
            ("stranger", false, child("2015-01-01"), no.clone(), None),
            ("guardian, open-ended", false, child("2015-01-01"), g(Guardian, "2015-01-01", None), Some(Role::Guardian)),
            (
                "guardian, starts today",
                false,
                child("2015-01-01"),
                g(Guardian, "2026-05-10", None),
                Some(Role::Guardian),
            ),
            ("guardian, starts tomorrow", false, child("2015-01-01"), g(Guardian, "2026-05-11", None), None),
            (
                "guardian, ends today",
                false,
                child("2015-01-01"),
                g(Guardian, "2015-01-01", Some("2026-05-10")),
                Some(Role::Guardian),
            ),
            (
                "guardian, ended yesterday",
                false,
                child("2015-01-01"),
                g(Guardian, "2015-01-01", Some("2026-05-09")),
                None,
            ),
            (
                "guardian, child turns 18 tomorrow",
                false,
                child("2008-05-11"),
                g(Guardian, "2008-05-11", None),
                Some(Role::Guardian),
            ),
            ("guardian, child turns 18 today", false, child("2008-05-10"), g(Guardian, "2008-05-10", None), None),
            (
                "guardian, turvakielto",
                false,
                PersonFacts { non_disclosure: true, ..child("2015-01-01") },
                g(Guardian, "2015-01-01", None),
                None,
            ),
            (
                "guardian, taken into care",
                false,
                PersonFacts { taken_into_care: true, ..child("2015-01-01") },
                g(Guardian, "2015-01-01", None),
                None,
            ),
            (
                "information right",
                false,
                child("2015-01-01"),
                g(InformationRight, "2020-01-01", None),
                Some(Role::InformationRight),
            ),
            (
                "information right, turvakielto",
                false,
                PersonFacts { non_disclosure: true, ..child("2015-01-01") },
                g(InformationRight, "2020-01-01", None),
                None,
            ),
            (
                "information right, child adult",
                false,
                child("2000-01-01"),
                g(InformationRight, "2000-01-01", None),
                None,
            ),
            (
                "information right, expired",
                false,
                child("2015-01-01"),
                g(InformationRight, "2020-01-01", Some("2026-01-01")),
                None,
            ),
            (
                "mandate, adult principal",
                false,
                child("1940-01-01"),
                m("2025-01-01", Some("2027-01-01")),
                Some(Role::Mandate),
            ),
            (
                "mandate, ends today",
                false,
                child("1940-01-01"),
                m("2025-01-01", Some("2026-05-10")),
                Some(Role::Mandate),
            ),
            ("mandate, expired yesterday", false, child("1940-01-01"), m("2025-01-01", Some("2026-05-09")), None),
            ("mandate, starts today", false, child("1940-01-01"), m("2026-05-10", None), Some(Role::Mandate)),
            ("mandate, future", false, child("1940-01-01"), m("2026-05-11", None), None),
            ("mandate, principal under 18", false, child("2010-01-01"), m("2025-01-01", None), None),
            (
                "mandate, principal turns 18 today",
                false,
                child("2008-05-10"),
                m("2025-01-01", None),
                Some(Role::Mandate),
            ),
            (
                "mandate, turvakielto does not matter",
                false,
                PersonFacts { non_disclosure: true, ..child("1940-01-01") },
                m("2025-01-01", None),
                Some(Role::Mandate),
            ),
            (
                "guardian wins over information right",
                false,
                child("2015-01-01"),
                Links {
                    guardianships: vec![(InformationRight, v("2015-01-01", None)), (Guardian, v("2015-01-01", None))],
                    mandates: vec![],
                },
                Some(Role::Guardian),
            ),
        ];
        for (what, is_self, subject, links, expected) in cases {
            assert_eq!(role_for(is_self, subject, &links, today), expected, "{what}");
        }
    }

    #[test]
    fn roles_from_e_authorizations() {
        let today = d("2026-05-10");
        let cases = [
            ("allowed adult", true, child("1960-03-03"), Some(Role::Mandate)),
            ("allowed, 18 today", true, child("2008-05-10"), Some(Role::Mandate)),
            ("allowed, 18 tomorrow", true, child("2008-05-11"), Some(Role::Guardian)),
            ("allowed minor", true, child("2015-01-01"), Some(Role::Guardian)),
            ("allowed minor, turvakielto", true, PersonFacts { non_disclosure: true, ..child("2015-01-01") }, None),
            (
                "allowed minor, taken into care",
                true,
                PersonFacts { taken_into_care: true, ..child("2015-01-01") },
                None,
            ),
            (
                "allowed adult, turvakielto does not matter",
                true,
                PersonFacts { non_disclosure: true, ..child("1960-03-03") },
                Some(Role::Mandate),
            ),
            ("disallowed adult", false, child("1960-03-03"), None),
            ("disallowed minor", false, child("2015-01-01"), None),
        ];
        for (what, allowed, subject, expected) in cases {
            assert_eq!(role_for_authorized(allowed, subject, today), expected, "{what}");
        }
    }

    #[test]
    fn permission_table() {
        let all = Permissions { view: true, acknowledge_informing: true, consent: true, prohibition: true };
        let view_only = Permissions { view: true, acknowledge_informing: false, consent: false, prohibition: false };
        let cases = [
            (Role::Own, true, all),
            (Role::Own, false, view_only),
            (Role::Guardian, false, Permissions { prohibition: false, ..all }),
            (Role::InformationRight, false, view_only),
            (Role::Mandate, true, all),
        ];
        for (role, adult, expected) in cases {
            assert_eq!(permissions(role, adult), expected, "{role:?} adult={adult}");
        }
    }
}
