//! Kanta-informointi / information om Kanta-tjänsterna: the text and its acknowledgement, the first
//! step before any consent or prohibition (DESIGN §2.5).

use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::domain::audit::AuditAction;
use crate::domain::choices::{self};
use crate::web::ctx::Ctx;
use crate::web::error::Result;
use crate::web::extract::Acting;
use crate::web::forms::{CheckedForm, SubjectTokens, subject_form};
use crate::web::{AppState, urls};

use super::{audit_failed, by, guidance_id, refuse, see_other, standing};

// ---------------------------------------------------------------- Kanta informing

#[derive(Template, WebTemplate)]
#[template(path = "informing.html")]
pub struct InformingPage {
    ctx: Ctx,
    informed: bool,
    informed_on: Option<String>,
    may_acknowledge: bool,
    guidance: Option<&'static str>,
    flash: Option<String>,
    error: Option<String>,
    form_url: String,
}

async fn informing_page(state: &AppState, acting: Acting, error: Option<String>) -> Result<InformingPage> {
    let s = standing(state, &acting).await?;
    acting.audit(state, AuditAction::ViewChoices, Some("informing")).await?;
    let mut ctx = acting.ctx.clone();
    ctx.has_errors = error.is_some();
    let flash = acting.session.take_flash();
    ctx.success_title = flash.as_deref().map(|id| ctx.l.t(id).into_owned());
    Ok(InformingPage {
        informed: s.informed,
        informed_on: s.informed_on,
        may_acknowledge: s.permissions.acknowledge_informing,
        guidance: (!s.permissions.acknowledge_informing).then(|| guidance_id(acting.role)),
        flash,
        error,
        form_url: urls::choice_page(ctx.lang, "informing"),
        ctx,
    })
}

pub async fn informing(state: web::Data<AppState>, acting: Acting) -> Result<InformingPage> {
    informing_page(&state, acting, None).await
}

#[derive(Deserialize)]
pub struct InformingForm {
    #[serde(flatten)]
    tokens: SubjectTokens,
    #[serde(default)]
    confirm: Option<String>,
}

subject_form!(InformingForm);

pub async fn acknowledge(
    state: web::Data<AppState>,
    acting: Acting,
    CheckedForm(form): CheckedForm<InformingForm>,
) -> Result<HttpResponse> {
    let s = standing(&state, &acting).await?;
    if let Err(r) = choices::may_acknowledge(s.permissions) {
        return refuse(&state, &acting, r, "informing").await;
    }
    if form.confirm.as_deref() != Some("yes") {
        let l = acting.ctx.l;
        let page = informing_page(&state, acting, Some(l.t("informing-error-confirm").into_owned())).await?;
        return crate::web::pages::html_page(&page, actix_web::http::StatusCode::BAD_REQUEST);
    }
    // A double submit finds the informing acknowledged and changes nothing.
    if !s.informed {
        let audit = acting.audit_record(AuditAction::AcknowledgeInforming, None);
        state
            .store
            .acknowledge_informing(acting.subject.person_id, state.today(), by(&acting), &audit)
            .await
            .map_err(audit_failed)?;
    }
    acting.session.set_flash("informing-success")?;
    Ok(see_other(urls::choice_page(acting.ctx.lang, "informing")))
}
