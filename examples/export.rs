//! Exports the paragraphs of Ofsted report files as NDJSON for bulk loading into Quickwit or
//! Elasticsearch/OpenSearch.
//!
//! ```text
//! cargo run --example export -- --format quickwit corpus/*.txt > paragraphs.ndjson
//! cargo run --example export -- --format elasticsearch --index ofsted-paragraphs corpus/*.txt > bulk.ndjson
//! ```
//!
//! Each paragraph becomes one JSON document carrying its report's metadata (see
//! `ofsted_search::export`); with `--format elasticsearch` each document is preceded by an
//! `index` action whose `_id` is the paragraph id, so loading the file twice replaces rather
//! than duplicates. `--index NAME` sets the action's `_index` (default `ofsted-paragraphs`;
//! `--index ''` leaves it out). `--manifest FILE` supplies metadata a text does not state.
//! The documents go to stdout; warnings, a progress bar (when stderr is a terminal) and a
//! summary go to stderr. The README shows how to
//! create the index and load the file in each engine.

use std::io::Write;
use std::process::ExitCode;

use ofsted_search::export::{self, Format};
use ofsted_search::ingest::manifest::Manifest;
use ofsted_search::ingest::{Batch, Ingester};
use ofsted_search::Error;

#[path = "support/progress_bar.rs"]
mod progress_bar;
use progress_bar::ProgressBar;

const USAGE: &str =
    "usage: export --format quickwit|elasticsearch [--index NAME] [--manifest FILE] FILE...";

fn main() -> ExitCode {
    let mut format = None;
    let mut index = Some(export::DEFAULT_INDEX.to_string());
    let mut manifest = None;
    let mut files = Vec::new();
    // `args_os`, because `args` panics on an argument that is not Unicode.
    let mut args = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.into_string() {
            Ok(arg) => args.push(arg),
            Err(arg) => {
                eprintln!(
                    "export: argument '{}' is not valid Unicode; give paths as UTF-8",
                    arg.to_string_lossy()
                );
                return ExitCode::from(2);
            }
        }
    }
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" | "--index" | "--manifest" => {
                let Some(value) = args.next() else {
                    eprintln!("export: {arg} needs a value; {USAGE}");
                    return ExitCode::from(2);
                };
                match arg.as_str() {
                    "--format" => format = Some(value),
                    "--index" => index = (!value.is_empty()).then_some(value),
                    _ => manifest = Some(value),
                }
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if arg.starts_with("--") => {
                eprintln!("export: unknown option {arg}; {USAGE}");
                return ExitCode::from(2);
            }
            _ => files.push(arg),
        }
    }
    let format = match format.as_deref() {
        Some("quickwit") => Format::Quickwit,
        Some("elasticsearch") | Some("opensearch") => Format::Elasticsearch { index },
        Some(other) => {
            eprintln!("export: unknown format '{other}'; {USAGE}");
            return ExitCode::from(2);
        }
        None => {
            eprintln!("export: --format is required; {USAGE}");
            return ExitCode::from(2);
        }
    };
    if files.is_empty() {
        eprintln!("export: no input files; {USAGE}");
        return ExitCode::from(2);
    }
    match run(&files, &format, manifest.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`export … | head`) is the reader's choice, not a failure.
            let kind = match e.downcast_ref::<Error>() {
                Some(Error::Io { source, .. }) => Some(source.kind()),
                _ => e.downcast_ref::<std::io::Error>().map(std::io::Error::kind),
            };
            if kind == Some(std::io::ErrorKind::BrokenPipe) {
                return ExitCode::SUCCESS;
            }
            eprintln!("export: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(
    files: &[String],
    format: &Format,
    manifest: Option<&str>,
) -> Result<(), Box<dyn std::error::Error>> {
    let ingester = Ingester::new();
    let manifest = match manifest {
        Some(path) => Manifest::from_path(path)?,
        None => Manifest::default(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let bar = ProgressBar::stderr();
    // The batch hands over one report at a time, so a large collection is never held in
    // memory at once.
    let summary = Batch::new(&ingester)
        .manifest(&manifest)
        .run_with_progress(
            files,
            |event| bar.update(event),
            |_path, parsed| {
                export::write_ndjson(&mut out, std::slice::from_ref(parsed), format).map_err(
                    |source| Error::Io {
                        path: "<stdout>".into(),
                        action: "cannot write export",
                        source,
                    },
                )?;
                Ok(())
            },
        )?;
    out.flush()?;
    eprintln!("export: {summary}");
    Ok(())
}
