//! The page's HTML, built as strings: every text from the user or the reports goes through
//! [`esc`]; links are built with percent-encoding, then escaped.

use std::fmt::Write as _;

use ofsted_search::{Area, Citation, FacetCounts, Grade, Hit, QueryError};

use crate::params::{Params, FACETS, MAX_OFFSET, MAX_QUERY_CHARS, SPLITS};
use crate::results::{Chart, Outcome};
use crate::App;

/// Marks the library puts around matched words in snippets (private-use characters, which
/// escaping leaves alone), turned into `<mark>` by [`highlighted`].
pub const MARK_START: &str = "\u{E000}";
/// See [`MARK_START`].
pub const MARK_END: &str = "\u{E001}";

/// The start page: what is indexed, and a few queries to try.
pub fn home(app: &App) -> String {
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

pub fn results_body(s: &mut String, app: &App, params: &Params, outcome: &Outcome, chart: &Chart) {
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
    if outcome.counting.any && params.similar.is_none() {
        s.push_str(
            "<p class=\"widened\">Few paragraphs contain every word, so paragraphs with any of \
             them are included (those with every word first).</p>",
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

pub fn facets_html(s: &mut String, params: &Params, outcome: &Outcome) {
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
            "framework" => outcome
                .framework
                .iter()
                .map(|(k, n)| (k.clone(), *n))
                .collect(),
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
pub fn facet_label(facet: &str, value: &str) -> String {
    match facet {
        "grade" | "overall" => value
            .parse::<Grade>()
            .map_or_else(|_| value.to_string(), |g| g.label().to_string()),
        "area" => value
            .parse::<Area>()
            .map_or_else(|_| value.to_string(), |a| a.label().to_string()),
        "framework" => value.to_uppercase(),
        "kind" | "theme" => words(value),
        _ => value.to_string(),
    }
}

/// `requires_improvement` → `requires improvement`.
pub fn words(id: &str) -> String {
    id.replace(['_', '-'], " ")
}

pub fn chart_html(s: &mut String, params: &Params, chart: &Chart) {
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
                "<rect class=\"{}\" data-series=\"{}\" data-count=\"{count}\" x=\"{x:.1}\" \
                 y=\"{top:.1}\" width=\"{bar:.1}\" height=\"{:.1}\"><title>{}: {} {count}</title></rect>",
                esc(&chart.classes[j]),
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
    for (label, class) in chart.series.iter().zip(&chart.classes) {
        let _ = write!(
            s,
            "<li><span class=\"swatch {}\"></span>{}</li>",
            esc(class),
            esc(label)
        );
    }
    s.push_str("</ul></figure>");
}

/// Hidden form inputs carrying the current search, except the `skip` parameters (skipping
/// `q` also drops `similar`: the form then asks for new text).
pub fn hidden_inputs(s: &mut String, params: &Params, skip: &[&str]) {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if !skip.contains(&"q") {
        match &params.similar {
            Some(id) => pairs.push(("similar", id.clone())),
            None => pairs.push(("q", params.q.clone())),
        }
    }
    for (k, v) in &params.filters {
        pairs.push((k, v.clone()));
    }
    if params.limit != 10 {
        pairs.push(("limit", params.limit.to_string()));
    }
    if let (Some(any), false, false) = (
        params.matching,
        skip.contains(&"q"),
        params.filters.is_empty(),
    ) {
        pairs.push(("match", if any { "any" } else { "all" }.to_string()));
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

pub fn hit_html(s: &mut String, app: &App, hit: &Hit) {
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
    if let Some(link) = source_link(app, &hit.id, hit.page) {
        s.push_str(" · ");
        s.push_str(&link);
    }
    s.push_str("</p></li>");
}

/// The snippet, escaped, with the library's highlight markers as `<mark>`.
pub fn highlighted(snippet: &str) -> String {
    esc(snippet)
        .replace(MARK_START, "<mark>")
        .replace(MARK_END, "</mark>")
}

/// A link to the report's source file, when the index was built from one here.
///
/// A PDF beside the report's text file (same name, `.pdf`) is linked at the paragraph's page
/// (`#page=N`, which browsers' PDF viewers open at); otherwise the text file itself. A
/// paragraph id is its report's id, a `/`, and its number.
pub fn source_link(app: &App, paragraph_id: &str, page: Option<u32>) -> Option<String> {
    let (report, _) = paragraph_id.rsplit_once('/')?;
    if app.pdfs.contains_key(report) {
        let (fragment, text) = match page {
            Some(n) => (format!("#page={n}"), format!("open the PDF at page {n}")),
            None => (String::new(), "open the PDF".to_string()),
        };
        return Some(format!(
            "<a class=\"source\" href=\"{}\">{text}</a>",
            esc(&format!("/pdf/{}{fragment}", path_escape(report)))
        ));
    }
    app.files.contains_key(report).then(|| {
        format!(
            "<a class=\"source\" href=\"{}\">open the report text</a>",
            esc(&format!("/source/{}", path_escape(report)))
        )
    })
}

/// The library's positioned error, with the query and a caret under the position.
pub fn query_error_html(s: &mut String, e: &QueryError) {
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

/// A whole page: the search form, then `body`.
pub fn page(title: &str, q: &str, params: &Params, body: &str) -> String {
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

/// HTML-escapes text for element content and double- or single-quoted attributes.
pub fn esc(text: &str) -> String {
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
pub fn path_escape(path: &str) -> String {
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

pub fn paragraph_url(id: &str) -> String {
    format!("/p/{}", path_escape(id))
}

/// The paragraph page: citation, report facts, text, source, neighbours and similar
/// paragraphs from other councils.
pub fn paragraph_body(
    app: &App,
    citation: &Citation,
    around: &[Citation],
    similar: &[Hit],
) -> String {
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
    row("Page", &p.page.map_or(String::new(), |n| n.to_string()));
    if p.context {
        row(
            "Block",
            "describes the inspection (local area, inspection team, letter) rather than findings",
        );
    }
    row(
        "Framework",
        &citation
            .framework
            .map_or(String::new(), |f| f.as_str().to_uppercase()),
    );
    row("Paragraph id", &p.id);
    let _ = write!(
        s,
        "</dl><blockquote class=\"text\">{}</blockquote>",
        esc(&p.text)
    );
    s.push_str("<p class=\"links\">");
    if let Some(link) = source_link(app, &p.id, p.page) {
        s.push_str(&link);
        s.push_str(" · ");
    }
    let _ = write!(
        s,
        "<a href=\"{}\">JSON</a></p>",
        esc(&format!("/api/paragraph/{}", path_escape(&p.id)))
    );
    if around.len() > 1 {
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
    if !similar.is_empty() {
        s.push_str(
            "<section class=\"similar\"><h2>Similar paragraphs from other councils</h2><ol>",
        );
        for hit in similar {
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
    s.push_str("</article>");
    s
}
