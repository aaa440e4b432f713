//! Measures hybrid retrieval (feature `semantic`) against lexical ranking on the judged query
//! set in `tests/relevance/`, with a real sentence-embedding model.
//!
//! It ingests the corpus, indexes it twice in memory (without and with the embedder), and runs
//! every query through plain BM25 (tantivy defaults, as in `eval`), the crate's default
//! lexical ranking, the crate's plain stemmed BM25, and each of the two fused with the nearest
//! paragraphs by meaning ([`Ranking::hybrid`]). It prints nDCG@10, MRR@10 and recall@20 overall
//! and per query kind, and what embedding the corpus cost.
//!
//! Run it with a model directory in the sentence-transformers layout (README.md says how to
//! get all-MiniLM-L6-v2 and check its files):
//!
//! ```text
//! cargo run --release --features semantic --example hybrid_eval -- --model models/all-MiniLM-L6-v2
//! ```
//!
//! `--corpus DIR` and `--queries FILE` evaluate another judged set in the same format.

#[path = "../tests/relevance/harness.rs"]
mod harness;
#[path = "../tests/relevance/metrics.rs"]
mod metrics;

use std::path::{Path, PathBuf};
use std::time::Instant;

use harness::{baseline::Baseline, load_queries, table, Corpus, CrateSystem, Run, System};
use ofsted_search::semantic::Embedder;
use ofsted_search::{Operator, Query, Ranking, SearchIndex};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn value(args: &[String], flag: &str) -> Option<PathBuf> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
}

fn ranking(plain: bool, hybrid: bool) -> Box<dyn Fn(&mut Query)> {
    Box::new(move |q: &mut Query| {
        let mut r = if plain {
            Ranking::plain()
        } else {
            Ranking::default()
        };
        r.hybrid(hybrid);
        q.ranking(r);
        if plain {
            q.operator(Operator::Any);
        }
    })
}

fn run() -> Result<(), harness::Error> {
    let args: Vec<String> = std::env::args().collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = value(&args, "--model")
        .ok_or("give the model directory: --model DIR (see README.md, \"Hybrid retrieval\")")?;
    let corpus_dir = value(&args, "--corpus").unwrap_or_else(|| root.join(harness::CORPUS));
    let queries_file = value(&args, "--queries").unwrap_or_else(|| root.join(harness::QUERIES));

    let corpus = Corpus::load(&corpus_dir)?;
    let queries = load_queries(&queries_file, &corpus, false)?;
    println!(
        "{} paragraphs, {} queries; model {}\n",
        corpus.paragraphs.len(),
        queries.len(),
        model.display()
    );

    let baseline = Baseline::build(&corpus)?;
    let lexical = CrateSystem::build(&corpus)?;
    let embedder = Embedder::from_dir(&model)?;
    let started = Instant::now();
    let hybrid = CrateSystem::build_in(
        SearchIndex::create_in_ram()?.with_embedder(embedder)?,
        &corpus,
    )?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "indexed with embeddings in {seconds:.1} s ({:.1} paragraphs/s, {} threads)\n",
        corpus.paragraphs.len() as f64 / seconds,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    let default_lexical = ranking(false, false);
    let default_hybrid = ranking(false, true);
    let plain_lexical = ranking(true, false);
    let plain_hybrid = ranking(true, true);
    let systems: Vec<(&str, System<'_>)> = vec![
        ("baseline BM25", Box::new(|q| baseline.search(q))),
        (
            "plain stemmed BM25 (any word)",
            Box::new(|q| lexical.search(q, plain_lexical.as_ref())),
        ),
        (
            "plain BM25 + vectors (RRF)",
            Box::new(|q| hybrid.search(q, plain_hybrid.as_ref())),
        ),
        (
            "ofsted-search default",
            Box::new(|q| lexical.search(q, default_lexical.as_ref())),
        ),
        (
            "default + vectors (RRF)",
            Box::new(|q| hybrid.search(q, default_hybrid.as_ref())),
        ),
    ];
    let mut runs = Vec::new();
    for (name, system) in &systems {
        let started = Instant::now();
        runs.push(Run::of(name, system, &queries)?);
        let ms = started.elapsed().as_secs_f64() * 1000.0 / queries.len().max(1) as f64;
        eprintln!("{name}: {ms:.1} ms/query");
    }
    print!("{}", table(&runs));
    Ok(())
}
