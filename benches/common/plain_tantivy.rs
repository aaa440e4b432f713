//! The engine without the crate: tantivy used directly, as an application would use it, on the
//! crate's own index directory (same segments, same analysed terms) and the same queries.
//!
//! It measures what the crate adds over its engine (query language, ranking steps, citation
//! JSON, snippet handling): each query here is the plain tantivy equivalent — stemmed term
//! queries, boolean must/should, positional phrase queries over words (tantivy has no word
//! pairs), constant-score filter terms, exact totals (`Count`), facet counts from the fast-field
//! columns, `MoreLikeThisQuery` for "similar", and for each of the ten hits the stored document
//! with a `SnippetGenerator` snippet.

use std::path::Path;

use serde::Deserialize;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, MoreLikeThisQuery, Occur, PhraseQuery, Query, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, OwnedValue, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::{DocId, Index, IndexReader, Score, SegmentOrdinal, SegmentReader, TantivyDocument};

use super::queries::{Class, Spec};

/// The facets the results page counts (as the crate's `FacetCounts`).
const FACETS: [&str; 5] = ["authority", "year", "grade", "theme", "area"];

/// The crate's words analyser, rebuilt from tantivy's parts: split on non-alphanumerics, drop
/// tokens over 40 bytes, lowercase, English (Porter) stemmer.
fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// tantivy opened directly on an ofsted-search index directory.
pub struct PlainTantivy {
    reader: IndexReader,
    text: Field,
    data: Field,
    id: Field,
    grade: Field,
    year: Field,
    theme: Field,
    analyzer: TextAnalyzer,
}

/// A prepared query: the tantivy query, and whether to count facets.
pub struct Prepared {
    query: Box<dyn Query>,
    facets: bool,
}

/// Only what a hit needs from the stored JSON.
#[derive(Deserialize)]
struct Stored {
    paragraph: StoredParagraph,
}

#[derive(Deserialize)]
struct StoredParagraph {
    text: String,
}

impl PlainTantivy {
    /// Opens the index at `dir` (built by the crate) with tantivy's own API.
    pub fn open(dir: &Path) -> tantivy::Result<PlainTantivy> {
        let index = Index::open_in_dir(dir)?;
        // tantivy does not persist tokenizers: register the crate's names. The text field's
        // name maps to the words analyser here, so snippets and "more like this" see words.
        for name in ["ofsted_en_pairs", "ofsted_en"] {
            index.tokenizers().register(name, words_analyzer());
        }
        index.tokenizers().register(
            "ofsted_exact",
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .build(),
        );
        let schema = index.schema();
        let f = |n: &str| schema.get_field(n);
        Ok(PlainTantivy {
            reader: index.reader()?,
            text: f("text")?,
            data: f("data")?,
            id: f("id")?,
            grade: f("grade")?,
            year: f("year")?,
            theme: f("theme")?,
            analyzer: words_analyzer(),
        })
    }

    fn stems(&mut self, words: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for w in words {
            let mut s = self.analyzer.token_stream(w);
            while let Some(t) = s.next() {
                out.push(t.text.clone());
            }
        }
        out
    }

    fn term(&self, stem: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            tantivy::Term::from_field_text(self.text, stem),
            IndexRecordOption::WithFreqs,
        ))
    }

    fn filter(field: Field, values: &[String]) -> Box<dyn Query> {
        let terms: Vec<tantivy::Term> = values
            .iter()
            .map(|v| tantivy::Term::from_field_text(field, v))
            .collect();
        let q: Box<dyn Query> = if terms.len() == 1 {
            Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic))
        } else {
            Box::new(TermSetQuery::new(terms))
        };
        Box::new(ConstScoreQuery::new(q, 0.0))
    }

    /// The tantivy query for a spec.
    pub fn prepare(&mut self, spec: &Spec) -> Prepared {
        let stems = self.stems(&spec.words);
        let query: Box<dyn Query> = match spec.class {
            Class::Similar => {
                let (id, text) = spec.like.clone().expect("similar spec has a source");
                let searcher = self.reader.searcher();
                let max_df = (searcher.num_docs() as f64 * 0.3) as u64;
                let mlt = MoreLikeThisQuery::builder()
                    .with_min_term_frequency(1)
                    .with_min_doc_frequency(2)
                    .with_max_doc_frequency(max_df)
                    .with_min_word_length(3)
                    .with_max_query_terms(25)
                    .with_document_fields(vec![(self.text, vec![OwnedValue::Str(text)])]);
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(mlt) as Box<dyn Query>),
                    (
                        Occur::MustNot,
                        Box::new(TermQuery::new(
                            tantivy::Term::from_field_text(self.id, &id),
                            IndexRecordOption::Basic,
                        )),
                    ),
                ]))
            }
            Class::Phrase2 | Class::Phrase3 => {
                let terms = stems
                    .iter()
                    .map(|s| tantivy::Term::from_field_text(self.text, s))
                    .collect();
                Box::new(PhraseQuery::new(terms))
            }
            Class::AnyTwo => Box::new(BooleanQuery::new(
                stems
                    .iter()
                    .map(|s| (Occur::Should, self.term(s)))
                    .collect(),
            )),
            _ if stems.len() == 1 && spec.grade.is_none() && spec.years.is_none() => {
                match &spec.theme {
                    None => self.term(&stems[0]),
                    Some(t) => Box::new(BooleanQuery::new(vec![
                        (Occur::Must, self.term(&stems[0])),
                        (
                            Occur::Must,
                            Self::filter(self.theme, std::slice::from_ref(t)),
                        ),
                    ])),
                }
            }
            _ => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                    stems.iter().map(|s| (Occur::Must, self.term(s))).collect();
                if let Some(g) = spec.grade {
                    clauses.push((Occur::Must, Self::filter(self.grade, &[g.to_string()])));
                }
                if let Some((lo, hi)) = spec.years {
                    let years: Vec<String> = (lo..=hi).map(|y| y.to_string()).collect();
                    clauses.push((Occur::Must, Self::filter(self.year, &years)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
        };
        Prepared {
            query,
            facets: spec.class == Class::Page,
        }
    }

    /// Runs a prepared query: top 10 with exact total (and facet counts for the results
    /// page), each hit's stored text and a snippet. Returns the total.
    pub fn run(&self, q: &Prepared) -> tantivy::Result<u64> {
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(10).order_by_score();
        let facets = q.facets.then_some(Facets);
        let (hits, total, counts) = searcher.search(&q.query, &(top, Count, facets))?;
        std::hint::black_box(counts);
        let snippets = SnippetGenerator::create(&searcher, &q.query, self.text)?;
        let mut touched = 0;
        for (_, addr) in hits {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let bytes = doc
                .get_first(self.data)
                .and_then(|v| v.as_bytes())
                .unwrap_or_default();
            let stored: Stored = serde_json::from_slice(bytes)
                .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
            let snippet = snippets.snippet(&stored.paragraph.text);
            touched += snippet.fragment().len() + snippet.highlighted().len();
        }
        std::hint::black_box(touched);
        Ok(total as u64)
    }
}

/// Counts of every facet value over the matches, from the fast-field columns' ordinals.
struct Facets;

struct SegmentFacets {
    columns: Vec<(StrColumn, Vec<u32>)>,
}

impl Collector for Facets {
    type Fruit = Vec<Vec<(String, u64)>>;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let mut columns = Vec::new();
        for name in FACETS {
            if let Some(c) = segment.fast_fields().str(name)? {
                let n = c.num_terms();
                columns.push((c, vec![0; n]));
            }
        }
        Ok(SegmentFacets { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Vec<Vec<(String, u64)>>;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (column, counts) in &mut self.columns {
            for ord in column.ords().values_for_doc(doc) {
                if let Some(n) = counts.get_mut(ord as usize) {
                    *n += 1;
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.columns
            .into_iter()
            .map(|(column, counts)| {
                let (ords, ns): (Vec<u64>, Vec<u64>) = counts
                    .iter()
                    .enumerate()
                    .filter(|(_, &n)| n > 0)
                    .map(|(o, &n)| (o as u64, u64::from(n)))
                    .unzip();
                let mut ns = ns.into_iter();
                let mut out = Vec::with_capacity(ords.len());
                let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |t| {
                    out.push((
                        String::from_utf8_lossy(t).into_owned(),
                        ns.next().unwrap_or(0),
                    ));
                });
                out
            })
            .collect()
    }
}

/// Where the bytes of an index go, from tantivy's own accounting: one line per part (term
/// dictionaries, postings, positions, fieldnorms, fast fields, document store, deletes), each
/// with its largest fields, in MB (10^6 bytes) and as a share of `text_bytes`.
pub fn space_report(dir: &Path, text_bytes: u64) -> tantivy::Result<Vec<String>> {
    let index = Index::open_in_dir(dir)?;
    let usage = index.reader()?.searcher().space_usage()?;
    let mb = |b: u64| {
        format!(
            "{:.1} MB ({:.3}x)",
            b as f64 / 1e6,
            b as f64 / text_bytes as f64
        )
    };
    // Per part, per field name, summed over segments.
    let mut parts: Vec<(&str, std::collections::BTreeMap<String, u64>)> = Vec::new();
    let mut store = 0u64;
    let mut deletes = 0u64;
    for (name, pick) in [
        ("terms", 0usize),
        ("postings", 1),
        ("positions", 2),
        ("fieldnorms", 3),
        ("fast fields", 4),
    ] {
        let mut per = std::collections::BTreeMap::new();
        for seg in usage.segments() {
            let f = match pick {
                0 => seg.termdict(),
                1 => seg.postings(),
                2 => seg.positions(),
                3 => seg.fieldnorms(),
                _ => seg.fast_fields(),
            };
            for field in f.fields() {
                *per.entry(field.field_name().to_string()).or_insert(0) +=
                    field.total().get_bytes();
            }
        }
        parts.push((name, per));
    }
    for seg in usage.segments() {
        store += seg.store().total().get_bytes();
        deletes += seg.deletes().get_bytes();
    }
    let mut out = vec![format!(
        "index total (tantivy's accounting): {}",
        mb(usage.total().get_bytes())
    )];
    for (name, per) in parts {
        let total: u64 = per.values().sum();
        let mut fields: Vec<(String, u64)> = per.into_iter().filter(|(_, b)| *b > 0).collect();
        fields.sort_by_key(|f| std::cmp::Reverse(f.1));
        let list: Vec<String> = fields
            .iter()
            .take(6)
            .map(|(f, b)| format!("{f} {:.1}", *b as f64 / 1e6))
            .collect();
        out.push(format!("{name}: {} [{}]", mb(total), list.join(", ")));
    }
    out.push(format!("document store: {}", mb(store)));
    out.push(format!("deletes: {}", mb(deletes)));
    Ok(out)
}
