//! The synthetic corpus: reports of the gazetteer's authorities (about 150 in any year), 2013–2025, every grade, recombined
//! from the real sentences of the bundled reports, reproducible from a seed.
//!
//! The generator yields [`ParsedReport`]s directly (for index and FTS5 benches) and can render
//! each one as a text file in the bundled corpus's format (for end-to-end ingestion benches).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ofsted_search::ingest::authorities::{self, Authority};
use ofsted_search::ingest::{ParsedReport, Taxonomy};
use ofsted_search::{Area, Grade, Paragraph, Report, ReportKind};

use super::rng::SplitMix64;
use super::sentences::{SentencePool, PLACE};

/// Bump when the generator's output changes, so cached indexes are rebuilt.
pub const GENERATOR_VERSION: u32 = 2;

/// The default seed of every bench.
pub const SEED: u64 = 0x0F57_ED20_1325;

/// A section: heading, judgement area, grade.
type Section = (String, Option<Area>, Option<Grade>);

/// The areas of a full inspection, in report order.
const INSPECTION_AREAS: &[Area] = &[
    Area::HelpAndProtection,
    Area::LookedAfter,
    Area::Adoption,
    Area::CareLeavers,
    Area::Leadership,
    Area::Lscb,
];

/// A generator of exactly `paragraphs` paragraphs (the last report is cut short to fit).
pub struct Synth {
    pool: SentencePool,
    rng: SplitMix64,
    remaining: usize,
    reports: usize,
    taxonomy: Taxonomy,
    taxonomy_is_empty: bool,
    /// The gazetteer's authorities that existed in each year 2013–2025.
    by_year: Vec<Vec<&'static Authority>>,
}

impl Synth {
    /// A generator over `pool` that stops after `paragraphs` paragraphs.
    pub fn new(pool: SentencePool, paragraphs: usize, seed: u64) -> Synth {
        let taxonomy = Taxonomy::default();
        // Until the crate's taxonomy has rules, a stand-in table keeps the theme facet and the
        // theme filter meaningful; the probe decides once, so a run is internally consistent.
        let taxonomy_is_empty = pool
            .sentences()
            .iter()
            .take(500)
            .all(|s| taxonomy.tag(s, "").is_empty());
        Synth {
            pool,
            rng: SplitMix64::new(seed),
            remaining: paragraphs,
            reports: 0,
            taxonomy,
            taxonomy_is_empty,
            by_year: (2013..=2025)
                .map(|y| {
                    authorities::all()
                        .iter()
                        .filter(|a| a.existed_in(y))
                        .collect()
                })
                .collect(),
        }
    }

    fn grade(&mut self, year: u16) -> Grade {
        if year == 2013 && self.rng.chance(0.2) {
            return Grade::Adequate;
        }
        match self.rng.below(100) {
            0..=7 => Grade::Outstanding,
            8..=47 => Grade::Good,
            48..=82 => Grade::RequiresImprovement,
            _ => Grade::Inadequate,
        }
    }

    fn paragraph_text(&mut self, short_name: &str) -> String {
        let n = self.pool.sentences().len();
        // Between one and eight sentences, most often three to five, drawn as short runs of
        // consecutive source sentences so that paragraphs keep some topical coherence.
        let count = 1 + self.rng.below(4) + self.rng.below(5);
        let mut at = self.rng.below(n);
        let mut picks = [0usize; 8];
        for (i, pick) in picks.iter_mut().enumerate().take(count) {
            if i > 0 {
                at = if self.rng.chance(0.6) {
                    (at + 1) % n
                } else {
                    self.rng.below(n)
                };
            }
            *pick = at;
        }
        let sentences = self.pool.sentences();
        let mut text = String::with_capacity(count * 160);
        for (i, &at) in picks[..count].iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            let s = &sentences[at];
            if s.contains(PLACE) {
                text.push_str(&s.replace(PLACE, short_name));
            } else {
                text.push_str(s);
            }
        }
        text
    }

    fn themes(&self, text: &str, section: &str) -> Vec<String> {
        if !self.taxonomy_is_empty {
            return self.taxonomy.tag(text, section);
        }
        let lower = text.to_lowercase();
        let mut out: Vec<String> = FALLBACK_THEMES
            .iter()
            .filter(|(_, words)| words.iter().any(|w| lower.contains(w)))
            .map(|(id, _)| id.to_string())
            .collect();
        out.sort();
        out
    }
}

/// A stand-in theme table: id and the lower-case phrases that assign it.
const FALLBACK_THEMES: &[(&str, &[&str])] = &[
    ("early_help", &["early help"]),
    ("child_sexual_exploitation", &["sexual exploitation", "cse"]),
    ("missing_children", &["missing from"]),
    ("domestic_abuse", &["domestic abuse", "domestic violence"]),
    ("adoption", &["adopt"]),
    ("care_leavers", &["care leaver", "pathway plan"]),
    (
        "workforce",
        &["caseload", "agency staff", "recruit", "turnover"],
    ),
    ("management_oversight", &["oversight", "supervision"]),
    (
        "strategy_discussions",
        &["strategy discussion", "strategy meeting"],
    ),
];

/// The section heading a report prints for an area and its grade.
pub fn area_heading(area: Area, grade: Grade) -> String {
    let (are, is) = match grade {
        Grade::RequiresImprovement => (
            "require improvement".to_string(),
            "requires improvement".to_string(),
        ),
        g => (format!("are {}", g.label()), format!("is {}", g.label())),
    };
    match area {
        Area::HelpAndProtection => {
            format!("The experiences and progress of children who need help and protection {are}")
        }
        Area::LookedAfter => format!(
            "The experiences and progress of children looked after and achieving permanence {are}"
        ),
        Area::Adoption => format!("The graded judgement for adoption performance {is}"),
        Area::CareLeavers => {
            format!("The graded judgement for the experiences and progress of care leavers {is}")
        }
        Area::Leadership => format!("Leadership, management and governance {are}"),
        Area::Lscb => format!("The effectiveness of the LSCB {is}"),
    }
}

impl Iterator for Synth {
    type Item = ParsedReport;

    fn next(&mut self) -> Option<ParsedReport> {
        if self.remaining == 0 {
            return None;
        }
        self.reports += 1;
        let year = 2013 + self.rng.below(13) as u16;
        let a = *self.rng.pick(&self.by_year[usize::from(year - 2013)]);
        let (authority, short) = (a.official_name.as_str(), a.short_name.as_str());
        let kind = match self.rng.below(100) {
            0..=54 => ReportKind::Inspection,
            55..=79 if year >= 2018 => ReportKind::FocusedVisit,
            _ => ReportKind::MonitoringVisit,
        };
        let overall = self.grade(year);
        let mut judgements = BTreeMap::new();
        let (sections, len): (Vec<Section>, usize) = match kind {
            ReportKind::Inspection => {
                let mut sections = vec![("Summary of key findings".to_string(), None, None)];
                for &area in INSPECTION_AREAS {
                    let g = if self.rng.chance(0.6) {
                        overall
                    } else {
                        self.grade(year)
                    };
                    judgements.insert(area, g);
                    sections.push((area_heading(area, g), Some(area), Some(g)));
                }
                (sections, self.rng.range(80, 160))
            }
            _ => {
                let area = if self.rng.chance(0.5) {
                    Area::HelpAndProtection
                } else {
                    Area::LookedAfter
                };
                (
                    vec![(
                        format!("Findings of the {}", kind.as_str().replace('_', " ")),
                        Some(area),
                        None,
                    )],
                    self.rng.range(15, 45),
                )
            }
        };
        let len = len.min(self.remaining);
        self.remaining -= len;
        let kind_slug = kind.as_str().replace('_', "-");
        let report_id = format!("{}/{year}-{kind_slug}-{}", a.slug, self.reports);
        let month = 1 + self.rng.below(12) as u8;
        let day = 1 + self.rng.below(17) as u8;
        let start = ofsted_search::Date::new(year, month, day);
        let end = ofsted_search::Date::new(year, month, day + 10);
        let report = Report {
            report_id: report_id.clone(),
            authority: authority.to_string(),
            kind,
            framework: Some(if year >= 2018 {
                ofsted_search::Framework::Ilacs
            } else {
                ofsted_search::Framework::Sif
            }),
            title: Some(format!("{} of {short}", kind.citation_label())),
            inspection_start: start,
            inspection_end: end,
            published: None,
            year: Some(year),
            published_year: Some(year),
            overall_grade: (kind == ReportKind::Inspection).then_some(overall),
            judgements,
        };
        let mut paragraphs = Vec::with_capacity(len);
        for i in 0..len {
            // Sections share the paragraphs evenly, in order.
            let (section, area, grade) = &sections[i * sections.len() / len];
            let number = i as u32 + 1;
            let text = self.paragraph_text(short);
            let themes = self.themes(&text, section);
            paragraphs.push(Paragraph {
                id: format!("{report_id}/{number}"),
                report_id: report_id.clone(),
                authority: authority.to_string(),
                year: Some(year),
                number: Some(number),
                ordinal: number,
                section: section.clone(),
                area: *area,
                grade: *grade,
                themes,
                text,
                citation: format!(
                    "{authority}, {} ({year}), para {number}",
                    kind.citation_label()
                ),
                line: 0,
                page: Some(1 + number / 5),
                context: false,
            });
        }
        Some(ParsedReport {
            report,
            paragraphs,
            warnings: Vec::new(),
        })
    }
}

/// Renders a report as a text file in the format of the bundled `corpus/` (authority line,
/// title, dates, overall judgement, section headings, numbered paragraphs).
pub fn render_text(parsed: &ParsedReport) -> String {
    let r = &parsed.report;
    let mut out = String::with_capacity(
        parsed
            .paragraphs
            .iter()
            .map(|p| p.text.len() + 16)
            .sum::<usize>()
            + 1024,
    );
    match (r.kind, r.inspection_start, r.inspection_end) {
        (ReportKind::Inspection, Some(s), Some(e)) => {
            let _ = writeln!(out, "{}\n", r.authority);
            out.push_str("Inspection of services for children in need of help and protection, children looked after and care leavers\n\n");
            let _ = writeln!(
                out,
                "Inspection dates: {} - {} {} {}\n",
                s.day(),
                e.day(),
                MONTHS[s.month() as usize - 1],
                s.year()
            );
        }
        (kind, Some(s), Some(e)) => {
            // Visits are letters: the title names the authority, the first sentence the dates.
            let visit = if kind == ReportKind::FocusedVisit {
                "focused"
            } else {
                "monitoring"
            };
            let _ = writeln!(
                out,
                "{}{} visit to {} children's services\n",
                visit[..1].to_uppercase(),
                &visit[1..],
                r.authority
            );
            let _ = writeln!(
                out,
                "This letter summarises the findings of the {visit} visit to {} children's services on {} and {} {} {}.\n",
                r.authority,
                s.day(),
                e.day(),
                MONTHS[s.month() as usize - 1],
                s.year()
            );
        }
        _ => {
            let _ = writeln!(out, "{}\n", r.authority);
        }
    }
    if let Some(g) = r.overall_grade {
        let _ = writeln!(out, "The overall judgement is **{}**\n", g.label());
    }
    let mut section = "";
    for p in &parsed.paragraphs {
        if p.section != section {
            section = &p.section;
            let _ = writeln!(out, "\n{section}\n");
        }
        let _ = writeln!(out, "- {}. {}", p.number.unwrap_or(p.ordinal), p.text);
    }
    out
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
