//! Export of paragraphs as NDJSON for bulk ingestion into a distributed search engine.
//!
//! One embedded index serves one machine. When a collection outgrows it, the same paragraphs
//! (each carrying its report's metadata) can be bulk-loaded into
//! [Quickwit](https://quickwit.io) (distributed, built on tantivy) or Elasticsearch/OpenSearch.
//! The repository ships an index config for each, listing every exported field:
//! `deploy/quickwit/ofsted-paragraphs.yaml` and `deploy/elasticsearch/ofsted-paragraphs.json`.
//!
//! Each exported document is one JSON object holding every field of a [`Paragraph`] and every
//! field of its [`Report`] (see [`FIELDS`]). Fields whose value is unknown (`None`) are left
//! out rather than written as `null`, because both engines treat a missing field as "no
//! value". [`read_ndjson`] parses either format back, so an export can be checked or reloaded.
//!
//! ```
//! use ofsted_search::export::{self, Format};
//! use ofsted_search::ingest::Ingester;
//!
//! let text = "Sheffield City Council\n\n\
//!             Inspection of services for children in need of help and protection\n\n\
//!             Inspection dates: 19 November - 11 December 2013\n\n\
//!             The experiences and progress of children who need help and protection are good\n\n\
//!             41. Children are routinely seen and seen alone by social workers.\n";
//! let reports = vec![Ingester::new().ingest_str(text, "sheffield.txt")?];
//!
//! let mut out = Vec::new();
//! let format = Format::Elasticsearch { index: Some("ofsted-paragraphs".into()) };
//! let written = export::write_ndjson(&mut out, &reports, &format)?;
//! assert_eq!(written, 1);
//!
//! // An action line naming the paragraph id, then the document.
//! let ndjson = String::from_utf8(out)?;
//! let lines: Vec<serde_json::Value> =
//!     ndjson.lines().map(serde_json::from_str).collect::<Result<_, _>>()?;
//! let paragraph = &reports[0].paragraphs[0];
//! assert_eq!(lines[0]["index"]["_id"], paragraph.id.as_str());
//! assert_eq!(lines[1]["text"], paragraph.text.as_str());
//! assert_eq!(lines[1]["kind"], "inspection");
//!
//! // Reading the export back gives the same reports and paragraphs.
//! let back = export::read_ndjson(ndjson.as_bytes(), "export.ndjson")?;
//! assert_eq!(back[0].report, reports[0].report);
//! assert_eq!(back[0].paragraphs, reports[0].paragraphs);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ingest::ParsedReport;
use crate::model::{Area, Date, Framework, Grade, Paragraph, Report, ReportKind};

/// The name of the index the shipped configs create, and the default for
/// [`Format::Elasticsearch`] in the `export` example.
pub const DEFAULT_INDEX: &str = "ofsted-paragraphs";

/// Every top-level field an exported document can hold, in the order they are written.
///
/// `judgements` is an object whose keys are [`Area`] spellings (`help_and_protection`, …) and
/// whose values are [`Grade`] spellings. A field whose value is unknown is omitted.
pub const FIELDS: &[&str] = &[
    "id",
    "report_id",
    "authority",
    "year",
    "number",
    "ordinal",
    "section",
    "area",
    "grade",
    "themes",
    "text",
    "citation",
    "line",
    "page",
    "context",
    "kind",
    "framework",
    "title",
    "inspection_start",
    "inspection_end",
    "published",
    "published_year",
    "overall_grade",
    "judgements",
];

/// Which engine's bulk format to write.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Format {
    /// One JSON document per line, for `quickwit index ingest` or Quickwit's ingest API.
    ///
    /// Quickwit does not deduplicate by id: re-ingesting a report adds its paragraphs again.
    /// Delete the report's documents first (a delete task on `report_id`) or rebuild the index.
    Quickwit,
    /// Elasticsearch/OpenSearch `_bulk` format: an `index` action line carrying `_id` (the
    /// paragraph id), then the document line. Because the action is `index` with an explicit
    /// `_id`, loading the same export twice replaces documents instead of duplicating them.
    Elasticsearch {
        /// The target index, written as `_index` in every action line. With `None`, the
        /// action names no index and the request must go to `/{index}/_bulk`.
        index: Option<String>,
    },
}

/// One exported document: a paragraph with its report's metadata, flattened.
///
/// `Cow` lets the writer borrow from the reports while the reader owns what it parses, with
/// one field list for both directions.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc<'a> {
    id: Cow<'a, str>,
    report_id: Cow<'a, str>,
    authority: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    year: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    number: Option<u32>,
    ordinal: u32,
    section: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    area: Option<Area>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    grade: Option<Grade>,
    #[serde(default)]
    themes: Cow<'a, [String]>,
    text: Cow<'a, str>,
    citation: Cow<'a, str>,
    line: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    #[serde(default)]
    context: bool,
    kind: ReportKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    framework: Option<Framework>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inspection_start: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inspection_end: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    published: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    published_year: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    overall_grade: Option<Grade>,
    #[serde(default)]
    judgements: Cow<'a, BTreeMap<Area, Grade>>,
}

impl<'a> Doc<'a> {
    fn new(report: &'a Report, p: &'a Paragraph) -> Doc<'a> {
        Doc {
            id: Cow::Borrowed(&p.id),
            report_id: Cow::Borrowed(&p.report_id),
            authority: Cow::Borrowed(&p.authority),
            year: p.year,
            number: p.number,
            ordinal: p.ordinal,
            section: Cow::Borrowed(&p.section),
            area: p.area,
            grade: p.grade,
            themes: Cow::Borrowed(&p.themes),
            text: Cow::Borrowed(&p.text),
            citation: Cow::Borrowed(&p.citation),
            line: p.line,
            page: p.page,
            context: p.context,
            kind: report.kind,
            framework: report.framework,
            title: report.title.as_deref().map(Cow::Borrowed),
            inspection_start: report.inspection_start,
            inspection_end: report.inspection_end,
            published: report.published,
            published_year: report.published_year,
            overall_grade: report.overall_grade,
            judgements: Cow::Borrowed(&report.judgements),
        }
    }

    /// Splits the document back into its paragraph and its report. The report's id, authority
    /// and year are the paragraph's: the writer takes them from the paragraph, which copies
    /// them from its report.
    fn into_parts(self) -> (Report, Paragraph) {
        let report = Report {
            report_id: self.report_id.to_string(),
            authority: self.authority.to_string(),
            kind: self.kind,
            framework: self.framework,
            title: self.title.map(Cow::into_owned),
            inspection_start: self.inspection_start,
            inspection_end: self.inspection_end,
            published: self.published,
            year: self.year,
            published_year: self.published_year,
            overall_grade: self.overall_grade,
            judgements: self.judgements.into_owned(),
        };
        let paragraph = Paragraph {
            id: self.id.into_owned(),
            report_id: self.report_id.into_owned(),
            authority: self.authority.into_owned(),
            year: self.year,
            number: self.number,
            ordinal: self.ordinal,
            section: self.section.into_owned(),
            area: self.area,
            grade: self.grade,
            themes: self.themes.into_owned(),
            text: self.text.into_owned(),
            citation: self.citation.into_owned(),
            line: self.line,
            page: self.page,
            context: self.context,
        };
        (report, paragraph)
    }
}

/// The action line of Elasticsearch's `_bulk` format.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Action<'a> {
    index: ActionMeta<'a>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ActionMeta<'a> {
    #[serde(rename = "_index", default, skip_serializing_if = "Option::is_none")]
    index: Option<Cow<'a, str>>,
    #[serde(rename = "_id")]
    id: Cow<'a, str>,
}

/// Writes every paragraph of `reports` as NDJSON in `format`, one document (plus, for
/// Elasticsearch, one action line) per paragraph, each line ending in `\n`. Returns the number
/// of documents written.
///
/// Reports without paragraphs write nothing: a document is a paragraph. To export a large
/// collection without holding it in memory, call this once per report on the same writer.
///
/// # Errors
///
/// Any error of `out`, unchanged: the caller knows what the writer is (a file, a socket,
/// standard output) and so how to name it.
pub fn write_ndjson<W: Write + ?Sized>(
    out: &mut W,
    reports: &[ParsedReport],
    format: &Format,
) -> std::io::Result<usize> {
    let mut written = 0;
    for parsed in reports {
        for p in &parsed.paragraphs {
            if let Format::Elasticsearch { index } = format {
                let action = Action {
                    index: ActionMeta {
                        index: index.as_deref().map(Cow::Borrowed),
                        id: Cow::Borrowed(&p.id),
                    },
                };
                serde_json::to_writer(&mut *out, &action)?;
                out.write_all(b"\n")?;
            }
            serde_json::to_writer(&mut *out, &Doc::new(&parsed.report, p))?;
            out.write_all(b"\n")?;
            written += 1;
        }
    }
    Ok(written)
}

/// Reads an export written by [`write_ndjson`] in either format back into reports and their
/// paragraphs; `input` names the source in errors.
///
/// Consecutive documents with the same `report_id` form one report, in the order read.
/// Blank lines are skipped. The reports carry no warnings (an export does not record them),
/// and a report exported without paragraphs cannot come back, since it wrote nothing.
///
/// # Errors
///
/// [`Error::Io`] when reading fails; [`Error::Config`] naming `input` and the line (starting
/// at 1) of a line that is not a document of this export, of an action line not followed by
/// its document, or of an action whose `_id` differs from its document's `id`.
pub fn read_ndjson(reader: impl BufRead, input: &str) -> Result<Vec<ParsedReport>> {
    let invalid = |line: usize, message: String| Error::Config {
        input: input.to_string(),
        location: format!("line {line}"),
        message,
    };
    let mut reports: Vec<ParsedReport> = Vec::new();
    // The id announced by an action line, with that line's number, awaiting its document.
    let mut pending: Option<(String, usize)> = None;
    for (i, line) in reader.lines().enumerate() {
        let number = i + 1;
        let line = line.map_err(|source| Error::Io {
            path: input.into(),
            action: "cannot read export",
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        if pending.is_none() {
            if let Ok(action) = serde_json::from_str::<Action>(&line) {
                pending = Some((action.index.id.into_owned(), number));
                continue;
            }
        }
        let doc: Doc = serde_json::from_str(&line).map_err(|e| {
            invalid(
                number,
                format!("not a paragraph document of this export: {e}"),
            )
        })?;
        if let Some((id, action_line)) = pending.take() {
            if id != doc.id {
                return Err(invalid(
                    number,
                    format!(
                        "document id '{}' differs from the _id '{id}' of the action on line {action_line}",
                        doc.id
                    ),
                ));
            }
        }
        let (report, paragraph) = doc.into_parts();
        match reports.last_mut() {
            Some(last) if last.report.report_id == report.report_id => {
                last.paragraphs.push(paragraph)
            }
            _ => reports.push(ParsedReport {
                report,
                paragraphs: vec![paragraph],
                warnings: Vec::new(),
            }),
        }
    }
    if let Some((id, action_line)) = pending {
        return Err(invalid(
            action_line,
            format!("the action for '{id}' has no document after it"),
        ));
    }
    Ok(reports)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Ingester;

    fn sample() -> Vec<ParsedReport> {
        let text = "Sheffield City Council\n\nInspection dates: 19 November - 11 December 2013\n\n\
                    The experiences and progress of children who need help and protection are good\n\n\
                    41. Children are routinely seen and seen alone by social workers.\n\n\
                    42. Strategy discussions are held promptly.\n";
        vec![Ingester::new().ingest_str(text, "s.txt").unwrap()]
    }

    #[test]
    fn quickwit_is_one_document_per_line_without_nulls() {
        let reports = sample();
        let mut out = Vec::new();
        let n = write_ndjson(&mut out, &reports, &Format::Quickwit).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(n, reports[0].paragraphs.len());
        assert_eq!(text.lines().count(), n);
        assert!(text.ends_with('\n'));
        for line in text.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let object = value.as_object().unwrap();
            assert!(object.values().all(|v| !v.is_null()), "{line}");
            assert!(
                object.keys().all(|k| FIELDS.contains(&k.as_str())),
                "{line}"
            );
        }
    }

    #[test]
    fn elasticsearch_actions_carry_the_paragraph_id() {
        let reports = sample();
        let mut out = Vec::new();
        let format = Format::Elasticsearch { index: None };
        write_ndjson(&mut out, &reports, &format).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2 * reports[0].paragraphs.len());
        for (pair, p) in lines.chunks(2).zip(&reports[0].paragraphs) {
            let action: serde_json::Value = serde_json::from_str(pair[0]).unwrap();
            assert_eq!(action, serde_json::json!({"index": {"_id": p.id}}));
        }
    }

    #[test]
    fn reader_rejects_what_the_writer_cannot_produce() {
        let mut out = Vec::new();
        let format = Format::Elasticsearch { index: None };
        write_ndjson(&mut out, &sample(), &format).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();

        // A document under another document's action.
        let swapped = format!("{}\n{}\n", lines[0], lines[3]);
        let err = read_ndjson(swapped.as_bytes(), "x.ndjson").unwrap_err();
        assert!(
            err.to_string().starts_with("x.ndjson: line 2: document id"),
            "{err}"
        );

        // An action at the end with nothing after it.
        let dangling = format!("{}\n{}\n\n{}\n", lines[0], lines[1], lines[2]);
        let err = read_ndjson(dangling.as_bytes(), "x.ndjson").unwrap_err();
        assert!(
            err.to_string().starts_with("x.ndjson: line 4: the action"),
            "{err}"
        );

        // A line that is not a document.
        let err = read_ndjson(&b"{\"id\": 3}\n"[..], "x.ndjson").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("x.ndjson: line 1: not a paragraph"),
            "{err}"
        );
    }
}
