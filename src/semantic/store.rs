//! The paragraph vectors: int8-quantised (one scale per vector), grouped by report, kept in
//! memory for search and in one file beside the index.
//!
//! # The file
//!
//! `ofsted-vectors.bin` in the index directory, little-endian throughout:
//!
//! ```text
//! magic "OFSVEC\0\0" | format u32 | dimensions u32 | model fingerprint u64 | reports u32
//! per report:    report id (u32 length + UTF-8) | content hash (u32 length + UTF-8) | rows u32
//! per paragraph: paragraph id (u32 length + UTF-8) | scale f32 | dimensions × i8
//! checksum u64 (64-bit FNV-1a of every byte before it)
//! ```
//!
//! It is replaced whole on every commit (written to a temporary file, synced, renamed), just
//! before the engine's commit. Each report's vectors carry the `content_hash` of the report
//! they were computed from, and on loading only those whose hash matches the report indexed
//! now are kept: whatever order a crash leaves the two commits in, or when a writer without
//! the `semantic` feature changed reports, no paragraph is ever scored by another text's
//! vector; reports without valid vectors are found by their words only.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::fnv64;
use crate::error::{Error, Result};

/// The vector file's name inside the index directory.
pub const VECTOR_FILE: &str = "ofsted-vectors.bin";
const MAGIC: &[u8; 8] = b"OFSVEC\0\0";
/// The file format this build writes and reads.
pub(crate) const FORMAT: u32 = 1;

/// One report's paragraph vectors, row by row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReportVectors {
    /// The content hash of the report they were computed from.
    pub content_hash: String,
    /// Paragraph ids, one per row.
    pub ids: Vec<String>,
    /// Each row's scale: the row's largest magnitude / 127.
    pub scales: Vec<f32>,
    /// Rows of `dimensions` quantised components.
    pub data: Vec<i8>,
}

impl ReportVectors {
    /// Quantises unit vectors (or any vectors: each keeps its own scale).
    pub fn new(content_hash: String, ids: Vec<String>, vectors: &[Vec<f32>]) -> ReportVectors {
        let mut scales = Vec::with_capacity(vectors.len());
        let mut data = Vec::with_capacity(vectors.iter().map(Vec::len).sum());
        for v in vectors {
            let (scale, q) = quantise(v);
            scales.push(scale);
            data.extend(q);
        }
        ReportVectors {
            content_hash,
            ids,
            scales,
            data,
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }
}

/// int8 with a per-vector scale: the largest magnitude maps to ±127.
pub(crate) fn quantise(v: &[f32]) -> (f32, Vec<i8>) {
    let max = v.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    if max == 0.0 || !max.is_finite() {
        return (0.0, vec![0; v.len()]);
    }
    let scale = max / 127.0;
    let q = v
        .iter()
        // In range by construction: |x| / scale <= 127.
        .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (scale, q)
}

/// Every stored vector of an index, by report id.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct VectorSet {
    pub dimensions: usize,
    /// The fingerprint of the model that computed them.
    pub model: u64,
    pub reports: BTreeMap<String, Arc<ReportVectors>>,
}

impl VectorSet {
    pub fn new(dimensions: usize, model: u64) -> VectorSet {
        VectorSet {
            dimensions,
            model,
            reports: BTreeMap::new(),
        }
    }

    /// How many paragraphs have a vector.
    pub fn len(&self) -> usize {
        self.reports.values().map(|r| r.len()).sum()
    }

    /// The file's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let row = 4 + self.dimensions;
        let mut out = Vec::with_capacity(32 + self.len() * (row + 32));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        put_u32(&mut out, self.dimensions);
        out.extend_from_slice(&self.model.to_le_bytes());
        put_u32(&mut out, self.reports.len());
        for (id, r) in &self.reports {
            put_str(&mut out, id);
            put_str(&mut out, &r.content_hash);
            put_u32(&mut out, r.len());
            for (i, pid) in r.ids.iter().enumerate() {
                put_str(&mut out, pid);
                out.extend_from_slice(&r.scales[i].to_le_bytes());
                let start = i * self.dimensions;
                out.extend(
                    r.data[start..start + self.dimensions]
                        .iter()
                        .map(|&x| x as u8),
                );
            }
        }
        let sum = fnv64(&out, 0);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads a file's bytes; `path` names it in errors.
    pub fn decode(bytes: &[u8], path: &Path) -> Result<VectorSet> {
        let damaged = |what: &str| Error::Semantic {
            path: Some(path.to_path_buf()),
            message: format!(
                "{what}; the vector file is damaged: delete it and add the reports again"
            ),
        };
        if bytes.len() < MAGIC.len() + 8 || &bytes[..MAGIC.len()] != MAGIC {
            return Err(damaged("not an ofsted-search vector file"));
        }
        let (body, sum) = bytes.split_at(bytes.len() - 8);
        let mut r = Reader {
            bytes: body,
            at: MAGIC.len(),
        };
        let format = r.u32().ok_or_else(|| damaged("truncated header"))?;
        if format != FORMAT {
            return Err(Error::Semantic {
                path: Some(path.to_path_buf()),
                message: format!(
                    "vector file format {format}, this build reads format {FORMAT}; delete the file and add the reports again"
                ),
            });
        }
        let expected = u64::from_le_bytes(sum.try_into().unwrap_or([0; 8]));
        if fnv64(body, 0) != expected {
            return Err(damaged("checksum mismatch"));
        }
        let truncated = || damaged("truncated");
        let dimensions = r.u32().ok_or_else(truncated)? as usize;
        let model = r.u64().ok_or_else(truncated)?;
        let reports = r.u32().ok_or_else(truncated)?;
        let mut set = VectorSet::new(dimensions, model);
        for _ in 0..reports {
            let id = r.str().ok_or_else(truncated)?;
            let content_hash = r.str().ok_or_else(truncated)?;
            let rows = r.u32().ok_or_else(truncated)? as usize;
            // Bounded by the bytes left, so a damaged count cannot ask for unbounded memory.
            if rows > r.left() / (8 + dimensions).max(1) {
                return Err(truncated());
            }
            let mut ids = Vec::with_capacity(rows);
            let mut scales = Vec::with_capacity(rows);
            let mut data = Vec::with_capacity(rows * dimensions);
            for _ in 0..rows {
                ids.push(r.str().ok_or_else(truncated)?);
                scales.push(f32::from_le_bytes(
                    r.take(4)
                        .ok_or_else(truncated)?
                        .try_into()
                        .unwrap_or([0; 4]),
                ));
                data.extend(
                    r.take(dimensions)
                        .ok_or_else(truncated)?
                        .iter()
                        .map(|&b| b as i8),
                );
            }
            let vectors = ReportVectors {
                content_hash,
                ids,
                scales,
                data,
            };
            set.reports.insert(id, Arc::new(vectors));
        }
        if r.left() != 0 {
            return Err(damaged("trailing bytes"));
        }
        Ok(set)
    }

    /// Writes the file into `dir`, atomically: a reader sees the old file or the new one.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let path = dir.join(VECTOR_FILE);
        let tmp = dir.join(format!("{VECTOR_FILE}.tmp"));
        let io = |action: &'static str, path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io {
                path,
                action,
                source,
            }
        };
        let mut file =
            std::fs::File::create(&tmp).map_err(io("cannot write the vector file", &tmp))?;
        file.write_all(&self.encode())
            .and_then(|()| file.sync_all())
            .map_err(io("cannot write the vector file", &tmp))?;
        drop(file);
        std::fs::rename(&tmp, &path).map_err(io("cannot replace the vector file", &path))?;
        // The rename itself is durable once the directory is synced (where that is possible).
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Reads the file in `dir`; `None` when there is none.
    pub fn read(dir: &Path) -> Result<Option<VectorSet>> {
        let path = vector_path(dir);
        match std::fs::read(&path) {
            Ok(bytes) => VectorSet::decode(&bytes, &path).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(Error::Io {
                path,
                action: "cannot read the vector file",
                source,
            }),
        }
    }
}

/// The vector file of the index in `dir`.
pub(crate) fn vector_path(dir: &Path) -> PathBuf {
    dir.join(VECTOR_FILE)
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    // Counts and lengths of one index stay far below 4 billion.
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn left(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let out = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn str(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> VectorSet {
        let mut set = VectorSet::new(3, 42);
        let v = vec![vec![0.6, -0.8, 0.0], vec![0.1, 0.2, -0.97]];
        let ids = vec!["r1/1".to_string(), "r1/2".to_string()];
        set.reports.insert(
            "r1".into(),
            Arc::new(ReportVectors::new("abc".into(), ids, &v)),
        );
        set
    }

    #[test]
    fn round_trips_and_quantises_closely() {
        let set = sample();
        let bytes = set.encode();
        let back = VectorSet::decode(&bytes, Path::new("x.bin")).unwrap();
        assert_eq!(back, set);
        let r = &back.reports["r1"];
        let restored: Vec<f32> = r.data[..3]
            .iter()
            .map(|&q| f32::from(q) * r.scales[0])
            .collect();
        for (a, b) in restored.iter().zip([0.6, -0.8, 0.0]) {
            assert!((a - b).abs() < 0.01, "{a} vs {b}");
        }
        assert_eq!(
            bytes.len(),
            8 + 4 + 4 + 8 + 4 + (4 + 2) + (4 + 3) + 4 + 2 * (4 + 4 + 4 + 3) + 8
        );
    }

    #[test]
    fn damage_is_a_typed_error_naming_the_file() {
        let bytes = sample().encode();
        let path = Path::new("/idx/ofsted-vectors.bin");
        for damaged in [
            {
                let mut b = bytes.clone();
                b[30] ^= 1;
                b
            },
            bytes[..bytes.len() - 3].to_vec(),
            b"garbage".to_vec(),
            Vec::new(),
        ] {
            match VectorSet::decode(&damaged, path) {
                Err(e @ Error::Semantic { .. }) => {
                    let msg = e.to_string();
                    assert!(msg.contains("/idx/ofsted-vectors.bin"), "{msg}");
                }
                other => panic!("expected a typed error, got {other:?}"),
            }
        }
        // A consistent file of a future format is refused as such.
        let mut future = bytes[..bytes.len() - 8].to_vec();
        future[8..12].copy_from_slice(&2u32.to_le_bytes());
        let sum = fnv64(&future, 0);
        future.extend_from_slice(&sum.to_le_bytes());
        let msg = VectorSet::decode(&future, path).unwrap_err().to_string();
        assert!(msg.contains("format 2"), "{msg}");
    }

    #[test]
    fn quantising_zero_and_huge_counts_is_safe() {
        assert_eq!(quantise(&[0.0, 0.0]), (0.0, vec![0, 0]));
        // A count field claiming more rows than bytes left is refused, not allocated.
        let mut set = sample();
        set.reports.clear();
        let mut b = set.encode();
        b.truncate(b.len() - 8);
        b[24..28].copy_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&[1, 0, 0, 0, b'r', 0, 0, 0, 0]);
        b.extend_from_slice(&u32::MAX.to_le_bytes());
        let sum = fnv64(&b, 0);
        b.extend_from_slice(&sum.to_le_bytes());
        assert!(VectorSet::decode(&b, Path::new("v")).is_err());
    }
}
