//! Query latency per class — single term, two terms (all / any), phrases of two and three
//! words, term + grade, term + year range, term + theme, the results page, similar
//! paragraphs — for ofsted-search (default ranking, `ofsted`, and `Ranking::plain()`,
//! `ofsted_plain`), tantivy used directly on the same index (`tantivy`) and, in the same run,
//! SQLite FTS5 on the same paragraphs.
//!
//! ```text
//! cargo bench --bench query                                   # bundled reports
//! OFSTED_BENCH_SCALE=bundled,100k cargo bench --bench query   # add 100k synthetic paragraphs
//! OFSTED_BENCH_1M=1 cargo bench --bench query                 # add 1M (built once, cached)
//! cargo test --benches                                        # smoke run: each bench once
//! ```
//!
//! Each benchmark cycles through its class's fixed queries, so its time is the mean over
//! them; `examples/latency.rs` gives the percentiles.

mod common;

use std::time::Duration;

use criterion::Criterion;

use common::queries::{query_set, Class};
use common::{data, engine, scales, smoke_mode, Scale};

fn main() {
    let smoke = smoke_mode();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
        .configure_from_args();
    for scale in scales() {
        if smoke && scale != Scale::Bundled {
            continue;
        }
        bench_scale(&mut c, scale);
    }
    c.final_summary();
}

fn bench_scale(c: &mut Criterion, scale: Scale) {
    let (themes, like) = data::probes(scale);
    let queries = query_set(&themes, &like);
    let (index, _, path) = engine::index(scale);
    let mut direct =
        common::plain_tantivy::PlainTantivy::open(&path).expect("tantivy opens the index");
    let (db, _) = data::fts5(scale);
    for &class in Class::ALL {
        let specs: Vec<_> = queries.iter().filter(|q| q.class == class).collect();
        if specs.is_empty() {
            continue;
        }
        let prepared: Vec<_> = specs.iter().map(|q| engine::to_query(q)).collect();
        let plain: Vec<_> = specs.iter().map(|q| engine::to_plain_query(q)).collect();
        let tantivy: Vec<_> = specs.iter().map(|q| direct.prepare(q)).collect();
        // Sanity: on synthetic data every query of these classes finds something, in both
        // engines; a zero means a broken query, not a fast one.
        let ours: u64 = prepared.iter().map(|q| engine::run(&index, q)).sum();
        let theirs: u64 = specs.iter().map(|q| db.run(q).expect("fts5 query")).sum();
        if scale != Scale::Bundled {
            assert!(
                ours > 0 && theirs > 0,
                "{class:?}: ours {ours}, FTS5 {theirs}"
            );
        }
        let mut g = c.benchmark_group(format!("query/{}/{}", scale.name(), class.name()));
        g.bench_function("ofsted", |b| {
            let mut i = 0;
            b.iter(|| {
                i += 1;
                engine::run(&index, &prepared[i % prepared.len()])
            })
        });
        g.bench_function("ofsted_plain", |b| {
            let mut i = 0;
            b.iter(|| {
                i += 1;
                engine::run(&index, &plain[i % plain.len()])
            })
        });
        g.bench_function("tantivy", |b| {
            let mut i = 0;
            b.iter(|| {
                i += 1;
                direct
                    .run(&tantivy[i % tantivy.len()])
                    .expect("tantivy query")
            })
        });
        // FTS5 takes up to seconds per query at 1M paragraphs: fewer, longer samples.
        if scale != Scale::Bundled {
            g.sample_size(10).measurement_time(Duration::from_secs(8));
        }
        g.bench_function("fts5", |b| {
            let mut i = 0;
            b.iter(|| {
                i += 1;
                db.run(specs[i % specs.len()]).expect("fts5 query")
            })
        });
        g.finish();
    }
}
