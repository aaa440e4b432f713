//! A one-line text progress bar on stderr for the examples' long ingests, drawn only when
//! stderr is a terminal (so logs and pipes get plain lines). Shared by `#[path]` inclusion.

use std::cell::Cell;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use ofsted_search::ingest::Progress;

/// Redraw at most this often, so that a fast batch spends its time ingesting, not drawing.
const REDRAW: Duration = Duration::from_millis(80);
const WIDTH: usize = 30;

/// Draws [`Progress`] events as `[=====>    ]  42%  3/7 files  name.txt`, and prints each
/// report's warnings and skipped files above the bar.
///
/// Its methods take `&self` (the state is in `Cell`s), so the progress callback and a batch's
/// sink can both print through one bar.
pub struct ProgressBar {
    terminal: bool,
    files: Cell<usize>,
    bytes: Cell<u64>,
    last: Cell<Option<Instant>>,
}

impl ProgressBar {
    /// A bar on stderr; it draws nothing unless stderr is a terminal.
    pub fn stderr() -> ProgressBar {
        ProgressBar {
            terminal: std::io::stderr().is_terminal(),
            files: Cell::new(0),
            bytes: Cell::new(0),
            last: Cell::new(None),
        }
    }

    /// Handles one event of a batch.
    pub fn update(&self, event: &Progress<'_>) {
        match event {
            Progress::Started { files, bytes } => {
                self.files.set(*files);
                self.bytes.set(*bytes);
            }
            Progress::ReportDone {
                path,
                report,
                files_done,
                bytes_done,
            } => {
                for w in &report.warnings {
                    self.message(&format!("warning: {w}"));
                }
                let name = path.file_name().map(|n| n.to_string_lossy());
                self.draw(*files_done, *bytes_done, name.as_deref().unwrap_or(""));
            }
            Progress::Skipped {
                error,
                files_done,
                bytes_done,
                ..
            } => {
                self.message(&format!("skipped: {error}"));
                self.draw(*files_done, *bytes_done, "");
            }
            Progress::Finished(_) => self.clear(),
            // `Progress` may gain events; a bar can ignore what it does not know.
            _ => {}
        }
    }

    /// Prints a line above the bar (or simply a line, without a terminal).
    pub fn message(&self, line: &str) {
        self.clear();
        eprintln!("{line}");
        self.last.set(None);
    }

    fn clear(&self) {
        if self.terminal {
            eprint!("\r\x1b[2K");
        }
    }

    fn draw(&self, files_done: usize, bytes_done: u64, name: &str) {
        let now = Instant::now();
        let (files, bytes) = (self.files.get(), self.bytes.get());
        let last_file = files_done == files;
        let recent = self.last.get().is_some_and(|t| now - t < REDRAW);
        if !self.terminal || (!last_file && recent) {
            return;
        }
        self.last.set(Some(now));
        let fraction = if bytes == 0 {
            files_done as f64 / files.max(1) as f64
        } else {
            bytes_done as f64 / bytes as f64
        };
        let filled = ((fraction * WIDTH as f64) as usize).min(WIDTH);
        let bar: String = (0..WIDTH)
            .map(|i| match i.cmp(&filled) {
                std::cmp::Ordering::Less => '=',
                std::cmp::Ordering::Equal => '>',
                std::cmp::Ordering::Greater => ' ',
            })
            .collect();
        // Keep the line short enough for an 80-column terminal, so it never wraps.
        let name: String = if name.chars().count() > 24 {
            name.chars().take(23).chain(['…']).collect()
        } else {
            name.to_string()
        };
        eprint!(
            "\r\x1b[2K[{bar}] {:>3}%  {files_done}/{} files  {name}",
            (fraction * 100.0).round() as u32,
            files
        );
        let _ = std::io::stderr().flush();
    }
}
