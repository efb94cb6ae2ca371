//! Page links under a long table (the GOV.UK pagination pattern, no JavaScript): Previous, the
//! first and last page, the current page and its neighbours, "…" for the gaps, Next.

use crate::store::TimeCursor;

/// One entry of the page list: a page link, or a gap ("…") when `number` is `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct PageItem {
    pub number: Option<usize>,
    pub url: String,
    pub current: bool,
}

/// The links of one paginated table.
#[derive(Debug, Clone)]
pub struct Pagination {
    pub page: usize,
    pub pages: usize,
    /// Names the navigation landmark; pages with several paginated tables give each its own.
    pub label: String,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub items: Vec<PageItem>,
}

impl Pagination {
    pub fn new(page: usize, pages: usize, label: String, url: impl Fn(usize) -> String) -> Self {
        let items = page_numbers(page, pages)
            .into_iter()
            .map(|n| PageItem { number: n, url: n.map(&url).unwrap_or_default(), current: n == Some(page) })
            .collect();
        Pagination {
            page,
            pages,
            label,
            prev_url: (page > 1).then(|| url(page - 1)),
            next_url: (page < pages).then(|| url(page + 1)),
            items,
        }
    }
}

impl Pagination {
    /// Previous and next only, for a list read from keyset cursors (a numbered page would need an
    /// offset); "Sivu 2 / 5" still says where. `first` and `last` are the shown page's first and
    /// last rows; `url(None)` is the first page with the list's own parameters (a filter), and
    /// `url(Some(q))` the same with the cursor query `q` added.
    pub fn keyset(
        page: usize,
        pages: usize,
        label: String,
        first: Option<TimeCursor>,
        last: Option<TimeCursor>,
        url: impl Fn(Option<String>) -> String,
    ) -> Self {
        Pagination {
            page,
            pages,
            label,
            prev_url: match (page, first) {
                (1, _) | (_, None) => None,
                (2, _) => Some(url(None)),
                (p, Some(c)) => Some(url(Some(format!("page={}&after={}", p - 1, c.to_param())))),
            },
            next_url: last
                .filter(|_| page < pages)
                .map(|c| url(Some(format!("page={}&before={}", page + 1, c.to_param())))),
            items: Vec::new(),
        }
    }
}

/// The page numbers to list, `None` for a gap: 1, the current page ± 1, the last.
pub fn page_numbers(page: usize, pages: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    for n in 1..=pages {
        if n == 1 || n == pages || n.abs_diff(page) <= 1 {
            out.push(Some(n));
        } else if out.last() != Some(&None) {
            out.push(None);
        }
    }
    out
}

/// The page asked for in a query value: absent is page 1; anything else must be a page number.
pub fn requested_page(raw: Option<&str>) -> Option<usize> {
    match raw {
        None => Some(1),
        Some(p) => p.parse().ok().filter(|n| *n >= 1),
    }
}

/// The number of pages for `rows` rows (at least one, for the empty table).
pub fn page_count(rows: usize, per_page: usize) -> usize {
    rows.div_ceil(per_page).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_keep_the_ends_and_the_neighbours() {
        let s = |page, pages| {
            page_numbers(page, pages)
                .iter()
                .map(|n| n.map_or("…".to_string(), |n| n.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        for (page, pages, expected) in [
            (1, 1, "1"),
            (1, 2, "1 2"),
            (1, 5, "1 2 … 5"),
            (3, 5, "1 2 3 4 5"),
            (5, 10, "1 … 4 5 6 … 10"),
            (10, 10, "1 … 9 10"),
            (2, 80, "1 2 3 … 80"),
        ] {
            assert_eq!(s(page, pages), expected, "page {page} of {pages}");
        }
    }

    #[test]
    fn previous_and_next_only_where_there_is_such_a_page() {
        let p = Pagination::new(1, 3, "Sivut".into(), |n| format!("?page={n}"));
        assert_eq!((p.prev_url, p.next_url.as_deref()), (None, Some("?page=2")));
        let p = Pagination::new(3, 3, "Sivut".into(), |n| format!("?page={n}"));
        assert_eq!((p.prev_url.as_deref(), p.next_url), (Some("?page=2"), None));
        assert_eq!(p.items.last(), Some(&PageItem { number: Some(3), url: "?page=3".into(), current: true }));
    }

    #[test]
    fn a_page_must_be_a_positive_number() {
        assert_eq!(requested_page(None), Some(1));
        assert_eq!(requested_page(Some("2")), Some(2));
        for bad in ["0", "-1", "x", "", "1.5"] {
            assert_eq!(requested_page(Some(bad)), None, "{bad}");
        }
        assert_eq!((page_count(0, 25), page_count(25, 25), page_count(26, 25)), (1, 1, 2));
    }
}
