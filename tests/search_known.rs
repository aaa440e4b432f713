//! Queries whose right answers were found by reading the five original bundled reports: the
//! expected paragraphs below are the places where the words occur in those source files (line
//! numbers noted), so these tests catch both chunking and search mistakes. The archive slice
//! in `corpus/` came later and was not read for these answers, so it is not indexed here.

use std::collections::BTreeSet;

use ofsted_search::ingest::Ingester;
use ofsted_search::{Area, Grade, Query, SearchIndex};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn corpus_index() -> Result<SearchIndex, ofsted_search::Error> {
    let index = SearchIndex::create_in_ram()?;
    let mut writer = index.writer()?;
    for name in [
        "rotherham-2014-inspection",
        "sheffield-2014-inspection",
        "sheffield-2018-focused-visit-news",
        "south-gloucestershire-2016-inspection",
        "staffordshire-2014-inspection",
    ] {
        let f = format!("{}/corpus/{name}.txt", env!("CARGO_MANIFEST_DIR"));
        writer.add_report(&Ingester::new().ingest_file(&f)?)?;
    }
    writer.commit()?;
    Ok(index)
}

fn ids(index: &SearchIndex, query: &Query) -> Result<BTreeSet<String>, ofsted_search::Error> {
    let results = index.search(query)?;
    assert_eq!(
        results.total as usize,
        results.hits.len(),
        "page holds every hit"
    );
    Ok(results.hits.into_iter().map(|h| h.id).collect())
}

#[test]
fn return_home_interviews_phrase_finds_exactly_the_paragraphs_that_say_it() -> TestResult {
    let index = corpus_index()?;
    let got = ids(&index, Query::new("\"return home interviews\"").limit(50))?;
    // Source lines: South Gloucestershire 34 (executive summary), 142 (para 6), 200 (help and
    // protection summary), 238 (para 39), 271 (looked after summary), 323 (para 69), 547 (para
    // 161); Staffordshire 71 (para 20), 183 (para 41); Rotherham 612 (a block of the help and
    // protection section, whose paragraph numbers were lost).
    let numbered: BTreeSet<String> = [
        "south-gloucestershire-council/2016-inspection/6",
        "south-gloucestershire-council/2016-inspection/39",
        "south-gloucestershire-council/2016-inspection/69",
        "south-gloucestershire-council/2016-inspection/161",
        "staffordshire-county-council/2014-inspection/20",
        "staffordshire-county-council/2014-inspection/41",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(got.len(), 10, "{got:#?}");
    assert!(got.is_superset(&numbered), "{got:#?}");
    let unnumbered: Vec<&String> = got.iter().filter(|id| !numbered.contains(*id)).collect();
    let by_report = |prefix: &str| {
        unnumbered
            .iter()
            .filter(|id| id.starts_with(prefix))
            .count()
    };
    assert_eq!(
        by_report("south-gloucestershire-council/2016-inspection/u"),
        3
    );
    assert_eq!(
        by_report("rotherham-metropolitan-borough-council/2014-inspection/u"),
        1
    );
    Ok(())
}

#[test]
fn taxi_drivers_appear_in_three_sheffield_paragraphs() -> TestResult {
    let index = corpus_index()?;
    // Sheffield lines 75 (para 15), 214 (para 48) and 363 (para 111).
    let got = ids(&index, Query::new("\"taxi drivers\"").limit(20))?;
    let want: BTreeSet<String> = [15, 48, 111]
        .iter()
        .map(|n| format!("sheffield-city-council/2014-inspection/{n}"))
        .collect();
    assert_eq!(got, want);
    // Para 111 sits in the LSCB section, graded good; the other two do not.
    let lscb = ids(&index, Query::new("\"taxi drivers\"").area(Area::Lscb))?;
    assert_eq!(
        lscb,
        BTreeSet::from(["sheffield-city-council/2014-inspection/111".to_string()])
    );
    let hit = index.paragraph("sheffield-city-council/2014-inspection/111")?;
    assert_eq!(hit.paragraph.grade, Some(Grade::Good));
    Ok(())
}

#[test]
fn a_sentence_cut_by_a_page_break_is_found_as_a_phrase() -> TestResult {
    let index = corpus_index()?;
    // Sheffield para 45 ends one page with "reduced gradually and" and continues on the next
    // (line 211) with "appropriately in line with the needs": the phrase spans the break.
    let got = ids(
        &index,
        &Query::new("\"reduced gradually and appropriately\""),
    )?;
    assert_eq!(
        got,
        BTreeSet::from(["sheffield-city-council/2014-inspection/45".to_string()])
    );
    Ok(())
}

/// "manager" and "management" share the stem *manag*; the exact-form signal of the default
/// ranking puts more paragraphs that say "manager" itself into the top ten than stemmed
/// matching alone, and never changes which paragraphs match.
#[test]
fn exact_word_forms_rank_the_word_typed_above_its_stem_mates() -> TestResult {
    use ofsted_search::Ranking;
    let index = corpus_index()?;
    let says_manager = |text: &str| {
        text.split(|c: char| !c.is_alphanumeric())
            .any(|w| w.eq_ignore_ascii_case("manager"))
    };
    let run = |exact: f32| -> Result<(usize, u64), ofsted_search::Error> {
        let mut ranking = Ranking::default();
        ranking.exact_boost(exact);
        let mut query = Query::new("manager");
        query.ranking(ranking).limit(10);
        let results = index.search(&query)?;
        let exact_hits = results
            .hits
            .iter()
            .filter(|h| says_manager(&h.text))
            .count();
        Ok((exact_hits, results.total))
    };
    let (with, total_with) = run(0.25)?;
    let (without, total_without) = run(0.0)?;
    assert_eq!(total_with, total_without, "the signal adds no matches");
    assert!(with > without, "{with} vs {without} of 10 say 'manager'");
    Ok(())
}
