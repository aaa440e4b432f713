//! What hybrid retrieval (feature `semantic`) costs: paragraphs embedded per second, the query
//! latency it adds (embedding the query, then scoring the stored vectors and fusing), and the
//! vector file's bytes per paragraph.
//!
//! ```text
//! OFSTED_SEMANTIC_MODEL=models/all-MiniLM-L6-v2 cargo bench --features semantic --bench semantic
//! OFSTED_SEMANTIC_MODEL=... OFSTED_BENCH_SCALE=bundled,archive,100k cargo bench --features semantic --bench semantic
//! cargo test --features semantic --benches    # smoke run, with a tiny random model
//! ```
//!
//! `archive` is the archive sample's texts (`$OFSTED_ARCHIVE_SAMPLE/text`, by default
//! `../shared/archive-sample/text`): real paragraphs in the lexical index, each stored with one
//! of 128 bundled paragraphs' real-model vectors like the synthetic sizes (embedding the whole sample
//! takes over ten minutes on two loaded cores; the writer's end-to-end embedding rate is the
//! bundled size's indexing time, and `examples/hybrid_eval.rs --archive` prints it for the
//! archive judged set's corpus).
//!
//! The queries run as the lexical default ranking, plain BM25 (`Ranking::plain()`, any word),
//! and the hybrid setting RELEVANCE.md recommends (plain BM25 fused with the vectors, the
//! library's default fusion settings); the latency hybrid adds is the difference between the
//! last two in the same run. "embed the query only" isolates the model's share.
//!
//! Without `OFSTED_SEMANTIC_MODEL` it runs with the tiny random model of the tests (figures
//! then say nothing about a real model). At synthetic sizes, embedding every paragraph with a
//! real model would take hours on two cores, so each synthetic paragraph is stored with the
//! real-model vector of one of the first 128 bundled paragraphs (in turn, through
//! `IndexWriter::add_report_with_vectors`): the vector search scores every stored vector
//! whatever they hold, so its cost is that of real vectors; the hits are not meaningful.

mod common;
#[path = "../tests/support/tiny_model.rs"]
mod tiny_model;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};

use common::{data, scales, smoke_mode, Scale};
use ofsted_search::ingest::{Ingester, ParsedReport};
use ofsted_search::semantic::{Embedder, VECTOR_FILE};
use ofsted_search::{Query, Ranking, SearchIndex};

/// Natural questions and keyword queries of the kinds users type.
const QUERIES: &[&str] = &[
    "how are children who go missing from care helped when they return",
    "social workers visit children regularly and see them alone",
    "return home interviews",
    "quality of management oversight and supervision",
    "care leavers in suitable accommodation",
    "child sexual exploitation risk assessment",
    "do looked after children have stable placements",
    "voice of the child in assessments",
];

fn main() {
    let smoke = smoke_mode();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(4))
        .sample_size(10)
        .configure_from_args();
    let bundled: Vec<ParsedReport> = data::reports(Scale::Bundled).collect();
    let (model, _tmp) = match std::env::var_os("OFSTED_SEMANTIC_MODEL") {
        Some(dir) => (PathBuf::from(dir), None),
        None => {
            let tmp = tempfile::tempdir().expect("temporary directory");
            let dir = tmp.path().join("tiny-model");
            tiny_model::tiny_model(&dir, &bundled);
            eprintln!("OFSTED_SEMANTIC_MODEL is not set: using a tiny random model");
            (dir, Some(tmp))
        }
    };
    let embedder = Embedder::from_dir(&model).expect("load the model");
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    eprintln!("model {}, {threads} threads", model.display());

    // Embedding throughput, 16 bundled paragraphs per iteration (the writer's batch size).
    let texts: Vec<&str> = bundled
        .iter()
        .flat_map(|r| r.paragraphs.iter().map(|p| p.text.as_str()))
        .collect();
    let mut g = c.benchmark_group("semantic/embed");
    g.throughput(Throughput::Elements(16));
    g.bench_function("16 paragraphs", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 16) % texts.len().saturating_sub(16).max(1);
            embedder
                .embed(&texts[i..(i + 16).min(texts.len())])
                .expect("embed")
        })
    });
    g.finish();

    let mut query_vectors_of_bundled: Option<Vec<Vec<f32>>> = None;
    // `archive` among the sizes: the archive sample, right after the bundled corpus.
    let wanted = std::env::var("OFSTED_BENCH_SCALE").unwrap_or_default();
    let mut sizes: Vec<(String, Option<Scale>)> = Vec::new();
    for scale in scales() {
        sizes.push((scale.name(), Some(scale)));
        if scale == Scale::Bundled && wanted.split(',').any(|s| s.trim() == "archive") {
            sizes.push(("archive".into(), None));
        }
    }
    if !sizes.iter().any(|(_, s)| *s == Some(Scale::Bundled))
        && wanted.split(',').any(|s| s.trim() == "archive")
    {
        sizes.insert(0, ("archive".into(), None));
    }
    for (name, scale) in sizes {
        if smoke && scale != Some(Scale::Bundled) {
            continue;
        }
        let tmp = tempfile::tempdir().expect("temporary directory");
        let dir = tmp.path().join("index");
        let index = SearchIndex::open_or_create(&dir)
            .and_then(|i| i.with_embedder(embedder.clone()))
            .expect("index");
        let started = Instant::now();
        let mut writer = index.writer().expect("writer");
        if scale == Some(Scale::Bundled) {
            for r in &bundled {
                writer.add_report(r).expect("add");
            }
        } else {
            // 128 real-model vectors, reused in turn: the vector search scores every stored
            // vector, so its cost does not depend on how many of them differ.
            let vectors = query_vectors_of_bundled.get_or_insert_with(|| {
                embedder
                    .embed(&texts[..texts.len().min(128)])
                    .expect("embed")
            });
            let mut next = 0;
            let reports: Box<dyn Iterator<Item = ParsedReport>> = match scale {
                Some(scale) => data::reports(scale),
                None => Box::new(archive_sample().into_iter()),
            };
            for r in reports {
                let v: Vec<Vec<f32>> = (0..r.paragraphs.len())
                    .map(|_| {
                        next += 1;
                        vectors[next % vectors.len()].clone()
                    })
                    .collect();
                writer.add_report_with_vectors(&r, &v).expect("add");
            }
        }
        writer.finish().expect("commit");
        let seconds = started.elapsed().as_secs_f64();
        let paragraphs = index.num_paragraphs().expect("count");
        assert_eq!(index.embedded_paragraphs() as u64, paragraphs);
        let file = std::fs::metadata(dir.join(VECTOR_FILE))
            .expect("vector file")
            .len();
        let total: u64 = std::fs::read_dir(&dir)
            .expect("index dir")
            .filter_map(|e| e.ok()?.metadata().ok())
            .map(|m| m.len())
            .sum();
        eprintln!(
            "{name}: {paragraphs} paragraphs indexed in {seconds:.1} s ({:.1} paragraphs/s); {VECTOR_FILE} {file} bytes = {:.1} bytes/paragraph; whole index directory {total} bytes ({:.1} bytes/paragraph)",
            paragraphs as f64 / seconds,
            file as f64 / paragraphs as f64,
            total as f64 / paragraphs as f64,
        );

        let lexical: Vec<Query> = QUERIES.iter().map(|t| query(t, false, false)).collect();
        let plain: Vec<Query> = QUERIES.iter().map(|t| query(t, true, false)).collect();
        let hybrid: Vec<Query> = QUERIES.iter().map(|t| query(t, true, true)).collect();
        let mut g = c.benchmark_group(format!("semantic/{name}/query"));
        g.bench_function("lexical (default ranking)", |b| {
            let mut i = 0;
            b.iter(|| {
                i += 1;
                index
                    .search(&lexical[i % lexical.len()])
                    .expect("search")
                    .hits
                    .len()
            })
        });
        g.bench_function("plain BM25", |b| {
            let mut i = 0;
            b.iter(|| {
                i += 1;
                index
                    .search(&plain[i % plain.len()])
                    .expect("search")
                    .hits
                    .len()
            })
        });
        g.bench_function("hybrid (plain BM25 + vectors)", |b| {
            let mut i = 0;
            b.iter(|| {
                i += 1;
                index
                    .search(&hybrid[i % hybrid.len()])
                    .expect("search")
                    .hits
                    .len()
            })
        });
        g.bench_function("embed the query only", |b| {
            let mut i = 0;
            b.iter(|| {
                i += 1;
                embedder
                    .embed(&[QUERIES[i % QUERIES.len()]])
                    .expect("embed")
            })
        });
        g.finish();
    }
    c.final_summary();
}

/// The archive sample's reports, ingested from their texts.
fn archive_sample() -> Vec<ParsedReport> {
    let dir = std::env::var_os("OFSTED_ARCHIVE_SAMPLE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/archive-sample"))
        .join("text");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let ingester = Ingester::new();
    files
        .iter()
        .map(|p| ingester.ingest_file(p).expect("ingest"))
        .collect()
}

/// A page of 10: the default ranking, or plain BM25 (any word), optionally fused.
fn query(text: &str, plain: bool, hybrid: bool) -> Query {
    let mut ranking = if plain {
        Ranking::plain()
    } else {
        Ranking::default()
    };
    ranking.hybrid(hybrid);
    let mut q = Query::new(text);
    q.ranking(ranking).limit(10);
    if plain {
        q.operator(ofsted_search::Operator::Any);
    }
    q
}
