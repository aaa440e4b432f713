//! A throwaway ranking prototype, built directly on tantivy with the crate's analyzer settings,
//! to measure query-semantics ideas before they move into the crate's query layer.

use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::{doc, Index, IndexReader, TantivyDocument, Term};

use ofsted_search::vocab::{words, EntryKind, Vocabulary};

use crate::harness::{Corpus, Error, EvalQuery, DEPTH};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    Or,
    And,
    /// AND hits first, then OR hits.
    AndThenOr,
    /// At least this share of units must match.
    MinShare(f32),
}

#[derive(Debug, Clone)]
pub struct Options {
    pub stem: bool,
    pub vocab: Option<Vocabulary>,
    pub synonym_weight: f32,
    pub acronym_weight: f32,
    pub variant_weight: f32,
    pub stopwords: bool,
    pub mode: Mode,
    pub proximity: f32,
    pub slop: u32,
    pub section_boost: f32,
    pub fuse: bool,
    pub tie: f32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            stem: false,
            vocab: None,
            synonym_weight: 0.5,
            acronym_weight: 1.0,
            variant_weight: 1.0,
            stopwords: false,
            mode: Mode::Or,
            proximity: 0.0,
            slop: 3,
            section_boost: 0.0,
            fuse: false,
            tie: 0.1,
        }
    }
}

pub const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "for",
    "from",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "me",
    "my",
    "of",
    "on",
    "or",
    "our",
    "s",
    "she",
    "should",
    "so",
    "some",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "too",
    "us",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "show",
    "find",
    "tell",
    "list",
    "give",
    "paragraphs",
    "paragraph",
    "inspectors",
    "say",
    "said",
    "ofsted",
    "many",
    "much",
    "not",
    "no",
];

pub struct Prototype<'c> {
    corpus: &'c Corpus,
    reader: IndexReader,
    analyzer: TextAnalyzer,
    text: Field,
    section: Field,
    id: Field,
    pub opts: Options,
}

fn analyzer(stem: bool) -> TextAnalyzer {
    if stem {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build()
    } else {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .build()
    }
}

impl<'c> Prototype<'c> {
    pub fn build(corpus: &'c Corpus, opts: Options) -> Result<Prototype<'c>, Error> {
        let mut b = Schema::builder();
        let analysed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("proto")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let id = b.add_text_field("id", STRING | STORED);
        let text = b.add_text_field("text", analysed.clone());
        let section = b.add_text_field("section", analysed);
        let index = Index::create_in_ram(b.build());
        index.tokenizers().register("proto", analyzer(opts.stem));
        let mut writer = index.writer_with_num_threads(1, 50_000_000)?;
        for p in &corpus.paragraphs {
            writer.add_document(
                doc!(id => p.id.clone(), text => p.text.clone(), section => p.section.clone()),
            )?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(Prototype {
            corpus,
            reader,
            analyzer: analyzer(opts.stem),
            text,
            section,
            id,
            opts,
        })
    }

    fn tokens(&self, ws: &[String]) -> Vec<String> {
        let mut a = self.analyzer.clone();
        let mut out = Vec::new();
        for w in ws {
            let mut s = a.token_stream(w);
            while let Some(t) = s.next() {
                out.push(t.text.clone());
            }
        }
        out
    }

    fn known(&self, word: &str) -> bool {
        let toks = self.tokens(&[word.to_string()]);
        let Some(t) = toks.first() else { return false };
        let term = Term::from_field_text(self.text, t);
        self.reader.searcher().doc_freq(&term).unwrap_or(0) > 0
    }

    /// A query for a word sequence in one field: a term, or a phrase.
    fn seq(&self, field: Field, ws: &[String], slop: u32) -> Option<Box<dyn Query>> {
        let toks = self.tokens(ws);
        let terms: Vec<Term> = toks
            .iter()
            .map(|t| Term::from_field_text(field, t))
            .collect();
        match terms.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                terms[0].clone(),
                IndexRecordOption::WithFreqs,
            ))),
            _ => {
                let mut p = PhraseQuery::new(terms);
                p.set_slop(slop);
                Some(Box::new(p))
            }
        }
    }

    fn unit_query(
        &self,
        field: Field,
        typed: &[String],
        alts: &[(Vec<String>, f32)],
    ) -> Option<Box<dyn Query>> {
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        // The words typed: each word on its own (as plain BM25 would), so a span still
        // matches where its words are not adjacent.
        let typed_q: Option<Box<dyn Query>> = if typed.len() == 1 || alts.is_empty() {
            self.seq(field, typed, 0)
        } else {
            let parts: Vec<(Occur, Box<dyn Query>)> = typed
                .iter()
                .filter_map(|w| {
                    self.seq(field, std::slice::from_ref(w), 0)
                        .map(|q| (Occur::Should, q))
                })
                .collect();
            (!parts.is_empty()).then(|| Box::new(BooleanQuery::new(parts)) as Box<dyn Query>)
        };
        if let Some(q) = typed_q {
            disjuncts.push(q);
        }
        for (ws, w) in alts {
            if let Some(q) = self.seq(field, ws, 0) {
                // Scale to the typed span's size: a phrase scores the sum of its words' IDFs.
                let scale = typed.len() as f32 / ws.len() as f32;
                disjuncts.push(Box::new(BoostQuery::new(q, *w * scale)));
            }
        }
        match disjuncts.len() {
            0 => None,
            1 => disjuncts.pop(),
            _ => Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
                disjuncts,
                self.opts.tie,
            ))),
        }
    }

    /// Units: (typed words, alternatives). Quoted phrases are single units without expansion.
    fn units(&self, text: &str) -> Vec<(Vec<String>, Vec<(Vec<String>, f32)>)> {
        let mut units = Vec::new();
        let mut free = Vec::new();
        for (i, part) in text.split('"').enumerate() {
            if i % 2 == 1 {
                let ws = words(part);
                if !ws.is_empty() {
                    units.push((ws, Vec::new()));
                }
            } else {
                free.extend(words(part));
            }
        }
        let mut ws = free;
        if self.opts.stopwords {
            let kept: Vec<String> = ws
                .iter()
                .filter(|w| !STOPWORDS.contains(&String::as_str(w)))
                .cloned()
                .collect();
            if !kept.is_empty() {
                ws = kept;
            }
        }
        let exps = self
            .opts
            .vocab
            .as_ref()
            .map(|v| v.expand(&ws))
            .unwrap_or_default();
        let mut i = 0;
        while i < ws.len() {
            if let Some(e) = exps.iter().find(|e| e.start() == i) {
                let alts = e
                    .alternatives()
                    .iter()
                    .map(|a| {
                        let w = match a.kind() {
                            EntryKind::Acronym => self.opts.acronym_weight,
                            EntryKind::Synonym => self.opts.synonym_weight,
                            EntryKind::Variant => self.opts.variant_weight,
                        };
                        (a.words().to_vec(), w)
                    })
                    .collect();
                units.push((ws[e.start()..e.end()].to_vec(), alts));
                i = e.end();
            } else {
                let mut alts = Vec::new();
                if self.opts.fuse {
                    // A fused word the index splits: try every split into two known words.
                    let w = &ws[i];
                    if w.len() >= 7 {
                        for k in 3..w.len() - 2 {
                            if !w.is_char_boundary(k) {
                                continue;
                            }
                            let (a, b) = w.split_at(k);
                            if self.known(a) && self.known(b) {
                                alts.push((
                                    vec![a.to_string(), b.to_string()],
                                    self.opts.variant_weight,
                                ));
                            }
                        }
                    }
                    // Two typed words the index has fused.
                    if i + 1 < ws.len() {
                        let joined = format!("{}{}", ws[i], ws[i + 1]);
                        if self.known(&joined) {
                            // handled as a separate unit below
                            units.push((vec![joined], Vec::new()));
                        }
                    }
                }
                units.push((vec![ws[i].clone()], alts));
                i += 1;
            }
        }
        units
    }

    fn query(&self, q: &EvalQuery, mode: Mode) -> Box<dyn Query> {
        let units = self.units(&q.text);
        let mut unit_qs: Vec<Box<dyn Query>> = Vec::new();
        for (typed, alts) in &units {
            let t = self.unit_query(self.text, typed, alts);
            let s = (self.opts.section_boost > 0.0)
                .then(|| self.unit_query(self.section, typed, alts))
                .flatten();
            let q: Option<Box<dyn Query>> = match (t, s) {
                (Some(t), Some(s)) => Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Should, t),
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(s, self.opts.section_boost)),
                    ),
                ]))),
                (t, _) => t,
            };
            if let Some(q) = q {
                unit_qs.push(q);
            }
        }
        let n = unit_qs.len();
        let occur = if mode == Mode::And {
            Occur::Must
        } else {
            Occur::Should
        };
        let mut main = BooleanQuery::new(unit_qs.into_iter().map(|q| (occur, q)).collect());
        if let Mode::MinShare(share) = mode {
            let min = ((n as f32) * share).ceil().max(1.0) as usize;
            let qs: Vec<(Occur, Box<dyn Query>)> = self
                .units(&q.text)
                .iter()
                .filter_map(|(t, a)| self.unit_query(self.text, t, a).map(|q| (Occur::Should, q)))
                .collect();
            main = BooleanQuery::with_minimum_required_clauses(qs, min.min(n));
        }
        let mut top: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(main))];
        if self.opts.proximity > 0.0 {
            let single: Vec<String> = units
                .iter()
                .filter(|(t, a)| t.len() == 1 && a.is_empty())
                .map(|(t, _)| t[0].clone())
                .collect();
            if single.len() >= 2 {
                if let Some(p) = self.seq(self.text, &single, self.opts.slop * single.len() as u32)
                {
                    top.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(p, self.opts.proximity)),
                    ));
                }
                for pair in single.windows(2) {
                    if let Some(p) = self.seq(self.text, pair, self.opts.slop) {
                        top.push((
                            Occur::Should,
                            Box::new(BoostQuery::new(p, self.opts.proximity)),
                        ));
                    }
                }
            }
        }
        Box::new(BooleanQuery::new(top))
    }

    fn run(&self, query: &dyn Query, q: &EvalQuery, out: &mut Vec<String>) -> Result<(), Error> {
        let searcher = self.reader.searcher();
        let all = self.corpus.paragraphs.len().max(1);
        for (_s, addr) in searcher.search(query, &TopDocs::with_limit(all).order_by_score())? {
            let d: TantivyDocument = searcher.doc(addr)?;
            let Some(id) = d.get_first(self.id).and_then(|v| v.as_str()) else {
                continue;
            };
            if out.iter().any(|x| x == id) {
                continue;
            }
            if self.corpus.get(id).is_some_and(|p| q.filter.accepts(p)) {
                out.push(id.to_string());
                if out.len() == DEPTH {
                    break;
                }
            }
        }
        Ok(())
    }

    pub fn search(&self, q: &EvalQuery) -> Result<Vec<String>, Error> {
        let mut out = Vec::new();
        match self.opts.mode {
            Mode::AndThenOr => {
                self.run(self.query(q, Mode::And).as_ref(), q, &mut out)?;
                if out.len() < DEPTH {
                    self.run(self.query(q, Mode::Or).as_ref(), q, &mut out)?;
                }
            }
            m => self.run(self.query(q, m).as_ref(), q, &mut out)?,
        }
        Ok(out)
    }
}
