//! What a search returns: ranked [`Hit`]s, [`FacetCounts`] over the whole matching set, and
//! the [`Citation`] of one paragraph. All serialise with serde.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::{Area, Framework, Grade, Paragraph, ReportKind};

/// The answer to a [`Query`](super::Query).
///
/// Serialises as `{"total", "hits", "facets"}`, the JSON of the `search` example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// How many paragraphs match, in all (not just this page).
    pub total: u64,
    /// The requested page of hits, best first.
    pub hits: Vec<Hit>,
    /// Counts per facet value over every matching paragraph (empty when facets were turned
    /// off with [`Query::facets`](super::Query::facets)).
    pub facets: FacetCounts,
}

/// One ranked paragraph.
///
/// Serialises with the keys `id, score, citation, authority, year, number, section, area,
/// grade, themes, text, snippet`; enums use the spellings of [`crate::model`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The paragraph's stable id, usable with
    /// [`SearchIndex::paragraph`](crate::SearchIndex::paragraph).
    pub id: String,
    /// The paragraph's BM25 relevance to the query's words (tantivy's BM25, k1 = 1.2,
    /// b = 0.75, summed over the words and phrases it matches), with the small
    /// [`Ranking`](crate::Ranking) weights for words in the section heading and words found
    /// exactly as typed. Higher is more relevant; it depends on the index's statistics, so
    /// compare scores within one index (and query) only. 0 when the query has no text (filters
    /// only). No constant is ever added: when a query falls back from all words to any word
    /// (see [`Ranking::fallback_below`](crate::Ranking::fallback_below)), the hits that match
    /// every word are listed first by their order alone, so there a hit can score higher than
    /// one listed above it. Under `Ranking::hybrid` (feature
    /// `semantic`) it is the fused reciprocal-rank score instead, in rank order.
    pub score: f32,
    /// A citation a reader can use to find the words in the published report.
    pub citation: String,
    /// The authority's official name.
    pub authority: String,
    /// The report's year.
    pub year: Option<u16>,
    /// The printed paragraph number, when the source kept it.
    pub number: Option<u32>,
    /// The page of the published report the paragraph starts on, when the source has pages.
    #[serde(default)]
    pub page: Option<u32>,
    /// The heading of the paragraph's section.
    pub section: String,
    /// The judgement area of that section.
    pub area: Option<Area>,
    /// That section's grade.
    pub grade: Option<Grade>,
    /// Theme ids.
    pub themes: Vec<String>,
    /// The paragraph's whole text.
    pub text: String,
    /// The best-matching passage, with query words between the highlight markers (see
    /// [`Query::highlight`](super::Query::highlight)). When nothing is highlighted (filters
    /// only, or no query word in the text) it is the start of the text.
    pub snippet: String,
}

impl Hit {
    pub(crate) fn new(citation: Citation, score: f32, snippet: String) -> Hit {
        let p = citation.paragraph;
        Hit {
            id: p.id,
            score,
            citation: p.citation,
            authority: p.authority,
            year: p.year,
            number: p.number,
            page: p.page,
            section: p.section,
            area: p.area,
            grade: p.grade,
            themes: p.themes,
            text: p.text,
            snippet,
        }
    }
}

/// Everything the index knows about one paragraph: the paragraph as ingested and the report
/// facts a citation or a filter needs.
///
/// Its [`Display`](fmt::Display) is the citation line
/// (`Sheffield City Council, Ofsted inspection of children's services (2014), para 41`, as the
/// chunker wrote it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Citation {
    /// The paragraph, exactly as it was ingested.
    pub paragraph: Paragraph,
    /// The kind of report it comes from.
    pub kind: ReportKind,
    /// That report's inspection framework, when known.
    #[serde(default)]
    pub framework: Option<Framework>,
    /// That report's overall grade.
    pub overall_grade: Option<Grade>,
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.paragraph.citation)
    }
}

/// Number of matching paragraphs per facet value, over the whole matching set.
///
/// Keys are the values' machine spellings (`requires_improvement`, `help_and_protection`,
/// `2014`, theme ids, authority names); values with no match are absent. Paragraphs without
/// a value for a facet (an ungraded section, say) are not counted in that facet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCounts {
    /// Per authority name.
    pub authority: BTreeMap<String, u64>,
    /// Per year (`"2014"`).
    pub year: BTreeMap<String, u64>,
    /// Per section grade.
    pub grade: BTreeMap<String, u64>,
    /// Per theme id (a paragraph with two themes counts in both).
    pub theme: BTreeMap<String, u64>,
    /// Per judgement area.
    pub area: BTreeMap<String, u64>,
    /// Per report kind (`inspection`, `focused_visit`, ...).
    pub kind: BTreeMap<String, u64>,
    /// Per inspection framework of the paragraph's report (`sif`, `ilacs`, `lac`).
    pub framework: BTreeMap<String, u64>,
    /// Per overall grade of the paragraph's report (beside `grade`, its section's grade).
    pub overall_grade: BTreeMap<String, u64>,
    /// Per publication year of the paragraph's report (`"2015"`; `year` is the inspection's).
    pub published_year: BTreeMap<String, u64>,
}

impl FacetCounts {
    /// The names of the facets counted, in the order a results page shows them: each is a
    /// name [`FacetCounts::facet`] knows.
    ///
    /// ```
    /// use ofsted_search::FacetCounts;
    /// let counts = FacetCounts::default();
    /// assert!(FacetCounts::NAMES.iter().all(|name| counts.facet(name).is_some()));
    /// ```
    pub const NAMES: [&'static str; 9] = [
        "authority",
        "year",
        "grade",
        "theme",
        "area",
        "kind",
        "framework",
        "overall_grade",
        "published_year",
    ];

    /// The counts of one facet (`"authority"`, `"year"`, `"grade"`, `"theme"`, `"area"`,
    /// `"kind"`, `"framework"`, `"overall_grade"` or `"published_year"`), or `None` for another
    /// name.
    pub fn facet(&self, name: &str) -> Option<&BTreeMap<String, u64>> {
        match name {
            "authority" => Some(&self.authority),
            "year" => Some(&self.year),
            "grade" => Some(&self.grade),
            "theme" => Some(&self.theme),
            "area" => Some(&self.area),
            "kind" => Some(&self.kind),
            "framework" => Some(&self.framework),
            "overall_grade" => Some(&self.overall_grade),
            "published_year" => Some(&self.published_year),
            _ => None,
        }
    }

    pub(crate) fn facet_mut(&mut self, name: &str) -> Option<&mut BTreeMap<String, u64>> {
        match name {
            "authority" => Some(&mut self.authority),
            "year" => Some(&mut self.year),
            "grade" => Some(&mut self.grade),
            "theme" => Some(&mut self.theme),
            "area" => Some(&mut self.area),
            "kind" => Some(&mut self.kind),
            "framework" => Some(&mut self.framework),
            "overall_grade" => Some(&mut self.overall_grade),
            "published_year" => Some(&mut self.published_year),
            _ => None,
        }
    }

    /// A facet's values, most frequent first (ties in key order).
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use ofsted_search::FacetCounts;
    /// let grades = BTreeMap::from([("good".to_string(), 3), ("inadequate".to_string(), 5)]);
    /// assert_eq!(FacetCounts::ranked(&grades), vec![("inadequate", 5), ("good", 3)]);
    /// ```
    pub fn ranked(counts: &BTreeMap<String, u64>) -> Vec<(&str, u64)> {
        let mut v: Vec<(&str, u64)> = counts.iter().map(|(k, n)| (k.as_str(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }
}
