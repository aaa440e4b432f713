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

/// Where a paragraph sits in its report, for its citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place<'a> {
    /// The printed paragraph number, when the source kept it.
    pub number: Option<u32>,
    /// The paragraph's position among the report's paragraphs, from 1.
    pub ordinal: u32,
    /// The section heading.
    pub section: &'a str,
    /// The page the paragraph starts on, when the source has pages.
    pub page: Option<u32>,
    /// Whether the report has any numbered paragraph (if not, an inspection report lost its
    /// numbering in conversion, and the citation says so).
    pub report_has_numbers: bool,
}

/// The citation of a paragraph, e.g.
/// `Sheffield City Council, Ofsted inspection of children's services (2014), para 41, p. 12`.
///
/// A block without a number names its section and its position; when the report has no
/// numbered paragraphs at all although it is an inspection report, the citation says the
/// source lost its numbering, so that a reader looks for the words rather than a number. The
/// page is named when the source has pages (a PDF, or text with form feeds).
///
/// ```
/// use ofsted_search::citation::{citation, Place};
/// use ofsted_search::{Report, ReportKind};
/// let report = Report {
///     report_id: "sheffield-city-council/2014-inspection".into(),
///     authority: "Sheffield City Council".into(),
///     kind: ReportKind::Inspection,
///     framework: None,
///     title: None,
///     inspection_start: None,
///     inspection_end: None,
///     published: None,
///     year: Some(2014),
///     published_year: None,
///     overall_grade: None,
///     judgements: Default::default(),
/// };
/// let place = Place { number: Some(41), ordinal: 50, section: "", page: Some(12), report_has_numbers: true };
/// assert_eq!(citation(&report, &place),
///            "Sheffield City Council, Ofsted inspection of children's services (2014), para 41, p. 12");
/// ```
pub fn citation(report: &Report, place: &Place<'_>) -> String {
    let year = report
        .year
        .map(|y| y.to_string())
        .unwrap_or_else(|| "undated".into());
    let head = format!(
        "{}, {} ({year})",
        report.authority,
        report.kind.citation_label()
    );
    let page = place.page.map(|p| format!(", p. {p}")).unwrap_or_default();
    match place.number {
        Some(n) => format!("{head}, para {n}{page}"),
        None => {
            let section = if place.section.is_empty() {
                String::new()
            } else {
                format!(", section \"{}\"", place.section)
            };
            let note = if !place.report_has_numbers && report.kind != crate::ReportKind::News {
                " (paragraph numbers were lost in the source text)"
            } else {
                " (unnumbered)"
            };
            format!("{head}{section}, block {}{page}{note}", place.ordinal)
        }
    }
}
