//! Pages about the service, for everybody, signed in or not: the accessibility statement and the
//! feedback channel that law 306/2019 requires, and the help page ("Miksi en näe kaikkia
//! tietojani?").

use std::collections::VecDeque;

use actix_web::{HttpResponse, http::header, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{Duration, Utc};
use serde::Deserialize;

use crate::domain::hetu::mask_codes;
use crate::store::NewFeedback;
use crate::web::AppState;
use crate::web::ctx::Ctx;
use crate::web::error::Result;
use crate::web::extract::Visitor;
use crate::web::forms::{CheckedForm, FormTokens};
use crate::web::i18n::Lang;

/// Why content is not accessible, as the statement model (Commission Implementing Decision (EU)
/// 2018/1523) groups it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapReason {
    NonCompliance,
    DisproportionateBurden,
    OutOfScope,
}

impl GapReason {
    const ALL: [GapReason; 3] = [GapReason::NonCompliance, GapReason::DisproportionateBurden, GapReason::OutOfScope];

    fn heading_id(self) -> &'static str {
        match self {
            GapReason::NonCompliance => "accessibility-reason-non-compliance",
            GapReason::DisproportionateBurden => "accessibility-reason-burden",
            GapReason::OutOfScope => "accessibility-reason-out-of-scope",
        }
    }
}

/// One known accessibility gap; its texts are `accessibility-gap-{id}` with `-alternative` and `-fix`,
/// and `-exemption` when it is content the law does not apply to (the provision relied on).
pub struct KnownGap {
    pub id: &'static str,
    /// The WCAG success criterion it fails, where one does: the message id of its number and its
    /// name in the page's language (the official translations of WCAG 2.2).
    pub criterion: Option<&'static str>,
    pub reason: GapReason,
}

impl KnownGap {
    pub fn text_id(&self) -> String {
        format!("accessibility-gap-{}", self.id)
    }
    pub fn alternative_id(&self) -> String {
        format!("accessibility-gap-{}-alternative", self.id)
    }
    pub fn fix_id(&self) -> String {
        format!("accessibility-gap-{}-fix", self.id)
    }
    pub fn exemption_id(&self) -> Option<String> {
        (self.reason == GapReason::OutOfScope).then(|| format!("accessibility-gap-{}-exemption", self.id))
    }
}

/// Every known gap, in one place: the statement lists exactly these (a gap that cannot be
/// reproduced is not listed; the earlier 3.3.7 claim about the prohibition steps was tested and
/// dropped — the change links keep the answers).
pub const KNOWN_GAPS: [KnownGap; 2] = [
    KnownGap { id: "unmarked-language", criterion: Some("wcag-3-1-2"), reason: GapReason::NonCompliance },
    KnownGap { id: "document-texts", criterion: None, reason: GapReason::OutOfScope },
];

#[derive(Template, WebTemplate)]
#[template(path = "accessibility.html")]
pub struct AccessibilityPage {
    ctx: Ctx,
    assessed_on: String,
    reviewed_on: String,
    operator_email: String,
    authority: String,
    authority_url: String,
    authority_email: String,
    /// The number as written and its `tel:` link.
    authority_phone: (String, String),
    /// The request and feedback paragraphs cut where the e-mail address goes (it is a link).
    request: (String, String),
    feedback: (String, String),
    /// The gaps by reason (heading id, gaps), every reason listed.
    groups: Vec<(&'static str, Vec<&'static KnownGap>)>,
}

pub async fn accessibility(state: web::Data<AppState>, v: Visitor) -> Result<AccessibilityPage> {
    let a = &state.settings.accessibility;
    let l = v.ctx.l;
    Ok(AccessibilityPage {
        assessed_on: l.date(&a.assessed_on),
        reviewed_on: l.date(&a.reviewed_on),
        authority_email: a.authority_email.clone(),
        authority_phone: (a.authority_phone.clone(), crate::web::present::tel_href(&a.authority_phone)),
        request: crate::web::present::split_message(&l, "accessibility-request", "email", &[]).unwrap_or_default(),
        feedback: crate::web::present::split_message(
            &l,
            "accessibility-feedback",
            "email",
            &[("operator", a.operator_name.as_str().into())],
        )
        .unwrap_or_default(),
        groups: GapReason::ALL
            .iter()
            .map(|r| (r.heading_id(), KNOWN_GAPS.iter().filter(|g| g.reason == *r).collect()))
            .collect(),
        operator_email: a.operator_email.clone(),
        authority: match l.lang {
            Lang::Fi => a.authority_fi.clone(),
            Lang::Sv => a.authority_sv.clone(),
            Lang::En => a.authority_en.clone(),
        },
        // The link text names the site in the page's language: the address is that site's.
        authority_url: match l.lang {
            Lang::Fi => a.authority_url.clone(),
            Lang::Sv => a.authority_url_sv.clone(),
            Lang::En => a.authority_url_en.clone(),
        },
        ctx: v.ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "privacy.html")]
pub struct PrivacyPage {
    ctx: Ctx,
    controller: String,
    business_id: Option<String>,
    address: Option<String>,
    dpo_email: Option<String>,
    /// The number as written and its `tel:` link.
    dpo_phone: Option<(String, String)>,
    full_notice_url: Option<String>,
    /// A demo without an `[operator]` section shows marked example values.
    demo_values: bool,
    idle_minutes: i64,
    absolute_hours: i64,
    feedback_days: u32,
    session_cookie: &'static str,
    reauth_cookie: &'static str,
}

/// `/{lang}/privacy`: the privacy notice for what the portal itself processes (GDPR articles 13
/// and 14): the controller and its data protection officer from `[operator]`, the purposes, the
/// legal basis, the data and its sources, the recipients, how long each is kept, the person's
/// rights and where each is used here, the supervisory authority, and the cookies. The records
/// themselves belong to the registrars; the notice says whom to ask about them.
pub async fn privacy(state: web::Data<AppState>, v: Visitor) -> Result<PrivacyPage> {
    let o = &state.settings.operator;
    let https = state.settings.is_https();
    // `serve` refuses to start without the name and a DPO contact; only a demo gets here without them.
    let demo_values = o.name.is_none() && state.is_demo();
    let example = |value: &Option<String>, demo: &str| value.clone().or_else(|| demo_values.then(|| demo.to_string()));
    Ok(PrivacyPage {
        controller: example(&o.name, "Esimerkkihyvinvointialue (demo)").unwrap_or_default(),
        business_id: example(&o.business_id, "0000000-0"),
        address: example(&o.address, "PL 0, 00000 Esimerkki"),
        dpo_email: example(&o.dpo_email, "tietosuoja@sosiaalitiedot.example.fi"),
        dpo_phone: o.dpo_phone.clone().map(|p| {
            let href = crate::web::present::tel_href(&p);
            (p, href)
        }),
        full_notice_url: o.privacy_notice_url.clone(),
        demo_values,
        idle_minutes: state.settings.session.idle_timeout_minutes,
        absolute_hours: state.settings.session.absolute_timeout_hours,
        feedback_days: state.settings.feedback.keep_days,
        session_cookie: crate::web::session_cookie_name(https),
        reauth_cookie: crate::web::pages::auth::reauth_cookie_name(https),
        ctx: v.ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "help.html")]
pub struct HelpPage {
    ctx: Ctx,
    /// For a signed-in person: the registrars of what they see now, whom to ask for a correction.
    contacts: Vec<crate::web::present::ContactView>,
}

/// The correction section names the registrars of the data on screen when someone is signed in
/// (not for a principal chosen through Suomi.fi e-Authorizations: that right is re-checked only on
/// the principal's own pages, so the help page shows the general text).
pub async fn help(state: web::Data<AppState>, v: Visitor) -> Result<HelpPage> {
    let mut contacts = Vec::new();
    if let (Some(actor), Some(r)) = (&v.person, &v.resolved)
        && r.grant.is_none()
    {
        let view =
            crate::records::Viewpoint { role: r.role, today: state.today(), switches: state.settings.visibility };
        let seen = crate::web::extract::load_view_at(&state, v.reference_version, r.subject.person_id, view).await?;
        let reference = state.store.reference_data(&state.reference, v.reference_version).await?;
        contacts = crate::web::pages::records::contacts_of(&v.ctx.l, &reference.contacts, &seen);
        if !contacts.is_empty() {
            let record = crate::store::NewAuditEvent {
                key: &state.chain_key,
                actor_id: actor.person_id,
                role: r.role.code(),
                subject_id: r.subject.person_id,
                action: crate::domain::audit::AuditAction::ViewRecords.code(),
                object: Some("help"),
                request_id: None,
            };
            state.audit.write(&record).await.map_err(|e| {
                tracing::error!(error = %e, "audit write failed; request denied");
                crate::web::error::AppError::from(e)
            })?;
        }
    }
    Ok(HelpPage { ctx: v.ctx, contacts })
}

/// The law's promise: an answer within 14 days.
const ANSWER_WITHIN_DAYS: i64 = 14;
/// At most this many messages per session per hour.
const RATE_LIMIT: usize = 5;
const MAX_MESSAGE: usize = 4000;
const MAX_CONTACT: usize = 200;

#[derive(Template)]
#[template(path = "feedback.html")]
pub struct FeedbackPage {
    ctx: Ctx,
    message: String,
    contact: String,
    attach_identity: bool,
    signed_in: bool,
    errors: Vec<(&'static str, String)>,
    sent_answer_by: Option<String>,
    form_url: String,
}

impl FeedbackPage {
    /// The limits, said in the hints before anyone meets them (the errors say the same).
    pub fn message_limit(&self) -> String {
        self.ctx.l.ta("feedback-limit", &[("max", (MAX_MESSAGE as i64).into())])
    }

    pub fn contact_limit(&self) -> String {
        self.ctx.l.ta("feedback-limit", &[("max", (MAX_CONTACT as i64).into())])
    }

    pub fn error_for(&self, field: &str) -> Option<&String> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m)
    }

    pub fn summary(&self) -> Vec<(String, &str)> {
        // A form-level error (the rate limit) names no field: it links to nothing.
        self.errors
            .iter()
            .map(|(f, m)| (if f.is_empty() { String::new() } else { format!("#{f}") }, m.as_str()))
            .collect()
    }
}

fn render(page: FeedbackPage, status: actix_web::http::StatusCode) -> Result<HttpResponse> {
    crate::web::pages::html_page(&page, status)
}

#[derive(Deserialize)]
pub struct SentQuery {
    sent: Option<String>,
}

pub async fn feedback(state: web::Data<AppState>, mut v: Visitor, q: web::Query<SentQuery>) -> Result<HttpResponse> {
    // The form carries a CSRF token: this is where an anonymous visitor's session begins.
    v.ctx.csrf_token = v.session.csrf_token()?;
    let l = v.ctx.l;
    let sent_answer_by = q.sent.as_deref().and_then(|d| d.parse::<chrono::NaiveDate>().ok()).map(|d| l.date(&d));
    let _ = &state;
    // The confirmation starts the title too, so that it is announced with the page (WCAG 4.1.3).
    if sent_answer_by.is_some() {
        v.ctx.success_title = Some(l.t("feedback-sent-title").into_owned());
    }
    render(
        FeedbackPage {
            form_url: v.ctx.feedback_url(),
            signed_in: v.person.is_some(),
            message: String::new(),
            contact: String::new(),
            attach_identity: false,
            errors: Vec::new(),
            sent_answer_by,
            ctx: v.ctx,
        },
        actix_web::http::StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    attach_identity: String,
}

impl FormTokens for FeedbackForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

const SENT_AT: &str = "feedback_sent_at";

/// The key by which a signed-in sender's messages are counted: a keyed hash of the person (the
/// chain key, a secret outside the database), so the stored rows do not say who sent a message
/// whose sender chose not to attach their identity.
fn feedback_sender_key(key: &crate::store::ChainKey, person_id: i64) -> String {
    crate::audit::keyed_chain_hash(
        key,
        "feedback-sender",
        chrono::DateTime::UNIX_EPOCH,
        person_id,
        "",
        0,
        "",
        None,
        None,
    )
    .trim_start_matches(crate::audit::KEYED_PREFIX)
    .to_string()
}

pub async fn send_feedback(
    state: web::Data<AppState>,
    mut v: Visitor,
    lang: Lang,
    CheckedForm(form): CheckedForm<FeedbackForm>,
) -> Result<HttpResponse> {
    v.ctx.csrf_token = v.session.csrf_token()?;
    let l = v.ctx.l;
    let message = form.message.trim().to_string();
    let contact = form.contact.trim().to_string();
    let mut errors = Vec::new();
    if message.is_empty() {
        errors.push(("message", l.t("feedback-error-empty").into_owned()));
    } else if message.chars().count() > MAX_MESSAGE {
        errors.push(("message", l.ta("feedback-error-long", &[("max", (MAX_MESSAGE as i64).into())])));
    }
    if contact.chars().count() > MAX_CONTACT {
        errors.push(("contact", l.ta("feedback-error-contact", &[("max", (MAX_CONTACT as i64).into())])));
    }
    // A few messages an hour: per signed-in person across all their sessions (counted where it is
    // stored, below), per session otherwise, and for everyone not signed in one limit per instance
    // (a fresh session for each message does not lift it): a form anyone can post to must not
    // fill the database.
    let now = Utc::now().timestamp();
    let mut sent: VecDeque<i64> = v.session.get_value(SENT_AT).unwrap_or_default();
    sent.retain(|t| now - t < 3600);
    let anonymous_full = v.person.is_none() && {
        let mut recent = state.anonymous_feedback.lock().expect("lock");
        recent.retain(|t| now - t < 3600);
        recent.len() >= state.settings.feedback.anonymous_per_hour
    };
    if errors.is_empty() && (sent.len() >= RATE_LIMIT || anonymous_full) {
        errors.push(("", l.t("feedback-error-rate").into_owned()));
    }
    let answer_by =
        (Utc::now() + Duration::days(ANSWER_WITHIN_DAYS)).with_timezone(&chrono_tz::Europe::Helsinki).date_naive();
    let person_id = v.person.as_ref().filter(|_| form.attach_identity == "yes").map(|p| p.person_id);
    let sender_key = v.person.as_ref().map(|p| feedback_sender_key(&state.chain_key, p.person_id));
    if errors.is_empty() {
        let stored = state
            .store
            .add_feedback_limited(
                &NewFeedback {
                    answer_by,
                    lang: lang.code(),
                    page: None,
                    message: &message,
                    contact: (!contact.is_empty()).then_some(contact.as_str()),
                    person_id,
                },
                sender_key.as_deref(),
                RATE_LIMIT as i64,
            )
            .await?;
        if !stored {
            errors.push(("", l.t("feedback-error-rate").into_owned()));
        }
    }
    if !errors.is_empty() {
        v.ctx.has_errors = true;
        // Shown again as typed, except anything shaped like a personal identity code.
        let masked = |t: &str| mask_codes(t, &l.t("feedback-code-removed"));
        return render(
            FeedbackPage {
                form_url: v.ctx.feedback_url(),
                signed_in: v.person.is_some(),
                message: masked(&message),
                contact: masked(&contact),
                attach_identity: form.attach_identity == "yes",
                errors,
                sent_answer_by: None,
                ctx: v.ctx,
            },
            actix_web::http::StatusCode::BAD_REQUEST,
        );
    }
    sent.push_back(now);
    v.session.set_value(SENT_AT, &sent)?;
    if v.person.is_none() {
        state.anonymous_feedback.lock().expect("lock").push_back(now);
    }
    tracing::info!("accessibility feedback received");
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("{}?sent={answer_by}", v.ctx.feedback_url())))
        .finish())
}
