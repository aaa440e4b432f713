//! A manifest: metadata for reports whose text does not state it, keyed by file name.
//!
//! The text is always read first; a manifest entry then fills in or corrects fields (see
//! [`ReportOverrides`]). TOML:
//!
//! ```toml
//! [reports."sheffield-2018-focused-visit-news.txt"]
//! authority = "Sheffield City Council"
//! year = 2018
//! kind = "news"
//! ```
//!
//! or the same structure in JSON.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::ReportOverrides;
use crate::datafile::{self, Format};
use crate::error::{Error, Result};

/// Metadata overrides for report files, keyed by file name (not path).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Overrides per file name.
    #[serde(default)]
    pub reports: BTreeMap<String, ReportOverrides>,
}

impl Manifest {
    /// Reads a manifest from a `.toml` or `.json` file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read; [`Error::Config`] naming the file and the
    /// line (TOML) or line and column (JSON) of an invalid entry.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Manifest> {
        let (text, name, format) = datafile::read(path.as_ref(), "cannot read manifest")?;
        match format {
            Format::Json => Manifest::from_json_str(&text, &name),
            Format::Toml | Format::Other => Manifest::from_toml_str(&text, &name),
        }
    }

    /// Parses a TOML manifest; `input` names it in errors.
    ///
    /// ```
    /// use ofsted_search::ingest::manifest::Manifest;
    /// let m = Manifest::from_toml_str("[reports.\"a.txt\"]\nyear = 2018\n", "m.toml")?;
    /// assert_eq!(m.overrides_for("corpus/a.txt").year, Some(2018));
    /// let err = Manifest::from_toml_str("[reports.\"a.txt\"]\nyear = \"soon\"\n", "m.toml").unwrap_err();
    /// assert!(err.to_string().starts_with("m.toml: line 2"));
    /// # Ok::<(), ofsted_search::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] with the line of the invalid entry.
    pub fn from_toml_str(text: &str, input: &str) -> Result<Manifest> {
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| 1 + text[..s.start.min(text.len())].matches('\n').count());
            Error::Config {
                input: input.to_string(),
                location: line.map_or("manifest".into(), |l| format!("line {l}")),
                message: e.message().to_string(),
            }
        })
    }

    /// Parses a JSON manifest; `input` names it in errors.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] with the line and column of the invalid entry.
    pub fn from_json_str(text: &str, input: &str) -> Result<Manifest> {
        serde_json::from_str(text).map_err(|e| Error::Config {
            input: input.to_string(),
            location: format!("line {}, column {}", e.line(), e.column()),
            message: e.to_string(),
        })
    }

    /// The overrides for a report file (matched by file name), or empty overrides.
    pub fn overrides_for(&self, path: impl AsRef<Path>) -> ReportOverrides {
        path.as_ref()
            .file_name()
            .and_then(|n| self.reports.get(&*n.to_string_lossy()))
            .cloned()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Area, Grade, ReportKind};

    #[test]
    fn toml_and_json_manifests() {
        let m = Manifest::from_toml_str(
            "[reports.\"news.txt\"]\nauthority = \"Sheffield City Council\"\nkind = \"news\"\n\
             inspection_end = \"2018-11-01\"\n[reports.\"news.txt\".judgements]\nlscb = \"good\"\n",
            "m.toml",
        )
        .unwrap();
        let o = m.overrides_for("/some/dir/news.txt");
        assert_eq!(o.kind, Some(ReportKind::News));
        assert_eq!(o.judgements.get(&Area::Lscb), Some(&Grade::Good));
        let j = Manifest::from_json_str(r#"{"reports": {"news.txt": {"year": 2018}}}"#, "m.json")
            .unwrap();
        assert_eq!(j.overrides_for("news.txt").year, Some(2018));
        assert_eq!(j.overrides_for("other.txt"), ReportOverrides::default());
    }

    #[test]
    fn errors_point_at_the_entry() {
        let err = Manifest::from_toml_str("[reports.\"a.txt\"]\n\ngrade = \"good\"\n", "m.toml")
            .unwrap_err();
        assert!(err.to_string().contains("m.toml: line 3"), "{err}");
        let err =
            Manifest::from_json_str("{\"reports\": {\"a.txt\": {\"year\": \"x\"}}}", "m.json")
                .unwrap_err();
        assert!(
            err.to_string().starts_with("m.json: line 1, column"),
            "{err}"
        );
    }
}
