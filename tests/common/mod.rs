//! Synthetic reports for the index tests: the bundled corpus reports under made-up authority
//! names (given as metadata overrides), so that each variant is a distinct report (its own `report_id`) with the paragraphs
//! of a real one.

#![allow(dead_code)]

use std::collections::BTreeMap;

use ofsted_search::ingest::{Ingester, ParsedReport, ReportOverrides};

/// The bundled reports, as (file name, text), in file name order.
pub fn corpus() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// `n` distinct reports: corpus reports in turn, each ingested with its authority overridden
/// (as a manifest would) to `Variant {tag} {name}`, with a distinct two-letter tag per variant.
/// Each is checked to get a report id of its own and as many paragraphs as the original.
pub fn variants(n: usize) -> Vec<ParsedReport> {
    let ingester = Ingester::new();
    let originals: Vec<(String, ParsedReport)> = corpus()
        .into_iter()
        .map(|(name, text)| {
            let parsed = ingester.ingest_str(&text, &name).unwrap();
            (text, parsed)
        })
        .collect();
    let mut out = Vec::with_capacity(n);
    let mut ids = std::collections::HashSet::new();
    for i in 0..n {
        let (text, original) = &originals[i % originals.len()];
        let tag: String = [b'A' + (i / 26 % 26) as u8, b'a' + (i % 26) as u8]
            .iter()
            .map(|&b| b as char)
            .collect();
        let overrides = ReportOverrides {
            authority: Some(format!("Variant {tag} {}", original.report.authority)),
            ..ReportOverrides::default()
        };
        let parsed = ingester
            .ingest_bytes_with(text.as_bytes(), &format!("variant-{i}.txt"), &overrides)
            .unwrap();
        assert_ne!(parsed.report.report_id, original.report.report_id);
        assert!(
            ids.insert(parsed.report.report_id.clone()),
            "{}",
            parsed.report.report_id
        );
        assert_eq!(parsed.paragraphs.len(), original.paragraphs.len());
        out.push(parsed);
    }
    out
}

/// Report id → paragraph count.
pub fn counts(reports: &[ParsedReport]) -> BTreeMap<String, usize> {
    reports
        .iter()
        .map(|r| (r.report.report_id.clone(), r.paragraphs.len()))
        .collect()
}

/// The report id of a paragraph id: everything before its last `/`.
pub fn report_of(paragraph_id: &str) -> &str {
    paragraph_id
        .rsplit_once('/')
        .map_or(paragraph_id, |(report, _)| report)
}
