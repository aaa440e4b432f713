//! Paragraph ids and citation strings: how a reader finds the words in the published report.

use crate::model::Report;

/// The stable id of a paragraph: `{report_id}/{number}`, or `{report_id}/u{ordinal}` for a
/// block without a number.
///
/// ```
/// use ofsted_search::citation::paragraph_id;
/// assert_eq!(paragraph_id("sheffield-city-council/2014-inspection", Some(41), 50),
///            "sheffield-city-council/2014-inspection/41");
/// assert_eq!(paragraph_id("rotherham/2014-inspection", None, 7), "rotherham/2014-inspection/u7");
/// ```
pub fn paragraph_id(report_id: &str, number: Option<u32>, ordinal: u32) -> String {
    match number {
        Some(n) => format!("{report_id}/{n}"),
        None => format!("{report_id}/u{ordinal}"),
    }
}

/// The citation of a paragraph, e.g.
/// `Sheffield City Council, Ofsted inspection of children's services (2014), para 41`.
///
/// A block without a number names its section and its position; when the report has no
/// numbered paragraphs at all although it is an inspection report, the citation says the
/// source lost its numbering, so that a reader looks for the words rather than a number.
pub fn citation(
    report: &Report,
    number: Option<u32>,
    ordinal: u32,
    section: &str,
    report_has_numbers: bool,
) -> String {
    let year = report
        .year
        .map(|y| y.to_string())
        .unwrap_or_else(|| "undated".into());
    let head = format!(
        "{}, {} ({year})",
        report.authority,
        report.kind.citation_label()
    );
    match number {
        Some(n) => format!("{head}, para {n}"),
        None => {
            let section = if section.is_empty() {
                String::new()
            } else {
                format!(", section \"{section}\"")
            };
            let note = if !report_has_numbers && report.kind != crate::ReportKind::News {
                " (paragraph numbers were lost in the source text)"
            } else {
                " (unnumbered)"
            };
            format!("{head}{section}, block {ordinal}{note}")
        }
    }
}
