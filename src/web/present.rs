//! Presentation helpers that a page and the downloaded file both use: words and views built from
//! store rows for one language (a registrar's contact details, a document's paragraphs, a data-use
//! event's cells, whether a text is in another language than the page). No handler, no I/O; it
//! sits below both `web::pages` and `records::download`, so neither needs the other.

use std::collections::HashMap;

use crate::store::OrganisationContacts;
use crate::web::i18n::{Lang, Loc};

/// A registrar's contact details, ready to show: where to ask about a document or for a
/// correction (seed 000: errors are corrected where they were recorded).
pub struct ContactView {
    pub registrar: String,
    pub phone: Option<String>,
    pub phone_href: Option<String>,
    pub email: Option<String>,
    /// The address and telephone hours in the page's language when the registrar gives it, else in
    /// the other one (then marked with its language).
    pub address: Option<(String, Option<&'static str>)>,
    pub hours: Option<(String, Option<&'static str>)>,
    pub url: Option<String>,
    pub data_protection_email: Option<String>,
    pub data_protection_url: Option<String>,
}

impl ContactView {
    /// Whether the registrar gave any contact details at all.
    pub fn has_details(&self) -> bool {
        self.phone.is_some()
            || self.email.is_some()
            || self.address.is_some()
            || self.hours.is_some()
            || self.url.is_some()
    }

    pub fn has_data_protection(&self) -> bool {
        self.data_protection_email.is_some() || self.data_protection_url.is_some()
    }
}

/// A `tel:` link target: the digits and the leading `+` only.
pub fn tel_href(phone: &str) -> String {
    format!("tel:{}", phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>())
}

/// A registrar's two-language text in the page's language (Swedish on a Swedish page, Finnish
/// otherwise), falling back to the other language, which is then named for `lang`.
fn local_text(l: &Loc, t: &crate::domain::archive::LocalText) -> Option<(String, Option<&'static str>)> {
    let (first, second) =
        if l.lang == crate::web::i18n::Lang::Sv { (&t.sv, (&t.fi, "fi")) } else { (&t.fi, (&t.sv, "sv")) };
    let first_code = if l.lang == crate::web::i18n::Lang::Sv { "sv" } else { "fi" };
    let mark = |code: &'static str| (code != l.lang.code()).then_some(code);
    first.clone().map(|x| (x, mark(first_code))).or_else(|| second.0.clone().map(|x| (x, mark(second.1))))
}

/// The contact details of registrar `registrar_id`, named as the page names it.
pub fn contact_view(
    l: &Loc,
    contacts: &HashMap<i64, OrganisationContacts>,
    registrar_id: i64,
    name_fi: &str,
    name_sv: &str,
) -> ContactView {
    let c = contacts.get(&registrar_id);
    let contact = c.and_then(|c| c.contact.as_ref());
    let dp = c.and_then(|c| c.data_protection.as_ref());
    ContactView {
        registrar: l.lang.name_of(name_fi, name_sv),
        phone_href: contact.and_then(|c| c.phone.as_deref()).map(tel_href),
        phone: contact.and_then(|c| c.phone.clone()),
        email: contact.and_then(|c| c.email.clone()),
        address: contact.and_then(|c| c.address.as_ref()).and_then(|t| local_text(l, t)),
        hours: contact.and_then(|c| c.hours.as_ref()).and_then(|t| local_text(l, t)),
        url: contact.and_then(|c| c.url.clone()),
        data_protection_email: dp.and_then(|d| d.email.clone()),
        data_protection_url: dp.and_then(|d| d.url.clone()),
    }
}

/// Plain text into paragraphs: blank lines separate paragraphs, single line breaks are kept.
pub fn paragraphs(body: &str) -> Vec<Vec<String>> {
    let normalised = body.replace("\r\n", "\n");
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in normalised.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.trim_end().to_string());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A document's language code when it differs from the page's: the text is marked with `lang`
/// (WCAG 3.1.2). Document titles are in the language the document was written in.
pub fn other_language(page: Lang, document_language: &str) -> Option<&'static str> {
    crate::domain::catalogue::DocumentLanguage::from_code(document_language)
        .map(|d| d.code())
        .filter(|code| *code != page.code())
}

/// A text that may be in another language than the page (WCAG 3.1.2 Language of Parts): a
/// document's title, a registrar's text, a criterion's English name. The one place that marks
/// such text: every template shows it with `{{ x|safe }}` and the downloaded file writes it the
/// same way. `Display` escapes the text and wraps it in `<span lang="…">` only when its language
/// is not the page's, so that only the foreign words are marked, never the page's own around them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InLanguage {
    pub text: String,
    /// The text's language when it differs from the page's.
    pub lang: Option<&'static str>,
}

impl InLanguage {
    /// Text in the page's own language: nothing to mark.
    pub fn page(text: impl Into<String>) -> Self {
        Self { text: text.into(), lang: None }
    }

    /// Text in `text_language` (a code such as `"sv"`), marked when that is not the page's.
    pub fn of(page: Lang, text: impl Into<String>, text_language: &str) -> Self {
        Self { text: text.into(), lang: other_language(page, text_language) }
    }

    /// Text already judged foreign to the page (`lang` as [`other_language`] gives it).
    pub fn marked(text: impl Into<String>, lang: Option<&'static str>) -> Self {
        Self { text: text.into(), lang }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

impl std::fmt::Display for InLanguage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Ok(text) = askama::filters::escape(&self.text, askama::filters::Html);
        match self.lang {
            Some(lang) => write!(f, "<span lang=\"{lang}\">{text}</span>"),
            None => write!(f, "{text}"),
        }
    }
}

/// The message `id` cut where its argument `arg` goes (the other arguments filled in): the words
/// before and after, for a template that puts markup there (a link, a marked title).
pub fn split_message(
    l: &crate::web::i18n::Loc,
    id: &str,
    arg: &str,
    others: &[(&str, fluent_templates::fluent_bundle::FluentValue<'_>)],
) -> Option<(String, String)> {
    // A private-use character no message or value holds marks the place.
    const SLOT: &str = "\u{e000}";
    let mut args = others.to_vec();
    args.push((arg, SLOT.into()));
    let sentence = l.ta(id, &args);
    sentence.split_once(SLOT).map(|(before, after)| (before.to_string(), after.to_string()))
}

/// A sentence in the page's language around one part that may be in another ("Katseli asiakirjaa:
/// <span lang="sv">Beslut om …</span>"): only the part is marked. Shown with `{{ x|safe }}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Phrase(Vec<InLanguage>);

impl Phrase {
    /// A sentence wholly in the page's language.
    pub fn page(text: impl Into<String>) -> Self {
        Phrase(vec![InLanguage::page(text)])
    }

    /// The message `id` with `part` (a text, or a phrase of its own) in the place of its argument `arg`.
    pub fn around(l: &crate::web::i18n::Loc, id: &str, arg: &str, part: impl Into<Phrase>) -> Self {
        match split_message(l, id, arg, &[]) {
            Some((before, after)) => Phrase(
                std::iter::once(InLanguage::page(before))
                    .chain(part.into().0)
                    .chain(std::iter::once(InLanguage::page(after)))
                    .filter(|p| !p.is_empty())
                    .collect(),
            ),
            None => Phrase::page(l.ta(id, &[(arg, "".into())])),
        }
    }

    /// Parts side by side, each marked as it says.
    pub fn parts(parts: impl IntoIterator<Item = InLanguage>) -> Self {
        Phrase(parts.into_iter().filter(|p| !p.is_empty()).collect())
    }
}

impl From<InLanguage> for Phrase {
    fn from(part: InLanguage) -> Self {
        Phrase(vec![part])
    }
}

impl std::fmt::Display for Phrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|p| write!(f, "{p}"))
    }
}

/// One data-use event as a row of words: time, action, by whom, whose register, basis, document (the
/// title when the viewer may see it). The CSV and the "Lataa tiedot" file read events alike.
pub fn data_use_cells(l: &crate::web::i18n::Loc, r: &crate::store::DataUseRow, document: Option<&str>) -> [String; 6] {
    [
        l.time(&r.at),
        l.t(&format!("data-use-action-{}", r.action)).into_owned(),
        l.lang.name_of(&r.by_name_fi, &r.by_name_sv),
        l.lang.name_of(&r.registrar_name_fi, &r.registrar_name_sv),
        l.t(&format!("data-use-basis-{}", r.basis.replace('_', "-"))).into_owned(),
        document.unwrap_or_default().to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::Loc;

    #[test]
    fn only_foreign_text_is_marked_and_every_text_is_escaped() {
        let cases = [
            // page, text, its language, shown
            (Lang::Fi, "Päätös", "fi", "Päätös"),
            (
                Lang::Fi,
                "Beslut om <stöd> & \"hjälp\"",
                "sv",
                "<span lang=\"sv\">Beslut om &#60;stöd&#62; &#38; &#34;hjälp&#34;</span>",
            ),
            (Lang::Sv, "Päätös", "fi", "<span lang=\"fi\">Päätös</span>"),
            (Lang::En, "Päätös", "fi", "<span lang=\"fi\">Päätös</span>"),
            (Lang::Fi, "Unknown", "xx", "Unknown"),
        ];
        for (page, text, lang, shown) in cases {
            assert_eq!(InLanguage::of(page, text, lang).to_string(), shown, "{page:?} {text}");
        }
    }

    #[test]
    fn a_phrase_marks_the_title_and_not_the_words_around_it() {
        let l = Loc::new(Lang::Sv);
        let title = InLanguage::of(Lang::Sv, "Päätös <1>", "fi");
        let phrase = Phrase::around(&l, "acted-view-document", "title", title.clone());
        let shown = phrase.to_string();
        assert!(shown.ends_with("<span lang=\"fi\">Päätös &#60;1&#62;</span>"), "{shown}");
        assert!(!shown.starts_with("<span"), "the Swedish words are not marked: {shown}");
        // A phrase inside a phrase keeps its own marks.
        let target = Phrase::around(&l, "acted-target-document", "name", title);
        let outer = Phrase::around(&l, "acted-set-prohibition-target", "target", target).to_string();
        assert_eq!(outer.matches("<span lang=\"fi\">").count(), 1, "{outer}");
        assert!(!outer.contains('\u{e000}'), "{outer}");
    }
}
