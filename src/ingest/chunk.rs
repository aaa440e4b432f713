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

use super::framework::{self, SectionRole, Template};
use super::judgement::{area_in, grade_only, grade_scale_label, heading_judgement, table_row};
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
    let chain = Chain::find(lines, layout);
    for &(at, last, n) in &chain.gaps {
        warnings.push(Warning {
            input: input.to_string(),
            line: Some(lines[at].number),
            message: format!(
                "paragraph {n} follows paragraph {last}: paragraphs {} to {} are missing from the text",
                last + 1,
                n - 1
            ),
        });
    }
    let mut chunker = Chunker::new(report, layout, &chain, true);
    chunker.run(lines);
    if chunker.out.is_empty() {
        // No structural heading was recognised, so everything was taken for a cover page: read
        // the whole text as body instead of returning nothing.
        chunker = Chunker::new(report, layout, &chain, false);
        chunker.run(lines);
    }
    if let Some((line, after)) = chunker.unread_after_end {
        warnings.push(Warning {
            input: input.to_string(),
            line: Some(line),
            message: format!(
                "the report's end matter begins here, and {after} more lines of text follow it; \
                 they were not read (does the file hold more than one report?)"
            ),
        });
    }
    let numbered = chunker.out.iter().any(|b| b.number.is_some());
    let paged = super::pages::has_pages(lines);
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
                citation: citation::citation(
                    report,
                    &citation::Place {
                        number: b.number,
                        ordinal,
                        section: &b.section,
                        page: paged.then_some(b.page),
                        report_has_numbers: numbered,
                    },
                ),
                section: b.section,
                area: b.area,
                grade: b.grade,
                themes: Vec::new(),
                text: b.text,
                line: b.line,
                page: paged.then_some(b.page),
                context: b.context,
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
    /// Measured on the lines of running prose: not bullet items, nor paragraph starts (whose
    /// number one converter sets on the line and another on a line of its own), nor the two
    /// lines around a line-end hyphen (which one converter keeps and another joins into one
    /// long line), nor lines much longer than the typical (joined lines, tables), so that one
    /// report measures the same whichever converter made its text.
    fn measure(lines: &[Line]) -> Layout {
        let text: Vec<&Line> = lines.iter().filter(|l| l.kind == LineKind::Text).collect();
        let mut prose: Vec<&Line> = Vec::with_capacity(text.len());
        for (i, l) in text.iter().enumerate() {
            let after_hyphen = i > 0 && text[i - 1].text.ends_with('-');
            if l.raw_len >= 40
                && l.bullet.is_none()
                && parse_number(&l.text).is_none()
                && !l.text.ends_with('-')
                && !after_hyphen
            {
                prose.push(l);
            }
        }
        let mut lens: Vec<usize> = prose.iter().map(|l| l.raw_len).collect();
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
        let unterminated = prose.iter().filter(|l| !ends_sentence(&l.text)).count();
        let wrapped = median <= 110 && p90 <= 130 && unterminated * 2 >= lens.len();
        // The width of a full line: the median again without the lines much longer than it.
        let full: Vec<usize> = lens
            .iter()
            .copied()
            .filter(|&n| n <= median * 3 / 2)
            .collect();
        let median = full.get(full.len() / 2).copied().unwrap_or(median);
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
    /// The page the block starts on.
    page: u32,
    /// Whether the block describes the inspection rather than its findings.
    context: bool,
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
    /// A section that describes the inspection or the area (kept, marked as context).
    Context,
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
    chain: &'r Chain,
    template: Template,
    /// Whether the current section describes the inspection rather than its findings.
    context: bool,
    /// Inside a letter's head (addresses, date, salutation), above its title.
    letter_head: bool,
    /// Where the end matter began, and how many text lines followed it, when that is more
    /// than end matter holds.
    unread_after_end: Option<(usize, usize)>,
    open: Option<Block>,
    out: Vec<Block>,
    /// The markers of the list being read, outermost first: an item whose marker differs from
    /// the list's first is a sub-list item (`−` items under a `■` item), which stays with the
    /// item it belongs to. Emptied by a heading, a numbered paragraph and prose.
    list: Vec<char>,
}

impl<'r> Chunker<'r> {
    fn new(report: &'r Report, layout: Layout, chain: &'r Chain, cover: bool) -> Chunker<'r> {
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
            chain,
            template: Template::of(report.kind),
            context: false,
            letter_head: cover && report.kind.is_visit(),
            unread_after_end: None,
            open: None,
            out: Vec::new(),
            list: Vec::new(),
        }
    }

    fn skipping(&self) -> bool {
        self.part == Part::Cover || self.exclusion.is_some()
    }

    fn run(&mut self, lines: &[Line]) {
        let mut gap = 0usize;
        let mut i = 0;
        while i < lines.len() {
            let line = &lines[i];
            i += 1;
            if matches!(line.kind, LineKind::Text | LineKind::Boilerplate)
                && framework::starts_end_matter(&line.text)
            {
                // Ofsted's standard closing runs to the end of the text. Much more text after
                // it is another document (several reports in one file): say so.
                let after = lines[i..]
                    .iter()
                    .filter(|l| l.kind == LineKind::Text)
                    .count();
                if after > END_MATTER_MAX_LINES {
                    self.unread_after_end = Some((line.number, after));
                }
                break;
            }
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
            if self.letter_head {
                // A letter's head (Ofsted's address, the date, the recipient, "Dear …") ends
                // with the title line; the letter's own prose follows.
                if framework::letter_title(text).is_some() {
                    self.letter_head = false;
                    self.part = Part::LocalAuthority;
                    self.section = self.template.letter_section.to_string();
                    self.context = true;
                    self.area = None;
                    self.grade = None;
                }
                gap = 0;
                continue;
            }
            if self.part == Part::Cover
                && self.exclusion.is_none()
                && self.template.cover_section.is_some()
                && framework::is_cover_statement(text)
            {
                // The overall judgement ("The overall judgement is requires improvement")
                // reads like a heading, but it is the cover's first statement.
                self.close();
                self.cover_content(line, gap);
                gap = 0;
                continue;
            }
            if grade_only(text).is_some()
                && self
                    .open
                    .as_ref()
                    .is_some_and(|o| o.number.is_none() && ends_with_copula(&o.text))
            {
                // The grade finishes the open sentence ("The effectiveness of the Local
                // Safeguarding Children Board (LSCB) is" / "good" on a cover): it is the
                // sentence's last word, not a table cell.
                self.content(line, gap);
                gap = 0;
                continue;
            }
            if is_contents_entry(text) || grade_only(text).is_some() || table_row(text).is_some() {
                // A grade set in a narrow box wraps: "Requires improvement" / "to be good".
                if grade_only(text).is_some() {
                    let next = (i..lines.len().min(i + 3)).find(|&k| !lines[k].is_blank());
                    if let Some(k) = next.filter(|&k| {
                        lines[k].kind == LineKind::Text
                            && grade_only(&format!("{text} {}", lines[k].text)).is_some()
                    }) {
                        i = k + 1;
                    }
                }
                gap = 0;
                continue;
            }
            if let Some((n, rest)) = self.numbered_start(lines, i - 1) {
                self.close();
                self.list.clear();
                if self.part == Part::Cover {
                    self.part = Part::LocalAuthority;
                }
                self.exclusion = None;
                self.open = Some(self.block(Some(n), rest, line));
                gap = 0;
                if rest.is_empty() {
                    // The number stood alone: the next text line is the paragraph's first
                    // line, whatever it looks like (never a heading).
                    let first = (i..lines.len()).find(|&k| lines[k].kind == LineKind::Text);
                    if let Some(k) = first.filter(|k| !self.chain.numbers.contains_key(k)) {
                        self.content(&lines[k], 0);
                        i = k + 1;
                    }
                }
                continue;
            }
            if let Some(heading_text) = self.heading_at(lines, i - 1, gap) {
                // A heading wrapped onto further lowercase lines (up to three) is one heading.
                let mut heading_text = heading_text;
                let mut last_number = line.number;
                for _ in 0..3 {
                    let Some(next) = lines.get(i) else { break };
                    // The judgement box's two columns, each wrapped over two lines, interleaved
                    // by conversion: "The experiences and progress of" / "Requires" /
                    // "children who need help and protection improvement". The grade's lines
                    // are the table's grade cell, not part of the heading.
                    if known_heading(&heading_text) && next.number == last_number + 1 {
                        if let Some(rest) = lines
                            .get(i + 1)
                            .filter(|after| after.number == next.number + 1)
                            .and_then(|after| interleaved_grade(&next.text, after))
                        {
                            heading_text = format!("{heading_text} {rest}");
                            last_number = next.number + 1;
                            i += 2;
                            continue;
                        }
                    }
                    let continues = next.kind == LineKind::Text
                        && next.number == last_number + 1
                        && starts_lowercase(&next.text);
                    if continues {
                        // A judgement table's grade cell that conversion set on the heading's
                        // first line ("…of children who Requires Improvement" / "need help and
                        // protection") is not part of the heading.
                        if let Some(cut) = grade_cell_at_end(&heading_text) {
                            heading_text.truncate(cut);
                        }
                    }
                    if next.kind == LineKind::Text
                        && next.number == last_number + 1
                        && starts_lowercase(&next.text)
                        && next.text.len() < 60
                        && line.heading.is_none()
                        && (!ends_sentence(&next.text)
                            || heading_judgement(&format!("{heading_text} {}", next.text))
                                .is_some())
                    {
                        heading_text = format!("{heading_text} {}", next.text);
                        last_number = next.number;
                        i += 1;
                    } else {
                        break;
                    }
                }
                self.close();
                self.list.clear();
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
                if self.part == Part::Cover
                    && self.exclusion.is_none()
                    && self.template.cover_section.is_some()
                {
                    self.cover_content(line, gap);
                }
                gap = 0;
                continue;
            }
            self.content(line, gap);
            gap = 0;
        }
        self.close();
    }

    /// A numbered paragraph's start: the number, when line `at` is on the report's chain of
    /// paragraph numbers, and the text after it (empty when the number stands alone).
    fn numbered_start<'l>(&self, lines: &'l [Line], at: usize) -> Option<(u32, &'l str)> {
        let n = *self.chain.numbers.get(&at)?;
        let text = lines[at].text.as_str();
        let rest = parse_number(text).map_or("", |(_, rest)| rest);
        Some((n, rest))
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
        // Judgement headings state their grade and can be long ("The impact of leaders on
        // social work practice with children and families: requires improvement to be good").
        let long = words > 16 || text.len() > 120;
        if !(first.is_uppercase() || first.is_ascii_digit())
            || (long && !(words <= 30 && known_heading(text)))
        {
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
        // A grade scale's row ("Good (Grade 2)"), and the definition beside or below its label,
        // are a table's cells.
        let prev_text = lines[..at].iter().rev().find(|l| l.kind == LineKind::Text);
        if grade_scale_label(text).is_some()
            || prev_text.is_some_and(|p| grade_scale_label(&p.text).is_some())
        {
            return None;
        }
        // A sentence ends inside it: the last line of a paragraph ("However, this remains
        // underdeveloped. (Recommendation)"), not a heading.
        if has_inner_sentence_end(text) {
            return None;
        }
        // A line that directly continues an unterminated line is wrapped prose, not a heading
        // (unless it is one of the templates' fixed sub-headings, whole, which conversion can
        // leave right under the last item of a list).
        let prev = lines[..at].iter().rev().find(|l| l.kind == LineKind::Text);
        let fixed = words <= 8 && framework::is_sub_heading(text);
        if gap == 0 && !fixed {
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

        let role = framework::section_role(text);
        if role == Some(SectionRole::Excluded) {
            return Heading::Excluded;
        }
        if role == Some(SectionRole::Context) {
            return Heading::Context;
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

        if role == Some(SectionRole::ReportWide) {
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
                    || bare.starts_with("the graded judg")
                    || bare.starts_with("the impact of leaders");
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
                self.context = false;
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
                self.context = false;
                self.end_exclusion();
                self.area_heading = Some(text.clone());
                self.area = Some(Area::Lscb);
                self.grade = grade.or_else(|| report_grade(Area::Lscb));
            }
            Heading::ReportWide | Heading::Context => {
                if self.part == Part::Cover {
                    self.part = Part::LocalAuthority;
                }
                self.end_exclusion();
                self.area_heading = Some(text.clone());
                self.area = None;
                self.grade = self.report.overall_grade;
                self.context = kind == Heading::Context;
            }
            Heading::Judgement(area, grade) => {
                if self.part == Part::Cover {
                    // The cover's judgement table lists areas with their grades on lines of
                    // their own; a heading that states its grade ("The experiences and
                    // progress of children who need help and protection: outstanding") opens
                    // the body.
                    if heading_judgement(&text).is_none() {
                        return;
                    }
                    self.part = Part::LocalAuthority;
                }
                self.context = false;
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
        let level = self.list_level(line);
        let new_block = match &self.open {
            None => true,
            // Everything up to the next heading or number belongs to a numbered paragraph.
            Some(open) if open.number.is_some() => false,
            // A sub-list item belongs to the item above it.
            Some(_) if level >= 2 => false,
            Some(open) => self.starts_new_block(open, line, gap),
        };
        if new_block {
            if line.bullet.is_none() {
                // Prose ends any list.
                self.list.clear();
            }
            self.close();
            self.open = Some(self.block(None, &text, line));
        } else if let Some(open) = &mut self.open {
            append(&mut open.text, &text);
            open.last_line = line.number;
            open.last_len = line.raw_len;
        }
    }

    /// The nesting level of a bullet item by its marker (0 for a line without one): the list's
    /// first marker is level 1, another marker under it level 2, and so on; a marker seen
    /// before closes the levels under it.
    fn list_level(&mut self, line: &Line) -> usize {
        let Some(marker) = line.marker.filter(|_| line.bullet.is_some()) else {
            return 0;
        };
        match self.list.iter().position(|&m| m == marker) {
            Some(at) => self.list.truncate(at + 1),
            None => self.list.push(marker),
        }
        self.list.len()
    }

    /// Whether an unnumbered line starts a new block rather than continuing the open one.
    fn starts_new_block(&self, open: &Block, line: &Line, gap: usize) -> bool {
        let text = line.text.as_str();
        if framework::is_boilerplate(text) {
            // A statutory sentence printed in every report never continues the text above it,
            // even when that text did not end its sentence.
            return true;
        }
        let lower_start = starts_lowercase(text);
        if line.bullet == Some(2) {
            return false;
        }
        if line.bullet.is_some() || (self.layout.wrapped && line.indent > 0) {
            // A bullet marker in front of a lowercase word continues across a page break.
            if lower_start && gap > 0 && !ends_sentence(&open.text) {
                return false;
            }
            // A short item ("there have been 49 adoptions") is a line of a list, which stays
            // with the list; a long one is a point of its own.
            return text.split_whitespace().count() >= SHORT_ITEM_WORDS;
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

    /// Prose on the cover page (the ILACS summary, the SIF overall judgement statement),
    /// kept as unnumbered blocks in the template's cover section. Short lines of the cover
    /// (names, dates, table labels) may continue a block but never start one.
    fn cover_content(&mut self, line: &Line, gap: usize) {
        let text = line.text.as_str();
        // The title's lines are metadata (Report::title), not prose.
        if self
            .report
            .title
            .as_deref()
            .is_some_and(|t| t.contains(text))
        {
            return;
        }
        if framework::is_cover_field(text) || framework::is_cover_table_label(text) {
            self.close();
            return;
        }
        if self.open.is_none() {
            let full = !self.layout.wrapped || line.raw_len * 10 >= self.layout.width * 7;
            let starts = framework::is_cover_statement(text)
                || (starts_like_sentence(text) && (full || ends_sentence(text)));
            if !starts {
                return;
            }
        }
        self.content(line, gap);
    }

    fn block(&self, number: Option<u32>, text: &str, line: &Line) -> Block {
        let cover = match self.template.cover_section {
            Some(section) if self.part == Part::Cover => Some(section),
            _ => None,
        };
        Block {
            number,
            text: text.replace('\t', " "),
            line: line.number,
            page: line.page,
            context: self.context && cover.is_none(),
            section: cover.map_or_else(|| self.section.clone(), str::to_string),
            area: if cover.is_some() { None } else { self.area },
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
            || ((words >= 6 && !(is_lead_in(&block.text) && words < 8))
                || (words >= 3 && ends_sentence(&block.text)))
                && !framework::is_boilerplate(&block.text);
        if keep {
            self.out.push(block);
        }
    }
}

/// The most text lines Ofsted's end matter runs to (its statement, licence, addresses); more
/// after the start of the end matter is reported as unread text.
const END_MATTER_MAX_LINES: usize = 60;

/// Bullet items shorter than this many words continue the block before them.
const SHORT_ITEM_WORDS: usize = 8;

const IGNORE: &[&str] = &[
    "key judgement",
    "judgement grade",
    "key judgment",
    "judgment grade",
];

/// Where a grade cell set at the end of a judgement heading's line begins ("The experiences
/// and progress of children who Requires Improvement"): the grade in title case, after a
/// heading that names an area.
fn grade_cell_at_end(text: &str) -> Option<usize> {
    const CELLS: &[&str] = &[
        " Requires Improvement",
        " Requires improvement",
        " Outstanding",
        " Good",
        " Inadequate",
        " Adequate",
    ];
    let cut = CELLS
        .iter()
        .find_map(|c| text.strip_suffix(c).map(str::len))?;
    let head = &text[..cut];
    (known_heading(head) && !head.trim().is_empty()).then_some(cut)
}

/// A grade cell's first line (`cell`: "Requires") set between a judgement heading's lines, and
/// the heading's next line (`after`), which conversion ended with the rest of the grade
/// ("children who need help and protection improvement"): the heading's words of `after`.
fn interleaved_grade<'a>(cell: &str, after: &'a Line) -> Option<&'a str> {
    if after.kind != LineKind::Text || !starts_lowercase(&after.text) || grade_only(cell).is_some()
    {
        return None;
    }
    let cell_words = cell.split_whitespace().count();
    if cell_words == 0 || cell_words > 3 || !cell.starts_with(char::is_uppercase) {
        return None;
    }
    let words: Vec<&str> = after.text.split_whitespace().collect();
    (1..=4.min(words.len().saturating_sub(1))).find_map(|k| {
        let tail = words[words.len() - k..].join(" ");
        grade_only(&format!("{cell} {tail}"))?;
        let cut = after.text.len() - tail.len();
        Some(after.text[..cut].trim_end())
    })
}

/// Headings recognised by their wording, whatever their length.
fn known_heading(text: &str) -> bool {
    let lower = text.to_lowercase().replace('’', "'");
    let bare = strip_section_prefix(&lower);
    bare.starts_with("the graded judg")
        || bare.starts_with("the experiences and progress")
        || bare.starts_with("inspection judgement")
        || bare.starts_with("inspection judgment")
        || bare.starts_with("the impact of leaders")
        || framework::section_role(text).is_some()
        || framework::is_sub_heading(text)
        || heading_judgement(text).is_some()
}

/// A sentence that introduces a list: "…is good because", "The report highlighted:".
fn is_lead_in(text: &str) -> bool {
    text.ends_with(':') || text.ends_with(" because")
}

/// The report's paragraph numbers: which lines start numbered paragraphs.
///
/// Every line that looks like a paragraph start (`12. Text`, or `12.` alone on its line with
/// text below) is a candidate. Paragraph numbers run 1, 2, 3, … through a report, while the
/// other numbered lines of a report — judgement-table rows ("1. Children who need help and
/// protection"), numbered lists inside a paragraph, contents entries — form short runs of
/// their own. So the chain is the longest run of candidates, in document order, whose numbers
/// each follow the one before (allowing up to [`MAX_MISSING`] numbers lost in conversion);
/// candidates off the chain are ordinary text.
#[derive(Debug, Default)]
struct Chain {
    /// Line index → paragraph number.
    numbers: std::collections::HashMap<usize, u32>,
    /// (line index, previous number, this number) where numbers are missing from the text.
    gaps: Vec<(usize, u32, u32)>,
}

/// How many consecutive paragraph numbers may be missing from a text between two numbers of
/// its chain.
const MAX_MISSING: u32 = 3;

impl Chain {
    fn find(lines: &[Line], layout: Layout) -> Chain {
        let mut candidates: Vec<(usize, u32)> = Vec::new();
        let mut doubts: Vec<bool> = Vec::new();
        // The text line before, and whether a blank line came between.
        let mut prev: Option<(&Line, bool)> = None;
        for (i, l) in lines.iter().enumerate() {
            let before = prev;
            match l.kind {
                LineKind::Text => prev = Some((l, false)),
                LineKind::Blank => {
                    prev = prev.map(|(p, _)| (p, true));
                    continue;
                }
                _ => continue,
            }
            if l.bullet == Some(2) || l.heading.is_some() {
                continue;
            }
            let text = l.text.as_str();

            if is_contents_entry(text) || table_row(text).is_some() {
                continue;
            }
            // In wrapped text, a number right below a full line that stops mid-sentence
            // ("…care leavers aged 18 to" / "25. This visit focused on:") may end that
            // sentence: such a number only counts as part of a chain of several.
            let doubtful = before.is_some_and(|(p, gap)| {
                let full = p.raw_len * 10 >= layout.width * 8;
                let mid_sentence = p.text.ends_with(|c: char| c.is_lowercase() || c == ',');
                layout.wrapped && !gap && full && mid_sentence && p.bullet.is_none()
            });
            if let Some((n, rest)) = parse_number(text) {
                // A judgement-table row ("1. Children who need help and protection", its grade
                // on the lines below) names an area; a paragraph says something about it.
                let label = area_in(rest).is_some()
                    && rest.split_whitespace().count() <= 10
                    && !ends_sentence(rest)
                    && grade_below(&lines[i + 1..]);
                if !label {
                    candidates.push((i, n));
                    doubts.push(doubtful);
                }
            } else if let Some(n) = alone_number(text) {
                // The paragraph's text must follow: the next text line, starting like a sentence.
                let next = lines[i + 1..].iter().find(|l| l.kind == LineKind::Text);
                if next.is_some_and(|n| {
                    starts_like_sentence(&n.text) && alone_number(&n.text).is_none()
                }) {
                    candidates.push((i, n));
                    doubts.push(false);
                }
            }
        }
        // Longest chain ending at each candidate; `best_end[n]` is the best chain so far that
        // ends with number n (the later one on ties, so that a real "1." after a front-table
        // row "1." takes over).
        let mut len = vec![0u32; candidates.len()];
        let mut back: Vec<Option<usize>> = vec![None; candidates.len()];
        let mut best_end: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
        for (c, &(_, n)) in candidates.iter().enumerate() {
            let mut best: Option<usize> = None;
            for missing in 0..=MAX_MISSING {
                let Some(prev) = n.checked_sub(1 + missing).filter(|&p| p > 0) else {
                    break;
                };
                if let Some(&p) = best_end.get(&prev) {
                    if best.is_none_or(|b| len[p] > len[b]) {
                        best = Some(p);
                    }
                }
            }
            len[c] = best.map_or(1, |b| len[b] + 1);
            back[c] = best;
            match best_end.get(&n) {
                Some(&e) if len[e] > len[c] => {}
                _ => {
                    best_end.insert(n, c);
                }
            }
        }
        let mut chain = Chain::default();
        let Some(mut at) = (0..candidates.len()).max_by_key(|&c| (len[c], c)) else {
            return chain;
        };
        if len[at] == 1 && doubts[at] {
            return chain;
        }
        loop {
            let (line, n) = candidates[at];
            chain.numbers.insert(line, n);
            match back[at] {
                Some(prev) => {
                    let pn = candidates[prev].1;
                    if n > pn + 1 {
                        chain.gaps.push((line, pn, n));
                    }
                    at = prev;
                }
                None => break,
            }
        }
        chain.gaps.reverse();
        chain
    }
}

/// Whether a grade stands within the next text lines, alone or wrapped over two lines
/// ("Requires" / "Improvement"), as it does below a judgement-table label.
fn grade_below(lines: &[Line]) -> bool {
    let next: Vec<&str> = lines
        .iter()
        .filter(|l| l.kind == LineKind::Text)
        .take(3)
        .map(|l| l.text.as_str())
        .collect();
    next.iter().any(|t| grade_only(t).is_some())
        || next
            .windows(2)
            .any(|w| grade_only(&format!("{} {}", w[0], w[1])).is_some())
}

/// `12.` alone on its line → 12.
fn alone_number(text: &str) -> Option<u32> {
    let digits = text.strip_suffix('.')?;
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&n| n > 0)
}

fn starts_like_sentence(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"'‘“(".contains(c))
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

/// Whether `t` ends with a verb that a grade completes ("… is", "… remains"): a sentence a
/// grade on the next line finishes.
fn ends_with_copula(t: &str) -> bool {
    let last = t
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .to_lowercase();
    matches!(
        last.as_str(),
        "is" | "are" | "was" | "were" | "be" | "been" | "remains" | "remain"
    )
}

fn starts_lowercase(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_lowercase)
}

/// Ends with sentence punctuation, allowing closing quotes and brackets after it.
fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end_matches(['"', '\'', '’', '”', ')', ']']);
    t.ends_with(['.', '!', '?'])
}

/// A sentence end followed by more text: a word of at least three letters ending in `.`, `!`
/// or `?`, then a space and a capital or an opening bracket or quote ("…underdeveloped.
/// (Recommendation)"). Abbreviations are shorter ("St. Helens", "Mr. Smith") or end in a
/// lowercase word ("e.g. the").
fn has_inner_sentence_end(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).any(|w| {
        let before = w[0].trim_end_matches(['.', '!', '?']);
        w[0].len() > before.len()
            && before.chars().count() >= 3
            && before.chars().all(char::is_alphabetic)
            && !matches!(before, "etc" | "Mrs")
            && w[1]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || "(\"'‘“".contains(c))
    })
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

/// Appends a line to a paragraph, rejoining words hyphenated across the line break, and
/// ranges broken after their hyphen (`2012-` / `13`).
fn append(text: &mut String, line: &str) {
    let hyphenated = text.strip_suffix('-').is_some_and(|before| {
        let word_break = before.ends_with(char::is_alphabetic) && starts_lowercase(line);
        let range_break = before.ends_with(|c: char| c.is_ascii_digit())
            && line.starts_with(|c: char| c.is_ascii_digit());
        word_break || range_break
    });
    if hyphenated {
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

    /// The paragraphs after the cover: the cover's statements are kept as blocks of their
    /// own (tested in `numbers_alone_on_their_line_and_table_rows_before_them`).
    fn body(ps: Vec<Paragraph>) -> Vec<Paragraph> {
        ps.into_iter().filter(|p| p.section != "Summary").collect()
    }

    const COVER: &str = "Sheffield City Council\n\nInspection of services for children in need of help and protection\n\n\
        Inspection dates: 19 November-11 December 2013 and 28 – 30 January 2014\n\n\
        The overall judgement is **requires improvement**\n\n\
        1. Children who need help and protection\t\tGood\n\
        2. Children looked after and achieving permanence\t\tRequires improvement\n\
        \t2.1 Adoption performance\tRequires improvement\n\n";

    #[test]
    fn a_grade_that_ends_a_sentence_is_kept_and_boilerplate_stands_apart() {
        // Bradford 2014's cover, as pdftotext writes it: the LSCB statement's grade wraps to a
        // line of its own, then a footnote marker and the statutory note.
        let text = "City of Bradford Metropolitan District Council\n\n\
             Inspection of services for children in need of help and protection\n\n\
             The overall judgement is requires improvement\n\n\
             The effectiveness of the Local Safeguarding Children Board (LSCB) is\ngood\n\n1\n\n\
             Ofsted produces this report under its power to combine reports in accordance with section 152 of\n\
             the Education and Inspections Act 2006.\n\n\
             Summary of key findings\n\n\
             The local authority agreed that seven out of the 18 cases it audited were\ninadequate.\n\
             Strategy discussions are not compliant with statutory guidance.\n";
        let ps = run(text);
        let texts: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
        assert!(
            texts
                .iter()
                .any(|t| t.ends_with("Children Board (LSCB) is good")),
            "{texts:#?}"
        );
        assert!(
            texts
                .iter()
                .all(|t| !t.contains("Ofsted produces this report")),
            "{texts:#?}"
        );
        assert!(
            texts.iter().any(|t| t.starts_with(
                "The local authority agreed that seven out of the 18 cases it audited were inadequate."
            )),
            "{texts:#?}"
        );
    }

    #[test]
    fn front_table_rows_are_not_paragraphs_and_numbers_are_exact() {
        let text = format!(
            "{COVER}Section 1: The local authority\n\nSummary of key findings\n\n\
             - 1. Child protection strategy discussions do not include the relevant agencies.\n\
             - 2. Some plans for looked after children are unclear.\n"
        );
        let ps = body(run(&text));
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
        let ps = body(run(&text));
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
        let all = body(run(&text));
        // The statistics are kept, as a context block, not as paragraphs 10 and 679.
        let (context, ps): (Vec<_>, Vec<_>) = all.into_iter().partition(|p| p.context);
        assert_eq!(
            ps.iter().map(|p| p.number).collect::<Vec<_>>(),
            [Some(9), Some(10)]
        );
        assert!(ps[1].text.starts_with("Social workers"));
        assert_eq!(context.len(), 1);
        assert_eq!(context[0].number, None);
        assert!(context[0].text.contains("679 live with foster families"));
    }

    #[test]
    fn sub_list_items_stay_with_their_item_by_their_marker() {
        // The SIF local-area facts: `■` items (Wingdings U+F06E) with `−` sub-lists (Symbol
        // U+F02D), one marker set alone on its line as `pdftotext` writes it after a wide gap.
        let text = format!(
            "{COVER}Information about this local authority area\n\nChildren living in this area\n\n\
             \u{f06e} The proportion of children entitled to free school meals:\n\u{f02d}\n\n\
             in primary schools is 14% (the national average is 16%)\n\n\
             \u{f02d} in secondary schools is 11% (the national average is 14%).\n\
             \u{f06e} Children and young people from minority ethnic groups account for 8% of all children.\n\
             Children looked after in this area\n\n\
             \u{f06e} At 30 November 2015, 758 children were being looked after. Of this number:\n\
             \u{f02d}\n\n138 (18.2%) live outside the local authority area\n\n\
             \u{f02d} 46 live in residential children’s homes, of whom 26.1% live out of the area\n"
        );
        let ps = body(run(&text));
        let texts: Vec<(&str, &str)> = ps
            .iter()
            .map(|p| (p.section.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                (
                    "Information about this local authority area: Children living in this area",
                    "The proportion of children entitled to free school meals: in primary schools \
                     is 14% (the national average is 16%) in secondary schools is 11% (the national \
                     average is 14%)."
                ),
                (
                    "Information about this local authority area: Children living in this area",
                    "Children and young people from minority ethnic groups account for 8% of all children."
                ),
                (
                    "Information about this local authority area: Children looked after in this area",
                    "At 30 November 2015, 758 children were being looked after. Of this number: \
                     138 (18.2%) live outside the local authority area 46 live in residential \
                     children’s homes, of whom 26.1% live out of the area"
                ),
            ]
        );
    }

    #[test]
    fn a_line_with_a_sentence_end_inside_is_no_heading() {
        let text = format!(
            "{COVER}Inspection judgements about the local authority\n\n\
             The experiences and progress of children who need help and protection are good\n\n\
             9. Audits are used well to quality assure social work practice.\n\
             However, this remains underdeveloped. (Recommendation)\n\n\
             10. Social workers and courts work well together.\n"
        );
        let ps = body(run(&text));
        assert_eq!(ps.len(), 2);
        assert!(ps[0].text.ends_with("underdeveloped. (Recommendation)"));
        assert_eq!(ps[0].section, ps[1].section);
    }

    #[test]
    fn a_grade_scale_table_is_its_paragraphs_content() {
        let text = format!(
            "{COVER}Inspection judgements about the local authority\n\n\
             9. All inspection judgements are made using the following four point scale:\n\
             Outstanding (Grade 1) A service that significantly exceeds\n\nminimum requirements\n\n\
             Good (Grade 2)\n\nA service that exceeds minimum\nrequirements\n\n\
             10. Social workers and courts work well together.\n"
        );
        let ps = body(run(&text));
        assert_eq!(ps.len(), 2);
        assert!(
            ps[0]
                .text
                .ends_with("Good (Grade 2) A service that exceeds minimum requirements"),
            "{}",
            ps[0].text
        );
        assert_eq!(ps[0].section, ps[1].section);
    }

    #[test]
    fn a_judgement_heading_interleaved_with_its_grade_cell_is_found() {
        // `pdftotext` interleaves the judgement box's two columns, each wrapped over two lines.
        let text = format!(
            "{COVER}Inspection judgements about the local authority\n\n\
             The experiences and progress of\nRequires\n\
             children who need help and protection improvement\nInspection findings\n\
             9. Social workers and courts work well together.\n"
        );
        let ps = body(run(&text));
        assert_eq!(ps[0].number, Some(9));
        assert_eq!(
            ps[0].section,
            "The experiences and progress of children who need help and protection: Inspection findings"
        );
        assert_eq!(ps[0].area, Some(Area::HelpAndProtection));
    }

    #[test]
    fn out_of_sequence_numbers_are_text() {
        let text = format!("{COVER}Summary of key findings\n\n5. First point is made here.\n3. Not a paragraph start but a list inside.\n6. Next point.\n");
        let ps = body(run(&text));
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
        let ps = body(run(wrapped));
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
        // Block 1 is the cover's overall judgement.
        assert_eq!(
            ps[1].id,
            "rotherham-metropolitan-borough-council/2014-inspection/u3"
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
    fn numbers_alone_on_their_line_and_table_rows_before_them() {
        // A 2014 SIF layout: the cover's table rows are numbered too; every paragraph number
        // stands alone on its line, the text below it after a blank line.
        let text =
            "X Council\nInspection of services for children in need of help and protection\n\
            Inspection date: 18 Feb 2014 – 12 March 2014\n\
            The overall judgement is requires improvement\n\
            There are no widespread or serious failures that leave children at risk of harm.\n\
            1. Children who need help and protection\n\nRequires\nImprovement\n\n\
            2. Children looked after and achieving permanence\n\nGood\n\n\
            3. Leadership, management and governance\n\nGood\n\n\u{c}\
            Summary of key findings\nThis local authority requires improvement because\n\
            1.\n\nSocial workers do not hold strategy discussions with the police.\n\n\
            2.\n\nConferences do not happen quickly enough.\n\n3\n\n\u{c}\
            3. Where conferences were delayed, children were visited weekly.\n";
        let ps = run(text);
        let numbered: Vec<(u32, &str, Option<u32>)> = ps
            .iter()
            .filter_map(|p| Some((p.number?, p.text.as_str(), p.page)))
            .collect();
        assert_eq!(
            numbered,
            [
                (
                    1,
                    "Social workers do not hold strategy discussions with the police.",
                    Some(2)
                ),
                (2, "Conferences do not happen quickly enough.", Some(2)),
                (
                    3,
                    "Where conferences were delayed, children were visited weekly.",
                    Some(3)
                ),
            ]
        );
        assert!(ps[ps.len() - 1].citation.ends_with("para 3, p. 3"));
        // The cover's statement is kept, unnumbered, in its own section.
        assert_eq!(ps[0].number, None);
        assert_eq!(ps[0].section, "Summary");
        assert!(ps[0]
            .text
            .starts_with("The overall judgement is requires improvement There are"));
    }

    #[test]
    fn letters_skip_their_head_keep_their_prose_and_stop_at_the_sign_off() {
        let text = "Ofsted\nPiccadilly Gate\nStore Street\nManchester\nM1 2WD\n\n9 June 2023\n\
            Ms A Director\nDirector of Children’s Services\nWigan Council\n\nDear Ms Director\n\
            Focused visit to Wigan children’s services\n\
            This letter summarises the findings of the focused visit to Wigan children’s services\n\
            on 3 and 4 May 2023. His Majesty’s Inspectors for this visit were A and B.\n\
            Headline findings\n\
            Senior leaders have identified appropriate priority areas for improvement in services.\n\
            Ofsted will take the findings from this focused visit into account when planning the\n\
            next inspection or visit.\nYours sincerely\n\nA Inspector\nHis Majesty’s Inspector\n";
        let ps = run(text);
        let got: Vec<(&str, bool, &str)> = ps
            .iter()
            .map(|p| (p.section.as_str(), p.context, &p.text[..20]))
            .collect();
        assert_eq!(
            got,
            [
                ("Letter", true, "This letter summaris"),
                ("Headline findings", false, "Senior leaders have "),
            ]
        );
    }

    #[test]
    fn text_long_after_the_end_matter_is_reported_not_silently_dropped() {
        let letter = "Focused visit to Wigan children’s services\n\
            This letter summarises the findings of the focused visit on 3 and 4 May 2023.\n\
            Yours sincerely\n";
        let second: String = (0..80)
            .map(|i| format!("Another report's sentence number {i} goes here.\n"))
            .collect();
        let lines = normalise(&format!("{letter}{second}"));
        let mut w = Vec::new();
        let report = parse_report(&lines, &ReportOverrides::default(), "t.txt", &mut w);
        let ps = chunk(&lines, &report, "t.txt", &mut w);
        assert_eq!(ps.len(), 1);
        let warning = w
            .iter()
            .find(|w| w.message.contains("not read"))
            .expect("a warning");
        assert_eq!(warning.line, Some(3));
        assert!(
            warning.message.contains("80 more lines"),
            "{}",
            warning.message
        );
    }

    #[test]
    fn a_number_that_ends_a_wrapped_sentence_is_not_a_paragraph() {
        let text = "Focused visit to Wigan children’s services\n\
            Inspectors looked at the local authority’s arrangements for care leavers aged 18 to\n\
            25. This visit focused specifically on preparation and support into adulthood.\n";
        let ps = run(text);
        assert!(ps.iter().all(|p| p.number.is_none()), "{ps:?}");
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
