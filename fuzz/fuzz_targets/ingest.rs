//! Fuzz target: arbitrary bytes through the whole ingestion pipeline (decode, normalise,
//! report metadata, chunking, themes). Any panic is a bug; errors are fine. The paragraphs
//! that come out must also be well formed.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use ofsted_search::ingest::Ingester;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = Ingester::new().ingest_bytes(data, "fuzz.txt") else {
        return;
    };
    let mut numbers = HashSet::new();
    let mut ids = HashSet::new();
    for (i, p) in parsed.paragraphs.iter().enumerate() {
        assert_eq!(p.ordinal as usize, i + 1, "ordinals must be 1, 2, 3, …");
        if let Some(n) = p.number {
            assert!(numbers.insert(n), "paragraph number {n} twice");
        }
        assert!(ids.insert(p.id.as_str()), "id {} twice", p.id);
        assert!(!p.text.trim().is_empty(), "empty paragraph {}", p.id);
        assert_eq!(p.report_id, parsed.report.report_id);
    }
});
