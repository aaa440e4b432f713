//! The archive judged set (`archive_queries.toml`): queries over the bundled corpus and the
//! archive slice of real reports, with a tune/test split fixed before any tuning, graded
//! judgments keyed by verbatim excerpts, and a third baseline (SQLite FTS5).
//!
//! Shared by `examples/eval.rs` (`--archive`) and `tests/relevance_archive.rs` through
//! `#[path]`, next to `harness.rs` and `metrics.rs`.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use ofsted_search::{Framework, Grade, ReportKind};
use rusqlite::{params, Connection};
use serde::Deserialize;

use super::harness::{match_form, txt_files, Corpus, Error, EvalQuery, Filter, Run, DEPTH};
use super::metrics::Grades;

/// The archive query set, relative to the crate root.
pub const ARCHIVE_QUERIES: &str = "tests/relevance/archive_queries.toml";
/// The names of the archive reports the set is judged over, relative to the crate root.
pub const ARCHIVE_REPORTS: &str = "tests/relevance/archive_reports.txt";
/// Where the archive texts are found when `corpus/` does not (yet) hold them: the archive
/// sample beside the repository, as laid out for sessions and CI.
pub const ARCHIVE_SAMPLE: &str = "../shared/archive-sample/text";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryFile {
    query: Vec<RawQuery>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuery {
    id: String,
    kind: String,
    half: String,
    text: String,
    #[serde(default)]
    filter: Option<RawFilter>,
    judgments: Vec<RawJudgment>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFilter {
    authority: Option<String>,
    year: Option<u16>,
    published: Option<u16>,
    kind: Option<String>,
    framework: Option<String>,
    overall: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJudgment {
    grade: u8,
    report: String,
    text: String,
}

/// The corpus the archive set is judged over: every text of `corpus/`, plus the archive
/// reports that `corpus/` does not hold, read from [`ARCHIVE_SAMPLE`].
pub fn load_corpus(root: &Path) -> Result<(Corpus, Vec<String>), Error> {
    let names = std::fs::read_to_string(root.join(ARCHIVE_REPORTS))
        .map_err(|e| format!("{ARCHIVE_REPORTS}: {e}"))?;
    let mut paths = txt_files(&root.join("corpus"))?;
    let mut from_sample = Vec::new();
    let mut missing = Vec::new();
    for name in names.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if root.join("corpus").join(format!("{name}.txt")).exists() {
            continue;
        }
        let p: PathBuf = root.join(ARCHIVE_SAMPLE).join(format!("{name}.txt"));
        if p.exists() {
            paths.push(p);
            from_sample.push(name.to_string());
        } else {
            missing.push(name.to_string());
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "archive reports found neither in corpus/ nor in {ARCHIVE_SAMPLE}: {}",
            missing.join(", ")
        )
        .into());
    }
    Ok((Corpus::load_files(paths)?, from_sample))
}

/// The archive set resolved against a corpus.
#[derive(Debug)]
pub struct ArchiveSet {
    /// The queries that can run, with their judgments resolved to paragraph ids.
    pub queries: Vec<EvalQuery>,
    /// Queries that cannot run, with the reason (a filter this build does not offer, or no
    /// judged paragraph left after the filter).
    pub skipped: Vec<String>,
    /// Relevant judgments (grade ≥ 1) in the file.
    pub relevant_judgments: usize,
    /// Relevant judgments whose excerpt no paragraph of their report contains.
    pub unresolved: Vec<String>,
    /// Query id → every judged paragraph (grade 0 included) that passes its filter: the
    /// pool, to tell how much of a system's ranking was judged at all.
    pub pooled: HashMap<String, std::collections::HashSet<String>>,
}

impl ArchiveSet {
    /// The queries of one half (`tune` or `test`).
    pub fn half(&self, half: &str) -> Vec<EvalQuery> {
        self.queries
            .iter()
            .filter(|q| q.half == half)
            .cloned()
            .collect()
    }
}

/// The authority names of the corpus that a filter value names: equal ignoring case, or
/// containing it as whole words ("cheshire east" names "Cheshire East Council").
fn authorities_named(corpus: &Corpus, value: &str) -> Vec<String> {
    let want = format!(" {} ", value.to_lowercase().replace('-', " "));
    let mut names: Vec<String> = corpus
        .reports
        .iter()
        .map(|r| r.report.authority.clone())
        .filter(|a| format!(" {} ", a.to_lowercase().replace('-', " ")).contains(&want))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Loads the archive set and resolves its judgments: a relevant judgment grades every
/// paragraph of its report whose match form contains the excerpt (the highest grade wins);
/// grade-0 judgments record the rest of the pool and are not used.
pub fn load(root: &Path, corpus: &Corpus) -> Result<ArchiveSet, Error> {
    let path = root.join(ARCHIVE_QUERIES);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{ARCHIVE_QUERIES}: {e}"))?;
    let file: QueryFile = toml::from_str(&text).map_err(|e| format!("{ARCHIVE_QUERIES}: {e}"))?;
    let forms: Vec<String> = corpus
        .paragraphs
        .iter()
        .map(|p| match_form(&p.text))
        .collect();
    let mut by_file: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in corpus.files.iter().enumerate() {
        by_file.entry(f.as_str()).or_default().push(i);
    }
    let mut problems = Vec::new();
    let mut set = ArchiveSet {
        queries: Vec::new(),
        skipped: Vec::new(),
        relevant_judgments: 0,
        unresolved: Vec::new(),
        pooled: HashMap::new(),
    };
    let mut ids = std::collections::HashSet::new();
    for q in &file.query {
        if !ids.insert(q.id.clone()) {
            problems.push(format!("duplicate query id {}", q.id));
        }
        if q.half != "tune" && q.half != "test" {
            problems.push(format!("{}: half must be tune or test", q.id));
        }
        let raw = q.filter.clone().unwrap_or_default();
        let mut filter = Filter {
            year: raw.year,
            published: raw.published,
            ..Filter::default()
        };
        let mut unsupported = None;
        if let Some(k) = &raw.kind {
            match k.parse::<ReportKind>() {
                Ok(k) => filter.kind = Some(k),
                Err(e) => unsupported = Some(format!("kind: {e}")),
            }
        }
        if let Some(g) = &raw.overall {
            match g.parse::<Grade>() {
                Ok(g) => filter.overall = Some(g),
                Err(e) => problems.push(format!("{}: overall: {e}", q.id)),
            }
        }
        if let Some(f) = &raw.framework {
            match f.parse::<Framework>() {
                Ok(f) => filter.framework = Some(f),
                Err(e) => unsupported = Some(format!("framework: {e}")),
            }
        }
        if let Some(a) = &raw.authority {
            match authorities_named(corpus, a).as_slice() {
                [one] => filter.authority = Some(one.clone()),
                [] => problems.push(format!("{}: no report of authority '{a}'", q.id)),
                many => problems.push(format!(
                    "{}: authority '{a}' names several: {}",
                    q.id,
                    many.join(", ")
                )),
            }
        }
        let mut grades = Grades::new();
        let mut pooled = std::collections::HashSet::new();
        for j in &q.judgments {
            if j.grade > 2 {
                problems.push(format!("{}: grade {} is not 0, 1 or 2", q.id, j.grade));
            }
            let needle = match_form(&j.text);
            let hits: Vec<usize> = by_file
                .get(j.report.as_str())
                .map(|v| {
                    v.iter()
                        .copied()
                        .filter(|&i| forms[i].contains(&needle))
                        .collect()
                })
                .unwrap_or_default();
            for &i in &hits {
                let p = &corpus.paragraphs[i];
                if filter.accepts(p, corpus.report_of(p)) {
                    pooled.insert(p.id.clone());
                }
            }
            if j.grade == 0 {
                continue;
            }
            set.relevant_judgments += 1;
            if hits.is_empty() {
                set.unresolved
                    .push(format!("{}: {}: {:?}", q.id, j.report, j.text));
            }
            for i in hits {
                let p = &corpus.paragraphs[i];
                if !filter.accepts(p, corpus.report_of(p)) {
                    continue;
                }
                let g = grades.entry(p.id.clone()).or_insert(0);
                *g = (*g).max(j.grade);
            }
        }
        if let Some(why) = unsupported {
            set.skipped.push(format!("{}: {why}", q.id));
            continue;
        }
        if grades.is_empty() {
            set.skipped
                .push(format!("{}: no judged paragraph passes its filter", q.id));
            continue;
        }
        set.pooled.insert(q.id.clone(), pooled);
        set.queries.push(EvalQuery {
            id: q.id.clone(),
            kind: q.kind.clone(),
            half: q.half.clone(),
            text: q.text.clone(),
            filter,
            grades,
        });
    }
    if problems.is_empty() {
        Ok(set)
    } else {
        Err(format!(
            "{ARCHIVE_QUERIES}: {} problem(s):\n  {}",
            problems.len(),
            problems.join("\n  ")
        )
        .into())
    }
}

/// The third baseline: the same paragraphs in SQLite FTS5 (porter stemming over unicode61,
/// bm25 ranking), queried with the OR of the query's words and quoted phrases, as an
/// application would with plain SQL. Filters are applied to the full ranking before the cut.
pub struct Fts5<'c> {
    corpus: &'c Corpus,
    conn: Connection,
}

impl<'c> Fts5<'c> {
    /// Indexes every paragraph of `corpus` in memory.
    pub fn build(corpus: &'c Corpus) -> Result<Fts5<'c>, Error> {
        let mut conn = Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE VIRTUAL TABLE para USING fts5(text, tokenize = 'porter unicode61');",
        )?;
        let tx = conn.transaction()?;
        {
            let mut ins = tx.prepare("INSERT INTO para(rowid, text) VALUES (?1, ?2)")?;
            for (i, p) in corpus.paragraphs.iter().enumerate() {
                ins.execute(params![i as i64, p.text])?;
            }
        }
        tx.commit()?;
        Ok(Fts5 { corpus, conn })
    }

    /// The FTS5 MATCH expression of a user's text: each word and each quoted phrase, as FTS5
    /// strings, joined by OR (so no user text is ever FTS5 syntax).
    pub fn match_expr(text: &str) -> String {
        let mut parts = Vec::new();
        for (i, chunk) in text.split('"').enumerate() {
            let words: Vec<String> = chunk
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            if i % 2 == 1 && words.len() > 1 {
                parts.push(format!("\"{}\"", words.join(" ")));
            } else {
                parts.extend(words.into_iter().map(|w| format!("\"{w}\"")));
            }
        }
        parts.join(" OR ")
    }

    /// Runs one query.
    pub fn search(&self, q: &EvalQuery) -> Result<Vec<String>, Error> {
        let expr = Fts5::match_expr(&q.text);
        if expr.is_empty() {
            return Ok(Vec::new());
        }
        let mut st = self
            .conn
            .prepare_cached("SELECT rowid FROM para WHERE para MATCH ?1 ORDER BY bm25(para)")?;
        let rows = st.query_map(params![expr], |r| r.get::<_, i64>(0))?;
        let mut out = Vec::new();
        for row in rows {
            let p = &self.corpus.paragraphs[row? as usize];
            if q.filter.accepts(p, self.corpus.report_of(p)) {
                out.push(p.id.clone());
                if out.len() == DEPTH {
                    break;
                }
            }
        }
        Ok(out)
    }
}

/// Runs of several systems on one half, for a table of that half.
pub fn half_runs(runs: &[Run], queries: &[EvalQuery]) -> Vec<Run> {
    let keep: std::collections::HashSet<&str> = queries.iter().map(|q| q.id.as_str()).collect();
    runs.iter()
        .map(|r| Run {
            name: r.name.clone(),
            per_query: r
                .per_query
                .iter()
                .filter(|(id, _, _)| keep.contains(id.as_str()))
                .cloned()
                .collect(),
        })
        .collect()
}

/// How many distinct reports the first `k` results of each query come from, averaged.
pub fn mean_reports_in_top(rankings: &[Vec<String>], corpus: &Corpus, k: usize) -> f64 {
    if rankings.is_empty() {
        return 0.0;
    }
    let report: HashMap<&str, &str> = corpus
        .paragraphs
        .iter()
        .map(|p| (p.id.as_str(), p.report_id.as_str()))
        .collect();
    let total: usize = rankings
        .iter()
        .map(|r| {
            let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
            for id in r.iter().take(k) {
                if let Some(rep) = report.get(id.as_str()) {
                    seen.insert(rep, ());
                }
            }
            seen.len()
        })
        .sum();
    total as f64 / rankings.len() as f64
}

/// The paragraphs of `ranking`'s first `depth` that were never judged for `q` (not in its
/// pool), for pooling a new system: each as the judgment line to complete (its report's file
/// stem and an excerpt unique within that report) and the paragraph's text to read.
pub fn unjudged(
    corpus: &Corpus,
    set: &ArchiveSet,
    q: &EvalQuery,
    ranking: &[String],
    depth: usize,
) -> Vec<(String, String, String)> {
    let pool = &set.pooled[&q.id];
    let mut out = Vec::new();
    for id in ranking.iter().take(depth) {
        if pool.contains(id) {
            continue;
        }
        let Some(i) = corpus.paragraphs.iter().position(|p| &p.id == id) else {
            continue;
        };
        let file = &corpus.files[i];
        let form = match_form(&corpus.paragraphs[i].text);
        let others: Vec<String> = corpus
            .paragraphs
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i && &corpus.files[*j] == file)
            .map(|(_, p)| match_form(&p.text))
            .collect();
        // The first window of about 70 characters, cut at spaces, found in no other paragraph
        // of the report and free of quotes (the judgment is a TOML string).
        let words: Vec<&str> = form.split(' ').collect();
        let mut excerpt = form.clone();
        'start: for s in 0..words.len() {
            let mut e = s;
            let mut len = 0;
            while e < words.len() && len < 70 {
                len += words[e].len() + 1;
                e += 1;
            }
            let cand = words[s..e].join(" ");
            if cand.len() >= 40
                && !cand.contains(['"', '\\'])
                && !others.iter().any(|o| o.contains(&cand))
            {
                excerpt = cand;
                break 'start;
            }
        }
        out.push((file.clone(), excerpt, corpus.paragraphs[i].text.clone()));
    }
    out
}

/// Prints, for judges, the paragraphs of `rankings` (one per system, for `q`) in their first
/// `depth` that were never judged, each once, with the judgment line to complete.
pub fn print_unjudged(
    corpus: &Corpus,
    set: &ArchiveSet,
    q: &EvalQuery,
    rankings: &[Vec<String>],
    depth: usize,
) {
    let mut seen = std::collections::HashSet::new();
    for ranking in rankings {
        for (file, excerpt, text) in unjudged(corpus, set, q, ranking, depth) {
            if seen.insert((file.clone(), excerpt.clone())) {
                println!(
                    "## {} ({}) {:?}\n{text}\n  {{ grade = ?, report = \"{file}\", text = \"{excerpt}\" }},\n",
                    q.id, q.half, q.text
                );
            }
        }
    }
}
