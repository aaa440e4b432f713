//! The sentence pool: every clean sentence of the bundled reports, the raw material the
//! synthetic corpus recombines.

use std::collections::HashSet;
use std::path::Path;

use unicode_segmentation::UnicodeSegmentation;

/// Stands for the authority's short name inside a pooled sentence ("in Sheffield"), so that a
/// synthetic report speaks of its own authority.
pub const PLACE: &str = "\u{1}";

/// Place names of the bundled reports, replaced by [`PLACE`] when pooled (longest first, so
/// "South Gloucestershire" goes before a shorter overlap).
const SOURCE_PLACES: &[&str] = &[
    "South Gloucestershire",
    "Staffordshire",
    "Rotherham",
    "Sheffield",
];

/// Clean, distinct sentences in a fixed order (file name order, then text order).
#[derive(Debug, Clone)]
pub struct SentencePool {
    sentences: Vec<String>,
}

impl SentencePool {
    /// Reads every `*.txt` file of `dir` (the bundled `corpus/`).
    ///
    /// # Panics
    ///
    /// When the directory cannot be read or yields no sentences: benches cannot run without
    /// their data, and saying so loudly is the useful thing to do.
    pub fn from_dir(dir: &Path) -> SentencePool {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot read corpus dir {}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        let mut seen = HashSet::new();
        let mut sentences = Vec::new();
        for path in &files {
            let text = std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            for block in blocks(&text) {
                for s in block.unicode_sentences() {
                    if let Some(s) = clean_sentence(s) {
                        if seen.insert(s.clone()) {
                            sentences.push(s);
                        }
                    }
                }
            }
        }
        assert!(
            sentences.len() > 100,
            "only {} sentences in {}",
            sentences.len(),
            dir.display()
        );
        SentencePool { sentences }
    }

    /// The bundled corpus of this crate.
    pub fn bundled() -> SentencePool {
        SentencePool::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"))
    }

    /// The sentences.
    pub fn sentences(&self) -> &[String] {
        &self.sentences
    }
}

/// Blank-line separated blocks with hard-wrapped lines re-joined, after stripping the
/// conversion debris that would otherwise glue onto sentences: bullets and paragraph numbers,
/// markdown emphasis and headings, HTML tags, LaTeX and superscript footnote digits.
fn blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for raw in text.lines() {
        let line = clean_line(raw);
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        // A numbered or bulleted line starts a new paragraph even without a blank line.
        if starts_item(raw) && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(&line);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn starts_item(raw: &str) -> bool {
    let t = raw.trim_start();
    t.starts_with(['-', '■', '•', '▪'])
        || t.split_once(". ")
            .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
}

fn clean_line(raw: &str) -> String {
    let mut t = raw.trim();
    t = t.trim_start_matches(['-', '■', '•', '▪', '#', ' ', '\t']);
    if let Some((n, rest)) = t.split_once(". ") {
        if n.parse::<u32>().is_ok() {
            t = rest;
        }
    }
    if t.contains('$') || t.contains('\t') {
        // LaTeX fragments and table rows are not prose.
        return String::new();
    }
    let mut s = String::with_capacity(t.len());
    let mut in_tag = false;
    for c in t.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '*' | '¹' | '²' | '³' | '⁴' | '⁵' | '⁶' | '⁷' | '⁸' | '⁹' | '⁰' => {}
            _ => s.push(c),
        }
    }
    s.trim().to_string()
}

/// Keeps a sentence that reads as prose: starts with a capital, ends with a full stop, six
/// words or more, not absurdly long; replaces the source's place names with [`PLACE`].
fn clean_sentence(s: &str) -> Option<String> {
    let s = s.trim();
    let first = s.chars().next()?;
    let words = s.split_whitespace().count();
    if !first.is_uppercase() || !s.ends_with('.') || words < 6 || s.len() > 700 {
        return None;
    }
    let mut s = s.to_string();
    for place in SOURCE_PLACES {
        if s.contains(place) {
            s = s.replace(place, PLACE);
        }
    }
    Some(s)
}
