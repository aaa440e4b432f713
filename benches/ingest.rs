//! Ingestion throughput, in MB/s and paragraphs/s: end to end from report text files (read,
//! decode, normalise, parse, chunk, tag, index, commit) for the bundled reports and for a
//! synthetic text corpus, and indexing alone from already parsed synthetic reports.
//!
//! ```text
//! cargo bench --bench ingest
//! cargo test --benches        # smoke run: the bundled reports, once
//! ```
//!
//! The million-paragraph build is measured once per cache by `examples/latency.rs`
//! (`--ingest` for end to end), since one iteration takes about a minute.

mod common;

use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput};

use common::{data, engine, smoke_mode, Scale};
use ofsted_search::ingest::ParsedReport;

/// Paragraphs of the synthetic corpora ingested per iteration.
const SYNTHETIC: usize = 20_000;

fn main() {
    let smoke = smoke_mode();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(10))
        .sample_size(10)
        .configure_from_args();

    let mut sets = vec![("bundled", Scale::Bundled)];
    if !smoke {
        sets.push(("synthetic_20k", Scale::Synthetic(SYNTHETIC)));
    }
    for (name, scale) in sets {
        let (files, bytes) = data::text_corpus(scale);
        let tmp = tempfile::tempdir().expect("temp dir");
        let (paragraphs, _) = engine::ingest_files(&tmp.path().join("probe"), &files);
        assert!(paragraphs > 0, "{name}: no paragraphs ingested");
        for (unit, throughput) in [
            ("bytes", Throughput::Bytes(bytes)),
            ("paragraphs", Throughput::Elements(paragraphs)),
        ] {
            let mut g = c.benchmark_group(format!("ingest_text/{name}/{unit}"));
            g.throughput(throughput);
            g.bench_function("end_to_end", |b| {
                b.iter_batched(
                    || tempfile::tempdir().expect("temp dir"),
                    |dir| engine::ingest_files(&dir.path().join("index"), &files),
                    BatchSize::PerIteration,
                )
            });
            g.finish();
        }
    }

    if !smoke {
        let reports: Vec<ParsedReport> = data::reports(Scale::Synthetic(SYNTHETIC)).collect();
        let bytes: u64 = reports
            .iter()
            .flat_map(|r| &r.paragraphs)
            .map(|p| p.text.len() as u64)
            .sum();
        for (unit, throughput) in [
            ("bytes", Throughput::Bytes(bytes)),
            ("paragraphs", Throughput::Elements(SYNTHETIC as u64)),
        ] {
            let mut g = c.benchmark_group(format!("index_parsed/synthetic_20k/{unit}"));
            g.throughput(throughput);
            g.bench_function("index_commit", |b| {
                b.iter_batched(
                    || tempfile::tempdir().expect("temp dir"),
                    |dir| engine::build(&dir.path().join("index"), reports.iter().cloned()),
                    BatchSize::PerIteration,
                )
            });
            g.finish();
        }
    }
    c.final_summary();
}
