//! The visibility rules of DESIGN §2.2: what a viewer sees of a document.
//!
//! One pure function, [`decide`], serves every page, every count, the data-use log, the prohibition
//! targets and the `explain` command. It must never do I/O or read the clock: today is a parameter.
//! Sources: seed 000 (fi) and 002 (sv), "Mitä sosiaalihuollon asiakas ei näe OmaKannasta?".
//!
//! Long on purpose: the rules are short; most of the file is their case tables, one case a line.

use chrono::NaiveDate;
use serde::Serialize;

use super::catalogue::{DocumentKind, DocumentStatus, Service};
use super::roles::Role;

/// What the rules need to know about the current version of a document.
#[derive(Debug, Clone)]
pub struct DocumentFacts {
    pub status: DocumentStatus,
    pub phase: i32,
    pub kind: DocumentKind,
    pub service: Option<Service>,
    pub joint_matter: bool,
    /// erityissisältömerkintä / markering för särskilt innehåll
    pub special_content: bool,
    pub delayed_until: Option<NaiveDate>,
    pub hidden_from_guardians: bool,
    /// The Helsinki date the document was created (`created_at`).
    pub created_on: NaiveDate,
    /// When the registrar joined Kanta (`organisation.joined_kanta_on`), when known.
    pub registrar_joined_kanta_on: Option<NaiveDate>,
}

/// What the rules need to know about a client relationship (asiakkuus / klientrelation), DESIGN §2.3.
#[derive(Debug, Clone, Copy)]
pub struct RelationshipFacts {
    pub service: Option<Service>,
    pub hidden_from_guardians: bool,
}

/// The registrar's publication start dates that apply to a document (rule 6).
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicationStart {
    /// The date for the document's own service task.
    pub for_task: Option<NaiveDate>,
    /// The date for all the registrar's service tasks (`service_task: null` in the feed).
    pub for_registrar: Option<NaiveDate>,
}

impl PublicationStart {
    /// A task-specific date wins over the registrar-wide one; without either there is no start date.
    pub fn effective(self) -> Option<NaiveDate> {
        self.for_task.or(self.for_registrar)
    }
}

/// The operator's switches for the categories Kanta does not show yet (rule 4): "alkuvaiheessa ei
/// näytetä". All off by default; Kanta announces when each starts to show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotYetShown {
    pub show_client_record_entries: bool,
    pub show_parenthood_investigations: bool,
    pub show_joint_matter_documents: bool,
}

/// The rule that decided a verdict other than shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Invalidated,
    OldFormat,
    NeverShown,
    NotYetShown,
    SpecialContent,
    NotYetPublished,
    Delayed,
    HiddenFromGuardians,
    /// An attachment whose parent document is not among the subject's documents.
    MissingParent,
}

impl Rule {
    pub fn code(self) -> &'static str {
        match self {
            Rule::Invalidated => "invalidated",
            Rule::OldFormat => "old_format",
            Rule::NeverShown => "never_shown",
            Rule::NotYetShown => "not_yet_shown",
            Rule::SpecialContent => "special_content",
            Rule::NotYetPublished => "not_yet_published",
            Rule::Delayed => "delayed",
            Rule::HiddenFromGuardians => "hidden_from_guardians",
            Rule::MissingParent => "missing_parent",
        }
    }
}

/// The outcome for one viewer on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Shown,
    /// Exists for the viewer's eyes later or not for this role; absent everywhere all the same.
    Restricted(Rule),
    Hidden(Rule),
}

impl Verdict {
    pub fn is_shown(self) -> bool {
        matches!(self, Verdict::Shown)
    }

    pub fn code(self) -> &'static str {
        match self {
            Verdict::Shown => "shown",
            Verdict::Restricted(_) => "restricted",
            Verdict::Hidden(_) => "hidden",
        }
    }

    pub fn rule(self) -> Option<Rule> {
        match self {
            Verdict::Shown => None,
            Verdict::Restricted(r) | Verdict::Hidden(r) => Some(r),
        }
    }

    /// Whether this document makes the general restriction notice appear on its service task page
    /// for a viewer acting for themselves or by mandate: only rules 5 and 7 do (DESIGN §2.2).
    pub fn triggers_notice(self) -> bool {
        matches!(self, Verdict::Hidden(Rule::SpecialContent) | Verdict::Restricted(Rule::Delayed))
    }
}

/// Decides what `role` sees of the current version of a document on `today` (Europe/Helsinki).
/// The first rule that applies decides.
pub fn decide(
    doc: &DocumentFacts,
    publication: PublicationStart,
    role: Role,
    today: NaiveDate,
    switches: NotYetShown,
) -> Verdict {
    use Verdict::{Hidden, Restricted};
    // 1. mitätöity / makulerad: the newest version decides; earlier versions are never shown.
    if doc.status == DocumentStatus::Invalidated {
        return Hidden(Rule::Invalidated);
    }
    // 2. Old (phase-1) documents, and documents made before the registrar joined Kanta (seed 000:
    //    "ennen Kantaan liittymistä syntyneitä").
    if doc.phase < 2 || doc.registrar_joined_kanta_on.is_some_and(|joined| doc.created_on < joined) {
        return Hidden(Rule::OldFormat);
    }
    // 3. Never shown in OmaKanta (seed 000).
    let never_kind = matches!(
        doc.kind,
        DocumentKind::PaymentCommitment | DocumentKind::CustodyInvestigation | DocumentKind::ClientRelationshipDocument
    );
    if never_kind || is_never_shown_service(doc.service) {
        return Hidden(Rule::NeverShown);
    }
    // 4. Not yet shown, unless the operator has switched the category on.
    let not_yet = (doc.kind == DocumentKind::ClientRecordEntry && !switches.show_client_record_entries)
        || (doc.kind == DocumentKind::ParenthoodInvestigation && !switches.show_parenthood_investigations)
        || (doc.joint_matter && !switches.show_joint_matter_documents);
    if not_yet {
        return Hidden(Rule::NotYetShown);
    }
    // 5. Special-content marking: never shown at all.
    if doc.special_content {
        return Hidden(Rule::SpecialContent);
    }
    // 6. The registrar has not started publishing this service task yet.
    if publication.effective().is_some_and(|from| from > today) {
        return Hidden(Rule::NotYetPublished);
    }
    // 7. Delayed display: shown from `delayed_until` on, inclusive.
    if doc.delayed_until.is_some_and(|until| until > today) {
        return Restricted(Rule::Delayed);
    }
    // 8. Restricted from the child's guardians (and persons entitled to information).
    if doc.hidden_from_guardians && role.is_guardian_like() {
        return Restricted(Rule::HiddenFromGuardians);
    }
    Verdict::Shown
}

/// Rule 3 for services (seeds 000, 001): shelter services, violence-prevention work and adoption
/// counselling are never shown. The codes are listed one by one on purpose: a service code added
/// to the catalogue later is shown unless it is added here.
pub fn is_never_shown_service(service: Option<Service>) -> bool {
    matches!(service, Some(Service::Shelter | Service::ViolencePrevention | Service::AdoptionCounselling))
}

/// Whether a registrar has started publishing a service task on `today` (rule 6), for data that is
/// not a document: the client relationship and the own worker (DESIGN §2.3).
pub fn is_published(publication: PublicationStart, today: NaiveDate) -> bool {
    publication.effective().is_none_or(|from| from <= today)
}

/// What a viewer sees of a client relationship and its own worker (DESIGN §2.3): the same numbered
/// rules as documents, where they apply. First rule wins.
pub fn decide_relationship(
    rel: RelationshipFacts,
    publication: PublicationStart,
    role: Role,
    today: NaiveDate,
) -> Verdict {
    // 3. A shelter, violence-prevention or adoption-counselling relationship is never shown.
    if is_never_shown_service(rel.service) {
        return Verdict::Hidden(Rule::NeverShown);
    }
    // 6. Not before the registrar publishes the task.
    if !is_published(publication, today) {
        return Verdict::Hidden(Rule::NotYetPublished);
    }
    // 8. Not for guardians or persons entitled to information, when so marked.
    if rel.hidden_from_guardians && role.is_guardian_like() {
        return Verdict::Restricted(Rule::HiddenFromGuardians);
    }
    Verdict::Shown
}

/// An attachment (`attachment_of`) is shown only when both it and its parent are shown; otherwise
/// the stricter verdict stands (seed 000: a custody investigation "liitteineen" is never shown).
/// `parent` is `None` when the parent is not among the subject's documents: hidden.
pub fn decide_attachment(own: Verdict, parent: Option<Verdict>) -> Verdict {
    match (own, parent) {
        (Verdict::Shown, Some(parent)) => parent,
        (Verdict::Shown, None) => Verdict::Hidden(Rule::MissingParent),
        (own, _) => own,
    }
}

/// What a viewer sees of a data-use event (DESIGN §2.6): an event in a never-shown service is left
/// out (rule 3), and so is one about a document the viewer does not see. `document` is the
/// verdict of the document the event names (`None` when it names one the subject does not have).
pub fn decide_data_use(service: Option<Service>, names_document: bool, document: Option<Verdict>) -> Verdict {
    if is_never_shown_service(service) {
        return Verdict::Hidden(Rule::NeverShown);
    }
    match (names_document, document) {
        (false, _) => Verdict::Shown,
        (true, Some(v)) => v,
        (true, None) => Verdict::Hidden(Rule::MissingParent),
    }
}

/// Whether a document raises the general restriction notice on its service task page: rule 5 or 7
/// decided it, and only where the task's publication has started — before that nothing of the task
/// shows, not even the notice (rule 5 comes before rule 6, so the date is checked here).
pub fn gives_notice(verdict: Verdict, publication: PublicationStart, today: NaiveDate) -> bool {
    verdict.triggers_notice() && is_published(publication, today)
}

/// Whether a viewer in `role` may be told that some information is restricted or delayed.
/// Guardians and persons entitled to information never see the notice (DESIGN §2.2).
pub fn may_see_restriction_notice(role: Role) -> bool {
    !role.is_guardian_like()
}

#[cfg(test)]
mod tests {
    use super::*;
    use DocumentKind as K;
    use Role::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn doc() -> DocumentFacts {
        DocumentFacts {
            status: DocumentStatus::Active,
            phase: 2,
            kind: K::Decision,
            service: None,
            joint_matter: false,
            special_content: false,
            delayed_until: None,
            hidden_from_guardians: false,
            created_on: d("2026-03-04"),
            registrar_joined_kanta_on: None,
        }
    }

    const TODAY: &str = "2026-05-10";

    /// One case a line: (what, document, publication start, role, switches, expected verdict).
    #[test]
    fn rules_table() {
        let none = PublicationStart::default();
        let off = NotYetShown::default();
        let all_on = NotYetShown {
            show_client_record_entries: true,
            show_parenthood_investigations: true,
            show_joint_matter_documents: true,
        };
        let pub_task = |s: &str| PublicationStart { for_task: Some(d(s)), for_registrar: None };
        let pub_reg = |s: &str| PublicationStart { for_task: None, for_registrar: Some(d(s)) };
        let with = |f: &dyn Fn(&mut DocumentFacts)| {
            let mut x = doc();
            f(&mut x);
            x
        };
        use Verdict::*;
        let cases: Vec<(&str, DocumentFacts, PublicationStart, Role, NotYetShown, Verdict)> = vec![
            ("plain decision", doc(), none, Own, off, Shown),
            ("each shown kind", with(&|x| x.kind = K::ServiceNeedAssessment), none, Own, off, Shown),
            ("client plan", with(&|x| x.kind = K::ClientPlan), none, Own, off, Shown),
            ("implementation plan", with(&|x| x.kind = K::ImplementationPlan), none, Own, off, Shown),
            ("other document", with(&|x| x.kind = K::Other), none, Own, off, Shown),
            (
                "1 invalidated",
                with(&|x| x.status = DocumentStatus::Invalidated),
                none,
                Own,
                off,
                Hidden(Rule::Invalidated),
            ),
            (
                "1 beats everything",
                with(&|x| {
                    x.status = DocumentStatus::Invalidated;
                    x.phase = 1;
                    x.kind = K::PaymentCommitment
                }),
                none,
                Own,
                off,
                Hidden(Rule::Invalidated),
            ),
            ("2 phase 1", with(&|x| x.phase = 1), none, Own, off, Hidden(Rule::OldFormat)),
            ("2 phase 0", with(&|x| x.phase = 0), none, Own, off, Hidden(Rule::OldFormat)),
            ("2 phase 3 is newer", with(&|x| x.phase = 3), none, Own, off, Shown),
            (
                "2 made before the registrar joined Kanta",
                with(&|x| x.registrar_joined_kanta_on = Some(d("2026-03-05"))),
                none,
                Own,
                off,
                Hidden(Rule::OldFormat),
            ),
            (
                "2 made on the day it joined",
                with(&|x| x.registrar_joined_kanta_on = Some(d("2026-03-04"))),
                none,
                Own,
                off,
                Shown,
            ),
            ("2 joined earlier", with(&|x| x.registrar_joined_kanta_on = Some(d("2025-01-01"))), none, Own, off, Shown),
            (
                "2 pre-Kanta beats 3",
                with(&|x| {
                    x.registrar_joined_kanta_on = Some(d("2027-01-01"));
                    x.kind = K::PaymentCommitment
                }),
                none,
                Own,
                off,
                Hidden(Rule::OldFormat),
            ),
            (
                "3 payment commitment",
                with(&|x| x.kind = K::PaymentCommitment),
                none,
                Own,
                off,
                Hidden(Rule::NeverShown),
            ),
            (
                "3 custody investigation",
                with(&|x| x.kind = K::CustodyInvestigation),
                none,
                Own,
                off,
                Hidden(Rule::NeverShown),
            ),
            (
                "3 client relationship document",
                with(&|x| x.kind = K::ClientRelationshipDocument),
                none,
                Own,
                off,
                Hidden(Rule::NeverShown),
            ),
            ("3 shelter", with(&|x| x.service = Some(Service::Shelter)), none, Own, off, Hidden(Rule::NeverShown)),
            (
                "3 violence prevention",
                with(&|x| x.service = Some(Service::ViolencePrevention)),
                none,
                Own,
                off,
                Hidden(Rule::NeverShown),
            ),
            (
                "3 adoption counselling",
                with(&|x| x.service = Some(Service::AdoptionCounselling)),
                none,
                Own,
                off,
                Hidden(Rule::NeverShown),
            ),
            (
                "3 never-shown service with a shown kind",
                with(&|x| {
                    x.service = Some(Service::Shelter);
                    x.kind = K::ClientPlan
                }),
                none,
                Mandate,
                all_on,
                Hidden(Rule::NeverShown),
            ),
            ("3 not switchable", with(&|x| x.kind = K::PaymentCommitment), none, Own, all_on, Hidden(Rule::NeverShown)),
            (
                "3 beats 4",
                with(&|x| {
                    x.kind = K::CustodyInvestigation;
                    x.joint_matter = true
                }),
                none,
                Own,
                off,
                Hidden(Rule::NeverShown),
            ),
            (
                "4 client record entry",
                with(&|x| x.kind = K::ClientRecordEntry),
                none,
                Own,
                off,
                Hidden(Rule::NotYetShown),
            ),
            (
                "4 parenthood investigation",
                with(&|x| x.kind = K::ParenthoodInvestigation),
                none,
                Own,
                off,
                Hidden(Rule::NotYetShown),
            ),
            ("4 joint matter", with(&|x| x.joint_matter = true), none, Own, off, Hidden(Rule::NotYetShown)),
            (
                "4 switched on: entries",
                with(&|x| x.kind = K::ClientRecordEntry),
                none,
                Own,
                NotYetShown { show_client_record_entries: true, ..off },
                Shown,
            ),
            (
                "4 switched on: parenthood",
                with(&|x| x.kind = K::ParenthoodInvestigation),
                none,
                Own,
                NotYetShown { show_parenthood_investigations: true, ..off },
                Shown,
            ),
            (
                "4 switched on: joint",
                with(&|x| x.joint_matter = true),
                none,
                Own,
                NotYetShown { show_joint_matter_documents: true, ..off },
                Shown,
            ),
            (
                "4 one switch does not open another",
                with(&|x| {
                    x.kind = K::ClientRecordEntry;
                    x.joint_matter = true
                }),
                none,
                Own,
                NotYetShown { show_client_record_entries: true, ..off },
                Hidden(Rule::NotYetShown),
            ),
            ("5 special content", with(&|x| x.special_content = true), none, Own, off, Hidden(Rule::SpecialContent)),
            (
                "5 beats 7",
                with(&|x| {
                    x.special_content = true;
                    x.delayed_until = Some(d("2027-01-01"))
                }),
                none,
                Own,
                off,
                Hidden(Rule::SpecialContent),
            ),
            (
                "4 beats 5",
                with(&|x| {
                    x.joint_matter = true;
                    x.special_content = true
                }),
                none,
                Own,
                off,
                Hidden(Rule::NotYetShown),
            ),
            ("6 task start tomorrow", doc(), pub_task("2026-05-11"), Own, off, Hidden(Rule::NotYetPublished)),
            ("6 task start today", doc(), pub_task(TODAY), Own, off, Shown),
            ("6 registrar start tomorrow", doc(), pub_reg("2026-05-11"), Own, off, Hidden(Rule::NotYetPublished)),
            ("6 registrar start today", doc(), pub_reg(TODAY), Own, off, Shown),
            (
                "6 task date wins over a later registrar date",
                doc(),
                PublicationStart { for_task: Some(d("2026-01-01")), for_registrar: Some(d("2027-01-01")) },
                Own,
                off,
                Shown,
            ),
            (
                "6 task date wins over an earlier registrar date",
                doc(),
                PublicationStart { for_task: Some(d("2027-01-01")), for_registrar: Some(d("2026-01-01")) },
                Own,
                off,
                Hidden(Rule::NotYetPublished),
            ),
            (
                "6 beats 7",
                with(&|x| x.delayed_until = Some(d("2027-01-01"))),
                pub_task("2027-01-01"),
                Own,
                off,
                Hidden(Rule::NotYetPublished),
            ),
            (
                "7 delayed until tomorrow",
                with(&|x| x.delayed_until = Some(d("2026-05-11"))),
                none,
                Own,
                off,
                Restricted(Rule::Delayed),
            ),
            ("7 delayed until today is shown", with(&|x| x.delayed_until = Some(d(TODAY))), none, Own, off, Shown),
            ("7 delayed until yesterday", with(&|x| x.delayed_until = Some(d("2026-05-09"))), none, Own, off, Shown),
            (
                "7 delayed for a guardian too",
                with(&|x| x.delayed_until = Some(d("2026-05-11"))),
                none,
                Guardian,
                off,
                Restricted(Rule::Delayed),
            ),
            (
                "7 beats 8",
                with(&|x| {
                    x.delayed_until = Some(d("2026-05-11"));
                    x.hidden_from_guardians = true
                }),
                none,
                Guardian,
                off,
                Restricted(Rule::Delayed),
            ),
            (
                "8 guardian",
                with(&|x| x.hidden_from_guardians = true),
                none,
                Guardian,
                off,
                Restricted(Rule::HiddenFromGuardians),
            ),
            (
                "8 information right",
                with(&|x| x.hidden_from_guardians = true),
                none,
                InformationRight,
                off,
                Restricted(Rule::HiddenFromGuardians),
            ),
            ("8 the child sees it", with(&|x| x.hidden_from_guardians = true), none, Own, off, Shown),
            ("8 mandate sees it", with(&|x| x.hidden_from_guardians = true), none, Mandate, off, Shown),
            ("9 guardian sees a plain one", doc(), none, Guardian, off, Shown),
        ];
        for (what, facts, publication, role, switches, expected) in cases {
            assert_eq!(decide(&facts, publication, role, d(TODAY), switches), expected, "{what}");
        }
    }

    /// Seeds 000/002: adoption counselling and custody investigations are never shown — no operator
    /// switch, role or date opens them.
    #[test]
    fn no_switch_ever_shows_adoption_counselling_or_a_custody_investigation() {
        let never = [
            {
                let mut x = doc();
                x.service = Some(Service::AdoptionCounselling);
                x
            },
            {
                let mut x = doc();
                x.kind = K::CustodyInvestigation;
                x
            },
            {
                let mut x = doc();
                x.kind = K::CustodyInvestigation;
                x.joint_matter = true;
                x
            },
            {
                let mut x = doc();
                x.kind = K::ParenthoodInvestigation;
                x.service = Some(Service::AdoptionCounselling);
                x
            },
        ];
        for bits in 0..8u8 {
            let switches = NotYetShown {
                show_client_record_entries: bits & 1 != 0,
                show_parenthood_investigations: bits & 2 != 0,
                show_joint_matter_documents: bits & 4 != 0,
            };
            for role in [Own, Guardian, InformationRight, Mandate] {
                for facts in &never {
                    let v = decide(facts, PublicationStart::default(), role, d(TODAY), switches);
                    assert_eq!(v, Verdict::Hidden(Rule::NeverShown), "{switches:?} {role:?} {facts:?}");
                }
            }
        }
    }

    #[test]
    fn notice_is_triggered_only_by_special_content_and_delay() {
        assert!(Verdict::Hidden(Rule::SpecialContent).triggers_notice());
        assert!(Verdict::Restricted(Rule::Delayed).triggers_notice());
        for rule in [Rule::Invalidated, Rule::OldFormat, Rule::NeverShown, Rule::NotYetShown, Rule::NotYetPublished] {
            assert!(!Verdict::Hidden(rule).triggers_notice(), "{rule:?}");
        }
        assert!(!Verdict::Restricted(Rule::HiddenFromGuardians).triggers_notice());
        assert!(!Verdict::Shown.triggers_notice());
        assert!(may_see_restriction_notice(Own) && may_see_restriction_notice(Mandate));
        assert!(!may_see_restriction_notice(Guardian) && !may_see_restriction_notice(InformationRight));
    }

    #[test]
    fn the_notice_is_given_only_where_publication_has_started() {
        let special = Verdict::Hidden(Rule::SpecialContent);
        let delayed = Verdict::Restricted(Rule::Delayed);
        let started = PublicationStart { for_task: Some(d(TODAY)), for_registrar: None };
        let later = PublicationStart { for_task: Some(d("2026-05-11")), for_registrar: None };
        let registrar_later = PublicationStart { for_task: None, for_registrar: Some(d("2026-06-01")) };
        let cases = [
            ("special content, published", special, started, true),
            ("special content, no date at all", special, PublicationStart::default(), true),
            ("special content, task not yet published", special, later, false),
            ("special content, registrar not yet published", special, registrar_later, false),
            ("delayed, published", delayed, started, true),
            ("delayed, not yet published", delayed, later, false),
            ("shown", Verdict::Shown, started, false),
        ];
        for (what, verdict, publication, expected) in cases {
            assert_eq!(gives_notice(verdict, publication, d(TODAY)), expected, "{what}");
        }
    }

    /// One case a line: (what, service, hidden from guardians, publication, role, expected).
    #[test]
    fn relationship_rules_table() {
        use Verdict::*;
        let none = PublicationStart::default();
        let later = PublicationStart { for_task: Some(d("2026-05-11")), for_registrar: None };
        let rel = |service, hidden_from_guardians| RelationshipFacts { service, hidden_from_guardians };
        let cases: Vec<(&str, RelationshipFacts, PublicationStart, Role, Verdict)> = vec![
            ("plain", rel(None, false), none, Own, Shown),
            ("3 shelter", rel(Some(Service::Shelter), false), none, Own, Hidden(Rule::NeverShown)),
            (
                "3 violence prevention",
                rel(Some(Service::ViolencePrevention), false),
                none,
                Mandate,
                Hidden(Rule::NeverShown),
            ),
            (
                "3 adoption counselling",
                rel(Some(Service::AdoptionCounselling), false),
                none,
                Guardian,
                Hidden(Rule::NeverShown),
            ),
            ("3 beats 6", rel(Some(Service::Shelter), false), later, Own, Hidden(Rule::NeverShown)),
            ("6 not yet published", rel(None, false), later, Own, Hidden(Rule::NotYetPublished)),
            ("6 beats 8", rel(None, true), later, Guardian, Hidden(Rule::NotYetPublished)),
            ("8 guardian", rel(None, true), none, Guardian, Restricted(Rule::HiddenFromGuardians)),
            ("8 information right", rel(None, true), none, InformationRight, Restricted(Rule::HiddenFromGuardians)),
            ("8 the child sees it", rel(None, true), none, Own, Shown),
            ("8 mandate sees it", rel(None, true), none, Mandate, Shown),
        ];
        for (what, facts, publication, role, expected) in cases {
            assert_eq!(decide_relationship(facts, publication, role, d(TODAY)), expected, "{what}");
        }
    }

    #[test]
    fn attachments_take_the_stricter_verdict() {
        use Verdict::*;
        let cases = [
            ("both shown", Shown, Some(Shown), Shown),
            ("parent a custody investigation", Shown, Some(Hidden(Rule::NeverShown)), Hidden(Rule::NeverShown)),
            ("parent delayed", Shown, Some(Restricted(Rule::Delayed)), Restricted(Rule::Delayed)),
            (
                "parent hidden from guardians",
                Shown,
                Some(Restricted(Rule::HiddenFromGuardians)),
                Restricted(Rule::HiddenFromGuardians),
            ),
            ("parent missing", Shown, None, Hidden(Rule::MissingParent)),
            ("own verdict first", Hidden(Rule::SpecialContent), Some(Shown), Hidden(Rule::SpecialContent)),
            ("own verdict even without a parent", Hidden(Rule::Invalidated), None, Hidden(Rule::Invalidated)),
        ];
        for (what, own, parent, expected) in cases {
            assert_eq!(decide_attachment(own, parent), expected, "{what}");
        }
    }

    #[test]
    fn data_use_events_follow_their_service_and_document() {
        use Verdict::*;
        let cases = [
            ("no document, no service", None, false, None, Shown),
            ("shelter event", Some(Service::Shelter), false, None, Hidden(Rule::NeverShown)),
            (
                "violence prevention about a shown document",
                Some(Service::ViolencePrevention),
                true,
                Some(Shown),
                Hidden(Rule::NeverShown),
            ),
            ("about a shown document", None, true, Some(Shown), Shown),
            ("about a delayed document", None, true, Some(Restricted(Rule::Delayed)), Restricted(Rule::Delayed)),
            ("about someone else's or no document", None, true, None, Hidden(Rule::MissingParent)),
        ];
        for (what, service, names, document, expected) in cases {
            assert_eq!(decide_data_use(service, names, document), expected, "{what}");
        }
    }

    #[test]
    fn publication_applies_to_relationships_from_its_first_day() {
        let p = PublicationStart { for_task: None, for_registrar: Some(d(TODAY)) };
        assert!(is_published(p, d(TODAY)));
        assert!(!is_published(p, d("2026-05-09")));
        assert!(is_published(PublicationStart::default(), d(TODAY)));
    }
}
