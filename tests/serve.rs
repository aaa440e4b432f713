//! The `serve` example, as a user meets it: one server on `127.0.0.1:0` over the bundled
//! corpus, driven by headless Chromium (Debian's `chromium`; `.ci/run` installs it) through
//! the DevTools protocol — typing a query, clicking a facet, opening a paragraph, taking a
//! screenshot — and asked over plain HTTP for its JSON API, escaping, errors and limits.
//!
//! The screenshot goes to `target/serve-screenshot.png` (outside git). `CHROMIUM` names
//! another browser binary.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use ofsted_search::{Citation, SearchIndex, SearchResults};
use serde_json::{json, Value};

/// The README's example query.
const README_QUERY: &str = "missing children return home interviews";

/// Builds the `serve` and `search` examples (once) and returns their executables by name.
fn executables() -> &'static BTreeMap<String, PathBuf> {
    static BUILT: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string());
        let out = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "--example",
                "serve",
                "--example",
                "search",
            ])
            .arg("--message-format=json")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cannot run cargo to build the examples");
        assert!(
            out.status.success(),
            "building the examples failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut found = BTreeMap::new();
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let message: Value = serde_json::from_str(line).unwrap();
            if let (Some(name), Some(exe)) = (
                message["target"]["name"].as_str(),
                message["executable"].as_str(),
            ) {
                found.insert(name.to_string(), PathBuf::from(exe));
            }
        }
        found
    })
}

/// The one server of this test run. It stops when this process exits (`--exit-with-stdin`:
/// its stdin is a pipe held here).
struct Server {
    addr: SocketAddr,
    index: PathBuf,
    corpus: PathBuf,
    _stdin: Mutex<ChildStdin>,
    _child: Mutex<Child>,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let index = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-index");
        let _ = std::fs::remove_dir_all(&index);
        let corpus = test_corpus();
        let mut child = Command::new(&executables()["serve"])
            .arg("--index")
            .arg(&index)
            .arg("--corpus")
            .arg(&corpus)
            .args(["--addr", "127.0.0.1:0", "--exit-with-stdin"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start the serve example");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|a| a.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line from serve: {line:?}"))
            .parse()
            .unwrap();
        Server {
            addr,
            index,
            corpus,
            _stdin: Mutex::new(child.stdin.take().unwrap()),
            _child: Mutex::new(child),
        }
    })
}

/// The bundled reports, with two changes that let the page link to a PDF at a page: the
/// Sheffield 2014 text gets a form feed every 60 lines (as `pdftotext` marks pages) and a
/// stand-in PDF beside it.
fn test_corpus() -> PathBuf {
    let corpus = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-corpus");
    let _ = std::fs::remove_dir_all(&corpus);
    std::fs::create_dir_all(&corpus).unwrap();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            std::fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
        }
    }
    let sheffield = corpus.join("sheffield-2014-inspection.txt");
    let text = std::fs::read_to_string(&sheffield).unwrap();
    let paged: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            i if i > 0 && i % 60 == 0 => format!("\x0c{l}"),
            _ => l.to_string(),
        })
        .collect();
    std::fs::write(&sheffield, paged.join("\n") + "\n").unwrap();
    std::fs::write(corpus.join("sheffield-2014-inspection.pdf"), STAND_IN_PDF).unwrap();
    corpus
}

const STAND_IN_PDF: &[u8] =
    b"%PDF-1.4\n% a stand-in: the server serves bytes, it does not read them\n";

/// The same index, opened here, for answers to compare with the server's.
fn library_index() -> SearchIndex {
    SearchIndex::open(&server().index).unwrap()
}

struct HttpResponse {
    status: u16,
    headers: String,
    body: String,
}

/// A plain HTTP/1.1 GET (no client library: the server must speak the simplest HTTP).
fn http_get(addr: SocketAddr, path: &str) -> HttpResponse {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    // Up to the end of the headers, then Content-Length bytes (a server may keep the
    // connection open), or to the end of the stream.
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        head.push_str(&line);
    }
    let head = head.to_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|n| n.trim().parse::<usize>().unwrap());
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body).unwrap();
        }
        None => {
            reader.read_to_end(&mut body).unwrap();
        }
    }
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    HttpResponse {
        status,
        headers: head,
        body: String::from_utf8(body).unwrap(),
    }
}

fn get(path: &str) -> HttpResponse {
    http_get(server().addr, path)
}

fn get_json(path: &str) -> (u16, Value) {
    let r = get(path);
    assert!(
        r.headers.contains("content-type: application/json"),
        "{path}: {}",
        r.headers
    );
    (r.status, serde_json::from_str(&r.body).unwrap())
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

// ---------------------------------------------------------------------------------------------
// A minimal DevTools-protocol client: one page, commands answered in order.

/// A browser process, killed when dropped (also when a test panics while starting it).
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Browser {
    _child: KillOnDrop,
    ws: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Browser {
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
        let profile = tempfile::tempdir().unwrap();
        // The flags Chromium needs on a machine without a network or a display.
        let child = Command::new(&binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1280,1000",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {binary} ({e}): the browser test needs Chromium \
                     (`apt-get install chromium`, as .ci/run does) or CHROMIUM=/path/to/it"
                )
            });
        let child = KillOnDrop(child);
        // Chromium writes the port it chose to DevToolsActivePort in its profile.
        let port_file = profile.path().join("DevToolsActivePort");
        let started = Instant::now();
        let port: u16 = loop {
            if let Some(port) = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|t| t.lines().next().and_then(|l| l.parse().ok()))
            {
                break port;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "Chromium did not open its DevTools port"
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        let devtools = SocketAddr::from(([127, 0, 0, 1], port));
        let pages: Value = serde_json::from_str(&http_get(devtools, "/json/list").body).unwrap();
        let url = pages
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            .expect("Chromium has no page target")
            .to_string();
        let (ws, _) = tungstenite::connect(url.as_str()).unwrap();
        if let tungstenite::stream::MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        }
        let mut browser = Browser {
            _child: child,
            ws,
            next_id: 0,
            _profile: profile,
        };
        browser.call("Page.enable", json!({}));
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": false}),
        );
        browser
    }

    /// Sends one command and returns its result, skipping the events that arrive meanwhile.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({"id": id, "method": method, "params": params}).to_string();
        self.ws
            .send(tungstenite::Message::Text(message.into()))
            .unwrap();
        loop {
            let text = match self.ws.read().unwrap() {
                tungstenite::Message::Text(t) => t,
                _ => continue,
            };
            let reply: Value = serde_json::from_str(text.as_str()).unwrap();
            if reply["id"] == id {
                assert!(reply.get("error").is_none(), "{method}: {reply}");
                return reply["result"].clone();
            }
        }
    }

    /// Evaluates a JavaScript expression in the page and returns its value.
    fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true}),
        );
        assert!(
            result.get("exceptionDetails").is_none(),
            "{expression}: {result}"
        );
        result["result"]["value"].clone()
    }

    fn wait_for(&mut self, condition: &str) {
        let started = Instant::now();
        while self.eval(condition) != json!(true) {
            if started.elapsed() > Duration::from_secs(30) {
                let at = self.eval("location.href + ' ' + document.readyState");
                panic!("timed out waiting for {condition} (at {at})");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Marks the current document, so that `wait_for_new_page` can tell when it is replaced.
    fn mark_page(&mut self) {
        self.eval("window.__old_page = true");
    }

    fn wait_for_new_page(&mut self) {
        self.wait_for("!window.__old_page && document.readyState === 'complete'");
    }

    fn navigate(&mut self, url: &str) {
        self.mark_page();
        self.call("Page.navigate", json!({"url": url}));
        self.wait_for_new_page();
    }

    /// A real click: the mouse pressed and released at the middle of the element (of its
    /// first line, for a link that wraps).
    fn click(&mut self, selector: &str) {
        let js = format!(
            "(() => {{ const e = document.querySelector({}); if (!e) return null; \
             e.scrollIntoView({{block: 'center'}}); const r = e.getClientRects()[0]; \
             return [r.left + r.width / 2, r.top + r.height / 2]; }})()",
            json!(selector)
        );
        let at = self.eval(&js);
        let (x, y) = match at.as_array() {
            Some(xy) => (xy[0].as_f64().unwrap(), xy[1].as_f64().unwrap()),
            None => panic!("nothing on the page matches {selector}"),
        };
        for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    /// Types text into the focused element, then presses Enter.
    fn type_and_enter(&mut self, text: &str) {
        self.call("Input.insertText", json!({"text": text}));
        for kind in ["keyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": "Enter", "code": "Enter",
                       "windowsVirtualKeyCode": 13, "text": "\r"}),
            );
        }
    }

    fn screenshot(&mut self, path: &Path) {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let png = data_encoding::BASE64
            .decode(shot["data"].as_str().unwrap().as_bytes())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        std::fs::write(path, png).unwrap();
    }
}

/// The facet counts the page shows: facet → value → count.
fn page_facets(browser: &mut Browser) -> BTreeMap<String, BTreeMap<String, u64>> {
    let value = browser.eval(
        "[...document.querySelectorAll('a.facet-value')].map(a => \
         [a.dataset.facet, a.dataset.value, Number(a.dataset.count)])",
    );
    let mut out: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for row in value.as_array().unwrap() {
        out.entry(row[0].as_str().unwrap().to_string())
            .or_default()
            .insert(
                row[1].as_str().unwrap().to_string(),
                row[2].as_u64().unwrap(),
            );
    }
    out
}

fn hit_ids(browser: &mut Browser) -> Vec<String> {
    let ids = browser.eval("[...document.querySelectorAll('li.hit')].map(h => h.dataset.id)");
    serde_json::from_value(ids).unwrap()
}

#[test]
fn a_browser_searches_clicks_a_facet_and_opens_a_paragraph() {
    let base = format!("http://{}", server().addr);
    let mut browser = Browser::start();

    // Type the README's query into the search box and press Enter.
    browser.navigate(&format!("{base}/"));
    browser.click("#q");
    browser.mark_page();
    browser.type_and_enter(README_QUERY);
    browser.wait_for_new_page();
    let href = browser.eval("location.href");
    assert!(
        href.as_str().unwrap().contains("q=missing+children"),
        "{href}"
    );

    // Cited hits, in the order and with the facet counts of `search --json`.
    let out = Command::new(&executables()["search"])
        .arg("--index")
        .arg(&server().index)
        .arg("--corpus")
        .arg(&server().corpus)
        .args(["--json", README_QUERY])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: SearchResults = serde_json::from_slice(&out.stdout).unwrap();
    assert!(cli.total > 0);
    let ids = hit_ids(&mut browser);
    let cli_ids: Vec<String> = cli.hits.iter().map(|h| h.id.clone()).collect();
    assert_eq!(ids, cli_ids);
    let total = browser.eval("Number(document.getElementById('total').textContent)");
    assert_eq!(total, json!(cli.total));
    let citations =
        browser.eval("[...document.querySelectorAll('li.hit a.citation')].map(a => a.textContent)");
    let cli_citations: Vec<&str> = cli.hits.iter().map(|h| h.citation.as_str()).collect();
    assert_eq!(citations, json!(cli_citations));
    let facets = page_facets(&mut browser);
    for name in ["authority", "year", "grade", "theme", "area"] {
        let empty = BTreeMap::new();
        assert_eq!(
            facets.get(name).unwrap_or(&empty),
            cli.facets.facet(name).unwrap(),
            "facet {name}"
        );
    }
    // Every paragraph is of one report kind and one report (overall grade or none).
    let kinds: u64 = facets["kind"].values().sum();
    assert_eq!(kinds, cli.total);
    // Snippets are highlighted; the chart has a bar per year, its segments adding up to the
    // year's count.
    let marks = browser.eval("document.querySelectorAll('li.hit .snippet mark').length");
    assert!(marks.as_u64().unwrap() > 0);
    let bars = browser.eval(
        "[...document.querySelectorAll('svg a.bar')].map(b => [b.dataset.year, \
         [...b.querySelectorAll('rect')].reduce((n, r) => n + Number(r.dataset.count), 0)])",
    );
    let bars: Vec<(String, u64)> = serde_json::from_value(bars).unwrap();
    let years: Vec<(String, u64)> = cli.facets.year.clone().into_iter().collect();
    assert_eq!(bars, years);
    std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/target")).unwrap();
    browser.screenshot(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/target/serve-screenshot.png"
    )));

    // "Full paragraph" opens on click.
    browser.click("li.hit details.full summary");
    browser.wait_for("document.querySelector('li.hit details.full').open");
    let full = browser.eval("document.querySelector('li.hit details.full p').innerText");
    assert_eq!(full.as_str().unwrap().trim(), cli.hits[0].text.trim());

    // Click the most frequent section grade: the page filters on it and shows it selected.
    let (grade, count) = cli
        .facets
        .grade
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(g, n)| (g.clone(), *n))
        .unwrap();
    browser.mark_page();
    browser.click(&format!(
        "a.facet-value[data-facet=grade][data-value={grade}]"
    ));
    browser.wait_for_new_page();
    let href = browser.eval("location.href");
    assert!(
        href.as_str().unwrap().contains(&format!("grade={grade}")),
        "{href}"
    );
    // The link pins the matching set it was counted in (the library's all-words fallback
    // would otherwise decide afresh within the narrower filter).
    assert!(href.as_str().unwrap().contains("match="), "{href}");
    let selected = browser.eval(
        "[...document.querySelectorAll('a.facet-value.selected')].map(a => a.dataset.facet + '=' + a.dataset.value)",
    );
    assert_eq!(selected, json!([format!("grade={grade}")]));
    let total = browser.eval("Number(document.getElementById('total').textContent)");
    assert_eq!(total, json!(count));
    let grades =
        browser.eval("[...document.querySelectorAll('li.hit .grade')].map(g => g.dataset.grade)");
    let grades = grades.as_array().unwrap();
    assert!(!grades.is_empty());
    assert!(grades.iter().all(|g| *g == json!(grade)), "{grades:?}");
    // The URL is shareable: loading it afresh gives the same page.
    let filtered_ids = hit_ids(&mut browser);
    let url = href.as_str().unwrap().to_string();
    browser.navigate(&url);
    assert_eq!(hit_ids(&mut browser), filtered_ids);

    // Open the first hit's permanent link: the paragraph with its citation and neighbours.
    let first = filtered_ids[0].clone();
    browser.mark_page();
    browser.click("li.hit a.citation");
    browser.wait_for_new_page();
    let path = browser.eval("location.pathname");
    assert_eq!(path, json!(format!("/p/{first}")));
    let library = library_index().paragraph(&first).unwrap();
    let heading = browser.eval("document.querySelector('article h1.citation').textContent");
    assert_eq!(heading, json!(library.paragraph.citation));
    let text = browser.eval("document.querySelector('article blockquote.text').textContent");
    assert_eq!(text, json!(library.paragraph.text));
    let around = browser.eval("document.querySelectorAll('.neighbours li').length");
    assert!(around.as_u64().unwrap() >= 2, "{around}");
    let current = browser.eval("document.querySelector('.neighbours li.current a').textContent");
    assert_eq!(current, json!(library.paragraph.citation));
}

#[test]
fn the_api_returns_the_librarys_answers() {
    let index = library_index();
    let q = encode(README_QUERY);

    let (status, body) = get_json(&format!("/api/search?q={q}&limit=5"));
    assert_eq!(status, 200);
    let served: SearchResults = serde_json::from_value(body).unwrap();
    let mut query = ofsted_search::Query::new(README_QUERY);
    query.limit(5);
    let direct = index.search(&query).unwrap();
    assert_eq!(served, direct);
    assert_eq!(served.hits.len(), 5);

    let (status, body) = get_json(&format!(
        "/api/search?q={q}&grade=inadequate&year=2014..2016"
    ));
    assert_eq!(status, 200);
    let served: SearchResults = serde_json::from_value(body).unwrap();
    assert!(served.total > 0);
    for hit in &served.hits {
        assert_eq!(hit.grade, Some(ofsted_search::Grade::Inadequate));
        assert!((2014..=2016).contains(&hit.year.unwrap()));
    }

    let (status, facets) = get_json(&format!("/api/facets?q={q}"));
    assert_eq!(status, 200);
    assert_eq!(facets["total"], json!(direct.total));
    assert_eq!(
        facets["facets"],
        serde_json::to_value(&direct.facets).unwrap()
    );
    let kinds: u64 = facets["kind"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(kinds, direct.total);

    let id = &direct.hits[0].id;
    let (status, body) = get_json(&format!("/api/paragraph/{id}"));
    assert_eq!(status, 200);
    let citation: Citation = serde_json::from_value(body).unwrap();
    assert_eq!(citation, index.paragraph(id).unwrap());

    let (status, body) = get_json(&format!("/api/similar/{id}?limit=3"));
    assert_eq!(status, 200);
    let similar: SearchResults = serde_json::from_value(body).unwrap();
    assert!(!similar.hits.is_empty() && similar.hits.len() <= 3);
    for hit in &similar.hits {
        assert_ne!(hit.authority, citation.paragraph.authority);
    }

    let (status, body) = get_json("/api/paragraph/no-such-council/2014-inspection/1");
    assert_eq!(status, 404);
    assert!(
        body["error"].as_str().unwrap().contains("no paragraph"),
        "{body}"
    );
}

#[test]
fn user_text_is_escaped_everywhere() {
    let attack = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
    let q = encode(attack);
    for path in [
        format!("/?q={q}"),
        format!("/?q=children&authority={q}"),
        format!("/?q=children&theme={q}"),
        format!("/?similar={q}"),
        format!("/p/{q}"),
        format!("/?q=children&grade={q}"),
    ] {
        let r = get(&path);
        assert!(r.status < 500, "{path}: {}", r.status);
        assert!(!r.body.contains("<script>alert"), "{path}: {}", r.body);
        assert!(!r.body.contains("<img src=x"), "{path}");
        assert!(r.headers.contains("content-security-policy"), "{path}");
    }
    let r = get(&format!("/?q={q}"));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn a_bad_query_shows_the_librarys_positioned_error() {
    // On the page: the error with its position, then the leniently repaired search.
    let r = get(&format!("/?q={}", encode("\"missing children")));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("query error at character 0"), "{}", r.body);
    assert!(r.body.contains("data-position=\"0\""));
    assert!(r.body.contains("read leniently"));
    assert!(r.body.contains("class=\"hit\""));

    // In the API: strict unless asked, a 400 with the position.
    let (status, body) = get_json(&format!("/api/search?q={}", encode("children (missing")));
    assert_eq!(status, 400);
    assert_eq!(body["position"], json!(9));
    let (status, _) = get_json(&format!(
        "/api/search?q={}&lenient=true",
        encode("children (missing")
    ));
    assert_eq!(status, 200);

    // A bad filter value names the accepted ones.
    let r = get("/?q=children&grade=awful");
    assert_eq!(r.status, 400);
    assert!(r.body.contains("inadequate"), "{}", r.body);
    let (status, body) = get_json("/api/search?q=children&year=20x4");
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("year"), "{body}");
}

#[test]
fn limits_hold_and_nothing_outside_the_index_and_corpus_is_served() {
    let long = "children ".repeat(200);
    let r = get(&format!("/?q={}", encode(&long)));
    assert_eq!(r.status, 400);
    assert!(r.body.contains("at most 1000"), "{}", r.body);
    let (status, _) = get_json(&format!("/api/search?q={}", encode(&long)));
    assert_eq!(status, 400);
    let (status, body) = get_json("/api/search?q=children&limit=101");
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("at most 100"),
        "{body}"
    );
    let (status, body) = get_json("/api/search?q=children&limit=100");
    assert_eq!(status, 200);
    assert!(body["hits"].as_array().unwrap().len() <= 100);
    assert_eq!(get("/?q=children&page=100000").status, 400);

    // A report's file, by report id only.
    let r = get("/source/sheffield-city-council/2014-inspection");
    assert_eq!(r.status, 200);
    let file =
        std::fs::read_to_string(server().corpus.join("sheffield-2014-inspection.txt")).unwrap();
    assert_eq!(r.body, file);
    assert!(
        r.headers.contains("content-type: text/plain"),
        "{}",
        r.headers
    );
    let r = get("/pdf/sheffield-city-council/2014-inspection");
    assert_eq!(r.status, 200);
    assert_eq!(r.body.as_bytes(), STAND_IN_PDF);
    assert!(
        r.headers.contains("content-type: application/pdf"),
        "{}",
        r.headers
    );
    // Reports without a PDF beside them have none.
    assert_eq!(
        get("/pdf/rotherham-metropolitan-borough-council/2014-inspection").status,
        404
    );
    for path in [
        "/source/../Cargo.toml",
        "/source/%2e%2e/Cargo.toml",
        "/source/corpus/sheffield-2014-inspection.txt",
        "/pdf/../Cargo.toml",
        "/pdf/sheffield-2014-inspection.pdf",
        "/assets/../Cargo.toml",
        "/assets/%2e%2e%2fCargo.toml",
        "/Cargo.toml",
        "/corpus/sheffield-2014-inspection.txt",
        "/../../etc/passwd",
    ] {
        let r = get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("[package]"), "{path}");
    }
}

#[test]
fn the_chart_splits_by_another_facet_and_similar_paragraphs_have_a_page() {
    let q = encode(README_QUERY);
    let direct = library_index()
        .search(&ofsted_search::Query::new(README_QUERY))
        .unwrap();
    let r = get(&format!("/?q={q}&split=kind"));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("by report kind"), "{}", r.body);
    // Every bar segment is one report kind; together they are every matching paragraph.
    let segments: u64 = r
        .body
        .split("<rect class=\"")
        .skip(1)
        .map(|rect| {
            let count = rect.split("data-count=\"").nth(1).unwrap();
            count[..count.find('"').unwrap()].parse::<u64>().unwrap()
        })
        .sum();
    assert_eq!(segments, direct.facets.year.values().sum::<u64>());
    assert!(r.body.contains("data-series=\"inspection\""), "{}", r.body);
    assert_eq!(get(&format!("/?q={q}&split=colour")).status, 400);

    let source = &direct.hits[0];
    let r = get(&format!("/?similar={}", encode(&source.id)));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Paragraphs like"), "{}", r.body);
    assert!(r.body.contains("class=\"hit\""));
    assert!(!r.body.contains(&format!("data-id=\"{}\"", source.id)));
}

#[test]
fn hits_link_to_the_pdf_at_their_page() {
    let index = library_index();
    let mut query = ofsted_search::Query::new("strategy");
    query
        .authority("Sheffield City Council")
        .year(2014)
        .limit(5);
    let direct = index.search(&query).unwrap();
    let paged: Vec<_> = direct.hits.iter().filter(|h| h.page.is_some()).collect();
    assert!(!paged.is_empty(), "no Sheffield hit has a page: {direct:?}");
    let r = get("/?q=strategy&authority=Sheffield+City+Council&year=2014&limit=5");
    assert_eq!(r.status, 200);
    for hit in paged {
        let page = hit.page.unwrap();
        let link = format!(
            "href=\"/pdf/sheffield-city-council/2014-inspection#page={page}\">open the PDF at page {page}</a>"
        );
        assert!(r.body.contains(&link), "{link} not in the page");
        let p = get(&format!("/p/{}", hit.id));
        assert!(p.body.contains(&link), "{link} not on /p/{}", hit.id);
        assert!(p.body.contains(&format!("<dt>Page</dt><dd>{page}</dd>")));
    }
    // Without a PDF, the text file.
    let r = get("/?q=strategy&authority=Rotherham+Metropolitan+Borough+Council");
    assert!(r.body.contains("href=\"/source/rotherham-metropolitan-borough-council/2014-inspection\">open the report text</a>"));
}
