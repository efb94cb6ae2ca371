//! Who may see whose data today: loads the links and asks the pure role rules (DESIGN §2.4).
//! Called on every request that touches a person's data; nothing here is cached. The links come
//! with the session and the signed-in person on every request ([`crate::store::SignedInRow`]).

use chrono::NaiveDate;

use crate::domain::catalogue::GuardianshipKind;
use crate::domain::roles::{self, Links, Role, Validity};
use crate::store::{PersonRow, Result, Store};

/// The role in which `actor` may see `subject`'s data on `today`, or `None`.
/// Only the feed's links count here (`explain`, support staff): with e-Authorizations in use the
/// web's roles come from `web::extract::resolve`.
pub async fn role_for(store: &Store, actor: &PersonRow, subject: &PersonRow, today: NaiveDate) -> Result<Option<Role>> {
    if actor.person_id == subject.person_id {
        return Ok(Some(Role::Own));
    }
    Ok(roles::role_for(
        false,
        subject.facts(),
        &links_from(&store.links(actor.person_id, subject.person_id).await?),
        today,
    ))
}

fn links_from<'a>(rows: impl IntoIterator<Item = &'a crate::store::LinkRow>) -> Links {
    let mut links = Links::default();
    for l in rows {
        let v = Validity { from: l.valid_from, until: l.valid_until };
        match l.kind.as_str() {
            "mandate" => links.mandates.push(v),
            code => {
                if let Some(kind) = GuardianshipKind::from_code(code) {
                    links.guardianships.push((kind, v));
                }
            }
        }
    }
    links
}

/// Which of the feed's links grant a role. Without Suomi.fi e-Authorizations (demo, tests) all of
/// them; with it only `information_right` links (they come from the registrar's own records), as
/// guardianships and mandates are then decided by the national registers (DESIGN §2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkSource {
    Feed,
    Registers,
}

impl LinkSource {
    pub fn of(valtuudet_configured: bool) -> Self {
        if valtuudet_configured { LinkSource::Registers } else { LinkSource::Feed }
    }

    /// Whether a feed link of `kind` may grant a role.
    pub fn grants(self, kind: &str) -> bool {
        match self {
            LinkSource::Feed => true,
            LinkSource::Registers => kind == GuardianshipKind::InformationRight.code(),
        }
    }
}

/// The people an actor can act for today through the feed's links (not the actor), each with the role.
pub async fn representable(
    store: &Store,
    actor: &PersonRow,
    today: NaiveDate,
    source: LinkSource,
) -> Result<Vec<(PersonRow, Role)>> {
    Ok(representable_from(&store.links_of(actor.person_id).await?, actor, today, source))
}

/// [`representable`] from links already loaded (with the signed-in person, on every request).
pub fn representable_from(
    rows: &[crate::store::LinkedPersonRow],
    actor: &PersonRow,
    today: NaiveDate,
    source: LinkSource,
) -> Vec<(PersonRow, Role)> {
    let mut out = Vec::new();
    // The rows come ordered by person, a person's links together.
    for person_rows in rows.chunk_by(|a, b| a.person.person_id == b.person.person_id) {
        let subject = &person_rows[0].person;
        let links = links_from(person_rows.iter().map(|r| &r.link).filter(|l| source.grants(&l.kind)));
        if subject.person_id != actor.person_id
            && let Some(role) = roles::role_for(false, subject.facts(), &links, today)
        {
            out.push((subject.clone(), role));
        }
    }
    out
}
