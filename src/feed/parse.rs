//! Parsing and checking the archive feed, line by line, with no database access. Kept whole: one
//! checker per record type of the feed contract (DESIGN §3), each a screenful of field rules that
//! share this file's helpers; split by type they would only repeat them.
//!
//! Every error is collected (not only the first) as `line N: field: message`. The importer runs one
//! parser per batch of lines; references and duplicate keys the batch itself does not settle are
//! returned as [`PendingRef`]s (and keys) for the importer to settle against what earlier batches
//! left in the transaction and the database.
//!
//! Long on purpose: one reader per record type, side by side, each listing its fields as DESIGN §3
//! does; about a third is the table of parse tests.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::fields::Fields;
use super::json::parse_with_duplicates;
use crate::domain::archive::*;
use crate::domain::catalogue::{
    ChoiceRole, DataUseAction, DataUseBasis, DocumentKind, DocumentLanguage, DocumentStatus, GuardianshipKind, Service,
    ServiceTask,
};
use crate::domain::hetu::Hetu;

pub use super::error::FeedError;

/// A reference the file itself does not define; the database must.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingRef {
    pub line: usize,
    pub field: String,
    pub target: RefTarget,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RefTarget {
    Person(Hetu),
    Organisation(String),
    /// A document that must exist and belong to `person`.
    Document {
        id: String,
        person: Hetu,
    },
    /// An attachment's parent: when it exists it must belong to `person`; a missing parent is
    /// allowed (the attachment is then never shown, DESIGN §2.2).
    AttachmentParent {
        id: String,
        person: Hetu,
    },
    /// A new version of a document: if the id exists, it must belong to `person`.
    DocumentOwner {
        id: String,
        person: Hetu,
    },
}

/// The result of parsing a whole file.
#[derive(Debug, Default)]
pub struct Parsed {
    pub records: Vec<(usize, Record)>,
    pub errors: Vec<FeedError>,
    pub pending: Vec<PendingRef>,
}

/// Parser state: what earlier lines defined, for references and duplicates.
#[derive(Default)]
pub struct FeedParser {
    parsed: Parsed,
    organisations: HashSet<String>,
    persons: HashSet<Hetu>,
    documents: HashMap<String, Hetu>,
    keys: HashSet<(&'static str, String)>,
}

impl FeedParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses one line (numbered from 1). Blank lines are allowed and skipped.
    pub fn line(&mut self, line_no: usize, text: &str) {
        // Windows line ends and a byte-order mark at the start of the file are tolerated.
        let text = text.trim_end_matches(['\r', '\n']);
        let text = if line_no == 1 { text.trim_start_matches('\u{feff}') } else { text };
        if text.trim().is_empty() {
            return;
        }
        let value: Value = match parse_with_duplicates(text) {
            Ok((v, duplicates)) if duplicates.is_empty() => v,
            Ok((_, duplicates)) => {
                for field in duplicates {
                    self.error(line_no, &field, "given twice".into());
                }
                return;
            }
            Err(e) => {
                self.error(line_no, "-", format!("not valid JSON: {e}"));
                return;
            }
        };
        let Value::Object(obj) = value else {
            self.error(line_no, "-", "a line must be one JSON object".into());
            return;
        };
        let before = self.parsed.errors.len();
        let record = {
            let mut f = Fields { line: line_no, obj: &obj, prefix: String::new(), errors: &mut self.parsed.errors };
            match obj.get("type") {
                Some(Value::String(t)) => match t.as_str() {
                    "organisation" => organisation(&mut f),
                    "person" => person(&mut f),
                    "guardianship" => guardianship(&mut f),
                    "mandate" => mandate(&mut f),
                    "client_relationship" => client_relationship(&mut f),
                    "visibility_start" => visibility_start(&mut f),
                    "document" => document(&mut f),
                    "data_use" => data_use(&mut f),
                    "consent" => consent(&mut f),
                    "prohibition" => prohibition(&mut f),
                    other => {
                        f.error(
                            "type",
                            format!("unknown record type \"{other}\"; expected one of {}", Record::TYPES.join(", ")),
                        );
                        None
                    }
                },
                Some(_) => {
                    f.error("type", "must be a string".into());
                    None
                }
                None => {
                    f.error("type", "is required".into());
                    None
                }
            }
        };
        if self.parsed.errors.len() > before {
            return;
        }
        if let Some(record) = record {
            self.check_and_keep(line_no, record);
        }
    }

    /// Duplicate keys and references, then keeps the record.
    fn check_and_keep(&mut self, line: usize, record: Record) {
        let (kind, key) = record_key(&record);
        if !self.keys.insert((kind, key)) {
            self.error(line, duplicate_field(&record), duplicate_message(&record));
            return;
        }
        match &record {
            Record::Organisation(r) => {
                self.organisations.insert(r.oid.clone());
            }
            Record::Person(r) => {
                self.persons.insert(r.hetu.clone());
            }
            Record::Guardianship(r) => {
                self.person_ref(line, "guardian", &r.guardian);
                self.person_ref(line, "child", &r.child);
            }
            Record::Mandate(r) => {
                self.person_ref(line, "principal", &r.principal);
                self.person_ref(line, "agent", &r.agent);
            }
            Record::ClientRelationship(r) => {
                self.person_ref(line, "person", &r.person);
                self.org_ref(line, "registrar", &r.registrar);
            }
            Record::VisibilityStart(r) => self.org_ref(line, "registrar", &r.registrar),
            Record::Document(r) => {
                self.person_ref(line, "person", &r.person);
                self.org_ref(line, "registrar", &r.registrar);
                match self.documents.get(&r.id) {
                    Some(owner) if *owner != r.person => {
                        self.error(
                            line,
                            "person",
                            "differs from the person of an earlier version of this document".into(),
                        );
                    }
                    Some(_) => {}
                    None => {
                        self.parsed.pending.push(PendingRef {
                            line,
                            field: "person".into(),
                            target: RefTarget::DocumentOwner { id: r.id.clone(), person: r.person.clone() },
                        });
                        self.documents.insert(r.id.clone(), r.person.clone());
                    }
                }
                if let Some(parent) = &r.attachment_of {
                    match self.documents.get(parent) {
                        Some(owner) if *owner != r.person => {
                            self.error(line, "attachment_of", "the document belongs to another person".into());
                        }
                        Some(_) => {}
                        None => self.parsed.pending.push(PendingRef {
                            line,
                            field: "attachment_of".into(),
                            target: RefTarget::AttachmentParent { id: parent.clone(), person: r.person.clone() },
                        }),
                    }
                }
            }
            Record::DataUse(r) => {
                self.person_ref(line, "person", &r.person);
                self.org_ref(line, "by", &r.by);
                self.org_ref(line, "registrar", &r.registrar);
                if let Some(doc) = &r.document {
                    self.document_ref(line, "document", doc, &r.person);
                }
            }
            Record::Consent(r) => {
                self.person_ref(line, "person", &r.person);
                if let Some(s) = &r.set_by {
                    self.person_ref(line, "set_by.hetu", &s.hetu);
                }
            }
            Record::Prohibition(r) => {
                self.person_ref(line, "person", &r.person);
                if let Some(s) = &r.set_by {
                    self.person_ref(line, "set_by.hetu", &s.hetu);
                }
                match &r.target {
                    ProhibitionTarget::Registrar(oid) => self.org_ref(line, "target.registrar", oid),
                    ProhibitionTarget::Document(id) => self.document_ref(line, "target.document", id, &r.person),
                    ProhibitionTarget::ServiceTask(_) => {}
                }
            }
        }
        self.parsed.records.push((line, record));
    }

    fn person_ref(&mut self, line: usize, field: &str, hetu: &Hetu) {
        if !self.persons.contains(hetu) {
            self.parsed.pending.push(PendingRef { line, field: field.into(), target: RefTarget::Person(hetu.clone()) });
        }
    }

    fn org_ref(&mut self, line: usize, field: &str, oid: &str) {
        if !self.organisations.contains(oid) {
            self.parsed.pending.push(PendingRef {
                line,
                field: field.into(),
                target: RefTarget::Organisation(oid.into()),
            });
        }
    }

    fn document_ref(&mut self, line: usize, field: &str, id: &str, person: &Hetu) {
        match self.documents.get(id) {
            Some(owner) if owner == person => {}
            Some(_) => self.error(line, field, "the document belongs to another person".into()),
            None => self.parsed.pending.push(PendingRef {
                line,
                field: field.into(),
                target: RefTarget::Document { id: id.into(), person: person.clone() },
            }),
        }
    }

    /// A line that is not UTF-8 is an error of that line; the rest of the file is still checked.
    pub fn not_utf8(&mut self, line: usize) {
        self.error(line, "-", "not valid UTF-8".into());
    }

    /// A line longer than the bound, refused unread.
    pub fn too_long(&mut self, line: usize, max_bytes: usize) {
        self.error(line, "-", format!("the line is longer than {max_bytes} bytes (import.max_line_bytes)"));
    }

    fn error(&mut self, line: usize, field: &str, message: String) {
        self.parsed.errors.push(FeedError { line, field: field.into(), message });
    }

    pub fn finish(self) -> Parsed {
        self.parsed
    }
}

/// A record's type and key (DESIGN §3): two records with the same pair in one file are duplicates.
pub fn record_key(record: &Record) -> (&'static str, String) {
    let key = match record {
        Record::Organisation(r) => r.oid.clone(),
        Record::Person(r) => r.hetu.as_str().to_string(),
        Record::Guardianship(r) => format!("{}|{}|{}", r.guardian.as_str(), r.child.as_str(), r.kind.code()),
        Record::Mandate(r) => format!("{}|{}|{}", r.principal.as_str(), r.agent.as_str(), r.valid_from),
        Record::ClientRelationship(r) => {
            format!("{}|{}|{}|{}", r.person.as_str(), r.registrar, r.service_task.code(), r.started_on)
        }
        Record::VisibilityStart(r) => format!("{}|{}", r.registrar, r.service_task.map_or("", |t| t.code())),
        Record::Document(r) => format!("{}|{}", r.id, r.version),
        Record::DataUse(r) => r.id.clone(),
        Record::Consent(r) => format!("{}|{}", r.person.as_str(), r.at.to_rfc3339()),
        Record::Prohibition(r) => r.id.clone(),
    };
    (record.type_name(), key)
}

/// The field a duplicate is reported on.
pub fn duplicate_field(record: &Record) -> &'static str {
    match record {
        Record::Organisation(_) => "oid",
        Record::Person(_) => "hetu",
        Record::DataUse(_) | Record::Prohibition(_) | Record::Document(_) => "id",
        Record::Consent(_) => "at",
        Record::Mandate(_) => "valid_from",
        Record::ClientRelationship(_) => "started_on",
        Record::VisibilityStart(_) => "service_task",
        Record::Guardianship(_) => "kind",
    }
}

pub fn duplicate_message(record: &Record) -> String {
    format!("duplicate {} record: the same key appears earlier in the file", record.type_name())
}

fn organisation(f: &mut Fields) -> Option<Record> {
    f.allow(&["oid", "name", "joined_kanta_on", "contact", "data_protection_contact"]);
    let oid = f.str("oid");
    if let Some(o) = &oid {
        let ok = o.split('.').all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
        if !ok {
            f.error("oid", "must be an OID: digits separated by dots".into());
        }
    }
    let name = f.opt_object("name", |n| {
        n.allow(&["fi", "sv"]);
        let fi = n.str("fi");
        let sv = n.str("sv");
        Some((fi?, sv?))
    });
    let joined_kanta_on = f.opt_date("joined_kanta_on");
    let local = |t: &mut Fields<'_>| {
        t.allow(&["fi", "sv"]);
        Some(LocalText { fi: t.opt_str("fi"), sv: t.opt_str("sv") }).filter(|x| !x.is_empty())
    };
    // Every field optional; an invalid one is an error, not dropped.
    let contact = f.opt_object("contact", |c| {
        c.allow(&["phone", "email", "address", "url", "hours"]);
        let phone = c.opt_international_phone("phone");
        let email = c.opt_email("email");
        let address = c.opt_object("address", local);
        let url = c.opt_https_url("url");
        let hours = c.opt_object("hours", local);
        Some(Contact { phone, email, address, url, hours }).filter(|x| !x.is_empty())
    });
    let data_protection_contact = f.opt_object("data_protection_contact", |c| {
        c.allow(&["email", "url"]);
        let email = c.opt_email("email");
        let url = c.opt_https_url("url");
        Some(DataProtectionContact { email, url }).filter(|x| !x.is_empty())
    });
    let (name_fi, name_sv) = f.required("name", name)?;
    Some(Record::Organisation(Organisation {
        oid: oid?,
        name_fi,
        name_sv,
        joined_kanta_on,
        contact,
        data_protection_contact,
    }))
}

fn person(f: &mut Fields) -> Option<Record> {
    f.allow(&["hetu", "first_names", "last_name", "non_disclosure", "taken_into_care", "informed_on"]);
    let hetu = f.hetu("hetu");
    let first_names = f.str("first_names");
    let last_name = f.str("last_name");
    let non_disclosure = f.flag("non_disclosure");
    let taken_into_care = f.flag("taken_into_care");
    let informed_on = f.opt_date("informed_on");
    Some(Record::Person(Person {
        hetu: hetu?,
        first_names: first_names?,
        last_name: last_name?,
        non_disclosure,
        taken_into_care,
        informed_on,
    }))
}

fn guardianship(f: &mut Fields) -> Option<Record> {
    f.allow(&["guardian", "child", "kind", "valid_from", "valid_until"]);
    let guardian = f.hetu("guardian");
    let child = f.hetu("child");
    let kind = f.code("kind", GuardianshipKind::from_code, GuardianshipKind::codes);
    let valid_from = f.date("valid_from");
    let valid_until = f.opt_date("valid_until");
    f.period_order(valid_from, valid_until, "valid_until", "valid_from");
    if guardian.is_some() && guardian == child {
        f.error("child", "is the same person as the guardian".into());
    }
    Some(Record::Guardianship(Guardianship {
        guardian: guardian?,
        child: child?,
        kind: kind?,
        valid_from: valid_from?,
        valid_until,
    }))
}

fn mandate(f: &mut Fields) -> Option<Record> {
    f.allow(&["principal", "agent", "valid_from", "valid_until"]);
    let principal = f.hetu("principal");
    let agent = f.hetu("agent");
    let valid_from = f.date("valid_from");
    let valid_until = f.opt_date("valid_until");
    f.period_order(valid_from, valid_until, "valid_until", "valid_from");
    if principal.is_some() && principal == agent {
        f.error("agent", "is the same person as the principal".into());
    }
    Some(Record::Mandate(Mandate { principal: principal?, agent: agent?, valid_from: valid_from?, valid_until }))
}

fn client_relationship(f: &mut Fields) -> Option<Record> {
    f.allow(&[
        "person",
        "registrar",
        "service_task",
        "started_on",
        "ended_on",
        "service",
        "hidden_from_guardians",
        "own_worker",
    ]);
    let person = f.hetu("person");
    let registrar = f.str("registrar");
    let service_task = f.code("service_task", ServiceTask::from_code, ServiceTask::codes);
    let started_on = f.date("started_on");
    let ended_on = f.opt_date("ended_on");
    f.period_order(started_on, ended_on, "ended_on", "started_on");
    let service = f.opt_code("service", Service::from_code, Service::codes);
    let hidden_from_guardians = f.flag("hidden_from_guardians");
    let own_worker = f.opt_object("own_worker", |w| {
        w.allow(&["name", "title", "unit", "phone", "email"]);
        let name = w.str("name");
        let title = w.opt_str("title");
        let unit = w.opt_str("unit");
        let phone = w.opt_str("phone");
        if let Some(p) = &phone
            && !p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
        {
            w.error("phone", "may contain only digits, spaces, +, - and parentheses".into());
        }
        let email = w.opt_email("email");
        Some(OwnWorker { name: name?, title, unit, phone, email })
    });
    Some(Record::ClientRelationship(ClientRelationship {
        person: person?,
        registrar: registrar?,
        service_task: service_task?,
        started_on: started_on?,
        ended_on,
        service,
        hidden_from_guardians,
        own_worker,
    }))
}

fn visibility_start(f: &mut Fields) -> Option<Record> {
    f.allow(&["registrar", "service_task", "from"]);
    let registrar = f.str("registrar");
    let service_task = f.opt_code("service_task", ServiceTask::from_code, ServiceTask::codes);
    let from = f.date("from");
    Some(Record::VisibilityStart(VisibilityStart { registrar: registrar?, service_task, from: from? }))
}

fn document(f: &mut Fields) -> Option<Record> {
    f.allow(&[
        "id",
        "version",
        "person",
        "registrar",
        "service_task",
        "service",
        "kind",
        "phase",
        "status",
        "joint_matter",
        "created_at",
        "title",
        "language",
        "author",
        "unit",
        "sections",
        "restrictions",
        "attachment_of",
    ]);
    let id = f.str("id");
    let version = f.int("version", 1);
    let person = f.hetu("person");
    let registrar = f.str("registrar");
    let service_task = f.code("service_task", ServiceTask::from_code, ServiceTask::codes);
    let service = f.opt_code("service", Service::from_code, Service::codes);
    let kind = f.code("kind", DocumentKind::from_code, DocumentKind::codes);
    let phase = f.int("phase", 0);
    let status = f.code("status", DocumentStatus::from_code, DocumentStatus::codes);
    let joint_matter = f.flag("joint_matter");
    let created_at = f.time("created_at");
    let title = f.str("title");
    let language = f.code("language", DocumentLanguage::from_code, DocumentLanguage::codes);
    let author = f.str("author");
    let unit = f.str("unit");
    let sections = match f.get("sections") {
        None => Some(Vec::new()),
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let field = format!("sections[{i}]");
                let Value::Object(obj) = item else {
                    f.error(&field, "must be an object with heading and body".into());
                    continue;
                };
                let mut s = Fields { line: f.line, obj, prefix: f.name(&field), errors: f.errors };
                s.allow(&["heading", "body"]);
                let heading = s.str("heading");
                let body = s.body("body");
                if let (Some(heading), Some(body)) = (heading, body) {
                    out.push(Section { heading, body });
                }
            }
            Some(out)
        }
        Some(_) => {
            f.error("sections", "must be a list".into());
            None
        }
    };
    let restrictions = f
        .opt_object("restrictions", |r| {
            r.allow(&["delayed_until", "special_content", "hidden_from_guardians"]);
            Some((r.opt_date("delayed_until"), r.flag("special_content"), r.flag("hidden_from_guardians")))
        })
        .unwrap_or((None, false, false));
    let attachment_of = f.opt_str("attachment_of");
    if attachment_of.is_some() && attachment_of == id {
        f.error("attachment_of", "names the document itself".into());
    }
    Some(Record::Document(Document {
        id: id?,
        version: version?,
        person: person?,
        registrar: registrar?,
        service_task: service_task?,
        service,
        kind: kind?,
        phase: phase?,
        status: status?,
        joint_matter,
        created_at: created_at?,
        title: title?,
        language: language?,
        author: author?,
        unit: unit?,
        sections: sections?,
        delayed_until: restrictions.0,
        special_content: restrictions.1,
        hidden_from_guardians: restrictions.2,
        attachment_of,
    }))
}

fn data_use(f: &mut Fields) -> Option<Record> {
    f.allow(&["id", "person", "at", "action", "by", "registrar", "document", "service", "basis"]);
    let id = f.str("id");
    let person = f.hetu("person");
    let at = f.time("at");
    let action = f.code("action", DataUseAction::from_code, DataUseAction::codes);
    let by = f.str("by");
    let registrar = f.str("registrar");
    let document = f.opt_str("document");
    let service = f.opt_code("service", Service::from_code, Service::codes);
    let basis = f.code("basis", DataUseBasis::from_code, DataUseBasis::codes);
    Some(Record::DataUse(DataUse {
        id: id?,
        person: person?,
        at: at?,
        action: action?,
        by: by?,
        registrar: registrar?,
        document,
        service,
        basis: basis?,
    }))
}

fn set_by(f: &mut Fields) -> Option<SetBy> {
    f.opt_object("set_by", |s| {
        s.allow(&["hetu", "role"]);
        let hetu = s.hetu("hetu");
        let role = s.code("role", ChoiceRole::from_code, ChoiceRole::codes);
        Some(SetBy { hetu: hetu?, role: role? })
    })
}

fn consent(f: &mut Fields) -> Option<Record> {
    f.allow(&["person", "given", "at", "set_by"]);
    let person = f.hetu("person");
    let given = f.bool("given");
    let at = f.time("at");
    let set_by = set_by(f);
    Some(Record::Consent(Consent { person: person?, given: given?, at: at?, set_by }))
}

fn prohibition(f: &mut Fields) -> Option<Record> {
    f.allow(&["id", "person", "target", "set_at", "revoked_at", "set_by"]);
    let id = f.str("id");
    let person = f.hetu("person");
    let target = f.opt_object("target", |t| {
        t.allow(&["registrar", "service_task", "document"]);
        let present = ["registrar", "service_task", "document"].iter().filter(|k| t.get(k).is_some()).count();
        if present != 1 {
            t.error("-", "must name exactly one of registrar, service_task, document".into());
            return None;
        }
        if t.get("registrar").is_some() {
            t.str("registrar").map(ProhibitionTarget::Registrar)
        } else if t.get("service_task").is_some() {
            t.code("service_task", ServiceTask::from_code, ServiceTask::codes).map(ProhibitionTarget::ServiceTask)
        } else {
            t.str("document").map(ProhibitionTarget::Document)
        }
    });
    let target = f.required("target", target);
    let set_at = f.time("set_at");
    let revoked_at = f.opt_time("revoked_at");
    if let (Some(s), Some(r)) = (set_at, revoked_at)
        && r < s
    {
        f.error("revoked_at", "is before set_at".into());
    }
    let set_by = set_by(f);
    Some(Record::Prohibition(Prohibition {
        id: id?,
        person: person?,
        target: target?,
        set_at: set_at?,
        revoked_at,
        set_by,
    }))
}

/// Parses a whole text (for tests and small inputs).
pub fn parse_str(text: &str) -> Parsed {
    let mut p = FeedParser::new();
    for (i, line) in text.lines().enumerate() {
        p.line(i + 1, line);
    }
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = r#"{"type":"organisation","oid":"1.2.246.10.1","name":{"fi":"Testin hyvinvointialue","sv":"Testens välfärdsområde"}}"#;
    const PERSON: &str = r#"{"type":"person","hetu":"131052-308T","first_names":"Aino","last_name":"Virtanen","non_disclosure":false,"taken_into_care":false,"informed_on":null}"#;

    fn messages(text: &str) -> Vec<String> {
        parse_str(text).errors.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn a_valid_small_feed_parses_without_errors_or_pending_references() {
        let doc = r#"{"type":"document","id":"D1","version":1,"person":"131052-308T","registrar":"1.2.246.10.1","service_task":"older_people","kind":"decision","phase":2,"status":"active","created_at":"2026-03-04T10:00:00+02:00","title":"Päätös","language":"fi","author":"A","unit":"U","sections":[{"heading":"H","body":"B"}]}"#;
        let p = parse_str(&[ORG, PERSON, doc].join("\n"));
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.records.len(), 3);
        // Only the document-owner check for a new document id goes to the database.
        assert_eq!(p.pending.len(), 1);
    }

    #[test]
    fn each_problem_is_reported_with_its_line_and_field() {
        let text = [
            ORG,
            r#"{"type":"person","hetu":"131052-308U","first_names":"","last_name":"V","colour":"red"}"#,
            r#"not json"#,
            r#"{"type":"spaceship"}"#,
            r#"{"type":"guardianship","guardian":"131052-308T","child":"131052-308T","kind":"aunt","valid_from":"2026-02-30"}"#,
            ORG,
        ]
        .join("\n");
        let got = messages(&text);
        let expect = [
            "line 2: colour: unknown field",
            "line 2: hetu: not a valid personal identity code: the check character does not match",
            "line 2: first_names: must not be empty",
            "line 3: -: not valid JSON",
            "line 4: type: unknown record type \"spaceship\"",
            "line 5: kind: unknown code \"aunt\"",
            "line 5: valid_from: \"2026-02-30\" is not a valid date YYYY-MM-DD",
            "line 5: child: is the same person as the guardian",
            "line 6: oid: duplicate organisation record",
        ];
        for e in expect {
            assert!(got.iter().any(|g| g.starts_with(e)), "missing {e:?} in {got:#?}");
        }
        assert_eq!(got.len(), expect.len(), "{got:#?}");
    }

    #[test]
    fn references_not_defined_earlier_are_pending_for_the_database() {
        let text = r#"{"type":"mandate","principal":"131052-308T","agent":"010594Y9032","valid_from":"2026-01-01","valid_until":"2025-01-01"}"#;
        let p = parse_str(text);
        assert_eq!(
            p.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            vec!["line 1: valid_until: is before valid_from"]
        );
        let p = parse_str(&text.replace("2025-01-01", "2027-01-01"));
        assert_eq!(p.pending.len(), 2);
    }

    #[test]
    fn a_byte_order_mark_and_windows_line_ends_are_tolerated() {
        let p = parse_str(&format!("\u{feff}{ORG}\r\n{PERSON}\r\n"));
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.records.len(), 2);
    }

    #[test]
    fn prohibition_target_must_name_exactly_one_thing() {
        let base = r#"{"type":"prohibition","id":"P1","person":"131052-308T","target":TARGET,"set_at":"2026-01-01T00:00:00Z"}"#;
        let got = messages(
            &[PERSON, &base.replace("TARGET", r#"{"service_task":"older_people","registrar":"1.2"}"#)].join("\n"),
        );
        assert_eq!(got, vec!["line 2: target.-: must name exactly one of registrar, service_task, document"]);
        let got = messages(&[PERSON, &base.replace("TARGET", r#"{"service_task":"nursing"}"#)].join("\n"));
        assert_eq!(got.len(), 1);
        assert!(got[0].starts_with("line 2: target.service_task: unknown code"));
        assert!(
            messages(&[PERSON, &base.replace("TARGET", r#"{"service_task":"older_people"}"#)].join("\n")).is_empty()
        );
    }

    #[test]
    fn a_new_version_for_another_person_is_refused() {
        let doc = |v: i32, hetu: &str| {
            format!(
                r#"{{"type":"document","id":"D1","version":{v},"person":"{hetu}","registrar":"1.2.246.10.1","service_task":"older_people","kind":"decision","phase":2,"status":"active","created_at":"2026-03-04T10:00:00Z","title":"T","language":"fi","author":"A","unit":"U"}}"#
            )
        };
        let other = r#"{"type":"person","hetu":"010594Y9032","first_names":"B","last_name":"C"}"#;
        let got = messages(&[ORG, PERSON, other, &doc(1, "131052-308T"), &doc(2, "010594Y9032")].join("\n"));
        assert_eq!(got, vec!["line 5: person: differs from the person of an earlier version of this document"]);
    }
}
