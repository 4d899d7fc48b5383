//! Pack the release `sluice` executable's relocations on Linux.
//!
//! Input: cargo's target and profile. Output: a link argument for the
//! binaries. A position-independent executable is relocated by the loader
//! at every start. With the classic relocation table that means reading
//! about 1.8 MiB of entries, most of a short `sluice lint`'s memory beyond
//! its code. Packed relative relocations (`-z pack-relative-relocs`, GNU ld
//! 2.38+ and glibc 2.36+) describe the same pointers in a few KiB, so the
//! binary keeps its randomised load address and sheds that memory.
//!
//! Also sets `SLUICE_BUILD_ID`, a digest of the code, templates and grammar
//! sluice is compiled from: the input fingerprint a build records in each
//! output folder's lock changes with it (see `src/drizzle/fingerprint.rs`).

use std::hash::Hasher;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    build_id();
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    if linux_gnu && release {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Digest every file sluice's output can depend on, in a fixed order.
fn build_id() {
    let mut files = vec![PathBuf::from("Cargo.toml"), PathBuf::from("Cargo.lock")];
    for root in ["src", "templates", "grammar"] {
        println!("cargo::rerun-if-changed={root}");
        collect(Path::new(root), &mut files);
    }
    println!("cargo::rerun-if-changed=Cargo.toml");
    println!("cargo::rerun-if-changed=Cargo.lock");
    files.sort();
    let mut h = std::hash::DefaultHasher::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_default();
        h.write(f.to_string_lossy().as_bytes());
        h.write_u8(0);
        h.write_usize(bytes.len());
        h.write(&bytes);
    }
    println!("cargo::rustc-env=SLUICE_BUILD_ID={:016x}", h.finish());
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
