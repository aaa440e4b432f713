//! A bound on decompression, checked before the extractor inflates anything.
//!
//! `lopdf` inflates object streams and cross-reference streams while it loads a PDF, and
//! `pdf_extract` inflates each content stream when it draws a page, each time into one
//! growing buffer: a few kilobytes of deflate (or LZW) data that expand to gigabytes would
//! exhaust memory before any of our own limits could see it. So the reader first measures
//! what every compressed stream of the file expands to, with streaming decoders that keep
//! nothing but a small scratch buffer, and refuses the PDF when one stream, or all of them
//! together, exceed the limit. It measures the raw file (every `stream … endstream`
//! before `lopdf` parses it) and, for an encrypted PDF, whose raw stream data cannot be
//! decoded before decryption, the decrypted streams once more. `lopdf` decrypts and inflates
//! an encrypted file's object streams while it loads it, so those are measured before: the key
//! comes from loading a copy in which their filters are renamed (nothing inflates them there),
//! and each is decrypted apart and measured.
//!
//! Streams that nothing inflates are skipped: images (the reader empties them unread) and
//! streams in filters that `lopdf` does not decode.

use pdf_extract::Object;

/// Why a PDF's streams were refused: one stream or the whole file expands past the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Exceeded {
    /// The limit that was passed, in bytes.
    pub(super) limit: u64,
    /// Whether it was the total over all streams (else one stream).
    pub(super) total: bool,
}

/// Per-stream and total limits on inflated bytes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Budget {
    per_stream: u64,
    total: u64,
    used: u64,
}

impl Budget {
    pub(super) fn new(per_stream: u64, total: u64) -> Budget {
        Budget {
            per_stream,
            total,
            used: 0,
        }
    }

    /// Measures one stream's data under its filters (in decoding order), counting what the
    /// first inflating decoder that `lopdf` runs would produce (an ASCII85 stage before it is
    /// decoded first; its output is at most four times its input).
    fn measure(&mut self, filters: &[Filter], data: &[u8]) -> Result<(), Exceeded> {
        let mut input = std::borrow::Cow::Borrowed(data);
        let mut inflating = None;
        for f in filters {
            match f {
                Filter::Ascii85 => input = std::borrow::Cow::Owned(ascii85(&input)),
                Filter::Flate | Filter::Lzw => {
                    inflating = Some(*f);
                    break;
                }
                // lopdf decodes no other filter: the data stays as it is.
                Filter::Other => break,
            }
        }
        let Some(filter) = inflating else {
            return Ok(());
        };
        let limit = self.per_stream.min(self.total.saturating_sub(self.used));
        let produced = match filter {
            Filter::Lzw => lzw_len(&input, limit.saturating_add(1)),
            _ => inflated_len(&input, limit.saturating_add(1)),
        };
        if produced > limit {
            let per_stream = produced > self.per_stream;
            return Err(Exceeded {
                limit: if per_stream {
                    self.per_stream
                } else {
                    self.total
                },
                total: !per_stream,
            });
        }
        self.used += produced;
        Ok(())
    }
}

/// ASCII85 data decoded (as `lopdf` does, leniently: it stops at the first byte outside the
/// alphabet).
fn ascii85(input: &[u8]) -> Vec<u8> {
    let input = input.strip_suffix(b"~>").unwrap_or(input);
    let mut out = Vec::with_capacity(input.len());
    let mut group: u64 = 0;
    let mut count = 0;
    for &c in input {
        if c == b'z' && count == 0 {
            out.extend_from_slice(&[0; 4]);
            continue;
        }
        if c.is_ascii_whitespace() {
            continue;
        }
        if !(b'!'..=b'u').contains(&c) {
            break;
        }
        group = group * 85 + u64::from(c - b'!');
        count += 1;
        if count == 5 {
            out.extend_from_slice(&(group as u32).to_be_bytes());
            group = 0;
            count = 0;
        }
    }
    if count > 1 {
        for _ in count..5 {
            group = group * 85 + 84;
        }
        out.extend_from_slice(&(group as u32).to_be_bytes()[..count - 1]);
    }
    out
}

/// The decoders that can expand a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    Flate,
    Lzw,
    Ascii85,
    /// Anything else (DCT, ASCIIHex, …): `lopdf` leaves the data as it is.
    Other,
}

fn filter_of(name: &[u8]) -> Filter {
    match name {
        b"FlateDecode" | b"Fl" => Filter::Flate,
        b"LZWDecode" | b"LZW" => Filter::Lzw,
        b"ASCII85Decode" | b"A85" => Filter::Ascii85,
        _ => Filter::Other,
    }
}

/// Bytes that zlib (or, as `lopdf` retries, raw deflate) data inflates to, counting at most
/// `cap`.
fn inflated_len(data: &[u8], cap: u64) -> u64 {
    let zlib = count_inflate(flate2::Decompress::new(true), data, cap);
    if zlib > 0 || data.len() <= 2 {
        return zlib;
    }
    count_inflate(flate2::Decompress::new(false), &data[2..], cap)
}

fn count_inflate(mut d: flate2::Decompress, data: &[u8], cap: u64) -> u64 {
    let mut scratch = vec![0u8; 64 * 1024];
    loop {
        let before_in = d.total_in();
        let before_out = d.total_out();
        let at = usize::try_from(before_in)
            .unwrap_or(usize::MAX)
            .min(data.len());
        let status = d.decompress(&data[at..], &mut scratch, flate2::FlushDecompress::None);
        let out = d.total_out();
        if out >= cap {
            return out;
        }
        match status {
            Ok(flate2::Status::StreamEnd) | Err(_) => return out,
            Ok(_) if d.total_in() == before_in && out == before_out => return out,
            Ok(_) => {}
        }
    }
}

/// Bytes that LZW data (PDF's variant, early change) decodes to, counting at most `cap`.
fn lzw_len(data: &[u8], cap: u64) -> u64 {
    let mut decoder = weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
    let mut scratch = vec![0u8; 64 * 1024];
    let mut input = data;
    let mut total = 0u64;
    loop {
        let r = decoder.decode_bytes(input, &mut scratch);
        total += r.consumed_out as u64;
        input = &input[r.consumed_in..];
        if total >= cap {
            return total;
        }
        match r.status {
            Ok(weezl::LzwStatus::Ok) if r.consumed_in > 0 || r.consumed_out > 0 => {}
            _ => return total,
        }
    }
}

/// Measures every compressed stream in the raw bytes of a PDF, before it is parsed: each
/// `stream` keyword's data up to its `endstream`, under the filters its dictionary names.
pub(super) fn check_raw(bytes: &[u8], budget: &mut Budget) -> Result<(), Exceeded> {
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], b"stream").map(|i| from + i) {
        from = at + b"stream".len();
        // `endstream` contains `stream`; a stream keyword follows a dictionary's `>>`.
        if at >= 3 && &bytes[at - 3..at] == b"end" {
            continue;
        }
        let Some(dict) = dictionary_before(bytes, at) else {
            continue;
        };
        let (filters, image) = describe(dict);
        if image || filters.is_empty() {
            continue;
        }
        let mut start = from;
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        let end = find(&bytes[start..], b"endstream").map_or(bytes.len(), |i| start + i);
        budget.measure(&filters, &bytes[start..end])?;
        from = end;
    }
    Ok(())
}

/// A compressed object stream of an encrypted PDF, as it stands in the raw file: `lopdf`
/// decrypts and inflates object streams while it loads an encrypted file, so they must be
/// measured before, by decrypting them apart.
pub(super) struct Sealed {
    id: (u32, u16),
    filters: Vec<Filter>,
    data: std::ops::Range<usize>,
    /// Where the names of its decoding filters stand in the file.
    filter_names: Vec<usize>,
}

/// The compressed object streams of an encrypted PDF (none when the file has no `/Encrypt`).
pub(super) fn sealed_object_streams(bytes: &[u8]) -> Vec<Sealed> {
    let mut out = Vec::new();
    if find(bytes, b"/Encrypt").is_none() {
        return out;
    }
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], b"stream").map(|i| from + i) {
        from = at + b"stream".len();
        if at >= 3 && &bytes[at - 3..at] == b"end" {
            continue;
        }
        let Some(dict) = dictionary_before(bytes, at) else {
            continue;
        };
        let dict_at = dict.as_ptr() as usize - bytes.as_ptr() as usize;
        let names = names_in(dict);
        if !names.iter().any(|n| n == b"ObjStm") {
            continue;
        }
        let (filters, _) = describe(dict);
        let Some(id) = object_id_before(&bytes[..dict_at]) else {
            continue;
        };
        let mut start = from;
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        let end = find(&bytes[start..], b"endstream").map_or(bytes.len(), |i| start + i);
        let end = match direct_length(dict) {
            Some(n) if start + n <= end => start + n,
            _ => {
                let mut e = end;
                if e > start && bytes[e - 1] == b'\n' {
                    e -= 1;
                }
                if e > start && bytes[e - 1] == b'\r' {
                    e -= 1;
                }
                e
            }
        };
        let filter_names = filter_name_positions(dict)
            .into_iter()
            .map(|p| dict_at + p)
            .collect();
        out.push(Sealed {
            id,
            filters,
            data: start..end,
            filter_names,
        });
        from = end;
    }
    out
}

/// A copy of the file in which the sealed streams' filters are renamed (`/FlateDecode` →
/// `/XlateDecode`, same length, so every offset holds): `lopdf` loads it without inflating
/// them, which gives the file's decryption key.
pub(super) fn defused(bytes: &[u8], sealed: &[Sealed]) -> Vec<u8> {
    let mut copy = bytes.to_vec();
    for s in sealed {
        for &p in &s.filter_names {
            copy[p] = b'X';
        }
    }
    copy
}

/// Measures the sealed object streams, each decrypted with the file's key.
pub(super) fn check_sealed(
    bytes: &[u8],
    sealed: &[Sealed],
    state: &pdf_extract::EncryptionState,
    budget: &mut Budget,
) -> Result<(), Exceeded> {
    for s in sealed {
        let data = bytes[s.data.clone()].to_vec();
        let mut object = Object::Stream(pdf_extract::Stream::new(
            pdf_extract::Dictionary::new(),
            data,
        ));
        if pdf_extract::encryption::decrypt_object(state, s.id, &mut object).is_err() {
            continue;
        }
        if let Object::Stream(stream) = &object {
            budget.measure(&s.filters, &stream.content)?;
        }
    }
    Ok(())
}

/// `12 0` of the `12 0 obj` that ends `before` (whitespace allowed after it).
fn object_id_before(before: &[u8]) -> Option<(u32, u16)> {
    let text = &before[before.len().saturating_sub(64)..];
    let text = std::str::from_utf8(text).ok().or_else(|| {
        // Only the tail matters: cut at the last byte that is not ASCII.
        let cut = text.iter().rposition(|b| !b.is_ascii())? + 1;
        std::str::from_utf8(&text[cut..]).ok()
    })?;
    let mut words = text.split_ascii_whitespace().rev();
    if words.next()? != "obj" {
        return None;
    }
    let generation = words.next()?.parse().ok()?;
    let number = words.next()?.parse().ok()?;
    Some((number, generation))
}

/// The `/Length` of a stream dictionary when it is a direct integer (not `12 0 R`).
fn direct_length(dict: &[u8]) -> Option<usize> {
    let at = find(dict, b"/Length")? + b"/Length".len();
    let rest = std::str::from_utf8(&dict[at..]).ok()?;
    let mut words = rest.split(|c: char| c.is_ascii_whitespace() || "/<>[]".contains(c));
    let words: Vec<&str> = words.by_ref().filter(|w| !w.is_empty()).take(3).collect();
    let n = words.first()?.parse().ok()?;
    let reference =
        words.get(2) == Some(&"R") && words.get(1).is_some_and(|g| g.parse::<u16>().is_ok());
    (!reference).then_some(n)
}

/// Where, in a dictionary's text, the first letter of each decoding filter's name stands.
fn filter_name_positions(dict: &[u8]) -> Vec<usize> {
    name_spans(dict)
        .filter(|&(start, end)| end > start && filter_of(&dict[start..end]) != Filter::Other)
        .map(|(start, _)| start)
        .collect()
}

/// Measures every compressed stream of a loaded (decrypted) document.
pub(super) fn check_document(
    doc: &pdf_extract::Document,
    budget: &mut Budget,
) -> Result<(), Exceeded> {
    for object in doc.objects.values() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let image = stream
            .dict
            .get(b"Subtype")
            .and_then(|s| s.as_name())
            .is_ok_and(|name| name == b"Image");
        if image {
            continue;
        }
        let filters: Vec<Filter> = match stream.dict.get(b"Filter") {
            Ok(Object::Name(name)) => vec![filter_of(name)],
            Ok(Object::Array(names)) => names
                .iter()
                .filter_map(|n| n.as_name().ok())
                .map(filter_of)
                .collect(),
            _ => continue,
        };
        budget.measure(&filters, &stream.content)?;
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The text of the dictionary that ends just before `at` (only whitespace between its `>>`
/// and the keyword), found by matching `<<` and `>>` backwards; `None` when there is none.
fn dictionary_before(bytes: &[u8], at: usize) -> Option<&[u8]> {
    let mut end = at;
    while end > 0 && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    if end < 2 || &bytes[end - 2..end] != b">>" {
        return None;
    }
    let mut depth = 0usize;
    let mut i = end;
    // Dictionaries of streams are short; a hostile file gets no more than this to scan.
    let floor = end.saturating_sub(64 * 1024);
    while i >= floor + 2 {
        match &bytes[i - 2..i] {
            b">>" => {
                depth += 1;
                i -= 2;
            }
            b"<<" => {
                depth -= 1;
                i -= 2;
                if depth == 0 {
                    return Some(&bytes[i..end]);
                }
            }
            _ => i -= 1,
        }
    }
    None
}

/// The filters a stream dictionary names, in order, and whether it is an image.
fn describe(dict: &[u8]) -> (Vec<Filter>, bool) {
    let names = names_in(dict);
    let mut filters = Vec::new();
    let mut image = false;
    let mut i = 0;
    while i < names.len() {
        match names[i].as_slice() {
            b"Subtype" if names.get(i + 1).is_some_and(|n| n == b"Image") => image = true,
            b"Filter" => {
                // The names after /Filter, up to the next key (every key is a name too, so the
                // run stops at the first name that is not a known filter).
                let mut k = i + 1;
                while let Some(f) = names.get(k).map(|n| filter_of(n)) {
                    if f == Filter::Other {
                        break;
                    }
                    filters.push(f);
                    k += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    (filters, image)
}

/// Every `/Name` in a dictionary's text, in order.
fn names_in(dict: &[u8]) -> Vec<Vec<u8>> {
    name_spans(dict)
        .map(|(start, end)| dict[start..end].to_vec())
        .collect()
}

/// The byte range of every `/Name` in a dictionary's text (after the slash), in order.
fn name_spans(dict: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < dict.len() && dict[i] != b'/' {
            i += 1;
        }
        if i >= dict.len() {
            return None;
        }
        let start = i + 1;
        let mut end = start;
        while end < dict.len()
            && !dict[end].is_ascii_whitespace()
            && !b"/<>[]()".contains(&dict[end])
        {
            end += 1;
        }
        i = end;
        Some((start, end))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn measures_inflated_size_without_holding_it() {
        let bomb = zlib(&vec![b' '; 10_000_000]);
        assert!(bomb.len() < 20_000);
        assert_eq!(inflated_len(&bomb, u64::MAX), 10_000_000);
        assert_eq!(inflated_len(&bomb, 1000), 64 * 1024);
        assert_eq!(inflated_len(b"not zlib at all", u64::MAX), 0);
    }

    #[test]
    fn raw_scan_finds_filters_skips_images_and_stops_at_the_limit() {
        let content = zlib(&vec![b'x'; 3_000_000]);
        let mut pdf = b"%PDF-1.4\n1 0 obj\n<< /Length 9 /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend_from_slice(&content);
        pdf.extend_from_slice(b"\nendstream\nendobj\n2 0 obj\n<< /Subtype /Image /Filter [/FlateDecode] /DecodeParms << /Columns 3 >> >>\nstream\n");
        pdf.extend_from_slice(&content);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
        // The image is skipped: 3 MB counted.
        let mut budget = Budget::new(4_000_000, 10_000_000);
        assert_eq!(check_raw(&pdf, &mut budget), Ok(()));
        assert_eq!(budget.used, 3_000_000);
        // Over the per-stream limit.
        let err = check_raw(&pdf, &mut Budget::new(1_000_000, 10_000_000)).unwrap_err();
        assert_eq!(
            err,
            Exceeded {
                limit: 1_000_000,
                total: false
            }
        );
        // Two content streams: over the total.
        let doubled = [pdf.clone(), pdf.replace_image()].concat();
        let err = check_raw(&doubled, &mut Budget::new(4_000_000, 5_000_000)).unwrap_err();
        assert_eq!(
            err,
            Exceeded {
                limit: 5_000_000,
                total: true
            }
        );
    }

    trait ReplaceImage {
        fn replace_image(&self) -> Vec<u8>;
    }
    impl ReplaceImage for Vec<u8> {
        fn replace_image(&self) -> Vec<u8> {
            let at = find(self, b"/Subtype /Image").unwrap();
            let mut v = self.clone();
            v[at..at + 15].copy_from_slice(b"/Subtype /Form ");
            v
        }
    }

    #[test]
    fn dictionaries_and_names() {
        let d = b"<< /Length 5 /Filter [/ASCII85Decode /FlateDecode] /DecodeParms << /Predictor 12 >> >>";
        let mut bytes = d.to_vec();
        bytes.extend_from_slice(b"\nstream\n");
        let found = dictionary_before(&bytes, d.len() + 1).unwrap();
        assert_eq!(found, &d[..]);
        assert_eq!(
            describe(found),
            (vec![Filter::Ascii85, Filter::Flate], false)
        );
        assert_eq!(dictionary_before(b"1 0 obj stream", 8), None);
    }
}
