//! The search parameters of a page or API URL: parsed, checked against the limits, turned
//! into library queries and back into links.

use axum::http::StatusCode;
use ofsted_search::{
    Area, Error, Framework, Grade, Operator, Query, QueryError, Ranking, ReportKind,
};

/// Longest query text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;

/// Most hits on one page.
pub const MAX_LIMIT: usize = 100;

/// Deepest offset into the ranked hits.
pub const MAX_OFFSET: usize = 10_000;

/// The filters, in the order the page lists them: URL parameter and heading.
pub const FACETS: &[(&str, &str)] = &[
    ("authority", "Authority"),
    ("year", "Year"),
    ("kind", "Report kind"),
    ("framework", "Framework"),
    ("overall", "Overall grade"),
    ("grade", "Section grade"),
    ("area", "Judgement area"),
    ("theme", "Theme"),
];

/// What the chart's bars can be split by: URL value and label.
pub const SPLITS: &[(&str, &str)] = &[
    ("grade", "section grade"),
    ("overall", "overall grade"),
    ("kind", "report kind"),
    ("framework", "framework"),
    ("area", "judgement area"),
    ("authority", "authority"),
];

/// A bad request: what to tell the user, and where in the query when the query is at fault.
pub struct BadRequest {
    pub status: StatusCode,
    pub message: String,
    pub query: Option<QueryError>,
}

impl BadRequest {
    pub fn new(message: impl Into<String>) -> BadRequest {
        BadRequest {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            query: None,
        }
    }

    pub fn from_error(e: Error) -> BadRequest {
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
pub struct Params {
    pub q: String,
    pub similar: Option<String>,
    /// `(parameter, value)` of every filter, in URL order.
    pub filters: Vec<(String, String)>,
    pub authority: Vec<String>,
    pub years: Vec<(u16, u16)>,
    pub kind: Vec<ReportKind>,
    pub framework: Vec<Framework>,
    pub overall: Vec<Grade>,
    pub grade: Vec<Grade>,
    pub area: Vec<Area>,
    pub theme: Vec<String>,
    pub page: usize,
    pub limit: usize,
    pub offset: usize,
    pub split: String,
    pub lenient: bool,
    /// `match=all|any`: the matching set pinned (`Some(true)`: any word), with the library's
    /// all-words fallback off. Facet links carry the mode of the search they were counted in,
    /// so that clicking one shows as many paragraphs as it said.
    pub matching: Option<bool>,
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
            framework: Vec::new(),
            overall: Vec::new(),
            grade: Vec::new(),
            area: Vec::new(),
            theme: Vec::new(),
            page: 1,
            limit: 10,
            offset: 0,
            split: "grade".into(),
            lenient: false,
            matching: None,
        }
    }
}

pub fn parse_params(raw: Option<&str>) -> Result<Params, BadRequest> {
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
            "match" => {
                p.matching = match value.as_str() {
                    "all" => Some(false),
                    "any" => Some(true),
                    _ => return Err(bad("all or any")),
                }
            }
            "lenient" => p.lenient = matches!(value.as_str(), "true" | "1" | "yes" | "on"),
            "split" => {
                if !SPLITS.iter().any(|(s, _)| *s == value) {
                    let names: Vec<&str> = SPLITS.iter().map(|(s, _)| *s).collect();
                    return Err(bad(&format!("one of {}", names.join(", "))));
                }
                p.split = value;
            }
            "authority" | "year" | "kind" | "framework" | "overall" | "grade" | "area"
            | "theme" => {
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
                    "framework" => p.framework.push(
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
pub fn years(text: &str) -> Option<(u16, u16)> {
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
    pub fn query(&self, lenient: bool, only: Option<(&str, &str)>) -> Query {
        let mut q = match &self.similar {
            Some(id) => Query::similar(id),
            None => Query::new(&self.q),
        };
        q.lenient(lenient)
            .limit(self.limit)
            .offset(self.offset)
            .highlight(crate::html::MARK_START, crate::html::MARK_END);
        if let Some(any) = self.matching {
            let mut ranking = Ranking::default();
            ranking.fallback_below(0);
            q.ranking(ranking)
                .operator(if any { Operator::Any } else { Operator::All });
        }
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
            Some("framework") => {
                if let Ok(f) = value.parse() {
                    q.framework(f);
                }
            }
            _ => self.framework.iter().for_each(|&f| {
                q.framework(f);
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

    pub fn selected(&self, facet: &str, value: &str) -> bool {
        self.filters.iter().any(|(k, v)| k == facet && v == value)
    }

    /// The URL of the search page with `facet=value` added, or removed if it is selected.
    pub fn toggle_url(&self, facet: &str, value: &str) -> String {
        let mut filters = self.filters.clone();
        if self.selected(facet, value) {
            filters.retain(|(k, v)| !(k == facet && v == value));
        } else {
            filters.push((facet.into(), value.into()));
        }
        self.url(&filters, 1, &self.split)
    }

    pub fn page_url(&self, page: usize) -> String {
        self.url(&self.filters, page, &self.split)
    }

    pub fn url(&self, filters: &[(String, String)], page: usize, split: &str) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        match &self.similar {
            Some(id) => s.append_pair("similar", id),
            None => s.append_pair("q", &self.q),
        };
        for (k, v) in filters {
            s.append_pair(k, v);
        }
        // Narrowing keeps the matching set; with no filter left, the search is new again.
        if let (Some(any), false) = (self.matching, filters.is_empty()) {
            s.append_pair("match", if any { "any" } else { "all" });
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
