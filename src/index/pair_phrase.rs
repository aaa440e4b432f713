//! Phrases of three words or more, answered from word pairs and checked on word positions.
//!
//! The `pairs` field has no positions (see [`pairs`](super::pairs)), so a phrase of pairs
//! cannot be a tantivy `PhraseQuery`. [`PairPhrase`] walks the paragraphs that hold every pair
//! of the phrase (short postings), and only there reads the positions of its words in `text`
//! to count the phrase's occurrences (unless its inner words occur once each, when the pairs
//! prove one occurrence: the usual case, which reads no positions). It scores exactly as schema 6's phrase of pairs did: BM25
//! with the pairs' summed idf, the phrase count as term frequency and `text`'s fieldnorm, which
//! the fillers keep equal to that of a field holding words and pairs.

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::pair;
use super::Fields;

/// A phrase query or a term query for a run of adjacent analysed words: nothing for none, the
/// word for one, the pair term for two, a [`PairPhrase`] for more.
pub(crate) fn adjacent_words(fields: Fields, words: &[String]) -> Option<Box<dyn Query>> {
    let term = |field, text: &str| Term::from_field_text(field, text);
    let one = |t: Term| -> Box<dyn Query> {
        Box::new(tantivy::query::TermQuery::new(
            t,
            IndexRecordOption::WithFreqs,
        ))
    };
    match words.len() {
        0 => None,
        1 => Some(one(term(fields.text, &words[0]))),
        2 => Some(one(term(fields.pairs, &pair(&words[0], &words[1])))),
        _ => Some(Box::new(PairPhrase {
            words: words.iter().map(|w| term(fields.text, w)).collect(),
            pairs: words
                .windows(2)
                .map(|w| term(fields.pairs, &pair(&w[0], &w[1])))
                .collect(),
        })),
    }
}

/// Paragraphs where `words` (terms of `text`) occur in this order, side by side; `pairs` are
/// their adjacent pairs (terms of `pairs`), one fewer.
#[derive(Clone, Debug)]
pub(crate) struct PairPhrase {
    words: Vec<Term>,
    pairs: Vec<Term>,
}

impl Query for PairPhrase {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let similarity = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(statistics_provider, &self.pairs)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PairPhraseWeight {
            phrase: self.clone(),
            similarity,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for term in &self.words {
            visitor(term, true);
        }
    }
}

struct PairPhraseWeight {
    phrase: PairPhrase,
    similarity: Option<Bm25Weight>,
}

impl PairPhraseWeight {
    fn phrase_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PairPhraseScorer>> {
        let mut pairs = Vec::with_capacity(self.phrase.pairs.len());
        for term in &self.phrase.pairs {
            match reader
                .inverted_index(term.field())?
                .read_postings(term, IndexRecordOption::Basic)?
            {
                Some(p) => pairs.push(p),
                None => return Ok(None),
            }
        }
        let mut words = Vec::with_capacity(self.phrase.words.len());
        for term in &self.phrase.words {
            match reader
                .inverted_index(term.field())?
                .read_postings(term, IndexRecordOption::WithFreqsAndPositions)?
            {
                Some(p) => words.push(p),
                None => return Ok(None),
            }
        }
        // The rarest pair leads the walk.
        pairs.sort_by_key(|p| p.doc_freq());
        let field = self.phrase.words[0].field();
        let fieldnorms = match &self.similarity {
            Some(_) => reader.fieldnorms_readers().get_field(field)?,
            None => None,
        };
        let mut scorer = PairPhraseScorer {
            pairs,
            words,
            similarity: self.similarity.as_ref().map(|s| s.boost_by(boost)),
            fieldnorms,
            count: 0,
            left: Vec::new(),
            right: Vec::new(),
        };
        let first = scorer.pairs[0].doc();
        scorer.settle(first);
        Ok(Some(scorer))
    }
}

impl Weight for PairPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.phrase_scorer(reader, boost)? {
            Some(s) => Box::new(s),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let Some(mut scorer) = self.phrase_scorer(reader, 1.0)? else {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        };
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("phrase of word pairs", scorer.score()))
    }
}

struct PairPhraseScorer {
    /// The pairs' postings, rarest first; every one is on the current document.
    pairs: Vec<SegmentPostings>,
    /// The words' postings, in phrase order, read only on documents that hold every pair.
    words: Vec<SegmentPostings>,
    similarity: Option<Bm25Weight>,
    fieldnorms: Option<tantivy::fieldnorm::FieldNormReader>,
    /// The phrase's occurrences in the current document.
    count: u32,
    left: Vec<u32>,
    right: Vec<u32>,
}

impl PairPhraseScorer {
    /// From `candidate` on (the lead pair's current document), moves to the first document
    /// that holds every pair and the phrase; returns it (or `TERMINATED`).
    fn settle(&mut self, mut candidate: DocId) -> DocId {
        'walk: loop {
            if candidate == TERMINATED {
                self.count = 0;
                return TERMINATED;
            }
            for i in 1..self.pairs.len() {
                // A postings list may start past the lead's first document; `seek` must not be
                // asked to go back.
                let at = self.pairs[i].doc();
                let d = if at >= candidate {
                    at
                } else {
                    self.pairs[i].seek(candidate)
                };
                if d > candidate {
                    candidate = self.pairs[0].seek(d);
                    continue 'walk;
                }
            }
            // Every pair is here, so every word is too: count the phrase on their positions.
            self.count = self.phrase_count(candidate);
            if self.count > 0 {
                return candidate;
            }
            candidate = self.pairs[0].advance();
        }
    }

    /// Occurrences of the words side by side in `doc`, which holds every pair (so every word).
    fn phrase_count(&mut self, doc: DocId) -> u32 {
        // When every inner word occurs once, the pairs alone prove one occurrence: the first
        // inner word's only place follows the first word (its pair with it is there) and is
        // followed by the next word, whose only place is followed by the next, and so on; and
        // every occurrence holds that one place. No positions are read then.
        let last = self.words.len() - 1;
        let once = self.words[1..last].iter_mut().all(|postings| {
            let at = postings.seek(doc);
            debug_assert_eq!(at, doc, "a document with every pair has every word");
            postings.term_freq() == 1
        });
        if once {
            return 1;
        }
        let (left, right) = (&mut self.left, &mut self.right);
        for (i, postings) in self.words.iter_mut().enumerate() {
            let at = postings.seek(doc);
            debug_assert_eq!(at, doc, "a document with every pair has every word");
            if i == 0 {
                postings.positions(left);
                continue;
            }
            postings.positions(right);
            // Keep the starts p where word i is at p + i (both lists are sorted).
            let offset = i as u32;
            let mut j = 0;
            left.retain(|&p| {
                while j < right.len() && right[j] < p + offset {
                    j += 1;
                }
                j < right.len() && right[j] == p + offset
            });
            if left.is_empty() {
                return 0;
            }
        }
        left.len() as u32
    }
}

impl DocSet for PairPhraseScorer {
    fn advance(&mut self) -> DocId {
        let next = self.pairs[0].advance();
        self.settle(next)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.doc() {
            return self.doc();
        }
        let next = self.pairs[0].seek(target);
        self.settle(next)
    }

    fn doc(&self) -> DocId {
        self.pairs[0].doc()
    }

    fn size_hint(&self) -> u32 {
        self.pairs[0].size_hint()
    }
}

impl Scorer for PairPhraseScorer {
    fn score(&mut self) -> Score {
        match (&self.similarity, &self.fieldnorms) {
            (Some(s), Some(norms)) => s.score(norms.fieldnorm_id(self.doc()), self.count),
            (Some(s), None) => s.score(1, self.count),
            (None, _) => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{PhraseQuery, TermQuery};
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};
    use tantivy::{doc, DocAddress, Index};

    use super::*;
    use crate::index::pairs::{Emit, WordPairs};

    /// Scores every phrase of the new schema (`text` words, `pairs` without positions) exactly
    /// as schema 6 did with words and pairs in one positional field (`old`).
    #[test]
    fn scores_equal_a_phrase_of_positional_pairs() -> tantivy::Result<()> {
        let mut b = Schema::builder();
        let opts = |tokenizer: &str, positions: bool| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(if positions {
                        IndexRecordOption::WithFreqsAndPositions
                    } else {
                        IndexRecordOption::WithFreqs
                    }),
            )
        };
        let old = b.add_text_field("old", opts("both", true));
        let text = b.add_text_field("text", opts("words", true));
        let pairs = b.add_text_field("pairs", opts("pairs", false));
        let index = Index::create_in_ram(b.build());
        for (name, emit) in [
            ("both", Emit::Both),
            ("words", Emit::Words),
            ("pairs", Emit::Pairs),
        ] {
            let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(WordPairs(emit))
                .build();
            index.tokenizers().register(name, analyzer);
        }
        let texts = [
            "the local authority and the local authority partners",
            "local authority the local",
            "the local the local authority authority the local authority",
            "authority local the",
            "a b c a b c a b c d",
            "the local authority",
            "nothing in common here at all, the end",
            "the the the the",
            "local authority staff and the local",
            "x a b y b c z",
            "a b c then c d",
            "officers reviewing independent reviewing officers",
        ];
        let mut w = index.writer_with_num_threads(1, 15_000_000)?;
        for t in texts {
            w.add_document(doc!(old => t, text => t, pairs => t))?;
        }
        w.add_document(doc!())?;
        w.commit()?;
        let searcher = index.reader()?.searcher();
        let fields = Fields {
            text,
            pairs,
            ..crate::index::schema::test_fields()
        };
        let top = |q: &dyn Query| -> tantivy::Result<Vec<(u32, DocAddress)>> {
            let hits = searcher.search(q, &TopDocs::with_limit(20).order_by_score())?;
            Ok(hits.into_iter().map(|(s, d)| (s.to_bits(), d)).collect())
        };
        let phrases: [&[&str]; 8] = [
            &["independent", "reviewing", "officers"],
            &["a", "b", "c", "d"],
            &["the", "local", "authority"],
            &["local", "authority", "the"],
            &["a", "b", "c"],
            &["a", "b", "c", "a"],
            &["the", "the", "the"],
            &["b", "c", "d"],
        ];
        for words in phrases {
            let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            let terms = words
                .windows(2)
                .map(|w| Term::from_field_text(old, &pair(&w[0], &w[1])))
                .collect();
            let want = top(&PhraseQuery::new(terms))?;
            let got = top(adjacent_words(fields, &words).expect("a query").as_ref())?;
            assert!(!want.is_empty(), "{words:?}");
            assert_eq!(got, want, "{words:?}");
        }
        for words in [&["local", "authority"][..], &["the", "the"], &["authority"]] {
            let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            let text = match words.len() {
                1 => words[0].clone(),
                _ => pair(&words[0], &words[1]),
            };
            let old_query = TermQuery::new(
                Term::from_field_text(old, &text),
                IndexRecordOption::WithFreqs,
            );
            let got = top(adjacent_words(fields, &words).expect("a query").as_ref())?;
            assert_eq!(got, top(&old_query)?, "{words:?}");
        }
        Ok(())
    }
}
