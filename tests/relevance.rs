//! Guards the crate's ranking quality on the judged query set (`tests/relevance/`): fails when
//! nDCG@10 of the default ranking falls below the recorded level minus a small tolerance, and
//! checks that the judged set still resolves against the ingester's output.

#[path = "relevance/harness.rs"]
mod harness;
#[path = "relevance/metrics.rs"]
mod metrics;

use std::path::Path;

use harness::{baseline::Baseline, load_queries, Corpus, CrateSystem, Run, System};
use serde::Deserialize;

#[derive(Deserialize)]
struct Recorded {
    ndcg10: f64,
    recall20: f64,
    tolerance: f64,
}

#[test]
fn ranking_does_not_regress_below_the_recorded_level() -> Result<(), harness::Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let recorded: Recorded = toml::from_str(&std::fs::read_to_string(
        root.join("tests/relevance/recorded.toml"),
    )?)?;
    let corpus = Corpus::load_original(&root.join(harness::CORPUS))?;
    // Strict: every judgment must resolve to exactly one paragraph.
    let queries = load_queries(&root.join(harness::QUERIES), &corpus, false)?;
    assert!(queries.len() >= 50, "only {} queries", queries.len());

    let index = CrateSystem::build(&corpus)?;
    let system: System<'_> = Box::new(|q| index.search(q, &|_| {}));
    let ours = Run::of("ofsted-search", &system, &queries)?.overall();
    let baseline = Baseline::build(&corpus)?;
    let plain: System<'_> = Box::new(|q| baseline.search(q));
    let theirs = Run::of("baseline", &plain, &queries)?.overall();
    eprintln!(
        "nDCG@10 {:.3} (baseline {:.3}), recall@20 {:.3} (baseline {:.3})",
        ours.ndcg10, theirs.ndcg10, ours.recall20, theirs.recall20
    );

    assert!(
        ours.ndcg10 >= recorded.ndcg10 - recorded.tolerance,
        "nDCG@10 fell to {:.3}, below the recorded {:.3} - {:.3}",
        ours.ndcg10,
        recorded.ndcg10,
        recorded.tolerance
    );
    assert!(
        ours.recall20 >= recorded.recall20 - recorded.tolerance,
        "recall@20 fell to {:.3}, below the recorded {:.3} - {:.3}",
        ours.recall20,
        recorded.recall20,
        recorded.tolerance
    );
    // The ranking must stay clearly better than plain BM25 on the same paragraphs.
    assert!(ours.ndcg10 > theirs.ndcg10, "no better than the baseline");
    Ok(())
}
