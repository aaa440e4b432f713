//! Theme tagging: a taxonomy of children's social care topics applied by transparent rules.
//!
//! (Placeholder: the default taxonomy is being written.)

/// A set of themes and the rules that assign them.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {}

impl Taxonomy {
    /// The theme ids that apply to a paragraph's `text` (and its `section` heading), sorted and
    /// unique.
    pub fn tag(&self, _text: &str, _section: &str) -> Vec<String> {
        Vec::new()
    }
}
