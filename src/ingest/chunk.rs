//! Chunking: numbered paragraphs (or unnumbered blocks) with section, area and grade.
//! (Being written.)

use super::normalise::Line;
use super::Warning;
use crate::model::{Paragraph, Report};

/// Cuts the report body into paragraphs.
pub fn chunk(
    lines: &[Line],
    report: &mut Report,
    _input: &str,
    _warnings: &mut Vec<Warning>,
) -> Vec<Paragraph> {
    let mut out = Vec::new();
    for l in lines {
        let t = l.text.trim_start_matches("- ");
        let Some((num, rest)) = t.split_once(". ") else { continue };
        let Ok(n) = num.parse::<u32>() else { continue };
        out.push(Paragraph {
            id: format!("{}/{}", report.report_id, n),
            report_id: report.report_id.clone(),
            authority: report.authority.clone(),
            year: report.year,
            number: Some(n),
            ordinal: out.len() as u32 + 1,
            section: String::new(),
            area: None,
            grade: None,
            themes: Vec::new(),
            text: rest.to_string(),
            citation: format!("{}, para {}", report.authority, n),
            line: l.number,
        });
    }
    out
}
