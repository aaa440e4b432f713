//! Hybrid ranking: the paragraphs nearest the query's embedding, restricted to the query's
//! filters, fused with the lexical (BM25) ranking by reciprocal rank fusion.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query as TQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, InvertedIndexReader, Searcher, Term, TERMINATED};

use super::store::VectorSet;
use crate::error::Result;
use crate::index::SearchIndex;
use crate::query::Query;

/// The default `k` of reciprocal rank fusion ([`Ranking::fusion_k`](crate::Ranking::fusion_k)):
/// a paragraph at rank `r` (from 1) of a list adds `weight / (k + r)`. Chosen on the archive
/// judged set's tuning half (RELEVANCE.md, "Hybrid retrieval") from 10, 30, 60 (the value of
/// Cormack et al. 2009, used in the experiment of issue 13) and 100.
pub const RRF_K: f32 = crate::ranking::FUSION_K;

/// The default depth each list is read to before fusing
/// ([`Ranking::fusion_depth`](crate::Ranking::fusion_depth); at least the page asked for).
pub const FUSION_DEPTH: usize = crate::ranking::FUSION_DEPTH;

/// The default weight of the vector list against the lexical list's 1
/// ([`Ranking::vector_weight`](crate::Ranking::vector_weight)): the lexical ranking leads, the
/// vectors reorder and fill in. Chosen on the archive set's tuning half from 0.5, 1 and 2.
pub const VECTOR_WEIGHT: f32 = crate::ranking::VECTOR_WEIGHT;

/// The fused page of `(score, address)` for `q`, best first: `lexical` is the lexical
/// ranking (at least [`depth`] deep, from the first hit), `filters` the query's filter
/// clauses (the vector side only proposes paragraphs that pass all of them).
pub(crate) fn fuse(
    index: &SearchIndex,
    searcher: &Searcher,
    q: &Query,
    lexical: Vec<(f32, DocAddress)>,
    filters: Vec<Box<dyn TQuery>>,
) -> Result<Vec<(f32, DocAddress)>> {
    let Some(semantic) = index.semantic.as_ref() else {
        return Err(crate::Error::Semantic {
            path: index.path().map(|p| p.to_path_buf()),
            message: "the query asks for hybrid ranking (Ranking::hybrid) but no embedder is attached to the index; attach one with SearchIndex::with_embedder".into(),
        });
    };
    let depth = depth(q);
    let query_vector = semantic
        .embedder
        .embed(&[q.text.as_str()])?
        .pop()
        .unwrap_or_default();
    let vectors = semantic.vectors();
    let allowed = if filters.is_empty() {
        None
    } else {
        let clauses = filters.into_iter().map(|f| (Occur::Must, f)).collect();
        let docs = searcher
            .search(&BooleanQuery::new(clauses), &DocSetCollector)
            .map_err(|e| index.place().error(e))?;
        Some(docs)
    };
    let nearest = nearest(
        index,
        searcher,
        &vectors,
        &query_vector,
        depth,
        allowed.as_ref(),
    )?;
    let lexical: Vec<DocAddress> = lexical.into_iter().map(|(_, a)| a).collect();
    let (k, _, weight) = q.ranking.fusion();
    let fused = rrf(&[(&lexical, 1.0), (&nearest, weight)], k);
    page(index, searcher, fused, q)
}

/// How deep each list is read for `q`.
pub(crate) fn depth(q: &Query) -> usize {
    let (_, depth, _) = q.ranking.fusion();
    depth.max(q.offset.saturating_add(q.limit))
}

/// The page `q` asks for from the fused ranking: with [`Query::per_report`], at most that
/// many paragraphs of a report, in rank order, before the offset is applied.
fn page(
    index: &SearchIndex,
    searcher: &Searcher,
    ranked: Vec<(f32, DocAddress)>,
    q: &Query,
) -> Result<Vec<(f32, DocAddress)>> {
    let cap = q.per_report;
    if cap == 0 {
        return Ok(ranked.into_iter().skip(q.offset).take(q.limit).collect());
    }
    let mut shown: HashMap<String, usize> = HashMap::new();
    let mut kept = Vec::new();
    for (score, addr) in ranked {
        let report = index.citation_at(searcher, addr)?.paragraph.report_id;
        let n = shown.entry(report).or_insert(0);
        if *n < cap {
            *n += 1;
            kept.push((score, addr));
            if kept.len() == q.offset.saturating_add(q.limit) {
                break;
            }
        }
    }
    Ok(kept.into_iter().skip(q.offset).collect())
}

/// Weighted reciprocal rank fusion of ranked lists: each item scores the sum over the lists
/// of `weight / (k + rank)`, ranks from 1; ties keep the order of first appearance.
pub(crate) fn rrf<T: Copy + Eq + std::hash::Hash>(lists: &[(&[T], f32)], k: f32) -> Vec<(f32, T)> {
    let mut scores: HashMap<T, (f32, usize)> = HashMap::new();
    let mut order = 0;
    for (list, weight) in lists {
        for (rank, item) in list.iter().enumerate() {
            let entry = scores.entry(*item).or_insert_with(|| {
                order += 1;
                (0.0, order)
            });
            entry.0 += weight / (k + rank as f32 + 1.0);
        }
    }
    let mut out: Vec<(f32, usize, T)> = scores.into_iter().map(|(t, (s, o))| (s, o, t)).collect();
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    out.into_iter().map(|(s, _, t)| (s, t)).collect()
}

/// The `depth` paragraphs whose vectors are nearest `query` (cosine: stored vectors are
/// unit length), among those in `allowed` when given, as addresses of `searcher`'s
/// documents. Paragraphs no longer in the index are skipped.
fn nearest(
    index: &SearchIndex,
    searcher: &Searcher,
    vectors: &VectorSet,
    query: &[f32],
    depth: usize,
    allowed: Option<&HashSet<DocAddress>>,
) -> Result<Vec<DocAddress>> {
    let dims = vectors.dimensions;
    if query.len() != dims || dims == 0 {
        return Ok(Vec::new());
    }
    let mut scored: Vec<(f32, &str)> = Vec::with_capacity(vectors.len());
    for r in vectors.reports.values() {
        for (i, row) in r.data.chunks_exact(dims).enumerate() {
            let dot: f32 = row.iter().zip(query).map(|(&a, &b)| f32::from(a) * b).sum();
            scored.push((dot * r.scales[i], r.ids[i].as_str()));
        }
    }
    let by_score = |a: &(f32, &str), b: &(f32, &str)| b.0.total_cmp(&a.0).then(a.1.cmp(b.1));
    let mut lookup = IdLookup::new(index, searcher)?;
    let mut out = Vec::with_capacity(depth);
    // Most queries need only the top few hundred: sort those first, the rest only if the
    // filters rejected too many of them.
    let mut start = 0;
    let mut window = (depth * 4).max(64);
    while start < scored.len() && out.len() < depth {
        let end = (start + window).min(scored.len());
        if end < scored.len() {
            scored[start..].select_nth_unstable_by(end - start - 1, by_score);
        }
        scored[start..end].sort_by(by_score);
        for &(_, id) in &scored[start..end] {
            let Some(addr) = lookup.find(id)? else {
                continue;
            };
            if allowed.is_none_or(|set| set.contains(&addr)) {
                out.push(addr);
                if out.len() == depth {
                    break;
                }
            }
        }
        start = end;
        window = window.saturating_mul(4);
    }
    Ok(out)
}

/// Finds a paragraph's live document by id, in every segment.
struct IdLookup<'a> {
    index: &'a SearchIndex,
    segments: Vec<Arc<InvertedIndexReader>>,
    searcher: &'a Searcher,
}

impl<'a> IdLookup<'a> {
    fn new(index: &'a SearchIndex, searcher: &'a Searcher) -> Result<IdLookup<'a>> {
        let field = index.fields().id;
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|s| s.inverted_index(field))
            .collect::<tantivy::Result<Vec<_>>>()
            .map_err(|e| index.place().error(e))?;
        Ok(IdLookup {
            index,
            segments,
            searcher,
        })
    }

    fn find(&mut self, id: &str) -> Result<Option<DocAddress>> {
        let term = Term::from_field_text(self.index.fields().id, id);
        for (ord, inverted) in self.segments.iter().enumerate() {
            let postings = inverted
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(|e| self.index.place().message(e.to_string()))?;
            let Some(mut postings) = postings else {
                continue;
            };
            let segment = self.searcher.segment_reader(ord as u32);
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if !segment.is_deleted(doc) {
                    return Ok(Some(DocAddress::new(ord as u32, doc)));
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rrf_rewards_agreement_and_keeps_singletons() {
        let a = ["x", "y", "z"];
        let b = ["y", "w"];
        let fused = rrf(&[(&a, 1.0), (&b, 1.0)], 60.0);
        let ids: Vec<&str> = fused.iter().map(|(_, t)| *t).collect();
        assert_eq!(ids, ["y", "x", "w", "z"]);
        assert!((fused[0].0 - (1.0 / 62.0 + 1.0 / 61.0)).abs() < 1e-6);
        assert!((fused[1].0 - 1.0 / 61.0).abs() < 1e-6);
        // x (rank 1 of a) and w (rank 2 of b) differ; equal scores keep first appearance.
        let tie = rrf(&[(&["p"], 1.0), (&["q"], 1.0)], 60.0);
        assert_eq!(tie.iter().map(|(_, t)| *t).collect::<Vec<_>>(), ["p", "q"]);
        assert!(rrf::<u8>(&[], 60.0).is_empty());
    }

    #[test]
    fn rrf_weights_scale_each_list_and_k_sharpens_the_top() {
        let a = ["x", "y"];
        let b = ["y", "x"];
        // Equal weights: a tie, first appearance wins; a heavier second list turns it over.
        fn ids<'a>(lists: &[(&[&'a str], f32)], k: f32) -> Vec<&'a str> {
            rrf(lists, k).into_iter().map(|(_, t)| t).collect()
        }
        assert_eq!(ids(&[(&a, 1.0), (&b, 1.0)], 60.0), ["x", "y"]);
        assert_eq!(ids(&[(&a, 1.0), (&b, 1.5)], 60.0), ["y", "x"]);
        let fused = rrf(&[(&a, 1.0), (&b, 2.0)], 10.0);
        assert!((fused[0].0 - (1.0 / 12.0 + 2.0 / 11.0)).abs() < 1e-6);
        // Weight 0 leaves the first list's order; the second list's extras follow.
        let c = ["z", "y"];
        assert_eq!(ids(&[(&a, 1.0), (&c, 0.0)], 60.0), ["x", "y", "z"]);
        // k sets how much the top of one list counts against agreement lower down: with
        // k = 1, rank 1 of one list (1/2) beats rank 4 of both (2/5); with k = 60 the
        // agreement wins (1/61 against 2/64).
        let p = ["top", "p2", "p3", "both"];
        let q = ["other", "q2", "q3", "both"];
        assert_eq!(ids(&[(&p, 1.0), (&q, 1.0)], 1.0)[0], "top");
        assert_eq!(ids(&[(&p, 1.0), (&q, 1.0)], 60.0)[0], "both");
    }
}
