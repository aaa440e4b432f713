//! Shared bench code: the synthetic corpus, the query classes, the SQLite FTS5 baseline and
//! the measurements criterion does not make. Included by `benches/*.rs`, `examples/latency.rs`
//! and `tests/synth.rs` with `mod common;` (or `#[path]`), never part of the crate's API.
//!
//! Sizes are chosen with environment variables so that everyday runs stay short:
//!
//! - `OFSTED_BENCH_SCALE`: comma-separated sizes among `bundled`, `100k`, `1m` (or a number
//!   of paragraphs). By default, `bundled` only.
//! - `OFSTED_BENCH_1M=1`: adds `1m`.
//! - `OFSTED_BENCH_CACHE`: where generated corpora and their indexes are cached. By default,
//!   `target/synth/` under the crate root.
//! - `OFSTED_BENCH_INDEX`: the name of the cached index directory (default `index`), to keep
//!   indexes built by two versions of the crate side by side.
//! - `OFSTED_BENCH_MERGE=0`: leave a built index with the segments the merge policy leaves
//!   instead of merging it into one.
#![allow(dead_code)]

pub mod data;
pub mod engine;
pub mod fts5;
pub mod plain_tantivy;
pub mod queries;
pub mod rng;
pub mod sentences;
pub mod stats;
pub mod synth;

use std::path::PathBuf;

/// A corpus size to bench at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// The bundled reports, ingested from `corpus/`.
    Bundled,
    /// This many synthetic paragraphs.
    Synthetic(usize),
}

impl Scale {
    /// A short name for bench ids, tables and cache directories.
    pub fn name(self) -> String {
        match self {
            Scale::Bundled => "bundled".into(),
            Scale::Synthetic(n) if n % 1_000_000 == 0 => format!("{}m", n / 1_000_000),
            Scale::Synthetic(n) if n % 1_000 == 0 => format!("{}k", n / 1_000),
            Scale::Synthetic(n) => n.to_string(),
        }
    }

    fn parse(s: &str) -> Option<Scale> {
        let s = s.trim().to_ascii_lowercase();
        let num = |t: &str, m: usize| t.parse::<usize>().ok().map(|n| Scale::Synthetic(n * m));
        match s.as_str() {
            "" => None,
            "bundled" => Some(Scale::Bundled),
            _ if s.ends_with('m') => num(&s[..s.len() - 1], 1_000_000),
            _ if s.ends_with('k') => num(&s[..s.len() - 1], 1_000),
            _ => num(&s, 1),
        }
    }
}

/// The sizes asked for by the environment (see the module docs), in the order given.
pub fn scales() -> Vec<Scale> {
    let mut out: Vec<Scale> = std::env::var("OFSTED_BENCH_SCALE")
        .map(|v| v.split(',').filter_map(Scale::parse).collect())
        .unwrap_or_else(|_| vec![Scale::Bundled]);
    if std::env::var("OFSTED_BENCH_1M").is_ok_and(|v| v == "1")
        && !out.contains(&Scale::Synthetic(1_000_000))
    {
        out.push(Scale::Synthetic(1_000_000));
    }
    out
}

/// True when a bench binary runs as a test (`cargo test --benches`), where only a quick
/// smoke run is wanted: criterion then runs each bench once, and setups should stay small.
pub fn smoke_mode() -> bool {
    let args: Vec<String> = std::env::args().collect();
    !args.iter().any(|a| a == "--bench") || args.iter().any(|a| a == "--test")
}

/// The cache directory of one size, created if needed.
pub fn cache_dir(scale: Scale) -> PathBuf {
    let root = std::env::var_os("OFSTED_BENCH_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join("synth")
        });
    let dir = root.join(format!("{}-v{}", scale.name(), synth::GENERATOR_VERSION));
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}
