//! Chunking: the report body cut into numbered paragraphs, or into paragraph-like blocks
//! where the numbers were lost, each with its section heading, judgement area and grade.
//!
//! The chunker walks the normalised lines once, keeping a small state: which part of the
//! report it is in (cover, local authority, LSCB), which section heading and judgement area
//! apply, and whether the section is one that holds no paragraphs (contents, statistics,
//! grade definitions, end matter). It decides line by line:
//!
//! - A line `N. Text` (after any bullet marker) whose number follows the previous one starts
//!   a numbered paragraph. The sequence check keeps statistics bullets ("- 10 live in
//!   residential special schools") and front-table rows from being taken for paragraphs.
//! - Everything after a numbered paragraph, up to the next heading or numbered paragraph,
//!   belongs to it: wrapped lines, bullet sub-lists, and continuations after a page break,
//!   whatever they start with (a bullet marker, a lowercase word, a capitalised sentence).
//! - Without numbers, blocks are split on the signals that survive conversion: a sentence end
//!   followed by a capitalised line after a blank gap or a line with slack (a short last line
//!   of a wrapped paragraph), a lowercase start right after a sentence end (the paragraph's
//!   first line was lost), and bullets. A block never spans a heading, so never two sections.

use unicode_segmentation::UnicodeSegmentation;

use super::judgement::{area_in, grade_only, heading_judgement, table_row};
use super::normalise::{Line, LineKind};
use super::Warning;
use crate::citation;
use crate::model::{Area, Grade, Paragraph, Report, ReportKind};

/// Cuts the report body into paragraphs, in document order, with ids and citations.
///
/// Themes are left empty; the [`Taxonomy`](super::Taxonomy) assigns them.
pub fn chunk(
    lines: &[Line],
    report: &Report,
    input: &str,
    warnings: &mut Vec<Warning>,
) -> Vec<Paragraph> {
    let layout = Layout::measure(lines);
    let mut chunker = Chunker::new(report, layout, true);
    let mut local_warnings = Vec::new();
    chunker.run(lines, input, &mut local_warnings);
    if chunker.out.is_empty() {
        // No structural heading was recognised, so everything was taken for a cover page: read
        // the whole text as body instead of returning nothing.
        chunker = Chunker::new(report, layout, false);
        local_warnings.clear();
        chunker.run(lines, input, &mut local_warnings);
    }
    warnings.extend(local_warnings);
    let numbered = chunker.out.iter().any(|b| b.number.is_some());
    chunker
        .out
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let ordinal = i as u32 + 1;
            Paragraph {
                id: citation::paragraph_id(&report.report_id, b.number, ordinal),
                report_id: report.report_id.clone(),
                authority: report.authority.clone(),
                year: report.year,
                number: b.number,
                ordinal,
                citation: citation::citation(report, b.number, ordinal, &b.section, numbered),
                section: b.section,
                area: b.area,
                grade: b.grade,
                themes: Vec::new(),
                text: b.text,
                line: b.line,
            }
        })
        .collect()
}

/// How the text is laid out: hard-wrapped at a fixed width, or one paragraph per line.
#[derive(Debug, Clone, Copy)]
struct Layout {
    wrapped: bool,
    /// Typical length of a full wrapped line.
    width: usize,
}

impl Layout {
    fn measure(lines: &[Line]) -> Layout {
        let mut lens: Vec<usize> = lines
            .iter()
            .filter(|l| l.kind == LineKind::Text && l.raw_len >= 40)
            .map(|l| l.raw_len)
            .collect();
        if lens.is_empty() {
            return Layout {
                wrapped: false,
                width: 0,
            };
        }
        lens.sort_unstable();
        let median = lens[lens.len() / 2];
        let p90 = lens[lens.len() * 9 / 10];
        // Wrapped text has most long lines within a narrow band and few very long lines.
        let unterminated = lines
            .iter()
            .filter(|l| l.kind == LineKind::Text && l.raw_len >= 40 && !ends_sentence(&l.text))
            .count();
        let wrapped = median <= 110 && p90 <= 130 && unterminated * 2 >= lens.len();
        Layout {
            wrapped,
            width: median,
        }
    }
}

/// A paragraph under construction.
#[derive(Debug)]
struct Block {
    number: Option<u32>,
    text: String,
    line: usize,
    section: String,
    area: Option<Area>,
    grade: Option<Grade>,
    /// The last source line appended, and its raw length.
    last_line: usize,
    last_len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The cover page: judgement tables and overall statements, not paragraphs.
    Cover,
    LocalAuthority,
    Lscb,
}

/// Why the chunker is skipping lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exclusion {
    /// A contents list. Its entries look like headings; `pending` says whether the last of
    /// them starts an excluded section, which decides once prose begins.
    Contents { pending: bool },
    /// A section without paragraphs: statistics, grade definitions, end matter.
    Section,
}

/// What a heading does to the chunker's state.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Heading {
    /// Furniture of judgement tables ("Key judgement"): changes nothing.
    Ignore,
    /// Starts the local authority part.
    LocalAuthorityPart,
    /// Starts the LSCB part, with the grade when the heading states it.
    LscbPart(Option<Grade>),
    /// A section that holds no paragraphs (contents, statistics, grade definitions, end matter).
    Excluded,
    /// A report-wide section (summary of findings, recommendations): no area.
    ReportWide,
    /// A judgement section, with the grade when the heading states it.
    Judgement(Area, Option<Grade>),
    /// Any other heading: a sub-section of whatever section is current.
    Sub,
}

struct Chunker<'r> {
    report: &'r Report,
    layout: Layout,
    part: Part,
    exclusion: Option<Exclusion>,
    section: String,
    /// The judgement or report-wide heading the current sub-sections sit under.
    area_heading: Option<String>,
    area: Option<Area>,
    grade: Option<Grade>,
    last_number: Option<u32>,
    open: Option<Block>,
    out: Vec<Block>,
}

impl<'r> Chunker<'r> {
    fn new(report: &'r Report, layout: Layout, cover: bool) -> Chunker<'r> {
        let cover = cover && report.kind != ReportKind::News;
        Chunker {
            report,
            layout,
            part: if cover {
                Part::Cover
            } else {
                Part::LocalAuthority
            },
            exclusion: None,
            section: report.title.clone().unwrap_or_default(),
            area_heading: None,
            area: None,
            grade: if report.kind == ReportKind::News {
                None
            } else {
                report.overall_grade
            },
            last_number: None,
            open: None,
            out: Vec::new(),
        }
    }

    fn skipping(&self) -> bool {
        self.part == Part::Cover || self.exclusion.is_some()
    }

    fn run(&mut self, lines: &[Line], input: &str, warnings: &mut Vec<Warning>) {
        let mut gap = 0usize;
        let mut i = 0;
        while i < lines.len() {
            let line = &lines[i];
            i += 1;
            match line.kind {
                LineKind::Blank => {
                    gap += 1;
                    continue;
                }
                LineKind::Text => {}
                // Footnotes and furniture sit inside page breaks; they neither end nor join.
                _ => continue,
            }
            let text = line.text.as_str();
            if is_contents_entry(text) || grade_only(text).is_some() || table_row(text).is_some() {
                gap = 0;
                continue;
            }
            if let Some((n, rest)) = self.numbered_start(line, input, warnings) {
                self.close();
                if self.part == Part::Cover {
                    self.part = Part::LocalAuthority;
                }
                self.exclusion = None;
                self.last_number = Some(n);
                self.open = Some(self.block(Some(n), rest, line));
                gap = 0;
                continue;
            }
            if let Some(heading_text) = self.heading_at(lines, i - 1, gap) {
                // A heading wrapped onto a second, lowercase line is one heading.
                let mut heading_text = heading_text;
                if let Some(next) = lines.get(i) {
                    if next.kind == LineKind::Text
                        && next.number == line.number + 1
                        && starts_lowercase(&next.text)
                        && next.text.len() < 60
                        && !ends_sentence(&next.text)
                        && line.heading.is_none()
                    {
                        heading_text = format!("{heading_text} {}", next.text);
                        i += 1;
                    }
                }
                self.close();
                let kind = self.classify(&heading_text, lines, i, line.heading);
                self.apply_heading(kind, heading_text);
                gap = 0;
                continue;
            }
            if let Some(Exclusion::Contents { pending }) = self.exclusion {
                // The first prose after a contents list: the headings since then decide.
                self.exclusion = pending.then_some(Exclusion::Section);
            }
            if self.skipping() {
                gap = 0;
                continue;
            }
            self.content(line, gap);
            gap = 0;
        }
        self.close();
    }

    /// A numbered paragraph's start, checked against the sequence so far.
    fn numbered_start<'l>(
        &self,
        line: &'l Line,
        input: &str,
        warnings: &mut Vec<Warning>,
    ) -> Option<(u32, &'l str)> {
        if line.bullet == Some(2) || line.heading.is_some() {
            return None;
        }
        let (n, rest) = parse_number(&line.text)?;
        match self.last_number {
            None => Some((n, rest)),
            Some(last) if n == last + 1 => Some((n, rest)),
            Some(last) if n > last + 1 && n <= last + 4 => {
                warnings.push(Warning {
                    input: input.to_string(),
                    line: Some(line.number),
                    message: format!(
                        "paragraph {n} follows paragraph {last}: paragraphs {} to {} are missing from the text",
                        last + 1,
                        n - 1
                    ),
                });
                Some((n, rest))
            }
            Some(last) => {
                if !self.skipping() && n > 0 && rest.len() > 40 {
                    warnings.push(Warning {
                        input: input.to_string(),
                        line: Some(line.number),
                        message: format!(
                            "'{n}.' does not follow paragraph {last}; kept as text of the paragraph before"
                        ),
                    });
                }
                None
            }
        }
    }

    /// The heading text if line `at` is a heading.
    fn heading_at(&self, lines: &[Line], at: usize, gap: usize) -> Option<String> {
        let line = &lines[at];
        let text = line.text.as_str();
        if line.heading.is_some() {
            return Some(text.replace('\t', " "));
        }
        if line.bullet.is_some() || (self.layout.wrapped && line.indent > 0) {
            return None;
        }
        let words = text.split_whitespace().count();
        let first = text.chars().next()?;
        if !(first.is_uppercase() || first.is_ascii_digit()) || words > 16 || text.len() > 120 {
            return None;
        }
        let question = text.ends_with('?') && words <= 12;
        // "This local authority is good because" introduces a list; it is not a heading.
        if text.ends_with(" because") {
            return None;
        }
        if (ends_sentence(text) || text.ends_with([',', ';', ':', '-', '–'])) && !question {
            return None;
        }
        // A line that directly continues an unterminated line is wrapped prose, not a heading.
        let prev = lines[..at].iter().rev().find(|l| l.kind == LineKind::Text);
        if gap == 0 {
            if let (Some(prev), Some(open)) = (prev, &self.open) {
                if open.last_line == prev.number
                    && !ends_sentence(&prev.text)
                    && !prev.text.ends_with(':')
                {
                    return None;
                }
            }
        }
        if self.layout.wrapped && !known_heading(text) {
            // In wrapped text a heading is a short line: the next word would have fitted.
            let next = lines[at + 1..]
                .iter()
                .find(|l| l.kind != LineKind::Footnote);
            let short = line.raw_len * 10 <= self.layout.width * 7;
            let next_blank = next.is_none_or(|n| n.is_blank());
            if !short && !next_blank {
                return None;
            }
            // A lowercase line right below continues the sentence, unless the candidate is a
            // very short line standing after a gap, as headings do.
            let standalone = gap > 0 && line.raw_len * 2 <= self.layout.width;
            if let Some(n) = next.filter(|n| !n.is_blank() && !standalone) {
                if n.indent == 0 && starts_lowercase(&n.text) && n.text.len() >= 60 {
                    return None;
                }
            }
        }
        Some(text.replace('\t', " "))
    }

    fn classify(&self, text: &str, lines: &[Line], next: usize, md_level: Option<u8>) -> Heading {
        let lower = text.to_lowercase().replace('’', "'");
        let bare = strip_section_prefix(&lower);

        if IGNORE.contains(&bare) {
            return Heading::Ignore;
        }

        if EXCLUDED.iter().any(|p| bare.starts_with(p)) {
            return Heading::Excluded;
        }
        if bare == "the local authority" || lower.starts_with("section 1") {
            return Heading::LocalAuthorityPart;
        }
        if let Some((area, grade)) = heading_judgement(text) {
            return if area == Area::Lscb {
                Heading::LscbPart(Some(grade))
            } else {
                Heading::Judgement(area, Some(grade))
            };
        }
        let area = area_in(&lower);
        if area == Some(Area::Lscb)
            && !bare.starts_with("review of")
            && (bare.starts_with("the local safeguarding children board")
                || bare.starts_with("the effectiveness of")
                || lower.starts_with("section 2"))
        {
            return Heading::LscbPart(None);
        }

        if REPORT_WIDE.iter().any(|p| bare.starts_with(p)) {
            return if self.part == Part::Lscb {
                Heading::Sub
            } else {
                Heading::ReportWide
            };
        }
        if let Some(area) = area {
            if area != Area::Lscb {
                // A judgement heading without its grade: recognised by its wording, its markdown
                // level, or a grade standing alone on the next lines ("Key judgement" tables).
                let grade_follows = lines[next..]
                    .iter()
                    .filter(|l| l.kind == LineKind::Text)
                    .take(2)
                    .find_map(|l| grade_only(&l.text));
                let worded = bare.starts_with("the experiences and progress")
                    || bare.starts_with("the graded judg");
                if grade_follows.is_some() || worded || md_level.is_some_and(|l| l <= 3) {
                    return Heading::Judgement(area, grade_follows);
                }
            }
        }
        Heading::Sub
    }

    fn apply_heading(&mut self, kind: Heading, text: String) {
        let report_grade = |area: Area| self.report.judgements.get(&area).copied();
        match kind {
            Heading::Ignore => return,
            Heading::Excluded => {
                if self.part == Part::Cover {
                    self.part = Part::LocalAuthority;
                }
                self.exclusion = match self.exclusion {
                    _ if text.to_lowercase().starts_with("contents") => {
                        Some(Exclusion::Contents { pending: false })
                    }
                    Some(Exclusion::Contents { .. }) => Some(Exclusion::Contents { pending: true }),
                    _ => Some(Exclusion::Section),
                };
            }
            Heading::LocalAuthorityPart => {
                // End matter repeats "The local authority" as a sub-heading of the grade
                // definitions; only a numbered part heading ends an excluded section.
                if self.exclusion == Some(Exclusion::Section)
                    && !text.to_lowercase().starts_with("section")
                {
                    return;
                }
                self.part = Part::LocalAuthority;
                self.end_exclusion();
                self.area_heading = None;
                self.area = None;
                self.grade = self.report.overall_grade;
            }
            Heading::LscbPart(grade) => {
                if self.part == Part::Cover {
                    // The cover's LSCB statement is part of the cover.
                    return;
                }
                self.part = Part::Lscb;
                self.end_exclusion();
                self.area_heading = Some(text.clone());
                self.area = Some(Area::Lscb);
                self.grade = grade.or_else(|| report_grade(Area::Lscb));
            }
            Heading::ReportWide => {
                if self.part == Part::Cover {
                    self.part = Part::LocalAuthority;
                }
                self.end_exclusion();
                self.area_heading = Some(text.clone());
                self.area = None;
                self.grade = self.report.overall_grade;
            }
            Heading::Judgement(area, grade) => {
                if self.part == Part::Cover {
                    return;
                }
                self.end_exclusion();
                self.area_heading = Some(text.clone());
                self.area = Some(area);
                self.grade = grade.or_else(|| report_grade(area));
            }
            Heading::Sub => {
                if self.skipping() {
                    // Sub-headings of a cover or an excluded section stay excluded.
                    self.section = text;
                    return;
                }
            }
        }
        self.section = match (&kind, &self.area_heading) {
            (Heading::Sub, Some(parent)) if parent != &text => format!("{parent}: {text}"),
            _ => text,
        };
    }

    /// A heading that starts a section with paragraphs: inside a contents list it is only an
    /// entry, and the list ends at the first prose.
    fn end_exclusion(&mut self) {
        self.exclusion = match self.exclusion {
            Some(Exclusion::Contents { .. }) => Some(Exclusion::Contents { pending: false }),
            _ => None,
        };
    }

    /// A content line outside any heading.
    fn content(&mut self, line: &Line, gap: usize) {
        let text = line.text.replace('\t', " ");
        let new_block = match &self.open {
            None => true,
            // Everything up to the next heading or number belongs to a numbered paragraph.
            Some(open) if open.number.is_some() => false,
            Some(open) => self.starts_new_block(open, line, gap),
        };
        if new_block {
            self.close();
            self.open = Some(self.block(None, &text, line));
        } else if let Some(open) = &mut self.open {
            append(&mut open.text, &text);
            open.last_line = line.number;
            open.last_len = line.raw_len;
        }
    }

    /// Whether an unnumbered line starts a new block rather than continuing the open one.
    fn starts_new_block(&self, open: &Block, line: &Line, gap: usize) -> bool {
        let text = line.text.as_str();
        let lower_start = starts_lowercase(text);
        if line.bullet == Some(2) {
            return false;
        }
        if line.bullet.is_some() || (self.layout.wrapped && line.indent > 0) {
            // A bullet marker in front of a lowercase word continues across a page break.
            return !(lower_start && gap > 0 && !ends_sentence(&open.text));
        }
        if !ends_at_sentence(&open.text) {
            // An unfinished sentence continues, across line and page breaks.
            return false;
        }
        if lower_start {
            // After a finished sentence a lowercase start means the paragraph's first line
            // was lost in conversion: a new paragraph begins mid-sentence.
            return true;
        }
        if gap > 0 || !self.layout.wrapped {
            return true;
        }
        // Wrapped text: a sentence that ends on a line with room to spare ended the paragraph.
        let next_word = text
            .split_whitespace()
            .next()
            .map_or(0, |w| w.chars().count());
        open.last_len + 1 + next_word < self.layout.width
    }

    fn block(&self, number: Option<u32>, text: &str, line: &Line) -> Block {
        Block {
            number,
            text: text.replace('\t', " "),
            line: line.number,
            section: self.section.clone(),
            area: self.area,
            grade: self.grade,
            last_line: line.number,
            last_len: line.raw_len,
        }
    }

    fn close(&mut self) {
        let Some(block) = self.open.take() else {
            return;
        };
        let words = block.text.split_whitespace().count();
        // A lead-in to a list ("This local authority is good because:") or a stray fragment
        // is structure, not a paragraph; numbered paragraphs are always kept.
        let keep = block.number.is_some()
            || (words >= 6 && !(is_lead_in(&block.text) && words <= 20))
            || (words >= 3 && ends_sentence(&block.text));
        if keep {
            self.out.push(block);
        }
    }
}

const IGNORE: &[&str] = &[
    "key judgement",
    "judgement grade",
    "key judgment",
    "judgment grade",
];

const EXCLUDED: &[&str] = &[
    "contents",
    "information about this local authority area",
    "information about this inspection",
    "what the inspection judgements mean",
    "what the inspection judgments mean",
    "the inspection team",
    "inspection team",
    "glossary",
    "annex",
    "appendix",
];

const REPORT_WIDE: &[&str] = &[
    "summary of key findings",
    "summary of findings",
    "executive summary",
    "summary for children and young people",
    "what does the local authority need to improve",
    "what needs to improve",
    "headline findings",
    "main findings",
    "overall findings",
    "recommendations",
    "the local authority's strengths",
    "the local authoritys strengths",
    "the local authority has the following strengths",
    "progress since the last inspection",
    "inspection judgements about the local authority",
    "inspection judgments about the local authority",
];

/// Headings recognised by their wording, whatever their length.
fn known_heading(text: &str) -> bool {
    let lower = text.to_lowercase().replace('’', "'");
    let bare = strip_section_prefix(&lower);
    bare.starts_with("the graded judg")
        || bare.starts_with("the experiences and progress")
        || bare.starts_with("inspection judgement")
        || bare.starts_with("inspection judgment")
        || EXCLUDED
            .iter()
            .chain(REPORT_WIDE)
            .any(|p| bare.starts_with(p))
}

/// A sentence that introduces a list: "…is good because", "The report highlighted:".
fn is_lead_in(text: &str) -> bool {
    text.ends_with(':') || text.ends_with(" because")
}

/// `12. Text…` → (12, "Text…"). The text must start like a sentence.
fn parse_number(text: &str) -> Option<(u32, &str)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = text[digits..].strip_prefix('.')?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim_start();
    let first = rest.chars().next()?;
    if !(first.is_uppercase() || first.is_ascii_digit() || "\"'‘“(".contains(first)) {
        return None;
    }
    let n: u32 = text[..digits].parse().ok()?;
    (n > 0).then_some((n, rest))
}

/// A contents line ends with its page number after a tab.
fn is_contents_entry(text: &str) -> bool {
    match text.rsplit_once('\t') {
        Some((label, page)) => {
            !label.trim().is_empty()
                && !page.is_empty()
                && page.len() <= 3
                && page.chars().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

fn strip_section_prefix(lower: &str) -> &str {
    if let Some(rest) = lower.strip_prefix("section ") {
        if let Some((_, after)) = rest.split_once(':') {
            return after.trim();
        }
    }
    lower.trim()
}

fn starts_lowercase(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_lowercase)
}

/// Ends with sentence punctuation, allowing closing quotes and brackets after it.
fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end_matches(['"', '\'', '’', '”', ')', ']']);
    t.ends_with(['.', '!', '?'])
}

/// Like [`ends_sentence`], and the last sentence boundary of the text is at its end (so an
/// abbreviation such as "e.g." or "Mr." does not end a block).
fn ends_at_sentence(t: &str) -> bool {
    if !ends_sentence(t) {
        return false;
    }
    let tail_start = t.len().saturating_sub(120);
    let tail_start = (tail_start..t.len())
        .find(|&i| t.is_char_boundary(i))
        .unwrap_or(0);
    let tail = &t[tail_start..];
    let last_word = tail.split_whitespace().last().unwrap_or("");
    const ABBREVIATIONS: &[&str] = &[
        "e.g.", "i.e.", "etc.", "Mr.", "Mrs.", "Ms.", "Dr.", "No.", "St.",
    ];
    if ABBREVIATIONS.contains(&last_word) {
        return false;
    }
    tail.split_sentence_bound_indices().last().is_some()
}

/// Appends a line to a paragraph, rejoining words hyphenated across the line break.
fn append(text: &mut String, line: &str) {
    if text.ends_with('-')
        && text[..text.len() - 1].ends_with(char::is_alphabetic)
        && starts_lowercase(line)
    {
        text.push_str(line);
    } else {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::normalise::normalise;
    use crate::ingest::report::{parse_report, ReportOverrides};

    fn run(text: &str) -> Vec<Paragraph> {
        let lines = normalise(text);
        let mut w = Vec::new();
        let report = parse_report(&lines, &ReportOverrides::default(), "t.txt", &mut w);
        chunk(&lines, &report, "t.txt", &mut w)
    }

    const COVER: &str = "Sheffield City Council\n\nInspection of services for children in need of help and protection\n\n\
        Inspection dates: 19 November-11 December 2013 and 28 – 30 January 2014\n\n\
        The overall judgement is **requires improvement**\n\n\
        1. Children who need help and protection\t\tGood\n\
        2. Children looked after and achieving permanence\t\tRequires improvement\n\
        \t2.1 Adoption performance\tRequires improvement\n\n";

    #[test]
    fn front_table_rows_are_not_paragraphs_and_numbers_are_exact() {
        let text = format!(
            "{COVER}Section 1: The local authority\n\nSummary of key findings\n\n\
             - 1. Child protection strategy discussions do not include the relevant agencies.\n\
             - 2. Some plans for looked after children are unclear.\n"
        );
        let ps = run(&text);
        assert_eq!(
            ps.iter().map(|p| p.number).collect::<Vec<_>>(),
            [Some(1), Some(2)]
        );
        assert_eq!(ps[0].section, "Summary of key findings");
        assert_eq!(ps[0].grade, Some(Grade::RequiresImprovement));
        assert_eq!(ps[0].id, "sheffield-city-council/2014-inspection/1");
        assert_eq!(
            ps[0].citation,
            "Sheffield City Council, Ofsted inspection of children's services (2014), para 1"
        );
    }

    #[test]
    fn page_break_continuations_of_every_form_are_stitched() {
        let text = format!(
            "{COVER}Inspection judgements about the local authority\n\n\
             The experiences and progress of children who need help and protection are good\n\n\
             - 9. The council has changed the way\n\n\n\n- staff to deliver planned changes.\n\
             - 10. When risk reduces, support is reduced gradually and\n\n\n\nappropriately in line with needs.\n\
             - 11. A network meeting considers perpetrators.\n\n\n\nHowever, there is no strategic oversight.\n\
             - 12. Improve the educational achievement of children by:\n - targeting the pupil premium\n - monitoring progress.\n"
        );
        let ps = run(&text);
        let texts: Vec<_> = ps.iter().map(|p| (p.number, p.text.as_str())).collect();
        assert_eq!(
            texts,
            [
                (Some(9), "The council has changed the way staff to deliver planned changes."),
                (Some(10), "When risk reduces, support is reduced gradually and appropriately in line with needs."),
                (Some(11), "A network meeting considers perpetrators. However, there is no strategic oversight."),
                (Some(12), "Improve the educational achievement of children by: targeting the pupil premium monitoring progress."),
            ]
        );
        assert!(ps
            .iter()
            .all(|p| p.area == Some(Area::HelpAndProtection) && p.grade == Some(Grade::Good)));
    }

    #[test]
    fn statistics_bullets_are_not_paragraphs() {
        let text = format!(
            "{COVER}Summary of key findings\n\n9. Senior officers have increased funding.\n\n\
             Information about this local authority area\n\nChildren looked after in this area\n\n\
             - 10 live in residential special schools, all out of area\n- 679 live with foster families\n\n\
             Inspection judgements about the local authority\n\n\
             The experiences and progress of children who need help and protection are good\n\n\
             10. Social workers and courts work well together.\n"
        );
        let ps = run(&text);
        assert_eq!(
            ps.iter().map(|p| p.number).collect::<Vec<_>>(),
            [Some(9), Some(10)]
        );
        assert!(ps[1].text.starts_with("Social workers"));
    }

    #[test]
    fn out_of_sequence_numbers_are_text() {
        let text = format!("{COVER}Summary of key findings\n\n5. First point is made here.\n3. Not a paragraph start but a list inside.\n6. Next point.\n");
        let ps = run(&text);
        assert_eq!(
            ps.iter().map(|p| p.number).collect::<Vec<_>>(),
            [Some(5), Some(6)]
        );
        assert!(ps[0].text.contains("3. Not a paragraph start"));
    }

    #[test]
    fn wrapped_text_without_numbers_splits_into_blocks_within_sections() {
        let wrapped = "Metropolitan Borough of Rotherham\nInspection of services for children in need of help and\n\
protection, children looked after and care leavers\n\
Inspection date: 16 September  8 October 2014\n\
The overall judgement is that childrens services are inadequate\n\n\
The local authority\n\
Inspection judgements about the local authority\n\
Key judgement\n\nJudgement grade\n\nThe experiences and progress of children\nwho need help and protection\n\nInadequate\n\n\
Summary\n\
Serious and widespread failures in child protection work mean that children and\n\
young people are not adequately protected by the agencies that work with them.\n\n\n\
through a broad range of local services underpinned by a detailed early help\n\
strategy. Early help is coordinated through the Early Help Assessment Team\n\
(EHAT) when the threshold for social care intervention is not met by referrals.\n\
majority of which were judged to be good or better in their most recent Ofsted\n\
inspections. In the past year, 717 families received early help, which prevented\n\
the need for more intensive support.\n\
Caseloads of individual social workers are too high.\n\n\
Leadership, management and\ngovernance\n\nInadequate\n\n\
reporting. An example is that a quarter of all complaints about childrens\n\
services are not responded to in a timely way, and young people are not\n\
involved in the development of the service that supports them.\n";
        let ps = run(wrapped);
        let got: Vec<_> = ps
            .iter()
            .map(|p| {
                (
                    p.number,
                    p.area,
                    p.text.split(' ').take(3).collect::<Vec<_>>().join(" "),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    None,
                    Some(Area::HelpAndProtection),
                    "Serious and widespread".to_string()
                ),
                (
                    None,
                    Some(Area::HelpAndProtection),
                    "through a broad".to_string()
                ),
                (
                    None,
                    Some(Area::HelpAndProtection),
                    "majority of which".to_string()
                ),
                (
                    None,
                    Some(Area::HelpAndProtection),
                    "Caseloads of individual".to_string()
                ),
                (
                    None,
                    Some(Area::Leadership),
                    "reporting. An example".to_string()
                ),
            ]
        );
        assert!(ps.iter().all(|p| p.grade == Some(Grade::Inadequate)));
        assert!(
            ps[0].citation.contains("numbers were lost"),
            "{}",
            ps[0].citation
        );
        assert_eq!(
            ps[1].id,
            "rotherham-metropolitan-borough-council/2014-inspection/u2"
        );
    }

    #[test]
    fn news_article_paragraphs_and_boilerplate() {
        let ps = run("Ofsted looks at Sheffields improvement work\n\n\
            Ofsted inspectors saw some effective work in Sheffield.\n\n\
            The report highlighted:\n\n\
            - There are clear processes in place to make decisions.\n\n\
            The provision of support needs to be commensurate with needs.\n\
            The quality of legal planning minutes needs work in Sheffield.\n\n\
            Sheffield focused visit\n\n\
            Tel: 01206 878178Contact Us\n");
        let texts: Vec<_> = ps.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Ofsted inspectors saw some effective work in Sheffield.",
                "There are clear processes in place to make decisions.",
                "The provision of support needs to be commensurate with needs.",
                "The quality of legal planning minutes needs work in Sheffield.",
            ]
        );
        assert!(ps.iter().all(|p| p.number.is_none() && p.grade.is_none()));
    }

    #[test]
    fn hyphenated_line_breaks_are_rejoined() {
        let mut s = String::from("strong multi-");
        append(&mut s, "agency work");
        assert_eq!(s, "strong multi-agency work");
    }

    #[test]
    fn markdown_sub_headings_keep_their_judgement_area() {
        let text = "X Council\n\n# Inspection of services for children in need of help and protection\n\n\
            Inspection date: 21 November-15 December 2016\n\n\
            1. Children who need help and protection\tInadequate\n\n\
            #### **Executive summary**\n\nServices for children who need help are inadequate overall.\n\n\
            # The experiences and progress of children who need help and protection\n\n#### Summary\n\n\
            Senior managers have not taken sufficient and timely action.\n\n#### **Inspection findings**\n\n\
            - 23. At the time of the inspection, 172 children were allocated.\n";
        let ps = run(text);
        assert_eq!(ps.len(), 3);
        assert_eq!(
            (ps[0].area, ps[0].section.as_str()),
            (None, "Executive summary")
        );
        assert_eq!(ps[1].area, Some(Area::HelpAndProtection));
        assert_eq!(ps[1].grade, Some(Grade::Inadequate));
        assert_eq!(
            ps[2].section,
            "The experiences and progress of children who need help and protection: Inspection findings"
        );
        assert_eq!(ps[2].number, Some(23));
    }
}
