//! Concurrency: searches running while a writer ingests and commits each see one consistent
//! snapshot (every report wholly present or wholly absent), and pick up new commits; a second
//! writer on the same index directory is refused with `Error::IndexLocked`, and the index is
//! unharmed.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use ofsted_search::{Error, Query, SearchIndex};

const REPORTS: usize = 20;
const READERS: usize = 3;

/// Paragraph counts per report in one search (one searcher, so one snapshot).
fn per_report(index: &SearchIndex) -> BTreeMap<String, usize> {
    let mut q = Query::all();
    q.limit(1_000_000).facets(false).snippet_chars(0);
    let results = index.search(&q).unwrap();
    assert_eq!(results.total as usize, results.hits.len());
    let mut counts = BTreeMap::new();
    for hit in &results.hits {
        *counts
            .entry(common::report_of(&hit.id).to_string())
            .or_default() += 1;
    }
    counts
}

#[test]
fn readers_see_whole_reports_and_pick_up_commits() {
    let reports = common::variants(REPORTS);
    let expected = Arc::new(common::counts(&reports));
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    let done = Arc::new(AtomicBool::new(false));

    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let index = index.clone();
            let expected = expected.clone();
            let done = done.clone();
            std::thread::spawn(move || {
                let mut seen = BTreeSet::new();
                let mut last = 0;
                loop {
                    // Read the flag first, so that the search after the writer's last commit
                    // is always made.
                    let finished = done.load(Ordering::SeqCst);
                    let counts = per_report(&index);
                    for (id, n) in &counts {
                        assert_eq!(n, &expected[id], "report {id} partly visible");
                    }
                    assert!(counts.len() >= last, "a reader went back in time");
                    last = counts.len();
                    seen.insert(counts.len());
                    if finished {
                        return seen;
                    }
                }
            })
        })
        .collect();

    let mut writer = index.writer().unwrap();
    // A second writer, through this handle or another opened on the directory, is refused.
    let err = index.writer().unwrap_err();
    assert!(matches!(err, Error::IndexLocked { .. }), "{err:?}");
    let other = SearchIndex::open(dir.path()).unwrap();
    let err = other.writer().unwrap_err();
    assert!(
        matches!(err, Error::IndexLocked { ref path } if path == dir.path()),
        "{err:?}"
    );
    assert!(err.to_string().contains(&dir.path().display().to_string()));

    for parsed in &reports {
        writer.add_report(parsed).unwrap();
        writer.commit().unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let mut all_seen = BTreeSet::new();
    for r in readers {
        let seen = r.join().expect("a reader failed");
        // Every reader's last search came after the last commit.
        assert_eq!(seen.last(), Some(&REPORTS), "{seen:?}");
        all_seen.extend(seen);
    }
    // The readers saw the index grow, not just its final state.
    assert!(all_seen.len() >= 3, "snapshots seen: {all_seen:?}");

    // The refused writers harmed nothing; another handle sees every report after a reload.
    drop(writer);
    other.reload().unwrap();
    assert_eq!(per_report(&other), *expected);
    // With the first writer gone, a new one can be opened.
    assert!(other.writer().is_ok());
}

#[test]
fn a_writer_in_another_process_is_refused() {
    // The lock is a file lock on the directory, so it holds across processes too: this test
    // binary is re-run as a child that tries to open a writer while this process holds one.
    if let Some(dir) = std::env::var_os("OFSTED_SEARCH_LOCK_CHILD_DIR") {
        let index = SearchIndex::open(&dir).unwrap();
        match index.writer() {
            Err(Error::IndexLocked { path }) => println!("LOCKED {}", path.display()),
            Err(e) => println!("OTHER {e}"),
            Ok(_) => println!("OPENED"),
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    let _writer = index.writer().unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_writer_in_another_process_is_refused",
            "--nocapture",
        ])
        .env("OFSTED_SEARCH_LOCK_CHILD_DIR", dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("LOCKED {}", dir.path().display())),
        "{stdout}"
    );
}
