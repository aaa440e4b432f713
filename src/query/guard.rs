//! A guard around phrase queries used as exclusions.
//!
//! tantivy 0.27's `Exclude` asks each excluded scorer `seek_danger(doc)` for every candidate
//! document, including documents *before* the excluded scorer's current one: a phrase scorer
//! starts on its first match, which may lie after the first candidate. `PhraseScorer` then
//! fails a debug assertion ("target should be greater than or equal to doc"), so a query as
//! plain as `children -"social workers"` panicked in debug builds; release builds answer
//! correctly (see tantivy issue #2811). Found by the `query` fuzz target.
//!
//! [`Guarded`] hides the inner scorer's `seek_danger` behind the trait's default, which only
//! ever seeks forward and reports a target behind the current document as not found.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// A query whose scorer only ever seeks forward.
#[derive(Debug)]
pub(crate) struct Guarded(pub(crate) Box<dyn Query>);

impl Clone for Guarded {
    fn clone(&self) -> Guarded {
        Guarded(self.0.box_clone())
    }
}

impl Query for Guarded {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(GuardedWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct GuardedWeight(Box<dyn Weight>);

impl Weight for GuardedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(GuardedScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// Forwards everything but `seek_danger`, which keeps the default implementation.
struct GuardedScorer(Box<dyn Scorer>);

impl DocSet for GuardedScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for GuardedScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
