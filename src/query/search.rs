//! Running a [`Query`]: the parsed text becomes tantivy term, phrase and boolean queries
//! (analysed like the indexed text), filters become constant-score term sets, and one pass
//! collects the top hits, the total and the facet counts.

use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::EnableScoring;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur as TOccur, PhraseQuery,
    Query as TQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocSet, Searcher, Term, TERMINATED};

use super::builder::{Operator, Query, Totals};
use super::facets::FacetCollector;
use super::guard::Guarded;
use super::parser::{self, Node, Occur};
use super::results::{FacetCounts, Hit, SearchResults};
use crate::error::{Error, QueryError, Result};
use crate::index::{year_term, Fields, SearchIndex, DOC_PARAGRAPH, ROLE_FINDING};
use crate::ranking::{self, Ranking};

/// Years outside this span are not expanded into year terms (no report predates Ofsted).
const YEAR_SPAN: std::ops::RangeInclusive<u16> = 1990..=2200;
/// How many words of the source paragraph make a "similar" query.
const SIMILAR_TERMS: usize = 25;
/// Words in more than this share of paragraphs say nothing about similarity.
const SIMILAR_MAX_DOC_SHARE: f64 = 0.3;
/// Function words that never make two paragraphs similar, whatever their frequency.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "being", "both", "but", "by", "can", "could", "do", "does", "for", "from", "had", "has",
    "have", "how", "in", "into", "is", "it", "its", "may", "more", "most", "much", "not", "of",
    "on", "or", "other", "our", "over", "should", "so", "some", "such", "than", "that", "the",
    "their", "them", "there", "these", "they", "this", "those", "through", "to", "under", "very",
    "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "whose", "why",
    "will", "with", "within", "would",
];

/// Runs `q` on `index`.
pub(crate) fn run(index: &SearchIndex, q: &Query) -> Result<SearchResults> {
    let searcher = index.searcher();
    let fields = index.fields();
    let place = index.place();
    // Words only: the index analyzer of `text` also emits word pairs, which `words` asks for
    // itself where a phrase can use them.
    let analyzer = crate::index::analyzer();
    let mut compiler = Compiler {
        fields,
        analyzer,
        highlight: Vec::new(),
        ranking: q.ranking.clone(),
        searcher: searcher.clone(),
    };

    let mut clauses: Vec<(TOccur, Box<dyn TQuery>)> = Vec::new();
    // Set when the fallback widened the text: these paragraphs rank first.
    let mut all_spans = None;
    if let Some(id) = &q.similar_to {
        let source = index.paragraph(id)?;
        let similar = compiler.similar(&searcher, &source.paragraph.text, place)?;
        clauses.push((TOccur::Must, similar));
        clauses.push((TOccur::MustNot, term_query(fields.id, id)));
        if !q.same_authority {
            let authority = term_query(fields.authority, &source.paragraph.authority);
            clauses.push((TOccur::MustNot, authority));
        }
    } else {
        // Ranking: a question is searched with any word (src/ranking.rs).
        let operator = q.ranking.operator_for(&q.text, q.operator);
        let parsed = parser::parse(&q.text, operator, q.lenient)?;
        // Ranking: stop words out, vocabulary spans in (src/ranking.rs).
        let parsed = parsed.map(|node| ranking::rewrite(node, &q.ranking));
        // One span (a word and its other forms, a phrase): matching every span is matching
        // any, so the fallback would change nothing, and is not even counted.
        let one_span = parsed.as_ref().is_some_and(|n| !matches!(n, Node::Bool(_)));
        match parsed.and_then(|node| compiler.compile(&node, true)) {
            Some(text) if one_span => clauses.push((TOccur::Must, text)),
            Some(text) => {
                // Ranking: the all-words fallback (src/ranking.rs).
                let (text, all) = widen(&searcher, &mut compiler, q, text, place)?;
                all_spans = all;
                clauses.push((TOccur::Must, text))
            }
            None if q.text.trim().is_empty() => {
                clauses.push((TOccur::Must, all_paragraphs(fields)));
            }
            None if q.lenient => clauses.push((TOccur::Must, Box::new(EmptyQuery))),
            None => {
                return Err(Error::Query(QueryError {
                    query: q.text.clone(),
                    position: 0,
                    reason: "the query has no searchable words".into(),
                }))
            }
        }
    }
    for filter in filters(fields, q) {
        clauses.push((TOccur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
    }
    // One required clause and nothing else is that clause itself: tantivy runs its block-max
    // top-k (block-WAND) only on a term query or a flat boolean of term queries at the top.
    let query: Box<dyn TQuery> = if clauses.len() == 1 && clauses[0].0 == TOccur::Must {
        clauses
            .pop()
            .map(|(_, q)| q)
            .unwrap_or_else(|| Box::new(EmptyQuery))
    } else {
        Box::new(BooleanQuery::new(clauses))
    };

    // The top-docs collector allocates room for offset + limit hits up front, so both are
    // capped by the number of documents (a huge --limit must not exhaust memory); it refuses
    // a limit of 0, so a "counts only" query skips it.
    let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let limit = q.limit.min(docs.saturating_sub(q.offset));
    // Hybrid ranking (feature `semantic`) reads the lexical ranking deeper, from the top, and
    // fuses it with the nearest paragraphs by meaning (src/semantic/fuse.rs): this is how
    // deep, when it applies.
    #[cfg(feature = "semantic")]
    let hybrid = (q.ranking.is_hybrid()
        && q.similar_to.is_none()
        && q.limit > 0
        && !q.text.trim().is_empty())
    .then(|| crate::semantic::depth(q).min(docs));
    #[cfg(not(feature = "semantic"))]
    let hybrid: Option<usize> = None;
    let facets = q.facets.then_some(FacetCollector);
    let context_weight = q.ranking.context_multiplier();
    // The top `n` hits after `offset` in rank order, with the total and the facet counts.
    let ranked = |n: usize, offset: usize, facets: Option<FacetCollector>| {
        match all_spans.clone() {
            None if context_weight < 1.0 => {
                // Context blocks weigh less (src/ranking.rs).
                let top = (n > 0).then(|| {
                    TopDocs::with_limit(n).and_offset(offset).tweak_score(
                        move |segment: &tantivy::SegmentReader| {
                            let weight = ranking::RoleWeights::of(segment, context_weight);
                            move |doc: tantivy::DocId, score: f32| score * weight.of_doc(doc)
                        },
                    )
                });
                searcher.search(&query, &(top, Count, facets))
            }
            None => {
                let top =
                    (n > 0).then(|| TopDocs::with_limit(n).and_offset(offset).order_by_score());
                searcher.search(&query, &(top, Count, facets))
            }
            Some(first) => {
                // All-span matches first, each hit keeping its own score (src/ranking.rs).
                let top = (n > 0).then(|| first.top_docs(n, offset, context_weight));
                searcher
                    .search(&query, &(top, Count, facets))
                    .map(|(top, total, facets)| {
                        let top: Option<Vec<(f32, tantivy::DocAddress)>> = top.map(|hits| {
                            hits.into_iter()
                                .map(|((_, score), addr)| (score, addr))
                                .collect()
                        });
                        (top, total, facets)
                    })
            }
        }
        .map_err(|e| place.error(e))
    };
    // With a per-report cap (Query::per_report) the page is chosen afterwards from a window
    // of the top hits, widened until it holds the page or covers every match.
    let (top, total, facets) = if let Some(depth) = hybrid {
        // The per-report cap and the page are applied to the fused list (src/semantic/fuse.rs).
        ranked(depth, 0, facets)?
    } else if q.per_report > 0 {
        let (_, total, facets) = ranked(0, 0, facets)?;
        let need = q.offset.saturating_add(q.limit).min(total);
        let mut window = need.saturating_mul(4).min(total);
        let mut page = Vec::new();
        while need > 0 && page.is_empty() {
            let (top, _, _) = ranked(window, 0, None)?;
            let mut shown: std::collections::HashMap<String, usize> = Default::default();
            let mut kept = Vec::with_capacity(need);
            for (score, addr) in top.unwrap_or_default() {
                let citation = index.citation_at(&searcher, addr)?;
                let n = shown
                    .entry(citation.paragraph.report_id.clone())
                    .or_insert(0);
                if *n < q.per_report {
                    *n += 1;
                    kept.push((score, addr));
                    if kept.len() == need {
                        break;
                    }
                }
            }
            if kept.len() == need || window >= total {
                page = kept.into_iter().skip(q.offset).collect();
                break;
            }
            window = window.saturating_mul(2).min(total);
        }
        (Some(page), total, facets)
    } else if let (Totals::AtLeast(n), false, true, None, false) = (
        q.totals,
        q.facets,
        limit > 0,
        &all_spans,
        context_weight < 1.0,
    ) {
        // Top-k only: no counting collector beside the top docs, so the engine may skip blocks
        // that cannot reach the top; the total is counted separately, up to `n`.
        let top = TopDocs::with_limit(limit)
            .and_offset(q.offset)
            .order_by_score();
        let hits = searcher.search(&query, &top).map_err(|e| place.error(e))?;
        let counted = count_up_to(&searcher, query.as_ref(), n, place)?;
        let seen = if hits.is_empty() {
            0
        } else {
            (q.offset + hits.len()) as u64
        };
        let total = if counted < n {
            counted
        } else {
            counted.max(seen)
        };
        (
            Some(hits),
            usize::try_from(total).unwrap_or(usize::MAX),
            None,
        )
    } else {
        ranked(limit, q.offset, facets)?
    };
    let facets = match facets {
        Some(Ok(counts)) => counts,
        Some(Err(message)) => return Err(place.message(message)),
        None => FacetCounts::default(),
    };

    let top = top.unwrap_or_default();
    #[cfg(feature = "semantic")]
    let top = match hybrid {
        Some(_) => crate::semantic::fuse(index, &searcher, q, top, filters(fields, q))?,
        None => top,
    };
    let snippets = compiler.snippet_generator(&searcher, q.snippet_chars, place)?;
    let mut hits = Vec::new();
    for (score, addr) in top {
        let citation = index.citation_at(&searcher, addr)?;
        let snippet = snippet(&snippets, &citation.paragraph.text, q);
        hits.push(Hit::new(citation, score, snippet));
    }
    Ok(SearchResults {
        total: total as u64,
        hits,
        facets,
    })
}

/// Ranking: under [`Operator::All`], when fewer paragraphs than the ranking's fallback
/// threshold match every span (within the filters), matches any span instead, and returns
/// the paragraphs that match every span, which rank first (see [`ranking::AllSpans`]).
fn widen(
    searcher: &Searcher,
    compiler: &mut Compiler,
    q: &Query,
    all: Box<dyn TQuery>,
    place: &crate::index::IndexPlace,
) -> Result<(Box<dyn TQuery>, Option<ranking::AllSpans>)> {
    let threshold = q.ranking.fallback_threshold();
    if q.ranking.operator_for(&q.text, q.operator) != Operator::All || threshold == 0 {
        return Ok((all, None));
    }
    let mut clauses: Vec<(TOccur, Box<dyn TQuery>)> = vec![(TOccur::Must, all.box_clone())];
    for filter in filters(compiler.fields, q) {
        clauses.push((TOccur::Must, filter));
    }
    let all_filtered = BooleanQuery::new(clauses);
    // Only whether `threshold` paragraphs match: counting stops there, so a common query
    // costs a few postings blocks here, not a second full pass.
    let wanted = u64::try_from(threshold).unwrap_or(u64::MAX);
    let found = count_up_to(searcher, &all_filtered, wanted, place)?;
    if found >= wanted {
        return Ok((all, None));
    }
    let any = parser::parse(&q.text, Operator::Any, q.lenient)?
        .map(|node| ranking::rewrite(node, &q.ranking))
        .and_then(|node| compiler.compile(&node, true));
    Ok(match any {
        Some(any) => {
            let first =
                ranking::AllSpans::find(searcher, &all_filtered).map_err(|e| place.error(e))?;
            (any, Some(first))
        }
        None => (all, None),
    })
}

/// The number of paragraphs `query` matches, counted up to `n` (then it stops): documents
/// visited without scores, segment by segment, deleted ones skipped.
fn count_up_to(
    searcher: &Searcher,
    query: &dyn TQuery,
    n: u64,
    place: &crate::index::IndexPlace,
) -> Result<u64> {
    if n == 0 {
        return Ok(0);
    }
    let weight = query
        .weight(EnableScoring::disabled_from_searcher(searcher))
        .map_err(|e| place.error(e))?;
    let mut count = 0u64;
    for reader in searcher.segment_readers() {
        let mut scorer = weight.scorer(reader, 1.0).map_err(|e| place.error(e))?;
        let alive = reader.alive_bitset();
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                count += 1;
                if count >= n {
                    return Ok(count);
                }
            }
            doc = scorer.advance();
        }
    }
    Ok(count)
}

fn term_query(field: Field, text: &str) -> Box<dyn TQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

/// Every paragraph document (report records share the index), scoring 0.
fn all_paragraphs(fields: Fields) -> Box<dyn TQuery> {
    Box::new(ConstScoreQuery::new(
        term_query(fields.doc_type, DOC_PARAGRAPH),
        0.0,
    ))
}

/// One term-set query per filtered facet: values of a facet are alternatives.
fn filters(fields: Fields, q: &Query) -> Vec<Box<dyn TQuery>> {
    let mut out: Vec<Box<dyn TQuery>> = Vec::new();
    let mut add =
        |field: Field, values: Vec<String>, used: bool| {
            if !used {
                return;
            }
            // One value: its postings, advanced only to the documents the text query proposes.
            // Several (a year range): a term set, which marks their documents in a bitset once;
            // on a million paragraphs that beat a union of postings by about 2x for a 4-year range.
            let mut terms: Vec<Term> = values
                .iter()
                .map(|v| Term::from_field_text(field, v))
                .collect();
            if terms.len() == 1 {
                out.extend(terms.pop().map(|t| {
                    Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn TQuery>
                }));
            } else {
                out.push(Box::new(TermSetQuery::new(terms)));
            }
        };
    add(
        fields.authority,
        q.authorities.clone(),
        !q.authorities.is_empty(),
    );
    let year_terms = |ranges: &[std::ops::RangeInclusive<u16>]| -> Vec<String> {
        ranges
            .iter()
            .flat_map(|r| {
                let from = (*r.start()).max(*YEAR_SPAN.start());
                let to = (*r.end()).min(*YEAR_SPAN.end());
                (from..=to).map(year_term)
            })
            .collect()
    };
    add(fields.year, year_terms(&q.years), !q.years.is_empty());
    add(
        fields.published_year,
        year_terms(&q.published_years),
        !q.published_years.is_empty(),
    );
    let names = |v: &[crate::Grade]| v.iter().map(|g| g.as_str().to_string()).collect();
    add(fields.grade, names(&q.grades), !q.grades.is_empty());
    add(fields.theme, q.themes.clone(), !q.themes.is_empty());
    let areas = q.areas.iter().map(|a| a.as_str().to_string()).collect();
    add(fields.area, areas, !q.areas.is_empty());
    let kinds = q.kinds.iter().map(|k| k.as_str().to_string()).collect();
    add(fields.kind, kinds, !q.kinds.is_empty());
    add(
        fields.overall_grade,
        names(&q.overall_grades),
        !q.overall_grades.is_empty(),
    );
    let frameworks = q
        .frameworks
        .iter()
        .map(|f| f.as_str().to_string())
        .collect();
    add(fields.framework, frameworks, !q.frameworks.is_empty());
    add(fields.role, vec![ROLE_FINDING.to_string()], q.findings_only);
    out
}

/// Turns parsed nodes into engine queries and remembers the words to highlight.
struct Compiler {
    fields: Fields,
    analyzer: TextAnalyzer,
    /// Analysed words of every clause that is not excluded.
    highlight: Vec<String>,
    /// How rewritten spans are scored.
    ranking: Ranking,
    /// The index statistics that weigh rewritten spans.
    searcher: Searcher,
}

impl Compiler {
    fn tokens(&mut self, text: &str) -> Vec<(usize, String)> {
        let mut stream = self.analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((token.position, token.text.clone()));
        }
        out
    }

    /// `None` when the node has nothing searchable (e.g. a word of punctuation only).
    fn compile(&mut self, node: &Node, positive: bool) -> Option<Box<dyn TQuery>> {
        match node {
            Node::Word { text } => self.words(text, 0, positive),
            Node::Phrase { text, slop } => self.words(text, *slop, positive),
            Node::Alt {
                typed,
                alternatives,
            } => {
                let mut excluded = Vec::new();
                let highlight = if positive {
                    &mut self.highlight
                } else {
                    &mut excluded
                };
                ranking::compile_alt(
                    typed,
                    alternatives,
                    self.fields,
                    &mut self.analyzer,
                    &self.ranking,
                    highlight,
                    &self.searcher,
                )
            }
            Node::Authority { typed, name } => {
                let mut excluded = Vec::new();
                let highlight = if positive {
                    &mut self.highlight
                } else {
                    &mut excluded
                };
                ranking::compile_authority(
                    typed,
                    name,
                    self.fields,
                    &mut self.analyzer,
                    &self.ranking,
                    highlight,
                    &self.searcher,
                )
            }
            Node::Bool(children) => {
                let mut clauses: Vec<(TOccur, Box<dyn TQuery>)> = Vec::new();
                for (occur, child) in children {
                    let occur = match occur {
                        Occur::Must => TOccur::Must,
                        Occur::Should => TOccur::Should,
                        Occur::MustNot => TOccur::MustNot,
                    };
                    let keep = positive && occur != TOccur::MustNot;
                    if let Some(q) = self.compile(child, keep) {
                        clauses.push((occur, q));
                    }
                }
                let positives = clauses.iter().filter(|(o, _)| *o != TOccur::MustNot);
                match positives.count() {
                    0 if clauses.is_empty() => None,
                    0 => {
                        // Only exclusions: they exclude from every paragraph.
                        clauses.push((TOccur::Must, all_paragraphs(self.fields)));
                        Some(Box::new(BooleanQuery::new(clauses)))
                    }
                    1 if clauses.len() == 1 => clauses.pop().map(|(_, q)| q),
                    _ => Some(Box::new(BooleanQuery::new(clauses))),
                }
            }
        }
    }

    /// A word or phrase: one analysed token is a term query; several (a phrase, or a word
    /// the analyzer splits, like `multi-agency`) are a phrase query.
    fn words(&mut self, text: &str, slop: u32, positive: bool) -> Option<Box<dyn TQuery>> {
        let tokens = self.tokens(text);
        if positive {
            self.highlight.extend(tokens.iter().map(|(_, t)| t.clone()));
        }
        let field = self.fields.text;
        match tokens.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                Term::from_field_text(field, &tokens[0].1),
                IndexRecordOption::WithFreqs,
            ))),
            n => {
                let adjacent = tokens.windows(2).all(|w| w[0].0 + 1 == w[1].0);
                if slop == 0 && adjacent {
                    // The index holds every pair of adjacent words as one term: a two-word
                    // phrase is that term, a longer one is checked on word positions only
                    // where all its pairs meet (their postings are far shorter than those of
                    // common words like "the").
                    let words: Vec<String> = tokens.into_iter().map(|(_, t)| t).collect();
                    debug_assert!(n == words.len());
                    return crate::index::adjacent_words(self.fields, &words);
                }
                let terms = tokens
                    .iter()
                    .map(|(pos, t)| (*pos, Term::from_field_text(field, t)))
                    .collect();
                // Guarded: tantivy's phrase scorer panics (debug builds) when an exclusion
                // asks it about a document behind its current one; see `guard`.
                let phrase = PhraseQuery::new_with_offset_and_slop(terms, slop);
                Some(Box::new(Guarded(Box::new(phrase))))
            }
        }
    }

    /// "More like this": the source text's words weighted by frequency × rarity.
    fn similar(
        &mut self,
        searcher: &Searcher,
        text: &str,
        place: &crate::index::IndexPlace,
    ) -> Result<Box<dyn TQuery>> {
        let stop: HashSet<String> = STOP_WORDS
            .iter()
            .flat_map(|w| self.tokens(w))
            .map(|(_, t)| t)
            .collect();
        let mut tf: HashMap<String, u32> = HashMap::new();
        for (_, token) in self.tokens(text) {
            let useful = token.chars().count() >= 3
                && !token.chars().all(|c| c.is_ascii_digit())
                && !stop.contains(&token);
            if useful {
                *tf.entry(token).or_insert(0) += 1;
            }
        }
        let n = searcher.num_docs() as f64;
        let mut weighted = Vec::new();
        for (token, count) in tf {
            let term = Term::from_field_text(self.fields.text, &token);
            let df = searcher.doc_freq(&term).map_err(|e| place.error(e))? as f64;
            // A word found only in the source paragraph cannot match another one.
            if df < 2.0 || df > n * SIMILAR_MAX_DOC_SHARE {
                continue;
            }
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            weighted.push((f64::from(count) * idf, token, term));
        }
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        weighted.truncate(SIMILAR_TERMS);
        let top = weighted.first().map_or(1.0, |w| w.0);
        let clauses: Vec<(TOccur, Box<dyn TQuery>)> = weighted
            .into_iter()
            .map(|(weight, token, term)| {
                self.highlight.push(token);
                let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
                let boost = (weight / top) as f32;
                (
                    TOccur::Should,
                    Box::new(BoostQuery::new(Box::new(q), boost)) as Box<dyn TQuery>,
                )
            })
            .collect();
        if clauses.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// A snippet generator for the highlighted words, rarer words weighing more.
    fn snippet_generator(
        &self,
        searcher: &Searcher,
        max_chars: usize,
        place: &crate::index::IndexPlace,
    ) -> Result<SnippetGenerator> {
        let mut terms = BTreeMap::new();
        for token in &self.highlight {
            let term = Term::from_field_text(self.fields.text, token);
            let df = searcher.doc_freq(&term).map_err(|e| place.error(e))?;
            if df > 0 {
                terms.insert(token.clone(), 1.0 / (1.0 + df as f32));
            }
        }
        Ok(SnippetGenerator::new(
            terms,
            self.analyzer.clone(),
            self.fields.text,
            max_chars,
        ))
    }
}

/// The best passage with markers around matched words, `…` where text was cut; the start of
/// the text when no word matched.
fn snippet(generator: &SnippetGenerator, text: &str, q: &Query) -> String {
    let (before, after) = (&q.highlight.0, &q.highlight.1);
    let found = generator.snippet(text);
    if found.highlighted().is_empty() {
        return text_start(text, q.snippet_chars);
    }
    let fragment = found.fragment();
    let range = found.fragment_range();
    let mut out = String::with_capacity(fragment.len() + 16);
    if range.start > 0 {
        out.push('…');
    }
    let mut at = 0;
    for h in found.highlighted() {
        // Ranges are sorted and disjoint; a defensive skip keeps a surprise from panicking.
        if h.start < at || h.end > fragment.len() {
            continue;
        }
        out.push_str(&fragment[at..h.start]);
        out.push_str(before);
        out.push_str(&fragment[h.start..h.end]);
        out.push_str(after);
        at = h.end;
    }
    out.push_str(&fragment[at..]);
    if range.end < text.len() {
        out.push('…');
    }
    out
}

/// About `max_chars` characters from the start of `text`, cut at a word boundary.
fn text_start(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((cut, _)) => {
            let head = &text[..cut];
            let head = head.rfind(char::is_whitespace).map_or(head, |i| &head[..i]);
            format!("{}…", head.trim_end())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::index::fixtures::{corpus, AUTHORITIES, THEMES};
    use crate::ingest::ParsedReport;
    use crate::model::{Area, Grade, Paragraph};
    use crate::query::Operator;

    fn indexed(reports: &[ParsedReport]) -> Result<SearchIndex> {
        let index = SearchIndex::create_in_ram()?;
        let mut writer = index.writer()?;
        for r in reports {
            writer.add_report(r)?;
        }
        writer.commit()?;
        Ok(index)
    }

    fn stems(text: &str) -> BTreeSet<String> {
        let mut analyzer = crate::index::analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = BTreeSet::new();
        while let Some(t) = stream.next() {
            out.insert(t.text.clone());
        }
        out
    }

    /// Facet counts computed by walking the paragraphs (and their reports, in `reports`).
    fn brute_counts<'a>(
        paragraphs: impl Iterator<Item = &'a Paragraph>,
        reports: &[ParsedReport],
    ) -> FacetCounts {
        let mut c = FacetCounts::default();
        for p in paragraphs {
            let r = &reports
                .iter()
                .find(|r| r.report.report_id == p.report_id)
                .expect("the paragraph's report")
                .report;
            *c.kind.entry(r.kind.to_string()).or_default() += 1;
            if let Some(f) = r.framework {
                *c.framework.entry(f.to_string()).or_default() += 1;
            }
            if let Some(g) = r.overall_grade {
                *c.overall_grade.entry(g.to_string()).or_default() += 1;
            }
            if let Some(y) = r.published_year {
                *c.published_year.entry(y.to_string()).or_default() += 1;
            }
            *c.authority.entry(p.authority.clone()).or_default() += 1;
            if let Some(y) = p.year {
                *c.year.entry(y.to_string()).or_default() += 1;
            }
            if let Some(g) = p.grade {
                *c.grade.entry(g.to_string()).or_default() += 1;
            }
            for t in &p.themes {
                *c.theme.entry(t.clone()).or_default() += 1;
            }
            if let Some(a) = p.area {
                *c.area.entry(a.to_string()).or_default() += 1;
            }
        }
        c
    }

    fn all_paragraphs(reports: &[ParsedReport]) -> impl Iterator<Item = &Paragraph> {
        reports.iter().flat_map(|r| r.paragraphs.iter())
    }

    #[test]
    fn facet_counts_cover_the_whole_matching_set() -> Result<()> {
        let reports = corpus(12, 15);
        let index = indexed(&reports)?;
        for word in ["missing", "police", "oversight", "adoption"] {
            let stem = stems(word).into_iter().next().unwrap();
            let expected: Vec<&Paragraph> = all_paragraphs(&reports)
                .filter(|p| stems(&p.text).contains(&stem))
                .collect();
            let mut q = Query::new(word);
            q.limit(1);
            let results = index.search(&q)?;
            assert!(expected.len() > 1, "the fixture should match several");
            assert_eq!(results.total, expected.len() as u64, "{word}");
            assert_eq!(results.hits.len(), 1);
            assert_eq!(
                results.facets,
                brute_counts(expected.into_iter(), &reports),
                "{word}"
            );
        }
        let everything = index.search(&Query::all())?;
        assert_eq!(
            everything.facets,
            brute_counts(all_paragraphs(&reports), &reports)
        );
        assert_eq!(everything.total, 180);
        Ok(())
    }

    #[test]
    fn filters_never_let_a_paragraph_through() -> Result<()> {
        let reports = corpus(12, 15);
        let index = indexed(&reports)?;
        let by_id: BTreeMap<&str, &ParsedReport> = reports
            .iter()
            .flat_map(|r| r.paragraphs.iter().map(move |p| (p.id.as_str(), r)))
            .collect();
        let mut queries = Vec::new();
        let mut q = Query::new("children");
        q.grade(Grade::Good).grade(Grade::Inadequate);
        queries.push(q);
        let mut q = Query::all();
        q.authority(AUTHORITIES[1]).years(2015..=2016);
        queries.push(q);
        let mut q = Query::new("help OR families");
        q.theme(THEMES[0])
            .area(Area::LookedAfter)
            .area(Area::HelpAndProtection);
        queries.push(q);
        let mut q = Query::all();
        q.year(2014)
            .year(2017)
            .kind(crate::ReportKind::FocusedVisit);
        queries.push(q);
        let mut q = Query::new("social");
        q.overall_grade(Grade::Outstanding)
            .theme(THEMES[2])
            .theme(THEMES[3]);
        queries.push(q);

        for q in &mut queries {
            q.limit(1000);
            let results = index.search(q)?;
            let keep = |p: &Paragraph, r: &ParsedReport| {
                let year = p.year.unwrap_or(0);
                (q.authorities.is_empty() || q.authorities.contains(&p.authority))
                    && (q.years.is_empty() || q.years.iter().any(|y| y.contains(&year)))
                    && (q.grades.is_empty() || p.grade.is_some_and(|g| q.grades.contains(&g)))
                    && (q.themes.is_empty() || p.themes.iter().any(|t| q.themes.contains(t)))
                    && (q.areas.is_empty() || p.area.is_some_and(|a| q.areas.contains(&a)))
                    && (q.kinds.is_empty() || q.kinds.contains(&r.report.kind))
                    && (q.overall_grades.is_empty()
                        || r.report
                            .overall_grade
                            .is_some_and(|g| q.overall_grades.contains(&g)))
            };
            assert!(results.total > 0, "{q:?} should match something");
            for hit in &results.hits {
                let r = by_id[hit.id.as_str()];
                let p = r.paragraphs.iter().find(|p| p.id == hit.id).unwrap();
                assert!(keep(p, r), "{} leaked through {q:?}", hit.id);
            }
            // And nothing that passes the filters and the text is missing.
            let unfiltered = {
                let mut u = Query::new(&q.text);
                u.limit(1000);
                index.search(&u)?
            };
            let expected = unfiltered
                .hits
                .iter()
                .filter(|h| {
                    let r = by_id[h.id.as_str()];
                    keep(r.paragraphs.iter().find(|p| p.id == h.id).unwrap(), r)
                })
                .count();
            assert_eq!(results.total, expected as u64, "{q:?}");
        }
        Ok(())
    }

    #[test]
    fn a_question_matches_any_of_its_words() -> Result<()> {
        let reports = corpus(6, 10);
        let index = indexed(&reports)?;
        let has = |p: &Paragraph, w: &str| stems(&p.text).contains(w);
        let count = |f: &dyn Fn(&Paragraph) -> bool| {
            all_paragraphs(&reports).filter(|p| f(p)).count() as u64
        };
        let any = count(&|p| has(p, "polic") || has(p, "help"));
        let both = count(&|p| has(p, "polic") && has(p, "help"));
        assert!(any > both && both > 0, "the fixture tells the two apart");
        // The default ranking without its all-words fallback, so that totals show the operator.
        let mut default = crate::Ranking::default();
        default.fallback_below(0);
        let total = |text: &str, ranking: &crate::Ranking| -> Result<u64> {
            let mut q = Query::new(text);
            q.ranking(ranking.clone());
            Ok(index.search(&q)?.total)
        };
        // A question (by its `?` or by its first word) matches any word; the same words typed
        // as keywords match all of them.
        assert_eq!(total("police help?", &default)?, any);
        assert_eq!(total("how do police help", &default)?, any);
        assert_eq!(total("police help", &default)?, both);
        // An explicit `AND` keeps its meaning in a question.
        assert_eq!(total("police AND help?", &default)?, both);
        let mut off = default.clone();
        off.questions_any_word(false);
        assert_eq!(total("how do police help?", &off)?, both);
        Ok(())
    }

    #[test]
    fn boolean_syntax_phrases_and_operators() -> Result<()> {
        let reports = corpus(6, 10);
        let index = indexed(&reports)?;
        let total = |text: &str, op: Operator| -> Result<u64> {
            let mut q = Query::new(text);
            // Exact boolean semantics: no all-words fallback, no vocabulary (see ranking.rs).
            q.operator(op).ranking(crate::Ranking::plain());
            Ok(index.search(&q)?.total)
        };
        let has = |p: &Paragraph, w: &str| stems(&p.text).contains(w);
        let count = |f: &dyn Fn(&Paragraph) -> bool| {
            all_paragraphs(&reports).filter(|p| f(p)).count() as u64
        };
        assert_eq!(
            total("police help", Operator::All)?,
            count(&|p| has(p, "polic") && has(p, "help"))
        );
        assert_eq!(
            total("police help", Operator::Any)?,
            count(&|p| has(p, "polic") || has(p, "help"))
        );
        assert_eq!(
            total("police OR help", Operator::All)?,
            count(&|p| has(p, "polic") || has(p, "help"))
        );
        assert_eq!(
            total("police -help", Operator::Any)?,
            count(&|p| has(p, "polic") && !has(p, "help"))
        );
        assert_eq!(
            total("NOT police", Operator::All)?,
            count(&|p| !has(p, "polic"))
        );
        assert_eq!(
            total("(police OR help) AND +carers", Operator::All)?,
            count(&|p| (has(p, "polic") || has(p, "help")) && has(p, "carer"))
        );
        let phrase = total("\"return home\"", Operator::All)?;
        let contiguous = all_paragraphs(&reports)
            .filter(|p| p.text.contains("return home"))
            .count() as u64;
        assert_eq!(phrase, contiguous);
        assert!(phrase <= total("return home", Operator::All)?);
        Ok(())
    }

    #[test]
    fn malformed_queries_and_lenient_mode() -> Result<()> {
        let index = indexed(&corpus(2, 5))?;
        match index.search(&Query::new("police AND (help")) {
            Err(Error::Query(e)) => {
                assert_eq!(e.position, 11);
                assert!(e.reason.contains("unclosed"));
            }
            other => panic!("expected a query error, got {other:?}"),
        }
        assert!(matches!(
            index.search(&Query::new("&& !!")),
            Err(Error::Query(QueryError { position: 0, .. }))
        ));
        for raw in [
            "police AND (help",
            "\"return home",
            "help - ) OR",
            "&& !!",
            "(((",
        ] {
            let mut q = Query::new(raw);
            q.lenient(true);
            index.search(&q)?;
        }
        let mut q = Query::new("\"return home");
        q.lenient(true);
        let mut strict = Query::new("\"return home\"");
        strict.limit(50);
        q.limit(50);
        assert_eq!(index.search(&q)?, index.search(&strict)?);
        Ok(())
    }

    #[test]
    fn paging_snippets_and_counts_only() -> Result<()> {
        let index = indexed(&corpus(6, 10))?;
        let mut q = Query::new("children");
        q.limit(100);
        let all = index.search(&q)?;
        assert!(all.total > 6);
        let mut page = q.clone();
        page.limit(3).offset(3);
        let page = index.search(&page)?;
        assert_eq!(page.total, all.total);
        let ids: Vec<&str> = page.hits.iter().map(|h| h.id.as_str()).collect();
        let expected: Vec<&str> = all.hits[3..6].iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, expected);

        q.highlight("[", "]").limit(5);
        for hit in index.search(&q)?.hits {
            assert!(
                hit.snippet.to_lowercase().contains("[children]"),
                "{}",
                hit.snippet
            );
        }
        let mut beyond = Query::new("children");
        beyond.limit(usize::MAX).offset(usize::MAX - 1);
        assert_eq!(index.search(&beyond)?.total, all.total);
        beyond.offset(0);
        assert_eq!(index.search(&beyond)?.hits.len() as u64, all.total);
        let mut tiny = Query::new("children");
        tiny.snippet_chars(0);
        index.search(&tiny)?;
        let mut counts = Query::new("children");
        counts.limit(0);
        let counts = index.search(&counts)?;
        assert!(counts.hits.is_empty());
        assert_eq!(counts.total, all.total);
        assert_eq!(counts.facets, all.facets);
        Ok(())
    }

    #[test]
    fn top_k_totals_give_the_exact_paths_hits() -> Result<()> {
        let index = indexed(&corpus(12, 15))?;
        let texts = [
            "children",
            "police help",
            "\"return home\"",
            "missing OR adoption",
            "social -police",
            "CSE oversight",
            "care leavers accommodation",
        ];
        for text in texts {
            for ranking in [crate::Ranking::default(), crate::Ranking::plain()] {
                for op in [Operator::All, Operator::Any] {
                    let mut exact = Query::new(text);
                    exact
                        .operator(op)
                        .ranking(ranking.clone())
                        .facets(false)
                        .limit(7)
                        .offset(2);
                    let want = index.search(&exact)?;
                    for n in [0, 1, 5, 10_000] {
                        let mut q = exact.clone();
                        q.totals(Totals::AtLeast(n));
                        let got = index.search(&q)?;
                        let ids = |r: &SearchResults| -> Vec<(String, u32)> {
                            r.hits
                                .iter()
                                .map(|h| (h.id.clone(), h.score.to_bits()))
                                .collect()
                        };
                        assert_eq!(ids(&got), ids(&want), "{text} {op:?} AtLeast({n})");
                        if want.total < n {
                            assert_eq!(got.total, want.total, "{text} {op:?} AtLeast({n})");
                        } else {
                            assert!(got.total >= n.min(want.total), "{text} AtLeast({n})");
                            assert!(got.total <= want.total, "{text} AtLeast({n})");
                        }
                    }
                    // Facets asked for: every match is visited, so the total stays exact.
                    let mut faceted = exact.clone();
                    faceted.facets(true).totals(Totals::AtLeast(1));
                    let mut exact_faceted = exact.clone();
                    exact_faceted.facets(true);
                    assert_eq!(index.search(&faceted)?, index.search(&exact_faceted)?);
                }
            }
        }
        Ok(())
    }

    #[test]
    fn context_blocks_weigh_what_the_ranking_says() -> Result<()> {
        let mut reports = corpus(8, 12);
        let mut context = std::collections::HashSet::new();
        for r in &mut reports {
            for (i, p) in r.paragraphs.iter_mut().enumerate() {
                if i % 3 == 0 {
                    p.context = true;
                    context.insert(p.id.clone());
                }
            }
        }
        let index = indexed(&reports)?;
        for text in [
            "children",
            "police help",
            "CSE oversight",
            "\"return home\"",
        ] {
            let scores = |weight: f32| -> Result<std::collections::HashMap<String, f32>> {
                let mut ranking = crate::Ranking::default();
                ranking.context_weight(weight);
                let mut q = Query::new(text);
                q.ranking(ranking).limit(10_000);
                Ok(index
                    .search(&q)?
                    .hits
                    .into_iter()
                    .map(|h| (h.id, h.score))
                    .collect())
            };
            let (full, half) = (scores(1.0)?, scores(0.5)?);
            assert_eq!(
                full.len(),
                half.len(),
                "{text}: the weight changes no match"
            );
            let mut seen_context = 0;
            for (id, s) in &full {
                let want = if context.contains(id) {
                    seen_context += 1;
                    s * 0.5
                } else {
                    *s
                };
                assert!(
                    (half[id] - want).abs() <= 1e-4 * want.max(1.0),
                    "{text} {id}"
                );
            }
            assert!(seen_context > 0, "{text}: no context block matched");
        }
        Ok(())
    }

    #[test]
    fn a_council_named_in_the_query_ranks_its_paragraphs_first() -> Result<()> {
        let index = indexed(&corpus(9, 12))?;
        let sheffield = AUTHORITIES[0];
        let search = |text: &str, weight: f32| -> Result<SearchResults> {
            let mut ranking = crate::Ranking::default();
            ranking.authority_weight(weight);
            let mut q = Query::new(text);
            q.ranking(ranking).limit(10_000);
            index.search(&q)
        };
        let named = search("Sheffield police", 1.0)?;
        let words_only = search("police", 1.0)?;
        // The name is not required: the same paragraphs match as for its other words.
        assert_eq!(named.total, words_only.total);
        assert!(named.total > 0);
        let base: std::collections::HashMap<&str, f32> = words_only
            .hits
            .iter()
            .map(|h| (h.id.as_str(), h.score))
            .collect();
        let mut bonus = None;
        for h in &named.hits {
            let gain = h.score - base[h.id.as_str()];
            if h.authority == sheffield {
                let b = *bonus.get_or_insert(gain);
                assert!(
                    b > 0.0 && (gain - b).abs() < 1e-3,
                    "{}: {gain} vs {b}",
                    h.id
                );
            } else {
                assert!(
                    gain.abs() < 1e-3,
                    "{} of {} gained {gain}",
                    h.id,
                    h.authority
                );
            }
        }
        assert!(bonus.is_some(), "no Sheffield paragraph matched");
        Ok(())
    }

    #[test]
    fn similar_paragraphs_come_from_other_authorities() -> Result<()> {
        let reports = corpus(9, 10);
        let index = indexed(&reports)?;
        let source = &reports[0].paragraphs[3];
        let mut q = Query::similar(&source.id);
        q.limit(20);
        let results = index.search(&q)?;
        assert!(!results.hits.is_empty());
        for hit in &results.hits {
            assert_ne!(hit.id, source.id);
            assert_ne!(hit.authority, source.authority);
        }
        q.same_authority(true);
        let results = index.search(&q)?;
        assert!(results.hits.iter().all(|h| h.id != source.id));
        assert!(results.hits.iter().any(|h| h.authority == source.authority));
        assert!(matches!(
            index.search(&Query::similar("no/such")),
            Err(Error::NotFound(_))
        ));
        Ok(())
    }
}
