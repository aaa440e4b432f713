//! Pages: the page furniture that repeats at the edges of a document's pages.
//!
//! Converted text and the PDF reader mark page breaks with form feeds, and
//! [`normalise`](super::normalise) records each line's page. A page's first and last lines
//! then often hold its furniture: the page number, and a running header or footer (the
//! report's title and dates, "Inspection of Leicester City Council local authority children's
//! services / 20 September 2021 to 1 October 2021"). This stage finds the lines that recur at
//! page edges and marks them [`LineKind::Furniture`], so that no paragraph contains them and
//! no page break looks like a paragraph break.
//!
//! The rule is about layout, not wording: a line is a running header or footer when the same
//! text (digits ignored, so page numbers and dates may vary) stands within the first
//! [`TOP_LINES`] or last [`BOTTOM_LINES`] lines of at least three pages (or of every page of a
//! short document). The top of the first page is never furniture: it is the cover, and the
//! report's title may equal its running header.

use std::collections::{HashMap, HashSet};

use super::normalise::{Line, LineKind};

/// How many non-blank lines at the top of a page can be a running header.
pub const TOP_LINES: usize = 3;
/// How many non-blank lines at the bottom of a page can be a running footer.
pub const BOTTOM_LINES: usize = 4;

/// True when the text had page breaks (form feeds): paragraphs then carry page numbers.
pub fn has_pages(lines: &[Line]) -> bool {
    lines.last().is_some_and(|l| l.page > 1)
}

/// Marks running headers and footers (and stray page numbers at page edges) as
/// [`LineKind::Furniture`].
///
/// ```
/// use ofsted_search::ingest::normalise::{normalise, LineKind};
/// use ofsted_search::ingest::pages::mark_furniture;
/// let page = |n: u32| format!("Inspection of X local authority children's services\nBody text of page {n} goes on.\nIt has more lines.\nA third one.\nAnd a fourth.\n{n}\n");
/// let text = [page(1), page(2), page(3)].join("\u{c}");
/// let mut lines = normalise(&text);
/// mark_furniture(&mut lines);
/// let kept: Vec<&str> = lines.iter().filter(|l| l.kind == LineKind::Text).map(|l| l.text.as_str()).collect();
/// // The title on the first page stays; the running header on later pages goes.
/// assert_eq!(kept[0], "Inspection of X local authority children's services");
/// assert_eq!(kept.iter().filter(|t| t.starts_with("Inspection of")).count(), 1);
/// ```
pub fn mark_furniture(lines: &mut [Line]) {
    if !has_pages(lines) {
        return;
    }
    // The edge lines of each page: (index into `lines`, whether it is the top of page 1).
    let mut by_page: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        if matches!(l.kind, LineKind::Text | LineKind::Furniture) {
            by_page.entry(l.page).or_default().push(i);
        }
    }
    let pages = by_page.len();
    let mut edges: Vec<(usize, bool)> = Vec::new();
    for (&page, idx) in &by_page {
        let top = idx.len().min(TOP_LINES);
        let bottom_from = idx.len().saturating_sub(BOTTOM_LINES);
        for (k, &i) in idx.iter().enumerate() {
            if k < top || k >= bottom_from {
                edges.push((i, page == 1 && k < top && k < bottom_from));
            }
        }
    }
    let mut pages_of: HashMap<String, HashSet<u32>> = HashMap::new();
    for &(i, _) in &edges {
        if let Some(key) = edge_key(&lines[i].text) {
            pages_of.entry(key).or_default().insert(lines[i].page);
        }
    }
    let repeated = |n: usize| n >= 3 || (n >= 2 && n == pages);
    for (i, protected) in edges {
        if protected || lines[i].kind != LineKind::Text {
            continue;
        }
        let Some(key) = edge_key(&lines[i].text) else {
            continue;
        };
        if pages_of.get(&key).is_some_and(|p| repeated(p.len())) {
            lines[i].kind = LineKind::Furniture;
        }
    }
}

/// The text that identifies a running header: lowercase words with digits masked, or `None`
/// for lines too short to tell (a lone word such as a grade may repeat by chance).
fn edge_key(text: &str) -> Option<String> {
    let mut key = String::with_capacity(text.len());
    let mut words = 0;
    for word in text.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        words += 1;
        for c in word.chars() {
            if c.is_ascii_digit() {
                key.push('#');
            } else {
                key.extend(c.to_lowercase());
            }
        }
    }
    let page_number = key.chars().all(|c| c == '#' || c == ' ' || c == '.');
    (words >= 2 || page_number && !key.contains('.')).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::normalise::normalise;

    fn kinds(text: &str) -> Vec<(String, LineKind, u32)> {
        let mut lines = normalise(text);
        mark_furniture(&mut lines);
        lines
            .into_iter()
            .filter(|l| !l.is_blank())
            .map(|l| (l.text, l.kind, l.page))
            .collect()
    }

    #[test]
    fn form_feeds_number_the_pages() {
        let got = kinds("one\n\u{c}two\nthree\u{c}\nfour\n\u{c}\u{c}five");
        let pages: Vec<u32> = got.iter().map(|k| k.2).collect();
        assert_eq!(pages, [1, 2, 2, 3, 5]);
    }

    #[test]
    fn running_footers_with_changing_numbers_are_furniture() {
        let page = |n: u32| {
            format!(
                "Paragraph {} that is long enough.\nMore of it {}.\n\n\
                 Inspection of Leicester City Council local authority children's services\n\
                 20 September 2021 to 1 October 2021\n\n{n}\n",
                ["one", "two", "three", "four"][n as usize - 1],
                ["here", "there", "below", "above"][n as usize - 1],
            )
        };
        let text = (1..=4).map(page).collect::<Vec<_>>().join("\u{c}");
        let got = kinds(&text);
        let text_lines: Vec<&str> = got
            .iter()
            .filter(|k| k.1 == LineKind::Text)
            .map(|k| k.0.as_str())
            .collect();
        assert_eq!(text_lines.len(), 8, "{text_lines:?}");
        assert!(text_lines.iter().all(|t| !t.starts_with("Inspection of")));
        assert!(text_lines.iter().all(|t| !t.starts_with("20 September")));
    }

    #[test]
    fn a_sentence_repeated_inside_pages_is_kept() {
        // Same text on three pages, but never at an edge.
        let page = "Top line one here.\nTop line two here.\nTop line three here.\n\
                    Services are good.\nBottom a is here.\nBottom b is here.\nBottom c is here.\nBottom d is here.\n";
        let text = [page, page, page].join("\u{c}");
        let got = kinds(&text);
        assert_eq!(
            got.iter()
                .filter(|k| k.0 == "Services are good." && k.1 == LineKind::Text)
                .count(),
            3
        );
    }

    #[test]
    fn text_without_page_breaks_is_untouched() {
        let got = kinds("Same header line\nbody\nSame header line\nbody\nSame header line\n");
        assert!(got.iter().all(|k| k.1 == LineKind::Text && k.2 == 1));
    }
}
