//! What every page template needs besides its own data: the language, the switcher links, the
//! signed-in person's name, the CSRF token for the header's sign-out form and the demo banner.

use super::i18n::{Lang, Loc};
use super::urls;

/// One link of the language switcher.
#[derive(Debug, Clone)]
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

#[derive(Debug, Clone)]
pub struct Ctx {
    pub l: Loc,
    pub lang: Lang,
    pub languages: Vec<LangLink>,
    /// The signed-in person's name, shown in the header with the sign-out button.
    pub user_name: Option<String>,
    pub csrf_token: String,
    pub demo: bool,
    /// Set when a form on the page has errors: the title then starts with "Virhe: ".
    pub has_errors: bool,
    /// Whose data this is and in what role (signed-in pages about a person).
    pub acting: Option<ActingBanner>,
    /// The opaque token of the current subject, for state-changing forms about them.
    pub subject_token: String,
    /// When the session ends without further use (Helsinki time, e.g. "14.35"), for signed-in pages.
    pub session_ends: String,
    /// The same as seconds since the epoch, for the warning script.
    pub session_expires: i64,
    /// The request path, for `aria-current` in the main navigation.
    pub path: String,
    /// The request's query string (without `?`), kept when a sign-in returns to this page.
    pub query: String,
    /// A change just made (Post/Redirect/Get): its confirmation starts the title too, so that it
    /// is announced with the new page (WCAG 4.1.3).
    pub success_title: Option<String>,
}

/// One link of the main navigation on personal pages.
pub struct NavLink {
    pub href: String,
    pub label_id: &'static str,
    pub current: bool,
}

impl Ctx {
    pub fn anonymous(lang: Lang, path: &str, query: &str, demo: bool) -> Self {
        let languages = Lang::ALL
            .into_iter()
            .map(|l| LangLink {
                code: l.code(),
                name: l.own_name(),
                href: urls::in_language(path, query, l),
                current: l == lang,
            })
            .collect();
        Self {
            l: Loc::new(lang),
            lang,
            languages,
            user_name: None,
            csrf_token: String::new(),
            demo,
            has_errors: false,
            acting: None,
            subject_token: String::new(),
            session_ends: String::new(),
            session_expires: 0,
            path: path.to_string(),
            query: query.to_string(),
            success_title: None,
        }
    }

    pub fn home_url(&self) -> String {
        urls::home(self.lang)
    }

    pub fn sign_out_url(&self) -> String {
        urls::sign_out(self.lang)
    }

    pub fn sign_in_url(&self) -> String {
        urls::sign_in(self.lang)
    }

    /// Sign-in that returns to this page afterwards, its query kept (the session warning's link
    /// once it has ended).
    pub fn sign_in_return_url(&self) -> String {
        urls::sign_in_returning(self.lang, &urls::path_and_query(&self.path, &self.query))
    }

    /// The main navigation (DESIGN §5: on every personal page): the records, the disclosure choices,
    /// the data-use log, who has acted for me (one's own data only) and the sign-ins.
    pub fn main_nav(&self) -> Vec<NavLink> {
        let lang = self.lang.code();
        let own = self.acting.as_ref().is_none_or(|a| a.is_own());
        let mut items: Vec<(String, &'static str, &[&str])> = vec![
            (format!("/{lang}/records"), "nav-records", &["/records", "/documents/"]),
            (format!("/{lang}/consent"), "nav-choices", &["/consent", "/informing", "/prohibitions"]),
            (format!("/{lang}/data-use"), "data-use-title", &["/data-use"]),
        ];
        if own {
            items.push((format!("/{lang}/acted-for-me"), "acted-for-me-title", &["/acted-for-me"]));
        }
        items.push((format!("/{lang}/sessions"), "sessions-link", &["/sessions"]));
        let here = self.path.strip_prefix(&format!("/{lang}")).unwrap_or(&self.path);
        items
            .into_iter()
            .map(|(href, label_id, prefixes)| NavLink {
                href,
                label_id,
                current: prefixes.iter().any(|p| here.starts_with(p)),
            })
            .collect()
    }

    /// The message `id` in the variant for whose data is shown (see [`Loc::tr`]).
    pub fn rt(&self, id: &str) -> String {
        self.l.tr(id, self.acting.as_ref().map(|a| a.voice)).into_owned()
    }

    pub fn accessibility_url(&self) -> String {
        format!("/{}/accessibility", self.lang.code())
    }

    pub fn privacy_url(&self) -> String {
        format!("/{}/privacy", self.lang.code())
    }

    pub fn help_url(&self) -> String {
        format!("/{}/help", self.lang.code())
    }

    pub fn feedback_url(&self) -> String {
        format!("/{}/feedback", self.lang.code())
    }

    pub fn sessions_url(&self) -> String {
        urls::sessions(self.lang)
    }

    pub fn session_status_url(&self) -> String {
        format!("/{}/session/status", self.lang.code())
    }

    pub fn keepalive_url(&self) -> String {
        format!("/{}/session/keepalive", self.lang.code())
    }
}

/// Whose data the pages show, in which role: the banner on every page of a signed-in person.
#[derive(Debug, Clone)]
pub struct ActingBanner {
    pub subject_name: String,
    pub role: crate::domain::roles::Role,
    /// Who reads whose data, for the texts' variants.
    pub voice: crate::web::i18n::Voice,
    /// Whether the actor can act for anyone else today (then the banner offers the switch).
    pub can_switch: bool,
    pub switch_url: String,
}

impl ActingBanner {
    pub fn is_own(&self) -> bool {
        self.role == crate::domain::roles::Role::Own
    }

    pub fn message_id(&self) -> String {
        format!("acting-banner-{}", self.role.code())
    }
}
