//! The tantivy schema: which fields a paragraph document has, how each is analysed, and the
//! version stamp that tells an index built by another schema apart.
//!
//! This module is private: the public API speaks in reports and paragraphs, never in fields.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED};
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
use tantivy::Index;

use crate::error::{Error, Result};

/// The version of the schema this build writes and reads. Bump it whenever a field, an
/// analyzer or the stored document format changes, so old indexes are refused, not misread.
pub(crate) const SCHEMA_VERSION: u32 = 6;

/// The name of the file, inside the index directory, that records [`SCHEMA_VERSION`].
pub(crate) const META_FILE: &str = "ofsted-search.json";

/// The name under which the analyzer of `text` (words and word pairs) is registered with
/// tantivy.
pub(crate) const ANALYZER: &str = "ofsted_en_pairs";
/// The name of the words-only English analyzer: `section`, query text and snippets.
pub(crate) const WORDS_ANALYZER: &str = "ofsted_en";

/// The name under which the exact-form analyzer (lowercased, not stemmed) is registered.
pub(crate) const EXACT_ANALYZER: &str = "ofsted_exact";

/// `role` of paragraphs that report findings.
pub(crate) const ROLE_FINDING: &str = "finding";
/// `role` of paragraphs that describe the inspection (see [`crate::Paragraph::context`]).
pub(crate) const ROLE_CONTEXT: &str = "context";

/// `doc_type` of paragraph documents.
pub(crate) const DOC_PARAGRAPH: &str = "paragraph";
/// `doc_type` of the one record document each report has (its metadata and content hash).
pub(crate) const DOC_REPORT: &str = "report";

/// Handles on every field of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// `paragraph` or `report`: report records share the index so that they are replaced in
    /// the same commit as their paragraphs.
    pub doc_type: Field,
    /// The paragraph id (raw, indexed) for lookup.
    pub id: Field,
    /// The report id (raw, indexed) for replacement and deletion.
    pub report_id: Field,
    /// The paragraph text: English stemming, positions for phrases.
    pub text: Field,
    /// The paragraph text again, lowercased but not stemmed, with frequencies only (no
    /// positions): it lets a word typed exactly as written outrank a word that only shares its
    /// stem ("manager" over "management").
    pub text_exact: Field,
    /// The section heading, analysed like the text, for heading boosts.
    pub section: Field,
    /// Facet fields: raw strings, indexed (filters are term queries) and fast (counts read
    /// column ordinals instead of walking the term dictionary).
    pub authority: Field,
    /// The year as four digits, so that year filters are term lookups, not range scans.
    pub year: Field,
    /// The grade of the paragraph's section.
    pub grade: Field,
    /// Theme ids, one value per theme.
    pub theme: Field,
    /// The judgement area of the paragraph's section.
    pub area: Field,
    /// The report kind.
    pub kind: Field,
    /// The report's overall grade.
    pub overall_grade: Field,
    /// The report's publication year, four digits like `year`.
    pub published_year: Field,
    /// The report's inspection framework.
    pub framework: Field,
    /// [`ROLE_FINDING`] or [`ROLE_CONTEXT`]: whether the paragraph reports findings.
    pub role: Field,
    /// The stored JSON document: a [`Citation`](crate::query::Citation) for paragraphs, an
    /// [`IndexedReport`](super::IndexedReport) for report records.
    pub data: Field,
}

/// The facet fields, with the names counted by [`FacetCounts`](crate::query::FacetCounts).
pub(crate) const COUNTED_FACETS: [&str; 9] = [
    "authority",
    "year",
    "grade",
    "theme",
    "area",
    "kind",
    "framework",
    "overall_grade",
    "published_year",
];

impl Fields {
    fn from_schema(schema: &Schema) -> Result<Fields> {
        let get = |name: &str| {
            schema.get_field(name).map_err(|_| Error::Index {
                path: None,
                message: format!("the index has no field '{name}'; rebuild the index"),
            })
        };
        Ok(Fields {
            doc_type: get("doc_type")?,
            id: get("id")?,
            report_id: get("report_id")?,
            text: get("text")?,
            text_exact: get("text_exact")?,
            section: get("section")?,
            authority: get("authority")?,
            year: get("year")?,
            grade: get("grade")?,
            theme: get("theme")?,
            area: get("area")?,
            kind: get("kind")?,
            overall_grade: get("overall_grade")?,
            published_year: get("published_year")?,
            framework: get("framework")?,
            role: get("role")?,
            data: get("data")?,
        })
    }
}

/// Builds the schema.
pub(crate) fn build_schema() -> Schema {
    let mut b = Schema::builder();
    let analysed = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    // Raw keys and facets are only ever filtered on, never scored: no fieldnorms (a byte per
    // document and field otherwise).
    let key = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    let facet = key.clone().set_fast("raw");
    b.add_text_field("doc_type", key.clone());
    b.add_text_field("id", key.clone());
    b.add_text_field("report_id", key);
    b.add_text_field("text", analysed(ANALYZER));
    b.add_text_field(
        "text_exact",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(EXACT_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    b.add_text_field("section", analysed(WORDS_ANALYZER));
    for name in [
        "authority",
        "year",
        "grade",
        "theme",
        "area",
        "kind",
        "overall_grade",
        "published_year",
        "framework",
        "role",
    ] {
        b.add_text_field(name, facet.clone());
    }
    b.add_bytes_field("data", STORED);
    b.build()
}

/// An index builder with this crate's schema and settings.
///
/// The stored documents (JSON around the paragraph text, the largest part of the index) are
/// compressed with zstd at level 3 in 32 KiB blocks: on English prose that is about 0.6x the
/// size LZ4 gives, while fetching a hit still decompresses only a few dozen paragraphs
/// (BENCHMARKS.md has the measured sizes and latencies).
pub(crate) fn builder() -> tantivy::IndexBuilder {
    let settings = tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(3),
        }),
        docstore_blocksize: 32_768,
        ..tantivy::IndexSettings::default()
    };
    Index::builder().schema(build_schema()).settings(settings)
}

/// The English analyzer of `text` and `section`: words split on non-alphanumerics, very long
/// tokens (conversion debris) dropped, lowercased, Porter-stemmed (through a cache: see
/// [`stem_cache`](super::stem_cache)).
pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(super::stem_cache::CachedStemmer)
        .build()
}

/// The analyzer of `text`: [`analyzer`] followed by [`WordPairs`](super::pairs::WordPairs),
/// so that phrases can be answered from word pairs.
pub(crate) fn pairs_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(super::stem_cache::CachedStemmer)
        .filter(super::pairs::WordPairs)
        .build()
}

/// The exact-form analyzer of `text_exact`: the English analyzer without the stemmer.
pub(crate) fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build()
}

/// Registers the analyzers (tantivy does not persist tokenizers) and resolves the fields.
pub(crate) fn prepare(index: &Index) -> Result<Fields> {
    index.tokenizers().register(ANALYZER, pairs_analyzer());
    index.tokenizers().register(WORDS_ANALYZER, analyzer());
    index
        .tokenizers()
        .register(EXACT_ANALYZER, exact_analyzer());
    Fields::from_schema(&index.schema())
}

/// The contents of [`META_FILE`].
#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    schema_version: u32,
    format: String,
}

/// Writes [`META_FILE`] into `dir`.
pub(crate) fn write_meta(dir: &Path) -> Result<()> {
    let meta = Meta {
        schema_version: SCHEMA_VERSION,
        format: "ofsted-search index".into(),
    };
    let path = dir.join(META_FILE);
    let json = serde_json::to_string_pretty(&meta).map_err(|e| Error::Index {
        path: Some(dir.to_path_buf()),
        message: e.to_string(),
    })?;
    std::fs::write(&path, json).map_err(|source| Error::Io {
        path,
        action: "cannot write the index's schema version file",
        source,
    })
}

/// Checks [`META_FILE`] in `dir`: missing, unreadable or another version is
/// [`Error::SchemaVersion`].
pub(crate) fn check_meta(dir: &Path) -> Result<()> {
    let mismatch = |found: String| Error::SchemaVersion {
        path: dir.to_path_buf(),
        found,
        expected: SCHEMA_VERSION,
    };
    let path = dir.join(META_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // Without tantivy's own meta file this is no index at all: advising to delete the
            // directory (as for an old index) could destroy the user's files.
            if !dir.join("meta.json").exists() {
                return Err(Error::Index {
                    path: Some(dir.to_path_buf()),
                    message: "the directory is not empty and holds no ofsted-search index; \
                              choose a new or empty directory for the index"
                        .into(),
                });
            }
            return Err(mismatch(format!("unknown (no {META_FILE})")));
        }
        Err(source) => {
            return Err(Error::Io {
                path,
                action: "cannot read the index's schema version file",
                source,
            })
        }
    };
    match serde_json::from_str::<Meta>(&text) {
        Ok(meta) if meta.schema_version == SCHEMA_VERSION => Ok(()),
        Ok(meta) => Err(mismatch(meta.schema_version.to_string())),
        Err(e) => Err(mismatch(format!("unreadable ({e})"))),
    }
}
