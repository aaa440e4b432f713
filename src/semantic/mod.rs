//! Hybrid retrieval (cargo feature `semantic`): paragraphs found by meaning as well as by
//! their words.
//!
//! An [`Embedder`] (a small BERT sentence-embedding model such as all-MiniLM-L6-v2, run
//! in-process on the CPU with candle, loaded from a local directory; nothing is downloaded)
//! is attached to an index with [`SearchIndex::with_embedder`]. From then on its
//! [`IndexWriter`] embeds every paragraph of each report it adds and
//! stores the vectors, int8-quantised, in `ofsted-vectors.bin` beside the index, replaced in
//! the same [`commit`](crate::IndexWriter::commit) as the paragraphs (adding a report again
//! replaces its vectors; removing it removes them). A query whose [`Ranking`](crate::Ranking)
//! asks for it with [`Ranking::hybrid`](crate::Ranking::hybrid) ranks the paragraphs nearest
//! the query's embedding beside the lexical ranking and fuses the two lists by reciprocal
//! rank fusion: a paragraph at rank `r` of the lexical list adds `1 / (k + r)`, at rank `r`
//! of the vector list `weight / (k + r)`, each list read `depth` deep. The lexical list is
//! the one the rest of the [`Ranking`](crate::Ranking) describes (`Ranking::default()` with
//! `hybrid(true)` fuses the default ranking, `Ranking::plain()` with `hybrid(true)` plain
//! BM25); `k`, the depth and the weight are set with
//! [`Ranking::fusion_k`](crate::Ranking::fusion_k),
//! [`Ranking::fusion_depth`](crate::Ranking::fusion_depth) and
//! [`Ranking::vector_weight`](crate::Ranking::vector_weight), by default [`RRF_K`],
//! [`FUSION_DEPTH`] and [`VECTOR_WEIGHT`]. RELEVANCE.md ("Hybrid retrieval") says how they
//! were chosen and what they give. A [`Query::per_report`](crate::Query::per_report) cap
//! applies to the fused list.
//!
//! Filters hold on both sides: the vector side only proposes paragraphs that pass every
//! filter of the query. `total` and the facet counts are those of the lexical search (the
//! paragraphs that match the words), so they mean what they mean without the feature; the
//! hits may also include paragraphs that match by meaning only.
//!
//! # Example
//!
//! ```no_run
//! use ofsted_search::semantic::Embedder;
//! use ofsted_search::{Operator, Query, Ranking, SearchIndex};
//!
//! let embedder = Embedder::from_dir("models/all-MiniLM-L6-v2")?;
//! let index = SearchIndex::open_or_create("/tmp/ofsted-index")?.with_embedder(embedder)?;
//! // ... add reports with index.writer() and commit: their vectors are stored too ...
//! // The default ranking fused with the vectors at the default fusion settings (the archive
//! // set's tuning-half pick; RELEVANCE.md, "Hybrid retrieval").
//! let mut ranking = Ranking::default();
//! ranking.hybrid(true);
//! let mut query = Query::new("how do councils listen to children in care?");
//! query.ranking(ranking).operator(Operator::All);
//! for hit in index.search(&query)?.hits {
//!     println!("{}", hit.citation);
//! }
//! # Ok::<(), ofsted_search::Error>(())
//! ```

mod fuse;
mod model;
mod store;

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

pub(crate) use fuse::{depth, fuse};
pub use fuse::{FUSION_DEPTH, RRF_K, VECTOR_WEIGHT};
pub use model::{Embedder, MODEL_FILES};
pub use store::VECTOR_FILE;
use store::{ReportVectors, VectorSet};

use crate::error::{Error, Result};
use crate::index::{IndexWriter, SearchIndex};
use crate::ingest::ParsedReport;

/// 64-bit FNV-1a of `bytes`, continuing from `seed` (0 starts afresh).
pub(crate) fn fnv64(bytes: &[u8], seed: u64) -> u64 {
    let mut hash = if seed == 0 {
        0xcbf2_9ce4_8422_2325
    } else {
        seed
    };
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The embedder and the committed vectors of one index, shared by its clones and writers.
pub(crate) struct Semantic {
    embedder: Embedder,
    vectors: RwLock<Arc<VectorSet>>,
    dir: Option<PathBuf>,
}

impl std::fmt::Debug for Semantic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Semantic")
            .field("embedder", &self.embedder)
            .finish_non_exhaustive()
    }
}

impl Semantic {
    pub(crate) fn vectors(&self) -> Arc<VectorSet> {
        match self.vectors.read() {
            Ok(v) => v.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set(&self, set: VectorSet) {
        let set = Arc::new(set);
        match self.vectors.write() {
            Ok(mut v) => *v = set,
            Err(poisoned) => *poisoned.into_inner() = set,
        }
    }

    /// Reads the committed vectors of `index` from disk, keeping only those of reports whose
    /// indexed content they were computed from.
    fn load(&self, index: &SearchIndex) -> Result<()> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        let path = store::vector_path(dir);
        let Some(mut set) = VectorSet::read(dir)? else {
            self.set(self.empty());
            return Ok(());
        };
        if set.dimensions != self.embedder.dimensions() || set.model != self.embedder.fingerprint()
        {
            return Err(Error::Semantic {
                path: Some(path),
                message: format!(
                    "the vectors were computed by another embedding model ({} dimensions) than the one attached ({}, {} dimensions); attach that model, or delete the file and add the reports again",
                    set.dimensions,
                    self.embedder.dir().display(),
                    self.embedder.dimensions()
                ),
            });
        }
        let current: std::collections::HashMap<String, String> = index
            .reports()?
            .into_iter()
            .map(|r| (r.report.report_id, r.content_hash))
            .collect();
        set.reports
            .retain(|id, r| current.get(id) == Some(&r.content_hash));
        self.set(set);
        Ok(())
    }

    fn empty(&self) -> VectorSet {
        VectorSet::new(self.embedder.dimensions(), self.embedder.fingerprint())
    }
}

impl SearchIndex {
    /// Attaches a sentence-embedding model: from now on this index's writers store a vector
    /// per paragraph, and queries with [`Ranking::hybrid`](crate::Ranking::hybrid) use them.
    /// The vectors already stored beside an on-disk index are loaded (those of reports
    /// changed since they were computed are left out).
    ///
    /// Reports indexed without an embedder have no vectors until they are added again;
    /// [`SearchIndex::embedded_paragraphs`] says how many paragraphs have one.
    ///
    /// # Errors
    ///
    /// [`Error::Semantic`] naming the vector file when it is damaged or was computed by
    /// another model; [`Error::Io`] when it cannot be read.
    pub fn with_embedder(mut self, embedder: Embedder) -> Result<SearchIndex> {
        let semantic = Semantic {
            vectors: RwLock::new(Arc::new(VectorSet::new(
                embedder.dimensions(),
                embedder.fingerprint(),
            ))),
            embedder,
            dir: self.path().map(|p| p.to_path_buf()),
        };
        semantic.load(&self)?;
        self.semantic = Some(Arc::new(semantic));
        Ok(self)
    }

    /// The attached embedder, if any.
    pub fn embedder(&self) -> Option<&Embedder> {
        self.semantic.as_ref().map(|s| &s.embedder)
    }

    /// How many indexed paragraphs have a vector (0 without an embedder).
    pub fn embedded_paragraphs(&self) -> usize {
        self.semantic.as_ref().map_or(0, |s| s.vectors().len())
    }
}

impl IndexWriter {
    /// Like [`IndexWriter::add_report`], with the paragraphs' vectors computed elsewhere (one
    /// per paragraph, in order, by the same model as the attached [`Embedder`], e.g. in a
    /// batch job) instead of by the embedder.
    ///
    /// # Errors
    ///
    /// [`Error::Semantic`] when no embedder is attached to the index or the vectors do not
    /// match the paragraphs (count) or the model (length); then nothing is changed.
    pub fn add_report_with_vectors(
        &mut self,
        parsed: &ParsedReport,
        vectors: &[Vec<f32>],
    ) -> Result<()> {
        let hash = crate::index::content_hash(parsed);
        let vectors = match &self.semantic {
            Some(semantic) => semantic.given(parsed, &hash, vectors)?,
            None => {
                return Err(Error::Semantic {
                    path: None,
                    message: "the writer's index has no embedder attached; attach one with SearchIndex::with_embedder before opening the writer".into(),
                })
            }
        };
        self.add_report_as(parsed, hash, Some(vectors))
    }
}

/// Re-reads the vectors after another process's commit (see [`SearchIndex::reload`]).
pub(crate) fn reload(index: &SearchIndex) -> Result<()> {
    match &index.semantic {
        Some(s) => s.load(index),
        None => Ok(()),
    }
}

/// One report's embedded paragraphs, ready to stage.
pub(crate) struct Vectors(ReportVectors);

/// A writer's pending vectors: the committed set plus this writer's changes.
#[derive(Debug)]
pub(crate) struct Staged {
    semantic: Arc<Semantic>,
    set: VectorSet,
}

impl Staged {
    pub(crate) fn new(semantic: &Arc<Semantic>) -> Staged {
        Staged {
            set: (*semantic.vectors()).clone(),
            semantic: semantic.clone(),
        }
    }

    /// Embeds a report's paragraphs.
    pub(crate) fn embed(&self, parsed: &ParsedReport, content_hash: &str) -> Result<Vectors> {
        let texts: Vec<&str> = parsed.paragraphs.iter().map(|p| p.text.as_str()).collect();
        let vectors = self.semantic.embedder.embed(&texts)?;
        let ids = parsed.paragraphs.iter().map(|p| p.id.clone()).collect();
        Ok(Vectors(ReportVectors::new(
            content_hash.to_string(),
            ids,
            &vectors,
        )))
    }

    /// A report's vectors computed elsewhere, checked against the attached model's size.
    fn given(
        &self,
        parsed: &ParsedReport,
        content_hash: &str,
        vectors: &[Vec<f32>],
    ) -> Result<Vectors> {
        let dims = self.semantic.embedder.dimensions();
        let wrong = |message: String| Error::Semantic {
            path: None,
            message: format!("report {}: {message}", parsed.report.report_id),
        };
        if vectors.len() != parsed.paragraphs.len() {
            return Err(wrong(format!(
                "{} vectors for {} paragraphs",
                vectors.len(),
                parsed.paragraphs.len()
            )));
        }
        if let Some((i, v)) = vectors.iter().enumerate().find(|(_, v)| v.len() != dims) {
            return Err(wrong(format!(
                "vector {i} has {} components, the attached model gives {dims}",
                v.len()
            )));
        }
        let ids = parsed.paragraphs.iter().map(|p| p.id.clone()).collect();
        Ok(Vectors(ReportVectors::new(
            content_hash.to_string(),
            ids,
            vectors,
        )))
    }

    /// Stages a report's vectors, replacing any it had.
    pub(crate) fn insert(&mut self, report_id: &str, vectors: Vectors) {
        self.set
            .reports
            .insert(report_id.to_string(), Arc::new(vectors.0));
    }

    pub(crate) fn remove(&mut self, report_id: &str) {
        self.set.reports.remove(report_id);
    }

    /// Writes the vector file (before the engine commits; see `store` for why either order
    /// of a crash is safe).
    pub(crate) fn write(&self) -> Result<()> {
        match &self.semantic.dir {
            Some(dir) => self.set.write(dir),
            None => Ok(()),
        }
    }

    /// Makes the written vectors the ones searches use (after the engine commits).
    pub(crate) fn publish(&self) {
        self.semantic.set(self.set.clone());
    }
}
