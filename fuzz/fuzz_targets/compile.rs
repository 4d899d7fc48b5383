//! Fuzz target: a whole workspace through every stage — parse, lower,
//! check, plan, render — with its SQL checked as psql would read it.
//!
//! The input is files separated by lines `=== <path>` (the first part is
//! `workspace.sluice`), as the seed corpus made by `fuzz/seed.sh` holds.
//! Any panic, and any input over the time limit, is a finding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sluice::source::{FileKind, SourceFile, Sources};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = Sources::new("ws");
    let mut name = "workspace.sluice".to_string();
    let mut body = String::new();
    let add = |name: &str, body: &str, sources: &mut Sources| {
        let parts: Vec<&str> = name.split('/').collect();
        let kind = match parts.as_slice() {
            [_] => FileKind::Workspace,
            [p, _] => FileKind::Project(p.to_string()),
            [p, "migrations", _] => FileKind::Migration(p.to_string()),
            _ => FileKind::Ignored,
        };
        sources.add(SourceFile::new(format!("ws/{name}"), body, kind));
    };
    for line in text.split_inclusive('\n') {
        if let Some(next) = line.strip_prefix("=== ") {
            add(&name, &body, &mut sources);
            name = next.trim().to_string();
            body.clear();
        } else {
            body.push_str(line);
        }
    }
    add(&name, &body, &mut sources);
    let c = sluice::compile_sources(sources);
    if c.diagnostics.has_errors() {
        return;
    }
    let _ = sluice::emit::workspace(&c.workspace, Some(std::path::Path::new("out")));
});
