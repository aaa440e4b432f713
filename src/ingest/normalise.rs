//! Normalisation: decoded text to clean, classified lines.
//!
//! PDF-to-text conversions of Ofsted reports come in a few families, and real users bring all
//! of them: markdown with HTML tags and LaTeX fragments (`<sup>2</sup>`,
//! `$\ensuremath{\mathsf{Board}}^1$`, `#### **Summary**`), hard-wrapped text that lost
//! characters (apostrophes, dashes, bullet glyphs, lines that began with a digit), clean text,
//! and web pages with site boilerplate. This stage removes the debris line by line and says what
//! each line is, so that the chunker can reason about structure without knowing the family.
//!
//! Every output line keeps its source line number, so citations and warnings can point back
//! into the file. One source line can yield several lines (an HTML line holding two `<p>`
//! elements); none is merged here: joining wrapped lines is the chunker's decision.

/// What a cleaned line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Nothing visible.
    Blank,
    /// Prose, a heading or a table row: for the chunker to decide.
    Text,
    /// A footnote (`¹ Ofsted produces this report…`).
    Footnote,
    /// Page furniture: page numbers, table rules, running headers.
    Furniture,
    /// Website or publisher boilerplate (contact details, copyright, cookie notices).
    Boilerplate,
}

/// One cleaned source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Source line number, starting at 1.
    pub number: usize,
    /// The cleaned text: markup, bullet marker and footnote markers removed, spaces collapsed,
    /// trimmed. Tabs that separate table cells are kept.
    pub text: String,
    /// What the line is.
    pub kind: LineKind,
    /// Bullet nesting level when the line started with a bullet marker (1 = top level; 2 when
    /// the marker is indented: the chunker also nests items by their marker, see `marker`).
    pub bullet: Option<u8>,
    /// The bullet marker, when the line started with one: the glyph as drawn, with the
    /// private-use glyphs of the Symbol and Wingdings fonts mapped to what they look like
    /// (`■`, `−`, …), so that a sub-list's marker (`−` under `■`) stays distinct from its
    /// parent list's. A marker that stood alone on its line (as `pdftotext` writes it when a
    /// wide gap separates it from its text) is given to the next text line.
    pub marker: Option<char>,
    /// Number of leading spaces before any marker (hard-wrapped text that lost its bullet glyph
    /// keeps a lone leading space).
    pub indent: usize,
    /// Markdown heading level (`#` = 1) when the line was a markdown heading.
    pub heading: Option<u8>,
    /// Length in characters of the source line without trailing spaces: wrapped text is judged
    /// by how full its lines are.
    pub raw_len: usize,
    /// The page the line is on, starting at 1: page breaks are form feeds (`\f`), as
    /// `pdftotext` and the PDF reader write them. Text without form feeds is all page 1.
    pub page: u32,
}

impl Line {
    /// True for blank lines.
    pub fn is_blank(&self) -> bool {
        self.kind == LineKind::Blank
    }
}

/// Cleans `text` into classified lines.
///
/// ```
/// use ofsted_search::ingest::normalise::{normalise, LineKind};
/// let lines = normalise("#### **Executive summary**\n- 12. Children are <b>seen</b> alone.\n¹ A footnote");
/// assert_eq!(lines[0].text, "Executive summary");
/// assert_eq!(lines[0].heading, Some(4));
/// assert_eq!(lines[1].text, "12. Children are seen alone.");
/// assert_eq!(lines[1].bullet, Some(1));
/// assert_eq!(lines[2].kind, LineKind::Footnote);
/// ```
pub fn normalise(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut page = 1u32;
    for (i, raw) in text.split('\n').enumerate() {
        let number = i + 1;
        // A form feed starts a new page; converters put it in front of the page's first line
        // (or alone on a line). One inside or at the end of a line breaks the page after it.
        let leading = raw.chars().take_while(|&c| c == '\u{c}').count();
        page = page.saturating_add(leading as u32);
        let rest = &raw[leading..];
        let later = rest.matches('\u{c}').count() as u32;
        let owned;
        let raw = if later > 0 {
            owned = rest.replace('\u{c}', " ");
            owned.trim_end()
        } else {
            rest.trim_end()
        };
        let raw_len = raw.chars().count();
        for piece in split_html_blocks(raw) {
            let mut line = clean_line(piece, number, raw_len);
            line.page = page;
            out.push(line);
        }
        page = page.saturating_add(later);
    }
    carry_lone_markers(&mut out);
    out
}

/// A bullet marker alone on its line (`pdftotext` sets a marker apart, with blank lines, when a
/// wide gap separates it from its text) belongs to the next text line, when blank lines are all
/// that stand between them and that line has no marker of its own.
fn carry_lone_markers(lines: &mut [Line]) {
    for i in 0..lines.len() {
        if !(lines[i].is_blank() && lines[i].marker.is_some()) {
            continue;
        }
        let (bullet, marker) = (lines[i].bullet, lines[i].marker);
        lines[i].bullet = None;
        lines[i].marker = None;
        let next = (i + 1..lines.len()).find(|&k| !lines[k].is_blank());
        if let Some(k) = next {
            let item = &mut lines[k];
            if item.kind == LineKind::Text && item.marker.is_none() && item.heading.is_none() {
                item.bullet = bullet;
                item.marker = marker;
            }
        }
    }
}

/// Splits a line at HTML block boundaries (`</p>`, `<br>`), which conversions emit for what
/// were separate paragraphs of the page.
fn split_html_blocks(raw: &str) -> Vec<&str> {
    if !raw.contains('<') {
        return vec![raw];
    }
    let lower = raw.to_ascii_lowercase();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut search = 0;
    while let Some(pos) = lower[search..].find('<') {
        let at = search + pos;
        let rest = &lower[at..];
        let end = match rest.find('>') {
            Some(e) => at + e + 1,
            None => break,
        };
        let tag = &lower[at..end];
        if tag.starts_with("</p") || tag.starts_with("<br") || tag.starts_with("</div") {
            pieces.push(&raw[start..end]);
            start = end;
        }
        search = end;
    }
    pieces.push(&raw[start..]);
    pieces.retain(|p| !p.trim().is_empty());
    if pieces.is_empty() {
        pieces.push("");
    }
    pieces
}

fn clean_line(raw: &str, number: usize, raw_len: usize) -> Line {
    let indent = raw.chars().take_while(|&c| c == ' ').count();
    let mut line = Line {
        number,
        text: String::new(),
        kind: LineKind::Blank,
        bullet: None,
        marker: None,
        indent,
        heading: None,
        raw_len,
        page: 1,
    };
    // A footnote starts with its marker; recognise it before the marker is stripped.
    let footnote = starts_with_footnote_marker(raw.trim_start());
    let mut s = strip_html(raw);
    s = strip_latex(&s);
    let mut t = s.trim_start_matches([' ', '\u{a0}']);
    let mut heading = None;
    if t.starts_with('#') {
        let hashes = t.chars().take_while(|&c| c == '#').count();
        if hashes <= 6 && t[hashes..].starts_with([' ', '\t']) {
            heading = Some(hashes as u8);
            t = t[hashes..].trim_start();
        }
    }
    let mut bullet = None;
    if heading.is_none() {
        if let Some((marker, rest)) = strip_bullet(t) {
            bullet = Some(if indent >= 2 { 2 } else { 1 });
            line.marker = Some(marker);
            t = rest;
        }
    }
    let t = strip_emphasis(t);
    let t = strip_footnote_markers(&t);
    let t = repair_year_ranges(&t);
    let text = collapse_spaces(&t);
    line.heading = heading;
    line.bullet = bullet;
    line.kind = if text.is_empty() || is_table_rule(&text) {
        if text.is_empty() {
            LineKind::Blank
        } else {
            LineKind::Furniture
        }
    } else if footnote {
        LineKind::Footnote
    } else if is_furniture(&text) {
        LineKind::Furniture
    } else if is_boilerplate(&text) {
        LineKind::Boilerplate
    } else {
        LineKind::Text
    };
    line.text = text;
    line
}

/// `¹ Ofsted…`, `<sup>2</sup> The local…`, `[^3]: …`, `^4 …`.
fn starts_with_footnote_marker(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("<sup>") || lower.starts_with("[^") || lower.starts_with('^') {
        return true;
    }
    let mut chars = s.chars();
    let first = chars.next();
    matches!(first, Some(c) if is_superscript_digit(c))
        && chars
            .next()
            .is_some_and(|c| c == ' ' || is_superscript_digit(c))
}

fn is_superscript_digit(c: char) -> bool {
    matches!(c, '¹' | '²' | '³' | '⁴' | '⁵' | '⁶' | '⁷' | '⁸' | '⁹' | '⁰')
}

/// Removes tags, drops the content of `<sup>` (footnote markers) and decodes entities.
fn strip_html(s: &str) -> String {
    if !s.contains('<') && !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut in_sup = false;
    while let Some(lt) = rest.find('<') {
        let (before, after) = rest.split_at(lt);
        if !in_sup {
            out.push_str(before);
        }
        match after.find('>') {
            // Only treat it as a tag when it looks like one: `<x`, `</x`, `<!`.
            Some(gt)
                if after[1..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!') =>
            {
                let tag = after[1..gt].to_ascii_lowercase();
                if tag.starts_with("sup") {
                    in_sup = true;
                } else if tag.starts_with("/sup") {
                    in_sup = false;
                } else if tag.starts_with("td") || tag.starts_with("th") {
                    out.push('\t');
                } else if !tag.starts_with('/') && !out.ends_with(' ') {
                    // Block tags separate words that the markup kept apart.
                    if matches!(
                        tag.split(' ').next(),
                        Some("p" | "div" | "li" | "br" | "tr")
                    ) {
                        out.push(' ');
                    }
                }
                rest = &after[gt + 1..];
            }
            _ => {
                if !in_sup {
                    out.push('<');
                }
                rest = &after[1..];
            }
        }
    }
    if !in_sup {
        out.push_str(rest);
    }
    decode_entities(&out)
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        // Entity names are short: look for the `;` within the next ten bytes, cutting the
        // window at a character boundary so that non-ASCII text after a `&` is safe.
        let mut window = after.len().min(10);
        while !after.is_char_boundary(window) {
            window -= 1;
        }
        let semi = after[..window].find(';');
        let decoded = semi.and_then(|semi| {
            let name = &after[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                "pound" => Some('£'),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Keeps the words of LaTeX fragments and drops their commands, braces and superscripts
/// (`$\ensuremath{\mathsf{Board}}^1$` → `Board`).
fn strip_latex(s: &str) -> String {
    if !s.contains('\\') && !s.contains('$') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphabetic() {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                match name.as_str() {
                    "" => {
                        // An escaped character such as `\%` or `\&`.
                        if let Some(n) = chars.next() {
                            out.push(n);
                        }
                    }
                    "geq" | "ge" => out.push('≥'),
                    "leq" | "le" => out.push('≤'),
                    "pounds" => out.push('£'),
                    "times" => out.push('×'),
                    _ => {}
                }
            }
            '^' | '_' => {
                // Superscripts are footnote markers; subscripts carry nothing readers search.
                if chars.peek() == Some(&'{') {
                    for n in chars.by_ref() {
                        if n == '}' {
                            break;
                        }
                    }
                } else {
                    chars.next();
                }
            }
            '$' | '{' | '}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// The bullet glyph `c` stands for, when it is one: private-use glyphs of the Symbol and
/// Wingdings fonts (which `pdftotext` and the PDF reader meet as U+F0xx) are mapped to the
/// characters they draw, distinct from one another (a sub-list's `−` under a list's `■`);
/// other private-use characters are bullets as they are. The one list of bullet glyphs, shared
/// by the normaliser and the PDF reader.
pub(crate) fn bullet_glyph(c: char) -> Option<char> {
    let mapped = match c {
        '\u{f0b7}' => '•',
        '\u{f06e}' => '■',
        '\u{f0a7}' => '▪',
        '\u{f02d}' => '−',
        '\u{f076}' => '❖',
        '\u{f0d8}' => '➢',
        '\u{f0fc}' => '✓',
        '\u{f0a8}' => '□',
        '\u{f06c}' => '●',
        '\u{f071}' => '❑',
        '\u{f075}' => '◆',
        '•' | '■' | '▪' | '●' | '◦' | '○' | '□' | '◼' | '➢' | '►' | '▶' | '✓' | '·' | '‣' | '⁃'
        | '❖' | '❑' | '◆' => c,
        c if ('\u{e000}'..='\u{f8ff}').contains(&c) => c,
        _ => return None,
    };
    Some(mapped)
}

/// Strips a leading bullet marker, returning the marker (see [`bullet_glyph`]) and the rest.
fn strip_bullet(t: &str) -> Option<(char, &str)> {
    let c = t.chars().next()?;
    let glyph = bullet_glyph(c);
    // Dashes, and a minus sign that is no private-use glyph, are markers only before a space
    // (`-5%`, `−2` are not bullets); a glyph need not be.
    let ascii = matches!(c, '-' | '*' | '+' | '–' | '—' | '−');
    let marker = match glyph {
        Some(g) if c != '−' => g,
        _ if ascii => c,
        _ => return None,
    };
    let rest = &t[c.len_utf8()..];
    if ascii && !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some((marker, rest.trim_start()))
}

/// Removes markdown emphasis markers (`**bold**`, `__bold__`) but keeps lone asterisks. A
/// marker between two word characters becomes a space, so that removing it never fuses words.
fn strip_emphasis(t: &str) -> String {
    if !t.contains("**") && !t.contains("__") {
        return t.to_string();
    }
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(pos) = rest.find("**").into_iter().chain(rest.find("__")).min() {
        let before = rest[..pos].chars().next_back();
        let after = rest[pos + 2..].chars().next();
        out.push_str(&rest[..pos]);
        if before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric) {
            out.push(' ');
        }
        rest = &rest[pos + 2..];
    }
    out.push_str(rest);
    out
}

/// Drops footnote markers glued to words: superscript digits anywhere, and one or two ASCII
/// digits directly after a lowercase word or after sentence punctuation (`Board1`, `area3`,
/// `protection.2`), which is how hard-wrapped conversions render superscripts.
fn strip_footnote_markers(t: &str) -> String {
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::with_capacity(t.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_superscript_digit(c) {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() && i > 0 {
            let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            let after = chars.get(i + run).copied();
            let ends = after.is_none_or(|a| a == ' ' || a == ',' || a == ';' || a == ')');
            let prev = chars[i - 1];
            let word_before = chars[..i]
                .iter()
                .rev()
                .take_while(|c| c.is_alphabetic())
                .count();
            // A word, lowercase but for its first letter ("Board1", "area3").
            let lowercase_word = word_before >= 3
                && chars[i - word_before + 1..i]
                    .iter()
                    .all(|c| c.is_lowercase());
            let after_sentence = matches!(prev, '.' | ':' | ';' | ',')
                && i >= 2
                && chars[i - 2].is_alphabetic()
                && after.is_none();
            if run <= 2 && ends && (lowercase_word || after_sentence) {
                i += run;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// `201314` → `2013–14`: financial years lose their dash in extraction.
fn repair_year_ranges(t: &str) -> String {
    let bytes = t.as_bytes();
    if bytes.len() < 6 || !t.contains("20") {
        return t.to_string();
    }
    let mut out = String::with_capacity(t.len() + 4);
    let mut i = 0;
    while i < bytes.len() {
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if boundary_before && i + 6 <= bytes.len() && bytes[i..i + 6].iter().all(u8::is_ascii_digit)
        {
            let boundary_after = i + 6 == bytes.len() || !bytes[i + 6].is_ascii_alphanumeric();
            let first: u32 = t[i + 2..i + 4].parse().unwrap_or(0);
            let second: u32 = t[i + 4..i + 6].parse().unwrap_or(0);
            if boundary_after && &t[i..i + 2] == "20" && second == (first + 1) % 100 {
                out.push_str(&t[i..i + 4]);
                out.push('–');
                out.push_str(&t[i + 4..i + 6]);
                i += 6;
                continue;
            }
        }
        let ch = t[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Collapses runs of spaces (keeping one tab where a tab separated table cells) and trims.
fn collapse_spaces(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut pending: Option<char> = None;
    for c in t.chars() {
        if c == '\t' {
            pending = Some('\t');
        } else if c.is_whitespace() {
            if pending.is_none() {
                pending = Some(' ');
            }
        } else {
            if let Some(p) = pending.take() {
                if !out.is_empty() {
                    out.push(p);
                }
            }
            out.push(c);
        }
    }
    out
}

/// Markdown table rules (`--|--`, `| --- |`).
fn is_table_rule(t: &str) -> bool {
    t.chars().any(|c| c == '-') && t.chars().all(|c| matches!(c, '-' | '|' | ':' | ' ' | '\t'))
}

/// Page numbers and page headers/footers.
fn is_furniture(t: &str) -> bool {
    if t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let lower = t.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("page ") {
        let words: Vec<&str> = rest.split_whitespace().collect();
        return matches!(words.as_slice(), [n] | [n, "of", _] if n.chars().all(|c| c.is_ascii_digit()));
    }
    false
}

/// Publisher and website boilerplate: contact details, copyright and licensing notes,
/// navigation, cookie notices. Only short lines are judged by these phrases, so that a report
/// paragraph which happens to cite a web address is kept.
fn is_boilerplate(t: &str) -> bool {
    let lower = t.to_lowercase();
    const ALWAYS: &[&str] = &[
        "website design by",
        "all rights reserved",
        "cookie",
        "privacy policy",
        "any complaints about the inspection or the report",
        "the office for standards in education, children's services and skills (ofsted) regulates",
        "if you would like a copy of this document in a different format",
        "you may copy all or parts of this document",
        "to receive regular email alerts about new publications",
        "this publication is available at",
        "interested in our work? you can subscribe",
    ];
    if ALWAYS.iter().any(|p| lower.contains(p)) {
        return true;
    }
    const SHORT: &[&str] = &[
        "contact us",
        "©",
        "crown copyright",
        "tel:",
        "t: 0",
        "textphone",
        "e: enquiries",
        "w: www.",
        "enquiries@ofsted.gov.uk",
        "piccadilly gate",
        "follow us",
        "share this",
        "sign up",
        "subscribe",
        "skip to main content",
        "back to top",
        "read more",
        "market research by",
    ];
    // Website phrases ("read more", "sign up") also occur in prose ("read more like a running
    // record"): they mark boilerplate only on a short line of their own, or at its start.
    let short = t.split_whitespace().count() <= 8;
    t.len() < 200
        && (SHORT
            .iter()
            .any(|p| lower.starts_with(p) || (short && lower.contains(p)))
            || is_postcode_line(t))
}

/// A short address line ending in a UK postcode (`Manchester M1 2WD`, `Essex CO4 3ZL`).
fn is_postcode_line(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.len() < 2 || t.len() > 120 {
        return false;
    }
    let outward = words[words.len() - 2];
    let inward = words[words.len() - 1].trim_end_matches(['.', ',']);
    let out_ok = (2..=4).contains(&outward.len())
        && outward
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase())
        && outward.chars().any(|c| c.is_ascii_digit())
        && outward
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let in_ok = inward.len() == 3
        && inward.chars().next().is_some_and(|c| c.is_ascii_digit())
        && inward[1..].chars().all(|c| c.is_ascii_uppercase());
    out_ok && in_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the property tests: an `&` followed by multi-byte characters cut the entity
    /// look-ahead window inside a character and panicked.
    #[test]
    fn ampersand_before_multibyte_text_does_not_panic() {
        assert_eq!(one("&𛲜ᠠa¡.").text, "&𛲜ᠠa¡.");
        assert_eq!(
            one("Tom & Jérôme’s café &amp; more").text,
            "Tom & Jérôme’s café & more"
        );
    }

    fn one(s: &str) -> Line {
        let mut lines = normalise(s);
        assert_eq!(lines.len(), 1, "{lines:?}");
        lines.remove(0)
    }

    #[test]
    fn markdown_headings_and_emphasis() {
        let l = one("#### **Inspection findings**");
        assert_eq!(
            (l.text.as_str(), l.heading),
            ("Inspection findings", Some(4))
        );
        assert_eq!(
            one("The overall judgement is **requires improvement**").text,
            "The overall judgement is requires improvement"
        );
        // Markers between word characters do not fuse the words.
        assert_eq!(one("snake__case and a**b").text, "snake case and a b");
        // A hash that is not a heading marker stays.
        assert_eq!(one("#hashtag").heading, None);
    }

    #[test]
    fn html_tags_entities_and_paragraph_splits() {
        let lines =
            normalise("<p>The overall judgement is good</p> <p>The local authority leads.</p>\t\t");
        let texts: Vec<_> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "The overall judgement is good",
                "The local authority leads."
            ]
        );
        assert!(lines.iter().all(|l| l.number == 1));
        assert_eq!(
            one("Children &amp; families &lt;here&gt;").text,
            "Children & families <here>"
        );
        assert_eq!(one("age <5 and >3").text, "age <5 and >3");
    }

    #[test]
    fn broken_sup_footnotes_are_footnotes() {
        let l = one("<sup>&</sup>lt;sup>2</sup> The local authority was given the opportunity");
        assert_eq!(l.kind, LineKind::Footnote);
        assert_eq!(
            one("¹ Ofsted produces this report").kind,
            LineKind::Footnote
        );
        assert_eq!(
            one("Information about this local authority area<sup>2</sup>").text,
            "Information about this local authority area"
        );
    }

    #[test]
    fn latex_fragments_keep_their_words() {
        assert_eq!(
            one(r"# Review of the effectiveness of the Local Safeguarding Children $\ensuremath{\mathsf{Board}}^1$").text,
            "Review of the effectiveness of the Local Safeguarding Children Board"
        );
        assert_eq!(
            one(r"rates $\geq 50\%$ of cases").text,
            "rates ≥ 50% of cases"
        );
    }

    #[test]
    fn bullet_markers_are_kept_distinct_and_a_lone_marker_goes_to_the_next_line() {
        let lines = normalise("\u{f06e} Free school meals:\n\u{f02d}\n\nin primary schools\n\u{f02d} in secondary schools\n−2% change\n");
        let marks: Vec<_> = lines
            .iter()
            .map(|l| (l.text.as_str(), l.bullet, l.marker))
            .collect();
        assert_eq!(
            marks,
            [
                ("Free school meals:", Some(1), Some('■')),
                ("", None, None),
                ("", None, None),
                ("in primary schools", Some(1), Some('−')),
                ("in secondary schools", Some(1), Some('−')),
                ("−2% change", None, None),
                ("", None, None),
            ]
        );
    }

    #[test]
    fn bullets_of_every_kind() {
        for s in [
            "- Care leavers",
            "■ Care leavers",
            "• Care leavers",
            "\u{f0b7} Care leavers",
            "* Care leavers",
        ] {
            let l = one(s);
            assert_eq!(
                (l.text.as_str(), l.bullet),
                ("Care leavers", Some(1)),
                "{s}"
            );
        }
        assert_eq!(one("  - in primary schools is 11%").bullet, Some(2));
        assert_eq!(one("-5% change").bullet, None);
        // Hard-wrapped text that lost its bullet glyph keeps a leading space.
        let l = one(" Serious and widespread failures");
        assert_eq!((l.indent, l.bullet), (1, None));
    }

    #[test]
    fn glued_footnote_markers_are_dropped() {
        assert_eq!(
            one("Review of the effectiveness of the Local Safeguarding Children Board1").text,
            "Review of the effectiveness of the Local Safeguarding Children Board"
        );
        assert_eq!(
            one("Information about this local authority area3").text,
            "Information about this local authority area"
        );
        assert_eq!(one("care and protection.2").text, "care and protection.");
        // Real numbers stay.
        assert_eq!(
            one("section 47 enquiries in Year 10, M1 2WD").text,
            "section 47 enquiries in Year 10, M1 2WD"
        );
    }

    #[test]
    fn financial_years_get_their_dash_back() {
        assert_eq!(
            one("In 201314 average attendance").text,
            "In 2013–14 average attendance"
        );
        assert_eq!(
            one("reference 201399 and 123456").text,
            "reference 201399 and 123456"
        );
    }

    #[test]
    fn furniture_and_boilerplate() {
        assert_eq!(one("12").kind, LineKind::Furniture);
        assert_eq!(one("Page 3 of 40").kind, LineKind::Furniture);
        assert_eq!(one("--\t--\t--").kind, LineKind::Furniture);
        assert_eq!(
            one("Tel: 01206 878178Contact Us").kind,
            LineKind::Boilerplate
        );
        assert_eq!(
            one("D1, Parkside, Knowledge Gateway, Nesfield Road, Colchester, Essex CO4 3ZL").kind,
            LineKind::Boilerplate
        );
        assert_eq!(one("A Mackman Group collaboration - market research by Mackman Research | website design by Mackman").kind,
            LineKind::Boilerplate);
        assert_eq!(one("Children are seen alone.").kind, LineKind::Text);
        // Website phrases inside report prose are prose (Suffolk 2016, para 21).
        assert_eq!(
            one("21. The majority of chronologies seen were up to date, although some were overlengthy and read more like a running record").kind,
            LineKind::Text
        );
        assert_eq!(one("Read more").kind, LineKind::Boilerplate);
    }

    #[test]
    fn line_numbers_and_lengths_are_kept() {
        let lines = normalise("a\n\n  b  ");
        assert_eq!(
            lines.iter().map(|l| l.number).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert_eq!(lines[2].raw_len, 3);
        assert!(lines[1].is_blank());
    }
}
