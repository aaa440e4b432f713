//! Measures ranking quality on the judged query set in `tests/relevance/`.
//!
//! The example ingests the bundled corpus, resolves every judgment to a paragraph id, and runs
//! each query through two systems in the same process:
//!
//! - **baseline**: tantivy BM25 with default settings (default tokenizer, `QueryParser` with
//!   its default OR, no stemming) over the same paragraphs, built directly with tantivy;
//! - **ofsted-search**: the crate's own query API.
//!
//! It prints nDCG@10, MRR@10 and recall@20 overall and per query kind. Pass `--per-query` to
//! also print every query's nDCG@10 for both systems.
//!
//! Run it with `cargo run --release --example eval`.

#[path = "../tests/relevance/harness.rs"]
mod harness;
#[path = "../tests/relevance/metrics.rs"]
mod metrics;
#[path = "../tests/relevance/prototype.rs"]
mod prototype;

use std::path::Path;

use harness::{baseline::Baseline, load_queries, table, Corpus, Run, System};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), harness::Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let per_query = std::env::args().any(|a| a == "--per-query");
    // Development only: skip judgments the current chunker cannot resolve.
    let lenient = std::env::args().any(|a| a == "--lenient");

    // Step 1: ingest the corpus and resolve the judgments (fails loudly on a bad substring).
    let corpus = Corpus::load(&root.join(harness::CORPUS))?;
    let queries = load_queries(&root.join(harness::QUERIES), &corpus, lenient)?;
    let judged: usize = queries.iter().map(|q| q.grades.len()).sum();
    println!(
        "{} paragraphs, {} queries, {} judged paragraphs\n",
        corpus.paragraphs.len(),
        queries.len(),
        judged
    );

    // Step 2: the systems under test.
    let baseline = Baseline::build(&corpus)?;
    let mut systems: Vec<(String, System<'_>)> =
        vec![("baseline".into(), Box::new(|q| baseline.search(q)))];
    if std::env::args().any(|a| a == "--ablate") {
        use prototype::{Mode, Options, Prototype};
        let v = || Some(ofsted_search::vocab::Vocabulary::builtin());
        let base = || Options {
            stem: true,
            vocab: v(),
            stopwords: true,
            mode: Mode::AndThenOr,
            ..Options::default()
        };
        let configs: Vec<(&str, Options)> = vec![
            (
                "stem",
                Options {
                    stem: true,
                    ..Options::default()
                },
            ),
            (
                "stem+vocab",
                Options {
                    stem: true,
                    vocab: v(),
                    ..Options::default()
                },
            ),
            (
                "stem+vocab+stop",
                Options {
                    stem: true,
                    vocab: v(),
                    stopwords: true,
                    ..Options::default()
                },
            ),
            ("+and-then-or", base()),
            ("tie0", Options { tie: 0.0, ..base() }),
            ("tie0.5", Options { tie: 0.5, ..base() }),
            (
                "syn0.3",
                Options {
                    synonym_weight: 0.3,
                    ..base()
                },
            ),
            (
                "syn0.8",
                Options {
                    synonym_weight: 0.8,
                    ..base()
                },
            ),
            (
                "acr0.7",
                Options {
                    acronym_weight: 0.7,
                    ..base()
                },
            ),
            (
                "prox0.3",
                Options {
                    proximity: 0.3,
                    ..base()
                },
            ),
            (
                "prox0.6",
                Options {
                    proximity: 0.6,
                    ..base()
                },
            ),
            (
                "sect0.3",
                Options {
                    section_boost: 0.3,
                    ..base()
                },
            ),
            (
                "sect0.6",
                Options {
                    section_boost: 0.6,
                    ..base()
                },
            ),
            (
                "fuse",
                Options {
                    fuse: true,
                    ..base()
                },
            ),
        ];
        for (name, opts) in configs {
            let p = Prototype::build(&corpus, opts)?;
            systems.push((name.into(), Box::new(move |q| p.search(q))));
        }
    }

    // Step 3: run and report.
    let mut runs = Vec::new();
    for (name, system) in &systems {
        runs.push(Run::of(name, system, &queries)?);
    }
    print!("{}", table(&runs));
    if per_query {
        println!(
            "\n| query | kind | {} |",
            runs.iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        );
        for (i, q) in queries.iter().enumerate() {
            let cells: Vec<String> = runs
                .iter()
                .map(|r| format!("{:.3}", r.per_query[i].2.ndcg10))
                .collect();
            println!("| {} | {} | {} |", q.id, q.kind, cells.join(" | "));
        }
    }

    // The runs cover every query, and every query has something to find.
    assert!(runs.iter().all(|r| r.per_query.len() == queries.len()));
    assert!(queries.iter().all(|q| !q.grades.is_empty()));
    Ok(())
}
