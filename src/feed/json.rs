//! JSON text into `serde_json::Value`, noting every key given twice in one object (DESIGN §3: an
//! error, where `serde_json` alone would silently keep the last — a document could be moved to
//! another person that way). The paths are reported as `field` or `outer.field` or `list[2].field`.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

pub use crate::domain::text::{escape_controls, forbidden_char};

/// Parses one line of JSON; the second value lists the paths of keys given twice.
pub fn parse_with_duplicates(text: &str) -> Result<(Value, Vec<String>), serde_json::Error> {
    let mut duplicates = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed { path: String::new(), duplicates: &mut duplicates }.deserialize(&mut de)?;
    de.end()?;
    Ok((value, duplicates))
}

/// JSON from an external service (e-Authorizations, the OpenID provider), read strictly: a key
/// given twice anywhere is no answer at all (`{"result":"DISALLOWED","result":"ALLOWED"}` would
/// otherwise read as its last value). `None` for that, for malformed JSON and for text that is
/// not UTF-8.
pub fn parse_strict(bytes: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(bytes).ok()?;
    match parse_with_duplicates(text) {
        Ok((value, duplicates)) if duplicates.is_empty() => Some(value),
        _ => None,
    }
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
        assert!(parse_strict(br#"{"result":"DISALLOWED","result":"ALLOWED"}"#).is_none());
        assert!(parse_strict(br#"[{"personId":"x","personId":"y"}]"#).is_none());
        assert!(parse_strict(b"{\"a\":\"\xff\"}").is_none());
        assert_eq!(parse_strict(br#"{"result":"ALLOWED"}"#), Some(serde_json::json!({"result":"ALLOWED"})));
        assert!(d.is_empty());
        assert!(parse_with_duplicates(r#"{"a":1} x"#).is_err());
    }
}
