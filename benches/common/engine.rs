//! The crate under test: builds (and caches) an ofsted-search index of a corpus, and answers
//! the query classes through the public API only, as an application would.

use std::path::{Path, PathBuf};

use ofsted_search::ingest::{Ingester, ParsedReport};
use ofsted_search::{Operator, Query, Ranking, SearchIndex, Totals};

use super::data::{self, Build};
use super::queries::{Class, Spec};
use super::{cache_dir, Scale};

/// The crate's query for a spec. Facet counting is on for the results page only, since the
/// other classes measure matching and ranking.
pub fn to_query(q: &Spec) -> Query {
    let text = match q.class {
        Class::Phrase2 | Class::Phrase3 => format!("\"{}\"", q.words.join(" ")),
        _ => q.words.join(" "),
    };
    let mut query = match &q.like {
        Some((id, _)) => Query::similar(id),
        None => Query::new(&text),
    };
    query
        .operator(if q.class == Class::AnyTwo {
            Operator::Any
        } else {
            Operator::All
        })
        .facets(q.class == Class::Page)
        .limit(10);
    if let Some(g) = q.grade {
        query.grade(g);
    }
    if let Some((lo, hi)) = q.years {
        query.years(lo..=hi);
    }
    if let Some(t) = &q.theme {
        query.theme(t);
    }
    query
}

/// The crate's query for a spec under [`Ranking::plain`]: BM25 over the words typed, no
/// ranking steps — the crate's own cost over plain tantivy, without what ranking adds.
pub fn to_plain_query(q: &Spec) -> Query {
    let mut query = to_query(q);
    query.ranking(Ranking::plain());
    query
}

/// The crate's default query for a spec with totals counted up to 1000 only (Lucene's default
/// cap), which lets the engine prune the top-k; the results page keeps its facets, so its
/// totals stay exact.
pub fn to_topk_query(q: &Spec) -> Query {
    let mut query = to_query(q);
    query.totals(Totals::AtLeast(1000));
    query
}

/// Runs a prepared query; returns its total, touching every hit's citation and snippet so
/// nothing is left unused.
///
/// # Panics
///
/// When the search fails: a bench query is fixed, so a failure is a bug to see at once.
pub fn run(index: &SearchIndex, q: &Query) -> u64 {
    let r = index.search(q).unwrap_or_else(|e| panic!("{q:?}: {e}"));
    let touched: usize = r
        .hits
        .iter()
        .map(|h| h.citation.len() + h.snippet.len())
        .sum();
    std::hint::black_box(touched);
    r.total
}

/// Indexes `reports` into a new index at `dir` and commits; returns paragraphs and text bytes.
pub fn build(dir: &Path, reports: impl IntoIterator<Item = ParsedReport>) -> (u64, u64) {
    let index = SearchIndex::open_or_create(dir).expect("create index");
    let mut writer = index.writer().expect("writer");
    let (mut paragraphs, mut bytes) = (0u64, 0u64);
    for r in reports {
        paragraphs += r.paragraphs.len() as u64;
        bytes += r
            .paragraphs
            .iter()
            .map(|p| p.text.len() as u64)
            .sum::<u64>();
        writer.add_report(&r).expect("add report");
    }
    // Built once, queried many times: one segment (OFSTED_BENCH_MERGE=0 keeps what the merge
    // policy leaves, to compare).
    if std::env::var("OFSTED_BENCH_MERGE").is_ok_and(|v| v == "0") {
        writer.finish().expect("commit and wait for merges");
    } else {
        writer.finish_and_merge().expect("commit and merge");
    }
    (paragraphs, bytes)
}

/// End to end from text files: read, ingest (normalise, parse, chunk, tag), index, commit.
/// Returns paragraphs indexed and bytes of text read.
pub fn ingest_files(dir: &Path, files: &[PathBuf]) -> (u64, u64) {
    let index = SearchIndex::open_or_create(dir).expect("create index");
    let mut writer = index.writer().expect("writer");
    let ingester = Ingester::new();
    let (mut paragraphs, mut bytes) = (0u64, 0u64);
    for f in files {
        let text = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        bytes += text.len() as u64;
        let r = ingester
            .ingest_bytes(&text, &f.display().to_string())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        paragraphs += r.paragraphs.len() as u64;
        writer.add_report(&r).expect("add report");
    }
    writer.finish().expect("commit and wait for merges");
    (paragraphs, bytes)
}

/// The index of a size, its build figures and its directory. Synthetic indexes are cached
/// (built once, reused by later runs); the bundled one is rebuilt each time, since it follows
/// the ingester's changes.
pub fn index(scale: Scale) -> (SearchIndex, Build, PathBuf) {
    let dir = cache_dir(scale);
    // OFSTED_BENCH_INDEX names the index directory, so that builds of two versions of the
    // crate can be kept side by side and compared on the same cached corpus.
    let name = std::env::var("OFSTED_BENCH_INDEX").unwrap_or_else(|_| "index".into());
    let path = dir.join(&name);
    let marker = dir.join(format!("{name}.done"));
    if scale == Scale::Bundled {
        let _ = std::fs::remove_file(&marker);
    }
    let b = data::cached(&path, &marker, |p| build(p, data::reports(scale)));
    match SearchIndex::open(&path) {
        Ok(index) => (index, b, path),
        Err(e) => {
            // A cache written by an older schema is refused: rebuild it once.
            eprintln!("rebuilding {}: {e}", path.display());
            let _ = std::fs::remove_file(&marker);
            let b = data::cached(&path, &marker, |p| build(p, data::reports(scale)));
            (SearchIndex::open(&path).expect("open index"), b, path)
        }
    }
}

/// The number of segments of an index directory (one `.idx` file each).
pub fn segments(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "idx"))
                .count()
        })
        .unwrap_or(0)
}
