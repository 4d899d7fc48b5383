//! Link the release `sluice` executable at a fixed address on Linux.
//!
//! Input: cargo's target and profile. Output: a link argument for the
//! binaries. A position-independent executable is relocated by the loader
//! at every start: each pointer in its read-only tables is written, which
//! copies those pages into the process and reads the relocation table
//! (together about 2.5 MiB, most of a short `sluice lint`'s memory beyond
//! its code). A fixed-address executable needs none of that.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    if linux_gnu && release {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
