//! The corpora a bench runs on, and their on-disk caches: synthetic reports (or the bundled
//! ones), their text rendering, and the FTS5 baseline database.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use ofsted_search::ingest::{Ingester, ParsedReport};

use super::fts5::Fts5;
use super::sentences::SentencePool;
use super::synth::{self, Synth};
use super::{cache_dir, Scale};

/// The reports of a size, in a fixed order. The bundled reports go through the crate's
/// [`Ingester`]; synthetic ones come straight from the generator.
pub fn reports(scale: Scale) -> Box<dyn Iterator<Item = ParsedReport>> {
    match scale {
        Scale::Bundled => {
            let ingester = Ingester::new();
            Box::new(bundled_files().into_iter().map(move |p| {
                ingester.ingest_file(&p).unwrap_or_else(|e| {
                    panic!("bundled report {} fails to ingest: {e}", p.display())
                })
            }))
        }
        Scale::Synthetic(n) => Box::new(Synth::new(SentencePool::bundled(), n, synth::SEED)),
    }
}

/// The bundled report files, sorted.
pub fn bundled_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

/// Theme ids present in the first paragraphs of a size (most frequent first), and the id and
/// text of a few paragraphs spread over them, for theme filters and "similar" queries.
pub fn probes(scale: Scale) -> (Vec<String>, Vec<(String, String)>) {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut like = Vec::new();
    let mut seen = 0usize;
    for r in reports(scale) {
        for p in &r.paragraphs {
            seen += 1;
            for t in &p.themes {
                *counts.entry(t.clone()).or_default() += 1;
            }
            if seen % 211 == 17 && like.len() < 8 && p.text.len() > 200 {
                like.push((p.id.clone(), p.text.clone()));
            }
        }
        if seen >= 5_000 {
            break;
        }
    }
    let mut themes: Vec<(String, usize)> = counts.into_iter().collect();
    themes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    (themes.into_iter().map(|t| t.0).collect(), like)
}

/// What building a cached artefact cost, read back from its marker file on later runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Build {
    /// Paragraphs in it.
    pub paragraphs: u64,
    /// Bytes of paragraph text (or of report text, for text corpora).
    pub bytes: u64,
    /// Wall time of the build.
    pub seconds: f64,
    /// True when this run built it (false: read from the cache).
    pub fresh: bool,
}

impl Build {
    /// Text megabytes (10^6 bytes) per second.
    pub fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.seconds
    }

    fn write(&self, marker: &Path) {
        let s = format!("{} {} {}\n", self.paragraphs, self.bytes, self.seconds);
        std::fs::write(marker, s)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", marker.display()));
    }

    fn read(marker: &Path) -> Option<Build> {
        let s = std::fs::read_to_string(marker).ok()?;
        let mut it = s.split_whitespace();
        Some(Build {
            paragraphs: it.next()?.parse().ok()?,
            bytes: it.next()?.parse().ok()?,
            seconds: it.next()?.parse().ok()?,
            fresh: false,
        })
    }
}

/// Runs `build` into `path` unless `marker` says a previous run completed it; the marker is
/// written last, so an interrupted build is redone.
pub fn cached(path: &Path, marker: &Path, build: impl FnOnce(&Path) -> (u64, u64)) -> Build {
    if let Some(b) = Build::read(marker) {
        if path.exists() {
            return b;
        }
    }
    if path.is_dir() {
        let _ = std::fs::remove_dir_all(path);
    } else if path.exists() {
        let _ = std::fs::remove_file(path);
    }
    let t = Instant::now();
    let (paragraphs, bytes) = build(path);
    let b = Build {
        paragraphs,
        bytes,
        seconds: t.elapsed().as_secs_f64(),
        fresh: true,
    };
    b.write(marker);
    b
}

/// The FTS5 database of a size: in memory for the bundled corpus, cached on disk otherwise.
pub fn fts5(scale: Scale) -> (Fts5, Build) {
    if scale == Scale::Bundled {
        let t = Instant::now();
        let (db, bytes) = Fts5::build(Path::new(":memory:"), reports(scale)).expect("fts5 build");
        let n = db.len().expect("fts5 count");
        let b = Build {
            paragraphs: n,
            bytes,
            seconds: t.elapsed().as_secs_f64(),
            fresh: true,
        };
        return (db, b);
    }
    let dir = cache_dir(scale);
    let path = dir.join("fts5.sqlite");
    let b = cached(&path, &dir.join("fts5.done"), |p| {
        let (db, bytes) = Fts5::build(p, reports(scale)).expect("fts5 build");
        (db.len().expect("fts5 count"), bytes)
    });
    (Fts5::open(&path).expect("fts5 open"), b)
}

/// The text rendering of a size's synthetic reports, one file per report, cached; returns the
/// files and their total bytes.
pub fn text_corpus(scale: Scale) -> (Vec<PathBuf>, u64) {
    if scale == Scale::Bundled {
        let files = bundled_files();
        let bytes = files
            .iter()
            .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
            .sum();
        return (files, bytes);
    }
    let dir = cache_dir(scale).join("text");
    let marker = cache_dir(scale).join("text.done");
    cached(&dir, &marker, |dir| {
        std::fs::create_dir_all(dir).expect("create text dir");
        let (mut paragraphs, mut bytes) = (0u64, 0u64);
        for (i, r) in reports(scale).enumerate() {
            let text = synth::render_text(&r);
            paragraphs += r.paragraphs.len() as u64;
            bytes += text.len() as u64;
            let path = dir.join(format!("{i:06}.txt"));
            std::fs::write(&path, text)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        }
        (paragraphs, bytes)
    });
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read text dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let bytes = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    (files, bytes)
}
