//! Ingestion: file bytes → normalised lines → report metadata → cited paragraphs → themes.
//!
//! The stages run in one direction, each in its own module:
//!
//! 1. [`decode`]: bytes to text (UTF-8, or Windows-1252 with a warning); rejects empty and
//!    binary input.
//! 2. [`normalise`]: strips conversion debris (HTML, markdown, LaTeX, bullet glyphs, footnote
//!    markers, page furniture) and classifies each line.
//! 3. [`report`] (with [`judgement`]): reads the report's metadata from its own text.
//! 4. [`chunk`]: cuts the body into numbered paragraphs (or unnumbered blocks), each with its
//!    section, judgement area and grade.
//! 5. [`themes`]: tags each paragraph with the topics of a [`Taxonomy`].
//!
//! [`Ingester`] runs them all.

pub mod authorities;
pub mod batch;
pub mod chunk;
pub mod decode;
pub mod framework;
pub mod judgement;
pub mod manifest;
pub mod normalise;
pub mod pages;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod report;
pub mod themes;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Paragraph, Report};
pub use batch::{Batch, Progress, Summary};
pub use report::ReportOverrides;
pub use themes::Taxonomy;

/// The default maximum input size: 64 MiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// A report read into metadata and cited paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedReport {
    /// The report's metadata.
    pub report: Report,
    /// Its paragraphs, in document order.
    pub paragraphs: Vec<Paragraph>,
    /// What was repaired or could not be read, for the user to review.
    pub warnings: Vec<Warning>,
}

/// Something ingestion repaired, guessed around or skipped. Never fatal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The input's name (usually its path).
    pub input: String,
    /// The source line it concerns, starting at 1, when there is one.
    pub line: Option<usize>,
    /// What happened.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.input, line, self.message),
            None => write!(f, "{}: {}", self.input, self.message),
        }
    }
}

/// Runs the ingestion pipeline.
///
/// ```
/// use ofsted_search::ingest::Ingester;
/// let text = "Sheffield City Council\n\nInspection of services for children in need of help and protection\n\n\
///             Inspection dates: 19 November - 11 December 2013\n\n\
///             The experiences and progress of children who need help and protection are good\n\n\
///             41. Children and young people are routinely seen and seen alone by social workers.\n";
/// let parsed = Ingester::new().ingest_str(text, "example.txt")?;
/// assert_eq!(parsed.report.authority, "Sheffield City Council");
/// assert_eq!(parsed.paragraphs[0].number, Some(41));
/// # Ok::<(), ofsted_search::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Ingester {
    taxonomy: Taxonomy,
    max_input_bytes: u64,
}

impl Default for Ingester {
    fn default() -> Self {
        Ingester::new()
    }
}

impl Ingester {
    /// An ingester with the default [`Taxonomy`] and an input limit of
    /// [`DEFAULT_MAX_INPUT_BYTES`].
    pub fn new() -> Ingester {
        Ingester {
            taxonomy: Taxonomy::default(),
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
        }
    }

    /// Use this taxonomy to tag themes. By default, [`Taxonomy::default`].
    pub fn taxonomy(&mut self, taxonomy: Taxonomy) -> &mut Ingester {
        self.taxonomy = taxonomy;
        self
    }

    /// Refuse inputs larger than `bytes`. By default, [`DEFAULT_MAX_INPUT_BYTES`].
    pub fn max_input_bytes(&mut self, bytes: u64) -> &mut Ingester {
        self.max_input_bytes = bytes;
        self
    }

    /// The taxonomy in use.
    pub fn current_taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Reads and ingests one report file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the path cannot be read, [`Error::IsDirectory`] for a directory,
    /// and the errors of [`Ingester::ingest_bytes`]; each names the path.
    pub fn ingest_file(&self, path: impl AsRef<Path>) -> Result<ParsedReport> {
        self.ingest_file_with(path, &ReportOverrides::default())
    }

    /// Like [`Ingester::ingest_file`], with metadata overrides (e.g. from a manifest).
    ///
    /// # Errors
    ///
    /// As [`Ingester::ingest_file`].
    pub fn ingest_file_with(
        &self,
        path: impl AsRef<Path>,
        overrides: &ReportOverrides,
    ) -> Result<ParsedReport> {
        let path = path.as_ref();
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            action: "cannot read report",
            source,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            return Err(Error::IsDirectory {
                path: path.to_path_buf(),
            });
        }
        let name = path.display().to_string();
        if meta.len() > self.max_input_bytes {
            return Err(Error::InputTooLarge {
                input: name,
                size: meta.len(),
                limit: self.max_input_bytes,
            });
        }
        let bytes = std::fs::read(path).map_err(io)?;
        self.ingest_bytes_with(&bytes, &name, overrides)
    }

    /// Ingests a report given as bytes; `input` names it in errors and warnings.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyInput`], [`Error::BinaryInput`] and [`Error::InputTooLarge`], naming
    /// `input`.
    pub fn ingest_bytes(&self, bytes: &[u8], input: &str) -> Result<ParsedReport> {
        self.ingest_bytes_with(bytes, input, &ReportOverrides::default())
    }

    /// Ingests a report given as text.
    ///
    /// # Errors
    ///
    /// As [`Ingester::ingest_bytes`].
    pub fn ingest_str(&self, text: &str, input: &str) -> Result<ParsedReport> {
        self.ingest_bytes(text.as_bytes(), input)
    }

    /// Ingests a report given as bytes, with metadata overrides.
    ///
    /// # Errors
    ///
    /// As [`Ingester::ingest_bytes`].
    pub fn ingest_bytes_with(
        &self,
        bytes: &[u8],
        input: &str,
        overrides: &ReportOverrides,
    ) -> Result<ParsedReport> {
        if bytes.len() as u64 > self.max_input_bytes {
            return Err(Error::InputTooLarge {
                input: input.to_string(),
                size: bytes.len() as u64,
                limit: self.max_input_bytes,
            });
        }
        let mut warnings = Vec::new();
        let text = self.read_text(bytes, input, &mut warnings)?;
        let mut lines = normalise::normalise(&text);
        pages::mark_furniture(&mut lines);
        let report = report::parse_report(&lines, overrides, input, &mut warnings);
        let mut paragraphs = chunk::chunk(&lines, &report, input, &mut warnings);
        for p in &mut paragraphs {
            p.themes = self.taxonomy.tag(&p.text, &p.section);
        }
        if paragraphs.is_empty() {
            warnings.push(Warning {
                input: input.to_string(),
                line: None,
                message: "no paragraphs found in the text".into(),
            });
        }
        Ok(ParsedReport {
            report,
            paragraphs,
            warnings,
        })
    }

    /// The input reader: a PDF (by its `%PDF-` signature, with the `pdf` feature) through
    /// [`pdf`], its pages joined with form feeds; anything else through [`decode`].
    fn read_text(&self, bytes: &[u8], input: &str, warnings: &mut Vec<Warning>) -> Result<String> {
        #[cfg(feature = "pdf")]
        if pdf::is_pdf(bytes) {
            let mut reader = pdf::PdfReader::new();
            reader.max_text_bytes(usize::try_from(self.max_input_bytes).unwrap_or(usize::MAX));
            return Ok(reader.read(bytes, input)?.to_text());
        }
        decode::decode(bytes, input, warnings)
    }
}
