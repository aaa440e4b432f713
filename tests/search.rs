//! Search over the bundled corpus, checked against brute force over the ingester's own
//! output: nothing here is a hard-coded count, so the checks hold for any chunker.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use ofsted_search::index::content_hash;
use ofsted_search::ingest::{Ingester, ParsedReport};
use ofsted_search::{FacetCounts, Paragraph, Query, Report, SearchIndex, SearchResults};
use rust_stemmers::{Algorithm, Stemmer};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Every report of `corpus/`, one per report id (a later file with the same id replaces an
/// earlier one, as in the index).
fn corpus() -> Vec<ParsedReport> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut by_id = BTreeMap::new();
    for f in files {
        let parsed = Ingester::new()
            .ingest_file(&f)
            .expect("bundled report ingests");
        by_id.insert(parsed.report.report_id.clone(), parsed);
    }
    by_id.into_values().collect()
}

fn build(reports: &[ParsedReport]) -> Result<SearchIndex, ofsted_search::Error> {
    let index = SearchIndex::create_in_ram()?;
    let mut writer = index.writer()?;
    for r in reports {
        writer.add_report(r)?;
    }
    writer.commit()?;
    Ok(index)
}

/// An independent analyzer: split on non-alphanumerics, lowercase, Porter stem, as the index
/// claims to do.
fn stems(text: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::English);
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() < 40)
        .map(|w| stemmer.stem(&w.to_lowercase()).into_owned())
        .collect()
}

fn has(tokens: &[String], word: &str) -> bool {
    let s = &stems(word)[0];
    tokens.iter().any(|t| t == s)
}

fn phrase(tokens: &[String], words: &str) -> bool {
    let want = stems(words);
    tokens.windows(want.len()).any(|w| w == want.as_slice())
}

/// Queries with the brute-force predicate that defines their answer.
type Predicate = fn(&[String]) -> bool;
fn queries() -> Vec<(&'static str, Predicate)> {
    vec![
        ("", |_| true),
        ("missing", |t| has(t, "missing")),
        ("return home interviews", |t| {
            has(t, "return") && has(t, "home") && has(t, "interviews")
        }),
        ("\"return home\"", |t| phrase(t, "return home")),
        ("police OR health", |t| has(t, "police") || has(t, "health")),
        ("children -police", |t| {
            has(t, "children") && !has(t, "police")
        }),
        ("(strategy OR plans) AND social", |t| {
            (has(t, "strategy") || has(t, "plans")) && has(t, "social")
        }),
        ("\"sexual exploitation\" NOT missing", |t| {
            phrase(t, "sexual exploitation") && !has(t, "missing")
        }),
    ]
}

/// The metadata of the report each paragraph was indexed with, by paragraph id, for the
/// facets and filters that are report facts.
fn report_meta(reports: &[ParsedReport]) -> BTreeMap<String, Report> {
    reports
        .iter()
        .flat_map(|r| {
            r.paragraphs
                .iter()
                .map(move |p| (p.id.clone(), r.report.clone()))
        })
        .collect()
}

fn brute_counts<'a>(
    paragraphs: impl Iterator<Item = &'a Paragraph>,
    meta: &BTreeMap<String, Report>,
) -> FacetCounts {
    let mut c = FacetCounts::default();
    for p in paragraphs {
        let r = &meta[&p.id];
        *c.kind.entry(r.kind.to_string()).or_default() += 1;
        if let Some(f) = r.framework {
            *c.framework.entry(f.to_string()).or_default() += 1;
        }
        if let Some(g) = r.overall_grade {
            *c.overall_grade.entry(g.to_string()).or_default() += 1;
        }
        if let Some(y) = r.published_year {
            *c.published_year.entry(y.to_string()).or_default() += 1;
        }
        *c.authority.entry(p.authority.clone()).or_default() += 1;
        if let Some(y) = p.year {
            *c.year.entry(y.to_string()).or_default() += 1;
        }
        if let Some(g) = p.grade {
            *c.grade.entry(g.to_string()).or_default() += 1;
        }
        for t in &p.themes {
            *c.theme.entry(t.clone()).or_default() += 1;
        }
        if let Some(a) = p.area {
            *c.area.entry(a.to_string()).or_default() += 1;
        }
    }
    c
}

fn paragraphs(reports: &[ParsedReport]) -> impl Iterator<Item = &Paragraph> {
    reports.iter().flat_map(|r| r.paragraphs.iter())
}

fn search_all(index: &SearchIndex, text: &str) -> Result<SearchResults, ofsted_search::Error> {
    let mut q = Query::new(text);
    // Exact boolean semantics, as the brute-force predicates define them.
    q.limit(100_000).ranking(ofsted_search::Ranking::plain());
    index.search(&q)
}

#[test]
fn totals_ids_and_facet_counts_equal_brute_force() -> TestResult {
    let reports = corpus();
    let index = build(&reports)?;
    for (text, matches) in queries() {
        let expected: Vec<&Paragraph> = paragraphs(&reports)
            .filter(|p| matches(&stems(&p.text)))
            .collect();
        // A page of one: counts must still cover the whole matching set.
        let mut q = Query::new(text);
        q.limit(1).ranking(ofsted_search::Ranking::plain());
        let page = index.search(&q)?;
        assert_eq!(page.total, expected.len() as u64, "total for {text:?}");
        assert_eq!(
            page.facets,
            brute_counts(expected.iter().copied(), &report_meta(&reports)),
            "facets for {text:?}"
        );

        let all = search_all(&index, text)?;
        let got: BTreeSet<&str> = all.hits.iter().map(|h| h.id.as_str()).collect();
        let want: BTreeSet<&str> = expected.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(got, want, "ids for {text:?}");
    }
    Ok(())
}

/// Whether a paragraph passes a filter.
type Keep = Box<dyn Fn(&Paragraph) -> bool>;

#[test]
fn filters_never_let_a_paragraph_through() -> TestResult {
    let reports = corpus();
    let index = build(&reports)?;
    let everything = index.search(&Query::all())?.facets;
    // The report-fact facets are filled, so their filter checks below are not vacuous.
    assert!(!everything.kind.is_empty() && !everything.overall_grade.is_empty());
    assert!(!everything.framework.is_empty(), "{everything:?}");
    assert!(!everything.published_year.is_empty(), "{everything:?}");
    for text in ["", "children", "missing OR police"] {
        let unfiltered = search_all(&index, text)?;
        let by_id: BTreeMap<&str, &Paragraph> =
            paragraphs(&reports).map(|p| (p.id.as_str(), p)).collect();
        let matched: Vec<&Paragraph> = unfiltered
            .hits
            .iter()
            .map(|h| by_id[h.id.as_str()])
            .collect();

        let mut checks: Vec<(Query, Keep)> = Vec::new();
        for name in everything.authority.keys() {
            let mut q = Query::new(text);
            q.authority(name);
            let name = name.clone();
            checks.push((q, Box::new(move |p| p.authority == name)));
        }
        for year in everything.year.keys() {
            let y: u16 = year.parse()?;
            let mut q = Query::new(text);
            q.years(y - 1..=y);
            checks.push((
                q,
                Box::new(move |p| p.year.is_some_and(|py| (y - 1..=y).contains(&py))),
            ));
        }
        for grade in everything.grade.keys() {
            let g: ofsted_search::Grade = grade.parse()?;
            let mut q = Query::new(text);
            q.grade(g);
            checks.push((q, Box::new(move |p| p.grade == Some(g))));
        }
        for theme in everything.theme.keys() {
            let mut q = Query::new(text);
            q.theme(theme);
            let theme = theme.clone();
            checks.push((q, Box::new(move |p| p.themes.contains(&theme))));
        }
        for area in everything.area.keys() {
            let a: ofsted_search::Area = area.parse()?;
            let mut q = Query::new(text);
            q.area(a);
            checks.push((q, Box::new(move |p| p.area == Some(a))));
        }
        // Report facts: kind, overall grade, publication year.
        for kind in everything.kind.keys() {
            let k: ofsted_search::ReportKind = kind.parse()?;
            let mut q = Query::new(text);
            q.kind(k);
            let meta = report_meta(&reports);
            checks.push((q, Box::new(move |p| meta[&p.id].kind == k)));
        }
        for framework in everything.framework.keys() {
            let f: ofsted_search::Framework = framework.parse()?;
            let mut q = Query::new(text);
            q.framework(f);
            let meta = report_meta(&reports);
            checks.push((q, Box::new(move |p| meta[&p.id].framework == Some(f))));
        }
        for grade in everything.overall_grade.keys() {
            let g: ofsted_search::Grade = grade.parse()?;
            let mut q = Query::new(text);
            q.overall_grade(g);
            let meta = report_meta(&reports);
            checks.push((q, Box::new(move |p| meta[&p.id].overall_grade == Some(g))));
        }
        for year in everything.published_year.keys() {
            let y: u16 = year.parse()?;
            let mut q = Query::new(text);
            q.published_years(y..=y + 1);
            let meta = report_meta(&reports);
            checks.push((
                q,
                Box::new(move |p| {
                    meta[&p.id]
                        .published_year
                        .is_some_and(|py| (y..=y + 1).contains(&py))
                }),
            ));
        }
        // Two report facts at once, and a report fact with a paragraph fact.
        if let (Some(kind), Some(grade)) = (
            everything.kind.keys().next(),
            everything.grade.keys().next(),
        ) {
            let k: ofsted_search::ReportKind = kind.parse()?;
            let g: ofsted_search::Grade = grade.parse()?;
            let mut q = Query::new(text);
            q.kind(k).grade(g).published_year(2014).published_year(2017);
            let meta = report_meta(&reports);
            checks.push((
                q,
                Box::new(move |p| {
                    let r = &meta[&p.id];
                    r.kind == k
                        && p.grade == Some(g)
                        && r.published_year.is_some_and(|y| y == 2014 || y == 2017)
                }),
            ));
        }
        for (mut q, keep) in checks {
            q.limit(100_000);
            let results = index.search(&q)?;
            for hit in &results.hits {
                assert!(
                    keep(by_id[hit.id.as_str()]),
                    "{} leaked through {q:?}",
                    hit.id
                );
            }
            let expected = matched.iter().filter(|p| keep(p)).count();
            assert_eq!(results.total, expected as u64, "{q:?}");
        }
    }
    Ok(())
}

#[test]
fn reingesting_the_corpus_leaves_every_count_unchanged() -> TestResult {
    let reports = corpus();
    let index = build(&reports)?;
    let before: Vec<(u64, FacetCounts, BTreeSet<String>)> = queries()
        .iter()
        .map(|(text, _)| {
            let r = search_all(&index, text).expect("search");
            (
                r.total,
                r.facets,
                r.hits.into_iter().map(|h| h.id).collect(),
            )
        })
        .collect();
    let paragraphs_before = index.num_paragraphs()?;

    let mut writer = index.writer()?;
    for r in &reports {
        writer.add_report(r)?;
    }
    writer.commit()?;

    assert_eq!(index.num_paragraphs()?, paragraphs_before);
    assert_eq!(index.reports()?.len(), reports.len());
    for ((text, _), before) in queries().iter().zip(before) {
        let r = search_all(&index, text)?;
        let ids: BTreeSet<String> = r.hits.into_iter().map(|h| h.id).collect();
        assert_eq!((r.total, r.facets, ids), before, "{text:?}");
    }
    Ok(())
}

#[test]
fn a_changed_report_replaces_the_old_one() -> TestResult {
    let reports = corpus();
    let index = build(&reports)?;
    let original = reports
        .iter()
        .find(|r| r.paragraphs.len() >= 2)
        .expect("a report with paragraphs");
    let mut changed = original.clone();
    let dropped = changed.paragraphs.pop().expect("a last paragraph");
    changed.paragraphs[0].text = "Zygomorphic quokkas appear in no real report.".into();

    let mut writer = index.writer()?;
    writer.add_report(&changed)?;
    writer.commit()?;

    let total: usize = reports.iter().map(|r| r.paragraphs.len()).sum();
    assert_eq!(index.num_paragraphs()?, total as u64 - 1);
    let hits = index.search(&Query::new("zygomorphic quokkas"))?;
    assert_eq!(hits.total, 1);
    assert_eq!(hits.hits[0].id, changed.paragraphs[0].id);
    let old_words = &original.paragraphs[0].text;
    let still_there = search_all(&index, &format!("\"{}\"", old_words.replace('"', " ")))?;
    assert!(still_there
        .hits
        .iter()
        .all(|h| h.id != original.paragraphs[0].id));
    if !changed.paragraphs.iter().any(|p| p.id == dropped.id) {
        assert!(index.paragraph(&dropped.id).is_err());
    }
    let record = index
        .reports()?
        .into_iter()
        .find(|r| r.report.report_id == changed.report.report_id)
        .expect("the report is still indexed");
    assert_eq!(record.content_hash, content_hash(&changed));
    assert_ne!(record.content_hash, content_hash(original));
    Ok(())
}

#[test]
fn every_hit_looks_up_to_the_same_text_and_citation() -> TestResult {
    let reports = corpus();
    let index = build(&reports)?;
    let mut id_count: BTreeMap<&str, usize> = BTreeMap::new();
    for p in paragraphs(&reports) {
        *id_count.entry(p.id.as_str()).or_default() += 1;
    }
    for (text, _) in queries() {
        for hit in search_all(&index, text)?.hits {
            let found = index.paragraph(&hit.id)?;
            if id_count[hit.id.as_str()] > 1 {
                // The chunker gave two paragraphs one id; lookup answers with one of them.
                continue;
            }
            assert_eq!(found.paragraph.text, hit.text);
            assert_eq!(found.paragraph.citation, hit.citation);
            let source = paragraphs(&reports)
                .find(|p| p.id == hit.id)
                .expect("hit from corpus");
            assert_eq!(&found.paragraph, source);
        }
    }
    Ok(())
}

#[test]
fn similar_paragraphs_skip_the_source_authority() -> TestResult {
    let reports = corpus();
    let index = build(&reports)?;
    let authorities: BTreeSet<&str> = reports
        .iter()
        .map(|r| r.report.authority.as_str())
        .collect();
    let source = paragraphs(&reports)
        .max_by_key(|p| p.text.len())
        .expect("a paragraph");
    let mut q = Query::similar(&source.id);
    q.limit(50);
    let results = index.search(&q)?;
    if authorities.len() > 1 {
        assert!(
            results.total > 0,
            "a long paragraph has neighbours elsewhere"
        );
    }
    for hit in &results.hits {
        assert_ne!(hit.authority, source.authority);
    }
    Ok(())
}

#[test]
fn per_report_keeps_rank_order_and_caps_each_report() -> TestResult {
    let reports = corpus();
    let index = build(&reports)?;
    let meta: BTreeMap<String, String> = paragraphs(&reports)
        .map(|p| (p.id.clone(), p.report_id.clone()))
        .collect();
    for text in ["children", "missing OR police", "care leavers"] {
        let mut full = Query::new(text);
        full.limit(100_000);
        let full = index.search(&full)?;
        for cap in [1, 2, 3] {
            // Brute force: walk the uncapped ranking, keep the first `cap` of each report.
            let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
            let expected: Vec<&str> = full
                .hits
                .iter()
                .filter(|h| {
                    let n = seen.entry(meta[&h.id].as_str()).or_insert(0);
                    *n += 1;
                    *n <= cap
                })
                .map(|h| h.id.as_str())
                .collect();
            for (offset, limit) in [(0, 10), (3, 4), (0, 1000)] {
                let mut q = Query::new(text);
                q.per_report(cap).offset(offset).limit(limit);
                let got = index.search(&q)?;
                let ids: Vec<&str> = got.hits.iter().map(|h| h.id.as_str()).collect();
                let want: Vec<&str> = expected.iter().skip(offset).take(limit).copied().collect();
                assert_eq!(
                    ids, want,
                    "{text:?} cap {cap} offset {offset} limit {limit}"
                );
                assert_eq!(got.total, full.total, "the total is not capped");
                assert_eq!(got.facets, full.facets, "nor are the facets");
            }
        }
    }
    Ok(())
}

/// The README's query, with the fallback threshold set just above the number of paragraphs
/// that have every word (so that it falls back to any word whatever the corpus holds): the
/// scores users see are the BM25 scores of the words each paragraph matches (exactly what the
/// same paragraph scores when any word is asked for), with no constant added to the paragraphs
/// that match every word, and those paragraphs still come first.
#[test]
fn fallback_scores_are_bm25_scores_and_all_word_matches_come_first() -> TestResult {
    use ofsted_search::{Operator, Ranking};
    let readme_query = "missing children return home interviews";
    let index = build(&corpus())?;
    let key = |h: &ofsted_search::Hit| (h.id.clone(), h.text.clone());

    // The paragraphs with every word (same vocabulary and boosts, fallback off).
    let mut strict = Ranking::default();
    strict.fallback_below(0);
    let mut q = Query::new(readme_query);
    q.limit(100_000).ranking(strict);
    let all: BTreeSet<_> = index.search(&q)?.hits.iter().map(key).collect();

    let mut widen = Ranking::default();
    widen.fallback_below(all.len() + 1);
    let mut q = Query::new(readme_query);
    q.limit(100_000).ranking(widen);
    let widened = index.search(&q)?;
    // Not vacuous: the fallback did widen this query.
    assert!(!all.is_empty(), "no paragraph has every word");
    assert!(
        widened.total as usize > all.len(),
        "the fallback did not widen: {} paragraphs with every word, {} in all",
        all.len(),
        widened.total
    );

    // All-word matches first, then the rest; each part best first.
    let (first, rest) = widened.hits.split_at(all.len());
    assert_eq!(first.iter().map(key).collect::<BTreeSet<_>>(), all);
    for part in [first, rest] {
        for pair in part.windows(2) {
            assert!(pair[0].score >= pair[1].score, "{pair:?}");
        }
    }

    // Every visible score is the paragraph's any-word BM25 score.
    let mut q = Query::new(readme_query);
    q.limit(100_000).operator(Operator::Any);
    let any: BTreeMap<_, f32> = index
        .search(&q)?
        .hits
        .iter()
        .map(|h| (key(h), h.score))
        .collect();
    for hit in &widened.hits {
        let expected = any[&key(hit)];
        assert!(
            hit.score > 0.0 && (hit.score - expected).abs() <= 1e-4 * expected,
            "{}: score {} shown, BM25 {expected}",
            hit.id,
            hit.score
        );
    }
    Ok(())
}
