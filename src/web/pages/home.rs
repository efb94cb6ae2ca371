//! The front page: a greeting and the way to the records for a signed-in person, the way in for others.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use askama::Template;
use askama_web::WebTemplate;

use crate::web::ctx::Ctx;
use crate::web::error::Result;
use crate::web::extract::Visitor;
use crate::web::i18n::Lang;
use crate::web::{AppState, urls};

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    ctx: Ctx,
    first_name: Option<String>,
    records_url: String,
    acting_for_url: String,
    acted_for_me_url: String,
    choices_url: String,
}

pub async fn home(state: web::Data<AppState>, v: Visitor) -> Result<HomePage> {
    let Visitor { ctx, person, resolved, .. } = v;
    // The disclosure choices start with the Kanta informing while it is unacknowledged (DESIGN §2.5).
    let mut choices_page = "consent";
    if let Some(resolved) = &resolved {
        let latest = state.store.latest_informing(resolved.subject.person_id).await?;
        if !crate::domain::choices::informing_acknowledged(latest, state.settings.informing.published_on) {
            choices_page = "informing";
        }
    }
    Ok(HomePage {
        records_url: urls::records(ctx.lang),
        acting_for_url: urls::acting_for(ctx.lang),
        acted_for_me_url: urls::acted_for_me(ctx.lang),
        choices_url: urls::choice_page(ctx.lang, choices_page),
        first_name: person.as_ref().map(|p| p.first_name().to_string()),
        ctx,
    })
}

/// `/` → the best language by Accept-Language.
pub async fn root(req: HttpRequest) -> HttpResponse {
    let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, urls::home(Lang::negotiate(accept))))
        .insert_header((header::VARY, "Accept-Language"))
        .finish()
}

/// `/fi` → `/fi/`.
pub async fn lang_root(lang: web::Path<String>) -> HttpResponse {
    let lang = Lang::from_code(&lang).unwrap_or(Lang::Fi);
    HttpResponse::PermanentRedirect().insert_header((header::LOCATION, urls::home(lang))).finish()
}
