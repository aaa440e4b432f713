//! One word of the text that scores a little more where the paragraph's section heading has
//! it too: the default ranking's commonest clause, `+text:word section:word^boost`, with a
//! scorer of concrete types.
//!
//! As a tantivy `BooleanQuery` this clause scores through boxed scorers: a virtual call to
//! advance, to score and to look in the heading, for every paragraph with the word, which
//! made a single word cost about three times plain BM25 at 1M paragraphs. [`WordWithHeading`]
//! builds the very scorer the boolean query builds (tantivy's `RequiredOptionalScorer` over
//! the two term scorers, summing their scores), with the term scorers unboxed, and walks it
//! without indirection: the same documents, the same score bits.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, RequiredOptionalScorer, Scorer,
    SumCombiner, TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// `word` required in the text, and in the section heading worth `boost` times its BM25
/// there.
#[derive(Clone, Debug)]
pub(crate) struct WordWithHeading {
    text: Term,
    heading: Term,
    boost: Score,
}

impl WordWithHeading {
    /// The clause for `text` (a term of the text field) and `heading` (the same word in the
    /// section field).
    pub(crate) fn new(text: Term, heading: Term, boost: Score) -> WordWithHeading {
        WordWithHeading {
            text,
            heading,
            boost,
        }
    }
}

impl Query for WordWithHeading {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let EnableScoring::Enabled {
            statistics_provider,
            ..
        } = scoring
        else {
            // The heading never decides a match.
            return TermQuery::new(self.text.clone(), IndexRecordOption::WithFreqs).weight(scoring);
        };
        // As `TermQuery` weighs a term.
        Ok(Box::new(WordWithHeadingWeight {
            text_alone: TermQuery::new(self.text.clone(), IndexRecordOption::WithFreqs)
                .weight(scoring)?,
            text: (
                self.text.clone(),
                Bm25Weight::for_terms(statistics_provider, std::slice::from_ref(&self.text))?,
            ),
            heading: (
                self.heading.clone(),
                Bm25Weight::for_terms(statistics_provider, std::slice::from_ref(&self.heading))?,
            ),
            boost: self.boost,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.text, false);
        visitor(&self.heading, false);
    }
}

struct WordWithHeadingWeight {
    /// tantivy's own weight of the word in the text, for segments where no heading has it:
    /// its term scorer is one that tantivy's unions and intersections of terms specialise.
    text_alone: Box<dyn Weight>,
    text: (Term, Bm25Weight),
    heading: (Term, Bm25Weight),
    boost: Score,
}

/// A term's postings scored by BM25, exactly as tantivy's own term scorer scores them
/// (which is not public): `weight.score(fieldnorm id, term frequency)`.
struct WordScorer {
    postings: SegmentPostings,
    fieldnorms: FieldNormReader,
    weight: Bm25Weight,
}

impl WordScorer {
    /// `None` when the segment does not have the term.
    fn of(
        reader: &SegmentReader,
        (term, weight): &(Term, Bm25Weight),
        boost: Score,
    ) -> tantivy::Result<Option<WordScorer>> {
        let field = term.field();
        let Some(postings) = reader
            .inverted_index(field)?
            .read_postings(term, IndexRecordOption::WithFreqs)?
        else {
            return Ok(None);
        };
        let fieldnorms = match reader.fieldnorms_readers().get_field(field)? {
            Some(f) => f,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        Ok(Some(WordScorer {
            postings,
            fieldnorms,
            weight: weight.boost_by(boost),
        }))
    }
}

impl DocSet for WordScorer {
    #[inline]
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    #[inline]
    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    #[inline]
    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for WordScorer {
    #[inline]
    fn score(&mut self) -> Score {
        let fieldnorm_id = self.fieldnorms.fieldnorm_id(self.postings.doc());
        self.weight.score(fieldnorm_id, self.postings.term_freq())
    }
}

/// The scorer of one segment, as concrete as the segment allows.
enum Specialized {
    /// The word in the text, and in some headings.
    Both(Box<RequiredOptionalScorer<WordScorer, WordScorer, SumCombiner>>),
    /// The word in no heading of the segment: the text alone (as the boolean query, whose
    /// optional clause is then empty, scores it).
    Text,
    /// The word in no paragraph of the segment.
    Nothing,
}

impl WordWithHeadingWeight {
    fn specialized(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Specialized> {
        let (term, _) = &self.heading;
        if reader
            .inverted_index(term.field())?
            .get_term_info(term)?
            .is_none()
        {
            return Ok(Specialized::Text);
        }
        let Some(text) = WordScorer::of(reader, &self.text, boost)? else {
            return Ok(Specialized::Nothing);
        };
        // As `BoostQuery` passes boosts down: the heading's is `boost` times its own.
        Ok(
            match WordScorer::of(reader, &self.heading, boost * self.boost)? {
                Some(heading) => {
                    Specialized::Both(Box::new(RequiredOptionalScorer::new(text, heading)))
                }
                None => Specialized::Text,
            },
        )
    }
}

/// Every document of `scorer` with its score, in order.
fn walk<S: Scorer>(scorer: &mut S, callback: &mut dyn FnMut(DocId, Score)) {
    let mut doc = scorer.doc();
    while doc != TERMINATED {
        callback(doc, scorer.score());
        doc = scorer.advance();
    }
}

impl Weight for WordWithHeadingWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.specialized(reader, boost)? {
            Specialized::Both(s) => s,
            Specialized::Text => self.text_alone.scorer(reader, boost)?,
            Specialized::Nothing => Box::new(EmptyScorer),
        })
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        match self.specialized(reader, 1.0)? {
            Specialized::Both(mut s) => walk(&mut *s, callback),
            Specialized::Text => self.text_alone.for_each(reader, callback)?,
            Specialized::Nothing => {}
        }
        Ok(())
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new(
            "word in the text, plus its boosted score in the heading",
            scorer.score(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, BoostQuery, Occur};
    use tantivy::DocAddress;

    use super::*;

    /// Every (document, score bits) of `WordWithHeading` equals the boolean query it stands
    /// for, alone and inside a conjunction and a disjunction, for words in headings and not.
    #[test]
    fn scores_equal_the_boolean_query() -> crate::Result<()> {
        let index = crate::SearchIndex::create_in_ram()?;
        let mut writer = index.writer()?;
        // Headings with words of the text, on some paragraphs only.
        let mut reports = crate::index::fixtures::corpus(8, 30);
        for r in &mut reports {
            for (i, p) in r.paragraphs.iter_mut().enumerate() {
                match i % 3 {
                    0 => p.section = "Help for children".into(),
                    1 => p.section = "Carers, carers and the police".into(),
                    _ => {}
                }
            }
        }
        for r in &reports {
            writer.add_report(r)?;
        }
        writer.commit()?;
        let searcher = index.searcher();
        let fields = index.fields();
        let hits = |q: &dyn Query| -> Vec<(DocAddress, u32)> {
            let (top, n) = searcher
                .search(q, &(TopDocs::with_limit(100_000).order_by_score(), Count))
                .expect("search");
            assert_eq!(top.len(), n);
            let mut v: Vec<(DocAddress, u32)> =
                top.into_iter().map(|(s, a)| (a, s.to_bits())).collect();
            v.sort();
            v
        };
        let boolean = |w: &str| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(fields.text, w),
                        IndexRecordOption::WithFreqs,
                    )) as Box<dyn Query>,
                ),
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(fields.section, w),
                            IndexRecordOption::WithFreqs,
                        )),
                        0.3,
                    )),
                ),
            ]))
        };
        let ours = |w: &str| -> Box<dyn Query> {
            Box::new(WordWithHeading::new(
                Term::from_field_text(fields.text, w),
                Term::from_field_text(fields.section, w),
                0.3,
            ))
        };
        let mut in_headings = 0;
        let words = [
            "children",
            "help",
            "polic",
            "carer",
            "oversight",
            "adopt",
            "nosuchword",
        ];
        for w in words {
            let (a, b) = (hits(boolean(w).as_ref()), hits(ours(w).as_ref()));
            assert_eq!(a, b, "{w}");
            let section = Term::from_field_text(fields.section, w);
            if searcher.doc_freq(&section).expect("doc freq") > 0 && !a.is_empty() {
                in_headings += 1;
            }
        }
        assert!(in_headings > 0, "no word of the fixture is in a heading");
        for pair in words.windows(2) {
            for occur in [Occur::Must, Occur::Should] {
                let of = |make: &dyn Fn(&str) -> Box<dyn Query>| -> Box<dyn Query> {
                    Box::new(BooleanQuery::new(vec![
                        (occur, make(pair[0])),
                        (occur, make(pair[1])),
                    ]))
                };
                let (a, b) = (hits(of(&boolean).as_ref()), hits(of(&ours).as_ref()));
                assert_eq!(a, b, "{pair:?} {occur:?}");
            }
        }
        Ok(())
    }
}
