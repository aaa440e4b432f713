//! The baseline: the same paragraphs in SQLite FTS5 (porter tokenizer), answering the same
//! query classes the way an application would with plain SQL.
//!
//! Grade and themes are indexed FTS5 columns, so their filters are column filters inside the
//! MATCH (FTS5's fastest way to filter); the year range is a `WHERE` on an unindexed column;
//! facet counts are `GROUP BY` queries (themes, being multi-valued, through a side table);
//! snippets come from `snippet()`. FTS5 has no "more like this": similar paragraphs OR the
//! source paragraph's twelve longest distinct words and rank by bm25.

use std::path::Path;

use ofsted_search::ingest::ParsedReport;
use rusqlite::{params, Connection};

use super::queries::{Class, Spec};

/// An FTS5 database of paragraphs.
pub struct Fts5 {
    conn: Connection,
}

impl Fts5 {
    /// Opens an existing database.
    pub fn open(path: &Path) -> rusqlite::Result<Fts5> {
        let conn = Connection::open(path)?;
        conn.execute_batch("PRAGMA query_only = ON; PRAGMA cache_size = -262144;")?;
        Ok(Fts5 { conn })
    }

    /// Builds a database at `path` (`:memory:` works too) from `reports`, returning it and the
    /// number of text bytes indexed.
    pub fn build(
        path: &Path,
        reports: impl IntoIterator<Item = ParsedReport>,
    ) -> rusqlite::Result<(Fts5, u64)> {
        let mut conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;
             CREATE VIRTUAL TABLE para USING fts5(
                 text, grade, themes,
                 pid UNINDEXED, authority UNINDEXED, year UNINDEXED, citation UNINDEXED,
                 tokenize = 'porter unicode61');
             CREATE TABLE para_theme(rid INTEGER NOT NULL, theme TEXT NOT NULL);",
        )?;
        let mut bytes = 0u64;
        let tx = conn.transaction()?;
        {
            let mut ins = tx.prepare(
                "INSERT INTO para(rowid, text, grade, themes, pid, authority, year, citation)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut ins_theme = tx.prepare("INSERT INTO para_theme(rid, theme) VALUES (?1, ?2)")?;
            let mut rid = 0i64;
            for r in reports {
                for p in &r.paragraphs {
                    rid += 1;
                    bytes += p.text.len() as u64;
                    ins.execute(params![
                        rid,
                        p.text,
                        p.grade.map(|g| g.as_str()),
                        p.themes.join(" "),
                        p.id,
                        p.authority,
                        p.year,
                        p.citation,
                    ])?;
                    for t in &p.themes {
                        ins_theme.execute(params![rid, t])?;
                    }
                }
            }
        }
        tx.commit()?;
        conn.execute_batch(
            "CREATE INDEX para_theme_rid ON para_theme(rid);
             INSERT INTO para(para) VALUES ('optimize');",
        )?;
        Ok((Fts5 { conn }, bytes))
    }

    /// Runs one query the way its class asks and returns the number of hits it produced (or,
    /// for the results page, the total), so callers can check the engines agree roughly.
    pub fn run(&self, q: &Spec) -> rusqlite::Result<u64> {
        let m = match_expr(q);
        match q.class {
            Class::Page => self.page(&m),
            Class::TermYears => {
                let (lo, hi) = q.years.unwrap_or((0, u16::MAX));
                self.top10(
                    "SELECT pid, citation, bm25(para) FROM para WHERE para MATCH ?1
                     AND year BETWEEN ?2 AND ?3 ORDER BY rank LIMIT 10",
                    params![m, lo, hi],
                )
            }
            _ => self.top10(
                "SELECT pid, citation, bm25(para) FROM para WHERE para MATCH ?1
                 ORDER BY rank LIMIT 10",
                params![m],
            ),
        }
    }

    fn top10(&self, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<u64> {
        let mut st = self.conn.prepare_cached(sql)?;
        let mut rows = st.query(p)?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            let _id: String = row.get(0)?;
            let _cite: String = row.get(1)?;
            n += 1;
        }
        Ok(n)
    }

    /// Top 10 with snippets and citations, the total, and four facet counts.
    fn page(&self, m: &str) -> rusqlite::Result<u64> {
        let mut hits = self.conn.prepare_cached(
            "SELECT pid, citation, snippet(para, 0, '<b>', '</b>', '…', 24) FROM para
             WHERE para MATCH ?1 ORDER BY rank LIMIT 10",
        )?;
        let mut rows = hits.query(params![m])?;
        while let Some(row) = rows.next()? {
            let _: (String, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
        }
        let total: u64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM para WHERE para MATCH ?1")?
            .query_row(params![m], |r| r.get(0))?;
        for sql in [
            "SELECT authority, count(*) FROM para WHERE para MATCH ?1 GROUP BY authority",
            "SELECT year, count(*) FROM para WHERE para MATCH ?1 GROUP BY year",
            "SELECT grade, count(*) FROM para WHERE para MATCH ?1 GROUP BY grade",
            "SELECT theme, count(*) FROM para_theme WHERE rid IN
                 (SELECT rowid FROM para WHERE para MATCH ?1) GROUP BY theme",
        ] {
            let mut st = self.conn.prepare_cached(sql)?;
            let mut rows = st.query(params![m])?;
            while let Some(row) = rows.next()? {
                let _: i64 = row.get(1)?;
            }
        }
        Ok(total)
    }

    /// The total number of paragraphs.
    pub fn len(&self) -> rusqlite::Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM para", [], |r| r.get(0))
    }
}

fn quoted(w: &str) -> String {
    format!("\"{}\"", w.replace('"', "\"\""))
}

/// The FTS5 MATCH expression of a query, its words always quoted so that none reads as an
/// operator.
pub fn match_expr(q: &Spec) -> String {
    let text = |e: String| format!("text : ({e})");
    let words: Vec<String> = q.words.iter().map(|w| quoted(w)).collect();
    let mut m = match q.class {
        // The results page uses the crate's default: every word required.
        Class::AllTwo | Class::Page => text(words.join(" AND ")),
        Class::AnyTwo => text(words.join(" OR ")),
        Class::Phrase2 | Class::Phrase3 => text(quoted(&q.words.join(" "))),
        Class::Similar => {
            let src = q.like.as_ref().map(|l| l.1.as_str()).unwrap_or("");
            text(similar_words(src).join(" OR "))
        }
        _ => text(words.join(" ")),
    };
    if let Some(g) = q.grade {
        m = format!("{m} AND grade : {}", quoted(g.as_str()));
    }
    if let Some(t) = &q.theme {
        m = format!("{m} AND themes : {}", quoted(t));
    }
    m
}

/// The twelve longest distinct words of a text (ties broken by first occurrence), quoted.
fn similar_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        let w = w.to_lowercase();
        if w.len() >= 4 && !words.contains(&w) {
            words.push(w);
        }
    }
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words.truncate(12);
    words.iter().map(|w| quoted(w)).collect()
}
