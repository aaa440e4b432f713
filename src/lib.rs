//! Embedded full-text search over Ofsted inspection reports on English councils' children's
//! services, answering with ranked paragraphs that carry citations.
#![warn(missing_docs)]

pub mod citation;
pub mod error;
pub mod ingest;
pub mod model;

pub use error::{Error, ParseValueError, QueryError, Result};
pub use model::{Area, Date, Grade, Paragraph, Report, ReportKind};
