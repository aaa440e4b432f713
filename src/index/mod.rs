//! The search index: paragraphs of ingested reports, on disk or in memory.
//!
//! A [`SearchIndex`] holds one document per [`Paragraph`](crate::Paragraph) with its text
//! (English stemming, positions for phrases), its citation, and facets for authority, year,
//! section grade, themes, judgement area, report kind and the report's overall grade. An
//! [`IndexWriter`] adds whole reports; adding a report whose id is already indexed replaces
//! it. Searches go through [`SearchIndex::search`] with a [`Query`].
//!
//! # Example: index a report in memory and search it
//!
//! ```
//! use ofsted_search::ingest::Ingester;
//! use ofsted_search::{Query, SearchIndex};
//!
//! let text = "Sheffield City Council\n\n\
//!             41. Children are routinely seen and seen alone by social workers.\n\n\
//!             42. Return home interviews for missing children are not always completed.\n";
//! let parsed = Ingester::new().ingest_str(text, "sheffield.txt")?;
//!
//! let index = SearchIndex::create_in_ram()?;
//! let mut writer = index.writer()?;
//! writer.add_report(&parsed)?;
//! writer.commit()?;
//!
//! // Words are stemmed: "interview" finds "interviews".
//! let results = index.search(&Query::new("missing interview"))?;
//! assert_eq!(results.total, 1);
//! let hit = &results.hits[0];
//! assert_eq!(hit.number, Some(42));
//! assert!(hit.snippet.contains("**missing**"));
//!
//! // Every hit's id looks its paragraph up again, with its citation.
//! let citation = index.paragraph(&hit.id)?;
//! assert_eq!(citation.paragraph.text, hit.text);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # On disk
//!
//! [`SearchIndex::open_or_create`] keeps the index in a directory, with a small
//! `ofsted-search.json` file recording the schema version; an index written by another
//! version is refused with [`Error::SchemaVersion`], which says to rebuild it.

mod pair_phrase;
mod pairs;
mod schema;
mod stem_cache;
mod word_heading;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::collector::{Count, DocSetCollector};
use tantivy::directory::error::LockError;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, TantivyDocument, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyError, Term};

pub(crate) use pair_phrase::adjacent_words;
pub(crate) use pairs::pair;
pub(crate) use schema::analyzer;
pub(crate) use schema::{
    exact_analyzer, Fields, COUNTED_FACETS, DOC_PARAGRAPH, ROLE_CONTEXT, ROLE_FINDING,
};
pub(crate) use word_heading::WordWithHeading;
pub(crate) use writer::year_term;
pub use writer::{content_hash, IndexWriter, IndexedReport};

use crate::error::{Error, Result};
use crate::query::{Citation, Query, SearchResults};

/// Memory the writer may use per indexing thread before it flushes a segment: larger
/// segments mean fewer of them to merge and to search (word pairs double the postings a
/// paragraph adds).
const WRITER_BYTES_PER_THREAD: usize = 128_000_000;
/// At most this many indexing threads.
const WRITER_MAX_THREADS: usize = 4;

/// Where an index lives, for error messages.
#[derive(Debug)]
pub(crate) struct IndexPlace {
    path: Option<PathBuf>,
}

impl IndexPlace {
    /// Maps an engine error to [`Error`], naming the index.
    pub(crate) fn error(&self, e: TantivyError) -> Error {
        match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexLocked {
                path: self
                    .path
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("<in-memory index>")),
            },
            e => self.message(e.to_string()),
        }
    }

    pub(crate) fn message(&self, message: String) -> Error {
        Error::Index {
            path: self.path.clone(),
            message,
        }
    }

    /// Maps a panic caught inside the engine during `what` to [`Error`]: the engine panics
    /// on some damaged index files instead of returning an error.
    pub(crate) fn engine_panic(&self, what: &str, panic: Box<dyn std::any::Any + Send>) -> Error {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        self.message(format!(
            "{what} failed inside the engine ({why}); the index files may be damaged: delete the directory and rebuild the index"
        ))
    }

    pub(crate) fn encode_json<T: serde::Serialize>(&self, value: &T) -> Result<Vec<u8>> {
        serde_json::to_vec(value).map_err(|e| self.message(format!("cannot encode: {e}")))
    }

    pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(&self, bytes: &[u8]) -> Result<T> {
        serde_json::from_slice(bytes).map_err(|e| {
            self.message(format!(
                "a stored document cannot be read ({e}); rebuild the index"
            ))
        })
    }
}

/// A searchable index of report paragraphs.
///
/// Cloning is cheap and clones share the index. Searches use one shared reader, which is
/// refreshed after every commit of this process's [`IndexWriter`]; call
/// [`SearchIndex::reload`] to see commits made by another process.
#[derive(Clone)]
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    place: Arc<IndexPlace>,
    /// The attached embedder and the committed paragraph vectors (feature `semantic`).
    #[cfg(feature = "semantic")]
    pub(crate) semantic: Option<Arc<crate::semantic::Semantic>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("path", &self.place.path)
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// A new, empty index held in memory.
    ///
    /// # Errors
    ///
    /// [`Error::Index`] if the engine cannot set it up.
    pub fn create_in_ram() -> Result<SearchIndex> {
        let index = schema::builder()
            .create_in_ram()
            .map_err(|e| IndexPlace { path: None }.error(e))?;
        SearchIndex::wrap(index, None)
    }

    /// Opens the index in `dir`, or creates an empty one there when `dir` does not exist or
    /// is empty.
    ///
    /// # Errors
    ///
    /// [`Error::SchemaVersion`] when `dir` holds a tantivy index of another schema version (or
    /// one without the version file), [`Error::Index`] when `dir` is not empty and holds no
    /// index at all (it is left untouched) and for engine errors, [`Error::Io`] when the
    /// directory cannot be created or read; each names `dir`.
    pub fn open_or_create(dir: impl AsRef<Path>) -> Result<SearchIndex> {
        let dir = dir.as_ref();
        let empty = match std::fs::read_dir(dir) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            Err(source) => {
                return Err(Error::Io {
                    path: dir.to_path_buf(),
                    action: "cannot read the index directory",
                    source,
                })
            }
        };
        if !empty {
            return SearchIndex::open(dir);
        }
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            action: "cannot create the index directory",
            source,
        })?;
        let place = IndexPlace {
            path: Some(dir.to_path_buf()),
        };
        let index = schema::builder()
            .create_in_dir(dir)
            .map_err(|e| place.error(e))?;
        schema::write_meta(dir)?;
        SearchIndex::wrap(index, Some(dir.to_path_buf()))
    }

    /// Opens an existing index in `dir`.
    ///
    /// # Errors
    ///
    /// As [`SearchIndex::open_or_create`]; also [`Error::Io`] when `dir` does not exist.
    pub fn open(dir: impl AsRef<Path>) -> Result<SearchIndex> {
        let dir = dir.as_ref();
        if let Err(source) = std::fs::metadata(dir) {
            return Err(Error::Io {
                path: dir.to_path_buf(),
                action: "cannot open the index directory",
                source,
            });
        }
        schema::check_meta(dir)?;
        let place = IndexPlace {
            path: Some(dir.to_path_buf()),
        };
        let index = Index::open_in_dir(dir).map_err(|e| place.error(e))?;
        SearchIndex::wrap(index, Some(dir.to_path_buf()))
    }

    fn wrap(index: Index, path: Option<PathBuf>) -> Result<SearchIndex> {
        let place = Arc::new(IndexPlace { path });
        let fields = schema::prepare(&index).map_err(|e| match e {
            Error::Index { message, .. } => place.message(message),
            e => e,
        })?;
        // Manual reloads: our writer reloads after each commit, so a search never waits for
        // a file watcher and no watcher thread runs per open index.
        // Opening the segments can panic on damaged files too (a flipped byte in a small
        // fieldnorm file's footer, found by tests/errors.rs once `text_exact` was added).
        let reader = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .map_err(|e| place.error(e))
        }))
        .unwrap_or_else(|panic| Err(place.engine_panic("opening the index", panic)))?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            place,
            #[cfg(feature = "semantic")]
            semantic: None,
        })
    }

    /// The index directory, or `None` for an in-memory index.
    pub fn path(&self) -> Option<&Path> {
        self.place.path.as_deref()
    }

    /// Opens the writer.
    ///
    /// # Errors
    ///
    /// [`Error::IndexLocked`] when another writer (in this or another process) is open on the
    /// index; [`Error::Index`] for engine errors.
    pub fn writer(&self) -> Result<IndexWriter> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        self.writer_with_threads(threads)
    }

    /// Opens the writer with `threads` indexing threads (clamped to 1..=4).
    ///
    /// [`SearchIndex::writer`] uses one per core. With several threads, paragraphs are
    /// numbered inside the index in the order the threads happen to take them, so paragraphs
    /// of *equal* score can come back in another order after a rebuild. One thread numbers
    /// them in the order they were added: the same reports added in the same order then give
    /// the same results, ties included, on every build (what a test or an evaluation wants),
    /// at the cost of indexing on one core.
    ///
    /// ```
    /// use ofsted_search::SearchIndex;
    ///
    /// let index = SearchIndex::create_in_ram()?;
    /// let mut writer = index.writer_with_threads(1)?;
    /// writer.commit()?;
    /// # Ok::<(), ofsted_search::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`SearchIndex::writer`].
    pub fn writer_with_threads(&self, threads: usize) -> Result<IndexWriter> {
        let threads = threads.clamp(1, WRITER_MAX_THREADS);
        let writer = self
            .index
            .writer_with_num_threads(threads, threads * WRITER_BYTES_PER_THREAD)
            .map_err(|e| self.place.error(e))?;
        Ok(IndexWriter {
            writer,
            reader: self.reader.clone(),
            fields: self.fields,
            place: self.place.clone(),
            #[cfg(feature = "semantic")]
            semantic: self.semantic.as_ref().map(crate::semantic::Staged::new),
        })
    }

    /// Picks up commits made by other processes since the last reload.
    ///
    /// # Errors
    ///
    /// [`Error::Index`] when the index files cannot be read.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload().map_err(|e| self.place.error(e))?;
        #[cfg(feature = "semantic")]
        crate::semantic::reload(self)?;
        Ok(())
    }

    /// Runs a query.
    ///
    /// # Errors
    ///
    /// [`Error::Query`] for a malformed query (unless lenient), [`Error::NotFound`] when a
    /// [`Query::similar`] id is not indexed, [`Error::Index`] for engine errors, including
    /// damaged index files.
    pub fn search(&self, query: &Query) -> Result<SearchResults> {
        // The engine panics on some damaged index files instead of returning an error (e.g. a
        // fast-field dictionary whose offsets point past its end, found by flipping one byte
        // in tests/errors.rs); a search must not take the caller down with it. The searcher is
        // a read-only snapshot, so nothing is left half-updated after a caught panic.
        self.guarded("the search", || crate::query::run(self, query))
    }

    /// Runs `read` (a read of the index files) with the engine's panics on damaged files
    /// turned into an [`Error::Index`] naming the directory. Reads work on a read-only
    /// snapshot, so nothing is left half-updated after a caught panic.
    fn guarded<T>(&self, what: &str, read: impl FnOnce() -> Result<T>) -> Result<T> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
            .unwrap_or_else(|panic| Err(self.place.engine_panic(what, panic)))
    }

    /// Looks a paragraph up by its id.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when no paragraph has this id.
    pub fn paragraph(&self, id: &str) -> Result<Citation> {
        self.guarded("looking a paragraph up", || self.paragraph_unguarded(id))
    }

    fn paragraph_unguarded(&self, id: &str) -> Result<Citation> {
        let searcher = self.searcher();
        let term = Term::from_field_text(self.fields.id, id);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let docs = searcher
            .search(&query, &DocSetCollector)
            .map_err(|e| self.place.error(e))?;
        // Ids are unique when the chunker keeps them so; should two paragraphs share one, the
        // first in index order answers.
        match docs.into_iter().min() {
            Some(addr) => self.citation_at(&searcher, addr),
            None => Err(Error::NotFound(id.to_string())),
        }
    }

    /// Every indexed report, in report id order.
    ///
    /// # Errors
    ///
    /// [`Error::Index`] when the index cannot be read.
    pub fn reports(&self) -> Result<Vec<IndexedReport>> {
        self.guarded("listing the reports", || self.reports_unguarded())
    }

    fn reports_unguarded(&self) -> Result<Vec<IndexedReport>> {
        let searcher = self.searcher();
        let term = Term::from_field_text(self.fields.doc_type, schema::DOC_REPORT);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let docs = searcher
            .search(&query, &DocSetCollector)
            .map_err(|e| self.place.error(e))?;
        let mut reports = docs
            .into_iter()
            .map(|addr| self.stored(&searcher, addr))
            .collect::<Result<Vec<IndexedReport>>>()?;
        reports.sort_by(|a, b| a.report.report_id.cmp(&b.report.report_id));
        Ok(reports)
    }

    /// How many paragraphs the index holds.
    ///
    /// # Errors
    ///
    /// [`Error::Index`] when the index cannot be read.
    pub fn num_paragraphs(&self) -> Result<u64> {
        let term = Term::from_field_text(self.fields.doc_type, DOC_PARAGRAPH);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let n = self.guarded("counting paragraphs", || {
            self.searcher()
                .search(&query, &Count)
                .map_err(|e| self.place.error(e))
        })?;
        Ok(n as u64)
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    pub(crate) fn fields(&self) -> Fields {
        self.fields
    }

    pub(crate) fn place(&self) -> &IndexPlace {
        &self.place
    }

    pub(crate) fn citation_at(
        &self,
        searcher: &Searcher,
        addr: tantivy::DocAddress,
    ) -> Result<Citation> {
        self.stored(searcher, addr)
    }

    fn stored<T: serde::de::DeserializeOwned>(
        &self,
        searcher: &Searcher,
        addr: tantivy::DocAddress,
    ) -> Result<T> {
        // Called inside the guarded reads above and by the search; guarded here too, for
        // callers that fetch documents on their own (similar paragraphs, export).
        let doc: TantivyDocument = self.guarded("reading a stored paragraph", || {
            searcher.doc(addr).map_err(|e| self.place.error(e))
        })?;
        let bytes = doc
            .get_first(self.fields.data)
            .and_then(|v| v.as_bytes())
            .ok_or_else(|| self.place.message("a stored document has no data".into()))?;
        self.place.decode_json(bytes)
    }
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests {
    use super::fixtures::{corpus, report};
    use super::*;

    fn indexed(reports: &[crate::ingest::ParsedReport]) -> Result<SearchIndex> {
        let index = SearchIndex::create_in_ram()?;
        let mut writer = index.writer()?;
        for r in reports {
            writer.add_report(r)?;
        }
        writer.commit()?;
        Ok(index)
    }

    #[test]
    fn handles_cross_threads() {
        fn shared<T: Send + Sync + Clone>() {}
        fn sent<T: Send>() {}
        shared::<SearchIndex>();
        sent::<IndexWriter>();
    }

    #[test]
    fn reingesting_a_report_replaces_it() -> Result<()> {
        let reports = corpus(3, 6);
        let index = indexed(&reports)?;
        assert_eq!(index.num_paragraphs()?, 18);

        let mut changed = reports[1].clone();
        changed.paragraphs.truncate(2);
        changed.paragraphs[0].text = "zebracrossing appears only here".into();
        let mut writer = index.writer()?;
        writer.add_report(&changed)?;
        // Before the commit, searches still see the old report, whole.
        assert_eq!(index.num_paragraphs()?, 18);
        writer.commit()?;
        assert_eq!(index.num_paragraphs()?, 14);
        assert_eq!(index.search(&Query::new("zebracrossing"))?.total, 1);
        let old = &reports[1].paragraphs[0];
        assert_eq!(
            index.paragraph(&old.id)?.paragraph.text,
            changed.paragraphs[0].text
        );
        assert!(index.paragraph(&reports[1].paragraphs[4].id).is_err());

        // Twice in one session, then committed: still no duplicate.
        writer.add_report(&reports[1])?;
        writer.add_report(&reports[1])?;
        writer.commit()?;
        assert_eq!(index.num_paragraphs()?, 18);
        assert_eq!(index.reports()?.len(), 3);
        Ok(())
    }

    #[test]
    fn removed_and_uncommitted_changes() -> Result<()> {
        let reports = corpus(2, 4);
        let index = indexed(&reports)?;
        {
            let mut writer = index.writer()?;
            writer.remove_report(&reports[0].report.report_id);
            // Dropped without commit: nothing happens.
        }
        assert_eq!(index.num_paragraphs()?, 8);
        let mut writer = index.writer()?;
        writer.remove_report(&reports[0].report.report_id);
        writer.commit()?;
        assert_eq!(index.num_paragraphs()?, 4);
        // `finish` commits, waits for merges and releases the lock.
        drop(writer);
        let mut writer = index.writer()?;
        writer.add_report(&reports[0])?;
        writer.finish()?;
        assert_eq!(index.num_paragraphs()?, 8);
        let mut writer = index.writer()?;
        writer.remove_report(&reports[0].report.report_id);
        writer.commit()?;
        let ids: Vec<String> = index
            .reports()?
            .into_iter()
            .map(|r| r.report.report_id)
            .collect();
        assert_eq!(ids, vec![reports[1].report.report_id.clone()]);
        Ok(())
    }

    #[test]
    fn lookup_by_id_round_trips_every_paragraph() -> Result<()> {
        let reports = corpus(4, 5);
        let index = indexed(&reports)?;
        for r in &reports {
            for p in &r.paragraphs {
                let c = index.paragraph(&p.id)?;
                assert_eq!(&c.paragraph, p);
                assert_eq!(c.kind, r.report.kind);
                assert_eq!(c.overall_grade, r.report.overall_grade);
                assert_eq!(c.to_string(), p.citation);
            }
        }
        assert!(matches!(
            index.paragraph("no/such/id"),
            Err(Error::NotFound(id)) if id == "no/such/id"
        ));
        Ok(())
    }

    #[test]
    fn report_records_carry_the_content_hash() -> Result<()> {
        let reports = corpus(3, 2);
        let index = indexed(&reports)?;
        let records = index.reports()?;
        for r in &reports {
            let rec = records
                .iter()
                .find(|rec| rec.report.report_id == r.report.report_id)
                .expect("every report has a record");
            assert_eq!(rec.content_hash, content_hash(r));
            assert_eq!(rec.paragraphs, r.paragraphs.len());
            assert_eq!(rec.report, r.report);
        }
        assert_ne!(content_hash(&reports[0]), content_hash(&reports[1]));
        Ok(())
    }

    #[test]
    fn a_second_writer_is_refused() -> Result<()> {
        let index = SearchIndex::create_in_ram()?;
        let _first = index.writer()?;
        assert!(matches!(index.writer(), Err(Error::IndexLocked { .. })));

        let dir = tempfile::tempdir().map_err(|e| Error::Index {
            path: None,
            message: e.to_string(),
        })?;
        let on_disk = SearchIndex::open_or_create(dir.path())?;
        let _first = on_disk.writer()?;
        let again = SearchIndex::open(dir.path())?;
        match again.writer() {
            Err(Error::IndexLocked { path }) => assert_eq!(path, dir.path()),
            other => panic!("expected IndexLocked, got {other:?}"),
        }
        Ok(())
    }

    #[test]
    fn on_disk_index_persists_and_checks_its_schema_version() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Index {
            path: None,
            message: e.to_string(),
        })?;
        let path = dir.path().join("idx");
        {
            let index = SearchIndex::open_or_create(&path)?;
            let mut writer = index.writer()?;
            writer.add_report(&report(0, 3, 1))?;
            writer.commit()?;
        }
        let index = SearchIndex::open_or_create(&path)?;
        assert_eq!(index.num_paragraphs()?, 3);
        assert_eq!(index.path(), Some(path.as_path()));
        drop(index);

        let meta = path.join(schema::META_FILE);
        std::fs::write(&meta, r#"{"schema_version": 999, "format": "x"}"#).unwrap();
        match SearchIndex::open(&path) {
            Err(e @ Error::SchemaVersion { .. }) => {
                let message = e.to_string();
                assert!(message.contains("999"), "{message}");
                assert!(message.contains("rebuild"), "{message}");
            }
            other => panic!("expected SchemaVersion, got {other:?}"),
        }
        std::fs::remove_file(&meta).unwrap();
        assert!(matches!(
            SearchIndex::open_or_create(&path),
            Err(Error::SchemaVersion { .. })
        ));
        // A directory of other files is not mistaken for an old index.
        let other = dir.path().join("other");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join("notes.txt"), "mine").unwrap();
        match SearchIndex::open_or_create(&other) {
            Err(Error::Index { message, .. }) => {
                assert!(message.contains("no ofsted-search index"))
            }
            other => panic!("expected an index error, got {other:?}"),
        }
        assert!(other.join("notes.txt").exists());
        assert!(matches!(
            SearchIndex::open(dir.path().join("missing")),
            Err(Error::Io { .. })
        ));
        Ok(())
    }
}
