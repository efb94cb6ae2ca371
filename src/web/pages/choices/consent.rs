//! Luovutuslupa / tillstånd för utlämnande: the state and history, check-and-confirm, the change.

use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::domain::audit::AuditAction;
use crate::domain::choices::{self};
use crate::web::ctx::Ctx;
use crate::web::error::{AppError, Result};
use crate::web::extract::Acting;
use crate::web::forms::{CheckedForm, SubjectTokens, subject_form};
use crate::web::{AppState, urls};

use super::{audit_failed, by, guidance_id, refuse, see_other, standing, who_set};

// ---------------------------------------------------------------- consent

pub struct ConsentHistoryRow {
    pub state: String,
    pub time: String,
    pub who: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "consent.html")]
pub struct ConsentPage {
    ctx: Ctx,
    /// None: never recorded.
    given: Option<bool>,
    history: Vec<ConsentHistoryRow>,
    informed: bool,
    guidance: Option<&'static str>,
    flash: Option<String>,
    informing_url: String,
    give_url: String,
    revoke_url: String,
}

pub async fn consent(state: web::Data<AppState>, acting: Acting) -> Result<ConsentPage> {
    let s = standing(&state, &acting).await?;
    let rows = state.store.consents_of(acting.subject.person_id).await?;
    acting.audit(&state, AuditAction::ViewChoices, Some("consent")).await?;
    let l = acting.ctx.l;
    let history = rows
        .iter()
        .map(|c| ConsentHistoryRow {
            state: l.t(if c.given { "consent-state-given" } else { "consent-state-revoked" }).into_owned(),
            time: l.time(&c.at),
            who: who_set(&l, &c.set_by_first_names, &c.set_by_last_name, &c.set_by_role),
        })
        .collect();
    let base = urls::choice_page(l.lang, "consent/confirm");
    let flash = acting.session.take_flash();
    let mut ctx = acting.ctx;
    ctx.success_title = flash.as_deref().map(|id| l.t(id).into_owned());
    Ok(ConsentPage {
        given: rows.first().map(|c| c.given),
        history,
        informed: s.informed,
        guidance: (!s.permissions.consent).then(|| guidance_id(acting.role)),
        flash,
        informing_url: urls::choice_page(l.lang, "informing"),
        give_url: format!("{base}?action=give"),
        revoke_url: format!("{base}?action=revoke"),
        ctx,
    })
}

#[derive(Deserialize)]
pub struct ConsentQuery {
    action: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "consent_confirm.html")]
pub struct ConsentConfirmPage {
    ctx: Ctx,
    give: bool,
    form_url: String,
    cancel_url: String,
}

fn parse_action(action: Option<&str>) -> Option<bool> {
    match action {
        Some("give") => Some(true),
        Some("revoke") => Some(false),
        _ => None,
    }
}

/// The check-and-confirm step.
pub async fn consent_confirm(
    state: web::Data<AppState>,
    acting: Acting,
    q: web::Query<ConsentQuery>,
) -> Result<HttpResponse> {
    let give = parse_action(q.action.as_deref()).ok_or(AppError::NotFound)?;
    let s = standing(&state, &acting).await?;
    let current = state.store.consents_of(acting.subject.person_id).await?.first().map(|c| c.given);
    let lang = acting.ctx.lang;
    if choices::may_change_consent(s.permissions, s.informed, give).is_err() || !choices::consent_changes(current, give)
    {
        // Nothing to confirm: back to the page, which explains the state.
        return Ok(see_other(urls::choice_page(lang, "consent")));
    }
    let page = ConsentConfirmPage {
        give,
        form_url: urls::choice_page(lang, "consent"),
        cancel_url: urls::choice_page(lang, "consent"),
        ctx: acting.ctx,
    };
    crate::web::pages::html_page(&page, actix_web::http::StatusCode::OK)
}

#[derive(Deserialize)]
pub struct ConsentForm {
    #[serde(flatten)]
    tokens: SubjectTokens,
    #[serde(default)]
    action: String,
}

subject_form!(ConsentForm);

pub async fn change_consent(
    state: web::Data<AppState>,
    acting: Acting,
    CheckedForm(form): CheckedForm<ConsentForm>,
) -> Result<HttpResponse> {
    let give = parse_action(Some(&form.action)).ok_or(AppError::BadRequest)?;
    let s = standing(&state, &acting).await?;
    if let Err(r) = choices::may_change_consent(s.permissions, s.informed, give) {
        return refuse(&state, &acting, r, "consent").await;
    }
    // The same choice again (a double submit, the back button, another instance) changes nothing.
    let audit = acting.audit_record(if give { AuditAction::GiveConsent } else { AuditAction::RevokeConsent }, None);
    state
        .store
        .record_consent(acting.subject.person_id, give, by(&acting), &audit, choices::consent_changes)
        .await
        .map_err(audit_failed)?;
    acting.session.set_flash(if give { "consent-success-given" } else { "consent-success-revoked" })?;
    Ok(see_other(urls::choice_page(acting.ctx.lang, "consent")))
}
