//! Similar paragraphs: "which other authorities got a paragraph like this one?" The source
//! paragraph's most telling words, weighted by rarity, make the query; the source's own
//! authority is left out unless asked for.
//!
//! ```text
//! cargo run --example similar
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

    // The source: the best paragraph on child sexual exploitation.
    let found = index.search(&Query::new("\"sexual exploitation\""))?;
    let source = found
        .hits
        .first()
        .ok_or("no paragraph on sexual exploitation")?;
    println!(
        "like {} ({}):\n  {}\n",
        source.id, source.authority, source.snippet
    );

    // Paragraphs like it, from other authorities.
    let mut like = Query::similar(&source.id);
    like.limit(3);
    let similar = index.search(&like)?;
    for hit in &similar.hits {
        println!("{:.2}  {}\n      {}", hit.score, hit.citation, hit.snippet);
        assert_ne!(hit.authority, source.authority);
    }
    assert!(
        !similar.hits.is_empty(),
        "another authority writes about exploitation too"
    );

    // With the same authority allowed, the source itself is still never its own neighbour.
    like.same_authority(true).limit(20);
    let any = index.search(&like)?;
    assert!(any.hits.iter().all(|h| h.id != source.id));
    assert!(any.total >= similar.total);
    Ok(())
}
