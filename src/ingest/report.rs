//! Report metadata read from the report's own text: authority, kind, title, dates, overall
//! judgement and area judgements. Nothing here looks at the file name; where the text is silent
//! the field stays empty, and [`ReportOverrides`] (e.g. from a manifest) can supply it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::authorities;
use super::framework;
use super::judgement::{area_in, grade_in, grade_only, heading_judgement, table_row};
use super::normalise::{Line, LineKind};
use super::Warning;
use crate::model::{Area, Date, Framework, Grade, Report, ReportKind};

/// Metadata supplied from outside the text, e.g. from a manifest. Every field that is set
/// replaces what the text says (or fills what it does not say).
///
/// ```
/// use ofsted_search::ingest::{Ingester, ReportOverrides};
/// let overrides = ReportOverrides { year: Some(2018), ..Default::default() };
/// let parsed = Ingester::new().ingest_bytes_with(
///     b"Ofsted looks at Sheffield's improvement work\n\nInspectors saw effective work.\n",
///     "news.txt",
///     &overrides,
/// )?;
/// assert_eq!(parsed.report.year, Some(2018));
/// # Ok::<(), ofsted_search::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportOverrides {
    /// The authority's official name.
    pub authority: Option<String>,
    /// The kind of document.
    pub kind: Option<ReportKind>,
    /// The title.
    pub title: Option<String>,
    /// First day of the inspection.
    pub inspection_start: Option<Date>,
    /// Last day of the inspection.
    pub inspection_end: Option<Date>,
    /// Publication date.
    pub published: Option<Date>,
    /// The citation year (defaults to the year of `inspection_end`).
    pub year: Option<u16>,
    /// The overall judgement.
    pub overall_grade: Option<Grade>,
    /// Area judgements, merged over those found in the text.
    #[serde(default)]
    pub judgements: BTreeMap<Area, Grade>,
}

/// Reads a report's metadata from its normalised lines.
pub fn parse_report(
    lines: &[Line],
    overrides: &ReportOverrides,
    input: &str,
    warnings: &mut Vec<Warning>,
) -> Report {
    let text_lines: Vec<&Line> = lines.iter().filter(|l| l.kind == LineKind::Text).collect();
    let head: Vec<&Line> = text_lines.iter().take(40).copied().collect();

    let recognised = framework::recognise(&head);
    let (mut kind, title_at) = (recognised.kind, recognised.title_at);
    let title = match (kind, title_at) {
        (ReportKind::News, _) => head.first().map(|l| l.text.clone()),
        (_, Some(at)) => Some(title_lines(&head, at)),
        _ => None,
    };
    // The authority as the text names it, then its official name from the gazetteer, so that
    // "Metropolitan Borough of Rotherham" and "Rotherham's children's services" meet.
    let named = match (title_at, &title) {
        (Some(at), Some(title)) if kind != ReportKind::News => authority_named(&head, at, title),
        _ => None,
    };
    let authority = match &named {
        Some(name) => Some(
            authorities::lookup(name).map_or_else(|| name.clone(), |a| a.official_name.clone()),
        ),
        None => {
            let body: String = text_lines
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            authorities::find_in(&body)
                .map(|a| a.official_name.clone())
                .or_else(|| authority_in_text(&text_lines))
        }
    };

    let mut inspection = (None, None);
    let mut published = None;
    for (k, l) in head.iter().enumerate() {
        let lower = l.text.to_lowercase();
        if lower.starts_with("inspection date") || lower.starts_with("dates of inspection") {
            let mut dates = dates_in(after_colon(&l.text));
            if dates.is_empty() {
                // The label and its value on lines of their own ("Inspection dates:" / "24 – 28
                // June 2013").
                dates = head
                    .get(k + 1)
                    .map(|n| dates_in(&n.text))
                    .unwrap_or_default();
            }
            inspection = (dates.iter().min().copied(), dates.iter().max().copied());
        } else if lower.starts_with("report published")
            || lower.starts_with("published")
            || lower.starts_with("date of publication")
        {
            published = dates_in(after_colon(&l.text)).into_iter().next();
        }
    }

    if kind.is_visit() {
        if inspection.1.is_none() {
            // Visit letters state their dates in prose, often wrapped over two lines: "…the
            // focused visit to Wigan children's services / on 3 and 4 May 2023."
            let dates = visit_dates(&head, title_at.unwrap_or(0));
            inspection = (dates.iter().min().copied(), dates.iter().max().copied());
        }
        if published.is_none() {
            // The letter's own date stands alone on a line of its head, above the title.
            published = head[..title_at.unwrap_or(0)]
                .iter()
                .filter_map(|l| match dates_in(&l.text).as_slice() {
                    [d] if l.text.split_whitespace().count() <= 4 => Some(*d),
                    _ => None,
                })
                .next_back();
        }
    }
    if recognised.framework == Some(Framework::Ilacs) && kind == ReportKind::Inspection {
        kind = framework::ilacs_kind(inspection.0, inspection.1);
    }
    // The cover states the overall judgement; 2013 inspections state it at the head of their
    // "Overall effectiveness" section instead.
    let overall_grade = overall_in(&head).or_else(|| overall_in(&text_lines));
    let judgements = judgements_in(lines, input, warnings);

    let mut report = Report {
        report_id: String::new(),
        authority: authority.unwrap_or_default(),
        kind,
        framework: recognised.framework,
        title,
        inspection_start: inspection.0,
        inspection_end: inspection.1,
        published,
        year: inspection.1.map(Date::year),
        published_year: published.map(Date::year),
        overall_grade,
        judgements,
    };
    apply_overrides(&mut report, overrides);
    if report.authority.is_empty() {
        warnings.push(Warning {
            input: input.to_string(),
            line: None,
            message: "the text does not name the authority; supply it in a manifest".into(),
        });
        report.authority = "Unknown authority".into();
    }
    report.report_id = report_id(&report, lines);
    report
}

fn apply_overrides(report: &mut Report, o: &ReportOverrides) {
    if let Some(a) = &o.authority {
        report.authority = a.clone();
    }
    if let Some(k) = o.kind {
        report.kind = k;
    }
    if let Some(t) = &o.title {
        report.title = Some(t.clone());
    }
    if o.inspection_start.is_some() {
        report.inspection_start = o.inspection_start;
    }
    if o.inspection_end.is_some() {
        report.inspection_end = o.inspection_end;
        report.year = o.inspection_end.map(Date::year);
    }
    if o.published.is_some() {
        report.published = o.published;
        report.published_year = o.published.map(Date::year);
    }
    if o.year.is_some() {
        report.year = o.year;
    }
    if o.overall_grade.is_some() {
        report.overall_grade = o.overall_grade;
    }
    for (area, grade) in &o.judgements {
        report.judgements.insert(*area, *grade);
    }
}

/// The title: the title line and its wrapped continuations, up to the dates.
fn title_lines(head: &[&Line], at: usize) -> String {
    let mut parts = Vec::new();
    for l in &head[at..] {
        let lower = l.text.to_lowercase();
        if lower.starts_with("inspection date")
            || lower.starts_with("report published")
            || lower.starts_with("dates of inspection")
            || lower.starts_with("the overall judgement")
            || parts.len() >= 6
        {
            break;
        }
        parts.push(l.text.as_str());
    }
    parts.join(" ")
}

/// The authority named in the title ("Inspection of Leicester City Council local authority
/// children's services", "Focused visit to Durham's children's services") or, failing that,
/// on the cover above it (wrapped over lines: "City of Bradford Metropolitan District" /
/// "Council").
fn authority_named(head: &[&Line], at: usize, title: &str) -> Option<String> {
    // Offsets found in the ASCII-lowercased title are offsets in the title itself: only ASCII
    // letters change, so no slice can fall inside a character.
    let title = title.replace(['’', '‘'], "'");
    let lower = title.to_ascii_lowercase();
    // "Inspection of Sheffield local authority children's services" (2018 framework).
    if let Some(rest) = lower.strip_prefix("inspection of ") {
        if let Some(end) = rest.find(" local authority children") {
            let start = "inspection of ".len();
            let name = title[start..start + end].trim();
            if !name.is_empty() {
                return Some(name.to_string());
            }
        }
    }
    for prefix in [
        "focused visit to ",
        "monitoring visit to ",
        "focused visit of ",
        "monitoring visit of ",
    ] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let end = rest.find(" children").unwrap_or(rest.len());
            let name = &title[prefix.len()..prefix.len() + end];
            let name = name.trim_end_matches("'s").trim();
            // "Focused visit to East Riding local authority children's services".
            let name = name.strip_suffix(" local authority").unwrap_or(name).trim();
            if !name.is_empty() {
                return Some(name.to_string());
            }
        }
    }
    // The cover: the lines just above the title that read like a name (logos and running
    // text come first), joined when the name was wrapped.
    let cover: Vec<&str> = head[..at]
        .iter()
        .rev()
        .map(|l| l.text.as_str())
        .take_while(|t| {
            !t.is_empty() && t.len() < 80 && !t.ends_with('.') && dates_in(t).is_empty()
        })
        .take(3)
        .collect();
    let joined: Vec<&str> = cover.iter().rev().copied().collect();
    for n in (1..=joined.len()).rev() {
        let name = joined[joined.len() - n..].join(" ");
        if authorities::lookup(&name).is_some() {
            return Some(name);
        }
    }
    // Titles that put the authority after the kind: "Inspection of looked after children
    // services / Sandwell Metropolitan Borough Council".
    if let Some(next) = head.get(at + 2).filter(|_| joined.is_empty()) {
        if authorities::lookup(&next.text).is_some() {
            return Some(next.text.clone());
        }
    }
    (!joined.is_empty()).then(|| joined.join(" "))
}

/// The dates of a visit, from the first sentence of the letter that mentions the visit and
/// gives dates (joined over the lines it is wrapped on).
fn visit_dates(head: &[&Line], title_at: usize) -> Vec<Date> {
    let prose: String = head[title_at..]
        .iter()
        .take(12)
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    for sentence in prose.split_inclusive(". ") {
        if sentence.to_lowercase().contains("visit") {
            let dates = dates_in(sentence);
            if !dates.is_empty() {
                return dates;
            }
        }
    }
    Vec::new()
}

/// The authority a news-like text is about when the gazetteer knows no name in it: the first
/// capitalised word of the title in the possessive that the text mentions again.
fn authority_in_text(lines: &[&Line]) -> Option<String> {
    let title = lines.first()?;
    // "Ofsted looks at Sheffield's improvement work" / "Sheffields".
    for word in title.text.split_whitespace() {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
        let base = w
            .strip_suffix("'s")
            .or_else(|| w.strip_suffix("’s"))
            .or_else(|| w.strip_suffix('s').filter(|b| b.len() > 3 && w != "Ofsted"));
        if let Some(base) = base {
            if base.chars().next().is_some_and(char::is_uppercase) && base != "Ofsted" {
                let count = lines.iter().filter(|l| l.text.contains(base)).count();
                if count >= 2 {
                    return Some(base.to_string());
                }
            }
        }
    }
    None
}

fn after_colon(text: &str) -> &str {
    text.split_once(':').map(|(_, r)| r).unwrap_or(text)
}

/// Every date in a date line, with months and years carried from right to left, so that
/// "19 November-11 December 2013 and 28 – 30 January 2014" gives four dates and
/// "16 September  8 October 2014" (a dash lost in extraction) gives two.
pub fn dates_in(text: &str) -> Vec<Date> {
    let tokens: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| t.to_lowercase())
        .collect();
    let mut dates = Vec::new();
    let (mut month, mut year): (Option<u8>, Option<u16>) = (None, None);
    for t in tokens.iter().rev() {
        if let Some(m) = month_number(t) {
            month = Some(m);
        } else if t.len() == 4 && t.chars().all(|c| c.is_ascii_digit()) {
            year = t.parse().ok();
        } else if let Some(day) = t
            .trim_end_matches(|c: char| c.is_alphabetic())
            .parse::<u8>()
            .ok()
            .filter(|_| t.len() <= 4)
        {
            if let (Some(m), Some(y)) = (month, year) {
                if let Some(d) = Date::new(y, m, day) {
                    dates.push(d);
                }
            }
        }
    }
    dates.reverse();
    dates
}

fn month_number(t: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .position(|m| *m == t || ((3..=4).contains(&t.len()) && m.starts_with(t)))
        .map(|i| i as u8 + 1)
}

/// The overall judgement from the cover: "The overall judgement is requires improvement",
/// "Children's services in X are inadequate", "Overall effectiveness: Good".
fn overall_in(head: &[&Line]) -> Option<Grade> {
    for (i, l) in head.iter().enumerate() {
        // The statement may be wrapped: "…that children's services require" / "improvement".
        let lower = match head.get(i + 1) {
            Some(next) if !l.text.ends_with('.') && next.text.len() < 40 => {
                format!("{} {}", l.text, next.text)
            }
            _ => l.text.clone(),
        };
        let lower = lower.to_lowercase().replace('’', "'");
        if let Some(pos) = lower
            .find("overall judgement is")
            .or_else(|| lower.find("overall judgment is"))
        {
            return grade_in(&lower[pos..]);
        }
        if lower.starts_with("overall effectiveness") {
            // "Overall effectiveness" / "Good" (a table), or a heading wrapped over two lines
            // with "Grade 4 (Inadequate)" below (2013 inspections); a contents entry of the
            // same words has neither.
            let below = head[i + 1..]
                .iter()
                .take(2)
                .find_map(|n| grade_only(&n.text));
            if let Some(g) = grade_in(&lower).or(below) {
                return Some(g);
            }
        }
        if (lower.starts_with("children's services in")
            || lower.starts_with("childrens services in"))
            && !lower.contains("because")
        {
            if let Some(g) = grade_in(&lower) {
                return Some(g);
            }
        }
    }
    None
}

/// Area judgements from judgement headings in the body, the cover's judgement table, and, when
/// the table lost its labels, the order of its grades.
fn judgements_in(
    lines: &[Line],
    input: &str,
    warnings: &mut Vec<Warning>,
) -> BTreeMap<Area, Grade> {
    let text: Vec<&Line> = lines.iter().filter(|l| l.kind == LineKind::Text).collect();
    let mut table: BTreeMap<Area, (Grade, usize)> = BTreeMap::new();
    let mut body: BTreeMap<Area, (Grade, usize)> = BTreeMap::new();
    let mut unlabelled: Vec<Grade> = Vec::new();
    let mut in_unlabelled_table = false;
    for (i, l) in text.iter().enumerate() {
        if let Some((area, grade)) = table_row(&l.text) {
            table.entry(area).or_insert((grade, l.number));
            continue;
        }
        let lower = l.text.to_lowercase();
        if lower.contains("judgements on areas of the service") {
            in_unlabelled_table = true;
            continue;
        }
        if in_unlabelled_table {
            if let Some(g) = grade_only(&l.text) {
                unlabelled.push(g);
                continue;
            }
            if l.text.split_whitespace().count() > 4 {
                in_unlabelled_table = false;
            }
        }
        if l.text.len() > 160 {
            continue;
        }
        // A heading may be wrapped over two lines ("…that it requires" / "improvement",
        // "…Local Safeguarding Children" / "Board (LSCB) is requires improvement").
        let joined = match text.get(i + 1) {
            Some(n)
                if n.number <= l.number + 1
                    && n.text.len() < 60
                    && (starts_lower(&n.text)
                        || (!l.text.ends_with(['.', ':']) && l.text.len() < 90)) =>
            {
                format!("{} {}", l.text, n.text)
            }
            _ => l.text.clone(),
        };
        if let Some((area, grade)) = heading_judgement(&joined) {
            body.entry(area).or_insert((grade, l.number));
            continue;
        }
        // "Key judgement / Judgement grade" tables: an area label, then the grade alone.
        if let Some(area) =
            area_in(&joined).filter(|_| !joined.ends_with('.') && joined.len() < 120)
        {
            let next_grade = text[i + 1..]
                .iter()
                .take(3)
                .find_map(|n| grade_only(&n.text).map(|g| (g, n.number)));
            if let Some((grade, _)) = next_grade {
                body.entry(area).or_insert((grade, l.number));
            }
        }
    }
    let mut out: BTreeMap<Area, Grade> = BTreeMap::new();
    for (area, (grade, line)) in &table {
        if let Some((body_grade, _)) = body.get(area) {
            if body_grade != grade {
                warnings.push(Warning {
                    input: input.to_string(),
                    line: Some(*line),
                    message: format!(
                        "the judgement table grades {area} {grade} but the body heading says {body_grade}; using the body"
                    ),
                });
            }
        }
        out.insert(*area, *grade);
    }
    for (area, (grade, _)) in body {
        out.insert(area, grade);
    }
    // A table whose labels were lost lists its grades in the framework's fixed order.
    const ORDER: [Area; 5] = [
        Area::HelpAndProtection,
        Area::LookedAfter,
        Area::Adoption,
        Area::CareLeavers,
        Area::Leadership,
    ];
    if unlabelled.len() == ORDER.len() {
        for (area, grade) in ORDER.iter().zip(&unlabelled) {
            out.entry(*area).or_insert(*grade);
        }
    }
    out
}

fn starts_lower(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_lowercase)
}

/// `{authority-slug}/{year}-{kind}` for inspections (an authority has at most one of a kind
/// in a year); `{authority-slug}/{last-day}-{kind}` for visits, of which an authority can have
/// several in a year (Sheffield had two focused visits in 2018). A report without a date gets
/// a short hash of its text instead, so two undated documents of one authority do not
/// collide. The id depends only on the text (and overrides), so it is stable across
/// re-ingestion.
fn report_id(report: &Report, lines: &[Line]) -> String {
    let kind = report.kind.as_str().replace('_', "-");
    let slug = slug(&report.authority);
    match (report.year, report.inspection_end) {
        (Some(y), Some(end)) if report.kind.is_visit() && end.year() == y => {
            format!("{slug}/{end}-{kind}")
        }
        (Some(y), _) => format!("{slug}/{y}-{kind}"),
        (None, _) => {
            let mut hash: u64 = 0xcbf29ce484222325;
            for l in lines {
                for b in l.text.bytes() {
                    hash ^= u64::from(b);
                    hash = hash.wrapping_mul(0x100000001b3);
                }
            }
            format!("{slug}/{kind}-{:08x}", hash as u32)
        }
    }
}

/// Lowercase kebab-case: `Sheffield City Council` → `sheffield-city-council`.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() && c != '\'' && c != '’' {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::normalise::normalise;

    fn parse(text: &str) -> (Report, Vec<Warning>) {
        let mut w = Vec::new();
        let r = parse_report(
            &normalise(text),
            &ReportOverrides::default(),
            "t.txt",
            &mut w,
        );
        (r, w)
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn date_lines_of_every_shape() {
        assert_eq!(
            dates_in("16 September  8 October 2014"),
            [d("2014-09-16"), d("2014-10-08")]
        );
        assert_eq!(
            dates_in("19 November-11 December 2013 and 28 – 30 January 2014"),
            [
                d("2013-11-19"),
                d("2013-12-11"),
                d("2014-01-28"),
                d("2014-01-30")
            ]
        );
        assert_eq!(
            dates_in("14 January 2014 – 5 February 2014"),
            [d("2014-01-14"), d("2014-02-05")]
        );
        assert_eq!(dates_in("3rd Sept 2019"), [d("2019-09-03")]);
        assert!(dates_in("31 February 2014").is_empty());
    }

    #[test]
    fn cover_page_metadata() {
        let (r, _) = parse(
            "Metropolitan Borough of Rotherham\nInspection of services for children in need of help and\n\
             protection, children looked after and care leavers\nInspection date: 16 September  8 October 2014\n\
             Report published: 19 November 2014\nThe overall judgement is that childrens services are inadequate\n",
        );
        assert_eq!(r.authority, "Rotherham Metropolitan Borough Council");
        assert_eq!(r.kind, ReportKind::Inspection);
        assert_eq!(r.inspection_start, Some(d("2014-09-16")));
        assert_eq!(r.inspection_end, Some(d("2014-10-08")));
        assert_eq!(r.published, Some(d("2014-11-19")));
        assert_eq!((r.year, r.published_year), (Some(2014), Some(2014)));
        assert_eq!(r.overall_grade, Some(Grade::Inadequate));
        assert_eq!(
            r.report_id,
            "rotherham-metropolitan-borough-council/2014-inspection"
        );
        assert!(r.title.unwrap().ends_with("care leavers"));
    }

    #[test]
    fn judgement_table_and_body_headings() {
        let (r, w) = parse(
            "X Council\nInspection of services for children in need of help and protection\n\
             1. Children who need help and protection\t\tGood\n\
             \t2.1 Adoption performance\tRequires improvement\n\
             The effectiveness of the Local Safeguarding Children Board (LSCB) is good.\n\
             The experiences and progress of children who need help and protection are inadequate\n",
        );
        assert_eq!(
            r.judgements.get(&Area::Adoption),
            Some(&Grade::RequiresImprovement)
        );
        assert_eq!(r.judgements.get(&Area::Lscb), Some(&Grade::Good));
        // The body heading wins over the table, with a warning.
        assert_eq!(
            r.judgements.get(&Area::HelpAndProtection),
            Some(&Grade::Inadequate)
        );
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, Some(3));
    }

    #[test]
    fn lost_table_labels_are_recovered_from_key_judgement_blocks() {
        let (r, _) = parse(
            "X Council\nInspection of services for children in need of help and protection\n\
             Key judgement\n\nJudgement grade\n\nThe experiences and progress of children\nwho need help and protection\n\nInadequate\n\n\
             The graded judgement for adoption performance is that it requires\nimprovement\n",
        );
        assert_eq!(
            r.judgements.get(&Area::HelpAndProtection),
            Some(&Grade::Inadequate)
        );
        assert_eq!(
            r.judgements.get(&Area::Adoption),
            Some(&Grade::RequiresImprovement)
        );
    }

    #[test]
    fn news_leaves_what_it_cannot_know_empty() {
        let (r, _) = parse(
            "Ofsted looks at Sheffields improvement work\n\nInspectors in Sheffield saw work.\n",
        );
        assert_eq!(r.kind, ReportKind::News);
        assert_eq!(r.authority, "Sheffield City Council");
        assert_eq!(
            (r.year, r.inspection_end, r.overall_grade),
            (None, None, None)
        );
        assert!(r.report_id.starts_with("sheffield-city-council/news-"));
        // A place the gazetteer does not know still gives a name, from the title.
        let (r, _) = parse(
            "Ofsted looks at Atlantis's improvement work\n\nInspectors in Atlantis saw work.\n",
        );
        assert_eq!(r.authority, "Atlantis");
    }

    #[test]
    fn ilacs_reports_and_visit_letters() {
        let (r, _) = parse(
            "Inspection of Leeds local authority children's services\n\n\
             Inspection dates: 14 January 2019 to 25 January 2019\n\n\
             Judgement\tGrade\n\
             The impact of leaders on social work practice with children and families\tOutstanding\n\
             The experiences and progress of children in care and care leavers\tGood\n\
             Overall effectiveness\tOutstanding\n",
        );
        assert_eq!(
            (r.kind, r.authority.as_str()),
            (ReportKind::Inspection, "Leeds City Council")
        );
        assert_eq!(r.inspection_end, Some(d("2019-01-25")));
        assert_eq!(r.overall_grade, Some(Grade::Outstanding));
        assert_eq!(
            r.judgements.get(&Area::Leadership),
            Some(&Grade::Outstanding)
        );
        assert_eq!(r.judgements.get(&Area::LookedAfter), Some(&Grade::Good));
        let (v, _) = parse(
            "Focused visit to Sheffield children's services\n\n\
             This letter summarises the findings of the focused visit to Sheffield children's services on 3 and 4 April 2018.\n",
        );
        assert_eq!(
            (v.kind, v.authority.as_str()),
            (ReportKind::FocusedVisit, "Sheffield City Council")
        );
        assert_eq!(
            (v.inspection_start, v.inspection_end),
            (Some(d("2018-04-03")), Some(d("2018-04-04")))
        );
        assert_eq!(
            v.report_id,
            "sheffield-city-council/2018-04-04-focused-visit"
        );
    }

    #[test]
    fn curly_apostrophes_in_titles_and_wrapped_visit_dates() {
        // Once a panic: the authority was sliced by offsets of a text with shorter apostrophes.
        let (v, _) = parse(
            "Dear Ms Smith\nFocused visit to Durham’s children’s services\n\
             This letter summarises the findings of the focused visit to Durham’s children’s services\n\
             on 23 and 24 June 2021. Her Majesty’s Inspectors for this visit were A and B.\n",
        );
        assert_eq!(v.kind, ReportKind::FocusedVisit);
        assert_eq!(v.authority, "Durham County Council");
        assert_eq!(v.inspection_end, Some(d("2021-06-24")));
        assert_eq!(v.year, Some(2021));
        assert_eq!(
            v.report_id,
            "durham-county-council/2021-06-24-focused-visit"
        );
    }

    #[test]
    fn wrapped_names_and_statements_on_sif_and_ilacs_covers() {
        let (r, _) = parse(
            "City of Bradford Metropolitan District\nCouncil\n\
             Inspection of services for children in need of help and\nprotection, children looked after and care leavers\n\
             Inspection date: 18 Feb 2014 – 12 March 2014\n\
             The overall judgement is that children’s services require\nimprovement\n",
        );
        assert_eq!(
            r.authority,
            "City of Bradford Metropolitan District Council"
        );
        assert_eq!(
            (r.kind, r.framework),
            (ReportKind::Inspection, Some(Framework::Sif))
        );
        assert_eq!(r.overall_grade, Some(Grade::RequiresImprovement));
        let (r, _) = parse(
            "Inspection of Thurrock local authority\nchildren’s services\n\
             Inspection dates: 16 to 20 September 2024\nJudgement\nGrade\n\
             Overall effectiveness\nOutstanding\n",
        );
        assert_eq!(r.authority, "Thurrock Council");
        assert_eq!(
            (r.kind, r.framework),
            (ReportKind::ShortInspection, Some(Framework::Ilacs))
        );
        assert_eq!(r.overall_grade, Some(Grade::Outstanding));
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Sheffield City Council"), "sheffield-city-council");
        assert_eq!(slug("Brighton & Hove"), "brighton-hove");
        assert_eq!(slug("King's Lynn"), "kings-lynn");
    }
}
