//! Ingestion throughput, measured in **CPU time** (all threads of the process), so that
//! criterion's throughput reads as MB (or paragraphs) per CPU-second, the figure that does not
//! depend on how busy a shared machine is: end to end from report text files (read, decode,
//! normalise, parse, chunk, tag, index, commit), on the caller's thread and with two reader
//! threads (`Batch::threads`), for the bundled reports and a synthetic text corpus; and
//! indexing alone from already parsed synthetic reports, for the crate and for **plain
//! tantivy** (one stemmed text field with positions, stored), its baseline in the same run.
//!
//! ```text
//! cargo bench --bench ingest
//! cargo test --benches        # smoke run: the bundled reports, once
//! ```
//!
//! The million-paragraph build is measured once per cache by `examples/latency.rs`
//! (`--ingest` for end to end), since one iteration takes minutes.

mod common;

use std::time::Duration;

use criterion::{Criterion, Throughput};

use common::{data, engine, plain_tantivy, smoke_mode, stats, Scale};
use ofsted_search::ingest::ParsedReport;

/// Paragraphs of the synthetic corpora ingested per iteration.
const SYNTHETIC: usize = 20_000;

/// Runs `f` `iters` times, each into a fresh temporary directory; returns the process's CPU
/// time over the runs (setup and clean-up left out).
fn cpu_time(iters: u64, mut f: impl FnMut(&std::path::Path)) -> Duration {
    let mut total = 0.0;
    for _ in 0..iters {
        let dir = tempfile::tempdir().expect("temp dir");
        let start = stats::cpu_seconds();
        f(&dir.path().join("index"));
        total += stats::cpu_seconds() - start;
    }
    Duration::from_secs_f64(total)
}

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
        // Bytes only: paragraphs per CPU-second follow from the paragraph count printed here.
        println!(
            "{name}: {} files, {bytes} bytes, {paragraphs} paragraphs",
            files.len()
        );
        let mut g = c.benchmark_group(format!("ingest_text_cpu/{name}/bytes"));
        g.throughput(Throughput::Bytes(bytes));
        for (id, threads) in [("end_to_end", 0), ("end_to_end_2_readers", 2)] {
            g.bench_function(id, |b| {
                b.iter_custom(|iters| {
                    cpu_time(iters, |dir| {
                        engine::ingest_files_on(dir, &files, threads);
                    })
                })
            });
        }
        g.finish();
    }

    if !smoke {
        let reports: Vec<ParsedReport> = data::reports(Scale::Synthetic(SYNTHETIC)).collect();
        let bytes: u64 = reports
            .iter()
            .flat_map(|r| &r.paragraphs)
            .map(|p| p.text.len() as u64)
            .sum();
        let mut g = c.benchmark_group("index_parsed_cpu/synthetic_20k/bytes");
        g.throughput(Throughput::Bytes(bytes));
        g.bench_function("crate", |b| {
            b.iter_custom(|iters| {
                cpu_time(iters, |dir| {
                    engine::build(dir, reports.iter().cloned());
                })
            })
        });
        g.bench_function("plain_tantivy", |b| {
            b.iter_custom(|iters| {
                cpu_time(iters, |dir| {
                    plain_tantivy::build_plain(dir, reports.iter().cloned()).expect("build");
                })
            })
        });
        g.finish();
    }
    c.final_summary();
}
