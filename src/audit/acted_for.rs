//! The copies of others' actions ("who acted for me" reads them; migration 0015) checked against
//! the chained trail: pure. Every chained record whose actor is not its subject must have exactly
//! one copy, field for field, and every copy must be such a record. `store::audit` feeds both
//! sides a window of ids at a time, each sorted by id.

use std::fmt;

use chrono::{DateTime, Utc};

/// Others' action as both the trail and its copy hold it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ActedForRow {
    pub audit_event_id: i64,
    pub at: DateTime<Utc>,
    pub subject_id: i64,
    pub actor_id: i64,
    pub role: String,
    pub action: String,
    pub object: Option<String>,
}

/// What is wrong with one record's copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActedForBreak {
    /// A chained record of another's action has no copy: the principal would not see it.
    Missing { id: i64 },
    /// The copy says something else than the chained record.
    Changed { id: i64 },
    /// A copy with no chained record of another's action behind it.
    Unbacked { id: i64 },
    /// The kept count of an actor's actions on a subject differs from their copies.
    Count { subject: i64, actor: i64, copies: i64, counted: i64 },
}

impl fmt::Display for ActedForBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActedForBreak::Missing { id } => {
                write!(
                    f,
                    "record {id} (another's action) has no copy in acted_for_event: \"who acted for me\" hides it"
                )
            }
            ActedForBreak::Changed { id } => {
                write!(f, "the copy of record {id} in acted_for_event differs from the record")
            }
            ActedForBreak::Unbacked { id } => {
                write!(f, "acted_for_event holds a copy {id} that no chained record of another's action backs")
            }
            ActedForBreak::Count { subject, actor, copies, counted } => write!(
                f,
                "acted_for_count says person {actor} acted {counted} time(s) for person {subject}; the copies say {copies}"
            ),
        }
    }
}

/// The check's outcome over the whole trail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActedForReport {
    /// Copies checked against their record.
    pub checked: u64,
    /// Copies of records no longer in the live trail (detached months).
    pub archived: u64,
    /// The first breaks found (at most [`Self::KEPT`]) and how many there were in all.
    pub breaks: Vec<ActedForBreak>,
    pub break_count: u64,
}

impl ActedForReport {
    /// How many breaks are named; the rest are counted.
    pub const KEPT: usize = 20;

    pub fn add(&mut self, part: ActedForReport) {
        self.checked += part.checked;
        self.archived += part.archived;
        self.break_count += part.break_count;
        let room = Self::KEPT.saturating_sub(self.breaks.len());
        self.breaks.extend(part.breaks.into_iter().take(room));
    }

    pub fn intact(&self) -> bool {
        self.break_count == 0
    }
}

/// Compares the chained records of others' actions with their copies, both sorted by id.
pub fn compare(chained: &[ActedForRow], copies: &[ActedForRow]) -> ActedForReport {
    let mut report = ActedForReport::default();
    let broke = |b: ActedForBreak, report: &mut ActedForReport| {
        report.break_count += 1;
        if report.breaks.len() < ActedForReport::KEPT {
            report.breaks.push(b);
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < chained.len() || j < copies.len() {
        match (chained.get(i), copies.get(j)) {
            (Some(r), Some(c)) if r.audit_event_id == c.audit_event_id => {
                if r == c {
                    report.checked += 1;
                } else {
                    broke(ActedForBreak::Changed { id: r.audit_event_id }, &mut report);
                }
                i += 1;
                j += 1;
            }
            (Some(r), c) if c.is_none_or(|c| r.audit_event_id < c.audit_event_id) => {
                broke(ActedForBreak::Missing { id: r.audit_event_id }, &mut report);
                i += 1;
            }
            (_, Some(c)) => {
                broke(ActedForBreak::Unbacked { id: c.audit_event_id }, &mut report);
                j += 1;
            }
            (Some(_), None) | (None, None) => unreachable!("handled above"),
        }
    }
    report
}

/// The kept counts that differ from the copies, as `(subject, actor, copies, counted)`.
pub fn count_mismatches(rows: &[(i64, i64, i64, i64)]) -> ActedForReport {
    let breaks: Vec<ActedForBreak> = rows
        .iter()
        .map(|&(subject, actor, copies, counted)| ActedForBreak::Count { subject, actor, copies, counted })
        .collect();
    ActedForReport { break_count: breaks.len() as u64, breaks, ..Default::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, action: &str) -> ActedForRow {
        ActedForRow {
            audit_event_id: id,
            at: DateTime::from_timestamp(1_700_000_000 + id, 0).unwrap(),
            subject_id: 2,
            actor_id: 1,
            role: "guardian".into(),
            action: action.into(),
            object: Some(format!("doc-{id}")),
        }
    }

    /// A case: its name, the chained records, their copies, how many check out, the breaks.
    type Case = (&'static str, Vec<ActedForRow>, Vec<ActedForRow>, u64, Vec<ActedForBreak>);

    #[test]
    fn every_record_of_another_s_action_has_its_copy_and_nothing_else() {
        use ActedForBreak::*;
        let a = || vec![row(1, "view_document"), row(5, "view_document"), row(9, "set_prohibition")];
        let mut changed = a();
        changed[1].object = Some("another".into());
        let mut moved = a();
        moved[2].at = moved[0].at;
        let cases: Vec<Case> = vec![
            ("the same", a(), a(), 3, vec![]),
            (
                "a copy missing",
                a(),
                vec![row(1, "view_document"), row(9, "set_prohibition")],
                2,
                vec![Missing { id: 5 }],
            ),
            ("the last copy missing", a(), a()[..2].to_vec(), 2, vec![Missing { id: 9 }]),
            ("a copy changed", a(), changed, 2, vec![Changed { id: 5 }]),
            ("a copy's time moved", a(), moved, 2, vec![Changed { id: 9 }]),
            ("a copy added", a(), [a(), vec![row(12, "view_document")]].concat(), 3, vec![Unbacked { id: 12 }]),
            (
                "a copy in between",
                a()[..2].to_vec(),
                vec![row(1, "view_document"), row(3, "x"), row(5, "view_document")],
                2,
                vec![Unbacked { id: 3 }],
            ),
            ("no copies at all", a(), vec![], 0, vec![Missing { id: 1 }, Missing { id: 5 }, Missing { id: 9 }]),
            ("nothing", vec![], vec![], 0, vec![]),
        ];
        for (name, chained, copies, checked, breaks) in cases {
            let r = compare(&chained, &copies);
            assert_eq!((r.checked, &r.breaks, r.break_count), (checked, &breaks, breaks.len() as u64), "{name}");
            assert_eq!(r.intact(), breaks.is_empty(), "{name}");
        }
    }

    #[test]
    fn a_report_names_the_first_breaks_and_counts_the_rest() {
        let mut all = ActedForReport::default();
        for _ in 0..3 {
            all.add(compare(&(1..=10).map(|i| row(i, "v")).collect::<Vec<_>>(), &[]));
        }
        assert_eq!(all.break_count, 30);
        assert_eq!(all.breaks.len(), ActedForReport::KEPT);
    }
}
