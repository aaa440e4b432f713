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
//!   `2014..2016`), `kind`, `framework` (`sif`, `ilacs`, `lac`), `overall` (the report's
//!   overall grade), `grade` (the section's grade), `area`, `theme` (values of one filter are
//!   alternatives, different filters must all hold), `page` (from 1), `limit` (hits per page,
//!   at most 100) and `split` (what the chart's bars are split by: `grade`, `overall`, `kind`,
//!   `framework`, `area` or `authority`), `match` (`all` or `any`: every word or any word
//!   must match, with the library's all-words fallback off; the page's facet, chart and
//!   paging links carry the mode of the search they were counted in, so that a click narrows
//!   the same matching set, and clicking a facet shows as many paragraphs as it counted).
//!   Example: `/?q=missing+children&year=2014&grade=inadequate`.
//! - `/p/ID` — one paragraph by its id, with its citation, its neighbours in the report and
//!   similar paragraphs from other councils.
//! - `/source/REPORT_ID` — the text file the report was read from, and `/pdf/REPORT_ID` the
//!   PDF beside it (same file name, `.pdf`), when there is one; hits and paragraph pages link
//!   to the PDF at the paragraph's page (`#page=N`) when both are known. Only these files are
//!   served, looked up by report id.
//!
//! # JSON API
//!
//! Every answer is the library's serde type; errors are `{"error": MESSAGE}` with status 400
//! (bad parameters; query errors add `"position"`, the character offset), 404 (unknown id or
//! path) or 500.
//!
//! - `GET /api/search?q=…&<filters>&limit=&offset=&lenient=true&match=` — [`SearchResults`].
//!   Strict parsing unless `lenient=true`; `limit` at most 100 (default 10); `match` as above
//!   (without it, the library's default ranking, fallback included).
//! - `GET /api/facets?q=…&<filters>` — `{"total": N, "facets": FacetCounts, "kind": {…},
//!   "framework": {…}, "overall": {…}}`: the library's [`FacetCounts`] plus counts per report
//!   kind, framework and overall grade (each computed with the library's filters, one count
//!   query per value).
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
use ofsted_search::{Query, SearchIndex};

#[path = "serve/html.rs"]
mod html;
#[path = "serve/params.rs"]
mod params;
#[path = "support/progress_bar.rs"]
mod progress_bar;
#[path = "serve/results.rs"]
mod results;

#[path = "support/sync.rs"]
mod sync;

use html::{esc, home, page, query_error_html, results_body};
use params::{parse_params, BadRequest, Params};
use results::{chart, neighbours, search};

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

const CSS: &str = include_str!("serve/page.css");

const JS: &str = include_str!("serve/page.js");

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
    /// The text file of each indexed report, by report id.
    files: BTreeMap<String, PathBuf>,
    /// The PDF beside a report's text file (same name, `.pdf`), where there is one.
    pdfs: BTreeMap<String, PathBuf>,
}

fn run(options: Options) -> Result<(), String> {
    let index = SearchIndex::open_or_create(&options.index).map_err(|e| e.to_string())?;
    let files = sync::sync(&index, &options.corpus, options.rebuild, "serve")?;
    let pdfs = files
        .iter()
        .map(|(id, text)| (id.clone(), text.with_extension("pdf")))
        .filter(|(_, pdf)| pdf.is_file())
        .collect();
    let app = Arc::new(App { index, files, pdfs });
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
        .route("/pdf/{*report}", get(pdf_file))
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

async fn search_page(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    blocking(app, move |app| {
        let mut params = match parse_params(raw.as_deref()) {
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
        // Links from this page keep its matching set (see `Params::matching`).
        if params.similar.is_none() {
            params.matching = Some(outcome.counting.any);
        }
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

async fn paragraph_page(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>) -> Response {
    blocking(app, move |app| {
        let citation = match app.index.paragraph(&id) {
            Ok(c) => c,
            Err(e) => return error_page(&Params::default(), &BadRequest::from_error(e)),
        };
        let around = match neighbours(&app.index, &citation) {
            Ok(around) => around,
            Err(e) => return error_page(&Params::default(), &BadRequest::from_error(e)),
        };
        let mut q = Query::similar(&citation.paragraph.id);
        q.limit(5)
            .facets(false)
            .highlight(html::MARK_START, html::MARK_END);
        let similar = match app.index.search(&q) {
            Ok(r) => r.hits,
            Err(e) => return error_page(&Params::default(), &BadRequest::from_error(e)),
        };
        let body = html::paragraph_body(app, &citation, &around, &similar);
        html(
            StatusCode::OK,
            &page(&citation.paragraph.citation, "", &Params::default(), &body),
        )
    })
    .await
}

async fn source_file(State(app): State<Arc<App>>, UrlPath(report): UrlPath<String>) -> Response {
    let path = app.files.get(&report).cloned();
    send_file(path, "text/plain; charset=utf-8").await
}

async fn pdf_file(State(app): State<Arc<App>>, UrlPath(report): UrlPath<String>) -> Response {
    let path = app.pdfs.get(&report).cloned();
    send_file(path, "application/pdf").await
}

/// A report's file. Only files the index was built from (and PDFs beside them) are served,
/// found by report id: the URL is never used as a path.
async fn send_file(path: Option<PathBuf>, kind: &'static str) -> Response {
    let Some(path) = path else {
        return html_error(
            StatusCode::NOT_FOUND,
            "No report with that id was indexed here.",
        );
    };
    match tokio::task::spawn_blocking(move || std::fs::read(path)).await {
        Ok(Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, kind),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            bytes,
        )
            .into_response(),
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

fn html_error(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<div class=\"query-error\"><p class=\"message\">{}</p></div>",
        esc(message)
    );
    html(status, &page("Error", "", &Params::default(), &body))
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
                    "framework": o.framework,
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
