//! A small feed builder for tests: a valid base record of each type, changed with `.set(…)`, so a
//! test says only what differs (no find-and-replace on JSON text).

use serde_json::{Value, json};

pub const ORG: &str = "1.2.246.10.1";

/// One feed record.
#[derive(Clone)]
pub struct Rec(pub Value);

impl Rec {
    /// Sets (or with `Value::Null`, clears) a field; `a.b` reaches into a nested object.
    pub fn set(mut self, path: &str, value: impl Into<Value>) -> Self {
        let mut target = &mut self.0;
        let mut parts = path.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                target[part] = value.into();
                break;
            }
            if target.get(part).is_none_or(|v| !v.is_object()) {
                target[part] = json!({});
            }
            target = &mut target[part];
        }
        self
    }

    pub fn line(&self) -> String {
        self.0.to_string()
    }
}

pub fn organisation(oid: &str, name_fi: &str) -> Rec {
    Rec(json!({"type":"organisation","oid":oid,"name":{"fi":name_fi,"sv":format!("{name_fi} (sv)")}}))
}

pub fn person(hetu: &str, first: &str, last: &str) -> Rec {
    Rec(json!({"type":"person","hetu":hetu,"first_names":first,"last_name":last}))
}

pub fn guardianship(guardian: &str, child: &str) -> Rec {
    Rec(
        json!({"type":"guardianship","guardian":guardian,"child":child,"kind":"guardian","valid_from":"2015-07-22","valid_until":null}),
    )
}

/// A shown decision of `person` in `task`, made 2026-03-10 by the test registrar.
pub fn document(id: &str, person: &str, task: &str, title: &str) -> Rec {
    Rec(json!({
        "type":"document","id":id,"version":1,"person":person,"registrar":ORG,"service_task":task,
        "kind":"decision","phase":2,"status":"active","created_at":"2026-03-10T10:00:00+02:00","title":title,
        "language":"fi","author":"Kirjoittaja","unit":"Yksikkö","sections":[{"heading":"Päätös","body":"Teksti"}]
    }))
}

pub fn relationship(person: &str, registrar: &str, task: &str, worker: &str) -> Rec {
    Rec(json!({
        "type":"client_relationship","person":person,"registrar":registrar,"service_task":task,"started_on":"2026-03-04",
        "own_worker":{"name":worker,"title":"sosiaaliohjaaja"}
    }))
}

pub fn data_use(id: &str, person: &str, by: &str, registrar: &str) -> Rec {
    Rec(
        json!({"type":"data_use","id":id,"person":person,"at":"2026-06-01T10:00:00Z","action":"use","by":by,"registrar":registrar,"basis":"statutory"}),
    )
}

/// The lines of a feed.
pub fn lines(records: &[Rec]) -> String {
    records.iter().map(Rec::line).collect::<Vec<_>>().join("\n")
}
