//! Measures how faithfully the crate reads real archive reports (issue 11), against ground
//! truth derived from the raw text and the sample's `INDEX.csv`; see FIDELITY.md.
//!
//! ```text
//! cargo run --release --example fidelity                # the archive sample, or corpus/
//! cargo run --release --example fidelity -- DIR         # DIR/INDEX.csv and DIR[/text]/NAME.txt
//! cargo run --release --example fidelity -- --worst 50  # more reports in the listing
//! cargo run --release --example fidelity -- --examples 1000  # every lost line of each
//! ```
//!
//! Prints the per-kind table (Markdown), then the worst reports with examples of lost lines,
//! wrong numbers, foreign text and wrong metadata. Without DIR the sample is found as the test
//! finds it: `$OFSTED_ARCHIVE_SAMPLE`, `../shared/archive-sample`, else `corpus/`.

#[path = "../tests/archive/fidelity.rs"]
mod fidelity;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut dir = None;
    let mut worst = 15usize;
    let mut examples = fidelity::EXAMPLES_PER_REPORT;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str().unwrap_or_default() {
            "--worst" => match args.next().and_then(|n| n.to_str()?.parse().ok()) {
                Some(n) => worst = n,
                None => {
                    eprintln!("fidelity: --worst needs a number");
                    return ExitCode::from(2);
                }
            },
            "--examples" => match args.next().and_then(|n| n.to_str()?.parse().ok()) {
                Some(n) => examples = n,
                None => {
                    eprintln!("fidelity: --examples needs a number");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("usage: fidelity [--worst N] [--examples N] [DIR]");
                return ExitCode::SUCCESS;
            }
            option if option.starts_with("--") => {
                eprintln!("fidelity: unknown option {option}; usage: fidelity [--worst N] [--examples N] [DIR]");
                return ExitCode::from(2);
            }
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let sample = match &dir {
        Some(dir) => fidelity::load(dir, &format!("{}", dir.display())),
        None => fidelity::locate(),
    };
    let sample = match sample {
        Ok(s) => s,
        Err(e) => {
            eprintln!("fidelity: {e}");
            return ExitCode::FAILURE;
        }
    };
    let measured = fidelity::measure(&sample);
    let text = format!(
        "{}\n# Worst reports\n\n{}",
        measured.table(),
        measured.details(worst, examples)
    );
    // A closed pipe (`fidelity | head`) is the reader's choice, not a failure.
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("fidelity: {e}");
            ExitCode::FAILURE
        }
        _ => ExitCode::SUCCESS,
    }
}
