//! Word pairs for fast phrases: after each word the analyzer also emits the pair "word next"
//! at the word's position, so a two-word phrase is one term lookup and a longer phrase is a
//! phrase of pairs, whose postings are far shorter than those of its words.
//!
//! Without pairs, "the local authority" reads the positions of "the" in nearly every
//! paragraph; with them it intersects "the local" and "local authority".

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Separates the two words of a pair term; words never contain it (the tokenizer splits on
/// non-alphanumerics), so a pair never equals a word.
pub(crate) const PAIR_SEPARATOR: char = ' ';

/// The pair term of two analysed words.
pub(crate) fn pair(first: &str, second: &str) -> String {
    let mut s = String::with_capacity(first.len() + second.len() + 1);
    s.push_str(first);
    s.push(PAIR_SEPARATOR);
    s.push_str(second);
    s
}

/// Emits every word, and after it the pair it forms with the following word (when that word
/// is adjacent: a dropped over-long token breaks the chain).
#[derive(Clone, Default)]
pub(crate) struct WordPairs;

impl TokenFilter for WordPairs {
    type Tokenizer<T: Tokenizer> = WordPairsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> WordPairsFilter<T> {
        WordPairsFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub(crate) struct WordPairsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for WordPairsFilter<T> {
    type TokenStream<'a> = WordPairsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        WordPairsStream {
            tail: self.inner.token_stream(text),
            prev: None,
            pending: None,
            out: Token::default(),
        }
    }
}

pub(crate) struct WordPairsStream<S> {
    tail: S,
    /// The last word emitted.
    prev: Option<Token>,
    /// A word read from the tail, to emit after the pair that ends with it.
    pending: Option<Token>,
    out: Token,
}

impl<S: TokenStream> TokenStream for WordPairsStream<S> {
    fn advance(&mut self) -> bool {
        if let Some(word) = self.pending.take() {
            self.out.clone_from(&word);
            self.prev = Some(word);
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let word = self.tail.token().clone();
        match self.prev.take() {
            Some(prev) if prev.position + 1 == word.position => {
                self.out.text.clear();
                self.out.text.push_str(&prev.text);
                self.out.text.push(PAIR_SEPARATOR);
                self.out.text.push_str(&word.text);
                self.out.position = prev.position;
                self.out.position_length = 1;
                self.out.offset_from = prev.offset_from;
                self.out.offset_to = word.offset_to;
                self.pending = Some(word);
            }
            _ => {
                self.out.clone_from(&word);
                self.prev = Some(word);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        &self.out
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.out
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    use super::*;

    #[test]
    fn words_then_pairs_at_the_first_words_position() {
        let mut a = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(WordPairs)
            .build();
        let mut stream = a.token_stream("The local authority");
        let mut got = Vec::new();
        while stream.advance() {
            got.push((stream.token().text.clone(), stream.token().position));
        }
        let want = [
            ("the", 0),
            ("the local", 0),
            ("local", 1),
            ("local authority", 1),
            ("authority", 2),
        ];
        let want: Vec<(String, usize)> = want.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        assert_eq!(got, want);
    }
}
