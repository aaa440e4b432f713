//! Crash safety: an ingest killed with SIGKILL part-way leaves an index that opens, holds only
//! whole reports and every report whose commit completed, and that a re-run completes into the
//! same state as a clean ingest.
//!
//! The ingest runs in a child process: this test binary re-run with an environment variable
//! naming the index directory (see [`crash_child`]). It adds synthetic reports (corpus reports
//! under distinct authority names) in batches, committing after each batch and printing
//! `COMMITTED <n>` once the commit has returned. The parent kills it after a few commits,
//! wherever it then is (adding documents, or inside a commit), checks the index, and repeats;
//! the last run is left to finish.

#![cfg(unix)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ofsted_search::ingest::ParsedReport;
use ofsted_search::{Query, SearchIndex};

const CHILD_ENV: &str = "OFSTED_SEARCH_CRASH_CHILD_DIR";
/// The reports to ingest, as JSON written by the parent (ingesting them again in every child
/// would only slow the test down).
const REPORTS_ENV: &str = "OFSTED_SEARCH_CRASH_CHILD_REPORTS";
/// How many distinct reports the ingest adds.
const REPORTS: usize = 60;
/// Reports per commit.
const BATCH: usize = 3;

/// Adds every variant not yet indexed with the same content, committing every [`BATCH`]
/// reports. Returns how many reports were added.
fn ingest(dir: &Path, reports: &[ParsedReport], announce: bool) -> usize {
    let index = SearchIndex::open_or_create(dir).unwrap();
    let present: BTreeMap<String, String> = index
        .reports()
        .unwrap()
        .into_iter()
        .map(|r| (r.report.report_id, r.content_hash))
        .collect();
    let mut writer = index.writer().unwrap();
    let mut added = 0;
    for parsed in reports {
        let hash = ofsted_search::index::content_hash(parsed);
        if present.get(&parsed.report.report_id) == Some(&hash) {
            continue;
        }
        writer.add_report(parsed).unwrap();
        added += 1;
        if added % BATCH == 0 {
            writer.commit().unwrap();
            if announce {
                println!("COMMITTED {}", present.len() + added);
            }
        }
    }
    writer.commit().unwrap();
    if announce {
        println!("COMMITTED {}", present.len() + added);
        println!("DONE");
    }
    added
}

/// Runs in the child only.
#[test]
fn crash_child() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let reports = std::fs::read(std::env::var_os(REPORTS_ENV).unwrap()).unwrap();
    let reports: Vec<ParsedReport> = serde_json::from_slice(&reports).unwrap();
    ingest(Path::new(&dir), &reports, true);
}

/// Runs the child on `dir`; kills it with SIGKILL once it has announced `kill_after` more
/// commits (`None`: lets it finish). Returns the highest committed count it announced.
fn run_child(dir: &Path, reports: &Path, kill_after: Option<usize>) -> usize {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, dir)
        .env(REPORTS_ENV, reports)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (mut commits, mut committed, mut done) = (0, 0, false);
    for line in stdout.lines() {
        let line = line.unwrap();
        if let Some(at) = line.find("COMMITTED ") {
            commits += 1;
            committed = line[at + 10..].trim().parse().unwrap();
            if Some(commits) == kill_after {
                // Let it get into the next batch (or its commit) before the kill.
                let jitter = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default()
                    .subsec_nanos()
                    % 40;
                std::thread::sleep(Duration::from_millis(u64::from(jitter)));
                child.kill().unwrap();
                break;
            }
        }
        done |= line.contains("DONE");
    }
    let status = child.wait().unwrap();
    match kill_after {
        Some(_) if !done => assert_eq!(status.signal(), Some(9), "child was not killed: {status}"),
        _ => assert!(status.success(), "child failed: {status}"),
    }
    committed
}

/// Every paragraph in one search snapshot, as id → text.
fn snapshot(index: &SearchIndex) -> BTreeMap<String, String> {
    let mut q = Query::all();
    q.limit(1_000_000).facets(false);
    let results = index.search(&q).unwrap();
    assert_eq!(results.total as usize, results.hits.len());
    results.hits.into_iter().map(|h| (h.id, h.text)).collect()
}

/// Opens the index and checks that it holds whole reports only, and at least `committed` of
/// them. Returns the report ids present.
fn check_whole_reports(dir: &Path, expected: &BTreeMap<String, usize>, committed: usize) -> usize {
    let index = SearchIndex::open(dir).unwrap_or_else(|e| panic!("index does not open: {e}"));
    let paragraphs = snapshot(&index);
    let mut per_report: BTreeMap<&str, usize> = BTreeMap::new();
    for id in paragraphs.keys() {
        *per_report.entry(common::report_of(id)).or_default() += 1;
    }
    let records = index.reports().unwrap();
    let recorded: BTreeSet<&str> = records
        .iter()
        .map(|r| r.report.report_id.as_str())
        .collect();
    assert_eq!(
        per_report.keys().copied().collect::<BTreeSet<_>>(),
        recorded,
        "paragraphs without a report record, or a record without paragraphs"
    );
    for r in &records {
        let id = r.report.report_id.as_str();
        let want = expected[id];
        assert_eq!(per_report[id], want, "report {id} is partly indexed");
        assert_eq!(r.paragraphs, want, "report {id}'s record");
    }
    assert!(
        records.len() >= committed,
        "{} reports present, but {committed} were committed",
        records.len()
    );
    records.len()
}

#[test]
fn killed_ingest_leaves_whole_reports_and_resumes_to_a_clean_state() {
    let reports = common::variants(REPORTS);
    let expected = common::counts(&reports);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    let reports_file = dir.path().join("reports.json");
    std::fs::write(&reports_file, serde_json::to_vec(&reports).unwrap()).unwrap();

    // Two kills, each a few commits into a run, then a run left to finish.
    let mut present = 0;
    for kill_after in [3, 4] {
        let committed = run_child(&path, &reports_file, Some(kill_after));
        assert!(committed >= present + BATCH, "the run made no progress");
        present = check_whole_reports(&path, &expected, committed);
        assert!(present < REPORTS, "the child finished before it was killed");
    }
    let committed = run_child(&path, &reports_file, None);
    assert_eq!(committed, REPORTS);
    assert_eq!(check_whole_reports(&path, &expected, REPORTS), REPORTS);

    // The final state equals a clean ingest: same ids, same texts, same report records.
    let clean_dir = tempfile::tempdir().unwrap();
    assert_eq!(ingest(clean_dir.path(), &reports, false), REPORTS);
    let resumed = SearchIndex::open(&path).unwrap();
    let clean = SearchIndex::open(clean_dir.path()).unwrap();
    assert_eq!(snapshot(&resumed), snapshot(&clean));
    assert_eq!(resumed.reports().unwrap(), clean.reports().unwrap());
    assert_eq!(
        resumed.num_paragraphs().unwrap() as usize,
        expected.values().sum::<usize>()
    );
}
