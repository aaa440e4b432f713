//! Citations: every hit carries a citation and a stable id, and the id looks the paragraph up
//! again later — the handle a tool keeps to quote the report.
//!
//! ```text
//! cargo run --example citations
//! ```

use std::error::Error;

use ofsted_search::ingest::Ingester;
use ofsted_search::{Query, SearchIndex};

fn main() -> Result<(), Box<dyn Error>> {
    let index = SearchIndex::create_in_ram()?;
    let mut writer = index.writer()?;
    // Every report of the bundled corpus, text and PDF alike, in name order.
    let files = ofsted_search::ingest::batch::report_files("corpus")?;
    for file in &files {
        writer.add_report(&Ingester::new().ingest_file(file)?)?;
    }
    writer.commit()?;

    // Find a paragraph and keep only its id.
    let results = index.search(&Query::new("\"return home\" interviews"))?;
    let hit = results
        .hits
        .first()
        .ok_or("no paragraph mentions return home interviews")?;
    let id = hit.id.clone();
    println!("found {id}");

    // Later: look it up by id. The lookup gives the paragraph as ingested, with its report's
    // kind and overall grade; its Display is the citation line.
    let citation = index.paragraph(&id)?;
    println!("cite as: {citation}");
    println!("section: {}", citation.paragraph.section);
    println!("report kind: {}", citation.kind);
    if let Some(grade) = citation.overall_grade {
        println!("report's overall grade: {}", grade.label());
    }
    println!("\n{}", citation.paragraph.text);

    assert_eq!(citation.paragraph.id, id);
    assert_eq!(citation.paragraph.text, hit.text);
    assert_eq!(citation.to_string(), hit.citation);

    // An unknown id is an error that names it, not a panic.
    let missing = index.paragraph("no-such-council/2014-inspection/1");
    assert!(missing.is_err());
    println!(
        "\nunknown id: {}",
        missing.err().map(|e| e.to_string()).unwrap_or_default()
    );
    Ok(())
}
