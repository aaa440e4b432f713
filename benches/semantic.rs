//! What hybrid retrieval (feature `semantic`) costs: paragraphs embedded per second, the query
//! latency it adds (embedding the query, then scoring the stored vectors and fusing), and the
//! vector file's bytes per paragraph.
//!
//! ```text
//! OFSTED_SEMANTIC_MODEL=models/all-MiniLM-L6-v2 cargo bench --features semantic --bench semantic
//! OFSTED_SEMANTIC_MODEL=... OFSTED_BENCH_SCALE=bundled,100k cargo bench --features semantic --bench semantic
//! cargo test --features semantic --benches    # smoke run, with a tiny random model
//! ```
//!
//! Without `OFSTED_SEMANTIC_MODEL` it runs with the tiny random model of the tests (figures
//! then say nothing about a real model). At synthetic sizes, embedding every paragraph with a
//! real model would take hours on two cores, so each synthetic paragraph is stored with the
//! real-model vector of a bundled paragraph (in turn, through
//! `IndexWriter::add_report_with_vectors`): the vector search scores every stored vector
//! whatever they hold, so its cost is that of real vectors; the hits are not meaningful.

mod common;
#[path = "../tests/support/tiny_model.rs"]
mod tiny_model;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};

use common::{data, scales, smoke_mode, Scale};
use ofsted_search::ingest::ParsedReport;
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
    for scale in scales() {
        if smoke && scale != Scale::Bundled {
            continue;
        }
        let tmp = tempfile::tempdir().expect("temporary directory");
        let dir = tmp.path().join("index");
        let index = SearchIndex::open_or_create(&dir)
            .and_then(|i| i.with_embedder(embedder.clone()))
            .expect("index");
        let started = Instant::now();
        let mut writer = index.writer().expect("writer");
        if scale == Scale::Bundled {
            for r in &bundled {
                writer.add_report(r).expect("add");
            }
        } else {
            let vectors = query_vectors_of_bundled
                .get_or_insert_with(|| embedder.embed(&texts).expect("embed"));
            let mut next = 0;
            for r in data::reports(scale) {
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
            "{}: {paragraphs} paragraphs indexed in {seconds:.1} s; {VECTOR_FILE} {file} bytes = {:.1} bytes/paragraph; whole index directory {total} bytes ({:.1} bytes/paragraph)",
            scale.name(),
            file as f64 / paragraphs as f64,
            total as f64 / paragraphs as f64,
        );

        let lexical: Vec<Query> = QUERIES.iter().map(|t| query(t, false)).collect();
        let hybrid: Vec<Query> = QUERIES.iter().map(|t| query(t, true)).collect();
        let mut g = c.benchmark_group(format!("semantic/{}/query", scale.name()));
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
        g.bench_function("hybrid (default + vectors)", |b| {
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

fn query(text: &str, hybrid: bool) -> Query {
    let mut ranking = Ranking::default();
    ranking.hybrid(hybrid);
    let mut q = Query::new(text);
    q.ranking(ranking).limit(10);
    q
}
