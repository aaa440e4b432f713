//! Fuzz target: arbitrary query text, parsed and run on a small in-memory index built once
//! from two bundled reports. The first byte picks the options (lenient, operator, facets,
//! paging, "similar to" instead of a text query); the rest is the query text. Any panic is a
//! bug; the only acceptable errors are a query error (with a position inside the query) and
//! "not found" for an unknown "similar to" id.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ofsted_search::ingest::Ingester;
use ofsted_search::query::Operator;
use ofsted_search::{Error, Query, SearchIndex};

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let ingester = Ingester::new();
        let index = SearchIndex::create_in_ram().unwrap();
        let mut writer = index.writer().unwrap();
        for (name, text) in [
            (
                "sheffield-2014-inspection.txt",
                include_str!("../../corpus/sheffield-2014-inspection.txt"),
            ),
            (
                "sheffield-2018-focused-visit-news.txt",
                include_str!("../../corpus/sheffield-2018-focused-visit-news.txt"),
            ),
        ] {
            writer
                .add_report(&ingester.ingest_str(text, name).unwrap())
                .unwrap();
        }
        writer.commit().unwrap();
        index
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut query = if flags & 0x80 != 0 {
        Query::similar(&text)
    } else {
        Query::new(&text)
    };
    query
        .lenient(flags & 1 != 0)
        .operator(if flags & 2 != 0 { Operator::Any } else { Operator::All })
        .facets(flags & 4 != 0)
        .limit(usize::from(flags >> 3 & 7) * 3)
        .offset(usize::from(flags >> 6 & 1) * 5)
        .snippet_chars(if flags & 0x40 != 0 { 0 } else { 60 });
    match index().search(&query) {
        Ok(results) => {
            assert!(results.hits.len() as u64 <= results.total);
        }
        Err(Error::Query(e)) => {
            // Lenient mode repairs syntax but still enforces the complexity limits.
            let limit = e.reason.contains("at most") || e.reason.contains("deeper");
            assert!(flags & 1 == 0 || limit, "lenient mode refused: {e}");
            assert!(e.position <= e.query.chars().count(), "position past the end: {e}");
        }
        Err(Error::NotFound(_)) if flags & 0x80 != 0 => {}
        Err(e) => panic!("unexpected error: {e}"),
    }
});
