//! Fuzz target: arbitrary bytes after a `%PDF-` signature through the PDF reader and the rest
//! of the pipeline. Any panic, abort or hang is a bug (the reader contains the extractor's
//! panics and has a deadline); typed errors are fine. Seeds: real Ofsted PDFs (`seed.sh`).
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use ofsted_search::ingest::pdf::PdfReader;
use ofsted_search::ingest::Ingester;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"%PDF-".to_vec();
    bytes.extend_from_slice(data.strip_prefix(b"%PDF-").unwrap_or(data));
    // A short deadline: a slow input is found as a limit error, not as a fuzzer timeout.
    let Ok(text) = PdfReader::new()
        .timeout(Duration::from_secs(2))
        .read(&bytes, "fuzz.pdf")
    else {
        return;
    };
    assert!(!text.pages.is_empty());
    assert!(text.pages.iter().all(|p| !p.contains('\u{c}')));
    let _ = Ingester::new().ingest_str(&text.to_text(), "fuzz.pdf");
});
