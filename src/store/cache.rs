//! What a process may keep of the archive between requests, and how it stays right.
//!
//! Only an import changes the archive's rows (documents, client relationships, publication
//! starts); every import bumps the database's `reference_version` in its own transaction. Every
//! signed-in request reads that version with its session and person ([`super::SignedInRow`], no extra
//! query) and uses a cached copy only if the copy was read at that version or later — so an import
//! by any process, on any instance, is seen on the very next request everywhere. The citizen's own
//! choices, people, links and sessions are never cached: they are read afresh on every request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use super::{ClientRelationshipRow, DocumentRow, OrganisationContacts, Result, Store, VisibilityStartRow, on_pool};

/// Reference data every page uses and imports rarely change: publication starts and the
/// organisations' contact details.
#[derive(Debug, Default)]
pub struct ReferenceData {
    pub version: i64,
    pub visibility_starts: Vec<VisibilityStartRow>,
    pub contacts: HashMap<i64, OrganisationContacts>,
}

/// The process's copy of [`ReferenceData`], refreshed when the database's version is newer.
#[derive(Default)]
pub struct ReferenceCache(RwLock<Option<Arc<ReferenceData>>>);

/// A subject's archive rows — every version of every document (without text) and the client
/// relationships — read at `version` of the archive.
#[derive(Debug)]
pub struct SubjectRows {
    pub version: i64,
    pub documents: Vec<DocumentRow>,
    pub relationships: Vec<ClientRelationshipRow>,
}

impl SubjectRows {
    fn size(&self) -> usize {
        self.documents.len() + self.relationships.len() + 1
    }
}

/// Values read at an archive version, keyed, at most `limit` units in all (a value's units are
/// `size(value)`), least recently used dropped first. A value is served only to a request that
/// read the same archive version or an older one; once any request has seen a newer version,
/// everything older is dropped. One mechanism for the subjects' rows, their evaluated views and the
/// document texts.
pub(crate) struct VersionedLru<K, V: ?Sized> {
    inner: Mutex<Entries<K, V>>,
    limit: usize,
    /// A value bigger than `limit / largest_share` is never kept (it would push out everyone else).
    largest_share: usize,
    size: fn(&V) -> usize,
}

struct Entries<K, V: ?Sized> {
    /// The newest archive version any request has seen; older entries are gone.
    version: i64,
    /// Each value with the version it was read at and when it was last used.
    entries: HashMap<K, (Arc<V>, i64, u64)>,
    total: usize,
    clock: u64,
}

impl<K: std::hash::Hash + Eq + Clone, V: ?Sized> VersionedLru<K, V> {
    pub(crate) fn new(limit: usize, largest_share: usize, size: fn(&V) -> usize) -> Self {
        Self {
            inner: Mutex::new(Entries { version: 0, entries: HashMap::new(), total: 0, clock: 0 }),
            limit,
            largest_share,
            size,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries<K, V>> {
        // The map is consistent after every statement below: a panic elsewhere cannot break it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached value of `key` if it was read at archive `version` or later.
    pub(crate) fn get(&self, key: &K, version: i64) -> Option<Arc<V>> {
        let mut c = self.lock();
        if version > c.version {
            // An import has run since: nothing cached is current any more.
            c.entries.clear();
            c.total = 0;
            c.version = version;
            return None;
        }
        c.clock += 1;
        let now = c.clock;
        let (value, read_at, used) = c.entries.get_mut(key)?;
        if *read_at < version {
            return None;
        }
        *used = now;
        Some(value.clone())
    }

    /// Keeps `value`, read at `version`, unless it is older than what another request has already
    /// seen, or too big.
    pub(crate) fn put(&self, key: K, value: Arc<V>, version: i64) {
        let size = (self.size)(&value);
        if size > self.limit / self.largest_share {
            return;
        }
        let mut c = self.lock();
        if version < c.version {
            return;
        }
        if version > c.version {
            c.entries.clear();
            c.total = 0;
            c.version = version;
        }
        if c.total + size > self.limit {
            // Drop the least recently used half: one sort per many insertions.
            let mut by_use: Vec<(u64, K)> = c.entries.iter().map(|(k, (_, _, used))| (*used, k.clone())).collect();
            by_use.sort_unstable_by_key(|(used, _)| *used);
            for (_, k) in by_use.iter().take(by_use.len().div_ceil(2)) {
                if let Some((gone, _, _)) = c.entries.remove(k) {
                    c.total -= (self.size)(&gone);
                }
            }
        }
        c.clock += 1;
        let now = c.clock;
        if let Some((old, _, _)) = c.entries.insert(key, (value, version, now)) {
            c.total -= (self.size)(&old);
        }
        c.total += size;
    }

    #[cfg(test)]
    fn total(&self) -> usize {
        self.lock().total
    }
}

/// The process's recently read [`SubjectRows`], at most [`SubjectCache::ROWS`] rows in all (a few
/// MB), least recently used dropped first. The role is decided on every request; what a role sees
/// of these rows is kept by [`crate::records::ViewCache`] under that role.
pub struct SubjectCache(VersionedLru<i64, SubjectRows>);

impl Default for SubjectCache {
    fn default() -> Self {
        Self::with_limit(Self::ROWS)
    }
}

impl SubjectCache {
    /// About 400 bytes a row: ≈ 8 MB.
    pub const ROWS: usize = 20_000;

    pub fn with_limit(limit: usize) -> Self {
        // A client with thousands of documents (over a quarter of the limit) is never kept.
        Self(VersionedLru::new(limit, 4, SubjectRows::size))
    }

    fn get(&self, subject_id: i64, version: i64) -> Option<Arc<SubjectRows>> {
        self.0.get(&subject_id, version)
    }

    fn put(&self, subject_id: i64, rows: Arc<SubjectRows>) {
        let version = rows.version;
        self.0.put(subject_id, rows, version)
    }

    #[cfg(test)]
    fn rows(&self) -> usize {
        self.0.total()
    }
}

/// Recently read document texts (the JSON of their sections), by document id and version, at most
/// [`TextCache::BYTES`] in all, read at an archive version like [`SubjectCache`]. A text is shown
/// only after the request's own verdict on the document, so the cache decides nothing.
pub struct TextCache(VersionedLru<(String, i32), str>);

impl Default for TextCache {
    fn default() -> Self {
        Self::with_limit(Self::BYTES)
    }
}

impl TextCache {
    /// 16 MB of text: the most read documents of a busy instance.
    pub const BYTES: usize = 16 << 20;

    pub fn with_limit(limit: usize) -> Self {
        Self(VersionedLru::new(limit, 8, str::len))
    }

    fn get(&self, key: &(String, i32), version: i64) -> Option<Arc<str>> {
        self.0.get(key, version)
    }

    fn put(&self, key: (String, i32), text: Arc<str>, version: i64) {
        self.0.put(key, text, version)
    }

    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.0.total()
    }
}

impl Store {
    /// The text of one document version, at least as new as archive `version`: the cached copy, or
    /// a fresh read that is then kept.
    pub async fn document_sections_at(
        &self,
        cache: &TextCache,
        document_id: &str,
        doc_version: i32,
        version: i64,
    ) -> Result<Option<Arc<str>>> {
        let key = (document_id.to_string(), doc_version);
        if let Some(text) = cache.get(&key, version) {
            return Ok(Some(text));
        }
        let Some(text) = self.document_sections(document_id, doc_version).await? else { return Ok(None) };
        let text: Arc<str> = text.into();
        cache.put(key, text.clone(), version);
        Ok(Some(text))
    }

    /// The reference data, at least as new as `version`: the cached copy, or a fresh one.
    pub async fn reference_data(&self, cache: &ReferenceCache, version: i64) -> Result<Arc<ReferenceData>> {
        let cached = cache.0.read().expect("the reference cache lock is not poisoned").clone();
        if let Some(c) = cached.filter(|c| c.version >= version) {
            return Ok(c);
        }
        // The version first: an import committing in between leaves the copy newer than its
        // version, never older, and the next request refreshes it again.
        let current: i64 =
            on_pool!(self, p => sqlx::query_scalar("select version from reference_version").fetch_one(p).await)?;
        let fresh = Arc::new(ReferenceData {
            version: current,
            visibility_starts: self.visibility_starts().await?,
            contacts: self.organisation_contacts().await?,
        });
        *cache.0.write().expect("the reference cache lock is not poisoned") = Some(fresh.clone());
        Ok(fresh)
    }

    /// A subject's archive rows, at least as new as archive `version` (read by this request with
    /// the signed-in person): the cached copy, or a fresh read that is then kept.
    pub async fn subject_rows_at(
        &self,
        cache: &SubjectCache,
        subject_id: i64,
        version: i64,
    ) -> Result<Arc<SubjectRows>> {
        if let Some(rows) = cache.get(subject_id, version) {
            return Ok(rows);
        }
        // Read after `version` was: the rows are at least that new (an import committing in
        // between only makes them newer than their label, and the next request reads again).
        let (documents, relationships) = self.subject_rows(subject_id).await?;
        let rows = Arc::new(SubjectRows { version, documents, relationships });
        cache.put(subject_id, rows.clone());
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(version: i64, documents: usize) -> Arc<SubjectRows> {
        let doc: DocumentRow = serde_json::from_value(serde_json::json!({
            "document_id": "D", "version": 1, "person_id": 1, "registrar_id": 1, "registrar_oid": "1.2", "registrar_name_fi": "R",
            "registrar_name_sv": "R", "service_task": "older_people", "service": null, "kind": "decision", "phase": 2,
            "status": "active", "joint_matter": false, "document_created_at": "2026-03-04T10:00:00Z", "title": "T",
            "language": "fi", "author": "A", "unit": "U", "delayed_until": null, "special_content": false,
            "hidden_from_guardians": false, "attachment_of": null, "registrar_joined_kanta_on": null
        }))
        .expect("a document row");
        Arc::new(SubjectRows { version, documents: vec![doc; documents], relationships: Vec::new() })
    }

    #[test]
    fn rows_are_served_only_at_their_version_or_an_older_one() {
        let cache = SubjectCache::default();
        assert!(cache.get(7, 3).is_none(), "nothing cached yet");
        cache.put(7, rows(3, 2));
        assert_eq!(cache.get(7, 3).map(|r| r.documents.len()), Some(2));
        assert!(cache.get(7, 2).is_some(), "a request that read an older version may get newer rows");
        assert!(cache.get(8, 3).is_none(), "another subject");
        assert!(cache.get(7, 4).is_none(), "an import ran since: read again");
        assert!(cache.get(7, 3).is_none(), "and the old rows are gone for good");
        assert_eq!(cache.rows(), 0);
    }

    #[test]
    fn rows_read_before_a_newer_version_was_seen_are_not_kept() {
        let cache = SubjectCache::default();
        assert!(cache.get(1, 5).is_none());
        cache.put(7, rows(4, 1)); // a request that read version 4 finished after one that read 5
        assert!(cache.get(7, 4).is_none());
        cache.put(7, rows(6, 1));
        assert!(cache.get(7, 5).is_some());
        assert!(cache.get(7, 6).is_some());
    }

    #[test]
    fn the_least_recently_used_go_first_and_the_total_stays_bounded() {
        let cache = SubjectCache::with_limit(40);
        for id in 0..4 {
            cache.put(id, rows(1, 9)); // 10 rows each
        }
        assert_eq!(cache.rows(), 40);
        assert!(cache.get(0, 1).is_some()); // 0 is now the most recently used
        cache.put(4, rows(1, 9));
        assert!(cache.rows() <= 40);
        assert!(cache.get(0, 1).is_some() && cache.get(4, 1).is_some());
        assert!(cache.get(1, 1).is_none() && cache.get(2, 1).is_none());
        cache.put(9, rows(1, 10)); // over a quarter of the limit: never kept
        assert!(cache.get(9, 1).is_none());
    }

    #[test]
    fn texts_are_kept_per_version_bounded_and_dropped_after_an_import() {
        let cache = TextCache::with_limit(80);
        let key = |id: &str| (id.to_string(), 1);
        cache.put(key("A"), Arc::from("x".repeat(10)), 3);
        assert_eq!(cache.get(&key("A"), 3).as_deref(), Some("x".repeat(10).as_str()));
        assert!(cache.get(&(String::from("A"), 2), 3).is_none(), "another version of the document");
        cache.put(key("HUGE"), Arc::from("y".repeat(11)), 3);
        assert!(cache.get(&key("HUGE"), 3).is_none(), "over an eighth of the limit: never kept");
        for id in ["B", "C", "D", "E", "F", "G", "H", "I"] {
            cache.put(key(id), Arc::from("z".repeat(10)), 3);
        }
        assert!(cache.bytes() <= 80);
        assert!(cache.get(&key("A"), 4).is_none(), "an import ran since");
        assert_eq!(cache.bytes(), 0);
    }

    #[test]
    fn replacing_an_entry_keeps_the_count_right() {
        let cache = SubjectCache::with_limit(100);
        cache.put(1, rows(1, 4));
        cache.put(1, rows(1, 9));
        assert_eq!(cache.rows(), 10);
    }
}
