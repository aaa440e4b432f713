//! Embedded full-text search over Ofsted inspection reports on English councils' children's
//! services, answering with ranked paragraphs that carry citations.
//!
//! Ofsted's reports on children's services are long documents of numbered paragraphs grouped
//! under judgement headings, published as PDFs whose text conversions are often damaged. This
//! crate reads such text into cited paragraphs (authority, report, year, paragraph number,
//! section and that section's grade), tags them with themes, indexes them with
//! [tantivy](https://docs.rs/tantivy) inside your process, and answers queries with ranked
//! paragraphs, highlighted snippets and facet counts (per authority, year, grade, theme and
//! judgement area). Every answer can be checked against the published report. When one machine
//! is not enough, [`export`] writes the same paragraphs for Quickwit or Elasticsearch.
//!
//! # Brief overview
//!
//! - [`ingest::Ingester`] reads one report (a file, bytes or a string) into an
//!   [`ingest::ParsedReport`]: its [`Report`] metadata, its [`Paragraph`]s, and the
//!   [`ingest::Warning`]s about what it repaired. [`ingest::Batch`] reads many files, reporting
//!   [`ingest::Progress`] and an [`ingest::Summary`].
//! - [`SearchIndex`] is the index, on disk or in memory; its [`IndexWriter`] adds whole reports
//!   (adding a report again replaces it).
//! - [`Query`] says what to search for, with filters, paging and facets;
//!   [`SearchIndex::search`] returns [`SearchResults`]: ranked [`Hit`]s and [`FacetCounts`].
//!   [`SearchIndex::paragraph`] looks a paragraph up by id as a [`Citation`].
//! - [`Ranking`] says how a query's words become a ranked search (stop words, expansion with
//!   a [`vocab::Vocabulary`] of the field's acronyms and synonyms, the all-words fallback, the
//!   section-heading boost); users can load their own vocabulary from TOML or JSON.
//! - [`Grade`], [`Area`], [`ReportKind`] and [`Date`] are typed values that round-trip through
//!   `Display`/`FromStr` and serde; themes come from a replaceable [`ingest::Taxonomy`].
//! - [`export`] writes paragraphs as NDJSON for Quickwit and Elasticsearch/OpenSearch and reads
//!   them back.
//! - [`Error`] is the one error type: `Send + Sync`, naming the file, line, query position or
//!   index directory involved.
//!
//! # Example: search a report and cite the answer
//!
//! ```
//! use ofsted_search::ingest::Ingester;
//! use ofsted_search::{Query, SearchIndex};
//!
//! let text = "\
//! Sheffield City Council
//!
//! Inspection of services for children in need of help and protection, children looked after and care leavers
//!
//! Inspection dates: 19 November 2013 to 11 December 2013
//!
//! Summary of key findings
//!
//! 1. Services for children in Sheffield require improvement.
//!
//! The experiences and progress of children who need help and protection are good
//!
//! 2. Children are routinely seen and seen alone by social workers.
//!
//! 3. Return home interviews for children who go missing are not always completed.
//!
//! The experiences and progress of children looked after and achieving permanence require improvement
//!
//! 4. Children who go missing from care are offered return home interviews, but too late.
//! ";
//!
//! // Read the report into cited paragraphs.
//! let parsed = Ingester::new().ingest_str(text, "sheffield.txt")?;
//! assert_eq!(parsed.paragraphs.len(), 4);
//!
//! // Index it in memory (`SearchIndex::open_or_create(dir)` keeps an index on disk).
//! let index = SearchIndex::create_in_ram()?;
//! let mut writer = index.writer()?;
//! writer.add_report(&parsed)?;
//! writer.commit()?;
//!
//! // Words match after English stemming ("interview" finds "interviews"); paragraphs with
//! // every word rank first (see `Ranking` for the fallback when few have them all).
//! let results = index.search(&Query::new("missing interview"))?;
//! assert_eq!(results.total, 2);
//! for hit in &results.hits {
//!     println!("{}\n  {}", hit.citation, hit.snippet);
//! }
//! assert_eq!(
//!     results.hits[0].citation,
//!     "Sheffield City Council, Ofsted inspection of children's services (2013), para 3"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Example: faceted search
//!
//! Facet counts cover every matching paragraph, not just the page of hits, and filters narrow
//! the matches without changing their scores.
//!
//! ```
//! # use ofsted_search::ingest::Ingester;
//! # use ofsted_search::{Grade, Query, SearchIndex};
//! # let text = "Sheffield City Council\n\n\
//! #     Inspection of services for children in need of help and protection\n\n\
//! #     Inspection dates: 19 November 2013 to 11 December 2013\n\n\
//! #     Summary of key findings\n\n1. Services for children in Sheffield require improvement.\n\n\
//! #     The experiences and progress of children who need help and protection are good\n\n\
//! #     2. Children are routinely seen and seen alone by social workers.\n\n\
//! #     3. Return home interviews for children who go missing are not always completed.\n\n\
//! #     The experiences and progress of children looked after and achieving permanence require improvement\n\n\
//! #     4. Children who go missing from care are offered return home interviews, but too late.\n";
//! # let index = SearchIndex::create_in_ram()?;
//! # let mut writer = index.writer()?;
//! # writer.add_report(&Ingester::new().ingest_str(text, "sheffield.txt")?)?;
//! # writer.commit()?;
//! // How many paragraphs about missing children sit in sections of each grade?
//! let results = index.search(&Query::new("missing"))?;
//! assert_eq!(results.facets.grade.get("good"), Some(&1));
//! assert_eq!(results.facets.grade.get("requires_improvement"), Some(&1));
//!
//! // Only those in sections graded good.
//! let mut query = Query::new("missing");
//! query.grade(Grade::Good);
//! let good = index.search(&query)?;
//! assert_eq!(good.total, 1);
//! assert_eq!(good.hits[0].number, Some(3));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Example: a citation from a paragraph id
//!
//! Every hit has a stable id (`{report_id}/{paragraph number}`), the handle a tool keeps to
//! quote the report later.
//!
//! ```
//! # use ofsted_search::ingest::Ingester;
//! # use ofsted_search::{Grade, ReportKind, SearchIndex};
//! # let text = "Sheffield City Council\n\n\
//! #     Inspection of services for children in need of help and protection\n\n\
//! #     Inspection dates: 19 November 2013 to 11 December 2013\n\n\
//! #     Summary of key findings\n\n1. Services for children in Sheffield require improvement.\n\n\
//! #     The experiences and progress of children who need help and protection are good\n\n\
//! #     2. Children are routinely seen and seen alone by social workers.\n";
//! # let index = SearchIndex::create_in_ram()?;
//! # let mut writer = index.writer()?;
//! # writer.add_report(&Ingester::new().ingest_str(text, "sheffield.txt")?)?;
//! # writer.commit()?;
//! let citation = index.paragraph("sheffield-city-council/2013-inspection/2")?;
//! assert_eq!(citation.paragraph.number, Some(2));
//! assert_eq!(citation.paragraph.grade, Some(Grade::Good));
//! assert_eq!(citation.kind, ReportKind::Inspection);
//! println!("{}: \"{}\"", citation.paragraph.citation, citation.paragraph.text);
//!
//! // An unknown id is an error, not a panic.
//! assert!(index.paragraph("sheffield-city-council/2013-inspection/99").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Example: index a collection, with progress
//!
//! [`ingest::Batch`] hands each report to the writer as soon as it is read, so a large
//! collection is never held in memory, and reports progress on the way.
//!
//! ```
//! use ofsted_search::ingest::{Batch, Ingester, Progress};
//! use ofsted_search::{Query, SearchIndex};
//!
//! let files = ["corpus/sheffield-2014-inspection.txt", "corpus/rotherham-2014-inspection.txt"];
//! let index = SearchIndex::create_in_ram()?;
//! let mut writer = index.writer()?;
//! let ingester = Ingester::new();
//! let summary = Batch::new(&ingester).run_with_progress(
//!     &files,
//!     |event| {
//!         if let Progress::ReportDone { path, files_done, .. } = event {
//!             eprintln!("{files_done}/{}: {}", files.len(), path.display());
//!         }
//!     },
//!     |_path, parsed| writer.add_report(parsed),
//! )?;
//! writer.commit()?;
//! assert_eq!(summary.reports, 2);
//! assert_eq!(index.num_paragraphs()?, summary.paragraphs as u64);
//! eprintln!("{summary}");
//!
//! let results = index.search(&Query::new("\"child sexual exploitation\""))?;
//! assert_eq!(results.facets.authority.len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

pub mod citation;
mod datafile;
pub mod error;
pub mod export;
pub mod index;
pub mod ingest;
pub mod model;
pub mod query;
pub mod ranking;
#[cfg(feature = "semantic")]
pub mod semantic;
pub mod vocab;

pub use error::{Error, ParseValueError, QueryError, Result};
pub use index::{IndexWriter, IndexedReport, SearchIndex};
pub use model::{Area, Date, Framework, Grade, Paragraph, Report, ReportKind};
pub use query::{Citation, FacetCounts, Hit, Operator, Query, SearchResults, Totals};
pub use ranking::Ranking;

// The README's Rust code blocks run as doctests, so the first code a user copies compiles.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
