//! PDF reading throughput, in MB/s and pages/s: `PdfReader::read` (parse, extract glyphs,
//! rebuild lines, drop page furniture) over every PDF of the archive sample
//! (`OFSTED_ARCHIVE_SAMPLE`, or `../shared/archive-sample`), or over the PDFs bundled in
//! `corpus/` when the sample is absent. Baseline, measured in the same run: the whole pipeline
//! on the same reports' `pdftotext` text (the sample's `text/`), so `ingest` against
//! `ingest_pdftotext` is what reading PDFs directly costs. Throughput is per PDF byte and page
//! in all three, so their times compare directly.
//!
//! ```text
//! cargo bench --bench pdf
//! cargo test --benches        # smoke run: each benchmark once
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput};

use ofsted_search::ingest::pdf::PdfReader;
use ofsted_search::ingest::Ingester;

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "pdf"));
    files.sort();
    files
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(20))
        .sample_size(10)
        .configure_from_args();

    let sample = std::env::var_os("OFSTED_ARCHIVE_SAMPLE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/archive-sample"));
    let (name, files) = match pdfs(&sample.join("pdf")) {
        files if !files.is_empty() => ("archive_sample", files),
        _ => (
            "bundled",
            pdfs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")),
        ),
    };
    let inputs: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read(p).expect("read PDF")))
        .collect();
    // The same reports as pdftotext text, when the sample has them.
    let texts: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter_map(|p| {
            let txt = p
                .parent()?
                .parent()?
                .join("text")
                .join(p.file_stem()?)
                .with_extension("txt");
            Some((txt.display().to_string(), std::fs::read(txt).ok()?))
        })
        .collect();
    let bytes: u64 = inputs.iter().map(|(_, b)| b.len() as u64).sum();
    let reader = PdfReader::new();
    let pages: u64 = inputs
        .iter()
        .map(|(n, b)| reader.read(b, n).expect("sample PDF").pages.len() as u64)
        .sum();
    eprintln!(
        "pdf/{name}: {} PDFs, {pages} pages, {:.1} MB",
        inputs.len(),
        bytes as f64 / 1e6
    );
    for (unit, throughput) in [
        ("bytes", Throughput::Bytes(bytes)),
        ("pages", Throughput::Elements(pages)),
    ] {
        let mut g = c.benchmark_group(format!("pdf/{name}/{unit}"));
        g.throughput(throughput);
        g.bench_function("read", |b| {
            b.iter(|| {
                for (n, pdf) in &inputs {
                    std::hint::black_box(reader.read(pdf, n).expect("sample PDF"));
                }
            })
        });
        // The whole pipeline on the PDFs (read, normalise, metadata, chunk, themes).
        let ingester = Ingester::new();
        g.bench_function("ingest", |b| {
            b.iter(|| {
                for (n, pdf) in &inputs {
                    std::hint::black_box(ingester.ingest_bytes(pdf, n).expect("sample PDF"));
                }
            })
        });
        if !texts.is_empty() {
            g.bench_function("ingest_pdftotext", |b| {
                b.iter(|| {
                    for (n, text) in &texts {
                        std::hint::black_box(ingester.ingest_bytes(text, n).expect("sample text"));
                    }
                })
            });
        }
        g.finish();
    }
    c.final_summary();
}
