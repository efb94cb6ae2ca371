//! Disclosure choices (DESIGN §2.5): Kanta informing, consent (luovutuslupa / tillstånd för
//! utlämnande) and prohibitions (luovutuskielto / förbud mot utlämnande). GOV.UK-style forms:
//! server-side validation, error summary, check-and-confirm, Post/Redirect/Get, success banner.
//! Every rule comes from `domain::choices` and `domain::roles`; every change and every refused
//! change is audited.

mod consent;
mod informing;
mod prohibitions;

pub use consent::{change_consent, consent, consent_confirm};
pub use informing::{acknowledge, informing};
pub use prohibitions::{
    prohibition_new, prohibition_revoke_confirm, prohibitions, revoke_prohibition, set_prohibition,
};

use actix_web::{HttpResponse, http::header};

use crate::domain::audit::AuditAction;
use crate::domain::choices::{self, Refusal};
use crate::domain::roles::{Permissions, Role, is_adult, permissions};
use crate::store::ChoiceBy;
use crate::web::error::{AppError, Result};
use crate::web::extract::Acting;
use crate::web::i18n::Loc;
use crate::web::{AppState, urls};

pub(super) fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}

/// What the viewer may do here, and whether the subject has acknowledged the current informing.
pub(super) struct Standing {
    pub(super) permissions: Permissions,
    pub(super) informed: bool,
    pub(super) informed_on: Option<String>,
}

pub(super) async fn standing(state: &AppState, acting: &Acting) -> Result<Standing> {
    let adult = is_adult(acting.subject.birth_date, state.today());
    let latest = state.store.latest_informing(acting.subject.person_id).await?;
    Ok(Standing {
        permissions: permissions(acting.role, adult),
        informed: choices::informing_acknowledged(latest, state.settings.informing.published_on),
        informed_on: latest.map(|d| acting.ctx.l.date(&d)),
    })
}

/// A refused change: audited, then a 403 page (or a redirect to the informing page).
pub(super) async fn refuse(state: &AppState, acting: &Acting, refusal: Refusal, what: &str) -> Result<HttpResponse> {
    acting.audit(state, AuditAction::RefusedChange, Some(&crate::domain::audit::asked_object(what))).await?;
    match refusal {
        Refusal::InformingMissing => Ok(see_other(urls::choice_page(acting.ctx.lang, "informing"))),
        Refusal::NoSuchProhibition | Refusal::TargetNotOffered => Err(AppError::NotFound),
        Refusal::NotPermitted | Refusal::Duplicate => Err(AppError::Forbidden),
    }
}

/// A change whose write (with its audit record) failed: logged as the audit failure it may be.
pub(super) fn audit_failed(e: crate::store::StoreError) -> AppError {
    tracing::error!(error = %e, "change and its audit record not written; request denied");
    AppError::from(e)
}

pub(super) fn by(acting: &Acting) -> ChoiceBy<'_> {
    ChoiceBy { person_id: acting.actor.person_id, role: acting.role.code() }
}

/// "Recorded at a service" or "Name (role)".
pub(super) fn who_set(l: &Loc, first: &Option<String>, last: &Option<String>, role: &Option<String>) -> String {
    match (first, last, role) {
        (Some(f), Some(s), Some(r)) => l.ta(
            "choices-set-by-person",
            &[("name", format!("{f} {s}").into()), ("role", l.t(&format!("role-{r}")).into())],
        ),
        _ => l.t("choices-set-at-service").into_owned(),
    }
}

/// Read-only guidance for a role without the right (seed 004).
pub(super) fn guidance_id(role: Role) -> &'static str {
    match role {
        Role::InformationRight => "choices-readonly-information-right",
        Role::Guardian => "choices-readonly-guardian",
        _ => "choices-readonly-minor",
    }
}
