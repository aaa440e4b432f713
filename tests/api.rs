//! The public API's shape, following the Rust API guidelines: typed values that round-trip
//! through `Display`/`FromStr` and serde, the common traits on public types, and one error
//! type that crosses threads.

use std::fmt::Debug;
use std::hash::Hash;
use std::str::FromStr;

use ofsted_search::export::Format;
use ofsted_search::ingest::{ParsedReport, Summary, Warning};
use ofsted_search::{Area, Date, Error, Grade, Paragraph, ParseValueError, Report, ReportKind};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Every value's `Display` parses back to it, its serde form is the same string, and a
/// rejected string says what was expected.
fn round_trips<T>(all: &[T])
where
    T: Copy + Debug + Eq + Hash + Ord + Send + Sync + 'static,
    T: std::fmt::Display + FromStr<Err = ParseValueError> + Serialize + DeserializeOwned,
{
    assert!(!all.is_empty());
    for &value in all {
        let text = value.to_string();
        assert_eq!(text.parse::<T>().unwrap(), value, "{text}");
        assert_eq!(text.to_uppercase().parse::<T>().unwrap(), value, "{text}");
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
    }
    let err = "no such value".parse::<T>().unwrap_err();
    assert_eq!(err.value(), "no such value");
    let message = err.to_string();
    assert!(message.contains("expected one of"), "{message}");
    assert!(!message.ends_with('.'), "{message}");
}

#[test]
fn typed_values_round_trip() {
    round_trips(Grade::ALL);
    round_trips(Area::ALL);
    round_trips(ReportKind::ALL);
    use ofsted_search::ingest::authorities::AuthorityKind;
    round_trips(&[
        AuthorityKind::County,
        AuthorityKind::Metropolitan,
        AuthorityKind::London,
        AuthorityKind::Unitary,
        AuthorityKind::SuiGeneris,
    ]);
}

#[test]
fn dates_round_trip_and_reject_impossible_days() {
    for text in ["2014-11-19", "2016-02-29", "2000-02-29", "1999-12-31"] {
        let date: Date = text.parse().unwrap();
        assert_eq!(date.to_string(), text);
        let json = serde_json::to_string(&date).unwrap();
        assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), date);
    }
    for text in [
        "2014-02-29",
        "1900-02-29",
        "2014-13-01",
        "2014-1-01",
        "19 Nov 2014",
        "",
    ] {
        assert!(text.parse::<Date>().is_err(), "{text}");
    }
}

fn data_type<T: Debug + Clone + PartialEq + Send + Sync + Serialize + DeserializeOwned>() {}
fn plain_type<T: Debug + Clone + PartialEq + Eq + Send + Sync>() {}
fn key_type<T: Debug + Clone + Eq + Hash + Send + Sync>() {}

#[test]
fn public_types_have_the_common_traits() {
    data_type::<Report>();
    data_type::<Paragraph>();
    data_type::<ParsedReport>();
    data_type::<Warning>();
    data_type::<Summary>();
    plain_type::<Summary>();
    plain_type::<Format>();
    plain_type::<ParseValueError>();

    // The search side: results are data; ids, citations and queries can be map keys (a
    // cache of results keyed by query, a set of cited paragraphs).
    data_type::<ofsted_search::SearchResults>();
    data_type::<ofsted_search::Hit>();
    data_type::<ofsted_search::Citation>();
    data_type::<ofsted_search::FacetCounts>();
    data_type::<ofsted_search::IndexedReport>();
    key_type::<Report>();
    key_type::<Paragraph>();
    key_type::<ofsted_search::Citation>();
    key_type::<ofsted_search::Query>();
    key_type::<Summary>();
    key_type::<Format>();
    fn shared<T: Send + Sync + Clone>() {}
    shared::<ofsted_search::SearchIndex>();
}

#[test]
fn the_error_type_crosses_threads_and_boxes() {
    fn send_sync<T: Send + Sync + 'static + std::error::Error>() {}
    send_sync::<Error>();
    let err: Box<dyn std::error::Error + Send + Sync> =
        Box::new(Error::from("x".parse::<Grade>().unwrap_err()));
    let handle = std::thread::spawn(move || err.to_string());
    assert!(handle.join().unwrap().contains("'x'"));
}

#[test]
fn error_messages_name_their_input_and_do_not_end_in_punctuation() {
    let ingester = ofsted_search::ingest::Ingester::new();
    let errors = [
        ingester.ingest_file("corpus/no-such-file.txt").unwrap_err(),
        ingester.ingest_file("corpus").unwrap_err(),
        ingester.ingest_bytes(b"", "empty.txt").unwrap_err(),
        ingester
            .ingest_bytes(b"\x00\x01\x02binary", "blob.bin")
            .unwrap_err(),
    ];
    for (err, name) in errors
        .iter()
        .zip(["no-such-file.txt", "corpus", "empty.txt", "blob.bin"])
    {
        let message = err.to_string();
        assert!(message.contains(name), "{message}");
        assert!(!message.ends_with('.'), "{message}");
    }
}

#[test]
fn the_theme_taxonomy_round_trips_through_its_text_form() {
    use ofsted_search::ingest::Taxonomy;
    let taxonomy = Taxonomy::default();
    assert!(!taxonomy.themes().is_empty());
    let back = Taxonomy::from_toml_str(&taxonomy.to_toml(), "round-trip.toml").unwrap();
    assert_eq!(back.themes(), taxonomy.themes());
    assert_eq!(back.threshold(), taxonomy.threshold());
    // Both taxonomies tag alike, so the text form loses nothing that matters.
    let text = "Return home interviews for children who go missing are not always completed.";
    assert_eq!(back.tag(text, ""), taxonomy.tag(text, ""));
}

/// ARCHITECTURE.md describes every public module: a module added without a paragraph there
/// fails here.
#[test]
fn architecture_names_every_module() {
    let architecture = std::fs::read_to_string("ARCHITECTURE.md").unwrap();
    for file in ["src/lib.rs", "src/ingest/mod.rs"] {
        let source = std::fs::read_to_string(file).unwrap();
        let modules: Vec<&str> = source
            .lines()
            .filter_map(|l| l.strip_prefix("pub mod ")?.strip_suffix(';'))
            .collect();
        assert!(!modules.is_empty(), "{file}");
        for module in modules {
            let named = architecture.contains(&format!("`{module}`"))
                || architecture.contains(&format!("::{module}`"));
            assert!(
                named,
                "ARCHITECTURE.md does not describe module `{module}` of {file}"
            );
        }
    }
}
