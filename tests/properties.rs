//! Property tests of ingestion on generated input: report-like text (numbered paragraphs,
//! bullets, headings, blank gaps, page furniture, markdown/HTML/LaTeX debris, hyphenation,
//! financial years) and arbitrary strings and bytes.
//!
//! What the properties mean, precisely:
//!
//! - *No panic*: `normalise`, `parse_report`, `chunk` and `Ingester::ingest_bytes` return for
//!   every input (an `Err` is fine for bytes).
//! - *Words come from the input, in order*: a word is a maximal run of alphanumeric characters
//!   (`char::is_alphanumeric`). The words of all of a report's paragraphs, in paragraph order,
//!   form a subsequence of the words of the normalised lines (`normalise()` output), except that
//!   one paragraph word may be two adjacent line words glued together: the chunker rejoins a
//!   word hyphenated across a line break (`protec-` + `tion`). Against the *raw* input (for
//!   text without HTML/LaTeX syntax, whose tags and entities legitimately create and remove
//!   words), normalised words are a subsequence of raw words, where the normaliser's documented
//!   changes are allowed: footnote markers are stripped (`Board1` → `Board`, `area¹` → `area`),
//!   and a financial year is repaired (`201314` → `2013–14`, i.e. one raw word becomes two).
//!   Markdown emphasis markers are removed without gluing words (`A**a` → `A a`).
//! - *Numbers unique, ordinals strictly increasing*: within a report, no paragraph number
//!   appears twice and ordinals are 1, 2, 3, … in order.
//! - *Ids unique across a corpus*: reports with distinct authorities get distinct report ids,
//!   and no paragraph id appears twice across all of them; every paragraph id starts with its
//!   report id.

use std::collections::HashSet;

use ofsted_search::ingest::chunk::chunk;
use ofsted_search::ingest::normalise::normalise;
use ofsted_search::ingest::report::parse_report;
use ofsted_search::ingest::{Ingester, ReportOverrides};
use ofsted_search::Paragraph;
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const WORDS: &[&str] = &[
    "children",
    "social",
    "workers",
    "are",
    "seen",
    "alone",
    "the",
    "Board",
    "LSCB",
    "protection",
    "looked",
    "after",
    "care",
    "leavers",
    "Good",
    "requires",
    "improvement",
    "e.g.",
    "Mr.",
    "plans",
    "201314",
    "2014",
    "15%",
    "area3",
    "Board1",
    "protec-",
    "tion",
    "Ofsted's",
    "£4.5m",
    "(CSE)",
    "–",
    "inadequate",
    "outstanding",
    "x",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(WORDS).prop_map(str::to_string),
        1 => "[A-Za-z]{1,12}",
        1 => "[0-9]{1,7}",
        1 => "\\PC{1,6}",
    ]
}

fn sentence() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(word(), 1..16),
        prop_oneof![Just("."), Just(""), Just(":"), Just("?"), Just(";")],
    )
        .prop_map(|(ws, end)| {
            let mut s = ws.join(" ");
            s.push_str(end);
            s
        })
}

/// Capitalises the first letter, as a paragraph's first sentence would be.
fn capitalised(s: String) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

const HEADINGS: &[&str] = &[
    "Summary of key findings",
    "Contents",
    "The experiences and progress of children who need help and protection",
    "Leadership, management and governance",
    "The effectiveness of the Local Safeguarding Children Board",
    "Section 1: The local authority",
    "Information about this inspection",
    "What needs to improve",
    "Inspection judgements about the local authority",
    "Judgement grade",
    "Recommendations",
];

/// One line of report-like text, without its newline.
fn report_line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => sentence().prop_map(capitalised),
        4 => (1u32..140, sentence()).prop_map(|(n, s)| format!("{n}. {}", capitalised(s))),
        1 => (1u32..140, sentence()).prop_map(|(n, s)| format!("- {n}. {}", capitalised(s))),
        3 => Just(String::new()),
        2 => (prop_oneof![Just("- "), Just("• "), Just("  - "), Just("* "), Just("\u{f0b7} "), Just("➢")], sentence())
            .prop_map(|(b, s)| format!("{b}{s}")),
        2 => (1u8..7, proptest::sample::select(HEADINGS)).prop_map(|(h, t)| format!("{} **{t}**", "#".repeat(h as usize))),
        2 => proptest::sample::select(HEADINGS).prop_map(str::to_string),
        1 => (1u32..60, 1u32..60).prop_map(|(a, b)| format!("Page {a} of {b}")),
        1 => Just("| --- | --- |".to_string()),
        1 => (sentence(), sentence()).prop_map(|(a, b)| format!("{a}\t\t{b}")),
        1 => sentence().prop_map(|s| format!("<p>{s}</p><p>{s}</p>")),
        1 => sentence().prop_map(|s| format!("{s}<sup>2</sup> and &amp; &#x41; &bogus; <b>{s}</b>")),
        1 => sentence().prop_map(|s| format!("$\\ensuremath{{\\mathsf{{Board}}}}^1$ {s} \\% $x_{{2}}$")),
        1 => sentence().prop_map(|s| format!("¹ {s}")),
        1 => sentence().prop_map(|s| format!("[^3]: {s}")),
        1 => Just("Inspection dates: 19 November - 11 December 2013".to_string()),
        1 => Just("The overall judgement is **requires improvement**".to_string()),
        1 => "\\PC{0,80}",
        1 => "[ \t<>&$\\\\^_{}#*|\u{a0}-]{0,20}",
    ]
}

/// Report-like text: an optional cover (authority, title, dates), then lines.
fn report_text() -> impl Strategy<Value = String> {
    (
        proptest::option::of("[A-Z][a-z]{2,10} (City|County|Borough) Council"),
        proptest::collection::vec(report_line(), 0..60),
        prop_oneof![Just("\n"), Just("\r\n"), Just("\n\n")],
    )
        .prop_map(|(authority, lines, sep)| {
            let mut text = String::new();
            if let Some(a) = authority {
                text.push_str(&format!(
                    "{a}\n\nInspection of services for children in need of help and protection\n\n\
                     Inspection dates: 3 - 14 March 2014\n\n"
                ));
            }
            text.push_str(&lines.join(sep));
            text
        })
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Chunks `text` the way the ingester does (without theme tagging).
fn run_chunker(text: &str) -> (Vec<String>, Vec<Paragraph>) {
    let lines = normalise(text);
    let mut warnings = Vec::new();
    let report = parse_report(&lines, &ReportOverrides::default(), "p.txt", &mut warnings);
    let paragraphs = chunk(&lines, &report, "p.txt", &mut warnings);
    let line_words = lines.iter().flat_map(|l| words(&l.text)).collect();
    (line_words, paragraphs)
}

/// Finds `needles` in order in `hay`, where one needle may also match two adjacent hay words
/// glued together. Returns the first needle that could not be placed.
fn subsequence_with_joins(needles: &[String], hay: &[String]) -> Result<(), String> {
    let mut i = 0;
    for (k, n) in needles.iter().enumerate() {
        loop {
            if i >= hay.len() {
                return Err(format!("word {k} {n:?} not found in order"));
            }
            if &hay[i] == n {
                i += 1;
                break;
            }
            let glued = i + 1 < hay.len()
                && n.len() == hay[i].len() + hay[i + 1].len()
                && n.starts_with(hay[i].as_str())
                && n.ends_with(hay[i + 1].as_str());
            if glued {
                i += 2;
                break;
            }
            i += 1;
        }
    }
    Ok(())
}

fn check_paragraphs(paragraphs: &[Paragraph]) -> Result<(), TestCaseError> {
    let mut numbers = HashSet::new();
    let mut ids = HashSet::new();
    for (i, p) in paragraphs.iter().enumerate() {
        prop_assert_eq!(p.ordinal as usize, i + 1, "ordinals must be 1, 2, 3, …");
        if let Some(n) = p.number {
            prop_assert!(numbers.insert(n), "paragraph number {} appears twice", n);
        }
        prop_assert!(ids.insert(p.id.clone()), "id {} appears twice", p.id);
        let prefix = format!("{}/", p.report_id);
        prop_assert!(
            p.id.starts_with(&prefix),
            "id {} lacks prefix {}",
            p.id,
            prefix
        );
        prop_assert!(!p.text.trim().is_empty(), "empty paragraph {}", p.id);
    }
    Ok(())
}

/// Whether a normalised word `n` can come from raw word `r` by footnote-marker stripping:
/// `r` without superscript digits is `n`, or `n` followed by one or two ASCII digits.
fn footnote_stripped(n: &str, r: &str) -> bool {
    let r: String = r
        .chars()
        .filter(|&c| !matches!(c, '¹' | '²' | '³' | '⁴' | '⁵' | '⁶' | '⁷' | '⁸' | '⁹' | '⁰'))
        .collect();
    r == n
        || r.strip_prefix(n).is_some_and(|rest| {
            (1..=2).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Normalised words are a subsequence of raw words, modulo footnote markers and year repair.
fn normalised_words_from_raw(norm: &[String], raw: &[String]) -> Result<(), String> {
    let mut i = 0;
    let mut k = 0;
    while k < norm.len() {
        let n = &norm[k];
        loop {
            if i >= raw.len() {
                return Err(format!("normalised word {k} {n:?} not found in order"));
            }
            let r = &raw[i];
            i += 1;
            // `201314` → `2013`, `14`.
            if r.len() == 6 && k + 1 < norm.len() && *r == format!("{n}{}", norm[k + 1]) {
                k += 1;
                break;
            }
            if footnote_stripped(n, r) {
                break;
            }
        }
        k += 1;
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn report_like_text_chunks_into_well_formed_paragraphs(text in report_text()) {
        let (line_words, paragraphs) = run_chunker(&text);
        check_paragraphs(&paragraphs)?;
        let para_words: Vec<String> = paragraphs.iter().flat_map(|p| words(&p.text)).collect();
        if let Err(e) = subsequence_with_joins(&para_words, &line_words) {
            return Err(TestCaseError::fail(format!("{e}\nparagraphs: {paragraphs:#?}")));
        }
    }

    #[test]
    fn arbitrary_strings_chunk_into_well_formed_paragraphs(text in "\\PC*(\n\\PC*){0,20}") {
        let (line_words, paragraphs) = run_chunker(&text);
        check_paragraphs(&paragraphs)?;
        let para_words: Vec<String> = paragraphs.iter().flat_map(|p| words(&p.text)).collect();
        if let Err(e) = subsequence_with_joins(&para_words, &line_words) {
            return Err(TestCaseError::fail(format!("{e}\nparagraphs: {paragraphs:#?}")));
        }
    }

    #[test]
    fn normalised_words_come_from_the_raw_text(
        lines in proptest::collection::vec(report_line(), 0..40)
    ) {
        // Markup syntax creates words (entities, `\ensuremath`'s argument) and deletes them
        // (tag names, LaTeX commands), so this property is about markup-free text.
        let text: String = lines
            .iter()
            .filter(|l| !l.contains(['<', '&', '\\', '$', '^', '_', '{', '}']))
            .cloned()
            .collect::<Vec<_>>()
            .join("\n");
        let norm: Vec<String> = normalise(&text).iter().flat_map(|l| words(&l.text)).collect();
        let raw = words(&text);
        if let Err(e) = normalised_words_from_raw(&norm, &raw) {
            return Err(TestCaseError::fail(format!("{e}\ntext: {text:?}")));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        if let Ok(parsed) = Ingester::new().ingest_bytes(&bytes, "bytes.txt") {
            check_paragraphs(&parsed.paragraphs)?;
        }
    }

    #[test]
    fn report_like_bytes_ingest_into_well_formed_paragraphs(text in report_text()) {
        let parsed = Ingester::new().ingest_bytes(text.as_bytes(), "r.txt");
        if let Ok(parsed) = parsed {
            check_paragraphs(&parsed.paragraphs)?;
            prop_assert!(parsed.paragraphs.iter().all(|p| p.report_id == parsed.report.report_id));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// A corpus of reports with distinct authorities: distinct report ids, unique paragraph ids.
    #[test]
    fn ids_are_unique_across_a_corpus(bodies in proptest::collection::vec(report_text(), 2..12)) {
        let ingester = Ingester::new();
        let mut report_ids = HashSet::new();
        let mut ids = HashSet::new();
        for (i, body) in bodies.iter().enumerate() {
            let text = format!(
                "Authority{} Council\n\nInspection of services for children in need of help and protection\n\n\
                 Inspection dates: 3 - 14 March 2014\n\n{body}",
                (b'A' + i as u8) as char
            );
            let parsed = match ingester.ingest_str(&text, &format!("r{i}.txt")) {
                Ok(p) => p,
                Err(e) => return Err(TestCaseError::fail(format!("report {i} refused: {e}"))),
            };
            prop_assert!(
                report_ids.insert(parsed.report.report_id.clone()),
                "report id {} appears twice", parsed.report.report_id
            );
            for p in &parsed.paragraphs {
                prop_assert!(ids.insert(p.id.clone()), "paragraph id {} appears twice", p.id);
            }
        }
    }
}

/// The generator must exercise the chunker: most generated reports yield paragraphs, many of
/// them numbered, or the properties above would hold vacuously.
#[test]
fn generated_reports_exercise_the_chunker() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = report_text();
    let (mut with_paragraphs, mut with_numbers, mut multi_line) = (0, 0, 0);
    for _ in 0..200 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        let (_, paragraphs) = run_chunker(&text);
        with_paragraphs += usize::from(!paragraphs.is_empty());
        with_numbers += usize::from(paragraphs.iter().any(|p| p.number.is_some()));
        multi_line += usize::from(paragraphs.len() >= 3);
    }
    assert!(
        with_paragraphs >= 150,
        "{with_paragraphs}/200 with paragraphs"
    );
    assert!(
        with_numbers >= 50,
        "{with_numbers}/200 with numbered paragraphs"
    );
    assert!(multi_line >= 100, "{multi_line}/200 with 3+ paragraphs");
}
