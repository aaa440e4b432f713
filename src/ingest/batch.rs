//! Ingesting many report files, with progress events and a summary at the end.
//!
//! A [`Batch`] reads files one at a time and hands each [`ParsedReport`], with the path it was
//! read from, to a sink (an index writer, an exporter, a `Vec`), so a long ingest never holds
//! the whole collection in memory.
//! A progress callback sees a [`Progress`] event when the batch starts (how many files and
//! bytes), after each report (and each skipped file), and when it finishes (the [`Summary`]).
//!
//! ```
//! use ofsted_search::ingest::{Batch, Ingester, Progress};
//!
//! let files = ["corpus/sheffield-2014-inspection.txt", "corpus/staffordshire-2014-inspection.txt"];
//! let ingester = Ingester::new();
//! let mut ids = Vec::new();
//! let mut events = 0;
//! let summary = Batch::new(&ingester).run_with_progress(
//!     &files,
//!     |event| {
//!         if let Progress::ReportDone { files_done, .. } = event {
//!             events += 1;
//!             assert_eq!(*files_done, events);
//!         }
//!     },
//!     |_path, parsed| {
//!         ids.push(parsed.report.report_id.clone());
//!         Ok(())
//!     },
//! )?;
//! assert_eq!(summary.reports, 2);
//! assert_eq!(ids.len(), 2);
//! assert!(summary.paragraphs > 200);
//! println!("{summary}"); // "2 reports, … paragraphs, … warnings from 2 files (… MB in … s)"
//! # Ok::<(), ofsted_search::Error>(())
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::manifest::Manifest;
use super::{Ingester, ParsedReport};
use crate::error::Result;

/// Ingests many report files in order, reporting progress.
///
/// By default, there is no manifest and the first file that cannot be ingested stops the
/// batch with its error.
#[derive(Debug, Clone)]
pub struct Batch<'a> {
    ingester: &'a Ingester,
    manifest: Option<&'a Manifest>,
    skip_errors: bool,
}

/// Something that happened during a [`Batch`], in the order it happened.
///
/// `Started` comes first and `Finished` last, exactly once each, when the batch runs to its
/// end; a batch stopped by an error emits no `Finished`. Counters count from the start of the
/// batch and include the file the event is about.
#[derive(Debug)]
#[non_exhaustive]
pub enum Progress<'a> {
    /// The batch is about to read its first file.
    Started {
        /// How many files the batch will read.
        files: usize,
        /// Their total size in bytes, as the file system reports it before reading. A file
        /// whose size cannot be read counts as 0 here and fails when it is read.
        bytes: u64,
    },
    /// A file was ingested and its report accepted by the sink.
    ReportDone {
        /// The file.
        path: &'a Path,
        /// The report read from it, with its paragraphs and warnings.
        report: &'a ParsedReport,
        /// Files finished so far (ingested or skipped), including this one.
        files_done: usize,
        /// Bytes of the files finished so far.
        bytes_done: u64,
    },
    /// A file could not be ingested and was skipped (only with [`Batch::skip_errors`]).
    Skipped {
        /// The file.
        path: &'a Path,
        /// Why it could not be ingested.
        error: &'a crate::Error,
        /// Files finished so far (ingested or skipped), including this one.
        files_done: usize,
        /// Bytes of the files finished so far.
        bytes_done: u64,
    },
    /// The batch has read every file.
    Finished(&'a Summary),
}

/// What a [`Batch`] did.
///
/// It serialises with serde; `elapsed` as `{"secs": …, "nanos": …}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Summary {
    /// Files the batch was given.
    pub files: usize,
    /// Reports ingested and accepted by the sink.
    pub reports: usize,
    /// Paragraphs in those reports.
    pub paragraphs: usize,
    /// Warnings in those reports (see [`ParsedReport::warnings`]).
    pub warnings: usize,
    /// Bytes read from the files ingested.
    pub bytes: u64,
    /// Files skipped because they could not be ingested, with the reason.
    pub skipped: Vec<Skipped>,
    /// Wall-clock time from the start of the batch to its end.
    pub elapsed: Duration,
}

/// A file a [`Batch`] skipped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// The error's message (it names the file and says what to do).
    pub message: String,
}

impl fmt::Display for Summary {
    /// One line: `5 reports, 697 paragraphs, 2 warnings from 5 files (1.3 MB in 0.41 s)`,
    /// with `, 1 skipped` after the file count when files were skipped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "{}, {}, {} from {}",
            plural(self.reports, "report", "reports"),
            plural(self.paragraphs, "paragraph", "paragraphs"),
            plural(self.warnings, "warning", "warnings"),
            plural(self.files, "file", "files"),
        )?;
        if !self.skipped.is_empty() {
            write!(f, ", {} skipped", self.skipped.len())?;
        }
        write!(
            f,
            " ({:.1} MB in {:.2} s)",
            self.bytes as f64 / 1e6,
            self.elapsed.as_secs_f64()
        )
    }
}

/// The report files directly inside `dir`, sorted by path: `.txt` files and (with the `pdf`
/// feature) `.pdf` files, so that one folder can mix the two. Extensions match in any case;
/// other entries are left out. An entry with such a name that is not a file (a directory
/// `x.txt`) is listed, so that the batch reports it rather than passing over it silently.
///
/// ```
/// use ofsted_search::ingest::batch::report_files;
/// let files = report_files("corpus")?;
/// assert!(files.iter().any(|p| p.extension().is_some_and(|e| e == "txt")));
/// # #[cfg(feature = "pdf")]
/// assert!(files.iter().any(|p| p.extension().is_some_and(|e| e == "pdf")));
/// # Ok::<(), ofsted_search::Error>(())
/// ```
///
/// # Errors
///
/// [`crate::Error::Io`] naming `dir` when it cannot be listed.
pub fn report_files(dir: impl AsRef<Path>) -> Result<Vec<PathBuf>> {
    let dir = dir.as_ref();
    let io = |source| crate::Error::Io {
        path: dir.to_path_buf(),
        action: "cannot list report files",
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let wanted = ext.as_deref() == Some("txt")
            || (cfg!(feature = "pdf") && ext.as_deref() == Some("pdf"));
        if wanted {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

impl<'a> Batch<'a> {
    /// A batch that ingests with `ingester`.
    pub fn new(ingester: &'a Ingester) -> Batch<'a> {
        Batch {
            ingester,
            manifest: None,
            skip_errors: false,
        }
    }

    /// Complete each report's metadata from `manifest` (matched by file name). By default,
    /// there is no manifest.
    pub fn manifest(&mut self, manifest: &'a Manifest) -> &mut Batch<'a> {
        self.manifest = Some(manifest);
        self
    }

    /// When enabled, a file that cannot be ingested (missing, empty, binary, too large) is
    /// skipped, reported as [`Progress::Skipped`] and listed in [`Summary::skipped`], and the
    /// batch goes on. Errors from the sink always stop the batch. By default, this is
    /// disabled: the first such file stops the batch with its error.
    pub fn skip_errors(&mut self, yes: bool) -> &mut Batch<'a> {
        self.skip_errors = yes;
        self
    }

    /// Ingests `paths` in order, giving each report and the path it was read from to `sink`.
    ///
    /// # Errors
    ///
    /// The first ingestion error (unless [`Batch::skip_errors`] is enabled), naming its
    /// file, or the first error returned by `sink`. Reports before it have been given to the
    /// sink.
    pub fn run<P, S>(&self, paths: &[P], sink: S) -> Result<Summary>
    where
        P: AsRef<Path>,
        S: FnMut(&Path, &ParsedReport) -> Result<()>,
    {
        self.run_with_progress(paths, |_| {}, sink)
    }

    /// Like [`Batch::run`], calling `progress` with each [`Progress`] event.
    ///
    /// # Errors
    ///
    /// As [`Batch::run`].
    pub fn run_with_progress<P, F, S>(
        &self,
        paths: &[P],
        mut progress: F,
        mut sink: S,
    ) -> Result<Summary>
    where
        P: AsRef<Path>,
        F: FnMut(&Progress<'_>),
        S: FnMut(&Path, &ParsedReport) -> Result<()>,
    {
        let start = Instant::now();
        // Sizes are read up front so that progress can be shown in bytes, which tracks time
        // better than a file count when report sizes vary tenfold.
        let sizes: Vec<u64> = paths
            .iter()
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .collect();
        progress(&Progress::Started {
            files: paths.len(),
            bytes: sizes.iter().sum(),
        });
        let mut summary = Summary {
            files: paths.len(),
            ..Summary::default()
        };
        let mut bytes_done = 0;
        for (i, (path, &size)) in paths.iter().zip(&sizes).enumerate() {
            let path = path.as_ref();
            bytes_done += size;
            let overrides = self
                .manifest
                .map(|m| m.overrides_for(path))
                .unwrap_or_default();
            match self.ingester.ingest_file_with(path, &overrides) {
                Ok(parsed) => {
                    sink(path, &parsed)?;
                    summary.reports += 1;
                    summary.paragraphs += parsed.paragraphs.len();
                    summary.warnings += parsed.warnings.len();
                    summary.bytes += size;
                    progress(&Progress::ReportDone {
                        path,
                        report: &parsed,
                        files_done: i + 1,
                        bytes_done,
                    });
                }
                Err(error) if self.skip_errors => {
                    progress(&Progress::Skipped {
                        path,
                        error: &error,
                        files_done: i + 1,
                        bytes_done,
                    });
                    summary.skipped.push(Skipped {
                        path: path.to_path_buf(),
                        message: error.to_string(),
                    });
                }
                Err(error) => return Err(error),
            }
        }
        summary.elapsed = start.elapsed();
        progress(&Progress::Finished(&summary));
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    const REPORT: &str = "Some Council\n\n1. Children are seen.\n\n2. Plans are reviewed.\n";

    fn files(dir: &Path) -> Vec<PathBuf> {
        let good = dir.join("a.txt");
        std::fs::write(&good, REPORT).unwrap();
        let empty = dir.join("empty.txt");
        std::fs::write(&empty, "").unwrap();
        let other = dir.join("b.txt");
        std::fs::write(&other, REPORT.replace("Children", "Families")).unwrap();
        vec![good, empty, other, dir.join("missing.txt")]
    }

    #[test]
    fn events_come_in_order_with_running_totals() {
        let dir = tempfile::tempdir().unwrap();
        let paths = files(dir.path());
        let ingester = Ingester::new();
        let mut log = Vec::new();
        let mut seen = Vec::new();
        let mut warnings = 0;
        let summary = Batch::new(&ingester)
            .skip_errors(true)
            .run_with_progress(
                &paths,
                |e| {
                    log.push(match e {
                        Progress::Started { files, bytes } => format!("start {files} {bytes}"),
                        Progress::ReportDone {
                            files_done,
                            bytes_done,
                            report,
                            ..
                        } => format!("done {files_done} {bytes_done} {}", report.paragraphs.len()),
                        Progress::Skipped {
                            files_done, path, ..
                        } => format!(
                            "skip {files_done} {}",
                            path.file_name().unwrap().to_string_lossy()
                        ),
                        Progress::Finished(s) => format!("end {}", s.reports),
                    })
                },
                |_, parsed| {
                    seen.push(parsed.paragraphs[0].text.clone());
                    warnings += parsed.warnings.len();
                    Ok(())
                },
            )
            .unwrap();
        let n = REPORT.len();
        assert_eq!(
            log,
            [
                format!("start 4 {}", 2 * n),
                format!("done 1 {n} 2"),
                "skip 2 empty.txt".to_string(),
                format!("done 3 {} 2", 2 * n),
                "skip 4 missing.txt".to_string(),
                "end 2".to_string(),
            ]
        );
        assert_eq!(seen, ["Children are seen.", "Families are seen."]);
        assert_eq!(summary.files, 4);
        assert_eq!(summary.reports, 2);
        assert_eq!(summary.paragraphs, 4);
        assert_eq!(summary.bytes, (2 * n) as u64);
        assert_eq!(summary.skipped.len(), 2);
        assert!(summary.skipped[1].message.contains("missing.txt"));
        assert_eq!(summary.warnings, warnings);
        let line = summary.to_string();
        let head =
            format!("2 reports, 4 paragraphs, {warnings} warnings from 4 files, 2 skipped (");
        assert!(line.starts_with(&head), "{line}");
    }

    #[test]
    fn by_default_the_first_bad_file_stops_the_batch() {
        let dir = tempfile::tempdir().unwrap();
        let paths = files(dir.path());
        let ingester = Ingester::new();
        let mut finished = false;
        let mut sunk = 0;
        let err = Batch::new(&ingester)
            .run_with_progress(
                &paths,
                |e| finished |= matches!(e, Progress::Finished(_)),
                |_, _| {
                    sunk += 1;
                    Ok(())
                },
            )
            .unwrap_err();
        assert!(matches!(err, Error::EmptyInput { .. }), "{err}");
        assert_eq!(sunk, 1);
        assert!(!finished);
    }

    #[test]
    fn sink_errors_stop_the_batch_even_when_skipping() {
        let dir = tempfile::tempdir().unwrap();
        let paths = files(dir.path());
        let ingester = Ingester::new();
        let err = Batch::new(&ingester)
            .skip_errors(true)
            .run(&paths, |_, _| Err(Error::NotFound("x".into())))
            .unwrap_err();
        assert!(matches!(err, Error::NotFound(_)));
    }

    #[test]
    fn manifest_overrides_apply_by_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let paths = files(dir.path());
        let manifest =
            Manifest::from_toml_str("[reports.\"b.txt\"]\nyear = 2019\n", "m.toml").unwrap();
        let ingester = Ingester::new();
        let mut years = Vec::new();
        Batch::new(&ingester)
            .manifest(&manifest)
            .skip_errors(true)
            .run(&paths, |path, p| {
                assert!(path.ends_with("a.txt") || path.ends_with("b.txt"));
                years.push(p.report.year);
                Ok(())
            })
            .unwrap();
        assert_eq!(years, [None, Some(2019)]);
    }
}
