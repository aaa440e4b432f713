//! Word pairs for fast phrases: every pair of adjacent words ("word next") is a term of the
//! `pairs` field, so a two-word phrase is one term lookup, and a longer phrase is first
//! narrowed to the paragraphs holding all its pairs, whose postings are far shorter than those
//! of its words, before the words' positions are checked ([`super::pair_phrase`]).
//!
//! Without pairs, "the local authority" reads the positions of "the" in nearly every
//! paragraph; with them it only reads them where "the local" and "local authority" meet.
//!
//! Pairs live in a field of their own, with frequencies but no positions: a pair term already
//! says that its words are adjacent. Until schema 6 they shared `text` (and its positions)
//! with the words; BM25 then counted a paragraph's length as its words plus its pairs. To
//! keep every score exactly as it was, each field counts the same tokens still: `text` emits a
//! [`FILLER`] token where it used to emit a pair, `pairs` one where it used to emit a word.
//! The filler is one term per field, never searched for, with one short posting per paragraph.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Separates the two words of a pair term; words never contain it (the tokenizer splits on
/// non-alphanumerics), so a pair never equals a word.
pub(crate) const PAIR_SEPARATOR: char = ' ';

/// The token that stands in for a pair in `text`, and for a word in `pairs`, so that both
/// fields' lengths (BM25's fieldnorms) count words and pairs, as `text` did when it held both.
/// It is never a word (the tokenizer splits on non-alphanumerics) nor a pair (no space).
pub(crate) const FILLER: &str = "_";

/// The pair term of two analysed words.
pub(crate) fn pair(first: &str, second: &str) -> String {
    let mut s = String::with_capacity(first.len() + second.len() + 1);
    s.push_str(first);
    s.push(PAIR_SEPARATOR);
    s.push_str(second);
    s
}

/// Which of the two token kinds a [`WordPairs`] filter emits as themselves; the other kind is
/// emitted as [`FILLER`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Emit {
    /// Words (the `text` field): a filler in place of each pair.
    Words,
    /// Pairs (the `pairs` field): a filler in place of each word.
    Pairs,
    /// Both, as schema 6's `text` field did: tests compare the two schemas' scores.
    #[cfg(test)]
    Both,
}

/// Walks every word, and after it the pair it forms with the following word (when that word
/// is adjacent: a dropped over-long token breaks the chain), at the first word's position;
/// emits one kind as itself and the other as [`FILLER`] (see [`Emit`]).
#[derive(Clone)]
pub(crate) struct WordPairs(pub(crate) Emit);

impl TokenFilter for WordPairs {
    type Tokenizer<T: Tokenizer> = WordPairsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> WordPairsFilter<T> {
        WordPairsFilter {
            inner: tokenizer,
            emit: self.0,
        }
    }
}

#[derive(Clone)]
pub(crate) struct WordPairsFilter<T> {
    inner: T,
    emit: Emit,
}

impl<T: Tokenizer> Tokenizer for WordPairsFilter<T> {
    type TokenStream<'a> = WordPairsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        WordPairsStream {
            tail: self.inner.token_stream(text),
            prev: None,
            pending: None,
            out: Token::default(),
            emit: self.emit,
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
    emit: Emit,
}

impl<S> WordPairsStream<S> {
    /// Emits a word as itself, or as the filler.
    fn word(&mut self, word: &Token) {
        self.out.clone_from(word);
        if self.emit == Emit::Pairs {
            self.out.text.clear();
            self.out.text.push_str(FILLER);
        }
    }
}

impl<S: TokenStream> TokenStream for WordPairsStream<S> {
    fn advance(&mut self) -> bool {
        if let Some(word) = self.pending.take() {
            self.word(&word);
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
                if self.emit != Emit::Words {
                    self.out.text.push_str(&prev.text);
                    self.out.text.push(PAIR_SEPARATOR);
                    self.out.text.push_str(&word.text);
                } else {
                    self.out.text.push_str(FILLER);
                }
                self.out.position = prev.position;
                self.out.position_length = 1;
                self.out.offset_from = prev.offset_from;
                self.out.offset_to = word.offset_to;
                self.pending = Some(word);
            }
            _ => {
                self.word(&word);
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

    fn tokens(emit: Emit, text: &str) -> Vec<(String, usize)> {
        let mut a = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(WordPairs(emit))
            .build();
        let mut stream = a.token_stream(text);
        let mut got = Vec::new();
        while stream.advance() {
            got.push((stream.token().text.clone(), stream.token().position));
        }
        got
    }

    fn owned(want: &[(&str, usize)]) -> Vec<(String, usize)> {
        want.iter().map(|(t, p)| (t.to_string(), *p)).collect()
    }

    #[test]
    fn words_then_pairs_at_the_first_words_position() {
        let words = [
            ("the", 0),
            (FILLER, 0),
            ("local", 1),
            (FILLER, 1),
            ("authority", 2),
        ];
        assert_eq!(tokens(Emit::Words, "The local authority"), owned(&words));
        let pairs = [
            (FILLER, 0),
            ("the local", 0),
            (FILLER, 1),
            ("local authority", 1),
            (FILLER, 2),
        ];
        assert_eq!(tokens(Emit::Pairs, "The local authority"), owned(&pairs));
    }
}
