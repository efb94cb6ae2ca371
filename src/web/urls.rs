//! Every URL of the site, built in one place. No URL ever carries a personal identity code.

use super::i18n::Lang;

pub fn home(lang: Lang) -> String {
    format!("/{}/", lang.code())
}

pub fn sign_in(lang: Lang) -> String {
    format!("/{}/sign-in", lang.code())
}

/// A same-site path (`/…`, not `//…`, no backslash): anything else is dropped.
pub fn safe_return(path: Option<&str>) -> Option<String> {
    let p = path?;
    let ok = p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && !p.chars().any(char::is_control)
        && p.len() <= 512;
    ok.then(|| p.to_string())
}

/// Sign-in that comes back to `path` (a same-site path with its query) afterwards.
pub fn sign_in_returning(lang: Lang, path: &str) -> String {
    format!("/{}/sign-in?return={}", lang.code(), encode(path))
}

/// A request's path with its query string, as a return address.
pub fn path_and_query(path: &str, query: &str) -> String {
    if query.is_empty() { path.to_string() } else { format!("{path}?{query}") }
}

pub fn sign_out(lang: Lang) -> String {
    format!("/{}/sign-out", lang.code())
}

pub fn sessions(lang: Lang) -> String {
    format!("/{}/sessions", lang.code())
}

pub fn signed_out(lang: Lang) -> String {
    format!("/{}/signed-out", lang.code())
}

pub fn acting_for(lang: Lang) -> String {
    format!("/{}/acting-for", lang.code())
}

/// The e-Authorizations button's form (POST).
pub fn acting_for_valtuudet(lang: Lang) -> String {
    format!("/{}/acting-for/valtuudet", lang.code())
}

pub fn acted_for_me(lang: Lang) -> String {
    format!("/{}/acted-for-me", lang.code())
}

pub fn records(lang: Lang) -> String {
    format!("/{}/records", lang.code())
}

/// The same page in another language: the language segment swapped, the rest and the query kept.
pub fn in_language(path: &str, query: &str, lang: Lang) -> String {
    let trimmed = path.trim_start_matches('/');
    let rest = match trimmed.split_once('/') {
        Some((first, rest)) if Lang::from_code(first).is_some() => format!("/{rest}"),
        None if Lang::from_code(trimmed).is_some() => "/".to_string(),
        _ => "/".to_string(),
    };
    let q = if query.is_empty() { String::new() } else { format!("?{query}") };
    format!("/{}{rest}{q}", lang.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_language_keeps_the_page() {
        assert_eq!(in_language("/fi/records", "", Lang::Sv), "/sv/records");
        assert_eq!(in_language("/fi/", "", Lang::En), "/en/");
        assert_eq!(in_language("/fi", "", Lang::En), "/en/");
        assert_eq!(in_language("/sv/x/y", "page=2", Lang::Fi), "/fi/x/y?page=2");
        assert_eq!(in_language("/healthz", "", Lang::Fi), "/fi/");
    }
}

pub fn service_task(lang: Lang, task_code: &str) -> String {
    format!("/{}/records/{}", lang.code(), task_code)
}

/// A document by its stable archive id, percent-encoded so any id is one path segment.
pub fn document(lang: Lang, document_id: &str) -> String {
    let mut out = format!("/{}/documents/", lang.code());
    encode_into(&mut out, document_id);
    out
}

#[cfg(test)]
mod document_url_tests {
    use super::*;

    #[test]
    fn document_ids_are_one_encoded_segment() {
        assert_eq!(document(Lang::Fi, "1.2.246.10.1"), "/fi/documents/1.2.246.10.1");
        assert_eq!(document(Lang::Sv, "a/b c"), "/sv/documents/a%2Fb%20c");
        assert_eq!(encode("Ä?&=#\n~_-.z9"), "%C3%84%3F%26%3D%23%0A~_-.z9");
    }
}

/// A page of the disclosure choices area: `informing`, `consent`, `prohibitions`, `data-use`…
pub fn choice_page(lang: Lang, rest: &str) -> String {
    format!("/{}/{rest}", lang.code())
}

pub fn prohibition_revoke(lang: Lang, prohibition_id: &str) -> String {
    format!("/{}/prohibitions/{}/revoke", lang.code(), encode(prohibition_id))
}

/// Percent-encodes everything but unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    encode_into(&mut out, s);
    out
}

/// [`encode`], appended to `out` (on every row of a page: no allocation per escaped byte).
fn encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.extend(['%', char::from(HEX[usize::from(b >> 4)]), char::from(HEX[usize::from(b & 15)])]);
        }
    }
}
