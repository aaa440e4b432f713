//! Query semantics that serve users: how the words of a query become a ranked search.
//!
//! Seven things happen between the parsed query and the engine, each measured on the judged
//! query set (see `RELEVANCE.md`):
//!
//! 1. **Stop and question words go.** "where did police not attend strategy meetings?"
//!    searches for *police attend strategy meetings*: function words and the words of a
//!    question ("where", "did", "how many", "show me") match almost every paragraph, and
//!    under all-words matching they would be required.
//! 2. **The vocabulary widens each span.** A span of side-by-side words that the
//!    [`Vocabulary`] knows ("CSE", "multiagency", "brothers and sisters") matches the words
//!    typed *or* any other form, each alternative scored like the words typed (a long form's
//!    phrase is scaled down to the span's size, synonyms weigh less), and the best form counts
//!    (a paragraph that writes both "CSE" and "child sexual exploitation" is not counted
//!    twice).
//! 3. **All words, with a fallback.** Under [`Operator::All`] every
//!    span must match; when that finds fewer than [`Ranking::fallback_below`] paragraphs, any
//!    span may match instead and the paragraphs that match every span stay on top.
//! 4. **Section headings count a little.** A word in the paragraph's section heading adds a
//!    fraction of what it adds in the text (to paragraphs that match in their text).
//! 5. **Context blocks weigh less.** A paragraph that describes rather than judges (what the
//!    inspection looked at, local facts, letter prose: [`Paragraph::context`](crate::Paragraph))
//!    scores [`Ranking::context_weight`] times its BM25 score, so findings come first unless
//!    the context block matches much better.
//! 6. **A council named is a preference.** Words that name a council ("Wigan", "North
//!    Yorkshire council") are not required of the text; that council's paragraphs gain a
//!    score instead ([`Ranking::authority_weight`]).
//!
//! 7. **A question asks, it does not list.** Under [`Operator::All`],
//!    a query phrased as a question ("how are allegations against professionals managed?":
//!    it ends with `?` or opens with a question word) joins its words with *any*
//!    ([`Ranking::questions_any_word`]): the words of a question describe the answer loosely,
//!    and requiring every one of them loses the paragraphs that answer it in other words.
//!
//! Quoted phrases, `+`/`-` prefixes and `AND`/`OR`/`NOT` keep their exact meaning: only
//! side-by-side bare words are rewritten.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use tantivy::collector::{Collector, DocSetCollector, TopDocs};
use tantivy::index::SegmentId;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur as TOccur, PhraseQuery,
    Query as TQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, Term};

use crate::index::{pair, Fields, WordWithHeading, ROLE_CONTEXT};
use crate::query::parser::{Node, Occur};
use crate::query::Operator;
use crate::vocab::{words, EntryKind, Vocabulary};

/// Words dropped from side-by-side words: function words, and the words people wrap a
/// question or a request in. Negations are here too: "not" and "no" are in most paragraphs of
/// an inspection report, so requiring them finds nothing more specific.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "for",
    "from",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "me",
    "my",
    "of",
    "on",
    "or",
    "our",
    "she",
    "should",
    "so",
    "some",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "too",
    "us",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "show",
    "find",
    "tell",
    "list",
    "give",
    "paragraph",
    "paragraphs",
    "inspectors",
    "say",
    "said",
    "ofsted",
    "many",
    "much",
    "not",
    "no",
];

/// Words that open a question: an interrogative, or the verb of a yes/no question ("do care
/// leavers know their entitlements", "is the LSCB effective").
const QUESTION_OPENERS: &[&str] = &[
    "how", "what", "which", "who", "whom", "whose", "why", "where", "when", "do", "does", "did",
    "is", "are", "was", "were", "can", "could", "has", "have", "had", "should", "will", "would",
];

/// Whether `text` is phrased as a question: it ends with `?` (closing quotes and brackets
/// aside), or its first word is one of [`QUESTION_OPENERS`].
pub(crate) fn is_question(text: &str) -> bool {
    let trimmed =
        text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | ')' | '\u{201d}'));
    if trimmed.ends_with('?') {
        return true;
    }
    // The first word, when it is a bare word (not a quoted phrase or a `+`/`-` clause), with
    // a leading bracket and trailing punctuation set aside.
    let first = text.trim_start().trim_start_matches('(');
    if !first.starts_with(char::is_alphabetic) {
        return false;
    }
    let first: String = first
        .chars()
        .take_while(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    QUESTION_OPENERS.contains(&first.as_str())
}

/// How ties between a span's forms are broken: the best form's score plus this share of the
/// others'.
const TIE_BREAKER: f32 = 0.5;

/// How query words are interpreted and scored.
///
/// ```
/// use ofsted_search::{Query, Ranking};
/// use ofsted_search::vocab::Vocabulary;
///
/// let mut mine = Vocabulary::builtin();
/// mine.merge(Vocabulary::from_toml_str("[[acronym]]\nshort = \"EDT\"\nlong = [\"emergency duty team\"]\n", "mine")?);
/// let mut ranking = Ranking::default();
/// ranking.vocabulary(Some(mine)).fallback_below(10);
/// let mut query = Query::new("EDT capacity");
/// query.ranking(ranking);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Ranking {
    vocabulary: Option<Arc<Vocabulary>>,
    stop_words: bool,
    fallback_below: usize,
    section_boost: f32,
    exact_boost: f32,
    context_weight: f32,
    authority_weight: f32,
    questions_any_word: bool,
    /// Fuse with the nearest paragraphs by meaning (feature `semantic`).
    hybrid: bool,
    /// How the fusion is done (feature `semantic`).
    fusion: Fusion,
}

/// The settings of hybrid fusion (feature `semantic`): reciprocal rank fusion, where a
/// paragraph at rank `r` (from 1) of the lexical list adds `1 / (k + r)` and at rank `r` of
/// the vector list adds `vector_weight / (k + r)`, each list read `depth` deep.
#[derive(Debug, Clone, Copy)]
struct Fusion {
    k: f32,
    depth: usize,
    vector_weight: f32,
}

// The defaults of hybrid fusion (re-exported as `semantic::RRF_K`, `FUSION_DEPTH` and
// `VECTOR_WEIGHT`): the best setting on the archive set's tuning half (RELEVANCE.md, "Hybrid
// retrieval"), found with plain BM25 as the lexical side.
pub(crate) const FUSION_K: f32 = 30.0;
pub(crate) const FUSION_DEPTH: usize = 100;
pub(crate) const VECTOR_WEIGHT: f32 = 0.5;

impl Default for Fusion {
    fn default() -> Self {
        Fusion {
            k: FUSION_K,
            depth: FUSION_DEPTH,
            vector_weight: VECTOR_WEIGHT,
        }
    }
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            vocabulary: Some(builtin()),
            stop_words: true,
            fallback_below: 20,
            section_boost: 0.3,
            exact_boost: 0.0,
            context_weight: 0.5,
            authority_weight: 1.0,
            questions_any_word: true,
            hybrid: false,
            fusion: Fusion::default(),
        }
    }
}

// Equality compares the vocabulary by content and the heading weight by its bits (the setter
// keeps it a non-negative, non-NaN number), so that `Query` can be `Eq` and `Hash`.
impl PartialEq for Ranking {
    fn eq(&self, other: &Ranking) -> bool {
        self.vocabulary == other.vocabulary
            && self.stop_words == other.stop_words
            && self.fallback_below == other.fallback_below
            && self.section_boost.to_bits() == other.section_boost.to_bits()
            && self.exact_boost.to_bits() == other.exact_boost.to_bits()
            && self.context_weight.to_bits() == other.context_weight.to_bits()
            && self.authority_weight.to_bits() == other.authority_weight.to_bits()
            && self.questions_any_word == other.questions_any_word
            && self.hybrid == other.hybrid
            && self.fusion.k.to_bits() == other.fusion.k.to_bits()
            && self.fusion.depth == other.fusion.depth
            && self.fusion.vector_weight.to_bits() == other.fusion.vector_weight.to_bits()
    }
}

impl Eq for Ranking {}

impl std::hash::Hash for Ranking {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Equal vocabularies have equal sizes, which keeps the hash consistent with `eq`.
        self.vocabulary.as_ref().map(|v| v.len()).hash(state);
        self.stop_words.hash(state);
        self.fallback_below.hash(state);
        self.section_boost.to_bits().hash(state);
        self.exact_boost.to_bits().hash(state);
        self.context_weight.to_bits().hash(state);
        self.authority_weight.to_bits().hash(state);
        self.questions_any_word.hash(state);
        self.hybrid.hash(state);
        self.fusion.k.to_bits().hash(state);
        self.fusion.depth.hash(state);
        self.fusion.vector_weight.to_bits().hash(state);
    }
}

/// The built-in vocabulary, loaded once per process.
fn builtin() -> Arc<Vocabulary> {
    static BUILTIN: OnceLock<Arc<Vocabulary>> = OnceLock::new();
    BUILTIN
        .get_or_init(|| Arc::new(Vocabulary::builtin()))
        .clone()
}

impl Ranking {
    /// Settings that search for exactly the words typed: no stop-word removal, no vocabulary,
    /// no fallback, no heading boost (plain BM25 over stemmed words).
    pub fn plain() -> Ranking {
        Ranking {
            vocabulary: None,
            stop_words: false,
            fallback_below: 0,
            section_boost: 0.0,
            exact_boost: 0.0,
            context_weight: 1.0,
            authority_weight: 0.0,
            questions_any_word: false,
            hybrid: false,
            fusion: Fusion::default(),
        }
    }

    /// Expand spans of the query with this vocabulary; `None` turns expansion off. By default,
    /// [`Vocabulary::builtin`].
    pub fn vocabulary(&mut self, vocabulary: Option<Vocabulary>) -> &mut Ranking {
        self.vocabulary = vocabulary.map(Arc::new);
        self
    }

    /// Drop function words and question words from side-by-side words (never all of them:
    /// a query of stop words only is searched as typed). By default, this is enabled.
    pub fn stop_words(&mut self, yes: bool) -> &mut Ranking {
        self.stop_words = yes;
        self
    }

    /// Under [`Operator::All`], when fewer than `n` paragraphs match
    /// every span (within the filters), match any span instead, keeping the all-span matches
    /// on top. Their scores are left as they are (BM25 of the words they match, see
    /// [`Hit::score`](crate::Hit::score)): the order, not a bonus, puts them first, so a
    /// paragraph matching only some spans can score higher than one above it. Totals and
    /// facet counts then describe the widened set. 0 turns the fallback off. By default, 20.
    pub fn fallback_below(&mut self, n: usize) -> &mut Ranking {
        self.fallback_below = n;
        self
    }

    /// Weight of a word found in the paragraph's section heading, relative to the same word
    /// in the text; 0 (or a negative or NaN weight) turns it off. By default, 0.3.
    pub fn section_boost(&mut self, weight: f32) -> &mut Ranking {
        // Not `max`: it would keep -0.0, whose bits differ from 0.0 (see `PartialEq`).
        self.section_boost = if weight > 0.0 { weight } else { 0.0 };
        self
    }

    /// Weight of a typed word found in the text exactly as typed (lowercased, not stemmed),
    /// relative to the stemmed match; 0 (or a negative or NaN weight) turns it off. It adds
    /// to paragraphs that already match, so that "manager" ranks a paragraph that says
    /// "manager" above one that only says "management" (both stem to *manag*). By default, 0 (off: it did not earn its place on the archive judged set; `RELEVANCE.md`).
    pub fn exact_boost(&mut self, weight: f32) -> &mut Ranking {
        // Not `max`: it would keep -0.0, whose bits differ from 0.0 (see `PartialEq`).
        self.exact_boost = if weight > 0.0 { weight } else { 0.0 };
        self
    }

    /// Score multiplier of context blocks ([`Paragraph::context`](crate::Paragraph): what
    /// the inspection looked at, letter prose) relative to findings; clamped to 0..=1, NaN
    /// is 1. Below 1 a finding outranks a context block that matches about as well, while a
    /// context block that matches much better (the passage a known-item query names) still
    /// ranks. [`Query::findings_only`](crate::Query::findings_only) leaves them out instead.
    /// By default, 0.5 (chosen on the tuning half of the archive judged set: `RELEVANCE.md`);
    /// [`Ranking::plain`] has 1.
    pub fn context_weight(&mut self, weight: f32) -> &mut Ranking {
        self.context_weight = if weight >= 1.0 || weight.is_nan() {
            1.0
        } else if weight > 0.0 {
            weight
        } else {
            0.0
        };
        self
    }

    /// Weight of a council named in the query ("Wigan front door", "Sandwell looked after
    /// children"): the words that name it are no longer required of the text, and every
    /// paragraph of that council's reports gains `weight` times the BM25 idf of "being that
    /// council's" (the score a term found once in each of those paragraphs would add), so its
    /// reports come first without the name having to appear in each paragraph. 0 (or a
    /// negative or NaN weight) turns it off: the name is then words like any other. Council
    /// names that are also common words ("Reading", "Bury") count only when capitalised.
    /// By default, 1; [`Ranking::plain`] has 0.
    pub fn authority_weight(&mut self, weight: f32) -> &mut Ranking {
        // Not `max`: it would keep -0.0, whose bits differ from 0.0 (see `PartialEq`).
        self.authority_weight = if weight > 0.0 { weight } else { 0.0 };
        self
    }

    /// Search a query phrased as a question (it ends with `?`, or opens with a question
    /// word such as "how", "which", "do" or "is") with [`Operator::Any`] where
    /// [`Operator::All`] is asked for: any of its words may match, and paragraphs matching
    /// more of them (and the rarer ones) rank higher. Totals and facet counts then count the
    /// paragraphs matching any word. Queries that are not questions keep all-words matching.
    /// By default, on (it lifted natural-language questions on the archive judged set's
    /// tuning half: `RELEVANCE.md`); [`Ranking::plain`] has it off.
    ///
    /// ```
    /// use ofsted_search::{Operator, Query, Ranking};
    ///
    /// let mut ranking = Ranking::default();
    /// assert_eq!(ranking.operator_for("how are care leavers supported?", Operator::All), Operator::Any);
    /// assert_eq!(ranking.operator_for("care leavers support", Operator::All), Operator::All);
    /// ranking.questions_any_word(false);
    /// assert_eq!(ranking.operator_for("how are care leavers supported?", Operator::All), Operator::All);
    /// let mut query = Query::new("how are care leavers supported?");
    /// query.ranking(ranking);
    /// ```
    pub fn questions_any_word(&mut self, yes: bool) -> &mut Ranking {
        self.questions_any_word = yes;
        self
    }

    /// The operator a query's side-by-side words are joined with under this ranking: the one
    /// asked for, except that a question is searched with [`Operator::Any`] when
    /// [`Ranking::questions_any_word`] is on.
    pub fn operator_for(&self, text: &str, asked: Operator) -> Operator {
        if asked == Operator::All && self.questions_any_word && is_question(text) {
            Operator::Any
        } else {
            asked
        }
    }

    /// The context-block multiplier (see [`Ranking::context_weight`]).
    pub(crate) fn context_multiplier(&self) -> f32 {
        self.context_weight
    }

    /// Hybrid retrieval (feature `semantic`): also rank the paragraphs nearest the query by
    /// meaning, with the index's [`Embedder`](crate::semantic::Embedder), and fuse that list
    /// with the lexical one by reciprocal rank fusion (see [`crate::semantic`]). Searching an
    /// index without an embedder is then an error. By default, off.
    #[cfg(feature = "semantic")]
    pub fn hybrid(&mut self, yes: bool) -> &mut Ranking {
        self.hybrid = yes;
        self
    }

    /// Whether [`Ranking::hybrid`] is on.
    #[cfg(feature = "semantic")]
    pub(crate) fn is_hybrid(&self) -> bool {
        self.hybrid
    }

    /// The `k` of the reciprocal rank fusion of [`Ranking::hybrid`] (feature `semantic`): a
    /// paragraph at rank `r` (from 1) of a list adds `weight / (k + r)`. A smaller `k` gives
    /// the top of each list more say. Values below 1 (or NaN) are taken as 1. By default,
    /// [`RRF_K`](crate::semantic::RRF_K).
    #[cfg(feature = "semantic")]
    pub fn fusion_k(&mut self, k: f32) -> &mut Ranking {
        self.fusion.k = if k >= 1.0 { k } else { 1.0 };
        self
    }

    /// How deep the lexical and the vector lists are read before [`Ranking::hybrid`] fuses
    /// them (at least the page asked for, and at least 1). By default,
    /// [`FUSION_DEPTH`](crate::semantic::FUSION_DEPTH).
    #[cfg(feature = "semantic")]
    pub fn fusion_depth(&mut self, depth: usize) -> &mut Ranking {
        self.fusion.depth = depth.max(1);
        self
    }

    /// The weight of the vector list in [`Ranking::hybrid`]'s fusion, relative to the
    /// lexical list's 1; 0 (or a negative or NaN weight) leaves the lexical order. By
    /// default, [`VECTOR_WEIGHT`](crate::semantic::VECTOR_WEIGHT).
    #[cfg(feature = "semantic")]
    pub fn vector_weight(&mut self, weight: f32) -> &mut Ranking {
        // Not `max`: it would keep -0.0, whose bits differ from 0.0 (see `PartialEq`).
        self.fusion.vector_weight = if weight > 0.0 { weight } else { 0.0 };
        self
    }

    /// The fusion settings: `k`, depth, vector weight.
    #[cfg(feature = "semantic")]
    pub(crate) fn fusion(&self) -> (f32, usize, f32) {
        (self.fusion.k, self.fusion.depth, self.fusion.vector_weight)
    }

    /// The fallback threshold (see [`Ranking::fallback_below`]).
    pub(crate) fn fallback_threshold(&self) -> usize {
        self.fallback_below
    }
}

/// Rewrites side-by-side bare words of a parsed query: stop words out, vocabulary spans in.
/// Every other node is kept as it is.
pub(crate) fn rewrite(node: Node, ranking: &Ranking) -> Node {
    match node {
        Node::Word { .. } => {
            let mut run = vec![(Occur::Must, node)];
            run = rewrite_run(run, ranking);
            match run.len() {
                1 => run.pop().map_or(Node::Bool(Vec::new()), |(_, n)| n),
                _ => Node::Bool(run),
            }
        }
        Node::Bool(children) => {
            let mut out: Vec<(Occur, Node)> = Vec::new();
            let mut run: Vec<(Occur, Node)> = Vec::new();
            for (occur, child) in children {
                let bare = matches!(child, Node::Word { .. }) && occur != Occur::MustNot;
                if bare && run.first().is_none_or(|(o, _)| *o == occur) {
                    run.push((occur, child));
                    continue;
                }
                out.extend(rewrite_run(std::mem::take(&mut run), ranking));
                match child {
                    Node::Word { .. } if bare => run.push((occur, child)),
                    // Groups are rewritten inside; excluded words and phrases stay as typed.
                    Node::Bool(_) => out.push((occur, rewrite(child, ranking))),
                    other => out.push((occur, other)),
                }
            }
            out.extend(rewrite_run(run, ranking));
            Node::Bool(out)
        }
        other => other,
    }
}

/// Rewrites a run of bare words that share one occur.
fn rewrite_run(run: Vec<(Occur, Node)>, ranking: &Ranking) -> Vec<(Occur, Node)> {
    let Some(occur) = run.first().map(|(o, _)| *o) else {
        return run;
    };
    // Each bare word as typed, with the words the vocabulary compares.
    let typed: Vec<(String, Vec<String>)> = run
        .iter()
        .filter_map(|(_, n)| match n {
            Node::Word { text } => Some((text.clone(), words(text))),
            _ => None,
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    let kept: Vec<&(String, Vec<String>)> = if ranking.stop_words {
        let content: Vec<_> = typed
            .iter()
            .filter(|(_, w)| !w.iter().all(|w| STOP_WORDS.contains(&w.as_str())))
            .collect();
        if content.is_empty() {
            typed.iter().collect()
        } else {
            content
        }
    } else {
        typed.iter().collect()
    };
    // Flatten to words, remembering which typed word each came from, so that a span is only
    // used when it covers whole typed words.
    let mut flat: Vec<String> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, (_, w)) in kept.iter().enumerate() {
        for x in w {
            flat.push(x.clone());
            owner.push(i);
        }
    }
    let expansions = match &ranking.vocabulary {
        Some(v) => v.expand(&flat),
        None => Vec::new(),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < kept.len() {
        if ranking.authority_weight > 0.0 {
            if let Some((len, name)) = authority_at(&kept[i..]) {
                let typed_words = kept[i..i + len].iter().map(|(_, w)| w.clone()).collect();
                out.push((
                    Occur::Should,
                    Node::Authority {
                        typed: typed_words,
                        name,
                    },
                ));
                i += len;
                continue;
            }
        }
        let first = owner.iter().position(|&o| o == i).unwrap_or(0);
        let span = expansions.iter().find(|e| {
            e.start() == first && (e.end() == flat.len() || owner[e.end()] != owner[e.end() - 1])
        });
        match span {
            Some(e) => {
                let last = owner[e.end() - 1];
                let typed_words: Vec<Vec<String>> =
                    kept[i..=last].iter().map(|(_, w)| w.clone()).collect();
                let alternatives = e
                    .alternatives()
                    .iter()
                    .map(|a| (a.words().to_vec(), a.kind()))
                    .collect();
                out.push((
                    occur,
                    Node::Alt {
                        typed: typed_words,
                        alternatives,
                    },
                ));
                i = last + 1;
            }
            None => {
                out.push((
                    occur,
                    Node::Alt {
                        typed: vec![kept[i].1.clone()],
                        alternatives: Vec::new(),
                    },
                ));
                i += 1;
            }
        }
    }
    out
}

/// Council names that are also ordinary English words: in a query they name the council only
/// when capitalised.
const COMMON_WORD_COUNCILS: [&str; 2] = ["reading", "bury"];

/// The longest run of typed words (at most four) at the start of `words` that names a
/// council, with the council's official name.
fn authority_at(words: &[&(String, Vec<String>)]) -> Option<(usize, String)> {
    for len in (1..=words.len().min(4)).rev() {
        let span = &words[..len];
        let text: Vec<&str> = span.iter().map(|(t, _)| t.as_str()).collect();
        let Some(a) = crate::ingest::authorities::lookup(&text.join(" ")) else {
            continue;
        };
        // A name that is also a word ("reading") counts only as typed with a capital.
        let capital = text[0].chars().next().is_some_and(char::is_uppercase);
        if !capital && COMMON_WORD_COUNCILS.contains(&a.short_name.to_lowercase().as_str()) {
            continue;
        }
        // `lookup` ignores only the furniture of council names ("council", "city of"), so
        // "Wigan council" is Wigan, and the whole span is the name.
        return Some((len, a.official_name.clone()));
    }
    None
}

/// Compiles a council named in the query: its words in the text (as typed), or, with the
/// council's weight, any paragraph of that council's reports.
pub(crate) fn compile_authority(
    typed: &[Vec<String>],
    name: &str,
    fields: Fields,
    analyzer: &mut TextAnalyzer,
    ranking: &Ranking,
    highlight: &mut Vec<String>,
    stats: &Searcher,
) -> Option<Box<dyn TQuery>> {
    let term = Term::from_field_text(fields.authority, name);
    let docs = doc_count(stats);
    let df = stats.doc_freq(&term).unwrap_or(0).min(docs);
    let mut clauses: Vec<(TOccur, Box<dyn TQuery>)> = Vec::new();
    if let Some(text) = compile_alt(typed, &[], fields, analyzer, ranking, highlight, stats) {
        clauses.push((TOccur::Should, text));
    }
    if df > 0 {
        let bonus = ranking.authority_weight * bm25_idf(df, docs);
        let of_council: Box<dyn TQuery> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
        clauses.push((
            TOccur::Should,
            Box::new(ConstScoreQuery::new(of_council, bonus)),
        ));
    }
    match clauses.len() {
        0 => None,
        1 => clauses.pop().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(clauses))),
    }
}

/// The weight of an alternative of this kind, relative to the words typed.
fn weight(kind: EntryKind) -> f32 {
    match kind {
        EntryKind::Acronym | EntryKind::Variant => 1.0,
        EntryKind::Synonym => 0.5,
    }
}

/// Compiles a rewritten span: the words typed or any alternative, in the text and (weighted
/// by [`Ranking::section_boost`]) in the section heading. Pushes the analysed words to
/// `highlight`. `None` when nothing in it is searchable.
pub(crate) fn compile_alt(
    typed: &[Vec<String>],
    alternatives: &[(Vec<String>, EntryKind)],
    fields: Fields,
    analyzer: &mut TextAnalyzer,
    ranking: &Ranking,
    highlight: &mut Vec<String>,
    stats: &Searcher,
) -> Option<Box<dyn TQuery>> {
    let mut tokens = |ws: &[String]| -> Vec<String> {
        let mut out = Vec::new();
        for w in ws {
            let mut stream = analyzer.token_stream(w);
            while let Some(t) = stream.next() {
                out.push(t.text.clone());
            }
        }
        out
    };
    let typed_tokens: Vec<Vec<String>> = typed.iter().map(|w| tokens(w)).collect();
    let alt_tokens: Vec<(Vec<String>, f32)> = alternatives
        .iter()
        .map(|(w, k)| (tokens(w), weight(*k)))
        .filter(|(t, _)| !t.is_empty())
        .collect();
    for t in typed_tokens.iter().chain(alt_tokens.iter().map(|(t, _)| t)) {
        highlight.extend(t.iter().cloned());
    }
    let size: usize = typed_tokens.iter().map(Vec::len).sum();
    let in_field = |field: Field, pairs: Option<Fields>| -> Option<Box<dyn TQuery>> {
        let mut disjuncts: Vec<Box<dyn TQuery>> = Vec::new();
        // The words typed, each on its own as plain BM25 scores them, so that a span still
        // matches where its words are not side by side.
        let parts: Vec<Box<dyn TQuery>> = typed_tokens
            .iter()
            .filter_map(|t| sequence(field, t, pairs, stats))
            .collect();
        match parts.len() {
            0 => {}
            1 => disjuncts.extend(parts),
            _ => disjuncts.push(Box::new(BooleanQuery::new(
                parts.into_iter().map(|q| (TOccur::Should, q)).collect(),
            ))),
        }
        for (t, w) in &alt_tokens {
            if let Some(q) = sequence(field, t, pairs, stats) {
                // A phrase scores the sum of its words' weights (`sequence` keeps that when it
                // answers it from word pairs): scale it to the span's size.
                let scale = size.max(1) as f32 / t.len() as f32;
                disjuncts.push(Box::new(BoostQuery::new(q, w * scale)));
            }
        }
        match disjuncts.len() {
            0 => None,
            1 => disjuncts.pop(),
            _ => Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
                disjuncts,
                TIE_BREAKER,
            ))),
        }
    };
    // The commonest span, one word with no other form and the heading as its only extra:
    // the same clause as below, with a scorer of concrete types (`index/word_heading.rs`).
    if let ([word], true, true, false) = (
        typed_tokens.as_slice(),
        alt_tokens.is_empty(),
        ranking.section_boost > 0.0,
        ranking.exact_boost > 0.0,
    ) {
        if let [token] = word.as_slice() {
            return Some(Box::new(WordWithHeading::new(
                Term::from_field_text(fields.text, token),
                Term::from_field_text(fields.section, token),
                ranking.section_boost,
            )));
        }
    }
    let text = in_field(fields.text, Some(fields))?;
    // The heading and the exact forms only add to a paragraph that matches in its text: they
    // never make a match on their own, so totals and facet counts stay about the paragraphs'
    // (stemmed) words.
    let mut extras: Vec<(TOccur, Box<dyn TQuery>)> = Vec::new();
    if ranking.section_boost > 0.0 {
        if let Some(section) = in_field(fields.section, None) {
            extras.push((
                TOccur::Should,
                Box::new(BoostQuery::new(section, ranking.section_boost)),
            ));
        }
    }
    // Only for words the vocabulary does not widen: a span with alternatives has forms that
    // count alike, and favouring the one typed would undo that.
    if ranking.exact_boost > 0.0 && alt_tokens.is_empty() {
        if let Some(exact) = exact_forms(typed, fields.text_exact) {
            extras.push((
                TOccur::Should,
                Box::new(BoostQuery::new(exact, ranking.exact_boost)),
            ));
        }
    }
    if extras.is_empty() {
        return Some(text);
    }
    extras.insert(0, (TOccur::Must, text));
    Some(Box::new(BooleanQuery::new(extras)))
}

/// The typed words of a span as unstemmed terms of the exact-form field, any of which may
/// match (the field has no positions, so a word the analyzer splits counts word by word).
fn exact_forms(typed: &[Vec<String>], field: Field) -> Option<Box<dyn TQuery>> {
    let mut analyzer = crate::index::exact_analyzer();
    let mut terms: Vec<(TOccur, Box<dyn TQuery>)> = Vec::new();
    for w in typed.iter().flatten() {
        let mut stream = analyzer.token_stream(w);
        while let Some(t) = stream.next() {
            terms.push((
                TOccur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, &t.text),
                    IndexRecordOption::WithFreqs,
                )),
            ));
        }
    }
    match terms.len() {
        0 => None,
        1 => terms.pop().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(terms))),
    }
}

/// A term query for one token, a phrase for several. In the text (`pairs` given) the phrase
/// is answered from word pairs, as a quoted phrase is (`index::adjacent_words`): two words are
/// one pair term, longer spans are checked only where all their pairs meet, whose postings are
/// far shorter than those of common words like "care" or "leaving". Other fields (`section`)
/// use word positions.
///
/// Answered from pairs, a phrase is still *scored* as a phrase of its words: BM25 gives a
/// phrase the sum of its terms' idf, and a pair is rarer than either of its words, so the pair
/// query is boosted by (sum of the words' idf) / (sum of the pairs' idf), read from `stats`.
/// The match count of a pair equals the phrase's, so the score is the words' phrase score.
fn sequence(
    field: Field,
    tokens: &[String],
    pairs: Option<Fields>,
    stats: &Searcher,
) -> Option<Box<dyn TQuery>> {
    if let Some(fields) = pairs {
        let q = crate::index::adjacent_words(fields, tokens)?;
        if tokens.len() < 2 {
            return Some(q);
        }
        let word_terms: Vec<Term> = tokens
            .iter()
            .map(|t| Term::from_field_text(fields.text, t))
            .collect();
        let pair_terms: Vec<Term> = tokens
            .windows(2)
            .map(|w| Term::from_field_text(fields.pairs, &pair(&w[0], &w[1])))
            .collect();
        let boost = phrase_idf_ratio(stats, &word_terms, &pair_terms);
        return Some(Box::new(BoostQuery::new(q, boost)));
    }
    let term = |t: &str| Term::from_field_text(field, t);
    match tokens.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            term(&tokens[0]),
            IndexRecordOption::WithFreqs,
        ))),
        _ => Some(Box::new(PhraseQuery::new(
            tokens.iter().map(|t| term(t)).collect(),
        ))),
    }
}

/// (sum of the idf of `words`) / (sum of the idf of `pairs`), with tantivy's BM25 idf over the
/// searcher's statistics; 1.0 where the pairs carry no weight (a pair in no document: the
/// query matches nothing anyway) or the statistics cannot be read.
fn phrase_idf_ratio(stats: &Searcher, words: &[Term], pairs: &[Term]) -> f32 {
    let docs = doc_count(stats);
    let idf_sum = |terms: &[Term]| -> Option<f32> {
        let mut sum = 0.0f32;
        for t in terms {
            let df = stats.doc_freq(t).ok()?.min(docs);
            sum += bm25_idf(df, docs);
        }
        Some(sum)
    };
    match (idf_sum(words), idf_sum(pairs)) {
        (Some(w), Some(p)) if p > 0.0 && w.is_finite() => w / p,
        _ => 1.0,
    }
}

/// The number of documents BM25's idf counts against (tantivy's `total_num_docs`: every
/// segment's `max_doc`).
fn doc_count(stats: &Searcher) -> u64 {
    stats
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.max_doc()))
        .sum()
}

/// BM25's idf as tantivy computes it (`query/bm25.rs`).
fn bm25_idf(doc_freq: u64, doc_count: u64) -> f32 {
    let x = ((doc_count - doc_freq) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    (1.0 + x).ln()
}

/// The paragraphs that match every span, when the fallback widened a search to any span.
/// They rank first, in the order of their own scores, and the others follow in theirs: the
/// collector sorts by (matches every span, score), so no constant is added to a visible score.
#[derive(Clone)]
pub(crate) struct AllSpans {
    by_segment: HashMap<SegmentId, HashSet<DocId>>,
}

impl AllSpans {
    /// The paragraphs that `all` (every span, within the filters) matches. Only used when
    /// they are few (below the fallback threshold).
    pub(crate) fn find(searcher: &Searcher, all: &dyn TQuery) -> tantivy::Result<AllSpans> {
        let docs = searcher.search(all, &DocSetCollector)?;
        let mut by_segment: HashMap<SegmentId, HashSet<DocId>> = HashMap::new();
        for addr in docs {
            let segment = searcher.segment_reader(addr.segment_ord).segment_id();
            by_segment.entry(segment).or_default().insert(addr.doc_id);
        }
        Ok(AllSpans { by_segment })
    }

    /// The top `limit` hits after `offset`, all-span matches first, each with its own score.
    pub(crate) fn top_docs(
        self,
        limit: usize,
        offset: usize,
        context_weight: f32,
    ) -> impl Collector<Fruit = Vec<((bool, Score), DocAddress)>> {
        let by_segment = self.by_segment;
        TopDocs::with_limit(limit)
            .and_offset(offset)
            .tweak_score(move |segment: &SegmentReader| {
                let docs = by_segment
                    .get(&segment.segment_id())
                    .cloned()
                    .unwrap_or_default();
                let weight = RoleWeights::of(segment, context_weight);
                move |doc: DocId, score: Score| (docs.contains(&doc), score * weight.of_doc(doc))
            })
    }
}

/// Per segment, the score multiplier of each paragraph: [`Ranking::context_weight`] for
/// context blocks, 1 for findings (read from the `role` fast field).
pub(crate) struct RoleWeights {
    column: Option<(tantivy::columnar::StrColumn, u64)>,
    weight: f32,
}

impl RoleWeights {
    pub(crate) fn of(segment: &SegmentReader, weight: f32) -> RoleWeights {
        let column = if weight < 1.0 {
            segment
                .fast_fields()
                .str("role")
                .ok()
                .flatten()
                .and_then(|c| {
                    let ord = c.dictionary().term_ord(ROLE_CONTEXT).ok().flatten()?;
                    Some((c, ord))
                })
        } else {
            None
        };
        RoleWeights { column, weight }
    }

    pub(crate) fn of_doc(&self, doc: DocId) -> f32 {
        match &self.column {
            Some((column, context)) if column.term_ords(doc).next() == Some(*context) => {
                self.weight
            }
            _ => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(t: &str) -> Node {
        Node::Word { text: t.into() }
    }

    fn typed_of(n: &Node) -> Vec<Vec<Vec<String>>> {
        match n {
            Node::Bool(c) => c
                .iter()
                .filter_map(|(_, n)| match n {
                    Node::Alt { typed, .. } => Some(typed.clone()),
                    _ => None,
                })
                .collect(),
            Node::Alt { typed, .. } => vec![typed.clone()],
            _ => Vec::new(),
        }
    }

    fn all(ws: &[&str]) -> Node {
        Node::Bool(ws.iter().map(|w| (Occur::Must, word(w))).collect())
    }

    #[test]
    fn questions_are_told_from_keywords() {
        for q in [
            "how are allegations against professionals managed?",
            "Which councils use signs of safety",
            "do care leavers know their entitlements",
            "Is the LSCB effective?",
            "care leavers accommodation?",
            "\"staying put\"?",
            "(what happens at the front door?) ",
        ] {
            assert!(is_question(q), "{q}");
        }
        for q in [
            "care leavers accommodation",
            "private fostering",
            "CSE",
            "",
            "   ",
            "\"how are\" children seen",
            "however children are seen",
        ] {
            assert!(!is_question(q), "{q}");
        }
        let d = Ranking::default();
        assert_eq!(d.operator_for("how?", Operator::All), Operator::Any);
        assert_eq!(d.operator_for("police help", Operator::All), Operator::All);
        assert_eq!(d.operator_for("police help", Operator::Any), Operator::Any);
        assert_eq!(
            Ranking::plain().operator_for("how?", Operator::All),
            Operator::All
        );
    }

    #[test]
    fn question_words_and_stop_words_are_dropped() {
        let n = rewrite(
            all(&[
                "where",
                "did",
                "police",
                "not",
                "attend",
                "strategy",
                "meetings?",
            ]),
            &Ranking::default(),
        );
        let kept: Vec<String> = typed_of(&n).into_iter().flatten().flatten().collect();
        assert!(kept.contains(&"police".to_string()));
        assert!(!kept.contains(&"where".to_string()) && !kept.contains(&"did".to_string()));
        assert!(!kept.contains(&"not".to_string()));
    }

    #[test]
    fn a_query_of_stop_words_only_is_kept() {
        let n = rewrite(all(&["who", "is", "it"]), &Ranking::default());
        assert_eq!(typed_of(&n).len(), 3);
    }

    #[test]
    fn vocabulary_spans_become_one_clause() {
        let n = rewrite(
            all(&["child", "sexual", "exploitation", "police"]),
            &Ranking::default(),
        );
        let Node::Bool(children) = &n else {
            panic!("expected a group, got {n:?}")
        };
        assert_eq!(children.len(), 2);
        let Node::Alt {
            typed,
            alternatives,
        } = &children[0].1
        else {
            panic!("expected a span")
        };
        assert_eq!(typed.len(), 3);
        assert!(alternatives.iter().any(|(w, _)| w == &["cse"]));
    }

    #[test]
    fn exclusions_phrases_and_groups_are_left_alone() {
        let phrase = Node::Phrase {
            text: "the edge of care".into(),
            slop: 0,
        };
        let n = Node::Bool(vec![
            (Occur::Must, word("CSE")),
            (Occur::MustNot, word("the")),
            (Occur::Must, phrase.clone()),
        ]);
        let Node::Bool(children) = rewrite(n, &Ranking::default()) else {
            panic!()
        };
        assert!(matches!(children[0].1, Node::Alt { .. }));
        assert_eq!(children[1], (Occur::MustNot, word("the")));
        assert_eq!(children[2], (Occur::Must, phrase));
    }

    #[test]
    fn plain_ranking_rewrites_nothing_but_the_form() {
        let n = rewrite(all(&["where", "CSE"]), &Ranking::plain());
        let typed = typed_of(&n);
        assert_eq!(typed.len(), 2);
        let Node::Bool(children) = n else { panic!() };
        assert!(children
            .iter()
            .all(|(_, c)| matches!(c, Node::Alt { alternatives, .. } if alternatives.is_empty())));
    }

    #[test]
    fn spans_never_split_a_typed_word() {
        // "multi-agency" is one typed word of two index words; "agency" alone has no entry,
        // and the span found must cover the typed word whole.
        let n = rewrite(all(&["multi-agency", "working"]), &Ranking::default());
        let typed = typed_of(&n);
        assert_eq!(
            typed[0],
            vec![vec!["multi".to_string(), "agency".to_string()]]
        );
    }

    /// A phrase answered from word pairs must score as the phrase of its words (BM25 gives a
    /// phrase its words' idf): otherwise a multi-word vocabulary form, whose pair is rarer
    /// than its words, outweighs the words typed (it cost 0.02 nDCG@10 on the judged set).
    #[test]
    fn a_phrase_from_pairs_scores_as_the_phrase_of_its_words() -> crate::Result<()> {
        use tantivy::collector::TopDocs;
        let index = crate::SearchIndex::create_in_ram()?;
        let mut writer = index.writer()?;
        for r in crate::index::fixtures::corpus(6, 40) {
            writer.add_report(&r)?;
        }
        writer.commit()?;
        let searcher = index.searcher();
        let fields = index.fields();
        let text = fields.text;
        let scores = |q: &dyn TQuery| -> Vec<(DocAddress, f32)> {
            let mut v: Vec<(DocAddress, f32)> = searcher
                .search(q, &TopDocs::with_limit(10_000).order_by_score())
                .expect("search")
                .into_iter()
                .map(|(s, a)| (a, s))
                .collect();
            v.sort_by_key(|(a, _)| *a);
            v
        };
        let mut compared = 0;
        for words in [
            &["social", "worker"][..],
            &["strategi", "meet"],
            &["child", "sexual", "exploit"],
        ] {
            let tokens: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            let from_pairs = sequence(text, &tokens, Some(fields), &searcher).expect("query");
            let from_words = sequence(text, &tokens, None, &searcher).expect("query");
            let (a, b) = (scores(from_pairs.as_ref()), scores(from_words.as_ref()));
            assert_eq!(a.len(), b.len(), "{words:?}: same matches");
            for ((da, sa), (db, sb)) in a.iter().zip(&b) {
                assert_eq!(da, db, "{words:?}");
                assert!(
                    (sa - sb).abs() <= 1e-3 * sb.abs().max(1.0),
                    "{words:?}: {sa} vs {sb}"
                );
            }
            compared += a.len();
        }
        assert!(compared > 0, "the fixture corpus has none of the phrases");
        Ok(())
    }

    fn authority_of(n: &Node) -> Vec<String> {
        let children = match n {
            Node::Bool(children) => children.clone(),
            other => vec![(Occur::Must, other.clone())],
        };
        children
            .into_iter()
            .filter_map(|(occur, c)| match c {
                Node::Authority { name, .. } => {
                    assert_eq!(occur, Occur::Should, "a council's name is never required");
                    Some(name)
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_council_named_in_the_query_is_preferred_not_required() {
        let d = Ranking::default();
        let n = rewrite(all(&["Wigan", "front", "door"]), &d);
        assert_eq!(authority_of(&n), ["Wigan Metropolitan Borough Council"]);
        // Longest name first, lowercase typed, council furniture included.
        let n = rewrite(all(&["north", "yorkshire", "council", "fostering"]), &d);
        assert_eq!(authority_of(&n), ["North Yorkshire Council"]);
        // A council whose name is a common word only counts with a capital.
        assert!(authority_of(&rewrite(all(&["reading", "age"]), &d)).is_empty());
        assert_eq!(
            authority_of(&rewrite(all(&["Reading", "adoption"]), &d)).len(),
            1
        );
        // Plain ranking and a zero weight leave the words alone.
        assert!(authority_of(&rewrite(all(&["Wigan", "front"]), &Ranking::plain())).is_empty());
        let mut off = Ranking::default();
        off.authority_weight(0.0);
        assert!(authority_of(&rewrite(all(&["Wigan", "front"]), &off)).is_empty());
        // Words that name no council stay words.
        assert!(authority_of(&rewrite(all(&["children", "missing", "home"]), &d)).is_empty());
    }
}
