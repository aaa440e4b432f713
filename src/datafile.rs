//! Reading user data files (manifest, taxonomy, vocabulary): one place that reads the file,
//! names it in errors and tells TOML from JSON by the extension.

use std::path::Path;

use crate::error::{Error, Result};

/// The format of a data file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Toml,
    Json,
    /// Neither `.toml` nor `.json`.
    Other,
}

/// A data file's text, its name for error messages, and its format. `what` names the kind of
/// file in the I/O error ("manifest", "vocabulary").
pub(crate) fn read(path: &Path, what: &'static str) -> Result<(String, String, Format)> {
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
        Some(e) if e.eq_ignore_ascii_case("toml") => Format::Toml,
        _ => Format::Other,
    };
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        action: what,
        source,
    })?;
    Ok((text, path.display().to_string(), format))
}
