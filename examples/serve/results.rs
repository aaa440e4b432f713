//! What a page shows beyond one library search: counts of the facets the library does not
//! count, the chart's per-year series, a paragraph's neighbours. All through the public API.

use std::collections::BTreeMap;

use ofsted_search::{
    Area, Citation, Error, FacetCounts, Framework, Grade, Operator, Query, QueryError, Ranking,
    ReportKind, SearchIndex, SearchResults,
};

use crate::html::words;
use crate::params::{BadRequest, Params};

/// How many authorities the chart shows separately when split by authority.
pub const CHART_AUTHORITIES: usize = 6;

/// A search as the page shows it.
pub struct Outcome {
    pub results: SearchResults,
    /// The strict parser's complaint, when the page fell back to lenient parsing.
    pub repaired: Option<QueryError>,
    /// How the count queries reproduce this search's matching set.
    pub counting: Counting,
    pub kind: BTreeMap<String, u64>,
    pub framework: BTreeMap<String, u64>,
    pub overall: BTreeMap<String, u64>,
}

/// Searches strictly (or leniently when `params.lenient`); for the page (`fallback`), a
/// malformed query is searched again leniently and its error kept to show.
pub fn search(index: &SearchIndex, params: &Params, fallback: bool) -> Result<Outcome, BadRequest> {
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
    let counting = counting(index, params, lenient, results.total)?;
    let kind = value_counts(
        index,
        params,
        counting,
        "kind",
        ReportKind::ALL.iter().map(|k| k.as_str()),
    )?;
    let framework = value_counts(
        index,
        params,
        counting,
        "framework",
        Framework::ALL.iter().map(|f| f.as_str()),
    )?;
    let overall = value_counts(
        index,
        params,
        counting,
        "overall",
        Grade::ALL.iter().map(|g| g.as_str()),
    )?;
    Ok(Outcome {
        results,
        repaired,
        counting,
        kind,
        framework,
        overall,
    })
}

/// Count queries that filter on one more value must count within the same matching set as
/// the search itself. The library's all-words fallback (see `Ranking::fallback_below`) decides
/// per query, so a narrower filter could widen a count query to any-word matching when the
/// search itself did not, or the reverse. Counting therefore turns the fallback off and says
/// which set the search matched: every word, or (when it fell back) any word.
#[derive(Clone, Copy)]
pub struct Counting {
    pub lenient: bool,
    /// The search fell back to any-word matching.
    pub any: bool,
}

impl Counting {
    /// A count-only query (no hits) for `params`, optionally with one facet's filter
    /// replaced by one value.
    pub fn query(self, params: &Params, only: Option<(&str, &str)>) -> Query {
        let mut q = params.query(self.lenient, only);
        let mut ranking = Ranking::default();
        ranking.fallback_below(0);
        q.ranking(ranking)
            .operator(if self.any {
                Operator::Any
            } else {
                Operator::All
            })
            .limit(0)
            .offset(0);
        q
    }
}

/// Whether the search (which matched `total` paragraphs) fell back to any-word matching: the
/// all-words set is a subset of the any-word set, so it did when the all-words count is
/// smaller.
fn counting(
    index: &SearchIndex,
    params: &Params,
    lenient: bool,
    total: u64,
) -> Result<Counting, BadRequest> {
    if let Some(any) = params.matching {
        return Ok(Counting { lenient, any });
    }
    let strict = Counting {
        lenient,
        any: false,
    };
    let mut q = strict.query(params, None);
    q.facets(false);
    let all = index.search(&q).map_err(BadRequest::from_error)?.total;
    Ok(Counting {
        lenient,
        any: all < total,
    })
}

/// Matching paragraphs per value of a facet the library does not count (report kind, overall
/// grade): one count-only query per value, within the current filters.
pub fn value_counts<'a>(
    index: &SearchIndex,
    params: &Params,
    counting: Counting,
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
        let mut q = counting.query(params, Some((facet, value)));
        q.facets(false);
        let n = index.search(&q).map_err(BadRequest::from_error)?.total;
        if n > 0 {
            counts.insert(value.to_string(), n);
        }
    }
    Ok(counts)
}

/// The chart's data: per year (ascending), the count of each series, the last series being
/// the remainder ("no grade", "other authorities") when there is one.
pub struct Chart {
    pub years: Vec<String>,
    pub series: Vec<String>,
    /// Each series' CSS class: a grade's own colour (`g-inadequate`), else one by position.
    pub classes: Vec<String>,
    pub counts: Vec<Vec<u64>>,
}

pub fn chart(index: &SearchIndex, params: &Params, outcome: &Outcome) -> Result<Chart, BadRequest> {
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
        "framework" => Framework::ALL
            .iter()
            .filter(|f| outcome.framework.contains_key(f.as_str()))
            .map(|f| (f.as_str().to_string(), f.as_str().to_uppercase()))
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
        let q = outcome.counting.query(params, Some((split, value)));
        let per_year = index
            .search(&q)
            .map_err(BadRequest::from_error)?
            .facets
            .year;
        for (i, year) in years.iter().enumerate() {
            counts[i].push(per_year.get(year).copied().unwrap_or(0));
        }
    }
    let mut classes: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(j, (value, _))| match split {
            "grade" | "overall" => format!("g-{value}"),
            _ => format!("s{j}"),
        })
        .collect();
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
            "framework" => "framework not known".into(),
            "area" => "no judgement area".into(),
            _ => "no grade".into(),
        });
        classes.push("rest".into());
        for (c, n) in counts.iter_mut().zip(rest) {
            c.push(n);
        }
    }
    Ok(Chart {
        years,
        series,
        classes,
        counts,
    })
}

/// The paragraph with up to two paragraphs either side of it in its report, in report order.
pub fn neighbours(index: &SearchIndex, citation: &Citation) -> Result<Vec<Citation>, Error> {
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
