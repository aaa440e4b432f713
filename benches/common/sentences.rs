//! The sentence pool: every clean sentence of the bundled reports' paragraphs, the raw
//! material the synthetic corpus recombines.

use std::collections::HashSet;
use std::path::Path;

use ofsted_search::ingest::Ingester;
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
    /// Runs every `*.txt` report of `dir` (the bundled `corpus/`) through the crate's
    /// [`Ingester`], so that only paragraph text (no contents, tables, end matter or
    /// conversion debris) is pooled, and splits the paragraphs into sentences.
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
        let ingester = Ingester::new();
        let mut seen = HashSet::new();
        let mut sentences = Vec::new();
        for path in &files {
            let parsed = ingester
                .ingest_file(path)
                .unwrap_or_else(|e| panic!("cannot ingest {}: {e}", path.display()));
            for p in &parsed.paragraphs {
                for s in p.text.unicode_sentences() {
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

/// Keeps a sentence that reads as prose: starts with a capital, ends with a full stop, six
/// words or more, not absurdly long, no Markdown emphasis left; replaces the source's place names with [`PLACE`].
fn clean_sentence(s: &str) -> Option<String> {
    let s = s.trim();
    let first = s.chars().next()?;
    let words = s.split_whitespace().count();
    if !first.is_uppercase() || !s.ends_with('.') || words < 6 || s.len() > 700 || s.contains("**")
    {
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
