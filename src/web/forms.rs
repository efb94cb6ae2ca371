//! Form token checking: every POST form carries the session's CSRF token, and every form that
//! changes something about the subject also the subject token (a form rendered for another person,
//! in a second tab switched meanwhile, is refused with 409). One trait, one extractor.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;

use super::error::AppError;
use super::session::AppSession;

/// The tokens a form carries: always the CSRF token; the subject token when the form changes
/// something about the subject.
pub trait FormTokens {
    fn csrf_token(&self) -> &str;
    fn subject_token(&self) -> Option<&str> {
        None
    }
}

/// The two tokens of a form about the subject; forms embed it with `#[serde(flatten)]`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SubjectTokens {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub subject_token: String,
}

/// Implements [`FormTokens`] for forms about the subject that embed [`SubjectTokens`] as `tokens`.
macro_rules! subject_form {
    ($($form:ty),+ $(,)?) => {$(
        impl $crate::web::forms::FormTokens for $form {
            fn csrf_token(&self) -> &str {
                &self.tokens.csrf_token
            }

            fn subject_token(&self) -> Option<&str> {
                Some(&self.tokens.subject_token)
            }
        }
    )+};
}
pub(crate) use subject_form;

/// A POSTed form whose tokens have been checked against the session. Every POST handler takes its
/// form through this extractor: a missing or wrong CSRF token is a 403, a subject token of another
/// subject a 409, and a session that could not be read (the database away) a 503.
pub struct CheckedForm<T>(pub T);

impl<T: FormTokens + DeserializeOwned + 'static> FromRequest for CheckedForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<T>::from_request(req, payload);
        let session = AppSession::of(req);
        Box::pin(async move {
            let form = form.await.map_err(|_| AppError::BadRequest)?.into_inner();
            if session.store_unavailable() {
                // Not a forgery: the session could not be read. Say so.
                return Err(AppError::Unavailable(crate::store::StoreError::Unavailable(sqlx::Error::PoolTimedOut)));
            }
            if !session.csrf_matches(form.csrf_token()) {
                return Err(AppError::Csrf);
            }
            if let Some(subject) = form.subject_token()
                && !session.subject_token_matches(subject)
            {
                tracing::warn!("form for another subject refused");
                return Err(AppError::SubjectChanged);
            }
            Ok(CheckedForm(form))
        })
    }
}
