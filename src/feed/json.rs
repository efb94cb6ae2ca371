//! JSON text into `serde_json::Value`, noting every key given twice in one object (DESIGN §3: an
//! error, where `serde_json` alone would silently keep the last — a document could be moved to
//! another person that way). The paths are reported as `field` or `outer.field` or `list[2].field`.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Parses one line of JSON; the second value lists the paths of keys given twice.
pub fn parse_with_duplicates(text: &str) -> Result<(Value, Vec<String>), serde_json::Error> {
    let mut duplicates = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed { path: String::new(), duplicates: &mut duplicates }.deserialize(&mut de)?;
    de.end()?;
    Ok((value, duplicates))
}

struct Seed<'a> {
    path: String,
    duplicates: &'a mut Vec<String>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let path = format!("{}[{}]", self.path, out.len());
            match seq.next_element_seed(Seed { path, duplicates: &mut *self.duplicates })? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = if self.path.is_empty() { key.clone() } else { format!("{}.{key}", self.path) };
            let value = map.next_value_seed(Seed { path: path.clone(), duplicates: &mut *self.duplicates })?;
            if out.contains_key(&key) {
                self.duplicates.push(path);
            } else {
                out.insert(key, value);
            }
        }
        Ok(Value::Object(out))
    }
}

/// A control character (U+0000–U+001F, U+007F; tab and newline allowed where `multiline`) or a
/// bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069): what no text field may hold.
pub fn forbidden_char(text: &str, multiline: bool) -> Option<char> {
    text.chars().find(|&c| {
        let control = c <= '\u{1f}' || c == '\u{7f}';
        let allowed_control = multiline && (c == '\t' || c == '\n');
        (control && !allowed_control) || ('\u{202a}'..='\u{202e}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)
    })
}

/// Text made safe for a terminal or a log: control characters and bidirectional overrides are
/// written as `\u{…}` escapes.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if forbidden_char(c.encode_utf8(&mut [0; 4]), false).is_some() || ('\u{80}'..='\u{9f}').contains(&c) {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_given_twice_are_found_at_every_depth() {
        let (v, d) = parse_with_duplicates(r#"{"a":1,"b":{"c":2,"c":3},"l":[{"x":1,"x":2}],"a":4}"#).unwrap();
        assert_eq!(d, vec!["b.c", "l[0].x", "a"]);
        // The first value is kept, but the line is refused by the caller anyway.
        assert_eq!(v["a"], 1);
        let (_, d) = parse_with_duplicates(r#"{"a":1,"b":[1,2,{"a":1}]}"#).unwrap();
        assert!(d.is_empty());
        assert!(parse_with_duplicates(r#"{"a":1} x"#).is_err());
    }

    #[test]
    fn control_characters_and_bidi_overrides_are_forbidden() {
        assert_eq!(forbidden_char("plain ääkköset", false), None);
        assert_eq!(forbidden_char("a\u{0}b", false), Some('\u{0}'));
        assert_eq!(forbidden_char("a\nb", false), Some('\n'));
        assert_eq!(forbidden_char("a\nb\tc", true), None);
        assert_eq!(forbidden_char("a\rb", true), Some('\r'));
        assert_eq!(forbidden_char("x\u{7f}", true), Some('\u{7f}'));
        assert_eq!(forbidden_char("x\u{202e}y", true), Some('\u{202e}'));
        assert_eq!(forbidden_char("x\u{2067}y", false), Some('\u{2067}'));
        assert_eq!(escape_controls("a\u{1b}[31mb\u{202e}"), "a\\u{001b}[31mb\\u{202e}");
    }
}
