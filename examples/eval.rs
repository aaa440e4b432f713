//! Measures ranking quality on the judged query set in `tests/relevance/`.
//!
//! The example ingests the bundled corpus, resolves every judgment to a paragraph id, and runs
//! each query through two systems in the same process:
//!
//! - **baseline**: tantivy BM25 with default settings (default tokenizer, `QueryParser` with
//!   its default OR, no stemming) over the same paragraphs, built directly with tantivy;
//! - **ofsted-search**: the crate's own query API with its default settings.
//!
//! It prints nDCG@10, MRR@10 and recall@20 overall and per query kind, then the overall
//! figures of the crate with each ranking step added in turn and with each step taken away
//! (the table in `RELEVANCE.md`). Pass `--per-query` to also print every query's nDCG@10.
//! Filters apply to every system alike.
//!
//! Run it with `cargo run --release --example eval`.
//!
//! With `--archive` it runs the archive judged set instead (`tests/relevance/archive_queries.toml`:
//! queries over the bundled corpus and the archive slice, split into a tuning half and a test
//! half before any tuning) through three systems — the crate's default ranking, plain BM25
//! (`Ranking::plain()`, any word) and SQLite FTS5 — and prints every figure for each half,
//! then each ranking step's effect on both halves.

#[path = "../tests/relevance/archive.rs"]
mod archive;
#[path = "../tests/relevance/harness.rs"]
mod harness;
#[path = "../tests/relevance/metrics.rs"]
mod metrics;

use std::path::Path;

use harness::{baseline::Baseline, load_queries, table, Corpus, CrateSystem, Run, System};
use ofsted_search::{Operator, Query, Ranking};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// A ranking step of the ablation: a name and how it sets up a query.
type Setup = (&'static str, Box<dyn Fn(&mut Query)>);

fn with(operator: Operator, edit: impl Fn(&mut Ranking) + 'static) -> Box<dyn Fn(&mut Query)> {
    Box::new(move |q: &mut Query| {
        let mut r = Ranking::plain();
        edit(&mut r);
        q.operator(operator).ranking(r);
    })
}

/// The default ranking (its shared built-in vocabulary) with some steps turned off.
fn from_default(
    operator: Operator,
    edit: impl Fn(&mut Ranking) + 'static,
) -> Box<dyn Fn(&mut Query)> {
    Box::new(move |q: &mut Query| {
        let mut r = Ranking::default();
        edit(&mut r);
        q.operator(operator).ranking(r);
    })
}

fn without(edit: impl Fn(&mut Ranking) + 'static) -> Box<dyn Fn(&mut Query)> {
    Box::new(move |q: &mut Query| {
        let mut r = Ranking::default();
        edit(&mut r);
        q.ranking(r);
    })
}

fn run() -> Result<(), harness::Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let per_query = std::env::args().any(|a| a == "--per-query");
    if std::env::args().any(|a| a == "--archive") {
        return run_archive(root, per_query);
    }
    // Development only: skip judgments the current chunker cannot resolve.
    let lenient = std::env::args().any(|a| a == "--lenient");

    // Step 1: ingest the corpus and resolve the judgments (fails loudly on a bad substring).
    let corpus = Corpus::load_original(&root.join(harness::CORPUS))?;
    let queries = load_queries(&root.join(harness::QUERIES), &corpus, lenient)?;
    if std::env::args().any(|a| a == "--paragraphs") {
        // For judges: every paragraph's id and opening words, to check the pool is complete.
        for p in &corpus.paragraphs {
            let head: String = p.text.chars().take(150).collect();
            println!("{}\t{:?}\t{}", p.id, p.number, head);
        }
        return Ok(());
    }
    let judged: usize = queries.iter().map(|q| q.grades.len()).sum();
    println!(
        "{} paragraphs, {} queries, {} judged paragraphs\n",
        corpus.paragraphs.len(),
        queries.len(),
        judged
    );

    // Step 2: the two systems under test, on identical paragraphs and filters.
    let baseline = Baseline::build(&corpus)?;
    let crate_index = CrateSystem::build(&corpus)?;
    let systems: Vec<(&str, System<'_>)> = vec![
        ("baseline", Box::new(|q| baseline.search(q))),
        (
            "ofsted-search",
            Box::new(|q| crate_index.search(q, &|_| {})),
        ),
    ];
    let mut runs = Vec::new();
    for (name, system) in &systems {
        runs.push(Run::of(name, system, &queries)?);
    }
    print!("{}", table(&runs));

    // Step 3: each ranking step's effect, through the crate's API.
    let mut steps: Vec<Setup> = vec![
        (
            "plain: stemmed BM25, all words",
            with(Operator::All, |_| {}),
        ),
        ("plain: stemmed BM25, any word", with(Operator::Any, |_| {})),
    ];
    steps.extend(cumulative_steps());
    steps.extend::<Vec<Setup>>(vec![
        (
            "default with exact word forms 0.25",
            without(|r| {
                r.exact_boost(0.25);
            }),
        ),
        (
            "default, exact word forms 0.5",
            without(|r| {
                r.exact_boost(0.5);
            }),
        ),
        (
            "default, exact word forms 1.0",
            without(|r| {
                r.exact_boost(1.0);
            }),
        ),
        (
            "default without vocabulary",
            without(|r| {
                r.vocabulary(None);
            }),
        ),
        (
            "default without stop words",
            without(|r| {
                r.stop_words(false);
            }),
        ),
        (
            "default without fallback (pure all words)",
            without(|r| {
                r.fallback_below(0);
            }),
        ),
        (
            "default, fallback below 10",
            without(|r| {
                r.fallback_below(10);
            }),
        ),
        (
            "default without section boost",
            without(|r| {
                r.section_boost(0.0);
            }),
        ),
        (
            "default, section boost 0.6",
            without(|r| {
                r.section_boost(0.6);
            }),
        ),
        (
            "default, any word",
            Box::new(|q: &mut Query| {
                q.operator(Operator::Any);
            }),
        ),
    ]);
    println!(
        "\n| ranking (ofsted-search API) | nDCG@10 | MRR@10 | recall@20 | worst kind vs baseline | ms/query |"
    );
    println!("|---|---|---|---|---|---|");
    let base_kinds = runs[0].per_kind();
    for (name, setup) in &steps {
        let system: System<'_> = Box::new(|q| crate_index.search(q, setup.as_ref()));
        let started = std::time::Instant::now();
        let r = Run::of(name, &system, &queries)?;
        let ms = started.elapsed().as_secs_f64() * 1000.0 / queries.len().max(1) as f64;
        let s = r.overall();
        let worst = r
            .per_kind()
            .into_iter()
            .map(|(k, (_, s))| (s.ndcg10 - base_kinds[&k].1.ndcg10, k))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(d, k)| format!("{k} {d:+.3}"))
            .unwrap_or_default();
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} | {worst} | {ms:.2} |",
            s.ndcg10, s.mrr10, s.recall20
        );
    }

    if per_query {
        println!("\n| query | kind | baseline | ofsted-search |\n|---|---|---|---|");
        for (i, q) in queries.iter().enumerate() {
            println!(
                "| {} | {} | {:.3} | {:.3} |",
                q.id, q.kind, runs[0].per_query[i].2.ndcg10, runs[1].per_query[i].2.ndcg10
            );
        }
    }

    // Every run covers every query, and every query has something to find.
    assert!(runs.iter().all(|r| r.per_query.len() == queries.len()));
    assert!(queries.iter().all(|q| !q.grades.is_empty()));
    Ok(())
}

/// A ranking setup of the archive ablation.
/// The default's steps added one at a time to plain BM25 (each row adds one), shared by both
/// judged sets' tables.
fn cumulative_steps() -> Vec<Setup> {
    vec![
        (
            "+ stop and question words dropped",
            from_default(Operator::Any, |r| {
                r.vocabulary(None)
                    .fallback_below(0)
                    .section_boost(0.0)
                    .exact_boost(0.0)
                    .context_weight(1.0)
                    .authority_weight(0.0);
            }),
        ),
        (
            "+ vocabulary expansion",
            from_default(Operator::Any, |r| {
                r.fallback_below(0)
                    .section_boost(0.0)
                    .exact_boost(0.0)
                    .context_weight(1.0)
                    .authority_weight(0.0);
            }),
        ),
        (
            "+ all words, fallback below 20 hits",
            from_default(Operator::All, |r| {
                r.questions_any_word(false)
                    .section_boost(0.0)
                    .exact_boost(0.0)
                    .context_weight(1.0)
                    .authority_weight(0.0);
            }),
        ),
        (
            "+ section heading boost 0.3",
            without(|r| {
                r.questions_any_word(false)
                    .exact_boost(0.0)
                    .context_weight(1.0)
                    .authority_weight(0.0);
            }),
        ),
        (
            "+ context blocks weigh 0.5",
            without(|r| {
                r.questions_any_word(false).authority_weight(0.0);
            }),
        ),
        (
            "+ council named in the query preferred",
            without(|r| {
                r.questions_any_word(false);
            }),
        ),
        (
            "+ questions searched with any word (= default)",
            Box::new(|_: &mut Query| {}),
        ),
    ]
}

fn archive_steps() -> Vec<Setup> {
    let mut steps: Vec<Setup> = vec![
        ("plain: stemmed BM25, any word", with(Operator::Any, |_| {})),
        (
            "plain: stemmed BM25, all words",
            with(Operator::All, |_| {}),
        ),
    ];
    steps.extend(cumulative_steps());
    steps.extend::<Vec<Setup>>(vec![
        (
            "default without stop words",
            without(|r| {
                r.stop_words(false);
            }),
        ),
        (
            "default without vocabulary",
            without(|r| {
                r.vocabulary(None);
            }),
        ),
        (
            "default without fallback (pure all words)",
            without(|r| {
                r.fallback_below(0);
            }),
        ),
        (
            "default without section boost",
            without(|r| {
                r.section_boost(0.0);
            }),
        ),
        (
            "default with exact word forms 0.25",
            without(|r| {
                r.exact_boost(0.25);
            }),
        ),
        (
            "default, any word",
            Box::new(|q: &mut Query| {
                q.operator(Operator::Any);
            }),
        ),
        (
            "default, questions any word",
            Box::new(|q: &mut Query| {
                let t = q.text().trim().to_lowercase();
                let first = t.split_whitespace().next().unwrap_or("").to_string();
                let qw = [
                    "how", "what", "which", "who", "why", "where", "when", "do", "does", "did",
                    "are", "is", "was", "were", "can", "have", "has",
                ];
                if t.ends_with('?') || qw.contains(&first.as_str()) {
                    q.operator(Operator::Any);
                }
            }),
        ),
        (
            "default, questions with all words",
            without(|r| {
                r.questions_any_word(false);
            }),
        ),
        (
            "default, findings only (context blocks left out)",
            Box::new(|q: &mut Query| {
                q.findings_only(true);
            }),
        ),
        (
            "default, at most 2 paragraphs per report",
            Box::new(|q: &mut Query| {
                q.per_report(2);
            }),
        ),
        (
            "default without the council named",
            without(|r| {
                r.authority_weight(0.0);
            }),
        ),
        (
            "default, council named x 0.5",
            without(|r| {
                r.authority_weight(0.5);
            }),
        ),
        (
            "default, council named x 2",
            without(|r| {
                r.authority_weight(2.0);
            }),
        ),
        (
            "default, context blocks x 0.9",
            without(|r| {
                r.context_weight(0.9);
            }),
        ),
        (
            "default, context blocks x 0.8",
            without(|r| {
                r.context_weight(0.8);
            }),
        ),
        (
            "default, context blocks x 0.7",
            without(|r| {
                r.context_weight(0.7);
            }),
        ),
        (
            "default, context blocks x 0.6",
            without(|r| {
                r.context_weight(0.6);
            }),
        ),
        (
            "default, context blocks x 0.3",
            without(|r| {
                r.context_weight(0.3);
            }),
        ),
    ]);
    steps
}

/// The archive judged set: three systems, every figure per half, each step on both halves.
fn run_archive(root: &Path, per_query: bool) -> Result<(), harness::Error> {
    let (corpus, from_sample) = archive::load_corpus(root)?;
    let set = archive::load(root, &corpus)?;
    println!(
        "{} paragraphs of {} reports ({} archive reports read from {}), {} queries runnable \
         ({} tune, {} test), {} skipped; {} of {} relevant judgments resolved\n",
        corpus.paragraphs.len(),
        corpus.reports.len(),
        from_sample.len(),
        archive::ARCHIVE_SAMPLE,
        set.queries.len(),
        set.half("tune").len(),
        set.half("test").len(),
        set.skipped.len(),
        set.relevant_judgments - set.unresolved.len(),
        set.relevant_judgments,
    );
    for s in &set.skipped {
        println!("skipped: {s}");
    }
    if std::env::args().any(|a| a == "--unresolved") {
        for u in &set.unresolved {
            println!("unresolved: {u}");
        }
    }
    let crate_index = CrateSystem::build(&corpus)?;
    let fts5 = archive::Fts5::build(&corpus)?;
    let plain_setup = with(Operator::Any, |_| {});
    let systems: Vec<(&str, System<'_>)> = vec![
        ("default", Box::new(|q| crate_index.search(q, &|_| {}))),
        (
            "plain BM25",
            Box::new(|q| crate_index.search(q, plain_setup.as_ref())),
        ),
        ("FTS5", Box::new(|q| fts5.search(q))),
    ];
    if let Some(depth) = std::env::args()
        .skip_while(|a| a != "--unjudged")
        .nth(1)
        .and_then(|d| d.parse::<usize>().ok())
    {
        // For judges: each system's unjudged paragraphs in its first `depth`, once per query.
        for q in &set.queries {
            let rankings = systems
                .iter()
                .map(|(_, system)| system(q))
                .collect::<Result<Vec<_>, _>>()?;
            archive::print_unjudged(&corpus, &set, q, &rankings, depth);
        }
        return Ok(());
    }
    let mut runs = Vec::new();
    for (name, system) in &systems {
        runs.push(Run::of(name, system, &set.queries)?);
    }
    let tune = set.half("tune");
    let test = set.half("test");
    for (label, half) in [("tuning half", &tune), ("test half", &test)] {
        println!("\n### {label}\n");
        print!("{}", table(&archive::half_runs(&runs, half)));
    }

    println!(
        "\n| ranking (ofsted-search API) | tune nDCG@10 | tune: worst kind vs plain | test nDCG@10 | test MRR@10 | test recall@20 | test: worst kind vs plain |"
    );
    println!("|---|---|---|---|---|---|---|");
    let plain_tune = archive::half_runs(&runs[1..2], &tune).remove(0).per_kind();
    let plain_test = archive::half_runs(&runs[1..2], &test).remove(0).per_kind();
    // The kind that falls furthest below plain BM25 on one half, and by how much.
    let worst_kind =
        |half: &harness::Run,
         plain: &std::collections::BTreeMap<String, (usize, metrics::Scores)>| {
            half.per_kind()
                .into_iter()
                .map(|(k, (_, sc))| (sc.ndcg10 - plain[&k].1.ndcg10, k))
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(d, k)| format!("{k} {d:+.3}"))
                .unwrap_or_default()
        };
    for (name, setup) in &archive_steps() {
        let system: System<'_> = Box::new(|q| crate_index.search(q, setup.as_ref()));
        let r = Run::of(name, &system, &set.queries)?;
        let t = archive::half_runs(std::slice::from_ref(&r), &tune).remove(0);
        let s = archive::half_runs(std::slice::from_ref(&r), &test).remove(0);
        let (worst_tune, worst_test) = (worst_kind(&t, &plain_tune), worst_kind(&s, &plain_test));
        let (to, so) = (t.overall(), s.overall());
        println!(
            "| {name} | {:.3} | {worst_tune} | {:.3} | {:.3} | {:.3} | {worst_test} |",
            to.ndcg10, so.ndcg10, so.mrr10, so.recall20
        );
    }

    // The per-report cap on the questions asked across reports.
    println!(
        "\n| which_councils, default ranking | tune nDCG@10 | test nDCG@10 | tune reports in top 10 | test reports in top 10 |"
    );
    println!("|---|---|---|---|---|");
    for cap in [0usize, 1, 2, 3] {
        let setup = move |q: &mut Query| {
            q.per_report(cap);
        };
        let mut row = Vec::new();
        let mut spread = Vec::new();
        for half in [&tune, &test] {
            let across: Vec<harness::EvalQuery> = half
                .iter()
                .filter(|q| q.kind == "which_councils")
                .cloned()
                .collect();
            let system: System<'_> = Box::new(|q| crate_index.search(q, &setup));
            row.push(Run::of("cap", &system, &across)?.overall().ndcg10);
            let rankings = across
                .iter()
                .map(|q| crate_index.search(q, &setup))
                .collect::<Result<Vec<_>, _>>()?;
            spread.push(archive::mean_reports_in_top(&rankings, &corpus, 10));
        }
        let name = if cap == 0 {
            "no cap (default)".to_string()
        } else {
            format!("per_report({cap})")
        };
        println!(
            "| {name} | {:.3} | {:.3} | {:.1} | {:.1} |",
            row[0], row[1], spread[0], spread[1]
        );
    }

    if per_query {
        println!(
            "\n| query | kind | half | default | plain BM25 | FTS5 |\n|---|---|---|---|---|---|"
        );
        for (i, q) in set.queries.iter().enumerate() {
            println!(
                "| {} | {} | {} | {:.3} | {:.3} | {:.3} |",
                q.id,
                q.kind,
                q.half,
                runs[0].per_query[i].2.ndcg10,
                runs[1].per_query[i].2.ndcg10,
                runs[2].per_query[i].2.ndcg10
            );
        }
    }
    assert!(runs.iter().all(|r| r.per_query.len() == set.queries.len()));
    Ok(())
}
