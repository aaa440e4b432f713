//! Faceted search: how many paragraphs about a topic carry each theme, in sections of each
//! grade — a theme × grade table computed from facet counts.
//!
//! ```text
//! cargo run --example facets
//! ```
//!
//! Facet counts always cover every matching paragraph, not just the page of hits, so a
//! query with `limit(0)` is a cheap way to count.

use std::error::Error;

use ofsted_search::ingest::Ingester;
use ofsted_search::{FacetCounts, Grade, Query, SearchIndex};

fn main() -> Result<(), Box<dyn Error>> {
    // Index the bundled reports in memory.
    let index = SearchIndex::create_in_ram()?;
    let mut writer = index.writer()?;
    // Every report of the bundled corpus, text and PDF alike, in name order.
    let files = ofsted_search::ingest::batch::report_files("corpus")?;
    for file in &files {
        writer.add_report(&Ingester::new().ingest_file(file)?)?;
    }
    writer.commit()?;

    // One counting query for the topic over the whole corpus...
    let topic = "children";
    let mut overall = Query::new(topic);
    overall.limit(0);
    let overall = index.search(&overall)?;
    println!("{} paragraphs mention {topic:?}\n", overall.total);

    // ...then one per grade: its theme counts are a column of the table.
    let mut columns = Vec::new();
    for (grade, &count) in &overall.facets.grade {
        let mut q = Query::new(topic);
        q.grade(grade.parse::<Grade>()?).limit(0);
        let column = index.search(&q)?;

        // The grade filter selects exactly the paragraphs the grade facet counted.
        assert_eq!(column.total, count);
        assert_eq!(column.facets.grade.len(), 1);
        // A column never counts more than the whole row.
        for (theme, n) in &column.facets.theme {
            assert!(*n <= overall.facets.theme[theme]);
        }
        columns.push((grade, column));
    }

    // Print themes down, grades across.
    print!("{:<24}", "theme");
    for (grade, _) in &columns {
        print!("{:>22}", grade);
    }
    println!("{:>8}", "all");
    for (theme, all) in FacetCounts::ranked(&overall.facets.theme) {
        print!("{theme:<24}");
        for (_, column) in &columns {
            print!(
                "{:>22}",
                column.facets.theme.get(theme).copied().unwrap_or(0)
            );
        }
        println!("{all:>8}");
    }

    // Paragraphs of ungraded sections are in no row.
    let graded: u64 = overall.facets.grade.values().sum();
    assert!(graded <= overall.total);
    println!(
        "\n{} of {} paragraphs are in graded sections",
        graded, overall.total
    );
    Ok(())
}
