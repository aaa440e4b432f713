//! Hand-made reports for unit tests: deterministic, varied in every facet, small.

use std::collections::BTreeMap;

use crate::ingest::ParsedReport;
use crate::model::{Area, Framework, Grade, Paragraph, Report, ReportKind};

pub(crate) const AUTHORITIES: [&str; 3] = [
    "Sheffield City Council",
    "Rotherham Metropolitan Borough Council",
    "Kent County Council",
];

pub(crate) const THEMES: [&str; 4] = ["cse", "missing", "early_help", "workforce"];

const WORDS: [&str; 24] = [
    "children",
    "child",
    "missing",
    "return",
    "home",
    "interviews",
    "police",
    "strategy",
    "meetings",
    "social",
    "workers",
    "visits",
    "plans",
    "exploitation",
    "sexual",
    "managers",
    "oversight",
    "caseloads",
    "early",
    "help",
    "families",
    "carers",
    "adoption",
    "leavers",
];

/// A tiny linear congruential generator, so fixtures need no dependency and never change.
pub(crate) struct Lcg(u64);

impl Lcg {
    pub(crate) fn new(seed: u64) -> Lcg {
        Lcg(seed.wrapping_mul(6364136223846793005).wrapping_add(1))
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Report `n` (0-based) with `paragraphs` paragraphs; `seed` varies the text.
pub(crate) fn report(n: usize, paragraphs: usize, seed: u64) -> ParsedReport {
    let mut rng = Lcg::new(seed ^ ((n as u64) << 8));
    let authority = AUTHORITIES[n % AUTHORITIES.len()].to_string();
    let year = 2014 + (n % 4) as u16;
    let report_id = format!(
        "{}/{}-inspection-{n}",
        authority.to_lowercase().replace(' ', "-"),
        year
    );
    let overall = Grade::ALL[n % 4];
    let report = Report {
        report_id: report_id.clone(),
        authority: authority.clone(),
        kind: if n % 5 == 4 {
            ReportKind::FocusedVisit
        } else {
            ReportKind::Inspection
        },
        framework: Some(if n.is_multiple_of(2) {
            Framework::Sif
        } else {
            Framework::Ilacs
        }),
        title: None,
        inspection_start: None,
        inspection_end: None,
        published: None,
        year: Some(year),
        published_year: Some(year),
        overall_grade: Some(overall),
        judgements: BTreeMap::new(),
    };
    let paragraphs = (0..paragraphs)
        .map(|i| {
            let number = i as u32 + 1;
            let len = 6 + rng.below(10);
            let text = (0..len)
                .map(|_| WORDS[rng.below(WORDS.len())])
                .collect::<Vec<_>>()
                .join(" ");
            let mut themes: Vec<String> = THEMES
                .iter()
                .filter(|_| rng.below(3) == 0)
                .map(|t| t.to_string())
                .collect();
            themes.sort();
            let area = match rng.below(4) {
                0 => None,
                k => Some(Area::ALL[k - 1]),
            };
            let grade = match rng.below(5) {
                4 => None,
                k => Some(Grade::ALL[k]),
            };
            Paragraph {
                id: format!("{report_id}/{number}"),
                report_id: report_id.clone(),
                authority: authority.clone(),
                year: Some(year),
                number: Some(number),
                ordinal: number,
                section: format!("Section {}", i / 5 + 1),
                area,
                grade,
                themes,
                text: format!("{text}."),
                citation: format!("{authority}, Ofsted inspection ({year}), para {number}"),
                line: 10 + i,
                page: Some(1 + i as u32 / 4),
                context: i % 7 == 6,
            }
        })
        .collect();
    ParsedReport {
        report,
        paragraphs,
        warnings: Vec::new(),
    }
}

/// `reports` reports of `paragraphs` paragraphs each.
pub(crate) fn corpus(reports: usize, paragraphs: usize) -> Vec<ParsedReport> {
    (0..reports).map(|n| report(n, paragraphs, 7)).collect()
}
