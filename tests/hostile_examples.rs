//! The command-line examples on hostile input: they must end with a message or with output,
//! never with a panic (exit status 101 and "panicked" on stderr), and a refused file must be
//! named in the message.
//!
//! Each example is built with the cargo running the tests, which reports the executable.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The example binary `name` of this checkout, built (or found up to date) by cargo, which
/// reports its exact path: the target directory may be shared with other checkouts, so the
/// uplifted `target/debug/examples/<name>` could belong to another one.
fn example(name: &str) -> PathBuf {
    let out = Command::new(env!("CARGO"))
        .args([
            "build",
            "--quiet",
            "--message-format=json",
            "--example",
            name,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "cargo build --example {name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] == "compiler-artifact" && msg["target"]["name"] == name {
            if let Some(exe) = msg["executable"].as_str() {
                return PathBuf::from(exe);
            }
        }
    }
    panic!("cargo did not report the {name} example's executable");
}

/// Hostile inputs: (label, file name, contents). `None` contents means a directory.
fn hostile_files(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let mut huge_line = String::from("Some Council\n\n1. ");
    huge_line.push_str(&"word ".repeat(1_000_000));
    let many_numbers: String = (1..20_000)
        .map(|n| format!("{n}. Paragraph {n} text.\n"))
        .collect();
    let cases: Vec<(&'static str, Option<Vec<u8>>)> = vec![
        ("empty", Some(Vec::new())),
        ("blank", Some(b" \n\n\t\r\n".to_vec())),
        ("nul bytes", Some(b"Some\0 Council\0\0".to_vec())),
        ("pdf", Some(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec())),
        (
            "random binary",
            Some((0..4096u32).map(|i| (i * 7919 % 251) as u8).collect()),
        ),
        ("invalid utf-8", Some(b"Some Council\n\n1. Children\x92s \xff\xfe care.\n".to_vec())),
        ("utf-16 odd length", Some(vec![0xFF, 0xFE, b'G', 0, b'o'])),
        ("huge line", Some(huge_line.into_bytes())),
        ("many numbers", Some(many_numbers.into_bytes())),
        (
            "markup debris",
            Some(
                "<<<<<<<<&&&&&;;;;$$$$\\\\\\^^^^____{{{{}}}}####**\n&#xFFFFFFFF; &#99999999; <sup><sup>\n"
                    .repeat(500)
                    .into_bytes(),
            ),
        ),
        ("huge number", Some(b"99999999999999999999. Text.\n4294967296. More.\n".to_vec())),
        ("directory", None),
    ];
    cases
        .into_iter()
        .map(|(label, contents)| {
            let path = dir.join(label.replace(' ', "-"));
            match contents {
                Some(bytes) => std::fs::write(&path, bytes).unwrap(),
                None => std::fs::create_dir(&path).unwrap(),
            }
            (label, path)
        })
        .collect()
}

fn check(name: &str, label: &str, path: &Path, out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && out.status.code() != Some(101),
        "{name} panicked on {label}: {stderr}"
    );
    assert!(out.status.code().is_some(), "{name} was killed on {label}");
    if !out.status.success() {
        // A refusal names the file and says something more than the path.
        let shown = path.display().to_string();
        assert!(
            stderr.contains(&shown),
            "{name} on {label}: message does not name {shown}: {stderr}"
        );
    }
}

#[test]
fn chunk_example_never_panics() {
    let chunk = example("chunk");
    let dir = tempfile::tempdir().unwrap();
    let files = hostile_files(dir.path());
    for (label, path) in &files {
        for args in [&[][..], &["--reports"][..]] {
            let out = Command::new(&chunk).args(args).arg(path).output().unwrap();
            check("chunk", label, path, &out);
        }
    }
    // Files that do not exist, and a manifest that is hostile too.
    let missing = dir.path().join("missing.txt");
    let out = Command::new(&chunk).arg(&missing).output().unwrap();
    check("chunk", "missing file", &missing, &out);
    assert!(!out.status.success());
    for (label, path) in &files {
        let out = Command::new(&chunk)
            .arg("--manifest")
            .arg(path)
            .arg(&files[5].1)
            .output()
            .unwrap();
        check("chunk --manifest", label, path, &out);
    }
    // Refusals are errors, with a non-zero exit.
    for label in ["empty", "nul bytes", "pdf", "directory"] {
        let (_, path) = files.iter().find(|(l, _)| *l == label).unwrap();
        let out = Command::new(&chunk).arg(path).output().unwrap();
        assert!(!out.status.success(), "chunk accepted {label}");
    }
}

/// Runs the search example with `args` on the index in `index_dir` and the corpus in
/// `corpus`; it must not panic.
fn search(exe: &Path, corpus: &Path, index_dir: &Path, args: &[&std::ffi::OsStr]) -> Output {
    let out = Command::new(exe)
        .arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index_dir)
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && out.status.code() != Some(101),
        "search panicked with {args:?}: {stderr}"
    );
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "search with {args:?}: {:?} {stderr}",
        out.status
    );
    out
}

#[test]
fn search_example_never_panics() {
    use std::ffi::OsStr;
    let exe = example("search");
    let dir = tempfile::tempdir().unwrap();
    // A corpus of one real (small) report and every hostile file.
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    // The big files are left to the chunk test: the example re-reads the corpus on every run.
    let files = hostile_files(&corpus);
    for (label, path) in &files {
        if ["huge line", "many numbers"].contains(label) {
            std::fs::remove_file(path).unwrap();
        } else if path.is_file() {
            std::fs::rename(
                path,
                corpus.join(format!("{}.txt", label.replace(' ', "-"))),
            )
            .unwrap();
        }
    }
    std::fs::create_dir(corpus.join("a-directory.txt")).unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/sheffield-2018-focused-visit-news.txt"
        ),
        corpus.join("news.txt"),
    )
    .unwrap();
    let index = dir.path().join("index");
    let out = search(&exe, &corpus, &index, &[OsStr::new("children")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // One argument may hold at most 128 kB on Linux.
    let deep = format!("{}children{}", "(".repeat(30_000), ")".repeat(30_000));
    let words = "children ".repeat(5000);
    let hostile_args: Vec<Vec<&str>> = vec![
        vec![&deep],
        vec!["--lenient", &deep],
        vec![&words],
        vec!["--lenient", "--any", &words],
        vec!["\"unterminated"],
        vec!["--lenient", "\"unterminated ((( AND OR NOT -"],
        vec![
            "--limit",
            "18446744073709551615",
            "--offset",
            "18446744073709551614",
            "x",
        ],
        vec!["--limit", "99999999999999999999999"],
        vec!["--offset", "-1"],
        vec!["--year", "9999..0"],
        vec!["--year", "2014..2016..2018"],
        vec!["--grade", "great"],
        vec!["--authority", ""],
        vec!["--theme", "\u{1}\u{7f}"],
        vec!["--similar", "no/such/paragraph"],
        vec!["--similar", ""],
        vec!["--similar", "x", "words"],
        vec!["--json", "--limit", "0", "--", "--not-an-option"],
        vec!["--unknown"],
        vec!["--index"],
        vec!["\u{feff}\u{200b}\u{fffd}\u{1F600}"],
    ];
    for args in &hostile_args {
        let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        search(&exe, &corpus, &index, &args);
    }

    // An index path that is a file, or a directory holding something else.
    let not_dir = dir.path().join("file");
    std::fs::write(&not_dir, "x").unwrap();
    let out = search(&exe, &corpus, &not_dir, &[OsStr::new("x")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(&not_dir.display().to_string()));
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("meta.json"), "{ not json").unwrap();
    let out = search(&exe, &corpus, &other, &[OsStr::new("x")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(&other.display().to_string()));
}

/// Arguments that are not valid Unicode (file names on Linux can be any bytes).
#[cfg(unix)]
#[test]
fn examples_take_non_unicode_arguments_without_panicking() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let bad = OsStr::from_bytes(b"report-\xff.txt");
    let path = dir.path().join(bad);
    std::fs::write(&path, "Some Council\n\n1. Children are seen.\n").unwrap();
    let out = Command::new(example("chunk")).arg(&path).output().unwrap();
    check("chunk", "non-Unicode path", &path, &out);
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    search(
        &example("search"),
        &corpus,
        &dir.path().join("index"),
        &[OsStr::from_bytes(b"query-\xff")],
    );
}
