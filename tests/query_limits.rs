//! Query complexity limits: huge and deeply nested queries are answered or refused with a
//! positioned error, in bounded time (a few seconds even in a debug build), in strict and in
//! lenient mode.

use std::time::{Duration, Instant};

use ofsted_search::ingest::Ingester;
use ofsted_search::{Error, Operator, Query, SearchIndex};

/// Generous for a debug build on a busy machine; a runaway query takes minutes.
const BOUND: Duration = Duration::from_secs(10);

fn index() -> SearchIndex {
    let index = SearchIndex::create_in_ram().unwrap();
    let mut writer = index.writer().unwrap();
    for name in [
        "sheffield-2014-inspection.txt",
        "sheffield-2018-focused-visit-news.txt",
    ] {
        let path = format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
        writer
            .add_report(&Ingester::new().ingest_file(path).unwrap())
            .unwrap();
    }
    writer.commit().unwrap();
    index
}

/// 5,000 words drawn from the reports' vocabulary, so that the terms exist in the index.
fn five_thousand_words() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/sheffield-2014-inspection.txt"
    ))
    .unwrap();
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .cycle()
        .take(5000)
        .collect()
}

/// Runs `query`; it must finish within [`BOUND`] with results or a query error positioned
/// inside the query text. Returns the error's reason, if refused.
fn bounded(index: &SearchIndex, query: &Query) -> Option<String> {
    let start = Instant::now();
    let result = index.search(query);
    let took = start.elapsed();
    assert!(
        took < BOUND,
        "query of {} chars took {took:?}",
        query.text().len()
    );
    match result {
        Ok(_) => None,
        Err(Error::Query(e)) => {
            assert!(e.position <= e.query.chars().count(), "{e}");
            let msg = Error::Query(e.clone()).to_string();
            assert!(
                msg.contains(&format!("at character {}", e.position)),
                "{msg}"
            );
            Some(e.reason)
        }
        Err(e) => panic!("unexpected error: {e}"),
    }
}

#[test]
fn a_five_thousand_word_query_is_refused_or_truncated_quickly() {
    let index = index();
    let text = five_thousand_words().join(" ");
    for op in [Operator::All, Operator::Any] {
        // Strict mode refuses it, naming the limit and where it was passed.
        let mut q = Query::new(&text);
        q.operator(op);
        let reason = bounded(&index, &q).expect("5,000 words are over the clause limit");
        assert!(reason.contains("at most"), "{reason}");
        // Lenient mode (for raw user input) answers with the words up to the limit.
        q.lenient(true);
        assert_eq!(bounded(&index, &q), None);
    }
}

#[test]
fn five_thousand_words_in_one_phrase_or_one_compound_are_bounded() {
    // One clause each, so the clause limit does not apply: a phrase of 5,000 words, and a
    // single hyphenated "word" that the analyzer splits into 5,000 tokens.
    let index = index();
    let words = five_thousand_words();
    for text in [
        format!("\"{}\"", words.join(" ")),
        words.join("-"),
        format!("\"{}\"~50 OR children", words.join(" ")),
    ] {
        for lenient in [false, true] {
            let mut q = Query::new(&text);
            q.lenient(lenient).limit(20);
            bounded(&index, &q);
        }
    }
}

#[test]
fn deep_nesting_is_bounded_without_overflowing_the_stack() {
    let index = index();
    for depth in [33, 1000, 100_000] {
        let text = format!("{}children{}", "(".repeat(depth), ")".repeat(depth));
        // Strict mode refuses it; lenient mode ignores the parentheses past the limit.
        let reason = bounded(&index, &Query::new(&text)).expect("too deep");
        assert!(reason.contains("nested deeper"), "{reason}");
        let mut q = Query::new(&text);
        q.lenient(true);
        assert_eq!(bounded(&index, &q), None);
        // Unbalanced parentheses, and long prefix chains.
        for text in [
            "(".repeat(depth),
            ")".repeat(depth),
            format!("{}children", "NOT ".repeat(depth)),
            format!("{}children", "-".repeat(depth)),
            format!("children{}", " AND".repeat(depth)),
        ] {
            let mut q = Query::new(&text);
            bounded(&index, &q);
            q.lenient(true);
            assert_eq!(
                bounded(&index, &q),
                None,
                "lenient mode refused {:.20}",
                text
            );
        }
    }
}

#[test]
fn nesting_within_the_limit_is_answered() {
    let index = index();
    let text = format!("{}children{}", "(".repeat(30), ")".repeat(30));
    let results = index.search(&Query::new(&text)).unwrap();
    assert!(results.total > 0);
}
