//! Writing to the index: add (or replace) whole reports, remove reports, commit.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::schema::TantivyDocument;
use tantivy::{IndexReader, Term};

use super::schema::{Fields, DOC_PARAGRAPH, DOC_REPORT, ROLE_CONTEXT, ROLE_FINDING};
use super::IndexPlace;
use crate::error::Result;
use crate::ingest::ParsedReport;
use crate::model::Report;
use crate::query::Citation;

/// A report as the index records it: its metadata, how many paragraphs it has, and the hash
/// of its ingested content, so a caller can skip reports that have not changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedReport {
    /// The report's metadata.
    pub report: Report,
    /// How many paragraphs of it are indexed.
    pub paragraphs: usize,
    /// [`content_hash`] of the [`ParsedReport`] it was indexed from.
    pub content_hash: String,
}

/// A stable hash (64-bit FNV-1a, as 16 hex digits) of a parsed report's metadata and
/// paragraphs; warnings are left out. Equal content gives an equal hash on every platform
/// and build, so it can be compared with [`IndexedReport::content_hash`] to skip re-indexing
/// a report whose ingestion gives the same result.
///
/// ```
/// use ofsted_search::index::content_hash;
/// use ofsted_search::ingest::Ingester;
/// let a = Ingester::new().ingest_str("Some Council\n\n1. Text.\n", "a.txt")?;
/// let mut b = a.clone();
/// assert_eq!(content_hash(&a), content_hash(&b));
/// b.paragraphs[0].text.push('!');
/// assert_ne!(content_hash(&a), content_hash(&b));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn content_hash(parsed: &ParsedReport) -> String {
    // serde_json writes struct fields in declaration order and maps in key order, so the
    // bytes depend on the content only.
    let bytes = serde_json::to_vec(&(&parsed.report, &parsed.paragraphs)).unwrap_or_default();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Adds, replaces and removes reports; nothing is visible to searches until
/// [`IndexWriter::commit`].
///
/// Only one writer can be open on an index at a time, across processes; dropping the writer
/// without committing discards its pending changes. Get one with
/// [`SearchIndex::writer`](super::SearchIndex::writer).
pub struct IndexWriter {
    pub(super) writer: tantivy::IndexWriter<TantivyDocument>,
    pub(super) reader: IndexReader,
    pub(super) fields: Fields,
    pub(super) place: Arc<IndexPlace>,
    /// Pending paragraph vectors, when an embedder is attached (feature `semantic`).
    #[cfg(feature = "semantic")]
    pub(crate) semantic: Option<crate::semantic::Staged>,
}

impl std::fmt::Debug for IndexWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexWriter")
            .field("index", &self.place)
            .finish_non_exhaustive()
    }
}

impl IndexWriter {
    /// Adds a report's paragraphs, replacing every paragraph of a report with the same
    /// `report_id` that is already indexed (or added earlier by this writer). Searches see
    /// either the old report or the new one, never both or half of one.
    ///
    /// # Errors
    ///
    /// [`Error::Index`](crate::Error::Index) when the engine refuses the documents. With an
    /// embedder attached (feature `semantic`), its paragraphs are embedded too, and
    /// [`Error::Semantic`](crate::Error::Semantic) says when that fails.
    pub fn add_report(&mut self, parsed: &ParsedReport) -> Result<()> {
        let hash = content_hash(parsed);
        // Embedded first: a failure leaves the writer's pending changes as they were.
        #[cfg(feature = "semantic")]
        let vectors = match &self.semantic {
            Some(semantic) => Some(semantic.embed(parsed, &hash)?),
            None => None,
        };
        self.add_report_as(
            parsed,
            hash,
            #[cfg(feature = "semantic")]
            vectors,
        )
    }

    /// [`IndexWriter::add_report`] once the report's vectors (if any) are computed.
    pub(crate) fn add_report_as(
        &mut self,
        parsed: &ParsedReport,
        hash: String,
        #[cfg(feature = "semantic")] vectors: Option<crate::semantic::Vectors>,
    ) -> Result<()> {
        self.remove_report(&parsed.report.report_id);
        #[cfg(feature = "semantic")]
        if let (Some(semantic), Some(vectors)) = (&mut self.semantic, vectors) {
            semantic.insert(&parsed.report.report_id, vectors);
        }
        let f = self.fields;
        let report = &parsed.report;
        let record = IndexedReport {
            report: report.clone(),
            paragraphs: parsed.paragraphs.len(),
            content_hash: hash,
        };
        let mut doc = TantivyDocument::new();
        doc.add_text(f.doc_type, DOC_REPORT);
        doc.add_text(f.report_id, &report.report_id);
        doc.add_bytes(f.data, &self.place.encode_json(&record)?);
        self.writer
            .add_document(doc)
            .map_err(|e| self.place.error(e))?;
        for p in &parsed.paragraphs {
            let citation = Citation {
                paragraph: p.clone(),
                kind: report.kind,
                framework: report.framework,
                overall_grade: report.overall_grade,
            };
            let doc = self.paragraph_doc(&citation, report.published_year)?;
            self.writer
                .add_document(doc)
                .map_err(|e| self.place.error(e))?;
        }
        Ok(())
    }

    fn paragraph_doc(&self, c: &Citation, published_year: Option<u16>) -> Result<TantivyDocument> {
        let f = self.fields;
        let p = &c.paragraph;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.doc_type, DOC_PARAGRAPH);
        doc.add_text(f.id, &p.id);
        doc.add_text(f.report_id, &p.report_id);
        doc.add_text(f.text, &p.text);
        doc.add_text(f.pairs, &p.text);
        doc.add_text(f.text_exact, &p.text);
        doc.add_text(f.section, &p.section);
        doc.add_text(f.authority, &p.authority);
        if let Some(year) = p.year {
            doc.add_text(f.year, year_term(year));
        }
        if let Some(grade) = p.grade {
            doc.add_text(f.grade, grade.as_str());
        }
        for theme in &p.themes {
            doc.add_text(f.theme, theme);
        }
        if let Some(area) = p.area {
            doc.add_text(f.area, area.as_str());
        }
        doc.add_text(f.kind, c.kind.as_str());
        if let Some(grade) = c.overall_grade {
            doc.add_text(f.overall_grade, grade.as_str());
        }
        if let Some(year) = published_year {
            doc.add_text(f.published_year, year_term(year));
        }
        if let Some(framework) = c.framework {
            doc.add_text(f.framework, framework.as_str());
        }
        let role = if p.context {
            ROLE_CONTEXT
        } else {
            ROLE_FINDING
        };
        doc.add_text(f.role, role);
        doc.add_bytes(f.data, &self.place.encode_json(c)?);
        Ok(doc)
    }

    /// Removes a report (its record and all its paragraphs). Removing a report that is not
    /// indexed does nothing.
    pub fn remove_report(&mut self, report_id: &str) {
        #[cfg(feature = "semantic")]
        if let Some(semantic) = &mut self.semantic {
            semantic.remove(report_id);
        }
        self.writer
            .delete_term(Term::from_field_text(self.fields.report_id, report_id));
    }

    /// Makes every change since the last commit visible, atomically, and durable on disk.
    ///
    /// # Errors
    ///
    /// [`Error::Index`](crate::Error::Index) when the engine cannot write.
    pub fn commit(&mut self) -> Result<()> {
        #[cfg(feature = "semantic")]
        if let Some(semantic) = &self.semantic {
            semantic.write()?;
        }
        self.writer.commit().map_err(|e| self.place.error(e))?;
        self.reader.reload().map_err(|e| self.place.error(e))?;
        #[cfg(feature = "semantic")]
        if let Some(semantic) = &self.semantic {
            semantic.publish();
        }
        Ok(())
    }
}

impl IndexWriter {
    /// Commits, then waits until background segment merges are done, so the index is left
    /// with few segments (fewer segments answer queries faster). Use it at the end of a bulk
    /// ingest; the writer is released.
    ///
    /// # Errors
    ///
    /// [`Error::Index`](crate::Error::Index) when the engine cannot write or merge.
    pub fn finish(self) -> Result<()> {
        self.finish_with(false)
    }

    /// Like [`IndexWriter::finish`], then merges whatever segments are left into one.
    ///
    /// Every query pays a cost per segment (term lookups, a scorer and collectors per
    /// segment, facet dictionaries). The merge rewrites the whole index, though: on a million
    /// paragraphs it takes longer than the ingest itself, so use it for an index that is built
    /// once and queried a lot, not after every update.
    ///
    /// # Errors
    ///
    /// [`Error::Index`](crate::Error::Index) when the engine cannot write or merge.
    pub fn finish_and_merge(self) -> Result<()> {
        self.finish_with(true)
    }

    fn finish_with(mut self, merge: bool) -> Result<()> {
        self.commit()?;
        let place = self.place.clone();
        let reader = self.reader.clone();
        let index = self.writer.index().clone();
        self.writer
            .wait_merging_threads()
            .map_err(|e| place.error(e))?;
        // The merge policy's own merges are over, so this merge owns every segment.
        let segments = index.searchable_segment_ids().map_err(|e| place.error(e))?;
        if merge && segments.len() > 1 {
            let mut writer: tantivy::IndexWriter<TantivyDocument> = index
                .writer_with_num_threads(1, MERGE_WRITER_BYTES)
                .map_err(|e| place.error(e))?;
            writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
            writer.merge(&segments).wait().map_err(|e| place.error(e))?;
            writer.wait_merging_threads().map_err(|e| place.error(e))?;
        }
        reader.reload().map_err(|e| place.error(e))
    }
}

/// The memory budget of the writer that only merges (tantivy's minimum).
const MERGE_WRITER_BYTES: usize = 15_000_000;

/// The indexed form of a year: four digits, so that a year is one term.
pub(crate) fn year_term(year: u16) -> String {
    format!("{year:04}")
}
