//! [`Query`]: what to search for, how to filter, and what to return.

use std::ops::RangeInclusive;

use crate::model::{Area, Framework, Grade, ReportKind};
use crate::ranking::Ranking;

/// How words typed side by side combine.
///
/// By default, [`Operator::All`]: a paragraph must contain every word. Users of these reports
/// type a few words that together name a situation ("missing children return home
/// interviews"); with any-word matching, almost every paragraph matches "children", the total
/// and the facet counts stop describing the question, and long paragraphs that repeat one
/// common word crowd the top. All-words keeps the matching set (and so "how many of these are
/// in inadequate sections") about the whole question. Its weakness is recall on long or
/// paraphrased questions: the default [`Ranking`] searches a query phrased as a question with
/// [`Operator::Any`] ([`Ranking::questions_any_word`]); `OR` in the query, or
/// [`Operator::Any`], does the same for any query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Operator {
    /// Every word must match (unless the [`Ranking`] fallback widens a query that finds too
    /// little; see [`Ranking::fallback_below`]).
    #[default]
    All,
    /// Any word may match; more matching words rank higher.
    Any,
}

/// How exactly [`SearchResults::total`](super::SearchResults::total) is counted.
///
/// Counting every match costs a visit (and a score) per match; an application that shows only
/// the top hits can skip that and let the engine skip the blocks of postings that cannot reach
/// the top (block-max WAND). Facet counts are always exact: when they are asked for
/// ([`Query::facets`], on by default) every match is visited anyway and the total is exact too.
///
/// ```
/// use ofsted_search::{Query, Totals};
/// let mut query = Query::new("police");
/// query.facets(false).totals(Totals::AtLeast(1000));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Totals {
    /// Count every match. The default.
    #[default]
    Exact,
    /// Count matches up to `n` and stop: the total is exact when fewer than `n` paragraphs
    /// match, and otherwise a lower bound of at least `n`. `AtLeast(0)` counts nothing beyond
    /// the hits returned. The hits are the same as with [`Totals::Exact`].
    AtLeast(u64),
}

/// A search: free text (or "paragraphs similar to one"), filters, paging and presentation.
///
/// Filters take several values per facet: values of one facet are alternatives (OR), and
/// different facets must all hold (AND). A filter never changes scores.
///
/// The text syntax: words; `"a phrase"` (with `"…"~N`, up to N words may intervene); `AND`,
/// `OR`, `NOT` in capitals; `+word` required, `-word` excluded (also `-"a phrase"` and
/// `-(a group)`); parentheses. `AND` binds tighter than `OR`; side-by-side words are joined by
/// the [`Operator`]. An excluded clause always excludes, also within an `OR` list. Words are
/// matched after English stemming, so `interview` finds `interviews`.
///
/// ```
/// use ofsted_search::{Grade, Query};
/// let mut query = Query::new("\"return home\" interviews -police");
/// query.grade(Grade::Inadequate).grade(Grade::RequiresImprovement).years(2014..=2016).limit(5);
/// assert_eq!(query.text(), "\"return home\" interviews -police");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Query {
    pub(crate) text: String,
    pub(crate) similar_to: Option<String>,
    pub(crate) same_authority: bool,
    pub(crate) operator: Operator,
    pub(crate) lenient: bool,
    pub(crate) authorities: Vec<String>,
    pub(crate) years: Vec<RangeInclusive<u16>>,
    pub(crate) grades: Vec<Grade>,
    pub(crate) themes: Vec<String>,
    pub(crate) areas: Vec<Area>,
    pub(crate) kinds: Vec<ReportKind>,
    pub(crate) overall_grades: Vec<Grade>,
    pub(crate) published_years: Vec<RangeInclusive<u16>>,
    pub(crate) frameworks: Vec<Framework>,
    pub(crate) findings_only: bool,
    pub(crate) per_report: usize,
    pub(crate) limit: usize,
    pub(crate) offset: usize,
    pub(crate) facets: bool,
    pub(crate) totals: Totals,
    pub(crate) snippet_chars: usize,
    pub(crate) highlight: (String, String),
    pub(crate) ranking: Ranking,
}

impl Query {
    /// A query for `text` in the syntax above. An empty (or blank) text matches every
    /// paragraph, so filters alone can browse the index.
    pub fn new(text: &str) -> Query {
        Query {
            text: text.to_string(),
            similar_to: None,
            same_authority: false,
            operator: Operator::All,
            lenient: false,
            authorities: Vec::new(),
            years: Vec::new(),
            grades: Vec::new(),
            themes: Vec::new(),
            areas: Vec::new(),
            kinds: Vec::new(),
            overall_grades: Vec::new(),
            published_years: Vec::new(),
            frameworks: Vec::new(),
            findings_only: false,
            per_report: 0,
            limit: 10,
            offset: 0,
            facets: true,
            totals: Totals::Exact,
            snippet_chars: 200,
            highlight: ("**".into(), "**".into()),
            ranking: Ranking::default(),
        }
    }

    /// Every paragraph (narrow it with filters).
    pub fn all() -> Query {
        Query::new("")
    }

    /// Paragraphs like the one with id `paragraph_id` ("more like this"): its most telling
    /// words, weighted by how rare they are, make the query. The paragraph itself is never a
    /// hit, nor, by default, any paragraph of the same authority (see
    /// [`Query::same_authority`]). Filters and paging apply as usual.
    pub fn similar(paragraph_id: &str) -> Query {
        let mut q = Query::new("");
        q.similar_to = Some(paragraph_id.to_string());
        q
    }

    /// The query text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How side-by-side words are interpreted and scored: stop words, vocabulary expansion,
    /// the all-words fallback, the heading boost. By default, [`Ranking::default`].
    pub fn ranking(&mut self, ranking: Ranking) -> &mut Query {
        self.ranking = ranking;
        self
    }

    /// Join side-by-side words with `operator`. By default, [`Operator::All`].
    pub fn operator(&mut self, operator: Operator) -> &mut Query {
        self.operator = operator;
        self
    }

    /// Accept any text without error: unbalanced quotes and parentheses are repaired and
    /// dangling operators dropped, so raw user input can be passed through. By default, this
    /// is disabled and malformed syntax is an [`Error::Query`](crate::Error::Query) with its
    /// position.
    pub fn lenient(&mut self, yes: bool) -> &mut Query {
        self.lenient = yes;
        self
    }

    /// For [`Query::similar`]: also return paragraphs of the source paragraph's own authority.
    /// By default, this is disabled: similar paragraphs come from other authorities.
    pub fn same_authority(&mut self, yes: bool) -> &mut Query {
        self.same_authority = yes;
        self
    }

    /// Only paragraphs of this authority (its official name, exactly as indexed). Repeat for
    /// several.
    pub fn authority(&mut self, name: &str) -> &mut Query {
        self.authorities.push(name.to_string());
        self
    }

    /// Only paragraphs of reports of this year. Repeat (or mix with [`Query::years`]) for
    /// several.
    pub fn year(&mut self, year: u16) -> &mut Query {
        self.years.push(year..=year);
        self
    }

    /// Only paragraphs of reports of these years, inclusive (`2014..=2016`).
    pub fn years(&mut self, years: RangeInclusive<u16>) -> &mut Query {
        self.years.push(years);
        self
    }

    /// Only paragraphs in sections of this grade. Repeat for several.
    pub fn grade(&mut self, grade: Grade) -> &mut Query {
        self.grades.push(grade);
        self
    }

    /// Only paragraphs tagged with this theme id. Repeat for several (any of them).
    pub fn theme(&mut self, theme: &str) -> &mut Query {
        self.themes.push(theme.to_string());
        self
    }

    /// Only paragraphs in sections of this judgement area. Repeat for several.
    pub fn area(&mut self, area: Area) -> &mut Query {
        self.areas.push(area);
        self
    }

    /// Only paragraphs of reports of this kind. Repeat for several.
    pub fn kind(&mut self, kind: ReportKind) -> &mut Query {
        self.kinds.push(kind);
        self
    }

    /// Only paragraphs of reports with this overall grade. Repeat for several.
    pub fn overall_grade(&mut self, grade: Grade) -> &mut Query {
        self.overall_grades.push(grade);
        self
    }

    /// Only paragraphs of reports published in this year (which can differ from the
    /// inspection's year that [`Query::year`] filters on: an inspection in December 2022 may be
    /// published in 2023). Repeat (or mix with [`Query::published_years`]) for several.
    ///
    /// ```
    /// use ofsted_search::{Query, ReportKind};
    /// let mut q = Query::new("care leavers");
    /// q.kind(ReportKind::FocusedVisit).published_years(2021..=2023);
    /// ```
    pub fn published_year(&mut self, year: u16) -> &mut Query {
        self.published_years.push(year..=year);
        self
    }

    /// Only paragraphs of reports published in these years, inclusive (`2021..=2023`).
    pub fn published_years(&mut self, years: RangeInclusive<u16>) -> &mut Query {
        self.published_years.push(years);
        self
    }

    /// Only paragraphs of reports that follow this inspection framework. Repeat for several.
    pub fn framework(&mut self, framework: Framework) -> &mut Query {
        self.frameworks.push(framework);
        self
    }

    /// Leave out blocks that describe the inspection rather than report findings (the
    /// local-area facts, the inspection team; see [`Paragraph::context`](crate::Paragraph::context)).
    /// By default, this is disabled: every paragraph can match.
    pub fn findings_only(&mut self, yes: bool) -> &mut Query {
        self.findings_only = yes;
        self
    }

    /// Show at most `k` paragraphs of any one report, so that a question asked across
    /// reports ("which councils use unregistered children's homes?") shows the spread of
    /// reports instead of one report's paragraphs filling the page. Hits keep their rank
    /// order; a report's paragraphs beyond its first `k` are skipped, and paging counts the
    /// hits that are shown. [`SearchResults::total`](crate::SearchResults::total) and the
    /// facet counts still cover every matching paragraph. By default, 0: no cap.
    ///
    /// ```
    /// use ofsted_search::Query;
    /// let mut q = Query::new("which councils use unregistered children's homes?");
    /// q.per_report(1).limit(10);
    /// ```
    pub fn per_report(&mut self, k: usize) -> &mut Query {
        self.per_report = k;
        self
    }

    /// Return at most `n` hits. By default, 10. With 0, only the total and facet counts are
    /// computed.
    pub fn limit(&mut self, n: usize) -> &mut Query {
        self.limit = n;
        self
    }

    /// Skip the first `n` hits (for paging). By default, 0.
    pub fn offset(&mut self, n: usize) -> &mut Query {
        self.offset = n;
        self
    }

    /// Count facet values over the whole matching set. By default, enabled; disable it when
    /// only hits are needed, since counting visits every match.
    pub fn facets(&mut self, yes: bool) -> &mut Query {
        self.facets = yes;
        self
    }

    /// How exactly to count the total (see [`Totals`]). By default, [`Totals::Exact`]. Only
    /// takes effect with facets off ([`Query::facets`]), since facet counts visit every match.
    pub fn totals(&mut self, totals: Totals) -> &mut Query {
        self.totals = totals;
        self
    }

    /// Snippets of at most about `n` characters. By default, 200.
    pub fn snippet_chars(&mut self, n: usize) -> &mut Query {
        self.snippet_chars = n;
        self
    }

    /// Surround matched words in snippets with `before` and `after`. By default, `**` and
    /// `**` (Markdown bold: readable as plain text, rendered by Markdown viewers; the
    /// normaliser removes `**` from report text, so the markers are unambiguous).
    pub fn highlight(&mut self, before: &str, after: &str) -> &mut Query {
        self.highlight = (before.to_string(), after.to_string());
        self
    }
}

impl Default for Query {
    fn default() -> Query {
        Query::all()
    }
}
