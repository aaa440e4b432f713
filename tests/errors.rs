//! Every error names what failed and says what to do: the file (and line) for input, the
//! position for a query, the directory for an index. Each case provokes the error through the
//! public API, then checks the message's location and advice.

use ofsted_search::ingest::manifest::Manifest;
use ofsted_search::ingest::Ingester;
use ofsted_search::{Error, Grade};

/// Asserts that `msg` contains every one of `parts`.
fn says(msg: &str, parts: &[&str]) {
    for part in parts {
        assert!(msg.contains(part), "{msg:?} does not contain {part:?}");
    }
}

#[test]
fn input_errors_name_the_file_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let ingester = Ingester::new();

    let missing = dir.path().join("missing.txt");
    let err = ingester.ingest_file(&missing).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    says(
        &err.to_string(),
        &[&missing.display().to_string(), "cannot read report"],
    );

    let err = ingester.ingest_file(dir.path()).unwrap_err();
    assert!(matches!(err, Error::IsDirectory { .. }), "{err:?}");
    says(
        &err.to_string(),
        &[
            &dir.path().display().to_string(),
            "pass the files inside it",
        ],
    );

    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n  \n").unwrap();
    let err = ingester.ingest_file(&empty).unwrap_err();
    assert!(matches!(err, Error::EmptyInput { .. }), "{err:?}");
    says(
        &err.to_string(),
        &[&empty.display().to_string(), "give the text"],
    );

    let binary = dir.path().join("binary.txt");
    std::fs::write(&binary, b"Some Council\n\nText\0\x01\x02").unwrap();
    let err = ingester.ingest_file(&binary).unwrap_err();
    assert!(matches!(err, Error::BinaryInput { line: 3, .. }), "{err:?}");
    says(
        &err.to_string(),
        &[
            &format!("{}:3:", binary.display()),
            "convert the report to text first",
        ],
    );

    let pdf = dir.path().join("report.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n").unwrap();
    let err = ingester.ingest_file(&pdf).unwrap_err();
    says(&err.to_string(), &[&format!("{}:1:", pdf.display()), "PDF"]);
}

#[test]
fn warnings_name_the_file_and_line() {
    let parsed = Ingester::new()
        .ingest_bytes(b"Some Council\n\n1. Children\x92s care.\n", "w.txt")
        .unwrap();
    let w = parsed
        .warnings
        .iter()
        .find(|w| w.message.contains("Windows-1252"))
        .expect("a decoding warning");
    assert_eq!(w.to_string().split(": ").next(), Some("w.txt:3"));
}

#[test]
fn manifest_errors_name_the_file_and_line() {
    let err =
        Manifest::from_toml_str("[reports.\"a.txt\"]\n\nyear = \"soon\"\n", "m.toml").unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    says(&err.to_string(), &["m.toml: line 3"]);

    let err = Manifest::from_json_str("{\"reports\": {\"a.txt\": {\"year\": []}}}", "m.json")
        .unwrap_err();
    says(&err.to_string(), &["m.json: line 1, column"]);

    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("m.toml");
    let err = Manifest::from_path(&missing).unwrap_err();
    says(
        &err.to_string(),
        &[&missing.display().to_string(), "cannot read manifest"],
    );
}

#[test]
fn value_errors_list_what_is_expected() {
    let err = "great".parse::<Grade>().unwrap_err();
    says(&err.to_string(), &["'great'", "expected one of", "good"]);
}
