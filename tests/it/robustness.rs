//! No input makes sluice panic: every prefix of every file of the bundled
//! workspace (cut at each line, and mid-line) is compiled.

use sluice::source::{self, SourceFile, Sources};

fn with_replaced(sources: &Sources, index: usize, text: &str) -> Sources {
    let mut out = Sources::new(sources.root.clone());
    for (i, (_, f)) in sources.iter().enumerate() {
        let body = if i == index { text } else { f.text.as_str() };
        out.add(SourceFile::new(f.name.clone(), body, f.kind.clone()));
    }
    out
}

#[test]
fn every_prefix_of_every_bundled_file_compiles_without_panicking() {
    let (sources, _) = source::load(std::path::Path::new("schemas")).expect("schemas/ loads");
    let mut compiled = 0;
    for (index, (_, file)) in sources.iter().enumerate() {
        let text = &file.text;
        let mut cuts = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            // The end of the line, and its middle (inside words and SQL).
            let mut middle = start + line.len() / 2;
            while !text.is_char_boundary(middle) {
                middle += 1;
            }
            cuts.push(middle);
            start += line.len();
            cuts.push(start);
        }
        // Two workers: the machine has two cores.
        let (a, b) = cuts.split_at(cuts.len() / 2);
        std::thread::scope(|scope| {
            for half in [a, b] {
                let sources = &sources;
                scope.spawn(move || {
                    for &cut in half {
                        let prefix = &text[..cut];
                        let result = std::panic::catch_unwind(|| {
                            sluice::compile_sources(with_replaced(sources, index, prefix))
                        });
                        assert!(result.is_ok(), "panic on {} cut at byte {cut}", file.name);
                    }
                });
            }
        });
        compiled += cuts.len();
    }
    assert!(compiled > 100, "only {compiled} prefixes compiled");
}
