//! Embedded full-text search over Ofsted inspection reports on English councils' children's
//! services, answering with ranked paragraphs that carry citations.
#![warn(missing_docs)]

pub mod citation;
pub mod error;
pub mod export;
pub mod index;
pub mod ingest;
pub mod model;
pub mod query;

pub use error::{Error, ParseValueError, QueryError, Result};
pub use index::{IndexWriter, IndexedReport, SearchIndex};
pub use model::{Area, Date, Grade, Paragraph, Report, ReportKind};
pub use query::{Citation, FacetCounts, Hit, Operator, Query, SearchResults};

// The README's Rust code blocks run as doctests, so the first code a user copies compiles.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
