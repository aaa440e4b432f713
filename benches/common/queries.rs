//! The query classes of issue 5 and a fixed, deterministic set of queries for each, shared by
//! the crate's engine and the SQLite FTS5 baseline so both answer exactly the same questions.

use ofsted_search::Grade;

/// A class of query whose latency is measured separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// One word.
    Term,
    /// Two words, both required.
    AllTwo,
    /// Two words, either suffices.
    AnyTwo,
    /// A two-word phrase.
    Phrase2,
    /// A three-word phrase.
    Phrase3,
    /// One word, filtered by section grade.
    TermGrade,
    /// One word, filtered by a range of years.
    TermYears,
    /// One word, filtered by theme.
    TermTheme,
    /// The results page: top 10, total, facet counts for authority, year, grade and theme,
    /// snippets and citations.
    Page,
    /// Paragraphs similar to a given one.
    Similar,
}

impl Class {
    /// Every class, in report order.
    pub const ALL: &'static [Class] = &[
        Class::Term,
        Class::AllTwo,
        Class::AnyTwo,
        Class::Phrase2,
        Class::Phrase3,
        Class::TermGrade,
        Class::TermYears,
        Class::TermTheme,
        Class::Page,
        Class::Similar,
    ];

    /// A short name for bench ids and tables.
    pub fn name(self) -> &'static str {
        match self {
            Class::Term => "term",
            Class::AllTwo => "two_terms_all",
            Class::AnyTwo => "two_terms_any",
            Class::Phrase2 => "phrase_2",
            Class::Phrase3 => "phrase_3",
            Class::TermGrade => "term_grade",
            Class::TermYears => "term_year_range",
            Class::TermTheme => "term_theme",
            Class::Page => "results_page",
            Class::Similar => "similar",
        }
    }
}

/// One query, engine-neutral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Its class.
    pub class: Class,
    /// The words (for phrases, in order). Empty for [`Class::Similar`].
    pub words: Vec<&'static str>,
    /// Section grade filter.
    pub grade: Option<Grade>,
    /// Inclusive year range filter.
    pub years: Option<(u16, u16)>,
    /// Theme filter (a theme id present in the data).
    pub theme: Option<String>,
    /// For [`Class::Similar`]: the paragraph id and its text.
    pub like: Option<(String, String)>,
}

impl Spec {
    fn new(class: Class, words: &[&'static str]) -> Spec {
        Spec {
            class,
            words: words.to_vec(),
            grade: None,
            years: None,
            theme: None,
            like: None,
        }
    }
}

/// Single words, from rare to very common in the bundled reports.
const TERMS: &[&str] = &[
    "exploitation",
    "adoption",
    "supervision",
    "homeless",
    "police",
    "caseloads",
    "neglect",
    "permanence",
];

/// Word pairs (both for "all" and "any").
const PAIRS: &[[&str; 2]] = &[
    ["strategy", "police"],
    ["missing", "exploitation"],
    ["foster", "carers"],
    ["management", "oversight"],
    ["early", "help"],
    ["domestic", "abuse"],
    ["social", "workers"],
    ["pathway", "plans"],
];

const PHRASES2: &[[&str; 2]] = &[
    ["care", "leavers"],
    ["strategy", "discussions"],
    ["management", "oversight"],
    ["early", "help"],
    ["domestic", "abuse"],
    ["pathway", "plans"],
    ["foster", "carers"],
    ["private", "fostering"],
];

const PHRASES3: &[[&str; 3]] = &[
    ["return", "home", "interviews"],
    ["looked", "after", "children"],
    ["independent", "reviewing", "officers"],
    ["child", "protection", "plans"],
    ["child", "sexual", "exploitation"],
    ["corporate", "parenting", "board"],
    ["the", "local", "authority"],
    ["at", "risk", "of"],
];

const GRADES: &[Grade] = &[
    Grade::Inadequate,
    Grade::Good,
    Grade::RequiresImprovement,
    Grade::Outstanding,
];

const YEAR_RANGES: &[(u16, u16)] = &[(2014, 2017), (2019, 2022), (2013, 2013), (2020, 2025)];

/// Free-text queries of the results page (every word required, the crate's default).
const PAGE_QUERIES: &[&[&str]] = &[
    &["missing", "children", "exploitation"],
    &["strategy", "discussions", "police"],
    &["care", "leavers", "accommodation"],
    &["management", "oversight", "supervision"],
];

/// The queries of every class. `themes` are theme ids present in the data (most frequent
/// first); `like` are (id, text) of paragraphs to find similar ones for.
pub fn query_set(themes: &[String], like: &[(String, String)]) -> Vec<Spec> {
    let mut out = Vec::new();
    out.extend(TERMS.iter().map(|t| Spec::new(Class::Term, &[t])));
    out.extend(PAIRS.iter().map(|p| Spec::new(Class::AllTwo, p)));
    out.extend(PAIRS.iter().map(|p| Spec::new(Class::AnyTwo, p)));
    out.extend(PHRASES2.iter().map(|p| Spec::new(Class::Phrase2, p)));
    out.extend(PHRASES3.iter().map(|p| Spec::new(Class::Phrase3, p)));
    for (i, t) in TERMS.iter().enumerate() {
        let mut s = Spec::new(Class::TermGrade, &[t]);
        s.grade = Some(GRADES[i % GRADES.len()]);
        out.push(s);
        let mut s = Spec::new(Class::TermYears, &[t]);
        s.years = Some(YEAR_RANGES[i % YEAR_RANGES.len()]);
        out.push(s);
        if !themes.is_empty() {
            let mut s = Spec::new(Class::TermTheme, &[t]);
            s.theme = Some(themes[i % themes.len().min(4)].clone());
            out.push(s);
        }
    }
    out.extend(PAGE_QUERIES.iter().map(|q| Spec::new(Class::Page, q)));
    for l in like {
        let mut s = Spec::new(Class::Similar, &[]);
        s.like = Some(l.clone());
        out.push(s);
    }
    out
}
