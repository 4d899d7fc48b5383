//! goose's annotations: the `-- +goose Up` / `-- +goose Down` sections
//! of a file and `-- +goose NO TRANSACTION`.
//!
//! Input: a file's text. Output: whether it carries goose annotations, and
//! its sections as [`Part`]s with the transaction goose opens around each.

use super::{Part, Wrap};

/// A goose annotation on a line of its own: `-- +goose Up` and the like.
fn annotation(line: &str) -> Option<String> {
    let rest = line.trim().strip_prefix("--")?.trim_start();
    let word = rest.strip_prefix("+goose")?;
    Some(word.trim().to_ascii_lowercase())
}

pub fn goose_annotation(text: &str) -> bool {
    // Most files carry none: one search instead of a look at every line.
    text.contains("+goose")
        && text
            .lines()
            .any(|l| annotation(l).is_some_and(|a| a == "up" || a == "down"))
}

/// The `Up` and `Down` sections of a goose file. Goose runs each section
/// in a transaction unless the file says `NO TRANSACTION`; text before
/// `Up` is not run. `StatementBegin`/`StatementEnd` only tell goose where a
/// statement with semicolons inside ends, which the tokenizer knows too.
pub fn goose_parts(text: &str, in_transaction: bool) -> Vec<Part> {
    let mut no_tx = false;
    let mut marks: Vec<(usize, usize, bool)> = Vec::new(); // (start, end of line, down)
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        match annotation(line).as_deref() {
            Some("no transaction") => no_tx = true,
            Some("up") => marks.push((at, at + line.len(), false)),
            Some("down") => marks.push((at, at + line.len(), true)),
            _ => {}
        }
        at += line.len();
    }
    let wrap = if no_tx { Wrap::None } else { Wrap::Transaction };
    marks
        .iter()
        .enumerate()
        .map(|(i, &(_, body, down))| {
            let end = marks.get(i + 1).map_or(text.len(), |m| m.0);
            Part {
                range: body..end,
                wrap: if in_transaction && !down {
                    Wrap::Transaction
                } else {
                    wrap
                },
                rollback: down,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goose_sections_are_parts() {
        let text = "-- +goose NO TRANSACTION\n-- +goose Up\nselect 1;\n-- +goose Down\nselect 2;\n";
        let parts = goose_parts(text, false);
        assert_eq!(parts.len(), 2);
        assert_eq!(&text[parts[0].range.clone()], "select 1;\n");
        assert_eq!(&text[parts[1].range.clone()], "select 2;\n");
        assert!(!parts[0].rollback && parts[1].rollback);
        assert!(parts.iter().all(|p| p.wrap == Wrap::None));
        let wrapped = goose_parts("-- +goose Up\nselect 1;\n", false);
        assert_eq!(wrapped[0].wrap, Wrap::Transaction);
    }
}
