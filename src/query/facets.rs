//! Facet counting straight from the fast-field columns: per segment, one counter per term
//! ordinal of each facet column, turned into strings once at the end.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, StrColumn};
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

/// Ordinals come from the column's own dictionary, so they are in range; a miss is ignored
/// rather than trusted.
fn bump(counts: &mut [u32], ord: u64) {
    if let Some(n) = counts.get_mut(ord as usize) {
        *n += 1;
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = Result<FacetCounts, String>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (_, column, counts) in &mut self.columns {
            let ords = column.ords();
            // Single-valued columns (all but themes) answer with one lookup, without the
            // iterator a multi-valued column needs.
            if ords.get_cardinality() == Cardinality::Multivalued {
                for ord in ords.values_for_doc(doc) {
                    bump(counts, ord);
                }
            } else if let Some(ord) = ords.first(doc) {
                bump(counts, ord);
            }
        }
    }

    fn harvest(self) -> Result<FacetCounts, String> {
        let mut out = FacetCounts::default();
        for (name, column, counts) in self.columns {
            let Some(map) = out.facet_mut(name) else {
                continue;
            };
            // One sorted walk of the dictionary: looking ordinals up one by one would decode
            // a dictionary block per value, which dominated the whole results page.
            let (ords, ns): (Vec<u64>, Vec<u32>) = counts
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(ord, &n)| (ord as u64, n))
                .unzip();
            let mut ns = ns.into_iter();
            let mut bad_utf8 = false;
            let complete = column
                .dictionary()
                .sorted_ords_to_term_cb(&ords, |bytes| match std::str::from_utf8(bytes) {
                    Ok(value) => {
                        let n = ns.next().unwrap_or(0);
                        map.insert(value.to_string(), u64::from(n));
                    }
                    Err(_) => bad_utf8 = true,
                })
                .map_err(|e| format!("facet '{name}': {e}"))?;
            if !complete || bad_utf8 {
                return Err(format!("facet '{name}': the value dictionary is damaged"));
            }
        }
        Ok(out)
    }
}
