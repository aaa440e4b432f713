//! The PDF reader (`ingest::pdf`) on real reports and on hostile PDFs.
//!
//! Real reports: every PDF of the archive sample (`OFSTED_ARCHIVE_SAMPLE`, or
//! `../shared/archive-sample` beside the package) when it is there, otherwise the PDFs bundled
//! in `corpus/` (the test says so). Each report's PDF is compared with its `pdftotext` text,
//! which the sample also holds.
#![cfg(feature = "pdf")]

use std::path::{Path, PathBuf};
use std::time::Duration;

use ofsted_search::ingest::pdf::PdfReader;
use ofsted_search::ingest::{Ingester, ParsedReport};
use ofsted_search::{Error, Paragraph};

/// The archive sample's folder, when present.
fn sample() -> Option<PathBuf> {
    let dir = std::env::var_os("OFSTED_ARCHIVE_SAMPLE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/archive-sample"));
    dir.join("pdf").is_dir().then_some(dir)
}

fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    files
}

/// The PDFs to read: the sample's, or the corpus's when the sample is absent.
fn real_pdfs() -> Vec<PathBuf> {
    match sample() {
        Some(dir) => pdfs_in(&dir.join("pdf")),
        None => {
            println!("archive sample not found (set OFSTED_ARCHIVE_SAMPLE): skipped; reading the PDFs in corpus/");
            pdfs_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"))
        }
    }
}

#[test]
fn every_real_pdf_ingests_with_pages() {
    let files = real_pdfs();
    assert!(!files.is_empty());
    for path in &files {
        let name = path.display().to_string();
        let text = PdfReader::new()
            .read(&std::fs::read(path).unwrap(), &name)
            .unwrap_or_else(|e| panic!("{e}"));
        let pages = text.pages.len() as u32;
        let parsed = Ingester::new()
            .ingest_str(&text.to_text(), &name)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            parsed.paragraphs.len() >= 5,
            "{}: {} paragraphs",
            path.display(),
            parsed.paragraphs.len()
        );
        for p in &parsed.paragraphs {
            let page = p
                .page
                .unwrap_or_else(|| panic!("{}: {} has no page", path.display(), p.id));
            assert!(
                (1..=pages).contains(&page),
                "{}: page {page} of {pages}",
                p.id
            );
            assert!(p.citation.contains(&format!("p. {page}")), "{}", p.citation);
        }
        // Running headers, footers and page numbers never reach a paragraph.
        for p in &parsed.paragraphs {
            assert!(!p.text.contains('\u{c}'), "{}", p.id);
        }
    }
    println!("{} PDFs ingested", files.len());
}

/// What must agree between the paragraphs read from a PDF and from its `pdftotext` text:
/// number, section, area, grade and the text with spaces and hyphens removed (the PDF keeps a
/// line-end hyphen that `pdftotext` drops: `decision-` / `making` against `decisionmaking`).
fn key(p: &Paragraph) -> String {
    let text: String = p
        .text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '–'))
        .collect();
    format!(
        "{:?}|{}|{:?}|{:?}|{}",
        p.number, p.section, p.area, p.grade, text
    )
}

fn first_difference(a: &ParsedReport, b: &ParsedReport) -> Option<String> {
    let ka: Vec<String> = a.paragraphs.iter().map(key).collect();
    let kb: Vec<String> = b.paragraphs.iter().map(key).collect();
    if ka == kb {
        return None;
    }
    let i = ka.iter().zip(&kb).take_while(|(x, y)| x == y).count();
    let show = |r: &ParsedReport| {
        r.paragraphs
            .get(i)
            .map(|p| format!("{:?} {:?}: {:.80}", p.number, p.section, p.text))
            .unwrap_or_else(|| "(none)".into())
    };
    Some(format!(
        "{} paragraphs from text, {} from PDF; first difference at {i}:\n    text: {}\n    pdf:  {}",
        ka.len(),
        kb.len(),
        show(a),
        show(b)
    ))
}

/// Reports of the sample whose paragraphs cannot agree, and why (each read in the PDF, with
/// poppler's `pdftohtml -xml` for positions). The test fails if one of them starts to agree,
/// so that the list stays true.
const EXCEPTIONS: &[(&str, &str)] = &[(
    // Page 13: "…to become more self-" / "confident." ends a paragraph (the next line, "Risks
    // for children who frequently go missing…", starts 39 units below it where lines are 22
    // apart). `pdftotext` joins a line broken at a hyphen with the next one ("…to become more
    // selfconfident.", 84 characters, as long as a full line), so the text no longer shows the
    // short last line that ends the paragraph, and the text path reads one paragraph where the
    // PDF reader, which keeps the two lines, reads two (the PDF's). Nothing left in the text
    // tells the joined line from a full one.
    "birmingham-2016-sif-reinspection",
    "pdftotext joined a hyphenated last line; the paragraph end is lost from the text",
)];

/// Reports of the sample whose PDF paragraphs equal their `pdftotext` paragraphs: all but
/// [`EXCEPTIONS`] (49 of 50, measured 2026-12-01 on branch `pdf3`). The test fails if fewer
/// agree.
const AGREEING_AT_LEAST: usize = 49;

#[test]
fn pdf_paragraphs_equal_pdftotext_paragraphs() {
    let Some(dir) = sample() else {
        println!("archive sample not found (set OFSTED_ARCHIVE_SAMPLE): skipped");
        return;
    };
    let ingester = Ingester::new();
    let mut agree = 0;
    let mut report = Vec::new();
    let mut wrong = Vec::new();
    let files = pdfs_in(&dir.join("pdf"));
    for pdf in &files {
        let stem = pdf.file_stem().unwrap().to_string_lossy().to_string();
        let txt = dir.join("text").join(&stem).with_extension("txt");
        let from_text = ingester.ingest_file(&txt).unwrap();
        let from_pdf = ingester.ingest_file(pdf).unwrap();
        let excepted = EXCEPTIONS.iter().find(|(name, _)| *name == stem);
        match (first_difference(&from_text, &from_pdf), excepted) {
            (None, None) => agree += 1,
            (None, Some(_)) => {
                agree += 1;
                wrong.push(format!("{stem} agrees now: remove it from EXCEPTIONS"));
            }
            (Some(d), Some((_, why))) => {
                report.push(format!("{} (known: {why}): {d}", pdf.display()))
            }
            (Some(d), None) => {
                report.push(format!("{}: {d}", pdf.display()));
                wrong.push(format!("{stem} differs"));
            }
        }
    }
    println!(
        "{agree} of {} reports: PDF paragraphs equal pdftotext paragraphs",
        files.len()
    );
    for line in &report {
        println!("{line}");
    }
    // Every report but the known exceptions agrees.
    assert!(wrong.is_empty(), "{}", wrong.join("; "));
    assert!(
        agree >= AGREEING_AT_LEAST.min(files.len()),
        "{agree} of {} agree",
        files.len()
    );
}

/// Letters and digits only, lowercased: what two extractors agree on.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn cited_pages_hold_the_paragraphs_first_words() {
    let Some(dir) = sample() else {
        println!("archive sample not found (set OFSTED_ARCHIVE_SAMPLE): skipped");
        return;
    };
    let mut checked = 0;
    let mut wrong = Vec::new();
    for pdf in pdfs_in(&dir.join("pdf")) {
        // The pages as poppler's pdftotext cut them: an extractor independent of ours.
        let txt = dir
            .join("text")
            .join(pdf.file_stem().unwrap())
            .with_extension("txt");
        let pages: Vec<String> = std::fs::read_to_string(txt)
            .unwrap()
            .split('\u{c}')
            .map(letters)
            .collect();
        let parsed = Ingester::new().ingest_file(&pdf).unwrap();
        // Every seventh paragraph.
        for p in parsed.paragraphs.iter().step_by(7) {
            let first: String = p
                .text
                .split_whitespace()
                .take(4)
                .collect::<Vec<_>>()
                .join(" ");
            let words = letters(&first);
            let page = p.page.unwrap() as usize;
            checked += 1;
            if !pages[page - 1].contains(&words) {
                wrong.push(format!("{}: {} p. {page}: {first:?}", pdf.display(), p.id));
            }
        }
    }
    println!(
        "{checked} paragraphs checked, {} not on their cited page",
        wrong.len()
    );
    for w in &wrong {
        println!("{w}");
    }
    assert!(checked > 100);
    assert!(
        wrong.is_empty(),
        "{} paragraphs not on their cited page",
        wrong.len()
    );
}

// ---- Hostile PDFs ----

/// A PDF with the given objects (numbered from 1; object 1 must be the catalogue), with a
/// correct cross-reference table.
fn build_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut o = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    o.extend_from_slice(data);
    o.extend_from_slice(b"\nendstream");
    o
}

/// A PDF of `pages` pages, each with one line of text.
fn text_pdf(pages: usize) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for i in 0..pages {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {} 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        let text = format!(
            "BT /F1 12 Tf 72 400 Td ({}. Children are seen alone on page {}.) Tj ET",
            i + 1,
            i + 1
        );
        objects.push(stream("", text.as_bytes()));
    }
    build_pdf(&objects)
}

fn read(bytes: &[u8]) -> Result<ParsedReport, Error> {
    Ingester::new().ingest_bytes(bytes, "hostile.pdf")
}

#[test]
fn a_hand_made_pdf_reads_with_one_page_per_page() {
    let text = PdfReader::new()
        .read(&text_pdf(3), "hand-made.pdf")
        .unwrap();
    assert_eq!(text.pages.len(), 3);
    for (i, page) in text.pages.iter().enumerate() {
        assert_eq!(
            page.trim(),
            format!("{}. Children are seen alone on page {}.", i + 1, i + 1)
        );
    }
    assert_eq!(text.to_text().matches('\u{c}').count(), 2);
}

#[test]
fn an_image_only_pdf_needs_ocr() {
    // One page that draws a 1×1 grey image and nothing else: a scan without a text layer.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>".to_vec(),
        stream("", b"q 612 0 0 792 0 0 cm /Im1 Do Q"),
        stream(
            "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8",
            b"\x80",
        ),
    ];
    let err = read(&build_pdf(&objects)).unwrap_err();
    assert!(matches!(err, Error::PdfNoText { pages: 1, .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.starts_with("hostile.pdf: ") && msg.contains("OCR"),
        "{msg}"
    );
}

#[test]
fn encrypted_pdfs_are_read_when_no_password_is_needed_and_refused_otherwise() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    // AES-256, empty user password (only permissions are restricted): readable.
    let open = Ingester::new()
        .ingest_file(fixtures.join("encrypted-no-password.pdf"))
        .unwrap();
    assert_eq!(open.paragraphs[0].number, Some(1));
    assert!(open.paragraphs[0].text.contains("seen alone"));
    // AES-256 with a user password: refused, naming the file.
    let path = fixtures.join("encrypted-password.pdf");
    let err = Ingester::new().ingest_file(&path).unwrap_err();
    assert!(matches!(err, Error::PdfEncrypted { .. }), "{err}");
    assert!(err.to_string().contains(&path.display().to_string()));
    assert!(err.to_string().contains("password"));
}

fn a_real_pdf() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/lambeth-2019-focused-visit.pdf"
    ))
    .unwrap()
}

/// A PDF error of the reader's, naming the input.
fn assert_pdf_error(err: &Error) {
    assert!(
        matches!(
            err,
            Error::PdfUnreadable { .. }
                | Error::PdfNoText { .. }
                | Error::PdfLimit { .. }
                | Error::PdfEncrypted { .. }
        ),
        "{err}"
    );
    assert!(err.to_string().starts_with("hostile.pdf"), "{err}");
}

#[test]
fn truncated_pdfs_are_errors_or_partial_reads_never_panics() {
    let bytes = a_real_pdf();
    for share in [1, 5, 10, 25, 50, 75, 90, 99] {
        let cut = &bytes[..bytes.len() * share / 100];
        match read(cut) {
            Ok(parsed) => assert!(!parsed.paragraphs.is_empty()),
            Err(e) => assert_pdf_error(&e),
        }
    }
    // Only the signature: a damaged PDF.
    let err = read(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj").unwrap_err();
    assert!(matches!(err, Error::PdfUnreadable { .. }), "{err}");
}

#[test]
fn flipped_bytes_are_errors_or_reads_never_panics() {
    let bytes = a_real_pdf();
    // A fixed pseudo-random sequence of positions and values.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..24 {
        let mut damaged = bytes.clone();
        for _ in 0..8 {
            let at = 5 + (next() as usize) % (damaged.len() - 5);
            damaged[at] ^= (next() % 255 + 1) as u8;
        }
        if let Err(e) = read(&damaged) {
            assert_pdf_error(&e);
        }
    }
}

#[test]
fn malformed_content_panicking_inside_the_extractor_is_an_error() {
    // `Tm` with two operands instead of six: pdf-extract asserts on it (a panic), which the
    // reader turns into an error naming the input and the page.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        stream("", b"BT /F1 12 Tf 1 2 Tm (text) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    let err = read(&build_pdf(&objects)).unwrap_err();
    assert!(matches!(err, Error::PdfUnreadable { .. }), "{err}");
    assert!(err.to_string().starts_with("hostile.pdf: "), "{err}");
}

#[test]
fn limits_on_pages_text_and_time_are_typed_errors() {
    let pdf = text_pdf(5);
    let err = PdfReader::new()
        .max_pages(4)
        .read(&pdf, "hostile.pdf")
        .unwrap_err();
    assert!(matches!(err, Error::PdfLimit { .. }), "{err}");
    assert!(err.to_string().contains("5 pages"), "{err}");
    assert!(PdfReader::new().max_pages(5).read(&pdf, "x").is_ok());

    let err = PdfReader::new()
        .max_text_bytes(100)
        .read(&a_real_pdf(), "hostile.pdf")
        .unwrap_err();
    assert!(matches!(err, Error::PdfLimit { .. }), "{err}");

    let err = PdfReader::new()
        .timeout(Duration::ZERO)
        .read(&a_real_pdf(), "hostile.pdf")
        .unwrap_err();
    assert!(matches!(err, Error::PdfLimit { .. }), "{err}");
    assert!(err.to_string().contains("took over"), "{err}");

    // The ingester's input limit applies to PDFs too.
    let err = Ingester::new()
        .max_input_bytes(1000)
        .ingest_bytes(&a_real_pdf(), "hostile.pdf")
        .unwrap_err();
    assert!(matches!(err, Error::InputTooLarge { .. }), "{err}");
}

/// `n` bytes of spaces, zlib-compressed (a few thousandths of the size).
fn deflated_spaces(n: usize) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let chunk = vec![b' '; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len());
        e.write_all(&chunk[..k]).unwrap();
        left -= k;
    }
    e.finish().unwrap()
}

#[test]
fn decompression_bombs_are_limits_before_anything_is_inflated() {
    // A page whose content stream is 300 MiB of spaces in well under 2 MB of deflate: over the
    // default limit of 256 MiB (64 MiB for one stream), refused before lopdf or pdf-extract
    // inflate it.
    let bomb = deflated_spaces(300 << 20);
    assert!(bomb.len() < 2_000_000, "{}", bomb.len());
    let page = |contents: Vec<u8>| {
        vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
            contents,
        ]
    };
    let pdf = build_pdf(&page(stream("/Filter /FlateDecode", &bomb)));
    let started = std::time::Instant::now();
    let err = read(&pdf).unwrap_err();
    assert!(matches!(err, Error::PdfLimit { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.starts_with("hostile.pdf: ") && msg.contains("decompressed"),
        "{msg}"
    );
    assert!(msg.contains(&(64u64 << 20).to_string()), "{msg}");
    assert!(started.elapsed() < Duration::from_secs(30));

    // The same in an array of filters, and in an object stream, which lopdf inflates while it
    // loads the file (before any page is read): smaller bombs under smaller limits.
    let small = deflated_spaces(20 << 20);
    for dict in [
        "/Filter [/FlateDecode]",
        "/Type /ObjStm /N 1 /First 4 /Filter /Fl",
    ] {
        let pdf = build_pdf(&page(stream(dict, &small)));
        let err = PdfReader::new()
            .max_inflated_bytes(64 << 20, 8 << 20)
            .read(&pdf, "hostile.pdf")
            .unwrap_err();
        assert!(matches!(err, Error::PdfLimit { .. }), "{dict}: {err}");
    }
    // Under the limits, the same stream is read (it draws nothing: no text layer).
    let pdf = build_pdf(&page(stream("/Filter /FlateDecode", &small)));
    let err = PdfReader::new()
        .max_inflated_bytes(64 << 20, 32 << 20)
        .read(&pdf, "hostile.pdf")
        .unwrap_err();
    assert!(matches!(err, Error::PdfNoText { .. }), "{err}");
    // Two streams of 20 MiB: each under a per-stream limit of 32 MiB, together over 32 MiB.
    let two = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [4 0 R 5 0 R] >>".to_vec(),
        stream("/Filter /FlateDecode", &small),
        stream("/Filter /FlateDecode", &small),
    ];
    let err = PdfReader::new()
        .max_inflated_bytes(32 << 20, 32 << 20)
        .read(&build_pdf(&two), "hostile.pdf")
        .unwrap_err();
    assert!(err.to_string().contains("together"), "{err}");
}

#[test]
fn an_encrypted_decompression_bomb_is_measured_after_decryption() {
    // `tests/fixtures/encrypted-bomb.pdf`: one page whose content stream is 20 MiB of spaces
    // in 20 KB of deflate, encrypted by qpdf (AES-256, empty user password: readable). Its
    // stream data is encrypted in the file, so the measure of the raw bytes cannot inflate it;
    // the reader measures it again once lopdf has decrypted it, before pdf-extract inflates it.
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/encrypted-bomb.pdf"
    ))
    .unwrap();
    assert!(bytes.len() < 30_000, "{}", bytes.len());
    let started = std::time::Instant::now();
    let err = PdfReader::new()
        .max_inflated_bytes(64 << 20, 8 << 20)
        .read(&bytes, "hostile.pdf")
        .unwrap_err();
    assert!(matches!(err, Error::PdfLimit { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.starts_with("hostile.pdf: ") && msg.contains("decompressed"),
        "{msg}"
    );
    assert!(msg.contains(&(8u64 << 20).to_string()), "{msg}");
    // Over the total limit too (one stream of 20 MiB against 16 MiB in all).
    let err = PdfReader::new()
        .max_inflated_bytes(16 << 20, 64 << 20)
        .read(&bytes, "hostile.pdf")
        .unwrap_err();
    assert!(err.to_string().contains("together"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30));
    // Under the limits (the defaults: 64 MiB a stream), it decrypts and inflates, and draws
    // nothing: no text layer.
    let err = read(&bytes).unwrap_err();
    assert!(matches!(err, Error::PdfNoText { .. }), "{err}");
}

/// An encrypted PDF's object streams are encrypted in the file, so the measure of the raw bytes
/// cannot inflate them, and lopdf 0.42 decrypts and inflates them while it loads the file, before
/// the measure after decryption (which does not see them: they are not kept). The reader
/// measures them first, decrypted with the key of a copy in which lopdf cannot inflate them.
/// The fixture (`tests/fixtures/encrypted-object-stream-bomb.pdf`, made with qpdf: AES-256,
/// empty user password, a 20 MiB string in an object stream of 20 KB) was read as a page without
/// text, peaking at about 65 MB, before that.
#[test]
fn an_encrypted_object_stream_bomb_is_a_limit() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/encrypted-object-stream-bomb.pdf"
    ))
    .unwrap();
    let err = PdfReader::new()
        .max_inflated_bytes(64 << 20, 8 << 20)
        .read(&bytes, "hostile.pdf")
        .unwrap_err();
    assert!(matches!(err, Error::PdfLimit { .. }), "{err}");
    assert!(err.to_string().contains("decompressed"), "{err}");
    // Under the default limits it loads, and draws nothing.
    let err = read(&bytes).unwrap_err();
    assert!(matches!(err, Error::PdfNoText { .. }), "{err}");
}
