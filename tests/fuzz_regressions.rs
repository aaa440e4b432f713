//! Regression tests for what the fuzz targets (`fuzz/`, see TESTING.md) found, each on the
//! input that exposed it (or a readable equivalent).

use ofsted_search::ingest::Ingester;
use ofsted_search::{Operator, Query, SearchIndex};

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

fn total(index: &SearchIndex, text: &str, operator: Operator) -> u64 {
    let mut q = Query::new(text);
    // Exact boolean semantics (the totals below add up): no all-words fallback.
    q.operator(operator)
        .lenient(true)
        .limit(15)
        .ranking(ofsted_search::Ranking::plain());
    index.search(&q).unwrap().total
}

/// `query` target, first finding: an excluded phrase (or an excluded word the analyzer splits
/// in two, like `-p\u{fffd}e`) made tantivy's phrase scorer fail a debug assertion when the
/// exclusion asked it about a document before its first match. Fixed by `query::guard`.
#[test]
fn excluded_phrases_do_not_panic_and_exclude_exactly() {
    let index = index();
    for (text, op) in [
        (
            "\"return home\" interviews -p\u{fffd}\u{fffd}\u{fffd}e",
            Operator::Any,
        ),
        ("children -\"social workers\"", Operator::All),
        ("children -\"the children\"", Operator::All),
        ("-\"social workers\"", Operator::All),
        (
            "children -(\"social workers\" OR \"young people\")",
            Operator::All,
        ),
    ] {
        total(&index, text, op);
    }
    let children = total(&index, "children", Operator::All);
    let with = total(&index, "children \"social workers\"", Operator::All);
    let without = total(&index, "children -\"social workers\"", Operator::All);
    assert!(with > 0 && without > 0);
    assert_eq!(with + without, children);
}
