//! The archive's records (DESIGN §3) as the feed carries them: produced by the feed parser, written by the
//! store, read by the pages (a document's `Section`). Plain data; the rules are elsewhere in `domain`.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::catalogue::{
    ChoiceRole, DataUseAction, DataUseBasis, DocumentKind, DocumentLanguage, DocumentStatus, GuardianshipKind, Service,
    ServiceTask,
};
use crate::domain::hetu::Hetu;

#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub oid: String,
    pub name_fi: String,
    pub name_sv: String,
    /// When the registrar joined Kanta; documents made before it are not shown (rule 2).
    pub joined_kanta_on: Option<NaiveDate>,
    /// Where a client asks about a document or for a correction (seed 000: errors are corrected
    /// where they were recorded).
    pub contact: Option<Contact>,
    pub data_protection_contact: Option<DataProtectionContact>,
}

/// A text the registrar gives in Finnish and Swedish (either may be missing).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct LocalText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fi: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sv: Option<String>,
}

impl LocalText {
    pub fn is_empty(&self) -> bool {
        self.fi.is_none() && self.sv.is_none()
    }
}

/// An organisation's contact details for its clients (yhteystiedot / kontaktuppgifter); every
/// field optional. Stored as this JSON in `organisation.contact`.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    /// International form: `+358 …`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<LocalText>,
    /// An `https` address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Telephone hours (puhelinajat / telefontider).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<LocalText>,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self.phone.is_none()
            && self.email.is_none()
            && self.address.is_none()
            && self.url.is_none()
            && self.hours.is_none()
    }
}

/// The data protection officer's contact (tietosuojavastaava / dataskyddsombud).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct DataProtectionContact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl DataProtectionContact {
    pub fn is_empty(&self) -> bool {
        self.email.is_none() && self.url.is_none()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub hetu: Hetu,
    pub first_names: String,
    pub last_name: String,
    pub non_disclosure: bool,
    pub taken_into_care: bool,
    pub informed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Guardianship {
    pub guardian: Hetu,
    pub child: Hetu,
    pub kind: GuardianshipKind,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mandate {
    pub principal: Hetu,
    pub agent: Hetu,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

/// Omatyöntekijä / egen kontaktperson.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OwnWorker {
    pub name: String,
    pub title: Option<String>,
    pub unit: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClientRelationship {
    pub person: Hetu,
    pub registrar: String,
    pub service_task: ServiceTask,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub service: Option<Service>,
    pub hidden_from_guardians: bool,
    pub own_worker: Option<OwnWorker>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VisibilityStart {
    pub registrar: String,
    /// `None`: the date for all the registrar's service tasks.
    pub service_task: Option<ServiceTask>,
    pub from: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    pub heading: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: String,
    pub version: i32,
    pub person: Hetu,
    pub registrar: String,
    pub service_task: ServiceTask,
    pub service: Option<Service>,
    pub kind: DocumentKind,
    pub phase: i32,
    pub status: DocumentStatus,
    pub joint_matter: bool,
    pub created_at: DateTime<Utc>,
    pub title: String,
    pub language: DocumentLanguage,
    pub author: String,
    pub unit: String,
    pub sections: Vec<Section>,
    pub delayed_until: Option<NaiveDate>,
    pub special_content: bool,
    pub hidden_from_guardians: bool,
    /// The parent document's id when this is an attachment (liite).
    pub attachment_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataUse {
    pub id: String,
    pub person: Hetu,
    pub at: DateTime<Utc>,
    pub action: DataUseAction,
    pub by: String,
    pub registrar: String,
    pub document: Option<String>,
    pub service: Option<Service>,
    pub basis: DataUseBasis,
}

/// Who made a choice in the portal; absent when it was recorded at a service.
#[derive(Debug, Clone, PartialEq)]
pub struct SetBy {
    pub hetu: Hetu,
    pub role: ChoiceRole,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Consent {
    pub person: Hetu,
    pub given: bool,
    pub at: DateTime<Utc>,
    pub set_by: Option<SetBy>,
}

/// What a disclosure prohibition is aimed at: exactly one of these.
#[derive(Debug, Clone, PartialEq)]
pub enum ProhibitionTarget {
    Registrar(String),
    ServiceTask(ServiceTask),
    Document(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prohibition {
    pub id: String,
    pub person: Hetu,
    pub target: ProhibitionTarget,
    pub set_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub set_by: Option<SetBy>,
}

/// One line of the feed.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Organisation(Organisation),
    Person(Person),
    Guardianship(Guardianship),
    Mandate(Mandate),
    ClientRelationship(ClientRelationship),
    VisibilityStart(VisibilityStart),
    Document(Document),
    DataUse(DataUse),
    Consent(Consent),
    Prohibition(Prohibition),
}

impl Record {
    /// The feed's `type` names, in the order the import summary lists them.
    pub const TYPES: [&'static str; 10] = [
        "organisation",
        "person",
        "guardianship",
        "mandate",
        "client_relationship",
        "visibility_start",
        "document",
        "data_use",
        "consent",
        "prohibition",
    ];

    pub fn type_name(&self) -> &'static str {
        match self {
            Record::Organisation(_) => "organisation",
            Record::Person(_) => "person",
            Record::Guardianship(_) => "guardianship",
            Record::Mandate(_) => "mandate",
            Record::ClientRelationship(_) => "client_relationship",
            Record::VisibilityStart(_) => "visibility_start",
            Record::Document(_) => "document",
            Record::DataUse(_) => "data_use",
            Record::Consent(_) => "consent",
            Record::Prohibition(_) => "prohibition",
        }
    }
}
