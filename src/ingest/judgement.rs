//! Recognising judgements in report lines: which area a heading or table row names, and which
//! grade it gives. Shared by the metadata parser (front tables, headings) and the chunker
//! (section grades), so both read a report the same way.

use crate::model::{Area, Grade};

/// The grade a phrase states, if exactly one grade is stated at its end or after "is"/"are".
///
/// Looks for the last grade phrase in the text; "requires improvement" and "require
/// improvement" both count; an `adequate` inside `inadequate` does not.
pub fn grade_in(text: &str) -> Option<Grade> {
    // "Requires improvement to be good" (2018 framework) names one grade, not two.
    let lower = normalise_words(text).replace("improvement to be good", "improvement");
    let mut best: Option<(usize, Grade)> = None;
    let mut consider = |pos: Option<usize>, grade: Grade| {
        if let Some(p) = pos {
            if best.is_none_or(|(b, _)| p > b) {
                best = Some((p, grade));
            }
        }
    };
    consider(find_word(&lower, "outstanding"), Grade::Outstanding);
    // "not yet good" states the opposite of good.
    let good = find_word(&lower, "good")
        .filter(|&p| !lower[..p].ends_with("not ") && !lower[..p].ends_with("not yet "));
    consider(good, Grade::Good);
    consider(find_word(&lower, "inadequate"), Grade::Inadequate);
    consider(find_word(&lower, "adequate"), Grade::Adequate);
    consider(
        find_word(&lower, "requires improvement"),
        Grade::RequiresImprovement,
    );
    consider(
        find_word(&lower, "require improvement"),
        Grade::RequiresImprovement,
    );
    best.map(|(_, g)| g)
}

/// More characters (other than whitespace and dots) than any text [`grade_only`] recognises.
const GRADE_ONLY_MAX_CHARS: usize = 40;

/// The grade when the whole text is just a grade ("Requires improvement", "Good").
pub fn grade_only(text: &str) -> Option<Grade> {
    // Every line of a report is asked; almost none is a grade. The longest form below,
    // "grade 4 (requires improvement to be good)", has 35 characters that are neither spaces
    // nor dots, and normalising never removes such a character (lowercasing only ever gives
    // one or more): a text with more of them cannot be a grade, so it is not normalised.
    if text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .nth(GRADE_ONLY_MAX_CHARS)
        .is_some()
    {
        return None;
    }
    let lower = normalise_words(text);
    // "Grade 4 (Inadequate)" (2013 inspections).
    let lower = match lower
        .strip_prefix("grade ")
        .and_then(|r| r.split_once(" ("))
    {
        Some((n, grade)) if n.len() == 1 && grade.ends_with(')') => {
            grade.trim_end_matches(')').to_string()
        }
        _ => lower,
    };
    match lower.trim_end_matches('.') {
        "outstanding" => Some(Grade::Outstanding),
        "good" => Some(Grade::Good),
        "requires improvement" | "requires improvement to be good" => {
            Some(Grade::RequiresImprovement)
        }
        "inadequate" => Some(Grade::Inadequate),
        "adequate" => Some(Grade::Adequate),
        _ => None,
    }
}

/// The judgement area a heading or table label names.
///
/// ```
/// use ofsted_search::Area;
/// use ofsted_search::ingest::judgement::area_in;
/// assert_eq!(area_in("The experiences and progress of children who need help and protection are good"),
///            Some(Area::HelpAndProtection));
/// assert_eq!(area_in("2.1 Adoption performance"), Some(Area::Adoption));
/// assert_eq!(area_in("Summary of findings"), None);
/// ```
pub fn area_in(text: &str) -> Option<Area> {
    let lower = normalise_words(text);
    let has = |p: &str| lower.contains(p);
    if has("adoption performance") {
        Some(Area::Adoption)
    } else if has("care leavers")
        && !has("looked after and achieving")
        && !has("children in care and")
    {
        Some(Area::CareLeavers)
    } else if has("looked after and achieving permanence")
        || has("achieving permanence")
        || has("children looked after")
        || has("children in care")
    {
        Some(Area::LookedAfter)
    } else if has("help and protection") {
        Some(Area::HelpAndProtection)
    } else if has("leadership, management and governance")
        || has("leadership, management and")
        || has("leadership and management")
        || has("impact of leaders")
    {
        Some(Area::Leadership)
    } else if has("local safeguarding children board") || find_word(&lower, "lscb").is_some() {
        Some(Area::Lscb)
    } else {
        None
    }
}

/// A judgement stated by a heading: "The experiences and progress of children looked after and
/// achieving permanence require improvement", "The graded judgement for adoption performance is
/// that it is good", "The effectiveness of the LSCB is good", "Leadership, management and
/// governance are good". Returns the area and the grade when both are stated.
pub fn heading_judgement(text: &str) -> Option<(Area, Grade)> {
    let lower = normalise_words(text);
    // A judgement heading is a statement about the area, not a paragraph that mentions one.
    if lower.len() > 200 || lower.ends_with('.') && lower.split(' ').count() > 25 {
        return None;
    }
    let area = area_in(&lower)?;
    let stated = lower.starts_with("the experiences and progress")
        || lower.starts_with("the graded judg")
        || lower.starts_with("the effectiveness of the")
        || lower.starts_with("the local safeguarding children board is")
        || (lower.starts_with("the local safeguarding children board")
            && lower.split(' ').count() <= 12)
        || lower.starts_with("the judgement for the effectiveness of")
        || lower.starts_with("the judgment for the effectiveness of")
        || lower.starts_with("the lscb is")
        || lower.starts_with("leadership, management and governance")
        || lower.starts_with("leadership and management")
        || lower.starts_with("the impact of leaders");
    if !stated {
        return None;
    }
    Some((area, grade_in(&lower)?))
}

/// A front-page judgement table row: an area label and a grade separated by a tab
/// ("2.1 Adoption performance\tRequires improvement").
pub fn table_row(text: &str) -> Option<(Area, Grade)> {
    let (label, grade) = text.rsplit_once('\t')?;
    let grade = grade_only(grade.trim())?;
    Some((area_in(label)?, grade))
}

/// A row of a grade scale's table, which names a grade and its number: "Outstanding (Grade
/// 1)", "Requires improvement (Grade 3) A service that…" (the 2013 inspections' definitions
/// of the four grades). Returns the grade.
pub(crate) fn grade_scale_label(text: &str) -> Option<Grade> {
    let open = text.find(" (")?;
    if open > 40 {
        return None;
    }
    let grade = grade_only(&text[..open])?;
    let rest = text[open + 2..]
        .strip_prefix(['G', 'g'])?
        .strip_prefix("rade ")?;
    let mut chars = rest.chars();
    (chars.next().is_some_and(|c| c.is_ascii_digit()) && chars.next() == Some(')')).then_some(grade)
}

/// Lowercases, straightens apostrophes and collapses whitespace (tabs included).
pub(crate) fn normalise_words(text: &str) -> String {
    normalise_words_prefix(text, usize::MAX)
}

/// The start of [`normalise_words`]`(text)`: it stops once it has at least `at_least` bytes (or
/// the whole), so `starts_with` tests of patterns up to that length answer as on the whole
/// text without normalising long lines to their end.
pub(crate) fn normalise_words_prefix(text: &str, at_least: usize) -> String {
    let mut out = String::with_capacity(text.len().min(at_least.saturating_add(8)));
    for word in text.split_whitespace() {
        if out.len() >= at_least {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '’' | '‘' => out.push('\''),
                _ => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

/// Byte position of `phrase` in `text` as whole words.
fn find_word(text: &str, phrase: &str) -> Option<usize> {
    let mut last = None;
    let mut from = 0;
    while let Some(pos) = text[from..].find(phrase) {
        let start = from + pos;
        let end = start + phrase.len();
        let ok_before = start == 0 || !text.as_bytes()[start - 1].is_ascii_alphanumeric();
        let ok_after = end == text.len() || !text.as_bytes()[end].is_ascii_alphanumeric();
        if ok_before && ok_after {
            last = Some(start);
        }
        from = start + 1;
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_in_phrases() {
        assert_eq!(grade_in("are good"), Some(Grade::Good));
        assert_eq!(
            grade_in("require improvement"),
            Some(Grade::RequiresImprovement)
        );
        assert_eq!(
            grade_in(
                "The graded judgement for adoption performance is that it requires\timprovement"
            ),
            Some(Grade::RequiresImprovement)
        );
        assert_eq!(
            grade_in("The Local Safeguarding Children Board is inadequate"),
            Some(Grade::Inadequate)
        );
        assert_eq!(
            grade_in("The overall judgement is good."),
            Some(Grade::Good)
        );
        assert_eq!(grade_in("Summary of findings"), None);
        assert_eq!(
            grade_in("requires improvement and is not yet good"),
            Some(Grade::RequiresImprovement)
        );
        assert_eq!(
            grade_only("Requires improvement"),
            Some(Grade::RequiresImprovement)
        );
        assert_eq!(grade_only("Good practice"), None);
    }

    #[test]
    fn judgement_headings_of_every_template() {
        let cases = [
            ("The experiences and progress of children who need help and protection are good", Area::HelpAndProtection, Grade::Good),
            ("The experiences and progress of children looked after and achieving permanence require improvement", Area::LookedAfter, Grade::RequiresImprovement),
            ("The graded judgment for adoption performance good", Area::Adoption, Grade::Good),
            ("The graded judgement about the experience and progress of care leavers is that it is inadequate", Area::CareLeavers, Grade::Inadequate),
            ("Leadership, management and governance are good", Area::Leadership, Grade::Good),
            ("The effectiveness of the LSCB is good", Area::Lscb, Grade::Good),
            ("The Local Safeguarding Children Board is inadequate", Area::Lscb, Grade::Inadequate),
            // The 2018 framework (ILACS) states grades after a colon and names areas anew.
            ("The experiences and progress of children in care and care leavers: requires improvement to be good", Area::LookedAfter, Grade::RequiresImprovement),
            ("The impact of leaders on social work practice with children and families: good", Area::Leadership, Grade::Good),
        ];
        for (text, area, grade) in cases {
            assert_eq!(heading_judgement(text), Some((area, grade)), "{text}");
        }
        assert_eq!(
            heading_judgement("Leadership, management and governance"),
            None
        );
        assert_eq!(
            heading_judgement("An LSCB that is good coordinates the activity of partners."),
            None
        );
    }

    #[test]
    fn grade_scale_rows() {
        assert_eq!(grade_scale_label("Good (Grade 2)"), Some(Grade::Good));
        assert_eq!(
            grade_scale_label("Outstanding (Grade 1)  A service that significantly exceeds"),
            Some(Grade::Outstanding)
        );
        assert_eq!(grade_scale_label("Good (the national average)"), None);
        assert_eq!(grade_scale_label("Good practice (Grade 2)"), None);
    }

    #[test]
    fn table_rows() {
        assert_eq!(
            table_row("1. Children who need help and protection\tGood"),
            Some((Area::HelpAndProtection, Grade::Good))
        );
        assert_eq!(
            table_row("2.2 Experiences and progress of care leavers\tRequires improvement"),
            Some((Area::CareLeavers, Grade::RequiresImprovement))
        );
        assert_eq!(
            table_row("2. Children looked after and achieving permanence\tRequires improvement"),
            Some((Area::LookedAfter, Grade::RequiresImprovement))
        );
        assert_eq!(table_row("Summary of key findings\t3"), None);
    }
}
