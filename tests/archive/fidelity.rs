//! The fidelity instrument: how faithfully the crate reads real archive reports, measured
//! against ground truth that is derived here from the raw `pdftotext` text and from the
//! sample's `INDEX.csv`, never from the crate's own rules.
//!
//! Shared by `tests/archive.rs` (which asserts the targets of issue 11) and
//! `examples/fidelity.rs` (which prints the table) through `#[path]`, so the figures the
//! example prints are the figures the test guards. FIDELITY.md describes every measure, the
//! ground-truth rules and their known limits.
//!
//! Nothing here calls the chunker's helpers: the ground truth is read with its own, deliberately
//! simple and conservative rules (see [`numbered_chain`], [`template_lines`],
//! [`boilerplate_mask`], [`ilacs_areas`]), and the crate's output is read only through its
//! public types and their JSON form (so that the comparison compiles whatever fields the model
//! has, and checks `framework` once the model has it).

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use ofsted_search::ingest::{Ingester, ParsedReport};
use serde_json::Value;

/// A paragraph number chain shorter than this is not a numbered report: the 2013 SIF cover's
/// judgement table ("1. Children who need help and protection", "2. …", "3. …") forms a chain
/// 1..3 in reports whose paragraphs carry no numbers at all.
pub const MIN_NUMBERED: usize = 5;

/// A line recurring word for word in at least this share of the reports of one family is
/// template text.
pub const TEMPLATE_SHARE: f64 = 0.30;

/// A line recurring word for word in this many reports of one family is template text however
/// large the family: a template of one era (the 2013-14 SIF's "What the inspection judgments
/// mean: the LSCB") is a small share of a family that spans several, and a report-specific line
/// recurs in three reports only by being template.
pub const TEMPLATE_MAX_REPORTS: usize = 3;

/// A line recurring at least this many times within one report is page furniture (a running
/// header or footer).
pub const FURNITURE_REPEATS: usize = 3;

/// Prose lines have at least this many words.
pub const PROSE_MIN_WORDS: usize = 4;

/// How many lost lines / wrong numbers / misfiled paragraphs the listing shows per report by
/// default (the measures keep them all).
pub const EXAMPLES_PER_REPORT: usize = 8;

/// Markers of Ofsted's end matter and letter headers: a paragraph containing one of these
/// (case-insensitively) carries foreign text.
pub const END_MATTER_MARKERS: &[&str] = &[
    "Ofsted regulates and inspects",
    "The Office for Standards in Education",
    "Open Government Licence",
    "© Crown copyright",
    "Piccadilly Gate",
    "0300 123",
    "enquiries@ofsted",
    "www.gov.uk/ofsted",
    "Yours sincerely",
    "Textphone",
    "If you would like a copy of this document",
    "This publication is available at",
    "Any complaints about the inspection",
];

/// Lines starting with one of these open a block of boilerplate that runs to the end of its
/// page (or, in the last fifth of the file, to the end of the file). Such lines are neither
/// prose to keep nor allowed in paragraphs.
pub const BOILERPLATE_STARTS: &[&str] = &[
    "The Office for Standards in Education",
    "Ofsted regulates and inspects",
    "Ofsted will take the findings",
    "Yours sincerely",
    "© Crown copyright",
    "If you would like a copy of this document",
    "This publication is available at",
    "Any complaints about the inspection",
];

/// Corrections to INDEX.csv, each checked by hand against the report's text: (file, column,
/// the value INDEX has, the corrected value, the evidence). One applies only while INDEX still
/// has the wrong value, so a corrected INDEX makes it a no-op.
pub const INDEX_ERRATA: &[(&str, &str, &str, &str, &str)] = &[
    (
        "somerset-2018-sif",
        "kind",
        "sif",
        "sif-reinspection",
        "text line 2: \"Reinspection of services for children in need of help and protection, \
         children looked after and care leavers\"",
    ),
    (
        "cambridgeshire-2014-sif",
        "help_and_protection",
        "",
        "requires improvement",
        "text lines 316-318: judgement table \"The experiences and progress of children who \
         Requires Improvement / need help and protection\" (the cover table is garbled by \
         pdftotext, and INDEX's grades are shifted by one column)",
    ),
    (
        "cambridgeshire-2014-sif",
        "looked_after_or_in_care",
        "requires improvement",
        "good",
        "text lines 609-612: judgement table \"The experiences and progress of children looked \
         after and achieving permanence\" … \"Good\"",
    ),
];

/// Where the measured reports are, and which set it is.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The folder holding `INDEX.csv` (and the texts, directly or under `text/`).
    pub dir: PathBuf,
    /// What was measured, for the printout ("archive sample (…)" or "corpus slice (…)").
    pub label: String,
    /// The index rows, in file order, with [`INDEX_ERRATA`] applied.
    pub rows: Vec<IndexRow>,
    /// The errata that were applied ("file column: old → new").
    pub errata: Vec<String>,
}

/// One row of `INDEX.csv`, by column name.
#[derive(Debug, Clone, Default)]
pub struct IndexRow {
    /// Column name → value.
    pub fields: BTreeMap<String, String>,
}

impl IndexRow {
    /// A column's value, or "" when absent.
    pub fn get(&self, column: &str) -> &str {
        self.fields.get(column).map(String::as_str).unwrap_or("")
    }

    /// The report's file stem (`bradford-2014-sif`).
    pub fn file(&self) -> &str {
        self.get("file")
    }

    /// The INDEX kind (`sif`, `sif-reinspection`, `lac-inspection`, `ilacs`, `focused-visit`).
    pub fn kind(&self) -> &str {
        self.get("kind")
    }

    /// The table row this report is counted under: the INDEX kind, ILACS split by framework.
    pub fn table_kind(&self) -> String {
        match (self.kind(), self.get("framework")) {
            ("ilacs", f) if !f.is_empty() => format!("ilacs-{f}"),
            (k, _) => k.to_string(),
        }
    }

    /// The family whose reports share templates.
    pub fn family(&self) -> &'static str {
        family(self.kind())
    }

    /// The `ReportKind` string the crate should give this report.
    pub fn expected_kind(&self) -> Option<&'static str> {
        match (self.kind(), self.get("framework")) {
            ("sif", _) | ("lac-inspection", _) => Some("inspection"),
            ("ilacs", "short") => Some("short_inspection"),
            ("ilacs", _) => Some("inspection"),
            ("sif-reinspection", _) => Some("reinspection"),
            ("focused-visit", _) => Some("focused_visit"),
            _ => None,
        }
    }

    /// The `Framework` string the crate should give this report (None: no expectation).
    pub fn expected_framework(&self) -> Option<&'static str> {
        match self.kind() {
            "sif" | "sif-reinspection" => Some("sif"),
            "ilacs" => Some("ilacs"),
            "lac-inspection" => Some("lac"),
            _ => None,
        }
    }

    /// The year column.
    pub fn year(&self) -> Option<u64> {
        self.get("year").trim().parse().ok()
    }

    /// The expected grades: (what, expected grade string), `overall` first, then one per
    /// judgement area (area strings as the crate spells them). Columns that are empty,
    /// `inspection_pre_dates_judgement` or `not_reported_post_reform` expect nothing.
    pub fn expected_grades(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (column, what) in GRADE_COLUMNS {
            if let Some(grade) = grade_value(self.get(column)) {
                out.push((what.to_string(), grade));
            }
        }
        out
    }
}

/// INDEX grade column → the area string the crate uses (`overall` for the overall grade).
pub const GRADE_COLUMNS: &[(&str, &str)] = &[
    ("overall_grade", "overall"),
    ("help_and_protection", "help_and_protection"),
    ("looked_after_or_in_care", "looked_after"),
    ("adoption", "adoption"),
    ("care_leavers", "care_leavers"),
    ("leadership", "leadership"),
    ("lscb", "lscb"),
    ("impact_of_leaders", "leadership"),
];

/// An INDEX grade cell as the crate's grade string, or None for "no expectation".
pub fn grade_value(cell: &str) -> Option<String> {
    let cell = cell.split('(').next().unwrap_or("").trim().to_lowercase();
    if cell.is_empty()
        || cell == "inspection_pre_dates_judgement"
        || cell == "not_reported_post_reform"
    {
        return None;
    }
    let mut g = cell.replace([' ', '-'], "_");
    if g == "requires_improvement_to_be_good" {
        g = "requires_improvement".into();
    }
    Some(g)
}

/// The template family of an INDEX kind: reports of one family share their template text.
pub fn family(kind: &str) -> &'static str {
    match kind {
        "sif" | "sif-reinspection" | "lac-inspection" => "sif",
        "ilacs" => "ilacs",
        "focused-visit" => "focused-visit",
        _ => "other",
    }
}

/// Parses CSV (RFC 4180: quoted fields, doubled quotes, commas and newlines inside quotes).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows.retain(|r| !(r.len() == 1 && r[0].is_empty()));
    rows
}

/// Reads `DIR/INDEX.csv`.
pub fn load(dir: &Path, label: &str) -> Result<Sample, String> {
    let index = dir.join("INDEX.csv");
    let text = std::fs::read_to_string(&index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let mut table = parse_csv(&text).into_iter();
    let header = table
        .next()
        .ok_or_else(|| format!("{} is empty", index.display()))?;
    if !header.iter().any(|h| h == "file") {
        return Err(format!("{} has no `file` column", index.display()));
    }
    let mut rows: Vec<IndexRow> = table
        .map(|cells| IndexRow {
            fields: header.iter().cloned().zip(cells).collect(),
        })
        .collect();
    let mut errata = Vec::new();
    for &(file, column, wrong, right, _) in INDEX_ERRATA {
        for row in rows.iter_mut().filter(|r| r.file() == file) {
            if row.get(column) == wrong {
                row.fields.insert(column.to_string(), right.to_string());
                errata.push(format!("{file} {column}: {wrong:?} → {right:?}"));
            }
        }
    }
    Ok(Sample {
        dir: dir.to_path_buf(),
        label: label.to_string(),
        rows,
        errata,
    })
}

/// The sample to measure: `$OFSTED_ARCHIVE_SAMPLE`, else `../shared/archive-sample` next to
/// the crate, else the slice bundled in `corpus/` (with `corpus/INDEX.csv`).
pub fn locate() -> Result<Sample, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(dir) = std::env::var_os("OFSTED_ARCHIVE_SAMPLE") {
        let dir = PathBuf::from(dir);
        let label = format!(
            "archive sample ({}, from OFSTED_ARCHIVE_SAMPLE)",
            dir.display()
        );
        return load(&dir, &label);
    }
    let shared = root.join("../shared/archive-sample");
    if shared.join("INDEX.csv").is_file() {
        let label = format!("archive sample ({})", shared.display());
        return load(&shared, &label);
    }
    let corpus = root.join("corpus");
    load(
        &corpus,
        "corpus slice (corpus/INDEX.csv; the full archive sample was not found)",
    )
}

impl Sample {
    /// The text file of a row: `DIR/text/NAME.txt`, else `DIR/NAME.txt`.
    pub fn text_path(&self, row: &IndexRow) -> PathBuf {
        let nested = self.dir.join("text").join(format!("{}.txt", row.file()));
        if nested.is_file() {
            nested
        } else {
            self.dir.join(format!("{}.txt", row.file()))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Text normalisation (the instrument's own, independent of src/ingest/normalise.rs)

/// Lowercase alphanumeric characters only, everything else dropped: hyphenation ("decision-
/// making" / "decisionmaking"), bullets, quotes and spacing differences vanish.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Lowercase alphanumeric runs.
pub fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// One source text as lines, with the page each line is on.
#[derive(Debug, Clone)]
pub struct Source {
    /// Lines, form feeds removed, right-trimmed.
    pub lines: Vec<String>,
    /// For each line, whether a form feed (a new PDF page) starts on it.
    pub page_start: Vec<bool>,
}

impl Source {
    /// Splits a text into lines, noting form feeds.
    pub fn new(text: &str) -> Source {
        let mut lines = Vec::new();
        let mut page_start = Vec::new();
        for raw in text.split('\n') {
            page_start.push(raw.contains('\u{c}'));
            lines.push(raw.replace('\u{c}', "").trim_end().to_string());
        }
        Source { lines, page_start }
    }

    /// The index of the next non-blank line after `i`.
    fn next_text(&self, i: usize) -> Option<usize> {
        (i + 1..self.lines.len()).find(|&j| !self.lines[j].trim().is_empty())
    }
}

/// `k.` alone, `k. Text` or `k.Text` at a line start (after trimming), with k of 1 to 3 digits
/// and not followed by a digit (so "2.1 Adoption performance" and "10.5%" are not numbers).
/// Returns k and the text after the number.
pub fn number_prefix(line: &str) -> Option<(u32, &str)> {
    let t = line.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 || t.as_bytes().get(digits) != Some(&b'.') {
        return None;
    }
    let rest = &t[digits + 1..];
    if rest.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let k: u32 = t[..digits].parse().ok()?;
    (k > 0).then_some((k, rest.trim()))
}

/// The source's numbered paragraphs: the longest chain 1, 2, 3, … of [`number_prefix`] lines
/// in file order. Returns the line index of paragraph k at position k-1; empty when the chain
/// is shorter than [`MIN_NUMBERED`].
///
/// The length is found greedily forward (each k+1 the first after k: for a chain of consecutive
/// numbers the greedy choice is the longest); the lines are then chosen greedily backward (each
/// k the last before k+1), so that cover-table rows "1." to "3." that precede the real
/// paragraphs 1 to 3 are passed over.
pub fn numbered_chain(source: &Source) -> Vec<usize> {
    let mut by_number: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, line) in source.lines.iter().enumerate() {
        if let Some((k, _)) = number_prefix(line) {
            by_number.entry(k).or_default().push(i);
        }
    }
    let mut n = 0u32;
    let mut pos: Option<usize> = None;
    while let Some(&i) = by_number
        .get(&(n + 1))
        .and_then(|v| v.iter().find(|&&i| pos.is_none_or(|p| i > p)))
    {
        pos = Some(i);
        n += 1;
    }
    if (n as usize) < MIN_NUMBERED {
        return Vec::new();
    }
    let mut chain = vec![0usize; n as usize];
    let mut limit = usize::MAX;
    for k in (1..=n).rev() {
        let i = *by_number[&k]
            .iter()
            .rev()
            .find(|&&i| i < limit)
            .expect("the forward pass proved a chain exists");
        chain[k as usize - 1] = i;
        limit = i;
    }
    chain
}

/// The first words of the source's paragraph at line `i` (the text after its number, or the
/// next non-blank line when the number stands alone), squashed: at most `n` words.
fn opening_words(source: &Source, i: usize, n: usize) -> String {
    words(&opening_text(source, i))
        .into_iter()
        .take(n)
        .collect::<Vec<_>>()
        .concat()
}

/// The source paragraph's opening text: what follows its number on the line, or, when the
/// number stands alone, the next non-blank line that is not page furniture (a bare page number
/// or a line repeated [`FURNITURE_REPEATS`] times: the paragraph may start on the next page).
fn opening_text(source: &Source, i: usize) -> String {
    let rest = number_prefix(&source.lines[i])
        .map(|(_, r)| r)
        .unwrap_or("");
    if !rest.is_empty() {
        return rest.to_string();
    }
    let repeated = repeated_lines(source);
    source.lines[i + 1..]
        .iter()
        .map(|l| l.trim())
        .find(|t| {
            !t.is_empty()
                && !t.bytes().all(|b| b.is_ascii_digit())
                && !repeated.contains(&line_key(t))
        })
        .unwrap_or("")
        .to_string()
}

/// Text without footnote markers: one or two digits glued to the end of a word of at least
/// three letters, or to its closing punctuation ("schools3", "board1", "protection.2",
/// "area’s4,"). Applied alike to the source's lines and to the crate's paragraphs, so that a
/// marker the crate strips and one it keeps both compare equal.
pub fn defoot(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, token) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let core_end = token
            .char_indices()
            .rev()
            .find(|&(_, c)| !matches!(c, ',' | ';' | ':' | ')' | '.'))
            .map(|(j, c)| j + c.len_utf8())
            .unwrap_or(0);
        let core = &token[..core_end];
        let digits = core.bytes().rev().take_while(u8::is_ascii_digit).count();
        let head = &core[..core.len() - digits];
        let letters = head
            .trim_end_matches(['.', ',', ';', ':', ')', '’', '\''])
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .count();
        if (1..=2).contains(&digits) && letters >= 3 {
            out.push_str(head);
            out.push_str(&token[core_end..]);
        } else {
            out.push_str(token);
        }
    }
    out
}

/// A line's template key: its words (footnote markers dropped), lowercase, joined by spaces.
fn line_key(line: &str) -> String {
    words(&defoot(line)).join(" ")
}

/// Cover metadata rather than prose, per line: a "Label: value" line of the kinds a report's
/// cover states (dates, inspectors, publication; "Reporting inspector NAME" without the colon
/// too); a title-case line (every word capitalised but "of", "and", "the", "for", "in", "on")
/// among the first 12 lines (the authority's name); a line among the first 30 starting
/// "Inspection of ", "Focused visit to " or "Monitoring visit to " (the report's title, a
/// letter's subject line) with up to two lines continuing it (up to a blank line or a "Label:"
/// line). The crate reads these into report metadata (authority, title, dates), not paragraphs.
pub fn cover_mask(source: &Source) -> Vec<bool> {
    const LABELS: &[&str] = &[
        "inspection date",
        "inspection dates",
        "report published",
        "published",
        "lead inspector",
        "reporting inspector",
        "age group",
    ];
    const TITLES: &[&str] = &[
        "Inspection of ",
        "Focused visit to ",
        "Monitoring visit to ",
    ];
    let labelled = |t: &str| {
        let lower = t.to_lowercase();
        let label = lower.split(':').next().unwrap_or("").trim();
        (t.contains(':') && LABELS.contains(&label))
            || ["reporting inspector ", "lead inspector "]
                .iter()
                .any(|l| lower.starts_with(l))
    };
    let title_case = |t: &str| {
        t.split_whitespace()
            .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
            .all(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    || ["of", "and", "the", "for", "in", "on"].contains(&w)
            })
    };
    let mut mask = vec![false; source.lines.len()];
    let mut continuing = 0;
    for (i, line) in source.lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            continuing = 0;
            continue;
        }
        if labelled(t) {
            mask[i] = true;
            continuing = 0;
        } else if i < 30 && TITLES.iter().any(|s| t.starts_with(s)) {
            mask[i] = true;
            continuing = 2;
        } else if continuing > 0 {
            mask[i] = true;
            continuing -= 1;
        } else if i < 12 && title_case(t) {
            mask[i] = true;
        }
    }
    mask
}

/// In how many of a family's `reports` a line must occur to be template text: [`TEMPLATE_SHARE`]
/// of them, but never fewer than 2 nor more than [`TEMPLATE_MAX_REPORTS`].
pub fn template_threshold(reports: usize) -> usize {
    ((reports as f64 * TEMPLATE_SHARE).ceil() as usize).clamp(2, TEMPLATE_MAX_REPORTS)
}

/// Template lines of one family: keys (see [`line_key`]) of lines that occur in at least
/// [`template_threshold`] of the family's reports.
pub fn template_lines<'a>(texts: impl IntoIterator<Item = &'a Source>) -> BTreeSet<String> {
    let mut count: HashMap<String, usize> = HashMap::new();
    let mut reports = 0usize;
    for source in texts {
        reports += 1;
        let keys: BTreeSet<String> = source
            .lines
            .iter()
            .map(|l| line_key(l))
            .filter(|k| !k.is_empty())
            .collect();
        for k in keys {
            *count.entry(k).or_default() += 1;
        }
    }
    let min = template_threshold(reports);
    count
        .into_iter()
        .filter(|&(_, c)| c >= min)
        .map(|(k, _)| k)
        .collect()
}

/// Lines that are boilerplate rather than report content: each [`BOILERPLATE_STARTS`] block
/// (to the end of its page, or to the end of the file when it starts in the file's last fifth),
/// and a letter's header (every line before the first "Dear …" line, when one is found in the
/// first 60 lines).
pub fn boilerplate_mask(source: &Source) -> Vec<bool> {
    let n = source.lines.len();
    let mut mask = vec![false; n];
    let starts: Vec<String> = BOILERPLATE_STARTS
        .iter()
        .map(|s| s.to_lowercase())
        .collect();
    let mut i = 0;
    while i < n {
        let t = source.lines[i].trim().to_lowercase();
        if starts.iter().any(|s| t.starts_with(s.as_str())) {
            let to_eof = i * 5 >= n * 4;
            let mut j = i;
            while j < n && (j == i || to_eof || !source.page_start[j]) {
                mask[j] = true;
                j += 1;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    if let Some(dear) = source
        .lines
        .iter()
        .take(60)
        .position(|l| l.trim_start().starts_with("Dear "))
    {
        mask[..dear].iter_mut().for_each(|m| *m = true);
    }
    mask
}

/// A letter's header lines (before "Dear …"), squashed, non-empty: the address blocks.
fn letter_header(source: &Source) -> Vec<String> {
    match source
        .lines
        .iter()
        .take(60)
        .position(|l| l.trim_start().starts_with("Dear "))
    {
        Some(dear) => source.lines[..dear]
            .iter()
            .map(|l| squash(l))
            .filter(|s| !s.is_empty())
            .collect(),
        None => Vec::new(),
    }
}

/// Keys of lines repeated [`FURNITURE_REPEATS`] or more times in one report.
fn repeated_lines(source: &Source) -> BTreeSet<String> {
    let mut count: HashMap<String, usize> = HashMap::new();
    for l in &source.lines {
        let k = line_key(l);
        if !k.is_empty() {
            *count.entry(k).or_default() += 1;
        }
    }
    count
        .into_iter()
        .filter(|&(_, c)| c >= FURNITURE_REPEATS)
        .map(|(k, _)| k)
        .collect()
}

/// Running headers/footers: lines of at least four words repeated [`FURNITURE_REPEATS`] times
/// that sit within three non-blank lines before or two after a page boundary, and whose words
/// occur nowhere else in the report's text. Squashed.
fn running_headers(source: &Source) -> Vec<String> {
    let repeated = repeated_lines(source);
    let n = source.lines.len();
    let mut near_break = vec![false; n];
    let text_lines: Vec<usize> = (0..n)
        .filter(|&i| !source.lines[i].trim().is_empty())
        .collect();
    for i in (0..n).filter(|&i| source.page_start[i]) {
        // the last three non-blank lines before the break and the first two after it
        let after = text_lines.partition_point(|&j| j < i);
        for &j in &text_lines[after.saturating_sub(3)..(after + 2).min(text_lines.len())] {
            near_break[j] = true;
        }
    }
    let mut out: BTreeSet<String> = BTreeSet::new();
    let mut header_line = vec![false; n];
    for (i, l) in source.lines.iter().enumerate() {
        let k = line_key(l);
        if repeated.contains(&k) && k.split(' ').count() >= 4 {
            header_line[i] = true;
            if near_break[i] {
                out.insert(squash(l));
            }
        }
    }
    // A header whose words the report also states in its prose ("… from 24 February 2025 to
    // 7 March 2025") cannot tell furniture from prose: it is not used.
    let prose: String = (0..n)
        .filter(|&i| !header_line[i])
        .map(|i| squash(&source.lines[i]))
        .collect();
    out.into_iter()
        .filter(|h| !prose.contains(h.as_str()))
        .collect()
}

/// Page-number joins: for each page ending in a bare page number, the spaced words
/// "LAST N FIRST" that a chunker gluing the page number into the prose would produce (LAST:
/// the last word before the number, FIRST: the first word of the next page, running headers
/// skipped).
fn page_number_joins(source: &Source) -> Vec<String> {
    let repeated = repeated_lines(source);
    let n = source.lines.len();
    let mut out = Vec::new();
    for brk in (1..n).filter(|&i| source.page_start[i]) {
        let Some(num_line) = (0..brk).rev().find(|&j| !source.lines[j].trim().is_empty()) else {
            continue;
        };
        let num = source.lines[num_line].trim();
        if num.is_empty() || num.len() > 3 || !num.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Some(before) = (0..num_line)
            .rev()
            .find(|&j| !source.lines[j].trim().is_empty())
        else {
            continue;
        };
        let Some(after) = (brk..n).find(|&j| {
            let t = source.lines[j].trim();
            !t.is_empty() && !repeated.contains(&line_key(t))
        }) else {
            continue;
        };
        let (Some(last), Some(first)) = (
            words(&source.lines[before]).pop(),
            words(&source.lines[after]).into_iter().next(),
        ) else {
            continue;
        };
        out.push(format!("{last} {num} {first}"));
    }
    out
}

/// ILACS judgement headings: (line index, area string). A heading is a line starting "The
/// impact of leaders" or "The experiences and progress of", read together with the next
/// non-blank line (headings wrap): "impact of leaders" → leadership, "help and protection" →
/// help_and_protection, "children in care" → looked_after, "care leavers" → care_leavers.
pub fn ilacs_headings(source: &Source) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    for (i, line) in source.lines.iter().enumerate() {
        let t = line.trim();
        if !(t.starts_with("The impact of leaders")
            || t.starts_with("The experiences and progress of"))
        {
            continue;
        }
        let next = source
            .next_text(i)
            .map(|j| source.lines[j].trim())
            .unwrap_or("");
        let joined = format!("{t} {next}").to_lowercase();
        let area = if joined.contains("impact of leaders") {
            "leadership"
        } else if joined.contains("help and protection") {
            "help_and_protection"
        } else if joined.contains("children in care") {
            "looked_after"
        } else if joined.contains("care leavers") {
            "care_leavers"
        } else {
            continue;
        };
        out.push((i, area));
    }
    out
}

/// The area of each numbered paragraph of an ILACS source: the last judgement heading before
/// the paragraph's line. Indexed like `chain`; None before any heading.
pub fn ilacs_areas(source: &Source, chain: &[usize]) -> Vec<Option<&'static str>> {
    let headings = ilacs_headings(source);
    chain
        .iter()
        .map(|&line| {
            headings
                .iter()
                .take_while(|(h, _)| *h < line)
                .last()
                .map(|(_, a)| *a)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Measuring one report

/// One check of metadata against INDEX.csv.
#[derive(Debug, Clone)]
pub struct Check {
    /// What was compared (`kind`, `year`, `framework`, `grade overall`, `grade leadership`…).
    pub what: String,
    /// The expected value (INDEX's, unless `note` says otherwise).
    pub expected: String,
    /// The crate's value.
    pub got: String,
    /// Why the expectation is not INDEX's own value, when it is not (else empty).
    pub note: String,
}

impl Check {
    /// Whether the crate's value is the expected one.
    pub fn ok(&self) -> bool {
        self.expected == self.got
    }
}

/// Everything measured on one report.
#[derive(Debug, Clone, Default)]
pub struct ReportMeasure {
    /// INDEX file stem.
    pub file: String,
    /// The table row it counts under.
    pub table_kind: String,
    /// Ingestion returned an error (the message).
    pub error: Option<String>,
    /// Ingestion panicked (the message).
    pub panic: Option<String>,
    /// The text file was missing.
    pub missing: bool,
    /// Ground truth: paragraphs numbered 1..N in the source (0: not a numbered report).
    pub truth_n: usize,
    /// The numbers the crate gave, in paragraph order.
    pub numbers: Vec<u32>,
    /// Of 1..N, how many the crate gave to a paragraph that opens with the source's words.
    pub numbers_found: usize,
    /// Numbered paragraphs the crate produced with a wrong number: not in the source's 1..N,
    /// repeated, or given to a paragraph that does not open with the source paragraph's words.
    pub numbers_wrong: usize,
    /// Examples of numbering errors.
    pub number_problems: Vec<String>,
    /// Report-specific prose lines in the source.
    pub prose_total: usize,
    /// Of those, lines found in some paragraph.
    pub prose_kept: usize,
    /// Lost lines ("line N: text"), all of them.
    pub lost: Vec<String>,
    /// Paragraphs carrying end matter or a letter's address block ("id: marker").
    pub end_matter: Vec<String>,
    /// Paragraphs carrying page furniture ("id: what").
    pub furniture: Vec<String>,
    /// Metadata checks.
    pub checks: Vec<Check>,
    /// Numbered paragraphs found (see `numbers_found`) whose page the crate states.
    pub pages_total: usize,
    /// Of those, stating the page the source paragraph starts on.
    pub pages_right: usize,
    /// Examples of wrong pages.
    pub page_wrong: Vec<String>,
    /// ILACS: truth paragraphs whose number the crate found.
    pub area_total: usize,
    /// ILACS: of those, filed under the heading's area.
    pub area_right: usize,
    /// ILACS: examples of misfiled paragraphs.
    pub area_wrong: Vec<String>,
    /// The crate's report id.
    pub report_id: String,
    /// The crate's authority.
    pub authority: String,
    /// INDEX's authority words not all in the crate's authority, or a bare fragment.
    pub authority_fragment: bool,
}

impl ReportMeasure {
    /// Whether ingestion produced a result to measure.
    pub fn measured(&self) -> bool {
        self.error.is_none() && self.panic.is_none() && !self.missing
    }

    /// Numbered source whose crate numbers are exactly 1..N, each on the source's paragraph.
    pub fn numbering_exact(&self) -> bool {
        self.truth_n > 0
            && self.numbers_found == self.truth_n
            && self.numbers.len() == self.truth_n
            && self
                .numbers
                .iter()
                .enumerate()
                .all(|(i, &k)| k as usize == i + 1)
    }

    /// Checks that failed.
    pub fn failed_checks(&self) -> Vec<&Check> {
        self.checks.iter().filter(|c| !c.ok()).collect()
    }
}

/// The instrument's per-family context: template lines.
#[derive(Debug, Default)]
pub struct Templates {
    by_family: BTreeMap<&'static str, BTreeSet<String>>,
}

impl Templates {
    /// Template lines per family, from all the sources of the sample.
    pub fn new(sources: &[(&IndexRow, &Source)]) -> Templates {
        let mut grouped: BTreeMap<&'static str, Vec<&Source>> = BTreeMap::new();
        for (row, src) in sources {
            grouped.entry(row.family()).or_default().push(*src);
        }
        Templates {
            by_family: grouped
                .into_iter()
                .map(|(f, v)| (f, template_lines(v)))
                .collect(),
        }
    }

    fn is_template(&self, family: &str, key: &str) -> bool {
        self.by_family.get(family).is_some_and(|s| s.contains(key))
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panic".into())
}

/// Ingests one report (panics caught) and measures it.
pub fn measure_report(
    ingester: &Ingester,
    row: &IndexRow,
    path: &Path,
    text: &str,
    source: &Source,
    templates: &Templates,
) -> ReportMeasure {
    let mut m = ReportMeasure {
        file: row.file().to_string(),
        table_kind: row.table_kind(),
        ..ReportMeasure::default()
    };
    let chain = numbered_chain(source);
    m.truth_n = chain.len();
    let name = path.display().to_string();
    let parsed = match catch_unwind(AssertUnwindSafe(|| {
        ingester.ingest_bytes(text.as_bytes(), &name)
    })) {
        Err(p) => {
            m.panic = Some(panic_message(&*p));
            return m;
        }
        Ok(Err(e)) => {
            m.error = Some(e.to_string());
            return m;
        }
        Ok(Ok(parsed)) => parsed,
    };
    measure_numbers(&mut m, source, &chain, &parsed);
    measure_prose(&mut m, row, source, &parsed, templates);
    measure_foreign(&mut m, source, &parsed);
    measure_metadata(&mut m, row, source, &parsed);
    if row.kind() == "ilacs" {
        measure_areas(&mut m, source, &chain, &parsed);
    }
    m
}

fn measure_numbers(m: &mut ReportMeasure, source: &Source, chain: &[usize], parsed: &ParsedReport) {
    m.numbers = parsed.paragraphs.iter().filter_map(|p| p.number).collect();
    let openings: Vec<String> = chain
        .iter()
        .map(|&line| opening_words(source, line, 4))
        .collect();
    // A crate paragraph numbered k is right when the source has a paragraph k, no earlier
    // crate paragraph took k, and its text opens with the source paragraph's first words.
    let opens_with = |text: &str, opening: &str| {
        let head: String = squash(text)
            .chars()
            .take(opening.chars().count() + 40)
            .collect();
        head.contains(opening)
    };
    let mut right = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for p in &parsed.paragraphs {
        let Some(k) = p.number else { continue };
        let first = seen.insert(k);
        let ok = first
            && k >= 1
            && (k as usize) <= chain.len()
            && opens_with(&p.text, &openings[k as usize - 1]);
        if ok {
            right.insert(k);
            continue;
        }
        m.numbers_wrong += 1;
        {
            let why = if !first {
                "repeats a number".to_string()
            } else if k == 0 || k as usize > chain.len() {
                format!(
                    "is not a paragraph number of the source (1..{})",
                    chain.len()
                )
            } else {
                let line = chain[k as usize - 1];
                format!(
                    "but the source's para {k} (line {}) opens {:?}",
                    line + 1,
                    prefix(&opening_text(source, line), 50)
                )
            };
            m.number_problems.push(format!(
                "crate para {k} ({:?}, line {}) {why}",
                prefix(&p.text, 50),
                p.line
            ));
        }
    }
    m.numbers_found = right.len();
    // Pages: the source paragraph's page is one more than the form feeds before its line.
    let mut page_of = Vec::with_capacity(source.lines.len());
    let mut page = 1u32;
    for (i, &starts) in source.page_start.iter().enumerate() {
        if starts && i > 0 {
            page += 1;
        }
        page_of.push(page);
    }
    for p in &parsed.paragraphs {
        let Some(k) = p.number.filter(|k| right.contains(k)) else {
            continue;
        };
        let expected = page_of[chain[k as usize - 1]];
        // Through JSON, so that the instrument compiles (and skips pages) on a model without
        // `Paragraph::page`.
        let Some(page) = serde_json::to_value(p)
            .ok()
            .and_then(|v| v.get("page").cloned())
        else {
            continue;
        };
        m.pages_total += 1;
        if page.as_u64() == Some(u64::from(expected)) {
            m.pages_right += 1;
        } else {
            m.page_wrong
                .push(format!("para {k}: page {page}, source page {expected}"));
        }
    }
    for (idx, &line) in chain.iter().enumerate() {
        let k = idx as u32 + 1;
        if right.contains(&k) || seen.contains(&k) {
            continue;
        }
        {
            m.number_problems.push(format!(
                "source para {k} (line {}, {:?}) has no paragraph",
                line + 1,
                prefix(&opening_text(source, line), 50)
            ));
        }
    }
}

fn prefix(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn measure_prose(
    m: &mut ReportMeasure,
    row: &IndexRow,
    source: &Source,
    parsed: &ParsedReport,
    templates: &Templates,
) {
    let mask = boilerplate_mask(source);
    let cover = cover_mask(source);
    let repeated = repeated_lines(source);
    let markers: Vec<String> = END_MATTER_MARKERS
        .iter()
        .map(|s| s.to_lowercase())
        .collect();
    // All paragraphs squashed, separated, with each paragraph's start offset.
    let mut hay = String::new();
    for p in &parsed.paragraphs {
        // A heading kept as the paragraph's section counts as kept.
        hay.push_str(&squash(&defoot(&p.section)));
        hay.push('|');
        hay.push_str(&squash(&defoot(&p.text)));
        hay.push('|');
    }
    let mut cursor = 0usize;
    for (i, line) in source.lines.iter().enumerate() {
        if mask[i] || cover[i] {
            continue;
        }
        let body = defoot(number_prefix(line).map(|(_, r)| r).unwrap_or(line.trim()));
        let key = line_key(&body);
        if key.split(' ').filter(|w| !w.is_empty()).count() < PROSE_MIN_WORDS
            || templates.is_template(row.family(), &line_key(line))
            || templates.is_template(row.family(), &key)
            || repeated.contains(&line_key(line))
        {
            continue;
        }
        let lower = line.to_lowercase();
        if markers.iter().any(|mk| lower.contains(mk.as_str())) {
            continue;
        }
        m.prose_total += 1;
        let needle = squash(&body);
        // Lines mostly appear in order: look just ahead of the last match first.
        let window_end = (cursor + 20_000).min(hay.len());
        let window_end = (window_end..=hay.len())
            .find(|&e| hay.is_char_boundary(e))
            .unwrap_or(hay.len());
        let found = hay[cursor..window_end]
            .find(&needle)
            .map(|o| cursor + o)
            .or_else(|| hay.find(&needle));
        match found {
            Some(at) => {
                m.prose_kept += 1;
                cursor = at;
            }
            None => {
                m.lost.push(format!("line {}: {}", i + 1, line.trim()));
            }
        }
    }
}

fn measure_foreign(m: &mut ReportMeasure, source: &Source, parsed: &ParsedReport) {
    let markers: Vec<String> = END_MATTER_MARKERS
        .iter()
        .map(|s| s.to_lowercase())
        .collect();
    let header = letter_header(source);
    let headers = running_headers(source);
    let joins = page_number_joins(source);
    for p in &parsed.paragraphs {
        let lower = p.text.to_lowercase();
        if let Some(mk) = markers.iter().find(|mk| lower.contains(mk.as_str())) {
            m.end_matter.push(format!("{}: contains {mk:?}", p.id));
            continue;
        }
        let sq = squash(&p.text);
        if header.len() >= 3 {
            if let Some(w) = header.windows(3).find(|w| sq.contains(&w.concat())) {
                m.end_matter.push(format!(
                    "{}: contains the letter's address block {:?}",
                    p.id, w[0]
                ));
                continue;
            }
        }
        if let Some(h) = headers.iter().find(|h| sq.contains(h.as_str())) {
            m.furniture
                .push(format!("{}: contains the running header {h:?}", p.id));
            continue;
        }
        let spaced = words(&p.text).join(" ");
        if let Some(j) = joins.iter().find(|j| {
            spaced.contains(j.as_str()) || {
                let mut it = j.rsplitn(2, ' ');
                it.next();
                let lastnum = it.next().unwrap_or("");
                spaced.ends_with(&format!(" {lastnum}")) || spaced == lastnum
            }
        }) {
            m.furniture
                .push(format!("{}: contains the page number in {j:?}", p.id));
        }
    }
}

/// The year the cover's "Inspection date(s):" line ends in (the last 20xx on that line, or on
/// the next non-blank line when the dates are set below the label), among the first 80 lines.
pub fn cover_end_year(source: &Source) -> Option<u16> {
    let year_in = |line: &str| -> Option<u16> {
        words(line)
            .into_iter()
            .filter(|w| w.len() == 4 && w.starts_with("20"))
            .filter_map(|w| w.parse().ok())
            .next_back()
    };
    let i = source
        .lines
        .iter()
        .take(80)
        .position(|l| l.trim().to_lowercase().starts_with("inspection date"))?;
    year_in(&source.lines[i])
        .or_else(|| source.next_text(i).and_then(|j| year_in(&source.lines[j])))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// INDEX's publication date as ISO 8601, when the text states it as such: on a line among the
/// first 60 that says "published" and holds the day, month and year ("Report published: 20
/// January 2015"). A letter's date line is not taken for a publication date.
pub fn stated_publication(row: &IndexRow, source: &Source) -> Option<String> {
    let parts = words(row.get("publication_date"));
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let day: u32 = day.parse().ok()?;
    let m = MONTHS.iter().position(|x| x == month)? + 1;
    let want = [day.to_string(), month.clone(), year.clone()];
    let stated =
        source.lines.iter().take(60).any(|l| {
            l.to_lowercase().contains("published") && words(l).windows(3).any(|w| w == want)
        });
    stated.then(|| format!("{year}-{m:02}-{day:02}"))
}

fn measure_metadata(m: &mut ReportMeasure, row: &IndexRow, source: &Source, parsed: &ParsedReport) {
    let report = serde_json::to_value(&parsed.report).unwrap_or(Value::Null);
    let string = |v: Option<&Value>| -> String {
        match v {
            None | Some(Value::Null) => "(none)".into(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        }
    };
    if let Some(kind) = row.expected_kind() {
        m.checks.push(Check {
            what: "kind".into(),
            expected: kind.into(),
            got: string(report.get("kind")),
            note: String::new(),
        });
    }
    // `framework` is checked once the model has the field.
    if let (Some(fw), Some(got)) = (row.expected_framework(), report.get("framework")) {
        m.checks.push(Check {
            what: "framework".into(),
            expected: fw.into(),
            got: string(Some(got)),
            note: String::new(),
        });
    }
    if let Some(index_year) = row.year() {
        // The year is the year the inspection ended (issue 11). INDEX's `year` is that year for
        // most rows but the publication year for some SIF rows published in January or
        // February: the cover's "Inspection date(s):" line, when there is one, decides.
        let (expected, note) = match cover_end_year(source) {
            Some(y) if u64::from(y) != index_year => (
                y.to_string(),
                format!("INDEX says {index_year}; the cover's inspection dates end in {y}"),
            ),
            _ => (index_year.to_string(), String::new()),
        };
        m.checks.push(Check {
            what: "year".into(),
            expected,
            got: string(report.get("year")),
            note,
        });
    }
    if let Some(date) = stated_publication(row, source) {
        m.checks.push(Check {
            what: "published".into(),
            expected: date,
            got: string(report.get("published")),
            note: String::new(),
        });
    }
    for (what, grade) in row.expected_grades() {
        let got = if what == "overall" {
            report.get("overall_grade")
        } else {
            report.get("judgements").and_then(|j| j.get(&what))
        };
        m.checks.push(Check {
            what: format!("grade {what}"),
            expected: grade,
            got: string(got),
            note: String::new(),
        });
    }
    m.report_id = parsed.report.report_id.clone();
    m.authority = parsed.report.authority.clone();
    let got: BTreeSet<String> = words(&m.authority).into_iter().collect();
    let fragments = [
        "council",
        "county council",
        "city council",
        "borough council",
        "district council",
        "metropolitan borough council",
        "london borough",
        "",
    ];
    m.authority_fragment = fragments.contains(&words(&m.authority).join(" ").as_str())
        || !words(row.get("authority")).iter().all(|w| got.contains(w));
}

fn measure_areas(m: &mut ReportMeasure, source: &Source, chain: &[usize], parsed: &ParsedReport) {
    let areas = ilacs_areas(source, chain);
    for (idx, expected) in areas.iter().enumerate() {
        let k = idx as u32 + 1;
        let Some(expected) = expected else { continue };
        let Some(p) = parsed.paragraphs.iter().find(|p| p.number == Some(k)) else {
            continue;
        };
        m.area_total += 1;
        let got = p
            .area
            .map(|a| a.to_string())
            .unwrap_or_else(|| "(none)".into());
        if got == *expected {
            m.area_right += 1;
        } else {
            m.area_wrong.push(format!(
                "para {k}: filed under {got}, heading says {expected}"
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The whole sample

/// The measures of a whole sample.
#[derive(Debug)]
pub struct Measured {
    /// What was measured.
    pub label: String,
    /// INDEX errata applied.
    pub errata: Vec<String>,
    /// One per INDEX row, in INDEX order.
    pub reports: Vec<ReportMeasure>,
    /// Report ids the crate gave to more than one report: id → files.
    pub shared_ids: BTreeMap<String, Vec<String>>,
}

/// Reads every report of the sample, ingests it and measures it.
pub fn measure(sample: &Sample) -> Measured {
    let ingester = Ingester::new();
    let texts: Vec<(PathBuf, Option<String>)> = sample
        .rows
        .iter()
        .map(|row| {
            let path = sample.text_path(row);
            let text = std::fs::read(&path)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            (path, text)
        })
        .collect();
    let sources: Vec<Option<Source>> = texts
        .iter()
        .map(|(_, t)| t.as_deref().map(Source::new))
        .collect();
    let pairs: Vec<(&IndexRow, &Source)> = sample
        .rows
        .iter()
        .zip(&sources)
        .filter_map(|(r, s)| s.as_ref().map(|s| (r, s)))
        .collect();
    let templates = Templates::new(&pairs);
    let mut reports = Vec::new();
    for ((row, (path, text)), source) in sample.rows.iter().zip(&texts).zip(&sources) {
        match (text, source) {
            (Some(text), Some(source)) => reports.push(measure_report(
                &ingester, row, path, text, source, &templates,
            )),
            _ => reports.push(ReportMeasure {
                file: row.file().to_string(),
                table_kind: row.table_kind(),
                missing: true,
                ..ReportMeasure::default()
            }),
        }
    }
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in reports.iter().filter(|r| r.measured()) {
        ids.entry(r.report_id.clone())
            .or_default()
            .push(r.file.clone());
    }
    ids.retain(|_, files| files.len() > 1);
    Measured {
        label: sample.label.clone(),
        errata: sample.errata.clone(),
        reports,
        shared_ids: ids,
    }
}

/// Sums over a group of reports.
#[derive(Debug, Default, Clone)]
pub struct Totals {
    /// Reports in the group.
    pub reports: usize,
    /// Missing texts.
    pub missing: usize,
    /// Panics.
    pub panics: usize,
    /// Errors.
    pub errors: usize,
    /// Reports numbered 1..N in the source.
    pub numbered: usize,
    /// Of those, numbered exactly 1..N by the crate.
    pub exact: usize,
    /// Numbers found / all numbered paragraphs.
    pub numbers_found: usize,
    /// All numbered paragraphs of the numbered sources.
    pub numbers_total: usize,
    /// Numbers the crate gave wrongly, numbered and unnumbered sources alike.
    pub wrong: usize,
    /// Prose lines kept / total.
    pub prose_kept: usize,
    /// Report-specific prose lines.
    pub prose_total: usize,
    /// Paragraphs with end matter.
    pub end_matter: usize,
    /// Reports with a paragraph with end matter.
    pub end_matter_reports: usize,
    /// Paragraphs with page furniture.
    pub furniture: usize,
    /// Checks passed, per what ("kind", "year", "grade", "framework").
    pub checks_ok: BTreeMap<String, usize>,
    /// Checks made, per what.
    pub checks_total: BTreeMap<String, usize>,
    /// Numbered paragraphs with the right page / found.
    pub pages_right: usize,
    /// Numbered paragraphs found (page checked).
    pub pages_total: usize,
    /// ILACS paragraphs in the right area / found.
    pub area_right: usize,
    /// ILACS numbered paragraphs found (area checked).
    pub area_total: usize,
    /// Authorities that are fragments.
    pub authority_fragments: usize,
}

impl Totals {
    /// Adds a report.
    pub fn add(&mut self, r: &ReportMeasure) {
        self.reports += 1;
        self.missing += r.missing as usize;
        self.panics += r.panic.is_some() as usize;
        self.errors += r.error.is_some() as usize;
        if r.truth_n > 0 {
            self.numbered += 1;
            self.exact += r.numbering_exact() as usize;
            self.numbers_total += r.truth_n;
            self.numbers_found += r.numbers_found;
        }
        if !r.measured() {
            return;
        }
        self.wrong += r.numbers_wrong;
        self.prose_kept += r.prose_kept;
        self.prose_total += r.prose_total;
        self.end_matter += r.end_matter.len();
        self.end_matter_reports += !r.end_matter.is_empty() as usize;
        self.furniture += r.furniture.len();
        for c in &r.checks {
            let what = c.what.split(' ').next().unwrap_or("").to_string();
            *self.checks_total.entry(what.clone()).or_default() += 1;
            *self.checks_ok.entry(what).or_default() += c.ok() as usize;
        }
        self.pages_right += r.pages_right;
        self.pages_total += r.pages_total;
        self.area_right += r.area_right;
        self.area_total += r.area_total;
        self.authority_fragments += r.authority_fragment as usize;
    }

    /// The share of prose lines kept, in percent (100 when there are none).
    pub fn prose_share(&self) -> f64 {
        pct(self.prose_kept, self.prose_total)
    }

    fn check(&self, what: &str) -> String {
        match self.checks_total.get(what) {
            Some(&t) if t > 0 => {
                format!("{}/{}", self.checks_ok.get(what).copied().unwrap_or(0), t)
            }
            _ => "–".into(),
        }
    }
}

/// `a / b` in percent; 100 when `b` is 0.
pub fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

impl Measured {
    /// Totals per table kind, and over all (key "all").
    pub fn totals(&self) -> BTreeMap<String, Totals> {
        let mut out: BTreeMap<String, Totals> = BTreeMap::new();
        for r in &self.reports {
            out.entry(r.table_kind.clone()).or_default().add(r);
            out.entry("~all".into()).or_default().add(r);
        }
        out
    }

    /// The per-kind table, as Markdown.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "Measured: {}", self.label);
        if !self.errata.is_empty() {
            let _ = writeln!(s, "INDEX errata applied: {}", self.errata.join("; "));
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "| kind | reports | numbered 1..N exact | numbers found | numbers wrong | prose lines kept | end-matter paragraphs (reports) | furniture paragraphs | kind right | framework right | year right | published right | grades right | ILACS area right | page right | panics / errors / missing |"
        );
        let _ = writeln!(
            s,
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
        );
        for (kind, t) in self.totals() {
            let name = if kind == "~all" {
                "**all**".to_string()
            } else {
                kind
            };
            let area = if t.area_total > 0 {
                format!(
                    "{}/{} ({:.1}%)",
                    t.area_right,
                    t.area_total,
                    pct(t.area_right, t.area_total)
                )
            } else {
                "–".into()
            };
            let pages = if t.pages_total > 0 {
                format!(
                    "{}/{} ({:.1}%)",
                    t.pages_right,
                    t.pages_total,
                    pct(t.pages_right, t.pages_total)
                )
            } else {
                "–".into()
            };
            let _ = writeln!(
                s,
                "| {name} | {} | {}/{} | {}/{} ({:.1}%) | {} | {}/{} ({:.2}%) | {} ({}) | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} / {} |",
                t.reports,
                t.exact,
                t.numbered,
                t.numbers_found,
                t.numbers_total,
                pct(t.numbers_found, t.numbers_total),
                t.wrong,
                t.prose_kept,
                t.prose_total,
                t.prose_share(),
                t.end_matter,
                t.end_matter_reports,
                t.furniture,
                t.check("kind"),
                t.check("framework"),
                t.check("year"),
                t.check("published"),
                t.check("grade"),
                area,
                pages,
                t.panics,
                t.errors,
                t.missing,
            );
        }
        let _ = writeln!(s);
        if self.shared_ids.is_empty() {
            let _ = writeln!(s, "Report ids shared by two reports: none.");
        } else {
            let _ = writeln!(s, "Report ids shared by two reports:");
            for (id, files) in &self.shared_ids {
                let _ = writeln!(s, "- `{id}`: {}", files.join(", "));
            }
        }
        let fragments: Vec<String> = self
            .reports
            .iter()
            .filter(|r| r.measured() && r.authority_fragment)
            .map(|r| format!("{} → {:?}", r.file, r.authority))
            .collect();
        if fragments.is_empty() {
            let _ = writeln!(s, "Authorities that are fragments: none.");
        } else {
            let _ = writeln!(
                s,
                "Authorities that are fragments ({}): {}",
                fragments.len(),
                fragments.join("; ")
            );
        }
        s
    }

    /// Per-report lines, worst first, with examples of what went wrong.
    /// `limit` reports, at most `examples` examples of each kind of problem per report.
    pub fn details(&self, limit: usize, examples: usize) -> String {
        let mut worst: Vec<&ReportMeasure> = self.reports.iter().collect();
        let badness = |r: &ReportMeasure| -> f64 {
            if !r.measured() {
                return 1e9;
            }
            let mut b = 0.0;
            b += (r.truth_n - r.numbers_found.min(r.truth_n)) as f64;
            b += r.numbers_wrong as f64;
            b += (r.prose_total - r.prose_kept) as f64;
            b += 10.0 * (r.end_matter.len() + r.furniture.len()) as f64;
            b += 10.0 * r.failed_checks().len() as f64;
            b += (r.area_total - r.area_right) as f64;
            b += (r.pages_total - r.pages_right) as f64;
            b
        };
        worst.sort_by(|a, b| badness(b).total_cmp(&badness(a)).then(a.file.cmp(&b.file)));
        let mut s = String::new();
        for r in worst.into_iter().take(limit) {
            if badness(r) == 0.0 {
                break;
            }
            let _ = writeln!(s, "## {} ({})", r.file, r.table_kind);
            if r.missing {
                let _ = writeln!(s, "- text file missing");
                continue;
            }
            if let Some(p) = &r.panic {
                let _ = writeln!(s, "- PANIC: {p}");
                continue;
            }
            if let Some(e) = &r.error {
                let _ = writeln!(s, "- error: {e}");
                continue;
            }
            let _ = writeln!(
                s,
                "- numbers: source 1..{} ({}), found {}, wrong {}, exact {}",
                r.truth_n,
                if r.truth_n > 0 {
                    "numbered"
                } else {
                    "unnumbered"
                },
                r.numbers_found,
                r.numbers_wrong,
                r.numbering_exact()
            );
            for p in r.number_problems.iter().take(examples) {
                let _ = writeln!(s, "  - {p}");
            }
            let _ = writeln!(
                s,
                "- prose lines kept {}/{} ({:.1}%)",
                r.prose_kept,
                r.prose_total,
                pct(r.prose_kept, r.prose_total)
            );
            for l in r.lost.iter().take(examples) {
                let _ = writeln!(s, "  - lost {l}");
            }
            for e in r.end_matter.iter().chain(&r.furniture).take(examples) {
                let _ = writeln!(s, "- foreign: {e}");
            }
            for c in r.failed_checks() {
                let note = if c.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.note)
                };
                let _ = writeln!(
                    s,
                    "- {}: expected {:?}, crate {:?}{note}",
                    c.what, c.expected, c.got
                );
            }
            if r.area_total > 0 {
                let _ = writeln!(s, "- ILACS areas right {}/{}", r.area_right, r.area_total);
                for w in r.area_wrong.iter().take(examples) {
                    let _ = writeln!(s, "  - {w}");
                }
            }
            if r.pages_right < r.pages_total {
                let _ = writeln!(s, "- pages right {}/{}", r.pages_right, r.pages_total);
                for w in r.page_wrong.iter().take(examples) {
                    let _ = writeln!(s, "  - {w}");
                }
            }
            if r.authority_fragment {
                let _ = writeln!(s, "- authority {:?} is a fragment", r.authority);
            }
        }
        s
    }
}
