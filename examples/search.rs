//! Search the bundled Ofsted reports from the command line: ranked, cited paragraphs with
//! their section and grade, a highlighted snippet, then counts per facet.
//!
//! ```text
//! cargo run --release --example search -- "missing children return home interviews"
//! cargo run --release --example search -- --grade inadequate --year 2014..2016 "strategy meetings"
//! cargo run --release --example search -- --json --limit 3 "\"child sexual exploitation\""
//! cargo run --release --example search -- --similar sheffield-city-council/2014-inspection/41
//! ```
//!
//! The first run builds the index (in `target/ofsted-index` unless `--index` says otherwise)
//! from the reports in `corpus/`, showing progress on stderr. Later runs reuse it: every
//! report is parsed again (cheap) and only reports whose parsed content changed are indexed
//! again (the expensive part), so a new ingester or an edited report is picked up, and
//! reports whose file vanished are removed. Run with `--help` for every option.

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ofsted_search::{
    Area, FacetCounts, Framework, Grade, Operator, Query, ReportKind, SearchIndex, SearchResults,
};

#[path = "support/progress_bar.rs"]
mod progress_bar;
#[path = "support/sync.rs"]
mod sync;

const USAGE: &str = "\
usage: search [OPTIONS] [WORDS...]

Searches the Ofsted reports in the corpus directory and prints ranked, cited paragraphs.
Query syntax: words (all required by default), \"a phrase\", OR, AND, NOT, -excluded,
+required, (groups).

options:
  --index DIR        index directory (default: target/ofsted-index in this package)
  --corpus DIR       directory of report .txt and .pdf files (default: corpus in this package)
  --json             print one JSON object instead of text
  --limit N          number of paragraphs to print (default: 10)
  --offset N         skip the first N paragraphs (default: 0)
  --authority NAME   only this authority (repeatable; part of the name is enough)
  --year Y|Y1..Y2    only reports of this year or range of years, inclusive (repeatable)
  --grade G          only sections graded G: outstanding, good, requires_improvement,
                     inadequate, adequate (repeatable)
  --theme T          only paragraphs with theme id T (repeatable)
  --kind K           only reports of kind K: inspection, short_inspection, reinspection,
                     lscb_review, focused_visit, monitoring_visit, news (repeatable)
  --framework F      only reports of inspection framework F: sif, ilacs, lac (repeatable)
  --overall G        only reports whose overall grade is G (same values as --grade;
                     repeatable)
  --published Y|Y1..Y2  only reports published in this year or range (repeatable)
  --area A           only sections of judgement area A: help_and_protection, looked_after,
                     adoption, care_leavers, leadership, lscb (repeatable)
  --similar ID       paragraphs like paragraph ID, from other authorities
  --any              rank paragraphs with any of the words, not only all of them
  --lenient          accept any text: repair unbalanced quotes and brackets
  --rebuild          index every report again, changed or not
  -h, --help         print this help";

/// The command line, parsed.
#[derive(Debug)]
struct Options {
    index: PathBuf,
    corpus: PathBuf,
    json: bool,
    limit: usize,
    offset: usize,
    authorities: Vec<String>,
    years: Vec<(u16, u16)>,
    grades: Vec<Grade>,
    themes: Vec<String>,
    areas: Vec<Area>,
    kinds: Vec<ReportKind>,
    frameworks: Vec<Framework>,
    overall: Vec<Grade>,
    published: Vec<(u16, u16)>,
    similar: Option<String>,
    any: bool,
    lenient: bool,
    rebuild: bool,
    words: Vec<String>,
}

/// Why the program stops: bad usage (exit 2) or a failure (exit 1).
enum Failure {
    Usage(String),
    Error(String),
}

impl From<ofsted_search::Error> for Failure {
    fn from(e: ofsted_search::Error) -> Failure {
        match e {
            // Point at the problem under the query.
            ofsted_search::Error::Query(q) => {
                Failure::Error(format!("{q}\n  {}\n  {}^", q.query, " ".repeat(q.position)))
            }
            e => Failure::Error(e.to_string()),
        }
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("search: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Error(message)) => {
            eprintln!("search: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Failure> {
    // `args_os`: `args` panics on an argument that is not Unicode.
    let args = std::env::args_os()
        .skip(1)
        .map(|arg| {
            arg.into_string().map_err(|arg| {
                Failure::Usage(format!(
                    "argument '{}' is not valid Unicode; give words and paths as UTF-8",
                    arg.to_string_lossy()
                ))
            })
        })
        .collect::<Result<Vec<String>, Failure>>()?;
    let Some(options) = parse_args(args.into_iter())? else {
        return emit(&format!("{USAGE}\n"));
    };
    let index = SearchIndex::open_or_create(&options.index)?;
    sync::sync(&index, &options.corpus, options.rebuild, "search").map_err(Failure::Error)?;

    let text = options.words.join(" ");
    let mut query = match &options.similar {
        Some(_) if !text.is_empty() => {
            return Err(Failure::Usage(
                "give either words or --similar, not both".into(),
            ))
        }
        Some(id) => Query::similar(id),
        None => Query::new(&text),
    };
    query
        .limit(options.limit)
        .offset(options.offset)
        .lenient(options.lenient)
        .operator(if options.any {
            Operator::Any
        } else {
            Operator::All
        });
    for name in resolve_authorities(&index, &options.authorities)? {
        query.authority(&name);
    }
    for &(from, to) in &options.years {
        query.years(from..=to);
    }
    for &grade in &options.grades {
        query.grade(grade);
    }
    check_themes(&index, &options.themes)?;
    for theme in &options.themes {
        query.theme(theme);
    }
    for &area in &options.areas {
        query.area(area);
    }
    for &kind in &options.kinds {
        query.kind(kind);
    }
    for &framework in &options.frameworks {
        query.framework(framework);
    }
    for &grade in &options.overall {
        query.overall_grade(grade);
    }
    for &(from, to) in &options.published {
        query.published_years(from..=to);
    }

    let results = index.search(&query)?;
    let mut out = String::new();
    if options.json {
        out = serde_json::to_string(&results)
            .map_err(|e| Failure::Error(format!("cannot write JSON: {e}")))?;
        out.push('\n');
    } else {
        print_text(&mut out, &results, &options)
            .map_err(|e| Failure::Error(format!("cannot format results: {e}")))?;
    }
    emit(&out)
}

/// Writes to stdout; a closed pipe (`search … | head`) is a normal end, not an error.
fn emit(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Error(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

/// Parses the arguments; `Ok(None)` for `--help`.
fn parse_args(args: impl Iterator<Item = String>) -> Result<Option<Options>, Failure> {
    let mut o = Options {
        // Defaults are inside the package, so the example works from any directory.
        index: Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ofsted-index"),
        corpus: Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
        json: false,
        limit: 10,
        offset: 0,
        authorities: Vec::new(),
        years: Vec::new(),
        grades: Vec::new(),
        themes: Vec::new(),
        areas: Vec::new(),
        kinds: Vec::new(),
        frameworks: Vec::new(),
        overall: Vec::new(),
        published: Vec::new(),
        similar: None,
        any: false,
        lenient: false,
        rebuild: false,
        words: Vec::new(),
    };
    let mut args = args.peekable();
    let usage = |m: String| Failure::Usage(m);
    while let Some(arg) = args.next() {
        // `--name=value` and `--name value` are both accepted.
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| usage(format!("{name} needs a value")))
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(None),
            "--json" => o.json = true,
            "--any" => o.any = true,
            "--lenient" => o.lenient = true,
            "--rebuild" => o.rebuild = true,
            "--index" => o.index = PathBuf::from(value("--index")?),
            "--corpus" => o.corpus = PathBuf::from(value("--corpus")?),
            "--limit" => o.limit = number("--limit", &value("--limit")?)?,
            "--offset" => o.offset = number("--offset", &value("--offset")?)?,
            "--authority" => o.authorities.push(value("--authority")?),
            "--year" => o.years.push(years("--year", &value("--year")?)?),
            "--grade" => o.grades.push(
                value("--grade")?
                    .parse()
                    .map_err(|e| usage(format!("--grade: {e}")))?,
            ),
            "--theme" => o.themes.push(value("--theme")?),
            "--area" => o.areas.push(
                value("--area")?
                    .parse()
                    .map_err(|e| usage(format!("--area: {e}")))?,
            ),
            "--kind" => o.kinds.push(
                value("--kind")?
                    .parse()
                    .map_err(|e| usage(format!("--kind: {e}")))?,
            ),
            "--framework" => o.frameworks.push(
                value("--framework")?
                    .parse()
                    .map_err(|e| usage(format!("--framework: {e}")))?,
            ),
            "--overall" => o.overall.push(
                value("--overall")?
                    .parse()
                    .map_err(|e| usage(format!("--overall: {e}")))?,
            ),
            "--published" => o
                .published
                .push(years("--published", &value("--published")?)?),
            "--similar" => o.similar = Some(value("--similar")?),
            "--" => o.words.extend(args.by_ref()),
            flag if flag.starts_with("--") => {
                return Err(usage(format!("unknown option '{flag}'")))
            }
            _ => o.words.push(arg),
        }
    }
    Ok(Some(o))
}

fn number(name: &str, text: &str) -> Result<usize, Failure> {
    text.parse()
        .map_err(|_| Failure::Usage(format!("{name}: '{text}' is not a whole number")))
}

/// `2014` or `2014..2016` (also `2014..=2016`), inclusive.
fn years(flag: &str, text: &str) -> Result<(u16, u16), Failure> {
    let bad = || {
        Failure::Usage(format!(
            "{flag}: '{text}' is not a year (2014) or a range of years (2014..2016)"
        ))
    };
    let year = |s: &str| s.trim().parse::<u16>().map_err(|_| bad());
    match text.split_once("..") {
        Some((from, to)) => {
            let (from, to) = (year(from)?, year(to.trim_start_matches('='))?);
            if from > to {
                return Err(bad());
            }
            Ok((from, to))
        }
        None => {
            let y = year(text)?;
            Ok((y, y))
        }
    }
}

/// Turns `--authority` values into indexed names: an exact name, or every name containing the
/// value (ignoring case).
fn resolve_authorities(index: &SearchIndex, wanted: &[String]) -> Result<Vec<String>, Failure> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let known: BTreeSet<String> = index
        .reports()?
        .into_iter()
        .map(|r| r.report.authority)
        .collect();
    let mut out = Vec::new();
    for w in wanted {
        if known.contains(w) {
            out.push(w.clone());
            continue;
        }
        let lower = w.to_lowercase();
        let matches: Vec<&String> = known
            .iter()
            .filter(|k| k.to_lowercase().contains(&lower))
            .collect();
        if matches.is_empty() {
            let list: Vec<&str> = known.iter().map(String::as_str).collect();
            return Err(Failure::Usage(format!(
                "--authority: no authority matches '{w}'; indexed: {}",
                list.join("; ")
            )));
        }
        out.extend(matches.into_iter().cloned());
    }
    Ok(out)
}

/// Refuses theme ids no indexed paragraph carries (most likely a typo), listing the ids.
fn check_themes(index: &SearchIndex, wanted: &[String]) -> Result<(), Failure> {
    if wanted.is_empty() {
        return Ok(());
    }
    let mut all = Query::all();
    all.limit(0);
    let known = index.search(&all)?.facets.theme;
    for w in wanted {
        if !known.contains_key(w) {
            let list: Vec<&str> = known.keys().map(String::as_str).collect();
            return Err(Failure::Usage(format!(
                "--theme: no paragraph has theme '{w}'; indexed themes: {}",
                list.join(", ")
            )));
        }
    }
    Ok(())
}

fn print_text(out: &mut String, results: &SearchResults, options: &Options) -> fmt::Result {
    let shown = results.hits.len();
    let matching = match results.total {
        1 => "1 paragraph matches".to_string(),
        n => format!("{n} paragraphs match"),
    };
    match (results.total, shown) {
        (0, _) => writeln!(out, "No paragraph matches."),
        (_, 0) => writeln!(out, "{matching}.\n"),
        _ => writeln!(
            out,
            "{matching}; showing {}–{}:\n",
            options.offset + 1,
            options.offset + shown
        ),
    }?;
    for (i, hit) in results.hits.iter().enumerate() {
        writeln!(out, "{}. {}", options.offset + i + 1, hit.citation)?;
        let mut section = if hit.section.is_empty() {
            "(no section heading)".to_string()
        } else {
            hit.section.clone()
        };
        if let Some(grade) = hit.grade {
            section.push_str(&format!(" [{}]", grade.label()));
        }
        writeln!(out, "   section: {section}")?;
        if !hit.themes.is_empty() {
            writeln!(out, "   themes: {}", hit.themes.join(", "))?;
        }
        writeln!(out, "   id: {}  (score {:.2})", hit.id, hit.score)?;
        writeln!(out, "   {}\n", hit.snippet)?;
    }
    print_facets(out, &results.facets)
}

fn print_facets(out: &mut String, facets: &FacetCounts) -> fmt::Result {
    writeln!(out, "Matching paragraphs per facet:")?;
    for name in [
        "authority",
        "year",
        "grade",
        "theme",
        "area",
        "kind",
        "framework",
        "overall_grade",
        "published_year",
    ] {
        let Some(counts) = facets.facet(name) else {
            continue;
        };
        let ranked: Vec<String> = FacetCounts::ranked(counts)
            .into_iter()
            .map(|(value, n)| format!("{value} {n}"))
            .collect();
        let line = if ranked.is_empty() {
            "-".to_string()
        } else {
            ranked.join(", ")
        };
        writeln!(out, "  {name:<14} {line}")?;
    }
    Ok(())
}
