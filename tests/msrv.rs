//! The declared minimum supported Rust version (`rust-version` in Cargo.toml) is honest about
//! dependencies: it is at least every `rust-version` declared by a package in the locked
//! dependency graph, and the README states the same version.
//!
//! Only one toolchain is installed where this crate is developed, so the MSRV cannot be
//! checked by compiling with an old rustc. This test covers the dependencies; clippy's
//! `incompatible_msrv` lint (warn by default, an error under `-D warnings` in CI) covers our
//! own use of standard-library APIs. Language features newer than the MSRV are not checked.
//!
//! The graph is the one of the platform the tests run on (`cargo metadata --filter-platform`
//! with cargo's host triple): cargo then needs only the packages that this platform's build
//! downloads, so the test passes on a machine with an empty cargo cache (online: cargo fetches
//! them) and offline after `cargo fetch`, whatever else the cache holds. Without the filter,
//! `cargo metadata` needs every platform's packages of the lock file (e.g. `r-efi`, for UEFI
//! only) and fails where they were never downloaded. The check itself is `check` below, tested
//! on metadata fixtures so that its failure is proven, not assumed.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::{json, Value};

type Version = (u32, u32, u32);

fn parse_version(v: &str) -> Version {
    let mut parts = v.split('.').map(|p| {
        p.parse::<u32>()
            .unwrap_or_else(|_| panic!("'{v}' is not a rust-version"))
    });
    let major = parts.next().unwrap();
    (major, parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string())
}

/// The triple of the platform cargo builds for by default (`host:` of `cargo -vV`).
fn host_triple() -> String {
    let out = Command::new(cargo()).arg("-vV").output().unwrap();
    assert!(out.status.success(), "cargo -vV failed");
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .unwrap_or_else(|| panic!("cargo -vV names no host:\n{text}"))
        .trim()
        .to_string()
}

/// `cargo metadata` for this platform. `--offline` first: the build of this test already
/// downloaded every package the host's graph holds, so no network is needed and none is tried
/// (an offline machine after `cargo fetch`). Should the cache lack one anyway, cargo is asked
/// again with the network allowed and fetches it.
fn metadata() -> Value {
    let host = host_triple();
    let run = |offline: bool| {
        let mut cmd = Command::new(cargo());
        // Every feature: an optional dependency (the `semantic` feature's candle and
        // tokenizers) must build with the declared rust-version too.
        cmd.args([
            "metadata",
            "--format-version",
            "1",
            "--all-features",
            "--locked",
        ])
        .args(["--filter-platform", &host])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
        if offline {
            cmd.arg("--offline");
        }
        cmd.output().unwrap()
    };
    let mut out = run(true);
    if !out.status.success() {
        out = run(false);
    }
    assert!(
        out.status.success(),
        "cargo metadata --filter-platform {host} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every package reachable from the root through normal, build and dev edges (of the
/// platform the metadata was filtered for): what a user's build and this crate's test suite
/// can compile.
fn reachable(meta: &Value) -> BTreeSet<String> {
    let root = meta["resolve"]["root"].as_str().unwrap();
    let nodes = meta["resolve"]["nodes"].as_array().unwrap();
    let deps_of = |id: &str| -> Vec<String> {
        nodes
            .iter()
            .find(|n| n["id"] == id)
            .map(|n| {
                n["deps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d["pkg"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut seen = BTreeSet::new();
    let mut stack = vec![root.to_string()];
    while let Some(id) = stack.pop() {
        for dep in deps_of(&id) {
            if seen.insert(dep.clone()) {
                stack.push(dep);
            }
        }
    }
    seen
}

/// The root package's declared `rust-version`.
fn declared(meta: &Value) -> String {
    let root = meta["resolve"]["root"].as_str().unwrap();
    let ours = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == root)
        .unwrap();
    ours["rust_version"]
        .as_str()
        .expect("Cargo.toml declares no rust-version")
        .to_string()
}

/// What the check found: how many dependencies are reachable and the highest `rust-version`
/// among them, or the reachable packages that need a newer Rust than the root declares.
#[derive(Debug)]
struct Checked {
    dependencies: usize,
    highest: Version,
}

fn check(meta: &Value) -> Result<Checked, Vec<String>> {
    let msrv = parse_version(&declared(meta));
    let deps = reachable(meta);
    let mut too_new = Vec::new();
    let mut highest = (0, 0, 0);
    for p in meta["packages"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        if !deps.contains(id) {
            continue;
        }
        if let Some(v) = p["rust_version"].as_str() {
            let v = parse_version(v);
            highest = highest.max(v);
            if v > msrv {
                too_new.push(format!("{} {} needs {v:?}", p["name"], p["version"]));
            }
        }
    }
    if too_new.is_empty() {
        Ok(Checked {
            dependencies: deps.len(),
            highest,
        })
    } else {
        Err(too_new)
    }
}

#[test]
fn rust_version_covers_every_dependency() {
    let meta = metadata();
    let declared = declared(&meta);
    let msrv = parse_version(&declared);
    let checked = check(&meta).unwrap_or_else(|too_new| {
        panic!("rust-version {declared} is below what dependencies declare: {too_new:?}")
    });
    assert!(
        checked.dependencies > 20,
        "only {} dependencies found",
        checked.dependencies
    );
    // The MSRV is not set needlessly high either: some dependency requires exactly it.
    assert_eq!(
        (checked.highest.0, checked.highest.1),
        (msrv.0, msrv.1),
        "rust-version {declared} is above every dependency's; lower it or say why"
    );
}

/// Metadata in `cargo metadata`'s shape: the root declares 1.70 and depends on `a`, which
/// depends on `b` (declaring `b_version`); `c` declares 1.99 but is not reachable (another
/// platform's package, as `--filter-platform` leaves it out of the graph).
fn fixture(b_version: &str) -> Value {
    json!({
        "packages": [
            {"id": "root 0.1.0", "name": "root", "version": "0.1.0", "rust_version": "1.70"},
            {"id": "a 1.0.0", "name": "a", "version": "1.0.0", "rust_version": "1.60"},
            {"id": "b 2.0.0", "name": "b", "version": "2.0.0", "rust_version": b_version},
            {"id": "c 3.0.0", "name": "c", "version": "3.0.0", "rust_version": "1.99"},
        ],
        "resolve": {
            "root": "root 0.1.0",
            "nodes": [
                {"id": "root 0.1.0", "deps": [{"pkg": "a 1.0.0"}]},
                {"id": "a 1.0.0", "deps": [{"pkg": "b 2.0.0"}]},
                {"id": "b 2.0.0", "deps": []},
                {"id": "c 3.0.0", "deps": []},
            ]
        }
    })
}

#[test]
fn the_check_fails_on_a_reachable_dependency_that_needs_a_newer_rust() {
    let too_new = check(&fixture("1.80.1")).unwrap_err();
    assert_eq!(too_new.len(), 1, "{too_new:?}");
    assert!(too_new[0].contains("\"b\""), "{too_new:?}");
    // Only what the root reaches counts: `c` (1.99) is not reported.
    assert!(!too_new[0].contains("\"c\""), "{too_new:?}");
}

#[test]
fn the_check_passes_when_the_declared_version_covers_the_graph() {
    let checked = check(&fixture("1.70")).unwrap();
    assert_eq!(checked.dependencies, 2);
    assert_eq!(checked.highest, (1, 70, 0));
    // The same version with a patch level above the declared one is newer.
    assert!(check(&fixture("1.70.1")).is_err());
}

#[test]
fn readme_states_the_declared_rust_version() {
    // Cargo's copy of `rust-version` from Cargo.toml, set when this test was compiled.
    let declared = env!("CARGO_PKG_RUST_VERSION");
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(&format!("Rust {declared} or later")),
        "README.md should say \"Rust {declared} or later\""
    );
}
