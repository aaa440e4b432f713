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

    // PDFs are read (src/ingest/pdf.rs); a truncated one is an error naming the file.
    let pdf = dir.path().join("report.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n").unwrap();
    let err = ingester.ingest_file(&pdf).unwrap_err();
    assert!(matches!(err, Error::PdfUnreadable { .. }), "{err:?}");
    says(
        &err.to_string(),
        &[&format!("{}:", pdf.display()), "PDF", "download it again"],
    );
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

fn small_index(dir: &std::path::Path) {
    let parsed = Ingester::new()
        .ingest_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/sheffield-2018-focused-visit-news.txt"
        ))
        .unwrap();
    let index = ofsted_search::SearchIndex::open_or_create(dir).unwrap();
    let mut writer = index.writer().unwrap();
    writer.add_report(&parsed).unwrap();
    writer.commit().unwrap();
}

#[test]
fn index_errors_name_the_directory_and_what_to_do() {
    use ofsted_search::SearchIndex;
    let dir = tempfile::tempdir().unwrap();

    let missing = dir.path().join("missing");
    let err = SearchIndex::open(&missing).unwrap_err();
    says(&err.to_string(), &[&missing.display().to_string()]);

    // A directory holding something else.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "not an index").unwrap();
    for err in [
        SearchIndex::open(&other).unwrap_err(),
        SearchIndex::open_or_create(&other).unwrap_err(),
    ] {
        says(
            &err.to_string(),
            &[
                &other.display().to_string(),
                "choose a new or empty directory",
            ],
        );
    }

    // A file where the directory should be.
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let err = SearchIndex::open_or_create(&file).unwrap_err();
    says(&err.to_string(), &[&file.display().to_string()]);

    // A locked index.
    let locked = dir.path().join("locked");
    small_index(&locked);
    let index = SearchIndex::open(&locked).unwrap();
    let _writer = index.writer().unwrap();
    let err = SearchIndex::open(&locked).unwrap().writer().unwrap_err();
    says(
        &err.to_string(),
        &[
            &locked.display().to_string(),
            "locked by another writer",
            "wait",
        ],
    );

    // An unknown paragraph id.
    let err = index.paragraph("no/such/id").unwrap_err();
    says(&err.to_string(), &["'no/such/id'"]);
}

/// Damaged index files: opening or searching gives an error naming the directory (or
/// succeeds, when the damage is in a part not read), never a panic.
#[test]
fn damaged_index_files_give_errors_not_panics() {
    use ofsted_search::{Query, SearchIndex};
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template");
    small_index(&template);
    let files: Vec<_> = std::fs::read_dir(&template)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| !n.to_string_lossy().starts_with(".tantivy"))
        .collect();
    assert!(files.len() > 3, "{files:?}");
    for (i, name) in files.iter().enumerate() {
        // One byte flipped at a quarter, the middle and three quarters: where a byte lands
        // (compressed data, a block index, an offset) depends on the file's layout, which
        // varies from build to build (a flipped store byte once made tantivy panic while a
        // stored document was read, in CI only).
        for (how, damage) in [
            ("truncated", 0usize),
            ("garbled", 1),
            ("one byte", 2),
            ("one byte at a quarter", 4),
            ("one byte at three quarters", 3),
        ] {
            let copy = dir.path().join(format!("copy-{i}-{how}"));
            std::fs::create_dir(&copy).unwrap();
            for entry in std::fs::read_dir(&template).unwrap() {
                let entry = entry.unwrap();
                std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
            }
            let target = copy.join(name);
            let bytes = std::fs::read(&target).unwrap();
            let damaged: Vec<u8> = match damage {
                0 => bytes[..bytes.len() / 2].to_vec(),
                1 => bytes.iter().map(|b| b ^ 0x5a).collect(),
                // One byte in the middle: footers and checks at the ends stay intact.
                at => {
                    let mut b = bytes.clone();
                    if !b.is_empty() {
                        let i = match at {
                            2 => b.len() / 2,
                            3 => b.len() * 3 / 4,
                            _ => b.len() / 4,
                        };
                        b[i] ^= 0xff;
                    }
                    b
                }
            };
            std::fs::write(&target, damaged).unwrap();
            let shown = copy.display().to_string();
            let result = std::panic::catch_unwind(|| {
                let index = SearchIndex::open(&copy)?;
                index.search(&Query::new("children"))?;
                index.reports()
            });
            match result {
                Err(_) => panic!("{how} {name:?}: panicked"),
                Ok(Err(e)) => {
                    let msg = e.to_string();
                    says(&msg, &[&shown]);
                    // Damage is named with what to do about it.
                    assert!(
                        msg.contains("rebuild") || msg.contains("cannot read"),
                        "{msg}"
                    );
                }
                Ok(Ok(_)) => {}
            }
        }
    }
}

#[test]
fn query_errors_give_the_position_and_the_query() {
    use ofsted_search::{Query, SearchIndex};
    let index = SearchIndex::create_in_ram().unwrap();
    let err = index.search(&Query::new("children AND")).unwrap_err();
    match &err {
        Error::Query(q) => assert_eq!(q.position, 9),
        e => panic!("{e:?}"),
    }
    says(
        &err.to_string(),
        &["at character 9", "\"children AND\"", "AND"],
    );
}
