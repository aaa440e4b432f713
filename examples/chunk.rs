//! Reads Ofsted report files and prints their cited paragraphs as JSON Lines.
//!
//! ```text
//! cargo run --release --example chunk -- corpus/sheffield-2014-inspection.txt
//! cargo run --release --example chunk -- --reports corpus/*.txt
//! cargo run --release --example chunk -- corpus/*.pdf corpus/*.txt    # PDFs and text, mixed
//! ```
//!
//! Without `--reports`, one JSON object per paragraph: `id, report_id, authority, year, number,
//! ordinal, section, area, grade, themes, text, citation, page, context`. With `--reports`,
//! one object per report: `report_id, authority, kind, framework, title, inspection_start,
//! inspection_end, published, year, overall_grade, judgements`. `--manifest FILE` (TOML or JSON, see
//! `ofsted_search::ingest::manifest`) supplies metadata a text does not state. Warnings go to
//! stderr. A file that cannot be read (missing,
//! a directory, empty, binary, a damaged or encrypted PDF) stops the run with a message naming it and a non-zero exit.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ofsted_search::ingest::manifest::Manifest;
use ofsted_search::ingest::Ingester;
use ofsted_search::{Area, Date, Framework, Grade, ReportKind};
use serde::Serialize;

fn main() -> ExitCode {
    let mut reports = false;
    let mut files = Vec::new();
    let mut manifest = None;
    // `args_os`: file names need not be Unicode (`args` would panic on them).
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str().unwrap_or_default() {
            "--reports" => reports = true,
            "--manifest" => match args.next() {
                Some(path) => manifest = Some(PathBuf::from(path)),
                None => {
                    eprintln!("chunk: --manifest needs a file");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("usage: chunk [--reports] [--manifest FILE] FILE...");
                return ExitCode::SUCCESS;
            }
            option if option.starts_with("--") => {
                eprintln!("chunk: unknown option {option}; usage: chunk [--reports] [--manifest FILE] FILE...");
                return ExitCode::from(2);
            }
            _ => files.push(PathBuf::from(arg)),
        }
    }
    if files.is_empty() {
        eprintln!("chunk: no input files; usage: chunk [--reports] [--manifest FILE] FILE...");
        return ExitCode::from(2);
    }
    match run(&files, reports, manifest.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`chunk … | head`) is the reader's choice, not a failure.
            let kind = e
                .downcast_ref::<std::io::Error>()
                .map(std::io::Error::kind)
                .or_else(|| e.downcast_ref::<serde_json::Error>()?.io_error_kind());
            if kind == Some(std::io::ErrorKind::BrokenPipe) {
                return ExitCode::SUCCESS;
            }
            eprintln!("chunk: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(
    files: &[PathBuf],
    reports: bool,
    manifest: Option<&Path>,
) -> Result<(), Box<dyn std::error::Error>> {
    let ingester = Ingester::new();
    let manifest = match manifest {
        Some(path) => Manifest::from_path(path)?,
        None => Manifest::default(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for file in files {
        let parsed = ingester.ingest_file_with(file, &manifest.overrides_for(file))?;
        for w in &parsed.warnings {
            eprintln!("warning: {w}");
        }
        if reports {
            let r = &parsed.report;
            let row = ReportRow {
                report_id: &r.report_id,
                authority: &r.authority,
                kind: r.kind,
                framework: r.framework,
                title: r.title.as_deref(),
                inspection_start: r.inspection_start,
                inspection_end: r.inspection_end,
                published: r.published,
                year: r.year,
                overall_grade: r.overall_grade,
                judgements: &r.judgements,
            };
            serde_json::to_writer(&mut out, &row)?;
            writeln!(out)?;
        } else {
            for p in &parsed.paragraphs {
                let row = ParagraphRow {
                    id: &p.id,
                    report_id: &p.report_id,
                    authority: &p.authority,
                    year: p.year,
                    number: p.number,
                    ordinal: p.ordinal,
                    section: &p.section,
                    area: p.area,
                    grade: p.grade,
                    themes: &p.themes,
                    text: &p.text,
                    citation: &p.citation,
                    page: p.page,
                    context: p.context,
                };
                serde_json::to_writer(&mut out, &row)?;
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// One paragraph, with the fields in the documented order.
#[derive(Serialize)]
struct ParagraphRow<'a> {
    id: &'a str,
    report_id: &'a str,
    authority: &'a str,
    year: Option<u16>,
    number: Option<u32>,
    ordinal: u32,
    section: &'a str,
    area: Option<Area>,
    grade: Option<Grade>,
    themes: &'a [String],
    text: &'a str,
    citation: &'a str,
    page: Option<u32>,
    context: bool,
}

/// One report's metadata, with the fields in the documented order.
#[derive(Serialize)]
struct ReportRow<'a> {
    report_id: &'a str,
    authority: &'a str,
    kind: ReportKind,
    framework: Option<Framework>,
    title: Option<&'a str>,
    inspection_start: Option<Date>,
    inspection_end: Option<Date>,
    published: Option<Date>,
    year: Option<u16>,
    overall_grade: Option<Grade>,
    judgements: &'a BTreeMap<Area, Grade>,
}
