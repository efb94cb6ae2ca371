//! What every request shares: the store, the settings, the OpenID client, the hosts answered.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Deserialize;

use super::i18n::Lang;
use crate::settings::{Mode, Settings};
use crate::store::sessions::SessionReader;
use crate::store::{AuditWriter, ReferenceCache, Store, SubjectCache};

/// One line per demo person on the sign-in page, in each language.
#[derive(Debug, Clone, Deserialize)]
pub struct DemoDescription {
    pub fi: String,
    pub sv: String,
    pub en: String,
}

/// Shared by every request.
pub struct AppState {
    pub store: Store,
    /// Views' audit records, group-committed (see [`AuditWriter`]).
    pub audit: AuditWriter,
    /// The audit chain's key (`audit.chain_key`, or a demo database's own).
    pub chain_key: crate::store::ChainKey,
    /// Page views' session reads, grouped (see [`SessionReader`]).
    pub session_reader: SessionReader,
    /// Publication starts, refreshed when an import has changed them (see [`ReferenceCache`]).
    pub reference: ReferenceCache,
    /// Recently read subjects' archive rows, refreshed the same way (see [`SubjectCache`]).
    pub subjects: SubjectCache,
    /// What each role sees of recently viewed subjects (see [`crate::records::ViewCache`]).
    pub views: crate::records::ViewCache,
    /// Recently read document texts, refreshed the same way (see [`crate::store::TextCache`]).
    pub texts: crate::store::TextCache,
    pub settings: Settings,
    /// Keyed by henkilötunnus; shown only on the demo sign-in page, never with the code itself.
    pub demo_people: HashMap<String, DemoDescription>,
    /// The OpenID client (production mode only).
    pub oidc: Option<crate::signin::oidc::Oidc>,
    /// Suomi.fi e-Authorizations, when configured: then it, not the feed, decides guardians and
    /// representatives (DESIGN §2.4).
    pub valtuudet: Option<crate::signin::valtuudet::Valtuudet>,
    /// When this instance accepted feedback from senders who were not signed in, the last hour
    /// (`feedback.anonymous_per_hour`).
    pub anonymous_feedback: std::sync::Mutex<std::collections::VecDeque<i64>>,
    /// The `Host` values this server answers (DESIGN §4): the host of `public_url`, or the bound
    /// loopback address in demo mode.
    pub allowed_hosts: Vec<String>,
}

impl AppState {
    pub fn is_demo(&self) -> bool {
        self.settings.mode == Mode::Demo
    }

    /// Today in Europe/Helsinki, or the configured date for demos and tests.
    pub fn today(&self) -> NaiveDate {
        self.settings
            .today
            .unwrap_or_else(|| chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki).date_naive())
    }

    pub fn demo_description(&self, hetu: &str, lang: Lang) -> String {
        self.demo_people
            .get(hetu)
            .map(|d| match lang {
                Lang::Fi => d.fi.clone(),
                Lang::Sv => d.sv.clone(),
                Lang::En => d.en.clone(),
            })
            .unwrap_or_default()
    }
}
