//! Glyphs to page text: lines from baselines, cells from wide gaps, page furniture from
//! position and repetition.

use std::collections::HashMap;

use super::{Glyph, PageGlyphs};
use crate::ingest::normalise::bullet_glyph;

/// A run of glyphs on one baseline with no wide gap inside.
#[derive(Debug, Clone)]
struct Fragment {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

/// A line of the rebuilt page: its fragments (cells), left to right in drawing order.
#[derive(Debug, Clone)]
struct Row {
    y: f64,
    size: f64,
    cells: Vec<Fragment>,
}

impl Row {
    fn text(&self) -> String {
        self.cells
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Rebuilds each page's text. Running headers, footers and page numbers are dropped.
pub(super) fn rebuild(pages: &[PageGlyphs]) -> Vec<String> {
    let rows: Vec<Vec<Row>> = pages.iter().map(|p| rows(&p.glyphs)).collect();
    let furniture = furniture(pages, &rows);
    rows.iter()
        .enumerate()
        .map(|(i, page)| render(page, &furniture[i]))
        .collect()
}

/// A gap wider than this many ems between two glyphs on a baseline separates table cells.
const CELL_GAP_EMS: f64 = 1.5;
/// A gap wider than this many ems between two glyphs is a space.
const SPACE_GAP_EMS: f64 = 0.1;

/// Groups a page's glyphs into rows of fragments.
fn rows(glyphs: &[Glyph]) -> Vec<Row> {
    let mut fragments: Vec<Fragment> = Vec::new();
    for g in glyphs {
        let text = map_glyph(&g.text);
        let blank = text.trim().is_empty();
        let Some(f) = fragments.last_mut() else {
            if !blank {
                fragments.push(fragment(g, text));
            }
            continue;
        };
        let size = f.size.max(g.size).max(1.0);
        let same_line = (g.y - f.y).abs() <= 0.5 * size;
        let gap = g.x - f.end;
        // A footnote's number, set smaller, raised or tabbed off before its text, is a cell of
        // its own (as `pdftotext` writes it), so that the normaliser sees the footnote.
        let number_ends = !f.text.is_empty()
            && f.text.chars().all(|c| c.is_ascii_digit())
            && ((g.size - f.size).abs() > 0.2 * size
                || (g.y - f.y).abs() > 0.15 * size
                || gap > 0.35 * size);
        if number_ends && blank {
            continue;
        }
        if same_line && !number_ends && gap > -0.5 * size && gap <= CELL_GAP_EMS * size {
            if blank {
                if !f.text.ends_with(' ') {
                    f.text.push(' ');
                }
                f.end = f.end.max(g.end);
                continue;
            }
            if gap > SPACE_GAP_EMS * size && !f.text.ends_with(' ') {
                f.text.push(' ');
            }
            f.text.push_str(&text);
            f.end = g.end.max(f.end);
            // A larger glyph on the line (a drop cap, a heading) sets the line's size; a
            // superscript does not lower it.
            f.size = f.size.max(g.size);
        } else if !blank {
            fragments.push(fragment(g, text));
        }
    }
    let mut rows: Vec<Row> = Vec::new();
    for mut f in fragments {
        f.text = f.text.trim().to_string();
        if f.text.is_empty() {
            continue;
        }
        match rows.last_mut() {
            Some(row)
                if (f.y - row.y).abs() <= 0.5 * row.size.max(f.size)
                    && f.x >= row.cells.last().map_or(0.0, |c| c.end) - 0.5 * f.size =>
            {
                row.size = row.size.max(f.size);
                row.cells.push(f);
            }
            _ => rows.push(Row {
                y: f.y,
                size: f.size,
                cells: vec![f],
            }),
        }
    }
    let mut rows = reading_order(rows);
    // A paragraph number or bullet set off by a tab belongs to the text after it.
    for row in &mut rows {
        let mut cells: Vec<Fragment> = Vec::with_capacity(row.cells.len());
        for c in row.cells.drain(..) {
            match cells.last_mut() {
                Some(prev) if is_marker(&prev.text) => {
                    prev.text.push(' ');
                    prev.text.push_str(&c.text);
                    prev.end = c.end;
                }
                _ => cells.push(c),
            }
        }
        row.cells = cells;
    }
    rows
}

/// Puts blocks of rows in reading order. Rows are in drawing order, which is reading order
/// within a flow of text; a jump up the page starts another block (a text box drawn after the
/// body, like a letter's address block), and blocks are ordered by where they start.
fn reading_order(rows: Vec<Row>) -> Vec<Row> {
    let mut blocks: Vec<Vec<Row>> = Vec::new();
    for row in rows {
        match blocks.last_mut() {
            Some(block)
                if block
                    .last()
                    .is_some_and(|prev| row.y >= prev.y - 0.5 * prev.size.max(row.size)) =>
            {
                block.push(row)
            }
            _ => blocks.push(vec![row]),
        }
    }
    // Stable: blocks starting at the same height keep their drawing order.
    blocks.sort_by(|a, b| a[0].y.total_cmp(&b[0].y));
    blocks.into_iter().flatten().collect()
}

fn fragment(g: &Glyph, text: String) -> Fragment {
    Fragment {
        x: g.x,
        y: g.y,
        end: g.end,
        size: g.size,
        text,
    }
}

/// The text of a glyph as the pipeline wants it: private-use bullet glyphs of Symbol and
/// Wingdings fonts become the characters they draw (`■`, `−`, …: the normaliser's
/// [`bullet_glyph`], which keeps a sub-list's marker distinct from its list's), a no-break
/// space a space; other characters pass through.
fn map_glyph(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{a0}' => ' ',
            c if ('\u{e000}'..='\u{f8ff}').contains(&c) => bullet_glyph(c).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// A paragraph number (`12.`, `2.1`, `(a)`, `a)`) or a bullet glyph standing alone.
fn is_marker(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 6 {
        return false;
    }
    if t.chars().count() == 1 {
        let c = t.chars().next().unwrap_or(' ');
        return bullet_glyph(c).is_some() || matches!(c, '-' | '–' | '−');
    }
    if t.chars().all(|c| c.is_ascii_digit()) {
        // A bare number is a footnote's marker or a table cell, not a paragraph number.
        return false;
    }
    let inner = t.trim_start_matches('(').trim_end_matches([')', '.']);
    !inner.is_empty()
        && (inner.chars().all(|c| c.is_ascii_digit() || c == '.')
            || (inner.chars().count() <= 4
                && inner.chars().all(|c| c.is_ascii_lowercase())
                && t.ends_with(')')))
        && inner
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

/// The share of the page height at the top and at the bottom where running headers,
/// footers and page numbers live.
const BAND: f64 = 0.12;

/// Marks, for every page, the rows that are page furniture: rows in the top or bottom band
/// that are a page number, or whose text (digits ignored) recurs in the band of another page.
fn furniture(pages: &[PageGlyphs], rows: &[Vec<Row>]) -> Vec<Vec<bool>> {
    let in_band = |page: &PageGlyphs, row: &Row| {
        let h = page.height.max(1.0);
        row.y < h * BAND || row.y > h * (1.0 - BAND)
    };
    // How many pages carry each band text, digits ignored.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (page, rows) in pages.iter().zip(rows) {
        let mut on_page: Vec<String> = rows
            .iter()
            .filter(|r| in_band(page, r))
            .map(|r| shape(&r.text()))
            .collect();
        on_page.sort();
        on_page.dedup();
        for key in on_page {
            *seen.entry(key).or_default() += 1;
        }
    }
    pages
        .iter()
        .zip(rows)
        .map(|(page, rows)| {
            rows.iter()
                .map(|r| {
                    if !in_band(page, r) {
                        return false;
                    }
                    let text = r.text();
                    is_page_number(&text) || (pages.len() > 2 && seen[&shape(&text)] >= 2)
                })
                .collect()
        })
        .collect()
}

/// A row's text with digits removed and spaces collapsed, to recognise a running header or
/// footer whatever page number it carries.
fn shape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_ascii_digit())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `12`, `Page 3`, `Page 3 of 40`, `3 of 40`, `- 3 -`.
fn is_page_number(text: &str) -> bool {
    let t = text.trim().trim_matches(['-', '–', ' ']);
    let t = t
        .strip_prefix("Page ")
        .or_else(|| t.strip_prefix("page "))
        .unwrap_or(t);
    let mut parts = t.split(" of ");
    let first = parts.next().unwrap_or("");
    let numeric = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    numeric(first.trim()) && parts.all(|p| numeric(p.trim()))
}

/// A vertical gap of more than this many ems between two rows starts a new block (a blank
/// line). Paragraph spacing inside a flow of text is smaller, and `pdftotext` does not mark it
/// either: measured on the archive sample, 3 ems gives the most reports whose paragraphs
/// equal those of their `pdftotext` text (2 ems: 10 of 50; 2.5: 26; 3: 27; 4: 27, on the chunker of the time).
const PARAGRAPH_GAP_EMS: f64 = 3.0;

/// Rows whose sizes differ by more than this share of the smaller are in different blocks.
const SIZE_CHANGE: f64 = 0.15;

/// Writes a page's rows as text: one line per row, table cells on lines of their own with a
/// blank line between them, a blank line where the text jumps by more than two lines.
fn render(rows: &[Row], furniture: &[bool]) -> String {
    let mut out = String::new();
    let mut last: Option<&Row> = None;
    for (row, &skip) in rows.iter().zip(furniture) {
        if skip {
            continue;
        }
        if let Some(prev) = last {
            let gap = (row.y - prev.y).abs();
            let em = prev.size.max(row.size);
            let shift = (row.cells[0].x - prev.cells.last().map_or(0.0, |c| c.x)).abs();
            // After a row of cells, a row that goes on under its last cell (a footnote's text
            // after its number) continues that cell; any other row starts a new block.
            let after_cells = prev.cells.len() > 1
                && prev
                    .cells
                    .last()
                    .is_some_and(|c| (row.cells[0].x - c.x).abs() > em);
            // Text set in another size (a heading above or below body text, a footnote) is
            // another block, as `pdftotext` makes it.
            let resized = (row.size - prev.size).abs() > SIZE_CHANGE * prev.size.min(row.size);
            if after_cells || resized || gap > PARAGRAPH_GAP_EMS * em || shift > 6.0 * em {
                out.push('\n');
            }
        }
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|c| trim_marker_indent(&c.text))
            .collect();
        out.push_str(&cells.join("\n\n"));
        out.push('\n');
        last = Some(row);
    }
    out
}

/// `5.  Most children` → `5. Most children`: one space after a leading paragraph marker.
fn trim_marker_indent(text: &str) -> String {
    let text = text.trim();
    match text.split_once(' ') {
        Some((head, rest)) if is_marker(head) => format!("{head} {}", rest.trim_start()),
        _ => text.to_string(),
    }
}
