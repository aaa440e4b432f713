//! Hybrid retrieval (feature `semantic`) end to end, without the real model: each test writes
//! a tiny, randomly initialised BERT model (config.json, model.safetensors, tokenizer.json
//! with a word-level WordPiece vocabulary of the bundled corpus) into a temporary directory,
//! in the sentence-transformers layout the real all-MiniLM-L6-v2 uses.
//!
//! Random weights give meaningless but deterministic embeddings, which is what these tests
//! need: they check the plumbing (vectors stored, replaced, reloaded, validated, filtered,
//! fused), not the quality of the ranking (RELEVANCE.md measures that with the real model).

mod common;
#[path = "support/tiny_model.rs"]
mod tiny_model;

use std::collections::{BTreeSet, HashMap};

use ofsted_search::ingest::{Ingester, ParsedReport};
use ofsted_search::semantic::{Embedder, VECTOR_FILE};
use ofsted_search::{Error, Query, Ranking, SearchIndex};
use tiny_model::{tiny_model, HIDDEN};

/// The bundled corpus, ingested.
fn reports() -> Vec<ParsedReport> {
    let ingester = Ingester::new();
    common::corpus()
        .iter()
        .map(|(name, text)| ingester.ingest_str(text, name).unwrap())
        .collect()
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn hybrid(text: &str, limit: usize) -> Query {
    let mut ranking = Ranking::default();
    ranking.hybrid(true);
    let mut q = Query::new(text);
    q.ranking(ranking).limit(limit);
    q
}

struct Fixture {
    _tmp: tempfile::TempDir,
    model: std::path::PathBuf,
    index: std::path::PathBuf,
    reports: Vec<ParsedReport>,
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join("model");
    let reports = reports();
    tiny_model(&model, &reports);
    Fixture {
        model,
        index: tmp.path().join("index"),
        reports,
        _tmp: tmp,
    }
}

fn build(f: &Fixture, embedder: &Embedder) -> SearchIndex {
    let index = SearchIndex::open_or_create(&f.index)
        .unwrap()
        .with_embedder(embedder.clone())
        .unwrap();
    let mut writer = index.writer().unwrap();
    for r in &f.reports {
        writer.add_report(r).unwrap();
    }
    writer.commit().unwrap();
    index
}

#[test]
fn embeddings_are_unit_length_deterministic_and_batch_independent() {
    let f = fixture();
    let embedder = Embedder::from_dir(&f.model).unwrap();
    assert_eq!(embedder.dimensions(), HIDDEN);
    // config.json's 64 positions cap sentence-transformers' default of 256 tokens.
    assert_eq!(embedder.max_tokens(), 64);
    let texts: Vec<&str> = f.reports[0].paragraphs[..20]
        .iter()
        .map(|p| p.text.as_str())
        .collect();
    let all = embedder.embed(&texts).unwrap();
    assert_eq!(all.len(), texts.len());
    for (i, v) in all.iter().enumerate() {
        assert_eq!(v.len(), HIDDEN);
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
        // The same text alone (no padding from longer batch-mates) gives the same vector.
        let alone = embedder.embed(&[texts[i]]).unwrap().pop().unwrap();
        assert!(
            cosine(v, &alone) > 0.9999,
            "text {i}: {}",
            cosine(v, &alone)
        );
    }
    assert!(
        cosine(&all[0], &all[1]) < 0.9999,
        "different texts, same vector"
    );
    assert_eq!(embedder.embed(&[""]).unwrap()[0].len(), HIDDEN);
    assert!(embedder.embed(&[]).unwrap().is_empty());
}

#[test]
fn vectors_are_stored_replaced_removed_and_reloaded() {
    let f = fixture();
    let embedder = Embedder::from_dir(&f.model).unwrap();
    let index = build(&f, &embedder);
    let paragraphs = index.num_paragraphs().unwrap() as usize;
    assert_eq!(index.embedded_paragraphs(), paragraphs);
    assert!(f.index.join(VECTOR_FILE).is_file());
    // int8 rows plus their ids: a few dozen bytes per paragraph beyond the 32 components.
    let bytes = std::fs::metadata(f.index.join(VECTOR_FILE)).unwrap().len() as usize;
    assert!(bytes > paragraphs * (HIDDEN + 4), "{bytes}");
    assert!(bytes < paragraphs * (HIDDEN + 4 + 80), "{bytes}");

    // A paragraph's own text finds it first.
    let target = &f.reports[1].paragraphs[7];
    let results = index.search(&hybrid(&target.text, 5)).unwrap();
    assert_eq!(results.hits[0].id, target.id);

    // Replace a report: its changed paragraph is found by its new text, by meaning alone.
    let mut changed = f.reports[1].clone();
    changed.paragraphs.truncate(10);
    let new_text = f.reports[2].paragraphs[3].text.clone();
    changed.paragraphs[7].text = new_text.clone();
    let mut writer = index.writer().unwrap();
    writer.add_report(&changed).unwrap();
    // Not visible before the commit.
    assert_eq!(index.embedded_paragraphs(), paragraphs);
    writer.commit().unwrap();
    let after = paragraphs - f.reports[1].paragraphs.len() + 10;
    assert_eq!(index.embedded_paragraphs(), after);
    let hits = index.search(&hybrid(&new_text, 3)).unwrap().hits;
    let top: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert!(top.contains(&target.id.as_str()), "{top:?}");

    // Reopened from disk: the same vectors, the same answers.
    let before = index
        .search(&hybrid("missing children interviews", 10))
        .unwrap();
    drop(writer);
    drop(index);
    let reopened = SearchIndex::open(&f.index)
        .unwrap()
        .with_embedder(embedder.clone())
        .unwrap();
    assert_eq!(reopened.embedded_paragraphs(), after);
    let again = reopened
        .search(&hybrid("missing children interviews", 10))
        .unwrap();
    let ids = |r: &ofsted_search::SearchResults| -> Vec<String> {
        r.hits.iter().map(|h| h.id.clone()).collect()
    };
    assert_eq!(ids(&again), ids(&before));
    assert_eq!(again.total, before.total);

    // Removing a report removes its vectors.
    let mut writer = reopened.writer().unwrap();
    writer.remove_report(&f.reports[0].report.report_id);
    writer.commit().unwrap();
    assert_eq!(
        reopened.embedded_paragraphs(),
        after - f.reports[0].paragraphs.len()
    );
    assert_eq!(
        reopened.embedded_paragraphs(),
        reopened.num_paragraphs().unwrap() as usize
    );
}

#[test]
fn a_writer_without_the_embedder_leaves_no_stale_vectors() {
    let f = fixture();
    let embedder = Embedder::from_dir(&f.model).unwrap();
    let index = build(&f, &embedder);
    let total = index.embedded_paragraphs();
    drop(index);
    // Another program (or a build without the feature) replaces a report's text.
    let plain = SearchIndex::open(&f.index).unwrap();
    let mut changed = f.reports[3].clone();
    changed.paragraphs[0].text.push_str(" Changed.");
    let mut writer = plain.writer().unwrap();
    writer.add_report(&changed).unwrap();
    writer.commit().unwrap();
    drop(writer);
    drop(plain);
    let index = SearchIndex::open(&f.index)
        .unwrap()
        .with_embedder(embedder)
        .unwrap();
    // That report's vectors were computed from the old text: they are not used.
    assert_eq!(
        index.embedded_paragraphs(),
        total - f.reports[3].paragraphs.len()
    );
    let hits = index
        .search(&hybrid(&changed.paragraphs[1].text, 100))
        .unwrap();
    assert!(!hits.hits.is_empty());
}

#[test]
fn the_vector_side_respects_filters_and_finds_what_words_miss() {
    let f = fixture();
    let embedder = Embedder::from_dir(&f.model).unwrap();
    let index = build(&f, &embedder);
    let all: Vec<_> = f.reports.iter().flat_map(|r| &r.paragraphs).collect();

    // A word in no paragraph: no lexical match, so every hit comes from the vectors, and
    // they are the nearest paragraphs (up to int8 rounding).
    let text = "zqxjvw";
    let results = index.search(&hybrid(text, 10)).unwrap();
    assert_eq!(results.total, 0, "no paragraph has the word");
    assert_eq!(results.hits.len(), 10);
    let q = embedder.embed(&[text]).unwrap().pop().unwrap();
    let texts: Vec<&str> = all.iter().map(|p| p.text.as_str()).collect();
    let vectors = embedder.embed(&texts).unwrap();
    let mut sims: Vec<f32> = vectors.iter().map(|v| cosine(&q, v)).collect();
    let by_id: HashMap<&str, f32> = all
        .iter()
        .map(|p| p.id.as_str())
        .zip(sims.clone())
        .collect();
    sims.sort_by(|a, b| b.total_cmp(a));
    let tenth = sims[9];
    for hit in &results.hits {
        assert!(
            by_id[hit.id.as_str()] >= tenth - 0.02,
            "{} is not among the nearest",
            hit.id
        );
    }

    // Filters hold on both sides.
    let authority = f.reports[2].report.authority.clone();
    let words = "return home interviews";
    let mut q = hybrid(words, 40);
    q.authority(&authority);
    let filtered = index.search(&q).unwrap();
    assert_eq!(filtered.hits.len(), 40);
    assert!(filtered.hits.iter().all(|h| h.authority == authority));
    // Total and facets are the lexical search's.
    let mut lexical = Query::new(words);
    lexical.authority(&authority).limit(1000);
    let lexical = index.search(&lexical).unwrap();
    assert_eq!(filtered.total, lexical.total);
    assert_eq!(filtered.facets, lexical.facets);
    // Fewer paragraphs have the words than the page holds: the rest come from the vectors.
    assert!(lexical.total < 40, "{}", lexical.total);
    let lexical_ids: BTreeSet<&str> = lexical.hits.iter().map(|h| h.id.as_str()).collect();
    let by_meaning = filtered
        .hits
        .iter()
        .filter(|h| !lexical_ids.contains(h.id.as_str()))
        .count();
    assert!(by_meaning as u64 >= 40 - lexical.total, "{by_meaning}");

    // Paging through the fused list.
    let mut first = hybrid("social worker visits", 10);
    let page1: Vec<String> = index
        .search(&first)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    first.offset(5).limit(5);
    let page2: Vec<String> = index
        .search(&first)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(page1[5..], page2[..]);
}

#[test]
fn bad_models_vector_files_and_missing_embedders_are_typed_errors() {
    let f = fixture();
    let embedder = Embedder::from_dir(&f.model).unwrap();
    let index = build(&f, &embedder);

    // Hybrid ranking without an embedder.
    let plain = SearchIndex::open(&f.index).unwrap();
    drop(index);
    match plain.search(&hybrid("children", 5)) {
        Err(Error::Semantic { message, .. }) => assert!(message.contains("with_embedder")),
        other => panic!("expected a semantic error, got {other:?}"),
    }

    // Vectors of another model (other random weights) are refused, naming the file.
    let other_dir = f.model.parent().unwrap().join("other");
    tiny_model(&other_dir, &f.reports);
    let other = Embedder::from_dir(&other_dir).unwrap();
    let err = SearchIndex::open(&f.index)
        .unwrap()
        .with_embedder(other)
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains(VECTOR_FILE) && msg.contains("another embedding model"),
        "{msg}"
    );

    // A damaged vector file.
    let file = f.index.join(VECTOR_FILE);
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&file, &bytes).unwrap();
    let err = SearchIndex::open(&f.index)
        .unwrap()
        .with_embedder(embedder.clone())
        .unwrap_err();
    assert!(matches!(err, Error::Semantic { .. }), "{err:?}");
    assert!(err.to_string().contains("checksum"), "{err}");

    // Model directories that cannot be used, each error naming the file.
    let bad = f.model.parent().unwrap().join("bad");
    assert!(matches!(
        Embedder::from_dir(&bad),
        Err(Error::Semantic { .. })
    ));
    std::fs::create_dir(&bad).unwrap();
    for name in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::fs::copy(f.model.join(name), bad.join(name)).unwrap();
    }
    for (name, content) in [
        ("config.json", "{\"hidden_size\": 3}"),
        ("tokenizer.json", "not json"),
        ("model.safetensors", "\u{8}\0\0\0\0\0\0\0{}"),
    ] {
        let saved = std::fs::read(bad.join(name)).unwrap();
        std::fs::write(bad.join(name), content).unwrap();
        let err = Embedder::from_dir(&bad).unwrap_err();
        assert!(err.to_string().contains(name), "{name}: {err}");
        std::fs::write(bad.join(name), saved).unwrap();
    }
    std::fs::remove_file(bad.join("tokenizer.json")).unwrap();
    match Embedder::from_dir(&bad) {
        Err(Error::Io { path, .. }) => assert!(path.ends_with("tokenizer.json")),
        other => panic!("expected an I/O error, got {other:?}"),
    }
    Embedder::from_dir(&f.model).unwrap();
}

/// The `hybrid_eval` example (built with the feature, as its documented command does) runs the
/// judged query set through the lexical and hybrid systems and prints a row for each; with a
/// random model the figures say nothing about quality, only that every system ran.
#[test]
fn the_hybrid_eval_example_runs_every_system() {
    let f = fixture();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string());
    let out = std::process::Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--features",
            "semantic",
            "--example",
            "hybrid_eval",
            "--",
            "--model",
        ])
        .arg(&f.model)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<(&str, f64)> = stdout
        .lines()
        .filter(|l| l.starts_with("| **overall**"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[3], cells[4].parse().unwrap())
        })
        .collect();
    let names: Vec<&str> = rows.iter().map(|r| r.0).collect();
    assert_eq!(
        names[..3],
        [
            "baseline BM25 (tantivy defaults)",
            "default (lexical)",
            "plain BM25"
        ],
        "{stdout}"
    );
    assert!(
        names[3].starts_with(
            "hybrid, library default (default + vectors, k 30, depth 100, weight 0.5)"
        ),
        "{stdout}"
    );
    assert!(
        names[4]
            .starts_with("hybrid, issue 13 setting (plain + vectors, k 60, depth 100, weight 1)"),
        "{stdout}"
    );
    assert_eq!(names[5], "vectors only", "{stdout}");
    assert!(
        names[6].starts_with("hybrid, recommended (plain + vectors, k 30, depth 100, weight 0.5)"),
        "{stdout}"
    );
    assert_eq!(names.len(), 7, "{stdout}");
    assert!(rows.iter().all(|r| (0.0..=1.0).contains(&r.1)), "{rows:?}");
    assert!(stdout.contains("paragraphs/s"), "{stdout}");
}

/// `hybrid_eval --embed` prints, per line of its input, the embedder's vector for that line:
/// what `tests/relevance/embedder_check.py` compares with its independent implementation.
#[test]
fn the_hybrid_eval_example_prints_the_embedders_vectors() {
    let f = fixture();
    let embedder = Embedder::from_dir(&f.model).unwrap();
    let texts = [
        f.reports[0].paragraphs[3].text.as_str(),
        "",
        "Children are seen alone.",
    ];
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string());
    let mut child = std::process::Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--features",
            "semantic",
            "--example",
            "hybrid_eval",
            "--",
            "--embed",
            "--model",
        ])
        .arg(&f.model)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{}", texts.join("\n")).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Vec<Vec<f32>> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let expected = embedder.embed(&texts).unwrap();
    assert_eq!(printed.len(), texts.len());
    for (p, e) in printed.iter().zip(&expected) {
        assert_eq!(p.len(), HIDDEN);
        assert!(
            p.iter().zip(e).all(|(a, b)| (a - b).abs() < 1e-6),
            "{p:?} vs {e:?}"
        );
    }
    assert!(cosine(&printed[0], &printed[2]) < 0.9999);
}

/// The fusion settings: weight 0 leaves the lexical order, a huge weight the vector order,
/// the per-report cap applies to the fused list, and out-of-range settings are clamped.
#[test]
fn fusion_settings_weight_the_lists_and_the_cap_holds() {
    let f = fixture();
    let embedder = Embedder::from_dir(&f.model).unwrap();
    let index = build(&f, &embedder);
    let ids = |q: &Query| -> Vec<String> {
        index
            .search(q)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect()
    };
    let words = "social workers visit children";
    let mut lexical = Query::new(words);
    lexical.limit(10);
    let lexical_ids = ids(&lexical);
    assert_eq!(lexical_ids.len(), 10);

    // Weight 0: the lexical page.
    let mut q = hybrid(words, 10);
    let mut r = Ranking::default();
    r.hybrid(true).vector_weight(0.0);
    q.ranking(r);
    assert_eq!(ids(&q), lexical_ids);

    // A huge weight: the vector side's order, i.e. the nearest paragraphs.
    let all: Vec<_> = f.reports.iter().flat_map(|r| &r.paragraphs).collect();
    let texts: Vec<&str> = all.iter().map(|p| p.text.as_str()).collect();
    let vectors = embedder.embed(&texts).unwrap();
    let qv = embedder.embed(&[words]).unwrap().pop().unwrap();
    let mut sims: Vec<(f32, &str)> = vectors
        .iter()
        .zip(&all)
        .map(|(v, p)| (cosine(&qv, v), p.id.as_str()))
        .collect();
    sims.sort_by(|a, b| b.0.total_cmp(&a.0));
    let sim: HashMap<&str, f32> = sims.iter().map(|(s, id)| (*id, *s)).collect();
    let mut r = Ranking::default();
    r.hybrid(true).vector_weight(1e6).fusion_k(1.0);
    q.ranking(r);
    let by_vectors = ids(&q);
    assert_ne!(by_vectors, lexical_ids);
    for id in &by_vectors {
        assert!(
            sim[id.as_str()] >= sims[9].0 - 0.02,
            "{id} is not among the nearest"
        );
    }
    // Scores descend; a smaller depth than the page still fills the page.
    let mut r = Ranking::default();
    r.hybrid(true).fusion_depth(3);
    q.ranking(r).limit(10);
    let hits = index.search(&q).unwrap().hits;
    assert_eq!(hits.len(), 10);
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));

    // At most one paragraph per report, from the fused list.
    let mut capped = hybrid(words, 10);
    capped.per_report(1);
    let hits = index.search(&capped).unwrap().hits;
    let reports: BTreeSet<String> = hits
        .iter()
        // A paragraph id is `{report id}/{paragraph}`; a report id is `{authority}/{visit}`,
        // and one authority may have several reports.
        .map(|h| h.id.rsplit_once('/').unwrap().0.to_string())
        .collect();
    assert_eq!(reports.len(), hits.len(), "{hits:?}");
    assert_eq!(hits.len(), 10.min(f.reports.len()));

    // Clamped settings compare equal to their clamped values.
    let mut a = Ranking::default();
    a.fusion_k(0.2).vector_weight(-0.0);
    let mut b = Ranking::default();
    b.fusion_k(1.0).vector_weight(0.0);
    assert_eq!(a, b);
    a.fusion_k(f32::NAN).fusion_depth(0);
    b.fusion_depth(1);
    assert_eq!(a, b);
    assert_ne!(a, Ranking::default());
}
