//! What a service-task page is asked for, and which table page each group shows: the filter
//! (year, registrar, kind) and the pages, parsed from the query string, and the links between the
//! pages. Pure (no I/O, no rendering), so each case is tested on its own; the handler in
//! `web::pages::records` only reads the documents, applies this and renders.

use std::collections::HashMap;

use crate::domain::catalogue::DocumentKind;
use crate::web::{pagination, urls};

/// The order of the groups on a service task page; `other` is last.
pub const GROUP_ORDER: [DocumentKind; 7] = [
    DocumentKind::Decision,
    DocumentKind::ServiceNeedAssessment,
    DocumentKind::ClientPlan,
    DocumentKind::ImplementationPlan,
    DocumentKind::ClientRecordEntry,
    DocumentKind::ParenthoodInvestigation,
    DocumentKind::Other,
];

/// The query parameter holding a group's table page: `decision-page=2`.
pub fn page_parameter(kind: DocumentKind) -> String {
    format!("{}-page", kind.code())
}

/// The filter and the pages asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaskQuery {
    /// A year (`2026`), a registrar's OID, a kind's code: a value that is not among the options
    /// simply matches nothing.
    pub year: Option<String>,
    pub registrar: Option<String>,
    pub kind: Option<String>,
    /// `page=N`: every table to its page N (a shorter one shows its last page).
    pub every: Option<usize>,
    /// `kind-page=N` of each group, in [`GROUP_ORDER`]; wins over `page`.
    pub own: Vec<(DocumentKind, Option<usize>)>,
}

impl TaskQuery {
    /// `None` when a page parameter is not a page number (the page is then not found, like any
    /// address that does not exist). Empty filter values are no filter.
    pub fn parse(query: &HashMap<String, String>) -> Option<TaskQuery> {
        let page_of = |name: &str| match query.get(name) {
            None => Some(None),
            Some(raw) => pagination::requested_page(Some(raw)).map(Some),
        };
        let chosen = |name: &str| query.get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let mut own = Vec::with_capacity(GROUP_ORDER.len());
        for kind in GROUP_ORDER {
            own.push((kind, page_of(&page_parameter(kind))?));
        }
        Some(TaskQuery {
            year: chosen("year"),
            registrar: chosen("registrar"),
            kind: chosen("kind"),
            every: page_of("page")?,
            own,
        })
    }

    /// Whether any filter is in use.
    pub fn filtered(&self) -> bool {
        self.year.is_some() || self.registrar.is_some() || self.kind.is_some()
    }

    /// Whether a document of `year`, `registrar` (OID) and `kind` (code) passes the filter.
    pub fn matches(&self, year: i32, registrar: &str, kind: &str) -> bool {
        self.year.as_ref().is_none_or(|y| *y == year.to_string())
            && self.registrar.as_ref().is_none_or(|r| r == registrar)
            && self.kind.as_ref().is_none_or(|k| k == kind)
    }

    /// The filter as query parameters, kept on every page link (`year=2026&kind=decision`).
    pub fn filter_params(&self) -> String {
        [("year", &self.year), ("registrar", &self.registrar), ("kind", &self.kind)]
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", urls::encode(v))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The table page each group shows, given how many rows each group has (in [`GROUP_ORDER`]).
    /// `None` (not found) for a `page` past the last page of every table, or a group's own page
    /// past its last.
    pub fn pages_shown(&self, rows: &[(DocumentKind, usize)], per_page: usize) -> Option<Vec<(DocumentKind, usize)>> {
        let most_pages = rows.iter().map(|(_, n)| pagination::page_count(*n, per_page)).max().unwrap_or(1);
        if self.every.is_some_and(|p| p > most_pages) {
            return None;
        }
        rows.iter()
            .map(|(kind, n)| {
                let pages = pagination::page_count(*n, per_page);
                let own = self.own.iter().find(|(k, _)| k == kind).and_then(|(_, p)| *p);
                let page = match (own, self.every) {
                    (Some(p), _) if p > pages => return None,
                    (Some(p), _) => p,
                    (None, Some(p)) => p.min(pages),
                    (None, None) => 1,
                };
                Some((*kind, page))
            })
            .collect()
    }
}

/// A link to `page` of `kind`'s table that keeps the other tables where they are and the filter;
/// with a single table, simply `?page=N`. `base` is the task page's address.
pub fn page_link(
    base: &str,
    filter_params: &str,
    shown: &[(DocumentKind, usize)],
    single_group: bool,
    kind: DocumentKind,
    page: usize,
) -> String {
    let pages: Vec<String> = if single_group {
        (page > 1).then(|| format!("page={page}")).into_iter().collect()
    } else {
        shown
            .iter()
            .map(|(k, p)| if *k == kind { (k, page) } else { (k, *p) })
            .filter(|(_, p)| *p > 1)
            .map(|(k, p)| format!("{}={p}", page_parameter(*k)))
            .collect()
    };
    let params: Vec<String> =
        (!filter_params.is_empty()).then(|| filter_params.to_string()).into_iter().chain(pages).collect();
    let query = if params.is_empty() { String::new() } else { format!("?{}", params.join("&")) };
    format!("{base}{query}#group-{}", kind.code())
}

#[cfg(test)]
mod tests {
    use super::*;
    use DocumentKind::{ClientPlan as Plan, Decision};

    fn query(pairs: &[(&str, &str)]) -> Option<TaskQuery> {
        TaskQuery::parse(&pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    fn own(q: &TaskQuery, kind: DocumentKind) -> Option<usize> {
        q.own.iter().find(|(k, _)| *k == kind).and_then(|(_, p)| *p)
    }

    #[test]
    fn page_parameters_must_be_page_numbers_and_empty_filters_are_none() {
        let q = query(&[("page", "2"), ("decision-page", "3"), ("year", " 2026 "), ("kind", "")]).unwrap();
        assert_eq!((q.every, own(&q, Decision), own(&q, Plan)), (Some(2), Some(3), None));
        assert_eq!((q.year.as_deref(), q.kind.as_deref(), q.filtered()), (Some("2026"), None, true));
        for bad in [("page", "0"), ("page", "x"), ("client_plan-page", "-1"), ("decision-page", "")] {
            assert_eq!(query(&[bad]), None, "{bad:?}");
        }
        assert!(!query(&[]).unwrap().filtered());
    }

    #[test]
    fn the_filter_matches_each_chosen_value_and_keeps_itself_in_links() {
        let q = query(&[("year", "2026"), ("registrar", "1.2.3"), ("kind", "decision")]).unwrap();
        assert!(q.matches(2026, "1.2.3", "decision"));
        assert!(!q.matches(2025, "1.2.3", "decision"));
        assert!(!q.matches(2026, "1.2.4", "decision"));
        assert!(!q.matches(2026, "1.2.3", "client_plan"));
        assert!(query(&[]).unwrap().matches(1999, "x", "y"));
        assert_eq!(q.filter_params(), "year=2026&registrar=1.2.3&kind=decision");
        assert_eq!(query(&[("registrar", "a b&c")]).unwrap().filter_params(), "registrar=a%20b%26c");
    }

    #[test]
    fn each_table_shows_its_own_page_or_the_common_one_clamped_and_past_the_end_is_not_found() {
        let rows = [(Decision, 60), (Plan, 10)]; // 3 pages and 1 page of 25
        let shown = |pairs: &[(&str, &str)]| query(pairs).unwrap().pages_shown(&rows, 25);
        assert_eq!(shown(&[]), Some(vec![(Decision, 1), (Plan, 1)]));
        assert_eq!(shown(&[("page", "3")]), Some(vec![(Decision, 3), (Plan, 1)]));
        assert_eq!(shown(&[("page", "4")]), None);
        assert_eq!(shown(&[("decision-page", "2")]), Some(vec![(Decision, 2), (Plan, 1)]));
        assert_eq!(shown(&[("page", "3"), ("decision-page", "2")]), Some(vec![(Decision, 2), (Plan, 1)]));
        assert_eq!(shown(&[("client_plan-page", "2")]), None);
        // An empty table has one page.
        assert_eq!(query(&[("page", "1")]).unwrap().pages_shown(&[(Decision, 0)], 25), Some(vec![(Decision, 1)]));
    }

    #[test]
    fn links_keep_the_other_tables_and_the_filter() {
        let shown = [(Decision, 2), (Plan, 3)];
        assert_eq!(
            page_link("/fi/records/x", "", &shown, false, Decision, 1),
            "/fi/records/x?client_plan-page=3#group-decision"
        );
        assert_eq!(
            page_link("/fi/records/x", "year=2026", &shown, false, Plan, 4),
            "/fi/records/x?year=2026&decision-page=2&client_plan-page=4#group-client_plan"
        );
        assert_eq!(
            page_link("/fi/records/x", "", &[(Decision, 1)], true, Decision, 2),
            "/fi/records/x?page=2#group-decision"
        );
        assert_eq!(page_link("/fi/records/x", "", &[(Decision, 2)], true, Decision, 1), "/fi/records/x#group-decision");
    }
}
