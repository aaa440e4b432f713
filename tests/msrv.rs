//! The declared minimum supported Rust version (`rust-version` in Cargo.toml) is honest about
//! dependencies: it is at least every `rust-version` declared by a package in the locked
//! dependency graph, and the README states the same version.
//!
//! Only one toolchain is installed where this crate is developed, so the MSRV cannot be
//! checked by compiling with an old rustc. This test covers the dependencies; clippy's
//! `incompatible_msrv` lint (warn by default, an error under `-D warnings` in CI) covers our
//! own use of standard-library APIs. Language features newer than the MSRV are not checked.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

type Version = (u32, u32, u32);

fn parse_version(v: &str) -> Version {
    let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap());
    let major = parts.next().unwrap();
    (major, parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

fn metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string());
    let out = Command::new(cargo)
        // Every feature: an optional dependency (the `semantic` feature's candle and tokenizers)
        // must build with the declared rust-version too.
        .args([
            "metadata",
            "--format-version",
            "1",
            "--all-features",
            "--locked",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every package reachable from the root through normal, build and dev edges, for every
/// platform and with every feature on: what a user's build and this crate's test suite can
/// compile.
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

#[test]
fn rust_version_covers_every_dependency() {
    let meta = metadata();
    let root = meta["resolve"]["root"].as_str().unwrap();
    let packages = meta["packages"].as_array().unwrap();
    let ours = packages.iter().find(|p| p["id"] == root).unwrap();
    let declared = ours["rust_version"]
        .as_str()
        .expect("Cargo.toml declares no rust-version");
    let msrv = parse_version(declared);

    let deps = reachable(&meta);
    assert!(deps.len() > 20, "only {} dependencies found", deps.len());
    let mut too_new = Vec::new();
    let mut highest = (0, 0, 0);
    for p in packages {
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
    assert!(
        too_new.is_empty(),
        "rust-version {declared} is below what dependencies declare: {too_new:?}"
    );
    // The MSRV is not set needlessly high either: some dependency requires exactly it.
    assert_eq!(
        (highest.0, highest.1),
        (msrv.0, msrv.1),
        "rust-version {declared} is above every dependency's; lower it or say why"
    );
}

#[test]
fn readme_states_the_declared_rust_version() {
    let meta = metadata();
    let root = meta["resolve"]["root"].as_str().unwrap();
    let ours = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == root)
        .unwrap();
    let declared = ours["rust_version"].as_str().unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(&format!("Rust {declared} or later")),
        "README.md should say \"Rust {declared} or later\""
    );
}
