//! What the audit trail records (DESIGN §2.4): the kinds of action on a person's data.

/// The longest object recorded for something a request asked for (a refused document id), in characters.
pub const MAX_ASKED_OBJECT_CHARS: usize = 100;

/// What a request asked for, as the audit trail keeps it: control characters and bidirectional
/// overrides escaped, anything shaped like an identity code masked, and at most
/// [`MAX_ASKED_OBJECT_CHARS`] characters (a longer one ends in `…`). The id is the requester's
/// text, not the archive's: it must not grow the trail without bound nor reach a terminal raw.
pub fn asked_object(raw: &str) -> String {
    let safe = crate::domain::hetu::mask_codes(&crate::domain::text::escape_controls(raw), "***");
    if safe.chars().count() <= MAX_ASKED_OBJECT_CHARS {
        return safe;
    }
    let mut cut: String = safe.chars().take(MAX_ASKED_OBJECT_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// One kind of audited action; `object` in the record says on what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// Viewed the overview of the social services section.
    ViewRecords,
    /// Viewed a service task page (object: the task code).
    ViewServiceTask,
    /// Viewed a document (object: the stable document id).
    ViewDocument,
    /// Viewed the data-use log.
    ViewDataUse,
    /// Viewed the disclosure choices.
    ViewChoices,
    AcknowledgeInforming,
    GiveConsent,
    RevokeConsent,
    /// Set a prohibition (object: the prohibition id).
    SetProhibition,
    RevokeProhibition,
    /// A change the role does not allow was refused (object: what was tried, e.g. `prohibition:registrar:1.2.3`).
    RefusedChange,
    /// Viewed who has acted on one's behalf.
    ViewActedForMe,
    /// Asked for a document that is someone else's, hidden, restricted or missing: the same 404
    /// to the viewer, but recorded (object: the document id asked for).
    DeniedViewDocument,
    /// Tried to act for a person without a role for them today (object: `valtuudet:…` when
    /// Suomi.fi e-Authorizations refused).
    DeniedActFor,
    /// Chose a person through Suomi.fi e-Authorizations (ALLOWED; object: `valtuudet:allowed`).
    ChoseThroughValtuudet,
    /// Acting for the person ended: a re-check answered DISALLOWED (object: `valtuudet:disallowed`).
    ActingEnded,
    /// Downloaded everything the viewer may see as a file (object: `html` or `json`).
    DownloadedRecords,
}

impl AuditAction {
    pub const ALL: [AuditAction; 17] = [
        AuditAction::ViewRecords,
        AuditAction::ViewServiceTask,
        AuditAction::ViewDocument,
        AuditAction::ViewDataUse,
        AuditAction::ViewChoices,
        AuditAction::AcknowledgeInforming,
        AuditAction::GiveConsent,
        AuditAction::RevokeConsent,
        AuditAction::SetProhibition,
        AuditAction::RevokeProhibition,
        AuditAction::RefusedChange,
        AuditAction::ViewActedForMe,
        AuditAction::DeniedViewDocument,
        AuditAction::DeniedActFor,
        AuditAction::ChoseThroughValtuudet,
        AuditAction::ActingEnded,
        AuditAction::DownloadedRecords,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuditAction::ViewRecords => "view_records",
            AuditAction::ViewServiceTask => "view_service_task",
            AuditAction::ViewDocument => "view_document",
            AuditAction::ViewDataUse => "view_data_use",
            AuditAction::ViewChoices => "view_choices",
            AuditAction::AcknowledgeInforming => "acknowledge_informing",
            AuditAction::GiveConsent => "give_consent",
            AuditAction::RevokeConsent => "revoke_consent",
            AuditAction::SetProhibition => "set_prohibition",
            AuditAction::RevokeProhibition => "revoke_prohibition",
            AuditAction::RefusedChange => "refused_change",
            AuditAction::ViewActedForMe => "view_acted_for_me",
            AuditAction::DeniedViewDocument => "denied_view_document",
            AuditAction::DeniedActFor => "denied_act_for",
            AuditAction::ChoseThroughValtuudet => "chose_through_valtuudet",
            AuditAction::ActingEnded => "acting_ended",
            AuditAction::DownloadedRecords => "downloaded_records",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        AuditAction::ALL.into_iter().find(|a| a.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asked_objects_are_bounded_and_escaped() {
        let cases: Vec<(String, String)> = vec![
            ("DOC-1".into(), "DOC-1".into()),
            ("a\u{1b}[31mb".into(), "a\\u{001b}[31mb".into()),
            ("x\u{202e}y".into(), "x\\u{202e}y".into()),
            ("id-131052-308T".into(), "id-***".into()),
            ("x".repeat(100), "x".repeat(100)),
            ("x".repeat(10_000), format!("{}…", "x".repeat(99))),
        ];
        for (raw, expected) in cases {
            let got = asked_object(&raw);
            assert_eq!(got, expected);
            assert!(got.chars().count() <= MAX_ASKED_OBJECT_CHARS);
        }
    }
}
