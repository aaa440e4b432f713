//! Latency harness: median and 99th percentile per query class for ofsted-search (default
//! ranking and `Ranking::plain()`), for tantivy used directly on the same index
//! (`benches/common/plain_tantivy.rs`) and for SQLite FTS5, on the same corpus and queries,
//! with build throughput, size on disk and resident memory — the figures of BENCHMARKS.md that
//! criterion does not give.
//!
//! ```text
//! cargo run --release --example latency                      # bundled reports
//! OFSTED_BENCH_1M=1 cargo run --release --example latency    # adds 1M paragraphs
//! cargo run --release --example latency -- --runs 500 --ingest
//! ```
//!
//! Options: `--runs N` timed runs per class (default 300), `--seconds S` time budget per
//! class and engine (default 5), `--class NAME` only that class (e.g. `results_page`), `--ingest` also measures end-to-end ingestion of the text
//! rendering (read, normalise, chunk, tag, index, commit), `--no-fts5` skips the FTS5 baseline,
//! `--totals` prints each query's number of matches, one (cold) timing and the top hits with
//! their scores' bits (to compare two builds exactly), `--topk` adds the
//! crate's default and plain rankings with `Totals::AtLeast(1000)` (top-k pruning where facets
//! are off), `--ablate` times the default ranking with one step off at a time (context
//! weight, heading boost, vocabulary, all-words fallback), to see where its cost over plain
//! comes from, `--per-query` prints each query's own p50 under the default and plain rankings
//! (the slowest query of each class), `--cpu-time` times runs in the query thread's CPU time
//! instead of wall time (on a loaded machine, wall time includes waiting for a core),
//! `--gen-time` (with
//! `--build-only`) times the corpus generator alone.
//! Synthetic corpora and their indexes are built once, in a child process so that this
//! process's memory figures cover querying only, and cached under `target/synth/`.

#[path = "../benches/common/mod.rs"]
mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::data::{self, Build};
use common::queries::{query_set, Class, Spec};
use common::stats::{self, dir_size, proc_status_kb, Latency};
use common::{cache_dir, engine, scales, Scale};

struct Args {
    runs: usize,
    budget: Duration,
    ingest: bool,
    fts5: bool,
    build_only: bool,
    only: Option<String>,
    totals: bool,
    gen_time: bool,
    topk: bool,
    ablate: bool,
    per_query: bool,
    cpu: bool,
}

fn args() -> Args {
    let mut a = Args {
        runs: 300,
        budget: Duration::from_secs(5),
        ingest: false,
        fts5: true,
        build_only: false,
        only: None,
        totals: false,
        gen_time: false,
        topk: false,
        ablate: false,
        per_query: false,
        cpu: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut num = |name: &str| -> f64 {
            it.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} takes a number"))
        };
        match arg.as_str() {
            "--runs" => a.runs = num("--runs") as usize,
            "--seconds" => a.budget = Duration::from_secs_f64(num("--seconds")),
            "--ingest" => a.ingest = true,
            "--no-fts5" => a.fts5 = false,
            "--build-only" => a.build_only = true,
            "--class" => a.only = it.next(),
            "--totals" => a.totals = true,
            "--gen-time" => a.gen_time = true,
            "--topk" => a.topk = true,
            "--ablate" => a.ablate = true,
            "--per-query" => a.per_query = true,
            "--cpu-time" => a.cpu = true,
            other => panic!("unknown option {other}"),
        }
    }
    a
}

fn main() {
    let a = args();
    stats::use_thread_cpu_time(a.cpu);
    let scales = scales();
    if a.build_only {
        for &scale in &scales {
            if a.gen_time && scale != Scale::Bundled {
                // What the generator alone costs, to read the build times below net of it.
                let t = Instant::now();
                let bytes: usize = data::reports(scale)
                    .flat_map(|r| r.paragraphs)
                    .map(|p| p.text.len())
                    .sum();
                println!(
                    "generating the corpus alone ({}): {:.1} s for {:.1} MB",
                    scale.name(),
                    t.elapsed().as_secs_f64(),
                    bytes as f64 / 1e6
                );
            }
            let (_, b, _) = engine::index(scale);
            report_build("ofsted-search index", scale, &b);
            if a.fts5 {
                let (_, b) = data::fts5(scale);
                report_build("FTS5 database", scale, &b);
            }
        }
        return;
    }
    if scales.iter().any(|s| *s != Scale::Bundled) {
        let exe = std::env::current_exe().expect("current exe");
        let mut cmd = Command::new(exe);
        cmd.arg("--build-only");
        if !a.fts5 {
            cmd.arg("--no-fts5");
        }
        let status = cmd.status().expect("run the build step");
        assert!(status.success(), "build step failed");
    }
    print_machine();
    for &scale in &scales {
        run_scale(scale, &a);
    }
}

fn report_build(what: &str, scale: Scale, b: &Build) {
    let state = if b.fresh { "built" } else { "cached; built" };
    println!(
        "{what} ({}): {state} in {:.1} s, {} paragraphs, {:.1} MB of text, {:.2} MB/s, {:.0} paragraphs/s",
        scale.name(),
        b.seconds,
        b.paragraphs,
        b.bytes as f64 / 1e6,
        b.mb_per_s(),
        b.paragraphs as f64 / b.seconds
    );
}

fn print_machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("?")
        .trim()
        .to_string();
    let cores = cpu.lines().filter(|l| l.starts_with("processor")).count();
    let mem = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let total = mem
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    println!(
        "machine: {model}, {cores} logical cores, {:.1} GiB RAM",
        total as f64 / 1024.0 / 1024.0
    );
}

fn classes<'a>(queries: &'a [Spec], only: &Option<String>) -> Vec<(Class, Vec<&'a Spec>)> {
    Class::ALL
        .iter()
        .filter(|c| only.as_ref().is_none_or(|o| o == c.name()))
        .map(|&c| {
            (
                c,
                queries.iter().filter(|q| q.class == c).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, qs)| !qs.is_empty())
        .collect()
}

fn run_scale(scale: Scale, a: &Args) {
    println!("\n## {}", scale.name());
    let (themes, like) = data::probes(scale);
    let queries = query_set(&themes, &like);
    let by_class = classes(&queries, &a.only);

    let t = Instant::now();
    let (index, build, path) = engine::index(scale);
    let open_ms = t.elapsed().as_secs_f64() * 1e3;
    report_build("ofsted-search index", scale, &build);
    let size = dir_size(&path);
    println!(
        "index: {:.1} MB on disk = {:.2} x the paragraph text, {} segments, opened in {open_ms:.0} ms",
        size as f64 / 1e6,
        size as f64 / build.bytes as f64,
        engine::segments(&path)
    );
    match common::plain_tantivy::space_report(&path, build.bytes) {
        Ok(lines) => lines.iter().for_each(|l| println!("  {l}")),
        Err(e) => println!("  space usage unavailable: {e}"),
    }
    let anon_open = proc_status_kb("RssAnon");
    stats::reset_peak_rss();
    let mut plain_tantivy = common::plain_tantivy::PlainTantivy::open(&path)
        .unwrap_or_else(|e| panic!("tantivy cannot open {}: {e}", path.display()));
    // Per class, back to back: crate default, crate plain, plain tantivy (and the crate with
    // top-k totals, `--topk`), so the ratios compare runs minutes apart at most.
    let mut ours = Vec::new();
    let mut max_anon = anon_open;
    for (class, qs) in &by_class {
        let prepared: Vec<_> = qs.iter().map(|q| engine::to_query(q)).collect();
        let plain: Vec<_> = qs.iter().map(|q| engine::to_plain_query(q)).collect();
        let direct: Vec<_> = qs.iter().map(|q| plain_tantivy.prepare(q)).collect();
        if a.totals {
            for ((spec, q), d) in qs.iter().zip(&prepared).zip(&direct) {
                let time = |f: &mut dyn FnMut() -> u64| {
                    let t = Instant::now();
                    let n = f();
                    (n, t.elapsed().as_secs_f64() * 1e3)
                };
                let (n, ms) = time(&mut || engine::run(&index, q));
                let (pn, pms) = time(&mut || engine::run(&index, &engine::to_plain_query(spec)));
                let (tn, tms) = time(&mut || plain_tantivy.run(d).expect("tantivy query"));
                println!(
                    "  {} {:?}: default {n} matches {ms:.2} ms; plain {pn} {pms:.2} ms; tantivy {tn} {tms:.2} ms",
                    class.name(),
                    spec.words,
                );
                // The top hits with their scores' bits, to compare two builds' answers exactly.
                for (name, q) in [
                    ("default", q.clone()),
                    ("plain", engine::to_plain_query(spec)),
                ] {
                    let r = index.search(&q).expect("search");
                    let hits: Vec<String> = r
                        .hits
                        .iter()
                        .map(|h| format!("{}={:08x}", h.id, h.score.to_bits()))
                        .collect();
                    println!("    {name} hits: {}", hits.join(" "));
                }
            }
        }
        let l = stats::measure(&prepared, a.runs, a.budget, |q| {
            std::hint::black_box(engine::run(&index, q));
        });
        let p = stats::measure(&plain, a.runs, a.budget, |q| {
            std::hint::black_box(engine::run(&index, q));
        });
        let t = stats::measure(&direct, a.runs, a.budget, |q| {
            std::hint::black_box(plain_tantivy.run(q).expect("tantivy query"));
        });
        let topk = |plain: bool| {
            a.topk.then(|| {
                let topk: Vec<_> = qs
                    .iter()
                    .map(|q| {
                        let mut q = engine::to_topk_query(q);
                        if plain {
                            q.ranking(ofsted_search::Ranking::plain());
                        }
                        q
                    })
                    .collect();
                stats::measure(&topk, a.runs, a.budget, |q| {
                    std::hint::black_box(engine::run(&index, q));
                })
            })
        };
        let k = (topk(false), topk(true));
        if a.ablate {
            ablate(&index, class.name(), qs, a, &l, &p);
        }
        if a.per_query {
            per_query(&index, qs, a);
        }
        max_anon = max_anon.max(proc_status_kb("RssAnon"));
        ours.push((*class, l, p, t, k));
    }
    println!(
        "memory while querying: RssAnon {:.0} MB after open, max {:.0} MB; RssFile {:.0} MB; VmHWM {:.0} MB; VmRSS {:.0} MB",
        anon_open as f64 / 1024.0,
        max_anon as f64 / 1024.0,
        proc_status_kb("RssFile") as f64 / 1024.0,
        proc_status_kb("VmHWM") as f64 / 1024.0,
        proc_status_kb("VmRSS") as f64 / 1024.0
    );
    drop(index);
    drop(plain_tantivy);

    let mut theirs: Vec<Option<Latency>> = vec![None; ours.len()];
    if a.fts5 {
        let (db, fbuild) = data::fts5(scale);
        report_build("FTS5 database", scale, &fbuild);
        let fsize = if scale == Scale::Bundled {
            0
        } else {
            dir_size(&cache_dir(scale).join("fts5.sqlite"))
        };
        if fsize > 0 {
            println!(
                "FTS5: {:.1} MB on disk = {:.2} x the paragraph text",
                fsize as f64 / 1e6,
                fsize as f64 / fbuild.bytes as f64
            );
        }
        for (i, (_, qs)) in by_class.iter().enumerate() {
            let l = stats::measure(qs, a.runs, a.budget, |q| {
                std::hint::black_box(db.run(q).expect("fts5 query"));
            });
            theirs[i] = Some(l);
        }
    }

    let cell = |l: &Option<Latency>| match l {
        Some(l) => format!("{:.3} | {:.2} | {}", l.p50, l.p99, l.runs),
        None => "– | – | –".into(),
    };
    println!("\n| class | default p50 ms | p99 | runs | plain p50 ms | p99 | runs | tantivy p50 ms | p99 | runs | top-k p50 ms | p99 | runs | plain top-k p50 ms | p99 | runs | FTS5 p50 ms | p99 | runs | default / plain | default / tantivy | plain / tantivy | FTS5 / default |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for ((class, l, p, t, k), f) in ours.iter().zip(&theirs) {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {:.2}x | {:.2}x | {:.2}x | {} |",
            class.name(),
            cell(&Some(*l)),
            cell(&Some(*p)),
            cell(&Some(*t)),
            cell(&k.0),
            cell(&k.1),
            cell(f),
            l.p50 / p.p50,
            l.p50 / t.p50,
            p.p50 / t.p50,
            f.map_or("–".to_string(), |f| format!("{:.1}x", f.p50 / l.p50)),
        );
    }

    if a.ingest {
        ingest(scale);
    }
}

/// The default ranking with one step off at a time: what each step costs over plain.
fn ablate(
    index: &ofsted_search::SearchIndex,
    class: &str,
    qs: &[&Spec],
    a: &Args,
    default: &Latency,
    plain: &Latency,
) {
    use ofsted_search::Ranking;
    type Change = fn(&mut Ranking);
    let variants: [(&str, Change); 5] = [
        ("context weight 1", |r| {
            r.context_weight(1.0);
        }),
        ("no heading boost", |r| {
            r.section_boost(0.0);
        }),
        ("no vocabulary", |r| {
            r.vocabulary(None);
        }),
        ("no fallback", |r| {
            r.fallback_below(0);
        }),
        ("all four off", |r| {
            r.context_weight(1.0)
                .section_boost(0.0)
                .vocabulary(None)
                .fallback_below(0);
        }),
    ];
    let mut line = format!(
        "    ablation {class} p50 ms: default {:.3}, plain {:.3}",
        default.p50, plain.p50
    );
    for (name, change) in variants {
        let qs: Vec<_> = qs
            .iter()
            .map(|q| {
                let mut ranking = Ranking::default();
                change(&mut ranking);
                let mut q = engine::to_query(q);
                q.ranking(ranking);
                q
            })
            .collect();
        let l = stats::measure(&qs, a.runs, a.budget, |q| {
            std::hint::black_box(engine::run(index, q));
        });
        line.push_str(&format!(", {name} {:.3}", l.p50));
    }
    println!("{line}");
}

/// Each query of a class timed on its own (default and plain rankings).
fn per_query(index: &ofsted_search::SearchIndex, qs: &[&Spec], a: &Args) {
    let runs = (a.runs / qs.len().max(1)).max(5);
    for spec in qs {
        let d = [engine::to_query(spec)];
        let p = [engine::to_plain_query(spec)];
        let budget = a.budget / qs.len().max(1) as u32;
        let l = stats::measure(&d, runs, budget, |q| {
            std::hint::black_box(engine::run(index, q));
        });
        let pl = stats::measure(&p, runs, budget, |q| {
            std::hint::black_box(engine::run(index, q));
        });
        let what = match &spec.like {
            Some((id, _)) => format!("like {id}"),
            None => format!("{:?}", spec.words),
        };
        println!(
            "    query {} {what}: default p50 {:.3} ms (max {:.3}, {} runs), plain p50 {:.3} ms",
            spec.class.name(),
            l.p50,
            l.max,
            l.runs,
            pl.p50
        );
    }
}

/// End-to-end ingestion of the text rendering into a fresh index.
fn ingest(scale: Scale) {
    let (files, bytes) = data::text_corpus(scale);
    let dir = cache_dir(scale).join("ingest-index");
    let _ = std::fs::remove_dir_all(&dir);
    let t = Instant::now();
    let cpu = stats::cpu_seconds();
    let (paragraphs, read) = engine::ingest_files_on(&dir, &files, 2);
    let s = t.elapsed().as_secs_f64();
    let cpu = stats::cpu_seconds() - cpu;
    assert_eq!(read, bytes);
    println!(
        "\nend-to-end ingestion ({}): {} files, {:.1} MB, {paragraphs} paragraphs in {s:.1} s = {:.2} MB/s, {:.0} paragraphs/s; {cpu:.1} CPU s = {:.2} MB per CPU s; index {:.1} MB, {} segments",
        scale.name(),
        files.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / s,
        paragraphs as f64 / s,
        bytes as f64 / 1e6 / cpu,
        dir_size(&dir) as f64 / 1e6,
        engine::segments(&dir)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
