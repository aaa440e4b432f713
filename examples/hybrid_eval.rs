//! Measures hybrid retrieval (feature `semantic`) against lexical ranking on the judged query
//! sets in `tests/relevance/`, with a real sentence-embedding model.
//!
//! Run it with a model directory in the sentence-transformers layout (README.md says how to
//! get all-MiniLM-L6-v2 and check its files):
//!
//! ```text
//! cargo run --release --features semantic --example hybrid_eval -- --model models/all-MiniLM-L6-v2 --archive
//! cargo run --release --features semantic --example hybrid_eval -- --model models/all-MiniLM-L6-v2
//! ```
//!
//! **`--archive`** (the target, RELEVANCE.md "Hybrid retrieval"): the archive judged set
//! (`tests/relevance/archive_queries.toml`, a tuning half and a test half fixed before any
//! tuning). It indexes the corpus twice in memory (without and with the embedder), then
//!
//! 1. searches a grid of fusion settings (which lexical ranking is fused, RRF `k`, depth,
//!    vector weight) on the **tuning half only**, prints the best settings, and picks the best
//!    by tuning-half nDCG@10 (ties: the earlier in the grid, which starts at the library's
//!    defaults);
//! 2. prints, for each half and per query kind, the default lexical ranking, plain BM25, the
//!    vectors alone, the library's default hybrid (`Ranking::default()` + `hybrid(true)`),
//!    the a-priori setting of issue 13 (plain BM25, k = 60, 100 deep, equal weights) and the
//!    tuning-half pick;
//! 3. prints how much of each system's top 10 was judged at all (the pool was built from
//!    lexical systems only, so paragraphs that only the vectors find are unjudged and count as
//!    not relevant), and nDCG@10 over the judged paragraphs only ("condensed": unjudged ones
//!    removed from the ranking), which bounds that bias from the other side.
//!
//! Without `--archive`: the older bundled set (`tests/relevance/queries.toml`), as a check,
//! with the same systems and the recommended setting (plain BM25 fused with the library's
//! default fusion settings, which are the archive tuning half's pick); another setting can be
//! added with `--lexical default|plain --k K --depth D --weight W`.
//!
//! `--per-query` adds every query's nDCG@10. `--embed` reads lines from standard input and
//! prints each one's embedding as a JSON array, one per line (what
//! `tests/relevance/embedder_check.py` compares with an independent implementation).

#[path = "../tests/relevance/archive.rs"]
mod archive;
#[path = "../tests/relevance/harness.rs"]
mod harness;
#[path = "../tests/relevance/metrics.rs"]
mod metrics;

use std::collections::HashSet;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use harness::{
    baseline::Baseline, load_queries, table, Corpus, CrateSystem, EvalQuery, Run, System,
};
use ofsted_search::semantic::{Embedder, FUSION_DEPTH, RRF_K, VECTOR_WEIGHT};
use ofsted_search::{Operator, Query, Ranking, SearchIndex};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn value(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// How a system sets up a query.
type Setup = Box<dyn Fn(&mut Query)>;

/// A hybrid fusion setting.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Fusion {
    /// Fuse `Ranking::plain()` (any word) rather than `Ranking::default()`.
    plain: bool,
    k: f32,
    depth: usize,
    weight: f32,
}

impl Fusion {
    /// The library's default hybrid: `Ranking::default()` with `hybrid(true)`.
    const LIBRARY: Fusion = Fusion {
        plain: false,
        k: RRF_K,
        depth: FUSION_DEPTH,
        weight: VECTOR_WEIGHT,
    };
    /// The recommended setting (RELEVANCE.md): plain BM25 fused with the library's default
    /// fusion settings, which are the tuning half's pick.
    const TUNED: Fusion = Fusion {
        plain: true,
        k: RRF_K,
        depth: FUSION_DEPTH,
        weight: VECTOR_WEIGHT,
    };
    /// The setting of the experiment in issue 13: plain BM25, k = 60, 100 deep, equal weights.
    const ISSUE: Fusion = Fusion {
        plain: true,
        k: 60.0,
        depth: 100,
        weight: 1.0,
    };
    /// The vectors alone: with weight 10^6 the vector list's top `depth` keep their order
    /// exactly (adjacent ranks differ by at least 10^6 / (160 * 161) ≈ 39, a lexical rank adds
    /// at most 1/61), and every lexical-only paragraph ranks below them.
    const VECTORS_ONLY: Fusion = Fusion {
        plain: true,
        k: 60.0,
        depth: 100,
        weight: 1e6,
    };

    fn label(&self) -> String {
        format!(
            "{} + vectors, k {}, depth {}, weight {}",
            if self.plain { "plain" } else { "default" },
            self.k,
            self.depth,
            self.weight
        )
    }

    fn setup(self) -> Box<dyn Fn(&mut Query)> {
        Box::new(move |q: &mut Query| {
            let mut r = if self.plain {
                Ranking::plain()
            } else {
                Ranking::default()
            };
            r.hybrid(true)
                .fusion_k(self.k)
                .fusion_depth(self.depth)
                .vector_weight(self.weight);
            q.ranking(r);
            if self.plain {
                q.operator(Operator::Any);
            }
        })
    }
}

fn lexical(plain: bool) -> Box<dyn Fn(&mut Query)> {
    Box::new(move |q: &mut Query| {
        if plain {
            q.ranking(Ranking::plain()).operator(Operator::Any);
        }
    })
}

/// The grid searched on the tuning half; the library's defaults come first.
fn grid() -> Vec<Fusion> {
    let mut out = vec![Fusion::LIBRARY];
    for plain in [false, true] {
        for k in [10.0, 30.0, 60.0, 100.0] {
            for depth in [50, 100, 200] {
                for weight in [0.5, 1.0, 2.0] {
                    let f = Fusion {
                        plain,
                        k,
                        depth,
                        weight,
                    };
                    if !out.contains(&f) {
                        out.push(f);
                    }
                }
            }
        }
    }
    out
}

fn run() -> Result<(), harness::Error> {
    let args: Vec<String> = std::env::args().collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = value(&args, "--model")
        .map(PathBuf::from)
        .ok_or("give the model directory: --model DIR (see README.md, \"Hybrid retrieval\")")?;
    let embedder = Embedder::from_dir(&model)?;
    if args.iter().any(|a| a == "--embed") {
        return embed_lines(&embedder);
    }
    let per_query = args.iter().any(|a| a == "--per-query");
    if args.iter().any(|a| a == "--archive") {
        return run_archive(root, embedder, per_query);
    }
    let corpus_dir = value(&args, "--corpus")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(harness::CORPUS));
    let queries_file = value(&args, "--queries")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(harness::QUERIES));
    let number = |flag: &str, default: f32| -> Result<f32, harness::Error> {
        match value(&args, flag) {
            Some(v) => v.parse().map_err(|e| format!("{flag} {v}: {e}").into()),
            None => Ok(default),
        }
    };
    let given = Fusion {
        plain: match value(&args, "--lexical").as_deref() {
            None | Some("default") => false,
            Some("plain") => true,
            Some(other) => return Err(format!("--lexical {other}: default or plain").into()),
        },
        k: number("--k", RRF_K)?,
        depth: number("--depth", FUSION_DEPTH as f32)? as usize,
        weight: number("--weight", VECTOR_WEIGHT)?,
    };

    let corpus = Corpus::load_original(&corpus_dir)?;
    let queries = load_queries(&queries_file, &corpus, false)?;
    println!(
        "{} paragraphs, {} queries; model {}\n",
        corpus.paragraphs.len(),
        queries.len(),
        model.display()
    );
    let baseline = Baseline::build(&corpus)?;
    let (lexical_index, hybrid_index) = build(&corpus, embedder)?;
    let mut fusions = vec![
        Fusion::LIBRARY,
        Fusion::ISSUE,
        Fusion::VECTORS_ONLY,
        Fusion::TUNED,
    ];
    if !fusions.contains(&given) {
        fusions.push(given);
    }
    let mut runs = vec![Run::of(
        "baseline BM25 (tantivy defaults)",
        &(Box::new(|q: &EvalQuery| baseline.search(q)) as System<'_>),
        &queries,
    )?];
    runs.extend(systems(&lexical_index, &hybrid_index, &fusions, &queries)?);
    print!("{}", table(&runs));
    if per_query {
        print_per_query(&runs, &queries);
    }
    Ok(())
}

/// Indexes the corpus without and with the embedder (in memory), printing what embedding cost.
fn build(
    corpus: &Corpus,
    embedder: Embedder,
) -> Result<(CrateSystem, CrateSystem), harness::Error> {
    let lexical = CrateSystem::build(corpus)?;
    let started = Instant::now();
    let hybrid = CrateSystem::build_in(
        SearchIndex::create_in_ram()?.with_embedder(embedder)?,
        corpus,
    )?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "indexed with embeddings in {seconds:.1} s ({:.1} paragraphs/s, {} threads)\n",
        corpus.paragraphs.len() as f64 / seconds,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    Ok((lexical, hybrid))
}

/// Default lexical, plain BM25, then each fusion, over `queries`.
fn systems(
    lexical_index: &CrateSystem,
    hybrid_index: &CrateSystem,
    fusions: &[Fusion],
    queries: &[EvalQuery],
) -> Result<Vec<Run>, harness::Error> {
    let mut runs = Vec::new();
    for (name, plain) in [("default (lexical)", false), ("plain BM25", true)] {
        let setup = lexical(plain);
        let system: System<'_> = Box::new(|q| lexical_index.search(q, setup.as_ref()));
        runs.push(Run::of(name, &system, queries)?);
    }
    for f in fusions {
        let name = match *f {
            Fusion::VECTORS_ONLY => "vectors only".to_string(),
            Fusion::LIBRARY => format!("hybrid, library default ({})", f.label()),
            Fusion::ISSUE => format!("hybrid, issue 13 setting ({})", f.label()),
            Fusion::TUNED => format!("hybrid, recommended ({})", f.label()),
            _ => format!("hybrid ({})", f.label()),
        };
        let setup = f.setup();
        let system: System<'_> = Box::new(|q| hybrid_index.search(q, setup.as_ref()));
        let started = Instant::now();
        runs.push(Run::of(&name, &system, queries)?);
        let ms = started.elapsed().as_secs_f64() * 1000.0 / queries.len().max(1) as f64;
        eprintln!("{name}: {ms:.1} ms/query");
    }
    Ok(runs)
}

fn print_per_query(runs: &[Run], queries: &[EvalQuery]) {
    print!("\n| query | kind | half |");
    for r in runs {
        print!(" {} |", r.name);
    }
    print!("\n|---|---|---|");
    for _ in runs {
        print!("---|");
    }
    println!();
    for (i, q) in queries.iter().enumerate() {
        print!("| {} | {} | {} |", q.id, q.kind, q.half);
        for r in runs {
            print!(" {:.3} |", r.per_query[i].2.ndcg10);
        }
        println!();
    }
}

/// The archive set: the grid on the tuning half, then every system on both halves.
fn run_archive(root: &Path, embedder: Embedder, per_query: bool) -> Result<(), harness::Error> {
    let (corpus, _) = archive::load_corpus(root)?;
    let set = archive::load(root, &corpus)?;
    let tune = set.half("tune");
    let test = set.half("test");
    println!(
        "{} paragraphs of {} reports, {} queries ({} tune, {} test), {} skipped; model {}\n",
        corpus.paragraphs.len(),
        corpus.reports.len(),
        set.queries.len(),
        tune.len(),
        test.len(),
        set.skipped.len(),
        embedder.dir().display()
    );
    let (lexical_index, hybrid_index) = build(&corpus, embedder)?;

    // 1. The grid, on the tuning half only.
    let mut scored = Vec::new();
    for f in grid() {
        let setup = f.setup();
        let system: System<'_> = Box::new(|q| hybrid_index.search(q, setup.as_ref()));
        let r = Run::of(&f.label(), &system, &tune)?;
        scored.push((r.overall().ndcg10, f));
    }
    let n = scored.len();
    // Stable: equal scores keep grid order (the library's defaults first).
    let mut ranked = scored.clone();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let pick = ranked[0].1;
    println!("### fusion settings on the tuning half ({n} settings, best 12 and the defaults)\n");
    println!("| fusion | tune nDCG@10 |\n|---|---|");
    for (score, f) in ranked.iter().take(12) {
        println!("| {} | {score:.3} |", f.label());
    }
    for (wanted, why) in [
        (Fusion::LIBRARY, "library default"),
        (Fusion::ISSUE, "issue 13"),
    ] {
        if let Some((score, f)) = scored.iter().find(|(_, f)| *f == wanted) {
            println!("| {} ({why}) | {score:.3} |", f.label());
        }
    }
    println!("\npicked on the tuning half: {}\n", pick.label());

    // 2. Every system on both halves, per kind.
    let mut fusions = vec![Fusion::LIBRARY, Fusion::ISSUE, Fusion::VECTORS_ONLY];
    if !fusions.contains(&pick) {
        fusions.push(pick);
    }
    if let Some(depth) = value(&std::env::args().collect::<Vec<_>>(), "--unjudged")
        .and_then(|d| d.parse::<usize>().ok())
    {
        // For judges: each hybrid's unjudged paragraphs in its first `depth`, once per query.
        for q in &set.queries {
            let rankings = fusions
                .iter()
                .filter(|f| **f != Fusion::VECTORS_ONLY)
                .map(|f| hybrid_index.search(q, f.setup().as_ref()))
                .collect::<Result<Vec<_>, _>>()?;
            archive::print_unjudged(&corpus, &set, q, &rankings, depth);
        }
        return Ok(());
    }
    let runs = systems(&lexical_index, &hybrid_index, &fusions, &set.queries)?;
    for (label, half) in [("tuning half", &tune), ("test half", &test)] {
        println!("\n### {label}\n");
        print!("{}", table(&archive::half_runs(&runs, half)));
    }

    // 3. How much of each top 10 was judged, and nDCG@10 over judged paragraphs only.
    println!(
        "\n| system | tune: judged in top 10 | test: judged in top 10 | tune condensed nDCG@10 | test condensed nDCG@10 |\n|---|---|---|---|---|"
    );
    let all_setups: Vec<(String, Setup, bool)> = [
        ("default (lexical)".to_string(), lexical(false), false),
        ("plain BM25".to_string(), lexical(true), false),
    ]
    .into_iter()
    .chain(fusions.iter().map(|f| (f.label(), f.setup(), true)))
    .collect();
    for (name, setup, hybrid) in &all_setups {
        let index = if *hybrid {
            &hybrid_index
        } else {
            &lexical_index
        };
        let mut row = Vec::new();
        let mut condensed = Vec::new();
        for half in [&tune, &test] {
            let mut judged = 0usize;
            let mut shown = 0usize;
            let mut c = Vec::new();
            for q in half.iter() {
                let ranking = index.search(q, setup.as_ref())?;
                let pool: &HashSet<String> = &set.pooled[&q.id];
                let top: Vec<&String> = ranking.iter().take(10).collect();
                shown += top.len();
                judged += top.iter().filter(|id| pool.contains(id.as_str())).count();
                let kept: Vec<String> = ranking
                    .iter()
                    .filter(|id| pool.contains(id.as_str()))
                    .cloned()
                    .collect();
                c.push(metrics::ndcg_at(&kept, &q.grades, 10));
            }
            row.push(judged as f64 / shown.max(1) as f64);
            condensed.push(c.iter().sum::<f64>() / c.len().max(1) as f64);
        }
        println!(
            "| {name} | {:.0}% | {:.0}% | {:.3} | {:.3} |",
            row[0] * 100.0,
            row[1] * 100.0,
            condensed[0],
            condensed[1]
        );
    }
    // 4. Paired differences on the test half, with a sign-flip randomisation test.
    println!(
        "\n| test half, nDCG@10 | mean difference | queries better / worse | two-sided p (sign-flip, 100,000 draws) |\n|---|---|---|---|"
    );
    let test_runs = archive::half_runs(&runs, &test);
    let at = fusions.iter().position(|f| *f == pick).unwrap_or(0);
    let pick_run = &test_runs[2 + at];
    for base in &test_runs[..2] {
        let d: Vec<f64> = pick_run
            .per_query
            .iter()
            .zip(&base.per_query)
            .map(|(a, b)| a.2.ndcg10 - b.2.ndcg10)
            .collect();
        let (mean, p) = sign_flip(&d, 100_000);
        println!(
            "| {} vs {} | {mean:+.3} | {} / {} | {p:.3} |",
            pick_run.name,
            base.name,
            d.iter().filter(|x| **x > 1e-9).count(),
            d.iter().filter(|x| **x < -1e-9).count()
        );
    }
    if per_query {
        print_per_query(&runs, &set.queries);
    }
    assert!(runs.iter().all(|r| r.per_query.len() == set.queries.len()));
    Ok(())
}

/// The mean of paired differences `d` and the two-sided p-value of a sign-flip randomisation
/// test (each difference's sign flipped at random, `draws` times, fixed seed).
fn sign_flip(d: &[f64], draws: usize) -> (f64, f64) {
    let n = d.len().max(1) as f64;
    let mean = d.iter().sum::<f64>() / n;
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut extreme = 0usize;
    for _ in 0..draws {
        let mut sum = 0.0;
        for x in d {
            // xorshift64
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            sum += if state & 1 == 0 { *x } else { -*x };
        }
        if (sum / n).abs() >= mean.abs() - 1e-12 {
            extreme += 1;
        }
    }
    (mean, (extreme + 1) as f64 / (draws + 1) as f64)
}

/// `--embed`: one JSON array per line of standard input.
fn embed_lines(embedder: &Embedder) -> Result<(), harness::Error> {
    let lines: Vec<String> = std::io::stdin()
        .lock()
        .lines()
        .collect::<Result<_, _>>()
        .map_err(|e| format!("standard input: {e}"))?;
    let texts: Vec<&str> = lines.iter().map(String::as_str).collect();
    let vectors = embedder.embed(&texts)?;
    let mut out = std::io::stdout().lock();
    for v in vectors {
        let json = serde_json::to_string(&v).map_err(|e| e.to_string())?;
        writeln!(out, "{json}").map_err(|e| e.to_string())?;
    }
    Ok(())
}
