//! Guards the default ranking on the archive judged set (`tests/relevance/archive_queries.toml`):
//! on the test half, which no ranking decision was made on, the default ranking must stay at
//! least as good as plain BM25 by nDCG@10, and the judged set must still resolve against the
//! ingester's paragraphs. The guard is deliberately relative rather than a recorded figure:
//! the figures move whenever the chunker or the corpus changes (`RELEVANCE.md` has them).

#[path = "relevance/archive.rs"]
mod archive;
#[path = "relevance/harness.rs"]
mod harness;
#[path = "relevance/metrics.rs"]
mod metrics;

use std::path::Path;

use harness::{CrateSystem, Run, System};
use ofsted_search::{Operator, Query, Ranking};

#[test]
fn default_ranking_is_no_worse_than_plain_bm25_on_the_test_half() -> Result<(), harness::Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (corpus, _) = archive::load_corpus(root)?;
    let set = archive::load(root, &corpus)?;
    assert!(
        set.queries.len() >= 60,
        "only {} queries can run: {:?}",
        set.queries.len(),
        set.skipped
    );
    let resolved = 1.0 - set.unresolved.len() as f64 / set.relevant_judgments.max(1) as f64;
    assert!(
        resolved >= 0.9,
        "only {:.0}% of relevant judgments resolve; first misses: {:?}",
        resolved * 100.0,
        &set.unresolved[..set.unresolved.len().min(10)]
    );

    let index = CrateSystem::build(&corpus)?;
    let test = set.half("test");
    assert!(test.len() >= 30, "test half has {} queries", test.len());
    let default: System<'_> = Box::new(|q| index.search(q, &|_| {}));
    let plain: System<'_> = Box::new(|q| {
        index.search(q, &|query: &mut Query| {
            query.operator(Operator::Any).ranking(Ranking::plain());
        })
    });
    let ours = Run::of("default", &default, &test)?.overall();
    let theirs = Run::of("plain", &plain, &test)?.overall();
    eprintln!(
        "test half: nDCG@10 default {:.3}, plain BM25 {:.3}; {} queries; {:.1}% of judgments resolved",
        ours.ndcg10,
        theirs.ndcg10,
        test.len(),
        resolved * 100.0
    );
    // Measured 2026-12-01: default 0.712, plain BM25 0.708 on the test half (issue 13's
    // target, default >= plain + 0.05, is missed; RELEVANCE.md). Word-pair vocabulary forms
    // scored by the pair's own idf had dropped the default to 0.692, below plain: this guard
    // is what a ranking change must not break.
    assert!(
        ours.ndcg10 >= theirs.ndcg10,
        "default nDCG@10 {:.3} fell below plain BM25 {:.3} on the test half",
        ours.ndcg10,
        theirs.ndcg10
    );
    Ok(())
}

#[test]
fn fts5_match_expressions_quote_every_word_and_phrase() {
    assert_eq!(
        archive::Fts5::match_expr("\"front door\" MASH -police"),
        "\"front door\" OR \"mash\" OR \"police\""
    );
    assert_eq!(archive::Fts5::match_expr("  ?! "), "");
}
