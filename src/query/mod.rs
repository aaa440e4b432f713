//! Querying the index: the [`Query`] builder, and the typed answers [`SearchResults`],
//! [`Hit`], [`Citation`] and [`FacetCounts`].
//!
//! Run a query with [`SearchIndex::search`](crate::SearchIndex::search); the
//! [`index`](crate::index) module shows a whole round trip.

mod builder;
mod facets;
mod guard;
pub(crate) mod parser;
mod results;
mod search;

pub use builder::{Operator, Query, Totals};
pub use results::{Citation, FacetCounts, Hit, SearchResults};
pub(crate) use search::run;
