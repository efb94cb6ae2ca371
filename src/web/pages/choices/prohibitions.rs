//! Luovutuskiellot / förbud mot utlämnande: the list, the three-step new prohibition (kind, target,
//! check), revocation. Offered targets are only what the viewer sees (`records::SubjectView`).
//!
//! Long on purpose: the list, the three steps and the revocation share the offered-target and
//! standing logic, and splitting them would scatter one flow over several files.

use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::domain::audit::AuditAction;
use crate::domain::catalogue::ServiceTask;
use crate::domain::choices::{self, Refusal, Target, TargetKind};
use crate::records::Viewpoint;
use crate::store::ProhibitionRow;
use crate::web::ctx::Ctx;
use crate::web::error::{AppError, Result};
use crate::web::extract::Acting;
use crate::web::forms::{CheckedForm, SubjectTokens, subject_form};
use crate::web::present::InLanguage;
use crate::web::{AppState, urls};

use super::{audit_failed, by, guidance_id, refuse, see_other, standing, who_set};
use crate::web::present::other_language;

// ---------------------------------------------------------------- prohibitions

/// A prohibition target the viewer may choose, with its name.
#[derive(Debug, Clone)]
pub struct Offered {
    pub target: Target,
    /// The value in forms: an OID, a task code or a document id.
    pub value: String,
    pub label: String,
    /// The label's language when it differs from the page's (a document title, WCAG 3.1.2).
    pub lang: Option<&'static str>,
}

/// The targets of `kind` the viewer may choose (the rule is `records::offered_targets`), with labels.
async fn offered_targets(state: &AppState, acting: &Acting, kind: TargetKind) -> Result<Vec<Offered>> {
    let l = acting.ctx.l;
    let view = Viewpoint { role: acting.role, today: state.today(), switches: state.settings.visibility };
    let seen = acting.load_view(state, acting.subject.person_id, view).await?;
    let targets = seen.offered_targets();
    let mut out: Vec<Offered> = targets
        .into_iter()
        .filter(|target| target.kind() == kind)
        .filter_map(|target| {
            let (value, label, lang) = match &target {
                Target::Registrar(id) => {
                    let (oid, fi, sv) = seen.registrar(*id)?;
                    (oid.to_string(), l.lang.name_of(fi, sv), None)
                }
                Target::ServiceTask(task) => {
                    (task.code().to_string(), l.t(&format!("task-{}", task.code())).into_owned(), None)
                }
                Target::Document(id) => {
                    let d = seen.shown_document(id)?;
                    let date = l.date(&crate::domain::time::helsinki_date(&d.document_created_at));
                    (id.clone(), format!("{} ({date})", d.title), other_language(l.lang, &d.language))
                }
            };
            Some(Offered { target, value, label, lang })
        })
        .collect();
    if kind == TargetKind::Registrar {
        out.sort_by(|a, b| a.label.cmp(&b.label));
    }
    Ok(out)
}

fn target_of(p: &ProhibitionRow) -> Option<Target> {
    if let Some(id) = p.target_registrar_id {
        return Some(Target::Registrar(id));
    }
    if let Some(t) = &p.target_service_task {
        return ServiceTask::from_code(t).map(Target::ServiceTask);
    }
    p.target_document_id.clone().map(Target::Document)
}

pub struct ProhibitionView {
    pub kind: String,
    /// A document's title in its own language, a service task or registrar in the page's.
    pub target: InLanguage,
    pub set: String,
    pub set_by: String,
    pub revoked: Option<String>,
    pub revoke_url: String,
}

/// A prohibition's target in words. A document the viewer cannot see is named generically.
async fn describe_prohibitions(
    state: &AppState,
    acting: &Acting,
    rows: &[ProhibitionRow],
) -> Result<Vec<ProhibitionView>> {
    let l = acting.ctx.l;
    let documents = offered_targets(state, acting, TargetKind::Document).await?;
    Ok(rows
        .iter()
        .map(|p| {
            let (kind, target) = if let Some(fi) = &p.target_registrar_name_fi {
                let sv = p.target_registrar_name_sv.clone().unwrap_or_default();
                ("prohibition-type-registrar", InLanguage::page(l.lang.name_of(fi, &sv)))
            } else if let Some(t) = &p.target_service_task {
                ("prohibition-type-service_task", InLanguage::page(l.t(&format!("task-{t}"))))
            } else {
                let id = p.target_document_id.clone().unwrap_or_default();
                match documents.iter().find(|o| o.value == id) {
                    Some(o) => ("prohibition-type-document", InLanguage::marked(o.label.clone(), o.lang)),
                    None => ("prohibition-type-document", InLanguage::page(l.t("prohibition-document-not-shown"))),
                }
            };
            ProhibitionView {
                kind: l.t(kind).into_owned(),
                target,
                set: l.time(&p.set_at),
                set_by: who_set(&l, &p.set_by_first_names, &p.set_by_last_name, &p.set_by_role),
                revoked: p.revoked_at.as_ref().map(|t| l.time(t)),
                revoke_url: urls::prohibition_revoke(l.lang, &p.prohibition_id),
            }
        })
        .collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "prohibitions.html")]
pub struct ProhibitionsPage {
    ctx: Ctx,
    active: Vec<ProhibitionView>,
    revoked: Vec<ProhibitionView>,
    may_change: bool,
    informed: bool,
    guidance: Option<&'static str>,
    flash: Option<String>,
    new_url: String,
    informing_url: String,
}

pub async fn prohibitions(state: web::Data<AppState>, acting: Acting) -> Result<ProhibitionsPage> {
    let s = standing(&state, &acting).await?;
    let rows = visible_prohibitions(&state, &acting).await?;
    acting.audit(&state, AuditAction::ViewChoices, Some("prohibitions")).await?;
    let views = describe_prohibitions(&state, &acting, &rows).await?;
    let (revoked, active): (Vec<_>, Vec<_>) = views.into_iter().partition(|v| v.revoked.is_some());
    let l = acting.ctx.l;
    let flash = acting.session.take_flash();
    let mut ctx = acting.ctx;
    ctx.success_title = flash.as_deref().map(|id| l.t(id).into_owned());
    Ok(ProhibitionsPage {
        active,
        revoked,
        may_change: s.permissions.prohibition,
        informed: s.informed,
        guidance: (!s.permissions.prohibition).then(|| guidance_id(acting.role)),
        flash,
        new_url: urls::choice_page(l.lang, "prohibitions/new"),
        informing_url: urls::choice_page(l.lang, "informing"),
        ctx,
    })
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    target: Option<String>,
    step: Option<String>,
    /// Back from a later step: show the earlier step with the answer kept (WCAG 3.3.7).
    change: Option<String>,
}

pub struct RadioOption {
    pub value: String,
    pub label: String,
    pub checked: bool,
    /// The label's language when it differs from the page's (a document title).
    pub lang: Option<&'static str>,
}

#[derive(Template, WebTemplate)]
#[template(path = "prohibition_new.html")]
pub struct ProhibitionNewPage {
    ctx: Ctx,
    /// 1: choose the kind of target; 2: choose the target; 3: check and confirm.
    step: u8,
    kind: String,
    kind_label: String,
    options: Vec<RadioOption>,
    error: Option<String>,
    target_value: String,
    target_label: InLanguage,
    nonce: String,
    form_url: String,
    post_url: String,
    back_url: String,
    cancel_url: String,
    /// On the check page: the "Muuta" links of each answer (GOV.UK summary list).
    change_type_url: String,
    change_target_url: String,
}

pub async fn prohibition_new(
    state: web::Data<AppState>,
    acting: Acting,
    q: web::Query<NewQuery>,
) -> Result<HttpResponse> {
    let s = standing(&state, &acting).await?;
    let lang = acting.ctx.lang;
    if !s.permissions.prohibition || !s.informed {
        return Ok(see_other(urls::choice_page(lang, "prohibitions")));
    }
    let l = acting.ctx.l;
    let form_url = urls::choice_page(lang, "prohibitions/new");
    let mut page = ProhibitionNewPage {
        ctx: acting.ctx.clone(),
        step: 1,
        kind: String::new(),
        kind_label: String::new(),
        options: TargetKind::ALL
            .iter()
            .map(|k| RadioOption {
                value: k.code().into(),
                label: l.t(&format!("prohibition-type-{}", k.code())).into_owned(),
                checked: q.kind.as_deref() == Some(k.code()),
                lang: None,
            })
            .collect(),
        error: None,
        target_value: String::new(),
        target_label: InLanguage::default(),
        nonce: String::new(),
        post_url: urls::choice_page(lang, "prohibitions"),
        back_url: form_url.clone(),
        cancel_url: urls::choice_page(lang, "prohibitions"),
        change_type_url: String::new(),
        change_target_url: String::new(),
        form_url,
    };
    let kind = q.kind.as_deref().and_then(TargetKind::from_code);
    let changing = q.change.is_some();
    if changing && q.target.is_none() {
        // Back to step 1 with the kind chosen earlier.
        return render_new(page);
    }
    let Some(kind) = kind else {
        if q.step.is_some() || q.kind.is_some() {
            page.error = Some(l.t("prohibition-error-type").into_owned());
        }
        return render_new(page);
    };
    page.kind = kind.code().to_string();
    page.kind_label = l.t(&format!("prohibition-type-{}", kind.code())).into_owned();
    let offered = offered_targets(&state, &acting, kind).await?;
    let active: Vec<Target> = state
        .store
        .prohibitions_of(acting.subject.person_id)
        .await?
        .iter()
        .filter(|p| p.revoked_at.is_none())
        .filter_map(target_of)
        .collect();
    // The targets name the subject's registrars, tasks and documents: a view of their data.
    acting.audit(&state, AuditAction::ViewChoices, Some("prohibitions")).await?;
    page.step = 2;
    page.back_url = format!("{}?type={}&change=1", page.form_url, kind.code());
    page.options = offered
        .iter()
        .map(|o| RadioOption {
            value: o.value.clone(),
            label: o.label.clone(),
            checked: q.target.as_deref() == Some(o.value.as_str()),
            lang: o.lang,
        })
        .collect();
    let chosen = q.target.as_deref().and_then(|t| offered.iter().find(|o| o.value == t)).filter(|_| !changing);
    match chosen {
        None => {
            if !changing && (q.step.as_deref() == Some("2") || q.target.is_some()) {
                page.error = Some(l.t("prohibition-error-target").into_owned());
            }
            render_new(page)
        }
        Some(o) => match choices::may_set_prohibition(
            s.permissions,
            s.informed,
            &offered.iter().map(|x| x.target.clone()).collect::<Vec<_>>(),
            &active,
            &o.target,
        ) {
            Err(Refusal::Duplicate) => {
                page.error = Some(l.t("prohibition-error-duplicate").into_owned());
                render_new(page)
            }
            Err(_) => {
                page.error = Some(l.t("prohibition-error-target").into_owned());
                render_new(page)
            }
            Ok(()) => {
                page.step = 3;
                page.target_value = o.value.clone();
                page.target_label = InLanguage::marked(o.label.clone(), o.lang);
                page.nonce = crate::web::session::new_form_nonce();
                page.back_url =
                    format!("{}?type={}&target={}&change=1", page.form_url, kind.code(), urls::encode(&o.value));
                page.change_type_url = format!("{}?type={}&change=1", page.form_url, kind.code());
                page.change_target_url = page.back_url.clone();
                render_new(page)
            }
        },
    }
}

fn render_new(mut page: ProhibitionNewPage) -> Result<HttpResponse> {
    page.ctx.has_errors = page.error.is_some();
    let status =
        if page.error.is_some() { actix_web::http::StatusCode::BAD_REQUEST } else { actix_web::http::StatusCode::OK };
    crate::web::pages::html_page(&page, status)
}

#[derive(Deserialize)]
pub struct ProhibitionForm {
    #[serde(flatten)]
    tokens: SubjectTokens,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    nonce: String,
}

subject_form!(ProhibitionForm);

pub async fn set_prohibition(
    state: web::Data<AppState>,
    acting: Acting,
    CheckedForm(form): CheckedForm<ProhibitionForm>,
) -> Result<HttpResponse> {
    let s = standing(&state, &acting).await?;
    let lang = acting.ctx.lang;
    let Some(kind) = TargetKind::from_code(&form.kind).filter(|_| choices::is_form_nonce(&form.nonce)) else {
        return Err(AppError::BadRequest);
    };
    let prohibition_id = format!("portal-{}", form.nonce);
    let existing = state.store.prohibitions_of(acting.subject.person_id).await?;
    // A resubmitted form (double click, back and resubmit) finds its own prohibition: no change.
    if existing.iter().any(|p| p.prohibition_id == prohibition_id) {
        acting.session.set_flash("prohibition-success-set")?;
        return Ok(see_other(urls::choice_page(lang, "prohibitions")));
    }
    // What was tried, for the audit record of a refusal: the kind and the target asked for.
    let tried: String = format!("prohibition:{}:{}", form.kind, form.target).chars().take(200).collect();
    let offered = offered_targets(&state, &acting, kind).await?;
    let chosen = offered.iter().find(|o| o.value == form.target);
    let active: Vec<Target> = existing.iter().filter(|p| p.revoked_at.is_none()).filter_map(target_of).collect();
    let offered_targets: Vec<Target> = offered.iter().map(|o| o.target.clone()).collect();
    let target = match chosen {
        Some(o) => o.target.clone(),
        None if !s.permissions.prohibition => return refuse(&state, &acting, Refusal::NotPermitted, &tried).await,
        None => return refuse(&state, &acting, Refusal::TargetNotOffered, &tried).await,
    };
    if let Err(r) = choices::may_set_prohibition(s.permissions, s.informed, &offered_targets, &active, &target) {
        if r == Refusal::Duplicate {
            // Another form already set the same target: say so on the form.
            return Ok(see_other(format!(
                "{}?type={}&target={}",
                urls::choice_page(lang, "prohibitions/new"),
                form.kind,
                urls::encode(&form.target)
            )));
        }
        return refuse(&state, &acting, r, &tried).await;
    }
    let (registrar, task, document) = match &target {
        Target::Registrar(id) => (Some(*id), None, None),
        Target::ServiceTask(t) => (None, Some(t.code()), None),
        Target::Document(d) => (None, None, Some(d.as_str())),
    };
    let audit = acting.audit_record(AuditAction::SetProhibition, Some(&prohibition_id));
    state
        .store
        .insert_prohibition(&prohibition_id, acting.subject.person_id, registrar, task, document, by(&acting), &audit)
        .await
        .map_err(audit_failed)?;
    acting.session.set_flash("prohibition-success-set")?;
    Ok(see_other(urls::choice_page(lang, "prohibitions")))
}

#[derive(Template, WebTemplate)]
#[template(path = "prohibition_revoke.html")]
pub struct ProhibitionRevokePage {
    ctx: Ctx,
    prohibition: ProhibitionView,
    form_url: String,
    cancel_url: String,
}

/// A prohibition of the current subject that the viewer may see, active or revoked (the callers
/// decide what a revoked one means); `None` for anything else.
async fn visible_prohibition(state: &AppState, acting: &Acting, id: &str) -> Result<Option<ProhibitionRow>> {
    Ok(visible_prohibitions(state, acting).await?.into_iter().find(|p| p.prohibition_id == id))
}

/// The subject's prohibitions, less those aimed at a document the viewer cannot see: a hidden or
/// restricted document is absent everywhere, prohibition lists included (DESIGN §2.2).
async fn visible_prohibitions(state: &AppState, acting: &Acting) -> Result<Vec<ProhibitionRow>> {
    let shown = offered_targets(state, acting, TargetKind::Document).await?;
    Ok(state
        .store
        .prohibitions_of(acting.subject.person_id)
        .await?
        .into_iter()
        .filter(|p| p.target_document_id.as_ref().is_none_or(|d| shown.iter().any(|o| &o.value == d)))
        .collect())
}

pub async fn prohibition_revoke_confirm(
    state: web::Data<AppState>,
    acting: Acting,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse> {
    let s = standing(&state, &acting).await?;
    let row = visible_prohibition(&state, &acting, &path.1)
        .await?
        .filter(|p| p.revoked_at.is_none())
        .ok_or(AppError::NotFound)?;
    if choices::may_revoke_prohibition(s.permissions, s.informed, true, true).is_err() {
        return Ok(see_other(urls::choice_page(acting.ctx.lang, "prohibitions")));
    }
    let view = describe_prohibitions(&state, &acting, std::slice::from_ref(&row)).await?.remove(0);
    acting.audit(&state, AuditAction::ViewChoices, Some("prohibitions")).await?;
    let lang = acting.ctx.lang;
    let page = ProhibitionRevokePage {
        form_url: urls::prohibition_revoke(lang, &row.prohibition_id),
        cancel_url: urls::choice_page(lang, "prohibitions"),
        prohibition: view,
        ctx: acting.ctx,
    };
    crate::web::pages::html_page(&page, actix_web::http::StatusCode::OK)
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(flatten)]
    tokens: SubjectTokens,
}

subject_form!(RevokeForm);

pub async fn revoke_prohibition(
    state: web::Data<AppState>,
    acting: Acting,
    path: web::Path<(String, String)>,
    CheckedForm(_): CheckedForm<RevokeForm>,
) -> Result<HttpResponse> {
    let s = standing(&state, &acting).await?;
    let lang = acting.ctx.lang;
    let row = visible_prohibition(&state, &acting, &path.1).await?;
    // Revoked already (a double submit): nothing to do.
    if row.as_ref().is_some_and(|p| p.revoked_at.is_some()) && s.permissions.prohibition {
        acting.session.set_flash("prohibition-success-revoked")?;
        return Ok(see_other(urls::choice_page(lang, "prohibitions")));
    }
    if let Err(r) = choices::may_revoke_prohibition(
        s.permissions,
        s.informed,
        row.is_some(),
        row.as_ref().is_some_and(|p| p.revoked_at.is_none()),
    ) {
        return refuse(
            &state,
            &acting,
            r,
            &format!("prohibition-revoke:{}", path.1.chars().take(100).collect::<String>()),
        )
        .await;
    }
    let row = row.expect("checked above");
    let audit = acting.audit_record(AuditAction::RevokeProhibition, Some(&row.prohibition_id));
    state.store.revoke_prohibition(row.prohibition_row_id, by(&acting), &audit).await.map_err(audit_failed)?;
    acting.session.set_flash("prohibition-success-revoked")?;
    Ok(see_other(urls::choice_page(lang, "prohibitions")))
}
