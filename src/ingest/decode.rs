//! Bytes to text: UTF-8 when valid, otherwise Windows-1252 (with a warning); empty and
//! binary inputs are refused with a typed error naming the input.

use super::Warning;
use crate::error::{Error, Result};

/// Decodes `bytes` into text.
///
/// - A UTF-8 byte-order mark is dropped; UTF-16 with a byte-order mark is decoded.
/// - Invalid UTF-8 is decoded as Windows-1252 (the usual encoding of text saved on Windows),
///   with a warning naming the line of the first invalid byte.
/// - Carriage returns are turned into line feeds (`\r\n` and lone `\r`).
///
/// # Errors
///
/// [`Error::EmptyInput`] when there is no visible text, [`Error::BinaryInput`] when the bytes
/// are a PDF, contain NUL bytes or are mostly control characters.
pub fn decode(bytes: &[u8], input: &str, warnings: &mut Vec<Warning>) -> Result<String> {
    // The line is counted in the bytes (or, for UTF-16, the decoded text) the offset is in.
    let binary = |reason, offset: usize, before: &[u8]| Error::BinaryInput {
        input: input.to_string(),
        reason,
        offset,
        line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
    };
    if bytes.starts_with(b"%PDF-") {
        return Err(binary("PDF signature", 0, &[]));
    }
    let text = if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            warnings.push(Warning {
                input: input.to_string(),
                line: None,
                message: format!("invalid {} sequences replaced with U+FFFD", enc.name()),
            });
        }
        text.into_owned()
    } else {
        if let Some(offset) = bytes.iter().position(|&b| b == 0) {
            return Err(binary("NUL byte", offset, &bytes[..offset]));
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(e) => {
                let offset = e.valid_up_to();
                let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
                warnings.push(Warning {
                    input: input.to_string(),
                    line: Some(line),
                    message: format!(
                        "not valid UTF-8 (byte 0x{:02x} at offset {offset}); decoded as Windows-1252",
                        bytes[offset]
                    ),
                });
                let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                text.into_owned()
            }
        }
    };
    if text.contains('\0') {
        let offset = text.find('\0').unwrap_or(0);
        return Err(binary("NUL character", offset, &text.as_bytes()[..offset]));
    }
    let controls = text
        .chars()
        .take(8192)
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    let sample = text.chars().take(8192).count();
    if sample > 0 && controls * 10 > sample {
        let offset = text
            .char_indices()
            .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
            .map(|(i, _)| i)
            .unwrap_or(0);
        return Err(binary(
            "mostly control characters",
            offset,
            &text.as_bytes()[..offset],
        ));
    }
    if text.trim().is_empty() {
        return Err(Error::EmptyInput {
            input: input.to_string(),
        });
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(bytes: &[u8]) -> (Result<String>, Vec<Warning>) {
        let mut w = Vec::new();
        (decode(bytes, "t.txt", &mut w), w)
    }

    #[test]
    fn utf8_passes_through_and_crlf_is_normalised() {
        let (text, w) = run("Children’s services\r\nare good\r".as_bytes());
        assert_eq!(text.unwrap(), "Children’s services\nare good\n");
        assert!(w.is_empty());
    }

    #[test]
    fn windows_1252_is_decoded_with_a_warning_naming_the_line() {
        // 0x92 is the Windows-1252 right single quotation mark.
        let (text, w) = run(b"first line\nChildren\x92s services");
        assert_eq!(text.unwrap(), "first line\nChildren\u{2019}s services");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, Some(2));
        assert!(w[0].message.contains("Windows-1252"));
    }

    #[test]
    fn empty_and_blank_inputs_are_errors_naming_the_input() {
        for bytes in [&b""[..], b"  \n\n\t "] {
            let err = run(bytes).0.unwrap_err();
            assert!(matches!(err, Error::EmptyInput { .. }));
            assert!(err.to_string().starts_with("t.txt:"));
        }
    }

    #[test]
    fn binary_inputs_are_refused() {
        assert!(matches!(
            run(b"%PDF-1.7 ...").0,
            Err(Error::BinaryInput { offset: 0, .. })
        ));
        assert!(matches!(
            run(b"abc\0def").0,
            Err(Error::BinaryInput {
                offset: 3,
                line: 1,
                ..
            })
        ));
        let err = run(b"Some Council\n\nabc\0def").0.unwrap_err();
        assert!(matches!(
            err,
            Error::BinaryInput {
                offset: 17,
                line: 3,
                ..
            }
        ));
        assert!(err
            .to_string()
            .starts_with("t.txt:3: looks like a binary file (NUL byte at byte 17)"));
        let noise: Vec<u8> = (0..200u8).map(|i| i % 8 + 1).collect();
        assert!(matches!(run(&noise).0, Err(Error::BinaryInput { .. })));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Good".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(run(&bytes).0.unwrap(), "Good");
    }
}
