//! A gazetteer of the English local authorities with children's services responsibility.
//!
//! Ofsted inspects the children's services of every upper-tier council in England: the
//! county councils, metropolitan boroughs, unitary authorities and London boroughs, plus the
//! City of London and the Isles of Scilly (153 today). The list also keeps the councils
//! abolished by reorganisations since 2009 whose reports are still read (Bournemouth, Poole,
//! Northamptonshire, Cumbria), each marked with the year it ended.
//!
//! The data is the embedded file `authorities.tsv`, parsed once on first use.
//!
//! ```
//! use ofsted_search::ingest::authorities;
//! let rotherham = authorities::lookup("Metropolitan Borough of Rotherham").unwrap();
//! assert_eq!(rotherham.official_name, "Rotherham Metropolitan Borough Council");
//! assert_eq!(rotherham.slug, "rotherham");
//! let news = "Ofsted looks at Sheffields improvement work. Sheffield has been working to improve.";
//! assert_eq!(authorities::find_in(news).unwrap().short_name, "Sheffield");
//! ```

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::ParseValueError;
use crate::ingest::themes::for_each_word;

/// What kind of council an authority is (its present status, or its last one if abolished).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthorityKind {
    /// A county council (two-tier area), e.g. Staffordshire County Council.
    County,
    /// A metropolitan borough or district, e.g. Sheffield City Council.
    Metropolitan,
    /// A London borough, e.g. London Borough of Hackney.
    London,
    /// A unitary authority, e.g. South Gloucestershire Council.
    Unitary,
    /// The City of London Corporation and the Council of the Isles of Scilly.
    SuiGeneris,
}

impl AuthorityKind {
    const NAMES: &'static [&'static str] =
        &["county", "metropolitan", "london", "unitary", "sui-generis"];

    /// The kind's name as written in data: `county`, `metropolitan`, `london`, `unitary`,
    /// `sui-generis`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorityKind::County => "county",
            AuthorityKind::Metropolitan => "metropolitan",
            AuthorityKind::London => "london",
            AuthorityKind::Unitary => "unitary",
            AuthorityKind::SuiGeneris => "sui-generis",
        }
    }
}

impl fmt::Display for AuthorityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AuthorityKind {
    type Err = ParseValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "county" => Ok(AuthorityKind::County),
            "metropolitan" => Ok(AuthorityKind::Metropolitan),
            "london" => Ok(AuthorityKind::London),
            "unitary" => Ok(AuthorityKind::Unitary),
            "sui-generis" => Ok(AuthorityKind::SuiGeneris),
            _ => Err(ParseValueError::new(
                "authority kind",
                s,
                AuthorityKind::NAMES,
            )),
        }
    }
}

/// One local authority.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Authority {
    /// The council's usual official name, e.g. "Sheffield City Council".
    pub official_name: String,
    /// The place name, e.g. "Sheffield", "South Gloucestershire".
    pub short_name: String,
    /// The short name in kebab-case, e.g. "south-gloucestershire": stable, for ids and URLs.
    pub slug: String,
    /// The kind of council.
    pub kind: AuthorityKind,
    /// Other names it goes by: earlier names, cover-page forms, children's trusts.
    pub aliases: Vec<String>,
    /// The year the council was created, for councils formed since 2009.
    pub created: Option<u16>,
    /// The year the council was abolished, if it was.
    pub abolished: Option<u16>,
}

impl Authority {
    /// Whether the authority existed (had children's services responsibility) during `year`:
    /// created in or before it, and abolished after it.
    pub fn existed_in(&self, year: u16) -> bool {
        self.created.is_none_or(|c| c <= year) && self.abolished.is_none_or(|a| a > year)
    }

    /// Whether the authority exists today (it has not been abolished).
    pub fn is_current(&self) -> bool {
        self.abolished.is_none()
    }
}

impl fmt::Display for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.official_name)
    }
}

/// Every authority in the gazetteer, in the data file's order (grouped by kind).
///
/// 157 entries: the 153 current authorities and 4 abolished ones; filter with
/// [`Authority::is_current`] or [`Authority::existed_in`].
pub fn all() -> &'static [Authority] {
    &gazetteer().all
}

/// The authority called `name`: an official name, short name or alias, compared
/// case-insensitively and ignoring apostrophes, `&` versus "and", punctuation and extra
/// whitespace. Council-type words are also tolerated around the place name ("Durham County
/// Council", "London Borough of Hackney", "Sheffield City", "the Royal Borough of Greenwich").
///
/// ```
/// use ofsted_search::ingest::authorities::lookup;
/// assert_eq!(lookup("south gloucestershire").unwrap().slug, "south-gloucestershire");
/// assert_eq!(lookup("Brighton & Hove City Council").unwrap().slug, "brighton-and-hove");
/// assert!(lookup("Atlantis").is_none());
/// ```
pub fn lookup(name: &str) -> Option<&'static Authority> {
    let g = gazetteer();
    let words = key_words(name);
    let trimmed = strip_trailing(&words);
    for candidate in [
        words.as_slice(),
        trimmed,
        strip_leading(&words),
        strip_leading(trimmed),
    ] {
        if candidate.is_empty() {
            continue;
        }
        if let Some(&i) = g.keys.get(&candidate.join(" ")) {
            return Some(&g.all[i]);
        }
    }
    None
}

/// The authority a text (such as a news article) is about: the one whose name is mentioned
/// most often, the first mentioned on a tie, or `None` if none is.
///
/// Names are matched as whole words, starting with a capital letter; official names, short
/// names and aliases all count, possessives with or without the apostrophe too
/// ("Sheffield's", "Sheffields"). Where names overlap, the longest match wins, so "North
/// Yorkshire" is not a mention of York, nor "South Gloucestershire" of Gloucestershire.
/// "Reading" and "Bury" at the start of a sentence are read as ordinary words.
pub fn find_in(text: &str) -> Option<&'static Authority> {
    let g = gazetteer();
    let mut words: Vec<TextWord> = Vec::new();
    for_each_word(text, |w, start| {
        words.push(TextWord {
            lower: w.to_lowercase(),
            capital: w.chars().next().is_some_and(char::is_uppercase),
            sentence_start: is_sentence_start(&text[..start]),
        })
    });
    // Per authority: (mentions, index of the first mention).
    let mut counts: HashMap<usize, (usize, usize)> = HashMap::new();
    let mut i = 0;
    while i < words.len() {
        let matched = if words[i].capital {
            // A one-word name in the possessive ("Sheffields") is filed under its bare form.
            let bare = words[i].lower.strip_suffix('s');
            [Some(words[i].lower.as_str()), bare]
                .into_iter()
                .flatten()
                .filter_map(|first| g.names.get(first))
                .flat_map(|names| names.iter().filter(|name| name.matches(&words[i..])))
                .max_by_key(|name| name.words.len())
        } else {
            None
        };
        match matched {
            Some(name) => {
                let ordinary_word = name.words.len() == 1
                    && words[i].sentence_start
                    && AMBIGUOUS.contains(&name.words[0].as_str());
                if !ordinary_word {
                    let entry = counts.entry(name.authority).or_insert((0, i));
                    entry.0 += 1;
                }
                i += name.words.len();
            }
            None => i += 1,
        }
    }
    counts
        .into_iter()
        .max_by(|(_, (n1, first1)), (_, (n2, first2))| n1.cmp(n2).then(first2.cmp(first1)))
        .map(|(authority, _)| &g.all[authority])
}

/// Short names that are also common English words, ignored at the start of a sentence.
const AMBIGUOUS: &[&str] = &["reading", "bury"];

/// Words around a place name that say what kind of council it is, stripped by [`lookup`].
const TRAILING: &[&str] = &[
    "council",
    "county",
    "city",
    "borough",
    "metropolitan",
    "district",
    "corporation",
    "services",
    "childrens",
];
const LEADING: &[&[&str]] = &[
    &["the"],
    &["council", "of", "the"],
    &["london", "borough", "of"],
    &["royal", "borough", "of"],
    &["metropolitan", "borough", "of"],
    &["borough", "of"],
    &["city", "of"],
    &["county", "of"],
    &["county"],
];

fn strip_trailing(words: &[String]) -> &[String] {
    let mut end = words.len();
    while end > 1 && TRAILING.contains(&words[end - 1].as_str()) {
        end -= 1;
    }
    &words[..end]
}

fn strip_leading(words: &[String]) -> &[String] {
    let mut rest = words;
    'again: loop {
        for prefix in LEADING {
            if rest.len() > prefix.len() && rest.iter().zip(prefix.iter()).all(|(w, p)| w == p) {
                rest = &rest[prefix.len()..];
                continue 'again;
            }
        }
        return rest;
    }
}

/// A name's words as compared: lowercase, apostrophes dropped, `&` as "and".
fn key_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_word(name, |w, _| words.push(w.to_lowercase()));
    words
}

/// Whether a word preceded by `before` starts a sentence (or a line, or the text).
fn is_sentence_start(before: &str) -> bool {
    let trimmed = before.trim_end_matches([' ', '\t', '"', '\u{201c}', '\u{2018}', '\'', '(']);
    if trimmed.len() < before.len() && before[trimmed.len()..].contains('\n') {
        return true;
    }
    match trimmed.chars().next_back() {
        None => true,
        Some(c) => matches!(c, '.' | '!' | '?' | '\n' | ':'),
    }
}

struct TextWord {
    lower: String,
    capital: bool,
    sentence_start: bool,
}

/// One name of an authority as a word sequence, for [`find_in`].
struct Name {
    words: Vec<String>,
    authority: usize,
}

impl Name {
    /// Whether the text's words start with this name; the last word may carry a possessive
    /// `s` (its apostrophe was dropped or lost).
    fn matches(&self, text: &[TextWord]) -> bool {
        let n = self.words.len();
        text.len() >= n
            && self.words[..n - 1]
                .iter()
                .zip(text)
                .all(|(a, b)| *a == b.lower)
            && {
                let last = &text[n - 1].lower;
                let want = &self.words[n - 1];
                last == want || last.strip_suffix('s') == Some(want.as_str())
            }
    }
}

struct Gazetteer {
    all: Vec<Authority>,
    /// Normalised name (words joined by one space) to authority index.
    keys: HashMap<String, usize>,
    /// First word of a name to its names, longest first.
    names: HashMap<String, Vec<Name>>,
}

fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(|| {
        let all = parse(include_str!("authorities.tsv"))
            .expect("the bundled authorities.tsv is valid; a unit test parses it");
        let mut keys = HashMap::new();
        let mut names: HashMap<String, Vec<Name>> = HashMap::new();
        for (i, a) in all.iter().enumerate() {
            let all_names = [&a.official_name, &a.short_name]
                .into_iter()
                .chain(&a.aliases);
            for name in all_names {
                let words = key_words(name);
                let Some(first) = words.first().cloned() else {
                    continue;
                };
                // The first authority listed keeps a shared name; a unit test checks that no
                // name is shared.
                keys.entry(words.join(" ")).or_insert(i);
                names.entry(first).or_default().push(Name {
                    words,
                    authority: i,
                });
            }
        }
        for list in names.values_mut() {
            list.sort_by_key(|name| std::cmp::Reverse(name.words.len()));
        }
        Gazetteer { all, keys, names }
    })
}

/// Parses the gazetteer's TSV; the error names the line.
fn parse(text: &str) -> Result<Vec<Authority>, String> {
    let mut all = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let [short, official, kind, created, abolished, aliases] = fields[..] else {
            return Err(format!("line {line_no}: expected 6 tab-separated fields"));
        };
        let year = |field: &str| -> Result<Option<u16>, String> {
            match field {
                "-" => Ok(None),
                y => y
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("line {line_no}: bad year '{y}'")),
            }
        };
        all.push(Authority {
            official_name: official.to_string(),
            short_name: short.to_string(),
            slug: slug(short),
            kind: kind.parse().map_err(|e| format!("line {line_no}: {e}"))?,
            aliases: match aliases {
                "-" => Vec::new(),
                list => list.split(';').map(|a| a.trim().to_string()).collect(),
            },
            created: year(created)?,
            abolished: year(abolished)?,
        });
    }
    Ok(all)
}

/// Kebab-case of a place name: "Bournemouth, Christchurch and Poole" becomes
/// "bournemouth-christchurch-and-poole", "St Helens" "st-helens".
fn slug(name: &str) -> String {
    key_words(name).join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug_of(found: Option<&Authority>) -> Option<&str> {
        found.map(|a| a.slug.as_str())
    }

    #[test]
    fn data_parses_into_153_current_authorities() {
        let all = parse(include_str!("authorities.tsv")).unwrap();
        assert_eq!(all.len(), 157);
        assert_eq!(all.iter().filter(|a| a.is_current()).count(), 153);
        let count = |kind| {
            all.iter()
                .filter(|a| a.is_current() && a.kind == kind)
                .count()
        };
        assert_eq!(count(AuthorityKind::County), 21);
        assert_eq!(count(AuthorityKind::Metropolitan), 36);
        assert_eq!(count(AuthorityKind::London), 32);
        assert_eq!(count(AuthorityKind::Unitary), 62);
        assert_eq!(count(AuthorityKind::SuiGeneris), 2);
        // In 2014, before the reorganisations of 2019-2023, the Department for Education's
        // familiar 152 (the City of London and the Isles of Scilly included).
        assert_eq!(all.iter().filter(|a| a.existed_in(2014)).count(), 152);
        assert_eq!(all.iter().filter(|a| a.existed_in(2020)).count(), 151);
        assert_eq!(super::all(), all.as_slice());
    }

    #[test]
    fn slugs_and_names_are_unique() {
        let mut slugs = std::collections::HashSet::new();
        let mut names: HashMap<String, &str> = HashMap::new();
        for a in all() {
            assert!(slugs.insert(a.slug.as_str()), "duplicate slug {}", a.slug);
            assert!(a.slug.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            for name in [&a.official_name, &a.short_name]
                .into_iter()
                .chain(&a.aliases)
            {
                let key = key_words(name).join(" ");
                if let Some(other) = names.insert(key.clone(), &a.slug) {
                    assert_eq!(other, a.slug, "name '{key}' is shared");
                }
            }
        }
    }

    #[test]
    fn lookup_accepts_official_short_and_alias_forms() {
        let cases = [
            ("Sheffield City Council", "sheffield"),
            ("sheffield", "sheffield"),
            ("SHEFFIELD  CITY   council", "sheffield"),
            ("Sheffield children's services", "sheffield"),
            ("Metropolitan Borough of Rotherham", "rotherham"),
            ("Rotherham Metropolitan Borough Council", "rotherham"),
            ("Rotherham Council", "rotherham"),
            ("Staffordshire County Council", "staffordshire"),
            ("South Gloucestershire", "south-gloucestershire"),
            ("South Gloucestershire Council", "south-gloucestershire"),
            ("Durham County Council", "durham"),
            ("County Durham", "durham"),
            ("London Borough of Hackney", "hackney"),
            ("the Royal Borough of Greenwich", "greenwich"),
            ("Hammersmith & Fulham", "hammersmith-and-fulham"),
            ("Kingston upon Hull City Council", "kingston-upon-hull"),
            ("Hull", "kingston-upon-hull"),
            ("St. Helens", "st-helens"),
            ("Stoke on Trent", "stoke-on-trent"),
            ("City of York Council", "york"),
            ("City of London", "city-of-london"),
            ("Council of the Isles of Scilly", "isles-of-scilly"),
            ("City of Bradford Metropolitan District Council", "bradford"),
            ("Dorset County Council", "dorset"),
            ("BCP Council", "bournemouth-christchurch-and-poole"),
            ("Bedford Borough Council", "bedford"),
            ("Central Bedfordshire", "central-bedfordshire"),
        ];
        for (name, want) in cases {
            assert_eq!(slug_of(lookup(name)), Some(want), "{name}");
        }
        assert!(lookup("").is_none());
        assert!(lookup("Council").is_none());
        assert!(lookup("Yorkshire").is_none());
        assert!(lookup("Gotham City Council").is_none());
    }

    #[test]
    fn find_in_handles_possessives_with_and_without_apostrophe() {
        assert_eq!(
            slug_of(find_in("Ofsted looks at Sheffields improvement work")),
            Some("sheffield")
        );
        assert_eq!(
            slug_of(find_in("Inspectors praised Sheffield's front door.")),
            Some("sheffield")
        );
        assert_eq!(
            slug_of(find_in("Inspectors praised Sheffield’s front door.")),
            Some("sheffield")
        );
        assert!(find_in("Inspectors saw good practice.").is_none());
        // Place names are capitalised: "bury" the verb is not Bury.
        assert!(find_in("they bury the evidence").is_none());
    }

    #[test]
    fn find_in_prefers_the_longest_overlapping_name() {
        let cases = [
            (
                "North Yorkshire County Council has improved.",
                "north-yorkshire",
            ),
            ("The City of York Council said so.", "york"),
            (
                "South Gloucestershire borders Bristol. South Gloucestershire's social workers.",
                "south-gloucestershire",
            ),
            ("Bristol City Council and its partners.", "bristol"),
            (
                "Central Bedfordshire Council published a plan.",
                "central-bedfordshire",
            ),
            ("Bedford Borough Council published a plan.", "bedford"),
            ("Services in County Durham are good.", "durham"),
            (
                "Bournemouth, Christchurch and Poole Council was inspected.",
                "bournemouth-christchurch-and-poole",
            ),
            (
                "North East Lincolnshire Council responded.",
                "north-east-lincolnshire",
            ),
            (
                "Bath and North East Somerset Council responded.",
                "bath-and-north-east-somerset",
            ),
            (
                "West Northamptonshire Council responded.",
                "west-northamptonshire",
            ),
            (
                "Newcastle upon Tyne's leaders responded.",
                "newcastle-upon-tyne",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(slug_of(find_in(text)), Some(want), "{text}");
        }
    }

    #[test]
    fn find_in_counts_mentions_and_breaks_ties_by_order() {
        let text = "Leeds and Bradford met. Bradford said the Bradford plan works.";
        assert_eq!(slug_of(find_in(text)), Some("bradford"));
        assert_eq!(slug_of(find_in("Leeds and Bradford met.")), Some("leeds"));
        // "Reading" opening a sentence is the ordinary word.
        let text = "Reading the report, inspectors in Kent found good practice.";
        assert_eq!(slug_of(find_in(text)), Some("kent"));
        assert_eq!(
            slug_of(find_in("Children in Reading are well served.")),
            Some("reading")
        );
    }

    #[test]
    fn find_in_reads_the_bundled_news_article() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/sheffield-2018-focused-visit-news.txt"
        ))
        .unwrap();
        assert_eq!(slug_of(find_in(&text)), Some("sheffield"));
    }

    #[test]
    fn kinds_round_trip_and_authorities_serialise() {
        for kind in [
            AuthorityKind::County,
            AuthorityKind::Metropolitan,
            AuthorityKind::London,
            AuthorityKind::Unitary,
            AuthorityKind::SuiGeneris,
        ] {
            assert_eq!(kind.to_string().parse::<AuthorityKind>().unwrap(), kind);
        }
        assert!("parish".parse::<AuthorityKind>().is_err());
        let a = lookup("Sheffield").unwrap();
        let json = serde_json::to_string(a).unwrap();
        let back: Authority = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, a);
        assert_eq!(a.to_string(), "Sheffield City Council");
    }

    #[test]
    fn parse_errors_name_the_line() {
        let err = parse("# c\nA\tA Council\tcounty\t-\t-\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        let err = parse("A\tA Council\tparish\t-\t-\t-\n").unwrap_err();
        assert!(err.contains("parish"), "{err}");
        let err = parse("A\tA Council\tcounty\tsoon\t-\t-\n").unwrap_err();
        assert!(err.contains("bad year"), "{err}");
    }
}
