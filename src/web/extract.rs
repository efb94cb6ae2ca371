//! Who is asking, decided on every request: [`Visitor`] (anyone), [`SignedIn`] (a valid session)
//! and [`Acting`] (a signed-in actor and the subject whose data is shown, with the role checked
//! afresh against today's population data — nothing cached). Every page with a person's data
//! takes [`Acting`].

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use super::AppState;
use super::ctx::{ActingBanner, Ctx};
use super::error::AppError;
use super::i18n::lang_of;
use super::session::AppSession;
use crate::store::{LinkedPersonRow, PersonRow};

/// Anyone, signed in or not: public pages.
pub struct Visitor {
    pub ctx: Ctx,
    pub session: AppSession,
    pub person: Option<PersonRow>,
    /// The database's reference data version, read with the person (0 when not signed in).
    pub reference_version: i64,
    /// The person's guardianship and mandate links, read with the person.
    pub links: Vec<LinkedPersonRow>,
    /// The session ended on this request because its absolute time limit passed.
    pub absolute_timeout: bool,
    /// Whose data a signed-in person's pages are about (the banner and the menu are the same on
    /// every page of one acting state, `/help` and `/sessions` included).
    pub resolved: Option<Resolved>,
}

/// A signed-in person: every personal page.
pub struct SignedIn {
    pub ctx: Ctx,
    pub session: AppSession,
    pub person: PersonRow,
    pub reference_version: i64,
    pub links: Vec<LinkedPersonRow>,
    pub resolved: Resolved,
}

async fn visitor(req: HttpRequest) -> Result<Visitor, AppError> {
    let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered").clone();
    let lang = lang_of(&req);
    let session = AppSession::of(&req);
    let mut ctx = Ctx::anonymous(lang, req.path(), req.query_string(), state.is_demo());
    if session.store_unavailable() {
        return Err(AppError::Unavailable(crate::store::StoreError::Unavailable(sqlx::Error::PoolTimedOut)));
    }
    let mut person = None;
    let mut reference_version = 0;
    let mut links = Vec::new();
    let mut absolute_timeout = false;
    let mut resolved = None;
    if let Some(person_id) = session.person_id() {
        let started = session.signed_in_at().unwrap_or(0);
        let limit = state.settings.session.absolute_timeout_hours * 3600;
        if chrono::Utc::now().timestamp() - started > limit {
            // Absolute timeout: however active the session, it ends 12 h (by default) after sign-in.
            session.sign_out();
            absolute_timeout = true;
        } else if let Some(row) = session.signed_in().filter(|row| row.person.person_id == person_id) {
            let p = row.person;
            reference_version = row.reference_version;
            links = row.links;
            ctx.user_name = Some(p.full_name());
            ctx.csrf_token = session.csrf_token()?;
            // Activity extends the session (idle timeout), at most once a minute.
            let now = chrono::Utc::now().timestamp();
            let extended = match session.extended_at() {
                Some(at)
                    if now - at
                        < crate::web::session::extend_every_seconds(state.settings.session.idle_timeout_minutes) =>
                {
                    at
                }
                _ => {
                    session.extend(now)?;
                    now
                }
            };
            set_session_end(&mut ctx, extended, state.settings.session.idle_timeout_minutes);
            let r = resolve(&state, &session, &p, &links).await?;
            add_banner(&mut ctx, &r, state.today());
            resolved = Some(r);
            person = Some(p);
        } else {
            session.sign_out();
        }
    }
    Ok(Visitor { ctx, session, person, reference_version, links, absolute_timeout, resolved })
}

/// The end of the session on the page (and for the warning script), from the last extension.
pub fn set_session_end(ctx: &mut Ctx, extended_at: i64, idle_minutes: i64) {
    (ctx.session_expires, ctx.session_ends) = session_end(extended_at, idle_minutes);
}

/// When a session last extended at `extended_at` ends without further use: seconds since the
/// epoch, and the Helsinki time as the pages say it ("14.35").
pub fn session_end(extended_at: i64, idle_minutes: i64) -> (i64, String) {
    let ends = chrono::DateTime::from_timestamp(extended_at + idle_minutes * 60, 0).unwrap_or_else(chrono::Utc::now);
    (ends.timestamp(), ends.with_timezone(&chrono_tz::Europe::Helsinki).format("%-H.%M").to_string())
}

impl FromRequest for Visitor {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(visitor(req.clone()))
    }
}

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let lang = lang_of(&req);
            // A session cookie whose session is gone (idle timeout, ended elsewhere): say so, and
            // come back here after signing in again (WCAG 2.2.1; without JavaScript too).
            let had_session = ["sosiaalitiedot", "__Host-sosiaalitiedot"].iter().any(|c| req.cookie(c).is_some());
            let path = crate::web::urls::path_and_query(req.path(), req.query_string());
            // Only a page can be returned to: a form sent without a session starts afresh.
            let page = matches!(*req.method(), actix_web::http::Method::GET | actix_web::http::Method::HEAD);
            let v = visitor(req).await?;
            match v.person {
                Some(person) => Ok(SignedIn {
                    ctx: v.ctx,
                    session: v.session,
                    person,
                    reference_version: v.reference_version,
                    links: v.links,
                    resolved: v.resolved.expect("resolved with the signed-in person"),
                }),
                None if v.absolute_timeout => {
                    Err(AppError::SessionEnded(lang, path, crate::web::error::SessionEnd::Absolute))
                }
                None if had_session && v.session.is_empty() => {
                    Err(AppError::SessionEnded(lang, path, crate::web::error::SessionEnd::Idle))
                }
                None => Err(AppError::NotSignedIn(
                    lang,
                    Some(path).filter(|_| page).and_then(|p| crate::web::urls::safe_return(Some(&p))),
                )),
            }
        })
    }
}

/// Whose data this request is about, in which role, and whom else the actor can act for.
pub struct Resolved {
    pub subject: PersonRow,
    pub role: crate::domain::roles::Role,
    /// The people the actor can act for today (for the banner's "switch" link and the chooser).
    pub others: Vec<(PersonRow, crate::domain::roles::Role)>,
    /// The chosen person's role had ended: the choice was reset to the actor's own data.
    pub lost: bool,
    /// The subject was chosen through Suomi.fi e-Authorizations in this session (its right is
    /// re-checked there), with when ALLOWED was last answered.
    pub grant: Option<crate::web::session::Grant>,
    /// Suomi.fi e-Authorizations is in use: the acting-for page always offers it.
    pub offers_valtuudet: bool,
}

/// The people the actor can act for today: with Suomi.fi e-Authorizations configured, those chosen
/// through it in this session (their role decided afresh from their data) and the feed's
/// information rights; without it, the feed's links (DESIGN §2.4). The grants' people are read
/// here (a query only while someone was chosen through e-Authorizations).
async fn representable(
    state: &AppState,
    session: &AppSession,
    actor: &PersonRow,
    links: &[LinkedPersonRow],
) -> Result<Vec<(PersonRow, crate::domain::roles::Role)>, AppError> {
    use crate::records::access::{LinkSource, representable_from};
    let today = state.today();
    let source = LinkSource::of(state.valtuudet.is_some());
    let from_feed = representable_from(links, actor, today, source);
    if source == LinkSource::Feed {
        return Ok(from_feed);
    }
    let mut out = Vec::new();
    for grant in session.grants() {
        if grant.person_id == actor.person_id {
            continue;
        }
        if let Some(person) = state.store.person(grant.person_id).await?
            && let Some(role) = crate::domain::roles::role_for_authorized(true, person.facts(), today)
        {
            out.push((person, role));
        }
    }
    // A register's guardian right wins over the feed's information right for the same child.
    for (person, role) in from_feed {
        if !out.iter().any(|(p, _)| p.person_id == person.person_id) {
            out.push((person, role));
        }
    }
    Ok(out)
}

/// The subject and role of this request: the chosen person if the actor still has a role for
/// them today, otherwise the actor's own data with `lost` set (and the choice reset). Without
/// e-Authorizations no query: the links came with the signed-in person; the pure role rules decide.
pub async fn resolve(
    state: &AppState,
    session: &AppSession,
    actor: &PersonRow,
    links: &[LinkedPersonRow],
) -> Result<Resolved, AppError> {
    use crate::domain::roles::Role;
    let others = representable(state, session, actor, links).await?;
    let chosen = session.subject_id().filter(|id| *id != actor.person_id);
    let found = chosen.and_then(|id| others.iter().find(|(p, _)| p.person_id == id).cloned());
    let lost = chosen.is_some() && found.is_none();
    if lost {
        // The right ended (a birthday, an expired mandate): back to own data. No reason is given.
        session.set_subject(None)?;
    }
    let (subject, role) = found.unwrap_or_else(|| (actor.clone(), Role::Own));
    let grant = if state.valtuudet.is_some() && role != Role::Own && role != Role::InformationRight {
        session.grants().into_iter().find(|g| g.person_id == subject.person_id)
    } else {
        None
    };
    Ok(Resolved { subject, role, others, lost, grant, offers_valtuudet: state.valtuudet.is_some() })
}

/// Like [`resolve`], for pages that show the subject's data: a lost role is a 404, so that
/// nothing about the other person is shown on this request. A subject chosen through
/// e-Authorizations is re-checked first when the last answer is too old, and always before a change.
pub async fn resolve_subject(
    state: &AppState,
    session: &AppSession,
    actor: &PersonRow,
    r: Resolved,
    lang: super::i18n::Lang,
    is_change: bool,
    request_id: Option<&str>,
) -> Result<Resolved, AppError> {
    if r.lost {
        return Err(AppError::NotFound);
    }
    if let Some(grant) = &r.grant {
        recheck(state, session, actor, &r, grant, lang, is_change, request_id).await?;
    }
    Ok(r)
}

/// Asks the Authorization REST API again when [`crate::signin::valtuudet::needs_recheck`] says so.
/// ALLOWED refreshes the grant; DISALLOWED ends acting for the principal at once (recorded in the
/// audit trail, a notice on the acting-for page); an error or a timeout fails closed for this
/// principal's data only (503), the actor's own pages keep working.
#[allow(clippy::too_many_arguments)]
async fn recheck(
    state: &AppState,
    session: &AppSession,
    actor: &PersonRow,
    r: &Resolved,
    grant: &crate::web::session::Grant,
    lang: super::i18n::Lang,
    is_change: bool,
    request_id: Option<&str>,
) -> Result<(), AppError> {
    use crate::signin::valtuudet::{Answer, needs_recheck};
    let Some(valtuudet) = &state.valtuudet else { return Ok(()) };
    let now = chrono::Utc::now().timestamp();
    if !needs_recheck(grant.checked_at, now, valtuudet.recheck_seconds, is_change) {
        return Ok(());
    }
    match valtuudet.recheck(&actor.hetu, &r.subject.hetu).await {
        Ok(Answer::Allowed) => {
            session.set_grant(r.subject.person_id, now)?;
            Ok(())
        }
        Ok(Answer::Disallowed) => {
            session.remove_grant(r.subject.person_id)?;
            session.set_subject(None)?;
            session.set_flash("valtuudet-ended")?;
            state
                .audit
                .write(&crate::store::NewAuditEvent {
                    key: &state.chain_key,
                    actor_id: actor.person_id,
                    role: r.role.code(),
                    subject_id: r.subject.person_id,
                    action: crate::domain::audit::AuditAction::ActingEnded.code(),
                    object: Some("valtuudet:disallowed"),
                    request_id,
                })
                .await?;
            tracing::info!("e-Authorizations answered DISALLOWED on a re-check; acting for the principal ended");
            Err(AppError::ActingEnded(lang))
        }
        Err(_) => Err(AppError::ValtuudetUnavailable),
    }
}

/// What `view.role` sees of `subject_id`, from the process's caches valid at archive
/// `reference_version` (read with the person), evaluated afresh for this request's role.
pub async fn load_view_at(
    state: &AppState,
    reference_version: i64,
    subject_id: i64,
    view: crate::records::Viewpoint,
) -> Result<std::sync::Arc<crate::records::SubjectView>, AppError> {
    if let Some(seen) = state.views.get(subject_id, view, reference_version) {
        return Ok(seen);
    }
    let reference = state.store.reference_data(&state.reference, reference_version).await?;
    let rows = state.store.subject_rows_at(&state.subjects, subject_id, reference_version).await?;
    let seen = std::sync::Arc::new(crate::records::SubjectView::new(
        rows.documents.clone(),
        rows.relationships.clone(),
        &reference.visibility_starts,
        view,
    ));
    // Both inputs were read at their own version, each at least the request's: the view is
    // valid at the older of the two.
    state.views.put(subject_id, seen.clone(), rows.version.min(reference.version));
    Ok(seen)
}

/// A signed-in actor looking at a subject's data in a role that holds today. Every page with a
/// person's data takes this extractor: the role is decided afresh on every request.
pub struct Acting {
    pub ctx: Ctx,
    pub session: AppSession,
    pub actor: PersonRow,
    pub subject: PersonRow,
    pub role: crate::domain::roles::Role,
    pub request_id: Option<String>,
    pub reference_version: i64,
    /// The audit chain's key, for records written with a change.
    pub chain_key: crate::store::ChainKey,
}

impl Acting {
    /// What `view.role` sees of `subject_id` (the subject, or the actor on their own pages): the
    /// archive rows and publication starts from the process's caches, valid at the archive version
    /// read with the person, evaluated afresh for this request's role.
    pub async fn load_view(
        &self,
        state: &AppState,
        subject_id: i64,
        view: crate::records::Viewpoint,
    ) -> Result<std::sync::Arc<crate::records::SubjectView>, AppError> {
        load_view_at(state, self.reference_version, subject_id, view).await
    }

    /// The reference data (publication starts, the organisations' contacts) valid at this request's
    /// archive version, from the process's cache.
    pub async fn reference(&self, state: &AppState) -> Result<std::sync::Arc<crate::store::ReferenceData>, AppError> {
        Ok(state.store.reference_data(&state.reference, self.reference_version).await?)
    }

    /// Records that the actor did `action` on the subject's data. Called before the response is
    /// built; an error here fails the request (no access without a trace).
    pub async fn audit(
        &self,
        state: &AppState,
        action: crate::domain::audit::AuditAction,
        object: Option<&str>,
    ) -> Result<(), AppError> {
        state.audit.write(&self.audit_record(action, object)).await.map_err(|e| {
            tracing::error!(error = %e, "audit write failed; request denied");
            AppError::from(e)
        })
    }
}

impl Acting {
    /// The audit record of `action` by this actor on this subject, for a write that records it in
    /// the same transaction as the change.
    pub fn audit_record<'a>(
        &'a self,
        action: crate::domain::audit::AuditAction,
        object: Option<&'a str>,
    ) -> crate::store::NewAuditEvent<'a> {
        crate::store::NewAuditEvent {
            key: &self.chain_key,
            actor_id: self.actor.person_id,
            role: self.role.code(),
            subject_id: self.subject.person_id,
            action: action.code(),
            object,
            request_id: self.request_id.as_deref(),
        }
    }
}

/// Fills the banner of `ctx` for a signed-in actor.
pub fn add_banner(ctx: &mut Ctx, r: &Resolved, today: chrono::NaiveDate) {
    ctx.acting = Some(ActingBanner {
        subject_name: r.subject.full_name(),
        role: r.role,
        voice: crate::web::i18n::Voice::of(r.role, crate::domain::roles::is_adult(r.subject.birth_date, today)),
        can_switch: !r.others.is_empty() || r.offers_valtuudet,
        switch_url: super::urls::acting_for(ctx.lang),
    });
}

impl FromRequest for Acting {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        use actix_web::HttpMessage;
        let signed_in = SignedIn::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered").clone();
        let request_id = req.extensions().get::<tracing_actix_web::RequestId>().map(|id| id.to_string());
        let method = req.method().clone();
        Box::pin(async move {
            let SignedIn { mut ctx, session, person: actor, reference_version, resolved, .. } = signed_in.await?;
            let is_change = method != actix_web::http::Method::GET && method != actix_web::http::Method::HEAD;
            let resolved =
                resolve_subject(&state, &session, &actor, resolved, ctx.lang, is_change, request_id.as_deref()).await?;
            add_banner(&mut ctx, &resolved, state.today());
            ctx.subject_token = session.subject_token()?;
            let Resolved { subject, role, .. } = resolved;
            Ok(Acting {
                ctx,
                session,
                actor,
                subject,
                role,
                request_id,
                reference_version,
                chain_key: state.chain_key.clone(),
            })
        })
    }
}
