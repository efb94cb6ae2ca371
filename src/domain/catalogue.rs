//! The fixed code lists of the archive feed (DESIGN §2.1). Names are never stored here: they are
//! shown from the locale files (`catalogue.ftl`), keyed by the code.

use serde::Serialize;

macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code used in the feed and the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses a feed code; `None` for an unknown code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// All codes, comma-separated, for error messages.
            pub fn codes() -> String {
                [$($code),+].join(", ")
            }
        }
    };
}

code_list! {
    /// Palvelutehtävä / serviceuppgift: exactly the seven service tasks of the archive.
    ServiceTask {
        OlderPeople = "older_people",
        SubstanceAbuse = "substance_abuse",
        FamiliesWithChildren = "families_with_children",
        WorkingAge = "working_age",
        ChildWelfare = "child_welfare",
        Disability = "disability",
        FamilyLaw = "family_law",
    }
}

code_list! {
    /// Asiakirjan laji / handlingstyp: the kind of a social welfare document.
    DocumentKind {
        /// päätös / beslut
        Decision = "decision",
        /// palvelutarpeen arvio / bedömning av servicebehovet
        ServiceNeedAssessment = "service_need_assessment",
        /// asiakassuunnitelma / klientplan
        ClientPlan = "client_plan",
        /// sosiaalipalvelujen toteuttamissuunnitelma / genomförandeplan för socialservice
        ImplementationPlan = "implementation_plan",
        /// asiakaskertomusmerkintä / anteckning i klientjournal
        ClientRecordEntry = "client_record_entry",
        /// maksusitoumus / betalningsförbindelse
        PaymentCommitment = "payment_commitment",
        /// lapsen huolto- ja tapaamisoikeusselvitys
        CustodyInvestigation = "custody_investigation",
        /// vanhemmuuden selvittämiseen liittyvä asiakirja / handling som hänför sig till föräldraskapsutredning
        ParenthoodInvestigation = "parenthood_investigation",
        /// asiakkuusasiakirja / klientrelationshandling
        ClientRelationshipDocument = "client_relationship_document",
        /// any other phase-2 client document, shown under its own title
        Other = "other",
    }
}

code_list! {
    /// Sosiaalipalvelu / socialservice: the specific service inside a task, where it matters.
    Service {
        /// turvakotipalvelu / skyddshemstjänster
        Shelter = "shelter",
        /// lähisuhde- ja perheväkivallan ehkäisytyö / förebyggande arbete mot våld i nära relationer
        ViolencePrevention = "violence_prevention",
        /// adoptioneuvonta / adoptionsrådgivning
        AdoptionCounselling = "adoption_counselling",
    }
}

code_list! {
    /// Version status of a document: active, or mitätöity / makulerad.
    DocumentStatus {
        Active = "active",
        Invalidated = "invalidated",
    }
}

code_list! {
    /// The kind of a guardianship in the population data: huoltaja / vårdnadshavare, or
    /// tiedoksisaantioikeutettu / den som har rätt att få del av uppgifterna.
    GuardianshipKind {
        Guardian = "guardian",
        InformationRight = "information_right",
    }
}

code_list! {
    /// What happened to the data in a data-use event.
    DataUseAction {
        Use = "use",
        Disclosure = "disclosure",
    }
}

code_list! {
    /// The legal basis of a data-use event.
    DataUseBasis {
        Consent = "consent",
        Statutory = "statutory",
        OwnRegister = "own_register",
        ServicePurchase = "service_purchase",
    }
}

code_list! {
    /// Language of a document's text.
    DocumentLanguage {
        Fi = "fi",
        Sv = "sv",
    }
}

code_list! {
    /// The role in which a choice was made in the portal (`set_by.role` in the feed).
    ChoiceRole {
        Own = "own",
        Guardian = "guardian",
        Mandate = "mandate",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for t in ServiceTask::ALL {
            assert_eq!(ServiceTask::from_code(t.code()), Some(*t));
        }
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_code(k.code()), Some(*k));
        }
        assert_eq!(ServiceTask::ALL.len(), 7);
        assert_eq!(ServiceTask::from_code("Older_people"), None);
        assert_eq!(Service::from_code("adoption"), None);
    }
}
