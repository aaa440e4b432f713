//! The query language, parsed into a small tree before any analysis.
//!
//! Syntax: words; `"phrases"` (optionally `"…"~N` for N words of slop); `AND`, `OR`, `NOT`
//! (upper case only, so the lower-case words stay searchable); `+word` (required) and
//! `-word` (excluded) prefixes on a word, phrase or group; `( … )` grouping. `AND` binds
//! tighter than `OR`; words side by side are joined by the default [`Operator`]. An excluded
//! clause always excludes, also in an `OR` list (as in Lucene): `a OR -b` is `a` without `b`.
//! Positions in errors count characters from 0.

use crate::error::QueryError;

use super::builder::Operator;

/// Deepest nesting of parentheses accepted.
const MAX_DEPTH: usize = 32;
/// Most words and phrases in one query.
const MAX_CLAUSES: usize = 1024;

/// How a clause takes part in its boolean group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Occur {
    /// The clause must match.
    Must,
    /// The clause may match (and scores when it does).
    Should,
    /// The clause must not match.
    MustNot,
}

/// A parsed query. Words and phrases are kept as typed; the analyzer runs later.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// One bare word (which the analyzer may still split, e.g. `multi-agency`).
    Word { text: String },
    /// A quoted phrase with its slop.
    Phrase { text: String, slop: u32 },
    /// A boolean combination.
    Bool(Vec<(Occur, Node)>),
    /// Side-by-side words after [`crate::ranking::rewrite`]: the words typed (each typed word
    /// as its words) or any alternative form from the vocabulary. The parser never makes it.
    Alt {
        /// The typed words of the span.
        typed: Vec<Vec<String>>,
        /// Other forms of the span and where they come from.
        alternatives: Vec<(Vec<String>, crate::vocab::EntryKind)>,
    },
    /// Side-by-side words after [`crate::ranking::rewrite`] that name a council: they prefer
    /// that council's paragraphs and match its name in the text, but are never required. The
    /// parser never makes it.
    Authority {
        /// The typed words of the span.
        typed: Vec<Vec<String>>,
        /// The council's name as indexed (its official name).
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Phrase(String, u32),
    LParen,
    RParen,
    And,
    Or,
    Not,
    Plus,
    Minus,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    pos: usize,
}

/// Parses `query`. `Ok(None)` means the query has no clause at all (blank, or in lenient mode
/// nothing usable), which the caller treats as "every paragraph" or "nothing".
pub(crate) fn parse(
    query: &str,
    operator: Operator,
    lenient: bool,
) -> Result<Option<Node>, QueryError> {
    let fail = |position: usize, reason: String| QueryError {
        query: query.to_string(),
        position,
        reason,
    };
    let tokens = lex(query, lenient).map_err(|(p, r)| fail(p, r))?;
    let mut parser = Parser {
        tokens,
        at: 0,
        lenient,
        operator,
    };
    let items = parser.seq(0, false).map_err(|(p, r)| fail(p, r))?;
    Ok(build(items, operator))
}

type Failure = (usize, String);

fn lex(query: &str, lenient: bool) -> Result<Vec<Token>, Failure> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut clauses = 0;
    let mut i = 0;
    let is_break = |c: char| c.is_whitespace() || c == '(' || c == ')' || c == '"';
    while i < chars.len() {
        let c = chars[i];
        let pos = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let tok = match c {
            '(' => {
                i += 1;
                Tok::LParen
            }
            ')' => {
                i += 1;
                Tok::RParen
            }
            '"' => {
                let close = chars[i + 1..].iter().position(|&c| c == '"');
                let end = match close {
                    Some(n) => i + 1 + n,
                    None if lenient => chars.len(),
                    None => return Err((pos, "unterminated phrase: add the closing '\"'".into())),
                };
                let text: String = chars[i + 1..end].iter().collect();
                i = (end + 1).min(chars.len());
                let mut slop = 0;
                if chars.get(i) == Some(&'~') {
                    let digits: String = chars[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_digit())
                        .collect();
                    match digits.parse::<u32>() {
                        Ok(n) if n <= 100 => slop = n,
                        _ if lenient => {}
                        _ => {
                            return Err((
                                i,
                                "expected a number from 0 to 100 after '~' (the phrase slop)"
                                    .into(),
                            ))
                        }
                    }
                    i += 1 + digits.chars().count();
                }
                Tok::Phrase(text, slop)
            }
            '+' | '-' => {
                i += 1;
                match chars.get(i) {
                    Some(&n) if !n.is_whitespace() && n != ')' => {
                        if c == '+' {
                            Tok::Plus
                        } else {
                            Tok::Minus
                        }
                    }
                    _ if lenient => continue,
                    _ => {
                        return Err((
                            pos,
                            format!("'{c}' must be directly followed by a word, a phrase or '('"),
                        ))
                    }
                }
            }
            _ => {
                let start = i;
                while i < chars.len() && !is_break(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                match word.as_str() {
                    "AND" | "&&" => Tok::And,
                    "OR" | "||" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => Tok::Word(word),
                }
            }
        };
        if matches!(tok, Tok::Word(_) | Tok::Phrase(..)) {
            clauses += 1;
            if clauses > MAX_CLAUSES {
                if lenient {
                    break;
                }
                return Err((
                    pos,
                    format!("too many words: a query may have at most {MAX_CLAUSES}"),
                ));
            }
        }
        out.push(Token { tok, pos });
    }
    Ok(out)
}

/// How an item joins the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Join {
    Implicit,
    And,
    Or,
}

/// A prefix operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    None,
    Required,
    Excluded,
}

struct Item {
    join: Join,
    prefix: Prefix,
    node: Node,
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    lenient: bool,
    operator: Operator,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn name(tok: &Tok) -> &'static str {
        match tok {
            Tok::And => "AND",
            Tok::Or => "OR",
            Tok::Not => "NOT",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::Word(_) | Tok::Phrase(..) => "word",
        }
    }

    /// A sequence of items up to the end (or, inside parentheses, up to the `)`).
    fn seq(&mut self, depth: usize, in_group: bool) -> Result<Vec<Item>, Failure> {
        let mut items = Vec::new();
        let mut join: Option<(Join, usize, &'static str)> = None;
        while let Some(token) = self.peek().cloned() {
            match token.tok {
                Tok::RParen if in_group => break,
                Tok::RParen => {
                    if !self.lenient {
                        return Err((token.pos, "unmatched ')'".into()));
                    }
                    self.at += 1;
                }
                Tok::And | Tok::Or => {
                    let name = Self::name(&token.tok);
                    if let Some((_, _, before)) = join {
                        if !self.lenient {
                            return Err((
                                token.pos,
                                format!(
                                    "'{name}' cannot follow '{before}'; put a word between them"
                                ),
                            ));
                        }
                    } else if items.is_empty() {
                        if !self.lenient {
                            return Err((token.pos, format!("'{name}' needs a word before it")));
                        }
                    } else {
                        let j = if token.tok == Tok::And {
                            Join::And
                        } else {
                            Join::Or
                        };
                        join = Some((j, token.pos, name));
                    }
                    self.at += 1;
                }
                _ => {
                    if let Some((prefix, node)) = self.unary(depth)? {
                        let j = join.take().map_or(Join::Implicit, |(j, _, _)| j);
                        items.push(Item {
                            join: if items.is_empty() { Join::Implicit } else { j },
                            prefix,
                            node,
                        });
                    } else {
                        join = None;
                    }
                }
            }
        }
        if let Some((_, pos, name)) = join {
            if !self.lenient {
                return Err((pos, format!("'{name}' needs a word after it")));
            }
        }
        Ok(items)
    }

    /// An optionally prefixed primary. `Ok(None)` only in lenient mode, for input dropped.
    fn unary(&mut self, depth: usize) -> Result<Option<(Prefix, Node)>, Failure> {
        loop {
            let mut prefix = Prefix::None;
            let mut prefix_at: Option<(usize, &'static str)> = None;
            while let Some(token) = self.peek().cloned() {
                let p = match token.tok {
                    Tok::Not | Tok::Minus => Prefix::Excluded,
                    Tok::Plus => Prefix::Required,
                    _ => break,
                };
                let name = Self::name(&token.tok);
                if let Some((_, before)) = prefix_at {
                    if !self.lenient {
                        return Err((
                            token.pos,
                            format!("'{name}' cannot follow '{before}'; use one of them"),
                        ));
                    }
                } else {
                    prefix = p;
                    prefix_at = Some((token.pos, name));
                }
                self.at += 1;
            }
            let missing = |this: &Self| match prefix_at {
                Some((pos, name)) if !this.lenient => Err((
                    pos,
                    format!("'{name}' must be followed by a word, a phrase or '('"),
                )),
                _ => Ok(None),
            };
            let Some(token) = self.peek().cloned() else {
                return missing(self);
            };
            let node = match token.tok {
                Tok::Word(text) => {
                    self.at += 1;
                    Node::Word { text }
                }
                Tok::Phrase(text, slop) => {
                    self.at += 1;
                    if text.trim().is_empty() {
                        if self.lenient {
                            return Ok(None);
                        }
                        return Err((
                            token.pos,
                            "empty phrase: put words between the quotes".into(),
                        ));
                    }
                    Node::Phrase { text, slop }
                }
                Tok::LParen => {
                    self.at += 1;
                    if depth >= MAX_DEPTH {
                        if !self.lenient {
                            return Err((
                                token.pos,
                                format!("parentheses nested deeper than {MAX_DEPTH} levels"),
                            ));
                        }
                        // Leniently, deeper parentheses are ignored. Loop rather than recurse:
                        // a query can hold a million of them.
                        continue;
                    }
                    let items = self.seq(depth + 1, true)?;
                    match self.peek() {
                        Some(Token {
                            tok: Tok::RParen, ..
                        }) => self.at += 1,
                        _ if self.lenient => {}
                        _ => return Err((token.pos, "unclosed '(': add the matching ')'".into())),
                    }
                    match build(items, self.operator) {
                        Some(node) => node,
                        None if self.lenient => return Ok(None),
                        None => {
                            return Err((token.pos, "empty parentheses: put words inside".into()))
                        }
                    }
                }
                Tok::RParen | Tok::And | Tok::Or | Tok::Not | Tok::Plus | Tok::Minus => {
                    return missing(self)
                }
            };
            return Ok(Some((prefix, node)));
        }
    }
}

/// Combines items: `AND` (and side-by-side words under [`Operator::All`]) bind tighter than
/// `OR` (and side-by-side words under [`Operator::Any`]).
fn build(items: Vec<Item>, operator: Operator) -> Option<Node> {
    let mut groups: Vec<Vec<(Prefix, Node)>> = Vec::new();
    for item in items {
        let split = match item.join {
            Join::Or => true,
            Join::And => false,
            Join::Implicit => operator == Operator::Any,
        };
        match groups.last_mut() {
            Some(group) if !split => group.push((item.prefix, item.node)),
            _ => groups.push(vec![(item.prefix, item.node)]),
        }
    }
    if groups.len() > 1 {
        let clauses = groups
            .into_iter()
            .map(|mut group| {
                if group.len() == 1 {
                    let (prefix, node) = group.remove(0);
                    let occur = match prefix {
                        Prefix::None => Occur::Should,
                        Prefix::Required => Occur::Must,
                        Prefix::Excluded => Occur::MustNot,
                    };
                    (occur, node)
                } else {
                    (Occur::Should, and_group(group))
                }
            })
            .collect();
        return Some(Node::Bool(clauses));
    }
    groups.pop().map(and_group)
}

fn and_group(mut group: Vec<(Prefix, Node)>) -> Node {
    if group.len() == 1 && group[0].0 != Prefix::Excluded {
        return group.remove(0).1;
    }
    Node::Bool(
        group
            .into_iter()
            .map(|(prefix, node)| {
                let occur = if prefix == Prefix::Excluded {
                    Occur::MustNot
                } else {
                    Occur::Must
                };
                (occur, node)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(t: &str) -> Node {
        Node::Word { text: t.into() }
    }

    fn strict(q: &str) -> Option<Node> {
        parse(q, Operator::All, false).unwrap()
    }

    fn error(q: &str) -> QueryError {
        parse(q, Operator::All, false).unwrap_err()
    }

    /// Found by tests/query_limits.rs: in lenient mode each parenthesis past the depth limit
    /// was skipped by a recursive call, so 100,000 of them overflowed the stack and aborted
    /// the process.
    #[test]
    fn lenient_mode_skips_a_hundred_thousand_parentheses_without_recursing() {
        let deep = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(parse(&deep, Operator::All, true).unwrap(), Some(word("x")));
        assert!(error(&deep).reason.contains("nested deeper"));
        let chain = format!("{}x", "NOT (".repeat(100_000));
        assert!(parse(&chain, Operator::All, true).is_ok());
    }

    #[test]
    fn words_are_joined_by_the_default_operator() {
        assert_eq!(
            strict("a b"),
            Some(Node::Bool(vec![
                (Occur::Must, word("a")),
                (Occur::Must, word("b"))
            ]))
        );
        assert_eq!(
            parse("a b", Operator::Any, false).unwrap(),
            Some(Node::Bool(vec![
                (Occur::Should, word("a")),
                (Occur::Should, word("b"))
            ]))
        );
    }

    #[test]
    fn and_binds_tighter_than_or() {
        assert_eq!(
            strict("a OR b AND c"),
            Some(Node::Bool(vec![
                (Occur::Should, word("a")),
                (
                    Occur::Should,
                    Node::Bool(vec![(Occur::Must, word("b")), (Occur::Must, word("c"))])
                ),
            ]))
        );
    }

    #[test]
    fn prefixes_phrases_and_groups() {
        assert_eq!(
            strict("\"return home\"~2 -(police OR health) +x"),
            Some(Node::Bool(vec![
                (
                    Occur::Must,
                    Node::Phrase {
                        text: "return home".into(),
                        slop: 2
                    }
                ),
                (
                    Occur::MustNot,
                    Node::Bool(vec![
                        (Occur::Should, word("police")),
                        (Occur::Should, word("health"))
                    ])
                ),
                (Occur::Must, word("x")),
            ]))
        );
        // `-` inside a word and lower-case operators are plain text.
        assert_eq!(
            strict("multi-agency and"),
            Some(Node::Bool(vec![
                (Occur::Must, word("multi-agency")),
                (Occur::Must, word("and"))
            ]))
        );
        assert_eq!(
            strict("NOT a"),
            Some(Node::Bool(vec![(Occur::MustNot, word("a"))]))
        );
        assert_eq!(strict("   "), None);
    }

    #[test]
    fn errors_name_the_character_position() {
        let cases = [
            ("a \"b c", 2, "unterminated"),
            ("a )", 2, "unmatched"),
            ("x (a b", 2, "unclosed"),
            ("a ()", 2, "empty parentheses"),
            ("AND a", 0, "before"),
            ("a OR", 2, "after"),
            ("a AND OR b", 6, "cannot follow"),
            ("a NOT", 2, "must be followed"),
            ("a - b", 2, "directly followed"),
            ("a \"\"", 2, "empty phrase"),
            ("\"a b\"~x", 5, "slop"),
            ("NOT -a", 4, "cannot follow"),
            // Positions count characters, not bytes.
            ("é ü )", 4, "unmatched"),
        ];
        for (query, position, reason) in cases {
            let e = error(query);
            assert_eq!(e.position, position, "{query}: {e}");
            assert!(e.reason.contains(reason), "{query}: {e}");
            assert_eq!(e.query, query);
        }
        let deep = "(".repeat(40) + "a" + &")".repeat(40);
        assert!(error(&deep).reason.contains("nested"));
        let long = "a ".repeat(MAX_CLAUSES + 1);
        assert!(error(&long).reason.contains("too many"));
    }

    #[test]
    fn lenient_mode_repairs_what_strict_mode_rejects() {
        let lenient = |q: &str| parse(q, Operator::All, true).unwrap();
        assert_eq!(
            lenient("\"return home"),
            Some(Node::Phrase {
                text: "return home".into(),
                slop: 0
            })
        );
        assert_eq!(lenient("a )"), Some(word("a")));
        assert_eq!(lenient("(a"), Some(word("a")));
        assert_eq!(
            lenient("AND a OR"),
            Some(word("a")),
            "dangling operators are dropped"
        );
        assert_eq!(
            lenient("help - protection"),
            Some(Node::Bool(vec![
                (Occur::Must, word("help")),
                (Occur::Must, word("protection"))
            ]))
        );
        assert_eq!(lenient("() \"\" NOT"), None);
        let deep = "(".repeat(40) + "a" + &")".repeat(40);
        assert_eq!(lenient(&deep), Some(word("a")));
    }

    proptest::proptest! {
        #[test]
        fn lenient_mode_never_fails(q in "[ a-c()\"+~0-9-]{0,40}|(AND|OR|NOT|[()\"+-]| |x){0,30}") {
            proptest::prop_assert!(parse(&q, Operator::All, true).is_ok());
            proptest::prop_assert!(parse(&q, Operator::Any, true).is_ok());
        }

        #[test]
        fn lenient_mode_changes_nothing_that_strict_mode_accepts(
            q in "(AND|OR|NOT|[()\"+~-]| |x|y|2){0,30}"
        ) {
            if let Ok(strict) = parse(&q, Operator::All, false) {
                proptest::prop_assert_eq!(parse(&q, Operator::All, true), Ok(strict));
            }
        }

        #[test]
        fn strict_errors_point_inside_the_query(q in "(AND|OR|NOT|[()\"+~-]| |x|é){0,30}") {
            if let Err(e) = parse(&q, Operator::All, false) {
                proptest::prop_assert!(e.position < q.chars().count().max(1));
            }
        }
    }
}
