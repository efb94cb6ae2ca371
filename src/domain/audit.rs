//! What the audit trail records (DESIGN §2.4): the kinds of action on a person's data.

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
    /// A change the role does not allow was refused.
    RefusedChange,
}

impl AuditAction {
    pub const ALL: [AuditAction; 11] = [
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
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        AuditAction::ALL.into_iter().find(|a| a.code() == code)
    }
}
