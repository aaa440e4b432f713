//! The relevance evaluation: loads the judged query set, ingests the bundled corpus, resolves
//! each judgment's verbatim substring to a paragraph id, runs every query through each system
//! under test and averages the metrics overall and per query kind.
//!
//! Shared by `examples/eval.rs` and `tests/relevance.rs` through `#[path]`, so the figures the
//! example prints are the figures the regression test guards.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ofsted_search::ingest::{Ingester, ParsedReport};
use ofsted_search::{Area, Framework, Grade, Paragraph, Query, Report, ReportKind, SearchIndex};
use serde::Deserialize;

use super::metrics::{Grades, Scores};

/// The query set file, relative to the crate root.
pub const QUERIES: &str = "tests/relevance/queries.toml";
/// The bundled corpus directory, relative to the crate root.
pub const CORPUS: &str = "corpus";
/// How many results each system is asked for (the deepest cut-off of the metrics).
pub const DEPTH: usize = 20;

/// A boxed error with a message; the harness is test code and reports, it does not recover.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The query set as written in `queries.toml`.
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
    text: String,
    #[serde(default)]
    filter: Option<Filter>,
    #[serde(default)]
    judgments: Vec<RawJudgment>,
    #[serde(default)]
    same_as: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJudgment {
    grade: u8,
    report: String,
    text: String,
}

/// Facet filters of a query; every system applies them, and judged paragraphs outside them are
/// dropped from the query's judgments (no system may return them).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// The authority's name as the report gives it.
    pub authority: Option<String>,
    /// The report year.
    pub year: Option<u16>,
    /// The section grade (`good`, `inadequate`, ...).
    pub grade: Option<Grade>,
    /// The judgement area (`help_and_protection`, ...).
    pub area: Option<Area>,
    /// A theme id of the taxonomy.
    pub theme: Option<String>,
    /// The report's kind.
    pub kind: Option<ReportKind>,
    /// The report's overall grade.
    pub overall: Option<Grade>,
    /// The report's inspection framework.
    pub framework: Option<Framework>,
    /// The report's publication year.
    pub published: Option<u16>,
}

impl Filter {
    /// Whether a paragraph of `report` passes every filter that is set.
    pub fn accepts(&self, p: &Paragraph, report: Option<&Report>) -> bool {
        self.authority
            .as_ref()
            .is_none_or(|a| p.authority.eq_ignore_ascii_case(a))
            && self.year.is_none_or(|y| p.year == Some(y))
            && self.grade.is_none_or(|g| p.grade == Some(g))
            && self.area.is_none_or(|a| p.area == Some(a))
            && self.theme.as_ref().is_none_or(|t| p.themes.contains(t))
            && self
                .kind
                .is_none_or(|k| report.is_some_and(|r| r.kind == k))
            && self
                .overall
                .is_none_or(|g| report.is_some_and(|r| r.overall_grade == Some(g)))
            && self
                .framework
                .is_none_or(|f| report.is_some_and(|r| r.framework == Some(f)))
            && self
                .published
                .is_none_or(|y| report.is_some_and(|r| r.published_year == Some(y)))
    }

    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }
}

/// One query, its judgments resolved to paragraph ids.
#[derive(Debug, Clone)]
pub struct EvalQuery {
    /// The query's id.
    pub id: String,
    /// Its kind (keyword, question, acronym, phrase, filtered, paraphrase, damaged, ...).
    pub kind: String,
    /// `tune` or `test` for the archive set's fixed split; empty for the bundled set.
    pub half: String,
    /// The text a user types.
    pub text: String,
    /// Its facet filters.
    pub filter: Filter,
    /// Paragraph id → grade.
    pub grades: Grades,
}

/// The ingested corpus.
#[derive(Debug)]
pub struct Corpus {
    /// Every paragraph of every report, in file then document order.
    pub paragraphs: Vec<Paragraph>,
    /// The corpus file stem of each paragraph (same order).
    pub files: Vec<String>,
    /// The reports as ingested, for systems that index whole reports.
    pub reports: Vec<ParsedReport>,
    /// Report id → index in `reports`.
    by_report: HashMap<String, usize>,
}

/// The five reports the original judged set (`queries.toml`) was written and judged over. The
/// archive slice added to `corpus/` later was never judged for those queries, so that set is
/// evaluated over these five only (the archive set, `archive_queries.toml`, covers the rest).
pub const ORIGINAL_REPORTS: [&str; 5] = [
    "rotherham-2014-inspection",
    "sheffield-2014-inspection",
    "sheffield-2018-focused-visit-news",
    "south-gloucestershire-2016-inspection",
    "staffordshire-2014-inspection",
];

impl Corpus {
    /// Ingests the [`ORIGINAL_REPORTS`] of the corpus directory `dir`.
    pub fn load_original(dir: &Path) -> Result<Corpus, Error> {
        Corpus::load_files(
            ORIGINAL_REPORTS
                .iter()
                .map(|name| dir.join(format!("{name}.txt")))
                .collect(),
        )
    }

    /// Ingests every `*.txt` file of `dir` (sorted by name) with the default ingester.
    pub fn load(dir: &Path) -> Result<Corpus, Error> {
        Corpus::load_files(txt_files(dir)?)
    }

    /// Ingests these files, in this order, with the default ingester.
    pub fn load_files(paths: Vec<PathBuf>) -> Result<Corpus, Error> {
        let ingester = Ingester::new();
        let mut paragraphs = Vec::new();
        let mut files = Vec::new();
        let mut reports = Vec::new();
        for path in &paths {
            let parsed = ingester.ingest_file(path)?;
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            for p in &parsed.paragraphs {
                files.push(stem.clone());
                paragraphs.push(p.clone());
            }
            reports.push(parsed);
        }
        let by_report = reports
            .iter()
            .enumerate()
            .map(|(i, r)| (r.report.report_id.clone(), i))
            .collect();
        Ok(Corpus {
            paragraphs,
            files,
            reports,
            by_report,
        })
    }

    /// The paragraph with this id.
    pub fn get(&self, id: &str) -> Option<&Paragraph> {
        self.paragraphs.iter().find(|p| p.id == id)
    }

    /// The report a paragraph belongs to.
    pub fn report_of(&self, p: &Paragraph) -> Option<&Report> {
        self.by_report
            .get(&p.report_id)
            .map(|&i| &self.reports[i].report)
    }
}

/// Every `*.txt` file of `dir`, sorted by name.
pub fn txt_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: cannot list corpus: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// The text form judgments are matched in: lowercase, typographic quotes made plain, markdown
/// emphasis dropped, whitespace runs collapsed to one space.
pub fn match_form(s: &str) -> String {
    let s = s
        .replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace("**", "");
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Loads the query set and resolves every judgment against the corpus.
///
/// Fails, listing every problem at once, when a judgment's substring matches no paragraph or
/// several paragraphs of its report, when a `same_as` names no query, or when a query is
/// malformed (duplicate id, grade outside 1..=2, no judgments). With `lenient`, problems are
/// printed to stderr instead, unresolved judgments are skipped and queries left without any
/// judgment are dropped: for development against a chunker that is still changing, never for
/// recorded figures.
pub fn load_queries(path: &Path, corpus: &Corpus, lenient: bool) -> Result<Vec<EvalQuery>, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read query set: {e}", path.display()))?;
    let file: QueryFile = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let forms: Vec<String> = corpus
        .paragraphs
        .iter()
        .map(|p| match_form(&p.text))
        .collect();
    let by_id: HashMap<&str, &RawQuery> = file.query.iter().map(|q| (q.id.as_str(), q)).collect();
    let mut problems = Vec::new();
    if by_id.len() != file.query.len() {
        problems.push("duplicate query ids".to_string());
    }
    let mut out = Vec::new();
    for q in &file.query {
        let judgments = match &q.same_as {
            Some(other) => match by_id.get(other.as_str()) {
                Some(o) if o.same_as.is_none() => o.judgments.clone(),
                _ => {
                    problems.push(format!(
                        "{}: same_as '{other}' names no query with judgments",
                        q.id
                    ));
                    continue;
                }
            },
            None => q.judgments.clone(),
        };
        if judgments.is_empty() {
            problems.push(format!("{}: no judgments", q.id));
        }
        let filter = q.filter.clone().unwrap_or_default();
        let mut grades = Grades::new();
        // Facets of judged paragraphs the filter excluded, to explain an empty answer.
        let mut excluded: Vec<String> = Vec::new();
        for j in &judgments {
            if !(1..=2).contains(&j.grade) {
                problems.push(format!("{}: grade {} is not 1 or 2", q.id, j.grade));
            }
            let needle = match_form(&j.text);
            let hits: Vec<usize> = (0..forms.len())
                .filter(|&i| corpus.files[i].starts_with(&j.report) && forms[i].contains(&needle))
                .collect();
            match hits.as_slice() {
                [i] => {
                    let p = &corpus.paragraphs[*i];
                    if !filter.accepts(p, corpus.report_of(p)) {
                        // The paragraph exists but the query's facets exclude it: no system may
                        // return it, so it is not part of this query's answer.
                        excluded.push(format!(
                            "{} (authority {:?}, year {:?}, grade {:?}, area {:?}, themes {:?})",
                            p.id, p.authority, p.year, p.grade, p.area, p.themes
                        ));
                        continue;
                    }
                    let g = grades.entry(p.id.clone()).or_insert(0);
                    *g = (*g).max(j.grade);
                }
                [] => problems.push(format!(
                    "{}: judgment matches no paragraph of '{}': {:?}",
                    q.id, j.report, j.text
                )),
                many => problems.push(format!(
                    "{}: judgment matches {} paragraphs of '{}' ({}): {:?}",
                    q.id,
                    many.len(),
                    j.report,
                    many.iter()
                        .map(|&i| corpus.paragraphs[i].id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    j.text
                )),
            }
        }
        if grades.is_empty() && !judgments.is_empty() {
            problems.push(format!(
                "{}: no judged paragraph passes the query's filter {:?}; judged: {}",
                q.id,
                filter,
                excluded.join("; ")
            ));
            if lenient {
                continue;
            }
        }
        out.push(EvalQuery {
            id: q.id.clone(),
            kind: q.kind.clone(),
            half: String::new(),
            text: q.text.clone(),
            filter,
            grades,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else if lenient {
        eprintln!(
            "warning: lenient mode: {} problem(s) ignored, {} of {} queries kept",
            problems.len(),
            out.len(),
            file.query.len()
        );
        Ok(out)
    } else {
        Err(format!(
            "{}: {} problem(s) resolving the judged query set:\n  {}",
            path.display(),
            problems.len(),
            problems.join("\n  ")
        )
        .into())
    }
}

/// A system under test: query text and filters in, paragraph ids out (best first, at most
/// [`DEPTH`]).
pub type System<'a> = Box<dyn Fn(&EvalQuery) -> Result<Vec<String>, Error> + 'a>;

/// One system's scores on the query set.
#[derive(Debug, Clone)]
pub struct Run {
    /// The system's name.
    pub name: String,
    /// Query id → scores, in query-set order.
    pub per_query: Vec<(String, String, Scores)>,
}

impl Run {
    /// Runs `system` over `queries`.
    pub fn of(name: &str, system: &System<'_>, queries: &[EvalQuery]) -> Result<Run, Error> {
        let mut per_query = Vec::new();
        for q in queries {
            let ranking = system(q).map_err(|e| format!("{name}: query {}: {e}", q.id))?;
            per_query.push((
                q.id.clone(),
                q.kind.clone(),
                Scores::of(&ranking, &q.grades),
            ));
        }
        Ok(Run {
            name: name.to_string(),
            per_query,
        })
    }

    /// The mean over all queries.
    pub fn overall(&self) -> Scores {
        Scores::mean(
            &self
                .per_query
                .iter()
                .map(|(_, _, s)| *s)
                .collect::<Vec<_>>(),
        )
    }

    /// The mean per query kind, kinds sorted by name, with the number of queries.
    pub fn per_kind(&self) -> BTreeMap<String, (usize, Scores)> {
        let mut kinds: BTreeMap<String, Vec<Scores>> = BTreeMap::new();
        for (_, kind, s) in &self.per_query {
            kinds.entry(kind.clone()).or_default().push(*s);
        }
        kinds
            .into_iter()
            .map(|(k, v)| (k, (v.len(), Scores::mean(&v))))
            .collect()
    }
}

/// A table of several runs: one row per (scope, system), scope = overall then each kind.
pub fn table(runs: &[Run]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| scope | n | system | nDCG@10 | MRR@10 | recall@20 |\n|---|---|---|---|---|---|"
    );
    let n = runs.first().map_or(0, |r| r.per_query.len());
    for r in runs {
        let s = r.overall();
        let _ = writeln!(
            out,
            "| **overall** | {n} | {} | {:.3} | {:.3} | {:.3} |",
            r.name, s.ndcg10, s.mrr10, s.recall20
        );
    }
    let kinds: Vec<String> = runs
        .first()
        .map(|r| r.per_kind().into_keys().collect())
        .unwrap_or_default();
    for kind in kinds {
        for r in runs {
            let (n, s) = r.per_kind()[&kind];
            let _ = writeln!(
                out,
                "| {kind} | {n} | {} | {:.3} | {:.3} | {:.3} |",
                r.name, s.ndcg10, s.mrr10, s.recall20
            );
        }
    }
    out
}

/// The plain baseline: tantivy BM25 with default settings (the `default` tokenizer: split on
/// non-alphanumerics, drop tokens over 40 bytes, lowercase; no stemming; `QueryParser` with its
/// default OR) over the paragraph text alone, built directly with tantivy.
pub mod baseline {
    use tantivy::collector::TopDocs;
    use tantivy::query::QueryParser;
    use tantivy::schema::{Schema, Value, STORED, STRING, TEXT};
    use tantivy::{doc, Index, IndexReader, TantivyDocument};

    use super::{Corpus, Error, EvalQuery, DEPTH};

    /// The baseline's in-memory index.
    pub struct Baseline<'c> {
        corpus: &'c Corpus,
        index: Index,
        reader: IndexReader,
        parser: QueryParser,
        id: tantivy::schema::Field,
    }

    impl<'c> Baseline<'c> {
        /// Indexes every paragraph of `corpus`.
        pub fn build(corpus: &'c Corpus) -> Result<Baseline<'c>, Error> {
            let mut b = Schema::builder();
            let id = b.add_text_field("id", STRING | STORED);
            let text = b.add_text_field("text", TEXT);
            let index = Index::create_in_ram(b.build());
            let mut writer = index.writer_with_num_threads(1, 50_000_000)?;
            for p in &corpus.paragraphs {
                writer.add_document(doc!(id => p.id.clone(), text => p.text.clone()))?;
            }
            writer.commit()?;
            let reader = index.reader()?;
            let parser = QueryParser::for_index(&index, vec![text]);
            Ok(Baseline {
                corpus,
                index,
                reader,
                parser,
                id,
            })
        }

        /// Runs one query. Filters are applied to the full BM25 ranking before the cut, which
        /// yields exactly the ranking a filtered tantivy query would (scores do not depend on
        /// the filter).
        pub fn search(&self, q: &EvalQuery) -> Result<Vec<String>, Error> {
            let (query, _errors) = self.parser.parse_query_lenient(&q.text);
            let searcher = self.reader.searcher();
            let all = self.corpus.paragraphs.len().max(1);
            let hits = searcher.search(&query, &TopDocs::with_limit(all).order_by_score())?;
            let mut out = Vec::new();
            for (_score, addr) in hits {
                let d: TantivyDocument = searcher.doc(addr)?;
                let Some(id) = d.get_first(self.id).and_then(|v| v.as_str()) else {
                    continue;
                };
                let accepted = self
                    .corpus
                    .get(id)
                    .is_some_and(|p| q.filter.accepts(p, self.corpus.report_of(p)));
                if accepted {
                    out.push(id.to_string());
                    if out.len() == DEPTH {
                        break;
                    }
                }
            }
            let _ = &self.index;
            Ok(out)
        }
    }
}

/// The crate under test, through its public API only: an in-memory [`SearchIndex`] of the
/// corpus, queried with [`Query`] as an application passing raw user input would (lenient
/// parsing, no facet counts), filters set with the builder.
pub struct CrateSystem {
    index: SearchIndex,
}

impl CrateSystem {
    /// Indexes the corpus.
    pub fn build(corpus: &Corpus) -> Result<CrateSystem, Error> {
        CrateSystem::build_in(SearchIndex::create_in_ram()?, corpus)
    }

    /// Indexes the corpus into `index` (e.g. one with an embedder attached).
    pub fn build_in(index: SearchIndex, corpus: &Corpus) -> Result<CrateSystem, Error> {
        // One indexing thread: paragraphs are numbered in corpus order, so tied scores come
        // back in the same order on every run and the figures reproduce exactly.
        let mut writer = index.writer_with_threads(1)?;
        for r in &corpus.reports {
            writer.add_report(r)?;
        }
        writer.commit()?;
        index.reload()?;
        Ok(CrateSystem { index })
    }

    /// Runs one query; `configure` adjusts it (for ablations) after the harness has set text,
    /// filters and depth.
    pub fn search(
        &self,
        q: &EvalQuery,
        configure: &dyn Fn(&mut Query),
    ) -> Result<Vec<String>, Error> {
        let mut query = Query::new(&q.text);
        query.lenient(true).limit(DEPTH).facets(false);
        if let Some(a) = &q.filter.authority {
            query.authority(a);
        }
        if let Some(y) = q.filter.year {
            query.year(y);
        }
        if let Some(g) = q.filter.grade {
            query.grade(g);
        }
        if let Some(a) = q.filter.area {
            query.area(a);
        }
        if let Some(t) = &q.filter.theme {
            query.theme(t);
        }
        if let Some(k) = q.filter.kind {
            query.kind(k);
        }
        if let Some(g) = q.filter.overall {
            query.overall_grade(g);
        }
        if let Some(f) = q.filter.framework {
            query.framework(f);
        }
        if let Some(y) = q.filter.published {
            query.published_year(y);
        }
        configure(&mut query);
        let results = self.index.search(&query)?;
        Ok(results.hits.into_iter().map(|h| h.id).collect())
    }
}
