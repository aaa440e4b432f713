//! Build-or-reuse of an on-disk index from a folder of reports, shared by the `search` and
//! `serve` examples (by `#[path]` inclusion, next to `progress_bar.rs`, which it uses).
//!
//! Every report is parsed again (cheap) and only reports whose parsed content changed are
//! indexed again (the expensive part), so a new ingester or an edited report is picked up;
//! reports whose file vanished are removed. A run over an up-to-date index never writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ofsted_search::index::content_hash;
use ofsted_search::ingest::{Batch, Ingester};
use ofsted_search::{IndexWriter, SearchIndex};

use crate::progress_bar::ProgressBar;

/// Brings `index` up to date with the `.txt` and `.pdf` reports in `corpus` (all of them again with
/// `rebuild`), showing progress on stderr with messages prefixed by `program`. Returns the
/// file each indexed report was read from, by report id. The error is a message for the user.
pub fn sync(
    index: &SearchIndex,
    corpus: &Path,
    rebuild: bool,
    program: &str,
) -> Result<BTreeMap<String, PathBuf>, String> {
    // `.txt` and `.pdf` reports, mixed.
    let files = ofsted_search::ingest::batch::report_files(corpus)
        .map_err(|e| format!("{e} (use --corpus DIR)"))?;

    let indexed: BTreeMap<String, String> = index
        .reports()
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|r| (r.report.report_id, r.content_hash))
        .collect();
    if indexed.is_empty() && !files.is_empty() {
        eprintln!(
            "{program}: first run: indexing {} report files into {} (later runs reuse it)",
            files.len(),
            index
                .path()
                .map_or("memory".into(), |p| p.display().to_string())
        );
    }
    let ingester = Ingester::new();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    // The writer locks the index, so it is opened only when a report has changed: a run
    // over an up-to-date index reads but never writes.
    let mut writer: Option<IndexWriter> = None;
    let mut reindexed = 0;
    let bar = ProgressBar::stderr();
    // Each report is indexed as soon as it is read; files that cannot be read are skipped
    // (the bar prints why) rather than stopping the program.
    Batch::new(&ingester)
        .skip_errors(true)
        .run_with_progress(
            &files,
            |event| bar.update(event),
            |file, parsed| {
                let id = &parsed.report.report_id;
                if let Some(first) = seen.get(id) {
                    bar.message(&format!(
                        "{program}: skipping {}: it has the same report id '{id}' as {}",
                        file.display(),
                        first.display()
                    ));
                    return Ok(());
                }
                seen.insert(id.clone(), file.to_path_buf());
                if rebuild || indexed.get(id) != Some(&content_hash(parsed)) {
                    let writer = match &mut writer {
                        Some(writer) => writer,
                        None => writer.insert(index.writer()?),
                    };
                    writer.add_report(parsed)?;
                    reindexed += 1;
                }
                Ok(())
            },
        )
        .map_err(|e| e.to_string())?;
    let vanished: Vec<&String> = indexed
        .keys()
        .filter(|id| !seen.contains_key(*id))
        .collect();
    if writer.is_none() && vanished.is_empty() {
        return Ok(seen);
    }
    let mut writer = match writer {
        Some(writer) => writer,
        None => index.writer().map_err(|e| e.to_string())?,
    };
    for id in &vanished {
        eprintln!("removing {id}: its file is gone");
        writer.remove_report(id);
    }
    writer.finish().map_err(|e| e.to_string())?;
    eprintln!(
        "index {} ready: {} reports ({reindexed} indexed now), {} paragraphs",
        index
            .path()
            .map_or("(in memory)".into(), |p| p.display().to_string()),
        seen.len(),
        index.num_paragraphs().map_err(|e| e.to_string())?
    );
    Ok(seen)
}
