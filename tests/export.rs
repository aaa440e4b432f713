//! The NDJSON export over the bundled corpus: every field of every paragraph and of its report
//! survives the trip out and back in both formats, and the shipped index configs map exactly
//! the fields the export writes.

use std::collections::BTreeSet;

use ofsted_search::export::{self, Format, FIELDS};
use ofsted_search::ingest::{Ingester, ParsedReport};
use ofsted_search::Area;

fn corpus() -> Vec<ParsedReport> {
    let mut paths: Vec<_> = std::fs::read_dir("corpus")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "corpus has {} reports", paths.len());
    let ingester = Ingester::new();
    paths
        .iter()
        .map(|p| ingester.ingest_file(p).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn export(reports: &[ParsedReport], format: &Format) -> String {
    let mut out = Vec::new();
    let written = export::write_ndjson(&mut out, reports, format).unwrap();
    let paragraphs: usize = reports.iter().map(|r| r.paragraphs.len()).sum();
    assert_eq!(written, paragraphs);
    String::from_utf8(out).unwrap()
}

fn formats() -> [Format; 3] {
    [
        Format::Quickwit,
        Format::Elasticsearch { index: None },
        Format::Elasticsearch {
            index: Some(export::DEFAULT_INDEX.into()),
        },
    ]
}

#[test]
fn export_round_trips_every_paragraph_and_report_field() {
    let reports = corpus();
    for parsed in &reports {
        assert!(
            !parsed.paragraphs.is_empty(),
            "{} has no paragraphs, so the round trip would not cover its report",
            parsed.report.report_id
        );
    }
    for format in formats() {
        let text = export(&reports, &format);
        let back = export::read_ndjson(text.as_bytes(), "corpus.ndjson").unwrap();
        assert_eq!(back.len(), reports.len(), "{format:?}");
        for (got, want) in back.iter().zip(&reports) {
            // `Report` and `Paragraph` derive `PartialEq` over every field, so these compare
            // each field of each value.
            assert_eq!(got.report, want.report, "{format:?}");
            assert_eq!(got.paragraphs, want.paragraphs, "{format:?}");
            assert!(got.warnings.is_empty());
        }
    }
}

#[test]
fn elasticsearch_export_keys_every_document_by_its_paragraph_id() {
    let reports = corpus();
    let format = Format::Elasticsearch {
        index: Some("ofsted".into()),
    };
    let text = export(&reports, &format);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let paragraphs: Vec<_> = reports.iter().flat_map(|r| &r.paragraphs).collect();
    assert_eq!(lines.len(), 2 * paragraphs.len());
    let mut ids = BTreeSet::new();
    for (pair, p) in lines.chunks(2).zip(paragraphs) {
        assert_eq!(pair[0]["index"]["_index"], "ofsted");
        assert_eq!(pair[0]["index"]["_id"], p.id.as_str());
        assert_eq!(pair[1]["id"], p.id.as_str());
        // Unique ids are what make a second load replace rather than duplicate.
        assert!(ids.insert(p.id.clone()), "duplicate paragraph id {}", p.id);
    }
}

/// The keys the corpus export actually writes, top-level and (as `judgements.x`) nested.
fn written_keys(reports: &[ParsedReport]) -> (BTreeSet<String>, BTreeSet<String>) {
    let text = export(reports, &Format::Quickwit);
    let mut top = BTreeSet::new();
    let mut judgements = BTreeSet::new();
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        for (key, v) in value.as_object().unwrap() {
            top.insert(key.clone());
            if key == "judgements" {
                judgements.extend(v.as_object().unwrap().keys().cloned());
            }
        }
    }
    (top, judgements)
}

#[test]
fn fields_lists_exactly_what_the_export_writes() {
    let (top, judgements) = written_keys(&corpus());
    let fields: BTreeSet<String> = FIELDS.iter().map(|f| f.to_string()).collect();
    // The corpus has a value for every field somewhere (dated and undated reports, numbered
    // and unnumbered paragraphs), so the union of keys written is the full list.
    assert_eq!(top, fields);
    let areas: BTreeSet<String> = Area::ALL.iter().map(|a| a.to_string()).collect();
    assert_eq!(judgements, areas);
}

#[test]
fn elasticsearch_mapping_is_json_and_maps_every_field() {
    let text = std::fs::read_to_string("deploy/elasticsearch/ofsted-paragraphs.json").unwrap();
    let mapping: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(mapping["mappings"]["dynamic"], "strict");
    let properties = mapping["mappings"]["properties"].as_object().unwrap();
    let mapped: BTreeSet<&str> = properties.keys().map(String::as_str).collect();
    let fields: BTreeSet<&str> = FIELDS.iter().copied().collect();
    assert_eq!(mapped, fields);
    let judged: BTreeSet<&str> = properties["judgements"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let areas: BTreeSet<&str> = Area::ALL.iter().map(|a| a.as_str()).collect();
    assert_eq!(judged, areas);
    assert_eq!(properties["text"]["analyzer"], "english");
    for facet in [
        "id",
        "report_id",
        "area",
        "grade",
        "themes",
        "kind",
        "overall_grade",
    ] {
        assert_eq!(properties[facet]["type"], "keyword", "{facet}");
    }
}

/// The field names a Quickwit config maps at one nesting depth: the `- name:` entries indented
/// by `indent` spaces. The config is checked textually to avoid a YAML dependency.
fn quickwit_names(text: &str, indent: usize) -> BTreeSet<String> {
    let prefix = format!("{}- name: ", " ".repeat(indent));
    text.lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(|n| n.trim().to_string())
        .collect()
}

#[test]
fn quickwit_config_maps_every_field() {
    let text = std::fs::read_to_string("deploy/quickwit/ofsted-paragraphs.yaml").unwrap();
    assert!(text.contains("\nindex_id: ofsted-paragraphs\n"));
    assert!(text.contains("\n  mode: strict\n"));
    assert!(!text.contains('\t'), "YAML must not contain tabs");
    let fields: BTreeSet<String> = FIELDS.iter().map(|f| f.to_string()).collect();
    assert_eq!(quickwit_names(&text, 4), fields);
    let areas: BTreeSet<String> = Area::ALL.iter().map(|a| a.to_string()).collect();
    assert_eq!(quickwit_names(&text, 8), areas);
    // The full-text field is stemmed English with positions, for phrase queries.
    let text_field = text.split("- name: text\n").nth(1).unwrap();
    let text_field: String = text_field.lines().take(4).collect::<Vec<_>>().join("\n");
    assert!(text_field.contains("tokenizer: en_stem"), "{text_field}");
    assert!(text_field.contains("record: position"), "{text_field}");
}
