//! Facet counting straight from the fast-field columns: per segment, one counter per term
//! ordinal of each facet column, turned into strings once at the end.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::results::FacetCounts;
use crate::index::COUNTED_FACETS;

/// Counts facet values of every matching paragraph.
pub(crate) struct FacetCollector;

pub(crate) struct FacetSegmentCollector {
    columns: Vec<(&'static str, StrColumn, Vec<u32>)>,
}

impl Collector for FacetCollector {
    type Fruit = Result<FacetCounts, String>;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let fast = segment.fast_fields();
        let mut columns = Vec::with_capacity(COUNTED_FACETS.len());
        for name in COUNTED_FACETS {
            // A segment where no document has a value has no column.
            if let Some(column) = fast.str(name)? {
                let counts = vec![0; column.num_terms()];
                columns.push((name, column, counts));
            }
        }
        Ok(FacetSegmentCollector { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Result<FacetCounts, String>>,
    ) -> tantivy::Result<Result<FacetCounts, String>> {
        let mut total = FacetCounts::default();
        for fruit in fruits {
            let counts = match fruit {
                Ok(counts) => counts,
                Err(e) => return Ok(Err(e)),
            };
            for name in COUNTED_FACETS {
                if let (Some(into), Some(from)) = (total.facet_mut(name), counts.facet(name)) {
                    for (value, n) in from {
                        *into.entry(value.clone()).or_insert(0) += n;
                    }
                }
            }
        }
        Ok(Ok(total))
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = Result<FacetCounts, String>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (_, column, counts) in &mut self.columns {
            for ord in column.term_ords(doc) {
                // Ordinals come from the column's own dictionary, so they are in range.
                if let Some(n) = counts.get_mut(ord as usize) {
                    *n += 1;
                }
            }
        }
    }

    fn harvest(self) -> Result<FacetCounts, String> {
        let mut out = FacetCounts::default();
        let mut value = String::new();
        for (name, column, counts) in self.columns {
            let Some(map) = out.facet_mut(name) else {
                continue;
            };
            for (ord, &n) in counts.iter().enumerate() {
                if n == 0 {
                    continue;
                }
                match column.ord_to_str(ord as u64, &mut value) {
                    Ok(true) => {
                        map.insert(value.clone(), u64::from(n));
                    }
                    Ok(false) => return Err(format!("facet '{name}': term {ord} missing")),
                    Err(e) => return Err(format!("facet '{name}': {e}")),
                }
            }
        }
        Ok(out)
    }
}
