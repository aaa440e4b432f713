//! Every example, run as a user runs it (`cargo run --example NAME -- ARGS`), with its output
//! checked against the library.
//!
//! The examples are built once, by asking cargo to build them and to name the executables it
//! produced, rather than by guessing paths in the target directory: `cargo test --test
//! examples` does not build the examples itself, so a guessed path could be a stale binary.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use ofsted_search::export::{self, Format};
use ofsted_search::ingest::{Ingester, ParsedReport};
use serde_json::Value;

/// The examples this file runs. `every_example_is_run` fails when `examples/` has one that is
/// not listed here, so a new example cannot land untested.
const COVERED: &[&str] = &[
    "chunk",
    "citations",
    "eval",
    "export",
    "facets",
    "fidelity",
    // Needs the `semantic` feature: run by tests/semantic.rs.
    "hybrid_eval",
    "latency",
    "search",
    "serve",
    "similar",
];

const SHEFFIELD: &str = "corpus/sheffield-2014-inspection.txt";

fn corpus_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir("corpus")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "pdf"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    files
}

/// Builds every example (once per test run) and returns their executables by name.
fn executables() -> &'static BTreeMap<String, PathBuf> {
    static BUILT: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string());
        let out = Command::new(cargo)
            .args(["build", "--quiet", "--examples", "--message-format=json"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cannot run cargo to build the examples");
        assert!(
            out.status.success(),
            "building the examples failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut found = BTreeMap::new();
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let message: Value = serde_json::from_str(line).unwrap();
            let is_example = message["target"]["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|k| k == "example"));
            if let (true, Some(exe)) = (is_example, message["executable"].as_str()) {
                let name = message["target"]["name"].as_str().unwrap().to_string();
                found.insert(name, PathBuf::from(exe));
            }
        }
        found
    })
}

fn run(example: &str, args: &[&str]) -> Output {
    let exe = executables()
        .get(example)
        .unwrap_or_else(|| panic!("cargo built no example named {example}"));
    Command::new(exe)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run example {example}: {e}"))
}

/// Runs an example that must succeed and returns its stdout and stderr.
fn run_ok(example: &str, args: &[&str]) -> (String, String) {
    let out = run(example, args);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        out.status.success(),
        "example {example} {args:?} failed ({}):\n{stderr}",
        out.status
    );
    (stdout, stderr)
}

fn json_lines(stdout: &str) -> Vec<serde_json::Map<String, Value>> {
    stdout
        .lines()
        .map(|l| match serde_json::from_str::<Value>(l) {
            Ok(Value::Object(o)) => o,
            other => panic!("not a JSON object line: {l:?} ({other:?})"),
        })
        .collect()
}

fn keys(object: &serde_json::Map<String, Value>) -> BTreeSet<&str> {
    object.keys().map(String::as_str).collect()
}

fn ingest(path: &str) -> ParsedReport {
    Ingester::new()
        .ingest_file(path)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_example_is_run() {
    let mut found: Vec<String> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut covered: Vec<String> = COVERED.iter().map(|s| s.to_string()).collect();
    covered.sort();
    assert_eq!(
        found, covered,
        "add a test for each new example to tests/examples.rs"
    );
}

#[test]
fn eval_prints_both_systems_per_kind_and_each_ranking_step() {
    let (stdout, _) = run_ok("eval", &[]);
    // nDCG@10 is the fourth cell of a table row.
    let ndcg = |row: &str| -> f64 { row.split('|').nth(4).unwrap().trim().parse().unwrap() };
    let overall: Vec<f64> = stdout
        .lines()
        .filter(|l| l.starts_with("| **overall**"))
        .map(ndcg)
        .collect();
    assert_eq!(
        overall.len(),
        2,
        "baseline and ofsted-search rows: {stdout}"
    );
    assert!(
        overall.iter().all(|v| (0.0..=1.0).contains(v)),
        "{overall:?}"
    );
    assert!(
        overall[1] > overall[0],
        "the crate's ranking should beat plain BM25: {overall:?}"
    );
    for kind in [
        "acronym",
        "damaged",
        "filtered",
        "keyword",
        "paraphrase",
        "phrase",
        "question",
    ] {
        assert_eq!(
            stdout
                .lines()
                .filter(|l| l.starts_with(&format!("| {kind} |")))
                .count(),
            2,
            "{kind}: {stdout}"
        );
    }
    assert!(stdout.contains("| + vocabulary expansion |"), "{stdout}");
}

#[test]
fn eval_archive_prints_three_systems_for_each_half() {
    let (stdout, _) = run_ok("eval", &["--archive"]);
    for half in ["### tuning half", "### test half"] {
        assert!(stdout.contains(half), "{half}: {stdout}");
    }
    let overall: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("| **overall**"))
        .collect();
    // Three systems on each half.
    assert_eq!(overall.len(), 6, "{stdout}");
    for system in ["default", "plain BM25", "FTS5"] {
        assert_eq!(
            overall
                .iter()
                .filter(|l| l.contains(&format!("| {system} |")))
                .count(),
            2,
            "{system}: {stdout}"
        );
    }
    let ndcg = |row: &str| -> f64 { row.split('|').nth(4).unwrap().trim().parse().unwrap() };
    assert!(
        overall.iter().all(|l| (0.0..=1.0).contains(&ndcg(l))),
        "{stdout}"
    );
    assert!(stdout.contains("| which_councils |"), "{stdout}");
    assert!(stdout.contains("| + vocabulary expansion |"), "{stdout}");
}

#[test]
fn chunk_prints_one_json_line_per_paragraph() {
    let (stdout, _) = run_ok("chunk", &[SHEFFIELD]);
    let lines = json_lines(&stdout);
    let parsed = ingest(SHEFFIELD);
    assert_eq!(lines.len(), parsed.paragraphs.len());
    let expected: BTreeSet<&str> = [
        "id",
        "report_id",
        "authority",
        "year",
        "number",
        "ordinal",
        "section",
        "area",
        "grade",
        "themes",
        "text",
        "citation",
        "page",
        "context",
    ]
    .into();
    for (line, p) in lines.iter().zip(&parsed.paragraphs) {
        assert_eq!(keys(line), expected);
        assert_eq!(line["id"], p.id.as_str());
        assert_eq!(line["text"], p.text.as_str());
        assert_eq!(line["citation"], p.citation.as_str());
    }
}

#[test]
fn chunk_reports_prints_one_json_line_per_report() {
    let files = corpus_files();
    let args: Vec<&str> = std::iter::once("--reports")
        .chain(files.iter().map(String::as_str))
        .collect();
    let (stdout, _) = run_ok("chunk", &args);
    let lines = json_lines(&stdout);
    assert_eq!(lines.len(), files.len());
    let expected: BTreeSet<&str> = [
        "report_id",
        "authority",
        "kind",
        "framework",
        "title",
        "inspection_start",
        "inspection_end",
        "published",
        "year",
        "overall_grade",
        "judgements",
    ]
    .into();
    for (line, file) in lines.iter().zip(&files) {
        assert_eq!(keys(line), expected);
        assert_eq!(line["report_id"], ingest(file).report.report_id.as_str());
    }
}

#[test]
fn chunk_names_a_missing_file_and_fails() {
    let out = run("chunk", &["corpus/no-such-report.txt"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("corpus/no-such-report.txt"), "{stderr}");
}

#[test]
fn export_round_trips_in_both_formats() {
    let files = corpus_files();
    let reports: Vec<ParsedReport> = files.iter().map(|f| ingest(f)).collect();
    let paragraphs: usize = reports.iter().map(|r| r.paragraphs.len()).sum();
    for (format, lines_per_doc) in [("quickwit", 1), ("elasticsearch", 2)] {
        let args: Vec<&str> = ["--format", format]
            .into_iter()
            .chain(files.iter().map(String::as_str))
            .collect();
        let (stdout, stderr) = run_ok("export", &args);
        assert_eq!(
            stdout.lines().count(),
            lines_per_doc * paragraphs,
            "{format}"
        );
        let back = export::read_ndjson(stdout.as_bytes(), format).unwrap();
        assert_eq!(back.len(), reports.len());
        for (got, want) in back.iter().zip(&reports) {
            assert_eq!(got.report, want.report, "{format}");
            assert_eq!(got.paragraphs, want.paragraphs, "{format}");
        }
        // The library writes the same bytes.
        let format_value = match format {
            "quickwit" => Format::Quickwit,
            _ => Format::Elasticsearch {
                index: Some(export::DEFAULT_INDEX.into()),
            },
        };
        let mut expected = Vec::new();
        export::write_ndjson(&mut expected, &reports, &format_value).unwrap();
        assert_eq!(stdout.as_bytes(), expected.as_slice(), "{format}");
        // stderr is not a terminal here: a plain summary, no progress bar escapes.
        assert!(
            !stderr.contains('\x1b') && !stderr.contains('\r'),
            "{stderr:?}"
        );
        let summary = format!(
            "export: {} reports, {paragraphs} paragraphs, ",
            reports.len()
        );
        assert!(stderr.contains(&summary), "{stderr}");
    }
}

#[test]
fn export_rejects_bad_arguments() {
    for args in [
        &["corpus/x.txt"][..],
        &["--format", "solr", SHEFFIELD],
        &["--format", "quickwit"],
    ] {
        let out = run("export", args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("usage: export"), "{stderr}");
    }
}

#[test]
fn export_stops_quietly_when_the_reader_closes_the_pipe() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let exe = &executables()["export"];
    let mut args = vec!["--format".to_string(), "elasticsearch".to_string()];
    // Enough output (several copies of the corpus) to outgrow the pipe's buffer.
    for _ in 0..4 {
        args.extend(corpus_files());
    }
    let mut child = Command::new(exe)
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("{\"index\":"), "{first}");
    // The reader is dropped here, closing the pipe like `head -1` would.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{}: {stderr}", out.status);
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

/// Every hit's citation, as the library's own ingestion gives it for that paragraph id.
fn library_citations() -> BTreeMap<String, String> {
    corpus_files()
        .iter()
        .flat_map(|f| ingest(f).paragraphs)
        .map(|p| (p.id, p.citation))
        .collect()
}

#[test]
fn search_builds_then_reuses_an_index_and_prints_cited_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let index = index.to_str().unwrap();
    let query = "missing children return home interviews";

    // First run: builds the index, saying so on stderr, and prints ranked citations.
    let (text, stderr) = run_ok("search", &["--index", index, query]);
    assert!(stderr.contains("ready"), "{stderr}");
    assert!(stderr.contains("first run: indexing"), "{stderr}");
    assert!(text.contains("paragraphs match"), "{text}");

    // Second run: reuses the index without indexing anything again.
    let (json, stderr) = run_ok("search", &["--index", index, "--json", query]);
    assert!(!stderr.contains("indexing"), "{stderr}");
    let value: Value = serde_json::from_str(&json).unwrap();
    let object = value.as_object().unwrap();
    assert_eq!(keys(object), ["facets", "hits", "total"].into());
    let facets = keys(value["facets"].as_object().unwrap());
    for facet in ["authority", "year", "grade", "theme"] {
        assert!(facets.contains(facet), "no {facet} facet in {facets:?}");
    }
    let hits = value["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(value["total"].as_u64().unwrap() >= hits.len() as u64);
    let hit_keys: BTreeSet<&str> = [
        "id",
        "score",
        "citation",
        "authority",
        "year",
        "number",
        "page",
        "section",
        "area",
        "grade",
        "themes",
        "text",
        "snippet",
    ]
    .into();
    let citations = library_citations();
    for hit in hits {
        assert_eq!(keys(hit.as_object().unwrap()), hit_keys);
        let id = hit["id"].as_str().unwrap();
        let citation = hit["citation"].as_str().unwrap();
        assert_eq!(
            Some(citation),
            citations.get(id).map(String::as_str),
            "{id}"
        );
        // The text output of the first run printed the same citations.
        assert!(text.contains(citation), "{citation} not in the text output");
    }

    // The scores shown are the paragraphs' BM25 scores, the same as under --any, with no
    // constant added to those that match every word, whether or not the query fell back to
    // any word (in the text output as in the JSON; tests/search.rs forces the fallback).
    let (any, _) = run_ok(
        "search",
        &[
            "--index", index, "--json", "--any", "--limit", "100000", query,
        ],
    );
    let any: Value = serde_json::from_str(&any).unwrap();
    let bm25: BTreeMap<(&str, &str), f64> = any["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let key = (h["id"].as_str().unwrap(), h["text"].as_str().unwrap());
            (key, h["score"].as_f64().unwrap())
        })
        .collect();
    for hit in hits {
        let key = (hit["id"].as_str().unwrap(), hit["text"].as_str().unwrap());
        let score = hit["score"].as_f64().unwrap();
        let expected = bm25[&key];
        assert!(
            score > 0.0 && (score - expected).abs() <= 1e-4 * expected,
            "{key:?}: score {score} shown, BM25 {expected}"
        );
        assert!(
            text.contains(&format!("(score {:.2})", score as f32)),
            "score {score:.2} not in the text output"
        );
    }
}

#[test]
fn search_filters_and_similar_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let index = index.to_str().unwrap();
    let json = |args: &[&str]| -> Value {
        let mut all = vec!["--index", index, "--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&run_ok("search", &all).0).unwrap()
    };

    let graded = json(&["--grade", "inadequate", "--year", "2014..2016", "strategy"]);
    let hits = graded["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        assert_eq!(hit["grade"], "inadequate");
        let year = hit["year"].as_u64().unwrap();
        assert!((2014..=2016).contains(&year), "{year}");
    }

    // Report facts: each filter keeps exactly the paragraphs its facet counted unfiltered.
    let unfiltered = json(&["children"]);
    for (flag, facet) in [
        ("--kind", "kind"),
        ("--framework", "framework"),
        ("--overall", "overall_grade"),
        ("--published", "published_year"),
    ] {
        let counts = unfiltered["facets"][facet].as_object().unwrap();
        assert!(!counts.is_empty(), "no {facet} counts: {unfiltered}");
        for (value, n) in counts {
            let filtered = json(&[flag, value, "children"]);
            assert_eq!(filtered["total"], *n, "{flag} {value}");
            let only = keys(filtered["facets"][facet].as_object().unwrap());
            assert_eq!(only, [value.as_str()].into(), "{flag} {value}");
        }
    }

    let source = "sheffield-city-council/2014-inspection/41";
    let similar = json(&["--similar", source]);
    let hits = similar["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        assert_ne!(hit["id"], source);
        assert_ne!(hit["authority"], "Sheffield City Council");
    }
}

#[test]
fn search_reports_a_malformed_query_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let out = run(
        "search",
        &["--index", index.to_str().unwrap(), "\"unbalanced"],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("at character 0"), "{stderr}");
}

/// The literate examples assert their own results; here they must run to completion and
/// print something.
#[test]
fn literate_examples_run_and_pass_their_own_assertions() {
    for example in ["facets", "citations", "similar"] {
        let (stdout, _) = run_ok(example, &[]);
        assert!(!stdout.trim().is_empty(), "{example} printed nothing");
    }
}

#[test]
fn search_skips_unreadable_files_and_forgets_removed_reports() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for file in corpus_files() {
        let name = Path::new(&file).file_name().unwrap();
        std::fs::copy(&file, corpus.join(name)).unwrap();
    }
    std::fs::write(corpus.join("empty.txt"), "").unwrap();
    let index = dir.path().join("index");
    let args = [
        "--index",
        index.to_str().unwrap(),
        "--corpus",
        corpus.to_str().unwrap(),
        "--json",
        "children",
    ];

    let (first, stderr) = run_ok("search", &args);
    assert!(stderr.contains("empty.txt"), "{stderr}");
    let first: Value = serde_json::from_str(&first).unwrap();
    let rotherham = "Rotherham Metropolitan Borough Council";
    assert!(first["facets"]["authority"][rotherham].as_u64().unwrap() > 0);

    // Every report about Rotherham (the 2014 inspection, the 2019 focused visit) goes.
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("rotherham-")
        {
            std::fs::remove_file(path).unwrap();
        }
    }
    let (second, stderr) = run_ok("search", &args);
    assert!(stderr.contains("its file is gone"), "{stderr}");
    let second: Value = serde_json::from_str(&second).unwrap();
    assert!(second["facets"]["authority"].get(rotherham).is_none());
    assert!(second["total"].as_u64() < first["total"].as_u64());
}

#[cfg(unix)]
#[test]
fn export_refuses_a_non_unicode_argument_without_panicking() {
    use std::os::unix::ffi::OsStrExt;
    let exe = &executables()["export"];
    let out = Command::new(exe)
        .args(["--format", "quickwit"])
        .arg(std::ffi::OsStr::from_bytes(b"corpus/\xff.txt"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not valid Unicode"), "{stderr}");
}

#[test]
fn latency_measures_every_class_on_every_engine() {
    // The bundled corpus (no OFSTED_BENCH_SCALE): a few runs per class, no time budget.
    let (stdout, _) = run_ok("latency", &["--runs", "3", "--seconds", "0", "--topk"]);
    for class in [
        "term",
        "two_terms_all",
        "two_terms_any",
        "phrase_2",
        "phrase_3",
        "term_grade",
        "term_year_range",
        "results_page",
        "similar",
    ] {
        let row = stdout
            .lines()
            .find(|l| l.starts_with(&format!("| {class} |")))
            .unwrap_or_else(|| panic!("no row for {class}:\n{stdout}"));
        // Class, then p50, p99 and runs of the crate default, crate plain, plain tantivy,
        // top-k default, top-k plain and FTS5, then four ratios.
        assert_eq!(row.split('|').count(), 1 + 6 * 3 + 4 + 2, "{row}");
        assert!(!row.contains('–'), "a column is missing: {row}");
    }
    assert!(stdout.contains("memory while querying"), "{stdout}");
    for part in ["postings:", "positions:", "fieldnorms:", "document store:"] {
        assert!(stdout.contains(part), "no index size for {part}\n{stdout}");
    }
}

/// The page itself is driven in a browser by tests/serve.rs; here, its command line.
#[test]
fn serve_explains_its_options_and_refuses_bad_ones() {
    let (help, _) = run_ok("serve", &["--help"]);
    for option in ["--index", "--corpus", "--addr", "127.0.0.1:8080"] {
        assert!(help.contains(option), "{option} not in:\n{help}");
    }
    let out = run("serve", &["--addr", "localhost"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("--addr: 'localhost'"), "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder");
    let index = dir.path().join("index");
    let out = run(
        "serve",
        &[
            "--corpus",
            missing.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("cannot list report files") && stderr.contains("--corpus DIR"),
        "{stderr}"
    );
}

#[test]
fn fidelity_prints_the_per_kind_table_for_a_folder() {
    // A folder as the example reads it: INDEX.csv and the texts beside it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("INDEX.csv"),
        "file,authority,kind,framework,year,overall_grade\n\
         sheffield-2014-inspection,sheffield,sif,,2014,good\n\
         nowhere-2020-focused-visit,nowhere,focused-visit,,2020,\n",
    )
    .unwrap();
    std::fs::copy(SHEFFIELD, dir.path().join("sheffield-2014-inspection.txt")).unwrap();
    let (stdout, _) = run_ok("fidelity", &[dir.path().to_str().unwrap()]);
    let row = |kind: &str| -> Vec<String> {
        stdout
            .lines()
            .find(|l| l.starts_with(&format!("| {kind} |")))
            .unwrap_or_else(|| panic!("no row for {kind}:\n{stdout}"))
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let sif = row("sif");
    assert_eq!(sif[2], "1", "{stdout}");
    // The missing text is counted, not skipped silently: panics / errors / missing.
    let last = |cells: Vec<String>| cells[cells.len() - 2].clone();
    assert_eq!(last(row("focused-visit")), "0 / 0 / 1", "{stdout}");
    assert_eq!(row("**all**")[2], "2", "{stdout}");
    assert!(stdout.contains("# Worst reports"), "{stdout}");
    assert!(stdout.contains("nowhere-2020-focused-visit"), "{stdout}");
}
