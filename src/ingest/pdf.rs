//! PDF bytes to text: one page of text lines per PDF page, the pages joined with form feeds
//! (`\f`) as poppler's `pdftotext` writes them, so that from there on one pipeline reads both.
//!
//! The text layer is read with [`pdf_extract`] (pure Rust, on `lopdf`) through an output device
//! of our own that records every glyph with its position and size. From those the page is
//! rebuilt line by line, using what the PDF knows and plain text loses:
//!
//! - **Running headers, footers and page numbers** are dropped by position: lines in the top or
//!   bottom band of the page (outside the body text's band) that are short, or that recur on
//!   other pages once digits are ignored. `pdf_extract` meets them in drawing order, which for
//!   Word's PDFs is *before* the body text, so text order alone cannot find them.
//! - **Table cells** separated by a wide gap become separate lines with a blank line between,
//!   as `pdftotext` writes them, so that judgement tables read the same from both.
//! - **Bullet glyphs** drawn from Symbol or Wingdings fonts come out as private-use characters
//!   (U+F0B7, U+F06E, U+F02D, …); they become the characters they draw (`•`, `■`, `−`, …, one
//!   table shared with the normaliser, which strips them as bullets), each distinct, so that a
//!   sub-list's marker stays distinct from its list's.
//! - Line-end hyphens are kept as drawn (`decision-` / `making`); joining is the chunker's job.
//! - Indents before paragraph markers (`  5.  Most child…`) are trimmed.
//!
//! Bad PDFs are typed errors naming the input, never a panic or a hang: the extractor runs on
//! its own thread under [`std::panic::catch_unwind`], with a deadline it checks at every glyph
//! (and a watchdog for the time it spends parsing), a page limit and a limit on the text it may
//! produce. Encrypted PDFs that open with the empty password (permissions only) are read;
//! others are [`Error::PdfEncrypted`]. A PDF without a text layer (scanned pages) is
//! [`Error::PdfNoText`]: it needs OCR first.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Once};
use std::time::{Duration, Instant};

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use crate::error::{Error, Result};

/// True when `bytes` start with the PDF signature `%PDF-`.
///
/// ```
/// use ofsted_search::ingest::pdf::is_pdf;
/// assert!(is_pdf(b"%PDF-1.7\n..."));
/// assert!(!is_pdf(b"Sheffield City Council"));
/// ```
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// The default limits of [`PdfReader`]: 2,000 pages, 60 seconds, 64 MiB of text, 256 MiB
/// of decompressed streams (64 MiB for any one stream).
pub const DEFAULT_MAX_PAGES: u32 = 2_000;
/// See [`DEFAULT_MAX_PAGES`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// See [`DEFAULT_MAX_PAGES`].
pub const DEFAULT_MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;
/// See [`DEFAULT_MAX_PAGES`].
pub const DEFAULT_MAX_INFLATED_BYTES: u64 = 256 * 1024 * 1024;
/// See [`DEFAULT_MAX_PAGES`].
pub const DEFAULT_MAX_STREAM_BYTES: u64 = 64 * 1024 * 1024;

/// Reads the text layer of a PDF, within limits.
///
/// ```no_run
/// use ofsted_search::ingest::pdf::PdfReader;
/// let bytes = std::fs::read("corpus/camden-2018-focused-visit.pdf")?;
/// let pages = PdfReader::new().read(&bytes, "camden-2018-focused-visit.pdf")?;
/// assert!(pages.pages.len() >= 4);
/// let text = pages.to_text(); // pages joined with form feeds, for the text pipeline
/// assert!(text.contains('\u{c}'));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct PdfReader {
    max_pages: u32,
    timeout: Duration,
    max_text_bytes: usize,
    max_inflated_bytes: u64,
    max_stream_bytes: u64,
}

impl Default for PdfReader {
    fn default() -> Self {
        PdfReader::new()
    }
}

/// The text of a PDF, one entry per page (page 1 first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfText {
    /// Each page's text: lines separated by `\n`, running headers, footers and page numbers
    /// removed.
    pub pages: Vec<String>,
}

impl PdfText {
    /// The pages joined with form feeds (`\f`), the shape of `pdftotext`'s output that the
    /// text pipeline reads: a page break before every page but the first, and, as `pdftotext`
    /// ends every block of text with an empty line, an empty line before each page break (the
    /// end of a page ends a block; a paragraph that runs on is stitched by the chunker).
    pub fn to_text(&self) -> String {
        self.pages.join("\n\u{c}")
    }
}

impl PdfReader {
    /// A reader with the default limits ([`DEFAULT_MAX_PAGES`], [`DEFAULT_TIMEOUT`],
    /// [`DEFAULT_MAX_TEXT_BYTES`]).
    pub fn new() -> PdfReader {
        PdfReader {
            max_pages: DEFAULT_MAX_PAGES,
            timeout: DEFAULT_TIMEOUT,
            max_text_bytes: DEFAULT_MAX_TEXT_BYTES,
            max_inflated_bytes: DEFAULT_MAX_INFLATED_BYTES,
            max_stream_bytes: DEFAULT_MAX_STREAM_BYTES,
        }
    }

    /// Refuse PDFs of more than `pages` pages.
    pub fn max_pages(&mut self, pages: u32) -> &mut PdfReader {
        self.max_pages = pages;
        self
    }

    /// Give up on a PDF after `timeout`.
    pub fn timeout(&mut self, timeout: Duration) -> &mut PdfReader {
        self.timeout = timeout;
        self
    }

    /// Refuse PDFs whose text layer is larger than `bytes`.
    pub fn max_text_bytes(&mut self, bytes: usize) -> &mut PdfReader {
        self.max_text_bytes = bytes;
        self
    }

    /// Refuse PDFs whose compressed streams expand to more than `total` bytes together, or
    /// more than `per_stream` bytes any one of them (a decompression bomb). Measured before
    /// anything is inflated, with decoders that hold none of the output.
    pub fn max_inflated_bytes(&mut self, total: u64, per_stream: u64) -> &mut PdfReader {
        self.max_inflated_bytes = total;
        self.max_stream_bytes = per_stream;
        self
    }

    /// Reads the text of every page; `input` names the PDF in errors.
    ///
    /// # Errors
    ///
    /// [`Error::PdfEncrypted`] when it needs a password, [`Error::PdfNoText`] when no page
    /// has text (scanned), [`Error::PdfLimit`] over a page, time, text or decompression limit, and
    /// [`Error::PdfUnreadable`] when it is damaged or the extractor fails (a panic inside it
    /// included); each names `input`.
    pub fn read(&self, bytes: &[u8], input: &str) -> Result<PdfText> {
        quiet_reader_panics();
        let deadline = Instant::now() + self.timeout;
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let job = Job {
            bytes: bytes.to_vec(),
            max_pages: self.max_pages,
            max_text_bytes: self.max_text_bytes,
            inflate: inflate::Budget::new(self.max_stream_bytes, self.max_inflated_bytes),
            deadline,
            cancel: Arc::clone(&cancel),
        };
        let spawned = std::thread::Builder::new()
            .name(READER_THREAD.into())
            // lopdf parses nested objects recursively: room for deep (hostile) nesting.
            .stack_size(64 * 1024 * 1024)
            .spawn(move || {
                let outcome = catch_unwind(AssertUnwindSafe(|| job.run()));
                let _ = tx.send(outcome);
            });
        if let Err(e) = spawned {
            return Err(unreadable(
                input,
                None,
                format!("cannot start the reader: {e}"),
            ));
        }
        let wait = self.timeout + Duration::from_millis(100);
        match rx.recv_timeout(wait) {
            Ok(Ok(Ok(pages))) => finish(pages, input),
            Ok(Ok(Err(failure))) => Err(failure.into_error(input, self)),
            Ok(Err(panic)) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown cause".into());
                Err(unreadable(
                    input,
                    None,
                    format!("the PDF reader failed on it ({message})"),
                ))
            }
            Err(_) => {
                // The reader is stuck outside the glyph loop (parsing); tell it to stop at its
                // next glyph and leave it: a thread cannot be killed.
                cancel.store(true, Ordering::Relaxed);
                Err(Error::PdfLimit {
                    input: input.to_string(),
                    limit: format!("reading took over {} s", self.timeout.as_secs_f64()),
                })
            }
        }
    }
}

/// The name of the thread the extractor runs on; its panics are turned into errors, so the
/// panic hook stays quiet for it.
const READER_THREAD: &str = "ofsted-search-pdf";

/// Installs (once) a panic hook that stays silent for panics on the reader thread (they become
/// [`Error::PdfUnreadable`]) and passes every other panic to the hook that was there before.
fn quiet_reader_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(READER_THREAD) {
                previous(info);
            }
        }));
    });
}

fn unreadable(input: &str, page: Option<u32>, reason: String) -> Error {
    Error::PdfUnreadable {
        input: input.to_string(),
        page,
        reason,
    }
}

/// Turns the rebuilt pages into the result, refusing a PDF with no text at all.
fn finish(pages: Vec<String>, input: &str) -> Result<PdfText> {
    if pages.iter().all(|p| p.trim().is_empty()) {
        return Err(Error::PdfNoText {
            input: input.to_string(),
            pages: pages.len() as u32,
        });
    }
    Ok(PdfText { pages })
}

/// Why the reader thread stopped without pages.
enum Failure {
    Encrypted,
    Damaged(Option<u32>, String),
    TooManyPages(usize),
    TooMuchText,
    Inflated(inflate::Exceeded),
    Timeout,
}

impl Failure {
    fn into_error(self, input: &str, reader: &PdfReader) -> Error {
        let limit = |limit: String| Error::PdfLimit {
            input: input.to_string(),
            limit,
        };
        match self {
            Failure::Encrypted => Error::PdfEncrypted {
                input: input.to_string(),
            },
            Failure::Damaged(page, reason) => unreadable(input, page, reason),
            Failure::TooManyPages(n) => limit(format!(
                "{n} pages, over the limit of {} pages",
                reader.max_pages
            )),
            Failure::TooMuchText => limit(format!(
                "its text is over the limit of {} bytes",
                reader.max_text_bytes
            )),
            Failure::Inflated(e) => limit(format!(
                "{} expand past the limit of {} bytes when decompressed",
                if e.total {
                    "its compressed streams together"
                } else {
                    "a compressed stream of it would"
                },
                e.limit
            )),
            Failure::Timeout => limit(format!(
                "reading took over {} s",
                reader.timeout.as_secs_f64()
            )),
        }
    }
}

/// What the reader thread owns.
struct Job {
    bytes: Vec<u8>,
    max_pages: u32,
    max_text_bytes: usize,
    inflate: inflate::Budget,
    deadline: Instant,
    cancel: Arc<AtomicBool>,
}

impl Job {
    fn run(self) -> std::result::Result<Vec<String>, Failure> {
        // Before lopdf inflates anything (object streams, while it loads): what would it?
        let mut budget = self.inflate;
        inflate::check_raw(&self.bytes, &mut budget).map_err(Failure::Inflated)?;
        // An encrypted file's object streams are encrypted in it (the raw measure cannot
        // inflate them), and lopdf decrypts and inflates them while it loads the file: load a
        // copy that it cannot inflate them in, for the key, and measure them decrypted first.
        let sealed = inflate::sealed_object_streams(&self.bytes);
        if !sealed.is_empty() {
            let copy = inflate::defused(&self.bytes, &sealed);
            if let Ok(stub) = pdf_extract::Document::load_mem(&copy) {
                if let Some(state) = &stub.encryption_state {
                    let mut budget = self.inflate;
                    inflate::check_sealed(&self.bytes, &sealed, state, &mut budget)
                        .map_err(Failure::Inflated)?;
                }
            }
        }
        let mut doc = pdf_extract::Document::load_mem(&self.bytes).map_err(|e| load_failure(&e))?;
        if doc.is_encrypted() && doc.decrypt("").is_err() {
            return Err(Failure::Encrypted);
        }
        // lopdf decrypts a PDF that opens with the empty password while it loads it (and then
        // no longer calls it encrypted): `was_encrypted`. Encrypted stream data could not be
        // measured raw: measure it decrypted, before anything inflates it.
        if doc.was_encrypted() {
            let mut budget = self.inflate;
            inflate::check_document(&doc, &mut budget).map_err(Failure::Inflated)?;
        }
        drop_images(&mut doc);
        let pages = doc.get_pages();
        if pages.len() > self.max_pages as usize {
            return Err(Failure::TooManyPages(pages.len()));
        }
        let mut device = Collector::new(&self);
        for &number in pages.keys() {
            if let Err(e) = pdf_extract::output_doc_page(&doc, &mut device, number) {
                return Err(match device.stop.take() {
                    Some(stop) => stop,
                    None => Failure::Damaged(Some(number), e.to_string()),
                });
            }
            // A page whose content could not be parsed at all yields no begin_page.
            device.close_page();
        }
        Ok(layout::rebuild(&device.pages))
    }
}

/// Empties every image: the extractor runs an XObject's data as a content stream whatever its
/// subtype, which for a scan means parsing megabytes of JPEG as drawing operators.
fn drop_images(doc: &mut pdf_extract::Document) {
    for object in doc.objects.values_mut() {
        if let pdf_extract::Object::Stream(stream) = object {
            let image = stream
                .dict
                .get(b"Subtype")
                .and_then(|s| s.as_name())
                .is_ok_and(|name| name == b"Image");
            if image {
                stream.dict.remove(b"Filter");
                stream.dict.remove(b"DecodeParms");
                stream.set_content(Vec::new());
            }
        }
    }
}

fn load_failure(e: &pdf_extract::Error) -> Failure {
    let text = e.to_string();
    if text.to_ascii_lowercase().contains("decrypt")
        || text.to_ascii_lowercase().contains("encrypt")
    {
        Failure::Encrypted
    } else {
        Failure::Damaged(None, text)
    }
}

/// One glyph (or the few characters one glyph decodes to) with its place on the page, in
/// points from the page's top-left corner.
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) end: f64,
    pub(crate) size: f64,
    pub(crate) text: String,
}

/// One page's glyphs in drawing order.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageGlyphs {
    pub(crate) height: f64,
    pub(crate) glyphs: Vec<Glyph>,
}

/// The output device: records glyphs, enforces the deadline and the text limit.
struct Collector {
    pages: Vec<PageGlyphs>,
    current: Option<PageGlyphs>,
    top: f64,
    left: f64,
    text_bytes: usize,
    max_text_bytes: usize,
    deadline: Instant,
    cancel: Arc<AtomicBool>,
    ticks: u32,
    stop: Option<Failure>,
}

impl Collector {
    fn new(job: &Job) -> Collector {
        Collector {
            pages: Vec::new(),
            current: None,
            top: 0.0,
            left: 0.0,
            text_bytes: 0,
            max_text_bytes: job.max_text_bytes,
            deadline: job.deadline,
            cancel: Arc::clone(&job.cancel),
            ticks: 0,
            stop: None,
        }
    }

    fn close_page(&mut self) {
        if let Some(page) = self.current.take() {
            self.pages.push(page);
        }
    }

    fn halt(&mut self, why: Failure) -> std::result::Result<(), OutputError> {
        self.stop = Some(why);
        Err(OutputError::FormatError(std::fmt::Error))
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> std::result::Result<(), OutputError> {
        self.close_page();
        self.top = media_box.ury;
        self.left = media_box.llx;
        self.current = Some(PageGlyphs {
            height: (media_box.ury - media_box.lly).abs(),
            glyphs: Vec::new(),
        });
        Ok(())
    }

    fn end_page(&mut self) -> std::result::Result<(), OutputError> {
        self.close_page();
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> std::result::Result<(), OutputError> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks.is_multiple_of(256)
            && (self.cancel.load(Ordering::Relaxed) || Instant::now() > self.deadline)
        {
            return self.halt(Failure::Timeout);
        }
        self.text_bytes += text.len();
        if self.text_bytes > self.max_text_bytes {
            return self.halt(Failure::TooMuchText);
        }
        // The glyph's size: the side of the square with the area of the transformed em box
        // (as pdf_extract's own plain-text device computes it).
        let sx = font_size * (trm.m11 + trm.m21);
        let sy = font_size * (trm.m12 + trm.m22);
        let size = (sx * sy).abs().sqrt();
        let x = trm.m31 - self.left;
        let y = self.top - trm.m32;
        if !(x.is_finite() && y.is_finite() && size.is_finite()) {
            return Ok(());
        }
        let page = self.current.get_or_insert_with(PageGlyphs::default);
        page.glyphs.push(Glyph {
            x,
            y,
            end: x + width * size,
            size,
            text: text.to_string(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> std::result::Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> std::result::Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> std::result::Result<(), OutputError> {
        Ok(())
    }
}

mod inflate;
mod layout;
