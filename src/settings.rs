//! Layered configuration: built-in defaults → an optional TOML file → `SOSIAALITIEDOT__SECTION__KEY`
//! environment variables → command-line flags. No global state: every test builds its own. Kept
//! whole: every setting with its default and its check ([`Settings::problems`]), so that an
//! operator's question about one is answered in one file.

use std::fmt;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::visibility::NotYetShown;

/// How people sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Test identities chosen from a list; only for demos on a trusted machine.
    Demo,
    /// Suomi.fi e-Identification (OpenID Connect).
    Production,
}

#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// `sqlite:…` or `postgres://…`.
    pub database_url: String,
    /// Address to listen on, `host:port` (port 0 picks a free one).
    pub bind: String,
    /// The evaluation date for demos and tests; by default today in Europe/Helsinki.
    pub today: Option<NaiveDate>,
    /// The public address, e.g. `https://sosiaalitiedot.example.fi`. When it is https the session
    /// cookie is `__Host-` prefixed and Secure, and HSTS is sent.
    pub public_url: Option<String>,
    pub session: SessionSettings,
    /// Operator switches for the categories Kanta does not show yet (DESIGN §2.2 rule 4).
    pub visibility: NotYetShown,
    pub informing: InformingSettings,
    /// Production sign-in (Suomi.fi e-Identification / FTN OpenID Connect).
    pub oidc: OidcSettings,
    /// The facts of the accessibility statement (law 306/2019).
    pub accessibility: AccessibilitySettings,
    /// The controller of what the portal itself processes, for the privacy notice (GDPR arts. 13–14).
    pub operator: OperatorSettings,
    /// Suomi.fi e-Authorizations (Suomi.fi-valtuudet): who may act for whom in production
    /// (DESIGN §2.4). Optional: without it the feed's links decide, as in the demo.
    pub valtuudet: ValtuudetSettings,
    /// The audit trail's keyed chain and its signed checkpoints outside the database.
    pub audit: AuditSettings,
    /// Limits of the accessibility feedback form.
    pub feedback: FeedbackSettings,
    /// Limits of the archive feed import.
    pub import: ImportSettings,
    /// `text` (default, for a terminal) or `json` (one object a line, for log collection).
    pub log_format: LogFormat,
    /// Where Prometheus metrics are served (`host:port`, e.g. an internal address); off when unset.
    /// Never the citizen-facing address.
    pub metrics_bind: Option<String>,
    /// Serve plain http although `public_url` is given: only for local tests (`serve --insecure-http`).
    #[serde(skip)]
    pub insecure_http: bool,
    /// Decided by the command (`demo` or `serve`), never by a file or the environment; the default
    /// is production, which asks for everything.
    #[serde(skip)]
    pub mode: Mode,
}

/// The accessibility statement's facts (saavutettavuusseloste / tillgänglighetsutlåtande): who runs
/// the service, how feedback reaches them, when the service was assessed, and the supervisory
/// authority. Operators set their own; the defaults describe this project's own assessment.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccessibilitySettings {
    /// When the conformance was last assessed (and the statement prepared).
    pub assessed_on: NaiveDate,
    /// When the statement itself was last reviewed.
    pub reviewed_on: NaiveDate,
    pub operator_name: String,
    /// Where accessibility feedback can also be sent besides the form.
    pub operator_email: String,
    /// The supervisory authority's name in Finnish, Swedish and English, and its web address.
    pub authority_fi: String,
    pub authority_sv: String,
    pub authority_en: String,
    pub authority_url: String,
    /// The authority's site in Swedish and in English (the link texts name them).
    pub authority_url_sv: String,
    pub authority_url_en: String,
    /// The supervisory authority's contact details.
    pub authority_email: String,
    pub authority_phone: String,
    /// When the operator last checked the authority's name, sites and contacts against the
    /// authority's own pages (they change: Lupa- ja valvontavirasto took over on 1 January 2026).
    /// `check-config` shows it, and says so when it is over half a year old.
    pub authority_checked_on: NaiveDate,
}

impl AccessibilitySettings {
    /// How many days ago the authority's contacts were checked, when that is over half a year:
    /// the statement's contacts should be checked again.
    pub fn authority_check_overdue(&self, today: NaiveDate) -> Option<i64> {
        let days = (today - self.authority_checked_on).num_days();
        (days > 183).then_some(days)
    }
}

impl Default for AccessibilitySettings {
    fn default() -> Self {
        Self {
            assessed_on: NaiveDate::from_ymd_opt(2026, 12, 1).expect("valid date"),
            reviewed_on: NaiveDate::from_ymd_opt(2026, 12, 1).expect("valid date"),
            operator_name: "Sosiaalitiedot".into(),
            operator_email: "saavutettavuus@sosiaalitiedot.example.fi".into(),
            authority_fi: "Lupa- ja valvontavirasto, saavutettavuusvalvonta".into(),
            authority_sv: "Tillstånds- och tillsynsverket, tillgänglighetstillsynen".into(),
            authority_en: "Permit and Supervision Agency, accessibility monitoring".into(),
            authority_url: "https://www.saavutettavuusvaatimukset.fi/".into(),
            authority_url_sv: "https://www.tillganglighetskrav.fi/".into(),
            authority_url_en: "https://www.webaccessibility.fi/".into(),
            authority_email: "saavutettavuus@lvv.fi".into(),
            authority_phone: "0295 016 000".into(),
            authority_checked_on: NaiveDate::from_ymd_opt(2026, 12, 1).expect("valid date"),
        }
    }
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The OpenID provider and this client's keys (DESIGN §4 "Sign-in").
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OidcSettings {
    /// Discovery at `{issuer}/.well-known/openid-configuration`.
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    /// PKCS#8 PEM RSA private key: request objects and `private_key_jwt`.
    pub signing_key: Option<String>,
    /// PKCS#8 PEM RSA private key: decrypts the ID token and userinfo (JWE).
    pub encryption_key: Option<String>,
    /// Accepted levels of assurance (`acr`), the first asked for.
    pub acr_values: Vec<String>,
    /// The claim that carries the henkilötunnus.
    pub hetu_claim: String,
    pub scopes: Vec<String>,
}

impl Default for OidcSettings {
    fn default() -> Self {
        Self {
            issuer: None,
            client_id: None,
            signing_key: None,
            encryption_key: None,
            acr_values: vec!["http://ftn.ficora.fi/2017/loa3".into(), "http://ftn.ficora.fi/2017/loa2".into()],
            hetu_claim: "urn:oid:1.2.246.21".into(),
            scopes: vec!["openid".into(), "profile".into()],
        }
    }
}

/// The e-Authorizations Web API and the Authorization REST API (Suomi.fi-valtuudet /
/// Suomi.fi-fullmakter). Every field is optional; a partial section is refused by `serve` and
/// `check-config` ([`Settings::problems`]).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ValtuudetSettings {
    /// The Web API's address, e.g. `https://asiointivaltuustarkastus.suomi.fi`.
    pub base_url: Option<String>,
    /// The Web API client id (8 characters) given at registration.
    pub client_id: Option<String>,
    /// The key of the request checksum (HMAC-SHA256).
    pub api_key: Option<Secret>,
    /// The HTTP Basic password of `/oauth/token`.
    pub oauth_password: Option<Secret>,
    /// The issue code(s) registered for this service; every one must be ALLOWED. A TOML list, or
    /// in the environment also a comma-separated string (`SOSIAALITIEDOT__VALTUUDET__ISSUES=a,b`).
    #[serde(deserialize_with = "list_or_comma_separated")]
    pub issues: Vec<String>,
    /// How old an ALLOWED answer may be while viewing (a change always asks again).
    pub recheck_seconds: u64,
}

impl Default for ValtuudetSettings {
    fn default() -> Self {
        Self {
            base_url: None,
            client_id: None,
            api_key: None,
            oauth_password: None,
            issues: Vec::new(),
            recheck_seconds: 60,
        }
    }
}

/// A list of strings, or one string of comma-separated items.
fn list_or_comma_separated<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        List(Vec<String>),
        One(String),
    }
    Ok(match Either::deserialize(d)? {
        Either::List(v) => v,
        Either::One(s) => s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
    })
}

impl ValtuudetSettings {
    /// Whether any part of the section is given (then all of it must be).
    pub fn is_configured(&self) -> bool {
        self.base_url.is_some()
            || self.client_id.is_some()
            || self.api_key.is_some()
            || self.oauth_password.is_some()
            || !self.issues.is_empty()
    }
}

/// The audit trail can be proven intact, not only checked: each record's hash is an HMAC under a
/// key kept outside the database, and signed checkpoints of the chain head are written outside it.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditSettings {
    /// The HMAC-SHA256 key of the chain (at least 32 characters), the same on every instance.
    /// Required by `serve`; `demo` makes one per database.
    pub chain_key: Option<Secret>,
    /// PKCS#8 PEM Ed25519 private key that signs the checkpoints (`openssl genpkey -algorithm ed25519`).
    pub checkpoint_key: Option<String>,
    /// The file checkpoints are appended to (JSON Lines); operators ship it to write-once storage.
    pub checkpoint_file: Option<String>,
    /// Minutes between checkpoints.
    pub checkpoint_minutes: u64,
}

impl Default for AuditSettings {
    fn default() -> Self {
        Self { chain_key: None, checkpoint_key: None, checkpoint_file: None, checkpoint_minutes: 5 }
    }
}

/// The accessibility feedback form is open to anyone: besides five messages an hour per session,
/// all senders who are not signed in share one limit per instance (fresh sessions do not lift it).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedbackSettings {
    /// Messages an hour from all senders who are not signed in, per instance.
    pub anonymous_per_hour: usize,
    /// Days a feedback message is kept; older ones are deleted (the privacy notice says so).
    pub keep_days: u32,
}

impl Default for FeedbackSettings {
    fn default() -> Self {
        Self { anonymous_per_hour: 30, keep_days: 730 }
    }
}

/// The controller (rekisterinpitäjä / personuppgiftsansvarig) of what the portal itself processes —
/// sign-ins, sessions, the audit trail, the choices, who acts for whom, feedback — and its data
/// protection officer, for the privacy notice (`/{lang}/privacy`). `serve` needs the name and a
/// DPO contact; `demo` shows marked demo values for what is missing.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OperatorSettings {
    pub name: Option<String>,
    /// Y-tunnus / FO-nummer.
    pub business_id: Option<String>,
    /// The postal address, one line.
    pub address: Option<String>,
    pub dpo_email: Option<String>,
    pub dpo_phone: Option<String>,
    /// The operator's own full privacy notice, if it has one (https).
    pub privacy_notice_url: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImportSettings {
    /// The longest feed line accepted, in bytes: a longer one is refused while it is read (its
    /// `line N:` error), so memory stays flat however long it is. The longest valid record is far
    /// below the default.
    pub max_line_bytes: usize,
}

impl Default for ImportSettings {
    fn default() -> Self {
        Self { max_line_bytes: crate::feed::DEFAULT_MAX_LINE_BYTES }
    }
}

/// The shortest chain key accepted.
pub const MIN_CHAIN_KEY_CHARS: usize = 32;

/// Kanta informing (Kanta-informointi): an acknowledgement dated on or after this date is needed
/// before consent or prohibitions can be recorded (DESIGN §2.5).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InformingSettings {
    pub published_on: NaiveDate,
}

impl Default for InformingSettings {
    fn default() -> Self {
        Self { published_on: NaiveDate::from_ymd_opt(2026, 3, 1).expect("valid date") }
    }
}

#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionSettings {
    /// Minutes without a request before the session ends.
    pub idle_timeout_minutes: i64,
    /// Hours after sign-in when the session ends however active it is.
    pub absolute_timeout_hours: i64,
    /// At least 64 bytes, hex or plain text, signing the session cookie. Required by `serve`; `demo`
    /// generates one per start when it is missing.
    pub secret_key: Option<Secret>,
}

/// A secret that never appears in `Debug` output or logs.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: "sqlite:data/sosiaalitiedot.db".into(),
            bind: "127.0.0.1:8080".into(),
            today: None,
            public_url: None,
            session: SessionSettings::default(),
            visibility: NotYetShown::default(),
            informing: InformingSettings::default(),
            oidc: OidcSettings::default(),
            accessibility: AccessibilitySettings::default(),
            operator: OperatorSettings::default(),
            valtuudet: ValtuudetSettings::default(),
            audit: AuditSettings::default(),
            feedback: FeedbackSettings::default(),
            import: ImportSettings::default(),
            log_format: LogFormat::default(),
            metrics_bind: None,
            insecure_http: false,
            mode: Mode::Production,
        }
    }
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self { idle_timeout_minutes: 30, absolute_timeout_hours: 12, secret_key: None }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("today", &self.today)
            .field("public_url", &self.public_url)
            .field("session.idle_timeout_minutes", &self.session.idle_timeout_minutes)
            .field("session.absolute_timeout_hours", &self.session.absolute_timeout_hours)
            .field("session.secret_key", &self.session.secret_key)
            .field("visibility", &self.visibility)
            .field("informing", &self.informing)
            .field("oidc", &self.oidc)
            .field("accessibility", &self.accessibility)
            .field("operator", &self.operator)
            .field("valtuudet", &self.valtuudet)
            .field("audit", &self.audit)
            .field("feedback", &self.feedback)
            .field("import", &self.import)
            .field("log_format", &self.log_format)
            .field("metrics_bind", &self.metrics_bind)
            .field("mode", &self.mode)
            .finish()
    }
}

/// Hides a password in a database URL: the one in the authority (`user:password@`) and any
/// `password=` (or `sslpassword=`) parameter of the query string.
pub fn redact_url(url: &str) -> String {
    let url = match url.split_once('?') {
        Some((base, query)) => {
            let params: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    // Judged as the database driver reads it: `pass%77ord` is `password`.
                    Some((k, _)) if percent_decoded(k).to_ascii_lowercase().ends_with("password") => format!("{k}=***"),
                    _ => p.to_string(),
                })
                .collect();
            format!("{base}?{}", params.join("&"))
        }
        None => url.to_string(),
    };
    let url = url.as_str();
    match (url.find("://"), url.split('?').next().unwrap_or(url).rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{user}:***{}", &url[..s], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// `%XX` escapes decoded (and `+` as a space, as in a query string); an invalid escape stays as it is.
fn percent_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: Option<&u8>| c.and_then(|c| (*c as char).to_digit(16));
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], hex(b.get(i + 1)), hex(b.get(i + 2))) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            (b'+', ..) => out.push(b' '),
            (c, ..) => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read the configuration file {0}: {1}")]
    Read(String, std::io::Error),
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Settings {
    /// Loads defaults, then `file` (if given), then the environment (`prefix__section__key`, the
    /// value read as TOML when it parses, otherwise as a string).
    pub fn load(file: Option<&str>, env: impl IntoIterator<Item = (String, String)>) -> Result<Self, SettingsError> {
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| SettingsError::Read(path.into(), e))?;
                text.parse::<toml::Table>().map_err(|e| SettingsError::Invalid(format!("{path}: {e}")))?
            }
            None => toml::Table::new(),
        };
        for (key, value) in env {
            let Some(rest) = key.strip_prefix("SOSIAALITIEDOT__") else { continue };
            let path: Vec<String> = rest.split("__").map(|p| p.to_ascii_lowercase()).collect();
            let parsed = format!("v = {value}")
                .parse::<toml::Table>()
                .ok()
                .and_then(|mut t| t.remove("v"))
                .unwrap_or(toml::Value::String(value));
            insert(&mut table, &path, parsed);
        }
        toml::Value::Table(table)
            .try_into::<Settings>()
            .map_err(|e| SettingsError::Invalid(e.to_string()))
            .and_then(Settings::checked)
    }

    fn checked(self) -> Result<Self, SettingsError> {
        if self.session.idle_timeout_minutes < 1 || self.session.absolute_timeout_hours < 1 {
            return Err(SettingsError::Invalid("session timeouts must be positive".into()));
        }
        if let Some(k) = &self.session.secret_key
            && k.expose().len() < 64
        {
            return Err(SettingsError::Invalid("session.secret_key must be at least 64 characters".into()));
        }
        Ok(self)
    }

    /// Whether the site is served over https (cookie prefix, Secure flag, HSTS).
    pub fn is_https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }

    /// Everything that would stop the service from starting with these settings in their mode,
    /// one line per problem (empty when it may start): the one place configuration is judged —
    /// `serve`, `demo`, `check-config` and [`crate::Application::build`] all ask here.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if crate::store::Backend::of_url(&self.database_url).is_none() {
            out.push("database_url must start with sqlite: or postgres://".into());
        }
        if std::net::ToSocketAddrs::to_socket_addrs(self.bind.as_str()).is_err() {
            out.push(format!("bind: \"{}\" is not host:port", self.bind));
        }
        match self.mode {
            Mode::Production => out.extend(self.production_problems()),
            Mode::Demo => {
                out.extend(self.valtuudet_problems());
                out.extend(self.audit_problems());
            }
        }
        out
    }

    /// What production sign-in and the audit trail need.
    fn production_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self.public_url.as_deref() {
            None => out.push(
                "public_url is required (SOSIAALITIEDOT__PUBLIC_URL), e.g. https://sosiaalitiedot.example.fi".into(),
            ),
            Some(u) if u.starts_with("https://") => {}
            Some(u) if u.starts_with("http://") && self.insecure_http => {}
            Some(u) if u.starts_with("http://") => {
                out.push("public_url must be https (plain http only with --insecure-http, for local tests)".into())
            }
            Some(_) => out.push("public_url must be an https:// address".into()),
        }
        if self.session.secret_key.is_none() {
            out.push(
                "session.secret_key is required (SOSIAALITIEDOT__SESSION__SECRET_KEY, at least 64 characters)".into(),
            );
        }
        match self.oidc.issuer.as_deref() {
            None => out.push("oidc.issuer is required (SOSIAALITIEDOT__OIDC__ISSUER)".into()),
            Some(i) if !(i.starts_with("https://") || (self.insecure_http && i.starts_with("http://"))) => {
                out.push("oidc.issuer must be an https:// address (http only with --insecure-http)".into())
            }
            Some(_) => {}
        }
        if self.oidc.client_id.as_deref().is_none_or(str::is_empty) {
            out.push("oidc.client_id is required (SOSIAALITIEDOT__OIDC__CLIENT_ID)".into());
        }
        for (name, path) in
            [("oidc.signing_key", &self.oidc.signing_key), ("oidc.encryption_key", &self.oidc.encryption_key)]
        {
            match path {
                None => out.push(format!("{name} is required: the path of a PKCS#8 PEM RSA private key")),
                Some(p) => {
                    if let Err(e) = crate::signin::oidc::keys::read_rsa_key(p) {
                        out.push(format!("{name}: {e}"));
                    }
                }
            }
        }
        if self.operator.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            out.push("operator.name is required: the controller named in the privacy notice (SOSIAALITIEDOT__OPERATOR__NAME)".into());
        }
        if self.operator.dpo_email.is_none() && self.operator.dpo_phone.is_none() {
            out.push(
                "operator.dpo_email or operator.dpo_phone is required: how to reach the data protection officer".into(),
            );
        }
        if self.operator.privacy_notice_url.as_deref().is_some_and(|u| !u.starts_with("https://")) {
            out.push("operator.privacy_notice_url must be an https:// address".into());
        }
        if self.oidc.acr_values.is_empty() {
            out.push("oidc.acr_values must name at least one level of assurance".into());
        }
        out.extend(self.valtuudet_problems());
        if self.audit.chain_key.is_none() {
            out.push(format!("audit.chain_key is required (SOSIAALITIEDOT__AUDIT__CHAIN_KEY, at least {MIN_CHAIN_KEY_CHARS} characters, the same on every instance, kept outside the database)"));
        }
        out.extend(self.audit_problems());
        out
    }

    /// What is wrong with the `[audit]` section in any mode: a short chain key, a checkpoint key
    /// without a file or the other way round, an unreadable key, a zero interval.
    fn audit_problems(&self) -> Vec<String> {
        let a = &self.audit;
        let mut out = Vec::new();
        if a.chain_key.as_ref().is_some_and(|k| k.expose().chars().count() < MIN_CHAIN_KEY_CHARS) {
            out.push(format!("audit.chain_key must be at least {MIN_CHAIN_KEY_CHARS} characters"));
        }
        match (&a.checkpoint_key, &a.checkpoint_file) {
            (Some(key), Some(_)) => {
                if let Err(e) = crate::audit::checkpoint::CheckpointSigner::load(key) {
                    out.push(format!("audit.checkpoint_key: {e}"));
                }
            }
            (Some(_), None) => out.push("audit.checkpoint_file is required with audit.checkpoint_key".into()),
            (None, Some(_)) => out.push("audit.checkpoint_key is required with audit.checkpoint_file".into()),
            (None, None) => {}
        }
        if a.checkpoint_minutes == 0 {
            out.push("audit.checkpoint_minutes must be at least 1".into());
        }
        out
    }

    /// What is wrong with the `[valtuudet]` section, one line per problem: all or nothing of it,
    /// at least one issue code, an https address (plain http only with `--insecure-http`).
    fn valtuudet_problems(&self) -> Vec<String> {
        let v = &self.valtuudet;
        let mut out = Vec::new();
        if !v.is_configured() {
            return out;
        }
        let missing = |name: &str| {
            format!(
                "valtuudet.{name} is required when [valtuudet] is configured (SOSIAALITIEDOT__VALTUUDET__{})",
                name.to_ascii_uppercase()
            )
        };
        match v.base_url.as_deref() {
            None | Some("") => out.push(missing("base_url")),
            Some(u) if u.starts_with("https://") && u.len() > 8 => {}
            Some(u) if u.starts_with("http://") && self.insecure_http => {}
            Some(_) => {
                out.push("valtuudet.base_url must be an https:// address (plain http only with --insecure-http)".into())
            }
        }
        match v.client_id.as_deref() {
            None | Some("") => out.push(missing("client_id")),
            Some(c) if c.chars().any(|ch| ch.is_whitespace() || ch.is_control()) => {
                out.push("valtuudet.client_id must not contain spaces or control characters".into())
            }
            Some(_) => {}
        }
        if v.api_key.as_ref().is_none_or(|k| k.expose().is_empty()) {
            out.push(missing("api_key"));
        }
        if v.oauth_password.as_ref().is_none_or(|k| k.expose().is_empty()) {
            out.push(missing("oauth_password"));
        }
        if v.issues.is_empty() {
            out.push("valtuudet.issues must name at least one issue code registered for this service".into());
        } else if v.issues.iter().any(|i| i.trim().is_empty() || i.chars().any(|c| c.is_whitespace() || c.is_control()))
        {
            out.push("valtuudet.issues: an issue code must be non-empty and hold no spaces".into());
        }
        if v.recheck_seconds == 0 {
            out.push("valtuudet.recheck_seconds must be at least 1".into());
        }
        out
    }
}

fn insert(table: &mut toml::Table, path: &[String], value: toml::Value) {
    match path {
        [] => {}
        [last] => {
            table.insert(last.clone(), value);
        }
        [first, rest @ ..] => {
            let entry = table.entry(first.clone()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if !entry.is_table() {
                *entry = toml::Value::Table(toml::Table::new());
            }
            insert(entry.as_table_mut().expect("just made a table"), rest, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_file_and_defaults() {
        let dir = std::env::temp_dir().join(format!("st-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        std::fs::write(&file, "bind = \"0.0.0.0:9000\"\n[session]\nidle_timeout_minutes = 10\n").unwrap();
        let env = vec![
            ("SOSIAALITIEDOT__SESSION__IDLE_TIMEOUT_MINUTES".to_string(), "15".to_string()),
            ("SOSIAALITIEDOT__VISIBILITY__SHOW_JOINT_MATTER_DOCUMENTS".to_string(), "true".to_string()),
            ("SOSIAALITIEDOT__DATABASE_URL".to_string(), "postgres://u:pw@h/db".to_string()),
            ("OTHER".to_string(), "x".to_string()),
        ];
        let s = Settings::load(Some(file.to_str().unwrap()), env).unwrap();
        assert_eq!(s.bind, "0.0.0.0:9000");
        assert_eq!(s.session.idle_timeout_minutes, 15);
        assert_eq!(s.session.absolute_timeout_hours, 12);
        assert!(s.visibility.show_joint_matter_documents);
        assert!(!s.visibility.show_client_record_entries);
        assert!(!format!("{s:?}").contains("pw"));
    }

    #[test]
    fn e_authorizations_all_or_nothing_and_issues_from_the_environment() {
        let env =
            |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        let s = Settings::load(None, env(&[])).unwrap();
        assert!(!s.valtuudet.is_configured() && s.valtuudet_problems().is_empty());
        let full = [
            ("SOSIAALITIEDOT__VALTUUDET__BASE_URL", "https://valtuudet.example.fi"),
            ("SOSIAALITIEDOT__VALTUUDET__CLIENT_ID", "sosiaali"),
            ("SOSIAALITIEDOT__VALTUUDET__API_KEY", "key-secret"),
            ("SOSIAALITIEDOT__VALTUUDET__OAUTH_PASSWORD", "password-secret"),
            ("SOSIAALITIEDOT__VALTUUDET__ISSUES", "first-issue, second-issue"),
        ];
        let s = Settings::load(None, env(&full)).unwrap();
        assert_eq!(s.valtuudet.issues, vec!["first-issue", "second-issue"]);
        assert_eq!(s.valtuudet.recheck_seconds, 60);
        assert!(s.valtuudet_problems().is_empty(), "{:?}", s.valtuudet_problems());
        let debug = format!("{s:?}");
        assert!(!debug.contains("key-secret") && !debug.contains("password-secret"), "{debug}");
        let s = Settings::load(None, env(&full[..1])).unwrap();
        assert_eq!(s.valtuudet_problems().len(), 4, "{:?}", s.valtuudet_problems());
        let mut s = Settings::load(
            None,
            env(&[
                full[1],
                full[2],
                full[3],
                full[4],
                ("SOSIAALITIEDOT__VALTUUDET__BASE_URL", "http://127.0.0.1:8091"),
            ]),
        )
        .unwrap();
        assert_eq!(s.valtuudet_problems().len(), 1);
        s.insecure_http = true;
        assert!(s.valtuudet_problems().is_empty());
    }

    #[test]
    fn database_passwords_are_redacted_wherever_they_are() {
        let cases = [
            ("postgres://app:pw@db/st", "postgres://app:***@db/st"),
            ("postgres://app@db/st?password=pw&sslmode=require", "postgres://app@db/st?password=***&sslmode=require"),
            ("postgres://db/st?user=app&Password=pw", "postgres://db/st?user=app&Password=***"),
            ("postgres://app:pw@db/st?sslpassword=x", "postgres://app:***@db/st?sslpassword=***"),
            ("sqlite:data/st.db", "sqlite:data/st.db"),
            ("postgres://app@db/st?options=a@b", "postgres://app@db/st?options=a@b"),
            ("postgres://app@db/x?pass%77ord=S3cret", "postgres://app@db/x?pass%77ord=***"),
            ("postgres://app@db/x?PASS%57ORD=S3cret&a=%", "postgres://app@db/x?PASS%57ORD=***&a=%"),
            ("postgres://app@db/x?ssl%70assword=S3cret", "postgres://app@db/x?ssl%70assword=***"),
        ];
        for (url, expected) in cases {
            assert_eq!(redact_url(url), expected, "{url}");
        }
    }

    #[test]
    fn the_mode_is_typed_production_by_default_and_judged_in_one_place() {
        let production = Settings::default();
        assert_eq!(production.mode, Mode::Production);
        let problems = production.problems();
        assert!(problems.iter().any(|p| p.starts_with("oidc.issuer is required")), "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("audit.chain_key is required")), "{problems:?}");
        let demo = Settings { mode: Mode::Demo, ..Settings::default() };
        assert_eq!(demo.problems(), Vec::<String>::new());
        let bad = Settings {
            mode: Mode::Demo,
            database_url: "mysql://x".into(),
            bind: "nowhere".into(),
            ..Settings::default()
        };
        assert_eq!(
            bad.problems(),
            vec![
                "database_url must start with sqlite: or postgres://".to_string(),
                "bind: \"nowhere\" is not host:port".to_string()
            ]
        );
    }

    #[test]
    fn unknown_keys_and_short_secrets_are_refused() {
        let env = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        assert!(Settings::load(None, env("SOSIAALITIEDOT__COLOUR", "red")).is_err());
        assert!(Settings::load(None, env("SOSIAALITIEDOT__SESSION__SECRET_KEY", "short")).is_err());
        let s = Settings::load(None, env("SOSIAALITIEDOT__SESSION__SECRET_KEY", &"k".repeat(64))).unwrap();
        assert!(!format!("{s:?}").contains("kkkk"));
    }
}
