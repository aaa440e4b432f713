//! Limits: the maximum input size is enforced with an error naming the input, and ingesting a
//! 50 MB input keeps peak memory well under 1 GB.
//!
//! Peak memory is measured in a child process (this test binary re-run with an environment
//! variable) that ingests the input and then reports its own peak resident set size (`VmHWM`
//! in `/proc/self/status`), so that other tests running in this process do not count.

use std::process::Command;

use ofsted_search::ingest::Ingester;
use ofsted_search::Error;

const CHILD_ENV: &str = "OFSTED_SEARCH_LIMITS_CHILD";
const FIFTY_MB: usize = 50 * 1024 * 1024;

/// About 50 MB of report text: the bundled reports repeated under distinct authority names.
fn fifty_mb_report() -> String {
    let mut reports = Vec::new();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            // One report's body after another, without the end matter that closes each (the
            // chunker stops at a report's end matter, and warns about text after it).
            let text = std::fs::read_to_string(path).unwrap();
            let end = [
                "Yours sincerely",
                "Any complaints about the inspection",
                "The Office for Standards in Education",
            ]
            .iter()
            .filter_map(|m| text.find(m))
            .min()
            .unwrap_or(text.len());
            reports.push(text[..end].to_string());
        }
    }
    reports.sort();
    let mut text = String::with_capacity(FIFTY_MB + 1_000_000);
    let mut i = 0;
    while text.len() < FIFTY_MB {
        text.push_str(&reports[i % reports.len()]);
        text.push('\n');
        i += 1;
    }
    let mut cut = FIFTY_MB;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text
}

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

#[test]
fn input_over_the_limit_is_refused_naming_the_input() {
    let mut ingester = Ingester::new();
    ingester.max_input_bytes(100);
    let text = "Some Council\n\n1. Children are seen.\n".repeat(10);
    let err = ingester.ingest_str(&text, "big.txt").unwrap_err();
    let size = text.len() as u64;
    assert!(
        matches!(err, Error::InputTooLarge { size: s, limit: 100, .. } if s == size),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(msg.starts_with("big.txt:"), "{msg}");
    assert!(msg.contains("raise the limit"), "{msg}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    std::fs::write(&path, &text).unwrap();
    let err = ingester.ingest_file(&path).unwrap_err();
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    // Exactly at the limit is accepted.
    ingester.max_input_bytes(size);
    assert!(ingester.ingest_file(&path).is_ok());
}

/// Runs in the child only: ingests 50 MB and prints the peak RSS.
#[test]
fn child_ingests_fifty_mb() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let text = fifty_mb_report();
    let before = peak_rss_kib();
    let parsed = Ingester::new()
        .ingest_bytes(text.as_bytes(), "fifty.txt")
        .unwrap();
    assert!(parsed.paragraphs.len() > 1000);
    let chars: usize = parsed.paragraphs.iter().map(|p| p.text.len()).sum();
    println!(
        "PEAK_RSS_KIB={} BEFORE_INGEST_KIB={before} PARAGRAPHS={} PARAGRAPH_BYTES={chars}",
        peak_rss_kib(),
        parsed.paragraphs.len()
    );
}

#[test]
fn fifty_mb_input_peaks_well_under_one_gb() {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_ingests_fifty_mb",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The harness prints the test's name on the same line before its output.
    let line = stdout
        .lines()
        .find_map(|l| l.find("PEAK_RSS_KIB=").map(|at| &l[at..]))
        .unwrap_or_else(|| panic!("no measurement in child output: {stdout}"));
    eprintln!("50 MB ingest: {line}");
    let peak: u64 = line
        .split_whitespace()
        .next()
        .and_then(|f| f.strip_prefix("PEAK_RSS_KIB="))
        .and_then(|v| v.parse().ok())
        .unwrap();
    // "Well under 1 GB": at most half of it.
    assert!(peak < 512 * 1024, "peak RSS {peak} KiB for a 50 MB input");
}
