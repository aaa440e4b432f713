//! Report metadata read from the text itself. (Being written.)

use super::normalise::Line;
use crate::model::{Report, ReportKind};
use serde::{Deserialize, Serialize};

/// Metadata that a manifest supplies where the text is silent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportOverrides {
    /// The authority's official name.
    pub authority: Option<String>,
}

/// Reads a report's metadata from its lines.
pub fn parse_report(lines: &[Line], _text: &str, overrides: &ReportOverrides) -> Report {
    let authority = overrides.authority.clone().unwrap_or_else(|| {
        lines
            .iter()
            .find(|l| !l.text.is_empty())
            .map(|l| l.text.clone())
            .unwrap_or_default()
    });
    Report {
        report_id: format!("{}/inspection", authority.to_lowercase().replace(' ', "-")),
        authority,
        kind: ReportKind::Inspection,
        title: None,
        inspection_start: None,
        inspection_end: None,
        published: None,
        year: None,
        published_year: None,
        overall_grade: None,
        judgements: Default::default(),
    }
}
