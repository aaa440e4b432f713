//! The data types the whole pipeline speaks: grades, judgement areas, report kinds, dates,
//! reports and their cited paragraphs.
//!
//! Every type here serialises with serde using the spellings of the `chunk` example's JSON
//! (`requires_improvement`, `help_and_protection`, `2014-11-19`), and every enum round-trips
//! through [`Display`](std::fmt::Display) and [`FromStr`].

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ParseValueError;

macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $text:literal $(| $alias:literal)* ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical machine spelling (as used in JSON and facets).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = ParseValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let norm: String = s
                    .trim()
                    .chars()
                    .map(|c| if c == '-' || c == ' ' { '_' } else { c.to_ascii_lowercase() })
                    .collect();
                match norm.as_str() {
                    $($text $(| $alias)* => Ok($name::$variant),)+
                    _ => Err(ParseValueError::new(stringify!($name), s, &[$($text),+])),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

string_enum! {
    /// An Ofsted judgement grade.
    ///
    /// `Adequate` is the grade of the frameworks before 2013; reports of that era and the
    /// "previous inspection" lines of later reports use it.
    ///
    /// ```
    /// use ofsted_search::Grade;
    /// let g: Grade = "Requires improvement".parse()?;
    /// assert_eq!(g, Grade::RequiresImprovement);
    /// assert_eq!(g.to_string(), "requires_improvement");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub enum Grade {
        /// Outstanding.
        Outstanding => "outstanding",
        /// Good.
        Good => "good",
        /// Requires improvement (to be good).
        RequiresImprovement => "requires_improvement" | "requires_improvement_to_be_good" | "ri",
        /// Inadequate.
        Inadequate => "inadequate",
        /// Adequate (pre-2013 frameworks).
        Adequate => "adequate",
    }
}

impl Grade {
    /// The grade as a report writes it ("requires improvement").
    pub fn label(self) -> &'static str {
        match self {
            Grade::Outstanding => "outstanding",
            Grade::Good => "good",
            Grade::RequiresImprovement => "requires improvement",
            Grade::Inadequate => "inadequate",
            Grade::Adequate => "adequate",
        }
    }
}

string_enum! {
    /// A judgement area of a children's services inspection.
    ///
    /// ```
    /// use ofsted_search::Area;
    /// assert_eq!("care_leavers".parse::<Area>()?, Area::CareLeavers);
    /// assert_eq!(Area::Lscb.to_string(), "lscb");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub enum Area {
        /// The experiences and progress of children who need help and protection.
        HelpAndProtection => "help_and_protection",
        /// The experiences and progress of children looked after and achieving permanence.
        LookedAfter => "looked_after",
        /// Adoption performance (a sub-judgement of looked after).
        Adoption => "adoption",
        /// The experiences and progress of care leavers (a sub-judgement of looked after).
        CareLeavers => "care_leavers",
        /// Leadership, management and governance.
        Leadership => "leadership",
        /// The effectiveness of the Local Safeguarding Children Board.
        Lscb => "lscb",
    }
}

impl Area {
    /// A human label ("children looked after and achieving permanence").
    pub fn label(self) -> &'static str {
        match self {
            Area::HelpAndProtection => "children who need help and protection",
            Area::LookedAfter => "children looked after and achieving permanence",
            Area::Adoption => "adoption performance",
            Area::CareLeavers => "care leavers",
            Area::Leadership => "leadership, management and governance",
            Area::Lscb => "the Local Safeguarding Children Board",
        }
    }
}

string_enum! {
    /// What kind of document a report is.
    ///
    /// The kind says what Ofsted did (a full inspection, a short one, a visit); the
    /// [`Framework`] says which inspection framework's template the report follows.
    ///
    /// ```
    /// use ofsted_search::ReportKind;
    /// assert_eq!("focused visit".parse::<ReportKind>()?, ReportKind::FocusedVisit);
    /// assert_eq!("short-inspection".parse::<ReportKind>()?, ReportKind::ShortInspection);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub enum ReportKind {
        /// A full (standard) inspection of children's services: a SIF inspection, an ILACS
        /// standard inspection, or a 2013 inspection of services for looked after children.
        Inspection => "inspection" | "standard_inspection",
        /// An ILACS short inspection.
        ShortInspection => "short_inspection",
        /// A SIF re-inspection of a local authority judged inadequate.
        Reinspection => "reinspection" | "re_inspection",
        /// A review of a Local Safeguarding Children Board published on its own.
        LscbReview => "lscb_review",
        /// A focused visit (a letter to the director of children's services).
        FocusedVisit => "focused_visit",
        /// A monitoring visit (a letter).
        MonitoringVisit => "monitoring_visit",
        /// A news article or any other document about a report.
        News => "news" | "other",
    }
}

impl ReportKind {
    /// How a citation names this kind of document.
    pub fn citation_label(self) -> &'static str {
        match self {
            ReportKind::Inspection => "Ofsted inspection of children's services",
            ReportKind::ShortInspection => "Ofsted short inspection of children's services",
            ReportKind::Reinspection => "Ofsted re-inspection of children's services",
            ReportKind::LscbReview => "Ofsted review of the Local Safeguarding Children Board",
            ReportKind::FocusedVisit => "Ofsted focused visit to children's services",
            ReportKind::MonitoringVisit => "Ofsted monitoring visit to children's services",
            ReportKind::News => "Ofsted news article",
        }
    }

    /// True for the letters Ofsted writes after a visit (focused and monitoring visits).
    pub fn is_visit(self) -> bool {
        matches!(self, ReportKind::FocusedVisit | ReportKind::MonitoringVisit)
    }
}

string_enum! {
    /// The inspection framework whose template a report follows: it decides the report's
    /// judgement areas, where grades are stated and how the document is laid out.
    ///
    /// ```
    /// use ofsted_search::Framework;
    /// assert_eq!("ILACS".parse::<Framework>()?, Framework::Ilacs);
    /// assert_eq!(Framework::Sif.to_string(), "sif");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub enum Framework {
        /// The single inspection framework (2013–2018): inspections, re-inspections and
        /// reviews of the Local Safeguarding Children Board.
        Sif => "sif",
        /// Inspection of local authority children's services (2018–): standard and short
        /// inspections, focused visits and monitoring visits.
        Ilacs => "ilacs",
        /// The inspections of services for looked after children that preceded the SIF
        /// (to 2013; grade scale with "adequate").
        Lac => "lac",
    }
}

impl Framework {
    /// A human label ("the single inspection framework").
    pub fn label(self) -> &'static str {
        match self {
            Framework::Sif => "the single inspection framework (SIF)",
            Framework::Ilacs => "inspection of local authority children's services (ILACS)",
            Framework::Lac => "inspection of services for looked after children",
        }
    }
}

/// A calendar date, written ISO 8601 (`2014-11-19`).
///
/// ```
/// use ofsted_search::Date;
/// let d: Date = "2014-11-19".parse()?;
/// assert_eq!((d.year(), d.month(), d.day()), (2014, 11, 19));
/// assert_eq!(d.to_string(), "2014-11-19");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date, or `None` when the day does not exist in that month.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days).then_some(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, starting at 1.
    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = ParseValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseValueError::new("Date", s, &["YYYY-MM-DD"]);
        let mut parts = s.trim().splitn(3, '-');
        let mut next = |len: usize| {
            parts
                .next()
                .filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse::<u16>().ok())
        };
        let (y, m, d) = (next(4), next(2), next(2));
        match (y, m, d) {
            (Some(y), Some(m), Some(d)) => Date::new(y, m as u8, d as u8).ok_or_else(err),
            _ => Err(err()),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One report's metadata, read from its own text (and optionally completed by a manifest).
///
/// Fields the text does not state are `None`: the parser never guesses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Report {
    /// Stable id, e.g. `sheffield-city-council/2014-inspection`.
    pub report_id: String,
    /// The authority's official name as the report gives it ("Sheffield City Council").
    pub authority: String,
    /// What kind of document this is.
    pub kind: ReportKind,
    /// The inspection framework the report follows, when the text shows it.
    #[serde(default)]
    pub framework: Option<Framework>,
    /// The report's title line(s), when it has one.
    pub title: Option<String>,
    /// First day of the inspection (or visit).
    pub inspection_start: Option<Date>,
    /// Last day of the inspection (or visit).
    pub inspection_end: Option<Date>,
    /// Publication date, when the text states it.
    pub published: Option<Date>,
    /// The year the inspection ended; the citation year.
    pub year: Option<u16>,
    /// The year of publication, when known.
    pub published_year: Option<u16>,
    /// The overall effectiveness judgement.
    pub overall_grade: Option<Grade>,
    /// Every area judgement the report states.
    pub judgements: BTreeMap<Area, Grade>,
}

/// One citable paragraph (or unnumbered block) of a report.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Paragraph {
    /// Stable id: `{report_id}/{number}` or, for unnumbered blocks, `{report_id}/u{ordinal}`.
    pub id: String,
    /// The report's id.
    pub report_id: String,
    /// The authority's official name.
    pub authority: String,
    /// The report's year (see [`Report::year`]).
    pub year: Option<u16>,
    /// The paragraph number printed in the report, when it survived conversion.
    pub number: Option<u32>,
    /// Position of this paragraph among the report's paragraphs, starting at 1.
    pub ordinal: u32,
    /// The heading of the section the paragraph sits in.
    pub section: String,
    /// The judgement area of that section, if it has one.
    pub area: Option<Area>,
    /// That section's grade, if it has one.
    pub grade: Option<Grade>,
    /// Theme ids assigned by the taxonomy (sorted, unique).
    pub themes: Vec<String>,
    /// The paragraph's whole text, normalised, on one line.
    pub text: String,
    /// A citation a reader can use to find the text in the published report.
    pub citation: String,
    /// Line in the source file where the paragraph starts (lines start at 1).
    pub line: usize,
    /// The page the paragraph starts on, starting at 1: the PDF page, or in converted text
    /// the page counted by form feeds (`\f`). `None` when the source has no page breaks.
    #[serde(default)]
    pub page: Option<u32>,
    /// True for blocks that describe the inspection rather than report its findings: the
    /// local-area facts, the inspection team, a letter's opening. Searches can leave them out
    /// ([`Query::findings_only`](crate::Query::findings_only)).
    #[serde(default)]
    pub context: bool,
}
