//! Who may see whose data today: loads the links and asks the pure role rules (DESIGN §2.4).
//! Called on every request that touches a person's data; nothing here is cached.

use chrono::NaiveDate;

use crate::domain::catalogue::GuardianshipKind;
use crate::domain::roles::{self, Links, Role, Validity};
use crate::store::{PersonRow, Result, Store};

/// The role in which `actor` may see `subject`'s data on `today`, or `None`.
pub async fn role_for(store: &Store, actor: &PersonRow, subject: &PersonRow, today: NaiveDate) -> Result<Option<Role>> {
    if actor.person_id == subject.person_id {
        return Ok(Some(Role::Own));
    }
    let mut links = Links::default();
    for l in store.links(actor.person_id, subject.person_id).await? {
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
    Ok(roles::role_for(false, subject.facts(), &links, today))
}

/// The people an actor can act for today (not the actor), each with the role.
pub async fn representable(store: &Store, actor: &PersonRow, today: NaiveDate) -> Result<Vec<(PersonRow, Role)>> {
    let mut out = Vec::new();
    for subject in store.linked_people(actor.person_id).await? {
        if let Some(role) = role_for(store, actor, &subject, today).await? {
            out.push((subject, role));
        }
    }
    Ok(out)
}
