//! Languages and translation. Finnish and Swedish are equal; English is the third language.
//! Every text a page shows comes from `locales/{fi,sv,en}/*.ftl` through [`Loc`].

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "fi",
        // Without this every argument is wrapped in invisible U+2068/U+2069 marks.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static FI: LanguageIdentifier = langid!("fi");
static SV: LanguageIdentifier = langid!("sv");
static EN: LanguageIdentifier = langid!("en");

/// A language of the user interface; the first path segment of every page URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Fi,
    Sv,
    En,
}

impl Lang {
    /// An organisation's name on a page in this language: organisations have a Finnish and a Swedish
    /// name; English pages show the Finnish one.
    pub fn name_of(self, fi: &str, sv: &str) -> String {
        if self == Lang::Sv { sv.to_string() } else { fi.to_string() }
    }

    pub const ALL: [Lang; 3] = [Lang::Fi, Lang::Sv, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language's name in itself, as the language switcher shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Fi => "Suomi",
            Lang::Sv => "Svenska",
            Lang::En => "English",
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Fi => &FI,
            Lang::Sv => &SV,
            Lang::En => &EN,
        }
    }

    /// The language of a request path (`/sv/...`), Finnish when the path has none.
    pub fn of_path(path: &str) -> Lang {
        path.trim_start_matches('/').split('/').next().and_then(Lang::from_code).unwrap_or(Lang::Fi)
    }

    /// The best language for an `Accept-Language` header; Finnish when nothing matches.
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::from_code(primary)
                && q > 0.0
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::Fi, |(_, l)| l)
    }
}

/// Messages without arguments, formatted once per language and kept for the life of the process:
/// fluent's lookup (language chain, bundle, pattern) cost more than the rest of a page's render. Only
/// ids that exist in the message files are kept, so this holds at most every message once. Each
/// thread reads its own copy ([`PLAIN_HERE`]) and comes here only for a message it has not used yet:
/// a lock shared by every worker thread, taken some forty times a page, kept its cache line
/// travelling between the cores.
static PLAIN: std::sync::LazyLock<[std::sync::Mutex<FxHashMap<&'static str, &'static str>>; 3]> =
    std::sync::LazyLock::new(Default::default);

/// Messages whose arguments are numbers, other messages' texts or values from a small set (a time of
/// day, a date), formatted once per language and kept: fluent's formatting with arguments was ≈ 7 %
/// of the service-task page's CPU (page numbers, counts, captions). Never a message with a name or
/// other free text in it. At most [`WITH_ARGUMENTS_MAX`] per language and thread; past that,
/// formatted each time.
const WITH_ARGUMENTS_MAX: usize = 4_096;

type FxHashMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

thread_local! {
    /// This thread's view of [`PLAIN`].
    static PLAIN_HERE: std::cell::RefCell<[FxHashMap<&'static str, &'static str>; 3]> = Default::default();
    /// Messages with arguments kept by this thread, by language and key (see `WITH_ARGUMENTS_MAX`).
    static WITH_ARGUMENTS: std::cell::RefCell<[FxHashMap<Box<str>, Box<str>>; 3]> = Default::default();
    /// The key of the message being looked up in [`WITH_ARGUMENTS`].
    static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Translates for one language. Templates call `t` and `ta`.
#[derive(Debug, Clone, Copy)]
pub struct Loc {
    pub lang: Lang,
}

impl Loc {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// The message `id`: borrowed from the kept texts, never copied for a page that only shows it.
    pub fn t(&self, id: &str) -> Cow<'static, str> {
        match self.plain(id) {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(LOCALES.lookup(self.lang.id(), id)), // the loader's own answer for a missing id; not kept
        }
    }

    /// The message `id` without arguments, if it exists: from this thread's copy, else from the
    /// process's, else formatted by fluent and kept in both (each id and text leaked once per
    /// process, so threads that come and go add nothing).
    fn plain(&self, id: &str) -> Option<&'static str> {
        let lang = self.lang as usize;
        if let Some(text) = PLAIN_HERE.with_borrow(|here| here[lang].get(id).copied()) {
            return Some(text);
        }
        let (id, text) = {
            let mut shared = PLAIN[lang].lock().unwrap_or_else(|e| e.into_inner());
            match shared.get_key_value(id) {
                Some((id, text)) => (*id, *text),
                None => {
                    let text: &'static str = Box::leak(LOCALES.try_lookup(self.lang.id(), id)?.into_boxed_str());
                    let id: &'static str = Box::leak(Box::<str>::from(id));
                    shared.insert(id, text);
                    (id, text)
                }
            }
        };
        PLAIN_HERE.with_borrow_mut(|here| here[lang].insert(id, text));
        Some(text)
    }

    /// The message `id` as it reads for who reads whose data ([`Voice`]): the most specific
    /// variant that exists (`{id}--guardian`, then `{id}--child`, then `{id}`). A text that speaks
    /// of "your data" must never address someone reading another person's, and one that says "you
    /// can" never someone who cannot.
    pub fn tr(&self, id: &str, voice: Option<Voice>) -> Cow<'static, str> {
        for variant in voice.map_or(&[][..], Voice::variants) {
            if let Some(text) = self.plain(&format!("{id}--{variant}")) {
                return Cow::Borrowed(text);
            }
        }
        self.t(id)
    }

    /// The message `id` with arguments. Formatted by fluent every time, except where every
    /// argument is a plain number (page numbers, counts): those are kept, see `WITH_ARGUMENTS_MAX`.
    pub fn ta(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let plain_number = |v: &FluentValue<'_>| matches!(v, FluentValue::Number(n) if n.options == Default::default());
        if !args.iter().all(|(_, v)| plain_number(v)) {
            return self.format(id, args);
        }
        let key = |key: &mut String| {
            key.push_str(id);
            for (name, value) in args {
                if let FluentValue::Number(n) = value {
                    key.push('\u{1f}');
                    key.push_str(name);
                    key.push('=');
                    let bits = n.value.to_bits();
                    key.extend(
                        (0..16).rev().map(|i| char::from(b"0123456789abcdef"[((bits >> (i * 4)) & 15) as usize])),
                    );
                }
            }
        };
        self.kept(key, || self.format(id, args))
    }

    /// The message `id` with one argument, `arg`, set to the text of the message `message` (a
    /// table's caption naming its group): kept, as its value is not data.
    pub fn ta_message(&self, id: &str, arg: &str, message: &str) -> String {
        self.kept(
            |key| key.extend([id, "\u{1f}", arg, "=@", message]),
            || self.format(id, &[(arg, self.t(message).into())]),
        )
    }

    /// The message `id` with one argument, `arg`, whose values come from a small set and name no
    /// one — a time of day ("your session ends at 14.05"), a date (when a client relationship
    /// began): kept, as the numbers are. Never for a name or other free text: use [`Loc::ta`].
    pub fn ta_kept(&self, id: &str, arg: &str, value: &str) -> String {
        self.kept(|key| key.extend([id, "\u{1f}", arg, "=\u{1e}", value]), || self.format(id, &[(arg, value.into())]))
    }

    fn format(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> =
            args.iter().map(|(k, v)| (Cow::Owned(k.to_string()), v.clone())).collect();
        LOCALES.lookup_with_args(self.lang.id(), id, &map)
    }

    /// The text this thread keeps under the key `key` writes (into a buffer of the thread's, not a
    /// new string each call), or `format`'s, kept while there is room.
    fn kept(&self, key: impl FnOnce(&mut String), format: impl FnOnce() -> String) -> String {
        let lang = self.lang as usize;
        KEY.with_borrow_mut(|buffer| {
            buffer.clear();
            key(buffer);
            if let Some(text) =
                WITH_ARGUMENTS.with_borrow(|kept| kept[lang].get(buffer.as_str()).map(|t| t.to_string()))
            {
                return text;
            }
            let text = format();
            WITH_ARGUMENTS.with_borrow_mut(|kept| {
                if kept[lang].len() < WITH_ARGUMENTS_MAX {
                    kept[lang].insert(buffer.as_str().into(), text.as_str().into());
                }
            });
            text
        })
    }

    /// A date as people write it: 4.3.2026 in Finnish and Swedish, 4 March 2026 in English.
    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        use chrono::Datelike;
        match self.lang {
            Lang::Fi | Lang::Sv => format!("{}.{}.{}", d.day(), d.month(), d.year()),
            Lang::En => d.format("%-d %B %Y").to_string(),
        }
    }

    /// An instant in Helsinki time: 4.3.2026 klo 14.05 / kl. 14.05 / 4 March 2026 at 14:05.
    pub fn time(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        let local = t.with_timezone(&chrono_tz::Europe::Helsinki);
        let date = self.date(&local.date_naive());
        match self.lang {
            Lang::Fi => format!("{date} klo {}", local.format("%H.%M")),
            Lang::Sv => format!("{date} kl. {}", local.format("%H.%M")),
            Lang::En => format!("{date} at {}", local.format("%H:%M")),
        }
    }
}

/// Forces the loader to parse every file: a syntax error panics here, at start-up, not at the first
/// page view.
/// The language of the request: the `{lang}` path segment.
impl actix_web::FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(lang_of(req)))
    }
}

/// The `{lang}` segment of the path, or the language the path starts with.
pub fn lang_of(req: &actix_web::HttpRequest) -> Lang {
    req.match_info().get("lang").and_then(Lang::from_code).unwrap_or_else(|| Lang::of_path(req.path()))
}

pub fn check_locales() {
    for lang in Lang::ALL {
        let _ = LOCALES.try_lookup(lang.id(), "site-name");
    }
}

/// Who reads whose data, for the variants of a text: one's own as an adult or as a minor (who
/// can change none of the choices), a child's as a guardian or as a person entitled to
/// information (who cannot either), an adult principal's as a representative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    Own,
    OwnMinor,
    Guardian,
    InformationRight,
    Mandate,
}

impl Voice {
    pub fn of(role: crate::domain::roles::Role, subject_is_adult: bool) -> Voice {
        use crate::domain::roles::Role;
        match role {
            Role::Own if subject_is_adult => Voice::Own,
            Role::Own => Voice::OwnMinor,
            Role::Guardian => Voice::Guardian,
            Role::InformationRight => Voice::InformationRight,
            Role::Mandate => Voice::Mandate,
        }
    }

    /// The message variants to try, most specific first.
    pub fn variants(self) -> &'static [&'static str] {
        match self {
            Voice::Own => &[],
            Voice::OwnMinor => &["own-minor"],
            Voice::Guardian => &["guardian", "child"],
            Voice::InformationRight => &["information-right", "child"],
            Voice::Mandate => &["principal"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn messages_with_numbers_or_message_texts_read_the_same_kept_as_formatted() {
        for lang in Lang::ALL {
            let l = Loc::new(lang);
            for (page, pages) in [(1, 1), (2, 5), (2, 50), (21, 21)] {
                let args = [("page", FluentValue::from(page)), ("pages", FluentValue::from(pages))];
                let fresh = l.format("pagination-page", &args);
                assert!(fresh.contains(&page.to_string()) && fresh.contains(&pages.to_string()), "{fresh}");
                assert_eq!(l.ta("pagination-page", &args), fresh, "first");
                assert_eq!(l.ta("pagination-page", &args), fresh, "kept");
            }
            // Another language's text is never served from this one's.
            assert_eq!(
                l.ta("records-attachment-count", &[("count", 3.into())]),
                l.format("records-attachment-count", &[("count", 3.into())])
            );
            for kind in ["decision", "client_plan"] {
                let message = format!("kind-plural-{kind}");
                let fresh = l.format("records-table-caption", &[("group", l.t(&message).into())]);
                assert!(fresh.contains(&*l.t(&message)), "{fresh}");
                assert_eq!(l.ta_message("records-table-caption", "group", &message), fresh);
                assert_eq!(l.ta_message("records-table-caption", "group", &message), fresh);
            }
        }
        // A text argument (a name) is formatted each time, never kept.
        let l = Loc::new(Lang::Fi);
        let _ = l.ta("records-notice-workers", &[("names", "Maija Meikäläinen".into())]);
        assert!(!WITH_ARGUMENTS.with_borrow(|kept| kept[Lang::Fi as usize].keys().any(|k| k.contains("Meikäläinen"))));
        // A time of day or a date is kept under its own value: two values, two texts.
        for lang in Lang::ALL {
            let l = Loc::new(lang);
            for _ in 0..2 {
                for time in ["9.05", "14.30"] {
                    let fresh = l.format("session-ends", &[("time", time.into())]);
                    assert!(fresh.contains(time), "{fresh}");
                    assert_eq!(l.ta_kept("session-ends", "time", time), fresh);
                }
                let date = "4.3.2026";
                assert_eq!(
                    l.ta_kept("records-relationship-started", "date", date),
                    l.format("records-relationship-started", &[("date", date.into())])
                );
            }
        }
        assert_ne!(
            Loc::new(Lang::Fi).ta_kept("session-ends", "time", "9.05"),
            Loc::new(Lang::Sv).ta_kept("session-ends", "time", "9.05")
        );
    }

    /// Message ids defined in one language's files.
    fn ids(lang: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for entry in std::fs::read_dir(format!("locales/{lang}")).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                if let Some((id, _)) = line.split_once(" =")
                    && !id.starts_with([' ', '#', '.', '*', '['])
                    && !id.is_empty()
                {
                    out.insert(id.trim().to_string());
                }
            }
        }
        out
    }

    #[test]
    fn kept_messages_are_the_loaders_own_in_each_language() {
        for lang in Lang::ALL {
            let l = Loc::new(lang);
            for id in ["site-name", "records-title", "sign-out", "no-such-message"] {
                let fresh = LOCALES.lookup(lang.id(), id);
                assert_eq!(l.t(id), fresh, "{id} in {}, first", lang.code());
                assert_eq!(l.t(id), fresh, "{id} in {}, kept", lang.code());
            }
        }
        assert_ne!(Loc::new(Lang::Fi).t("sign-out"), Loc::new(Lang::Sv).t("sign-out"));
        assert!(!PLAIN[Lang::Fi as usize].lock().unwrap().contains_key("no-such-message"), "missing ids are not kept");
        assert!(
            !PLAIN_HERE.with_borrow(|here| here[Lang::Fi as usize].contains_key("no-such-message")),
            "missing ids are not kept"
        );
        // Another thread reads the same texts (its own copy, filled from the process's).
        std::thread::spawn(|| {
            for lang in Lang::ALL {
                assert_eq!(Loc::new(lang).t("sign-out"), LOCALES.lookup(lang.id(), "sign-out"));
            }
        })
        .join()
        .unwrap();
    }

    #[test]
    fn every_message_exists_in_every_language() {
        let fi = ids("fi");
        assert!(fi.len() > 20, "found only {} ids", fi.len());
        for lang in ["sv", "en"] {
            let other = ids(lang);
            let missing: Vec<_> = fi.difference(&other).collect();
            let extra: Vec<_> = other.difference(&fi).collect();
            assert!(missing.is_empty(), "missing in {lang}: {missing:?}");
            assert!(extra.is_empty(), "only in {lang}, not in fi: {extra:?}");
        }
        // And the loader parses them all and resolves each one in each language, given a value
        // for every variable any message uses.
        check_locales();
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        for lang in ["fi", "sv", "en"] {
            for entry in std::fs::read_dir(format!("locales/{lang}")).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                for piece in text.split('$').skip(1) {
                    let var: String =
                        piece.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
                    args.insert(Cow::Owned(var), FluentValue::from(1));
                }
            }
        }
        for lang in Lang::ALL {
            for id in &fi {
                if !id.starts_with('-') {
                    assert!(LOCALES.try_lookup_with_args(lang.id(), id, &args).is_some(), "{id} in {}", lang.code());
                }
            }
        }
    }

    #[test]
    fn every_message_used_in_templates_and_code_exists_and_every_message_is_used() {
        let defined = ids("fi");
        let mut used = BTreeSet::new();
        let mut sources = Vec::new();
        // Every file below `templates/` and `src/`, however the rooms are arranged.
        let mut dirs = vec![std::path::PathBuf::from("templates"), std::path::PathBuf::from("src")];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else {
                    sources.push(std::fs::read_to_string(p).unwrap());
                }
            }
        }
        let all = sources.join("\n");
        for id in &defined {
            if all.contains(&format!("\"{id}\"")) {
                used.insert(id.clone());
            }
        }
        // Ids built from a code (`catalogue-task-{code}`) count as used through their prefix.
        let dynamic = [
            "task-",
            "kind-",
            "role-",
            "error-title-",
            "error-text-",
            "acting-banner-",
            "acted-",
            "data-use-action-",
            "data-use-basis-",
            "prohibition-type-",
            "choices-readonly-",
            "-success-",
            "sessions-ended-",
            "acting-for-as-",
            "data-use-from-hint",
            "data-use-to-hint",
            "accessibility-gap-",
            "download-role-",
        ];
        // A variant for whose data is shown (`id--child`, `id--principal`) is used where its base id
        // is read with `rt`; and only those have variants.
        let variant_used = |id: &str| {
            id.split_once("--").is_some_and(|(base, v)| {
                ["child", "principal", "guardian", "information-right", "own-minor"].contains(&v)
                    && all.contains(&format!("rt(\"{base}\")"))
            })
        };
        let unused: Vec<_> = defined
            .iter()
            .filter(|id| {
                !used.contains(*id)
                    && !id.starts_with('-')
                    && !dynamic.iter().any(|d| id.contains(d))
                    && !variant_used(id)
            })
            .collect();
        assert!(unused.is_empty(), "unused message ids: {unused:?}");
        // Every literal id passed to t()/ta() exists.
        for src in &sources {
            for marker in [".t(\"", ".ta(\"", ".rt(\"", ".ta_message(\"", ".ta_kept(\""] {
                for piece in src.split(marker).skip(1) {
                    let id = piece.split('"').next().unwrap();
                    assert!(defined.contains(id), "message id {id:?} is used but not defined");
                }
            }
        }
    }

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        let cases = [
            ("sv-FI,sv;q=0.9,fi;q=0.8", Lang::Sv),
            ("en-GB,en;q=0.9", Lang::En),
            ("de-DE,de;q=0.9", Lang::Fi),
            ("de,en;q=0.5,sv;q=0.7", Lang::Sv),
            ("", Lang::Fi),
            ("fi;q=0,sv;q=0.1", Lang::Sv),
        ];
        for (header, lang) in cases {
            assert_eq!(Lang::negotiate(header), lang, "{header}");
        }
    }

    #[test]
    fn dates_are_written_the_local_way() {
        let d: chrono::NaiveDate = "2026-03-04".parse().unwrap();
        assert_eq!(Loc::new(Lang::Fi).date(&d), "4.3.2026");
        assert_eq!(Loc::new(Lang::Sv).date(&d), "4.3.2026");
        assert_eq!(Loc::new(Lang::En).date(&d), "4 March 2026");
    }
}
