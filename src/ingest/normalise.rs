//! Normalisation: raw text to clean, classified lines. (Being written.)

/// One cleaned source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Source line number, starting at 1.
    pub number: usize,
    /// The cleaned text.
    pub text: String,
}

/// Cleans `text` into lines.
pub fn normalise(text: &str) -> Vec<Line> {
    text.lines()
        .enumerate()
        .map(|(i, l)| Line {
            number: i + 1,
            text: l.trim().to_string(),
        })
        .collect()
}
