//! Pack the release `sluice` executable's relocations on Linux.
//!
//! Input: cargo's target and profile. Output: a link argument for the
//! binaries. A position-independent executable is relocated by the loader
//! at every start. With the classic relocation table that means reading
//! about 1.8 MiB of entries, most of a short `sluice lint`'s memory beyond
//! its code. Packed relative relocations (`-z pack-relative-relocs`, GNU ld
//! 2.38+ and glibc 2.36+) describe the same pointers in a few KiB, so the
//! binary keeps its randomised load address and sheds that memory.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    if linux_gnu && release {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
