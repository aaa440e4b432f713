//! The crate's one error type.
//!
//! Every variant carries what a user needs to act on it: the file (and line) for input, the
//! position for a query, the directory for an index.

use std::fmt;
use std::path::PathBuf;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in ofsted-search.
///
/// `Error` is `Send + Sync + 'static`, so it crosses threads and boxes into
/// `Box<dyn std::error::Error + Send + Sync>`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// What was being done ("cannot read report").
        action: &'static str,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A report path is a directory.
    #[error("{}: is a directory, not a report file (pass the files inside it)", path.display())]
    IsDirectory {
        /// The path given.
        path: PathBuf,
    },
    /// The input has no text at all.
    #[error("{input}: the input is empty; give the text of an Ofsted report")]
    EmptyInput {
        /// The input's name (usually its path).
        input: String,
    },
    /// The input is not text.
    #[error("{input}:{line}: looks like a binary file ({reason} at byte {offset}); convert the report to text first")]
    BinaryInput {
        /// The input's name.
        input: String,
        /// Why it looks binary.
        reason: &'static str,
        /// Offset of the evidence, starting at 0: in the input's bytes, or for UTF-16 input in
        /// its decoded UTF-8 text.
        offset: usize,
        /// The line holding the evidence, starting at 1.
        line: usize,
    },
    /// The input is bigger than the configured maximum.
    #[error("{input}: the input is {size} bytes, over the limit of {limit} bytes; split it or raise the limit")]
    InputTooLarge {
        /// The input's name.
        input: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A PDF could not be read: damaged, truncated, or the PDF reader failed on it.
    #[error("{input}: {}cannot read the PDF: {reason}; check that the file is complete (download it again) or convert it to text with another tool", page.map(|p| format!("page {p}: ")).unwrap_or_default())]
    PdfUnreadable {
        /// The input's name.
        input: String,
        /// The page (starting at 1) being read, when the damage is in one page.
        page: Option<u32>,
        /// What went wrong.
        reason: String,
    },
    /// A PDF is encrypted and needs a password to open.
    #[error("{input}: the PDF is encrypted and needs a password; save an unencrypted copy first")]
    PdfEncrypted {
        /// The input's name.
        input: String,
    },
    /// A PDF has no text layer (scanned pages): only images.
    #[error("{input}: the PDF has no text layer in its {pages} pages (scanned images?); it needs OCR before it can be read")]
    PdfNoText {
        /// The input's name.
        input: String,
        /// Its number of pages.
        pages: u32,
    },
    /// A PDF is over one of the reader's limits (pages, text size, time).
    #[error("{input}: the PDF is too large or complex to read: {limit}")]
    PdfLimit {
        /// The input's name.
        input: String,
        /// Which limit, with the figures.
        limit: String,
    },
    /// A query could not be parsed or is too complex.
    #[error("{0}")]
    Query(#[from] QueryError),
    /// A value (grade, area, kind, date, theme) could not be parsed.
    #[error("{0}")]
    Value(#[from] ParseValueError),
    /// A user data file (taxonomy, vocabulary, manifest) is invalid.
    #[error("{input}: {location}: {message}")]
    Config {
        /// The file or input name.
        input: String,
        /// Where in it ("line 4", "theme 'neglect'").
        location: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// The index was built by a different version of the schema.
    #[error("{}: index schema version {found}, this build reads version {expected}; delete the directory and rebuild the index", path.display())]
    SchemaVersion {
        /// The index directory.
        path: PathBuf,
        /// The version found on disk.
        found: String,
        /// The version this build writes.
        expected: u32,
    },
    /// Another writer holds the index.
    #[error("{}: the index is locked by another writer; wait for it to finish or close it", path.display())]
    IndexLocked {
        /// The index directory.
        path: PathBuf,
    },
    /// The search engine reported an error.
    #[error("{}", index_message(path.as_deref(), message))]
    Index {
        /// The index directory, when on disk.
        path: Option<PathBuf>,
        /// The engine's message.
        message: String,
    },
    /// Hybrid retrieval (feature `semantic`) failed: an embedding model or a vector file
    /// cannot be used, or a query asks for hybrid ranking on an index without an embedder.
    #[error("{}{message}", path.as_ref().map(|p| format!("{}: ", p.display())).unwrap_or_default())]
    Semantic {
        /// The model directory or file, or the vector file, when one is involved.
        path: Option<PathBuf>,
        /// What is wrong and what to do.
        message: String,
    },
    /// No paragraph has the given id.
    #[error("no paragraph with id '{0}' in the index")]
    NotFound(String),
}

/// The text of [`Error::Index`]. The engine's own messages (damaged or unreadable files) say
/// nothing of what to do, so advice is added to any message that does not carry its own (this
/// crate's messages give theirs after a `; `).
fn index_message(path: Option<&std::path::Path>, message: &str) -> String {
    match path {
        Some(path) if message.contains("; ") => format!("{}: index error: {message}", path.display()),
        Some(path) => format!(
            "{}: index error: {message}; if the index files are damaged, delete the directory and rebuild the index",
            path.display()
        ),
        None => format!("in-memory index: index error: {message}"),
    }
}

/// Where and why a query could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("query error at character {position}: {reason} (query: {}); use lenient mode to accept raw input", excerpt(query, *position))]
pub struct QueryError {
    /// The query text.
    pub query: String,
    /// Character offset of the problem in the query, starting at 0.
    pub position: usize,
    /// What is wrong.
    pub reason: String,
}

/// The query, quoted; a long one only around `position`, so that a refused 5,000-word query
/// gives a readable message. Elided text is marked with `…` outside the quotes.
fn excerpt(query: &str, position: usize) -> String {
    const SIDE: usize = 40;
    let chars: Vec<char> = query.chars().collect();
    if chars.len() <= 2 * SIDE {
        return format!("{query:?}");
    }
    let start = position.saturating_sub(SIDE).min(chars.len());
    let end = (position + SIDE).min(chars.len());
    let text: String = chars[start..end].iter().collect();
    format!(
        "{}{text:?}{}",
        if start > 0 { "…" } else { "" },
        if end < chars.len() { "…" } else { "" }
    )
}

/// A string that is not a valid value of a typed field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseValueError {
    kind: &'static str,
    value: String,
    expected: &'static [&'static str],
}

impl ParseValueError {
    pub(crate) fn new(kind: &'static str, value: &str, expected: &'static [&'static str]) -> Self {
        ParseValueError {
            kind,
            value: value.to_string(),
            expected,
        }
    }

    /// The rejected text.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for ParseValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a valid {}; expected one of: {}",
            self.value,
            self.kind,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for ParseValueError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_errors_quote_long_queries_around_the_position() {
        let short = QueryError {
            query: "children AND".into(),
            position: 9,
            reason: "'AND' needs a word after it".into(),
        };
        assert!(short.to_string().contains("(query: \"children AND\")"));
        let long = QueryError {
            query: "word ".repeat(5000),
            position: 5120,
            reason: "too many words".into(),
        };
        let msg = long.to_string();
        assert!(msg.len() < 250, "{msg}");
        assert!(
            msg.contains("at character 5120") && msg.contains("…\"word"),
            "{msg}"
        );
    }

    #[test]
    fn error_is_send_sync_static() {
        fn assert_traits<T: Send + Sync + 'static + std::error::Error>() {}
        assert_traits::<Error>();
    }
}
