//! Measurements criterion does not give: latency percentiles, resident memory and size on disk.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Whether [`measure`] times runs in CPU time of the calling thread rather than wall time.
static THREAD_CPU: AtomicBool = AtomicBool::new(false);

/// Makes [`measure`] time each run in CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`)
/// instead of wall time: on a loaded machine, wall time also counts the time a query waits
/// for a core, CPU time only the work (a query runs on the calling thread: one segment, no
/// executor).
pub fn use_thread_cpu_time(yes: bool) {
    THREAD_CPU.store(yes, Ordering::Relaxed);
}

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
}

/// CPU time of the calling thread in milliseconds (Linux; 0 where the clock is unavailable).
pub fn thread_cpu_ms() -> f64 {
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `t` is a valid, writable timespec; the call only writes it.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) };
    if rc != 0 {
        return 0.0;
    }
    t.sec as f64 * 1e3 + t.nsec as f64 / 1e6
}

/// Latency percentiles of one query class, in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Latency {
    /// Number of timed runs.
    pub runs: usize,
    /// Median.
    pub p50: f64,
    /// 99th percentile (nearest rank).
    pub p99: f64,
    /// Slowest run.
    pub max: f64,
}

/// Runs `f` over `items` round-robin, after one untimed warm-up pass, until `runs` timed runs
/// are done or `budget` is spent (at least one pass), and returns the percentiles.
pub fn measure<T>(items: &[T], runs: usize, budget: Duration, mut f: impl FnMut(&T)) -> Latency {
    for it in items {
        f(it);
    }
    let start = Instant::now();
    let mut ms = Vec::with_capacity(runs);
    while ms.len() < runs && (ms.len() < items.len() || start.elapsed() < budget) {
        let it = &items[ms.len() % items.len()];
        if THREAD_CPU.load(Ordering::Relaxed) {
            let t = thread_cpu_ms();
            f(it);
            ms.push(thread_cpu_ms() - t);
        } else {
            let t = Instant::now();
            f(it);
            ms.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    ms.sort_by(f64::total_cmp);
    let rank = |p: f64| ms[((p * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
    Latency {
        runs: ms.len(),
        p50: rank(0.50),
        p99: rank(0.99),
        max: *ms.last().unwrap_or(&0.0),
    }
}

/// A field of `/proc/self/status` in kB (e.g. `VmHWM`, `VmRSS`, `RssFile`, `RssAnon`), or 0
/// where the file does not exist (not Linux).
pub fn proc_status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// Total size of the files under `path`.
pub fn dir_size(path: &Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else {
        return 0;
    };
    if meta.is_file() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| dir_size(&e.path())).sum())
        .unwrap_or(0)
}

/// Resets the kernel's peak-RSS mark (`VmHWM`) so a later reading covers only what follows;
/// returns false where that is not possible.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// CPU time (user + system, all threads) this process has used so far, in seconds, from
/// `/proc/self/stat`; 0 where that file does not exist. On a shared machine CPU time says
/// more about the work done than wall time.
pub fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th
    // fields of the whole line, in clock ticks (100 per second on Linux).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
