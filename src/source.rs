//! Stage 1, load: read a workspace folder into memory.
//!
//! Input: a workspace directory. Output: [`Sources`], every `*.sluice` file
//! in deterministic (sorted) order, each classified by its place in the
//! layout (`workspace.sluice` and other root files, project files, migration
//! files). Files in unexpected places are reported, not silently read.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::span::{FileId, Span};

/// Where a file sits in the workspace layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// A `.sluice` file at the workspace root (`workspace.sluice`).
    Workspace,
    /// A file in a project folder; carries the folder name.
    Project(String),
    /// A file in `<project>/migrations/`; carries the project folder name.
    Migration(String),
    /// A file outside the layout: kept for diagnostics, never parsed.
    Ignored,
    /// A raw SQL file read by `sluice lint`.
    Sql,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path shown to users: relative to the workspace's parent, with `/`.
    pub name: String,
    pub text: String,
    pub kind: FileKind,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>, kind: FileKind) -> SourceFile {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            text,
            kind,
            line_starts,
        }
    }

    /// [`SourceFile::new`] with the line starts counted already: 0, then
    /// the offset after each `\n` of `text`.
    pub fn with_line_starts(
        name: impl Into<String>,
        text: String,
        kind: FileKind,
        line_starts: Vec<usize>,
    ) -> SourceFile {
        debug_assert!(line_starts.first() == Some(&0));
        debug_assert_eq!(line_starts.len(), text.matches('\n').count() + 1);
        SourceFile {
            name: name.into(),
            text,
            kind,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }

    /// Byte offset of a 1-based line and character column, clamped to the text.
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let line_text = rest.split('\n').next().unwrap_or("");
        let byte = line_text
            .char_indices()
            .nth(col.saturating_sub(1))
            .map(|(i, _)| i)
            .unwrap_or(line_text.len());
        start + byte
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Every file of a workspace, indexed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub root: PathBuf,
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn new(root: impl Into<PathBuf>) -> Sources {
        Sources {
            root: root.into(),
            files: Vec::new(),
        }
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The source text a span covers.
    pub fn text(&self, span: Span) -> &str {
        self.get(span.file).text.get(span.range()).unwrap_or("")
    }
}

/// Load failure that prevents any checking (exit code 2).
#[derive(Debug)]
pub struct LoadError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for LoadError {}

/// A file [`load`] read but did not take as a source; the diagnostic
/// module words the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// Not valid UTF-8 (kept, lossily, so the report can point at it).
    InvalidUtf8 { name: String, at: Span },
    /// Not in a place sluice reads.
    Misplaced { name: String, at: Span },
}

/// Read every `.sluice` file under `root`, sorted by path.
pub fn load(root: &Path) -> Result<(Sources, Vec<Skipped>), LoadError> {
    if !root.is_dir() {
        return Err(LoadError {
            path: root.to_path_buf(),
            message: "workspace folder not found (pass the folder that holds `workspace.sluice`)"
                .into(),
        });
    }
    let display_root = root
        .file_name()
        .map(|n| PathBuf::from(n.to_os_string()))
        .unwrap_or_else(|| PathBuf::from("."));
    let mut sources = Sources::new(root);
    let mut diagnostics = Vec::new();
    let walker = WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(e.file_name()));
    for entry in walker {
        let entry = entry.map_err(|e| LoadError {
            path: e
                .path()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| root.into()),
            message: e.to_string(),
        })?;
        if !entry.file_type().is_file()
            || entry.path().extension().and_then(|e| e.to_str()) != Some("sluice")
        {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let name = display_root.join(rel).to_string_lossy().replace('\\', "/");
        let text = std::fs::read(entry.path()).map_err(|e| LoadError {
            path: entry.path().to_path_buf(),
            message: e.to_string(),
        })?;
        let text = match String::from_utf8(text) {
            Ok(t) => t,
            Err(e) => {
                let bytes = e.into_bytes();
                let lossy = String::from_utf8_lossy(&bytes).into_owned();
                let id = sources.add(SourceFile::new(&name, lossy, FileKind::Ignored));
                diagnostics.push(Skipped::InvalidUtf8 {
                    name,
                    at: Span::new(id, 0, 0),
                });
                continue;
            }
        };
        let kind = match parts.as_slice() {
            [_file] => FileKind::Workspace,
            [project, _file] => FileKind::Project(project.clone()),
            [project, dir, _file] if dir == "migrations" => FileKind::Migration(project.clone()),
            _ => {
                let id = sources.add(SourceFile::new(&name, String::new(), FileKind::Ignored));
                diagnostics.push(Skipped::Misplaced {
                    name,
                    at: Span::new(id, 0, 0),
                });
                continue;
            }
        };
        sources.add(SourceFile::new(name, text, kind));
    }
    Ok((sources, diagnostics))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|s| s.starts_with('.') && s != "." && s != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let f = SourceFile::new("a", "ab\ncdé f\n", FileKind::Workspace);
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(7), (2, 4));
        assert_eq!(f.offset_of(2, 4), 7);
        assert_eq!(f.offset_of(9, 1), f.text.len());
    }
}
