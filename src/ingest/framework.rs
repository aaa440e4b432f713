//! Frameworks: which of Ofsted's templates a report follows, and that template's structure,
//! as data.
//!
//! Ofsted publishes its reports on children's services in a handful of templates: the single
//! inspection framework (SIF, 2013–2018) with its re-inspections, the 2013 inspections of
//! services for looked after children, ILACS inspections (2018–, standard and short), and the
//! letters that report focused and monitoring visits. [`recognise`] reads a report's first
//! lines and says which one it is (as charabia detects a script before choosing a segmenter);
//! [`Template`] then describes that template for the other stages: which headings open
//! report-wide sections, which sections describe the inspection rather than report findings,
//! which hold no content at all, where the end matter begins and which sentences are printed
//! word for word in every report.
//!
//! Everything here is data about Ofsted's documents; the stages that use it (metadata,
//! chunking) hold none of this knowledge themselves.

use super::normalise::Line;
use crate::model::{Date, Framework, ReportKind};

/// What [`recognise`] found at the top of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recognised {
    /// The kind of document. An ILACS inspection is [`ReportKind::Inspection`] until its
    /// dates are known (see [`ilacs_kind`]).
    pub kind: ReportKind,
    /// The framework, when the title shows it.
    pub framework: Option<Framework>,
    /// Index (into the lines given) of the title line, when there is one.
    pub title_at: Option<usize>,
}

/// Recognises the template from a report's first text lines (its cover or letter head).
///
/// ```
/// use ofsted_search::ingest::framework::recognise;
/// use ofsted_search::ingest::normalise::normalise;
/// use ofsted_search::{Framework, ReportKind};
/// let lines = normalise("Inspection of Leeds local authority\nchildren's services\nInspection dates: 14 to 25 January 2019");
/// let head: Vec<_> = lines.iter().collect();
/// let found = recognise(&head);
/// assert_eq!((found.kind, found.framework, found.title_at), (ReportKind::Inspection, Some(Framework::Ilacs), Some(0)));
/// ```
pub fn recognise(head: &[&Line]) -> Recognised {
    let found = |kind, framework, at| Recognised {
        kind,
        framework,
        title_at: Some(at),
    };
    let ilacs_cues = head.iter().any(|l| {
        let lower = simplify(&l.text);
        lower.starts_with("the impact of leaders on social work practice")
            || lower.contains("(ilacs)")
            || lower.contains("inspection of local authority children's services")
    });
    for (i, l) in head.iter().enumerate().take(30) {
        let lower = simplify(&l.text);
        // The title may be wrapped over up to three lines: judge it with them joined.
        let joined = head[i..head.len().min(i + 3)]
            .iter()
            .map(|l| simplify(&l.text))
            .collect::<Vec<_>>()
            .join(" ");
        match letter_title(&l.text) {
            Some(ReportKind::FocusedVisit) => {
                return found(ReportKind::FocusedVisit, Some(Framework::Ilacs), i)
            }
            Some(kind) => return found(kind, ilacs_cues.then_some(Framework::Ilacs), i),
            None => {}
        }
        if lower.starts_with("re-inspection of services for children")
            || lower.starts_with("reinspection of services for children")
        {
            return found(ReportKind::Reinspection, Some(Framework::Sif), i);
        }
        if lower.starts_with("inspection of services for children in need of help") {
            return found(ReportKind::Inspection, Some(Framework::Sif), i);
        }
        if lower.starts_with("inspection of looked after children")
            || lower.starts_with("inspection of services for looked after children")
            || lower.starts_with("inspection of safeguarding and looked after children")
        {
            return found(ReportKind::Inspection, Some(Framework::Lac), i);
        }
        if lower.starts_with("review of the effectiveness of the local safeguarding") {
            return found(ReportKind::LscbReview, Some(Framework::Sif), i);
        }
        if lower.starts_with("inspection of ")
            && (joined.contains("local authority children")
                || joined.contains("children's services")
                || joined.contains("childrens services")
                || joined.contains("children's social care services"))
        {
            let framework = (ilacs_cues || joined.contains("local authority children"))
                .then_some(Framework::Ilacs);
            return found(ReportKind::Inspection, framework, i);
        }
        if lower.starts_with("inspection of children") {
            return found(ReportKind::Inspection, None, i);
        }
    }
    Recognised {
        kind: ReportKind::News,
        framework: None,
        title_at: None,
    }
}

/// The kind of visit a letter's title line announces ("Focused visit to Wigan children's
/// services"), or `None` for any other line.
pub fn letter_title(line: &str) -> Option<ReportKind> {
    let lower = simplify(line);
    if lower.starts_with("focused visit to") || lower.starts_with("focused visit of") {
        Some(ReportKind::FocusedVisit)
    } else if lower.starts_with("monitoring visit to") || lower.starts_with("monitoring visit of") {
        Some(ReportKind::MonitoringVisit)
    } else {
        None
    }
}

/// An ILACS inspection's kind from its dates: a short inspection is one week on site, a
/// standard inspection two (Ofsted's ILACS framework), so an inspection of at most seven days
/// is short. Without both dates the kind stays [`ReportKind::Inspection`].
pub fn ilacs_kind(start: Option<Date>, end: Option<Date>) -> ReportKind {
    match (start, end) {
        (Some(s), Some(e)) if days_between(s, e).is_some_and(|d| d <= 7) => {
            ReportKind::ShortInspection
        }
        _ => ReportKind::Inspection,
    }
}

/// Days from `a` to `b` (a civil-calendar difference), `None` when `b` is before `a`.
fn days_between(a: Date, b: Date) -> Option<i64> {
    let day_number = |d: Date| {
        // Days since 1 March of year 0, with March as the first month (Zeller-style).
        let (y, m) = if d.month() <= 2 {
            (i64::from(d.year()) - 1, i64::from(d.month()) + 9)
        } else {
            (i64::from(d.year()), i64::from(d.month()) - 3)
        };
        365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + i64::from(d.day())
    };
    let diff = day_number(b) - day_number(a);
    (diff >= 0).then_some(diff)
}

/// A template's structure, for the chunker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// Letters (focused and monitoring visits): everything above the title line is the
    /// letter's head (Ofsted's address, the date, the recipient's address, "Dear …").
    pub letter: bool,
    /// The section under which prose on the cover page is kept (the ILACS summary after the
    /// judgement table; the SIF overall judgement statement), or `None` when the cover holds
    /// no prose worth keeping.
    pub cover_section: Option<&'static str>,
    /// The section of a letter's opening prose (the visit's dates, inspectors and scope).
    pub letter_section: &'static str,
}

impl Template {
    /// The template of a kind of report.
    pub fn of(kind: ReportKind) -> Template {
        match kind {
            ReportKind::FocusedVisit | ReportKind::MonitoringVisit => Template {
                letter: true,
                cover_section: None,
                letter_section: "Letter",
            },
            ReportKind::News => Template {
                letter: false,
                cover_section: None,
                letter_section: "",
            },
            _ => Template {
                letter: false,
                cover_section: Some("Summary"),
                letter_section: "",
            },
        }
    }
}

/// How a heading's section is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionRole {
    /// Holds no content: contents lists, grade definitions, glossaries, annexes.
    Excluded,
    /// Describes the inspection or the area rather than reporting findings: kept, marked as
    /// context ([`Paragraph::context`](crate::Paragraph::context)).
    Context,
    /// A report-wide section of findings (summary, what needs to improve): no judgement area.
    ReportWide,
}

/// Section headings (lowercase, straight apostrophes, `section n:` prefix removed) that open
/// sections of each role, by the start of their text. Shared by every framework: the
/// templates name these sections the same way.
pub const SECTIONS: &[(&str, SectionRole)] = &[
    ("contents", SectionRole::Excluded),
    ("what the inspection judgements mean", SectionRole::Excluded),
    ("what the inspection judgments mean", SectionRole::Excluded),
    ("glossary", SectionRole::Excluded),
    ("annex", SectionRole::Excluded),
    ("appendix", SectionRole::Excluded),
    (
        "information about this local authority area",
        SectionRole::Context,
    ),
    ("information about this inspection", SectionRole::Context),
    ("the inspection team", SectionRole::Context),
    ("inspection team", SectionRole::Context),
    ("summary of key findings", SectionRole::ReportWide),
    ("summary of findings", SectionRole::ReportWide),
    ("executive summary", SectionRole::ReportWide),
    (
        "summary for children and young people",
        SectionRole::ReportWide,
    ),
    (
        "what does the local authority need to improve",
        SectionRole::ReportWide,
    ),
    ("what needs to improve", SectionRole::ReportWide),
    ("headline findings", SectionRole::ReportWide),
    ("main findings", SectionRole::ReportWide),
    ("overall findings", SectionRole::ReportWide),
    ("recommendations", SectionRole::ReportWide),
    ("areas for improvement", SectionRole::ReportWide),
    ("the local authority's strengths", SectionRole::ReportWide),
    ("the local authoritys strengths", SectionRole::ReportWide),
    (
        "the local authority has the following strengths",
        SectionRole::ReportWide,
    ),
    (
        "progress since the last inspection",
        SectionRole::ReportWide,
    ),
    (
        "inspection judgements about the local authority",
        SectionRole::ReportWide,
    ),
    (
        "inspection judgments about the local authority",
        SectionRole::ReportWide,
    ),
];

/// The role of a section heading, if it opens one of the [`SECTIONS`].
pub fn section_role(heading: &str) -> Option<SectionRole> {
    let lower = simplify(heading);
    let bare = strip_section_prefix(&lower);
    SECTIONS
        .iter()
        .find(|(start, _)| bare.starts_with(start))
        .map(|&(_, role)| role)
}

/// Starts of the lines at which a report's end matter begins: everything from such a line to
/// the end of the text is Ofsted's standard closing (the letter's sign-off, the statement
/// about Ofsted, licence, addresses, copyright), never report content.
pub const END_MATTER: &[&str] = &[
    "the office for standards in education, children's services and skills (ofsted)",
    "ofsted will take the findings from this",
    "any complaints about the inspection or the report should be made",
    "yours sincerely",
    "yours faithfully",
];

/// True when `line` begins the end matter.
pub fn starts_end_matter(line: &str) -> bool {
    let lower = simplify(line);
    END_MATTER.iter().any(|m| lower.starts_with(m))
}

/// Sentences Ofsted prints word for word in every report of a framework (statutory notes,
/// standard expectations). A block that consists of one of them is not content.
pub const BOILERPLATE: &[&str] = &[
    "it is ofsted's expectation that, as a minimum, all children and young people receive good help, care and protection",
    "ofsted produces this report under its power to combine reports",
    "this report includes the report of the inspection of local authority functions",
    "this document may be reproduced in whole or in part",
    "the local authority was given the opportunity to review this section of the report",
    "further copies of this report are obtainable",
];

/// True when a block of text is one of the [`BOILERPLATE`] sentences (or starts with one),
/// compared word by word so that conversions that lost commas or apostrophes still match.
pub fn is_boilerplate(text: &str) -> bool {
    let text = words(text);
    BOILERPLATE.iter().any(|b| {
        let b = words(b);
        text.len() >= b.len() && text[..b.len()] == b[..]
    })
}

/// Lowercase alphanumeric words, apostrophes dropped ("Ofsted’s" → "ofsteds").
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The cover's field labels ("Inspection dates: …", "Lead inspector: …"): metadata, which
/// the report stage reads, not prose.
pub const COVER_FIELDS: &[&str] = &[
    "the judgements on areas of the service",
    "the judgments on areas of the service",
    "inspection date",
    "dates of inspection",
    "lead inspector",
    "reporting inspector",
    "report published",
    "published",
    "date of publication",
    "age group",
    "unique reference number",
    "website",
];

/// True for a cover field line (see [`COVER_FIELDS`]).
pub fn is_cover_field(line: &str) -> bool {
    let lower = simplify(line);
    COVER_FIELDS.iter().any(|f| lower.starts_with(f))
}

/// True for the statements of the overall judgement that open a cover page ("The overall
/// judgement is requires improvement", "Children's services in Birmingham are inadequate").
pub fn is_cover_statement(line: &str) -> bool {
    let lower = simplify(line);
    [
        "the overall judgement is",
        "the overall judgment is",
        "children's services in ",
        "childrens services in ",
    ]
    .iter()
    .any(|s| lower.starts_with(s))
        && lower.split_whitespace().count() <= 16
}

/// Lowercase, straight apostrophes, single spaces (as the judgement recogniser compares).
pub(crate) fn simplify(text: &str) -> String {
    super::judgement::normalise_words(text)
}

/// `section 1: the local authority` → `the local authority`.
pub(crate) fn strip_section_prefix(lower: &str) -> &str {
    if let Some(rest) = lower.strip_prefix("section ") {
        if let Some((_, after)) = rest.split_once(':') {
            return after.trim();
        }
    }
    lower.trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::normalise::normalise;

    fn recognised(text: &str) -> (ReportKind, Option<Framework>) {
        let lines = normalise(text);
        let head: Vec<&Line> = lines.iter().filter(|l| !l.is_blank()).collect();
        let r = recognise(&head);
        (r.kind, r.framework)
    }

    #[test]
    fn every_template_is_recognised_by_its_title() {
        use Framework::*;
        use ReportKind::*;
        let cases = [
            ("City of Bradford Metropolitan District\nCouncil\nInspection of services for children in need of help and\nprotection", (Inspection, Some(Sif))),
            ("Birmingham\nRe-inspection of services for children in need of help and\nprotection", (Reinspection, Some(Sif))),
            ("Inspection of looked after children\nservices\nSandwell Metropolitan Borough Council", (Inspection, Some(Lac))),
            ("Inspection of Thurrock local authority\nchildren’s services\nInspection dates: 16 to 20 September 2024", (Inspection, Some(Ilacs))),
            ("Council of the Isles of Scilly\nInspection of children’s social care services\nThe impact of leaders on social work practice with children", (Inspection, Some(Ilacs))),
            ("Ofsted\nPiccadilly Gate\nDear Ms Dutton\nFocused visit to Wigan children’s services", (FocusedVisit, Some(Ilacs))),
            ("Monitoring visit to Sheffield children's services", (MonitoringVisit, None)),
            ("Ofsted looks at Sheffield's improvement work", (News, None)),
        ];
        for (text, want) in cases {
            assert_eq!(recognised(text), want, "{text}");
        }
    }

    #[test]
    fn ilacs_short_inspections_last_a_week() {
        let d = |s: &str| s.parse::<Date>().ok();
        assert_eq!(
            ilacs_kind(d("2024-09-16"), d("2024-09-20")),
            ReportKind::ShortInspection
        );
        assert_eq!(
            ilacs_kind(d("2026-04-27"), d("2026-05-01")),
            ReportKind::ShortInspection
        );
        assert_eq!(
            ilacs_kind(d("2021-09-20"), d("2021-10-01")),
            ReportKind::Inspection
        );
        assert_eq!(ilacs_kind(None, d("2021-10-01")), ReportKind::Inspection);
        assert_eq!(
            days_between(
                Date::new(2023, 12, 30).unwrap(),
                Date::new(2024, 3, 1).unwrap()
            ),
            Some(62)
        );
    }

    #[test]
    fn section_roles_and_end_matter() {
        assert_eq!(
            section_role("Section 1: Information about this inspection"),
            Some(SectionRole::Context)
        );
        assert_eq!(
            section_role("What needs to improve?"),
            Some(SectionRole::ReportWide)
        );
        assert_eq!(section_role("Contents"), Some(SectionRole::Excluded));
        assert_eq!(section_role("Early help"), None);
        assert!(starts_end_matter("Yours sincerely"));
        assert!(starts_end_matter(
            "The Office for Standards in Education, Children’s Services and Skills (Ofsted) regulates and inspects to"
        ));
        assert!(!starts_end_matter(
            "Ofsted inspectors found that leaders are effective."
        ));
    }
}
