//! Ingestion over the whole bundled corpus: paragraph numbers, page-break stitching, section
//! grades, report metadata, the report that lost its numbering, and boilerplate.
//!
//! Expected values here were read off the reports by hand; the stitched paragraphs are built
//! from the source lines named below (line numbers start at 1).

use std::collections::BTreeMap;

use ofsted_search::ingest::{Ingester, ParsedReport};
use ofsted_search::{Area, Date, Grade, Paragraph, ReportKind};

const SHEFFIELD: &str = "corpus/sheffield-2014-inspection.txt";
const STAFFORDSHIRE: &str = "corpus/staffordshire-2014-inspection.txt";
const SOUTH_GLOS: &str = "corpus/south-gloucestershire-2016-inspection.txt";
const ROTHERHAM: &str = "corpus/rotherham-2014-inspection.txt";
const NEWS: &str = "corpus/sheffield-2018-focused-visit-news.txt";
const ALL: [&str; 5] = [SHEFFIELD, STAFFORDSHIRE, SOUTH_GLOS, ROTHERHAM, NEWS];

fn ingest(path: &str) -> ParsedReport {
    Ingester::new()
        .ingest_file(path)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The source text of `lines` joined, each with its leading marker (`- 9. `, `- `) removed:
/// a paragraph stitched by hand across its page break.
fn stitched(path: &str, lines: &[(usize, &str)]) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let source: Vec<&str> = text.lines().collect();
    let parts: Vec<String> = lines
        .iter()
        .map(|&(n, marker)| {
            let line = source[n - 1].trim();
            line.strip_prefix(marker)
                .unwrap_or_else(|| panic!("line {n} of {path} does not start with {marker:?}"))
                .trim()
                .to_string()
        })
        .collect();
    squash(&parts.join(" "))
}

fn by_number(parsed: &ParsedReport, n: u32) -> &Paragraph {
    parsed
        .paragraphs
        .iter()
        .find(|p| p.number == Some(n))
        .unwrap_or_else(|| panic!("no paragraph {n} in {}", parsed.report.report_id))
}

#[test]
fn numbered_reports_yield_exactly_their_own_paragraph_numbers() {
    for (path, last) in [(SHEFFIELD, 115), (STAFFORDSHIRE, 115), (SOUTH_GLOS, 167)] {
        let parsed = ingest(path);
        let numbers: Vec<u32> = parsed.paragraphs.iter().filter_map(|p| p.number).collect();
        if path != SOUTH_GLOS {
            // These two reports number every paragraph of findings they have; what is
            // unnumbered is the cover's statement and the context sections (local-area facts,
            // the inspection team), each in its own section.
            let findings = parsed.paragraphs.iter().filter(|p| {
                p.number.is_some()
                    || !(p.context || p.section == "Summary" || p.text.ends_with(':'))
            });
            assert_eq!(numbers.len(), findings.count(), "{path}: unnumbered blocks");
            for p in parsed.paragraphs.iter().filter(|p| p.number.is_none()) {
                let lead_in = p.text.ends_with(':') || p.text.ends_with("because");
                assert!(
                    p.context || p.section == "Summary" || lead_in,
                    "{path}: unnumbered block outside the cover and context: {}",
                    p.citation
                );
            }
        }
        let expected: Vec<u32> = (1..=last).collect();
        assert_eq!(numbers, expected, "{path}");
        assert!(
            parsed.warnings.is_empty(),
            "{path}: unexpected warnings {:?}",
            parsed.warnings
        );
    }
}

#[test]
fn front_table_rows_are_not_paragraphs() {
    for path in [SHEFFIELD, STAFFORDSHIRE, SOUTH_GLOS] {
        let parsed = ingest(path);
        for n in 1..=3 {
            let p = by_number(&parsed, n);
            assert!(
                !p.text.starts_with("Children who need help")
                    && !p.text.starts_with("Children looked after and achieving")
                    && !p.text.starts_with("Leadership, management and governance"),
                "{path}: para {n} is a judgement-table row: {}",
                p.text
            );
            assert!(
                p.line > 30,
                "{path}: para {n} comes from the cover (line {})",
                p.line
            );
        }
    }
}

#[test]
fn paragraphs_crossing_page_breaks_are_stitched() {
    type Case = (&'static str, u32, Vec<(usize, &'static str)>);
    let cases: Vec<Case> = vec![
        // Continuation after three blank lines starting with a bullet marker and a lowercase word.
        (SHEFFIELD, 9, vec![(61, "- 9."), (65, "- ")]),
        // Continuation without marker, lowercase.
        (SHEFFIELD, 109, vec![(356, "- 109."), (360, "")]),
        // Bullet sub-list kept inside its paragraph.
        (
            SHEFFIELD,
            27,
            vec![(97, "- 27."), (98, "- "), (99, "- "), (100, "- ")],
        ),
        // Continuation after a single blank line, lowercase.
        (STAFFORDSHIRE, 30, vec![(168, "30."), (170, "")]),
        (STAFFORDSHIRE, 91, vec![(259, "91."), (261, "")]),
        // Continuation starting with a capitalised sentence.
        (SOUTH_GLOS, 38, vec![(232, "- 38."), (236, "")]),
        (SOUTH_GLOS, 31, vec![(217, "- 31."), (221, "")]),
        (SOUTH_GLOS, 47, vec![(251, "- 47."), (255, "")]),
    ];
    for (path, n, lines) in cases {
        let parsed = ingest(path);
        let got = squash(&by_number(&parsed, n).text);
        let want = stitched(path, &lines);
        assert_eq!(got, want, "{path} para {n}");
    }
}

#[test]
fn every_paragraph_of_an_inspection_carries_its_section_grade() {
    for path in [SHEFFIELD, STAFFORDSHIRE, SOUTH_GLOS, ROTHERHAM] {
        let parsed = ingest(path);
        let report = &parsed.report;
        for p in &parsed.paragraphs {
            let expected = match p.area {
                Some(area) => report.judgements.get(&area).copied(),
                None => report.overall_grade,
            };
            assert!(p.grade.is_some(), "{}: no grade", p.citation);
            assert_eq!(p.grade, expected, "{} ({})", p.citation, p.section);
        }
    }
}

#[test]
fn paragraphs_sit_in_the_right_judgement_sections() {
    let sheffield = ingest(SHEFFIELD);
    let area = |parsed: &ParsedReport, n| by_number(parsed, n).area;
    assert_eq!(area(&sheffield, 17), None);
    assert_eq!(area(&sheffield, 32), Some(Area::HelpAndProtection));
    assert_eq!(area(&sheffield, 49), Some(Area::HelpAndProtection));
    assert_eq!(area(&sheffield, 50), Some(Area::LookedAfter));
    assert_eq!(area(&sheffield, 106), Some(Area::Lscb));
    let staffs = ingest(STAFFORDSHIRE);
    assert_eq!(area(&staffs, 62), Some(Area::Adoption));
    assert_eq!(area(&staffs, 75), Some(Area::CareLeavers));
    assert_eq!(area(&staffs, 91), Some(Area::Leadership));
    let sg = ingest(SOUTH_GLOS);
    assert_eq!(area(&sg, 23), Some(Area::HelpAndProtection));
    assert_eq!(area(&sg, 48), Some(Area::HelpAndProtection));
    assert_eq!(area(&sg, 110), Some(Area::Leadership));
    assert_eq!(by_number(&sg, 23).grade, Some(Grade::Inadequate));
}

fn date(s: &str) -> Option<Date> {
    Some(s.parse().unwrap())
}

#[test]
fn report_metadata_and_every_area_judgement() {
    use Area::*;
    use Grade::*;
    struct Want {
        path: &'static str,
        authority: &'static str,
        start: &'static str,
        end: &'static str,
        published: Option<&'static str>,
        overall: Grade,
        judgements: [(Area, Grade); 6],
    }
    let wants = [
        Want {
            path: SHEFFIELD,
            authority: "Sheffield City Council",
            start: "2013-11-19",
            end: "2014-01-30",
            published: None,
            overall: RequiresImprovement,
            judgements: [
                (HelpAndProtection, Good),
                (LookedAfter, RequiresImprovement),
                (Adoption, RequiresImprovement),
                (CareLeavers, Good),
                (Leadership, Good),
                (Lscb, Good),
            ],
        },
        Want {
            path: STAFFORDSHIRE,
            authority: "Staffordshire County Council",
            start: "2014-01-14",
            end: "2014-02-05",
            published: None,
            overall: Good,
            judgements: [
                (HelpAndProtection, Good),
                (LookedAfter, Good),
                (Adoption, Good),
                (CareLeavers, Good),
                (Leadership, Good),
                (Lscb, Good),
            ],
        },
        Want {
            path: SOUTH_GLOS,
            authority: "South Gloucestershire",
            start: "2016-11-21",
            end: "2016-12-15",
            published: Some("2017-02-13"),
            overall: Inadequate,
            judgements: [
                (HelpAndProtection, Inadequate),
                (LookedAfter, RequiresImprovement),
                (Adoption, Good),
                (CareLeavers, RequiresImprovement),
                (Leadership, Inadequate),
                (Lscb, Inadequate),
            ],
        },
        Want {
            path: ROTHERHAM,
            authority: "Rotherham",
            start: "2014-09-16",
            end: "2014-10-08",
            published: Some("2014-11-19"),
            overall: Inadequate,
            judgements: [
                (HelpAndProtection, Inadequate),
                (LookedAfter, Inadequate),
                (Adoption, RequiresImprovement),
                (CareLeavers, Inadequate),
                (Leadership, Inadequate),
                (Lscb, Inadequate),
            ],
        },
    ];
    for w in wants {
        let r = ingest(w.path).report;
        assert!(
            r.authority.contains(w.authority),
            "{}: {}",
            w.path,
            r.authority
        );
        assert_eq!(r.kind, ReportKind::Inspection, "{}", w.path);
        assert_eq!(r.inspection_start, date(w.start), "{}", w.path);
        assert_eq!(r.inspection_end, date(w.end), "{}", w.path);
        assert_eq!(r.published, w.published.and_then(date), "{}", w.path);
        assert_eq!(r.year, Some(date(w.end).unwrap().year()), "{}", w.path);
        assert_eq!(r.overall_grade, Some(w.overall), "{}", w.path);
        assert_eq!(r.judgements, BTreeMap::from(w.judgements), "{}", w.path);
        assert!(r
            .title
            .unwrap()
            .starts_with("Inspection of services for children"));
    }
}

#[test]
fn the_news_article_leaves_unknown_fields_empty() {
    let parsed = ingest(NEWS);
    let r = &parsed.report;
    assert_eq!(r.kind, ReportKind::News);
    assert!(r.authority.contains("Sheffield"), "{}", r.authority);
    assert_eq!(
        (r.year, r.inspection_start, r.inspection_end),
        (None, None, None)
    );
    assert_eq!((r.published, r.overall_grade), (None, None));
    assert!(r.judgements.is_empty());
    assert!(parsed.paragraphs.len() >= 15, "{}", parsed.paragraphs.len());
    assert!(parsed.paragraphs.iter().all(|p| p.number.is_none()));
    assert!(parsed.paragraphs[0]
        .text
        .starts_with("Ofsted inspectors saw some effective work"));
}

#[test]
fn the_report_that_lost_its_numbers_yields_blocks_in_the_right_sections() {
    let parsed = ingest(ROTHERHAM);
    let ps = &parsed.paragraphs;
    assert!(ps.len() > 150, "{} blocks", ps.len());
    assert!(ps.iter().all(|p| p.number.is_none()));
    let ordinals: Vec<u32> = ps.iter().map(|p| p.ordinal).collect();
    assert_eq!(ordinals, (1..=ps.len() as u32).collect::<Vec<_>>());
    // Sentences from each judgement section land in that section.
    let cases = [
        (
            "Caseloads of individual social workers are too high.",
            Some(Area::HelpAndProtection),
        ),
        (
            "Arrangements for post adoption contact are managed well",
            Some(Area::Adoption),
        ),
        (
            "Care leavers spoken to by inspectors were",
            Some(Area::CareLeavers),
        ),
        ("Funding for the LSCB is secure", Some(Area::Lscb)),
        (
            "Caseloads in the child protection and",
            Some(Area::Leadership),
        ),
        (
            "Permanency for children through adoption is improving",
            Some(Area::LookedAfter),
        ),
        (
            "Care leavers are not given enough support to achieve their potential.",
            None,
        ),
    ];
    for (needle, area) in cases {
        let hits: Vec<&Paragraph> = ps
            .iter()
            .filter(|p| squash(&p.text).contains(needle))
            .collect();
        assert_eq!(hits.len(), 1, "{needle:?} in {} blocks", hits.len());
        assert_eq!(hits[0].area, area, "{needle:?} in {}", hits[0].section);
        assert!(hits[0].citation.contains("numbers were lost"));
    }
    // No block runs over a heading into the next section.
    let headings = [
        "Summary of findings",
        "Areas for improvement",
        "The graded judgement",
        "Inspection judgement about the LSCB",
        "What does the local authority need to improve",
        "Key judgement",
    ];
    for p in ps {
        for h in headings {
            assert!(
                !p.text.contains(h),
                "block {} contains heading {h:?}",
                p.ordinal
            );
        }
        assert!(
            p.text.split_whitespace().count() < 260,
            "block {} is too long",
            p.ordinal
        );
    }
}

#[test]
fn no_boilerplate_statistics_or_grade_definitions_in_any_paragraph() {
    let banned = [
        "enquiries@ofsted.gov.uk",
        "Piccadilly Gate",
        "Crown copyright",
        "©",
        "Mackman",
        "Tel:",
        "Contact Us",
        "Ofsted produces this report under its power",
        "was given the opportunity to review this section",
        "An outstanding local authority leads highly effective services",
        "An LSCB that is inadequate does not demonstrate",
        "Any complaints about the inspection",
        "<sup>",
        "\\ensuremath",
        "**",
    ];
    // Local-area statistics and the inspection team belong to context blocks only.
    let context_only = ["(the national average is", "Lead inspector"];
    for path in ALL {
        for p in ingest(path).paragraphs {
            if !p.context {
                for b in context_only {
                    assert!(!p.text.contains(b), "{}: contains {b:?}", p.citation);
                }
            }
            for b in banned {
                assert!(
                    !p.text.contains(b),
                    "{}: contains {b:?}: {}",
                    p.citation,
                    p.text
                );
            }
            assert!(!p.text.trim().is_empty());
        }
    }
}

#[test]
fn ids_are_unique_across_the_corpus_and_cite_the_report() {
    let mut seen = std::collections::HashSet::new();
    for path in ALL {
        for p in ingest(path).paragraphs {
            assert!(p.id.starts_with(&p.report_id));
            assert!(seen.insert(p.id.clone()), "duplicate id {}", p.id);
            assert!(p.citation.starts_with(&p.authority), "{}", p.citation);
        }
    }
    let sheffield = ingest(SHEFFIELD);
    assert_eq!(
        by_number(&sheffield, 41).citation,
        "Sheffield City Council, Ofsted inspection of children's services (2014), para 41"
    );
}

#[test]
fn bad_inputs_are_typed_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let binary = dir.path().join("scan.pdf");
    std::fs::write(&binary, b"%PDF-1.4\n\x00\x01").unwrap();
    let missing = dir.path().join("missing.txt");
    let ingester = Ingester::new();
    for path in [&empty, &binary, &missing, &dir.path().to_path_buf()] {
        let err = ingester.ingest_file(path).unwrap_err();
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{err} does not name {}",
            path.display()
        );
    }
}
