//! The generic field reader of the feed parser: one JSON object's fields, each read as the type it
//! must be (text, date, time, code, identity code, nested object), with a `line N: field: message`
//! error recorded for each problem instead of stopping at the first.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use serde_json::{Map, Value};

use super::error::FeedError;
use super::json::forbidden_char;
use crate::domain::hetu::Hetu;

/// The longest text field accepted.
const MAX_TEXT: usize = 100_000;

/// Reads the fields of one JSON object, recording an error for each problem.
pub(super) struct Fields<'a> {
    pub(super) line: usize,
    pub(super) obj: &'a Map<String, Value>,
    pub(super) prefix: String,
    pub(super) errors: &'a mut Vec<FeedError>,
}

impl<'a> Fields<'a> {
    pub(super) fn name(&self, field: &str) -> String {
        if self.prefix.is_empty() { field.to_string() } else { format!("{}.{field}", self.prefix) }
    }

    pub(super) fn error(&mut self, field: &str, message: String) {
        let field = self.name(field);
        self.errors.push(FeedError { line: self.line, field, message });
    }

    /// Unknown fields are errors (`type` is allowed at the top level).
    pub(super) fn allow(&mut self, known: &[&str]) {
        let unknown: Vec<String> = self
            .obj
            .keys()
            .filter(|k| !(known.contains(&k.as_str()) || (self.prefix.is_empty() && *k == "type")))
            .cloned()
            .collect();
        for k in unknown {
            self.error(&k, "unknown field".into());
        }
    }

    /// The value, or `None` when absent or null.
    pub(super) fn get(&self, field: &str) -> Option<&'a Value> {
        self.obj.get(field).filter(|v| !v.is_null())
    }

    pub(super) fn required<T>(&mut self, field: &str, v: Option<T>) -> Option<T> {
        if v.is_none() && self.get(field).is_none() {
            self.error(field, "is required".into());
        }
        v
    }

    pub(super) fn opt_str(&mut self, field: &str) -> Option<String> {
        self.text(field, false)
    }

    /// A section body: plain text where tabs and line breaks are allowed.
    pub(super) fn body(&mut self, field: &str) -> Option<String> {
        let v = self.text(field, true);
        self.required(field, v)
    }

    pub(super) fn text(&mut self, field: &str, multiline: bool) -> Option<String> {
        match self.get(field)? {
            Value::String(s) if forbidden_char(s, multiline).is_some() => {
                let c = forbidden_char(s, multiline).expect("just found");
                let what = if c <= '\u{7f}' { "a control character" } else { "a bidirectional text override" };
                self.error(field, format!("contains {what} (U+{:04X}), which no text field may hold", c as u32));
                None
            }
            Value::String(s) if s.trim().is_empty() => {
                self.error(field, "must not be empty".into());
                None
            }
            Value::String(s) if s.len() > MAX_TEXT => {
                self.error(field, format!("is longer than {MAX_TEXT} bytes"));
                None
            }
            Value::String(s) => Some(s.clone()),
            _ => {
                self.error(field, "must be a string".into());
                None
            }
        }
    }

    /// An email address (`name@host.domain`, no spaces); an invalid one is an error and `None`.
    pub(super) fn opt_email(&mut self, field: &str) -> Option<String> {
        let e = self.opt_str(field)?;
        let ok = e.split_once('@').is_some_and(|(a, b)| {
            !a.is_empty()
                && b.contains('.')
                && !b.starts_with('.')
                && !b.ends_with('.')
                && !b.contains('@')
                && !e.contains(char::is_whitespace)
        });
        if !ok {
            self.error(field, "is not an email address".into());
            return None;
        }
        Some(e)
    }

    /// A telephone number in international form: `+`, the country code and the number, digits
    /// optionally grouped with single spaces (`+358 9 310 12345`).
    pub(super) fn opt_international_phone(&mut self, field: &str) -> Option<String> {
        let p = self.opt_str(field)?;
        let digits = p.chars().filter(char::is_ascii_digit).count();
        let ok = p.strip_prefix('+').is_some_and(|rest| {
            rest.starts_with(|c: char| c.is_ascii_digit())
                && !rest.ends_with(' ')
                && !rest.contains("  ")
                && rest.chars().all(|c| c.is_ascii_digit() || c == ' ')
        }) && (7..=15).contains(&digits);
        if !ok {
            self.error(field, "must be a telephone number in international form, e.g. +358 9 310 12345".into());
            return None;
        }
        Some(p)
    }

    /// An `https` address with a host and no spaces.
    pub(super) fn opt_https_url(&mut self, field: &str) -> Option<String> {
        let u = self.opt_str(field)?;
        let host = u.strip_prefix("https://").map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
        let ok = host.is_some_and(|h| {
            h.contains('.') && !h.contains('@') && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c))
        }) && !u.contains(char::is_whitespace)
            && !u.contains(['"', '<', '>']);
        if !ok {
            self.error(field, "must be an https address, e.g. https://www.example.fi/".into());
            return None;
        }
        Some(u)
    }

    pub(super) fn str(&mut self, field: &str) -> Option<String> {
        let v = self.opt_str(field);
        self.required(field, v)
    }

    pub(super) fn opt_bool(&mut self, field: &str) -> Option<bool> {
        match self.get(field)? {
            Value::Bool(b) => Some(*b),
            _ => {
                self.error(field, "must be true or false".into());
                None
            }
        }
    }

    pub(super) fn bool(&mut self, field: &str) -> Option<bool> {
        let v = self.opt_bool(field);
        self.required(field, v)
    }

    /// A boolean that defaults to false when absent or null.
    pub(super) fn flag(&mut self, field: &str) -> bool {
        self.opt_bool(field).unwrap_or(false)
    }

    pub(super) fn int(&mut self, field: &str, min: i64) -> Option<i32> {
        let v = match self.get(field) {
            None => None,
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) if i >= min && i <= i64::from(i32::MAX) => Some(i as i32),
                _ => {
                    self.error(field, format!("must be a whole number of at least {min}"));
                    None
                }
            },
            Some(_) => {
                self.error(field, "must be a number".into());
                None
            }
        };
        self.required(field, v)
    }

    pub(super) fn opt_date(&mut self, field: &str) -> Option<NaiveDate> {
        let s = match self.get(field)? {
            Value::String(s) => s,
            _ => {
                self.error(field, "must be a date string YYYY-MM-DD".into());
                return None;
            }
        };
        match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) if s.len() == 10 => Some(d),
            _ => {
                self.error(field, format!("\"{s}\" is not a valid date YYYY-MM-DD"));
                None
            }
        }
    }

    pub(super) fn date(&mut self, field: &str) -> Option<NaiveDate> {
        let v = self.opt_date(field);
        self.required(field, v)
    }

    pub(super) fn opt_time(&mut self, field: &str) -> Option<DateTime<Utc>> {
        let s = match self.get(field)? {
            Value::String(s) => s,
            _ => {
                self.error(field, "must be an RFC 3339 time string".into());
                return None;
            }
        };
        match DateTime::parse_from_rfc3339(s) {
            // Stored with whole seconds (see the migrations).
            Ok(t) => Some(t.with_timezone(&Utc).trunc_subsecs(0)),
            Err(_) => {
                self.error(field, format!("\"{s}\" is not a valid RFC 3339 time"));
                None
            }
        }
    }

    pub(super) fn time(&mut self, field: &str) -> Option<DateTime<Utc>> {
        let v = self.opt_time(field);
        self.required(field, v)
    }

    pub(super) fn opt_hetu(&mut self, field: &str) -> Option<Hetu> {
        let s = self.opt_str(field)?;
        match Hetu::parse(&s) {
            Ok(h) => Some(h),
            Err(e) => {
                // The code itself is not echoed: error output may end up in logs.
                self.error(field, format!("not a valid personal identity code: {e}"));
                None
            }
        }
    }

    pub(super) fn hetu(&mut self, field: &str) -> Option<Hetu> {
        let v = self.opt_hetu(field);
        self.required(field, v)
    }

    pub(super) fn opt_code<T>(&mut self, field: &str, from: fn(&str) -> Option<T>, codes: fn() -> String) -> Option<T> {
        let s = self.opt_str(field)?;
        let v = from(&s);
        if v.is_none() {
            self.error(field, format!("unknown code \"{s}\"; expected one of {}", codes()));
        }
        v
    }

    pub(super) fn code<T>(&mut self, field: &str, from: fn(&str) -> Option<T>, codes: fn() -> String) -> Option<T> {
        let v = self.opt_code(field, from, codes);
        self.required(field, v)
    }

    /// A nested object, read with the same rules; `None` when absent or null.
    pub(super) fn opt_object<T>(&mut self, field: &str, read: impl FnOnce(&mut Fields<'_>) -> Option<T>) -> Option<T> {
        let v = self.get(field)?;
        let Value::Object(obj) = v else {
            self.error(field, "must be an object".into());
            return None;
        };
        let mut inner = Fields { line: self.line, obj, prefix: self.name(field), errors: self.errors };
        read(&mut inner)
    }

    pub(super) fn period_order(
        &mut self,
        from: Option<NaiveDate>,
        until: Option<NaiveDate>,
        until_field: &str,
        from_field: &str,
    ) {
        if let (Some(f), Some(u)) = (from, until)
            && u < f
        {
            self.error(until_field, format!("is before {from_field}"));
        }
    }
}
