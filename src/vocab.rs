//! The field's vocabulary: acronyms and their long forms, synonyms, and the spellings that bad
//! PDF-to-text conversions leave behind, so that a query in one wording finds paragraphs
//! written in another.
//!
//! A [`Vocabulary`] is data: groups of forms that mean the same thing. The built-in one
//! ([`Vocabulary::builtin`], from `src/vocab.toml`) covers English children's social care as
//! Ofsted writes it — "CSE" and "child sexual exploitation", "IRO" and "independent reviewing
//! officer", "brothers and sisters" and "siblings", "multiagency" and "multi-agency". Users
//! extend it with their own TOML or JSON ([`Vocabulary::from_toml_str`],
//! [`Vocabulary::from_path`]) and [`Vocabulary::merge`].
//!
//! The query layer asks [`Vocabulary::expand`] which spans of a query's words have other
//! forms, and searches each span as "the words typed OR any other form". Expansion happens at
//! query time, so changing the vocabulary never needs a reindex.
//!
//! ```
//! use ofsted_search::vocab::{words, Vocabulary};
//!
//! let vocab = Vocabulary::builtin();
//! let query = words("CSE strategy meetings");
//! let expansions = vocab.expand(&query);
//! let cse = &expansions[0];
//! assert_eq!((cse.start(), cse.end()), (0, 1));
//! assert!(cse.alternatives().iter().any(|a| a.words() == ["child", "sexual", "exploitation"]));
//!
//! // A user's own entries, merged over the built-in ones.
//! let mine = Vocabulary::from_toml_str(
//!     "[[acronym]]\nshort = \"EDT\"\nlong = [\"emergency duty team\"]\n",
//!     "my-vocab.toml",
//! )?;
//! let mut vocab = Vocabulary::builtin();
//! vocab.merge(mine);
//! assert_eq!(vocab.expand(&words("EDT"))[0].alternatives()[0].words(), ["emergency", "duty", "team"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::datafile::{self, Format};
use crate::error::{Error, Result};

/// The built-in vocabulary's source.
const BUILTIN: &str = include_str!("vocab.toml");

/// The longest form accepted, in words. Longer "forms" are almost certainly a mistake (a
/// sentence pasted into the file), and long forms make expansion slow.
const MAX_FORM_WORDS: usize = 12;

/// What kind of entry a form comes from; the query layer weights them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// An acronym and its long forms ("CSE" / "child sexual exploitation").
    Acronym,
    /// Equivalent wordings ("brothers and sisters" / "siblings").
    Synonym,
    /// A spelling variant or conversion damage ("multiagency" / "multi-agency").
    Variant,
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EntryKind::Acronym => "acronym",
            EntryKind::Synonym => "synonym",
            EntryKind::Variant => "variant",
        })
    }
}

/// Splits text into the words the vocabulary compares: maximal runs of alphanumeric
/// characters, lowercased. This mirrors how the index splits text, so "children's" is
/// `["children", "s"]` and "multi-agency" is `["multi", "agency"]`.
///
/// ```
/// assert_eq!(ofsted_search::vocab::words("Children's multi-agency MASH"),
///            ["children", "s", "multi", "agency", "mash"]);
/// ```
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// One group of equivalent forms.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    kind: EntryKind,
    /// Each form as words; the first is the canonical one (the acronym's short form, the
    /// variant's clean form).
    forms: Vec<Vec<String>>,
}

/// Groups of equivalent forms, and the lookup that finds them in a query.
///
/// Cloning is cheap enough to do once per index; lookups do not allocate per word. Its
/// `Debug` form only counts the entries.
#[derive(Clone, PartialEq, Eq)]
pub struct Vocabulary {
    groups: Vec<Group>,
    /// First word of a form → (group, form) pairs starting with it. An acronym's short form
    /// is also filed under its plural ("iros").
    by_first: HashMap<String, Vec<(usize, usize)>>,
}

impl fmt::Debug for Vocabulary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = |k: EntryKind| self.groups.iter().filter(|g| g.kind == k).count();
        f.debug_struct("Vocabulary")
            .field("acronyms", &count(EntryKind::Acronym))
            .field("synonyms", &count(EntryKind::Synonym))
            .field("variants", &count(EntryKind::Variant))
            .finish()
    }
}

impl Default for Vocabulary {
    /// The built-in vocabulary.
    fn default() -> Self {
        Vocabulary::builtin()
    }
}

/// A span of query words that other forms can stand in for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    start: usize,
    end: usize,
    alternatives: Vec<Alternative>,
}

impl Expansion {
    /// The index of the span's first word in the query's words, starting at 0.
    pub fn start(&self) -> usize {
        self.start
    }

    /// One past the index of the span's last word.
    pub fn end(&self) -> usize {
        self.end
    }

    /// The other forms, without duplicates and never equal to the span itself.
    pub fn alternatives(&self) -> &[Alternative] {
        &self.alternatives
    }
}

/// One other form of an expanded span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    words: Vec<String>,
    kind: EntryKind,
}

impl Alternative {
    /// The form's words (several words are meant as a phrase).
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// Where the form comes from.
    pub fn kind(&self) -> EntryKind {
        self.kind
    }
}

impl Vocabulary {
    /// The built-in vocabulary of children's social care (`src/vocab.toml`).
    pub fn builtin() -> Vocabulary {
        // The built-in file is validated by a unit test, so this cannot fail in a released
        // build; an empty vocabulary is the safe fallback all the same.
        Vocabulary::from_toml_str(BUILTIN, "built-in vocabulary")
            .unwrap_or_else(|_| Vocabulary::empty())
    }

    /// A vocabulary without entries: queries match only the words typed.
    pub fn empty() -> Vocabulary {
        Vocabulary {
            groups: Vec::new(),
            by_first: HashMap::new(),
        }
    }

    /// Reads a vocabulary written in TOML (the format of `src/vocab.toml`); `input` names it
    /// in errors.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming `input` and the line of the offending entry: a TOML syntax
    /// error, an unknown key, an empty form, a form longer than twelve words, or a group whose
    /// forms all read the same.
    pub fn from_toml_str(text: &str, input: &str) -> Result<Vocabulary> {
        type Sp<T> = toml::Spanned<T>;
        let file: File<Sp<AcronymEntry>, Sp<SynonymEntry>, Sp<VariantEntry>> = toml::from_str(text)
            .map_err(|e| Error::Config {
                input: input.to_string(),
                location: e
                    .span()
                    .map(|s| format!("line {}", line_of(text, s.start)))
                    .unwrap_or_else(|| "file".into()),
                message: e.message().to_string(),
            })?;
        let mut entries: Vec<(EntryKind, usize, Entry)> = Vec::new();
        let spanned = |kind, list: Vec<(usize, Entry)>, out: &mut Vec<_>| {
            for (start, e) in list {
                out.push((kind, start, e));
            }
        };
        spanned(EntryKind::Acronym, take_all(file.acronym), &mut entries);
        spanned(EntryKind::Synonym, take_all(file.synonym), &mut entries);
        spanned(EntryKind::Variant, take_all(file.variant), &mut entries);
        let mut v = Vocabulary::empty();
        let mut counts: HashMap<EntryKind, usize> = HashMap::new();
        for (kind, start, entry) in entries {
            let n = counts.entry(kind).or_insert(0);
            *n += 1;
            let location = format!("line {} ({kind} {n})", line_of(text, start));
            v.push(entry, input, location)?;
        }
        Ok(v)
    }

    /// Reads a vocabulary written in JSON, with the same shape as the TOML form:
    /// `{"acronym": [{"short": "CSE", "long": ["child sexual exploitation"]}], "synonym":
    /// [{"terms": [...]}], "variant": [{"clean": "...", "damaged": [...]}]}`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming `input` and the line (for syntax errors) or the entry (e.g.
    /// "acronym 3") at fault.
    pub fn from_json_str(text: &str, input: &str) -> Result<Vocabulary> {
        let file: File<AcronymEntry, SynonymEntry, VariantEntry> = serde_json::from_str(text)
            .map_err(|e| Error::Config {
                input: input.to_string(),
                location: format!("line {}, column {}", e.line(), e.column()),
                message: e.to_string(),
            })?;
        let mut v = Vocabulary::empty();
        let lists: [(EntryKind, Vec<Entry>); 3] = [
            (
                EntryKind::Acronym,
                file.acronym.into_iter().map(Entry::from).collect(),
            ),
            (
                EntryKind::Synonym,
                file.synonym.into_iter().map(Entry::from).collect(),
            ),
            (
                EntryKind::Variant,
                file.variant.into_iter().map(Entry::from).collect(),
            ),
        ];
        for (kind, list) in lists {
            for (i, entry) in list.into_iter().enumerate() {
                v.push(entry, input, format!("{kind} {}", i + 1))?;
            }
        }
        Ok(v)
    }

    /// Reads a vocabulary file: JSON when the name ends in `.json`, TOML otherwise.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read, and the errors of
    /// [`Vocabulary::from_toml_str`] and [`Vocabulary::from_json_str`], naming the path.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Vocabulary> {
        let (text, name, format) = datafile::read(path.as_ref(), "cannot read vocabulary")?;
        match format {
            Format::Json => Vocabulary::from_json_str(&text, &name),
            Format::Toml | Format::Other => Vocabulary::from_toml_str(&text, &name),
        }
    }

    /// Adds every group of `other` to this vocabulary. A form that now belongs to several
    /// groups expands to the other forms of all of them.
    pub fn merge(&mut self, other: Vocabulary) -> &mut Vocabulary {
        for g in other.groups {
            self.insert(g);
        }
        self
    }

    /// The number of groups (entries).
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether the vocabulary has no entries.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The spans of `words` (as split by [`words`]) that have other forms, leftmost first and
    /// never overlapping: where two entries overlap, the longer span wins (then the earlier).
    ///
    /// Damaged spellings are repaired first, so "multiagency risk assessment conference"
    /// expands to "MARAC" as "multi-agency risk assessment conference" would; the repaired
    /// wording is then one of the span's alternatives.
    pub fn expand(&self, words: &[String]) -> Vec<Expansion> {
        // Pass 1: repair conversion damage. Each typed word maps to the clean words that
        // replace it, remembering which typed span every clean word came from.
        let repairs: Vec<Expansion> = select(
            self.matches_in(words)
                .into_iter()
                .filter(|(_, _, g, f)| self.groups[*g].kind == EntryKind::Variant && *f != 0)
                .map(|(start, end, g, _)| Expansion {
                    start,
                    end,
                    alternatives: vec![Alternative {
                        words: self.groups[g].forms[0].clone(),
                        kind: EntryKind::Variant,
                    }],
                })
                .collect(),
        );
        let mut clean: Vec<String> = Vec::new();
        // For each clean word: the typed span it stands for.
        let mut origin: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            match repairs.iter().find(|r| r.start == i) {
                Some(r) => {
                    for w in &r.alternatives[0].words {
                        clean.push(w.clone());
                        origin.push((r.start, r.end));
                    }
                    i = r.end;
                }
                None => {
                    clean.push(words[i].clone());
                    origin.push((i, i + 1));
                    i += 1;
                }
            }
        }
        // Pass 2: every entry, on the clean words, mapped back to typed spans. A span must
        // not cut a repaired word in two.
        let mut spans: Vec<Expansion> = Vec::new();
        for (a, b, g, f) in self.matches_in(&clean) {
            let (start, end) = (origin[a].0, origin[b - 1].1);
            let whole = (a == 0 || origin[a - 1] != origin[a])
                && (b == clean.len() || origin[b] != origin[b - 1]);
            if !whole {
                continue;
            }
            let typed = &words[start..end];
            let group = &self.groups[g];
            let mut alts: Vec<Alternative> = group
                .forms
                .iter()
                .enumerate()
                .filter(|(k, other)| *k != f && other.as_slice() != typed)
                .map(|(_, other)| Alternative {
                    words: other.clone(),
                    kind: group.kind,
                })
                .collect();
            if clean[a..b] != *typed {
                alts.push(Alternative {
                    words: clean[a..b].to_vec(),
                    kind: EntryKind::Variant,
                });
            }
            merge_span(&mut spans, start, end, alts);
        }
        select(spans)
    }

    /// Every (start, end, group, form) where a form occurs in `words`.
    fn matches_in(&self, words: &[String]) -> Vec<(usize, usize, usize, usize)> {
        let mut out = Vec::new();
        for start in 0..words.len() {
            let Some(cands) = self.by_first.get(&words[start]) else {
                continue;
            };
            for &(g, f) in cands {
                let group = &self.groups[g];
                let form = &group.forms[f];
                let end = start + form.len();
                if end <= words.len() && matches(form, &words[start..end], group.kind, f) {
                    out.push((start, end, g, f));
                }
            }
        }
        out
    }

    /// Validates one entry and adds it as a group.
    fn push(&mut self, entry: Entry, input: &str, location: String) -> Result<()> {
        let err = |message: String| Error::Config {
            input: input.to_string(),
            location: location.clone(),
            message,
        };
        let (kind, raw): (EntryKind, Vec<String>) = match entry {
            Entry::Acronym { short, long } => {
                if long.is_empty() {
                    return Err(err(format!(
                        "acronym '{short}' has no long form; add `long = [\"...\"]`"
                    )));
                }
                (
                    EntryKind::Acronym,
                    std::iter::once(short).chain(long).collect(),
                )
            }
            Entry::Synonym { terms } => {
                if terms.len() < 2 {
                    return Err(err("a synonym entry needs at least two terms".into()));
                }
                (EntryKind::Synonym, terms)
            }
            Entry::Variant { clean, damaged } => {
                if damaged.is_empty() {
                    return Err(err(format!(
                        "variant '{clean}' has no damaged form; add `damaged = [\"...\"]`"
                    )));
                }
                (
                    EntryKind::Variant,
                    std::iter::once(clean).chain(damaged).collect(),
                )
            }
        };
        let mut forms: Vec<Vec<String>> = Vec::new();
        for text in &raw {
            let w = words(text);
            if w.is_empty() {
                return Err(err(format!("form {text:?} has no letters or digits")));
            }
            if w.len() > MAX_FORM_WORDS {
                return Err(err(format!(
                    "form {text:?} has {} words; the limit is {MAX_FORM_WORDS}",
                    w.len()
                )));
            }
            // Forms that differ only in punctuation ("well-being", "well being") read the
            // same to the index: keep one.
            if !forms.contains(&w) {
                forms.push(w);
            }
        }
        if forms.len() < 2 {
            return Err(err(format!(
                "every form of {raw:?} reads the same once punctuation is a word break, so the entry has no effect"
            )));
        }
        self.insert(Group { kind, forms });
        Ok(())
    }

    fn insert(&mut self, group: Group) {
        let g = self.groups.len();
        for (f, form) in group.forms.iter().enumerate() {
            let first = &form[0];
            self.by_first.entry(first.clone()).or_default().push((g, f));
            if group.kind == EntryKind::Acronym && f == 0 && form.len() == 1 {
                self.by_first
                    .entry(format!("{first}s"))
                    .or_default()
                    .push((g, f));
            }
        }
        self.groups.push(group);
    }
}

/// Adds `alts` to the span (start, end), creating it if needed; never duplicates.
fn merge_span(spans: &mut Vec<Expansion>, start: usize, end: usize, alts: Vec<Alternative>) {
    let i = match spans.iter().position(|e| e.start == start && e.end == end) {
        Some(i) => i,
        None => {
            spans.push(Expansion {
                start,
                end,
                alternatives: Vec::new(),
            });
            spans.len() - 1
        }
    };
    for a in alts {
        if !spans[i].alternatives.contains(&a) {
            spans[i].alternatives.push(a);
        }
    }
}

/// Keeps the spans with alternatives, longest first then leftmost, dropping any that overlap
/// one already kept; returns them leftmost first.
fn select(mut spans: Vec<Expansion>) -> Vec<Expansion> {
    spans.retain(|e| !e.alternatives.is_empty());
    spans.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<Expansion> = Vec::new();
    for e in spans {
        if kept.iter().all(|k| e.end <= k.start || e.start >= k.end) {
            kept.push(e);
        }
    }
    kept.sort_by_key(|e| e.start);
    kept
}

/// Whether `typed` is an occurrence of `form` (form `f` of a group of `kind`): equal words, or
/// for an acronym's one-word short form, that word with a plural "s".
fn matches(form: &[String], typed: &[String], kind: EntryKind, f: usize) -> bool {
    if form == typed {
        return true;
    }
    kind == EntryKind::Acronym
        && f == 0
        && form.len() == 1
        && typed.len() == 1
        && typed[0].strip_suffix('s') == Some(form[0].as_str())
}

/// Unwraps spanned entries into (byte offset, entry) pairs.
fn take_all<T: Into<Entry>>(list: Vec<toml::Spanned<T>>) -> Vec<(usize, Entry)> {
    list.into_iter()
        .map(|s| (s.span().start, s.into_inner().into()))
        .collect()
}

/// The line (starting at 1) of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A vocabulary file: three lists of entries. Each entry type is generic so that TOML can
/// wrap it in `toml::Spanned` (for line numbers) and JSON cannot.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File<A, S, V> {
    #[serde(default = "Vec::new")]
    acronym: Vec<A>,
    #[serde(default = "Vec::new")]
    synonym: Vec<S>,
    #[serde(default = "Vec::new")]
    variant: Vec<V>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcronymEntry {
    short: String,
    long: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymEntry {
    terms: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantEntry {
    clean: String,
    damaged: Vec<String>,
}

/// One entry, whatever list it came from.
#[derive(Debug)]
enum Entry {
    Acronym { short: String, long: Vec<String> },
    Synonym { terms: Vec<String> },
    Variant { clean: String, damaged: Vec<String> },
}

impl From<AcronymEntry> for Entry {
    fn from(e: AcronymEntry) -> Entry {
        Entry::Acronym {
            short: e.short,
            long: e.long,
        }
    }
}

impl From<SynonymEntry> for Entry {
    fn from(e: SynonymEntry) -> Entry {
        Entry::Synonym { terms: e.terms }
    }
}

impl From<VariantEntry> for Entry {
    fn from(e: VariantEntry) -> Entry {
        Entry::Variant {
            clean: e.clean,
            damaged: e.damaged,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        words(s)
    }

    fn alts(v: &Vocabulary, q: &str) -> Vec<(usize, usize, Vec<String>)> {
        v.expand(&w(q))
            .into_iter()
            .map(|e| {
                let a = e
                    .alternatives()
                    .iter()
                    .map(|a| a.words().join(" "))
                    .collect();
                (e.start(), e.end(), a)
            })
            .collect()
    }

    #[test]
    fn builtin_vocabulary_loads_and_is_large() {
        let v =
            Vocabulary::from_toml_str(BUILTIN, "vocab.toml").expect("built-in vocabulary is valid");
        assert!(v.len() > 100, "only {} entries", v.len());
        assert_eq!(Vocabulary::builtin(), v);
    }

    #[test]
    fn acronyms_expand_both_ways() {
        let v = Vocabulary::builtin();
        let a = alts(&v, "CSE");
        assert_eq!(a.len(), 1);
        assert!(a[0].2.contains(&"child sexual exploitation".to_string()));
        let b = alts(&v, "risk of child sexual exploitation");
        assert_eq!((b[0].0, b[0].1), (2, 5));
        assert!(b[0].2.contains(&"cse".to_string()));
    }

    #[test]
    fn acronym_plurals_match() {
        let v = Vocabulary::builtin();
        let a = alts(&v, "IROs challenge");
        assert_eq!((a[0].0, a[0].1), (0, 1));
        assert!(a[0]
            .2
            .contains(&"independent reviewing officer".to_string()));
    }

    #[test]
    fn damaged_spellings_expand_to_clean_and_back() {
        let v = Vocabulary::builtin();
        assert!(alts(&v, "multiagency")[0]
            .2
            .contains(&"multi agency".to_string()));
        assert!(alts(&v, "multi-agency")[0]
            .2
            .contains(&"multiagency".to_string()));
        assert!(alts(&v, "childrens views")[0]
            .2
            .contains(&"children s".to_string()));
    }

    #[test]
    fn damaged_words_are_repaired_before_acronyms_match() {
        let v = Vocabulary::builtin();
        let a = alts(&v, "multiagency risk assessment conference");
        assert_eq!((a[0].0, a[0].1), (0, 4));
        assert!(a[0].2.contains(&"marac".to_string()), "{:?}", a[0].2);
        assert!(a[0]
            .2
            .contains(&"multi agency risk assessment conference".to_string()));
        // The repair alone still applies where no longer entry matches.
        let b = alts(&v, "multiagency working");
        assert_eq!((b[0].0, b[0].1), (0, 1));
        assert_eq!(b[0].2, ["multi agency"]);
    }

    #[test]
    fn longest_span_wins_and_spans_do_not_overlap() {
        let v = Vocabulary::builtin();
        // "looked after children" (3 words) beats any shorter entry inside it.
        let a = alts(&v, "looked after children health");
        assert_eq!((a[0].0, a[0].1), (0, 3));
        let spans: Vec<(usize, usize)> = a.iter().map(|x| (x.0, x.1)).collect();
        for pair in spans.windows(2) {
            assert!(pair[0].1 <= pair[1].0);
        }
    }

    #[test]
    fn groups_sharing_a_form_union_their_alternatives() {
        let v = Vocabulary::builtin();
        // "looked after children" is in the LAC and CLA acronyms and in a synonym group.
        let a = alts(&v, "looked after children");
        for want in ["lac", "cla", "children in care"] {
            assert!(
                a[0].2.contains(&want.to_string()),
                "missing {want}: {:?}",
                a[0].2
            );
        }
        assert!(!a[0].2.contains(&"looked after children".to_string()));
    }

    #[test]
    fn unknown_words_expand_to_nothing() {
        assert!(Vocabulary::builtin()
            .expand(&w("zebra crossing"))
            .is_empty());
        assert!(Vocabulary::empty().expand(&w("CSE")).is_empty());
    }

    #[test]
    fn user_entries_merge_over_builtin() {
        let mine = Vocabulary::from_toml_str(
            "[[synonym]]\nterms = [\"front door\", \"MASH\"]\n",
            "mine.toml",
        )
        .unwrap();
        let mut v = Vocabulary::builtin();
        let before = v.len();
        v.merge(mine);
        assert_eq!(v.len(), before + 1);
        let a = alts(&v, "MASH");
        assert!(a[0].2.contains(&"front door".to_string()));
        assert!(a[0]
            .2
            .contains(&"multi agency safeguarding hub".to_string()));
    }

    #[test]
    fn json_has_the_same_shape() {
        let v = Vocabulary::from_json_str(
            r#"{"acronym": [{"short": "EDT", "long": ["emergency duty team"]}],
                "variant": [{"clean": "co-worker", "damaged": ["coworker"]}]}"#,
            "mine.json",
        )
        .unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(alts(&v, "coworker")[0].2, ["co worker"]);
    }

    fn config_error(r: Result<Vocabulary>) -> (String, String, String) {
        match r {
            Err(Error::Config {
                input,
                location,
                message,
            }) => (input, location, message),
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn errors_point_at_the_entry() {
        let text = "[[acronym]]\nshort = \"CSE\"\nlong = [\"x\"]\n\n[[acronym]]\nshort = \"EDT\"\nlong = []\n";
        let (input, location, message) = config_error(Vocabulary::from_toml_str(text, "v.toml"));
        assert_eq!(input, "v.toml");
        assert!(
            location.contains("line 5") && location.contains("acronym 2"),
            "{location}"
        );
        assert!(message.contains("EDT"), "{message}");
    }

    #[test]
    fn syntax_errors_and_unknown_keys_name_the_line() {
        let (_, location, _) = config_error(Vocabulary::from_toml_str(
            "[[acronym]]\nshort = \n",
            "v.toml",
        ));
        assert!(location.starts_with("line 2"), "{location}");
        let (_, location, message) = config_error(Vocabulary::from_toml_str(
            "[[synonym]]\nterms = [\"a\", \"b\"]\n\n[[synonyms]]\n",
            "v.toml",
        ));
        assert!(location.starts_with("line 4"), "{location}: {message}");
        let (_, location, _) =
            config_error(Vocabulary::from_json_str("{\"acronym\": [}", "v.json"));
        assert!(location.starts_with("line 1"), "{location}");
    }

    #[test]
    fn entries_without_effect_are_rejected() {
        let (_, _, m) = config_error(Vocabulary::from_toml_str(
            "[[variant]]\nclean = \"well-being\"\ndamaged = [\"well being\"]\n",
            "v.toml",
        ));
        assert!(m.contains("no effect"), "{m}");
        let (_, _, m) = config_error(Vocabulary::from_toml_str(
            "[[synonym]]\nterms = [\"only\"]\n",
            "v.toml",
        ));
        assert!(m.contains("two terms"), "{m}");
        let (_, _, m) = config_error(Vocabulary::from_toml_str(
            "[[variant]]\nclean = \"--\"\ndamaged = [\"x\"]\n",
            "v.toml",
        ));
        assert!(m.contains("no letters"), "{m}");
    }

    #[test]
    fn wrong_shape_for_the_list_is_rejected() {
        let (_, location, m) = config_error(Vocabulary::from_toml_str(
            "[[acronym]]\nterms = [\"a\", \"b\"]\n",
            "v.toml",
        ));
        assert!(location.starts_with("line 2"), "{location}");
        assert!(m.contains("terms"), "{m}");
    }

    #[test]
    fn from_path_reads_both_formats_and_names_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let toml_path = dir.path().join("v.toml");
        std::fs::write(
            &toml_path,
            "[[acronym]]\nshort = \"EDT\"\nlong = [\"emergency duty team\"]\n",
        )
        .unwrap();
        assert_eq!(Vocabulary::from_path(&toml_path).unwrap().len(), 1);
        let json_path = dir.path().join("v.json");
        std::fs::write(&json_path, r#"{"synonym": [{"terms": ["a b", "c"]}]}"#).unwrap();
        assert_eq!(Vocabulary::from_path(&json_path).unwrap().len(), 1);
        match Vocabulary::from_path(dir.path().join("missing.toml")) {
            Err(Error::Io { path, .. }) => assert!(path.ends_with("missing.toml")),
            other => panic!("expected an io error, got {other:?}"),
        }
    }

    #[test]
    fn words_mirror_the_index_tokenizer() {
        assert_eq!(
            w("Children's  multi-agency, (MASH)"),
            ["children", "s", "multi", "agency", "mash"]
        );
        assert!(w(" -- ").is_empty());
    }
}
