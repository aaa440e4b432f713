//! A search page for analysts: the reports in a browser, with facets, cited paragraphs and a
//! chart of matching paragraphs per year.
//!
//! ```text
//! cargo run --release --example serve
//! cargo run --release --example serve -- --corpus ~/ofsted-reports --index ~/ofsted-index
//! cargo run --release --example serve -- --addr 127.0.0.1:9000
//! ```
//!
//! The first run builds the index (in `target/ofsted-index` unless `--index` says otherwise)
//! from the `.txt` reports in `corpus/` (or `--corpus DIR`); later runs reuse it and index
//! again only reports whose parsed content changed (the same build-or-reuse as the `search`
//! example: `examples/support/sync.rs`). Then it serves on `127.0.0.1:8080` (loopback only
//! unless `--addr` says otherwise) and prints `listening on http://ADDR/` on stdout.
//!
//! # Pages
//!
//! - `/` — the search page. Parameters (all optional, repeatable where it makes sense):
//!   `q` (the library's query syntax; a malformed query is shown with its position, and the
//!   page then searches the leniently repaired query), `similar=ID` (paragraphs like that one,
//!   from other authorities, instead of `q`), the filters `authority`, `year` (`2014` or
//!   `2014..2016`), `kind`, `overall` (the report's overall grade), `grade` (the section's
//!   grade), `area`, `theme` (values of one filter are alternatives, different filters must
//!   all hold), `page` (from 1), `limit` (hits per page, at most 100) and `split` (what the
//!   chart's bars are split by: `grade`, `overall`, `kind`, `area` or `authority`).
//!   Example: `/?q=missing+children&year=2014&grade=inadequate`.
//! - `/p/ID` — one paragraph by its id, with its citation, its neighbours in the report and
//!   similar paragraphs from other councils.
//! - `/source/REPORT_ID` — the file the report was read from (only files the index was built
//!   from are served).
//!
//! # JSON API
//!
//! Every answer is the library's serde type; errors are `{"error": MESSAGE}` with status 400
//! (bad parameters; query errors add `"position"`, the character offset), 404 (unknown id or
//! path) or 500.
//!
//! - `GET /api/search?q=…&<filters>&limit=&offset=&lenient=true` — [`SearchResults`]. Strict
//!   parsing unless `lenient=true`; `limit` at most 100 (default 10).
//! - `GET /api/facets?q=…&<filters>` — `{"total": N, "facets": FacetCounts, "kind": {…},
//!   "overall": {…}}`: the library's [`FacetCounts`] plus counts per report kind and per
//!   overall grade (each computed with the library's filters, one count query per value).
//! - `GET /api/paragraph/ID` — [`Citation`].
//! - `GET /api/similar/ID?limit=` — [`SearchResults`] of paragraphs like paragraph ID from
//!   other authorities.
//!
//! # Safety
//!
//! Binds to loopback by default. Every string from the user or the reports is HTML-escaped;
//! pages carry a `Content-Security-Policy` allowing only this server's own CSS and script.
//! Queries are limited to 1,000 characters, pages to 100 hits and offsets to 10,000.
//! Nothing is read from disk by request path except the report files the index was built
//! from, looked up by report id.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use ofsted_search::{
    Area, Citation, Error, FacetCounts, Grade, Hit, Query, QueryError, ReportKind, SearchIndex,
    SearchResults,
};

#[path = "support/progress_bar.rs"]
mod progress_bar;
#[path = "support/sync.rs"]
mod sync;

const USAGE: &str = "\
usage: serve [OPTIONS]

Indexes the Ofsted reports in the corpus directory (on first run) and serves a search page.

options:
  --index DIR        index directory (default: target/ofsted-index in this package)
  --corpus DIR       directory of report .txt files (default: corpus in this package)
  --addr HOST:PORT   address to listen on (default: 127.0.0.1:8080; port 0 picks one)
  --rebuild          index every report again, changed or not
  --exit-with-stdin  stop when standard input closes (for scripts and tests)
  -h, --help         print this help";

/// Longest query text accepted, in characters.
const MAX_QUERY_CHARS: usize = 1000;
/// Most hits on one page.
const MAX_LIMIT: usize = 100;
/// Deepest offset into the ranked hits.
const MAX_OFFSET: usize = 10_000;
/// How many authorities the chart shows separately when split by authority.
const CHART_AUTHORITIES: usize = 6;

const CSS: &str = include_str!("serve/page.css");
const JS: &str = include_str!("serve/page.js");

/// The filters, in the order the page lists them: URL parameter and heading.
const FACETS: &[(&str, &str)] = &[
    ("authority", "Authority"),
    ("year", "Year"),
    ("kind", "Report kind"),
    ("overall", "Overall grade"),
    ("grade", "Section grade"),
    ("area", "Judgement area"),
    ("theme", "Theme"),
];

/// What the chart's bars can be split by: URL value and label.
const SPLITS: &[(&str, &str)] = &[
    ("grade", "section grade"),
    ("overall", "overall grade"),
    ("kind", "report kind"),
    ("area", "judgement area"),
    ("authority", "authority"),
];

struct Options {
    index: PathBuf,
    corpus: PathBuf,
    addr: SocketAddr,
    rebuild: bool,
    exit_with_stdin: bool,
}

fn main() -> ExitCode {
    let args: Vec<String> = match std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect()
    {
        Ok(args) => args,
        Err(arg) => {
            eprintln!(
                "serve: argument '{}' is not valid Unicode; give paths as UTF-8",
                arg.to_string_lossy()
            );
            return ExitCode::from(2);
        }
    };
    let options = match parse_args(args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("serve: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("serve: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(args: Vec<String>) -> Result<Option<Options>, String> {
    let mut o = Options {
        index: Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ofsted-index"),
        corpus: Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
        addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
        rebuild: false,
        exit_with_stdin: false,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(None),
            "--rebuild" => o.rebuild = true,
            "--exit-with-stdin" => o.exit_with_stdin = true,
            "--index" => o.index = PathBuf::from(value("--index")?),
            "--corpus" => o.corpus = PathBuf::from(value("--corpus")?),
            "--addr" => {
                let text = value("--addr")?;
                o.addr = text.parse().map_err(|_| {
                    format!("--addr: '{text}' is not an address such as 127.0.0.1:8080")
                })?;
            }
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok(Some(o))
}

/// What every request shares: the index and the files its reports were read from.
struct App {
    index: SearchIndex,
    files: BTreeMap<String, PathBuf>,
}

fn run(options: Options) -> Result<(), String> {
    let index = SearchIndex::open_or_create(&options.index).map_err(|e| e.to_string())?;
    let files = sync::sync(&index, &options.corpus, options.rebuild, "serve")?;
    let app = Arc::new(App { index, files });
    if !options.addr.ip().is_loopback() {
        eprintln!(
            "serve: warning: listening on {}, reachable from other machines; the page has no \
             authentication",
            options.addr
        );
    }
    if options.exit_with_stdin {
        std::thread::spawn(|| {
            let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
            std::process::exit(0);
        });
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", options.addr))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        println!("listening on http://{addr}/");
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        axum::serve(listener, router(app))
            .await
            .map_err(|e| format!("server error: {e}"))
    })
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(search_page))
        .route("/p/{*id}", get(paragraph_page))
        .route("/source/{*report}", get(source_file))
        .route("/assets/page.css", get(|| async { asset(CSS, "text/css") }))
        .route(
            "/assets/page.js",
            get(|| async { asset(JS, "text/javascript") }),
        )
        .route("/api/search", get(api_search))
        .route("/api/facets", get(api_facets))
        .route("/api/paragraph/{*id}", get(api_paragraph))
        .route("/api/similar/{*id}", get(api_similar))
        .fallback(|| async { html_error(StatusCode::NOT_FOUND, "No such page.") })
        .with_state(app)
}

/// Runs blocking index work off the async thread.
async fn blocking(app: Arc<App>, f: impl FnOnce(&App) -> Response + Send + 'static) -> Response {
    match tokio::task::spawn_blocking(move || f(&app)).await {
        Ok(response) => response,
        Err(_) => html_error(StatusCode::INTERNAL_SERVER_ERROR, "The request failed."),
    }
}

// ---------------------------------------------------------------------------------------------
// Parameters

/// A bad request: what to tell the user, and where in the query when the query is at fault.
struct BadRequest {
    status: StatusCode,
    message: String,
    query: Option<QueryError>,
}

impl BadRequest {
    fn new(message: impl Into<String>) -> BadRequest {
        BadRequest {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            query: None,
        }
    }

    fn from_error(e: Error) -> BadRequest {
        match e {
            Error::Query(q) => BadRequest {
                status: StatusCode::BAD_REQUEST,
                message: q.to_string(),
                query: Some(q),
            },
            Error::NotFound(_) => BadRequest {
                status: StatusCode::NOT_FOUND,
                message: e.to_string(),
                query: None,
            },
            e => BadRequest {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: e.to_string(),
                query: None,
            },
        }
    }
}

/// The search parameters of a URL, checked and typed, with the raw filter pairs kept for
/// building links.
#[derive(Clone)]
struct Params {
    q: String,
    similar: Option<String>,
    /// `(parameter, value)` of every filter, in URL order.
    filters: Vec<(String, String)>,
    authority: Vec<String>,
    years: Vec<(u16, u16)>,
    kind: Vec<ReportKind>,
    overall: Vec<Grade>,
    grade: Vec<Grade>,
    area: Vec<Area>,
    theme: Vec<String>,
    page: usize,
    limit: usize,
    offset: usize,
    split: String,
    lenient: bool,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            q: String::new(),
            similar: None,
            filters: Vec::new(),
            authority: Vec::new(),
            years: Vec::new(),
            kind: Vec::new(),
            overall: Vec::new(),
            grade: Vec::new(),
            area: Vec::new(),
            theme: Vec::new(),
            page: 1,
            limit: 10,
            offset: 0,
            split: "grade".into(),
            lenient: false,
        }
    }
}

fn parse_params(raw: Option<&str>) -> Result<Params, BadRequest> {
    let mut p = Params::default();
    let mut offset = None;
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let value = value.into_owned();
        let bad = |what: &str| BadRequest::new(format!("{key}: '{value}' is not {what}"));
        match &*key {
            "q" => p.q = value,
            "similar" if !value.is_empty() => p.similar = Some(value),
            "similar" => {}
            "page" => {
                p.page = value
                    .parse()
                    .ok()
                    .filter(|&n| n >= 1)
                    .ok_or_else(|| bad("a page number (1, 2, …)"))?
            }
            "limit" => p.limit = value.parse().map_err(|_| bad("a whole number"))?,
            "offset" => offset = Some(value.parse().map_err(|_| bad("a whole number"))?),
            "lenient" => p.lenient = matches!(value.as_str(), "true" | "1" | "yes" | "on"),
            "split" => {
                if !SPLITS.iter().any(|(s, _)| *s == value) {
                    let names: Vec<&str> = SPLITS.iter().map(|(s, _)| *s).collect();
                    return Err(bad(&format!("one of {}", names.join(", "))));
                }
                p.split = value;
            }
            "authority" | "year" | "kind" | "overall" | "grade" | "area" | "theme" => {
                if value.is_empty() {
                    continue;
                }
                match &*key {
                    "authority" => p.authority.push(value.clone()),
                    "year" => p
                        .years
                        .push(years(&value).ok_or_else(|| {
                            bad("a year (2014) or a range of years (2014..2016)")
                        })?),
                    "kind" => p.kind.push(
                        value
                            .parse()
                            .map_err(|e| BadRequest::new(format!("{key}: {e}")))?,
                    ),
                    "overall" => p.overall.push(
                        value
                            .parse()
                            .map_err(|e| BadRequest::new(format!("{key}: {e}")))?,
                    ),
                    "grade" => p.grade.push(
                        value
                            .parse()
                            .map_err(|e| BadRequest::new(format!("{key}: {e}")))?,
                    ),
                    "area" => p.area.push(
                        value
                            .parse()
                            .map_err(|e| BadRequest::new(format!("{key}: {e}")))?,
                    ),
                    _ => p.theme.push(value.clone()),
                }
                if !p.filters.iter().any(|(k, v)| *k == key && *v == value) {
                    p.filters.push((key.into_owned(), value));
                }
            }
            // Unknown parameters are ignored, as browsers and proxies add their own.
            _ => {}
        }
    }
    let chars = p.q.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(BadRequest::new(format!(
            "the query is {chars} characters long; at most {MAX_QUERY_CHARS} are accepted"
        )));
    }
    if p.limit > MAX_LIMIT {
        return Err(BadRequest::new(format!(
            "limit: at most {MAX_LIMIT} hits per page (asked for {})",
            p.limit
        )));
    }
    p.offset = offset.unwrap_or_else(|| (p.page - 1).saturating_mul(p.limit));
    if p.offset > MAX_OFFSET {
        return Err(BadRequest::new(format!(
            "the page starts at hit {}; at most {MAX_OFFSET} hits can be skipped",
            p.offset
        )));
    }
    Ok(p)
}

/// `2014` or `2014..2016` (also `2014..=2016`), inclusive.
fn years(text: &str) -> Option<(u16, u16)> {
    let year = |s: &str| s.trim().parse::<u16>().ok();
    match text.split_once("..") {
        Some((from, to)) => {
            let (from, to) = (year(from)?, year(to.trim_start_matches('='))?);
            (from <= to).then_some((from, to))
        }
        None => year(text).map(|y| (y, y)),
    }
}

impl Params {
    /// The library query for these parameters; with `only`, that one facet's filter is
    /// replaced by a single value (for per-value counts).
    fn query(&self, lenient: bool, only: Option<(&str, &str)>) -> Query {
        let mut q = match &self.similar {
            Some(id) => Query::similar(id),
            None => Query::new(&self.q),
        };
        q.lenient(lenient)
            .limit(self.limit)
            .offset(self.offset)
            .highlight("\u{E000}", "\u{E001}");
        let facet = only.map(|(f, _)| f);
        let value = only.map(|(_, v)| v).unwrap_or("");
        if facet == Some("authority") {
            q.authority(value);
        } else {
            for a in &self.authority {
                q.authority(a);
            }
        }
        for &(from, to) in &self.years {
            q.years(from..=to);
        }
        match facet {
            Some("kind") => {
                if let Ok(k) = value.parse() {
                    q.kind(k);
                }
            }
            _ => self.kind.iter().for_each(|&k| {
                q.kind(k);
            }),
        }
        match facet {
            Some("overall") => {
                if let Ok(g) = value.parse() {
                    q.overall_grade(g);
                }
            }
            _ => self.overall.iter().for_each(|&g| {
                q.overall_grade(g);
            }),
        }
        match facet {
            Some("grade") => {
                if let Ok(g) = value.parse() {
                    q.grade(g);
                }
            }
            _ => self.grade.iter().for_each(|&g| {
                q.grade(g);
            }),
        }
        match facet {
            Some("area") => {
                if let Ok(a) = value.parse() {
                    q.area(a);
                }
            }
            _ => self.area.iter().for_each(|&a| {
                q.area(a);
            }),
        }
        for t in &self.theme {
            q.theme(t);
        }
        q
    }

    fn selected(&self, facet: &str, value: &str) -> bool {
        self.filters.iter().any(|(k, v)| k == facet && v == value)
    }

    /// The URL of the search page with `facet=value` added, or removed if it is selected.
    fn toggle_url(&self, facet: &str, value: &str) -> String {
        let mut filters = self.filters.clone();
        if self.selected(facet, value) {
            filters.retain(|(k, v)| !(k == facet && v == value));
        } else {
            filters.push((facet.into(), value.into()));
        }
        self.url(&filters, 1, &self.split)
    }

    fn page_url(&self, page: usize) -> String {
        self.url(&self.filters, page, &self.split)
    }

    fn url(&self, filters: &[(String, String)], page: usize, split: &str) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        match &self.similar {
            Some(id) => s.append_pair("similar", id),
            None => s.append_pair("q", &self.q),
        };
        for (k, v) in filters {
            s.append_pair(k, v);
        }
        if page > 1 {
            s.append_pair("page", &page.to_string());
        }
        if self.limit != 10 {
            s.append_pair("limit", &self.limit.to_string());
        }
        if split != "grade" {
            s.append_pair("split", split);
        }
        format!("/?{}", s.finish())
    }
}

// ---------------------------------------------------------------------------------------------
// Searching

/// A search as the page shows it.
struct Outcome {
    results: SearchResults,
    /// The strict parser's complaint, when the page fell back to lenient parsing.
    repaired: Option<QueryError>,
    lenient: bool,
    kind: BTreeMap<String, u64>,
    overall: BTreeMap<String, u64>,
}

/// Searches strictly (or leniently when `params.lenient`); for the page (`fallback`), a
/// malformed query is searched again leniently and its error kept to show.
fn search(index: &SearchIndex, params: &Params, fallback: bool) -> Result<Outcome, BadRequest> {
    let (results, repaired, lenient) = match index.search(&params.query(params.lenient, None)) {
        Ok(r) => (r, None, params.lenient),
        Err(Error::Query(e)) if fallback && !params.lenient => {
            match index.search(&params.query(true, None)) {
                Ok(r) => (r, Some(e), true),
                Err(e) => return Err(BadRequest::from_error(e)),
            }
        }
        Err(e) => return Err(BadRequest::from_error(e)),
    };
    let kind = value_counts(
        index,
        params,
        lenient,
        "kind",
        ReportKind::ALL.iter().map(|k| k.as_str()),
    )?;
    let overall = value_counts(
        index,
        params,
        lenient,
        "overall",
        Grade::ALL.iter().map(|g| g.as_str()),
    )?;
    Ok(Outcome {
        results,
        repaired,
        lenient,
        kind,
        overall,
    })
}

/// Matching paragraphs per value of a facet the library does not count (report kind, overall
/// grade): one count-only query per value, within the current filters.
fn value_counts<'a>(
    index: &SearchIndex,
    params: &Params,
    lenient: bool,
    facet: &str,
    values: impl Iterator<Item = &'a str>,
) -> Result<BTreeMap<String, u64>, BadRequest> {
    let mut counts = BTreeMap::new();
    let selected: Vec<&str> = params
        .filters
        .iter()
        .filter(|(k, _)| k == facet)
        .map(|(_, v)| v.as_str())
        .collect();
    for value in values {
        if !selected.is_empty() && !selected.contains(&value) {
            continue;
        }
        let mut q = params.query(lenient, Some((facet, value)));
        q.limit(0).offset(0).facets(false);
        let n = index.search(&q).map_err(BadRequest::from_error)?.total;
        if n > 0 {
            counts.insert(value.to_string(), n);
        }
    }
    Ok(counts)
}

/// The chart's data: per year (ascending), the count of each series, the last series being
/// the remainder ("no grade", "other authorities") when there is one.
struct Chart {
    years: Vec<String>,
    series: Vec<String>,
    counts: Vec<Vec<u64>>,
}

fn chart(index: &SearchIndex, params: &Params, outcome: &Outcome) -> Result<Chart, BadRequest> {
    let facets = &outcome.results.facets;
    let mut years: Vec<String> = facets.year.keys().cloned().collect();
    years.sort_by_key(|y| y.parse::<u32>().unwrap_or(u32::MAX));
    let split = params.split.as_str();
    let mut values: Vec<(String, String)> = match split {
        "grade" => Grade::ALL
            .iter()
            .filter(|g| facets.grade.contains_key(g.as_str()))
            .map(|g| (g.as_str().to_string(), g.label().to_string()))
            .collect(),
        "overall" => Grade::ALL
            .iter()
            .filter(|g| outcome.overall.contains_key(g.as_str()))
            .map(|g| (g.as_str().to_string(), g.label().to_string()))
            .collect(),
        "kind" => ReportKind::ALL
            .iter()
            .filter(|k| outcome.kind.contains_key(k.as_str()))
            .map(|k| (k.as_str().to_string(), words(k.as_str())))
            .collect(),
        "area" => Area::ALL
            .iter()
            .filter(|a| facets.area.contains_key(a.as_str()))
            .map(|a| (a.as_str().to_string(), a.label().to_string()))
            .collect(),
        _ => FacetCounts::ranked(&facets.authority)
            .into_iter()
            .take(CHART_AUTHORITIES)
            .map(|(a, _)| (a.to_string(), a.to_string()))
            .collect(),
    };
    values.truncate(8);
    let mut counts = vec![Vec::with_capacity(values.len() + 1); years.len()];
    for (value, _) in &values {
        let mut q = params.query(outcome.lenient, Some((split, value)));
        q.limit(0).offset(0);
        let per_year = index
            .search(&q)
            .map_err(BadRequest::from_error)?
            .facets
            .year;
        for (i, year) in years.iter().enumerate() {
            counts[i].push(per_year.get(year).copied().unwrap_or(0));
        }
    }
    let mut series: Vec<String> = values.into_iter().map(|(_, label)| label).collect();
    // What the split does not cover: ungraded sections, smaller authorities.
    let rest: Vec<u64> = years
        .iter()
        .zip(&counts)
        .map(|(y, c)| facets.year[y].saturating_sub(c.iter().sum()))
        .collect();
    if rest.iter().any(|&n| n > 0) {
        series.push(match split {
            "authority" => "other authorities".into(),
            "kind" => "other".into(),
            "area" => "no judgement area".into(),
            _ => "no grade".into(),
        });
        for (c, n) in counts.iter_mut().zip(rest) {
            c.push(n);
        }
    }
    Ok(Chart {
        years,
        series,
        counts,
    })
}

// ---------------------------------------------------------------------------------------------
// Pages

async fn search_page(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    blocking(app, move |app| {
        let params = match parse_params(raw.as_deref()) {
            Ok(p) => p,
            Err(e) => return error_page(&Params::default(), &e),
        };
        if params.q.trim().is_empty() && params.similar.is_none() && params.filters.is_empty() {
            return html(StatusCode::OK, &page("Search", "", &params, &home(app)));
        }
        let outcome = match search(&app.index, &params, true) {
            Ok(o) => o,
            Err(e) => return error_page(&params, &e),
        };
        let chart = match chart(&app.index, &params, &outcome) {
            Ok(c) => c,
            Err(e) => return error_page(&params, &e),
        };
        let mut body = String::new();
        results_body(&mut body, app, &params, &outcome, &chart);
        let title = match &params.similar {
            Some(id) => format!("Similar to {id}"),
            None => params.q.clone(),
        };
        html(StatusCode::OK, &page(&title, &params.q, &params, &body))
    })
    .await
}

/// The start page: what is indexed, and a few queries to try.
fn home(app: &App) -> String {
    let mut s = String::new();
    let paragraphs = app.index.num_paragraphs().unwrap_or(0);
    let _ = write!(
        s,
        "<section class=\"intro\"><p>{} reports, {paragraphs} paragraphs indexed. Type words, \
         \"a phrase\", <code>OR</code>, <code>NOT</code>, <code>-excluded</code>; click a facet to \
         filter.</p><ul>",
        app.files.len()
    );
    for q in [
        "missing children return home interviews",
        "\"child sexual exploitation\"",
        "strategy meetings",
    ] {
        let url = format!(
            "/?{}",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("q", q)
                .finish()
        );
        let _ = write!(s, "<li><a href=\"{}\">{}</a></li>", esc(&url), esc(q));
    }
    s.push_str("</ul></section>");
    s
}

fn results_body(s: &mut String, app: &App, params: &Params, outcome: &Outcome, chart: &Chart) {
    let results = &outcome.results;
    s.push_str("<div class=\"layout\"><aside class=\"facets\" aria-label=\"Filters\">");
    facets_html(s, params, outcome);
    s.push_str("</aside><section class=\"results\">");
    if let Some(e) = &outcome.repaired {
        s.push_str("<div class=\"query-error\" role=\"alert\">");
        query_error_html(s, e);
        s.push_str("<p>Showing results for the query read leniently (unbalanced quotes and brackets repaired, dangling operators dropped).</p></div>");
    }
    if let Some(id) = &params.similar {
        let _ = write!(
            s,
            "<p class=\"similar-to\">Paragraphs like <a href=\"{}\">{}</a>, from other authorities.</p>",
            esc(&paragraph_url(id)),
            esc(id)
        );
    }
    let shown = results.hits.len();
    let _ = write!(
        s,
        "<p class=\"summary\"><span id=\"total\">{}</span> {} match",
        results.total,
        if results.total == 1 {
            "paragraph"
        } else {
            "paragraphs"
        }
    );
    if shown > 0 {
        let _ = write!(
            s,
            "; showing {}–{}",
            params.offset + 1,
            params.offset + shown
        );
    }
    s.push_str(".</p>");
    if results.total > 0 {
        chart_html(s, params, chart);
    }
    let _ = write!(s, "<ol class=\"hits\" start=\"{}\">", params.offset + 1);
    for hit in &results.hits {
        hit_html(s, app, hit);
    }
    s.push_str("</ol>");
    // Paging.
    let last = params.offset + shown < results.total as usize;
    if params.page > 1 || last {
        s.push_str("<nav class=\"pager\" aria-label=\"Pages\">");
        if params.page > 1 && params.offset > 0 {
            let _ = write!(
                s,
                "<a rel=\"prev\" href=\"{}\">← previous</a>",
                esc(&params.page_url(params.page - 1))
            );
        }
        let _ = write!(s, "<span>page {}</span>", params.page);
        if last && params.offset + params.limit <= MAX_OFFSET {
            let _ = write!(
                s,
                "<a rel=\"next\" href=\"{}\">next →</a>",
                esc(&params.page_url(params.page + 1))
            );
        }
        s.push_str("</nav>");
    }
    s.push_str("</section></div>");
}

fn facets_html(s: &mut String, params: &Params, outcome: &Outcome) {
    let facets = &outcome.results.facets;
    if !params.filters.is_empty() {
        let _ = write!(
            s,
            "<p class=\"clear\"><a href=\"{}\">clear all filters</a></p>",
            esc(&params.url(&[], 1, &params.split))
        );
    }
    for &(name, heading) in FACETS {
        let mut values: Vec<(String, u64)> = match name {
            "kind" => outcome.kind.iter().map(|(k, n)| (k.clone(), *n)).collect(),
            "overall" => outcome
                .overall
                .iter()
                .map(|(k, n)| (k.clone(), *n))
                .collect(),
            _ => facets
                .facet(name)
                .map(|c| {
                    FacetCounts::ranked(c)
                        .into_iter()
                        .map(|(k, n)| (k.to_string(), n))
                        .collect()
                })
                .unwrap_or_default(),
        };
        if name == "year" {
            values.sort_by(|a, b| b.0.cmp(&a.0));
        } else {
            values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        }
        // A selected value with no match (a range, or an emptied filter) still shows, so that
        // it can be removed.
        for (k, v) in &params.filters {
            if k == name && !values.iter().any(|(x, _)| x == v) {
                values.push((v.clone(), 0));
            }
        }
        let _ = write!(
            s,
            "<section class=\"facet\" data-facet=\"{name}\"><h2>{heading}</h2><ul>"
        );
        if values.is_empty() {
            s.push_str("<li class=\"none\">–</li>");
        }
        for (value, count) in values {
            let selected = params.selected(name, &value);
            let _ = write!(
                s,
                "<li><a class=\"facet-value{}\" data-facet=\"{name}\" data-value=\"{}\" \
                 data-count=\"{count}\"{} href=\"{}\"><span class=\"label\">{}</span> \
                 <span class=\"count\">{count}</span></a></li>",
                if selected { " selected" } else { "" },
                esc(&value),
                if selected {
                    " aria-current=\"true\""
                } else {
                    ""
                },
                esc(&params.toggle_url(name, &value)),
                esc(&facet_label(name, &value)),
            );
        }
        s.push_str("</ul></section>");
    }
}

/// A facet value as a reader says it.
fn facet_label(facet: &str, value: &str) -> String {
    match facet {
        "grade" | "overall" => value
            .parse::<Grade>()
            .map_or_else(|_| value.to_string(), |g| g.label().to_string()),
        "area" => value
            .parse::<Area>()
            .map_or_else(|_| value.to_string(), |a| a.label().to_string()),
        "kind" | "theme" => words(value),
        _ => value.to_string(),
    }
}

/// `requires_improvement` → `requires improvement`.
fn words(id: &str) -> String {
    id.replace(['_', '-'], " ")
}

fn chart_html(s: &mut String, params: &Params, chart: &Chart) {
    const W: f64 = 640.0;
    const H: f64 = 180.0;
    const LEFT: f64 = 36.0;
    const BOTTOM: f64 = 22.0;
    let max = chart
        .counts
        .iter()
        .map(|c| c.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let split_label = SPLITS
        .iter()
        .find(|(v, _)| *v == params.split)
        .map_or("", |(_, l)| *l);
    let _ = write!(
        s,
        "<figure class=\"chart\"><figcaption>Matching paragraphs per year, by {split_label} \
         <form method=\"get\" action=\"/\" class=\"split\">"
    );
    hidden_inputs(s, params, &["split", "page"]);
    s.push_str("<label>split by <select name=\"split\" id=\"split\">");
    for (value, label) in SPLITS {
        let _ = write!(
            s,
            "<option value=\"{value}\"{}>{label}</option>",
            if *value == params.split {
                " selected"
            } else {
                ""
            }
        );
    }
    s.push_str("</select></label> <noscript><button>show</button></noscript></form></figcaption>");
    let _ = write!(
        s,
        "<svg role=\"img\" aria-label=\"Matching paragraphs per year\" viewBox=\"0 0 {W} {H}\" \
         width=\"{W}\" height=\"{H}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let plot_h = H - BOTTOM - 8.0;
    let y = |n: u64| H - BOTTOM - plot_h * n as f64 / max as f64;
    for tick in [0, max / 2, max] {
        let _ = write!(
            s,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{W}\" y1=\"{0:.1}\" y2=\"{0:.1}\"/>\
             <text class=\"tick\" x=\"{1}\" y=\"{2:.1}\" text-anchor=\"end\">{tick}</text>",
            y(tick),
            LEFT - 4.0,
            y(tick) + 4.0
        );
    }
    let n = chart.years.len().max(1) as f64;
    let step = (W - LEFT) / n;
    let bar = (step * 0.7).min(60.0);
    for (i, year) in chart.years.iter().enumerate() {
        let x = LEFT + step * i as f64 + (step - bar) / 2.0;
        let _ = write!(
            s,
            "<a href=\"{}\" class=\"bar\" data-year=\"{}\">",
            esc(&params.toggle_url("year", year)),
            esc(year)
        );
        let mut base = 0;
        for (j, &count) in chart.counts[i].iter().enumerate() {
            if count == 0 {
                continue;
            }
            let (top, bottom) = (y(base + count), y(base));
            let _ = write!(
                s,
                "<rect class=\"s{j}\" data-series=\"{}\" data-count=\"{count}\" x=\"{x:.1}\" \
                 y=\"{top:.1}\" width=\"{bar:.1}\" height=\"{:.1}\"><title>{}: {} {count}</title></rect>",
                esc(&chart.series[j]),
                (bottom - top).max(0.5),
                esc(year),
                esc(&chart.series[j])
            );
            base += count;
        }
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text></a>",
            x + bar / 2.0,
            H - 6.0,
            esc(year)
        );
    }
    s.push_str("</svg><ul class=\"legend\">");
    for (j, label) in chart.series.iter().enumerate() {
        let _ = write!(
            s,
            "<li><span class=\"swatch s{j}\"></span>{}</li>",
            esc(label)
        );
    }
    s.push_str("</ul></figure>");
}

/// Hidden form inputs carrying the current search, except the `skip` parameters.
fn hidden_inputs(s: &mut String, params: &Params, skip: &[&str]) {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    match &params.similar {
        Some(id) => pairs.push(("similar", id.clone())),
        None if !skip.contains(&"q") => pairs.push(("q", params.q.clone())),
        None => {}
    }
    for (k, v) in &params.filters {
        pairs.push((k, v.clone()));
    }
    if params.limit != 10 {
        pairs.push(("limit", params.limit.to_string()));
    }
    if !skip.contains(&"split") && params.split != "grade" {
        pairs.push(("split", params.split.clone()));
    }
    for (k, v) in pairs {
        let _ = write!(
            s,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            esc(k),
            esc(&v)
        );
    }
}

fn hit_html(s: &mut String, app: &App, hit: &Hit) {
    let _ = write!(
        s,
        "<li class=\"hit\" data-id=\"{id}\"><a class=\"citation\" href=\"{url}\">{citation}</a>\
         <div class=\"meta\">",
        id = esc(&hit.id),
        url = esc(&paragraph_url(&hit.id)),
        citation = esc(&hit.citation)
    );
    let section = if hit.section.is_empty() {
        "(no section heading)"
    } else {
        &hit.section
    };
    let _ = write!(s, "<span class=\"section\">{}</span>", esc(section));
    if let Some(g) = hit.grade {
        let _ = write!(
            s,
            " <span class=\"grade grade-{}\" data-grade=\"{}\">{}</span>",
            g.as_str(),
            g.as_str(),
            esc(g.label())
        );
    }
    if !hit.themes.is_empty() {
        let themes: Vec<String> = hit.themes.iter().map(|t| esc(&words(t))).collect();
        let _ = write!(s, " <span class=\"themes\">{}</span>", themes.join(", "));
    }
    let _ = write!(
        s,
        "</div><p class=\"snippet\">{}</p><details class=\"full\"><summary>Full paragraph</summary>\
         <p>{}</p></details><p class=\"links\"><a class=\"similar\" href=\"{}\">Similar \
         paragraphs from other councils</a>",
        highlighted(&hit.snippet),
        esc(&hit.text),
        esc(&format!(
            "/?{}",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("similar", &hit.id)
                .finish()
        ))
    );
    if let Some(link) = source_link(app, &hit.id, None) {
        s.push_str(" · ");
        s.push_str(&link);
    }
    s.push_str("</p></li>");
}

/// The snippet, escaped, with the library's highlight markers as `<mark>`.
fn highlighted(snippet: &str) -> String {
    esc(snippet)
        .replace('\u{E000}', "<mark>")
        .replace('\u{E001}', "</mark>")
}

/// A link to the report's source file, when the index was built from one here.
fn source_link(app: &App, paragraph_id: &str, page: Option<u32>) -> Option<String> {
    let report = app.files.keys().find(|r| {
        paragraph_id
            .strip_prefix(r.as_str())
            .is_some_and(|rest| rest.starts_with('/'))
    })?;
    let text = match page {
        Some(n) => format!("open the report at page {n}"),
        None => "open the report".to_string(),
    };
    Some(format!(
        "<a class=\"source\" href=\"{}\">{text}</a>",
        esc(&format!("/source/{}", path_escape(report)))
    ))
}

async fn paragraph_page(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>) -> Response {
    blocking(app, move |app| {
        let citation = match app.index.paragraph(&id) {
            Ok(c) => c,
            Err(e) => return error_page(&Params::default(), &BadRequest::from_error(e)),
        };
        let p = &citation.paragraph;
        let mut s = String::new();
        let _ = write!(
            s,
            "<article class=\"paragraph\" data-id=\"{}\"><h1 class=\"citation\">{}</h1><dl>",
            esc(&p.id),
            esc(&p.citation)
        );
        let mut row = |name: &str, value: &str| {
            if !value.is_empty() {
                let _ = write!(s, "<dt>{name}</dt><dd>{}</dd>", esc(value));
            }
        };
        row("Authority", &p.authority);
        row("Report", &words(citation.kind.as_str()));
        row(
            "Overall grade",
            citation.overall_grade.map_or("", |g| g.label()),
        );
        row("Section", &p.section);
        row("Section grade", p.grade.map_or("", |g| g.label()));
        row("Judgement area", p.area.map_or("", |a| a.label()));
        let themes: Vec<String> = p.themes.iter().map(|t| words(t)).collect();
        row("Themes", &themes.join(", "));
        row("Paragraph id", &p.id);
        let _ = write!(s, "</dl><blockquote class=\"text\">{}</blockquote>", esc(&p.text));
        s.push_str("<p class=\"links\">");
        if let Some(link) = source_link(app, &p.id, None) {
            s.push_str(&link);
            s.push_str(" · ");
        }
        let _ = write!(
            s,
            "<a href=\"{}\">JSON</a></p>",
            esc(&format!("/api/paragraph/{}", path_escape(&p.id)))
        );
        // Neighbours in the report.
        match neighbours(&app.index, &citation) {
            Ok(around) if around.len() > 1 => {
                s.push_str("<section class=\"neighbours\"><h2>In the report</h2><ol>");
                for n in around {
                    let current = n.paragraph.id == p.id;
                    let _ = write!(
                        s,
                        "<li{}><a href=\"{}\">{}</a><p>{}</p></li>",
                        if current { " class=\"current\"" } else { "" },
                        esc(&paragraph_url(&n.paragraph.id)),
                        esc(&n.paragraph.citation),
                        esc(&n.paragraph.text)
                    );
                }
                s.push_str("</ol></section>");
            }
            _ => {}
        }
        // Similar paragraphs from other councils.
        let mut q = Query::similar(&p.id);
        q.limit(5).facets(false).highlight("\u{E000}", "\u{E001}");
        if let Ok(similar) = app.index.search(&q) {
            if !similar.hits.is_empty() {
                s.push_str("<section class=\"similar\"><h2>Similar paragraphs from other councils</h2><ol>");
                for hit in &similar.hits {
                    let _ = write!(
                        s,
                        "<li><a href=\"{}\">{}</a><p>{}</p></li>",
                        esc(&paragraph_url(&hit.id)),
                        esc(&hit.citation),
                        highlighted(&hit.snippet)
                    );
                }
                s.push_str("</ol></section>");
            }
        }
        s.push_str("</article>");
        html(
            StatusCode::OK,
            &page(&p.citation, "", &Params::default(), &s),
        )
    })
    .await
}

/// The paragraph with up to two paragraphs either side of it in its report, in report order.
fn neighbours(index: &SearchIndex, citation: &Citation) -> Result<Vec<Citation>, Error> {
    let p = &citation.paragraph;
    // The report's paragraphs: the filters its paragraphs share, then its id prefix.
    let mut q = Query::all();
    q.authority(&p.authority).kind(citation.kind).facets(false);
    if let Some(year) = p.year {
        q.year(year);
    }
    q.limit(index.num_paragraphs()? as usize);
    let prefix = format!("{}/", p.report_id);
    let mut around = Vec::new();
    for hit in index.search(&q)?.hits {
        if !hit.id.starts_with(&prefix) {
            continue;
        }
        let c = index.paragraph(&hit.id)?;
        if c.paragraph.ordinal.abs_diff(p.ordinal) <= 2 {
            around.push(c);
        }
    }
    around.sort_by_key(|c| c.paragraph.ordinal);
    Ok(around)
}

async fn source_file(State(app): State<Arc<App>>, UrlPath(report): UrlPath<String>) -> Response {
    // Only files the index was built from, found by report id: the URL is never a path.
    let Some(path) = app.files.get(&report).cloned() else {
        return html_error(
            StatusCode::NOT_FOUND,
            "No report with that id was indexed here.",
        );
    };
    match tokio::task::spawn_blocking(move || std::fs::read(path)).await {
        Ok(Ok(bytes)) => {
            ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], bytes).into_response()
        }
        _ => html_error(StatusCode::NOT_FOUND, "The report's file cannot be read."),
    }
}

fn error_page(params: &Params, e: &BadRequest) -> Response {
    let mut s = String::from("<div class=\"query-error\" role=\"alert\">");
    match &e.query {
        Some(q) => query_error_html(&mut s, q),
        None => {
            let _ = write!(s, "<p class=\"message\">{}</p>", esc(&e.message));
        }
    }
    s.push_str("</div>");
    html(e.status, &page("Error", &params.q, params, &s))
}

/// The library's positioned error, with the query and a caret under the position.
fn query_error_html(s: &mut String, e: &QueryError) {
    let before: String = e.query.chars().take(e.position).collect();
    let rest: String = e.query.chars().skip(e.position).collect();
    let _ = write!(
        s,
        "<p class=\"message\">{}</p><pre class=\"position\" data-position=\"{}\">{}<span \
         class=\"at\">{}</span>\n{}^</pre>",
        esc(&e.to_string()),
        e.position,
        esc(&before),
        esc(&rest),
        " ".repeat(before.chars().count())
    );
}

fn html_error(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<div class=\"query-error\"><p class=\"message\">{}</p></div>",
        esc(message)
    );
    html(status, &page("Error", "", &Params::default(), &body))
}

/// A whole page: the search form, then `body`.
fn page(title: &str, q: &str, params: &Params, body: &str) -> String {
    let mut s = String::with_capacity(body.len() + 2048);
    let _ = write!(
        s,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} — Ofsted reports search</title><link rel=\"stylesheet\" href=\"/assets/page.css\">\
         <script src=\"/assets/page.js\" defer></script></head><body><header>\
         <a class=\"home\" href=\"/\">Ofsted reports</a><form class=\"search\" method=\"get\" action=\"/\" role=\"search\">\
         <input type=\"search\" name=\"q\" id=\"q\" value=\"{}\" maxlength=\"{MAX_QUERY_CHARS}\" \
         placeholder=\"missing children return home interviews\" aria-label=\"Search the reports\" autofocus>",
        esc(title),
        esc(q)
    );
    hidden_inputs(&mut s, params, &["q"]);
    s.push_str("<button type=\"submit\">Search</button></form></header><main>");
    s.push_str(body);
    s.push_str("</main></body></html>");
    s
}

fn html(status: StatusCode, body: &str) -> Response {
    let mut r = (status, body.to_string()).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

fn asset(body: &'static str, kind: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

/// HTML-escapes text for element content and double- or single-quoted attributes.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a path, keeping `/` and unreserved characters.
fn path_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn paragraph_url(id: &str) -> String {
    format!("/p/{}", path_escape(id))
}

// ---------------------------------------------------------------------------------------------
// JSON API

fn json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => (status, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot write JSON: {e}"),
        )
            .into_response(),
    }
}

fn json_error(e: &BadRequest) -> Response {
    let mut body = serde_json::json!({ "error": e.message });
    if let Some(q) = &e.query {
        body["position"] = q.position.into();
    }
    json(e.status, &body)
}

/// Parameters for the API: strict parsing unless `lenient=true`; plain highlight markers.
fn api_query(raw: Option<&str>) -> Result<(Params, Query), BadRequest> {
    let params = parse_params(raw)?;
    let mut q = params.query(params.lenient, None);
    q.highlight("**", "**");
    Ok((params, q))
}

async fn api_search(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    blocking(app, move |app| {
        let (_, q) = match api_query(raw.as_deref()) {
            Ok(x) => x,
            Err(e) => return json_error(&e),
        };
        match app.index.search(&q) {
            Ok(results) => json(StatusCode::OK, &results),
            Err(e) => json_error(&BadRequest::from_error(e)),
        }
    })
    .await
}

async fn api_facets(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    blocking(app, move |app| {
        let params = match parse_params(raw.as_deref()) {
            Ok(p) => p,
            Err(e) => return json_error(&e),
        };
        let mut counts_only = params.clone();
        counts_only.limit = 0;
        counts_only.offset = 0;
        match search(&app.index, &counts_only, false) {
            Ok(o) => json(
                StatusCode::OK,
                &serde_json::json!({
                    "total": o.results.total,
                    "facets": o.results.facets,
                    "kind": o.kind,
                    "overall": o.overall,
                }),
            ),
            Err(e) => json_error(&e),
        }
    })
    .await
}

async fn api_paragraph(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>) -> Response {
    blocking(app, move |app| match app.index.paragraph(&id) {
        Ok(c) => json(StatusCode::OK, &c),
        Err(e) => json_error(&BadRequest::from_error(e)),
    })
    .await
}

async fn api_similar(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    blocking(app, move |app| {
        let params = match parse_params(raw.as_deref()) {
            Ok(p) => p,
            Err(e) => return json_error(&e),
        };
        let mut q = Query::similar(&id);
        q.limit(params.limit).offset(params.offset);
        match app.index.search(&q) {
            Ok(results) => json(StatusCode::OK, &results),
            Err(e) => json_error(&BadRequest::from_error(e)),
        }
    })
    .await
}
