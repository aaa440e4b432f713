//! Theme tagging: a taxonomy of children's social care topics applied by transparent rules.
//!
//! A [`Taxonomy`] is a list of [`ThemeDef`]s, each with three kinds of rule:
//!
//! - **terms**: single words, matched after lowercasing and English Snowball stemming, so the
//!   term `assessment` also matches "assessments" and "assessed";
//! - **phrases**: several words, matched as a sequence of stemmed words; the forms that PDF
//!   conversion leaves behind also match: "multiagency safeguarding hub" for the phrase
//!   `multi-agency safeguarding hub` (any two neighbouring words fused) and the fully fused
//!   word;
//! - **acronyms**: case-sensitive whole words, with an optional plural `s` (`CSE` matches "CSE"
//!   and "CSEs", never "cse").
//!
//! Before matching, apostrophes inside words are dropped ("children's" and the damaged
//! "childrens" read the same) and `&` reads as "and".
//!
//! # Scoring
//!
//! For each theme, a paragraph scores **2** for each distinct phrase or acronym found, **1** for
//! each distinct term found and **1 more** for a term that occurs twice or more. The theme
//! applies when the score reaches the taxonomy's threshold (2 in the default taxonomy: one
//! phrase or acronym, two different terms, or one term used twice), or the theme's own
//! threshold where it sets one (the default taxonomy's `neglect` does: 1, since the word
//! itself is decisive). The paragraph's section
//! heading is weak evidence: if any of the theme's rules match the heading, the score gains 1,
//! but only when the paragraph itself scored at least 1, so a heading alone never tags a
//! paragraph. [`Taxonomy::explain`] shows the rules behind each score.
//!
//! # The default taxonomy
//!
//! [`Taxonomy::default`] holds 21 topics (early help, front door, child protection,
//! exploitation, missing children, domestic abuse, neglect, disabled children, private
//! fostering, allegations, assessment and planning, voice of the child, management oversight,
//! workforce, placements, permanence and adoption, education, health, care leavers, governance
//! and partnership, performance and quality assurance). It is written in the same format a user
//! supplies; see [`Taxonomy::DEFAULT_TOML`].
//!
//! ```
//! use ofsted_search::ingest::Taxonomy;
//! let taxonomy = Taxonomy::default();
//! let tags = taxonomy.tag("The adoption panel is well chaired and adopters are well prepared.", "");
//! assert_eq!(tags, ["permanence-adoption"]);
//! ```

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

use crate::datafile::{self, Format};
use crate::error::{Error, Result};

/// One theme: its id, what it means and the rules that assign it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeDef {
    /// Stable kebab-case id (`a-z`, `0-9` and `-`), e.g. `care-leavers`.
    pub id: String,
    /// Short human-readable name, e.g. "Care leavers".
    pub label: String,
    /// One line saying what the theme covers.
    #[serde(default)]
    pub description: String,
    /// Single words matched after lowercasing and stemming.
    #[serde(default)]
    pub terms: Vec<String>,
    /// Multi-word phrases matched as stemmed word sequences (and in fused forms).
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Case-sensitive whole-word acronyms (an `s` plural also matches).
    #[serde(default)]
    pub acronyms: Vec<String>,
    /// This theme's own threshold, for a theme whose single term is decisive (e.g. `1` for
    /// neglect); by default, the taxonomy's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<u32>,
}

/// The file format of a taxonomy (TOML or JSON).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyFile {
    #[serde(default = "default_threshold")]
    threshold: u32,
    themes: Vec<ThemeDef>,
}

fn default_threshold() -> u32 {
    2
}

/// How one theme scored on a paragraph, with the rules that matched; see [`Taxonomy::explain`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeScore {
    /// The theme's id.
    pub id: String,
    /// The score, heading evidence included.
    pub score: u32,
    /// Whether the theme applies (the score reached the threshold).
    pub applies: bool,
    /// The rules that matched, e.g. `phrase "early help"`, `term "referral" (x2)`,
    /// `acronym "MASH"`, `section heading`.
    pub evidence: Vec<String>,
}

/// A set of themes and the rules that assign them.
///
/// Build one with [`Taxonomy::default`] (the bundled taxonomy) or load your own with
/// [`Taxonomy::from_path`], [`Taxonomy::from_toml_str`] or [`Taxonomy::from_json_str`].
///
/// ```
/// use ofsted_search::ingest::Taxonomy;
/// let toml = r#"
/// [[themes]]
/// id = "housing"
/// label = "Housing"
/// description = "Where families and care leavers live."
/// terms = ["housing", "homeless", "tenancy"]
/// phrases = ["bed and breakfast"]
/// "#;
/// let taxonomy = Taxonomy::from_toml_str(toml, "housing.toml")?;
/// assert_eq!(taxonomy.tag("Two care leavers were placed in bed and breakfast.", ""), ["housing"]);
/// assert!(taxonomy.tag("Homelessness is rare.", "").is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Taxonomy {
    themes: Vec<ThemeDef>,
    threshold: u32,
    /// Shared, so cloning a taxonomy (as every `Ingester::new` does) does not copy the rules.
    matcher: Arc<Matcher>,
}

impl Default for Taxonomy {
    /// The bundled taxonomy of 21 children's social care topics ([`Taxonomy::DEFAULT_TOML`]).
    fn default() -> Self {
        static DEFAULT: OnceLock<Taxonomy> = OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                Taxonomy::from_toml_str(Taxonomy::DEFAULT_TOML, "themes.toml (bundled)")
                    .expect("the bundled taxonomy is valid; a unit test loads it")
            })
            .clone()
    }
}

impl Taxonomy {
    /// The bundled default taxonomy, in the TOML format [`Taxonomy::from_toml_str`] reads. It
    /// documents the format in its header comment.
    pub const DEFAULT_TOML: &'static str = include_str!("themes.toml");

    /// Reads a taxonomy from TOML; `input` names it in errors.
    ///
    /// The document has an optional `threshold` (a positive integer, by default 2) and an
    /// array of `[[themes]]` tables with the fields of [`ThemeDef`].
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming `input` and the place: `line N` for syntax errors and unknown
    /// fields, `theme 'id'` (or `theme N`, counting from 1) for invalid themes: a bad or
    /// duplicate id, an empty label, no rules, a term of several words, a phrase of one word,
    /// an acronym that is not one word.
    pub fn from_toml_str(text: &str, input: &str) -> Result<Taxonomy> {
        let file: TaxonomyFile = toml::from_str(text).map_err(|e| {
            let location = match e.span() {
                Some(span) => format!("line {}", line_of(text, span.start)),
                None => "document".to_string(),
            };
            Error::Config {
                input: input.to_string(),
                location,
                message: e.message().trim().to_string(),
            }
        })?;
        Taxonomy::from_file(file, input)
    }

    /// Reads a taxonomy from JSON: `{"threshold": 2, "themes": [{"id": …}, …]}`.
    ///
    /// # Errors
    ///
    /// As [`Taxonomy::from_toml_str`].
    pub fn from_json_str(text: &str, input: &str) -> Result<Taxonomy> {
        let file: TaxonomyFile = serde_json::from_str(text).map_err(|e| Error::Config {
            input: input.to_string(),
            location: format!("line {}, column {}", e.line(), e.column()),
            message: e.to_string(),
        })?;
        Taxonomy::from_file(file, input)
    }

    /// Reads a taxonomy file, TOML or JSON by its extension (`.toml`, `.json`).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read, [`Error::Config`] for another extension,
    /// and the errors of [`Taxonomy::from_toml_str`].
    pub fn from_path(path: impl AsRef<Path>) -> Result<Taxonomy> {
        let path = path.as_ref();
        let extension_error = || Error::Config {
            input: path.display().to_string(),
            location: "file name".into(),
            message: "a taxonomy file must end in .toml or .json".into(),
        };
        // The extension is checked before reading, so a wrong name is reported as such.
        let known = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("toml") || e.eq_ignore_ascii_case("json"));
        if !known {
            return Err(extension_error());
        }
        let (text, input, format) = datafile::read(path, "cannot read taxonomy")?;
        match format {
            Format::Toml => Taxonomy::from_toml_str(&text, &input),
            Format::Json => Taxonomy::from_json_str(&text, &input),
            Format::Other => Err(extension_error()),
        }
    }

    /// Builds a taxonomy from theme definitions and a threshold.
    ///
    /// # Errors
    ///
    /// As [`Taxonomy::from_toml_str`], with `input` naming the source.
    pub fn from_themes(themes: Vec<ThemeDef>, threshold: u32, input: &str) -> Result<Taxonomy> {
        Taxonomy::from_file(TaxonomyFile { threshold, themes }, input)
    }

    fn from_file(file: TaxonomyFile, input: &str) -> Result<Taxonomy> {
        let error = |location: String, message: String| Error::Config {
            input: input.to_string(),
            location,
            message,
        };
        if file.threshold == 0 {
            return Err(error(
                "threshold".into(),
                "the threshold must be at least 1".into(),
            ));
        }
        if file.themes.is_empty() {
            return Err(error("themes".into(), "the taxonomy has no themes".into()));
        }
        if file.themes.len() > usize::from(u16::MAX) {
            return Err(error("themes".into(), "too many themes".into()));
        }
        let mut seen = HashMap::new();
        for (i, theme) in file.themes.iter().enumerate() {
            let location = if theme.id.is_empty() {
                format!("theme {}", i + 1)
            } else {
                format!("theme '{}'", theme.id)
            };
            validate_theme(theme).map_err(|message| error(location.clone(), message))?;
            if let Some(first) = seen.insert(theme.id.as_str(), i + 1) {
                return Err(error(
                    location,
                    format!("duplicate id: theme {first} has the same id"),
                ));
            }
        }
        let matcher = Arc::new(Matcher::build(&file.themes));
        Ok(Taxonomy {
            themes: file.themes,
            threshold: file.threshold,
            matcher,
        })
    }

    /// The themes, in the order they were defined.
    pub fn themes(&self) -> &[ThemeDef] {
        &self.themes
    }

    /// The theme with this id, if there is one.
    pub fn theme(&self, id: &str) -> Option<&ThemeDef> {
        self.themes.iter().find(|t| t.id == id)
    }

    /// The score a theme needs to apply unless it sets its own ([`ThemeDef::threshold`]);
    /// see the [module docs](self) for scoring.
    pub fn threshold(&self) -> u32 {
        self.threshold
    }

    fn threshold_of(&self, theme: usize) -> u32 {
        self.themes[theme].threshold.unwrap_or(self.threshold)
    }

    /// The taxonomy as TOML, in the format [`Taxonomy::from_toml_str`] reads.
    pub fn to_toml(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            threshold: u32,
            themes: &'a [ThemeDef],
        }
        toml::to_string(&Out {
            threshold: self.threshold,
            themes: &self.themes,
        })
        .unwrap_or_default()
    }

    /// The theme ids that apply to a paragraph's `text` (and its `section` heading), sorted and
    /// unique.
    pub fn tag(&self, text: &str, section: &str) -> Vec<String> {
        let scores = self.scores(text, section, None);
        let mut ids: Vec<String> = scores
            .iter()
            .enumerate()
            .filter(|(i, s)| **s >= self.threshold_of(*i))
            .map(|(i, _)| self.themes[i].id.clone())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Every theme with a non-zero score on this paragraph, with the rules that matched, in
    /// taxonomy order. Use it to see why a paragraph was (or was not) tagged.
    pub fn explain(&self, text: &str, section: &str) -> Vec<ThemeScore> {
        let mut evidence = vec![Vec::new(); self.themes.len()];
        let scores = self.scores(text, section, Some(&mut evidence));
        scores
            .into_iter()
            .zip(evidence)
            .enumerate()
            .filter(|(_, (score, _))| *score > 0)
            .map(|(i, (score, evidence))| ThemeScore {
                id: self.themes[i].id.clone(),
                score,
                applies: score >= self.threshold_of(i),
                evidence,
            })
            .collect()
    }

    /// Scores every theme; fills `evidence` (one list per theme) when asked.
    fn scores(
        &self,
        text: &str,
        section: &str,
        mut evidence: Option<&mut Vec<Vec<String>>>,
    ) -> Vec<u32> {
        let mut hits = self.matcher.hits(text);
        let mut scores = vec![0u32; self.themes.len()];
        // Sorting groups repeated hits of one rule, so a rule scores once and a repeated term
        // earns its bonus once.
        hits.sort_unstable();
        let mut i = 0;
        while i < hits.len() {
            let hit = hits[i];
            let mut n = 1;
            while i + n < hits.len() && hits[i + n] == hit {
                n += 1;
            }
            i += n;
            let theme = usize::from(hit.theme);
            let def = &self.themes[theme];
            let (points, name, rule) = match hit.kind {
                RuleKind::Term => (
                    if n > 1 { 2 } else { 1 },
                    "term",
                    &def.terms[usize::from(hit.rule)],
                ),
                RuleKind::Phrase => (2, "phrase", &def.phrases[usize::from(hit.rule)]),
                RuleKind::Acronym => (2, "acronym", &def.acronyms[usize::from(hit.rule)]),
            };
            scores[theme] += points;
            if let Some(evidence) = evidence.as_deref_mut() {
                let times = if n > 1 {
                    format!(" (x{n})")
                } else {
                    String::new()
                };
                evidence[theme].push(format!("{name} \"{rule}\"{times}"));
            }
        }
        if !section.trim().is_empty() && scores.iter().any(|s| *s > 0) {
            let mut heading = self.matcher.hits(section);
            heading.sort_unstable_by_key(|h| h.theme);
            heading.dedup_by_key(|h| h.theme);
            for hit in heading {
                let theme = usize::from(hit.theme);
                if scores[theme] > 0 {
                    scores[theme] += 1;
                    if let Some(evidence) = evidence.as_deref_mut() {
                        evidence[theme].push("section heading".to_string());
                    }
                }
            }
        }
        scores
    }
}

/// Checks one theme definition; the message says what to fix.
fn validate_theme(theme: &ThemeDef) -> std::result::Result<(), String> {
    let id = &theme.id;
    if id.is_empty() {
        return Err("the id is empty".into());
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        || id.starts_with('-')
        || id.ends_with('-')
        || id.contains("--")
    {
        return Err(format!(
            "bad id '{id}': use lowercase letters, digits and single hyphens (kebab-case)"
        ));
    }
    if theme.threshold == Some(0) {
        return Err("the threshold must be at least 1".into());
    }
    if theme.label.trim().is_empty() {
        return Err("the label is empty".into());
    }
    if theme.terms.is_empty() && theme.phrases.is_empty() && theme.acronyms.is_empty() {
        return Err("no rules: give at least one of terms, phrases, acronyms".into());
    }
    if theme.terms.len() + theme.phrases.len() + theme.acronyms.len() > usize::from(u16::MAX) {
        return Err("too many rules".into());
    }
    for term in &theme.terms {
        match word_count(term) {
            0 => return Err(format!("term \"{term}\" has no word in it")),
            1 => {}
            _ => {
                return Err(format!(
                    "term \"{term}\" has several words; make it a phrase"
                ))
            }
        }
    }
    for phrase in &theme.phrases {
        if word_count(phrase) < 2 {
            return Err(format!(
                "phrase \"{phrase}\" has fewer than two words; make it a term"
            ));
        }
    }
    for acronym in &theme.acronyms {
        if word_count(acronym) != 1 || !acronym.chars().all(char::is_alphanumeric) {
            return Err(format!(
                "acronym \"{acronym}\" must be one word of letters and digits"
            ));
        }
    }
    Ok(())
}

fn word_count(text: &str) -> usize {
    let mut n = 0;
    for_each_word(text, |_, _| n += 1);
    n
}

fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Calls `f(word, byte_offset)` for each word of `text`, in order.
///
/// A word is a run of alphanumeric characters; apostrophes inside it are dropped (so
/// "children's", "children’s" and "childrens" give the same word), and a lone `&` is the word
/// "and". Everything else (spaces, hyphens, punctuation) separates words. The word keeps its
/// case; the offset is where it starts in `text`.
pub(crate) fn for_each_word(text: &str, mut f: impl FnMut(&str, usize)) {
    let mut buf = String::new();
    let mut start: Option<usize> = None;
    // Whether the current word had an apostrophe dropped, so it lives in `buf`, not `text`.
    let mut edited = false;
    let mut last_end = 0;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
                edited = false;
                buf.clear();
            }
            if edited {
                buf.push(c);
            }
            last_end = i + c.len_utf8();
        } else if is_apostrophe(c) && start.is_some() {
            if !edited {
                edited = true;
                buf.push_str(&text[start.unwrap_or(0)..i]);
            }
        } else {
            if let Some(s) = start.take() {
                f(if edited { &buf } else { &text[s..last_end] }, s);
            }
            if c == '&' {
                f("and", i);
            }
        }
    }
    if let Some(s) = start {
        f(if edited { &buf } else { &text[s..last_end] }, s);
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`')
}

/// The lowercased, stemmed words of `text`, in order: the form in which theme terms are
/// matched (English Snowball stemming; apostrophes dropped; `&` read as "and").
///
/// ```
/// use ofsted_search::ingest::themes::stem_words;
/// assert_eq!(stem_words("Children's assessments & plans"), ["children", "assess", "and", "plan"]);
/// ```
pub fn stem_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    with_stems(|stems| {
        let mut lower = String::new();
        for_each_word(text, |word, _| {
            out.push(stems.stem(lowercase(word, &mut lower)).to_string());
        });
    });
    out
}

/// English stemming with a per-thread cache: report text repeats a small vocabulary, so most
/// words are stemmed once per thread rather than once per occurrence.
struct StemCache {
    stemmer: Stemmer,
    map: HashMap<Box<str>, Box<str>>,
}

/// Beyond this many distinct words the cache is emptied, to bound its memory.
const STEM_CACHE_LIMIT: usize = 200_000;

impl StemCache {
    fn stem(&mut self, lower: &str) -> &str {
        if !self.map.contains_key(lower) {
            if self.map.len() >= STEM_CACHE_LIMIT {
                self.map.clear();
            }
            let stem: Box<str> = self.stemmer.stem(lower).into();
            self.map.insert(lower.into(), stem);
        }
        self.map.get(lower).map(|s| &**s).unwrap_or("")
    }
}

fn with_stems<R>(f: impl FnOnce(&mut StemCache) -> R) -> R {
    thread_local! {
        static STEMS: RefCell<StemCache> = RefCell::new(StemCache {
            stemmer: Stemmer::create(Algorithm::English),
            map: HashMap::new(),
        });
    }
    STEMS.with(|cache| f(&mut cache.borrow_mut()))
}

/// `word` in lowercase, borrowing it when it already is.
fn lowercase<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
    if word.chars().any(char::is_uppercase) {
        buf.clear();
        buf.extend(word.chars().flat_map(char::to_lowercase));
        buf
    } else {
        word
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum RuleKind {
    Term,
    Phrase,
    Acronym,
}

/// One rule matched once: which theme, which kind, which rule (index into the theme's list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Hit {
    theme: u16,
    kind: RuleKind,
    rule: u16,
}

/// A phrase (or one fused form of it) as stemmed vocabulary ids after its first word.
#[derive(Debug, Clone)]
struct PhraseRule {
    rest: Box<[u32]>,
    theme: u16,
    rule: u16,
}

/// The compiled rules: every stem any rule uses gets an id, so a paragraph is stemmed once
/// and then matched with hash lookups and id comparisons, never rescanned per theme.
#[derive(Debug, Clone, Default)]
struct Matcher {
    vocab: HashMap<Box<str>, u32>,
    /// By vocabulary id: the term rules with that stem.
    terms: Vec<Vec<(u16, u16)>>,
    /// By vocabulary id: the phrase rules that start with that stem.
    phrases: Vec<Vec<PhraseRule>>,
    /// Acronym (exact case) to its index in `acronym_rules`.
    acronyms: HashMap<Box<str>, u32>,
    /// By acronym index: the acronym rules.
    acronym_rules: Vec<Vec<(u16, u16)>>,
    /// Identifies the rules for the per-thread word cache; clones share it, as they share
    /// the rules.
    id: u64,
}

impl Matcher {
    fn build(themes: &[ThemeDef]) -> Matcher {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let mut m = Matcher {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            ..Matcher::default()
        };
        with_stems(|stems| {
            for (t, theme) in themes.iter().enumerate() {
                let t = t as u16;
                // Rules that stem alike ("referral", "referrals") are one rule, scored once.
                let mut term_ids: HashMap<u32, u16> = HashMap::new();
                for (r, term) in theme.terms.iter().enumerate() {
                    let words = lower_words(term);
                    let Some(word) = words.first() else { continue };
                    let id = m.intern(stems.stem(word));
                    if term_ids.insert(id, r as u16).is_none() {
                        m.terms[id as usize].push((t, r as u16));
                    }
                }
                // Phrases that stem alike are one rule too; every fused form scores as it.
                let mut canonical: HashMap<Vec<u32>, u16> = HashMap::new();
                for (r, phrase) in theme.phrases.iter().enumerate() {
                    let words = lower_words(phrase);
                    let ids = m.intern_words(stems, &words);
                    let r = *canonical.entry(ids).or_insert(r as u16);
                    for form in fused_forms(&words) {
                        let ids = m.intern_words(stems, &form);
                        m.add_phrase(ids, t, r);
                    }
                }
                // A listed plural ("PEPs") is the same rule as its singular ("PEP"), which
                // already matches the plural.
                let listed: std::collections::HashSet<&str> =
                    theme.acronyms.iter().map(String::as_str).collect();
                let mut seen = std::collections::HashSet::new();
                for (r, acronym) in theme.acronyms.iter().enumerate() {
                    let plural_of_listed = acronym
                        .strip_suffix('s')
                        .is_some_and(|singular| listed.contains(singular));
                    if !plural_of_listed && seen.insert(acronym.as_str()) {
                        let next = m.acronym_rules.len() as u32;
                        let index = *m.acronyms.entry(acronym.as_str().into()).or_insert(next);
                        if index == next {
                            m.acronym_rules.push(Vec::new());
                        }
                        m.acronym_rules[index as usize].push((t, r as u16));
                    }
                }
            }
        });
        for rules in &mut m.phrases {
            // One rule per (theme, phrase, form): the fused forms of different phrases can
            // coincide, and a duplicate would only cost time.
            rules.sort_by(|a, b| (a.theme, a.rule, &a.rest).cmp(&(b.theme, b.rule, &b.rest)));
            rules.dedup_by(|a, b| a.theme == b.theme && a.rule == b.rule && a.rest == b.rest);
        }
        m
    }

    fn intern(&mut self, stem: &str) -> u32 {
        if let Some(id) = self.vocab.get(stem) {
            return *id;
        }
        let id = self.vocab.len() as u32;
        self.vocab.insert(stem.into(), id);
        self.terms.push(Vec::new());
        self.phrases.push(Vec::new());
        id
    }

    fn intern_words(&mut self, stems: &mut StemCache, words: &[String]) -> Vec<u32> {
        words.iter().map(|w| self.intern(stems.stem(w))).collect()
    }

    fn add_phrase(&mut self, ids: Vec<u32>, theme: u16, rule: u16) {
        if let Some((first, rest)) = ids.split_first() {
            self.phrases[*first as usize].push(PhraseRule {
                rest: rest.into(),
                theme,
                rule,
            });
        }
    }

    /// Every rule occurrence in `text`, unsorted.
    fn hits(&self, text: &str) -> Vec<Hit> {
        let mut ids: Vec<Option<u32>> = Vec::new();
        let mut hits = Vec::new();
        with_word_cache(self.id, |cache| {
            let mut lower = String::new();
            for_each_word(text, |word, _| {
                let info = match cache.get(word) {
                    Some(info) => *info,
                    None => {
                        let info = self.classify(word, &mut lower);
                        if cache.len() >= WORD_CACHE_LIMIT {
                            cache.clear();
                        }
                        cache.insert(word.into(), info);
                        info
                    }
                };
                if let Some(acronym) = info.acronym {
                    hits.extend(self.acronym_rules[acronym as usize].iter().map(
                        |&(theme, rule)| Hit {
                            theme,
                            kind: RuleKind::Acronym,
                            rule,
                        },
                    ));
                }
                ids.push(info.vocab);
            });
        });
        for (i, id) in ids.iter().enumerate() {
            let Some(id) = *id else { continue };
            let id = id as usize;
            hits.extend(self.terms[id].iter().map(|&(theme, rule)| Hit {
                theme,
                kind: RuleKind::Term,
                rule,
            }));
            for phrase in &self.phrases[id] {
                let next = &ids[i + 1..];
                if next.len() >= phrase.rest.len()
                    && phrase.rest.iter().zip(next).all(|(a, b)| Some(*a) == *b)
                {
                    hits.push(Hit {
                        theme: phrase.theme,
                        kind: RuleKind::Phrase,
                        rule: phrase.rule,
                    });
                }
            }
        }
        hits
    }

    /// What a word (as written) means to these rules: its stem's vocabulary id and its
    /// acronym, if any.
    fn classify(&self, word: &str, lower: &mut String) -> WordInfo {
        let acronym = if word.chars().any(char::is_uppercase) {
            self.acronyms.get(word).or_else(|| {
                word.strip_suffix('s')
                    .and_then(|singular| self.acronyms.get(singular))
            })
        } else {
            None
        };
        let lower = lowercase(word, lower);
        let vocab = with_stems(|stems| self.vocab.get(&*stems.stemmer.stem(lower)).copied());
        WordInfo {
            vocab,
            acronym: acronym.copied(),
        }
    }
}

/// A word's meaning to one [`Matcher`], cached per thread.
#[derive(Debug, Clone, Copy)]
struct WordInfo {
    vocab: Option<u32>,
    acronym: Option<u32>,
}

/// Beyond this many distinct words the word cache is emptied, to bound its memory.
const WORD_CACHE_LIMIT: usize = 200_000;

type WordCache = HashMap<Box<str>, WordInfo, BuildHasherDefault<FxHasher>>;

/// Runs `f` with this thread's cache of word meanings for the matcher `id`. Report text
/// repeats a small vocabulary, so after warm-up a word costs one hash lookup instead of
/// stemming and three lookups. The cache holds one matcher's words at a time; it is emptied
/// when another matcher is used on the thread.
fn with_word_cache<R>(id: u64, f: impl FnOnce(&mut WordCache) -> R) -> R {
    thread_local! {
        static WORDS: RefCell<(u64, WordCache)> = RefCell::new((0, WordCache::default()));
    }
    WORDS.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.0 != id {
            cell.0 = id;
            cell.1.clear();
        }
        f(&mut cell.1)
    })
}

/// The Fx hash (as in rustc and Firefox): far faster than the default SipHash on the short
/// words of the word cache. It is not resistant to deliberately colliding keys; the worst
/// such input can do is slow tagging down, and the cache's size is bounded.
#[derive(Debug, Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn lower_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut buf = String::new();
    for_each_word(text, |w, _| words.push(lowercase(w, &mut buf).to_string()));
    words
}

/// The word sequences a phrase may appear as: as written, with any two neighbouring words
/// fused (conversion drops hyphens: "multiagency"), and fully fused.
fn fused_forms(words: &[String]) -> Vec<Vec<String>> {
    let mut forms = vec![words.to_vec()];
    for i in 0..words.len().saturating_sub(1) {
        let mut form = words[..i].to_vec();
        form.push(format!("{}{}", words[i], words[i + 1]));
        form.extend_from_slice(&words[i + 2..]);
        forms.push(form);
    }
    if words.len() > 2 {
        forms.push(vec![words.concat()]);
    }
    forms
}

#[cfg(test)]
mod tests;
